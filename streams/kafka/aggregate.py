"""events → windowed counts → event-counts, and the window gauges.

Counts are distinct events per (window, pair, type) on event time, the article's
publication time. Two Faust tables, both changelog-backed so they survive a
restart on Apache Kafka: ``counted-events`` remembers every event_id already
counted (a replay or a redelivery never counts twice), ``window-counts`` holds
the counts. The window arithmetic and expiry live in the pure core
(``streams.core.windows``): expiry follows the newest event time seen, not the
wall clock, so replaying 2023 news in 2026 keeps its windows.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import faust

from schemas import PairCount
from streams.core.records import BadRecord, decode_event
from streams.core.windows import WindowKey, WindowSpec, expired, hopping, keys_for, tumbling
from streams.kafka.agents import send_to_dlq
from streams.kafka.topics import SCHEMA_VERSION_HEADER, Topics
from streams.metrics import (
    CONSUMER_LAG,
    EVENTS_AGGREGATED,
    EVENTS_DUPLICATE,
    NEWEST_EVENT_TIME,
    WINDOW_EVENTS,
)
from streams.settings import Settings

log = logging.getLogger(__name__)


def window_specs(settings: Settings) -> list[WindowSpec]:
    return [
        tumbling(settings.tumbling_window_seconds),
        hopping(settings.hopping_window_seconds, settings.hopping_step_seconds),
    ]


def current_windows(counts: dict[str, int], newest: float) -> dict[tuple[str, str, str], int]:
    """Per (window kind, pair, type): the count in the latest-starting window that holds ``newest``."""
    best: dict[tuple[str, str, str], tuple[float, int]] = {}
    for raw_key, value in counts.items():
        key = WindowKey.decode(raw_key)
        if not key.start <= newest < key.end:
            continue
        label = (key.kind.value, key.pair, key.type)
        if label not in best or key.start > best[label][0]:
            best[label] = (key.start, value)
    return {label: count for label, (_, count) in best.items()}


def wire_aggregation(app: faust.App, settings: Settings, topics: Topics) -> None:
    events = app.topic(topics.events, partitions=settings.partitions)
    counts_topic = app.topic(topics.event_counts, partitions=settings.partitions)
    dlq = app.topic(topics.articles_dlq, partitions=settings.partitions)
    counts = app.Table("window-counts", default=int, partitions=settings.partitions, key_type=str, value_type=int)
    seen = app.Table("counted-events", default=bool, partitions=settings.partitions, key_type=str, value_type=bool)
    specs = window_specs(settings)
    state = {"newest": 0.0}

    @app.agent(events, name="aggregate")
    async def aggregate(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            EVENTS_AGGREGATED.inc()
            try:
                diplomatic = decode_event(event.value)
            except BadRecord as bad:
                await send_to_dlq(dlq, event.key, event.value, bad, event.message)
                continue
            if seen[diplomatic.event_id]:
                EVENTS_DUPLICATE.inc()
                continue
            seen[diplomatic.event_id] = True
            ts = diplomatic.published_at.timestamp()
            if ts > state["newest"]:
                state["newest"] = ts
                NEWEST_EVENT_TIME.set(ts)
            for key in keys_for(specs, ts, diplomatic.pair, diplomatic.type.value):
                raw_key = key.encode()
                counts[raw_key] += 1
                update = PairCount(
                    window_kind=key.kind,
                    window_start=key.start_dt(),
                    window_end=key.end_dt(),
                    pair=key.pair,
                    type=diplomatic.type,
                    count=counts[raw_key],
                )
                await counts_topic.send(
                    key=raw_key.encode(),
                    value=update.model_dump_json().encode(),
                    headers=[(SCHEMA_VERSION_HEADER, str(update.schema_version).encode())],
                    timestamp=ts,
                )

    @app.timer(interval=1.0)
    async def refresh_window_gauges() -> None:
        """The window gauges, from a scan of the counts table: once a second, never per event."""
        newest = state["newest"]
        if not newest:
            return
        current = current_windows(dict(counts.items()), newest)
        WINDOW_EVENTS.clear()
        for (kind, pair, type_), value in current.items():
            WINDOW_EVENTS.labels(window=kind, pair=pair, type=type_).set(value)

    @app.timer(interval=60.0)
    async def expire_windows() -> None:
        """Drop windows that ended long before the newest event time (not the wall clock)."""
        newest = state["newest"]
        if not newest:
            return
        stale = [
            k for k in list(counts.keys()) if expired(WindowKey.decode(k), newest, settings.window_retention_seconds)
        ]
        for k in stale:
            del counts[k]
        if stale:
            log.info("expired %d windows older than %s", len(stale), datetime.fromtimestamp(newest, tz=UTC))

    lagged_topics = {topics.articles, topics.events}

    @app.timer(interval=2.0)
    async def report_lag() -> None:
        """Lag of the partitions this worker owns now, from their high-water marks (``end_offsets`` is wrong
        on Tansu). Only the input topics: Faust's changelog and assignor topics say nothing to an operator,
        and partitions handed over in a rebalance disappear from the gauge."""
        consumer = app.consumer
        try:
            assigned = [tp for tp in consumer.assignment() if tp.topic in lagged_topics]
        except Exception:  # not started or rebalancing
            return
        read_offsets = getattr(consumer, "_read_offset", {})
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
