"""Kinds of real news phrasing the extractor missed on news it had not seen (issue 9).

Sentences of our own, about other country pairs, each read in both directions. Published on
Thursday 2024-03-14 unless said otherwise.
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


# --- presence: "has been in X since DAY", "had been in A and B on D1 and D2 respectively" --------


def test_having_been_in_places_on_days_respectively_is_a_visit_on_each_day(extract_text):
    events = extract_text(
        "Senegalese President Bassirou Diomaye Faye had been in Mali and Niger on 4 and 5 March respectively.",
        PUB,
    )
    assert dated(events) == {("visit", "SEN", "MLI", "2024-03-04"), ("visit", "SEN", "NER", "2024-03-05")}
    reverse = extract_text("Cuban President Miguel Diaz-Canel has been in Hanoi since Monday.", PUB)
    assert dated(reverse) == {("visit", "CUB", "VNM", "2024-03-11")}


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


def test_a_leader_named_by_country_is_no_venue_before_the_real_one(extract_text):
    # "US President Biden" holds the name of a country, but the meeting is held in Washington
    events = extract_text("Irish Prime Minister Simon Harris met US President Joe Biden in Washington on Monday.", PUB)
    assert ("visit", "IRL", "USA", "occurred") in facts(events)
    reverse = extract_text("US President Joe Biden met Irish Prime Minister Simon Harris in Dublin on Monday.", PUB)
    assert ("visit", "USA", "IRL", "occurred") in facts(reverse)


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
