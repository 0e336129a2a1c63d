"""events → happenings: fusing reports of one happening across articles, per event of the ``events`` agent.

Events are keyed by pair, so every report of a lane (type, source, target) comes
through one partition, and each report is one record of the changelog-backed
``happening-reports`` table (key ``lane|event_id``), written from that partition: a
small write per event, whatever the size of its lane. The pure core
(:mod:`streams.core.happenings`) decides, from the reports alone; this handler rebuilds
it from the table at the first event after an assignment (start, rebalance, restart),
sends every new or changed happening to the compacted ``happenings`` topic keyed by
its id, and only then writes the new reports (and deletes the forgotten ones). A crash between the two re-sends the
same records on redelivery (ids are a function of the reports, so never different
ones); a redelivered event whose report the table holds changes nothing and sends
nothing.

The same iteration counts the happenings on their own dates
(``streams/kafka/count_happenings.py``): each new, changed or withdrawn happening is
placed, and the window counts it changes are handed to the coalescer before the reports
are written; the first event of each lane after a recovery places the lane's
happenings again and publishes their counts again (a crash may have lost them pending).

The event's outlet comes from the ``outlet`` header the extraction agent sets;
events without it count their article as an outlet of its own. An event that fails
validation is skipped here: the aggregator, its sibling handler, dead-letters it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, cast

import faust

from schemas import DiplomaticEvent
from schemas.happening import HAPPENING_SCHEMA_VERSION
from streams.core.fusion import Report
from streams.core.happenings import Fuser, Rules
from streams.core.records import BadRecord
from streams.kafka.agents import Sender
from streams.kafka.aggregate import EventHandler
from streams.kafka.coalesce import Coalescer
from streams.kafka.count_happenings import HappeningCounts
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


def wire_happenings(app: faust.App, settings: Settings, topics: Topics, coalescer: Coalescer) -> EventHandler:
    out = app.topic(topics.happenings, partitions=settings.partitions)
    reports_name, counts_name = HAPPENING_TABLES
    reports = app.Table(reports_name, partitions=settings.partitions, key_type=str)
    counts = HappeningCounts(app, settings, counts_name, coalescer)
    rules = Rules.of(settings)
    state: dict[str, Any] = {"fuser": Fuser(rules), "stale": True, "checked": set()}
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

    def fuser() -> Fuser:
        """The fuser, rebuilt from the table's reports at the first event after a (re)assignment."""
        if state["stale"]:
            fresh = Fuser(rules)
            fresh.load(stored())
            state["fuser"], state["stale"], state["checked"] = fresh, False, set()
        return cast(Fuser, state["fuser"])

    async def fuse(event: Any, diplomatic: DiplomaticEvent | BadRecord) -> None:
        try:
            if not isinstance(diplomatic, BadRecord):  # the aggregator dead-letters it
                await fuse_one(event, diplomatic)
        finally:
            EVENTS_FUSED.inc()  # after its counts are pending: a reader that sees it sees them

    async def fuse_one(event: Any, diplomatic: DiplomaticEvent) -> None:
        outlet = outlet_of(event.message.headers)
        published = diplomatic.published_at.timestamp()
        counts.observe(event.message, published)
        try:
            current = fuser()
            updates = current.add([diplomatic], {diplomatic.article_id: outlet})
            changes = current.take_changes()
        except Exception:  # a bug in the core must not stop the stream: skip the event, rebuild the state
            log.exception("fusing %s failed; skipping it", diplomatic.event_id)
            state["stale"] = True
            return
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
            counts.place(event.message, update.happening_id, record, published)
        its_lane = Report.of(diplomatic, outlet).lane
        if its_lane not in state["checked"]:
            # the first event of a lane since the tables were recovered: a crash may have stored a report
            # whose happening's count was lost (or was pending), and its redelivery changes no happening,
            # so place them all (a no-op for those counted already) and publish their counts again
            for held in current.lane_happenings(its_lane):
                counts.place(event.message, held.happening_id, held, published)
                counts.republish(event.message, held.happening_id, published)
            state["checked"].add(its_lane)
        for lane, event_id, report in changes:  # only once the happenings they make are sent
            key = f"{lane}|{event_id}"
            if report is not None:
                reports[key] = report.to_json()
            elif key in reports:
                del reports[key]

    @app.timer(interval=1.0)
    async def refresh_happening_gauges() -> None:
        counts.refresh_gauges(app, topics.events)

    return fuse
