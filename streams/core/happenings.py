"""Events in, happenings out: the state machine that fuses reports across articles.

Reports are kept per *lane* (type, source, target: the reports that can be one
happening), and a lane's happenings are a pure function of the reports it holds:
its articles are matched in publication order (then by their smallest event id),
each article one to one by :func:`streams.core.fusion.assign`. An article that
arrives in that order is matched onto the current happenings; one that arrives out
of order (a stream's partitions interleave), or a further event of an article already
matched, undoes the matching of the articles from its place on and matches them
again, in order. So the same reports always give the
same happenings and ids, whatever order they came in and however often, and the
stream and the batch command agree.

A happening's id hashes its first report's event id, so it never changes as later
reports join. The state is bounded for a worker that runs forever: a lane forgets
happenings whose last report is older than the retention (relative to the lane's
newest report), ignores reports older than that, and holds at most a set number of
reports, forgetting the happenings reported longest ago first. A forgotten happening
keeps its last record on the topic; it is not removed.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from schemas import Article, DiplomaticEvent, make_pair
from schemas.happening import Happening
from streams.core.fusion import Report, Summary, assign, span

OrderKey = tuple[dt.datetime, str, str]


@dataclass(frozen=True, slots=True)
class Rules:
    """How long and how much a lane remembers, and what counts as a historical reference."""

    retention: dt.timedelta = dt.timedelta(days=400)
    max_reports_per_lane: int = 2000
    historical_after: dt.timedelta = dt.timedelta(days=30)
    listed_ids: int = 20

    @classmethod
    def of(cls, settings: Any) -> Rules:
        """The rules a :class:`streams.settings.Settings` sets (duck-typed: the core imports no settings)."""
        return cls(
            retention=dt.timedelta(seconds=settings.happening_retention_seconds),
            max_reports_per_lane=settings.happening_max_reports,
            historical_after=dt.timedelta(days=settings.happening_historical_days),
        )


@dataclass(frozen=True, slots=True)
class Update:
    """A new or changed happening; ``happening`` None when a re-match dissolved it (a tombstone)."""

    happening_id: str
    happening: Happening | None
    lane: str
    """Its lane (``type|source|target``): a tombstone has no record to say whose it was."""


def happening_id(first: Report) -> str:
    return hashlib.sha256(f"happening|{first.event_id}".encode()).hexdigest()[:16]


@dataclass(slots=True, eq=False)
class _Happening:
    reports: list[Report]
    summary: Summary
    id: str
    """Of its first report, which stays first: a re-match that takes it away dissolves the happening."""
    before: list[Summary] = field(default_factory=list)
    """The summary before each join, so that undoing one costs no recount of the reports."""

    @classmethod
    def start(cls, report: Report) -> _Happening:
        return cls([report], Summary.of([report]), happening_id(report))

    def join(self, report: Report) -> None:
        self.before.append(self.summary.copy())  # its set of articles is shared, and mended on undo
        self.reports.append(report)
        self.summary.joined(self.reports)

    def drop_last(self) -> None:
        """Undo the last join (its article is matched again)."""
        report = self.reports.pop()
        self.summary = self.before.pop()
        self.summary.articles.discard(report.article_id)


@dataclass(slots=True)
class _Lane:
    reports: dict[str, Report] = field(default_factory=dict)
    articles: dict[str, list[str]] = field(default_factory=dict)
    """Article id -> the event ids of its reports held here."""
    happenings: list[_Happening] = field(default_factory=list)
    order: list[OrderKey] = field(default_factory=list)
    """The matched articles' keys, sorted: the order they were matched in."""
    key_of: dict[str, OrderKey] = field(default_factory=dict)
    joined: dict[str, list[_Happening]] = field(default_factory=dict)
    """Article id -> the happenings its reports joined or started, in matching order."""
    newest: dt.datetime | None = None
    published: dict[str, Happening] = field(default_factory=dict)
    forgotten: list[str] = field(default_factory=list)
    """Event ids forgotten since the owner last looked (:meth:`Fuser.take_changes`)."""
    unmatched: set[str] = field(default_factory=set)
    """Articles with reports staged since the last settle."""
    redo_from: OrderKey | None = None
    """The earliest matched key a staged article had: its matching, and every later one, is undone at settle."""

    def order_key(self, article_id: str) -> OrderKey:
        ids = self.articles[article_id]
        return (self.reports[ids[0]].published_at, min(ids), article_id)

    def match(self, article_id: str) -> list[_Happening]:
        """Join the article's reports to happenings (or start new ones); the happenings touched."""
        article = sorted((self.reports[e] for e in self.articles[article_id]), key=lambda r: r.event_id)
        targets = assign(article, [h.summary for h in self.happenings])
        touched = []
        for report, j in zip(article, targets, strict=True):
            if j is None:
                h = _Happening.start(report)
                self.happenings.append(h)
            else:
                h = self.happenings[j]
                h.join(report)
            touched.append(h)
        key = self.order_key(article_id)
        bisect.insort(self.order, key)
        self.key_of[article_id] = key
        self.joined[article_id] = touched
        return touched

    def unmatch_from(self, key: OrderKey) -> tuple[list[str], list[_Happening], set[str]]:
        """Undo the matching of every article from ``key`` on, latest first: those articles, the
        happenings they had touched, and the ids of the happenings that had no other report."""
        at = bisect.bisect_left(self.order, key)
        undone = self.order[at:]
        del self.order[at:]
        touched: list[_Happening] = []
        emptied: set[str] = set()
        for _, _, article_id in reversed(undone):
            del self.key_of[article_id]
            for h in reversed(self.joined.pop(article_id)):
                if len(h.reports) == 1:
                    emptied.add(h.id)
                    self.happenings.remove(h)
                else:
                    h.drop_last()
                    touched.append(h)
        return [k[2] for k in undone], touched, emptied

    def forget(self, rules: Rules) -> None:
        if self.newest is None:
            return
        horizon = self.newest - rules.retention
        keep = [h for h in self.happenings if h.summary.last_published >= horizon]
        held = sum(len(h.reports) for h in keep)
        if held > rules.max_reports_per_lane:
            ranked = sorted(keep, key=lambda h: (h.summary.last_published, h.id), reverse=True)
            chosen: set[int] = set()
            held = 0
            for h in ranked:
                if held + len(h.reports) <= rules.max_reports_per_lane:
                    chosen.add(id(h))
                    held += len(h.reports)
            keep = [h for h in keep if id(h) in chosen]
        if len(keep) == len(self.happenings):
            return
        kept = {id(h) for h in keep}
        for h in self.happenings:
            if id(h) in kept:
                continue
            self.published.pop(h.id, None)
            for r in h.reports:
                self.reports.pop(r.event_id, None)
                self.forgotten.append(r.event_id)
                ids = self.articles[r.article_id]
                ids.remove(r.event_id)
                self.joined[r.article_id] = [x for x in self.joined[r.article_id] if x is not h]
                if not ids:
                    del self.articles[r.article_id], self.joined[r.article_id]
                    self.order.remove(self.key_of.pop(r.article_id))
        self.happenings = keep


class Fuser:
    """Happenings of every lane; feed it events in publication order (any order works, slower)."""

    def __init__(self, rules: Rules | None = None) -> None:
        self.rules = rules or Rules()
        self.lanes: dict[str, _Lane] = {}
        self.late = 0
        """Reports ignored because they were older than their lane's retention."""
        self._changes: list[tuple[str, str, Report | None]] = []
        self._dirty: dict[str, _Lane] = {}

    def add(self, events: Iterable[DiplomaticEvent], outlets: Mapping[str, str | None] | None = None) -> list[Update]:
        """Fuse events; ``outlets`` maps article ids to outlet names. Returns the new and changed happenings."""
        outlets = outlets or {}
        return self.add_reports(Report.of(e, outlets.get(e.article_id)) for e in events)

    def add_reports(self, reports: Iterable[Report]) -> list[Update]:
        self.stage(reports)
        return self.settle()

    def stage(self, reports: Iterable[Report]) -> None:
        """Take reports in without matching them yet (:meth:`settle` does); held ones and late ones change nothing."""
        groups: dict[tuple[str, str], list[Report]] = {}
        for r in reports:
            groups.setdefault((r.lane, r.article_id), []).append(r)
        for (name, _), group in groups.items():
            lane = self.lanes.setdefault(name, _Lane())
            if self._stage(lane, group, name):
                self._dirty[name] = lane

    @property
    def staged(self) -> int:
        """Lanes with reports taken in and not matched yet."""
        return len(self._dirty)

    def settle(self) -> list[Update]:
        """Match what was staged, lane by lane: the new and changed happenings (each once), and tombstones."""
        dirty, self._dirty = self._dirty, {}
        updates: list[Update] = []
        for name, lane in dirty.items():
            updates.extend(self._settle(lane, name))
            self._changes += [(name, event_id, None) for event_id in lane.forgotten]
            lane.forgotten.clear()
        return updates

    def take_changes(self) -> list[tuple[str, str, Report | None]]:
        """The reports taken in and forgotten since the last call, as (lane, event id, report or None):
        what a store of the reports (the stream's changelog-backed table) must write to follow."""
        changes, self._changes = self._changes, []
        return changes

    def _stage(self, lane: _Lane, group: list[Report], name: str) -> bool:
        new = [r for r in dict((r.event_id, r) for r in group).values() if r.event_id not in lane.reports]
        if not new:
            return False
        published = new[0].published_at
        if lane.newest is not None and published < lane.newest - self.rules.retention:
            self.late += len(new)
            return False
        article_id = new[0].article_id
        old_key = lane.key_of.get(article_id)
        if old_key is not None:  # more of an article matched already: its matching is undone and done again
            lane.redo_from = old_key if lane.redo_from is None else min(lane.redo_from, old_key)
        for r in new:
            lane.reports[r.event_id] = r
            lane.articles.setdefault(article_id, []).append(r.event_id)
            self._changes.append((name, r.event_id, r))
        lane.unmatched.add(article_id)
        lane.newest = published if lane.newest is None else max(lane.newest, published)
        return True

    def _settle(self, lane: _Lane, name: str) -> list[Update]:
        staged = sorted(lane.unmatched, key=lane.order_key)
        fresh = [a for a in staged if a not in lane.key_of]
        lane.unmatched.clear()
        # the earliest of the staged articles' keys now and the keys they were matched under (more reports
        # can move an article's key, either way)
        start = lane.order_key(staged[0]) if lane.redo_from is None else min(lane.order_key(staged[0]), lane.redo_from)
        lane.redo_from = None
        touched: list[_Happening] = []
        again: list[str] = []
        emptied: set[str] = set()
        if lane.order and start <= lane.order[-1]:
            # an article that sorts before one matched, or more of one matched: match again from there
            again, touched, emptied = lane.unmatch_from(start)
        for a in sorted({*again, *fresh}, key=lane.order_key):
            touched += lane.match(a)
        lane.forget(self.rules)
        updates = []
        current = {id(h) for h in lane.happenings}
        for h in {id(h): h for h in touched if id(h) in current}.values():
            record = self.record(h)
            if lane.published.get(record.happening_id) != record:
                lane.published[record.happening_id] = record
                updates.append(Update(record.happening_id, record, name))
        alive = {h.id for h in lane.happenings}
        for hid in sorted(emptied - alive):
            if hid in lane.published:  # dissolved by the re-match
                del lane.published[hid]
                updates.append(Update(hid, None, name))
        return updates

    def record(self, h: _Happening) -> Happening:
        """The public record of one happening."""
        first, c = h.reports[0], h.summary.choice
        best: dict[str, float] = {}
        for r in h.reports:
            best[r.outlet] = max(best.get(r.outlet, 0.0), r.confidence)
        confidence = 1.0 - math.prod(1.0 - v for v in best.values())
        days = span(c.date, c.date_end, c.precision)
        counted = dt.datetime.combine(c.date, dt.time(), dt.UTC) if c.date else first.published_at
        listed = h.reports[: self.rules.listed_ids]
        return Happening(
            happening_id=h.id,
            type=first.type,
            cameo=first.cameo,
            source=first.source,
            target=first.target,
            pair=make_pair(first.source, first.target),
            person=c.person,
            status=c.status,
            date=c.date,
            date_end=c.date_end,
            precision=c.precision,
            counted_at=counted,
            historical=days is not None and days[1] < first.published_at.date() - self.rules.historical_after,
            first_reported_at=first.published_at,
            last_reported_at=max(r.published_at for r in h.reports),
            reports=len(h.reports),
            outlets=len(best),
            article_ids=[r.article_id for r in listed],
            event_ids=[r.event_id for r in listed],
            confidence=round(min(confidence, 1.0), 6),
        )

    def lane_happenings(self, lane: str) -> list[Happening]:
        """The records of one lane's happenings now: what a counter of them must hold after a restart."""
        held = self.lanes.get(lane)
        return [self.record(h) for h in held.happenings] if held else []

    def happenings(self) -> list[Happening]:
        """Every happening held now, by when it is counted, then id."""
        out = [self.record(h) for lane in self.lanes.values() for h in lane.happenings]
        return sorted(out, key=lambda h: (h.counted_at, h.happening_id))

    # --- state for a changelog-backed table ------------------------------------------------

    def load(self, reports: Iterable[Report]) -> None:
        """Restore lanes from their reports (as :meth:`take_changes` reported them): the happenings
        follow from the reports, and count as published already."""
        lanes: dict[str, _Lane] = {}
        for r in reports:
            state = lanes.setdefault(r.lane, _Lane())
            state.reports[r.event_id] = r
            state.articles.setdefault(r.article_id, []).append(r.event_id)
            state.newest = r.published_at if state.newest is None else max(state.newest, r.published_at)
        for name, state in lanes.items():
            for ids in state.articles.values():
                ids.sort()
            for article_id in sorted(state.articles, key=state.order_key):
                state.match(article_id)
            state.published = {rec.happening_id: rec for rec in map(self.record, state.happenings)}
            self.lanes[name] = state


def fuse_articles(articles: Iterable[Article], rules: Rules | None = None) -> tuple[list[Happening], int]:
    """The batch path: extract every article and fuse its events in publication order, as the stream
    does; the happenings and the number of events."""
    from streams.core.extract import extract

    fuser = Fuser(rules)
    events = 0
    for article in sorted(articles, key=lambda a: (a.published_at, a.article_id)):
        found = extract(article)
        events += len(found)
        fuser.add(found, {article.article_id: article.outlet})
    return fuser.happenings(), events
