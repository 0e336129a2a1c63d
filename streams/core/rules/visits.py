"""Visits: a traveller goes to a country ("X flew to Y", "X's visit to Y", "Y hosted X").

Besides the plain travel verbs, a visit is read from presence ("is in Beijing"), hosting, a visit
noun with its owner, an envoy dispatched, and "arrived from Y, where ...".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from schemas import EventType, Precision, Status
from streams.core.dates import ResolvedDate, Tense, resolve
from streams.core.lexicon import Lexicon
from streams.core.parties import (
    WORD,
    Actor,
    can_travel,
    is_destination,
    is_governmental,
    is_guest,
    named_traveller,
    person_or_pronoun,
    place_or_demonym,
)
from streams.core.patterns import pattern
from streams.core.roles import (
    POSSESSIVE,
    SEMICOLON,
    VERB_GAP_STOP,
    Found,
    be_before,
    coordinated,
    destination,
    doer_and_undergoers,
    ends_with,
    no_punctuation,
    non_diplomatic_before,
    only_the,
    pair_found,
    verb_roles,
)
from streams.core.rules.attendance import find_attendance
from streams.core.sentence import Context, SentenceView
from streams.core.wordpatterns import probe

_ARTICLE_OR_ADJ = pattern("visits.article_or_adj")
_GAP_STOP = pattern("visits.gap_stop")
_NOUN_CONTEXT = pattern("visits.noun_context")
_SINCE_PRECEDENT = pattern("visits.since_precedent")
# words passed over before a received thing: "received a (phone) call", "welcomed the decision"
_BEFORE_A_THING = frozenset({"a", "an", "the", "his", "her", "their", "its", "this", "that", "phone"})
_FIRST_VISIT_BEFORE = pattern("visits.first_visit_before")
_INVITED_TO = pattern("visits.invited_to")
_USED_AS_VERB = pattern("visits.used_as_verb")


def find_visits(view: SentenceView, ctx: Context, lex: Lexicon) -> Iterator[Found]:
    found = _one_direction([*_visits(view, ctx, lex), *find_attendance(view)])
    yield from found
    yield from _precedents(view, found)


def _one_direction(found: list[Found]) -> list[Found]:
    """The sentence's visits, its verbs deciding over its nouns.

    A visit read from a pronoun's noun ("for his visit") that a verb of the sentence reverses is
    dropped: in "Obrador received him ... a reception for his visit" the verb says who hosts whom,
    and the pronoun was read as the subject, the host, who visits no one here. A noun repeating a
    verb's visit ("is expected to arrive in Pyongyang, in his first visit in 24 years") is that
    visit again: the verb's tense is its tense, so the noun is not read apart.
    """
    verbs = {(f.source.code, f.target_code) for f in found if f.type is EventType.VISIT and f.verb}
    travellers = {
        (f.source.code, f.target_code, f.source.person) for f in found if f.type is EventType.VISIT and f.verb
    }

    def kept(f: Found) -> bool:
        if f.verb or f.date is not None:
            return True  # a noun that read its own date ("on a visit since Thursday") tells more
        reversed_by_verb = f.source.via == "pronoun" and (f.target_code, f.source.code) in verbs
        # the same trip again: the same traveller ("since Clinton's trip" beside Biden's is another)
        repeated = (f.source.code, f.target_code, f.source.person) in travellers or (
            f.source.person is None and (f.source.code, f.target_code) in verbs
        )
        return not reversed_by_verb and not repeated

    return [f for f in found if kept(f)]


def _precedents(view: SentenceView, found: list[Found]) -> Iterator[Found]:
    """ "the first visit by an Indian leader to Austria since Indira Gandhi's in 1983": that one too.

    A "since ... YEAR" after a visit names an earlier visit of the same side to the same place,
    even when the gazetteer does not know the person who made it.
    """
    if not found or "since" not in view.text:
        return
    base = view.span.start
    for m in _SINCE_PRECEDENT.finditer(view.text):
        trigger = (base + m.start(), base + m.end())
        if _FIRST_VISIT_BEFORE.search(view.text, max(0, m.start() - 120), m.start()) is None:
            continue  # "the first talks ... since 2019" recalls talks, not a visit
        earlier = [f for f in found if f.trigger[1] <= trigger[0] and f.source.via == "explicit"]
        if earlier:
            first = earlier[0]
            named = _MONTH_BEFORE_YEAR.search(view.text, max(0, m.start("year") - 12), m.start("year"))
            month = named.group(1) if named else None
            year = (
                ResolvedDate(date(int(m.group("year")), _MONTHS.index(month) + 1, 1), None, Precision.MONTH)
                if month
                else ResolvedDate(date(int(m.group("year")), 1, 1), None, Precision.YEAR)
            )
            who = replace(first.source, person=None)  # the earlier visitor is not named by the rule
            yield Found(EventType.VISIT, who, first.target_code, trigger, verb=False, status=Status.OCCURRED,
                        confidence=0.6, date=year)  # fmt: skip


def _visits(view: SentenceView, ctx: Context, lex: Lexicon) -> Iterator[Found]:
    text, base = view.text, view.span.start
    for m_start, m_end in view.find(lex.visit_verbs):
        if (
            non_diplomatic_before(text, m_start, lex.visit_non_diplomatic)
            or _invited_to_before(view, m_start)
            or (text[m_start:m_end].lower() in ("visit", "visits") and ends_with(_NOUN_CONTEXT, text, m_start))
        ):
            continue
        if visited := _visited_by(view, m_start, m_end):
            yield from visited
            continue
        target = destination(view, base + m_end, 3) or _visited_place(view, m_start, m_end)
        yield from _journey(view, m_start, m_end, target)
    for m_start, m_end in view.find(lex.visit_motion):
        target = view.right(base + m_end, max_words=1, want=is_destination, gap_ok=only_the)
        yield from _journey(view, m_start, m_end, target)
    for leave_for in _LEAVE_FOR.finditer(text):
        # "departs Abuja for Paris": the place after "for" (the one left is where the traveller was)
        target = view.right(base + leave_for.end(), max_words=0, want=is_destination)
        yield from _journey(view, leave_for.start(1), leave_for.end(1), target)
    # "is in Beijing" (a person), "is due in Moscow" (a person or titled official)
    for words, who in ((lex.visit_presence, person_or_pronoun), (lex.visit_expected, named_traveller)):
        for m_start, m_end in view.find(words):
            pos, end = base + m_start, base + m_end
            source = view.left(pos, max_words=3, stop=VERB_GAP_STOP, want=who)
            target = view.right(end, max_words=0, want=is_destination)
            if source and target:  # "had been in Rwanda and Uganda": each place
                places = (target, *coordinated(view, target, is_destination))
                days = _respective_days(view, places, ctx) or [_since_date(view, places[-1], ctx)] * len(places)
                for place, day in zip(places, days, strict=True):
                    yield Found(EventType.VISIT, source, place.code, (pos, end), verb=True, date=day)
    for m_start, m_end in view.find(lex.visit_host):
        if ends_with(_HOST_NOUN_BEFORE, text, m_start):
            continue  # "greeted with a welcome greeting by Maduro": nouns, not the hosting verb
        pos, end = base + m_start, base + m_end
        host, guests = _host_and_guests(view, lex, m_start, m_end)
        for guest in guests:
            if host is None or host.code == guest.code:
                continue
            yield Found(EventType.VISIT, guest, host.code, (pos, end), verb=True)
            if host.leader and guest.leader and "pair" not in (host.via, guest.via):
                yield pair_found(view, [host.code, guest.code], (pos, end), verb=True)
    for m_start, m_end in view.find(lex.visit_nouns):
        yield from _visit_noun(view, ctx, lex, m_start, m_end)
    for m_start, m_end in view.find(lex.visit_dispatch):
        yield from _dispatch(view, lex, m_start, m_end)
    yield from _came_from(view)


_BEFORE_PARTICIPLE = pattern("visits.before_participle")


def _host_and_guests(
    view: SentenceView, lex: Lexicon, m_start: int, m_end: int
) -> tuple[Actor, list[Actor]] | tuple[None, list[Actor]]:
    """Who hosts whom at a hosting verb ("X will host Y", "Y was received by X", "X is set to welcome Y").

    The tree decides where it names both sides; a passive without its "by" names no host. Else
    the surface reading: the government before the verb hosts the traveller right after it.
    """
    base = view.span.start
    following = [w for w in WORD.findall(view.text[m_end : m_end + 40].lower()) if w not in _BEFORE_A_THING]
    if following and following[0] in lex.host_not_guests:
        return None, []  # "received an invitation from ...", "welcomed the decision": no guest
    host = view.left(base + m_start, max_words=25, stop=SEMICOLON, want=is_governmental)
    guest = view.right(base + m_end, max_words=3, want=is_guest, gap_ok=no_punctuation)
    found, guests = doer_and_undergoers(view, m_start, m_end, (host, guest), is_governmental, is_guest)
    return (found, guests) if found and guests else (None, [])


def _journey(view: SentenceView, m_start: int, m_end: int, target: Actor | None) -> Iterator[Found]:
    """A travel word at ``m_start:m_end`` of the sentence: its traveller visits ``target`` and the places after it."""
    if target is None:
        return
    pos, end = view.span.start + m_start, view.span.start + m_end
    places = (target, *coordinated(view, target, is_destination))
    travellers = _travellers(view, m_start, m_end, places)
    participle = False
    if not travellers:
        source = view.left(pos, max_words=10, stop=VERB_GAP_STOP, want=can_travel)
        relative = _RELATIVE_BEFORE.search(view.text, 0, m_start) if source is not None else None
        if source is not None and relative is not None and source.start >= view.span.start + relative.start():
            # "Ruto, who was invited by Biden, arrived in ...": the traveller stands before the clause
            clause = view.span.start + relative.start()
            source = view.left(clause, max_words=6, stop=VERB_GAP_STOP, want=can_travel)
        if source is not None and _attributive_place(view, source):
            # the possessive's owner: the tree's subject, else the traveller named just before
            source = _tree_traveller(view, m_start, m_end) or view.left(source.start, max_words=4, want=named_traveller)
        participle = source is None and (source := _participle_subject(view, m_start, m_end)) is not None
        if source is None:
            return
        travellers = [source]
    for source in travellers:
        for place in places:
            # a participle's dates nearby are the main clause's ("travel to Perth on Tuesday before flying on to ...")
            yield Found(EventType.VISIT, source, place.code, (pos, end), verb=True, dated=not participle)


_POSSESSIVE_BEFORE = pattern("visits.possessive_before")
_COMMON_NOUN_AFTER = pattern("visits.common_noun_after")


def _attributive_place(view: SentenceView, actor: Actor) -> bool:
    """A place qualifying a noun after a possessive: "after his New Zealand tour [, Rabuka will travel]"."""
    if not actor.is_place:
        return False
    start, end = view.rel(actor.start), view.rel(actor.end)
    return (
        _POSSESSIVE_BEFORE.search(view.text, max(0, start - 8), start) is not None
        and _COMMON_NOUN_AFTER.match(view.text, end) is not None
    )


def _tree_traveller(view: SentenceView, m_start: int, m_end: int) -> Actor | None:
    """The travel verb's subject from the tree, where the nearest party before it only qualifies a noun."""
    roles = verb_roles(view, m_start, m_end)
    if roles is None or roles.passive:
        return None
    return next((a for a in roles.doers if can_travel(a) and not a.is_place), None)


def _visited_place(view: SentenceView, m_start: int, m_end: int) -> Actor | None:
    """The place a visit verb takes as object past words the surface reading stops at: "visited both Chad and ..."."""
    base = view.span.start
    if view.right(base + m_end, max_words=6, want=is_destination) is None:
        return None  # no place near enough to be its object: nothing to parse for
    roles = verb_roles(view, m_start, m_end)
    if roles is None or roles.passive:
        return None
    return next((a for a in roles.undergoers if is_destination(a)), None)


def _visited_by(view: SentenceView, m_start: int, m_end: int) -> list[Found]:
    """ "He was visited by the president of Chile": the agent visits the subject's country.

    Each agent does ("visited by X on Wednesday, and on Thursday by Y"); leaders on both sides
    also met. Parsed only where the words say passive: a form of "be" just before the verb and a
    "by" after it.
    """
    if len(view.actors) < 2 or " by " not in view.text[m_end:] or not be_before(view, m_start):
        return []
    roles = verb_roles(view, m_start, m_end)
    if roles is None or not roles.passive or not roles.doers or not roles.undergoers:
        return []
    host = roles.undergoers[0]
    trigger = (view.span.start + m_start, view.span.start + m_end)
    out: list[Found] = []
    for visitor in roles.doers:
        if not can_travel(visitor) or visitor.code == host.code:
            continue
        out.append(Found(EventType.VISIT, visitor, host.code, trigger, verb=True))
        if visitor.leader and host.leader and "pair" not in (visitor.via, host.via):
            out.append(pair_found(view, [host.code, visitor.code], trigger, verb=True))
    return out


def _travellers(view: SentenceView, m_start: int, m_end: int, places: tuple[Actor, ...]) -> list[Actor]:
    """The travel verb's subjects from the tree where the sentence names more than a traveller and a place.

    "Duda and the presidents of Lithuania, Latvia and Estonia traveled to Kyiv": four travellers,
    where the nearest party before the verb would give one.
    """
    base = view.span.start
    before = [a for a in view.actors if a.end <= base + m_start and can_travel(a)]
    if len(before) < 2 or " and " not in view.text[max(0, view.rel(before[-2].start)) : m_start]:
        return []  # one traveller named before the verb: the surface reading has it
    roles = verb_roles(view, m_start, m_end)
    if roles is None or roles.passive:
        return []
    return [a for a in roles.doers if can_travel(a) and a not in places]


def _participle_subject(view: SentenceView, start: int, end: int) -> Actor | None:
    """ "He will tour a plant in Perth before flying on to Malaysia": the main clause's traveller.

    ``start:end`` is the travel word's match in the sentence; its first word is the verb.
    """
    if not view.text[start:end].split(None, 1)[0].lower().endswith("ing"):
        return None
    if _BEFORE_PARTICIPLE.search(view.text, max(0, start - 10), start) is None:
        return None
    return next((a for a in view.actors if a.start < view.span.start + start and named_traveller(a)), None)


_FROM = pattern("visits.from")
_WHERE = pattern("visits.where")


def _came_from(view: SentenceView) -> Iterator[Found]:
    """ "arrived from New Delhi, where he attended the G20 summit": the traveller had been there."""
    if "where" not in view.text:
        return
    base = view.span.start
    for place in view.actors:
        if not is_destination(place):
            continue
        start, end = place.start - base, place.end - base
        if _FROM.search(view.text, max(0, start - 12), start) is None or _WHERE.match(view.text, end) is None:
            continue
        traveller = view.left(place.start, max_words=20, stop=SEMICOLON, want=named_traveller)
        if traveller is not None and traveller.code != place.code:
            yield Found(EventType.VISIT, traveller, place.code, (place.start, place.end), verb=True, confidence=0.7)


_AS_ENVOY = pattern("visits.as_envoy")
_DISPATCHED_TO = pattern("visits.dispatched_to")


def _dispatch(view: SentenceView, lex: Lexicon, m_start: int, m_end: int) -> Iterator[Found]:
    """ "Ramaphosa dispatched special envoys led by Jeff Radebe to Nigeria": the envoys' visit."""
    base = view.span.start
    to = _DISPATCHED_TO.match(view.text, m_end)
    if to is None:
        return
    sent = view.text[m_end : to.end()]
    as_envoy = _AS_ENVOY.match(view.text, to.end(), to.end() + 60) is not None  # "sent X to Pretoria as his envoy"
    if not (as_envoy or lex.visit_dispatched.occurs(sent, probe(sent))):
        return  # a letter, troops, a message: no one visits
    sender = view.left(base + m_start, max_words=6, stop=VERB_GAP_STOP, want=is_governmental)
    target = view.right(base + to.end(), max_words=0, want=is_destination)
    if sender is None or target is None or sender.code == target.code:
        return
    envoys = [
        a for a in view.actors if base + m_end <= a.start < base + to.end() and a.person and a.code == sender.code
    ]
    envoy = Actor(
        base + m_end, base + to.end(), sender.code, envoys[0].person if envoys else None, frozenset(), False, True
    )
    yield Found(EventType.VISIT, envoy, target.code, (base + m_start, base + m_end), verb=True, confidence=0.8)


_BY = pattern("visits.by")
_HOST_NOUN_BEFORE = pattern("visits.host_noun_before")
_OWNERLESS_BEFORE = pattern("visits.ownerless_before")
_OF = pattern("visits.of")
_ON_A_VISIT = pattern("visits.on_a_visit")
_SINCE_DATE = pattern("visits.since_date")
_RESPECTIVELY = pattern("visits.respectively")
_LEAVE_FOR = pattern("visits.leave_for")
_MONTHS = [date(2000, month, 1).strftime("%B") for month in range(1, 13)]
_MONTH_BEFORE_YEAR = pattern("visits.month_before_year")
_RELATIVE_BEFORE = pattern("visits.relative_before")
_PREMODIFIER_STOP = pattern("visits.premodifier_stop")
_LEADING_APOSTROPHE_S = pattern("visits.leading_apostrophe_s")


def _invited_to_before(view: SentenceView, start: int) -> bool:
    """ "invited X to [visit]": the visit is the invitation's, read by the invitation rule."""
    if view.probe is not None and view.probe.low.find("invit", 0, start) < 0:
        return False  # every match contains "invit": without it there is nothing to search
    return _INVITED_TO.search(view.text, 0, start) is not None


_PLACE_PREPOSITION = pattern("visits.place_preposition")


def _in_phrase(view: SentenceView, actor: Actor) -> bool:
    """A place governed by a preposition ("arrived in Fiji for a visit"): where one goes, not who goes."""
    start = view.rel(actor.start)
    return actor.is_place and _PLACE_PREPOSITION.search(view.text, max(0, start - 12), start) is not None


def _visit_noun(view: SentenceView, ctx: Context, lex: Lexicon, m_start: int, m_end: int) -> Iterator[Found]:
    text, base = view.text, view.span.start
    pos, end = base + m_start, base + m_end
    if non_diplomatic_before(text, m_start, lex.visit_non_diplomatic) or ends_with(_USED_AS_VERB, text, m_start):
        return
    # "a visit by X", "X's visit", "X will pay a visit"
    by = _BY.match(text, m_end)
    source = None
    # "the Japan trip", "his Chinese visit"; not "his" itself, whose referent may be a demonym's
    premodifier = view.left(
        pos, max_words=1, want=lambda a: place_or_demonym(a) and a.via == "explicit", stop=_PREMODIFIER_STOP
    )
    if by:
        source = view.right(end, max_words=6, want=can_travel, gap_ok=no_punctuation)
    elif of := _OF.match(text, m_end):
        # "the state visit of Chinese President Xi Jinping to Kazakhstan": its owner, read like "by"
        source = view.right(end, max_words=6, want=named_traveller, gap_ok=no_punctuation)
        by = of if source is not None else None
    present = None
    if source is None and (present := _ON_A_VISIT.search(text, max(0, m_start - 60), m_start)) is not None:
        # "Sanchez has been on an official visit to Mexico": the traveller stands before the verb
        source = view.left(base + present.start(), max_words=8, stop=_GAP_STOP, want=named_traveller)
        present = present if source is not None else None
    if source is None:
        owner = view.left(pos, max_words=5, want=lambda a: a is not premodifier)
        if (
            owner
            and POSSESSIVE.match(text[owner.end - base :])
            and _ARTICLE_OR_ADJ.match(
                _LEADING_APOSTROPHE_S.sub("", view.gap(owner.end, premodifier.start if premodifier else pos))
            )
        ):
            source = owner if owner.can_travel else None
    if source is None:
        subject = view.left(pos, max_words=8, stop=_GAP_STOP, want=lambda a: can_travel(a) and not _in_phrase(view, a))
        if subject is not None and subject is not premodifier:
            source = subject
    target = destination(view, end, 4)
    if source is None and target is not None:
        source = _story_traveller(view, ctx, m_start, target)
    if source is None:
        return
    if target is None and by and source.start > pos:
        target = destination(view, source.end, 2)  # "the visit by Indonesian President Prabowo to Beijing"
    confidence = 0.9
    if target is None and premodifier is not None and premodifier.code != source.code:
        target = premodifier
    if target is None:
        pair = ctx.dominant
        if not pair or source.code not in pair or source.via == "pair":
            return
        target_code, confidence = (pair[1] if pair[0] == source.code else pair[0]), 0.6
        yield Found(EventType.VISIT, source, target_code, (pos, end), verb=False, confidence=confidence)
        return
    status, since = (Status.OCCURRED, _since_date(view, target, ctx)) if present and present["be"] else (None, None)
    # "trips to India, Egypt and Ghana": one visit per place listed
    for place in (target, *coordinated(view, target, is_destination)):
        yield Found(EventType.VISIT, source, place.code, (pos, end), verb=False, confidence=confidence,
                    status=status, date=since)  # fmt: skip


def _story_traveller(view: SentenceView, ctx: Context, m_start: int, target: Actor) -> Actor | None:
    """The owner of a visit noun its sentence leaves unnamed: the traveller of the visit told last.

    "The visit to Côte d'Ivoire follows a successful State Visit to Nigeria", after sentences on
    Ramaphosa's trip: both are his. Only for a noun that opens the sentence or follows a word
    ordering it among events ("after", "during", "follows"), with a destination and no person or
    official named before it.
    """
    subject = ctx.last_visitor
    if subject is None or subject.code == target.code:
        return None
    if any(a.end <= view.base + m_start and named_traveller(a) for a in view.actors):
        return None  # someone is named before it: the readings above had their chance
    if _OWNERLESS_BEFORE.search(view.text, 0, m_start) is None:
        return None
    at = view.base + m_start
    return Actor(at, at, subject.code, subject.person, subject.kinds, subject.leader, True, via="pronoun")


def _respective_days(view: SentenceView, places: tuple[Actor, ...], ctx: Context) -> list[ResolvedDate | None]:
    """ "in Rwanda and DRC on 11 and 12 November respectively": one day per place, in order; else []."""
    if len(places) != 2 or "respectively" not in view.text:
        return []
    shared = _RESPECTIVELY.match(view.text, view.rel(places[-1].end))
    both = resolve(shared.group("date"), ctx.published, Tense.PAST) if shared else None
    if both is None or both.date_end is None:
        return []
    return [ResolvedDate(both.date, None, Precision.DAY), ResolvedDate(both.date_end, None, Precision.DAY)]


def _since_date(view: SentenceView, place: Actor, ctx: Context) -> ResolvedDate | None:
    """ "on a visit to Mexico since last Thursday": the stay's first day (a "since" date is no
    event's date elsewhere, so the date reader passes it over)."""
    since = _SINCE_DATE.match(view.text, view.rel(place.end))
    return resolve(since.group("date"), ctx.published, Tense.PAST) if since else None
