"""Sentences and tokens with their character offsets.

A small rule-based splitter: news prose is regular enough that abbreviations
("Mr.", "Sept.", "U.S.") and initials are the only traps, and a regex pass keeps
the extractor fast enough for a stream.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    {
        *("mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "sgt", "capt", "adm", "gov", "sen", "rep"),
        *("rev", "st", "jr", "sr", "no", "vs", "etc", "inc", "corp", "ltd", "co", "dept", "est", "approx", "fig"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
        *("u.s", "u.k", "u.n", "e.u", "d.c", "a.m", "p.m"),
    }
)
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace
# and an upper-case letter, digit or opening quote, or at a blank line / line end.
_BOUNDARY = re.compile(r"""([.!?]+["'”’)\]]*)(\s+)(?=["'“‘(\[]?[A-Z0-9])|\n\s*\n|\n""")
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\w+(?:-\w+)*(?:['’](?!s\b)\w+)*|['’]s\b|[^\w\s]")


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, three
# times slower, and every sentence makes one. Nothing changes one once made.
@dataclass(slots=True)
class Span:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Span]:
    """Split text into sentences, never across a line break (headlines and captions stand alone)."""
    out: list[Span] = []
    start = 0
    for m in _boundaries(text):
        if m.group(1):
            word = _last_word(text, m.start(1))
            abbreviated = word.lower().rstrip(".") in _ABBREVIATIONS or (len(word) == 1 and word.isupper())
            if abbreviated and "\n" not in m.group(2):  # "3.05 p.m.\n\nThe next paragraph" still ends there
                continue
            end = m.end(1)
        else:
            end = m.start()
        _append(out, text, start, end)
        start = m.end()
    _append(out, text, start, len(text))
    return out


def _boundaries(text: str) -> Iterator[re.Match[str]]:
    """What ``_BOUNDARY.finditer(text)`` finds, trying the pattern only where a boundary can start.

    Python's regex engine would try _BOUNDARY at every character of the article; trying it
    only at the characters a boundary starts with (:func:`_boundary_starts`) is twice as fast.
    """
    resume = 0
    for at in _boundary_starts(text):
        if at < resume:
            continue  # inside the boundary just found
        m = _BOUNDARY.match(text, at)
        if m:
            yield m
            resume = m.end()


def _boundary_starts(text: str) -> list[int]:
    """Every position of ".", "!", "?" or a line break, in order.

    One str.find() pass per character: several times faster than a regex character class,
    which the engine tests at every character of the article.
    """
    out: list[int] = []
    for ch in ".!?\n":
        at = text.find(ch)
        while at >= 0:
            out.append(at)
            at = text.find(ch, at + 1)
    out.sort()
    return out


def _last_word(text: str, dot: int) -> str:
    i = dot
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] == "."):
        i -= 1
    return text[i:dot]


def _append(out: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Span(start, end, text[start:end]))


def tokens(text: str, offset: int = 0) -> list[Span]:
    """Word and punctuation tokens; offsets are shifted by ``offset``."""
    return [Span(m.start() + offset, m.end() + offset, m.group()) for m in _TOKEN.finditer(text)]


def contains_any(low: str, stems: Iterable[str]) -> bool:
    """``any(stem in low for stem in stems)`` without a generator: called for most sentences."""
    for stem in stems:  # noqa: SIM110
        if stem in low:
            return True
    return False
