"""The event schema: one row of the event table, its columns, their order and types.

This module is the one place that says what an event row holds. :mod:`frontline.events`
makes :class:`Event` rows, :mod:`frontline.event_table` holds and writes them and
:mod:`frontline.acled` turns them into ACLED's layout; all three import the schema from
here, and it imports none of them.

Columns
-------
Ours, in table order (see :data:`EVENT_COLUMNS`):

- ``event_id`` (stable hash), ``date`` (ISO day), ``time_precision``, ``date_first`` and
  ``date_last`` (the span of days the event may fall on) and ``historical``;
- the place: ``place_id``, ``place``, ``kind``, ``admin1``, ``country_code``,
  ``latitude``, ``longitude`` (WGS84 degrees), ``geo_precision``;
- the kind of event: ``event_type`` and ``sub_event_type`` (ours, :data:`EVENT_TYPES`),
  then ACLED's reading of the same act: ``acled_event_type``, ``acled_sub_event_type``,
  ``actor1``, ``actor2``, ``civilian_targeting``, ``fatalities``, ``injured`` and
  ``casualties`` (the words the numbers come from, e.g. "at least 40 people were
  killed");
- the report: ``article_id``, ``title``, ``source``, ``url``, ``published``, ``quote``,
  ``confidence``, ``sources``, ``n_sources``, ``corrected``, ``correction``.

Precision codes follow ACLED's meanings:

- ``time_precision`` 1: the day is reported; 2: the report gives a span of a few days
  or a week ("this week", "over the weekend", "in recent days"), and ``date`` is the
  *last* day of that span that is not after publication (the day the span is known to
  reach; see :data:`frontline.timex.PRECISION_CODE`); 3: a month or vaguer, ``date`` is
  the span's first day.
- ``date_first`` and ``date_last`` say the same as ``date`` and ``time_precision`` as a
  span of days (see :func:`frontline.timex.span_of`): one day; a night's evening and
  morning ("overnight", "last night"); a week to its last day not after publication;
  the seven days ending on publication for an event dated by its report; a month or
  vaguer period whole, to publication at most. ``""`` in tables written before them.
- ``geo_precision`` 1: the place itself (a town, a district of a city, a facility);
  2: near a place or part of it ("near Bakhmut", a raion); 3: a region, a country or
  wider (an event across it, or one the text places no closer).
- ``historical`` is true for an event that ended more than two years
  (:data:`HISTORY_DAYS`) before its article was published: it stays in the table, and
  the map keeps it out of its default time range.
- ``fatalities`` and ``injured`` are the numbers the text reports for the act (0 when
  it reports none, as ACLED codes it); "at least 40" gives 40 and ``casualties`` keeps
  the phrase.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

__all__ = [
    "EVENT_TYPES",
    "EVENT_COLUMNS",
    "INT_COLUMNS",
    "FLOAT_COLUMNS",
    "BOOL_COLUMNS",
    "STR_COLUMNS",
    "COLUMN_DEFAULTS",
    "MAP_HIDDEN_TYPES",
    "HISTORY_DAYS",
    "Event",
    "row_order",
]

#: Our event types (an ACLED-like taxonomy, finer for war reporting).
EVENT_TYPES = (
    "shelling",
    "air_drone_strike",
    "missile_strike",
    "armed_clash",
    "territory_change",
    "civilian_harm",
    "evacuation",
    "infrastructure",
    "statement",
    "other",
)

#: Types a map hides by default: they are said somewhere, not done there.
MAP_HIDDEN_TYPES = ("statement",)

#: An event that ended more than this many days before its article is history.
HISTORY_DAYS = 730


@dataclass(frozen=True, slots=True)
class Event:
    """One row of the event table (see the module docstring for each field).

    ``date`` and ``published`` are ISO strings (``""`` when unknown); ``latitude`` and
    ``longitude`` are WGS84 degrees; ``sources`` lists every report of the event.

    Examples
    --------
    >>> e = Event("e1", "2022-11-11", 1, "p:1", "Kherson", "city", "Kherson", "UA",
    ...           46.6, 32.6, 1, "shelling", "artillery", "a", "T", "", "", "", "q", 0.8)
    >>> e.fatalities, e.historical, e.acled_event_type
    (0, False, '')
    """

    event_id: str
    date: str
    time_precision: int
    place_id: str
    place: str
    kind: str
    admin1: str
    country_code: str
    latitude: float
    longitude: float
    geo_precision: int
    event_type: str
    sub_event_type: str
    article_id: str
    title: str
    source: str
    url: str
    published: str
    quote: str
    confidence: float
    sources: str = ""
    n_sources: int = 1
    corrected: bool = False
    correction: str = ""
    historical: bool = False
    acled_event_type: str = ""
    acled_sub_event_type: str = ""
    actor1: str = ""
    actor2: str = ""
    civilian_targeting: bool = False
    fatalities: int = 0
    injured: int = 0
    casualties: str = ""
    date_first: str = ""
    date_last: str = ""


#: Columns of the event table, in order (geometry comes last in the GeoDataFrame).
EVENT_COLUMNS = (
    "event_id",
    "date",
    "time_precision",
    "date_first",
    "date_last",
    "historical",
    "place_id",
    "place",
    "kind",
    "admin1",
    "country_code",
    "latitude",
    "longitude",
    "geo_precision",
    "event_type",
    "sub_event_type",
    "acled_event_type",
    "acled_sub_event_type",
    "actor1",
    "actor2",
    "civilian_targeting",
    "fatalities",
    "injured",
    "casualties",
    "article_id",
    "title",
    "source",
    "url",
    "published",
    "quote",
    "confidence",
    "sources",
    "n_sources",
    "corrected",
    "correction",
)
INT_COLUMNS = ("time_precision", "geo_precision", "n_sources", "fatalities", "injured")
FLOAT_COLUMNS = ("latitude", "longitude", "confidence")
BOOL_COLUMNS = ("corrected", "historical", "civilian_targeting")
STR_COLUMNS = tuple(c for c in EVENT_COLUMNS if c not in INT_COLUMNS + FLOAT_COLUMNS + BOOL_COLUMNS)

#: Columns a table written before they existed may lack, with the value they take.
COLUMN_DEFAULTS = {
    f.name: f.default
    for f in fields(Event)
    if f.name
    in (
        "historical",
        "acled_event_type",
        "acled_sub_event_type",
        "actor1",
        "actor2",
        "civilian_targeting",
        "fatalities",
        "injured",
        "casualties",
        "date_first",
        "date_last",
    )
}


def row_order(e: Event) -> tuple[str, str, str, str]:
    """The table's stable row order: date, place, type, event_id.

    Examples
    --------
    >>> e = Event("e1", "2022-11-11", 1, "p:1", "Kherson", "city", "", "UA", 46.6, 32.6,
    ...           1, "shelling", "", "a", "T", "", "", "", "q", 0.8)
    >>> row_order(e)
    ('2022-11-11', 'Kherson', 'shelling', 'e1')
    """
    return (e.date, e.place, e.event_type, e.event_id)
