"""What a dead-letter record holds, built so that it always fits the broker's limits.

A record is dead-lettered with its key and bytes as they came, so an operator can
read why and replay it. Two things can make that copy larger than any record the
worker may write: a value over ``max_article_bytes`` (the reason it is refused) and
a hostile key. Both are cut to a bounded prefix and the headers carry the full
size and the SHA-256 of the original, which still lies at
``dlq-source-topic``/``dlq-source-partition``/``dlq-source-offset``: the copy
identifies it, the source holds it. Every other value is copied whole, and it is
at most ``max_article_bytes``, so a DLQ record is never larger than
:func:`record_budget` of the limit: the bound the start-up check holds the
producer's and the broker's limits to.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

REASON_HEADER = "dlq-reason"
ERROR_HEADER = "dlq-error"
SOURCE_TOPIC_HEADER = "dlq-source-topic"
SOURCE_PARTITION_HEADER = "dlq-source-partition"
SOURCE_OFFSET_HEADER = "dlq-source-offset"
TRUNCATED_HEADER = "dlq-truncated"
"""``value``, ``key`` or ``key,value``: which parts of the record are a prefix of the original."""
ORIGINAL_SIZE_HEADER = "dlq-original-size"
ORIGINAL_SHA256_HEADER = "dlq-original-sha256"
ORIGINAL_KEY_SIZE_HEADER = "dlq-original-key-size"
ORIGINAL_KEY_SHA256_HEADER = "dlq-original-key-sha256"

PREFIX_BYTES = 64 * 1024
"""How much of an oversized value the DLQ keeps: enough to read what it was, small whatever the input."""
KEY_LIMIT_BYTES = 1024
"""Keys are article ids (at most 200 characters); a longer key is cut to this prefix in the DLQ copy."""
DETAIL_LIMIT_BYTES = 1000
"""The ``dlq-error`` header is at most this long."""
HEADROOM_BYTES = 16 * 1024
"""Room above ``max_article_bytes`` for the key, the headers and Kafka's record and batch framing.

Headers: the detail (1,000 bytes), a topic name (at most 249), numbers, two hex digests and
their names, well under 2 KiB; the key at most :data:`KEY_LIMIT_BYTES`; a record batch adds
61 bytes and each record about 20. 16 KiB leaves a wide margin.
"""


def record_budget(max_article_bytes: int) -> int:
    """The largest record the worker writes when articles are limited to ``max_article_bytes``."""
    return max_article_bytes + HEADROOM_BYTES


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """One record for the dead-letter topic: what to send, and nothing Kafka-specific."""

    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]]

    def size(self) -> int:
        """Bytes of key, value and headers (what the budget bounds, framing aside)."""
        return (
            len(self.key or b"")
            + len(self.value)
            + sum(len(name.encode()) + len(value) for name, value in self.headers)
        )


def dead_letter(
    key: bytes | None,
    value: bytes | None,
    *,
    reason: str,
    detail: str,
    source_topic: str,
    source_partition: int,
    source_offset: int,
    max_value_bytes: int,
) -> DeadLetter:
    """The DLQ record of one refused input: whole when it fits, else prefixes plus size and SHA-256.

    A missing value (``null``) becomes empty bytes: the ``dlq-reason`` says it had none.
    """
    raw = value if value is not None else b""
    headers = [
        (REASON_HEADER, reason.encode()),
        (ERROR_HEADER, _cut_utf8(detail, DETAIL_LIMIT_BYTES)),
        (SOURCE_TOPIC_HEADER, source_topic.encode()[:255]),
        (SOURCE_PARTITION_HEADER, str(source_partition).encode()),
        (SOURCE_OFFSET_HEADER, str(source_offset).encode()),
    ]
    truncated = []
    if key is not None and len(key) > KEY_LIMIT_BYTES:
        headers += [
            (ORIGINAL_KEY_SIZE_HEADER, str(len(key)).encode()),
            (ORIGINAL_KEY_SHA256_HEADER, hashlib.sha256(key).hexdigest().encode()),
        ]
        key = key[:KEY_LIMIT_BYTES]
        truncated.append("key")
    if len(raw) > max_value_bytes:
        headers += [
            (ORIGINAL_SIZE_HEADER, str(len(raw)).encode()),
            (ORIGINAL_SHA256_HEADER, hashlib.sha256(raw).hexdigest().encode()),
        ]
        raw = raw[: min(PREFIX_BYTES, max_value_bytes)]
        truncated.append("value")
    if truncated:
        headers.append((TRUNCATED_HEADER, ",".join(truncated).encode()))
    return DeadLetter(key=key, value=raw, headers=headers)


def _cut_utf8(text: str, limit: int) -> bytes:
    """``text`` as UTF-8 (lone surrogates replaced), at most ``limit`` bytes, never cutting a character."""
    return text.encode("utf-8", "replace")[:limit].decode("utf-8", "ignore").encode()
