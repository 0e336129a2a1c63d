"""Kinds of news phrasing found on the dev articles no rule was written against (issue 9, 142–181).

Sentences of our own, about other country pairs, each read in both directions. Published on
Thursday 2024-03-14 (tests.unit.test_extract_generalises.PUB).
"""

from __future__ import annotations

from tests.unit.test_extract_generalises import PUB


def facts(events):
    return {(e.type.value, e.source, e.target, e.status.value) for e in events}


def dated(events):
    return {(e.type.value, e.source, e.target, e.date.isoformat() if e.date else None) for e in events}


# --- warnings of tariffs, and warnings hinted at ------------------------------------------------


def test_a_threat_of_tariffs_is_a_warning_and_a_levy_is_not(extract_text):
    events = extract_text("Germany threatened to impose sweeping tariffs on Brazil and Chile.", PUB)
    assert facts(events) == {
        ("sanction_warning", "DEU", "BRA", "occurred"),
        ("sanction_warning", "DEU", "CHL", "occurred"),
    }
    reverse = extract_text("Brazil vowed to slap tariffs on German cars.", PUB)
    assert facts(reverse) == {("sanction_warning", "BRA", "DEU", "occurred")}
    # tariffs laid or lifted are acts, not threats
    assert extract_text("Brazil imposed tariffs on Argentine steel last year.", PUB) == []


def test_a_sentence_opening_with_he_warns_through_the_official_named_before(extract_text):
    events = extract_text(
        "Argentine President Javier Milei spoke on Monday. He threatened to slap tariffs on Brazilian imports.", PUB
    )
    assert facts(events) == {("sanction_warning", "ARG", "BRA", "occurred")}
    reverse = extract_text(
        "Malaysian Prime Minister Anwar Ibrahim arrived on Monday. He vowed to impose tariffs on Indonesian goods.",
        PUB,
    )
    assert facts(reverse) == {("sanction_warning", "MYS", "IDN", "occurred")}
    # a pronoun with no named official before it warns for no one
    assert extract_text("He threatened to slap tariffs on Brazilian imports.", PUB) == []


def test_a_capital_hinting_at_sanctions_warns(extract_text):
    events = extract_text(
        "The row deepened on Tuesday with Brasilia hinting at possible sanctions against Argentina.", PUB
    )
    assert dated(events) == {("sanction_warning", "BRA", "ARG", "2024-03-12")}
    reverse = extract_text(
        "The row deepened on Tuesday with Buenos Aires hinting at possible sanctions against Brazil.", PUB
    )
    assert dated(reverse) == {("sanction_warning", "ARG", "BRA", "2024-03-12")}
