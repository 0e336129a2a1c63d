"""Words that point back: "he", "his", "the two leaders" become parties of the sentence.

A wrong referent is worse than none, so a pronoun is resolved only where news prose makes its
referent plain: the subject named earlier in the sentence, or the previous sentence's subject.
"""

from __future__ import annotations

import re

from streams.core.lexicon import Lexicon
from streams.core.parties import Actor
from streams.core.patterns import pattern
from streams.core.sentence import Context, SentenceView

# \b(he|she|his|her|him|He|She|His|Her)\b, with each word's leading \b written as a look-behind
# after its first letter: the pattern then starts with a letter, and Python's regex engine jumps
# between h, s, H and S instead of trying every position.
_PRONOUN = re.compile(
    "(?:" + "|".join(rf"{w}(?<!\w{w})" for w in ("he", "she", "his", "her", "him", "He", "She", "His", "Her")) + r")\b"
)


_PAIR_WORDS = pattern("references.pair_words")
_SUBJECT_PRONOUN = pattern("references.subject_pronoun")
_OPENING_PHRASE = pattern("references.opening_phrase")


def _other_than(subject: Actor, ctx: Context) -> Actor | None:
    """The person the article named last who is not ``subject``'s side: whom "X received him" means.

    An object pronoun never means its own clause's subject (that would be "himself").
    """
    return next((a for a in reversed(ctx.people) if a.code != subject.code), None)


def _opens_main_clause(text: str, m: re.Match[str]) -> bool:
    """ "he" or "she" right after an opening phrase and its comma ("Upon his arrival in Caracas, he")."""
    return m.group().lower() in ("he", "she") and _OPENING_PHRASE.fullmatch(text, 0, m.start()) is not None


_BELOW_LEADERS = pattern("references.below_leaders")


def add_references(view: SentenceView, ctx: Context, lex: Lexicon) -> None:
    """Pronouns and "the two leaders" become actors pointing at what the article named before."""
    extra: list[Actor] = []
    for m in _PRONOUN.finditer(view.text):
        start = m.start() + view.span.start
        # The subject named earlier in the sentence; else, for a sentence that opens with the
        # pronoun or for "him", the subject of the sentence before. Otherwise leave it alone:
        # a wrong referent is worse than none.
        # a named person; else a leader by title ("the Mexican president has ..., he was visited")
        prior = (
            [a for a in view.actors if a.end <= start and a.person]
            or [a for a in view.actors if a.end <= start and a.leader and a.titled and not a.codes]
            # "He will end his tour in Budapest with talks with Orban": "his" is the "He" before it
            or [a for a in extra if a.end <= start and m.group().lower() in ("his", "her")]
        )
        if prior and m.group() == "him":
            # an object is not its clause's subject: "Salman sent Raisi a letter inviting him";
            # "Obrador received him": the one named before who is not the subject
            referent: Actor | None = prior[-1] if len(prior) > 1 else _other_than(prior[0], ctx)
        elif prior:
            referent = prior[0]
        elif m.start() == 0 or m.group() == "him" or _opens_main_clause(view.text, m):
            referent = ctx.subject  # "Upon his arrival, he was greeted by Maduro": the story's subject
        elif m.start() < 30 and (later := [a for a in view.actors if a.start > start and a.person]):
            # "During his visit to Paris, Modi met ...": the subject named next, unless a pronoun
            # stands for the subject before it ("Upon his arrival, he was greeted by Maduro")
            between = _SUBJECT_PRONOUN.search(view.text, m.end(), view.rel(later[0].start))
            referent = ctx.subject if between else later[0]
        else:
            referent = None
        end = start + len(m.group())
        if m.group().lower() in ("his", "her") and any(end < a.start <= end + 2 for a in view.actors):
            continue  # a determiner of the actor after it: "his Eritrean counterpart"
        if referent is not None and not any(a.start <= start < a.end for a in view.actors):
            extra.append(
                Actor(
                    start,
                    start + len(m.group()),
                    referent.code,
                    referent.person,
                    referent.kinds,
                    referent.leader,
                    True,
                    via="pronoun",
                )
            )
    for m_start, m_end in view.find(lex.pair_coref):
        words = view.text[m_start:m_end]
        if not _PAIR_WORDS.search(words):
            continue
        start = m_start + view.span.start
        pair = (
            ctx.leader_pair()
            if "leader" in words.lower() or "men" in words.lower()
            else (ctx.dominant or ctx.leader_pair())
        )
        if pair:
            # "the two ministers held talks": the two sides, but below leader level (no summit)
            leaders = _BELOW_LEADERS.match(view.text, m_end) is None
            extra.append(
                Actor(start, start + len(words), pair[0], None, frozenset(), leaders, True, codes=pair, via="pair")
            )
    if extra:
        view.actors = sorted([*view.actors, *extra], key=lambda a: a.start)
