"""The command-line contract (../shared/DESIGN.md), run as a user runs it."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from frontline.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
runner = CliRunner()

ARTICLE = """---
title: "Shelling in Nikopol"
published: 2022-08-12
source: Test Wire
url: https://example.org/nikopol
---
Russian forces shelled Nikopol late on Tuesday from across the Kakhovka reservoir, wounding
two people, the regional governor said.

Moscow denied targeting civilians.
"""


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def article_dir(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "nikopol.md").write_text(ARTICLE, encoding="utf-8")
    return d


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def test_places(article_dir, tmp_path):
    out = tmp_path / "places.csv"
    r = invoke("places", article_dir, "-o", out)
    assert r.exit_code == 0, r.output
    rows = read_csv(out)
    for col in (
        "article_id",
        "mention",
        "start",
        "end",
        "place_id",
        "name",
        "kind",
        "country_code",
        "admin1",
        "latitude",
        "longitude",
        "confidence",
        "literal",
    ):
        assert col in rows[0]
    by_mention = {row["mention"]: row for row in rows}
    assert by_mention["Nikopol"]["country_code"] == "UA"
    assert abs(float(by_mention["Nikopol"]["latitude"]) - 47.57) < 0.1
    assert by_mention["Moscow"]["literal"] == "False"
    assert all(row["article_id"] == "nikopol" for row in rows)
    text = ARTICLE
    body = text  # offsets are into the article text, after the front matter
    nik = by_mention["Nikopol"]
    assert int(nik["end"]) - int(nik["start"]) == len("Nikopol")
    assert "Nikopol" in body


def test_dates(article_dir, tmp_path):
    out = tmp_path / "dates.csv"
    r = invoke("dates", article_dir, "-o", out)
    assert r.exit_code == 0, r.output
    rows = read_csv(out)
    assert {"article_id", "start", "end", "text", "value", "precision"} <= set(rows[0])
    tuesday = [row for row in rows if "Tuesday" in row["text"]]
    assert tuesday and tuesday[0]["value"] == "2022-08-09"
    assert tuesday[0]["precision"] == "day"


@pytest.mark.parametrize("ext", ["csv", "geojson", "gpkg", "parquet"])
def test_events(article_dir, tmp_path, ext):
    from frontline.events import EventTable

    out = tmp_path / f"events.{ext}"
    r = invoke("events", article_dir, "-o", out)
    assert r.exit_code == 0, r.output
    table = EventTable.read(out)
    gdf = table.gdf
    assert len(gdf) >= 1
    nikopol = gdf[gdf["place"] == "Nikopol"]
    assert list(nikopol["date"].dt.strftime("%Y-%m-%d")) == ["2022-08-09"]
    assert nikopol.iloc[0]["event_type"] == "shelling"
    assert "Moscow" not in set(gdf["place"])  # a government, not a place where things happened


@pytest.mark.parametrize("ext", ["geojson", "parquet"])
def test_events_with_jobs_write_through_a_helper_the_same_bytes(
    article_dir, tmp_path, monkeypatch, ext
):
    from frontline import event_table

    helpers = []
    real_init = event_table.TableWriter.__init__

    def init(self, path, *, helper=True):
        helpers.append(helper)
        real_init(self, path, helper=helper)

    monkeypatch.setattr(event_table.TableWriter, "__init__", init)
    for jobs in (1, 2):
        r = invoke(
            "events", article_dir, "-o", tmp_path / f"j{jobs}.{ext}", "--jobs", jobs, "--no-cache"
        )
        assert r.exit_code == 0, r.output
    assert helpers == [False, True]  # one job: everything in this one process
    assert (tmp_path / f"j1.{ext}").read_bytes() == (tmp_path / f"j2.{ext}").read_bytes()


def test_events_filters(article_dir, tmp_path):
    out = tmp_path / "events.csv"
    r = invoke("events", article_dir, "-o", out, "--from", "2022-08-10")
    assert r.exit_code == 0, r.output
    assert read_csv(out) == []


def test_geocode_json():
    r = invoke("geocode", "Artemivsk", "--format", "json")
    assert r.exit_code == 0, r.output
    found = json.loads(r.stdout)
    assert found[0]["name"] == "Bakhmut"
    assert {"place_id", "name", "kind", "country_code", "admin1", "latitude", "longitude"} <= set(
        found[0]
    )


def test_geocode_unknown_name():
    r = invoke("geocode", "Kyyyiv-on-Thames")
    assert r.exit_code == 1
    assert "no place named" in r.output


def test_missing_input_is_reported_and_the_rest_processed(article_dir, tmp_path):
    out = tmp_path / "places.csv"
    r = invoke("places", article_dir, tmp_path / "nope.md", "-o", out)
    assert r.exit_code == 1
    assert "nope.md" in r.output
    assert read_csv(out)


def test_nothing_readable_exits_2(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    r = invoke("events", empty, "-o", tmp_path / "e.csv")
    assert r.exit_code == 2


def test_python_dash_m(article_dir, tmp_path):
    out = tmp_path / "p.csv"
    r = subprocess.run(
        [sys.executable, "-m", "frontline", "places", str(article_dir), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert out.exists()


def test_overrides_reject_pin_and_report_unmatched(article_dir, tmp_path):
    first = tmp_path / "e1.csv"
    assert invoke("events", article_dir, "-o", first).exit_code == 0
    nikopol = [r for r in read_csv(first) if r["place"] == "Nikopol"][0]
    rules = tmp_path / "overrides.yaml"
    rules.write_text(
        "rules:\n"
        f"  - action: set_type\n    event_id: {nikopol['event_id']}\n"
        "    event_type: air_drone_strike\n"
        "  - action: reject_event\n    event_id: 0000000000000000\n"
        "  - action: pin_name\n    mention: Moscow\n    lat: 55.0\n    lon: 37.0\n",
        encoding="utf-8",
    )
    out = tmp_path / "e2.csv"
    r = invoke("events", article_dir, "-o", out, "--overrides", rules)
    assert r.exit_code == 0, r.output
    [row] = [r for r in read_csv(out) if r["place"] == "Nikopol"]
    assert row["event_type"] == "air_drone_strike"
    assert row["corrected"] == "True" and "set_type" in row["correction"]
    assert "0000000000000000" in r.output and "matched nothing" in r.output
    places = tmp_path / "p.csv"
    assert invoke("places", article_dir, "-o", places, "--overrides", rules).exit_code == 0
    moscow = [r for r in read_csv(places) if r["mention"] == "Moscow"][0]
    assert (float(moscow["latitude"]), float(moscow["longitude"])) == (55.0, 37.0)
    assert float(moscow["confidence"]) == 1.0


def test_bad_overrides_file_is_one_clear_error(article_dir, tmp_path):
    rules = tmp_path / "bad.yaml"
    rules.write_text("rules:\n  - action: teleport\n", encoding="utf-8")
    r = invoke("events", article_dir, "-o", tmp_path / "e.csv", "--overrides", rules)
    assert r.exit_code == 2
    assert "bad.yaml" in r.output


def test_review_lists_close_calls(tmp_path):
    out = tmp_path / "review.csv"
    r = invoke("review", EXAMPLES, "-o", out, "--jobs", "1")
    assert r.exit_code == 0, r.output
    rows = read_csv(out)
    assert {"priority", "reason", "article_id", "mention", "place"} <= set(rows[0])
    priorities = [float(row["priority"]) for row in rows]
    assert priorities == sorted(priorities, reverse=True)
    # Pavlivka has namesakes hundreds of kilometres apart: a close call worth a look.
    assert any(row["mention"] == "Pavlivka" and "close call" in row["reason"] for row in rows)


def test_max_bytes_reports_and_skips_large_articles(article_dir, tmp_path):
    (article_dir / "big.md").write_text(
        "---\npublished: 2022-08-12\n---\n" + "Kyiv. " * 500, encoding="utf-8"
    )
    out = tmp_path / "p.csv"
    r = invoke("places", article_dir, "-o", out, "--max-bytes", "1000")
    assert r.exit_code == 1
    assert "big.md" in r.output and "too large" in r.output
    assert {row["article_id"] for row in read_csv(out)} == {"nikopol"}


def _imported(*args) -> set[str]:
    """The modules a `python -m frontline ...` run imports (from -X importtime)."""
    r = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "frontline", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    return {
        line.rsplit("|", 1)[1].strip()
        for line in r.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }


def test_a_cached_rerun_to_csv_loads_no_gazetteer_and_no_pandas(article_dir, tmp_path):
    cache = tmp_path / "cache"
    first = _imported("events", article_dir, "-o", tmp_path / "a.csv", "--cache-dir", cache)
    assert "frontline.gazetteer" in first and "pandas" not in first  # processing needs it
    again = _imported("events", article_dir, "-o", tmp_path / "b.csv", "--cache-dir", cache)
    assert not again & {
        "frontline.gazetteer",
        "frontline.geoparse",
        "pandas",
        "geopandas",
        "pyarrow",
    }
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    parquet = _imported("events", article_dir, "-o", tmp_path / "c.parquet", "--cache-dir", cache)
    assert "geopandas" in parquet and "frontline.gazetteer" not in parquet


# ------------------------------------------------- data printed as data, failures as one line


def _lines_with(output: str, needle: str) -> list[str]:
    return [line for line in output.splitlines() if needle in line]


def test_markup_in_fields_is_printed_as_written_and_never_sinks_the_run(tmp_path):
    feed = tmp_path / "feed.jsonl"
    rows = [
        {
            "id": "n1[/bold]",
            "text": "Shelling hit Nikopol on Monday.",
            "published": "2022-08-12",
            "url": "https://example.org/[/bold]",
        },
        {"id": "n2", "text": "Shelling hit Kherson on Monday.", "published": "[/bold]2022"},
        {"id": "[red]n3", "text": "Shelling hit Kharkiv on Monday.", "published": "2022-08-12"},
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "e.csv"
    r = runner.invoke(app, ["events", str(feed), "-o", str(out), "--no-cache", "-j", "1"])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code in (0, 1) and out.exists()
    assert "[/bold]2022" in r.output  # the bad date, quoted as it is
    assert "MarkupError" not in r.output and "Traceback" not in r.output


def test_file_names_with_newlines_escapes_and_markup_print_on_one_line(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a\nb[bold]\x1b[2J.md").write_text("", encoding="utf-8")  # empty: reported
    (d / "nikopol.md").write_text(ARTICLE, encoding="utf-8")
    r = runner.invoke(app, ["places", str(d), "-o", str(tmp_path / "p.csv"), "--no-cache"])
    assert r.exit_code in (0, 1), r.output
    shown = _lines_with(r.output, "a\\nb[bold]\\x1b[2J.md")
    assert len(shown) == 1 and "\x1b" not in r.output


def test_a_full_disk_is_one_line_and_exit_2(article_dir, tmp_path, monkeypatch):
    import errno

    from frontline import outputs

    def full(path, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(outputs, "atomic_write", full)
    target = tmp_path / "p.csv"
    r = runner.invoke(app, ["places", str(article_dir), "-o", str(target), "--no-cache"])
    assert r.exit_code == 2
    errors = _lines_with(r.output, "error:")
    assert errors == [f"error: {target}: No space left on device"]
    assert "Traceback" not in r.output


def test_a_corrupted_cache_never_ends_in_a_traceback(article_dir, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "results.sqlite").write_bytes(b"this is not a database" * 100)
    r = runner.invoke(
        app, ["events", str(article_dir), "-o", str(tmp_path / "e.csv"), "--cache-dir", str(cache)]
    )
    assert r.exit_code in (0, 2), r.output  # rebuilt, or one clear line
    assert "Traceback" not in r.output
    if r.exit_code == 2:
        assert len(_lines_with(r.output, "error:")) == 1 and "--no-cache" in r.output


def test_overrides_nested_beyond_reason_are_one_line_and_exit_2(article_dir, tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("rules: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    r = runner.invoke(
        app,
        [
            "events",
            str(article_dir),
            "-o",
            str(tmp_path / "e.csv"),
            "--overrides",
            str(deep),
            "--no-cache",
        ],
    )
    assert r.exit_code == 2, r.output
    assert len(_lines_with(r.output, "error:")) == 1 and "Traceback" not in r.output


def test_a_library_failure_that_is_no_frontline_error_still_exits_cleanly(
    article_dir, tmp_path, monkeypatch
):
    import sqlite3

    from frontline import pipeline

    def broken(*args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(pipeline, "run_inputs", broken)
    r = runner.invoke(app, ["events", str(article_dir), "-o", str(tmp_path / "e.csv")])
    assert r.exit_code == 2
    assert _lines_with(r.output, "error:") == [
        "error: the cache cannot be used (database disk image is malformed); run again with "
        "--no-cache, or delete the cache folder (--cache-dir) to rebuild it"
    ]


def _snapshot_days(html_path):
    """(from, to) day numbers of the front-line snapshots embedded in a map page."""
    import re

    block = re.search(
        r'<script type="application/json" id="[^"]+">(.*?)</script>',
        html_path.read_text(encoding="utf-8"),
        re.S,
    )
    return [(s["from"], s["to"]) for s in json.loads(block.group(1))["frontline"]]


def test_map_frontline_days_sets_how_long_a_last_snapshot_holds(article_dir, tmp_path):
    line = tmp_path / "front.geojson"
    feature = {
        "type": "Feature",
        "properties": {"date": "2022-08-01"},  # no valid_to, no later snapshot
        "geometry": {"type": "LineString", "coordinates": [[34.0, 47.5], [35.0, 47.6]]},
    }
    line.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    start = 19205  # 2022-08-01
    for extra, days in (([], 30), (["--frontline-days", "5"], 5)):
        out = tmp_path / f"map{days}.html"
        r = invoke("map", article_dir, "-o", out, "--frontline", line, "--no-tiles", *extra)
        assert r.exit_code == 0, r.output
        assert _snapshot_days(out) == [(start, start + days - 1)]
    r = invoke("map", article_dir, "-o", tmp_path / "bad.html", "--frontline-days", "0")
    assert r.exit_code == 2 and "frontline-days" in r.output
