"""events → happenings: the agent that fuses reports of one happening across articles.

Events are keyed by pair, so every report of a lane (type, source, target) comes
through one partition, and the lane's reports live in one record of the
changelog-backed ``happening-lanes`` table, written from the same partition. The
pure core (:mod:`streams.core.happenings`) decides; this agent loads a lane's state
from the table when it has not got it (first use, after a rebalance or a restart),
sends every new or changed happening to the compacted ``happenings`` topic keyed by
its id, and only then writes the lane back. A crash between the two re-sends the
same records on redelivery (ids are a function of the reports, so never different
ones); a redelivered event whose report the table holds changes nothing and sends
nothing.

The event's outlet comes from the ``outlet`` header the extraction agent sets;
events without it count their article as an outlet of its own. An event that fails
validation is skipped here: the aggregator, on the same topic, dead-letters it.
"""

from __future__ import annotations

import logging
from typing import Any, cast

import faust

from schemas.happening import HAPPENING_SCHEMA_VERSION
from streams.core.fusion import Report
from streams.core.happenings import Fuser, Rules
from streams.core.records import BadRecord, decode_event
from streams.kafka.agents import Sender
from streams.kafka.topics import HAPPENING_TABLES, OUTLET_HEADER, SCHEMA_VERSION_HEADER, Topics
from streams.metrics import EVENTS_FUSED, HAPPENING_UPDATES
from streams.settings import Settings

log = logging.getLogger(__name__)


def outlet_of(headers: Any) -> str | None:
    """The ``outlet`` header's value, if the record has one that decodes."""
    for k, v in headers.items() if isinstance(headers, dict) else headers or ():
        name = k.decode("utf-8", "replace") if isinstance(k, bytes) else str(k)
        if name == OUTLET_HEADER and v:
            return bytes(v).decode("utf-8", "replace") if isinstance(v, bytes | bytearray) else str(v)
    return None


def wire_happenings(app: faust.App, settings: Settings, topics: Topics) -> None:
    events = app.topic(topics.events, partitions=settings.partitions)
    out = app.topic(topics.happenings, partitions=settings.partitions)
    (lanes_name,) = HAPPENING_TABLES
    lanes = app.Table(lanes_name, partitions=settings.partitions, key_type=str)
    fuser = Fuser(Rules.of(settings))
    loaded: dict[str, object] = {}
    """Per lane, the table value the fuser's state of it came from or was written as."""
    sender = Sender(settings)
    headers = [(SCHEMA_VERSION_HEADER, str(HAPPENING_SCHEMA_VERSION).encode())]

    @app.on_partitions_assigned.connect
    def on_assigned(_app: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        loaded.clear()  # a lane may have moved away and back: its table record is the truth

    @app.agent(events, name="happenings")
    async def fuse(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            EVENTS_FUSED.inc()
            try:
                diplomatic = decode_event(event.value)
            except BadRecord:
                continue
            outlet = outlet_of(event.message.headers)
            lane = Report.of(diplomatic, outlet).lane
            stored = lanes.get(lane)
            if lane not in fuser.lanes or loaded.get(lane) is not stored:
                fuser.load_lane(lane, cast(dict[str, object] | None, stored))
                loaded[lane] = stored
            updates = fuser.add([diplomatic], {diplomatic.article_id: outlet})
            if not updates:
                continue
            for update in updates:
                record = update.happening
                value = record.model_dump_json().encode() if record else None
                when = (record.last_reported_at if record else diplomatic.published_at).timestamp()
                await sender.send(
                    out,
                    event.message,
                    key=update.happening_id.encode(),
                    value=cast(bytes, value),  # None is the tombstone of a dissolved happening
                    headers=headers,
                    timestamp=when,
                )
                HAPPENING_UPDATES.labels(kind="changed" if record else "removed").inc()
            state = fuser.dump_lane(lane)
            lanes[lane] = state
            loaded[lane] = state
