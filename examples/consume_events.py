"""A downstream consumer of the events topic: validate, de-duplicate, react.

    python examples/consume_events.py --bootstrap localhost:9094 [--group my-service]

Delivery is at-least-once (docs/topic-contract.md): the same event_id can arrive
more than once after a replay or a worker restart, so a consumer keeps the ids it
has handled. Here that is a set in memory; a real service would keep them where it
keeps its own state (a unique key in its database).
"""

from __future__ import annotations

import argparse

from kafka import KafkaConsumer
from pydantic import ValidationError

from schemas import SCHEMA_VERSION, DiplomaticEvent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", default="localhost:9094")
    parser.add_argument("--topic", default="diplostream.events")
    parser.add_argument("--group", default="example-consumer", help="consumer group (offsets are committed)")
    args = parser.parse_args()

    consumer = KafkaConsumer(
        args.topic, bootstrap_servers=args.bootstrap, group_id=args.group, auto_offset_reset="earliest"
    )
    handled: set[str] = set()
    for record in consumer:
        version = dict(record.headers or []).get("schema-version", b"?").decode()
        if version != str(SCHEMA_VERSION):
            print(f"skipping {record.topic}@{record.offset}: schema version {version} is not {SCHEMA_VERSION}")
            continue
        try:
            event = DiplomaticEvent.model_validate_json(record.value)
        except ValidationError as exc:
            print(f"skipping {record.topic}@{record.offset}: {exc.error_count()} validation errors")
            continue
        if event.event_id in handled:
            continue  # a redelivery: already handled
        handled.add(event.event_id)
        when = event.date.isoformat() if event.date else "undated"
        print(f"{event.pair:8} {event.type.value:16} {event.source}->{event.target} {event.status.value:8} {when}")


if __name__ == "__main__":
    main()
