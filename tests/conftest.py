"""Shared test setup: every test gets its own result cache, so no run sees another's; and a
small factory of event rows for the events and event-table tests."""

import pytest

from frontline.events import Event


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("FRONTLINE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def make_event(**kw) -> Event:
    """An event row at Kherson on 2022-11-11; keyword arguments override any field."""
    base = dict(event_id="e1", date="2022-11-11", time_precision=1, place_id="geonames:5",
                place="Kherson", kind="city", admin1="Kherson", country_code="UA",
                latitude=46.64, longitude=32.61, geo_precision=1,
                event_type="territory_change", sub_event_type="entry", article_id="a",
                title="A", source="Wire", url="", published="2022-11-12",
                quote="Troops entered Kherson.", confidence=0.8, sources="A")
    base.update(kw)
    return Event(**base)
