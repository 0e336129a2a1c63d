"""Happenings fusion throughput on one core (process CPU time), in order and as a stream sees it.

The seeds' events are repeated, each copy re-dated a day later (its own article and
event ids, its dates shifted with it), so lanes fill up to their report cap as a
long-running worker's do. Three runs over the same events:

- *batch*: whole articles in publication order (``diplostream happenings``);
- *stream, in order*: one event at a time, articles in publication order;
- *stream, shuffled days*: one event at a time, the articles of each day in a random
  order (several extraction partitions interleaving), which re-matches lanes.

Prints events/s for each, the largest lane and the largest table record (bytes of
JSON: the changelog record the agent writes per report). Exits 1 below --min-rate on the shuffled run.

    python benchmarks/bench_happenings.py [--copies 400] [--min-rate 500]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

from schemas import DiplomaticEvent
from streams.core.extract import extract
from streams.core.happenings import Fuser
from streams.kafka.producer import load_articles

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def corpus(copies: int) -> list[list[DiplomaticEvent]]:
    """Per article, its events; copy ``i`` of each seed published ``i`` days later, dates shifted alike."""
    seeds, _ = load_articles([SEEDS], 2 * 1024 * 1024)
    base = [extract(a) for a in seeds]
    out = []
    for i in range(copies):
        shift = timedelta(days=i)
        for events in base:
            out.append(
                [
                    e.model_copy(
                        update={
                            "article_id": f"{e.article_id}-{i}",
                            "event_id": hashlib.sha256(f"{e.event_id}|{i}".encode()).hexdigest()[:24],
                            "published_at": e.published_at + shift,
                            "date": e.date + shift if e.date else None,
                            "date_end": e.date_end + shift if e.date_end else None,
                        }
                    )
                    for e in events
                ]
            )
    return sorted(out, key=lambda a: (a[0].published_at, a[0].article_id))


def run(articles: list[list[DiplomaticEvent]], one_at_a_time: bool) -> tuple[float, Fuser]:
    fuser = Fuser()
    started = time.process_time()
    for events in articles:
        if one_at_a_time:
            for e in events:
                fuser.add([e])
        else:
            fuser.add(events)
    return time.process_time() - started, fuser


def shuffled_days(articles: list[list[DiplomaticEvent]], seed: int = 7) -> list[list[DiplomaticEvent]]:
    rng = random.Random(seed)
    days: dict[object, list[list[DiplomaticEvent]]] = {}
    for a in articles:
        days.setdefault(a[0].published_at.date(), []).append(a)
    out = []
    for day in sorted(days):  # type: ignore[type-var]
        group = days[day]
        rng.shuffle(group)
        out += group
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=400)
    parser.add_argument("--min-rate", type=float, default=0.0, help="events/s the shuffled stream run must reach")
    args = parser.parse_args()
    articles = corpus(args.copies)
    n = sum(map(len, articles))
    rate = 0.0
    for name, arts, single in (
        ("batch", articles, False),
        ("stream, in order", articles, True),
        ("stream, shuffled days", shuffled_days(articles), True),
    ):
        seconds, fuser = run(arts, single)
        rate = n / seconds if seconds else float("inf")
        held = max(len(lane.reports) for lane in fuser.lanes.values())
        record = max(len(json.dumps(r.to_json())) for lane in fuser.lanes.values() for r in lane.reports.values())
        print(
            f"{name:>22}: {n} events in {seconds:.2f} s CPU = {rate:,.0f} events/s; "
            f"{len(fuser.happenings())} happenings held, largest lane {held} reports; table records <= {record} bytes"
        )
    return 1 if rate < args.min_rate else 0


if __name__ == "__main__":
    sys.exit(main())
