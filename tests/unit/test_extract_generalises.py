"""The extractor on sentences of our own about pairs the seeds never mention.

Each case names what a careful analyst would record (EVENTS.md). Dates resolve
against the publication date given; 2024-03-14 is a Thursday.
"""

from __future__ import annotations

from datetime import date

import pytest

PUB = "2024-03-14"


def summary(events):
    return {(e.type.value, e.source, e.target, e.status.value) for e in events}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # visits, each status
        (
            "Indian Prime Minister Narendra Modi visited Washington on Tuesday, the White House said.",
            {("visit", "IND", "USA", "occurred")},
        ),
        (
            "Chinese President Xi Jinping will visit France in May, the Elysee said.",
            {("visit", "CHN", "FRA", "planned")},
        ),
        (
            "Brazilian President Lula could travel to Argentina later this year if relations improve.",
            {("visit", "BRA", "ARG", "possible")},
        ),
        (
            "Japanese Foreign Minister Yoko Kamikawa arrived in Seoul on Wednesday for a two-day visit.",
            {("visit", "JPN", "KOR", "occurred")},
        ),
        (
            "A Vietnamese government delegation is expected to arrive in Canberra on March 20.",
            {("visit", "VNM", "AUS", "planned")},
        ),
        (
            "German Chancellor Olaf Scholz hosted Polish Prime Minister Donald Tusk in Berlin on Monday.",
            {("visit", "POL", "DEU", "occurred"), ("summit", "DEU", "POL", "occurred")},
        ),
        # invitations
        (
            "South Korean President Yoon Suk Yeol invited Japanese Prime Minister Fumio Kishida to visit Seoul.",
            {("invitation", "KOR", "JPN", "occurred"), ("visit", "JPN", "KOR", "possible")},
        ),
        (
            "Argentina's president accepted an invitation from Brazil to visit Brasilia next month.",
            {("invitation", "BRA", "ARG", "occurred"), ("visit", "ARG", "BRA", "planned")},
        ),
        # summits; a meeting in one side's country is also the other side's visit
        (
            "Xi Jinping and Emmanuel Macron held talks in Beijing on Thursday.",
            {("summit", "CHN", "FRA", "occurred"), ("visit", "FRA", "CHN", "occurred")},
        ),
        (
            "The leaders of India and the United States will hold a summit in New Delhi next week.",
            {("summit", "IND", "USA", "planned"), ("visit", "USA", "IND", "planned")},
        ),
        (
            "Turkish President Recep Tayyip Erdogan met Iranian President Ebrahim Raisi in Ankara.",
            {("summit", "IRN", "TUR", "occurred"), ("visit", "IRN", "TUR", "occurred")},
        ),
        # sanction warnings: one per warned country
        (
            "France warned Iran on Monday that it would face new sanctions if it kept enriching uranium.",
            {("sanction_warning", "FRA", "IRN", "occurred")},
        ),
        (
            "Germany and Britain threatened Tehran with additional sanctions over drone deliveries.",
            {("sanction_warning", "DEU", "IRN", "occurred"), ("sanction_warning", "GBR", "IRN", "occurred")},
        ),
        (
            "The State Department said any arms transfer from Iran to Russia would be in violation of UN Security "
            "Council resolutions.",
            {("sanction_warning", "USA", "IRN", "occurred"), ("sanction_warning", "USA", "RUS", "occurred")},
        ),
    ],
)
def test_events_between_other_pairs(extract_text, text, expected):
    assert summary(extract_text(text, PUB)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Apple's chief executive made a company visit to its suppliers in China last week.",
        "FIFA announced sports sanctions against the Brazilian football federation on Monday.",
        "Leaders from tech firms gathered in Paris for a business summit on artificial intelligence.",
        "Samsung sent an invitation to a product launch in Seoul to journalists from Japan.",
        "The American singer will visit Japan in June for a concert tour.",
        "Analysts say there have been many summits between India and Pakistan over the decades.",
        "A spokesman said an official visit by the French president to Algeria was not on the agenda.",
        "Brazil will visit Argentina in a World Cup qualifier next month, the football federation said.",
        "Tourists from Germany visited Turkey in record numbers last summer.",
        "A woman from Oman visited her family.",
    ],
)
def test_non_diplomatic_text_yields_nothing(extract_text, text):
    assert extract_text(text, PUB) == []


def test_dates_resolve_against_publication(extract_text):
    # 2024-03-14 is a Thursday
    [past] = extract_text("Indian Prime Minister Narendra Modi visited Washington on Tuesday.", PUB)
    assert past.date == date(2024, 3, 12) and past.precision.value == "day"
    [future] = extract_text("Chinese President Xi Jinping will visit France on Tuesday.", PUB)
    assert future.date == date(2024, 3, 19)
    [rng] = extract_text("Japanese Prime Minister Fumio Kishida will visit Vietnam on June 18-19.", PUB)
    assert (rng.date, rng.date_end) == (date(2024, 6, 18), date(2024, 6, 19))
    [hist] = extract_text("Modi last visited China in July 2019.", PUB)
    assert (hist.date, hist.precision.value, hist.status.value) == (date(2019, 7, 1), "month", "occurred")


def test_mentions_of_one_happening_are_one_event(extract_text):
    text = (
        "Chinese President Xi Jinping will visit France in May. "
        "The Elysee confirmed that Xi will travel to Paris on May 6. "
        "Xi's visit to France is his first since 2019."
    )
    events = [e for e in extract_text(text, PUB) if e.type.value == "visit"]
    assert len(events) == 1
    assert events[0].mentions >= 2
    assert events[0].person == "Xi Jinping"


def test_event_ids_are_stable_and_distinct(extract_text):
    text = "France warned Iran that it would face new sanctions. Xi Jinping will visit France in May."
    first, second = extract_text(text, PUB), extract_text(text, PUB)
    assert [e.event_id for e in first] == [e.event_id for e in second]
    assert len({e.event_id for e in first}) == len(first) == 2


def test_capital_as_a_place_is_not_an_actor(extract_text):
    assert extract_text("Satellite images show a military parade in the centre of Pyongyang.", PUB) == []
