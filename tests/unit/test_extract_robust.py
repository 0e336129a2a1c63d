"""The extractor never crashes, whatever text it is given."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas import DiplomaticEvent
from tests.conftest import make_article

WORDS = st.sampled_from(
    [
        "Putin",
        "Kim",
        "visited",
        "will",
        "visit",
        "invited",
        "summit",
        "talks",
        "met",
        "sanctions",
        "warned",
        "North",
        "Korea",
        "Russia",
        "the",
        "Pyongyang",
        "Moscow",
        "on",
        "June",
        "18-19",
        "Sept.",
        "12–17",
        "last",
        "September",
        "in",
        "2000",
        "Tuesday",
        "his",
        "he",
        "two",
        "leaders",
        ", ",
        ".",
        "’s",
        "may",
        "could",
        "if",
        "not",
        "State",
        "Department",
        "KCNA",
        "accepted",
        "invitation",
        "of",
        "to",
        "by",
        "a",
        "delegation",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=400))
def test_any_unicode_text(text):
    from streams.core.extract import extract

    if not text.strip():
        return
    for event in extract(make_article(text)):
        assert isinstance(event, DiplomaticEvent)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, min_size=1, max_size=60).map(" ".join))
def test_diplomatic_word_salad(text):
    from streams.core.extract import extract

    events = extract(make_article(text))
    assert len({e.event_id for e in events}) == len(events)
    for e in events:
        assert 0 <= e.evidence_start <= e.evidence_end <= len(text)
        assert text[e.evidence_start : e.evidence_end] == e.evidence
