"""Tests for frontline.event_table: the table, its validation, filters and files."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from conftest import make_event as _event

from frontline.errors import EventTableError, OutputError
from frontline.events import EVENT_COLUMNS, EventTable

# -- EventTable -----------------------------------------------------------------------------

@pytest.fixture
def table() -> EventTable:
    return EventTable.from_events([
        _event(event_id="e1"),
        _event(event_id="e2", date="2022-10-10", place="Kharkiv", place_id="geonames:7",
               admin1="Kharkiv Oblast", event_type="missile_strike", sub_event_type="missile",
               latitude=49.99, longitude=36.23, confidence=0.4, source="Other Wire",
               article_id="b", quote='=HYPERLINK("http://x") <script>alert(1)</script>'),
        _event(event_id="e3", date="2022-09-01", place="Lisbon", place_id="geonames:9",
               admin1="Lisbon", country_code="PT", latitude=38.72, longitude=-9.14,
               event_type="statement", sub_event_type="diplomacy", title="-2 @home",
               quote="+ said in Lisbon\ttoday"),
    ])


def test_table_basics(table):
    gdf = table.gdf
    assert len(table) == 3
    assert list(gdf.columns) == [*EVENT_COLUMNS, "geometry"]
    assert gdf.crs.to_epsg() == 4326
    assert list(gdf["date"]) == ["2022-09-01", "2022-10-10", "2022-11-11"]  # stable order
    assert (gdf.geometry.x == gdf["longitude"]).all()  # Point(lon, lat)
    assert [e.event_id for e in table.to_events()] == ["e3", "e2", "e1"]


def test_filters(table):
    assert len(table.filter(start="2022-10-01")) == 2
    assert len(table.filter(start=dt.date(2022, 10, 1), end="2022-10-31")) == 1
    assert len(table.filter(types=["statement", "missile_strike"])) == 2
    assert len(table.filter(region="kharkiv")) == 1
    assert len(table.filter(source="other wire")) == 1
    assert len(table.filter(min_confidence=0.5)) == 2
    assert len(table.filter(types=["shelling"], min_confidence=0.1)) == 0
    with pytest.raises(EventTableError, match="unknown event type"):
        table.filter(types=["bombing"])
    with pytest.raises(EventTableError, match="ISO date"):
        table.filter(start="11/11/2022")


def test_validate_reports_every_bad_row(table):
    gdf = table.gdf.copy()
    gdf.loc[0, "latitude"] = 95.0
    gdf.loc[1, "event_type"] = "bombing"
    gdf.loc[2, "date"] = "2022-13-01"
    gdf.loc[2, "confidence"] = 1.5
    with pytest.raises(EventTableError) as err:
        EventTable(gdf)
    problems = err.value.problems
    assert any("row 0" in p and "latitude" in p for p in problems)
    assert any("row 1" in p and "bombing" in p for p in problems)
    assert any("row 2" in p and "2022-13-01" in p for p in problems)
    assert any("row 2" in p and "confidence" in p for p in problems)
    assert len(problems) == 5  # the latitude also no longer matches the point


def test_validate_columns_and_crs(table):
    with pytest.raises(EventTableError, match="missing columns: quote"):
        EventTable(table.gdf.drop(columns=["quote"]))
    with pytest.raises(EventTableError, match="EPSG:4326"):
        EventTable(table.gdf.to_crs(3857))
    bad = table.gdf.copy()
    bad["n_sources"] = bad["n_sources"].astype(float)
    with pytest.raises(EventTableError, match="n_sources must be integer"):
        EventTable(bad)


def test_repr_html_escapes(table):
    out = table._repr_html_()
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert "3 events" in out


@pytest.mark.parametrize("ext", [".csv", ".geojson", ".gpkg", ".parquet"])
def test_round_trip(table, tmp_path, ext):
    path = table.to_file(tmp_path / f"events{ext}")
    back = EventTable.read(path)
    assert back.equals(table)
    assert back.to_events() == table.to_events()


@pytest.mark.parametrize("ext", [".csv", ".geojson", ".gpkg", ".parquet"])
def test_same_input_gives_byte_identical_files(table, tmp_path, ext):
    first = table.to_file(tmp_path / f"one{ext}").read_bytes()
    reordered = EventTable.from_events(list(reversed(table.to_events())))
    second = reordered.to_file(tmp_path / f"two{ext}").read_bytes()
    assert first == second


def test_csv_neutralizes_formulas_but_not_numbers(table, tmp_path):
    path = table.to_file(tmp_path / "events.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    by_id = {r["event_id"]: r for r in rows}
    assert by_id["e2"]["quote"].startswith("'=HYPERLINK")
    assert by_id["e3"]["title"] == "'-2 @home"
    assert by_id["e3"]["quote"].startswith("'+ said")
    assert by_id["e3"]["longitude"] == "-9.14"  # a number, not a text cell
    for row in rows:
        for value in row.values():
            assert not value or value[0] not in "=+@\t\r" and not (
                value[0] == "-" and not value[1:].replace(".", "").isdigit())


def test_to_file_unknown_extension(table, tmp_path):
    with pytest.raises(OutputError, match="unknown event table format"):
        table.to_file(tmp_path / "events.xlsx")


def test_failed_write_keeps_existing_output(table, tmp_path):
    path = table.to_file(tmp_path / "events.csv")
    good = path.read_bytes()
    broken = table.gdf.copy()
    broken.loc[0, "event_type"] = "nonsense"
    with pytest.raises(EventTableError):
        EventTable(broken, validate=False).to_file(path)
    assert path.read_bytes() == good


def test_read_rejects_bad_file(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("event_id,date\ne1,2022-01-01\n", encoding="utf-8")
    with pytest.raises(EventTableError, match="missing columns"):
        EventTable.read(path)


def test_empty_table_round_trip(tmp_path):
    empty = EventTable.from_events([])
    path = empty.to_file(tmp_path / "events.csv")
    assert len(EventTable.read(path)) == 0


def test_to_file_sorts_rows_of_any_table(table, tmp_path):
    shuffled = EventTable(table.gdf.iloc[[1, 2, 0]].reset_index(drop=True))
    a = table.to_file(tmp_path / "a.csv").read_bytes()
    b = shuffled.to_file(tmp_path / "b.csv").read_bytes()
    assert a == b
