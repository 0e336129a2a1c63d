"""One event per real happening, and an id that survives replays.

Two mentions are the same event when type, source and target agree, their
principal persons do not differ, they sit on the same side of publication
(a visit that happened is not the visit being planned), and their dates do not
contradict each other. The id hashes the article id and that identity, so the
same article always yields the same ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from datetime import date

from schemas import EventType, Precision, Status

_PRECISION_RANK = {Precision.UNKNOWN: 0, Precision.YEAR: 1, Precision.MONTH: 2, Precision.DAY: 3}
_STATUS_RANK = {Status.POSSIBLE: 0, Status.PLANNED: 1, Status.OCCURRED: 2}


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, three
# times slower, and every event mention makes one. Changed only through dataclasses.replace().
@dataclass(slots=True)
class Candidate:
    """One mention of an event, before de-duplication."""

    type: EventType
    source: str
    target: str
    person: str | None
    status: Status
    date: dt.date | None
    date_end: dt.date | None
    precision: Precision
    evidence_start: int
    evidence_end: int
    confidence: float
    mentions: int = 1
    tentative: bool = False  # a bare noun mention: joins a compatible event of either status
    now: bool = False  # told as happening now ("are meeting", "is in Jakarta"): the publication day if undated

    def key(self) -> tuple[str, str, str]:
        if self.type is EventType.SUMMIT:
            a, b = sorted((self.source, self.target))
            return (self.type.value, a, b)
        return (self.type.value, self.source, self.target)


def _span(c: Candidate) -> tuple[date, date] | None:
    if c.date is None:
        return None
    if c.precision is Precision.YEAR:
        return date(c.date.year, 1, 1), date(c.date.year, 12, 31)
    if c.precision is Precision.MONTH:
        nxt = date(c.date.year + (c.date.month == 12), c.date.month % 12 + 1, 1)
        return c.date, date.fromordinal(nxt.toordinal() - 1)
    return c.date, c.date_end or c.date


VISIT_SLACK_DAYS = 3
"""Dates of one article's mentions of a visit this close are days of the same trip."""

HISTORICAL_DAYS = 366
"""A mention dated this long before publication is history, not the news of the day."""


def _compatible(a: Candidate, b: Candidate, published: date) -> bool:
    """Whether two mentions of the same type, source and target (the same key) are one event."""
    if a.person and b.person and a.person != b.person:
        return False
    sides_differ = (a.status is Status.OCCURRED) != (b.status is Status.OCCURRED)
    if sides_differ and not (a.tentative or b.tentative) and not _underway(a, b, published):
        return False
    sa, sb = _span(a), _span(b)
    if sa is not None and sb is not None:
        # a visit lasts days: "leaves for X on Tuesday" and "will be hosted on Thursday" are one trip
        slack = dt.timedelta(days=VISIT_SLACK_DAYS if a.type is EventType.VISIT else 0)
        return sa[0] <= sb[1] + slack and sb[0] <= sa[1] + slack
    dated = sa or sb
    if dated is None:
        return True
    # An undated mention is the story of the day: it does not absorb a historical one, and a
    # dated mention by nobody in particular ("a delegation on July 25") is not a named person's trip.
    if (published - dated[1]).days > HISTORICAL_DAYS:
        return False
    undated, with_date = (a, b) if sa is None else (b, a)
    return not (undated.person and not with_date.person)


def _underway(a: Candidate, b: Candidate, published: date) -> bool:
    """A visit begun on the day of publication and what is still planned of it are one trip.

    "Lula leaves for China on Tuesday" (published that Tuesday) and "he will arrive in Shanghai"
    are one visit on both sides of publication; a visit done days before is not the one planned.
    """
    if a.type is not EventType.VISIT:
        return False
    done, ahead = (a, b) if a.status is Status.OCCURRED else (b, a)
    span = _span(done)
    if span is None or span[1] < published or span[0] > published:
        return False
    return ahead.date is None or 0 <= (ahead.date - published).days <= VISIT_SLACK_DAYS


def _merge(kept: Candidate, new: Candidate) -> Candidate:
    if kept.date and new.date and kept.date != new.date and kept.precision is new.precision is Precision.DAY:
        # two days of one trip: it runs from the first to the last
        first_day = min(kept.date, new.date)
        last_day = max(kept.date_end or kept.date, new.date_end or new.date)
        kept = replace(kept, date=first_day, date_end=last_day if last_day != first_day else None)
        new = replace(new, date=first_day, date_end=kept.date_end)
    more_precise = _PRECISION_RANK[new.precision] > _PRECISION_RANK[kept.precision]
    if kept.tentative != new.tentative:
        status = new.status if kept.tentative else kept.status
    else:
        status = max(kept.status, new.status, key=_STATUS_RANK.__getitem__)
    first = kept if kept.evidence_start <= new.evidence_start else new
    return replace(
        kept,
        person=kept.person or new.person,
        status=status,
        tentative=kept.tentative and new.tentative,
        now=kept.now or new.now,
        evidence_start=first.evidence_start,
        evidence_end=first.evidence_end,
        date=new.date if more_precise else kept.date,
        date_end=new.date_end if more_precise else kept.date_end,
        precision=new.precision if more_precise else kept.precision,
        confidence=max(kept.confidence, new.confidence),
        mentions=kept.mentions + new.mentions,
    )


def deduplicate(candidates: list[Candidate], published: date) -> list[Candidate]:
    """Fold mentions into events, keeping the first evidence and the most precise date.

    Mentions that say when or whether (dated, tensed) go first; bare noun mentions then join
    the first event they fit, and stand alone as facts only when nothing fits.
    """
    events: list[Candidate] = []
    keys: list[tuple[str, str, str]] = []  # events[i].key(), which merging does not change
    ordered = [c for c in candidates if not c.tentative] + [c for c in candidates if c.tentative]
    for cand in ordered:
        key = cand.key()
        for index, kept in enumerate(events):
            if keys[index] == key and _compatible(kept, cand, published):
                events[index] = _merge(kept, cand)
                break
        else:
            events.append(cand)
            keys.append(key)
    events.sort(key=lambda c: c.evidence_start)
    return [replace(c, tentative=False) if c.tentative else c for c in events]


def event_id(article_id: str, c: Candidate) -> str:
    """Stable across replays: a hash of the article id and the event's identity."""
    _, source, target = c.key()
    parts = [
        article_id,
        c.type.value,
        source,
        target,
        c.person or "",
        "occurred" if c.status is Status.OCCURRED else "future",
        c.date.isoformat() if c.date else "",
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]
