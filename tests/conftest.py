"""Shared test setup: every test gets its own result cache, so no run sees another's; a
small factory of event rows for the events and event-table tests; and stand-in stages for
the cache and manifest tests."""

import pytest

from frontline import pipeline
from frontline.events import Event
from frontline.pipeline import ArticleResult


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def make_event(**kw) -> Event:
    """An event row at Kherson on 2022-11-11; keyword arguments override any field."""
    base = dict(
        event_id="e1",
        date="2022-11-11",
        time_precision=1,
        place_id="geonames:5",
        place="Kherson",
        kind="city",
        admin1="Kherson",
        country_code="UA",
        latitude=46.64,
        longitude=32.61,
        geo_precision=1,
        event_type="territory_change",
        sub_event_type="entry",
        article_id="a",
        title="A",
        source="Wire",
        url="",
        published="2022-11-12",
        quote="Troops entered Kherson.",
        confidence=0.8,
        sources="A",
    )
    base.update(kw)
    return Event(**base)


#: The ids of the articles the stand-in stages processed, in order (see ``fake_stages``).
CALLS: list[str] = []


class FakeGazetteer:
    """Just a version: what the cache keys on."""

    def __init__(self, version: str = "g1") -> None:
        self.version = version


def counting_process(article, *, gazetteer=None) -> ArticleResult:
    """A stand-in for the stages: records the article and says which gazetteer saw it."""
    CALLS.append(article.article_id)
    return ArticleResult(
        article,
        events=[f"{article.article_id}@{gazetteer.version}"],
        warnings=[f"{article.origin}: note"],
    )


@pytest.fixture
def fake_stages(monkeypatch):
    """Run the pipeline with ``counting_process`` instead of the real stages."""
    CALLS.clear()
    monkeypatch.setattr(pipeline, "process_article", counting_process)
