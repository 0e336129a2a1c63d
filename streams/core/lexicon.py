"""The word lists of ``data/lexicon.toml``, compiled once into regular expressions."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"


def words_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Whole-word, case-insensitive match of any of ``words`` (a space matches any whitespace).

    The alternation is shaped as a trie ("visit(?:ed|ing|s)?") rather than a flat list:
    Python's regex engine then rejects most positions on the first character, which made
    the extractor several times faster on long word lists.
    """
    trie: dict[str, Any] = {}
    for word in {w.lower() for w in words if w.strip()}:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return re.compile(rf"\b{_trie_regex(trie)}(?![\w-])", re.IGNORECASE)


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
    leader_titles: re.Pattern[str]
    official_titles: re.Pattern[str]
    title_words: frozenset[str]
    leader_title_index: TitleIndex
    official_title_index: TitleIndex
    non_state: frozenset[str]
    modifiers: frozenset[str]
    visit_verbs: re.Pattern[str]
    visit_motion: re.Pattern[str]
    visit_nouns: re.Pattern[str]
    visit_host: re.Pattern[str]
    visit_presence: re.Pattern[str]
    visit_non_diplomatic: frozenset[str]
    invitation_verbs: re.Pattern[str]
    invitation_nouns: re.Pattern[str]
    invitation_accept: re.Pattern[str]
    invitation_non_diplomatic: re.Pattern[str]
    summit_nouns: re.Pattern[str]
    meeting_nouns: re.Pattern[str]
    summit_verbs: re.Pattern[str]
    summit_non_diplomatic: frozenset[str]
    speech: re.Pattern[str]
    sanction_cues: re.Pattern[str]
    sanction_non_diplomatic: re.Pattern[str]
    possible: re.Pattern[str]
    planned: re.Pattern[str]
    occurred_forms: re.Pattern[str]
    negations: re.Pattern[str]
    negated_phrases: re.Pattern[str]
    generic: re.Pattern[str]
    pair_coref: re.Pattern[str]
    pronouns: frozenset[str]
    date_blockers: re.Pattern[str]
    speech_dates: re.Pattern[str]
    any_trigger: re.Pattern[str]
    non_diplomatic_context: re.Pattern[str]
    attributive_prepositions: frozenset[str]


@cache
def lexicon() -> Lexicon:
    d = tomllib.loads((DATA_DIR / "lexicon.toml").read_text(encoding="utf-8"))
    t, v, i, s, w, st, c = (
        d[k] for k in ("titles", "visit", "invitation", "summit", "sanction_warning", "status", "coreference")
    )
    title_words = {
        word for phrase in [*t["leader"], *t["official"], *t["modifiers"]] for word in phrase.lower().split()
    }
    return Lexicon(
        raw=d,
        leader_titles=words_pattern(t["leader"]),
        official_titles=words_pattern(t["official"]),
        title_words=frozenset(title_words),
        leader_title_index=TitleIndex(t["leader"]),
        official_title_index=TitleIndex(t["official"]),
        non_state=frozenset(w.lower() for w in t["non_state"]),
        modifiers=frozenset(w.lower() for w in t["modifiers"]),
        visit_verbs=words_pattern(v["verbs"]),
        visit_motion=re.compile(
            rf"{words_pattern(v['motion']).pattern}(?:\s+(?:on|back|onward|onwards|directly|straight))?"
            rf"\s+(?:{'|'.join(v['motion_prepositions'])})\b",
            re.IGNORECASE,
        ),
        visit_nouns=words_pattern(v["nouns"]),
        visit_host=words_pattern(v["host"]),
        visit_presence=words_pattern(v["presence"]),
        visit_non_diplomatic=frozenset(x.lower() for x in v["non_diplomatic"]),
        invitation_verbs=words_pattern(i["verbs"]),
        invitation_nouns=words_pattern(i["nouns"]),
        invitation_accept=words_pattern(i["accept"]),
        invitation_non_diplomatic=words_pattern(i["non_diplomatic"]),
        summit_nouns=words_pattern(s["summit_nouns"]),
        meeting_nouns=words_pattern(s["meeting_nouns"]),
        summit_verbs=words_pattern(s["verbs"]),
        summit_non_diplomatic=frozenset(x.lower() for x in s["non_diplomatic"]),
        speech=words_pattern(w["speech"]),
        sanction_cues=re.compile("|".join(f"(?:{p})" for p in w["cues"]), re.IGNORECASE),
        sanction_non_diplomatic=words_pattern(w["non_diplomatic"]),
        possible=words_pattern(st["possible"]),
        planned=words_pattern(st["planned"]),
        occurred_forms=words_pattern(st["occurred_forms"]),
        negations=words_pattern(st["negations"]),
        negated_phrases=words_pattern(st["negated_phrases"]),
        generic=words_pattern(st["generic"]),
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
                *i["verbs"],
                *i["nouns"],
                *s["summit_nouns"],
                *s["meeting_nouns"],
                *s["verbs"],
                "sanction",
                "sanctions",
                "violation",
                "violations",
                "violate",
                "violates",
                "violated",
                "breach",
                "breaches",
                "punitive",
            ]
        ),
    )
