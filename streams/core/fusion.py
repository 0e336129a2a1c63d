"""When reports of different articles are one happening, and which happening a report joins.

The rules of the shared spec EVENTS.md ("Happenings"), as pure functions over
:class:`Report` (an event reduced to what fusion needs) and a happening's list of
reports. :mod:`streams.core.happenings` keeps the state; this module decides.

- Same type, source and target (summits are sorted already), persons that do not
  differ, and dates of which one lies within the other at the coarser precision (or
  one undated).
- A status that allows it: something already done before a plan for it was first
  reported is not that plan ("Putin will visit", published 2023, is not his July 2000
  visit; a July delegation is not the visit announced in September).
- An article's reports are matched one to one, each preferring a happening that shares
  its person, then one whose date agrees with its own (both dated), then the nearest
  in time.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from schemas import DiplomaticEvent, EventType, Precision, Status

PRECISION_RANK = {Precision.UNKNOWN: 0, Precision.YEAR: 1, Precision.MONTH: 2, Precision.DAY: 3}
STATUS_RANK = {Status.POSSIBLE: 0, Status.PLANNED: 1, Status.OCCURRED: 2}
PLAN_SLACK = dt.timedelta(days=1)
"""A report dated the day before a plan was first published may still be that plan (time zones, "yesterday")."""


@dataclass(frozen=True, slots=True)
class Report:
    """One event as fusion sees it: its identity, claims and when and where it was published."""

    event_id: str
    article_id: str
    outlet: str
    """Casefolded outlet name, or ``article:<id>`` when unknown: an article of unknown outlet counts as one."""
    type: EventType
    cameo: str
    source: str
    target: str
    person: str | None
    status: Status
    date: dt.date | None
    date_end: dt.date | None
    precision: Precision
    published_at: dt.datetime
    confidence: float

    @classmethod
    def of(cls, event: DiplomaticEvent, outlet: str | None = None) -> Report:
        name = " ".join((outlet or "").split()).casefold()
        return cls(
            event_id=event.event_id,
            article_id=event.article_id,
            outlet=name or f"article:{event.article_id}",
            type=event.type,
            cameo=event.cameo,
            source=event.source,
            target=event.target,
            person=event.person,
            status=event.status,
            date=event.date,
            date_end=event.date_end,
            precision=event.precision,
            published_at=event.published_at,
            confidence=event.confidence,
        )

    @property
    def lane(self) -> str:
        """The reports that can be one happening share this key: ``type|source|target``."""
        return f"{self.type.value}|{self.source}|{self.target}"

    def to_json(self) -> dict[str, object]:
        return {
            "e": self.event_id,
            "a": self.article_id,
            "o": self.outlet,
            "t": self.type.value,
            "c": self.cameo,
            "s": self.source,
            "g": self.target,
            "p": self.person,
            "st": self.status.value,
            "d": self.date.isoformat() if self.date else None,
            "de": self.date_end.isoformat() if self.date_end else None,
            "pr": self.precision.value,
            "at": self.published_at.isoformat(),
            "cf": self.confidence,
        }

    @classmethod
    def from_json(cls, d: dict[str, object]) -> Report:
        def day(v: object) -> dt.date | None:
            return dt.date.fromisoformat(str(v)) if v else None

        return cls(
            event_id=str(d["e"]),
            article_id=str(d["a"]),
            outlet=str(d["o"]),
            type=EventType(str(d["t"])),
            cameo=str(d["c"]),
            source=str(d["s"]),
            target=str(d["g"]),
            person=str(d["p"]) if d.get("p") else None,
            status=Status(str(d["st"])),
            date=day(d.get("d")),
            date_end=day(d.get("de")),
            precision=Precision(str(d["pr"])),
            published_at=dt.datetime.fromisoformat(str(d["at"])),
            confidence=float(d["cf"]),  # type: ignore[arg-type]
        )


Span = tuple[dt.date, dt.date]


def span(date: dt.date | None, date_end: dt.date | None, precision: Precision) -> Span | None:
    """The days a date can mean at its own precision ("July 2000" is 1-31 July)."""
    if date is None:
        return None
    return widen(date, date_end or date, precision)


@lru_cache(maxsize=1 << 16)
def widen(start: dt.date, end: dt.date, precision: Precision) -> Span:
    """``start``..``end`` widened to whole months or years (cached: every report meets every happening)."""
    if precision is Precision.YEAR:
        return dt.date(start.year, 1, 1), dt.date(end.year, 12, 31)
    if precision is Precision.MONTH:
        return start.replace(day=1), end.replace(day=calendar.monthrange(end.year, end.month)[1])
    return start, end


def coarser(a: Precision, b: Precision) -> Precision:
    return a if PRECISION_RANK[a] <= PRECISION_RANK[b] else b


def dates_compatible(a: Report | Choice, b: Report | Choice) -> bool:
    """One date or range lies within the other at the coarser precision, or one of them is undated."""
    if a.date is None or b.date is None:
        return True
    p = coarser(a.precision, b.precision)
    x = widen(a.date, a.date_end or a.date, p)
    y = widen(b.date, b.date_end or b.date, p)
    return (x[0] <= y[0] and y[1] <= x[1]) or (y[0] <= x[0] and x[1] <= y[1])


def persons_differ(a: str | None, b: str | None) -> bool:
    """An unnamed visitor does not differ from a named one."""
    return a is not None and b is not None and a.casefold() != b.casefold()


@dataclass(frozen=True, slots=True)
class Choice:
    """A happening's date, status and person, as its reports decide them."""

    date: dt.date | None
    date_end: dt.date | None
    precision: Precision
    status: Status
    person: str | None


Rank = tuple[int, int, int]
NO_RANK: Rank = (-1, 0, 0)


def _date_rank(r: Report, order: int, planned: bool) -> Rank:
    if r.date is None:
        return NO_RANK
    days = ((r.date_end or r.date) - r.date).days
    return (PRECISION_RANK[r.precision], -days, order if planned else -order)


def _done_by(r: Report) -> dt.date | None:
    """An occurred report's last possible day (its publication day when undated); None for a plan."""
    if r.status is not Status.OCCURRED:
        return None
    s = span(r.date, r.date_end, r.precision)
    return s[1] if s else r.published_at.date()


def _planned_on(r: Report) -> dt.date | None:
    return None if r.status is Status.OCCURRED else r.published_at.date()


def _earliest(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else min(a, b)


@dataclass(slots=True)
class Summary:
    """What matching needs to know of one happening, kept up to date as reports join (so that a report
    is weighed against a happening in constant time, whatever its number of reports)."""

    choice: Choice
    best: Rank
    done_by: dt.date | None
    planned_since: dt.date | None
    articles: set[str]
    last_published: dt.datetime

    @classmethod
    def of(cls, reports: Sequence[Report]) -> Summary:
        """Status and dates follow the reports: the strongest status; the most precise date (then the
        narrowest range), a later report's date winning a tie for a planned happening, an earlier one for
        an occurred one; the first person named."""
        status = max((r.status for r in reports), key=STATUS_RANK.__getitem__)
        planned = status is not Status.OCCURRED
        best: Report | None = None
        best_rank = NO_RANK
        for order, r in enumerate(reports):
            if (rank := _date_rank(r, order, planned)) > best_rank:
                best, best_rank = r, rank
        person = next((r.person for r in reports if r.person), None)
        if best is None:
            choice = Choice(None, None, Precision.UNKNOWN, status, person)
        else:
            choice = Choice(best.date, best.date_end, best.precision, status, person)
        done_by = planned_since = None
        for r in reports:
            done_by = _earliest(done_by, _done_by(r))
            planned_since = _earliest(planned_since, _planned_on(r))
        return cls(choice, best_rank, done_by, planned_since, {r.article_id for r in reports}, reports[-1].published_at)

    def copy(self) -> Summary:
        """A shallow copy (its set of articles shared), without :func:`copy.copy`'s generic machinery: a
        happening takes one per join, and a lane's re-match joins every later report again."""
        return Summary(self.choice, self.best, self.done_by, self.planned_since, self.articles, self.last_published)

    def joined(self, reports: Sequence[Report]) -> None:
        """Take in ``reports[-1]``, just appended."""
        new, c = reports[-1], self.choice
        status = max(c.status, new.status, key=STATUS_RANK.__getitem__)
        if status is not c.status:  # the tie-break between equally precise dates turns round
            fresh = Summary.of(reports)
            self.choice, self.best = fresh.choice, fresh.best
        else:
            rank = _date_rank(new, len(reports) - 1, status is not Status.OCCURRED)
            date, date_end, precision = c.date, c.date_end, c.precision
            if rank > self.best:
                date, date_end, precision, self.best = new.date, new.date_end, new.precision, rank
            self.choice = Choice(date, date_end, precision, status, c.person or new.person)
        self.done_by = _earliest(self.done_by, _done_by(new))
        self.planned_since = _earliest(self.planned_since, _planned_on(new))
        self.articles.add(new.article_id)
        self.last_published = max(self.last_published, new.published_at)


def status_allows(h: Summary, new: Report) -> bool:
    """False when something done is dated before the plan for it was first reported.

    "Done by" is an occurred report's last possible day (its publication day when undated);
    "planned since" the first publication of a planned or possible report.
    """
    done_by = _earliest(h.done_by, _done_by(new))
    planned_since = _earliest(h.planned_since, _planned_on(new))
    return done_by is None or planned_since is None or done_by >= planned_since - PLAN_SLACK


def when(date: dt.date | None, fallback: dt.datetime) -> int:
    """A day number to measure "nearest in time" with: the date, or the publication day when undated."""
    return (date or fallback.date()).toordinal()


def preference(new: Report, h: Summary) -> tuple[int, int, int] | None:
    """How much ``new`` prefers happening ``h`` (lower is better), None when it cannot join it."""
    choice = h.choice
    if new.article_id in h.articles:
        return None  # the article already told them apart
    if persons_differ(new.person, choice.person) or not dates_compatible(new, choice):
        return None
    if not status_allows(h, new):
        return None
    shares_person = new.person is not None and choice.person is not None
    dates_agree = new.date is not None and choice.date is not None
    distance = abs(when(new.date, new.published_at) - when(choice.date, h.last_published))
    return (0 if shares_person else 1, 0 if dates_agree else 1, distance)


def assign(article: Sequence[Report], happenings: Sequence[Summary]) -> list[int | None]:
    """One article's reports of one lane matched one to one to happenings: the index each joins, or None.

    All acceptable (report, happening) pairs are taken best preference first, so a report
    that shares a person or a date with a happening takes it before one that merely fits.
    """
    pairs = []
    for i, r in enumerate(article):
        for j, h in enumerate(happenings):
            pref = preference(r, h)
            if pref is not None:
                pairs.append((pref, r.event_id, j, i))
    pairs.sort()
    out: list[int | None] = [None] * len(article)
    taken: set[int] = set()
    for _, _, j, i in pairs:
        if out[i] is None and j not in taken:
            out[i] = j
            taken.add(j)
    return out
