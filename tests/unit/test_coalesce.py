"""Coalesced window updates: the newest count per window once per flush, and kept when a flush is cut short.

The topic is a stand-in that records what it is given and resolves each send when the
test says the broker acknowledged it; the Sender and the Coalescer are the real ones.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from schemas import WindowKind
from schemas.counts import Series
from streams.core.windows import WindowKey
from streams.kafka.agents import Sender
from streams.kafka.aggregate import window_record
from streams.kafka.coalesce import Coalescer
from streams.kafka.topics import count_key
from streams.settings import Settings

DAY = 86_400.0


class Topic:
    """Records each send; its ack is a future the test resolves (the broker's answer)."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.acks: list[asyncio.Future[None]] = []

    async def send(self, **record: Any) -> asyncio.Future[None]:
        self.sent.append(record)
        ack: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.acks.append(ack)
        return ack

    def get_topic_name(self) -> str:
        return "event-counts"

    def ack_all(self) -> None:
        for ack in self.acks:
            if not ack.done():
                ack.set_result(None)


def window(start_day: int, pair: str = "PRK-RUS") -> WindowKey:
    return WindowKey(WindowKind.TUMBLING, start_day * DAY, (start_day + 1) * DAY, pair, "visit")


def put(coalescer: Coalescer, key: WindowKey, count: int, ts: float) -> None:
    coalescer.put(count_key(Series.REPORTS, key).encode(), lambda: window_record(Series.REPORTS, key, count), ts, None)


def counts(topic: Topic) -> dict[str, int]:
    return {r["key"].decode(): json.loads(r["value"])["count"] for r in topic.sent}


def test_a_window_changed_many_times_is_sent_once_with_its_newest_count():
    async def run() -> None:
        topic = Topic()
        coalescer = Coalescer(Sender(Settings()), topic)  # type: ignore[arg-type]
        for n in (1, 2, 3):
            put(coalescer, window(19_000), n, 19_000 * DAY)
        put(coalescer, window(19_001, "CHN-USA"), 1, 19_001 * DAY)
        flushing = asyncio.ensure_future(coalescer.flush())
        await asyncio.sleep(0.01)
        assert counts(topic) == {window(19_000).encode(): 3, window(19_001, "CHN-USA").encode(): 1}
        put(coalescer, window(19_000), 4, 19_000 * DAY)  # while the flush waits for its acks
        topic.ack_all()
        assert await flushing == 2
        assert coalescer.pending == 1
        topic.sent.clear()
        flushing = asyncio.ensure_future(coalescer.flush())
        await asyncio.sleep(0.01)
        topic.ack_all()
        assert await flushing == 1
        assert counts(topic) == {window(19_000).encode(): 4}

    asyncio.run(run())


def test_a_flush_cut_short_keeps_its_counts_for_the_next_one():
    async def run() -> None:
        topic = Topic()
        coalescer = Coalescer(Sender(Settings()), topic)  # type: ignore[arg-type]
        put(coalescer, window(19_000), 1, 19_000 * DAY)
        put(coalescer, window(19_001), 1, 19_001 * DAY)
        flushing = asyncio.ensure_future(coalescer.flush())
        await asyncio.sleep(0.01)  # sent, never acknowledged: the broker went away
        put(coalescer, window(19_000), 2, 19_000 * DAY)  # newer than the count in flight
        flushing.cancel()
        await asyncio.gather(flushing, return_exceptions=True)
        assert coalescer.pending == 2
        topic.sent.clear()
        flushing = asyncio.ensure_future(coalescer.flush())
        await asyncio.sleep(0.01)
        topic.ack_all()
        await flushing
        assert counts(topic) == {window(19_000).encode(): 2, window(19_001).encode(): 1}

    asyncio.run(run())
