"""The size limits that must agree, checked together before the worker consumes anything.

Three settings bound the largest record the worker writes, and each is set in a
different place: ``max_article_bytes`` (ours: larger articles are refused, and
their DLQ copy is a prefix), the producer's ``max_request_size``
(``producer_max_request_bytes``) and the broker's ``max.message.bytes`` of the
events and DLQ topics (falling back to the broker's ``message.max.bytes``).
A refused article at the limit is copied whole to the DLQ with its headers, so
``record_budget(max_article_bytes)`` must fit under both of the others; if it
does not, the worker would crash on the first such record (issue 11), so it
refuses to start instead, with one error naming every number.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from streams.core.deadletter import HEADROOM_BYTES, record_budget
from streams.kafka.security import Security, client_security
from streams.kafka.topics import Topics
from streams.settings import Settings

log = logging.getLogger(__name__)


class LimitsError(Exception):
    """The configured limits cannot hold the largest record the worker writes."""


@dataclass(frozen=True, slots=True)
class TopicLimit:
    """The effective ``max.message.bytes`` of one topic and where it comes from."""

    topic: str
    max_bytes: int | None
    source: str  # "topic", "broker" or why it is unknown


def limit_problems(settings: Settings, limits: list[TopicLimit]) -> list[str]:
    """Every limit below the record budget, as a sentence each (empty when they agree)."""
    budget = record_budget(settings.max_article_bytes)
    why = f"an article of max_article_bytes={settings.max_article_bytes:,} plus {HEADROOM_BYTES:,} bytes of DLQ headers"
    problems = []
    if settings.producer_max_request_bytes < budget:
        problems.append(
            f"the producer's max_request_size (DIPLOSTREAM_PRODUCER_MAX_REQUEST_BYTES="
            f"{settings.producer_max_request_bytes:,}) is below {budget:,} bytes"
        )
    for limit in limits:
        if limit.max_bytes is not None and limit.max_bytes < budget:
            setting = "max.message.bytes" if limit.source == "topic" else "the broker's message.max.bytes"
            problems.append(f"{limit.topic}'s {setting}={limit.max_bytes:,} is below {budget:,} bytes")
    if problems:
        fix = (
            "lower DIPLOSTREAM_MAX_ARTICLE_BYTES, or raise the others (kafka-configs.sh --alter --entity-type topics "
            "--add-config max.message.bytes=N)"
        )
        return [f"{why} must fit every limit, but {'; '.join(problems)}: {fix}"]
    return []


def topic_limits(
    bootstrap: str, names: list[str], timeout_ms: int = 10_000, security: Security | None = None
) -> list[TopicLimit]:
    """``max.message.bytes`` of each topic as the broker describes it, else the broker's default.

    Tansu 0.6 closes the connection on kafka-python's DescribeConfigs: its limits are then
    unknown (and it enforces none that we could find), which the caller logs.
    """
    from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient

    try:
        admin = KafkaAdminClient(
            bootstrap_servers=bootstrap,
            client_id="diplostream-limits",
            request_timeout_ms=timeout_ms,
            bootstrap_timeout_ms=timeout_ms,
            **(client_security() if security is None else security),
        )
    except Exception as exc:
        return [TopicLimit(n, None, f"unknown ({exc!r})") for n in names]
    try:
        resources = [ConfigResource(ConfigResourceType.TOPIC, n, configs={"max.message.bytes": None}) for n in names]
        described = admin.describe_configs(resources, config_filter="all").get("topic", {})
        broker_default: int | None = None
        out = []
        for name in names:
            entry = described.get(name, {}).get("max.message.bytes")
            if entry and entry.get("value") is not None:
                out.append(TopicLimit(name, int(entry["value"]), "topic"))
                continue
            if broker_default is None:
                broker_id = str(admin.describe_cluster()["brokers"][0]["broker_id"])
                broker = ConfigResource(ConfigResourceType.BROKER, broker_id, configs={"message.max.bytes": None})
                config = admin.describe_configs([broker], config_filter="all").get("broker", {}).get(broker_id, {})
                broker_default = int(config.get("message.max.bytes", {}).get("value") or 0) or None
            out.append(TopicLimit(name, broker_default, "broker" if broker_default else "unknown"))
        return out
    except Exception as exc:
        return [TopicLimit(n, None, f"unknown ({exc!r})") for n in names]
    finally:
        admin.close()


def check_limits(
    settings: Settings, bootstrap: str, topics: Topics, security: Security | None = None
) -> list[TopicLimit]:
    """Raise :class:`LimitsError` unless every limit holds the record budget; returns what was read."""
    security = client_security(settings) if security is None else security
    limits = topic_limits(bootstrap, [topics.events, topics.articles_dlq], security=security)
    unknown = [limit for limit in limits if limit.max_bytes is None]
    if unknown:  # Tansu: one line, not one per topic
        names = ", ".join(limit.topic for limit in unknown)
        log.warning("the broker does not describe max.message.bytes of %s (%s): not checked", names, unknown[0].source)
    problems = limit_problems(settings, limits)
    if problems:
        raise LimitsError(problems[0])
    return limits
