"""The exploration notebook runs from top to bottom, and is committed without outputs."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "explore.ipynb"
_DEV = "a dev extra is missing: pip install -e '.[dev]'"


def _read():
    nbformat = pytest.importorskip("nbformat", reason=_DEV)
    return nbformat.read(NOTEBOOK, as_version=4)


def test_notebook_is_committed_clean():
    nb = _read()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "the notebook has code cells"
    dirty = [i for i, c in enumerate(code) if c.get("outputs") or c.get("execution_count")]
    assert not dirty, f"code cells {dirty} carry outputs: clear them before committing"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.slow
def test_notebook_runs():
    pytest.importorskip("nbclient", reason=_DEV)
    pytest.importorskip("ipykernel", reason=_DEV)
    pytest.importorskip("matplotlib", reason=_DEV)
    from nbclient import NotebookClient

    nb = _read()
    # The kernel is this interpreter (jupyter_client's built-in `python3` spec points at
    # sys.executable when ipykernel is importable), so the venv's frontline is the one used.
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(REPO)}}
    )
    started = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - started
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, errors
    html = [o for o in outputs if "text/html" in o.get("data", {})]
    tables = [o["data"]["text/html"] for o in html if "EventTable" in o["data"]["text/html"]]
    assert tables, "the table shows as HTML"
    assert all("<th>event_id</th>" in t for t in tables), "every rule needs the event_id"
    assert any("<i>2023-W46</i>" in t for t in tables), "a week does not look like a day"
    assert any("leaflet" in o["data"]["text/html"].lower() for o in html), "the map shows inline"
    assert any("image/png" in o.get("data", {}) for o in outputs), "the plots render"
    text = "".join(o.get("text", "") for o in outputs)
    assert "rules that matched nothing: []" in text, "the not-a-place rule matched"
    # The corrections are visible: the speculative event is gone, the namesake is moved.
    counts = re.search(r"(\d+) events before, (\d+) after", text)
    assert counts and int(counts[1]) == int(counts[2]) + 1, text
    assert "Krynky shelling events after: 0" in text, text
    assert "('Oleksandrivka', 'Oleksandrivka', 'Kherson Oblast')" in text, text
    assert elapsed < 60, f"the notebook took {elapsed:.0f} s; keep it under a minute"


def test_make_notebook_installs_the_notebook_extra_and_opens_the_lab():
    """A documented way in: `make notebook` and an extra without the test tools."""
    import re
    import tomllib

    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    names = {re.match(r"[A-Za-z0-9_.-]+", d).group(0).lower() for d in extras["notebook"]}
    assert {"jupyterlab", "matplotlib", "ipywidgets", "mapclassify", "ipykernel"} <= names
    assert not names & {"pytest", "hypothesis", "playwright", "dask", "h5py"}
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    target = makefile[makefile.index("\nnotebook:") :]
    assert "jupyter lab notebooks/" in target.split("\n\n")[0]
    assert "install --quiet -e '.[notebook]'" in makefile
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick_start = readme[readme.index("## Quick start") : readme.index("## The command line")]
    assert "make notebook" in quick_start
