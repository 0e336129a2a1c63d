"""Crash and hand-over tests: written for Apache Kafka, skipped elsewhere.

They need a broker whose offsets are right after a restart and during a
rebalance with a backlog; Tansu's are not (FIELD-NOTES), so on Tansu they
would fail correct code or pass broken code. Run them against the compose
broker:

    docker compose up -d kafka
    KAFKA_BOOTSTRAP_SERVERS=localhost:9094 .venv/bin/python -m pytest -m apache_kafka -v
"""

from __future__ import annotations

import functools
import os
import signal
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from schemas import Article
from streams.core.extract import extract
from streams.kafka.producer import load_articles, replay
from tests.conftest import SEEDS
from tests.integration.conftest import Deployment, wait_for
from tests.integration.test_pipeline import latest_counts

pytestmark = [pytest.mark.integration, pytest.mark.apache_kafka]


@functools.cache
def _apache_bootstrap() -> tuple[str | None, str]:
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if not bootstrap:
        return None, "KAFKA_BOOTSTRAP_SERVERS is not set: these tests need Apache Kafka (see the module docstring)"
    from kafka.admin import KafkaAdminClient

    try:
        admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000, api_version_auto_timeout_ms=5000)
        cluster = admin.describe_cluster()
        admin.close()
    except Exception as exc:
        return None, f"cannot reach {bootstrap}: {exc!r}"
    if str(cluster.get("cluster_id", "")).startswith("tansu"):
        return None, f"{bootstrap} is Tansu, whose offsets are wrong after a restart: these tests need Apache Kafka"
    return bootstrap, ""


@pytest.fixture
def apache(tmp_path: Path):
    bootstrap, reason = _apache_bootstrap()
    if bootstrap is None:
        pytest.skip(reason)
    d = Deployment(bootstrap=bootstrap, workdir=tmp_path)
    with d.stack:
        yield d


def many_articles(copies: int) -> list[Article]:
    """The seeds again and again, each copy a distinct article a day later: a backlog to crash in."""
    seeds, _ = load_articles([SEEDS], 2 * 1024 * 1024)
    return [
        a.model_copy(update={"article_id": f"{a.article_id}-{i}", "published_at": a.published_at + timedelta(days=i)})
        for i in range(copies)
        for a in seeds
    ]


def expected_daily(articles: list[Article]) -> Counter:
    return Counter((e.pair, e.type.value) for a in articles for e in extract(a))


def daily_totals(d: Deployment, at_least: int) -> Counter:
    totals: Counter = Counter()
    for c in latest_counts(d, at_least).values():
        if c.window_kind.value == "tumbling":
            totals[(c.pair, c.type.value)] += c.count
    return totals


def replay_in_background(d: Deployment, articles: list[Article]) -> threading.Thread:
    thread = threading.Thread(
        target=replay,
        kwargs={"articles": articles, "bootstrap": d.bootstrap, "topics": d.topics, "speed": 1e9, "max_gap": 0.02},
        daemon=True,
    )
    thread.start()
    return thread


def test_sigkill_mid_replay_and_restart_ends_with_the_uninterrupted_counts(apache):
    d = apache
    articles = many_articles(60)
    want = expected_daily(articles)
    d.start_workers(1)
    thread = replay_in_background(d, articles)
    wait_for(lambda: d.metric("diplostream_articles_consumed_total") >= len(articles) // 3, 120, "a third consumed")
    victim_url = d.metrics_urls.pop()
    pid = _pid_serving(d, victim_url)
    os.killpg(pid, signal.SIGKILL)
    d.start_workers(1)
    thread.join(120)
    wait_for(lambda: daily_totals(d, 1) == want, 180, "counts equal to an uninterrupted run")


def test_a_worker_leaving_hands_its_partitions_over(apache):
    d = apache
    articles = many_articles(60)
    want = expected_daily(articles)
    urls = d.start_workers(2)
    thread = replay_in_background(d, articles)
    wait_for(lambda: d.metric("diplostream_articles_consumed_total") >= len(articles) // 3, 120, "a third consumed")
    leaving = urls[1]
    os.killpg(_pid_serving(d, leaving), signal.SIGTERM)  # a clean leave: the group rebalances
    d.metrics_urls.remove(leaving)
    thread.join(120)
    wait_for(lambda: daily_totals(d, 1) == want, 180, "counts equal to a run without the leave")


def _pid_serving(d: Deployment, url: str) -> int:
    """The worker process whose /metrics is at ``url`` (workers are started in order of their ports)."""
    port = url.rsplit(":", 1)[1].split("/")[0]
    for proc in d.processes:
        if proc.args and port in proc.args:
            return int(proc.pid)
    raise AssertionError(f"no worker serves {url}")
