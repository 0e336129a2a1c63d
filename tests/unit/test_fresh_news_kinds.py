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


# --- a day told with "this year", "last year" or "next year" -------------------------------------


def test_a_day_range_of_this_year_is_that_range_not_the_year(extract_text):
    events = extract_text(
        "On 18-19 November this year, Vietnamese President Vo Van Thuong will pay a state visit to Laos.", PUB
    )
    assert {(e.type.value, e.date.isoformat(), e.date_end and e.date_end.isoformat()) for e in events} == {
        ("visit", "2024-11-18", "2024-11-19")
    }
    reverse = extract_text("Lao President Thongloun Sisoulith visited Vietnam on March 3 last year.", PUB)
    assert dated(reverse) == {("visit", "LAO", "VNM", "2023-03-03")}


def test_a_day_of_next_year_resolves_to_next_year():
    from datetime import date

    from streams.core.dates import Precision, find_phrases, resolve

    phrases = [p.text for p in find_phrases("The summit is set for 5 May next year in Hanoi.")]
    assert phrases == ["5 May next year"]
    resolved = resolve(phrases[0], date(2024, 3, 14))
    assert resolved is not None and (resolved.date, resolved.precision) == (date(2025, 5, 5), Precision.DAY)


# --- "their meeting": the two leaders named around a speech verb, or one before ----------------


def test_their_meeting_is_a_summit_of_the_leaders_named_around_the_speech_verb(extract_text):
    events = extract_text(
        "Speaking to reporters before their closed-door meeting, President William Ruto said President "
        "Yoweri Museveni had come to discuss trade.",
        PUB,
    )
    assert facts(events) == {("summit", "KEN", "UGA", "occurred")}
    reverse = extract_text(
        "Ahead of their first talks, Ugandan President Yoweri Museveni said Kenyan President William Ruto "
        "was a brother.",
        PUB,
    )
    assert facts(reverse) == {("summit", "KEN", "UGA", "occurred")}


def test_their_meeting_takes_the_other_leader_from_the_sentence_before(extract_text):
    events = extract_text(
        "Kenyan President William Ruto flew to Kampala on Monday. Before their meeting, Ugandan President "
        "Yoweri Museveni told reporters the border would reopen.",
        PUB,
    )
    assert ("summit", "KEN", "UGA", "occurred") in facts(events)
    # a place glued to a common noun is no named leader
    assert extract_text("Following their earlier meeting in Suva, leaders discussed the climate.", PUB) == []


# --- "his host": a noun naming who hosts, not the hosting verb -----------------------------------


def test_talks_with_his_host_do_not_turn_the_visit_around(extract_text):
    events = extract_text(
        "Chilean President Gabriel Boric arrived in Lima on Monday for talks with his host President Dina Boluarte.",
        PUB,
    )
    assert facts(events) == {("visit", "CHL", "PER", "occurred"), ("summit", "CHL", "PER", "occurred")}
    reverse = extract_text(
        "Peruvian President Dina Boluarte arrived in Santiago on Monday for talks with her host President "
        "Gabriel Boric.",
        PUB,
    )
    assert facts(reverse) == {("visit", "PER", "CHL", "occurred"), ("summit", "CHL", "PER", "occurred")}


# --- "This visit is at the invitation of X": the guest is the story's traveller ------------------


def test_this_visit_at_the_invitation_of_a_leader_invites_the_traveller_told_before(extract_text):
    events = extract_text(
        "Mongolian President Ukhnaagiin Khurelsukh left for a state visit to Kazakhstan on Monday. This visit is "
        "being undertaken at the invitation of Kazakh President Kassym-Jomart Tokayev.",
        PUB,
    )
    assert ("invitation", "KAZ", "MNG", "occurred") in facts(events)
    reverse = extract_text(
        "Kazakh President Kassym-Jomart Tokayev left for a state visit to Mongolia on Monday. The trip comes at "
        "the invitation of Mongolian President Ukhnaagiin Khurelsukh.",
        PUB,
    )
    assert ("invitation", "MNG", "KAZ", "occurred") in facts(reverse)


# --- a name written with the ʻokina is the name written with an apostrophe ----------------------


def test_a_surname_with_the_okina_names_its_leader(extract_text):
    events = extract_text(
        "Fijian Prime Minister Sitiveni Rabuka arrived in Apia on Monday. Rabuka held talks with Mataʻafa on Tuesday.",
        PUB,
    )
    assert ("summit", "FJI", "WSM", "occurred") in facts(events)
    reverse = extract_text("Mataʻafa held talks with Fijian Prime Minister Sitiveni Rabuka in Suva on Tuesday.", PUB)
    assert ("visit", "WSM", "FJI", "occurred") in facts(reverse)
    assert {e.person for e in reverse if e.type.value == "visit"} == {"Fiamē Naomi Mataʻafa"}


# --- "the two leaders will discuss ...": what the pair does together is their meeting ----------


def test_the_two_leaders_discussing_is_their_summit(extract_text):
    events = extract_text(
        "Mongolian President Ukhnaagiin Khurelsukh will pay a state visit to Kazakhstan on Monday at the invitation "
        "of Kazakh President Kassym-Jomart Tokayev. The two leaders will discuss trade and transport.",
        PUB,
    )
    assert ("summit", "KAZ", "MNG", "planned") in facts(events)
    reverse = extract_text(
        "Kazakh President Kassym-Jomart Tokayev paid a state visit to Mongolia on Monday at the invitation of "
        "Mongolian President Ukhnaagiin Khurelsukh. The two statesmen discussed trade and transport.",
        PUB,
    )
    assert ("summit", "KAZ", "MNG", "occurred") in facts(reverse)


def test_the_two_sides_or_a_phone_call_make_no_summit(extract_text):
    opening = (
        "Kazakh President Kassym-Jomart Tokayev paid a state visit to Mongolia on Monday at the invitation of "
        "Mongolian President Ukhnaagiin Khurelsukh. "
    )
    by_phone = extract_text(
        opening.replace("paid a state visit to Mongolia", "spoke") + "The two leaders discussed trade by phone.", PUB
    )
    assert not any(e.type.value == "summit" for e in by_phone)
    sides = extract_text(
        opening.replace("paid a state visit to Mongolia", "spoke") + "The two sides discussed trade.", PUB
    )
    assert not any(e.type.value == "summit" for e in sides)


# --- a meeting noun naming no one, told as part of a leader's visit to a leader ------------------


def test_talks_of_a_leaders_visit_are_the_summit_of_the_visitor_and_the_host(extract_text):
    events = extract_text(
        "On 20-21 March this year, at the invitation of Kyrgyz President Sadyr Japarov, Tajik President Emomali "
        "Rahmon will pay a state visit to Kyrgyzstan. High-level talks will be held in Bishkek to discuss borders.",
        PUB,
    )
    assert ("summit", "KGZ", "TJK", "planned") in facts(events)
    reverse = extract_text(
        "Kyrgyz President Sadyr Japarov will pay a state visit to Tajikistan next week at the invitation of Tajik "
        "President Emomali Rahmon. It will include a meeting in Dushanbe and a state dinner.",
        PUB,
    )
    assert ("summit", "KGZ", "TJK", "planned") in facts(reverse)


def test_talks_of_a_visit_below_leader_level_are_no_summit(extract_text):
    events = extract_text(
        "Kyrgyz President Sadyr Japarov will pay a state visit to Tajikistan next week at the invitation of Tajik "
        "President Emomali Rahmon. During the visit, talks between the foreign ministers will be held in Dushanbe.",
        PUB,
    )
    assert not any(e.type.value == "summit" for e in events)


# --- a presence told in the future, and touching down ---------------------------------------------


def test_will_be_in_or_is_due_in_a_capital_is_a_planned_visit(extract_text):
    events = extract_text("Kenyan President William Ruto will be in Accra.", PUB)
    assert facts(events) == {("visit", "KEN", "GHA", "planned")}
    reverse = extract_text("Ghanaian President Nana Akufo-Addo is due in Nairobi.", PUB)
    assert facts(reverse) == {("visit", "GHA", "KEN", "planned")}


def test_touching_down_in_a_capital_is_arriving_there(extract_text):
    events = extract_text("Ghanaian President Nana Akufo-Addo touched down in Nairobi on Sunday.", PUB)
    assert dated(events) == {("visit", "GHA", "KEN", "2024-03-10")}
    reverse = extract_text("Kenyan President William Ruto will touch down in Accra on Friday.", PUB)
    assert dated(reverse) == {("visit", "KEN", "GHA", "2024-03-15")}


# --- the traveller's arrival day, told in a sentence of its own, dates the visit -----------------


def test_an_arrival_day_told_later_dates_the_visit(extract_text):
    events = extract_text(
        "Tongan Prime Minister Siaosi Sovaleni will visit Australia next week. Albanese said Sovaleni will "
        "arrive on March 19.",
        PUB,
    )
    assert dated(events) == {("visit", "TON", "AUS", "2024-03-19")}
    reverse = extract_text(
        "Australian Prime Minister Anthony Albanese will visit Tonga. Sovaleni said Albanese is due to arrive on "
        "Tuesday.",
        PUB,
    )
    assert dated(reverse) == {("visit", "AUS", "TON", "2024-03-19")}
    # someone else's arrival dates nothing
    other = extract_text(
        "Australian Prime Minister Anthony Albanese will visit Tonga. Sovaleni will arrive on Tuesday.", PUB
    )
    assert dated(other) == {("visit", "AUS", "TON", None)}
