"""A third round of sentences of our own: phrasings that hid events or invented them.

Each was a general failure found on the synthetic dev articles, written here again
about other pairs so the rule, not the article, is what is tested.
"""

from __future__ import annotations

import pytest

from tests.unit.test_extract_generalises import PUB, summary  # 2024-03-14, a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "at the invitation of": the guest is the traveller before it
        (
            "Indonesian President Joko Widodo arrived in Canberra on Monday at the invitation of "
            "Australian Prime Minister Anthony Albanese.",
            {("visit", "IDN", "AUS", "occurred"), ("invitation", "AUS", "IDN", "occurred")},
        ),
        (
            "Vietnamese President Vo Van Thuong will travel to Beijing next week at the invitation of "
            "Chinese President Xi Jinping.",
            {("visit", "VNM", "CHN", "planned"), ("invitation", "CHN", "VNM", "occurred")},
        ),
        # "the Egyptian capital" is Cairo; a relative clause keeps its subject
        (
            "Turkish President Recep Tayyip Erdogan, who arrived in the Egyptian capital on Wednesday, "
            "met President Abdel Fattah el-Sisi.",
            {("visit", "TUR", "EGY", "occurred"), ("summit", "EGY", "TUR", "occurred")},
        ),
        # a summit of an organisation: a visit to the host, no bilateral summit; "League" is no sport
        (
            "Brazilian President Luiz Inacio Lula da Silva arrived in Cairo on Wednesday for a summit of the "
            "Arab League.",
            {("visit", "BRA", "EGY", "occurred")},
        ),
        # the topic of a summit is no party to it, nor its venue
        (
            "Jordan's King Abdullah II and Egyptian President Abdel Fattah el-Sisi held a summit on Gaza in Cairo "
            "on Tuesday.",
            {("summit", "EGY", "JOR", "occurred"), ("visit", "JOR", "EGY", "occurred")},
        ),
        # the purpose of a past journey happened with it
        (
            "Japanese Prime Minister Fumio Kishida flew to Seoul on Sunday to meet President Yoon Suk Yeol.",
            {("visit", "JPN", "KOR", "occurred"), ("summit", "JPN", "KOR", "occurred")},
        ),
        # "annual" makes the dialogue routine, not the invitation or the visit beside it
        (
            "Canadian Prime Minister Justin Trudeau accepted an invitation from Indian Prime Minister Narendra Modi "
            "to visit India for the annual leaders' dialogue.",
            {("invitation", "IND", "CAN", "occurred"), ("visit", "CAN", "IND", "planned")},
        ),
        # plural titles and coordinated speakers
        (
            "The foreign ministers of Saudi Arabia, Egypt and Jordan warned Israel of new sanctions.",
            {
                ("sanction_warning", "SAU", "ISR", "occurred"),
                ("sanction_warning", "EGY", "ISR", "occurred"),
                ("sanction_warning", "JOR", "ISR", "occurred"),
            },
        ),
        (
            "French, German and British foreign ministers warned Iran that UN sanctions would be restored.",
            {
                ("sanction_warning", "FRA", "IRN", "occurred"),
                ("sanction_warning", "DEU", "IRN", "occurred"),
                ("sanction_warning", "GBR", "IRN", "occurred"),
            },
        ),
        # an object pronoun is not its clause's subject; the inviter is the sender, not the addressee
        (
            "Saudi King Salman sent Iranian President Ebrahim Raisi a letter inviting him to visit the kingdom.",
            {("invitation", "SAU", "IRN", "occurred"), ("visit", "IRN", "SAU", "possible")},
        ),
        # envoys sent abroad visit for their state; letters and troops do not
        (
            "Kenyan President William Ruto dispatched special envoys led by a former minister to Somalia last month.",
            {("visit", "KEN", "SOM", "occurred")},
        ),
        (
            "Vietnam will send its foreign minister to Canberra next week.",
            {("visit", "VNM", "AUS", "planned")},
        ),
        # "arrived from X, where he ...": the traveller had been in X
        (
            "Vietnamese Prime Minister Pham Minh Chinh arrived in Canberra from Jakarta, where he attended a "
            "regional forum.",
            {("visit", "VNM", "AUS", "occurred"), ("visit", "VNM", "IDN", "occurred")},
        ),
        # a participle clause travels with the main clause's subject and tense
        (
            "Indian Prime Minister Narendra Modi will travel to Lagos on Monday before flying on to Ghana.",
            {("visit", "IND", "NGA", "planned"), ("visit", "IND", "GHA", "planned")},
        ),
        # an envoy "sent to Pretoria as his special envoy", whoever he is
        (
            "Kenyan President William Ruto sent his chief of staff, a former governor, to Addis Ababa as his special "
            "envoy.",
            {("visit", "KEN", "ETH", "occurred")},
        ),
        # "is due in", "is expected in": an announced visit
        (
            "The Chinese foreign minister is due in Moscow next week.",
            {("visit", "CHN", "RUS", "planned")},
        ),
        (
            "Saudi Crown Prince Mohammed bin Salman is expected in Washington next month.",
            {("visit", "SAU", "USA", "planned")},
        ),
        # "his Eritrean counterpart": the possessive is the guest's determiner, not the host
        (
            "Egypt's President Abdel Fattah el-Sisi welcomed his Eritrean counterpart to Cairo on Monday.",
            {("visit", "ERI", "EGY", "occurred")},
        ),
        # sanction as a verb
        (
            "The United States has threatened to sanction Turkish officials if Ankara goes ahead with the purchase.",
            {("sanction_warning", "USA", "TUR", "occurred")},
        ),
        # attending a NATO or G20 summit abroad is a visit to the host, and no bilateral summit
        (
            "Swedish Prime Minister Ulf Kristersson will attend the NATO summit in Washington in July.",
            {("visit", "SWE", "USA", "planned")},
        ),
        # ministers meeting abroad: the visiting side's visit, no summit
        (
            "Brazilian Foreign Minister Mauro Vieira met his Argentine counterpart in Buenos Aires on Monday.",
            {("visit", "BRA", "ARG", "occurred")},
        ),
        # "the visit by X to Y"; "hosted a delegation from X"
        (
            "The visit by Indonesian President Prabowo Subianto to Beijing drew protests.",
            {("visit", "IDN", "CHN", "occurred")},
        ),
        (
            "Ghana's president hosted a delegation from Burkina Faso's military government in Accra.",
            {("visit", "BFA", "GHA", "occurred")},
        ),
        # a list of destinations is one visit to each
        (
            "Chinese Foreign Minister Wang Yi is visiting Brazil, Colombia and Chile this week.",
            {
                ("visit", "CHN", "BRA", "occurred"),
                ("visit", "CHN", "COL", "occurred"),
                ("visit", "CHN", "CHL", "occurred"),
            },
        ),
        (
            "Japanese Prime Minister Shigeru Ishiba will travel to Malaysia and Indonesia in January.",
            {("visit", "JPN", "MYS", "planned"), ("visit", "JPN", "IDN", "planned")},
        ),
        # a leader's counterpart is a leader
        (
            "Indian Prime Minister Narendra Modi met his Japanese counterpart in Tokyo on Saturday.",
            {("summit", "IND", "JPN", "occurred"), ("visit", "IND", "JPN", "occurred")},
        ),
        # "the Swiss city" is a place in Switzerland
        (
            "Indian Foreign Minister Subrahmanyam Jaishankar travelled to the Swiss city on Monday.",
            {("visit", "IND", "CHE", "occurred")},
        ),
    ],
)
def test_phrasings(extract_text, text, expected):
    assert summary(extract_text(text, PUB)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "There have been many visits between India and Japan in recent years.",
        "Kenyan and Somali officials exchange visits every year.",
        "Analysts in Nairobi say Ruto is likely to travel to Mogadishu before the election.",
        "Nigeria's coach said the squad would travel to Ghana for the league match on Sunday.",
        "Russian and Chinese tourists warned Iran of new sanctions.",
        "Turkey sent troops to Somalia in 2017.",
        "Chinese President Xi Jinping sent a letter to Brazilian President Lula.",
        "Imports from China, where factories are busy, rose sharply in May.",
        "Asked whether Ruto might make a reciprocal visit to Ethiopia, a Kenyan official said nothing.",
        "The company's chief executive toured the plant before flying to Germany.",
        "South African President Cyril Ramaphosa's planned trip to Kyiv was called off.",
        "Indian Prime Minister Narendra Modi will skip the business summit in Dubai.",
    ],
)
def test_generic_and_opinion_sentences_are_not_events(extract_text, text):
    assert extract_text(text, PUB) == []


def test_an_invitation_read_off_a_visit_takes_no_date_from_it(extract_text):
    events = extract_text(
        "Indonesian President Joko Widodo arrived in Canberra on Monday at the invitation of "
        "Australian Prime Minister Anthony Albanese.",
        PUB,
    )
    dates = {e.type.value: e.date for e in events}
    assert dates["visit"].isoformat() == "2024-03-11"
    assert dates["invitation"] is None


def test_a_when_clause_takes_the_date_it_elaborates(extract_text):
    (event,) = extract_text(
        "The round followed a meeting in Doha on March 4, when Egyptian Foreign Minister Sameh Shoukry "
        "travelled to the Qatari capital to meet his counterpart.",
        PUB,
    )
    assert (event.type.value, event.source, event.target, event.date.isoformat()) == (
        "visit",
        "EGY",
        "QAT",
        "2024-03-04",
    )


def test_a_date_opening_the_sentence_dates_its_events(extract_text):
    events = extract_text(
        "In late January 2024, Kenyan Foreign Minister Musalia Mudavadi, a veteran of many talks, flew to Addis Ababa "
        "to deliver a letter from President William Ruto inviting Prime Minister Abiy Ahmed to Nairobi.",
        PUB,
    )
    dated = {(e.type.value, e.source, e.target): e.date.isoformat() if e.date else None for e in events}
    assert dated[("visit", "KEN", "ETH")] == "2024-01-01"
    assert dated[("invitation", "KEN", "ETH")] == "2024-01-01"
