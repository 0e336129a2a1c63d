"""Extraction throughput on one core (process CPU time), beside one compiled-regex pass over the same text.

The seeds are repeated; every copy gets a different publication date so that the
date caches see what a real stream shows them (new bases every day), not the same
five articles again. Prints articles/s and MB/s, and which build of the extractor
ran: the mypyc-compiled one the image ships (``make compiled``, setup.py) or the
interpreted source of a development install. Exits 1 below --min-rate.

    python benchmarks/bench_extract.py [--copies 100] [--min-rate 200]
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
from streams.core.actors import gazetteer
from streams.core.extract import extract
from streams.core.ingest import IngestError, iter_articles
from streams.core.lexicon import lexicon

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def corpus(copies: int, first_day: int = 0) -> list[Article]:
    """The seeds ``copies`` times, the i-th copy published ``first_day + i`` days later."""
    seeds = [a for a in iter_articles([SEEDS]) if not isinstance(a, IngestError)]
    return [
        Article.model_validate(
            {
                **a.model_dump(),
                "article_id": f"{a.article_id}-{day}",
                "published_at": a.published_at + timedelta(days=day),
            }
        )
        for day in range(first_day, first_day + copies)
        for a in seeds
    ]


def build() -> str:
    """Which extractor this process runs: a compiled module is an extension file, not a .py."""
    where = Path(extract_module.__file__ or "")
    return f"compiled by mypyc ({where.name})" if where.suffix != ".py" else "interpreted (development install)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100, help="times the seeds are repeated (default 100)")
    parser.add_argument("--min-rate", type=float, default=200.0, help="fail when the median is below this")
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

    extract(articles[0])  # warm imports, not caches: every other article has its own date
    rates: list[float] = []
    for run in range(args.repeat):
        # each pass its own publication dates, so no pass finds the date caches warmed by another
        batch = articles if run == 0 else corpus(args.copies, first_day=run * args.copies)
        t0 = time.process_time()
        events = sum(len(extract(a)) for a in batch)
        elapsed = time.process_time() - t0
        rates.append(len(batch) / elapsed)
    rate = statistics.median(rates)

    trigger_words = re.compile(r"\b(?:visit\w*|invit\w*|summit\w*|sanction\w*|talks|met|meet\w*)\b", re.I)
    t0 = time.process_time()
    hits = sum(len(trigger_words.findall(a.body)) for a in articles)
    regex_elapsed = time.process_time() - t0

    print(f"extractor: {build()}")
    print(f"dictionaries loaded in {startup:.2f} s (once per process)")
    print(
        f"extract: {len(articles)} articles, {megabytes:.2f} MB, {events} events per pass; median of {len(rates)} "
        f"passes {rate:,.0f} articles/s, {megabytes * rate / len(articles):.2f} MB/s "
        f"(passes: {', '.join(f'{r:,.0f}' for r in rates)})"
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
