"""Sanction warnings that never say "warn ... sanctions": measures on a condition, aimed at a state.

Sentences of our own about pairs the corpora do not hold; the traps beside them are measures that
threaten no state.
"""

from __future__ import annotations

import pytest

from tests.unit.test_extract_generalises import PUB, summary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Beijing will take countermeasures if Canberra imposes new tariffs, the Chinese commerce ministry said.",
            {("sanction_warning", "CHN", "AUS", "occurred")},
        ),
        (
            "Seoul warned of strong economic and other measures should Pyongyang test another missile.",
            {("sanction_warning", "KOR", "PRK", "occurred")},
        ),
        (
            "The Turkish foreign ministry said Ankara would take retaliatory measures against Sweden if it extradited "
            "no suspects.",
            {("sanction_warning", "TUR", "SWE", "occurred")},
        ),
        (
            "Poland would face sanctions if it blocked the grain transit, the Ukrainian foreign minister said.",
            {("sanction_warning", "UKR", "POL", "occurred")},
        ),
    ],
)
def test_measures_threatened_on_a_condition_are_warnings(extract_text, text, expected):
    assert summary(extract_text(text, PUB)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "India will take resolute and strong measures to safeguard its sovereignty, the ministry said.",
        "Brazil announced economic measures to curb inflation on Tuesday.",
    ],
)
def test_measures_that_threaten_no_state_are_not_warnings(extract_text, text):
    assert extract_text(text, PUB) == []
