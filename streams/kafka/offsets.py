"""The offsets a worker commits: never past a message its stream has not processed.

Faust commits the first run of consecutive acked offsets of a partition and checks only
that the run does not start *more than one* past the committed offset (the next offset
to read), and it takes offsets it saw jump over as holes in the log (compaction,
transaction markers). Around a rebalance Faust drops fetched messages — a fetch cut
short when the generation changes, a queue cleared, a message of the old generation
skipped by its stream — while the next ones are processed. Either check then commits
past a message nobody processed: the Apache Kafka rebalance test lost an article, and
another time an article's counts, that way.

One agent reads each topic, one message at a time, so a partition's messages are
acked in offset order: an acked offset above an unacked committed one means that
message was dropped, not that it is still being processed. The commit is then held
at it and the partition re-read from it; the handlers are idempotent (event ids,
happening ids), so what comes twice changes nothing. If the message still does not
come a while after the re-read, the log has no record there and Faust's own
reckoning commits past it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from faust.transport.drivers import aiokafka as driver
from mode import Service

log = logging.getLogger(__name__)

REREAD_PATIENCE_SECONDS = 30.0
"""How long after a re-read a still missing offset is taken for a hole in the log."""


class HeadSafeConsumer(driver.Consumer):
    """Faust's aiokafka consumer, whose commits wait for the message at the committed offset."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self._dropped: dict[Any, int] = {}  # partition → committed offset to re-read from
        self._reread_at: dict[tuple[Any, int], float] = {}  # (partition, offset) → when it was re-read

    def _new_offset(self, tp: Any) -> int | None:
        committed = self._committed_offset[tp]
        acked = self._acked[tp]
        if acked and committed is not None and min(acked) > committed:
            reread = self._reread_at.get((tp, committed))
            if reread is None or time.monotonic() - reread < REREAD_PATIENCE_SECONDS:
                self._dropped.setdefault(tp, committed)
                return None
            log.warning("%s: no record at offset %s after a re-read; committing past it", tp, committed)
        return super()._new_offset(tp)

    @Service.task
    async def _reread_dropped(self) -> None:
        """Seek each partition whose head message was dropped back to it (the next commit finds them)."""
        while not self.should_stop:
            await asyncio.sleep(0.5)
            while self._dropped:
                tp, offset = self._dropped.popitem()
                if (tp, offset) in self._reread_at or not self.flow_active or tp not in self.assignment():
                    continue  # re-read once; a rebalance seeks every partition to its committed offset anyway
                log.warning("%s: offset %s was dropped unprocessed in a rebalance; reading again from it", tp, offset)
                self._reread_at[(tp, offset)] = time.monotonic()
                await self.seek(tp, offset)
