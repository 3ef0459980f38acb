"""The incremental result cache: keys, versions, hits, misses and invalidation."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import os
import sqlite3

import pytest

from frontline import cache as cache_mod
from frontline import pipeline
from frontline.articles import Article, Problem
from frontline.cache import ResultCache, article_key, cache_version, default_cache_dir
from frontline.errors import FrontlineError
from frontline.pipeline import ArticleResult, run, run_inputs

CALLS: list[str] = []


class FakeGazetteer:
    def __init__(self, version: str = "g1") -> None:
        self.version = version


def counting_process(article: Article, *, gazetteer=None) -> ArticleResult:
    CALLS.append(article.article_id)
    return ArticleResult(article, events=[f"{article.article_id}@{gazetteer.version}"],
                         warnings=[f"{article.origin}: note"])


@pytest.fixture(autouse=True)
def fake_stages(monkeypatch):
    CALLS.clear()
    monkeypatch.setattr(pipeline, "process_article", counting_process)


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


# ------------------------------------------------------------------------ file manifests

TODAY = dt.date(2024, 6, 1)


def row(i: int, **extra) -> str:
    fields = {"id": f"r{i}", "text": f"text {i}", "published": "2022-03-01", **extra}
    return json.dumps(fields) + "\n"


def feed(n: int, start: int = 0) -> str:
    return "".join(row(i) for i in range(start, start + n))


#: Rows the reader reports: broken JSON, no text, a repeated id, a future date, no id.
BROKEN = ('{"id": "b1", "text": \n'
          + json.dumps({"id": "b2", "title": "no text"}) + "\n"
          + row(3)
          + json.dumps({"id": "b4", "text": "future", "published": "2030-01-01"}) + "\n"
          + json.dumps({"text": "no id"}) + "\n")


def read_all(inputs, cache_dir=None, *, gaz=None, today=TODAY, jobs=1, version=None):
    """(what each result says, the problems reported, articles processed) of a run."""
    gaz = gaz or FakeGazetteer()
    problems: list[Problem] = []
    CALLS.clear()
    if cache_dir is None:
        results = list(run_inputs(inputs, on_problem=problems.append, today=today, jobs=jobs,
                                  gazetteer=gaz, details=False, errors="record"))
    else:
        with ResultCache(cache_dir, version=version or cache_version(gaz)) as c:
            results = list(run_inputs(inputs, on_problem=problems.append, today=today,
                                      jobs=jobs, gazetteer=gaz, cache=c, details=False,
                                      errors="record"))
    said = [(r.article.article_id, r.article.origin, r.article.title, r.article.published,
             r.events, r.warnings, r.error) for r in results]
    replayed = sum(1 for r in results if r.article.meta.get("replayed"))
    return said, [(p.origin, p.message, p.severity) for p in problems], list(CALLS), replayed


def same_as_uncached(inputs, cache_dir, **kw):
    """Run with the cache; check it says exactly what an uncached run says."""
    want_said, want_problems, _, _ = read_all(inputs, **kw)
    said, problems, calls, replayed = read_all(inputs, cache_dir, **kw)
    assert said == want_said
    assert problems == want_problems
    return calls, replayed


def streams(cache_dir) -> list[str]:
    folder = cache_dir / "manifests"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_an_unchanged_file_is_replayed_without_reading_it(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(feed(50) + BROKEN, encoding="utf-8")
    cache = tmp_path / "cache"
    calls, replayed = same_as_uncached(path, cache)
    assert len(calls) == 53 and replayed == 0
    calls, replayed = same_as_uncached(path, cache)
    assert calls == [] and replayed == 53
    assert len(streams(cache)) == 1


def test_a_replayed_article_has_no_text_and_says_so(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(feed(3), encoding="utf-8")
    cache = tmp_path / "cache"
    gaz = FakeGazetteer()
    for _ in range(2):
        with ResultCache(cache, version=cache_version(gaz)) as c:
            out = list(run_inputs(path, gazetteer=gaz, cache=c, details=False, jobs=1))
    assert [(r.article.text, r.article.meta["replayed"], r.cached) for r in out] == \
        [("", True, True)] * 3
    assert out[2].article.meta == {"format": "jsonl", "encoding": "utf-8", "line": 3,
                                   "end": 3 * len(row(0)), "replayed": True}


def test_an_appended_file_reads_only_the_new_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(BROKEN + feed(40), encoding="utf-8")
    cache = tmp_path / "cache"
    same_as_uncached(path, cache)
    with open(path, "a", encoding="utf-8") as f:
        f.write(feed(3, start=40) + '{"id": "late", "text": \n')
    calls, replayed = same_as_uncached(path, cache)
    assert calls == ["r40", "r41", "r42"] and replayed == 43
    assert len(streams(cache)) == 1  # the old stream made way for the new one
    calls, replayed = same_as_uncached(path, cache)
    assert calls == [] and replayed == 46


def test_an_unfinished_last_line_is_read_again_when_the_file_grows(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(feed(5) + '{"id": "cut", "text": "half', encoding="utf-8")
    cache = tmp_path / "cache"
    _, want_problems, _, _ = read_all(path, cache)
    assert want_problems[-1][0] == f"{path}:6"  # invalid JSON, for now
    with open(path, "a", encoding="utf-8") as f:
        f.write(' a line"}\n' + row(9))
    calls, replayed = same_as_uncached(path, cache)
    assert calls == ["cut", "r9"] and replayed == 5


@pytest.mark.parametrize("cut", [False, True])
def test_a_long_grown_file_copies_its_stored_chunks(tmp_path, cut):
    path = tmp_path / "feed.jsonl"
    rows = "".join(row(i, title=f"{i} " + "long title " * 50) for i in range(700))
    path.write_text(rows + ('{"id": "cut", "text": "half' if cut else ""), encoding="utf-8")
    cache = tmp_path / "cache"
    same_as_uncached(path, cache)
    with open(path, "a", encoding="utf-8") as f:
        f.write((' a line"}\n' if cut else "") + feed(2, start=800) + BROKEN)
    calls, replayed = same_as_uncached(path, cache)
    assert replayed == 700 and calls[:2] == (["cut", "r800"] if cut else ["r800", "r801"])
    calls, replayed = same_as_uncached(path, cache)  # from the stream made of copied chunks
    assert calls == [] and replayed == 700 + cut + 2 + 3
    with open(path, "a", encoding="utf-8") as f:
        f.write(feed(1, start=900))
    calls, replayed = same_as_uncached(path, cache)
    assert calls == ["r900"] and replayed == 700 + cut + 2 + 3


@pytest.mark.parametrize("change", ["edit", "truncate", "rewrite same size"])
def test_an_edited_or_truncated_file_is_read_again(tmp_path, change):
    path = tmp_path / "feed.jsonl"
    path.write_text(feed(30) + BROKEN, encoding="utf-8")
    cache = tmp_path / "cache"
    same_as_uncached(path, cache)
    text = path.read_text(encoding="utf-8")
    if change == "edit":
        text = text.replace('"text 7"', '"text seven, corrected"')
    elif change == "truncate":
        text = text[:len(text) // 2]
    else:
        text = text.replace('"text 7"', '"text 8"')
    path.write_text(text, encoding="utf-8")
    calls, replayed = same_as_uncached(path, cache)
    assert replayed == 0
    assert calls == ([] if change == "truncate" else ["r7"])  # the rest: cache hits
    calls, replayed = same_as_uncached(path, cache)
    assert calls == [] and replayed > 0  # and its manifest was written anew


def test_a_touched_file_with_the_same_bytes_is_replayed(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(feed(10), encoding="utf-8")
    cache = tmp_path / "cache"
    same_as_uncached(path, cache)
    path.write_text(feed(10), encoding="utf-8")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    calls, replayed = same_as_uncached(path, cache)
    assert calls == [] and replayed == 10


def test_a_copy_under_another_name_reuses_the_manifest(tmp_path):
    path = tmp_path / "feed.jsonl"
    broken = '{"id": "b1", "text": \n' + row(300, published="2030-01-01", url="javascript:x")
    path.write_text(feed(200) + broken, encoding="utf-8")  # found by its first 4 kB
    cache = tmp_path / "cache"
    same_as_uncached(path, cache)
    copy = tmp_path / "other" / "grown.jsonl"
    copy.parent.mkdir()
    copy.write_text(path.read_text(encoding="utf-8") + row(999), encoding="utf-8")
    calls, replayed = same_as_uncached(copy, cache)
    assert calls == ["r999"] and replayed == 201  # origins and messages name the copy
    calls, replayed = same_as_uncached(copy, cache)  # now under its own name
    assert calls == [] and replayed == 202


def test_a_file_whose_messages_name_it_is_not_replayed_under_another_name(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(feed(100) + row(1), encoding="utf-8")  # "first used by .../feed.jsonl:2"
    cache = tmp_path / "cache"
    same_as_uncached(path, cache)
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(path.read_bytes())
    calls, replayed = same_as_uncached(copy, cache)
    assert replayed == 0 and calls == []  # read again; each article a cache hit


def test_ids_made_from_the_file_name_keep_a_manifest_to_its_file(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(feed(100) + BROKEN, encoding="utf-8")  # a row without id: "feed-105"
    cache = tmp_path / "cache"
    same_as_uncached(path, cache)
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(path.read_bytes())
    calls, replayed = same_as_uncached(copy, cache)
    assert replayed == 0 and calls == ["copy-105"]
    calls, replayed = same_as_uncached(path, cache)
    assert replayed == 103 and calls == []


def test_ids_taken_by_an_earlier_file_make_the_file_read_again(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(row(1), encoding="utf-8")
    second.write_text(feed(3), encoding="utf-8")  # r0, r1, r2
    cache = tmp_path / "cache"
    same_as_uncached(second, cache)
    calls, replayed = same_as_uncached([first, second], cache)  # b's r1 is now "r1~2"
    assert replayed == 0 and calls == ["r1~2"]
    calls, replayed = same_as_uncached([first, second], cache)
    assert replayed == 4 and calls == []
    calls, replayed = same_as_uncached([second], cache)  # a no longer takes r1 first
    assert replayed == 0


def test_every_id_checked_against_earlier_files_is_remembered(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(row(1) + json.dumps({"id": "r1~2", "text": "x"}) + "\n", encoding="utf-8")
    second.write_text(feed(3), encoding="utf-8")
    cache = tmp_path / "cache"
    calls, _ = same_as_uncached([first, second], cache)
    assert "r1~3" in calls
    first.write_text(row(1), encoding="utf-8")  # "r1~2" is free again
    calls, replayed = same_as_uncached([first, second], cache)
    assert calls == ["r1~2"] and replayed == 0


def test_warnings_about_dates_in_the_future_follow_the_day(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(BROKEN, encoding="utf-8")  # "... is in the future (today is ...)"
    cache = tmp_path / "cache"
    same_as_uncached(path, cache, today=TODAY)
    _, replayed = same_as_uncached(path, cache, today=TODAY)
    assert replayed == 3
    _, replayed = same_as_uncached(path, cache, today=TODAY + dt.timedelta(days=1))
    assert replayed == 0
    past = tmp_path / "past.jsonl"
    past.write_text(feed(3), encoding="utf-8")
    same_as_uncached(past, cache, today=TODAY)
    _, replayed = same_as_uncached(past, cache, today=TODAY + dt.timedelta(days=1))
    assert replayed == 3


def test_another_version_does_not_replay(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(feed(4), encoding="utf-8")
    cache = tmp_path / "cache"
    same_as_uncached(path, cache)
    calls, replayed = same_as_uncached(path, cache, gaz=FakeGazetteer("g2"))
    assert replayed == 0 and len(calls) == 4
    assert len(streams(cache)) == 1  # the old version's manifest was pruned with its stream


def csv_feed(n: int, start: int = 0) -> str:
    rows = "".join(f"r{i},text {i},2022-03-01\n" for i in range(start, start + n))
    return "id,text,date\n" + rows + ",no id,2030-01-01\nb2\n"  # (with broken rows)


@pytest.mark.parametrize("name", ["feed.jsonl.gz", "wide.jsonl", "feed.csv", "feed.tsv",
                                  "feed.csv.gz"])
def test_files_that_cannot_be_tailed_are_replayed_when_unchanged(tmp_path, name):
    def content(n):
        text = feed(n) if ".jsonl" in name else csv_feed(n)
        text = text.replace(",", "\t") if name.endswith(".tsv") else text
        data = text.encode("utf-16" if name == "wide.jsonl" else "utf-8")
        return gzip.compress(data, mtime=0) if name.endswith(".gz") else data

    path = tmp_path / name
    path.write_bytes(content(6))
    cache = tmp_path / "cache"
    calls, replayed = same_as_uncached(path, cache)
    assert replayed == 0 and len(calls) >= 6
    calls, replayed = same_as_uncached(path, cache)
    assert replayed > 0 and calls == []
    path.write_bytes(content(7))  # grown: read again, not tailed
    calls, replayed = same_as_uncached(path, cache)
    assert replayed == 0 and "r6" in calls and "r5" not in calls  # (and the row without id)
    assert len(streams(cache)) == 1


def test_a_failed_article_keeps_its_file_from_being_stored(tmp_path, monkeypatch):
    def fail_on_r2(article, *, gazetteer=None):
        if article.article_id == "r2":
            raise RuntimeError("stage bug")
        return counting_process(article, gazetteer=gazetteer)

    monkeypatch.setattr(pipeline, "process_article", fail_on_r2)
    path = tmp_path / "feed.jsonl"
    path.write_text(feed(4), encoding="utf-8")
    cache = tmp_path / "cache"
    for expected in (["r0", "r1", "r3"], []):  # (r2 fails before it is counted)
        calls, replayed = same_as_uncached(path, cache)
        assert replayed == 0 and calls == expected
    assert streams(cache) == []


def test_a_run_stopped_early_leaves_no_manifest(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(feed(100), encoding="utf-8")
    cache = tmp_path / "cache"
    gaz = FakeGazetteer()
    with ResultCache(cache, version=cache_version(gaz)) as c:
        results = run_inputs(path, gazetteer=gaz, cache=c, details=False, jobs=1)
        next(results)
        results.close()
    assert streams(cache) == []
    _, replayed = same_as_uncached(path, cache)
    assert replayed == 0


def test_a_damaged_stream_is_not_replayed(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(feed(10), encoding="utf-8")
    cache = tmp_path / "cache"
    same_as_uncached(path, cache)
    (stream,) = (cache / "manifests").iterdir()
    stream.write_bytes(stream.read_bytes()[:-10])
    calls, replayed = same_as_uncached(path, cache)
    assert replayed == 0 and calls == []


def test_a_stream_that_cannot_be_written_only_costs_the_shortcut(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(feed(5), encoding="utf-8")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "manifests").write_text("not a folder")
    for _ in range(2):
        calls, replayed = same_as_uncached(path, cache)
        assert replayed == 0


def test_pruning_removes_streams_no_manifest_refers_to(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(feed(5), encoding="utf-8")
    cache = tmp_path / "cache"
    same_as_uncached(path, cache)
    (kept,) = streams(cache)
    stray, old_tmp, new_tmp = (cache / "manifests" / name for name in
                               ("lost.stream", "crashed.stream.tmp", "writing.stream.tmp"))
    for p in (stray, old_tmp, new_tmp):
        p.write_bytes(b"")
    os.utime(old_tmp, (0, 0))
    with ResultCache(cache, version="another") as c:
        c.prune()
    assert streams(cache) == ["writing.stream.tmp"]  # and the old version's stream is gone
    assert kept not in streams(cache)


def test_details_or_no_cache_bypass_the_manifests(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(feed(3), encoding="utf-8")
    cache = tmp_path / "cache"
    gaz = FakeGazetteer()
    with ResultCache(cache, version=cache_version(gaz)) as c:
        list(run_inputs(path, gazetteer=gaz, cache=c, details=True, jobs=1))
    assert streams(cache) == []


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
