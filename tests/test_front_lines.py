"""Tests of frontline.front_lines: every front-line format, dates, expiry, bad coordinates.

The fixtures are tiny synthetic shapes written here; no third-party control data is used.
"""

from __future__ import annotations

import json
import zipfile
from datetime import date

import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, box, mapping

from frontline.errors import InputNotFoundError, MapError
from frontline.front_lines import read_front_lines


def day(iso: str) -> int:
    return (date.fromisoformat(iso) - date(1970, 1, 1)).days


def fc(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def feature(geom, **props):
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def by_label(snaps):
    return {s["label"].split(":")[0]: s for s in snaps}


def test_geojson_dates_multipolygons_and_holes(tmp_path):
    holed = Polygon([(36, 47), (39, 47), (39, 49), (36, 49)], [[(37, 47.5), (38, 47.5), (38, 48)]])
    multi = MultiPolygon([holed, box(33, 46, 34, 46.5)])
    path = tmp_path / "front.geojson"
    path.write_text(
        json.dumps(
            fc(feature(multi, date="2023-05-02"), feature(box(36, 47, 38, 48), date="2023-05-10"))
        )
    )
    snaps = by_label(read_front_lines(path, default_days=3))
    first, second = snaps["2023-05-02 · Front line"], snaps["2023-05-10 · Front line"]
    assert (first["from"], first["to"]) == (day("2023-05-02"), day("2023-05-09"))
    assert (second["from"], second["to"]) == (day("2023-05-10"), day("2023-05-12"))
    geom = shapely.geometry.shape(first["geojson"]["features"][0]["geometry"])
    assert geom.geom_type == "MultiPolygon" and len(geom.geoms) == 2
    assert len(geom.geoms[0].interiors) == 1
    # 3 x 2 degrees at 48 N is about 49,000 km² less the hole, plus the small box
    assert 45_000 < first["area_km2"] < 55_000


def test_valid_from_to_and_layers_styled_apart(tmp_path):
    path = tmp_path / "front.geojson"
    path.write_text(
        json.dumps(
            fc(
                feature(
                    LineString([(35, 47), (38, 49)]), valid_from="2023-05-05", valid_to="2023-05-08"
                ),
                feature(box(36, 47, 37, 48), date="2023-05-05", layer="Claimed Russian Territory"),
            )
        )
    )
    snaps = read_front_lines(path)
    styles = {s["layer"]: (s["style"], s["to"]) for s in snaps}
    assert styles == {
        "Front line": ("line", day("2023-05-08")),
        "Claimed Russian Territory": ("claimed", day("2023-05-05") + 29),
    }
    line = next(s for s in snaps if s["layer"] == "Front line")
    assert line["area_km2"] == 0 and "km²" not in line["label"]


def test_folder_of_dated_files(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    for stamp, east in (("20230601", 38.0), ("20230604", 38.5)):
        (folder / f"deepstatemap_data_{stamp}.geojson").write_text(
            json.dumps(fc(feature(box(37, 48, east, 49))))
        )
    (folder / "notes.txt").write_text("not a front line")
    snaps = read_front_lines(folder)
    assert [(s["from"], s["to"]) for s in snaps] == [
        (day("2023-06-01"), day("2023-06-03")),
        (day("2023-06-04"), day("2023-06-04") + 29),
    ]
    assert snaps[1]["area_km2"] > snaps[0]["area_km2"]


def test_deepstatemap_api_json(tmp_path):
    doc = {
        "id": 1685577600,
        "datetime": "2023-06-01T00:00:00Z",
        "map": fc(
            feature(box(37, 48, 38, 49), name="Окуповано///Occupied"),
            feature(box(38, 48, 38.2, 49), name="Сіра зона///Grey zone"),
            {
                "type": "Feature",
                "properties": {"name": "unit"},
                "geometry": {"type": "Point", "coordinates": [37.5, 48.5]},
            },
        ),
    }
    path = tmp_path / "history_last.json"
    path.write_text(json.dumps(json.dumps(doc)))  # the API answers JSON inside a string
    snaps = read_front_lines(path)
    assert {s["layer"]: s["style"] for s in snaps} == {
        "Occupied": "occupied",
        "Grey zone": "contested",
    }
    assert {s["from"] for s in snaps} == {day("2023-06-01")}
    undated = tmp_path / "snapshot.json"
    undated.write_text(json.dumps({"map": doc["map"], "id": 1685577600}))
    assert {s["from"] for s in read_front_lines(undated)} == {day("2023-06-01")}


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Assessed control {stamp}</name>
<Folder><name>Assessed Russian-controlled Ukrainian Territory</name>
<Placemark><name>area</name><MultiGeometry><Polygon><outerBoundaryIs><LinearRing><coordinates>
37,48,0 38,48,0 38,49,0 37,49,0 37,48,0</coordinates></LinearRing></outerBoundaryIs>
<innerBoundaryIs><LinearRing><coordinates>37.2,48.2 37.4,48.2 37.4,48.4 37.2,48.2
</coordinates></LinearRing></innerBoundaryIs></Polygon></MultiGeometry></Placemark></Folder>
<Folder><name>Assessed Russian Advances in Ukraine</name>
<Placemark><TimeSpan><begin>2023-06-02</begin><end>2023-06-05</end></TimeSpan>
<Polygon><outerBoundaryIs><LinearRing><coordinates>38,48 38.1,48 38.1,48.1 38,48
</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
<Placemark><name>a label</name><Point><coordinates>37.5,48.5</coordinates></Point></Placemark>
</Folder></Document></kml>"""


@pytest.mark.parametrize("suffix", ["kml", "kmz"])
def test_isw_kml_and_kmz_keep_layer_names(tmp_path, suffix):
    text = KML.format(stamp="")
    path = tmp_path / f"isw_2023-06-01.{suffix}"
    if suffix == "kmz":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("doc.kml", text)
    else:
        path.write_text(text)
    snaps = {s["layer"]: s for s in read_front_lines(path)}
    control = snaps["Assessed Russian-controlled Ukrainian Territory"]
    advances = snaps["Assessed Russian Advances in Ukraine"]
    assert (control["style"], control["from"]) == ("occupied", day("2023-06-01"))
    assert (advances["style"], advances["from"], advances["to"]) == (
        "advances",
        day("2023-06-02"),
        day("2023-06-05"),
    )
    geom = shapely.geometry.shape(control["geojson"]["features"][0]["geometry"])
    assert len(geom.interiors) == 1


@pytest.mark.parametrize(
    "coordinates, message",
    [
        ("[[30, 50], [NaN, 51]]", "not valid JSON"),
        ("[[30, 50], [Infinity, 51]]", "not valid JSON"),
        ("[[30, 50], [31, 95]]", "outside longitude"),
        ("[[30, 50], [-181, 50]]", "outside longitude"),
        ("[[3400000, 6000000], [3500000, 6100000]]", "WGS84"),
    ],
)
def test_bad_coordinates_rejected_naming_the_file(tmp_path, coordinates, message):
    path = tmp_path / "front_bad.geojson"
    path.write_text(
        '{"type": "Feature", "properties": {"date": "2023-05-01"}, "geometry": '
        f'{{"type": "LineString", "coordinates": {coordinates}}}}}'
    )
    with pytest.raises(MapError, match=message) as err:
        read_front_lines(path)
    assert "front_bad.geojson" in str(err.value)


def test_nan_in_kml_rejected(tmp_path):
    path = tmp_path / "front_2023-06-01.kml"
    path.write_text(KML.format(stamp="").replace("38,48,0 38,49", "nan,48,0 38,49"))
    with pytest.raises(MapError, match="front_2023-06-01.kml.*NaN"):
        read_front_lines(path)


@pytest.mark.parametrize(
    "doc, message",
    [
        (fc(feature(box(0, 0, 1, 1))), "needs a 'date'"),
        (fc(feature(box(0, 0, 1, 1), date="May 2023")), "not a date"),
        (
            fc(
                {
                    "type": "Feature",
                    "properties": {"date": "2023-05-01"},
                    "geometry": {"type": "Point", "coordinates": [0, 0]},
                }
            ),
            "line or polygon",
        ),
        (fc(feature(box(0, 0, 1, 1), valid_from="2023-05-05", valid_to="2023-05-01")), "before"),
        ({"type": "Point", "coordinates": [0, 0]}, "Feature or FeatureCollection"),
        (
            fc(
                {
                    "type": "Feature",
                    "properties": {"date": "2023-05-01"},
                    "geometry": {"type": "Polygon", "coordinates": [["<script>", 1]]},
                }
            ),
            "geometry",
        ),
        (
            fc(
                {
                    "type": "Feature",
                    "properties": {"date": "2023-05-01"},
                    "geometry": {"type": "LineString", "coordinates": []},
                }
            ),
            "empty geometry",
        ),
    ],
)
def test_bad_frontline_files(tmp_path, doc, message):
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(doc))
    with pytest.raises(MapError, match=message):
        read_front_lines(path)


def test_hostile_files(tmp_path):
    deep = tmp_path / "deep.geojson"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(MapError, match="deep.geojson: JSON nested deeper"):
        read_front_lines(deep)
    entities = tmp_path / "front_2023-06-01.kml"
    entities.write_text('<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaa">]><kml>&a;</kml>')
    with pytest.raises(MapError, match="entity"):
        read_front_lines(entities)
    broken = tmp_path / "front.kmz"
    broken.write_bytes(b"PK not a zip")
    with pytest.raises(MapError, match="front.kmz: not a readable KMZ"):
        read_front_lines(broken)
    with pytest.raises(InputNotFoundError):
        read_front_lines(tmp_path / "missing.geojson")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(MapError, match="holds no"):
        read_front_lines(empty)
