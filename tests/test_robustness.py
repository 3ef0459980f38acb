"""Hostile input and no lost work, across the stages (issue 8)."""

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
            r = runner.invoke(app, ["events", str(EXAMPLES), "-o", str(d / f"events.{ext}"),
                                    "--jobs", "1", "-q"])
            assert r.exit_code == 0, r.output
        r = runner.invoke(app, ["map", str(EXAMPLES), "-o", str(d / "map.html"), "--jobs", "1",
                                "-q"])
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
    for payload in ("<script>window.__pwned", "<img src=x onerror", "<svg onload",
                    "javascript:window.__pwned"):
        assert payload not in html, payload


def test_hostile_csv_cells_are_neutralized(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "f.md").write_text(
        '---\ntitle: "=HYPERLINK(\\"http://evil\\")"\npublished: 2022-09-11\n'
        'source: "+cmd|calc"\n---\nRussian missiles hit Kharkiv on Sunday.\n',
        encoding="utf-8")
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
    assert all(text[m.start:m.end] == m.mention for m in mentions)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("Kyiv Khersonregion'’.,-\n ΚХарків")) | st.characters(),
               max_size=300))
def test_geoparse_never_crashes_and_offsets_are_valid(gazetteer, text):
    for m in geoparse(text, gazetteer=gazetteer):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.mention
        assert 0.0 <= m.confidence <= 1.0
