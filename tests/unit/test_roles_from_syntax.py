"""Roles read from the dependency tree: host and guest, inviter and invitee, passives.

Word order gives these the wrong way round ("Y was received by X", "X is set to welcome Y"); each
case is written both ways and about pairs the corpora do not hold, so the tree, not a sentence, is
what is tested.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streams.core.extract import extract
from streams.core.ingest import article_from_text
from streams.core.syntax import parse
from tests.unit.test_extract_generalises import PUB, summary  # 2024-03-14, a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the host as grammatical subject, with the guest as object, through "is set to"
        (
            "Kazakh President Kassym-Jomart Tokayev is set to welcome Uzbek President Shavkat Mirziyoyev "
            "to the Akorda next week.",
            {("visit", "UZB", "KAZ", "planned"), ("summit", "KAZ", "UZB", "planned")},
        ),
        (
            "Uzbek President Shavkat Mirziyoyev is set to welcome Kazakh President Kassym-Jomart Tokayev "
            "to the Kuksaroy residence next week.",
            {("visit", "KAZ", "UZB", "planned"), ("summit", "KAZ", "UZB", "planned")},
        ),
        # a passive reception: the guest is the subject, the host its "by"
        (
            "Kenyan President William Ruto visited Tanzania on Monday, where he was received by "
            "President Samia Suluhu Hassan.",
            {("visit", "KEN", "TZA", "occurred"), ("summit", "KEN", "TZA", "occurred")},
        ),
        (
            "Tanzanian President Samia Suluhu Hassan visited Kenya on Monday, where she was received by "
            "President William Ruto.",
            {("visit", "TZA", "KEN", "occurred"), ("summit", "KEN", "TZA", "occurred")},
        ),
        # a passive invitation: the inviter is its "by"
        (
            "Chilean President Gabriel Boric was invited by Argentine President Javier Milei to visit Buenos Aires.",
            {("invitation", "ARG", "CHL", "occurred"), ("visit", "CHL", "ARG", "possible")},
        ),
        (
            "Argentine President Javier Milei was invited by Chilean President Gabriel Boric to visit Santiago.",
            {("invitation", "CHL", "ARG", "occurred"), ("visit", "ARG", "CHL", "possible")},
        ),
        # the active form still reads left to right
        (
            "Chilean President Gabriel Boric invited Argentine President Javier Milei to visit Santiago.",
            {("invitation", "CHL", "ARG", "occurred"), ("visit", "ARG", "CHL", "possible")},
        ),
        # two guests coordinated as the host's object
        (
            "Polish President Andrzej Duda hosted Lithuanian President Gitanas Nauseda and Latvian President "
            "Edgars Rinkevics in Warsaw on Tuesday.",
            {
                ("visit", "LTU", "POL", "occurred"),
                ("visit", "LVA", "POL", "occurred"),
                ("summit", "LTU", "POL", "occurred"),
                ("summit", "LVA", "POL", "occurred"),
            },
        ),
    ],
)
def test_roles_from_the_tree(extract_text, text, expected):
    assert summary(extract_text(text, PUB)) == expected


def test_a_passive_without_its_by_names_no_host(extract_text):
    """ "Y was welcomed at the airport": the surface reading would make the next party the guest."""
    events = extract_text("Ethiopian Prime Minister Abiy Ahmed was welcomed at the airport in Nairobi on Sunday.", PUB)
    assert ("visit", "KEN", "ETH", "occurred") not in summary(events)


def test_the_tree_keeps_offsets_and_arcs():
    text = "Kenya was invited by Tanzania to the talks."
    tree = parse(text)
    assert [text[t.start : t.end] for t in tree.tokens][:4] == ["Kenya", "was", "invited", "by"]
    invited = tree.token_at(text.index("invited"))
    assert invited is not None and tree.passive(invited)
    assert [tree.tokens[i].text for i in tree.agents(invited)] == ["Tanzania"]
    assert tree.tokens[tree.subject(invited) or 0].text == "Kenya"
    assert tree.token_at(len(text) + 5) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # lists after a visit noun and a visit verb, and a coordinated subject
        (
            "Brazilian President Luiz Inacio Lula da Silva will make trips to Angola, Nigeria, and Ghana next month.",
            {
                ("visit", "BRA", "AGO", "planned"),
                ("visit", "BRA", "NGA", "planned"),
                ("visit", "BRA", "GHA", "planned"),
            },
        ),
        (
            "Indian Prime Minister Narendra Modi visited both Austria and Russia last year.",
            {("visit", "IND", "AUT", "occurred"), ("visit", "IND", "RUS", "occurred")},
        ),
        (
            "Kazakh President Kassym-Jomart Tokayev and the presidents of Kyrgyzstan, Tajikistan and Turkmenistan "
            "traveled to Tashkent on Wednesday.",
            {
                ("visit", "KAZ", "UZB", "occurred"),
                ("visit", "KGZ", "UZB", "occurred"),
                ("visit", "TJK", "UZB", "occurred"),
                ("visit", "TKM", "UZB", "occurred"),
            },
        ),
    ],
)
def test_lists_and_third_parties_from_the_tree(extract_text, text, expected):
    assert summary(extract_text(text, PUB)) == expected


def test_a_summit_between_two_sides_hosted_by_a_third_has_only_the_two_as_parties(extract_text):
    found = summary(extract_text("Saudi Arabia hosted a summit between Ethiopian and Eritrean leaders in Jeddah.", PUB))
    assert ("summit", "ERI", "ETH", "occurred") in found
    assert not any(kind == "summit" and "SAU" in (a, b) for kind, a, b, _ in found)


def test_a_passive_visit_is_the_agents(extract_text):
    events = extract_text(
        "Kenyan President William Ruto said he was visited at State House on Tuesday by the president of "
        "Tanzania, Samia Suluhu Hassan.",
        PUB,
    )
    # two heads of state: the visitor's visit, and their meeting (as for "Ruto received Hassan")
    assert summary(events) == {("visit", "TZA", "KEN", "occurred"), ("summit", "KEN", "TZA", "occurred")}


def test_the_warning_states_speaker_is_the_subject_of_its_clause_not_the_nearest_state(extract_text):
    """ "X imposed sanctions on Y over Z's war, and it warned ...": it is X, not Z."""
    events = extract_text(
        "Britain imposed sanctions on Belarus over its support for Russia's war on Monday, and it warned it "
        "would sanction Iran's government if the drone shipments continued.",
        PUB,
    )
    assert {(kind, a, b) for kind, a, b, _ in summary(events)} == {("sanction_warning", "GBR", "IRN")}


def test_a_dateline_is_no_party():
    """Read as a file is: the ingest cuts the dateline before the extractor sees the story."""
    article = article_from_text(
        "t",
        "DAKAR, Senegal (AP) — Mali would face new sanctions if the junta delayed the elections, France warned.",
        fallback_published=datetime(2024, 3, 14, tzinfo=UTC),
    )
    assert {(e.type.value, e.source, e.target) for e in extract(article)} == {("sanction_warning", "FRA", "MLI")}


def test_receiving_an_invitation_is_being_invited_not_hosting(extract_text):
    events = extract_text(
        "Kenyan President William Ruto received an invitation from Ethiopian Prime Minister Abiy Ahmed to visit "
        "Addis Ababa.",
        PUB,
    )
    assert summary(events) == {("invitation", "ETH", "KEN", "occurred"), ("visit", "KEN", "ETH", "possible")}


def test_receiving_a_letter_or_a_call_hosts_no_one(extract_text):
    for thing in ("a letter", "a phone call", "the congratulations"):
        events = extract_text(
            f"Kenyan President William Ruto received {thing} from President Samia Suluhu Hassan.", PUB
        )
        assert not any(e.type.value == "visit" for e in events), thing


def test_a_trigger_without_a_verb_takes_the_verb_it_hangs_off():
    tree = parse("The presidents are on their way to Kyiv.")
    way = tree.token_at(len("The presidents are on their "))
    assert way is not None
    verb = tree.governing_verb(way)
    assert verb is not None and tree.tokens[verb].text == "are"
    assert tree.governing_verb(verb) is None  # the root has nothing above it


def test_thanks_for_an_unnamed_invitation_come_from_the_other_side_of_the_story(extract_text):
    events = extract_text(
        "Kenyan President William Ruto will travel to Tanzania next week. Tanzanian President Samia Suluhu Hassan "
        "met Ruto in Nairobi last year. Ruto expressed gratitude for the invitation.",
        PUB,
    )
    assert ("invitation", "TZA", "KEN", "occurred") in summary(events)
