"""Every Prometheus metric diplostream exports, defined once.

Names follow Prometheus conventions: counters end in ``_total``, durations are
in seconds, label sets are bounded. The ``pair`` label holds only pairs that
events were actually extracted for (at most the ~18,000 unordered pairs of
ISO states, in practice a few hundred per deployment); ``type`` has four values,
``reason`` the fixed DLQ reasons, ``window`` two kinds.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info

from streams import __version__

REGISTRY = CollectorRegistry(auto_describe=True)

ARTICLES_CONSUMED = Counter(
    "diplostream_articles_consumed",
    "Articles read from the articles topic, decodable or not.",
    registry=REGISTRY,
)
EVENTS_EXTRACTED = Counter(
    "diplostream_events_extracted",
    "Diplomatic events extracted and published to the events topic.",
    ["type", "pair"],
    registry=REGISTRY,
)
DLQ_RECORDS = Counter(
    "diplostream_dlq_records",
    "Records sent to the dead-letter topic, by reason.",
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
WINDOW_EVENTS = Gauge(
    "diplostream_window_events",
    "Distinct events per pair and type in the current window of each kind (the window holding the newest "
    "event time seen).",
    ["window", "pair", "type"],
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
