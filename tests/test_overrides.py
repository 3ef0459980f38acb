"""Tests for frontline.overrides: reading, writing and applying corrections."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontline.errors import OverridesError, UnknownPlaceError
from frontline.events import Event
from frontline.gazetteer import Place
from frontline.geoparse import Mention
from frontline.overrides import Overrides, Rule

NIKOPOL_BG = Place("geonames:727447", "Nikopol", "city", "BG", "Pleven", 43.70, 24.90, 3000)
NIKOPOL_UA = Place(
    "geonames:700051", "Nikopol", "city", "UA", "Dnipropetrovsk Oblast", 47.567, 34.396, 110000
)
KHERSON = Place(
    "geonames:706448", "Kherson", "city", "UA", "Kherson Oblast", 46.655, 32.617, 300000
)
ZAPORIZHZHIA_OBLAST = Place(
    "ne:region:UA-23", "Zaporizhzhia Oblast", "region", "UA", "Zaporizhzhia Oblast", 47.5, 35.9
)


class FakeGazetteer:
    """Just what overrides need from a gazetteer: ``get`` and ``region_of``."""

    def __init__(self, *places: Place) -> None:
        self.places = {p.place_id: p for p in places}
        self.region_calls = 0

    def get(self, place_id: str) -> Place:
        if place_id not in self.places:
            raise UnknownPlaceError(place_id)
        return self.places[place_id]

    def region_of(self, lat: float, lon: float) -> Place | None:
        self.region_calls += 1
        return ZAPORIZHZHIA_OBLAST if 46.0 < lat < 48.5 and 34.5 < lon < 37.5 else None


GAZ = FakeGazetteer(NIKOPOL_BG, NIKOPOL_UA, KHERSON)


def mention(
    article_id: str, text: str, place: Place, confidence: float = 0.6, start: int = 0
) -> Mention:
    return Mention(article_id, start, start + len(text), text, place, confidence)


def event(
    event_id: str,
    *,
    article_id: str = "a1",
    place: Place = KHERSON,
    event_type: str = "shelling",
    date: str = "2022-11-10",
    quote: str = "Russian shelling hit Kherson.",
) -> Event:
    return Event(
        event_id=event_id,
        date=date,
        time_precision=1,
        place_id=place.place_id,
        place=place.name,
        kind=place.kind,
        admin1=place.admin1,
        country_code=place.country_code,
        latitude=place.latitude,
        longitude=place.longitude,
        geo_precision=1,
        event_type=event_type,
        sub_event_type="artillery",
        article_id=article_id,
        title="T",
        source="S",
        url="",
        published="2022-11-12",
        quote=quote,
        confidence=0.7,
    )


# ------------------------------------------------------------------------ pins


def test_pin_mention_by_place_id_replaces_place_and_keeps_machine_choice():
    ov = Overrides()
    rid = ov.pin_mention("a1", "Nikopol", "geonames:700051")
    ms = [
        mention("a1", "Nikopol", NIKOPOL_BG),
        mention("a2", "Nikopol", NIKOPOL_BG),
        mention("a1", "Kherson", KHERSON, start=20),
    ]
    out = ov.apply_mentions(ms, GAZ)
    assert out[0].place == NIKOPOL_UA and out[0].confidence == 1.0
    assert out[0].runner_up == NIKOPOL_BG
    assert out[1] == ms[1], "another article is untouched"
    assert out[2] == ms[2]
    assert ov.hits[rid] == 1 and ov.unmatched() == []


def test_pin_name_applies_everywhere_and_pin_mention_wins():
    ov = Overrides()
    by_name = ov.pin_name("Nikopol", "geonames:700051")
    by_article = ov.pin_mention("a2", "Nikopol", lat=47.0, lon=35.0, name="Nikopol (here)")
    out = ov.apply_mentions(
        [
            mention("a1", "Nikopol", NIKOPOL_BG),
            mention("a2", "Nikopol", NIKOPOL_BG),
            mention("a3", "nikopol's", NIKOPOL_BG),
        ],
        GAZ,
    )
    assert [m.place.place_id for m in out] == [
        "geonames:700051",
        "user:47.00000,35.00000",
        "geonames:700051",
    ]
    assert out[1].place.name == "Nikopol (here)"
    assert ov.hits == {by_name: 2, by_article: 1}


@pytest.mark.parametrize("written", ["Mar'inka", "Marinka", "Mar’yinka", "MARINKA"])
def test_pin_matches_spelling_variants(written):
    place = Place("x:1", "Marinka", "city", "RU", "", 50.0, 40.0)
    ov = Overrides()
    ov.pin_name("Marinka", lat=47.94, lon=37.50, country_code="UA", admin1="Donetsk Oblast")
    [m] = ov.apply_mentions([mention("a", written, place)], GAZ)
    assert (m.place.country_code, m.place.admin1) == ("UA", "Donetsk Oblast")


def test_pin_to_coordinates_fills_region_from_gazetteer():
    gaz = FakeGazetteer()
    ov = Overrides()
    ov.pin_name("Robotyne", lat=47.445, lon=35.838)
    [m] = ov.apply_mentions([mention("a", "Robotyne", NIKOPOL_BG)], gaz)
    assert m.place.admin1 == "Zaporizhzhia Oblast" and m.place.country_code == "UA"
    assert (m.place.latitude, m.place.longitude, m.place.kind) == (47.445, 35.838, "city")
    assert m.place.name == "Robotyne"
    ov.apply_mentions([mention("b", "Robotyne", NIKOPOL_BG)], gaz)
    assert gaz.region_calls == 1, "the pinned place is built once"


def test_pin_to_unknown_place_id_names_the_rule(tmp_path):
    path = tmp_path / "fix.yaml"
    path.write_text(
        "rules:\n  - action: pin_name\n    mention: Nikopol\n    place_id: geonames:999\n",
        encoding="utf-8",
    )
    ov = Overrides.load(path)
    with pytest.raises(OverridesError, match=r"fix\.yaml:2: .*'geonames:999'"):
        ov.apply_mentions([mention("a", "Nikopol", NIKOPOL_BG)], GAZ)


def test_no_pins_returns_mentions_unchanged():
    ms = [mention("a", "Kherson", KHERSON)]
    assert Overrides().apply_mentions(ms, GAZ) == ms


# ---------------------------------------------------------------------- events


def test_event_rules_change_drop_and_record():
    ov = Overrides()
    t = ov.set_type("e1", "air_drone_strike")
    d = ov.set_date("e1", dt.date(2022, 11, 9))
    r = ov.reject_event("e2")
    out = ov.apply_events([event("e1"), event("e2"), event("e3")])
    assert [e.event_id for e in out] == ["e1", "e3"]
    e1 = out[0]
    assert (e1.event_type, e1.sub_event_type, e1.date, e1.time_precision) == (
        "air_drone_strike",
        "",
        "2022-11-09",
        1,
    )
    assert e1.corrected and e1.correction == f"{t}; {d}"
    assert not out[1].corrected and out[1].correction == ""
    assert ov.hits == {t: 1, d: 1, r: 1}


@pytest.mark.parametrize(
    ("value", "date", "precision", "last"),
    [
        ("2022-11-09", "2022-11-09", 1, "2022-11-09"),
        ("2022-W45", "2022-11-07", 2, "2022-11-13"),
        ("2022-11", "2022-11-01", 3, "2022-11-30"),
        ("2024-02", "2024-02-01", 3, "2024-02-29"),
        ("2023", "2023-01-01", 3, "2023-12-31"),
    ],
)
def test_set_date_precisions(value, date, precision, last):
    ov = Overrides()
    ov.set_date("e1", value)
    [e] = ov.apply_events([event("e1")])
    assert (e.date, e.time_precision) == (date, precision)
    assert (e.date_first, e.date_last) == (date, last)  # the span the analyst gave


def test_existing_correction_is_kept():
    ov = Overrides()
    ov.set_type("e1", "other")
    [e] = ov.apply_events(
        [dataclasses.replace(event("e1"), corrected=True, correction="pin_name:Kherson")]
    )
    assert e.correction == "pin_name:Kherson; set_type:e1"


def test_events_on_pinned_mentions_are_marked():
    ov = Overrides()
    rid = ov.pin_mention("a1", "Nikopol", "geonames:700051")
    ms = ov.apply_mentions(
        [mention("a1", "Nikopol", NIKOPOL_BG), mention("a1", "Kherson", KHERSON, start=30)], GAZ
    )
    evs = [
        event("n", place=NIKOPOL_UA, quote="Shells hit Nikopol."),
        event("k", place=KHERSON),
        event("other-article", article_id="a2", place=NIKOPOL_UA, quote="Shells hit Nikopol."),
    ]
    out = ov.apply_events(evs, mentions=ms)
    assert [(e.event_id, e.corrected, e.correction) for e in out] == [
        ("n", True, rid),
        ("k", False, ""),
        ("other-article", False, ""),
    ]


def test_unmatched_lists_rules_that_matched_nothing():
    ov = Overrides()
    ov.reject_event("gone")
    hit = ov.set_type("e1", "other")
    ov.pin_name("Atlantis", lat=10, lon=10)
    ov.apply_mentions([mention("a", "Kherson", KHERSON)], GAZ)
    ov.apply_events([event("e1")])
    assert [r.rule_id for r in ov.unmatched()] == ["reject_event:gone", "pin_name:Atlantis"]
    assert hit not in {r.rule_id for r in ov.unmatched()}
    ov.reset_hits()
    assert len(ov.unmatched()) == 3


# ------------------------------------------------------------------ reading/writing

YAML = """\
# corrections for the Nikopol articles
version: 1
rules:
  - action: pin_mention
    article_id: nikopol-2022
    mention: Nikopol
    place_id: geonames:700051
    note: the Ukrainian city, not Bulgaria
  - action: pin_name
    mention: Robotyne
    lat: 47.445
    lon: 35.838
    admin1: Zaporizhzhia Oblast
    country_code: ua
  - action: reject_event
    event_id: 1e5
  - action: set_date
    id: kherson-date
    event_id: 0b4c
    date: 2022-11-11
  - action: set_type
    event_id: 0b4c
    event_type: territory_change
"""


def test_load_yaml_keeps_strings_and_builds_stable_ids(tmp_path):
    path = tmp_path / "overrides.yaml"
    path.write_text(YAML, encoding="utf-8")
    rules = Overrides.load(path).rules
    assert [r.rule_id for r in rules] == [
        "pin_mention:nikopol-2022:Nikopol",
        "pin_name:Robotyne",
        "reject_event:1e5",
        "kherson-date",
        "set_type:0b4c",
    ]
    assert rules[2].event_id == "1e5", "YAML must not turn ids into numbers"
    assert rules[3].date == "2022-11-11"
    assert rules[1].country_code == "UA" and rules[1].latitude == 47.445
    assert rules[0].origin == f"{path}:4" and rules[4].origin == f"{path}:21"


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".csv"])
def test_save_and_load_round_trip(tmp_path, suffix):
    source = tmp_path / "in.yaml"
    source.write_text(YAML, encoding="utf-8")
    ov = Overrides.load(source)
    out = tmp_path / f"out{suffix}"
    ov.save(out)
    again = Overrides.load(out)
    strip = [dataclasses.replace(r, origin="") for r in ov.rules]
    assert [dataclasses.replace(r, origin="") for r in again.rules] == strip
    assert not list(tmp_path.glob(".out*")), "atomic write leaves no temporary file"


def test_load_csv_with_row_numbers(tmp_path):
    path = tmp_path / "fix.csv"
    path.write_text(
        "action,article_id,mention,place_id,event_id,event_type,note\n"
        "pin_mention,a1,Nikopol,geonames:700051,,,\n"
        ",,,,,,\n"
        'set_type,,,,e7,shelling,"typed, by hand"\n'
        "set_type,,,,e8,bombing,\n",
        encoding="utf-8",
    )
    with pytest.raises(OverridesError, match=r"fix\.csv:5: unknown event_type 'bombing'"):
        Overrides.load(path)
    path.write_text(path.read_text().rsplit("set_type,,,,e8", 1)[0], encoding="utf-8")
    rules = Overrides.load(path).rules
    assert [(r.rule_id, r.origin.rsplit(":", 1)[1]) for r in rules] == [
        ("pin_mention:a1:Nikopol", "2"),
        ("set_type:e7", "4"),
    ]
    assert rules[1].note == "typed, by hand"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "rules:\n  - action: pin_name\n    mention: X\n",
            r":2: pin_name rule needs either place_id",
        ),
        (
            "rules:\n  - action: pin_name\n    mention: X\n    lat: 1\n",
            r":2: pin_name rule needs both lat and lon",
        ),
        (
            "rules:\n  - action: pin_name\n    mention: X\n    lat: 95\n    lon: 30\n",
            r":2: coordinates out of range",
        ),
        (
            "rules:\n  - action: pin_name\n    mention: X\n    lat: north\n    lon: 30\n",
            r":2: lat/lon must be numbers",
        ),
        (
            "rules:\n  - action: pin_name\n    mention: X\n    lat: 1\n    lon: 2\n    kind: town\n",
            r":2: unknown kind 'town'",
        ),
        (
            "rules:\n  - action: pin_name\n    mention: X\n    place_id: a\n    kind: city\n",
            r":2: kind only go with lat and lon",
        ),
        (
            "rules:\n  - action: pin_name\n    mention: X\n    lat: north\n",
            r":2: lat/lon must be numbers in degrees, got 'north', None",
        ),
        ("rules:\n- action: set_date\n  event_id: e\n  date: 11/11/2022\n", r":2: bad date"),
        ("rules:\n- action: set_date\n  event_id: e\n  date: 2022-02-30\n", r":2: bad date"),
        (
            "rules:\n- action: reject_event\n  event_id: e\n  evnt_type: x\n",
            r":2: reject_event rule has unexpected field\(s\) evnt_type",
        ),
        ("rules:\n- action: reject_event\n", r":2: reject_event rule needs event_id"),
        ("rules:\n- event_id: e\n", r":2: missing `action`"),
        (
            "rules:\n- action: reject_event\n  event_id: e\n- action: reject_event\n  event_id: e\n",
            r":4: rule 'reject_event:e' duplicates the rule at .*:2",
        ),
        ("rules:\n  - action: [a, b]\n", r":2: rule fields must be plain values"),
        ("rules:\n  - action: x\n    action: y\n", r":3: field 'action' given twice"),
        ("rules: {action: x}\n", r":1: `rules` must be a list"),
        ("- just a string\n", r":1: a rule must be a mapping"),
        ("fixes:\n  - action: x\n", r":1: .*top-level `rules:` key"),
        ("rules:\n  - action: pin_name\n   mention: [\n", r"not valid YAML"),
    ],
)
def test_bad_yaml_names_file_and_line(tmp_path, body, message):
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(
        OverridesError, match=r"bad\.yaml" + (".*" if message[0] != ":" else "") + message
    ):
        Overrides.load(path)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("action,event,event_id\n", r":1: unknown column\(s\) event;"),
        ("event_id,note\ne1,x\n", r":1: the header needs an `action` column"),
        ("action,event_id\nreject_event,e1,extra\n", r":2: more cells than header columns"),
    ],
)
def test_bad_csv_names_file_and_row(tmp_path, body, message):
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(OverridesError, match=r"bad\.csv" + message):
        Overrides.load(path)


def test_missing_file_and_bad_extension(tmp_path):
    with pytest.raises(OverridesError, match="no such overrides file"):
        Overrides.load(tmp_path / "none.yaml")
    with pytest.raises(OverridesError, match=r"\.yaml, \.yml or \.csv"):
        Overrides.load(tmp_path / "fix.json")
    with pytest.raises(OverridesError, match=r"\.yaml, \.yml or \.csv"):
        Overrides().save(tmp_path / "fix.txt")


@pytest.mark.parametrize("body", ["", "# nothing yet\n", "rules:\n", "rules: []\n"])
def test_empty_files_are_empty_overrides(tmp_path, body):
    path = tmp_path / "empty.yaml"
    path.write_text(body, encoding="utf-8")
    assert len(Overrides.load(path)) == 0


def test_python_rules_are_validated_too():
    ov = Overrides()
    with pytest.raises(OverridesError, match="unknown event_type 'bombing'"):
        ov.set_type("e1", "bombing")
    with pytest.raises(OverridesError, match="needs either place_id or lat and lon"):
        ov.pin_name("Kherson", "geonames:706448", lat=46.6, lon=32.6)
    ov.reject_event("e1")
    with pytest.raises(OverridesError, match="duplicates"):
        ov.reject_event("e1")
    ov.remove("reject_event:e1")
    assert len(ov) == 0
    assert isinstance(Rule("x", "reject_event", event_id="e"), Rule)


def test_overrides_error_is_a_value_error():
    assert issubclass(OverridesError, ValueError)


def test_to_frame_lists_rules_with_hits():
    ov = Overrides()
    ov.reject_event("e1", note="duplicate report")
    ov.apply_events([event("e1")])
    frame = ov.to_frame()
    assert frame.loc[0, "note"] == "duplicate report" and frame.loc[0, "hits"] == 1
    assert frame.loc[0, "origin"] == "python"


# ------------------------------------------------------------------ whole pipeline


def test_apply_to_article_result_moves_events():
    from frontline.articles import Article
    from frontline.pipeline import ArticleResult
    from frontline.timex import DatedSentence

    text = "Russian shelling hit Nikopol on Tuesday, officials said."
    art = Article("a1", text, title="T", published=dt.date(2022, 8, 12))
    start = text.index("Nikopol")
    ms = [Mention("a1", start, start + 7, "Nikopol", NIKOPOL_BG, 0.55)]
    ds = [DatedSentence(0, len(text), dt.date(2022, 8, 9), "day", "own")]
    from frontline.events import extract_events

    before = ArticleResult(art, ms, [], ds, extract_events(art, ms, ds), [])
    assert [e.country_code for e in before.events] == ["BG"]
    ov = Overrides()
    rid = ov.pin_mention("a1", "Nikopol", "geonames:700051")
    after = ov.apply(before, gazetteer=GAZ)
    assert [m.place.country_code for m in after.mentions] == ["UA"]
    assert [(e.country_code, e.admin1, e.corrected, e.correction) for e in after.events] == [
        ("UA", "Dnipropetrovsk Oblast", True, rid)
    ]
    assert before.events[0].country_code == "BG", "the input result is not modified"


# ------------------------------------------------------- with the real gazetteer


@pytest.fixture(scope="module")
def gazetteer():
    from frontline.gazetteer import Gazetteer

    return Gazetteer.load()


def test_real_pipeline_pin_then_event_rules(gazetteer, tmp_path):
    from frontline.articles import Article
    from frontline.pipeline import process_article

    art = Article(
        "demo",
        "Russian shelling hit Nikopol on Tuesday, officials said.",
        published=dt.date(2022, 8, 12),
    )
    result = process_article(art, gazetteer=gazetteer)
    [before] = result.events
    assert (before.admin1, before.corrected) == ("Dnipropetrovsk Oblast", False)
    # The other Nikopol, a village in Kharkiv oblast.
    other = gazetteer.lookup("Nikopol", near=(48.9, 37.1))[0]
    assert other.admin1 == "Kharkiv Oblast"
    ov = Overrides()
    pin = ov.pin_mention("demo", "Nikopol", other.place_id)
    [moved] = ov.apply(result, gazetteer=gazetteer).events
    assert (moved.place_id, moved.admin1, moved.latitude) == (
        other.place_id,
        "Kharkiv Oblast",
        other.latitude,
    )
    assert moved.corrected and moved.correction == pin
    assert moved.event_id != before.event_id, "the id follows the place"
    # Event rules written against the moved event, through a file, in a fresh run.
    ov.set_type(moved.event_id, "missile_strike")
    ov.set_date(moved.event_id, "2022-08-08")
    path = tmp_path / "overrides.yaml"
    ov.save(path)
    again = Overrides.load(path)
    [final] = again.apply(process_article(art, gazetteer=gazetteer), gazetteer=gazetteer).events
    assert (final.event_type, final.date, final.time_precision) == (
        "missile_strike",
        "2022-08-08",
        1,
    )
    assert final.correction == f"{pin}; set_type:{moved.event_id}; set_date:{moved.event_id}"
    assert again.unmatched() == []


def test_real_pipeline_reject_and_unmatched(gazetteer):
    from frontline.articles import Article
    from frontline.pipeline import process_article

    art = Article(
        "demo",
        "Russian shelling hit Nikopol on Tuesday, officials said.",
        published=dt.date(2022, 8, 12),
    )
    result = process_article(art, gazetteer=gazetteer)
    ov = Overrides()
    ov.reject_event(result.events[0].event_id)
    ov.pin_name("Kupiansk", lat=49.71, lon=37.61)
    assert ov.apply(result, gazetteer=gazetteer).events == []
    assert [r.rule_id for r in ov.unmatched()] == ["pin_name:Kupiansk"]


def test_warnings_name_the_file_line_and_the_likely_cause(tmp_path):
    path = tmp_path / "fix.yaml"
    path.write_text(
        "rules:\n  - action: pin_mention\n    article_id: a9\n    mention: Atlantis\n"
        "    lat: 1\n    lon: 2\n  - action: set_type\n    event_id: e404\n"
        "    event_type: other\n",
        encoding="utf-8",
    )
    ov = Overrides.load(path)
    ov.apply_mentions([mention("a9", "Kherson", KHERSON)], GAZ)
    ov.apply_events([event("e1")])
    first, second = ov.warnings()
    assert first.startswith(
        f"{path}:2: rule 'pin_mention:a9:Atlantis' matched nothing: "
        "no mention 'Atlantis' in article a9"
    )
    assert "gazetteer CSV" in first
    assert second.startswith(
        f"{path}:7: rule 'set_type:e404' matched nothing: no event has id e404"
    )


# ------------------------------------------------------------- round trip, any text


_TEXT = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)
_TRICKY = st.sampled_from(
    [
        "1e5",
        "0012",
        "no",
        "null",
        "~",
        "=SUM(A1)",
        "a, b",
        'say "hi"',
        "- x",
        "#tag",
        "key: value",
        "Mar'inka",
        "Київ",
    ]
)
_WORD = st.one_of(_TEXT, _TRICKY)


@st.composite
def rule_sets(draw):
    ov = Overrides()
    for i in range(draw(st.integers(1, 5))):
        action = draw(
            st.sampled_from(
                ["pin_mention", "pin_name", "not_place", "reject_event", "set_type", "set_date"]
            )
        )
        note = draw(st.one_of(st.just(""), _WORD))
        rid = f"r{i}"
        if action.startswith("pin_"):
            target = draw(
                st.one_of(
                    _WORD.map(lambda w: {"place_id": w}),
                    st.tuples(
                        st.floats(-90, 90), st.floats(-180, 180), st.one_of(st.just(""), _WORD)
                    ).map(lambda t: {"lat": t[0], "lon": t[1], "name": t[2] or None}),
                )
            )
            if action == "pin_mention":
                ov.pin_mention(draw(_WORD), draw(_WORD), **target, note=note, rule_id=rid)
            else:
                ov.pin_name(draw(_WORD), **target, note=note, rule_id=rid)
        elif action == "not_place":
            ov.not_a_place(
                draw(_WORD), article_id=draw(st.one_of(st.none(), _WORD)), note=note, rule_id=rid
            )
        elif action == "reject_event":
            ov.reject_event(draw(_WORD), note=note, rule_id=rid)
        elif action == "set_type":
            ov.set_type(
                draw(_WORD), draw(st.sampled_from(["shelling", "other"])), note=note, rule_id=rid
            )
        else:
            day = draw(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))
            ov.set_date(draw(_WORD), day, note=note, rule_id=rid)
    return ov


@pytest.mark.parametrize("suffix", [".yaml", ".csv"])
@settings(max_examples=60, deadline=None)
@given(ov=rule_sets())
def test_any_rules_survive_save_and_load(tmp_path_factory, suffix, ov):
    path = tmp_path_factory.mktemp("rt") / f"fix{suffix}"
    ov.save(path)
    again = Overrides.load(path)
    assert [dataclasses.replace(r, origin="") for r in again] == [
        dataclasses.replace(r, origin="") for r in ov
    ]


def test_documented_examples_load(tmp_path):
    """The YAML and CSV examples of docs/overrides.md are valid overrides files."""
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "overrides.md").read_text("utf-8")
    blocks = re.findall(r"```(yaml|csv)\n(.*?)```", doc, flags=re.S)
    assert sorted(kind for kind, _ in blocks) == ["csv", "yaml"]
    loaded = {}
    for kind, body in blocks:
        path = tmp_path / f"example.{kind}"
        path.write_text(body, encoding="utf-8")
        loaded[kind] = Overrides.load(path)
    assert len(loaded["yaml"]) == 7 and len(loaded["csv"]) == 5
    assert {r.action for r in loaded["yaml"]} == {
        "pin_mention",
        "pin_name",
        "not_place",
        "set_type",
        "set_date",
        "reject_event",
    }


def test_apply_refuses_results_without_mentions_when_pinning():
    from frontline.articles import Article
    from frontline.pipeline import ArticleResult

    slim = ArticleResult(Article("a1", "Shelling hit Kherson."), events=[event("e1")])
    ov = Overrides()
    ov.reject_event("e1")
    assert ov.apply(slim, gazetteer=GAZ).events == [], "event rules work on events alone"
    ov.pin_name("Kherson", "geonames:706448")
    with pytest.raises(OverridesError, match="details=True"):
        ov.apply(slim, gazetteer=GAZ)


# -- "this is not a place" and "this name here means that place" (issue 19) -------------------

WAR_VAR = Place("geonames:2970749", "Var", "region", "FR", "Provence", 43.5, 6.2)


def test_not_a_place_drops_its_mentions_in_one_article_or_everywhere():
    mentions = [
        mention("a1", "War", WAR_VAR),
        mention("a1", "Kherson", KHERSON, start=10),
        mention("a2", "War", WAR_VAR),
    ]
    here = Overrides()
    rule = here.not_a_place("war", article_id="a1")  # names compare as the gazetteer's do
    assert rule == "not_place:a1:war"
    assert [(m.article_id, m.mention) for m in here.apply_mentions(mentions)] == [
        ("a1", "Kherson"),
        ("a2", "War"),
    ]
    everywhere = Overrides()
    everywhere.not_a_place("War")
    assert [m.mention for m in everywhere.apply_mentions(mentions)] == ["Kherson"]
    assert everywhere.hits == {"not_place:War": 2}
    assert everywhere.has_pins  # results must keep their mentions


def test_an_article_rule_wins_over_an_everywhere_rule():
    ov = Overrides()
    ov.not_a_place("Nikopol")
    ov.means("Nikopol", NIKOPOL_UA, article_id="a1")  # here it is the city on the Dnipro
    out = ov.apply_mentions(
        [mention("a1", "Nikopol", NIKOPOL_BG), mention("a2", "Nikopol", NIKOPOL_BG)], gazetteer=GAZ
    )
    assert [(m.article_id, m.place.country_code) for m in out] == [("a1", "UA")]


def test_means_writes_a_pin_here_or_everywhere(tmp_path):
    ov = Overrides()
    assert ov.means("Nikopol", "geonames:700051", article_id="a1") == "pin_mention:a1:Nikopol"
    assert ov.means("Robotyne", lat=47.445, lon=35.838) == "pin_name:Robotyne"
    ov.not_a_place("War", note="a headline word")
    ov.not_a_place("Europe", article_id="a2")
    path = tmp_path / "fix.yaml"
    ov.save(path)
    text = path.read_text(encoding="utf-8")
    assert "action: not_place" in text and "action: pin_mention" in text
    again = Overrides.load(path)
    assert [(r.rule_id, r.action, r.article_id) for r in again] == [
        ("pin_mention:a1:Nikopol", "pin_mention", "a1"),
        ("pin_name:Robotyne", "pin_name", ""),
        ("not_place:War", "not_place", ""),
        ("not_place:a2:Europe", "not_place", "a2"),
    ]
    csv_path = tmp_path / "fix.csv"
    ov.save(csv_path)
    assert [r.rule_id for r in Overrides.load(csv_path)] == [r.rule_id for r in again]


@pytest.mark.parametrize(
    "body, message",
    [
        ("rules:\n  - action: not_place\n", "not_place rule needs mention"),
        (
            "rules:\n  - action: not_place\n    mention: War\n    place_id: x\n",
            "not_place rule has unexpected field\\(s\\) place_id",
        ),
    ],
)
def test_bad_not_place_rules_name_the_line(tmp_path, body, message):
    path = tmp_path / "fix.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(OverridesError, match=f"fix.yaml:2: {message}"):
        Overrides.load(path)


def test_unmatched_not_place_rule_says_so():
    ov = Overrides()
    ov.not_a_place("Atlantis", article_id="a1")
    ov.apply_mentions([mention("a1", "Kherson", KHERSON)])
    [warning] = ov.warnings()
    assert "'not_place:a1:Atlantis' matched nothing: no mention 'Atlantis' in article a1" in warning


def test_real_pipeline_not_a_place_drops_the_event_it_made(gazetteer):
    from frontline.articles import Article
    from frontline.pipeline import process_article

    art = Article(
        "demo",
        "Russian shelling hit Nikopol on Tuesday, officials said.",
        published=dt.date(2022, 8, 12),
    )
    result = process_article(art, gazetteer=gazetteer)
    assert [e.place for e in result.events] == ["Nikopol"]
    ov = Overrides()
    ov.not_a_place("Nikopol", article_id="demo")
    corrected = ov.apply(result, gazetteer=gazetteer)
    assert corrected.events == [] and corrected.mentions == []
    assert ov.unmatched() == []
