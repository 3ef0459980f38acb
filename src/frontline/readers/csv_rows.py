"""CSV and TSV files: one article per row, under a header row.

The delimiter of a ``.csv`` file (``,``, ``;``, tab or ``|``) is the one that makes the
most known column names of the header; a ``.tsv`` file's is the tab. Columns ``id``,
``title``, ``published``, ``source``, ``url``, ``text``, or the names exports use for
them. Rows are read one at a time, and no line is held longer than a row may be: a longer
one is reported and skipped, and the rest read. Origins are ``path:row N`` (the header
is row 1, as in a spreadsheet).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .base import FIELD_ALIASES, ReadState, Resume, RowFormat, RowWatcher, stem
from .decoding import SAMPLE_BYTES, opened_as
from .model import Article, Fault

__all__ = ["CsvFormat"]


class CsvFormat(RowFormat):
    """CSV (delimiter sniffed from the header) or, with *tab*, TSV."""

    def __init__(self, *, tab: bool = False) -> None:
        self.tab = tab
        self.name = "tsv" if tab else "csv"
        self.suffixes = (".tsv",) if tab else (".csv",)

    def read_rows(
        self,
        state: ReadState,
        path: Path,
        gz: bool,
        *,
        resume: Resume | None = None,
        watcher: RowWatcher | None = None,
    ) -> Iterator[Article]:
        """The articles of the file.

        *resume* ``(offset, row number, codec)`` goes on from the end of a record (the
        header is read again, its problems not reported again); the *watcher* is told,
        after each record, the header included, the position after it (a byte offset for a
        decoder without state), whether it ended a line and its row number.
        """
        tab = self.tab
        track = watcher.record_end if watcher is not None else None
        origin = str(path)
        hint = "add a `published` column"
        if resume is None:
            opened = state.open_rows(path, gz)
        else:
            opened = opened_as(path, gz, resume[2])
        with opened as (f, codec):
            errors = "replace" if codec.startswith("utf-16") else "surrogateescape"
            stream = io.TextIOWrapper(f, encoding=codec, errors=errors, newline="")
            header_line = stream.readline(1 << 20)
            if not header_line.strip():
                raise Fault("empty CSV file: no header row", severity="skipped")
            _raise_field_limit(state.max_bytes)
            try:
                delimiter = "\t" if tab else _sniff_delimiter(header_line)
                header = next(csv.reader([header_line], delimiter=delimiter))
            except csv.Error as err:
                raise Fault(f"CSV header row cannot be parsed ({err})") from err
            names = [h.strip().lstrip("\ufeff").casefold() for h in header]
            columns = _columns(state, names, origin, header, quiet=resume is not None)
            row_number = 1
            if resume is not None:
                stream.seek(resume[0])
                row_number = resume[1] - 1
            elif track is not None:
                track(stream.tell(), header_line.endswith(("\n", "\r")), row_number)
            # No line is held longer than a row may be (its text, quoted): a longer one
            # is skipped as it is read, and its row reported.
            lines = _BoundedLines(stream, 2 * state.max_bytes + SAMPLE_BYTES)
            reader = csv.reader(lines, delimiter=delimiter)
            while True:
                lines.new_record()
                try:
                    cells = next(reader)
                except StopIteration:
                    break
                except csv.Error as err:
                    raise Fault(
                        f"CSV cannot be parsed after row {row_number} ({err}); the rest "
                        "of the file was not read"
                    ) from err
                row_number += 1
                if track is not None:
                    track(stream.tell(), lines.last.endswith(("\n", "\r")), row_number)
                where = f"{origin}:row {row_number}"
                if lines.overlong:
                    state.report(where, state.too_big(f"row over {state.max_bytes:,} characters"))
                    continue
                if not any(c.strip() for c in cells):
                    continue
                if sum(len(c) for c in cells) > state.max_bytes:
                    state.report(where, state.too_big(f"row over {state.max_bytes:,} characters"))
                    continue
                if len(cells) <= columns["text"]:
                    state.report(
                        where,
                        f"row has {len(cells)} field(s), but the `text` column "
                        f"is number {columns['text'] + 1}: check the quoting and "
                        "delimiters",
                    )
                    continue
                fields = {name: cells[i] for name, i in columns.items() if i < len(cells)}
                if "id" not in fields or not fields["id"].strip():
                    fields["id"] = f"{stem(path)}-row{row_number}"
                    if state.listener is not None:  # the id depends on the file's name
                        state.listener.named_after_file()
                for key in ("title", "published", "source", "url"):
                    if key in fields and not fields[key].strip():
                        del fields[key]
                meta = {"format": "csv", "encoding": codec, "row": row_number}
                article = state.make_article(fields, where, meta=meta, hint=hint)
                if article is not None:
                    yield article


def _columns(
    state: ReadState, names: list[str], origin: str, header: list[str], *, quiet: bool = False
) -> dict[str, int]:
    report = state.report if not quiet else lambda *_: None
    columns: dict[str, int] = {}
    for key, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            if alias in names:
                columns[key] = names.index(alias)
                if alias != key:
                    report(
                        origin,
                        f"using column {header[columns[key]].strip()!r} as `{key}`",
                        "warning",
                    )
                break
    if "text" not in columns:
        shown = ", ".join(h.strip() for h in header[:20]) or "none"
        raise Fault(
            "missing column: text (the article body). Columns found: "
            f"{shown}. Expected: id, title, published, source, url, text"
        )
    absent = [k for k in ("id", "published") if k not in columns]
    if absent:
        what = {
            "id": "rows get ids from the file name and row number",
            "published": "relative dates cannot be resolved",
        }
        report(
            origin,
            "missing column(s): "
            + ", ".join(absent)
            + " ("
            + "; ".join(what[k] for k in absent)
            + ")",
            "warning",
        )
    return columns


class _BoundedLines:
    """The lines of a text stream for the csv module, by ``readline()`` (which, unlike
    iterating, keeps ``tell()`` working), none held longer than *limit* characters.

    A longer line is read on in pieces and dropped, and the csv module is given an empty
    line instead; ``overlong`` then says that the current record had one (reset by
    :meth:`new_record`). A record spread over lines that together run over *limit* (an
    unclosed quote) ends the reading. ``last`` is the latest line read.

    Examples
    --------
    >>> lines = _BoundedLines(io.StringIO("a,b\\n" + "x" * 50 + "\\nc,d\\n"), 10)
    >>> rows = []
    >>> for row in csv.reader(lines):
    ...     rows.append((row, lines.overlong))
    ...     lines.new_record()
    >>> rows
    [(['a', 'b'], False), ([], True), (['c', 'd'], False)]
    """

    def __init__(self, stream: IO[str], limit: int) -> None:
        self.stream = stream
        self.limit = limit
        self.last = ""
        self.overlong = False
        self.held = 0  # characters of the current record

    def new_record(self) -> None:
        self.overlong = False
        self.held = 0

    def __iter__(self) -> _BoundedLines:
        return self

    def __next__(self) -> str:
        line = self.stream.readline(self.limit)
        if not line:
            raise StopIteration
        if len(line) >= self.limit and not line.endswith(("\n", "\r")):
            self.overlong = True
            while line and not line.endswith(("\n", "\r")):
                line = self.stream.readline(SAMPLE_BYTES)
            self.last = line
            return "\n"
        self.held += len(line)
        if self.held > self.limit:
            raise Fault(
                f"a row runs over {self.limit:,} characters on several lines (an "
                "unclosed quote?); the rest of the file was not read"
            )
        self.last = line
        return line


def _sniff_delimiter(header: str) -> str:
    known = {a for aliases in FIELD_ALIASES.values() for a in aliases}
    best, best_score = ",", -1
    for delimiter in (",", ";", "\t", "|"):
        names = next(csv.reader([header], delimiter=delimiter))
        score = sum(n.strip().lstrip("\ufeff").casefold() in known for n in names)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _raise_field_limit(max_bytes: int) -> None:
    # The csv module refuses fields over 128 KB by default; long articles need more.
    if csv.field_size_limit() < max_bytes + 1:
        csv.field_size_limit(max_bytes + 1)
