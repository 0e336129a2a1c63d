"""Text spans to countries: the gazetteer, officials with their terms, state organs.

All knowledge lives in ``data/`` (countries.json, officials.json, organs.json);
this module only compiles it into one Aho-Corasick automaton and resolves
matches in an article's context: a bare surname ("Kim") is a person only once
the article has named them in full, or when the surname alone is unmistakable
("Putin"); "the North" is North Korea only where Korea is being discussed.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import ahocorasick

DATA_DIR = Path(__file__).parent / "data"
LEADER_ROLES = frozenset({"head_of_state", "head_of_government", "paramount_leader"})


class MentionKind(StrEnum):
    COUNTRY = "country"  # "North Korea", "DPRK"
    DEMONYM = "demonym"  # "Russian", "North Korean"
    CAPITAL = "capital"  # "Pyongyang"
    METONYM = "metonym"  # "the Kremlin"
    REGION = "region"  # "Primorsky Krai", "Istanbul": a place in its country, an actor only with a title
    PERSON = "person"  # "Vladimir Putin", "Putin"
    ORGAN = "organ"  # "KCNA", "State Department"


PLACE_KINDS = frozenset({MentionKind.COUNTRY, MentionKind.CAPITAL, MentionKind.METONYM, MentionKind.REGION})


@dataclass(frozen=True, slots=True)
class Term:
    role: str
    start: date
    end: date | None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Official:
    name: str
    country: str
    terms: tuple[Term, ...]
    surname_alone: bool

    def role_at(self, day: date) -> str | None:
        roles = [t.role for t in self.terms if t.covers(day)]
        leader = [r for r in roles if r in LEADER_ROLES]
        return (leader or roles)[0] if roles else None

    def is_leader_at(self, day: date) -> bool:
        return any(t.role in LEADER_ROLES and t.covers(day) for t in self.terms)

    def ever_leader(self) -> bool:
        return any(t.role in LEADER_ROLES for t in self.terms)


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, three
# times slower, and an article yields about a hundred mentions. Nothing changes one once made.
@dataclass(slots=True)
class Mention:
    """One resolved actor mention; ``person`` is the canonical name for people."""

    start: int
    end: int
    text: str
    code: str
    kind: MentionKind
    person: str | None = None


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: MentionKind
    code: str | None = None  # None for surnames, resolved in context
    person: str | None = None
    surname_of: tuple[str, ...] = ()
    surname_alone: str | None = None  # the one of ``surname_of`` whose surname alone names them ("Putin")
    context_requires: frozenset[str] = frozenset()
    ambiguous: bool = False
    blocker: bool = False  # "South China Sea": consumes the match, resolves to nothing


@dataclass(slots=True)
class Gazetteer:
    """Compiled dictionaries; build once with :func:`gazetteer`."""

    automaton: Any
    officials: dict[str, Official]
    names: dict[str, str] = field(default_factory=dict)  # code -> country name

    def official(self, name: str | None) -> Official | None:
        return self.officials.get(name) if name else None

    def find(self, text: str, published: date) -> list[Mention]:
        """Every actor mention in ``text``, leftmost-longest, resolved in the article's context."""
        raw = _leftmost_longest(self._raw_matches(text))
        full_names: Counter[str] = Counter()
        codes: set[str] = set()
        for _, _, entry in raw:
            if entry.person:
                full_names[entry.person] += 1
            if entry.code and not entry.context_requires:
                codes.add(entry.code)
        out: list[Mention] = []
        seen_people: list[str] = []
        known = set(full_names)  # with the people surnames resolve to: whom a later surname may mean
        for start, end, entry in raw:
            surface = text[start:end]
            if entry.blocker:
                continue
            if entry.ambiguous and _looks_like_a_name(text, start, end):
                continue
            if entry.context_requires:
                if not entry.context_requires & codes:
                    continue
                out.append(Mention(start, end, surface, entry.code or "", entry.kind))
                continue
            if entry.surname_of:
                person = self._resolve_surname(entry, known, seen_people, full_names, published)
                if person is None:
                    continue
                official = self.officials[person]
                out.append(Mention(start, end, surface, official.country, MentionKind.PERSON, person))
                seen_people.append(person)
                known.add(person)
                continue
            if entry.person:
                seen_people.append(entry.person)
            out.append(Mention(start, end, surface, entry.code or "", entry.kind, entry.person))
        return out

    def _raw_matches(self, text: str) -> list[tuple[int, int, _Entry]]:
        """Every dictionary form found in ``text`` as a whole word (see :func:`_boundary`, inlined here)."""
        out: list[tuple[int, int, _Entry]] = []
        size = len(text)
        for end_index, entries in self.automaton.iter(text):
            end = end_index + 1
            after = text[end] if end < size else " "
            if after.isalnum() or after == "_":
                continue
            for length, entry in entries:
                start = end - length
                before = text[start - 1] if start > 0 else " "
                if not (before.isalnum() or before == "_"):
                    out.append((start, end, entry))
        return out

    def _resolve_surname(
        self, entry: _Entry, known: set[str], seen: list[str], full_names: Counter[str], published: date
    ) -> str | None:
        """The person a bare surname names: one the article named before, else the one it alone names.

        ``known`` holds the names in ``full_names`` and ``seen``: one set test rules out every
        candidate at once, which matters for a surname shared by twenty officials ("Kim").
        """
        candidates = entry.surname_of
        if known.isdisjoint(candidates):
            return entry.surname_alone
        named = [c for c in candidates if c in known]
        if len(named) == 1:
            return named[0]

        def rank(name: str) -> tuple[int, int, int]:
            official = self.officials[name]
            recency = max((i for i, p in enumerate(seen) if p == name), default=-1)
            return (official.is_leader_at(published), full_names[name], recency)

        return max(named, key=rank)


def _boundary(text: str, start: int, end: int) -> bool:
    """Whole words only: "Oman" is not in "woman", "Niger" not in "Nigeria"."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


def _looks_like_a_name(text: str, start: int, end: int) -> bool:
    """ "Michael Jordan", "Chad Smith": a capitalised word glued to an ambiguous country name."""
    before = text[max(0, start - 30) : start].split()
    after = text[end : end + 30].split()
    prev_word = before[-1] if before else ""
    next_word = after[0] if after else ""
    prev_is_name = (
        prev_word[:1].isupper() and prev_word.isalpha() and prev_word not in ("The", "In", "From", "To", "And")
    )
    next_is_name = next_word[:1].isupper() and next_word.isalpha() and next_word.lower() not in _title_words()
    return prev_is_name or next_is_name


@cache
def _title_words() -> frozenset[str]:
    from streams.core.lexicon import lexicon

    return lexicon().title_words


def _leftmost_longest(matches: list[tuple[int, int, _Entry]]) -> list[tuple[int, int, _Entry]]:
    # Sorted by start, longest first, then in the order found: plain tuples sort without a key
    # function called per match.
    order = [(start, start - end, i) for i, (start, end, _) in enumerate(matches)]
    order.sort()
    out: list[tuple[int, int, _Entry]] = []
    last_end = -1
    for start, _, i in order:
        if start >= last_end:
            out.append(matches[i])
            last_end = matches[i][1]
    return out


# --- loading -----------------------------------------------------------------------------------


def _load(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


_APOSTROPHES = ("'", "’", "ʻ", "‘")


def _variants(form: str) -> set[str]:
    """Apostrophe and article-capitalisation variants of one surface form.

    News writes one apostrophe several ways: straight, curly, and in Pacific names the ʻokina
    ("Mataʻafa", "Tupouʻtoʻa") or a left quote standing in for it; each is the same name.
    """
    out = {form}
    if any(mark in form for mark in _APOSTROPHES):
        plain = form
        for mark in _APOSTROPHES:
            plain = plain.replace(mark, "'")
        out |= {plain.replace("'", mark) for mark in _APOSTROPHES}
    for f in list(out):
        if f.startswith("the "):
            out.add("The " + f[4:])
    return {f for f in out if f.strip()}


@cache
def gazetteer() -> Gazetteer:
    """Compile the data files into one automaton; cached for the process."""
    forms: dict[str, list[_Entry]] = {}

    def add(form: str, entry: _Entry) -> None:
        for variant in _variants(form):
            bucket = forms.setdefault(variant, [])
            if entry not in bucket:
                bucket.append(entry)

    countries = _load("countries.json")
    names: dict[str, str] = {}
    for c in countries["countries"]:
        code = c["code"]
        names[code] = c["name"]
        ambiguous = set(c.get("ambiguous", []))
        for key, kind in (
            ("name", MentionKind.COUNTRY),
            ("aliases", MentionKind.COUNTRY),
            ("demonyms", MentionKind.DEMONYM),
            ("capitals", MentionKind.CAPITAL),
            ("metonyms", MentionKind.METONYM),
            ("regions", MentionKind.REGION),
            ("cities", MentionKind.REGION),  # places only: destinations and venues, never actors
        ):
            values = c.get(key) or []
            for form in [values] if isinstance(values, str) else values:
                add(form, _Entry(kind=kind, code=code, ambiguous=form in ambiguous))
        for demonym in c.get("demonyms") or []:
            if demonym not in ambiguous:
                for template, kind_name in countries.get("demonym_forms", {}).items():
                    add(template.format(demonym=demonym), _Entry(kind=MentionKind(kind_name), code=code))
    for ctx in countries.get("contextual", []):
        kind = MentionKind.DEMONYM if ctx["alias"][:1].isupper() and ctx["alias"].endswith("n") else MentionKind.COUNTRY
        add(ctx["alias"], _Entry(kind=kind, code=ctx["code"], context_requires=frozenset(ctx["requires_any"])))

    for form in countries.get("not_actors", []):
        add(form, _Entry(kind=MentionKind.COUNTRY, blocker=True))

    for organ in _load("organs.json")["organs"]:
        for form in [organ["name"], *organ.get("aliases", [])]:
            add(form, _Entry(kind=MentionKind.ORGAN, code=organ["country"]))

    officials: dict[str, Official] = {}
    surnames: dict[str, list[str]] = {}
    people = [o for path in sorted(DATA_DIR.glob("officials*.json")) for o in _load(path.name)["officials"]]
    for o in people:
        terms = tuple(
            Term(t["role"], date.fromisoformat(t["start"]), date.fromisoformat(t["end"]) if t.get("end") else None)
            for t in o["terms"]
        )
        official = Official(o["name"], o["country"], terms, bool(o.get("surname_alone")))
        officials[official.name] = official
        for form in [o["name"], *o.get("aliases", [])]:
            add(form, _Entry(kind=MentionKind.PERSON, code=o["country"], person=o["name"]))
        sn = o.get("surname") or []
        for s in [sn] if isinstance(sn, str) else sn:
            surnames.setdefault(s, []).append(o["name"])
    for surname, people in surnames.items():
        alone = [name for name in people if officials[name].surname_alone]
        entry = _Entry(
            kind=MentionKind.PERSON, surname_of=tuple(people), surname_alone=alone[0] if len(alone) == 1 else None
        )
        for variant in _variants(surname):
            # a full name or country spelled the same way wins over a surname
            forms.setdefault(variant, [entry])

    automaton = ahocorasick.Automaton()
    for form, entries in forms.items():
        automaton.add_word(form, [(len(form), entries[0])])
    automaton.make_automaton()
    return Gazetteer(automaton=automaton, officials=officials, names=names)
