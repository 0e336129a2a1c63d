"""Happenings on a real broker: the stream's compacted topic equals `diplostream happenings` for the same articles.

The batch command and the happenings agent run the same core; the stream sees the
events one at a time, in whatever order the extraction agents of six partitions
interleave them, so equality here is the core's order-independence at work.
"""

from __future__ import annotations

import json
import signal
from collections import Counter
from datetime import date

import pytest

from schemas import Happening, PairCount, Series
from streams.core.extract import extract
from streams.core.happenings import Fuser, fuse_articles
from streams.kafka.apache import ApacheKafka
from streams.kafka.producer import replay
from streams.kafka.topics import HAPPENING_TABLES, SCHEMA_VERSION_HEADER
from tests.integration.conftest import Deployment, wait_for
from tests.integration.test_pipeline import latest_counts, samples

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def batch(seed_articles) -> tuple[dict[str, Happening], int]:
    """What `diplostream happenings` gives for the same files, by id, and the number of events."""
    happenings, events = fuse_articles(seed_articles)
    return {h.happening_id: h for h in happenings}, events


def topic_state(d: Deployment) -> tuple[dict[str, Happening], list]:
    """The latest record per key of the happenings topic (a tombstone removes the key), and every record."""
    records = sorted(d.read(d.topics.happenings, 1, timeout=10), key=lambda r: (r.partition, r.offset))
    latest: dict[str, Happening] = {}
    for r in records:
        key = r.key.decode()
        if r.value is None:
            latest.pop(key, None)
            continue
        h = Happening.model_validate_json(r.value)
        assert h.happening_id == key
        assert dict(r.headers)[SCHEMA_VERSION_HEADER] == b"1"
        latest[key] = h
    return latest, records


def replay_and_settle(d: Deployment, articles, want: dict[str, Happening], fused: int) -> list:
    """Replay the articles, wait until the workers read ``fused`` events and the topic equals ``want``."""
    replay(articles, bootstrap=d.bootstrap, topics=d.topics, speed=None)
    wait_for(lambda: d.metric("diplostream_events_fused_total") >= fused, 60, f"{fused} events fused")
    wait_for(lambda: topic_state(d)[0] == want, 60, f"the topic's {len(want)} happenings equal the batch command's")
    return topic_state(d)[1]


@pytest.mark.parametrize("workers", [1, 2])
def test_the_stream_gives_the_happenings_the_batch_command_gives(deployment, seed_articles, batch, workers):
    want, events = batch
    assert len(want) == 15  # the seeds' 35 events are 15 happenings (../shared/happenings/seeds.json)
    d = deployment
    d.start_workers(workers)
    replay_and_settle(d, seed_articles, want, events)
    assert d.metric("diplostream_happening_updates_total") >= len(want)


def test_replaying_the_articles_again_sends_no_happening_again(deployment, seed_articles, batch):
    want, events = batch
    d = deployment
    d.start_workers(1)
    replay_and_settle(d, seed_articles, want, events)
    sent = d.metric("diplostream_happening_updates_total")
    assert sent >= len(want)
    replay_and_settle(d, seed_articles, want, 2 * events)
    assert d.metric("diplostream_happening_updates_total") == sent  # every event fused already: nothing sent


def expected_daily_happenings(want: dict[str, Happening]) -> Counter:
    """Per (series, day, pair, type): the batch command's happenings, each once on the day it is counted at."""
    return Counter(
        (Series.HISTORICAL if h.historical else Series.HAPPENINGS, h.counted_at.date(), h.pair, h.type.value)
        for h in want.values()
    )


def daily_happenings(d: Deployment) -> Counter:
    """The same from the event-counts topic: the latest daily window counts of both happenings series."""
    out: Counter = Counter()
    for series in (Series.HAPPENINGS, Series.HISTORICAL):
        for c in latest_counts(d, 1, series).values():
            if c.window_kind.value == "tumbling" and c.count:
                out[(series, c.window_start.date(), c.pair, c.type.value)] += c.count
    return out


def test_happenings_are_counted_once_each_on_their_own_dates_and_a_replay_changes_nothing(
    deployment, seed_articles, batch
):
    want, events = batch
    d = deployment
    d.start_workers(2)
    replay_and_settle(d, seed_articles, want, events)
    expected = expected_daily_happenings(want)
    wait_for(lambda: daily_happenings(d) == expected, 60, f"daily happening counts {dict(expected)}")
    # Kim's September 2023 trip: five reports, counted once on the 13th; Putin's July 2000 visit: historical
    assert expected[(Series.HAPPENINGS, date(2023, 9, 13), "PRK-RUS", "visit")] == 1
    assert sum(n for (series, day, *_), n in expected.items() if series is Series.HISTORICAL and day.year == 2000)
    reports = sum(c.count for c in latest_counts(d, 1).values() if c.window_kind.value == "tumbling")
    assert reports == events > sum(expected.values())  # the reports series still counts every report

    def gauges() -> dict[str, float]:
        return {
            name: sum(s.value for url in d.metrics_urls for s in samples(url, name))
            for name in ("diplostream_window_happenings", "diplostream_historical_happenings")
        }

    historical = sum(n for (series, *_), n in expected.items() if series is Series.HISTORICAL)
    wait_for(lambda: gauges()["diplostream_historical_happenings"] == historical, 10, "the historical gauge")

    before = happening_records(d)
    replay_and_settle(d, seed_articles, want, 2 * events)
    assert daily_happenings(d) == expected
    assert happening_records(d) == before  # every happening placed already: the replay sent no count of them


def happening_records(d: Deployment) -> int:
    """Records of the two happenings series on event-counts."""
    return sum(
        1
        for r in d.read(d.topics.event_counts, 1)
        if PairCount.model_validate_json(r.value).series is not Series.REPORTS
    )


@pytest.mark.apache_kafka
@pytest.mark.timeout(400)
def test_a_restarted_worker_sends_no_different_ids(apache: ApacheKafka, tmp_path, seed_articles, batch):
    """SIGKILLed once its lanes are in the changelog, a new worker recovers the reports: replaying the articles
    again changes no happening and sends nothing, so no id other than the batch command's appears."""
    from tests.integration.test_apache_kafka import stop_worker

    want, events = batch
    d = Deployment(bootstrap=apache.bootstrap, workdir=tmp_path)
    with d.stack:
        d.start_workers(1)
        replay_and_settle(d, seed_articles, want, events)
        table = expected_reports(seed_articles)
        wait_for(lambda: changelog_state(d) == table, 60, f"the {len(table)} reports in the table's changelog")
        stop_worker(d, d.metrics_urls[0], signal.SIGKILL)
        d.start_workers(1)  # its counters start at zero: the replay's events are all new to it
        replay_and_settle(d, seed_articles, want, events)
        assert d.metric("diplostream_happening_updates_total") == 0  # the recovered lanes hold every report


def expected_reports(articles) -> dict[str, object]:
    """The table's records after the articles, as the core reports its changes."""
    fuser = Fuser()
    table: dict[str, object] = {}
    for a in articles:
        fuser.add(extract(a), {a.article_id: a.outlet})
    for lane, event_id, report in fuser.take_changes():
        key = f"{lane}|{event_id}"
        if report is None:
            table.pop(key, None)
        else:
            table[key] = json.loads(json.dumps(report.to_json()))
    return table


def changelog_state(d: Deployment) -> dict[str, object]:
    """The latest record per key of the happenings table's changelog (Faust writes keys and values as JSON)."""
    table = HAPPENING_TABLES[0]
    latest: dict[str, object] = {}
    for r in sorted(d.read(f"{d.app_id}-{table}-changelog", 1, timeout=10), key=lambda r: (r.partition, r.offset)):
        if r.value is None:
            latest.pop(json.loads(r.key), None)
        else:
            latest[json.loads(r.key)] = json.loads(r.value)
    return latest
