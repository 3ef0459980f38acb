"""JSON Lines files (``.jsonl``, ``.ndjson``): one JSON object, one article, per line.

Fields ``id``, ``title``, ``published``, ``source``, ``url``, ``text``, or the names exports
use for them (see :data:`~frontline.readers.base.FIELD_ALIASES`). Lines are read one at a
time, none held longer than the limit; a bad line is reported and the rest read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from .base import ReadState, Resume, RowFormat, RowWatcher, stem
from .decoding import open_binary, read_lines
from .model import Article

__all__ = ["JsonLinesFormat"]


class JsonLinesFormat(RowFormat):
    """JSON Lines: one article per line."""

    name = "jsonl"
    suffixes = (".jsonl", ".ndjson")

    def read_rows(
        self,
        state: ReadState,
        path: Path,
        gz: bool,
        *,
        resume: Resume | None = None,
        watcher: RowWatcher | None = None,
    ) -> Iterator[Article]:
        """The articles of a JSON Lines file.

        *resume* ``(offset, line number, codec)`` starts reading at a line boundary
        (without detecting the encoding again); the *watcher* is given every chunk of
        bytes read, in order (not for UTF-16, which is read as text).
        """
        sink = watcher.bytes_read if watcher is not None else None
        if resume is None:
            with state.open_rows(path, gz) as (f, codec):
                yield from _rows(state, path, f, codec, 1, sink)
        else:
            offset, first, codec = resume
            with open_binary(path, gz) as f:
                f.seek(offset)
                yield from _rows(state, path, f, codec, first, sink)


def _rows(
    state: ReadState,
    path: Path,
    f: IO[bytes],
    codec: str,
    first: int,
    sink: Callable[[bytes], Any] | None,
) -> Iterator[Article]:
    origin = str(path)
    hint = "add a `published` field"
    lines = read_lines(f, codec, state.max_bytes + 1, first=first, sink=sink)
    for number, line in lines:
        where = f"{origin}:{number}"
        if line is None:
            state.report(where, state.too_big(f"line over {state.max_bytes:,} bytes"))
            continue
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            state.report(where, f"invalid JSON: {err.msg} (column {err.colno})")
            continue
        except RecursionError:
            state.report(where, "invalid JSON: nested too deeply")
            continue
        if not isinstance(row, dict):
            state.report(
                where, 'not a JSON object: each line must be one article {"id": ..., "text": ...}'
            )
            continue
        fields = state.map_fields(row, where)
        if fields is None:
            continue
        if "id" not in fields:
            fields["id"] = f"{stem(path)}-{number}"
            if state.listener is not None:  # the id depends on the file's name
                state.listener.named_after_file()
        meta = {"format": "jsonl", "encoding": codec, "line": number}
        article = state.make_article(fields, where, meta=meta, hint=hint)
        if article is not None:
            yield article
