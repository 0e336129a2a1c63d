"""``diplostream demo``: the whole pipeline on one machine, then a report.

Starts the embedded broker (unless a bootstrap is given), one worker as a child
process, replays the seeds, waits until the worker's own metrics say every
article and event has been processed, prints the events and the per-pair
counts, and stops everything on every path out: success, error, Ctrl-C, SIGTERM.
"""

from __future__ import annotations

import contextlib
import os
import shutil
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

from schemas import DiplomaticEvent, Happening, PairCount, Series
from streams.kafka.broker import BrokerError, embedded_broker, free_port, stop_process_group
from streams.kafka.security import PLAINTEXT, Security, client_security
from streams.kafka.topics import Topics, ensure_topics
from streams.settings import load
from streams.tables import events_table, pair_table

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
    predicate: Callable[[], bool],
    timeout: float,
    what: str,
    proc: subprocess.Popen[bytes] | None = None,
    *,
    on_tick: Callable[[], None] | None = None,
) -> None:
    """Poll ``predicate`` until true; fail early if ``proc`` dies, raise TimeoutError at the deadline.

    ``on_tick`` runs every round (a quarter of a second): the demo checks its
    Ctrl-C flag there and updates its spinner.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if on_tick is not None:
            on_tick()
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the worker exited (code {proc.returncode}) while waiting for {what}")
        with contextlib.suppress(OSError, ValueError):
            if predicate():
                return
        time.sleep(0.25)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


def read_topic(
    bootstrap: str,
    topic: str,
    expected: int,
    timeout: float,
    check: Callable[[], None] | None = None,
    connect_timeout: float = 10.0,
    security: Security | None = None,
) -> list[tuple[bytes | None, bytes]]:
    """Read ``topic`` from the start until ``expected`` records arrived or ``timeout`` passed.

    Each round blocks at most a second (``consumer_timeout_ms``), and ``check`` runs
    between rounds, so a Ctrl-C is seen within about a second here too.
    """
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=1000,
        bootstrap_timeout_ms=max(1, int(connect_timeout * 1000)),
        **(client_security() if security is None else security),
    )
    records: list[tuple[bytes | None, bytes]] = []
    deadline = time.monotonic() + timeout
    try:
        while len(records) < expected and time.monotonic() < deadline:
            if check is not None:
                check()
            records.extend((r.key, r.value) for r in consumer)
    finally:
        consumer.close()
    return records


class Interrupted(KeyboardInterrupt):
    """The demo was asked to stop by ``signum`` (SIGINT or SIGTERM)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _Interrupts:
    """Ctrl-C and SIGTERM as a flag that the demo checks at every step, never raised from the handler.

    kafka-python's network loop catches BaseException, so a KeyboardInterrupt raised
    inside it (in ``KafkaProducer(...)``'s bootstrap, say) is swallowed and the demo
    hung there. So the handler only records the signal, and every blocking call of the
    demo is bounded and interleaved with :meth:`check`, which raises
    :class:`Interrupted` from the demo's own code within a second or two. A second
    signal raises at once, for someone who does not want to wait.
    """

    def __init__(self) -> None:
        self.signum: int | None = None
        self._previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        for sig in self._previous:
            signal.signal(sig, self._handler)

    def _handler(self, signum: int, frame: object) -> None:
        if self.signum is not None:
            raise Interrupted(self.signum)
        self.signum = signum

    def check(self) -> None:
        if self.signum is not None:
            raise Interrupted(self.signum)

    @property
    def exit_code(self) -> int:
        """The shell's convention, 128 + the signal: 130 for Ctrl-C (SIGINT), 143 for SIGTERM."""
        return 128 + (self.signum or signal.SIGINT)

    def restore(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


class _Phases:
    """One line per phase of the demo; while it waits, on a terminal only, a spinner with the seconds waited.

    Piped output (CI logs, ``| tee``) stays plain lines, one per phase: the spinner
    is a rich status, which rich leaves out when stderr is not a terminal.
    """

    def __init__(self, console: Console, check: Callable[[], None]) -> None:
        self.console = console
        self.check = check

    def say(self, text: str) -> None:
        self.console.print(text)

    @contextlib.contextmanager
    def waiting(self, what: str, detail: Callable[[], str] | None = None) -> Iterator[Callable[[], None]]:
        """A ``tick`` to call while waiting for ``what``: it checks for a signal and redraws the spinner."""
        started = time.monotonic()
        if not self.console.is_terminal:
            yield self.check
            return
        with self.console.status(f"{what} (0 s)") as status:

            def tick() -> None:
                self.check()
                extra = detail() if detail else ""
                status.update(f"{what} ({time.monotonic() - started:.0f} s{', ' + extra if extra else ''})")

            yield tick


def run_demo(
    *, bootstrap: str | None, folders: list[Path], timeout: float, metrics_port: int, connect_timeout: float = 10.0
) -> int:
    """The demo, start to finish; returns the exit code (0, 1 on failure, 130 on Ctrl-C, 143 on SIGTERM).

    Whatever way it ends, the worker and the broker are stopped and the temporary
    folder (logs, the worker's state) is removed; on a failure the worker log's last
    lines are printed first.
    """
    interrupts = _Interrupts()  # first: a signal from here on is ours to handle
    try:
        return _run_demo(
            interrupts,
            bootstrap=bootstrap,
            folders=folders,
            timeout=timeout,
            metrics_port=metrics_port,
            connect_timeout=connect_timeout,
        )
    finally:
        interrupts.restore()


def _run_demo(
    interrupts: _Interrupts,
    *,
    bootstrap: str | None,
    folders: list[Path],
    timeout: float,
    metrics_port: int,
    connect_timeout: float,
) -> int:
    from streams.kafka.producer import load_articles, replay
    from streams.kafka.reach import probe
    from streams.seeds import default_seeds

    phases = _Phases(err, interrupts.check)
    started = time.monotonic()
    settings = load()
    # the embedded broker speaks PLAINTEXT only: its worker is told so, whatever the environment configures
    security: Security = PLAINTEXT
    worker_env = {"DIPLOSTREAM_SECURITY_PROTOCOL": "PLAINTEXT"}
    if bootstrap is not None:
        security, worker_env = client_security(settings), {}
        probe(bootstrap, connect_timeout, security)  # CannotConnect: one line and exit 2 (streams.cli.main)
    articles, errors = load_articles(folders or [default_seeds()], settings.max_article_bytes)
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
        interrupts.check()  # a signal during the probe or the loading
        with contextlib.ExitStack() as stack:
            if bootstrap is None:
                phases.say("starting the embedded Tansu broker")
                broker = stack.enter_context(embedded_broker(log_path=workdir / "broker.log"))
                bootstrap = broker.bootstrap
                phases.say(f"embedded Tansu broker on {bootstrap} (in memory: it keeps nothing after it stops)")
            else:
                phases.say(f"broker {bootstrap}")
            interrupts.check()
            ensure_topics(bootstrap, topics, settings.partitions, connect_timeout=connect_timeout, security=security)
            interrupts.check()
            phases.say(f"topics {topics.prefix}* ready; starting a worker (app id {app_id})")
            log = workdir / "worker.log"
            worker = stack.enter_context(worker_process(bootstrap, topics.prefix, app_id, port, log, worker_env))
            with phases.waiting("waiting for the worker's metrics") as tick:
                wait_until(
                    lambda: bool(scrape(metrics_url, timeout=1.0)),
                    30,
                    "the worker's metrics endpoint",
                    worker,
                    on_tick=tick,
                )
            phases.say(f"worker up, metrics on {metrics_url}")
            phases.say(f"replaying {len(articles)} articles to {topics.articles}")
            sent = replay(
                articles,
                bootstrap=bootstrap,
                topics=topics,
                speed=None,
                check=interrupts.check,
                connect_timeout=connect_timeout,
                security=security,
            )
            phases.say(f"replayed {sent} articles; waiting for the worker to process them")
            seen: dict[str, float] = {}

            def done() -> bool:
                seen.update(scrape(metrics_url, timeout=1.0))
                extracted = seen.get("diplostream_events_extracted_total", 0.0)
                return (
                    seen.get("diplostream_articles_consumed_total", 0.0) >= sent
                    and seen.get("diplostream_events_aggregated_total", 0.0) >= extracted
                    and seen.get("diplostream_events_fused_total", 0.0) >= extracted
                    and seen.get("diplostream_window_updates_pending", 0.0) == 0  # coalesced counts all out
                )

            def progress() -> str:
                consumed = seen.get("diplostream_articles_consumed_total", 0.0)
                return f"{consumed:.0f}/{sent} articles"

            with phases.waiting("processing", progress) as tick:
                wait_until(
                    done,
                    max(5.0, timeout - (time.monotonic() - started)),
                    "every article to be processed",
                    worker,
                    on_tick=tick,
                )
            metrics = scrape(metrics_url)
            n_events = int(metrics.get("diplostream_events_extracted_total", 0))
            phases.say(
                f"processed {sent} articles into {n_events} events; "
                "reading the events, event-counts and happenings topics"
            )
            events = [
                DiplomaticEvent.model_validate_json(v)
                for _, v in read_topic(
                    bootstrap, topics.events, n_events, 20, interrupts.check, connect_timeout, security
                )
            ]
            counts = [
                PairCount.model_validate_json(v)
                for _, v in read_topic(
                    bootstrap, topics.event_counts, 1, 5, interrupts.check, connect_timeout, security
                )
            ]
            updates = read_topic(
                bootstrap,
                topics.happenings,
                int(metrics.get("diplostream_happening_updates_total", 0)),
                10,
                interrupts.check,
                connect_timeout,
                security,
            )
            interrupts.check()
            report(events, counts, latest_happenings(updates), metrics, metrics_url)
        interrupts.check()  # a signal while stopping still means the run was interrupted
        err.print(f"stopped worker and broker; demo took {time.monotonic() - started:.1f} s")
        return 0
    except KeyboardInterrupt:  # Interrupted, or a KeyboardInterrupt from outside the handler
        name = signal.Signals(interrupts.signum).name if interrupts.signum else "SIGINT"
        err.print(f"interrupted ({name}): stopped worker and broker")
        return interrupts.exit_code
    except (BrokerError, RuntimeError, TimeoutError, OSError) as exc:
        err.print(f"[red]demo failed[/]: {exc}")
        tail = (workdir / "worker.log").read_text(errors="replace")[-3000:] if (workdir / "worker.log").exists() else ""
        if tail:
            err.print(f"--- worker log (last lines) ---\n{tail}")
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def latest_happenings(records: list[tuple[bytes | None, bytes]]) -> list[Happening]:
    """The happenings topic's current state: the latest record per key, a tombstone removing it."""
    latest: dict[bytes | None, Happening | None] = {}
    for key, value in records:
        latest[key] = Happening.model_validate_json(value) if value is not None else None
    return [h for h in latest.values() if h is not None]


def daily_totals(counts: list[PairCount], series: Series) -> dict[tuple[str, str], int]:
    """Per (pair, type): the sum of one series' daily windows, each at its latest update (records in topic order;
    a reports count never decreases, so its largest is its latest whichever worker sent it)."""
    latest: dict[tuple[str, str, str], int] = {}
    for c in counts:
        if c.series is not series or c.window_kind.value != "tumbling":
            continue
        key = (c.window_start.isoformat(), c.pair, c.type.value)
        latest[key] = max(latest.get(key, 0), c.count) if series is Series.REPORTS else c.count
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for (_, pair, type_), n in latest.items():
        totals[(pair, type_)] += n
    return dict(totals)


def report(
    events: list[DiplomaticEvent],
    counts: list[PairCount],
    happenings: list[Happening],
    metrics: dict[str, float],
    url: str,
) -> None:
    ordered = sorted(events, key=lambda e: (e.published_at, e.article_id, e.evidence_start))
    out.print(events_table(ordered, f"{len(events)} events on the events topic", evidence=False, width=out.width))

    reports = daily_totals(counts, Series.REPORTS)
    current = daily_totals(counts, Series.HAPPENINGS)
    past = daily_totals(counts, Series.HISTORICAL)
    keys = sorted({*reports, *current, *past})
    rows = [(pair, type_, reports.get((pair, type_), 0)) for pair, type_ in keys]
    out.print(
        pair_table(
            rows,
            "distinct events per pair and type (daily windows on event-counts on publication time), and the "
            "happenings they report (each once, on its own date; historical references apart)",
            happenings=current,
            historical=past,
        )
    )
    out.print(
        f"{len(happenings)} happenings ({sum(h.historical for h in happenings)} historical references) from "
        f"{len(events)} events: "
        "`diplostream tail happenings --from-beginning` lists them"
    )
    out.print(
        f"articles consumed {metrics.get('diplostream_articles_consumed_total', 0):.0f}, "
        f"events extracted {metrics.get('diplostream_events_extracted_total', 0):.0f}, "
        f"duplicates skipped {metrics.get('diplostream_events_duplicate_total', 0):.0f}, "
        f"DLQ records {metrics.get('diplostream_dlq_records_total', 0):.0f}"
    )
    out.print(f"metrics were served at {url} (the worker stops with the demo)")
