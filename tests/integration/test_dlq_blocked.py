"""A DLQ that refuses a record: the worker does not move past it, says so, and resumes (Apache Kafka).

The broker's refusal is real: the DLQ topic's ``max.message.bytes`` is lowered below
the record's size after the worker's start-up check passed, so every send of the DLQ
copy fails with the broker's error 10 (MessageSizeTooLarge). The worker must neither crash its agent
nor skip the record (committing its offset would lose it): it retries, reports the
partition blocked (``diplostream_partition_blocked``, ``/healthz`` 503) and processes
nothing behind it; once the limit is restored the copy lands, is counted once, and
the article queued behind it comes out. Tansu neither describes nor enforces the
limit (streams/kafka/limits.py), so this runs on Apache Kafka only.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient

from streams.core.extract import extract
from streams.kafka.apache import ApacheKafka
from streams.settings import DEFAULT_MAX_MESSAGE_BYTES
from tests.hostile import good, seed_articles
from tests.integration.conftest import Deployment, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.apache_kafka]


def set_max_message_bytes(bootstrap: str, topic: str, value: int) -> None:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    try:
        admin.alter_configs(
            [ConfigResource(ConfigResourceType.TOPIC, topic, configs={"max.message.bytes": ("SET", str(value))})],
            incremental=True,
        )
    finally:
        admin.close()


def health(metrics_url: str) -> tuple[int, str]:
    url = metrics_url.replace("/metrics", "/healthz")
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_a_refused_dlq_copy_blocks_the_partition_until_the_broker_takes_it(apache: ApacheKafka, tmp_path: Path):
    d = Deployment(bootstrap=apache.bootstrap, workdir=tmp_path, partitions=1)  # one partition: strictly in order
    with d.stack:
        fast = {"DIPLOSTREAM_SEND_RETRIES": "1", "DIPLOSTREAM_SEND_RETRY_BACKOFF_SECONDS": "0.2"}
        url = d.start_workers(1, env=fast)[0]
        assert health(url)[0] == 200
        set_max_message_bytes(d.bootstrap, d.topics.articles_dlq, 500)
        bad = json.dumps({"article_id": "b", "body": "x" * 2000}).encode()  # no published_at: invalid_schema
        article = seed_articles()[0]
        d.produce([(b"b", bad), good(article, 7)])

        wait_for(lambda: d.metric("diplostream_partition_blocked") == 1, 60, "the partition reported blocked")
        status, body = health(url)
        assert status == 503 and f"{d.topics.articles}[0]" in body and "MessageSizeTooLarge" in body
        assert d.metric("diplostream_dlq_records_total") == 0  # nothing counted that did not land
        assert d.metric("diplostream_send_retries_total") >= 2
        assert d.metric("diplostream_events_extracted_total") == 0  # and nothing behind it was processed

        set_max_message_bytes(d.bootstrap, d.topics.articles_dlq, DEFAULT_MAX_MESSAGE_BYTES)
        wanted = len(extract(article))
        wait_for(lambda: d.metric("diplostream_events_extracted_total") >= wanted, 90, "the article behind it")
        assert d.metric("diplostream_partition_blocked") == 0
        assert health(url)[0] == 200
        assert d.metric("diplostream_dlq_records_total") == 1
        dlq = d.read(d.topics.articles_dlq, 1)
        assert [r.value for r in dlq] == [bad]
        assert d.metric("diplostream_articles_consumed_total") == 2
        logs = "".join(p.read_text(errors="replace") for p in tmp_path.glob("worker-*.log"))
        assert "Crashed" not in logs and "not moving past" in logs
