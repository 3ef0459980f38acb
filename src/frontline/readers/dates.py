"""Publication dates as articles and exports write them (:func:`parse_published`)."""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["parse_published"]

_MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
    # Ukrainian and Russian month names, nominative and genitive ("12 листопада 2022")
    "січень": 1,
    "січня": 1,
    "лютий": 2,
    "лютого": 2,
    "березень": 3,
    "березня": 3,
    "квітень": 4,
    "квітня": 4,
    "травень": 5,
    "травня": 5,
    "червень": 6,
    "червня": 6,
    "липень": 7,
    "липня": 7,
    "серпень": 8,
    "серпня": 8,
    "вересень": 9,
    "вересня": 9,
    "жовтень": 10,
    "жовтня": 10,
    "листопад": 11,
    "листопада": 11,
    "грудень": 12,
    "грудня": 12,
    "январь": 1,
    "января": 1,
    "февраль": 2,
    "февраля": 2,
    "март": 3,
    "марта": 3,
    "апрель": 4,
    "апреля": 4,
    "май": 5,
    "мая": 5,
    "июнь": 6,
    "июня": 6,
    "июль": 7,
    "июля": 7,
    "август": 8,
    "августа": 8,
    "сентябрь": 9,
    "сентября": 9,
    "октябрь": 10,
    "октября": 10,
    "ноябрь": 11,
    "ноября": 11,
    "декабрь": 12,
    "декабря": 12,
}
_FILLER = frozenset(
    """mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri
    friday sat saturday sun sunday published updated posted on at the of date
    року г года""".split()
)
_ISO_LIKE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])")
_NUMERIC_DMY = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?![\d])")
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_MAX_DATE_CHARS = 80


def parse_published(value: object) -> dt.date | None:
    """Read a publication date from the forms articles and exports use.

    ISO dates and date-times (the date as written, whatever the time zone),
    ``20221112``, ``12.11.2022``, ``12 November 2022``, ``Nov. 12, 2022``,
    ``Sat, 12 Nov 2022 08:00:00 +0000``, Ukrainian/Russian month names, Unix timestamps.
    Slash dates are read day-first or month-first only when unambiguous.

    Returns
    -------
    datetime.date or None
        None for an empty value.

    Raises
    ------
    ValueError
        The value is not a date (the message says what was expected).

    Examples
    --------
    >>> parse_published("2022-11-12T23:30:00-05:00")
    datetime.date(2022, 11, 12)
    >>> parse_published("Nov 12, 2022"), parse_published("12 листопада 2022")
    (datetime.date(2022, 11, 12), datetime.date(2022, 11, 12))
    >>> parse_published("11/12/2022")
    Traceback (most recent call last):
    ...
    ValueError: ambiguous date '11/12/2022': write it as 2022-11-12 or 2022-12-11
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"not a date: {value!r}")
    if isinstance(value, int | float):
        return _from_number(value)
    if not isinstance(value, str):
        raise ValueError(f"not a date: a {type(value).__name__}, expected text such as 2022-11-12")
    text = value.strip()
    if not text:
        return None
    shown = text if len(text) <= _MAX_DATE_CHARS else text[:_MAX_DATE_CHARS] + "..."
    if len(text) > _MAX_DATE_CHARS:
        raise ValueError(f"not a date: {shown!r} is too long")
    if text.isdigit():
        if len(text) == 8:
            return _make_date(int(text[:4]), int(text[4:6]), int(text[6:]), shown)
        return _from_number(int(text))
    if m := _ISO_LIKE.match(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), shown)
    if m := _NUMERIC_DMY.match(text):
        first, second, year = int(m[1]), int(m[3]), int(m[4])
        if m[2] != "/" or first > 12:
            return _make_date(year, second, first, shown)  # 12.11.2022: day first
        if second > 12:
            return _make_date(year, first, second, shown)  # 11/22/2022: month first
        if first == second:
            return _make_date(year, first, first, shown)
        raise ValueError(
            f"ambiguous date {shown!r}: write it as {year}-{first:02d}-{second:02d}"
            f" or {year}-{second:02d}-{first:02d}"
        )
    return _from_words(text, shown)


def _from_words(text: str, shown: str) -> dt.date:
    day = month = year = None
    for token in _TOKEN.findall(text.casefold()):
        if day is not None and month is not None and year is not None:
            break  # a time or zone after a complete date
        if token.isdigit():
            number = int(token)
            if len(token) == 4 and year is None:
                year = number
            elif len(token) <= 2 and day is None and 1 <= number <= 31:
                day = number
            else:
                raise ValueError(f"not a date: {shown!r}")
        elif token in _MONTHS and month is None:
            month = _MONTHS[token]
        elif token in ("st", "nd", "rd", "th") or token in _FILLER:
            continue
        else:
            raise ValueError(f"not a date: {shown!r} (expected a form such as 2022-11-12)")
    if day is None or month is None or year is None:
        if year is not None and day is None:
            raise ValueError(f"not a full date: {shown!r} has no day; write 2022-11-12")
        # email dates and the like
        try:
            import email.utils  # only for the rare RFC 2822 date: kept off the start-up

            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
        if parsed is None:
            raise ValueError(f"not a date: {shown!r} (expected a form such as 2022-11-12)")
        return _make_date(parsed.year, parsed.month, parsed.day, shown)
    return _make_date(year, month, day, shown)


def _from_number(number: float) -> dt.date:
    if 1e12 <= number < 1e14:
        number /= 1000  # milliseconds
    if not 1e8 <= number < 1e10:
        raise ValueError(f"not a date: {number!r} (expected text such as 2022-11-12)")
    return dt.datetime.fromtimestamp(number, tz=dt.UTC).date()


def _make_date(year: int, month: int, day: int, shown: str) -> dt.date:
    if not 1900 <= year <= 2200:
        raise ValueError(f"not a plausible publication date: {shown!r}")
    try:
        return dt.date(year, month, day)
    except ValueError as err:
        raise ValueError(f"not a date: {shown!r} ({err})") from err
