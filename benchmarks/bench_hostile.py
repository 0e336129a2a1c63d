"""Issue 11's run, scripted: 240 hostile records among good articles, one worker, and the books balanced.

    python benchmarks/bench_hostile.py [--records 240] [--broker tansu|apache] [--seed 11]

The records are ``tests/hostile.py``'s fixed batch (every kind the issue lists, long keys,
articles without events, about one in six a good article; the same every run for a seed),
produced with kafka-python to one worker on the embedded Tansu broker (default) or on
Apache Kafka from its jars. When the worker has accounted for every record it prints, from
its /metrics and the topics: consumed, articles with and without events, the DLQ metric by
reason and the DLQ topic's count, events metric and topic, agent crashes in the worker's
log, and the time taken. Exit code 1 when the books do not balance.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from kafka import KafkaProducer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streams.core.deadletter import REASON_HEADER  # noqa: E402
from streams.kafka.apache import ApacheKafka  # noqa: E402
from streams.kafka.broker import EmbeddedBroker, free_port  # noqa: E402
from streams.kafka.demo import scrape, wait_until, worker_process  # noqa: E402
from streams.kafka.topics import Topics, ensure_topics  # noqa: E402
from streams.settings import DEFAULT_MAX_MESSAGE_BYTES  # noqa: E402
from tests.hostile import fixed_batch  # noqa: E402
from tests.integration.conftest import Deployment  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=240)
    parser.add_argument("--broker", choices=["tansu", "apache"], default="tansu")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    batch = fixed_batch(args.records, args.seed)
    kinds = Counter(name for name, _ in batch)
    with tempfile.TemporaryDirectory(prefix="diplostream-hostile-") as tmp, contextlib.ExitStack() as stack:
        work = Path(tmp)
        if args.broker == "tansu":
            tansu = EmbeddedBroker(log_path=work / "broker.log").start()
            stack.callback(tansu.stop)
            bootstrap = tansu.bootstrap
        else:
            apache = ApacheKafka(log_path=work / "broker.log").start()
            stack.callback(apache.close)
            bootstrap = apache.bootstrap
        run = uuid.uuid4().hex[:8]
        topics = Topics(f"hostile-{run}.")
        app_id = f"diplostream-hostile-{run}"
        ensure_topics(bootstrap, topics, 6, app_id=app_id)
        port = free_port()
        url = f"http://127.0.0.1:{port}/metrics"
        log = work / "worker.log"
        worker = stack.enter_context(worker_process(bootstrap, topics.prefix, app_id, port, log))
        wait_until(lambda: bool(scrape(url)), 60, "the worker's metrics", worker)
        producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", max_request_size=DEFAULT_MAX_MESSAGE_BYTES)
        started = time.monotonic()
        futures = [
            producer.send(topics.articles, key=key if key is not None or value is not None else b"t", value=value)
            for _, (key, value) in batch
        ]
        producer.flush(60)
        for future in futures:
            future.get(60)
        producer.close()

        def accounted() -> float:
            m = scrape(url)
            return sum(
                m.get(name, 0.0)
                for name in (
                    "diplostream_articles_with_events_total",
                    "diplostream_articles_without_events_total",
                    "diplostream_dlq_records_total",
                )
            )

        wait_until(lambda: accounted() >= len(batch), 180, f"{len(batch)} records accounted for", worker)
        elapsed = time.monotonic() - started
        m = scrape(url)
        reader = Deployment(bootstrap=bootstrap, workdir=work, run_id=run)
        dlq = reader.read(topics.articles_dlq, int(m.get("diplostream_dlq_records_total", 0)))
        events = reader.read(topics.events, int(m.get("diplostream_events_extracted_total", 0)))
        worker_log = log.read_text(errors="replace")
        crashes = worker_log.count("Crashed")
        by_reason = Counter(dict(r.headers)[REASON_HEADER].decode() for r in dlq)
        largest = max((len(r.value) + len(r.key or b"") for r in dlq), default=0)
    consumed = m.get("diplostream_articles_consumed_total", 0)
    with_events = m.get("diplostream_articles_with_events_total", 0)
    without = m.get("diplostream_articles_without_events_total", 0)
    dead = m.get("diplostream_dlq_records_total", 0)
    print(f"{len(batch)} records on {args.broker} (seed {args.seed}), kinds: {dict(sorted(kinds.items()))}")
    print(f"consumed {consumed:.0f} = with events {with_events:.0f} + without {without:.0f} + dead-lettered {dead:.0f}")
    print(f"DLQ metric {dead:.0f}, DLQ topic {len(dlq)}; by reason on the topic: {dict(sorted(by_reason.items()))}")
    print(f"largest DLQ record (key + value) {largest:,} bytes")
    print(f"events metric {m.get('diplostream_events_extracted_total', 0):.0f}, events topic {len(events)}")
    blocked = m.get("diplostream_partition_blocked", 0)
    print(f"agent crashes in the worker log: {crashes}; blocked partitions: {blocked:.0f}")
    print(f"accounted for in {elapsed:.1f} s after the first send")
    balanced = (
        consumed == len(batch) == with_events + without + dead
        and dead == len(dlq)
        and len(events) == m.get("diplostream_events_extracted_total", 0)
        and crashes == 0
    )
    print("balanced" if balanced else "NOT BALANCED")
    return 0 if balanced else 1


if __name__ == "__main__":
    sys.exit(main())
