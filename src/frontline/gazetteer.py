"""The offline gazetteer: every place the war reporting names, under every spelling.

The bundled index (``frontline/data``, built by ``geodata/build.py``) holds GeoNames
populated places for Ukraine and its neighbours and cities of 15,000+ worldwide,
Natural Earth countries (with their common names and abbreviations), first-level
regions of every country (polygons for Ukraine and its neighbours, points elsewhere),
continents and macro-regions, rivers (the Dnieper drawn on OSM water), and a curated
supplement of front-line villages, raions, water bodies, landforms and facilities.
Names are matched through :func:`normalize_name`, which folds the spellings reporters
use into one key. Provenance: ``geodata/README.md``.

Examples
--------
>>> gaz = Gazetteer.load()
>>> best = gaz.lookup("Artemivsk")[0]
>>> best.name, best.country_code
('Bakhmut', 'UA')
>>> gaz.lookup("Dnipro", kind="river")[0].place_id
'ne:river:dnieper'
>>> [(p.kind, p.country_code) for p in (gaz.resolve("U.S."), gaz.resolve("Ohio"))]
[('country', 'US'), ('region', 'US')]
"""

from __future__ import annotations

import csv
import difflib
import gzip
import hashlib
import io
import json
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .errors import GazetteerError, UnknownPlaceError
from .romanize import LETTERS

if TYPE_CHECKING:  # heavy imports stay lazy: importing frontline must be fast
    import geopandas
    import shapely

__all__ = [
    "distance_km",
    "Place",
    "KINDS",
    "LatLon",
    "DEFAULT_PRIOR",
    "FRONT_LINE_OBLASTS",
    "CITY_RADIUS_KM",
    "APPROXIMATE",
    "nearest_km",
    "FRONT_LINE_WEIGHT",
    "CRIMEA_WEIGHT",
    "LAYERS",
    "Gazetteer",
    "normalize_name",
]

KINDS = ("country", "region", "district", "city", "river", "waterbody", "landform", "facility")
LAYERS = ("countries", "regions", "rivers", "water")
_KIND_SET = frozenset(KINDS)

LatLon = tuple[float, float]

#: The oblasts of the ground war since 2022, where fighting and shelling have been, and
#: the Russian border regions of the 2024 incursion and the raids (by ``Place.admin1``):
#: a village's name most likely points there. :data:`DEFAULT_PRIOR` gives each
#: :data:`FRONT_LINE_WEIGHT`.
FRONT_LINE_OBLASTS = (
    "Donetsk Oblast",
    "Luhansk Oblast",
    "Kharkiv Oblast",
    "Zaporizhzhia Oblast",
    "Kherson Oblast",
    "Mykolaiv Oblast",
    "Sumy Oblast",
    "Chernihiv Oblast",
    "Kyiv Oblast",
    "Dnipropetrovsk Oblast",
    "Belgorod Oblast",
    "Kursk Oblast",
)
FRONT_LINE_WEIGHT = 1.0
#: The feature code of a settlement known from the official codifier (KATOTTG) alone and
#: placed approximately, at the centre of its hromada's other villages (to about 10 km).
APPROXIMATE = "KATOTTG"
#: How far from a city's point a part of it (a district, a works in it) may lie and still be
#: in it (Kryvyi Rih is 60 km long): the geoparser and the events read it alike.
CITY_RADIUS_KM = 30.0
#: Crimea is struck (Sevastopol, its air bases, the bridge) but saw no ground fighting:
#: its many villages named like front-line ones (Urozhaine, Pervomaiske) get less.
CRIMEA_WEIGHT = 0.3

#: The domain prior: a score added to a candidate by its ISO country code (Ukraine
#: first, then the countries around the war, then the big sources of world news) and by
#: its first-level region (``Place.admin1``: the front-line oblasts, less for Crimea).
#: The one definition: both :meth:`Gazetteer.lookup` and the geoparser use it.
DEFAULT_PRIOR: Mapping[str, float] = MappingProxyType(
    {
        "UA": 3.0,
        "RU": 1.6,
        "BY": 1.2,
        "MD": 1.2,
        "PL": 0.8,
        "RO": 0.8,
        "SK": 0.6,
        "HU": 0.6,
        "GE": 0.4,
        "TR": 0.4,
        "US": 0.5,
        "GB": 0.5,
        "DE": 0.4,
        "FR": 0.4,
        **dict.fromkeys(FRONT_LINE_OBLASTS, FRONT_LINE_WEIGHT),
        "Autonomous Republic of Crimea": CRIMEA_WEIGHT,
    }
)

# Non-city kinds have no population; this stand-in (log10 scale) lets a country or a
# river outrank a hamlet that shares its name.
_KIND_WEIGHT = {
    "country": 7.5,
    "region": 6.0,
    "river": 5.5,
    "waterbody": 5.5,
    "landform": 5.5,
    "facility": 5.5,
    "district": 4.5,
    "city": 0.0,
}
#: A first-level region of a country the prior does not favour (a US state, a French
#: department) weighs like a city of ~600,000: "Washington" is the capital first, and
#: "Ontario" the province before the Californian city. The prior favours a country
#: when it gives it ``_FAVOURED`` or more (the countries of the war).
_FOREIGN_REGION_WEIGHT = 5.8
_FAVOURED = 1.0
#: GeoNames feature codes of city sections (kind ``district``): weighed by population
#: like a village, not like a raion.
_SECTIONS = frozenset({"PPLX"})
_PRIMARY_BONUS = 1.0  # the query is the place's own name, not one of its alternates
_USER_BONUS = 100.0  # an analyst's own entries take precedence

_LAYER_FILES = {name: f"{name}.geojson" for name in LAYERS}
_REGION_FILE = "admin1.geojson"


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry. Coordinates are WGS84; ``admin1`` is the region's English name.

    ``admin1_code`` is the GeoNames/FIPS first-level code (``"08"`` for Kherson
    Oblast), ``source`` says where the coordinates come from. For Ukraine, from
    GeoNames' full extract: ``admin2`` is the raion's official name and ``admin2_code``
    its GeoNames code (``"1404"``, Volnovakha raion of Donetsk Oblast: the KATOTTG raion
    number), ``feature_code`` GeoNames' feature code (``PPL`` village, ``PPLA2`` raion
    seat, ``PPLX`` city section, ``AIRB`` air base...; :data:`APPROXIMATE` a village of
    the codifier that GeoNames lacks, placed approximately). Other spellings are
    available through :meth:`Gazetteer.names_of`.

    Examples
    --------
    >>> Place("fl:x", "X", "city", "UA", "Kherson Oblast", 46.6, 32.6).population
    0
    """

    place_id: str
    name: str
    kind: str
    country_code: str
    admin1: str
    latitude: float
    longitude: float
    population: int = 0
    admin1_code: str = ""
    source: str = field(default="", compare=False, repr=False)
    admin2: str = field(default="", repr=False)
    admin2_code: str = field(default="", repr=False)
    feature_code: str = field(default="", repr=False)


# --------------------------------------------------------------------------- names

_DROP = str.maketrans({c: None for c in "'’ʼ‘`´ʹʻ′\"“”„«»ьъЬЪ"})
_SPACE = re.compile(r"[\s\-‐‑‒–—_./,;:()\[\]]+")
# Lookup keys transliterate Ukrainian by the 2010 table, and the letters only Russian or
# Belarusian spellings use by their nearest Ukrainian reading.
_CYRILLIC = str.maketrans({**LETTERS, "ы": "y", "э": "e", "ё": "e", "ў": "u"})
_LETTERS = str.maketrans({"y": "i", "j": "i", "w": "v"})
_RUNS = re.compile(r"(.)\1+")
_FOLDS = (
    (re.compile("(?:zh)+"), "zh"),
    (re.compile("shch"), "sch"),
    (re.compile("kh"), "h"),
    (re.compile("ie"), "e"),
)


def normalize_name(s: str) -> str:
    """Fold a place name to its lookup key.

    Casefolds, strips accents and apostrophes, turns hyphens and punctuation into
    single spaces, transliterates Cyrillic, and folds the transliteration variants
    reporters mix: ``y``/``j``/``i`` (Kupyansk, Kupiansk), doubled letters (Odessa,
    Odesa), ``zhzh``, ``shch``/``sch`` (Shchastia, Schastia), ``kh``/``h`` and
    ``ie``/``e`` (Sievierodonetsk, Severodonetsk).
    Two spellings of one place usually fold to the same key; keys are not meant to
    be read.

    Parameters
    ----------
    s : str
        A name as written.

    Returns
    -------
    str
        The key; empty when *s* holds no letters or digits.

    Examples
    --------
    >>> normalize_name("Mar'inka") == normalize_name("Marinka") == normalize_name("Mar’yinka")
    True
    >>> normalize_name("Avdiivka") == normalize_name("Avdiyivka")
    True
    >>> normalize_name("Zaporizhzhia") == normalize_name("Zaporizhzhya") == normalize_name("Запоріжжя")
    True
    >>> normalize_name("  Bilhorod-Dnistrovskyi ")
    'bilhorod dnistrovski'
    """
    key = _NORMALIZED.get(s)
    if key is None:
        if len(_NORMALIZED) >= _MAX_NORMALIZED:
            _NORMALIZED.clear()
        key = _NORMALIZED[s] = _normalize(s)
    return key


# The keys of the names seen so far. A plain dictionary of strings rather than an
# lru_cache: the garbage collector does not track it, while it walked the lru_cache's
# 200,000 links in every full collection (23 ms each). Started afresh when full.
_NORMALIZED: dict[str, str] = {}
_MAX_NORMALIZED = 200_000
normalize_name.cache_clear = _NORMALIZED.clear  # type: ignore[attr-defined]


def _normalize(s: str) -> str:
    """:func:`normalize_name`, uncached."""
    s = s.translate(_DROP)
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s)
        s = "".join(c for c in s if not unicodedata.combining(c))
        s = s.casefold().translate(_CYRILLIC).translate(_DROP)
        s = unicodedata.normalize("NFKD", s)
        s = "".join(c for c in s if not unicodedata.combining(c))
    else:
        s = s.casefold()
    s = _SPACE.sub(" ", s).strip().translate(_LETTERS)
    while True:  # fold to a fixed point, so that a key normalizes to itself
        folded = _RUNS.sub(r"\1", s)
        for pattern, repl in _FOLDS:
            folded = pattern.sub(repl, folded)
        if folded == s:
            return s
        s = folded


def _strip_article(key: str) -> str:
    return key[4:] if key.startswith("the ") else key


# ------------------------------------------------------------------------ loading


def _data_path(name: str) -> Any:
    return resources.files("frontline").joinpath("data", name)


def _read_gz(name: str, digest: Any = None) -> str:
    try:
        raw = _data_path(name).read_bytes()
    except FileNotFoundError as err:
        raise GazetteerError(
            f"bundled geodata file frontline/data/{name} is missing; "
            "rebuild it with `python geodata/build.py`"
        ) from err
    if digest is not None:
        digest.update(raw)
    return gzip.decompress(raw).decode("utf-8")


_PLACE_COLUMNS = [
    "place_id",
    "name",
    "kind",
    "country_code",
    "admin1",
    "admin1_code",
    "latitude",
    "longitude",
    "population",
    "source",
    "admin2",
    "admin2_code",
    "feature_code",
]


@dataclass(slots=True)
class _Bundle:
    """The bundled index, parsed as little as possible: rows become Places on demand."""

    # Tuples, not lists: the garbage collector stops tracking a tuple of strings, while
    # it walks every entry of a list in each full collection.
    lines: tuple[str, ...]  # one tab-separated place per row
    keys: tuple[str, ...]  # sorted normalized names
    key_pos: dict[str, int]  # key -> position in keys / rows
    rows: tuple[str, ...]  # per key: its place rows, "*" marking the place's own name
    digest: str


@lru_cache(maxsize=1)
def _bundle() -> _Bundle:
    import gc

    sha = hashlib.sha256()
    enabled = gc.isenabled()
    gc.disable()  # millions of short strings: the cyclic GC only slows the load down
    try:
        lines = _read_gz("places.tsv.gz", sha).split("\n")
        header = lines[0].split("\t")
        if header != _PLACE_COLUMNS:
            raise GazetteerError(
                f"frontline/data/places.tsv.gz has columns {header}, expected "
                f"{_PLACE_COLUMNS}; rebuild it with `python geodata/build.py`"
            )
        keys_text, _, rows_text = _read_gz("names.txt.gz", sha).partition("\n\f\n")
        keys = keys_text.split("\n")
        rows = rows_text.split("\n")
        if len(rows) != len(keys) + 1:  # the file ends with a newline
            raise GazetteerError(
                "frontline/data/names.txt.gz is corrupt (keys and rows "
                "differ in number); rebuild it with `python geodata/build.py`"
            )
        key_pos = dict(zip(keys, range(len(keys)), strict=True))
    finally:
        if enabled:
            gc.enable()
    return _Bundle(tuple(lines[1:-1]), tuple(keys), key_pos, tuple(rows), sha.hexdigest())


@lru_cache(maxsize=1)
def _forms() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(a written form per key, the alternate names of each place row) — read lazily.

    Tuples, not lists: a tuple of strings drops out of the garbage collector's view.
    """
    surface, _, alts = _read_gz("forms.txt.gz").partition("\n\f\n")
    return tuple(surface.split("\n")), tuple(alts.split("\n"))


_BUNDLED_PEOPLE: dict[str, dict[tuple[str, str], int]] = {}


def _bundled_people(bundle: _Bundle) -> dict[tuple[str, str], int]:
    """People living in the bundled towns, by (country code, admin1), once per bundle."""
    table = _BUNDLED_PEOPLE.get(bundle.digest)
    if table is None:
        table = {}
        for line in bundle.lines:
            if "\tcity\t" not in line:  # (a quick test first: most rows are no towns)
                continue
            # the columns of _PLACE_COLUMNS: kind, country_code, admin1 ... population
            # (the four after it are left unsplit: a third of the time)
            _, _, kind, cc, adm, _, _, _, pop, _ = line.split("\t", 9)
            if kind == "city" and adm:
                table[cc, adm] = table.get((cc, adm), 0) + int(pop)
        _BUNDLED_PEOPLE.clear()
        _BUNDLED_PEOPLE[bundle.digest] = table
    return table


def _parse_place(line: str) -> Place:
    pid, name, kind, cc, adm, adm_code, lat, lon, pop, src, adm2, adm2_code, fcode = line.split(
        "\t"
    )
    return Place(
        pid,
        name,
        kind,
        cc,
        adm,
        float(lat),
        float(lon),
        int(pop),
        adm_code,
        src,
        adm2,
        adm2_code,
        fcode,
    )


def _split_alts(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in re.split(r"[;|]", text) if a.strip())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalize_name(text)).strip("-") or "place"


def _read_user_file(path: Path) -> list[tuple[Place, tuple[str, ...]]]:
    """Read an analyst's CSV; every bad row is reported at once."""
    required = ("name", "latitude", "longitude", "kind", "country_code")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as err:
        raise GazetteerError(f"{path}: gazetteer file not found") from err
    except (OSError, UnicodeDecodeError) as err:
        raise GazetteerError(f"{path}: cannot read gazetteer file ({err})") from err
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    missing = [c for c in required if c not in columns]
    if missing:
        raise GazetteerError(
            f"{path}: missing column(s) {', '.join(missing)}; a gazetteer "
            f"CSV needs {', '.join(required)} (optional alt_names, admin1)"
        )
    places: list[tuple[Place, tuple[str, ...]]] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for rowno, raw in enumerate(reader, start=2):
        row = {
            (k or "").strip(): (v or "").strip()
            for k, v in raw.items()
            if isinstance(v, str) or v is None
        }
        where = f"{path}: row {rowno}"
        name = row.get("name", "")
        kind = row.get("kind", "").lower()
        cc = row.get("country_code", "").upper()
        bad = []
        if not normalize_name(name):
            bad.append("empty name")
        try:
            lat, lon = float(row.get("latitude", "")), float(row.get("longitude", ""))
            if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat + lon):
                bad.append(f"coordinates ({lat}, {lon}) out of range")
        except ValueError:
            bad.append(
                f"latitude/longitude {row.get('latitude')!r}, {row.get('longitude')!r} "
                "are not numbers"
            )
            lat = lon = 0.0
        if kind not in KINDS:
            bad.append(f"kind {kind!r} is not one of {', '.join(KINDS)}")
        if not re.fullmatch(r"[A-Z]{2}", cc):
            bad.append(f"country_code {cc!r} is not a two-letter ISO code")
        pop_text = row.get("population", "") or "0"
        try:
            pop = int(float(pop_text))
        except ValueError:
            bad.append(f"population {pop_text!r} is not a number")
            pop = 0
        if bad:
            problems.append(f"{where}: " + "; ".join(bad))
            continue
        pid = row.get("place_id") or f"user:{_slug(name)}"
        if pid in seen:
            seen[pid] += 1
            pid = f"{pid}-{seen[pid]}"
        else:
            seen[pid] = 1
        places.append(
            (
                Place(
                    pid,
                    name,
                    kind,
                    cc,
                    row.get("admin1", ""),
                    lat,
                    lon,
                    pop,
                    "",
                    f"user file {path.name}",
                ),
                _split_alts(row.get("alt_names", "")),
            )
        )
    if problems:
        head = "\n  ".join(problems[:20])
        more = f"\n  (+{len(problems) - 20} more)" if len(problems) > 20 else ""
        raise GazetteerError(f"{path}: {len(problems)} bad row(s):\n  {head}{more}")
    return places


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points (latitude first).

    Examples
    --------
    >>> round(distance_km(50.45, 30.52, 49.99, 36.23))  # Kyiv to Kharkiv
    409
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def nearest_km(lat: float, lon: float, points: Iterable[Sequence[float]]) -> float:
    """Kilometres from (*lat*, *lon*) to the nearest of *points* (each starting with its
    latitude and longitude), on a plane fitted at *lat*: within a few hundred kilometres as
    good as :func:`distance_km`, and cheap enough to run for every candidate of a name.
    ``inf`` when there are no points.

    Examples
    --------
    >>> kharkiv, bila_tserkva = (49.99, 36.23), (49.80, 30.11)
    >>> round(nearest_km(50.45, 30.52, [kharkiv, bila_tserkva]))  # from Kyiv
    78
    """
    k = math.cos(lat * 0.017453292519943295)
    d2 = math.inf
    for a in points:  # (a loop: a third of the time of min() over a generator)
        east = abs(lon - a[1])
        west = 360.0 - east  # the other way round the globe
        d = (lat - a[0]) ** 2 + (k * (west if west < east else east)) ** 2
        if d < d2:
            d2 = d
    return 111.2 * math.sqrt(d2)


# ---------------------------------------------------------------------- gazetteer


class Gazetteer:
    """An offline name index over places, with the map's geometry layers.

    Build it with :meth:`load`; it is read-only afterwards. The bundled rows become
    :class:`Place` objects only when a query reaches them.

    Examples
    --------
    >>> gaz = Gazetteer.load()
    >>> [p.country_code for p in gaz.lookup("Odessa", limit=2)]
    ['UA', 'US']
    >>> gaz.region_of(46.64, 32.61).name
    'Kherson Oblast'
    """

    def __init__(
        self,
        bundle: _Bundle,
        *,
        prior: Mapping[str, float],
        user: Sequence[tuple[Place, tuple[str, ...]]] = (),
        version: str = "",
    ) -> None:
        self._b = bundle
        self._prior = dict(prior)
        n = len(bundle.lines)
        self._cache: list[Place | None] = [None] * n
        self._user_alts: dict[int, tuple[str, ...]] = {}
        self._user_index: dict[str, list[tuple[int, bool]]] = {}
        self._user_surface: dict[str, str] = {}
        for offset, (place, alts) in enumerate(user):
            row = n + offset
            self._cache.append(place)
            self._user_alts[row] = alts
            for i, form in enumerate((place.name, *alts)):
                key = normalize_name(form)
                if key:
                    entries = self._user_index.setdefault(key, [])
                    if all(r != row for r, _ in entries):
                        entries.append((row, i == 0))
                    self._user_surface.setdefault(key, form)
        self._by_id: dict[str, int] | None = None
        self._masked: frozenset[int] = frozenset()
        if user:  # a user row with a bundled place_id replaces that place
            wanted = {p.place_id for p, _ in user}
            self._masked = frozenset(
                i for i, line in enumerate(bundle.lines) if line[: line.index("\t")] in wanted
            )
        self._ranked: dict[str, list[tuple[float, int]]] = {}
        self._ordered: dict[str, list[Place]] = {}
        self._bearers: dict[str, frozenset[str]] = {}
        self._people: dict[tuple[str, str], int] | None = None
        self.version = version

    # ----------------------------------------------------------------- building

    @classmethod
    def load(
        cls,
        extra: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
        *,
        prior: Mapping[str, float] | None = None,
    ) -> Gazetteer:
        """Load the bundled index, merged with an analyst's own CSV files.

        Parameters
        ----------
        extra : path or iterable of paths, optional
            CSV files with columns ``name, latitude, longitude, kind, country_code``
            and optional ``alt_names`` (separated by ``;`` or ``|``), ``admin1``,
            ``population``, ``place_id``. Their entries outrank bundled ones; a
            row whose ``place_id`` is a bundled id replaces that place.
        prior : mapping, optional
            Score added per ISO country code (default :data:`DEFAULT_PRIOR`:
            Ukraine first, then its neighbours).

        Returns
        -------
        Gazetteer
            Without *extra*, one shared instance per *prior* (it is read-only).

        Raises
        ------
        GazetteerError
            The bundled data is missing or a user file is unreadable; the message
            names the file and every bad row.

        Examples
        --------
        >>> Gazetteer.load(prior={"US": 5.0}).lookup("Odessa")[0].admin1
        'Texas'
        """
        bundle = _bundle()
        prior = DEFAULT_PRIOR if prior is None else prior
        if extra is None:
            paths: list[Path] = []
        elif isinstance(extra, (str, os.PathLike)):
            paths = [Path(extra)]
        else:
            paths = [Path(p) for p in extra]
        sha = hashlib.sha256(bundle.digest.encode())
        user: list[tuple[Place, tuple[str, ...]]] = []
        for path in paths:
            entries = _read_user_file(path)
            sha.update(path.read_bytes())
            user.extend(entries)
        if user:
            taken = set()
            for i, (place, alts) in enumerate(user):  # ids unique across user files
                pid, k = place.place_id, 1
                while pid in taken:
                    k += 1
                    pid = f"{place.place_id}-{k}"
                taken.add(pid)
                if pid != place.place_id:
                    user[i] = (replace(place, place_id=pid), alts)
        if not paths:
            return _shared(cls, tuple(sorted(prior.items())))
        return cls(bundle, prior=prior, user=user, version=sha.hexdigest()[:12])

    # ------------------------------------------------------------------ rows

    def _place(self, row: int) -> Place:
        place = self._cache[row]
        if place is None:
            place = self._cache[row] = _parse_place(self._b.lines[row])
        return place

    def _entries(self, key: str) -> list[tuple[int, float]]:
        """(row, name-match score) for every place called *key*."""
        out: list[tuple[int, float]] = []
        pos = self._b.key_pos.get(key)
        if pos is not None:
            for r in self._b.rows[pos].split(" "):
                if r[-1] == "*":
                    out.append((int(r[:-1]), _PRIMARY_BONUS))
                else:
                    out.append((int(r), 0.0))
            if self._masked:
                out = [e for e in out if e[0] not in self._masked]
        out.extend(
            (r, _PRIMARY_BONUS if prim else 0.0) for r, prim in self._user_index.get(key, ())
        )
        return out

    def _score(self, row: int, match: float) -> float:
        p = self._place(row)
        prior = self._prior.get(p.country_code, 0.0) + self._prior.get(p.admin1, 0.0)
        weight = 0.0 if p.feature_code in _SECTIONS else _KIND_WEIGHT.get(p.kind, 0.0)
        if p.kind == "region" and p.country_code and prior < _FAVOURED:
            weight = _FOREIGN_REGION_WEIGHT
        score = max(math.log10(p.population + 1), weight) + prior
        score += match
        if row >= len(self._b.lines):
            score += _USER_BONUS
        return score

    def _ranking(self, key: str) -> list[tuple[float, int]]:
        ranked = self._ranked.get(key)
        if ranked is None:
            best: dict[int, float] = {}
            for row, match in self._entries(key):
                s = self._score(row, match)
                if s > best.get(row, -math.inf):
                    best[row] = s
            ranked = sorted(
                ((s, r) for r, s in best.items()), key=lambda t: (-t[0], self._place(t[1]).place_id)
            )
            self._ranked[key] = ranked
        return ranked

    # ------------------------------------------------------------------ queries

    def __len__(self) -> int:
        return len(self._cache)

    def __repr__(self) -> str:
        return f"<Gazetteer {len(self)} places, {self.version}>"

    def __iter__(self) -> Iterator[Place]:
        return (self._place(r) for r in range(len(self._cache)))

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._ids()

    def keys(self) -> Iterable[str]:
        """Every normalized name in the index (for an Aho–Corasick automaton).

        Examples
        --------
        >>> normalize_name("Kyiv") in Gazetteer.load().keys()
        True
        """
        if not self._user_index:
            return self._b.key_pos.keys()
        return self._b.key_pos.keys() | self._user_index.keys()

    def own_keys(
        self, country_code: str, kind: str, regions: Iterable[str] | None = None
    ) -> list[str]:
        """The normalized own names of the bundled places of *kind* in *country_code*
        (and, given *regions*, in one of those first-level regions), read from the index
        without making a Place of every row.

        Examples
        --------
        >>> keys = Gazetteer.load().own_keys("UA", "city")
        >>> [normalize_name(n) in keys for n in ("Popasna", "Kyiv", "Paris")]
        [True, True, False]
        >>> kursk = Gazetteer.load().own_keys("RU", "city", ["Kursk Oblast"])
        >>> [normalize_name(n) in kursk for n in ("Sudzha", "Belgorod")]
        [True, False]
        """
        # the kind, country and region columns of a row
        base = f"\t{kind}\t{country_code}\t"
        tags = [base] if regions is None else [f"{base}{r}\t" for r in regions]
        # Those places' rows as a key's list writes its own names ("12*"): a key is kept
        # when its list shares one (a set test in C per key, no row parsed: 6x faster).
        own = {
            f"{i}*"
            for i, line in enumerate(self._b.lines)
            if base in line and any(t in line for t in tags)
        }
        return [
            key
            for key, rows in zip(self._b.keys, self._b.rows, strict=False)
            if "*" in rows and not own.isdisjoint(rows.split(" "))
        ]

    def surface_forms(self) -> Iterator[tuple[str, str]]:
        """Yield ``(surface, key)``: a written form for each normalized name.

        Examples
        --------
        >>> dict((k, s) for s, k in Gazetteer.load().surface_forms())[normalize_name("Kyiv")]
        'Kyiv'
        """
        surface, _ = _forms()
        yield from zip(surface, self._b.keys, strict=True)
        for key, form in self._user_surface.items():
            if key not in self._b.key_pos:
                yield form, key

    def names_of(self, place_id: str) -> list[str]:
        """A place's own name, then its other spellings.

        Examples
        --------
        >>> "Artemivsk" in Gazetteer.load().names_of("geonames:713174")
        True
        """
        row = self._row(place_id)
        if row >= len(self._b.lines):
            alts: tuple[str, ...] | list[str] = self._user_alts.get(row, ())
        else:
            text = _forms()[1][row]
            alts = text.split("|") if text else []
        return [self._place(row).name, *alts]

    def candidates(self, key: str) -> list[Place]:
        """Every place whose normalized name equals *key*, best prior first.

        The geoparser's hot path: a dictionary look-up, cached per key. Do not
        modify the returned list.

        Examples
        --------
        >>> gaz = Gazetteer.load()
        >>> gaz.candidates(normalize_name("Avdiivka"))[0].admin1
        'Donetsk Oblast'
        >>> gaz.candidates("no such key")
        []
        """
        out = self._ordered.get(key)
        if out is None:
            out = self._ordered[key] = [self._place(r) for _, r in self._ranking(key)]
        return out

    def bearers(self, key: str) -> frozenset[str]:
        """The ids of the places whose own name *key* is: its official name, GeoNames'
        name for it, or a former official name (not one of its alternate spellings).

        Cached per key, as :meth:`candidates` is.

        Examples
        --------
        >>> gaz = Gazetteer.load()
        >>> sokolohirsk = gaz.resolve("Sokolohirsk").place_id
        >>> sokolohirsk in gaz.bearers(normalize_name("Pervomaisk"))  # until 2024
        True
        >>> sokolohirsk in gaz.bearers(normalize_name("Pervomaysk"))  # a spelling of it
        True
        >>> gaz.resolve("Vinnytsia").place_id in gaz.bearers(normalize_name("Vinnitsa"))
        False
        """
        out = self._bearers.get(key)
        if out is None:
            out = self._bearers[key] = frozenset(
                self._place(row).place_id for row, match in self._entries(key) if match
            )
        return out

    def lookup(
        self,
        name: str,
        *,
        kind: str | Iterable[str] | None = None,
        country: str | None = None,
        near: LatLon | None = None,
        limit: int = 10,
    ) -> list[Place]:
        """Places called *name*, best first.

        Ranking adds the domain prior (by country), the place's weight (log10 of its
        population, or a stand-in for countries, regions, rivers...), and a bonus when
        *name* is the place's own name rather than an alternate; *near* subtracts a
        distance penalty. A leading "the" is ignored when nothing matches with it.

        Parameters
        ----------
        name : str
            Any spelling, Latin or Cyrillic.
        kind : str or iterable of str, optional
            Keep only these kinds (see :data:`KINDS`).
        country : str, optional
            Keep only this ISO 3166-1 alpha-2 country.
        near : (lat, lon), optional
            Favour candidates close to this point.
        limit : int
            At most this many places.

        Returns
        -------
        list of Place
            Empty when nothing matches.

        Raises
        ------
        GazetteerError
            *kind* is not one of :data:`KINDS`.

        Examples
        --------
        >>> gaz = Gazetteer.load()
        >>> gaz.lookup("Kherson region")[0].kind
        'region'
        >>> gaz.lookup("Nikopol", near=(48.9, 37.1))[0].admin1
        'Kharkiv Oblast'
        """
        kinds: frozenset[str] | None = None
        if kind is not None:
            kinds = frozenset([kind] if isinstance(kind, str) else kind)
            if not kinds <= _KIND_SET:
                raise GazetteerError(
                    f"unknown kind(s) {', '.join(sorted(kinds - _KIND_SET))}; "
                    f"use one of {', '.join(KINDS)}"
                )
        key = normalize_name(name)
        if key not in self._ranked and key not in self._b.key_pos and key not in self._user_index:
            key = _strip_article(key)
        if kinds is None and country is None and near is None:
            return self.candidates(key)[:limit]
        cc = country.upper() if country else None
        places = [
            p
            for p in self.candidates(key)
            if (kinds is None or p.kind in kinds) and (cc is None or p.country_code == cc)
        ]
        if near is None:
            return places[:limit]
        lat0, lon0 = near
        scores = {r: s for s, r in self._ranking(key)}
        ids = self._ids()
        scored = sorted(
            (
                (
                    scores[ids[p.place_id]]
                    - 2.0 * math.log10(1.0 + distance_km(lat0, lon0, p.latitude, p.longitude) / 10),
                    p.place_id,
                    p,
                )
                for p in places
            ),
            key=lambda t: (-t[0], t[1]),
        )
        return [p for _, _, p in scored[:limit]]

    def population_by_region(self) -> dict[tuple[str, str], int]:
        """People living in the towns of each (country code, admin1), cached.

        Every row counts, the bundled ones read from their text (building a Place for
        each of the ~50,000 rows took 0.16 s and kept them all in memory, where every
        full garbage collection walked them). The geoparser weighs regions by it. Do
        not modify the returned table.

        Examples
        --------
        >>> people = Gazetteer.load().population_by_region()
        >>> people[("UA", "Kyiv City")] > 2_000_000
        True
        """
        if self._people is None:
            table = dict(_bundled_people(self._b))
            for place in self._cache[len(self._b.lines) :]:  # the analyst's own rows
                if place is not None and place.kind == "city" and place.admin1:
                    key = (place.country_code, place.admin1)
                    table[key] = table.get(key, 0) + place.population
            self._people = table
        return self._people

    def _ids(self) -> dict[str, int]:
        if self._by_id is None:
            ids = [line[: line.index("\t")] for line in self._b.lines]
            ids.extend(p.place_id for p in self._cache[len(self._b.lines) :] if p is not None)
            self._by_id = dict(zip(ids, range(len(ids)), strict=True))
        return self._by_id

    def _row(self, place_id: str) -> int:
        row = self._ids().get(place_id)
        if row is None:
            raise UnknownPlaceError(place_id, self.suggest(place_id.split(":")[-1]))
        return row

    def get(self, place_id: str) -> Place:
        """The place with this id.

        Raises
        ------
        UnknownPlaceError
            No place has this id.

        Examples
        --------
        >>> Gazetteer.load().get("ne:country:UA").name
        'Ukraine'
        """
        return self._place(self._row(place_id))

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """The closest known spellings of *name*, for "no place named X" messages.

        Examples
        --------
        >>> "Bakhmut" in Gazetteer.load().suggest("Bakhmutt")
        True
        """
        key = normalize_name(name)
        if not key:
            return []
        pool = [k for k in self.keys() if k[:1] == key[:1] and abs(len(k) - len(key)) <= 3]
        close = difflib.get_close_matches(key, pool, n=n * 3, cutoff=0.7)
        surface = dict(zip(self._b.keys, _forms()[0], strict=True))
        surface.update((k, f) for k, f in self._user_surface.items() if k not in surface)
        out: list[str] = []
        for k in close:  # one suggestion per place: its own name
            best = self.candidates(k)
            form = best[0].name if best else surface[k]
            if form not in out:
                out.append(form)
            if len(out) >= n:
                break
        return out

    def resolve(self, name: str, **options: Any) -> Place:
        """The best place for *name*, or :class:`UnknownPlaceError` with suggestions.

        Takes the keyword options of :meth:`lookup`.

        Examples
        --------
        >>> Gazetteer.load().resolve("Kiev").name
        'Kyiv'
        """
        found = self.lookup(name, **options, limit=1)
        if not found:
            raise UnknownPlaceError(name, self.suggest(name))
        return found[0]

    # ----------------------------------------------------------------- geometry

    def layer(self, name: str) -> geopandas.GeoDataFrame:
        """A map layer as a GeoDataFrame in EPSG:4326.

        Parameters
        ----------
        name : {"countries", "regions", "rivers", "water"}
            Countries (Crimea drawn as Ukraine); oblasts of Ukraine and the bordering
            Russian regions; rivers as lines (the Dnieper continuous through its
            reservoirs); river and reservoir water areas of the lower Dnieper.

        Returns
        -------
        geopandas.GeoDataFrame
            Columns ``place_id, name, kind, geometry`` (and ``country_code``).

        Examples
        --------
        >>> rivers = Gazetteer.load().layer("rivers")
        >>> "Dnieper" in set(rivers["name"]), rivers.crs.to_epsg()
        (True, 4326)
        """
        if name not in _LAYER_FILES:
            raise GazetteerError(f"unknown layer {name!r}; use one of {', '.join(LAYERS)}")
        return _read_layer(_LAYER_FILES[name]).copy()

    def geometry(self, place_id: str) -> shapely.Geometry | None:
        """The shape of a place (polygon, line) where one exists, else its point.

        Raises
        ------
        UnknownPlaceError
            No place has this id.

        Examples
        --------
        >>> Gazetteer.load().geometry("ne:river:dnieper").geom_type
        'MultiLineString'
        """
        place = self.get(place_id)
        # The last file that has a shape of the id gives it; a file is read when first
        # needed (a river's line costs the two small water layers, not the countries).
        for filename in reversed(_SHAPE_FILES):
            shapes = _shapes_in(filename)
            if place_id in shapes:
                return shapes[place_id]
        from shapely.geometry import Point

        return Point(place.longitude, place.latitude)  # shapely order is (lon, lat)

    def region_of(self, lat: float, lon: float) -> Place | None:
        """The first-level region (oblast...) containing a point, or None.

        Covers Ukraine, Russia, Belarus and Moldova; a point just off a generalized
        coastline (within ~5 km) counts as inside the nearest region.

        Examples
        --------
        >>> Gazetteer.load().region_of(48.59, 38.0).admin1_code
        '05'
        >>> Gazetteer.load().region_of(0.0, 0.0) is None
        True
        """
        from shapely import Point

        tree, ids = _region_tree()
        pt = Point(lon, lat)  # shapely order is (lon, lat)
        hits = tree.query(pt, predicate="intersects")
        if len(hits) == 0:
            nearest = tree.query_nearest(pt, max_distance=0.05)
            if len(nearest) == 0:
                return None
            hits = nearest
        pid = ids[int(min(hits))]
        return self.get(pid) if pid in self else None


@lru_cache(maxsize=8)
def _shared(cls: type[Gazetteer], prior: tuple[tuple[str, float], ...]) -> Gazetteer:
    """One read-only Gazetteer per prior over the bundled data, shared by the process."""
    bundle = _bundle()
    return cls(bundle, prior=dict(prior), version=bundle.digest[:12])


@cache
def _read_features(filename: str) -> tuple[list[dict[str, Any]], list[Any]]:
    """(properties, shapely geometries) of a bundled GeoJSON file; no geopandas needed."""
    from shapely.geometry import shape

    try:
        data = json.loads(_data_path(filename).read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise GazetteerError(
            f"bundled layer frontline/data/{filename} is missing; rebuild "
            "it with `python geodata/build.py`"
        ) from err
    features = data["features"]
    return [f["properties"] for f in features], [shape(f["geometry"]) for f in features]


@cache
def _read_layer(filename: str) -> geopandas.GeoDataFrame:
    import geopandas

    props, geoms = _read_features(filename)
    return geopandas.GeoDataFrame([dict(p) for p in props], geometry=list(geoms), crs="EPSG:4326")


#: The files of the places' shapes; where two hold a shape of one id, the later one's is
#: the place's.
_SHAPE_FILES = (
    _REGION_FILE,
    _LAYER_FILES["countries"],
    _LAYER_FILES["rivers"],
    _LAYER_FILES["water"],
)


@cache
def _shapes_in(filename: str) -> dict[str, Any]:
    """The shapes of one of :data:`_SHAPE_FILES` by place id."""
    props, geoms = _read_features(filename)
    return {p["place_id"]: g for p, g in zip(props, geoms, strict=True)}


@lru_cache(maxsize=1)
def _region_tree() -> tuple[Any, list[str]]:
    from shapely import STRtree, prepare

    props, geoms = _read_features(_REGION_FILE)
    for g in geoms:
        prepare(g)
    return STRtree(geoms), [p["place_id"] for p in props]
