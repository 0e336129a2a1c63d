"""What a DLQ record holds, the limits that must agree, and the worker's health endpoint."""

from __future__ import annotations

import hashlib
import io

import pytest

from streams.core.deadletter import (
    KEY_LIMIT_BYTES,
    ORIGINAL_KEY_SHA256_HEADER,
    ORIGINAL_KEY_SIZE_HEADER,
    ORIGINAL_SHA256_HEADER,
    ORIGINAL_SIZE_HEADER,
    PREFIX_BYTES,
    REASON_HEADER,
    SOURCE_OFFSET_HEADER,
    TRUNCATED_HEADER,
    dead_letter,
    record_budget,
)
from streams.kafka.limits import TopicLimit, limit_problems
from streams.metrics import block, blocked, health_app, unblock
from streams.settings import Settings

LIMIT = 100_000


def letter(key: bytes | None, value: bytes | None, detail: str = "why"):
    return dead_letter(
        key,
        value,
        reason="too_large",
        detail=detail,
        source_topic="diplostream.articles",
        source_partition=3,
        source_offset=41,
        max_value_bytes=LIMIT,
    )


def test_a_record_within_the_limit_is_copied_whole():
    d = letter(b"id", b"x" * LIMIT)
    headers = dict(d.headers)
    assert d.key == b"id" and d.value == b"x" * LIMIT
    assert TRUNCATED_HEADER not in headers and ORIGINAL_SIZE_HEADER not in headers
    assert headers[REASON_HEADER] == b"too_large" and headers[SOURCE_OFFSET_HEADER] == b"41"


def test_an_oversized_value_becomes_a_prefix_with_its_size_and_sha256():
    value = bytes(range(256)) * 10_000
    d = letter(b"id", value)
    headers = dict(d.headers)
    assert d.value == value[: min(PREFIX_BYTES, LIMIT)]
    assert headers[TRUNCATED_HEADER] == b"value"
    assert headers[ORIGINAL_SIZE_HEADER] == str(len(value)).encode()
    assert headers[ORIGINAL_SHA256_HEADER] == hashlib.sha256(value).hexdigest().encode()


def test_a_hostile_key_is_cut_too_and_everything_fits_the_budget():
    key = b"k" * 50_000
    d = letter(key, b"v" * (LIMIT + 1), detail="\ud800" + "é" * 5000)
    headers = dict(d.headers)
    assert d.key == key[:KEY_LIMIT_BYTES]
    assert headers[TRUNCATED_HEADER] == b"key,value"
    assert headers[ORIGINAL_KEY_SIZE_HEADER] == b"50000"
    assert headers[ORIGINAL_KEY_SHA256_HEADER] == hashlib.sha256(key).hexdigest().encode()
    assert d.size() <= record_budget(LIMIT)
    assert all(isinstance(v, bytes) for _, v in d.headers)
    d.headers[1][1].decode("utf-8")  # the error detail is valid UTF-8, cut at a character boundary


def test_no_value_is_an_empty_copy():
    assert letter(None, None).value == b""


def test_limits_that_agree_give_no_problem():
    s = Settings(max_article_bytes=2 * 1024 * 1024, producer_max_request_bytes=3 * 1024 * 1024)
    ok = [TopicLimit("events", 3 * 1024 * 1024, "topic"), TopicLimit("dlq", None, "unknown")]
    assert limit_problems(s, ok) == []


def test_limits_that_cannot_hold_a_dlq_copy_give_one_error_naming_each():
    s = Settings(max_article_bytes=2 * 1024 * 1024, producer_max_request_bytes=1_000_000)
    problems = limit_problems(s, [TopicLimit("t.articles-dlq", 1_048_588, "broker")])
    assert len(problems) == 1
    assert "DIPLOSTREAM_PRODUCER_MAX_REQUEST_BYTES=1,000,000" in problems[0]
    assert "t.articles-dlq's the broker's message.max.bytes=1,048,588" in problems[0]
    assert f"{record_budget(2 * 1024 * 1024):,}" in problems[0]


def call(app, path: str) -> tuple[str, bytes]:
    status: list[str] = []
    body = b"".join(
        app({"PATH_INFO": path, "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO()}, lambda s, h: status.append(s))
    )
    return status[0], body


@pytest.fixture
def clean_blocks():
    yield
    for topic, partition in blocked():
        unblock(topic, partition)


def test_health_fails_while_a_partition_is_blocked_and_metrics_say_why(clean_blocks):
    app = health_app()
    assert call(app, "/healthz") == ("200 OK", b"ok\n")
    block("t.articles", 4, "t.articles-dlq refused a record 6 times: KafkaTimeoutError()")
    status, body = call(app, "/healthz")
    assert status.startswith("503") and b"t.articles[4]" in body and b"KafkaTimeoutError" in body
    status, metrics = call(app, "/metrics")
    assert status == "200 OK"
    assert b'diplostream_partition_blocked{partition="4",topic="t.articles"} 1.0' in metrics
    unblock("t.articles", 4)
    assert call(app, "/healthz")[0] == "200 OK"
    assert b'diplostream_partition_blocked{partition="4",topic="t.articles"} 0.0' in call(app, "/metrics")[1]
