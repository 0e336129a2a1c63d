"""Invitations: one government invites another's leader or officials, and the visit that invites.

"X invited Y to visit Z" is two events: the invitation, which occurred, and Y's visit, possible until
accepted ("accepted an invitation" makes it planned).
"""

from __future__ import annotations

from collections.abc import Iterator

from schemas import EventType, Status
from streams.core.lexicon import Lexicon
from streams.core.parties import (
    Actor,
    guest_of,
    is_country_or_place,
    is_governmental,
    is_place,
    named_traveller,
    other_government,
    traveller_to,
)
from streams.core.patterns import pattern
from streams.core.roles import POSSESSIVE, SEMICOLON, VERB_GAP_STOP, Found, doer_and_undergoers, only_to_the
from streams.core.sentence import Context, SentenceView


def find_invitations(view: SentenceView, ctx: Context, lex: Lexicon) -> Iterator[Found]:
    text, base = view.text, view.span.start
    if view.has(lex.invitation_non_diplomatic) and not _TO_VISIT.search(text):
        return
    for m_start, m_end in view.find(lex.invitation_verbs):
        yield from _verb_invitations(view, m_start, m_end)
    for m_start, m_end in view.find(lex.invitation_nouns):
        pos, end = base + m_start, base + m_end
        inviter, invitee = None, None
        of = _OF_OR_FROM.match(text, m_end)
        if of:
            inviter = view.right(end, max_words=9, want=is_governmental)
        owner = view.left(pos, max_words=3, want=is_governmental)
        if inviter is None and owner and POSSESSIVE.match(text[owner.end - base :]):
            inviter = owner
            owner = view.left(owner.start, max_words=4, stop=VERB_GAP_STOP, want=is_governmental)
        subject = owner or view.left(pos, max_words=10, stop=VERB_GAP_STOP, want=is_governmental)
        to = _TO_NOT_VISIT.match(text, m_end)
        if to:
            invitee = view.right(end, max_words=3, want=is_governmental)
        before = view.gap(subject.end, pos) if subject is not None else ""
        accepting = subject is not None and bool(lex.invitation_accept.search(before))
        receiving = subject is not None and not accepting and bool(lex.invitation_receive.search(before))
        if inviter is None and subject is not None and not (accepting or receiving):
            inviter = subject
        if invitee is None and subject is not None and (accepting or receiving) and subject is not inviter:
            invitee = subject
        if invitee is None and inviter is not None and _at_invitation(text, m_start, inviter, base):
            # "X is visiting at the invitation of Y", "X arrived in Paris at Y's invitation": the guest is
            # the traveller before; the visit is the visit rule's (its own verb gives its status)
            guest = view.left(pos, max_words=20, stop=VERB_GAP_STOP, want=guest_of(inviter.code))
            if guest is None:
                guest = _sentence_traveller(view, pos, inviter.code)
            if guest is None and _VISIT_BEFORE.search(text, 0, m_start):
                guest = _story_guest(view, ctx, pos, inviter.code)
            if guest is not None and guest is not inviter:
                yield Found(EventType.INVITATION, inviter, guest.code, (pos, end), verb=False, dated=False)
                continue
        if invitee is None and inviter is not None:
            invitee = view.right(inviter.end, max_words=4, want=guest_of(inviter.code))
            if invitee is None and not accepting:
                # "At the invitation of X, Y will pay a visit": the guest is the next traveller named
                invitee = view.right(inviter.end, max_words=12, want=traveller_to(inviter.code))
        if inviter is None and invitee is not None and (accepting or receiving) and ctx.dominant:
            # "Ruto expressed gratitude for the invitation": from the other side of the story's pair
            pair = ctx.dominant
            if invitee.code in pair and invitee.via != "pair":
                host = pair[1] if pair[0] == invitee.code else pair[0]
                yield Found(EventType.INVITATION, _stand_in(invitee, host), invitee.code, (pos, end), verb=False,
                            confidence=0.6)  # fmt: skip
            continue
        if inviter is None or invitee is None or inviter.code == invitee.code:
            continue
        yield Found(EventType.INVITATION, inviter, invitee.code, (pos, end), verb=False)
        status = Status.PLANNED if accepting else Status.POSSIBLE
        yield from _invited_visit(view, invitee, inviter, end, status)


def _verb_invitations(view: SentenceView, m_start: int, m_end: int) -> Iterator[Found]:
    """An inviting verb's invitations: one per invitee ("invited the presidents of Rwanda, Burundi and
    Uganda"), with each invitee's visit to the place after the list, possible until accepted."""
    trigger = (view.base + m_start, view.base + m_end)
    inviter, invitees = _inviter_and_invitees(view, m_start, m_end)
    for invitee in invitees:
        if inviter and invitee.code != inviter.code:
            yield Found(EventType.INVITATION, inviter, invitee.code, trigger, verb=True)
            yield from _invited_visit(view, invitee, inviter, trigger[1], Status.POSSIBLE, listed=invitees[-1])


def _inviter_and_invitees(view: SentenceView, m_start: int, m_end: int) -> tuple[Actor | None, list[Actor]]:
    """Who invites whom at an inviting verb: "X invited Y", "Y was invited by X", "X, who invited Y".

    The tree decides where it names both, lists included ("invited A and B"); a passive without
    its "by" leaves the inviter unknown. Else the surface reading: the government right after the
    verb is invited by the nearest before.
    """
    base = view.span.start
    invitee = view.right(base + m_end, max_words=2, want=is_governmental)
    # the nearest state before, unless it is the invitee ("sent Raisi a letter inviting him")
    want = is_governmental if invitee is None else other_government(invitee.code)
    inviter = view.left(base + m_start, max_words=10, stop=VERB_GAP_STOP, want=want)
    found, invitees = doer_and_undergoers(view, m_start, m_end, (inviter, invitee), is_governmental, is_governmental)
    distinct = [a for i, a in enumerate(invitees) if all(b.code != a.code for b in invitees[:i])]
    return found, distinct


def _sentence_traveller(view: SentenceView, pos: int, host: str) -> Actor | None:
    """The first traveller the sentence names, for an invitation that closes it after a relative clause.

    "Díaz-Canel arrived in Lisbon for a visit, which will last until Sunday, at the invitation of
    his Portuguese counterpart": the guest is the sentence's subject.
    """
    first = next((a for a in view.actors if a.start < pos and named_traveller(a)), None)
    if first is None or first.code == host or SEMICOLON.search(view.gap(first.end, pos)):
        return None
    return first


def _story_guest(view: SentenceView, ctx: Context, pos: int, host: str) -> Actor | None:
    """The story's traveller, for "This visit is being undertaken at the invitation of X".

    A sentence that points back to the visit and names no guest of its own was invited for the
    visit told before (extract.candidates keeps its traveller), if that traveller is not the host's.
    """
    if any(a.start < pos and named_traveller(a) and a.code != host for a in view.actors):
        return None
    visitor = ctx.last_visitor
    return visitor if visitor is not None and visitor.code != host else None


def _stand_in(near: Actor, code: str) -> Actor:
    """A party the sentence leaves unnamed, placed where the named one stands."""
    return Actor(near.start, near.end, code, None, frozenset(), True, True, via="pair")


def _at_invitation(text: str, start: int, inviter: Actor, base: int) -> bool:
    """Whether the invitation noun at ``start`` reads "at/on the invitation", "at X's invitation"."""
    head = start if inviter.end - base > start else inviter.start - base
    return _AT_INVITATION.search(text, max(0, head - 40), head) is not None


_TO_VISIT = pattern("invitations.to_visit")
_AT_INVITATION = pattern("invitations.at_invitation")
_VISIT_BEFORE = pattern("invitations.visit_before")
_OF_OR_FROM = pattern("invitations.of_or_from")
_TO_NOT_VISIT = pattern("invitations.to_not_visit")
_THEN_TO_VISIT = pattern("invitations.then_to_visit")


def _invited_visit(
    view: SentenceView, guest: Actor, host: Actor, after: int, status: Status, *, listed: Actor | None = None
) -> Iterator[Found]:
    """ "invited Putin to visit the DPRK": the guest's visit, possible until accepted.

    ``listed`` is the last of a list of guests ("invited A and B to Nairobi"): the place follows it.
    """
    rest = view.text[view.rel(after) :]
    m = _THEN_TO_VISIT.match(rest)
    if m:
        end = after + m.end()
        target = view.right(end, max_words=3, want=is_country_or_place)
    else:  # "invited Kishida to Seoul": the place right after the guest (or the list of guests)
        end = (listed or guest).end
        target = view.right(end, max_words=2, want=is_place, gap_ok=only_to_the)
        if target is None:
            return
    code = target.code if target else host.code
    if code != guest.code:
        yield Found(EventType.VISIT, guest, code, (end - 5, end), verb=True, status=status)
