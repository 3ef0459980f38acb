"""Regression tests for the hard cases of geoparsing (issue 4)."""

import math

import pytest

from frontline.geoparse import geoparse


def km(place, lat, lon):
    p1, p2 = math.radians(place.latitude), math.radians(lat)
    h = (math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2)
         * math.sin(math.radians(lon - place.longitude) / 2) ** 2)
    return 12742 * math.asin(math.sqrt(h))


def only(text, surface):
    found = [m for m in geoparse(text) if m.mention.startswith(surface)]
    assert found, f"{surface!r} not found in {text!r}: {[m.mention for m in geoparse(text)]}"
    return found[0]


@pytest.mark.parametrize(
    "text, surface, kind, lat, lon",
    [
        ("Missiles struck the city of Dnipro overnight.", "Dnipro", "city", 48.45, 35.05),
        ("Ukrainian troops crossed the Dnipro River near Kherson.", "Dnipro", "river", None, None),
        ("Shelling continued in the Dnipropetrovsk region.", "Dnipropetrovsk", "region", None, None),
        ("Fighting raged in the southern Zaporizhzhia region.", "Zaporizhzhia", "region", None, None),
        ("A missile hit Zaporizhzhia on Thursday.", "Zaporizhzhia", "city", 47.84, 35.14),
        ("Russian guns shelled Nikopol again.", "Nikopol", "city", 47.57, 34.39),
        ("Troops left Artemivsk, now called Bakhmut.", "Artemivsk", "city", 48.59, 38.00),
        ("Residents fled Avdiyivka as the siege tightened.", "Avdiyivka", "city", 48.14, 37.74),
        ("Drones hit Odessa port overnight.", "Odessa", "city", 46.48, 30.73),
        ("Shebekino was shelled, officials in Russia's Belgorod region said.", "Shebekino", "city",
         50.41, 36.89),
    ],
)
def test_resolves_by_context(text, surface, kind, lat, lon):
    m = only(text, surface)
    assert m.place.kind == kind
    if lat is not None:
        assert km(m.place, lat, lon) < 20


def test_district_after_its_region():
    text = ("Shelling hit several villages in Donetsk region. "
            "Two people were wounded in the Pokrovsk district of the region.")
    m = only(text, "Pokrovsk")
    assert m.place.kind == "district"
    assert m.place.country_code == "UA"


@pytest.mark.parametrize(
    "text, surface",
    [
        ("Moscow announced the withdrawal on Wednesday.", "Moscow"),
        ("Kyiv denied the claim.", "Kyiv"),
        ("Washington's aid arrived late.", "Washington"),
        ("The Kremlin said Russia would respond.", "Russia"),
    ],
)
def test_governments_are_not_literal(text, surface):
    assert only(text, surface).literal is False


@pytest.mark.parametrize(
    "text, surface",
    [
        ("A missile hit Kyiv on Monday.", "Kyiv"),
        ("Explosions were heard in Moscow overnight.", "Moscow"),
        ("Fighting spread across Ukraine's east.", "Ukraine"),
    ],
)
def test_places_stay_literal(text, surface):
    assert only(text, surface).literal is True


def test_person_names_and_demonyms_are_not_places():
    text = "Denzel Washington praised Ukrainian and Russian volunteers."
    assert [m.mention for m in geoparse(text)] == []


def test_washington_in_us_politics_is_the_capital():
    m = only("Congress debated the aid package in Washington on Tuesday.", "Washington")
    assert m.place.country_code == "US"
    assert km(m.place, 38.9, -77.04) < 30


def test_longest_match_and_offsets():
    text = "Floods covered the Kherson region after the Kakhovka dam was destroyed."
    ms = geoparse(text)
    for m in ms:
        assert text[m.start:m.end] == m.mention
    kinds = {m.mention.split()[0]: m.place.kind for m in ms}
    assert kinds["Kherson"] == "region"
    assert kinds["Kakhovka"] == "facility"


def test_confidence_and_runner_up():
    m = only("Russian shelling hit Nikopol.", "Nikopol")
    assert 0 < m.confidence <= 1
    assert m.runner_up is not None and m.runner_up.place_id != m.place.place_id


def test_article_coherence_prefers_close_readings():
    text = ("Russian forces shelled Kramatorsk and Sloviansk. "
            "Later, artillery hit Druzhkivka and Kostiantynivka.")
    for m in geoparse(text):
        assert m.place.country_code == "UA"
        assert km(m.place, 48.7, 37.6) < 80
