"""Bytes and files to :class:`~schemas.Article`: metadata, boilerplate, limits.

Scraped news arrives with page furniture (skip links, comment forms, captions
printed twice, a line in another script at the end). The extractor should see
the article as a reader does, so that evidence offsets point into clean text.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import dateparser

from schemas import Article

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
ARTICLE_SUFFIXES = (".txt", ".json")
MANIFEST_NAME = "manifest.json"

Warn = Callable[[str], None]
"""Told, in one line, what a reader should know about an article that was read anyway."""


class IngestError(Exception):
    """An article that cannot be read; ``str()`` is a one-line reason naming the source."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    article_id: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class _Rules:
    drop: tuple[re.Pattern[str], ...]
    cut: tuple[re.Pattern[str], ...]
    timezones: dict[str, int]
    dateline: re.Pattern[str]


@cache
def _rules() -> _Rules:
    data = tomllib.loads((DATA_DIR / "ingest.toml").read_text(encoding="utf-8"))
    flags = re.IGNORECASE
    return _Rules(
        drop=tuple(re.compile(p, flags) for p in data["drop"]),
        cut=tuple(re.compile(p, flags) for p in data["cut"]),
        timezones=dict(data["timezones"]),
        dateline=re.compile(data["dateline"], re.VERBOSE),
    )


# --- bytes -> text -----------------------------------------------------------------------------


def decode(raw: bytes, source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode article bytes as UTF-8, refusing what is not an article."""
    if len(raw) > max_bytes:
        raise IngestError(source, f"too large: {len(raw):,} bytes, limit {max_bytes:,}")
    if not raw.strip():
        raise IngestError(source, "empty")
    if b"\x00" in raw[:8192]:
        raise IngestError(source, "binary file (NUL bytes), not a text article")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(source, f"not valid UTF-8 (byte {exc.start}: {raw[exc.start : exc.start + 1]!r})") from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.01 * min(len(text), 8192):
        raise IngestError(source, "binary file (control characters), not a text article")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- metadata from text ------------------------------------------------------------------------

_POSTED = re.compile(
    r"(?:posted|published|updated)(?: on)?\s*:?\s*(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}))?\s*([A-Z]{2,4})?",
    re.IGNORECASE,
)
_MONTH_DATE = re.compile(
    r"\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.? \d{1,2},? \d{4}\b"
)
_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}))?")
_BYLINE = re.compile(r"^by\s+(.+)$", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"^(?P<title>.{10,}?)\s+(?:—|–|\||-)\s+(?P<outlet>[^—–|]{2,40})$")
_SOURCE_LINE = re.compile(r"^source:\s*(?P<outlet>.+?)(?:\s+and news agencies)?\.?$", re.IGNORECASE)
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_URL = re.compile(r"<?(https?://[^\s>]+)>?")
_HEADING = re.compile(r"^#{1,6}\s+")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_METADATA_SCAN_LINES = 12


def _parse_published(line: str) -> datetime | None:
    """A publication time from a dateline or byline, or None when the line has none."""
    if m := _POSTED.search(line):
        tz_minutes = _rules().timezones.get((m.group(3) or "UTC").upper(), 0)
        tz = timezone(timedelta(minutes=tz_minutes))
        day = date.fromisoformat(m.group(1))
        hhmm = time.fromisoformat(m.group(2).zfill(5)) if m.group(2) else time(0, 0)
        return datetime.combine(day, hhmm, tzinfo=tz)
    if m2 := _MONTH_DATE.search(line):
        parsed = dateparser.parse(m2.group(), languages=["en"], settings={"RETURN_AS_TIMEZONE_AWARE": False})
        if parsed:
            return parsed.replace(tzinfo=UTC)
    return None


def _dateline(line: str) -> tuple[str, datetime | None] | None:
    """``line`` without its opening dateline and the dateline's dated day, or None when it has none."""
    m = _rules().dateline.match(line)
    if m is None or m.end() >= len(line) or (m.group("titled") and not (m.group("date") or m.group("agency"))):
        return None
    if m.group("caps") and len(m.group("caps")) < 3:
        return None  # "A -", "US:": a word, not a place
    when = None
    for text in (m.group("date"), m.group("agency")):
        if text and (found := _DAY_MONTH_YEAR.search(text)):
            parsed = dateparser.parse(found.group(), languages=["en"], settings={"RETURN_AS_TIMEZONE_AWARE": False})
            when = parsed.replace(tzinfo=UTC) if parsed else None
            break
    return line[m.end() :], when


_DAY_MONTH_YEAR = re.compile(
    r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
)


def parse_manifest_date(value: str) -> datetime:
    """Manifest dates are ISO dates or datetimes; a date alone means midnight UTC."""
    if len(value) == 10:
        return datetime.combine(date.fromisoformat(value), time(0, 0), tzinfo=UTC)
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _agency(byline: str) -> str | None:
    """A byline names an outlet only when it is an agency ("AFP", "[Reuters](...)"), not an author."""
    linked = _MD_LINK.fullmatch(byline.strip())
    name = (linked.group(1) if linked else byline).strip()
    return name if linked or (name.isupper() and len(name) <= 8) else None


def _is_foreign_script(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    if not letters:
        return False
    non_latin = sum(1 for ch in letters if ord(ch) > 0x24F)
    return non_latin / len(letters) > 0.5


def _matches(patterns: Iterable[re.Pattern[str]], line: str) -> bool:
    return any(p.fullmatch(line) for p in patterns)


@dataclass(slots=True)
class _Parsed:
    title: str | None
    outlet: str | None
    url: str | None
    published: datetime | None
    body: str


def parse_text(text: str) -> _Parsed:
    """Split raw article text into metadata and a clean body (headline first)."""
    rules = _rules()
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: datetime | None = None
    kept: list[str] = []
    seen: set[str] = set()
    dated_line = False  # only the story's first dateline is cut
    for index, raw_line in enumerate(text.split("\n")):
        line = _BOLD.sub(r"\1", _HEADING.sub("", raw_line.strip()))
        if not line:
            if kept and kept[-1] != "":
                kept.append("")
            continue
        if _matches(rules.cut, line):
            break
        if m := _URL.fullmatch(line):
            url = url or m.group(1)
            continue
        if _matches(rules.drop, line):
            if m := _URL.search(line):
                url = url or m.group(1)
            if linked := _MD_LINK.search(line):
                outlet = outlet or (linked.group(1) if line.lower().startswith("by") else None)
            continue
        if _is_foreign_script(line):
            continue
        if m := _SOURCE_LINE.fullmatch(line):
            outlet = outlet or m.group("outlet")
            continue
        early = index < _METADATA_SCAN_LINES or title is None
        if early and published is None and len(line) < 120 and (when := _parse_published(line)):
            published = when
            if by := _BYLINE.match(_MONTH_DATE.sub("", line).strip()):
                outlet = outlet or _agency(by.group(1))
            continue
        if early and title is not None and (by := _BYLINE.match(line)) and len(line) < 80:
            outlet = outlet or _agency(by.group(1))
            continue
        if early and not dated_line and (cut := _dateline(line)) is not None:
            dated_line = True  # the story's first paragraph, even where the page printed no headline
            line, when = cut
            published = published or when
        if title is None:
            if m := _TITLE_SUFFIX.match(line):
                title, outlet = m.group("title").strip(), m.group("outlet").strip()
            else:
                title = line
            line = title
        if len(line) > 30 and line in seen:
            continue  # a caption printed twice
        seen.add(line)
        kept.append(line)
    body = "\n".join(kept).strip()
    return _Parsed(title=title, outlet=outlet, url=url, published=published, body=body)


# --- assembling articles -----------------------------------------------------------------------


def article_from_text(
    article_id: str,
    text: str,
    *,
    source: str | None = None,
    meta: ManifestEntry | None = None,
    fallback_published: datetime | None = None,
    warn: Warn | None = None,
) -> Article:
    """Build an Article; manifest metadata wins over what the text says about itself.

    ``fallback_published`` stands in when neither gives a date, and ``warn`` is told so: every
    relative date of the story ("on Tuesday", "next month") is then read against it.
    """
    parsed = parse_text(text)
    where = source or article_id
    if not parsed.body:
        raise IngestError(where, "no article text left after removing page boilerplate")
    published = parse_manifest_date(meta.published) if meta and meta.published else parsed.published
    if published is None and fallback_published is not None:
        published = fallback_published
        if warn is not None:
            warn(
                f"{where}: no publication date in the text or a manifest.json; its relative dates are read "
                f"against the file's time, {fallback_published.date().isoformat()} (give --published or a manifest)"
            )
    if published is None:
        raise IngestError(where, "no publication date: add it to manifest.json or give a dated byline")
    return Article(
        article_id=article_id,
        title=(meta.title if meta and meta.title else parsed.title),
        outlet=(meta.outlet if meta and meta.outlet else parsed.outlet),
        url=(meta.url if meta and meta.url else parsed.url),
        published_at=published,
        body=parsed.body,
    )


def article_from_json(article_id: str, text: str, *, source: str, meta: ManifestEntry | None = None) -> Article:
    """A JSON article: ``{"title", "body", "published", "url", "outlet"}`` (``id`` optional)."""
    try:
        doc: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(source, f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("body"), str):
        raise IngestError(source, "JSON article needs an object with a string 'body'")
    title = doc.get("title")
    raw = f"{title}\n\n{doc['body']}" if isinstance(title, str) and title.strip() else doc["body"]
    own = ManifestEntry(
        article_id=str(doc.get("id") or doc.get("article_id") or article_id),
        title=title if isinstance(title, str) else None,
        outlet=doc.get("outlet"),
        published=doc.get("published") or doc.get("published_at"),
        url=doc.get("url"),
    )
    merged = ManifestEntry(
        article_id=own.article_id,
        title=(meta and meta.title) or own.title,
        outlet=(meta and meta.outlet) or own.outlet,
        published=(meta and meta.published) or own.published,
        url=(meta and meta.url) or own.url,
    )
    try:
        return article_from_text(merged.article_id, raw, source=source, meta=merged)
    except ValueError as exc:
        raise IngestError(source, f"bad metadata: {exc}") from None


def load_manifest(folder: Path) -> dict[str, ManifestEntry]:
    """Read ``manifest.json`` (a list of entries with ``id``) if the folder has one."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IngestError(str(path), f"unreadable manifest: {exc}") from None
    out: dict[str, ManifestEntry] = {}
    for entry in entries:
        out[entry["id"]] = ManifestEntry(
            article_id=entry["id"],
            title=entry.get("title"),
            outlet=entry.get("outlet"),
            published=entry.get("published"),
            url=entry.get("url"),
        )
    return out


def read_article(
    path: Path,
    meta: ManifestEntry | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    fallback_published: datetime | None = None,
    warn: Warn | None = None,
) -> Article:
    """Read one ``.txt`` or ``.json`` article file; raises IngestError with a one-line reason.

    A text that shows no publication date takes ``fallback_published``, else the file's
    modification time, and ``warn`` hears of it.
    """
    source = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(source, f"too large: {size:,} bytes, limit {max_bytes:,}")
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(source, f"cannot read: {exc.strerror or exc}") from None
    text = decode(raw, source, max_bytes)
    if path.suffix == ".json":
        return article_from_json(path.stem, text, source=source, meta=meta)
    if fallback_published is not None:  # the caller's own date for undated files: nothing to warn of
        return article_from_text(path.stem, text, source=source, meta=meta, fallback_published=fallback_published)
    mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    return article_from_text(path.stem, text, source=source, meta=meta, fallback_published=mtime, warn=warn)


def article_paths(inputs: Iterable[Path]) -> list[Path]:
    """Expand folders into their article files (sorted); files are taken as given."""
    out: list[Path] = []
    for item in inputs:
        if item.is_dir():
            out.extend(sorted(p for p in item.iterdir() if p.suffix in ARTICLE_SUFFIXES and p.name != MANIFEST_NAME))
        else:
            out.append(item)
    return out


def iter_articles(
    inputs: Iterable[Path],
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    fallback_published: datetime | None = None,
    warn: Warn | None = None,
) -> Iterator[Article | IngestError]:
    """Every article under ``inputs``; unreadable ones are yielded as errors so the run goes on."""
    manifests: dict[Path, dict[str, ManifestEntry]] = {}
    for path in article_paths(inputs):
        try:
            folder = path.parent
            if folder not in manifests:
                manifests[folder] = load_manifest(folder)
            meta = manifests[folder].get(path.stem)
            yield read_article(path, meta, max_bytes, fallback_published=fallback_published, warn=warn)
        except IngestError as exc:
            yield exc
