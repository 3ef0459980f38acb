"""Temporal expressions anchored at the publication date.

:func:`tag` finds the time expressions of an English news text ("late on Tuesday",
"Nov. 9, 2022", "earlier this week", "two days later", "for weeks") and normalizes each
against the article's publication date; :func:`date_sentences` gives every sentence the
date of the event it reports. Everything is plain regular expressions, compiled once,
with bounded repetitions only, so tagging is linear in the length of the text.

Normalization follows news conventions:

* a bare month or weekday in a past-tense clause is the most recent one on or before the
  publication day; in a future-tense clause ("will", "is scheduled", "next") the next one;
  a month and day with no tense cue is the occurrence nearest the publication day;
* "overnight" is the night before the anchor day, and a night is dated by its evening
  ("the night of June 5-6" is June 5);
* expressions that count from the story's own time ("the next day", "two days later",
  "a year earlier", "that week") chain from the last date resolved before them in the
  text, or from the publication date when the text gave none;
* durations ("for weeks", "four months") and sets ("every day") are recognised as such
  and never turned into dates.

Without a publication date, absolute dates that carry a year still resolve; relative ones
are reported with ``value=""`` and ``date=None``, never guessed.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .patterns import Gated, leads
from .records import maker
from .sentences import Span, split_paragraphs, split_sentences

__all__ = [
    "TimeExpr",
    "DatedSentence",
    "PRECISION_CODE",
    "tag",
    "normalize",
    "date_sentences",
    "own_dates",
    "span_of",
]

#: Event-table ``time_precision`` for each expression precision.
PRECISION_CODE = {
    "day": 1,
    "week": 2,
    "month": 3,
    "quarter": 3,
    "season": 3,
    "year": 3,
    "decade": 3,
    "century": 3,
}

#: Finest first: the order in which :func:`date_sentences` prefers precisions.
_SPECIFICITY = {
    "day": 0,
    "week": 1,
    "month": 2,
    "quarter": 3,
    "season": 4,
    "year": 5,
    "decade": 6,
    "century": 7,
}


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A time expression found in text.

    ``value`` is ISO: ``YYYY-MM-DD``, ``YYYY-Www``, ``YYYY-MM``, ``YYYY``, a season
    ``YYYY-SU``, or a duration ``P3D``/``P4M``; ``precision`` is one of ``day``, ``week``,
    ``month``, ``season``, ``year``, ``duration``, ``set``. ``date`` is the first day of
    the period the value names (None for durations, sets and unresolvable expressions).
    Besides these, a weekend is ``YYYY-Www-WE`` (``date`` its Saturday), a decade ``199``
    and a century ``19`` (precisions ``decade`` and ``century``), a quarter ``2022-Q3``
    (precision ``quarter``), and vague references
    ("now", "recently") have precision ``ref`` and value ``PRESENT_REF``, ``PAST_REF`` or
    ``FUTURE_REF``.
    """

    start: int
    end: int
    text: str
    value: str
    precision: str
    date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class DatedSentence:
    """A sentence with the date of the event it reports.

    ``source`` says how the date was chosen: ``"own"`` (an expression in the sentence),
    ``"carried"`` (from a preceding sentence of the same episode) or ``"published"``
    (the article's publication date, with a lower precision), or ``"none"`` (no date).
    """

    start: int
    end: int
    date: dt.date | None
    precision: str
    source: str
    timex: TimeExpr | None = None


#: ``TimeExpr(...)`` and ``DatedSentence(...)`` made faster: one of each is made for
#: every expression and every sentence (see :func:`frontline.records.maker`).
_time_expr = maker(TimeExpr)
_dated = maker(DatedSentence)


# --------------------------------------------------------------------------- lexicon

_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_UNITS = {
    "second": "S",
    "minute": "M",
    "hour": "H",
    "day": "D",
    "night": "D",
    "week": "W",
    "month": "M",
    "year": "Y",
    "decade": "DE",
    "century": "CE",
}
_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_NUMBER_WORDS = (
    {w: i for i, w in enumerate(_ONES)}
    | _TENS
    | {
        "a": 1,
        "an": 1,
        "a single": 1,
        "a couple of": 2,
        "a couple": 2,
        "couple of": 2,
        "a dozen": 12,
        "dozen": 12,
        "a hundred": 100,
        "one hundred": 100,
        "hundred": 100,
        "half a": 0.5,
        "a half": 0.5,
    }
)
_VAGUE_NUMBERS = {
    "a few",
    "few",
    "several",
    "many",
    "some",
    "a number of",
    "dozens of",
    "hundreds of",
    "the next few",
    "the past few",
    "the last few",
}
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "twenty-first": 21,
    "twenty-second": 22,
    "twenty-third": 23,
    "twenty-fourth": 24,
    "twenty-fifth": 25,
    "twenty-sixth": 26,
    "twenty-seventh": 27,
    "twenty-eighth": 28,
    "twenty-ninth": 29,
    "thirtieth": 30,
    "thirty-first": 31,
}

_FUTURE_CUES = frozenset(
    """will 'll shall won't wo going scheduled expected plans plan
    planned planning set due upcoming intends intend intended aims aim would could might
    may hopes hope promised promises pledged pledges vowed vows ahead until till await
    awaits awaiting slated""".split()
)
_PAST_CUES = frozenset(
    """said says was were had did ago since told added wrote reported
    announced claimed confirmed according began took came went saw made fell hit struck
    shot fought lost won left held met sent gave kept""".split()
)

# ------------------------------------------------------------------ regex building


def _alt(words: Sequence[str]) -> str:
    """An alternation of *words*, longest first, spaces matching any short whitespace."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s{1,3}") for w in ordered) + ")"


_S = r"\s{1,3}"  # bounded whitespace: no quadratic scans on runs of blanks
_B = r"(?<![\w'’])(?<![A-Za-z]-)"  # a word starts here ("2009-2010" holds two)
_E = r"(?!\w|-[A-Za-z]|['’]\w)"  # a word ends here ("Friday's" may end at the ')

_MONTH_FULL = _alt([m for m in _MONTHS if len(m) > 3 or m == "may"])
_MONTH_ABBR = r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
_MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
_WEEKDAY = _alt(list(_WEEKDAYS))
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:]|[.,]\d|%)"
_DAY_WORD = _alt([w for w in _ORDINALS if _ORDINALS[w] <= 31])
_YEAR = r"(?:1[6-9]\d\d|20\d\d)(?![\d%]|[.,]\d|\s?(?:bn|m)\b)"
_DIGIT_WORD = _alt(_ONES[1:10])
_TENS_WORD = rf"{_alt(list(_TENS))}(?:[-\s]{_DIGIT_WORD})?"
_YEAR_WORDS = (
    rf"(?:(?:nineteen|twenty){_S}(?:hundred|{_TENS_WORD}|{_alt(_ONES[10:])}|o[- ]{_DIGIT_WORD})"
    rf"|two{_S}thousand(?:{_S}(?:and{_S})?{_alt(_ONES[1:])})?)"
)
_YEAR_ANY = rf"(?:{_YEAR}|{_YEAR_WORDS})"
_NUM = (
    r"(?:\d{1,3}(?:\.\d)?|"
    + _TENS_WORD
    + "|"
    + _alt([w for w in _NUMBER_WORDS if w not in _TENS] + list(_VAGUE_NUMBERS))
    + ")"
)
_TOD = r"(?:morning|afternoon|evening|night)"
_RANGE = r"(?:\s?[-–—/]\s?|\s{1,3}(?:to|and|into|through)\s{1,3})"

# Modifiers inside a span, after TimeML ("late Tuesday", "the night of June 5-6").
_DAY_PRE = (
    r"(?:(?P<pre>early|late|earlier|later|mid)(?:\s{1,3}on)?\s{1,3}"
    r"|(?P<night>(?:the\s{1,3})?(?:night|morning|evening|afternoon)\s{1,3}of)\s{1,3}"
    r"|(?P<overnight>overnight(?:\s{1,3}(?:on|into|to))?)\s{1,3})?"
)
_PART_PRE = (
    r"(?:(?P<pre>early|late|mid|earlier|later)(?:\s{1,3}in)?(?:-|\s{1,3})"
    r"|(?:the\s{1,3})?(?P<part>end|beginning|start|middle|first\s{1,3}half"
    r"|second\s{1,3}half|turn)\s{1,3}of(?:\s{1,3}the)?\s{1,3}"
    r"|(?P<mid>mid-?))?"
)


@dataclass(frozen=True, slots=True)
class _Rule:
    """A pattern and the resolver that reads its matches (``None``: not a date after all;
    a shorter match at the same place may still be one)."""

    name: str
    resolve: Callable[[re.Match[str], _Context], _Resolved | None]
    regex: re.Pattern[str]
    check: Callable[[re.Match[str]], bool] | None = None


def _capitalized(*groups: str) -> Callable[[re.Match[str]], bool]:
    """A check that month and weekday names in *groups* are written capitalized."""

    def check(m: re.Match[str]) -> bool:
        for g in groups:
            s = m.group(g)
            if s and not s[0].isupper():
                return False
        return True

    return check


def _compile(pattern: str) -> re.Pattern[str]:
    # "(?=\w)" first: most positions of a text are not a word start and fail at once.
    return re.compile(_B + r"(?=\w)(?:" + pattern + ")" + _E, re.IGNORECASE | re.VERBOSE)


# A plural count noun after a 4-digit number means it is a quantity, not a year.
_QUANTITY_AFTER = re.compile(
    r"\s{1,3}(?:troops|soldiers|people|civilians|residents|men|women|children|km|kilometres|"
    r"kilometers|miles|metres|meters|tons|tonnes|dollars|euros|rubles|roubles|hryvnias|"
    r"hryvnia|units|cases|shells|rounds|drones|missiles|tanks|vehicles|homes|houses|"
    r"buildings|prisoners|casualties|deaths|victims|refugees|families|hectares|square|"
    r"feet|pounds|votes|jobs|workers|employees|pages|times|points|kg|mw|gw)\b",
    re.IGNORECASE,
)
# A year right after these is a quantity too: "$2020", "No. 2014", "2,2014".
_QUANTITY_BEFORE = re.compile(r"(?:[$£€#]|\bNo\.\s?|\d[,.]|\d\s)$", re.IGNORECASE)

# The time of something an event is compared with: "comparing it to the attack on New
# Year's Eve", "more than on Monday".
_COMPARED_BEFORE = re.compile(
    r"\b(?:compar(?:ing|ed|es|e)\s+(?:\w+\s+)?(?:to|with)|than|similar\s+to|"
    r"the\s+same\s+as)\b[^.;:!?,]{0,40}$",
    re.IGNORECASE,
)
# Bounds, not event times: "since 2014", "until March", "by Friday", "ahead of May 9".
_NON_EVENT_BEFORE = re.compile(
    r"\b(?:since|until|till|before|by|ahead\s+of|prior\s+to|as\s+of|up\s+to|"
    r"(?:starting|beginning)(?:\s{1,3}(?:from|on|in|with))?)"
    r"\s{1,3}(?:the\s{1,3})?$",
    re.IGNORECASE,
)
# "from February 24 until today": a since, not a range that dates its sentence by its start
_FROM_BEFORE = re.compile(r"\bfrom\s{1,3}(?:the\s{1,3})?$", re.IGNORECASE)
_TO_NOW_AFTER = re.compile(
    r"[^.;:!?]{0,20}?\b(?:until|till|to|through)\s{1,3}(?:today|now|this\s{1,3}day|"
    r"the\s{1,3}present|date)\b",
    re.IGNORECASE,
)
_REPORTING_BEFORE = re.compile(
    r"\b(?:said|says|say|told|announced|reported|stated|added|wrote|tweeted|posted|"
    r"confirmed|claimed|declared|warned|explained|noted|insisted)\b[^.;:!?]{0,25}$",
    re.IGNORECASE,
)
# (searched before every expression that may date its sentence: most windows hold none
# of the words, which one pass over their lower case finds)
_COMPARED_GATED = Gated(_COMPARED_BEFORE)
_NON_EVENT_GATED = Gated(_NON_EVENT_BEFORE)

# ----------------------------------------------------------------------- calendar


def _iso_week(d: dt.date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _season_of(d: dt.date) -> tuple[int, str]:
    """The season instance (label year, code) that *d* falls in."""
    if d.month == 12:
        return d.year, "WI"
    if d.month <= 2:
        return d.year - 1, "WI"
    return d.year, ("SP", "SP", "SP", "SU", "SU", "SU", "FA", "FA", "FA")[d.month - 3]


def _season_start(year: int, code: str) -> dt.date:
    return dt.date(year, _SEASON_START[code], 1)


# --------------------------------------------------------------- resolved values

_Resolved = tuple[str, str, "dt.date | None"]


def _day(d: dt.date | None) -> _Resolved | None:
    return (d.isoformat(), "day", d) if d else None


def _week(d: dt.date) -> _Resolved:
    return _iso_week(d), "week", _monday(d)


def _month(year: int, month: int) -> _Resolved:
    return f"{year:04d}-{month:02d}", "month", dt.date(year, month, 1)


def _year(year: int) -> _Resolved:
    return f"{year:04d}", "year", dt.date(year, 1, 1)


def _season(year: int, code: str) -> _Resolved:
    return f"{year:04d}-{code}", "season", _season_start(year, code)


_UNRESOLVED = {
    "day": ("", "day", None),
    "week": ("", "week", None),
    "month": ("", "month", None),
    "season": ("", "season", None),
    "year": ("", "year", None),
}


# ------------------------------------------------------------------------ context


@dataclass(slots=True)
class _Context:
    """What a resolver may look at: the text, the anchor and the story's last date."""

    text: str
    published: dt.date | None
    ref: tuple[dt.date, str] | None = None  # last resolved (date, precision)

    def tense(self, start: int, end: int) -> str | None:
        """``"future"``, ``"past"`` or None from the verbs around ``text[start:end]``."""
        return _tense(self.text, start, end)


_WORD = re.compile(r"[A-Za-z']+|[.!?;]")


def _tense(text: str, start: int, end: int) -> str | None:
    """Tense of the clause around a span: the closest cue before it, else just after it.

    Examples
    --------
    >>> _tense("Talks will resume on Tuesday.", 21, 28)
    'future'
    >>> _tense("Russia shelled the city on Tuesday.", 27, 34)
    'past'
    >>> _tense("On Tuesday, troops entered the city.", 3, 10)
    'past'
    >>> _tense("The book is due to be published in May.", 35, 38)
    'future'
    """
    before = _WORD.findall(text[max(0, start - 80) : start])[-12:]
    for i in range(len(before) - 1, -1, -1):
        cue = _cue(before[i])
        if cue == "stop":
            break
        if cue == "past" and i and before[i - 1].lower() in _BE:
            continue  # "to be published", "will be held": a participle, not a past tense
        if cue:
            return cue
    after = _WORD.findall(text[end : end + 60])[:8]
    for i, word in enumerate(after):
        cue = _cue(word)
        if cue == "stop":
            break
        if cue == "past" and i and after[i - 1].lower() in _BE:
            continue
        if cue:
            return cue
    return None


_BE = frozenset({"be", "is", "are", "being"})


def _cue(word: str) -> str | None:
    w = word.lower()
    if w in ".!?;":
        return "stop"
    if w in _FUTURE_CUES or w.endswith("'ll"):
        return "future"
    if w in _PAST_CUES or (len(w) > 4 and w.endswith("ed") and not w.endswith("eed")):
        return "past"
    return None


# ---------------------------------------------------------------------- resolvers


def _month_number(token: str) -> int:
    return _MONTHS[token.lower().rstrip(".")]


def _day_number(token: str) -> int:
    t = token.lower()
    if t in _ORDINALS:
        return _ORDINALS[t]
    return int(re.match(r"\d+", t).group())


def _year_of(token: str) -> int:
    """The year a token names: "2014", "nineteen ninety-six", "two thousand and three".

    Examples
    --------
    >>> _year_of("nineteen ninety-six"), _year_of("two thousand and three"), _year_of("1991")
    (1996, 2003, 1991)
    """
    if token[:1].isdigit():
        return int(token)
    words = token.lower().replace("-", " ").split()
    if words[:2] == ["two", "thousand"]:
        rest = [w for w in words[2:] if w != "and"]
        return 2000 + (_ONES.index(rest[0]) if rest else 0)
    century = 19 if words[0] == "nineteen" else 20
    rest = words[1:]
    if rest == ["hundred"]:
        return century * 100
    if rest[0] == "o":
        return century * 100 + _ONES.index(rest[1])
    if rest[0] in _TENS:
        return century * 100 + _TENS[rest[0]] + (_ONES.index(rest[1]) if len(rest) > 1 else 0)
    return century * 100 + _ONES.index(rest[0])


def _number(token: str | None) -> float | None:
    """The count a number phrase names; None for vague ones ("several")."""
    if not token:
        return 1
    t = re.sub(r"\s+", " ", token.lower())
    if t in _VAGUE_NUMBERS:
        return None
    if t in _NUMBER_WORDS:
        return _NUMBER_WORDS[t]
    if t[0].isdigit():
        return float(t) if "." in t else int(t)
    tens, _, ones = t.replace("-", " ").partition(" ")
    return _TENS.get(tens, 0) + _ONES.index(ones) if ones in _ONES else None


#: How far ahead a date with no year and no tense cue may start and still be read as
#: upcoming (a schedule, a deadline) rather than as the past: about three months.
_UPCOMING_DAYS = 90


def _pick_year(month: int, day: int, anchor: dt.date, tense: str | None) -> dt.date | None:
    """The year of a month-day without one: by tense, else past unless due in ~3 months.

    Examples
    --------
    >>> a = dt.date(2023, 1, 3)
    >>> _pick_year(12, 30, a, None), _pick_year(2, 10, a, None), _pick_year(2, 10, a, "past")
    (datetime.date(2022, 12, 30), datetime.date(2023, 2, 10), datetime.date(2022, 2, 10))
    """
    options = [
        d
        for y in (anchor.year - 1, anchor.year, anchor.year + 1)
        if (d := _safe_date(y, month, day))
    ]
    return _pick(options, anchor, tense)


def _pick(options: list[dt.date], anchor: dt.date, tense: str | None) -> dt.date | None:
    """Of dates in increasing order, the one *tense* points to from *anchor*."""
    if not options:
        return None
    if tense == "future":
        later = [d for d in options if d >= anchor]
        return later[0] if later else None
    earlier = [d for d in options if d <= anchor]
    if tense == "past":
        return earlier[-1] if earlier else None
    # No cue: news mostly reports the past; a date a few weeks ahead is an announcement.
    later = [d for d in options if d > anchor]
    if later and (later[0] - anchor).days <= _UPCOMING_DAYS or not earlier:
        return later[0]
    return earlier[-1]


def _resolve_day_expr(m: re.Match[str], d: dt.date | None) -> _Resolved | None:
    """A day, moved to the previous evening for "overnight into ..."."""
    if d is None:
        return None
    overnight = m.groupdict().get("overnight")
    if overnight and overnight.lower().split()[-1] in {"into", "to"}:
        d -= dt.timedelta(days=1)
    return _day(d)


def _r_iso(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    return _day(_safe_date(int(m["y"]), int(m["m"]), int(m["d"])))


def _r_numeric(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    month, day = (a, b) if a <= 12 else (b, a)  # US order unless impossible
    return _day(_safe_date(y, month, day))


def _r_dotted(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """ "24.02.2022": day first, as written across Europe."""
    return _day(_safe_date(int(m["y"]), int(m["m"]), int(m["d"])))


def _r_month_day(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    month, day = _month_number(m["mon"]), _day_number(m["day"])
    if m["year"]:
        return _resolve_day_expr(m, _safe_date(_year_of(m["year"]), month, day))
    if m.groupdict().get("rel2") and ctx.published is not None:  # "Nov. 11 last year"
        year = ctx.published.year + {"last": -1, "this": 0, "next": 1}[m["rel2"].lower()]
        return _resolve_day_expr(m, _safe_date(year, month, day))
    if ctx.published is None:
        return _UNRESOLVED["day"] if _safe_date(2000, month, day) else None
    if m["wd"]:  # "Tuesday, Nov. 8": the year whose date falls on that weekday
        for year in (ctx.published.year, ctx.published.year - 1, ctx.published.year + 1):
            d = _safe_date(year, month, day)
            if d and d.weekday() == _WEEKDAYS[m["wd"].lower()]:
                return _resolve_day_expr(m, d)
    return _resolve_day_expr(
        m, _pick_year(month, day, ctx.published, ctx.tense(m.start(), m.end()))
    )


_r_day_month = _r_month_day


def _r_month_year(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    return _month(_year_of(m["year"]), _month_number(m["mon"]))


def _r_month(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    month = _month_number(m["mon"])
    if m["mon"].lower() == "may" and not (m["rel"] or m["pre"] or m["part"] or m["mid"]):
        # Bare "May" is a month only where a modal verb cannot be: "in May", "May's".
        # A capitalized "May" mid-sentence is the month; at a sentence start, followed
        # by a word, it is the modal ("May God protect them").
        before = ctx.text[max(0, m.start() - 3) : m.start()].rstrip()
        if (not before or before[-1] in '.!?"“\n') and re.match(
            r"\s{1,3}[A-Za-z]", ctx.text[m.end() :]
        ):
            return None
    a = ctx.published
    if a is None:
        return _UNRESOLVED["month"]
    rel = (m["rel"] or "").lower().split()
    rel2 = (m["rel2"] or "").lower()
    if rel2:
        return _month(a.year + {"this": 0, "last": -1, "next": 1}[rel2], month)
    if rel and rel[-1] in {"previous", "following", "same"}:
        return _anaphoric_month(month, rel[-1], ctx)
    if rel == ["last"] or rel[-1:] == ["past"]:
        return _month(a.year if month < a.month else a.year - 1, month)
    if rel == ["next"] or rel[-1:] == ["coming"]:
        return _month(a.year if month > a.month else a.year + 1, month)
    if rel == ["this"]:
        return _month(a.year, month)
    tense = ctx.tense(m.start(), m.end())
    if tense is None:  # no cue: the past, unless the month begins within ~3 months
        year, _ = _add_months(a.year, a.month, (month - a.month - 1) % 12 + 1)
        if (dt.date(year, month, 1) - a).days <= _UPCOMING_DAYS:
            tense = "future"
    if tense == "future":
        return _month(a.year if month >= a.month else a.year + 1, month)
    return _month(a.year if month <= a.month else a.year - 1, month)


def _anaphoric_month(month: int, rel: str, ctx: _Context) -> _Resolved:
    base = ctx.ref[0] if ctx.ref else ctx.published
    if base is None:
        return _UNRESOLVED["month"]
    if rel == "following":
        return _month(base.year if month > base.month else base.year + 1, month)
    if rel == "previous":
        return _month(base.year if month < base.month else base.year - 1, month)
    return _month(base.year, month)


def _r_year(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    marked = m["fiscal"] or m["pre"] or m["part"] or m["mid"] or m["the_year"] or m["prepost"]
    if not marked:
        # A bare number: a year only if nothing marks it as a quantity.
        if _QUANTITY_AFTER.match(ctx.text, m.end()) or _QUANTITY_BEFORE.search(
            ctx.text[max(0, m.start() - 5) : m.start()]
        ):
            return None
        if m["year"].lower().split() == ["two", "thousand"]:
            return None  # "two thousand" alone is a number
    return _year(_year_of(m["year"]))


def _r_current(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """ "the year", "year-end", "the end of the month", "earlier in the week", "over the
    weekend": the current one (a weekend: the last one begun, unless in the future)."""
    unit = (m["unit"] or "year").lower()
    if not (m["the"] or m["part"] or m["end"] or m["pre"]) or (
        unit == "week" and not (m["part"] or m["pre"])
    ):
        return None  # a bare "year" is not a date, nor "the week" with no "earlier in"
    a = ctx.published
    if a is None:
        return _UNRESOLVED["week" if unit == "weekend" else unit]
    if unit == "weekend":  # "over the weekend": the last one begun, or the next if future
        saturday = a - dt.timedelta(days=(a.weekday() - 5) % 7)
        if ctx.tense(m.start(), m.end()) == "future" and a.weekday() < 5:
            saturday += dt.timedelta(weeks=1)
        return f"{_iso_week(saturday)}-WE", "week", saturday
    if unit == "week":
        return _week(a)
    return _year(a.year) if unit == "year" else _month(a.year, a.month)


def _r_week_of(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    month, day = _month_number(m["mon"]), _day_number(m["day"])
    if m["year"]:
        d = _safe_date(_year_of(m["year"]), month, day)
    elif ctx.published is None:
        return _UNRESOLVED["week"]
    else:
        d = _pick_year(month, day, ctx.published, ctx.tense(m.start(), m.end()))
    return _week(d) if d else None


def _r_decade(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    decade = int(m["dec"])
    return str(decade // 10), "decade", dt.date(decade, 1, 1)


def _r_century(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    n = int(m["n"]) if m["n"] else _ORDINALS[m["w"].lower()]
    return f"{n - 1:02d}", "century", dt.date(max(1, (n - 1) * 100), 1, 1)


def _r_relday(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    if ctx.published is None:
        return _UNRESOLVED["day"]
    w = " ".join(m["w"].lower().split())
    if w == "overnight":
        # The night before the anchor: another day expression of the same sentence
        # when there is one (see _sentence_anchor), else the publication day.
        base = _sentence_day(ctx, m) or ctx.published
        return _day(base - dt.timedelta(days=1))
    offset = {
        "today": 0,
        "tonight": 0,
        "yesterday": -1,
        "tomorrow": 1,
        "last night": -1,
        "the day before yesterday": -2,
        "the day after tomorrow": 2,
    }.get(w, 0)
    return _day(ctx.published + dt.timedelta(days=offset))


_NEARBY_DAY = re.compile(rf"{_B}(?:(?P<wd>{_WEEKDAY})|(?P<rel>yesterday|today))\b", re.IGNORECASE)


def _sentence_day(ctx: _Context, m: re.Match[str]) -> dt.date | None:
    """A weekday or "yesterday" named in the same sentence as *m* ("overnight on ...")."""
    if ctx.published is None:
        return None
    text = ctx.text
    left = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
    right_stop = [i for i in (text.find(". ", m.end()), text.find("\n", m.end())) if i >= 0]
    right = min(right_stop) if right_stop else len(text)
    hits = sorted(
        _NEARBY_DAY.finditer(text, max(left, m.start() - 200), min(right, m.end() + 200)),
        key=lambda h: min(abs(h.start() - m.end()), abs(m.start() - h.end())),
    )
    for hit in hits:
        if hit["wd"] and hit["wd"][0].isupper():
            target = _WEEKDAYS[hit["wd"].lower()]
            return ctx.published - dt.timedelta(days=(ctx.published.weekday() - target) % 7)
        if hit["rel"]:
            return ctx.published - dt.timedelta(days=hit["rel"].lower() == "yesterday")
    return None


def _r_weekday(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    a = ctx.published
    if a is None:
        return _UNRESOLVED["day"]
    target = _WEEKDAYS[m["wd"].lower()]
    rel = " ".join((m["rel"] or "").lower().split())
    back = (a.weekday() - target) % 7  # days since the most recent one, today included
    ahead = (target - a.weekday()) % 7
    if rel in {"last", "this past", "past", "the previous"}:
        d = a - dt.timedelta(days=back or 7)
    elif rel in {"next", "this coming", "coming", "the following", "the next"}:
        if rel in {"the following", "the next"} and ctx.ref and ctx.ref[1] == "day":
            base = ctx.ref[0]
            d = base + dt.timedelta(days=((target - base.weekday()) % 7) or 7)
        else:
            d = a + dt.timedelta(days=ahead or 7)
    elif ctx.tense(m.start(), m.end()) == "future":
        d = a + dt.timedelta(days=ahead)
    else:
        d = a - dt.timedelta(days=back)
    return _resolve_day_expr(m, d)


def _r_anaphoric_day(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    rel = " ".join((m["rel"] or m["rel2"]).lower().split())
    if ctx.ref is None or ctx.ref[1] != "day":
        if ctx.published is None or ctx.ref is not None or rel in {"that", "the same"}:
            return _UNRESOLVED["day"]
        base = ctx.published  # no story date yet: the publication day is the reference
    else:
        base = ctx.ref[0]
    step = {
        "the next": 1,
        "the following": 1,
        "the day after": 1,
        "the previous": -1,
        "the preceding": -1,
        "the day before": -1,
    }.get(rel, 0)
    return _day(base + dt.timedelta(days=step))


def _r_period(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    unit = m["unit"].lower()
    rel = " ".join(m["rel"].lower().split()).removeprefix("the ")
    anaphoric = rel in {"previous", "preceding", "following", "that", "same"} or (
        rel == "next" and m["rel"].lower().startswith("the")
    )
    if unit == "decade":
        return _r_decade_rel(rel, ctx)
    if (
        rel in {"past", "last"}
        and m["rel"].lower().startswith("the")
        and re.search(
            r"\b(?:for|over|throughout)\s{1,3}$",
            ctx.text[max(0, m.start() - 12) : m.start()],
            re.IGNORECASE,
        )
        and unit in {"week", "month", "year"}
    ):
        return f"P1{_UNITS[unit]}", "duration", None  # "for the past year": a span
    base = ctx.published
    if anaphoric and ctx.ref is not None:
        base = ctx.ref[0]
        unit_precision = (
            "week" if unit.startswith("week") else "season" if unit in _SEASONS else unit
        )
        if _SPECIFICITY[ctx.ref[1]] > _SPECIFICITY[unit_precision]:
            base = None  # "the following week" after "in 2014": no week to count from
    if base is None:
        return _UNRESOLVED[
            "season" if unit in _SEASONS else "week" if unit.startswith("week") else unit
        ]
    step = {
        "last": -1,
        "past": -1,
        "previous": -1,
        "preceding": -1,
        "next": 1,
        "coming": 1,
        "following": 1,
        "this past": -1,
        "this coming": 1,
    }.get(rel, 0)
    if unit == "week":
        return _week(base + dt.timedelta(weeks=step))
    if unit == "weekend":
        saturday = base - dt.timedelta(days=(base.weekday() - 5) % 7)
        if step > 0 or (rel in {"this", "coming", "this coming"} and base.weekday() < 5):
            saturday += dt.timedelta(weeks=1)
        elif step < 0 and base.weekday() >= 5:
            saturday -= dt.timedelta(weeks=1)
        return f"{_iso_week(saturday)}-WE", "week", saturday
    if unit == "month":
        return _month(*_add_months(base.year, base.month, step))
    if unit == "year":
        return _year(base.year + step)
    code = _SEASONS[unit]
    return _season(*_relative_season(code, rel, base))


def _relative_season(code: str, rel: str, anchor: dt.date) -> tuple[int, str]:
    """The season instance "this/last/next <season>" names, seen from *anchor*."""
    current = _season_of(anchor)
    this_year = anchor.year - 1 if code == "WI" and anchor.month <= 2 else anchor.year
    started = _season_start(this_year, code) <= anchor
    if rel in {"last", "past", "previous", "preceding", "this past"}:
        is_current = current == (this_year, code)
        return (this_year if started and not is_current else this_year - 1), code
    if rel in {"next", "coming", "following", "this coming"}:
        return (this_year + 1 if started else this_year), code
    return this_year, code


def _r_decade_rel(rel: str, ctx: _Context) -> _Resolved | None:
    """ "the next decade", "the past decade": ten years counted from now, a duration."""
    if rel in {"this", "that", "same", "current", "latest"}:
        return None
    return "P10Y", "duration", None


def _r_season(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    code = _SEASONS[m["season"].lower()]
    if m["year"]:
        return _season(_year_of(m["year"]), code)
    words = m.group().lower().split()
    if not (m["pre"] or m["part"] or m["mid"] or words[0] in {"the", "in"}):
        return None  # a bare "spring" is too often a noun ("a spring offensive")
    if code == "FA" and _FALL_OF.match(ctx.text, m.end()):
        return None  # "the fall of Avdiivka": a capture, not autumn
    following = _NEXT_WORD.match(ctx.text, m.end())
    if following and following[1].lower() not in _AFTER_SEASON:
        return None  # "the spring offensive", "the winter war": a modifier, not a time
    if ctx.published is None:
        return _UNRESOLVED["season"]
    tense = ctx.tense(m.start(), m.end())
    rel = "next" if tense == "future" else "last"
    this = _relative_season(code, "this", ctx.published)
    if _season_start(*this) <= ctx.published or tense == "future":
        return _season(*_relative_season(code, "this" if tense != "future" else rel, ctx.published))
    return _season(*_relative_season(code, rel, ctx.published))


_NEXT_WORD = re.compile(r"[ \t]{1,3}([a-z]+)")
# "the fall of Avdiivka", "the fall of debris": a capture or a falling, not autumn (a
# season with a year, "the fall of 2022", is read before this is asked).
_FALL_OF = re.compile(r"[ \t]{1,3}of(?![\w-])")
_AFTER_SEASON = frozenset(
    """of and or but when as the a an to in on at was is were will had has
    have that this which while before after until since with by for from into""".split()
)


def _r_offset(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    unit = m["unit"].lower()
    n = _number(m["num"])
    direction = " ".join(m["dir"].lower().split())
    sign = -1 if direction in {"ago", "earlier", "before", "prior"} else 1
    if n is None or n != int(n):
        return ("PAST_REF" if sign < 0 else "FUTURE_REF"), "ref", None
    n = int(n)
    from_story = direction not in {"ago", "from now", "hence"}
    base, base_precision = ctx.published, "day"
    if from_story and ctx.ref is not None:
        base, base_precision = ctx.ref
    precision = {"decade": "year"}.get(unit, unit)
    if base is None or _SPECIFICITY[base_precision] > _SPECIFICITY[precision]:
        return _UNRESOLVED[precision]
    if unit == "day":
        return _day(base + dt.timedelta(days=sign * n))
    if unit == "week":
        return _week(base + dt.timedelta(weeks=sign * n))
    if unit == "month":
        return _month(*_add_months(base.year, base.month, sign * n))
    return _year(base.year + sign * n * (10 if unit == "decade" else 1))


def _r_duration(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    unit = m["unit"].lower().rstrip("s")
    unit = "century" if unit.startswith("centur") else unit
    if m["long"] and m["long"].lower().endswith("old"):
        return None  # "a 30-year-old man", "six months old": an age
    if m["unit"].lower() == "second" and (m["num"] or "").lower() in {"a", "an", ""}:
        return None  # "a second attack": an ordinal
    plural = m["unit"].lower().endswith(("s", "ies"))
    if not m["num"] and not plural and not m["lead"]:
        return None  # a bare "day" or "week" is not a duration
    if not m["num"] and unit == "second":
        return None  # "the final seconds" of a game is no measured time
    if not m["num"] and not plural:
        return None  # "the next day": an anaphoric date, not a duration
    n = _number(m["num"]) if m["num"] else None
    if m["num"] and m.group().lower().find("and a half") >= 0 and n is not None:
        n += 0.5
    code = _UNITS[unit]
    if code == "CE":
        code, n = "Y", (n * 100 if n is not None else None)
    if code == "DE":
        code, n = "Y", (n * 10 if n is not None else None)
    count = "X" if n is None else (str(int(n)) if n == int(n) else str(n))
    timed = unit in {"second", "minute", "hour"}
    return f"P{'T' if timed else ''}{count}{code}", "duration", None


def _r_range_start(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """The first count of "between 12 and 18 months": a duration in the unit after."""
    n = _number(m["num"])
    unit = m["unit"].lower().rstrip("s")
    count = "X" if n is None else (str(int(n)) if n == int(n) else str(n))
    timed = unit in {"second", "minute", "hour"}
    return f"P{'T' if timed else ''}{count}{_UNITS[unit]}", "duration", None


def _quarter(year: int, n: int) -> _Resolved:
    return f"{year:04d}-Q{n}", "quarter", dt.date(year, 3 * n - 2, 1)


def _r_quarter(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """ "the third quarter", "Q3 2022", "last quarter", "last year's fourth quarter"."""
    words = m.group().lower().split()
    ordinal = m["ord"] or m["qn"]
    rel = (m["rel"] or "").lower()
    if not (ordinal or rel or words[0] == "the"):
        return None  # a bare "quarter" is a fraction or a district
    n = {
        "first": 1,
        "1st": 1,
        "second": 2,
        "2nd": 2,
        "third": 3,
        "3rd": 3,
        "fourth": 4,
        "4th": 4,
    }.get((m["ord"] or "").lower()) or (int(m["qn"]) if m["qn"] else None)
    year = m["year"] or m["year2"] or m["year3"]
    if year and n:
        return _quarter(_year_of(year), n)
    a = ctx.published
    if a is None:
        return "", "quarter", None
    current = (a.year, (a.month - 1) // 3 + 1)
    if n is None:  # "the quarter", "last quarter", "next quarter"
        step = {"last": -1, "previous": -1, "past": -1, "latest": -1, "next": 1}.get(rel, 0)
        if not rel and words[0] == "the":
            step = -1  # "the quarter" in a report: the one just ended
        index = current[0] * 4 + current[1] - 1 + step
        return _quarter(index // 4, index % 4 + 1)
    if "year's" in m.group().lower().replace("’", "'"):
        return _quarter(a.year + (-1 if rel == "last" else 1 if rel == "next" else 0), n)
    if ctx.tense(m.start(), m.end()) == "future":
        return _quarter(a.year if n >= current[1] else a.year + 1, n)
    return _quarter(a.year if n <= current[1] else a.year - 1, n)


def _r_set(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    word = (m["unit"] or m["adv"]).lower()
    if word in _WEEKDAYS:
        if not m["unit"][0].isupper():
            return None
        return f"XXXX-WXX-{_WEEKDAYS[word] + 1}", "set", None
    value = {
        "day": "P1D",
        "daily": "P1D",
        "night": "P1D",
        "nightly": "P1D",
        "week": "P1W",
        "weekly": "P1W",
        "weekend": "P1W",
        "month": "P1M",
        "monthly": "P1M",
        "year": "P1Y",
        "yearly": "P1Y",
        "annually": "P1Y",
        "season": "P1Y",
        "morning": "XXXX-XX-XXTMO",
        "evening": "XXXX-XX-XXTEV",
        "afternoon": "XXXX-XX-XXTAF",
    }[word]
    return value, "set", None


def _r_ref(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    w = " ".join(m["w"].lower().split())
    if w in {"the past", "recently", "lately", "the other day"}:
        return "PAST_REF", "ref", None
    if w in {"the future", "the near future", "soon"}:
        return "FUTURE_REF", "ref", None
    return "PRESENT_REF", "ref", None


def _r_holiday(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    h = " ".join(m["h"].lower().replace("’", "'").split())
    if h.startswith("thanksgiving"):  # the fourth Thursday of November (US)

        def on(year: int) -> dt.date:
            first = dt.date(year, 11, 1)
            return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)

        if m["year"]:
            return _day(on(_year_of(m["year"])))
        if ctx.published is None:
            return _UNRESOLVED["day"]
        y = ctx.published.year
        return _day(
            _pick([on(y - 1), on(y), on(y + 1)], ctx.published, ctx.tense(m.start(), m.end()))
        )
    month, day = {
        "christmas": (12, 25),
        "christmas day": (12, 25),
        "christmas eve": (12, 24),
        "new year's eve": (12, 31),
    }.get(h, (1, 1))
    if m["year"]:
        return _day(_safe_date(_year_of(m["year"]), month, day))
    if ctx.published is None:
        return _UNRESOLVED["day"]
    return _day(_pick_year(month, day, ctx.published, ctx.tense(m.start(), m.end())))


# ------------------------------------------------------------------------- rules
#
# Each rule carries the resolver that reads its matches (the functions above).

_WD_PREFIX = rf"(?:(?P<wd>{_WEEKDAY}),?{_S}(?:the{_S})?)?"


@functools.cache
def _rules() -> tuple[_Rule, ...]:
    """The rules, each with its resolver, in rank order: at one start the longest match
    wins; among equal lengths, the earlier rule. Compiled on first use (~20 ms):
    importing the module for its types, as a cached run does, need not pay for it.
    """
    return (
        _Rule("iso", _r_iso, _compile(r"(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?:T[\d:]{5,8}Z?)?")),
        _Rule("numeric", _r_numeric, _compile(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})")),
        _Rule("dotted", _r_dotted, _compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})")),
        _Rule(
            "month_day",
            _r_month_day,
            _compile(
                rf"{_DAY_PRE}{_WD_PREFIX}(?P<mon>{_MONTH}){_S}(?P<day>{_DAY}|{_DAY_WORD})"
                rf"(?:{_RANGE}(?:(?P<mon2>{_MONTH}){_S})?(?P<day2>{_DAY}))?"
                rf"(?:,?{_S}(?:of{_S})?(?P<year>{_YEAR_ANY})|{_S}(?P<rel2>last|this|next){_S}year)?"
            ),
            _capitalized("mon", "wd", "mon2"),
        ),
        _Rule(
            "day_month",
            _r_day_month,
            _compile(
                rf"{_DAY_PRE}{_WD_PREFIX}(?P<day>{_DAY})(?:{_RANGE}(?P<day2>{_DAY}))?"
                rf"(?:{_S}of)?{_S}(?P<mon>{_MONTH})(?:,?{_S}(?P<year>{_YEAR_ANY}))?"
            ),
            _capitalized("mon", "wd"),
        ),
        _Rule(
            "month_year",
            _r_month_year,
            _compile(
                rf"{_PART_PRE}(?P<mon>{_MONTH_FULL}|{_MONTH_ABBR}),?{_S}(?:of{_S})?(?P<year>{_YEAR_ANY})"
            ),
            _capitalized("mon"),
        ),
        _Rule(
            "month",
            _r_month,
            _compile(
                rf"{_PART_PRE}(?:(?P<rel>last|this|next|this{_S}past|this{_S}coming|"
                rf"the{_S}previous|the{_S}following|the{_S}same){_S})?(?P<mon>{_MONTH_FULL})"
                rf"(?:{_S}(?P<rel2>this|last|next){_S}year)?"
            ),
            _capitalized("mon"),
        ),
        _Rule(
            "year",
            _r_year,
            _compile(
                rf"{_PART_PRE}(?:(?:the{_S})?(?P<fiscal>fiscal|calendar){_S}(?:year{_S})?"
                rf"|(?P<the_year>the{_S}year){_S}|(?P<prepost>pre|post)-)?(?P<year>{_YEAR_ANY})"
            ),
        ),
        _Rule(
            "current",
            _r_current,
            _compile(
                rf"{_PART_PRE}(?:(?P<the>the){_S}(?:(?P<mod>full|fiscal|calendar|current|whole|"
                rf"entire){_S})?)?(?P<unit>year|month|weekend|week)(?![-\s]{{1,3}}(?:old|long|on))"
                rf"|(?P<end>year(?:-|{_S})end|year['’]s{_S}end)"
            ),
        ),
        _Rule(
            "week_of",
            _r_week_of,
            _compile(
                rf"(?:the{_S})?week{_S}of{_S}(?P<mon>{_MONTH}){_S}(?P<day>{_DAY})"
                rf"(?:,?{_S}(?P<year>{_YEAR}))?"
            ),
            _capitalized("mon"),
        ),
        _Rule(
            "decade",
            _r_decade,
            _compile(
                rf"(?:the{_S})?(?:(?P<pre>early|late|mid)(?:-|{_S}))?(?P<dec>(?:1[5-9]|20)\d0)['’]?s"
            ),
        ),
        _Rule(
            "century",
            _r_century,
            _compile(
                rf"(?:the{_S})?(?:(?P<n>1\d|20|21)(?:st|nd|rd|th)|(?P<w>{_alt(list(_ORDINALS))}))"
                rf"(?:-|{_S})century"
            ),
        ),
        _Rule(
            "relday",
            _r_relday,
            _compile(
                rf"(?:(?P<pre>early|late|earlier|later)(?:{_S}on)?{_S})?"
                rf"(?P<w>the{_S}day{_S}before{_S}yesterday|the{_S}day{_S}after{_S}tomorrow|"
                rf"today|tonight|yesterday|tomorrow|last{_S}night|this{_S}(?:morning|afternoon|"
                rf"evening)|overnight)(?:{_S}(?P<tod>{_TOD}))?"
            ),
        ),
        _Rule(
            "weekday",
            _r_weekday,
            _compile(
                rf"{_DAY_PRE}(?:(?P<rel>last|this|next|this{_S}past|this{_S}coming|coming|"
                rf"the{_S}previous|the{_S}following|the{_S}next|past){_S})?(?P<wd>{_WEEKDAY})"
                rf"(?:['’]s)?(?:{_S}(?P<tod>{_TOD}))?"
            ),
            _capitalized("wd"),
        ),
        _Rule(
            "anaphoric_day",
            _r_anaphoric_day,
            _compile(
                rf"(?:(?P<pre>earlier|later|early|late)(?:{_S}on|{_S}in)?{_S})?"
                rf"(?:(?P<rel>the{_S}next|the{_S}following|the{_S}previous|the{_S}preceding|that|"
                rf"the{_S}same){_S}(?P<unit>day|morning|afternoon|evening|night)"
                rf"|(?P<rel2>the{_S}day{_S}(?:before|after))(?=\s{{0,3}}[,.;:!?)]|\s{{0,3}}$))"
            ),
        ),
        _Rule(
            "period",
            _r_period,
            _compile(
                rf"{_PART_PRE}(?P<rel>this|last|next|past|coming|the{_S}past|the{_S}last|"
                rf"the{_S}current|the{_S}previous|the{_S}preceding|the{_S}following|the{_S}next|"
                rf"the{_S}coming|that|the{_S}same|this{_S}past|this{_S}coming|the{_S}latest)"
                rf"{_S}(?:(?P<fiscal>fiscal|calendar){_S})?(?P<unit>week(?:end)?|month|year|"
                rf"spring|summer|autumn|fall|winter|decade)"
            ),
        ),
        _Rule(
            "season",
            _r_season,
            _compile(
                rf"{_PART_PRE}(?:(?:the|in){_S})?(?P<season>spring|summer|autumn|fall|winter)"
                rf"(?:{_S}(?:of{_S})?(?P<year>{_YEAR}))?"
            ),
            None,
        ),
        _Rule(
            "offset",
            _r_offset,
            _compile(
                rf"(?:(?:about|around|some|roughly|nearly|almost|more{_S}than|less{_S}than|over|"
                rf"just|only|barely|exactly|a{_S}little{_S}over|about{_S}a){_S})?"
                rf"(?P<num>{_NUM})(?:{_S}or{_S}so)?(?:-|{_S})(?P<unit>day|week|month|year|decade)s?"
                rf"(?:{_S}or{_S}so)?{_S}(?P<dir>ago|earlier|later|before|after|from{_S}now|hence|"
                rf"prior)(?P<tail>(?=\s{{0,3}}[,.;:!?)]|\s{{0,3}}$)|(?<=ago)|(?<=earlier)"
                rf"|(?<=later)|(?<=now)|(?<=hence))(?!{_S}than)"
            ),
        ),
        _Rule(
            "duration",
            _r_duration,
            _compile(
                rf"(?:(?P<lead>the{_S}(?:past|last|next|first|coming|previous|following|final)|"
                rf"(?:past|last|next|first|coming|recent|previous|following)){_S})?"
                rf"(?:(?:about|around|some|roughly|nearly|almost|more{_S}than|less{_S}than|over|"
                rf"just|only|at{_S}least|up{_S}to|a{_S}mere|barely|a{_S}further|another){_S})?"
                rf"(?:(?P<num>{_NUM})(?:{_S}and{_S}a{_S}half)?(?:-|{_S}))?"
                rf"(?P<unit>seconds?|minutes?|hours?|days?|nights?|weeks?|months?|years?|decades?|"
                rf"centur(?:y|ies))(?P<long>-long|{_S}long|-old|{_S}old)?"
            ),
            None,
        ),
        _Rule(
            "range_start",
            _r_range_start,
            _compile(
                rf"(?P<num>{_NUM})(?=(?:{_S}(?:and|to|or)|\s?[-–]){_S}{_NUM}(?:-|{_S})"
                rf"(?P<unit>seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b)"
            ),
        ),
        _Rule(
            "quarter",
            _r_quarter,
            _compile(
                rf"(?:(?:the{_S})?(?:(?P<rel>this|last|next|current|latest|previous|past|same)"
                rf"(?:{_S}year['’]s)?{_S})?(?:(?P<year>{_YEAR}){_S})?(?:(?:fiscal|calendar){_S})?"
                rf"(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)(?:-|{_S}))?quarter"
                rf"(?:{_S}of{_S}(?:fiscal{_S})?(?P<year2>{_YEAR}))?"
                rf"|Q(?P<qn>[1-4])(?:{_S}(?P<year3>{_YEAR}))?)"
            ),
        ),
        _Rule(
            "set",
            _r_set,
            _compile(
                rf"(?:(?P<q>every|each){_S}(?:single{_S}|other{_S})?(?P<unit>day|night|week|month|"
                rf"year|morning|evening|afternoon|season|weekend|{_WEEKDAY})"
                rf"|(?P<adv>daily|nightly|weekly|monthly|annually|yearly))"
            ),
            None,
        ),
        _Rule(
            "ref",
            _r_ref,
            _compile(
                rf"(?P<w>right{_S}now|now|currently|nowadays|at{_S}present|at{_S}the{_S}moment|"
                rf"recently|lately|the{_S}other{_S}day|the{_S}past|the{_S}future|"
                rf"the{_S}near{_S}future|"
                rf"(?<!\bas\s)soon)"
            ),
        ),
        _Rule(
            "holiday",
            _r_holiday,
            _compile(
                rf"(?P<h>christmas(?:{_S}(?:day|eve))?|new{_S}year['’]s(?:{_S}(?:day|eve))?"
                rf"|thanksgiving(?:{_S}day)?)"
                rf"(?:{_S}(?P<year>{_YEAR}))?"
            ),
            _capitalized("h"),
        ),
    )


_CALENDAR = frozenset(_SPECIFICITY)


# -------------------------------------------------------------------------- tagging


def _as_date(published: dt.date | dt.datetime | None) -> dt.date | None:
    if isinstance(published, dt.datetime):
        return published.date()
    return published


_SEPARATORS = frozenset(" \t\n\r\u00a0-–—/,.'’")
#: Words that make a token a possible part of a time expression on their own.
_ANCHORS = frozenset(
    set(_MONTHS)
    | set(_WEEKDAYS)
    | set(_SEASONS)
    | {u + s for u in (*_UNITS, "weekend", "season") for s in ("", "s")}
    | {
        "centuries",
        "quarter",
        "quarters",
        "q1",
        "q2",
        "q3",
        "q4",
        "today",
        "tonight",
        "yesterday",
        "tomorrow",
        "overnight",
        "morning",
        "evening",
        "afternoon",
        "now",
        "currently",
        "nowadays",
        "present",
        "moment",
        "recently",
        "lately",
        "past",
        "future",
        "soon",
        "daily",
        "nightly",
        "weekly",
        "monthly",
        "annually",
        "yearly",
        "christmas",
        "thanksgiving",
        "nineteen",
        "twenty",
        "thousand",
    }
)
_MAX_CHAIN = 8


@functools.cache
def _chain() -> frozenset[str]:
    """Words that may lead up to an anchor inside one expression ("late on the night
    of"): every literal word of every rule."""
    return frozenset(w for r in _rules() for w in re.findall(r"[a-z]+", r.regex.pattern.lower()))


@functools.cache
def _anchor_automaton() -> Any:
    """An Aho-Corasick automaton of the anchor words in lower case, and of the ASCII
    digits; values are ``(length, forms)``: the length (0 for a digit) and the ways
    the word may be written (lower, Title, UPPER)."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in _ANCHORS:
        automaton.add_word(word, (len(word), (word, word.capitalize(), word.upper())))
    for digit in "0123456789":  # found in the same pass: cheaper than a regex scan
        automaton.add_word(digit, (0, ()))
    automaton.make_automaton()
    return automaton


# Scanning the lower-cased text with one form of each word is ~30% cheaper than scanning
# the text with three (the automaton's cost grows with the letters a word may start
# with); a hit is kept only if the text writes the word in one of its forms.
# Finds the few characters outside ASCII fast (a pattern that starts with a set).
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
#: A decimal digit beyond ASCII (``str.isdecimal``, as ``\d``).
_OTHER_DIGIT = re.compile(r"[^\x00-\x7f\D]")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _starts(text: str, start: int, end: int) -> list[int]:
    """Where an expression may start: each anchor word or number, and the run of rule
    words just before it. Trying the rules only there keeps tagging fast.

    Examples
    --------
    >>> text = "Troops left late on the night of June 5."
    >>> [text[i:i + 5] for i in _starts(text, 0, len(text))]
    ['late ', 'on th', 'the n', 'night', 'of Ju', 'June ', '5.']
    """
    # Tagging a slice, the rule words before an anchor after it may start inside it.
    scan_end = len(text) if end < len(text) else end
    anchors = (
        _separated_anchors(text, start)
        if scan_end == len(text)  # (always, but for a slice of a text with "İ")
        else _anchors(text, start, scan_end)
    )
    starts = set(anchors)
    # Walking back over the words a rule may lead with ("late on the night of June")
    # is matching forwards in the reversed text: one regex call per word instead of a
    # Python loop over its characters. Offset i of the text is n - i in *backwards*,
    # where the characters before i come in reverse order.
    n = len(text)
    backwards = text[::-1]
    chain = _chain()
    for pos in anchors:
        for _ in range(_MAX_CHAIN):
            m = _WORD_BEFORE.match(backwards, n - pos, n - start)
            if m is None:
                break
            j = n - m.end()
            if text[j : n - m.start(1)].lower() not in chain:
                break
            starts.add(j)
            pos = j
    return sorted(s for s in starts if s < end)


def _anchors(text: str, start: int, scan_end: int) -> list[int]:
    """Where each anchor word or number of ``text[start:scan_end]`` starts (see
    :func:`_starts`)."""
    anchors: list[int] = []
    # "İ" is the one character whose lower case is two: a stand-in keeps the offsets
    # (it is in no anchor word).
    low = (text if "\u0130" not in text else text.replace("\u0130", "\x00")).lower()
    for last, (length, forms) in _anchor_automaton().iter(low, start, scan_end):
        if length == 0:  # an ASCII digit: a number starts here unless a word goes on
            if last == 0 or not _is_word_char(text[last - 1]):
                anchors.append(last)
            continue
        a_start, a_end = last - length + 1, last + 1
        if (
            (a_start == 0 or not _is_word_char(text[a_start - 1]))
            and (a_end == len(text) or not _is_word_char(text[a_end]))
            and text[a_start:a_end] in forms
        ):
            anchors.append(a_start)
    if not text.isascii():  # digits of other scripts ("\d" knows them all)
        for m in _NON_ASCII.finditer(text, start, scan_end):
            first = m.start()
            if text[first].isdecimal() and (first == 0 or not _is_word_char(text[first - 1])):
                anchors.append(first)
    return anchors


#: Every ASCII character that is no word character (``_is_word_char``), as a space.
_TO_SEPARATOR = str.maketrans(
    {c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_")}
)


@functools.cache
def _separated_automaton() -> Any:
    """The anchor words with a space before and after, and the ASCII digits with a
    space before, for :func:`_ascii_anchors`; values as in :func:`_anchor_automaton`."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in _ANCHORS:
        automaton.add_word(f" {word} ", (len(word), (word, word.capitalize(), word.upper())))
    for digit in "0123456789":
        automaton.add_word(f" {digit}", (0, ()))
    automaton.make_automaton()
    return automaton


def _separated_anchors(text: str, start: int) -> list[int]:
    """:func:`_anchors` of *text* from *start* to its end, the same offsets found
    twice as fast: in the text with every character that is no word character written
    as a space (and a space before and after it), an anchor is found with the
    separators around it. An automaton whose words all start with a space rejects the
    other characters at once, where one over the bare words follows the letters of most.
    A character beyond ASCII is first written "?" (one character for one, which keeps
    the offsets and the fast, ASCII translation); an anchor next to one is then checked
    as :func:`_anchors` checks every anchor.

    Examples
    --------
    >>> text = "On May 5, 2022, the (today) 3rd weekend—Friday’s"
    >>> sorted(_separated_anchors(text, 0)) == sorted(_anchors(text, 0, len(text)))
    True
    """
    ascii = text.isascii()
    plain = text if ascii else text.encode("ascii", "replace").decode("ascii")
    padded = f" {plain.lower().translate(_TO_SEPARATOR)} "
    anchors = []
    for last, (length, forms) in _separated_automaton().iter(padded, start):
        # (offset i of the text is i + 1 in *padded*)
        if length == 0:  # an ASCII digit after a separator
            if ascii or last == 1 or not _is_word_char(text[last - 2]):
                anchors.append(last - 1)
            continue
        a_end = last - 1  # the separator after the word
        a_start = a_end - length
        if text[a_start:a_end] in forms and (
            ascii
            or (a_start == 0 or not _is_word_char(text[a_start - 1]))
            and (a_end == len(text) or not _is_word_char(text[a_end]))
        ):
            anchors.append(a_start)
    if not ascii:  # digits of other scripts ("\d" knows them all)
        for m in _OTHER_DIGIT.finditer(text, start):
            first = m.start()
            if first == 0 or not _is_word_char(text[first - 1]):
                anchors.append(first)
    return anchors


# Read in the reversed text (see _starts): one to three separators, not preceded by a
# fourth, after a whole word of at most 21 characters (``\w`` is ``str.isalnum()`` or
# "_", as _is_word_char; checked over every code point in tests/test_timex.py).
_SEPARATOR = "[" + "".join(re.escape(c) for c in sorted(_SEPARATORS)) + "]"
_WORD_BEFORE = re.compile(rf"{_SEPARATOR}{{1,3}}(?!{_SEPARATOR})(\w{{1,21}})(?!\w)")


# ---- which rules can match at a position
#
# Trying all rules at every start costs ~25 regex calls per start, and nearly all fail
# on the first word. Each rule's matches start with one of a few lower-case texts ("the",
# "early", "nov", a digit...), read off its parsed pattern; at a start, only the rules
# with a text the characters there begin with are tried.


@functools.cache
def _dispatch() -> tuple[tuple[frozenset[str], ...], re.Pattern[str]]:
    """The leads of each rule, and the pattern of the key a start is looked up by: the
    text up to the next whitespace (leads never hold any), as long as the longest lead.

    Built on first use (~20 ms), which keeps importing light.
    """
    found = tuple(leads(rule.regex) for rule in _rules())
    longest = max(len(lead) for texts in found for lead in texts)
    return found, re.compile(rf"\S{{1,{longest}}}")


@functools.lru_cache(maxsize=8192)
def _rules_for(key: str) -> tuple[tuple[int, _Rule], ...]:
    """The rules (with their rank) that can match a text starting with *key*.

    *key* is the text from the start up to the next whitespace, cut to the length of
    the longest lead (see :func:`_dispatch`).

    Examples
    --------
    >>> [rule.name for _, rule in _rules_for("yesterday")]
    ['relday']
    """
    if not key.isascii():  # "ſ", "ı" or the Kelvin sign may match ASCII letters
        return tuple(enumerate(_rules()))
    low = key.lower()
    heads = {low[:n] for n in range(len(low) + 1)}
    return tuple(
        (rank, rule)
        for rank, (rule, leads) in enumerate(zip(_rules(), _dispatch()[0], strict=True))
        if not heads.isdisjoint(leads)
    )


_CANDIDATE_ORDER = operator.itemgetter(0, 1)  # longest first, then rank


def _candidates_at(text: str, pos: int, end: int) -> list[tuple[int, int, re.Match[str]]]:
    """Every rule match at *pos* as ``(-length, rank, match)``, longest first, then by
    rank: the order in which they are tried.

    Examples
    --------
    >>> [(rank, m.group()) for _, rank, m in _candidates_at("on May 9, 2022", 3, 14)]
    [(3, 'May 9, 2022'), (6, 'May')]
    """
    found = []
    key = _dispatch()[1].match(text, pos, end)
    for rank, rule in _rules_for(key.group() if key else ""):
        m = rule.regex.match(text, pos, end)
        if m is None and end < len(text):
            # Tagging a slice: a lookahead may need the text after it ("two" in "two
            # to three days"), as a lookbehind sees the text before it.
            m = rule.regex.match(text, pos)
            if m is not None and m.end() > end:
                m = None
        if m and m.end() > pos and (rule.check is None or rule.check(m)):
            found.append((pos - m.end(), rank, m))
    found.sort(key=_CANDIDATE_ORDER)
    return found


def tag(
    text: str, published: dt.date | None, *, start: int = 0, end: int | None = None
) -> list[TimeExpr]:
    """Find and normalize the time expressions of ``text[start:end]``.

    Expressions come in text order, never overlap, and take the longest match at each
    position; offsets index the full *text*. Relative expressions resolve against
    *published* (see the module docstring for the conventions); with ``published=None``
    they keep ``value=""`` and ``date=None``.

    Parameters
    ----------
    text : str
        The article text.
    published : datetime.date or None
        The publication date that anchors relative expressions.
    start, end : int, optional
        The slice of *text* to tag.

    Returns
    -------
    list of TimeExpr

    Examples
    --------
    >>> import datetime as dt
    >>> text = "Troops entered Kherson late on Friday, two days after the order of Nov. 9."
    >>> [(e.text, e.value, e.precision) for e in tag(text, dt.date(2022, 11, 12))]
    [('late on Friday', '2022-11-11', 'day'), ('two days', 'P2D', 'duration'), \
('Nov. 9', '2022-11-09', 'day')]
    >>> [(e.text, e.value) for e in tag("Shelling went on for weeks.", None)]
    [('weeks', 'PXW')]
    >>> [(e.text, e.value, e.date) for e in tag("It ended on Tuesday.", None)]
    [('Tuesday', '', None)]
    """
    end = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    ctx = _Context(text, _as_date(published))
    out: list[TimeExpr] = []
    last_end = start
    rules = _rules()
    for pos in _starts(text, start, end):
        if pos < last_end:
            continue  # inside the expression before: the rules need not even be tried
        for _neg_len, rank, m in _candidates_at(text, pos, end):
            resolved = rules[rank].resolve(m, ctx)
            if resolved is None:
                continue  # a shorter candidate at this position may still apply
            value, precision, date = resolved
            out.append(_time_expr(m.start(), m.end(), m.group(), value, precision, date))
            last_end = m.end()
            if date is not None and precision in _CALENDAR:
                ctx.ref = (date, precision)
            break  # the longest that resolves; the next expression starts after it
    return out


def normalize(text: str, anchor: dt.date | None) -> TimeExpr | None:
    """Normalize one time expression, given alone, against *anchor*.

    The whole of *text* is taken to be the expression: the longest expression found in
    it is normalized, with no surrounding clause to tell the tense (month-days go to the
    nearest occurrence, bare months and weekdays to the past). None if *text* holds no
    time expression.

    Examples
    --------
    >>> import datetime as dt
    >>> normalize("early December", dt.date(2013, 3, 22)).value
    '2012-12'
    >>> normalize("on December 30", dt.date(2023, 1, 3)).value
    '2022-12-30'
    >>> normalize("the weather", dt.date(2023, 1, 3)) is None
    True
    """
    found = tag(text, anchor)
    if not found:
        return None
    return max(found, key=lambda e: (e.end - e.start, e.date is not None))


# ------------------------------------------------------------------ sentence dating


def _window_day(expr: TimeExpr, published: dt.date | None) -> dt.date | None:
    """The day a sentence dated by *expr* is given: a week or a weekend is dated by its
    last day not after *published* (time_precision 2 means "within the seven days ending
    on this day", as for a sentence dated by its publication), anything else by the
    first day of its period.

    Examples
    --------
    >>> week = TimeExpr(0, 9, "last week", "2022-W45", "week", dt.date(2022, 11, 7))
    >>> _window_day(week, dt.date(2022, 11, 16)), _window_day(week, dt.date(2022, 11, 9))
    (datetime.date(2022, 11, 13), datetime.date(2022, 11, 9))
    """
    if expr.precision != "week" or expr.date is None:
        return expr.date
    last = expr.date + dt.timedelta(days=1 if expr.value.endswith("-WE") else 6)
    if published is None:
        return last
    if expr.text[:7].lower() == "earlier":  # "earlier in the week": before the report
        published -= dt.timedelta(days=1)
    return max(expr.date, min(last, published))


_PUBLISHED_PRECISION = "week"

#: A date is carried to at most this many sentences after the one that gives it: an
#: episode is a few sentences, and a text without paragraph breaks (a transcript, a
#: speech) must not lend one date to everything after it.
MAX_CARRIED = 4

#: A night: the expression's evening and the next morning.
_NIGHT = re.compile(r"\bnight\b|\bovernight\b", re.IGNORECASE)


def own_dates(
    text: str, dated: DatedSentence, published: dt.date | dt.datetime | None
) -> list[DatedSentence]:
    """Each time expression of a sentence that can date an event, as a dating of it.

    A sentence may report two events on two days ("captured Lozuvatske over the weekend
    and Vovche on Monday"): :func:`date_sentences` gives it the most specific one, and a
    caller that knows where each event is named may date each by the expression after
    it. The day of a report ("the governor said on Wednesday") is left out. In text
    order; offsets as *dated*'s; the expression is each one's ``timex``.

    Examples
    --------
    >>> import datetime as dt
    >>> text = "Troops took Lozuvatske over the weekend and Vovche on Monday."
    >>> (s,) = date_sentences(text, dt.date(2024, 7, 30))
    >>> [(d.timex.text, d.date.isoformat(), d.precision) for d in own_dates(text, s, dt.date(2024, 7, 30))]
    [('the weekend', '2024-07-28', 'week'), ('Monday', '2024-07-29', 'day')]
    """
    published = _as_date(published)
    exprs = tag(text, published, start=dated.start, end=dated.end)
    return [
        DatedSentence(dated.start, dated.end, _window_day(e, published), e.precision, "own", e)
        for e in exprs
        if _event_like(text, e, published)
        # "..., the governor said on Wednesday": the day of the report, not of an event
        and not _REPORTING_BEFORE.search(text[max(0, e.start - 40) : e.start])
    ]


def span_of(
    dated: DatedSentence, published: dt.date | dt.datetime | None = None
) -> tuple[dt.date, dt.date] | None:
    """The first and last day the event a dated sentence reports may fall on.

    One meaning for every precision: the event happened on some day of the span.

    * a day: that day; a night ("overnight", "last night", "on the night of June 5-6",
      "Monday night") its evening and the next morning;
    * a week or a weekend: its first day to the sentence's day (its last day not after
      publication, see :func:`date_sentences`);
    * a month, season, quarter, year...: its first day to its last;
    * a sentence dated by its publication (``source="published"``): the seven days
      ending on publication.

    No span ends after the publication day unless it starts on it; None for a sentence
    without a date.

    Examples
    --------
    >>> import datetime as dt
    >>> pub = dt.date(2024, 5, 1)
    >>> text = "Drones struck the refinery overnight."
    >>> (s,) = date_sentences(text, pub)
    >>> [d.isoformat() for d in span_of(s, pub)]
    ['2024-04-30', '2024-05-01']
    >>> (s,) = date_sentences("Drones struck Kupiansk in March.", pub)
    >>> [d.isoformat() for d in span_of(s, pub)]
    ['2024-03-01', '2024-03-31']
    """
    day = dated.date
    if day is None:
        return None
    published = _as_date(published)
    expr = dated.timex
    if dated.source == "published" or expr is None or expr.date is None:
        last = day
        first = day - dt.timedelta(days=6) if dated.precision == "week" else day
        return first, last
    precision = expr.precision
    if precision == "day":
        last = day + dt.timedelta(days=1) if _NIGHT.search(expr.text) else day
    elif precision == "week":
        return min(expr.date, day), day
    else:
        last = _period_last(expr.date, precision)
    if published is not None:
        last = max(day, min(last, published))
    return day, last


def _period_last(first: dt.date, precision: str) -> dt.date:
    """The last day of the period of *precision* that starts on *first*.

    Examples
    --------
    >>> import datetime as dt
    >>> _period_last(dt.date(2024, 2, 1), "month"), _period_last(dt.date(2023, 6, 1), "season")
    (datetime.date(2024, 2, 29), datetime.date(2023, 8, 31))
    """
    months = {"month": 1, "season": 3, "quarter": 3, "half": 6, "year": 12}.get(precision)
    if months is None:  # a decade, a century
        years = 10 if precision == "decade" else 100
        return dt.date(min(first.year + years, dt.MAXYEAR), 1, 1) - dt.timedelta(days=1)
    month = first.month - 1 + months
    year = first.year + month // 12
    if year > dt.MAXYEAR:
        return dt.date.max
    return dt.date(year, month % 12 + 1, 1) - dt.timedelta(days=1)


#: A reported event may be dated this many days after publication (time zones: a
#: report filed late on the 5th in Kyiv may carry the 6th).
_GRACE_DAYS = 1


def _event_like(text: str, expr: TimeExpr, published: dt.date | None = None) -> bool:
    """Whether *expr* can date the event of its sentence (not "since 2014", not "for
    weeks", not a time after *published*: a plan, a forecast or a misread number)."""
    if expr.date is None or expr.precision not in _CALENDAR:
        return False
    if published is not None and (expr.date - published).days > _GRACE_DAYS:
        return False
    if _COMPARED_GATED.search(text[max(0, expr.start - 60) : expr.start]):
        return False  # "comparing it to the attack on New Year's Eve": another time
    if expr.text.endswith(("'s", "’s")):
        return True  # "killed by Saturday's strike": a possessive names the event, not a bound
    before = text[max(0, expr.start - 20) : expr.start]
    low = before.lower()
    if (
        "from" in low
        and _FROM_BEFORE.search(before)
        and _TO_NOW_AFTER.match(text, expr.end, expr.end + 40)
    ):
        return False
    return not _NON_EVENT_GATED.search(before, low)


def _best(text: str, exprs: list[TimeExpr], published: dt.date | None = None) -> TimeExpr | None:
    """The most specific event-like expression, preferring ones not tied to "said"."""
    usable = [e for e in exprs if _event_like(text, e, published)]
    if len(usable) < 2:
        return usable[0] if usable else None  # most sentences: nothing to rank
    return min(
        usable,
        key=lambda e: (
            _SPECIFICITY[e.precision],
            bool(_REPORTING_BEFORE.search(text[max(0, e.start - 40) : e.start])),
            e.start,
        ),
    )


def _is_headline(text: str, span: Span, sentence_count: int) -> bool:
    """A first paragraph that reads like a title: short, one line, no final stop."""
    chunk = text[span[0] : span[1]].strip()
    return (
        sentence_count == 1
        and "\n" not in chunk
        and len(chunk.split()) <= 20
        and not chunk.endswith((".", "!", "?", '."', ".”"))
    )


def date_sentences(
    text: str,
    published: dt.date | None,
    *,
    sentences: Sequence[Span] | None = None,
    timexes: Sequence[TimeExpr] | None = None,
) -> list[DatedSentence]:
    """Give every sentence of *text* the date of the event it reports.

    The rule, in order:

    1. **own** — the sentence's own expressions that can date an event: resolved
       calendar dates (day, week, month, season, year...), not durations or sets, and
       not bounds such as "since 2014", "until March" or "by Friday", and not a time
       more than a day after publication (a plan, "80 years later"). Of those, the most
       specific wins (a day beats a month); among equals, one not attached to a
       reporting verb ("Kherson fell on Friday, officials said on Saturday" -> Friday),
       then the first. A week or a weekend dates the sentence by its last day not
       after publication (see :func:`_window_day`).
    2. **carried** — otherwise the date of the preceding sentence of the same
       paragraph (an episode): a paragraph break ends it, so background told in the
       next paragraph does not take the episode's date; never out of a headline-like
       first paragraph, never to a sentence with a vague time of its own ("the other
       day"), and to at most :data:`MAX_CARRIED` sentences.
    3. **published** — otherwise the publication date, at the coarser ``week``
       precision: the report is recent (within the seven days ending on publication),
       the day is unknown.
    4. **none** — no publication date either: ``date=None``.

    Expressions are tagged over the whole text at once, so "The next day" chains from
    the date before it even across sentences and paragraphs.

    Parameters
    ----------
    text : str
        The article text.
    published : datetime.date or None
        The publication date.
    sentences : sequence of (start, end), optional
        Sentence spans; :func:`frontline.sentences.split_sentences` by default.
    timexes : sequence of TimeExpr, optional
        ``tag(text, published)`` when the caller already has it (saves tagging twice).

    Returns
    -------
    list of DatedSentence
        One per sentence, in order.

    Examples
    --------
    >>> import datetime as dt
    >>> text = ("Russian forces shelled Nikopol on Tuesday. Two people died.\\n\\n"
    ...         "Shelling has continued since 2014.")
    >>> for s in date_sentences(text, dt.date(2022, 11, 10)):
    ...     print(text[s.start:s.end], s.date, s.precision, s.source)
    Russian forces shelled Nikopol on Tuesday. 2022-11-08 day own
    Two people died. 2022-11-08 day carried
    Shelling has continued since 2014. 2022-11-10 week published
    """
    published = _as_date(published)
    spans = list(split_sentences(text) if sentences is None else sentences)
    exprs = list(tag(text, published) if timexes is None else timexes)
    paragraphs = split_paragraphs(text)
    headline_end = -1
    if len(paragraphs) > 1:
        first = paragraphs[0]
        inside = sum(1 for s, _ in spans if first[0] <= s < first[1])
        if _is_headline(text, first, inside):
            headline_end = first[1]

    paragraph_starts = [p_start for p_start, _ in paragraphs]

    out: list[DatedSentence] = []
    i = 0
    carried = 0  # sentences the last own date has been carried to
    prev: DatedSentence | None = None
    prev_paragraph = -2
    for s_start, s_end in spans:
        while i < len(exprs) and exprs[i].start < s_start:
            i += 1
        j = i
        while j < len(exprs) and exprs[j].end <= s_end:
            j += 1
        paragraph = bisect.bisect_right(paragraph_starts, s_start) - 1
        best = _best(text, exprs[i:j], published) if j > i else None
        if best is not None:
            dated = _dated(
                s_start, s_end, _window_day(best, published), best.precision, "own", best
            )
            carried = 0
        elif (
            prev is not None
            and prev.date is not None
            and prev.source != "published"
            and paragraph == prev_paragraph
            and not (prev.end <= headline_end < s_start)
            and (i == j or not any(e.value == "PAST_REF" for e in exprs[i:j]))
            and carried < MAX_CARRIED
        ):
            # (a sentence with a time of its own, "the other day", "a few days ago",
            # however vague, is not of the episode before it)
            dated = _dated(s_start, s_end, prev.date, prev.precision, "carried", prev.timex)
            carried += 1
        elif published is not None:
            dated = _dated(s_start, s_end, published, _PUBLISHED_PRECISION, "published")
        else:
            dated = _dated(s_start, s_end, None, "", "none")
        out.append(dated)
        prev, prev_paragraph = dated, paragraph
    return out
