"""The local engine: a run that cannot hang, whatever happens to its workers or articles."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import time

import pytest

from frontline import pipeline
from frontline.articles import Article
from frontline.engines import local
from frontline.pipeline import POOL_AFTER, ArticleResult, RunOptions, run

MAIN = os.getpid()


class FakeGazetteer:
    version = "fake"


def stage(article: Article, *, gazetteer=None) -> ArticleResult:
    """A stand-in for the stages, steered by the article's text:
    KILL kills its own worker (never this process), SLOW sleeps, STUCK sleeps where the
    alarm cannot reach it, anything else gives one event: the text."""
    if article.text == "KILL" and os.getpid() != MAIN:
        os.kill(os.getpid(), signal.SIGKILL)
    if article.text == "SLOW":
        time.sleep(30)
    if article.text == "STUCK":
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(30)
    return ArticleResult(article, events=[article.text], mentions=[os.getpid()])


@pytest.fixture
def stand_in(monkeypatch):
    monkeypatch.setattr(pipeline, "process_article", stage)
    return FakeGazetteer()


def articles(n: int, **marked: int) -> list[Article]:
    texts = {i: text for text, i in marked.items()}
    return [
        Article(
            f"a{i:04d}",
            texts.get(i, f"w{i}"),
            published=dt.date(2022, 1, 1),
            origin=f"feed.jsonl:{i + 1}",
        )
        for i in range(n)
    ]


def outcome(results):
    return {r.article.article_id: (r.error or r.events[0]) for r in results}


def test_a_worker_that_keeps_dying_costs_only_its_batch(stand_in):
    n, culprit = POOL_AFTER + 6 * pipeline.BATCH_SIZE, POOL_AFTER + 40
    out = list(run(articles(n, KILL=culprit), gazetteer=stand_in, jobs=2, errors="record"))
    assert [r.article.article_id for r in out] == [f"a{i:04d}" for i in range(n)]
    failed = {r.article.article_id for r in out if r.error}
    batch = range(POOL_AFTER + 32, POOL_AFTER + 64)  # the culprit's batch of 32
    assert failed == {f"a{i:04d}" for i in batch}
    assert all("died twice" in r.error for r in out if r.error)
    assert all(r.events == [f"w{i}"] for i, r in enumerate(out) if i not in batch)
    assert not [p for p in multiprocessing.active_children() if p.name == "frontline-worker"]


def test_a_worker_killed_from_outside_is_replaced_and_its_batch_redone(stand_in):
    killed = []

    def kill_one_worker(result):
        if not killed and result.mentions[0] != MAIN:
            workers = [p for p in multiprocessing.active_children() if p.name == "frontline-worker"]
            os.kill(workers[0].pid, signal.SIGKILL)  # kill -9 of a real worker
            killed.append(workers[0].pid)

    n = POOL_AFTER + 30 * pipeline.BATCH_SIZE
    out = list(
        run(articles(n), gazetteer=stand_in, jobs=2, errors="record", on_result=kill_one_worker)
    )
    assert killed
    assert not [r for r in out if r.error]
    assert [r.events for r in out] == [[f"w{i}"] for i in range(n)]
    assert killed[0] not in {r.mentions[0] for r in out[-pipeline.BATCH_SIZE :]}


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_article_over_its_time_budget_is_reported_and_skipped(stand_in, jobs):
    slow = POOL_AFTER + 3
    start = time.monotonic()
    out = list(
        run(
            articles(POOL_AFTER + 64, SLOW=slow),
            gazetteer=stand_in,
            jobs=jobs,
            budget=0.5,
            errors="record",
        )
    )
    assert time.monotonic() - start < 20
    assert [r.article.article_id for r in out if r.error] == [f"a{slow:04d}"]
    assert "longer than the 0.5 s budget" in out[slow].error
    assert len([r for r in out if r.events]) == POOL_AFTER + 63


def test_a_worker_stuck_out_of_the_alarms_reach_is_killed(stand_in, monkeypatch):
    monkeypatch.setattr(local, "KILL_GRACE", 0.5)
    stuck = POOL_AFTER + 70
    out = list(
        run(
            articles(POOL_AFTER + 128, STUCK=stuck),
            gazetteer=stand_in,
            jobs=2,
            budget=0.5,
            errors="record",
        )
    )
    errors = {r.article.article_id: r.error for r in out if r.error}
    assert list(errors) == [f"a{stuck:04d}"] and "budget" in errors[f"a{stuck:04d}"]
    assert len([r for r in out if r.events]) == POOL_AFTER + 127


def test_the_budget_is_an_option_of_the_run():
    assert RunOptions().budget == 60
    with pytest.raises(ValueError, match="budget"):
        RunOptions(budget=0)


# A main process that starts two workers, gives them work that never ends, says their
# process ids and waits to be killed.
_ORPHANING = """
import sys, time
from frontline.engines import Done
from frontline.engines.local import LocalEngine

def work(article, gazetteer):
    time.sleep(3600)
    return Done(events=[article])

engine = LocalEngine(work, lambda: None, jobs=2)
engine.submit(["a", "b"])
engine.submit(["c", "d"])
print(" ".join(str(w.process.pid) for w in engine._pool.workers), flush=True)
time.sleep(3600)
"""


def test_workers_of_a_killed_main_process_exit():
    import subprocess
    import sys

    psutil = pytest.importorskip("psutil")
    main = subprocess.Popen([sys.executable, "-c", _ORPHANING], stdout=subprocess.PIPE, text=True)
    try:
        workers = [psutil.Process(int(pid)) for pid in main.stdout.readline().split()]
        assert len(workers) == 2
    finally:
        main.kill()  # kill -9: no handler, no clean-up of its own
        main.wait()

    def running(p):  # (a zombie has exited: only its parent has not reaped it)
        try:
            return p.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    deadline = time.monotonic() + 30
    while any(map(running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [p for p in workers if running(p)]
    for p in alive:
        p.kill()
    assert alive == []
