"""HTML-level tests of frontline.mapbuild: data embedded once, assets inlined, text escaped."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, Point, box

from frontline.errors import EventTableError, GazetteerError, InputNotFoundError, MapError
from frontline.mapbuild import TYPE_STYLES, build_map, save_map

HOSTILE = [
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    "<script>window.__pwned=1;alert(1)</script>",
    '"><svg onload="window.__pwned=1;alert(1)">',
    "</script><script>window.__pwned=1</script>",
]

# The Dnieper through Kyiv, Cherkasy, Kremenchuk, Dnipro, Zaporizhzhia, Nova Kakhovka, Kherson.
DNIEPER = LineString(
    [
        (30.52, 50.45),
        (32.06, 49.44),
        (33.42, 49.07),
        (35.05, 48.46),
        (35.14, 47.84),
        (33.35, 46.75),
        (32.60, 46.63),
        (31.90, 46.60),
    ]
)


class StandInGazetteer:
    """Hand-made context layers behind the Gazetteer's ``layer(name)`` interface."""

    def __init__(
        self,
        river_name: str = "Dnieper",
        extra_river: str = "Siverskyi Donets",
        *,
        reverse: bool = False,
    ):
        self.river_name = river_name
        self.extra_river = extra_river
        self.reverse = reverse  # hand rows out in another order

    def layer(self, name: str) -> gpd.GeoDataFrame:
        if name == "countries":
            rows = [
                ("ne:UKR", "Ukraine", box(22.1, 44.3, 40.2, 52.4)),
                ("ne:MDA", "Moldova", box(26.6, 45.4, 30.1, 48.5)),
            ]
        elif name == "regions":
            rows = [
                ("r:05", "Donetsk Oblast", box(36.5, 46.9, 38.9, 49.3)),
                ("r:08", "Kherson Oblast", box(32.0, 45.9, 35.3, 47.6)),
                ("r:11", "Crimea", box(32.5, 44.4, 36.6, 46.2)),
            ]
        elif name == "rivers":
            rows = [
                ("r:dnieper", self.river_name, DNIEPER),
                (
                    "r:donets",
                    self.extra_river,
                    LineString([(36.6, 50.3), (38.0, 48.9), (39.8, 48.3)]),
                ),
            ]
        else:
            raise GazetteerError(f"unknown layer {name!r}")
        if self.reverse:
            rows.reverse()
        ids, names, geoms = zip(*rows, strict=True)
        return gpd.GeoDataFrame(
            {"place_id": ids, "name": names, "kind": "x"}, geometry=list(geoms), crs="EPSG:4326"
        )


PLACES = [
    ("Kherson", 32.617, 46.636, "Kherson Oblast"),
    ("Bakhmut", 38.001, 48.595, "Donetsk"),
    ("Nikopol", 34.404, 47.567, "Dnipropetrovsk"),
    ("Kyiv", 30.524, 50.450, "Kyiv"),
]


def make_events(
    n: int = 40, *, start: str = "2023-05-01", hostile: bool = False, seed: int = 7
) -> gpd.GeoDataFrame:
    """Synthetic events: n rows over ~n/2 days cycling through places and types."""
    import random

    rng = random.Random(seed)
    day0 = date.fromisoformat(start)
    types = list(TYPE_STYLES)
    rows = []
    for k in range(n):
        name, lon, lat, admin1 = PLACES[k % len(PLACES)]
        quote = f"Event {k} at {name}: shelling reported."
        title = f"Report {k}"
        url = f"https://news.example/{k}"
        if hostile and k < len(HOSTILE):
            quote, title, url = HOSTILE[k], HOSTILE[-1 - k], "javascript:window.__pwned=1"
        rows.append(
            {
                "event_id": f"ev{k:04d}",
                "date": (day0 + timedelta(days=rng.randrange(n // 2 + 1))).isoformat(),
                "time_precision": 1 + k % 3,
                "place_id": f"p:{name}",
                "place": name,
                "kind": "city",
                "admin1": admin1,
                "country_code": "UA",
                "latitude": lat,
                "longitude": lon,
                "geo_precision": 1,
                "event_type": types[k % len(types)],
                "sub_event_type": "",
                "article_id": f"a{k}",
                "title": title,
                "source": "Example News",
                "url": url,
                "published": start,
                "quote": quote,
                "confidence": 0.9,
                "sources": f"Other Desk; https://other.example/{k}; javascript:alert({k})",
                "n_sources": 3,
                "corrected": False,
                "correction": "",
            }
        )
    frame = gpd.GeoDataFrame(
        rows, geometry=[Point(r["longitude"], r["latitude"]) for r in rows], crs="EPSG:4326"
    )
    return frame


def payload_of(page: str) -> dict:
    """The event JSON block of a rendered page."""
    blocks = re.findall(
        r'<script type="application/json" id="[^"]+_data">(.*?)</script>', page, re.S
    )
    assert len(blocks) == 1, "the event data must be embedded exactly once"
    return json.loads(blocks[0])


def text_chunks_of(page: str) -> list[dict]:
    """The chunks of event text of a rendered page (unpacked when compressed)."""
    import base64
    import gzip

    blocks = re.findall(
        r'<script type="application/json" id="[^"]+_text">(.*?)</script>', page, re.S
    )
    assert len(blocks) == 1, "the event text must be embedded exactly once"
    return [
        json.loads(gzip.decompress(base64.b64decode(c))) if isinstance(c, str) else c
        for c in json.loads(blocks[0])
    ]


def texts_of(page: str, column: str) -> list[str]:
    """One column of event text ('quote', 'title', 'url', 'id', ...), in the page's order."""
    out = []
    for chunk in text_chunks_of(page):
        out.extend(
            k if isinstance(k, str) else chunk["strings"][k] if k >= 0 else ""
            for k in chunk[column]
        )
    return out


@pytest.fixture
def gaz() -> StandInGazetteer:
    return StandInGazetteer()


def render(events, **options) -> str:
    options.setdefault("gazetteer", StandInGazetteer())
    return build_map(events, **options).get_root().render()


# ----------------------------------------------------------------------------- structure


def test_returns_folium_map_with_slider_and_sorted_data(gaz):
    import folium

    events = make_events(40)
    m = build_map(events, gazetteer=gaz, tiles=False)
    assert isinstance(m, folium.Map)
    page = m.get_root().render()
    assert len(re.findall(r"FrontlineTime\.attach\(map_", page)) == 1
    data = payload_of(page)
    assert len(data["day"]) == 40
    assert data["day"] == sorted(data["day"])
    expected = sorted((date.fromisoformat(d) - date(1970, 1, 1)).days for d in events["date"])
    assert data["day"] == expected
    assert data["dayMin"] == expected[0] and data["dayMax"] == expected[-1]
    assert data["window"] == 7 and data["cumulative"] is False
    # every event keeps its own position, type and texts after sorting
    by_id = {r.event_id: r for r in events.itertuples()}
    columns = {c: texts_of(page, c) for c in ("id", "title", "quote", "url")}
    columns["place"] = [data["strings"][k] for k in data["place"]]
    text = lambda column, k: columns[column][k]  # noqa: E731
    for k in range(len(data["day"])):
        row = by_id[text("id", k)]
        assert (data["lat"][k], data["lon"][k]) == (round(row.latitude, 5), round(row.longitude, 5))
        assert data["types"][data["type"][k]]["key"] == row.event_type
        assert (text("title", k), text("quote", k), text("url", k), text("place", k)) == (
            row.title,
            row.quote,
            row.url,
            row.place,
        )
        assert data["tp"][k] == row.time_precision and data["nsrc"][k] == row.n_sources


def test_event_text_embedded_once(gaz):
    events = make_events(12)
    events.loc[3, "quote"] = "A quote that appears in two events."
    events.loc[5, "quote"] = "A quote that appears in two events."
    page = render(events, tiles=False)
    assert page.count("A quote that appears in two events.") == 1
    assert page.count("Event 7 at") == 1


def test_offline_page_inlines_every_asset(gaz):
    page = render(make_events(10), tiles=False)
    assert not re.search(r"<script[^>]*\ssrc=", page)
    assert not re.search(r"<link[^>]*\shref=", page)
    assert "cdn.jsdelivr" not in page and "bootstrap" not in page.lower()
    assert "url(data:image/png;base64," in page
    assert "url(images/" not in page
    assert "sourceMappingURL" not in page
    assert "tile.openstreetmap.org" not in page
    assert "L.Icon.Default.imagePath" in page


def test_tiles_layer_has_attribution(gaz):
    page = render(make_events(10), tiles=True)
    assert "tile.openstreetmap.org" in page
    assert "OpenStreetMap" in page and "contributors" in page


def test_cdn_mode_links_leaflet_and_is_smaller(gaz):
    offline = render(make_events(10), tiles=False)
    online = render(make_events(10), tiles=False, cdn=True)
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js">' in online
    assert "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css" in online
    assert len(online) < len(offline) - 100_000
    assert re.search(r"FrontlineTime\.attach\(map_", online)  # the own control stays inline


def test_context_layers_and_named_dnieper(gaz):
    page = render(make_events(5), tiles=False)
    for layer in ("Countries", "Oblasts", "Rivers"):
        assert f'"{layer}"' in page  # entries of the layer control
    # Names reach the page only inside the JSON data block, never through folium's templates.
    assert page.count("Donetsk Oblast") == 1
    assert ["Donetsk Oblast", 2, 5, 8] == [
        label[k]
        for label in payload_of(page)["labels"]
        if label[0] == "Donetsk Oblast"
        for k in (0, 3, 4, 5)
    ]
    # two labels along the river, markup JSON-escaped inside folium's script
    assert page.count('frontline-river-label\\"\\u003eDnieper\\u003c/div') == 2


def test_missing_dnieper_warns():
    with pytest.warns(UserWarning, match="no Dnieper"):
        render(make_events(5), gazetteer=StandInGazetteer(river_name="Dniester"), tiles=False)


# ----------------------------------------------------------------------------- hostile text


def test_hostile_text_is_escaped_and_round_trips(gaz):
    events = make_events(10, hostile=True)
    page = render(events, tiles=False, title="<script>alert('title')</script>")
    for text in HOSTILE:
        assert text not in page
    assert "<img src=x" not in page and "<svg onload" not in page
    assert page.lower().count("<script") == page.lower().count("</script>")
    data = payload_of(page)
    strings = {t for column in ("quote", "title") for t in texts_of(page, column)}
    for text in HOSTILE:
        assert text in strings  # shown to the reader as the exact text
    assert data["mapTitle"] == "<script>alert('title')</script>"


def test_script_urls_dropped(gaz):
    events = make_events(10, hostile=True)
    events.loc[5, "url"] = " JaVa\tScRiPt:alert(1)"
    events.loc[6, "url"] = "data:text/html,<script>alert(1)</script>"
    events.loc[7, "url"] = "//evil.example/protocol-relative"
    page = render(events, tiles=False)
    urls = [u for u in texts_of(page, "url") if u]
    assert urls and all(u.startswith("https://news.example/") for u in urls)
    others = [o for o in texts_of(page, "others") if o]
    assert others and not any("javascript" in o.lower() for o in others)
    assert all("https://other.example/" in o for o in others)


@pytest.mark.parametrize("text", ["{{ 7*7 }}", "{% if x %}", "{# c", "{{ cycler.__init__ }}"])
def test_template_syntax_in_articles_stays_text(gaz, text):
    """folium re-reads rendered scripts as Jinja templates: article text must not reach it."""
    events = make_events(6)
    events.loc[2, "quote"] = f"before {text} after"
    events.loc[3, "title"] = text
    page = render(events, tiles=False, title=text)
    data = payload_of(page)
    assert f"before {text} after" in texts_of(page, "quote") and text in texts_of(page, "title")
    assert data["mapTitle"] == text
    assert "before 49 after" not in page


def test_hostile_river_name_is_escaped():
    page = render(make_events(5), gazetteer=StandInGazetteer(extra_river=HOSTILE[0]), tiles=False)
    assert HOSTILE[0] not in page and "<img src=x" not in page


# ----------------------------------------------------------------------------- options


def test_statements_hidden_unless_asked(gaz):
    events = make_events(30)
    data = payload_of(render(events, tiles=False))
    on = {t["key"]: t["on"] for t in data["types"]}
    assert on["statement"] is False and on["shelling"] is True
    data = payload_of(render(events, tiles=False, show_types=["statement"]))
    on = {t["key"]: t["on"] for t in data["types"]}
    assert on == {k: k == "statement" for k in on}
    counts = {t["key"]: t["count"] for t in data["types"]}
    assert counts == events["event_type"].value_counts().to_dict()


@pytest.mark.parametrize(
    "options, message",
    [
        ({"show_types": ["shellings"]}, "unknown event type"),
        ({"window_days": 0}, "window_days"),
        ({"window_days": 2.5}, "window_days"),
    ],
)
def test_bad_options(gaz, options, message):
    with pytest.raises(MapError, match=message):
        build_map(make_events(5), gazetteer=gaz, **options)


def test_window_and_cumulative_passed_to_page(gaz):
    data = payload_of(render(make_events(5), tiles=False, window_days=30, cumulative=True))
    assert data["window"] == 30 and data["cumulative"] is True


def test_event_table_object_and_other_crs(gaz):
    class Table:
        def __init__(self, gdf):
            self.gdf = gdf

    events = make_events(8)
    plain = payload_of(render(Table(events), tiles=False))
    mercator = payload_of(render(events.to_crs(3857), tiles=False))
    assert plain["lat"] == mercator["lat"] and plain["lon"] == mercator["lon"]


@pytest.mark.parametrize(
    "convert",
    [
        lambda s: s.map(date.fromisoformat),
        lambda s: s.astype("datetime64[s]"),
        lambda s: s.astype("datetime64[s]").dt.tz_localize("Europe/Kyiv"),
        lambda s: s + "T01:30:00+03:00",  # early morning in Kyiv is still that day
        lambda s: s + " 23:59",
    ],
    ids=["date", "datetime64", "tz-aware", "iso-offset", "with-time"],
)
def test_date_forms_give_the_same_days(gaz, convert):
    events = make_events(12)
    expected = payload_of(render(events, tiles=False))["day"]
    events["date"] = convert(events["date"])
    assert payload_of(render(events, tiles=False))["day"] == expected


def test_plain_dataframe_with_coordinates(gaz):
    import pandas as pd

    events = make_events(7)
    frame = pd.DataFrame(events.drop(columns="geometry"))
    assert payload_of(render(frame, tiles=False))["lat"] == payload_of(render(events))["lat"]


def test_unusable_rows_are_left_out_with_a_warning(gaz):
    events = make_events(6)
    events.loc[0, "date"] = "not a date"
    events.loc[1, "geometry"] = None
    events.loc[1, "latitude"] = float("nan")
    events.loc[2, "event_type"] = "no_such_type"
    with pytest.warns(UserWarning, match="2 of 6 events"):
        data = payload_of(render(events, tiles=False))
    assert len(data["day"]) == 4
    assert "other" in {t["key"] for t in data["types"]}


def test_not_a_table():
    with pytest.raises(EventTableError, match="GeoDataFrame"):
        build_map([1, 2, 3], gazetteer=StandInGazetteer())


def test_empty_table_still_maps(gaz):
    data = payload_of(render(make_events(4).iloc[0:0], tiles=False))
    assert data["day"] == [] and data["types"] == []


# ----------------------------------------------------------------------------- snapshots


def _fc(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def _feature(geom, **props):
    return {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)}


def test_frontline_snapshots_reach_the_page(tmp_path, gaz):
    first = tmp_path / "a.geojson"
    first.write_text(
        json.dumps(
            _fc(_feature(box(36, 47, 38, 48), date="2023-05-02", layer="Assessed Russian Advances"))
        )
    )
    data = payload_of(render(make_events(10), frontline=first, tiles=False, frontline_days=5))
    (snap,) = data["frontline"]
    day = (date(2023, 5, 2) - date(1970, 1, 1)).days
    assert (snap["from"], snap["to"], snap["style"]) == (day, day + 4, "advances")
    assert snap["label"].startswith("2023-05-02 · Assessed Russian Advances: ")
    assert set(data["frontStyles"]) >= {"occupied", "advances", "claimed", "line"}


def test_bad_frontline_file_is_a_map_error(tmp_path, gaz):
    path = tmp_path / "bad.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", '
        '"properties": {"date": "2023-05-01"}, "geometry": {"type": "LineString", '
        '"coordinates": [[30, 50], [NaN, 51]]}}]}'
    )
    with pytest.raises(MapError, match="bad.geojson"):
        build_map(make_events(3), gazetteer=gaz, frontline=path)


def test_missing_frontline_file(tmp_path, gaz):
    with pytest.raises(InputNotFoundError, match="does not exist"):
        build_map(make_events(3), gazetteer=gaz, frontline=tmp_path / "nope.geojson")


# ----------------------------------------------------------------------------- saving


def test_save_is_deterministic(tmp_path):
    a = save_map(build_map(make_events(20), gazetteer=StandInGazetteer()), tmp_path / "a.html")
    b = save_map(build_map(make_events(20), gazetteer=StandInGazetteer()), tmp_path / "b.html")
    assert a.read_bytes() == b.read_bytes()
    c = save_map(
        build_map(make_events(20, seed=8), gazetteer=StandInGazetteer()), tmp_path / "c.html"
    )
    assert c.read_bytes() != a.read_bytes()


def test_save_does_not_depend_on_layer_order(tmp_path):
    a = save_map(build_map(make_events(9), gazetteer=StandInGazetteer()), tmp_path / "a.html")
    b = save_map(
        build_map(make_events(9), gazetteer=StandInGazetteer(reverse=True)), tmp_path / "b.html"
    )
    assert a.read_bytes() == b.read_bytes()


def test_failed_save_keeps_the_old_file(tmp_path, gaz, monkeypatch):
    target = tmp_path / "out" / "map.html"
    save_map(build_map(make_events(5), gazetteer=gaz), target)
    good = target.read_bytes()
    m = build_map(make_events(9), gazetteer=gaz)
    monkeypatch.setattr("frontline.mapbuild.atomic_write", _failing_writer)
    with pytest.raises(OSError, match="disk full"):
        save_map(m, target)
    assert target.read_bytes() == good
    assert [p.name for p in target.parent.iterdir()] == ["map.html"]


def _failing_writer(target, *args, **kwargs):
    """An atomic writer whose write fails halfway, as a full disk would."""
    import contextlib

    from frontline.outputs import atomic_write

    @contextlib.contextmanager
    def broken():
        with atomic_write(target, *args, **kwargs) as f:
            f.write("<!DOCTYPE html><html>half")
            raise OSError("disk full")
            yield f  # pragma: no cover

    return broken()


def test_jupyter_repr_is_self_contained(gaz):
    m = build_map(make_events(5), gazetteer=gaz, tiles=False)
    iframe = m._repr_html_()
    assert "srcdoc=" in iframe and "FrontlineTime.attach(" in iframe
    assert "cdn.jsdelivr" not in iframe


def test_data_attribution_is_on_the_map(tmp_path):
    from frontline.mapbuild import DATA_ATTRIBUTION

    path = save_map(
        build_map(make_events(3), gazetteer=StandInGazetteer(), tiles=False), tmp_path / "m.html"
    )
    assert json.dumps(DATA_ATTRIBUTION) in path.read_text(encoding="utf-8")


def test_time_axis_lists_outliers_and_historical_events(gaz):
    events = make_events(20)
    events["historical"] = False
    events.loc[0, "date"] = "1939-09-01"
    events.loc[1, "date"] = "2102-01-01"
    events.loc[2, "historical"] = True
    events["date"] = events["date"].astype("datetime64[s]")  # helper api's datetime column
    page = render(events, tiles=False)
    data = payload_of(page)
    ids = texts_of(page, "id")
    outliers = {ids[i] for i in data["outliers"]}
    assert outliers == {"ev0000", "ev0001", "ev0002"}
    rest = events[~events["event_id"].isin(outliers)]
    day = lambda ts: (ts.date() - date(1970, 1, 1)).days  # noqa: E731
    assert (data["dayMin"], data["dayMax"]) == (day(rest["date"].min()), day(rest["date"].max()))
    # The page opens on the busiest window, never an empty day.
    shown = rest[rest["event_type"] != "statement"]["date"].map(day)
    in_window = ((shown <= data["openDay"]) & (shown > data["openDay"] - 7)).sum()
    best = max(
        ((shown <= d) & (shown > d - 7)).sum() for d in range(data["dayMin"], data["dayMax"] + 1)
    )
    assert in_window == best > 0


def test_sources_keep_headlines_whole_and_links(gaz):
    events = make_events(2)
    events["sources"] = (
        "Strikes; what we know <https://a.example/1>; Kyiv Independent "
        "<https://b.example/2>; javascript:alert(1)"
    )
    others = texts_of(render(events, tiles=False), "others")[0]
    assert others.split("\n") == [
        "Strikes; what we know\thttps://a.example/1",
        "Kyiv Independent\thttps://b.example/2",
    ]
