"""Real brokers for the integration tests, started by the suite: Tansu and Apache Kafka.

Every test of the normal path takes the ``broker`` fixture and runs once on each:
the embedded Tansu (what ``make demo`` uses) and Apache Kafka from its own jars
(``streams/kafka/apache.py``; what production runs). Each test gets a fresh topic
prefix and app id, and its workers start together, which is the path Tansu
handles correctly (FIELD-NOTES). Restart, crash and rebalance tests live in
test_apache_kafka.py and run on Apache Kafka only. Without Java or Maven the
Apache Kafka runs are skipped with that reason (``-m "not apache_kafka"`` leaves
them out).
"""

from __future__ import annotations

import contextlib
import secrets
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from schemas import Article
from streams.kafka.apache import ApacheKafka, KafkaUnavailable, SecureListeners, missing_tools
from streams.kafka.broker import EmbeddedBroker, free_port
from streams.kafka.demo import scrape, wait_until, worker_process
from streams.kafka.producer import load_articles
from streams.kafka.security import PLAINTEXT, client_security
from streams.kafka.tls import Authority, TlsToolMissing, broker_stores
from streams.kafka.topics import Topics, ensure_topics
from streams.settings import Settings
from tests.conftest import SEEDS

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def seed_articles() -> list[Article]:
    """The seeds as ``diplostream replay`` reads them."""
    articles, errors = load_articles([SEEDS], 2 * 1024 * 1024)
    assert not errors
    return articles


@pytest.fixture(scope="session")
def tansu(tmp_path_factory) -> Iterator[EmbeddedBroker]:
    broker = EmbeddedBroker(log_path=tmp_path_factory.mktemp("tansu") / "broker.log").start()
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture(scope="session")
def apache(tmp_path_factory) -> Iterator[ApacheKafka]:
    """One Apache Kafka node for the session (temporary log dir, removed at the end)."""
    missing = missing_tools()
    if missing:
        pytest.skip(f"Apache Kafka needs {' and '.join(missing)} (Java 17+ and Maven; see the README)")
    try:
        broker = ApacheKafka(log_path=tmp_path_factory.mktemp("apache") / "broker.log").start()
    except KafkaUnavailable as exc:
        pytest.skip(str(exc))
    try:
        yield broker
    finally:
        broker.close()


@dataclass(frozen=True)
class SecuredKafka:
    """An Apache Kafka with a SASL_SSL (SCRAM-SHA-512) and a mutual-TLS listener, and what a client needs for them.

    ``untrusted`` is a second CA that signed nothing the broker presents: trusting only it
    must fail the TLS handshake.
    """

    kafka: ApacheKafka
    ca: Authority
    untrusted: Authority
    client_cert: Path
    client_key: Path
    user: str
    password: str

    def env(self, **overrides: str) -> dict[str, str]:
        """The environment a diplostream command reaches the SASL_SSL listener with."""
        return {
            "DIPLOSTREAM_SECURITY_PROTOCOL": "SASL_SSL",
            "DIPLOSTREAM_SASL_MECHANISM": "SCRAM-SHA-512",
            "DIPLOSTREAM_SASL_USERNAME": self.user,
            "DIPLOSTREAM_SASL_PASSWORD": self.password,
            "DIPLOSTREAM_SSL_CAFILE": str(self.ca.cert),
            **overrides,
        }

    def mtls_env(self) -> dict[str, str]:
        """The environment for the mutual-TLS listener: no SASL, a client certificate."""
        return {
            "DIPLOSTREAM_SECURITY_PROTOCOL": "SSL",
            "DIPLOSTREAM_SSL_CAFILE": str(self.ca.cert),
            "DIPLOSTREAM_SSL_CERTFILE": str(self.client_cert),
            "DIPLOSTREAM_SSL_KEYFILE": str(self.client_key),
        }

    def security(self, env: Mapping[str, str] | None = None) -> dict[str, Any]:
        """The client options ``env`` (default :meth:`env`) gives, as the commands compute them."""
        values = env if env is not None else self.env()
        return client_security(Settings(**{k.removeprefix("DIPLOSTREAM_").lower(): v for k, v in values.items()}))


@pytest.fixture(scope="session")
def apache_secure(tmp_path_factory) -> Iterator[SecuredKafka]:
    """A second Apache Kafka for the session, with a throwaway CA, broker certificate and SCRAM user."""
    missing = missing_tools()
    if missing:
        pytest.skip(f"Apache Kafka needs {' and '.join(missing)} (Java 17+ and Maven; see the README)")
    folder = tmp_path_factory.mktemp("apache-secure")
    try:
        ca = Authority.create(folder / "ca")
        untrusted = Authority.create(folder / "untrusted", "untrusted-ca")
        stores = broker_stores(ca, folder / "ca", hosts=("127.0.0.1",))  # not localhost: see test_secured.py
        client_cert, client_key = ca.issue(folder / "ca", "diplostream-client")
    except TlsToolMissing as exc:
        pytest.skip(str(exc))
    user, password = "diplostream", f"pw-{secrets.token_hex(10)}"
    secure = SecureListeners(stores, {user: password})
    try:
        kafka = ApacheKafka(log_path=folder / "broker.log", secure=secure, heap="384m").start()
    except KafkaUnavailable as exc:
        pytest.skip(str(exc))
    try:
        yield SecuredKafka(kafka, ca, untrusted, client_cert, client_key, user, password)
    finally:
        kafka.close()


@pytest.fixture(scope="session", params=["tansu", pytest.param("apache", marks=pytest.mark.apache_kafka)])
def broker(request) -> str:
    """The bootstrap address of each broker in turn."""
    return str(request.getfixturevalue(request.param).bootstrap)


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
    security: Mapping[str, Any] = field(default_factory=lambda: dict(PLAINTEXT))
    """The client options of this process's clients; workers get theirs from ``worker_env``."""
    worker_env: dict[str, str] = field(default_factory=dict)

    @property
    def topics(self) -> Topics:
        return Topics(f"t{self.run_id}.")

    @property
    def app_id(self) -> str:
        return f"diplostream-test-{self.run_id}"

    def start_workers(self, count: int = 1, env: dict[str, str] | None = None) -> list[str]:
        """Start ``count`` workers together and wait until each serves /metrics."""
        ensure_topics(self.bootstrap, self.topics, self.partitions, app_id=self.app_id, security=self.security)
        urls = []
        procs = []
        for _ in range(count):
            port = free_port()
            log = self.workdir / f"worker-{port}.log"
            env_all = {"DIPLOSTREAM_PARTITIONS": str(self.partitions), **self.worker_env, **(env or {})}
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
        producer = KafkaProducer(bootstrap_servers=self.bootstrap, acks="all", **self.security)
        try:
            for key, value in records:
                producer.send(topic or self.topics.articles, key=key, value=value).get(timeout=30)
        finally:
            producer.close()

    def read(self, topic: str, expected: int, timeout: float = 30.0) -> list:
        """Every record of ``topic`` from the start, once at least ``expected`` are there.

        Reads to the fetch high-water mark of every partition (right on both brokers, unlike
        Tansu's ``end_offsets``), so a pause between two fetches never cuts the read short.
        """
        consumer = KafkaConsumer(
            bootstrap_servers=self.bootstrap, group_id=None, enable_auto_commit=False, **self.security
        )
        records: list = []
        deadline = time.monotonic() + timeout
        try:
            partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
            consumer.assign(partitions)
            consumer.seek_to_beginning(*partitions)
            while time.monotonic() < deadline:
                for batch in consumer.poll(timeout_ms=500).values():
                    records.extend(batch)
                marks = [consumer.highwater(tp) for tp in partitions]
                at_end = all(
                    m is not None and consumer.position(tp) >= m for tp, m in zip(partitions, marks, strict=True)
                )
                if at_end and len(records) >= expected:
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
def deployment(broker: str, tmp_path: Path) -> Iterator[Deployment]:
    d = Deployment(bootstrap=broker, workdir=tmp_path)
    with d.stack:
        yield d
