"""The pure core under hostile input, fuzzed with hypothesis for a bounded time.

``decode_article`` must turn every byte string into an Article or a named
BadRecord (never another exception: in the worker that would be an
``extraction_error`` at best), the extractor must return events that serialise
to UTF-8 JSON for every valid article, and the DLQ copy of any record must fit
the record budget the start-up check holds the broker to. Each test stops after
``max_examples`` or a few seconds, whichever comes first, so CI time is bounded.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas import Article
from streams.core.deadletter import dead_letter, record_budget
from streams.core.extract import extract
from streams.core.records import BadRecord, decode_article
from streams.metrics import DLQ_REASONS
from tests.hostile import KINDS, any_record, seed_articles

LIMIT = 2 * 1024 * 1024
NOW = datetime(2026, 12, 1, tzinfo=UTC)
SECONDS = 4.0
"""Wall-clock budget of each fuzz test: examples beyond it are skipped, not failed."""

fuzz = settings(
    max_examples=400,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


class Budget:
    """Skips the rest of a fuzz run once its time is up (hypothesis bounds examples, not seconds)."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def spent(self) -> bool:
        return time.monotonic() > self.deadline


def check_one(key: bytes | None, value: bytes | None) -> None:
    try:
        article = decode_article(value, LIMIT, now=NOW)
    except BadRecord as bad:
        assert bad.reason in DLQ_REASONS
        letter = dead_letter(
            key,
            value,
            reason=bad.reason,
            detail=bad.detail,
            source_topic="diplostream.articles",
            source_partition=5,
            source_offset=2**62,
            max_value_bytes=LIMIT,
        )
        assert letter.size() <= record_budget(LIMIT)
        return
    assert isinstance(article, Article)
    for event in extract(article):
        event.model_dump_json().encode("utf-8")  # the worker writes exactly this


def test_decode_article_names_every_failure_and_every_dlq_copy_fits():
    budget = Budget(SECONDS)

    @fuzz
    @given(record=any_record())
    def run(record):
        if budget.spent():
            return
        check_one(*record)

    run()


def test_every_listed_kind_decodes_or_is_named():
    budget = Budget(SECONDS)

    @settings(fuzz, max_examples=30)
    @given(data=st.data())
    def run(data):
        # draw first, whatever the clock says: hypothesis replays a run's draws and must see the same ones
        records = [data.draw(strategy) for strategy in KINDS.values()]
        if budget.spent():
            return
        for record in records:
            check_one(*record)

    run()


sentences = [s.strip() + "." for a in seed_articles() for s in a.body.split(".") if s.strip()]


def test_the_extractor_survives_shuffled_and_mangled_news():
    """Seed sentences shuffled, cut and mixed with invented text: events or none, never an exception."""
    budget = Budget(SECONDS)
    piece = st.one_of(st.sampled_from(sentences), st.text(max_size=80))

    @fuzz
    @given(
        pieces=st.lists(piece, min_size=1, max_size=25),
        cut=st.integers(0, 200),
        published=st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2026, 11, 30)),
    )
    def run(pieces, cut, published):
        if budget.spent():
            return
        body = " ".join(pieces)
        body = body[cut:] if len(body) > cut + 1 else body
        if not body.strip():
            return
        try:
            article = Article(article_id="f", body=body, published_at=published.replace(tzinfo=UTC))
        except ValueError:
            return  # lone surrogates from st.text(): decode_article refuses those before extraction
        for event in extract(article):
            event.model_dump_json().encode("utf-8")
            assert 0 <= event.evidence_start <= event.evidence_end <= len(body)

    run()
