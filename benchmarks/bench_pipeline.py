"""End-to-end throughput and latency on the embedded broker, beside a raw passthrough.

    python benchmarks/bench_pipeline.py [--articles 300] [--latency-rate 20]

1. Throughput: N distinct articles (the seeds, re-dated copies) are produced as
   fast as possible; articles/s is N over the time until the worker's own
   ``diplostream_articles_consumed_total`` reaches N and its events are all out.
2. Latency: articles are produced at a steady rate below capacity; for each, the
   time from send to the first of its events arriving on the events topic
   (p50/p99).
3. Baseline: the same two measurements for a plain aiokafka consumer that copies
   each record to another topic, on the same broker: what the broker and client
   cost before any extraction or Faust.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from schemas import Article
from streams.kafka.broker import embedded_broker, free_port
from streams.kafka.demo import scrape, wait_until, worker_process
from streams.kafka.producer import load_articles
from streams.kafka.topics import Topics, ensure_topics

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def corpus(n: int, tag: str) -> list[Article]:
    seeds, _ = load_articles([SEEDS], 2 * 1024 * 1024)
    return [
        seeds[i % len(seeds)].model_copy(
            update={
                "article_id": f"{seeds[i % len(seeds)].article_id}-{tag}-{i}",
                "published_at": seeds[i % len(seeds)].published_at + timedelta(days=i // len(seeds)),
            }
        )
        for i in range(n)
    ]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def first_arrivals(bootstrap: str, topic: str, key_of, expected: int, timeout: float) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Wall time at which the first record for each article id arrived on ``topic``."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None)
    await consumer.start()
    seen: dict[str, float] = {}
    deadline = time.monotonic() + timeout
    try:
        while len(seen) < expected and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            now = time.monotonic()
            for records in batch.values():
                for record in records:
                    seen.setdefault(key_of(record), now)
    finally:
        await consumer.stop()
    return seen


async def produce(bootstrap: str, topic: str, articles: list[Article], rate: float | None) -> dict[str, float]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=False)
    await producer.start()
    sent: dict[str, float] = {}
    try:
        interval = 1.0 / rate if rate else 0.0
        start = time.monotonic()
        for i, a in enumerate(articles):
            if interval:
                await asyncio.sleep(max(0.0, start + i * interval - time.monotonic()))
            sent[a.article_id] = time.monotonic()
            await producer.send(topic, key=a.article_id.encode(), value=a.model_dump_json().encode())
        await producer.flush()
    finally:
        await producer.stop()
    return sent


async def passthrough(bootstrap: str, source: str, sink: str, stop: asyncio.Event, ready: asyncio.Event) -> None:
    consumer = AIOKafkaConsumer(
        source,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        group_id=f"passthrough-{uuid.uuid4().hex[:6]}",
        session_timeout_ms=6000,
        heartbeat_interval_ms=2000,
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=False)
    await consumer.start()
    await producer.start()
    while not consumer.assignment():  # joined: the clock starts after the group is settled
        await consumer.getmany(timeout_ms=100)
    ready.set()
    try:
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=100)
            for records in batch.values():
                for r in records:
                    await producer.send(sink, key=r.key, value=r.value)
    finally:
        await consumer.stop()
        await producer.stop()


def article_id_of_event(record) -> str:  # type: ignore[no-untyped-def]
    return str(json.loads(record.value)["article_id"])


def article_id_of_copy(record) -> str:  # type: ignore[no-untyped-def]
    return str(record.key.decode())


async def measure_baseline(bootstrap: str, n: int, rate: float) -> dict[str, float]:
    out: dict[str, float] = {}
    for label, articles, pace in (("throughput", corpus(n, "bt"), None), ("latency", corpus(n // 2, "bl"), rate)):
        topics = Topics(f"bench-base-{uuid.uuid4().hex[:6]}.")
        ensure_topics(bootstrap, topics, 6)
        stop, ready = asyncio.Event(), asyncio.Event()
        task = asyncio.create_task(passthrough(bootstrap, topics.articles, topics.events, stop, ready))
        await asyncio.wait_for(ready.wait(), 60)
        arrivals_task = asyncio.create_task(
            first_arrivals(bootstrap, topics.events, article_id_of_copy, len(articles), 120)
        )
        started = time.monotonic()
        sent = await produce(bootstrap, topics.articles, articles, pace)
        arrivals = await arrivals_task
        stop.set()
        await task
        if label == "throughput":
            out["throughput"] = len(arrivals) / (max(arrivals.values()) - started)
        else:
            lat = [arrivals[k] - sent[k] for k in sent if k in arrivals]
            out["p50"], out["p99"] = percentile(lat, 0.5), percentile(lat, 0.99)
    return out


def pipeline_run(bootstrap: str, articles: list[Article], rate: float | None, log: Path) -> dict[str, float]:
    """One worker on fresh topics: throughput when ``rate`` is None, else send-to-first-event latency."""
    topics = Topics(f"bench-pipe-{uuid.uuid4().hex[:6]}.")
    ensure_topics(bootstrap, topics, 6)
    port = free_port()
    url = f"http://127.0.0.1:{port}/metrics"
    with worker_process(bootstrap, topics.prefix, f"bench-{uuid.uuid4().hex[:6]}", port, log) as proc:
        wait_until(lambda: bool(scrape(url)), 60, "worker metrics", proc)
        # the clock starts once the worker owns its partitions (it reports lag for them)
        wait_until(lambda: "diplostream_consumer_lag" in scrape(url), 60, "partition assignment", proc)

        async def run() -> tuple[dict[str, float], dict[str, float], float]:
            arrivals_task = asyncio.create_task(
                first_arrivals(bootstrap, topics.events, article_id_of_event, len(articles), 180)
            )
            started = time.monotonic()
            sent = await produce(bootstrap, topics.articles, articles, rate)
            return sent, await arrivals_task, started

        sent, arrivals, started = asyncio.run(run())
        if rate is None:
            consumed = lambda: scrape(url).get("diplostream_articles_consumed_total", 0) >= len(articles)  # noqa: E731
            wait_until(consumed, 120, "all articles consumed", proc)
            return {"throughput": len(articles) / (max(arrivals.values()) - started)}
    lat = [arrivals[k] - sent[k] for k in sent if k in arrivals]
    return {"p50": percentile(lat, 0.5), "p99": percentile(lat, 0.99)}


def measure_pipeline(bootstrap: str, n: int, rate: float, workdir: Path) -> dict[str, float]:
    return {
        **pipeline_run(bootstrap, corpus(n, "pt"), None, workdir / "throughput.log"),
        **pipeline_run(bootstrap, corpus(n // 2, "pl"), rate, workdir / "latency.log"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300, help="articles for the throughput run (default 300)")
    parser.add_argument("--latency-rate", type=float, default=20.0, help="articles/s during the latency run")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    with embedded_broker(log_path=workdir / "broker.log") as broker:
        base = asyncio.run(measure_baseline(broker.bootstrap, args.articles, args.latency_rate))
        pipe = measure_pipeline(broker.bootstrap, args.articles, args.latency_rate, workdir)
    print(f"embedded Tansu broker, {args.articles} articles (~5 KB each), 6 partitions, one worker")
    print(f"{'':28}{'articles/s':>12}{'p50 ms':>10}{'p99 ms':>10}")
    for name, row in (("raw aiokafka passthrough", base), ("diplostream worker", pipe)):
        print(f"{name:28}{row['throughput']:>12.0f}{row['p50'] * 1000:>10.1f}{row['p99'] * 1000:>10.1f}")
    print(f"(latency: send to first event on the events topic, at {args.latency_rate:g} articles/s)")
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
