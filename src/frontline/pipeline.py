"""The one-direction pipeline: article -> mentions + dates -> events.

:func:`process_article` is the per-article function (pure, picklable arguments), so the
same code runs in this process, in a pool of worker processes (``jobs``) or on a Dask
cluster. :func:`run` streams articles through it and never holds every text at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .articles import Article

if TYPE_CHECKING:  # pragma: no cover
    from .events import Event, EventTable
    from .gazetteer import Gazetteer
    from .geoparse import Mention
    from .timex import DatedSentence, TimeExpr

__all__ = ["ArticleResult", "process_article", "run", "extract_events"]


@dataclass(slots=True)
class ArticleResult:
    """Everything the pipeline found in one article."""

    article: Article
    mentions: list[Mention] = field(default_factory=list)
    timexes: list[TimeExpr] = field(default_factory=list)
    sentences: list[DatedSentence] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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
    dated = date_sentences(article.text, article.published, sentences=spans)
    events = events_of(article, mentions, dated)
    warnings = []
    if article.published is None and any(t.date is None and t.precision != "duration"
                                         for t in timexes):
        warnings.append(f"{article.origin or article.article_id}: no publication date, so "
                        "relative dates were left unresolved; add `published:` to date them")
    return ArticleResult(article, mentions, timexes, dated, events, warnings)


# Worker processes load the gazetteer once, in the pool initializer.
_WORKER_GAZETTEER: Gazetteer | None = None


def _init_worker(extra: tuple[str, ...]) -> None:
    global _WORKER_GAZETTEER
    from .gazetteer import Gazetteer

    _WORKER_GAZETTEER = Gazetteer.load(extra=list(extra) or None)


def _work(article: Article) -> ArticleResult:
    return process_article(article, gazetteer=_WORKER_GAZETTEER)


def run(articles: Iterable[Article], *, gazetteer: Gazetteer | None = None,
        gazetteer_files: Iterable[str] = (), jobs: int | None = None,
        on_result: Callable[[ArticleResult], None] | None = None) -> Iterator[ArticleResult]:
    """Process *articles* in order, in ``jobs`` worker processes (default: all cores).

    Results come back in input order. With ``jobs=1`` everything runs in this process.
    """
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1:
        from .gazetteer import Gazetteer

        gaz = gazetteer or Gazetteer.load(extra=list(gazetteer_files) or None)
        for article in articles:
            result = process_article(article, gazetteer=gaz)
            if on_result:
                on_result(result)
            yield result
        return
    import multiprocessing as mp

    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(tuple(gazetteer_files),)) as pool:
        for result in pool.imap(_work, articles, chunksize=16):
            if on_result:
                on_result(result)
            yield result


def extract_events(articles: Article | Iterable[Article], *,
                   gazetteer: Gazetteer | None = None, merge: bool = False,
                   jobs: int | None = 1) -> EventTable:
    """The event table of one or many articles.

    Parameters
    ----------
    articles : Article or iterable of Article
    gazetteer : Gazetteer, optional
        Defaults to the bundled gazetteer.
    merge : bool
        Merge the same place, day and type reported by several articles into one row.
    jobs : int, optional
        Worker processes; 1 (the default here) runs in this process.
    """
    from .events import EventTable, merge_events

    if isinstance(articles, Article):
        articles = [articles]
    events = [e for r in run(articles, gazetteer=gazetteer, jobs=jobs) for e in r.events]
    return EventTable.from_events(merge_events(events) if merge else events)
