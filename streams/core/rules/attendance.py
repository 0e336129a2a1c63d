"""Attendance: a leader attending an event held abroad visits the event's host (EVENTS.md).

"Vajpayee attended the SAARC summit in Islamabad", "Xi will take part in the forum in Astana": the
attendee is the traveller before the verb, the host the place the event is held in, named after
it. An event with no place named (a ceremony, "the talks") is no visit here: who hosts it is not
said.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from schemas import EventType
from streams.core.lexicon import WordPattern, lexicon, words_pattern
from streams.core.parties import Actor, can_travel, is_venue
from streams.core.patterns import pattern
from streams.core.roles import TOPIC_GAP, VERB_GAP_STOP, Found
from streams.core.sentence import SentenceView

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
        if place is None:
            continue
        traveller = view.left(pos, max_words=10, stop=VERB_GAP_STOP, want=can_travel)
        if traveller is None:
            continue
        for code in traveller.codes or (traveller.code,):
            if code == place.code:
                continue
            who = (
                traveller
                if not traveller.codes
                else Actor(traveller.start, traveller.end, code, None, frozenset(), True, True, via="pair")
            )
            yield Found(EventType.VISIT, who, place.code, (pos, end), verb=True, confidence=0.7)


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
