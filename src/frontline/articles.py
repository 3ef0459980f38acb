"""Articles and the readers that turn files into them.

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

import codecs
import contextlib
import csv
import datetime as dt
import errno
import functools
import gzip
import hashlib
import io
import json
import logging
import os
import re
import stat
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from .errors import ArticleFormatError, InputNotFoundError
from .outputs import printable_text

__all__ = [
    "Article",
    "Problem",
    "ProblemLog",
    "Severity",
    "DEFAULT_MAX_BYTES",
    "ARTICLE_SUFFIXES",
    "iter_articles",
    "load_articles",
    "read_article",
    "parse_published",
    "safe_article_id",
]

log = logging.getLogger(__name__)

Severity = Literal["error", "warning", "skipped"]
InputPaths = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]

#: Largest article (a whole file, or one JSONL line / CSV row) read by default, in bytes.
DEFAULT_MAX_BYTES = 10_000_000

_TEXT = "text"
_HTML = "html"
_JSONL = "jsonl"
_CSV = "csv"
_FORMATS = {
    ".md": _TEXT, ".markdown": _TEXT, ".txt": _TEXT, ".text": _TEXT, "": _TEXT,
    ".html": _HTML, ".htm": _HTML, ".xhtml": _HTML,
    ".jsonl": _JSONL, ".ndjson": _JSONL,
    ".csv": _CSV, ".tsv": _CSV,
}
#: File name endings the readers recognise (each may also end in ``.gz``).
ARTICLE_SUFFIXES = tuple(s for s in _FORMATS if s)

_SAMPLE = 1 << 16  # bytes looked at to sniff binary content and the encoding of a stream
_MAX_FRONT_MATTER = 1 << 16
_CANDIDATE_ENCODINGS = ["cp1251", "koi8_r", "koi8_u", "cp866", "iso8859_5", "mac_cyrillic",
                        "cp1252", "utf_16", "utf_8"]
_MAGIC = {
    b"%PDF": "a PDF document", b"PK\x03\x04": "a ZIP archive (.docx, .xlsx, .odt...)",
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document", b"\x7fELF": "a program",
    b"{\\rtf": "an RTF document", b"SQLite format 3": "an SQLite database",
    b"\x1f\x8b": "gzip data without a .gz extension", b"BZh": "bzip2 data",
    b"\xfd7zXZ": "xz data", b"7z\xbc\xaf": "a 7-Zip archive",
}


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
            raise ArticleFormatError(self.origin or self.article_id, f"published: {err}") \
                from None
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


class _Fault(Exception):
    """Internal: one problem that ends the reading of the current file or row."""

    def __init__(self, message: str, *, origin: str | None = None,
                 severity: Severity = "error") -> None:
        super().__init__(message)
        self.message = message
        self.origin = origin
        self.severity = severity


# ---------------------------------------------------------------------------------------
# Public entry points


def iter_articles(inputs: InputPaths, *, on_problem: Callable[[Problem], Any] | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES,
                  today: dt.date | None = None) -> Iterator[Article]:
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
    yield from _read_inputs(inputs, on_problem=on_problem, max_bytes=max_bytes, today=today)


def _read_inputs(inputs: InputPaths, *, on_problem: Callable[[Problem], Any] | None,
                 max_bytes: int, today: dt.date | None, rows_hook: Any = None
                 ) -> Iterator[Article]:
    """:func:`iter_articles`, checking *max_bytes* at once; *rows_hook* (the result
    cache's file manifests) reads the JSON Lines and CSV files."""
    if max_bytes <= 0:
        raise ValueError(f"max_bytes must be positive, not {max_bytes}")
    reader = _Reader(on_problem=on_problem, max_bytes=max_bytes, today=today,
                     rows_hook=rows_hook)
    return reader.read_inputs(_as_paths(inputs))


def load_articles(inputs: InputPaths, *, on_problem: Callable[[Problem], Any] | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES,
                  today: dt.date | None = None) -> list[Article]:
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


# ---------------------------------------------------------------------------------------
# Publication dates

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
    # Ukrainian and Russian month names, nominative and genitive ("12 листопада 2022")
    "січень": 1, "січня": 1, "лютий": 2, "лютого": 2, "березень": 3, "березня": 3,
    "квітень": 4, "квітня": 4, "травень": 5, "травня": 5, "червень": 6, "червня": 6,
    "липень": 7, "липня": 7, "серпень": 8, "серпня": 8, "вересень": 9, "вересня": 9,
    "жовтень": 10, "жовтня": 10, "листопад": 11, "листопада": 11, "грудень": 12,
    "грудня": 12,
    "январь": 1, "января": 1, "февраль": 2, "февраля": 2, "март": 3, "марта": 3,
    "апрель": 4, "апреля": 4, "май": 5, "мая": 5, "июнь": 6, "июня": 6, "июль": 7,
    "июля": 7, "август": 8, "августа": 8, "сентябрь": 9, "сентября": 9, "октябрь": 10,
    "октября": 10, "ноябрь": 11, "ноября": 11, "декабрь": 12, "декабря": 12,
}
_FILLER = frozenset("""mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri
    friday sat saturday sun sunday published updated posted on at the of date
    року г года""".split())
_ISO_LIKE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])")
_NUMERIC_DMY = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?![\d])")
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_MAX_DATE_CHARS = 80


def parse_published(value: object) -> dt.date | None:
    """Read a publication date from the forms articles and exports use.

    ISO dates and date-times (the date as written, whatever the time zone),
    ``20221112``, ``12.11.2022``, ``12 November 2022``, ``Nov. 12, 2022``,
    ``Sat, 12 Nov 2022 08:00:00 +0000``, Ukrainian/Russian month names, Unix timestamps.
    Slash dates are read day-first or month-first only when unambiguous.

    Returns
    -------
    datetime.date or None
        None for an empty value.

    Raises
    ------
    ValueError
        The value is not a date (the message says what was expected).

    Examples
    --------
    >>> parse_published("2022-11-12T23:30:00-05:00")
    datetime.date(2022, 11, 12)
    >>> parse_published("Nov 12, 2022"), parse_published("12 листопада 2022")
    (datetime.date(2022, 11, 12), datetime.date(2022, 11, 12))
    >>> parse_published("11/12/2022")
    Traceback (most recent call last):
    ...
    ValueError: ambiguous date '11/12/2022': write it as 2022-11-12 or 2022-12-11
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"not a date: {value!r}")
    if isinstance(value, int | float):
        return _from_number(value)
    if not isinstance(value, str):
        raise ValueError(f"not a date: a {type(value).__name__}, expected text such as 2022-11-12")
    text = value.strip()
    if not text:
        return None
    shown = text if len(text) <= _MAX_DATE_CHARS else text[:_MAX_DATE_CHARS] + "..."
    if len(text) > _MAX_DATE_CHARS:
        raise ValueError(f"not a date: {shown!r} is too long")
    if text.isdigit():
        if len(text) == 8:
            return _make_date(int(text[:4]), int(text[4:6]), int(text[6:]), shown)
        return _from_number(int(text))
    if m := _ISO_LIKE.match(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), shown)
    if m := _NUMERIC_DMY.match(text):
        first, second, year = int(m[1]), int(m[3]), int(m[4])
        if m[2] != "/" or first > 12:
            return _make_date(year, second, first, shown)  # 12.11.2022: day first
        if second > 12:
            return _make_date(year, first, second, shown)  # 11/22/2022: month first
        if first == second:
            return _make_date(year, first, first, shown)
        raise ValueError(f"ambiguous date {shown!r}: write it as {year}-{first:02d}-{second:02d}"
                         f" or {year}-{second:02d}-{first:02d}")
    return _from_words(text, shown)


def _from_words(text: str, shown: str) -> dt.date:
    day = month = year = None
    for token in _TOKEN.findall(text.casefold()):
        if day is not None and month is not None and year is not None:
            break  # a time or zone after a complete date
        if token.isdigit():
            number = int(token)
            if len(token) == 4 and year is None:
                year = number
            elif len(token) <= 2 and day is None and 1 <= number <= 31:
                day = number
            else:
                raise ValueError(f"not a date: {shown!r}")
        elif token in _MONTHS and month is None:
            month = _MONTHS[token]
        elif token in ("st", "nd", "rd", "th") or token in _FILLER:
            continue
        else:
            raise ValueError(f"not a date: {shown!r} (expected a form such as 2022-11-12)")
    if day is None or month is None or year is None:
        if year is not None and day is None:
            raise ValueError(f"not a full date: {shown!r} has no day; write 2022-11-12")
        # email dates and the like
        try:
            import email.utils  # only for the rare RFC 2822 date: kept off the start-up

            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
        if parsed is None:
            raise ValueError(f"not a date: {shown!r} (expected a form such as 2022-11-12)")
        return _make_date(parsed.year, parsed.month, parsed.day, shown)
    return _make_date(year, month, day, shown)


def _from_number(number: float) -> dt.date:
    if 1e12 <= number < 1e14:
        number /= 1000  # milliseconds
    if not 1e8 <= number < 1e10:
        raise ValueError(f"not a date: {number!r} (expected text such as 2022-11-12)")
    return dt.datetime.fromtimestamp(number, tz=dt.UTC).date()


def _make_date(year: int, month: int, day: int, shown: str) -> dt.date:
    if not 1900 <= year <= 2200:
        raise ValueError(f"not a plausible publication date: {shown!r}")
    try:
        return dt.date(year, month, day)
    except ValueError as err:
        raise ValueError(f"not a date: {shown!r} ({err})") from err


# ---------------------------------------------------------------------------------------
# Article ids

_UNSAFE_ID_CHARS = frozenset('/\\:*?"<>|')
_RESERVED_NAMES = frozenset(
    "con prn aux nul com1 com2 com3 com4 com5 com6 com7 com8 com9 lpt1 lpt2 lpt3 lpt4 lpt5 "
    "lpt6 lpt7 lpt8 lpt9".split())
_SAFE_ID = re.compile(r"[A-Za-z0-9_~+@][A-Za-z0-9._~+@ -]{0,99}")
_DOTS = re.compile(r"\.{2,}")
_MAX_ID_CHARS = 100


def safe_article_id(raw: object) -> str:
    """Turn any id or file stem into one that is safe as a file name.

    No path separators, no ``..``, no control or invisible formatting characters, no
    leading dot or dash, at most 100 characters (longer ids end in a hash of the whole, so
    distinct ids stay distinct). Letters of any script are kept.

    Examples
    --------
    >>> safe_article_id("../../etc/passwd")
    'etc_passwd'
    >>> safe_article_id("Київ 2022-11-12")
    'Київ 2022-11-12'
    >>> safe_article_id("a\\x00b\\\\c")
    'a_b_c'
    >>> safe_article_id("")
    'article'
    """
    text = raw if isinstance(raw, str) else str(raw)
    if _SAFE_ID.fullmatch(text) and ".." not in text and text[-1] not in ". ":
        return text if text.casefold() not in _RESERVED_NAMES else text + "_"
    text = unicodedata.normalize("NFC", text)
    chars = []
    for ch in text:
        if ch in _UNSAFE_ID_CHARS or ch.isspace() and ch != " ":
            chars.append("_")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            chars.append("_")
        else:
            chars.append(ch)
    cleaned = _DOTS.sub(".", "".join(chars))
    cleaned = cleaned.strip(" ._-").strip()
    if not cleaned:
        return "article"
    if len(cleaned) > _MAX_ID_CHARS:
        digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        cleaned = cleaned[: _MAX_ID_CHARS - 11].rstrip(" ._-") + "-" + digest
    if cleaned.split(".")[0].casefold() in _RESERVED_NAMES:
        cleaned += "_"
    return cleaned


# ---------------------------------------------------------------------------------------
# Decoding


def _sniff_binary(sample: bytes) -> str | None:
    """Name the kind of binary file *sample* starts, or None if it may be text."""
    for magic, kind in _MAGIC.items():
        if sample.startswith(magic):
            return kind
    return None


def _bom_encoding(sample: bytes) -> str | None:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when *sample* reads as UTF-16 text without a byte order mark.

    In UTF-16 the NUL bytes of ASCII characters all fall on one parity (odd offsets for
    little-endian); binary data scatters them.
    """
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd > 19 * even:
        codec = "utf-16-le"
    elif even > 19 * odd:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = sample[: len(sample) // 2 * 2].decode(codec)
    except UnicodeDecodeError:
        return None
    controls = len(_CONTROL.findall(text))
    return codec if controls <= 0.01 * len(text) else None


_META_CHARSET = re.compile(rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})",
                           re.IGNORECASE)


def _declared_html_charset(sample: bytes) -> str | None:
    m = _META_CHARSET.search(sample[:4096])
    if not m:
        return None
    try:
        return codecs.lookup(m[1].decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def _detect_encoding(sample: bytes, *, html: bool = False, final: bool = True
                     ) -> tuple[str, str | None]:
    """Choose the codec for *sample*; return ``(codec, warning or None)``.

    Raises ``_Fault`` for binary or undecodable content.
    """
    kind = _sniff_binary(sample)
    if kind:
        raise _Fault(f"binary file ({kind}), not an article: convert it to text first")
    bom = _bom_encoding(sample)
    if bom:
        return bom, None
    if b"\x00" in sample:
        utf16 = _utf16_without_bom(sample)
        if utf16:
            return utf16, f"no byte order mark: read as {utf16.upper()}; save it as UTF-8"
        raise _Fault("binary file (it contains NUL bytes), not an article")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=final)
        return "utf-8", None
    except UnicodeDecodeError:
        pass
    if html:
        declared = _declared_html_charset(sample)
        if declared:
            return declared, None
    from charset_normalizer import from_bytes  # imported here: importing frontline stays fast

    best = from_bytes(sample, cp_isolation=_CANDIDATE_ENCODINGS).best()
    if best is None:
        raise _Fault("cannot tell the text encoding (not UTF-8, nor a known Cyrillic or "
                     "Western encoding): save the file as UTF-8")
    codec = codecs.lookup(best.encoding).name
    return codec, f"not UTF-8: read as {codec} (detected); save it as UTF-8 to be sure"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _decode(data: bytes, *, html: bool = False) -> tuple[str, str, str | None]:
    """Decode a whole file; return ``(text, codec, warning or None)``."""
    codec, warning = _detect_encoding(data[:_SAMPLE] if len(data) > _SAMPLE else data,
                                      html=html, final=len(data) <= _SAMPLE)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as err:
        if codec == "utf-8" and len(data) > _SAMPLE:
            codec, warning = _detect_encoding(data, html=html)
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as err2:
                raise _undecodable(codec, err2) from err2
        else:
            raise _undecodable(codec, err) from err
    if warning and len(_CONTROL.findall(text, 0, 10_000)) > 0.01 * min(len(text), 10_000):
        raise _Fault("binary file (control characters in any encoding), not an article")
    return _normalize_newlines(text.removeprefix("\ufeff")), codec, warning


def _undecodable(codec: str, err: UnicodeDecodeError) -> _Fault:
    return _Fault(f"cannot decode byte 0x{err.object[err.start]:02x} at offset {err.start} "
                  f"as {codec}: save the file as UTF-8")


def _normalize_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


_WEB_URL = re.compile(r"https?://[^\s]", re.IGNORECASE)


def _has_surrogates(text: str) -> bool:
    """Whether *text* holds a lone surrogate, the mark of bytes that did not decode.

    Surrogates are the only code points UTF-8 cannot encode, so trying to encode is the
    test: ~10 times faster than searching a 3 kB article with a regular expression.

    Examples
    --------
    >>> _has_surrogates("Київ"), _has_surrogates(b"caf\\xe9".decode("utf-8", "surrogateescape"))
    (False, True)
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# ---------------------------------------------------------------------------------------
# Front matter and titles


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
            return text[first_end + 1:pos], text[end + 1:], line + 1
        if end - first_end > _MAX_FRONT_MATTER:
            raise _Fault(f"front matter runs over {_MAX_FRONT_MATTER // 1024} KB: is its closing "
                         "'---' line missing?")
        pos = end + 1
        line += 1
    raise _Fault("front matter opened with '---' on line 1 is never closed: add a '---' line "
                 "after it")


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
        raise _Fault(f"front matter does not parse: {what}); check quotes and colons",
                     origin=f":{line}") from err
    except yaml.YAMLError as err:
        raise _Fault(f"front matter does not parse: {err}") from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _Fault("front matter must be 'key: value' lines (title, published, source, url)")
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
    rest = "" if end < 0 else stripped[end + 1:]
    if end >= 0 and not rest.lstrip(" \t").startswith("\n") and rest.strip():
        return ""  # a heading stands alone: a blank line follows it
    return first


# ---------------------------------------------------------------------------------------
# The reader


_FIELD_ALIASES = {
    "id": ("id", "article_id", "uid", "guid", "doc_id"),
    "title": ("title", "headline", "heading"),
    "published": ("published", "date", "published_at", "pubdate", "publication_date",
                  "datetime", "date_published"),
    "source": ("source", "outlet", "publisher", "site", "sitename"),
    "url": ("url", "link", "href"),
    "text": ("text", "body", "content", "article", "full_text", "maintext"),
}
_FIELDS = tuple(_FIELD_ALIASES)


def _as_paths(inputs: InputPaths) -> list[Path]:
    if isinstance(inputs, str | os.PathLike):
        return [Path(inputs)]
    return [Path(p) for p in inputs]


def _format_of(path: Path) -> tuple[str | None, bool, str]:
    """``(format or None, gzipped, extension)`` of a file name."""
    name = path.name.casefold()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    ext = os.path.splitext(name)[1]
    return _FORMATS.get(ext), gz, ext


def _stem(path: Path) -> str:
    """The file name without its extensions, for ids; bytes of a name that were not UTF-8
    are written ``\\xNN`` (the id of ``café.md`` saved in Latin-1 is ``caf_xe9``)."""
    name = path.name
    if name.casefold().endswith(".gz"):
        name = name[:-3]
    return printable_text(os.path.splitext(name)[0] or name)


class _Reader:
    """State of one read: the callback, the limits, the ids and files already seen."""

    def __init__(self, *, on_problem: Callable[[Problem], Any] | None, max_bytes: int,
                 today: dt.date | None, rows_hook: Any = None) -> None:
        self.on_problem = on_problem
        self.max_bytes = max_bytes
        self.today = today or dt.date.today()
        self.ids: dict[str, str] = {}  # id -> origin of its first use
        self.files: dict[tuple[int, int], str] = {}
        self.candidates = 0  # article files met, read or not
        # The result cache's file manifests (see frontline.manifests.FileManifests): they read
        # JSON Lines and CSV files, and watch what the reader reports and which ids it
        # checks.
        self.rows_hook = rows_hook
        self.listener: Any = None

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

    # -- walking ---------------------------------------------------------------------
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
                self.report(str(path), _os_message(err))
                continue
            if stat.S_ISDIR(st.st_mode):
                before = self.candidates
                yield from self.read_folder(path, [(st.st_dev, st.st_ino)])
                if self.candidates == before:
                    self.report(str(path), "no article files in this folder (looked for "
                                + ", ".join(ARTICLE_SUFFIXES) + ", also gzipped)")
            else:
                yield from self.read_file(path, st, explicit=True)

    def read_folder(self, folder: Path, ancestors: list[tuple[int, int]]) -> Iterator[Article]:
        try:
            with os.scandir(folder) as it:
                names = sorted(e.name for e in it)
        except OSError as err:
            self.report(str(folder), _os_message(err))
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
                self.report(str(path), _os_message(err))
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in ancestors:
                    self.report(str(path), "symbolic link loop: it points back to a folder "
                                f"being read ({os.path.realpath(path)})", "skipped")
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
        fmt, gz, ext = _format_of(path)
        if fmt is None:
            if not explicit:
                self.report(origin, f"not an article format ({ext or path.suffix}); skipped",
                            "skipped")
                return
            self.report(origin, f"unknown extension {ext!r}: read as plain text", "warning")
            fmt = _TEXT
        self.candidates += 1
        key = (st.st_dev, st.st_ino)
        if key in self.files:
            self.report(origin, f"same file as {self.files[key]}, already read", "skipped")
            return
        self.files[key] = origin
        try:
            if self.rows_hook is not None and fmt in (_JSONL, _CSV):
                kind = "tsv" if ext == ".tsv" else fmt
                yield from self.rows_hook.read_rows(self, path, st, kind=kind, gz=gz)
            elif fmt == _JSONL:
                yield from self.read_jsonl(path, gz)
            elif fmt == _CSV:
                yield from self.read_csv(path, gz, tab=ext == ".tsv")
            else:
                article = self.read_whole(path, st, gz, html=fmt == _HTML)
                if article is not None:
                    yield article
        except _Fault as fault:
            self.report(origin + (fault.origin or ""), fault.message, fault.severity)
        except OSError as err:
            self.report(origin, _os_message(err))
        except (EOFError, zlib.error) as err:
            self.report(origin, f"damaged gzip data ({err}): the rest of the file was not read")

    def read_whole(self, path: Path, st: os.stat_result, gz: bool, *, html: bool
                   ) -> Article | None:
        origin = str(path)
        if not gz and st.st_size > self.max_bytes:
            raise _Fault(self._too_big(f"{st.st_size:,} bytes"))
        with _open_binary(path, gz) as f:
            data = f.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise _Fault(self._too_big(f"over {self.max_bytes:,} bytes uncompressed"))
        text, codec, warning = _decode(data, html=html)
        if warning:
            self.report(origin, warning, "warning")
        meta: dict[str, Any] = {"format": "html" if html else "text", "encoding": codec}
        if html:
            fields = _html_fields(text)
            hint = "the page carries none in its metadata"
        else:
            fields = self._text_fields(text, origin, meta)
            hint = "add `published:` to the front matter"
        from_name = "id" not in fields
        fields.setdefault("id", _stem(path))
        return self.make_article(fields, origin, meta=meta, hint=hint, id_from_name=from_name)

    def _text_fields(self, text: str, origin: str, meta: dict[str, Any]) -> dict[str, Any]:
        raw, body, body_line = _split_front_matter(text)
        fields: dict[str, Any] = {}
        if raw is not None:
            front = _load_front_matter(raw)
            for key, value in front.items():
                name = str(key).strip().casefold()
                if name in _FIELDS and name != "text":
                    fields[name] = value
                elif isinstance(value, str | int | float | bool) or value is None:
                    meta.setdefault(str(key), value)
            meta["body_line"] = body_line
        fields["text"] = body
        if not _is_text(fields.get("title")) or not str(fields["title"]).strip():
            heading = _heading_title(body)
            if heading:
                fields["title"] = heading
        return fields

    def _too_big(self, size: str) -> str:
        return (f"too large for an article ({size}; the limit is {self.max_bytes:,}): "
                "split it, or raise the limit (max_bytes=..., CLI --max-bytes)")

    # -- row formats -----------------------------------------------------------------
    @contextlib.contextmanager
    def _open_rows(self, path: Path, gz: bool) -> Iterator[tuple[IO[bytes], str]]:
        """Open a JSONL or CSV file; its encoding comes from the first bytes, reported
        when it is a guess."""
        with _open_binary(path, gz) as f:
            sample = f.peek(_SAMPLE)[:_SAMPLE] if hasattr(f, "peek") else b""
            codec, warning = _detect_encoding(sample, final=False)
            if warning:
                self.report(str(path), warning, "warning")
            yield f, codec

    def read_jsonl(self, path: Path, gz: bool, *, resume: tuple[int, int, str] | None = None,
                   sink: Callable[[bytes], Any] | None = None) -> Iterator[Article]:
        """The articles of a JSON Lines file.

        *resume* ``(offset, line number, codec)`` starts reading at a line boundary
        (without detecting the encoding again); *sink* is called with every chunk of bytes
        read, in order (not for UTF-16, which is read as text).
        """
        if resume is None:
            with self._open_rows(path, gz) as (f, codec):
                yield from self._jsonl_rows(path, f, codec, 1, sink)
        else:
            offset, first, codec = resume
            with _open_binary(path, gz) as f:
                f.seek(offset)
                yield from self._jsonl_rows(path, f, codec, first, sink)

    def _jsonl_rows(self, path: Path, f: IO[bytes], codec: str, first: int,
                    sink: Callable[[bytes], Any] | None) -> Iterator[Article]:
        origin = str(path)
        hint = "add a `published` field"
        lines = _lines(f, codec, self.max_bytes + 1, first=first, sink=sink)
        for number, line in lines:
            where = f"{origin}:{number}"
            if line is None:
                self.report(where, self._too_big(f"line over {self.max_bytes:,} bytes"))
                continue
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                self.report(where, f"invalid JSON: {err.msg} (column {err.colno})")
                continue
            except RecursionError:
                self.report(where, "invalid JSON: nested too deeply")
                continue
            if not isinstance(row, dict):
                self.report(where, "not a JSON object: each line must be one article "
                            '{"id": ..., "text": ...}')
                continue
            fields = self._map_fields(row, where)
            if fields is None:
                continue
            if "id" not in fields:
                fields["id"] = f"{_stem(path)}-{number}"
                if self.listener is not None:  # the id depends on the file's name
                    self.listener.named_after_file()
            meta = {"format": "jsonl", "encoding": codec, "line": number}
            article = self.make_article(fields, where, meta=meta, hint=hint)
            if article is not None:
                yield article

    def read_csv(self, path: Path, gz: bool, *, tab: bool,
                 resume: tuple[int, int, str] | None = None,
                 track: Callable[[int, bool, int], Any] | None = None) -> Iterator[Article]:
        """The articles of a CSV (or, with *tab*, TSV) file.

        *resume* ``(offset, row number, codec)`` goes on from the end of a record (the
        header is read again, its problems not reported again); *track* is called after
        each record, the header included, with the position after it (a byte offset for a
        decoder without state), whether it ended a line and its row number.
        """
        origin = str(path)
        hint = "add a `published` column"
        if resume is None:
            opened = self._open_rows(path, gz)
        else:
            opened = _opened_as(path, gz, resume[2])
        with opened as (f, codec):
            errors = "replace" if codec.startswith("utf-16") else "surrogateescape"
            stream = io.TextIOWrapper(f, encoding=codec, errors=errors, newline="")
            header_line = stream.readline(1 << 20)
            if not header_line.strip():
                raise _Fault("empty CSV file: no header row", severity="skipped")
            _raise_field_limit(self.max_bytes)
            try:
                delimiter = "\t" if tab else _sniff_delimiter(header_line)
                header = next(csv.reader([header_line], delimiter=delimiter))
            except csv.Error as err:
                raise _Fault(f"CSV header row cannot be parsed ({err})") from err
            names = [h.strip().lstrip("\ufeff").casefold() for h in header]
            columns = self._csv_columns(names, origin, header, quiet=resume is not None)
            row_number = 1
            if resume is not None:
                stream.seek(resume[0])
                row_number = resume[1] - 1
            elif track is not None:
                track(stream.tell(), header_line.endswith(("\n", "\r")), row_number)
            if track is None:
                reader = csv.reader(stream, delimiter=delimiter)
            else:
                # Lines by readline(), which (unlike iterating) keeps tell() working.
                last = [""]
                reader = csv.reader(_lines_read(stream, last), delimiter=delimiter)
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    break
                except csv.Error as err:
                    raise _Fault(f"CSV cannot be parsed after row {row_number} ({err}); the rest "
                                 "of the file was not read") from err
                row_number += 1
                if track is not None:
                    track(stream.tell(), last[0].endswith(("\n", "\r")), row_number)
                where = f"{origin}:row {row_number}"
                if not any(c.strip() for c in cells):
                    continue
                if sum(len(c) for c in cells) > self.max_bytes:
                    self.report(where, self._too_big(f"row over {self.max_bytes:,} characters"))
                    continue
                if len(cells) <= columns["text"]:
                    self.report(where, f"row has {len(cells)} field(s), but the `text` column is "
                                f"number {columns['text'] + 1}: check the quoting and delimiters")
                    continue
                fields = {name: cells[i] for name, i in columns.items() if i < len(cells)}
                if "id" not in fields or not fields["id"].strip():
                    fields["id"] = f"{_stem(path)}-row{row_number}"
                    if self.listener is not None:  # the id depends on the file's name
                        self.listener.named_after_file()
                for key in ("title", "published", "source", "url"):
                    if key in fields and not fields[key].strip():
                        del fields[key]
                meta = {"format": "csv", "encoding": codec, "row": row_number}
                article = self.make_article(fields, where, meta=meta, hint=hint)
                if article is not None:
                    yield article

    def _csv_columns(self, names: list[str], origin: str, header: list[str], *,
                     quiet: bool = False) -> dict[str, int]:
        report = self.report if not quiet else lambda *_: None
        columns: dict[str, int] = {}
        for key, aliases in _FIELD_ALIASES.items():
            for alias in aliases:
                if alias in names:
                    columns[key] = names.index(alias)
                    if alias != key:
                        report(origin, f"using column {header[columns[key]].strip()!r} as "
                               f"`{key}`", "warning")
                    break
        if "text" not in columns:
            shown = ", ".join(h.strip() for h in header[:20]) or "none"
            raise _Fault("missing column: text (the article body). Columns found: "
                         f"{shown}. Expected: id, title, published, source, url, text")
        absent = [k for k in ("id", "published") if k not in columns]
        if absent:
            what = {"id": "rows get ids from the file name and row number",
                    "published": "relative dates cannot be resolved"}
            report(origin, "missing column(s): " + ", ".join(absent) + " ("
                   + "; ".join(what[k] for k in absent) + ")", "warning")
        return columns

    def _map_fields(self, row: dict, where: str) -> dict[str, Any] | None:
        fields: dict[str, Any] = {}
        lowered = {str(k).strip().casefold(): v for k, v in row.items()}
        for key, aliases in _FIELD_ALIASES.items():
            for alias in aliases:
                if alias in lowered and lowered[alias] not in (None, ""):
                    fields[key] = lowered[alias]
                    break
        if "text" not in fields:
            self.report(where, "no `text` field (the article body)")
            return None
        return fields

    # -- building an article -----------------------------------------------------------
    def make_article(self, fields: dict[str, Any], origin: str, *, meta: dict[str, Any],
                     hint: str, id_from_name: bool = False) -> Article | None:
        text = fields.get("text")
        if not isinstance(text, str):
            self.report(origin, "`text` is not a string")
            return None
        if len(text) > self.max_bytes:
            self.report(origin, self._too_big(f"{len(text):,} characters of text"))
            return None
        text = _normalize_newlines(text.removeprefix("\ufeff"))
        values: dict[str, str] = {}
        for key in ("id", "title", "source", "url"):
            value = fields.get(key)
            if value is None or value == "":
                values[key] = ""
            elif _is_text(value):
                values[key] = str(value).strip()
            else:
                self.report(origin, f"`{key}` is not text ({type(value).__name__}); ignored",
                            "warning")
                values[key] = ""
        if any(_has_surrogates(v) for v in (text, *values.values())):
            self.report(origin, "undecodable bytes or broken characters in the text (read as "
                        f"{meta.get('encoding')}): save the file as UTF-8")
            return None
        if not text.strip():
            where = {"html": " found in the page", "text": " after the front matter"
                     if "body_line" in meta else ""}.get(meta.get("format", ""), "")
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
            self.report(origin, f"`url` is not an http(s) link ({url[:40]!r}); ignored",
                        "warning")
            url = ""
        return Article(article_id=article_id, text=text, title=" ".join(values["title"].split()),
                       published=published, source=" ".join(values["source"].split()), url=url,
                       origin=origin, meta=meta)

    def _published(self, value: object, origin: str, hint: str) -> dt.date | None:
        if isinstance(value, list | dict):
            self.report(origin, f"`published` is not a date ({type(value).__name__}); "
                        "relative dates cannot be resolved", "warning")
            return None
        try:
            published = parse_published(value)
        except ValueError as err:
            self.report(origin, f"invalid publication date: {err}; relative dates cannot be "
                        "resolved", "warning")
            return None
        if published is None:
            self.report(origin, f"no publication date: relative dates cannot be resolved; {hint}",
                        "warning")
        elif published > self.today:
            self.report(origin, f"publication date {published.isoformat()} is in the future "
                        f"(today is {self.today.isoformat()}): check it", "warning")
        return published

    def _unique_id(self, raw: str, origin: str, from_name: bool) -> str:
        article_id = safe_article_id(raw)
        if article_id != raw and not from_name:
            self.report(origin, f"id {raw[:80]!r} is not safe as a file name; using "
                        f"{article_id!r}", "warning")
        if self._taken(article_id):
            base, n = article_id, 2
            while self._taken(f"{base}~{n}"):
                n += 1
            article_id = f"{base}~{n}"
            self.report(origin, f"duplicate id {base!r} (first used by {self.ids[base]}); "
                        f"this one is {article_id!r}", "warning")
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


# ---------------------------------------------------------------------------------------
# Small readers


def _is_text(value: object) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _os_message(err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "symbolic link loop: cannot be resolved"
    if isinstance(err, PermissionError):
        return "cannot read: permission denied"
    if isinstance(err, gzip.BadGzipFile):
        return f"not a valid gzip file ({err})"
    return f"cannot read: {err.strerror or err}"


def _open_binary(path: Path, gz: bool) -> IO[bytes]:
    if gz:
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb", buffering=1 << 16)  # noqa: SIM115 - closed by the caller's with


def _lines(f: IO[bytes], codec: str, limit: int, *, first: int = 1,
           sink: Callable[[bytes], Any] | None = None) -> Iterator[tuple[int, str | None]]:
    """Numbered lines of a binary stream (the first one numbered *first*); None for a
    line longer than *limit* bytes. *sink* sees every chunk of bytes read (not in UTF-16).

    Examples
    --------
    >>> chunks = []
    >>> list(_lines(io.BytesIO(b'a\\nbb\\nc'), "utf-8", 100, first=7, sink=chunks.append))
    [(7, 'a\\n'), (8, 'bb\\n'), (9, 'c')]
    >>> chunks
    [b'a\\n', b'bb\\n', b'c']
    """
    if codec.startswith("utf-16"):
        stream = io.TextIOWrapper(f, encoding=codec, errors="replace")
        for number, line in enumerate(stream, first):
            yield number, line if len(line) < limit else None
        return
    codec = "utf-8" if codec == "utf-8-sig" else codec
    number = first - 1
    while True:
        raw = f.readline(limit)
        if not raw:
            return
        if sink is not None:
            sink(raw)
        number += 1
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[3:]
        if len(raw) >= limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the long line
                raw = f.readline(1 << 20)
                if sink is not None:
                    sink(raw)
            yield number, None
            continue
        yield number, raw.decode(codec, errors="surrogateescape")


@contextlib.contextmanager
def _opened_as(path: Path, gz: bool, codec: str) -> Iterator[tuple[IO[bytes], str]]:
    with _open_binary(path, gz) as f:
        yield f, codec


def _lines_read(stream: IO[str], last: list[str]) -> Iterator[str]:
    """The lines of a text stream, by ``readline()``; ``last[0]`` is the latest."""
    while line := stream.readline():
        last[0] = line
        yield line


def _sniff_delimiter(header: str) -> str:
    known = {a for aliases in _FIELD_ALIASES.values() for a in aliases}
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


def _html_fields(html: str) -> dict[str, Any]:
    """Main text and metadata of a web page, offline, with trafilatura."""
    import trafilatura  # imported here: importing frontline stays fast

    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False,
            date_extraction_params={"extensive_search": True, "original_date": True,
                                    "outputformat": "%Y-%m-%d"})
    except (ValueError, TypeError, AttributeError, RecursionError, LookupError) as err:
        raise _Fault(f"HTML cannot be parsed ({type(err).__name__}: {err})") from err
    fields: dict[str, Any] = {}
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        text = trafilatura.html2txt(html) or ""
    fields["text"] = re.sub(r"\n+", "\n\n", text.strip())
    if doc is not None:
        for key, attr in (("title", "title"), ("published", "date"), ("source", "sitename"),
                          ("url", "url")):
            value = getattr(doc, attr, None)
            if value:
                fields[key] = value
    return fields
