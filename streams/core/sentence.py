"""One sentence as the rules read it, and the article read so far.

Most sentences hold no event: a cheap gate (a trigger word and an actor, or a word pointing back to
one) decides which are looked at closely; only those get their parties grouped and their date
phrases found, and each fact a rule works out is kept on the view for the next rule that asks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from schemas import Article, Status
from streams.core.actors import Gazetteer, Mention, MentionKind
from streams.core.dates import DatePhrase, ResolvedDate, Tense, find_phrases, has_phrase
from streams.core.lexicon import Lexicon
from streams.core.parties import Actor, Offices, group_actors
from streams.core.patterns import pattern
from streams.core.syntax import Tree, parse
from streams.core.text import Span, sentences
from streams.core.wordpatterns import Probe, WordPattern

MAX_SENTENCE_CHARS = 2000  # longer "sentences" are tables or run-on scrapes: skipped, not parsed


SANCTION_HINT = pattern("sentence.sanction_hint")


@dataclass(slots=True)
class Context:
    """What the article has said so far, for the words that point back."""

    published: date
    dominant: tuple[str, str] | None
    people: list[Actor] = field(default_factory=list)  # most recent last
    subject: Actor | None = None  # first person named in the latest sentence that named one
    last_summit: tuple[str, str] | None = None
    last_dates: list[ResolvedDate] = field(default_factory=list)
    last_visitor: Actor | None = None  # the named traveller of the latest visit told

    def leader_pair(self) -> tuple[str, str] | None:
        codes: list[str] = []
        for actor in reversed(self.people):
            if actor.leader and actor.code not in codes:
                codes.append(actor.code)
            if len(codes) == 2:
                a, b = sorted(codes)
                return (a, b)
        return self.last_summit or self.dominant


@dataclass(slots=True)
class SentenceView:
    span: Span
    text: str  # span.text and span.start, read often enough to be worth their own fields
    base: int
    actors: list[Actor]
    phrases: list[DatePhrase] | None = None  # the date phrases; None until first asked for (see dates)
    inherited: ResolvedDate | None = None
    probe: Probe | None = None  # the text lower-cased, for WordPattern's shortcuts
    found: dict[WordPattern, list[tuple[int, int]]] = field(default_factory=dict)  # by find()
    # What to_candidate works out for a trigger, kept for the next event with the same trigger
    # (the verb and the noun rule both read "visit"; a summit also yields the host's visit).
    date_leads: dict[int, tuple[bool, bool]] = field(default_factory=dict)  # by _date_lead()
    negated_at: dict[tuple[int, int], bool] = field(default_factory=dict)  # by _negated()
    modals: dict[int, str | None] = field(default_factory=dict)  # by _governing_modal()
    statuses: dict[tuple[str, str, bool], Status] = field(default_factory=dict)  # by _clause_status()
    dates_for: dict[tuple[bool, bool, bool, int, int, int, Tense], ResolvedDate | None] = field(default_factory=dict)
    parsed: Tree | None = None  # the dependency tree; None until a rule first asks (see tree)

    def tree(self) -> Tree:
        """The sentence's dependency tree, parsed when a rule first needs it."""
        if self.parsed is None:
            self.parsed = parse(self.text)
        return self.parsed

    @property
    def dates(self) -> list[DatePhrase]:
        """The sentence's date phrases, found when an event first needs them."""
        if self.phrases is None:
            self.phrases = find_phrases(self.text, self.base)
        return self.phrases

    def has_dates(self) -> bool:
        """Whether the sentence gives a date: all that a sentence without events is asked."""
        return has_phrase(self.text) if self.phrases is None else bool(self.phrases)

    def rel(self, pos: int) -> int:
        return pos - self.base

    def find(self, words: WordPattern) -> list[tuple[int, int]]:
        """(start, end) in the sentence of every match of ``words``; each list is searched for once."""
        spans = self.found.get(words)
        if spans is None:
            spans = self.found[words] = words.spans(self.text, self.probe)
        return spans

    def has(self, words: WordPattern) -> bool:
        """Whether ``words`` occur in the sentence."""
        return bool(self.find(words))

    def gap(self, a: int, b: int) -> str:
        return self.text[a - self.base : b - self.base]

    def left(
        self,
        pos: int,
        *,
        max_words: int,
        stop: re.Pattern[str] | None = None,
        want: Callable[[Actor], bool] | None = None,
    ) -> Actor | None:
        """The nearest wanted actor ending before ``pos``, with at most ``max_words`` words and no ``stop`` between."""
        for actor in reversed(self.actors):
            if actor.end > pos or (want is not None and not want(actor)):
                continue
            gap = self.gap(actor.end, pos)
            if len(gap.split()) > max_words or (stop and stop.search(gap)):
                return None
            return actor
        return None

    def right(
        self,
        pos: int,
        *,
        max_words: int,
        want: Callable[[Actor], bool] | None = None,
        gap_ok: Callable[[str], bool] | None = None,
    ) -> Actor | None:
        """The nearest wanted actor starting after ``pos``, at most ``max_words`` words away and ``gap_ok``."""
        for actor in self.actors:
            if actor.start < pos or (want is not None and not want(actor)):
                continue
            gap = self.gap(pos, actor.start)
            if len(gap.split()) > max_words or (gap_ok and not gap_ok(gap)):
                return None
            return actor
        return None


@dataclass(slots=True)
class Sentence:
    span: Span
    mentions: list[Mention]


def read_sentences(article: Article, gaz: Gazetteer) -> tuple[list[Sentence], Context]:
    """Sentences with their actor mentions, and the two countries the article is mostly about."""
    body = article.body
    mentions = gaz.find(body, article.published_at.date())
    counts: Counter[str] = Counter(m.code for m in mentions if m.kind is not MentionKind.DEMONYM)
    out: list[Sentence] = []
    index = 0
    for span in sentences(body):
        mine: list[Mention] = []
        while index < len(mentions) and mentions[index].start < span.end:
            if mentions[index].start >= span.start:
                mine.append(mentions[index])
            index += 1
        if len(span.text) <= MAX_SENTENCE_CHARS:
            out.append(Sentence(span, mine))
    top = [code for code, n in counts.most_common(2) if n >= 2]
    dominant = (min(top), max(top)) if len(top) == 2 else None
    return out, Context(published=article.published_at.date(), dominant=dominant)


def view_of(sentence: Sentence, offices: Offices, lex: Lexicon, lowered: Probe | None) -> SentenceView:
    span = sentence.span
    actors = group_actors(sentence.mentions, span.text, span.start, offices, lex)
    return SentenceView(span, span.text, span.start, actors, probe=lowered)


def people_in(sentence: Sentence, offices: Offices, lex: Lexicon) -> list[Actor]:
    """The people a sentence without events names, grouped among themselves (what later sentences read)."""
    people = [m for m in sentence.mentions if m.person]
    return group_actors(people, sentence.span.text, sentence.span.start, offices, lex) if people else []


def may_hold_event(sentence: Sentence, lowered: Probe | None, ctx: Context, lex: Lexicon) -> bool:
    """Cheap gates: a trigger word, and an actor or something pointing back to one; no sport.

    ``lowered`` is the sentence's probe, for the word lists' shortcuts.
    """
    text = sentence.span.text
    if not (
        lex.any_trigger.occurs(text, lowered)
        or lex.visit_motion.occurs(text, lowered)
        or lex.visit_presence.occurs(text, lowered)
        or lex.visit_expected.occurs(text, lowered)
    ):
        return False
    if lex.non_diplomatic_context.occurs(text, lowered) and not SANCTION_HINT.search(text):
        return False
    return bool(sentence.mentions or ctx.last_summit or _REFERENCE_HINT.search(text))


_REFERENCE_HINT = pattern("sentence.reference_hint")
