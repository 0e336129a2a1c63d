"""The word lists of ``data/lexicon.toml``, compiled once into regular expressions."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from streams.core.wordpatterns import (
    LOWERCASE_SAFE,
    NeedleIndex,
    TitleIndex,
    WordPattern,
    lowercase_source,
    shortest,
    words_pattern,
)

DATA_DIR = Path(__file__).parent / "data"


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
    if motion.lowercase is not None and all(LOWERCASE_SAFE.fullmatch(p) for p in prepositions):
        lowercase = re.compile(motion.lowercase.pattern + tail)
    return WordPattern(
        re.compile(motion.pattern + tail, re.IGNORECASE),
        needles=motion.needles,  # every match starts with a motion verb
        phrases=None if motion.phrases is None else shortest(f"{verb.lower()} " for verb in verbs),
        lowercase=lowercase,
    )


def _cues(cues: list[str]) -> WordPattern:
    """What a sanction warning threatens: the data's regular expressions, one alternation."""
    source = "|".join(f"(?:{p})" for p in cues)
    return WordPattern(re.compile(source, re.IGNORECASE), lowercase=lowercase_source(source))


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
