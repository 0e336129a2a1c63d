"""Distinct events per window, kept as one id set per bucket, expired by event time.

Why one record per bucket holds both the count and the de-duplication: with a
separate "seen ids" table and a "counts" table, a worker killed between the two
changelog writes either counts an event twice or loses it on restart. Here the
ids of one (partition, pair, type, bucket) are one value, so an event is counted
exactly when its id is in its bucket, and a window's count is the sum of its
buckets' sizes. The ids of a bucket are forgotten with the bucket, once every
window that holds it has expired: the de-duplication state is bounded by the
window retention, not by the number of events ever seen.

Expiry follows the newest event time of each partition (recovered from its own
table after a restart), never the wall clock, and happens here, while an event
of that partition is being processed: a Faust table can only be changed from
within its stream, and a deleted key's tombstone must go to the changelog
partition the key lives in. The key therefore names its partition.

The two mappings are Faust tables in the worker and plain dicts in tests.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field
from enum import StrEnum

from streams.core.windows import (
    WindowKey,
    WindowSpec,
    bucket_seconds,
    bucket_start,
    current_totals,
    expired,
    keys_for,
    last_window_end,
)


@dataclass(frozen=True, slots=True)
class BucketKey:
    """One bucket of one pair and type, in the partition whose events fill it."""

    partition: int
    pair: str
    type: str
    start: int

    def encode(self) -> str:
        return f"{self.partition}|{self.pair}|{self.type}|{self.start}"

    @classmethod
    def decode(cls, text: str) -> BucketKey:
        partition, pair, type_, start = text.split("|")
        return cls(int(partition), pair, type_, int(start))


class Outcome(StrEnum):
    COUNTED = "counted"
    DUPLICATE = "duplicate"  # its id is already in its bucket: a replay or a redelivery
    LATE = "late"  # every window that would hold it has expired: it would reopen none


@dataclass(slots=True)
class Result:
    outcome: Outcome
    windows: list[WindowKey] = field(default_factory=list)
    """The open windows that hold the event (for a duplicate too), whose counts it changed: their counts
    are asked for when they are published (:meth:`WindowCounter.count`), once for many events."""
    expired: list[str] = field(default_factory=list)
    """Bucket keys forgotten while handling it (their windows all ended before the retention)."""


class WindowCounter:
    """Counts distinct events per window for the partitions a worker owns."""

    def __init__(
        self,
        specs: list[WindowSpec],
        retention: float,
        buckets: MutableMapping[str, list[str]],
        newest: MutableMapping[str, float],
    ) -> None:
        self.specs = specs
        self.retention = retention
        self.bucket = bucket_seconds(specs)
        self.buckets = buckets
        self.newest = newest
        # partition -> heap of (last window end, bucket key): the next bucket to forget on top
        self._expiry: dict[int, list[tuple[int, str]]] = {}

    def forget_index(self) -> None:
        """Drop the in-memory expiry index; it is rebuilt from the table per partition on its next event.

        Call it when the worker's partitions change: the table then holds buckets recovered
        from the changelog that the index has never seen.
        """
        self._expiry.clear()

    def newest_of(self, partition: int) -> float:
        return float(self.newest.get(str(partition), 0.0) or 0.0)

    def add(self, partition: int, event_id: str, ts: float, pair: str, type_: str) -> Result:
        """Count one event of ``partition``; returns what happened and which windows changed."""
        newest = self.newest_of(partition)
        if ts > newest:
            newest = ts
            self.newest[str(partition)] = ts  # before the bucket: a restart never sees a bucket newer than this
        forgotten = self._expire(partition, newest)
        start = bucket_start(ts, self.bucket)
        if self._retired(start, newest):
            return Result(Outcome.LATE, expired=forgotten)
        key = BucketKey(partition, pair, type_, start).encode()
        ids = self.buckets.get(key)
        if ids is not None and event_id in ids:
            # counted before, but the window updates it caused may not have reached the topic
            # before a crash: publish the current counts again (the same values, so harmless)
            return Result(Outcome.DUPLICATE, self._open_windows(ts, pair, type_, newest), forgotten)
        self.buckets[key] = [*(ids or ()), event_id]
        if ids is None:
            heapq.heappush(self._index(partition), (last_window_end(self.specs, start), key))
        return Result(Outcome.COUNTED, self._open_windows(ts, pair, type_, newest), forgotten)

    def _open_windows(self, ts: float, pair: str, type_: str, newest: float) -> list[WindowKey]:
        return [w for w in keys_for(self.specs, ts, pair, type_) if not expired(w, newest, self.retention)]

    def is_open(self, partition: int, window: WindowKey) -> bool:
        """Whether ``window`` still takes counts: one that expired since an event changed it is not published."""
        return not expired(window, self.newest_of(partition), self.retention)

    def count(self, partition: int, window: WindowKey) -> int:
        """Distinct events in ``window``: the sum of its buckets."""
        total = 0
        for start in range(int(window.start), int(window.end), self.bucket):
            ids = self.buckets.get(BucketKey(partition, window.pair, window.type, start).encode())
            total += len(ids) if ids else 0
        return total

    def _retired(self, start: int, newest: float) -> bool:
        return last_window_end(self.specs, start) < newest - self.retention

    def _index(self, partition: int) -> list[tuple[int, str]]:
        heap = self._expiry.get(partition)
        if heap is None:
            prefix = f"{partition}|"
            heap = [
                (last_window_end(self.specs, BucketKey.decode(k).start), k)
                for k in list(self.buckets.keys())
                if k.startswith(prefix)
            ]
            heapq.heapify(heap)
            self._expiry[partition] = heap
        return heap

    def _expire(self, partition: int, newest: float) -> list[str]:
        heap = self._index(partition)
        cutoff = newest - self.retention
        out = []
        while heap and heap[0][0] < cutoff:
            _, key = heapq.heappop(heap)
            if key in self.buckets:
                del self.buckets[key]
                out.append(key)
        return out


def current_counts(
    buckets: Iterable[tuple[str, list[str]]], specs: list[WindowSpec], newest: float, partitions: set[int] | None = None
) -> dict[tuple[str, str, str], int]:
    """Per (window kind, pair, type): the count in each spec's current window at ``newest``.

    ``partitions`` limits it to the buckets of the partitions a worker owns now.
    """
    decoded = ((BucketKey.decode(raw), len(ids)) for raw, ids in buckets)
    return current_totals(
        ((k.pair, k.type, k.start, n) for k, n in decoded if partitions is None or k.partition in partitions),
        specs,
        newest,
    )
