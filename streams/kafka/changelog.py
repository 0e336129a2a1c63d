"""Tables whose changelog records are written back once per flush, each changed key once.

A Faust table sends one changelog record per change: a busy pair's day bucket is
rewritten by every event, so the changelogs were a third of everything the worker
wrote. A :class:`WriteBack` changes the table's store at once (reads see the change)
and remembers the partition of each changed key; :meth:`WriteBack.flush`, run before
every offset commit (``streams/kafka/coalesce.py``), sends the newest value of each
(or its tombstone) and awaits the acks, so a committed event always has its state on
the changelog; an event whose record was still held when the worker died is read
again, and changes the table again.

The partition of a change is the event's in the stream iteration (as Faust takes it),
or given: the happenings are settled outside the iteration (on a timer or before a
commit), where Faust refuses a change (FIELD-NOTES: ``Cannot modify table key from
outside of stream iteration``), and a lane's partition is that of its events.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, MutableMapping
from typing import Any

from faust.streams import current_event

_GONE = object()


class WriteBack(MutableMapping[Any, Any]):
    """One Faust table, read and written through its store, its changelog written back on :meth:`flush`."""

    def __init__(self, table: Any) -> None:
        self.table = table
        self._dirty: dict[Any, int] = {}

    @property
    def name(self) -> str:
        return str(self.table.name)

    def __getitem__(self, key: Any) -> Any:
        return self.table.data[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.table.data)

    def __len__(self) -> int:
        return len(self.table.data)

    def __contains__(self, key: object) -> bool:
        return key in self.table.data

    def __setitem__(self, key: Any, value: Any) -> None:
        self.put(_partition_now(), key, value)

    def __delitem__(self, key: Any) -> None:
        if key not in self.table.data:
            raise KeyError(key)
        self.delete(_partition_now(), key)

    def put(self, partition: int, key: Any, value: Any) -> None:
        """``table[key] = value``, its changelog record held for ``partition``."""
        self.table.data[key] = value
        self._dirty[key] = partition

    def delete(self, partition: int, key: Any) -> None:
        """``del table[key]`` if it is there, its tombstone held for ``partition``."""
        if key in self.table.data:
            del self.table.data[key]
            self._dirty[key] = partition

    @property
    def held(self) -> int:
        """Changed keys whose changelog record is not sent yet."""
        return len(self._dirty)

    async def flush(self) -> int:
        """Send the newest record of every changed key and wait for the broker's acks; returns how many.

        Awaited, not handed to Faust's producer buffer (``send_soon``): Faust flushes that buffer
        before it commits, but gives up after 0.1 s without a message going out
        (``ProducerBuffer.flush_atmost``), and then commits with records still in it. A SIGKILL
        right after such a commit lost a report of the happenings table (the Apache crash test).
        A flush that fails or is cancelled keeps its keys for the next one (a newer change wins).
        """
        dirty, self._dirty = self._dirty, {}
        table, data = self.table, self.table.data
        topic = table.changelog_topic
        try:
            pending = []
            for key, partition in dirty.items():
                value = data.get(key, _GONE)
                gone = value is _GONE
                pending.append(
                    await topic.send(
                        key=key,
                        value=None if gone else value,
                        partition=partition,
                        key_serializer=table.key_serializer,
                        value_serializer="raw" if gone else table.value_serializer,
                        force=True,  # never attached to an offset: this runs while offsets are committed
                    )
                )
            await asyncio.gather(*pending)
        except BaseException:
            for key, partition in dirty.items():
                self._dirty.setdefault(key, partition)
            raise
        return len(dirty)


def _partition_now() -> int:
    event = current_event()
    if event is None:
        raise TypeError("a table changed outside the stream iteration needs its partition: use put or delete")
    return int(event.message.partition)
