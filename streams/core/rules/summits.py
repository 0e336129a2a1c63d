"""Summits: two leaders meet ("summit", "talks", "met", "shook hands").

A summit word names its parties around it; a multilateral summit ("the G20 summit") is no bilateral
summit but a visit to its venue; leaders meeting in one side's country means the other side visited.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from streams.core.lexicon import Lexicon
from streams.core.parties import WORD, Actor
from streams.core.patterns import pattern
from streams.core.roles import (
    TOPIC_GAP,
    WORD_APOSTROPHE_HYPHEN,
    Found,
    between_parties,
    host_visit,
    pair_found,
    parties_of,
    party_of,
)
from streams.core.rules.attendance import venue_visits
from streams.core.sentence import Context, SentenceView
from streams.core.syntax import Tree

_DEFINITE = pattern("summits.definite")


def find_summits(view: SentenceView, ctx: Context, lex: Lexicon) -> Iterator[Found]:
    text, base = view.text, view.span.start
    for m_start, m_end in view.find(lex.summit_nouns):
        pos, end = base + m_start, base + m_end
        prev = WORD_APOSTROPHE_HYPHEN.findall(text[max(0, m_start - 30) : m_start].lower())
        if prev and prev[-1] in lex.summit_non_diplomatic:
            continue
        if (prev and prev[-1] in lex.summit_multilateral) or _multilateral(view, m_start, m_end):
            yield from venue_visits(view, pos, end)  # "attend the Mercosur summit in Montevideo": a visit
            continue
        codes = between_parties(view, m_start, m_end) or _summit_parties(view, pos, end, leaders_only=False)
        anaphoric = len(codes) < 2 and bool(_DEFINITE.search(text[:m_start]))
        if anaphoric and ctx.last_summit:
            codes = list(ctx.last_summit)
        if len(codes) >= 2:
            yield pair_found(view, codes[:2], (pos, end), verb=False)
            if not anaphoric:
                yield from host_visit(view, codes[:2], pos, end, verb=False, third_country=True)
    yield from _pair_meetings(view, lex)
    for words, verb in ((lex.summit_verbs, True), (lex.meeting_nouns, False)):
        for m_start, m_end in view.find(words):
            pos, end = base + m_start, base + m_end
            prev = WORD_APOSTROPHE_HYPHEN.findall(text[max(0, m_start - 30) : m_start].lower())
            if prev and (prev[-1] in lex.summit_non_diplomatic or prev[-1] in lex.summit_multilateral):
                continue
            codes = _summit_parties(view, pos, end, leaders_only=True)
            listed = _meeting_list(view, m_start, m_end) if len(codes) >= 2 else None
            if listed is not None:
                yield from _meetings_with(view, *listed, (pos, end), verb=verb)
                continue
            # a list on either side ("met the leaders of A, B and C"): three states named, "and" among them
            listing = verb and len(codes) >= 2 and " and " in text and len({a.code for a in view.actors}) >= 3
            sides = _sides_listed(view, m_start, m_end) if listing else None
            if sides is not None:
                for meeter in sides[0]:
                    yield from _meetings_with(view, meeter, sides[1], (pos, end), verb=verb)
                continue
            if not codes and not verb and (story := _story_leaders(view, ctx)):
                codes = story  # "High-level talks will be held", after a leader's visit to a leader
            if len(codes) < 2 and (theirs := _their_leaders(view, ctx, m_start)):
                codes = theirs  # "before their closed-door meeting, Akufo-Addo said Gnassingbé ..."
            if len(codes) == 1 and (untitled := _untitled_meeter(view, ctx, m_start, m_end, codes[0])):
                codes = [untitled.code, codes[0]]  # "Prime Minister will hold talks with Modi": the story's
            if len(codes) >= 2 and _both_met(view, pos, end, codes[:2]):
                continue  # "held separate meetings with Rwanda's Kagame and the DRC's Tshisekedi"
            if len(codes) >= 2:
                yield pair_found(view, codes[:2], (pos, end), verb=verb)
                yield from host_visit(view, codes[:2], pos, end, verb=verb)
            elif len(officials := _meeting_officials(view, pos, end)) >= 2:
                # below leader level a meeting is no summit, but the side meeting abroad visits (EVENTS.md)
                yield from host_visit(view, officials[:2], pos, end, verb=verb)


def _pair_meetings(view: SentenceView, lex: Lexicon) -> Iterator[Found]:
    """ "The two leaders will discuss ...": what the pair of leaders does together is their meeting.

    Only with "the two leaders" (or statesmen, presidents; not "the two sides") right before the verb, resolved to two
    states by references.add_references, and not over a phone or video link.
    """
    if _REMOTE.search(view.text) or view.has(lex.summit_verbs) or view.has(lex.meeting_nouns):
        return  # a meeting word of the sentence tells the meeting itself ("will meet X, and both leaders will review")
    for m_start, m_end in view.find(lex.summit_pair_verbs):
        pos = view.base + m_start
        pair = view.left(pos, max_words=3, want=lambda a: a.via == "pair" and a.leader and len(a.codes) == 2)
        if pair is not None and _PAIR_LEADERS.search(view.text, view.rel(pair.start), view.rel(pair.end)):
            # what they discuss may carry its own dates ("the ceasefire reached in May"): the meeting
            # takes the story's date when the two are one happening (identity.deduplicate)
            yield replace(pair_found(view, list(pair.codes), (pos, view.base + m_end), verb=True), dated=False)


_REMOTE = pattern("summits.remote")
_PAIR_LEADERS = pattern("summits.pair_leaders")


def _both_met(view: SentenceView, pos: int, end: int, pair: list[str]) -> bool:
    """Whether both sides of ``pair`` are only named after the "with" of a meeting word: the ones met.

    "The Head of State held separate meetings with his counterparts from Rwanda and from the
    DRC": Rwanda and the DRC are one side, and no summit of theirs.
    """
    with_at = _WITH_AFTER.match(view.text, view.rel(end))
    if with_at is None:
        return False
    after = view.base + with_at.end()
    if any(a.end <= pos and a.code in pair for a in view.actors):
        return False
    firsts = [a for code in pair if (a := next((b for b in view.actors if b.code == code and b.start >= after), None))]
    if len(firsts) < 2:
        return False
    one, two = sorted(firsts, key=lambda a: a.start)
    # listed together ("with A's X and B's Y"), not the meeter named after ("meeting with Lula, Fernandez said")
    return _LISTED_WITH.search(view.gap(one.end, two.start)) is not None


_WITH_AFTER = pattern("summits.with_after")
_THEIR_BEFORE = pattern("summits.their_before")
_BELOW_LEADERS_WORDS = pattern("summits.below_leaders_words")
_STORY_MEETING_CUE = pattern("summits.story_meeting_cue")


def _story_leaders(view: SentenceView, ctx: Context) -> list[str]:
    """The leaders a meeting noun that names no one means: the story's travelling leader and its host's.

    "It will include a meeting at the White House", "High-level talks will be held" after
    "Tokayev will pay a state visit to Uzbekistan at the invitation of Mirziyoyev": no person in
    the sentence, none below leader level, a cue that the meeting is at leader level or part of
    the visit, and the article has told a leader's visit and named a leader of another state since.
    """
    if any(a.person or a.leader for a in view.actors) or _BELOW_LEADERS_WORDS.search(view.text):
        return []
    if not _STORY_MEETING_CUE.search(view.text):
        return []
    visitor = ctx.last_visitor
    if visitor is None or not visitor.leader:
        return []
    host = next((a for a in reversed(ctx.people) if a.leader and a.code != visitor.code), None)
    return [visitor.code, host.code] if host is not None else []


def _their_leaders(view: SentenceView, ctx: Context, m_start: int) -> list[str]:
    """The two sides "their meeting" means: named leaders of two states, in the sentence or just before.

    News names the pair around a speech verb ("Speaking before their meeting, A said B came
    over"), where the nearest-party reading stops at "said". The sentence's leaders come first;
    one named leader is completed by the latest leader of another state the article named.
    """
    if _THEIR_BEFORE.search(view.text, 0, m_start) is None:
        return []
    codes: list[str] = []
    for actor in view.actors:
        if actor.leader and actor.person and actor.via == "explicit" and actor.code not in codes:
            codes.append(actor.code)
    if len(codes) == 1:
        other = next((a for a in reversed(ctx.people) if a.leader and a.code != codes[0]), None)
        if other is not None:
            codes.append(other.code)
    return codes if len(codes) == 2 else []


_LISTED_WITH = pattern("summits.listed_with")


def _untitled_meeter(view: SentenceView, ctx: Context, m_start: int, m_end: int, met: str) -> Actor | None:
    """The leader a sentence names by bare title only ("Prime Minister will hold talks with Modi").

    The story's traveller, when they are a leader of another side, the sentence opens with the
    title and no party stands before the meeting word, and the one met follows "with".
    """
    meeter = ctx.last_visitor
    if meeter is None or not meeter.leader or meeter.code == met:
        return None
    if any(a.start < view.base + m_start for a in view.actors) or not _UNTITLED_MEETER.match(view.text):
        return None
    partner = next((a for a in view.actors if a.start >= view.base + m_end and a.code == met), None)
    if partner is None or _WITH_BEFORE.fullmatch(view.gap(view.base + m_end, partner.start)) is None:
        return None
    return meeter


_UNTITLED_MEETER = pattern("summits.untitled_meeter")
_WITH_BEFORE = pattern("summits.with_before")


def _meeting_list(view: SentenceView, m_start: int, m_end: int) -> tuple[Actor | None, list[Actor]] | None:
    """(who meets, the list met) where a meeting is "with X and Y": X and Y are one side, not the two.

    "Blinken will hold meetings with Crown Prince Mohammed bin Salman and President el-Sisi" is no
    summit of Saudi Arabia and Egypt. None unless the tree lists two or more parties met.
    """
    if " and " not in view.text[m_end:]:
        return None
    tree = view.tree()
    trigger = [i for i, t in enumerate(tree.tokens) if m_start <= t.start < m_end]
    if not trigger:
        return None
    heads = [*trigger, *(tree.tokens[i].head for i in trigger)]
    met = [n for i in heads for n in (*tree.prepositional(i, "with"), *tree.objects(i))]
    partners: list[Actor] = []
    for token in met:
        partners.extend(a for a in _sharing_title(parties_of(view, tree, token)) if a not in partners)
    if len({a.code for a in partners}) < 2:
        return None
    verb = next((i for i in heads if tree.tokens[i].tag.startswith("VB")), None)
    subject = tree.subject(verb) if verb is not None else None
    return (party_of(view, tree, subject) if subject is not None else None), partners


def _sides_listed(view: SentenceView, m_start: int, m_end: int) -> tuple[list[Actor], list[Actor]] | None:
    """(who meets, whom) from the tree where a meeting verb has three or more leaders around it.

    "Duda and the presidents of Lithuania, Latvia and Estonia ... to meet Zelensky", "Xi met the
    leaders of Kenya, Ghana and Nigeria": every leader on one side meets every leader on the
    other, where the nearest two would give one summit (or one between two of the same side).
    A country listed after a leader's title ("the presidents of A, B and C") shares the title.
    None when the tree does not name both sides.
    """
    tree = view.tree()
    inside = [i for i, tok in enumerate(tree.tokens) if m_start <= tok.start < m_end]
    verb = next((i for i in inside if tree.tokens[i].tag.startswith("VB")), None)
    if verb is None or tree.passive(verb):
        return None
    subject = tree.subject(verb)
    meeters = _leaders_of(view, tree, tree.conjuncts(subject) if subject is not None else [])
    met = _leaders_of(view, tree, [*tree.objects(verb), *tree.prepositional(verb, "with")])
    return (meeters, met) if meeters and met else None


def _leaders_of(view: SentenceView, tree: Tree, tokens: list[int]) -> list[Actor]:
    """The leaders the nodes name; the countries of a list share its first member's title."""
    out: list[Actor] = []
    for token in tokens:
        for actor in _sharing_title(parties_of(view, tree, token)):
            if actor.leader and all(a.code != actor.code for a in out):
                out.append(actor)
    return out


def _sharing_title(listed: list[Actor]) -> list[Actor]:
    """A list's countries with its first member's leader title: "the presidents of Lithuania, Latvia"."""
    if not listed or not listed[0].leader:
        return listed
    # a bare country in the list ("Latvia") shares the title; a titled official keeps their own
    return [listed[0], *(a if a.titled else replace(a, leader=True, titled=True) for a in listed[1:])]


def _meetings_with(
    view: SentenceView, meeter: Actor | None, partners: list[Actor], trigger: tuple[int, int], *, verb: bool
) -> Iterator[Found]:
    """A leader meeting each leader of a list: one summit, and one host's visit, per leader met."""
    if meeter is None or not meeter.leader:
        return
    last = max(p.end for p in partners) if partners else None  # the venue follows the list met
    for partner in partners:
        if partner.leader and partner.code != meeter.code:
            yield pair_found(view, [meeter.code, partner.code], trigger, verb=verb)
            yield from host_visit(view, [meeter.code, partner.code], *trigger, verb=verb, after=last)


def _meeting_officials(view: SentenceView, pos: int, end: int) -> list[str]:
    """The states of the people or titled officials meeting around ``pos:end``, nearest first."""
    return [
        code
        for code in _summit_parties(view, pos, end, leaders_only=False)
        if any(a.code == code and (a.person or a.titled) and not a.is_place for a in view.actors)
    ]


_OF_A_NAME = pattern("summits.of_a_name")


def _multilateral(view: SentenceView, start: int, end: int) -> bool:
    """ "the G20 summit", "a summit of the Arab League": a capitalised name by "summit" that is no country."""
    if (of := _OF_A_NAME.match(view.text, end - view.span.start)) is not None:
        name_start = view.span.start + of.end() - 1
        if not any(a.start <= name_start < a.end for a in view.actors):
            return True
    words = WORD.findall(view.text[max(0, start - 25) : start])
    if not words or not words[-1][:1].isupper() or words[-1] in ("The", "A", "An"):
        return False
    name_start = view.span.start + view.text.rfind(words[-1], 0, start)
    return not any(a.start <= name_start < a.end for a in view.actors)


def _named_words(view: SentenceView, start: int, end: int) -> int:
    """How many words of ``start:end`` are other parties' names ("talks held by President Buhari with ...")."""
    return sum(len(view.gap(a.start, a.end).split()) for a in view.actors if start <= a.start and a.end <= end)


_SPEECH_OR_SEMICOLON = pattern("summits.speech_or_semicolon")
_VENUE_RIGHT_AFTER = pattern("summits.venue_right_after")


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
            # the other side's name does not push a party away: "he and Russian President Vladimir
            # Putin have had a good start to their summit"
            if len(gap.split()) - _named_words(view, actor.end, pos) > left_words or ";" in gap:
                continue
            distance = pos - actor.end
        elif actor.start >= end:
            gap = view.gap(end, actor.start)
            named = _named_words(view, end, actor.start)
            if len(gap.split()) - named > right_words or _SPEECH_OR_SEMICOLON.search(gap):
                continue
            if actor.is_place and _VENUE_RIGHT_AFTER.fullmatch(gap):
                continue  # "their summit in Finland": where it is held, not a side
            if TOPIC_GAP.fullmatch(gap) and actor.person is None:
                continue  # "talks on Ukraine"; but a person after "on" is called on ("a courtesy call on X")
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
