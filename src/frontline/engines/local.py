"""The local engine: this process, then worker processes that cannot hang the run.

The first articles run in this process: they warm up the lazily built indexes (the name
automaton, the cue index), so the workers forked after them inherit those instead of
rebuilding their own, and a rerun whose few new articles fit in that budget never starts a
worker at all. After that, ``jobs`` worker processes take batches.

Each worker has its own pipes (no lock shared between workers), so one that dies cannot
block another, and the main process knows which batch every worker holds:

* a worker that dies (``kill -9``, the out-of-memory killer) is replaced at once, and the
  batch it was working on is retried once in a fresh worker; if that one dies too, the
  batch's articles are reported as failed and the run goes on;
* each worker says which article it is on and since when; one that runs far past the time
  budget (stuck in C code, where the in-process alarm cannot interrupt it) is killed, its
  article reported as over budget and the rest of its batch done again;
* a worker whose main process is killed (``kill -9``, or a signal it does not handle)
  exits about :data:`PARENT_CHECK` seconds later, rather than wait for work forever.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from itertools import count
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

from . import Outcome, Work, died_twice, over_budget

if TYPE_CHECKING:  # pragma: no cover
    from ..articles import Article
    from ..gazetteer import Gazetteer

__all__ = ["LocalEngine", "BATCHES_PER_JOB", "QUEUED_PER_WORKER"]

#: Batches in flight per worker process; bounds memory on an endless stream.
BATCHES_PER_JOB = 4
#: Batches sent to one worker ahead of its results (one running, one waiting), so a worker
#: never waits for the main process to hand it the next one.
QUEUED_PER_WORKER = 2
#: Seconds past the time budget after which a worker still on one article is killed.
KILL_GRACE = 5.0
#: Seconds between a waiting worker's checks that the main process is still there. A
#: worker forked from it holds copies of the pipes' ends, so it never reads an end of file
#: when the main process is killed: it looks instead, and exits.
PARENT_CHECK = 1.0


class _Here:
    """A batch done in this process, when collected."""

    __slots__ = ("articles",)

    def __init__(self, articles: list[Article]) -> None:
        self.articles = articles


class _Batch:
    """A batch given to the workers: which articles are still to do, and what came back."""

    __slots__ = ("id", "articles", "outcomes", "attempts")

    def __init__(self, batch_id: int, articles: list[Article]) -> None:
        self.id = batch_id
        self.articles = articles
        self.outcomes: list[Outcome | None] = [None] * len(articles)
        self.attempts = 0

    @property
    def todo(self) -> list[int]:
        return [i for i, o in enumerate(self.outcomes) if o is None]

    @property
    def done(self) -> bool:
        return all(o is not None for o in self.outcomes)


class LocalEngine:
    """Run the work in this process and, once warmed up, in ``jobs`` worker processes.

    Parameters
    ----------
    work : Work
        The per-article function.
    gazetteer : callable
        Gives the gazetteer; called only when an article must be processed.
    jobs : int
        Worker processes; 1 runs everything in this process.
    budget : float or None
        The per-article time budget the work enforces; workers far past it are killed.
    pool_after : int
        Articles processed in this process before the workers are started.

    Examples
    --------
    >>> from frontline.engines import Done
    >>> engine = LocalEngine(lambda article, gazetteer: Done(events=[article]), lambda: None,
    ...                      jobs=1)
    >>> [outcome.events for outcome in engine.collect(engine.submit(["a", "b"]))]
    [['a'], ['b']]
    """

    def __init__(
        self,
        work: Work,
        gazetteer: Callable[[], Gazetteer],
        *,
        jobs: int,
        budget: float | None = None,
        pool_after: int = 0,
    ) -> None:
        self._work = work
        self._gazetteer = gazetteer
        self._jobs = max(1, int(jobs))
        self._budget = budget
        self._pool_after = pool_after
        self._here = 0
        self._pool: _Pool | None = None

    @property
    def workers(self) -> int:
        """Worker processes running now (0 while the work runs in this process)."""
        return len(self._pool.workers) if self._pool is not None else 0

    def window(self) -> int:
        return 1 if self._pool is None else max(2, self._jobs * BATCHES_PER_JOB)

    def submit(self, articles: list[Article]) -> _Here | _Batch:
        if self._jobs > 1 and self._pool is None and self._here >= self._pool_after:
            self._pool = _Pool(self._jobs, self._work, self._gazetteer(), self._budget)
        if self._pool is not None:
            return self._pool.submit(articles)
        self._here += len(articles)
        return _Here(articles)

    def collect(self, ticket: Any) -> list[Outcome]:
        if isinstance(ticket, _Here):
            gazetteer = self._gazetteer()
            return [self._work(article, gazetteer) for article in ticket.articles]
        assert self._pool is not None
        return self._pool.collect(ticket)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None


# ------------------------------------------------------------------------ the workers


class _Worker:
    """One worker process, its two pipes, and the batches it holds, oldest first."""

    __slots__ = ("process", "tasks", "results", "progress", "held", "killed_over")

    def __init__(self, ctx: Any, work: Work, gazetteer: Gazetteer) -> None:
        task_out, task_in = ctx.Pipe(duplex=False)  # (receiving end, sending end)
        result_out, result_in = ctx.Pipe(duplex=False)
        #: batch id, article index, start time (time.monotonic, 0 when idle)
        self.progress = ctx.RawArray("d", 3)
        self.process = ctx.Process(
            target=_worker_main,
            daemon=True,
            name="frontline-worker",
            args=(task_out, result_in, work, gazetteer, self.progress, os.getpid()),
        )
        self.process.start()
        task_out.close()
        result_in.close()
        self.tasks: Connection = task_in
        self.results: Connection = result_out
        self.held: deque[_Batch] = deque()
        self.killed_over: tuple[int, int] | None = None  # (batch id, index) past the budget

    def running(self) -> tuple[int, int, float] | None:
        """(batch id, article index, seconds on it) of the article being processed."""
        batch_id, index, started = self.progress[:]
        if not started:
            return None
        return int(batch_id), int(index), time.monotonic() - started

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.tasks.close()
        self.results.close()


def _worker_main(
    tasks: Connection,
    results: Connection,
    work: Work,
    gazetteer: Gazetteer,
    progress: Any,
    parent: int,
) -> None:
    """A worker: take batches, process them article by article, send the outcomes.

    Two helper threads move the pickled batches in and out, so the main process never
    blocks on a full pipe and this process never waits for the main one.
    """
    # Ctrl-C reaches every process of the group: the main process handles it and stops
    # the workers; a worker would only print one more traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
    outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def pump_in() -> None:  # (parent: the main process's id, taken before it forked)
        try:
            while True:
                if not tasks.poll(PARENT_CHECK):
                    if os.getppid() != parent:  # the main process is gone: so is the run
                        os._exit(0)
                    continue
                if (task := tasks.recv()) is None:
                    break
                inbox.put(task)
        except (EOFError, OSError):
            pass
        inbox.put(None)

    def pump_out() -> None:
        while (message := outbox.get()) is not None:
            results.send(message)

    threading.Thread(target=pump_in, daemon=True).start()
    sender = threading.Thread(target=pump_out, daemon=True)
    sender.start()
    while (task := inbox.get()) is not None:
        batch_id, indices, articles = task
        outcomes = []
        for index, article in zip(indices, articles, strict=True):
            progress[0], progress[1] = batch_id, index
            progress[2] = time.monotonic()
            outcomes.append(work(article, gazetteer))
        progress[2] = 0.0
        outbox.put((batch_id, indices, outcomes))
    outbox.put(None)
    sender.join()


class _Pool:
    """``jobs`` workers, the batches waiting for one, and what to do when one dies."""

    def __init__(self, jobs: int, work: Work, gazetteer: Gazetteer, budget: float | None) -> None:
        methods = mp.get_all_start_methods()
        # Under fork the loaded gazetteer and the warmed-up indexes are inherited as they
        # are; under spawn the gazetteer is pickled once per worker.
        self._ctx = mp.get_context("fork" if "fork" in methods else "spawn")
        self._work = work
        self._gazetteer = gazetteer
        self._kill_after = None if budget is None else budget + max(KILL_GRACE, budget / 2)
        self._budget = budget
        self._ids = count()
        self._batches: dict[int, _Batch] = {}
        self._waiting: deque[_Batch] = deque()
        self.workers = [_Worker(self._ctx, work, gazetteer) for _ in range(jobs)]

    def submit(self, articles: list[Article]) -> _Batch:
        batch = _Batch(next(self._ids), articles)
        self._batches[batch.id] = batch
        self._waiting.append(batch)
        self._dispatch()
        return batch

    def collect(self, batch: _Batch) -> list[Outcome]:
        while not batch.done:
            self._step()
        del self._batches[batch.id]
        return [o for o in batch.outcomes if o is not None]

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers = []

    # -- the loop

    def _dispatch(self) -> None:
        for worker in sorted(self.workers, key=lambda w: len(w.held)):
            while self._waiting and len(worker.held) < QUEUED_PER_WORKER:
                batch = self._waiting.popleft()
                todo = batch.todo
                worker.held.append(batch)
                try:
                    worker.tasks.send((batch.id, todo, [batch.articles[i] for i in todo]))
                except OSError:  # it died: its batches go elsewhere once that is seen
                    break

    def _step(self) -> None:
        """Wait for a result or a death (or the next budget check) and handle it."""
        by_conn = {w.results: w for w in self.workers}
        by_sentinel = {w.process.sentinel: w for w in self.workers}
        timeout = None if self._kill_after is None else min(1.0, self._kill_after / 4)
        for ready in wait([*by_conn, *by_sentinel], timeout):
            if ready in by_conn:
                worker = by_conn[ready]
                if worker in self.workers:
                    self._receive(worker)
        for worker in list(by_sentinel.values()):
            if worker in self.workers and not worker.process.is_alive():
                self._replace(worker)
        self._kill_overdue()
        self._dispatch()

    def _receive(self, worker: _Worker) -> bool:
        """Take one message from *worker*; False when its pipe is closed."""
        try:
            batch_id, indices, outcomes = worker.results.recv()
        except (EOFError, OSError):
            return False
        batch = self._batches.get(batch_id)
        if batch is not None:
            for i, outcome in zip(indices, outcomes, strict=True):
                batch.outcomes[i] = outcome
        if worker.held and worker.held[0].id == batch_id:
            worker.held.popleft()
        return True

    def _replace(self, dead: _Worker) -> None:
        """A worker died: keep what it sent, retry or report what it held, start another."""
        while dead.results.poll() and self._receive(dead):
            pass
        running = dead.running()
        lost = [b for b in dead.held if not b.done]
        for batch in lost:
            if running is None or batch.id != running[0]:
                continue  # not started: it simply goes to another worker
            if dead.killed_over is not None and dead.killed_over[0] == batch.id:
                assert self._budget is not None
                batch.outcomes[dead.killed_over[1]] = over_budget(self._budget)
            else:
                batch.attempts += 1
                if batch.attempts >= 2:
                    for i in batch.todo:
                        batch.outcomes[i] = died_twice()
        self._waiting.extendleft(reversed([b for b in lost if not b.done]))
        dead.stop()
        self.workers[self.workers.index(dead)] = _Worker(self._ctx, self._work, self._gazetteer)

    def _kill_overdue(self) -> None:
        if self._kill_after is None:
            return
        for worker in self.workers:
            running = worker.running()
            if running is not None and running[2] > self._kill_after:
                worker.killed_over = running[:2]
                worker.process.kill()
