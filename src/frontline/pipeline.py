"""The one-direction pipeline: article -> mentions + dates -> events, and the run.

:func:`process_article` runs every stage on one article. :func:`run` (articles) and
:func:`run_inputs` (files and folders) stream articles through it with the settings of one
:class:`~frontline.options.RunOptions`: in batches, with a bounded number in flight, so
memory stays flat however long the stream is; on the engine the options name
(:mod:`frontline.engines`); with a cache, only new or changed articles are processed; with
overrides, every result is corrected here, whatever the engine. The command line and
notebooks make their runs through these two functions.

With a cache, :func:`run_inputs` reads JSON Lines and CSV files through the cache's file
manifests, so that a file seen before is not even read again (see
:class:`~frontline.manifests.FileManifests`).
"""

from __future__ import annotations

import ctypes
import datetime as dt
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from .articles import Article, InputPaths, Problem
from .engines import Done, Engine, Failed, Outcome, Ticket, batches, over_budget
from .errors import FrontlineError
from .options import RunOptions

if TYPE_CHECKING:  # pragma: no cover
    from .cache import ResultCache
    from .events import Event
    from .gazetteer import Gazetteer
    from .geoparse import Mention
    from .manifests import FileManifests
    from .timex import DatedSentence, TimeExpr

__all__ = [
    "ArticleResult",
    "process_article",
    "process_one",
    "run",
    "run_inputs",
    "RunOptions",
]

#: Articles sent to a worker at a time.
BATCH_SIZE = 32
#: New results written to the cache in one transaction: fewer commits, each of more rows.
WRITE_BATCH = 256
#: Articles processed in this process before worker processes are forked. The first
#: article warms up lazily built indexes (the name automaton, the cue index: ~0.5 s);
#: forking after that lets every worker inherit them instead of rebuilding its own, and a
#: rerun whose few new articles fit in this budget never starts workers at all.
POOL_AFTER = BATCH_SIZE


@dataclass(slots=True)
class ArticleResult:
    """Everything the pipeline found in one article.

    ``error`` is set (and the lists are empty) when processing the article failed and
    :func:`run` was asked to record failures rather than raise them.
    """

    article: Article
    mentions: list[Mention] = field(default_factory=list)
    timexes: list[TimeExpr] = field(default_factory=list)
    sentences: list[DatedSentence] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    cached: bool = False


def process_article(article: Article, *, gazetteer: Gazetteer | None = None) -> ArticleResult:
    """Run every stage on one article.

    Examples
    --------
    >>> import datetime as dt
    >>> a = Article("demo", "Russian shelling hit Nikopol on Tuesday, officials said.",
    ...             published=dt.date(2022, 8, 12))
    >>> r = process_article(a)
    >>> [(e.place, e.date, e.event_type) for e in r.events]
    [('Nikopol', '2022-08-09', 'shelling')]
    """
    from .events import extract_events as events_of
    from .gazetteer import Gazetteer
    from .geoparse import geoparse
    from .sentences import split_sentences
    from .timex import date_sentences, tag

    gaz = gazetteer if gazetteer is not None else Gazetteer.load()
    spans = split_sentences(article.text)
    mentions = geoparse(article, gazetteer=gaz, sentences=spans)
    timexes = tag(article.text, article.published)
    dated = date_sentences(article.text, article.published, sentences=spans, timexes=timexes)
    events = events_of(article, mentions, dated)
    warnings = []
    if article.published is None and any(
        t.date is None and t.precision != "duration" for t in timexes
    ):
        warnings.append(
            f"{article.origin or article.article_id}: no publication date, so "
            "relative dates were left unresolved; add `published:` to date them"
        )
    return ArticleResult(article, mentions, timexes, dated, events, warnings)


# ---------------------------------------------------------------- the per-article work


class _OverBudget(BaseException):
    """Raised by the alarm inside an article that ran past its time budget (a
    BaseException, so that no ``except Exception`` in a stage swallows it)."""


def _alarm(signum: int, frame: object) -> None:
    raise _OverBudget


class _Watchdog:
    """Interrupts an article run in a thread other than the main one, where no timer
    signal can reach it (a Dask worker's task threads): one thread per process raises
    :class:`_OverBudget` in the article's thread once its deadline has passed. Like the
    signal, it takes effect between two steps of Python code."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._deadlines: dict[int, float] = {}
        self._thread: threading.Thread | None = None

    def arm(self, seconds: float) -> int:
        ident = threading.get_ident()
        with self._lock:
            self._deadlines[ident] = time.monotonic() + seconds
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._watch, daemon=True, name="frontline-budget"
                )
                self._thread.start()
        return ident

    def disarm(self, ident: int) -> None:
        with self._lock:
            self._deadlines.pop(ident, None)
            # an interruption raised but not yet delivered is withdrawn
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), None)

    def _watch(self) -> None:
        while True:
            time.sleep(0.05)
            now = time.monotonic()
            with self._lock:
                for ident, deadline in list(self._deadlines.items()):
                    if now >= deadline:
                        del self._deadlines[ident]
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(
                            ctypes.c_ulong(ident), ctypes.py_object(_OverBudget)
                        )


_WATCHDOG = _Watchdog()


def _with_budget(budget: float | None, fn: Callable[[], ArticleResult]) -> ArticleResult:
    """``fn()``, interrupted after *budget* seconds: by a timer signal in a main thread,
    by :class:`_Watchdog` in any other. A worker of the local engine stuck where neither
    can reach it (inside C code) is killed by its engine instead."""
    if budget is None:
        return fn()
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        ident = _WATCHDOG.arm(budget)
        try:
            return fn()
        finally:
            _WATCHDOG.disarm(ident)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process_one(
    article: Article,
    gazetteer: Gazetteer,
    *,
    encode: bool = False,
    details: bool = True,
    budget: float | None = None,
) -> Outcome:
    """The work an engine runs on one article: :func:`process_article`, as an outcome.

    Never raises for a bad article: a failure, or a run past *budget* seconds, is a
    :class:`~frontline.engines.Failed` naming what went wrong.

    Parameters
    ----------
    encode : bool
        Give the result as the cache's two encoded parts (the run keeps a cache).
    details : bool
        False: leave out the mentions, time expressions and sentences (not with *encode*:
        the cache keeps everything).
    budget : float, optional
        Seconds the article may take.

    Examples
    --------
    >>> import datetime as dt
    >>> a = Article("demo", "Shelling hit Nikopol on Monday.", published=dt.date(2022, 8, 12))
    >>> [e.place for e in process_one(a, None, details=False).events]
    ['Nikopol']
    """
    try:
        r = _with_budget(budget, lambda: process_article(article, gazetteer=gazetteer))
    except _OverBudget:
        assert budget is not None
        return over_budget(budget)
    except Exception as err:  # reported per article by run(); never swallowed
        return Failed(f"{type(err).__name__}: {err}", traceback.format_exc())
    if encode:
        from .cache import encode_result

        return Done(
            encoded=encode_result(
                r.mentions,
                r.timexes,
                r.sentences,
                r.events,
                r.warnings,
                origin=article.origin or article.article_id,
            )
        )
    if details:
        return Done(r.events, r.warnings, r.mentions, r.timexes, r.sentences)
    return Done(r.events, r.warnings)


# ------------------------------------------------------------------------------ the run


class _LazyGazetteer:
    """The gazetteer, loaded on first use: a rerun whose articles are all cached never
    needs it (loading it costs ~0.15 s)."""

    __slots__ = ("_gazetteer", "_files")

    def __init__(self, gazetteer: Gazetteer | None, files: Iterable[str]) -> None:
        self._gazetteer = gazetteer
        self._files = list(files)

    def get(self) -> Gazetteer:
        if self._gazetteer is None:
            from .gazetteer import Gazetteer

            self._gazetteer = Gazetteer.load(extra=self._files or None)
        return self._gazetteer


def _start_engine(options: RunOptions, work: Callable[..., Outcome], gaz: _LazyGazetteer) -> Engine:
    if options.engine == "dask":
        from .engines.dask import DaskEngine

        return DaskEngine(
            work,
            jobs=options.workers,
            scheduler=options.scheduler,
            gazetteer_files=tuple(str(f) for f in options.gazetteer_files),
        )
    from .engines.local import LocalEngine

    return LocalEngine(
        work, gaz.get, jobs=options.workers, budget=options.budget, pool_after=POOL_AFTER
    )


class _Pending:
    """One batch on its way: items (articles, and with file manifests their marks and
    replayed records), cache keys (None for what is no article), cached payloads, the
    articles to process and the engine's ticket for them."""

    __slots__ = ("items", "keys", "cached", "todo", "ticket")

    def __init__(
        self, items: list[Any], keys: list[str | None] | None, cached: dict[str, Any]
    ) -> None:
        self.items = items
        self.keys = keys
        self.cached = cached
        if keys is None:
            self.todo = items
        else:
            self.todo = [
                a for a, k in zip(items, keys, strict=True) if k is not None and k not in cached
            ]
        self.ticket: Ticket | None = None


class _Writes:
    """New results on their way to the cache, written :data:`WRITE_BATCH` at a time (the
    last ones by :meth:`flush`, at the end of the run)."""

    __slots__ = ("cache", "pending", "wrote")

    def __init__(self, cache: ResultCache) -> None:
        self.cache = cache
        self.pending: list[tuple[str, bytes, bytes]] = []
        self.wrote = False

    def add(self, items: list[tuple[str, bytes, bytes]]) -> None:
        self.pending.extend(items)
        if len(self.pending) >= WRITE_BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.cache.put_many(self.pending)
            self.pending = []
            self.wrote = True


class _Progress:
    """A rich progress line on stderr: articles, articles/s, cached, errors."""

    def __init__(self, enabled: bool) -> None:
        self.bar = None
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("[bold]{task.completed:,.0f}[/] articles"),
            TextColumn("{task.fields[rate]} articles/s"),
            TextColumn("{task.fields[cached]:,} cached"),
            TextColumn("[red]{task.fields[errors]:,} errors[/]"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            auto_refresh=False,
            transient=False,
        )
        self.task = self.bar.add_task("processing", total=None, rate="-", cached=0, errors=0)
        self.cached = self.errors = 0

    def __enter__(self) -> _Progress:
        if self.bar is not None:
            self.bar.start()
        return self

    def advance(self, n: int, *, cached: int, errors: int) -> None:
        if self.bar is None:
            return
        self.cached += cached
        self.errors += errors
        self.bar.update(self.task, advance=n, cached=self.cached, errors=self.errors)
        task = self.bar.tasks[0]
        speed = task.speed or (task.completed / task.elapsed if task.elapsed else None)
        self.bar.update(self.task, rate=f"{speed:,.0f}" if speed else "-")
        self.bar.refresh()

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description="done")
            self.bar.refresh()
            self.bar.stop()


def _options(options: RunOptions | None, settings: dict[str, Any]) -> RunOptions:
    if options is None:
        return RunOptions(**settings)
    return options.replace(**settings) if settings else options


def run(
    articles: Iterable[Article],
    options: RunOptions | None = None,
    *,
    gazetteer: Gazetteer | None = None,
    cache: ResultCache | None = None,
    on_result: Callable[[ArticleResult], None] | None = None,
    progress: bool | None = False,
    errors: Literal["raise", "record"] = "raise",
    details: bool = True,
    **settings: Any,
) -> Iterator[ArticleResult]:
    """Process *articles* in order, with the settings of *options*.

    Articles are read lazily, a few batches ahead of the results, so a stream of any
    length runs in flat memory as long as the caller does not keep every result.

    Parameters
    ----------
    articles : iterable of Article
        Consumed lazily.
    options : RunOptions, optional
        Workers, engine, cache, overrides, gazetteer files, time budget. Keyword
        arguments named after its fields (``jobs=2``) change single settings.
    gazetteer : Gazetteer, optional
        Defaults to ``Gazetteer.load(extra=options.gazetteer_files)``, loaded once, in
        this process, when the first article must be processed (never when every article
        is cached), and inherited by the local workers. Dask workers load their own.
    cache : ResultCache, optional
        An open cache to use; with ``options.cache`` and none given, the cache in
        ``options.cache_dir`` is opened for this gazetteer and closed at the end.
    on_result : callable, optional
        Called with each result, in order, before it is yielded.
    progress : bool or None
        Show a progress bar on stderr; ``None`` shows it when stderr is a terminal.
    errors : {"raise", "record"}
        What to do when an article fails: raise, or yield a result with ``error`` set.
    details : bool
        False: only ``events`` and ``warnings`` are filled in (``mentions``, ``timexes``
        and ``sentences`` stay empty), which saves moving and decoding them when only
        the event table is wanted. The cache still stores everything.

    Yields
    ------
    ArticleResult
        In input order; ``cached`` says whether it came from the cache.

    Examples
    --------
    >>> import datetime as dt
    >>> arts = [Article(f"a{i}", f"Shelling hit {town} on Monday.",
    ...                 published=dt.date(2022, 8, 12))
    ...         for i, town in enumerate(["Nikopol", "Kharkiv", "Kherson"])]
    >>> [r.article.article_id for r in run(arts, RunOptions(jobs=1))]
    ['a0', 'a1', 'a2']
    """
    return _stream(
        articles,
        _options(options, settings),
        gazetteer=gazetteer,
        cache=cache,
        on_result=on_result,
        progress=progress,
        errors=errors,
        details=details,
    )


def run_inputs(
    inputs: InputPaths,
    options: RunOptions | None = None,
    *,
    on_problem: Callable[[Problem], Any] | None = None,
    today: dt.date | None = None,
    gazetteer: Gazetteer | None = None,
    cache: ResultCache | None = None,
    on_result: Callable[[ArticleResult], None] | None = None,
    progress: bool | None = False,
    errors: Literal["raise", "record"] = "raise",
    details: bool = True,
    **settings: Any,
) -> Iterator[ArticleResult]:
    """Read the articles of *inputs* and process them: :func:`iter_articles` and :func:`run`.

    The parameters are theirs. With a cache and ``details=False`` (and no pinning
    overrides), JSON Lines and CSV files go through the cache's file manifests
    (:class:`frontline.manifests.FileManifests`): what an unchanged file, or the part read
    before of a file that only grew, yielded is replayed without reading it again.
    The results are the same as without the cache, except that a replayed article has no
    ``text`` (``article.meta["replayed"]`` is True): it was not read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "feed.jsonl").write_text(
    ...     '{"id": "n1", "text": "Shelling hit Nikopol on Monday.", "published": "2022-08-12"}\\n')
    >>> [(r.article.article_id, [e.place for e in r.events]) for r in run_inputs(folder, jobs=1)]
    [('n1', ['Nikopol'])]
    """
    from .articles import read_inputs

    options = _options(options, settings)

    def reading(cache: ResultCache | None) -> tuple[Iterable[Any], FileManifests | None]:
        manifests = None
        overrides = options.overrides
        if cache is not None and not details and not (overrides is not None and overrides.has_pins):
            from .manifests import FileManifests

            manifests = FileManifests(cache, max_bytes=options.max_bytes)
        return read_inputs(
            inputs,
            on_problem=on_problem,
            max_bytes=options.max_bytes,
            today=today,
            rows_hook=manifests,
        ), manifests

    return _stream(
        reading,
        options,
        gazetteer=gazetteer,
        cache=cache,
        on_result=on_result,
        progress=progress,
        errors=errors,
        details=details,
    )


def _open_cache(options: RunOptions, gazetteer: Gazetteer | None) -> ResultCache:
    from .cache import ResultCache, cache_version, gazetteer_version

    version = (
        gazetteer.version if gazetteer is not None else gazetteer_version(options.gazetteer_files)
    )
    return ResultCache(options.cache_dir, version=cache_version(gazetteer_version=version))


def _stream(
    source: Iterable[Article] | Callable[..., tuple[Iterable[Any], Any]],
    options: RunOptions,
    *,
    gazetteer: Gazetteer | None,
    cache: ResultCache | None,
    on_result: Callable[[ArticleResult], None] | None,
    progress: bool | None,
    errors: str,
    details: bool,
) -> Iterator[ArticleResult]:
    """:func:`run`; *source* is the articles, or (from :func:`run_inputs`) a function of
    the cache that gives the items to read (articles, and with file manifests their marks
    and replays) and the manifests."""
    if errors not in ("raise", "record"):
        raise ValueError(f"errors must be 'raise' or 'record', not {errors!r}")
    if progress is None:
        progress = sys.stderr.isatty()
    overrides = options.overrides
    if overrides is not None and overrides.has_pins:
        details = True  # a pin re-reads the article's mentions and sentences
    own_cache = cache is None and options.cache
    if own_cache:
        cache = _open_cache(options, gazetteer)
    manifests: FileManifests | None = None
    if callable(source):
        items, manifests = source(cache)
    else:
        items = source
    gaz = _LazyGazetteer(gazetteer, [str(f) for f in options.gazetteer_files])
    work = partial(process_one, encode=cache is not None, details=details, budget=options.budget)
    engine: Engine | None = None
    pending: deque[_Pending] = deque()
    writes = _Writes(cache) if cache is not None else None
    try:
        with _Progress(bool(progress)) as bar:
            finish = partial(
                _finish,
                gaz=gaz,
                writes=writes,
                errors=errors,
                details=details,
                on_result=on_result,
                bar=bar,
                overrides=overrides,
                manifests=manifests,
            )
            for batch in batches(items, BATCH_SIZE):
                keys: list[str | None] | None = None
                cached = None
                if cache is not None:
                    from .cache import article_key

                    if manifests is None:
                        keys = [article_key(a) for a in batch]
                    else:
                        keys = [article_key(a) if type(a) is Article else None for a in batch]
                    cached = cache.get_many([k for k in keys if k is not None], detail=details)
                p = _Pending(batch, keys, cached or {})
                if p.todo:
                    if engine is None:
                        engine = _start_engine(options, work, gaz)
                    p.ticket = engine.submit(p.todo)
                pending.append(p)
                while pending and len(pending) >= (engine.window() if engine else 1):
                    p = pending.popleft()
                    yield from finish(
                        p, engine.collect(p.ticket) if engine and p.ticket is not None else []
                    )
            while pending:
                p = pending.popleft()
                yield from finish(
                    p, engine.collect(p.ticket) if engine and p.ticket is not None else []
                )
            if writes is not None:
                writes.flush()
    finally:
        if engine is not None:
            engine.close()
        if manifests is not None:
            manifests.close()
        if cache is not None:
            if writes is not None and writes.wrote and cache.has_stale_entries():
                cache.prune()  # results of an older gazetteer or release will never be read
            if own_cache:
                cache.close()


def _finish(
    p: _Pending,
    outcomes: list[Outcome],
    *,
    gaz: _LazyGazetteer,
    writes: _Writes | None,
    errors: str,
    details: bool,
    on_result: Callable[[ArticleResult], None] | None,
    bar: _Progress,
    overrides: Any,
    manifests: FileManifests | None,
) -> Generator[ArticleResult, None, None]:
    """Yield the results of one batch in order; send the new ones to the cache."""
    if manifests is not None:
        from .manifests import Replayed
    fresh = iter(outcomes)
    store: list[tuple[str, bytes, bytes]] = []
    results: list[ArticleResult] = []
    n_err = 0
    for i, article in enumerate(p.items):
        if manifests is not None and type(article) is not Article:
            manifests.take(article)  # a mark, or an article replayed from its manifest
            if type(article) is Replayed:
                results.append(_replayed(article.record))
            continue
        origin = article.origin or article.article_id
        key = p.keys[i] if p.keys is not None else None
        entry = p.cached.get(key) if key is not None else None
        if entry is not None:
            results.append(_decoded(article, *entry, origin=origin, cached=True))
            if manifests is not None:
                manifests.article(article, entry[0])
            continue
        outcome = next(fresh)
        if isinstance(outcome, Failed):
            if errors == "raise":
                raise FrontlineError(
                    f"{origin}: processing failed: {outcome.message}\n{outcome.detail}".rstrip()
                )
            n_err += 1
            results.append(ArticleResult(article, error=outcome.message))
            if manifests is not None:
                manifests.failed()
        elif outcome.encoded is not None:
            events_part, detail_part = outcome.encoded
            if manifests is not None:
                manifests.article(article, events_part)
            assert key is not None
            store.append((key, events_part, detail_part))
            results.append(
                _decoded(
                    article,
                    events_part,
                    detail_part if details else None,
                    origin=origin,
                    cached=False,
                )
            )
        else:
            results.append(
                ArticleResult(
                    article,
                    outcome.mentions,
                    outcome.timexes,
                    outcome.sentences,
                    outcome.events,
                    outcome.warnings,
                )
            )
    if store:
        assert writes is not None
        writes.add(store)
    bar.advance(len(results), cached=len(results) - len(p.todo), errors=n_err)
    for r in results:
        if overrides is not None:
            r = overrides.apply(r, gazetteer=gaz.get() if overrides.has_pins else None)
        if on_result:
            on_result(r)
        yield r


def _replayed(record: tuple[Any, ...]) -> ArticleResult:
    """The result of an article replayed from a file manifest (see
    :class:`frontline.manifests.FileManifests`): its events and warnings, and the article
    without its text, which was not read again."""
    from .cache import decode_events

    _, article_id, origin, title, published, source, url, meta, events_part = record
    article = Article(
        article_id, "", title, published, source, url, origin, {**meta, "replayed": True}
    )
    events, warnings = decode_events(events_part, origin=origin)
    return ArticleResult(article, events=events, warnings=warnings, cached=True)


def _decoded(
    article: Article, events_part: bytes, detail_part: bytes | None, *, origin: str, cached: bool
) -> ArticleResult:
    from .cache import decode_detail, decode_events

    events, warnings = decode_events(events_part, origin=origin)
    mentions, timexes, sentences = decode_detail(detail_part) if detail_part else ([], [], [])
    return ArticleResult(article, mentions, timexes, sentences, events, warnings, cached=cached)
