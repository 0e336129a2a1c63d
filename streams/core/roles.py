"""Role reading the four event types share: places after a trigger, venues, lists, host and guest.

An event rule finds its trigger and asks these where its parties are; keeping them here means a
fix to how a destination or a venue is read reaches visits, summits and invitations alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from schemas import EventType, Status
from streams.core.dates import ResolvedDate
from streams.core.parties import Actor, is_destination, is_venue
from streams.core.patterns import pattern
from streams.core.sentence import SentenceView
from streams.core.syntax import Tree

POSSESSIVE = pattern("roles.possessive")
VERB_GAP_STOP = pattern("roles.verb_gap_stop")
COORDINATION = pattern("roles.coordination")
_BETWEEN = pattern("roles.between")
_BE_BEFORE = pattern("roles.be_before")
_CLAUSE_BETWEEN = pattern("roles.clause_between")


@dataclass(slots=True)
class Found:
    """An event a rule found: its type, its parties as read, and where its trigger is.

    ``source`` stays an :class:`Actor` (not a code) because status, date and person are read
    from where it stands in the sentence.
    """

    type: EventType
    source: Actor
    target_code: str
    trigger: tuple[int, int]
    verb: bool
    status: Status | None = None  # fixed by the rule (invitation-derived visits)
    person: str | None = None
    confidence: float = 0.9
    dated: bool = True  # False when the dates nearby are another event's ("arrived Monday at X's invitation")
    date: ResolvedDate | None = None  # set by the rule when it read the date itself ("since 1983")


def coordinated(view: SentenceView, first: Actor, want: Callable[[Actor], bool]) -> list[Actor]:
    """The actors listed after ``first`` ("Malaysia and Indonesia", "Brazil, Colombia and Chile")."""
    out: list[Actor] = []
    last = first
    for actor in view.actors:
        if actor.start < last.end:
            continue
        if not want(actor) or not COORDINATION.fullmatch(view.gap(last.end, actor.start)):
            break
        out.append(actor)
        last = actor
    return out


_TO_DESTINATION = pattern("roles.to_destination")
_THE = pattern("roles.the")
_TO_THE = pattern("roles.to_the")
_PUNCTUATION = pattern("roles.punctuation")
SEMICOLON = pattern("roles.semicolon")


def _to_destination(gap: str) -> bool:
    return _TO_DESTINATION.fullmatch(gap) is not None


def only_the(gap: str) -> bool:
    return _THE.fullmatch(gap) is not None


def only_to_the(gap: str) -> bool:
    return _TO_THE.fullmatch(gap) is not None


def no_punctuation(gap: str) -> bool:
    return _PUNCTUATION.search(gap) is None


def destination(view: SentenceView, pos: int, max_words: int) -> Actor | None:
    """The place right after a visit word, past "to", "in", "the"."""
    return view.right(pos, max_words=max_words, want=is_destination, gap_ok=_to_destination)


def ends_with(pattern: re.Pattern[str], text: str, end: int) -> bool:
    """``pattern.search(text[:end])`` for a pattern that is one space-free piece then whitespace to the end.

    Such a match starts inside the last space-free chunk before ``end``, so only that chunk is
    searched (``\\b`` still sees the character before it).
    """
    head = text[:end].rstrip()
    if len(head) == end:
        return False  # the pattern needs whitespace right before ``end``
    chunk = head.rsplit(None, 1)[-1] if head else ""
    return pattern.search(text, len(head) - len(chunk), end) is not None


_WORD_OR_APOSTROPHE = pattern("roles.word_or_apostrophe")
WORD_APOSTROPHE_HYPHEN = pattern("roles.word_apostrophe_hyphen")


def non_diplomatic_before(text: str, start: int, words: frozenset[str]) -> bool:
    prev = _WORD_OR_APOSTROPHE.findall(text[max(0, start - 25) : start].lower())
    return bool(prev) and prev[-1] in words


_VENUE_GAP = pattern("roles.venue_gap")


def find_venue(view: SentenceView, end: int) -> Actor | None:
    """The place a meeting is held: "in Ankara", "at the Kremlin", a few words after its trigger.

    A country named as the topic ("a summit on Gaza in Cairo") is passed over.
    """
    for actor in view.actors:
        if actor.start < end or not is_venue(actor):
            continue
        gap = view.gap(end, actor.start)
        if TOPIC_GAP.fullmatch(gap):
            continue
        return actor if len(gap.split()) <= 12 and _venue_gap(gap) else None
    return None


def _opening_venue(view: SentenceView, pos: int) -> Actor | None:
    """The place an opening "In New Delhi," names, for a trigger after it: where the sentence happens."""
    first = next((a for a in view.actors if a.start < pos), None)
    if first is None or not is_venue(first) or not view.text.startswith(",", view.rel(first.end)):
        return None
    return first if _OPENING_VENUE.fullmatch(view.text, 0, view.rel(first.start)) else None


_OPENING_VENUE = pattern("roles.opening_venue")


def _venue_gap(gap: str) -> bool:
    return _VENUE_GAP.fullmatch(gap) is not None


def host_visit(
    view: SentenceView,
    codes: list[str],
    pos: int,
    end: int,
    *,
    verb: bool,
    after: int | None = None,
    third_country: bool = False,
) -> Iterator[Found]:
    """Leaders meeting in one side's country: the other side visited (EVENTS.md).

    The venue is looked for after the trigger, or after ``after`` (the end of a list of those met).
    With ``third_country`` (a summit word: "their summit in Finland") a venue of neither side
    means both travelled there; a meeting elsewhere ("met in Rome") may be at one's own seat.
    """
    venue = find_venue(view, end if after is None else max(end, after)) or _opening_venue(view, pos)
    if venue is None:
        return
    if venue.code in codes:
        guest_codes, confidence = [codes[0] if codes[1] == venue.code else codes[1]], 0.7
    elif third_country:
        guest_codes, confidence = codes[:2], 0.6
    else:
        return
    for guest_code in guest_codes:
        guests = [a for a in view.actors if a.code == guest_code and a.can_travel and not a.codes]
        guest = (
            min(guests, key=lambda a: abs(a.start - pos))
            if guests
            else Actor(pos, end, guest_code, None, frozenset(), True, True)
        )
        yield Found(EventType.VISIT, guest, venue.code, (pos, end), verb=verb, confidence=confidence)


TOPIC_GAP = pattern("roles.topic_gap")


def pair_found(view: SentenceView, codes: list[str], trigger: tuple[int, int], *, verb: bool) -> Found:
    a, b = sorted(codes)
    anchor = Actor(trigger[0], trigger[1], a, None, frozenset(), True, True)
    return Found(EventType.SUMMIT, anchor, b, trigger, verb=verb)


@dataclass(slots=True)
class VerbRoles:
    """Who does a verb and to whom, from the tree: the agent of a passive is its doer."""

    doers: list[Actor]
    undergoers: list[Actor]
    passive: bool


def party_of(view: SentenceView, tree: Tree, token: int, *, depth: int = 3) -> Actor | None:
    """The party a tree node names: the actor holding the token, else the nearest one under it.

    "the president of Chile, Gabriel Boric" names Chile through its "of" and its apposition.
    """
    found = _party_node(view, tree, token, depth)
    return found[0] if found else None


def parties_of(view: SentenceView, tree: Tree, token: int) -> list[Actor]:
    """The parties a node names, lists included: "the presidents of Lithuania, Latvia and Estonia"."""
    found = _party_node(view, tree, token, 3)
    if found is None:
        return []
    out = [found[0]]
    listed = set(tree.conjuncts(found[1])[1:])
    # "Israeli and Palestinian leaders": the list is of the noun's modifiers
    for node, below in tree.phrase(token):
        if below <= 3 and tree.tokens[node].dep == "conj":
            listed.update(tree.conjuncts(tree.tokens[node].head))
    for node in sorted(listed):
        actor = _actor_at(view, tree, node)
        if actor is not None and actor not in out:
            out.append(actor)
    return out


def _actor_at(view: SentenceView, tree: Tree, node: int) -> Actor | None:
    at = view.base + tree.tokens[node].start
    return next((a for a in view.actors if a.start <= at < a.end), None)


def _party_node(view: SentenceView, tree: Tree, token: int, depth: int) -> tuple[Actor, int] | None:
    for node, below in tree.phrase(token):
        if below > depth:
            return None
        if (actor := _actor_at(view, tree, node)) is not None:
            return actor, node
    return None


def _parties(view: SentenceView, tree: Tree, tokens: list[int]) -> list[Actor]:
    out: list[Actor] = []
    for token in tokens:
        for actor in parties_of(view, tree, token):
            if actor not in out:
                out.append(actor)
    return out


def verb_roles(view: SentenceView, start: int, end: int) -> VerbRoles | None:
    """The doers and undergoers of the verb in ``start:end`` of the sentence, or None.

    None when the trigger holds no verb or the tree names no party on either side: then the
    surface reading stands.
    """
    tree = view.tree()
    inside = [i for i, tok in enumerate(tree.tokens) if start <= tok.start < end]
    verb = next((i for i in inside if tree.tokens[i].tag.startswith("VB")), None)
    if verb is None and inside:
        verb = tree.governing_verb(inside[0])  # "are on their way to": the trigger hangs off "are"
    if verb is None:
        return None
    subject = tree.subject(verb)
    subjects = tree.conjuncts(subject) if subject is not None else []
    if tree.passive(verb):
        roles = VerbRoles(_parties(view, tree, tree.agents(verb)), _parties(view, tree, subjects), True)
    else:
        roles = VerbRoles(_parties(view, tree, subjects), _parties(view, tree, tree.objects(verb)), False)
    return roles if roles.doers or roles.undergoers else None


def between_parties(view: SentenceView, m_start: int, m_end: int) -> list[str]:
    """The states of "a summit between X and Y" from the tree: only they are its parties.

    "Egypt hosted a summit between Israeli and Palestinian leaders": the host is not a party.
    Empty unless "between" follows the trigger and the tree names two states under it.
    """
    if _BETWEEN.match(view.text, m_end) is None:
        return []
    tree = view.tree()
    noun = tree.token_at(m_end - 1)
    if noun is None:
        return []
    codes: list[str] = []
    for actor in _parties(view, tree, tree.prepositional(noun, "between")):
        for code in actor.codes or (actor.code,):
            if code not in codes:
                codes.append(code)
    return codes if len(codes) >= 2 else []


def surface_may_mislead(view: SentenceView, m_start: int, m_end: int, left: Actor | None, right: Actor | None) -> bool:
    """Whether word order may give a verb's roles wrongly, so the tree is worth parsing.

    A passive ("was received by"), a list after the verb ("hosted X and Y"), a clause between the
    party before and the verb ("X, who ..., welcomed"), or a side the surface reading did not find.
    Otherwise "X welcomed Y" reads as it stands, and most sentences are never parsed.
    """
    if left is None or right is None or be_before(view, m_start):
        return True
    if " and " in view.text[m_end : m_end + 80]:
        return True
    return _CLAUSE_BETWEEN.search(view.text, view.rel(left.end), m_start) is not None


def be_before(view: SentenceView, m_start: int) -> bool:
    """Whether a form of "be" stands right before the verb at ``m_start`` (it may be passive)."""
    return _BE_BEFORE.search(view.text, max(0, m_start - 30), m_start) is not None


def doer_and_undergoers(
    view: SentenceView,
    m_start: int,
    m_end: int,
    surface: tuple[Actor | None, Actor | None],
    doer: Callable[[Actor], bool],
    undergoer: Callable[[Actor], bool],
) -> tuple[Actor | None, list[Actor]]:
    """A verb's doer and undergoers: the tree's where word order may mislead, else ``surface``.

    The hosting and inviting verbs ask this the same way: the tree decides where it names both
    sides; a passive whose "by" names no doer has none (never the surface reading, which would
    turn the guest into the host); otherwise the surface (left, right) pair stands.
    """
    left, right = surface
    if len(view.actors) >= 2 and surface_may_mislead(view, m_start, m_end, left, right):
        roles = verb_roles(view, m_start, m_end)
        if roles is not None:
            doers = [a for a in roles.doers if doer(a)]
            undergoers = [a for a in roles.undergoers if undergoer(a)]
            if doers and undergoers:
                return doers[0], undergoers
            if roles.passive:
                return None, []
    return left, [right] if right is not None else []
