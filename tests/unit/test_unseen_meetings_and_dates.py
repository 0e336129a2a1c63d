"""Kinds of real news phrasing the extractor missed on news it had not seen (issue 9): meetings,
summits, invitations, warnings, dates and status.

Sentences of our own, about other country pairs, each read in both directions. Published on
Thursday 2024-03-14 unless said otherwise. The visit and host kinds are in test_unseen_news_kinds.
"""

from __future__ import annotations

from tests.unit.test_extract_generalises import PUB
from tests.unit.test_unseen_news_kinds import dated, facts

# --- lists of meeters: every leader of one side meets every leader of the other -----------------


def summits(events):
    return {(e.source, e.target) for e in events if e.type.value == "summit"}


def test_a_leader_meeting_the_leaders_of_a_list_meets_each(extract_text):
    events = extract_text(
        "Chinese President Xi Jinping met the leaders of Kenya, Ghana and Nigeria in Beijing on Monday.", PUB
    )
    assert summits(events) == {("CHN", "KEN"), ("CHN", "GHA"), ("CHN", "NGA")}
    # they met in Beijing: each of them visited China
    assert {(e.source, e.target) for e in events if e.type.value == "visit"} == {
        ("KEN", "CHN"),
        ("GHA", "CHN"),
        ("NGA", "CHN"),
    }
    reverse = extract_text(
        "The presidents of Kenya and Ghana met Chinese President Xi Jinping in Beijing on Monday.", PUB
    )
    assert summits(reverse) == {("CHN", "KEN"), ("CHN", "GHA")}


def test_travellers_listed_before_a_meeting_each_meet_the_host(extract_text):
    events = extract_text(
        "Argentine President Javier Milei and the presidents of Uruguay, Paraguay and Chile are on their way "
        "to Brasilia to meet Brazil's President Luiz Inacio Lula da Silva.",
        PUB,
    )
    assert summits(events) == {("ARG", "BRA"), ("BRA", "URY"), ("BRA", "PRY"), ("BRA", "CHL")}


def test_a_meeting_and_countries_discussed_are_one_summit(extract_text):
    # three states named, but the tree has one met: the others are the talks' topic
    events = extract_text(
        "Chinese President Xi Jinping met Kenyan President William Ruto in Beijing on Monday and discussed "
        "Ghana and Nigeria.",
        PUB,
    )
    assert summits(events) == {("CHN", "KEN")}


# --- status: a noun's own verb outranks the adjective before it ----------------------------------


def test_anticipated_talks_that_took_place_occurred(extract_text):
    events = extract_text(
        "The widely anticipated talks between Indian Prime Minister Narendra Modi and Pakistani Prime Minister "
        "Nawaz Sharif took place in Ufa on Friday.",
        "2015-07-12",
    )
    assert ("summit", "IND", "PAK", "occurred") in facts(events)
    assert dated(events) >= {("summit", "IND", "PAK", "2015-07-10")}
    reverse = extract_text(
        "The long-anticipated summit between Nawaz Sharif and Narendra Modi was held in Lahore on Friday.", "2015-12-27"
    )
    assert ("summit", "IND", "PAK", "occurred") in facts(reverse)


def test_anticipated_talks_still_ahead_are_not_a_fact(extract_text):
    events = extract_text(
        "The widely anticipated talks between Narendra Modi and Nawaz Sharif will take place in Ufa on Friday.",
        "2015-07-08",
    )
    assert ("summit", "IND", "PAK", "planned") in facts(events)
    assert ("summit", "IND", "PAK", "occurred") not in facts(events)


# --- attendance: one home for the verb ("attended ... in X") and the noun ("the SCO summit in X") ---


def test_attending_a_summit_abroad_is_a_visit_to_its_venue_by_verb_or_by_noun(extract_text):
    by_verb = extract_text("Turkish President Recep Tayyip Erdogan attended the SCO summit in Astana.", PUB)
    by_noun = extract_text("Turkish President Recep Tayyip Erdogan flew in for the SCO summit in Astana.", PUB)
    assert ("visit", "TUR", "KAZ", "occurred") in facts(by_verb)
    assert ("visit", "TUR", "KAZ", "occurred") in facts(by_noun)
    assert not any(e.type.value == "summit" for e in [*by_verb, *by_noun])
    # the host's own leader attending at home visits no one
    assert extract_text("Kazakh President Kassym-Jomart Tokayev attended the SCO summit in Astana.", PUB) == []


# --- dates: what is going on at publication happens on the publication day ----------------------


def test_leaders_meeting_now_meet_on_the_day_of_publication(extract_text):
    events = extract_text(
        "South Korean President Yoon Suk Yeol and Japanese Prime Minister Fumio Kishida are meeting privately "
        "at a hotel in Tokyo, joined only by their interpreters.",
        PUB,
    )
    assert ("summit", "JPN", "KOR", PUB) in dated(events)
    arrived = extract_text("Prime Minister Fumio Kishida has arrived in Seoul for his first official visit.", PUB)
    assert dated(arrived) == {("visit", "JPN", "KOR", PUB)}


def test_a_stay_or_a_day_named_elsewhere_is_not_dated_to_publication(extract_text):
    # "is in Seoul": the stay began on some earlier day; a day named for the meeting keeps its date
    stay = extract_text("Japanese Prime Minister Fumio Kishida is in Seoul for talks on trade.", PUB)
    assert {e.date for e in stay if e.type.value == "visit"} == {None}
    named = extract_text(
        "Yoon Suk Yeol met Fumio Kishida in Tokyo on Monday. The two leaders are meeting again at dinner.", PUB
    )
    assert {d for d in dated(named) if d[0] == "summit"} == {("summit", "JPN", "KOR", "2024-03-11")}


def test_a_trip_begun_on_the_day_of_publication_and_its_next_leg_are_one_visit(extract_text):
    # published on Thursday: he leaves today, and what he "will" do there is the same trip
    events = extract_text(
        "Kenyan President William Ruto leaves for Japan on Thursday. He will arrive in Tokyo tomorrow, "
        "where he will meet business leaders.",
        PUB,
    )
    visits = [e for e in events if e.type.value == "visit"]
    assert [(e.source, e.target, e.status.value) for e in visits] == [("KEN", "JPN", "occurred")]
    # a trip done days ago is not the one still planned
    earlier = extract_text(
        "Japanese Prime Minister Fumio Kishida visited Kenya last week. He will visit Kenya again next year.", PUB
    )
    assert {e.status.value for e in earlier if e.type.value == "visit"} == {"occurred", "planned"}


# --- lists of invitees: each is invited, and each is asked to the place after the list ----------


def invitations(events):
    return {(e.source, e.target) for e in events if e.type.value == "invitation"}


def test_each_leader_of_a_list_is_invited(extract_text):
    events = extract_text(
        "Kenyan President William Ruto invited Ethiopian Prime Minister Abiy Ahmed and Somali President "
        "Hassan Sheikh Mohamud to Nairobi.",
        PUB,
    )
    assert invitations(events) == {("KEN", "ETH"), ("KEN", "SOM")}
    assert {("visit", "ETH", "KEN", "possible"), ("visit", "SOM", "KEN", "possible")} <= facts(events)
    reverse = extract_text(
        "Ethiopian Prime Minister Abiy Ahmed has invited the presidents of Kenya, Somalia and Djibouti to a summit.",
        PUB,
    )
    assert invitations(reverse) == {("ETH", "KEN"), ("ETH", "SOM"), ("ETH", "DJI")}


# --- a leader named by bare title is the story's traveller ---------------------------------------


def test_a_bare_title_meeting_someone_is_the_travelling_leader(extract_text):
    events = extract_text(
        "Sri Lankan President Ranil Wickremesinghe will leave for an official visit to Bangladesh on Monday. "
        "President will hold talks with Prime Minister of Bangladesh Sheikh Hasina at the Ganabhaban.",
        PUB,
    )
    assert ("summit", "BGD", "LKA", "planned") in facts(events)
    reverse = extract_text(
        "Bangladeshi Prime Minister Sheikh Hasina will leave for an official visit to Sri Lanka on Monday. "
        "Prime Minister will meet with President of Sri Lanka Ranil Wickremesinghe in Colombo.",
        PUB,
    )
    assert ("summit", "BGD", "LKA", "planned") in facts(reverse)
    # with no trip told before, a bare title is nobody in particular
    alone = extract_text("President will hold talks with Prime Minister of Bangladesh Sheikh Hasina.", PUB)
    assert not any(e.type.value == "summit" for e in alone)


# --- sanction warnings: a relative clause after those threatened names no one warned -----------


def warned(events):
    return {(e.source, e.target) for e in events if e.type.value == "sanction_warning"}


def test_the_state_a_threatened_firm_deals_with_is_not_warned(extract_text):
    events = extract_text("France said it was prepared to sanction Turkish firms that supply Russia with drones.", PUB)
    assert warned(events) == {("FRA", "TUR")}
    reverse = extract_text(
        "Britain warned that Indian companies which help Iran evade controls would face sanctions.", PUB
    )
    assert warned(reverse) == {("GBR", "IND")}


# --- a summit in a third country: its venue is no side, and both sides travelled there ---------


def test_a_summit_in_a_third_country_is_a_visit_there_by_each_side(extract_text):
    events = extract_text(
        "Indian Prime Minister Narendra Modi says he and Chinese President Xi Jinping have had a good start "
        "to their closely watched summit in Kazakhstan.",
        PUB,
    )
    assert {("summit", "CHN", "IND"), ("visit", "IND", "KAZ"), ("visit", "CHN", "KAZ")} == {
        (e.type.value, e.source, e.target) for e in events
    }
    reverse = extract_text(
        "Chinese President Xi Jinping says he and Indian Prime Minister Narendra Modi had a frank summit in Russia.",
        PUB,
    )
    assert ("summit", "CHN", "IND") in {(e.type.value, e.source, e.target) for e in reverse}
    assert not any(e.type.value == "summit" and "RUS" in (e.source, e.target) for e in reverse)


def test_a_meeting_in_a_third_city_is_no_visit_guess(extract_text):
    # "met in Rome": the Holy See's leader is at home there; only a summit word says both travelled
    events = extract_text("Argentine President Javier Milei and Pope Francis last met in Rome in 2024.", PUB)
    assert not any(e.type.value == "visit" and e.source == "VAT" for e in events)


# --- meetings: names between a side and the meeting word; those met "with A and B" are one side ---


def test_a_side_named_past_the_other_s_name_still_meets(extract_text):
    events = extract_text(
        "Bilateral talks were held by President Cyril Ramaphosa with the President of Botswana, Mr Duma Boko, "
        "at the Union Buildings today.",
        PUB,
    )
    assert dated(events) >= {("summit", "BWA", "ZAF", PUB)}


def test_those_met_with_a_list_do_not_meet_each_other(extract_text):
    events = extract_text(
        "On the occasion, the Head of State held separate meetings with his counterparts from Kenya, "
        "William Ruto, and from Uganda, Yoweri Museveni.",
        PUB,
    )
    assert not any(e.type.value == "summit" for e in events)
    # the meeter named after the list is a side: "After meeting with X, Y said"
    after = extract_text(
        "After meeting with Kenyan President William Ruto, Yoweri Museveni said ties were strong.", PUB
    )
    assert ("summit", "KEN", "UGA", "occurred") in facts(after)


def test_invited_to_visit_by_someone_names_the_inviter_after_the_visit(extract_text):
    events = extract_text(
        "Vietnamese President To Lam has been invited to visit Indonesia by President Prabowo Subianto.", PUB
    )
    assert invitations(events) == {("IDN", "VNM")}
    reverse = extract_text(
        "Colombian President Gustavo Petro was invited to visit Chile by President Gabriel Boric.", PUB
    )
    assert invitations(reverse) == {("CHL", "COL")}


# --- "this Tuesday (24th)", "Friday (13)": the day of the month in parentheses fixes the date ---


def test_a_day_of_the_month_in_parentheses_dates_the_event(extract_text):
    # published Wednesday 2024-03-13
    done = extract_text(
        "Chilean President Gabriel Boric met Peruvian President Dina Boluarte this Tuesday afternoon (12th) in Lima.",
        "2024-03-13",
    )
    assert ("summit", "CHL", "PER", "2024-03-12") in dated(done)
    ahead = extract_text(
        "Peruvian President Dina Boluarte meets Chilean President Gabriel Boric in Santiago on Friday (15).",
        "2024-03-13",
    )
    assert ("summit", "CHL", "PER", "planned") in facts(ahead)
    assert ("visit", "PER", "CHL", "2024-03-15") in dated(ahead)


def test_a_leader_in_a_later_clause_is_no_side_of_an_earlier_meeting(extract_text):
    events = extract_text(
        "The two foreign ministers met before Chilean President Gabriel Boric meets Peruvian President "
        "Dina Boluarte in Santiago on Friday (15).",
        "2024-03-13",
    )
    # one summit, the leaders' on Friday: the ministers' "met" is not theirs
    assert [(e.status.value, str(e.date)) for e in events if e.type.value == "summit"] == [("planned", "2024-03-15")]


# --- "The invitation was extended ... on Sunday": a later sentence about the event dates it ----


def test_a_sentence_about_the_invitation_just_told_gives_its_day(extract_text):
    events = extract_text(
        "Omani Sultan Haitham bin Tariq has invited Egyptian President Abdel Fattah el-Sisi to visit Muscat. "
        "The invitation was extended in a message delivered to the Egyptian foreign minister in Cairo on Sunday.",
        PUB,
    )
    assert ("invitation", "OMN", "EGY", "2024-03-10") in dated(events)
    reverse = extract_text(
        "Egyptian President Abdel Fattah el-Sisi has invited Omani Sultan Haitham bin Tariq to visit Cairo. "
        "The invitation was handed over in Muscat on Sunday.",
        PUB,
    )
    assert ("invitation", "EGY", "OMN", "2024-03-10") in dated(reverse)


def test_a_date_of_another_happening_in_that_sentence_is_not_taken(extract_text):
    events = extract_text(
        "Omani Sultan Haitham bin Tariq has invited Egyptian President Abdel Fattah el-Sisi to visit Muscat. "
        "The invitation is significant because relations soured after the coup in July 2013.",
        PUB,
    )
    assert ("invitation", "OMN", "EGY", None) in dated(events)


def test_a_day_of_something_within_the_visit_is_not_the_visit_s(extract_text):
    events = extract_text(
        "Kenyan President William Ruto is on a state visit to Ghana. The visit included the opening on "
        "Tuesday of a new trade office in Accra.",
        PUB,
    )
    assert ("visit", "KEN", "GHA", None) in dated(events)
