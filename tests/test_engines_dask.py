"""The Dask engine: batches on a cluster, typed outcomes, the same tables as the local engine."""

from __future__ import annotations

import datetime as dt
import time
from functools import partial

import pytest

pytest.importorskip("distributed")

from frontline import pipeline  # noqa: E402
from frontline.articles import Article  # noqa: E402
from frontline.engines import Done, Failed  # noqa: E402
from frontline.engines.dask import DaskEngine  # noqa: E402
from frontline.errors import FrontlineError  # noqa: E402
from frontline.events import Event  # noqa: E402
from frontline.pipeline import ArticleResult  # noqa: E402


def fake_process(article: Article, *, gazetteer=None) -> ArticleResult:
    """One real Event per article, at a longitude given by its number; 'BOOM' fails."""
    if article.text == "BOOM":
        raise ValueError("unreadable")
    n = int(article.article_id[1:])
    event = Event(
        event_id=f"e{n:04d}",
        date=f"2022-03-{1 + n % 28:02d}",
        time_precision=1,
        place_id=f"test:{n}",
        place=f"Town {n}",
        kind="city",
        admin1="Kharkiv",
        country_code="UA",
        latitude=49.0,
        longitude=30.0 + n / 100,
        geo_precision=1,
        event_type="shelling",
        sub_event_type="",
        article_id=article.article_id,
        title=article.title,
        source="",
        url="",
        published="2022-03-29",
        quote=article.text,
        confidence=0.7,
    )
    return ArticleResult(article, events=[event])


class FakeGazetteer:
    version = "fake"


@pytest.fixture
def fake_stages(monkeypatch):
    from frontline.engines import dask

    monkeypatch.setattr(pipeline, "process_article", fake_process)
    monkeypatch.setattr(dask, "_worker_gazetteer", lambda files: FakeGazetteer())


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


def make_articles(n, boom=()):
    return [
        Article(
            f"a{i}",
            "BOOM" if i in boom else f"Shelling in town {i}.",
            title=f"T{i}",
            published=dt.date(2022, 3, 29),
            origin=f"c.csv:{i + 2}",
        )
        for i in range(n)
    ]


def test_outcomes_are_typed_and_in_order(client, fake_stages):
    work = partial(pipeline.process_one, details=False)
    engine = DaskEngine(work, jobs=1, client=client)
    try:
        tickets = [engine.submit(b) for b in (make_articles(5), make_articles(3, boom={1}))]
        first, second = (engine.collect(t) for t in tickets)
    finally:
        engine.close()
    assert all(isinstance(o, Done) for o in first)
    assert [o.events[0].article_id for o in first] == ["a0", "a1", "a2", "a3", "a4"]
    assert isinstance(second[1], Failed) and second[1].message == "ValueError: unreadable"
    assert client.status == "running"  # a client given is left open


def test_gazetteer_files_travel_with_the_tasks(tmp_path, client, monkeypatch):
    from frontline.engines import dask

    seen = []

    def capture(files):
        seen.append(files)
        return FakeGazetteer()

    monkeypatch.setattr(pipeline, "process_article", fake_process)
    monkeypatch.setattr(dask, "_worker_gazetteer", capture)
    mine = tmp_path / "mine.csv"
    mine.write_text("name,latitude,longitude,kind,country_code\nRobotyne,47.45,35.84,city,UA\n")
    engine = DaskEngine(pipeline.process_one, jobs=1, client=client, gazetteer_files=(str(mine),))
    engine.collect(engine.submit(make_articles(3)))
    assert seen and seen[0][0][1] == mine.read_bytes()


def test_an_unreachable_scheduler_fails_clearly():
    with pytest.raises(FrontlineError, match="cannot reach the Dask scheduler"):
        DaskEngine(pipeline.process_one, jobs=1, scheduler="tcp://127.0.0.1:9", connect_timeout=1)


def slow_in_python(article: Article, *, gazetteer=None) -> ArticleResult:
    """A stand-in that runs Python code for 30 s on 'SLOW' (where an interruption lands)."""
    if article.text == "SLOW":
        end = time.monotonic() + 30
        while time.monotonic() < end:
            time.sleep(0.01)
    return fake_process(article)


def test_the_time_budget_holds_on_dask_worker_threads(client, monkeypatch):
    from frontline.engines import dask

    monkeypatch.setattr(pipeline, "process_article", slow_in_python)
    monkeypatch.setattr(dask, "_worker_gazetteer", lambda files: FakeGazetteer())
    arts = make_articles(4)
    arts[2] = Article("a2", "SLOW", published=dt.date(2022, 3, 29), origin="c.csv:4")
    engine = DaskEngine(partial(pipeline.process_one, budget=0.5), jobs=1, client=client)
    start = time.monotonic()
    outcomes = engine.collect(engine.submit(arts))
    assert time.monotonic() - start < 15
    assert [type(o).__name__ for o in outcomes] == ["Done", "Done", "Failed", "Done"]
    assert "0.5 s budget" in outcomes[2].message
