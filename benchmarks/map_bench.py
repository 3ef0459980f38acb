"""Benchmark the event map against folium's stock TimestampedGeoJson, in headless Chromium.

Synthetic events (default 100,000 over two years, on 2,000 places with long-tailed
frequencies, as geocoded events are) are mapped twice in the same run:
with :func:`frontline.mapbuild.build_map` and with ``folium.plugins.TimestampedGeoJson``
(stock options, a circle marker and a popup per event). For each: HTML size, Python
build+save time, time to first render (navigation start to the first painted frame
with markers) and time per slider step (the step itself until the next frame), over
the same random sequence of days. Smaller sizes are measured too, because the stock
plugin may not finish at 100,000.

Everything runs offline: every request is routed; Leaflet comes from
``frontline/static``, the stock plugin's scripts from ``geodata/_work/bench`` (run
``python geodata/vendor_static.py --bench`` once), anything else is aborted and
counted.

Usage::

    .venv/bin/python benchmarks/map_bench.py                 # 1k, 10k, 100k
    .venv/bin/python benchmarks/map_bench.py --sizes 100000 --steps 30 --json out.json
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BENCH_ASSETS = ROOT / "geodata" / "_work" / "bench"
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # frames as fast as they render, so 'frame' times measure work, not vsync
    "--disable-gpu-vsync",
    "--disable-frame-rate-limit",
]
LEAFLET_CDN = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/"
EMPTY_OK = ("jquery-ui.min.js", "highlight.js")  # not needed by TimeDimension

#: Towns along the front and behind it (lon, lat): facts, for a plausible spread.
TOWNS = [
    (32.62, 46.64),
    (38.00, 48.60),
    (34.40, 47.57),
    (30.52, 50.45),
    (36.23, 49.99),
    (35.14, 47.84),
    (35.05, 48.46),
    (37.55, 47.10),
    (37.62, 48.28),
    (37.18, 48.28),
    (37.76, 48.04),
    (37.84, 48.85),
    (37.60, 48.85),
    (38.44, 48.91),
    (37.63, 49.71),
    (37.26, 49.21),
    (33.35, 46.75),
    (34.37, 47.49),
    (35.44, 47.52),
    (31.99, 46.97),
    (30.73, 46.48),
    (24.03, 49.84),
    (28.47, 49.23),
    (32.06, 49.44),
    (33.42, 49.07),
    (35.92, 47.42),
    (36.37, 47.39),
    (35.78, 47.27),
    (38.10, 48.43),
    (37.35, 48.52),
]
PLACES = 2000  # distinct places events are geocoded to
TYPES = [
    "shelling",
    "air_drone_strike",
    "missile_strike",
    "armed_clash",
    "territory_change",
    "civilian_harm",
    "evacuation",
    "infrastructure",
    "statement",
    "other",
]
WEIGHTS = [0.3, 0.15, 0.1, 0.15, 0.05, 0.08, 0.04, 0.06, 0.04, 0.03]
WORDS = (
    "forces shelling reported artillery village outskirts overnight officials regional "
    "governor drones strike damaged residential building infrastructure power civilians "
    "wounded evacuated positions advance repelled attack near river bank settlement"
).split()


def synthetic_events(n: int, *, days: int = 730, start: str = "2022-02-24", seed: int = 1):
    """n events over `days` days with towns, types, quotes, titles and URLs."""
    import geopandas as gpd
    import pandas as pd

    rng = np.random.default_rng(seed)
    # Geocoded events sit on gazetteer points: the towns plus villages near the front,
    # reported with a long-tailed (Zipf-like) frequency.
    villages = np.column_stack(
        [rng.uniform(33.0, 39.5, PLACES - len(TOWNS)), rng.uniform(46.5, 50.2, PLACES - len(TOWNS))]
    )
    places = np.vstack([np.array(TOWNS), villages])
    weights = 1.0 / np.arange(1, PLACES + 1)
    town = rng.choice(PLACES, n, p=weights / weights.sum())
    lon, lat = places[town, 0].round(4), places[town, 1].round(4)
    day = pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, days, n), unit="D")
    kinds = rng.choice(TYPES, n, p=WEIGHTS)
    lengths = rng.integers(8, 30, n)
    vocab = np.array(WORDS)
    quotes = [" ".join(vocab[rng.integers(0, len(vocab), k)]).capitalize() + "." for k in lengths]
    frame = pd.DataFrame(
        {
            "event_id": [f"ev{k:07d}" for k in range(n)],
            "date": day.strftime("%Y-%m-%d"),
            "time_precision": rng.choice([1, 2, 3], n, p=[0.8, 0.15, 0.05]),
            "place": [f"Place {t}" for t in town],
            "admin1": "Oblast",
            "latitude": lat,
            "longitude": lon,
            "geo_precision": 1,
            "event_type": kinds,
            "sub_event_type": "",
            "title": [f"Report {k}" for k in range(n)],
            "source": "Example News",
            "url": [f"https://news.example/{k}" for k in range(n)],
            "quote": quotes,
            "sources": "",
            "n_sources": 1,
        }
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


class _MiniGazetteer:
    """A tiny stand-in when the bundled gazetteer data is not built yet."""

    def layer(self, name):
        import geopandas as gpd
        from shapely.geometry import LineString, box

        geom = {
            "countries": box(22.1, 44.3, 40.2, 52.4),
            "regions": box(36.5, 46.9, 38.9, 49.3),
            "rivers": LineString(
                [
                    (30.52, 50.45),
                    (32.06, 49.44),
                    (33.42, 49.07),
                    (35.05, 48.46),
                    (35.14, 47.84),
                    (33.35, 46.75),
                    (32.6, 46.63),
                ]
            ),
        }
        if name not in geom:
            from frontline.errors import GazetteerError

            raise GazetteerError(name)
        return gpd.GeoDataFrame(
            {"place_id": [name], "name": ["Dnieper"], "kind": ["x"]},
            geometry=[geom[name]],
            crs="EPSG:4326",
        )


def gazetteer():
    """The bundled gazetteer if its data is built, else the stand-in (and which one)."""
    try:
        from frontline.gazetteer import Gazetteer

        gaz = Gazetteer.load()
        gaz.layer("rivers")
        return gaz, "bundled"
    except Exception as err:  # noqa: BLE001 - the benchmark reports and goes on
        return _MiniGazetteer(), f"stand-in ({type(err).__name__})"


def build_ours(events, out: Path, gaz) -> float:
    from frontline.mapbuild import build_map, save_map

    t0 = time.perf_counter()
    save_map(build_map(events, gazetteer=gaz, tiles=False), out)
    return time.perf_counter() - t0


def build_stock(events, out: Path) -> float:
    """The same events with folium's TimestampedGeoJson: one circle marker and popup each."""
    import folium
    from folium.plugins import TimestampedGeoJson

    from frontline.mapbuild import TYPE_STYLES

    t0 = time.perf_counter()
    features = []
    for row in events[["longitude", "latitude", "date", "event_type", "quote"]].itertuples():
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row.longitude, row.latitude]},
                "properties": {
                    "times": [row.date],
                    "popup": html.escape(row.quote),
                    "icon": "circle",
                    "iconstyle": {
                        "fillColor": TYPE_STYLES[row.event_type].color,
                        "fillOpacity": 0.8,
                        "stroke": "true",
                        "radius": 6,
                    },
                },
            }
        )
    west, south, east, north = events.total_bounds
    m = folium.Map(tiles=None)
    m.default_js = [("leaflet", LEAFLET_CDN + "leaflet.js")]
    m.default_css = [("leaflet_css", LEAFLET_CDN + "leaflet.css")]
    TimestampedGeoJson(
        {"type": "FeatureCollection", "features": features},
        period="P1D",
        duration="P7D",
        add_last_point=False,
        auto_play=False,
        loop=False,
        date_options="YYYY-MM-DD",
    ).add_to(m)
    m.fit_bounds([[south, west], [north, east]])  # folium: (lat, lon)
    m.save(str(out))
    return time.perf_counter() - t0


class Router:
    """Serve vendored files for CDN addresses; abort and count everything else."""

    def __init__(self, page_url: str):
        self.page_url = page_url
        self.aborted: list[str] = []
        mapping = BENCH_ASSETS / "cdn_map.json"
        self.cdn = json.loads(mapping.read_text()) if mapping.exists() else {}

    def __call__(self, route):
        url = route.request.url
        if url == self.page_url:
            return route.continue_()
        if url.startswith(LEAFLET_CDN):
            local = ROOT / "src" / "frontline" / "static" / "leaflet" / url[len(LEAFLET_CDN) :]
            if local.exists():
                return route.fulfill(path=str(local))
        if url in self.cdn:
            return route.fulfill(path=str(BENCH_ASSETS / self.cdn[url]))
        if any(name in url for name in EMPTY_OK):
            kind = "text/css" if url.endswith(".css") else "application/javascript"
            return route.fulfill(body="", content_type=kind)
        self.aborted.append(url)
        return route.abort()


NEXT_FRAME = "() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))"

OURS_STEP = """async (days) => {
  const c = FrontlineTime.instances[0], s = document.querySelector('input.frontline-slider');
  const out = [];
  for (const d of days) {
    const t0 = performance.now();
    s.value = String(d - c.dayMin); s.dispatchEvent(new Event('input'));
    const t1 = performance.now();
    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
    out.push([t1 - t0, performance.now() - t0, c.ndrawn]);
  }
  return out;
}"""

OURS_ZOOM = """async (zooms) => {
  const c = FrontlineTime.instances[0], out = [];
  for (const z of zooms) {
    const t0 = performance.now();
    c.map.setZoom(z, {animate: false});
    const t1 = performance.now();
    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
    out.push([t1 - t0, performance.now() - t0, c.ndrawn]);
  }
  return out;
}"""

STOCK_STEP = """async ([mapName, days]) => {
  const map = window[mapName], td = map.timeDimension, out = [];
  for (const d of days) {
    const t0 = performance.now();
    const loaded = new Promise(r => td.once('timeload', r));
    td.setCurrentTime(d * 86400000);
    await loaded;
    const t1 = performance.now();
    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
    out.push([t1 - t0, performance.now() - t0,
              document.querySelectorAll('path.leaflet-interactive').length]);
  }
  return out;
}"""


def measure(browser, path: Path, kind: str, days: list[int], timeout_s: float) -> dict:
    """Open one map, time its first render and the slider steps."""
    import re

    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(timeout_s * 1000)
    router = Router(path.resolve().as_uri())
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.route("**/*", router)
    result: dict = {"html_mb": path.stat().st_size / 1e6}
    try:
        page.goto(router.page_url, wait_until="load")
        if kind == "ours":
            page.wait_for_function("window.FrontlineTime && FrontlineTime.instances.length")
        else:
            page.wait_for_function("document.querySelector('.leaflet-control-timecontrol')")
        page.evaluate(NEXT_FRAME)
        result["first_render_ms"] = page.evaluate("performance.now()")
        if kind == "ours":
            steps = page.evaluate(OURS_STEP, days)
            page.evaluate("document.querySelector('.frontline-cumulative input').click()")
            first, last = page.evaluate(
                "[FrontlineTime.instances[0].dayMin, FrontlineTime.instances[0].dayMax]"
            )
            # playing forward one day at a time (only the new day is drawn)
            play = page.evaluate(
                OURS_STEP, list(range((first + last) // 2, (first + last) // 2 + len(days)))
            )
            result["cumulative_play_ms"] = float(np.median([s[1] for s in play]))
            # stepping back from the last day: a full redraw of (nearly) every event
            jumps = page.evaluate(OURS_STEP, [last, last - 1] * 5)[1::2]
            result["cumulative_back_ms"] = float(np.median([s[1] for s in jumps]))
            result["cumulative_back_sync_ms"] = float(np.median([s[0] for s in jumps]))
            result["cumulative_drawn"] = jumps[0][2]
            # zooming in and out with every event up to the last day drawn
            page.evaluate(OURS_STEP, [last])
            zooms = page.evaluate(OURS_ZOOM, [7, 8, 9, 10, 9, 8, 7, 6, 7, 8])
            result["cumulative_zoom_ms"] = float(np.median([z[1] for z in zooms]))
            result["cumulative_zoom_max_ms"] = float(max(z[1] for z in zooms))
        else:
            map_name = re.search(r"var (map_[0-9a-f]+) = L\.map", path.read_text()).group(1)
            steps = page.evaluate(STOCK_STEP, [map_name, days])
        result["step_sync_ms"] = float(np.median([s[0] for s in steps]))
        result["step_frame_ms"] = float(np.median([s[1] for s in steps]))
        result["step_frame_p95_ms"] = float(np.percentile([s[1] for s in steps], 95))
        result["markers_per_step"] = float(np.mean([s[2] for s in steps]))
    except Exception as err:  # noqa: BLE001 - a timeout is a result here, not a crash
        result["failed"] = f"{type(err).__name__}: {str(err).splitlines()[0][:120]}"
    finally:
        result["aborted_requests"] = sorted(set(router.aborted))
        result["page_errors"] = errors[:3]
        page.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per page")
    parser.add_argument(
        "--stock-max", type=int, default=100000, help="largest size tried with the stock plugin"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"skipped: needs {CHROMIUM} (apt-get install chromium)")
        return 0
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("skipped: needs Playwright for Python (pip install playwright)")
        return 0
    if not (BENCH_ASSETS / "cdn_map.json").exists():
        print(
            "note: stock TimestampedGeoJson not measured, its assets are missing "
            "(python geodata/vendor_static.py --bench)"
        )
        args.stock_max = -1

    gaz, gaz_kind = gazetteer()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        for n in [int(s) for s in args.sizes.split(",")]:
            events = synthetic_events(n)
            day_numbers = sorted(
                set(
                    (
                        (events["date"].astype("datetime64[s]") - np.datetime64("1970-01-01"))
                        // np.timedelta64(1, "D")
                    ).astype(int)
                )
            )
            rng = np.random.default_rng(n)
            days = [int(d) for d in rng.choice(day_numbers, args.steps)]
            ours_path = Path(tmp) / f"ours_{n}.html"
            ours = {"build_s": build_ours(events, ours_path, gaz)}
            ours.update(measure(browser, ours_path, "ours", days, args.timeout))
            rows.append(("frontline", n, ours))
            print(f"frontline {n}: {ours}", file=sys.stderr)
            if n <= args.stock_max:
                stock_path = Path(tmp) / f"stock_{n}.html"
                stock = {"build_s": build_stock(events, stock_path)}
                stock.update(measure(browser, stock_path, "stock", days, args.timeout))
                rows.append(("TimestampedGeoJson", n, stock))
                print(f"stock {n}: {stock}", file=sys.stderr)
        browser.close()

    print(
        f"\nContext layers: {gaz_kind} gazetteer. Steps: {args.steps} random days, median "
        "(p95). 'frame' = slider change until the next painted frame.\n"
    )
    head = (
        f"{'map':<20}{'events':>8}{'HTML MB':>9}{'build s':>9}{'first render ms':>17}"
        f"{'step ms (sync)':>16}{'step ms (frame)':>18}{'markers':>9}"
    )
    print(head)
    print("-" * len(head))
    for name, n, r in rows:
        if "failed" in r and "step_frame_ms" not in r:
            first = f"{r.get('first_render_ms', float('nan')):.0f}"
            print(
                f"{name:<20}{n:>8}{r['html_mb']:>9.1f}{r['build_s']:>9.1f}{first:>17}"
                f"   FAILED: {r['failed']}"
            )
            continue
        frame = f"{r['step_frame_ms']:.1f} ({r['step_frame_p95_ms']:.0f})"
        print(
            f"{name:<20}{n:>8}{r['html_mb']:>9.1f}{r['build_s']:>9.1f}"
            f"{r['first_render_ms']:>17.0f}{r['step_sync_ms']:>16.1f}{frame:>18}"
            f"{r['markers_per_step']:>9.0f}"
        )
    for name, n, r in rows:
        if "cumulative_play_ms" in r:
            print(
                f"frontline {n}, cumulative: play forward {r['cumulative_play_ms']:.1f} ms/step;"
                f" step back from the last day (full redraw of {r['cumulative_drawn']} markers)"
                f" {r['cumulative_back_ms']:.1f} ms (sync {r['cumulative_back_sync_ms']:.1f})"
            )
        if "cumulative_zoom_ms" in r:
            print(
                f"frontline {n}, cumulative: zoom {r['cumulative_zoom_ms']:.1f} ms median, "
                f"{r['cumulative_zoom_max_ms']:.1f} ms worst"
            )
        if name == "frontline" and n >= 100_000 and "step_frame_ms" in r:
            checks = [
                ("first render < 3 s", r["first_render_ms"] < 3000),
                ("slider step < 100 ms", r["step_frame_p95_ms"] < 100),
                ("each zoom (cumulative) < 200 ms", r["cumulative_zoom_max_ms"] < 200),
                ("HTML <= 10 MB", r["html_mb"] <= 10),
            ]
            print(
                f"targets at {n}: "
                + "; ".join(f"{what}: {'met' if ok else 'NOT met'}" for what, ok in checks)
            )
        if r.get("aborted_requests") or r.get("page_errors"):
            print(
                f"{name} {n}: aborted requests {r['aborted_requests']}, "
                f"page errors {r['page_errors']}"
            )
    if args.json:
        from frontline.outputs import atomic_write

        with atomic_write(args.json) as f:
            json.dump([{"map": a, "events": b, **c} for a, b, c in rows], f, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
