"""Text and Markdown files: optional YAML front matter, then the article's text.

Front matter keys ``title``, ``published``, ``source``, ``url`` and ``id`` are read; others
go to ``meta``. Without a ``title``, the first line becomes the title when it looks like
a heading (a Markdown ``#`` line, or a short line without final punctuation followed by a
blank line). The text is the body after the front matter, unchanged except for newlines.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .base import FIELD_ALIASES, ReadState, is_text
from .model import Article, Fault

__all__ = ["TextFormat"]

_MAX_FRONT_MATTER = 1 << 16


class TextFormat:
    """Text and Markdown (also files without an extension)."""

    name = "text"
    suffixes = (".md", ".markdown", ".txt", ".text", "")

    def read(self, state: ReadState, path: Path, st: os.stat_result, gz: bool) -> Iterator[Article]:
        text, meta = state.whole_file(path, st, gz, html=False)
        fields = _text_fields(text, meta)
        article = state.from_file(path, fields, meta, "add `published:` to the front matter")
        if article is not None:
            yield article


def _text_fields(text: str, meta: dict[str, Any]) -> dict[str, Any]:
    raw, body, body_line = _split_front_matter(text)
    fields: dict[str, Any] = {}
    if raw is not None:
        front = _load_front_matter(raw)
        for key, value in front.items():
            name = str(key).strip().casefold()
            if name in FIELD_ALIASES and name != "text":
                fields[name] = value
            elif isinstance(value, str | int | float | bool) or value is None:
                meta.setdefault(str(key), value)
        meta["body_line"] = body_line
    fields["text"] = body
    if not is_text(fields.get("title")) or not str(fields["title"]).strip():
        heading = _heading_title(body)
        if heading:
            fields["title"] = heading
    return fields


def _without_timestamps(loader: type) -> type:
    """A safe loader class that leaves dates as text (Frontline reads them itself)."""
    resolvers = {
        first: [(tag, rx) for tag, rx in entries if tag != "tag:yaml.org,2002:timestamp"]
        for first, entries in loader.yaml_implicit_resolvers.items()
    }
    return type("FrontMatterLoader", (loader,), {"yaml_implicit_resolvers": resolvers})


@functools.cache
def _front_matter_loader() -> type:
    """The YAML loader for front matter, made on first use: JSON Lines and CSV corpora
    never import yaml."""
    import yaml

    return _without_timestamps(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split ``---`` front matter off *text*: ``(yaml or None, body, body's first line)``."""
    first_end = text.find("\n")
    if first_end < 0 or text[:first_end].rstrip() != "---":
        return None, text, 1
    pos = first_end + 1
    line = 2
    while pos <= len(text):
        end = text.find("\n", pos)
        if end < 0:
            end = len(text)
        if text[pos:end].rstrip() in ("---", "..."):
            return text[first_end + 1 : pos], text[end + 1 :], line + 1
        if end - first_end > _MAX_FRONT_MATTER:
            raise Fault(
                f"front matter runs over {_MAX_FRONT_MATTER // 1024} KB: is its closing "
                "'---' line missing?"
            )
        pos = end + 1
        line += 1
    raise Fault(
        "front matter opened with '---' on line 1 is never closed: add a '---' line after it"
    )


def _load_front_matter(raw: str) -> dict:
    import yaml

    try:
        data = yaml.load(raw, Loader=_front_matter_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 2 if mark is not None else 2  # +1 for '---', +1 as lines count from 1
        what = f"{err.problem or 'invalid YAML'} (line {line}"
        if err.context and err.context_mark is not None and err.context_mark.line + 2 != line:
            what += f"; {err.context} on line {err.context_mark.line + 2}"
        raise Fault(
            f"front matter does not parse: {what}); check quotes and colons", origin=f":{line}"
        ) from err
    except yaml.YAMLError as err:
        raise Fault(f"front matter does not parse: {err}") from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise Fault("front matter must be 'key: value' lines (title, published, source, url)")
    return data


def _heading_title(body: str) -> str:
    """The first line of *body* when it looks like a heading, else ''."""
    stripped = body.lstrip("\n")
    end = stripped.find("\n")
    first = (stripped if end < 0 else stripped[:end]).strip()
    if first.startswith("#"):
        return first.lstrip("#").strip()
    if not first or len(first) > 150 or first[-1] in ".!?;:,":
        return ""
    rest = "" if end < 0 else stripped[end + 1 :]
    if end >= 0 and not rest.lstrip(" \t").startswith("\n") and rest.strip():
        return ""  # a heading stands alone: a blank line follows it
    return first
