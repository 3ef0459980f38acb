"""The saved map in headless Chromium, with every network request blocked.

Uses Playwright for Python with Debian's ``/usr/bin/chromium`` (no browser download).
Skips with a visible reason when either is missing.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from frontline.mapbuild import build_map, save_map

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists() and os.environ.get("FRONTLINE_REQUIRE_BROWSER"):
    raise RuntimeError(
        "FRONTLINE_REQUIRE_BROWSER is set (as in CI) but /usr/bin/chromium is "
        "missing: apt-get install chromium"
    )
if not CHROMIUM.exists():
    pytest.skip(
        "browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="browser tests need Playwright (pip install playwright)"
)

from test_mapbuild import HOSTILE, StandInGazetteer, make_events  # noqa: E402

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
TILE_HOSTS = ("tile.openstreetmap.org",)
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _day(iso: str) -> int:
    return (date.fromisoformat(iso) - date(1970, 1, 1)).days


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


class Session:
    """One page with every request routed: tiles aborted and noted, anything else a failure."""

    def __init__(self, browser, path: Path, *, viewport=(1200, 800)):
        self.url = path.resolve().as_uri()
        self.page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        self.tiles: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", self._on_request)
        self.page.route("**/*", self._route)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda err: self.errors.append(f"page error: {err}"))
        self.page.on("dialog", self._on_dialog)
        self.page.goto(self.url)
        self.page.wait_for_function("window.FrontlineTime && FrontlineTime.instances.length > 0")
        self.js = "FrontlineTime.instances[0]"

    def _on_request(self, request):
        url = request.url
        if url == self.url or url.startswith("data:"):
            return
        if any(host in url for host in TILE_HOSTS):
            self.tiles.append(url)
        else:
            self.blocked.append(url)

    def _route(self, route):
        if route.request.url == self.url:
            route.continue_()
        else:
            route.abort()

    def _on_console(self, msg):
        if msg.type != "error":
            return
        source = (msg.location or {}).get("url", "")
        if "Failed to load resource" in msg.text and any(h in source for h in TILE_HOSTS):
            return  # an offline tile: expected, it simply does not appear
        self.errors.append(f"console: {msg.text} ({source})")

    def _on_dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def eval(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def set_day(self, day: int) -> None:
        """Move the slider as a user does (value change plus its input event)."""
        self.page.eval_on_selector(
            "input.frontline-slider",
            "(el, v) => { el.value = String(v); el.dispatchEvent(new Event('input')); }",
            day - self.eval(f"{self.js}.dayMin"),
        )

    def list_ready(self) -> None:
        """Wait until the event list shows the current state (it follows changes soon after)."""
        self.page.evaluate(f"{self.js}.listReady()")

    def canvas_alpha(self, x: float, y: float) -> int:
        """Largest alpha of the event canvases in a 3x3 pixel box around a container point."""
        return self.eval(
            """([x, y]) => {
            const r = window.devicePixelRatio || 1;
            let a = 0;
            for (const c of document.querySelectorAll('.leaflet-frontlineEvents-pane canvas')) {
              const d = c.getContext('2d').getImageData(Math.round(x * r) - 1,
                                                        Math.round(y * r) - 1, 3, 3).data;
              for (let i = 3; i < d.length; i += 4) a = Math.max(a, d[i]);
            }
            return a; }""",
            [x, y],
        )

    def check_clean(self) -> None:
        assert self.blocked == [], f"requests outside tiles: {self.blocked}"
        assert self.errors == [], self.errors
        assert self.dialogs == []
        assert self.eval("window.__pwned") is None


@pytest.fixture(scope="module")
def events():
    return make_events(48, hostile=True)


@pytest.fixture(scope="module")
def map_file(tmp_path_factory, events):
    path = tmp_path_factory.mktemp("map") / "map.html"
    return save_map(build_map(events, gazetteer=StandInGazetteer(), title="Browser test"), path)


@pytest.fixture
def session(browser, map_file):
    s = Session(browser, map_file)
    yield s
    s.page.close()


def expected_ids(
    events, day: int, *, window: int = 7, cumulative: bool = False, hidden=("statement",)
) -> set[str]:
    days = events["date"].map(_day)
    inside = (days <= day) & ((days > day - window) | cumulative)
    shown = ~events["event_type"].isin(hidden)
    return set(events.loc[inside & shown, "event_id"])


def test_loads_offline_without_errors(session):
    assert session.eval(f"{session.js}.data.day.length") == 48
    # Leaflet, CSS, images are all inline; online tiles are offered but off, uncredited
    assert session.tiles == []
    attribution = session.page.locator(".leaflet-control-attribution").inner_text()
    assert "OpenStreetMap contributors" not in attribution.split("River areas")[0]
    session.page.hover(".leaflet-control-layers")
    session.page.locator(
        ".leaflet-control-layers-overlays label", has_text="OpenStreetMap tiles"
    ).locator("input").check()
    session.page.wait_for_function(
        "document.querySelector('.frontline-map').classList.contains('frontline-tiles-on')"
    )
    assert session.tiles, "switched on, the tile layer asks for tiles"
    assert "© OpenStreetMap" in session.page.locator(".leaflet-control-attribution").inner_text()
    session.check_clean()


def test_dnieper_polyline_and_label_present(session):
    paths = session.eval("""Array.from(document.querySelectorAll('.leaflet-overlay-pane path'))
        .filter(p => p.getAttribute('stroke') === '#1c6fb8').length""")
    assert paths == 1
    labels = session.page.locator(".frontline-river-label").all_inner_texts()
    assert labels == ["Dnieper", "Dnieper"]
    session.check_clean()


def test_slider_shows_exactly_the_events_of_the_window(session, events):
    days = sorted(set(events["date"].map(_day)))
    for day in [days[0], days[len(days) // 3], days[len(days) // 2] + 1, days[-1]]:
        session.set_day(day)
        want = expected_ids(events, day)
        assert set(session.eval(f"{session.js}.visibleIds()")) == want
        assert session.eval(f"{session.js}.ndrawn") == len(want)  # all within the view
        label = session.page.locator(".frontline-date").inner_text()
        assert label == date.fromordinal(date(1970, 1, 1).toordinal() + day).isoformat()
        # the canvas agrees: ink exactly at the places with a visible event
        for place in events["place"].unique():
            rows = events[events["place"] == place]
            index = session.eval(
                f"(id) => {session.js}.indexOfId(id)",
                rows["event_id"].iloc[0],
            )
            x, y = session.eval(f"(i) => {session.js}.screenPoint(i)", index)
            visible = bool(set(rows["event_id"]) & want)
            assert (session.canvas_alpha(x, y) > 0) == visible, (place, day)
    session.check_clean()


def test_keyboard_steps_one_day(session):
    start = session.eval(f"{session.js}.current")
    session.page.focus("input.frontline-slider")
    session.page.keyboard.press("ArrowLeft")
    assert session.eval(f"{session.js}.current") == start - 1
    session.check_clean()


def test_cumulative_toggle(session, events):
    days = sorted(set(events["date"].map(_day)))
    middle = days[len(days) // 2]
    session.set_day(middle)
    session.page.locator(".frontline-cumulative input").check()
    assert set(session.eval(f"{session.js}.visibleIds()")) == expected_ids(
        events, middle, cumulative=True
    )
    session.page.locator(".frontline-cumulative input").uncheck()
    assert set(session.eval(f"{session.js}.visibleIds()")) == expected_ids(events, middle)
    session.check_clean()


def test_type_toggles_in_layer_control(session, events):
    session.page.locator(".frontline-cumulative input").check()
    last = max(events["date"].map(_day))
    session.set_day(last)
    session.page.hover(".leaflet-control-layers")
    session.page.locator(".leaflet-control-layers-overlays label", has_text="Shelling").locator(
        "input"
    ).uncheck()
    want = expected_ids(events, last, cumulative=True, hidden=("statement", "shelling"))
    assert set(session.eval(f"{session.js}.visibleIds()")) == want
    session.page.locator(".leaflet-control-layers-overlays label", has_text="Statement").locator(
        "input"
    ).check()
    want = expected_ids(events, last, cumulative=True, hidden=("shelling",))
    assert set(session.eval(f"{session.js}.visibleIds()")) == want
    session.check_clean()


@pytest.mark.parametrize("k", [*range(len(HOSTILE)), 10])
def test_click_shows_quote_and_hostile_text_stays_inert(session, events, k):
    row = events.iloc[k]
    assert row["quote"] == (
        HOSTILE[k] if k < len(HOSTILE) else f"Event {k} at {row['place']}: shelling reported."
    )
    session.page.locator(".frontline-cumulative input").check()
    session.set_day(_day(row["date"]))
    session.page.hover(".leaflet-control-layers")
    session.page.locator(".leaflet-control-layers-overlays label", has_text="Statement").locator(
        "input"
    ).check()
    session.page.mouse.move(5, 400)
    index = session.eval(
        f"(id) => {session.js}.indexOfId(id)",
        row["event_id"],
    )
    x, y = session.eval(f"(i) => {session.js}.screenPoint(i)", index)
    session.page.mouse.click(x, y)
    popup = session.page.locator(".leaflet-popup-content")
    popup.wait_for()
    event = popup.locator(f'[data-event-id="{row["event_id"]}"]')
    if not event.count():  # many events at one place: the popup lists the first twelve
        pytest.fail("the clicked event is missing from the popup")
    assert event.locator(".frontline-quote").inner_text() == row["quote"]
    assert popup.locator("img, svg:not(.frontline-swatch), script, iframe").count() == 0
    assert event.locator(".frontline-when").inner_text().startswith(row["date"])
    assert event.locator(".frontline-where").inner_text().startswith(row["place"])
    if not row["url"].startswith("javascript"):
        link = event.locator(".frontline-source a")
        assert (link.inner_text(), link.get_attribute("href")) == (row["title"], row["url"])
    hrefs = popup.locator("a").evaluate_all("as => as.map(a => a.href)")
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
    assert "javascript" not in " ".join(hrefs).lower()
    session.page.wait_for_timeout(100)  # give any injected handler a chance to run
    session.check_clean()


def test_play_and_pause(session):
    session.set_day(session.eval(f"{session.js}.dayMin"))
    before = session.page.locator(".frontline-date").inner_text()
    session.page.click("button.frontline-play")
    session.page.wait_for_function(
        f"document.querySelector('.frontline-date').textContent !== {json.dumps(before)}"
    )
    session.page.click("button.frontline-play")
    stopped = session.eval(f"{session.js}.current")
    session.page.wait_for_timeout(400)
    assert session.eval(f"{session.js}.current") == stopped
    session.check_clean()


def test_frontline_snapshots_follow_the_slider(browser, tmp_path, events):
    from shapely.geometry import Polygon, mapping

    holed = Polygon([(36, 47), (39, 47), (39, 49), (36, 49)], [[(37, 47.5), (38, 47.5), (38, 48)]])
    first, last = min(events["date"]), max(events["date"])
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"date": first}, "geometry": mapping(holed)},
            {
                "type": "Feature",
                "properties": {"date": last},
                "geometry": mapping(Polygon([(35, 46), (37, 46), (37, 47)])),
            },
        ],
    }
    (tmp_path / "front.geojson").write_text(json.dumps(doc))
    path = save_map(
        build_map(
            events, gazetteer=StandInGazetteer(), tiles=False, frontline=tmp_path / "front.geojson"
        ),
        tmp_path / "map.html",
    )
    s = Session(browser, path)
    try:
        snap_paths = (
            "Array.from(document.querySelectorAll('.leaflet-overlay-pane "
            "path.frontline-front'))"
            ".map(p => (p.getAttribute('d').match(/M/g) || []).length)"
        )
        s.set_day(_day(first))
        assert s.eval(snap_paths) == [2]  # one polygon with its hole: two rings in one path
        s.set_day(_day(last))
        assert s.eval(snap_paths) == [1]
        label = s.page.locator(".frontline-snapshot").inner_text()
        assert label.startswith(f"front line: {last} · Front line: ") and label.endswith("km²")
        assert s.tiles == []
        s.check_clean()
    finally:
        s.page.close()


#: Towns often in the reports (name, lon, lat) for the README screenshot.
TOWNS = [
    ("Bakhmut", 38.00, 48.60),
    ("Avdiivka", 37.75, 48.14),
    ("Kherson", 32.62, 46.64),
    ("Nikopol", 34.40, 47.57),
    ("Kharkiv", 36.23, 49.99),
    ("Zaporizhzhia", 35.14, 47.84),
    ("Kupiansk", 37.62, 49.71),
    ("Vuhledar", 37.25, 47.78),
    ("Marinka", 37.50, 47.94),
    ("Toretsk", 37.84, 48.40),
    ("Kramatorsk", 37.56, 48.72),
    ("Siversk", 38.10, 48.87),
    ("Robotyne", 35.83, 47.45),
    ("Orikhiv", 35.79, 47.57),
    ("Krynky", 33.09, 46.73),
    ("Nova Kakhovka", 33.35, 46.75),
    ("Odesa", 30.73, 46.48),
    ("Kyiv", 30.52, 50.45),
    ("Sumy", 34.80, 50.91),
    ("Chasiv Yar", 37.84, 48.59),
    ("Pokrovsk", 37.18, 48.28),
    ("Lyman", 37.81, 48.99),
    ("Izium", 37.26, 49.21),
    ("Dnipro", 35.05, 48.46),
]


def _screenshot_events(n: int = 900):
    """Events spread over the towns above with long-tailed frequencies."""
    import geopandas as gpd
    import numpy as np

    from frontline.mapbuild import TYPE_STYLES

    rng = np.random.default_rng(3)
    weights = 1 / np.arange(1, len(TOWNS) + 1)
    town = rng.choice(len(TOWNS), n, p=weights / weights.sum())
    types = list(TYPE_STYLES)
    kinds = rng.choice(types, n, p=[0.3, 0.15, 0.1, 0.15, 0.05, 0.08, 0.04, 0.06, 0.04, 0.03])
    days = np.sort(rng.integers(0, 240, n))
    precision = rng.choice([1, 2, 3], n, p=[0.8, 0.15, 0.05])
    rows = [
        {
            "event_id": f"s{k}",
            "date": (date(2023, 3, 1).toordinal() + int(days[k])),
            "event_type": kinds[k],
            "place": TOWNS[town[k]][0],
            "time_precision": int(precision[k]),
            "geo_precision": 1,
            "quote": f"Reported {kinds[k].replace('_', ' ')} "
            f"in {TOWNS[town[k]][0]} (synthetic example {k}).",
            "title": f"Example report {k}",
            "source": "Example News",
            "url": f"https://news.example/{k}",
        }
        for k in range(n)
    ]
    for row in rows:
        row["date"] = date.fromordinal(row["date"]).isoformat()
    points = gpd.points_from_xy([TOWNS[t][1] for t in town], [TOWNS[t][2] for t in town])
    return gpd.GeoDataFrame(rows, geometry=points, crs="EPSG:4326")


def test_popup_over_real_context_layers(browser, tmp_path):
    """A popup opens over the bundled gazetteer's layers (skips while its data is not built)."""
    try:
        from frontline.gazetteer import Gazetteer

        gazetteer = Gazetteer.load()
        gazetteer.layer("rivers")
    except Exception as err:  # noqa: BLE001 - any failure means: no real context layers
        pytest.skip(f"bundled gazetteer not available for the screenshot ({err})")
    events = _screenshot_events()
    path = save_map(
        build_map(
            events,
            gazetteer=gazetteer,
            tiles=False,
            cumulative=True,
            title="Frontline: reported events (synthetic example)",
        ),
        tmp_path / "map.html",
    )
    s = Session(browser, path, viewport=(1280, 800))
    try:
        last = max(events["date"].map(_day))
        s.set_day(last - 30)
        index = s.eval(
            f"{s.js}.visibleIndices().filter(i => "
            f"{s.js}.strings[{s.js}.data.place[i]] === 'Zaporizhzhia').pop()"
        )
        x, y = s.eval(f"(i) => {s.js}.screenPoint(i)", index)
        s.page.mouse.click(x, y)
        s.page.locator(".leaflet-popup-content").wait_for()
        s.page.wait_for_timeout(500)  # the popup's fade-in
        s.check_clean()
        out = tmp_path / "map.png"  # the README's picture comes from test_quickstart.py
        s.page.screenshot(path=str(out))
        assert out.stat().st_size > 10_000
    finally:
        s.page.close()


def test_cumulative_play_draws_the_same_as_a_full_redraw(session, events):
    """Stepping forward in cumulative mode only adds days; the picture must not differ."""
    days = sorted(set(events["date"].map(_day)))
    session.page.locator(".frontline-cumulative input").check()
    session.set_day(days[0])
    for day in range(days[0] + 1, days[-1] + 1, 2):
        session.set_day(day)
    keep = (
        "window.__frames = Array.from(document.querySelectorAll("
        "'.leaflet-frontlineEvents-pane canvas')).map(c => c.getContext('2d')"
        ".getImageData(0, 0, c.width, c.height).data)"
    )
    session.eval(keep)
    stepped_ids = session.eval(f"{session.js}.visibleIds()")
    session.eval(f"{session.js}.canvas.redraw()")
    # Same markers in the same places; only anti-aliased edges of stacked twins may differ
    # (an edge pixel of alpha a becomes 1 - (1 - a)^2: at most 64/255 more).
    inked, missing, shifted = session.eval("""() => {
        const now = Array.from(document.querySelectorAll('.leaflet-frontlineEvents-pane canvas'))
            .map(c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data);
        let inked = 0, missing = 0, shifted = 0;
        now.forEach((d, k) => { const e = window.__frames[k];
            for (let i = 0; i < d.length; i += 4) {
                if (d[i + 3] || e[i + 3]) inked++;
                if (Math.abs(d[i + 3] - e[i + 3]) > 96) missing++;
                else if (d[i + 3] > 200 && e[i + 3] > 200 && Math.max(Math.abs(d[i] - e[i]), Math.abs(d[i + 1] - e[i + 1]),
                                  Math.abs(d[i + 2] - e[i + 2])) > 48) shifted++;
            } });
        return [inked, missing, shifted]; }""")
    assert inked > 500
    assert missing <= inked * 0.01 and shifted <= inked * 0.01, (inked, missing, shifted)
    assert session.eval(f"{session.js}.visibleIds()") == stepped_ids
    assert set(stepped_ids) == expected_ids(
        events, session.eval(f"{session.js}.current"), cumulative=True
    )
    session.check_clean()


# ----------------------------------------------------------------------------- the new page


def _real_gazetteer():
    from frontline.gazetteer import Gazetteer

    return Gazetteer.load()


@pytest.fixture(scope="module")
def real_map(tmp_path_factory, events):
    """The hostile test events over the bundled gazetteer (labels, areas, fills)."""
    path = tmp_path_factory.mktemp("real") / "map.html"
    return save_map(build_map(events, gazetteer=_real_gazetteer()), path)


def _boxes(s, selectors):
    return s.eval(
        """(sels) => sels.map(sel => { const e = document.querySelector(sel);
        if (!e) return null; const r = e.getBoundingClientRect();
        return r.width && r.height ? [sel, r.left, r.top, r.right, r.bottom] : null; })""",
        selectors,
    )


def test_labels_visible_at_opening_and_event_places_when_close(browser, real_map):
    s = Session(browser, real_map, viewport=(1280, 800))
    try:
        shown = s.eval(f"{s.js}.labels.shown")
        assert {"Kyiv", "Kharkiv", "Dnipro", "Odesa"} <= set(shown), shown
        assert any(name.endswith("OBLAST") for name in shown)  # oblasts at low zoom
        assert "Ukraine" in shown and "Sea of Azov" in shown
        texts = s.page.locator(".frontline-label").all_inner_texts()
        assert "Kyiv" in texts
        # Close in on Bakhmut: the towns around it, and the event place itself, are named.
        s.eval("void FrontlineTime.instances[0].map.setView([48.595, 38.0], 11, {animate: false})")
        s.page.wait_for_timeout(100)
        close = s.eval(f"{s.js}.labels.shown")
        assert "Bakhmut" in close and len(close) > 5
        s.page.screenshot(path=str(real_map.with_name("labels.png")))
        s.check_clean()
    finally:
        s.page.close()


def test_context_paths_after_any_view_change_are_a_fresh_drawing(browser, real_map):
    # frontline_time.js lets Leaflet's SVG renderer project and draw each path once per
    # view (Leaflet alone does it two and three times in a zoom without animation): after
    # every kind of view change, the paths are exactly what a full redraw gives.
    s = Session(browser, real_map, viewport=(1280, 800))
    try:
        result = s.eval(
            """async () => {
            const m = FrontlineTime.instances[0].map, out = [];
            const svgPaths = () => { const list = [];
              m.eachLayer(l => { if (l instanceof L.Polyline && l._renderer instanceof L.SVG) list.push(l); });
              return list; };
            const drawing = () => Array.from(document.querySelectorAll('.leaflet-container svg path'),
                                             p => p.getAttribute('d')).join('|');
            const fresh = () => { svgPaths().forEach(l => l._reset()); return drawing(); };
            const wait = ms => new Promise(r => setTimeout(r, ms));
            const proto = L.Polyline.prototype, project = proto._project;
            let projected = 0;
            proto._project = function () { projected++; return project.apply(this, arguments); };
            const moves = [
              ['zoom', () => m.setZoom(8, {animate: false}), 0],
              ['jump', () => m.setView([50.45, 30.52], 8, {animate: false}), 0],
              ['pan', () => m.panBy([300, 120], {animate: false}), 0],
              ['animated zoom', () => m.setZoom(9), 700],
              ['fly', () => m.flyTo([47.8, 35.1], 7, {duration: 0.3}), 900],
              ['jump and zoom', () => m.setView([48.6, 37.9], 10, {animate: false}), 0],
              ['resize', () => { m.getContainer().style.width = '900px'; m.invalidateSize(false); }, 0],
            ];
            for (const [name, move, ms] of moves) {
              projected = 0;
              move();
              if (ms) { await wait(ms); }
              const once = name === 'zoom' ? projected === svgPaths().length : true;
              const now = drawing();
              out.push([name, now.length > 0 && now === fresh(), once]);
            }
            proto._project = project;
            return out;
        }"""
        )
        assert result == [
            [name, True, True]
            for name in (
                "zoom",
                "jump",
                "pan",
                "animated zoom",
                "fly",
                "jump and zoom",
                "resize",
            )
        ]
        s.check_clean()
    finally:
        s.page.close()


def test_histogram_counts_are_right(session, events):
    hist = session.eval(f"{session.js}.histogram")
    shown = events[events["event_type"] != "statement"]
    days = shown["date"].map(_day)
    start, width = hist["start"], hist["binDays"]
    expected = [0] * len(hist["totals"])
    for d in days:
        expected[(d - start) // width] += 1
    assert hist["totals"] == expected
    assert sum(expected) == len(shown)
    edges = session.page.locator(".frontline-tick-edge").all_inner_texts()
    assert edges == [min(events["date"]), max(events["date"])]
    session.page.locator(".frontline-legend-row[data-type='shelling']").click()
    after = session.eval(f"{session.js}.histogram.totals")
    assert sum(after) == len(shown[shown["event_type"] != "shelling"])
    session.eval(f"{session.js}.setQuery('kherson')")  # a place filter counts event by event
    searched = session.eval(f"{session.js}.histogram.totals")
    kherson = shown[(shown["event_type"] != "shelling") & (shown["place"] == "Kherson")]
    assert sum(searched) == len(kherson) > 0
    session.check_clean()


def test_slider_announces_the_date(session):
    session.set_day(_day("2023-05-10"))
    text = session.page.locator("input.frontline-slider").get_attribute("aria-valuetext")
    assert text.startswith("2023-05-10, ") and "event" in text
    session.check_clean()


def test_window_length_changes_in_the_page(session, events):
    last = max(events["date"].map(_day))
    session.set_day(last)
    session.page.locator(".frontline-window select").select_option("30")
    assert set(session.eval(f"{session.js}.visibleIds()")) == expected_ids(events, last, window=30)
    session.check_clean()


def test_url_hash_restores_the_view(browser, map_file, events):
    s = Session(browser, map_file)
    try:
        s.set_day(_day("2023-05-09"))
        s.page.locator(".frontline-window select").select_option("14")
        s.page.locator(".frontline-legend-row[data-type='armed_clash']").click()
        s.eval(f"void {s.js}.map.setView([48.1, 36.2], 8, {{animate: false}})")
        s.page.locator(".frontline-panel-toggle").click()
        s.eval(f"{s.js}.hashReady()")
        url = s.page.url
        assert "#date=2023-05-09" in url and "window=14" in url
        ids = s.eval(f"{s.js}.visibleIds()")
    finally:
        s.page.close()
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    try:
        page.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
        )
        page.goto(url)
        page.wait_for_function("window.FrontlineTime && FrontlineTime.instances.length > 0")
        ctl = "FrontlineTime.instances[0]"
        assert page.evaluate(f"{ctl}.current") == _day("2023-05-09")
        assert page.evaluate(f"{ctl}.window") == 14
        assert page.evaluate(f"{ctl}.map.getZoom()") == 8
        center = page.evaluate(f"[{ctl}.map.getCenter().lat, {ctl}.map.getCenter().lng]")
        assert center == pytest.approx([48.1, 36.2], abs=1e-3)
        assert page.evaluate(f"{ctl}.visibleIds()") == ids
        assert "armed_clash" not in page.evaluate(f"{ctl}.stateHash()")
        assert page.evaluate(f"{ctl}.panelOpen") is False
    finally:
        page.close()


def test_list_and_map_stay_in_sync(session, events):
    last = max(events["date"].map(_day))
    session.set_day(last)
    session.list_ready()
    rows = session.page.locator(".frontline-row")
    listed = rows.evaluate_all("rs => rs.map(r => r.dataset.eventId)")
    assert set(listed) == expected_ids(events, last)  # every visible event is in view
    # A row opens its event's popup...
    rows.first.click()
    popup = session.page.locator(".leaflet-popup-content").last
    popup.wait_for()
    assert popup.locator(f'[data-event-id="{listed[0]}"]').count() == 1
    session.page.locator(".leaflet-popup-close-button").click()
    session.page.wait_for_timeout(300)  # the closed popup fades out
    # ...and a marker click marks the rows of its events.
    index = session.eval(f"(id) => {session.js}.indexOfId(id)", listed[-1])
    x, y = session.eval(f"(i) => {session.js}.screenPoint(i)", index)
    session.page.mouse.click(x, y)
    popup.wait_for()
    session.page.wait_for_timeout(300)
    active = session.page.locator(".frontline-row-active").evaluate_all(
        "rs => rs.map(r => r.dataset.eventId)"
    )
    assert listed[-1] in active
    # The list works from the keyboard: arrows move, Enter opens.
    session.list_ready()
    listed = rows.evaluate_all("rs => rs.map(r => r.dataset.eventId)")  # the view moved
    rows.first.focus()
    session.page.keyboard.press("ArrowDown")
    assert session.eval("document.activeElement.dataset.eventId") == listed[1]
    session.page.keyboard.press("Enter")
    session.page.wait_for_timeout(300)
    popup.wait_for()
    assert popup.locator(f'[data-event-id="{listed[1]}"]').count() == 1
    assert session.eval("document.activeElement.dataset.eventId") == listed[1]
    # Sorting by place changes the order, not the set.
    session.page.locator(".frontline-sort").select_option("place")
    session.list_ready()
    by_place = rows.evaluate_all("rs => rs.map(r => r.dataset.eventId)")
    assert sorted(by_place) == sorted(listed)
    session.check_clean()


def test_search_and_source_filters(session, events):
    session.page.locator(".frontline-cumulative input").check()
    last = max(events["date"].map(_day))
    session.set_day(last)
    session.page.locator(".frontline-search").fill("nikopol")
    session.page.locator(".frontline-search").press("Enter")
    ids = set(session.eval(f"{session.js}.visibleIds()"))
    want = expected_ids(events, last, cumulative=True) & set(
        events.loc[events["place"] == "Nikopol", "event_id"]
    )
    assert ids == want and ids
    session.page.locator(".frontline-search").fill("")
    session.page.locator(".frontline-search").press("Enter")
    options = session.page.locator(".frontline-source-filter option").all_inner_texts()
    assert options == ["All sources", "Example News"]
    session.check_clean()


def test_csv_download_of_the_list(session, events):
    last = max(events["date"].map(_day))
    session.set_day(last)
    with session.page.expect_download() as info:
        session.page.locator(".frontline-csv").click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["event_id"] for r in rows} == expected_ids(events, last)
    for r in rows:  # article text cannot become a formula in a spreadsheet
        assert not r["quote"].startswith(("=", "+", "@"))
    session.check_clean()


class AreaGazetteer(StandInGazetteer):
    """The stand-in layers plus the shape of one oblast, for events placed at it."""

    def geometry(self, place_id):
        from shapely.geometry import Point, box

        return box(36.5, 46.9, 38.9, 49.3) if place_id == "r:05" else Point(0, 0)


def test_region_event_drawn_as_an_area(browser, tmp_path, events):
    area_events = events.copy()
    area_events.loc[:3, ["place_id", "place", "kind", "geo_precision"]] = [
        "r:05",
        "Donetsk Oblast",
        "region",
        3,
    ]
    path = save_map(
        build_map(area_events, gazetteer=AreaGazetteer(), tiles=False, cumulative=True),
        tmp_path / "map.html",
    )
    s = Session(browser, path)
    try:
        s.set_day(max(events["date"].map(_day)))
        assert s.page.locator("path.frontline-area").count() == 1
        shown = expected_ids(area_events, s.eval(f"{s.js}.current"), cumulative=True)
        region_ids = set(area_events.loc[:3, "event_id"]) & shown
        assert region_ids
        # not drawn as points: the canvas holds only the other events
        assert s.eval(f"{s.js}.ndrawn") == len(shown - region_ids)
        assert "Outlined area" in s.page.locator(".frontline-legend").inner_text()
        s.page.locator("path.frontline-area").click(position={"x": 30, "y": 30})
        s.page.locator(".leaflet-popup-content").wait_for()
        popup_ids = s.page.locator(".leaflet-popup-content .frontline-event").evaluate_all(
            "es => es.map(e => e.dataset.eventId)"
        )
        assert set(popup_ids) == region_ids
        s.check_clean()
    finally:
        s.page.close()


def _assert_apart(s, selectors, width, height):
    boxes = [b for b in _boxes(s, selectors) if b]
    assert len(boxes) == len(selectors), boxes
    for k, a in enumerate(boxes):
        assert a[1] >= 0 and a[3] <= width and a[2] >= 0 and a[4] <= height, a
        for b in boxes[k + 1 :]:
            apart = a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]
            assert apart, (a, b)


def test_phone_layout_has_no_overlaps(browser, real_map):
    s = Session(browser, real_map, viewport=(390, 844))
    try:
        controls = [
            ".frontline-timebar",
            ".frontline-panel",
            ".leaflet-control-zoom",
            ".leaflet-control-layers",
            ".frontline-legend",
            ".leaflet-control-attribution",
            ".leaflet-control-scale",
        ]
        _assert_apart(s, [c for c in controls if c != ".leaflet-control-scale"], 390, 844)
        s.page.locator(".frontline-panel-toggle").click()  # the list opens as a bottom sheet
        s.list_ready()
        _assert_apart(s, [c for c in controls if c != ".leaflet-control-scale"], 390, 844)
        sheet = _boxes(s, [".frontline-panel"])[0]
        assert sheet[3] - sheet[1] == 390 and s.page.locator(".frontline-row").count() > 0
        s.page.locator(".frontline-legend summary").click()  # the legend opens
        _assert_apart(s, [".frontline-legend", ".frontline-panel", ".frontline-timebar"], 390, 844)
        s.page.locator(".frontline-legend summary").click()
        slider = _boxes(s, ["input.frontline-slider"])[0]
        assert slider[3] - slider[1] > 340  # the slider keeps the phone's width
        # A popup fits the screen.
        index = s.eval(f"{s.js}.visibleIndices()[0]")
        x, y = s.eval(f"(i) => {s.js}.screenPoint(i)", index)
        s.eval(f"(i) => {s.js}.openEvent(i)", index)
        s.page.wait_for_timeout(600)  # the map pans the popup into view
        popup = _boxes(s, [".leaflet-popup-content-wrapper"])[0]
        assert popup[1] >= 0 and popup[3] <= 390, popup
        s.page.screenshot(path=str(real_map.with_name("phone.png")))
        s.check_clean()
    finally:
        s.page.close()


def test_slider_bar_keeps_its_width_while_playing(session):
    session.set_day(session.eval(f"{session.js}.dayMin"))
    width = _boxes(session, ["input.frontline-slider"])[0]
    session.page.click("button.frontline-play")
    widths = set()
    for _ in range(10):
        session.page.wait_for_timeout(60)
        widths.add(tuple(round(v) for v in _boxes(session, ["input.frontline-slider"])[0][1:]))
    session.page.click("button.frontline-play")
    assert widths == {tuple(round(v) for v in width[1:])}
    session.check_clean()


def _front_files(tmp_path, first: str, last: str):
    """The same two synthetic snapshots in each supported format."""
    import zipfile

    from shapely.geometry import box, mapping

    def fc(geom, **props):
        return {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": props, "geometry": mapping(geom)}],
        }

    one, two = box(37, 48, 38, 49), box(37, 48, 38.5, 49)
    files = {}
    path = tmp_path / "dated.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [fc(one, date=first)["features"][0], fc(two, date=last)["features"][0]],
            }
        )
    )
    files["geojson"] = [path]
    folder = tmp_path / "archive"
    folder.mkdir()
    for iso, geom in ((first, one), (last, two)):
        (folder / f"deepstatemap_data_{iso.replace('-', '')}.geojson").write_text(
            json.dumps(fc(geom))
        )
    files["folder"] = [folder]
    api = []
    for iso, geom in ((first, one), (last, two)):
        p = tmp_path / f"api_{iso}.json"
        p.write_text(
            json.dumps(
                {"datetime": f"{iso}T06:00:00Z", "map": fc(geom, name="Окуповано///Occupied")}
            )
        )
        api.append(p)
    files["deepstate-api"] = api

    def kml(geom):
        ring = " ".join(f"{x},{y},0" for x, y in geom.exterior.coords)
        return (
            '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
            "<Folder><name>Assessed Russian-controlled Ukrainian Territory</name><Placemark>"
            f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{ring}</coordinates>"
            "</LinearRing></outerBoundaryIs></Polygon></Placemark></Folder></Document></kml>"
        )

    kmls, kmzs = [], []
    for iso, geom in ((first, one), (last, two)):
        p = tmp_path / f"isw_{iso}.kml"
        p.write_text(kml(geom))
        kmls.append(p)
        z = tmp_path / f"isw_{iso}.kmz"
        with zipfile.ZipFile(z, "w") as archive:
            archive.writestr("doc.kml", kml(geom))
        kmzs.append(z)
    files["kml"], files["kmz"] = kmls, kmzs
    return files


@pytest.mark.parametrize("kind", ["geojson", "folder", "deepstate-api", "kml", "kmz"])
def test_each_frontline_format_loads_and_follows_the_date(browser, tmp_path, events, kind):
    days = sorted(events["date"].map(_day))
    first, last = events["date"].min(), events["date"].max()
    paths = _front_files(tmp_path, first, last)[kind]
    path = save_map(
        build_map(
            events, gazetteer=StandInGazetteer(), tiles=False, frontline=paths, frontline_days=2
        ),
        tmp_path / "map.html",
    )
    s = Session(browser, path)
    try:
        fronts = "document.querySelectorAll('path.frontline-front').length"
        s.set_day(days[0])
        assert s.eval(fronts) == 1
        first_label = s.page.locator(".frontline-snapshot").inner_text()
        s.set_day(days[-1])
        assert s.eval(fronts) == 1
        last_label = s.page.locator(".frontline-snapshot").inner_text()
        assert first_label != last_label and last_label.endswith("km²")
        assert first_label.startswith(f"front line: {first}")
        s.set_day(days[0] - 1) if days[0] > s.eval(f"{s.js}.dayMin") else None
        legend = s.page.locator(".frontline-legend").inner_text()
        layer = {
            "deepstate-api": "Occupied",
            "kml": "Assessed Russian-controlled",
            "kmz": "Assessed Russian-controlled",
        }.get(kind, "Front line")
        assert layer in legend
        s.check_clean()
    finally:
        s.page.close()


def test_frontline_expires(browser, tmp_path, events):
    first = events["date"].min()
    path = tmp_path / "one.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "Feature",
                "properties": {"date": first},
                "geometry": {"type": "LineString", "coordinates": [[37, 48], [38, 49]]},
            }
        )
    )
    out = save_map(
        build_map(
            events, gazetteer=StandInGazetteer(), tiles=False, frontline=path, frontline_days=3
        ),
        tmp_path / "map.html",
    )
    s = Session(browser, out)
    try:
        fronts = "document.querySelectorAll('path.frontline-front').length"
        s.set_day(_day(first) + 2)
        assert s.eval(fronts) == 1
        s.set_day(_day(first) + 3)
        assert s.eval(fronts) == 0
        assert s.page.locator(".frontline-snapshot").inner_text() == ""
        s.check_clean()
    finally:
        s.page.close()


PRESS = ROOT.parent / "shared" / "eval" / "ukraine" / "zelenskyy_press_releases.csv"


def test_press_releases_slider_spans_the_corpus(browser, tmp_path, monkeypatch):
    """On the real press releases the axis follows the corpus and the map opens on events."""
    if not PRESS.exists():
        pytest.skip(f"needs {PRESS} (the shared evaluation data)")
    from typer.testing import CliRunner

    from frontline.cli import app

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = tmp_path / "press.html"
    r = CliRunner().invoke(
        app,
        [
            "map",
            str(PRESS),
            "-o",
            str(out),
            "--save-events",
            str(tmp_path / "events.csv"),
            "--no-cache",
        ],
    )
    assert r.exit_code in (0, 1), r.output
    import pandas as pd

    published = pd.read_csv(PRESS, usecols=["date"])["date"].str.slice(0, 10)
    s = Session(browser, out, viewport=(1280, 800))
    try:
        lo, hi = s.eval(f"[{s.js}.dayMin, {s.js}.dayMax]")
        assert _day(published.min()) - 366 <= lo and hi <= _day(published.max()) + 32
        assert hi - lo < 4 * 366
        assert s.eval(f"{s.js}.visibleCount()") > 0, "the opening view has events"
        assert s.eval(f"{s.js}.ndrawn") + s.page.locator("path.frontline-area").count() > 0
        outliers = s.eval(f"{s.js}.data.outliers.map(i => {s.js}.day[i])")
        assert all(d < lo or d > hi for d in outliers)
        if outliers:
            assert "outside the time axis" in s.page.locator(".frontline-outliers").inner_text()
        s.page.screenshot(path=str(tmp_path / "press.png"))
        s.check_clean()
    finally:
        s.page.close()


def test_dense_places_show_counts_and_every_event(browser, tmp_path):
    many = make_events(160)
    many["sources"] = "Strikes; what we know <https://a.example/1>; Desk <https://b.example/2>"
    path = save_map(
        build_map(many, gazetteer=StandInGazetteer(), tiles=False, cumulative=True),
        tmp_path / "map.html",
    )
    s = Session(browser, path)
    try:
        s.set_day(max(many["date"].map(_day)))
        last = s.eval(f"{s.js}.current")  # the axis ends a month after publication
        shown = many[(many["event_type"] != "statement") & (many["date"].map(_day) <= last)]
        badges = {
            s.eval(f"{s.js}.strings[{s.js}.data.place[{i}]]"): n
            for i, n in s.eval(f"{s.js}.badges")
        }
        assert badges == shown["place"].value_counts().to_dict()
        # The popup of the busiest place reaches every one of its events.
        place, count = max(badges.items(), key=lambda kv: kv[1])
        index = s.eval(
            f"{s.js}.visibleIndices().filter(i => "
            f"{s.js}.strings[{s.js}.data.place[i]] === '{place}').pop()"
        )
        x, y = s.eval(f"(i) => {s.js}.screenPoint(i)", index)
        s.page.mouse.click(x, y)
        popup = s.page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert popup.locator(".frontline-popup-count").inner_text() == f"{count} events here"
        while popup.locator("button.frontline-more").is_visible():
            popup.locator("button.frontline-more").click()
        assert popup.locator(".frontline-event").count() == count
        # "Sources:" entries are links, and a headline with "; " stays whole.
        links = popup.locator(".frontline-event").first.locator(".frontline-others a")
        assert links.all_inner_texts() == ["Strikes; what we know", "Desk"]
        assert links.evaluate_all("as => as.map(a => a.href)") == [
            "https://a.example/1",
            "https://b.example/2",
        ]
        s.check_clean()
    finally:
        s.page.close()


def test_print_layout_keeps_legend_date_and_attribution(session):
    session.page.emulate_media(media="print")
    session.eval("window.dispatchEvent(new Event('beforeprint'))")
    visible = session.eval("""() => ['.frontline-legend', '.frontline-date',
        '.leaflet-control-attribution', '.frontline-panel', '.leaflet-control-zoom']
        .map(sel => { const e = document.querySelector(sel);
                      return e && getComputedStyle(e).display !== 'none' &&
                             e.getBoundingClientRect().height > 0; })""")
    assert visible == [True, True, True, False, False]
    assert session.eval("document.querySelector('.frontline-legend').open") is True
    session.check_clean()


def test_reported_control_rings_follow_the_date(browser, tmp_path):
    import geopandas as gpd

    # Bakhmut is reported captured (Russia) on the 3rd and liberated (Ukraine) on the 9th.
    events = make_events(12)
    events["date"] = [f"2023-05-{d:02d}" for d in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)]
    events["event_type"] = "shelling"
    for row, sub, quote in ((2, "capture", "Russian forces took the town."), (8, "liberation", "")):
        events.loc[row, ["event_type", "sub_event_type", "quote"]] = [
            "territory_change",
            sub,
            quote,
        ]
        events.loc[row, ["place", "latitude", "longitude"]] = ["Bakhmut", 48.595, 38.001]
    events = events.set_geometry(gpd.points_from_xy(events["longitude"], events["latitude"]))
    path = save_map(
        build_map(events, gazetteer=StandInGazetteer(), tiles=False), tmp_path / "map.html"
    )
    s = Session(browser, path)
    try:
        index = s.eval(f"{s.js}.data.control.findIndex(c => c > 0)")  # the capture

        def ring_colour(iso):
            s.set_day(_day(iso))
            x, y = s.eval(f"(i) => {s.js}.screenPoint(i)", index)
            return s.eval(
                """([x, y]) => {
                const c = document.querySelector('canvas.frontline-control-rings');
                const r = window.devicePixelRatio || 1;
                const d = c.getContext('2d').getImageData(Math.round((x + 11) * r),
                                                          Math.round(y * r), 1, 1).data;
                return d[3] < 128 ? null : (d[0] > d[2] ? 'red' : 'blue'); }""",
                [x, y],
            )

        assert [ring_colour(d) for d in ("2023-05-02", "2023-05-05", "2023-05-10")] == [
            None,
            "red",
            "blue",
        ]
        x, y = s.eval(f"(i) => {s.js}.screenPoint(i)", index)
        s.page.mouse.click(x, y)
        head = s.page.locator(".leaflet-popup-content .frontline-control-head")
        assert head.inner_text().startswith("Reported control: held by Ukraine (latest report")
        s.page.hover(".leaflet-control-layers")
        s.page.locator(
            ".leaflet-control-layers-overlays label", has_text="Reported control"
        ).locator("input").uncheck()
        assert s.page.locator("canvas.frontline-control-rings").count() == 0
        s.check_clean()
    finally:
        s.page.close()


def test_packed_data_and_text_chunks_unpack_when_shown(browser, tmp_path, monkeypatch, events):
    """A large map's data and text are compressed; each chunk of text is unpacked when shown."""
    monkeypatch.setattr("frontline.mapbuild._COMPRESS_OVER", 0)
    monkeypatch.setattr("frontline.mapbuild._COMPRESS_TEXT_OVER", 0)
    monkeypatch.setattr("frontline.mapbuild._TEXT_CHUNK", 5)
    path = save_map(
        build_map(events, gazetteer=StandInGazetteer(), tiles=False, cumulative=True),
        tmp_path / "map.html",
    )
    page = path.read_text(encoding="utf-8")
    assert 'type="application/gzip-base64"' in page and "Event 7 at" not in page
    s = Session(browser, path)
    try:
        last = max(events["date"].map(_day))
        s.set_day(last)
        chunks = s.eval(f"{s.js}._chunks.length")
        assert chunks == -(-len(events) // 5)
        s.list_ready()
        rows = s.page.locator(".frontline-row")
        listed = rows.evaluate_all("rs => rs.map(r => r.dataset.eventId)")
        assert set(listed) == expected_ids(events, last, cumulative=True)
        quotes = dict(zip(events["event_id"], events["quote"], strict=True))
        first_quote = rows.first.locator(".frontline-row-quote").inner_text()
        assert first_quote == quotes[listed[0]]
        with s.page.expect_download() as info:  # every listed event's text, unpacked first
            s.page.locator(".frontline-csv").click()
        import csv

        with open(info.value.path(), encoding="utf-8-sig", newline="") as f:
            assert {r["event_id"] for r in csv.DictReader(f)} == set(listed)
        # A marker's popup waits for its chunk; hostile text arrives as text.
        hostile = events["event_id"].iloc[1]
        index = s.eval(f"(id) => {s.js}.indexOfId(id)", hostile)
        s.set_day(_day(events["date"].iloc[1]))
        x, y = s.eval(f"(i) => {s.js}.screenPoint(i)", index)
        s.page.mouse.click(x, y)
        popup = s.page.locator(".leaflet-popup-content")
        popup.wait_for()
        item = popup.locator(f'[data-event-id="{hostile}"]')
        assert item.locator(".frontline-quote").inner_text() == quotes[hostile]
        assert set(s.eval(f"{s.js}.visibleIds()")) == expected_ids(
            events, _day(events["date"].iloc[1]), cumulative=True
        )
        s.check_clean()
    finally:
        s.page.close()
