"""Attendance: a leader attending an event held abroad visits the event's host (EVENTS.md).

"Vajpayee attended the SAARC summit in Islamabad", "Xi will take part in the forum in Astana": the
attendee is the traveller before the verb, the host the place the event is held in, named after
it. An event with no place named (a ceremony, "the talks") is no visit here: who hosts it is not
said. A multilateral summit word ("attend the Mercosur summit in Montevideo") is read the same way:
this module is the one home of attendance, for the visit rule's verbs and the summit rule's nouns.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from schemas import EventType
from streams.core.lexicon import lexicon
from streams.core.parties import Actor, can_travel, is_venue
from streams.core.patterns import pattern
from streams.core.roles import TOPIC_GAP, VERB_GAP_STOP, Found, find_venue
from streams.core.sentence import SentenceView
from streams.core.wordpatterns import WordPattern, words_pattern

_PLACE_GAP = pattern("attendance.place_gap")


@cache
def _attend_words() -> WordPattern:
    return words_pattern(lexicon().raw["visit"]["attend"])


def find_attendance(view: SentenceView) -> Iterator[Found]:
    """One visit per attendee of an event whose place the sentence names."""
    base = view.span.start
    for m_start, m_end in view.find(_attend_words()):
        pos, end = base + m_start, base + m_end
        place = _event_place(view, end)
        if place is not None:
            yield from attendee_visits(view, (pos, end), place, max_words=10, verb=True)


def venue_visits(view: SentenceView, pos: int, end: int) -> Iterator[Found]:
    """A multilateral summit word at ``pos:end`` ("the Mercosur summit in Montevideo"): its attendees visit the venue.

    Read by the summit rule, which finds the word; no bilateral summit comes of it.
    """
    venue = find_venue(view, end)
    if venue is not None:
        yield from attendee_visits(view, (pos, end), venue, max_words=12, verb=False)


def attendee_visits(
    view: SentenceView, trigger: tuple[int, int], place: Actor, *, max_words: int, verb: bool
) -> Iterator[Found]:
    """The visit to ``place`` of the traveller before ``trigger``; of each side for "both presidents".

    A pair stands in for two unnamed travellers, so its visits are less sure (0.6) than a named one's.
    """
    traveller = view.left(trigger[0], max_words=max_words, stop=VERB_GAP_STOP, want=can_travel)
    if traveller is None:
        return
    for code in traveller.codes or (traveller.code,):
        if code == place.code:
            continue
        if traveller.codes:  # "Both presidents are expected to attend ..."
            who = Actor(traveller.start, traveller.end, code, None, frozenset(), True, True, via="pair")
            yield Found(EventType.VISIT, who, place.code, trigger, verb=verb, confidence=0.6)
        else:
            yield Found(EventType.VISIT, traveller, place.code, trigger, verb=verb, confidence=0.7)


def _event_place(view: SentenceView, end: int) -> Actor | None:
    """The place right after the attended event's name ("... summit in Islamabad"), or None."""
    for actor in view.actors:
        if actor.start < end:
            continue
        if not is_venue(actor):
            continue  # "attended talks with Putin in Moscow": the place is further on
        gap = view.gap(end, actor.start)
        if not TOPIC_GAP.fullmatch(gap) and _PLACE_GAP.fullmatch(gap):
            return actor  # else a topic ("a conference on Ukraine in Paris") or not yet "in": read on
    return None
