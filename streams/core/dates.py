"""Date phrases in a sentence, resolved against the publication date.

dateparser is good at absolute phrases ("July 19, 2000", "Sept. 12") and bad at
everything around them (see FIELD-NOTES): it reads "June 18-19" as 2019, turns
the modal "may" into May, anchors weekdays wrongly on the base day and ignores
tense. So this module finds candidate phrases itself, does the calendar
arithmetic for weekdays, relative words and ranges, and hands dateparser only
one absolute day, month or year at a time. The tense of the event decides
which year a yearless date falls in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache

from dateparser.date import DateDataParser

from schemas import Precision


class Tense(StrEnum):
    PAST = "past"
    FUTURE = "future"


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    date: dt.date
    date_end: dt.date | None
    precision: Precision


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, three
# times slower, and every date phrase makes one. Nothing changes one once made.
@dataclass(slots=True)
class DatePhrase:
    start: int
    end: int
    text: str


_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19[5-9]\d|20\d\d)(?![-\d])"
_DASH = r"\s*(?:-|–|—|to|through|until|and)\s*"
# "21-22 December this year", "on 3 May next year": the year told relative to publication
_OF_YEAR = r",?\s+(?:this|last|next)\s+year"

_CANDIDATE = re.compile(
    rf"""
    (?P<paren_day>(?:(?:[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?:{_WEEKDAY}|[Yy]esterday|[Tt]oday|[Tt]omorrow)
        (?:\s+(?:morning|afternoon|evening|night))?\s*\(\d{{1,2}}(?:st|nd|rd|th)?\))
  | (?P<range_md>{_MONTH}\s+{_DAY}{_DASH}(?:{_MONTH}\s+)?{_DAY}(?:,?\s+{_YEAR}|{_OF_YEAR})?)\b
  | (?P<range_dm>\b{_DAY}{_DASH}{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR}|{_OF_YEAR})?)\b
  | (?P<md>{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR}|{_OF_YEAR})?)\b
  | (?P<dm>\b{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR}|{_OF_YEAR})?)\b
  | (?P<rel_month>(?:(?:[Ll]ast|[Nn]ext|[Tt]his)\s+)?{_MONTH}(?:,?\s+{_YEAR}|\s+(?:last|next|this)\s+year)?)(?![\w-])
  | (?P<iso>\b\d{{4}}-\d{{2}}-\d{{2}})\b
  | (?P<weekdays>(?:(?:[Ll]ast|[Nn]ext|[Tt]his)\s+)?{_WEEKDAY}(?:\s+and\s+{_WEEKDAY})?)\b
  | (?P<rel>\b(?:[Ll]ast|[Nn]ext|[Tt]his|[Ee]arlier\sthis|[Ll]ater\sthis)\s+(?:week|month|year)\b
        |\b(?:today|yesterday|tomorrow|[Tt]onight)\b)
  | (?P<year>\b(?:[Ii]n|since|of)\s+(?:early\s|late\s|mid-)?{_YEAR})\b
    """,
    re.VERBOSE,
)
# Cheap test first: most sentences have no date at all. It is "\d|Jan|...|tonight" as two
# patterns: each starts with a plain character class or letter, so Python's regex engine
# jumps to the candidates instead of trying every position (an alternation starting with \d
# defeats that).
_DIGIT = re.compile(r"\d")
_MAYBE_DATE_WORD = re.compile(
    r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|day\b|week|month|year|today|tomorrow|tonight"
)
_YEAR_PREFIX = re.compile(r"^(?:[Ii]n|since|of)\s+")
# A bare month name needs a preposition or a year beside it: "May" alone is the modal verb.
_BARE_MONTH_OK = re.compile(
    rf"^(?:(?:[Ll]ast|[Nn]ext|[Tt]his)\s+{_MONTH}|{_MONTH},?\s+{_YEAR}|{_MONTH}\s+(?:last|next|this)\s+year)$"
)
# "April last year", "March next year": a month of the year before or after publication
_MONTH_OF_RELATIVE_YEAR = re.compile(r"([a-z]{3})[a-z]*\.? (last|next|this) year")
_PREPOSITION_BEFORE = re.compile(r"\b(?:in|since|until|by|of|early|late|mid-|last|next|this)\s*$", re.IGNORECASE)

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


def find_phrases(text: str, offset: int = 0) -> list[DatePhrase]:
    """Candidate date phrases in ``text``: never bare numbers, durations or the modal "may".

    Their positions are shifted by ``offset`` (where the text starts in the article).
    """
    return list(_phrases(text, offset))


def has_phrase(text: str) -> bool:
    """Whether :func:`find_phrases` finds any; stops at the first."""
    return next(_phrases(text, 0), None) is not None


def _phrases(text: str, offset: int) -> Iterator[DatePhrase]:
    if not (_DIGIT.search(text) or _MAYBE_DATE_WORD.search(text)):
        return
    if " ago" in text:  # "a month ago", "two weeks ago": rare, so looked for only where "ago" is
        yield from _with_ago(text, offset)
        return
    yield from _dated(text, offset)


def _with_ago(text: str, offset: int) -> Iterator[DatePhrase]:
    """The phrases of :func:`_dated` and the "N units ago" ones, in order, none inside another."""
    agos = [DatePhrase(m.start() + offset, m.end() + offset, m.group()) for m in _AGO.finditer(text)]
    others = [p for p in _dated(text, offset) if not any(a.start <= p.start < a.end for a in agos)]
    yield from sorted([*agos, *others], key=lambda p: p.start)


_AGO = re.compile(
    r"\b(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\s+"
    r"(?:day|week|month|year)s?\s+ago\b",
    re.IGNORECASE,
)


def _dated(text: str, offset: int) -> Iterator[DatePhrase]:
    for m in _candidates(text):
        phrase, start = m.group().strip(), m.start()
        if m.lastgroup == "rel_month" and not (
            _BARE_MONTH_OK.match(phrase) or _PREPOSITION_BEFORE.search(text[max(0, start - 12) : start])
        ):
            continue
        if m.lastgroup == "year" and (prefix := _YEAR_PREFIX.match(phrase)):
            phrase, start = phrase[prefix.end() :], start + prefix.end()
        yield DatePhrase(start + offset, start + offset + len(phrase), phrase)


# Where a _CANDIDATE match can start: its alternatives begin with a digit or with one of these
# words. Those it wants after \b ("in 2019", "today", a day number) count only after a
# non-word character, written as a look-behind after the word or digit (as extract._PRONOUN
# does): each pattern then starts with a plain letter or digit class, and Python's regex
# engine jumps from one candidate to the next instead of trying every position.
_FREE_FIRST_WORDS = (
    *("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    *("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    *("last", "Last", "next", "Next", "this", "This"),
)
_BOUNDED_FIRST_WORDS = (
    *("earlier", "Earlier", "later", "Later", "in", "In", "since", "of"),
    *("today", "yesterday", "tomorrow", "tonight", "Tonight", "Today", "Yesterday", "Tomorrow"),
)
_START_WORD = re.compile("|".join([*_FREE_FIRST_WORDS, *(rf"{w}(?<!\w{w})" for w in _BOUNDED_FIRST_WORDS)]))
_START_DIGIT = re.compile(r"\d(?<!\w\d)")


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """What ``_CANDIDATE.finditer(text)`` finds, trying the pattern only where a match can start.

    The pattern has no plain first character, so the regex engine would try it at every
    position of the sentence. Every match starts where _START_DIGIT or _START_WORD finds
    one, and those two searches are fast: the pattern is tried at those places only, in
    order, resuming after each match as finditer does.
    """
    end = len(text)
    digit, word = _next_start(_START_DIGIT, text, 0), _next_start(_START_WORD, text, 0)
    while (at := min(digit, word)) < end:
        m = _CANDIDATE.match(text, at)
        if m:
            yield m
        resume = m.end() if m else at + 1
        if digit < resume:
            digit = _next_start(_START_DIGIT, text, resume)
        if word < resume:
            word = _next_start(_START_WORD, text, resume)


def _next_start(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where ``pattern`` next matches in ``text`` from ``pos`` on; the text's length if nowhere."""
    m = pattern.search(text, pos)
    return m.start() if m else len(text)


_LEAP_YEAR = 2000  # yearless phrases are parsed in a leap year so "Feb. 29" survives


@lru_cache(maxsize=1)
def _parser() -> DateDataParser:
    return DateDataParser(
        languages=["en"],
        settings={
            "PREFER_DAY_OF_MONTH": "first",
            "PREFER_DATES_FROM": "current_period",
            "RELATIVE_BASE": datetime.combine(date(_LEAP_YEAR, 7, 1), time(12, 0)),
        },
    )


@lru_cache(maxsize=16384)
def _absolute(phrase: str) -> tuple[date, Precision, bool] | None:
    """One absolute day, month or year via dateparser; the flag says whether a year was given.

    Independent of the publication date (a yearless phrase comes back in a fixed leap year
    and the caller moves it), so the cache holds across articles.
    """
    has_year = re.search(_YEAR, phrase) is not None
    data = _parser().get_date_data(phrase if has_year else f"{phrase} {_LEAP_YEAR}")
    if data.date_obj is None:
        return None
    period = data.period or "day"
    precision = {"day": Precision.DAY, "month": Precision.MONTH, "year": Precision.YEAR}.get(period, Precision.DAY)
    value = data.date_obj.date()
    if precision is Precision.MONTH:
        value = value.replace(day=1)
    elif precision is Precision.YEAR:
        value = value.replace(month=1, day=1)
    return value, precision, has_year


def _shift_year(value: date, precision: Precision, base: date, tense: Tense) -> date:
    """A yearless date takes the year that fits the tense: past on or before base, future on or after."""
    key = (lambda d: (d.year, d.month)) if precision is Precision.MONTH else (lambda d: (d.year, d.month, d.day))
    candidate = _safe_replace_year(value, base.year)
    if tense is Tense.PAST and key(candidate) > key(base):
        candidate = _safe_replace_year(candidate, base.year - 1)
    elif tense is Tense.FUTURE and key(candidate) < key(base):
        candidate = _safe_replace_year(candidate, base.year + 1)
    return candidate


def _safe_replace_year(value: date, year: int) -> date:
    try:
        return value.replace(year=year)
    except ValueError:  # 29 February
        return value.replace(year=year, day=28)


def _weekday(name: str, base: date, tense: Tense, modifier: str | None) -> date:
    target = _WEEKDAYS.index(name.lower())
    if tense is Tense.FUTURE or modifier == "next":
        delta = (target - base.weekday()) % 7
        if modifier == "next" and delta == 0:
            delta = 7
        return base + timedelta(days=delta)
    delta = (base.weekday() - target) % 7
    if modifier == "last" and delta == 0:
        delta = 7
    return base - timedelta(days=delta)


def _month_relative(month: int, base: date, modifier: str) -> date:
    if modifier == "last":
        year = base.year if month < base.month else base.year - 1
    elif modifier == "next":
        year = base.year if month > base.month else base.year + 1
    else:
        year = base.year
    return date(year, month, 1)


# compiled once: re.sub() and re.fullmatch() with a pattern string look it up in re's cache on
# every call, and resolve() runs for every dated event of every new publication day
_SPACES = re.compile(r"\s+")
# "this Tuesday afternoon (24th)", "Yesterday (23)": the day of the month, in parentheses
_PAREN_DAY = re.compile(r"\((\d{1,2})(?:st|nd|rd|th)?\)$")
_NEAR_DAYS = 10  # how far from publication a day of the month given so may lie


def _day_of_month_near(day: int, base: date, tense: Tense) -> ResolvedDate | None:
    """The date nearest ``base`` whose day of the month is ``day`` (the tense breaks a tie).

    News copy in this style ("on Friday (13)") names a day within days of publication; the
    day number alone decides, since it is what the outlet wrote out.
    """
    near = [base + timedelta(days=n) for n in range(-_NEAR_DAYS, _NEAR_DAYS + 1)]
    fits = [d for d in near if d.day == day]
    if not fits:
        return None
    best = min(fits, key=lambda d: (abs((d - base).days), d > base if tense is Tense.PAST else d < base))
    return ResolvedDate(best, None, Precision.DAY)


_RELATIVE_PERIOD = re.compile(r"(?:(last|next|this|earlier this|later this) )?(week|month|year)")
_PERIOD_PART = re.compile(r"^(?:early|late|mid-)\s*")


@lru_cache(maxsize=8192)
def resolve(phrase: str, base: date, tense: Tense = Tense.PAST) -> ResolvedDate | None:
    """Resolve one candidate phrase; None when it is not a usable date."""
    text = _SPACES.sub(" ", phrase.strip())
    low = text.lower()
    words = low.split()
    modifier = words[0] if words and words[0] in ("last", "next", "this") else None

    if m := _PAREN_DAY.search(low):
        return _day_of_month_near(int(m.group(1)), base, tense)
    if low in ("today", "tonight"):
        return ResolvedDate(base, None, Precision.DAY)
    if low == "yesterday":
        return ResolvedDate(base - timedelta(days=1), None, Precision.DAY)
    if low == "tomorrow":
        return ResolvedDate(base + timedelta(days=1), None, Precision.DAY)
    if m := _RELATIVE_PERIOD.fullmatch(low):
        return _relative_period(m.group(1) or "this", m.group(2), base)
    if m := _AGO_PARTS.fullmatch(low):
        return _ago(_NUMBER_WORDS.get(m.group(1)) or int(m.group(1)), m.group(2), base)

    days = [w.strip(",") for w in words if w.strip(",") in _WEEKDAYS]
    if days:
        first = _weekday(days[0], base, tense, modifier)
        if len(days) == 2:
            second = _weekday(days[1], first, Tense.FUTURE, None)
            return ResolvedDate(first, second if second != first else None, Precision.DAY)
        return ResolvedDate(first, None, Precision.DAY)

    if (m := _MONTH_OF_RELATIVE_YEAR.fullmatch(low)) and m.group(1) in _MONTH_NUMBERS:
        year = base.year + {"last": -1, "next": 1}.get(m.group(2), 0)
        return ResolvedDate(date(year, _MONTH_NUMBERS[m.group(1)], 1), None, Precision.MONTH)
    if modifier and len(words) == 2 and words[1][:3] in _MONTH_NUMBERS:
        return ResolvedDate(_month_relative(_MONTH_NUMBERS[words[1][:3]], base, modifier), None, Precision.MONTH)

    if (m := _DAY_OF_RELATIVE_YEAR.search(text)) and _DIGIT.search(text):
        # a day with "this/last/next year" is that day of the year counted from publication
        year = base.year + {"last": -1, "next": 1}.get(m.group(1).lower(), 0)
        return resolve(f"{text[: m.start()]}, {year}", base, tense)
    if rng := _RANGE.fullmatch(text):
        return _range(rng, base, tense)

    text = _PERIOD_PART.sub("", text)
    parsed = _absolute(text)
    if parsed is None:
        return None
    value, precision, has_year = parsed
    if not has_year:
        value = _shift_year(value, precision, base, tense)
    return ResolvedDate(value, None, precision)


_DAY_OF_RELATIVE_YEAR = re.compile(r",?\s+(this|last|next)\s+year$", re.IGNORECASE)
_RANGE = re.compile(
    rf"(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}){_DASH}(?:(?P<m2>{_MONTH})\s+)?(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?"
    rf"|(?P<d1b>{_DAY}){_DASH}(?P<d2b>{_DAY})\s+(?P<mb>{_MONTH})(?:,?\s+(?P<yb>{_YEAR}))?"
)


def _range(m: re.Match[str], base: date, tense: Tense) -> ResolvedDate | None:
    month1 = m.group("m1") or m.group("mb")
    month2 = m.group("m2") or month1
    d1, d2 = m.group("d1") or m.group("d1b"), m.group("d2") or m.group("d2b")
    year = m.group("y") or m.group("yb")
    start = resolve(f"{month1} {d1}" + (f", {year}" if year else ""), base, tense)
    if start is None:
        return None
    end = _absolute(f"{month2} {d2}, {start.date.year}")
    if end is None:
        return start
    end_date = end[0]
    if end_date < start.date:  # "Dec. 30 - Jan. 2"
        end_date = _safe_replace_year(end_date, end_date.year + 1)
    return ResolvedDate(start.date, end_date if end_date != start.date else None, Precision.DAY)


_NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_NUMBER_WORDS = {"a": 1, "an": 1, **{w: n for n, w in enumerate(_NUMBERS, 1)}}
_AGO_PARTS = re.compile(rf"(an?|{'|'.join(_NUMBERS)}|\d{{1,2}}) (day|week|month|year)s? ago")


def _ago(count: int, unit: str, base: date) -> ResolvedDate:
    """ "a month ago" is the month before publication; "two weeks ago" the day fourteen days before."""
    if unit == "year":
        return ResolvedDate(date(base.year - count, 1, 1), None, Precision.YEAR)
    if unit == "month":
        month_index = base.year * 12 + base.month - 1 - count
        return ResolvedDate(date(month_index // 12, month_index % 12 + 1, 1), None, Precision.MONTH)
    return ResolvedDate(base - timedelta(days=count * (7 if unit == "week" else 1)), None, Precision.DAY)


def _relative_period(modifier: str, unit: str, base: date) -> ResolvedDate:
    step = {"last": -1, "next": 1}.get(modifier, 0)
    if unit == "year":
        return ResolvedDate(date(base.year + step, 1, 1), None, Precision.YEAR)
    if unit == "month":
        month_index = base.year * 12 + base.month - 1 + step
        return ResolvedDate(date(month_index // 12, month_index % 12 + 1, 1), None, Precision.MONTH)
    monday = base - timedelta(days=base.weekday()) + timedelta(weeks=step)
    return ResolvedDate(monday, monday + timedelta(days=6), Precision.DAY)
