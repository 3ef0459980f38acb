"""The event table: a validated GeoDataFrame of events, its filters and its files.

:class:`EventTable` holds the rows of :func:`frontline.events.merge_events` as a
GeoDataFrame of :data:`frontline.event_schema.EVENT_COLUMNS` with Point(lon, lat) in
EPSG:4326, validates it where it is made and read, filters it, and writes it to CSV
(cells a spreadsheet would run as formulas are neutralized), GeoJSON, GeoPackage or
GeoParquet.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import EventTableError, OutputError
from .event_schema import BOOL_COLUMNS as _BOOL_COLUMNS
from .event_schema import COLUMN_DEFAULTS, EVENT_COLUMNS, EVENT_TYPES, Event
from .event_schema import FLOAT_COLUMNS as _FLOAT_COLUMNS
from .event_schema import INT_COLUMNS as _INT_COLUMNS
from .event_schema import STR_COLUMNS as _STR_COLUMNS
from .event_schema import row_order as _row_order
from .outputs import neutralize_cell, restore_cell

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    import geopandas as gpd

__all__ = ["EventTable"]

_FORMATS = (".csv", ".geojson", ".gpkg", ".parquet")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HTML_COLUMNS = ("date", "place", "admin1", "event_type", "sub_event_type", "quote",
                 "sources", "confidence")
_HTML_MAX_ROWS = 50


class EventTable:
    """The event table: a GeoDataFrame of :data:`EVENT_COLUMNS` with Point(lon, lat).

    Rows are kept in a stable order (date, place, type, event_id), so the same events
    always give byte-identical files. It is validated where it is made and read.

    A table made by :meth:`from_events` keeps its rows as plain tuples until the
    GeoDataFrame is asked for: filtering it and writing it as CSV then need neither
    pandas nor geopandas, whose import is most of the start-up of a cached rerun.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A frame with the event columns and EPSG:4326 point geometry.
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
    >>> len(table.filter(types=["shelling"]))
    0
    """

    def __init__(self, gdf: gpd.GeoDataFrame, *, validate: bool = True) -> None:
        self._gdf: gpd.GeoDataFrame | None = gdf
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

    @property
    def gdf(self) -> gpd.GeoDataFrame:
        """The GeoDataFrame (EPSG:4326, Point(lon, lat)); a copy is safe to change."""
        if self._gdf is None:
            import pandas as pd

            self._gdf = _to_gdf(pd.DataFrame(self._rows, columns=list(EVENT_COLUMNS)))
            self._rows = None  # from now on the frame is the one copy of the rows
        return self._gdf

    def __len__(self) -> int:
        return len(self._rows) if self._rows is not None else len(self.gdf)

    def __repr__(self) -> str:
        return f"<EventTable: {len(self)} events>"

    def to_events(self) -> list[Event]:
        """The rows as :class:`Event` objects.

        Examples
        --------
        >>> EventTable.from_events([]).to_events()
        []
        """
        names = [f.name for f in fields(Event)]
        if self._rows is not None:
            records: Iterable[dict] = (dict(zip(EVENT_COLUMNS, row, strict=True))
                                       for row in self._rows)
        else:
            records = self.gdf[list(EVENT_COLUMNS)].to_dict("records")
        return [Event(**{n: _python(rec[n]) for n in names}) for rec in records]

    def equals(self, other: EventTable) -> bool:
        """Whether two tables hold the same rows, values and geometry."""
        a, b = self.gdf, other.gdf
        return (list(a.columns) == list(b.columns) and a[list(EVENT_COLUMNS)].equals(
            b[list(EVENT_COLUMNS)]) and bool(a.geometry.geom_equals(b.geometry).all())
            and a.crs == b.crs)

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
            problems = _rows_problems(dict(zip(EVENT_COLUMNS, row, strict=True))
                                      for row in self._rows)
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
            if col in gdf and not (pd.api.types.is_string_dtype(gdf[col])
                                   or pd.api.types.is_object_dtype(gdf[col])):
                problems.append(f"column {col} must be text, not {gdf[col].dtype}")
        if problems:  # row checks need the columns
            raise EventTableError(problems)
        problems = _rows_problems(gdf.to_dict("records"))
        if problems:
            raise EventTableError(problems)
        return self

    # -- selecting -------------------------------------------------------------------
    def filter(self, *, start: dt.date | str | None = None, end: dt.date | str | None = None,
               types: Iterable[str] | None = None, region: str | None = None,
               source: str | None = None, min_confidence: float | None = None) -> EventTable:
        """The events matching every given condition.

        Parameters
        ----------
        start, end : date or ISO str, optional
            Inclusive date range.
        types : iterable of str, optional
            Event types to keep (from :data:`EVENT_TYPES`).
        region : str, optional
            First-level region (``admin1``), case-insensitive; "Donetsk" also matches
            "Donetsk Oblast".
        source : str, optional
            Case-insensitive text found in ``source``, ``sources``, ``title`` or ``url``.
        min_confidence : float, optional
            Lowest confidence kept.

        Raises
        ------
        EventTableError
            For an unknown type or a date that is not ISO.
        """
        first = _iso(start, "start") if start is not None else None
        last = _iso(end, "end") if end is not None else None
        wanted = None
        if types is not None:
            wanted = [types] if isinstance(types, str) else list(types)
            unknown = sorted(set(wanted) - set(EVENT_TYPES))
            if unknown:
                raise EventTableError([f"unknown event type(s) {', '.join(unknown)}; "
                                       f"known: {', '.join(EVENT_TYPES)}"])
        if self._rows is not None:
            keeps = _row_filter(first, last, wanted, region, source, min_confidence)
            return EventTable._of_rows([r for r in self._rows if keeps(r)], validate=False)
        # The same conditions as _row_filter, over the columns.
        gdf = self.gdf
        keep = gdf["event_id"].notna()
        if first is not None:
            keep &= gdf["date"] >= first
        if last is not None:
            keep &= gdf["date"] <= last
        if wanted is not None:
            keep &= gdf["event_type"].isin(wanted)
        if region is not None:
            key = region.casefold().strip()
            admin = gdf["admin1"].astype(str).str.casefold()
            keep &= (admin == key) | admin.str.startswith(key + " ") | \
                (gdf["place"].astype(str).str.casefold() == key)
        if source is not None:
            key = source.casefold()
            hit = gdf["event_id"].isna()
            for col in ("source", "sources", "title", "url"):
                hit |= gdf[col].astype(str).str.casefold().str.contains(key, regex=False)
            keep &= hit
        if min_confidence is not None:
            keep &= gdf["confidence"] >= float(min_confidence)
        return EventTable(gdf[keep].reset_index(drop=True), validate=False)

    # -- showing ---------------------------------------------------------------------
    def _repr_html_(self) -> str:
        rows = self.gdf.head(_HTML_MAX_ROWS)
        head = "".join(f"<th>{html.escape(c)}</th>" for c in _HTML_COLUMNS)
        body = []
        for rec in rows[list(_HTML_COLUMNS)].to_dict("records"):
            cells = []
            for col in _HTML_COLUMNS:
                value = rec[col]
                if col == "confidence":
                    value = f"{value:.2f}"
                elif col == "quote" and len(str(value)) > 200:
                    value = str(value)[:199] + "…"
                cells.append(f"<td>{html.escape(str(value))}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        more = len(self) - len(rows)
        foot = f"<p>… {more} more events</p>" if more > 0 else ""
        return (f"<div><p><b>EventTable</b>: {len(self)} events</p>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
                f"</table>{foot}</div>")

    # -- files -----------------------------------------------------------------------
    def to_file(self, path: str | Path) -> Path:
        """Write the table by extension: ``.csv``, ``.geojson``, ``.gpkg``, ``.parquet``.

        The write is atomic. CSV text cells that a spreadsheet would run as a formula
        (starting with ``= + - @``, tab or CR) get a leading apostrophe; numbers stay
        numbers. :meth:`read` undoes the apostrophes.

        Raises
        ------
        OutputError
            For an unknown extension or an unwritable place.
        """
        from .outputs import atomic_path, atomic_write

        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in _FORMATS:
            raise OutputError(f"{path}: unknown event table format {suffix!r}; use one of "
                              f"{', '.join(_FORMATS)}")
        self.validate()
        if suffix == ".csv":  # from rows, so a table of rows never needs pandas
            rows = self._rows if self._rows is not None else [
                tuple(convert(rec[name]) for name, convert in _CONVERTERS)
                for rec in self.gdf[list(EVENT_COLUMNS)].to_dict("records")]
            try:
                _write_csv_rows(path, rows)
            except OutputError:
                raise
            except OSError as err:
                raise OutputError(f"cannot write {path}: {err}") from err
            return path
        gdf = _sorted(self.gdf)
        try:
            if suffix == ".geojson":
                with atomic_write(path) as f:
                    f.write(gdf.to_json(drop_id=True, ensure_ascii=False, indent=None))
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
            raise EventTableError([f"{path}: unknown event table format {suffix!r}; use one "
                                   f"of {', '.join(_FORMATS)}"])
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
        if not helper or suffix not in _FORMATS or suffix == ".csv" \
                or "fork" not in mp.get_all_start_methods():
            return
        ctx = mp.get_context("fork")  # cheap, and the helper needs nothing sent to it
        self._conn, theirs = ctx.Pipe()
        self._proc = ctx.Process(target=_write_in_helper, args=(theirs, self.path),
                                 name="frontline-writer", daemon=True)
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
            raise OutputError(f"cannot write {self.path}: the writer process stopped "
                              f"({err or type(err).__name__})") from err
        finally:
            self.close()
        if status == "invalid":
            raise EventTableError(value)
        if status == "error":
            raise value
        return self.path

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
    return gdf.sort_values(["date", "place", "event_type", "event_id"], kind="mergesort",
                           ignore_index=True)


_ORDER = tuple(EVENT_COLUMNS.index(c) for c in ("date", "place", "event_type", "event_id"))
_STR_INDEX = frozenset(EVENT_COLUMNS.index(c) for c in _STR_COLUMNS)


def _write_csv_rows(path: Path, rows: list[tuple]) -> None:
    """Write canonical rows as CSV, byte for byte what pandas writes for the same table.

    Python's ``str`` of a float is the shortest repr, as pandas writes float64; the csv
    module is the writer pandas itself uses, with the same dialect.
    """
    from .outputs import atomic_write

    ordered = sorted(rows, key=lambda r: tuple(r[i] for i in _ORDER))  # stable, as _sorted
    with atomic_write(path, newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(EVENT_COLUMNS)
        w.writerows([neutralize_cell(v) if i in _STR_INDEX else v for i, v in enumerate(row)]
                    for row in ordered)


def _text(value: Any) -> str:
    """A text cell as ``_to_gdf`` makes it: missing (None, NaN) is empty, the rest ``str``."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return value if isinstance(value, str) else str(value)


def _number(value: Any) -> float:
    return math.nan if value is None else float(value)


def _canonical(event: Event) -> tuple:
    """An event's values in :data:`EVENT_COLUMNS` order, with the types ``_to_gdf`` gives.

    Examples
    --------
    >>> e = Event("e1", "2022-11-11", 1, "p:1", "Kherson", "city", None, "UA", 46, 32.6, 1,
    ...           "shelling", "", "a", "T", "", "", "", "q", 0.8, corrected="no")
    >>> _canonical(e)[6:11], _canonical(e)[-2]
    (('city', '', 'UA', 46.0, 32.6), False)
    """
    return tuple(convert(getattr(event, name)) for name, convert in _CONVERTERS)


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
    (name, _text if name in _STR_COLUMNS else int if name in _INT_COLUMNS
     else _number if name in _FLOAT_COLUMNS else _as_bool) for name in EVENT_COLUMNS)


def _python(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _iso(value: dt.date | str, name: str) -> str:
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    if not _valid_date(text):
        raise EventTableError([f"{name} must be an ISO date YYYY-MM-DD, not {value!r}"])
    return text


def _valid_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _rows_problems(records: Iterable[dict]) -> list[str]:
    """Every problem of every row, each naming its row and event."""
    problems: list[str] = []
    seen: dict[str, int] = {}
    for i, rec in enumerate(records):
        problems.extend(f"row {i} (event {rec['event_id']!r}): {p}"
                        for p in _row_problems(rec, seen, i))
    return problems


def _row_filter(first: str | None, last: str | None, types: list[str] | None,
                region: str | None, source: str | None, min_confidence: float | None
                ) -> Callable[[tuple], bool]:
    """The conditions of :meth:`EventTable.filter` as a test of one canonical row."""
    date, event_type, admin1, place, confidence = (
        EVENT_COLUMNS.index(c) for c in ("date", "event_type", "admin1", "place", "confidence"))
    texts = [EVENT_COLUMNS.index(c) for c in ("source", "sources", "title", "url")]
    wanted = set(types) if types is not None else None
    region_key = region.casefold().strip() if region is not None else None
    source_key = source.casefold() if source is not None else None
    floor = float(min_confidence) if min_confidence is not None else None

    def keeps(row: tuple) -> bool:
        if first is not None and not row[date] >= first:
            return False
        if last is not None and not row[date] <= last:
            return False
        if wanted is not None and row[event_type] not in wanted:
            return False
        if region_key is not None:
            admin = row[admin1].casefold()
            if not (admin == region_key or admin.startswith(region_key + " ")
                    or row[place].casefold() == region_key):
                return False
        if source_key is not None and not any(source_key in row[i].casefold() for i in texts):
            return False
        return floor is None or row[confidence] >= floor

    return keeps


def _row_problems(rec: dict, seen: dict[str, int], i: int) -> list[str]:
    out = []
    eid = rec["event_id"]
    if not eid:
        out.append("empty event_id")
    elif eid in seen:
        out.append(f"event_id repeats row {seen[eid]}")
    else:
        seen[eid] = i
    if not _valid_date(rec["date"]):
        out.append(f"date {rec['date']!r} is not an ISO date YYYY-MM-DD")
    if rec["published"] and not _valid_date(rec["published"]):
        out.append(f"published {rec['published']!r} is not an ISO date YYYY-MM-DD")
    lat, lon = rec["latitude"], rec["longitude"]
    if not (isinstance(lat, float) and math.isfinite(lat) and -90 <= lat <= 90):
        out.append(f"latitude {lat!r} outside [-90, 90]")
    if not (isinstance(lon, float) and math.isfinite(lon) and -180 <= lon <= 180):
        out.append(f"longitude {lon!r} outside [-180, 180]")
    if "geometry" not in rec:  # a canonical row: its point is made from lon and lat
        pass
    elif (geom := rec["geometry"]) is None or geom.geom_type != "Point":
        out.append("geometry must be a point")
    elif math.isfinite(lat) and math.isfinite(lon) and (
            abs(geom.x - lon) > 1e-9 or abs(geom.y - lat) > 1e-9):
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
