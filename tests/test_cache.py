"""The incremental result cache: keys, versions, hits, misses and invalidation."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import zlib

import pytest
from conftest import CALLS, FakeGazetteer, make_event

from frontline import cache as cache_mod
from frontline import pipeline
from frontline.articles import Article
from frontline.cache import ResultCache, article_key, cache_version, default_cache_dir
from frontline.errors import CacheError, FrontlineError
from frontline.pipeline import run

pytestmark = pytest.mark.usefixtures("fake_stages")


def articles(n: int, start: int = 0) -> list[Article]:
    return [
        Article(
            f"a{i}",
            f"text {i}",
            title=f"T{i}",
            published=dt.date(2022, 3, 1),
            origin=f"in.jsonl:{i}",
        )
        for i in range(start, start + n)
    ]


def open_cache(folder, gaz) -> ResultCache:
    return ResultCache(folder, version=cache_version(gaz))


# -------------------------------------------------------------------------------- keys


@pytest.mark.parametrize(
    "change",
    [
        {"article_id": "other"},
        {"text": "text 0!"},
        {"title": "T"},
        {"source": "Wire"},
        {"url": "https://example.org/a0"},
        {"published": dt.date(2022, 3, 2)},
        {"published": None},
    ],
)
def test_every_content_field_changes_the_key(change):
    a = articles(1)[0]
    assert article_key(dataclasses.replace(a, **change)) != article_key(a)


def test_origin_and_meta_do_not_change_the_key():
    a = articles(1)[0]
    assert article_key(dataclasses.replace(a, origin="moved.md", meta={"x": 1})) == article_key(a)


def test_fields_cannot_bleed_into_each_other():
    a = Article("ab", "c")
    b = Article("a", "bc")
    assert article_key(a) != article_key(b)


def test_version_follows_gazetteer_and_release(monkeypatch):
    v1 = cache_version(FakeGazetteer("g1"))
    assert v1 == cache_version(FakeGazetteer("g1"))
    assert v1 != cache_version(FakeGazetteer("g2"))
    monkeypatch.setattr(cache_mod, "ANALYSIS_VERSION", "999")
    assert v1 != cache_version(FakeGazetteer("g1"))


def test_default_folder_honours_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("FRONTLINE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "frontline"
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"


# ---------------------------------------------------------------------- hits and misses


@pytest.mark.parametrize("jobs", [1, 2])
def test_rerun_processes_only_new_articles(tmp_path, jobs):
    gaz = FakeGazetteer()
    with open_cache(tmp_path, gaz) as c:
        first = list(run(articles(200), gazetteer=gaz, cache=c, jobs=jobs))
    assert not any(r.cached for r in first)
    CALLS.clear()
    with open_cache(tmp_path, gaz) as c:
        second = list(run(articles(202), gazetteer=gaz, cache=c, jobs=1))
        assert (c.hits, c.misses) == (200, 2)
        assert len(c) == 202
    assert CALLS == ["a200", "a201"]
    assert [r.cached for r in second] == [True] * 200 + [False] * 2
    assert [r.events for r in second[:200]] == [r.events for r in first]
    assert [r.article.article_id for r in second] == [f"a{i}" for i in range(202)]


def test_a_changed_article_is_processed_again(tmp_path):
    gaz = FakeGazetteer()
    with open_cache(tmp_path, gaz) as c:
        list(run(articles(10), gazetteer=gaz, cache=c, jobs=1))
    CALLS.clear()
    changed = articles(10)
    changed[4] = dataclasses.replace(changed[4], text="corrected text")
    with open_cache(tmp_path, gaz) as c:
        list(run(changed, gazetteer=gaz, cache=c, jobs=1))
    assert CALLS == ["a4"]


def test_a_changed_gazetteer_invalidates_and_old_entries_are_pruned(tmp_path):
    old, new = FakeGazetteer("g1"), FakeGazetteer("g2")
    with open_cache(tmp_path, old) as c:
        list(run(articles(40), gazetteer=old, cache=c, jobs=1))
    CALLS.clear()
    with open_cache(tmp_path, new) as c:
        out = list(run(articles(40), gazetteer=new, cache=c, jobs=1))
        assert c.stale_entries() == 0 and len(c) == 40
    assert len(CALLS) == 40
    assert out[0].events == ["a0@g2"]


def test_cached_warnings_name_the_current_origin(tmp_path):
    gaz = FakeGazetteer()
    with open_cache(tmp_path, gaz) as c:
        list(run(articles(3), gazetteer=gaz, cache=c, jobs=1))
    moved = [dataclasses.replace(a, origin=f"moved/{a.article_id}.md") for a in articles(3)]
    with open_cache(tmp_path, gaz) as c:
        out = list(run(moved, gazetteer=gaz, cache=c, jobs=1))
    assert out[1].cached and out[1].warnings == ["moved/a1.md: note"]


def test_failed_articles_are_not_cached(tmp_path, monkeypatch):
    def failing(article, *, gazetteer=None):
        CALLS.append(article.article_id)
        raise RuntimeError("stage bug")

    gaz = FakeGazetteer()
    monkeypatch.setattr(pipeline, "process_article", failing)
    with open_cache(tmp_path, gaz) as c:
        out = list(run(articles(3), gazetteer=gaz, cache=c, jobs=1, errors="record"))
        assert all(r.error for r in out) and len(c) == 0


def test_the_store_is_sqlite_in_wal_mode(tmp_path):
    with ResultCache(tmp_path, version="v") as c:
        c.put_many([("k", b"x", b"y")])
        assert c.path == tmp_path / "results.sqlite"
    mode = sqlite3.connect(tmp_path / "results.sqlite").execute("PRAGMA journal_mode").fetchone()
    assert mode == ("wal",)


def test_an_unusable_cache_folder_says_what_to_do(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(FrontlineError, match="--no-cache"):
        ResultCache(blocker, version="v")


@pytest.mark.parametrize("write", ["entries", "manifest"])
def test_a_failed_write_is_rolled_back_and_says_what_to_do(tmp_path, write):
    from frontline.store import Manifest

    with ResultCache(tmp_path, version="v") as c:
        c.store.execute("PRAGMA query_only = ON")  # every write now fails
        with pytest.raises(CacheError, match="cannot use the result cache.*--no-cache"):
            if write == "entries":
                c.put_many([("k", b"x", b"y")])
            else:
                c.store.put_manifest(
                    "v", "jsonl", "/f", Manifest("/f", "h", True, 1, 1, "s", "st", {})
                )
        assert not c.store.in_transaction
        c.store.execute("PRAGMA query_only = OFF")
        c.put_many([("k", b"x", b"y")])  # and the store goes on working
        assert len(c) == 1


def test_payload_round_trip_restores_origin():
    ev, detail = cache_mod.encode_result(["m"], [], [], ["e"], ["x.md: no date"], origin="x.md")
    assert b"x.md" not in ev
    assert cache_mod.decode_events(ev, origin="y.md") == (["e"], ["y.md: no date"])
    assert cache_mod.decode_detail(detail) == (["m"], [], [])


def test_the_events_part_is_plain_json_and_the_details_compressed_json():
    events = [make_event(quote="Shelling hit Nikopol. " * 40)]
    ev, detail = cache_mod.encode_result([], [], [], events, ["w"])
    assert json.loads(ev)["w"] == ["w"]  # read on every rerun: not compressed
    assert json.loads(ev)["~rows"] == "frontline.event_schema:Event"  # rows, no hook
    assert json.loads(zlib.decompress(detail))["r"] == [None, None, None]  # three empty lists
    assert cache_mod.decode_events(ev) == (events, ["w"])


def test_the_stages_dataclasses_round_trip_exactly():
    from frontline.gazetteer import Place
    from frontline.geoparse import Mention
    from frontline.timex import DatedSentence, TimeExpr

    place = Place("p:1", "Nikopol", "city", "UA", "Dnipropetrovsk Oblast", 47.57, 34.39, 5)
    mention = Mention("a", 3, 10, "Nikopol", place, 0.9, runner_up=place)
    timex = TimeExpr(0, 7, "Tuesday", "2022-08-09", "day", dt.date(2022, 8, 9))
    sentence = DatedSentence(0, 40, dt.date(2022, 8, 9), "day", "own", timex)
    event = make_event(latitude=float("nan"), fatalities=3, historical=True)
    ev, detail = cache_mod.encode_result([mention], [timex], [sentence], [event], [])
    mentions, timexes, sentences = cache_mod.decode_detail(detail)
    assert (mentions, timexes, sentences) == ([mention], [timex], [sentence])
    assert type(mentions[0].place) is Place and mentions[0].place.population == 5
    [back], _ = cache_mod.decode_events(ev)
    assert back.fatalities == 3 and back.historical is True and back.latitude != back.latitude
    assert cache_mod.loads(cache_mod.dumps([(1, 2), {"x": None}])) == [[1, 2], {"x": None}]


@dataclasses.dataclass(frozen=True)
class NotOurs:
    value: int


@pytest.mark.parametrize(
    "blob",
    [
        b'[[{"~": "os:system", "v": ["touch PWNED"]}], []]',
        b'[[{"~": "builtins:eval", "v": ["1"]}], []]',
        b'[[{"~": "frontline.cache:dumps", "v": [1]}], []]',
        b"\x80\x05\x95pickle",
    ],
)
def test_a_tampered_entry_never_runs_code(tmp_path, monkeypatch, blob):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CacheError, match="damaged.*--no-cache"):
        cache_mod.decode_events(blob)
    assert not (tmp_path / "PWNED").exists()


def test_only_the_packages_own_dataclasses_are_cached():
    with pytest.raises(TypeError, match="only plain data"):
        cache_mod.encode_result([], [], [], [NotOurs(1)], [])


# -------------------------------------------------------- the gazetteer's version, unloaded


def test_gazetteer_version_matches_the_loaded_gazetteer(tmp_path):
    from frontline.cache import gazetteer_version
    from frontline.errors import GazetteerError
    from frontline.gazetteer import Gazetteer

    mine = tmp_path / "mine.csv"
    mine.write_text(
        "name,latitude,longitude,kind,country_code\nHill 204,48.1,37.9,landform,UA\n",
        encoding="utf-8",
    )
    try:
        bundled, with_mine = Gazetteer.load(), Gazetteer.load(extra=[str(mine)])
    except GazetteerError as err:
        pytest.skip(f"bundled gazetteer not built: {err}")
    assert gazetteer_version() == bundled.version
    assert gazetteer_version([mine]) == with_mine.version != bundled.version
    mine.write_text(
        mine.read_text(encoding="utf-8") + "Hill 205,48.2,37.9,landform,UA\n", encoding="utf-8"
    )
    assert gazetteer_version([mine]) not in (with_mine.version, bundled.version)


def test_gazetteer_version_of_a_missing_file_raises_the_gazetteer_error(tmp_path):
    from frontline.cache import gazetteer_version
    from frontline.errors import GazetteerError

    with pytest.raises(GazetteerError, match="not found"):
        gazetteer_version([tmp_path / "nowhere.csv"])


def test_the_stale_check_is_an_index_look_up(tmp_path):
    with ResultCache(tmp_path, version="v2") as c:
        c.put_many([("k", b"x", b"y")])
        assert not c.has_stale_entries()
    with ResultCache(tmp_path, version="v1") as c:
        assert c.has_stale_entries()
        plan = " ".join(
            str(r)
            for r in c.store.execute(
                "EXPLAIN QUERY PLAN SELECT 1 FROM article_results WHERE version < ? OR "
                "version > ? LIMIT 1",
                ("v1", "v1"),
            )
        )
        assert "SCAN" not in plan


# The layout-2 database, as Frontline wrote it before the results left the key's b-tree.
_LAYOUT_2 = (
    "CREATE TABLE article_results (version TEXT NOT NULL, key TEXT NOT NULL, "
    "crc INTEGER NOT NULL, events BLOB NOT NULL, detail BLOB NOT NULL, "
    "PRIMARY KEY (version, key)) WITHOUT ROWID",
    "CREATE TABLE manifests (version TEXT NOT NULL, reader TEXT NOT NULL, path TEXT NOT NULL, "
    "resolved TEXT NOT NULL, head TEXT NOT NULL, portable INTEGER NOT NULL, "
    "size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL, "
    "stream TEXT NOT NULL, meta TEXT NOT NULL, PRIMARY KEY (version, reader, path, resolved))",
    "CREATE INDEX manifests_by_head ON manifests (version, reader, head, portable)",
    "PRAGMA user_version = 2",
)


def test_a_database_of_the_previous_layout_keeps_its_entries(tmp_path, caplog):
    db = sqlite3.connect(tmp_path / "results.sqlite")
    for statement in _LAYOUT_2:
        db.execute(statement)
    db.execute(
        "INSERT INTO article_results VALUES (?, ?, ?, ?, ?)",
        ("v", "k1", zlib.crc32(b"events"), b"events", b"detail"),
    )
    db.commit()
    db.close()
    with ResultCache(tmp_path, version="v") as c:
        assert c.get_many(["k1"]) == {"k1": (b"events", b"detail")}
        assert c.store.moved_aside == []
        c.put_many([("k2", b"x", b"y"), ("k1", b"events", b"detail")])
        assert len(c) == 2
        (layout,) = c.store.execute("PRAGMA user_version").fetchone()
        (sql,) = c.store.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'article_results'"
        ).fetchone()
    assert layout == 3 and "WITHOUT ROWID" not in sql
    assert not [m for m in caplog.messages if "moved aside" in m]
