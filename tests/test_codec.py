"""The cache's data layouts: the stages' results come back exactly, each shared object is
written once, what the tables cannot hold falls back to the general layout, and damaged
or foreign data is an error that runs nothing."""

import datetime as dt
import json

import pytest

from frontline import codec
from frontline.articles import Article
from frontline.errors import CacheError
from frontline.gazetteer import Place
from frontline.geoparse import Mention
from frontline.pipeline import process_article
from frontline.timex import DatedSentence, TimeExpr

TEXT = (
    "Russian shelling hit Nikopol on Tuesday, the regional governor said. "
    "A day later drones struck Kharkiv and Nikopol again. "
    "On 3 August a missile hit a warehouse near Odesa; Kharkiv was quiet on Friday."
)


@pytest.fixture(scope="module")
def result():
    return process_article(Article("a1", TEXT, published=dt.date(2022, 8, 12)))


def test_the_stages_results_come_back_exactly_and_shared_objects_stay_shared(result):
    lists = [result.mentions, result.timexes, result.sentences]
    blob = codec.dump_tables(lists)
    assert blob.startswith(b'{"~tables"')
    back = codec.load_tables(blob)
    assert back == lists
    for before, after in zip(lists, back, strict=True):
        for a, b in zip(before, after, strict=True):
            assert type(a) is type(b)
            assert [getattr(a, f) for f in a.__slots__] == [getattr(b, f) for f in b.__slots__]
    nikopol = [m for m in back[0] if m.mention == "Nikopol"]
    assert len(nikopol) == 2 and nikopol[0].place is nikopol[1].place
    dated = [s for s in back[2] if s.timex is not None]
    assert dated and all(any(s.timex is t for t in back[1]) for s in dated)


def test_a_place_is_written_once_however_often_it_is_chosen():
    place = Place("p:1", "Nikopol", "city", "UA", "Dnipropetrovsk Oblast", 47.57, 34.39)
    mentions = [Mention("a", i, i + 7, "Nikopol", place, 0.9, runner_up=place) for i in range(50)]
    blob = codec.dump_tables([mentions])
    assert blob.count(b"Dnipropetrovsk Oblast") == 1
    assert codec.load_tables(blob) == [mentions]


@pytest.mark.parametrize(
    "lists",
    [
        # a list of two classes
        [[TimeExpr(0, 3, "now", "PRESENT_REF", "ref"), DatedSentence(0, 9, None, "day", "none")]],
        # a field that holds a date in one object and text in another
        [
            [
                TimeExpr(0, 3, "x", "2022", "year", dt.date(2022, 1, 1)),
                TimeExpr(0, 3, "y", "", "", ""),
            ]
        ],
        # plain data besides objects
        [["m"], [1, None]],
    ],
)
def test_what_the_tables_cannot_hold_is_written_the_general_way(lists):
    blob = codec.dump_tables(lists)
    assert blob.startswith(b"[")
    assert codec.load_tables(blob) == lists


@pytest.mark.parametrize(
    "payload",
    [
        {"~tables": ["os:system"], "k": [[]], "t": [[["touch PWNED"]]], "r": [[0, [0]]]},
        {"~tables": ["builtins:eval"], "k": [[]], "t": [[["1"]]], "r": [[0, [0]]]},
        {"~tables": ["frontline.codec:dumps"], "k": [[]], "t": [[[1]]], "r": [[0, [0]]]},
        # a reference to a table not yet built, a row that is not there, a negative row
        {
            "~tables": ["frontline.geoparse.resolution:Mention"],
            "k": [[[4, 0]]],
            "t": [[["a"], [0], [1], ["X"], [0], [0.9], [True], [None]]],
            "r": [[0, [0]]],
        },
        {
            "~tables": ["frontline.timex:TimeExpr"],
            "k": [[]],
            "t": [[[0], [3], ["now"], ["PRESENT_REF"], ["ref"], [None]]],
            "r": [[0, [1]]],
        },
        {
            "~tables": ["frontline.timex:TimeExpr"],
            "k": [[]],
            "t": [[[0], [3], ["now"], ["PRESENT_REF"], ["ref"], [None]]],
            "r": [[0, [-1]]],
        },
        # columns of different lengths, a date that is not one
        {
            "~tables": ["frontline.timex:TimeExpr"],
            "k": [[]],
            "t": [[[0, 1], [3], ["now"], ["PRESENT_REF"], ["ref"], [None]]],
            "r": [[0, [0]]],
        },
        {
            "~tables": ["frontline.timex:TimeExpr"],
            "k": [[[5, "d"]]],
            "t": [[[0], [3], ["now"], ["PRESENT_REF"], ["ref"], [20220101]]],
            "r": [[0, [0]]],
        },
    ],
)
def test_damaged_or_foreign_tables_are_an_error_and_run_nothing(tmp_path, monkeypatch, payload):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CacheError, match="damaged"):
        codec.load_tables(json.dumps(payload).encode())
    assert not (tmp_path / "PWNED").exists()


def test_only_the_packages_own_dataclasses_are_written():
    class Foreign:
        pass

    with pytest.raises(TypeError, match="only plain data"):
        codec.dump_tables([[Foreign()]])
