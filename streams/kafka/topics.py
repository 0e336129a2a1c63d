"""Topic names and settings: the one place they live.

Every name carries the configured prefix (``DIPLOSTREAM_TOPIC_PREFIX``, default
``diplostream.``) so that several deployments, or test runs, share a cluster.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from schemas.counts import Series
from streams.core.windows import WindowKey
from streams.settings import DEFAULT_MAX_MESSAGE_BYTES

SCHEMA_VERSION_HEADER = "schema-version"
OUTLET_HEADER = "outlet"
"""On ``events`` records: the article's outlet, when known (happenings count distinct outlets)."""

TABLES = ("window-buckets", "newest-event-time")
"""The aggregator's Faust tables; each has a compacted changelog topic ``{app_id}-{table}-changelog``."""
HAPPENING_TABLES = ("happening-reports", "happening-counts")
"""The happenings agent's tables (``streams/kafka/happen.py``): one record per report, key ``lane|event_id``;
one per counted happening, key its id (``streams/kafka/count_happenings.py``)."""


def count_key(series: Series, window: WindowKey) -> str:
    """The ``event-counts`` key of one window of one series: reports keep the version-1 key."""
    return window.encode() if series is Series.REPORTS else f"{series.value}|{window.encode()}"


def changelog_topics(app_id: str) -> list[str]:
    """Faust's names for the tables' changelog topics (``Table._changelog_topic_name``)."""
    return [f"{app_id}-{table}-changelog" for table in (*TABLES, *HAPPENING_TABLES)]


@dataclass(frozen=True, slots=True)
class Topics:
    """The five topics of one deployment."""

    prefix: str = "diplostream."

    @property
    def articles(self) -> str:
        """Raw articles: key = article id, value = Article JSON, record timestamp = publication time."""
        return f"{self.prefix}articles"

    @property
    def events(self) -> str:
        """DiplomaticEvent JSON: key = pair ("PRK-RUS"), header ``schema-version``."""
        return f"{self.prefix}events"

    @property
    def event_counts(self) -> str:
        """PairCount window updates: key = "kind|window_start|window_end|pair|type" for reports, prefixed by
        "happenings|" or "historical|" for those series; the latest update wins."""
        return f"{self.prefix}event-counts"

    @property
    def happenings(self) -> str:
        """Happening JSON, compacted: key = happening id; the latest record wins, a null value removes it."""
        return f"{self.prefix}happenings"

    @property
    def articles_dlq(self) -> str:
        """Articles that could not be decoded or validated: original bytes plus reason headers."""
        return f"{self.prefix}articles-dlq"

    def all(self) -> tuple[str, ...]:
        return (self.articles, self.events, self.event_counts, self.happenings, self.articles_dlq)

    def configs(self, max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES) -> dict[str, dict[str, str]]:
        """Each topic's configs at creation.

        Record timestamps are publication times, years old for replayed news, so Kafka's
        time retention (7 days by default) would delete a replayed archive at its next
        retention check, minutes after it was written: the topics keep records without a
        time limit (an operator bounds them by size with ``retention.bytes``). Window
        updates supersede each other per key, and so do a happening's records, so
        ``event-counts`` and ``happenings`` are compacted.

        ``max.message.bytes`` is set on every topic to the producer's request limit, so that
        the largest record the worker may write (an article at ``max_article_bytes`` copied
        to the DLQ, with its headers) is accepted by the broker too; Apache Kafka's default
        (about 1 MiB) is below the default article limit. The worker checks it at start-up
        (``streams/kafka/limits.py``), also on topics created by hand.
        """
        # and a publication up to two days ahead of the broker's clock is accepted (Kafka 4 refuses
        # more than an hour by default), so that the worker, not the broker, judges it
        keep = {
            "retention.ms": "-1",
            "message.timestamp.after.max.ms": str(2 * 86_400_000),
            "max.message.bytes": str(max_message_bytes),
        }
        return {
            self.articles: keep,
            self.events: keep,
            self.event_counts: {**keep, "cleanup.policy": "compact"},
            self.happenings: {**keep, "cleanup.policy": "compact"},
            self.articles_dlq: keep,
        }

    def by_name(self, short: str) -> str:
        names = {
            "articles": self.articles,
            "events": self.events,
            "event-counts": self.event_counts,
            "happenings": self.happenings,
            "articles-dlq": self.articles_dlq,
        }
        if short not in names:
            raise ValueError(f"unknown topic {short!r}; one of {', '.join(names)}")
        return names[short]


def ensure_topics(
    bootstrap: str,
    topics: Topics,
    partitions: int,
    replication: int = 1,
    connect_timeout: float = 10.0,
    *,
    app_id: str | None = None,
    max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
    security: Mapping[str, Any] | None = None,
) -> list[str]:
    """Create the missing topics (kafka-python admin) and wait until each partition has a leader.

    With ``app_id``, the tables' compacted changelog topics too: created by Faust on start,
    a changelog topic can still be leaderless in the worker's first metadata, which Faust
    then reads as "0 partitions" and refuses the table (``PartitionsMismatch``) on Apache
    Kafka. The admin client's bootstrap is bounded by ``connect_timeout`` (kafka-python's
    default is 30 s), so a broker that went away after the probe still fails in about that
    time. ``security`` None means the environment's (``streams/kafka/security.py``). Returns
    the names created.
    """
    from kafka.admin import KafkaAdminClient, NewTopic
    from kafka.errors import TopicAlreadyExistsError

    from streams.kafka.security import client_security

    wanted = topics.configs(max_message_bytes)
    for name in changelog_topics(app_id) if app_id else ():
        wanted[name] = {"cleanup.policy": "compact"}
    admin = KafkaAdminClient(
        bootstrap_servers=bootstrap,
        client_id="diplostream-admin",
        bootstrap_timeout_ms=max(1, int(connect_timeout * 1000)),
        **(client_security() if security is None else security),
    )
    try:
        existing = set(admin.list_topics())
        missing = [name for name in wanted if name not in existing]
        if missing:
            # another process may have created them in between: that is fine
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics(
                    [NewTopic(name, partitions, replication, topic_configs=wanted[name]) for name in missing]
                )
            admin.wait_for_topics(missing, timeout_ms=30_000)
        return missing
    finally:
        admin.close()
