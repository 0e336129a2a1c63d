"""The Faust app: its settings, and the wiring of agents and tables.

Settings that decide rebalance time (session, heartbeat, rebalance, request
timeouts) come from :class:`~streams.settings.Settings`, short by default for
the embedded broker. Nothing enables idempotence or transactions: the
processing guarantee is at-least-once, made effectively-once for counts by
de-duplicating on ``event_id`` (see docs/topic-contract.md).

One agent reads ``events`` and hands each event to the aggregator, then to the
happenings, never two agents on one topic: Faust delivers a message to every agent
of its topic with a reference count, and a rebalance that clears one agent's queue
(or skips the message there, which its compiled stream iterator does without acking)
while the other agent still holds the same message as its last event leaves the
message unacknowledged for ever. The revoke then waits on it (``wait_empty``), the
member never rejoins, and the group stays stuck until the rebalance timeout: this hung
the Apache Kafka rebalance test once in two runs. With one agent, a message is tracked
only by the stream that takes it, and acked by it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import faust

from schemas import DiplomaticEvent
from streams.core.records import BadRecord, decode_event
from streams.kafka.agents import Sender, wire_extraction
from streams.kafka.aggregate import EventHandler, wire_aggregation
from streams.kafka.coalesce import Coalescer, wire_flushing
from streams.kafka.happen import wire_happenings
from streams.kafka.security import Security, broker_credentials, client_security
from streams.kafka.topics import Topics
from streams.kafka.transport import App
from streams.settings import Settings

log = logging.getLogger(__name__)


def broker_url(bootstrap: str) -> str:
    return ";".join(f"kafka://{server.strip()}" for server in bootstrap.split(",") if server.strip())


def create_app(settings: Settings, security: Security | None = None) -> faust.App:
    """A Faust app with every agent, table and timer wired; call ``faust.Worker(app).execute_...`` to run it.

    Its consumer, producer and topic creation (aiokafka) connect with the same security as
    the kafka-python clients: ``security`` None means the one ``settings`` configure.
    """
    if not settings.bootstrap_servers:
        raise ValueError("the worker needs --bootstrap or KAFKA_BOOTSTRAP_SERVERS")
    security = client_security(settings) if security is None else security
    app = App(
        settings.app_id,
        broker=broker_url(settings.bootstrap_servers),
        broker_credentials=broker_credentials(security),
        store="memory://",
        datadir=settings.data_dir,
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        key_serializer="raw",
        value_serializer="raw",
        web_enabled=False,  # /metrics is served by prometheus-client; Faust's web server stays off
        web_bind="127.0.0.1",  # and would bind 0.0.0.0 with web_host alone (FIELD-NOTES)
        broker_session_timeout=settings.session_timeout_ms / 1000,
        broker_heartbeat_interval=settings.heartbeat_interval_ms / 1000,
        broker_rebalance_timeout=settings.rebalance_timeout_ms / 1000,
        broker_request_timeout=settings.request_timeout_ms / 1000,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        producer_max_request_size=settings.producer_max_request_bytes,  # checked against the topics at start-up
        stream_recovery_delay=0.5,
        table_cleanup_interval=3600.0,  # Faust's wall-clock expiry is unused: see streams/core/windows.py
        processing_guarantee="at_least_once",
        fetch_max_wait_ms=settings.fetch_max_wait_ms,
    )
    topics = Topics(settings.topic_prefix)
    wire_extraction(app, settings, topics)
    coalescer = Coalescer(Sender(settings), app.topic(topics.event_counts, partitions=settings.partitions))
    fuse, settle = wire_happenings(app, settings, topics, coalescer)
    wire_events(app, settings, topics, [wire_aggregation(app, settings, topics, coalescer), fuse])
    wire_flushing(app, settings, coalescer, settle)  # the happenings settled first: they change window counts
    return app


def wire_events(app: faust.App, settings: Settings, topics: Topics, handlers: list[EventHandler]) -> None:
    """The one agent on ``events``: each event goes to every handler in turn, in its stream iteration."""
    events = app.topic(topics.events, partitions=settings.partitions)

    @app.agent(events, name="events")
    async def on_events(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            try:
                decoded: DiplomaticEvent | BadRecord = decode_event(event.value)
            except BadRecord as bad:
                decoded = bad
            for handle in handlers:
                try:
                    await handle(event, decoded)
                except asyncio.CancelledError:
                    raise
                except Exception:  # each handler guards its own work; this keeps the stream alive regardless
                    message: Any = event.message
                    log.exception(
                        "%s failed on %s[%s]@%s", handle.__name__, message.topic, message.partition, message.offset
                    )
