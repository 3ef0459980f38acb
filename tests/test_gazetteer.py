"""Tests for frontline.gazetteer: names, ranking, user files, geometry, errors.

Expected coordinates are the places' real positions (rounded to ~1 km); a resolved
place must lie within 5 km of them.
"""

from __future__ import annotations

import gzip
import math
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontline.errors import GazetteerError, UnknownPlaceError
from frontline.gazetteer import KINDS, Gazetteer, Place, distance_km, normalize_name


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 12742.0 * math.asin(math.sqrt(a))


# (query, latitude, longitude, country) — the best candidate must be within 5 km
PLACES = [
    # Kyiv and the capitals of the oblasts, under their common spellings
    ("Kyiv", 50.45, 30.52, "UA"),
    ("Kiev", 50.45, 30.52, "UA"),
    ("Київ", 50.45, 30.52, "UA"),
    ("Киев", 50.45, 30.52, "UA"),
    ("Kyjiw", 50.45, 30.52, "UA"),
    ("Kharkiv", 49.99, 36.23, "UA"),
    ("Kharkov", 49.99, 36.23, "UA"),
    ("Харків", 49.99, 36.23, "UA"),
    ("Харьков", 49.99, 36.23, "UA"),
    ("Odesa", 46.48, 30.73, "UA"),
    ("Odessa", 46.48, 30.73, "UA"),
    ("Одеса", 46.48, 30.73, "UA"),
    ("Dnipro", 48.46, 35.05, "UA"),
    ("Dnipropetrovsk", 48.46, 35.05, "UA"),
    ("Dnepropetrovsk", 48.46, 35.05, "UA"),
    ("Zaporizhzhia", 47.84, 35.14, "UA"),
    ("Zaporizhzhya", 47.84, 35.14, "UA"),
    ("Zaporozhye", 47.84, 35.14, "UA"),
    ("Zaporizhia", 47.84, 35.14, "UA"),
    ("Запоріжжя", 47.84, 35.14, "UA"),
    ("Mykolaiv", 46.97, 32.00, "UA"),
    ("Nikolaev", 46.97, 32.00, "UA"),
    ("Mykolayiv", 46.97, 32.00, "UA"),
    ("Kherson", 46.64, 32.62, "UA"),
    ("Херсон", 46.64, 32.62, "UA"),
    ("Donetsk", 48.00, 37.80, "UA"),
    ("Luhansk", 48.57, 39.31, "UA"),
    ("Lugansk", 48.57, 39.31, "UA"),
    ("Lviv", 49.84, 24.03, "UA"),
    ("Lvov", 49.84, 24.03, "UA"),
    ("Vinnytsia", 49.23, 28.47, "UA"),
    ("Vinnitsa", 49.23, 28.47, "UA"),
    ("Poltava", 49.59, 34.55, "UA"),
    ("Chernihiv", 51.49, 31.29, "UA"),
    ("Chernigov", 51.49, 31.29, "UA"),
    ("Cherkasy", 49.44, 32.06, "UA"),
    ("Cherkassy", 49.44, 32.06, "UA"),
    ("Sumy", 50.91, 34.80, "UA"),
    ("Zhytomyr", 50.25, 28.66, "UA"),
    ("Zhitomir", 50.25, 28.66, "UA"),
    ("Khmelnytskyi", 49.42, 26.99, "UA"),
    ("Khmelnitsky", 49.42, 26.99, "UA"),
    ("Chernivtsi", 48.29, 25.94, "UA"),
    ("Rivne", 50.62, 26.25, "UA"),
    ("Rovno", 50.62, 26.25, "UA"),
    ("Ivano-Frankivsk", 48.92, 24.71, "UA"),
    ("Ternopil", 49.55, 25.59, "UA"),
    ("Lutsk", 50.75, 25.34, "UA"),
    ("Uzhhorod", 48.62, 22.29, "UA"),
    ("Uzhgorod", 48.62, 22.29, "UA"),
    ("Kropyvnytskyi", 48.51, 32.26, "UA"),
    ("Kirovohrad", 48.51, 32.26, "UA"),
    ("Kirovograd", 48.51, 32.26, "UA"),
    ("Kropyvnytskyy", 48.51, 32.26, "UA"),
    # Donetsk oblast front line
    ("Bakhmut", 48.60, 38.00, "UA"),
    ("Artemivsk", 48.60, 38.00, "UA"),
    ("Artemovsk", 48.60, 38.00, "UA"),
    ("Бахмут", 48.60, 38.00, "UA"),
    ("Avdiivka", 48.14, 37.75, "UA"),
    ("Avdiyivka", 48.14, 37.75, "UA"),
    ("Avdeyevka", 48.14, 37.75, "UA"),
    ("Авдіївка", 48.14, 37.75, "UA"),
    ("Mar'inka", 47.94, 37.50, "UA"),
    ("Marinka", 47.94, 37.50, "UA"),
    ("Maryinka", 47.94, 37.50, "UA"),
    ("Mar’yinka", 47.94, 37.50, "UA"),
    ("Kramatorsk", 48.72, 37.56, "UA"),
    ("Sloviansk", 48.85, 37.60, "UA"),
    ("Slovyansk", 48.85, 37.60, "UA"),
    ("Slavyansk", 48.85, 37.60, "UA"),
    ("Pokrovsk", 48.28, 37.18, "UA"),
    ("Krasnoarmeysk", 48.28, 37.18, "UA"),
    ("Toretsk", 48.40, 37.85, "UA"),
    ("Chasiv Yar", 48.59, 37.84, "UA"),
    ("Chasov Yar", 48.59, 37.84, "UA"),
    ("Soledar", 48.68, 38.07, "UA"),
    ("Vuhledar", 47.78, 37.25, "UA"),
    ("Ugledar", 47.78, 37.25, "UA"),
    ("Horlivka", 48.30, 38.05, "UA"),
    ("Gorlovka", 48.30, 38.05, "UA"),
    ("Makiivka", 48.05, 37.97, "UA"),
    ("Makeyevka", 48.05, 37.97, "UA"),
    ("Kostiantynivka", 48.53, 37.71, "UA"),
    ("Konstantinovka", 48.53, 37.71, "UA"),
    ("Druzhkivka", 48.63, 37.55, "UA"),
    ("Lyman", 48.99, 37.81, "UA"),
    ("Volnovakha", 47.60, 37.50, "UA"),
    ("Mariupol", 47.10, 37.55, "UA"),
    ("Мариуполь", 47.10, 37.55, "UA"),
    ("Debaltseve", 48.34, 38.40, "UA"),
    ("Debaltsevo", 48.34, 38.40, "UA"),
    ("Siversk", 48.87, 38.10, "UA"),
    ("Yasynuvata", 48.13, 37.86, "UA"),
    ("Myrnohrad", 48.30, 37.26, "UA"),
    ("Selydove", 48.15, 37.30, "UA"),
    ("Kurakhove", 47.98, 37.28, "UA"),
    ("Krasnohorivka", 48.00, 37.52, "UA"),
    ("Velyka Novosilka", 47.84, 36.83, "UA"),
    ("Staromaiorske", 47.75, 36.79, "UA"),
    ("Urozhaine", 47.75, 36.82, "UA"),
    ("Klishchiivka", 48.52, 37.96, "UA"),
    ("Lastochkyne", 48.16, 37.70, "UA"),
    # Luhansk and Kharkiv oblasts
    ("Sievierodonetsk", 48.95, 38.49, "UA"),
    ("Severodonetsk", 48.95, 38.49, "UA"),
    ("Siverskodonetsk", 48.95, 38.49, "UA"),
    ("Lysychansk", 48.91, 38.43, "UA"),
    ("Lisichansk", 48.91, 38.43, "UA"),
    ("Rubizhne", 49.01, 38.38, "UA"),
    ("Popasna", 48.63, 38.38, "UA"),
    ("Kreminna", 49.05, 38.22, "UA"),
    ("Kremennaya", 49.05, 38.22, "UA"),
    ("Svatove", 49.41, 38.15, "UA"),
    ("Svatovo", 49.41, 38.15, "UA"),
    ("Starobilsk", 49.28, 38.91, "UA"),
    ("Izium", 49.21, 37.26, "UA"),
    ("Izyum", 49.21, 37.26, "UA"),
    ("Kupiansk", 49.71, 37.62, "UA"),
    ("Kupyansk", 49.71, 37.62, "UA"),
    ("Balakliia", 49.46, 36.86, "UA"),
    ("Balakleya", 49.46, 36.86, "UA"),
    ("Chuhuiv", 49.84, 36.69, "UA"),
    ("Chuguyev", 49.84, 36.69, "UA"),
    ("Vovchansk", 50.29, 36.94, "UA"),
    ("Volchansk", 50.29, 36.94, "UA"),
    ("Lozova", 48.89, 36.32, "UA"),
    # the south
    ("Melitopol", 46.85, 35.37, "UA"),
    ("Berdiansk", 46.76, 36.79, "UA"),
    ("Berdyansk", 46.76, 36.79, "UA"),
    ("Enerhodar", 47.50, 34.66, "UA"),
    ("Energodar", 47.50, 34.66, "UA"),
    ("Tokmak", 47.25, 35.71, "UA"),
    ("Orikhiv", 47.57, 35.79, "UA"),
    ("Huliaipole", 47.66, 36.26, "UA"),
    ("Vasylivka", 47.44, 35.28, "UA"),
    ("Robotyne", 47.44, 35.84, "UA"),
    ("Rabotino", 47.44, 35.84, "UA"),
    ("Novoprokopivka", 47.38, 35.84, "UA"),
    ("Nova Kakhovka", 46.76, 33.36, "UA"),
    ("Novaya Kakhovka", 46.76, 33.36, "UA"),
    ("Oleshky", 46.62, 32.71, "UA"),
    ("Hola Prystan", 46.52, 32.52, "UA"),
    ("Henichesk", 46.17, 34.82, "UA"),
    ("Genichesk", 46.17, 34.82, "UA"),
    ("Skadovsk", 46.12, 32.91, "UA"),
    ("Beryslav", 46.84, 33.43, "UA"),
    ("Snihurivka", 47.08, 32.80, "UA"),
    ("Krynky", 46.73, 33.08, "UA"),
    ("Ochakiv", 46.61, 31.55, "UA"),
    ("Ochakov", 46.61, 31.55, "UA"),
    ("Nikopol", 47.57, 34.40, "UA"),
    ("Marhanets", 47.64, 34.63, "UA"),
    ("Kryvyi Rih", 47.91, 33.39, "UA"),
    ("Krivoy Rog", 47.91, 33.39, "UA"),
    ("Kamianske", 48.51, 34.61, "UA"),
    ("Pavlohrad", 48.53, 35.87, "UA"),
    ("Bilhorod-Dnistrovskyi", 46.19, 30.34, "UA"),
    ("Izmail", 45.35, 28.84, "UA"),
    # Kyiv region and the north
    ("Irpin", 50.52, 30.25, "UA"),
    ("Irpen", 50.52, 30.25, "UA"),
    ("Bucha", 50.55, 30.22, "UA"),
    ("Hostomel", 50.57, 30.27, "UA"),
    ("Gostomel", 50.57, 30.27, "UA"),
    ("Borodianka", 50.64, 29.92, "UA"),
    ("Brovary", 50.51, 30.79, "UA"),
    ("Bila Tserkva", 49.80, 30.11, "UA"),
    ("Chornobyl", 51.27, 30.22, "UA"),
    ("Chernobyl", 51.27, 30.22, "UA"),
    ("Kremenchuk", 49.07, 33.42, "UA"),
    ("Kremenchug", 49.07, 33.42, "UA"),
    ("Okhtyrka", 50.31, 34.90, "UA"),
    ("Konotop", 51.24, 33.20, "UA"),
    ("Shostka", 51.86, 33.48, "UA"),
    ("Romny", 50.75, 33.47, "UA"),
    ("Nizhyn", 51.05, 31.89, "UA"),
    # Crimea (Ukraine under international law)
    ("Simferopol", 44.95, 34.10, "UA"),
    ("Sevastopol", 44.60, 33.52, "UA"),
    ("Севастополь", 44.60, 33.52, "UA"),
    ("Kerch", 45.36, 36.47, "UA"),
    ("Yalta", 44.50, 34.17, "UA"),
    ("Feodosia", 45.03, 35.38, "UA"),
    ("Yevpatoria", 45.20, 33.37, "UA"),
    ("Evpatoria", 45.20, 33.37, "UA"),
    ("Dzhankoi", 45.71, 34.39, "UA"),
    ("Dzhankoy", 45.71, 34.39, "UA"),
    ("Armiansk", 46.11, 33.69, "UA"),
    # Russia's border regions, Belarus, Moldova
    ("Belgorod", 50.60, 36.59, "RU"),
    ("Shebekino", 50.41, 36.90, "RU"),
    ("Sudzha", 51.19, 35.27, "RU"),
    ("Kursk", 51.73, 36.19, "RU"),
    ("Bryansk", 53.25, 34.37, "RU"),
    ("Voronezh", 51.67, 39.18, "RU"),
    ("Rostov-on-Don", 47.23, 39.72, "RU"),
    ("Taganrog", 47.21, 38.94, "RU"),
    ("Valuyki", 50.21, 38.10, "RU"),
    ("Graivoron", 50.48, 35.68, "RU"),
    ("Klintsy", 52.76, 32.24, "RU"),
    ("Moscow", 55.76, 37.62, "RU"),
    ("Москва", 55.76, 37.62, "RU"),
    ("Saint Petersburg", 59.94, 30.31, "RU"),
    ("Engels", 51.50, 46.12, "RU"),
    ("Yeysk", 46.71, 38.27, "RU"),
    ("Novorossiysk", 44.72, 37.77, "RU"),
    ("Krasnodar", 45.04, 38.98, "RU"),
    ("Minsk", 53.90, 27.57, "BY"),
    ("Gomel", 52.43, 30.98, "BY"),
    ("Homel", 52.43, 30.98, "BY"),
    ("Mozyr", 52.05, 29.25, "BY"),
    ("Chisinau", 47.01, 28.86, "MD"),
    ("Tiraspol", 46.84, 29.63, "MD"),
    # the world
    ("Washington", 38.90, -77.04, "US"),
    ("London", 51.51, -0.13, "GB"),
    ("Hiroshima", 34.39, 132.45, "JP"),
    ("Paris", 48.86, 2.35, "FR"),
    ("Berlin", 52.52, 13.40, "DE"),
    ("Warsaw", 52.23, 21.01, "PL"),
    ("Rzeszów", 50.04, 22.00, "PL"),
    ("Rzeszow", 50.04, 22.00, "PL"),
    ("Brussels", 50.85, 4.35, "BE"),
    ("Vilnius", 54.69, 25.28, "LT"),
    ("Bucharest", 44.43, 26.10, "RO"),
    ("Istanbul", 41.01, 28.96, "TR"),
    ("Ankara", 39.93, 32.86, "TR"),
    ("Tehran", 35.69, 51.39, "IR"),
    ("Beijing", 39.91, 116.40, "CN"),
    ("Pyongyang", 39.03, 125.75, "KP"),
    ("New York", 40.71, -74.01, "US"),
    ("Tbilisi", 41.69, 44.83, "GE"),
    ("Budapest", 47.50, 19.04, "HU"),
    ("Geneva", 46.20, 6.15, "CH"),
    ("Jeddah", 21.49, 39.19, "SA"),
]


@pytest.mark.parametrize(("query", "lat", "lon", "country"), PLACES, ids=[p[0] for p in PLACES])
def test_lookup_finds_the_real_place(gaz, query, lat, lon, country):
    best = gaz.lookup(query)[0]
    assert best.country_code == country, best
    assert km(best.latitude, best.longitude, lat, lon) < 5.0, best


# (query, kind, place_id or None, country) — the best candidate has this kind
KINDED = [
    ("Kherson Oblast", "region", "ne:admin1:UP08", "UA"),
    ("Kherson region", "region", "ne:admin1:UP08", "UA"),
    ("Kherson oblast", "region", "ne:admin1:UP08", "UA"),
    ("Kherson province", "region", "ne:admin1:UP08", "UA"),
    ("the Kherson province", "region", "ne:admin1:UP08", "UA"),
    ("Khersonska oblast", "region", "ne:admin1:UP08", "UA"),
    ("Khersonshchyna", "region", "ne:admin1:UP08", "UA"),
    ("Херсонська область", "region", "ne:admin1:UP08", "UA"),
    ("Donetsk region", "region", "ne:admin1:UP05", "UA"),
    ("Donetska oblast", "region", "ne:admin1:UP05", "UA"),
    ("Luhansk Oblast", "region", "ne:admin1:UP14", "UA"),
    ("Zaporizhzhia Oblast", "region", "ne:admin1:UP26", "UA"),
    ("Zaporizhia region", "region", "ne:admin1:UP26", "UA"),
    ("Zaporizka oblast", "region", "ne:admin1:UP26", "UA"),
    ("Dnipropetrovsk region", "region", "ne:admin1:UP04", "UA"),
    ("Kharkiv Oblast", "region", "ne:admin1:UP07", "UA"),
    ("Kharkiv region", "region", "ne:admin1:UP07", "UA"),
    ("Kirovohrad Oblast", "region", "ne:admin1:UP10", "UA"),
    ("Kyiv region", "region", "ne:admin1:UP13", "UA"),
    ("Mykolaiv Oblast", "region", "ne:admin1:UP16", "UA"),
    ("Odesa region", "region", "ne:admin1:UP17", "UA"),
    ("Sumy region", "region", "ne:admin1:UP21", "UA"),
    ("Belgorod region", "region", "ne:admin1:RS09", "RU"),
    ("Kursk Oblast", "region", "ne:admin1:RS41", "RU"),
    ("Bryansk region", "region", "ne:admin1:RS10", "RU"),
    ("Rostov Oblast", "region", "ne:admin1:RS61", "RU"),
    ("Voronezh region", "region", "ne:admin1:RS86", "RU"),
    ("Crimea", "region", "ne:admin1:UP11", "UA"),
    ("Crimean Peninsula", "landform", "fl:crimean-peninsula", "UA"),
    ("Donbas", "region", "fl:donbas", "UA"),
    ("Donbass", "region", "fl:donbas", "UA"),
    ("Nikopol district", "district", "fl:raion-nikopol", "UA"),
    ("Nikopol Raion", "district", "fl:raion-nikopol", "UA"),
    ("Nikopolskyi raion", "district", "fl:raion-nikopol", "UA"),
    ("Bakhmut district", "district", "fl:raion-bakhmut", "UA"),
    ("Pokrovsk Raion", "district", "fl:raion-pokrovsk", "UA"),
    ("Kakhovka reservoir", "waterbody", "fl:kakhovka-reservoir", "UA"),
    ("Kakhovka Reservoir", "waterbody", "fl:kakhovka-reservoir", "UA"),
    ("Sea of Azov", "waterbody", "fl:sea-of-azov", "UA"),
    ("Black Sea", "waterbody", "fl:black-sea", "UA"),
    ("Dnipro-Buh Estuary", "waterbody", "fl:dnieper-bug-estuary", "UA"),
    ("Kinburn Spit", "landform", "fl:kinburn-spit", "UA"),
    ("Kinburn Peninsula", "landform", "fl:kinburn-spit", "UA"),
    ("Snake Island", "landform", "fl:snake-island", "UA"),
    ("Zmiinyi Island", "landform", "fl:snake-island", "UA"),
    ("Tendra Spit", "landform", "fl:tendra-spit", "UA"),
    ("Kerch bridge", "facility", "fl:crimean-bridge", "UA"),
    ("Crimean Bridge", "facility", "fl:crimean-bridge", "UA"),
    ("Kakhovka dam", "facility", "fl:kakhovka-dam", "UA"),
    ("Antonivskyi Bridge", "facility", "fl:antonivskyi-bridge", "UA"),
    ("Zaporizhzhia nuclear power plant", "facility", "fl:znpp", "UA"),
    ("ZNPP", "facility", "fl:znpp", "UA"),
    ("Azovstal", "facility", "fl:azovstal", "UA"),
    ("Chornobyl nuclear power plant", "facility", "fl:chornobyl-npp", "UA"),
    ("Dnieper", "river", "ne:river:dnieper", "UA"),
    ("Dnieper River", "river", "ne:river:dnieper", "UA"),
    ("the Dnipro river", "river", "ne:river:dnieper", "UA"),
    ("Siverskyi Donets", "river", "fl:siverskyi-donets", "UA"),
    ("Seversky Donets", "river", "fl:siverskyi-donets", "UA"),
    ("Oskil", "river", "fl:oskil", "UA"),
    ("Inhulets River", "river", "fl:inhulets", "UA"),
    ("Southern Bug", "river", "fl:southern-buh", "UA"),
    ("Ukraine", "country", "ne:country:UA", "UA"),
    ("Україна", "country", "ne:country:UA", "UA"),
    ("Russia", "country", "ne:country:RU", "RU"),
    ("Belarus", "country", "ne:country:BY", "BY"),
    ("Moldova", "country", "ne:country:MD", "MD"),
    ("United States", "country", "ne:country:US", "US"),
]


@pytest.mark.parametrize(
    ("query", "kind", "place_id", "country"), KINDED, ids=[k[0] for k in KINDED]
)
def test_lookup_finds_the_right_kind(gaz, query, kind, place_id, country):
    best = gaz.lookup(query)[0]
    assert (best.kind, best.place_id, best.country_code) == (kind, place_id, country)


def test_at_least_150_real_names_are_checked():
    assert len(PLACES) + len(KINDED) >= 150


# ----------------------------------------------------------------- ambiguity


def test_dnipro_city_or_river_by_kind(gaz):
    assert gaz.lookup("Dnipro")[0].kind == "city"
    river = gaz.lookup("Dnipro", kind="river")[0]
    assert river.place_id == "ne:river:dnieper"
    assert gaz.lookup("Dnipro", kind=["river", "waterbody"])[0] == river


def test_zaporizhzhia_is_the_city_not_the_village(gaz):
    found = gaz.lookup("Zaporizhzhia", limit=5)
    assert found[0].population > 500_000
    assert any(p.population < 2_000 for p in found[1:])  # the villages are still there


def test_artemivsk_prefers_bakhmut_over_the_luhansk_village(gaz):
    found = gaz.lookup("Artemivsk", limit=5)
    assert found[0].name == "Bakhmut"
    assert any(p.admin1 == "Luhansk Oblast" for p in found[1:])


def test_avdiivka_prefers_donetsk_over_chernihiv(gaz):
    found = gaz.lookup("Avdiivka", limit=5)
    assert found[0].admin1 == "Donetsk Oblast"
    assert sum(p.admin1 == "Chernihiv Oblast" for p in found) == 2


def test_odessa_is_in_ukraine_and_texas_comes_second(gaz):
    found = gaz.lookup("Odessa", limit=3)
    assert [p.country_code for p in found[:2]] == ["UA", "US"]
    assert found[1].admin1 == "Texas"


def test_prior_is_configurable(gaz):
    us_first = Gazetteer.load(prior={"US": 3.0})
    assert us_first.lookup("Odessa")[0].country_code == "US"
    assert gaz.lookup("Odessa")[0].country_code == "UA"  # the cached default is untouched


def test_near_favours_close_candidates(gaz):
    assert gaz.lookup("Nikopol")[0].admin1 == "Dnipropetrovsk Oblast"
    assert gaz.lookup("Nikopol", near=(48.9, 37.1))[0].admin1 == "Kharkiv Oblast"
    assert gaz.lookup("Odessa", near=(31.8, -102.4))[0].admin1 == "Texas"


def test_country_filter(gaz):
    assert gaz.lookup("Donetsk", country="RU")[0].admin1 == "Rostov Oblast"
    assert gaz.lookup("Odessa", country="us")[0].country_code == "US"
    assert gaz.lookup("Kyiv", country="FR") == []


def test_limit_and_unknown_name(gaz):
    assert len(gaz.lookup("Andriivka", limit=3)) == 3
    assert gaz.lookup("Xyzzyplatz") == []
    assert gaz.lookup("") == []


def test_candidates_are_prior_ordered_and_cached(gaz):
    key = normalize_name("Avdiyivka")
    first = gaz.candidates(key)
    assert first[0].admin1 == "Donetsk Oblast"
    assert gaz.candidates(key) is first
    assert gaz.candidates("no such key at all") == []


def test_keys_are_normalized_and_cover_variants(gaz):
    keys = gaz.keys()
    for name in ("Kupiansk", "Kupyansk", "Robotyne", "Kherson region", "Kakhovka dam"):
        assert normalize_name(name) in keys
    sample = list(keys)[:2000:7]
    assert all(normalize_name(k) == k for k in sample)


def test_surface_forms_and_names_of(gaz):
    forms = dict((k, s) for s, k in gaz.surface_forms())
    assert forms[normalize_name("Kyiv")] == "Kyiv"
    names = gaz.names_of("geonames:713174")
    assert names[0] == "Bakhmut" and "Artemivsk" in names and "Бахмут" in names


def test_get_and_contains(gaz):
    place = gaz.get("fl:crimean-bridge")
    assert isinstance(place, Place) and place.kind == "facility"
    assert "fl:crimean-bridge" in gaz and "fl:nowhere" not in gaz
    assert place.source.startswith("Wikipedia")


def test_every_place_has_a_known_kind_and_valid_coordinates(gaz):
    # continents and macro-regions span countries: no country code, and only they
    bad = [
        p
        for p in gaz
        if p.kind not in KINDS
        or not (-90 <= p.latitude <= 90 and -180 <= p.longitude <= 180)
        or len(p.country_code) != 2
        and not (p.country_code == "" and p.kind == "region")
    ]
    assert bad == []


def test_coverage_counts(gaz):
    places = list(gaz)
    ua = [p for p in places if p.country_code == "UA" and p.kind == "city"]
    assert len(ua) > 5000
    # GeoNames cities500 holds 44 places of Belgorod Oblast, 116 of Rostov Oblast
    assert sum(p.admin1 == "Belgorod Oblast" and p.kind == "city" for p in places) >= 40
    assert sum(p.admin1 == "Rostov Oblast" and p.kind == "city" for p in places) >= 100
    assert sum(p.place_id.startswith("ne:admin1:UP") for p in places) == 27
    assert sum(p.kind == "district" for p in places) >= 50
    assert sum(p.kind == "country" for p in places) > 200


def test_crimea_places_are_ukrainian(gaz):
    for name in ("Simferopol", "Sevastopol", "Kerch", "Yalta"):
        assert gaz.lookup(name)[0].country_code == "UA"
    assert gaz.region_of(44.95, 34.10).place_id == "ne:admin1:UP11"


# ----------------------------------------------------------------- normalize_name


@pytest.mark.parametrize(
    "variants",
    [
        ("Kupiansk", "Kupyansk", "Kup'yansk"),
        ("Izium", "Izyum"),
        ("Sievierodonetsk", "Severodonetsk"),
        ("Lysychansk", "Lisichansk"),
        ("Avdiivka", "Avdiyivka", "AVDIIVKA"),
        ("Mar'inka", "Marinka", "Mar’inka", "Marʼinka", "Mar'yinka"),
        ("Zaporizhzhia", "Zaporizhzhya", "Zaporizhia", "Запоріжжя"),
        ("Odesa", "Odessa"),
        ("Kropyvnytskyi", "Kropyvnytskyy", "Kropyvnytskyj", "Kropyvnytsky"),
        ("Bilhorod-Dnistrovskyi", "Bilhorod Dnistrovskyi", "bilhorod–dnistrovskyi"),
        ("Kherson", "Kherson ", "  KHERSON"),
        ("Krasnohorivka", "Krasnogorivka".replace("g", "h")),
        ("Khmelnytskyi", "Hmelnytskyi"),
        ("Ivano-Frankivsk", "Ivano Frankivsk"),
        ("Rzeszów", "Rzeszow"),
        ("Shchastia", "Schastia", "Shchastya", "Щастя"),
    ],
)
def test_spellings_fold_to_one_key(variants):
    keys = {normalize_name(v) for v in variants}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kyiv", "Kharkiv"),
        ("Donetsk", "Luhansk"),
        ("Kherson", "Kharkiv"),
        ("Sumy", "Sims"),
        ("Izium", "Izmail"),
    ],
)
def test_different_places_keep_different_keys(a, b):
    assert normalize_name(a) != normalize_name(b)


def test_normalize_name_empties_and_punctuation():
    assert normalize_name("") == ""
    assert normalize_name("'’-") == ""
    assert normalize_name("St. Petersburg") == normalize_name("St Petersburg")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_normalize_name_is_idempotent_and_clean(s):
    key = normalize_name(s)
    assert normalize_name(key) == key
    assert key == key.strip() and "  " not in key


# ----------------------------------------------------------------- user files


def write(tmp_path, text, name="mine.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_entries_take_precedence(tmp_path):
    path = write(
        tmp_path,
        "name,latitude,longitude,kind,country_code,alt_names,admin1\n"
        "Nikopol,48.0,37.0,city,UA,Nikopol village;Nikopolka,Donetsk Oblast\n"
        "Hill 203,48.1,37.9,landform,ua,Height 203|Hill203,\n",
    )
    gaz = Gazetteer.load(extra=path)
    best = gaz.lookup("Nikopol")[0]
    assert (best.latitude, best.longitude, best.admin1) == (48.0, 37.0, "Donetsk Oblast")
    assert best.place_id.startswith("user:")
    assert gaz.lookup("Height 203")[0].kind == "landform"
    assert gaz.lookup("Nikopolka")[0] == best
    assert normalize_name("Hill 203") in gaz.keys()
    assert gaz.names_of(best.place_id) == ["Nikopol", "Nikopol village", "Nikopolka"]
    assert gaz.version != Gazetteer.load().version
    # the bundled Nikopol is still there, second
    assert gaz.lookup("Nikopol", limit=2)[1].admin1 == "Dnipropetrovsk Oblast"


def test_user_row_with_a_bundled_id_replaces_that_place(tmp_path):
    path = write(
        tmp_path,
        "place_id,name,latitude,longitude,kind,country_code\n"
        "geonames:706448,Kherson,46.6354,32.6169,city,UA\n",
    )
    gaz = Gazetteer.load(extra=path)
    assert gaz.get("geonames:706448").source == "user file mine.csv"
    found = gaz.lookup("Kherson", limit=5)
    assert [p.place_id for p in found].count("geonames:706448") == 1
    assert found[0].latitude == 46.6354
    assert Gazetteer.load().get("geonames:706448").source.startswith("GeoNames")


def _people_of_places(gaz: Gazetteer) -> dict[tuple[str, str], int]:
    """The plain definition: the towns' people summed over every Place, by region."""
    table: dict[tuple[str, str], int] = {}
    for place in gaz:
        if place.kind == "city" and place.admin1:
            key = (place.country_code, place.admin1)
            table[key] = table.get(key, 0) + place.population
    return table


def test_population_by_region_is_read_without_building_places(tmp_path):
    path = write(
        tmp_path,
        "name,latitude,longitude,kind,country_code,admin1,population\n"
        "Newtown,48.0,37.0,city,UA,Donetsk Oblast,1000\n"
        "Elsewhere,10.0,10.0,city,NG,Nowhere State,7\n"
        "Hill 1,48.1,37.9,landform,UA,Donetsk Oblast,500\n",
    )
    mine = Gazetteer.load(extra=path)
    people = mine.population_by_region()
    assert not any(mine._cache[: len(mine._b.lines)])  # no bundled Place was made
    assert people == _people_of_places(mine)
    assert people[("NG", "Nowhere State")] == 7
    bundled = Gazetteer.load(prior={"UA": 0.25}).population_by_region()
    assert people[("UA", "Donetsk Oblast")] == bundled[("UA", "Donetsk Oblast")] + 1000
    assert mine.population_by_region() is people  # cached


def test_bundled_tables_are_tuples():
    """Tuples of strings drop out of the garbage collector's view; lists stay in it."""
    import gc

    from frontline.gazetteer import _bundle, _forms

    bundle, forms = _bundle(), _forms()
    gc.collect()
    for table in (bundle.lines, bundle.keys, bundle.rows, *forms):
        assert isinstance(table, tuple) and not gc.is_tracked(table)


def test_normalize_name_cache_is_out_of_the_collectors_view():
    import gc

    from frontline.gazetteer import _NORMALIZED

    key = normalize_name("Kyiv")
    gc.collect()
    assert _NORMALIZED["Kyiv"] == key and not gc.is_tracked(_NORMALIZED)
    normalize_name.cache_clear()
    assert not _NORMALIZED
    assert normalize_name("Kyiv") == key


def test_default_load_is_shared():
    assert Gazetteer.load() is Gazetteer.load()
    assert Gazetteer.load(prior={"UA": 1.0}) is not Gazetteer.load()


def test_user_files_accept_several_paths(tmp_path):
    a = write(
        tmp_path, "name,latitude,longitude,kind,country_code\nPoint A,48,37,city,UA\n", "a.csv"
    )
    b = write(
        tmp_path, "name,latitude,longitude,kind,country_code\nPoint B,47,36,city,UA\n", "b.csv"
    )
    gaz = Gazetteer.load(extra=[a, b])
    assert gaz.lookup("Point A")[0].latitude == 48
    assert gaz.lookup("Point B")[0].latitude == 47


def test_bad_user_file_names_file_and_every_row(tmp_path):
    path = write(
        tmp_path,
        "name,latitude,longitude,kind,country_code\n"
        "Good,48,37,city,UA\n"
        "Bad lat,north,37,city,UA\n"
        "Bad kind,48,37,town,UA\n"
        "Far,95,37,city,UA\n",
    )
    with pytest.raises(GazetteerError, match=r"mine\.csv: 3 bad row") as err:
        Gazetteer.load(extra=path)
    text = str(err.value)
    assert "row 3" in text and "not numbers" in text
    assert "row 4" in text and "'town'" in text
    assert "row 5" in text and "out of range" in text


def test_user_file_missing_columns(tmp_path):
    path = write(tmp_path, "name,lat,lon\nX,1,2\n")
    with pytest.raises(GazetteerError, match=r"missing column\(s\) latitude, longitude"):
        Gazetteer.load(extra=path)


def test_user_file_not_found(tmp_path):
    with pytest.raises(GazetteerError, match="gazetteer file not found"):
        Gazetteer.load(extra=tmp_path / "nope.csv")


# ----------------------------------------------------------------- errors


def test_get_unknown_id_raises_with_suggestions(gaz):
    with pytest.raises(UnknownPlaceError, match="no place named 'fl:bakhmutt'") as err:
        gaz.get("fl:bakhmutt")
    assert "Bakhmut" in err.value.suggestions
    assert isinstance(err.value, LookupError)


def test_resolve_unknown_name(gaz):
    with pytest.raises(UnknownPlaceError, match="closest known spellings: .*Kramatorsk"):
        gaz.resolve("Kramatorzk")


def test_unknown_kind_is_an_error(gaz):
    with pytest.raises(GazetteerError, match="unknown kind.*town"):
        gaz.lookup("Kyiv", kind="town")


def test_unknown_layer_is_an_error(gaz):
    with pytest.raises(GazetteerError, match="unknown layer 'roads'"):
        gaz.layer("roads")


def test_suggest(gaz):
    assert gaz.suggest("Zaporizia")[0] == "Zaporizhzhia"
    assert "Avdiivka" in gaz.suggest("Avdiyvka")
    assert gaz.suggest("") == []


# ----------------------------------------------------------------- geometry


def test_region_of(gaz):
    assert gaz.region_of(46.64, 32.61).name == "Kherson Oblast"
    assert gaz.region_of(48.59, 38.0).admin1_code == "05"
    assert gaz.region_of(50.60, 36.59).name == "Belgorod Oblast"
    assert gaz.region_of(53.90, 27.57).country_code == "BY"
    assert gaz.region_of(0.0, 0.0) is None
    # a point just off the generalized coast of Odesa still belongs to its oblast
    assert gaz.region_of(46.48, 30.75).admin1_code == "17"


def test_region_polygons_agree_with_geonames_admin1_codes(gaz):
    """NE fips UPnn = GeoNames admin1 nn: a Ukrainian place falls in its own oblast."""
    places = [p for p in gaz if p.place_id.startswith("geonames:") and p.country_code == "UA"]
    same = sum(
        getattr(gaz.region_of(p.latitude, p.longitude), "admin1_code", None) == p.admin1_code
        for p in places
    )
    assert same / len(places) > 0.97  # the rest: enclaves (Slavutych) and border villages


def test_layers_have_the_contract_columns(gaz):
    for name in ("countries", "regions", "rivers", "water"):
        df = gaz.layer(name)
        assert {"place_id", "name", "kind", "geometry"} <= set(df.columns), name
        assert df.crs.to_epsg() == 4326
        assert len(df) > 0
        assert df.geometry.is_valid.all(), name
    regions = gaz.layer("regions")
    assert len(regions) == 27 + 5
    assert gaz.layer("countries") is not gaz.layer("countries")  # callers may mutate


def test_crimea_is_drawn_as_ukraine(gaz):
    from shapely.geometry import Point

    countries = gaz.layer("countries").set_index("place_id")
    simferopol = Point(34.10, 44.95)  # (lon, lat)
    assert countries.loc["ne:country:UA"].geometry.contains(simferopol)
    assert not countries.loc["ne:country:RU"].geometry.contains(simferopol)
    assert countries.loc["ne:country:RU"].geometry.contains(Point(37.62, 55.76))
    # the Taman peninsula, across the Kerch Strait, stays Russian
    assert not countries.loc["ne:country:UA"].geometry.contains(Point(36.9, 45.25))


def test_dnieper_is_continuous_and_passes_its_cities(gaz):
    from shapely import line_merge
    from shapely.geometry import Point

    river = gaz.geometry("ne:river:dnieper")
    for lon, lat in [
        (30.52, 50.45),
        (32.06, 49.44),
        (35.05, 48.46),
        (35.14, 47.84),
        (33.36, 46.76),
        (32.62, 46.64),
    ]:
        assert river.distance(Point(lon, lat)) < 0.1, (lat, lon)
    merged = line_merge(river)
    longest = max(getattr(merged, "geoms", [merged]), key=lambda g: g.length)
    ys = [y for _, y in longest.coords]
    assert min(ys) < 46.6 and max(ys) > 51.5  # the delta to Belarus in one line
    assert min(x for x, _ in longest.coords) < 32.4  # through the delta, past Kherson


def test_dnieper_lies_on_the_water_near_kherson_and_nova_kakhovka(gaz):
    """The line is snapped onto OSM water areas; where the areas have gaps it bridges them."""
    from shapely.geometry import box

    river = gaz.geometry("ne:river:dnieper")
    water = gaz.layer("water").union_all().buffer(0.0015)  # ~150 m: one pixel at zoom 10
    for frame in (box(32.30, 46.50, 32.80, 46.72), box(33.20, 46.70, 33.37, 46.80)):
        part = river.intersection(frame)
        assert part.length > 0
        assert part.intersection(water).length / part.length > 0.65


def test_geometry_of_regions_and_points(gaz):
    from shapely.geometry import Point

    assert gaz.geometry("ne:admin1:UP08").contains(Point(33.5, 46.5))  # (lon, lat)
    assert gaz.geometry("geonames:695586").geom_type == "Point"  # Robotyne
    reservoir = gaz.geometry("fl:kremenchuk-reservoir")
    assert reservoir.geom_type == "Polygon" and reservoir.contains(Point(32.6, 49.25))
    with pytest.raises(UnknownPlaceError):
        gaz.geometry("ne:nothing")


# ----------------------------------------------------------------- data


def test_bundled_keys_match_the_current_normalizer():
    """The index is built with normalize_name: a change to it needs a rebuild."""
    text = gzip.decompress(
        resources.files("frontline").joinpath("data", "forms.txt.gz").read_bytes()
    ).decode()
    forms = text.partition("\n\f\n")[0].split("\n")
    keys = (
        gzip.decompress(resources.files("frontline").joinpath("data", "names.txt.gz").read_bytes())
        .decode()
        .partition("\n\f\n")[0]
        .split("\n")
    )
    assert len(forms) == len(keys)
    stale = [(f, k) for f, k in zip(forms[::50], keys[::50], strict=True) if normalize_name(f) != k]
    assert stale == [], "rebuild the geodata: python geodata/build.py"


def test_version_is_a_short_stable_hash(gaz):
    assert len(gaz.version) == 12
    assert Gazetteer.load().version == gaz.version


def test_other_rivers_have_lines(gaz):
    from shapely.geometry import Point

    rivers = gaz.layer("rivers").set_index("place_id")
    assert {"fl:dniester", "fl:don", "fl:danube", "fl:siverskyi-donets", "fl:oskil"} <= set(
        rivers.index
    )
    assert rivers.loc["fl:don"].geometry.distance(Point(39.72, 47.23)) < 0.1  # Rostov
    assert gaz.geometry("fl:dniester").distance(Point(27.79, 48.45)) < 0.1  # Mohyliv-P.
    # WDB-II (GSHHG) lines: the Donets past Lysychansk, the Oskil past Kupiansk
    assert gaz.geometry("fl:siverskyi-donets").distance(Point(38.43, 48.91)) < 0.05
    assert gaz.geometry("fl:oskil").distance(Point(37.62, 49.71)) < 0.05
    assert gaz.geometry("fl:desna").geom_type == "Point"  # no line source: a point


# ----------------------------------------------------------------- build helpers


@pytest.fixture(scope="module")
def build_module():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "geodata" / "build.py"
    spec = importlib.util.spec_from_file_location("frontline_geodata_build", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_topojson_decoding(build_module):
    topo = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
        "arcs": [[[0, 0], [2, 0], [0, 4]], [[2, 4], [-2, 0], [0, -4]]],
        "objects": {},
    }
    arcs = build_module.topo_arcs(topo)
    assert arcs[0] == [(10.0, 20.0), (11.0, 20.0), (11.0, 21.0)]
    ring = build_module.topo_geometry(arcs, {"type": "Polygon", "arcs": [[0, 1]]})
    assert ring.area == pytest.approx(1.0)
    line = build_module.topo_geometry(arcs, {"type": "LineString", "arcs": [0, ~1]})
    assert list(line.coords)[-1] == (11.0, 21.0) and len(line.coords) == 5


def test_chain_lines_joins_close_ends_in_any_direction(build_module):
    from shapely.geometry import LineString

    pieces = [
        LineString([(0, 0), (1, 0)]),
        LineString([(2.01, 0), (1.01, 0)]),
        LineString([(5, 5), (6, 6)]),
    ]
    chained = build_module.chain_lines(pieces, tol=0.05)
    assert len(chained) == 2
    assert chained[0].length == pytest.approx(2.0, abs=0.02)


def test_geodata_files_are_compact():
    data = resources.files("frontline").joinpath("data")
    sizes = {p.name: len(p.read_bytes()) for p in data.iterdir() if p.is_file()}
    assert max(sizes.values()) < 8_000_000, sizes
    assert sum(sizes.values()) < 12_000_000, sizes


def test_supplement_points_lie_in_their_stated_oblast(gaz):
    offshore = {"fl:snake-island", "fl:arabat-spit"}  # beyond the generalized coastline
    wrong = []
    for p in gaz:
        if (
            p.place_id.startswith("fl:")
            and p.kind != "waterbody"
            and p.place_id not in offshore
            and p.country_code == "UA"
            and p.admin1_code
        ):
            region = gaz.region_of(p.latitude, p.longitude)
            if region is None or region.admin1_code != p.admin1_code:
                wrong.append((p.place_id, p.admin1_code, region and region.name))
    assert wrong == []


# ------------------------------------------------------- world coverage (issue 3)

# (query, latitude, longitude, country): first-level units worldwide, as points within
# 200 km of the unit's middle (a state is large; the corpora count 161 km as right)
WORLD_REGIONS = [
    ("California", 37.2, -119.5, "US"),
    ("Texas", 31.3, -99.3, "US"),
    ("Ohio", 40.3, -82.8, "US"),
    ("Kentucky", 37.5, -85.3, "US"),
    ("Hawaii", 19.6, -155.5, "US"),
    ("New Jersey", 40.1, -74.6, "US"),
    ("West Virginia", 38.6, -80.6, "US"),
    ("Alberta", 54.5, -115.0, "CA"),
    ("British Columbia", 54.0, -125.0, "CA"),
    ("B.C.", 54.0, -125.0, "CA"),
    ("Calif.", 37.2, -119.5, "US"),
    ("W.Va.", 38.6, -80.6, "US"),
    ("Darfur", 13.5, 24.5, "SD"),
    ("Queensland", -22.0, 144.0, "AU"),
    ("NSW", -32.0, 147.0, "AU"),
    ("Tamil Nadu", 11.0, 78.5, "IN"),
    ("Ontario", 49.5, -85.0, "CA"),
]


@pytest.mark.parametrize(
    ("query", "lat", "lon", "country"), WORLD_REGIONS, ids=[q for q, *_ in WORLD_REGIONS]
)
def test_world_first_level_regions(gaz, query, lat, lon, country):
    best = gaz.lookup(query)[0]
    assert (best.kind, best.country_code) == ("region", country), best
    assert km(best.latitude, best.longitude, lat, lon) < 200, best


def test_world_regions_carry_their_own_name_as_admin1(gaz):
    # cities inside a state name it as their admin1, so the two agree
    ohio = gaz.lookup("Ohio", kind="region")[0]
    assert ohio.admin1 == "Ohio"
    assert gaz.lookup("Columbus", country="US")[0].admin1 == "Ohio"


@pytest.mark.parametrize("name", ["Central", "North West", "Upper East", "Lakes"])
def test_generic_region_names_are_not_indexed(gaz, name):
    assert all(p.kind != "region" for p in gaz.lookup(name))


def test_foreign_regions_rank_below_big_cities_of_their_name(gaz):
    assert gaz.lookup("Washington")[0].kind == "city"
    assert gaz.lookup("New York")[0].kind == "city"
    assert gaz.lookup("Georgia")[0].kind == "country"  # the country before the US state
    assert gaz.lookup("Kherson region")[0].kind == "region"


# (query, latitude, longitude): GeoNames' continent points; macro-regions at the middle
# of their member countries
CONTINENTS = [
    ("Europe", 48.69, 9.14),
    ("Asia", 29.84, 89.30),
    ("Africa", 7.19, 21.09),
    ("North America", 46.07, -100.55),
    ("South America", -14.60, -57.66),
    ("Oceania", -18.31, 138.52),
    ("Antarctica", -78.16, 16.41),
]


@pytest.mark.parametrize(("query", "lat", "lon"), CONTINENTS, ids=[q for q, *_ in CONTINENTS])
def test_continents(gaz, query, lat, lon):
    best = gaz.lookup(query, kind="region")[0]  # Antarctica is also a Natural Earth country
    assert (
        best.kind == "region" and best.country_code == "" and best.place_id.startswith("geonames:")
    ), best
    assert km(best.latitude, best.longitude, lat, lon) < 5


@pytest.mark.parametrize(
    ("query", "inside"),
    [
        ("Middle East", (24.0, 38.0, 36.0, 56.0)),
        ("the Balkans", (40.0, 18.0, 46.5, 24.0)),
        ("Baltic states", (55.5, 21.0, 59.5, 28.5)),
        ("Central Asia", (37.0, 52.0, 55.0, 87.0)),
        ("South Caucasus", (38.5, 40.0, 43.5, 50.5)),
        ("Latin America", (-35.0, -80.0, 20.0, -40.0)),
        ("EU", (44.0, 0.0, 56.0, 25.0)),
        ("the Americas", (-30.0, -110.0, 50.0, -40.0)),
    ],
)
def test_macro_regions_lie_among_their_members(gaz, query, inside):
    best = gaz.lookup(query)[0]
    south, west, north, east = inside
    assert best.kind == "region" and best.country_code == ""
    assert south <= best.latitude <= north and west <= best.longitude <= east, best


@pytest.mark.parametrize(
    ("query", "lat", "lon"),
    [
        ("England", 52.5, -1.5),
        ("Scotland", 56.8, -4.2),
        ("Wales", 52.3, -3.7),
        ("Northern Ireland", 54.6, -6.7),
    ],
)
def test_nations_of_the_united_kingdom_are_regions_of_gb(gaz, query, lat, lon):
    best = gaz.lookup(query)[0]
    assert (best.kind, best.country_code) == ("region", "GB"), best
    assert km(best.latitude, best.longitude, lat, lon) < 100


COUNTRY_ALIASES = [
    ("U.S.", "US"),
    ("US", "US"),
    ("USA", "US"),
    ("the United States", "US"),
    ("United States of America", "US"),
    ("America", "US"),
    ("UAE", "AE"),
    ("United Arab Emirates", "AE"),
    ("DRC", "CD"),
    ("Democratic Republic of the Congo", "CD"),
    ("UK", "GB"),
    ("U.K.", "GB"),
    ("Britain", "GB"),
    ("Great Britain", "GB"),
    ("Holland", "NL"),
    ("the Netherlands", "NL"),
    ("Czechia", "CZ"),
    ("Czech Republic", "CZ"),
    ("Ivory Coast", "CI"),
    ("Côte d'Ivoire", "CI"),
    ("Burma", "MM"),
    ("Myanmar", "MM"),
    ("South Korea", "KR"),
    ("Republic of Korea", "KR"),
    ("North Korea", "KP"),
    ("DPRK", "KP"),
    ("Russian Federation", "RU"),
    ("Росія", "RU"),
    ("Türkiye", "TR"),
    ("Turkey", "TR"),
    ("Moldavia", "MD"),
    ("Belorussia", "BY"),
    ("Vietnam", "VN"),
    ("Syria", "SY"),
    ("Iran", "IR"),
    ("Laos", "LA"),
    ("East Timor", "TL"),
    ("Swaziland", "SZ"),
    ("Holy See", "VA"),
    ("People's Republic of China", "CN"),
]


@pytest.mark.parametrize(("query", "country"), COUNTRY_ALIASES, ids=[q for q, _ in COUNTRY_ALIASES])
def test_country_aliases(gaz, query, country):
    best = gaz.lookup(query)[0]
    assert (best.kind, best.country_code) == ("country", country), best


# GeoNames' country points (the standard the geoparsing corpora use): the project brief
# gives these four; most equal the CIA World Factbook's reference points
@pytest.mark.parametrize(
    ("query", "lat", "lon"),
    [
        ("Russia", 60.0, 100.0),
        ("China", 35.0, 105.0),
        ("United States", 39.76, -98.5),
        ("Canada", 60.1, -113.6),
        ("Ukraine", 49.0, 32.0),
        ("Mexico", 23.0, -102.0),
    ],
)
def test_country_points(gaz, query, lat, lon):
    best = gaz.lookup(query)[0]
    assert best.kind == "country"
    assert km(best.latitude, best.longitude, lat, lon) < 10, best


# ----------------------------------------------- wrong GeoNames alternates (issue 4)


@pytest.mark.parametrize(
    ("query", "not_this"),
    [
        ("White House", "geonames:2553604"),  # Casablanca: a translation of its name
        ("Washington Square", "geonames:5117891"),  # Franklin Square (NY)
        ("Africa", "geonames:2473572"),  # Mahdia (Tunisia)
        ("Mali", "geonames:700421"),  # Natashino (UA): "Malij" folds to "mali"
        ("Kosovo", "geonames:629018"),  # Kosava (BY)
        ("Missouri", "geonames:5641727"),  # Bozeman (Montana)
    ],
)
def test_wrong_alternates_do_not_resolve(gaz, query, not_this):
    assert all(p.place_id != not_this for p in gaz.lookup(query, limit=50))


def test_short_and_contracted_words_are_not_names(gaz):
    for word in ("Im", "I'm", "jm"):
        assert gaz.lookup(word) == []


def test_a_front_line_town_keeps_its_russian_name(gaz):
    # Seversk (Tomsk oblast) is larger but not twenty times larger than Siversk
    assert gaz.lookup("Seversk", country="UA")[0].name == "Siversk"
    assert gaz.lookup("Северск", country="UA")[0].name == "Siversk"


@pytest.fixture(scope="module")
def alternate_filter(build_module):
    records = [
        {"name": "Big City", "countrycode": "US", "population": 2_000_000},
        {"name": "Smallville", "countrycode": "UA", "population": 900},
        {"name": "Middletown", "countrycode": "UA", "population": 150_000},
    ]
    country = {"place_id": "ne:country:ML", "kind": "country", "country_code": "ML", "admin1": ""}
    continent = {"place_id": "geonames:1", "kind": "region", "country_code": "", "admin1": ""}
    state = {
        "place_id": "ne:admin1:US-ohio",
        "kind": "region",
        "country_code": "US",
        "admin1": "Ohio",
    }
    areas = [
        (country, [("Mali", True)]),
        (continent, [("Africa", True)]),
        (state, [("Ohio", True)]),
    ]
    return build_module.AlternateFilter(records, areas)


@pytest.mark.parametrize(
    ("alternate", "place", "kept"),
    [
        ("Smallville", "Smallville", True),  # its own name
        ("Ohio", "Small US town", False),  # a region of its country, but not its own
        ("Smalvil", "Smallville", True),  # an ordinary variant
        ("White House", "Smallville", False),  # a landmark (not_place_names.csv)
        ("Africa", "Smallville", False),  # a continent
        ("Malij", "Smallville", False),  # a country elsewhere (folds to "mali")
        ("Ohio", "Smallville", False),  # a region of another country
        ("Ohio", "Big City", True),  # ... but a place of that country may carry it
        ("Big City", "Smallville", False),  # a place >100,000 and 20 times larger
        ("Big City", "Middletown", True),  # not 20 times larger
        ("Smallville Palace", "Smallville", False),  # a building in the place
        ("Smallville Square", "Smallville", False),  # a square in the place
    ],
)
def test_alternate_filter_rules(alternate_filter, alternate, place, kept):
    rec = {
        "Smallville": {"name": "Smallville", "countrycode": "UA", "population": 900},
        "Small US town": {"name": "Small US town", "countrycode": "US", "population": 900},
        "Middletown": {"name": "Middletown", "countrycode": "UA", "population": 150_000},
        "Big City": {"name": "Big City", "countrycode": "US", "population": 2_000_000},
    }
    admin1 = {"Big City": "Ohio", "Small US town": "Montana"}.get(place, "")
    assert alternate_filter.keep(alternate, rec[place], admin1) is kept


def test_generic_region_name_rule(build_module):
    assert build_module._generic("North West") and build_module._generic("Central Region")
    assert not build_module._generic("Western Cape") and not build_module._generic("Ohio")


@pytest.mark.parametrize(
    ("query", "state", "lat", "lon"),
    [
        ("Laurel County", "Kentucky", 37.11, -84.12),
        ("Kanawha County", "West Virginia", 38.34, -81.53),
        ("Acadia Parish", "Louisiana", 30.29, -92.41),
        ("Maricopa County", "Arizona", 33.35, -112.49),
    ],
)
def test_us_counties_are_districts(gaz, query, state, lat, lon):
    best = gaz.lookup(query)[0]
    assert (best.kind, best.country_code, best.admin1) == ("district", "US", state), best
    assert km(best.latitude, best.longitude, lat, lon) < 30


def test_us_counties_share_names_and_keep_bare_names_free(gaz):
    assert len(gaz.lookup("Washington County", limit=50)) == 30  # one in 30 states
    assert gaz.lookup("Laurel County", near=(37.1, -84.1))[0].admin1 == "Kentucky"
    assert all(p.kind != "district" for p in gaz.lookup("Laurel", limit=50))


@pytest.mark.parametrize(
    ("query", "state"),
    [
        ("Butler County", "Ohio"),
        ("Orange County", "California"),
        ("Henry County", "Georgia"),
        ("Richmond County", "New York"),
        ("Franklin County", "Ohio"),
    ],
)
def test_us_counties_of_one_name_rank_by_their_towns_population(gaz, query, state):
    # the population of a county is the summed population of its GeoNames places
    ranked = gaz.lookup(query, limit=50)
    assert ranked[0].admin1 == state, ranked[:3]
    assert ranked[0].population == max(p.population for p in ranked) > 40_000
    assert min(p.population for p in ranked) < ranked[0].population / 5


def test_counties_do_not_crowd_out_cities(gaz):
    assert gaz.lookup("Orange County")[0].kind == "district"
    assert gaz.lookup("Orange")[0].kind == "city"
    assert gaz.lookup("Los Angeles")[0].kind == "city"  # not Los Angeles County


@pytest.mark.parametrize(
    ("query", "name", "country"),
    [
        ("Bavaria", "Bayern", "DE"),
        ("Lower Saxony", "Niedersachsen", "DE"),
        ("Tibet", "Xizang", "CN"),
        ("East Java", "Jawa Timur", "ID"),
        ("North Kivu", "Nord-Kivu", "CD"),
        ("Balearic Islands", "Baleares", "ES"),
    ],
)
def test_world_regions_answer_to_their_english_names(gaz, query, name, country):
    best = gaz.lookup(query)[0]
    assert (best.name, best.kind, best.country_code) == (name, "region", country), best
    assert query in gaz.names_of(best.place_id)


def test_english_region_names_are_alternates_only(gaz):
    assert gaz.lookup("Beograd")[0].kind == "city"  # Belgrade, not the region Grad Beograd
    assert gaz.lookup("Tibet")[0].name != "Tibet"
    assert all(p.kind != "region" for p in gaz.lookup("National Capital Region"))


def test_english_labels_are_kept_only_when_they_name_one_unit(build_module):
    import pandas as pd

    rows = pd.DataFrame(
        [  # name, woe_name, gn_name, adm0_a3, woe_label
            ("Bayern", "Bayern", "Freistaat Bayern", "DEU", "Bavaria, DE, Germany"),
            ("Hessen", "Hessen", "Land Hessen", "DEU", "Hessen, DE, Germany"),  # its own name
            ("Barcelona", "Barcelona", None, "ESP", "Catalonia, ES, Spain"),  # shared: a parent
            ("Girona", "Girona", None, "ESP", "Catalonia, ES, Spain"),
            ("Napo", "Napo", None, "ECU", "Tungurahua, EC, Ecuador"),  # a neighbour's name
            ("Tungurahua", "Tungurahua", None, "ECU", None),
            ("Agri", "Agri", None, "TUR", "A\u00c4\u0178r\u00c4\u00b1, TR, Turkey"),  # mojibake
        ],
        columns=["name", "woe_name", "gn_name", "adm0_a3", "woe_label"],
    )
    assert build_module.english_labels(rows) == {0: "Bavaria"}
    assert build_module._mojibake("K\u00c4\u00b1r\u00c5\u0178ehir")
    assert not build_module._mojibake("Neuch\u00e2tel") and not build_module._mojibake("Bavaria")


@pytest.mark.parametrize(
    ("query", "name", "country", "lat", "lon"),
    [
        ("Lombardy", "Lombardy", "IT", 45.6, 9.8),
        ("Sicily", "Sicily", "IT", 37.6, 14.1),
        ("Catalonia", "Catalonia", "ES", 41.8, 1.5),
        ("Cataluña", "Catalonia", "ES", 41.8, 1.5),
        ("Andalucía", "Andalusia", "ES", 37.4, -4.6),
        ("Brittany", "Brittany", "FR", 48.2, -2.9),
        ("Flanders", "Flanders", "BE", 51.0, 4.2),
        ("Sumatra", "Sumatra", "ID", -0.5, 101.5),
        ("Leinster", "Leinster", "IE", 53.1, -7.0),
        ("Kurdistan", "Kurdistan", "IQ", 36.0, 44.5),
    ],
)
def test_regions_above_natural_earth_units(gaz, query, name, country, lat, lon):
    # ISO 3166-2 parents of Natural Earth's provinces, named by CLDR, at their provinces
    best = gaz.lookup(query)[0]
    assert (best.name, best.kind, best.country_code) == (name, "region", country), best
    assert best.place_id.startswith("iso:") and best.admin1 == name
    assert km(best.latitude, best.longitude, lat, lon) < 150, best


def test_provinces_leave_their_region_name_to_the_region(gaz):
    # Natural Earth's woe_name of Cádiz province is "Andalucía": the region answers
    assert [p.place_id for p in gaz.lookup("Andalucía", kind="region")] == ["iso:ES-AN"]
    assert gaz.lookup("Cádiz", kind="region")[0].name == "Cádiz"


def test_cldr_english_names_of_units_stay_behind_cities(gaz):
    assert [p.kind for p in gaz.lookup("Milan", limit=2)] == ["city", "region"]
    assert gaz.lookup("Milan", kind="region")[0].name == "Milano"
    assert gaz.lookup("Peter") == []  # CLDR's "Peter" for Peterborough is cut short


def test_iso_subdivision_name_forms(build_module):
    from types import SimpleNamespace as Sub

    forms = build_module.iso_forms
    assert forms(Sub(code="ES-CT", name="Catalunya [Cataluña]"), {"ES-CT": "Catalonia"}) == [
        "Catalunya",
        "Cataluña",
        "Catalonia",
    ]
    assert forms(Sub(code="ES-MC", name="Murcia, Región de"), {}) == ["Región de Murcia"]
    assert forms(Sub(code="PH-01", name="Ilocos (Region I)"), {}) == ["Ilocos"]
    assert forms(Sub(code="GB-WLS", name="Wales [Cymru GB-CYM]"), {}) == ["Wales", "Cymru"]
    assert build_module._cut_short("peter", "peterborough")
    assert not build_module._cut_short("milan", "milano")
    assert not build_module._cut_short("tibet", "tibet autonomous region")


@pytest.mark.parametrize(
    ("query", "state"),
    [
        ("Ind.", "Indiana"),
        ("Ky.", "Kentucky"),
        ("Md.", "Maryland"),
        ("Vt.", "Vermont"),
        ("D.C.", "District of Columbia"),
        ("Kan.", "Kansas"),
    ],
)
def test_ap_state_abbreviations(gaz, query, state):
    # in text, the geoparser weighs them against namesakes ("Ind" folds to "Jind")
    best = gaz.lookup(query, country="US")[0]
    assert (best.name, best.kind) == (state, "region"), best


# ------------------------------------------- Ukraine: every settlement, official names

# (any spelling, the official name the place is shown under, its oblast)
OFFICIAL_NAMES = [
    ("Izyum", "Izium", "Kharkiv Oblast"),
    ("Izium", "Izium", "Kharkiv Oblast"),
    ("Изюм", "Izium", "Kharkiv Oblast"),
    ("Ізюм", "Izium", "Kharkiv Oblast"),
    ("Kupyansk", "Kupiansk", "Kharkiv Oblast"),
    ("Kup'yans'k", "Kupiansk", "Kharkiv Oblast"),
    ("Kupiansk", "Kupiansk", "Kharkiv Oblast"),
    ("Avdeyevka", "Avdiivka", "Donetsk Oblast"),
    ("Avdiyivka", "Avdiivka", "Donetsk Oblast"),
    ("Avdiivka", "Avdiivka", "Donetsk Oblast"),
    ("Авдеевка", "Avdiivka", "Donetsk Oblast"),
    ("Zaporizhzhya", "Zaporizhzhia", "Zaporizhzhia Oblast"),
    ("Zaporozhye", "Zaporizhzhia", "Zaporizhzhia Oblast"),
    ("Zaporizhzhia", "Zaporizhzhia", "Zaporizhzhia Oblast"),
    ("Balakliya", "Balakliia", "Kharkiv Oblast"),
    ("Balakleya", "Balakliia", "Kharkiv Oblast"),
    ("Severodonetsk", "Sievierodonetsk", "Luhansk Oblast"),
    ("Sievierodonetsk", "Sievierodonetsk", "Luhansk Oblast"),
    ("Siverskodonetsk", "Sievierodonetsk", "Luhansk Oblast"),
    ("Mykolayiv", "Mykolaiv", "Mykolaiv Oblast"),
    ("Nikolaev", "Mykolaiv", "Mykolaiv Oblast"),
    ("Mar'inka", "Marinka", "Donetsk Oblast"),
    ("Mar’inka", "Marinka", "Donetsk Oblast"),
    ("Marʼinka", "Marinka", "Donetsk Oblast"),
    ("Maryinka", "Marinka", "Donetsk Oblast"),
    ("Kadiyivka", "Kadiivka", "Luhansk Oblast"),
    ("Kropyvnytskyy", "Kropyvnytskyi", "Kirovohrad Oblast"),
    ("Kalmius'ke", "Kalmiuske", "Donetsk Oblast"),
    ("Velyka Novosilka", "Velyka Novosilka", "Donetsk Oblast"),
    ("Vuhledar", "Vuhledar", "Donetsk Oblast"),
    ("Ugledar", "Vuhledar", "Donetsk Oblast"),
    ("Chasiv Yar", "Chasiv Yar", "Donetsk Oblast"),
    ("Chasov Yar", "Chasiv Yar", "Donetsk Oblast"),
    ("Huliaipole", "Huliaipole", "Zaporizhzhia Oblast"),
    ("Gulyaypole", "Huliaipole", "Zaporizhzhia Oblast"),
    ("Bilhorod-Dnistrovskyi", "Bilhorod-Dnistrovskyi", "Odesa Oblast"),
    ("Belgorod-Dnestrovsky", "Bilhorod-Dnistrovskyi", "Odesa Oblast"),
]


@pytest.mark.parametrize(("query", "name", "admin1"), OFFICIAL_NAMES)
def test_ukrainian_places_show_their_official_name(gaz, query, name, admin1):
    best = gaz.lookup(query)[0]
    assert (best.name, best.admin1, best.country_code) == (name, admin1, "UA")


def test_an_analyst_filtering_on_the_official_name_finds_the_city(gaz):
    city = gaz.resolve("Zaporizhzhya")
    assert city.name == "Zaporizhzhia" and city.admin1 == "Zaporizhzhia Oblast"
    assert city.population > 500_000


# (former name, the place's name now, its oblast): 2016 decommunization, 2019-2024
RENAMINGS = [
    ("Artemivsk", "Bakhmut", "Donetsk Oblast"),
    ("Artemovsk", "Bakhmut", "Donetsk Oblast"),
    ("Dnipropetrovsk", "Dnipro", "Dnipropetrovsk Oblast"),
    ("Kirovohrad", "Kropyvnytskyi", "Kirovohrad Oblast"),
    ("Kirovograd", "Kropyvnytskyi", "Kirovohrad Oblast"),
    ("Krasnoarmiisk", "Pokrovsk", "Donetsk Oblast"),
    ("Krasnoarmeysk", "Pokrovsk", "Donetsk Oblast"),
    ("Dzerzhynsk", "Toretsk", "Donetsk Oblast"),
    ("Dymytrov", "Myrnohrad", "Donetsk Oblast"),
    ("Krasnyi Lyman", "Lyman", "Donetsk Oblast"),
    ("Dniprodzerzhynsk", "Kamianske", "Dnipropetrovsk Oblast"),
    ("Ordzhonikidze", "Pokrov", "Dnipropetrovsk Oblast"),
    ("Komsomolsk", "Horishni Plavni", "Poltava Oblast"),
    ("Tsiurupynsk", "Oleshky", "Kherson Oblast"),
    ("Illichivsk", "Chornomorsk", "Odesa Oblast"),
    ("Stakhanov", "Kadiivka", "Luhansk Oblast"),
    ("Krasnodon", "Sorokyne", "Luhansk Oblast"),
    ("Shchors", "Snovsk", "Chernihiv Oblast"),
    ("Pereiaslav-Khmelnytskyi", "Pereiaslav", "Kyiv Oblast"),
    ("Novohrad-Volynskyi", "Zviahel", "Zhytomyr Oblast"),
    ("Chervonohrad", "Sheptytskyi", "Lviv Oblast"),
    ("Novomoskovsk", "Samar", "Dnipropetrovsk Oblast"),
    ("Krasnohrad", "Berestyn", "Kharkiv Oblast"),
    ("Yuzhnoukrainsk", "Pivdennoukrainsk", "Mykolaiv Oblast"),
    ("Yuzhne", "Pivdenne", "Odesa Oblast"),
]


@pytest.mark.parametrize(("former", "name", "admin1"), RENAMINGS)
def test_former_names_find_the_renamed_place(gaz, former, name, admin1):
    best = gaz.lookup(former)[0]
    assert (best.name, best.admin1) == (name, admin1)
    assert normalize_name(former) in {normalize_name(n) for n in gaz.names_of(best.place_id)}


# villages the General Staff summaries and front-line reporting name (issue 15)
VILLAGES = [
    ("Tabaivka", "Kharkiv Oblast"),
    ("Cherneshchyna", "Kharkiv Oblast"),
    ("Zolota Nyva", "Donetsk Oblast"),
    ("Dehtiarne", "Kharkiv Oblast"),
    ("Shyikivka", "Kharkiv Oblast"),
    ("Lozuvatske", "Donetsk Oblast"),
    ("Robotyne", "Zaporizhzhia Oblast"),
    ("Klishchiivka", "Donetsk Oblast"),
    ("Novomykhailivka", "Donetsk Oblast"),
    ("Pisky", "Donetsk Oblast"),
    ("Arkhanhelske", "Kherson Oblast"),
    ("Krynky", "Kherson Oblast"),
    ("Staromaiorske", "Donetsk Oblast"),
    ("Urozhaine", "Donetsk Oblast"),
    ("Synkivka", "Kharkiv Oblast"),
    ("Terny", "Donetsk Oblast"),
]


@pytest.mark.parametrize(("village", "admin1"), VILLAGES)
def test_front_line_villages_are_known_in_their_oblast(gaz, village, admin1):
    found = gaz.lookup(village, country="UA", limit=200)
    assert any(p.admin1 == admin1 and p.kind == "city" for p in found), found[:3]


def test_every_ukrainian_settlement_is_loaded(gaz):
    ua = [p for p in gaz if p.country_code == "UA"]
    settlements = [p for p in ua if p.kind == "city"]
    assert len(settlements) > 30_000
    assert sum(p.feature_code == "PPLX" and p.kind == "district" for p in ua) > 700
    # nearly every settlement carries its raion (admin2) and feature code
    with_raion = sum(bool(p.admin2_code and p.admin2) for p in settlements)
    assert with_raion / len(settlements) > 0.98
    assert all(
        p.feature_code.startswith("PPL") for p in settlements if p.source.startswith("GeoNames")
    )


def test_places_from_two_sources_are_one_place(gaz):
    for village in ("Robotyne", "Klishchiivka", "Novoprokopivka"):
        found = [p for p in gaz.lookup(village, limit=50) if p.country_code == "UA"]
        close = [
            p
            for p in found
            if km(p.latitude, p.longitude, found[0].latitude, found[0].longitude) < 5
        ]
        assert len(close) == 1, close
    assert "Rabotino" in gaz.names_of(gaz.resolve("Robotyne").place_id)


def test_city_sections_are_districts_weighed_like_villages(gaz):
    sykhiv = gaz.resolve("Sykhiv")
    assert (sykhiv.kind, sykhiv.feature_code, sykhiv.admin1) == ("district", "PPLX", "Lviv Oblast")
    # a section does not outrank a settlement of its name by its kind alone
    assert gaz.lookup("Oleksandrivka")[0].kind == "city"


FACILITIES = [
    ("Poltava Air Base", "facility", "AIRB", "Poltava Oblast"),
    ("Boryspil airport", "facility", "AIRP", "Kyiv Oblast"),
    ("Kremenchuk Hydroelectric Power Station", "facility", "PSH", "Poltava Oblast"),
    ("Pivdenne Vodoskhovyshche", "waterbody", "RSV", "Dnipropetrovsk Oblast"),
]


@pytest.mark.parametrize(("query", "kind", "code", "admin1"), FACILITIES)
def test_geonames_facilities_and_reservoirs(gaz, query, kind, code, admin1):
    best = gaz.lookup(query)[0]
    assert (best.kind, best.feature_code, best.admin1) == (kind, code, admin1)


def test_a_facility_keeps_only_names_that_say_what_it_is(gaz):
    # the port of Mariupol is listed with "Mariupol" as an alternate: not a name of it
    assert all(p.kind == "city" for p in gaz.lookup("Mariupol", country="UA"))
    assert gaz.resolve("Bagerovo Air Base").feature_code == "AIRB"


def test_namesakes_carry_what_a_prior_needs(gaz):
    namesakes = gaz.lookup("Oleksandrivka", country="UA", limit=500)
    assert len(namesakes) > 80
    assert len({(p.admin1, p.admin2) for p in namesakes}) > 60
    assert all(
        p.admin1.endswith("Oblast")
        or p.admin1 in ("Autonomous Republic of Crimea", "Kyiv City", "Sevastopol City")
        for p in namesakes
    )
    # the capital of Donetsk Oblast is not one of them (a historical alternate of the city)
    assert "Donetsk" not in {p.name for p in namesakes}
    # with no context, a front-line oblast's namesake comes first
    from frontline.gazetteer import FRONT_LINE_OBLASTS

    assert namesakes[0].admin1 in FRONT_LINE_OBLASTS


def test_raion_of_a_place(gaz):
    avdiivka = gaz.resolve("Avdiivka")
    assert (avdiivka.admin2_code, avdiivka.admin2) == ("1416", "Pokrovskyi Raion")
    assert gaz.resolve("Robotyne").admin2 == "Polohivskyi Raion"


def test_default_prior_is_defined_once():
    import importlib

    gazetteer = importlib.import_module("frontline.gazetteer")
    geoparse = importlib.import_module("frontline.geoparse")

    assert geoparse.DEFAULT_PRIOR is gazetteer.DEFAULT_PRIOR
    assert gazetteer.DEFAULT_PRIOR["UA"] > gazetteer.DEFAULT_PRIOR["RU"] > 0
    for oblast in gazetteer.FRONT_LINE_OBLASTS:
        assert gazetteer.DEFAULT_PRIOR[oblast] == gazetteer.FRONT_LINE_WEIGHT


def test_lookup_adds_the_prior_of_the_oblast():
    # two villages of one name and no recorded population: the oblast's prior decides
    for oblast in ("Kharkiv Oblast", "Chernihiv Oblast"):
        gaz = Gazetteer.load(prior={"UA": 3.0, oblast: 1.0})
        assert gaz.lookup("Tabaivka")[0].admin1 == oblast


@pytest.fixture(scope="module")
def geonames_ua(build_module):
    return build_module.geonames_ua


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Kadiyivka", "Kadiivka"),
        ("Kal'mius'ke", "Kalmiuske"),
        ("Shyykivka", "Shyikivka"),
        ("Kropyvnytskyy", "Kropyvnytskyi"),
        ("Zaporizhzhya", "Zaporizhzhia"),
        ("Kyyiv", "Kyiv"),
        ("Bayraky", "Bairaky"),
        ("Mykolayiv", "Mykolaiv"),
        ("Syevyerodonets'k", "Sievierodonetsk"),
        ("Velyka Novosilka", "Velyka Novosilka"),
        ("Yasynuvata", "Yasynuvata"),
        ("Mar'yinka", "Marinka"),
        ("Kyiv Boryspil Airport", "Kyiv Boryspil Airport"),
        ("Kryvyi Rih", "Kryvyi Rih"),
        ("Izmayil Port", "Izmail Port"),
        ("P.S. Port", "P.S. Port"),
        # a Russian form is left as it is
        ("Pavlovka", "Pavlovka"),
        ("Novaya Bubnovka", "Novaya Bubnovka"),
    ],
)
def test_older_romanizations_are_rewritten_to_the_2010_standard(geonames_ua, old, new):
    assert geonames_ua.modern_latin(old) == new


@pytest.mark.parametrize(
    ("name", "alternates", "ukrainian"),
    [
        ("Izyum", ["Izium", "Изюм", "Ізюм"], "Ізюм"),
        (
            "Siverskodonetsk",
            ["Северодонецк", "Сєвєродонецьк", "Сіверськодонецьк"],
            "Сіверськодонецьк",
        ),
        ("Abrikosovka", ["Абрикосовка"], None),  # only a Russian name
        ("Tryokhizbenka", ["Trоh’іzbеnkа"], None),  # Latin letters among Cyrillic ones
        ("Hlinka", ["Глинка", "Глінка"], "Глінка"),
    ],
)
def test_the_ukrainian_name_among_unlabelled_alternates(geonames_ua, name, alternates, ukrainian):
    assert geonames_ua.ukrainian_name(name, alternates) == ukrainian


def test_feature_names_say_what_the_feature_is(geonames_ua):
    rec = {
        "name": "Mariupol-Port",
        "feature_code": "PRT",
        "alternatenames": ["Mariupol", "Port Mariupol'skiy", "Маріуполь-Порт"],
    }
    own, alts = geonames_ua.feature_names(rec)
    assert own == "Mariupol-Port" and alts == ["Port Mariupol'skiy", "Маріуполь-Порт"]
    rec = {"name": "Bagerovo", "feature_code": "AIRB", "alternatenames": ["Bagerove"]}
    assert geonames_ua.feature_names(rec) == ("Bagerovo Air Base", [])


def test_extract_checksum_is_verified(geonames_ua, tmp_path):
    bad = tmp_path / "UA.zip"
    bad.write_bytes(b"not the extract")
    with pytest.raises(SystemExit, match="sha256"):
        geonames_ua.read_extract(bad)
    with pytest.raises(SystemExit, match="not found"):
        geonames_ua.read_extract(tmp_path / "missing.zip")


@pytest.mark.parametrize(
    ("query", "admin1"),
    [
        ("Glushkovsky District", "Kursk Oblast"),
        ("Sudzhansky district", "Kursk Oblast"),
        ("Shebekino Raion", "Belgorod Oblast"),
        ("Klimovsky raion", "Bryansk Oblast"),
    ],
)
def test_russian_border_raions_are_districts(gaz, query, admin1):
    best = gaz.lookup(query)[0]
    assert (best.kind, best.country_code, best.admin1) == ("district", "RU", admin1)


@pytest.mark.parametrize(
    ("russian", "ukrainian"),
    [
        ("Pavlovka", "Pavlivka"),
        ("Nikolayevka", "Mykolaivka"),
        ("Aleksandrovka", "Oleksandrivka"),
        ("Vysokoye", "Vysoke"),
        ("Gorodishche", "Horodyshche"),
        ("Babino", "Babyne"),
        ("Novaya Sloboda", "Nova Sloboda"),
    ],
)
def test_russian_forms_read_as_their_ukrainian_key(geonames_ua, russian, ukrainian):
    assert geonames_ua.russian_key(russian) == normalize_name(ukrainian)


def test_records_under_a_russian_name_get_the_official_one(gaz):
    # GeoNames lists some villages only under their Russian name; the codifier's name
    # of the raion's village is shown, the Russian one still finds it
    best = gaz.lookup("Urozhaynoye", country="UA")[0]
    assert best.name == "Urozhaine"


def test_crimea_weighs_less_than_the_front_line():
    from frontline.gazetteer import CRIMEA_WEIGHT, DEFAULT_PRIOR, FRONT_LINE_WEIGHT

    assert 0 < DEFAULT_PRIOR["Autonomous Republic of Crimea"] == CRIMEA_WEIGHT < FRONT_LINE_WEIGHT
    # Donetsk Oblast's Urozhaine, not one of Crimea's two larger ones
    assert Gazetteer.load().lookup("Urozhaine")[0].admin1 == "Donetsk Oblast"


@pytest.mark.parametrize(
    ("mixed", "official"),
    [
        ("Malaya Rohan", "Mala Rohan"),
        ("Velikaya Novosilka", "Velyka Novosilka"),
        ("Staryy Saltiv", "Staryi Saltiv"),
    ],
)
def test_a_russian_adjective_before_a_ukrainian_noun_finds_the_village(gaz, mixed, official):
    assert gaz.lookup(mixed, country="UA")[0].name == official


def test_russian_adjective_forms_change_the_adjective_alone(geonames_ua):
    assert geonames_ua.russian_adjective_forms("Nova Kakhovka") == ["Novaya Kakhovka"]
    assert geonames_ua.russian_adjective_forms("Novomykolaivka") == []
    assert geonames_ua.russian_adjective_forms("Kryvyi Rih") == []


def test_a_village_only_the_codifier_lists_is_placed_in_its_hromada(gaz):
    from frontline.gazetteer import APPROXIMATE

    (village,) = gaz.lookup("Kryachky", country="UA", limit=1)
    assert (village.name, village.admin1, village.admin2) == (
        "Kriachky",
        "Kyiv Oblast",
        "Fastivskyi Raion",
    )
    assert village.feature_code == APPROXIMATE and village.place_id.startswith("katottg:")
    # near its hromada's other villages, south-west of Kyiv (Vasylkiv is 15 km away)
    assert distance_km(village.latitude, village.longitude, 50.18, 30.32) < 20
    assert "approximate" in village.source


def test_a_codifier_village_one_letter_from_a_geonames_one_is_not_added_twice(gaz):
    from collections import defaultdict

    from frontline.gazetteer import APPROXIMATE
    from frontline.geoparse.spelling import one_edit_apart

    # GeoNames spells some villages otherwise than the codifier: the build keeps the
    # GeoNames record and adds no approximate double of it one letter away in its raion
    approximate, keys = [], defaultdict(set)
    for p in gaz:
        if p.country_code == "UA" and p.kind == "city":
            if p.feature_code == APPROXIMATE:
                approximate.append(p)
            else:
                keys[p.admin2_code].update(normalize_name(n) for n in gaz.names_of(p.place_id))
    assert 1_500 < len(approximate) < 3_000
    doubles = [
        p.name
        for p in approximate
        if any(one_edit_apart(normalize_name(p.name), k) for k in keys[p.admin2_code])
    ]
    assert doubles == []


@pytest.mark.parametrize(
    "name", ["Kurakhove Reservoir", "Kurakhivske Reservoir", "Kurakhivske Vodoskhovyshche"]
)
def test_a_reservoir_is_found_in_english_and_after_its_town(gaz, name):
    (reservoir,) = gaz.lookup(name, limit=1)
    assert (reservoir.name, reservoir.kind) == ("Kurakhivske Reservoir", "waterbody")
    assert reservoir.admin1 == "Donetsk Oblast"


def test_own_keys_are_the_own_names_of_that_kind_and_country(gaz):
    keys = gaz.own_keys("UA", "city")
    assert {normalize_name(n) for n in ("Popasna", "Kyiv", "Sokolohirsk")} <= set(keys)
    assert "pervomaisk" in keys  # Mykolaiv Oblast's own name, Sokolohirsk's former one
    assert normalize_name("Paris") not in keys  # a French city
    assert normalize_name("Kherson Oblast") not in keys  # a region
    assert keys == sorted(keys)
