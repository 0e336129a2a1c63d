"""The records reject what downstream services must never see, and their JSON Schema is current."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from schemas import DiplomaticEvent
from schemas.generate import expected_files


def event(**changes):
    base = dict(
        event_id="0123456789abcdef01234567",
        article_id="a",
        type="visit",
        cameo="042",
        source="RUS",
        target="PRK",
        pair="PRK-RUS",
        person="Vladimir Putin",
        status="planned",
        date=date(2024, 6, 18),
        date_end=date(2024, 6, 19),
        precision="day",
        evidence="Putin will visit.",
        evidence_start=0,
        evidence_end=17,
        mentions=1,
        confidence=0.9,
        published_at=datetime(2024, 6, 18, tzinfo=UTC),
        extractor_version="test",
    )
    base.update(changes)
    return DiplomaticEvent(**base)


def test_a_valid_event_round_trips_through_json():
    e = event()
    assert DiplomaticEvent.model_validate_json(e.model_dump_json()) == e


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source": "XXX"}, "ISO 3166-1"),
        ({"target": "SU"}, "ISO 3166-1"),
        ({"date_end": date(2024, 6, 17)}, "date_end"),
        ({"type": "war"}, "type"),
        ({"status": "rumoured"}, "status"),
        ({"pair": "RUS-PRK"}, "pair"),
        ({"target": "RUS", "pair": "RUS-RUS"}, "different"),
        ({"cameo": "1312"}, "cameo"),
        ({"date": None, "date_end": None}, "precision"),
        ({"type": "summit", "cameo": "043"}, "sorted"),
    ],
)
def test_invalid_events_are_rejected(changes, message):
    with pytest.raises(ValidationError, match=message):
        event(**changes)


def test_generated_json_schemas_are_current():
    stale = [p.name for p, text in expected_files().items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    assert not stale, f"run `python -m schemas.generate`: stale {stale}"


def test_asyncapi_contract_is_current():
    from streams.kafka.contract import CONTRACT_PATH, render

    assert CONTRACT_PATH.read_text(encoding="utf-8") == render(), "run `python -m streams.kafka.contract`"
