"""A Faust app whose worker consumer's fetch wait is a setting, and that runs hooks before each commit.

The hooks (``App.before_commit``): the window updates coalesced since the last flush
are handed to the broker and their acks awaited there, so an offset is committed only
once the counts its events changed are out (``streams/kafka/coalesce.py``). Faust itself
flushes its producer (the tables' changelog records) before committing.

faust-streaming hard-codes ``fetch_max_wait_ms=1500`` for the worker's consumer. Tansu
does not answer a long-polling fetch when records arrive: it holds it for the whole
wait (FIELD-NOTES), so on the embedded broker every article waited up to 1.5 s before
the worker saw it. Apache Kafka answers as soon as a record arrives, so a shorter wait
there only adds empty fetches while the worker is idle (ten a second at 100 ms).

Its consumer commits no offset past an unprocessed message (``streams/kafka/offsets.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import aiokafka
import faust
from faust.transport.drivers import aiokafka as driver

from streams.kafka.changelog import WriteBack
from streams.kafka.offsets import HeadSafeConsumer

log = logging.getLogger(__name__)


class ConsumerThread(driver.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: Any) -> aiokafka.AIOKafkaConsumer:
        consumer = super()._create_worker_consumer(transport)
        # read by AIOKafkaConsumer.start() when it builds its Fetcher: the consumer is not started yet
        consumer._fetch_max_wait_ms = getattr(self.app, "fetch_max_wait_ms", consumer._fetch_max_wait_ms)
        return consumer


class Consumer(HeadSafeConsumer):
    def _new_consumer_thread(self) -> driver.AIOKafkaConsumerThread:
        return ConsumerThread(self, loop=self.loop, beacon=self.beacon)

    async def _commit_tps(self, tps: Iterable[Any], start_new_transaction: bool) -> bool:
        """Faust's commit, of the offsets acked *before* the hooks ran.

        The streams go on while the hooks await their sends, and an event acknowledged meanwhile
        was taken in after the hooks looked: Faust's own order (hooks, then every offset acked by
        then) committed such events with their state still held in memory, and a SIGKILL right
        after lost it (a report of the happenings table, once in two runs of the Apache crash
        test). An event is acknowledged only after its handlers took it in, so the acks seen
        before the hooks are of events whose state the hooks send; later ones wait, in Faust's
        list of acked offsets, for the next commit. (Faust appends each ack to that list and only
        a commit, one at a time, sorts and trims it.)
        """
        tps = list(tps)
        seen = {tp: len(self._acked[tp]) for tp in tps}
        try:
            for hook in getattr(self.app, "before_commit", ()):
                await hook()
        except TimeoutError:
            log.warning("not committing offsets: what their records produced (events, counts) is not out yet")
            return False
        except Exception:  # a hook's bug must not crash the consumer: the events are read again
            log.exception("not committing offsets: a hook before the commit failed")
            return False
        later = {tp: self._acked[tp][n:] for tp, n in seen.items()}
        for tp, n in seen.items():
            del self._acked[tp][n:]
        try:
            return await super()._commit_tps(tps, start_new_transaction)
        finally:
            for tp, offsets in later.items():
                self._acked[tp].extend(offsets)


class Transport(driver.Transport):
    Consumer = Consumer


class App(faust.App):
    """faust.App on :class:`Transport`; ``fetch_max_wait_ms`` bounds each fetch of its worker consumer,
    ``before_commit`` holds the coroutines awaited before each offset commit, and ``write_backs`` the tables
    whose changelog those flush (:meth:`write_back`)."""

    def __init__(self, *args: Any, fetch_max_wait_ms: int = 1500, **kwargs: Any) -> None:
        self.fetch_max_wait_ms = fetch_max_wait_ms
        self.before_commit: list[Callable[[], Awaitable[Any]]] = []
        self.write_backs: list[WriteBack] = []
        super().__init__(*args, **kwargs)

    def write_back(self, table: Any) -> WriteBack:
        """``table`` with its changelog written back once per flush (``streams/kafka/changelog.py``)."""
        held = WriteBack(table)
        self.write_backs.append(held)
        return held

    def _new_transport(self) -> Any:
        return Transport(self.conf.broker_consumer, self)
