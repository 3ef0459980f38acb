"""frontline.records.maker: the same records as the constructors, or a refusal."""

import dataclasses
import datetime as dt

import pytest

from frontline.event_schema import Event
from frontline.gazetteer import Place
from frontline.geoparse import Mention
from frontline.records import maker
from frontline.timex import DatedSentence, TimeExpr


@pytest.mark.parametrize(
    ("cls", "args", "kwargs"),
    [
        (DatedSentence, (3, 40, dt.date(2022, 7, 4), "day", "own"), {}),
        (
            DatedSentence,
            (3, 40, None, "", "none"),
            {"timex": TimeExpr(5, 11, "Monday", "2022-07-04", "day", dt.date(2022, 7, 4))},
        ),
        (TimeExpr, (0, 5, "today", "2022-07-05", "day"), {}),
        (
            Mention,
            ("a1", 0, 4, "Kyiv", Place("geonames:703448", "Kyiv", "city", "UA", "", 50.4, 30.5)),
            {"confidence": 0.95, "literal": False},
        ),
        (
            Event,
            ("e1", "2022-11-11", 1, "p:1", "Kherson", "city", "Kherson", "UA", 46.6, 32.6, 1),
            {
                "event_type": "territory_change",
                "sub_event_type": "entry",
                "article_id": "a",
                "title": "T",
                "source": "",
                "url": "",
                "published": "2022-11-12",
                "quote": "Troops entered Kherson.",
                "confidence": 0.8,
                "fatalities": 2,
            },
        ),
    ],
)
def test_a_made_record_is_the_constructed_one(cls, args, kwargs):
    made, built = maker(cls)(*args, **kwargs), cls(*args, **kwargs)
    assert type(made) is cls
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert dataclasses.replace(made) == built  # a dataclass like any other
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, dataclasses.fields(cls)[0].name, 0)


def test_records_with_more_than_fields_are_refused():
    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        n: int

        def __post_init__(self):
            if self.n < 0:
                raise ValueError(self.n)

    @dataclasses.dataclass(frozen=True, slots=True)
    class Listed:
        items: list = dataclasses.field(default_factory=list)

    @dataclasses.dataclass(slots=True)
    class Mutable:
        n: int

    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        n: int

    for cls in (Checked, Listed, Mutable, NoSlots):
        with pytest.raises(TypeError):
            maker(cls)
