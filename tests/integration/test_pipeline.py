"""The pipeline end to end on a real broker (Tansu over TCP, never a mock)."""

from __future__ import annotations

import hashlib
import json
import urllib.request
from collections import Counter

import pytest
from prometheus_client.parser import text_string_to_metric_families

from schemas import DiplomaticEvent, PairCount, Series
from streams.core.deadletter import (
    ORIGINAL_SHA256_HEADER,
    ORIGINAL_SIZE_HEADER,
    REASON_HEADER,
    SOURCE_OFFSET_HEADER,
    TRUNCATED_HEADER,
)
from streams.core.extract import extract
from streams.core.windows import WindowKey
from streams.kafka.demo import scrape, wait_until
from streams.kafka.producer import replay
from streams.kafka.topics import SCHEMA_VERSION_HEADER
from tests.integration.conftest import Deployment, wait_for

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def expected_events(seed_articles) -> dict[str, DiplomaticEvent]:
    """What `diplostream extract` gives for the same files."""
    return {e.event_id: e for a in seed_articles for e in extract(a)}


def samples(url: str, name: str) -> list:
    """Every sample called ``name`` on one worker's /metrics."""
    text = urllib.request.urlopen(url, timeout=5).read().decode()
    return [s for family in text_string_to_metric_families(text) for s in family.samples if s.name == name]


def replay_and_wait(d: Deployment, articles, expected: dict[str, DiplomaticEvent], loops: int = 1) -> None:
    sent = replay(articles, bootstrap=d.bootstrap, topics=d.topics, speed=None, loops=loops)
    assert sent == len(articles) * loops
    wait_for(lambda: d.metric("diplostream_articles_consumed_total") >= sent, 60, "articles consumed")
    wait_for(lambda: d.metric("diplostream_events_aggregated_total") >= len(expected) * loops, 60, "events aggregated")
    # window updates are coalesced: the last counts go out within window_flush_seconds
    wait_for(lambda: d.metric("diplostream_window_updates_pending") == 0, 30, "window updates sent")


def latest_counts(d: Deployment, at_least: int, series: Series = Series.REPORTS) -> dict[str, PairCount]:
    """The current count per key of one series: reports never decrease (the largest is the latest, whichever
    worker sent it around a rebalance); happenings counts may, so theirs is the last record by offset."""
    latest: dict[str, PairCount] = {}
    for record in sorted(d.read(d.topics.event_counts, at_least), key=lambda r: (r.partition, r.offset)):
        count = PairCount.model_validate_json(record.value)
        if count.series is not series:
            continue
        key = record.key.decode()
        if series is not Series.REPORTS or key not in latest or count.count >= latest[key].count:
            latest[key] = count
    return latest


def expected_window_totals(expected: dict[str, DiplomaticEvent]) -> Counter:
    return Counter((e.pair, e.type.value) for e in expected.values())


def check_counts(counts: dict[str, PairCount], expected: dict[str, DiplomaticEvent]) -> None:
    tumbling: Counter = Counter()
    hopping: Counter = Counter()
    for key, c in counts.items():
        assert WindowKey.decode(key).pair == c.pair
        (tumbling if c.window_kind.value == "tumbling" else hopping)[(c.pair, c.type.value)] += c.count
    want = expected_window_totals(expected)
    assert tumbling == want  # each distinct event in exactly one daily window
    assert hopping == Counter({k: 7 * v for k, v in want.items()})  # and in seven 7-day windows


def test_replay_puts_exactly_the_extracted_events_on_the_events_topic(deployment, seed_articles, expected_events):
    d = deployment
    d.start_workers(1)
    replay_and_wait(d, seed_articles, expected_events)

    records = d.read(d.topics.events, len(expected_events))
    got = {}
    for r in records:
        event = DiplomaticEvent.model_validate_json(r.value)
        assert r.key.decode() == event.pair
        assert dict(r.headers)[SCHEMA_VERSION_HEADER] == b"1"
        assert r.timestamp == int(event.published_at.timestamp() * 1000)
        got[event.event_id] = event
    assert len(records) == len(expected_events)
    assert got == expected_events

    counts = latest_counts(d, 1)
    check_counts(counts, expected_events)

    # /metrics agrees with the topics
    assert d.metric("diplostream_events_extracted_total") == len(expected_events)
    assert d.metric("diplostream_articles_consumed_total") == len(seed_articles)
    assert d.metric("diplostream_dlq_records_total") == 0
    assert d.metric("diplostream_extraction_latency_seconds_count") == len(seed_articles)
    newest = max(e.published_at for e in expected_events.values())
    current = Counter(
        (e.pair, e.type.value) for e in expected_events.values() if e.published_at.date() == newest.date()
    )

    def tumbling_gauges() -> dict:
        return {
            (s.labels["pair"], s.labels["type"]): s.value
            for s in samples(d.metrics_urls[0], "diplostream_window_events")
            if s.labels["window"] == "tumbling"
        }

    wait_for(lambda: tumbling_gauges() == current, 10, f"window gauges {current}")
    assert scrape(d.metrics_urls[0])["diplostream_newest_event_time_seconds"] == newest.timestamp()


def test_two_workers_share_the_partitions_and_give_the_same_totals(deployment, seed_articles, expected_events):
    d = deployment
    urls = d.start_workers(2)
    replay_and_wait(d, seed_articles, expected_events)

    per_worker = [scrape(u).get("diplostream_articles_consumed_total", 0) for u in urls]
    assert sum(per_worker) == len(seed_articles)
    assert d.metric("diplostream_events_extracted_total") == len(expected_events)
    check_counts(latest_counts(d, 1), expected_events)
    assert_partitions_split(urls, d.topics.articles, d.partitions)


def assert_partitions_split(urls: list[str], topic: str, partitions: int) -> None:
    """Each worker reports lag for the partitions it owns: together all, no overlap.

    The gauge is refreshed every 2 s from the fetch high-water marks, which a worker knows only
    after its first fetch since the last rebalance: so this waits for it to settle.
    """

    def owned() -> list[set[str]]:
        return [
            {s.labels["partition"] for s in samples(url, "diplostream_consumer_lag") if s.labels["topic"] == topic}
            for url in urls
        ]

    def split() -> bool:
        parts = owned()
        return (
            all(parts) and set().union(*parts) == {str(p) for p in range(partitions)} and not set.intersection(*parts)
        )

    try:
        wait_until(split, 30, f"the partitions of {topic} split between the workers")
    except TimeoutError:
        raise AssertionError(f"the workers do not split {topic}: {owned()}") from None


def test_replaying_twice_does_not_change_the_counts(deployment, seed_articles, expected_events):
    d = deployment
    d.start_workers(1)
    replay_and_wait(d, seed_articles, expected_events, loops=2)
    assert d.metric("diplostream_events_duplicate_total") == len(expected_events)
    events = d.read(d.topics.events, 2 * len(expected_events))
    assert len(events) == 2 * len(expected_events)  # at-least-once on the topic: consumers dedupe by event_id
    assert {json.loads(r.value)["event_id"] for r in events} == set(expected_events)
    check_counts(latest_counts(d, 1), expected_events)


def test_bad_records_land_in_the_dlq_with_their_reason_and_the_worker_goes_on(deployment, seed_articles):
    d = deployment
    d.start_workers(1, env={"DIPLOSTREAM_MAX_ARTICLE_BYTES": "20000"})
    good = seed_articles[0]
    bad = {
        "not_json": b"this is not json",
        "invalid_schema": json.dumps({"article_id": "x", "body": "text"}).encode(),  # no published_at
        "empty_body": json.dumps({"article_id": "y", "body": "   ", "published_at": "2024-01-01T00:00:00Z"}).encode(),
        "too_large": json.dumps(
            {"article_id": "z", "body": "a" * 30_000, "published_at": "2024-01-01T00:00:00Z"}
        ).encode(),
        "invalid_utf8": b'{"article_id": "w", "body": "caf\xe9"}',
        "published_in_future": json.dumps(
            {"article_id": "f", "body": "Text.", "published_at": "2099-01-01T00:00:00Z"}
        ).encode(),
    }
    d.produce([(reason.encode(), value) for reason, value in bad.items()])
    d.produce([(good.article_id.encode(), good.model_dump_json().encode())])
    expected = extract(good)
    wait_for(lambda: d.metric("diplostream_events_extracted_total") >= len(expected), 60, "the good article")

    dlq = d.read(d.topics.articles_dlq, len(bad))
    by_reason = {dict(r.headers)[REASON_HEADER].decode(): r for r in dlq}
    assert set(by_reason) == set(bad)
    for reason, value in bad.items():
        record = by_reason[reason]
        headers = dict(record.headers)
        assert record.key == reason.encode()
        if reason == "too_large":  # a prefix up to the limit, and what identifies the original at its offset
            assert record.value == value[:20000]
            assert headers[TRUNCATED_HEADER] == b"value"
            assert headers[ORIGINAL_SIZE_HEADER] == str(len(value)).encode()
            assert headers[ORIGINAL_SHA256_HEADER] == hashlib.sha256(value).hexdigest().encode()
            assert int(headers[SOURCE_OFFSET_HEADER]) >= 0
        else:
            assert record.value == value  # original bytes, nothing lost
            assert TRUNCATED_HEADER not in headers
    metrics = {s.labels["reason"]: s.value for s in samples(d.metrics_urls[0], "diplostream_dlq_records_total")}
    assert metrics == {reason: 1.0 for reason in bad}
    assert d.metric("diplostream_events_extracted_total") == len(expected)
