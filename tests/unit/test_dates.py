"""Date phrases and their resolution against the publication date (FIELD-NOTES traps included)."""

from __future__ import annotations

from datetime import date

import pytest

from streams.core.dates import Tense, find_phrases, resolve

TUE = date(2024, 6, 18)  # a Tuesday


@pytest.mark.parametrize(
    ("phrase", "tense", "expected"),
    [
        ("June 18-19", Tense.FUTURE, (date(2024, 6, 18), date(2024, 6, 19), "day")),
        ("Sept. 12–17", Tense.PAST, (date(2023, 9, 12), date(2023, 9, 17), "day")),
        ("18 to 19 June", Tense.FUTURE, (date(2024, 6, 18), date(2024, 6, 19), "day")),
        ("Tuesday", Tense.FUTURE, (TUE, None, "day")),
        ("Tuesday", Tense.PAST, (TUE, None, "day")),
        ("Wednesday", Tense.PAST, (date(2024, 6, 12), None, "day")),
        ("Wednesday", Tense.FUTURE, (date(2024, 6, 19), None, "day")),
        ("Tuesday and Wednesday", Tense.FUTURE, (TUE, date(2024, 6, 19), "day")),
        ("last September", Tense.PAST, (date(2023, 9, 1), None, "month")),
        ("July 2000", Tense.PAST, (date(2000, 7, 1), None, "month")),
        ("2000", Tense.PAST, (date(2000, 1, 1), None, "year")),
        ("July 19, 2000", Tense.PAST, (date(2000, 7, 19), None, "day")),
        ("September", Tense.PAST, (date(2023, 9, 1), None, "month")),
        ("September", Tense.FUTURE, (date(2024, 9, 1), None, "month")),
        ("June 18", Tense.FUTURE, (TUE, None, "day")),
        ("June 25", Tense.PAST, (date(2023, 6, 25), None, "day")),
        ("this year", Tense.PAST, (date(2024, 1, 1), None, "year")),
        ("Dec. 30 – Jan. 2", Tense.PAST, (date(2023, 12, 30), date(2024, 1, 2), "day")),
        ("April last year", Tense.PAST, (date(2023, 4, 1), None, "month")),
        ("Sept. next year", Tense.FUTURE, (date(2025, 9, 1), None, "month")),
        ("March this year", Tense.PAST, (date(2024, 3, 1), None, "month")),
        ("a month ago", Tense.PAST, (date(2024, 5, 1), None, "month")),
        ("two weeks ago", Tense.PAST, (date(2024, 6, 4), None, "day")),
        ("3 days ago", Tense.PAST, (date(2024, 6, 15), None, "day")),
        ("two years ago", Tense.PAST, (date(2022, 1, 1), None, "year")),
        ("next week", Tense.FUTURE, (date(2024, 6, 24), date(2024, 6, 30), "day")),
        ("next month", Tense.FUTURE, (date(2024, 7, 1), None, "month")),
    ],
)
def test_resolve(phrase, tense, expected):
    r = resolve(phrase, TUE, tense)
    assert r is not None
    assert (r.date, r.date_end, r.precision.value) == expected


@pytest.mark.parametrize(
    "text",
    [
        "He may visit soon.",
        "Troops will march on.",
        "It is his first visit in 24 years.",
        "They met 19 times.",
        "May, and the two leaders agreed",
    ],
)
def test_no_false_date_candidates(text):
    assert find_phrases(text) == []


def test_candidates_in_a_sentence():
    text = "Kim's visit on Sept. 12–17, Lavrov on Oct. 18–19 and a summit last September, since 2019."
    assert [p.text for p in find_phrases(text)] == ["Sept. 12–17", "Oct. 18–19", "last September", "2019"]


def test_a_month_of_a_relative_year_is_one_phrase():
    text = "The visit was agreed when Macron travelled to Beijing in April last year, a trip Xi repaid."
    assert [p.text for p in find_phrases(text)] == ["April last year"]


def test_ago_phrases_are_found_whole_and_nothing_inside_them_is_found_again():
    text = "Macron came to Beijing a month ago, and left two weeks ago on a Monday."
    assert [p.text for p in find_phrases(text)] == ["a month ago", "two weeks ago", "Monday"]
    assert [p.text for p in find_phrases("He waited for an hour ago-go style.")] == []
