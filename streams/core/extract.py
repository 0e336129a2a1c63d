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

from schemas import CAMEO_CODES, Article, DiplomaticEvent, EventType, make_pair
from streams import __version__
from streams.core.actors import Gazetteer, gazetteer
from streams.core.assembly import clause_dates, to_candidate
from streams.core.carry import carry_dates, date_from_arrival, date_from_definite, date_the_present
from streams.core.dates import ResolvedDate
from streams.core.identity import Candidate, deduplicate, event_id
from streams.core.lexicon import Lexicon, lexicon
from streams.core.parties import Actor, Offices
from streams.core.patterns import pattern, stems
from streams.core.references import add_references
from streams.core.rules.invitations import find_invitations
from streams.core.rules.sanction_warnings import find_sanction_warnings
from streams.core.rules.summits import find_summits
from streams.core.rules.visits import find_visits
from streams.core.sentence import Context, SentenceView, may_hold_event, people_in, read_sentences, view_of
from streams.core.text import contains_any
from streams.core.wordpatterns import probe

EXTRACTOR_VERSION = f"rules-{__version__}"


# (stems one of which the lower-cased sentence must contain, rule): a substring test is far
# cheaper than the rule's regular expressions, and most sentences fail it
_RULES = (
    (stems("visit"), find_visits),
    (stems("invitation"), find_invitations),
    (stems("summit"), find_summits),
    (stems("sanction_warning"), find_sanction_warnings),
)


_STARTS_WITH_PRONOUN = pattern("extract.starts_with_pronoun")


def candidates(article: Article, gaz: Gazetteer | None = None) -> list[Candidate]:
    """Every event mention in reading order, before de-duplication."""
    gaz = gaz or gazetteer()
    lex = lexicon()
    offices = Offices(gaz, article.published_at.date())
    sents, ctx = read_sentences(article, gaz)
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
        if may_hold_event(sentence, lowered, ctx, lex):
            view = view_of(sentence, offices, lex, lowered)
            low = lowered.low if lowered is not None else sentence.span.text.lower()
            found_here = _events(view, low, ctx, lex)
            actors = view.actors
        else:
            actors = people_in(sentence, offices, lex)
        out.extend(found_here)
        if view is not None and not found_here and not view.has(lex.speech_dates):
            # "The invitation was extended in a message delivered in Tehran on Sunday"
            date_from_definite(view.text, clause_dates(view, 0), out, ctx.published)
        if (
            not found_here
            and (traveller := ctx.last_visitor)
            and any(m.person == traveller.person for m in sentence.mentions)
        ):
            # "Ardern said Mataʻafa will arrive on June 14": the story's traveller arrives that day (a
            # sentence the gates pass over too, for it names no destination)
            seen = view or view_of(sentence, offices, lex, lowered)
            date_from_arrival(seen.text, seen.base, traveller, seen.actors, clause_dates(seen, 0), out, ctx.published)
        named = [a for a in actors if a.person and a.via == "explicit"]
        ctx.people.extend(named)
        if named:
            ctx.subject = named[0]
        visitors = [c for c in found_here if c.type is EventType.VISIT and c.person]
        if visitors:
            ctx.last_visitor = _traveller(visitors[-1], offices)
        dated = [ResolvedDate(c.date, c.date_end, c.precision) for c in found_here if c.date]
        if dated:
            ctx.last_dates = dated
        elif ctx.last_dates and view is not None and view.has_dates():
            ctx.last_dates = []  # a date no event took: the inherited one no longer holds
    return out


def _traveller(visit: Candidate, offices: Offices) -> Actor:
    """The traveller of a visit told, as a party later sentences may point back to."""
    assert visit.person is not None
    leader = offices.leader_flags(visit.person)[0] if visit.person in offices.gaz.officials else False
    return Actor(visit.evidence_start, visit.evidence_start, visit.source, visit.person, frozenset(), leader, True)


def _events(view: SentenceView, low: str, ctx: Context, lex: Lexicon) -> list[Candidate]:
    """The event mentions of a sentence that may hold one; ``low`` is its text lower-cased."""
    found_here: list[Candidate] = []
    add_references(view, ctx, lex)
    if ctx.last_dates and _STARTS_WITH_PRONOUN.match(view.text) and not view.has_dates():
        view.inherited = ctx.last_dates[-1]
    for needed, rule in _RULES:
        if not contains_any(low, needed):
            continue
        for found in rule(view, ctx, lex):
            cand = to_candidate(view, found, ctx)
            if cand is not None:
                found_here.append(cand)
                if cand.type is EventType.SUMMIT:
                    ctx.last_summit = (cand.source, cand.target)
    return found_here


def extract(article: Article, gaz: Gazetteer | None = None) -> list[DiplomaticEvent]:
    """The events an article reports, one per real happening, with stable ids."""
    events: list[DiplomaticEvent] = []
    body = article.body
    day = article.published_at.date()
    # a date carried to a mention may make it one with another mention of that date: fold them again
    folded = date_the_present(deduplicate(candidates(article, gaz), day), day)
    for c in deduplicate(carry_dates(folded, day), day):
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
