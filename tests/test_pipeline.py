"""The streaming pipeline: order, bounded read-ahead, failures, progress, the real stages."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from frontline import pipeline
from frontline.articles import Article
from frontline.engines.local import BATCHES_PER_JOB
from frontline.errors import FrontlineError, GazetteerError
from frontline.pipeline import ArticleResult, run


class FakeGazetteer:
    """Stands in for a loaded gazetteer: the fake stage below only reads ``version``."""

    version = "fake-1"


def fake_process(article: Article, *, gazetteer=None) -> ArticleResult:
    """A deterministic stand-in for the stages: one 'event' per word, fails on 'BOOM'."""
    if "BOOM" in article.text:
        raise ValueError(f"cannot parse {article.article_id}")
    words = article.text.split()
    return ArticleResult(
        article,
        events=[f"{article.article_id}:{w}" for w in words],
        warnings=[f"{article.origin or article.article_id}: checked"],
        mentions=[os.getpid()],
    )


@pytest.fixture
def fake_stages(monkeypatch):
    monkeypatch.setattr(pipeline, "process_article", fake_process)
    return FakeGazetteer()


def make_articles(n: int, *, boom: set[int] = frozenset()) -> list[Article]:
    return [
        Article(
            f"a{i:05d}",
            "BOOM" if i in boom else f"w{i} x{i % 7}",
            published=dt.date(2022, 1, 1),
            origin=f"corpus.jsonl:{i + 1}",
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_come_back_in_input_order(fake_stages, jobs):
    arts = make_articles(300)
    out = list(run(iter(arts), gazetteer=fake_stages, jobs=jobs))
    assert [r.article.article_id for r in out] == [a.article_id for a in arts]
    assert out[123].events == ["a00123:w123", "a00123:x4"]
    assert out[5].article is arts[5]  # the caller's own objects, not copies
    if jobs == 2:
        # the work really ran in other processes
        assert {r.mentions[0] for r in out} - {os.getpid()}


def test_two_jobs_match_one_job(fake_stages):
    arts = make_articles(200)
    one = [
        (r.article.article_id, r.events, r.warnings)
        for r in run(arts, gazetteer=fake_stages, jobs=1)
    ]
    two = [
        (r.article.article_id, r.events, r.warnings)
        for r in run(arts, gazetteer=fake_stages, jobs=2)
    ]
    assert one == two


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_input_is_read_only_a_bounded_window_ahead(fake_stages, jobs):
    drawn = 0

    def stream():
        nonlocal drawn
        for a in make_articles(5000):
            drawn += 1
            yield a

    ahead = []
    for i, _ in enumerate(run(stream(), gazetteer=fake_stages, jobs=jobs), start=1):
        ahead.append(drawn - i)
    limit = (max(2, jobs * BATCHES_PER_JOB) + 1) * pipeline.BATCH_SIZE
    assert max(ahead) <= limit
    assert drawn == 5000


@pytest.mark.parametrize("jobs", [1, 2])
def test_failures_are_recorded_per_article(fake_stages, jobs):
    arts = make_articles(100, boom={3, 64})
    out = list(run(arts, gazetteer=fake_stages, jobs=jobs, errors="record"))
    assert len(out) == 100
    failed = [r for r in out if r.error]
    assert [r.article.article_id for r in failed] == ["a00003", "a00064"]
    assert failed[0].error == "ValueError: cannot parse a00003"
    assert failed[0].events == [] and out[4].events


@pytest.mark.parametrize("jobs", [1, 2])
def test_failures_raise_by_default_naming_the_article(fake_stages, jobs):
    arts = make_articles(100, boom={40})
    with pytest.raises(
        FrontlineError,
        match=r"corpus.jsonl:41: processing failed: "
        r"ValueError: cannot parse a00040",
    ):
        list(run(arts, gazetteer=fake_stages, jobs=jobs))


def test_bad_errors_option_is_refused(fake_stages):
    with pytest.raises(ValueError, match="'raise' or 'record'"):
        list(run([], gazetteer=fake_stages, errors="ignore"))


def test_on_result_sees_every_result_in_order(fake_stages):
    seen = []
    out = list(
        run(
            make_articles(70),
            gazetteer=fake_stages,
            jobs=2,
            on_result=lambda r: seen.append(r.article.article_id),
        )
    )
    assert seen == [r.article.article_id for r in out]


def test_progress_bar_counts_articles_and_errors(fake_stages, capsys):
    list(
        run(
            make_articles(50, boom={7}),
            gazetteer=fake_stages,
            jobs=1,
            progress=True,
            errors="record",
        )
    )
    err = capsys.readouterr().err
    assert "50 articles" in err and "1 errors" in err


def test_no_progress_bar_unless_asked_or_a_terminal(fake_stages, capsys):
    list(run(make_articles(50), gazetteer=fake_stages, jobs=1, progress=None))
    assert capsys.readouterr().err == ""


def test_stopping_early_shuts_the_workers_down(fake_stages):
    it = run(make_articles(2000), gazetteer=fake_stages, jobs=2)
    first = next(it)
    it.close()
    assert first.article.article_id == "a00000"


# ----------------------------------------------------------------- with the real stages


@pytest.fixture(scope="module")
def gazetteer():
    from frontline.gazetteer import Gazetteer

    try:
        return Gazetteer.load()
    except GazetteerError as err:  # the bundled data is built by geodata/build.py
        pytest.skip(f"bundled gazetteer not built: {err}")


REAL = [
    ("Russian shelling hit Nikopol on Tuesday, officials said.", dt.date(2022, 8, 12)),
    ("A missile strike on Kharkiv on Monday damaged a school.", dt.date(2022, 9, 7)),
    ("Ukrainian troops entered Kherson on Friday.", dt.date(2022, 11, 12)),
]


def test_parallel_real_pipeline_matches_serial(gazetteer):
    arts = [Article(f"r{i}", text, published=pub) for i, (text, pub) in enumerate(REAL * 30)]
    serial = [r.events for r in run(arts, gazetteer=gazetteer, jobs=1)]
    parallel = [r.events for r in run(arts, gazetteer=gazetteer, jobs=2)]
    assert serial == parallel
    assert any(serial)


def test_extract_events_with_jobs(gazetteer):
    from frontline.extract import extract_events

    arts = [Article(f"r{i}", text, published=pub) for i, (text, pub) in enumerate(REAL)]
    one = extract_events(arts, gazetteer=gazetteer, jobs=1, cache=False)
    two = extract_events(arts, gazetteer=gazetteer, jobs=2, cache=False)
    assert one.equals(two) and len(one) >= 1


# ------------------------------------------------------------------ the command line


@pytest.fixture
def corpus(tmp_path, gazetteer):
    import json

    path = tmp_path / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i, (text, pub) in enumerate(REAL * 12):
            f.write(json.dumps({"id": f"c{i}", "text": text, "published": pub.isoformat()}) + "\n")
    return path


def _cli(*args):
    from typer.testing import CliRunner

    from frontline.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


def test_cli_cache_folder_fills_and_is_reused(corpus, tmp_path):
    cache = tmp_path / "cache"
    first = _cli("events", corpus, "-o", tmp_path / "a.csv", "--cache-dir", cache, "-j", "2", "-q")
    assert first.exit_code == 0, first.output
    assert (cache / "results.sqlite").exists()
    from frontline.cache import ResultCache

    with ResultCache(cache, version="unused") as c:
        (versions,) = c.store.execute(
            "SELECT count(DISTINCT version) FROM article_results"
        ).fetchone()
        (rows,) = c.store.execute("SELECT count(*) FROM article_results").fetchone()
    assert (versions, rows) == (1, 36)
    again = _cli("events", corpus, "-o", tmp_path / "b.csv", "--cache-dir", cache, "-q")
    assert again.exit_code == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_cli_no_cache_writes_no_cache(corpus, tmp_path):
    result = _cli(
        "events",
        corpus,
        "-o",
        tmp_path / "a.csv",
        "--cache-dir",
        tmp_path / "cache",
        "--no-cache",
        "-j",
        "1",
        "-q",
    )
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "cache").exists()


@pytest.mark.slow
def test_cli_dask_engine_writes_a_dataset_folder(corpus, tmp_path):
    pytest.importorskip("distributed")
    from frontline.dataset import read_dataset

    result = _cli("events", corpus, "-o", tmp_path / "ds", "--engine", "dask", "--no-cache", "-q")
    assert result.exit_code == 0, result.output
    table = read_dataset(tmp_path / "ds")
    assert len(table) >= 36  # per-article rows: every copy of an event is kept
    local = _cli(
        "events", corpus, "-o", tmp_path / "a.csv", "--no-merge", "--no-cache", "-j", "1", "-q"
    )
    assert local.exit_code == 0
    from frontline.events import EventTable

    assert EventTable.read(tmp_path / "a.csv").equals(table)


def test_cli_dataset_folder_refuses_filters(corpus, tmp_path):
    result = _cli(
        "events", corpus, "-o", tmp_path / "ds", "--engine", "dask", "--types", "shelling"
    )
    import re

    assert result.exit_code == 2
    text = " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())
    assert "a dataset folder holds every event; filter it after reading" in text


# ------------------------------------------------------------- start-up of cached reruns


def test_the_gazetteer_is_loaded_only_when_an_article_needs_processing(
    fake_stages, tmp_path, monkeypatch
):
    from frontline.cache import ResultCache
    from frontline.gazetteer import Gazetteer

    loads = []

    def load(cls=None, extra=None, **kwargs):
        loads.append(extra)
        return FakeGazetteer()

    monkeypatch.setattr(Gazetteer, "load", classmethod(load))
    arts = make_articles(40)
    with ResultCache(tmp_path, version="v") as cache:
        first = [r.events for r in run(arts, cache=cache, jobs=1)]
        assert loads == [None]
        again = [r.events for r in run(arts, cache=cache, jobs=1, gazetteer_files=["g.csv"])]
        assert again == first and loads == [None]  # every article cached: no load
        list(run(make_articles(41), cache=cache, jobs=1, gazetteer_files=["g.csv"]))
        assert loads == [None, ["g.csv"]]  # one new article: loaded, with the user's files


def test_a_few_new_articles_are_processed_without_starting_workers(fake_stages, monkeypatch):
    from frontline.engines import local

    def no_pool(*args):
        raise AssertionError("workers started for a handful of articles")

    monkeypatch.setattr(local, "_Pool", no_pool)
    out = list(run(make_articles(pipeline.POOL_AFTER), gazetteer=fake_stages, jobs=2))
    assert {r.mentions[0] for r in out} == {os.getpid()}


def test_workers_start_after_the_first_articles_warm_this_process_up(fake_stages):
    n = pipeline.POOL_AFTER + 5 * pipeline.BATCH_SIZE
    out = list(run(make_articles(n), gazetteer=fake_stages, jobs=2))
    pids = [r.mentions[0] for r in out]
    assert set(pids[: pipeline.POOL_AFTER]) == {os.getpid()}
    assert os.getpid() not in pids[pipeline.POOL_AFTER :]


def report_sigint(article: Article, *, gazetteer=None) -> ArticleResult:
    import signal

    return ArticleResult(article, mentions=[os.getpid(), signal.getsignal(signal.SIGINT)])


def test_workers_leave_ctrl_c_to_the_main_process(monkeypatch):
    import signal

    monkeypatch.setattr(pipeline, "process_article", report_sigint)
    n = pipeline.POOL_AFTER + 2 * pipeline.BATCH_SIZE
    out = list(run(make_articles(n), gazetteer=FakeGazetteer(), jobs=2))
    here = [r.mentions[1] for r in out if r.mentions[0] == os.getpid()]
    workers = [r.mentions[1] for r in out if r.mentions[0] != os.getpid()]
    assert workers and set(workers) == {signal.SIG_IGN}
    assert here and signal.SIG_IGN not in here  # this process still stops on Ctrl-C


EXAMPLES = os.path.join(os.path.dirname(__file__), os.pardir, "examples", "articles")


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_cli_reruns_write_the_same_bytes_as_no_cache(corpus, tmp_path, suffix, monkeypatch):
    """First run, replayed rerun and appended rerun against --no-cache runs: the same
    table, the same errors file and the same messages, broken rows included."""
    import json

    from frontline import manifests as manifests_mod

    seen = []  # the file manifests of each cached run
    made = manifests_mod.FileManifests.__init__

    def spy(self, *args, **kwargs):
        made(self, *args, **kwargs)
        seen.append(self)

    monkeypatch.setattr(manifests_mod.FileManifests, "__init__", spy)

    with open(corpus, "a", encoding="utf-8") as f:
        f.write(
            '{"id": "broken", "text": \n'
            + json.dumps({"id": "c3", "text": "again"})
            + "\n"
            + json.dumps({"id": "late", "text": "Kherson.", "published": "2099-01-01"})
            + "\n"
        )
    import csv

    table = tmp_path / "wire.csv"
    with open(table, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "headline", "date", "text"])
        for i, (text, pub) in enumerate(REAL):
            w.writerow([f"w{i}", f"Wire {i}", pub.isoformat(), text])
        w.writerow(["w-empty", "Nothing", "2022-08-12", ""])
        w.writerow(["w-short"])
    cache = tmp_path / "cache"

    def both(tag):
        out = {}
        for mode in ("--no-cache", "--cache"):
            target = tmp_path / f"{tag}{mode}{suffix}"
            r = _cli(
                "events",
                corpus,
                table,
                EXAMPLES,
                "-o",
                target,
                mode,
                "--cache-dir",
                cache,
                "-j",
                "1",
            )
            errors = target.with_name(target.stem + ".errors.csv")
            out[mode] = (
                r.exit_code,
                r.output.replace(str(target), "OUT"),
                target.read_bytes(),
                errors.read_bytes(),
            )
        assert out["--cache"] == out["--no-cache"]
        return out["--cache"]

    first = both("first")
    assert first[0] == 1 and b"invalid JSON" in first[3]
    both("again")
    assert (seen[-1].replayed_files, seen[-1].grown_files) == (2, 0)
    with open(corpus, "a", encoding="utf-8") as f:
        f.write(
            json.dumps(
                {
                    "id": "new",
                    "text": "Russian shelling hit Nikopol on Monday.",
                    "published": "2022-08-12",
                }
            )
            + "\n"
        )
    grown = both("grown")
    assert grown[2] != first[2]
    assert (seen[-1].replayed_files, seen[-1].grown_files) == (1, 1)
    from frontline.cache import ResultCache

    with ResultCache(cache, version="unused") as c:
        (n,) = c.store.execute("SELECT count(*) FROM manifests").fetchone()
    assert n == 2  # the CSV file's, and the JSON Lines file's, written anew when it grew


# ------------------------------------------------------------------ the two engines


@pytest.mark.slow
def test_both_engines_write_the_same_bytes_overrides_included(
    corpus, tmp_path, gazetteer, monkeypatch
):
    """The same corpus and corrections through the local engine and through Dask with one
    and with two workers: byte-identical tables, and the worker count as asked."""
    pytest.importorskip("distributed")
    from frontline.engines import dask as dask_engine
    from frontline.overrides import Overrides

    workers = []

    class Counted(dask_engine.DaskEngine):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            workers.append(self.workers)

    monkeypatch.setattr(dask_engine, "DaskEngine", Counted)
    from frontline.extract import extract_events

    table = extract_events(
        [r.article for r in pipeline.run_inputs(corpus, jobs=1)], gazetteer=gazetteer, cache=False
    )
    ids = sorted(set(table.gdf["event_id"]))
    rules = Overrides()
    rules.reject_event(ids[0])
    rules.set_type(ids[1], "armed_clash")
    rules.pin_name(
        "Kharkiv", lat=50.01, lon=36.21, name="Kharkiv centre", kind="city", country_code="UA"
    )
    rules.save(tmp_path / "fixes.yaml")
    out = {}
    for engine, jobs in (("local", 2), ("dask", 1), ("dask", 2)):
        target = tmp_path / f"{engine}{jobs}.csv"
        r = _cli(
            "events",
            corpus,
            "-o",
            target,
            "--engine",
            engine,
            "-j",
            jobs,
            "--overrides",
            tmp_path / "fixes.yaml",
            "--no-cache",
            "-q",
        )
        assert r.exit_code == 0, r.output
        out[engine, jobs] = target.read_bytes()
    assert out["local", 2] == out["dask", 1] == out["dask", 2]
    assert workers == [1, 2]
    text = out["local", 2].decode()
    assert ids[0] not in text and "armed_clash" in text and "Kharkiv centre" in text
