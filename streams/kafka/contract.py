"""The topic contract as an AsyncAPI 2.6 document, generated from the records and topic names.

Run ``python -m streams.kafka.contract`` to write ``docs/asyncapi.json``; a test fails
when the committed file is stale. The prose around it is docs/topic-contract.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from schemas import HAPPENING_SCHEMA_VERSION, SCHEMA_VERSION, Article, DiplomaticEvent, Happening, PairCount
from streams import __version__
from streams.core.deadletter import (
    ERROR_HEADER,
    KEY_LIMIT_BYTES,
    ORIGINAL_KEY_SHA256_HEADER,
    ORIGINAL_KEY_SIZE_HEADER,
    ORIGINAL_SHA256_HEADER,
    ORIGINAL_SIZE_HEADER,
    PREFIX_BYTES,
    REASON_HEADER,
    SOURCE_OFFSET_HEADER,
    SOURCE_PARTITION_HEADER,
    SOURCE_TOPIC_HEADER,
    TRUNCATED_HEADER,
)
from streams.kafka.topics import OUTLET_HEADER, SCHEMA_VERSION_HEADER, Topics
from streams.metrics import DLQ_REASONS

CONTRACT_PATH = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.json"


def _schema(model: Any) -> dict[str, Any]:
    return dict(model.model_json_schema(mode="serialization", ref_template="#/components/schemas/{model}"))


def _headers(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


def document(topics: Topics | None = None) -> dict[str, Any]:
    topics = topics or Topics()
    string = {"type": "string"}
    schemas: dict[str, Any] = {}
    for model in (Article, DiplomaticEvent, PairCount, Happening):
        schema = _schema(model)
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return {
        "asyncapi": "2.6.0",
        "info": {
            "title": "diplostream topics",
            "version": __version__,
            "description": "Diplomatic events extracted from news, their windowed counts, and the happenings they "
            f"report. Topic names carry a configurable prefix (default '{topics.prefix}'). Delivery is at-least-once: "
            "de-duplicate events by event_id, and take the latest event-counts update and happenings record per key. "
            "See docs/topic-contract.md.",
        },
        "defaultContentType": "application/json",
        "channels": {
            topics.articles: {
                "description": "Raw articles. Key: article id. Record timestamp: publication time.",
                "publish": {"message": {"$ref": "#/components/messages/Article"}},
            },
            topics.events: {
                "description": "One record per extracted event. Key: pair (e.g. PRK-RUS), so every event of a pair "
                "is in one partition, in the order it was extracted. Record timestamp: the article's publication "
                "time. Replays and redeliveries repeat records with the same event_id.",
                "subscribe": {"message": {"$ref": "#/components/messages/DiplomaticEvent"}},
            },
            topics.event_counts: {
                "description": "Window updates. Key: 'kind|window_start|window_end|pair|type' (epoch seconds). The "
                "latest update per key carries the current count; counts never decrease.",
                "subscribe": {"message": {"$ref": "#/components/messages/PairCount"}},
            },
            topics.happenings: {
                "description": "Happenings: reports of one real-world occurrence fused across articles (EVENTS.md, "
                "'Happenings'). Key: happening_id, fixed by its first report. Compacted: the latest record per key is "
                "the happening's state; a null value (tombstone) removes one that a late report's re-match dissolved. "
                "Record timestamp: its last report's publication time.",
                "subscribe": {"message": {"$ref": "#/components/messages/Happening"}},
            },
            topics.articles_dlq: {
                "description": "Records that could not be decoded or validated: the original key and bytes, with the "
                f"reason in the '{REASON_HEADER}' header (one of: {', '.join(DLQ_REASONS)}). A value over "
                f"max_article_bytes is cut to its first {PREFIX_BYTES} bytes (a key over {KEY_LIMIT_BYTES} bytes "
                f"likewise), with '{TRUNCATED_HEADER}' and the original's size and SHA-256 in headers; the original "
                "stays at the source topic, partition and offset the headers name.",
                "subscribe": {"message": {"$ref": "#/components/messages/DeadLetter"}},
            },
        },
        "components": {
            "schemas": schemas,
            "messages": {
                "Article": {
                    "name": "Article",
                    "payload": {"$ref": "#/components/schemas/Article"},
                    "bindings": {"kafka": {"key": {"type": "string", "description": "article_id"}}},
                },
                "DiplomaticEvent": {
                    "name": "DiplomaticEvent",
                    "payload": {"$ref": "#/components/schemas/DiplomaticEvent"},
                    "headers": _headers(
                        {
                            SCHEMA_VERSION_HEADER: {"type": "string", "const": str(SCHEMA_VERSION)},
                            OUTLET_HEADER: {"type": "string", "description": "the article's outlet, when known"},
                        }
                    ),
                    "bindings": {"kafka": {"key": {"type": "string", "pattern": "^[A-Z]{3}-[A-Z]{3}$"}}},
                },
                "PairCount": {
                    "name": "PairCount",
                    "payload": {"$ref": "#/components/schemas/PairCount"},
                    "headers": _headers({SCHEMA_VERSION_HEADER: string}),
                    "bindings": {"kafka": {"key": {"type": "string"}}},
                },
                "Happening": {
                    "name": "Happening",
                    "payload": {"$ref": "#/components/schemas/Happening"},
                    "headers": _headers(
                        {SCHEMA_VERSION_HEADER: {"type": "string", "const": str(HAPPENING_SCHEMA_VERSION)}}
                    ),
                    "bindings": {"kafka": {"key": {"type": "string", "pattern": "^[0-9a-f]{16}$"}}},
                },
                "DeadLetter": {
                    "name": "DeadLetter",
                    "payload": {
                        "description": "the original record value, byte for byte; its first "
                        f"{PREFIX_BYTES} bytes when {TRUNCATED_HEADER} names the value"
                    },
                    "headers": _headers(
                        {
                            REASON_HEADER: {"type": "string", "enum": list(DLQ_REASONS)},
                            ERROR_HEADER: string,
                            SOURCE_TOPIC_HEADER: string,
                            SOURCE_PARTITION_HEADER: string,
                            SOURCE_OFFSET_HEADER: string,
                            TRUNCATED_HEADER: {"type": "string", "enum": ["value", "key", "key,value"]},
                            ORIGINAL_SIZE_HEADER: string,
                            ORIGINAL_SHA256_HEADER: string,
                            ORIGINAL_KEY_SIZE_HEADER: string,
                            ORIGINAL_KEY_SHA256_HEADER: string,
                        }
                    ),
                },
            },
        },
    }


def render() -> str:
    return json.dumps(document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    CONTRACT_PATH.parent.mkdir(exist_ok=True)
    CONTRACT_PATH.write_text(render(), encoding="utf-8")
    print(f"wrote {CONTRACT_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
