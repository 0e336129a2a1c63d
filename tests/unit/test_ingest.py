"""Article files to Articles: metadata, boilerplate, and bad input that never crashes a run."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from streams.core.ingest import IngestError, iter_articles, parse_text, read_article
from tests.conftest import SEEDS


def test_seeds_take_metadata_from_the_manifest():
    articles = [a for a in iter_articles([SEEDS]) if not isinstance(a, IngestError)]
    assert len(articles) == 5
    manifest = {m["id"]: m for m in json.loads((SEEDS / "manifest.json").read_text())}
    for a in articles:
        assert a.published_at.date().isoformat() == manifest[a.article_id]["published"]
        assert a.title == manifest[a.article_id]["title"]


def test_metadata_from_the_text_itself():
    text = (
        "Skip to content\n\nLeaders meet in Hanoi — Example News\n\nBy [AFP](#)\n\nSeptember 14, 2023\n\n"
        "The body starts here.\n\nCaption printed twice for the photo above it.\n"
        "Caption printed twice for the photo above it.\n\nLeave a Reply\nYour email address will not be published."
    )
    parsed = parse_text(text)
    assert parsed.title == "Leaders meet in Hanoi"
    assert parsed.outlet == "Example News"
    assert parsed.published == datetime(2023, 9, 14, tzinfo=UTC)
    assert parsed.body.count("Caption printed twice") == 1
    assert "Leave a Reply" not in parsed.body and "Skip to content" not in parsed.body


def test_korean_style_dateline_keeps_its_time_zone():
    parsed = parse_text(
        "A headline about talks\n\nPosted on : 2024-01-22 16:58 KST Modified on : 2024-01-22 16:58 KST\nBody."
    )
    assert parsed.published == datetime(2024, 1, 22, 16, 58, tzinfo=timezone(timedelta(hours=9)))


def test_non_english_tail_and_related_stories_are_cut():
    parsed = parse_text("Title line here\n\nBody sentence.\n\nবার্তা সূত্র\n\nRelated stories\n\nOther headline")
    assert parsed.body == "Title line here\n\nBody sentence."


def test_json_articles(tmp_path: Path):
    path = tmp_path / "a1.json"
    path.write_text(json.dumps({"title": "T", "body": "Body text.", "published": "2024-05-01", "url": "https://x"}))
    article = read_article(path)
    assert (article.article_id, article.title, article.url) == ("a1", "T", "https://x")
    assert article.body.startswith("T\n")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"caf\xe9 au lait", "UTF-8"),
        (b"Skip to content\n", "boilerplate"),
    ],
)
def test_bad_files_give_one_line_reasons(tmp_path: Path, content: bytes, reason: str):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=reason) as info:
        read_article(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"Putin visited Pyongyang. " * 420_000)  # ~10 MB
    with pytest.raises(IngestError, match="too large"):
        read_article(path)


def test_a_bad_file_does_not_stop_the_rest(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Title\n\nSeptember 1, 2024\n\nBody one.")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "c.txt").write_text("Title\n\nSeptember 2, 2024\n\nBody two.")
    results = list(iter_articles([tmp_path]))
    assert [type(r).__name__ for r in results] == ["Article", "IngestError", "Article"]


@pytest.mark.parametrize(
    ("first_paragraph", "body_starts", "published"),
    [
        ("NAIROBI, Kenya (AP) — The United States warned Ethiopia.", "The United States warned", None),
        ("WASHINGTON, Nov. 13 (UPI) -- The White House warned Congress.", "The White House warned", None),
        ("RIYADH (Reuters) - Saudi Arabia invited Iran's minister.", "Saudi Arabia invited", None),
        ("MAR-A-LAGO, United States, April 6 (Xinhua) -- Xi invited Trump.", "Xi invited Trump", None),
        (
            "ABUJA, Thursday 14 March 2024: Tinubu received Akufo-Addo.",
            "Tinubu received",
            datetime(2024, 3, 14, tzinfo=UTC),
        ),
        (
            "Islamabad, (APP - 27th Jan, 2023) : Sharif met Erdogan.",
            "Sharif met Erdogan",
            datetime(2023, 1, 27, tzinfo=UTC),
        ),
        ("BEIJING - China warned Lithuania.", "China warned Lithuania", None),
    ],
)
def test_a_dateline_is_cut_from_the_story_and_gives_its_dated_day(first_paragraph, body_starts, published):
    """The place a story was filed from is no party to its events; its dated day is a publication date."""
    for text in (f"Headline of the story\n\n{first_paragraph}\n\nMore text.", f"{first_paragraph}\n\nMore text."):
        parsed = parse_text(text)
        assert body_starts in parsed.body
        assert first_paragraph.split()[0].rstrip(",") not in parsed.body.split("\n\n")[-2]
        assert parsed.published == published


@pytest.mark.parametrize(
    "line",
    [
        "US President Joe Biden said: we will act.",
        "Kenya - Uganda talks resume",
        "Addressing the crisis, Fernandez said: help us.",
        "UN: The council met.",
    ],
)
def test_lines_that_only_look_like_datelines_are_kept(line):
    assert line in parse_text(f"Headline of the story\n\n{line}\n\nMore text.").body
