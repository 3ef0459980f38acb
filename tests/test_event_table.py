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
    return EventTable.from_events(
        [
            _event(event_id="e1"),
            _event(
                event_id="e2",
                date="2022-10-10",
                place="Kharkiv",
                place_id="geonames:7",
                admin1="Kharkiv Oblast",
                event_type="missile_strike",
                sub_event_type="missile",
                latitude=49.99,
                longitude=36.23,
                confidence=0.4,
                source="Other Wire",
                article_id="b",
                quote='=HYPERLINK("http://x") <script>alert(1)</script>',
            ),
            _event(
                event_id="e3",
                date="2022-09-01",
                place="Lisbon",
                place_id="geonames:9",
                admin1="Lisbon",
                country_code="PT",
                latitude=38.72,
                longitude=-9.14,
                event_type="statement",
                sub_event_type="diplomacy",
                title="-2 @home",
                quote="+ said in Lisbon\ttoday",
            ),
        ]
    )


def test_table_basics(table):
    gdf = table.gdf
    assert len(table) == 3
    assert list(gdf.columns) == [*EVENT_COLUMNS, "geometry"]
    assert gdf.crs.to_epsg() == 4326
    assert str(gdf["date"].dtype) == "datetime64[ms]"  # a real date column
    assert [d.date().isoformat() for d in gdf["date"]] == [
        "2022-09-01",
        "2022-10-10",
        "2022-11-11",
    ]  # stable order
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
    with pytest.raises(ValueError, match="unknown event type"):
        table.filter(types=["bombing"])
    with pytest.raises(ValueError, match="start must be a date"):
        table.filter(start="11/11/2022")


def test_validate_reports_every_bad_row(table):
    gdf = table.gdf.copy()
    gdf.loc[0, "latitude"] = 95.0
    gdf.loc[1, "event_type"] = "bombing"
    gdf["date"] = gdf["date"].dt.strftime("%Y-%m-%d").astype(object)  # text, as read
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
    odd = EventTable.from_events(
        [
            *table.to_events(),
            _event(event_id="e4", place="<script>alert(1)</script>", source="Wire' onmouseover='x"),
        ]
    )
    out = odd._repr_html_()
    assert "<script>" not in out and "' onmouseover" not in out
    assert "&lt;script&gt;" in out
    assert "4 events" in out


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
            assert (
                not value
                or value[0] not in "=+@\t\r"
                and not (value[0] == "-" and not value[1:].replace(".", "").isdigit())
            )


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


# -- the same table over rows (from_events) and over a GeoDataFrame --------------------------


def _over_frame(table: EventTable) -> EventTable:
    """The same rows, held as a GeoDataFrame (as a table read from a file is)."""
    return EventTable(EventTable.from_events(table.to_events()).gdf)


def test_a_fresh_table_writes_csv_without_pandas(table, tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from frontline.events import EventTable; from conftest import "
        "make_event as e; EventTable.from_events([e(), e(event_id='e2', date='2022-01-02')]"
        f").filter(start='2022-01-01').to_file({str(tmp_path / 'a.csv')!r}); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pandas', 'geopandas', 'pyarrow', 'shapely')))"
    )
    tests = str(__import__("pathlib").Path(__file__).parent)
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tests,
        env={**__import__("os").environ, "PYTHONPATH": tests},
        check=True,
    )
    assert out.stdout.strip() == "[]"
    assert (tmp_path / "a.csv").read_text(encoding="utf-8").count("\n") == 3


def test_csv_from_rows_is_byte_identical_to_csv_from_the_frame(table, tmp_path):
    odd = EventTable.from_events(
        [
            *table.to_events(),
            _event(
                event_id="e4",
                place='Nova Kakhovka, "left bank"',
                quote="line one\nline two,\r\n",
                latitude=46.7555,
                longitude=33.3486,
                confidence=1 / 3,
                title="'=already",
                url="",
                sources="a; b",
                n_sources=2,
                corrected=True,
                correction="pinned",
            ),
        ]
    )
    odd.to_file(tmp_path / "rows.csv")
    _over_frame(odd).to_file(tmp_path / "frame.csv")
    assert (tmp_path / "rows.csv").read_bytes() == (tmp_path / "frame.csv").read_bytes()
    assert EventTable.read(tmp_path / "rows.csv").equals(odd)


@pytest.mark.parametrize(
    "conditions",
    [
        {},
        {"start": "2022-10-01"},
        {"end": "2022-10-10"},
        {"types": "statement"},
        {"types": ["statement", "missile_strike"]},
        {"region": "KHARKIV"},
        {"region": "lisbon"},
        {"source": "other"},
        {"source": "WIRE"},
        {"min_confidence": 0.5},
        {"start": "2022-09-01", "end": "2022-10-10", "min_confidence": 0.3},
    ],
)
def test_filters_agree_over_rows_and_over_the_frame(table, conditions):
    rows = table.filter(**conditions)
    frame = _over_frame(table).filter(**conditions)
    assert [e.event_id for e in rows.to_events()] == [e.event_id for e in frame.to_events()]
    assert rows.equals(frame)


def test_rows_are_made_canonical_and_checked_like_the_frame():
    e = _event(latitude=46, time_precision=1.0, admin1=None, corrected="yes")
    (row,) = EventTable.from_events([e]).to_events()
    assert (row.latitude, row.time_precision, row.admin1, row.corrected) == (46.0, 1, "", True)
    bad = [_event(event_id="x", latitude=95.0), _event(event_id="x", event_type="bombing")]
    with pytest.raises(EventTableError) as rows_err:
        EventTable.from_events(bad)
    import pandas as pd

    from frontline.event_schema import row_order as _row_order
    from frontline.event_table import _to_gdf

    frame = pd.DataFrame(
        [[getattr(b, c) for c in EVENT_COLUMNS] for b in sorted(bad, key=_row_order)],
        columns=list(EVENT_COLUMNS),
    )
    with pytest.raises(EventTableError) as frame_err:
        EventTable(_to_gdf(frame))
    assert str(rows_err.value) == str(frame_err.value)
    assert "row 1 (event 'x'): event_id repeats row 0" in str(rows_err.value)


@pytest.mark.parametrize(
    "name, loaded",
    [
        ("events.csv", set()),
        ("events.txt", set()),
        ("events.geojson", {"pandas", "geopandas"}),
        ("events.parquet", {"pandas", "geopandas", "pyarrow.parquet"}),
        ("events.gpkg", {"pandas", "geopandas", "pyogrio"}),
    ],
)
def test_import_writer_imports_only_what_the_format_needs(name, loaded):
    import subprocess
    import sys

    code = (
        "import sys; from frontline.event_table import import_writer; "
        f"import_writer({name!r}); "
        "print(' '.join(m for m in ('pandas', 'geopandas', 'pyarrow.parquet', 'pyogrio') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert set(out) == loaded


# -- TableWriter ------------------------------------------------------------------------------


@pytest.mark.parametrize("ext", [".csv", ".geojson", ".gpkg", ".parquet"])
def test_table_writer_writes_the_bytes_to_file_writes(table, tmp_path, ext):
    from frontline.event_table import TableWriter

    with TableWriter(tmp_path / f"helper{ext}") as writer:
        assert (writer._proc is not None) == (ext != ".csv")  # CSV needs no pandas
        written = writer.write(table)
    assert written == tmp_path / f"helper{ext}"
    assert written.read_bytes() == table.to_file(tmp_path / f"here{ext}").read_bytes()


def test_table_writer_without_helper_writes_in_this_process(table, tmp_path):
    from frontline.event_table import TableWriter

    with TableWriter(tmp_path / "events.parquet", helper=False) as writer:
        assert writer._proc is None
        path = writer.write(table)
    assert EventTable.read(path).equals(table)


def test_table_writer_reports_the_helpers_error(table, tmp_path):
    from frontline.event_table import TableWriter

    (tmp_path / "file").write_text("not a folder")
    with TableWriter(tmp_path / "file" / "events.parquet") as writer:
        assert writer._proc is not None
        with pytest.raises(OutputError, match="cannot create folder"):
            writer.write(table)


def test_table_writer_stops_its_helper_when_nothing_is_written(tmp_path):
    from frontline.event_table import TableWriter

    writer = TableWriter(tmp_path / "events.geojson")
    proc = writer._proc
    writer.close()
    assert not proc.is_alive() and proc.exitcode == 0
    assert not (tmp_path / "events.geojson").exists()


def test_table_writer_says_so_when_its_helper_died(table, tmp_path):
    from frontline.event_table import TableWriter

    writer = TableWriter(tmp_path / "events.parquet")
    writer._proc.kill()
    writer._proc.join()
    with pytest.raises(OutputError, match="writer process stopped"):
        writer.write(table)
    assert not (tmp_path / "events.parquet").exists()


def test_table_writer_sends_back_an_error_pickle_cannot_rebuild(table, tmp_path, monkeypatch):
    from frontline import event_table

    class Odd(Exception):
        def __init__(self, a, b):
            super().__init__(f"{a}/{b}")

    def broken(self, path):
        raise Odd("disk", "full")

    monkeypatch.setattr(event_table.EventTable, "to_file", broken)  # inherited by the fork
    with event_table.TableWriter(tmp_path / "events.parquet") as writer:
        with pytest.raises(OutputError, match="Odd: disk/full"):
            writer.write(table)


# -- acting like a frame (issue 19) -----------------------------------------------------------


def test_len_iteration_head_and_columns(table):
    assert len(table) == 3
    assert [e.event_id for e in table] == ["e3", "e2", "e1"]  # Event rows, in table order
    assert [e.event_id for e in table.head(2)] == ["e3", "e2"]
    assert [e.event_id for e in table.tail(1)] == ["e1"]
    assert list(table["place"]) == ["Lisbon", "Kharkiv", "Kherson"]
    assert list(table.place) == list(table["place"])  # attribute access, as on a frame
    assert list(table[["place", "event_type"]].columns) == ["place", "event_type"]
    assert table.columns == [*EVENT_COLUMNS, "geometry"]
    strong = table[table["confidence"] > 0.5]
    assert isinstance(strong, EventTable) and len(strong) == 2
    assert len(table[1:]) == 2
    with pytest.raises(KeyError, match="no column 'oblast'"):
        table["oblast"]
    with pytest.raises(TypeError, match="boolean mask of 3"):
        table[[True, False]]
    with pytest.raises(AttributeError):
        _ = table.nonsense


def test_plus_and_concat_keep_each_event_once(table):
    a = table.filter(types="statement")
    b = table.filter(types=["missile_strike", "territory_change"])
    both = a + b
    assert isinstance(both, EventTable)
    assert [e.event_id for e in both] == [e.event_id for e in table]
    assert (table + table).equals(_over_frame(table))  # the same event twice is one row
    framed = EventTable.concat([_over_frame(a), b, a])  # a frame and rows mixed
    assert framed.equals(_over_frame(table))
    assert len(sum([a, b])) == 3
    assert len(EventTable.concat([])) == 0
    with pytest.raises(TypeError, match="takes EventTables"):
        EventTable.concat([table, table.gdf])


def test_pd_concat_and_weekly_grouping_on_the_frame(table):
    import pandas as pd

    gdf = pd.concat([table.gdf, table.gdf.iloc[:0]], ignore_index=True)
    assert EventTable(gdf).equals(table)  # still a valid table
    weekly = table.gdf.groupby(pd.Grouper(key="date", freq="W")).size()
    assert weekly.sum() == 3 and pd.api.types.is_datetime64_any_dtype(weekly.index)


def test_dates_are_datetimes_beside_their_precision(table):
    gdf = table.gdf
    assert pd_dtype(gdf, "date") == pd_dtype(gdf, "published") == "datetime64[ms]"
    assert list(gdf.columns).index("time_precision") == list(gdf.columns).index("date") + 1
    assert table.to_events()[0].date == "2022-09-01"  # Event rows keep ISO text
    unknown = EventTable.from_events([_event(published="")])
    assert unknown.gdf["published"].isna().all() and unknown.to_events()[0].published == ""


def pd_dtype(gdf, column):
    return str(gdf[column].dtype)


def test_a_frame_with_text_dates_is_accepted(table):
    gdf = table.gdf.copy()
    gdf["date"] = gdf["date"].dt.strftime("%Y-%m-%d")
    assert EventTable(gdf).equals(table)


@pytest.mark.parametrize("ext", [".csv", ".geojson", ".gpkg", ".parquet"])
def test_every_format_reads_back_with_the_same_types(table, tmp_path, ext):
    with_unknown = EventTable.from_events([*table.to_events(), _event(event_id="e9", published="")])
    back = EventTable.read(with_unknown.to_file(tmp_path / f"events{ext}"))
    assert dict(back.gdf.dtypes.astype(str)) == dict(with_unknown.gdf.dtypes.astype(str))
    assert back.equals(with_unknown)


def test_geopandas_reads_dates_alike_from_every_binary_format(table, tmp_path):
    import geopandas as gpd

    frames = [
        gpd.read_file(table.to_file(tmp_path / "e.geojson"), engine="pyogrio"),
        gpd.read_file(table.to_file(tmp_path / "e.gpkg"), engine="pyogrio"),
        gpd.read_parquet(table.to_file(tmp_path / "e.parquet")),
    ]
    for frame in frames:
        assert str(frame["date"].dtype) == "datetime64[ms]", frame["date"].dtype
        assert str(frame["published"].dtype) == "datetime64[ms]"


def test_csv_and_geojson_keep_dates_as_iso_text(table, tmp_path):
    import json

    csv_text = table.to_file(tmp_path / "e.csv").read_text(encoding="utf-8")
    assert ",2022-09-01,1," in csv_text and "00:00" not in csv_text
    doc = json.loads(table.to_file(tmp_path / "e.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["date"] for f in doc["features"]] == [
        "2022-09-01",
        "2022-10-10",
        "2022-11-11",
    ]


# -- filter() takes what analysts pass ---------------------------------------------------------


@pytest.mark.parametrize(
    "start, end, expected",
    [
        ("2022-11", None, ["e1"]),
        ("2022-10", "2022-10", ["e2"]),
        ("2022", "2022-10", ["e3", "e2"]),
        ("2022-W36", "2022-W36", []),
        ("2022-W35", "2022-W35", ["e3"]),  # 2022-09-01 is the Thursday of ISO week 35
        (dt.datetime(2022, 10, 10, 18, 30), None, ["e2", "e1"]),
        (None, dt.date(2022, 10, 10), ["e3", "e2"]),
        ("2022-10-10T00:00:00", None, ["e2", "e1"]),
    ],
)
def test_filter_takes_partial_dates_datetimes(table, start, end, expected):
    for t in (table, _over_frame(table)):
        assert [e.event_id for e in t.filter(start=start, end=end)] == expected


def test_filter_takes_timestamps_and_numpy_dates(table):
    import numpy as np
    import pandas as pd

    assert len(table.filter(start=pd.Timestamp("2022-10-10"))) == 2
    assert len(table.filter(end=np.datetime64("2022-10-10"))) == 2


@pytest.mark.parametrize(
    "conditions, expected",
    [
        ({"region": ["Kharkiv", "kherson"]}, ["e2", "e1"]),
        ({"place": ["lisbon", "geonames:7"]}, ["e3", "e2"]),
        ({"country": "pt"}, ["e3"]),
        ({"country": ["UA"]}, ["e2", "e1"]),
        ({"source": ["other", "nothing"]}, ["e2"]),
        ({"types": ("statement",)}, ["e3"]),
        ({"bbox": (30, 44, 40, 52)}, ["e2", "e1"]),  # Ukraine, not Lisbon
        ({"bbox": [-10, 38, -9, 39], "country": "PT"}, ["e3"]),
        ({"region": []}, []),
    ],
)
def test_filter_takes_lists_and_a_bounding_box(table, conditions, expected):
    for t in (table, _over_frame(table)):
        assert [e.event_id for e in t.filter(**conditions)] == expected


@pytest.mark.parametrize(
    "conditions, error, message",
    [
        ({"start": 20221111}, TypeError, "start must be a date.*not int"),
        ({"start": "2022-13"}, ValueError, "start must be a date.*'2022-13'"),
        ({"end": "yesterday"}, ValueError, "end must be a date"),
        ({"start": "2022-11-02", "end": "2022-11-01"}, ValueError, "is after end"),
        ({"region": 5}, TypeError, "region must be text or a list of text, not int"),
        ({"place": ["Kherson", None]}, TypeError, "place must be text.*NoneType"),
        ({"types": ["bombing"]}, ValueError, "unknown event type"),
        ({"bbox": (40, 44, 22, 52)}, ValueError, "minimum first"),
        ({"bbox": (1, 2, 3)}, ValueError, "four finite numbers"),
        ({"bbox": 5}, TypeError, "bbox must be four numbers"),
        ({"min_confidence": "high"}, TypeError, "min_confidence must be a number"),
        ({"min_confidence": 2}, ValueError, "from 0 to 1"),
    ],
)
def test_a_bad_filter_argument_says_what_it_takes(table, conditions, error, message):
    for t in (table, _over_frame(table)):
        with pytest.raises(error, match=message) as caught:
            t.filter(**conditions)
        assert "event table is invalid" not in str(caught.value)


def test_glance_shows_the_precision_of_each_date():
    t = EventTable.from_events(
        [
            _event(event_id="d", date="2022-11-11", time_precision=1),
            _event(event_id="w", date="2022-11-07", time_precision=2, place="Kyiv"),
            _event(event_id="m", date="2022-11-01", time_precision=3, place="Lviv", n_sources=3),
        ]
    )
    glance = t.glance()
    assert list(glance.columns) == ["event_id", "date", "place", "oblast", "type", "source"]
    assert dict(zip(glance["event_id"], glance["date"], strict=True)) == {
        "m": "2022-11",
        "w": "2022-W45",
        "d": "2022-11-11",
    }
    assert glance.set_index("event_id").loc["m", "source"] == "Wire +2"
    out = t._repr_html_()
    assert "<i>2022-W45</i>" in out and "<i>2022-11</i>" in out
    assert "<th>event_id</th>" in out


def test_a_frame_with_converted_dates_writes_every_format(table, tmp_path):
    """Issue 19: after pd.to_datetime on the column, to_file refused the table."""
    import pandas as pd

    gdf = table.gdf.copy()
    gdf["date"] = pd.to_datetime(gdf["date"].dt.strftime("%Y-%m-%d"))  # ns or us, not ms
    gdf["published"] = pd.to_datetime(gdf["published"]).dt.tz_localize("UTC")
    converted = EventTable(gdf)
    for ext in (".csv", ".geojson", ".gpkg", ".parquet"):
        assert EventTable.read(converted.to_file(tmp_path / f"e{ext}")).equals(table)


# -- looking at it: summary, plot, explore ------------------------------------------------------


def test_summary_counts_by_week_type_and_oblast():
    t = EventTable.from_events(
        [
            _event(event_id="a", date="2022-11-07", event_type="shelling", admin1="Kherson Oblast"),
            _event(event_id="b", date="2022-11-13", event_type="shelling", admin1="Kherson Oblast"),
            _event(event_id="c", date="2022-11-14", event_type="armed_clash", admin1=""),
            _event(
                event_id="d",
                date="2022-11-01",
                time_precision=3,
                event_type="shelling",
                admin1="Mykolaiv Oblast",
            ),
        ]
    )
    s = t.summary()
    assert {str(k.date()): v for k, v in s.by_week.to_dict("index").items()} == {
        "2022-11-07": {"shelling": 2, "armed_clash": 0},
        "2022-11-14": {"shelling": 0, "armed_clash": 1},
    }
    assert s.vaguer == 1  # a month has no week: counted by oblast only
    assert s.by_oblast["total"].to_dict() == {
        "Kherson Oblast": 2,
        "(no oblast)": 1,
        "Mykolaiv Oblast": 1,
    }
    assert "Events by week and type" in s._repr_html_() and "1 event(s)" in repr(s)


def test_plot_returns_a_figure_with_a_timeline_and_a_map(table):
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    fig = table.plot(title="three events")
    assert isinstance(fig, Figure)
    timeline, small_map = fig.axes
    assert timeline.get_title() == "Events per week, by type"
    assert small_map.get_title() == "2 events (1 farther away)"  # Lisbon is off the map
    assert len(timeline.patches) >= 3  # bars, one per week and type


def test_explore_returns_the_frontline_map(table, tmp_path):
    import folium

    from frontline.mapbuild import build_map, save_map

    m = table.explore(tiles=False)
    assert isinstance(m, folium.Map)
    html = save_map(m, tmp_path / "all.html").read_bytes()
    assert b"frontline" in html.lower() and b"Kharkiv" in html
    earlier = save_map(table.explore(at="2022-10-10", tiles=False), tmp_path / "a.html")
    expected = save_map(build_map(table.filter(end="2022-10-10"), tiles=False), tmp_path / "b.html")
    assert earlier.read_bytes() == expected.read_bytes()
    assert earlier.read_bytes() != html  # the event of 11 November is not on it


def test_geopandas_explore_works_on_the_frame(table):
    """Issue 19: gdf.explore() needed mapclassify, which the notebook extra now installs."""
    pytest.importorskip("mapclassify", reason="pip install -e '.[notebook]'")
    import folium

    assert isinstance(table.gdf.explore(column="event_type", tiles=None), folium.Map)
