"""Happenings mentioned in passing, and summits that never say the word: sentences of our own."""

from __future__ import annotations

from tests.unit.test_extract_generalises import PUB


def dated(events):
    return {(e.type.value, e.source, e.target, e.status.value, e.date.isoformat() if e.date else None) for e in events}


def test_the_first_visit_since_a_year_recalls_the_visit_of_that_year(extract_text):
    events = extract_text(
        "It is the first visit by a Japanese prime minister to Mongolia since Shinzo Abe's trip in 2015.", PUB
    )
    assert ("visit", "JPN", "MNG", "occurred", "2015-01-01") in dated(events)
    assert len([e for e in events if e.type.value == "visit"]) == 2


def test_a_bare_since_year_after_a_visit_is_the_earlier_visit(extract_text):
    events = extract_text("Recep Tayyip Erdogan visited Greece on Thursday, his first visit since 2017.", PUB)
    assert dated(events) == {
        ("visit", "TUR", "GRC", "occurred", "2024-03-14"),
        ("visit", "TUR", "GRC", "occurred", "2017-01-01"),
    }
    assert [e.person for e in events if e.date and e.date.year == 2017] == [None]  # the rule names nobody


def test_since_after_other_words_is_no_visit(extract_text):
    talks = extract_text(
        "Kim Jong Un invited Vladimir Putin when Kim visited Russia in September for the first talks between "
        "the two men since 2019.",
        PUB,
    )
    assert not any(e.date and e.date.year == 2019 for e in talks)
    grown = extract_text("Kenya has grown fast since 2015, William Ruto said during his visit to Uganda.", PUB)
    assert not any(e.date and e.date.year == 2015 for e in grown)


def test_seeing_a_leader_is_meeting_one(extract_text):
    events = extract_text(
        "Albanese will fly to Jakarta before seeing the Indonesian leader Joko Widodo in Bogor on Wednesday.", PUB
    )
    assert ("summit", "AUS", "IDN", "planned", "2024-03-20") in dated(events)
