"""The replay producer: articles from a folder onto the ``articles`` topic, in publication order.

kafka-python with ``acks=all`` and retries. Pacing keeps the rhythm of the news:
the gap between two publication times, divided by ``speed``, and never more than
``max_gap`` seconds, so a nine-month archive replays in seconds or minutes.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from schemas import Article
from streams.core.ingest import IngestError, iter_articles
from streams.kafka.security import Security, client_security
from streams.kafka.topics import Topics


def load_articles(
    folders: Iterable[Path], max_bytes: int, warn: Callable[[str], None] | None = None
) -> tuple[list[Article], list[IngestError]]:
    """Every readable article, oldest first; the rest as errors naming the file.

    ``warn`` hears of files read without a publication date of their own (dated by file time).
    """
    articles: list[Article] = []
    errors: list[IngestError] = []
    for item in iter_articles(folders, max_bytes=max_bytes, warn=warn):
        (errors if isinstance(item, IngestError) else articles).append(item)  # type: ignore[arg-type]
    articles.sort(key=lambda a: (a.published_at, a.article_id))
    return articles, errors


def delays(articles: Sequence[Article], speed: float | None, max_gap: float) -> list[float]:
    """Seconds to wait before each article: 0 when ``speed`` is None (as fast as possible)."""
    if speed is None:
        return [0.0] * len(articles)
    out = [0.0]
    for previous, current in itertools.pairwise(articles):
        gap = (current.published_at - previous.published_at).total_seconds() / speed
        out.append(min(max(gap, 0.0), max_gap))
    return out[: len(articles)]


MAX_UNACKNOWLEDGED = 2000
"""Records a replay lets wait for their acknowledgement before it sends more."""


def record_timestamp_ms(article: Article) -> int:
    """The publication time, but never after now: Kafka 4 refuses records more than
    ``message.timestamp.after.max.ms`` (one hour by default) in the future, and the worker
    dead-letters such an article (``published_in_future``) rather than the replay failing."""
    return int(min(article.published_at.timestamp(), time.time()) * 1000)


def make_producer(bootstrap: str, connect_timeout: float = 10.0, security: Security | None = None) -> object:
    """A kafka-python producer whose every wait on the broker is bounded by ``connect_timeout``.

    kafka-python blocks in ``KafkaProducer(...)`` until the broker answers (30 s by
    default) and in ``send()`` for metadata (60 s), and it catches BaseException in
    its network loop, so a Ctrl-C there goes unseen until it returns (FIELD-NOTES):
    short bounds are what let a caller notice a signal or a dead broker in time.
    ``security`` None means the environment's (``streams/kafka/security.py``).
    """
    from kafka import KafkaProducer

    bound_ms = max(1, int(connect_timeout * 1000))
    return KafkaProducer(
        bootstrap_servers=bootstrap,
        client_id="diplostream-replay",
        acks="all",
        retries=10,
        linger_ms=5,
        request_timeout_ms=30_000,
        bootstrap_timeout_ms=bound_ms,
        max_block_ms=bound_ms,
        **(client_security() if security is None else security),
    )


def replay(
    articles: Sequence[Article],
    *,
    bootstrap: str,
    topics: Topics,
    speed: float | None,
    max_gap: float = 5.0,
    loops: int = 1,
    on_sent: Callable[[Article], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    check: Callable[[], None] | None = None,
    connect_timeout: float = 10.0,
    ack_timeout: float = 30.0,
    security: Security | None = None,
) -> int:
    """Send ``articles`` ``loops`` times; returns the number of records acknowledged by the broker.

    ``check`` is called between sends and about once a second while waiting for the
    acknowledgements; it stops the replay by raising (the demo's Ctrl-C flag), which
    works where a KeyboardInterrupt raised inside kafka-python would be swallowed.
    """
    from kafka.errors import KafkaTimeoutError

    def poll() -> None:
        if check:
            check()

    producer = make_producer(bootstrap, connect_timeout, security)
    unacked: collections.deque[Any] = collections.deque()
    sent = 0
    closing = 10.0

    def settle(at_most: int) -> None:
        """Wait until at most ``at_most`` records are unacknowledged.

        ``ack_timeout`` bounds a wait without progress, not the whole drain: a large
        replay may take minutes to be acknowledged, a dead broker acknowledges nothing.
        Waiting here also keeps a large replay from queueing everything at once, where
        records would expire in the producer's buffer (``delivery_timeout_ms``) on a
        busy machine.
        """
        deadline = time.monotonic() + ack_timeout
        while len(unacked) > at_most:
            poll()
            oldest = unacked[0]
            if not oldest.is_done:
                with contextlib.suppress(KafkaTimeoutError):
                    producer.flush(timeout=1.0)  # type: ignore[attr-defined]
            if oldest.is_done:
                oldest.get(timeout=0)  # raises if the broker refused the record
                unacked.popleft()
                deadline = time.monotonic() + ack_timeout
            elif time.monotonic() >= deadline:
                raise KafkaTimeoutError(f"the broker acknowledged none of {len(unacked)} records for {ack_timeout:g} s")

    try:
        poll()
        for _ in range(loops):
            for wait, article in zip(delays(articles, speed, max_gap), articles, strict=True):
                if wait:
                    sleep(wait)
                poll()
                unacked.append(
                    producer.send(  # type: ignore[attr-defined]
                        topics.articles,
                        key=article.article_id.encode(),
                        value=article.model_dump_json().encode(),
                        timestamp_ms=record_timestamp_ms(article),
                    )
                )
                sent += 1
                while unacked and unacked[0].is_done:  # cheap: acknowledged in order, mostly
                    unacked.popleft().get(timeout=0)
                if len(unacked) > MAX_UNACKNOWLEDGED:
                    settle(MAX_UNACKNOWLEDGED // 2)
                if on_sent:
                    on_sent(article)
        settle(0)
    except BaseException:
        closing = 1.0  # on the way out (an error, a signal): do not linger on unsent records
        raise
    finally:
        # close() flushes first, and raises if that times out: never mask the error that got us here
        with contextlib.suppress(KafkaTimeoutError):
            producer.close(timeout=closing)  # type: ignore[attr-defined]
    return sent
