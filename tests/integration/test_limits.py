"""The worker refuses to start, with one clear error, when the size limits cannot hold a DLQ copy."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

from streams.kafka.apache import ApacheKafka
from streams.kafka.topics import Topics, ensure_topics

pytestmark = pytest.mark.integration


def worker(bootstrap: str, prefix: str, **env: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "streams.cli", "worker", "--bootstrap", bootstrap, "--topic-prefix", prefix]
    cmd += ["--app-id", f"limits-{uuid.uuid4().hex[:8]}", "--metrics-port", "0"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, env={**os.environ, **env}, check=False)


def test_a_producer_limit_below_an_article_plus_headers_is_refused(broker: str):
    done = worker(broker, f"l{uuid.uuid4().hex[:8]}.", DIPLOSTREAM_PRODUCER_MAX_REQUEST_BYTES="1000000")
    assert done.returncode == 2
    assert "DIPLOSTREAM_PRODUCER_MAX_REQUEST_BYTES=1,000,000" in done.stderr
    assert "max_article_bytes=2,097,152" in done.stderr


@pytest.mark.apache_kafka
def test_topics_created_with_the_brokers_default_limit_are_refused(apache: ApacheKafka):
    topics = Topics(f"l{uuid.uuid4().hex[:8]}.")
    ensure_topics(apache.bootstrap, topics, 1, max_message_bytes=1_048_588)  # Apache Kafka's default
    done = worker(apache.bootstrap, topics.prefix)
    assert done.returncode == 2
    message = " ".join(done.stderr.split())
    assert f"{topics.events}'s max.message.bytes=1,048,588" in message
    assert f"{topics.articles_dlq}'s max.message.bytes=1,048,588" in message
    assert "max.message.bytes=N" in message  # and how to fix it
