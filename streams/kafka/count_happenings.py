"""Happenings counted on their own dates: the happenings agent's second table and its window updates.

The happenings handler (``streams/kafka/happen.py``) calls this for every event it
takes in and for every happening it settles (on a timer or before a commit, outside
the stream iteration: the table is written back, each change to the partition of the
happening's events, ``streams/kafka/changelog.py``), so the counts of a pair come from
the one partition that holds the pair's events. The pure core
(:class:`~streams.core.happening_counts.HappeningCounter`) decides; this keeps its
placements in the changelog-backed ``happening-counts`` table (one record per
happening id, and ``newest|PARTITION`` for each partition's newest event time),
rebuilds it from the table at the first event after an assignment, and hands each
changed window count (series ``happenings`` or ``historical``) to the coalescer
(``streams/kafka/coalesce.py``), which sends it before the next offset commit. A count
still pending when the worker died is published again: the happenings handler places
every happening of a lane again at the lane's first event after a recovery, and
:meth:`HappeningCounts.republish` sends the current counts of their windows.
"""

from __future__ import annotations

import logging
from typing import Any

import faust

from schemas.counts import Series
from streams.core.happening_counts import Change, HappeningCounter, Placement
from streams.core.windows import WindowKey
from streams.kafka.aggregate import owned_partitions, window_record, window_specs
from streams.kafka.coalesce import Build, Coalescer
from streams.kafka.topics import count_key
from streams.kafka.transport import App
from streams.metrics import HAPPENINGS_HISTORICAL, WINDOW_HAPPENINGS
from streams.settings import Settings

log = logging.getLogger(__name__)

NEWEST_PREFIX = "newest|"


def known(series: Series, window: WindowKey, count: int) -> Build:
    """A window count the counter gave: its record is built only if no newer count replaces it before the flush."""
    return lambda: window_record(series, window, count)


class HappeningCounts:
    """The counter of one worker, its table and the topic its window updates go to."""

    def __init__(self, app: App, settings: Settings, table_name: str, coalescer: Coalescer) -> None:
        self.table = app.write_back(app.Table(table_name, partitions=settings.partitions, key_type=str))
        self.coalescer = coalescer
        self.counter = HappeningCounter(window_specs(settings), retention=settings.window_retention_seconds)
        self.stale = True

    def forget(self) -> None:
        """Partitions moved: rebuild from the (recovered) table at the next event."""
        self.stale = True

    def _ready(self) -> HappeningCounter:
        """The counter, rebuilt from one pass over the table at the first event after a (re)assignment."""
        if self.stale:
            placements: list[tuple[str, Placement]] = []
            newest: dict[int, float] = {}
            for key, value in list(self.table.items()):
                try:
                    if key.startswith(NEWEST_PREFIX):
                        newest[int(key.removeprefix(NEWEST_PREFIX))] = float(value)
                    else:
                        placements.append((key, Placement.from_json(value)))
                except (TypeError, KeyError, ValueError):
                    log.warning("skipping an unreadable record %r of the %s table", key, self.table.name)
            self.counter.load(placements, newest)
            self.stale = False
        return self.counter

    def observe(self, message: Any, published: float) -> None:
        """An event of ``message``'s partition: time moves on; forgotten placements leave the table."""
        counter = self._ready()
        partition = message.partition
        before = counter.newest_of(partition)
        change = counter.observe(partition, published)
        self._store(change, partition)
        newest = counter.newest_of(partition)
        # stored once a bucket (a day): expiry works in buckets, and a recovered time a day behind only
        # forgets a day later, where one changelog record per event would double this table's writes
        if newest // counter.bucket > before // counter.bucket:
            self.table.put(partition, f"{NEWEST_PREFIX}{partition}", newest)

    def place(self, message: Any, happening_id: str, happening: Any, published: float) -> None:
        """Count one new, changed or withdrawn happening of ``message``'s partition (the last event of its
        lane); its changed windows are pending, then it is stored."""
        change = self._ready().place(message.partition, happening_id, happening)
        for item in change.counts:
            self.coalescer.put(
                count_key(item.series, item.window).encode(),
                known(item.series, item.window, item.count),
                published,
                message,
            )
        self._store(change, message.partition)

    def republish(self, message: Any, happening_id: str, published: float) -> None:
        """The current counts of the windows of a placed happening, again: after a recovery, a count that was
        pending when the worker died must not stay lost (the same values, so harmless)."""
        counter = self._ready()
        placement = counter.placed(happening_id)
        if placement is None:
            return
        series = Series(placement.series)
        for window in counter.windows_of(placement):
            count = counter.count(placement.partition, series, window)
            self.coalescer.put(count_key(series, window).encode(), known(series, window, count), published, message)

    def _store(self, change: Change, partition: int) -> None:
        for happening_id, placement in change.placements.items():
            if placement is not None:
                self.table.put(partition, happening_id, placement.to_json())
            else:
                self.table.delete(partition, happening_id)

    def refresh_gauges(self, app: faust.App, topic: str) -> None:
        """The happenings gauges of the partitions owned now (read only: called from a timer)."""
        if self.stale:
            return
        owned = owned_partitions(app, topic)
        if owned is None:
            return
        current = self.counter.current(owned)
        WINDOW_HAPPENINGS.clear()
        for (kind, pair, type_), value in current.items():
            WINDOW_HAPPENINGS.labels(window=kind, pair=pair, type=type_).set(value)
        HAPPENINGS_HISTORICAL.clear()
        for (pair, type_), value in self.counter.totals(Series.HISTORICAL, owned).items():
            HAPPENINGS_HISTORICAL.labels(pair=pair, type=type_).set(value)
