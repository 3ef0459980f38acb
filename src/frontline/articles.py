"""Articles and the readers that turn files into them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = ["Article"]


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, as read from a file or a row of a corpus file.

    ``published`` anchors relative dates ("on Tuesday"); an article without one
    still yields places, but its relative dates are reported, not guessed.
    ``origin`` says where the article came from (``path`` or ``path:row``) for messages.
    """

    article_id: str
    text: str
    title: str = ""
    published: dt.date | None = None
    source: str = ""
    url: str = ""
    origin: str = ""
    meta: dict = field(default_factory=dict, compare=False, hash=False)
