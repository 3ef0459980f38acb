"""Readers per format, behind one interface (as geopandas' ``io`` package).

Each format is one module whose reader class follows
:class:`~frontline.readers.base.FormatReader`: :mod:`.text` (text and Markdown),
:mod:`.html_page` (HTML), :mod:`.jsonl` (JSON Lines) and :mod:`.csv_rows` (CSV and TSV);
:mod:`.walk` maps file name endings to them (adding a format is adding a module and a
line there). They share :mod:`.base` (the state of one read, field names, building an
article), :mod:`.decoding` (bytes to text), :mod:`.dates` (publication dates),
:mod:`.ids` (safe ids) and :mod:`.model` (articles and problems). The public entry points
are in :mod:`frontline.articles`.
"""

from .base import FormatReader, ReadListener, ReadState, RowFormat, RowsHook, RowWatcher
from .dates import parse_published
from .decoding import detect_encoding
from .ids import safe_article_id
from .model import DEFAULT_MAX_BYTES, Article, Fault, InputPaths, Problem, ProblemLog, Severity
from .walk import ARTICLE_SUFFIXES, FORMATS, Reader, as_paths

__all__ = [
    "ARTICLE_SUFFIXES",
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "Article",
    "Fault",
    "FormatReader",
    "InputPaths",
    "Problem",
    "ProblemLog",
    "ReadListener",
    "ReadState",
    "Reader",
    "RowFormat",
    "RowWatcher",
    "RowsHook",
    "Severity",
    "as_paths",
    "detect_encoding",
    "parse_published",
    "safe_article_id",
]
