"""HTML pages: main text, title, site name, canonical URL and publication date,
extracted offline with trafilatura; paragraphs are blank-line separated.

A page is looked at before it is parsed: a tag with over :data:`MAX_ATTRIBUTES`
attributes loses them (the parsers' cost grows with the square of one tag's attributes),
so no page can stall a run.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .base import ReadState
from .model import Article, Fault

__all__ = ["HtmlFormat", "MAX_ATTRIBUTES", "tame_tags"]


class HtmlFormat:
    """Web pages (``.html``, ``.htm``, ``.xhtml``)."""

    name = "html"
    suffixes = (".html", ".htm", ".xhtml")

    def read(self, state: ReadState, path: Path, st: os.stat_result, gz: bool) -> Iterator[Article]:
        text, meta = state.whole_file(path, st, gz, html=True)
        text, tamed = tame_tags(text)
        if tamed:
            state.report(
                str(path),
                f"{tamed} tag(s) with over {MAX_ATTRIBUTES} attributes: "
                "their attributes were ignored",
                "warning",
            )
        fields = _html_fields(text)
        article = state.from_file(path, fields, meta, "the page carries none in its metadata")
        if article is not None:
            yield article


#: A tag with more attributes than this loses them all before the page is parsed: the
#: parsers' cost grows with the square of one tag's attributes (40,000 took 17 s).
MAX_ATTRIBUTES = 100
_LONG_TAG = 2 * MAX_ATTRIBUTES  # characters under which a tag cannot hold that many
_TAG_NAME = re.compile(r"<[A-Za-z][^\s/>]*")
_TAG_REST = re.compile(r"""(?:[^>"']+|"[^"]*"|'[^']*')*""")
_ATTRIBUTE = re.compile(r"""[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']*))?""")


def tame_tags(html: str) -> tuple[str, int]:
    """*html* with the attributes of every tag that has over :data:`MAX_ATTRIBUTES` of
    them dropped, and how many tags lost them; in linear time.

    Examples
    --------
    >>> page = "<p id=1>a</p><div " + " ".join(f"a{i}" for i in range(101)) + ">b</div>"
    >>> tame_tags(page)
    ('<p id=1>a</p><div>b</div>', 1)
    """
    parts: list[str] = []
    copied = looked = tamed = 0  # html[:copied] is in parts; html[:looked] was looked at
    for m in _TAG_NAME.finditer(html):
        if m.start() < looked:
            continue  # a "<name" inside a tag already looked at (an attribute's value)
        rest = _TAG_REST.match(html, m.end())
        looked = rest.end() if rest is not None else m.end()
        if (
            looked - m.end() > _LONG_TAG
            and sum(
                1
                for _ in itertools.islice(
                    _ATTRIBUTE.finditer(html, m.end(), looked), MAX_ATTRIBUTES + 1
                )
            )
            > MAX_ATTRIBUTES
        ):
            parts.append(html[copied : m.end()])
            copied, tamed = looked, tamed + 1
    if not tamed:
        return html, 0
    parts.append(html[copied:])
    return "".join(parts), tamed


def _html_fields(html: str) -> dict[str, Any]:
    """Main text and metadata of a web page, offline, with trafilatura."""
    import trafilatura  # imported here: importing frontline stays fast

    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={
                "extensive_search": True,
                "original_date": True,
                "outputformat": "%Y-%m-%d",
            },
        )
    except (ValueError, TypeError, AttributeError, RecursionError, LookupError) as err:
        raise Fault(f"HTML cannot be parsed ({type(err).__name__}: {err})") from err
    fields: dict[str, Any] = {}
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        text = trafilatura.html2txt(html) or ""
    fields["text"] = re.sub(r"\n+", "\n\n", text.strip())
    if doc is not None:
        for key, attr in (
            ("title", "title"),
            ("published", "date"),
            ("source", "sitename"),
            ("url", "url"),
        ):
            value = getattr(doc, attr, None)
            if value:
                fields[key] = value
    return fields
