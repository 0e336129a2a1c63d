"""Crash, restart and hand-over tests on Apache Kafka (started by the suite from its own jars).

They need a broker whose offsets are right after a restart and during a
rebalance with a backlog; Tansu's are not (FIELD-NOTES), so on Tansu they would
fail correct code or pass broken code, and they never run there.

Each test interrupts one replay at three kill points drawn from a seeded random
generator (the seed is in the test's name, so a failure can be replayed), and
ends by comparing with what an uninterrupted run gives: the counts the pure core
computes for the same events.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from kafka.admin import KafkaAdminClient

from schemas import Article, DiplomaticEvent
from streams.core.counting import WindowCounter
from streams.core.extract import extract
from streams.kafka.aggregate import window_specs
from streams.kafka.apache import ApacheKafka
from streams.kafka.demo import scrape
from streams.kafka.producer import load_articles, replay
from streams.settings import Settings
from tests.conftest import SEEDS
from tests.integration.conftest import Deployment, wait_for
from tests.integration.test_pipeline import latest_counts, samples

# Each test bounds its own waits (a replay of up to ~150 s, then up to 240 s per condition); the suite's
# 300 s default cut a rebalance test short on a loaded machine, so these get the sum of their own bounds.
pytestmark = [pytest.mark.integration, pytest.mark.apache_kafka, pytest.mark.timeout(720)]

SEED = 20261201
DAY = 86_400


@pytest.fixture
def on_apache(apache: ApacheKafka, tmp_path: Path):
    d = Deployment(bootstrap=apache.bootstrap, workdir=tmp_path)
    with d.stack:
        yield d


def test_the_broker_under_test_is_apache_kafka(apache: ApacheKafka):
    """A KRaft quorum answers DescribeQuorum (Tansu has none), and the cluster id is no Tansu id."""
    admin = KafkaAdminClient(bootstrap_servers=apache.bootstrap, request_timeout_ms=10_000)
    try:
        cluster = admin.describe_cluster()
        quorum = admin.describe_metadata_quorum()
    finally:
        admin.close()
    assert not str(cluster["cluster_id"]).startswith("tansu")
    assert quorum["topics"][0]["topic_name"] == "__cluster_metadata"
    assert [v["replica_id"] for v in quorum["topics"][0]["partitions"][0]["current_voters"]] == [1]


# --- helpers -------------------------------------------------------------------------------


def many_articles(copies: int, every: timedelta = timedelta(days=1), years_back: int = 0) -> list[Article]:
    """The seeds again and again, each copy distinct and ``every`` later: a backlog to crash in.

    ``years_back`` moves the first copy that far before the seeds' own dates, so that long
    spans stay in the past (a publication in the future is dead-lettered).
    """
    seeds, _ = load_articles([SEEDS], 2 * 1024 * 1024)
    shift = timedelta(days=365 * years_back)
    return [
        a.model_copy(update={"article_id": f"{a.article_id}-{i}", "published_at": a.published_at - shift + every * i})
        for i in range(copies)
        for a in seeds
    ]


def kill_points(n: int, seed: int = SEED) -> list[int]:
    """Three distinct numbers of articles sent, between a tenth and nine tenths of ``n``."""
    return sorted(random.Random(seed).sample(range(n // 10, n * 9 // 10), 3))


class Replay:
    """A paced replay in a thread, counting what it has sent."""

    def __init__(
        self, d: Deployment, articles: list[Article], speed: float = 4 * DAY, ack_timeout: float = 30.0
    ) -> None:
        self.ack_timeout = ack_timeout
        self.sent = 0
        self.error: BaseException | None = None
        self.articles = articles
        self._thread = threading.Thread(target=self._run, args=(d, speed), daemon=True)
        self._thread.start()

    def _run(self, d: Deployment, speed: float) -> None:
        def count(_: Article) -> None:
            self.sent += 1

        try:
            replay(
                self.articles,
                bootstrap=d.bootstrap,
                topics=d.topics,
                speed=speed,
                max_gap=0.5,
                on_sent=count,
                ack_timeout=self.ack_timeout,
            )
        except BaseException as exc:  # reported by join()
            self.error = exc

    def reach(self, n: int, timeout: float = 120) -> None:
        wait_for(lambda: self.sent >= n or not self._thread.is_alive(), timeout, f"{n} articles sent")
        assert self.sent >= n, f"the replay stopped at {self.sent} articles: {self.error!r}"

    def join(self, timeout: float = 180) -> None:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the replay did not finish"
        assert self.error is None, f"the replay failed: {self.error!r}"
        assert self.sent == len(self.articles)


def pid_serving(d: Deployment, url: str) -> int:
    port = url.rsplit(":", 1)[1].split("/")[0]
    for proc in d.processes:
        if proc.args and port in proc.args and proc.poll() is None:
            return int(proc.pid)
    raise AssertionError(f"no running worker serves {url}")


def stop_worker(d: Deployment, url: str, sig: signal.Signals) -> None:
    os.killpg(pid_serving(d, url), sig)
    d.metrics_urls.remove(url)


def event_records(d: Deployment, at_least: int) -> list[DiplomaticEvent]:
    return [DiplomaticEvent.model_validate_json(r.value) for r in d.read(d.topics.events, at_least, timeout=60)]


def uninterrupted_state(d: Deployment, settings: Settings) -> tuple[dict[str, list[str]], dict[str, float]]:
    """What the pure core computes from the events topic, partition by partition in offset order."""
    buckets: dict[str, list[str]] = {}
    newest: dict[str, float] = {}
    counter = WindowCounter(window_specs(settings), settings.window_retention_seconds, buckets, newest)
    records = sorted(d.read(d.topics.events, 1, timeout=60), key=lambda r: (r.partition, r.offset))
    for r in records:
        e = DiplomaticEvent.model_validate_json(r.value)
        counter.add(r.partition, e.event_id, e.published_at.timestamp(), e.pair, e.type.value)
    return buckets, newest


def expected_daily(articles: list[Article]) -> Counter:
    return Counter((e.pair, e.type.value) for a in articles for e in extract(a))


def daily_totals(d: Deployment) -> Counter:
    totals: Counter = Counter()
    for c in latest_counts(d, 1).values():
        if c.window_kind.value == "tumbling":
            totals[(c.pair, c.type.value)] += c.count
    return totals


def finish(d: Deployment, articles: list[Article], timeout: float = 240) -> list[DiplomaticEvent]:
    """Wait until every article's events are on the topic and the counts equal an uninterrupted run."""
    want_ids = {e.event_id: a.article_id for a in articles for e in extract(a)}
    want = expected_daily(articles)
    try:
        wait_for(lambda: {e.event_id for e in event_records(d, len(want_ids))} >= set(want_ids), timeout, "every event")
    except AssertionError as exc:
        missing = {want_ids[i] for i in set(want_ids) - {e.event_id for e in event_records(d, 1)}}
        seen = [scrape(url).get("diplostream_articles_consumed_total") for url in d.metrics_urls]
        raise AssertionError(
            f"{exc}: none of articles {sorted(missing)[:8]} ({len(missing)} in all); read {seen}"
        ) from None
    try:
        wait_for(lambda: daily_totals(d) == want, timeout, "daily counts equal to an uninterrupted run")
    except AssertionError as exc:
        got = daily_totals(d)
        diff = {k: (got.get(k, 0), n) for k, n in want.items() if got.get(k, 0) != n}
        raise AssertionError(f"{exc}: (counted, uninterrupted) {diff}") from None
    return event_records(d, len(want_ids))


# --- (a) a worker SIGKILLed and restarted --------------------------------------------------


def test_a_worker_sigkilled_three_times_mid_replay_ends_with_the_uninterrupted_counts(on_apache):
    d = on_apache
    articles = many_articles(60)
    d.start_workers(1)
    run = Replay(d, articles)
    for point in kill_points(len(articles)):
        run.reach(point)
        stop_worker(d, d.metrics_urls[-1], signal.SIGKILL)
        d.start_workers(1)
    run.join()
    events = finish(d, articles)
    assert len(events) >= len({e.event_id for e in events})  # duplicates on the topic are allowed, never in counts
    # and the happenings, and their counts on their own dates, are those of the batch command
    from streams.core.happenings import fuse_articles
    from tests.integration.test_happenings import daily_happenings, expected_daily_happenings, topic_state

    want = {h.happening_id: h for h in fuse_articles(articles)[0]}
    try:
        wait_for(lambda: topic_state(d)[0] == want, 120, f"the {len(want)} happenings of the batch command")
    except AssertionError as exc:
        got = topic_state(d)[0]
        differ = sorted(k for k in want.keys() & got.keys() if want[k] != got[k])
        raise AssertionError(
            f"{exc}: missing {sorted(want.keys() - got.keys())[:5]}, extra {sorted(got.keys() - want.keys())[:5]}, "
            f"different {[(want[k].model_dump(), got[k].model_dump()) for k in differ[:2]]} ({len(differ)} in all)"
        ) from None
    expected = expected_daily_happenings(want)
    wait_for(lambda: daily_happenings(d) == expected, 60, "the happenings' daily counts of the batch command")


# --- (b) workers joining and leaving -------------------------------------------------------


def test_workers_joining_and_leaving_mid_replay_give_the_same_totals(on_apache):
    d = on_apache
    articles = many_articles(60)
    d.start_workers(1)
    run = Replay(d, articles)
    join, leave, join_again = kill_points(len(articles), SEED + 1)
    run.reach(join)
    d.start_workers(1)  # a second worker joins: the group rebalances with a backlog
    run.reach(leave)
    stop_worker(d, d.metrics_urls[0], signal.SIGTERM)  # the first one leaves cleanly
    run.reach(join_again)
    d.start_workers(1)
    run.join()
    finish(d, articles)
    assert len(d.metrics_urls) == 2


# --- (c) the broker restarted ---------------------------------------------------------------


def test_the_broker_restarted_three_times_mid_replay_loses_nothing(tmp_path):
    broker = ApacheKafka(log_dir=tmp_path / "kafka-data", log_path=tmp_path / "broker.log").start()
    d = Deployment(bootstrap=broker.bootstrap, workdir=tmp_path)
    try:
        with d.stack:
            articles = many_articles(40)
            d.start_workers(1)
            # a stop and start of the broker took over 30 s on a loaded machine: the producer waits it out
            run = Replay(d, articles, ack_timeout=120)
            for point in kill_points(len(articles), SEED + 2):
                run.reach(point)
                broker.restart()  # SIGTERM, then the same ports and the kept log dir
            run.join()
            finish(d, articles)
            assert all(proc.poll() is None for proc in d.processes), "a worker died while the broker was away"
    finally:
        broker.close()


# --- (d) restarts after expiry --------------------------------------------------------------


def test_a_worker_restarted_after_expiry_keeps_its_expiry_state(on_apache):
    """Articles 20 days apart over three years with a 90-day retention: expiry runs all along; the
    worker is killed three times after it has; the recovered state equals an uninterrupted run's."""
    d = on_apache
    retention = 90 * DAY
    env = {"DIPLOSTREAM_WINDOW_RETENTION_SECONDS": str(retention)}
    settings = Settings(window_retention_seconds=retention)
    articles = many_articles(55, every=timedelta(days=20), years_back=3)
    d.start_workers(1, env=env)
    run = Replay(d, articles)
    for point in kill_points(len(articles), SEED + 3):
        run.reach(point)
        url = d.metrics_urls[-1]
        wait_for(lambda u=url: scrape(u).get("diplostream_buckets_expired_total", 0) > 0, 120, "expiry to run")
        before = scrape(url)
        stop_worker(d, url, signal.SIGKILL)
        (url,) = d.start_workers(1, env=env)
        # what the killed worker had, the new one recovers: not reset to zero, not grown back
        wait_for(
            lambda u=url, b=before: (
                scrape(u).get("diplostream_newest_event_time_seconds", 0) >= b["diplostream_newest_event_time_seconds"]
            ),
            120,
            "the newest event time recovered",
        )
    run.join()
    want_ids = {e.event_id for a in articles for e in extract(a)}
    wait_for(lambda: {e.event_id for e in event_records(d, len(want_ids))} >= want_ids, 240, "every event")
    url = d.metrics_urls[-1]

    def settled() -> bool:
        buckets, newest = uninterrupted_state(d, settings)
        return scrape(url).get("diplostream_newest_event_time_seconds") == max(newest.values()) and table_entries(
            url
        ) == (len(buckets), sum(len(ids) for ids in buckets.values()))

    wait_for(settled, 240, "the worker's tables equal an uninterrupted run's")
    assert scrape(url)["diplostream_buckets_expired_total"] > 0
    # once more with nothing left to read: the newest event time can only come from its table now
    stop_worker(d, url, signal.SIGKILL)
    (url,) = d.start_workers(1, env=env)
    wait_for(settled, 120, "the same tables and newest event time recovered with no new events")


def table_entries(url: str) -> tuple[int, int]:
    got = {s.labels["table"]: int(s.value) for s in samples(url, "diplostream_table_entries")}
    return got.get("window-buckets", -1), got.get("window-buckets-event-ids", -1)


# --- a worker that keeps running --------------------------------------------------------------


def test_a_worker_fed_articles_years_apart_is_still_running_after_its_timers(on_apache):
    d = on_apache
    d.start_workers(1, env={"DIPLOSTREAM_WINDOW_RETENTION_SECONDS": str(30 * DAY)})
    started = time.monotonic()
    articles = many_articles(6, every=timedelta(days=365), years_back=6)  # six years, each past the retention
    replay(articles, bootstrap=d.bootstrap, topics=d.topics, speed=None)
    url = d.metrics_urls[0]
    wait_for(lambda: scrape(url).get("diplostream_articles_consumed_total", 0) >= len(articles), 60, "consumed")
    while time.monotonic() - started < 95:  # past every timer of the worker and of Faust (commit, gauges, lag)
        assert d.processes[0].poll() is None, "the worker died"
        time.sleep(5)
    m = scrape(url)
    assert m["diplostream_buckets_expired_total"] > 0
    assert m["diplostream_articles_consumed_total"] == len(articles)
    log = next(d.workdir.glob("worker-*.log")).read_text(errors="replace")
    assert "Traceback" not in log and "Crashed" not in log, log[-2000:]
