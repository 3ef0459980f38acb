"""Temporal expressions anchored at the publication date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["TimeExpr", "DatedSentence", "PRECISION_CODE"]

#: Event-table ``time_precision`` for each expression precision.
PRECISION_CODE = {"day": 1, "week": 2, "month": 3, "season": 3, "year": 3}


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A time expression found in text.

    ``value`` is ISO: ``YYYY-MM-DD``, ``YYYY-Www``, ``YYYY-MM``, ``YYYY``, a season
    ``YYYY-SU``, or a duration ``P3D``/``P4M``; ``precision`` is one of ``day``, ``week``,
    ``month``, ``season``, ``year``, ``duration``, ``set``. ``date`` is the first day of
    the period the value names (None for durations, sets and unresolvable expressions).
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
