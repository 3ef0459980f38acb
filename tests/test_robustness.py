"""Hostile input and no lost work, across the stages (issue 8)."""

import contextlib
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from frontline.cli import app
from frontline.geoparse import geoparse

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
runner = CliRunner()

HOSTILE = """---
title: "<script>window.__pwned=1</script> Strike on Kharkiv"
published: 2022-09-11
source: "<img src=x onerror=window.__pwned=2>"
url: "javascript:window.__pwned=3"
---
Russian missiles hit Kharkiv on Sunday, officials said. "><svg onload=window.__pwned=4>
A quote with </script><script>window.__pwned=5</script> closing tags was shelled in Izium on Saturday.
"""


@pytest.fixture(scope="module")
def gazetteer():
    from frontline.gazetteer import Gazetteer

    return Gazetteer.load()


def test_same_input_gives_byte_identical_outputs(tmp_path):
    outputs = []
    for run in ("a", "b"):
        d = tmp_path / run
        for ext in ("csv", "geojson"):
            r = runner.invoke(
                app, ["events", str(EXAMPLES), "-o", str(d / f"events.{ext}"), "--jobs", "1", "-q"]
            )
            assert r.exit_code == 0, r.output
        r = runner.invoke(
            app, ["map", str(EXAMPLES), "-o", str(d / "map.html"), "--jobs", "1", "-q"]
        )
        assert r.exit_code == 0, r.output
        outputs.append({p.name: p.read_bytes() for p in sorted(d.iterdir())})
    assert outputs[0].keys() == outputs[1].keys()
    for name in outputs[0]:
        assert outputs[0][name] == outputs[1][name], f"{name} differs between two runs"


def test_failed_run_keeps_the_previous_map(tmp_path):
    out = tmp_path / "map.html"
    out.write_text("previous good map")
    empty = tmp_path / "empty"
    empty.mkdir()
    r = runner.invoke(app, ["map", str(empty), "-o", str(out)])
    assert r.exit_code == 2
    assert out.read_text() == "previous good map"


def test_hostile_article_fields_are_inert_in_the_map_html(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "map.html"
    r = runner.invoke(app, ["map", str(src), "-o", str(out), "--jobs", "1"])
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    for payload in (
        "<script>window.__pwned",
        "<img src=x onerror",
        "<svg onload",
        "javascript:window.__pwned",
    ):
        assert payload not in html, payload


def test_hostile_csv_cells_are_neutralized(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "f.md").write_text(
        '---\ntitle: "=HYPERLINK(\\"http://evil\\")"\npublished: 2022-09-11\n'
        'source: "+cmd|calc"\n---\nRussian missiles hit Kharkiv on Sunday.\n',
        encoding="utf-8",
    )
    out = tmp_path / "e.csv"
    r = runner.invoke(app, ["events", str(src), "-o", str(out), "--jobs", "1"])
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'+cmd|calc" in text


@pytest.mark.parametrize(
    "text",
    [
        "Kyiv " * 200_000,
        "A" * 1_000_000,
        ("Kherson region " * 70_000),
        ("'" * 500_000) + "Kyiv's",
        ("St. " * 250_000),
        "Х" * 1_000_000,
    ],
    ids=["repeated-name", "one-long-word", "repeated-bigram", "apostrophes", "abbrevs", "cyrillic"],
)
def test_adversarial_megabyte_text_is_fast(text, gazetteer):
    t0 = time.perf_counter()
    mentions = geoparse(text, gazetteer=gazetteer)
    assert time.perf_counter() - t0 < 60
    assert all(text[m.start : m.end] == m.mention for m in mentions)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.sampled_from(list("Kyiv Khersonregion'’.,-\n ΚХарків")) | st.characters(),
        max_size=300,
    )
)
def test_geoparse_never_crashes_and_offsets_are_valid(gazetteer, text):
    for m in geoparse(text, gazetteer=gazetteer):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.mention
        assert 0.0 <= m.confidence <= 1.0


# --- issue 18: faults in outputs, file names and spreadsheet cells --------------------

ONE_EVENT = "---\npublished: 2022-09-11\n---\nRussian missiles hit Kharkiv on Sunday.\n"


def test_output_onto_a_fifo_is_refused_and_kept(tmp_path):
    import os
    import stat

    (tmp_path / "a.md").write_text(ONE_EVENT, encoding="utf-8")
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    r = runner.invoke(app, ["events", str(tmp_path / "a.md"), "-o", str(fifo), "--jobs", "1"])
    assert r.exit_code == 2, r.output
    assert "not a regular file" in r.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_output_onto_a_device_is_refused():
    from frontline.errors import OutputError
    from frontline.outputs import atomic_write

    with pytest.raises(OutputError, match="not a regular file"), atomic_write("/dev/null") as f:
        f.write("never")
    assert Path("/dev/null").is_char_device()


@pytest.fixture
def disk(tmp_path):
    """Mount a tiny file system (``full``: 64 kB, filled; ``read-only``); skipped where
    mounting is not allowed (not root, no tmpfs)."""
    import shutil
    import subprocess

    mounted = []

    def make(kind: str) -> Path:
        where = tmp_path / kind
        where.mkdir()
        opts = "size=64k" if kind == "full" else "size=64k,ro"
        if (
            shutil.which("mount") is None
            or subprocess.run(
                ["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(where)], capture_output=True
            ).returncode
            != 0
        ):
            pytest.skip("cannot mount a small file system here")
        mounted.append(where)
        if kind == "full":
            with open(where / "filler", "wb") as f, contextlib.suppress(OSError):
                f.write(b"x" * 80_000)
        return where

    yield make
    for where in mounted:
        subprocess.run(["umount", str(where)], capture_output=True)


@pytest.mark.parametrize("kind, said", [("full", "disk is full"), ("read-only", "read-only")])
def test_map_onto_a_full_or_read_only_disk_is_one_line_and_exit_2(tmp_path, disk, kind, said):
    (tmp_path / "a.md").write_text(ONE_EVENT, encoding="utf-8")
    where = disk(kind)
    r = runner.invoke(
        app, ["map", str(tmp_path / "a.md"), "-o", str(where / "m.html"), "--jobs", "1", "-q"]
    )
    assert r.exit_code == 2, r.output
    assert said in r.output and "Traceback" not in r.output
    assert not list(where.glob(".m.html.*"))  # no temporary file left


@pytest.mark.parametrize("suffix", [".gpkg", ".csv", ".geojson", ".parquet"])
def test_event_table_onto_a_full_disk_is_an_output_error(disk, suffix):
    from conftest import make_event

    from frontline.errors import OutputError
    from frontline.event_table import EventTable

    table = EventTable.from_events(
        [make_event(event_id=f"e{i}", quote="x" * 500) for i in range(200)]
    )
    where = disk("full")
    with pytest.raises(OutputError, match="disk is full"):
        table.to_file(where / f"e{suffix}")


def test_errors_report_onto_a_full_disk_is_one_line_and_exit_2(tmp_path, disk):
    (tmp_path / "a.md").write_text("Russian missiles hit Kharkiv.\n" * 2000, encoding="utf-8")
    where = disk("full")
    r = runner.invoke(
        app, ["events", str(tmp_path / "a.md"), "-o", str(where / "e.csv"), "--jobs", "1", "-q"]
    )
    assert r.exit_code == 2, r.output
    assert "disk is full" in r.output and "Traceback" not in r.output


def test_stale_temporary_output_of_a_killed_run_is_removed(tmp_path):
    from frontline.outputs import atomic_write

    out = tmp_path / "e.csv"
    stale = tmp_path / ".e.csv.999999999-0badc0de.tmp.csv"  # no process has this id
    stale.write_text("half written")
    other = tmp_path / ".notes.txt.tmp"
    other.write_text("not ours")
    with atomic_write(out) as f:
        f.write("x")
    assert not stale.exists() and other.exists()


def test_non_utf8_file_name_is_read_and_reported_safely(tmp_path):
    import os

    folder = os.fsencode(tmp_path)
    name = folder + b"/caf\xe9.md"  # café.md saved by a Latin-1 system
    with open(name, "wb") as f:
        f.write(b"Russian missiles hit Kharkiv on Sunday.\n")  # no date: a warning
    out = tmp_path / "e.csv"
    r = runner.invoke(app, ["events", str(tmp_path), "-o", str(out), "--jobs", "1"])
    assert r.exit_code == 0, r.output
    assert "save as UTF-8" not in r.output and "UTF-8" not in r.output
    report = (tmp_path / "e.errors.csv").read_text(encoding="utf-8")
    assert "caf\\xe9.md" in report
    from frontline.articles import load_articles

    assert [a.article_id for a in load_articles(tmp_path, on_problem=lambda p: None)] == ["caf_xe9"]


@pytest.mark.parametrize("lead", ["\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe66", "\u207c"])
def test_full_width_formula_leads_are_neutralized(tmp_path, lead):
    (tmp_path / "f.md").write_text(
        f'---\ntitle: "{lead}HYPERLINK(1)"\npublished: 2022-09-11\n---\n'
        "Russian missiles hit Kharkiv on Sunday.\n",
        encoding="utf-8",
    )
    out = tmp_path / "e.csv"
    r = runner.invoke(app, ["events", str(tmp_path / "f.md"), "-o", str(out), "--jobs", "1"])
    assert r.exit_code == 0, r.output
    assert f"'{lead}HYPERLINK" in out.read_text(encoding="utf-8")


# --- issue 18: bounded readers ----------------------------------------------------------


def _read_with_peak(path, **options):
    import tracemalloc

    from frontline.articles import ProblemLog, load_articles

    problems = ProblemLog()
    tracemalloc.start()
    try:
        articles = load_articles(path, on_problem=problems, **options)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return articles, problems, peak


@pytest.mark.parametrize("suffix", [".csv.gz", ".jsonl.gz"])
def test_one_huge_line_is_reported_and_never_held_whole(tmp_path, suffix):
    import gzip

    path = tmp_path / f"feed{suffix}"
    huge = "x" * 40_000_000  # one 40 MB line, 40 kB gzipped
    with gzip.open(path, "wt", encoding="utf-8") as f:
        if suffix == ".csv.gz":
            f.write(f"id,text\na,Shelling in Kherson.\nb,{huge}\nc,Strikes on Odesa.\n")
        else:
            f.write(
                '{"id": "a", "text": "Shelling in Kherson."}\n'
                f'{{"id": "b", "text": "{huge}"}}\n'
                '{"id": "c", "text": "Strikes on Odesa."}\n'
            )
    del huge
    articles, problems, peak = _read_with_peak(path, max_bytes=100_000)
    assert [a.article_id for a in articles] == ["a", "c"]  # the rest is read
    [problem] = problems.errors
    assert problem.origin.endswith(("row 3", ":2")) and "too large" in problem.message
    assert peak < 8_000_000, f"{peak:,} bytes held for a 40 MB line"


def test_a_row_over_many_lines_stops_before_memory_grows(tmp_path):
    path = tmp_path / "feed.csv"
    with open(path, "w", encoding="utf-8") as f:
        f.write('id,text\na,"one record\n')
        for _ in range(400_000):  # each field is short, but the record never ends
            f.write('of many short quoted fields","\n')
    articles, problems, peak = _read_with_peak(path, max_bytes=100_000)
    assert articles == []
    assert "unclosed quote" in problems.errors[0].message
    assert peak < 8_000_000


def test_a_tag_with_half_a_million_attributes_reads_in_seconds(tmp_path):
    attributes = " ".join(f"a{i}=1" for i in range(500_000))  # 4.9 MB, one tag
    path = tmp_path / "page.html"
    path.write_text(
        f"<html><head><title>Kherson</title></head><body><div {attributes}>"
        "</div><p>Shelling hit Kherson on Monday, officials said.</p></body></html>",
        encoding="utf-8",
    )
    from frontline.articles import ProblemLog, load_articles

    problems = ProblemLog()
    start = time.process_time()  # this process's CPU: a busy machine does not count
    [article] = load_articles(path, on_problem=problems)
    assert time.process_time() - start < 30  # was about an hour
    assert "Shelling hit Kherson" in article.text
    assert any("attributes were ignored" in p.message for p in problems)


# --- issue 18: a damaged cache is moved aside and rebuilt; it never runs code ----------

FEED = "".join(
    f'{{"id": "k{i}", "published": "2022-11-1{i}", "text": "Russian shelling hit Kherson '
    f'on Monday, officials said ({i})."}}\n'
    for i in range(5)
)


def _cache_folder() -> Path:
    import os

    return Path(os.environ["FRONTLINE_CACHE_DIR"])


def _events(tmp_path, name: str, *extra: str):
    feed = tmp_path / "feed.jsonl"
    if not feed.exists():
        feed.write_text(FEED, encoding="utf-8")
    out = tmp_path / name
    r = runner.invoke(app, ["events", str(feed), "-o", str(out), "--jobs", "1", "-q", *extra])
    return r, out


def _damage_pages(db: Path) -> None:
    """Overwrite every page of an SQLite file but its header page with noise."""
    size = db.stat().st_size
    with open(db, "r+b") as f:
        f.seek(4096)
        f.write(b"\x5a" * (size - 4096))


def _execute(sql: str, *args) -> None:
    import sqlite3

    db = sqlite3.connect(_cache_folder() / "results.sqlite")
    db.execute(sql, args)
    db.commit()
    db.close()


@pytest.mark.parametrize(
    "damage",
    ["not a database", "malformed page", "old schema", "bad blob", "bad manifest", "bad stream"],
)
def test_a_damaged_cache_is_moved_aside_with_a_warning_and_rebuilt(tmp_path, caplog, damage):
    expected, _ = _events(tmp_path, "nocache.csv", "--no-cache")
    r, first = _events(tmp_path, "first.csv")  # fills the cache
    assert r.exit_code == 0, r.output
    db = _cache_folder() / "results.sqlite"
    if damage == "not a database":
        db.write_bytes(b"garbage " * 1000)
        for extra in ("-wal", "-shm"):
            Path(f"{db}{extra}").unlink(missing_ok=True)
    elif damage == "malformed page":
        _execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _damage_pages(db)
    elif damage == "old schema":
        _execute("PRAGMA user_version = 0")
    elif damage == "bad blob":
        _execute("UPDATE article_results SET events = ?", b"\x80\x05garbage")
        _execute("DELETE FROM manifests")  # (else the file's manifest replays it)
    elif damage == "bad manifest":
        _execute("UPDATE manifests SET meta = '{not json'")
    else:
        [stream] = (_cache_folder() / "manifests").glob("*.stream")
        stream.write_bytes(stream.read_bytes()[:-5] + b"XXXXX")
    caplog.clear()
    r, again = _events(tmp_path, "again.csv")
    assert r.exit_code == 0, r.output
    assert again.read_bytes() == first.read_bytes() == (tmp_path / "nocache.csv").read_bytes()
    assert any("damaged" in m or "cannot be used" in m for m in caplog.messages), caplog.messages
    r, third = _events(tmp_path, "third.csv")  # and the rebuilt cache is used
    assert r.exit_code == 0 and third.read_bytes() == first.read_bytes()


def test_a_tampered_cache_entry_is_one_line_and_exit_2_and_runs_nothing(tmp_path, monkeypatch):
    import zlib

    monkeypatch.chdir(tmp_path)
    r, _ = _events(tmp_path, "first.csv")
    assert r.exit_code == 0, r.output
    evil = b'[[{"~": "os:system", "v": ["touch PWNED"]}], []]'
    _execute("UPDATE article_results SET events = ?, crc = ?", evil, zlib.crc32(evil))
    _execute("DELETE FROM manifests")
    r, _ = _events(tmp_path, "again.csv")
    assert r.exit_code == 2, r.output
    assert "damaged" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "PWNED").exists()


def test_temporary_streams_of_a_killed_run_are_removed_by_the_next(tmp_path):
    r, _ = _events(tmp_path, "first.csv")
    assert r.exit_code == 0, r.output
    left = _cache_folder() / "manifests" / ".0a1b.stream.999999999-0c.tmp.stream"
    left.write_bytes(b"half a stream")  # what kill -9 leaves
    r, _ = _events(tmp_path, "again.csv")
    assert r.exit_code == 0 and not left.exists()
