"""File manifests: unchanged files replayed, grown files read from their new tail, and
everything else read again, always saying what a run without the cache says."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os

import pytest
from conftest import CALLS, FakeGazetteer, counting_process

from frontline import pipeline
from frontline.articles import Problem
from frontline.cache import ResultCache, cache_version
from frontline.pipeline import run_inputs

pytestmark = pytest.mark.usefixtures("fake_stages")

TODAY = dt.date(2024, 6, 1)


def row(i: int, **extra) -> str:
    fields = {"id": f"r{i}", "text": f"text {i}", "published": "2022-03-01", **extra}
    return json.dumps(fields) + "\n"


def feed(n: int, start: int = 0) -> str:
    return "".join(row(i) for i in range(start, start + n))


#: Rows the reader reports: broken JSON, no text, a repeated id, a future date, no id.
BROKEN = (
    '{"id": "b1", "text": \n'
    + json.dumps({"id": "b2", "title": "no text"})
    + "\n"
    + row(3)
    + json.dumps({"id": "b4", "text": "future", "published": "2030-01-01"})
    + "\n"
    + json.dumps({"text": "no id"})
    + "\n"
)


def read_all(
    inputs, cache_dir=None, *, gaz=None, today=TODAY, jobs=1, version=None, max_bytes=10_000_000
):
    """(what each result says, the problems reported, articles processed) of a run."""
    gaz = gaz or FakeGazetteer()
    problems: list[Problem] = []
    CALLS.clear()
    options = {
        "on_problem": problems.append,
        "today": today,
        "jobs": jobs,
        "gazetteer": gaz,
        "details": False,
        "errors": "record",
        "max_bytes": max_bytes,
    }
    if cache_dir is None:
        results = list(run_inputs(inputs, **options))
    else:
        with ResultCache(cache_dir, version=version or cache_version(gaz)) as c:
            results = list(run_inputs(inputs, cache=c, **options))
    said = [
        (
            r.article.article_id,
            r.article.origin,
            r.article.title,
            r.article.published,
            r.events,
            r.warnings,
            r.error,
        )
        for r in results
    ]
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


def test_replayed_and_new_files_mix_with_worker_processes(tmp_path):
    old, new = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    old.write_text(feed(150) + BROKEN, encoding="utf-8")
    new.write_text(feed(150, start=500), encoding="utf-8")
    cache = tmp_path / "cache"
    same_as_uncached(old, cache, jobs=2)
    _, replayed = same_as_uncached([old, new, old], cache, jobs=2)
    assert replayed == 153
    _, replayed = same_as_uncached([new, old], cache, jobs=2)
    assert replayed == 303


def test_a_replayed_article_has_no_text_and_says_so(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(feed(3), encoding="utf-8")
    cache = tmp_path / "cache"
    gaz = FakeGazetteer()
    for _ in range(2):
        with ResultCache(cache, version=cache_version(gaz)) as c:
            out = list(run_inputs(path, gazetteer=gaz, cache=c, details=False, jobs=1))
    assert [(r.article.text, r.article.meta["replayed"], r.cached) for r in out] == [
        ("", True, True)
    ] * 3
    assert out[2].article.meta == {
        "format": "jsonl",
        "encoding": "utf-8",
        "line": 3,
        "end": 3 * len(row(0)),
        "replayed": True,
    }


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
        text = text[: len(text) // 2]
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


def test_the_manifests_of_deleted_snapshots_go_when_a_later_one_is_stored(tmp_path):
    cache = tmp_path / "cache"
    day1, day2, day3 = (tmp_path / f"day{i}.jsonl" for i in (1, 2, 3))
    day1.write_text(feed(200), encoding="utf-8")
    day2.write_text(feed(210), encoding="utf-8")
    same_as_uncached(day1, cache)
    same_as_uncached(day2, cache)
    assert len(streams(cache)) == 2  # both files still exist
    day1.unlink()
    day3.write_text(feed(220), encoding="utf-8")
    calls, replayed = same_as_uncached(day3, cache)
    assert replayed == 210 and len(calls) == 10
    assert len(streams(cache)) == 2  # day2's and day3's


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


@pytest.mark.parametrize(
    "name", ["feed.jsonl.gz", "wide.jsonl", "feed.csv", "feed.tsv", "feed.csv.gz"]
)
def test_files_replayed_when_unchanged_and_read_again_when_edited(tmp_path, name):
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
    path.write_bytes(content(7))  # not an append (the broken rows stay last): read again
    calls, replayed = same_as_uncached(path, cache)
    assert replayed == 0 and "r6" in calls and "r5" not in calls  # (and the row without id)
    assert len(streams(cache)) == 1


def csv_rows(start: int, n: int, newline: str) -> str:
    out = []
    for i in range(start, start + n):
        body = f'"text {i}, with ""quotes""{newline}and a second line"' if i % 3 else f"text {i}"
        out.append(f"r{i};T {i};2022-03-01;{body}{newline}")
    return "".join(out)


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [("utf-8", "\n"), ("utf-8", "\r\n"), ("utf-8-sig", "\n"), ("cp1251", "\r\n")],
)
def test_an_appended_csv_file_reads_only_the_new_rows(tmp_path, encoding, newline):
    path = tmp_path / "wire.csv"
    header = f"id;headline;date;body{newline}"  # aliases and a sniffed delimiter: warnings
    broken = f"b1;no body{newline}r2;again;2022-03-01;duplicate id{newline}"
    path.write_bytes((header + csv_rows(0, 40, newline) + broken + "Київ;x").encode(encoding))
    cache = tmp_path / "cache"
    same_as_uncached(path, cache)
    with open(path, "ab") as f:  # completes the last row, then new ones
        f.write((f";2022-03-02;Kyiv{newline}" + csv_rows(50, 3, newline)).encode(encoding))
    calls, replayed = same_as_uncached(path, cache)
    assert calls == ["Київ", "r50", "r51", "r52"] and replayed == 41
    calls, replayed = same_as_uncached(path, cache)
    assert calls == [] and replayed == 45


@pytest.mark.parametrize(
    ("encoding", "newline"), [("utf-8-sig", "\n"), ("utf-8", "\r\n"), ("cp1251", "\n")]
)
def test_an_appended_json_lines_file_in_any_encoding_reads_only_the_new_lines(
    tmp_path, encoding, newline
):
    def lines(start, n):
        return "".join(
            json.dumps({"id": f"r{i}", "text": f"Київ {i}"}, ensure_ascii=False) + newline
            for i in range(start, start + n)
        )

    path = tmp_path / "feed.jsonl"
    too_long = json.dumps({"id": "big", "text": "x" * 3000}) + newline
    path.write_bytes(
        (lines(0, 30) + too_long + "not json" + newline + lines(30, 5)).encode(encoding)
    )
    cache = tmp_path / "cache"
    same_as_uncached(path, cache, max_bytes=2000)
    with open(path, "ab") as f:
        f.write(lines(90, 2).encode(encoding.removesuffix("-sig")))  # (no second BOM)
    calls, replayed = same_as_uncached(path, cache, max_bytes=2000)
    assert calls == ["r90", "r91"] and replayed == 35
    _, problems, _, _ = read_all(path, cache, max_bytes=2000)
    assert [p[1][:12] for p in problems if p[2] == "error"] == ["too large fo", "invalid JSON"]


def test_a_csv_file_with_only_its_header_is_read_whole_when_it_grows(tmp_path):
    path = tmp_path / "wire.csv"
    path.write_text("id,text", encoding="utf-8")
    cache = tmp_path / "cache"
    same_as_uncached(path, cache)
    path.write_text("id,text\nr1,one\n", encoding="utf-8")
    calls, replayed = same_as_uncached(path, cache)
    assert calls == ["r1"] and replayed == 0


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
    live = os.getppid()  # a process that runs: its temporary streams are being written
    names = (
        "lost.stream",
        ".a.stream.999999999-0a.tmp.stream",  # its writer was killed
        f".b.stream.{live}-0b.tmp.stream",
        f".c.stream.{live}-0c.tmp.stream",
    )
    paths = [cache / "manifests" / name for name in names]
    for p in paths:
        p.write_bytes(b"")
    os.utime(paths[3], (0, 0))  # a day old: its writer's id may have been reused
    with ResultCache(cache, version="another") as c:
        c.prune()
    assert streams(cache) == [names[2]]  # and the old version's stream is gone
    assert kept not in streams(cache)


def test_details_or_no_cache_bypass_the_manifests(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(feed(3), encoding="utf-8")
    cache = tmp_path / "cache"
    gaz = FakeGazetteer()
    with ResultCache(cache, version=cache_version(gaz)) as c:
        list(run_inputs(path, gazetteer=gaz, cache=c, details=True, jobs=1))
    assert streams(cache) == []
