"""Every Prometheus metric diplostream exports, defined once.

Names follow Prometheus conventions: counters end in ``_total``, durations are
in seconds, label sets are bounded. The ``pair`` label holds only pairs that
events were actually extracted for (at most the ~18,000 unordered pairs of
ISO states, in practice a few hundred per deployment); ``type`` has four values,
``reason`` the fixed DLQ reasons, ``window`` two kinds.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info, make_wsgi_app

from streams import __version__

REGISTRY = CollectorRegistry(auto_describe=True)

ARTICLES_CONSUMED = Counter(
    "diplostream_articles_consumed",
    "Articles read from the articles topic, decodable or not.",
    registry=REGISTRY,
)
ARTICLES_WITH_EVENTS = Counter(
    "diplostream_articles_with_events",
    "Articles whose events the broker acknowledged, all of them (an article is counted once, here, in "
    "articles_without_events or in dlq_records).",
    registry=REGISTRY,
)
ARTICLES_WITHOUT_EVENTS = Counter(
    "diplostream_articles_without_events",
    "Valid articles in which no diplomatic event was found.",
    registry=REGISTRY,
)
EVENTS_EXTRACTED = Counter(
    "diplostream_events_extracted",
    "Diplomatic events published to the events topic, counted once the broker acknowledged each.",
    ["type", "pair"],
    registry=REGISTRY,
)
DLQ_RECORDS = Counter(
    "diplostream_dlq_records",
    "Records on the dead-letter topic, by reason, counted once the broker acknowledged each.",
    ["reason"],
    registry=REGISTRY,
)
EXTRACTION_LATENCY = Histogram(
    "diplostream_extraction_latency_seconds",
    "Time to turn one article into events (decode, validate, extract).",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
    registry=REGISTRY,
)
EVENTS_AGGREGATED = Counter(
    "diplostream_events_aggregated",
    "Events read by the aggregator, including redeliveries that were not counted again.",
    registry=REGISTRY,
)
EVENTS_DUPLICATE = Counter(
    "diplostream_events_duplicate",
    "Events the aggregator had already counted (same event_id): replays and redeliveries.",
    registry=REGISTRY,
)
EVENTS_LATE = Counter(
    "diplostream_events_late",
    "Events older than every open window of their event time (relative to the newest event time of their "
    "partition and the window retention): not counted, since they would reopen expired windows.",
    registry=REGISTRY,
)
EVENTS_FUSED = Counter(
    "diplostream_events_fused",
    "Events read by the happenings agent, including redeliveries that changed no happening.",
    registry=REGISTRY,
)
HAPPENING_UPDATES = Counter(
    "diplostream_happening_updates",
    "Records sent to the happenings topic, counted once the broker acknowledged each: 'changed' for a new or "
    "changed happening, 'removed' for the tombstone of one that a late report's re-match dissolved.",
    ["kind"],
    registry=REGISTRY,
)
BUCKETS_EXPIRED = Counter(
    "diplostream_buckets_expired",
    "Day buckets (counts and their event ids) forgotten because every window holding them has expired.",
    registry=REGISTRY,
)
TABLE_KEYS = Gauge(
    "diplostream_table_entries",
    "Size of the aggregator's state in this worker: keys of the window-buckets table, and event ids they hold.",
    ["table"],
    registry=REGISTRY,
)
WINDOW_UPDATES_PENDING = Gauge(
    "diplostream_window_updates_pending",
    "Windows whose newest count is not yet acknowledged on event-counts (coalesced, sent at most once per "
    "window_flush_seconds): 0 once every count is out.",
    registry=REGISTRY,
)
WINDOW_UPDATES_SENT = Counter(
    "diplostream_window_updates_sent",
    "Window updates acknowledged on event-counts (the newest count of each window changed, once per flush).",
    registry=REGISTRY,
)
WINDOW_EVENTS = Gauge(
    "diplostream_window_events",
    "Distinct events per pair and type in the current window of each kind (the window holding the newest "
    "event time seen).",
    ["window", "pair", "type"],
    registry=REGISTRY,
)
WINDOW_HAPPENINGS = Gauge(
    "diplostream_window_happenings",
    "Happenings (each once, on its own date) per pair and type in the current window of each kind (the window "
    "holding the newest event time seen); historical references are not in it.",
    ["window", "pair", "type"],
    registry=REGISTRY,
)
HAPPENINGS_HISTORICAL = Gauge(
    "diplostream_historical_happenings",
    "Happenings counted as historical references (dated before the newest news minus the grace when first "
    "counted) per pair and type, held now.",
    ["pair", "type"],
    registry=REGISTRY,
)
NEWEST_EVENT_TIME = Gauge(
    "diplostream_newest_event_time_seconds",
    "Newest event time (article publication, Unix seconds) of the partitions this worker owns.",
    registry=REGISTRY,
)
CONSUMER_LAG = Gauge(
    "diplostream_consumer_lag",
    "Records between the consumer's position and the partition's high-water mark.",
    ["topic", "partition"],
    registry=REGISTRY,
)
SEND_RETRIES = Counter(
    "diplostream_send_retries",
    "Sends to the events or dead-letter topic that failed and were tried again.",
    ["topic"],
    registry=REGISTRY,
)
PARTITION_BLOCKED = Gauge(
    "diplostream_partition_blocked",
    "1 while the worker cannot move past a record of this input partition: its DLQ copy or its events were "
    "refused more than send_retries times. The worker keeps retrying; /healthz fails meanwhile.",
    ["topic", "partition"],
    registry=REGISTRY,
)
BUILD_INFO = Info("diplostream_build", "Version of the running worker.", registry=REGISTRY)
BUILD_INFO.info({"version": __version__})

DLQ_REASONS = (
    "not_json",
    "invalid_schema",
    "published_in_future",
    "empty_body",
    "too_large",
    "invalid_utf8",
    "invalid_event",
    "extraction_error",
)
"""Every value the ``reason`` label and the DLQ reason header take."""


_blocked: dict[tuple[str, int], str] = {}
_blocked_lock = threading.Lock()


def block(topic: str, partition: int, why: str) -> None:
    """Report that ``topic[partition]`` is stuck on a record: the gauge says so and /healthz fails."""
    with _blocked_lock:
        _blocked[(topic, partition)] = why
    PARTITION_BLOCKED.labels(topic=topic, partition=str(partition)).set(1)


def unblock(topic: str, partition: int) -> None:
    with _blocked_lock:
        was = _blocked.pop((topic, partition), None)
    if was is not None:
        PARTITION_BLOCKED.labels(topic=topic, partition=str(partition)).set(0)


def blocked() -> dict[tuple[str, int], str]:
    """The partitions blocked now and why."""
    with _blocked_lock:
        return dict(_blocked)


def health_app(registry: CollectorRegistry = REGISTRY) -> Callable[..., Iterable[bytes]]:
    """WSGI app: ``/healthz`` (200 ``ok``, or 503 naming each blocked partition), anything else /metrics.

    The health check is separate from /metrics so that Prometheus keeps scraping a worker that is
    unhealthy: the metrics are how an operator sees why.
    """
    metrics = make_wsgi_app(registry)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            stuck = blocked()
            if not stuck:
                start_response("200 OK", [("Content-Type", "text/plain")])
                return [b"ok\n"]
            lines = "".join(f"blocked {topic}[{partition}]: {why}\n" for (topic, partition), why in stuck.items())
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [lines.encode("utf-8", "replace")]
        return metrics(environ, start_response)

    return app


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Scrapes every few seconds would flood the worker's log."""


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    """One thread per request, so a slow scrape never holds up the health check."""

    daemon_threads = True


def serve(port: int, host: str) -> WSGIServer:
    """Serve /metrics and /healthz on ``host:port`` from a daemon thread; returns the server."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]  # "::" as prometheus-client allows
    server_class = type("_Server", (_ThreadingServer,), {"address_family": family})
    server: WSGIServer = make_server(host, port, health_app(), server_class=server_class, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    return server
