"""The public API: every exported name resolves, and importing the package stays light."""

import subprocess
import sys

import frontline


def test_every_exported_name_resolves():
    for name in frontline.__all__:
        assert getattr(frontline, name) is not None, name
    assert callable(frontline.geoparse)  # the function, not the submodule of that name


def test_import_does_not_pull_in_the_heavy_stack():
    code = (
        "import sys, frontline; "
        "print(','.join(m for m in ('pandas', 'geopandas', 'folium', 'shapely') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


# -- extract_events takes what analysts pass (issue 19) ---------------------------------------

import datetime as dt  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"
_NIKOPOL = "---\npublished: 2022-08-12\n---\nRussian shelling hit Nikopol on Tuesday.\n"
_KHARKIV = "---\npublished: 2022-09-12\n---\nUkrainian troops entered Kupiansk on Saturday.\n"


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "nikopol.md").write_text(_NIKOPOL, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "kupiansk.md").write_text(_KHARKIV, encoding="utf-8")
    return tmp_path


def _ids(table):
    return sorted((e.article_id, e.place, e.date) for e in table)


def test_paths_folders_globs_lists_articles_and_frames_give_one_table(folder):
    import pandas as pd

    whole = frontline.extract_events(folder)
    assert len(whole) == 2 and "Nikopol" in {e.place for e in whole}
    assert _ids(frontline.extract_events(str(folder))) == _ids(whole)
    assert _ids(frontline.extract_events([folder / "nikopol.md", folder / "sub"])) == _ids(whole)
    assert _ids(frontline.extract_events(str(folder / "**" / "*.md"))) == _ids(whole)
    articles = frontline.load_articles(folder)
    assert _ids(frontline.extract_events(articles)) == _ids(whole)
    assert _ids(frontline.extract_events(articles[0])) == _ids(
        frontline.extract_events(folder / articles[0].origin.split("/")[-1])
    )
    mixed = [articles[0], folder / "sub" / "kupiansk.md"]
    assert _ids(frontline.extract_events(mixed)) == _ids(whole)
    frame = pd.DataFrame(
        {
            "id": ["nikopol", "kupiansk"],
            "published": [dt.date(2022, 8, 12), "2022-09-12"],
            "text": [
                "Russian shelling hit Nikopol on Tuesday.",
                "Ukrainian troops entered Kupiansk on Saturday.",
            ],
        }
    )
    assert _ids(frontline.extract_events(frame)) == _ids(whole)


def test_bad_inputs_say_what_is_wrong(folder):
    import pandas as pd

    with pytest.raises(FileNotFoundError, match="no file matches"):
        frontline.extract_events(str(folder / "*.nothing"))
    with pytest.raises(FileNotFoundError, match="missing: no such file"):
        frontline.extract_events(folder / "missing")
    with pytest.raises(TypeError, match="not int"):
        frontline.extract_events(42)
    with pytest.raises(TypeError, match="paths and Articles, not float"):
        frontline.extract_events([folder, 1.5])
    with pytest.raises(ValueError, match="needs a `text` column"):
        frontline.extract_events(pd.DataFrame({"body": ["x"]}))
    with pytest.raises(TypeError, match="overrides must be"):
        frontline.extract_events(folder, overrides=3)


def test_a_bad_file_is_a_warning_and_the_run_goes_on(folder):
    (folder / "broken.jsonl").write_text("not json\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="broken.jsonl:1"):
        table = frontline.extract_events(folder)
    assert _ids(table) == _ids(frontline.extract_events([folder / "nikopol.md", folder / "sub"]))


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples/articles missing")
def test_the_api_and_the_cli_agree_on_the_examples(tmp_path):
    from typer.testing import CliRunner

    from frontline.cli import app
    from frontline.events import EventTable

    out = tmp_path / "events.csv"
    result = CliRunner().invoke(app, ["events", str(EXAMPLES), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    table = frontline.extract_events(EXAMPLES)
    assert table.equals(EventTable.read(out))  # merged, as the CLI does
    assert len(frontline.extract_events(EXAMPLES, merge=False)) > len(table)


def test_progress_bar_is_quiet_in_tests_and_shows_when_asked(folder, capsys):
    from frontline import extract

    frontline.extract_events(folder)
    assert capsys.readouterr().err == ""  # not a terminal, not Jupyter: no bar
    with extract._ProgressBar(True, 2) as bar:
        bar.update()
        assert bar.bar is not None and bar.bar.n == 1
    assert extract._ProgressBar(None, 2).bar is None


def test_overrides_may_be_a_file_and_stale_rules_warn(folder, tmp_path):
    rules = tmp_path / "fix.yaml"
    rules.write_text("rules:\n  - action: reject_event\n    event_id: 0000\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frontline.extract_events(folder, overrides=rules)
    assert any("matched nothing" in str(w.message) for w in caught)


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples/articles missing")
def test_the_readme_api_section_runs(tmp_path, monkeypatch):
    """The README's Python API example is code that works, not a promise."""
    pytest.importorskip("matplotlib")
    readme = (EXAMPLES.parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The Python API") :]
    code = section[section.index("```python") + len("```python") : section.index("```\n")]
    monkeypatch.chdir(tmp_path)  # it writes events.gpkg
    namespace: dict = {}
    exec(
        compile(code.replace('"examples/articles"', repr(str(EXAMPLES))), "README.md", "exec"),
        namespace,
    )
    assert len(namespace["table"]) == len(frontline.extract_events(EXAMPLES))
    assert (tmp_path / "events.gpkg").is_file()
