"""Records a hostile (or merely broken) producer puts on ``articles``, named by kind.

Shared by the conservation test (tests/integration/test_conservation.py), the
direct fuzz of the core (tests/unit/test_fuzz_core.py) and the 240-record run
(benchmarks/bench_hostile.py). Each kind is a hypothesis strategy of
``(key, value)``; :data:`KINDS` holds the ones issue 11 lists, and
:func:`invented` the ones hypothesis makes up. :func:`fixed_batch` gives a
deterministic mix without hypothesis's engine, for the scripted run.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable

from hypothesis import strategies as st

from schemas import Article
from streams.core.ingest import IngestError, iter_articles
from tests.conftest import SEEDS

Record = tuple[bytes | None, bytes | None]

BIG_BODY_BYTES = 2_400_000
"""Over the default ``max_article_bytes`` (2 MiB), as in issue 11."""


def seed_articles() -> list[Article]:
    return [a for a in iter_articles([SEEDS]) if not isinstance(a, IngestError)]


def article_json(article_id: str = "h", body: object = "Text.", published_at: object = "2024-03-01T00:00:00Z") -> bytes:
    return json.dumps({"article_id": article_id, "body": body, "published_at": published_at}).encode()


def deep(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def deep_in_body(depth: int) -> bytes:
    return b'{"article_id": "d", "published_at": "2024-03-01T00:00:00Z", "body": ' + deep(depth) + b"}"


def lone_surrogate(where: int) -> bytes:
    # json.dumps escapes the surrogate as \ud83d, which is valid JSON and decodes to a lone surrogate
    return article_json("s", "Putin visited" + "\ud83d" * (1 + where % 3) + " Pyongyang.")


def invalid_utf8(noise: bytes) -> bytes:
    return (
        b'{"article_id": "u", "body": "caf\xe9 '
        + noise.replace(b'"', b"")
        + b'", "published_at": "2024-01-01T00:00:00Z"}'
    )


def big_body(size: int) -> bytes:
    return article_json("big", "a" * size)


IMPOSSIBLE_DATES = [
    "2024-02-30T00:00:00Z",
    "2023-13-01T00:00:00Z",
    "9999-99-99T99:99:99Z",
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z",  # valid ISO, before Kafka's epoch
    "1969-12-31T23:59:59Z",
    "2099-01-01T00:00:00Z",  # far in the future
    "2024-03-01T00:00:00",  # no time zone
    "yesterday",
    "",
]

WRONG_TYPES = [
    {"article_id": 5, "body": "Text.", "published_at": "2024-01-01T00:00:00Z"},
    {"article_id": "a", "body": ["Text."], "published_at": "2024-01-01T00:00:00Z"},
    {"article_id": "a", "body": "Text.", "published_at": True},
    {"article_id": "a", "body": {"text": "x"}, "published_at": 1_700_000_000},
    {"article_id": None, "body": None, "published_at": None},
    {"article_id": "a", "body": "Text.", "published_at": "2024-01-01T00:00:00Z", "extra": 1},
    {"article_id": "x" * 500, "body": "Text.", "published_at": "2024-01-01T00:00:00Z"},
    {"article_id": "a", "title": 7, "body": "Text.", "published_at": "2024-01-01T00:00:00Z"},
]


QUIET_BODIES = [
    "The council met on Tuesday to discuss the new bus timetable.",
    "Rain is expected across the region this weekend, forecasters said.",
    "Shares closed higher on Friday after a quiet session.",
]


def good(article: Article, tag: int) -> Record:
    copy = article.model_copy(update={"article_id": f"{article.article_id}-{tag}"})
    return copy.article_id.encode(), copy.model_dump_json().encode()


def keyed(value: st.SearchStrategy[bytes | None]) -> st.SearchStrategy[Record]:
    """Values with the keys a hostile producer uses: none, binary, or far longer than an article id."""
    keys = st.one_of(st.none(), st.binary(max_size=40), st.integers(2_000, 20_000).map(lambda n: b"k" * n))
    return st.tuples(keys, value)


_seeds = seed_articles()

KINDS: dict[str, st.SearchStrategy[Record]] = {
    "good article": st.builds(good, st.sampled_from(_seeds), st.integers(0, 10**9)),
    "article without events": st.builds(
        lambda n, body: (f"quiet-{n}".encode(), article_json(f"quiet-{n}", body)),
        st.integers(0, 10**9),
        st.sampled_from(QUIET_BODIES),
    ),
    "random bytes": keyed(st.binary(min_size=1, max_size=2000)),
    "empty value": keyed(st.just(b"")),
    "no value (tombstone)": keyed(st.none()),
    "JSON null": keyed(st.just(b"null")),
    "JSON list": keyed(st.lists(st.integers() | st.text(max_size=5), max_size=5).map(lambda v: json.dumps(v).encode())),
    "wrong field types": keyed(st.sampled_from(WRONG_TYPES).map(lambda d: json.dumps(d).encode())),
    "5,000-deep nesting": keyed(
        st.sampled_from([deep(5000), deep_in_body(5000), b'{"a":' * 5000 + b"1" + b"}" * 5000])
    ),
    "lone surrogates": keyed(st.integers(0, 10).map(lone_surrogate)),
    "invalid UTF-8": keyed(st.binary(max_size=50).map(invalid_utf8)),
    "2.4 MB body": keyed(st.integers(BIG_BODY_BYTES, BIG_BODY_BYTES + 100_000).map(big_body)),
    "impossible date": keyed(st.sampled_from(IMPOSSIBLE_DATES).map(lambda d: article_json("t", "Text.", d))),
    "empty body": keyed(st.sampled_from(["", " ", "\n\t "]).map(lambda b: article_json("e", b))),
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


def invented() -> st.SearchStrategy[Record]:
    """What hypothesis makes up: any JSON, article-shaped objects with any field values, any text."""
    fields = st.fixed_dictionaries(
        {"article_id": json_values | st.text(min_size=1, max_size=30), "body": json_values | st.text(max_size=300)},
        optional={
            "published_at": json_values | st.datetimes().map(lambda d: d.isoformat() + "Z"),
            "title": json_values,
            "url": json_values,
            "schema_version": json_values,
        },
    )
    return keyed(
        st.one_of(
            json_values.map(lambda v: json.dumps(v).encode()),
            fields.map(lambda v: json.dumps(v).encode()),
            st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
        )
    )


def any_record() -> st.SearchStrategy[Record]:
    return st.one_of(*KINDS.values(), invented())


def fixed_batch(count: int, seed: int = 11) -> list[tuple[str, Record]]:
    """``count`` records, one of each kind and then a seeded random mix, shuffled, each with its kind's name.

    Plain ``random`` picks kinds and sizes (not hypothesis's engine), so the scripted run is the same
    every time.
    """
    rng = random.Random(seed)
    makers: dict[str, Callable[[], Record]] = {
        "good article": lambda: good(rng.choice(_seeds), rng.randrange(10**9)),
        "article without events": lambda: (b"quiet", article_json("quiet", rng.choice(QUIET_BODIES))),
        "random bytes": lambda: (None, rng.randbytes(rng.randint(1, 2000))),
        "empty value": lambda: (b"empty", b""),
        "no value (tombstone)": lambda: (b"tombstone", None),
        "JSON null": lambda: (None, b"null"),
        "JSON list": lambda: (b"list", json.dumps([1, "two", None]).encode()),
        "wrong field types": lambda: (b"types", json.dumps(rng.choice(WRONG_TYPES)).encode()),
        "5,000-deep nesting": lambda: (b"deep", rng.choice([deep(5000), deep_in_body(5000)])),
        "lone surrogates": lambda: (b"surrogate", lone_surrogate(rng.randrange(10))),
        "invalid UTF-8": lambda: (b"utf8", invalid_utf8(rng.randbytes(20))),
        "2.4 MB body": lambda: (b"big", big_body(BIG_BODY_BYTES + rng.randrange(100_000))),
        "impossible date": lambda: (b"date", article_json("t", "Text.", rng.choice(IMPOSSIBLE_DATES))),
        "empty body": lambda: (b"blank", article_json("e", " ")),
        "long key": lambda: (b"k" * 10_000, b"not json"),
    }
    names = list(makers)
    out = [(name, makers[name]()) for name in names]
    while len(out) < count:  # about one in six a good article, as a stream among hostile records would have
        name = "good article" if rng.random() < 1 / 6 else rng.choice(names)
        out.append((name, makers[name]()))
    rng.shuffle(out)
    return out[:count]
