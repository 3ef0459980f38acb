"""Walking the inputs: files and folders to articles, each file by its format's reader.

Folders are walked recursively in sorted order (symbolic link loops are detected, hidden
entries ignored); each file goes to the reader of its extension (:data:`FORMATS`; each
also gzipped, ``.gz``), or with a :class:`~frontline.readers.base.RowsHook` (the result
cache's file manifests), row files go through it.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .base import FormatReader, ReadState, RowFormat, RowsHook
from .csv_rows import CsvFormat
from .decoding import os_message
from .html_page import HtmlFormat
from .jsonl import JsonLinesFormat
from .model import Article, Fault, InputPaths, Problem
from .text import TextFormat

__all__ = ["ARTICLE_SUFFIXES", "FORMATS", "Reader", "as_paths", "format_of"]

_READERS: tuple[FormatReader, ...] = (
    TextFormat(),
    HtmlFormat(),
    JsonLinesFormat(),
    CsvFormat(),
    CsvFormat(tab=True),
)
#: The reader of each file name ending (``""``: no extension, and the fallback).
FORMATS: dict[str, FormatReader] = {s: r for r in _READERS for s in r.suffixes}
#: File name endings the readers recognise (each may also end in ``.gz``).
ARTICLE_SUFFIXES = tuple(s for s in FORMATS if s)


def as_paths(inputs: InputPaths) -> list[Path]:
    """*inputs* as a list of paths."""
    if isinstance(inputs, str | os.PathLike):
        return [Path(inputs)]
    return [Path(p) for p in inputs]


def format_of(path: Path) -> tuple[FormatReader | None, bool, str]:
    """``(reader or None, gzipped, extension)`` of a file name."""
    name = path.name.casefold()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    ext = os.path.splitext(name)[1]
    return FORMATS.get(ext), gz, ext


class Reader(ReadState):
    """One read of files and folders: the state, and the files already seen."""

    def __init__(
        self,
        *,
        on_problem: Callable[[Problem], Any] | None,
        max_bytes: int,
        today: dt.date | None,
        rows_hook: RowsHook | None = None,
    ) -> None:
        super().__init__(on_problem=on_problem, max_bytes=max_bytes, today=today)
        self.files: dict[tuple[int, int], str] = {}
        self.candidates = 0  # article files met, read or not
        self.rows_hook = rows_hook

    def read_inputs(self, paths: list[Path]) -> Iterator[Article]:
        for path in paths:
            try:
                st = path.stat()
            except FileNotFoundError:
                if path.is_symlink():
                    self.report(str(path), "broken symbolic link: its target does not exist")
                else:
                    self.report(str(path), f"no such file or folder: {path}")
                continue
            except OSError as err:
                self.report(str(path), os_message(err))
                continue
            if stat.S_ISDIR(st.st_mode):
                before = self.candidates
                yield from self.read_folder(path, [(st.st_dev, st.st_ino)])
                if self.candidates == before:
                    self.report(
                        str(path),
                        "no article files in this folder (looked for "
                        + ", ".join(ARTICLE_SUFFIXES)
                        + ", also gzipped)",
                    )
            else:
                yield from self.read_file(path, st, explicit=True)

    def read_folder(self, folder: Path, ancestors: list[tuple[int, int]]) -> Iterator[Article]:
        try:
            with os.scandir(folder) as it:
                names = sorted(e.name for e in it)
        except OSError as err:
            self.report(str(folder), os_message(err))
            return
        for name in names:
            if name.startswith("."):
                continue
            path = folder / name
            try:
                st = path.stat()
            except FileNotFoundError:
                self.report(str(path), "broken symbolic link: its target does not exist")
                continue
            except OSError as err:
                self.report(str(path), os_message(err))
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in ancestors:
                    self.report(
                        str(path),
                        "symbolic link loop: it points back to a folder "
                        f"being read ({os.path.realpath(path)})",
                        "skipped",
                    )
                    continue
                yield from self.read_folder(path, [*ancestors, key])
            elif stat.S_ISREG(st.st_mode):
                yield from self.read_file(path, st, explicit=False)
            else:
                self.report(str(path), "not a regular file (device, pipe or socket)", "skipped")

    # -- one file --------------------------------------------------------------------
    def read_file(self, path: Path, st: os.stat_result, *, explicit: bool) -> Iterator[Article]:
        origin = str(path)
        if not stat.S_ISREG(st.st_mode):
            self.report(origin, "not a regular file (device, pipe or socket)", "skipped")
            return
        fmt, gz, ext = format_of(path)
        if fmt is None:
            if not explicit:
                self.report(
                    origin, f"not an article format ({ext or path.suffix}); skipped", "skipped"
                )
                return
            self.report(origin, f"unknown extension {ext!r}: read as plain text", "warning")
            fmt = FORMATS[""]
        self.candidates += 1
        key = (st.st_dev, st.st_ino)
        if key in self.files:
            self.report(origin, f"same file as {self.files[key]}, already read", "skipped")
            return
        self.files[key] = origin
        try:
            if self.rows_hook is not None and isinstance(fmt, RowFormat):
                yield from self.rows_hook.read_rows(self, fmt, path, st, gz=gz)
            else:
                yield from fmt.read(self, path, st, gz)
        except Fault as fault:
            self.report(origin + (fault.origin or ""), fault.message, fault.severity)
        except OSError as err:
            self.report(origin, os_message(err))
        except (EOFError, zlib.error) as err:
            self.report(origin, f"damaged gzip data ({err}): the rest of the file was not read")
