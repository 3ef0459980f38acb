"""Corrections an analyst makes once and every later run applies.

An :class:`Overrides` object holds *rules*, read from a YAML or CSV file that a person
edits by hand (the format is documented in ``docs/overrides.md``) or built from Python.
Six actions exist:

``pin_mention``
    In one article, a surface form ("Kherson") means this place (a gazetteer
    ``place_id``, or coordinates for a place the gazetteer lacks).
``pin_name``
    The same, in every article. (:meth:`Overrides.means` writes either.)
``not_place``
    A surface form ("War") is not a place: in one article, or in every article when no
    ``article_id`` is given. Its mentions are dropped, and the events that stood on them.
``reject_event``
    Drop an event (by ``event_id``) from the table.
``set_type`` / ``set_date``
    Change an event's type or date.

Every rule has a stable id (given in the file, or derived from what the rule matches:
``pin_mention:<article_id>:<mention>``, ``pin_name:<mention>``,
``not_place[:<article_id>]:<mention>``, ``<action>:<event_id>``), recorded in the ``correction`` column of every event it
changed. Rules that matched nothing are listed by :meth:`Overrides.unmatched`, so a stale
correction never goes unnoticed.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import OverridesError, UnknownPlaceError
from .outputs import atomic_write

if TYPE_CHECKING:  # pragma: no cover
    from .events import Event
    from .gazetteer import Gazetteer, Place
    from .geoparse import Mention
    from .pipeline import ArticleResult

__all__ = ["Overrides", "Rule", "ACTIONS", "FIELDS"]

#: The rule actions, in the order a file lists them when saved.
ACTIONS = ("pin_mention", "pin_name", "not_place", "reject_event", "set_type", "set_date")

#: The fields a rule may carry (YAML keys, CSV columns), in CSV column order.
FIELDS = (
    "id",
    "action",
    "article_id",
    "mention",
    "place_id",
    "lat",
    "lon",
    "name",
    "kind",
    "admin1",
    "country_code",
    "event_id",
    "event_type",
    "date",
    "note",
)

_REQUIRED = {
    "pin_mention": ("article_id", "mention"),
    "pin_name": ("mention",),
    "not_place": ("mention",),
    "reject_event": ("event_id",),
    "set_type": ("event_id", "event_type"),
    "set_date": ("event_id", "date"),
}
_PIN_FIELDS = ("place_id", "lat", "lon", "name", "kind", "admin1", "country_code")
_ALLOWED = {
    "pin_mention": {"article_id", "mention", *_PIN_FIELDS},
    "pin_name": {"mention", *_PIN_FIELDS},
    "not_place": {"article_id", "mention"},
    "reject_event": {"event_id"},
    "set_type": {"event_id", "event_type"},
    "set_date": {"event_id", "date"},
}
_COMMON = {"id", "action", "note"}

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True, slots=True)
class Rule:
    """One correction.

    ``origin`` says where the rule was read (``file:line`` or ``file:row N``), or
    ``"python"`` for rules added in code. Coordinates are WGS84 degrees.

    Examples
    --------
    >>> Rule("set_type:e1", "set_type", event_id="e1", event_type="shelling").rule_id
    'set_type:e1'
    """

    rule_id: str
    action: str
    article_id: str = ""
    mention: str = ""
    place_id: str = ""
    latitude: float | None = None
    longitude: float | None = None
    name: str = ""
    kind: str = ""
    admin1: str = ""
    country_code: str = ""
    event_id: str = ""
    event_type: str = ""
    date: str = ""
    note: str = ""
    origin: str = "python"

    def to_record(self) -> dict[str, str]:
        """The rule as file fields (strings; empty fields left out).

        Examples
        --------
        >>> Rule("reject_event:e9", "reject_event", event_id="e9").to_record()
        {'id': 'reject_event:e9', 'action': 'reject_event', 'event_id': 'e9'}
        """
        values = {
            "id": self.rule_id,
            "action": self.action,
            "article_id": self.article_id,
            "mention": self.mention,
            "place_id": self.place_id,
            "lat": "" if self.latitude is None else repr(self.latitude),
            "lon": "" if self.longitude is None else repr(self.longitude),
            "name": self.name,
            "kind": self.kind,
            "admin1": self.admin1,
            "country_code": self.country_code,
            "event_id": self.event_id,
            "event_type": self.event_type,
            "date": self.date,
            "note": self.note,
        }
        return {k: v for k, v in values.items() if v != ""}


def _mention_key(text: str) -> str:
    """How surface forms are compared: the gazetteer's name key, possessive dropped."""
    from .gazetteer import normalize_name

    text = text.strip()
    for tail in ("'s", "’s", "ʼs"):
        if text.endswith(tail):
            text = text[: -len(tail)]
    return normalize_name(text)


def default_rule_id(
    action: str, *, article_id: str = "", mention: str = "", event_id: str = ""
) -> str:
    """The id a rule gets when none is given: its action and what it matches.

    Examples
    --------
    >>> default_rule_id("pin_mention", article_id="kyiv-1", mention="Kherson")
    'pin_mention:kyiv-1:Kherson'
    >>> default_rule_id("reject_event", event_id="3f2a")
    'reject_event:3f2a'
    >>> default_rule_id("not_place", mention="War"), default_rule_id("not_place", article_id="a1", mention="War")
    ('not_place:War', 'not_place:a1:War')
    """
    if action == "pin_mention" or (action == "not_place" and article_id):
        return f"{action}:{article_id}:{mention}"
    if action in ("pin_name", "not_place"):
        return f"{action}:{mention}"
    return f"{action}:{event_id}"


def _pinned_id(rule: Rule) -> str:
    """The place id a pin rule gives: its ``place_id``, or ``user:<lat>,<lon>``."""
    if rule.place_id:
        return rule.place_id
    return f"user:{rule.latitude:.5f},{rule.longitude:.5f}"


def _dated(value: str) -> tuple[str, int, str, str]:
    """An ISO date, week, month or year as the event table stores it: first day,
    precision code, and the span of days it names (``date_first``, ``date_last``).

    Examples
    --------
    >>> _dated("2022-W45")
    ('2022-11-07', 2, '2022-11-07', '2022-11-13')
    """
    if _DAY.match(value):
        day = dt.date.fromisoformat(value).isoformat()
        return day, 1, day, day
    m = _WEEK.match(value)
    if m:
        first = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return first.isoformat(), 2, first.isoformat(), str(first + dt.timedelta(days=6))
    m = _MONTH.match(value)
    if m:
        first = dt.date(int(m[1]), int(m[2]), 1)
        after = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first.isoformat(), 3, first.isoformat(), str(after - dt.timedelta(days=1))
    if _YEAR.match(value):
        return f"{value}-01-01", 3, f"{value}-01-01", f"{value}-12-31"
    raise ValueError(value)


def _make_rule(fields: dict[str, str], origin: str) -> Rule:
    """Check the string fields of one rule and build it; errors name *origin*."""

    def fail(problem: str) -> OverridesError:
        return OverridesError(f"{origin}: {problem}")

    fields = {k: v.strip() for k, v in fields.items() if v is not None and v.strip() != ""}
    action = fields.get("action", "")
    if action not in ACTIONS:
        problem = f"unknown action {action!r}" if action else "missing `action`"
        raise fail(f"{problem}; use one of {', '.join(ACTIONS)}")
    unknown = set(fields) - _ALLOWED[action] - _COMMON
    if unknown:
        known = ", ".join(sorted(_ALLOWED[action] | _COMMON))
        raise fail(
            f"{action} rule has unexpected field(s) {', '.join(sorted(unknown))}; it takes {known}"
        )
    missing = [f for f in _REQUIRED[action] if f not in fields]
    if missing:
        raise fail(f"{action} rule needs {' and '.join(missing)}")
    lat = lon = None
    if action in ("pin_mention", "pin_name"):
        has_coords = "lat" in fields or "lon" in fields
        if ("place_id" in fields) == has_coords:
            raise fail(f"{action} rule needs either place_id or lat and lon (not both)")
        if has_coords:
            try:
                lat, lon = float(fields["lat"]), float(fields["lon"])
            except KeyError as err:
                raise fail(f"{action} rule needs both lat and lon") from err
            except ValueError as err:
                raise fail(
                    f"lat/lon must be numbers in degrees, got {fields.get('lat')!r}, "
                    f"{fields.get('lon')!r}"
                ) from err
            if not (
                math.isfinite(lat)
                and math.isfinite(lon)
                and -90 <= lat <= 90
                and -180 <= lon <= 180
            ):
                raise fail(
                    f"coordinates out of range: lat {lat}, lon {lon} (WGS84 degrees; "
                    "lat first, e.g. lat 47.44, lon 35.84)"
                )
        else:
            extra = [f for f in ("name", "kind", "admin1", "country_code") if f in fields]
            if extra:
                raise fail(
                    f"{', '.join(extra)} only go with lat and lon: a place_id pin takes "
                    "the gazetteer's place as it is"
                )
        if "kind" in fields:
            from .gazetteer import KINDS

            if fields["kind"] not in KINDS:
                raise fail(f"unknown kind {fields['kind']!r}; use one of {', '.join(KINDS)}")
    date = ""
    if action == "set_type":
        from .events import EVENT_TYPES

        if fields["event_type"] not in EVENT_TYPES:
            raise fail(
                f"unknown event_type {fields['event_type']!r}; use one of {', '.join(EVENT_TYPES)}"
            )
    if action == "set_date":
        try:
            _dated(fields["date"])
        except ValueError as err:
            raise fail(
                f"bad date {fields['date']!r}; write YYYY-MM-DD, YYYY-Www, YYYY-MM or YYYY"
            ) from err
        date = fields["date"]
    rule_id = fields.get("id") or default_rule_id(
        action,
        article_id=fields.get("article_id", ""),
        mention=fields.get("mention", ""),
        event_id=fields.get("event_id", ""),
    )
    return Rule(
        rule_id=rule_id,
        action=action,
        article_id=fields.get("article_id", ""),
        mention=fields.get("mention", ""),
        place_id=fields.get("place_id", ""),
        latitude=lat,
        longitude=lon,
        name=fields.get("name", ""),
        kind=fields.get("kind", ""),
        admin1=fields.get("admin1", ""),
        country_code=fields.get("country_code", "").upper(),
        event_id=fields.get("event_id", ""),
        event_type=fields.get("event_type", ""),
        date=date,
        note=fields.get("note", ""),
        origin=origin,
    )


# ------------------------------------------------------------------------------ reading


def _read_yaml(path: Path, text: str) -> list[tuple[dict[str, str], str]]:
    import yaml

    class _Loader(yaml.BaseLoader):  # every scalar stays a string: no 1e5 or `no` surprises
        pass

    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(err, "problem", None) or str(err)
        raise OverridesError(f"{where}: not valid YAML ({problem})") from err
    if root is None:
        return []
    items = root
    if isinstance(root, yaml.MappingNode):
        keys = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
        extra = set(keys) - {"rules", "version"}
        if extra or "rules" not in keys:
            raise OverridesError(
                f"{path}:{root.start_mark.line + 1}: the file must be a list "
                "of rules under a top-level `rules:` key"
            )
        items = keys["rules"]
        if isinstance(items, yaml.ScalarNode) and items.value == "":
            return []
    if not isinstance(items, yaml.SequenceNode):
        raise OverridesError(
            f"{path}:{items.start_mark.line + 1}: `rules` must be a list "
            "(each rule starts with `- action: ...`)"
        )
    out = []
    for node in items.value:
        origin = f"{path}:{node.start_mark.line + 1}"
        if not isinstance(node, yaml.MappingNode):
            raise OverridesError(f"{origin}: a rule must be a mapping of field: value")
        fields: dict[str, str] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or not isinstance(value, yaml.ScalarNode):
                raise OverridesError(
                    f"{path}:{key.start_mark.line + 1}: rule fields must be "
                    "plain values, not lists or mappings"
                )
            if key.value in fields:
                raise OverridesError(
                    f"{path}:{key.start_mark.line + 1}: field {key.value!r} given twice in one rule"
                )
            fields[key.value] = value.value
        out.append((fields, origin))
    return out


def _read_csv(path: Path, text: str) -> list[tuple[dict[str, str], str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    unknown = [h for h in header if h not in FIELDS]
    if unknown:
        raise OverridesError(
            f"{path}:1: unknown column(s) {', '.join(unknown)}; columns are {', '.join(FIELDS)}"
        )
    if header and "action" not in header:
        raise OverridesError(f"{path}:1: the header needs an `action` column")
    out = []
    for row in reader:
        origin = f"{path}:{reader.line_num}"
        if None in row:
            raise OverridesError(f"{origin}: more cells than header columns")
        if not any((v or "").strip() for v in row.values()):
            continue
        out.append(({k: v or "" for k, v in row.items()}, origin))
    return out


# ----------------------------------------------------------------------------- the class


class Overrides:
    """A set of corrections, applied to mentions and events on every run.

    Build it empty and add rules, or :meth:`load` a file; :meth:`save` writes it back.

    Examples
    --------
    >>> ov = Overrides()
    >>> ov.pin_name("Robotyne", lat=47.445, lon=35.838, admin1="Zaporizhzhia Oblast")
    'pin_name:Robotyne'
    >>> ov.set_type("3f2a9c", "shelling")
    'set_type:3f2a9c'
    >>> len(ov), [r.rule_id for r in ov.unmatched()]
    (2, ['pin_name:Robotyne', 'set_type:3f2a9c'])
    """

    def __init__(self, rules: Iterable[Rule] = ()) -> None:
        self._rules: dict[str, Rule] = {}
        self._hits: dict[str, int] = {}
        self._places: dict[str, Place] = {}
        self._index: tuple[dict[tuple[str, str], Rule], dict[str, Rule]] | None = None
        self._regions: dict[tuple[float, float], Place | None] = {}
        for rule in rules:
            self.add(rule)

    # ------------------------------------------------------------------ building

    @classmethod
    def load(cls, path: str | Path) -> Overrides:
        """Read an overrides file: ``.yaml``/``.yml`` or ``.csv`` (see ``docs/overrides.md``).

        Raises
        ------
        OverridesError
            The file is missing, unreadable, or a rule is bad; the message names the
            file and line.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "fix.yaml"
        >>> _ = p.write_text("rules:\\n  - action: reject_event\\n    event_id: 0a1b\\n")
        >>> [r.rule_id for r in Overrides.load(p)]
        ['reject_event:0a1b']
        >>> _ = p.write_text("rules:\\n  - action: reject\\n")
        >>> Overrides.load(p)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        frontline.errors.OverridesError: ...fix.yaml:2: unknown action 'reject'; ...
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".yaml", ".yml", ".csv"):
            raise OverridesError(f"{path}: overrides files end in .yaml, .yml or .csv")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as err:
            raise OverridesError(f"{path}: no such overrides file") from err
        except (OSError, UnicodeDecodeError) as err:
            raise OverridesError(f"{path}: cannot read the file ({err})") from err
        raw = _read_csv(path, text) if suffix == ".csv" else _read_yaml(path, text)
        ov = cls()
        for fields, origin in raw:
            ov.add(_make_rule(fields, origin))
        return ov

    def add(self, rule: Rule) -> str:
        """Add a rule; returns its id.

        Raises
        ------
        OverridesError
            Another rule has the same id (two corrections of the same thing).
        """
        old = self._rules.get(rule.rule_id)
        if old is not None:
            raise OverridesError(
                f"{rule.origin}: rule {rule.rule_id!r} duplicates the rule "
                f"at {old.origin}; keep one of them (or give each an `id`)"
            )
        self._rules[rule.rule_id] = rule
        self._hits[rule.rule_id] = 0
        self._index = None
        return rule.rule_id

    def remove(self, rule_id: str) -> None:
        """Remove a rule by id (``KeyError`` if there is none)."""
        del self._rules[rule_id]
        del self._hits[rule_id]
        self._places.pop(rule_id, None)
        self._index = None

    def _pin(
        self,
        action: str,
        article_id: str,
        mention: str,
        place_id: str | None,
        lat: float | None,
        lon: float | None,
        name: str | None,
        kind: str | None,
        admin1: str | None,
        country_code: str | None,
        note: str,
        rule_id: str | None,
    ) -> str:
        fields = {
            "action": action,
            "article_id": article_id,
            "mention": mention,
            "place_id": place_id or "",
            "name": name or "",
            "kind": kind or "",
            "admin1": admin1 or "",
            "country_code": country_code or "",
            "note": note,
            "id": rule_id or "",
        }
        if lat is not None or lon is not None:
            fields["lat"] = "" if lat is None else repr(float(lat))
            fields["lon"] = "" if lon is None else repr(float(lon))
        return self.add(_make_rule(fields, "python"))

    def pin_mention(
        self,
        article_id: str,
        mention: str,
        place_id: str | None = None,
        *,
        lat: float | None = None,
        lon: float | None = None,
        name: str | None = None,
        kind: str | None = None,
        admin1: str | None = None,
        country_code: str | None = None,
        note: str = "",
        rule_id: str | None = None,
    ) -> str:
        """Pin a surface form in one article to a place; returns the rule id.

        Give a gazetteer ``place_id``, or ``lat`` and ``lon`` (with optional ``name``,
        ``kind``, ``admin1``, ``country_code``) for a place the gazetteer lacks.

        Examples
        --------
        >>> Overrides().pin_mention("kyiv-1", "Kherson", "geonames:706448")
        'pin_mention:kyiv-1:Kherson'
        """
        return self._pin(
            "pin_mention",
            article_id,
            mention,
            place_id,
            lat,
            lon,
            name,
            kind,
            admin1,
            country_code,
            note,
            rule_id,
        )

    def pin_name(
        self,
        mention: str,
        place_id: str | None = None,
        *,
        lat: float | None = None,
        lon: float | None = None,
        name: str | None = None,
        kind: str | None = None,
        admin1: str | None = None,
        country_code: str | None = None,
        note: str = "",
        rule_id: str | None = None,
    ) -> str:
        """Pin a surface form to a place in every article; returns the rule id.

        A :meth:`pin_mention` rule for the same article and form wins over it.

        Examples
        --------
        >>> Overrides().pin_name("Nikopol", "geonames:700051")
        'pin_name:Nikopol'
        """
        return self._pin(
            "pin_name",
            "",
            mention,
            place_id,
            lat,
            lon,
            name,
            kind,
            admin1,
            country_code,
            note,
            rule_id,
        )

    def means(
        self,
        mention: str,
        place: str | Place | None = None,
        *,
        article_id: str | None = None,
        lat: float | None = None,
        lon: float | None = None,
        name: str | None = None,
        kind: str | None = None,
        admin1: str | None = None,
        country_code: str | None = None,
        note: str = "",
        rule_id: str | None = None,
    ) -> str:
        """This name (in this article) means that place; returns the rule id.

        A :meth:`pin_mention` rule when *article_id* is given, else a :meth:`pin_name`
        rule. *place* is a gazetteer ``place_id`` or a :class:`~frontline.gazetteer.Place`
        (as ``Gazetteer.lookup`` returns them); or give ``lat`` and ``lon``.

        Examples
        --------
        >>> ov = Overrides()
        >>> ov.means("Dnipro", "geonames:709930", article_id="krynky-1")
        'pin_mention:krynky-1:Dnipro'
        >>> ov.means("Robotyne", lat=47.445, lon=35.838)
        'pin_name:Robotyne'
        """
        place_id = place if place is None or isinstance(place, str) else place.place_id
        if article_id:
            return self.pin_mention(
                article_id,
                mention,
                place_id,
                lat=lat,
                lon=lon,
                name=name,
                kind=kind,
                admin1=admin1,
                country_code=country_code,
                note=note,
                rule_id=rule_id,
            )
        return self.pin_name(
            mention,
            place_id,
            lat=lat,
            lon=lon,
            name=name,
            kind=kind,
            admin1=admin1,
            country_code=country_code,
            note=note,
            rule_id=rule_id,
        )

    def not_a_place(
        self,
        mention: str,
        *,
        article_id: str | None = None,
        note: str = "",
        rule_id: str | None = None,
    ) -> str:
        """This name is not a place: in one article, or in every one; returns the rule id.

        Its mentions are dropped, and with them the events that stood on them. A pin of
        the same name in an article wins over an everywhere rule, and a ``not_place``
        rule in an article wins over a pin of the name everywhere.

        Examples
        --------
        >>> ov = Overrides()
        >>> ov.not_a_place("War", note="a headline word, not Var in France")
        'not_place:War'
        >>> ov.not_a_place("Bakhmut", article_id="wagner-film")
        'not_place:wagner-film:Bakhmut'
        """
        return self.add(
            _make_rule(
                {
                    "action": "not_place",
                    "article_id": article_id or "",
                    "mention": mention,
                    "note": note,
                    "id": rule_id or "",
                },
                "python",
            )
        )

    def reject_event(self, event_id: str, *, note: str = "", rule_id: str | None = None) -> str:
        """Drop an event from the table; returns the rule id."""
        return self.add(
            _make_rule(
                {"action": "reject_event", "event_id": event_id, "note": note, "id": rule_id or ""},
                "python",
            )
        )

    def set_type(
        self, event_id: str, event_type: str, *, note: str = "", rule_id: str | None = None
    ) -> str:
        """Change an event's type (one of ``frontline.events.EVENT_TYPES``)."""
        return self.add(
            _make_rule(
                {
                    "action": "set_type",
                    "event_id": event_id,
                    "event_type": event_type,
                    "note": note,
                    "id": rule_id or "",
                },
                "python",
            )
        )

    def set_date(
        self, event_id: str, date: str | dt.date, *, note: str = "", rule_id: str | None = None
    ) -> str:
        """Change an event's date: ``YYYY-MM-DD``, ``YYYY-Www``, ``YYYY-MM`` or ``YYYY``.

        The table stores the first day of a week, month or year, with the matching
        ``time_precision`` (1 day, 2 week, 3 month or year).

        Examples
        --------
        >>> import datetime
        >>> Overrides().set_date("3f2a9c", datetime.date(2022, 11, 11))
        'set_date:3f2a9c'
        """
        value = date.isoformat() if isinstance(date, dt.date) else str(date)
        return self.add(
            _make_rule(
                {
                    "action": "set_date",
                    "event_id": event_id,
                    "date": value,
                    "note": note,
                    "id": rule_id or "",
                },
                "python",
            )
        )

    # ------------------------------------------------------------------ reading back

    @property
    def rules(self) -> list[Rule]:
        """The rules, in the order they were added."""
        return list(self._rules.values())

    def __iter__(self) -> Iterator[Rule]:
        return iter(list(self._rules.values()))

    def __len__(self) -> int:
        return len(self._rules)

    def __bool__(self) -> bool:
        return bool(self._rules)

    def __repr__(self) -> str:
        counts = {a: sum(r.action == a for r in self._rules.values()) for a in ACTIONS}
        parts = ", ".join(f"{n} {a}" for a, n in counts.items() if n)
        return f"<Overrides: {parts or 'no rules'}>"

    @property
    def has_pins(self) -> bool:
        """Whether any rule pins a mention or says a name is not a place (then results
        must keep their mentions).

        Examples
        --------
        >>> ov = Overrides()
        >>> _ = ov.reject_event("e1")
        >>> ov.has_pins
        False
        """
        return any(self._pin_index())

    @property
    def hits(self) -> dict[str, int]:
        """How many mentions or events each rule has changed so far, by rule id."""
        return dict(self._hits)

    def unmatched(self) -> list[Rule]:
        """The rules that have matched nothing in any ``apply_*`` call so far.

        The CLI prints them as warnings after a run: a rule that matches nothing is
        usually stale (the article changed) or misspelt.
        """
        return [r for r in self._rules.values() if self._hits[r.rule_id] == 0]

    def warnings(self) -> list[str]:
        """One message per rule that matched nothing, naming where the rule was written.

        Examples
        --------
        >>> ov = Overrides()
        >>> _ = ov.reject_event("0a1b")
        >>> ov.warnings()  # doctest: +NORMALIZE_WHITESPACE
        ["python: rule 'reject_event:0a1b' matched nothing: no event has id 0a1b (an event's id
        changes when a pin moves it or its article is edited)"]
        """
        out = []
        for rule in self.unmatched():
            if rule.mention:
                where = f" in article {rule.article_id}" if rule.article_id else ""
                why = (
                    f"no mention {rule.mention!r}{where} (a name the gazetteer lacks is "
                    "never recognized: add it with a gazetteer CSV instead)"
                )
            else:
                why = (
                    f"no event has id {rule.event_id} (an event's id changes when a pin "
                    "moves it or its article is edited)"
                )
            out.append(f"{rule.origin}: rule {rule.rule_id!r} matched nothing: {why}")
        return out

    def reset_hits(self) -> None:
        """Forget what the rules matched (before applying them to a new corpus)."""
        self._hits = dict.fromkeys(self._rules, 0)

    def to_frame(self) -> Any:
        """The rules as a ``pandas.DataFrame`` (one row per rule, with ``hits``).

        Examples
        --------
        >>> ov = Overrides()
        >>> _ = ov.reject_event("e1")
        >>> ov.to_frame()[["id", "action", "event_id", "hits"]].to_dict("records")
        [{'id': 'reject_event:e1', 'action': 'reject_event', 'event_id': 'e1', 'hits': 0}]
        """
        import pandas as pd

        rows = [
            {
                **dict.fromkeys(FIELDS, ""),
                **r.to_record(),
                "origin": r.origin,
                "hits": self._hits[r.rule_id],
            }
            for r in self._rules.values()
        ]
        return pd.DataFrame(rows, columns=[*FIELDS, "origin", "hits"])

    # ------------------------------------------------------------------ writing

    def save(self, path: str | Path) -> None:
        """Write the rules to ``.yaml``/``.yml`` or ``.csv``, atomically.

        What :meth:`load` reads back is the same set of rules.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> ov = Overrides()
        >>> _ = ov.pin_name("Robotyne", lat=47.445, lon=35.838, note="GeoNames lacks it")
        >>> for ext in ("yaml", "csv"):
        ...     p = pathlib.Path(tempfile.mkdtemp()) / f"fix.{ext}"
        ...     ov.save(p)
        ...     print([(r.rule_id, r.latitude, r.note) for r in Overrides.load(p)])
        [('pin_name:Robotyne', 47.445, 'GeoNames lacks it')]
        [('pin_name:Robotyne', 47.445, 'GeoNames lacks it')]
        """
        path = Path(path)
        suffix = path.suffix.lower()
        records = [r.to_record() for r in self._rules.values()]
        if suffix == ".csv":
            with atomic_write(path, newline="") as f:
                writer = csv.DictWriter(f, fieldnames=list(FIELDS))
                writer.writeheader()
                writer.writerows(records)
        elif suffix in (".yaml", ".yml"):
            import yaml

            for rec in records:  # numbers read better unquoted (they load back as text)
                for key in ("lat", "lon"):
                    if key in rec:
                        rec[key] = float(rec[key])  # type: ignore[assignment]
            body = yaml.safe_dump(
                {"version": 1, "rules": records},
                sort_keys=False,
                allow_unicode=True,
                default_flow_style=False,
            )
            with atomic_write(path) as f:
                f.write(
                    "# Frontline overrides: corrections applied on every run.\n"
                    "# Format: docs/overrides.md\n"
                )
                f.write(body)
        else:
            raise OverridesError(f"{path}: overrides files end in .yaml, .yml or .csv")

    # ------------------------------------------------------------------ applying

    def _pin_index(self) -> tuple[dict[tuple[str, str], Rule], dict[str, Rule]]:
        """Mention rules (pins and ``not_place``) by (article_id, name key) and by name key,
        built once per rule set."""
        if self._index is None:
            by_article: dict[tuple[str, str], Rule] = {}
            by_name: dict[str, Rule] = {}
            for rule in self._rules.values():
                if not rule.mention:
                    continue
                key = _mention_key(rule.mention)
                if rule.article_id:
                    by_article.setdefault((rule.article_id, key), rule)
                else:
                    by_name.setdefault(key, rule)
            self._index = (by_article, by_name)
        return self._index

    def _pin_rule(self, mention: Mention) -> Rule | None:
        by_article, by_name = self._pin_index()
        if not by_article and not by_name:
            return None
        key = _mention_key(mention.mention)
        return by_article.get((mention.article_id, key)) or by_name.get(key)

    def _place_of(self, rule: Rule, gazetteer: Gazetteer | None) -> Place:
        place = self._places.get(rule.rule_id)
        if place is not None:
            return place
        from .gazetteer import Gazetteer, Place

        if rule.place_id:
            gaz = gazetteer if gazetteer is not None else Gazetteer.load()
            try:
                place = gaz.get(rule.place_id)
            except UnknownPlaceError as err:
                raise OverridesError(
                    f"{rule.origin}: rule {rule.rule_id!r} pins to "
                    f"{rule.place_id!r}, which the gazetteer does not have; "
                    "check the id with `frontline geocode NAME` or give "
                    "lat and lon"
                ) from err
        else:
            lat, lon = float(rule.latitude), float(rule.longitude)  # type: ignore[arg-type]
            admin1, cc = rule.admin1, rule.country_code
            if not admin1 or not cc:
                gaz = gazetteer if gazetteer is not None else Gazetteer.load()
                if (lat, lon) not in self._regions:  # a point-in-polygon test: once a point
                    self._regions[lat, lon] = (
                        gaz.region_of(lat, lon) if hasattr(gaz, "region_of") else None
                    )
                region = self._regions[lat, lon]
                if region is not None:
                    admin1 = admin1 or region.admin1 or region.name
                    cc = cc or region.country_code
            place = Place(
                place_id=_pinned_id(rule),
                name=rule.name or rule.mention,
                kind=rule.kind or "city",
                country_code=cc,
                admin1=admin1,
                latitude=lat,
                longitude=lon,
            )
        self._places[rule.rule_id] = place
        return place

    def apply_mentions(
        self, mentions: Sequence[Mention], gazetteer: Gazetteer | None = None
    ) -> list[Mention]:
        """Give pinned mentions their place, with confidence 1.0; drop those of names
        that are not places.

        The machine's choice becomes ``runner_up`` (so a review still shows it).

        Parameters
        ----------
        mentions : sequence of Mention
            As :func:`frontline.geoparse.geoparse` returns them.
        gazetteer : Gazetteer, optional
            Where pinned ``place_id`` values are looked up; the bundled one by default.

        Raises
        ------
        OverridesError
            A matching rule pins to a ``place_id`` the gazetteer does not have.

        Examples
        --------
        >>> from frontline.gazetteer import Place
        >>> from frontline.geoparse import Mention
        >>> bg = Place("geonames:1", "Nikopol", "city", "BG", "Pleven", 43.7, 24.9)
        >>> ov = Overrides()
        >>> _ = ov.pin_mention("a1", "Nikopol", lat=47.57, lon=34.39, admin1="Dnipropetrovsk Oblast",
        ...                    country_code="UA")
        >>> [m] = ov.apply_mentions([Mention("a1", 0, 7, "Nikopol", bg, 0.55)])
        >>> m.place.country_code, m.place.latitude, m.confidence, m.runner_up.country_code
        ('UA', 47.57, 1.0, 'BG')
        """
        if not any(self._pin_index()):
            return list(mentions)
        out = []
        for m in mentions:
            rule = self._pin_rule(m)
            if rule is None:
                out.append(m)
                continue
            self._hits[rule.rule_id] += 1
            if rule.action == "not_place":
                continue
            place = self._place_of(rule, gazetteer)
            runner_up = m.place if m.place.place_id != place.place_id else m.runner_up
            out.append(dataclasses.replace(m, place=place, confidence=1.0, runner_up=runner_up))
        return out

    def apply_events(
        self, events: Sequence[Event], *, mentions: Sequence[Mention] | None = None
    ) -> list[Event]:
        """Drop rejected events, change types and dates, and record which rule did it.

        Every changed event gets ``corrected=True`` and its rule ids in ``correction``
        (``"; "``-joined when several apply). Pass the article's (already pinned)
        ``mentions`` to also mark events that stand on a pinned mention.

        Examples
        --------
        >>> from frontline.events import Event
        >>> e = Event("e1", "2022-11-11", 1, "p:1", "Kherson", "city", "Kherson Oblast", "UA",
        ...           46.64, 32.61, 1, "other", "", "a1", "T", "", "", "2022-11-12",
        ...           "Troops entered Kherson.", 0.4)
        >>> ov = Overrides()
        >>> _ = ov.set_type("e1", "territory_change")
        >>> _ = ov.set_date("e1", "2022-W45")
        >>> [(x.event_type, x.date, x.time_precision, x.corrected, x.correction)
        ...  for x in ov.apply_events([e])]
        [('territory_change', '2022-11-07', 2, True, 'set_type:e1; set_date:e1')]
        >>> _ = ov.reject_event("e1")
        >>> ov.apply_events([e])
        []
        """
        by_event: dict[str, list[Rule]] = {}
        for rule in self._rules.values():
            if rule.event_id:
                by_event.setdefault(rule.event_id, []).append(rule)
        pinned: dict[tuple[str, str], list[tuple[str, str]]] = {}
        if mentions and any(self._pin_index()):
            for m in mentions:
                rule = self._pin_rule(m)
                if (
                    rule is not None
                    and rule.action != "not_place"
                    and m.place.place_id == _pinned_id(rule)
                ):
                    pinned.setdefault((m.article_id, m.place.place_id), []).append(
                        (rule.rule_id, " ".join(m.mention.split()))
                    )  # quotes are one line
        if not by_event and not pinned:
            return list(events)
        out = []
        for e in events:
            ids: list[str] = []
            changes: dict[str, Any] = {}
            rejected = False
            for rule_id, surface in pinned.get((e.article_id, e.place_id), ()):
                if (not e.quote or surface in e.quote) and rule_id not in ids:
                    ids.append(rule_id)
            for rule in by_event.get(e.event_id, ()):
                self._hits[rule.rule_id] += 1
                ids.append(rule.rule_id)
                if rule.action == "reject_event":
                    rejected = True
                elif rule.action == "set_type":
                    changes["event_type"] = rule.event_type
                    if rule.event_type != e.event_type:
                        changes["sub_event_type"] = ""
                elif rule.action == "set_date":
                    (
                        changes["date"],
                        changes["time_precision"],
                        changes["date_first"],
                        changes["date_last"],
                    ) = _dated(rule.date)
            if rejected:
                continue
            if not ids:
                out.append(e)
                continue
            previous = [c for c in e.correction.split("; ") if c] if e.correction else []
            correction = "; ".join(dict.fromkeys([*previous, *ids]))
            out.append(dataclasses.replace(e, corrected=True, correction=correction, **changes))
        return out

    def apply(self, result: ArticleResult, *, gazetteer: Gazetteer | None = None) -> ArticleResult:
        """Apply every rule to one article's pipeline result.

        Pins and ``not_place`` rules change the mentions, then the article's events are
        extracted again from the corrected mentions (so they move, with new ``event_id``
        values, or go), then the event rules apply. The result is a new
        :class:`~frontline.pipeline.ArticleResult`.

        Call it in the process that reports :meth:`unmatched`: rule hits are counted in
        this object, so copies sent to worker processes count separately.
        """
        from .events import extract_events

        if getattr(result, "error", None):  # a failed article has nothing to correct
            return result
        if result.events and not result.mentions and self.has_pins:
            raise OverridesError(
                "pin rules need each article's mentions and sentences, but "
                f"the result of {result.article.article_id!r} has events "
                "only; run the pipeline with details=True"
            )
        events = result.events
        mentions = self.apply_mentions(result.mentions, gazetteer)
        if len(mentions) != len(result.mentions) or any(
            a is not b for a, b in zip(mentions, result.mentions, strict=True)
        ):
            events = extract_events(result.article, mentions, result.sentences)
        events = self.apply_events(events, mentions=mentions)
        return dataclasses.replace(result, mentions=mentions, events=events)
