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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from schemas import CAMEO_CODES, Article, DiplomaticEvent, EventType, Precision, Status, make_pair
from streams import __version__
from streams.core.actors import PLACE_KINDS, Gazetteer, Mention, MentionKind, gazetteer
from streams.core.dates import DatePhrase, ResolvedDate, Tense, find_phrases, resolve
from streams.core.identity import Candidate, deduplicate, event_id
from streams.core.lexicon import Lexicon, lexicon
from streams.core.status import clause_status, generic, negated, unmarked_cue, with_date
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

    @property
    def is_place(self) -> bool:
        return bool(self.kinds & PLACE_KINDS) and self.person is None and not self.titled

    @property
    def governmental(self) -> bool:
        if self.attributive:
            return False
        return (
            self.via != "explicit"
            or self.person is not None
            or self.titled
            or bool(self.kinds & {MentionKind.COUNTRY, MentionKind.CAPITAL, MentionKind.METONYM, MentionKind.ORGAN})
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


def _group(
    mentions: list[Mention], text: str, offset: int, gaz: Gazetteer, published: date, lex: Lexicon
) -> list[Actor]:
    """Merge mentions separated only by titles ("Russian | Foreign Minister | Sergei Lavrov")."""
    groups: list[list[Mention]] = []
    for m in mentions:
        if groups:
            prev = groups[-1][-1]
            gap = text[prev.end - offset : m.start - offset]
            if m.code == groups[-1][0].code and _only_titles(gap, lex):
                groups[-1].append(m)
                continue
        groups.append([m])
    return [_actor(g, text, offset, gaz, published, lex) for g in groups]


_POSSESSIVE_OR_PUNCT = re.compile(r"['’]s\b|[,.’']")
_WORD = re.compile(r"[\w-]+")
_LEADING_POSSESSIVE = re.compile(r"^\s*['’]s\b")


def _only_titles(gap: str, lex: Lexicon) -> bool:
    words = _POSSESSIVE_OR_PUNCT.sub(" ", gap).lower().split()
    filler = {"the", "of", "comrade", "mr", "mrs", "ms", "dr", "then", "and"}
    return len(words) <= 6 and all(w in lex.title_words or w in filler for w in words) and "and" not in words[:1]


def _actor(group: list[Mention], text: str, offset: int, gaz: Gazetteer, published: date, lex: Lexicon) -> Actor:
    start, end = group[0].start, group[-1].end
    person = next((m.person for m in group if m.person), None)
    inner = text[start - offset : end - offset]
    before = text[max(0, start - offset - 40) : start - offset]
    after = text[end - offset : end - offset + 60]
    head = None if person else _head_title(after, lex)
    zone = _WORD.findall(" ".join([inner, *_adjacent_titles(before, lex), head or ""]).lower())
    leader_title = lex.leader_title_index.find(zone) is not None
    titled = leader_title or lex.official_title_index.find(zone) is not None
    kinds = frozenset(m.kind for m in group)
    if kinds == {MentionKind.DEMONYM} and not head:
        titled = False
        leader_title = False
    official = gaz.official(person)
    leader = leader_title or bool(
        official and (official.is_leader_at(published) or (_THEN.search(before[-12:]) and official.ever_leader()))
    )
    if official and not leader and official.ever_leader() and not official.role_at(published):
        leader = True  # a former leader named in a historical passage
    if head and titled and person is None:
        title_at = text.find(head, end - offset)
        if 0 <= title_at - (end - offset) <= 12:
            end = title_at + len(head) + offset
    return Actor(
        start,
        end,
        group[-1].code if person is None else gaz.officials[person].country,
        person,
        kinds,
        leader,
        titled or person is not None,
        attributive=person is None and _attributive(before, lex),
    )


def _adjacent_titles(before: str, lex: Lexicon) -> list[str]:
    """The title words right before a mention ("President", "Foreign Minister"), stopping at any other word."""
    words = _WORD.findall(_LEADING_POSSESSIVE.sub("", before[-40:]))
    run: list[str] = []
    for word in reversed(words[-4:]):
        if word.lower() not in lex.title_words and word.lower() != "then":
            break
        run.insert(0, word)
    return run


def _attributive(before: str, lex: Lexicon) -> bool:
    """ "tourists from [Germany]", "the head of [South Korea]'s party": governed by a non-official noun."""
    words = _WORD.findall(before[-40:].lower())
    if len(words) < 2 or words[-1] not in lex.attributive_prepositions:
        return False
    noun = words[-2]
    return noun not in lex.title_words and noun not in ("the", "a", "an", "visit", "invitation", "president", "leader")


def _head_title(after: str, lex: Lexicon) -> str | None:
    """The title a demonym or country introduces: "Russian [military delegation]", "Russia's [President]"."""
    words = _WORD.findall(_LEADING_POSSESSIVE.sub("", after[:50]))[:5]
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
    actors: list[Actor]
    dates: list[DatePhrase]
    inherited: ResolvedDate | None = None

    @property
    def text(self) -> str:
        return self.span.text

    def rel(self, pos: int) -> int:
        return pos - self.span.start

    def gap(self, a: int, b: int) -> str:
        return self.text[self.rel(a) : self.rel(b)]

    def left(
        self, pos: int, *, max_words: int, stop: re.Pattern[str] | None = None, want=lambda a: True
    ) -> Actor | None:
        for actor in reversed(self.actors):
            if actor.end > pos or not want(actor):
                continue
            gap = self.gap(actor.end, pos)
            if len(gap.split()) > max_words or (stop and stop.search(gap)):
                return None
            return actor
        return None

    def right(self, pos: int, *, max_words: int, want=lambda a: True, gap_ok=None) -> Actor | None:
        for actor in self.actors:
            if actor.start < pos or not want(actor):
                continue
            gap = self.gap(pos, actor.start)
            if len(gap.split()) > max_words or (gap_ok and not gap_ok(gap)):
                return None
            return actor
        return None


@dataclass(frozen=True, slots=True)
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


def _view(
    sentence: _Sentence, gaz: Gazetteer, published: date, lex: Lexicon, *, people_only: bool = False
) -> SentenceView:
    span = sentence.span
    mentions = [m for m in sentence.mentions if m.person] if people_only else sentence.mentions
    actors = _group(mentions, span.text, span.start, gaz, published, lex)
    if people_only:
        return SentenceView(span, actors, [])
    dates = [DatePhrase(p.start + span.start, p.end + span.start, p.text) for p in find_phrases(span.text)]
    return SentenceView(span, actors, dates)


def _may_hold_event(sentence: _Sentence, ctx: Context, lex: Lexicon) -> bool:
    """Cheap gates: a trigger word, and an actor or something pointing back to one; no sport."""
    text = sentence.span.text
    if not (lex.any_trigger.search(text) or lex.visit_motion.search(text) or lex.visit_presence.search(text)):
        return False
    if lex.non_diplomatic_context.search(text) and not _SANCTION_HINT.search(text):
        return False
    return bool(sentence.mentions or ctx.last_summit or _REFERENCE_HINT.search(text))


_REFERENCE_HINT = re.compile(r"\b(?:he|she|his|her|him|two|both|leaders)\b", re.I)


_PRONOUN = re.compile(r"\b(he|she|his|her|him|He|She|His|Her)\b")
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
        if prior:
            referent: Actor | None = prior[0]
        elif m.start() == 0 or m.group() == "him":
            referent = ctx.subject
        elif m.start() < 30 and (later := [a for a in view.actors if a.start > start and a.person]):
            referent = later[0]  # "During his visit to Paris, Modi met ...": the subject named next
        else:
            referent = None
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
    for m in lex.pair_coref.finditer(view.text):
        if not _PAIR_WORDS.search(m.group()):
            continue
        start = m.start() + view.span.start
        pair = (
            ctx.leader_pair()
            if "leader" in m.group().lower() or "men" in m.group().lower()
            else (ctx.dominant or ctx.leader_pair())
        )
        if pair:
            extra.append(
                Actor(start, start + len(m.group()), pair[0], None, frozenset(), True, True, codes=pair, via="pair")
            )
    if extra:
        view.actors = sorted([*view.actors, *extra], key=lambda a: a.start)


# --- rules per type -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Found:
    type: EventType
    source: Actor
    target_code: str
    trigger: tuple[int, int]
    verb: bool
    status: Status | None = None  # fixed by the rule (invitation-derived visits)
    person: str | None = None
    confidence: float = 0.9


def _visits(view: SentenceView, ctx: Context, lex: Lexicon) -> Iterator[_Found]:
    text, base = view.text, view.span.start
    travel = lambda a: a.can_travel  # noqa: E731
    place = lambda a: a.is_place or MentionKind.COUNTRY in a.kinds or MentionKind.CAPITAL in a.kinds  # noqa: E731

    def destination(pos: int, max_words: int = 3) -> Actor | None:
        return view.right(
            pos,
            max_words=max_words,
            want=place,
            gap_ok=lambda g: bool(re.fullmatch(r"\s*(?:(?:to|in|the|on|into)\s+)*", g, re.I)),
        )

    for m in lex.visit_verbs.finditer(text):
        pos, end = base + m.start(), base + m.end()
        before_trigger = text[: m.start()]
        if (
            _non_diplomatic_before(text, m.start(), lex.visit_non_diplomatic)
            or _INVITED_TO.search(before_trigger)
            or (m.group().lower() in ("visit", "visits") and _NOUN_CONTEXT.search(before_trigger))
        ):
            continue
        source = view.left(pos, max_words=10, stop=_VERB_GAP_STOP, want=travel)
        target = destination(end, 3)
        if source and target:
            yield _Found(EventType.VISIT, source, target.code, (pos, end), verb=True)
    for m in lex.visit_motion.finditer(text):
        pos, end = base + m.start(), base + m.end()
        source = view.left(pos, max_words=10, stop=_VERB_GAP_STOP, want=travel)
        target = view.right(
            end, max_words=1, want=place, gap_ok=lambda g: bool(re.fullmatch(r"\s*(?:the\s+)?", g, re.I))
        )
        if source and target:
            yield _Found(EventType.VISIT, source, target.code, (pos, end), verb=True)
    for m in lex.visit_presence.finditer(text):
        pos, end = base + m.start(), base + m.end()
        source = view.left(
            pos, max_words=3, stop=_VERB_GAP_STOP, want=lambda a: a.person is not None or a.via == "pronoun"
        )
        target = view.right(end, max_words=0, want=place)
        if source and target:
            yield _Found(EventType.VISIT, source, target.code, (pos, end), verb=True)
    for m in lex.visit_host.finditer(text):
        pos, end = base + m.start(), base + m.end()
        host = view.left(pos, max_words=25, stop=re.compile(r"[;]"), want=lambda a: a.governmental)
        guest = view.right(
            end,
            max_words=2,
            want=lambda a: a.can_travel and not a.is_place,
            gap_ok=lambda g: not re.search(r"[,.;]", g),
        )
        if host and guest:
            yield _Found(EventType.VISIT, guest, host.code, (pos, end), verb=True)
            if host.leader and guest.leader and host.via == guest.via == "explicit":
                yield _pair_found(view, [host.code, guest.code], (pos, end), verb=True)
    for m in lex.visit_nouns.finditer(text):
        yield from _visit_noun(view, ctx, lex, m, destination, travel)


def _visit_noun(
    view: SentenceView,
    ctx: Context,
    lex: Lexicon,
    m: re.Match[str],
    destination: Callable[[int, int], Actor | None],
    travel: Callable[[Actor], bool],
) -> Iterator[_Found]:
    text, base = view.text, view.span.start
    pos, end = base + m.start(), base + m.end()
    if _non_diplomatic_before(text, m.start(), lex.visit_non_diplomatic) or _USED_AS_VERB.search(text[: m.start()]):
        return
    # "a visit by X", "X's visit", "X will pay a visit"
    by = re.match(r"\s+by\s+", text[m.end() :])
    source = None
    premodifier = view.left(
        pos, max_words=1, want=lambda a: a.is_place or MentionKind.DEMONYM in a.kinds, stop=re.compile(r"[,.;'’]")
    )
    if by:
        source = view.right(end, max_words=6, want=travel, gap_ok=lambda g: not re.search(r"[,;.]", g))
    if source is None:
        owner = view.left(pos, max_words=5, want=lambda a: a is not premodifier)
        if (
            owner
            and _POSSESSIVE.match(text[owner.end - base :])
            and _ARTICLE_OR_ADJ.match(
                re.sub(r"^\s*['’]s?", "", view.gap(owner.end, premodifier.start if premodifier else pos))
            )
        ):
            source = owner if owner.can_travel else None
    if source is None:
        subject = view.left(pos, max_words=8, stop=_GAP_STOP, want=travel)
        if subject is not None and subject is not premodifier:
            source = subject
    if source is None:
        return
    target = destination(end, 4)
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


def _non_diplomatic_before(text: str, start: int, words: frozenset[str]) -> bool:
    prev = re.findall(r"[\w']+", text[max(0, start - 25) : start].lower())
    return bool(prev) and prev[-1] in words


def _invitations(view: SentenceView, ctx: Context, lex: Lexicon) -> Iterator[_Found]:
    text, base = view.text, view.span.start
    if lex.invitation_non_diplomatic.search(text) and not re.search(r"\bto\s+visit\b", text, re.I):
        return
    for m in lex.invitation_verbs.finditer(text):
        pos, end = base + m.start(), base + m.end()
        inviter = view.left(pos, max_words=10, stop=_VERB_GAP_STOP, want=lambda a: a.governmental)
        invitee = view.right(end, max_words=2, want=lambda a: a.governmental)
        if inviter and invitee and inviter.code != invitee.code:
            yield _Found(EventType.INVITATION, inviter, invitee.code, (pos, end), verb=True)
            yield from _invited_visit(view, invitee, inviter, end, Status.POSSIBLE)
    for m in lex.invitation_nouns.finditer(text):
        pos, end = base + m.start(), base + m.end()
        inviter, invitee = None, None
        of = re.match(r"\s+(?:of|from)\s+", text[m.end() :])
        if of:
            inviter = view.right(end, max_words=9, want=lambda a: a.governmental)
        owner = view.left(pos, max_words=3, want=lambda a: a.governmental)
        if inviter is None and owner and _POSSESSIVE.match(text[owner.end - base :]):
            inviter = owner
            owner = view.left(owner.start, max_words=4, stop=_VERB_GAP_STOP, want=lambda a: a.governmental)
        subject = owner or view.left(pos, max_words=10, stop=_VERB_GAP_STOP, want=lambda a: a.governmental)
        to = re.match(r"\s+to\s+(?!visit\b|come\b|attend\b|travel\b)", text[m.end() :], re.I)
        if to:
            invitee = view.right(end, max_words=3, want=lambda a: a.governmental)
        accepting = subject is not None and bool(lex.invitation_accept.search(view.gap(subject.end, pos)))
        if inviter is None and subject is not None and not accepting:
            inviter = subject
        if invitee is None and subject is not None and accepting:
            invitee = subject
        if invitee is None and inviter is not None:
            host_code = inviter.code
            invitee = view.right(
                inviter.end, max_words=4, want=lambda a, c=host_code: a.governmental and a.code != c and a.can_travel
            )
            if invitee is None and not accepting:
                # "At the invitation of X, Y will pay a visit": the guest is the next traveller named
                invitee = view.right(
                    inviter.end, max_words=12, want=lambda a, c=host_code: a.code != c and a.can_travel
                )
        if inviter is None or invitee is None or inviter.code == invitee.code:
            continue
        yield _Found(EventType.INVITATION, inviter, invitee.code, (pos, end), verb=False)
        status = Status.PLANNED if accepting else Status.POSSIBLE
        yield from _invited_visit(view, invitee, inviter, end, status)


def _invited_visit(view: SentenceView, guest: Actor, host: Actor, after: int, status: Status) -> Iterator[_Found]:
    """ "invited Putin to visit the DPRK": the guest's visit, possible until accepted."""
    rest = view.text[view.rel(after) :]
    m = re.match(r"(?:\s+\S+){0,12}?\s+to\s+(?:visit|come\s+to|travel\s+to)\b", rest, re.I)
    if m:
        end = after + m.end()
        target = view.right(end, max_words=3, want=lambda a: a.is_place or MentionKind.COUNTRY in a.kinds)
    else:  # "invited Kishida to Seoul": the place right after the guest
        end = guest.end
        target = view.right(
            end,
            max_words=2,
            want=lambda a: a.is_place,
            gap_ok=lambda g: bool(re.fullmatch(r"\s*to\s+(?:the\s+)?", g, re.I)),
        )
        if target is None:
            return
    code = target.code if target else host.code
    if code != guest.code:
        yield _Found(EventType.VISIT, guest, code, (end - 5, end), verb=True, status=status)


def _summits(view: SentenceView, ctx: Context, lex: Lexicon) -> Iterator[_Found]:
    text, base = view.text, view.span.start
    for m in lex.summit_nouns.finditer(text):
        pos, end = base + m.start(), base + m.end()
        prev = re.findall(r"[\w'-]+", text[max(0, m.start() - 30) : m.start()].lower())
        if prev and prev[-1] in lex.summit_non_diplomatic:
            continue
        if _multilateral(view, m.start()):
            yield from _attendance(view, pos, end)  # "attend the Mercosur summit in Montevideo": a visit
            continue
        codes = _summit_parties(view, pos, end, leaders_only=False)
        anaphoric = len(codes) < 2 and bool(_DEFINITE.search(text[: m.start()]))
        if anaphoric and ctx.last_summit:
            codes = list(ctx.last_summit)
        if len(codes) >= 2:
            yield _pair_found(view, codes[:2], (pos, end), verb=False)
            if not anaphoric:
                yield from _host_visit(view, codes[:2], pos, end, verb=False)
    for pattern, verb in ((lex.summit_verbs, True), (lex.meeting_nouns, False)):
        for m in pattern.finditer(text):
            pos, end = base + m.start(), base + m.end()
            prev = re.findall(r"[\w'-]+", text[max(0, m.start() - 30) : m.start()].lower())
            if prev and prev[-1] in lex.summit_non_diplomatic:
                continue
            codes = _summit_parties(view, pos, end, leaders_only=True)
            if len(codes) >= 2:
                yield _pair_found(view, codes[:2], (pos, end), verb=verb)
                yield from _host_visit(view, codes[:2], pos, end, verb=verb)


_VENUE_GAP = re.compile(r"\s*(?:[^\s;,.]+\s+){0,8}?(?:in|at)\s+(?:the\s+)?", re.I)


def _venue(view: SentenceView, end: int) -> Actor | None:
    """The place a meeting is held: "in Ankara", "at the Kremlin", a few words after its trigger."""
    return view.right(
        end,
        max_words=10,
        want=lambda a: a.is_place or MentionKind.CAPITAL in a.kinds or MentionKind.COUNTRY in a.kinds,
        gap_ok=lambda g: bool(_VENUE_GAP.fullmatch(g)),
    )


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


def _multilateral(view: SentenceView, start: int) -> bool:
    """ "the G20 summit", "a Mercosur summit": a capitalised name before "summit" that is no country."""
    words = re.findall(r"[\w-]+", view.text[max(0, start - 25) : start])
    if not words or not words[-1][:1].isupper() or words[-1] in ("The", "A", "An"):
        return False
    name_start = view.span.start + view.text.rfind(words[-1], 0, start)
    return not any(a.start <= name_start < a.end for a in view.actors)


def _attendance(view: SentenceView, pos: int, end: int) -> Iterator[_Found]:
    venue = _venue(view, end)
    if venue is None:
        return
    traveller = view.left(pos, max_words=12, stop=_VERB_GAP_STOP, want=lambda a: a.can_travel)
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


def _summit_parties(view: SentenceView, pos: int, end: int, *, leaders_only: bool) -> list[str]:
    """Distinct countries around a summit word, nearest first: leaders, or any state for "summit"."""
    left_words, right_words = (25, 8) if leaders_only else (12, 10)
    scored: list[tuple[int, str]] = []
    for actor in view.actors:
        if leaders_only and not actor.leader:
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
            if len(gap.split()) > right_words or re.search(r"[;]|\b(?:said|told|says)\b", gap):
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
    text = view.text
    if not _SANCTION_HINT.search(text) or lex.sanction_non_diplomatic.search(text):
        return
    done: set[tuple[str, str]] = set()
    for cue in lex.sanction_cues.finditer(text):  # one sentence may carry several governments' warnings
        for found in _warning(view, lex, cue):
            if (found.source.code, found.target_code) not in done:
                done.add((found.source.code, found.target_code))
                yield found


def _state_speaker(actor: Actor) -> bool:
    return actor.governmental and actor.via == "explicit"


def _warning(view: SentenceView, lex: Lexicon, cue: re.Match[str]) -> Iterator[_Found]:
    """Who warns (the state speaking nearest before the cue) and whom (the reported side of its verb)."""
    base = view.span.start
    speaker: Actor | None = None
    speech_at = (0, 0)
    verbs = sorted(
        lex.speech.finditer(view.text),
        key=lambda sm: abs(sm.start() - cue.start()) + (0 if sm.start() < cue.start() else 1000),
    )
    for sm in verbs:
        pos, end = base + sm.start(), base + sm.end()
        speaker = view.left(pos, max_words=8, stop=re.compile(r"[;]"), want=_state_speaker) or view.right(
            end, max_words=4, want=_state_speaker
        )
        if speaker is not None:
            speech_at = (pos, end)
            break
    if speaker is None:
        return
    speakers = [speaker]
    while (more := view.left(speakers[-1].start, max_words=1, want=_state_speaker)) and _COORDINATION.fullmatch(
        view.gap(more.end, speakers[-1].start)
    ):
        speakers.append(more)  # "Germany and Britain threatened ..."
    cue_start, cue_end = base + cue.start(), base + cue.end()
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


def _date_for(view: SentenceView, found: _Found, ctx: Context, tense: Tense) -> ResolvedDate | None:
    lex = lexicon()
    speech_ok = found.type is EventType.SANCTION_WARNING
    max_distance = 60 if found.type is EventType.INVITATION else 120
    lo, hi = _extent(found)
    best: tuple[int, DatePhrase] | None = None
    for phrase in view.dates:
        lead = view.text[max(0, view.rel(phrase.start) - 30) : view.rel(phrase.start)]
        lead_words = " ".join(re.findall(r"[\w'-]+", lead)[-4:])
        if lex.date_blockers.search(lead_words):
            continue
        if not speech_ok and lex.speech_dates.search(" ".join(lead_words.split()[-2:])):
            continue
        if phrase.start >= hi:
            distance, between = phrase.start - hi, view.gap(hi, phrase.start)
        elif phrase.end <= lo:
            distance, between = lo - phrase.end + 15, view.gap(phrase.end, found.trigger[0])
        else:
            distance, between = 0, ""
        if distance > max_distance or _CLAUSE_BREAK.search(_PARENTHETICAL.sub(" ", between)):
            continue
        if best is None or distance < best[0]:
            best = (distance, phrase)
    if best is None:
        return view.inherited
    return resolve(best[1].text, ctx.published, tense)


def _candidate(view: SentenceView, found: _Found, ctx: Context) -> Candidate | None:
    if found.source.code == found.target_code:
        return None
    text = view.text
    t0, t1 = view.rel(found.trigger[0]), view.rel(found.trigger[1])
    if found.source.end <= found.trigger[0] and found.source.via == "explicit":
        clause = max(text.rfind(ch, 0, view.rel(found.source.start)) for ch in ",;:")
        lead = text[max(clause + 1, view.rel(found.source.start) - 40) : view.rel(found.source.start)]
        before = lead + " " + text[view.rel(found.source.end) : t0]
    else:
        before = text[max(0, t0 - 60) : t0]
    if found.type is not EventType.SANCTION_WARNING and (negated(text[:t0], text[t1:]) or generic(text)):
        return None
    governing = (
        (_NOUN_THEN_MODAL.match(text[t1:]) or _LATER_MODAL.search(text[t1:].split(";")[0][:160]))
        if not found.verb
        else None
    )
    tentative = False
    if found.status is not None:
        status = found.status
    elif governing:
        status = (
            Status.POSSIBLE
            if re.search(r"\b(?:would|could|may|might)\b|pass", governing.group(1), re.I)
            else Status.PLANNED
        )
    elif found.type is EventType.INVITATION:
        status = clause_status(before[-12:], text[t0:t1], verb=found.verb)
    else:
        status = clause_status(before, text[t0:t1], verb=found.verb)
        # a bare noun ("his visit", "the summit") says nothing of tense: it joins what the article says
        tentative = not found.verb and status is Status.OCCURRED and not unmarked_cue(before)
    tense = Tense.PAST if status is Status.OCCURRED else Tense.FUTURE
    resolved = _date_for(view, found, ctx, tense)
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
            " in ",
            "went",
            "flew",
            "fly",
            "head",
            "land",
            "go",
            "came",
            "come",
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
    published = article.published_at.date()
    sents, ctx = _sentences(article, gaz)
    out: list[Candidate] = []
    for sentence in sents:
        found_here: list[Candidate] = []
        if _may_hold_event(sentence, ctx, lex):
            view = _view(sentence, gaz, published, lex)
            _add_references(view, ctx, lex)
            if not view.dates and _STARTS_WITH_PRONOUN.match(view.text) and ctx.last_dates:
                view.inherited = ctx.last_dates[-1]
            low = view.text.lower()
            for stems, rule in _RULES:
                if not any(stem in low for stem in stems):
                    continue
                for found in rule(view, ctx, lex):
                    cand = _candidate(view, found, ctx)
                    if cand is not None:
                        found_here.append(cand)
                        if cand.type is EventType.SUMMIT:
                            ctx.last_summit = (cand.source, cand.target)
        elif any(m.person for m in sentence.mentions):
            view = _view(sentence, gaz, published, lex, people_only=True)
        else:
            view = SentenceView(sentence.span, [], [])
        out.extend(found_here)
        named = [a for a in view.actors if a.person and a.via == "explicit"]
        ctx.people.extend(named)
        if named:
            ctx.subject = named[0]
        dated = [c for c in found_here if c.date is not None]
        ctx.last_dates = [ResolvedDate(c.date, c.date_end, c.precision) for c in dated if c.date] or (
            ctx.last_dates if not view.dates else []
        )
    return out


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
