"""Extraction throughput on one core (process CPU time), parser included, beside one regex pass.

No two articles are the same text: each copy of the seeds has its pair of countries, their
capitals, demonyms and leaders swapped for another pair's and its years shifted (a pair and a
shift per copy), and is published on its own day, so neither the date caches nor anything else
can serve a copy from an earlier one. The real-news corpus (tests/data/realnews, every article
different) is measured too. Throughput is given in seed-size articles/s (words/s over the seeds'
mean length) so both corpora read on one scale, with the share of sentences the parser parsed.
Prints which build ran: the mypyc-compiled one the image ships (``make compiled``) or the
interpreted source. Exits 1 below --min-rate (seed-size articles/s on the varied seeds).

    python benchmarks/bench_extract.py [--copies 100] [--min-rate 30]
    make bench      # both builds; the compiled one is held to the target
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from schemas import Article
from streams.core import extract as extract_module
from streams.core import sentence as sentence_module
from streams.core import syntax
from streams.core.actors import gazetteer
from streams.core.extract import extract
from streams.core.ingest import IngestError, iter_articles
from streams.core.lexicon import lexicon
from streams.core.text import sentences

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


REAL_NEWS = SEEDS.parent / "tests" / "data" / "realnews"

# (country, demonym, capital, leader, leader's surname) for the seeds' two sides: North Korea's
# words are replaced by the first of a pair, Russia's by the second
SIDES = [
    (("Kenya", "Kenyan", "Nairobi", "William Ruto", "Ruto"), ("Brazil", "Brazilian", "Brasilia", "Xi Jinping", "Xi")),
    (
        ("India", "Indian", "New Delhi", "Narendra Modi", "Modi"),
        ("France", "French", "Paris", "Emmanuel Macron", "Macron"),
    ),
    (
        ("Kazakhstan", "Kazakh", "Astana", "Kassym-Jomart Tokayev", "Tokayev"),
        ("Uzbekistan", "Uzbek", "Tashkent", "Shavkat Mirziyoyev", "Mirziyoyev"),
    ),
    (
        ("Nigeria", "Nigerian", "Abuja", "Bola Tinubu", "Tinubu"),
        ("South Africa", "South African", "Pretoria", "Cyril Ramaphosa", "Ramaphosa"),
    ),
    (
        ("Argentina", "Argentine", "Buenos Aires", "Javier Milei", "Milei"),
        ("Poland", "Polish", "Warsaw", "Andrzej Duda", "Duda"),
    ),
    (
        ("Japan", "Japanese", "Tokyo", "Fumio Kishida", "Kishida"),
        ("Australia", "Australian", "Canberra", "Anthony Albanese", "Albanese"),
    ),
    (
        ("Indonesia", "Indonesian", "Jakarta", "Joko Widodo", "Widodo"),
        ("China", "Chinese", "Beijing", "Xi Jinping", "Xi"),
    ),
    (
        ("North Korea", "North Korean", "Pyongyang", "Kim Jong Un", "Kim"),
        ("Russia", "Russian", "Moscow", "Vladimir Putin", "Putin"),
    ),
]


def _swap(text: str, a: tuple[str, ...], b: tuple[str, ...]) -> str:
    """The seeds' North Korea and Russia words replaced by sides ``a`` and ``b``, in one pass."""
    table = {
        "North Korean": a[1], "North Korea": a[0], "DPRK": a[0], "Pyongyang": a[2],
        "Kim Jong Un": a[3], "Kim Jong-Un": a[3], "Kim": a[4],
        "Russian": b[1], "Russia": b[0], "Moscow": b[2], "Vladimir Putin": b[3], "Putin": b[4],
        "Kremlin": "presidency",
    }  # fmt: skip
    words = re.compile("|".join(re.escape(w) for w in sorted(table, key=len, reverse=True)))
    return words.sub(lambda m: table[m.group()], text)


def _shift_years(text: str, years: int) -> str:
    return re.sub(r"\b(19[5-9]\d|20\d\d)\b", lambda m: str(int(m.group()) + years), text) if years else text


def corpus(copies: int, first_day: int = 0) -> list[Article]:
    """``copies`` copies of the seeds, each its own text: a pair of sides and a shift of years per copy."""
    seeds = [a for a in iter_articles([SEEDS]) if not isinstance(a, IngestError)]
    out = []
    for i in range(first_day, first_day + copies):
        a_side, b_side = SIDES[i % len(SIDES)]
        years = i // len(SIDES)
        for a in seeds:
            published = a.published_at.replace(year=a.published_at.year + years) + timedelta(days=i % 28)
            out.append(
                Article.model_validate(
                    {
                        **a.model_dump(),
                        "article_id": f"{a.article_id}-{i}",
                        "body": _shift_years(_swap(a.body, a_side, b_side), years),
                        "title": _swap(a.title or "", a_side, b_side) or None,
                        "published_at": published,
                    }
                )
            )
    return out


def real_news() -> list[Article]:
    return [a for a in iter_articles([REAL_NEWS / "dev" / "articles", REAL_NEWS / "heldout" / "articles"])
            if not isinstance(a, IngestError)]  # fmt: skip


class ParseCount:
    """Counts the sentences :func:`streams.core.syntax.parse` is asked for (wrapped for the run)."""

    def __init__(self) -> None:
        self.parsed = 0
        self._parse = syntax.parse

    def __enter__(self) -> ParseCount:
        def counted(text: str) -> syntax.Tree:
            self.parsed += 1
            return self._parse(text)

        sentence_module.parse = counted  # the name the sentence view calls
        return self

    def __exit__(self, *_: object) -> None:
        sentence_module.parse = self._parse


def words(articles: list[Article]) -> int:
    return sum(len(a.body.split()) for a in articles)


def measure(articles: list[Article]) -> tuple[float, int, int, int]:
    """(CPU seconds, events, sentences parsed, sentences) for one pass over ``articles``."""
    sentence_count = sum(len(sentences(a.body)) for a in articles)
    with ParseCount() as count:
        t0 = time.process_time()
        events = sum(len(extract(a)) for a in articles)
        elapsed = time.process_time() - t0
    return elapsed, events, count.parsed, sentence_count


def build() -> str:
    """Which extractor this process runs: a compiled module is an extension file, not a .py."""
    where = Path(extract_module.__file__ or "")
    return f"compiled by mypyc ({where.name})" if where.suffix != ".py" else "interpreted (development install)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100, help="times the seeds are repeated (default 100)")
    parser.add_argument(
        "--min-rate", type=float, default=30.0, help="fail when the median (seed-size articles/s) is below this"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="timed passes, each over newly dated copies (default 5): a shared "
        "VM's speed drifts by a quarter from one second to the next, so one pass says little",
    )
    args = parser.parse_args()

    t0 = time.process_time()
    gazetteer()
    lexicon()
    startup = time.process_time() - t0

    articles = corpus(args.copies)
    megabytes = sum(len(a.body.encode("utf-8")) for a in articles) / 1e6
    seed_words = words(articles) / len(articles)

    extract(articles[0])  # warm imports and the parser's model, not caches: every other article is new
    rates: list[float] = []
    shares: list[float] = []
    for run in range(args.repeat):
        # each pass its own copies (other pairs, years and days), so no pass finds caches warmed by another
        batch = articles if run == 0 else corpus(args.copies, first_day=run * args.copies)
        elapsed, events, parsed, total = measure(batch)
        rates.append(words(batch) / elapsed / seed_words)
        shares.append(parsed / total)
    rate = statistics.median(rates)
    real = real_news()
    real_elapsed, real_events, real_parsed, real_total = measure(real)
    real_rate = words(real) / real_elapsed / seed_words

    trigger_words = re.compile(r"\b(?:visit\w*|invit\w*|summit\w*|sanction\w*|talks|met|meet\w*)\b", re.I)
    t0 = time.process_time()
    hits = sum(len(trigger_words.findall(a.body)) for a in articles)
    regex_elapsed = time.process_time() - t0

    print(f"extractor: {build()}; parser: {syntax.model_name()}")
    print(f"dictionaries loaded in {startup:.2f} s (once per process)")
    print(
        f"varied seeds: {len(articles)} articles per pass (no two alike), {megabytes:.2f} MB, {events} events; "
        f"median of {len(rates)} passes {rate:,.1f} seed-size articles/s "
        f"(passes: {', '.join(f'{r:,.1f}' for r in rates)}); sentences parsed {statistics.median(shares):.0%}"
    )
    print(
        f"real news: {len(real)} articles, {words(real) / len(real):.0f} words each (seeds {seed_words:.0f}), "
        f"{real_events} events: {real_rate:,.1f} seed-size articles/s "
        f"({len(real) / real_elapsed:,.1f} of their own size); sentences parsed {real_parsed / real_total:.0%}"
    )
    print(
        f"one compiled-regex pass (trigger words, {hits} hits): {regex_elapsed * 1000:.1f} ms "
        f"= {len(articles) / regex_elapsed:,.0f} articles/s, {megabytes / regex_elapsed:.1f} MB/s "
        f"({len(articles) / regex_elapsed / rate:.0f}x faster than extraction)"
    )
    if rate < args.min_rate:
        print(f"FAIL: {rate:.0f} articles/s is below {args.min_rate:.0f}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
