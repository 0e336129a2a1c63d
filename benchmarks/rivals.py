"""The two systems ``bench_pipeline.py`` runs beside the worker, each as its own process.

    python benchmarks/rivals.py plain --bootstrap HOST:PORT --prefix P --group G
    python benchmarks/rivals.py quix  --bootstrap HOST:PORT --prefix P --group G --state-dir DIR

``plain``: an aiokafka consume → extract → produce loop, the same extractor and the
same event JSON as the worker, no windows: what the job costs before any stream
framework. Each fetched batch's events are handed to the producer together and
awaited together, and offsets are committed after them (at-least-once).

``quix``: a Quix Streams 3.28 application doing the same extraction, then the same
counts: per (pair, type), a tumbling 1-day and a hopping 7-day / 1-day-step window
on publication time (``count().current()``: an update per event and window, as Quix
emits them), with a grace as long as the worker's retention so that out-of-order
articles are counted, not dropped. Its input, events and counts topics are created
by the bench with explicit ``retention.ms``/``cleanup.policy`` (FIELD-NOTES: Quix
fails on Tansu otherwise). Quix Streams is a benchmark-only dependency (the
``bench`` extra).

Both consume with the worker's fetch wait (100 ms; their clients' defaults are 500 ms),
which bounds the latency on Tansu: it answers a fetch only when the wait is over.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from streams.core.extract import extract
from streams.core.records import BadRecord, decode_article

MAX_ARTICLE_BYTES = 2 * 1024 * 1024
RETENTION = timedelta(days=400)  # the worker's default window retention
FETCH_MAX_WAIT_MS = (
    100  # the worker's default: Tansu holds a fetch for all of it (FIELD-NOTES), so all three wait alike
)


def events_of(raw: bytes) -> list[bytes]:
    """The DiplomaticEvent JSON of one article record, as the worker writes them (none for bad input)."""
    try:
        article = decode_article(raw, MAX_ARTICLE_BYTES, now=datetime.now(UTC))
    except BadRecord:
        return []
    return [e.model_dump_json().encode() for e in extract(article)]


async def plain(bootstrap: str, prefix: str, group: str) -> None:
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    consumer = AIOKafkaConsumer(
        f"{prefix}articles",
        bootstrap_servers=bootstrap,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        session_timeout_ms=6000,
        heartbeat_interval_ms=2000,
        max_partition_fetch_bytes=8 * 1024 * 1024,
        fetch_max_wait_ms=FETCH_MAX_WAIT_MS,
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=False)
    await consumer.start()
    await producer.start()
    sink = f"{prefix}events"
    try:
        while True:
            batch = await consumer.getmany(timeout_ms=100)
            sends = []
            for records in batch.values():
                for r in records:
                    for payload in events_of(r.value):
                        pair = json.loads(payload)["pair"]
                        sends.append(await producer.send(sink, key=pair.encode(), value=payload))
            if sends:
                await asyncio.gather(*sends)
            if batch:
                await consumer.commit()
    finally:
        await consumer.stop()
        await producer.stop()


def quix(bootstrap: str, prefix: str, group: str, state_dir: str) -> None:
    from quixstreams import Application
    from quixstreams.models.topics import TopicConfig

    app = Application(
        broker_address=bootstrap,
        consumer_group=group,
        auto_offset_reset="earliest",
        state_dir=state_dir,
        loglevel="WARNING",
        consumer_extra_config={
            "session.timeout.ms": 6000,
            "heartbeat.interval.ms": 2000,
            "fetch.wait.max.ms": FETCH_MAX_WAIT_MS,
        },
    )
    config = TopicConfig(num_partitions=6, replication_factor=1, extra_config={"retention.ms": "-1"})

    def published_ms(value: Any, headers: Any, timestamp: int, kind: Any) -> int:
        return int(datetime.fromisoformat(value["published_at"]).timestamp() * 1000)

    articles = app.topic(
        f"{prefix}articles",
        value_deserializer="bytes",
        config=config,
        timestamp_extractor=lambda value, headers, ts, kind: published_ms(json.loads(value), headers, ts, kind),
    )
    events = app.topic(f"{prefix}events", value_serializer="bytes", key_serializer="str", config=config)
    counts = app.topic(f"{prefix}event-counts", config=config)

    sdf = app.dataframe(articles)
    sdf = sdf.apply(events_of, expand=True)
    sdf = sdf.to_topic(events, key=lambda payload: json.loads(payload)["pair"])
    sdf = sdf.apply(lambda payload: json.loads(payload))
    sdf = sdf.group_by(lambda e: f"{e['pair']}|{e['type']}", name="pair-type")
    day, week = timedelta(days=1), timedelta(days=7)
    sdf.tumbling_window(day, grace_ms=RETENTION).count().current().to_topic(counts)
    sdf.hopping_window(week, step_ms=day, grace_ms=RETENTION).count().current().to_topic(counts)
    app.run()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("system", choices=["plain", "quix"])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--group", required=True)
    parser.add_argument("--state-dir", default="/tmp/bench-quix-state")
    args = parser.parse_args()
    if args.system == "plain":
        asyncio.run(plain(args.bootstrap, args.prefix, args.group))
    else:
        quix(args.bootstrap, args.prefix, args.group, args.state_dir)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
