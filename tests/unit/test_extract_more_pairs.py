"""A second round of sentences of our own: clause boundaries, cataphora, and more pairs."""

from __future__ import annotations

import pytest

from tests.unit.test_extract_generalises import PUB, summary  # 2024-03-14, a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "US Secretary of State Antony Blinken arrived in Beijing on Sunday for talks with Chinese officials.",
            {("visit", "USA", "CHN", "occurred")},
        ),
        (
            "Saudi Crown Prince Mohammed bin Salman will travel to Tehran next month, Iranian state media reported.",
            {("visit", "SAU", "IRN", "planned")},
        ),
        (
            "Greek Prime Minister Kyriakos Mitsotakis hosted Turkish President Recep Tayyip Erdogan in Athens "
            "on Thursday.",
            {("visit", "TUR", "GRC", "occurred"), ("summit", "GRC", "TUR", "occurred")},
        ),
        (
            "Nigerian President Bola Tinubu accepted an invitation from South African President Cyril Ramaphosa to "
            "visit Pretoria.",
            {("invitation", "ZAF", "NGA", "occurred"), ("visit", "NGA", "ZAF", "planned")},
        ),
        (
            "The European Union and the United States warned Russia of severe sanctions if it invaded Ukraine.",
            {("sanction_warning", "USA", "RUS", "occurred")},
        ),
        (
            "China's foreign ministry said on Tuesday that Beijing would impose sanctions on US defence firms over "
            "arms sales to Taiwan.",
            {("sanction_warning", "CHN", "USA", "occurred")},
        ),
        (
            "Australian Prime Minister Anthony Albanese met Chinese Premier Li Qiang in Canberra.",
            {("summit", "AUS", "CHN", "occurred"), ("visit", "CHN", "AUS", "occurred")},
        ),
        (
            "During his visit to Paris last week, Modi met President Emmanuel Macron.",
            {("visit", "IND", "FRA", "occurred"), ("summit", "FRA", "IND", "occurred")},
        ),
        (
            "Ukrainian President Volodymyr Zelensky made a surprise visit to Washington on Wednesday, where he met "
            "President Joe Biden.",
            {("visit", "UKR", "USA", "occurred"), ("summit", "UKR", "USA", "occurred")},
        ),
        (
            "Israel's Prime Minister Benjamin Netanyahu is scheduled to visit the White House on July 22.",
            {("visit", "ISR", "USA", "planned")},
        ),
        ("Qatar's emir flew to Cairo on Monday.", {("visit", "QAT", "EGY", "occurred")}),
        # every type with every status, with pairs the seeds never mention
        (
            "Japanese Prime Minister Fumio Kishida will invite Chinese Premier Li Qiang to Tokyo.",
            {("invitation", "JPN", "CHN", "planned"), ("visit", "CHN", "JPN", "possible")},
        ),
        (
            "Brazil may invite Argentina's president to Brasilia for talks, a Brazilian official said.",
            {("invitation", "BRA", "ARG", "possible"), ("visit", "ARG", "BRA", "possible")},
        ),
        (
            "A summit between French President Emmanuel Macron and Algerian President Abdelmadjid Tebboune could "
            "take place in the autumn.",
            {("summit", "DZA", "FRA", "possible")},
        ),
        (
            "Germany would consider new sanctions against Iran, the German foreign ministry said.",
            {("sanction_warning", "DEU", "IRN", "occurred")},
        ),
    ],
)
def test_more_pairs(extract_text, text, expected):
    assert summary(extract_text(text, PUB)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Argentina's President Javier Milei skipped the summit in Brasilia hosted by Lula.",
        "Polish President Andrzej Duda said he would not travel to Berlin this month.",
        "India and Pakistan have not held a bilateral summit since 2015.",
        "Mexico's president boycotted the summit in Lima.",
    ],
)
def test_absences_and_denials_are_not_events(extract_text, text):
    assert extract_text(text, PUB) == []
