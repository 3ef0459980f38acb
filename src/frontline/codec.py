"""The result cache's data format: JSON that holds data only, and the package's dataclasses.

Reading a cache, even one tampered with, never runs code: what is written is plain JSON
(text, numbers, booleans, null, lists, objects), and a dataclass is rebuilt only if its
name (``module:Class``) is a dataclass of the ``frontline`` package, from its field
values, through the ``__init__`` the dataclass generates. Three layouts:

* **general** (:func:`dumps`, :func:`loads`): any nesting of plain data, dates and the
  package's dataclasses; an object is written as ``{"~": "module:Class", "v": [field
  values]}``, a date as ``{"~d": "2022-11-11"}``. Tuples come back as lists.
* **rows** (:func:`rows_of`, :func:`from_rows`): objects of one dataclass whose fields
  hold only text, numbers, booleans and None, as ``{"~rows": "module:Class", "v":
  [[values], ...]}``: read with no hook per object (an article's events).
* **tables** (:func:`dump_tables`, :func:`load_tables`): lists of the package's
  dataclass objects, which may hold dates and other such objects, as one table of rows
  per class. Each object is written once, however many times it is referred to (a
  place chosen for many mentions, a time expression that dates many sentences), and a
  field refers to it by its row; dates are ISO text. Encoding looks only at the fields
  whose annotations allow more than text, numbers, booleans and None, and decoding
  converts only the fields that hold dates or references: about half the work of the
  general layout, in a quarter of the bytes. Lists it cannot hold (objects of mixed
  classes in one list, a field holding a date in one object and a number in another)
  fall back to the general layout, which :func:`load_tables` also reads.

Damaged or foreign data raises :class:`~frontline.errors.CacheError`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
import operator
from collections.abc import Callable, Sequence
from typing import Any

from .errors import CacheError

__all__ = ["dumps", "loads", "rows_of", "from_rows", "dump_tables", "load_tables", "damaged"]

_TAG, _DATE, _ROWS, _TABLES = "~", "~d", "~rows", "~tables"
_SCALARS = frozenset((str, int, float, bool, type(None)))
#: What an annotation names when a field holds only what JSON writes as it is.
_SCALAR_NAMES = frozenset(("str", "int", "float", "bool", "None"))
#: What malformed JSON data raises while it is rebuilt.
_MALFORMED = (ValueError, TypeError, KeyError, IndexError, RecursionError)


def damaged(err: Exception) -> CacheError:
    """The error for a cached result that cannot be read back."""
    return CacheError(
        f"a cached result is damaged ({err}): delete the cache folder, or run with --no-cache"
    )


# ------------------------------------------------------------------------ the classes


@dataclasses.dataclass(frozen=True, slots=True)
class _Layout:
    """How the objects of one dataclass are written: its name, a function giving its
    field values (those of its ``__init__``) as a tuple, and the positions of the fields
    whose annotations allow more than plain values."""

    name: str
    values: Callable[[Any], tuple]
    looked: tuple[int, ...]


_LAYOUTS: dict[type, _Layout] = {}
_CLASSES: dict[str, type] = {}


def _layout(cls: type) -> _Layout:
    """The layout of a dataclass of the package; TypeError for anything else."""
    layout = _LAYOUTS.get(cls)
    if layout is not None:
        return layout
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.init or not cls.__module__.startswith("frontline"):
        raise TypeError(
            f"cannot cache a {cls.__qualname__}: only plain data, dates and the frontline "
            "package's dataclasses (with the __init__ they generate) are cached"
        )
    fields = [f for f in dataclasses.fields(cls) if f.init]
    getter = operator.attrgetter(*(f.name for f in fields))
    values = getter if len(fields) > 1 else (lambda obj: (getter(obj),))
    looked = tuple(i for i, f in enumerate(fields) if not _plain(f.type))
    layout = _LAYOUTS[cls] = _Layout(f"{cls.__module__}:{cls.__qualname__}", values, looked)
    return layout


def _plain(annotation: Any) -> bool:
    """Whether a field's annotation allows only text, numbers, booleans and None."""
    if isinstance(annotation, str):
        return all(part.strip() in _SCALAR_NAMES for part in annotation.split("|"))
    return annotation in _SCALARS


def _class(name: str) -> type:
    """The dataclass of the package named *name*; ValueError for anything else."""
    cls = _CLASSES.get(name)
    if cls is None:
        if type(name) is not str:
            raise TypeError(f"a class name must be text, not {type(name).__name__}")
        module, _, qualname = name.partition(":")
        if module != "frontline" and not module.startswith("frontline."):
            raise ValueError(f"{name!r} is not a frontline class")
        try:
            found: Any = importlib.import_module(module)
            for part in qualname.split("."):
                found = getattr(found, part)
        except (ImportError, AttributeError) as err:
            raise ValueError(f"unknown class {name!r}") from err
        if not (isinstance(found, type) and dataclasses.is_dataclass(found)):
            raise ValueError(f"{name!r} is not a dataclass")
        cls = _CLASSES[name] = found
    return cls


# ----------------------------------------------------------------------- general layout


def _default(obj: Any) -> Any:
    """What the JSON encoder writes for what it does not know (the ``default`` hook)."""
    if type(obj) is dt.date:
        return {_DATE: obj.isoformat()}
    layout = _layout(type(obj))
    return {_TAG: layout.name, "v": layout.values(obj)}


def _rebuilt(obj: dict) -> Any:
    """A JSON object as it was before it was written (the ``object_hook``)."""
    if _TAG in obj:
        return _class(obj[_TAG])(*obj["v"])
    if _DATE in obj and len(obj) == 1:
        return dt.date.fromisoformat(obj[_DATE])
    return obj


def dumps(obj: Any) -> bytes:
    """*obj* (plain data, dates, and the package's dataclasses) as JSON bytes; tuples are
    written as lists, and mappings need text keys.

    Examples
    --------
    >>> from frontline.gazetteer import Place
    >>> data = [Place("p:1", "Kherson", "city", "UA", "Kherson Oblast", 46.6, 32.6),
    ...         [1, None], {"day": dt.date(2022, 11, 11)}]
    >>> loads(dumps(data)) == data
    True
    >>> loads(b'{"~": "os:system", "v": ["echo hi"]}')
    Traceback (most recent call last):
    ...
    frontline.errors.CacheError: a cached result is damaged ('os:system' is not a frontline class): delete the cache folder, or run with --no-cache
    """
    return json.dumps(
        obj, default=_default, ensure_ascii=False, separators=(",", ":"), check_circular=False
    ).encode("utf-8", "surrogatepass")


def loads(blob: bytes) -> Any:
    """What :func:`dumps` wrote; damaged or foreign data raises CacheError."""
    try:
        return json.loads(blob.decode("utf-8", "surrogatepass"), object_hook=_rebuilt)
    except _MALFORMED as err:
        raise damaged(err) from err


# -------------------------------------------------------------------------- rows layout


def rows_of(objects: Sequence[Any]) -> dict | None:
    """*objects* in the rows layout, when they are all of one dataclass of the package
    and hold only text, numbers, booleans and None (as event rows do); else None.

    Examples
    --------
    >>> from frontline.gazetteer import Place
    >>> rows = rows_of([Place("p:1", "Kherson", "city", "UA", "Kherson Oblast", 46.6, 32.6)])
    >>> rows["~rows"], from_rows(rows)[0].name
    ('frontline.gazetteer:Place', 'Kherson')
    """
    if not objects:
        return None
    kind = type(objects[0])
    try:
        layout = _layout(kind)
    except TypeError:
        return None  # (dumps says why)
    rows = []
    for obj in objects:
        if type(obj) is not kind:
            return None
        values = layout.values(obj)
        if not all(type(v) in _SCALARS for v in values):
            return None
        rows.append(values)
    return {_ROWS: layout.name, "v": rows}


def from_rows(data: dict) -> list:
    """The objects of a rows layout read from JSON; raises what malformed data raises
    (see :func:`rows_of`)."""
    cls = _class(data[_ROWS])
    return [cls(*row) for row in data["v"]]


# ------------------------------------------------------------------------ tables layout


class _Irregular(Exception):
    """What the tables layout cannot hold."""


class _Tables:
    """The tables of one payload being written: a row per object, in the order each
    class's first object was complete (an object's row follows those it refers to)."""

    def __init__(self) -> None:
        self.rows: dict[type, list[list]] = {}
        self.kinds: dict[type, list[Any]] = {}  # per class and field: what it holds
        self.row_of: dict[int, int] = {}  # id(object) -> its row in its class's table

    def row(self, obj: Any) -> int:
        """The row of *obj* in its class's table, written first if it is not yet."""
        at = self.row_of.get(id(obj))
        return self._put(obj) if at is None else at

    def _put(self, obj: Any) -> int:
        cls = type(obj)
        layout = _LAYOUTS.get(cls) or _layout(cls)
        values = list(layout.values(obj))
        if layout.looked:
            kinds = self.kinds.get(cls)
            if kinds is None:
                kinds = self.kinds[cls] = [None] * len(values)
            row_of = self.row_of
            for pos in layout.looked:
                value = values[pos]
                if value is None:
                    continue
                kind = type(value)
                if kind is dt.date:
                    values[pos] = value.isoformat()
                elif kind in _SCALARS:
                    kind = str  # (any plain value: written and read as it is)
                else:
                    at = row_of.get(id(value))
                    values[pos] = self._put(value) if at is None else at
                known = kinds[pos]
                if known is not kind:
                    if known is not None:
                        raise _Irregular(f"field {pos} of {cls.__qualname__} holds mixed kinds")
                    kinds[pos] = kind
        rows = self.rows.get(cls)
        if rows is None:
            if not values:
                raise _Irregular(f"{cls.__qualname__} has no fields")
            rows = self.rows[cls] = []
        at = self.row_of[id(obj)] = len(rows)
        rows.append(values)
        return at

    def payload(self, root: list) -> dict:
        """The JSON data: class names, what their fields refer to, their tables column
        by column, and the lists (each its class's table and rows)."""
        order = {cls: i for i, cls in enumerate(self.rows)}
        described = []
        for cls, i in order.items():
            fields = []
            for pos, kind in enumerate(self.kinds.get(cls, ())):
                if kind is dt.date:
                    fields.append([pos, "d"])
                elif kind is not None and kind is not str:
                    if order[kind] >= i:
                        raise _Irregular("a class refers to one written after it")
                    fields.append([pos, order[kind]])
            described.append(fields)
        return {
            _TABLES: [_layout(cls).name for cls in order],
            "k": described,
            "t": [list(zip(*rows, strict=True)) for rows in self.rows.values()],
            "r": [None if part is None else [order[part[0]], part[1]] for part in root],
        }


def dump_tables(lists: Sequence[Sequence[Any]]) -> bytes:
    """*lists* of the package's dataclass objects (each list of one class) in the tables
    layout, as JSON bytes; in the general layout if the tables cannot hold them.

    Raises
    ------
    TypeError
        Something that is not plain data, a date or a dataclass of the package.

    Examples
    --------
    >>> from frontline.gazetteer import Place
    >>> from frontline.geoparse import Mention
    >>> kherson = Place("p:1", "Kherson", "city", "UA", "Kherson Oblast", 46.6, 32.6)
    >>> mentions = [Mention("a", 0, 7, "Kherson", kherson, 0.9),
    ...             Mention("a", 30, 37, "Kherson", kherson, 0.9)]
    >>> blob = dump_tables([mentions, []])
    >>> blob.count(b"Kherson Oblast")
    1
    >>> back, empty = load_tables(blob)
    >>> back == mentions and back[0].place is back[1].place, empty
    (True, [])
    """
    tables = _Tables()
    try:
        root: list = []
        for items in lists:
            if not items:
                root.append(None)
                continue
            if len({type(item) for item in items}) != 1:
                raise _Irregular("a list of mixed classes")
            root.append((type(items[0]), [tables.row(item) for item in items]))
        payload = tables.payload(root)
        return json.dumps(
            payload, ensure_ascii=False, separators=(",", ":"), check_circular=False
        ).encode("utf-8", "surrogatepass")
    except (_Irregular, TypeError, ValueError, RecursionError):
        return dumps([list(items) for items in lists])  # (which raises what cannot be cached)


def load_tables(blob: bytes) -> list[list]:
    """The lists :func:`dump_tables` wrote (in either layout); damaged or foreign data
    raises CacheError."""
    if blob[:1] != b"{":
        found = loads(blob)
        if not isinstance(found, list):
            raise damaged(TypeError(f"a list was expected, not {type(found).__name__}"))
        return found
    try:
        data = json.loads(blob.decode("utf-8", "surrogatepass"))
        built: list[list] = []
        for name, fields, columns in zip(data[_TABLES], data["k"], data["t"], strict=True):
            built.append(_rebuild(_class(name), fields, columns, built))
        return [[] if part is None else _pick(built[part[0]], part[1]) for part in data["r"]]
    except _MALFORMED as err:
        raise damaged(err) from err


def _rebuild(cls: type, fields: list, columns: list[list], built: list[list]) -> list:
    """The objects of one table, from its columns; *built*: the tables before it."""
    if len({len(column) for column in columns}) != 1:
        raise ValueError(f"the columns of {cls.__qualname__} differ in length")
    for pos, kind in fields:
        if kind == "d":
            convert: Callable[[Any], Any] = dt.date.fromisoformat
        elif type(kind) is int and 0 <= kind < len(built):
            convert = built[kind].__getitem__
        else:
            raise ValueError(f"field {pos} of {cls.__qualname__} refers to no table")
        column = columns[pos]
        if None in column:
            columns[pos] = [None if v is None else convert(v) for v in column]
        else:
            columns[pos] = list(map(convert, column))
    return list(map(cls, *columns))


def _pick(table: list, rows: list[int]) -> list:
    """The objects at *rows* of a table (a negative number is damage, not the end)."""
    if rows and min(rows) < 0:
        raise ValueError("a negative row number")
    return [table[i] for i in rows]
