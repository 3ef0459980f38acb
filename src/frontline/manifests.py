"""File manifests: a rerun does not read again what it read before.

Looking an article up still means reading, parsing and hashing it (~0.06 ms of the ~0.1 ms
a cached article costs). So for each JSON Lines or CSV file, the usual shapes of a large
corpus, :class:`FileManifests` also stores a *manifest*: keyed by the cache version, the
reader's options and format and the file's path (as written and resolved), it holds the
size, modification time and sha256 of the file, and a *record stream* (a file under
``manifests/``) of what reading and processing gave, in order: each problem reported,
and each article's id, origin, title, date, source, url and events part (never its text).
On a rerun, an unchanged file replays its stream without parsing a row. A file that
only grew (its first bytes hash as before: new wire copy appended) replays the records
of its complete lines or rows and reads on from the end of the last (gzipped and UTF-16
files are read again when they change: the reader cannot tell their rows' byte
offsets). A file under another name whose first bytes are those of a stored one (a copy,
a re-export) is matched by the hash of its first 4 kB, if its records do not depend on
its name. Anything else (an edit, a truncation, ids taken differently by earlier files,
"today" moving past a publication date) falls back to reading article by article, so
the results, warnings and errors are always those of a run without the cache. Only runs
that want events (``details=False``: ``frontline events`` and ``map``) use manifests,
through :func:`frontline.pipeline.run_inputs`. The stream repeats the events parts (~1.4 kB per
article) that the database holds too: reading them in order, rather than looking each
up at random in the database, is what makes a replay cheap.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import secrets
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CacheError
from .outputs import remove_stale_tmps, temporary_path
from .readers import Fault, ReadState, RowFormat, detect_encoding
from .store import STREAMS, Manifest

if TYPE_CHECKING:  # pragma: no cover
    from .cache import ResultCache

__all__ = ["FileManifests", "Manifest", "ManifestMark", "Replayed"]

#: Bump when the layout of a manifest or of its record stream changes.
MANIFEST_FORMAT = "2"

log = logging.getLogger("frontline.cache")

_CHUNK = 256  # records per chunk of a stream: one parse per chunk, not per record
_HASH_BLOCK = 1 << 20
_SAMPLE_BYTES = 1 << 16  # as much as the reader looks at to detect an encoding
_HEAD_BYTES = 4096  # the bytes whose hash finds the manifests of a file under another name
#: A modification time this close to the moment it is recorded may not tell a later change
#: in the same clock tick apart (as git's "racily clean" entries): such a file's bytes are
#: compared on the next run instead.
_RACY_NS = 2_000_000_000

#: A record of a stream: a problem ``(end, origin, message, severity)`` or an article
#: ``(end, article_id, origin, title, published, source, url, meta, events part)``.
#: ``end`` is the offset of the end of the line it came from; ``origin`` is what follows
#: the file's path (``":12"``).
Record = tuple


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

    def __init__(
        self,
        manifest: Manifest,
        stream: Any,
        *,
        same_path: bool,
        complete: bool,
        touch: bool = False,
        resume: tuple[int, int, str] | None = None,
        sha: Any = None,
    ) -> None:
        self.manifest = manifest
        self.stream = stream  # the open record stream
        self.same_path = same_path  # the manifest is this file's (not one with its bytes)
        self.complete = complete  # the whole file is as stored
        self.touch = touch  # ... though its modification time changed
        self.resume = resume  # else: (offset, line number, codec) where new lines start
        self.sha = sha  # the sha256 state of the bytes before that offset


class _Recording:
    """What the reader does with one JSON Lines or CSV file: where its lines or rows end
    (as the :class:`~frontline.readers.base.RowWatcher` of the format's reader: a JSON
    Lines reader gives every byte it reads, a CSV reader where each record ends), the
    problems it reports and the ids it checks (a
    *listener*)."""

    def __init__(self, reader: ReadState, spelled: str, plan: _Plan | None) -> None:
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
        self.hashing = False  # the sink sees every byte (a JSON Lines file read from bytes)
        # Whether its records' ends are byte offsets (a CSV file's are positions in the
        # decoded stream: offsets as long as the decoder keeps no state)
        self.tailable = meta.get("verdict") is not None if found is not None else True
        self.marks: list[ManifestMark] = []

    # -- the sink ------------------------------------------------------------------
    def bytes_read(self, chunk: bytes) -> None:
        """A chunk of bytes the JSON Lines reader read (see ``RowWatcher``)."""
        self.sha.update(chunk)
        if len(self.head) < _SAMPLE_BYTES:
            self.head += chunk[: _SAMPLE_BYTES - len(self.head)]
        self.offset += len(chunk)
        if chunk.endswith(b"\n"):
            self.boundary = self.offset
            self.lines += 1

    def record_end(self, end: int, complete: bool, number: int) -> None:
        """Where a CSV record ends (see ``RowWatcher``)."""
        if end >= 1 << 63:  # a position that carries decoder state: not a byte offset
            self.tailable = False
        self.offset = end
        if complete:
            self.boundary = end
            self.lines = number

    # -- the listener --------------------------------------------------------------
    def problem(self, problem: Any) -> None:
        if self.copying:
            return  # already in a chunk the new stream copies
        origin = problem.origin
        if not origin.startswith(self.spelled):
            self.ok = False
        if self.spelled in problem.message:
            self.portable = False
        self.marks.append(
            ManifestMark(
                "problem",
                (self.offset, origin[len(self.spelled) :], problem.message, problem.severity),
            )
        )

    def probe(self, article_id: str) -> None:
        if article_id not in self.own and article_id not in self.probes:
            self.probes[article_id] = self.reader.ids.get(article_id)

    def claimed(self, article_id: str) -> None:
        self.own.add(article_id)

    def named_after_file(self) -> None:
        self.portable = False

    def saw(self, published: Any) -> None:
        if published is not None and (self.max_published is None or published > self.max_published):
            self.max_published = published

    def drain(self) -> list[ManifestMark]:
        marks, self.marks = self.marks, []
        return marks


class FileManifests:
    """Per-file manifests: rerun a JSON Lines or CSV file without parsing what was read
    before.

    It plugs into the reader as its :class:`~frontline.readers.base.RowsHook` and, on the results' side, into the
    pipeline, which passes it every item in input order. For each JSON Lines or CSV file
    it stores, under the cache version, the reader's options, the format and the path (as
    written and resolved): the size, modification time and sha256 of the file, the sha256
    of its first 4 kB, and a stream of records (the problems reported and, per article,
    its id, origin, title, date, source, url and events part; never its text), in chunks
    of 256 records (a line of JSON, then the events parts' bytes), in a file under ``manifests/``.

    On a rerun:

    * an unchanged file (same size and modification time, or same bytes) replays its
      stream: the same problems are reported, the same ids taken, and each article is a
      :class:`Replayed` item: no parsing, hashing, or look-up per article;
    * a file that only grew (its first ``size`` bytes hash as stored: an appended feed)
      replays the records of its complete lines (JSON Lines) or rows (CSV) and reads on
      from the end of the last: the reader reports where each ends (not in a gzipped or
      UTF-16 file, which is read again when it changes);
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
        self.folder = cache.folder / STREAMS
        remove_stale_tmps(self.folder)  # (streams left by a killed run)
        self._writer: _StreamWriter | None = None
        self.replayed_files = 0  # files replayed whole
        self.grown_files = 0  # files replayed in part, then read on

    # -- the reader's side -----------------------------------------------------------
    def read_rows(
        self, reader: ReadState, fmt: RowFormat, path: Path, st: os.stat_result, *, gz: bool
    ) -> Iterator[Any]:
        """Read one JSON Lines or CSV file in *fmt* for *reader*, replaying what a
        manifest allows."""
        kind = fmt.name
        spelled, resolved = str(path), os.path.realpath(path)
        key = f"{self.reader_key}/{kind}{'.gz' if gz else ''}"
        try:
            with open(path, "rb") as f:
                sample = f.read(_SAMPLE_BYTES)
        except OSError:  # the reader reports it
            yield from fmt.read_rows(reader, path, gz)
            return
        verdict = None  # set for a file whose lines' byte offsets are known: it can be tailed
        if not gz:
            with contextlib.suppress(Fault):
                verdict = detect_encoding(sample, final=False)
            if verdict is not None and verdict[0].startswith("utf-16"):  # (no byte offsets)
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
                rec.hashing = verdict is not None and kind == "jsonl"
                for article in fmt.read_rows(
                    reader,
                    path,
                    gz,
                    resume=plan and plan.resume,
                    watcher=rec if verdict is not None else None,
                ):
                    yield from rec.drain()
                    article.meta["end"] = rec.offset
                    rec.saw(article.published)
                    yield article
                yield from rec.drain()
            if not rewrite:
                touch = plan.touch and not _racy(st)  # type: ignore[union-attr]
                yield ManifestMark(
                    "end", ("touch", key, spelled, resolved, st.st_mtime_ns) if touch else None
                )
            else:
                yield ManifestMark(
                    "end",
                    self._summary(key, kind, rec, reader, resolved, path, st, verdict, head, plan),
                )
        except Exception:
            yield ManifestMark("abort")
            raise
        finally:
            reader.listener = None
            if plan is not None:
                plan.stream.close()

    def _find_plan(
        self,
        key: str,
        reader: ReadState,
        spelled: str,
        resolved: str,
        path: Path,
        st: os.stat_result,
        verdict: tuple[str, str | None] | None,
        head: str,
    ) -> _Plan | None:
        store, version = self.cache.store, self.cache.version
        found = _readable(store.get_manifest(version, key, spelled, resolved))
        if found is not None:
            plan = self._plan(found, reader, path, st, verdict, same_path=True)
            if plan is not None:
                return plan
        for other in store.find_manifests(version, key, head, st.st_size):
            other = _readable(other)
            if other is None:
                continue
            if found is not None and other.stream == found.stream:
                continue
            plan = self._plan(other, reader, path, st, verdict, same_path=False)
            if plan is not None:
                return plan
        return None

    def _plan(
        self,
        found: Manifest,
        reader: ReadState,
        path: Path,
        st: os.stat_result,
        verdict: tuple[str, str | None] | None,
        *,
        same_path: bool,
    ) -> _Plan | None:
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
            if _crc_of(stream) != meta["stream_crc"]:
                log.warning(
                    "the result cache's record stream %s is damaged: %s is read again",
                    found.stream,
                    path,
                )
                self.cache.store.drop_manifest_of_stream(found.stream)
                raise OSError("damaged stream")
            if same_path and st.st_size == found.size and st.st_mtime_ns == found.mtime_ns:
                return _Plan(found, stream, same_path=True, complete=True)
            grown = st.st_size > found.size
            if (
                st.st_size < found.size
                or grown
                and (
                    verdict is None or meta["verdict"] is None or tuple(meta["verdict"]) != verdict
                )
            ):
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
            return _Plan(
                found,
                stream,
                same_path=same_path,
                complete=False,
                sha=at_boundary,
                resume=(boundary, meta["lines"] + 1, verdict[0]),
            )  # type: ignore[index]
        except OSError:
            stream.close()
            return None

    def _replay(
        self, plan: _Plan, reader: ReadState, rec: _Recording, spelled: str
    ) -> Iterator[Any]:
        limit = None if plan.complete else plan.resume[0]  # type: ignore[index]
        copied = 0
        # The chunks whose every record is replayed are copied, bytes as they are, into a
        # new stream (when one is written): their items are marked as copied meanwhile.
        rec.copying = True
        try:
            while True:
                chunk = _read_chunk(plan.stream)
                if chunk is None:
                    break
                if rec.copying and limit is not None and chunk and chunk[-1][0] > limit:
                    rec.copying = False  # this chunk holds lines to read again
                    yield ManifestMark("copy", (plan.stream.name, copied))
                copied = plan.stream.tell()
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

    def _summary(
        self,
        key: str,
        kind: str,
        rec: _Recording,
        reader: ReadState,
        resolved: str,
        path: Path,
        st: os.stat_result,
        verdict: tuple[str, str | None] | None,
        head: str,
        plan: _Plan | None,
    ) -> tuple:
        if not rec.ok:
            return ("skip",)
        try:
            if plan is not None and plan.complete:
                size, sha = plan.manifest.size, plan.manifest.sha256
            elif rec.hashing:  # the sink saw every byte
                size, sha = rec.offset, rec.sha.hexdigest()
                # What the reader detected from the first bytes it read must be the
                # verdict stored (a grown file's was compared with the stored one).
                if plan is None and detect_encoding(bytes(rec.head), final=False) != verdict:
                    return ("skip",)
            else:  # CSV, UTF-16 or gzip: hash the file, which did not change as it was read
                size, whole = st.st_size, hashlib.sha256()
                with open(path, "rb") as f:
                    _hash_range(f, whole, size)
                sha = whole.hexdigest()
            now = os.stat(path)
        except (OSError, Fault):
            return ("skip",)
        unchanged = now.st_size == size and now.st_mtime_ns == st.st_mtime_ns
        if not rec.hashing and not unchanged:
            return ("skip",)  # changed while it was read: the hash may not be of what was read
        if not rec.tailable or kind != "jsonl" and rec.boundary == 0:
            verdict = None  # no known record boundary to go on from: never tailed
        meta = {
            "today": reader.today,
            "max_published": rec.max_published,
            "probes": rec.probes,
            "boundary": rec.boundary,
            "lines": rec.lines,
            "verdict": verdict,
        }
        # The quick check (size and time) only holds if the file did not change while it
        # was read; otherwise the next run compares bytes.
        mtime = st.st_mtime_ns if unchanged and not _racy(st) else -1
        return (
            "write",
            key,
            Manifest(rec.spelled, head, rec.portable, size, mtime, sha, "", meta),
            resolved,
        )

    # -- the results' side -------------------------------------------------------------
    def take(self, item: Any) -> None:
        """Pass on a mark or a replayed article, in input order."""
        if type(item) is Replayed:
            if self._writer is not None and not item.copied:
                record = item.record
                self._writer.add((*record[:2], record[2][len(self._writer.spelled) :], *record[3:]))
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
                self.cache.store.touch_manifest(self.cache.version, *item.data[1:])
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
            writer.add(
                (
                    meta["end"],
                    article.article_id,
                    article.origin[len(writer.spelled) :],
                    article.title,
                    article.published,
                    article.source,
                    article.url,
                    dict(meta),
                    events_part,
                )
            )

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

    def _store(self, writer: _StreamWriter, key: str, manifest: Manifest, resolved: str) -> None:
        try:
            name, stream_size, crc = writer.finish()
        except OSError:
            writer.discard()
            return
        meta = {**manifest.meta, "stream_size": stream_size, "stream_crc": crc}
        meta["today"] = meta["today"].isoformat()
        if meta["max_published"] is not None:
            meta["max_published"] = meta["max_published"].isoformat()
        store, version = self.cache.store, self.cache.version
        old = store.put_manifest(
            version, key, resolved, dataclasses.replace(manifest, stream=name, meta=meta)
        )
        gone = [old] if old and old != name else []
        # Files that began the same way (the earlier snapshots of a feed, say) and no longer
        # exist will not be read again: their streams would only take room.
        gone += store.drop_manifests(
            version, key, manifest.head, lambda path: not os.path.exists(path)
        )
        for stream in gone:
            with contextlib.suppress(OSError):
                (self.folder / stream).unlink()


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


def _racy(st: os.stat_result) -> bool:
    return time.time_ns() - st.st_mtime_ns < _RACY_NS


def _hash_range(f: Any, sha: Any, n: int) -> None:
    while n > 0:
        block = f.read(min(n, _HASH_BLOCK))
        if not block:
            raise OSError("file shorter than expected")
        sha.update(block)
        n -= len(block)


def _readable(found: Manifest | None) -> Manifest | None:
    """A stored manifest with its meta as the reader compares it (dates as dates); None
    for one whose meta is not as written."""
    if found is None:
        return None
    meta = dict(found.meta)
    try:
        meta["today"] = dt.date.fromisoformat(meta["today"])
        if meta["max_published"] is not None:
            meta["max_published"] = dt.date.fromisoformat(meta["max_published"])
        for name in ("probes", "boundary", "lines", "verdict", "stream_size", "stream_crc"):
            meta[name]  # noqa: B018 - present
    except (KeyError, TypeError, ValueError):
        log.warning("the result cache held a damaged file manifest: %s is read again", found.path)
        return None
    return dataclasses.replace(found, meta=meta)


def _crc_of(stream: Any) -> int:
    """The CRC-32 of a whole open stream (read from its start, left at its start)."""
    crc = 0
    stream.seek(0)
    while block := stream.read(_HASH_BLOCK):
        crc = zlib.crc32(block, crc)
    stream.seek(0)
    return crc


def _read_chunk(stream: Any) -> list[Record] | None:
    """The records of the next chunk of a record stream; None at its end.

    A chunk is a line of JSON (the records, each article's date as ISO text and its
    events part as its length) and then the events parts' bytes, one after the other.
    """
    line = stream.readline()
    if not line:
        return None
    try:
        header = json.loads(line)
        records: list[Record] = []
        blobs = stream.read(sum(r[-1] for r in header if len(r) == 9))
        at = 0
        for r in header:
            if len(r) == 9:
                events = blobs[at : at + r[8]]
                at += r[8]
                published = dt.date.fromisoformat(r[4]) if r[4] is not None else None
                records.append((*r[:4], published, r[5], r[6], r[7], events))
            else:
                records.append(tuple(r))
        if at != len(blobs):
            raise ValueError("the stream ends inside a chunk")
    except (ValueError, TypeError, IndexError, RecursionError) as err:
        raise CacheError(
            f"the result cache's record stream {stream.name} is damaged ({err});"
            " delete the cache folder, or run with --no-cache"
        ) from err
    return records


class _StreamWriter:
    """A record stream being written: a temporary file (its name carries this process's
    id, so a run killed meanwhile leaves one the next run removes), renamed when
    complete."""

    def __init__(self, folder: Path, spelled: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.spelled = spelled
        self.name = f"{secrets.token_hex(12)}.stream"
        self.path = folder / self.name
        self.tmp = temporary_path(self.path)
        self.file = open(self.tmp, "wb")  # noqa: SIM115 - closed by finish() or discard()
        self.crc = 0
        self.chunk: list[Record] = []
        self.ok = True

    def _put(self, data: bytes) -> None:
        self.file.write(data)
        self.crc = zlib.crc32(data, self.crc)

    def copy(self, path: str, size: int) -> None:
        """Start the stream with the first *size* bytes of another (whole chunks)."""
        copied = -1
        if not self.chunk:
            try:
                with open(path, "rb") as f:
                    copied = 0
                    while copied < size and (block := f.read(min(size - copied, _HASH_BLOCK))):
                        self._put(block)
                        copied += len(block)
            except OSError:
                copied = -1
        if copied != size:
            self.ok = False  # (gone meanwhile; or records came first: never so)

    def add(self, record: Record) -> None:
        if not self.ok:
            return  # this stream will be discarded
        self.chunk.append(record)
        if len(self.chunk) >= _CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self.chunk and self.ok:
            header = []
            blobs = []
            for r in self.chunk:
                if len(r) == 9:
                    published = r[4].isoformat() if r[4] is not None else None
                    header.append([*r[:4], published, r[5], r[6], r[7], len(r[8])])
                    blobs.append(r[8])
                else:
                    header.append(list(r))
            try:
                self._put(
                    json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode(
                        "utf-8", "surrogatepass"
                    )
                    + b"\n"
                    + b"".join(blobs)
                )
            except OSError:  # a full disk, say: the run goes on without this manifest
                self.ok = False
        self.chunk = []

    def finish(self) -> tuple[str, int, int]:
        """Complete the stream: its name, size and CRC-32."""
        self._flush()
        if not self.ok:
            raise OSError("the stream could not be written")
        size = self.file.tell()
        self.file.close()
        os.replace(self.tmp, self.path)
        return self.name, size, self.crc

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.file.close()
        with contextlib.suppress(OSError):
            self.tmp.unlink()
