"""Word lists compiled into matchers: regular expressions behind cheap needle and title checks.

The lexicon (``streams/core/lexicon.py``) holds the words; this is how a sentence is
tested against them fast. Most sentences hold none of a list's words, so each
:class:`WordPattern` first asks an Aho-Corasick automaton (or a lowercase regex
built from a trie of the words) whether any needle occurs, and runs its full regular
expression only then.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from operator import itemgetter
from typing import Any, NamedTuple

import ahocorasick


def words_pattern(words: Iterable[str]) -> WordPattern:
    """Whole-word, case-insensitive match of any of ``words`` (a space matches any whitespace).

    The alternation is shaped as a trie ("visit(?:ed|ing|s)?") rather than a flat list:
    Python's regex engine then rejects most positions on the first character, which made
    the extractor several times faster on long word lists.
    """
    trie: dict[str, Any] = {}
    lowered = {w.lower() for w in words if w.strip()}
    for word in lowered:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return WordPattern(
        re.compile(rf"\b{_trie_regex(trie)}(?![\w-])", re.IGNORECASE),
        needles=_needles(lowered),
        phrases=_phrases(lowered),
        lowercase=_lowercase_regex(trie),
    )


class Probe(NamedTuple):
    """A text lower-cased, for :class:`WordPattern`'s shortcuts; make one with :func:`probe`."""

    low: str
    plain: bool  # its only whitespace is single ASCII spaces: "is  in" or "is\nin" cannot occur
    found_by: NeedleIndex | None = None  # the index that found ``present``
    present: frozenset[str] = frozenset()  # the index's phrases found in ``low``


# Characters that re.IGNORECASE and str.lower() treat differently: re matches "ı" and "ſ" to
# "i" and "s" (and "μ", "Μ" to the micro sign), but lower() leaves them as they are; lower()
# turns "İ" into two characters. They were found by comparing the two, for every code point,
# against every Latin-1 character. A text with none of them lower-cases into a text where a
# case-sensitive search for lower-case Latin-1 words finds exactly what a case-insensitive
# search finds in the original, at the same positions (\w, \s and \b keep their meaning too).
_CASE_TRAPS = "İıſΜμ"
_LATIN1_AND_QUOTES = re.compile("[\x00-\xff’‘“”–—]*")


def _has_case_trap(text: str) -> bool:
    """Whether ``text`` holds one of the _CASE_TRAPS.

    Five substring tests: far faster than a regex character class, which the engine tests
    at every character of the text (a whole article is tested once per article).
    """
    for trap in _CASE_TRAPS:  # noqa: SIM110 (a generator in any() costs more than the test)
        if trap in text:
            return True
    return False


def probe(text: str, low: str | None = None) -> Probe | None:
    """``text`` lower-cased (``low``, when the caller has it) for the shortcuts; None when they are not exact."""
    if _has_case_trap(text):
        return None
    return Probe(text.lower() if low is None else low, text.isprintable() and "  " not in text)


class WordPattern:
    """A compiled pattern, and faster ways to find it in a text whose :class:`Probe` is known.

    ``regex`` is the case-insensitive pattern (``search``, ``finditer`` and ``match`` are its
    methods). A case-insensitive scan tries the pattern at every position of the text and
    compares letter by letter through a case table: it cost more than the rest of the
    extractor's work on a sentence. :meth:`spans`, :meth:`first` and :meth:`occurs` give
    the same answers from the lower-cased text:

    - ``needles``: plain substrings one of which every match contains (``phrases``: whole
      words, for a plain text whose spaces are single). Most sentences hold none of a list's
      words, and substring tests settle that without any regex.
    - ``lowercase``: the same pattern for lower-cased text, case-sensitive and written so that
      the engine jumps between the letters a match can start with.

    Each is None when it cannot be made exact; then the plain regex runs.
    """

    __slots__ = (
        "finditer",
        "index",
        "lowercase",
        "match",
        "needle_set",
        "needles",
        "pattern",
        "phrase_set",
        "phrases",
        "regex",
        "search",
    )

    def __init__(
        self,
        regex: re.Pattern[str],
        *,
        needles: tuple[str, ...] | None = None,
        phrases: tuple[str, ...] | None = None,
        lowercase: re.Pattern[str] | None = None,
    ) -> None:
        self.regex = regex
        self.pattern = regex.pattern
        self.needles = needles
        self.phrases = phrases
        self.needle_set = frozenset(needles or ())
        self.phrase_set = frozenset(phrases or ())
        self.index: NeedleIndex | None = None  # set by the NeedleIndex that holds the needles
        self.lowercase = lowercase
        self.search = regex.search
        self.finditer = regex.finditer
        self.match = regex.match

    def could_match(self, text: Probe | None) -> bool:
        """False only when the text with this probe holds no match."""
        if text is None:
            return True
        if text.plain and self.phrases is not None:
            if text.found_by is not None and text.found_by is self.index:  # found already, with all the others
                return not self.phrase_set.isdisjoint(text.present)
            needles: tuple[str, ...] | None = self.phrases
        else:
            needles = self.needles
        if needles is None:
            return True
        low = text.low
        for needle in needles:  # noqa: SIM110 (a generator in any() costs more than the test)
            if needle in low:
                return True
        return False

    def spans(self, text: str, probe: Probe | None) -> list[tuple[int, int]]:
        """(start, end) of every match in ``text``, exactly as ``finditer`` finds them."""
        if probe is None:
            return [m.span() for m in self.regex.finditer(text)]
        if not self.could_match(probe):
            return []
        if self.lowercase is not None:
            return [m.span() for m in self.lowercase.finditer(probe.low)]
        return [m.span() for m in self.regex.finditer(text)]

    def scan(self, text: str, probe: Probe | None) -> list[tuple[int, int]]:
        """:meth:`spans` without the needle test: for a few words, where the test costs more than it saves."""
        if probe is not None and self.lowercase is not None:
            return [m.span() for m in self.lowercase.finditer(probe.low)]
        return [m.span() for m in self.regex.finditer(text)]

    def first(self, text: str, probe: Probe | None) -> tuple[int, int] | None:
        """(start, end) of the match ``search`` finds in ``text``, or None."""
        if probe is not None and not self.could_match(probe):
            return None
        if probe is not None and self.lowercase is not None:
            m = self.lowercase.search(probe.low)
        else:
            m = self.regex.search(text)
        return m.span() if m else None

    def occurs(self, text: str, probe: Probe | None) -> bool:
        """Whether ``search`` would find a match in ``text``."""
        return self.first(text, probe) is not None


_second = itemgetter(1)


class NeedleIndex:
    """The phrases of several word lists in one Aho-Corasick automaton.

    A sentence was tested against each list's phrases one substring search at a time, over
    a hundred searches per sentence; one pass of the automaton finds them all, and each
    list's :meth:`WordPattern.could_match` becomes a set test. Only for plain texts (see
    :class:`Probe`), nearly every sentence; the others test needles one by one.
    """

    def __init__(self, patterns: Iterable[WordPattern]) -> None:
        keys: set[str] = set()
        for pattern in patterns:
            keys.update(pattern.phrase_set)
            pattern.index = self
        self._automaton = ahocorasick.Automaton()
        for key in keys:
            self._automaton.add_word(key, key)
        self._automaton.make_automaton()

    def probes(self, text: str, spans: Iterable[tuple[int, int]]) -> list[Probe | None]:
        """:meth:`probe` of each ``text[start:end]``, from one pass of the automaton over the whole text.

        A pass has a fixed cost that outweighed the work on a sentence. Lower-casing the whole
        text and cutting it gives each piece lower-cased, when no character changes length
        ("İ") or depends on its neighbours (final "Σ"); otherwise each piece is probed alone.
        """
        low = text.lower()
        if len(low) != len(text) or "Σ" in text or _has_case_trap(text):
            return [self.probe(text[start:end]) for start, end in spans]
        # No case trap in the whole text, so none in any piece: each piece's probe is made here
        # directly rather than by probe() and _replace(), which cost more than the rest of the loop.
        hits = list(self._automaton.iter(low))  # (index of the last character, phrase), in text order
        out: list[Probe | None] = []
        next_hit = 0
        for start, end in spans:
            piece = text[start:end]
            if not piece.isprintable() or "  " in piece:
                out.append(Probe(low[start:end], False))  # what probe() gives a text that is not plain
                continue
            while next_hit < len(hits) and hits[next_hit][0] < start:
                next_hit += 1
            present = set()
            while next_hit < len(hits) and hits[next_hit][0] < end:
                last, phrase = hits[next_hit]
                if last - len(phrase) + 1 >= start:  # the whole phrase inside the piece
                    present.add(phrase)
                next_hit += 1
            out.append(Probe(low[start:end], True, self, frozenset(present)))
        return out

    def probe(self, text: str, low: str | None = None) -> Probe | None:
        """Like :func:`probe`, with the index's phrases that occur in a plain text."""
        lowered = probe(text, low)
        if lowered is None or not lowered.plain:
            return lowered
        return lowered._replace(found_by=self, present=frozenset(map(_second, self._automaton.iter(lowered.low))))


def _needles(words: Iterable[str]) -> tuple[str, ...] | None:
    """One plain substring per word that every match of the word contains, as few as will do.

    A word's needle is the longest ASCII run of its space-free pieces (a space in a word
    matches any run of whitespace, and only ASCII is safe from case-folding traps). A word
    already implied by a chosen needle ("visits" by "visit") adds nothing. None when some
    word has no ASCII at all: then nothing can be ruled out.
    """
    chosen: list[str] = []
    for word in sorted(words, key=lambda w: (len(w), w)):
        runs = [run for piece in word.split() for run in re.findall(r"[\x00-\x7f]+", piece)]
        if not runs:
            return None
        if any(needle in run for run in runs for needle in chosen):
            continue
        chosen.append(max(reversed(runs), key=len))  # on a tie the later piece: "the two" -> "two"
    return shortest(chosen)


def _phrases(words: Iterable[str]) -> tuple[str, ...] | None:
    """The words themselves, as found in a plain text (see :class:`Probe`); None if that is unsafe.

    In such a text a space in a word matches exactly one space, so a match is the word as
    written; this rules out far more sentences than a needle ("is in" rather than "in").
    """
    words = list(words)
    if any(not _LATIN1_AND_QUOTES.fullmatch(w) or w != " ".join(w.split()) for w in words):
        return None
    return shortest(words)


def shortest(needles: Iterable[str]) -> tuple[str, ...]:
    """The needles none of which contains another: a text with a longer one has the shorter too."""
    unique = sorted(set(needles), key=lambda n: (len(n), n))
    kept: list[str] = []
    for needle in unique:
        if not any(shorter in needle for shorter in kept):
            kept.append(needle)
    return tuple(kept)


def _lowercase_regex(trie: dict[str, Any]) -> re.Pattern[str] | None:
    """The trie's words as a case-sensitive pattern for lower-cased text that the engine can skip through.

    A leading ``\\b`` makes Python's engine try the pattern at every position. Here each
    first letter comes first and a look-behind then checks the character before it (for
    "visit": "v" not preceded by a word character), so the pattern starts with a literal and
    the engine jumps from one candidate letter to the next. None when a word has characters
    outside Latin-1 (the case-folding argument at ``_CASE_TRAPS`` covers only those) or
    starts with a space.
    """
    branches = []
    for ch, child in sorted(trie.items()):
        if not ch or ch.isspace() or not _LATIN1_AND_QUOTES.fullmatch(_words_of(child, ch)):
            return None
        first = re.escape(ch)
        boundary = rf"(?<!\w{first})" if re.match(r"\w", ch) else rf"(?<=\w{first})"
        branches.append(first + boundary + _trie_regex(child))
    if not branches:
        return None
    return re.compile(rf"(?:{'|'.join(branches)})(?![\w-])")


def _words_of(node: dict[str, Any], prefix: str) -> str:
    """Every character of every word below ``node`` (for the alphabet test), after ``prefix``."""
    return prefix + "".join(_words_of(child, ch) for ch, child in node.items() if ch)


# Regular expressions from the data that may run case-sensitively on lower-cased text: lower-case
# letters, digits, spaces, the usual operators and only the escapes \s \w \b \d (an upper-case
# escape such as \S, or \x41 for "A", would change meaning when lower-cased).
LOWERCASE_SAFE = re.compile(r"(?:[a-z0-9 ()?:|*+{},.^$\[\]'’-]|\\[swbd.()'\-])*")


def lowercase_source(pattern: str) -> re.Pattern[str] | None:
    """A case-insensitive data pattern, case-sensitive for lower-cased text; None unless plainly safe."""
    return re.compile(pattern) if LOWERCASE_SAFE.fullmatch(pattern) else None


def _trie_regex(node: dict[str, Any]) -> str:
    branches = [
        (r"\s+" if ch == " " else re.escape(ch)) + _trie_regex(child) for ch, child in sorted(node.items()) if ch
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


class TitleIndex:
    """Multi-word titles indexed by their first word, longest first: a set lookup per word."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in {" ".join(p.lower().split()) for p in phrases}:
            words = tuple(phrase.split())
            self._by_first.setdefault(words[0], []).append(words)
        for options in self._by_first.values():
            options.sort(key=len, reverse=True)
        self.first_words = frozenset(self._by_first)  # a word outside this set starts no title

    def find(self, words: list[str], *, at_start: bool = False) -> str | None:
        """The first title among lowercase ``words``; with ``at_start`` only one starting at index 0."""
        for i in range(1 if at_start else len(words)):
            for option in self._by_first.get(words[i], ()):
                if tuple(words[i : i + len(option)]) == option:
                    return " ".join(option)
        return None
