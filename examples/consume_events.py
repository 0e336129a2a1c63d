"""A downstream consumer of the events topic: validate, de-duplicate, react.

    python examples/consume_events.py --bootstrap localhost:9094 [--group my-service]
    python examples/consume_events.py --bootstrap localhost:9094 --until-end [--timeout 60]

By default it follows the topic for ever, like a service would. ``--until-end``
makes it a batch job: it stops, exit 0, once it has consumed up to the end of
every partition as the broker reported it in its fetch responses (the high-water
mark, ``consumer.highwater(tp)``; ``end_offsets`` is wrong on the embedded Tansu
broker, see FIELD-NOTES). ``--timeout SECONDS`` bounds the run: without
``--until-end`` it simply stops then (exit 0); with it, not having reached the end
by then is exit 1 (default 60 s, so a missing topic or a stuck group does not hang
a script).

Delivery is at-least-once (docs/topic-contract.md): the same event_id can arrive
more than once after a replay or a worker restart, so a consumer keeps the ids it
has handled. Here that is a set in memory; a real service would keep them where it
keeps its own state (a unique key in its database).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from kafka import KafkaConsumer
from pydantic import ValidationError

from schemas import SCHEMA_VERSION, DiplomaticEvent

UNTIL_END_TIMEOUT = 60.0


def handle(record: Any, handled: set[str]) -> None:
    """Validate one record and print it, once per event_id."""
    version = dict(record.headers or []).get("schema-version", b"?").decode()
    if version != str(SCHEMA_VERSION):
        print(f"skipping {record.topic}@{record.offset}: schema version {version} is not {SCHEMA_VERSION}")
        return
    try:
        event = DiplomaticEvent.model_validate_json(record.value)
    except ValidationError as exc:
        print(f"skipping {record.topic}@{record.offset}: {exc.error_count()} validation errors")
        return
    if event.event_id in handled:
        return  # a redelivery: already handled
    handled.add(event.event_id)
    when = event.date.isoformat() if event.date else "undated"
    print(f"{event.pair:8} {event.type.value:16} {event.source}->{event.target} {event.status.value:8} {when}")


def at_end(consumer: KafkaConsumer) -> bool:
    """True once every assigned partition's position has reached its high-water mark.

    The high-water mark comes with each fetch response, also an empty one, so a
    partition is known to be at its end only after the consumer has fetched from
    it; until then (and before the group has assigned partitions) this is False.
    """
    assigned = consumer.assignment()
    if not assigned:
        return False
    for tp in assigned:
        highwater = consumer.highwater(tp)
        if highwater is None or consumer.position(tp, timeout_ms=5000) < highwater:
            return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", default="localhost:9094")
    parser.add_argument("--topic", default="diplostream.events")
    parser.add_argument("--group", default="example-consumer", help="consumer group (offsets are committed)")
    parser.add_argument(
        "--until-end", action="store_true", help="stop once every partition is consumed to its end (exit 0)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop after this long; with --until-end, exit 1 if the end was not reached by then "
        f"(default there {UNTIL_END_TIMEOUT:g})",
    )
    args = parser.parse_args()
    timeout = args.timeout if args.timeout is not None else (UNTIL_END_TIMEOUT if args.until_end else None)

    consumer = KafkaConsumer(
        args.topic,
        bootstrap_servers=args.bootstrap,
        group_id=args.group,
        auto_offset_reset="earliest",
        # short, as the project's own defaults: the embedded broker holds a JoinGroup for
        # half the session timeout (FIELD-NOTES), 23 s with kafka-python's default
        session_timeout_ms=6000,
        heartbeat_interval_ms=2000,
    )
    handled: set[str] = set()
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        while deadline is None or time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                for record in records:
                    handle(record, handled)
            if args.until_end and at_end(consumer):
                consumer.commit()
                return 0
        if args.until_end:
            print(f"gave up after {timeout:g} s before reaching the end of {args.topic}", file=sys.stderr)
            return 1
        return 0
    except KeyboardInterrupt:
        return 130
    finally:
        consumer.close()


if __name__ == "__main__":
    sys.exit(main())
