"""Hostile records to a live worker on each broker: every record is accounted for (issue 11).

Hypothesis draws batches of records of every kind in ``tests/hostile.py`` (random
bytes, empty and missing values, ``null``, JSON lists, wrong field types, 5,000-deep
nesting, lone surrogates, invalid UTF-8, 2.4 MB bodies, impossible dates, long keys,
and what it invents) among good articles, and sends each batch to one worker. After
each batch, on the worker's own metrics and the topics:

    consumed = articles with events + articles without events + dead-lettered
    dead-lettered (metric) = records on the DLQ topic, one per source offset
    events extracted (metric) = records on the events topic

and at the end no agent crashed, no partition is blocked, and a good article still
comes out as its events. One worker per broker for the whole run (a Faust start is
seconds, a Tansu rebalance more), a few examples of many records each, no shrinking:
the run stays bounded, and a failure prints the batch that broke it.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from kafka import KafkaProducer

from streams.core.deadletter import SOURCE_OFFSET_HEADER, SOURCE_PARTITION_HEADER
from streams.core.extract import extract
from streams.settings import DEFAULT_MAX_MESSAGE_BYTES
from tests.hostile import Record, any_record, fixed_batch, good, seed_articles
from tests.integration.conftest import Deployment, wait_for

pytestmark = pytest.mark.integration

EXAMPLES = 5
"""Generated batches per broker, after the explicit one holding every listed kind."""

EVERY_KIND = [record for _, record in fixed_batch(40, seed=3)]


def produce(producer: KafkaProducer, topic: str, batch: list[Record]) -> None:
    futures = [
        # kafka-python refuses a record with neither key nor value; a tombstone keeps a key
        producer.send(topic, key=key if key is not None or value is not None else b"tombstone", value=value)
        for key, value in batch
    ]
    producer.flush(timeout=60)
    for future in futures:
        future.get(timeout=60)


def accounted(d: Deployment) -> float:
    return (
        d.metric("diplostream_articles_with_events_total")
        + d.metric("diplostream_articles_without_events_total")
        + d.metric("diplostream_dlq_records_total")
    )


def check_conservation(d: Deployment, sent: int) -> None:
    wait_for(lambda: accounted(d) >= sent, 90, f"{sent} records accounted for")
    consumed = d.metric("diplostream_articles_consumed_total")
    assert consumed == sent == accounted(d)
    dead = int(d.metric("diplostream_dlq_records_total"))
    dlq = d.read(d.topics.articles_dlq, dead)
    assert len(dlq) == dead
    sources = {(dict(r.headers)[SOURCE_PARTITION_HEADER], dict(r.headers)[SOURCE_OFFSET_HEADER]) for r in dlq}
    assert len(sources) == dead  # one DLQ record per source record, none twice
    events = int(d.metric("diplostream_events_extracted_total"))
    assert len(d.read(d.topics.events, events)) == events


def test_every_hostile_record_is_accounted_for_and_the_worker_goes_on(broker, tmp_path):
    d = Deployment(bootstrap=broker, workdir=tmp_path)
    started = time.monotonic()
    with d.stack:
        d.start_workers(1)
        producer = KafkaProducer(
            bootstrap_servers=broker, acks="all", max_request_size=DEFAULT_MAX_MESSAGE_BYTES, linger_ms=5
        )
        d.stack.callback(producer.close)
        sent = 0

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @example(batch=EVERY_KIND)
        @given(batch=st.lists(any_record(), min_size=15, max_size=40))
        def run(batch: list[Record]) -> None:
            nonlocal sent
            produce(producer, d.topics.articles, batch)
            sent += len(batch)
            check_conservation(d, sent)

        run()

        logs = "".join(p.read_text(errors="replace") for p in tmp_path.glob("worker-*.log"))
        assert "Crashed" not in logs
        assert d.metric("diplostream_partition_blocked") == 0
        # and a good article afterwards still becomes its events
        article = seed_articles()[0]
        before = d.metric("diplostream_events_extracted_total")
        produce(producer, d.topics.articles, [good(article, 424242)])
        wanted = before + len(extract(article))
        wait_for(lambda: d.metric("diplostream_events_extracted_total") >= wanted, 60, "the good article's events")
        check_conservation(d, sent + 1)
        print(f"{sent + 1} records on {broker} in {time.monotonic() - started:.1f} s")
