"""ACLED's conventions: types, casualties, actors and the ACLED-shaped export."""

import csv

import pytest

from frontline.acled import (
    ACLED_COLUMNS,
    RUSSIA,
    UKRAINE,
    acled_types,
    read_actors,
    read_casualties,
    write_acled_csv,
)
from frontline.event_schema import Event


@pytest.mark.parametrize(
    ("sentence", "dead", "hurt"),
    [
        (
            "A missile hit the station, killing at least 52 people and injuring more than 100.",
            52,
            100,
        ),
        ("Three civilians were killed and eight wounded in the shelling.", 3, 8),
        ("The regional governor said 14 people had died.", 14, 0),
        ("The death toll from the strike rose to 23.", 23, 0),
        ("An 80-year-old woman was injured by debris.", 0, 1),
        ("The shelling damaged 20 houses and 3 cars.", 0, 0),
        ("Shelling hit the 4 km stretch of road.", 0, 0),
    ],
)
def test_casualties_are_read_with_their_words(sentence, dead, hurt):
    found = read_casualties(sentence)
    assert (found.fatalities, found.injured) == (dead, hurt)
    assert bool(found.phrase) == bool(dead or hurt)


@pytest.mark.parametrize(
    ("sentence", "actor"),
    [
        ("Russian forces shelled the village overnight.", RUSSIA),
        ("Ukraine's defence ministry said Russian drones hit a depot.", RUSSIA),
        ("Russia's defence ministry said Ukrainian drones hit a depot.", UKRAINE),
        ("The occupiers struck the town with guided bombs.", RUSSIA),
        ("Drones were shot down over Russia and Ukraine.", ""),
    ],
)
def test_the_acting_side_is_the_army_not_the_speaker(sentence, actor):
    assert read_actors(sentence) == actor


def test_territory_types_follow_who_takes_it():
    assert (
        acled_types("territory_change", "capture", RUSSIA, "UA")[1]
        == "Non-state actor overtakes territory"
    )
    assert (
        acled_types("territory_change", "capture", UKRAINE, "UA")[1]
        == "Government regains territory"
    )
    assert acled_types("territory_change", "withdrawal")[1] == "Non-violent transfer of territory"
    assert acled_types("statement", "diplomacy") == ("", "")


def test_export_has_acleds_columns_in_order_and_skips_statements(tmp_path):
    base = dict(
        time_precision=1,
        place_id="p:1",
        place="Kyiv",
        kind="city",
        admin1="Kyiv City",
        country_code="UA",
        latitude=50.45,
        longitude=30.52,
        geo_precision=1,
        article_id="a",
        title="T",
        source="Wire",
        url="",
        published="2024-01-02",
        confidence=0.9,
        date="2024-01-02",
    )
    strike = Event(
        "e1",
        event_type="missile_strike",
        sub_event_type="missile",
        quote="=Missiles hit Kyiv.",
        acled_event_type="Explosions/Remote violence",
        acled_sub_event_type="Shelling/artillery/missile attack",
        actor1=RUSSIA,
        fatalities=2,
        **base,
    )
    talk = Event("e2", event_type="statement", sub_event_type="diplomacy", quote="Talks.", **base)
    path = write_acled_csv(tmp_path / "events.acled.csv", [strike, talk])
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == ACLED_COLUMNS
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["event_date"], row["fatalities"], row["actor1"], row["country"]) == (
        "2024-01-02",
        "2",
        RUSSIA,
        "Ukraine",
    )
    assert row["notes"].startswith("'=")  # a spreadsheet must not run it
