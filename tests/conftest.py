"""Shared helpers for the test suite."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from schemas import Article, DiplomaticEvent

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "gold"


def make_article(body: str, published: str = "2024-03-14", article_id: str = "t") -> Article:
    when = datetime.fromisoformat(published)
    return Article(article_id=article_id, body=body, published_at=when if when.tzinfo else when.replace(tzinfo=UTC))


@pytest.fixture
def extract_text():
    from streams.core.extract import extract

    def run(body: str, published: str = "2024-03-14") -> list[DiplomaticEvent]:
        return extract(make_article(body, published))

    return run
