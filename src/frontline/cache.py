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
tampered with, never runs code. Two parts per article: the events with the warnings
(read on every rerun, stored as they are), and the details (mentions, time expressions,
dated sentences; zlib-compressed at level 1), so that building an event table from the
cache never decodes the details. The results are dataclasses owned by other modules; each
is written as its class's name and its field values (``{"~": "module:Class", "v":
[...]}``; dates, tuples and other mappings are tagged likewise) and rebuilt only if the
name is a dataclass of the ``frontline`` package. Since class layouts are part of the
version key (the stage modules' source digest), an entry is never rebuilt into a changed
class.

File manifests (:mod:`frontline.manifests`) let a rerun skip reading again the JSON
Lines and CSV files, or the parts of them, that it read before; their table lives in
the same database.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import importlib
import json
import operator
import os
import zlib
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CacheError
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


_TAG, _DATE, _ROWS = "~", "~d", "~rows"
_SCALARS = frozenset((str, int, float, bool, type(None)))
_ENCODERS: dict[type, Callable[[Any], dict]] = {}
_CLASSES: dict[str, type] = {}


def _encoder(cls: type) -> Callable[[Any], dict]:
    """How objects of a dataclass are written: its name and its field values."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.init or not cls.__module__.startswith("frontline"):
        raise TypeError(
            f"cannot cache a {cls.__qualname__}: only plain data, dates and the frontline "
            "package's dataclasses (with the __init__ they generate) are cached"
        )
    name = f"{cls.__module__}:{cls.__qualname__}"
    fields = [f.name for f in dataclasses.fields(cls) if f.init]
    values = operator.attrgetter(*fields)
    if len(fields) == 1:
        return lambda obj: {_TAG: name, "v": [values(obj)]}
    return lambda obj: {_TAG: name, "v": values(obj)}


def _default(obj: Any) -> Any:
    """What the JSON encoder writes for what it does not know (the ``default`` hook)."""
    kind = type(obj)
    encode = _ENCODERS.get(kind)
    if encode is None:
        if kind is dt.date:
            return {_DATE: obj.isoformat()}
        encode = _ENCODERS[kind] = _encoder(kind)
    return encode(obj)


def _class(name: str) -> type:
    cls = _CLASSES.get(name)
    if cls is None:
        module, _, qualname = name.partition(":")
        if module != "frontline" and not module.startswith("frontline."):
            raise ValueError(f"{name!r} is not a frontline class")
        try:
            found: Any = importlib.import_module(module)
            for part in qualname.split("."):
                found = getattr(found, part)
        except (ImportError, AttributeError) as err:
            raise ValueError(f"unknown class {name!r}") from err
        if not (isinstance(found, type) and dataclasses.is_dataclass(found)):
            raise ValueError(f"{name!r} is not a dataclass")
        cls = _CLASSES[name] = found
    return cls


def _rebuilt(obj: dict) -> Any:
    """A JSON object as it was before it was written (the ``object_hook``)."""
    if _TAG in obj:
        return _class(obj[_TAG])(*obj["v"])
    if _DATE in obj and len(obj) == 1:
        return dt.date.fromisoformat(obj[_DATE])
    return obj


def dumps(obj: Any) -> bytes:
    """*obj* (plain data, dates, and the package's dataclasses) as JSON bytes; tuples are
    written as lists, and mappings need text keys.

    Examples
    --------
    >>> from frontline.gazetteer import Place
    >>> data = [Place("p:1", "Kherson", "city", "UA", "Kherson Oblast", 46.6, 32.6),
    ...         [1, None], {"day": dt.date(2022, 11, 11)}]
    >>> loads(dumps(data)) == data
    True
    >>> loads(b'{"~": "os:system", "v": ["echo hi"]}')
    Traceback (most recent call last):
    ...
    frontline.errors.CacheError: a cached result is damaged ('os:system' is not a frontline class): delete the cache folder, or run with --no-cache
    """
    return json.dumps(
        obj, default=_default, ensure_ascii=False, separators=(",", ":"), check_circular=False
    ).encode("utf-8", "surrogatepass")


def loads(blob: bytes) -> Any:
    """What :func:`dumps` wrote; damaged or foreign data raises CacheError."""
    try:
        return json.loads(blob.decode("utf-8", "surrogatepass"), object_hook=_rebuilt)
    except (ValueError, TypeError, KeyError, RecursionError) as err:
        raise _damaged(err) from err


def _damaged(err: Exception) -> CacheError:
    return CacheError(
        f"a cached result is damaged ({err}): delete the cache folder, or run with --no-cache"
    )


def _rows_of(events: list) -> dict | None:
    """The events as rows of one dataclass's field values, when they are all of one class
    and hold only text and numbers (as the event table's rows do); else None."""
    if not events:
        return None
    kind = type(events[0])
    encode = _ENCODERS.get(kind)
    if encode is None:
        if not dataclasses.is_dataclass(kind):
            return None
        try:
            encode = _ENCODERS[kind] = _encoder(kind)
        except TypeError:
            return None  # (dumps says why)
    rows = []
    for event in events:
        if type(event) is not kind:
            return None
        values = encode(event)["v"]
        if not all(type(v) in _SCALARS for v in values):
            return None
        rows.append(values)
    return {_ROWS: encode(events[0])[_TAG], "v": rows}


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
    rows = _rows_of(events)
    part = dumps([events, warnings] if rows is None else {**rows, "w": warnings})
    return part, zlib.compress(dumps([mentions, timexes, sentences]), 1)


def decode_events(blob: bytes, *, origin: str = "") -> tuple[list, list[str]]:
    """The (events, warnings) of an events part; *origin* is put back into the warnings."""
    if blob[:1] == b"{":
        try:
            data = json.loads(blob.decode("utf-8", "surrogatepass"))
            cls = _class(data[_ROWS])
            events, warnings = [cls(*row) for row in data["v"]], data["w"]
        except (ValueError, TypeError, KeyError, RecursionError) as err:
            raise _damaged(err) from err
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
        raise _damaged(err) from err
    mentions, timexes, sentences = loads(data)
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
