"""Tests for frontline.review: ranking what a human should check first."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt

import pytest

from frontline.articles import Article
from frontline.events import Event
from frontline.gazetteer import Place
from frontline.geoparse import Mention
from frontline.pipeline import ArticleResult
from frontline.review import REVIEW_COLUMNS, review, save_review
from frontline.timex import DatedSentence

NIKOPOL_UA = Place(
    "geonames:700051", "Nikopol", "city", "UA", "Dnipropetrovsk Oblast", 47.567, 34.396
)
NIKOPOL_BG = Place("geonames:727447", "Nikopol", "city", "BG", "Pleven", 43.70, 24.90)
MARHANETS = Place(
    "geonames:702320", "Marhanets", "city", "UA", "Dnipropetrovsk Oblast", 47.648, 34.627
)
ENERHODAR = Place(
    "geonames:709248", "Enerhodar", "city", "UA", "Zaporizhzhia Oblast", 47.498, 34.656
)
# A namesake exactly 0.45 degrees of latitude (50 km) north.
ENERHODAR_NORTH = Place(
    "x:enerhodar-north", "Enerhodar", "city", "UA", "Dnipropetrovsk Oblast", 47.948, 34.656
)
LVIV = Place("geonames:702550", "Lviv", "city", "UA", "Lviv Oblast", 49.839, 24.023)
UKRAINE = Place("ne:country:UA", "Ukraine", "country", "UA", "", 49.0, 31.4)


def article(text: str, article_id: str = "a1") -> Article:
    return Article(article_id, text, title="T", published=dt.date(2022, 8, 10))


def mention_of(
    art: Article,
    surface: str,
    place: Place,
    confidence: float = 0.95,
    *,
    runner_up: Place | None = None,
    nth: int = 0,
    literal: bool = True,
) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = art.text.index(surface, start + 1)
    return Mention(
        art.article_id,
        start,
        start + len(surface),
        surface,
        place,
        confidence,
        literal=literal,
        runner_up=runner_up,
    )


def event_at(art: Article, place: Place, confidence: float, event_id: str = "e1") -> Event:
    return Event(
        event_id=event_id,
        date="2022-08-09",
        time_precision=1,
        place_id=place.place_id,
        place=place.name,
        kind=place.kind,
        admin1=place.admin1,
        country_code=place.country_code,
        latitude=place.latitude,
        longitude=place.longitude,
        geo_precision=1,
        event_type="shelling",
        sub_event_type="artillery",
        article_id=art.article_id,
        title="T",
        source="",
        url="",
        published="2022-08-10",
        quote="Shelling hit Nikopol.",
        confidence=confidence,
    )


TEXT = (
    "Russian shelling hit Nikopol and Marhanets overnight. Enerhodar, across the river, "
    "was quiet. Officials in Lviv said Nikopol lost power."
)


def sentences_of(text: str) -> list[DatedSentence]:
    out, start = [], 0
    for part in text.split(". "):
        end = start + len(part) + 1
        out.append(DatedSentence(start, min(end, len(text)), dt.date(2022, 8, 9), "day", "own"))
        start = end + 1
    return out


def test_close_call_far_place_and_low_event_are_ranked():
    art = article(TEXT)
    ms = [
        mention_of(art, "Nikopol", NIKOPOL_UA, 0.55, runner_up=NIKOPOL_BG),
        mention_of(art, "Marhanets", MARHANETS),
        mention_of(art, "Enerhodar", ENERHODAR, 0.66, runner_up=ENERHODAR_NORTH),
        mention_of(art, "Lviv", LVIV),
        mention_of(art, "Nikopol", NIKOPOL_UA, 0.55, runner_up=NIKOPOL_BG, nth=1),
    ]
    events = [
        event_at(art, NIKOPOL_UA, 0.3, "strong-doubt"),
        event_at(art, MARHANETS, 0.39, "slight-doubt"),
        event_at(art, MARHANETS, 0.9, "sure"),
    ]
    table = review([ArticleResult(art, ms, [], sentences_of(TEXT), events)])
    assert list(table.columns) == list(REVIEW_COLUMNS)
    got = [
        (r.item, r.mention if r.item == "mention" else r.event_id, round(r.priority, 3))
        for r in table.itertuples()
    ]
    # Nikopol: (0.7-0.55)/0.2 * 1.5 (it makes an event) = 1.125
    # Lviv: 801 km from Nikopol, its nearest -> min(1, 801/600) = 1.0
    # strong-doubt event: (0.5-0.3)/0.5*1.5 = 0.6; slight-doubt: (0.5-0.39)/0.5*1.5 = 0.33
    # Enerhodar: (0.7-0.66)/0.2 = 0.2, times 50 km apart / 100 km = 0.1
    assert got == [
        ("mention", "Nikopol", 1.125),
        ("mention", "Lviv", 1.0),
        ("event", "strong-doubt", 0.6),
        ("event", "slight-doubt", 0.33),
        ("mention", "Enerhodar", 0.1),
    ]
    nikopol = table.iloc[0]
    assert nikopol["count"] == 2 and nikopol["start"] == ms[0].start
    assert nikopol["runner_up_id"] == "geonames:727447"
    assert nikopol["reason"] == (
        "close call: Nikopol (Dnipropetrovsk Oblast, UA) or "
        "Nikopol (Pleven, BG) (854 km apart), confidence 0.55"
    )
    assert nikopol["context"] == "Russian shelling hit Nikopol and Marhanets overnight."
    lviv = table.iloc[1]
    assert lviv["distance_km"] == 801.3 and "nearest: Nikopol" in lviv["reason"]


def test_limit_keeps_the_highest():
    art = article(TEXT)
    ms = [
        mention_of(art, "Nikopol", NIKOPOL_UA, 0.5 + i / 100, runner_up=NIKOPOL_BG, nth=i)
        for i in range(2)
    ]
    ms[1] = dataclasses.replace(ms[1], mention="Nikopol", place=MARHANETS)
    assert len(review([ArticleResult(art, ms)], limit=1)) == 1
    assert len(review([ArticleResult(art, ms)], limit=None)) == 2
    assert review([ArticleResult(art, ms)], limit=1).iloc[0]["place_id"] == NIKOPOL_UA.place_id


def test_far_place_needs_two_other_places_and_ignores_countries():
    text = "Nikopol and Lviv were hit, Ukraine said."
    art = article(text)
    two = [
        mention_of(art, "Nikopol", NIKOPOL_UA),
        mention_of(art, "Lviv", LVIV),
        mention_of(art, "Ukraine", UKRAINE),
    ]
    assert review([ArticleResult(art, two)]).empty


def test_far_place_respects_threshold():
    art = article(TEXT)
    ms = [
        mention_of(art, "Nikopol", NIKOPOL_UA),
        mention_of(art, "Marhanets", MARHANETS),
        mention_of(art, "Lviv", LVIV),
    ]
    assert list(review([ArticleResult(art, ms)])["mention"]) == ["Lviv"]
    assert review([ArticleResult(art, ms)], far_km=1500).empty


def test_non_literal_place_is_not_far():
    art = article(TEXT)
    ms = [
        mention_of(art, "Nikopol", NIKOPOL_UA),
        mention_of(art, "Marhanets", MARHANETS),
        mention_of(art, "Enerhodar", ENERHODAR),
        mention_of(art, "Lviv", LVIV, literal=False),
    ]
    assert review([ArticleResult(art, ms)]).empty


def test_sure_and_corrected_items_are_not_listed():
    art = article(TEXT)
    pinned = mention_of(art, "Nikopol", NIKOPOL_UA, 1.0, runner_up=NIKOPOL_BG)
    fixed = dataclasses.replace(
        event_at(art, NIKOPOL_UA, 0.1), corrected=True, correction="set_type:e1"
    )
    assert review([ArticleResult(art, [pinned], [], [], [fixed])]).empty


def test_empty_input_gives_empty_table_with_columns():
    table = review([])
    assert table.empty and list(table.columns) == list(REVIEW_COLUMNS)


@pytest.mark.parametrize("threshold", [0.6, 0.8])
def test_close_threshold(threshold):
    art = article(TEXT)
    ms = [mention_of(art, "Nikopol", NIKOPOL_UA, 0.7, runner_up=NIKOPOL_BG)]
    assert len(review([ArticleResult(art, ms)], close=threshold)) == (threshold > 0.7)


def test_save_review_is_spreadsheet_safe(tmp_path):
    text = "=HYPERLINK(1) Nikopol was shelled."
    art = article(text)
    ms = [mention_of(art, "Nikopol", NIKOPOL_UA, 0.5, runner_up=NIKOPOL_BG)]
    table = review([ArticleResult(art, ms)])
    out = tmp_path / "sub" / "review.csv"
    save_review(table, out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["context"].startswith("'=HYPERLINK")
    assert rows[0]["mention"] == "Nikopol" and float(rows[0]["priority"]) == 1.0


def test_big_cities_are_never_far_and_do_not_make_a_cluster():
    kyiv = Place("geonames:703448", "Kyiv", "city", "UA", "Kyiv City", 50.45, 30.52, 2952301)
    moscow = Place("geonames:524901", "Moscow", "city", "RU", "Moscow", 55.75, 37.62, 10381222)
    text = "Nikopol was shelled, Kyiv said, and Moscow denied it; Marhanets too."
    art = article(text)
    ms = [
        mention_of(art, "Nikopol", NIKOPOL_UA),
        mention_of(art, "Kyiv", kyiv),
        mention_of(art, "Moscow", moscow),
        mention_of(art, "Marhanets", MARHANETS),
    ]
    assert review([ArticleResult(art, ms)]).empty, "two small places are no cluster"
    lviv_text = text + " Lviv was hit."
    art = article(lviv_text)
    ms = ms + [mention_of(art, "Lviv", LVIV)]
    assert list(review([ArticleResult(art, ms)])["mention"]) == ["Lviv"]


def test_close_call_between_neighbours_matters_less():
    art = article(TEXT)
    far = review(
        [ArticleResult(art, [mention_of(art, "Nikopol", NIKOPOL_UA, 0.55, runner_up=NIKOPOL_BG)])]
    )
    near = review(
        [ArticleResult(art, [mention_of(art, "Nikopol", NIKOPOL_UA, 0.55, runner_up=MARHANETS)])]
    )
    assert far.loc[0, "priority"] == 0.75
    # Marhanets is 19 km from Nikopol: 0.75 * 19/100
    assert 0.13 < near.loc[0, "priority"] < 0.15


def test_real_results_and_pins_clear_the_list():
    from frontline.gazetteer import Gazetteer
    from frontline.overrides import Overrides
    from frontline.pipeline import process_article

    gaz = Gazetteer.load()
    art = Article(
        "demo",
        # (no town named beside it: "between Vuhledar and Pavlivka" would settle it)
        "Russian troops attacked across the fields near the village of Pavlivka on "
        "Monday, the General Staff said.",
        title="T",
        published=dt.date(2023, 2, 8),
    )
    result = process_article(art, gazetteer=gaz)
    table = review([result], limit=None)
    flagged = table[table["item"] == "mention"]
    # Pavlivka is a name dozens of villages share: a close call.
    assert "Pavlivka" in set(flagged["place"])
    ov = Overrides()
    for row in flagged.itertuples():
        ov.pin_mention(row.article_id, row.mention, row.place_id)
    after = review([ov.apply(result, gazetteer=gaz)], limit=None)
    assert after[after["item"] == "mention"].empty, "pinned mentions are settled"


def test_close_call_between_a_region_and_a_district_inside_it_is_halved():
    oblast = Place(
        "ne:admin1:UP08", "Kherson Oblast", "region", "UA", "Kherson Oblast", 46.75, 33.35
    )
    raion = Place(
        "ua:raion:kherson", "Kherson Raion", "district", "UA", "Kherson Oblast", 46.65, 32.60
    )
    art = article("Fighting went on in the Kherson region.")
    m = mention_of(art, "Kherson region", oblast, 0.55, runner_up=raion)
    [row] = review([ArticleResult(art, [m])]).to_dict("records")
    # (0.7-0.55)/0.2 = 0.75; 58 km apart -> 0.58; nested -> 0.5
    assert row["priority"] == pytest.approx(0.75 * 0.58 * 0.5, abs=0.01)
    assert "(one inside the other)" in row["reason"]


# -- explain: why a name became the place it did (issue 19) -----------------------------------


def test_explain_lists_every_candidate_with_the_parts_of_its_score():
    import frontline

    text = "Russian shelling hit Nikopol on Tuesday, the governor of Dnipropetrovsk region said."
    article = Article("demo", text, published=dt.date(2022, 8, 12))
    why = frontline.explain(article, "Nikopol")
    assert why.equals(frontline.explain(text, "Nikopol"))  # an Article or its text
    assert list(why.columns[:7]) == [
        "chosen",
        "place_id",
        "place",
        "kind",
        "admin1",
        "country_code",
        "score",
    ]
    assert len(why) >= 2 and why["chosen"].sum() == 1  # every candidate, one chosen
    assert why.loc[0, "chosen"] and why.loc[0, "admin1"] == "Dnipropetrovsk Oblast"
    assert list(why["score"]) == sorted(why["score"], reverse=True)  # best first
    parts = why.iloc[:, 7:]
    assert parts.shape[1] >= 1
    assert ((parts.sum(axis=1) - why["score"]).abs() < 1e-6).all()  # the parts add up


def test_explain_takes_an_article_or_a_text_only():
    import frontline

    with pytest.raises(TypeError, match="an Article or a text, not int"):
        frontline.explain(42, "Nikopol")
