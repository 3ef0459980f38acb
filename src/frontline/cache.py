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

File manifests (a rerun that does not read again what it read before)
---------------------------------------------------------------------
Looking an article up still means reading, parsing and hashing it (~0.06 ms of the ~0.1 ms
a cached article costs). So for each JSON Lines or CSV file, the usual shapes of a large
corpus, :class:`FileManifests` also stores a *manifest*: keyed by the cache version, the
reader's options and format and the file's path (as written and resolved), it holds the
size, modification time and sha256 of the file, and a *record stream* (a file under
``manifests/``) of what reading and processing gave, in order: each problem reported,
and each article's id, origin, title, date, source, url and events part (never its text).
On a rerun, an unchanged file replays its stream without parsing a row. A plain JSON
Lines file that only grew (its first bytes hash as before: new wire copy appended)
replays the records of its complete lines and reads on from there (CSV, gzipped and
UTF-16 files are read again when they change: their records' byte offsets are not
known). A file under another name whose first bytes are those of a stored one (a copy,
a re-export) is matched by the hash of its first 4 kB, if its records do not depend on
its name. Anything else (an edit, a truncation, ids taken differently by earlier files,
"today" moving past a publication date) falls back to reading article by article, so
the results, warnings and errors are always those of a run without the cache. Only runs
that want events
(``details=False``: ``frontline events`` and ``map``) use manifests, through
:func:`frontline.pipeline.run_inputs`. The stream repeats the events parts (~1.4 kB per
article) that the database holds too: reading them in order, rather than looking each
up at random in the database, is what makes a replay cheap.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import operator
import os
import pickle
import secrets
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import FrontlineError

if TYPE_CHECKING:  # pragma: no cover
    from .articles import Article
    from .gazetteer import Gazetteer

__all__ = ["ANALYSIS_VERSION", "ResultCache", "article_key", "cache_version",
           "default_cache_dir", "gazetteer_version"]

#: Bump when the meaning of the per-article results changes without a code change
#: (for instance a rule table loaded from data files).
ANALYSIS_VERSION = "1"

#: Modules whose code decides the per-article results; their source goes into the version.
_STAGE_MODULES = ("articles.py", "sentences.py", "gazetteer.py", "geoparse.py", "timex.py",
                  "event_types.py", "events.py", "pipeline.py")

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
        try:
            h.update(root.joinpath(name).read_bytes())
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
        try:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR REPLACE INTO article_results (version, key, events, detail) "
                "VALUES (?, ?, ?, ?)", rows)
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
        try:
            self._db.execute("BEGIN IMMEDIATE")
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
            self._db.execute("COMMIT")
        except sqlite3.Error as err:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise FrontlineError(f"cannot write to the result cache {self.path}: {err}; "
                                 "run with --no-cache to go on without it") from err
        return old[0] if old else None

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


# ------------------------------------------------------------------------ file manifests

#: Bump when the layout of a manifest or of its record stream changes.
MANIFEST_FORMAT = "1"

_MANIFEST_SCHEMA = """
CREATE TABLE IF NOT EXISTS manifests (
    version  TEXT NOT NULL,
    reader   TEXT NOT NULL,
    path     TEXT NOT NULL,
    resolved TEXT NOT NULL,
    head     TEXT NOT NULL,
    portable INTEGER NOT NULL,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256   TEXT NOT NULL,
    stream   TEXT NOT NULL,
    meta     BLOB NOT NULL,
    PRIMARY KEY (version, reader, path, resolved)
)
"""
_MANIFEST_INDEX = ("CREATE INDEX IF NOT EXISTS manifests_by_head "
                   "ON manifests (version, reader, head, portable)")

_STREAMS = "manifests"  # the folder of record streams, inside the cache folder
_CHUNK = 256  # records per pickle in a stream: one load per chunk, not per record
_HASH_BLOCK = 1 << 20
_SAMPLE_BYTES = 1 << 16  # as much as the reader looks at to detect an encoding
_HEAD_BYTES = 4096  # the bytes whose hash finds the manifests of a file under another name
_CANDIDATES = 3  # manifests of other files tried, largest first
#: A modification time this close to the moment it is recorded may not tell a later change
#: in the same clock tick apart (as git's "racily clean" entries): such a file's bytes are
#: compared on the next run instead.
_RACY_NS = 2_000_000_000

#: A record of a stream: a problem ``(end, origin, message, severity)`` or an article
#: ``(end, article_id, origin, title, published, source, url, meta, events part)``.
#: ``end`` is the offset of the end of the line it came from; ``origin`` is what follows
#: the file's path (``":12"``).
Record = tuple


@dataclasses.dataclass(frozen=True, slots=True)
class Manifest:
    """What the cache knows of one JSON Lines or CSV file (a row of ``manifests``).

    ``portable``: its records do not depend on the file's name (no id was made from it,
    no message names it), so a file with the same first bytes under another name may
    replay them.
    """

    path: str
    head: str
    portable: bool
    size: int
    mtime_ns: int
    sha256: str
    stream: str
    meta: dict


class ManifestMark:
    """An item of the reader's stream that is no article: where a file's manifest starts
    (``"start"``, data: the file's path when it is to be written, else None), a problem to
    store (``"problem"``, data: its record), where it ends (``"end"``, data: what to
    store) or breaks off (``"abort"``)."""

    __slots__ = ("kind", "data")

    def __init__(self, kind: str, data: Any = None) -> None:
        self.kind = kind
        self.data = data


class Replayed:
    """An article record of a stored manifest, yielded instead of reading the line again;
    ``record[2]`` is the full origin. ``copied``: its chunk of the stored stream is
    copied as it is into the new one (see the ``"copy"`` mark)."""

    __slots__ = ("record", "copied")

    def __init__(self, record: Record, copied: bool = False) -> None:
        self.record = record
        self.copied = copied


class _Plan:
    """How much of a stored manifest holds for the file as it is now."""

    __slots__ = ("manifest", "stream", "same_path", "complete", "touch", "resume", "sha")

    def __init__(self, manifest: Manifest, stream: Any, *, same_path: bool, complete: bool,
                 touch: bool = False, resume: tuple[int, int, str] | None = None,
                 sha: Any = None) -> None:
        self.manifest = manifest
        self.stream = stream  # the open record stream
        self.same_path = same_path  # the manifest is this file's (not one with its bytes)
        self.complete = complete  # the whole file is as stored
        self.touch = touch  # ... though its modification time changed
        self.resume = resume  # else: (offset, line number, codec) where new lines start
        self.sha = sha  # the sha256 state of the bytes before that offset


class _Recording:
    """What the reader does with one JSON Lines or CSV file: the bytes it reads (of a
    plain JSON Lines file: a *sink* for ``_Reader.read_jsonl``), the problems it reports
    and the ids it checks (a *listener*)."""

    def __init__(self, reader: Any, spelled: str, plan: _Plan | None) -> None:
        self.reader = reader
        self.spelled = spelled
        found = plan.manifest if plan is not None else None
        meta = found.meta if found is not None else {}
        if plan is not None and plan.resume is not None:
            self.offset = self.boundary = plan.resume[0]
            self.lines = plan.resume[1] - 1
            self.sha = plan.sha
        elif found is not None:  # replayed whole
            self.offset, self.boundary, self.lines = found.size, meta["boundary"], meta["lines"]
            self.sha = None
        else:
            self.offset = self.boundary = self.lines = 0
            self.sha = hashlib.sha256()
        self.head = bytearray()  # the first bytes, from which the encoding was detected
        # Ids checked against those of earlier files, with what they held then; a stored
        # manifest's checks carry over with the part of the file it replays.
        self.probes: dict[str, str | None] = dict(meta.get("probes", {}))
        self.own: set[str] = set()  # ids this file took
        self.max_published = meta.get("max_published")
        self.portable = found.portable if found is not None else True
        self.ok = True  # False: something this scheme cannot store
        self.copying = False  # replaying stored chunks that are copied as they are
        self.marks: list[ManifestMark] = []

    # -- the sink ------------------------------------------------------------------
    def __call__(self, chunk: bytes) -> None:
        self.sha.update(chunk)
        if len(self.head) < _SAMPLE_BYTES:
            self.head += chunk[:_SAMPLE_BYTES - len(self.head)]
        self.offset += len(chunk)
        if chunk.endswith(b"\n"):
            self.boundary = self.offset
            self.lines += 1

    # -- the listener --------------------------------------------------------------
    def problem(self, problem: Any) -> None:
        if self.copying:
            return  # already in a chunk the new stream copies
        origin = problem.origin
        if not origin.startswith(self.spelled):
            self.ok = False
        if self.spelled in problem.message:
            self.portable = False
        self.marks.append(ManifestMark("problem", (self.offset, origin[len(self.spelled):],
                                                   problem.message, problem.severity)))

    def probe(self, article_id: str) -> None:
        if article_id not in self.own and article_id not in self.probes:
            self.probes[article_id] = self.reader.ids.get(article_id)

    def claimed(self, article_id: str) -> None:
        self.own.add(article_id)

    def named_after_file(self) -> None:
        self.portable = False

    def saw(self, published: Any) -> None:
        if published is not None and (self.max_published is None
                                      or published > self.max_published):
            self.max_published = published

    def drain(self) -> list[ManifestMark]:
        marks, self.marks = self.marks, []
        return marks


class FileManifests:
    """Per-file manifests: rerun a JSON Lines or CSV file without parsing what was read
    before.

    It plugs into the reader (``_Reader.rows_hook``) and, on the results' side, into the
    pipeline, which passes it every item in input order. For each JSON Lines or CSV file
    it stores, under the cache version, the reader's options, the format and the path (as
    written and resolved): the size, modification time and sha256 of the file, the sha256
    of its first 4 kB, and a stream of records (the problems reported and, per article,
    its id, origin, title, date, source, url and events part; never its text), one pickle
    per 256 records, in a file under ``manifests/``.

    On a rerun:

    * an unchanged file (same size and modification time, or same bytes) replays its
      stream: the same problems are reported, the same ids taken, and each article is a
      :class:`Replayed` item: no parsing, hashing, or look-up per article;
    * a plain JSON Lines file that only grew (its first ``size`` bytes hash as stored: an
      appended feed) replays the records of its complete lines and reads on from the end
      of the last (the reader reports the byte offset of each line; not so for CSV, gzip
      or UTF-16, which are read again when they change);
    * a file under another name whose first bytes are those of a stored file (a copy, a
      renamed or re-exported feed) does the same, when that file's records do not depend
      on its name;
    * anything else (an edited or truncated file, a changed encoding verdict, ids that
      earlier files now take differently, a publication date now on the other side of
      "today", a missing stream) is read as usual, article by article (with their cached
      results), and its manifest written anew.

    A manifest is only written for a file read to its end whose every article was
    processed without error. Memory stays flat: records stream to and from disk; only
    the ids checked against earlier files are kept.
    """

    def __init__(self, cache: ResultCache, *, max_bytes: int) -> None:
        self.cache = cache
        self.reader_key = f"manifest-{MANIFEST_FORMAT}/max_bytes={max_bytes}"
        self.folder = cache.folder / _STREAMS
        self._writer: _StreamWriter | None = None
        self.replayed_files = 0  # files replayed whole
        self.grown_files = 0  # files replayed in part, then read on

    # -- the reader's side -----------------------------------------------------------
    def read_rows(self, reader: Any, path: Path, st: os.stat_result, *, kind: str,
                  gz: bool) -> Iterator[Any]:
        """Read one JSON Lines or CSV file (*kind* ``jsonl``, ``csv`` or ``tsv``) for
        *reader*, replaying what a manifest allows."""
        from .articles import _detect_encoding, _Fault

        spelled, resolved = str(path), os.path.realpath(path)
        key = f"{self.reader_key}/{kind}{'.gz' if gz else ''}"
        try:
            with open(path, "rb") as f:
                sample = f.read(_SAMPLE_BYTES)
        except OSError:  # the reader reports it
            yield from _read(reader, path, kind, gz)
            return
        verdict = None  # set for a file read line by line from bytes: it can be tailed
        if kind == "jsonl" and not gz:
            with contextlib.suppress(_Fault):
                verdict = _detect_encoding(sample, final=False)
            if verdict is not None and verdict[0].startswith("utf-16"):  # read as text
                verdict = None
        head = hashlib.sha256(sample[:_HEAD_BYTES]).hexdigest()
        plan = self._find_plan(key, reader, spelled, resolved, path, st, verdict, head)
        rec = _Recording(reader, spelled, plan)
        reader.listener = rec
        try:
            rewrite = plan is None or not plan.complete or not plan.same_path
            yield ManifestMark("start", spelled if rewrite else None)
            if plan is not None:
                yield from self._replay(plan, reader, rec, spelled)
                if plan.complete:
                    self.replayed_files += 1
                else:
                    self.grown_files += 1
                    rec.offset = plan.resume[0]  # type: ignore[index]
            if plan is None or not plan.complete:
                sink = rec if verdict is not None else None
                for article in _read(reader, path, kind, gz, resume=plan and plan.resume,
                                     sink=sink):
                    yield from rec.drain()
                    article.meta["end"] = rec.offset
                    rec.saw(article.published)
                    yield article
                yield from rec.drain()
            if not rewrite:
                touch = plan.touch and not _racy(st)  # type: ignore[union-attr]
                yield ManifestMark("end", ("touch", key, spelled, resolved, st.st_mtime_ns)
                                   if touch else None)
            else:
                yield ManifestMark("end", self._summary(key, rec, reader, resolved, path, st,
                                                        verdict, head, plan))
        except Exception:
            yield ManifestMark("abort")
            raise
        finally:
            reader.listener = None
            if plan is not None:
                plan.stream.close()

    def _find_plan(self, key: str, reader: Any, spelled: str, resolved: str, path: Path,
                   st: os.stat_result, verdict: tuple[str, str | None] | None, head: str
                   ) -> _Plan | None:
        found = self.cache.get_manifest(key, spelled, resolved)
        if found is not None:
            plan = self._plan(found, reader, path, st, verdict, same_path=True)
            if plan is not None:
                return plan
        for other in self.cache.find_manifests(key, head, st.st_size):
            if found is not None and other.stream == found.stream:
                continue
            plan = self._plan(other, reader, path, st, verdict, same_path=False)
            if plan is not None:
                return plan
        return None

    def _plan(self, found: Manifest, reader: Any, path: Path, st: os.stat_result,
              verdict: tuple[str, str | None] | None, *, same_path: bool) -> _Plan | None:
        meta = found.meta
        if not _same_warnings_about_the_future(meta, reader.today):
            return None
        if any(reader.ids.get(k) != v for k, v in meta["probes"].items()):
            return None  # earlier files take other ids now: the duplicates would differ
        try:
            stream = open(self.folder / found.stream, "rb")  # noqa: SIM115 - closed by the caller
        except OSError:
            return None
        try:
            if os.fstat(stream.fileno()).st_size != meta["stream_size"]:
                raise OSError("incomplete stream")
            if same_path and st.st_size == found.size and st.st_mtime_ns == found.mtime_ns:
                return _Plan(found, stream, same_path=True, complete=True)
            grown = st.st_size > found.size
            if st.st_size < found.size or grown and (
                    verdict is None or meta["verdict"] is None
                    or tuple(meta["verdict"]) != verdict):
                raise OSError("truncated, or grown but not read line by line in this encoding")
            boundary = meta["boundary"]
            sha = hashlib.sha256()
            with open(path, "rb") as f:
                _hash_range(f, sha, boundary)
                at_boundary = sha.copy()
                _hash_range(f, sha, found.size - boundary)
            if sha.hexdigest() != found.sha256:
                raise OSError("other bytes")
            if not grown:
                return _Plan(found, stream, same_path=same_path, complete=True, touch=True)
            return _Plan(found, stream, same_path=same_path, complete=False, sha=at_boundary,
                         resume=(boundary, meta["lines"] + 1, verdict[0]))  # type: ignore[index]
        except OSError:
            stream.close()
            return None

    def _replay(self, plan: _Plan, reader: Any, rec: _Recording, spelled: str
                ) -> Iterator[Any]:
        limit = None if plan.complete else plan.resume[0]  # type: ignore[index]
        copied = 0
        # The chunks whose every record is replayed are copied, bytes as they are, into a
        # new stream (when one is written): their items are marked as copied meanwhile.
        rec.copying = True
        try:
            while True:
                try:
                    # (one unpickler per chunk: each was pickled on its own, and an
                    # unpickler's memo would carry over from one chunk to the next)
                    chunk = pickle.load(plan.stream)
                except EOFError:
                    break
                except (pickle.UnpicklingError, ValueError, TypeError) as err:
                    raise FrontlineError(
                        f"the result cache's record stream {plan.stream.name} is damaged "
                        f"({err}); delete the cache folder, or run with --no-cache") from err
                if rec.copying and limit is not None and chunk and chunk[-1][0] > limit:
                    rec.copying = False  # this chunk holds lines to read again
                    yield ManifestMark("copy", (plan.stream.name, copied))
                copied = plan.stream.tell()  # (pickle reads no further than it needs)
                for record in chunk:
                    if limit is not None and record[0] > limit:
                        return
                    rec.offset = record[0]
                    if len(record) == 4:  # a problem: reported again, as the reader did
                        reader.report(spelled + record[1], record[2], record[3])
                        yield from rec.drain()
                    else:
                        origin = spelled + record[2]
                        reader.claim_id(record[1], origin)
                        yield Replayed((*record[:2], origin, *record[3:]), rec.copying)
            if rec.copying:
                yield ManifestMark("copy", (plan.stream.name, plan.stream.tell()))
        finally:
            rec.copying = False

    def _summary(self, key: str, rec: _Recording, reader: Any, resolved: str, path: Path,
                 st: os.stat_result, verdict: tuple[str, str | None] | None, head: str,
                 plan: _Plan | None) -> tuple:
        from .articles import _detect_encoding, _Fault

        if not rec.ok:
            return ("skip",)
        try:
            if plan is not None and plan.complete:
                size, sha = plan.manifest.size, plan.manifest.sha256
            elif verdict is not None:  # the sink saw every byte
                size, sha = rec.offset, rec.sha.hexdigest()
                # What the reader detected from the first bytes it read must be the
                # verdict stored (a grown file's was compared with the stored one).
                if plan is None and _detect_encoding(bytes(rec.head), final=False) != verdict:
                    return ("skip",)
            else:  # read as text, or gzipped: hash the file as it was read
                size, whole = st.st_size, hashlib.sha256()
                with open(path, "rb") as f:
                    _hash_range(f, whole, size)
                sha = whole.hexdigest()
            now = os.stat(path)
        except (OSError, _Fault):
            return ("skip",)
        unchanged = now.st_size == size and now.st_mtime_ns == st.st_mtime_ns
        if verdict is None and not unchanged:
            return ("skip",)  # changed while it was read: the hash may not be of what was read
        meta = {"today": reader.today, "max_published": rec.max_published,
                "probes": rec.probes, "boundary": rec.boundary, "lines": rec.lines,
                "verdict": verdict}
        # The quick check (size and time) only holds if the file did not change while it
        # was read; otherwise the next run compares bytes.
        mtime = st.st_mtime_ns if unchanged and not _racy(st) else -1
        return ("write", key, Manifest(rec.spelled, head, rec.portable, size, mtime, sha, "",
                                       meta), resolved)

    # -- the results' side -------------------------------------------------------------
    def take(self, item: Any) -> None:
        """Pass on a mark or a replayed article, in input order."""
        if type(item) is Replayed:
            if self._writer is not None and not item.copied:
                record = item.record
                self._writer.add((*record[:2], record[2][len(self._writer.spelled):],
                                  *record[3:]))
            return
        kind = item.kind
        if kind == "problem":
            if self._writer is not None:
                self._writer.add(item.data)
        elif kind == "copy":
            if self._writer is not None:
                self._writer.copy(*item.data)
        elif kind == "start":
            self._drop()
            if item.data is not None:
                with contextlib.suppress(OSError):  # (a manifest is only a shortcut)
                    self._writer = _StreamWriter(self.folder, item.data)
        elif kind == "end":
            writer, self._writer = self._writer, None
            if item.data is not None and item.data[0] == "touch":
                self.cache.touch_manifest(*item.data[1:])
            elif writer is not None:
                if writer.ok and item.data[0] == "write":
                    self._store(writer, *item.data[1:])
                else:
                    writer.discard()
        else:  # abort
            self._drop()

    def article(self, article: Any, events_part: bytes) -> None:
        """The events part of an article read in this run (fresh or from the cache)."""
        writer = self._writer
        if writer is not None:
            meta = article.meta
            if "end" not in meta or not article.origin.startswith(writer.spelled):
                writer.ok = False  # (not an article of the file being recorded)
                return
            writer.add((meta["end"], article.article_id, article.origin[len(writer.spelled):],
                        article.title, article.published, article.source, article.url,
                        dict(meta), events_part))

    def failed(self) -> None:
        """The current article failed: its file gets no manifest."""
        if self._writer is not None:
            self._writer.ok = False

    def close(self) -> None:
        """Drop a manifest left unfinished (the run stopped early)."""
        self._drop()

    def _drop(self) -> None:
        if self._writer is not None:
            self._writer.discard()
            self._writer = None

    def _store(self, writer: _StreamWriter, key: str, manifest: Manifest, resolved: str
               ) -> None:
        try:
            name, stream_size = writer.finish()
        except OSError:
            writer.discard()
            return
        manifest.meta["stream_size"] = stream_size
        old = self.cache.put_manifest(key, resolved, dataclasses.replace(manifest, stream=name))
        if old and old != name:
            with contextlib.suppress(OSError):
                (self.folder / old).unlink()


def _same_warnings_about_the_future(meta: dict, today: Any) -> bool:
    """Whether the reader, on *today*, gives the same warnings about publication dates in
    the future as it did when the manifest was made (they name the day: any such date
    makes them depend on it).

    Examples
    --------
    >>> import datetime as dt
    >>> meta = {"today": dt.date(2024, 6, 1), "max_published": dt.date(2024, 5, 1)}
    >>> [_same_warnings_about_the_future(meta, dt.date(2024, m, 1)) for m in (4, 5, 6, 7)]
    [False, True, True, True]
    """
    then, latest = meta["today"], meta["max_published"]
    return today == then or latest is None or latest <= min(today, then)


def _read(reader: Any, path: Path, kind: str, gz: bool, *,
          resume: tuple[int, int, str] | None = None, sink: Any = None) -> Iterator[Any]:
    if kind == "jsonl":
        return reader.read_jsonl(path, gz, resume=resume, sink=sink)
    return reader.read_csv(path, gz, tab=kind == "tsv")


def _copy_bytes(source: Any, target: Any, size: int) -> int:
    done = 0
    while done < size:
        block = source.read(min(size - done, _HASH_BLOCK))
        if not block:
            break
        target.write(block)
        done += len(block)
    return done


def _racy(st: os.stat_result) -> bool:
    return time.time_ns() - st.st_mtime_ns < _RACY_NS


def _hash_range(f: Any, sha: Any, n: int) -> None:
    while n > 0:
        block = f.read(min(n, _HASH_BLOCK))
        if not block:
            raise OSError("file shorter than expected")
        sha.update(block)
        n -= len(block)


class _StreamWriter:
    """A record stream being written: a temporary file, renamed when complete."""

    def __init__(self, folder: Path, spelled: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.spelled = spelled
        self.name = f"{secrets.token_hex(12)}.stream"
        self.path = folder / self.name
        self.tmp = folder / (self.name + ".tmp")
        self.file = open(self.tmp, "wb")  # noqa: SIM115 - closed by finish() or discard()
        self.chunk: list[Record] = []
        self.ok = True

    def copy(self, path: str, size: int) -> None:
        """Start the stream with the first *size* bytes of another (whole chunks)."""
        try:
            with open(path, "rb") as f:
                copied = _copy_bytes(f, self.file, size)
        except OSError:
            copied = -1
        if copied != size or self.chunk:
            self.ok = False  # (gone meanwhile; or records came first: never so)

    def add(self, record: Record) -> None:
        if not self.ok:
            return  # this stream will be discarded
        self.chunk.append(record)
        if len(self.chunk) >= _CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self.chunk and self.ok:
            try:
                pickle.dump(self.chunk, self.file, protocol=5)
            except OSError:  # a full disk, say: the run goes on without this manifest
                self.ok = False
        self.chunk = []

    def finish(self) -> tuple[str, int]:
        self._flush()
        if not self.ok:
            raise OSError("the stream could not be written")
        size = self.file.tell()
        self.file.close()
        os.replace(self.tmp, self.path)
        return self.name, size

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.file.close()
        with contextlib.suppress(OSError):
            self.tmp.unlink()
