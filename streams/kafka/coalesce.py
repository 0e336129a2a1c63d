"""Window updates coalesced: the newest count per window key, sent at most once per flush interval.

An event changes about eight windows (one tumbling day, seven hopping weeks) of the
reports series, a new happening as many of its own, and a busy pair changes the same
windows many times a second; one record per change made ``event-counts`` two thirds
of everything the worker wrote. Here the agents only record which windows they changed
(the count is read when the flush builds the record, once per window), and a flush,
every ``window_flush_seconds`` and before every offset commit, on revoke and on
shutdown, builds their records, hands them to the producer at once and awaits their
acks together. The happenings are settled just before each flush
(``streams/kafka/happen.py``), so their window counts go out in it.

What keeps crash recovery exact: the worker's consumer flushes the coalescer before
every offset commit and commits only once the flush is acknowledged
(``App.before_commit``, ``streams/kafka/transport.py``); Faust then flushes its producer
(the tables' changelog records) and commits. A committed event therefore always has
its state on the changelog and its counts on ``event-counts``. An event whose counts
were still pending when the worker died is read again: the aggregator finds it in its
bucket (a duplicate) and publishes its windows' counts again, and the happenings agent
publishes again the counts of every happening of a lane at the lane's first event after
a recovery. A flush only sends: the tables are changed in the agents alone
(FIELD-NOTES: a table changed from a timer crashes the worker).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import faust

from streams.kafka.agents import Sender
from streams.metrics import WINDOW_UPDATES_PENDING, WINDOW_UPDATES_SENT

Build = Callable[[], dict[str, Any] | None]
"""The record of one window's count as it stands when the flush sends it (key, value and headers:
``aggregate.window_record``), or None when the window has closed since."""


@dataclass(slots=True)
class Pending:
    """How to build the newest count of one window, and the message of the event that last changed it."""

    build: Build
    timestamp: float
    message: Any  # for the blocked-partition report if its send keeps failing


class Coalescer:
    """Pending window counts of one worker, between two flushes."""

    def __init__(self, sender: Sender, topic: faust.TopicT) -> None:
        self.sender = sender
        self.topic = topic
        self._updates: dict[bytes, Pending] = {}
        self._lock = asyncio.Lock()  # one flush at a time: an older count never lands after a newer one
        self._in_flight = 0

    def put(self, key: bytes, build: Build, timestamp: float, message: Any) -> None:
        """A window changed (``key``: its key on ``event-counts``); its count is built when the flush sends it,
        once however many events changed it since the last flush."""
        self._updates[key] = Pending(build, timestamp, message)
        WINDOW_UPDATES_PENDING.set(len(self._updates) + self._in_flight)

    @property
    def pending(self) -> int:
        """Counts not yet acknowledged: put since the last flush, or in one now."""
        return len(self._updates) + self._in_flight

    async def flush(self) -> int:
        """Send every pending count and await the acks; returns the records sent.

        Never raises but for cancellation: a send that fails is retried by the
        :class:`Sender` (reporting the partition blocked past its retries), and the commit
        waiting on it waits too. A flush that is cancelled (bounded, on revoke and stop)
        keeps its counts for the next one.
        """
        async with self._lock:
            updates, self._updates = self._updates, {}
            self._in_flight = len(updates)
            try:
                sent = await self._send(updates)
            except BaseException:
                for key, pending in updates.items():
                    self._updates.setdefault(key, pending)  # a count put meanwhile is newer
                raise
            finally:
                self._in_flight = 0
                WINDOW_UPDATES_PENDING.set(len(self._updates))
            WINDOW_UPDATES_SENT.inc(sent)
            return sent

    async def _send(self, updates: dict[bytes, Pending]) -> int:
        arguments = [
            (pending, {**record, "timestamp": pending.timestamp})
            for pending in updates.values()
            if (record := pending.build()) is not None
        ]
        await self.sender.send_all(self.topic, [(pending.message, args) for pending, args in arguments])
        return len(arguments)


def wire_flushing(app: Any, settings: Any, coalescer: Coalescer, settle: Callable[[], Awaitable[None]]) -> None:
    """Flush on a timer, before every offset commit, on revoke and on shutdown (``app``: a transport.App),
    each time after ``settle`` (the happenings', which hands the coalescer their window counts).

    Each flush before a commit, a revoke or a stop is bounded: a broker that is away must not hold
    up a rebalance or a stop. What is not out stays pending and the commit is skipped, so the
    events are read again by whoever owns them next.
    """
    last_flush_seconds = settings.session_timeout_ms / 2000

    async def settle_and_flush() -> None:
        await settle()
        for table in app.write_backs:  # acknowledged before any offset is committed
            await table.flush()
        await coalescer.flush()

    @app.timer(interval=settings.window_flush_seconds)
    async def flush_window_updates() -> None:
        """The newest count of each window changed since the last flush (sends and acks only)."""
        await coalescer.flush()

    async def flush_before_commit() -> None:
        await asyncio.wait_for(settle_and_flush(), last_flush_seconds)

    app.before_commit.append(flush_before_commit)  # no offset is committed before its events' counts are out

    @app.on_partitions_revoked.connect
    async def on_revoked(_app: Any, /, *args: Any, **kwargs: Any) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(settle_and_flush(), last_flush_seconds)  # the last counts before they go

    @app.on_before_shutdown.connect
    async def on_shutdown(_app: Any, /, *args: Any, **kwargs: Any) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(settle_and_flush(), last_flush_seconds)  # the consumer has stopped
