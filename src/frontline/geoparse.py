"""Finding the places an article names and choosing the right one."""

from __future__ import annotations

from dataclasses import dataclass

from .gazetteer import Place

__all__ = ["Mention"]


@dataclass(frozen=True, slots=True)
class Mention:
    """A toponym in an article's text, resolved to a gazetteer place.

    ``literal`` is False for associative uses ("Moscow announced", "Kyiv denied"),
    which are listed but never become events. ``runner_up`` is the second-best
    candidate, kept for review.
    """

    article_id: str
    start: int
    end: int
    mention: str
    place: Place
    confidence: float
    literal: bool = True
    runner_up: Place | None = None
