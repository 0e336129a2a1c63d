"""The worker's consumer never commits past a message it has not processed.

Faust's own ``_new_offset`` lets a run of acked offsets start one past the committed
offset (the next to read), and takes an offset jump for a hole in the log, so a
message dropped during a rebalance was committed past and lost (the Apache Kafka
rebalance test lost an article that way). These run the worker's real consumer
object (``streams/kafka/offsets.py``), not a copy of its arithmetic; the re-read
itself is proven by that rebalance test on a real broker.
"""

from __future__ import annotations

import time

import pytest
from faust.transport.drivers.aiokafka import Consumer as FaustConsumer
from faust.types import TP
from intervaltree import IntervalTree

from streams.kafka.offsets import REREAD_PATIENCE_SECONDS
from streams.kafka.transport import App, Consumer

TP3 = TP("articles", 3)


@pytest.fixture
def consumer() -> Consumer:
    app = App("commit-offsets-test", broker="kafka://127.0.0.1:1")  # never connects: nothing is started
    made = app.consumer
    assert isinstance(made, Consumer)
    return made


def acked(
    consumer: Consumer, committed: int | None, offsets: list[int], gaps: tuple[tuple[int, int], ...] = ()
) -> None:
    consumer._committed_offset[TP3] = committed
    consumer._acked[TP3] = list(offsets)
    consumer._acked_index[TP3] = set(offsets)
    consumer._gap[TP3] = IntervalTree.from_tuples(gaps)


def test_faust_alone_commits_past_one_unprocessed_message(consumer: Consumer) -> None:
    """The defect this guards against, shown on Faust's method: offset 10 was never acked."""
    acked(consumer, 10, [11, 12, 13])
    assert FaustConsumer._new_offset(consumer, TP3) == 14


def test_a_missing_head_message_holds_the_commit_back(consumer: Consumer) -> None:
    acked(consumer, 10, [11, 12, 13])
    assert consumer._new_offset(TP3) is None
    consumer._acked[TP3].append(10)  # the message is read again after the rebalance and processed
    consumer._acked_index[TP3].add(10)
    assert consumer._new_offset(TP3) == 14


def test_a_missing_first_message_of_a_partition_holds_the_commit_back(consumer: Consumer) -> None:
    acked(consumer, 0, [1, 2])  # Faust tests ``if committed_offset:``, false for offset 0
    assert consumer._new_offset(TP3) is None


def test_consecutive_acks_commit_up_to_the_first_gap(consumer: Consumer) -> None:
    acked(consumer, 10, [10, 11, 12, 15])
    assert consumer._new_offset(TP3) == 13


def test_the_dropped_message_is_marked_for_a_re_read(consumer: Consumer) -> None:
    acked(consumer, 10, [11, 12, 13])
    consumer._new_offset(TP3)
    assert consumer._dropped == {TP3: 10}


def test_an_offset_still_missing_long_after_its_re_read_is_a_hole_in_the_log(consumer: Consumer) -> None:
    """Compaction or a transaction marker: the re-read brings nothing there, and Faust's reckoning goes on."""
    acked(consumer, 10, [11, 12, 13])
    consumer._reread_at[(TP3, 10)] = time.monotonic()
    assert consumer._new_offset(TP3) is None  # just re-read: the message may still be on its way
    consumer._reread_at[(TP3, 10)] = time.monotonic() - REREAD_PATIENCE_SECONDS - 1
    consumer._gap[TP3] = IntervalTree.from_tuples([(10, 11)])
    assert consumer._new_offset(TP3) == 14


def test_faust_takes_an_offset_jump_for_a_hole_where_a_fetch_was_cut_short(consumer: Consumer) -> None:
    """A jump Faust records as a hole (here 10-12) may be messages it dropped: the commit waits for them."""
    acked(consumer, 10, [13, 14], gaps=((10, 13),))
    assert FaustConsumer._new_offset(consumer, TP3) == 15
    acked(consumer, 10, [13, 14], gaps=((10, 13),))
    assert consumer._new_offset(TP3) is None
