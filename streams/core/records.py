"""Raw record bytes to an Article, or a reason it cannot be one.

The worker never crashes on bad input: every way a record can be unusable has a
name here, and that name is the DLQ reason header and the metric label.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pydantic import ValidationError

from schemas import Article, DiplomaticEvent


@dataclass(frozen=True, slots=True)
class BadRecord(Exception):
    """A record that goes to the dead-letter topic; ``reason`` is one of ``streams.metrics.DLQ_REASONS``."""

    reason: str
    detail: str

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}"


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""The earliest publication time a Kafka record timestamp can carry (brokers refuse negative ones)."""
FUTURE_SLACK = timedelta(days=1)
"""How far past the wall clock a publication time may lie (a newsroom's time-zone slip), and no further."""


def decode_article(raw: bytes | None, max_bytes: int, now: datetime | None = None) -> Article:
    """Validate one ``articles`` record value; raises BadRecord with the reason.

    With ``now``, an article published more than :data:`FUTURE_SLACK` after it is refused:
    windows expire relative to the newest publication time, so one article dated 2099
    would expire every window of its partition at once.
    """
    if raw is None:
        raise BadRecord("empty_body", "record has no value")
    if len(raw) > max_bytes:
        raise BadRecord("too_large", f"{len(raw):,} bytes, limit {max_bytes:,}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRecord("invalid_utf8", f"byte {exc.start} is not UTF-8") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadRecord("not_json", f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:  # json's C scanner refuses nesting deeper than the interpreter's recursion limit
        raise BadRecord("not_json", "nested too deeply") from None
    if isinstance(doc, dict) and isinstance(doc.get("body"), str) and not doc["body"].strip():
        raise BadRecord("empty_body", "article body is empty")
    try:
        article = Article.model_validate(doc)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "record"
        raise BadRecord("invalid_schema", f"{where}: {first['msg']} ({exc.error_count()} errors)") from None
    if article.published_at < EPOCH:
        # its events would carry a negative record timestamp, which the broker refuses on every retry
        when = article.published_at.isoformat()
        raise BadRecord("invalid_schema", f"published_at {when} is before 1970, the start of Kafka timestamps")
    if now is not None and article.published_at > now + FUTURE_SLACK:
        when = article.published_at.isoformat()
        raise BadRecord("published_in_future", f"published_at {when} is more than a day after {now:%Y-%m-%d %H:%M}Z")
    return article


def decode_event(raw: bytes | None) -> DiplomaticEvent:
    """Validate one ``events`` record value (written by anyone, so checked again)."""
    if raw is None:
        raise BadRecord("invalid_event", "record has no value")
    try:
        return DiplomaticEvent.model_validate_json(raw)
    except ValidationError as exc:
        raise BadRecord("invalid_event", str(exc.errors()[0]["msg"])) from None
