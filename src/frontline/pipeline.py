"""The one-direction pipeline: article -> mentions + dates -> events.

:func:`process_article` is the per-article function (pure, picklable arguments), so the
same code runs in this process, in a pool of worker processes (``jobs``) or on a Dask
cluster (:mod:`frontline.engine_dask`). :func:`run` streams articles through it in
batches, with a bounded number of batches in flight, so memory stays flat however long
the stream is; with a :class:`~frontline.cache.ResultCache` only new or changed
articles are processed. :func:`run_inputs` reads the articles from files as well, so that
with a cache a JSON Lines or CSV file seen before is not even read again (see
:class:`~frontline.manifests.FileManifests`).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any, Literal

from .articles import DEFAULT_MAX_BYTES, Article, InputPaths, Problem
from .errors import FrontlineError

if TYPE_CHECKING:  # pragma: no cover
    from .cache import ResultCache
    from .events import Event, EventTable
    from .gazetteer import Gazetteer
    from .geoparse import Mention
    from .manifests import FileManifests
    from .overrides import Overrides
    from .timex import DatedSentence, TimeExpr

__all__ = ["ArticleResult", "process_article", "run", "run_inputs", "extract_events",
           "default_jobs"]

#: Articles sent to a worker at a time.
BATCH_SIZE = 32
#: Batches in flight per worker process; bounds memory on an endless stream.
BATCHES_PER_JOB = 4
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
    if article.published is None and any(t.date is None and t.precision != "duration"
                                         for t in timexes):
        warnings.append(f"{article.origin or article.article_id}: no publication date, so "
                        "relative dates were left unresolved; add `published:` to date them")
    return ArticleResult(article, mentions, timexes, dated, events, warnings)


def default_jobs() -> int:
    """The number of cores this process may use.

    Examples
    --------
    >>> default_jobs() >= 1
    True
    """
    if hasattr(os, "process_cpu_count"):  # Python 3.13+
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


# ------------------------------------------------------------------ per-batch work
#
# A batch's outcome is one entry per article: ("ok", payload) or ("error", message,
# traceback). The payload is the tuple (mentions, timexes, sentences, events, warnings)
# (the first three left empty when the caller does not want details), or, when the caller
# keeps a cache, its two encoded parts, so the main process stores exactly what the
# worker made without pickling it again.

_Outcome = tuple[Any, ...]

# Worker processes get the gazetteer once, from the pool initializer (inherited, not
# reloaded, under fork).
_WORKER_GAZETTEER: Gazetteer | None = None


def _init_worker(gazetteer: Gazetteer) -> None:
    import signal

    global _WORKER_GAZETTEER
    _WORKER_GAZETTEER = gazetteer
    # Ctrl-C reaches every process of the group: the main process handles it and stops
    # the pool; a worker would only print one more traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _process_batch(articles: list[Article], gazetteer: Gazetteer | None, *,
                   encode: bool = False, details: bool = True) -> list[_Outcome]:
    from .cache import encode_result

    out: list[_Outcome] = []
    for article in articles:
        try:
            r = process_article(article, gazetteer=gazetteer)
        except Exception as err:  # reported per article by run(); never swallowed
            out.append(("error", f"{type(err).__name__}: {err}", traceback.format_exc()))
            continue
        if encode:
            payload: Any = encode_result(r.mentions, r.timexes, r.sentences, r.events,
                                         r.warnings, origin=article.origin or article.article_id)
        elif details:
            payload = (r.mentions, r.timexes, r.sentences, r.events, r.warnings)
        else:
            payload = ([], [], [], r.events, r.warnings)
        out.append(("ok", payload))
    return out


def _work(articles: list[Article], encode: bool, details: bool) -> list[_Outcome]:
    return _process_batch(articles, _WORKER_GAZETTEER, encode=encode, details=details)


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while batch := list(islice(it, size)):
        yield batch


class _Pending:
    """One batch on its way: items (articles, and with file manifests their marks and
    replayed records), cache keys (None for what is no article), cached payloads,
    outstanding work."""

    __slots__ = ("articles", "keys", "cached", "todo", "work")

    def __init__(self, articles: list[Any], keys: list[str | None] | None,
                 cached: dict[str, bytes]) -> None:
        self.articles = articles
        self.keys = keys
        self.cached = cached
        if keys is None:
            self.todo = articles
        else:
            self.todo = [a for a, k in zip(articles, keys, strict=True)
                         if k is not None and k not in cached]
        self.work: Any = None  # AsyncResult, or a list of outcomes computed in-process


# --------------------------------------------------------------------------- progress

class _Progress:
    """A rich progress line on stderr: articles, articles/s, cached, errors."""

    def __init__(self, enabled: bool) -> None:
        self.bar = None
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            SpinnerColumn(), TextColumn("{task.description}"),
            TextColumn("[bold]{task.completed:,.0f}[/] articles"),
            TextColumn("{task.fields[rate]} articles/s"),
            TextColumn("{task.fields[cached]:,} cached"),
            TextColumn("[red]{task.fields[errors]:,} errors[/]"),
            TimeElapsedColumn(),
            console=Console(stderr=True), auto_refresh=False, transient=False)
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


# -------------------------------------------------------------------------------- run

def run(articles: Iterable[Article], *, gazetteer: Gazetteer | None = None,
        gazetteer_files: Iterable[str] = (), jobs: int | None = None,
        on_result: Callable[[ArticleResult], None] | None = None,
        cache: ResultCache | None = None, progress: bool | None = False,
        errors: Literal["raise", "record"] = "raise", details: bool = True,
        overrides: Overrides | None = None) -> Iterator[ArticleResult]:
    """Process *articles* in order, in ``jobs`` worker processes (default: all cores).

    Articles are read lazily, a few batches ahead of the results, so a stream of any
    length runs in flat memory as long as the caller does not keep every result.

    Parameters
    ----------
    articles : iterable of Article
        Consumed lazily.
    gazetteer : Gazetteer, optional
        Defaults to ``Gazetteer.load(extra=gazetteer_files)``, loaded once, in this
        process, when the first article must be processed (never when every article
        is cached), and inherited by the workers (fork) or sent to them once (spawn).
    gazetteer_files : iterable of str
        The analyst's own gazetteer CSV files.
    jobs : int, optional
        Worker processes; default :func:`default_jobs`. ``1`` runs in this process.
        The first :data:`POOL_AFTER` articles to process run in this process anyway,
        and the workers are forked after them (see there).
    on_result : callable, optional
        Called with each result, in order, before it is yielded.
    cache : ResultCache, optional
        Reuse stored results of unchanged articles and store new ones; its version
        should come from :func:`frontline.cache.cache_version` for this gazetteer.
    progress : bool or None
        Show a progress bar on stderr; ``None`` shows it when stderr is a terminal.
    errors : {"raise", "record"}
        What to do when an article fails: raise, or yield a result with ``error`` set.
    details : bool
        False: only ``events`` and ``warnings`` are filled in (``mentions``, ``timexes``
        and ``sentences`` stay empty), which saves moving and decoding them when only
        the event table is wanted. The cache still stores everything.
    overrides : Overrides, optional
        An analyst's corrections, applied to every result after it is computed or read
        from the cache (so the cache never depends on them); pins imply ``details``.

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
    >>> [r.article.article_id for r in run(arts, jobs=1)]
    ['a0', 'a1', 'a2']
    """
    return _run(articles, gazetteer=gazetteer, gazetteer_files=gazetteer_files, jobs=jobs,
                on_result=on_result, cache=cache, progress=progress, errors=errors,
                details=details, overrides=overrides)


def _run(articles: Iterable[Any], *, gazetteer: Gazetteer | None,
         gazetteer_files: Iterable[str], jobs: int | None,
         on_result: Callable[[ArticleResult], None] | None, cache: ResultCache | None,
         progress: bool | None, errors: str, details: bool, overrides: Overrides | None,
         manifests: FileManifests | None = None) -> Iterator[ArticleResult]:
    """:func:`run`; with *manifests*, the items may also be its marks and replays."""
    if errors not in ("raise", "record"):
        raise ValueError(f"errors must be 'raise' or 'record', not {errors!r}")
    jobs = default_jobs() if jobs is None else max(1, int(jobs))
    gaz = _LazyGazetteer(gazetteer, gazetteer_files)
    if progress is None:
        progress = sys.stderr.isatty()
    if overrides is not None and overrides.has_pins:
        details = True  # a pin re-reads the article's mentions and sentences

    pool = None
    window = max(2, jobs * BATCHES_PER_JOB)
    pending: deque[_Pending] = deque()
    encode = cache is not None
    processed_here = 0  # articles computed in this process while no pool runs
    wrote = False
    try:
        with _Progress(bool(progress)) as bar:
            for batch in _batches(articles, BATCH_SIZE):
                keys = cached = None
                if cache is not None:
                    from .cache import article_key

                    if manifests is None:
                        keys = [article_key(a) for a in batch]
                    else:
                        keys = [article_key(a) if type(a) is Article else None for a in batch]
                    cached = cache.get_many([k for k in keys if k is not None],
                                            detail=details)
                p = _Pending(batch, keys, cached or {})
                if p.todo:
                    if jobs > 1 and pool is None and processed_here >= POOL_AFTER:
                        pool = _start_pool(jobs, gaz.get())
                    if pool is not None:
                        p.work = pool.apply_async(_work, (p.todo, encode, details))
                    else:
                        processed_here += len(p.todo)
                pending.append(p)
                while len(pending) >= window or (pool is None and pending):
                    wrote |= yield from _finish(pending.popleft(), gaz, cache, errors,
                                                details, on_result, bar, overrides, manifests)
            while pending:
                wrote |= yield from _finish(pending.popleft(), gaz, cache, errors,
                                            details, on_result, bar, overrides, manifests)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        if manifests is not None:
            manifests.close()
    if cache is not None and wrote and cache.has_stale_entries():
        cache.prune()  # results of an older gazetteer or release will never be read again


def run_inputs(inputs: InputPaths, *, on_problem: Callable[[Problem], Any] | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES, today: dt.date | None = None,
               gazetteer: Gazetteer | None = None, gazetteer_files: Iterable[str] = (),
               jobs: int | None = None, on_result: Callable[[ArticleResult], None] | None = None,
               cache: ResultCache | None = None, progress: bool | None = False,
               errors: Literal["raise", "record"] = "raise", details: bool = True,
               overrides: Overrides | None = None) -> Iterator[ArticleResult]:
    """Read the articles of *inputs* and process them: :func:`iter_articles` and :func:`run`.

    The options are theirs. With a *cache* and ``details=False`` (and no pinning
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
    from .articles import _read_inputs

    manifests = None
    if cache is not None and not details and not (overrides is not None and overrides.has_pins):
        from .manifests import FileManifests

        manifests = FileManifests(cache, max_bytes=max_bytes)
    articles = _read_inputs(inputs, on_problem=on_problem, max_bytes=max_bytes, today=today,
                            rows_hook=manifests)
    return _run(articles, gazetteer=gazetteer,
                gazetteer_files=gazetteer_files, jobs=jobs, on_result=on_result, cache=cache,
                progress=progress, errors=errors, details=details, overrides=overrides,
                manifests=manifests)


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


def _start_pool(jobs: int, gazetteer: Gazetteer) -> Any:
    import multiprocessing as mp

    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    # Under fork the loaded gazetteer is inherited as it is; under spawn it is pickled once
    # per worker.
    return ctx.Pool(jobs, initializer=_init_worker, initargs=(gazetteer,))


def _finish(p: _Pending, gaz: _LazyGazetteer, cache: ResultCache | None, errors: str,
            details: bool, on_result: Callable[[ArticleResult], None] | None, bar: _Progress,
            overrides: Overrides | None = None, manifests: FileManifests | None = None
            ) -> Iterator[ArticleResult]:
    """Yield the results of one batch in order; store new ones; return whether it wrote."""
    if manifests is not None:
        from .manifests import Replayed
    if not p.todo:
        outcomes: list[_Outcome] = []
    elif p.work is None:
        outcomes = _process_batch(p.todo, gaz.get(), encode=cache is not None,
                                  details=details)
    else:
        outcomes = p.work.get()
    fresh = iter(outcomes)
    store: list[tuple[str, bytes, bytes]] = []
    results: list[ArticleResult] = []
    n_err = 0
    for i, article in enumerate(p.articles):
        if manifests is not None and type(article) is not Article:
            manifests.take(article)  # a mark, or an article replayed from its manifest
            if type(article) is Replayed:
                results.append(_replayed(article.record))
            continue
        origin = article.origin or article.article_id
        entry = p.cached.get(p.keys[i]) if p.keys is not None else None
        if entry is not None:
            results.append(_decoded(article, *entry, origin=origin, cached=True))
            if manifests is not None:
                manifests.article(article, entry[0])
            continue
        outcome = next(fresh)
        if outcome[0] == "error":
            if errors == "raise":
                raise FrontlineError(f"{origin}: processing failed: {outcome[1]}\n"
                                     f"{outcome[2]}")
            n_err += 1
            results.append(ArticleResult(article, error=outcome[1]))
            if manifests is not None:
                manifests.failed()
            continue
        payload = outcome[1]
        if manifests is not None:
            manifests.article(article, payload[0])
        if cache is not None:
            store.append((p.keys[i], *payload))
            results.append(_decoded(article, payload[0], payload[1] if details else None,
                                    origin=origin, cached=False))
        else:
            results.append(ArticleResult(article, *payload))
    if store:
        cache.put_many(store)
    bar.advance(len(results), cached=len(results) - len(p.todo), errors=n_err)
    for r in results:
        if overrides is not None:
            r = overrides.apply(r, gazetteer=gaz.get() if overrides.has_pins else None)
        if on_result:
            on_result(r)
        yield r
    return bool(store)


def _replayed(record: tuple) -> ArticleResult:
    """The result of an article replayed from a file manifest (see
    :class:`frontline.manifests.FileManifests`): its events and warnings, and the article
    without its text, which was not read again."""
    from .cache import decode_events

    _, article_id, origin, title, published, source, url, meta, events_part = record
    article = Article(article_id, "", title, published, source, url, origin,
                      {**meta, "replayed": True})
    events, warnings = decode_events(events_part, origin=origin)
    return ArticleResult(article, events=events, warnings=warnings, cached=True)


def _decoded(article: Article, events_part: bytes, detail_part: bytes | None, *,
             origin: str, cached: bool) -> ArticleResult:
    from .cache import decode_detail, decode_events

    events, warnings = decode_events(events_part, origin=origin)
    mentions, timexes, sentences = decode_detail(detail_part) if detail_part else ([], [], [])
    return ArticleResult(article, mentions, timexes, sentences, events, warnings,
                         cached=cached)


def extract_events(articles: Article | Iterable[Article], *,
                   gazetteer: Gazetteer | None = None, merge: bool = False,
                   jobs: int | None = 1, cache: ResultCache | None = None,
                   overrides: Overrides | None = None) -> EventTable:
    """The event table of one or many articles.

    Parameters
    ----------
    articles : Article or iterable of Article
    gazetteer : Gazetteer, optional
        Defaults to the bundled gazetteer.
    merge : bool
        Merge the same place, day and type reported by several articles into one row.
    jobs : int, optional
        Worker processes; 1 (the default here) runs in this process, None uses every core.
    cache : ResultCache, optional
        Reuse the results of articles seen before (see :mod:`frontline.cache`).
    overrides : Overrides, optional
        An analyst's corrections (see :mod:`frontline.overrides`), applied to every article.
    """
    from .events import EventTable, merge_events

    if isinstance(articles, Article):
        articles = [articles]
    events = [e for r in run(articles, gazetteer=gazetteer, jobs=jobs, cache=cache,
                             details=False, overrides=overrides) for e in r.events]
    return EventTable.from_events(merge_events(events) if merge else events)
