"""Sentence splitting: abbreviations hold a sentence together, a paragraph break never does."""

from __future__ import annotations

from streams.core.text import sentences


def test_an_abbreviation_keeps_the_sentence_going():
    text = "The talks began at 3 p.m. Thursday in Lusaka. Mr. Hichilema spoke first."
    assert [s.text for s in sentences(text)] == [
        "The talks began at 3 p.m. Thursday in Lusaka.",
        "Mr. Hichilema spoke first.",
    ]


def test_a_paragraph_break_after_an_abbreviation_ends_the_sentence():
    text = "He arrived in Lusaka at about 3.05 p.m.\n\nPresident Hichilema received him at State House."
    assert [s.text for s in sentences(text)] == [
        "He arrived in Lusaka at about 3.05 p.m.",
        "President Hichilema received him at State House.",
    ]


def test_offsets_point_into_the_text():
    text = "First one.  Second one!\nThird"
    assert all(text[s.start : s.end] == s.text for s in sentences(text))
