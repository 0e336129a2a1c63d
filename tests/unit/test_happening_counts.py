"""Happenings counted once each, on their own date, historical references apart (streams.core.happening_counts)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from schemas import Happening
from schemas.counts import Series
from streams.core.extract import extract
from streams.core.happening_counts import HappeningCounter, Placement
from streams.core.happenings import Fuser
from streams.core.ingest import IngestError, iter_articles
from streams.core.windows import WindowKey, hopping, tumbling
from tests.conftest import SEEDS
from tests.unit.test_happenings import ev

DAY = 86_400
SPECS = [tumbling(DAY), hopping(7 * DAY, DAY)]
RETENTION = 400 * DAY


def ts(day: str) -> float:
    return datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp()


def counter() -> HappeningCounter:
    return HappeningCounter(SPECS, RETENTION)


class Stream:
    """Events through a fuser and a counter, as the happenings agent does (one partition)."""

    def __init__(self, partition: int = 0) -> None:
        self.fuser = Fuser()
        self.counter = counter()
        self.partition = partition
        self.updates: dict[tuple[Series, str], int] = {}

    def add(self, *events: object) -> None:
        for event in events:
            self.counter.observe(self.partition, event.published_at.timestamp())  # type: ignore[attr-defined]
            for update in self.fuser.add([event]):  # type: ignore[list-item]
                change = self.counter.place(self.partition, update.happening_id, update.happening)
                for item in change.counts:
                    self.updates[(item.series, item.window.encode())] = item.count

    def day_count(self, series: Series, day: str, pair: str = "PRK-RUS", type_: str = "visit") -> int:
        start = ts(day)
        return self.counter.count(self.partition, series, WindowKey(SPECS[0].kind, start, start + DAY, pair, type_))


def test_five_reports_of_one_visit_count_once_on_its_own_date_not_on_their_publication_days():
    s = Stream()
    s.add(*(ev(f"a{i}", f"2023-09-{14 + i}", when=date(2023, 9, 13)) for i in range(5)))
    assert s.day_count(Series.HAPPENINGS, "2023-09-13") == 1
    assert all(s.day_count(Series.HAPPENINGS, f"2023-09-{14 + i}") == 0 for i in range(5))
    # and the newest update of each window says so: the hopping windows holding the 13th count one
    hopping_counts = [c for (series, key), c in s.updates.items() if series is Series.HAPPENINGS and "hopping" in key]
    assert hopping_counts and set(hopping_counts) == {1}


def test_an_undated_happening_is_counted_at_its_first_report_and_moves_when_a_report_dates_it():
    s = Stream()
    s.add(ev("a", "2024-03-10T09:00"))
    assert s.day_count(Series.HAPPENINGS, "2024-03-10") == 1
    s.add(ev("b", "2024-03-12", when=date(2024, 3, 8)))
    assert s.day_count(Series.HAPPENINGS, "2024-03-10") == 0
    assert s.day_count(Series.HAPPENINGS, "2024-03-08") == 1
    assert (
        s.updates[
            (
                Series.HAPPENINGS,
                WindowKey(SPECS[0].kind, ts("2024-03-10"), ts("2024-03-11"), "PRK-RUS", "visit").encode(),
            )
        ]
        == 0
    )


def test_a_visit_recalled_from_years_before_is_historical_and_never_in_current_windows():
    s = Stream()
    s.add(ev("a", "2024-06-18", when=date(2000, 7, 19)), ev("b", "2024-06-18", type_="summit", when=date(2024, 6, 17)))
    assert s.day_count(Series.HISTORICAL, "2000-07-19") == 1
    assert s.day_count(Series.HAPPENINGS, "2000-07-19") == 0
    assert s.counter.totals(Series.HISTORICAL) == {("PRK-RUS", "visit"): 1}
    assert s.counter.totals(Series.HAPPENINGS) == {("PRK-RUS", "summit"): 1}
    assert {type_ for (_, _, type_) in s.counter.current()} == {"summit"}  # "now": the summit, not the old visit


def test_the_grace_is_measured_from_the_first_report():
    s = Stream()
    s.add(ev("b", "2024-06-18", when=date(2024, 5, 25)))  # 24 days before: current
    s.add(ev("c", "2024-06-18", type_="summit", when=date(2024, 5, 1)))  # 48 days before: historical
    assert s.day_count(Series.HAPPENINGS, "2024-05-25") == 1
    assert s.day_count(Series.HISTORICAL, "2024-05-01", type_="summit") == 1
    assert s.day_count(Series.HAPPENINGS, "2024-05-01", type_="summit") == 0


def test_the_series_does_not_depend_on_the_order_partitions_interleave_their_events():
    early = ev("a", "2023-09-14", when=date(2023, 9, 13))
    later = ev("b", "2024-06-18", type_="summit", source="FRA", target="DEU", when=date(2024, 6, 17))
    in_order, reversed_ = Stream(), Stream()
    in_order.add(early, later)
    reversed_.add(later, early)  # the newest event time is June 2024 before the 2023 visit arrives
    assert in_order.counter.placements() == reversed_.counter.placements()
    assert reversed_.day_count(Series.HAPPENINGS, "2023-09-13") == 1


def test_a_current_happening_stays_current_as_the_news_moves_on():
    s = Stream()
    s.add(ev("a", "2024-01-05", when=date(2024, 1, 4)))
    s.add(ev("b", "2024-09-01", source="FRA", target="DEU"))  # months later
    s.add(ev("c", "2024-09-02", when=date(2024, 1, 4)))  # a late report of it: no change
    assert s.day_count(Series.HAPPENINGS, "2024-01-04") == 1
    assert s.day_count(Series.HISTORICAL, "2024-01-04") == 0


def test_replaying_the_same_events_changes_no_count_and_sends_nothing():
    s = Stream()
    events = [ev("a", "2023-09-14", when=date(2023, 9, 13)), ev("b", "2023-09-15", when=date(2023, 9, 13))]
    s.add(*events)
    before = dict(s.updates)
    placements = s.counter.placements()
    sent: list[object] = []
    for event in events:
        s.counter.observe(0, event.published_at.timestamp())
        for update in s.fuser.add([event]):
            sent.extend(s.counter.place(0, update.happening_id, update.happening).counts)
    assert sent == [] and s.updates == before and s.counter.placements() == placements


def test_a_withdrawn_happening_leaves_its_windows():
    c = counter()
    happening = one_happening()
    c.observe(0, happening.last_reported_at.timestamp())
    c.place(0, happening.happening_id, happening)
    change = c.place(0, happening.happening_id, None)
    assert change.placements == {happening.happening_id: None}
    assert change.counts and {item.count for item in change.counts} == {0}


def test_state_rebuilt_from_the_stored_placements_counts_as_before():
    s = Stream()
    s.add(*(ev(f"a{i}", f"2023-09-{10 + i}", when=date(2023, 9, 1 + i)) for i in range(6)))
    rebuilt = counter()
    stored = [(hid, Placement.from_json(p.to_json())) for hid, p in s.counter.placements().items()]
    rebuilt.load(stored, {0: s.counter.newest_of(0)})
    for day in range(1, 7):
        window = WindowKey(SPECS[1].kind, ts("2023-09-01"), ts("2023-09-08"), "PRK-RUS", "visit")
        assert rebuilt.count(0, Series.HAPPENINGS, window) == s.counter.count(0, Series.HAPPENINGS, window)
        assert rebuilt.count(0, Series.HAPPENINGS, window) == 6
        assert s.day_count(Series.HAPPENINGS, f"2023-09-0{day}") == 1


def test_placements_are_forgotten_after_the_retention_on_event_time():
    s = Stream()
    s.add(ev("a", "2023-01-02", when=date(2023, 1, 1)))
    assert len(s.counter.placements()) == 1
    change = s.counter.observe(0, ts("2024-03-01"))  # 425 days later
    assert change.placements and list(change.placements.values()) == [None]
    assert s.counter.placements() == {}


def test_the_partitions_count_apart():
    c = counter()
    happening = one_happening()
    c.observe(0, happening.last_reported_at.timestamp())
    c.place(0, happening.happening_id, happening)
    assert c.current({1}) == {}
    assert sum(c.current({0}).values()) >= 1


def one_happening() -> Happening:
    (update,) = Fuser().add([ev("a", "2024-03-14", when=date(2024, 3, 13))])
    assert update.happening is not None
    return update.happening


def test_the_seeds_happenings_land_on_their_own_dates() -> None:
    """The five seeds through extraction, fusion and counting: PRK-RUS counted once each, July 2000 historical."""
    articles = [a for a in iter_articles([SEEDS]) if not isinstance(a, IngestError)]
    assert len(articles) == 5
    s = Stream()
    for article in sorted(articles, key=lambda a: (a.published_at, a.article_id)):
        s.add(*extract(article))
    happenings = [h for h in s.fuser.happenings() if h is not None]
    placed = s.counter.placements()
    july_2000 = [h for h in happenings if h.type.value == "visit" and h.date and h.date.year == 2000]
    assert len(july_2000) == 1 and placed[july_2000[0].happening_id].series == Series.HISTORICAL.value
    assert s.day_count(Series.HISTORICAL, july_2000[0].counted_at.date().isoformat()) == 1
    assert s.day_count(Series.HAPPENINGS, july_2000[0].counted_at.date().isoformat()) == 0
    current = [h for h in happenings if placed[h.happening_id].series == Series.HAPPENINGS.value]
    assert any(h.type.value == "visit" and h.date == date(2023, 9, 13) for h in current)  # Kim's trip
    for h in current:
        day = h.counted_at.date().isoformat()
        same_day = [
            x for x in current if x.counted_at.date().isoformat() == day and x.type == h.type and x.pair == h.pair
        ]
        assert s.day_count(Series.HAPPENINGS, day, h.pair, h.type.value) == len(same_day)
    assert len(s.counter.placements()) == len(happenings)
