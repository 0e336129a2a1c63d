"""Tables written back: each changed key's newest value (or its tombstone) once per flush, on its partition,
acknowledged by the broker when the flush returns.

A real Faust app's producer and table on the broker under test; the changelog is read back with kafka-python.
"""

from __future__ import annotations

import asyncio
import json

import faust
import pytest
from kafka.admin import KafkaAdminClient, NewTopic

from streams.kafka.app import broker_url
from streams.kafka.changelog import WriteBack
from tests.integration.conftest import Deployment

pytestmark = pytest.mark.integration


def written(d: Deployment, topic: str, n: int) -> list[tuple[int, str, object]]:
    records = sorted(d.read(topic, n, timeout=20), key=lambda r: (r.offset, r.partition))
    return [(r.partition, json.loads(r.key), None if r.value is None else json.loads(r.value)) for r in records]


def test_each_changed_key_is_written_once_with_its_newest_value_and_a_deleted_one_as_a_tombstone(deployment):
    d = deployment
    app = faust.App(f"write-back-{d.run_id}", broker=broker_url(d.bootstrap), store="memory://")
    table = app.Table("buckets", partitions=6, key_type=str)
    changelog = table.changelog_topic.get_topic_name()
    admin = KafkaAdminClient(bootstrap_servers=d.bootstrap)
    admin.create_topics([NewTopic(changelog, 6, 1)])
    admin.close()
    held = WriteBack(table)

    async def run() -> tuple[int, int, int]:
        await app.producer.start()
        try:
            for n in range(1, 50):
                held.put(4, "PRK-RUS|visit|19700", list(range(n)))
            held.put(1, "CHN-USA|summit|19700", ["a"])
            assert held["PRK-RUS|visit|19700"] == list(range(49))  # read back before any record is out
            first = await held.flush()
            held.put(2, "old", [1])
            held.delete(2, "old")
            held.delete(2, "never-there")  # nothing to delete: nothing written
            second = await held.flush()
            return first, second, await held.flush()
        finally:
            await app.producer.stop()

    assert asyncio.run(run()) == (2, 1, 0)
    assert sorted(written(d, changelog, 3), key=repr) == sorted(
        [(4, "PRK-RUS|visit|19700", list(range(49))), (1, "CHN-USA|summit|19700", ["a"]), (2, "old", None)], key=repr
    )


def test_a_change_outside_the_stream_iteration_must_name_its_partition():
    app = faust.App("write-back-unstarted", broker="kafka://127.0.0.1:1", store="memory://")
    held = WriteBack(app.Table("t", partitions=6, key_type=str))
    with pytest.raises(TypeError, match="needs its partition"):
        held["k"] = [1]
