"""Kinds of real news phrasing the extractor missed on news it had not seen (issue 9): visits and hosts.

Sentences of our own, about other country pairs, each read in both directions. Published on
Thursday 2024-03-14 unless said otherwise. Meetings, invitations, warnings and dates are in
test_unseen_meetings_and_dates.
"""

from __future__ import annotations

from tests.unit.test_extract_generalises import PUB


def facts(events):
    return {(e.type.value, e.source, e.target, e.status.value) for e in events}


def dated(events):
    return {(e.type.value, e.source, e.target, e.date.isoformat() if e.date else None) for e in events}


# --- "the visit of X to Y", "X is on a visit to Y" ------------------------------------------------


def test_the_visit_of_a_leader_to_a_country_is_his_visit(extract_text):
    events = extract_text("The state visit of Kenyan President William Ruto to Ghana began on Monday.", PUB)
    assert dated(events) == {("visit", "KEN", "GHA", "2024-03-11")}
    reverse = extract_text("The official visit of Ghanaian President Nana Akufo-Addo to Kenya ended on Tuesday.", PUB)
    assert ("visit", "GHA", "KEN", "occurred") in facts(reverse)


def test_a_tour_of_a_country_is_a_trip_there_not_by_it(extract_text):
    # "of" names the owner only when a person or an official follows
    assert not any(e.source == "JPN" for e in extract_text("Lula went on a tour of Japan on Monday.", PUB))


def test_on_a_visit_since_a_day_is_an_ongoing_visit_from_that_day(extract_text):
    events = extract_text(
        "Chilean President Gabriel Boric has been on an official visit to Argentina since last Monday.", PUB
    )
    assert facts(events) == {("visit", "CHL", "ARG", "occurred")}
    assert dated(events) == {("visit", "CHL", "ARG", "2024-03-11")}
    reverse = extract_text("Argentine President Javier Milei is on a two-day working visit to Chile.", PUB)
    assert facts(reverse) == {("visit", "ARG", "CHL", "occurred")}
    # people who are no state's do not visit
    assert extract_text("Tourists were on a visit to Chile.", PUB) == []


# --- "X received him": the receiver hosts, "him" is the guest named before ---------------------


def test_received_him_makes_the_one_named_before_the_guest(extract_text):
    events = extract_text(
        "Ecuadorian President Daniel Noboa arrived in Lima on Monday. Peruvian President Dina Boluarte "
        "received him at the Government Palace, where she held a ceremony for his visit.",
        PUB,
    )
    assert facts(events) == {("visit", "ECU", "PER", "occurred"), ("summit", "ECU", "PER", "occurred")}
    reverse = extract_text(
        "Peruvian President Dina Boluarte arrived in Quito on Monday. Ecuadorian President Daniel Noboa "
        "received her at the Carondelet Palace and held a ceremony for her visit.",
        PUB,
    )
    assert ("visit", "PER", "ECU", "occurred") in facts(reverse)
    assert ("visit", "ECU", "PER", "occurred") not in facts(reverse)


def test_a_welcome_as_a_noun_names_no_host(extract_text):
    # "greeted with a welcome greeting by Y": Y does not visit the one greeted
    events = extract_text(
        "Uruguayan President Luis Lacalle Pou met Paraguayan President Santiago Peña on Saturday. "
        "At the palace, Lacalle Pou was greeted with a warm welcome by Santiago Peña.",
        PUB,
    )
    assert ("visit", "PRY", "URY", "occurred") not in facts(events)
    assert ("summit", "PRY", "URY", "occurred") in facts(events)
    reverse = extract_text(
        "Paraguayan President Santiago Peña met Uruguayan President Luis Lacalle Pou on Saturday. "
        "At the palace, Peña was greeted with a rousing welcome by Lacalle Pou.",
        PUB,
    )
    assert ("visit", "URY", "PRY", "occurred") not in facts(reverse)


# --- a visit noun with no owner continues the trip told before ---------------------------------


def test_an_ownerless_visit_is_the_last_traveller_s_and_each_visit_keeps_its_own_date(extract_text):
    events = extract_text(
        "Indonesian President Joko Widodo arrived in Nairobi on Tuesday for a state visit. "
        "The visit to Kenya follows a successful state visit to Tanzania on 3 March 2024.",
        PUB,
    )
    assert ("visit", "IDN", "TZA", "2024-03-03") in dated(events)
    assert ("visit", "IDN", "KEN", "2024-03-12") in dated(events)
    reverse = extract_text(
        "Kenyan President William Ruto arrived in Jakarta on Tuesday for a state visit. "
        "The trip follows a successful visit to Vietnam on 3 March 2024.",
        PUB,
    )
    assert ("visit", "KEN", "VNM", "2024-03-03") in dated(reverse)


def test_an_ownerless_visit_with_someone_named_before_it_is_not_guessed(extract_text):
    events = extract_text(
        "Indonesian President Joko Widodo arrived in Nairobi on Tuesday for a state visit. "
        "Tanzanian President Samia Suluhu Hassan said the visit to Tanzania would come later.",
        PUB,
    )
    assert ("visit", "IDN", "TZA") not in {(e.type.value, e.source, e.target) for e in events}


# --- presence: "has been in X since DAY", "had been in A and B on D1 and D2 respectively" --------


def test_having_been_in_places_on_days_respectively_is_a_visit_on_each_day(extract_text):
    events = extract_text(
        "Senegalese President Bassirou Diomaye Faye had been in Mali and Niger on 4 and 5 March respectively.",
        PUB,
    )
    assert dated(events) == {("visit", "SEN", "MLI", "2024-03-04"), ("visit", "SEN", "NER", "2024-03-05")}
    reverse = extract_text("Cuban President Miguel Diaz-Canel has been in Hanoi since Monday.", PUB)
    assert dated(reverse) == {("visit", "CUB", "VNM", "2024-03-11")}


# --- more visit nouns: "embarked on a visit", "his stay in X", a noun repeating a verb's visit ----


def test_embarking_on_a_visit_is_a_visit_whose_tense_is_the_clause_s(extract_text):
    done = extract_text("Ghanaian President John Mahama embarked on a state visit to Togo on Monday.", PUB)
    assert facts(done) == {("visit", "GHA", "TGO", "occurred")}
    ahead = extract_text("Togolese President Faure Gnassingbe will embark on a state visit to Ghana next week.", PUB)
    assert facts(ahead) == {("visit", "TGO", "GHA", "planned")}


def test_his_stay_in_a_capital_is_his_visit(extract_text):
    events = extract_text(
        "During his two-day stay in Hanoi, Philippine President Ferdinand Marcos Jr. met Vietnamese "
        "Prime Minister Pham Minh Chinh.",
        PUB,
    )
    assert ("visit", "PHL", "VNM", "occurred") in facts(events)
    reverse = extract_text(
        "During his three-day stay in Manila, Vietnamese Prime Minister Pham Minh Chinh met Philippine "
        "President Ferdinand Marcos Jr.",
        PUB,
    )
    assert ("visit", "VNM", "PHL", "occurred") in facts(reverse)
    assert extract_text("Tourists stay in Manila for two days.", PUB) == []


def test_a_visit_noun_repeating_a_planned_arrival_is_planned_too(extract_text):
    # published on the day: "later on Thursday" is still ahead, and "his first visit" is that arrival
    events = extract_text(
        "Chinese President Xi Jinping is expected to arrive in Serbia later on Thursday, in his first visit "
        "in eight years.",
        PUB,
    )
    assert facts(events) == {("visit", "CHN", "SRB", "planned")}


# --- arriving: "reached X", "arrived at X"; a place opening the sentence is where it happens -----


def test_reaching_or_arriving_at_a_capital_is_a_visit(extract_text):
    assert facts(extract_text("Brazilian President Lula reached Luanda on Monday.", PUB)) == {
        ("visit", "BRA", "AGO", "occurred")
    }
    assert facts(extract_text("Angolan President Joao Lourenco arrived at Brasilia on Monday.", PUB)) == {
        ("visit", "AGO", "BRA", "occurred")
    }
    # what is reached is no place
    assert extract_text("Angola and Brazil reached an agreement on Monday.", PUB) == []


def test_a_meeting_after_an_opening_place_is_a_visit_there(extract_text):
    events = extract_text(
        "In Luanda, Brazilian President Luiz Inacio Lula da Silva met Angolan President Joao Lourenco on Monday.", PUB
    )
    assert {("summit", "AGO", "BRA", "occurred"), ("visit", "BRA", "AGO", "occurred")} <= facts(events)
    reverse = extract_text(
        "In Brasilia, Angolan President Joao Lourenco met Brazilian President Luiz Inacio Lula da Silva on Monday.",
        PUB,
    )
    assert ("visit", "AGO", "BRA", "occurred") in facts(reverse)
    assert ("visit", "BRA", "AGO", "occurred") not in facts(reverse)


def test_a_leader_named_by_country_is_no_venue_before_the_real_one(extract_text):
    # "US President Biden" holds the name of a country, but the meeting is held in Washington
    events = extract_text("Irish Prime Minister Simon Harris met US President Joe Biden in Washington on Monday.", PUB)
    assert ("visit", "IRL", "USA", "occurred") in facts(events)
    reverse = extract_text("US President Joe Biden met Irish Prime Minister Simon Harris in Dublin on Monday.", PUB)
    assert ("visit", "USA", "IRL", "occurred") in facts(reverse)


def test_visiting_a_person_is_no_trip_to_their_country(extract_text):
    # a caption: "X visiting Y" where Y is an official of another state names no destination
    events = extract_text(
        "Indian Prime Minister Narendra Modi visiting UK Foreign Secretary David Lammy on Saturday.", PUB
    )
    assert ("visit", "IND", "GBR") not in {(e.type.value, e.source, e.target) for e in events}
    reverse = extract_text("British Prime Minister Keir Starmer visiting Indian Foreign Minister S. Jaishankar.", PUB)
    assert ("visit", "GBR", "IND") not in {(e.type.value, e.source, e.target) for e in reverse}


def test_another_traveller_s_trip_beside_a_verb_visit_is_its_own(extract_text):
    events = extract_text(
        "Lula is the third Brazilian president to travel to Angola since Fernando Henrique Cardoso's trip to Angola "
        "in November 1996.",
        PUB,
    )
    assert ("visit", "BRA", "AGO", "1996-11-01") in dated(events)


def test_his_after_he_is_he_not_the_person_named_next(extract_text):
    events = extract_text(
        "Indian Prime Minister Narendra Modi arrived in Vienna on Tuesday. He will end his tour in Oslo with "
        "talks with Prime Minister Jonas Gahr Store.",
        PUB,
    )
    assert ("visit", "IND", "NOR") in {(e.type.value, e.source, e.target) for e in events}
    reverse = extract_text(
        "Norwegian Prime Minister Jonas Gahr Store arrived in Dhaka on Tuesday. He will end his tour in New Delhi "
        "with talks with Prime Minister Narendra Modi.",
        PUB,
    )
    assert ("visit", "NOR", "IND") in {(e.type.value, e.source, e.target) for e in reverse}


def test_a_pronoun_after_an_opening_day_is_the_story_s_subject(extract_text):
    events = extract_text(
        "Kenyan President William Ruto is on a trip to Japan. Yesterday (13), he had a meeting with the "
        "country's prime minister, Fumio Kishida.",
        PUB,
    )
    assert ("summit", "JPN", "KEN", "2024-03-13") in dated(events)
    reverse = extract_text(
        "Japanese Prime Minister Fumio Kishida is on a trip to Kenya. Yesterday (13), he had a meeting with "
        "President William Ruto.",
        PUB,
    )
    assert ("summit", "JPN", "KEN", "2024-03-13") in dated(reverse)
