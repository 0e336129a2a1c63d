"""``diplostream demo``: the whole pipeline on one machine, then a report.

Starts the embedded broker (unless a bootstrap is given), one worker as a child
process, replays the seeds, waits until the worker's own metrics say every
article and event has been processed, prints the events and the per-pair
counts, and stops everything on every path out: success, error, Ctrl-C, SIGTERM.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families
from rich.console import Console
from rich.table import Table

from schemas import DiplomaticEvent, PairCount
from streams.kafka.broker import BrokerError, embedded_broker, free_port, stop_process_group
from streams.kafka.topics import Topics, ensure_topics
from streams.settings import load

out = Console()
err = Console(stderr=True, soft_wrap=True, highlight=False)


def scrape(url: str, timeout: float = 2.0) -> dict[str, float]:
    """Prometheus text from ``url`` as {sample name: value summed over label sets}."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        text = response.read().decode()
    totals: dict[str, float] = defaultdict(float)
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            totals[sample.name] += sample.value
    return dict(totals)


@contextlib.contextmanager
def worker_process(
    bootstrap: str, prefix: str, app_id: str, metrics_port: int, log: Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A ``diplostream worker`` child in its own process group, always stopped on exit."""
    cmd = [
        sys.executable,
        "-m",
        "streams.cli",
        "worker",
        "--bootstrap",
        bootstrap,
        "--topic-prefix",
        prefix,
        "--app-id",
        app_id,
        "--metrics-port",
        str(metrics_port),
        "--metrics-host",
        "127.0.0.1",
    ]
    env = {**os.environ, "DIPLOSTREAM_DATA_DIR": str(log.parent / f"state-{metrics_port}"), **(env or {})}
    with open(log, "wb") as sink:
        proc = subprocess.Popen(
            cmd, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, start_new_session=True
        )
    try:
        yield proc
    finally:
        stop_process_group(proc)


def wait_until(
    predicate: Callable[[], bool], timeout: float, what: str, proc: subprocess.Popen[bytes] | None = None
) -> None:
    """Poll ``predicate`` until true; fail early if ``proc`` dies, raise TimeoutError at the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the worker exited (code {proc.returncode}) while waiting for {what}")
        with contextlib.suppress(OSError, ValueError):
            if predicate():
                return
        time.sleep(0.25)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


def read_topic(bootstrap: str, topic: str, expected: int, timeout: float) -> list[tuple[bytes | None, bytes]]:
    """Read ``topic`` from the start until ``expected`` records arrived or ``timeout`` passed."""
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=1000,
    )
    records: list[tuple[bytes | None, bytes]] = []
    deadline = time.monotonic() + timeout
    try:
        while len(records) < expected and time.monotonic() < deadline:
            records.extend((r.key, r.value) for r in consumer)
    finally:
        consumer.close()
    return records


class _Interrupts:
    """Ctrl-C and SIGTERM, remembered as well as raised.

    kafka-python's network loop catches BaseException, so a KeyboardInterrupt raised while
    it runs (during the replay, say) can be swallowed there; the flag survives it and the
    demo stops at its next step.
    """

    def __init__(self) -> None:
        self.seen = False
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._handler)

    def _handler(self, signum: int, frame: object) -> None:
        self.seen = True
        raise KeyboardInterrupt

    def check(self) -> None:
        if self.seen:
            raise KeyboardInterrupt


def run_demo(
    *, bootstrap: str | None, folders: list[Path], timeout: float, metrics_port: int, connect_timeout: float = 10.0
) -> int:
    from streams.cli import _default_seeds
    from streams.kafka.producer import load_articles, replay
    from streams.kafka.reach import probe

    interrupts = _Interrupts()
    started = time.monotonic()
    if bootstrap is not None:
        probe(bootstrap, connect_timeout)  # BrokerUnreachable: one line and exit 2 (streams.cli.main)
    settings = load()
    articles, errors = load_articles(folders or [_default_seeds()], settings.max_article_bytes)
    for error in errors:
        err.print(f"[red]skipped[/]: {error}")
    if not articles:
        err.print("[red]error[/]: no readable articles")
        return 1
    run_id = uuid.uuid4().hex[:8]
    topics = Topics(f"demo-{run_id}.")
    app_id = f"diplostream-demo-{run_id}"
    port = metrics_port or free_port()
    metrics_url = f"http://127.0.0.1:{port}/metrics"
    workdir = Path(tempfile.mkdtemp(prefix="diplostream-demo-"))
    try:
        with contextlib.ExitStack() as stack:
            if bootstrap is None:
                broker = stack.enter_context(embedded_broker(log_path=workdir / "broker.log"))
                bootstrap = broker.bootstrap
                err.print(f"embedded Tansu broker on {bootstrap} (in memory: it keeps nothing after it stops)")
            else:
                err.print(f"broker {bootstrap}")
            ensure_topics(bootstrap, topics, settings.partitions, connect_timeout=connect_timeout)
            log = workdir / "worker.log"
            worker = stack.enter_context(worker_process(bootstrap, topics.prefix, app_id, port, log))
            interrupts.check()
            wait_until(lambda: bool(scrape(metrics_url)), 30, "the worker's metrics endpoint", worker)
            err.print(f"worker up, metrics on {metrics_url}")
            sent = replay(articles, bootstrap=bootstrap, topics=topics, speed=None)
            interrupts.check()
            err.print(f"replayed {sent} articles; waiting for the worker to process them")

            def done() -> bool:
                interrupts.check()
                m = scrape(metrics_url)
                extracted = m.get("diplostream_events_extracted_total", 0.0)
                return (
                    m.get("diplostream_articles_consumed_total", 0.0) >= sent
                    and m.get("diplostream_events_aggregated_total", 0.0) >= extracted
                )

            wait_until(done, max(5.0, timeout - (time.monotonic() - started)), "every article to be processed", worker)
            metrics = scrape(metrics_url)
            n_events = int(metrics.get("diplostream_events_extracted_total", 0))
            events = [
                DiplomaticEvent.model_validate_json(v) for _, v in read_topic(bootstrap, topics.events, n_events, 20)
            ]
            counts = [PairCount.model_validate_json(v) for _, v in read_topic(bootstrap, topics.event_counts, 1, 5)]
            interrupts.check()
            report(events, counts, metrics, metrics_url)
        err.print(f"stopped worker and broker; demo took {time.monotonic() - started:.1f} s")
        return 0
    except KeyboardInterrupt:
        err.print("interrupted: stopped worker and broker")
        return 130
    except (BrokerError, RuntimeError, TimeoutError) as exc:
        err.print(f"[red]demo failed[/]: {exc}")
        tail = (workdir / "worker.log").read_text(errors="replace")[-3000:] if (workdir / "worker.log").exists() else ""
        if tail:
            err.print(f"--- worker log (last lines) ---\n{tail}")
        return 1


def report(events: list[DiplomaticEvent], counts: list[PairCount], metrics: dict[str, float], url: str) -> None:
    table = Table(title=f"{len(events)} events on the events topic")
    for col in ("article", "type", "source", "target", "person", "status", "date"):
        table.add_column(col)
    for e in sorted(events, key=lambda e: (e.published_at, e.article_id, e.evidence_start)):
        when = "" if e.date is None else (f"{e.date}…{e.date_end}" if e.date_end else str(e.date))
        table.add_row(e.article_id[:12], e.type.value, e.source, e.target, e.person or "", e.status.value, when)
    out.print(table)

    latest: dict[tuple[str, str, str, str], int] = {}
    for c in counts:  # later updates of a window supersede earlier ones
        key = (c.window_kind.value, c.window_start.isoformat(), c.pair, c.type.value)
        latest[key] = max(latest.get(key, 0), c.count)
    per_pair: dict[tuple[str, str], int] = defaultdict(int)
    for (kind, _, pair, type_), n in latest.items():
        if kind == "tumbling":
            per_pair[(pair, type_)] += n
    pairs = Table(title="distinct events per pair and type (sum of daily windows on event-counts)")
    for col in ("pair", "type", "events"):
        pairs.add_column(col)
    for (pair, type_), n in sorted(per_pair.items()):
        pairs.add_row(pair, type_, str(n))
    out.print(pairs)
    out.print(
        f"articles consumed {metrics.get('diplostream_articles_consumed_total', 0):.0f}, "
        f"events extracted {metrics.get('diplostream_events_extracted_total', 0):.0f}, "
        f"duplicates skipped {metrics.get('diplostream_events_duplicate_total', 0):.0f}, "
        f"DLQ records {metrics.get('diplostream_dlq_records_total', 0):.0f}"
    )
    out.print(f"metrics were served at {url} (the worker stops with the demo)")
