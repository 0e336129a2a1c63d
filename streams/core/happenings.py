"""Events in, happenings out: the state machine that fuses reports across articles.

Reports are kept per *lane* (type, source, target: the reports that can be one
happening), and a lane's happenings are a pure function of the reports it holds:
its articles are matched in publication order (then by their smallest event id),
each article one to one by :func:`streams.core.fusion.assign`. An article that
arrives in that order is matched onto the current happenings; one that arrives out
of order (a stream's partitions interleave), or a further event of an article already
matched, re-matches the lane from its reports. So the same reports always give the
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

import datetime as dt
import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from schemas import Article, DiplomaticEvent, make_pair
from schemas.happening import Happening
from streams.core.fusion import Choice, Report, assign, choose, span

OrderKey = tuple[dt.datetime, str, str]


@dataclass(frozen=True, slots=True)
class Rules:
    """How long and how much a lane remembers, and what counts as a historical reference."""

    retention: dt.timedelta = dt.timedelta(days=400)
    max_reports_per_lane: int = 2000
    historical_after: dt.timedelta = dt.timedelta(days=365)
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


def happening_id(first: Report) -> str:
    return hashlib.sha256(f"happening|{first.event_id}".encode()).hexdigest()[:16]


@dataclass(slots=True)
class _Happening:
    reports: list[Report]
    choice: Choice

    @property
    def id(self) -> str:
        return happening_id(self.reports[0])

    def join(self, report: Report) -> None:
        self.reports.append(report)
        self.choice = choose(self.reports)


@dataclass(slots=True)
class _Lane:
    reports: dict[str, Report] = field(default_factory=dict)
    articles: dict[str, list[str]] = field(default_factory=dict)
    happenings: list[_Happening] = field(default_factory=list)
    last: OrderKey | None = None
    newest: dt.datetime | None = None
    published: dict[str, Happening] = field(default_factory=dict)

    def order_key(self, article_id: str) -> OrderKey:
        ids = self.articles[article_id]
        return (self.reports[ids[0]].published_at, min(ids), article_id)

    def match(self, article: list[Report]) -> list[_Happening]:
        """Join the article's reports to happenings (or start new ones); the happenings touched."""
        article = sorted(article, key=lambda r: r.event_id)
        targets = assign(article, [(h.reports, h.choice) for h in self.happenings])
        touched = []
        for report, j in zip(article, targets, strict=True):
            if j is None:
                h = _Happening([report], choose([report]))
                self.happenings.append(h)
            else:
                h = self.happenings[j]
                h.join(report)
            touched.append(h)
        return touched

    def rebuild(self) -> None:
        self.happenings = []
        keys = sorted(self.order_key(a) for a in self.articles)
        for key in keys:
            self.match([self.reports[e] for e in self.articles[key[2]]])
        self.last = keys[-1] if keys else None

    def forget(self, rules: Rules) -> None:
        if self.newest is None:
            return
        horizon = self.newest - rules.retention
        keep = [h for h in self.happenings if h.reports[-1].published_at >= horizon]
        held = sum(len(h.reports) for h in keep)
        if held > rules.max_reports_per_lane:
            keep.sort(key=lambda h: (h.reports[-1].published_at, h.id), reverse=True)
            kept: list[_Happening] = []
            held = 0
            for h in keep:
                if held + len(h.reports) > rules.max_reports_per_lane:
                    continue
                kept.append(h)
                held += len(h.reports)
            chosen = {id(h) for h in kept}
            keep = [h for h in self.happenings if id(h) in chosen]
        if len(keep) == len(self.happenings):
            return
        kept_ids = {id(h) for h in keep}
        for h in self.happenings:
            if id(h) in kept_ids:
                continue
            self.published.pop(h.id, None)
            for r in h.reports:
                self.reports.pop(r.event_id, None)
                ids = self.articles.get(r.article_id)
                if ids is not None:
                    ids.remove(r.event_id)
                    if not ids:
                        del self.articles[r.article_id]
        self.happenings = keep


class Fuser:
    """Happenings of every lane; feed it events in publication order (any order works, slower)."""

    def __init__(self, rules: Rules | None = None) -> None:
        self.rules = rules or Rules()
        self.lanes: dict[str, _Lane] = {}
        self.late = 0
        """Reports ignored because they were older than their lane's retention."""

    def add(self, events: Iterable[DiplomaticEvent], outlets: Mapping[str, str | None] | None = None) -> list[Update]:
        """Fuse events; ``outlets`` maps article ids to outlet names. Returns the new and changed happenings."""
        outlets = outlets or {}
        return self.add_reports(Report.of(e, outlets.get(e.article_id)) for e in events)

    def add_reports(self, reports: Iterable[Report]) -> list[Update]:
        groups: dict[tuple[str, str], list[Report]] = {}
        for r in reports:
            groups.setdefault((r.lane, r.article_id), []).append(r)
        updates: list[Update] = []
        for (lane, _), group in groups.items():
            updates.extend(self._ingest(self.lanes.setdefault(lane, _Lane()), group))
        return updates

    def _ingest(self, lane: _Lane, group: list[Report]) -> list[Update]:
        new = [r for r in dict((r.event_id, r) for r in group).values() if r.event_id not in lane.reports]
        if not new:
            return []
        published = new[0].published_at
        if lane.newest is not None and published < lane.newest - self.rules.retention:
            self.late += len(new)
            return []
        article_id = new[0].article_id
        seen = article_id in lane.articles
        for r in new:
            lane.reports[r.event_id] = r
            lane.articles.setdefault(article_id, []).append(r.event_id)
        key = lane.order_key(article_id)
        before = set(lane.published)
        if not seen and (lane.last is None or key > lane.last):
            touched = lane.match([lane.reports[e] for e in lane.articles[article_id]])
            lane.last = key
        else:
            lane.rebuild()
            touched = list(lane.happenings)
        lane.newest = published if lane.newest is None else max(lane.newest, published)
        lane.forget(self.rules)
        updates = []
        current = {id(h) for h in lane.happenings}
        for h in {id(h): h for h in touched if id(h) in current}.values():
            record = self.record(h)
            if lane.published.get(record.happening_id) != record:
                lane.published[record.happening_id] = record
                updates.append(Update(record.happening_id, record))
        alive = {h.id for h in lane.happenings}
        for hid in sorted(before - alive):
            if hid in lane.published:  # dissolved by the re-match (forgotten ones left published already)
                del lane.published[hid]
                updates.append(Update(hid, None))
        return updates

    def record(self, h: _Happening) -> Happening:
        """The public record of one happening."""
        first, c = h.reports[0], h.choice
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

    def happenings(self) -> list[Happening]:
        """Every happening held now, by when it is counted, then id."""
        out = [self.record(h) for lane in self.lanes.values() for h in lane.happenings]
        return sorted(out, key=lambda h: (h.counted_at, h.happening_id))

    # --- state for a changelog-backed table ------------------------------------------------

    def dump_lane(self, lane: str) -> dict[str, object]:
        """A lane's state as JSON: its reports are enough, the happenings follow from them."""
        state = self.lanes.get(lane)
        reports = sorted(state.reports.values(), key=lambda r: (r.published_at, r.event_id)) if state else []
        return {"reports": [r.to_json() for r in reports]}

    def load_lane(self, lane: str, data: Mapping[str, object] | None) -> None:
        """Restore a lane from :meth:`dump_lane` output; its happenings count as published already."""
        state = _Lane()
        raw = data.get("reports") if data else None
        for d in raw if isinstance(raw, list) else []:
            r = Report.from_json(d)
            state.reports[r.event_id] = r
            state.articles.setdefault(r.article_id, []).append(r.event_id)
            state.newest = r.published_at if state.newest is None else max(state.newest, r.published_at)
        state.rebuild()
        state.published = {rec.happening_id: rec for rec in map(self.record, state.happenings)}
        self.lanes[lane] = state


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
