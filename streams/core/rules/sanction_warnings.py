"""Sanction warnings: a state warns another of sanctions or punitive measures.

The speaker is the state speaking nearest before the threatened measure; the warned is on the
reported side of its speech verb, up to a clause that only sets conditions.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemas import EventType, Status
from streams.core.lexicon import Lexicon
from streams.core.parties import Actor, coordinated_speaker, state_speaker
from streams.core.patterns import pattern
from streams.core.roles import COORDINATION, SEMICOLON, Found, verb_roles
from streams.core.sentence import SANCTION_HINT, Context, SentenceView

_TARGET_STOP = pattern("sanction_warnings.target_stop")
_CONDITION_SUBJECT = pattern("sanction_warnings.condition_subject")


def find_sanction_warnings(view: SentenceView, ctx: Context, lex: Lexicon) -> Iterator[Found]:
    if not SANCTION_HINT.search(view.text) or view.has(lex.sanction_non_diplomatic):
        return
    done: set[tuple[str, str]] = set()
    for cue in view.find(lex.sanction_cues):  # one sentence may carry several governments' warnings
        for found in _warning(view, lex, cue):
            if (found.source.code, found.target_code) not in done:
                done.add((found.source.code, found.target_code))
                yield found


def _speakers_from_tree(view: SentenceView, lex: Lexicon, verb_start: int, verb_end: int) -> list[Actor]:
    """The speech verb's subjects, nearest first, where more than one state is named before it.

    "The US imposed sanctions on Eritrea over its role in Ethiopia's war, and it warned ...":
    the nearest state before "warned" is Ethiopia; the tree's subject is the US. Coordinated
    subjects all speak ("Germany and Britain threatened ...").
    """
    base = view.span.start
    if sum(1 for a in view.actors if a.end <= base + verb_start and state_speaker(a)) < 2:
        return []
    roles = verb_roles(view, verb_start, verb_end)
    if roles is None or roles.passive:
        return []
    speakers = [a for a in roles.doers if coordinated_speaker(a)]
    if not any(state_speaker(a) for a in speakers) and not _organ_subject(view, verb_start, lex):
        return []
    return sorted(speakers, key=lambda a: a.start, reverse=True)


def _organ_subject(view: SentenceView, verb_start: int, lex: Lexicon) -> bool:
    """Whether the speech verb's subject is a state's organ: "the Chinese commerce ministry said"."""
    tree = view.tree()
    verb = tree.token_at(verb_start)
    subject = tree.subject(verb) if verb is not None else None
    return subject is not None and tree.tokens[subject].text.lower() in lex.speaker_organs


def _opening_pronoun(view: SentenceView, pos: int) -> Actor | None:
    """The "He" or "She" a sentence opens with, standing for a named official, as the one who warns.

    "He has also threatened to impose tariffs on ...": news names the speaker in the sentence
    before and goes on with a pronoun. Only the sentence's first word, resolved to a named person
    (references.add_references), and only when nothing nearer speaks, so no state named after the
    verb is taken for the speaker instead.
    """
    first = view.actors[0] if view.actors else None
    if first is None or first.via != "pronoun" or first.person is None or first.start != view.span.start:
        return None
    return first if first.end <= pos else None


def _warning(view: SentenceView, lex: Lexicon, cue: tuple[int, int]) -> Iterator[Found]:
    """Who warns (the state speaking nearest before the cue) and whom (the reported side of its verb).

    ``cue`` is the (start, end) in the sentence of what is threatened.
    """
    base = view.span.start
    speaker: Actor | None = None
    speech_at = (0, 0)
    names = [(a.start - base, a.end - base) for a in view.actors]
    verbs = sorted(
        # not a word of a name ("the United States"); a verb the cue opens with ("threatened X with
        # sanctions") comes first
        (v for v in view.find(lex.speech) if not any(lo <= v[0] < hi for lo, hi in names)),
        key=lambda verb: abs(verb[0] - cue[0]) + (0 if verb[0] <= cue[0] else 1000),
    )
    for verb_start, verb_end in verbs:
        pos, end = base + verb_start, base + verb_end
        speakers = _speakers_from_tree(view, lex, verb_start, verb_end)
        speaker = (
            speakers[0]
            if speakers
            else view.left(pos, max_words=8, stop=SEMICOLON, want=state_speaker)
            or _opening_pronoun(view, pos)
            or view.right(end, max_words=4, want=state_speaker)
        )
        if speaker is not None:
            speech_at = (pos, end)
            break
    if speaker is None:
        return
    if not speakers:
        speakers = [speaker]
        while (more := view.left(speakers[-1].start, max_words=1, want=coordinated_speaker)) and (
            COORDINATION.fullmatch(view.gap(more.end, speakers[-1].start))
        ):
            speakers.append(more)  # "Germany and Britain threatened ...", "French and British ministers warned ..."
    cue_start, cue_end = base + cue[0], base + cue[1]
    speaker_codes = {a.code for a in speakers}
    # The warned are on the reported side of the speech verb ("X warned Y ...", "... against Y, X said"),
    # up to a clause that only sets conditions ("if it invaded Ukraine", "over arms sales to Taiwan")
    # or starts another statement (", and Seoul warned ...").
    if speech_at[0] <= cue_start:  # "threatened X with sanctions": the cue opens with the verb
        lo, hi = speech_at[1], view.span.end
    else:
        lo, hi = view.span.start, speakers[-1].start
    targets: list[str] = []
    previous = lo
    for actor in view.actors:
        if actor in speakers or actor.start < lo or actor.end > hi or actor.via == "pronoun":
            continue
        gap = view.gap(previous, actor.start)
        if _TARGET_STOP.search(gap):
            # "will take countermeasures if Washington imposes ...": with no one warned yet, the
            # condition's subject is; after it (or once someone is), the condition is not
            if targets or not _CONDITION_SUBJECT.search(gap):
                break
            targets.extend(c for c in actor.codes or (actor.code,) if c not in speaker_codes and c not in targets)
            break
        previous = actor.end
        for code in actor.codes or (actor.code,):
            if code not in speaker_codes and code not in targets:
                targets.append(code)
    for who in reversed(speakers):
        for code in targets:
            yield Found(
                EventType.SANCTION_WARNING,
                who,
                code,
                (min(speech_at[0], cue_start), cue_end),
                verb=True,
                status=Status.OCCURRED,
            )
