"""Front-line snapshots read from the files analysts actually have.

:func:`read_front_lines` accepts, for the map's ``--frontline`` option:

- a GeoJSON file whose features carry a ``date`` (or ``valid_from``/``valid_to``)
  property, and optionally a ``layer`` property;
- a folder of GeoJSON files with the date in each file name, as DeepStateMap
  archives are named (``deepstatemap_data_20230601.geojson``);
- DeepStateMap's API answer (``{"datetime": ..., "map": FeatureCollection}``, or a
  list of them), each feature's ``name`` becoming its layer;
- KML and KMZ files as ISW/CTP publish them, each folder's name becoming a layer,
  dated by ``TimeStamp``/``TimeSpan`` or by the date in the file name.

Every snapshot is one layer on one date. It holds until its ``valid_to``, else until
the day before the same layer's next snapshot, else for ``default_days`` days. The
coordinates are checked (finite, longitude -180..180, latitude -90..90) and a bad file
is rejected with a :class:`~frontline.errors.MapError` naming it. No third-party
control data ships with Frontline; these readers load the user's own files.
"""

from __future__ import annotations

import json
import math
import os
import re
import zipfile
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NamedTuple
from xml.etree import ElementTree

from .errors import InputNotFoundError, MapError

__all__ = ["FRONT_STYLES", "FrontStyle", "read_front_lines", "front_style_of"]

#: Largest front-line file read (bytes, also for a KMZ's unpacked KML).
MAX_BYTES = 256 * 1024 * 1024
#: Deepest JSON nesting accepted (GeoJSON needs five levels for a MultiPolygon).
MAX_DEPTH = 64
#: Simplification of snapshot outlines, in degrees (about 50 m): keeps the page small.
TOLERANCE = 0.0005
_EPOCH = date(1970, 1, 1)
_FILE_DATE = re.compile(r"(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")
_GEOMETRIES = {"Polygon", "MultiPolygon", "LineString", "MultiLineString", "GeometryCollection"}


class FrontStyle(NamedTuple):
    """How one kind of front-line layer is drawn: legend text, stroke, fill, dashes."""

    label: str
    color: str
    fill: str
    fill_opacity: float
    dash: str


#: Styles by kind of layer; :func:`front_style_of` picks one from a layer's name.
FRONT_STYLES: dict[str, FrontStyle] = {
    "occupied": FrontStyle("Occupied / under Russian control", "#9d1c2b", "#d9485f", 0.30, ""),
    "claimed": FrontStyle("Claimed by Russia", "#c2410c", "#f59f00", 0.18, "6 4"),
    "advances": FrontStyle("Russian advances", "#a61e4d", "#f783ac", 0.30, "2 3"),
    "ukrainian": FrontStyle(
        "Ukrainian counteroffensives / liberated", "#1864ab", "#4dabf7", 0.25, ""
    ),
    "contested": FrontStyle("Contested", "#5c5f66", "#adb5bd", 0.25, "4 3"),
    "line": FrontStyle("Front line", "#7d1128", "#7d1128", 0.0, ""),
    "other": FrontStyle("Other layer", "#5f3dc4", "#9775fa", 0.2, ""),
}

_STYLE_WORDS = (
    ("advances", re.compile(r"advance|наступ", re.IGNORECASE)),
    ("claimed", re.compile(r"claim", re.IGNORECASE)),
    (
        "ukrainian",
        re.compile(r"counter.?offensive|liberat|звільн|ukrainian[- ]controlled", re.IGNORECASE),
    ),
    ("occupied", re.compile(r"occup|control|ordlo|ордло|окуп|crimea|крим", re.IGNORECASE)),
    ("contested", re.compile(r"contest|grey|gray|сір", re.IGNORECASE)),
)


def front_style_of(layer: str, *, lines_only: bool = False) -> str:
    """The key of :data:`FRONT_STYLES` for a layer name.

    Examples
    --------
    >>> [front_style_of(n) for n in ("Assessed Russian Advances in Ukraine",
    ...  "Claimed Russian Territory in Ukraine", "Reported Ukrainian Counteroffensives",
    ...  "Assessed Russian-controlled Ukrainian Territory", "Roads")]
    ['advances', 'claimed', 'ukrainian', 'occupied', 'other']
    >>> front_style_of("Front line", lines_only=True)
    'line'
    """
    for key, pattern in _STYLE_WORDS:
        if pattern.search(layer):
            return key
    return "line" if lines_only else "other"


# --------------------------------------------------------------------------- public API


def read_front_lines(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None,
    *,
    default_days: int = 30,
) -> list[dict[str, Any]]:
    """Read front-line files into dated snapshots for the map.

    Parameters
    ----------
    paths : path or iterable of paths, optional
        GeoJSON, DeepStateMap API JSON, KML or KMZ files, or folders of dated GeoJSON
        files (see the module description).
    default_days : int, default 30
        How long a snapshot holds when neither a ``valid_to`` nor a later snapshot of
        its layer ends it.

    Returns
    -------
    list of dict
        One dict per (layer, date): ``layer``, ``style`` (a key of
        :data:`FRONT_STYLES`), ``label``, ``from`` and ``to`` (days since 1970-01-01,
        both included), ``area_km2`` (polygons' geodesic area, 0 for lines) and
        ``geojson`` (a FeatureCollection of the snapshot's geometry). Sorted by
        layer, then date.

    Raises
    ------
    InputNotFoundError
        A path does not exist.
    MapError
        A file cannot be read, has no date, or has a NaN or out-of-range coordinate;
        the message names the file.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> square = {"type": "Polygon", "coordinates": [[[37, 48], [38, 48], [38, 49], [37, 48]]]}
    >>> for day in ("20230601", "20230608"):
    ...     doc = {"type": "Feature", "properties": {}, "geometry": square}
    ...     _ = (folder / f"deepstatemap_data_{day}.geojson").write_text(json.dumps(doc))
    >>> [(s["label"], s["to"] - s["from"] + 1) for s in read_front_lines(folder)]
    [('2023-06-01 · Front line: 4,149 km²', 7), ('2023-06-08 · Front line: 4,149 km²', 30)]
    """
    if paths is None:
        return []
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if isinstance(default_days, bool) or not isinstance(default_days, int) or default_days < 1:
        raise MapError(
            f"the front line's default_days must be a whole number >= 1, not {default_days!r}"
        )
    pieces: list[_Piece] = []
    for path in map(Path, paths):
        if path.is_dir():
            files = sorted(
                p
                for p in path.iterdir()
                if p.suffix.lower() in (".geojson", ".json", ".kml", ".kmz")
            )
            if not files:
                raise MapError(
                    f"{path}: the front-line folder holds no .geojson, .json, .kml or .kmz files"
                )
            for file in files:
                pieces.extend(_read_file(file))
        elif path.is_file():
            pieces.extend(_read_file(path))
        else:
            raise InputNotFoundError(f"front-line file {path} does not exist")
    return _snapshots(pieces, default_days)


# --------------------------------------------------------------------------- pieces


class _Piece(NamedTuple):
    """One geometry of one layer, valid from a day (to a day when the file says)."""

    layer: str
    start: int
    end: int | None
    geometry: Any  # shapely geometry, checked


def _read_file(path: Path) -> list[_Piece]:
    """Pieces of one file, by its extension and content."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise MapError(
            f"{path}: {size:,} bytes is more than the {MAX_BYTES:,} a front-line "
            f"file may have; split it by date"
        )
    suffix = path.suffix.lower()
    if suffix in (".kml", ".kmz"):
        return _read_kml(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise MapError(f"{path}: not a readable UTF-8 text file ({err})") from err
    doc = _load_json(path, text)
    if isinstance(doc, str):  # DeepStateMap's API sometimes answers JSON inside a string
        doc = _load_json(path, doc)
    return _read_json_doc(path, doc)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _load_json(path: Path, text: str) -> Any:
    if _nesting(text) > MAX_DEPTH:
        raise MapError(
            f"{path}: JSON nested deeper than {MAX_DEPTH} levels; not a GeoJSON front line"
        )
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as err:
        raise MapError(f"{path}: not valid JSON ({err})") from err


def _nesting(text: str) -> int:
    """Deepest bracket nesting of a JSON text (brackets inside strings ignored).

    Examples
    --------
    >>> _nesting('{"a": [[1, 2], "]]]"]}')
    3
    """
    depth = deepest = 0
    for token in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', text):
        char = token.group()[0]
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _read_json_doc(path: Path, doc: Any) -> list[_Piece]:
    """GeoJSON (Feature, FeatureCollection) or DeepStateMap API JSON."""
    if isinstance(doc, list) and doc and all(isinstance(d, dict) and "map" in d for d in doc):
        return [p for d in doc for p in _read_json_doc(path, d)]
    if isinstance(doc, dict) and isinstance(doc.get("map"), dict):  # DeepStateMap's API
        day = _api_day(path, doc)
        features = doc["map"].get("features") or []
        return list(
            _feature_pieces(path, features, file_day=day, names_as_layers=True, points_ok=True)
        )
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        features = [doc]
    elif isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        features = doc.get("features") or []
        if not isinstance(features, list):
            raise MapError(f"{path}: 'features' must be a list")
    else:
        raise MapError(
            f"{path}: expected a GeoJSON Feature or FeatureCollection, or "
            f"DeepStateMap's API JSON (with a 'map')"
        )
    return list(_feature_pieces(path, features, file_day=_file_day(path)))


def _api_day(path: Path, doc: dict) -> int:
    """The date of a DeepStateMap API answer: its datetime, else its id (Unix time)."""
    for key in ("datetime", "date", "createdAt", "updatedAt"):
        value = doc.get(key)
        if isinstance(value, str) and value.strip():
            return _day_of(value, f"{path}", key)
    value = doc.get("id")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 9e8 < value < 5e9:
        return (datetime.fromtimestamp(value, tz=UTC).date() - _EPOCH).days
    file_day = _file_day(path)
    if file_day is None:
        raise MapError(
            f"{path}: DeepStateMap JSON without a 'datetime' or 'id'; put the "
            f"date in the file name (..._YYYYMMDD.json)"
        )
    return file_day


def _feature_pieces(
    path: Path,
    features: list,
    *,
    file_day: int | None,
    names_as_layers: bool = False,
    points_ok: bool = False,
) -> Iterable[_Piece]:
    import shapely.geometry

    for k, feature in enumerate(features, start=1):
        where = f"{path}: feature {k}"
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind not in _GEOMETRIES:
            if points_ok and kind in ("Point", "MultiPoint"):
                continue  # DeepStateMap marks units and places with points
            raise MapError(f"{where}: needs a line or polygon geometry, not {kind or 'none'}")
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            raise MapError(f"{where}: 'properties' must be an object")
        try:
            shape = shapely.geometry.shape(geometry)
        except (
            ValueError,
            TypeError,
            KeyError,
            AttributeError,
            IndexError,
            shapely.errors.ShapelyError,
        ) as err:
            raise MapError(f"{where}: unreadable geometry ({err})") from err
        shape = _checked(shape, where)
        if names_as_layers:
            layer = _layer_name(props.get("name")) or "Front line"
        else:
            layer = _layer_name(props.get("layer")) or "Front line"
        if props.get("valid_from"):
            start = _day_of(props["valid_from"], where, "valid_from")
            end = _day_of(props["valid_to"], where, "valid_to") if props.get("valid_to") else None
            if end is not None and end < start:
                raise MapError(f"{where}: valid_to {props['valid_to']} is before valid_from")
        elif props.get("date"):
            start, end = _day_of(props["date"], where, "date"), None
        elif file_day is not None:
            start, end = file_day, None
        else:
            raise MapError(
                f"{where}: needs a 'date' or 'valid_from' property (YYYY-MM-DD), "
                f"or a date in the file name (..._YYYYMMDD.geojson)"
            )
        yield _Piece(layer, start, end, shape)


def _layer_name(value: Any) -> str:
    """A layer name from a property: DeepStateMap's 'Ukrainian///English' keeps English.

    Examples
    --------
    >>> _layer_name("Окуповано///Occupied"), _layer_name(7), _layer_name(" ")
    ('Occupied', '', '')
    """
    if not isinstance(value, str):
        return ""
    text = value.split("///")[-1].strip()
    return re.sub(r"\s+", " ", text)[:120]


def _checked(shape: Any, where: str) -> Any:
    """The geometry if every coordinate is finite and in range, else a MapError."""
    import numpy as np
    import shapely

    if shape.is_empty:
        raise MapError(f"{where}: empty geometry")
    xy = shapely.get_coordinates(shape)
    if not np.isfinite(xy).all():
        raise MapError(f"{where}: a coordinate is NaN or infinite; fix or drop that feature")
    if (np.abs(xy[:, 0]) > 180).any() or (np.abs(xy[:, 1]) > 90).any():
        x, y = xy[(np.abs(xy[:, 0]) > 180) | (np.abs(xy[:, 1]) > 90)][0]
        raise MapError(
            f"{where}: coordinate ({x:g}, {y:g}) is outside longitude -180..180 / "
            f"latitude -90..90; the file must be WGS84 longitude, latitude "
            f"(EPSG:4326)"
        )
    return shape


def _file_day(path: Path) -> int | None:
    """The date written in a file name (YYYYMMDD or YYYY-MM-DD), if any.

    Examples
    --------
    >>> _file_day(Path("deepstatemap_data_20230601.geojson"))
    19509
    >>> _file_day(Path("front 2023-06-01.kml")), _file_day(Path("front.kml"))
    (19509, None)
    """
    for match in _FILE_DATE.finditer(path.name):
        try:
            return (date(*map(int, match.groups())) - _EPOCH).days
        except ValueError:
            continue
    return None


def _day_of(value: Any, where: str, field: str) -> int:
    """Days since 1970-01-01 of an ISO date (a datetime's date part is used)."""
    try:
        return (date.fromisoformat(str(value).strip()[:10]) - _EPOCH).days
    except ValueError as err:
        raise MapError(f"{where}: {field} {value!r} is not a date (use YYYY-MM-DD)") from err


# --------------------------------------------------------------------------- KML / KMZ


def _read_kml(path: Path) -> list[_Piece]:
    """Placemarks of a KML or KMZ file, layered by their folder's name."""
    if path.suffix.lower() == ".kmz":
        try:
            with zipfile.ZipFile(path) as archive:
                names = [i for i in archive.infolist() if i.filename.lower().endswith(".kml")]
                if not names:
                    raise MapError(f"{path}: the KMZ archive holds no .kml file")
                info = next((i for i in names if i.filename.lower() == "doc.kml"), names[0])
                if info.file_size > MAX_BYTES:
                    raise MapError(
                        f"{path}: its KML unpacks to {info.file_size:,} bytes, more "
                        f"than {MAX_BYTES:,}"
                    )
                with archive.open(info) as member:
                    data = member.read(MAX_BYTES + 1)
        except (zipfile.BadZipFile, OSError, EOFError) as err:
            raise MapError(f"{path}: not a readable KMZ (zip) file ({err})") from err
        if len(data) > MAX_BYTES:
            raise MapError(f"{path}: its KML unpacks to more than {MAX_BYTES:,} bytes")
    else:
        data = path.read_bytes()
    if re.search(rb"<!(DOCTYPE|ENTITY)", data[:65536], re.IGNORECASE):
        raise MapError(f"{path}: KML with a DOCTYPE or entity declarations is not read")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as err:
        raise MapError(f"{path}: not well-formed KML ({err})") from err
    pieces: list[_Piece] = []
    _walk_kml(path, root, layer="", span=(None, None), file_day=_file_day(path), out=pieces)
    if not pieces:
        raise MapError(f"{path}: no polygon or line placemarks found")
    return pieces


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(node: Any, name: str) -> Any:
    return next((c for c in node if _local(c.tag) == name), None)


def _text(node: Any, name: str) -> str:
    child = _child(node, name)
    return (child.text or "").strip() if child is not None else ""


def _kml_span(node: Any, where: str) -> tuple[int | None, int | None]:
    """(start, end) from a TimeStamp or TimeSpan child, else (None, None)."""
    stamp = _child(node, "TimeStamp")
    if stamp is not None and _text(stamp, "when"):
        return _day_of(_text(stamp, "when"), where, "TimeStamp"), None
    span = _child(node, "TimeSpan")
    if span is not None:
        begin, end = _text(span, "begin"), _text(span, "end")
        return (
            _day_of(begin, where, "TimeSpan begin") if begin else None,
            _day_of(end, where, "TimeSpan end") if end else None,
        )
    return None, None


def _walk_kml(
    path: Path,
    node: Any,
    *,
    layer: str,
    span: tuple[int | None, int | None],
    file_day: int | None,
    out: list[_Piece],
) -> None:
    for child in node:
        kind = _local(child.tag)
        if kind in ("Document", "Folder"):
            name = _layer_name(_text(child, "name"))
            own = _kml_span(child, f"{path}: {kind} {name!r}")
            inner = (
                own[0] if own[0] is not None else span[0],
                own[1] if own[1] is not None else span[1],
            )
            # A Document's name is a title; folders inside it are the layers.
            _walk_kml(
                path,
                child,
                layer=name if kind == "Folder" or not layer else layer,
                span=inner,
                file_day=file_day,
                out=out,
            )
        elif kind == "Placemark":
            name = _text(child, "name")
            where = f"{path}: placemark {name!r}" if name else f"{path}: a placemark"
            own = _kml_span(child, where)
            start = own[0] if own[0] is not None else span[0]
            end = own[1] if own[1] is not None else span[1]
            if start is None:
                start = file_day
            shapes = list(_kml_shapes(child, where))
            if not shapes:
                continue  # a point placemark (a label, a unit): not a front line
            if start is None:
                raise MapError(
                    f"{where}: no date; add a TimeStamp or TimeSpan, or put the "
                    f"date in the file name (..._YYYY-MM-DD.kmz)"
                )
            if end is not None and end < start:
                raise MapError(f"{where}: its TimeSpan ends before it begins")
            import shapely

            shape = _checked(shapely.union_all(shapes) if len(shapes) > 1 else shapes[0], where)
            out.append(_Piece(layer or path.stem, start, end, shape))


def _kml_shapes(node: Any, where: str) -> Iterable[Any]:
    """Polygons and lines anywhere below a placemark (MultiGeometry included)."""
    from shapely.geometry import LineString, Polygon

    for element in node.iter():
        kind = _local(element.tag)
        try:
            if kind == "Polygon":
                outer = _child(element, "outerBoundaryIs")
                if outer is None:
                    continue
                holes = [_ring(b, where) for b in element if _local(b.tag) == "innerBoundaryIs"]
                yield Polygon(_ring(outer, where), holes)
            elif kind == "LineString":
                yield LineString(_coordinates(_text(element, "coordinates"), where))
        except (ValueError, TypeError) as err:
            raise MapError(f"{where}: unreadable {kind} ({err})") from err


def _ring(boundary: Any, where: str) -> list[tuple[float, float]]:
    ring = next((e for e in boundary.iter() if _local(e.tag) == "coordinates"), None)
    return _coordinates((ring.text or "") if ring is not None else "", where)


def _coordinates(text: str, where: str) -> list[tuple[float, float]]:
    """KML's 'lon,lat[,alt] lon,lat[,alt] ...' as (lon, lat) pairs.

    Examples
    --------
    >>> _coordinates(" 37.5,48.1,0 37.6,48.2 ", "x")
    [(37.5, 48.1), (37.6, 48.2)]
    """
    points = []
    for item in text.split():
        parts = item.split(",")
        try:
            lon, lat = float(parts[0]), float(parts[1])
        except (ValueError, IndexError) as err:
            raise MapError(f"{where}: bad coordinate {item[:40]!r} (want lon,lat)") from err
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise MapError(f"{where}: a coordinate is NaN or infinite ({item[:40]!r})")
        points.append((lon, lat))
    return points


# --------------------------------------------------------------------------- snapshots


def _snapshots(pieces: list[_Piece], default_days: int) -> list[dict[str, Any]]:
    """Merge pieces into one snapshot per (layer, start), with its end and area."""
    import shapely
    from pyproj import Geod
    from shapely.geometry.polygon import orient

    geod = Geod(ellps="WGS84")
    groups: dict[tuple[str, int], list[_Piece]] = {}
    for piece in pieces:
        groups.setdefault((piece.layer, piece.start), []).append(piece)
    starts: dict[str, list[int]] = {}
    for layer, start in sorted(groups):
        starts.setdefault(layer, []).append(start)
    out = []
    for (layer, start), group in sorted(groups.items()):
        later = [s for s in starts[layer] if s > start]
        ends = [p.end for p in group if p.end is not None]
        end = max(ends) if ends else (later[0] - 1 if later else start + default_days - 1)
        shape = shapely.simplify(
            shapely.union_all([p.geometry for p in group]) if len(group) > 1 else group[0].geometry,
            TOLERANCE,
            preserve_topology=True,
        )
        polygons = [
            p
            for g in getattr(shape, "geoms", [shape])
            for p in (g.geoms if g.geom_type == "MultiPolygon" else [g])
            if p.geom_type == "Polygon"
        ]
        # Counter-clockwise shells, clockwise holes: pyproj then subtracts the holes.
        area = sum(geod.geometry_area_perimeter(orient(p))[0] for p in polygons) / 1e6
        lines_only = not polygons
        label = f"{_iso(start)} · {layer}" + ("" if lines_only else f": {area:,.0f} km²")
        geojson = json.loads(shapely.to_geojson(shapely.set_precision(shape, 1e-5)))
        out.append(
            {
                "layer": layer,
                "style": front_style_of(layer, lines_only=lines_only),
                "label": label,
                "from": start,
                "to": end,
                "area_km2": round(area, 1),
                "geojson": {
                    "type": "FeatureCollection",
                    "features": [{"type": "Feature", "properties": {}, "geometry": geojson}],
                },
            }
        )
    return out


def _iso(day: int) -> str:
    """ISO date of a day number.

    Examples
    --------
    >>> _iso(19509)
    '2023-06-01'
    """
    return date.fromordinal(_EPOCH.toordinal() + day).isoformat()
