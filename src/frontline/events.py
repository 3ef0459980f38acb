"""Events: dated, located, typed occurrences, and the table that holds them."""

from __future__ import annotations

__all__ = ["EVENT_TYPES", "EVENT_COLUMNS"]

EVENT_TYPES = (
    "shelling", "air_drone_strike", "missile_strike", "armed_clash", "territory_change",
    "civilian_harm", "evacuation", "infrastructure", "statement", "other",
)

#: Columns of the event table, in order (geometry comes last in the GeoDataFrame).
EVENT_COLUMNS = (
    "event_id", "date", "time_precision", "place_id", "place", "kind", "admin1",
    "country_code", "latitude", "longitude", "geo_precision", "event_type",
    "sub_event_type", "article_id", "title", "source", "url", "published", "quote",
    "confidence", "sources", "n_sources", "corrected", "correction",
)
