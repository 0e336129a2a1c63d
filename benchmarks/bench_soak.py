"""Memory under load: one worker on Apache Kafka, tens of thousands of articles over two years.

    python benchmarks/bench_soak.py [--articles 50000] [--days 730] [--retention-days 400]

The seed and development articles are re-dated evenly over ``--days`` (each copy
a distinct article), produced as fast as the broker takes them, and consumed by
one worker. Every ``--every`` seconds it prints the worker's resident memory
(``/proc/PID/status`` VmRSS), its state (keys of the window-buckets table and the
event ids they hold, from the worker's own ``diplostream_table_entries``), what
expiry has forgotten, and how far the worker is. At the end it prints the
figures at the start, the middle and the end of the run, and the bound the
retention sets: with articles spread evenly, the state stops growing once the
newest event time is a retention (plus the longest window) past the first one.
"""

from __future__ import annotations

import argparse
import itertools
import signal
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from schemas import Article
from streams.kafka.apache import ApacheKafka
from streams.kafka.broker import free_port
from streams.kafka.demo import scrape, wait_until, worker_process
from streams.kafka.producer import load_articles, replay
from streams.kafka.topics import Topics, ensure_topics

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "seeds", ROOT / "tests" / "data" / "dev" / "articles"]


def corpus(n: int, days: int) -> list[Article]:
    """``n`` distinct articles, the sources' copies re-dated evenly over ``days`` days."""
    base, _ = load_articles(SOURCES, 2 * 1024 * 1024)
    start = datetime.now(UTC) - timedelta(days=days + 30)  # all in the past: a future date is dead-lettered
    step = timedelta(days=days) / n
    out = []
    for i, article in zip(range(n), itertools.cycle(base), strict=False):
        out.append(
            article.model_copy(update={"article_id": f"{article.article_id}-soak{i}", "published_at": start + step * i})
        )
    return out


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def table_entries(url: str) -> dict[str, float]:
    """The worker's ``diplostream_table_entries`` by its ``table`` label (the demo's scrape sums labels)."""
    text = urllib.request.urlopen(url, timeout=5).read().decode()
    return {
        s.labels["table"]: s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "diplostream_table_entries"
    }


def sample(url: str, pid: int, started: float) -> dict[str, float]:
    m = scrape(url)
    entries = table_entries(url)
    return {
        "elapsed_s": time.monotonic() - started,
        "consumed": m.get("diplostream_articles_consumed_total", 0.0),
        "rss_mb": rss_mb(pid),
        "bucket_keys": entries.get("window-buckets", 0.0),
        "event_ids": entries.get("window-buckets-event-ids", 0.0),
        "expired": m.get("diplostream_buckets_expired_total", 0.0),
        "extracted": m.get("diplostream_events_extracted_total", 0.0),
        "aggregated": m.get("diplostream_events_aggregated_total", 0.0),
        "newest": m.get("diplostream_newest_event_time_seconds", 0.0),
    }


def row(s: dict[str, float]) -> str:
    newest = datetime.fromtimestamp(s["newest"], UTC).strftime("%Y-%m-%d") if s["newest"] else "-"
    return (
        f"{s['elapsed_s']:9.0f} {s['consumed']:9.0f} {s['extracted']:9.0f} {s['aggregated']:9.0f} {newest:>10} "
        f"{s['rss_mb']:7.0f} {s['bucket_keys']:11.0f} {s['event_ids']:9.0f} {s['expired']:8.0f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--days", type=int, default=730, help="the span of publication dates (default two years)")
    parser.add_argument("--retention-days", type=int, default=400, help="the worker's window retention (default 400)")
    parser.add_argument("--every", type=float, default=30.0, help="seconds between samples (default 30)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the broker and the worker are stopped too

    articles = corpus(args.articles, args.days)
    print(f"{len(articles)} articles over {args.days} days; retention {args.retention_days} days", flush=True)
    run = uuid.uuid4().hex[:8]
    topics = Topics(f"soak-{run}.")
    app_id = f"diplostream-soak-{run}"
    samples: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="diplostream-soak-") as tmp:
        broker = ApacheKafka(log_path=Path(tmp) / "broker.log", heap="1g").start()
        try:
            ensure_topics(broker.bootstrap, topics, 6, app_id=app_id)
            port = free_port()
            url = f"http://127.0.0.1:{port}/metrics"
            env = {"DIPLOSTREAM_WINDOW_RETENTION_SECONDS": str(args.retention_days * 86_400)}
            log = Path(tmp) / "worker.log"
            with worker_process(broker.bootstrap, topics.prefix, app_id, port, log, env=env) as worker:
                wait_until(lambda: bool(scrape(url)), 60, "the worker's metrics", worker)
                started = time.monotonic()
                sender = threading.Thread(
                    target=replay,
                    kwargs={"articles": articles, "bootstrap": broker.bootstrap, "topics": topics, "speed": None},
                    daemon=True,
                )
                sender.start()
                header = f"{'elapsed s':>9} {'articles':>9} {'events':>9} {'counted':>9} {'newest':>10} {'RSS MB':>7}"
                print(f"{header} {'bucket keys':>11} {'event ids':>9} {'expired':>8}", flush=True)
                while True:
                    if worker.poll() is not None:
                        print(f"the worker exited with {worker.returncode}; log: {log.read_text()[-2000:]}")
                        return 1
                    s = sample(url, worker.pid, started)
                    samples.append(s)
                    print(row(s), flush=True)
                    # done when every article is extracted and every event counted (the aggregator lags)
                    if s["consumed"] >= len(articles) and s["aggregated"] >= s["extracted"]:
                        break
                    time.sleep(args.every)
                time.sleep(3)  # one more gauge refresh after the last article
                samples.append(sample(url, worker.pid, started))
        finally:
            broker.close()
    # phases by how far the counting has come (events counted), since the aggregator is the slower agent
    total = samples[-1]["aggregated"]
    start = next((s for s in samples if s["aggregated"] >= 0.05 * total), samples[0])
    middle = min(samples, key=lambda s: abs(s["aggregated"] - total / 2))
    end = samples[-1]
    print("\nphase")
    for name, s in (("start", start), ("middle", middle), ("end", end)):
        print(f"{name:7} {row(s)}")
    rate = end["aggregated"] / max(end["elapsed_s"], 1e-9)
    print(
        f"\n{end['consumed']:.0f} articles, {end['aggregated']:.0f} events counted in {end['elapsed_s']:.0f} s "
        f"({rate:.0f} events/s), one worker"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
