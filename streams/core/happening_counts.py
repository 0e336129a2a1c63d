"""Happenings counted once each, in windows of their own date, with historical references apart.

Events are counted per report on publication time (:mod:`streams.core.counting`);
this counts what happened: a happening is *placed* in one bucket (a day by default)
of its ``counted_at`` — the day it happened or is due, its first report's
publication when undated — and a window's count is the number of happenings placed
in its buckets. Placements are keyed by happening id, so a further report of a
happening already counted changes nothing, and a replay changes nothing.

A happening dated more than a grace (30 days by default) before its first report is a
**historical reference** (Putin's July 2000 visit recalled in a 2024 article; the
record's ``historical``): it is placed in the ``historical`` series, windows of its
own date too, never in current windows. Its first report, not the newest event time
when it happens to be placed, decides: the fuser gives the same happenings whatever
order the partitions interleave their events in, and so the counts are the same too
(and equal to the batch command's happenings). A current happening does not become
historical as the news moves on.

A later report can move a happening (a dated report of a happening first counted
undated, at its publication time) and a re-match can withdraw it (a tombstone): its
count leaves the old windows and joins the new ones, so unlike event counts these
can decrease.

State is bounded like the event counts: a current placement is forgotten once every
window holding its bucket ended more than the retention before the newest event time;
a historical one once it was placed more than the retention ago (on event time). A
forgotten placement's last count stays on the topic.

The placements are the truth (one small record each, kept by the caller in a
changelog-backed table); the per-bucket index here is rebuilt from them by
:meth:`HappeningCounter.load` after a restart or rebalance.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from schemas import Happening
from schemas.counts import Series
from streams.core.windows import (
    WindowKey,
    WindowSpec,
    bucket_seconds,
    bucket_start,
    current_totals,
    keys_for,
    last_window_end,
)

_Bucket = tuple[int, str, str, str, int]  # partition, series, pair, type, bucket start


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one happening is counted: its partition, series, pair, type and bucket."""

    partition: int
    series: str
    pair: str
    type: str
    bucket: int
    expires: float
    """The newest event time after which it is forgotten."""

    def bucket_key(self) -> _Bucket:
        return (self.partition, self.series, self.pair, self.type, self.bucket)

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Placement:
        raw = json.loads(text)
        return cls(
            int(raw["partition"]),
            str(Series(raw["series"])),
            str(raw["pair"]),
            str(raw["type"]),
            int(raw["bucket"]),
            float(raw["expires"]),
        )


@dataclass(frozen=True, slots=True)
class SeriesCount:
    """One window's count of one series after a change."""

    series: Series
    window: WindowKey
    count: int


@dataclass(slots=True)
class Change:
    """What placing (or withdrawing) one happening changed."""

    counts: list[SeriesCount] = field(default_factory=list)
    """Every window of the old and the new bucket, with its count after the change."""
    placements: dict[str, Placement | None] = field(default_factory=dict)
    """Happening id -> its placement now, None when forgotten or withdrawn: what the caller stores."""


class HappeningCounter:
    """Places happenings in buckets of their own date, per partition, and counts windows from them."""

    def __init__(self, specs: list[WindowSpec], retention: float) -> None:
        self.specs = specs
        self.retention = retention
        self.bucket = bucket_seconds(specs)
        self._placed: dict[str, Placement] = {}
        self._members: dict[_Bucket, set[str]] = {}
        self._newest: dict[int, float] = {}
        self._expiry: dict[int, list[tuple[float, str]]] = {}

    # --- state ------------------------------------------------------------------------------------

    def load(self, placements: Iterable[tuple[str, Placement]], newest: Mapping[int, float]) -> None:
        """Start again from stored placements and newest event times (after a restart or rebalance)."""
        self._placed.clear()
        self._members.clear()
        self._expiry.clear()
        self._newest = dict(newest)
        for happening_id, placement in placements:
            self._put(happening_id, placement)

    def newest_of(self, partition: int) -> float:
        return self._newest.get(partition, 0.0)

    def observe(self, partition: int, ts: float) -> Change:
        """An event of ``partition`` published at ``ts``: time moves on, old placements are forgotten."""
        change = Change()
        if ts > self.newest_of(partition):
            self._newest[partition] = ts
        heap = self._expiry.get(partition, [])
        newest = self.newest_of(partition)
        while heap and heap[0][0] < newest:
            _, happening_id = heapq.heappop(heap)
            placement = self._placed.get(happening_id)
            if placement is not None and placement.expires < newest:
                self._take(happening_id)
                change.placements[happening_id] = None
        return change

    # --- placing ----------------------------------------------------------------------------------

    def place(self, partition: int, happening_id: str, happening: Happening | None) -> Change:
        """Count ``happening`` (None: withdraw it) in the bucket of its own date; a no-op when it stays."""
        change = Change()
        old = self._placed.get(happening_id)
        new = self._placement(partition, happening, old) if happening is not None else None
        if new == old:
            return change
        if old is not None:
            self._take(happening_id)
        if new is not None:
            self._put(happening_id, new)
            heapq.heappush(self._expiry.setdefault(partition, []), (new.expires, happening_id))
        change.placements[happening_id] = new
        touched = [p for p in (old, new) if p is not None]
        seen: set[tuple[Series, WindowKey]] = set()
        for placement in touched:
            series = Series(placement.series)
            for window in keys_for(self.specs, placement.bucket, placement.pair, placement.type):
                if (series, window) not in seen:
                    seen.add((series, window))
                    change.counts.append(SeriesCount(series, window, self.count(placement.partition, series, window)))
        return change

    def _placement(self, partition: int, happening: Happening, old: Placement | None) -> Placement:
        ts = happening.counted_at.timestamp()
        start = bucket_start(ts, self.bucket)
        newest = max(self.newest_of(partition), happening.last_reported_at.timestamp())
        if old is not None and old.bucket == start and old.pair == happening.pair and old.type == happening.type.value:
            return old  # same day: stays in its series, whatever time has passed since
        last_end = last_window_end(self.specs, start)
        if happening.historical or last_end < newest - self.retention:
            series, expires = Series.HISTORICAL, newest + self.retention
        else:
            series, expires = Series.HAPPENINGS, last_end + self.retention
        return Placement(partition, series.value, happening.pair, happening.type.value, start, expires)

    def _put(self, happening_id: str, placement: Placement) -> None:
        self._placed[happening_id] = placement
        self._members.setdefault(placement.bucket_key(), set()).add(happening_id)

    def _take(self, happening_id: str) -> None:
        placement = self._placed.pop(happening_id)
        key = placement.bucket_key()
        members = self._members.get(key)
        if members is not None:
            members.discard(happening_id)
            if not members:
                del self._members[key]

    # --- reading ----------------------------------------------------------------------------------

    def count(self, partition: int, series: Series, window: WindowKey) -> int:
        """Happenings of ``series`` placed in ``window``'s buckets."""
        total = 0
        for start in range(int(window.start), int(window.end), self.bucket):
            members = self._members.get((partition, series.value, window.pair, window.type, start))
            total += len(members) if members else 0
        return total

    def windows_of(self, placement: Placement) -> list[WindowKey]:
        """Every window that holds ``placement``'s bucket."""
        return keys_for(self.specs, placement.bucket, placement.pair, placement.type)

    def placed(self, happening_id: str) -> Placement | None:
        return self._placed.get(happening_id)

    def placements(self) -> dict[str, Placement]:
        return dict(self._placed)

    def totals(self, series: Series, partitions: set[int] | None = None) -> dict[tuple[str, str], int]:
        """Per (pair, type): the happenings of ``series`` held now (the historical series' gauge)."""
        out: dict[tuple[str, str], int] = {}
        for (partition, name, pair, type_, _), members in self._members.items():
            if name == series.value and (partitions is None or partition in partitions):
                out[(pair, type_)] = out.get((pair, type_), 0) + len(members)
        return out

    def current(self, partitions: set[int] | None = None) -> dict[tuple[str, str, str], int]:
        """Per (window kind, pair, type): happenings in each spec's window holding the newest event time.

        The newest event time is the newest of the partitions asked for (a dashboard's "now").
        """
        owned = [p for p in self._newest if partitions is None or p in partitions]
        newest = max((self._newest[p] for p in owned), default=0.0)
        if not newest:
            return {}
        return current_totals(
            (
                (pair, type_, start, len(members))
                for (partition, name, pair, type_, start), members in self._members.items()
                if name == Series.HAPPENINGS.value and (partitions is None or partition in partitions)
            ),
            self.specs,
            newest,
        )
