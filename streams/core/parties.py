"""The parties a sentence names: mentions grouped into people and governments, and what rules ask of them.

"Russian | Foreign Minister | Sergei Lavrov" is three mentions and one party. Whether a party is a
leader, an official, a state acting or only a place of origin decides which roles it can fill; the
small predicates at the end are those questions, named once so every rule asks them the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from streams.core.actors import PLACE_KINDS, Gazetteer, Mention, MentionKind
from streams.core.lexicon import Lexicon, lexicon
from streams.core.patterns import pattern
from streams.core.text import contains_any

_THEN = pattern("parties.then")
_STATE_KINDS = frozenset({MentionKind.COUNTRY, MentionKind.CAPITAL, MentionKind.METONYM, MentionKind.ORGAN})


@dataclass(slots=True)
class Actor:
    """A group of mentions that name one party: "Russia's President Vladimir Putin"."""

    start: int
    end: int
    code: str
    person: str | None
    kinds: frozenset[MentionKind]
    leader: bool
    titled: bool
    codes: tuple[str, ...] = ()
    via: str = "explicit"  # "explicit" | "pronoun" | "pair"
    attributive: bool = False  # "tourists from Germany": a place of origin, not a state acting
    counterpart: bool = False  # "his Japanese counterpart": as high as whoever's counterpart it is

    @property
    def is_place(self) -> bool:
        return self.person is None and not self.titled and not self.kinds.isdisjoint(PLACE_KINDS)

    @property
    def governmental(self) -> bool:
        if self.attributive:
            return False
        return (
            self.via != "explicit" or self.person is not None or self.titled or not self.kinds.isdisjoint(_STATE_KINDS)
        )

    @property
    def can_travel(self) -> bool:
        """People, delegations and named states travel; a building or a news agency does not."""
        if self.attributive:
            return False
        return self.person is not None or self.titled or self.via == "pronoun" or MentionKind.COUNTRY in self.kinds


@dataclass(slots=True)
class Offices:
    """The gazetteer's officials as of one publication date, each looked up once.

    An article names the same few people again and again; walking their terms for every
    mention was a noticeable part of the extractor's time.
    """

    gaz: Gazetteer
    day: date
    _known: dict[str, tuple[bool, bool]] = field(default_factory=dict)

    def leader_flags(self, person: str) -> tuple[bool, bool]:
        """(a leader on the day, ever a leader) for a person of the gazetteer.

        A leader on the day is one in a leader's office then, or a former leader who holds
        no office at all then (named in a historical passage).
        """
        flags = self._known.get(person)
        if flags is None:
            official = self.gaz.officials[person]
            ever = official.ever_leader()
            now = official.is_leader_at(self.day) or (ever and not official.role_at(self.day))
            flags = self._known[person] = (now, ever)
        return flags


def group_actors(mentions: list[Mention], text: str, offset: int, offices: Offices, lex: Lexicon) -> list[Actor]:
    """Merge mentions separated only by titles ("Russian | Foreign Minister | Sergei Lavrov")."""
    groups: list[list[Mention]] = []
    for m in mentions:
        if groups:
            last = groups[-1]
            if m.code == last[0].code and _only_titles(text[last[-1].end - offset : m.start - offset], lex):
                last.append(m)
                continue
        groups.append([m])
    return [_actor(g, text, offset, offices, lex) for g in groups]


_POSSESSIVE_OR_PUNCT = pattern("parties.possessive_or_punct")
WORD = pattern("parties.word")
_LEADING_POSSESSIVE = pattern("parties.leading_possessive")
_TITLE_FILLER = frozenset({"the", "of", "comrade", "mr", "mrs", "ms", "dr", "then", "and"})


_DEMONYM_ONLY = frozenset({MentionKind.DEMONYM})


_ONE_KIND = {kind: frozenset({kind}) for kind in MentionKind}


def _only_titles(gap: str, lex: Lexicon) -> bool:
    words = _POSSESSIVE_OR_PUNCT.sub(" ", gap).lower().split()
    return len(words) <= 6 and all(w in lex.title_words or w in _TITLE_FILLER for w in words) and "and" not in words[:1]


def _actor(group: list[Mention], text: str, offset: int, offices: Offices, lex: Lexicon) -> Actor:
    """One actor from its mentions: a person's office and title, or the title a state word heads.

    Each test runs only when its answer can still matter: a person in a leader's office on
    the day needs no title, and a bare demonym with no title after it has none.
    """
    start, end = group[0].start, group[-1].end
    person = group[0].person if len(group) == 1 else next((m.person for m in group if m.person), None)
    kinds = _ONE_KIND[group[0].kind] if len(group) == 1 else frozenset(m.kind for m in group)
    rel_start, rel_end = start - offset, end - offset
    before = text[max(0, rel_start - 40) : rel_start]
    if person is not None:
        leader_now, ever_leader = offices.leader_flags(person)
        leader = (
            leader_now
            or (ever_leader and _THEN.search(before[-12:]) is not None)
            or _zone_titles(text[rel_start:rel_end], before, None, lex)[0]
        )
        return Actor(start, end, offices.gaz.officials[person].country, person, kinds, leader, True)
    head = _head_title(text[rel_end : rel_end + 60], lex)
    if kinds == _DEMONYM_ONLY and not head:
        leader, titled = False, False
    else:
        leader, titled = _zone_titles(text[rel_start:rel_end], before, head, lex)
    if head and titled:
        title_at = text.find(head, rel_end)
        if 0 <= title_at - rel_end <= 12:
            end = title_at + len(head) + offset
    return Actor(
        start,
        end,
        group[-1].code,
        None,
        kinds,
        leader,
        titled,
        attributive=_attributive(before, lex),
        counterpart=head is not None and head.lower().endswith(("counterpart", "counterparts")),
    )


def _zone_titles(inner: str, before: str, head: str | None, lex: Lexicon) -> tuple[bool, bool]:
    """(a leader's title, any title) among the actor's words, the titles right before it and its head title."""
    adjacent = _adjacent_titles(before, lex)
    if not adjacent and not head:
        return _titles_within(inner)  # the actor's own words only: the same for every "Russia"
    return _titles_among(WORD.findall(" ".join([inner, *adjacent, head or ""]).lower()), lex)


@lru_cache(maxsize=4096)
def _titles_within(inner: str) -> tuple[bool, bool]:
    """:func:`_titles_among` the words of a mention group's own text, kept per text."""
    return _titles_among(WORD.findall(f"{inner} ".lower()), lexicon())


def _titles_among(zone: list[str], lex: Lexicon) -> tuple[bool, bool]:
    """(a leader's title, any title) among lower-case words."""
    leaders, officials = lex.leader_title_index, lex.official_title_index
    if leaders.first_words.isdisjoint(zone) and officials.first_words.isdisjoint(zone):
        return False, False  # no word that starts a title: the common case, without a lookup per word
    if leaders.find(zone) is not None:
        return True, True
    return False, officials.find(zone) is not None


def _adjacent_titles(before: str, lex: Lexicon) -> list[str]:
    """The title words right before a mention ("President", "Foreign Minister"), stopping at any other word."""
    window = before[-40:]
    if possessive := _LEADING_POSSESSIVE.match(window):
        window = window[possessive.end() :]
    last_chunk = window.rsplit(None, 1)[-1] if window.strip() else ""
    last_words = WORD.findall(last_chunk)
    if last_words and last_words[-1].lower() not in lex.title_words and last_words[-1].lower() != "then":
        return []  # the word right before is no title (the common case): decided without reading further back
    words: list[str] = WORD.findall(window)
    run: list[str] = []
    for word in reversed(words[-4:]):
        if word.lower() not in lex.title_words and word.lower() != "then":
            break
        run.insert(0, word)
    return run


def _attributive(before: str, lex: Lexicon) -> bool:
    """ "tourists from [Germany]", "the head of [South Korea]'s party": governed by a non-official noun."""
    low = before[-40:].lower()
    if not contains_any(low, lex.attributive_prepositions):
        return False  # the last word cannot be one: no need to split the words
    words = WORD.findall(low)
    if len(words) < 2 or words[-1] not in lex.attributive_prepositions:
        return False
    noun = words[-2]
    return noun not in lex.title_words and noun not in ("the", "a", "an", "visit", "invitation", "president", "leader")


def _head_title(after: str, lex: Lexicon) -> str | None:
    """The title a demonym or country introduces: "Russian [military delegation]", "Russia's [President]"."""
    after = after[:50]
    if possessive := _LEADING_POSSESSIVE.match(after):
        after = after[possessive.end() :]
    first = WORD.search(after)
    if first is None:
        return None
    low = first.group().lower()
    if (
        low not in lex.modifiers
        and low not in lex.leader_title_index.first_words
        and low not in lex.official_title_index.first_words
    ):
        return None  # most often the next word is neither a title nor a modifier: decided by the first word
    words = WORD.findall(after)[:5]
    lowered = [w.lower() for w in words]
    for i, low in enumerate(lowered[:4]):
        if low in lex.non_state:
            return None
        found = lex.leader_title_index.find(lowered[i:], at_start=True) or lex.official_title_index.find(
            lowered[i:], at_start=True
        )
        if found:
            return " ".join(words[i : i + len(found.split())])
        if low not in lex.modifiers:
            return None
    return None


def can_travel(a: Actor) -> bool:
    return a.can_travel


def named_traveller(a: Actor) -> bool:
    """Someone who travels, not a country that may be the trip's other end."""
    return a.can_travel and (a.person is not None or a.titled or a.via == "pronoun")


def is_governmental(a: Actor) -> bool:
    return a.governmental


def is_destination(a: Actor) -> bool:
    """Where one travels: a place, not a person or official named by country ("visiting US Secretary X")."""
    if a.person is not None or (a.titled and not a.is_place):
        return False
    return a.is_place or MentionKind.COUNTRY in a.kinds or MentionKind.CAPITAL in a.kinds


def is_country_or_place(a: Actor) -> bool:
    return a.is_place or MentionKind.COUNTRY in a.kinds


def is_place(a: Actor) -> bool:
    return a.is_place


def is_venue(a: Actor) -> bool:
    """A place something is held in: not a person or official, whatever their country's name ("US President Biden")."""
    if a.person is not None or (a.titled and not a.is_place):
        return False
    return a.is_place or MentionKind.CAPITAL in a.kinds or MentionKind.COUNTRY in a.kinds


def person_or_pronoun(a: Actor) -> bool:
    return a.person is not None or a.via == "pronoun"


def is_guest(a: Actor) -> bool:
    return a.can_travel and not a.is_place


def place_or_demonym(a: Actor) -> bool:
    return a.is_place or MentionKind.DEMONYM in a.kinds


def other_government(code: str) -> Callable[[Actor], bool]:
    """A government other than ``code``'s."""
    return lambda a: a.governmental and a.code != code


def guest_of(host: str) -> Callable[[Actor], bool]:
    """A government that can travel, other than the host's."""
    return lambda a: a.governmental and a.code != host and a.can_travel


def traveller_to(host: str) -> Callable[[Actor], bool]:
    """Anyone who can travel, other than the host's side."""
    return lambda a: a.code != host and a.can_travel


def state_speaker(actor: Actor) -> bool:
    return actor.governmental and actor.via == "explicit"


def coordinated_speaker(actor: Actor) -> bool:
    """A state speaking beside another: a bare demonym shares the title after the last one."""
    return state_speaker(actor) or (actor.via == "explicit" and MentionKind.DEMONYM in actor.kinds)
