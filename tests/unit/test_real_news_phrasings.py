"""Phrasings of real news copy that the extractor misread: sentences of our own, other country pairs."""

from __future__ import annotations

from tests.unit.test_extract_generalises import PUB


def facts(events):
    return {(e.type.value, e.source, e.target, e.status.value) for e in events}


def test_an_infinitive_after_a_past_act_is_that_act_purpose(extract_text):
    # "held a ceremony to welcome X": the welcome happened, and Monday is last Monday
    events = extract_text(
        "Ahead of their talks, Erdogan held an official ceremony to welcome Scholz, who landed in Ankara on Monday.",
        PUB,
    )
    visits = [e for e in events if e.type.value == "visit"]
    assert {(e.source, e.target, e.status.value) for e in visits} == {("DEU", "TUR", "occurred")}
    assert all(e.date is None or e.date.isoformat() == "2024-03-11" for e in visits)
    other_way = extract_text("Scholz held a ceremony in Berlin to welcome Erdogan on Monday.", PUB)
    assert ("visit", "TUR", "DEU", "occurred") in facts(other_way)
    assert not any(e.status.value == "planned" for e in other_way)


def test_an_infinitive_after_a_verb_of_intent_stays_a_plan(extract_text):
    events = extract_text("Scholz agreed to welcome Erdogan in Berlin.", PUB)
    assert ("visit", "TUR", "DEU", "planned") in facts(events)
    headline = extract_text("Erdogan to visit Germany", PUB)
    assert facts(headline) == {("visit", "TUR", "DEU", "planned")}


def test_set_for_a_visit_is_a_plan_and_its_month_is_ahead(extract_text):
    events = extract_text("President Lula set for state visit to Japan in May", PUB)
    assert [(e.type.value, e.source, e.target, e.status.value, e.date.isoformat()) for e in events] == [
        ("visit", "BRA", "JPN", "planned", "2024-05-01")
    ]
    reverse = extract_text("Prime Minister Kishida set for official visit to Brazil in May", PUB)
    assert [(e.source, e.target, e.status.value) for e in reverse] == [("JPN", "BRA", "planned")]


def test_a_visit_noun_under_an_infinitive_is_no_fact(extract_text):
    # the invitation was issued; the visit it asks for is still ahead, even "in" this year
    events = extract_text(
        "President Macron on Tuesday extended an invitation to his Nigerian counterpart Bola Tinubu "
        "to pay a state visit to France in 2024.",
        PUB,
    )
    assert ("invitation", "FRA", "NGA", "occurred") in facts(events)
    assert ("visit", "NGA", "FRA", "planned") in facts(events)
    assert ("visit", "NGA", "FRA", "occurred") not in facts(events)
    # the purpose of a past journey still happened
    flown = extract_text("Tinubu flew to Paris on Monday to pay an official visit.", PUB)
    assert ("visit", "NGA", "FRA", "occurred") in facts(flown)


def test_an_invitation_and_its_headline_are_one_planned_visit(extract_text):
    events = extract_text(
        "Tinubu accepts Macron's invitation to visit France\n\n"
        "President Macron on Tuesday extended an invitation to his Nigerian counterpart Bola Tinubu "
        "to pay a state visit to France in 2024.",
        PUB,
    )
    assert [(e.source, e.target, e.status.value) for e in events if e.type.value == "visit"] == [
        ("NGA", "FRA", "planned")
    ]


def test_a_leader_spelt_in_another_transliteration_is_still_known(extract_text):
    events = extract_text(
        "President Gurbanguly Berdimuhamedov invited his Azerbaijani counterpart Ilham Aliyev to visit Turkmenistan.",
        "2021-02-01",
    )
    assert ("invitation", "TKM", "AZE", "occurred") in facts(events)
    assert [e.person for e in events if e.type.value == "invitation"] == ["Gurbanguly Berdimuhamedow"]
    back = extract_text("Ilham Aliyev invited President Serdar Berdymukhamedov to visit Azerbaijan.", "2023-02-01")
    assert ("invitation", "AZE", "TKM", "occurred") in facts(back)


def test_on_their_way_to_a_capital_is_a_journey_of_every_traveller(extract_text):
    events = extract_text(
        "Finnish President Alexander Stubb and the presidents of Austria and Slovenia are on their way to Rome.", PUB
    )
    assert {(e.source, e.target) for e in events if e.type.value == "visit"} == {
        ("FIN", "ITA"),
        ("AUT", "ITA"),
        ("SVN", "ITA"),
    }
    back = extract_text("Italian Prime Minister Giorgia Meloni was en route to Helsinki on Tuesday.", PUB)
    assert ("visit", "ITA", "FIN", "occurred") in facts(back)


def test_a_place_after_in_is_where_the_visitor_went_not_who_went(extract_text):
    # the sentence before names the traveller; "in Chile for a visit" must not make Chile the visitor
    events = extract_text(
        "Spanish Prime Minister Pedro Sanchez is in Chile this week.\n\n"
        "Spanish Prime Minister Pedro Sanchez has arrived in Chile for a visit, including talks on lithium.",
        PUB,
    )
    assert {(e.type.value, e.source, e.target) for e in events} == {("visit", "ESP", "CHL")}
    other_way = extract_text(
        "Chilean President Gabriel Boric is in Spain this week.\n\n"
        "Chilean President Gabriel Boric has arrived in Spain for a visit.",
        PUB,
    )
    assert {(e.type.value, e.source, e.target) for e in other_way} == {("visit", "CHL", "ESP")}


def test_a_place_qualifying_a_noun_is_not_the_traveller(extract_text):
    events = extract_text("Marape after his Australia tour will travel to Japan next week.", PUB)
    assert [(e.source, e.target, e.status.value) for e in events if e.type.value == "visit"] == [
        ("PNG", "JPN", "planned")
    ]
    other_way = extract_text("Kishida after his Papua New Guinea tour flew to Australia on Tuesday.", PUB)
    assert ("visit", "JPN", "AUS", "occurred") in facts(other_way)
    assert not any(e.source == "PNG" for e in other_way)


def warnings(events):
    return {(e.source, e.target) for e in events if e.type.value == "sanction_warning"}


def test_sanctions_said_to_be_on_the_way_are_a_warning(extract_text):
    events = extract_text(
        "The British Foreign Secretary has warned members of Georgia's parliament that sanctions barring "
        "them from travel to Britain could be on the way if the law passes.",
        PUB,
    )
    assert warnings(events) == {("GBR", "GEO")}
    other_way = extract_text(
        "Georgia's Foreign Ministry warned Britain that sanctions on its diplomats would soon be coming.", PUB
    )
    assert warnings(other_way) == {("GEO", "GBR")}


def test_a_deal_that_could_attract_sanctions_is_a_warning(extract_text):
    events = extract_text(
        "The German Foreign Ministry suggested that the arms deal with Serbia could attract European sanctions.",
        PUB,
    )
    assert warnings(events) == {("DEU", "SRB")}


def test_sanctions_on_a_weekday_are_no_target(extract_text):
    # a state's own sanctions reported by a speaker of another state are no warning by that speaker
    events = extract_text(
        "The Japanese Foreign Minister said Russia's sanctions on Friday came as a surprise to Tokyo.", PUB
    )
    assert warnings(events) == set()
    aimed = extract_text("The Japanese Foreign Minister said new sanctions on Russia would follow.", PUB)
    assert warnings(aimed) == {("JPN", "RUS")}


def visits(events):
    return {(e.source, e.target, e.status.value) for e in events if e.type.value == "visit"}


def test_attending_an_event_held_abroad_is_a_visit_to_its_host(extract_text):
    events = extract_text(
        "Former president Jacob Zuma had attended the 30th Organisation of African Unity (OAU) summit in Tunis "
        "in June 1994.",
        "2015-06-01",
    )
    assert visits(events) == {("ZAF", "TUN", "occurred")}
    assert [e.date.isoformat() for e in events if e.type.value == "visit"] == ["1994-06-01"]
    other_way = extract_text(
        "Lula is expected to take part in the 16th meeting of the Council of Heads of State of the Group of "
        "Twenty in the city of Johannesburg, South Africa.",
        PUB,
    )
    assert visits(other_way) == {("BRA", "ZAF", "possible")}


def test_a_topic_country_is_not_where_the_event_is_held(extract_text):
    events = extract_text("Kishida attended a conference on Ukraine in Berlin on Monday.", PUB)
    assert visits(events) == {("JPN", "DEU", "occurred")}
    assert not any(e.target == "UKR" for e in events)


def test_attending_with_no_place_named_is_no_visit(extract_text):
    assert visits(extract_text("Prime Minister Narendra Modi attended the ceremony on Monday.", PUB)) == set()
    assert visits(extract_text("Modi attended the ceremony, after which he flew home from Nepal.", PUB)) == set()


def test_the_two_ministers_meeting_is_no_summit(extract_text):
    # the article is about two leaders; the ministers carry the message
    events = extract_text(
        "Sultan Haitham bin Tarik has invited Iranian President Masoud Pezeshkian to visit Muscat.\n\n"
        "The invitation was handed to Iranian Foreign Minister Abbas Araghchi by an Omani minister in Tehran.\n\n"
        "The two ministers also held talks on trade.",
        PUB,
    )
    assert not any(e.type.value == "summit" for e in events)
    assert ("invitation", "OMN", "IRN", "occurred") in facts(events)
    leaders = extract_text(
        "Iranian President Masoud Pezeshkian met Sultan Haitham bin Tarik in Muscat on Monday.\n\n"
        "The two leaders also held talks on trade.",
        PUB,
    )
    assert ("summit", "IRN", "OMN", "occurred") in facts(leaders)


def test_a_foreign_minister_spelt_another_way_is_no_emir(extract_text):
    # in 2021 he was foreign minister only (prime minister from 2023): no summit
    events = extract_text(
        "The Turkish President on Tuesday received Sheikh Mohammed bin Abdel Rahman Al Thani in Ankara.", "2021-05-25"
    )
    assert not any(e.type.value == "summit" for e in events)
    assert [(e.source, e.target, e.person) for e in events if e.type.value == "visit"] == [
        ("QAT", "TUR", "Mohammed bin Abdulrahman Al Thani")
    ]


def test_visited_by_two_leaders_in_turn_is_two_visits_and_two_summits(extract_text):
    events = extract_text(
        "It was the second visit the Brazilian president had received this week, since on Monday he was visited "
        "in Brasilia by the president of Peru, Dina Boluarte, and on Tuesday by the president of Chile, "
        "Gabriel Boric.",
        PUB,
    )
    assert {("visit", "PER", "BRA"), ("visit", "CHL", "BRA"), ("summit", "BRA", "PER"), ("summit", "BRA", "CHL")} <= {
        (e.type.value, e.source, e.target) for e in events
    }


def test_a_pronoun_after_a_leader_by_title_is_that_leader(extract_text):
    events = extract_text("The Peruvian president said that on Monday he was visited by Gabriel Boric.", PUB)
    assert ("visit", "CHL", "PER", "occurred") in facts(events)
    # a named person before the pronoun still comes first
    named = extract_text("The Peruvian president met Lula, who said he was visited by Gabriel Boric.", PUB)
    assert ("visit", "CHL", "PER", "occurred") not in facts(named)


def test_an_invitation_closing_the_sentence_invites_its_traveller(extract_text):
    events = extract_text(
        "Vietnamese President Vo Van Thuong arrived in Havana on Monday for a state visit, which will last "
        "until Thursday, at the invitation of his Cuban counterpart, Miguel Diaz-Canel.",
        "2023-09-20",
    )
    assert ("invitation", "CUB", "VNM", "occurred") in facts(events)
    assert ("visit", "VNM", "CUB", "occurred") in facts(events)
    other_way = extract_text(
        "Cuban President Miguel Diaz-Canel arrived in Hanoi on Monday for a state visit, which will last until "
        "Thursday, at the invitation of his Vietnamese counterpart, Vo Van Thuong.",
        "2023-09-20",
    )
    assert ("invitation", "VNM", "CUB", "occurred") in facts(other_way)


def test_a_pope_named_by_his_regnal_name_alone_once_named_in_full(extract_text):
    events = extract_text(
        "Argentine President Javier Milei invited Pope Francis to Argentina.\n\n"
        "Milei will meet Francis at the Vatican in February, his office said.",
        "2024-01-10",
    )
    assert ("visit", "ARG", "VAT", "planned") in facts(events)
    assert ("summit", "ARG", "VAT", "planned") in facts(events)
    # a Francis the article does not name as the pope is nobody in particular
    other = extract_text("Milei will meet Francis Fukuyama in Buenos Aires.", "2024-01-10")
    assert not any("VAT" in (e.source, e.target) for e in other)


def test_the_date_after_an_invited_trip_is_the_trips(extract_text):
    events = extract_text("Lula invited Macron to visit Brazil in November.", PUB)
    invitation = [e for e in events if e.type.value == "invitation"]
    visit = [e for e in events if e.type.value == "visit"]
    assert [(e.source, e.target, e.date) for e in invitation] == [("BRA", "FRA", None)]
    assert [(e.source, e.target, e.date.isoformat()) for e in visit] == [("FRA", "BRA", "2024-11-01")]
    # a date after what the invitation was made in is the invitation's
    made = extract_text("Macron invited Lula to visit France during a telephone call in February.", PUB)
    assert [e.date.isoformat() for e in made if e.type.value == "invitation"] == ["2024-02-01"]


def test_consequences_including_sanctions_after_a_comma_are_a_warning(extract_text):
    events = extract_text(
        "Britain warned Iran of consequences, including new sanctions, if it supplies missiles to Russia.", PUB
    )
    assert warnings(events) == {("GBR", "IRN")}
    other_way = extract_text("Iran warned Britain of consequences, including sanctions, over the seizure.", PUB)
    assert warnings(other_way) == {("IRN", "GBR")}


def test_leaving_one_place_for_another_is_a_journey_to_the_second(extract_text):
    events = extract_text("President Ruto left Nairobi for Kampala on Tuesday for talks.", PUB)
    assert visits(events) == {("KEN", "UGA", "occurred")}
    other_way = extract_text("President Museveni departs Kampala for Nairobi on Friday for a state visit.", PUB)
    assert ("KEN", "UGA", "occurred") not in visits(other_way)
    assert {(s, t) for s, t, _ in visits(other_way)} == {("UGA", "KEN")}


def test_jetting_off_to_a_capital_is_a_journey(extract_text):
    assert visits(extract_text("Prime Minister Albanese jets off to Tokyo for talks.", PUB)) == {
        ("AUS", "JPN", "occurred")
    }


def test_retaliating_with_sanctions_is_a_warning(extract_text):
    assert warnings(extract_text("China has warned Lithuania that it will retaliate with sanctions.", PUB)) == {
        ("CHN", "LTU")
    }
    assert warnings(extract_text("Lithuania warned China it would answer with countersanctions.", PUB)) == {
        ("LTU", "CHN")
    }


def test_a_venue_after_a_counterpart_named_in_full_is_still_the_venue(extract_text):
    events = extract_text(
        "Spanish Prime Minister Pedro Sanchez met with his Brazilian counterpart Luiz Inacio Lula da Silva "
        "in Madrid on Monday.",
        PUB,
    )
    assert ("visit", "BRA", "ESP", "occurred") in facts(events)


def test_threatening_a_state_with_sanctions_is_a_warning_of_that_state(extract_text):
    # "States" in "the United States" is no speech verb
    assert warnings(extract_text("The United States has threatened Serbia with sanctions over the deal.", PUB)) == {
        ("USA", "SRB")
    }
    assert warnings(extract_text("Serbia's government threatened the United States with sanctions.", PUB)) == {
        ("SRB", "USA")
    }


def test_the_traveller_stands_before_a_relative_clause(extract_text):
    events = extract_text("Tinubu, who was invited by Macron, arrived in Paris on Wednesday.", PUB)
    assert ("NGA", "FRA", "occurred") in visits(events)
    other_way = extract_text("Macron, who had met Tinubu in June, flew to Abuja on Monday.", PUB)
    assert ("FRA", "NGA", "occurred") in visits(other_way)
    assert not any(s == "NGA" for s, _, _ in visits(other_way))


def test_a_first_visit_since_a_month_and_year_recalls_that_month(extract_text):
    events = extract_text("It was Emmanuel Macron's first visit to Morocco since October 2022.", PUB)
    assert ("visit", "FRA", "MAR", "occurred", "2022-10-01") in {
        (e.type.value, e.source, e.target, e.status.value, e.date.isoformat() if e.date else None) for e in events
    }
    assert [e.precision.value for e in events if e.date] == ["month"]
    other_way = extract_text("It was Aziz Akhannouch's first visit to France since 2018.", PUB)
    assert [(e.source, e.target, e.date.isoformat()) for e in other_way if e.date] == [("MAR", "FRA", "2018-01-01")]


def test_a_courtesy_call_on_a_leader_is_a_meeting_in_person(extract_text):
    events = extract_text(
        "President Mahama paid a courtesy call on President Ouattara in Abidjan on Monday.", "2025-03-14"
    )
    assert {("summit", "CIV", "GHA", "occurred"), ("visit", "GHA", "CIV", "occurred")} <= facts(events)
    other_way = extract_text(
        "President Ouattara paid a courtesy call on President Mahama in Accra on Monday.", "2025-03-14"
    )
    assert ("visit", "CIV", "GHA", "occurred") in facts(other_way)
    # a country after "on" is still a topic
    topic = extract_text("Mahama and Ouattara held talks on Mali in Accra.", "2025-03-14")
    assert not any("MLI" in (e.source, e.target) for e in topic)
