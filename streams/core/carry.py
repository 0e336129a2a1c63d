"""A date stated once carried to the other mentions of the same happening in the article.

And the day of publication given to a happening the article tells as going on now, and the day
a sentence about "the invitation" or "the visit" just told gives it.

"Ruto will visit Ethiopia on Monday. ... Ruto will meet Prime Minister Abiy": the meeting is part
of the visit, and the article dated the visit only. A summit of a pair and that pair's visit are
one occasion when the article holds exactly one dated visit of the pair on the same side of
publication (what happened, or what is to come); then the undated one takes its date. Where two
dated candidates could lend a date, none does: a wrong date is worse than none.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from schemas import EventType, Precision, Status
from streams.core.dates import DatePhrase, Tense, resolve
from streams.core.identity import HISTORICAL_DAYS, Candidate
from streams.core.parties import Actor
from streams.core.patterns import pattern

_PARTNERS = {EventType.SUMMIT: EventType.VISIT, EventType.VISIT: EventType.SUMMIT}


def _pair(c: Candidate) -> tuple[str, str]:
    a, b = sorted((c.source, c.target))
    return a, b


def _side(c: Candidate) -> bool:
    return c.status is Status.OCCURRED


def carry_dates(events: list[Candidate], published: date) -> list[Candidate]:
    """``events`` (one article's, de-duplicated) with undated summits and visits dated by their partner."""
    out = []
    for event in events:
        partner = _PARTNERS.get(event.type)
        if event.date is not None or partner is None:
            out.append(event)
            continue
        lenders = [
            c
            for c in events
            if c.type is partner
            and c.date is not None
            and c.precision is Precision.DAY
            and _pair(c) == _pair(event)
            and _side(c) == _side(event)
            and (published - c.date).days <= HISTORICAL_DAYS
        ]
        if len(lenders) == 1:
            lender = lenders[0]
            event = replace(event, date=lender.date, date_end=lender.date_end, precision=lender.precision)
        out.append(event)
    return out


def date_the_present(events: list[Candidate], published: date) -> list[Candidate]:
    """``events`` with an undated happening told as going on now ("the two leaders are meeting",
    "Anwar has arrived in Jakarta") dated to the publication day.

    Run after the mentions are folded: a mention dated elsewhere in the article ("met on
    Monday") has already given the event its date, and keeps it.
    """
    return [
        replace(c, date=published, date_end=None, precision=Precision.DAY) if c.now and c.date is None else c
        for c in events
    ]


_DEFINITE_EVENT = pattern("carry.definite_event")
_NOUN_TYPES = {
    "invitation": EventType.INVITATION,
    "visit": EventType.VISIT,
    "trip": EventType.VISIT,
    "summit": EventType.SUMMIT,
    "talks": EventType.SUMMIT,
    "meeting": EventType.SUMMIT,
}


def date_from_definite(text: str, phrases: list[DatePhrase], earlier: list[Candidate], published: date) -> None:
    """Date the event a sentence points back to ("The invitation was extended ... on Sunday").

    For a sentence that yields no event of its own, opens with a definite event noun and gives
    a date: the latest undated mention of that type told before takes it, read in its tense.
    ``earlier`` (the article's mentions so far) is updated in place.
    """
    m = _DEFINITE_EVENT.match(text)
    if m is None or not phrases:
        return
    wanted = _NOUN_TYPES[m.group("noun").lower()]
    for index in range(len(earlier) - 1, -1, -1):
        c = earlier[index]
        if c.type is not wanted:
            continue
        if c.date is not None:
            return  # the one pointed back to has its date
        tense = Tense.PAST if c.status is Status.OCCURRED else Tense.FUTURE
        day = resolve(phrases[0].text, published, tense)
        if day is not None:
            earlier[index] = replace(c, date=day.date, date_end=day.date_end, precision=day.precision)
        return


_ARRIVAL_AFTER = pattern("carry.arrival_after")


def date_from_arrival(
    text: str, base: int, traveller: Actor, actors: list[Actor], phrases: list[DatePhrase],
    earlier: list[Candidate], published: date,
) -> None:  # fmt: skip
    """Date the story's visit from its traveller's arrival day ("Ardern said Mataʻafa will arrive on June 14").

    For a sentence that yields no event of its own (no destination named), where the traveller
    of the visit told last is the subject of an arrival verb with a day: that person's latest
    visit takes the day if it is undated, or dated to a span ("next week") the day lies in.
    ``base`` is where ``text`` starts in the article; ``earlier`` is updated in place.
    """
    if not phrases or traveller.person is None:
        return
    named = next((a for a in actors if a.person == traveller.person and a.via == "explicit"), None)
    if named is None or _ARRIVAL_AFTER.match(text, named.end - base) is None:
        return
    for index in range(len(earlier) - 1, -1, -1):
        c = earlier[index]
        if c.type is not EventType.VISIT or c.person != traveller.person:
            continue
        tense = Tense.PAST if c.status is Status.OCCURRED else Tense.FUTURE
        day = resolve(phrases[0].text, published, tense)
        if day is None or day.precision is not Precision.DAY:
            return
        within = c.date is not None and c.date_end is not None and c.date <= day.date <= c.date_end
        if c.date is None or within:
            earlier[index] = replace(c, date=day.date, date_end=day.date_end, precision=day.precision)
        return
