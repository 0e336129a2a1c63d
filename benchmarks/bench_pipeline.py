"""End-to-end throughput and latency on the embedded broker: the worker beside a plain loop and Quix Streams.

    python benchmarks/bench_pipeline.py [--articles 300] [--latency-rate 20] [--repeats 3]

Three systems do the same job on the same broker, each in its own process on fresh
topics (``benchmarks/rivals.py``): the diplostream worker; a plain aiokafka
consume → extract → produce loop (same extractor, events only: the ceiling); and a
Quix Streams 3.28 app doing the same extraction and the same tumbling (1 day) and
hopping (7 days / 1 day step) counts per pair and type (``pip install -e '.[bench]'``;
without it the Quix column is skipped).

1. Throughput: N distinct articles (the seeds re-dated, their explicit dates moved,
   so that no two copies are the same text) are produced as fast as the broker takes
   them; articles/s is N over the time from the first send until the *last output
   record* (events, window updates and, for the worker, happenings) arrived, read once the outputs have been quiet
   for a few seconds, so a window update still coalescing is waited for.
2. Latency: N/2 articles at a fixed rate; send to the first event of each (p50/p99).

Each system first processes one warm-up article (its event seen), so start-up and
group joins are outside the clock. The runs are interleaved over ``--repeats``
rounds; each figure is the median with min–max. Records per article are counted on
every topic the run wrote (changelogs and Quix's internal topics included). The
worker's final ``event-counts`` are checked against the pure core's counts of the
events it wrote.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

from schemas import Article
from streams.core.counting import WindowCounter
from streams.core.records import decode_event
from streams.core.windows import hopping, tumbling
from streams.kafka.broker import embedded_broker, free_port, stop_process_group
from streams.kafka.demo import worker_process
from streams.kafka.producer import load_articles
from streams.kafka.topics import Topics, ensure_topics

ROOT = Path(__file__).resolve().parent.parent
RIVALS = Path(__file__).resolve().parent / "rivals.py"
BENCH_VENV_PYTHON = ROOT / ".cache" / "bench-venv" / "bin" / "python"
QUIET_SECONDS = 4.0  # outputs silent this long after the last send: the run is over
SYSTEMS = ("worker", "plain", "quix")
_DAY_OF_MONTH = re.compile(r"\b((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?) (\d{1,2})\b")


def corpus(n: int, tag: str) -> list[Article]:
    """``n`` distinct articles: the seeds re-dated by a day per round, their explicit days of month moved."""
    seeds, _ = load_articles([ROOT / "seeds"], 2 * 1024 * 1024)
    out = []
    for i in range(n):
        seed, shift = seeds[i % len(seeds)], i // len(seeds)
        body = _DAY_OF_MONTH.sub(lambda m, s=shift: f"{m[1]} {(int(m[2]) - 1 + s) % 28 + 1}", seed.body)
        out.append(
            seed.model_copy(
                update={
                    "article_id": f"{seed.article_id}-{tag}-{i}",
                    "published_at": seed.published_at + timedelta(days=shift),
                    "body": body,
                }
            )
        )
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def create_topics(bootstrap: str, names: list[str], compacted: set[str]) -> None:
    """Topics with explicit retention and cleanup configs (Quix on Tansu needs them: FIELD-NOTES)."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="bench")
    try:
        admin.create_topics(
            [
                NewTopic(
                    name,
                    6,
                    1,
                    topic_configs={
                        "retention.ms": "-1",
                        "cleanup.policy": "compact" if name in compacted else "delete",
                        "max.message.bytes": str(3 * 1024 * 1024),
                    },
                )
                for name in names
            ]
        )
        admin.wait_for_topics(names, timeout_ms=30_000)
    finally:
        admin.close()


def list_topics(bootstrap: str) -> set[str]:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="bench")
    try:
        return set(admin.list_topics())
    finally:
        admin.close()


@dataclass
class Watch:
    """What arrived on the output topics: first event per article, last arrival, the records."""

    first_event: dict[str, float] = field(default_factory=dict)
    last: float = 0.0
    events: list[bytes] = field(default_factory=list)
    counts: dict[bytes, bytes] = field(default_factory=dict)


async def watch(bootstrap: str, events: str, outputs: list[str], stop: asyncio.Event, out: Watch) -> None:
    consumer = AIOKafkaConsumer(
        *outputs, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None, fetch_max_wait_ms=50
    )
    await consumer.start()
    try:
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=50)
            now = time.monotonic()
            for tp, records in batch.items():
                if records:
                    out.last = now
                for r in records:
                    if tp.topic == events:
                        out.events.append(r.value)
                        out.first_event.setdefault(str(json.loads(r.value)["article_id"]), now)
                    elif tp.topic.endswith("event-counts"):
                        out.counts[r.key] = r.value
                    # the worker's happenings: watched for the clock only
    finally:
        await consumer.stop()


async def count_records(bootstrap: str, topics: list[str]) -> dict[str, int]:
    """Records on each topic, read from the start until a second passes without one."""
    consumer = AIOKafkaConsumer(*topics, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None)
    await consumer.start()
    counts: Counter[str] = Counter({t: 0 for t in topics})
    try:
        while True:
            batch = await consumer.getmany(timeout_ms=1000)
            if not batch:
                return dict(counts)
            for tp, records in batch.items():
                counts[tp.topic] += len(records)
    finally:
        await consumer.stop()


async def send_all(bootstrap: str, topic: str, articles: list[Article], rate: float | None) -> dict[str, float]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=False, linger_ms=0)
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


@contextlib.contextmanager
def system_process(system: str, bootstrap: str, prefix: str, workdir: Path) -> Iterator[subprocess.Popen[bytes]]:
    group = f"bench-{system}-{uuid.uuid4().hex[:6]}"
    log = workdir / f"{group}.log"
    if system == "worker":
        with worker_process(bootstrap, prefix, group, free_port(), log) as proc:
            yield proc
        return
    cmd = [rival_python(system), str(RIVALS), system, "--bootstrap", bootstrap, "--prefix", prefix, "--group", group]
    cmd += ["--state-dir", str(workdir / f"state-{group}")]
    with open(log, "wb") as sink:
        proc = subprocess.Popen(
            cmd, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    try:
        yield proc
    finally:
        stop_process_group(proc)


def rival_python(system: str) -> str:
    """The interpreter of a rival: Quix Streams 3.28 pins pydantic below the project's lock, so it lives in a
    venv of its own (``make bench`` builds ``.cache/bench-venv``; ``BENCH_QUIX_PYTHON`` overrides)."""
    if system != "quix":
        return sys.executable
    return os.environ.get("BENCH_QUIX_PYTHON") or (
        str(BENCH_VENV_PYTHON) if BENCH_VENV_PYTHON.exists() else sys.executable
    )


def has_quix() -> bool:
    return subprocess.run([rival_python("quix"), "-c", "import quixstreams"], capture_output=True).returncode == 0


def done(seen: Watch, ids: set[str], started: float) -> bool:
    """Outputs quiet for a while since the last record, and every article's event seen (or a long silence)."""
    quiet = time.monotonic() - seen.last
    if seen.last <= started or quiet < QUIET_SECONDS:
        return False
    return ids <= seen.first_event.keys() or quiet > 4 * QUIET_SECONDS


def run(
    system: str, bootstrap: str, articles: list[Article], warmup: Article, rate: float | None, workdir: Path
) -> dict[str, float]:
    """One system on fresh topics: all-out throughput (``rate`` None) or latency at ``rate``."""
    topics = Topics(f"bench-{system}-{uuid.uuid4().hex[:6]}.")
    before = list_topics(bootstrap)
    if system == "worker":
        ensure_topics(bootstrap, topics, 6)
    else:
        create_topics(bootstrap, [topics.articles, topics.events, topics.event_counts], {topics.event_counts})
    outputs = [topics.events, topics.event_counts] + ([topics.happenings] if system == "worker" else [])
    with system_process(system, bootstrap, topics.prefix, workdir) as proc:

        async def measure() -> tuple[Watch, dict[str, float], float]:
            seen, stop = Watch(), asyncio.Event()
            watcher = asyncio.create_task(watch(bootstrap, topics.events, outputs, stop, seen))
            await send_all(bootstrap, topics.articles, [warmup], None)
            deadline = time.monotonic() + 120
            while warmup.article_id not in seen.first_event:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{system} did not process the warm-up article (see {workdir})")
                await asyncio.sleep(0.05)
            await asyncio.sleep(QUIET_SECONDS)  # the warm-up's window updates are out too
            started = time.monotonic()
            sent = await send_all(bootstrap, topics.articles, articles, rate)
            deadline = time.monotonic() + 300
            ids = {a.article_id for a in articles}
            while not done(seen, ids, started):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{system} stopped or stalled (see {workdir})")
                await asyncio.sleep(0.1)
            stop.set()
            await watcher
            return seen, sent, started

        seen, sent, started = asyncio.run(measure())
    written = sorted(list_topics(bootstrap) - before - {topics.articles})  # what the run wrote, not its input
    records = asyncio.run(count_records(bootstrap, written))
    missing = [a.article_id for a in articles if a.article_id not in seen.first_event]
    row: dict[str, float] = {"no_event": len(missing)}
    if rate is None:
        row["throughput"] = len(articles) / (seen.last - started)
        row["records_per_article"] = sum(records.values()) / (len(articles) + 1)
        for name, n in records.items():
            if n:
                row[f"records:{short_name(name, topics.prefix)}"] = n / (len(articles) + 1)
        if system == "worker":
            row["counts_match_core"] = float(counts_match_core(seen))
    else:
        lat = [seen.first_event[k] - sent[k] for k in sent if k in seen.first_event]
        row["p50"], row["p99"] = percentile(lat, 0.5), percentile(lat, 0.99)
    return row


def short_name(topic: str, prefix: str) -> str:
    """A topic's name without the run's prefix or group id: the same row for every round."""
    return re.sub(r"bench-[a-z]+-[0-9a-f]{6}[-.]*", "", topic.removeprefix(prefix))


def counts_match_core(seen: Watch) -> bool:
    """The newest record of every window key of the reports series on event-counts equals the pure core's count
    (the happenings series, keys prefixed ``happenings|``/``historical|``, are the happenings agent's)."""
    counter = WindowCounter([tumbling(86_400), hopping(7 * 86_400, 86_400)], 400 * 86_400, {}, {})
    expected: dict[str, int] = {}
    for raw in seen.events:
        e = decode_event(raw)
        for key in counter.add(0, e.event_id, e.published_at.timestamp(), e.pair, e.type.value).windows:
            expected[key.encode()] = counter.count(0, key)
    got = {
        k.decode(): int(json.loads(v)["count"])
        for k, v in seen.counts.items()
        if not k.startswith((b"happenings|", b"historical|"))
    }
    return got == expected


def summary(values: list[float], fmt: str) -> str:
    return f"{format(statistics.median(values), fmt)} ({format(min(values), fmt)}–{format(max(values), fmt)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300, help="articles for the throughput run (default 300)")
    parser.add_argument("--latency-rate", type=float, default=20.0, help="articles/s during the latency run")
    parser.add_argument("--repeats", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated subset of worker,plain,quix")
    args = parser.parse_args()
    systems = [s for s in args.systems.split(",") if s]
    if "quix" in systems and not has_quix():
        print(
            "quixstreams is not installed (make bench builds .cache/bench-venv): the Quix column is skipped",
            file=sys.stderr,
        )
        systems = [s for s in systems if s != "quix"]
    workdir = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    rows: dict[str, list[dict[str, float]]] = defaultdict(list)
    with embedded_broker(log_path=workdir / "broker.log") as broker:
        for r in range(args.repeats):
            for system in systems:
                tag = f"{system}{r}"
                warm = corpus(1, f"warm-{tag}")[0]
                row = run(system, broker.bootstrap, corpus(args.articles, f"t-{tag}"), warm, None, workdir)
                row.update(
                    run(
                        system,
                        broker.bootstrap,
                        corpus(args.articles // 2, f"l-{tag}"),
                        warm,
                        args.latency_rate,
                        workdir,
                    )
                )
                rows[system].append(row)
                print(f"round {r + 1} {system}: " + ", ".join(f"{k}={v:.3g}" for k, v in row.items()), file=sys.stderr)
    report(rows, args)
    return 0


def report(rows: dict[str, list[dict[str, float]]], args: argparse.Namespace) -> None:
    names = {"worker": "diplostream worker", "plain": "plain aiokafka loop", "quix": "Quix Streams 3.28 app"}
    print(f"embedded Tansu broker, {args.articles} distinct articles (~5 KB each), 6 partitions, one process each,")
    print(f"{args.repeats} interleaved rounds: median (min–max)")
    print(f"{'':24}{'articles/s':>22}{'p50 ms':>20}{'p99 ms':>22}{'records/article':>18}")
    med: dict[str, dict[str, float]] = {}
    for system, runs in rows.items():
        col = {k: [r.get(k, 0.0) for r in runs] for k in runs[0]}
        med[system] = {k: statistics.median(v) for k, v in col.items()}
        print(
            f"{names[system]:24}{summary(col['throughput'], '.0f'):>22}"
            f"{summary([v * 1000 for v in col['p50']], '.0f'):>20}{summary([v * 1000 for v in col['p99']], '.0f'):>22}"
            f"{statistics.median(col['records_per_article']):>18.1f}"
        )
    print(
        f"(throughput: first send to the last output record; latency: send to first event at {args.latency_rate:g}/s)"
    )
    for system, m in med.items():
        by_topic = ", ".join(f"{k.removeprefix('records:')} {v:.1f}" for k, v in m.items() if k.startswith("records:"))
        print(f"records per article, {names[system]}: {by_topic}")
    if "worker" in rows:
        ok = all(r.get("counts_match_core") for r in rows["worker"])
        print(f"worker's final event-counts equal the pure core's counts in every round: {'yes' if ok else 'NO'}")
    w = med.get("worker")
    for other in ("plain", "quix"):
        if w and other in med:
            o = med[other]
            print(
                f"worker / {names[other]}: throughput {w['throughput'] / o['throughput']:.2f}, "
                f"p99 {w['p99'] / o['p99']:.2f}"
            )


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
