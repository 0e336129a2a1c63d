"""Article → diplomatic events: the composition of actors, triggers, dates and status.

The extractor is a pure function of (article text, publication time): same
input, same events, same ids. It reads one sentence at a time, groups actor
mentions into the people and governments they describe ("Russian President
Vladimir Putin" is one actor), finds the words of the four event types, and
fills each event's roles from the words around its trigger: the subject on the
left, the destination or guest on the right, "X's visit", "a visit by X",
"the invitation of X". What a sentence leaves implicit ("the two leaders",
"he", "the summit") is taken from the article read so far, never invented.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from schemas import CAMEO_CODES, Article, DiplomaticEvent, EventType, Precision, Status, make_pair
from streams import __version__
from streams.core.actors import PLACE_KINDS, Gazetteer, Mention, MentionKind, gazetteer
from streams.core.dates import DatePhrase, ResolvedDate, Tense, find_phrases, has_phrase, resolve
from streams.core.identity import Candidate, deduplicate, event_id
from streams.core.lexicon import Lexicon, Probe, WordPattern, lexicon, probe
from streams.core.status import clause_status, negated, unmarked_cue, with_date
from streams.core.text import Span, sentences

EXTRACTOR_VERSION = f"rules-{__version__}"
MAX_SENTENCE_CHARS = 2000  # longer "sentences" are tables or run-on scrapes: skipped, not parsed

_POSSESSIVE = re.compile(r"^\s*['’]s?\b")
_ARTICLE_OR_ADJ = re.compile(
    r"^\s*(?:(?:the|a|an|its|his|her|their|our|this|that|first|second|next|"
    r"recent|rare|official|state|reciprocal|friendly|working|historic|"
    r"landmark|long-awaited|surprise|unannounced|planned|upcoming|"
    r"two-day|three-day|one-day|four-day|five-day|week-long|brief|"
    r"high-profile|latest|last|possible|potential|\w+-level)\s+)*$",
    re.I,
)
_GAP_STOP = re.compile(
    r"[;:()]|\b(?:during|after|before|since|following|with|while|when|"
    r"because|although|but|whereas|where|about|over|against|between|among|"
    r"amid|despite|from|by|of|on|in|at|that|which|said|says|told|announced|"
    r"confirmed|reported|denied|welcomed|discussed|called|described|through|via)\b",
    re.I,
)
_VERB_GAP_STOP = re.compile(
    r"[;:()]|\b(?:during|after|before|since|following|with|while|when|"
    r"because|although|but|whereas|where|that|which)\b",
    re.I,
)
_NOUN_CONTEXT = re.compile(
    r"(?:['’]s?|\b(?:a|an|the|his|her|their|its|this|that|our|first|second|last|"
    r"official|state|recent|planned|upcoming|historic|rare|surprise)\s*)\s+$",
    re.I,
)
_INVITED_TO = re.compile(r"\binvit\w*\s+(?:\S+\s+){0,12}?to\s+$", re.I)
_USED_AS_VERB = re.compile(
    r"\b(?:to|will|would|may|might|could|can|shall|should|must|did|does|do|not|n't|"
    r"’ll|'ll)\s+$",
    re.I,
)
_NOUN_THEN_MODAL = re.compile(
    r"(?:\s+(?:to|in|by)\s+[\w’'.-]+(?:\s+[A-Z][\w’'.-]+)*)?\s+[\"“”]?"
    r"((?:will|would|could|may|might)\s+(?:\w+\s+)?(?:take\s+place|happen|come|go\s+ahead|"
    r"materiali[sz]e|proceed|be\s+held|occur)|comes?\s+to\s+pass|is\s+set\s+to|"
    r"is\s+expected|is\s+due|is\s+scheduled|is\s+planned)\b",
    re.I,
)
_TARGET_STOP = re.compile(
    r"\b(?:if|unless|over|because|after|when|while|since|toward|towards|near|off)\b|,\s+(?:and|but)\b|;", re.I
)
_COORDINATION = re.compile(r"\s*(?:,|and|,\s*and)\s*")
_SANCTION_HINT = re.compile(r"sanction|violat|breach|punitive|snap\s*-?back", re.I)
_LATER_MODAL = re.compile(
    r"\b((?:will|would|could|may|might)\s+(?:\w+\s+)?(?:take\s+place|happen|be\s+held|go\s+ahead|"
    r"materiali[sz]e|proceed|occur))\b",
    re.I,
)
_PARENTHETICAL = re.compile(r"\s[–—]\s[^–—]*\s[–—]\s|\([^)]*\)")
_THEN = re.compile(r"\bthen[- ]", re.I)
_EXPECT = re.compile(r"\bexpect(?:ed|s)?\b", re.I)
_DEFINITE = re.compile(r"\b(?:the|this|that)\s+(?:\w+\s+){0,2}$", re.I)


# --- actors in a sentence -------------------------------------------------------------------

_STATE_KINDS = frozenset({MentionKind.COUNTRY, MentionKind.CAPITAL, MentionKind.METONYM, MentionKind.ORGAN})


@dataclass(slots=True)
class Actor:
    """A group of mentions that name one party: "Russia's President Vladimir Putin"."""

    start: int
    end: int
    code: str
    person: str | None
    kinds: frozenset[MentionKind]
    leader: bool
    titled: bool
    codes: tuple[str, ...] = ()
    via: str = "explicit"  # "explicit" | "pronoun" | "pair"
    attributive: bool = False  # "tourists from Germany": a place of origin, not a state acting
    counterpart: bool = False  # "his Japanese counterpart": as high as whoever's counterpart it is

    @property
    def is_place(self) -> bool:
        return self.person is None and not self.titled and not self.kinds.isdisjoint(PLACE_KINDS)

    @property
    def governmental(self) -> bool:
        if self.attributive:
            return False
        return (
            self.via != "explicit" or self.person is not None or self.titled or not self.kinds.isdisjoint(_STATE_KINDS)
        )

    @property
    def can_travel(self) -> bool:
        """People, delegations and named states travel; a building or a news agency does not."""
        if self.attributive:
            return False
        return self.person is not None or self.titled or self.via == "pronoun" or MentionKind.COUNTRY in self.kinds


@dataclass(slots=True)
class Context:
    """What the article has said so far, for the words that point back."""

    published: date
    dominant: tuple[str, str] | None
    people: list[Actor] = field(default_factory=list)  # most recent last
    subject: Actor | None = None  # first person named in the latest sentence that named one
    last_summit: tuple[str, str] | None = None
    last_dates: list[ResolvedDate] = field(default_factory=list)

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
class _Offices:
    """The gazetteer's officials as of one publication date, each looked up once.

    An article names the same few people again and again; walking their terms for every
    mention was a noticeable part of the extractor's time.
    """

    gaz: Gazetteer
    day: date
    _known: dict[str, tuple[bool, bool]] = field(default_factory=dict)

    def leader_flags(self, person: str) -> tuple[bool, bool]:
        """(a leader on the day, ever a leader) for a person of the gazetteer.

        A leader on the day is one in a leader's office then, or a former leader who holds
        no office at all then (named in a historical passage).
        """
        flags = self._known.get(person)
        if flags is None:
            official = self.gaz.officials[person]
            ever = official.ever_leader()
            now = official.is_leader_at(self.day) or (ever and not official.role_at(self.day))
            flags = self._known[person] = (now, ever)
        return flags


def _group(mentions: list[Mention], text: str, offset: int, offices: _Offices, lex: Lexicon) -> list[Actor]:
    """Merge mentions separated only by titles ("Russian | Foreign Minister | Sergei Lavrov")."""
    groups: list[list[Mention]] = []
    for m in mentions:
        if groups:
            last = groups[-1]
            if m.code == last[0].code and _only_titles(text[last[-1].end - offset : m.start - offset], lex):
                last.append(m)
                continue
        groups.append([m])
    return [_actor(g, text, offset, offices, lex) for g in groups]


_POSSESSIVE_OR_PUNCT = re.compile(r"['’]s\b|[,.’']")
_WORD = re.compile(r"[\w-]+")
_LEADING_POSSESSIVE = re.compile(r"^\s*['’]s\b")
_TITLE_FILLER = frozenset({"the", "of", "comrade", "mr", "mrs", "ms", "dr", "then", "and"})
_DEMONYM_ONLY = frozenset({MentionKind.DEMONYM})
_ONE_KIND = {kind: frozenset({kind}) for kind in MentionKind}


def _only_titles(gap: str, lex: Lexicon) -> bool:
    words = _POSSESSIVE_OR_PUNCT.sub(" ", gap).lower().split()
    return len(words) <= 6 and all(w in lex.title_words or w in _TITLE_FILLER for w in words) and "and" not in words[:1]


def _actor(group: list[Mention], text: str, offset: int, offices: _Offices, lex: Lexicon) -> Actor:
    """One actor from its mentions: a person's office and title, or the title a state word heads.

    Each test runs only when its answer can still matter: a person in a leader's office on
    the day needs no title, and a bare demonym with no title after it has none.
    """
    start, end = group[0].start, group[-1].end
    person = group[0].person if len(group) == 1 else next((m.person for m in group if m.person), None)
    kinds = _ONE_KIND[group[0].kind] if len(group) == 1 else frozenset(m.kind for m in group)
    rel_start, rel_end = start - offset, end - offset
    before = text[max(0, rel_start - 40) : rel_start]
    if person is not None:
        leader_now, ever_leader = offices.leader_flags(person)
        leader = (
            leader_now
            or (ever_leader and _THEN.search(before[-12:]) is not None)
            or _zone_titles(text[rel_start:rel_end], before, None, lex)[0]
        )
        return Actor(start, end, offices.gaz.officials[person].country, person, kinds, leader, True)
    head = _head_title(text[rel_end : rel_end + 60], lex)
    if kinds == _DEMONYM_ONLY and not head:
        leader, titled = False, False
    else:
        leader, titled = _zone_titles(text[rel_start:rel_end], before, head, lex)
    if head and titled:
        title_at = text.find(head, rel_end)
        if 0 <= title_at - rel_end <= 12:
            end = title_at + len(head) + offset
    return Actor(
        start,
        end,
        group[-1].code,
        None,
        kinds,
        leader,
        titled,
        attributive=_attributive(before, lex),
        counterpart=head is not None and head.lower().endswith(("counterpart", "counterparts")),
    )


def _zone_titles(inner: str, before: str, head: str | None, lex: Lexicon) -> tuple[bool, bool]:
    """(a leader's title, any title) among the actor's words, the titles right before it and its head title."""
    adjacent = _adjacent_titles(before, lex)
    if not adjacent and not head:
        return _titles_within(inner)  # the actor's own words only: the same for every "Russia"
    return _titles_among(_WORD.findall(" ".join([inner, *adjacent, head or ""]).lower()), lex)


@lru_cache(maxsize=4096)
def _titles_within(inner: str) -> tuple[bool, bool]:
    """:func:`_titles_among` the words of a mention group's own text, kept per text."""
    return _titles_among(_WORD.findall(f"{inner} ".lower()), lexicon())


def _titles_among(zone: list[str], lex: Lexicon) -> tuple[bool, bool]:
    """(a leader's title, any title) among lower-case words."""
    leaders, officials = lex.leader_title_index, lex.official_title_index
    if leaders.first_words.isdisjoint(zone) and officials.first_words.isdisjoint(zone):
        return False, False  # no word that starts a title: the common case, without a lookup per word
    if leaders.find(zone) is not None:
        return True, True
    return False, officials.find(zone) is not None


def _adjacent_titles(before: str, lex: Lexicon) -> list[str]:
    """The title words right before a mention ("President", "Foreign Minister"), stopping at any other word."""
    window = before[-40:]
    if possessive := _LEADING_POSSESSIVE.match(window):
        window = window[possessive.end() :]
    last_chunk = window.rsplit(None, 1)[-1] if window.strip() else ""
    last_words = _WORD.findall(last_chunk)
    if last_words and last_words[-1].lower() not in lex.title_words and last_words[-1].lower() != "then":
        return []  # the word right before is no title (the common case): decided without reading further back
    words: list[str] = _WORD.findall(window)
    run: list[str] = []
    for word in reversed(words[-4:]):
        if word.lower() not in lex.title_words and word.lower() != "then":
            break
        run.insert(0, word)
    return run


def _attributive(before: str, lex: Lexicon) -> bool:
    """ "tourists from [Germany]", "the head of [South Korea]'s party": governed by a non-official noun."""
    low = before[-40:].lower()
    if not _contains_any(low, lex.attributive_prepositions):
        return False  # the last word cannot be one: no need to split the words
    words = _WORD.findall(low)
    if len(words) < 2 or words[-1] not in lex.attributive_prepositions:
        return False
    noun = words[-2]
    return noun not in lex.title_words and noun not in ("the", "a", "an", "visit", "invitation", "president", "leader")


def _head_title(after: str, lex: Lexicon) -> str | None:
    """The title a demonym or country introduces: "Russian [military delegation]", "Russia's [President]"."""
    after = after[:50]
    if possessive := _LEADING_POSSESSIVE.match(after):
        after = after[possessive.end() :]
    first = _WORD.search(after)
    if first is None:
        return None
    low = first.group().lower()
    if (
        low not in lex.modifiers
        and low not in lex.leader_title_index.first_words
        and low not in lex.official_title_index.first_words
    ):
        return None  # most often the next word is neither a title nor a modifier: decided by the first word
    words = _WORD.findall(after)[:5]
    lowered = [w.lower() for w in words]
    for i, low in enumerate(lowered[:4]):
        if low in lex.non_state:
            return None
        found = lex.leader_title_index.find(lowered[i:], at_start=True) or lex.official_title_index.find(
            lowered[i:], at_start=True
        )
        if found:
            return " ".join(words[i : i + len(found.split())])
        if low not in lex.modifiers:
            return None
    return None


# --- one sentence ---------------------------------------------------------------------------


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
    # What _candidate works out for a trigger, kept for the next event with the same trigger
    # (the verb and the noun rule both read "visit"; a summit also yields the host's visit).
    date_leads: dict[int, tuple[bool, bool]] = field(default_factory=dict)  # by _date_lead()
    negated_at: dict[tuple[int, int], bool] = field(default_factory=dict)  # by _negated()
    modals: dict[int, str | None] = field(default_factory=dict)  # by _governing_modal()
    statuses: dict[tuple[str, str, bool], Status] = field(default_factory=dict)  # by _clause_status()
    dates_for: dict[tuple[bool, bool, int, int, int, Tense], ResolvedDate | None] = field(default_factory=dict)

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
class _Sentence:
    span: Span
    mentions: list[Mention]


def _sentences(article: Article, gaz: Gazetteer) -> tuple[list[_Sentence], Context]:
    """Sentences with their actor mentions, and the two countries the article is mostly about."""
    body = article.body
    mentions = gaz.find(body, article.published_at.date())
    counts: Counter[str] = Counter(m.code for m in mentions if m.kind is not MentionKind.DEMONYM)
    out: list[_Sentence] = []
    index = 0
    for span in sentences(body):
        mine: list[Mention] = []
        while index < len(mentions) and mentions[index].start < span.end:
            if mentions[index].start >= span.start:
                mine.append(mentions[index])
            index += 1
        if len(span.text) <= MAX_SENTENCE_CHARS:
            out.append(_Sentence(span, mine))
    top = [code for code, n in counts.most_common(2) if n >= 2]
    dominant = (min(top), max(top)) if len(top) == 2 else None
    return out, Context(published=article.published_at.date(), dominant=dominant)


def _view(sentence: _Sentence, offices: _Offices, lex: Lexicon, lowered: Probe | None) -> SentenceView:
    span = sentence.span
    actors = _group(sentence.mentions, span.text, span.start, offices, lex)
    return SentenceView(span, span.text, span.start, actors, probe=lowered)


def _people(sentence: _Sentence, offices: _Offices, lex: Lexicon) -> list[Actor]:
    """The people a sentence without events names, grouped among themselves (what later sentences read)."""
    people = [m for m in sentence.mentions if m.person]
    return _group(people, sentence.span.text, sentence.span.start, offices, lex) if people else []


def _may_hold_event(sentence: _Sentence, lowered: Probe | None, ctx: Context, lex: Lexicon) -> bool:
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
    if lex.non_diplomatic_context.occurs(text, lowered) and not _SANCTION_HINT.search(text):
        return False
    return bool(sentence.mentions or ctx.last_summit or _REFERENCE_HINT.search(text))


_REFERENCE_HINT = re.compile(r"\b(?:he|she|his|her|him|two|both|leaders)\b", re.I)


# \b(he|she|his|her|him|He|She|His|Her)\b, with each word's leading \b written as a look-behind
# after its first letter: the pattern then starts with a letter, and Python's regex engine jumps
# between h, s, H and S instead of trying every position.
_PRONOUN = re.compile(
    "(?:" + "|".join(rf"{w}(?<!\w{w})" for w in ("he", "she", "his", "her", "him", "He", "She", "His", "Her")) + r")\b"
)
_PAIR_WORDS = re.compile(r"\b(?:two|both|pair|leaders)\b", re.I)


def _add_references(view: SentenceView, ctx: Context, lex: Lexicon) -> None:
    """Pronouns and "the two leaders" become actors pointing at what the article named before."""
    extra: list[Actor] = []
    for m in _PRONOUN.finditer(view.text):
        start = m.start() + view.span.start
        # The subject named earlier in the sentence; else, for a sentence that opens with the
        # pronoun or for "him", the subject of the sentence before. Otherwise leave it alone:
        # a wrong referent is worse than none.
        prior = [a for a in view.actors if a.end <= start and a.person]
        if prior and m.group() == "him":
            # an object is not its clause's subject: "Salman sent Raisi a letter inviting him"
            referent: Actor | None = prior[-1] if len(prior) > 1 else None
        elif prior:
            referent = prior[0]
        elif m.start() == 0 or m.group() == "him":
            referent = ctx.subject
        elif m.start() < 30 and (later := [a for a in view.actors if a.start > start and a.person]):
            referent = later[0]  # "During his visit to Paris, Modi met ...": the subject named next
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
            extra.append(
                Actor(start, start + len(words), pair[0], None, frozenset(), True, True, codes=pair, via="pair")
            )
    if extra:
        view.actors = sorted([*view.actors, *extra], key=lambda a: a.start)


# --- rules per type -------------------------------------------------------------------------


@dataclass(slots=True)
class _Found:
    type: EventType
    source: Actor
    target_code: str
    trigger: tuple[int, int]
    verb: bool
    status: Status | None = None  # fixed by the rule (invitation-derived visits)
    person: str | None = None
    confidence: float = 0.9
    dated: bool = True  # False when the dates nearby are another event's ("arrived Monday at X's invitation")


def _visits(view: SentenceView, ctx: Context, lex: Lexicon) -> Iterator[_Found]:
    text, base = view.text, view.span.start
    for m_start, m_end in view.find(lex.visit_verbs):
        if (
            _non_diplomatic_before(text, m_start, lex.visit_non_diplomatic)
            or _invited_to_before(view, m_start)
            or (text[m_start:m_end].lower() in ("visit", "visits") and _ends_with(_NOUN_CONTEXT, text, m_start))
        ):
            continue
        yield from _journey(view, m_start, m_end, _destination(view, base + m_end, 3))
    for m_start, m_end in view.find(lex.visit_motion):
        target = view.right(base + m_end, max_words=1, want=_is_destination, gap_ok=_only_the)
        yield from _journey(view, m_start, m_end, target)
    # "is in Beijing" (a person), "is due in Moscow" (a person or titled official)
    for words, who in ((lex.visit_presence, _person_or_pronoun), (lex.visit_expected, _named_traveller)):
        for m_start, m_end in view.find(words):
            pos, end = base + m_start, base + m_end
            source = view.left(pos, max_words=3, stop=_VERB_GAP_STOP, want=who)
            target = view.right(end, max_words=0, want=_is_destination)
            if source and target:
                yield _Found(EventType.VISIT, source, target.code, (pos, end), verb=True)
    for m_start, m_end in view.find(lex.visit_host):
        pos, end = base + m_start, base + m_end
        host = view.left(pos, max_words=25, stop=_SEMICOLON, want=_governmental)
        guest = view.right(end, max_words=3, want=_guest, gap_ok=_no_punctuation)
        if host and guest:
            yield _Found(EventType.VISIT, guest, host.code, (pos, end), verb=True)
            if host.leader and guest.leader and host.via == guest.via == "explicit":
                yield _pair_found(view, [host.code, guest.code], (pos, end), verb=True)
    for m_start, m_end in view.find(lex.visit_nouns):
        yield from _visit_noun(view, ctx, lex, m_start, m_end)
    for m_start, m_end in view.find(lex.visit_dispatch):
        yield from _dispatch(view, lex, m_start, m_end)
    yield from _came_from(view)


_BEFORE_PARTICIPLE = re.compile(r"\b(?:before|after|while|then)\s+$", re.I)


def _journey(view: SentenceView, m_start: int, m_end: int, target: Actor | None) -> Iterator[_Found]:
    """A travel word at ``m_start:m_end`` of the sentence: its traveller visits ``target`` and the places after it."""
    if target is None:
        return
    pos, end = view.span.start + m_start, view.span.start + m_end
    source = view.left(pos, max_words=10, stop=_VERB_GAP_STOP, want=_travels)
    participle = source is None and (source := _participle_subject(view, m_start, m_end)) is not None
    if source is None:
        return
    for place in (target, *_coordinated(view, target, _is_destination)):
        # a participle's dates nearby are the main clause's ("travel to Perth on Tuesday before flying on to ...")
        yield _Found(EventType.VISIT, source, place.code, (pos, end), verb=True, dated=not participle)


def _participle_subject(view: SentenceView, start: int, end: int) -> Actor | None:
    """ "He will tour a plant in Perth before flying on to Malaysia": the main clause's traveller.

    ``start:end`` is the travel word's match in the sentence; its first word is the verb.
    """
    if not view.text[start:end].split(None, 1)[0].lower().endswith("ing"):
        return None
    if _BEFORE_PARTICIPLE.search(view.text, max(0, start - 10), start) is None:
        return None
    return next((a for a in view.actors if a.start < view.span.start + start and _named_traveller(a)), None)


_FROM = re.compile(r"\bfrom\s+(?:the\s+)?$", re.I)
_WHERE = re.compile(r",?\s+where\b", re.I)


def _came_from(view: SentenceView) -> Iterator[_Found]:
    """ "arrived from New Delhi, where he attended the G20 summit": the traveller had been there."""
    if "where" not in view.text:
        return
    base = view.span.start
    for place in view.actors:
        if not _is_destination(place):
            continue
        start, end = place.start - base, place.end - base
        if _FROM.search(view.text, max(0, start - 12), start) is None or _WHERE.match(view.text, end) is None:
            continue
        traveller = view.left(place.start, max_words=20, stop=_SEMICOLON, want=_named_traveller)
        if traveller is not None and traveller.code != place.code:
            yield _Found(EventType.VISIT, traveller, place.code, (place.start, place.end), verb=True, confidence=0.7)


_AS_ENVOY = re.compile(r"[^,;.]{0,30}?\s+as\s+(?:\w+\s+){0,2}(?:envoy|emissary|representative)\b", re.I)
_DISPATCHED_TO = re.compile(r"(?:\s+[^\s;:.]+){0,12}?\s+to\s+(?:the\s+)?", re.I)


def _dispatch(view: SentenceView, lex: Lexicon, m_start: int, m_end: int) -> Iterator[_Found]:
    """ "Ramaphosa dispatched special envoys led by Jeff Radebe to Nigeria": the envoys' visit."""
    base = view.span.start
    to = _DISPATCHED_TO.match(view.text, m_end)
    if to is None:
        return
    sent = view.text[m_end : to.end()]
    as_envoy = _AS_ENVOY.match(view.text, to.end(), to.end() + 60) is not None  # "sent X to Pretoria as his envoy"
    if not (as_envoy or lex.visit_dispatched.occurs(sent, probe(sent))):
        return  # a letter, troops, a message: no one visits
    sender = view.left(base + m_start, max_words=6, stop=_VERB_GAP_STOP, want=_governmental)
    target = view.right(base + to.end(), max_words=0, want=_is_destination)
    if sender is None or target is None or sender.code == target.code:
        return
    envoys = [
        a for a in view.actors if base + m_end <= a.start < base + to.end() and a.person and a.code == sender.code
    ]
    envoy = Actor(
        base + m_end, base + to.end(), sender.code, envoys[0].person if envoys else None, frozenset(), False, True
    )
    yield _Found(EventType.VISIT, envoy, target.code, (base + m_start, base + m_end), verb=True, confidence=0.8)


# What the rules ask of an actor. Plain functions rather than lambdas written inside the
# rules: those were built anew for every sentence and every trigger.


def _travels(a: Actor) -> bool:
    return a.can_travel


def _coordinated(view: SentenceView, first: Actor, want: Callable[[Actor], bool]) -> list[Actor]:
    """The actors listed after ``first`` ("Malaysia and Indonesia", "Brazil, Colombia and Chile")."""
    out: list[Actor] = []
    last = first
    for actor in view.actors:
        if actor.start < last.end:
            continue
        if not want(actor) or not _COORDINATION.fullmatch(view.gap(last.end, actor.start)):
            break
        out.append(actor)
        last = actor
    return out


def _named_traveller(a: Actor) -> bool:
    """Someone who travels, not a country that may be the trip's other end."""
    return a.can_travel and (a.person is not None or a.titled or a.via == "pronoun")


def _governmental(a: Actor) -> bool:
    return a.governmental


def _is_destination(a: Actor) -> bool:
    return a.is_place or MentionKind.COUNTRY in a.kinds or MentionKind.CAPITAL in a.kinds


def _is_country_or_place(a: Actor) -> bool:
    return a.is_place or MentionKind.COUNTRY in a.kinds


def _is_place(a: Actor) -> bool:
    return a.is_place


def _is_venue(a: Actor) -> bool:
    return a.is_place or MentionKind.CAPITAL in a.kinds or MentionKind.COUNTRY in a.kinds


def _person_or_pronoun(a: Actor) -> bool:
    return a.person is not None or a.via == "pronoun"


def _guest(a: Actor) -> bool:
    return a.can_travel and not a.is_place


def _place_or_demonym(a: Actor) -> bool:
    return a.is_place or MentionKind.DEMONYM in a.kinds


_TO_DESTINATION = re.compile(r"\s*(?:(?:to|in|the|on|into)\s+)*", re.I)
_THE = re.compile(r"\s*(?:the\s+)?", re.I)
_TO_THE = re.compile(r"\s*to\s+(?:the\s+)?", re.I)
_PUNCTUATION = re.compile(r"[,.;]")
_SEMICOLON = re.compile(r"[;]")
_BY = re.compile(r"\s+by\s+")
_PREMODIFIER_STOP = re.compile(r"[,.;'’]")
_LEADING_APOSTROPHE_S = re.compile(r"^\s*['’]s?")


def _to_destination(gap: str) -> bool:
    return _TO_DESTINATION.fullmatch(gap) is not None


def _only_the(gap: str) -> bool:
    return _THE.fullmatch(gap) is not None


def _only_to_the(gap: str) -> bool:
    return _TO_THE.fullmatch(gap) is not None


def _no_punctuation(gap: str) -> bool:
    return _PUNCTUATION.search(gap) is None


def _destination(view: SentenceView, pos: int, max_words: int) -> Actor | None:
    """The place right after a visit word, past "to", "in", "the"."""
    return view.right(pos, max_words=max_words, want=_is_destination, gap_ok=_to_destination)


def _invited_to_before(view: SentenceView, start: int) -> bool:
    """ "invited X to [visit]": the visit is the invitation's, read by the invitation rule."""
    if view.probe is not None and view.probe.low.find("invit", 0, start) < 0:
        return False  # every match contains "invit": without it there is nothing to search
    return _INVITED_TO.search(view.text, 0, start) is not None


def _ends_with(pattern: re.Pattern[str], text: str, end: int) -> bool:
    """``pattern.search(text[:end])`` for a pattern that is one space-free piece then whitespace to the end.

    Such a match starts inside the last space-free chunk before ``end``, so only that chunk is
    searched (``\\b`` still sees the character before it).
    """
    head = text[:end].rstrip()
    if len(head) == end:
        return False  # the pattern needs whitespace right before ``end``
    chunk = head.rsplit(None, 1)[-1] if head else ""
    return pattern.search(text, len(head) - len(chunk), end) is not None


def _visit_noun(view: SentenceView, ctx: Context, lex: Lexicon, m_start: int, m_end: int) -> Iterator[_Found]:
    text, base = view.text, view.span.start
    pos, end = base + m_start, base + m_end
    if _non_diplomatic_before(text, m_start, lex.visit_non_diplomatic) or _ends_with(_USED_AS_VERB, text, m_start):
        return
    # "a visit by X", "X's visit", "X will pay a visit"
    by = _BY.match(text, m_end)
    source = None
    premodifier = view.left(pos, max_words=1, want=_place_or_demonym, stop=_PREMODIFIER_STOP)
    if by:
        source = view.right(end, max_words=6, want=_travels, gap_ok=_no_punctuation)
    if source is None:
        owner = view.left(pos, max_words=5, want=lambda a: a is not premodifier)
        if (
            owner
            and _POSSESSIVE.match(text[owner.end - base :])
            and _ARTICLE_OR_ADJ.match(
                _LEADING_APOSTROPHE_S.sub("", view.gap(owner.end, premodifier.start if premodifier else pos))
            )
        ):
            source = owner if owner.can_travel else None
    if source is None:
        subject = view.left(pos, max_words=8, stop=_GAP_STOP, want=_travels)
        if subject is not None and subject is not premodifier:
            source = subject
    if source is None:
        return
    target = _destination(view, end, 4)
    if target is None and by and source.start > pos:
        target = _destination(view, source.end, 2)  # "the visit by Indonesian President Prabowo to Beijing"
    confidence = 0.9
    if target is None and premodifier is not None and premodifier.code != source.code:
        target = premodifier
    if target is None:
        pair = ctx.dominant
        if not pair or source.code not in pair or source.via == "pair":
            return
        target_code, confidence = (pair[1] if pair[0] == source.code else pair[0]), 0.6
    else:
        target_code = target.code
    yield _Found(EventType.VISIT, source, target_code, (pos, end), verb=False, confidence=confidence)


_WORD_OR_APOSTROPHE = re.compile(r"[\w']+")
_WORD_APOSTROPHE_HYPHEN = re.compile(r"[\w'-]+")


def _non_diplomatic_before(text: str, start: int, words: frozenset[str]) -> bool:
    prev = _WORD_OR_APOSTROPHE.findall(text[max(0, start - 25) : start].lower())
    return bool(prev) and prev[-1] in words


def _invitations(view: SentenceView, ctx: Context, lex: Lexicon) -> Iterator[_Found]:
    text, base = view.text, view.span.start
    if view.has(lex.invitation_non_diplomatic) and not _TO_VISIT.search(text):
        return
    for m_start, m_end in view.find(lex.invitation_verbs):
        pos, end = base + m_start, base + m_end
        invitee = view.right(end, max_words=2, want=_governmental)
        # the nearest state before, unless it is the invitee ("sent Raisi a letter inviting him")
        want = _governmental if invitee is None else _other_government(invitee.code)
        inviter = view.left(pos, max_words=10, stop=_VERB_GAP_STOP, want=want)
        if inviter and invitee and inviter.code != invitee.code:
            yield _Found(EventType.INVITATION, inviter, invitee.code, (pos, end), verb=True)
            yield from _invited_visit(view, invitee, inviter, end, Status.POSSIBLE)
    for m_start, m_end in view.find(lex.invitation_nouns):
        pos, end = base + m_start, base + m_end
        inviter, invitee = None, None
        of = _OF_OR_FROM.match(text, m_end)
        if of:
            inviter = view.right(end, max_words=9, want=_governmental)
        owner = view.left(pos, max_words=3, want=_governmental)
        if inviter is None and owner and _POSSESSIVE.match(text[owner.end - base :]):
            inviter = owner
            owner = view.left(owner.start, max_words=4, stop=_VERB_GAP_STOP, want=_governmental)
        subject = owner or view.left(pos, max_words=10, stop=_VERB_GAP_STOP, want=_governmental)
        to = _TO_NOT_VISIT.match(text, m_end)
        if to:
            invitee = view.right(end, max_words=3, want=_governmental)
        accepting = subject is not None and bool(lex.invitation_accept.search(view.gap(subject.end, pos)))
        if inviter is None and subject is not None and not accepting:
            inviter = subject
        if invitee is None and subject is not None and accepting:
            invitee = subject
        if invitee is None and inviter is not None and _at_invitation(text, m_start, inviter, base):
            # "X is visiting at the invitation of Y", "X arrived in Paris at Y's invitation": the guest is
            # the traveller before; the visit is the visit rule's (its own verb gives its status)
            guest = view.left(pos, max_words=20, stop=_VERB_GAP_STOP, want=_guest_of(inviter.code))
            if guest is not None and guest is not inviter:
                yield _Found(EventType.INVITATION, inviter, guest.code, (pos, end), verb=False, dated=False)
                continue
        if invitee is None and inviter is not None:
            invitee = view.right(inviter.end, max_words=4, want=_guest_of(inviter.code))
            if invitee is None and not accepting:
                # "At the invitation of X, Y will pay a visit": the guest is the next traveller named
                invitee = view.right(inviter.end, max_words=12, want=_traveller_to(inviter.code))
        if inviter is None or invitee is None or inviter.code == invitee.code:
            continue
        yield _Found(EventType.INVITATION, inviter, invitee.code, (pos, end), verb=False)
        status = Status.PLANNED if accepting else Status.POSSIBLE
        yield from _invited_visit(view, invitee, inviter, end, status)


def _at_invitation(text: str, start: int, inviter: Actor, base: int) -> bool:
    """Whether the invitation noun at ``start`` reads "at/on the invitation", "at X's invitation"."""
    head = start if inviter.end - base > start else inviter.start - base
    return _AT_INVITATION.search(text, max(0, head - 40), head) is not None


def _other_government(code: str) -> Callable[[Actor], bool]:
    """A government other than ``code``'s."""
    return lambda a: a.governmental and a.code != code


def _guest_of(host: str) -> Callable[[Actor], bool]:
    """A government that can travel, other than the host's."""
    return lambda a: a.governmental and a.code != host and a.can_travel


def _traveller_to(host: str) -> Callable[[Actor], bool]:
    """Anyone who can travel, other than the host's side."""
    return lambda a: a.code != host and a.can_travel


_TO_VISIT = re.compile(r"\bto\s+visit\b", re.I)
# what precedes an invitation noun whose guest is the clause's subject: "at the (personal) invitation",
# "at Macron's invitation", "on the invitation"
_AT_INVITATION = re.compile(r"\b(?:at|on|upon)\s+(?:the\s+)?(?:[\w’'.-]+\s+){0,3}$", re.I)
_OF_OR_FROM = re.compile(r"\s+(?:of|from)\s+")
_TO_NOT_VISIT = re.compile(r"\s+to\s+(?!visit\b|come\b|attend\b|travel\b)", re.I)
_THEN_TO_VISIT = re.compile(r"(?:\s+\S+){0,12}?\s+to\s+(?:visit|come\s+to|travel\s+to)\b", re.I)


def _invited_visit(view: SentenceView, guest: Actor, host: Actor, after: int, status: Status) -> Iterator[_Found]:
    """ "invited Putin to visit the DPRK": the guest's visit, possible until accepted."""
    rest = view.text[view.rel(after) :]
    m = _THEN_TO_VISIT.match(rest)
    if m:
        end = after + m.end()
        target = view.right(end, max_words=3, want=_is_country_or_place)
    else:  # "invited Kishida to Seoul": the place right after the guest
        end = guest.end
        target = view.right(end, max_words=2, want=_is_place, gap_ok=_only_to_the)
        if target is None:
            return
    code = target.code if target else host.code
    if code != guest.code:
        yield _Found(EventType.VISIT, guest, code, (end - 5, end), verb=True, status=status)


def _summits(view: SentenceView, ctx: Context, lex: Lexicon) -> Iterator[_Found]:
    text, base = view.text, view.span.start
    for m_start, m_end in view.find(lex.summit_nouns):
        pos, end = base + m_start, base + m_end
        prev = _WORD_APOSTROPHE_HYPHEN.findall(text[max(0, m_start - 30) : m_start].lower())
        if prev and prev[-1] in lex.summit_non_diplomatic:
            continue
        if (prev and prev[-1] in lex.summit_multilateral) or _multilateral(view, m_start, m_end):
            yield from _attendance(view, pos, end)  # "attend the Mercosur summit in Montevideo": a visit
            continue
        codes = _summit_parties(view, pos, end, leaders_only=False)
        anaphoric = len(codes) < 2 and bool(_DEFINITE.search(text[:m_start]))
        if anaphoric and ctx.last_summit:
            codes = list(ctx.last_summit)
        if len(codes) >= 2:
            yield _pair_found(view, codes[:2], (pos, end), verb=False)
            if not anaphoric:
                yield from _host_visit(view, codes[:2], pos, end, verb=False)
    for pattern, verb in ((lex.summit_verbs, True), (lex.meeting_nouns, False)):
        for m_start, m_end in view.find(pattern):
            pos, end = base + m_start, base + m_end
            prev = _WORD_APOSTROPHE_HYPHEN.findall(text[max(0, m_start - 30) : m_start].lower())
            if prev and (prev[-1] in lex.summit_non_diplomatic or prev[-1] in lex.summit_multilateral):
                continue
            codes = _summit_parties(view, pos, end, leaders_only=True)
            if len(codes) >= 2:
                yield _pair_found(view, codes[:2], (pos, end), verb=verb)
                yield from _host_visit(view, codes[:2], pos, end, verb=verb)
            elif len(officials := _meeting_officials(view, pos, end)) >= 2:
                # below leader level a meeting is no summit, but the side meeting abroad visits (EVENTS.md)
                yield from _host_visit(view, officials[:2], pos, end, verb=verb)


def _meeting_officials(view: SentenceView, pos: int, end: int) -> list[str]:
    """The states of the people or titled officials meeting around ``pos:end``, nearest first."""
    return [
        code
        for code in _summit_parties(view, pos, end, leaders_only=False)
        if any(a.code == code and (a.person or a.titled) and not a.is_place for a in view.actors)
    ]


_OF_A_NAME = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")
_VENUE_GAP = re.compile(r"\s*(?:[^\s;,.]+\s+){0,8}?(?:in|at)\s+(?:the\s+)?", re.I)


def _venue(view: SentenceView, end: int) -> Actor | None:
    """The place a meeting is held: "in Ankara", "at the Kremlin", a few words after its trigger.

    A country named as the topic ("a summit on Gaza in Cairo") is passed over.
    """
    for actor in view.actors:
        if actor.start < end or not _is_venue(actor):
            continue
        gap = view.gap(end, actor.start)
        if _TOPIC_GAP.fullmatch(gap):
            continue
        return actor if len(gap.split()) <= 10 and _venue_gap(gap) else None
    return None


def _venue_gap(gap: str) -> bool:
    return _VENUE_GAP.fullmatch(gap) is not None


def _host_visit(view: SentenceView, codes: list[str], pos: int, end: int, *, verb: bool) -> Iterator[_Found]:
    """Leaders meeting in one side's country: the other side visited (EVENTS.md)."""
    venue = _venue(view, end)
    if venue is None or venue.code not in codes:
        return
    guest_code = codes[0] if codes[1] == venue.code else codes[1]
    guests = [a for a in view.actors if a.code == guest_code and a.can_travel and not a.codes]
    guest = (
        min(guests, key=lambda a: abs(a.start - pos))
        if guests
        else Actor(pos, end, guest_code, None, frozenset(), True, True)
    )
    yield _Found(EventType.VISIT, guest, venue.code, (pos, end), verb=verb, confidence=0.7)


def _multilateral(view: SentenceView, start: int, end: int) -> bool:
    """ "the G20 summit", "a summit of the Arab League": a capitalised name by "summit" that is no country."""
    if (of := _OF_A_NAME.match(view.text, end - view.span.start)) is not None:
        name_start = view.span.start + of.end() - 1
        if not any(a.start <= name_start < a.end for a in view.actors):
            return True
    words = _WORD.findall(view.text[max(0, start - 25) : start])
    if not words or not words[-1][:1].isupper() or words[-1] in ("The", "A", "An"):
        return False
    name_start = view.span.start + view.text.rfind(words[-1], 0, start)
    return not any(a.start <= name_start < a.end for a in view.actors)


def _attendance(view: SentenceView, pos: int, end: int) -> Iterator[_Found]:
    venue = _venue(view, end)
    if venue is None:
        return
    traveller = view.left(pos, max_words=12, stop=_VERB_GAP_STOP, want=_travels)
    if traveller is None:
        return
    if traveller.codes:  # "Both presidents are expected to attend ..."
        for code in traveller.codes:
            if code != venue.code:
                yield _Found(
                    EventType.VISIT,
                    Actor(traveller.start, traveller.end, code, None, frozenset(), True, True, via="pair"),
                    venue.code,
                    (pos, end),
                    verb=False,
                    confidence=0.6,
                )
    elif traveller.code != venue.code:
        yield _Found(EventType.VISIT, traveller, venue.code, (pos, end), verb=False, confidence=0.7)


_SPEECH_OR_SEMICOLON = re.compile(r"[;]|\b(?:said|told|says)\b")
# "a summit on Gaza", "talks about the war in Sudan": the country is the subject, not a party
_TOPIC_GAP = re.compile(
    r"\s*(?:on|about|over|regarding|concerning)\s+(?:the\s+)?(?:(?:war|conflict|crisis|situation|fighting)\s+in\s+)?",
    re.I,
)


def _summit_parties(view: SentenceView, pos: int, end: int, *, leaders_only: bool) -> list[str]:
    """Distinct countries around a summit word, nearest first: leaders, or any state for "summit"."""
    left_words, right_words = (25, 8) if leaders_only else (12, 10)
    scored: list[tuple[int, str]] = []
    has_leader = leaders_only and any(a.leader for a in view.actors)
    for actor in view.actors:
        if leaders_only and not (actor.leader or (actor.counterpart and has_leader)):
            continue
        if not leaders_only and not (actor.governmental or actor.is_place):
            continue
        if actor.end <= pos:
            gap = view.gap(actor.end, pos)
            if len(gap.split()) > left_words or ";" in gap:
                continue
            distance = pos - actor.end
        elif actor.start >= end:
            gap = view.gap(end, actor.start)
            if len(gap.split()) > right_words or _SPEECH_OR_SEMICOLON.search(gap) or _TOPIC_GAP.fullmatch(gap):
                continue
            distance = actor.start - end
        else:
            continue
        for code in actor.codes or (actor.code,):
            scored.append((distance, code))
    out: list[str] = []
    for _, code in sorted(scored):
        if code not in out:
            out.append(code)
    return out


def _pair_found(view: SentenceView, codes: list[str], trigger: tuple[int, int], *, verb: bool) -> _Found:
    a, b = sorted(codes)
    anchor = Actor(trigger[0], trigger[1], a, None, frozenset(), True, True)
    return _Found(EventType.SUMMIT, anchor, b, trigger, verb=verb)


def _sanction_warnings(view: SentenceView, ctx: Context, lex: Lexicon) -> Iterator[_Found]:
    if not _SANCTION_HINT.search(view.text) or view.has(lex.sanction_non_diplomatic):
        return
    done: set[tuple[str, str]] = set()
    for cue in view.find(lex.sanction_cues):  # one sentence may carry several governments' warnings
        for found in _warning(view, lex, cue):
            if (found.source.code, found.target_code) not in done:
                done.add((found.source.code, found.target_code))
                yield found


def _state_speaker(actor: Actor) -> bool:
    return actor.governmental and actor.via == "explicit"


def _coordinated_speaker(actor: Actor) -> bool:
    """A state speaking beside another: a bare demonym shares the title after the last one."""
    return _state_speaker(actor) or (actor.via == "explicit" and MentionKind.DEMONYM in actor.kinds)


def _warning(view: SentenceView, lex: Lexicon, cue: tuple[int, int]) -> Iterator[_Found]:
    """Who warns (the state speaking nearest before the cue) and whom (the reported side of its verb).

    ``cue`` is the (start, end) in the sentence of what is threatened.
    """
    base = view.span.start
    speaker: Actor | None = None
    speech_at = (0, 0)
    verbs = sorted(
        view.find(lex.speech),
        key=lambda verb: abs(verb[0] - cue[0]) + (0 if verb[0] < cue[0] else 1000),
    )
    for verb_start, verb_end in verbs:
        pos, end = base + verb_start, base + verb_end
        speaker = view.left(pos, max_words=8, stop=_SEMICOLON, want=_state_speaker) or view.right(
            end, max_words=4, want=_state_speaker
        )
        if speaker is not None:
            speech_at = (pos, end)
            break
    if speaker is None:
        return
    speakers = [speaker]
    while (more := view.left(speakers[-1].start, max_words=1, want=_coordinated_speaker)) and _COORDINATION.fullmatch(
        view.gap(more.end, speakers[-1].start)
    ):
        speakers.append(more)  # "Germany and Britain threatened ...", "French and British ministers warned ..."
    cue_start, cue_end = base + cue[0], base + cue[1]
    speaker_codes = {a.code for a in speakers}
    # The warned are on the reported side of the speech verb ("X warned Y ...", "... against Y, X said"),
    # up to a clause that only sets conditions ("if it invaded Ukraine", "over arms sales to Taiwan")
    # or starts another statement (", and Seoul warned ...").
    if speech_at[0] < cue_start:
        lo, hi = speech_at[1], view.span.end
    else:
        lo, hi = view.span.start, speakers[-1].start
    targets: list[str] = []
    previous = lo
    for actor in view.actors:
        if actor in speakers or actor.start < lo or actor.end > hi or actor.via == "pronoun":
            continue
        if _TARGET_STOP.search(view.gap(previous, actor.start)):
            break
        previous = actor.end
        for code in actor.codes or (actor.code,):
            if code not in speaker_codes and code not in targets:
                targets.append(code)
    for who in reversed(speakers):
        for code in targets:
            yield _Found(
                EventType.SANCTION_WARNING,
                who,
                code,
                (min(speech_at[0], cue_start), cue_end),
                verb=True,
                status=Status.OCCURRED,
            )


# --- dates, status, assembly ----------------------------------------------------------------


_CLAUSE_BREAK = re.compile(r"\b(?:after|before|since|following|when|while|until|whereas)\b|[;]", re.I)


def _extent(found: _Found) -> tuple[int, int]:
    """The stretch of text the event occupies: trigger and its explicit actors."""
    points = [found.trigger[0], found.trigger[1]]
    if found.source.via == "explicit":
        points += [found.source.start, found.source.end]
    return min(points), max(points)


def _date_lead(view: SentenceView, phrase: DatePhrase, lex: Lexicon) -> tuple[bool, bool]:
    """Whether the words before a date phrase tie it to another happening, or to a statement ("said Monday").

    The same for every event of the sentence: worked out once per phrase.
    """
    flags = view.date_leads.get(phrase.start)
    if flags is None:
        lead = view.text[max(0, view.rel(phrase.start) - 30) : view.rel(phrase.start)]
        lead_words = " ".join(_WORD_APOSTROPHE_HYPHEN.findall(lead)[-4:])
        flags = view.date_leads[phrase.start] = (
            lex.date_blockers.search(lead_words) is not None,
            lex.speech_dates.search(" ".join(lead_words.split()[-2:])) is not None,
        )
    return flags


_CONDITIONAL_MODAL = re.compile(r"\b(?:would|could|may|might)\b|pass", re.I)
_LATER_MODAL_LOWER = re.compile(_LATER_MODAL.pattern)  # for lower-cased text: all its letters are lower-case


def _governing_modal(view: SentenceView, t1: int) -> str | None:
    """The modal that governs a noun trigger ending at ``t1`` ("a summit [could take place]"), or None.

    Worked out once per trigger.
    """
    if t1 not in view.modals:
        text = view.text
        m = _NOUN_THEN_MODAL.match(text, t1)
        # then a modal later in the clause: within 160 characters, up to the first ";" (cut to
        # 160 first, so that the rest of a long sentence is not split for nothing)
        if m is None and view.probe is not None:  # the same search in the lower-cased text (see Probe)
            m = _LATER_MODAL_LOWER.search(view.probe.low[t1 : t1 + 160].split(";")[0])
        elif m is None:
            m = _LATER_MODAL.search(text[t1 : t1 + 160].split(";")[0])
        view.modals[t1] = m.group(1) if m else None
    return view.modals[t1]


_GENERIC_BEFORE = 30  # characters between "annual" and the summit word it qualifies
_GENERIC_AFTER = 40  # characters between the visit word and "every year"


def _generic_near(view: SentenceView, t0: int, t1: int) -> bool:
    """Whether the trigger at ``t0:t1`` of the sentence is a generic event word ("many visits").

    Only the word a generic phrase qualifies: in "accepted an invitation to visit India for the
    annual dialogue" the dialogue is a routine, the invitation and the visit are not.
    """
    lex = lexicon()
    for start, end in view.find(lex.generic):
        if start < t1 and end > t0 - _GENERIC_BEFORE:
            return True
    return any(t1 <= start <= t1 + _GENERIC_AFTER for start, _ in view.find(lex.generic_after))


def _negated(view: SentenceView, t0: int, t1: int) -> bool:
    """:func:`negated` for the trigger at ``t0:t1`` of the sentence, worked out once per trigger."""
    done = view.negated_at.get((t0, t1))
    if done is None:
        done = view.negated_at[(t0, t1)] = negated(view.text[:t0], view.text[t1:])
    return done


def _clause_status(view: SentenceView, before: str, trigger: str, verb: bool) -> Status:
    """:func:`clause_status`, worked out once per sentence for the same words."""
    done = view.statuses.get((before, trigger, verb))
    if done is None:
        done = view.statuses[(before, trigger, verb)] = clause_status(before, trigger, verb=verb)
    return done


def _date_for(view: SentenceView, found: _Found, ctx: Context, tense: Tense) -> ResolvedDate | None:
    """The date of the phrase nearest the event in its clause, or the one the sentence inherits.

    It depends on the event's type, its extent and trigger, and the tense only: kept per sentence.
    """
    speech_ok = found.type is EventType.SANCTION_WARNING
    invitation = found.type is EventType.INVITATION
    lo, hi = _extent(found)
    key = (speech_ok, invitation, lo, hi, found.trigger[0], tense)
    if key not in view.dates_for:
        view.dates_for[key] = _nearest_date(view, speech_ok, invitation, lo, hi, found.trigger[0], ctx, tense)
    return view.dates_for[key]


def _nearest_date(
    view: SentenceView,
    speech_ok: bool,
    invitation: bool,
    lo: int,
    hi: int,
    trigger: int,
    ctx: Context,
    tense: Tense,
) -> ResolvedDate | None:
    lex = lexicon()
    max_distance = 60 if invitation else 120
    best: tuple[int, DatePhrase] | None = None
    for phrase in view.dates:
        blocked, after_speech = _date_lead(view, phrase, lex)
        if blocked:
            continue
        if not speech_ok and after_speech:
            continue
        if phrase.start >= hi:
            distance, between = phrase.start - hi, view.gap(hi, phrase.start)
        elif phrase.end <= lo:
            distance, between = lo - phrase.end + 15, view.gap(phrase.end, trigger)
            if when := _WHEN_AFTER_DATE.match(between):
                between = between[when.end() :]  # "on June 20, when Araghchi travelled": the clause's own date
            elif _opens_sentence(view, phrase):
                distance = min(distance, max_distance)  # "In late November 2023, ...": scopes over the sentence
        else:
            distance, between = 0, ""
        if distance > max_distance or _breaks_clause(between):
            continue
        if best is None or distance < best[0]:
            best = (distance, phrase)
    if best is None:
        return view.inherited
    return resolve(best[1].text, ctx.published, tense)


_WHEN_AFTER_DATE = re.compile(r",?\s+when\b")
_SENTENCE_OPENER = re.compile(r"(?:(?:In|On|At|By|Since|During|Until|Through|Over)\s+)?(?:(?:early|late|mid-)\s*)?$")


def _opens_sentence(view: SentenceView, phrase: DatePhrase) -> bool:
    """A date adverbial that opens the sentence and is set off by a comma: "In late November 2023, ..."."""
    start, end = view.rel(phrase.start), view.rel(phrase.end)
    return start < 25 and _SENTENCE_OPENER.fullmatch(view.text[:start]) is not None and view.text[end : end + 1] == ","


_CLAUSE_WORDS = ("after", "before", "since", "following", "when", "while", "until", "whereas")


def _breaks_clause(between: str) -> bool:
    """``_CLAUSE_BREAK.search(_PARENTHETICAL.sub(" ", between))``, each regex run only when it can match."""
    if "(" in between or "–" in between or "—" in between:
        between = _PARENTHETICAL.sub(" ", between)
    if ";" in between:
        return True
    lowered = probe(between)
    if lowered is not None and not _contains_any(lowered.low, _CLAUSE_WORDS):
        return False  # none of the words, whatever their case (see probe)
    return _CLAUSE_BREAK.search(between) is not None


def _candidate(view: SentenceView, found: _Found, ctx: Context) -> Candidate | None:
    if found.source.code == found.target_code:
        return None
    text = view.text
    t0, t1 = view.rel(found.trigger[0]), view.rel(found.trigger[1])
    if found.source.end <= found.trigger[0] and found.source.via == "explicit":
        source_at = view.rel(found.source.start)
        # the clause's start: the last "," ";" or ":" before the source (three searches, no generator)
        clause = max(text.rfind(",", 0, source_at), text.rfind(";", 0, source_at), text.rfind(":", 0, source_at))
        lead = text[max(clause + 1, source_at - 40) : source_at]
        before = lead + " " + text[view.rel(found.source.end) : t0]
    else:
        before = text[max(0, t0 - 60) : t0]
    if found.type is not EventType.SANCTION_WARNING and (
        _negated(view, t0, t1) or view.has(lexicon().opinion) or _generic_near(view, t0, t1)
    ):
        return None
    governing = _governing_modal(view, t1) if not found.verb else None
    tentative = False
    if found.status is not None:
        status = found.status
    elif governing is not None:
        status = Status.POSSIBLE if _CONDITIONAL_MODAL.search(governing) else Status.PLANNED
    elif found.type is EventType.INVITATION:
        status = _clause_status(view, before[-12:], text[t0:t1], found.verb)
    else:
        status = _clause_status(view, before, text[t0:t1], found.verb)
        # a bare noun ("his visit", "the summit") says nothing of tense: it joins what the article says
        tentative = not found.verb and status is Status.OCCURRED and not unmarked_cue(before)
    tense = Tense.PAST if status is Status.OCCURRED else Tense.FUTURE
    resolved = _date_for(view, found, ctx, tense) if found.dated else None
    if resolved is not None and status is not Status.OCCURRED:
        status = with_date(status, resolved, ctx.published, expectation=bool(_EXPECT.search(before)))
        if status is Status.OCCURRED:  # the calendar says past: re-read a yearless date as past
            resolved = _date_for(view, found, ctx, Tense.PAST)
    elif resolved is None:
        status = with_date(status, None, ctx.published, expectation=bool(_EXPECT.search(before)))
    elif found.type not in (EventType.SANCTION_WARNING, EventType.INVITATION):
        status = with_date(status, resolved, ctx.published, expectation=False)
    if found.type is EventType.INVITATION and not found.verb:
        status = Status.OCCURRED  # "the invitation of X", "X's invitation": it was issued
        if resolved is not None and resolved.date > ctx.published:
            resolved = None  # a future date there is the visit's, not the invitation's
    person = None
    if found.type in (EventType.VISIT, EventType.INVITATION):
        person = found.source.person
    source, target = found.source.code, found.target_code
    if found.type is EventType.SUMMIT:
        source, target = sorted((source, target))
    confidence = found.confidence * (0.8 if found.source.via != "explicit" else 1.0)
    return Candidate(
        type=found.type,
        source=source,
        target=target,
        person=person,
        status=status,
        date=resolved.date if resolved else None,
        date_end=resolved.date_end if resolved else None,
        precision=resolved.precision if resolved else Precision.UNKNOWN,
        evidence_start=view.span.start,
        evidence_end=view.span.end,
        confidence=round(confidence, 3),
        tentative=tentative and resolved is None,
    )


_RULES = (
    # (stems one of which the lower-cased sentence must contain, rule): a substring test is far
    # cheaper than the rule's regular expressions, and most sentences fail it
    (
        (
            " in ",  # first: the commonest, and the test stops at the first stem found
            "visit",
            "trip",
            "arriv",
            "travel",
            "journey",
            "tour",
            "stopover",
            "voyage",
            "host",
            "welcom",
            "receiv",
            "greet",
            "went",
            "flew",
            "fly",
            "head",
            "land",
            "go",
            "came",
            "come",
            "sen",  # send, sent
            "dispatch",
        ),
        _visits,
    ),
    (("invit",), _invitations),
    (("summit", "talks", "meet", "met", "shook", "shake", "sat down", "tête", "tete", "face-to-face"), _summits),
    (("sanction", "violat", "breach", "punitive", "snap"), _sanction_warnings),
)
_STARTS_WITH_PRONOUN = re.compile(r"^(?:He|She|They)\b")


def candidates(article: Article, gaz: Gazetteer | None = None) -> list[Candidate]:
    """Every event mention in reading order, before de-duplication."""
    gaz = gaz or gazetteer()
    lex = lexicon()
    offices = _Offices(gaz, article.published_at.date())
    sents, ctx = _sentences(article, gaz)
    spans = [(s.span.start, s.span.end) for s in sents]
    probes = (
        lex.sentence_index.probes(article.body, spans)
        if lex.sentence_index
        else [probe(article.body[start:end]) for start, end in spans]
    )
    out: list[Candidate] = []
    for sentence, lowered in zip(sents, probes, strict=True):
        view: SentenceView | None = None
        found_here: list[Candidate] = []
        if _may_hold_event(sentence, lowered, ctx, lex):
            view = _view(sentence, offices, lex, lowered)
            low = lowered.low if lowered is not None else sentence.span.text.lower()
            found_here = _events(view, low, ctx, lex)
            actors = view.actors
        else:
            actors = _people(sentence, offices, lex)
        out.extend(found_here)
        named = [a for a in actors if a.person and a.via == "explicit"]
        ctx.people.extend(named)
        if named:
            ctx.subject = named[0]
        dated = [ResolvedDate(c.date, c.date_end, c.precision) for c in found_here if c.date]
        if dated:
            ctx.last_dates = dated
        elif ctx.last_dates and view is not None and view.has_dates():
            ctx.last_dates = []  # a date no event took: the inherited one no longer holds
    return out


def _events(view: SentenceView, low: str, ctx: Context, lex: Lexicon) -> list[Candidate]:
    """The event mentions of a sentence that may hold one; ``low`` is its text lower-cased."""
    found_here: list[Candidate] = []
    _add_references(view, ctx, lex)
    if ctx.last_dates and _STARTS_WITH_PRONOUN.match(view.text) and not view.has_dates():
        view.inherited = ctx.last_dates[-1]
    for stems, rule in _RULES:
        if not _contains_any(low, stems):
            continue
        for found in rule(view, ctx, lex):
            cand = _candidate(view, found, ctx)
            if cand is not None:
                found_here.append(cand)
                if cand.type is EventType.SUMMIT:
                    ctx.last_summit = (cand.source, cand.target)
    return found_here


def _contains_any(low: str, stems: Iterable[str]) -> bool:
    """``any(stem in low for stem in stems)`` without a generator: called for most sentences."""
    for stem in stems:  # noqa: SIM110
        if stem in low:
            return True
    return False


def extract(article: Article, gaz: Gazetteer | None = None) -> list[DiplomaticEvent]:
    """The events an article reports, one per real happening, with stable ids."""
    events: list[DiplomaticEvent] = []
    body = article.body
    for c in deduplicate(candidates(article, gaz), article.published_at.date()):
        events.append(
            DiplomaticEvent(
                event_id=event_id(article.article_id, c),
                article_id=article.article_id,
                type=c.type,
                cameo=CAMEO_CODES[c.type],
                source=c.source,
                target=c.target,
                pair=make_pair(c.source, c.target),
                person=c.person,
                status=c.status,
                date=c.date,
                date_end=c.date_end,
                precision=c.precision,
                evidence=body[c.evidence_start : c.evidence_end],
                evidence_start=c.evidence_start,
                evidence_end=c.evidence_end,
                mentions=c.mentions,
                confidence=c.confidence,
                published_at=article.published_at,
                extractor_version=EXTRACTOR_VERSION,
            )
        )
    return events
