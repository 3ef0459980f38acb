"""The Dask engine: partitions on a LocalCluster, a GeoParquet dataset that reads back."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("distributed")

from frontline import pipeline  # noqa: E402
from frontline.articles import Article  # noqa: E402
from frontline.engine_dask import read_dataset, run_dask  # noqa: E402
from frontline.errors import EventTableError, FrontlineError  # noqa: E402
from frontline.events import Event, EventTable  # noqa: E402
from frontline.pipeline import ArticleResult  # noqa: E402


def fake_process(article: Article, *, gazetteer=None) -> ArticleResult:
    """One real Event per article, at a longitude given by its number; 'BOOM' fails."""
    if article.text == "BOOM":
        raise ValueError("unreadable")
    n = int(article.article_id[1:])
    event = Event(event_id=f"e{n:04d}", date=f"2022-03-{1 + n % 28:02d}", time_precision=1,
                  place_id=f"test:{n}", place=f"Town {n}", kind="city", admin1="Kharkiv",
                  country_code="UA", latitude=49.0, longitude=30.0 + n / 100,
                  geo_precision=1, event_type="shelling", sub_event_type="",
                  article_id=article.article_id, title=article.title, source="", url="",
                  published="2022-03-29", quote=article.text, confidence=0.7)
    return ArticleResult(article, events=[event])


class FakeGazetteer:
    version = "fake"


@pytest.fixture
def fake_stages(monkeypatch):
    from frontline import engine_dask

    monkeypatch.setattr(pipeline, "process_article", fake_process)
    monkeypatch.setattr(engine_dask, "_worker_gazetteer", lambda files: FakeGazetteer())


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                      dashboard_address=":0") as cluster, Client(cluster) as c:
        yield c


def make_articles(n, boom=()):
    return [Article(f"a{i}", "BOOM" if i in boom else f"Shelling in town {i}.",
                    title=f"T{i}", published=dt.date(2022, 3, 29), origin=f"c.csv:{i + 2}")
            for i in range(n)]


def test_dataset_has_one_file_per_partition_and_reads_back(tmp_path, client, fake_stages):
    out = run_dask(iter(make_articles(95)), tmp_path / "events", client=client,
                   partition_size=20, max_in_flight=2)
    assert out.articles == 95 and out.events == 95 and not out.errors
    names = sorted(p.name for p in (tmp_path / "events").iterdir())
    assert names == [f"part-{i:05d}.parquet" for i in range(5)]
    table = read_dataset(tmp_path / "events")
    assert isinstance(table, EventTable) and len(table) == 95
    assert sorted(table.gdf["article_id"]) == sorted(f"a{i}" for i in range(95))
    # GeoParquet: each partition is an event table on its own, with (lon, lat) points
    part = EventTable.read(tmp_path / "events" / "part-00003.parquet")
    assert len(part) == 20 and part.gdf.crs.to_epsg() == 4326
    row = part.gdf[part.gdf["article_id"] == "a61"].iloc[0]
    assert (row.geometry.x, row.geometry.y) == (pytest.approx(30.61), 49.0)


def test_same_events_as_the_local_engine(tmp_path, client, fake_stages):
    arts = make_articles(50)
    run_dask(arts, tmp_path / "ds", client=client, partition_size=16)
    local = pipeline.extract_events(arts, gazetteer=FakeGazetteer())
    assert read_dataset(tmp_path / "ds").equals(local)


def test_failed_articles_are_reported_not_fatal(tmp_path, client, fake_stages):
    out = run_dask(make_articles(30, boom={4, 25}), tmp_path / "ds", client=client,
                   partition_size=10)
    assert out.events == 28
    assert sorted(out.errors) == [("c.csv:27", "ValueError: unreadable"),
                                  ("c.csv:6", "ValueError: unreadable")]


def test_a_rerun_replaces_old_partitions(tmp_path, client, fake_stages):
    run_dask(make_articles(60), tmp_path / "ds", client=client, partition_size=10)
    run_dask(make_articles(15), tmp_path / "ds", client=client, partition_size=10)
    assert len(list((tmp_path / "ds").glob("part-*.parquet"))) == 2
    assert len(read_dataset(tmp_path / "ds")) == 15


def test_gazetteer_files_travel_with_the_tasks(tmp_path, client, monkeypatch):
    from frontline import engine_dask

    seen = []

    def capture(files):
        seen.append(files)
        return FakeGazetteer()

    monkeypatch.setattr(pipeline, "process_article", fake_process)
    monkeypatch.setattr(engine_dask, "_worker_gazetteer", capture)
    mine = tmp_path / "mine.csv"
    mine.write_text("name,latitude,longitude,kind,country_code\nRobotyne,47.45,35.84,city,UA\n")
    run_dask(make_articles(3), tmp_path / "ds", client=client, gazetteer_files=[mine])
    assert seen and seen[0][0][1] == mine.read_bytes()


def test_reading_a_folder_without_partitions_fails_clearly(tmp_path):
    with pytest.raises(EventTableError, match="no part-"):
        read_dataset(tmp_path)


def test_an_unreachable_scheduler_fails_clearly(tmp_path):
    with pytest.raises(FrontlineError, match="cannot reach the Dask scheduler"):
        run_dask(make_articles(1), tmp_path / "ds", scheduler="tcp://127.0.0.1:9",
                 connect_timeout=1)


@pytest.mark.slow
def test_local_cluster_with_worker_processes(tmp_path):
    """The real default path: a LocalCluster of 2 worker processes and the real stages."""
    from frontline.errors import GazetteerError
    from frontline.gazetteer import Gazetteer

    try:
        Gazetteer.load()
    except GazetteerError as err:
        pytest.skip(f"bundled gazetteer not built: {err}")
    arts = [Article(f"r{i}", "Russian shelling hit Nikopol on Tuesday, officials said.",
                    published=dt.date(2022, 8, 12)) for i in range(40)]
    out = run_dask(arts, tmp_path / "ds", n_workers=2, partition_size=10)
    assert out.articles == 40 and not out.errors
    table = read_dataset(tmp_path / "ds")
    assert len(table) == out.events >= 40
    assert set(table.gdf["place"]) >= {"Nikopol"}
