"""The word lists of ``data/lexicon.toml``, compiled once into regular expressions."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick

DATA_DIR = Path(__file__).parent / "data"


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
    return _shortest(chosen)


def _phrases(words: Iterable[str]) -> tuple[str, ...] | None:
    """The words themselves, as found in a plain text (see :class:`Probe`); None if that is unsafe.

    In such a text a space in a word matches exactly one space, so a match is the word as
    written; this rules out far more sentences than a needle ("is in" rather than "in").
    """
    words = list(words)
    if any(not _LATIN1_AND_QUOTES.fullmatch(w) or w != " ".join(w.split()) for w in words):
        return None
    return _shortest(words)


def _shortest(needles: Iterable[str]) -> tuple[str, ...]:
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
_LOWERCASE_SAFE = re.compile(r"(?:[a-z0-9 ()?:|*+{},.^$\[\]'’-]|\\[swbd.()'\-])*")


def _lowercase_source(pattern: str) -> re.Pattern[str] | None:
    """A case-insensitive data pattern, case-sensitive for lower-cased text; None unless plainly safe."""
    return re.compile(pattern) if _LOWERCASE_SAFE.fullmatch(pattern) else None


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


@dataclass(frozen=True, slots=True)
class Lexicon:
    raw: dict[str, Any]
    leader_titles: WordPattern
    official_titles: WordPattern
    title_words: frozenset[str]
    leader_title_index: TitleIndex
    official_title_index: TitleIndex
    non_state: frozenset[str]
    modifiers: frozenset[str]
    visit_verbs: WordPattern
    visit_motion: WordPattern
    visit_nouns: WordPattern
    visit_host: WordPattern
    visit_presence: WordPattern
    visit_expected: WordPattern
    visit_dispatch: WordPattern
    visit_dispatched: WordPattern
    visit_non_diplomatic: frozenset[str]
    invitation_verbs: WordPattern
    invitation_nouns: WordPattern
    invitation_accept: WordPattern
    invitation_receive: WordPattern
    host_not_guests: frozenset[str]
    invitation_non_diplomatic: WordPattern
    summit_nouns: WordPattern
    meeting_nouns: WordPattern
    summit_verbs: WordPattern
    summit_pair_verbs: WordPattern
    summit_non_diplomatic: frozenset[str]
    summit_multilateral: frozenset[str]
    speech: WordPattern
    sanction_cues: WordPattern
    sanction_non_diplomatic: WordPattern
    speaker_organs: frozenset[str]
    possible: WordPattern
    planned: WordPattern
    occurred_forms: WordPattern
    occurred_after_noun: WordPattern
    happening_now: WordPattern
    negations: WordPattern
    negated_phrases: WordPattern
    generic: WordPattern
    generic_after: WordPattern
    opinion: WordPattern
    pair_coref: WordPattern
    pronouns: frozenset[str]
    date_blockers: WordPattern
    speech_dates: WordPattern
    any_trigger: WordPattern
    non_diplomatic_context: WordPattern
    attributive_prepositions: frozenset[str]
    # the needles of the lists searched in whole sentences, for probes of sentences (see NeedleIndex)
    sentence_index: NeedleIndex | None = None


# The word lists searched in whole sentences (the rest run on a few words around a trigger).
_SENTENCE_LISTS = (
    "any_trigger",
    "visit_verbs",
    "visit_motion",
    "visit_nouns",
    "visit_host",
    "visit_presence",
    "visit_expected",
    "visit_dispatch",
    "invitation_verbs",
    "invitation_nouns",
    "invitation_non_diplomatic",
    "summit_nouns",
    "meeting_nouns",
    "summit_verbs",
    "summit_pair_verbs",
    "speech",
    "sanction_non_diplomatic",
    "generic",
    "generic_after",
    "opinion",
    "pair_coref",
    "non_diplomatic_context",
)


_MOTION_ADVERBS = r"(?:\s+(?:on|back|onward|onwards|directly|straight|off))?"


def _motion(motion: WordPattern, verbs: list[str], prepositions: list[str]) -> WordPattern:
    """A motion verb with its destination preposition ("travelled to"), with the same shortcuts as a word list."""
    tail = rf"{_MOTION_ADVERBS}\s+(?:{'|'.join(prepositions)})\b"
    lowercase = None
    if motion.lowercase is not None and all(_LOWERCASE_SAFE.fullmatch(p) for p in prepositions):
        lowercase = re.compile(motion.lowercase.pattern + tail)
    return WordPattern(
        re.compile(motion.pattern + tail, re.IGNORECASE),
        needles=motion.needles,  # every match starts with a motion verb
        phrases=None if motion.phrases is None else _shortest(f"{verb.lower()} " for verb in verbs),
        lowercase=lowercase,
    )


def _cues(cues: list[str]) -> WordPattern:
    """What a sanction warning threatens: the data's regular expressions, one alternation."""
    source = "|".join(f"(?:{p})" for p in cues)
    return WordPattern(re.compile(source, re.IGNORECASE), lowercase=_lowercase_source(source))


@cache
def lexicon() -> Lexicon:
    d = tomllib.loads((DATA_DIR / "lexicon.toml").read_text(encoding="utf-8"))
    t, v, i, s, w, st, c = (
        d[k] for k in ("titles", "visit", "invitation", "summit", "sanction_warning", "status", "coreference")
    )
    title_words = {
        word for phrase in [*t["leader"], *t["official"], *t["modifiers"]] for word in phrase.lower().split()
    }
    motion = words_pattern(v["motion"])
    lex = Lexicon(
        raw=d,
        leader_titles=words_pattern(t["leader"]),
        official_titles=words_pattern(t["official"]),
        title_words=frozenset(title_words),
        leader_title_index=TitleIndex(t["leader"]),
        official_title_index=TitleIndex(t["official"]),
        non_state=frozenset(w.lower() for w in t["non_state"]),
        modifiers=frozenset(w.lower() for w in t["modifiers"]),
        visit_verbs=words_pattern(v["verbs"]),
        visit_motion=_motion(motion, v["motion"], v["motion_prepositions"]),
        visit_nouns=words_pattern(v["nouns"]),
        visit_host=words_pattern(v["host"]),
        visit_presence=words_pattern(v["presence"]),
        visit_expected=words_pattern(v["expected"]),
        visit_dispatch=words_pattern(v["dispatch"]),
        visit_dispatched=words_pattern(v["dispatched"]),
        visit_non_diplomatic=frozenset(x.lower() for x in v["non_diplomatic"]),
        invitation_verbs=words_pattern(i["verbs"]),
        invitation_nouns=words_pattern(i["nouns"]),
        invitation_accept=words_pattern(i["accept"]),
        invitation_receive=words_pattern(i["receive"]),
        host_not_guests=frozenset(v["host_not_guests"]),
        invitation_non_diplomatic=words_pattern(i["non_diplomatic"]),
        summit_nouns=words_pattern(s["summit_nouns"]),
        meeting_nouns=words_pattern(s["meeting_nouns"]),
        summit_verbs=words_pattern(s["verbs"]),
        summit_pair_verbs=words_pattern(s["pair_verbs"]),
        summit_non_diplomatic=frozenset(x.lower() for x in s["non_diplomatic"]),
        summit_multilateral=frozenset(x.lower() for x in s["multilateral"]),
        speech=words_pattern(w["speech"]),
        sanction_cues=_cues(w["cues"]),
        sanction_non_diplomatic=words_pattern(w["non_diplomatic"]),
        speaker_organs=frozenset(w["speaker_organs"]),
        possible=words_pattern(st["possible"]),
        planned=words_pattern(st["planned"]),
        occurred_forms=words_pattern(st["occurred_forms"]),
        occurred_after_noun=words_pattern(st["occurred_after_noun"]),
        happening_now=words_pattern(st["happening_now"]),
        negations=words_pattern(st["negations"]),
        negated_phrases=words_pattern(st["negated_phrases"]),
        generic=words_pattern(st["generic"]),
        generic_after=words_pattern(st["generic_after"]),
        opinion=words_pattern(st["opinion"]),
        pair_coref=words_pattern(c["pair"]),
        pronouns=frozenset(c["pronouns"]),
        date_blockers=words_pattern(c["date_blockers"]),
        speech_dates=words_pattern(c["speech_dates"]),
        non_diplomatic_context=words_pattern(d["context"]["non_diplomatic"]),
        attributive_prepositions=frozenset(d["context"]["attributive_prepositions"]),
        any_trigger=words_pattern(
            [
                *v["verbs"],
                *v["nouns"],
                *v["host"],
                *v["attend"],
                *v["dispatch"],
                *i["verbs"],
                *i["nouns"],
                *s["summit_nouns"],
                *s["meeting_nouns"],
                *s["verbs"],
                *s["pair_verbs"],
                *w["trigger_words"],
            ]
        ),
    )
    return replace(lex, sentence_index=NeedleIndex(getattr(lex, name) for name in _SENTENCE_LISTS))
