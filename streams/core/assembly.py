"""A found event becomes a candidate: its status from the clause, its date from the nearest phrase.

Status and date are read per clause, not per sentence: "after his visit last year, he will host the
summit in May" holds two events with two dates. What does not tie a date to this event (a speech
verb's date, another happening's clause) is passed over.
"""

from __future__ import annotations

import re

from schemas import EventType, Precision, Status
from streams.core.dates import DatePhrase, ResolvedDate, Tense, resolve
from streams.core.identity import Candidate
from streams.core.lexicon import Lexicon, lexicon
from streams.core.patterns import pattern
from streams.core.roles import WORD_APOSTROPHE_HYPHEN, Found
from streams.core.sentence import Context, SentenceView
from streams.core.status import clause_status, negated, unmarked_cue, with_date
from streams.core.text import contains_any
from streams.core.wordpatterns import probe

_NOUN_THEN_MODAL = pattern("assembly.noun_then_modal")
_LATER_MODAL = pattern("assembly.later_modal")
_PARENTHETICAL = pattern("assembly.parenthetical")
_THE_BEFORE = pattern("assembly.the_before")
_WITH_PARTY = pattern("assembly.with_party")
_EXPECT = pattern("assembly.expect")
_CLAUSE_BREAK = pattern("assembly.clause_break")


def _extent(found: Found) -> tuple[int, int]:
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
        lead_words = " ".join(WORD_APOSTROPHE_HYPHEN.findall(lead)[-4:])
        flags = view.date_leads[phrase.start] = (
            lex.date_blockers.search(lead_words) is not None,
            lex.speech_dates.search(" ".join(lead_words.split()[-2:])) is not None,
        )
    return flags


_CONDITIONAL_MODAL = pattern("assembly.conditional_modal")
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
        if start < t1 and end > t0 - _GENERIC_BEFORE and not _one_of_a_series(view, start, t1):
            return True
    return any(t1 <= start <= t1 + _GENERIC_AFTER for start, _ in view.find(lex.generic_after))


def _one_of_a_series(view: SentenceView, generic_start: int, t1: int) -> bool:
    """ "the annual summit with Japanese Prime Minister Kishida": this year's one, with a party named."""
    if _THE_BEFORE.search(view.text, max(0, generic_start - 12), generic_start) is None:
        return False
    match = _WITH_PARTY.match(view.text, t1)
    return match is not None and any(a.start == view.base + match.end() for a in view.actors)


def _happening_now(view: SentenceView, before: str, t0: int, t1: int) -> bool:
    """Whether the clause tells the event as going on, or just done, at publication: "are meeting", "has arrived".

    Outside quotes only: a quoted "we are meeting" may be anyone's, any day.
    """
    if _QUOTE_BEFORE.search(before[-40:]):
        return False
    return lexicon().happening_now.occurs(before[-30:] + " " + view.text[t0:t1], None)


_QUOTE_BEFORE = pattern("assembly.quote_before")
_NOUN_CLAUSE_END = pattern("assembly.noun_clause_end")


def _happened_after(view: SentenceView, t1: int) -> bool:
    """Whether the verb of the clause a noun trigger ending at ``t1`` opens says it happened.

    Read up to the clause's first punctuation and at most sixteen words: "the talks between Biden
    and Xi took place"; not a verb of a later clause ("the summit, which ended the war, ...").
    """
    clause = _NOUN_CLAUSE_END.split(view.text[t1 : t1 + 140], 1)[0]
    verb = lexicon().occurred_after_noun.first(clause, probe(clause))
    return verb is not None and len(clause[: verb[0]].split()) <= 16


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


def _date_for(view: SentenceView, found: Found, ctx: Context, tense: Tense) -> ResolvedDate | None:
    """The date of the phrase nearest the event in its clause, or the one the sentence inherits.

    It depends on the event's type, its extent and trigger, and the tense only: kept per sentence.
    """
    speech_ok = found.type is EventType.SANCTION_WARNING
    invitation = found.type is EventType.INVITATION
    lo, hi = _extent(found)
    visit = found.type is EventType.VISIT
    key = (speech_ok, invitation, visit, lo, hi, found.trigger[0], tense)
    if key not in view.dates_for:
        view.dates_for[key] = _nearest_date(view, speech_ok, invitation, visit, lo, hi, found.trigger[0], ctx, tense)
    return view.dates_for[key]


def _nearest_date(
    view: SentenceView,
    speech_ok: bool,
    invitation: bool,
    visit: bool,
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
            if invitation and _INVITED_TRIP.search(between):
                continue  # "invited Putin to visit China in October": the visit's date, not the invitation's
            if visit and _another_visit(view, hi, phrase.start):
                continue  # "The visit to X follows a State Visit to Y on 30 November": the second one's
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


def _another_visit(view: SentenceView, after: int, before: int) -> bool:
    """Whether a visit word stands between ``after`` and ``before``: a date beyond it is that visit's."""
    lo, hi = view.rel(after), view.rel(before)
    lex = lexicon()
    return any(lo <= start < hi for words in (lex.visit_nouns, lex.visit_verbs) for start, _ in view.find(words))


def clause_dates(view: SentenceView, start: int) -> list[DatePhrase]:
    """The date phrases after sentence offset ``start`` in its clause that tie to no other happening.

    What a sentence opening with "The invitation ..." says of that invitation's day: not a date
    after "since", "after" or a speech verb, nor one past a clause break ("because ... in 2021").
    """
    lex = lexicon()
    out = []
    for phrase in view.dates:
        at = view.rel(phrase.start)
        if at < start or any(_date_lead(view, phrase, lex)) or _breaks_clause(view.text[start:at]):
            continue
        out.append(phrase)
    return out


_WHEN_AFTER_DATE = pattern("assembly.when_after_date")
_INVITED_TRIP = pattern("assembly.invited_trip")
_SENTENCE_OPENER = pattern("assembly.sentence_opener")


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
    if lowered is not None and not contains_any(lowered.low, _CLAUSE_WORDS):
        return False  # none of the words, whatever their case (see probe)
    return _CLAUSE_BREAK.search(between) is not None


def to_candidate(view: SentenceView, found: Found, ctx: Context) -> Candidate | None:
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
    elif not found.verb and _happened_after(view, t1):
        status = Status.OCCURRED  # "the widely anticipated talks took place": the noun's own verb says so
    elif found.type is EventType.INVITATION:
        status = _clause_status(view, before[-12:], text[t0:t1], found.verb)
    else:
        status = _clause_status(view, before, text[t0:t1], found.verb)
        # a bare noun ("his visit", "the summit") says nothing of tense: it joins what the article says
        tentative = not found.verb and status is Status.OCCURRED and not unmarked_cue(before)
    tense = Tense.PAST if status is Status.OCCURRED else Tense.FUTURE
    resolved = found.date if found.date is not None else _date_for(view, found, ctx, tense) if found.dated else None
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
        now=resolved is None and status is Status.OCCURRED and _happening_now(view, before, t0, t1),
    )
