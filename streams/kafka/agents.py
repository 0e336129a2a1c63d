"""articles → events (+ DLQ): the extraction agent.

Each record is decoded and validated by the pure core; what cannot be read goes
to the dead-letter topic with the original bytes and a reason header, and the
agent carries on. Events are keyed by pair, so every count for a pair is kept by
one partition, and carry the schema version as a header.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

import faust

from schemas import SCHEMA_VERSION
from streams.core.extract import extract
from streams.core.records import BadRecord, decode_article
from streams.kafka.topics import (
    ERROR_HEADER,
    REASON_HEADER,
    SCHEMA_VERSION_HEADER,
    SOURCE_OFFSET_HEADER,
    SOURCE_PARTITION_HEADER,
    SOURCE_TOPIC_HEADER,
    Topics,
)
from streams.metrics import ARTICLES_CONSUMED, DLQ_RECORDS, EVENTS_EXTRACTED, EXTRACTION_LATENCY
from streams.settings import Settings

log = logging.getLogger(__name__)


def dlq_headers(reason: str, detail: str, message: Any) -> list[tuple[str, bytes]]:
    return [
        (REASON_HEADER, reason.encode()),
        (ERROR_HEADER, detail[:1000].encode("utf-8", "replace")),
        (SOURCE_TOPIC_HEADER, str(message.topic).encode()),
        (SOURCE_PARTITION_HEADER, str(message.partition).encode()),
        (SOURCE_OFFSET_HEADER, str(message.offset).encode()),
    ]


async def send_to_dlq(dlq: faust.TopicT, key: bytes | None, value: bytes | None, bad: BadRecord, message: Any) -> None:
    DLQ_RECORDS.labels(reason=bad.reason).inc()
    log.warning("dead-lettered %s[%s]@%s: %s", message.topic, message.partition, message.offset, bad)
    await dlq.send(
        key=key, value=value if value is not None else b"", headers=dlq_headers(bad.reason, bad.detail, message)
    )


def wire_extraction(app: faust.App, settings: Settings, topics: Topics) -> None:
    articles = app.topic(topics.articles, partitions=settings.partitions)
    events = app.topic(topics.events, partitions=settings.partitions)
    dlq = app.topic(topics.articles_dlq, partitions=settings.partitions)

    @app.agent(articles, name="extract")
    async def extract_events(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            message = event.message
            ARTICLES_CONSUMED.inc()
            started = time.perf_counter()
            try:
                article = decode_article(event.value, settings.max_article_bytes, now=datetime.now(UTC))
                found = extract(article)
            except BadRecord as bad:
                await send_to_dlq(dlq, event.key, event.value, bad, message)
                continue
            except Exception as exc:  # a bug in the extractor must not stop the stream
                log.exception("extraction failed for %s[%s]@%s", message.topic, message.partition, message.offset)
                await send_to_dlq(dlq, event.key, event.value, BadRecord("extraction_error", repr(exc)), message)
                continue
            finally:
                EXTRACTION_LATENCY.observe(time.perf_counter() - started)
            published = article.published_at.timestamp()
            for e in found:
                await events.send(
                    key=e.pair.encode(),
                    value=e.model_dump_json().encode(),
                    headers=[(SCHEMA_VERSION_HEADER, str(SCHEMA_VERSION).encode())],
                    timestamp=published,
                )
                EVENTS_EXTRACTED.labels(type=e.type.value, pair=e.pair).inc()
