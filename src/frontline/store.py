"""The result cache's store: one SQLite database, its tables and their schemas.

Everything that speaks SQL to the cache is here. The database (``results.sqlite`` in the cache folder,
WAL mode, read through a memory map) holds two tables: ``article_results``, the encoded
results of each article (see :mod:`frontline.cache`), and ``manifests``, what was read
from each JSON Lines or CSV file (see :mod:`frontline.manifests`), whose record streams
are files in the ``manifests/`` folder beside it. The schema's version is the database's
``user_version``.

A database of the previous layout is made into this one in place, its entries kept.
The cache is only a shortcut, so a damaged one never stops a run: a file that is not a
database, a malformed page met by any query, or a database made with another schema (an
older Frontline's) is moved aside (renamed ``results.sqlite.damaged-<time>``) with a
warning on the ``frontline.cache`` logger, and an empty database takes its place, which
the run fills again. An entry whose bytes do not match their checksum is dropped the same
way (its article is processed again). A failure of the disk itself (full, read-only, not
writable) raises :class:`~frontline.errors.CacheError`, which says what to do.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .errors import CacheError

__all__ = ["SCHEMA_VERSION", "STREAMS", "Manifest", "Store"]

log = logging.getLogger("frontline.cache")

#: The layout of the tables (the database's ``user_version``); 0 was the pickled layout,
#: 2 kept the results in the key's b-tree (a WITHOUT ROWID table).
SCHEMA_VERSION = 3

#: The folder of the manifests' record streams, inside the cache folder.
STREAMS = "manifests"

# The results are a rowid table, appended to in the order they come, and the keys (content
# hashes, in no order) an index beside it: random insertions move only the small index
# entries, not the results' kilobytes, and reading the events part of a row does not read
# the pages of its details. (Kept in the key's b-tree, as in layout 2, writing them took
# twice the time and reading the events parts back three times.)
_RESULTS = (
    """
CREATE TABLE IF NOT EXISTS article_results (
    version TEXT NOT NULL,
    key     TEXT NOT NULL,
    crc     INTEGER NOT NULL,
    events  BLOB NOT NULL,
    detail  BLOB NOT NULL
)
""",
    "CREATE UNIQUE INDEX IF NOT EXISTS article_results_by_key ON article_results (version, key)",
)

_SCHEMA = (
    *_RESULTS,
    """
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
    meta     TEXT NOT NULL,
    PRIMARY KEY (version, reader, path, resolved)
)
""",
    "CREATE INDEX IF NOT EXISTS manifests_by_head ON manifests (version, reader, head, portable)",
)

#: Older layouts made into this one in place, each by its statements (run in one
#: transaction), rather than moved aside and filled again.
_MIGRATIONS = {
    2: (
        "ALTER TABLE article_results RENAME TO article_results_2",
        *_RESULTS,
        "INSERT INTO article_results (version, key, crc, events, detail) "
        "SELECT version, key, crc, events, detail FROM article_results_2",
        "DROP TABLE article_results_2",
    ),
}

#: How much of the database SQLite may memory-map (a limit, not an allocation).
_MMAP_BYTES = 1 << 30
#: Manifests of other files with the same first bytes tried, largest first.
_CANDIDATES = 3
#: SQLite's result codes for a damaged database: SQLITE_CORRUPT, SQLITE_NOTADB.
_DAMAGED = (11, 26)
_HINTS = {
    13: "the disk is full: free some space",
    8: "the cache folder is read-only",
    14: "the database file cannot be opened",
    10: "the disk cannot be read or written",
}

#: One cached article: (events part, details part or None when not asked for).
Entry = tuple[bytes, "bytes | None"]
T = TypeVar("T")


@dataclasses.dataclass(frozen=True, slots=True)
class Manifest:
    """What the cache knows of one JSON Lines or CSV file (a row of ``manifests``).

    ``portable``: its records do not depend on the file's name (no id was made from it,
    no message names it), so a file with the same first bytes under another name may
    replay them. ``meta`` is plain JSON data.
    """

    path: str
    head: str
    portable: bool
    size: int
    mtime_ns: int
    sha256: str
    stream: str
    meta: dict


def checksum(events: bytes) -> int:
    """The checksum stored with an entry's events part."""
    return zlib.crc32(events)


class Store:
    """The SQLite database of a cache folder (created when missing).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with Store(folder) as store:
    ...     store.put_entries("v1", [("k1", b"[]", b"{}")])
    ...     store.entries("v1", ["k1", "k2"], detail=True)
    {'k1': (b'[]', b'{}')}
    >>> _ = (folder / Store.FILENAME).write_bytes(b"not a database" * 100)
    >>> with Store(folder) as store:  # moved aside, with a warning, and made anew
    ...     store.entries("v1", ["k1"], detail=False), len(store.moved_aside)
    ({}, 1)
    """

    FILENAME = "results.sqlite"

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.path = self.folder / self.FILENAME
        self.moved_aside: list[Path] = []  # damaged databases moved aside by this store
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise self._unusable(err) from err
        self._db = self._open()

    # -- opening, and a damaged database ------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            db = self._connect()
        except sqlite3.DatabaseError as err:
            if not _damaged(err):
                raise self._unusable(err) from err
            self._move_aside(str(err))
            db = self._connect()
        return db

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            # Lookups by content hash land on random pages of a large file: reading them
            # through a memory map instead of SQLite's page cache halves their cost.
            db.execute(f"PRAGMA mmap_size={_MMAP_BYTES}")
            (version,) = db.execute("PRAGMA user_version").fetchone()
            if version in _MIGRATIONS:
                _migrate(db)
            elif version != SCHEMA_VERSION:
                tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if tables:
                    db.close()
                    self._move_aside(
                        f"made by another version of Frontline (layout "
                        f"{version}, now {SCHEMA_VERSION})"
                    )
                    return self._connect()
                for statement in _SCHEMA:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except BaseException:
            db.close()
            raise
        return db

    def _move_aside(self, why: str) -> None:
        aside = self.path.with_name(
            f"{self.FILENAME}.damaged-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        )
        try:
            os.replace(self.path, aside)
        except FileNotFoundError:
            pass  # (another run moved it first)
        except OSError as err:
            raise self._unusable(err) from err
        for extra in ("-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.replace(f"{self.path}{extra}", f"{aside}{extra}")
        self.moved_aside.append(aside)
        log.warning(
            "the result cache %s cannot be used (%s): moved aside to %s; a new one is filled again",
            self.path,
            why,
            aside.name,
        )

    def _recover(self, err: sqlite3.DatabaseError) -> None:
        """Move a database found damaged aside and open an empty one."""
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        self._move_aside(str(err))
        self._db = self._open()

    def _unusable(self, err: BaseException) -> CacheError:
        code = getattr(err, "sqlite_errorcode", None)
        what = (
            _HINTS.get(code & 0xFF, str(err))
            if code is not None
            else getattr(err, "strerror", None) or str(err)
        )
        return CacheError(
            f"cannot use the result cache {self.path}: {what}; pass another "
            "folder with --cache-dir (or FRONTLINE_CACHE_DIR), or run with "
            "--no-cache"
        )

    def _guarded(self, query: Callable[[], T]) -> T:
        """Run *query*; a damaged database is replaced by an empty one and it runs again."""
        try:
            return query()
        except sqlite3.DatabaseError as err:
            if not _damaged(err):
                raise self._unusable(err) from err
            self._recover(err)
        try:
            return query()
        except sqlite3.DatabaseError as err:
            raise self._unusable(err) from err

    @contextlib.contextmanager
    def _writing(self, begin: str = "BEGIN") -> Iterator[None]:
        """One transaction; a failure is rolled back and raised as CacheError."""
        try:
            self._db.execute(begin)
            yield
            self._db.execute("COMMIT")
        except sqlite3.Error as err:
            if self._db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
            if isinstance(err, sqlite3.DatabaseError) and _damaged(err):
                self._recover(err)
                raise _Retry from err
            raise self._unusable(err) from err

    def _write(self, work: Callable[[], T], begin: str = "BEGIN") -> T:
        for attempt in (1, 2):
            try:
                with self._writing(begin):
                    return work()
            except _Retry as retry:
                if attempt == 2:
                    raise self._unusable(retry.__cause__ or retry) from retry.__cause__
        raise AssertionError("unreachable")  # pragma: no cover

    # -- entries ------------------------------------------------------------------------

    def entries(self, version: str, keys: Sequence[str], *, detail: bool) -> dict[str, Entry]:
        """The entries stored for *keys* under *version* (missing keys are absent); with
        ``detail=False`` only the events part is read. Entries whose events part does not
        match its checksum are dropped, with a warning, and absent."""
        return self._guarded(lambda: self._entries(version, keys, detail))

    def _entries(self, version: str, keys: Sequence[str], detail: bool) -> dict[str, Entry]:
        found: dict[str, Entry] = {}
        bad: list[str] = []
        columns = "crc, events, detail" if detail else "crc, events, NULL"
        for i in range(0, len(keys), 500):  # stay under SQLite's variable limit
            chunk = list(keys[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, {columns} FROM article_results WHERE version = ? "  # noqa: S608
                f"AND key IN ({marks})",
                [version, *chunk],
            )
            for key, crc, events, details in rows:
                if type(events) is not bytes or zlib.crc32(events) != crc:
                    bad.append(key)
                else:
                    found[key] = (events, details)
        if bad:
            log.warning(
                "the result cache %s held %d damaged entr%s: processed again",
                self.path,
                len(bad),
                "y" if len(bad) == 1 else "ies",
            )
            with contextlib.suppress(CacheError):
                self._write(
                    lambda: self._db.executemany(
                        "DELETE FROM article_results WHERE version = ? AND key = ?",
                        [(version, k) for k in bad],
                    )
                )
        return found

    def put_entries(self, version: str, items: Iterable[tuple[str, bytes, bytes]]) -> None:
        """Store (key, events part, details part) items under *version*, in one
        transaction."""
        rows = [(version, k, zlib.crc32(ev), ev, de) for k, ev, de in items]
        if rows:
            self._write(
                lambda: self._db.executemany(
                    "INSERT OR REPLACE INTO article_results (version, key, crc, events, detail) "
                    "VALUES (?, ?, ?, ?, ?)",
                    rows,
                )
            )

    def count_entries(self, version: str) -> int:
        """How many entries *version* has."""
        return int(
            self._guarded(
                lambda: self._db.execute(
                    "SELECT count(*) FROM article_results WHERE version = ?", (version,)
                ).fetchone()[0]
            )
        )

    def stale_entries(self, version: str) -> int:
        """How many entries belong to other versions than *version*."""
        return int(
            self._guarded(
                lambda: self._db.execute(
                    "SELECT count(*) FROM article_results WHERE version != ?", (version,)
                ).fetchone()[0]
            )
        )

    def has_stale(self, version: str) -> bool:
        """Whether any entry or manifest belongs to another version (an index look-up,
        where :meth:`stale_entries` reads the whole table)."""

        def look() -> bool:
            for table in ("article_results", "manifests"):
                row = self._db.execute(
                    f"SELECT 1 FROM {table} WHERE version < ? OR version > ? LIMIT 1",  # noqa: S608
                    (version, version),
                ).fetchone()
                if row is not None:
                    return True
            return False

        return self._guarded(look)

    def prune(self, version: str) -> tuple[int, set[str]]:
        """Delete the entries and manifests of other versions; returns how many entries
        were removed and the record streams still referred to."""

        def work() -> tuple[int, set[str]]:
            cur = self._db.execute("DELETE FROM article_results WHERE version != ?", (version,))
            self._db.execute("DELETE FROM manifests WHERE version != ?", (version,))
            kept = {s for (s,) in self._db.execute("SELECT stream FROM manifests")}
            return cur.rowcount, kept

        return self._write(work)

    # -- manifests ----------------------------------------------------------------------

    _MANIFEST_COLUMNS = "path, head, portable, size, mtime_ns, sha256, stream, meta"

    def _manifests(self, version: str, reader: str, where: str, args: tuple) -> list[Manifest]:
        rows = self._guarded(
            lambda: self._db.execute(
                f"SELECT {self._MANIFEST_COLUMNS} FROM manifests WHERE version = ? AND "  # noqa: S608
                f"reader = ? AND {where}",
                (version, reader, *args),
            ).fetchall()
        )
        found = []
        for path, head, portable, size, mtime_ns, sha, stream, meta in rows:
            try:
                data = json.loads(meta)
            except (TypeError, ValueError, RecursionError):
                data = None
            if not isinstance(data, dict):
                log.warning(
                    "the result cache %s held a damaged file manifest: %s is read again",
                    self.path,
                    path,
                )
                continue  # the file is read as if never seen, and its manifest written anew
            found.append(Manifest(path, head, bool(portable), size, mtime_ns, sha, stream, data))
        return found

    def get_manifest(self, version: str, reader: str, path: str, resolved: str) -> Manifest | None:
        """The manifest stored for a file (*path* as written and *resolved*), if any."""
        found = self._manifests(version, reader, "path = ? AND resolved = ?", (path, resolved))
        return found[0] if found else None

    def find_manifests(self, version: str, reader: str, head: str, max_size: int) -> list[Manifest]:
        """Portable manifests of files whose first bytes hash to *head*, no larger than
        *max_size*, largest first (at most a few)."""
        return self._manifests(
            version,
            reader,
            f"head = ? AND portable = 1 AND size <= ? ORDER BY size DESC LIMIT {_CANDIDATES}",
            (head, max_size),
        )

    def put_manifest(
        self, version: str, reader: str, resolved: str, manifest: Manifest
    ) -> str | None:
        """Store a file's manifest; returns the stream name of the one it replaces."""
        key = (version, reader, manifest.path, resolved)
        meta = json.dumps(manifest.meta, separators=(",", ":"))

        def work() -> str | None:
            old = self._db.execute(
                "SELECT stream FROM manifests WHERE version = ? AND reader = ? AND "
                "path = ? AND resolved = ?",
                key,
            ).fetchone()
            self._db.execute(
                "INSERT OR REPLACE INTO manifests (version, reader, path, resolved, head, "
                "portable, size, mtime_ns, sha256, stream, meta) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    *key,
                    manifest.head,
                    int(manifest.portable),
                    manifest.size,
                    manifest.mtime_ns,
                    manifest.sha256,
                    manifest.stream,
                    meta,
                ),
            )
            return old[0] if old else None

        return self._write(work, "BEGIN IMMEDIATE")

    def drop_manifests(
        self, version: str, reader: str, head: str, drop: Callable[[str], bool]
    ) -> list[str]:
        """Delete the manifests of files whose first bytes hash to *head* and whose
        resolved path *drop* accepts; returns their stream names."""
        rows = self._guarded(
            lambda: self._db.execute(
                "SELECT path, resolved, stream FROM manifests WHERE version = ? AND reader = ? "
                "AND head = ?",
                (version, reader, head),
            ).fetchall()
        )
        gone = [(path, resolved, stream) for path, resolved, stream in rows if drop(resolved)]
        if not gone:
            return []
        try:
            self._write(
                lambda: self._db.executemany(
                    "DELETE FROM manifests WHERE version = ? AND reader = ? AND path = ? AND "
                    "resolved = ?",
                    [(version, reader, p, r) for p, r, _ in gone],
                )
            )
        except CacheError:
            return []  # (only room is lost)
        return [stream for _, _, stream in gone]

    def touch_manifest(
        self, version: str, reader: str, path: str, resolved: str, mtime_ns: int
    ) -> None:
        """Record a new modification time for a file whose bytes did not change."""
        with contextlib.suppress(CacheError):  # only a shortcut for the next run is lost
            self._write(
                lambda: self._db.execute(
                    "UPDATE manifests SET mtime_ns = ? WHERE version = ? AND reader = ? AND "
                    "path = ? AND resolved = ?",
                    (mtime_ns, version, reader, path, resolved),
                )
            )

    def drop_manifest_of_stream(self, stream: str) -> None:
        """Forget the manifests whose record stream is *stream* (found damaged)."""
        with contextlib.suppress(CacheError):
            self._write(
                lambda: self._db.execute("DELETE FROM manifests WHERE stream = ?", (stream,))
            )

    # -- the connection -----------------------------------------------------------------

    def execute(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Run one statement as it is (for tests and diagnostics)."""
        return self._db.execute(sql, args)

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open (never, between calls)."""
        return self._db.in_transaction

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _migrate(db: sqlite3.Connection) -> None:
    """Make an older layout this one, in one transaction (unless another process has
    just done it)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        (version,) = db.execute("PRAGMA user_version").fetchone()
        for statement in _MIGRATIONS.get(version, ()):
            db.execute(statement)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


class _Retry(Exception):
    """A write met a damaged database, which was replaced: write again."""


def _damaged(err: sqlite3.DatabaseError) -> bool:
    code = getattr(err, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _DAMAGED
    return type(err) is sqlite3.DatabaseError  # (no code: "file is not a database")
