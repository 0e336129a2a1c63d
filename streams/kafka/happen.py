"""events → happenings: fusing reports of one happening across articles, a flush interval at a time.

Events are keyed by pair, so every report of a lane (type, source, target) comes
through one partition, and each report is one record of the changelog-backed
``happening-reports`` table (key ``lane|event_id``), written to that partition. The
pure core (:mod:`streams.core.happenings`) decides, from the reports alone; this
handler rebuilds it from the table at the first event after an assignment (start,
rebalance, restart).

Each event's report is only *staged*; the happenings are *settled* once per
``window_flush_seconds`` (at an event, on a timer when events stop, and before every
offset commit, on revoke and on shutdown, ahead of the window counts' flush), because
an article that arrives out of publication order re-matches every later article of
its lane: once per settle instead of once per event (a backfill made fusion most of
the worker's time), and a happening changed by many events is sent once. A settle
sends every new or changed happening to the compacted ``happenings`` topic keyed by
its id, awaits the acks together, and only then places the happenings' counts and
writes the new reports (and deletes the forgotten ones), to the partition of the
lane's events (``streams/kafka/changelog.py``). What a settle could not send (a
flush cut short, the worker stopping) stays in its outbox for the next one, and no
offset is committed before it is out. A crash between the sends and the writes
re-sends the same records on redelivery (ids are a function of the reports, so never
different ones); a redelivered event whose report the table holds changes nothing and
sends nothing.

Counting the happenings on their own dates (``streams/kafka/count_happenings.py``):
each new, changed or withdrawn happening is placed, and the window counts it changes
are handed to the coalescer before the reports are written; the first settle of each
lane after a recovery places the lane's happenings again and publishes their counts
again (a crash may have lost them pending).

The event's outlet comes from the ``outlet`` header the extraction agent sets;
events without it count their article as an outlet of its own. An event that fails
validation is skipped here: the aggregator, its sibling handler, dead-letters it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from schemas import DiplomaticEvent
from schemas.happening import HAPPENING_SCHEMA_VERSION
from streams.core.fusion import Report
from streams.core.happenings import Fuser, Rules, Update
from streams.core.records import BadRecord
from streams.kafka.agents import Sender
from streams.kafka.aggregate import EventHandler
from streams.kafka.coalesce import Coalescer
from streams.kafka.count_happenings import HappeningCounts
from streams.kafka.topics import HAPPENING_TABLES, OUTLET_HEADER, SCHEMA_VERSION_HEADER, Topics
from streams.kafka.transport import App
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


@dataclass(slots=True)
class Outbox:
    """What one settle decided and has not finished: the newest record of each happening to send, and the
    report changes to write once they are acknowledged."""

    updates: dict[str, Update] = field(default_factory=dict)
    changes: list[tuple[str, str, Report | None]] = field(default_factory=list)
    lanes: dict[str, tuple[Any, float]] = field(default_factory=dict)
    """Lane -> the message of its newest event (its partition) and that event's publication time."""
    fused: int = 0
    """Events taken in since the last finished settle (``diplostream_events_fused_total`` once it finishes)."""


Settle = Callable[[], Awaitable[None]]


def wire_happenings(app: App, settings: Settings, topics: Topics, coalescer: Coalescer) -> tuple[EventHandler, Settle]:
    """The ``events`` agent's happenings handler, and the settle to run before the window counts' flush."""
    out = app.topic(topics.happenings, partitions=settings.partitions)
    reports_name, counts_name = HAPPENING_TABLES
    reports = app.write_back(app.Table(reports_name, partitions=settings.partitions, key_type=str))
    counts = HappeningCounts(app, settings, counts_name, coalescer)
    rules = Rules.of(settings)
    state: dict[str, Any] = {"fuser": Fuser(rules), "stale": True, "checked": set()}
    staged: dict[str, tuple[Any, float]] = {}  # lane -> its newest event's message and publication time
    outbox = Outbox()
    lock = asyncio.Lock()  # one settle at a time: an older record of a happening never lands after a newer one
    interval = settings.window_flush_seconds
    last_settle = [time.monotonic()]
    taken = [0]  # events fused since the last settle began
    sender = Sender(settings)
    headers = [(SCHEMA_VERSION_HEADER, str(HAPPENING_SCHEMA_VERSION).encode())]

    @app.on_partitions_assigned.connect
    def on_assigned(_app: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        state["stale"] = True  # lanes may have moved: the table, recovered by now, is the truth
        counts.forget()

    def stored() -> Iterator[Report]:
        for value in list(reports.values()):
            try:
                yield Report.from_json(value)
            except (TypeError, KeyError, ValueError):  # a record written by hand or by a future version
                log.warning("skipping an unreadable record of the %s table", reports_name)

    async def fuser() -> Fuser:
        """The fuser, rebuilt from the table's reports at the first event after a (re)assignment (what the old
        one staged is settled first: its events may not be read again)."""
        if state["stale"]:
            await settle()
            fresh = Fuser(rules)
            fresh.load(stored())
            state["fuser"], state["stale"], state["checked"] = fresh, False, set()
        return cast(Fuser, state["fuser"])

    async def fuse(event: Any, diplomatic: DiplomaticEvent | BadRecord) -> None:
        try:
            if not isinstance(diplomatic, BadRecord):  # the aggregator dead-letters it
                await stage(event, diplomatic)
        finally:
            taken[0] += 1  # counted once its happenings are out: a reader that sees it sees them
        if time.monotonic() - last_settle[0] >= interval:
            await settle()

    async def stage(event: Any, diplomatic: DiplomaticEvent) -> None:
        outlet = outlet_of(event.message.headers)
        published = diplomatic.published_at.timestamp()
        counts.observe(event.message, published)
        current = await fuser()
        report = Report.of(diplomatic, outlet)
        try:
            current.stage([report])
        except Exception:  # a bug in the core must not stop the stream: skip the event, rebuild the state
            log.exception("fusing %s failed; skipping it", diplomatic.event_id)
            state["stale"] = True
            return
        staged[report.lane] = (event.message, published)

    async def settle() -> None:
        """Match what was staged, send the happenings it changed, then count them and write the reports."""
        async with lock:
            last_settle[0] = time.monotonic()
            current = cast(Fuser, state["fuser"])
            outbox.fused += taken[0]
            taken[0] = 0
            if current.staged:
                try:
                    updates, changes = current.settle(), current.take_changes()
                except Exception:  # as in stage: the events are skipped, and the table is the truth
                    log.exception("settling the happenings failed; skipping its events, rebuilding from the table")
                    state["stale"] = True
                    staged.clear()
                    return
                outbox.updates.update((u.happening_id, u) for u in updates)  # the newest record of each
                outbox.changes += changes
                outbox.lanes.update(staged)
                staged.clear()
            await send(outbox)  # cancelled (a bounded flush), the outbox waits for the next settle
            finish(outbox, current)

    async def send(box: Outbox) -> None:
        sends = []
        for update in box.updates.values():
            record = update.happening
            message, published = box.lanes[update.lane]
            when = record.last_reported_at.timestamp() if record else published
            value = record.model_dump_json().encode() if record else None
            args: dict[str, Any] = {"key": update.happening_id.encode(), "value": value, "headers": headers}
            args["timestamp"] = when
            sends.append((message, args))
        await sender.send_all(out, sends)  # a None value is the tombstone of a dissolved happening

    def finish(box: Outbox, current: Fuser) -> None:
        """After the acks, with no await: count the happenings sent, then write the reports they came from."""
        for update in box.updates.values():
            message, published = box.lanes[update.lane]
            HAPPENING_UPDATES.labels(kind="changed" if update.happening else "removed").inc()
            counts.place(message, update.happening_id, update.happening, published)
        for lane, (message, published) in box.lanes.items():
            if lane not in state["checked"]:
                # the first settle of a lane since the tables were recovered: a crash may have stored a report
                # whose happening's count was lost (or was pending), and its redelivery changes no happening,
                # so place them all (a no-op for those counted already) and publish their counts again
                for held in current.lane_happenings(lane):
                    counts.place(message, held.happening_id, held, published)
                    counts.republish(message, held.happening_id, published)
                state["checked"].add(lane)
        for lane, event_id, report in box.changes:  # only once the happenings they make are out
            partition = box.lanes[lane][0].partition
            key = f"{lane}|{event_id}"
            if report is not None:
                reports.put(partition, key, report.to_json())
            else:
                reports.delete(partition, key)
        EVENTS_FUSED.inc(box.fused)
        box.updates.clear()
        box.changes.clear()
        box.lanes.clear()
        box.fused = 0

    @app.timer(interval=interval)
    async def settle_happenings() -> None:
        """The happenings staged since the last settle, when no event came to settle them."""
        if time.monotonic() - last_settle[0] >= interval:
            await settle()

    @app.timer(interval=1.0)
    async def refresh_happening_gauges() -> None:
        counts.refresh_gauges(app, topics.events)

    return fuse, settle
