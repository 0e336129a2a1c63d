"""The extractor's shortcuts find exactly what the plain regular expressions they replace find.

Each shortcut (substring gates, lower-cased scans, anchored date and sentence-boundary
searches) exists only for speed; these properties pin them to the reference behaviour on
text built from the lexicon's own words mixed with the characters where case folding and
whitespace are treacherous.
"""

from __future__ import annotations

import re
from dataclasses import fields
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.core import dates, text
from streams.core.lexicon import lexicon
from streams.core.wordpatterns import WordPattern, probe

LEX = lexicon()
PATTERNS = {f.name: getattr(LEX, f.name) for f in fields(LEX) if isinstance(getattr(LEX, f.name), WordPattern)}


def _lexicon_words() -> list[str]:
    words: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, str):
            words.add(node)
        elif isinstance(node, dict):
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(LEX.raw)
    return sorted(w for w in words if w and len(w) < 40 and "\\" not in w)


# Characters that case-insensitive matching and str.lower() treat differently, put inside words
TWINS = str.maketrans({"i": "ı", "I": "İ", "s": "ſ", "k": "K"})
TRICKY = ["İ", "ı", "ſ", "µ", "Μ", "Σ", "ß", "’", "“", "”", "–", "—", "\n", "\t", "  ", " ", "-", ".", ",", "'s"]
PIECES = st.one_of(
    st.sampled_from(_lexicon_words()),
    st.sampled_from(_lexicon_words()).map(str.upper),
    st.sampled_from(_lexicon_words()).map(str.title),
    st.sampled_from(_lexicon_words()).map(lambda w: w.translate(TWINS)),
    st.sampled_from(TRICKY),
    st.sampled_from(["June 18-19", "Sept. 12–17", "last September", "in July 2000", "Tuesday", "2024", "May"]),
    st.text(max_size=6),
)
TEXTS = st.lists(st.tuples(PIECES, st.sampled_from([" ", "", "  ", "\n", ", "])), max_size=25).map(
    lambda parts: "".join(piece + sep for piece, sep in parts)
)


def reference_spans(pattern: WordPattern, sample: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.regex.finditer(sample)]


@pytest.mark.parametrize("name", sorted(PATTERNS))
@settings(max_examples=150, deadline=None)
@given(sample=TEXTS)
def test_word_pattern_shortcuts_match_the_regex(name: str, sample: str) -> None:
    pattern = PATTERNS[name]
    expected = reference_spans(pattern, sample)
    lowered = probe(sample)
    assert pattern.spans(sample, lowered) == expected
    assert pattern.scan(sample, lowered) == expected
    assert pattern.first(sample, lowered) == (expected[0] if expected else None)
    assert pattern.occurs(sample, lowered) is bool(expected)


@settings(max_examples=300, deadline=None)
@given(sample=TEXTS, cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=6))
def test_sentence_index_probes_pieces_as_a_whole_text_probe_would(sample: str, cuts: list[int]) -> None:
    index = LEX.sentence_index
    assert index is not None
    bounds = sorted({0, len(sample), *(min(c, len(sample)) for c in cuts)})
    spans = list(pairwise(bounds))
    for (start, end), piece_probe in zip(spans, index.probes(sample, spans), strict=True):
        piece = sample[start:end]
        for pattern in PATTERNS.values():
            assert pattern.spans(piece, piece_probe) == reference_spans(pattern, piece)


@settings(max_examples=400, deadline=None)
@given(sample=TEXTS)
def test_anchored_date_search_finds_what_finditer_finds(sample: str) -> None:
    expected = [(m.span(), m.lastgroup) for m in dates._CANDIDATE.finditer(sample)]
    assert [(m.span(), m.lastgroup) for m in dates._candidates(sample)] == expected


@settings(max_examples=400, deadline=None)
@given(sample=TEXTS)
def test_anchored_sentence_boundaries_are_finditer_s(sample: str) -> None:
    expected = [m.span() for m in text._BOUNDARY.finditer(sample)]
    assert [m.span() for m in text._boundaries(sample)] == expected


def test_the_properties_see_every_word_list() -> None:
    # a WordPattern field added to the lexicon is covered without editing this file
    assert len(PATTERNS) >= 25
    assert all(isinstance(p.regex, re.Pattern) for p in PATTERNS.values())
