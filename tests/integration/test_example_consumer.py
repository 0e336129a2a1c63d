"""examples/consume_events.py, the downstream consumer in the docs, run as a user would against Tansu."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid

import pytest
from kafka import KafkaProducer

from schemas import SCHEMA_VERSION
from streams.core.extract import extract
from streams.kafka.broker import EmbeddedBroker
from streams.kafka.producer import load_articles
from streams.kafka.topics import SCHEMA_VERSION_HEADER, Topics, ensure_topics
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.integration

EXAMPLE = ROOT / "examples" / "consume_events.py"


def run_example(*args: str, timeout: float = 90) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )
    return result, time.monotonic() - started


def test_until_end_prints_each_event_once_and_exits(tansu: EmbeddedBroker):
    topics = Topics(f"x{uuid.uuid4().hex[:10]}.")
    ensure_topics(tansu.bootstrap, topics, partitions=3)  # some partitions stay empty: their end is 0
    articles, _ = load_articles([SEEDS], 2 * 1024 * 1024)
    events = [e for e in extract(articles[0])][:3]
    assert len(events) == 3
    producer = KafkaProducer(bootstrap_servers=tansu.bootstrap, acks="all")
    try:
        for event in [*events, events[0]]:  # the last one is a redelivery
            producer.send(
                topics.events,
                key=event.pair.encode(),
                value=event.model_dump_json().encode(),
                headers=[(SCHEMA_VERSION_HEADER, str(SCHEMA_VERSION).encode())],
            ).get(timeout=30)
    finally:
        producer.close()

    args = ["--bootstrap", tansu.bootstrap, "--topic", topics.events, "--group", f"g-{topics.prefix}"]
    result, elapsed = run_example(*args, "--until-end", "--timeout", "60")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3, result.stdout  # the redelivered event_id is handled once
    for event in events:
        assert any(line.startswith(event.pair) and event.type.value in line for line in lines)
    assert elapsed < 40

    # the group committed its offsets: a second run starts at the end and stops at once, printing nothing
    again, _ = run_example(*args, "--until-end", "--timeout", "60")
    assert again.returncode == 0 and again.stdout == "", again.stderr


def test_until_end_gives_up_at_the_timeout(tansu: EmbeddedBroker):
    """A topic that does not exist never gets an assignment: the bounded wait ends it, exit 1."""
    missing = f"missing-{uuid.uuid4().hex[:10]}"
    result, elapsed = run_example(
        "--bootstrap", tansu.bootstrap, "--topic", missing, "--group", missing, "--until-end", "--timeout", "3"
    )
    assert result.returncode == 1
    assert "gave up after 3 s" in result.stderr
    assert elapsed < 20


def test_timeout_alone_stops_a_follower(tansu: EmbeddedBroker):
    topics = Topics(f"y{uuid.uuid4().hex[:10]}.")
    ensure_topics(tansu.bootstrap, topics, partitions=1)
    result, elapsed = run_example(
        "--bootstrap", tansu.bootstrap, "--topic", topics.events, "--group", topics.prefix, "--timeout", "3"
    )
    assert result.returncode == 0, result.stderr
    assert 3 <= elapsed < 20
