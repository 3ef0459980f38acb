"""The event spill (a stream's events held on disk until its table is made) and the event
table written as the spill gives its rows: the same rows, in the same order, byte for
byte, as the table made of every event at once; memory that does not grow with the
stream."""

import math
import tracemalloc

import pytest
from conftest import make_event
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import frontline.spill
from frontline.cli import app
from frontline.errors import EventTableError, OutputError
from frontline.event_schema import row_order
from frontline.event_table import EventTable, TableWriter
from frontline.events import merge_events
from frontline.spill import EventSpill

# Few values per field, so that places, days and types collide and reports merge.
_EVENTS = st.builds(
    make_event,
    event_id=st.sampled_from(["e1", "e2", "e3", "e4", "e5"]),
    date=st.sampled_from(["2022-11-10", "2022-11-11", "2022-11-12", ""]),
    place_id=st.sampled_from(["p:1", "p:2", "p:3"]),
    place=st.sampled_from(["Kherson", "Kharkiv"]),
    event_type=st.sampled_from(["shelling", "territory_change"]),
    article_id=st.sampled_from(["a", "b", "c"]),
    quote=st.sampled_from(["Shelling.", "Troops entered the town.", ""]),
    confidence=st.sampled_from([0.5, 0.8, 0.9]),
    sources=st.sampled_from(["", "A", "B <https://example.org/b>"]),
    corrected=st.booleans(),
    correction=st.sampled_from(["", "set_date:e1"]),
)


@settings(max_examples=150, deadline=None)
@given(
    batches=st.lists(st.lists(_EVENTS, max_size=4), max_size=8),
    memory_events=st.integers(min_value=0, max_value=6),
    batch_events=st.integers(min_value=1, max_value=4),
    merge=st.booleans(),
)
def test_spilled_events_are_those_of_every_event_at_once(
    batches, memory_events, batch_events, merge
):
    everything = [e for batch in batches for e in batch]
    expected = merge_events(everything) if merge else sorted(everything, key=row_order)
    with EventSpill(merge=merge, memory_events=memory_events, batch_events=batch_events) as spill:
        for batch in batches:
            spill.add(batch)
        assert len(spill) == len(everything)
        assert list(spill.events()) == expected
        counts = {}
        for e in everything:
            counts[e.event_id] = counts.get(e.event_id, 0) + 1
        assert spill.repeated_ids() == {i for i, n in counts.items() if n > 1}


def test_values_come_back_from_disk_with_their_types():
    odd = make_event(
        event_id="e9",
        latitude=46.123456789012345,
        longitude=math.nan,
        corrected=True,
        n_sources=3,
        quote="a lone surrogate \udc80 and \u2028 and a \x00",
        admin1=None,
    )
    with EventSpill(memory_events=0, batch_events=1) as spill:
        spill.add([odd, make_event(date="2022-11-12")])
        assert spill.on_disk
        back = {e.event_id: e for e in spill.events()}["e9"]
    for name in ("latitude", "corrected", "n_sources", "quote", "admin1"):
        assert getattr(back, name) == getattr(odd, name)
        assert type(getattr(back, name)) is type(getattr(odd, name))
    assert math.isnan(back.longitude)


def test_a_long_stream_is_not_held_in_memory():
    """20,000 events kept in a list take about 15 MB; a spill that keeps 500 and moves the
    others to disk in batches of 500 holds those, a batch, then a day."""
    quote = "Russian forces shelled the town overnight, officials said. " * 3

    def article(i):
        day = f"2022-{1 + i % 12:02d}-{1 + i % 28:02d}"
        return [
            make_event(event_id=f"e{i}-{k}", article_id=f"a{i}", date=day, quote=quote + str(i))
            for k in range(2)
        ]

    tracemalloc.start()
    try:
        with EventSpill(memory_events=500, batch_events=500) as spill:
            for i in range(10_000):
                spill.add(article(i))
            _, peak_adding = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            rows = sum(1 for _ in spill.events())
            _, peak_reading = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows == 84  # one merged row per day
    assert peak_adding < 4 * 2**20
    assert peak_reading < 4 * 2**20


def _events_for_the_table():
    return [
        make_event(event_id="e1", date="2022-11-11", confidence=0.9, article_id="b"),
        make_event(event_id="e2", date="2022-11-11", article_id="a", quote="=cmd|' /C calc'!A0"),
        make_event(
            event_id="e3",
            date="2022-11-01",
            place="Kharkiv",
            place_id="p:2",
            event_type="shelling",
            confidence=0.4,
        ),
        make_event(event_id="e4", date="2022-12-24", event_type="shelling", title="+lead"),
    ]


@pytest.mark.parametrize(
    "conditions",
    [
        {},
        {"start": "2022-11-05"},
        {"types": ["shelling"], "min_confidence": 0.5},
        {"end": "2022-10"},
    ],
)
@pytest.mark.parametrize("memory_events", [0, 2, 100])
def test_a_streamed_csv_is_the_file_of_the_table(tmp_path, conditions, memory_events):
    events = _events_for_the_table()
    expected = tmp_path / "table.csv"
    EventTable.from_events(merge_events(events)).filter(**conditions).to_file(expected)
    streamed = tmp_path / "streamed.csv"
    with EventSpill(memory_events=memory_events, batch_events=1) as spill:
        spill.add(events)
        with TableWriter(streamed) as writer:
            n = writer.write_events(spill.events(), repeats=spill.repeated_ids(), **conditions)
    assert streamed.read_bytes() == expected.read_bytes()
    assert n == len(EventTable.read(expected))


@pytest.mark.parametrize("suffix", [".geojson", ".acled.csv"])
def test_other_formats_are_written_from_the_table(tmp_path, suffix):
    events = merge_events(_events_for_the_table())
    expected, written = tmp_path / f"table{suffix}", tmp_path / f"written{suffix}"
    EventTable.from_events(events).filter(types="shelling").to_file(expected)
    with TableWriter(written, helper=False) as writer:
        assert writer.write_events(events, types="shelling") == 2
    assert written.read_bytes() == expected.read_bytes()


@pytest.mark.parametrize("watched", [None, {"e1"}])
def test_bad_rows_of_a_stream_are_those_of_the_table_and_leave_no_file(tmp_path, watched):
    events = [
        make_event(event_id="e0", date="2022-11-01"),
        make_event(event_id="e1", date="2022-11-10"),
        make_event(event_id="e1", date="2022-11-11", place_id="p:2"),  # an id repeated
        make_event(event_id="e2", date="2022-11-12", latitude=math.nan),
    ]
    with pytest.raises(EventTableError) as table_error:
        EventTable.from_events(events)
    out = tmp_path / "events.csv"
    with pytest.raises(EventTableError) as streamed_error, TableWriter(out) as writer:
        writer.write_events(iter(events), repeats=watched, start="2022-11-11")
    assert streamed_error.value.problems == table_error.value.problems
    assert any("repeats row 1" in p for p in streamed_error.value.problems)
    assert list(tmp_path.iterdir()) == []


def test_the_command_writes_the_same_bytes_with_the_events_on_disk(tmp_path, monkeypatch):
    examples = __import__("pathlib").Path(__file__).resolve().parents[1] / "examples" / "articles"
    runner = CliRunner()
    outputs = {}
    for held in (frontline.spill.MEMORY_EVENTS, 1):
        monkeypatch.setattr(frontline.spill, "MEMORY_EVENTS", held)
        monkeypatch.setattr(frontline.spill, "BATCH_EVENTS", held)
        for name in (f"events-{held}.csv", f"map-{held}.html"):
            command = "events" if name.startswith("events") else "map"
            r = runner.invoke(
                app,
                [
                    command,
                    str(examples),
                    "-o",
                    str(tmp_path / name),
                    "-q",
                    "--no-cache",
                    "--jobs",
                    "1",
                ],
                catch_exceptions=False,
            )
            assert r.exit_code == 0, r.output
            outputs[name] = (tmp_path / name).read_bytes()
    big = frontline.spill.MEMORY_EVENTS
    assert outputs["events-1.csv"] == outputs[f"events-{big}.csv"]
    assert outputs["map-1.html"] == outputs[f"map-{big}.html"]
    assert outputs["events-1.csv"].count(b"\n") > 20


def test_a_temporary_file_that_cannot_be_written_is_an_output_error(monkeypatch):
    import sqlite3

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(frontline.spill.sqlite3, "connect", full)
    with EventSpill(memory_events=0, batch_events=1) as spill:
        with pytest.raises(OutputError, match="disk is full.*TMPDIR"):
            spill.add([make_event()])
