"""ACLED's conventions: event types, actors, casualties and an ACLED-shaped export.

Analysts merge Frontline's table with ACLED data, so every event also carries ACLED's
reading of the same act (columns documented in :mod:`frontline.event_schema`):

- :func:`acled_types` maps our ``(event_type, sub_event_type)`` to ACLED's event type
  and sub-event type (ACLED codebook: Battles, Explosions/Remote violence, Violence
  against civilians, Strategic developments; statements are not ACLED events);
- :func:`read_casualties` reads the fatalities and injured a sentence reports ("at
  least 40 people were killed" gives 40) and keeps the words;
- :func:`read_actors` names who acted where the text says so (ACLED's actor names:
  "Military Forces of Russia (2000-)", "Military Forces of Ukraine (2019-)",
  "Civilians (Ukraine)");
- :func:`write_acled_csv` writes events with ACLED's column names in ACLED's order
  (``frontline events ... -o events.acled.csv``).

Everything here reads one sentence at a time, with bounded patterns: linear in the text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from .event_schema import Event
from .patterns import Gated

__all__ = [
    "ACLED_COLUMNS",
    "RUSSIA",
    "UKRAINE",
    "Casualties",
    "AcledReading",
    "acled_types",
    "read_casualties",
    "read_actors",
    "civilians_of",
    "read_acled",
    "acled_rows",
    "write_acled_csv",
]

#: ACLED's actor names for the two armies.
RUSSIA = "Military Forces of Russia (2000-)"
UKRAINE = "Military Forces of Ukraine (2019-)"

#: ACLED's export columns, in ACLED's order (the layout since its 2023 column changes).
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

_BATTLES = "Battles"
_REMOTE = "Explosions/Remote violence"
_VAC = "Violence against civilians"
_STRATEGIC = "Strategic developments"

# (our type, our sub-type or "" for any) -> (ACLED event type, ACLED sub-event type)
_TYPES: dict[tuple[str, str], tuple[str, str]] = {
    ("shelling", ""): (_REMOTE, "Shelling/artillery/missile attack"),
    ("missile_strike", ""): (_REMOTE, "Shelling/artillery/missile attack"),
    ("air_drone_strike", ""): (_REMOTE, "Air/drone strike"),
    ("armed_clash", ""): (_BATTLES, "Armed clash"),
    ("territory_change", "withdrawal"): (_STRATEGIC, "Non-violent transfer of territory"),
    ("territory_change", "transfer"): (_STRATEGIC, "Non-violent transfer of territory"),
    ("civilian_harm", "abduction"): (_VAC, "Abduction/forced disappearance"),
    ("civilian_harm", "sexual_violence"): (_VAC, "Sexual violence"),
    ("civilian_harm", "killing"): (_VAC, "Attack"),
    ("civilian_harm", "ill_treatment"): (_VAC, "Attack"),
    # Casualties of unknown means in this war are nearly always from remote weapons.
    ("civilian_harm", ""): (_REMOTE, "Shelling/artillery/missile attack"),
    ("evacuation", ""): (_STRATEGIC, "Other"),
    ("infrastructure", ""): (_STRATEGIC, "Other"),
    ("other", "remote_explosive"): (_REMOTE, "Remote explosive/landmine/IED"),
    ("other", "explosion"): (_REMOTE, "Remote explosive/landmine/IED"),
    ("other", "grenade"): (_REMOTE, "Grenade"),
    ("other", "suicide_bomb"): (_REMOTE, "Suicide bomb"),
    ("other", "chemical_weapon"): (_REMOTE, "Chemical weapon"),
    ("other", "arrest"): (_STRATEGIC, "Arrests"),
    ("other", "base_established"): (_STRATEGIC, "Headquarters or base established"),
    ("other", "seizure"): (_STRATEGIC, "Looting/property destruction"),
    ("other", "group_activity"): (_STRATEGIC, "Change to group/activity"),
    ("other", ""): (_STRATEGIC, "Other"),
    ("statement", "agreement"): (_STRATEGIC, "Agreement"),
}


def acled_types(
    event_type: str, sub_event_type: str, actor1: str = "", country_code: str = ""
) -> tuple[str, str]:
    """ACLED's event type and sub-event type for one of ours; ``("", "")`` if ACLED
    codes no event (a statement, a visit).

    A territory change is "Government regains territory" when the state's own army
    takes ground back in its country (Ukraine's in Ukraine, Russia's in Russia), and
    "Non-state actor overtakes territory" when another force takes it (ACLED's two
    sub-events for a change of control won by fighting).

    Examples
    --------
    >>> acled_types("air_drone_strike", "drone")
    ('Explosions/Remote violence', 'Air/drone strike')
    >>> acled_types("territory_change", "liberation", UKRAINE, "UA")
    ('Battles', 'Government regains territory')
    >>> acled_types("territory_change", "capture", RUSSIA, "UA")
    ('Battles', 'Non-state actor overtakes territory')
    >>> acled_types("statement", "visit")
    ('', '')
    """
    if event_type == "territory_change" and sub_event_type not in ("withdrawal", "transfer"):
        own = {"UA": UKRAINE, "RU": RUSSIA}.get(country_code)
        regains = (actor1 == own) if actor1 else sub_event_type == "liberation"
        return _BATTLES, (
            "Government regains territory" if regains else "Non-state actor overtakes territory"
        )
    found = _TYPES.get((event_type, sub_event_type)) or _TYPES.get((event_type, ""))
    return found or ("", "")


# ---------------------------------------------------------------------------------------
# Casualties
# ---------------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "dozens": 24,
    "dozen": 12,
    "a dozen": 12,
}
_QUANT = (
    r"(?:(?:at\s+least|more\s+than|over|some|about|around|nearly|almost|up\s+to|"
    r"another)\s+)?"
)
_COUNT = (
    r"(?P<n>\d{1,5}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|"
    r"forty|fifty|dozens|a\s+dozen)"
)
_WHO = (
    r"(?:\s+(?:[\w-]+\s+){0,2}?(?:people|persons|civilians|residents|children|"
    r"women|men|soldiers|servicemen|villagers|passengers|workers|others?|"
    r"[\w-]+-year-old\s+\w+))?"
)
_DEAD = r"(?P<dead>killed|dead|died|deaths|lost\s+their\s+lives|fatalities|perished)"
_HURT = r"(?P<hurt>injured|wounded|hurt|injuries|casualties)"
# "24 people have been injured", "at least 40 people were killed", "two dead"
_N_THEN_WORD = re.compile(
    rf"(?<![\w-]){_QUANT}{_COUNT}{_WHO}\s+(?:(?!and\s|or\s)\w+\s+){{0,4}}?(?:{_DEAD}|{_HURT})"
    r"(?![\w-])",
    re.IGNORECASE,
)
# "a 68-year-old man in Kherson was killed": one person.
_ONE_PERSON = re.compile(
    rf"(?<![\w-])(?P<n>an?)\s+(?:[\w-]+\s+)?(?:man|woman|boy|girl|child|person|resident|"
    rf"civilian|soldier|pensioner|driver|volunteer)\s+(?:(?!and\s|or\s)[\w-]+\s+){{0,4}}?"
    rf"(?:was\s+|has\s+been\s+)(?:{_DEAD}|{_HURT})(?![\w-])",
    re.IGNORECASE,
)
# "killing 40", "injuring at least seven people", "the death toll rose to 24"
_WORD_THEN_N = re.compile(
    rf"(?<![\w-])(?:(?P<dead>killing|killed|death\s+toll\s+(?:\w+\s+){{0,4}}?(?:to|at|of))"
    rf"|(?P<hurt>injuring|wounding|injured|wounded))\s+{_QUANT}{_COUNT}(?![\w-])"
    r"(?!\s*(?:%|per\s*cent|percent|km|kilomet))",
    re.IGNORECASE,
)
# "and six wounded": a count after "and" shares the first one's verb phrase.
_AND_N = re.compile(
    rf"^\s*,?\s*and\s+{_QUANT}{_COUNT}{_WHO}\s+(?:{_DEAD}|{_HURT})(?![\w-])", re.IGNORECASE
)


class Casualties(NamedTuple):
    """What a sentence says of the dead and hurt: counts and the words they come from."""

    fatalities: int = 0
    injured: int = 0
    phrase: str = ""


def read_casualties(sentence: str) -> Casualties:
    """The fatalities and injured *sentence* reports, with the words ("at least 40"
    gives 40; vague counts such as "dozens" give their least reading).

    Examples
    --------
    >>> read_casualties("A missile strike killed at least 40 people and injured 12.")
    Casualties(fatalities=40, injured=12, phrase='killed at least 40; injured 12')
    >>> read_casualties("Two people were killed and six wounded in Russian shelling.")
    Casualties(fatalities=2, injured=6, phrase='Two people were killed; six wounded')
    >>> read_casualties("The town was shelled overnight.")
    Casualties(fatalities=0, injured=0, phrase='')
    """
    text = sentence[:3000]
    if _MAY_HOLD_GATED.search(text) is None:
        return Casualties()  # most sentences
    dead = hurt = 0
    phrases: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], start: int, end: int) -> None:
        nonlocal dead, hurt
        if any(s < end and start < e for s, e in taken):
            return
        n = _count(m["n"])
        if n is None:
            return
        taken.append((start, end))
        phrases.append((start, " ".join(text[start:end].split())))
        if m["dead"]:
            dead += n
        else:
            hurt += n

    for pattern in (_WORD_THEN_N, _N_THEN_WORD, _ONE_PERSON):
        for m in pattern.finditer(text):
            add(m, m.start(), m.end())
    for _start, e in list(taken):
        m = _AND_N.match(text, e)
        if m:
            add(m, m.start() + len(m.group()) - len(m.group().lstrip(" ,")) + 4, m.end())
    phrases.sort()
    return Casualties(dead, hurt, "; ".join(p for _, p in phrases))


_MAY_HOLD = re.compile(
    r"kill|dead|die|death|injur|wound|hurt|casualt|lives|fatalit|perish", re.IGNORECASE
)
# (a case-insensitive search tries every word at every offset; the gate finds the words
# in one pass over the lower case)
_MAY_HOLD_GATED = Gated(_MAY_HOLD)


def _count(token: str) -> int | None:
    t = " ".join(token.lower().split())
    if t.isdigit():
        n = int(t)
        return n if n < 100_000 else None
    return _NUMBER_WORDS.get(t)


# ---------------------------------------------------------------------------------------
# Actors
# ---------------------------------------------------------------------------------------

# A side named as the one acting, not as a speaker ("Russia's defence ministry said").
_SIDE = re.compile(
    r"(?<![\w-])(?:(?P<ru>Russian|Russia['’]s|Russia|Moscow['’]s|occupiers|occupation\s+forces|"
    r"occupying\s+forces|invaders|enemy|Wagner)|(?P<ua>Ukrainian|Ukraine['’]s|Ukraine|Kyiv['’]s|"
    r"AFU|ZSU))(?![\w-])(?=(?P<after>[^.;:]{0,40}))",
    re.IGNORECASE,
)
_SIDE_GATED = Gated(_SIDE)
_SPEAKER_AFTER = re.compile(
    r"^\s+(?:(?:top|chief|senior|most\s+senior)\s+)?"
    r"(?:defen[cs]e\s+ministry|ministry|mod|officials?|authorities|governor|generals?|"
    r"investigators?|prosecutors?|emergency\s+(?:services|ministry)|commander\S*|"
    r"president|foreign|general\s+staff|media|sources|bloggers|said|says|claimed|"
    r"military\s+(?:said|says|claimed)|state\s+media|news|air\s+force\s+said)",
    re.IGNORECASE,
)
# A speaker's own side acting: "Ukraine's commander-in-chief said his troops had taken".
_OWN_FORCES = re.compile(
    r"\b(?:his|her|its|their|our)\s+(?:own\s+)?(?:troops|forces|units|army|soldiers|men|"
    r"fighters|marines|brigades?|drones|military)\b",
    re.IGNORECASE,
)
# "shot down over Russia", "in Ukraine": a side named as a place, not as an actor.
_PLACE_BEFORE = re.compile(r"(?:in|over|across|into|of|from|at|near|on)\s+$", re.IGNORECASE)
_ACTOR_CUE = re.compile(
    r"^\s+(?:forces|troops|army|military|armed\s+forces|soldiers|units|artillery|shelling|"
    r"drones?|missiles?|strikes?|attacks?|aircraft|aviation|air\s+force|jets|bombers|"
    r"troops|marines|paratroopers|assault|offensive|fire|servicemen|navy)\b",
    re.IGNORECASE,
)
_CIVILIAN_WORDS = re.compile(
    r"(?<![\w-])(?:civilians?|residents|villagers|children|passengers|pensioners|"
    r"residential|apartment|homes?|houses?|hospitals?|schools?|kindergartens?|markets?|"
    r"shops?|evacuation\s+buses|cars?|bus(?:es)?|\d+-year-old|people|man|woman|"
    r"girl|boy)(?![\w-])",
    re.IGNORECASE,
)
_CIVILIAN_GATED = Gated(_CIVILIAN_WORDS)


def read_actors(sentence: str) -> str:
    """The side the sentence names as acting: :data:`RUSSIA`, :data:`UKRAINE` or "".

    The first side named as an army or a weapon's owner ("Russian forces", "Ukrainian
    drones", "the occupiers", "the enemy") wins; a side named as a speaker ("Russia's
    defence ministry said") or as a place ("over Russia") is skipped.

    Examples
    --------
    >>> read_actors("Russia's defence ministry said Ukrainian drones hit Kursk.")
    'Military Forces of Ukraine (2019-)'
    >>> read_actors("The occupiers shelled Nikopol overnight.")
    'Military Forces of Russia (2000-)'
    >>> read_actors("Six drones were shot down over Russia.")
    ''
    >>> read_actors("Ukraine's top general said his troops took the largest Russian town.")
    'Military Forces of Ukraine (2019-)'
    """
    text = sentence[:3000]
    fallback = ""
    for m in _SIDE_GATED.finditer(text):
        after = m["after"]
        word = m.group(m.lastgroup if m.lastgroup in ("ru", "ua") else 0)
        side = RUSSIA if m["ru"] else UKRAINE
        if _SPEAKER_AFTER.match(after):
            if _OWN_FORCES.search(text, m.end()):
                return side  # "Ukraine's commander said his troops took Sudzha"
            continue
        if word.lower() in ("russia", "ukraine") and _PLACE_BEFORE.search(
            text[max(0, m.start() - 12) : m.start()]
        ):
            continue
        low = word.lower()
        if (
            low in ("occupiers", "invaders", "enemy", "wagner", "afu", "zsu")
            or low.startswith(("occupation", "occupying"))
            or _ACTOR_CUE.match(after)
        ):
            return side
        if low in ("russian", "ukrainian") and not fallback:
            fallback = side  # "Russian shelling" is caught above; "Russian" alone is weak
    return fallback


def civilians_of(sentence: str, event_type: str, sub_event_type: str) -> bool:
    """Whether civilians were the target (ACLED's ``civilian_targeting``): violence
    against civilians, or remote violence that the sentence says hit civilians or
    their homes.

    Examples
    --------
    >>> civilians_of("A missile hit an apartment block.", "missile_strike", "missile")
    True
    >>> civilians_of("Drones hit an oil depot.", "air_drone_strike", "drone")
    False
    """
    if event_type == "civilian_harm" and sub_event_type != "casualties":
        return True
    if event_type not in ("shelling", "missile_strike", "air_drone_strike", "civilian_harm"):
        return False
    return _CIVILIAN_GATED.search(sentence[:3000]) is not None


class AcledReading(NamedTuple):
    """ACLED's reading of one event: the values of the schema's ACLED columns."""

    event_type: str
    sub_event_type: str
    actor1: str
    actor2: str
    civilian_targeting: bool
    casualties: Casualties


def read_acled(
    sentence: str, event_type: str, sub_event_type: str, country_code: str
) -> AcledReading:
    """ACLED's reading of the event of type *event_type* that *sentence* reports at a
    place in *country_code*: types, actors, civilian targeting and casualties.

    ``actor2`` is the civilians of the place's country when civilians were targeted,
    the other army in a battle, and empty otherwise.

    Examples
    --------
    >>> r = read_acled("Russian shelling killed two residents of Nikopol.", "shelling",
    ...                "artillery", "UA")
    >>> r.actor1, r.actor2, r.civilian_targeting, r.casualties.fatalities
    ('Military Forces of Russia (2000-)', 'Civilians (Ukraine)', True, 2)
    """
    # A statement or a visit is no act of an army: "Zelensky visited Izium, days after
    # Russian forces abandoned it" names the side that left, not who came.
    actor1 = "" if event_type == "statement" else read_actors(sentence)
    kind, sub = acled_types(event_type, sub_event_type, actor1, country_code)
    civilian = bool(kind) and civilians_of(sentence, event_type, sub_event_type)
    actor2 = ""
    if civilian:
        country = _COUNTRIES.get(country_code, ("", "", ""))[1]
        actor2 = f"Civilians ({country})" if country else "Civilians"
    elif kind == _BATTLES and actor1:
        actor2 = UKRAINE if actor1 == RUSSIA else RUSSIA
    return AcledReading(kind, sub, actor1, actor2, civilian, read_casualties(sentence))


# ---------------------------------------------------------------------------------------
# The ACLED-shaped export
# ---------------------------------------------------------------------------------------

# ISO 3166 numeric code, ACLED country name and ACLED region, by ISO alpha-2 code.
_COUNTRIES = {
    "UA": (804, "Ukraine", "Europe"),
    "RU": (643, "Russia", "Europe"),
    "BY": (112, "Belarus", "Europe"),
    "MD": (498, "Moldova", "Europe"),
    "PL": (616, "Poland", "Europe"),
    "RO": (642, "Romania", "Europe"),
    "GE": (268, "Georgia", "Caucasus and Central Asia"),
}
_ISO3 = {"UA": "UKR", "RU": "RUS", "BY": "BLR", "MD": "MDA", "PL": "POL", "RO": "ROU", "GE": "GEO"}


def _inter(actor: str) -> str:
    if actor.startswith("Military Forces of"):
        return "State forces"
    return "Civilians" if actor.startswith("Civilians") else ""


def acled_rows(events: Iterable[Event]) -> list[dict[str, object]]:
    """One ACLED-shaped row (a dict of :data:`ACLED_COLUMNS`) per event ACLED would
    code: statements and visits, which ACLED does not code, are left out.

    ``notes`` holds the quote and the reported casualties; ``source`` the reports;
    ``timestamp`` is the publication day (ACLED's is its upload time).

    Examples
    --------
    >>> e = Event("e1", "2024-01-02", 1, "p:1", "Kyiv", "city", "Kyiv City", "UA",
    ...           50.45, 30.52, 1, "missile_strike", "missile", "a", "T", "Wire", "", "",
    ...           "Missiles hit Kyiv.", 0.9, acled_event_type="Explosions/Remote violence",
    ...           acled_sub_event_type="Shelling/artillery/missile attack", actor1=RUSSIA,
    ...           fatalities=2, injured=5, casualties="two killed; five injured")
    >>> row = acled_rows([e])[0]
    >>> row["event_id_cnty"], row["country"], row["fatalities"], row["interaction"]
    ('UKRe1', 'Ukraine', 2, 'State forces only')
    """
    rows: list[dict[str, object]] = []
    for e in events:
        if not e.acled_event_type:
            continue
        iso, country, region = _COUNTRIES.get(e.country_code, ("", "", ""))
        inter1, inter2 = _inter(e.actor1), _inter(e.actor2)
        interaction = (
            f"{inter1}-{inter2}"
            if inter1 and inter2
            else f"{inter1 or inter2} only"
            if inter1 or inter2
            else ""
        )
        notes = e.quote + (f" [injured: {e.injured}]" if e.injured else "")
        if e.casualties:
            notes += f" [casualties: {e.casualties}]"
        published = e.published or e.date
        try:
            stamp = (
                int(dt.datetime.fromisoformat(published).replace(tzinfo=dt.UTC).timestamp())
                if published
                else ""
            )
        except ValueError:
            stamp = ""
        rows.append(
            {
                "event_id_cnty": f"{_ISO3.get(e.country_code, e.country_code)}{e.event_id}",
                "event_date": e.date,
                "year": e.date[:4],
                "time_precision": e.time_precision,
                "disorder_type": (
                    "Strategic developments"
                    if e.acled_event_type == "Strategic developments"
                    else "Political violence"
                ),
                "event_type": e.acled_event_type,
                "sub_event_type": e.acled_sub_event_type,
                "actor1": e.actor1,
                "assoc_actor_1": "",
                "inter1": inter1,
                "actor2": e.actor2,
                "assoc_actor_2": "",
                "inter2": inter2,
                "interaction": interaction,
                "civilian_targeting": "Civilian targeting" if e.civilian_targeting else "",
                "iso": iso,
                "region": region,
                "country": country,
                "admin1": e.admin1,
                "admin2": "",
                "admin3": "",
                "location": e.place,
                "latitude": e.latitude,
                "longitude": e.longitude,
                "geo_precision": e.geo_precision,
                "source": e.sources or e.source,
                "source_scale": "",
                "notes": notes,
                "fatalities": e.fatalities,
                "tags": "",
                "timestamp": stamp,
            }
        )
    return rows


def write_acled_csv(path: str | Path, events: Iterable[Event]) -> Path:
    """Write *events* as an ACLED-shaped CSV (:data:`ACLED_COLUMNS`), atomically.

    Text cells a spreadsheet would run as a formula get a leading apostrophe, as in
    the event table's own CSV.
    """
    import csv

    from .outputs import atomic_write

    path = Path(path)
    rows = acled_rows(events)
    with atomic_write(path, newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(ACLED_COLUMNS)
        for row in rows:
            w.writerow([_safe(row[c]) for c in ACLED_COLUMNS])
    return path


_FORMULA = re.compile(r"^[=+\-@\t\r]")


def _safe(value: object) -> object:
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value
