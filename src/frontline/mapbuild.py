"""The event map: a self-contained folium map with a time slider and the Dnieper line.

:func:`build_map` turns an event table into a :class:`folium.Map` that shows inline in
Jupyter; :func:`save_map` writes it as one HTML file, atomically. The page carries
everything it needs (Leaflet, the time control, images as ``data:`` URIs), so it
opens and works with no network; only the optional base-map tiles are fetched.

How it is drawn
---------------
- Events are embedded once, as column arrays sorted by date, in a JSON block; their
  popup and list text (quotes, titles, links, ids) in a second block, in chunks of
  events that the page unpacks when it first shows one of them. The time control
  (``static/frontline_time.js``, written for Frontline) finds the events of the
  slider's window with two binary searches and draws them on one canvas, styled by
  event type (colour and shape). It scales to 100,000 events, where folium's
  ``TimestampedGeoJson`` redraws every feature at each step.
- Context layers come from the bundled gazetteer and are drawn at all times:
  country borders (Crimea as Ukraine), oblast outlines, rivers with the Dnieper
  named, reservoirs.
- Article text is untrusted. It only enters the page as JSON with ``<``, ``>`` and
  ``&`` escaped (or compressed, in base64), and the browser puts it into the popup
  with ``textContent``; URLs
  are kept only when they are ``http``/``https``.

Inside this module coordinates are (lon, lat) as in shapely; they are swapped to
[lat, lon] only where folium is called.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import os
import re
import warnings
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from branca.element import CssLink, Element, JavascriptLink, MacroElement

from .errors import EventTableError, GazetteerError, MapError
from .events import EVENT_TYPES
from .front_lines import FRONT_STYLES, read_front_lines
from .outputs import atomic_write

if TYPE_CHECKING:  # pragma: no cover - imports for type checkers only
    import folium
    import geopandas

__all__ = ["build_map", "save_map", "TYPE_STYLES", "TypeStyle"]


class TypeStyle(NamedTuple):
    """How one event type looks on the map: legend label, colour, marker shape."""

    label: str
    color: str
    shape: str


#: Colour and shape per event type (shapes are drawn by ``frontline_time.js``).
#: Colours are distinct for common colour-vision deficiencies together with the shapes.
TYPE_STYLES: dict[str, TypeStyle] = {
    "shelling": TypeStyle("Shelling", "#e8590c", "circle"),
    "air_drone_strike": TypeStyle("Air or drone strike", "#7048e8", "triangle"),
    "missile_strike": TypeStyle("Missile strike", "#c2255c", "diamond"),
    "armed_clash": TypeStyle("Armed clash", "#c92a2a", "x"),
    "territory_change": TypeStyle("Territory change", "#2b8a3e", "star"),
    "civilian_harm": TypeStyle("Civilian harm", "#1864ab", "plus"),
    "evacuation": TypeStyle("Evacuation", "#0c8599", "triangle_down"),
    "infrastructure": TypeStyle("Infrastructure", "#8f5b00", "square"),
    "statement": TypeStyle("Statement", "#495057", "hexagon"),
    "other": TypeStyle("Other", "#868e96", "pentagon"),
}

#: Types shown when ``show_types`` is not given: all but statements.
DEFAULT_TYPES = tuple(t for t in EVENT_TYPES if t != "statement")

#: Ukraine and its neighbours (lon_min, lat_min, lon_max, lat_max): context layers are
#: clipped to this box and an empty map opens on Ukraine.
CONTEXT_BOUNDS = (16.0, 40.0, 46.0, 57.0)
UKRAINE_BOUNDS = (22.1, 44.3, 40.3, 52.4)

#: folium's CDN addresses of the two assets the map needs (same versions as vendored).
_LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
_LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"

_MAX_QUOTE = 2000  # characters of a quote kept for the popup
_MAX_TEXT = 500  # characters of other popup fields
_TEXT_COLUMNS = (
    "place",
    "admin1",
    "sub_event_type",
    "quote",
    "title",
    "source",
    "url",
    "sources",
    "correction",
    "event_id",
)
_DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:", "file:", "blob:")
_CONTROL_CHARS = re.compile(r"[\x00-\x20\x7f]+")
_HTTP_URL = re.compile(r"https?://[^/?#\\]", re.IGNORECASE)  # http(s) scheme and a host


# ----------------------------------------------------------------------------- public API


def build_map(
    events: Any,
    *,
    gazetteer: Any = None,
    window_days: int = 7,
    cumulative: bool = False,
    frontline: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
    show_types: Iterable[str] | None = None,
    cdn: bool = False,
    tiles: bool = True,
    title: str | None = None,
    frontline_days: int = 30,
) -> folium.Map:
    """Build the time-slider map of an event table.

    Parameters
    ----------
    events : geopandas.GeoDataFrame or EventTable
        Events with the columns of :data:`frontline.events.EVENT_COLUMNS` (only
        ``date`` and a point geometry, or ``latitude``/``longitude``, are required),
        or any object whose ``.gdf`` attribute is such a frame. Another CRS is
        converted; none means EPSG:4326. Rows without a usable date or position are
        left out with a warning.
    gazetteer : Gazetteer, optional
        Source of the context layers (anything with ``.layer(name)``); by default
        ``Gazetteer.load()``.
    window_days : int, default 7
        An event stays visible for this many days from its date.
    cumulative : bool, default False
        Start with every event up to the slider's date visible (a toggle on the page).
    frontline : path or list of paths, optional
        Front-line snapshots: GeoJSON with a ``date`` or ``valid_from``/``valid_to``
        property, folders of GeoJSON files dated in their names, DeepStateMap API
        JSON, or ISW/CTP KML/KMZ (see :func:`frontline.front_lines.read_front_lines`).
        Each layer gets its own style and legend entry; a snapshot shows while valid.
    show_types : iterable of str, optional
        Event types switched on at first; the others present stay in the layer
        control, switched off. Default: every type but ``statement``.
    cdn : bool, default False
        Reference Leaflet on its CDN instead of inlining it (smaller file, needs
        network).
    tiles : bool, default True
        Offer an OpenStreetMap tile layer in the layer control, switched off (fetched
        and credited only when a reader switches it on). The map reads without it:
        land, borders, places, oblasts and rivers come from the gazetteer.
    title : str, optional
        A title shown on the map.
    frontline_days : int, default 30
        How long the last front-line snapshot of a layer holds when nothing ends it.

    Returns
    -------
    folium.Map
        Displays inline in Jupyter; write it with :func:`save_map`.

    Raises
    ------
    MapError
        A bad option, or a front-line file without usable dates or geometry.
    EventTableError
        ``events`` is not a GeoDataFrame (or has neither geometry nor coordinates).
    InputNotFoundError
        A front-line file does not exist.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import LineString, Point, box
    >>> class Layers:  # any object with .layer(name) can stand in for the gazetteer
    ...     def layer(self, name):
    ...         shapes = {"rivers": LineString([(30.5, 50.4), (33.4, 46.8)]),
    ...                   "regions": box(36, 47, 39, 49), "countries": box(22, 44, 40, 52)}
    ...         return gpd.GeoDataFrame({"place_id": [name], "name": ["Dnieper"],
    ...                                  "kind": ["x"]}, geometry=[shapes[name]], crs=4326)
    >>> events = gpd.GeoDataFrame(
    ...     {"date": ["2023-05-01", "2023-05-03"], "event_type": ["shelling", "statement"],
    ...      "place": ["Kherson", "Kyiv"], "quote": ["<b>not bold</b>", "said"]},
    ...     geometry=[Point(32.62, 46.64), Point(30.52, 50.45)], crs="EPSG:4326")
    >>> m = build_map(events, gazetteer=Layers(), tiles=False)
    >>> page = m.get_root().render()
    >>> "FrontlineTime.attach(" in page, "<b>not bold</b>" in page
    (True, False)
    """
    import folium

    if isinstance(window_days, bool) or not isinstance(window_days, int) or window_days < 1:
        raise MapError(f"window_days must be a whole number of days >= 1, not {window_days!r}")
    shown = _check_types(show_types)
    table = _event_columns(events)
    snapshots = read_front_lines(frontline, default_days=frontline_days)
    if gazetteer is None:
        from .gazetteer import Gazetteer

        gazetteer = Gazetteer.load()
    west, south, east, north = _view_bounds(table)
    payload = _payload(
        table,
        shown=shown,
        window_days=window_days,
        cumulative=cumulative,
        snapshots=snapshots,
        title=title,
        gazetteer=gazetteer,
        bounds=[south, west, north, east],
    )

    # folium wants (lat, lon): the swap happens here, at the edge.
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=6,
        tiles=None,
        control_scale=True,
    )
    # Only Leaflet is needed: folium's jQuery/Bootstrap/Font Awesome defaults are dropped.
    m.default_js = [("leaflet", _LEAFLET_JS)]
    m.default_css = [("leaflet_css", _LEAFLET_CSS)]
    if tiles:  # offered, off: Leaflet credits a layer only while it is on the map
        folium.TileLayer(
            "OpenStreetMap",
            name="OpenStreetMap tiles (online)",
            control=True,
            overlay=True,
            show=False,
        ).add_to(m)
    _add_context(m, gazetteer)
    control = folium.LayerControl(collapsed=True).add_to(m)
    _TimeEvents(m, control, payload).add_to(m)
    # The page fits the events itself, clear of the time bar and the list (see
    # frontline_time.js), unless the URL's hash names a view.
    _Assets(inline=not cdn).add_to(m)
    return m


def save_map(m: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write a map as one HTML file, atomically (an existing file survives a failure).

    Element ids are renumbered from the map's content first, so the same events
    give a byte-identical file.

    Parameters
    ----------
    m : folium.Map
        A map from :func:`build_map` (any folium map works).
    path : path-like
        The HTML file to write; folders are created.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import folium, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "map.html"
    >>> save_map(folium.Map(tiles=None), out).read_text().startswith("<!DOCTYPE html>")
    True
    """
    root = m.get_root()
    _stable_ids(root)
    page = root.render()
    path = Path(path)
    with atomic_write(path) as f:
        f.write(page)
    return path


# ----------------------------------------------------------------------------- checks


def _check_types(show_types: Iterable[str] | None) -> frozenset[str]:
    """Validate ``show_types``; the default is every type but statements."""
    if show_types is None:
        return frozenset(DEFAULT_TYPES)
    if isinstance(show_types, str):
        show_types = [show_types]
    chosen = frozenset(show_types)
    unknown = sorted(chosen - set(EVENT_TYPES))
    if unknown:
        raise MapError(
            f"unknown event type(s) {', '.join(map(repr, unknown))} in show_types; "
            f"use some of: {', '.join(EVENT_TYPES)}"
        )
    return chosen


# ----------------------------------------------------------------------------- events


class _Columns(NamedTuple):
    """The event table reduced to what the map shows, sorted by date."""

    day: list[int]
    lon: list[float]
    lat: list[float]
    type: list[str]
    tp: list[int]
    gp: list[int]
    nsrc: list[int]
    text: dict[str, list[str]]
    #: ``published`` as day numbers (NaN when unknown), ``historical`` flags, and the
    #: ``place_id`` and ``kind`` the areas of vague places are looked up with.
    extra: dict[str, list[Any]] | None = None


def _event_columns(events: Any) -> _Columns:
    """Read, clean and sort the rows the map can show; warn about the others."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely

    gdf = getattr(events, "gdf", events)
    if not isinstance(gdf, gpd.GeoDataFrame):
        if isinstance(gdf, pd.DataFrame) and {"latitude", "longitude"} <= set(gdf.columns):
            gdf = gpd.GeoDataFrame(
                gdf, geometry=gpd.points_from_xy(gdf["longitude"], gdf["latitude"]), crs=4326
            )
        else:
            raise EventTableError(
                [
                    f"expected a GeoDataFrame of events (or an EventTable), "
                    f"got {type(events).__name__}"
                ]
            )
    if "date" not in gdf.columns:
        raise EventTableError(["the event table has no 'date' column"])
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    n = len(gdf)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    try:
        geoms = gdf.geometry.to_numpy() if n else None
    except AttributeError:  # a GeoDataFrame without an active geometry column
        geoms = None
    if geoms is not None:
        points = shapely.get_type_id(geoms) == 0  # Point
        lon[points] = shapely.get_x(geoms[points])
        lat[points] = shapely.get_y(geoms[points])
    for column, target in (("longitude", lon), ("latitude", lat)):
        if column in gdf.columns:
            values = pd.to_numeric(gdf[column], errors="coerce").to_numpy(dtype=float)
            missing = np.isnan(target)
            target[missing] = values[missing]
    located = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)

    days = _day_numbers(gdf["date"])
    # Years 1900..2199 only: anything else is a parsing accident, not an event date.
    dated = np.isfinite(days) & (days >= -25567) & (days < 83716)

    usable = located & dated
    skipped = int(n - usable.sum())
    if skipped:
        warnings.warn(
            f"{skipped} of {n} events have no usable date or position and are not on the map",
            stacklevel=3,
        )

    def texts(column: str, limit: int) -> np.ndarray:
        if column not in gdf.columns:
            return np.full(n, "", dtype=object)
        values = gdf[column].astype("string").fillna("").str.strip()
        long = (values.str.len() > limit).to_numpy()
        if long.any():
            values[long] = values[long].str.slice(0, limit - 1) + "…"
        return values.to_numpy(dtype=object)

    def ints(column: str) -> np.ndarray:
        if column not in gdf.columns:
            return np.zeros(n, dtype=int)
        values = pd.to_numeric(gdf[column], errors="coerce").fillna(0).to_numpy(dtype=float)
        return np.clip(values, 0, 1_000_000).astype(int)

    kinds = texts("event_type", 64)
    kinds = np.array([k if k in TYPE_STYLES else "other" for k in kinds], dtype=object)
    text = {c: texts(c, _MAX_QUOTE if c == "quote" else _MAX_TEXT) for c in _TEXT_COLUMNS}
    text["url"] = np.array([_safe_url(u) for u in text["url"]], dtype=object)
    text["sources"] = np.array([_safe_sources(s) for s in text["sources"]], dtype=object)
    if "corrected" in gdf.columns:  # a correction note only where the row says so
        flags = _flags(gdf["corrected"])
        text["correction"] = np.where(flags, text["correction"], "")
    tp, gp, nsrc = ints("time_precision"), ints("geo_precision"), ints("n_sources")
    published = _day_numbers(gdf["published"]) if "published" in gdf.columns else np.full(n, np.nan)
    historical = (
        _flags(gdf["historical"]) if "historical" in gdf.columns else np.zeros(n, dtype=bool)
    )
    extra = {
        "published": published,
        "historical": historical,
        "place_id": texts("place_id", _MAX_TEXT),
        "kind": texts("kind", 64),
    }

    keep = np.flatnonzero(usable)
    # Stable order: date, then event id, then input order (byte-identical output).
    order = keep[np.lexsort((keep, text["event_id"][keep].astype(str), days[keep]))]
    return _Columns(
        day=days[order].astype(int).tolist(),
        lon=[round(float(v), 5) for v in lon[order]],
        lat=[round(float(v), 5) for v in lat[order]],
        type=kinds[order].tolist(),
        tp=tp[order].tolist(),
        gp=gp[order].tolist(),
        nsrc=nsrc[order].tolist(),
        text={c: v[order].tolist() for c, v in text.items()},
        extra={c: v[order].tolist() for c, v in extra.items()},
    )


def _flags(values: Any) -> Any:
    """A column of true/false cells (bools, 1/0, 'true'/'yes') as a boolean array.

    Examples
    --------
    >>> import pandas as pd
    >>> _flags(pd.Series([True, "false", "1", None, "yes"])).tolist()
    [True, False, True, False, True]
    """
    return (
        values.astype("string")
        .str.strip()
        .str.lower()
        .isin(["true", "1", "1.0", "yes"])
        .fillna(False)
        .to_numpy(dtype=bool)
    )


def _day_numbers(dates: Any) -> Any:
    """Days since 1970-01-01 of the calendar dates as written (NaN where unreadable).

    A time of day and a UTC offset do not move an event to another day: the date part
    is the date. ``YYYY-MM`` and ``YYYY`` (vaguer precision) count from their first day.

    Examples
    --------
    >>> import pandas as pd
    >>> _day_numbers(pd.Series(["2023-05-01", "2023-05-01T01:00+03:00", "2023-05", "x"]))
    array([19478., 19478., 19478.,    nan])
    """
    import numpy as np
    import pandas as pd

    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_localize(None)  # keep the local wall-clock date
    if pd.api.types.is_datetime64_any_dtype(dates.dtype):
        parsed = dates
    else:
        text = dates.astype("string").str.strip()
        parsed = pd.to_datetime(text.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
        vague = parsed.isna() & text.str.fullmatch(r"\d{4}(-\d{2})?").fillna(False)
        if vague.any():
            parsed[vague] = pd.to_datetime(text[vague], format="ISO8601", errors="coerce")
    epoch = pd.Timestamp("1970-01-01")
    days = (parsed.dt.normalize() - epoch) // pd.Timedelta(days=1)
    return pd.to_numeric(days, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _clean_text(value: Any, limit: int) -> str:
    """A cell as display text: missing -> '', stripped, cut at ``limit`` characters.

    Examples
    --------
    >>> _clean_text(float("nan"), 10), _clean_text("  abc ", 10), _clean_text("x" * 12, 10)
    ('', 'abc', 'xxxxxxxxx…')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return ""
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    text = str(value).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _safe_url(url: str) -> str:
    """The URL if it is http(s) with a host, else ''.

    Browsers ignore tabs, newlines and leading control characters in URLs
    (``java\\tscript:``), so those are removed before the scheme is checked.

    Examples
    --------
    >>> _safe_url("https://example.org/a?b=1")
    'https://example.org/a?b=1'
    >>> _safe_url("javascript:alert(1)"), _safe_url(" JaVa\\tScRiPt:alert(1)"), _safe_url("data:x")
    ('', '', '')
    >>> _safe_url("//example.org/x"), _safe_url("http:///nohost")
    ('', '')
    """
    cleaned = _CONTROL_CHARS.sub("", url)
    return cleaned if _HTTP_URL.match(cleaned) else ""


_SOURCE_URL = re.compile(r"\s*<([^<>\s]+)>\s*(?:;\s*|$)")


def _safe_sources(sources: str) -> str:
    r"""The sources cell (``"Title <url>; Title <url>"``) as ``label<TAB>url`` lines.

    A headline may itself hold ``"; "``: entries end at their ``<url>``, so it stays
    whole. URLs that are not http(s) are dropped (the label stays, as text); entries
    without a URL are split at ``"; "``.

    Examples
    --------
    >>> _safe_sources("Strike; what we know <https://a.example/x>; Kyiv Independent")
    'Strike; what we know\thttps://a.example/x\nKyiv Independent\t'
    >>> _safe_sources("Bad <javascript:alert(1)>; javascript:alert(2)")
    'Bad\t'
    """
    entries: list[tuple[str, str]] = []

    def plain(text: str) -> None:
        for part in re.split(r";\s+", text):
            part = _CONTROL_CHARS.sub(" ", part).strip()
            if part and not part.lower().startswith(_DANGEROUS_SCHEMES):
                entries.append((part, ""))

    position = 0
    for match in _SOURCE_URL.finditer(sources):
        label = _CONTROL_CHARS.sub(" ", sources[position : match.start()]).strip()
        url = _safe_url(match.group(1))
        if label or url:
            entries.append((label, url))
        position = match.end()
    plain(sources[position:])
    return "\n".join(f"{label}\t{url}" for label, url in entries)


def _view_bounds(cols: _Columns) -> tuple[float, float, float, float]:
    """(west, south, east, north) to open on, at least half a degree wide.

    The events' extent; when most events lie in the region, the few far away (a
    statement from another capital, a mis-geocoded name) do not zoom the map out.
    Ukraine when there are no events.

    Examples
    --------
    >>> cols = _Columns([1, 2, 3], [30.5, 35.0, 120.0], [50.4, 48.0, 30.0], *[[]] * 5)
    >>> _view_bounds(cols)
    (30.5, 48.0, 35.0, 50.4)
    """
    if not cols.day:
        return UKRAINE_BOUNDS
    xmin, ymin, xmax, ymax = CONTEXT_BOUNDS
    inside = [
        (x, y)
        for x, y in zip(cols.lon, cols.lat, strict=True)
        if xmin <= x <= xmax and ymin <= y <= ymax
    ]
    lons, lats = (
        zip(*inside, strict=True) if 2 * len(inside) > len(cols.lon) else (cols.lon, cols.lat)
    )
    west, east = min(lons), max(lons)
    south, north = min(lats), max(lats)
    pad_x = max(0.0, 0.5 - (east - west)) / 2
    pad_y = max(0.0, 0.5 - (north - south)) / 2
    return (
        max(-180.0, west - pad_x),
        max(-85.0, south - pad_y),
        min(180.0, east + pad_x),
        min(85.0, north + pad_y),
    )


# ----------------------------------------------------------------------------- payload


def _payload(
    cols: _Columns,
    *,
    shown: frozenset[str],
    window_days: int,
    cumulative: bool,
    snapshots: list[dict],
    title: str | None,
    gazetteer: Any = None,
    bounds: list[float] | None = None,
) -> _Payload:
    """The JSON the time control reads, safe to place inside ``<script>``.

    The core (positions, dates, types, places, the context) is one JSON text; the
    popup and list text of the events (quotes, titles, links, ids) is a list of JSON
    texts, one per :data:`_TEXT_CHUNK` events, which the page unpacks when it first
    shows one of their events.
    """
    present = [t for t in TYPE_STYLES if t in set(cols.type)]
    type_index = {t: k for k, t in enumerate(present)}
    counts = {t: 0 for t in present}
    for t in cols.type:
        counts[t] += 1
    strings: dict[str, int] = {}
    data: dict[str, Any] = {
        "types": [
            {
                "key": t,
                "label": TYPE_STYLES[t].label,
                "color": TYPE_STYLES[t].color,
                "shape": TYPE_STYLES[t].shape,
                "on": t in shown,
                "count": counts[t],
            }
            for t in present
        ],
        "day": cols.day,
        "lat": cols.lat,
        "lon": cols.lon,
        "type": [type_index[t] for t in cols.type],
        "tp": cols.tp,
        "gp": cols.gp,
        "nsrc": cols.nsrc,
    }
    for column in _CORE_TEXT:
        data[column] = _string_index(cols.text[column], strings)
    data["strings"] = list(strings)
    data["textChunk"] = _TEXT_CHUNK
    extra = cols.extra or {}
    axis = _time_axis(cols.day, extra.get("published", []), extra.get("historical", []))
    if axis is None:  # no events: the snapshots' own time, else nothing
        starts = [s["from"] for s in snapshots]
        axis = (min(starts), max(starts), []) if starts else (0, 0, [])
    data["dayMin"], data["dayMax"] = axis[0], axis[1]
    data["outliers"] = axis[2]
    data["window"] = window_days
    data["cumulative"] = bool(cumulative)
    shown_days = [d for d, t in zip(cols.day, cols.type, strict=True) if t in shown]
    data["openDay"] = (
        axis[1] if cumulative else _busiest_window_end(shown_days, window_days, axis[0], axis[1])
    )
    data["frontline"] = snapshots
    data["frontStyles"] = {k: style._asdict() for k, style in FRONT_STYLES.items()}
    data["control"] = [
        _holder(t, sub, q)
        for t, sub, q in zip(
            cols.type, cols.text["sub_event_type"], cols.text["quote"], strict=True
        )
    ]
    areas, area_of = _areas(gazetteer, extra.get("place_id", []), extra.get("kind", []), cols.gp)
    data["areas"] = areas
    data["area"] = area_of
    data["labels"] = _labels(gazetteer, cols)
    data["mapTitle"] = _clean_text(title, _MAX_TEXT) if title else ""
    data["bounds"] = [round(v, 4) for v in bounds] if bounds else None  # [S, W, N, E]
    chunks = [
        _text_chunk(cols, lo, lo + _TEXT_CHUNK) for lo in range(0, len(cols.day), _TEXT_CHUNK)
    ]
    return _Payload(_json_for_script(data), chunks)


class _Payload(NamedTuple):
    """The page's event data: the core JSON and the text JSON of each chunk of events."""

    core: str
    text: list[str]


#: Text columns the page needs at once (place search, source filter, sorting by place):
#: in the core, as indices into its table of distinct strings.
_CORE_TEXT = ("place", "admin1", "source")
#: Events per chunk of popup and list text.
_TEXT_CHUNK = 2000
#: The page's names of the text columns (as written by :func:`_text_chunk`).
_TEXT_KEYS = {"sub_event_type": "sub", "sources": "others", "correction": "corr", "event_id": "id"}


def _string_index(values: Sequence[str], strings: dict[str, int]) -> list[int]:
    """Each value's index in ``strings`` (added when new); -1 for an empty value.

    Examples
    --------
    >>> table = {}
    >>> _string_index(["a", "", "b", "a"], table), list(table)
    ([0, -1, 1, 0], ['a', 'b'])
    """
    out = []
    for v in values:
        if not v:
            out.append(-1)
            continue
        k = strings.get(v)
        if k is None:
            k = strings[v] = len(strings)
        out.append(k)
    return out


def _text_chunk(cols: _Columns, lo: int, hi: int) -> str:
    """The popup and list text of events [lo, hi) as JSON.

    A column whose values all differ (quotes, links, ids) is the list of its values; any
    other column is each event's index into the chunk's table of distinct strings (-1:
    empty), so a text shared by several events is written once.

    Examples
    --------
    >>> cols = _Columns([1, 2], [], [], [], [], [], [], {c: ["", ""] for c in _TEXT_COLUMNS})
    >>> cols.text["quote"], cols.text["source"] = ["said a", "said b"], ["Desk", "Desk"]
    >>> cols.text["title"] = ["Same", "Same"]
    >>> chunk = json.loads(_text_chunk(cols, 0, 2))
    >>> chunk["quote"], chunk["title"], chunk["strings"], "source" in chunk
    (['said a', 'said b'], [0, 0], ['Same'], False)
    """
    strings: dict[str, int] = {}
    chunk: dict[str, Any] = {}
    for column in _TEXT_COLUMNS:
        if column in _CORE_TEXT:
            continue
        values = cols.text[column][lo:hi]
        filled = [v for v in values if v]
        distinct = len(filled) == len(set(filled)) and len(filled) == len(values)
        key = _TEXT_KEYS.get(column, column)
        chunk[key] = list(values) if distinct else _string_index(values, strings)
    chunk["strings"] = list(strings)
    return _json_for_script(chunk)


#: Events dated more than this many days before the first publication date, or after
#: the last, are listed as outliers instead of stretching the slider.
_LOOKBACK_DAYS = 365
_LOOKAHEAD_DAYS = 31
#: Without publication dates, runs of events apart by more than this many days are
#: separate; the largest run makes the slider, the others are outliers.
_GAP_DAYS = 180


def _time_axis(
    days: Sequence[int], published: Sequence[float], historical: Sequence[bool]
) -> tuple[int, int, list[int]] | None:
    """(first day, last day, outlier indices) of the slider; None without events.

    The axis follows the articles: from a year before the first publication date to a
    month after the last. Without publication dates it is the largest run of events
    with no gap longer than half a year. Events marked ``historical`` are outliers.

    Examples
    --------
    >>> _time_axis([-11000, 19000, 19010, 19020, 48000], [], [])
    (19000, 19020, [0, 4])
    >>> _time_axis([18000, 19000, 19010], [19005.0, 19012.0, float("nan")], [False] * 3)
    (19000, 19010, [0])
    >>> _time_axis([19000, 19001], [], [True, False])
    (19001, 19001, [0])
    """
    n = len(days)
    if not n:
        return None
    hist = list(historical) if len(historical) == n else [False] * n
    pub = [p for p in published if p == p]  # not NaN
    candidates = [i for i in range(n) if not hist[i]] or list(range(n))
    if pub:
        lo, hi = min(pub) - _LOOKBACK_DAYS, max(pub) + _LOOKAHEAD_DAYS
        inside = [i for i in candidates if lo <= days[i] <= hi]
    else:
        order = sorted(candidates, key=lambda i: days[i])
        runs, run = [], [order[0]]
        for i in order[1:]:
            if days[i] - days[run[-1]] > _GAP_DAYS:
                runs.append(run)
                run = []
            run.append(i)
        runs.append(run)
        inside = max(runs, key=len)
    if not inside:
        inside = candidates
    kept = set(inside)
    first = min(days[i] for i in inside)
    last = max(days[i] for i in inside)
    return first, last, [i for i in range(n) if i not in kept]


def _busiest_window_end(days: Sequence[int], window: int, first: int, last: int) -> int:
    """The last day of the ``window``-day stretch with the most events (earliest on ties).

    Examples
    --------
    >>> _busiest_window_end([10, 11, 30, 31, 32], 3, 10, 32)
    32
    >>> _busiest_window_end([], 7, 10, 32)
    32
    """
    inside = sorted(d for d in days if first <= d <= last)
    if not inside:
        return last
    best, best_end, lo = 0, last, 0
    for hi, day in enumerate(inside):
        while inside[lo] <= day - window:
            lo += 1
        if hi + 1 < len(inside) and inside[hi + 1] == day:
            continue  # count a day once all its events are in
        if hi - lo + 1 > best:
            best, best_end = hi - lo + 1, day
    return best_end


_RUSSIAN = re.compile(r"\b(?:russia\w*|occupiers?|invaders?|enemy|wagner)\b", re.IGNORECASE)
_UKRAINIAN = re.compile(
    r"\b(?:ukrain\w*|zsu|defenders?|our (?:forces|troops|soldiers|"
    r"warriors|defenders))\b",
    re.IGNORECASE,
)


def _holder(event_type: str, sub: str, quote: str) -> int:
    """Who holds a place after a reported territory change: 1 Russia, 2 Ukraine, 3 unclear.

    0 for other events. A liberation leaves it to Ukraine; a capture or entry to the side
    named first (Russia when none is named); a withdrawal to the other side.

    Examples
    --------
    >>> _holder("territory_change", "liberation", "The village was liberated.")
    2
    >>> _holder("territory_change", "capture", "Ukrainian forces recaptured the town.")
    2
    >>> _holder("territory_change", "withdrawal", "Russian troops withdrew from Kherson.")
    2
    >>> _holder("territory_change", "capture", "The town fell."), _holder("shelling", "", "")
    (1, 0)
    """
    if event_type != "territory_change":
        return 0
    ru, ua = _RUSSIAN.search(quote), _UKRAINIAN.search(quote)
    first = None
    if ru and (not ua or ru.start() < ua.start()):
        first = 1
    elif ua:
        first = 2
    if sub == "liberation":
        return 2
    if sub in ("capture", "entry"):
        return first or 1
    if sub == "withdrawal":
        return {1: 2, 2: 1}.get(first or 0, 3)
    return 3


#: Kinds of place drawn as their area rather than a point, and how many areas at most.
_AREA_KINDS = frozenset({"region", "country"})
_MAX_AREAS = 400


def _areas(
    gazetteer: Any, place_ids: Sequence[str], kinds: Sequence[str], geo_precision: Sequence[int]
) -> tuple[list[dict], list[int]]:
    """Outlines of the regions and countries events sit at, and each event's outline index.

    An event whose place is a region or country (``kind``, or ``geo_precision`` 3 with
    a ``place_id``) gets the index of its place's simplified shape; others get -1.
    """
    import shapely

    out: list[dict] = []
    index: dict[str, int] = {}
    result = []
    lookup = getattr(gazetteer, "geometry", None)
    for pid, kind, gp in zip(place_ids, kinds, geo_precision, strict=False):
        if not pid or lookup is None or not (kind in _AREA_KINDS or gp == 3):
            result.append(-1)
            continue
        if pid not in index:
            index[pid] = -1
            try:
                shape = lookup(pid)
            except (LookupError, ValueError, GazetteerError):
                shape = None
            if (
                shape is not None
                and shape.geom_type in ("Polygon", "MultiPolygon")
                and len(out) < _MAX_AREAS
            ):
                west, south, east, north = shape.bounds
                tolerance = max(0.002, min(0.05, (east - west + north - south) / 400))
                simple = shapely.set_precision(
                    shapely.simplify(shape, tolerance, preserve_topology=True), 1e-4
                )
                if not simple.is_empty:
                    index[pid] = len(out)
                    out.append(json.loads(shapely.to_geojson(simple)))
        result.append(index[pid])
    if len(result) < len(geo_precision):
        result.extend([-1] * (len(geo_precision) - len(result)))
    return out, result


#: Label classes, most important first: the page places labels in this order and
#: shows each class from its zoom on (``minZoom``) and up to ``maxZoom``.
LABEL_CLASSES = ("country", "sea", "region", "capital", "city", "town", "village", "water", "event")


def _labels(gazetteer: Any, cols: _Columns) -> list[list[Any]]:
    """Place labels for the page: ``[name, lon, lat, class index, min zoom, max zoom]``.

    From the gazetteer's public API: countries and oblasts from its layers, towns by
    population (oblast centres first) from its places, reservoirs from its water
    layer; then every event place not yet named, shown only when zoomed in close.
    """
    import shapely

    labels: list[list[Any]] = []
    cls = {name: k for k, name in enumerate(LABEL_CLASSES)}
    xmin, ymin, xmax, ymax = CONTEXT_BOUNDS

    def area_labels(layer: str, kind: str, zmin: int, zmax: int) -> None:
        frame = _layer_or_none(gazetteer, layer)
        if frame is None:
            return
        frame = frame.assign(name=frame["name"].fillna("").astype(str))
        frame = frame.assign(_key=shapely.to_wkb(frame.geometry.to_numpy(), hex=True))
        frame = frame.sort_values(["name", "_key"])  # the same page whatever the row order
        for name, geom in zip(frame["name"], frame.geometry, strict=True):
            clipped = shapely.clip_by_rect(geom, xmin, ymin, xmax, ymax)
            if not name or clipped.is_empty or (kind == "region" and name.endswith(" City")):
                continue  # a city that is its own region (Kyiv) is named as a city
            parts = getattr(clipped, "geoms", [clipped])
            biggest = max(parts, key=lambda g: g.area)
            if biggest.area < 0.05 and kind == "country":
                continue  # a sliver of a country at the edge of the box
            point = shapely.point_on_surface(biggest)
            labels.append([name, round(point.x, 3), round(point.y, 3), cls[kind], zmin, zmax])

    area_labels("countries", "country", 0, 8)
    area_labels("regions", "region", 5, 8)
    area_labels("water", "water", 8, 19)
    towns = _towns(gazetteer)
    labels.extend(towns)
    named = {(t[0], round(t[1], 1), round(t[2], 1)) for t in towns}
    seen: set[tuple[str, float, float]] = set()
    for name, lon, lat, gp in zip(cols.text["place"], cols.lon, cols.lat, cols.gp, strict=True):
        key = (name, round(lon, 1), round(lat, 1))
        if name and gp != 3 and key not in named and key not in seen:
            seen.add(key)
            labels.append([name, round(lon, 4), round(lat, 4), cls["event"], 10, 19])
    return labels


def _layer_or_none(gazetteer: Any, name: str) -> Any:
    try:
        frame = gazetteer.layer(name)
    except (GazetteerError, KeyError, AttributeError):
        return None
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    return frame if "name" in frame.columns else None


#: Towns closer than this (degrees) to a more populous labelled town are its districts.
_DISTRICT_RADIUS = 0.09


def _towns(gazetteer: Any) -> list[list[Any]]:
    """Town labels with the zoom they appear at, by population; oblast centres first."""
    try:
        places = [p for p in gazetteer if getattr(p, "kind", "") in ("city", "waterbody")]
    except TypeError:  # a stand-in without places
        return []
    xmin, ymin, xmax, ymax = CONTEXT_BOUNDS
    cls = {name: k for k, name in enumerate(LABEL_CLASSES)}
    labels: list[list[Any]] = []
    cities = []
    for p in places:
        if not (xmin <= p.longitude <= xmax and ymin <= p.latitude <= ymax):
            continue
        if p.kind == "waterbody":
            if "sea" in p.name.casefold():
                labels.append(
                    [p.name, round(p.longitude, 3), round(p.latitude, 3), cls["sea"], 5, 19]
                )
            continue
        home = p.country_code == "UA"
        if p.population >= (1000 if home else 100_000):
            cities.append(p)
    cities.sort(key=lambda p: (-p.population, p.name))
    centres: set[tuple[str, str]] = set()
    kept: dict[tuple[int, int], list[tuple[float, float, int]]] = {}
    for p in cities:
        cell = (int(p.longitude / _DISTRICT_RADIUS), int(p.latitude / _DISTRICT_RADIUS))
        near = [
            q
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for q in kept.get((cell[0] + dx, cell[1] + dy), [])
        ]
        if any(
            abs(x - p.longitude) < _DISTRICT_RADIUS
            and abs(y - p.latitude) < _DISTRICT_RADIUS
            and big >= 3 * p.population
            for x, y, big in near
        ):
            continue  # a district or suburb of a bigger town: the town is named
        kept.setdefault(cell, []).append((p.longitude, p.latitude, p.population))
        region = (p.country_code, p.admin1)
        if p.country_code == "UA" and p.admin1 and region not in centres:
            centres.add(region)
            kind, zoom = "capital", 5
        elif p.population >= 500_000:
            kind, zoom = "capital", 5
        elif p.population >= 100_000:
            kind, zoom = "city", 7
        elif p.population >= 20_000:
            kind, zoom = "town", 8
        elif p.population >= 5_000:
            kind, zoom = "village", 9
        else:
            kind, zoom = "village", 11
        labels.append([p.name, round(p.longitude, 4), round(p.latitude, 4), cls[kind], zoom, 19])
    return labels


def _json_for_script(data: Any) -> str:
    r"""Compact JSON that cannot end a ``<script>`` block or open a comment.

    ``<``, ``>`` and ``&`` only occur inside JSON strings, where ``\u003c`` etc. mean
    the same characters, so the text stays valid JSON (and valid JavaScript).

    Examples
    --------
    >>> _json_for_script({"q": "</script><b>&"})
    '{"q":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


# ----------------------------------------------------------------------------- context


def _add_context(m: folium.Map, gazetteer: Any) -> None:
    """Countries, oblasts, water and rivers from the gazetteer, drawn at all times."""
    import folium

    if gazetteer is None:
        from .gazetteer import Gazetteer

        gazetteer = Gazetteer.load()
    countries = _context_layer(gazetteer, "countries", tolerance=0.003)
    regions = _context_layer(gazetteer, "regions", tolerance=0.003)
    water = _context_layer(gazetteer, "water", tolerance=0.001, required=False)
    rivers = _context_layer(gazetteer, "rivers", tolerance=0.002)

    # Only geometry goes into the page: folium re-reads its scripts as Jinja templates,
    # so names from user gazetteers ("{{ ... }}") must not pass through it.
    if countries is not None and len(countries):
        folium.GeoJson(
            countries[["geometry"]],
            name="Countries",
            interactive=False,
            # Land is filled; the page hides the fill while online tiles are shown.
            style_function=lambda _f: {
                "color": "#495057",
                "weight": 1.6,
                "opacity": 0.9,
                "fillColor": "#f4f1ea",
                "fillOpacity": 1,
                "className": "frontline-land",
            },
        ).add_to(m)
    if regions is not None and len(regions):
        folium.GeoJson(
            regions[["geometry"]],
            name="Oblasts",
            interactive=False,
            style_function=lambda _f: {
                "color": "#868e96",
                "weight": 0.8,
                "opacity": 0.9,
                "dashArray": "4 3",
                "fill": False,
            },
        ).add_to(m)
    if water is not None and len(water):
        folium.GeoJson(
            water[["geometry"]],
            name="Reservoirs",
            interactive=False,
            style_function=lambda _f: {
                "color": "#4a8ac4",
                "weight": 0.5,
                "fillColor": "#a5c8e4",
                "fillOpacity": 0.9,
            },
        ).add_to(m)
    if rivers is None or not len(rivers):
        return
    group = folium.FeatureGroup(name="Rivers", control=True).add_to(m)
    names = rivers["name"].fillna("").astype(str)
    is_dnieper = names.str.casefold().isin({"dnieper", "dnipro"})
    folium.GeoJson(
        rivers[["geometry"]].assign(main=is_dnieper.astype(int).to_numpy()),
        interactive=False,
        style_function=lambda f: (
            {"color": "#1c6fb8", "weight": 3.2, "opacity": 0.95}
            if f["properties"]["main"]
            else {"color": "#4a8ac4", "weight": 1.2, "opacity": 0.8}
        ),
    ).add_to(group)
    if not is_dnieper.any():
        warnings.warn(
            "the gazetteer's rivers layer has no Dnieper; the map shows none", stacklevel=3
        )
        return
    import shapely

    line = shapely.line_merge(shapely.union_all(rivers.geometry[is_dnieper].to_numpy()))
    in_ukraine = shapely.clip_by_rect(line, *UKRAINE_BOUNDS)
    if not in_ukraine.is_empty:  # label the stretch users look at, not the upper course
        line = shapely.line_merge(in_ukraine)
    label_name = names[is_dnieper].iloc[0]
    for fraction in (0.3, 0.72):
        point = shapely.line_interpolate_point(line, fraction, normalized=True)
        if point.is_empty:
            continue
        folium.Marker(
            [point.y, point.x],
            interactive=False,
            keyboard=False,  # folium: (lat, lon)
            icon=folium.DivIcon(
                html=f'<div class="frontline-river-label">{_inert_html(label_name)}</div>',
                icon_size=(80, 18),
                icon_anchor=(-6, 9),
                class_name="frontline-river",
            ),
        ).add_to(group)


def _inert_html(text: str) -> str:
    """Text for an HTML snippet that folium also reads as a Jinja template.

    Examples
    --------
    >>> _inert_html("<b>{{ 7*7 }}</b>")
    '&lt;b&gt;&#123;&#123; 7*7 &#125;&#125;&lt;/b&gt;'
    """
    return html.escape(text).replace("{", "&#123;").replace("}", "&#125;")


def _context_layer(
    gazetteer: Any, name: str, *, tolerance: float, required: bool = True
) -> geopandas.GeoDataFrame | None:
    """One gazetteer layer clipped to the region, simplified and rounded for the page."""
    import numpy as np
    import shapely

    try:
        layer = gazetteer.layer(name)
    except (GazetteerError, KeyError):
        if required:
            raise
        return None
    if layer.crs is not None and layer.crs.to_epsg() != 4326:
        layer = layer.to_crs(4326)
    layer = layer[["name", "geometry"]].copy() if "name" in layer else layer.assign(name="")
    geoms = shapely.clip_by_rect(layer.geometry.to_numpy(), *CONTEXT_BOUNDS)
    geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, 4))
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    layer = layer[keep].copy()
    layer["geometry"] = geoms[keep]
    # A fixed order whatever order the source gives: byte-identical pages.
    layer["_key"] = shapely.to_wkb(geoms[keep], hex=True)
    return layer.sort_values(["name", "_key"]).drop(columns="_key").reset_index(drop=True)


# ----------------------------------------------------------------------------- page elements


class _TimeEvents(MacroElement):
    """The embedded event data and the call that starts the time control.

    It renders through :class:`_Raw`, not through folium's macros: folium compiles a
    macro's output again as a Jinja template, so article text such as ``{{ ... }}``
    would be evaluated in Python.
    """

    def __init__(self, m: Any, control: Any, payload: _Payload) -> None:
        super().__init__()
        self._name = "FrontlineTime"
        self.map = m
        self.control = control
        self.payload = payload.core
        self.text = payload.text

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        data_id = f"{self.get_name()}_data"
        text_id = f"{self.get_name()}_text"
        figure.html.add_child(_Raw(_data_block(data_id, self.payload)), name=data_id)
        figure.html.add_child(_Raw(_text_block(text_id, self.text)), name=text_id)
        figure.script.add_child(
            _Raw(
                f"FrontlineTime.attach({self.map.get_name()}, {self.control.get_name()}, "
                f'document.getElementById("{data_id}"), document.getElementById("{text_id}"));'
                f"\n{self.map.get_name()}.attributionControl.addAttribution("
                f"{json.dumps(DATA_ATTRIBUTION)});"
            ),
            name=self.get_name(),
        )


#: Event data larger than this (bytes of JSON) is embedded gzip-compressed, base64-encoded:
#: 100,000 events stay under 10 MB. The page unpacks it with the browser's own
#: ``DecompressionStream`` (Chrome 80, Firefox 113, Safari 16.4 and later).
_COMPRESS_OVER = 4_000_000
#: Event text larger than this in all (bytes of JSON) is embedded one compressed chunk
#: at a time; the page unpacks a chunk when it first shows one of its events.
_COMPRESS_TEXT_OVER = 1_000_000


def _data_block(data_id: str, payload: str) -> str:
    """The script element carrying the event JSON, compressed when it is large.

    Examples
    --------
    >>> _data_block("d", '{"a":1}')
    '<script type="application/json" id="d">{"a":1}</script>'
    >>> _data_block("d", "x" * 5_000_000).startswith('<script type="application/gzip-base64"')
    True
    """
    if len(payload) <= _COMPRESS_OVER:
        return f'<script type="application/json" id="{data_id}">{payload}</script>'
    return f'<script type="application/gzip-base64" id="{data_id}">{_packed(payload)}</script>'


def _text_block(text_id: str, chunks: list[str]) -> str:
    """The script element carrying the text chunks: a JSON list of the chunks' JSON, or
    of their compressed, base64-encoded JSON when the text is large.

    Examples
    --------
    >>> _text_block("t", ['{"a":1}', '{"a":2}'])
    '<script type="application/json" id="t">[{"a":1},{"a":2}]</script>'
    >>> _text_block("t", ['"' + "x" * 1_000_000 + '"']).startswith('<script type="application/json" id="t">["H4sI')
    True
    """
    if sum(len(c) for c in chunks) <= _COMPRESS_TEXT_OVER:
        items = ",".join(chunks)
    else:
        items = ",".join(f'"{_packed(c)}"' for c in chunks)
    return f'<script type="application/json" id="{text_id}">[{items}]</script>'


def _packed(text: str) -> str:
    """Text gzip-compressed (no timestamp: the same text, the same bytes), in base64."""
    import gzip

    return base64.b64encode(gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)).decode(
        "ascii"
    )


#: What the bundled data requires the map to say (CC BY 4.0 and ODbL ask for attribution).
DATA_ATTRIBUTION = (
    "Places: GeoNames (CC BY 4.0) · Boundaries, rivers: Natural Earth · "
    "River areas: © OpenStreetMap contributors (ODbL)"
)


class _Raw(Element):
    """Text put into the page as is: unlike ``branca.Element(text)`` it is not a Jinja
    template, so ``{{`` inside a script cannot be misread (and 150 kB are not compiled)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _Assets(MacroElement):
    """Puts Leaflet (inlined, or as CDN links) and the time control into the page.

    Added last, it renders after every other element and replaces the links folium
    put in the page header with the vendored files' contents: the page fetches nothing.
    """

    def __init__(self, *, inline: bool) -> None:
        super().__init__()
        self._name = "FrontlineAssets"
        self.inline = inline

    def render(self, **kwargs: Any) -> None:
        header = self.get_root().header
        if self.inline:
            for name, child in list(header._children.items()):
                url = getattr(child, "url", None)
                if isinstance(child, JavascriptLink) and url == _LEAFLET_JS:
                    header._children[name] = _Raw(_script_tag(_leaflet_js()))
                elif isinstance(child, CssLink) and url == _LEAFLET_CSS:
                    header._children[name] = _Raw(f"<style>{_leaflet_css()}</style>")
        header.add_child(
            _Raw(f"<style>{_static_text('frontline_time.css')}</style>"), name="frontline_time_css"
        )
        header.add_child(
            _Raw(_script_tag(_static_text("frontline_time.js"))), name="frontline_time_js"
        )
        super().render(**kwargs)


def _static_bytes(name: str) -> bytes:
    """A file of ``frontline/static`` (vendored or own), read as package data."""
    return resources.files("frontline").joinpath("static", *name.split("/")).read_bytes()


def _static_text(name: str) -> str:
    return _static_bytes(name).decode("utf-8")


def _script_tag(code: str) -> str:
    """``<script>`` around code that must not contain a closing tag of its own."""
    if re.search(r"</script", code, re.IGNORECASE):
        raise MapError(
            "an inlined script contains '</script'; rebuild static/ "
            "(python geodata/vendor_static.py)"
        )
    return f"<script>{code}</script>"


def _data_uri(name: str, mime: str) -> str:
    return f"data:{mime};base64," + base64.b64encode(_static_bytes(name)).decode("ascii")


def _leaflet_css() -> str:
    """Leaflet's CSS with its images as data: URIs."""
    css = _static_text("leaflet/leaflet.css")
    return re.sub(
        r"url\((images/[\w.-]+\.png)\)",
        lambda mt: f"url({_data_uri('leaflet/' + mt.group(1), 'image/png')})",
        css,
    )


def _leaflet_js() -> str:
    """Leaflet, plus its default marker images as data: URIs (no image path guessing)."""
    icons = {
        f"{key}Url": _data_uri(f"leaflet/images/{file}", "image/png")
        for key, file in (
            ("icon", "marker-icon.png"),
            ("iconRetina", "marker-icon-2x.png"),
            ("shadow", "marker-shadow.png"),
        )
    }
    return (
        _static_text("leaflet/leaflet.js")
        + f'\nL.Icon.Default.imagePath = "";\nL.Icon.Default.mergeOptions({json.dumps(icons)});\n'
    )


def _stable_ids(root: Any) -> None:
    """Give every element an id derived from its place in the tree (not a random uuid)."""
    digest = hashlib.sha256()
    elements = []
    stack = [root]
    while stack:
        element = stack.pop()
        elements.append(element)
        digest.update(type(element).__name__.encode())
        payload = getattr(element, "payload", None)
        if isinstance(payload, str):
            digest.update(payload.encode("utf-8"))
        stack.extend(reversed(list(element._children.values())))
    prefix = digest.hexdigest()[:8]
    for k, element in enumerate(elements):
        element._id = f"{prefix}{k:05d}"
