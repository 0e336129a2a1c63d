"""Record bytes to an Article: what the worker refuses and why."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from streams.core.records import FUTURE_SLACK, BadRecord, decode_article

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def record(published: datetime) -> bytes:
    return json.dumps({"article_id": "a", "body": "Text.", "published_at": published.isoformat()}).encode()


def test_a_publication_within_a_day_of_the_clock_is_accepted():
    assert decode_article(record(NOW + FUTURE_SLACK - timedelta(minutes=1)), 10_000, now=NOW).article_id == "a"


@pytest.mark.parametrize("ahead", [FUTURE_SLACK + timedelta(minutes=1), timedelta(days=365 * 70)])
def test_a_publication_in_the_future_is_dead_lettered(ahead):
    with pytest.raises(BadRecord) as bad:
        decode_article(record(NOW + ahead), 10_000, now=NOW)
    assert bad.value.reason == "published_in_future"


def test_without_a_clock_the_date_is_not_judged():
    assert decode_article(record(NOW + timedelta(days=400)), 10_000).article_id == "a"


@pytest.mark.parametrize("raw", [b"[" * 5000 + b"]" * 5000, b'{"a":' * 5000 + b"1" + b"}" * 5000])
def test_deep_nesting_is_not_json_rather_than_a_recursion_error(raw):
    with pytest.raises(BadRecord) as bad:
        decode_article(raw, 10**6)
    assert bad.value.reason == "not_json" and "nested too deeply" in bad.value.detail


@pytest.mark.parametrize("published", ["0001-01-01T00:00:00Z", "1969-12-31T23:59:59Z"])
def test_a_publication_before_1970_is_refused_since_no_record_timestamp_can_carry_it(published):
    raw = json.dumps({"article_id": "a", "body": "Text.", "published_at": published}).encode()
    with pytest.raises(BadRecord) as bad:
        decode_article(raw, 10_000)
    assert bad.value.reason == "invalid_schema" and "before 1970" in bad.value.detail
