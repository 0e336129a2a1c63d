"""A real Kafka-protocol broker for the integration tests: Tansu, started by the suite.

Each test gets a fresh topic prefix and app id, and its workers start together,
which is the path Tansu handles correctly (FIELD-NOTES). Restart and rebalance
tests live in test_apache_kafka.py and need Apache Kafka.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from kafka import KafkaConsumer, KafkaProducer

from streams.kafka.broker import EmbeddedBroker, free_port
from streams.kafka.demo import scrape, wait_until, worker_process
from streams.kafka.topics import Topics, ensure_topics

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def tansu(tmp_path_factory) -> Iterator[EmbeddedBroker]:
    broker = EmbeddedBroker(log_path=tmp_path_factory.mktemp("tansu") / "broker.log").start()
    try:
        yield broker
    finally:
        broker.stop()


@dataclass
class Deployment:
    """One isolated deployment on a shared broker: its topics, app id and workers."""

    bootstrap: str
    workdir: Path
    partitions: int = 6
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:10])
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    metrics_urls: list[str] = field(default_factory=list)
    processes: list = field(default_factory=list)

    @property
    def topics(self) -> Topics:
        return Topics(f"t{self.run_id}.")

    @property
    def app_id(self) -> str:
        return f"diplostream-test-{self.run_id}"

    def start_workers(self, count: int = 1, env: dict[str, str] | None = None) -> list[str]:
        """Start ``count`` workers together and wait until each serves /metrics."""
        ensure_topics(self.bootstrap, self.topics, self.partitions)
        urls = []
        procs = []
        for _ in range(count):
            port = free_port()
            log = self.workdir / f"worker-{port}.log"
            env_all = {"DIPLOSTREAM_PARTITIONS": str(self.partitions), **(env or {})}
            procs.append(
                self.stack.enter_context(
                    worker_process(self.bootstrap, self.topics.prefix, self.app_id, port, log, env=env_all)
                )
            )
            urls.append(f"http://127.0.0.1:{port}/metrics")
        self.processes += procs
        for url, proc in zip(urls, procs, strict=True):
            wait_for(lambda u=url: bool(scrape(u)), 30, f"metrics at {url}", proc)
        self.metrics_urls += urls
        return urls

    def metric(self, name: str) -> float:
        """A metric summed over every worker of the deployment."""
        return sum(scrape(url).get(name, 0.0) for url in self.metrics_urls)

    def produce(self, records: list[tuple[bytes | None, bytes]], topic: str | None = None) -> None:
        producer = KafkaProducer(bootstrap_servers=self.bootstrap, acks="all")
        try:
            for key, value in records:
                producer.send(topic or self.topics.articles, key=key, value=value).get(timeout=30)
        finally:
            producer.close()

    def read(self, topic: str, expected: int, timeout: float = 30.0) -> list:
        """Records of ``topic`` from the start, waiting until at least ``expected`` arrived."""
        consumer = KafkaConsumer(
            topic,
            bootstrap_servers=self.bootstrap,
            group_id=None,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            consumer_timeout_ms=1000,
        )
        records: list = []
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                records.extend(consumer)
                if len(records) >= expected:
                    # drain what else is there: the test wants to see extra records too
                    records.extend(consumer)
                    break
        finally:
            consumer.close()
        return records


def wait_for(predicate: Callable[[], bool], timeout: float, what: str, proc=None) -> None:  # type: ignore[no-untyped-def]
    """The demo's own polling, failing the test with what it waited for."""
    try:
        wait_until(predicate, timeout, what, proc)
    except (TimeoutError, RuntimeError) as exc:
        raise AssertionError(str(exc)) from None


@pytest.fixture
def deployment(tansu: EmbeddedBroker, tmp_path: Path) -> Iterator[Deployment]:
    d = Deployment(bootstrap=tansu.bootstrap, workdir=tmp_path)
    with d.stack:
        yield d
