"""Articles and the readers that turn files into them: the public entry points.

The readers themselves, one module per format behind one interface, are in
:mod:`frontline.readers`; this module reads files and folders with them.

Readers take what scrapers, exports and copy-paste produce and never stop on one bad
input: every problem becomes a :class:`Problem` passed to an ``on_problem`` callback
(origin, message, severity) and the rest is read.

Formats, chosen by extension (each also gzipped, ``.gz``):

* ``.md``, ``.markdown``, ``.txt``, ``.text`` and files without an extension: text with
  optional YAML front matter (``title``, ``published``, ``source``, ``url``, ``id``). Without
  a ``title``, the first line becomes the title when it looks like a heading (a Markdown
  ``#`` line, or a short line without final punctuation followed by a blank line). The text
  is the body after the front matter, unchanged except for newlines (``\\r\\n`` -> ``\\n``).
* ``.html``, ``.htm``, ``.xhtml``: main text, title, site name, canonical URL and
  publication date extracted with trafilatura (offline); paragraphs are blank-line separated.
* ``.jsonl``, ``.ndjson``: one JSON object per line; ``.csv`` (``,``/``;``/tab sniffed from the
  header) and ``.tsv``: one article per row. Fields ``id``, ``title``, ``published``,
  ``source``, ``url``, ``text``; common export names are accepted too (``body`` or
  ``content`` for ``text``, ``headline`` for ``title``, ``date`` for ``published``, ``link``
  for ``url``) with a warning. Rows are streamed one at a time.

Decisions (the CLI and the pipeline rely on them):

* A missing input path is an ``error`` problem "no such file or folder: X" and the other
  inputs are read; with ``on_problem=None`` it raises :class:`InputNotFoundError`. A folder
  with no article files is an ``error`` problem too.
* An invalid or missing ``published`` is a ``warning`` and ``published=None``: the article
  still yields places; only its relative dates cannot be resolved. A future date is a
  ``warning`` and is kept. A date-time keeps the date as written (its own time zone).
* Empty text is ``skipped``; unknown extensions in a folder are ``skipped``; hidden files
  and folders (``.name``) are ignored silently unless named explicitly.
* Text that is not UTF-8 is decoded with the encoding charset-normalizer detects, with a
  ``warning`` naming it; UTF-8/UTF-16 with a BOM and an HTML ``<meta charset>`` are trusted.
* A file (or one JSONL/CSV row) over ``max_bytes`` is an ``error`` that says how to raise
  the limit.
* Article ids are made safe to use as file names (no ``/``, ``\\``, ``..``, control
  characters, leading dot) and unique within one read: a repeated id gets ``~2``, ``~3``...
  with a ``warning``, in input order, so ids are stable from run to run.
* Origins: ``path`` for a whole file, ``path:LINE`` for a JSONL line or a YAML error,
  ``path:row N`` for a CSV row (the header is row 1, as in a spreadsheet).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .errors import ArticleFormatError, InputNotFoundError
from .readers import (
    ARTICLE_SUFFIXES,
    DEFAULT_MAX_BYTES,
    Article,
    InputPaths,
    Problem,
    ProblemLog,
    Reader,
    RowsHook,
    Severity,
    as_paths,
    parse_published,
    safe_article_id,
)

__all__ = [
    "Article",
    "Problem",
    "ProblemLog",
    "Severity",
    "InputPaths",
    "DEFAULT_MAX_BYTES",
    "ARTICLE_SUFFIXES",
    "iter_articles",
    "load_articles",
    "read_article",
    "read_inputs",
    "parse_published",
    "safe_article_id",
]

log = logging.getLogger(__name__)


def iter_articles(
    inputs: InputPaths,
    *,
    on_problem: Callable[[Problem], Any] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    today: dt.date | None = None,
) -> Iterator[Article]:
    """Read articles from files and folders, one at a time.

    Parameters
    ----------
    inputs : path or iterable of paths
        Files or folders; folders are walked recursively in sorted order (symbolic link
        loops are detected, hidden entries ignored).
    on_problem : callable, optional
        Called with each :class:`Problem`; reading goes on. Without it, the first
        ``error`` raises :class:`~frontline.errors.ArticleFormatError` (or
        :class:`~frontline.errors.InputNotFoundError` for a missing path) and warnings are
        logged to the ``frontline.articles`` logger.
    max_bytes : int
        Largest file (or JSONL line / CSV row) read, in bytes after decompression.
    today : datetime.date, optional
        Reference day for "publication date in the future" warnings (default: today).

    Yields
    ------
    Article
        With a safe, unique ``article_id``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "kherson.md").write_text(
    ...     "---\\ntitle: Kherson\\npublished: 2022-11-12\\n---\\nTroops entered Kherson.\\n")
    >>> _ = (folder / "feed.jsonl").write_text(
    ...     '{"id": "k1", "text": "Shelling in Nikopol.", "published": "Nov 12, 2022"}\\n'
    ...     'not json\\n')
    >>> problems = ProblemLog()
    >>> [(a.article_id, a.published.isoformat()) for a in iter_articles(folder, on_problem=problems)]
    [('k1', '2022-11-12'), ('kherson', '2022-11-12')]
    >>> print(problems.problems[0].origin.endswith("feed.jsonl:2"), problems.problems[0].severity)
    True error
    """
    yield from read_inputs(inputs, on_problem=on_problem, max_bytes=max_bytes, today=today)


def read_inputs(
    inputs: InputPaths,
    *,
    on_problem: Callable[[Problem], Any] | None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    today: dt.date | None = None,
    rows_hook: RowsHook | None = None,
) -> Iterator[Any]:
    """:func:`iter_articles`, checking *max_bytes* at once (not on first use); with a
    *rows_hook* (the result cache's file manifests, see
    :class:`~frontline.readers.base.RowsHook`), JSON Lines and CSV files are read through
    it, and its own items come between the articles.

    Examples
    --------
    >>> read_inputs([], on_problem=None, max_bytes=0)
    Traceback (most recent call last):
    ...
    ValueError: max_bytes must be positive, not 0
    """
    if max_bytes <= 0:
        raise ValueError(f"max_bytes must be positive, not {max_bytes}")
    reader = Reader(on_problem=on_problem, max_bytes=max_bytes, today=today, rows_hook=rows_hook)
    return reader.read_inputs(as_paths(inputs))


def load_articles(
    inputs: InputPaths,
    *,
    on_problem: Callable[[Problem], Any] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    today: dt.date | None = None,
) -> list[Article]:
    """Read every article of *inputs* into a list (see :func:`iter_articles`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "bakhmut.txt"
    >>> _ = path.write_text("Fighting in Bakhmut\\n\\nShelling continued.", encoding="utf-8")
    >>> [(a.article_id, a.title) for a in load_articles(path, on_problem=lambda p: None)]
    [('bakhmut', 'Fighting in Bakhmut')]
    """
    return list(iter_articles(inputs, on_problem=on_problem, max_bytes=max_bytes, today=today))


def read_article(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Read the one article of a file; any error raises, warnings are logged.

    Raises
    ------
    InputNotFoundError
        The path does not exist.
    ArticleFormatError
        The file cannot be read, or it does not hold exactly one article.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "nikopol.md"
    >>> _ = path.write_text("---\\npublished: 12 November 2022\\n---\\nNikopol was shelled.\\n")
    >>> read_article(path).published
    datetime.date(2022, 11, 12)
    """
    path = Path(path)
    if path.is_dir():
        raise ArticleFormatError(str(path), "is a folder: use load_articles() for folders")
    found: list[Article] = []
    skipped: list[Problem] = []

    def note(problem: Problem) -> None:
        if problem.severity == "error":
            if problem.message.startswith("no such file or folder"):
                raise InputNotFoundError(str(problem))
            raise ArticleFormatError(problem.origin, problem.message)
        if problem.severity == "skipped":
            skipped.append(problem)
        log.warning("%s", problem)

    for article in iter_articles(path, on_problem=note, max_bytes=max_bytes):
        found.append(article)
        if len(found) > 1:
            raise ArticleFormatError(str(path), "holds several articles: use load_articles()")
    if not found:
        why = f" ({skipped[0].message})" if skipped else ""
        raise ArticleFormatError(str(path), f"holds no article{why}")
    return found[0]
