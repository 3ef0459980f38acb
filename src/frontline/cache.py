"""An incremental cache of per-article results, so a rerun only processes what changed.

Each article is keyed by the sha256 of its content (id, text, published date, title,
source, url) and looked up under a *version* string that combines
``frontline.__version__``, the gazetteer's content hash (``gaz.version``, which covers the
user's own gazetteer files) and the analysis version (:data:`ANALYSIS_VERSION` and a
digest of the stage modules' source). Change any of them and every entry is stale: a
changed gazetteer can move any mention, so it invalidates every article.
:func:`gazetteer_version` computes the gazetteer's part from its files' bytes without
loading it, so a rerun whose articles are all cached never loads the gazetteer.

The store is one SQLite database in WAL mode under the cache folder
(:func:`default_cache_dir`), owned by :mod:`frontline.store`, which also moves a damaged
one aside and starts anew. One process writes (the one that runs the pipeline); worker
processes only compute.

Payload format: JSON (UTF-8), which can hold data only: reading a cache, even one
tampered with, never runs code (the layouts are :mod:`frontline.codec`'s). Two parts per
article: the events with the warnings (read on every rerun, stored as they are, as rows
of the event class), and the details (mentions, time expressions, dated sentences, as
one table per class, each object once; zlib-compressed at level 1), so that building an
event table from the cache never decodes the details. Since class layouts are part of
the version key (the stage modules' source digest), an entry is never rebuilt into a
changed class.

File manifests (:mod:`frontline.manifests`) let a rerun skip reading again the JSON
Lines and CSV files, or the parts of them, that it read before; their table lives in
the same database.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import zlib
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .codec import damaged, dump_tables, dumps, from_rows, load_tables, loads, rows_of
from .outputs import remove_stale_tmps
from .store import STREAMS, Entry, Store

if TYPE_CHECKING:  # pragma: no cover
    from .articles import Article
    from .gazetteer import Gazetteer

__all__ = [
    "ANALYSIS_VERSION",
    "ResultCache",
    "article_key",
    "cache_version",
    "default_cache_dir",
    "gazetteer_version",
]

#: Bump when the meaning of the per-article results changes without a code change
#: (for instance a rule table loaded from data files).
ANALYSIS_VERSION = "1"

#: Modules and packages whose code decides the per-article results; their source goes
#: into the version (every ``.py`` file of a package).
_STAGE_MODULES = (
    "articles.py",
    "readers",
    "sentences.py",
    "gazetteer.py",
    "geoparse",
    "textnorm.py",
    "event_schema.py",
    "timex.py",
    "event_types.py",
    "events.py",
    "pipeline.py",
)

_ORIGIN = "\x00origin\x00"  # stands for the article's origin inside cached warnings


def default_cache_dir() -> Path:
    """The cache folder: ``$FRONTLINE_CACHE_DIR``, else ``$XDG_CACHE_HOME/frontline``,
    else ``~/.cache/frontline``.

    Examples
    --------
    >>> import os
    >>> os.environ["FRONTLINE_CACHE_DIR"] = "/tmp/fl-cache-doc"
    >>> str(default_cache_dir())
    '/tmp/fl-cache-doc'
    >>> del os.environ["FRONTLINE_CACHE_DIR"]
    """
    explicit = os.environ.get("FRONTLINE_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "frontline"


def article_key(article: Article) -> str:
    """The sha256 (hex) of an article's content: id, text, published, title, source, url.

    Where the article was read from (``origin``) is not part of it: moving a file keeps
    its cached result.

    Examples
    --------
    >>> import datetime as dt
    >>> from frontline.articles import Article
    >>> a = Article("a1", "Shelling hit Nikopol.", published=dt.date(2022, 8, 9))
    >>> len(article_key(a)), article_key(a) == article_key(Article("a1", "Shelling hit Nikopol."))
    (64, False)
    """
    h = hashlib.sha256()
    published = article.published.isoformat() if article.published else ""
    for part in (
        article.article_id,
        article.text,
        published,
        article.title,
        article.source,
        article.url,
    ):
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))  # length-prefixed: no ambiguous joins
        h.update(data)
    return h.hexdigest()


def _code_digest() -> str:
    h = hashlib.sha256()
    root = resources.files("frontline")
    for name in _STAGE_MODULES:
        path = root.joinpath(name)
        files = (
            sorted((f for f in path.iterdir() if f.name.endswith(".py")), key=lambda f: f.name)
            if path.is_dir()
            else [path]
        )
        for file in files:
            try:
                h.update(file.name.encode() + b"\0" + file.read_bytes())
            except (FileNotFoundError, OSError):
                h.update(b"-")
    return h.hexdigest()[:16]


#: The bundled files whose bytes make up the gazetteer's version (see ``Gazetteer.load``).
_GAZETTEER_FILES = ("places.tsv.gz", "names.txt.gz")


def gazetteer_version(files: Iterable[str | os.PathLike[str]] = ()) -> str:
    """The ``version`` that ``Gazetteer.load(extra=files)`` would have, without loading it.

    It hashes the same bytes as the load (the bundled index files, then the analyst's
    own files) but parses nothing: ~3 ms instead of ~150 ms, so a rerun whose articles
    are all cached can find them without loading the gazetteer. A file that cannot be
    read falls back to loading the gazetteer, which raises the helpful error.

    Examples
    --------
    >>> from frontline.gazetteer import Gazetteer
    >>> gazetteer_version() == Gazetteer.load().version
    True
    """
    paths = [Path(f) for f in files]
    try:
        sha = hashlib.sha256()
        root = resources.files("frontline").joinpath("data")
        for name in _GAZETTEER_FILES:
            sha.update(root.joinpath(name).read_bytes())
        if not paths:
            return sha.hexdigest()[:12]
        sha = hashlib.sha256(sha.hexdigest().encode())
        for path in paths:
            sha.update(path.read_bytes())
        return sha.hexdigest()[:12]
    except OSError:
        from .gazetteer import Gazetteer

        return str(Gazetteer.load(extra=[str(p) for p in paths] or None).version)


def cache_version(
    gazetteer: Gazetteer | None = None, *, gazetteer_version: str | None = None
) -> str:
    """The version string cached results are stored under.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Its ``version`` (content hash) is used.
    gazetteer_version : str, optional
        The gazetteer's version, when the caller has it without a loaded gazetteer
        (see :func:`gazetteer_version`).

    Examples
    --------
    >>> v = cache_version(gazetteer_version="abc")
    >>> v.startswith("frontline-") and v == cache_version(gazetteer_version="abc")
    True
    >>> v == cache_version(gazetteer_version="abd")
    False
    """
    from . import __version__

    if gazetteer_version is None:
        gazetteer_version = str(getattr(gazetteer, "version", "")) if gazetteer else ""
    return (
        f"frontline-{__version__}/gaz-{gazetteer_version}/"
        f"analysis-{ANALYSIS_VERSION}-{_code_digest()}"
    )


def encode_result(
    mentions: list,
    timexes: list,
    sentences: list,
    events: list,
    warnings: list[str],
    *,
    origin: str = "",
) -> tuple[bytes, bytes]:
    """Serialize one article's results as (events part, details part).

    The events part, read on every rerun, is stored as it is; when the events are rows
    of one class (as the stages' are), as ``{"~rows": class, "v": rows, "w": warnings}``,
    which reads without a hook per event.

    Examples
    --------
    >>> ev, detail = encode_result(["m"], [], [], ["e"], ["a.md: no date"], origin="a.md")
    >>> decode_events(ev, origin="b.md"), decode_detail(detail)
    ((['e'], ['b.md: no date']), (['m'], [], []))
    """
    if origin:
        warnings = [w.replace(origin, _ORIGIN) for w in warnings]
    rows = rows_of(events)
    part = dumps([events, warnings] if rows is None else {**rows, "w": warnings})
    return part, zlib.compress(dump_tables([mentions, timexes, sentences]), 1)


def decode_events(blob: bytes, *, origin: str = "") -> tuple[list, list[str]]:
    """The (events, warnings) of an events part; *origin* is put back into the warnings."""
    if blob[:1] == b"{":
        try:
            data = json.loads(blob.decode("utf-8", "surrogatepass"))
            events, warnings = from_rows(data), data["w"]
        except (ValueError, TypeError, KeyError, RecursionError) as err:
            raise damaged(err) from err
    else:
        events, warnings = loads(blob)
    if origin:
        warnings = [w.replace(_ORIGIN, origin) for w in warnings]
    return events, warnings


def decode_detail(blob: bytes) -> tuple[list, list, list]:
    """The (mentions, time expressions, dated sentences) of a details part."""
    try:
        data = zlib.decompress(blob)
    except zlib.error as err:
        raise damaged(err) from err
    try:
        mentions, timexes, sentences = load_tables(data)
    except ValueError as err:  # not three lists
        raise damaged(err) from err
    return mentions, timexes, sentences


class ResultCache:
    """Per-article results in the cache folder's store, keyed by :func:`article_key` under
    a version.

    Parameters
    ----------
    folder : path, optional
        The cache folder; defaults to :func:`default_cache_dir`. The database is
        ``results.sqlite`` inside it (see :class:`frontline.store.Store`).
    version : str
        What the results depend on; see :func:`cache_version`.

    Raises
    ------
    CacheError
        The folder cannot be used (not writable, a full or read-only disk). A damaged
        database is no error: it is moved aside, with a warning, and made anew.

    Examples
    --------
    >>> import tempfile
    >>> with ResultCache(tempfile.mkdtemp(), version="v1") as c:
    ...     c.put_many([("k1", b"events", b"detail")])
    ...     c.get_many(["k1", "k2"]), c.get_many(["k1"], detail=False)
    ({'k1': (b'events', b'detail')}, {'k1': (b'events', None)})
    >>> with ResultCache(c.folder, version="v2") as c2:
    ...     c2.get_many(["k1"]), c2.stale_entries()
    ({}, 1)
    """

    FILENAME = Store.FILENAME

    def __init__(self, folder: str | os.PathLike[str] | None = None, *, version: str) -> None:
        self.folder = Path(folder).expanduser() if folder is not None else default_cache_dir()
        self.version = version
        self.path = self.folder / self.FILENAME
        self.hits = 0
        self.misses = 0
        self.store = Store(self.folder)

    # -- lookups and writes -------------------------------------------------------------

    def get_many(self, keys: Sequence[str], *, detail: bool = True) -> dict[str, Entry]:
        """The entries stored for *keys* under this version (missing keys are absent).

        With ``detail=False`` only the events part is read (the second item is None).
        """
        found = self.store.entries(self.version, keys, detail=detail)
        self.hits += len(found)
        self.misses += len(set(keys)) - len(found)
        return found

    def put_many(self, items: Iterable[tuple[str, bytes, bytes]]) -> None:
        """Store (key, events part, details part) items, in one transaction."""
        self.store.put_entries(self.version, items)

    def __len__(self) -> int:
        return self.store.count_entries(self.version)

    # -- housekeeping ---------------------------------------------------------------------

    def stale_entries(self) -> int:
        """How many entries belong to other versions (an older gazetteer or release)."""
        return self.store.stale_entries(self.version)

    def has_stale_entries(self) -> bool:
        """Whether any entry or manifest belongs to another version (an index look-up,
        where :meth:`stale_entries` reads the whole table)."""
        return self.store.has_stale(self.version)

    def prune(self) -> int:
        """Delete entries and file manifests of other versions, and record streams no
        manifest refers to; returns how many entries were removed."""
        removed, kept = self.store.prune(self.version)
        folder = self.folder / STREAMS
        if folder.is_dir():
            remove_stale_tmps(folder)
            for path in folder.iterdir():
                if (
                    path.suffix == ".stream"
                    and path.name not in kept
                    and not (
                        path.name.startswith(".")  # (a temporary one: see remove_stale_tmps)
                    )
                ):
                    with contextlib.suppress(OSError):
                        path.unlink()
        return removed

    def close(self) -> None:
        """Close the database."""
        self.store.close()

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ResultCache({str(self.folder)!r}, version={self.version!r})"
