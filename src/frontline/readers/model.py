"""What reading gives: articles, and the problems met on the way.

An :class:`Article` is the pipeline's unit of work; a :class:`Problem` is something wrong
with one input (a file, a line, a row), passed to an ``on_problem`` callback while the
rest is read; :class:`Fault` is a problem that ends the reading of one file or row,
raised inside the readers and turned into a problem where the file is read.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from ..errors import ArticleFormatError
from .dates import parse_published

__all__ = [
    "Article",
    "Problem",
    "ProblemLog",
    "Severity",
    "Fault",
    "InputPaths",
    "DEFAULT_MAX_BYTES",
]

Severity = Literal["error", "warning", "skipped"]
InputPaths = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]

#: Largest article (a whole file, or one JSONL line / CSV row) read by default, in bytes.
DEFAULT_MAX_BYTES = 10_000_000


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, as read from a file or a row of a corpus file.

    ``published`` anchors relative dates ("on Tuesday"); an article without one
    still yields places, but its relative dates are reported, not guessed. It may be
    given as text or a datetime too: it is read as :func:`parse_published` reads it.
    ``origin`` says where the article came from (``path`` or ``path:row``) for messages.

    Examples
    --------
    >>> Article("a1", "Shelling hit Kherson on Tuesday.", published="2022-11-15").published
    datetime.date(2022, 11, 15)
    >>> Article("a1", "...", published="11/12/2022")
    Traceback (most recent call last):
    ...
    frontline.errors.ArticleFormatError: a1: published: ambiguous date '11/12/2022': write it as 2022-11-12 or 2022-12-11
    """

    article_id: str
    text: str
    title: str = ""
    published: dt.date | None = None
    source: str = ""
    url: str = ""
    origin: str = ""
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        value = self.published
        if value is None or type(value) is dt.date:  # (the readers' case: nothing to do)
            return
        try:
            date = parse_published(value)
        except ValueError as err:
            raise ArticleFormatError(self.origin or self.article_id, f"published: {err}") from None
        object.__setattr__(self, "published", date)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one input: a file, a line or a row.

    Parameters
    ----------
    origin : str
        ``path``, ``path:LINE`` or ``path:row N``.
    message : str
        What is wrong and, where possible, what to do.
    severity : {"error", "warning", "skipped"}
        ``error``: the input (or row) was not read. ``warning``: it was read, with a
        caveat. ``skipped``: deliberately left out (unknown format, empty, duplicate file).

    Examples
    --------
    >>> p = Problem("a.md", "no publication date", "warning")
    >>> str(p)
    'a.md: no publication date'
    """

    origin: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        if self.origin and self.origin in self.message:
            return self.message
        return f"{self.origin}: {self.message}" if self.origin else self.message


class ProblemLog:
    """Collect problems in order; pass an instance as ``on_problem``.

    Examples
    --------
    >>> problems = ProblemLog()
    >>> problems(Problem("a.md", "empty article", "skipped"))
    >>> problems.counts()
    {'error': 0, 'warning': 0, 'skipped': 1}
    >>> [str(p) for p in problems]
    ['a.md: empty article']
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def __call__(self, problem: Problem) -> None:
        self.problems.append(problem)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def counts(self) -> dict[str, int]:
        """Number of problems by severity."""
        out = {"error": 0, "warning": 0, "skipped": 0}
        for p in self.problems:
            out[p.severity] += 1
        return out

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity ``error``."""
        return [p for p in self.problems if p.severity == "error"]


class Fault(Exception):
    """One problem that ends the reading of the current file or row (*origin*: what
    follows the file's path in its message, such as ``":12"``)."""

    def __init__(
        self, message: str, *, origin: str | None = None, severity: Severity = "error"
    ) -> None:
        super().__init__(message)
        self.message = message
        self.origin = origin
        self.severity = severity
