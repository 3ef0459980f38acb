"""Where the per-article work runs: one small interface, two engines.

The pipeline (:mod:`frontline.pipeline`) decides *what* is processed: it reads the
articles, looks them up in the cache, applies the overrides and keeps the results in input
order. An engine only decides *where*: it takes batches of articles and the per-article
function (:data:`Work`), and gives back one typed :data:`Outcome` per article.

* :class:`frontline.engines.local.LocalEngine`: this process, then worker processes on
  this machine; a worker that dies is replaced and its batch retried once.
* :class:`frontline.engines.dask.DaskEngine`: the workers of a ``dask.distributed``
  cluster (needs the ``dask`` extra).

Engines import nothing from the pipeline: the per-article function is handed to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:  # pragma: no cover
    from ..articles import Article
    from ..gazetteer import Gazetteer

__all__ = [
    "Done",
    "Failed",
    "Outcome",
    "Work",
    "Engine",
    "Ticket",
    "batches",
    "died_twice",
    "over_budget",
]

T = TypeVar("T")


@dataclass(slots=True)
class Done:
    """An article processed.

    With ``encoded`` set (when the run keeps a cache) the other fields are empty: the
    result travels as the cache's two encoded parts, events and details, so the main
    process stores exactly what the worker made and decodes it once.
    """

    events: list[Any] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    mentions: list[Any] = field(default_factory=list)
    timexes: list[Any] = field(default_factory=list)
    sentences: list[Any] = field(default_factory=list)
    encoded: tuple[bytes, bytes] | None = None


@dataclass(slots=True, frozen=True)
class Failed:
    """An article that could not be processed: why, in one line, and the details."""

    message: str
    detail: str = ""


#: What one article gave.
Outcome = Done | Failed
#: The per-article function an engine runs: ``work(article, gazetteer) -> Outcome``.
#: It never raises for a bad article (that is a :class:`Failed`), and it must be
#: picklable by reference (a module-level function or a ``functools.partial`` of one).
Work = Callable[["Article", "Gazetteer"], Outcome]


def over_budget(seconds: float) -> Failed:
    """The outcome of an article that took longer than the time budget.

    Examples
    --------
    >>> over_budget(60).message
    'took longer than the 60 s budget; skipped (raise it with --time-budget)'
    """
    return Failed(
        f"took longer than the {seconds:g} s budget; skipped (raise it with --time-budget)"
    )


def died_twice() -> Failed:
    """The outcome of the articles of a batch whose worker died twice (killed, or out of
    memory): they are skipped so that the run goes on."""
    return Failed(
        "its worker process died twice while processing it (killed, or out of memory); skipped"
    )


#: A batch handed to an engine, as the engine keeps track of it; :meth:`Engine.collect`
#: gives its outcomes.
Ticket = Any


class Engine(Protocol):
    """What the pipeline needs from an engine.

    The pipeline submits batches in input order and collects them in the same order,
    keeping at most :meth:`window` batches submitted and not yet collected.
    """

    def window(self) -> int:
        """Batches to keep in flight (1 when the work runs in this process)."""
        ...

    def submit(self, articles: list[Article]) -> Ticket:
        """Start (or queue) the work on one batch."""
        ...

    def collect(self, ticket: Ticket) -> list[Outcome]:
        """The outcomes of a submitted batch, one per article, in order; never hangs."""
        ...

    def close(self) -> None:
        """Stop every worker this engine started."""
        ...


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of *size* items (the last may be shorter), read lazily.

    Examples
    --------
    >>> list(batches(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch
