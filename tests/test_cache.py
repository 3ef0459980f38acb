"""The incremental result cache: keys, versions, hits, misses and invalidation."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

import pytest
from conftest import CALLS, FakeGazetteer

from frontline import cache as cache_mod
from frontline import pipeline
from frontline.articles import Article
from frontline.cache import ResultCache, article_key, cache_version, default_cache_dir
from frontline.errors import FrontlineError
from frontline.pipeline import run

pytestmark = pytest.mark.usefixtures("fake_stages")


def articles(n: int, start: int = 0) -> list[Article]:
    return [Article(f"a{i}", f"text {i}", title=f"T{i}", published=dt.date(2022, 3, 1),
                    origin=f"in.jsonl:{i}") for i in range(start, start + n)]


def open_cache(folder, gaz) -> ResultCache:
    return ResultCache(folder, version=cache_version(gaz))


# -------------------------------------------------------------------------------- keys

@pytest.mark.parametrize("change", [
    {"article_id": "other"}, {"text": "text 0!"}, {"title": "T"}, {"source": "Wire"},
    {"url": "https://example.org/a0"}, {"published": dt.date(2022, 3, 2)},
    {"published": None},
])
def test_every_content_field_changes_the_key(change):
    a = articles(1)[0]
    assert article_key(dataclasses.replace(a, **change)) != article_key(a)


def test_origin_and_meta_do_not_change_the_key():
    a = articles(1)[0]
    assert article_key(dataclasses.replace(a, origin="moved.md", meta={"x": 1})) == \
        article_key(a)


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
    from frontline.manifests import Manifest

    with ResultCache(tmp_path, version="v") as c:
        c._db.execute("PRAGMA query_only = ON")  # every write now fails
        with pytest.raises(FrontlineError, match="cannot write to the result cache.*--no-cache"):
            if write == "entries":
                c.put_many([("k", b"x", b"y")])
            else:
                c.put_manifest("jsonl", "/f", Manifest("/f", "h", True, 1, 1, "s", "st", {}))
        assert not c._db.in_transaction
        c._db.execute("PRAGMA query_only = OFF")
        c.put_many([("k", b"x", b"y")])  # and the store goes on working
        assert len(c) == 1


def test_payload_round_trip_restores_origin():
    ev, detail = cache_mod.encode_result(["m"], [], [], ["e"], ["x.md: no date"], origin="x.md")
    assert b"x.md" not in ev
    assert cache_mod.decode_events(ev, origin="y.md") == (["e"], ["y.md: no date"])
    assert cache_mod.decode_detail(detail) == (["m"], [], [])


def test_the_events_part_is_stored_plain_and_compressed_entries_still_read():
    events = [dataclasses.replace(articles(1)[0], text="Shelling hit Nikopol. " * 40)]
    ev, detail = cache_mod.encode_result([], [], [], events, [])
    assert cache_mod.pickle.loads(ev) == (events, [])  # read on every rerun: not compressed
    assert cache_mod.pickle.loads(cache_mod.zlib.decompress(detail)) == ([], [], [])
    older = cache_mod.zlib.compress(ev, 1)  # as entries were written before
    assert cache_mod.decode_events(older) == cache_mod.decode_events(ev) == (events, [])


def test_dataclasses_round_trip_exactly():
    a = articles(1)[0]
    ev, detail = cache_mod.encode_result([a], [], [], [a, a], [])
    events, _ = cache_mod.decode_events(ev)
    assert events == [a, a] and type(events[0]) is Article
    assert events[0] is events[1]  # shared objects stay shared (pickle's memo)


@dataclasses.dataclass(frozen=True)
class Checked:
    value: int
    doubled: int = dataclasses.field(init=False, default=0)

    def __post_init__(self):
        object.__setattr__(self, "doubled", 2 * self.value)


@dataclasses.dataclass(init=False)
class OwnInit:
    a: int
    b: str

    def __init__(self, b: str, a: int) -> None:  # another order than the fields
        self.a, self.b = a, b


def test_dataclasses_with_their_own_init_logic_round_trip():
    ev, _ = cache_mod.encode_result([], [], [], [Checked(3), OwnInit("x", 1)], [])
    (checked, own), _ = cache_mod.decode_events(ev)
    assert checked == Checked(3) and checked.doubled == 6
    assert (own.a, own.b) == (1, "x")


# -------------------------------------------------------- the gazetteer's version, unloaded

def test_gazetteer_version_matches_the_loaded_gazetteer(tmp_path):
    from frontline.cache import gazetteer_version
    from frontline.errors import GazetteerError
    from frontline.gazetteer import Gazetteer

    mine = tmp_path / "mine.csv"
    mine.write_text("name,latitude,longitude,kind,country_code\nHill 204,48.1,37.9,landform,UA\n",
                    encoding="utf-8")
    try:
        bundled, with_mine = Gazetteer.load(), Gazetteer.load(extra=[str(mine)])
    except GazetteerError as err:
        pytest.skip(f"bundled gazetteer not built: {err}")
    assert gazetteer_version() == bundled.version
    assert gazetteer_version([mine]) == with_mine.version != bundled.version
    mine.write_text(mine.read_text(encoding="utf-8") + "Hill 205,48.2,37.9,landform,UA\n",
                    encoding="utf-8")
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
        plan = " ".join(str(r) for r in c._db.execute(
            "EXPLAIN QUERY PLAN SELECT 1 FROM article_results WHERE version < ? OR "
            "version > ? LIMIT 1", ("v1", "v1")))
        assert "SCAN" not in plan
