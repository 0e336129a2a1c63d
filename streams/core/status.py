"""Sentence context to occurred / planned / possible, and negation.

The nearest cue before the trigger wins ("may pay a visit" is possible, "will
visit" planned); a past-tense trigger is a fact unless a condition governs it;
a date on the other side of publication overrides tense, because the calendar
is more reliable than grammar in news copy ("Putin visits China next week").
"""

from __future__ import annotations

import re
from datetime import date

from schemas import Precision, Status
from streams.core.dates import ResolvedDate
from streams.core.lexicon import lexicon
from streams.core.patterns import pattern
from streams.core.wordpatterns import probe

_PAST_TRIGGER = re.compile(r"(?:ed|met|held|went|came|flew|spoke|sat down|shook hands|was in|were in)$", re.IGNORECASE)
_QUOTES = re.compile(r"[\"“”‘’]")
_HEADLINE_INFINITIVE = re.compile(r"^\s*to\s*$", re.IGNORECASE)
_PAST_PURPOSE = pattern("status.past_purpose")
_INFINITIVE_NOUN = pattern("status.infinitive_noun")
_IF_OR_WOULD = re.compile(r"\bif\b|\bwould\b", re.IGNORECASE)


def clause_status(before: str, trigger: str, *, verb: bool) -> Status:
    """Status from the text between the actor and the trigger (``before``) and the trigger's own form."""
    lex = lexicon()
    trig = trigger.strip()
    if lex.occurred_forms.search(before[-30:] + " " + trig):
        return Status.OCCURRED
    # a trigger may carry its own tense: "will be in Accra", "is due in Hanoi", "is expected in Lima"
    cue = _nearest_cue(before + " " + trig)
    if verb and _PAST_TRIGGER.search(trig) and not trig.lower().endswith("ing"):
        return Status.POSSIBLE if cue is Status.POSSIBLE and _IF_OR_WOULD.search(before) else Status.OCCURRED
    if cue is not None:
        return cue
    if (verb and _HEADLINE_INFINITIVE.match(before[-4:])) or (not verb and _INFINITIVE_NOUN.search(before[-40:])):
        if _PAST_PURPOSE.search(before):
            # purpose of a past act: "flew to Paris to meet Macron", "held a ceremony to welcome him"
            return Status.OCCURRED
        return Status.PLANNED  # headline style: "Putin to visit North Korea"
    return Status.OCCURRED


def _nearest_cue(before: str) -> Status | None:
    lex = lexicon()
    lowered = probe(before)
    best: tuple[int, Status] | None = None
    for cues, status in ((lex.possible, Status.POSSIBLE), (lex.planned, Status.PLANNED)):
        for _, end in cues.scan(before, lowered):
            if best is None or end > best[0]:
                best = (end, status)
    return best[1] if best else None


def with_date(status: Status, resolved: ResolvedDate | None, published: date, *, expectation: bool) -> Status:
    """Let the calendar correct the grammar, and turn a vague expectation into a possibility."""
    if resolved is None:
        return Status.POSSIBLE if expectation and status is Status.PLANNED else status
    last_day = resolved.date_end or resolved.date
    if resolved.precision is Precision.MONTH:
        before = (resolved.date.year, resolved.date.month) < (published.year, published.month)
        after = (resolved.date.year, resolved.date.month) > (published.year, published.month)
    elif resolved.precision is Precision.YEAR:
        before, after = resolved.date.year < published.year, resolved.date.year > published.year
    else:
        before, after = last_day < published, resolved.date > published
    if before and status is not Status.OCCURRED:
        return Status.OCCURRED
    if after and status is Status.OCCURRED:
        return Status.PLANNED
    return status


def negated(before: str, after: str) -> bool:
    """A negation right before the trigger ("did not visit") or a denial after it ("not on the agenda")."""
    lex = lexicon()
    near = " ".join(_last_words_unquoted(before, 4))
    return bool(lex.negations.search(near) or lex.negated_phrases.search(_head_unquoted(after, 60)))


def _last_words_unquoted(text: str, n: int) -> list[str]:
    """``_QUOTES.sub("", text).split()[-n:]``, reading only the end of a long text.

    Removing quotes never touches whitespace, so the words of the text's last 80 characters
    are its last words, except that the first may be cut; with more than ``n`` of them the
    last ``n`` are whole.
    """
    words = _QUOTES.sub("", text[-80:]).split()
    if len(words) > n or len(text) <= 80:
        return words[-n:]
    return _QUOTES.sub("", text).split()[-n:]


def _head_unquoted(text: str, n: int) -> str:
    """``_QUOTES.sub("", text)[:n]``, reading only the start of a long text."""
    head = _QUOTES.sub("", text[: 2 * n])
    if len(head) >= n or len(text) <= 2 * n:
        return head[:n]
    return _QUOTES.sub("", text)[:n]


def unmarked_cue(before: str) -> bool:
    """True when the words before a noun trigger do mark it as a fact ("has made", "held")."""
    return _FACT_MARKER.search(before[-40:]) is not None


# compiled once: re.search() with a pattern string looks it up in re's cache on every call
_FACT_MARKER = re.compile(
    r"\b(?:made|paid|held|hosted|concluded|ended|wrapped\s+up|completed|began|started|"
    r"undertook|during|after|since|last|recent|previous|earlier|first)\b",
    re.I,
)
