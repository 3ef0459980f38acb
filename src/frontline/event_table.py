"""The event table: a validated GeoDataFrame of events, its filters, files and views.

:class:`EventTable` holds the rows of :func:`frontline.events.merge_events` as a
GeoDataFrame of :data:`frontline.event_schema.EVENT_COLUMNS` with Point(lon, lat) in
EPSG:4326. ``date`` and ``published`` are real dates there (``datetime64[ms]``, days at
midnight, ``published`` NaT when unknown), with ``time_precision`` beside ``date``. The
table validates itself where it is made and read, acts like the frame it wraps (``len``,
iteration, ``head``, column access, ``+``), filters, summarizes, plots and maps itself,
and writes CSV (cells a spreadsheet would run as formulas are neutralized), GeoJSON,
GeoPackage or GeoParquet. CSV and GeoJSON carry the dates as ISO text (``YYYY-MM-DD``),
GeoPackage and GeoParquet as date-time fields; all four read back as the same table.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import math
import re
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ArgumentError, EventTableError, OutputError
from .event_schema import BOOL_COLUMNS as _BOOL_COLUMNS
from .event_schema import COLUMN_DEFAULTS, EVENT_COLUMNS, EVENT_TYPES, STR_COLUMNS, Event
from .event_schema import FLOAT_COLUMNS as _FLOAT_COLUMNS
from .event_schema import INT_COLUMNS as _INT_COLUMNS
from .event_schema import row_order as _row_order
from .outputs import neutralize_cell, restore_cell

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    import folium
    import geopandas as gpd
    import pandas as pd
    from matplotlib.figure import Figure

    from .charts import Summary

__all__ = ["EventTable", "DateLike", "Bounds"]

#: What :meth:`EventTable.filter` takes as a date: ISO text (``2022-11-11``, ``2022-11``,
#: ``2022``, ``2022-W45``), a ``datetime.date``/``datetime`` or a pandas ``Timestamp``.
DateLike = str | dt.date
#: A bounding box in degrees, in the order GeoPandas' ``total_bounds`` uses:
#: (min_lon, min_lat, max_lon, max_lat).
Bounds = tuple[float, float, float, float]

#: Calendar days: datetime64[ms] in the frame, ISO text in CSV and GeoJSON.
_DATE_COLUMNS = ("date", "date_first", "date_last", "published")
_DATE_DTYPE = "datetime64[ms]"
_STR_COLUMNS = tuple(c for c in STR_COLUMNS if c not in _DATE_COLUMNS)
_FORMATS = (".csv", ".geojson", ".gpkg", ".parquet")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Text a reader may hand back for a day: the date, perhaps with a midnight time.
_DAY_TEXT = r"\d{4}-\d{2}-\d{2}(?:[T ]00:00(?::00(?:\.0+)?)?)?"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-?W(\d{2})$", re.IGNORECASE)
_DATE_HELP = (
    "a date: ISO text (2022-11-11, 2022-11, 2022 or 2022-W45), a datetime.date or "
    "datetime, or a pandas Timestamp"
)
#: The narrow columns a notebook shows (see :meth:`EventTable.glance`).
GLANCE_COLUMNS = ("event_id", "date", "place", "oblast", "type", "source")
_HTML_MAX_ROWS = 50
_HTML_CELL_CHARS = 40
_HTML_STYLE = (
    "<style scoped>.frontline-events td {max-width: 14em; overflow: hidden; "
    "text-overflow: ellipsis; white-space: nowrap; text-align: left}</style>"
)


class EventTable:
    """The event table: a GeoDataFrame of :data:`EVENT_COLUMNS` with Point(lon, lat).

    Rows are kept in a stable order (date, place, type, event_id), so the same events
    always give byte-identical files. It is validated where it is made and read.

    It acts like the frame it wraps: ``len(table)``; ``for event in table`` (each an
    :class:`~frontline.events.Event`); ``table.head()``; ``table["place"]`` or
    ``table.place`` (a column), ``table[["date", "place"]]`` (a frame),
    ``table[table.confidence > 0.5]`` (a table); ``a + b`` and :meth:`concat`. The frame
    itself is :attr:`gdf`, where ``date`` is a datetime64 column, ready for
    ``pd.Grouper(key="date", freq="W")``.

    A table made by :meth:`from_events` keeps its rows as plain tuples until the
    GeoDataFrame is asked for: filtering it and writing it as CSV then need neither
    pandas nor geopandas, whose import is most of the start-up of a cached rerun.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A frame with the event columns and EPSG:4326 point geometry. ``date`` and
        ``published`` may be datetime64 or ISO text (converted to dates).
    validate : bool, default True
        Check the frame (see :meth:`validate`).

    Examples
    --------
    >>> e = Event(event_id="e1", date="2022-11-11", time_precision=1, place_id="p:1",
    ...     place="Kherson", kind="city", admin1="Kherson", country_code="UA",
    ...     latitude=46.64, longitude=32.61, geo_precision=1, event_type="territory_change",
    ...     sub_event_type="entry", article_id="a", title="T", source="Wire", url="",
    ...     published="2022-11-12", quote="Troops entered Kherson.", confidence=0.8)
    >>> table = EventTable.from_events([e])
    >>> len(table), table.gdf.crs.to_epsg(), table.gdf.geometry.iloc[0].x
    (1, 4326, 32.61)
    >>> table.gdf["date"].dtype
    dtype('<M8[ms]')
    >>> [event.place for event in table], len(table.filter(types=["shelling"]))
    (['Kherson'], 0)
    """

    def __init__(self, gdf: gpd.GeoDataFrame, *, validate: bool = True) -> None:
        self._gdf: gpd.GeoDataFrame | None = _with_dates(gdf)
        self._rows: list[tuple] | None = None  # set instead of _gdf by _of_rows
        if validate:
            self.validate()

    @classmethod
    def _of_rows(cls, rows: list[tuple], *, validate: bool = True) -> EventTable:
        """A table over canonical rows (see :func:`_canonical`), in the stable order."""
        table = cls.__new__(cls)
        table._gdf, table._rows = None, rows
        if validate:
            table.validate()
        return table

    # -- making ----------------------------------------------------------------------
    @classmethod
    def from_events(cls, events: Iterable[Event]) -> EventTable:
        """A table of *events*, in the stable row order.

        Examples
        --------
        >>> len(EventTable.from_events([]))
        0
        """
        return cls._of_rows([_canonical(e) for e in sorted(events, key=_row_order)])

    @classmethod
    def concat(cls, tables: Iterable[EventTable]) -> EventTable:
        """One table of the rows of all *tables*, in the stable order.

        An event (an ``event_id``) in more than one table is kept once, as the first
        table has it. ``a + b`` is ``EventTable.concat([a, b])``.

        Raises
        ------
        TypeError
            Something other than an EventTable is given.

        Examples
        --------
        >>> mk = lambda i, day, place="Kherson", precision=1: Event(i, day, precision, "p:" + place,
        ...     place, "city", place + " Oblast", "UA", 46.6, 32.6, 1, "shelling", "", "a", "T",
        ...     "Wire", "", "2022-11-12", "q", 0.8)
        >>> a = EventTable.from_events([mk("e1", "2022-11-11")])
        >>> b = EventTable.from_events([mk("e2", "2022-11-01")])
        >>> [e.event_id for e in EventTable.concat([a, b, a])], len(a + b)
        (['e2', 'e1'], 2)
        """
        tables = list(tables)
        for t in tables:
            if not isinstance(t, EventTable):
                raise TypeError(
                    f"EventTable.concat takes EventTables, not "
                    f"{type(t).__name__}; wrap a GeoDataFrame as EventTable(gdf)"
                )
        if all(t._rows is not None for t in tables):  # no pandas needed
            seen: set[str] = set()
            rows = []
            for t in tables:
                for row in t._rows or ():
                    if row[_ID] not in seen:
                        seen.add(row[_ID])
                        rows.append(row)
            return cls._of_rows(sorted(rows, key=_row_key), validate=False)
        import geopandas as gpd
        import pandas as pd

        columns = [*EVENT_COLUMNS, "geometry"]
        frame = (
            pd.concat([t.gdf[columns] for t in tables], ignore_index=True)
            if tables
            else EventTable.from_events([]).gdf
        )
        frame = frame.drop_duplicates("event_id", keep="first")
        return cls(
            _sorted(gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")), validate=False
        )

    def __add__(self, other: object) -> EventTable:
        if not isinstance(other, EventTable):
            return NotImplemented
        return EventTable.concat([self, other])

    def __radd__(self, other: object) -> EventTable:
        if isinstance(other, int) and other == 0:  # sum(tables) starts from 0
            return self
        return NotImplemented

    @property
    def gdf(self) -> gpd.GeoDataFrame:
        """The GeoDataFrame (EPSG:4326, Point(lon, lat)); a copy is safe to change."""
        if self._gdf is None:
            import pandas as pd

            self._gdf = _to_gdf(pd.DataFrame(self._rows, columns=list(EVENT_COLUMNS)))
            self._rows = None  # from now on the frame is the one copy of the rows
        return self._gdf

    # -- acting like a frame ---------------------------------------------------------
    def __len__(self) -> int:
        return len(self._rows) if self._rows is not None else len(self.gdf)

    def __iter__(self) -> Iterator[Event]:
        """The rows as :class:`~frontline.events.Event` objects, in table order."""
        return iter(self.to_events())

    def __repr__(self) -> str:
        return f"<EventTable: {len(self)} events>"

    @property
    def columns(self) -> list[str]:
        """The column names (the event columns, then ``geometry``)."""
        if self._rows is not None:
            return [*EVENT_COLUMNS, "geometry"]
        return list(self.gdf.columns)

    def head(self, n: int = 5) -> EventTable:
        """The first *n* rows, as a table.

        Examples
        --------
        >>> len(EventTable.from_events([]).head())
        0
        """
        if self._rows is not None:
            return EventTable._of_rows(self._rows[:n], validate=False)
        return EventTable(self.gdf.head(n).reset_index(drop=True), validate=False)

    def tail(self, n: int = 5) -> EventTable:
        """The last *n* rows, as a table."""
        if self._rows is not None:
            return EventTable._of_rows(self._rows[-n:] if n > 0 else [], validate=False)
        return EventTable(self.gdf.tail(n).reset_index(drop=True), validate=False)

    def __getitem__(self, key: Any) -> Any:
        """A column by name (a Series), columns by a list of names (a DataFrame), or
        rows by a boolean mask or a slice (a table)."""
        gdf = self.gdf
        if isinstance(key, str):
            if key not in gdf.columns:
                raise KeyError(f"no column {key!r}; the columns are {', '.join(gdf.columns)}")
            return gdf[key]
        if isinstance(key, list | tuple) and key and all(isinstance(k, str) for k in key):
            return gdf[list(key)]
        if isinstance(key, slice):
            return EventTable(gdf.iloc[key].reset_index(drop=True), validate=False)
        import numpy as np
        import pandas as pd

        if isinstance(key, pd.Series) and pd.api.types.is_bool_dtype(key.dtype):
            return EventTable(gdf[key].reset_index(drop=True), validate=False)
        mask = np.asarray(key)
        if mask.dtype != bool or mask.shape != (len(gdf),):
            raise TypeError(
                "an EventTable is indexed by a column name, a list of names, a "
                f"slice or a boolean mask of {len(gdf)} values, not "
                f"{type(key).__name__}"
            )
        return EventTable(gdf[mask].reset_index(drop=True), validate=False)

    def __getattr__(self, name: str) -> Any:
        # Only called for names that are not attributes: columns, as on a DataFrame.
        if not name.startswith("_") and (name in EVENT_COLUMNS or name == "geometry"):
            return self.gdf[name]
        raise AttributeError(f"'EventTable' object has no attribute {name!r}")

    def to_events(self) -> list[Event]:
        """The rows as :class:`Event` objects.

        Examples
        --------
        >>> EventTable.from_events([]).to_events()
        []
        """
        names = [f.name for f in fields(Event)]
        if self._rows is not None:
            records: Iterable[dict] = (
                dict(zip(EVENT_COLUMNS, row, strict=True)) for row in self._rows
            )
        else:
            records = self.gdf[list(EVENT_COLUMNS)].to_dict("records")
        return [
            Event(
                **{n: _iso_text(rec[n]) if n in _DATE_COLUMNS else _python(rec[n]) for n in names}
            )
            for rec in records
        ]

    def equals(self, other: EventTable) -> bool:
        """Whether two tables hold the same rows, values and geometry."""
        a, b = self.gdf, other.gdf
        return (
            list(a.columns) == list(b.columns)
            and a[list(EVENT_COLUMNS)].equals(b[list(EVENT_COLUMNS)])
            and bool(a.geometry.geom_equals(b.geometry).all())
            and a.crs == b.crs
        )

    # -- checking --------------------------------------------------------------------
    def validate(self) -> EventTable:
        """Check columns, dtypes, CRS, coordinates, dates and types; return self.

        Raises
        ------
        EventTableError
            Listing every problem, row by row, at once.

        Examples
        --------
        >>> t = EventTable.from_events([])
        >>> t.validate() is t
        True
        """
        if self._rows is not None:  # canonical types by construction: check the rows
            problems = _rows_problems(
                dict(zip(EVENT_COLUMNS, row, strict=True)) for row in self._rows
            )
            if problems:
                raise EventTableError(problems)
            return self

        import pandas as pd

        gdf = self.gdf
        problems: list[str] = []
        missing = [c for c in EVENT_COLUMNS if c not in gdf.columns]
        if missing:
            problems.append("missing columns: " + ", ".join(missing))
        if gdf.crs is None or gdf.crs.to_epsg() != 4326:
            problems.append(f"CRS must be EPSG:4326, not {gdf.crs}")
        for col in _INT_COLUMNS:
            if col in gdf and not pd.api.types.is_integer_dtype(gdf[col]):
                problems.append(f"column {col} must be integer, not {gdf[col].dtype}")
        for col in _FLOAT_COLUMNS:
            if col in gdf and not pd.api.types.is_float_dtype(gdf[col]):
                problems.append(f"column {col} must be float, not {gdf[col].dtype}")
        for col in _BOOL_COLUMNS:
            if col in gdf and not pd.api.types.is_bool_dtype(gdf[col]):
                problems.append(f"column {col} must be boolean, not {gdf[col].dtype}")
        for col in _STR_COLUMNS:
            if col in gdf and not _is_text(gdf[col]):
                problems.append(f"column {col} must be text, not {gdf[col].dtype}")
        for col in _DATE_COLUMNS:  # text left by _with_dates has bad values: listed below
            if col in gdf and not (str(gdf[col].dtype) == _DATE_DTYPE or _is_text(gdf[col])):
                problems.append(f"column {col} must be dates (datetime64), not {gdf[col].dtype}")
        if problems:  # row checks need the columns
            raise EventTableError(problems)
        records = gdf.to_dict("records")
        for rec in records:
            for col in _DATE_COLUMNS:
                rec[col] = _iso_text(rec[col])
        problems = _rows_problems(records)
        if problems:
            raise EventTableError(problems)
        return self

    # -- selecting -------------------------------------------------------------------
    def filter(
        self,
        *,
        start: DateLike | None = None,
        end: DateLike | None = None,
        types: str | Iterable[str] | None = None,
        region: str | Iterable[str] | None = None,
        place: str | Iterable[str] | None = None,
        country: str | Iterable[str] | None = None,
        source: str | Iterable[str] | None = None,
        bbox: Bounds | None = None,
        min_confidence: float | None = None,
    ) -> EventTable:
        """The events matching every given condition (a list matches any of its items).

        Parameters
        ----------
        start, end : str, date, datetime or Timestamp, optional
            Inclusive date range. Text may be a day (``2022-11-11``), a month
            (``2022-11``), a year (``2022``) or an ISO week (``2022-W45``): ``start``
            is its first day and ``end`` its last, so ``start="2022-11",
            end="2022-11"`` is November 2022. A datetime counts by its day.
        types : str or list of str, optional
            Event types to keep (from :data:`EVENT_TYPES`).
        region : str or list of str, optional
            First-level region (``admin1``), case-insensitive; "Donetsk" also matches
            "Donetsk Oblast".
        place : str or list of str, optional
            A place name or ``place_id``, case-insensitive.
        country : str or list of str, optional
            ISO 3166 two-letter country codes, such as ``"UA"``.
        source : str or list of str, optional
            Case-insensitive text found in ``source``, ``sources``, ``title`` or ``url``.
        bbox : (min_lon, min_lat, max_lon, max_lat), optional
            Degrees, in the order of GeoPandas' ``total_bounds``; edges included.
        min_confidence : float, optional
            Lowest confidence kept, from 0 to 1.

        Raises
        ------
        TypeError
            An argument of the wrong kind (a number for a date, a list of numbers...).
        ArgumentError
            A ``ValueError``: a date that cannot be read, an unknown event type, a
            bounding box or confidence out of range.

        Examples
        --------
        >>> mk = lambda i, day, place="Kherson", precision=1: Event(i, day, precision, "p:" + place,
        ...     place, "city", place + " Oblast", "UA", 46.6, 32.6, 1, "shelling", "", "a", "T",
        ...     "Wire", "", "2022-11-12", "q", 0.8)
        >>> t = EventTable.from_events([mk("e1", "2022-11-11"), mk("e2", "2022-12-02", "Kharkiv")])
        >>> [e.event_id for e in t.filter(start="2022-11", end="2022-11")]
        ['e1']
        >>> len(t.filter(place=["kharkiv", "Odesa"], bbox=(30, 44, 40, 52)))
        1
        >>> t.filter(start="11/11/2022")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        frontline.errors.ArgumentError: start must be a date: ISO text ..., not '11/11/2022'
        """
        cond = _Conditions.of(
            start=start,
            end=end,
            types=types,
            region=region,
            place=place,
            country=country,
            source=source,
            bbox=bbox,
            min_confidence=min_confidence,
        )
        if self._rows is not None:
            keeps = _row_filter(cond)
            return EventTable._of_rows([r for r in self._rows if keeps(r)], validate=False)
        gdf = self.gdf
        return EventTable(gdf[_frame_mask(gdf, cond)].reset_index(drop=True), validate=False)

    # -- showing ---------------------------------------------------------------------
    def glance(self) -> pd.DataFrame:
        """The table in narrow columns, to read at a glance.

        ``event_id``; ``date`` as text that shows its precision (``2022-11-11`` a day,
        ``2022-W45`` a week or part of a month, ``2022-11`` a month or vaguer);
        ``place``; ``oblast`` (``admin1``); ``type``; ``source`` (``+N`` when N more
        sources report the event). This is what a notebook shows for a table.

        Examples
        --------
        >>> mk = lambda i, day, place="Kherson", precision=1: Event(i, day, precision, "p:" + place,
        ...     place, "city", place + " Oblast", "UA", 46.6, 32.6, 1, "shelling", "", "a", "T",
        ...     "Wire", "", "2022-11-12", "q", 0.8)
        >>> t = EventTable.from_events([mk("e1", "2022-11-11"), mk("e2", "2022-11-07", precision=2)])
        >>> t.glance()["date"].tolist()
        ['2022-W45', '2022-11-11']
        """
        import pandas as pd

        rows = [
            (
                e.event_id,
                _when(e.date, e.time_precision),
                e.place,
                e.admin1,
                e.event_type,
                e.source + (f" +{e.n_sources - 1}" if e.n_sources > 1 else ""),
            )
            for e in self.to_events()
        ]
        return pd.DataFrame(rows, columns=list(GLANCE_COLUMNS))

    def _repr_html_(self) -> str:
        shown = self.head(_HTML_MAX_ROWS).to_events()
        head = "".join(f"<th>{c}</th>" for c in GLANCE_COLUMNS)
        cell = "<td title='{full}'>{short}</td>"
        body = []
        for e in shown:
            values = [
                e.event_id,
                _when(e.date, e.time_precision),
                e.place,
                e.admin1,
                e.event_type,
                e.source + (f" +{e.n_sources - 1}" if e.n_sources > 1 else ""),
            ]
            cells = []
            for col, value in zip(GLANCE_COLUMNS, values, strict=True):
                short = (
                    value if len(value) <= _HTML_CELL_CHARS else value[: _HTML_CELL_CHARS - 1] + "…"
                )
                text = html.escape(short)
                if col == "date" and e.time_precision != 1:  # vaguer than a day: it shows
                    text = f"<i>{text}</i>"
                cells.append(cell.format(full=html.escape(value, quote=True), short=text))
            body.append("<tr>" + "".join(cells) + "</tr>")
        more = len(self) - len(shown)
        foot = f"<p>… {more} more events</p>" if more > 0 else ""
        return (
            f"<div class='frontline-events'>{_HTML_STYLE}<p><b>EventTable</b>: "
            f"{len(self)} events (dates in <i>italics</i> are a week or a month)</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
            f"</table>{foot}</div>"
        )

    def summary(self) -> Summary:
        """Counts of events by week and type, and by oblast and type.

        See :func:`frontline.charts.summarize`.
        """
        from .charts import summarize

        return summarize(self)

    def plot(self, **options: Any) -> Figure:
        """A matplotlib figure for print: events per week by type, and a small map.

        See :func:`frontline.charts.plot_table` for the options.
        """
        from .charts import plot_table

        return plot_table(self, **options)

    def explore(self, *, at: DateLike | None = None, **options: Any) -> folium.Map:
        """The Frontline time-slider map of the table, shown inline in Jupyter.

        Parameters
        ----------
        at : date, optional
            Open the map at this day: events after it are left out, and the slider
            starts at the last day left.
        **options
            Passed to :func:`frontline.mapbuild.build_map` (``gazetteer``,
            ``window_days``, ``cumulative``, ``show_types``, ``tiles``, ``title``...).

        Returns
        -------
        folium.Map
            Save it with :func:`frontline.save_map`.
        """
        from .mapbuild import build_map

        return build_map(self if at is None else self.filter(end=at), **options)

    # -- files -----------------------------------------------------------------------
    def to_file(self, path: str | Path) -> Path:
        """Write the table by extension: ``.csv``, ``.geojson``, ``.gpkg``, ``.parquet``;
        a name ending ``.acled.csv`` gets ACLED's columns in ACLED's order
        (:func:`frontline.acled.write_acled_csv`).

        The write is atomic. CSV and GeoJSON hold the dates as ISO text
        (``YYYY-MM-DD``); GeoPackage and GeoParquet as date-time fields, so GeoPandas
        reads them back as dates as it does GeoJSON's. CSV text cells that a
        spreadsheet would run as a formula (starting with ``= + - @``, tab or CR) get a
        leading apostrophe; numbers stay numbers. :meth:`read` undoes the apostrophes.

        Raises
        ------
        OutputError
            For an unknown extension or an unwritable place.
        """
        from .outputs import atomic_path, atomic_write

        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in _FORMATS:
            raise OutputError(
                f"{path}: unknown event table format {suffix!r}; use one of {', '.join(_FORMATS)}"
            )
        self.validate()
        if path.name.lower().endswith(".acled.csv"):  # ACLED's columns, in ACLED's order
            from .acled import write_acled_csv

            try:
                return write_acled_csv(path, sorted(self.to_events(), key=_row_order))
            except OSError as err:
                raise OutputError(f"cannot write {path}: {err}") from err
        if suffix == ".csv":  # from rows, so a table of rows never needs pandas
            rows = (
                self._rows
                if self._rows is not None
                else [
                    tuple(convert(rec[name]) for name, convert in _CONVERTERS)
                    for rec in self.gdf[list(EVENT_COLUMNS)].to_dict("records")
                ]
            )
            try:
                _write_csv_rows(path, sorted(rows, key=_row_key))  # stable, as _sorted
            except OutputError:
                raise
            except OSError as err:
                raise OutputError(f"cannot write {path}: {err}") from err
            return path
        gdf = _sorted(self.gdf)
        try:
            if suffix == ".geojson":
                text = gdf.copy()
                for col in _DATE_COLUMNS:  # GeoJSON has no date type: ISO text, or null
                    text[col] = [_iso_text(v) or None for v in text[col]]
                with atomic_write(path) as f:
                    f.write(text.to_json(drop_id=True, ensure_ascii=False, indent=None))
                    f.write("\n")
            elif suffix == ".gpkg":
                import pyogrio

                pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2000-01-01T00:00:00Z"})
                try:
                    with atomic_path(path) as tmp:
                        gdf.to_file(tmp, layer="events", driver="GPKG", engine="pyogrio")
                finally:
                    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
            else:
                with atomic_path(path) as tmp:
                    gdf.to_parquet(tmp, index=False)
        except OutputError:
            raise
        except OSError as err:
            raise OutputError(f"cannot write {path}: {err}") from err
        return path

    @classmethod
    def read(cls, path: str | Path) -> EventTable:
        """Read a table written by :meth:`to_file` (any of the four formats) and check it.

        Every format gives the same column types: dates as datetime64, text as text.

        Raises
        ------
        EventTableError
            If the file does not hold a valid event table.
        """
        import geopandas as gpd
        import pandas as pd

        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in _FORMATS:
            raise EventTableError(
                [f"{path}: unknown event table format {suffix!r}; use one of {', '.join(_FORMATS)}"]
            )
        try:
            if suffix == ".csv":
                frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
                for col in _STR_COLUMNS:
                    if col in frame:
                        frame[col] = frame[col].map(restore_cell)
            elif suffix == ".parquet":
                frame = gpd.read_parquet(path)
            else:
                frame = gpd.read_file(path, engine="pyogrio")
        except (OSError, ValueError) as err:
            raise EventTableError([f"{path}: cannot read event table: {err}"]) from err
        for col, default in COLUMN_DEFAULTS.items():  # a table written before they existed
            if col not in frame.columns:
                frame[col] = default
        missing = [c for c in EVENT_COLUMNS if c not in frame.columns]
        if missing:
            raise EventTableError([f"{path}: missing columns: {', '.join(missing)}"])
        try:
            gdf = _to_gdf(frame[list(EVENT_COLUMNS)].copy())
        except (TypeError, ValueError) as err:
            raise EventTableError([f"{path}: bad values: {err}"]) from err
        return cls(gdf)


def import_writer(path: str | Path) -> None:
    """Import the libraries :meth:`EventTable.to_file` needs for *path*'s format.

    Importing pandas and geopandas costs about half a CPU second: a process that will
    write a table later can take that cost early, on a core that would otherwise idle
    (see :class:`TableWriter`). Only a missing library is ignored here: ``to_file``
    imports it again and reports it where the table is written. CSV needs nothing.

    Examples
    --------
    >>> import_writer("events.csv")
    >>> import_writer("events.parquet")
    >>> import sys
    >>> "geopandas" in sys.modules
    True
    """
    suffix = Path(path).suffix.lower()
    if suffix not in _FORMATS or suffix == ".csv":
        return
    try:
        import geopandas  # noqa: F401  (imports pandas too)

        if suffix == ".parquet":
            import geopandas.io.arrow  # noqa: F401
            import pyarrow.parquet  # noqa: F401
        elif suffix == ".gpkg":
            import pyogrio  # noqa: F401
    except ImportError:
        return  # to_file raises it, with its context


class TableWriter:
    """Writes one event table to *path* from a helper process started now.

    Writing GeoJSON, GeoPackage or GeoParquet first imports pandas and geopandas (about
    half a CPU second). A command that will write its table only after seconds or
    minutes of other work (start-up, warming up the indexes, reading cached results:
    mostly one busy core) starts a writer first: the helper process takes the imports on
    a core that would otherwise idle, then waits for the rows. :meth:`write` sends them
    and returns once the file is written, by :meth:`EventTable.to_file` as ever, so the
    bytes are the same. CSV (written without pandas), a table that holds a GeoDataFrame
    rather than rows, and platforms without ``fork`` are written in this process.

    Parameters
    ----------
    path : path
        The file to write.
    helper : bool, default True
        False writes in this process (for one-core runs).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> e = Event(event_id="e1", date="2022-11-11", time_precision=1, place_id="p:1",
    ...     place="Kherson", kind="city", admin1="Kherson", country_code="UA",
    ...     latitude=46.64, longitude=32.61, geo_precision=1, event_type="territory_change",
    ...     sub_event_type="entry", article_id="a", title="T", source="Wire", url="",
    ...     published="2022-11-12", quote="Troops entered Kherson.", confidence=0.8)
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "events.parquet"
    >>> with TableWriter(out) as writer:
    ...     # ... the long work; meanwhile the helper imports geopandas ...
    ...     _ = writer.write(EventTable.from_events([e]))
    >>> EventTable.read(out).gdf.place.tolist()
    ['Kherson']
    """

    def __init__(self, path: str | Path, *, helper: bool = True) -> None:
        import multiprocessing as mp

        self.path = Path(path)
        self._conn: Any = None
        self._proc: Any = None
        suffix = self.path.suffix.lower()
        if (
            not helper
            or suffix not in _FORMATS
            or suffix == ".csv"
            or "fork" not in mp.get_all_start_methods()
        ):
            return
        ctx = mp.get_context("fork")  # cheap, and the helper needs nothing sent to it
        self._conn, theirs = ctx.Pipe()
        self._proc = ctx.Process(
            target=_write_in_helper, args=(theirs, self.path), name="frontline-writer", daemon=True
        )
        self._proc.start()
        theirs.close()

    def write(self, table: EventTable) -> Path:
        """Write *table* (see :meth:`EventTable.to_file`); raises what it raises."""
        if self._proc is None or table._rows is None:
            self.close()
            return table.to_file(self.path)
        try:
            self._conn.send(table._rows)
            status, value = self._conn.recv()
        except (OSError, EOFError) as err:  # the helper died: no file from it
            raise OutputError(
                f"cannot write {self.path}: the writer process stopped "
                f"({err or type(err).__name__})"
            ) from err
        finally:
            self.close()
        if status == "invalid":
            raise EventTableError(value)
        if status == "error":
            raise value
        return self.path

    def write_events(
        self,
        events: Iterable[Event],
        *,
        repeats: Container[str] | None = None,
        **conditions: Any,
    ) -> int:
        """Write the table of *events*, given in the table's order (as
        :class:`frontline.spill.EventSpill` gives them), keeping the rows that match
        *conditions* (those of :meth:`EventTable.filter`); return how many rows were
        written.

        The file is the one ``write(EventTable.from_events(events).filter(**conditions))``
        writes, byte for byte, and the rows are checked as that table is. CSV (not the
        ACLED layout) is written as the events come, so memory holds none of them
        however many there are; the other formats make the table first.

        Parameters
        ----------
        repeats : container of str, optional
            The only event ids that may repeat an earlier row's (see
            :meth:`frontline.spill.EventSpill.repeated_ids`): the check for repeated
            ids then remembers these alone. None: it remembers every id.
        """
        cond = _Conditions.of(**conditions)  # checked before any event is read
        name = self.path.name.lower()
        if self.path.suffix.lower() != ".csv" or name.endswith(".acled.csv"):
            table = EventTable.from_events(events).filter(**conditions)
            self.write(table)
            return len(table)
        self.close()
        try:
            return _write_csv_rows(self.path, _checked_rows(events, _row_filter(cond), repeats))
        except (OutputError, EventTableError):
            raise
        except OSError as err:
            raise OutputError(f"cannot write {self.path}: {err}") from err

    def close(self) -> None:
        """Stop the helper (it is waiting for rows, or done)."""
        if self._proc is None:
            return
        proc, self._proc = self._proc, None
        try:
            self._conn.send(None)  # "nothing to write": it returns at once
        except OSError:
            pass  # it has already gone
        self._conn.close()
        proc.join(timeout=5)
        if proc.is_alive():
            proc.terminate()
            proc.join()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _write_in_helper(conn: Any, path: Path) -> None:
    """The helper's life: import the writer's libraries, wait for rows, write them."""
    import signal

    # Ctrl-C is the command's to handle: it then tells this helper to stop (close()).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import_writer(path)
    try:
        rows = conn.recv()
    except EOFError:
        return  # the command ended without writing
    if rows is None:
        return
    try:
        EventTable._of_rows(rows, validate=False).to_file(path)  # to_file validates
    except EventTableError as err:  # its pickle would not keep the problems list
        conn.send(("invalid", err.problems))
    except Exception as err:  # sent back and raised in the command's process
        conn.send(("error", _portable(err, path)))
    else:
        conn.send(("ok", None))
    conn.close()


def _portable(err: Exception, path: Path) -> Exception:
    """*err* if it survives a pickle round trip, else an OutputError that names it."""
    import pickle

    try:
        pickle.loads(pickle.dumps(err))
    except Exception:  # a class whose arguments pickle does not rebuild
        return OutputError(f"cannot write {path}: {type(err).__name__}: {err}")
    return err


def _sorted(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The rows in the table's stable order: date, place, type, event_id."""
    return gdf.sort_values(
        ["date", "place", "event_type", "event_id"], kind="mergesort", ignore_index=True
    )


_ORDER = tuple(EVENT_COLUMNS.index(c) for c in ("date", "place", "event_type", "event_id"))
_ID = EVENT_COLUMNS.index("event_id")
_STR_INDEX = frozenset(EVENT_COLUMNS.index(c) for c in _STR_COLUMNS)


def _row_key(row: tuple) -> tuple:
    """A canonical row's place in the stable order (as :func:`_sorted` orders a frame)."""
    return tuple(row[i] for i in _ORDER)


def _write_csv_rows(path: Path, rows: Iterable[tuple]) -> int:
    """Write canonical rows, in the order given, as CSV: byte for byte what pandas
    writes for the same table; returns how many rows were written. The rows are written
    as they come (an iterator of them is never held whole); an exception raised by it
    leaves no file.

    Python's ``str`` of a float is the shortest repr, as pandas writes float64; the csv
    module is the writer pandas itself uses, with the same dialect.
    """
    from .outputs import atomic_write

    written = 0

    def cells() -> Iterator[list]:
        nonlocal written
        for row in rows:
            written += 1
            yield [neutralize_cell(v) if i in _STR_INDEX else v for i, v in enumerate(row)]

    with atomic_write(path, newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(EVENT_COLUMNS)
        w.writerows(cells())
    return written


def _checked_rows(
    events: Iterable[Event], keeps: Callable[[tuple], bool], repeats: Container[str] | None
) -> Iterator[tuple]:
    """The canonical rows of *events* that *keeps* keeps, each row checked as
    :meth:`EventTable.validate` checks a table of them all (row numbers count every
    event); once they are all read, their problems raise EventTableError."""
    check = _RowCheck(repeats)
    problems: list[str] = []
    for i, event in enumerate(events):
        row = _canonical(event)
        problems.extend(check(dict(zip(EVENT_COLUMNS, row, strict=True)), i))
        if keeps(row):
            yield row
    if problems:
        raise EventTableError(problems)


def _text(value: Any) -> str:
    """A text cell as ``_to_gdf`` makes it: missing (None, NaN) is empty, the rest ``str``."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return value if isinstance(value, str) else str(value)


def _iso_text(value: Any) -> str:
    """A day as ISO text: a date, datetime or Timestamp by its day; missing is empty.

    Examples
    --------
    >>> _iso_text(dt.datetime(2022, 11, 11, 15, 30)), _iso_text(None), _iso_text("2022-11-11")
    ('2022-11-11', '', '2022-11-11')
    """
    if value is None or value != value:  # None, NaN, NaT
        return ""
    if isinstance(value, dt.datetime):  # a pandas Timestamp too
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if type(value).__name__ == "datetime64":  # numpy's, at any unit
        return str(value)[:10]
    return _text(value)


def _number(value: Any) -> float:
    return math.nan if value is None else float(value)


def _canonical(event: Event) -> tuple:
    """An event's values in :data:`EVENT_COLUMNS` order, with the types ``_to_gdf`` gives.

    Dates stay ISO text in a row (``_to_gdf`` makes them datetime64).

    Examples
    --------
    >>> e = Event("e1", "2022-11-11", 1, "p:1", "Kherson", "city", None, "UA", 46, 32.6, 1,
    ...           "shelling", "", "a", "T", "", "", "", "q", 0.8, corrected="no")
    >>> _canonical(e)[8:13], _canonical(e)[-2]
    (('city', '', 'UA', 46.0, 32.6), False)
    """
    return tuple(convert(getattr(event, name)) for name, convert in _CONVERTERS)


def _is_text(column: Any) -> bool:
    import pandas as pd

    return bool(pd.api.types.is_string_dtype(column) or pd.api.types.is_object_dtype(column))


def _as_dates(column: Any) -> Any:
    """*column* as datetime64[ms] days, or None when a value is not a day (the caller
    keeps the text, and validation names the bad rows). Missing values become NaT."""
    import pandas as pd

    if isinstance(column.dtype, pd.DatetimeTZDtype):
        column = column.dt.tz_localize(None)  # the local wall-clock day
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return column.dt.normalize().astype(_DATE_DTYPE)
    if not _is_text(column):
        return None
    text = column.map(_iso_text).astype(object)
    given = text != ""
    if not text[given].str.fullmatch(_DAY_TEXT).all():
        return None
    parsed = pd.to_datetime(text.str.slice(0, 10).where(given), format="%Y-%m-%d", errors="coerce")
    if (parsed.isna() & given).any():  # 2022-02-30 and the like
        return None
    return parsed.astype(_DATE_DTYPE)


def _with_dates(gdf: Any) -> Any:
    """*gdf* with its date columns as datetime64[ms] days where they can be (a copy when
    anything changes; the caller's frame is left as it was)."""
    changed = {}
    for col in _DATE_COLUMNS:
        if col in gdf.columns and str(gdf[col].dtype) != _DATE_DTYPE:
            dates = _as_dates(gdf[col])
            if dates is not None:
                changed[col] = dates
    if not changed:
        return gdf
    gdf = gdf.copy()
    for col, dates in changed.items():
        gdf[col] = dates
    return gdf


def _to_gdf(frame: Any) -> gpd.GeoDataFrame:
    """Give *frame* the canonical dtypes and Point(lon, lat) geometry in EPSG:4326."""
    import geopandas as gpd
    import pandas as pd

    frame = frame.reset_index(drop=True)
    for col in _STR_COLUMNS:
        frame[col] = frame[col].fillna("").astype(str).astype(object)
    for col in _INT_COLUMNS:
        frame[col] = pd.to_numeric(frame[col], errors="raise").astype("int64")
    for col in _FLOAT_COLUMNS:
        frame[col] = pd.to_numeric(frame[col], errors="raise").astype("float64")
    for col in _BOOL_COLUMNS:
        frame[col] = frame[col].map(_as_bool).astype(bool)
    frame = _with_dates(frame)
    geometry = gpd.points_from_xy(frame["longitude"], frame["latitude"], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        if value.strip().lower() in ("true", "1", "yes"):
            return True
        if value.strip().lower() in ("false", "0", "no", ""):
            return False
        raise ValueError(f"not a boolean: {value!r}")
    return bool(value)


# Per column, what makes a value canonical: the conversions of _to_gdf, one value at a time.
_CONVERTERS: tuple[tuple[str, Callable[[Any], Any]], ...] = tuple(
    (
        name,
        _text
        if name in _STR_COLUMNS
        else _iso_text
        if name in _DATE_COLUMNS
        else int
        if name in _INT_COLUMNS
        else _number
        if name in _FLOAT_COLUMNS
        else _as_bool,
    )
    for name in EVENT_COLUMNS
)


def _python(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _when(date: str, precision: int) -> str:
    """A day as text that shows its precision: the day, its ISO week, or its month.

    Examples
    --------
    >>> _when("2022-11-11", 1), _when("2022-11-07", 2), _when("2022-11-01", 3)
    ('2022-11-11', '2022-W45', '2022-11')
    """
    if precision == 1 or not _valid_date(date):
        return date
    if precision == 2:
        year, week, _ = dt.date.fromisoformat(date).isocalendar()
        return f"{year}-W{week:02d}"
    return date[:7]


def _valid_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


# ------------------------------------------------------------------------------ filtering


def _period(value: Any, name: str) -> tuple[dt.date, dt.date]:
    """The first and last day *value* stands for (a day, a week, a month or a year).

    Examples
    --------
    >>> _period("2022-11", "start")
    (datetime.date(2022, 11, 1), datetime.date(2022, 11, 30))
    >>> _period("2022-W45", "end")[1], _period(dt.datetime(2022, 11, 11, 9), "end")[0]
    (datetime.date(2022, 11, 13), datetime.date(2022, 11, 11))
    >>> _period(20221111, "start")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: start must be a date: ISO text ..., not int
    """
    if type(value).__name__ == "datetime64":  # numpy's
        value = str(value)
    if isinstance(value, dt.datetime) or isinstance(value, dt.date):
        if value != value:  # NaT
            raise ArgumentError(f"{name} must be {_DATE_HELP}, not NaT")
        day = value.date() if isinstance(value, dt.datetime) else value
        return day, day
    if not isinstance(value, str):
        raise TypeError(f"{name} must be {_DATE_HELP}, not {type(value).__name__}")
    text = value.strip()
    try:
        if _ISO_DATE.match(text) or re.fullmatch(_DAY_TEXT, text):
            day = dt.date.fromisoformat(text[:10])
            return day, day
        if m := _MONTH.match(text):
            year, month = int(m[1]), int(m[2])
            first = dt.date(year, month, 1)
            after = dt.date(year + month // 12, month % 12 + 1, 1)
            return first, after - dt.timedelta(days=1)
        if m := _YEAR.match(text):
            return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31)
        if m := _WEEK.match(text):
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday, monday + dt.timedelta(days=6)
    except ValueError:
        pass  # a month 13, a 30 February...
    raise ArgumentError(f"{name} must be {_DATE_HELP}, not {value!r}")


def _texts(value: Any, name: str) -> list[str] | None:
    """*value* (a str, or an iterable of str) as a list; None stays None."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, bytes | dict):
        items = list(value)
        wrong = [type(v).__name__ for v in items if not isinstance(v, str)]
        if not wrong:
            return items
        raise TypeError(f"{name} must be text or a list of text, not a list holding {wrong[0]}")
    raise TypeError(f"{name} must be text or a list of text, not {type(value).__name__}")


@dataclass(frozen=True, slots=True)
class _Conditions:
    """The checked conditions of one :meth:`EventTable.filter` call."""

    first: str | None = None  # ISO days, inclusive
    last: str | None = None
    types: frozenset[str] | None = None
    regions: tuple[str, ...] | None = None  # casefolded
    places: frozenset[str] | None = None  # casefolded names and place ids
    countries: frozenset[str] | None = None  # upper case
    sources: tuple[str, ...] | None = None  # casefolded
    bbox: Bounds | None = None
    floor: float | None = None

    @classmethod
    def of(
        cls,
        *,
        start: Any = None,
        end: Any = None,
        types: Any = None,
        region: Any = None,
        place: Any = None,
        country: Any = None,
        source: Any = None,
        bbox: Any = None,
        min_confidence: Any = None,
    ) -> _Conditions:
        first = _period(start, "start")[0] if start is not None else None
        last = _period(end, "end")[1] if end is not None else None
        if first is not None and last is not None and first > last:
            raise ArgumentError(f"start ({first}) is after end ({last}): no day is in between")
        wanted = _texts(types, "types")
        if wanted is not None:
            unknown = sorted(set(wanted) - set(EVENT_TYPES))
            if unknown:
                raise ArgumentError(
                    f"unknown event type(s) {', '.join(unknown)}; known: {', '.join(EVENT_TYPES)}"
                )
        regions, places, countries, sources = (
            _texts(v, n)
            for v, n in (
                (region, "region"),
                (place, "place"),
                (country, "country"),
                (source, "source"),
            )
        )
        return cls(
            first=first.isoformat() if first else None,
            last=last.isoformat() if last else None,
            types=frozenset(wanted) if wanted is not None else None,
            regions=tuple(r.casefold().strip() for r in regions) if regions is not None else None,
            places=frozenset(p.casefold().strip() for p in places) if places is not None else None,
            countries=frozenset(c.upper().strip() for c in countries)
            if countries is not None
            else None,
            sources=tuple(s.casefold() for s in sources) if sources is not None else None,
            bbox=_bounds(bbox) if bbox is not None else None,
            floor=_confidence(min_confidence) if min_confidence is not None else None,
        )


def _bounds(value: Any) -> Bounds:
    """A checked bounding box (min_lon, min_lat, max_lon, max_lat)."""
    try:
        box = tuple(float(v) for v in value)
    except TypeError as err:
        raise TypeError(
            "bbox must be four numbers (min_lon, min_lat, max_lon, max_lat), not "
            f"{type(value).__name__}"
        ) from err
    except ValueError as err:
        raise ArgumentError(f"bbox must be four numbers, not {value!r}") from err
    if len(box) != 4 or not all(math.isfinite(v) for v in box):
        raise ArgumentError(
            f"bbox must be four finite numbers (min_lon, min_lat, max_lon, max_lat), not {value!r}"
        )
    min_lon, min_lat, max_lon, max_lat = box
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ArgumentError(
            f"bbox {value!r} is not (min_lon, min_lat, max_lon, max_lat) in "
            "degrees: longitudes in [-180, 180], latitudes in [-90, 90], "
            "each minimum first (e.g. Ukraine: (22, 44, 40.3, 52.4))"
        )
    return min_lon, min_lat, max_lon, max_lat


def _confidence(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"min_confidence must be a number from 0 to 1, not {type(value).__name__}")
    if not 0.0 <= float(value) <= 1.0:
        raise ArgumentError(f"min_confidence must be from 0 to 1, not {value!r}")
    return float(value)


def _region_hit(admin1: str, place: str, key: str) -> bool:
    return admin1 == key or admin1.startswith(key + " ") or place == key


def _row_filter(c: _Conditions) -> Callable[[tuple], bool]:
    """The conditions of :meth:`EventTable.filter` as a test of one canonical row."""
    (date, event_type, admin1, place, place_id, country, lat, lon, confidence) = (
        EVENT_COLUMNS.index(col)
        for col in (
            "date",
            "event_type",
            "admin1",
            "place",
            "place_id",
            "country_code",
            "latitude",
            "longitude",
            "confidence",
        )
    )
    texts = [EVENT_COLUMNS.index(col) for col in ("source", "sources", "title", "url")]

    def keeps(row: tuple) -> bool:
        if c.first is not None and not row[date] >= c.first:
            return False
        if c.last is not None and not row[date] <= c.last:
            return False
        if c.types is not None and row[event_type] not in c.types:
            return False
        if c.regions is not None:
            admin, name = row[admin1].casefold(), row[place].casefold()
            if not any(_region_hit(admin, name, key) for key in c.regions):
                return False
        if c.places is not None and not (
            row[place].casefold() in c.places or row[place_id].casefold() in c.places
        ):
            return False
        if c.countries is not None and row[country].upper() not in c.countries:
            return False
        if c.sources is not None and not any(
            key in row[i].casefold() for key in c.sources for i in texts
        ):
            return False
        if c.bbox is not None and not (
            c.bbox[0] <= row[lon] <= c.bbox[2] and c.bbox[1] <= row[lat] <= c.bbox[3]
        ):
            return False
        return c.floor is None or row[confidence] >= c.floor

    return keeps


def _frame_mask(gdf: Any, c: _Conditions) -> Any:
    """The conditions of :func:`_row_filter`, over the columns of a frame."""
    import pandas as pd

    keep = pd.Series(True, index=gdf.index)
    if c.first is not None:
        keep &= gdf["date"] >= pd.Timestamp(c.first)
    if c.last is not None:
        keep &= gdf["date"] <= pd.Timestamp(c.last)
    if c.types is not None:
        keep &= gdf["event_type"].isin(c.types)
    if c.regions is not None:
        admin = gdf["admin1"].astype(str).str.casefold()
        name = gdf["place"].astype(str).str.casefold()
        hit = pd.Series(False, index=gdf.index)
        for key in c.regions:
            hit |= (admin == key) | admin.str.startswith(key + " ") | (name == key)
        keep &= hit
    if c.places is not None:
        keep &= gdf["place"].astype(str).str.casefold().isin(c.places) | gdf["place_id"].astype(
            str
        ).str.casefold().isin(c.places)
    if c.countries is not None:
        keep &= gdf["country_code"].astype(str).str.upper().isin(c.countries)
    if c.sources is not None:
        hit = pd.Series(False, index=gdf.index)
        for col in ("source", "sources", "title", "url"):
            folded = gdf[col].astype(str).str.casefold()
            for key in c.sources:
                hit |= folded.str.contains(key, regex=False)
        keep &= hit
    if c.bbox is not None:
        keep &= gdf["longitude"].between(c.bbox[0], c.bbox[2]) & gdf["latitude"].between(
            c.bbox[1], c.bbox[3]
        )
    if c.floor is not None:
        keep &= gdf["confidence"] >= c.floor
    return keep


# ------------------------------------------------------------------------------ checking


def _rows_problems(records: Iterable[dict]) -> list[str]:
    """Every problem of every row, each naming its row and event."""
    problems: list[str] = []
    check = _RowCheck()
    for i, rec in enumerate(records):
        problems.extend(check(rec, i))
    return problems


class _RowCheck:
    """The problems of one row after another (see :func:`_row_problems`), each naming
    its row and event; *repeats*: the only ids that may repeat an earlier row's (None:
    any may), so that only they are remembered."""

    def __init__(self, repeats: Container[str] | None = None) -> None:
        self.seen: dict[str, int] = {}
        self.repeats = repeats

    def __call__(self, rec: dict, i: int) -> list[str]:
        return [
            f"row {i} (event {rec['event_id']!r}): {p}"
            for p in _row_problems(rec, self.seen, i, self.repeats)
        ]


def _row_problems(
    rec: dict, seen: dict[str, int], i: int, repeats: Container[str] | None = None
) -> list[str]:
    out = []
    eid = rec["event_id"]
    if not eid:
        out.append("empty event_id")
    elif eid in seen:
        out.append(f"event_id repeats row {seen[eid]}")
    elif repeats is None or eid in repeats:
        seen[eid] = i
    if not _valid_date(rec["date"]):
        out.append(f"date {rec['date']!r} is not an ISO date YYYY-MM-DD")
    for col in ("date_first", "date_last", "published"):
        if rec[col] and not _valid_date(rec[col]):
            out.append(f"{col} {rec[col]!r} is not an ISO date YYYY-MM-DD")
    lat, lon = rec["latitude"], rec["longitude"]
    if not (isinstance(lat, float) and math.isfinite(lat) and -90 <= lat <= 90):
        out.append(f"latitude {lat!r} outside [-90, 90]")
    if not (isinstance(lon, float) and math.isfinite(lon) and -180 <= lon <= 180):
        out.append(f"longitude {lon!r} outside [-180, 180]")
    if "geometry" not in rec:  # a canonical row: its point is made from lon and lat
        pass
    elif (geom := rec["geometry"]) is None or geom.geom_type != "Point":
        out.append("geometry must be a point")
    elif (
        math.isfinite(lat)
        and math.isfinite(lon)
        and (abs(geom.x - lon) > 1e-9 or abs(geom.y - lat) > 1e-9)
    ):
        out.append(f"geometry ({geom.x}, {geom.y}) differs from (longitude, latitude)")
    if rec["event_type"] not in EVENT_TYPES:
        out.append(f"unknown event_type {rec['event_type']!r}")
    for col in ("time_precision", "geo_precision"):
        if rec[col] not in (1, 2, 3):
            out.append(f"{col} {rec[col]!r} is not 1, 2 or 3")
    conf = rec["confidence"]
    if not (isinstance(conf, float) and 0.0 <= conf <= 1.0):
        out.append(f"confidence {conf!r} outside [0, 1]")
    if rec["n_sources"] < 1:
        out.append(f"n_sources {rec['n_sources']!r} is below 1")
    if not rec["place_id"]:
        out.append("empty place_id")
    return out
