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
(:func:`default_cache_dir`). One process writes (the one that runs the pipeline); worker
processes only compute.

Payload format: pickle protocol 5, in two parts per article: the events with the warnings
(~1.4 kB, stored as it is: it is read on every rerun, and decompressing would add half
again to its decoding time), and the details (mentions, time expressions, dated sentences;
~1.5 kB once zlib-compressed at level 1), so that building an event table from the cache
never decodes the details. (Entries written when the events part was compressed too still
read: a zlib stream never starts with pickle's first byte.) The results are nested
dataclasses owned by other modules; pickle round-trips them exactly without a hand-written
schema that would drift from those classes. Plain pickle rebuilds a frozen slotted
dataclass through a slow generic ``__setstate__``, so dataclasses are reduced to
``cls(*field_values)`` instead (about 3 times faster to decode). Since class layouts are
part of the version key (the stage modules' source digest), an entry is never unpickled
into a changed class. The cache is a private file in the user's own cache folder: like any
pickle it must not be shared with, or accepted from, others.

File manifests (:mod:`frontline.manifests`) let a rerun skip reading again the JSON
Lines and CSV files, or the parts of them, that it read before; their table lives in
the same database.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import operator
import os
import pickle
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import FrontlineError
from .manifests import _CANDIDATES, _MANIFEST_INDEX, _MANIFEST_SCHEMA, _STREAMS, Manifest

if TYPE_CHECKING:  # pragma: no cover
    from .articles import Article
    from .gazetteer import Gazetteer

__all__ = ["ANALYSIS_VERSION", "ResultCache", "article_key", "cache_version",
           "default_cache_dir", "gazetteer_version"]

#: Bump when the meaning of the per-article results changes without a code change
#: (for instance a rule table loaded from data files).
ANALYSIS_VERSION = "1"

#: Modules and packages whose code decides the per-article results; their source goes
#: into the version (every ``.py`` file of a package).
_STAGE_MODULES = ("articles.py", "readers", "sentences.py", "gazetteer.py", "geoparse",
                  "textnorm.py", "event_schema.py",
                  "timex.py", "event_types.py", "events.py", "pipeline.py")

_ORIGIN = "\x00origin\x00"  # stands for the article's origin inside cached warnings

_SCHEMA = """
CREATE TABLE IF NOT EXISTS article_results (
    version TEXT NOT NULL,
    key     TEXT NOT NULL,
    events  BLOB NOT NULL,
    detail  BLOB NOT NULL,
    PRIMARY KEY (version, key)
) WITHOUT ROWID
"""

#: How much of the database SQLite may memory-map (a limit, not an allocation).
_MMAP_BYTES = 1 << 30

#: One cached article: (events part, details part or None when not asked for).
Entry = tuple[bytes, "bytes | None"]


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
    for part in (article.article_id, article.text, published, article.title,
                 article.source, article.url):
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))  # length-prefixed: no ambiguous joins
        h.update(data)
    return h.hexdigest()


def _code_digest() -> str:
    h = hashlib.sha256()
    root = resources.files("frontline")
    for name in _STAGE_MODULES:
        path = root.joinpath(name)
        files = sorted((f for f in path.iterdir() if f.name.endswith(".py")),
                       key=lambda f: f.name) if path.is_dir() else [path]
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


def cache_version(gazetteer: Gazetteer | None = None, *, gazetteer_version: str | None = None
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
    return (f"frontline-{__version__}/gaz-{gazetteer_version}/"
            f"analysis-{ANALYSIS_VERSION}-{_code_digest()}")


_FAST: dict[type, bool] = {}


def _rebuild(cls: type, values: tuple) -> Any:
    return cls(*values)


def _fast_reducible(cls: type) -> bool:
    ok = _FAST.get(cls)
    if ok is None:
        params = getattr(cls, "__dataclass_params__", None)
        ok = _FAST[cls] = (params is not None and params.init  # the generated __init__
                           and not hasattr(cls, "__post_init__")
                           and all(f.init for f in dataclasses.fields(cls)))
    return ok


class _Reducers(dict):
    """Per class, how :class:`_Pickler` reduces its objects: ``cls(*field_values)``.

    A pickler's ``dispatch_table`` is only consulted for objects that are not plain
    data (str, int, list, tuple... go straight through), whereas ``reducer_override``
    would run Python code for every object: this way encoding a result is ~30% cheaper.
    A class that cannot be rebuilt that way raises KeyError, so pickle's own way is used.
    """

    def __missing__(self, cls: type) -> Any:
        if not _fast_reducible(cls):
            raise KeyError(cls)
        names = [f.name for f in dataclasses.fields(cls)]
        values = operator.attrgetter(*names) if len(names) > 1 else (
            lambda obj: tuple(getattr(obj, n) for n in names))  # attrgetter(n): no tuple

        def reduce(obj: Any) -> tuple[Any, tuple[type, tuple]]:
            return _rebuild, (cls, values(obj))

        self[cls] = reduce
        return reduce


class _Pickler(pickle.Pickler):
    """Pickles dataclasses as ``cls(*values)``: much faster to load than their state."""

    dispatch_table = _Reducers()


def _dumps(obj: Any, *, compress: bool = True) -> bytes:
    buf = io.BytesIO()
    _Pickler(buf, protocol=5).dump(obj)
    return zlib.compress(buf.getbuffer(), 1) if compress else buf.getvalue()


_PICKLE_START = pickle.PROTO  # protocol 2 and later start with it; zlib streams never do


def _loads(blob: bytes) -> Any:
    return pickle.loads(blob if blob[:1] == _PICKLE_START else zlib.decompress(blob))


def encode_result(mentions: list, timexes: list, sentences: list, events: list,
                  warnings: list[str], *, origin: str = "") -> tuple[bytes, bytes]:
    """Serialize one article's results as (events part, details part).

    Examples
    --------
    >>> ev, detail = encode_result(["m"], [], [], ["e"], ["a.md: no date"], origin="a.md")
    >>> decode_events(ev, origin="b.md"), decode_detail(detail)
    ((['e'], ['b.md: no date']), (['m'], [], []))
    """
    if origin:
        warnings = [w.replace(origin, _ORIGIN) for w in warnings]
    return (_dumps((events, warnings), compress=False),
            _dumps((mentions, timexes, sentences)))


def decode_events(blob: bytes, *, origin: str = "") -> tuple[list, list[str]]:
    """The (events, warnings) of an events part; *origin* is put back into the warnings."""
    events, warnings = _loads(blob)
    if origin:
        warnings = [w.replace(_ORIGIN, origin) for w in warnings]
    return events, warnings


def decode_detail(blob: bytes) -> tuple[list, list, list]:
    """The (mentions, time expressions, dated sentences) of a details part."""
    return _loads(blob)


class ResultCache:
    """Per-article results in SQLite, keyed by :func:`article_key` under a version.

    Parameters
    ----------
    folder : path, optional
        The cache folder; defaults to :func:`default_cache_dir`. The database is
        ``results.sqlite`` inside it.
    version : str
        What the results depend on; see :func:`cache_version`.

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

    FILENAME = "results.sqlite"

    def __init__(self, folder: str | os.PathLike[str] | None = None, *, version: str) -> None:
        self.folder = Path(folder).expanduser() if folder is not None else default_cache_dir()
        self.version = version
        self.path = self.folder / self.FILENAME
        self.hits = 0
        self.misses = 0
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None,
                                       check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            # Lookups by content hash land on random pages of a large file: reading them
            # through a memory map instead of SQLite's page cache halves their cost.
            self._db.execute(f"PRAGMA mmap_size={_MMAP_BYTES}")
            self._db.execute(_SCHEMA)
            self._db.execute(_MANIFEST_SCHEMA)
            self._db.execute(_MANIFEST_INDEX)
        except (OSError, sqlite3.Error) as err:
            raise FrontlineError(
                f"cannot open the result cache {self.path}: {err}; pass another folder "
                "with --cache-dir (or FRONTLINE_CACHE_DIR), or run with --no-cache") from err

    # -- lookups and writes -------------------------------------------------------------

    def get_many(self, keys: Sequence[str], *, detail: bool = True) -> dict[str, Entry]:
        """The entries stored for *keys* under this version (missing keys are absent).

        With ``detail=False`` only the events part is read (the second item is None).
        """
        found: dict[str, Entry] = {}
        columns = "events, detail" if detail else "events, NULL"
        for i in range(0, len(keys), 500):  # stay under SQLite's variable limit
            chunk = list(keys[i:i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, {columns} FROM article_results WHERE version = ? AND key IN "
                f"({marks})", [self.version, *chunk])
            found.update((k, (ev, de)) for k, ev, de in rows)
        self.hits += len(found)
        self.misses += len(set(keys)) - len(found)
        return found

    def put_many(self, items: Iterable[tuple[str, bytes, bytes]]) -> None:
        """Store (key, events part, details part) items, in one transaction."""
        rows = [(self.version, k, ev, de) for k, ev, de in items]
        if not rows:
            return
        with self._writing("BEGIN"):
            self._db.executemany(
                "INSERT OR REPLACE INTO article_results (version, key, events, detail) "
                "VALUES (?, ?, ?, ?)", rows)

    @contextlib.contextmanager
    def _writing(self, begin: str) -> Iterator[None]:
        """One transaction; a failure is rolled back and said with what to do."""
        try:
            self._db.execute(begin)
            yield
            self._db.execute("COMMIT")
        except sqlite3.Error as err:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise FrontlineError(f"cannot write to the result cache {self.path}: {err}; "
                                 "run with --no-cache to go on without it") from err

    def __len__(self) -> int:
        (n,) = self._db.execute("SELECT count(*) FROM article_results WHERE version = ?",
                                (self.version,)).fetchone()
        return int(n)

    # -- file manifests (see FileManifests) -----------------------------------------------

    _MANIFEST_COLUMNS = "path, head, portable, size, mtime_ns, sha256, stream, meta"

    def _manifests(self, where: str, args: tuple) -> list[Manifest]:
        rows = self._db.execute(
            f"SELECT {self._MANIFEST_COLUMNS} FROM manifests WHERE version = ? AND "  # noqa: S608
            f"reader = ? AND {where}", (self.version, *args)).fetchall()
        found = []
        for path, head, portable, size, mtime_ns, sha, stream, meta in rows:
            try:
                found.append(Manifest(path, head, bool(portable), size, mtime_ns, sha, stream,
                                      pickle.loads(meta)))
            except (pickle.UnpicklingError, ValueError, TypeError, EOFError):
                continue  # a damaged row: the file is read as if never seen
        return found

    def get_manifest(self, reader: str, path: str, resolved: str) -> Manifest | None:
        """The manifest stored for a file (*path* as written and *resolved*), if any."""
        found = self._manifests("path = ? AND resolved = ?", (reader, path, resolved))
        return found[0] if found else None

    def find_manifests(self, reader: str, head: str, max_size: int) -> list[Manifest]:
        """Portable manifests of files whose first bytes hash to *head*, no larger than
        *max_size*, largest first (at most a few)."""
        return self._manifests(
            f"head = ? AND portable = 1 AND size <= ? ORDER BY size DESC LIMIT {_CANDIDATES}",
            (reader, head, max_size))

    def put_manifest(self, reader: str, resolved: str, manifest: Manifest) -> str | None:
        """Store a file's manifest; returns the stream name of the one it replaces."""
        key = (self.version, reader, manifest.path, resolved)
        with self._writing("BEGIN IMMEDIATE"):
            old = self._db.execute(
                "SELECT stream FROM manifests WHERE version = ? AND reader = ? AND "
                "path = ? AND resolved = ?", key).fetchone()
            self._db.execute(
                "INSERT OR REPLACE INTO manifests (version, reader, path, resolved, head, "
                "portable, size, mtime_ns, sha256, stream, meta) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*key, manifest.head, int(manifest.portable), manifest.size,
                 manifest.mtime_ns, manifest.sha256, manifest.stream,
                 pickle.dumps(manifest.meta, protocol=5)))
        return old[0] if old else None

    def drop_manifests(self, reader: str, head: str, drop: Callable[[str], bool]) -> list[str]:
        """Delete the manifests of files whose first bytes hash to *head* and whose
        resolved path *drop* accepts; returns their stream names."""
        rows = self._db.execute(
            "SELECT path, resolved, stream FROM manifests WHERE version = ? AND reader = ? "
            "AND head = ?", (self.version, reader, head)).fetchall()
        gone = [(path, resolved, stream) for path, resolved, stream in rows if drop(resolved)]
        with contextlib.suppress(sqlite3.Error):  # (only room is lost)
            self._db.executemany(
                "DELETE FROM manifests WHERE version = ? AND reader = ? AND path = ? AND "
                "resolved = ?", [(self.version, reader, p, r) for p, r, _ in gone])
            return [stream for _, _, stream in gone]
        return []

    def touch_manifest(self, reader: str, path: str, resolved: str, mtime_ns: int) -> None:
        """Record a new modification time for a file whose bytes did not change."""
        with contextlib.suppress(sqlite3.Error):  # only a shortcut for the next run is lost
            self._db.execute(
                "UPDATE manifests SET mtime_ns = ? WHERE version = ? AND reader = ? AND "
                "path = ? AND resolved = ?", (mtime_ns, self.version, reader, path, resolved))

    # -- housekeeping ---------------------------------------------------------------------

    def stale_entries(self) -> int:
        """How many entries belong to other versions (an older gazetteer or release)."""
        (n,) = self._db.execute("SELECT count(*) FROM article_results WHERE version != ?",
                                (self.version,)).fetchone()
        return int(n)

    def has_stale_entries(self) -> bool:
        """Whether any entry or manifest belongs to another version (an index look-up,
        where :meth:`stale_entries` reads the whole table)."""
        for table in ("article_results", "manifests"):
            row = self._db.execute(
                f"SELECT 1 FROM {table} WHERE version < ? OR version > ? LIMIT 1",  # noqa: S608
                (self.version, self.version)).fetchone()
            if row is not None:
                return True
        return False

    def prune(self) -> int:
        """Delete entries and file manifests of other versions, and record streams no
        manifest refers to; returns how many entries were removed."""
        cur = self._db.execute("DELETE FROM article_results WHERE version != ?", (self.version,))
        self._db.execute("DELETE FROM manifests WHERE version != ?", (self.version,))
        folder = self.folder / _STREAMS
        if folder.is_dir():
            kept = {s for (s,) in self._db.execute("SELECT stream FROM manifests")}
            for path in folder.iterdir():
                # (a .tmp file may be a stream another run is writing: left alone a day)
                with contextlib.suppress(OSError):
                    if path.suffix == ".stream" and path.name not in kept or (
                            path.suffix == ".tmp"
                            and time.time() - path.stat().st_mtime > 86_400):
                        path.unlink()
        return cur.rowcount

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ResultCache({str(self.folder)!r}, version={self.version!r})"
