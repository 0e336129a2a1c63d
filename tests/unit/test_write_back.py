"""Tables written back: each changed key's newest value (or its tombstone) once per flush, on its partition.

The tables are real Faust tables of an app that is never started: a changelog record
goes into Faust's own producer buffer, which is what these read.
"""

from __future__ import annotations

import json
from typing import Any

import faust
import pytest

from streams.kafka.changelog import WriteBack


def table() -> tuple[WriteBack, Any]:
    app = faust.App("write-back-test", broker="kafka://127.0.0.1:1", store="memory://")
    return WriteBack(app.Table("buckets", partitions=6, key_type=str)), app.producer.buffer.pending


def sent(pending: Any) -> list[tuple[int, str, Any]]:
    out = []
    while not pending.empty():
        message = pending.get_nowait().message
        key = json.loads(message.key) if isinstance(message.key, bytes) else message.key
        value = json.loads(message.value) if isinstance(message.value, bytes) else message.value
        out.append((message.partition, key, value))
    return out


def test_a_key_changed_many_times_is_written_once_with_its_newest_value_on_its_partition():
    held, pending = table()
    for n in range(1, 50):
        held.put(4, "PRK-RUS|visit|19700", list(range(n)))
    held.put(1, "CHN-USA|summit|19700", ["a"])
    assert held["PRK-RUS|visit|19700"] == list(range(49))  # read back before any record is out
    assert sent(pending) == [] and held.held == 2
    assert held.flush() == 2
    assert sent(pending) == [(4, "PRK-RUS|visit|19700", list(range(49))), (1, "CHN-USA|summit|19700", ["a"])]
    assert held.flush() == 0 and sent(pending) == []


def test_a_key_deleted_after_a_change_leaves_a_tombstone_and_nothing_else():
    held, pending = table()
    held.put(2, "old", [1])
    held.flush()
    sent(pending)
    held.put(2, "old", [1, 2])
    held.delete(2, "old")
    held.delete(2, "never-there")  # nothing to delete: nothing written
    assert "old" not in held
    held.flush()
    assert sent(pending) == [(2, "old", None)]


def test_a_change_outside_the_stream_iteration_must_name_its_partition():
    held, _ = table()
    with pytest.raises(TypeError, match="needs its partition"):
        held["k"] = [1]
