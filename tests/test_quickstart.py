"""The quick start as a reader meets it: `make map` writes output/map.html from the examples,
and the page works in a real browser with the network blocked. Writes the README's picture."""

import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from frontline.cli import app
from frontline.events import EventTable

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"

browser_tests = pytest.importorskip("test_map_browser", reason="needs the browser test helpers")
Session = browser_tests.Session
browser = browser_tests.browser  # the module-scoped Playwright browser fixture

pytestmark = pytest.mark.browser


def _day(iso: str) -> int:
    return (date.fromisoformat(iso) - date(1970, 1, 1)).days


@pytest.fixture(scope="module")
def example_map(tmp_path_factory):
    out = tmp_path_factory.mktemp("quickstart")
    r = CliRunner().invoke(
        app,
        [
            "map",
            str(EXAMPLES),
            "-o",
            str(out / "map.html"),
            "--save-events",
            str(out / "events.csv"),
            "--save-events",
            str(out / "events.geojson"),
            "--jobs",
            "1",
            # module-scoped: conftest's private cache is not set up yet
            "--cache-dir",
            str(out / "cache"),
        ],
    )
    assert r.exit_code == 0, r.output
    return out


def visible_places(s) -> set[str]:
    return set(s.eval(f"{s.js}.visibleIndices().map(i => {s.js}.strings[{s.js}.data.place[i]])"))


def test_make_map_outputs(example_map):
    table = EventTable.read(example_map / "events.csv")
    assert len(table) >= 19  # at least about one event per example article
    assert len(EventTable.read(example_map / "events.geojson")) == len(table)
    html = (example_map / "map.html").read_text(encoding="utf-8")
    assert "unpkg.com" not in html and "cdn.jsdelivr.net" not in html


def test_example_map_in_the_browser(browser, example_map):
    table = EventTable.read(example_map / "events.csv").gdf
    s = Session(browser, example_map / "map.html", viewport=(1280, 800))
    try:
        shown = table[table["event_type"] != "statement"]
        assert s.eval(f"{s.js}.data.day.length") == len(table)
        dnieper = s.eval("""Array.from(document.querySelectorAll('.leaflet-overlay-pane path'))
            .filter(p => p.getAttribute('stroke') === '#1c6fb8').length""")
        assert dnieper >= 1, "the Dnieper line is drawn"
        # The day Kherson was liberated shows Kherson; half a year later, it has gone.
        s.set_day(_day("2022-11-11"))
        on_the_day = visible_places(s)
        assert "Kherson" in on_the_day
        s.set_day(_day("2023-06-06"))
        later = visible_places(s)
        assert "Kherson" not in later or later != on_the_day
        window = shown[(shown["date"] <= "2023-06-06") & (shown["date"] > "2023-05-30")]
        assert len(s.eval(f"{s.js}.visibleIndices()")) == len(window)
        s.check_clean()
    finally:
        s.page.close()


def test_readme_screenshot(browser, example_map, tmp_path):
    s = Session(browser, example_map / "map.html", viewport=(1280, 800))
    try:
        s.page.locator(".frontline-cumulative input").check()
        s.set_day(_day("2022-11-12"))
        s.page.wait_for_timeout(300)
        s.check_clean()
        shot = tmp_path / "map.png"
        s.page.screenshot(path=str(shot))
        assert shot.stat().st_size > 20_000
        if os.environ.get("FRONTLINE_UPDATE_SCREENSHOTS"):  # the README's picture, on request only
            shutil.copyfile(shot, ROOT / "docs" / "map.png")
    finally:
        s.page.close()


def test_readme_phone_screenshot(browser, example_map, tmp_path):
    s = Session(browser, example_map / "map.html", viewport=(390, 844))
    try:
        s.page.locator(".frontline-cumulative input").check()
        s.set_day(_day("2022-11-12"))
        s.eval(f"void {s.js}.map.setView([47.3, 33.6], 7, {{animate: false}})")
        s.page.wait_for_timeout(300)
        s.check_clean()
        shot = tmp_path / "map-phone.png"
        s.page.screenshot(path=str(shot))
        assert shot.stat().st_size > 20_000
        if os.environ.get("FRONTLINE_UPDATE_SCREENSHOTS"):  # the README's picture, on request only
            shutil.copyfile(shot, ROOT / "docs" / "map-phone.png")
    finally:
        s.page.close()
