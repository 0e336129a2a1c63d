"""Properties of the happenings core over random articles (hypothesis).

The stream sees events one at a time, articles interleaved and out of order,
redelivered and replayed; the batch command sees whole articles in publication
order. Both must give the same happenings and ids, and a lane's state must stay
within its bounds.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas import CAMEO_CODES, DiplomaticEvent, EventType, make_pair
from streams.core.happenings import Fuser, Rules

PERSONS = {"RUS": [None, "Vladimir Putin", "Sergei Lavrov"], "PRK": [None, "Kim Jong Un", "Choe Son-hui"]}
START = datetime(2023, 9, 1, tzinfo=UTC)

fast = settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def an_event(draw: st.DrawFn, article: str, published: datetime, index: int) -> DiplomaticEvent:
    kind = draw(st.sampled_from([EventType.VISIT, EventType.SUMMIT, EventType.INVITATION]))
    source, target = draw(st.permutations(["RUS", "PRK"]))
    if kind is EventType.SUMMIT:
        source, target = sorted((source, target))
    person = None if kind is EventType.SUMMIT else draw(st.sampled_from(PERSONS[source]))
    status = draw(st.sampled_from(["occurred", "planned", "possible"]))
    precision = draw(st.sampled_from(["unknown", "day", "day", "month", "year"]))
    when = until = None
    if precision != "unknown":
        day = published.date() + timedelta(days=draw(st.integers(-60, 60)))
        when = {"day": day, "month": day.replace(day=1), "year": date(day.year, 1, 1)}[precision]
        if precision == "day" and draw(st.booleans()):
            until = when + timedelta(days=draw(st.integers(1, 4)))
    return DiplomaticEvent(
        event_id=hashlib.sha256(f"{article}|{index}".encode()).hexdigest()[:24],
        article_id=article,
        type=kind,
        cameo=CAMEO_CODES[kind],
        source=source,
        target=target,
        pair=make_pair(source, target),
        person=person,
        status=status,
        date=when,
        date_end=until,
        precision=precision,
        evidence="x",
        evidence_start=0,
        evidence_end=1,
        mentions=1,
        confidence=draw(st.sampled_from([0.5, 0.7, 0.9])),
        published_at=published,
        extractor_version="test",
    )


@st.composite
def articles(draw: st.DrawFn, max_articles: int = 12) -> list[list[DiplomaticEvent]]:
    """Articles over a few days, several on the same day (and at the same time), 1-4 events each."""
    out = []
    for i in range(draw(st.integers(1, max_articles))):
        published = START + timedelta(days=draw(st.integers(0, 4)), hours=draw(st.sampled_from([0, 0, 9])))
        out.append([draw(an_event(f"art{i:02d}", published, k)) for k in range(draw(st.integers(1, 4)))])
    return out


def in_publication_order(arts: list[list[DiplomaticEvent]]) -> list[list[DiplomaticEvent]]:
    return sorted(arts, key=lambda a: (a[0].published_at, min(e.event_id for e in a)))


def batch(arts: list[list[DiplomaticEvent]], rules: Rules | None = None) -> Fuser:
    fuser = Fuser(rules)
    for a in sorted(arts, key=lambda a: (a[0].published_at, a[0].article_id)):
        fuser.add(a)
    return fuser


def as_stream(arts: list[list[DiplomaticEvent]], seed: int) -> list[DiplomaticEvent]:
    """Every event alone, articles interleaved in a random order (each article's own events in order)."""
    rng = random.Random(seed)
    queues = [list(a) for a in arts]
    out = []
    while any(queues):
        q = rng.choice([q for q in queues if q])
        out.append(q.pop(0))
    return out


@fast
@given(articles(), st.integers(0, 2**32))
def test_events_one_at_a_time_in_any_order_give_the_batch_happenings_and_ids(arts, seed):
    stream = Fuser()
    latest = {}
    for e in as_stream(arts, seed):
        for u in stream.add([e]):
            latest[u.happening_id] = u.happening
    want = batch(arts).happenings()
    assert stream.happenings() == want
    # and what was sent, latest record per id with tombstones removing, is that too
    assert sorted((h for h in latest.values() if h), key=lambda h: (h.counted_at, h.happening_id)) == want


@fast
@given(articles())
def test_replaying_the_same_events_changes_nothing(arts):
    fuser = batch(arts)
    before = fuser.happenings()
    for a in arts:
        assert fuser.add(a) == []
    assert fuser.happenings() == before


@fast
@given(articles(), st.data())
def test_reports_of_one_article_arriving_twice_count_once(arts, data):
    twice = data.draw(st.lists(st.sampled_from(range(len(arts))), max_size=4))
    fuser = Fuser()
    for a in in_publication_order(arts):
        fuser.add(a)
    for i in twice:
        fuser.add(arts[i][: data.draw(st.integers(1, len(arts[i])))])
    got = fuser.happenings()
    assert got == batch(arts).happenings()
    assert sum(h.reports for h in got) == sum(len(a) for a in arts)


@fast
@given(articles(), st.randoms(use_true_random=False))
def test_shuffling_articles_of_the_same_day_gives_the_same_number_of_happenings(arts, rng):
    shuffled = list(arts)
    rng.shuffle(shuffled)
    shuffled.sort(key=lambda a: a[0].published_at.date())  # stable: same-day articles stay shuffled
    fuser = Fuser()
    for a in shuffled:
        fuser.add(a)
    assert len(fuser.happenings()) == len(batch(arts).happenings())


@fast
@given(articles())
def test_in_publication_order_no_happening_is_ever_withdrawn_and_ids_only_accumulate(arts):
    """Articles published one after another (a tie is broken per lane by the smallest event id, which no single
    order of whole articles can follow for every lane at once: so each article here has its own minute)."""
    arts = [
        [e.model_copy(update={"published_at": e.published_at + timedelta(minutes=i)}) for e in a]
        for i, a in enumerate(arts)
    ]
    fuser = Fuser()
    seen: set[str] = set()
    for a in in_publication_order(arts):
        updates = fuser.add(a)
        assert all(u.happening is not None for u in updates)
        seen |= {u.happening_id for u in updates}
        assert {h.happening_id for h in fuser.happenings()} == seen


@settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 40), min_size=1, max_size=120), st.integers(0, 2**32))
def test_a_lane_stays_within_its_retention_and_report_cap(gaps, seed):
    """A worker runs forever: whatever the stream, a lane holds at most its cap, no happening last reported
    before its retention, and its indexes agree with its happenings."""
    rules = Rules(retention=timedelta(days=60), max_reports_per_lane=25)
    rng = random.Random(seed)
    fuser = Fuser(rules)
    published = START
    for i, gap in enumerate(gaps):
        published += timedelta(days=gap)
        fuser.add([_visit(f"a{i}", published, published.date() - timedelta(days=rng.randint(0, 30)))])
        for lane in fuser.lanes.values():
            assert len(lane.reports) <= rules.max_reports_per_lane
            assert lane.newest is not None
            # a happening is forgotten, reports and all, once its last report is past the retention
            assert all(h.reports[-1].published_at >= lane.newest - rules.retention for h in lane.happenings)
            assert sum(len(ids) for ids in lane.articles.values()) == len(lane.reports)
            assert sum(len(h.reports) for h in lane.happenings) == len(lane.reports)


def _visit(article: str, published: datetime, when: date) -> DiplomaticEvent:
    return DiplomaticEvent(
        event_id=hashlib.sha256(article.encode()).hexdigest()[:24],
        article_id=article,
        type=EventType.VISIT,
        cameo="042",
        source="RUS",
        target="PRK",
        pair="PRK-RUS",
        status="occurred",
        date=when,
        precision="day",
        evidence="x",
        evidence_start=0,
        evidence_end=1,
        mentions=1,
        confidence=0.7,
        published_at=published,
        extractor_version="test",
    )
