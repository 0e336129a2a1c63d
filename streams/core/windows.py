"""Event time to window bounds, buckets and keys: pure arithmetic, no Faust.

Faust's own windowed tables expire on the wall clock (FIELD-NOTES), which drops
every window at once when 2023 articles are replayed in 2026. The aggregator
therefore keeps its state in plain tables and expires it relative to the newest
event time it has seen, with the arithmetic here.

Every window is a run of whole *buckets* (the greatest common divisor of all
window sizes and steps: one day by default), so the aggregator keeps one record
per bucket, not one per window: an event touches one record however many
windows hold it (window slicing, as in Flink's and Quix Streams' sliced windows).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from schemas import WindowKind


@dataclass(frozen=True, slots=True)
class WindowSpec:
    kind: WindowKind
    size: int  # seconds
    step: int  # seconds; equal to size for tumbling windows

    def windows(self, ts: float) -> list[tuple[float, float]]:
        """Every [start, end) window of this spec that contains ``ts`` (epoch seconds), oldest first."""
        last_start = (int(ts) // self.step) * self.step
        first_start = last_start - self.size + self.step
        return [
            (float(start), float(start + self.size))
            for start in range(first_start, last_start + 1, self.step)
            if start <= ts < start + self.size
        ]


def tumbling(size: int) -> WindowSpec:
    return WindowSpec(WindowKind.TUMBLING, size, size)


def hopping(size: int, step: int) -> WindowSpec:
    if size % step:
        raise ValueError("a hopping window's size must be a multiple of its step")
    return WindowSpec(WindowKind.HOPPING, size, step)


@dataclass(frozen=True, slots=True)
class WindowKey:
    """The identity of one count: window kind and start, pair and event type."""

    kind: WindowKind
    start: float
    end: float
    pair: str
    type: str

    def encode(self) -> str:
        return f"{self.kind.value}|{int(self.start)}|{int(self.end)}|{self.pair}|{self.type}"

    @classmethod
    def decode(cls, text: str) -> WindowKey:
        kind, start, end, pair, type_ = text.split("|")
        return cls(WindowKind(kind), float(start), float(end), pair, type_)

    def start_dt(self) -> datetime:
        return datetime.fromtimestamp(self.start, tz=UTC)

    def end_dt(self) -> datetime:
        return datetime.fromtimestamp(self.end, tz=UTC)


def keys_for(specs: list[WindowSpec], ts: float, pair: str, type_: str) -> list[WindowKey]:
    return [WindowKey(spec.kind, start, end, pair, type_) for spec in specs for start, end in spec.windows(ts)]


def expired(key: WindowKey, newest: float, retention: float) -> bool:
    """A window is dropped once it ended more than ``retention`` seconds before the newest event time."""
    return key.end < newest - retention


def bucket_seconds(specs: list[WindowSpec]) -> int:
    """The largest bucket that tiles every window of every spec."""
    return math.gcd(*(spec.size for spec in specs), *(spec.step for spec in specs))


def bucket_start(ts: float, bucket: int) -> int:
    return int(ts // bucket) * bucket


def last_window_end(specs: list[WindowSpec], start: int) -> int:
    """The end of the last window (of any spec) that holds the bucket starting at ``start``."""
    return max((start // spec.step) * spec.step + spec.size for spec in specs)


def current_window(spec: WindowSpec, ts: float) -> tuple[float, float]:
    """The earliest-starting window of ``spec`` that holds ``ts``, the one that ends next: what a dashboard calls
    "now" ("the last seven days" for a 7-day hopping window; the latest-starting one would hold one day only)."""
    return spec.windows(ts)[0]


def current_totals(
    buckets: Iterable[tuple[str, str, int, int]], specs: list[WindowSpec], newest: float
) -> dict[tuple[str, str, str], int]:
    """Per (window kind, pair, type): the sum over (pair, type, bucket start, n) of the buckets in each spec's
    current window at ``newest`` (the event counts' and the happenings' gauges alike)."""
    windows = [(spec.kind.value, *current_window(spec, newest)) for spec in specs]
    out: dict[tuple[str, str, str], int] = {}
    for pair, type_, start, n in buckets:
        for kind, begin, end in windows:
            if begin <= start < end:
                label = (kind, pair, type_)
                out[label] = out.get(label, 0) + n
    return out
