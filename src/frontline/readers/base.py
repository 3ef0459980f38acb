"""What every format reader shares: the state of one read, and the typed interfaces
through which format readers and the result cache's file manifests plug in.

A format reader (:class:`FormatReader`; one module per format in this package) turns one
file into articles through a :class:`ReadState`, which reports problems, checks the
limits, maps field names and builds each :class:`~frontline.readers.model.Article` with a
safe, unique id. Row formats (JSON Lines, CSV) are :class:`RowFormat` readers: they can
start at a record boundary and tell a :class:`RowWatcher` where each record ends, which is
what lets a :class:`RowsHook` (the cache's file manifests) replay what it read before.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, Protocol, runtime_checkable

from ..errors import ArticleFormatError, InputNotFoundError
from ..outputs import printable_text
from .dates import parse_published
from .decoding import (
    SAMPLE_BYTES,
    decode_text,
    detect_encoding,
    has_surrogates,
    normalize_newlines,
    open_binary,
)
from .ids import safe_article_id
from .model import Article, Fault, Problem, Severity

__all__ = [
    "FIELD_ALIASES",
    "FormatReader",
    "ReadListener",
    "ReadState",
    "Resume",
    "RowFormat",
    "RowWatcher",
    "RowsHook",
    "is_text",
    "stem",
]

log = logging.getLogger("frontline.articles")

#: Field names of an article, each with the names exports use for it (first: the own).
FIELD_ALIASES = {
    "id": ("id", "article_id", "uid", "guid", "doc_id"),
    "title": ("title", "headline", "heading"),
    "published": (
        "published",
        "date",
        "published_at",
        "pubdate",
        "publication_date",
        "datetime",
        "date_published",
    ),
    "source": ("source", "outlet", "publisher", "site", "sitename"),
    "url": ("url", "link", "href"),
    "text": ("text", "body", "content", "article", "full_text", "maintext"),
}
_WEB_URL = re.compile(r"https?://[^\s]", re.IGNORECASE)

#: Where a row format resumes: (byte offset of a record boundary, its line or row number,
#: codec).
Resume = tuple[int, int, str]


class ReadListener(Protocol):
    """Watches one file being read (the file manifests do): the problems reported, the
    ids checked against earlier files, and whether ids were made from the file's name."""

    def problem(self, problem: Problem) -> None: ...

    def probe(self, article_id: str) -> None: ...

    def claimed(self, article_id: str) -> None: ...

    def named_after_file(self) -> None: ...


class RowWatcher(Protocol):
    """Told where the records of a row file end: every chunk of bytes a JSON Lines
    reader reads, in order; the position after each CSV record."""

    def bytes_read(self, chunk: bytes) -> None: ...

    def record_end(self, end: int, complete: bool, number: int) -> None: ...


class FormatReader(Protocol):
    """Reads one format: ``name`` and the file name endings (``suffixes``) it takes."""

    name: str
    suffixes: tuple[str, ...]

    def read(self, state: ReadState, path: Path, st: os.stat_result, gz: bool) -> Iterator[Article]:
        """The articles of one file; a :class:`Fault` ends it."""
        ...


@runtime_checkable
class RowFormat(FormatReader, Protocol):
    """A format of one article per record (JSON Lines, CSV), readable from a record
    boundary on (*resume*), telling a *watcher* where each record ends. Its readers
    subclass it: reading a whole file is reading its rows from the start."""

    def read(self, state: ReadState, path: Path, st: os.stat_result, gz: bool) -> Iterator[Article]:
        return self.read_rows(state, path, gz)

    def read_rows(
        self,
        state: ReadState,
        path: Path,
        gz: bool,
        *,
        resume: Resume | None = None,
        watcher: RowWatcher | None = None,
    ) -> Iterator[Article]: ...


class RowsHook(Protocol):
    """Reads row files in the reader's place (the result cache's file manifests): it
    yields the reader's articles, and its own items in between (for the pipeline)."""

    def read_rows(
        self, state: ReadState, fmt: RowFormat, path: Path, st: os.stat_result, *, gz: bool
    ) -> Iterator[Any]: ...


def is_text(value: object) -> bool:
    """Whether a field's value can be read as text (a string or a number)."""
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def stem(path: Path) -> str:
    """The file name without its extensions, for ids; bytes of a name that were not UTF-8
    are written ``\\xNN`` (the id of ``café.md`` saved in Latin-1 is ``caf_xe9``)."""
    name = path.name
    if name.casefold().endswith(".gz"):
        name = name[:-3]
    return printable_text(os.path.splitext(name)[0] or name)


class ReadState:
    """State of one read: the callback, the limits, the ids already taken, a listener."""

    def __init__(
        self, *, on_problem: Callable[[Problem], Any] | None, max_bytes: int, today: dt.date | None
    ) -> None:
        self.on_problem = on_problem
        self.max_bytes = max_bytes
        self.today = today or dt.date.today()
        self.ids: dict[str, str] = {}  # id -> origin of its first use
        self.listener: ReadListener | None = None

    # -- reporting -------------------------------------------------------------------
    def report(self, origin: str, message: str, severity: Severity = "error") -> None:
        problem = Problem(origin, message, severity)
        if self.listener is not None:
            self.listener.problem(problem)
        if self.on_problem is not None:
            self.on_problem(problem)
        elif severity == "error":
            if message.startswith("no such file or folder"):
                raise InputNotFoundError(message)
            if message.startswith("no article files"):
                raise InputNotFoundError(str(problem))
            raise ArticleFormatError(origin, message)
        else:
            log.warning("%s", problem)

    def too_big(self, size: str) -> str:
        return (
            f"too large for an article ({size}; the limit is {self.max_bytes:,}): "
            "split it, or raise the limit (max_bytes=..., CLI --max-bytes)"
        )

    # -- reading ---------------------------------------------------------------------
    def whole_file(
        self, path: Path, st: os.stat_result, gz: bool, *, html: bool
    ) -> tuple[str, dict[str, Any]]:
        """The decoded text of a whole file (within the limit) and its ``meta``."""
        origin = str(path)
        if not gz and st.st_size > self.max_bytes:
            raise Fault(self.too_big(f"{st.st_size:,} bytes"))
        with open_binary(path, gz) as f:
            data = f.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise Fault(self.too_big(f"over {self.max_bytes:,} bytes uncompressed"))
        text, codec, warning = decode_text(data, html=html)
        if warning:
            self.report(origin, warning, "warning")
        return text, {"format": "html" if html else "text", "encoding": codec}

    def from_file(
        self, path: Path, fields: dict[str, Any], meta: dict[str, Any], hint: str
    ) -> Article | None:
        """The article of a whole file; without an ``id`` field, its id is the file's name."""
        from_name = "id" not in fields
        fields.setdefault("id", stem(path))
        return self.make_article(fields, str(path), meta=meta, hint=hint, id_from_name=from_name)

    @contextlib.contextmanager
    def open_rows(self, path: Path, gz: bool) -> Iterator[tuple[IO[bytes], str]]:
        """Open a JSONL or CSV file; its encoding comes from the first bytes, reported
        when it is a guess."""
        with open_binary(path, gz) as f:
            sample = f.peek(SAMPLE_BYTES)[:SAMPLE_BYTES] if hasattr(f, "peek") else b""
            codec, warning = detect_encoding(sample, final=False)
            if warning:
                self.report(str(path), warning, "warning")
            yield f, codec

    def map_fields(self, row: dict, where: str) -> dict[str, Any] | None:
        """A JSON object's fields under their own names (see :data:`FIELD_ALIASES`); None,
        reported, without a text."""
        fields: dict[str, Any] = {}
        lowered = {str(k).strip().casefold(): v for k, v in row.items()}
        for key, aliases in FIELD_ALIASES.items():
            for alias in aliases:
                if alias in lowered and lowered[alias] not in (None, ""):
                    fields[key] = lowered[alias]
                    break
        if "text" not in fields:
            self.report(where, "no `text` field (the article body)")
            return None
        return fields

    # -- building an article -----------------------------------------------------------
    def make_article(
        self,
        fields: dict[str, Any],
        origin: str,
        *,
        meta: dict[str, Any],
        hint: str,
        id_from_name: bool = False,
    ) -> Article | None:
        text = fields.get("text")
        if not isinstance(text, str):
            self.report(origin, "`text` is not a string")
            return None
        if len(text) > self.max_bytes:
            self.report(origin, self.too_big(f"{len(text):,} characters of text"))
            return None
        text = normalize_newlines(text.removeprefix("\ufeff"))
        values: dict[str, str] = {}
        for key in ("id", "title", "source", "url"):
            value = fields.get(key)
            if value is None or value == "":
                values[key] = ""
            elif is_text(value):
                values[key] = str(value).strip()
            else:
                self.report(
                    origin, f"`{key}` is not text ({type(value).__name__}); ignored", "warning"
                )
                values[key] = ""
        if any(has_surrogates(v) for v in (text, *values.values())):
            self.report(
                origin,
                "undecodable bytes or broken characters in the text (read as "
                f"{meta.get('encoding')}): save the file as UTF-8",
            )
            return None
        if not text.strip():
            where = {
                "html": " found in the page",
                "text": " after the front matter" if "body_line" in meta else "",
            }.get(meta.get("format", ""), "")
            self.report(origin, f"empty article: no text{where}", "skipped")
            return None
        published = self._published(fields.get("published"), origin, hint)
        article_id = self._unique_id(values["id"] or "article", origin, id_from_name)
        url = values["url"]
        if len(url) > 2048:
            self.report(origin, "`url` is over 2048 characters; ignored", "warning")
            url = ""
        elif url and not _WEB_URL.match(url):
            # Only web links survive: a `javascript:` or `data:` URL must never reach a map.
            self.report(origin, f"`url` is not an http(s) link ({url[:40]!r}); ignored", "warning")
            url = ""
        return Article(
            article_id=article_id,
            text=text,
            title=" ".join(values["title"].split()),
            published=published,
            source=" ".join(values["source"].split()),
            url=url,
            origin=origin,
            meta=meta,
        )

    def _published(self, value: object, origin: str, hint: str) -> dt.date | None:
        if isinstance(value, list | dict):
            self.report(
                origin,
                f"`published` is not a date ({type(value).__name__}); "
                "relative dates cannot be resolved",
                "warning",
            )
            return None
        try:
            published = parse_published(value)
        except ValueError as err:
            self.report(
                origin,
                f"invalid publication date: {err}; relative dates cannot be resolved",
                "warning",
            )
            return None
        if published is None:
            self.report(
                origin, f"no publication date: relative dates cannot be resolved; {hint}", "warning"
            )
        elif published > self.today:
            self.report(
                origin,
                f"publication date {published.isoformat()} is in the future "
                f"(today is {self.today.isoformat()}): check it",
                "warning",
            )
        return published

    def _unique_id(self, raw: str, origin: str, from_name: bool) -> str:
        article_id = safe_article_id(raw)
        if article_id != raw and not from_name:
            self.report(
                origin,
                f"id {raw[:80]!r} is not safe as a file name; using {article_id!r}",
                "warning",
            )
        if self._taken(article_id):
            base, n = article_id, 2
            while self._taken(f"{base}~{n}"):
                n += 1
            article_id = f"{base}~{n}"
            self.report(
                origin,
                f"duplicate id {base!r} (first used by {self.ids[base]}); "
                f"this one is {article_id!r}",
                "warning",
            )
        self.claim_id(article_id, origin)
        return article_id

    def _taken(self, article_id: str) -> bool:
        if self.listener is not None:  # the outcome depends on the ids seen so far
            self.listener.probe(article_id)
        return article_id in self.ids

    def claim_id(self, article_id: str, origin: str) -> None:
        """Record that *article_id* is taken (first used at *origin*)."""
        self.ids[article_id] = origin
        if self.listener is not None:
            self.listener.claimed(article_id)
