"""events → windowed counts → event-counts, and the window gauges.

Counts are distinct events per (window, pair, type) on event time, the article's
publication time, computed by the pure core's :class:`~streams.core.counting.WindowCounter`
over two changelog-backed Faust tables, so they survive a restart on Apache Kafka:
``window-buckets`` holds the event ids of each (partition, pair, type, day) — the
count and its de-duplication in one record — and ``newest-event-time`` the newest
event time of each partition, which expiry follows (not the wall clock, so
replaying 2023 news in 2026 keeps its windows).

Everything that changes a table happens inside the stream iteration of the one
agent on ``events`` (``streams/kafka/app.py``), which calls :func:`wire_aggregation`'s
handler for each event (FIELD-NOTES: a table changed from a timer crashes the worker);
the timers only read and send. Window updates are coalesced (``streams/kafka/coalesce.py``):
the newest count of each window changed goes out at most once per ``window_flush_seconds``,
and before every offset commit.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import faust

from schemas import DiplomaticEvent, EventType, PairCount
from schemas.counts import Series
from streams.core.counting import Outcome, WindowCounter, current_counts
from streams.core.records import BadRecord
from streams.core.windows import WindowKey, WindowSpec, hopping, tumbling
from streams.kafka.agents import Sender
from streams.kafka.coalesce import Coalescer
from streams.kafka.topics import SCHEMA_VERSION_HEADER, TABLES, Topics, count_key
from streams.kafka.transport import App
from streams.metrics import (
    BUCKETS_EXPIRED,
    CONSUMER_LAG,
    EVENTS_AGGREGATED,
    EVENTS_DUPLICATE,
    EVENTS_LATE,
    NEWEST_EVENT_TIME,
    TABLE_KEYS,
    WINDOW_EVENTS,
)
from streams.settings import Settings

log = logging.getLogger(__name__)


def window_specs(settings: Settings) -> list[WindowSpec]:
    return [
        tumbling(settings.tumbling_window_seconds),
        hopping(settings.hopping_window_seconds, settings.hopping_step_seconds),
    ]


def window_record(series: Series, window: WindowKey, count: int) -> dict[str, Any]:
    """Key, value and headers of one window's count on ``event-counts``: the aggregator's and the happenings'."""
    update = PairCount(
        series=series,
        window_kind=window.kind,
        window_start=window.start_dt(),
        window_end=window.end_dt(),
        pair=window.pair,
        type=EventType(window.type),
        count=count,
    )
    return {
        "key": count_key(series, window).encode(),
        "value": update.model_dump_json().encode(),
        "headers": [(SCHEMA_VERSION_HEADER, str(update.schema_version).encode())],
    }


def owned_partitions(app: faust.App, topic: str) -> set[int] | None:
    """Partitions of ``topic`` this worker owns now; None while it is not started or rebalancing."""
    try:
        return {tp.partition for tp in app.consumer.assignment() if tp.topic == topic}
    except Exception:
        return None


EventHandler = Callable[[Any, DiplomaticEvent | BadRecord], Awaitable[None]]
"""What the ``events`` agent calls for each event (a Faust ``EventT``), inside its stream iteration, with the
event's record decoded once for every handler (or why it could not be)."""


def wire_aggregation(app: App, settings: Settings, topics: Topics, coalescer: Coalescer) -> EventHandler:
    dlq = app.topic(topics.articles_dlq, partitions=settings.partitions)
    # keys and values are JSON in the changelog (Faust's default for tables)
    buckets_name, newest_name = TABLES
    buckets = app.write_back(app.Table(buckets_name, partitions=settings.partitions, key_type=str))
    newest = app.write_back(app.Table(newest_name, partitions=settings.partitions, key_type=str, value_type=float))
    specs = window_specs(settings)
    sender = Sender(settings)
    counter = WindowCounter(specs, settings.window_retention_seconds, buckets, newest)

    def report_count(partition: int, window: WindowKey) -> Callable[[], dict[str, Any] | None]:
        def build() -> dict[str, Any] | None:
            if not counter.is_open(partition, window):
                return None
            return window_record(Series.REPORTS, window, counter.count(partition, window))

        return build

    @app.on_partitions_assigned.connect
    def on_assigned(_app: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        counter.forget_index()  # recovered buckets join the index on their partition's next event

    async def aggregate(event: Any, diplomatic: DiplomaticEvent | BadRecord) -> None:
        if isinstance(diplomatic, BadRecord):
            await sender.dead_letter(dlq, event.key, event.value, diplomatic, event.message)
            EVENTS_AGGREGATED.inc()
            return
        ts = diplomatic.published_at.timestamp()
        result = counter.add(event.message.partition, diplomatic.event_id, ts, diplomatic.pair, diplomatic.type.value)
        if result.expired:
            BUCKETS_EXPIRED.inc(len(result.expired))
        if result.outcome is Outcome.DUPLICATE:
            EVENTS_DUPLICATE.inc()
        elif result.outcome is Outcome.LATE:
            EVENTS_LATE.inc()
        partition = event.message.partition
        for window in result.windows:
            coalescer.put(
                count_key(Series.REPORTS, window).encode(), report_count(partition, window), ts, event.message
            )
        EVENTS_AGGREGATED.inc()  # after its updates are pending: a reader that sees it sees them

    @app.timer(interval=1.0)
    async def refresh_window_gauges() -> None:
        """The window gauges, from a scan of the buckets of the partitions owned now (read only)."""
        owned = owned_partitions(app, topics.events)
        if owned is None:
            return
        latest = max((counter.newest_of(p) for p in owned), default=0.0)
        items = list(buckets.items())  # one scan of the table serves both gauges
        TABLE_KEYS.labels(table="window-buckets").set(len(items))
        TABLE_KEYS.labels(table="window-buckets-event-ids").set(sum(len(ids) for _, ids in items))
        if not latest:
            return
        NEWEST_EVENT_TIME.set(latest)
        current = current_counts(items, specs, latest, owned)
        WINDOW_EVENTS.clear()
        for (kind, pair, type_), value in current.items():
            WINDOW_EVENTS.labels(window=kind, pair=pair, type=type_).set(value)

    lagged_topics = {topics.articles, topics.events}

    @app.timer(interval=2.0)
    async def report_lag() -> None:
        """Lag of the input partitions this worker owns now: the fetch high-water mark (``end_offsets`` is
        wrong on Tansu) less the offset the stream has read (Faust's monitor). Changelog and assignor topics
        say nothing to an operator, and partitions handed over in a rebalance leave the gauge."""
        consumer = app.consumer
        try:
            assigned = [tp for tp in consumer.assignment() if tp.topic in lagged_topics]
        except Exception:  # not started or rebalancing
            return
        read_offsets = app.monitor.tp_read_offsets
        current: dict[tuple[str, str], int] = {}
        for tp in assigned:
            highwater = consumer.highwater(tp)
            if highwater is None:
                continue
            position = read_offsets.get(tp)
            current[(tp.topic, str(tp.partition))] = max(highwater - (position + 1 if position is not None else 0), 0)
        CONSUMER_LAG.clear()
        for (topic, partition), lag in current.items():
            CONSUMER_LAG.labels(topic=topic, partition=partition).set(lag)

    return aggregate
