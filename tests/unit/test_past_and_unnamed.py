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


def test_a_date_given_for_the_visit_dates_the_meeting_during_it(extract_text):
    events = extract_text(
        "Kenyan President William Ruto will visit Ethiopia on Monday. During the visit, Ruto will meet "
        "Prime Minister Abiy Ahmed.",
        PUB,
    )
    assert dated(events) == {
        ("visit", "KEN", "ETH", "planned", "2024-03-18"),
        ("summit", "ETH", "KEN", "planned", "2024-03-18"),
    }


def test_no_date_is_lent_where_two_could_be(extract_text):
    """Two dated visits of the pair: which one the talks belong to is not said, so they stay undated."""
    events = extract_text(
        "Philippine President Ferdinand Marcos Jr. visited Vietnam on Tuesday. He had visited Vietnam on "
        "January 29, 2024. Marcos held talks with Vietnamese President Vo Van Thuong.",
        PUB,
    )
    summits = [e for e in events if e.type.value == "summit"]
    assert summits and all(e.date is None for e in summits)


def test_the_annual_summit_with_a_named_leader_is_this_years(extract_text):
    events = extract_text(
        "Indonesian President Joko Widodo will travel to Canberra for the annual summit with Australian Prime "
        "Minister Anthony Albanese next week.",
        PUB,
    )
    assert {(t, a, b, s) for t, a, b, s, _ in dated(events)} == {
        ("summit", "AUS", "IDN", "planned"),
        ("visit", "IDN", "AUS", "planned"),
    }
    assert extract_text("Indonesia and Australia hold annual summits.", PUB) == []


def test_meeting_a_list_of_leaders_is_a_summit_with_each_not_between_them(extract_text):
    events = extract_text(
        "Indian Prime Minister Narendra Modi will hold meetings with Brazilian President Luiz Inacio Lula da Silva "
        "and South African President Cyril Ramaphosa.",
        PUB,
    )
    assert {(t, a, b) for t, a, b, _, _ in dated(events)} == {("summit", "BRA", "IND"), ("summit", "IND", "ZAF")}
    minister = extract_text(
        "US Secretary of State Antony Blinken will hold meetings with Brazilian President Luiz Inacio Lula da Silva "
        "and South African President Cyril Ramaphosa.",
        PUB,
    )
    assert not any(e.type.value == "summit" for e in minister)


def test_days_of_one_trip_are_one_visit_from_the_first_day(extract_text):
    events = extract_text(
        "Indian Prime Minister Narendra Modi will leave for Egypt on Saturday. Egyptian President Abdel Fattah "
        "el-Sisi will host Modi in Cairo on Monday.",
        PUB,
    )
    visits = [e for e in events if e.type.value == "visit"]
    assert [(e.source, e.target, e.date.isoformat() if e.date else None) for e in visits] == [
        ("IND", "EGY", "2024-03-16")
    ]
    assert visits[0].date_end is not None and visits[0].date_end.isoformat() == "2024-03-18"


def test_a_named_visit_dated_by_its_meeting_is_the_unnamed_visit_of_that_day(extract_text):
    """The meeting's day, carried to "Lula's first visit", makes it the unnamed visit of that day: one visit."""
    events = extract_text(
        "Brazilian President Luiz Inacio Lula da Silva held talks with Kenyan President William Ruto on Monday. "
        "The two leaders met in the Kenyan capital, Nairobi, on Monday. "
        "It was Lula's first visit to the East African country as president.",
        "2024-03-14",
    )
    visits = [e for e in events if e.type.value == "visit"]
    assert [(v.source, v.target, v.person, str(v.date)) for v in visits] == [
        ("BRA", "KEN", "Luiz Inácio Lula da Silva", "2024-03-11")
    ]
    assert visits[0].mentions >= 2


def test_an_unnamed_visit_on_another_day_stays_apart_from_a_named_one(extract_text):
    events = extract_text(
        "Kenyan President William Ruto held talks with Ghana's President Nana Akufo-Addo in Accra on 4 March. "
        "A Kenyan trade delegation visited Ghana on 20 February.",
        "2024-03-14",
    )
    visits = {(e.source, e.target, str(e.date)) for e in events if e.type.value == "visit"}
    assert ("KEN", "GHA", "2024-02-20") in visits
