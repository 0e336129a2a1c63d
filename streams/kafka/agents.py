"""articles → events (+ DLQ): the extraction agent.

Each record is decoded and validated by the pure core; what cannot be read goes
to the dead-letter topic with the original bytes (a bounded prefix when it is
over ``max_article_bytes``: ``streams/core/deadletter.py``) and a reason header,
and the agent carries on. Events are keyed by pair, so every count for a pair is
kept by one partition, and carry the schema version as a header.

Every input record ends in exactly one of three counters, each incremented only
after the broker acknowledged what it stands for: ``articles_with_events`` (all
its events acknowledged), ``articles_without_events`` or ``dlq_records``. So
``articles_consumed`` = their sum once the worker has caught up, and
``dlq_records`` equals what the DLQ topic holds. A send that fails is retried; one
that keeps failing holds back every offset commit, and the agent stops once
``MAX_ARTICLES_IN_FLIGHT`` articles wait behind it (a Faust agent that raises is
"Crashed" and stops consuming altogether, and skipping the record would commit its
offset and lose it): the partition is reported blocked
(``diplostream_partition_blocked``, ``/healthz`` fails) and the send is retried
every 30 s at most until the broker takes it.

The agent does not wait for an article's acks before it takes the next one: waiting
left the worker idle a fifth of the time at full load (one broker round trip per
article). Each article's acks are awaited by a task of their own, at most
``MAX_ARTICLES_IN_FLIGHT`` at a time, and every offset commit waits for all of them
first (``App.before_commit``), so no article's offset is committed before its events
are on the topic.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Any

import faust

from schemas import SCHEMA_VERSION
from streams.core.deadletter import dead_letter, record_budget
from streams.core.extract import extract
from streams.core.records import BadRecord, decode_article
from streams.kafka.topics import OUTLET_HEADER, SCHEMA_VERSION_HEADER, Topics
from streams.metrics import (
    ARTICLES_CONSUMED,
    ARTICLES_WITH_EVENTS,
    ARTICLES_WITHOUT_EVENTS,
    DLQ_RECORDS,
    EVENTS_EXTRACTED,
    EXTRACTION_LATENCY,
    SEND_RETRIES,
    block,
    unblock,
)
from streams.settings import Settings

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 30.0
MAX_ARTICLES_IN_FLIGHT = 64
"""Articles whose events are handed to the producer and not acknowledged yet, at most; the agent waits for
the oldest beyond this."""


class Sender:
    """Sends that return only once the broker acknowledged the record, retrying until it does."""

    def __init__(self, settings: Settings) -> None:
        self.retries = settings.send_retries
        self.backoff = settings.send_retry_backoff_seconds
        self.max_value_bytes = settings.max_article_bytes

    async def start(
        self,
        topic: faust.TopicT,
        *,
        key: bytes | None,
        value: bytes,
        headers: list[tuple[str, bytes]],
        timestamp: float | None = None,
    ) -> Awaitable[Any]:
        """Hand one record to the producer; the result resolves on the broker's ack (or fails)."""
        # force=True: sent now, not attached to the source offset's commit, so that awaiting the ack
        # inside the agent cannot wait on itself
        return await topic.send(key=key, value=value, headers=headers, timestamp=timestamp, force=True)

    async def acked(
        self,
        topic: faust.TopicT,
        message: Any,
        pending: Awaitable[Any] | BaseException,
        *,
        key: bytes | None,
        value: bytes,
        headers: list[tuple[str, bytes]],
        timestamp: float | None = None,
    ) -> None:
        """Wait for the ack of ``pending``; on failure send again, with backoff, until one is acknowledged.

        Never raises but for cancellation (the worker stopping): the record stays unacknowledged
        in the source partition, so a restarted worker reads it again.
        """
        attempt = 0
        while True:
            try:
                if isinstance(pending, BaseException):
                    raise pending
                await pending
                if attempt > self.retries:  # only a record past its retries blocks its partition
                    log.warning("%s[%s]@%s: unblocked", message.topic, message.partition, message.offset)
                    unblock(str(message.topic), int(message.partition))
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                attempt += 1
                SEND_RETRIES.labels(topic=str(topic.get_topic_name())).inc()
                if attempt > self.retries:
                    why = f"{topic.get_topic_name()} refused a record {attempt} times: {exc!r}"[:500]
                    block(str(message.topic), int(message.partition), why)
                    log.error(
                        "not moving past %s[%s]@%s: %s; retrying",
                        message.topic,
                        message.partition,
                        message.offset,
                        why,
                    )
                await asyncio.sleep(min(self.backoff * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS))
            pending = await self.begin(topic, key=key, value=value, headers=headers, timestamp=timestamp)

    async def send(
        self,
        topic: faust.TopicT,
        message: Any,
        *,
        key: bytes | None,
        value: bytes,
        headers: list[tuple[str, bytes]],
        timestamp: float | None = None,
    ) -> None:
        """Send one record and return once it is acknowledged."""
        args: dict[str, Any] = {"key": key, "value": value, "headers": headers, "timestamp": timestamp}
        await self.acked(topic, message, await self.begin(topic, **args), **args)

    async def send_all(self, topic: faust.TopicT, sends: list[tuple[Any, dict[str, Any]]]) -> None:
        """Send many records (each with the message it stands for) and return once all are acknowledged.

        Begun together: each send suspends once, and one after another they would wait a loop turn each.
        """
        begun = await asyncio.gather(*(self.begin(topic, **args) for _, args in sends))
        for (message, args), started in zip(sends, begun, strict=True):
            await self.acked(topic, message, started, **args)

    async def begin(self, topic: faust.TopicT, **args: Any) -> Awaitable[Any] | BaseException:
        """Hand one record to the producer; a refusal before it left (too large, producer not ready)
        is returned rather than raised, so that :meth:`acked` retries it like a failed send."""
        try:
            return await self.start(topic, **args)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            return exc

    async def dead_letter(
        self, dlq: faust.TopicT, key: bytes | None, value: bytes | None, bad: BadRecord, message: Any
    ) -> None:
        """The DLQ copy of one record, counted once the broker has it."""
        record = dead_letter(
            key,
            value,
            reason=bad.reason,
            detail=bad.detail,
            source_topic=str(message.topic),
            source_partition=int(message.partition),
            source_offset=int(message.offset),
            max_value_bytes=self.max_value_bytes,
        )
        log.warning("dead-lettering %s[%s]@%s: %s", message.topic, message.partition, message.offset, bad)
        await self.send(dlq, message, key=record.key, value=record.value, headers=record.headers)
        DLQ_RECORDS.labels(reason=bad.reason).inc()


def wire_extraction(app: Any, settings: Settings, topics: Topics) -> None:
    """The extraction agent on ``articles`` (``app``: a transport.App, whose commits wait for its acks)."""
    articles = app.topic(topics.articles, partitions=settings.partitions)
    events = app.topic(topics.events, partitions=settings.partitions)
    dlq = app.topic(topics.articles_dlq, partitions=settings.partitions)
    sender = Sender(settings)
    event_budget = record_budget(settings.max_article_bytes)
    in_flight: deque[asyncio.Task[None]] = deque()

    def drop_done() -> None:
        """Forget the oldest articles whose acks are all in (they finish in order, mostly)."""
        while in_flight and in_flight[0].done():
            in_flight.popleft()

    async def acks_before_commit() -> None:
        """Every article's events acknowledged (bounded: a broker that is away must not hold up a rebalance)."""
        drop_done()
        if in_flight:
            await asyncio.wait_for(asyncio.wait(list(in_flight)), settings.session_timeout_ms / 2000)

    app.before_commit.append(acks_before_commit)

    async def process(key: bytes | None, value: bytes | None, message: Any) -> None:
        started = time.perf_counter()
        try:
            article = decode_article(value, settings.max_article_bytes, now=datetime.now(UTC))
            found = extract(article)
            payloads = [e.model_dump_json().encode() for e in found]
            largest = max(map(len, payloads), default=0)
            if largest > event_budget:  # a one-sentence article near the limit, its evidence JSON-escaped
                raise BadRecord("too_large", f"an event of it is {largest:,} bytes as JSON, limit {event_budget:,}")
        except BadRecord as bad:
            EXTRACTION_LATENCY.observe(time.perf_counter() - started)
            await sender.dead_letter(dlq, key, value, bad, message)
            return
        except Exception as exc:  # a bug in the extractor must not stop the stream
            EXTRACTION_LATENCY.observe(time.perf_counter() - started)
            log.exception("extraction failed for %s[%s]@%s", message.topic, message.partition, message.offset)
            await sender.dead_letter(dlq, key, value, BadRecord("extraction_error", repr(exc)), message)
            return
        EXTRACTION_LATENCY.observe(time.perf_counter() - started)
        published = article.published_at.timestamp()
        headers = [(SCHEMA_VERSION_HEADER, str(SCHEMA_VERSION).encode())]
        if article.outlet:  # the happenings agent counts distinct outlets
            headers.append((OUTLET_HEADER, article.outlet.encode()))
        sends = []
        for e, payload in zip(found, payloads, strict=True):  # all handed to the producer, then all awaited
            args: dict[str, Any] = {
                "key": e.pair.encode(),
                "value": payload,
                "headers": headers,
                "timestamp": published,
            }
            sends.append((e, await sender.begin(events, **args), args))
        drop_done()
        if len(in_flight) >= MAX_ARTICLES_IN_FLIGHT:
            await asyncio.wait([in_flight.popleft()])
        in_flight.append(asyncio.ensure_future(acknowledged(message, sends, bool(found))))

    async def acknowledged(
        message: Any, sends: list[tuple[Any, Awaitable[Any] | BaseException, Any]], any_: bool
    ) -> None:
        for e, pending, args in sends:
            await sender.acked(events, message, pending, **args)
            EVENTS_EXTRACTED.labels(type=e.type.value, pair=e.pair).inc()
        (ARTICLES_WITH_EVENTS if any_ else ARTICLES_WITHOUT_EVENTS).inc()

    @app.agent(articles, name="extract")
    async def extract_events(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            message = event.message
            ARTICLES_CONSUMED.inc()
            try:
                await process(event.key, event.value, message)
            except asyncio.CancelledError:
                raise
            except Exception:  # nothing above should raise; if it does, the stream must go on regardless
                log.exception("unexpected error on %s[%s]@%s", message.topic, message.partition, message.offset)
                await sender.dead_letter(
                    dlq, event.key, event.value, BadRecord("extraction_error", "unexpected error"), message
                )
