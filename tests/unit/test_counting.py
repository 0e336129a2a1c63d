"""The counting core: distinct events per window from day buckets, expired by event time."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.core.counting import BucketKey, Outcome, WindowCounter, current_counts
from streams.core.windows import bucket_seconds, hopping, keys_for, last_window_end, tumbling

DAY = 86_400
SPECS = [tumbling(DAY), hopping(7 * DAY, DAY)]
RETENTION = 30 * DAY
T0 = 1_700_000_000

# event ids drawn from a few, so that duplicates and shared buckets happen
events_strategy = st.lists(st.integers(0, 40).map(lambda i: f"e{i}"), max_size=60)


def fresh() -> tuple[WindowCounter, dict, dict]:
    buckets: dict[str, list[str]] = {}
    newest: dict[str, float] = {}
    return WindowCounter(SPECS, RETENTION, buckets, newest), buckets, newest


def identity(event_id: str) -> tuple[str, str, str, float]:
    """An event's id fixes its pair, type and time (as the extractor's ids do), spread over 120 days."""
    n = int(event_id[1:])
    return event_id, ["PRK-RUS", "CHN-USA"][n % 2], ["visit", "summit"][n % 3 % 2], T0 + (n * 3 % 120) * DAY + 3600


def feed(counter: WindowCounter, items) -> list[Outcome]:
    out = []
    for item in items:
        event_id, pair, type_, ts = identity(item)
        out.append(counter.add(0, event_id, ts, pair, type_).outcome)
    return out


def test_bucket_is_the_common_divisor_and_windows_are_whole_buckets():
    assert bucket_seconds(SPECS) == DAY
    assert bucket_seconds([tumbling(6 * 3600), hopping(DAY, 4 * 3600)]) == 2 * 3600
    assert last_window_end(SPECS, 10 * DAY) == 17 * DAY  # the 7-day window starting that day


def test_each_event_counts_once_in_its_day_and_in_seven_hopping_windows():
    counter, buckets, _ = fresh()
    result = counter.add(0, "a", T0, "PRK-RUS", "visit")
    assert result.outcome is Outcome.COUNTED
    kinds = Counter(key.kind.value for key in result.windows)
    assert kinds == {"tumbling": 1, "hopping": 7}
    assert all(counter.count(0, w) == 1 for w in result.windows)
    assert len(buckets) == 1  # one record, however many windows hold the event
    again = counter.add(0, "a", T0, "PRK-RUS", "visit")
    assert again.outcome is Outcome.DUPLICATE
    assert again.windows == result.windows  # the same windows again: an update lost in a crash is sent anew


@settings(max_examples=200, deadline=None)
@given(events_strategy)
def test_window_counts_are_the_distinct_ids_of_the_events_counted(items):
    counter, _, _ = fresh()
    outcomes = feed(counter, items)
    counted = {identity(item) for item, outcome in zip(items, outcomes, strict=True) if outcome is Outcome.COUNTED}
    newest = max((identity(i)[3] for i in items), default=0.0)
    expected: Counter = Counter()
    for _, pair, type_, ts in counted:
        for key in keys_for(SPECS, ts, pair, type_):
            expected[key] += 1
    for key, n in expected.items():
        if key.end >= newest - RETENTION:  # windows still open
            assert counter.count(0, key) == n


@settings(max_examples=200, deadline=None)
@given(events_strategy)
def test_replaying_the_same_events_changes_nothing(items):
    counter, buckets, newest = fresh()
    feed(counter, items)
    before = ({k: sorted(v) for k, v in buckets.items()}, dict(newest))
    assert all(outcome is not Outcome.COUNTED for outcome in feed(counter, items))
    assert ({k: sorted(v) for k, v in buckets.items()}, dict(newest)) == before


@settings(max_examples=200, deadline=None)
@given(events_strategy, st.integers(0, 60))
def test_a_restart_on_the_recovered_tables_continues_exactly(items, cut):
    """A new counter over the same tables (what a restarted worker recovers) ends where one run ends."""
    whole, whole_buckets, _ = fresh()
    feed(whole, items)
    first, buckets, newest = fresh()
    feed(first, items[:cut])
    restarted = WindowCounter(SPECS, RETENTION, buckets, newest)
    feed(restarted, items[cut:])
    assert {k: sorted(v) for k, v in buckets.items()} == {k: sorted(v) for k, v in whole_buckets.items()}


def test_state_is_bounded_by_the_retention_over_years_of_events():
    counter, buckets, newest = fresh()
    expired = 0
    for day in range(0, 3 * 365):
        for n in range(5):
            expired += len(counter.add(0, f"{day}-{n}", T0 + day * DAY, "PRK-RUS", "visit").expired)
    days_kept = {BucketKey.decode(k).start for k in buckets}
    assert len(days_kept) <= RETENTION // DAY + 8  # the retention plus the longest window
    assert min(days_kept) >= newest["0"] - RETENTION - 7 * DAY
    assert expired == 3 * 365 - len(days_kept)


def test_an_event_older_than_every_open_window_is_late_and_reopens_nothing():
    counter, buckets, _ = fresh()
    counter.add(0, "new", T0 + 400 * DAY, "PRK-RUS", "visit")
    result = counter.add(0, "old", T0, "PRK-RUS", "visit")
    assert result.outcome is Outcome.LATE and not result.windows
    assert len(buckets) == 1


def test_partitions_keep_their_own_newest_time_and_buckets():
    counter, buckets, newest = fresh()
    counter.add(0, "a", T0 + 400 * DAY, "PRK-RUS", "visit")
    # partition 1 has not moved on: its old event still counts, and partition 0's expiry leaves it alone
    assert counter.add(1, "b", T0, "CHN-USA", "visit").outcome is Outcome.COUNTED
    counter.add(0, "c", T0 + 401 * DAY, "PRK-RUS", "visit")
    assert {BucketKey.decode(k).partition for k in buckets} == {0, 1}
    assert newest == {"0": T0 + 401 * DAY, "1": T0}


def test_current_counts_sum_the_buckets_of_each_current_window():
    counter, buckets, _ = fresh()
    for day, ids in ((0, "ab"), (3, "c"), (6, "de")):
        for event_id in ids:
            counter.add(0, event_id, T0 + day * DAY, "PRK-RUS", "visit")
    now = T0 + 6 * DAY
    current = current_counts(buckets.items(), SPECS, now)
    assert current[("tumbling", "PRK-RUS", "visit")] == 2
    # the 7-day window that ends next: the last seven days, day 0 to day 6
    assert current[("hopping", "PRK-RUS", "visit")] == 5
    assert current_counts(buckets.items(), SPECS, now, partitions={1}) == {}
