"""Happenings on a real broker: the stream's compacted topic equals `diplostream happenings` for the same articles.

The batch command and the happenings agent run the same core; the stream sees the
events one at a time, in whatever order the extraction agents of six partitions
interleave them, so equality here is the core's order-independence at work.
"""

from __future__ import annotations

import json
import signal

import pytest

from schemas import Happening
from streams.core.extract import extract
from streams.core.happenings import Fuser, fuse_articles
from streams.kafka.apache import ApacheKafka
from streams.kafka.producer import load_articles, replay
from streams.kafka.topics import HAPPENING_TABLES, SCHEMA_VERSION_HEADER
from tests.conftest import SEEDS
from tests.integration.conftest import Deployment, wait_for

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def seed_articles():
    articles, errors = load_articles([SEEDS], 2 * 1024 * 1024)
    assert not errors
    return articles


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
    (table,) = HAPPENING_TABLES
    latest: dict[str, object] = {}
    for r in sorted(d.read(f"{d.app_id}-{table}-changelog", 1, timeout=10), key=lambda r: (r.partition, r.offset)):
        if r.value is None:
            latest.pop(json.loads(r.key), None)
        else:
            latest[json.loads(r.key)] = json.loads(r.value)
    return latest
