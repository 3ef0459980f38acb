"""Resolution: which place each recognized name stands for, and whether literally.

Each candidate place is scored by what a careful reader uses (the weights are in
:mod:`frontline.geoparse.weights`): feature words around the mention, the domain
prior, the container named right after a comma ("Victoria, Canada") or in the same
sentence ("in Russia's Belgorod region"), the region named anywhere in the text ("Lima
... Ohio"), cue words of a country ("Pentagon", "Kremlin"), whether the name is the
place's own or another spelling, the place's population, and closeness to the places the
article names without ambiguity. One sense per article: every mention of a name with the
same context resolves to the same place.

A capital or country acting as a government or as the seat of an institution ("Moscow
said", "Washington's aid", "Kherson Governor ...") is listed with ``literal=False`` and
never becomes an event.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from ..gazetteer import CITY_RADIUS_KM, Place, distance_km, nearest_km, normalize_name
from ..records import maker
from .axes import axis_spans
from .fronts import Front, front_on
from .lexicon import (
    ACTOR_NOUNS,
    ACTOR_VERBS,
    AUXILIARIES,
    COUNTRY_CUES,
    INSTITUTIONS,
    KIND_AFTER,
    LIST_GAP,
    LOCATIVE,
    MODALS,
    NAMED_BODIES,
    PASSIVE,
    REGION_ABBREVIATIONS,
    SPEECH,
    STATE_BODIES,
)
from .recognition import Span, abbreviates, currency_follows, demonym_spans, recognize
from .spelling import RESPELLED_CONFIDENCE, respelled_spans
from .tokens import Doc, default_gazetteer, make_doc
from .weights import (
    AFTER_THE,
    ALTERNATE_NAME,
    ARTICLE_COUNTRY,
    ARTICLE_COUNTRY_CAP,
    BARE_KIND,
    CITY_PEOPLE,
    CLOSENESS,
    CLOSENESS_KM,
    CONFIDENCE_MARGIN,
    CONTAINER_COUNTRY,
    CONTAINER_RAION,
    CONTAINER_REGION,
    CONTAINER_SAME_COUNTRY,
    COUNTRY_CUE,
    DEFAULT_PRIOR,
    HINT_COUNTRY_FOR_REGION,
    HINT_DISTRICT_FOR_REGION,
    HINT_OTHER_KIND,
    HINT_SAME_KIND,
    HINT_WATER_FOR_WATER,
    KEPT_ANCHORS,
    LOCATOR,
    LOCATOR_KM,
    MAX_ANCHORS,
    MAX_CANDIDATES,
    POPULATION,
    POPULATION_FLOOR,
    RECORDED,
    REGION_NAMED,
    SENTENCE_COUNTRY,
    SENTENCE_REGION,
    THE_CITY,
    THE_TOWN,
    TOWN_PEOPLE,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..articles import Article
    from ..gazetteer import Gazetteer


@dataclass(frozen=True, slots=True)
class Mention:
    """A toponym in an article's text, resolved to a gazetteer place.

    ``literal`` is False for associative uses ("Moscow announced", "Kyiv denied"),
    which are listed but never become events. ``runner_up`` is the second-best
    candidate, kept for review.

    Examples
    --------
    >>> p = Place("fl:x", "X", "city", "UA", "Kherson Oblast", 46.6, 32.6)
    >>> Mention("a1", 0, 1, "X", p, 0.9).literal
    True
    """

    article_id: str
    start: int
    end: int
    mention: str
    place: Place
    confidence: float
    literal: bool = True
    runner_up: Place | None = None


#: ``Mention(...)`` made faster: one is made for every place name of every article (see
#: :func:`frontline.records.maker`).
_mention = maker(Mention)


# ------------------------------------------------------------------------ resolution


#: What the scores before context of a (name, kind hint) hold: (score, place, the key of
#: the place's region's name when it is not a region itself, else None) for the best
#: ``MAX_CANDIDATES``, best first; and whether any of them lies in a country with cue
#: words (when none does, the sentence's cue words need not be looked for).
_BaseEntries = tuple[tuple[tuple[float, Place, str | None], ...], bool]


#: An unambiguous place of the article: latitude, longitude, the name's key, country code,
#: admin1, and where the name is first written.
_Anchor = tuple[float, float, str, str, str, int]


@dataclass(slots=True)
class _Context:
    countries: dict[int, set[str]] = field(default_factory=dict)  # sentence -> country codes
    regions: dict[int, set[tuple[str, str]]] = field(default_factory=dict)  # -> (cc, admin1)
    cues: dict[int, set[str]] = field(default_factory=dict)  # sentence -> cue countries
    doc: Doc | None = None
    #: the article's capitalized words and runs (normalized), and the regions its
    #: abbreviations name ("LPR": Luhansk)
    named: frozenset[str] | set[str] = frozenset()
    article_countries: dict[str, int] = field(default_factory=dict)
    #: (key, kind hint) -> candidates scored before context (see _shared_base_scores)
    base: dict[tuple[str, str | None], _BaseEntries] = field(default_factory=dict)
    containers: dict[int, Place] = field(default_factory=dict)  # span start -> container
    anchors: list[_Anchor] = field(default_factory=list)  # in the order of the text
    #: (span key, place id) -> what closeness to the anchors adds (see _scores)
    near: dict[tuple[str, str], float] = field(default_factory=dict)
    #: (country code, admin1) -> people living in its towns; see _weigh_regions
    region_population: Mapping[tuple[str, str], int] | None = None
    #: the front of the article's seasons (see fronts.front_on)
    front: Front | None = None
    gazetteer: Gazetteer | None = None
    #: span start -> (lat, lon) of the place a locator phrase puts it near
    locators: dict[int, tuple[float, float]] = field(default_factory=dict)
    #: place id of a raion or a town -> its raion's code (see _area)
    areas: dict[str, str] = field(default_factory=dict)


def _weigh_regions(
    base: list[tuple[float, Place]],
    population: Mapping[tuple[str, str], int],
    parts: dict[str, dict[str, float]] | None = None,
) -> None:
    """Give first-level regions the weight of the people living in them, in place.

    A state or province has no population of its own in the gazetteer, so a town of the
    same name would outrank it ("Florida" the US state, not the Uruguayan town of
    36,000). A hundredth of the population of its towns puts a region level with a town
    of that size: enough for a state to outrank a namesake town abroad, not enough to
    outrank a capital of its name ("Washington"). The weight only settles regions
    against towns: a region named after its own centre ("Kherson") keeps none, since
    alone the name means the city, and neither does one that shares its name with a
    country, a peninsula or a river ("Crimea" stays the peninsula).
    """
    if any(p.kind not in ("city", "region") for _, p in base):
        return
    centres = {(p.country_code, p.admin1) for _, p in base if p.kind == "city"}
    for i, (s, place) in enumerate(base):
        if place.kind == "region" and (place.country_code, place.admin1) not in centres:
            people = population.get((place.country_code, place.admin1), 0)
            weight = POPULATION * (math.log10(people / 100 + 10) - 1.0)
            base[i] = (s + weight, place)
            if parts is not None:
                parts[place.place_id]["people of its towns"] = weight


def _favour_the_town(
    base: list[tuple[float, Place]],
    hint: str | None,
    prior: Mapping[str, float],
    bearers: frozenset[str],
    parts: dict[str, dict[str, float]] | None = None,
) -> None:
    """Give the town of a name the weight that a town has over its namesake villages.

    Measured on the CIR monitor's geolocated events of 2022 (902 mentions of a name that
    several Ukrainian settlements share): the place meant is the most populous namesake
    87% of the time, and 97% of the time when that namesake is a town of 10,000 or more.
    Population alone (a logarithm) gives a town too little over hamlets that the prior of
    a front-line oblast and an oblast named in the article lift: "Kyiv" was read as a
    hamlet of 108 people in Mykolaiv Oblast. The town gets ``THE_TOWN`` when it has at
    least ``TOWN_PEOPLE`` people and ten times the people of the next namesake, among
    the towns whose own name it is (*bearers*: an official, GeoNames' or former official
    name, as "Pervomaisk" was Sokolohirsk's until 2024), or, when only villages have it as
    their own name, a city of ``CITY_PEOPLE`` under another spelling, and no country or
    region shares the name. A city of ``CITY_PEOPLE`` in a country the prior favours gets ``THE_CITY``: it
    must outweigh what the prior lends the villages of the war's oblasts; not after a
    feature word of another kind ("the Zaporizhzhia station" is the power plant).
    """
    if any(p.kind in ("country", "region") for _, p in base):
        return  # "Mexico", "Washington": a country or a state first, as before
    own = [
        (p.population, i)
        for i, (_, p) in enumerate(base)
        if p.kind == "city" and p.place_id in bearers
    ]
    towns = own
    if all(people < TOWN_PEOPLE for people, _ in own):
        # only villages have the name as their own: a city under another spelling of it
        # is the town ("Vinnitsa"); not when a town has it ("Bethlehem" is no Belém)
        towns = own + [
            (p.population, i)
            for i, (_, p) in enumerate(base)
            if p.kind == "city" and p.population >= CITY_PEOPLE and p.place_id not in bearers
        ]
    if len(towns) < 2:
        return
    towns.sort(reverse=True)
    (people, i), (runner_up, _) = towns[0], towns[1]
    if people >= TOWN_PEOPLE and people >= 10 * runner_up:
        s, place = base[i]
        big = (
            people >= CITY_PEOPLE
            and prior.get(place.country_code, 0.0) > 0
            and hint in (None, "city")
        )
        bonus = THE_CITY if big else THE_TOWN
        base[i] = (s + bonus, place)
        if parts is not None:
            parts[place.place_id]["the town of the name"] = bonus


def _base_score(
    place: Place,
    hint: str | None,
    prior: Mapping[str, float],
    front: Front | None,
    own: bool,
    parts: dict[str, float] | None = None,
) -> float:
    """What a candidate scores before context: prior, population, feature words, whether
    the name is its *own* (each part also written into *parts*, when given)."""
    country, region = prior.get(place.country_code, 0.0), prior.get(place.admin1, 0.0)
    people = max(place.population, 0)
    recorded = at_front = 0.0
    if place.kind == "city":
        if people < POPULATION_FLOOR:
            recorded = RECORDED if people else 0.0
            people = 0
        if region > 0 and front is not None:
            at_front = front.oblasts.get(place.admin1, 0.0) + front.nearness(place)
    people = POPULATION * math.log10(people + 10) + recorded
    kind = place.kind
    if kind == "region" and not place.country_code:
        kind = "country"  # a continent or a union ("Asia", "EU") weighs like a country
    alternate = ALTERNATE_NAME if kind == "city" and not own else 0.0
    if hint == "the":
        fit = AFTER_THE.get(kind, 0.0)
    elif hint:
        if kind == hint:
            fit = HINT_SAME_KIND
        elif hint == "waterbody" and kind == "river":
            fit = HINT_WATER_FOR_WATER
        elif hint == "region" and kind == "country":
            fit = HINT_COUNTRY_FOR_REGION
        elif hint == "region" and kind == "district":
            fit = HINT_DISTRICT_FOR_REGION
        else:
            fit = HINT_OTHER_KIND
    else:
        fit = BARE_KIND.get(kind, 0.0)
    if parts is not None:
        parts.update(
            {
                "prior of its country": country,
                "prior of its region": region,
                "the front": at_front,
                "population": people,
                "another spelling": alternate,
                f"kind {place.kind} after {hint or 'no feature word'!r}": fit,
            }
        )
    return country + region + at_front + people + alternate + fit


def _best_first(scored: tuple[float, Place]) -> tuple[float, str]:
    """Sort key of (score, place) pairs: best first, ties broken by place id."""
    return -scored[0], scored[1].place_id


def _best_on_top(scored: list[tuple[float, Place]]) -> list[tuple[float, Place]]:
    """Sort (score, place) pairs by score, best first, in place, for pass 1 of _context.

    Only the first place and the scores are in :func:`_best_first` order; pass 1 needs
    no more (the best place and the margin over the runner-up). Sorting by the score
    alone runs in C; the place ids decide only when the top two tie.

    Examples
    --------
    >>> a, b, c = (Place(f"x:{i}", i, "city", "UA", "", 0.0, 0.0) for i in "abc")
    >>> [p.name for _, p in _best_on_top([(1.0, c), (2.0, b), (2.0, a)])]
    ['a', 'b', 'c']
    """
    scored.sort(key=itemgetter(0), reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        scored.sort(key=_best_first)
    return scored


#: The base scores of the last (gazetteer, prior) used, shared by the articles parsed
#: with them: (gazetteer, a copy of the prior, a table by front). Swapped whole, never
#: edited in place but for new entries, so a thread holding an old table is not
#: disturbed.
_BASES: tuple[Any, dict[str, float], dict] = (None, {}, {})
#: Bound of the shared tables, together: a (name, kind hint) takes ~1 KB (started afresh
#: when full).
_MAX_BASES = 20_000


def _shared_base_scores(
    gazetteer: Gazetteer, prior: Mapping[str, float], front: Front | None = None
) -> dict[tuple[str, str | None], _BaseEntries]:
    """The table of scores before context, by (key, kind hint), for this gazetteer,
    prior and front (see :func:`~frontline.geoparse.fronts.front_on`).

    A candidate's score before context depends on the name, the kind hint, the prior,
    the front and the gazetteer alone, and news repeats its names ("Kyiv", "Russia"):
    worked out once per process rather than once per article.

    Examples
    --------
    >>> from frontline.gazetteer import Gazetteer
    >>> gaz = Gazetteer.load()
    >>> _shared_base_scores(gaz, {}) is _shared_base_scores(gaz, {})
    True
    >>> _shared_base_scores(gaz, {}) is _shared_base_scores(gaz, {"UA": 1.0})
    False
    >>> _shared_base_scores(gaz, {}) is _shared_base_scores(gaz, {}, front_on(None, gaz))
    False
    """
    global _BASES
    owner, owner_prior, tables = _BASES
    if owner is not gazetteer or owner_prior != prior:
        tables = {}
        _BASES = (gazetteer, dict(prior), tables)
    key = front.key if front is not None else None
    if sum(map(len, tables.values())) >= _MAX_BASES:  # bounded together: start afresh
        tables = {}
        _BASES = (gazetteer, dict(prior), tables)
    table = tables.get(key)
    if table is None:
        table = tables[key] = {}
    return table


def _base_entries(
    span: Span,
    prior: Mapping[str, float],
    front: Front | None,
    population: Mapping[tuple[str, str], int] | None,
    bearers: frozenset[str],
    parts: dict[str, dict[str, float]] | None = None,
) -> _BaseEntries:
    """The candidates of a span scored before context (see ``_BaseEntries``); *bearers*
    are the ids of the places whose own name the span's key is (``Gazetteer.bearers``).
    With *parts*, all of them, their parts written into it."""
    hint = span.kind_hint
    if parts is None:
        base = [
            (_base_score(p, hint, prior, front, p.place_id in bearers), p) for p in span.candidates
        ]
    else:
        base = [
            (
                _base_score(
                    p,
                    hint,
                    prior,
                    front,
                    p.place_id in bearers,
                    parts.setdefault(p.place_id, {}),
                ),
                p,
            )
            for p in span.candidates
        ]
    if population is not None:
        _weigh_regions(base, population, parts)
    _favour_the_town(base, hint, prior, bearers, parts)
    base.sort(key=lambda sp: -sp[0])
    kept = base if parts is not None else base[:MAX_CANDIDATES]
    entries = tuple(
        (s, p, _region_base(p.admin1) if p.admin1 and p.kind != "region" else None) for s, p in kept
    )
    return entries, any(p.country_code in COUNTRY_CUES for _, p, _ in entries)


def _scores(
    span: Span,
    ctx: _Context,
    prior: Mapping[str, float],
    parts: dict[str, dict[str, float]] | None = None,
) -> list[tuple[float, Place]]:
    """The candidates of a span with their scores in context, in no particular order.

    With *parts* (for :func:`explain`), every candidate is scored, not only the best
    ``MAX_CANDIDATES``, and the parts of each score are written into it by place id.
    """
    if len(span.candidates) == 1 and parts is None:
        return [(0.0, span.candidates[0])]  # nothing to choose
    gaz = ctx.gazetteer
    if parts is None:
        # (shared by the spans whose candidates are the gazetteer's for their key; one
        # whose candidates were changed is scored on its own: a facility added after
        # "plant", a name read within its region, a respelled word, an axis)
        group = (span.key, span.kind_hint)
        shared = gaz is None or span.candidates is gaz.candidates(span.key)
        known = ctx.base.get(group) if shared else None
        if known is None:
            bearers = gaz.bearers(span.key) if gaz is not None else frozenset()
            known = _base_entries(span, prior, ctx.front, ctx.region_population, bearers)
            if shared:
                ctx.base[group] = known
    else:
        bearers = gaz.bearers(span.key) if gaz is not None else frozenset()
        known = _base_entries(span, prior, ctx.front, ctx.region_population, bearers, parts)
    base, cued = known
    countries = ctx.countries.get(span.sentence, ())
    cues = ctx.cues.get(span.sentence) if cued else ()
    if cues is None:
        cues = ctx.cues[span.sentence] = ctx.doc.cues(span.sentence) if ctx.doc else set()
    regions = ctx.regions.get(span.sentence, ())
    article = ctx.article_countries
    container = ctx.containers.get(span.start)
    area = (
        _area(container, ctx)
        if container is not None and container.kind in ("district", "city")
        else None
    )
    locator = ctx.locators.get(span.start)
    caps = ctx.named
    scored = []
    top = -math.inf
    for s, place, home in base:
        cc = place.country_code
        kind = place.kind
        # (each part is also noted when explaining: `noted` is then that place's parts)
        noted = parts[place.place_id] if parts is not None else None
        if cc in countries:
            s += SENTENCE_COUNTRY
            if noted is not None:
                noted["country named in the sentence"] = SENTENCE_COUNTRY
        if cc in cues:
            s += COUNTRY_CUE
            if noted is not None:
                noted["cue words of its country"] = COUNTRY_CUE
        if kind != "country" and cc in article:
            times = article[cc]  # (capped by a test, not min(): a call for most candidates)
            added = ARTICLE_COUNTRY * (
                times if times <= ARTICLE_COUNTRY_CAP else ARTICLE_COUNTRY_CAP
            )
            s += added
            if noted is not None:
                noted["country named in the article"] = added
        if regions and kind != "region" and (cc, place.admin1) in regions:
            s += SENTENCE_REGION
            if noted is not None:
                noted["region named in the sentence"] = SENTENCE_REGION
        elif home is not None and home in caps and home != span.key:
            s += REGION_NAMED  # "Lima ... Ohio", "Zolochiv ... Kharkiv": its region is named
            if noted is not None:
                noted["region named in the article"] = REGION_NAMED
        if container is not None:
            fit = 0.0
            if container.kind == "country":
                fit = CONTAINER_COUNTRY if cc == container.country_code else 0.0
            elif (
                container.admin1
                and place.admin1 == container.admin1
                and place.place_id != container.place_id
            ):
                fit = CONTAINER_REGION
                if place.admin2_code and place.admin2_code == area:
                    fit += CONTAINER_RAION  # "Kopanky of Borova hromada", "(Kupiansk Raion)"
            elif cc == container.country_code:
                fit = CONTAINER_SAME_COUNTRY
            s += fit
            if noted is not None:
                noted[f"in {container.name!r}"] = fit
        if locator is not None:
            d = (
                math.hypot(
                    place.latitude - locator[0],
                    (place.longitude - locator[1]) * math.cos(locator[0] * 0.017453292519943295),
                )
                * 111.2
            )
            near = LOCATOR * math.exp(-d / LOCATOR_KM)
            s += near
            if noted is not None:
                noted["near the place of a locator phrase"] = near
        scored.append((s, place))
        if s > top:
            top = s
    # The anchors are those of other names than the span's (one per name at most).
    key = span.key
    # (an axis is named after a town anywhere on the front: the article's other places,
    # the other axes of its list, say nothing of which namesake it is)
    if not span.axis and (len(ctx.anchors) > 1 or ctx.anchors and ctx.anchors[0][2] != key):
        # Closeness to the article's other places adds at most 2: only candidates
        # within 2 of the best can gain from it. It depends on the place and on the
        # anchors (all but the span's own name), so it is worked out once per article
        # for each (name, place): a name mentioned again costs no distances (and the
        # anchors need not even be listed).
        cached = ctx.near
        anchors = None
        near = []
        for s, place in scored:
            if s >= top - CLOSENESS or parts is not None:
                bonus = cached.get((key, place.place_id))
                if bonus is None:
                    if anchors is None:
                        anchors = _anchors_near(ctx.anchors, span.start, key)
                    bonus = cached[key, place.place_id] = _closeness(place, anchors)
                s += bonus
                if parts is not None:
                    parts[place.place_id]["closeness to the article's places"] = bonus
            near.append((s, place))
        scored = near
    return scored


def _area(place: Place, ctx: _Context) -> str:
    """The raion code (``Place.admin2_code``) of a town, or of a raion through its seat
    ("Kupiansk Raion" -> the raion of Kupiansk, the town); "" when unknown."""
    if place.admin2_code or place.kind != "district" or ctx.gazetteer is None:
        return place.admin2_code
    code = ctx.areas.get(place.place_id)
    if code is None:
        seat = normalize_name(_RAION_WORD.sub(" ", place.name))
        towns = [
            p
            for p in ctx.gazetteer.candidates(seat)
            if p.kind == "city" and p.admin1 == place.admin1 and p.admin2_code
        ]
        towns.sort(key=lambda p: (p.feature_code != "PPLA2", -p.population))
        code = ctx.areas[place.place_id] = towns[0].admin2_code if towns else ""
    return code


_RAION_WORD = re.compile(r"\b(?:raion|rayon|district|hromada|community)\b", re.IGNORECASE)


def _anchors_near(anchors: list[_Anchor], start: int, key: str) -> list[_Anchor]:
    """The anchors that place a name written at *start*: the article's first
    ``MAX_ANCHORS`` (its lead sets the scene) and the ``MAX_ANCHORS`` written nearest to it
    (its paragraph), but those of the name *key* itself; in the order of the text.

    Examples
    --------
    >>> anchors = [(0.0, 0.0, k, "UA", "", at) for at, k in enumerate("abcdefghijklmnopqrstuvwxyz")]
    >>> MAX_ANCHORS
    12
    >>> "".join(a[2] for a in _anchors_near(anchors, 0, "a"))
    'bcdefghijklm'
    >>> "".join(a[2] for a in _anchors_near(anchors, 25, "z"))
    'abcdefghijklnopqrstuvwxy'
    """
    if len(anchors) <= MAX_ANCHORS:
        return [a for a in anchors if a[2] != key]
    lead = anchors[:MAX_ANCHORS]
    i = bisect_left(anchors, start, key=itemgetter(5))
    window = [
        a
        for a in anchors[max(MAX_ANCHORS, i - MAX_ANCHORS - 1) : i + MAX_ANCHORS + 1]
        if a[2] != key
    ]
    window.sort(key=lambda a: abs(a[5] - start))
    return [a for a in lead if a[2] != key] + sorted(window[:MAX_ANCHORS], key=itemgetter(5))


def _closeness(place: Place, anchors: list[_Anchor]) -> float:
    """What closeness to the anchors (the article's unambiguous places) adds: up to
    ``CLOSENESS``."""
    if place.kind == "country":
        # A country holds its towns, however far they lie from its centre.
        return CLOSENESS * any(a[3] == place.country_code for a in anchors)
    return CLOSENESS * math.exp(
        -nearest_km(place.latitude, place.longitude, anchors) / CLOSENESS_KM
    )


_REGION_WORDS = re.compile(
    r"\b(?:oblast|region|province|state|county|city|governorate|krai|"
    r"autonomous republic of|republic of|prefecture|district)\b"
)
_REGION_BASES: dict[str, str] = {}


def _region_base(admin1: str) -> str:
    """The normalized name of a region without its feature word ("Kharkiv Oblast" ->
    the key of "Kharkiv")."""
    base = _REGION_BASES.get(admin1)
    if base is None:
        base = _REGION_BASES[admin1] = (
            normalize_name(_REGION_WORDS.sub(" ", admin1.lower())) or "\x00"
        )
    return base


#: The confidence of a name with one candidate.
_ALONE = 0.95


def _confidence(scored: list[tuple[float, Place]]) -> float:
    if len(scored) == 1:
        return _ALONE
    margin = scored[0][0] - scored[1][0]
    return round(0.5 + 0.45 * math.tanh(margin / CONFIDENCE_MARGIN), 3)


def geoparse(
    article: Article | str,
    *,
    gazetteer: Gazetteer | None = None,
    prior: Mapping[str, float] | None = None,
    sentences: list[tuple[int, int]] | None = None,
    demonyms: bool = False,
) -> list[Mention]:
    """Find and resolve every toponym of an article.

    Parameters
    ----------
    article : Article or str
        The article (or bare text, with ``article_id`` empty).
    gazetteer : Gazetteer, optional
        Defaults to the bundled gazetteer, ``Gazetteer.load()``.
    prior : dict, optional
        Additive score per ISO country code or region name (``Place.admin1``); defaults
        to :data:`DEFAULT_PRIOR` (Ukraine and its embattled oblasts first). Pass ``{}``
        for a neutral, population-only prior (global news).
    sentences : list of (start, end), optional
        Sentence spans, if the caller has them already.
    demonyms : bool
        Also list demonyms and country adjectives ("French", "Ukrainians") as
        non-literal mentions of their country. Off by default: for Frontline they
        are not places; some benchmark corpora count them.

    Returns
    -------
    list of Mention
        In text order, with offsets into the article text.

    Examples
    --------
    >>> ms = geoparse("Russian shelling hit Nikopol, across the Dnipro River from Enerhodar.")
    >>> [(m.mention, m.place.kind, m.place.country_code) for m in ms]
    [('Nikopol', 'city', 'UA'), ('Dnipro River', 'river', 'UA'), ('Enerhodar', 'city', 'UA')]
    >>> [m.literal for m in geoparse("Moscow said the strike on Kharkiv hit a depot.")]
    [False, True]
    >>> [m.mention for m in geoparse("French troops left.", demonyms=True)]
    ['French']
    """
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    prior = DEFAULT_PRIOR if prior is None else prior
    text = article if isinstance(article, str) else article.text
    article_id = "" if isinstance(article, str) else article.article_id
    doc = make_doc(text, sentences, gaz)
    spans = _named_spans(doc, gaz, prior)
    extra = demonym_spans(doc, spans, gaz) if demonyms else []
    if not spans and not extra:
        return []
    published = None if isinstance(article, str) else article.published
    ctx = _context(doc, spans, prior, gaz, published)
    mentions = _resolve(doc, spans, ctx, prior, article_id)
    for span in extra:
        place = span.candidates[0]
        mentions.append(
            Mention(
                article_id,
                span.start,
                span.end,
                doc.text[span.start : span.end],
                place,
                0.9,
                literal=False,
            )
        )
    if doc.text is not text:  # normalized: offsets and surfaces as written
        mentions = [_as_written(m, doc) for m in mentions]
    mentions.sort(key=lambda m: m.start)
    return mentions


def _named_spans(doc: Doc, gaz: Gazetteer, prior: Mapping[str, float]) -> list[Span]:
    """The toponym spans of *doc* with their candidate places, in text order: the names
    recognition finds and, in war reporting (a prior that favours Ukraine), the axes
    named by adjectives and the misspelled villages."""
    spans = recognize(doc, gaz)
    for span in spans:
        span.candidates = gaz.candidates(span.key)
        if span.kind_hint == "facility":
            _add_facilities(span, gaz, doc.next_word(span.end)[1])
    spans = [s for s in spans if s.candidates]
    if prior.get("UA", 0.0) > 0:
        spans = axis_spans(doc, spans, gaz)
        spans.extend(respelled_spans(doc, spans, gaz))
        spans.sort(key=lambda s: s.start)
    return spans


def _as_written(mention: Mention, doc: Doc) -> Mention:
    """*mention* with its offsets and surface in the text as written (see ``make_doc``)."""
    start, end = doc.original_span(mention.start, mention.end)
    surface = doc.original[start:end]
    if start == mention.start and end == mention.end and surface == mention.mention:
        return mention  # most mentions: no character of theirs was changed
    # (made as the mention itself was, not by dataclasses.replace, which costs several
    # times as much: one character removed or expanded moves every mention after it)
    m = mention
    return _mention(
        m.article_id, start, end, surface, m.place, m.confidence, m.literal, m.runner_up
    )


def _context(
    doc: Doc,
    spans: list[Span],
    prior: Mapping[str, float],
    gazetteer: Gazetteer,
    published: date | None = None,
) -> _Context:
    # (The population table weighs regions only: it changes nothing for an article that
    # names none, and it is cached by the gazetteer.)
    front = front_on(published, gazetteer)
    ctx = _Context(
        base=_shared_base_scores(gazetteer, prior, front),
        region_population=gazetteer.population_by_region(),
        front=front,
        gazetteer=gazetteer,
    )
    ctx.doc = doc
    abbreviated = {base for abbr, base in REGION_ABBREVIATIONS.items() if abbr in doc.caps}
    ctx.named = doc.caps | abbreviated if abbreviated else doc.caps
    # Pass 1: countries, regions and unambiguous places, before any coherence.
    best: list[Place] = []  # the best place of each span, in the same order
    anchors: dict[str, _Anchor] = {}
    for span in spans:
        if len(span.candidates) == 1:  # most names: nothing to choose (confidence 0.95)
            scored = None
            place = span.candidates[0]
        else:
            scored = _best_on_top(_scores(span, ctx, prior))
            place = scored[0][1]
        best.append(place)
        if (
            place.kind in _POINT_KINDS
            and (scored is None or _confidence(scored) >= 0.8)
            and len(anchors) < KEPT_ANCHORS
        ):
            anchors.setdefault(
                span.key,
                (
                    place.latitude,
                    place.longitude,
                    span.key,
                    place.country_code,
                    place.admin1,
                    span.start,
                ),
            )
        if place.kind == "country":
            codes = ctx.countries.get(span.sentence)
            if codes is None:
                codes = ctx.countries[span.sentence] = set()
            codes.add(place.country_code)
            ctx.article_countries[place.country_code] = (
                ctx.article_countries.get(place.country_code, 0) + 1
            )
        elif place.kind == "region" and place.admin1:
            ctx.regions.setdefault(span.sentence, set()).add((place.country_code, place.admin1))
            ctx.article_countries[place.country_code] = (
                ctx.article_countries.get(place.country_code, 0) + 1
            )
    # Regions and countries also count for the sentences right after them ("the region").
    for table in (ctx.countries, ctx.regions):
        for si, values in sorted(table.items()):
            table.setdefault(si + 1, set()).update(values)
    # "Athens, Greece", "Kupiansk, Kharkiv region", "Tabaivka (Kupiansk Raion)",
    # "Berestove, Kopanka and Shyikivka of Kharkiv region", "Kopanky of Borova hromada":
    # the last name contains the ones before it.
    text = doc.text
    for k in range(1, len(spans)):
        container = spans[k]
        place = best[k]
        if not (
            place.kind in ("country", "region", "district") or container.kind_hint == "district"
        ):
            continue
        m = k - 1
        if (
            container.start - spans[m].end > _MAX_GAP
            or not _CONTAINER_GAP.fullmatch(text, spans[m].end, container.start)
            # "the President's office of Ukraine in the Autonomous Republic of Crimea":
            # a country lies in no region, a region only in a country
            or best[m].kind == "country"
            or (best[m].kind == "region" and place.kind != "country")
        ):
            continue
        while True:
            if spans[m].start not in ctx.containers and spans[m].key != container.key:
                ctx.containers[spans[m].start] = place
            if (
                m == 0
                or spans[m - 1].sentence != container.sentence
                or best[m - 1].kind in ("country", "region")
                or spans[m].start - spans[m - 1].end > _MAX_GAP
                or not LIST_GAP.fullmatch(text, spans[m - 1].end, spans[m].start)
            ):
                break
            m -= 1
    # "the Shevchenkivskyi district of Kyiv", "Korabelnyi district in Kherson", "Kharkiv's
    # Industrialnyi district": a city contains its districts.
    # (pairs of neighbours close enough for the patterns: (a, b, best of a, best of b))
    pairs = [
        (spans[k - 1], spans[k], best[k - 1], best[k])
        for k in range(1, len(spans))
        if spans[k].start - spans[k - 1].end <= _MAX_GAP
    ]
    for a, b, best_a, best_b in pairs:
        if (
            a.kind_hint == "district"
            and best_b.kind == "city"
            and _DISTRICT_OF.fullmatch(text, a.end, b.start)
        ):
            ctx.containers.setdefault(a.start, best_b)
        elif (
            b.kind_hint == "district"
            and best_a.kind == "city"
            and doc.tokens[a.last].possessive
            and not text[a.end + 2 : b.start].strip()
        ):
            ctx.containers.setdefault(b.start, best_a)
    # "the Ordzhonikidze shipyard in the city of Sevastopol": a works named after a town
    # or a person lies in the city the text puts it in.
    for a, b, _, best_b in pairs:
        if best_b.kind == "city" and _FACILITY_IN.fullmatch(text, a.end, b.start):
            ctx.containers.setdefault(a.start, best_b)
    # "In Russia, Rostov's governor said": the country sets the scene for the next name.
    for a, b, best_a, _ in pairs:
        if (
            best_a.kind == "country"
            and b.start not in ctx.containers
            and text[a.end : b.start].strip() == ","
            and doc.prev_word(a.start)[0] == "in"
        ):
            ctx.containers[b.start] = best_a
    # "west of Kurakhove", "near Vuhledar", "10 km from Kharkiv": the two are close.
    for a, b, best_a, best_b in pairs:
        # (no match is shorter than "near ": most gaps, ", ", are passed over at once; and
        # between countries and regions, "Ukraine and Russia", none is looked for)
        if (
            (best_a.kind in _POINT_KINDS or best_b.kind in _POINT_KINDS)
            and b.start - a.end >= 5
            and _LOCATOR_GAP.fullmatch(text, a.end, b.start)
        ):
            for one, near in ((a, best_b), (b, best_a)):
                if near.kind in _POINT_KINDS:
                    ctx.locators.setdefault(one.start, (near.latitude, near.longitude))
    # "Parkland, Florida ... the Parkland students": a name keeps its container.
    if ctx.containers:  # (most articles name none)
        named = {s.key: ctx.containers[s.start] for s in spans if s.start in ctx.containers}
        for span in spans:
            container = named.get(span.key)
            if (
                container is not None
                and span.start not in ctx.containers
                and all(p.place_id != container.place_id for p in span.candidates)
            ):
                ctx.containers[span.start] = container
    ctx.anchors = list(anchors.values())
    if ctx.containers:  # (most articles name no container)
        for span in spans:
            container = ctx.containers.get(span.start)
            if container is not None and container.kind == "region":
                _read_within(span, container, gazetteer)
    return ctx


#: Endings that reporters drop from or add to the adjectival names of Ukrainian and
#: Russian villages ("Arkhanhelsk" for Arkhanhelske, "Novopavlivske" for Novopavlivka).
_ENDINGS = ("e", "a", "o", "i", "ka", "ske")


def _read_within(span: Span, region: Place, gazetteer: Gazetteer) -> None:
    """Read a name that no namesake in its region bears with the ending of one that does.

    "Arkhanhelsk ... of Donetsk region": no Arkhanhelsk lies in Donetsk Oblast, but an
    Arkhanhelske does; the text means it. Changes the span's key and candidates in place
    when exactly one spelling fits.
    """
    if any(p.admin1 == region.admin1 for p in span.candidates) or " " in span.key:
        return
    stems = {span.key, span.key[:-1]} if span.key[-1:] in "aeio" else {span.key}
    found = {}
    for stem in stems:
        for ending in _ENDINGS:
            key = stem + ending
            if key != span.key and key not in found:
                inside = [
                    p
                    for p in gazetteer.candidates(key)
                    if p.admin1 == region.admin1 and p.kind == "city"
                ]
                if inside:
                    found[key] = inside
    if not found:
        # a vowel heard differently: "Dehtiarne" (after the Russian Дегтярное) for
        # Dihtiarne (Дігтярне), the only such village of Sumy Oblast
        for key in _vowel_variants(span.key):
            inside = [
                p
                for p in gazetteer.candidates(key)
                if p.admin1 == region.admin1 and p.kind == "city"
            ]
            if inside:
                found[key] = inside
    if len(found) == 1:
        ((span.key, span.candidates),) = found.items()


def _vowel_variants(key: str) -> list[str]:
    """*key* with one of its vowels (but the first letter) replaced by another vowel.

    Examples
    --------
    >>> _vowel_variants("dil")
    ['dal', 'del', 'dol', 'dul']
    """
    return [
        key[:i] + v + key[i + 1 :]
        for i in range(1, len(key))
        if key[i] in _VOWELS
        for v in _VOWELS
        if v != key[i]
    ]


_VOWELS = "aeiou"


#: The kinds of place that a point stands for well enough to measure distances from:
#: anchors of an article, places a locator phrase puts a name near.
_POINT_KINDS = ("city", "district", "facility", "landform")
#: The longest gap between two names that the patterns below may fill.
_MAX_GAP = 60
#: Between a place and what contains it ("A, X region", "A (X Raion)", "A of X region",
#: "A in X Oblast", "A village in X Oblast", "A, a village in X Oblast").
_CONTAINER_GAP = re.compile(
    r"\s*(?:(?:village|town|city|settlement|hamlet)\s+)?"  # "Andriivka village in X Oblast"
    r"(?:,\s*(?:a|the)\s+(?:(?:small|large)\s+)?(?:village|town|city|settlement)\s+(?:of|in)"
    r"|,|\(|of|in)\s*(?:the\s+)?",
    re.IGNORECASE,
)
#: Between a city's district and the city ("the X district of Kyiv", "X district in Kherson").
_DISTRICT_OF = re.compile(
    r"\s+(?:city\s+)?(?:district|raion|rayon)\s+(?:of|in)\s+(?:the\s+city\s+of\s+)?", re.IGNORECASE
)
#: Between a works named after a place and the city it lies in ("the X shipyard in the
#: city of Y", "the X plant in Y").
_FACILITY_IN = re.compile(
    r"\s+(?:shipyard|plant|factory|works|refinery|depot|terminal|airfield|air\s+base|"
    r"mine|port)\s+(?:in|at)\s+(?:the\s+(?:city|town|port|village)\s+of\s+)?",
    re.IGNORECASE,
)
#: Between two places close to each other ("X, west of A", "X near A", "X, 10 km from A",
#: "northwest of A near X").
_LOCATOR_GAP = re.compile(
    r"\s*,?\s*(?:(?:about|some|around|roughly)\s+)?"
    r"(?:\d+(?:[.,]\d+)?\s*-?\s*(?:km|kilometers|kilometres|miles)\s+)?"
    r"(?:(?:to\s+the\s+)?(?:north|south|east|west|north-?east|north-?west|south-?east|"
    r"south-?west)(?:ern)?\s+(?:of|from)|near|outside|close\s+to|next\s+to|from|just)\s+"
    r"(?:the\s+)?(?:(?:town|city|village|settlement)\s+of\s+)?",
    re.IGNORECASE,
)


def _resolve(
    doc: Doc, spans: list[Span], ctx: _Context, prior: Mapping[str, float], article_id: str
) -> list[Mention]:
    # Pass 2: with coherence; one sense per (name, kind hint, container) in the article.
    def group_key(span: Span) -> tuple:
        c = ctx.containers.get(span.start)
        return span.key, span.kind_hint, c.place_id if c else None

    totals: dict[tuple, dict[str, list]] = {}
    counts: dict[tuple, int] = {}
    groups = []
    for span in spans:
        if len(span.candidates) == 1:  # nothing to choose
            groups.append(None)
            continue
        g = group_key(span)
        groups.append(g)
        counts[g] = counts.get(g, 0) + 1
        group = totals.setdefault(g, {})
        for sc, p in _scores(span, ctx, prior):  # (the group's totals are sorted below)
            entry = group.setdefault(p.place_id, [0.0, p])
            entry[0] += sc
    text, tokens = doc.text, doc.tokens
    mentions: list[Mention] = []
    ranked: dict[tuple, tuple[list[tuple[float, Place]], float]] = {}  # and the confidence
    for span, g in zip(spans, groups, strict=True):
        if g is None:  # most names: one candidate
            place, runner_up, confidence = span.candidates[0], None, _ALONE
        else:
            known = ranked.get(g)
            if known is None:
                n = counts[g]
                best = sorted(((v[0] / n, v[1]) for v in totals[g].values()), key=_best_first)
                known = ranked[g] = best, _confidence(best)
            scored, confidence = known
            place = scored[0][1]
            runner_up = scored[1][1] if len(scored) > 1 else None
        container = ctx.containers.get(span.start)
        if container is not None and (
            container.kind == "city"
            and span.kind_hint == "district"
            and place.admin1 != container.admin1
            or _outside_container(span, place, ctx)
        ):
            # A district of the city that the gazetteer lacks: the city. A town in a
            # region of another country than any namesake's ("Edmonton, Ky."): the region.
            place = container
        # (each check is called only where its first test passes: most names are
        # countries or towns with no feature word)
        if (
            span.first == span.last
            and place.kind in ("city", "region")
            and _unsupported(doc, span, place, ctx, prior)
            or span.kind_hint in _COMPATIBLE
            and _wrong_namesake(span, place)
            or place.kind == "country"
            and _adjectival(doc, span, place)
        ):
            continue
        end = span.end
        nxt = span.last + 1
        if (
            span.kind_hint
            and span.kind_hint not in ("the", "city")
            and nxt < len(tokens)
            and tokens[nxt].run == tokens[span.last].run
            and KIND_AFTER.get(tokens[nxt].low) == place.kind
            and tokens[nxt].word[:1].isupper()
            and not tokens[span.last].possessive
        ):
            end = tokens[nxt].end  # "the Dnipro River" -> "Dnipro River"
        elif (
            text[end : end + 1] == "."
            and span.first == span.last
            and end - span.start <= 6
            and ctx.gazetteer is not None
            and abbreviates(ctx.gazetteer, text[span.start : end], place)
        ):
            end += 1  # "Topeka, Kan.": the abbreviation's period is a part of it
        elif text.startswith(", D.C.", end) and place.kind == "city" and place.country_code == "US":
            end += 6  # "Washington, D.C." names the city
        # (positional: a third cheaper than by keyword, for the commonest object made here)
        mentions.append(
            _mention(
                article_id,
                span.start,
                end,
                text[span.start : end],  # article_id, start, end, mention
                place,
                # (confidence: worked out once per group; lower for a misspelled name)
                min(confidence, RESPELLED_CONFIDENCE) if span.respelled else confidence,
                not span.embedded and not _is_actor(doc, span, place),  # literal
                runner_up,
            )
        )
    return mentions


#: Countries whose districts (raions) are named after their administrative centres.
_RAION_COUNTRIES = frozenset({"UA", "RU", "BY", "MD"})
_COMPATIBLE = {
    "district": {"district", "region"},
    "region": {"region", "district", "country"},
    "river": {"river", "waterbody"},
    "waterbody": {"waterbody", "river"},
    "landform": {"landform"},
}


def _wrong_namesake(span: Span, place: Place) -> bool:
    """Whether a feature word names something the gazetteer does not have.

    "Laurel County", "the Mississippi River" with no such county or river known would
    otherwise fall back to a town of that name. A raion in Ukraine or Russia is named
    after its centre, and an airport or a station after its city, so those keep the
    town as an approximation.
    """
    kinds = _COMPATIBLE.get(span.kind_hint or "")
    if kinds is None or place.kind in kinds:
        return False
    if span.kind_hint in ("district", "region") and place.country_code in _RAION_COUNTRIES:
        return False
    return not any(p.kind in kinds for p in span.candidates)


def _unsupported(
    doc: Doc, span: Span, place: Place, ctx: _Context, prior: Mapping[str, float]
) -> bool:
    """Whether a one-word match to a small town has nothing in the text to support it.

    A capitalized word that happens to name some small town abroad ("Amy", "Noma",
    "Levi") is far more often a person or a brand. It is kept when the text supports
    a place reading: a feature word or container, a preposition of place before it,
    the town's country named in the article or favoured by the prior, or another
    place of the article nearby.
    """
    if (
        span.last > span.first
        or span.kind_hint not in (None, "the")
        or place.kind not in ("city", "region")
        or not place.country_code
        or ctx.containers.get(span.start) is not None
    ):
        return False
    population = place.population
    if place.kind == "region":  # a state or a province weighs what its towns weigh
        population = (ctx.region_population or {}).get((place.country_code, place.admin1), 0)
    tail = doc.tokens[span.last]
    if population < 500_000 and not tail.possessive:
        gap, word = doc.next_word(tail.end)
        if word in SPEECH and not gap.strip():
            return True  # "Barry said"
    # Whether the name is the place's own, letter for letter ("War" folds to the key of
    # Var, France, but is not how anyone writes Var), and whether the article also writes
    # the word in lower case, as a common word ("the war"): else a place abroad needs
    # more support, and "of" before it is none.
    if population >= 1_000_000 or prior.get(place.country_code, 0.0) >= 1.0:
        return False
    own_name = normalize_name(place.name) == span.key
    spelled = own_name and _spelling(place.name) == _spelling(doc.text[span.start : span.end])
    # (the text is searched for the word only when it is spelled so)
    plain = spelled and not doc.written_lower(tail.low)
    if population >= 50_000 and plain:
        return False
    prev, gap = doc.prev_word(span.start)
    if prev in LOCATIVE and not gap.strip() and own_name and (prev != "of" or plain):
        return False  # "in Noma"; but "the Institute for the Study of War"
    if ctx.article_countries.get(place.country_code, 0) > (place.kind == "region"):
        return False  # (a region counts for its own country: not support enough)
    if (
        place.admin1
        and _region_base(place.admin1) in ctx.named
        and _region_base(place.admin1) != span.key
    ):
        return False  # its region is named: "Lima ... Ohio"
    return not any(
        distance_km(place.latitude, place.longitude, a[0], a[1]) < 300
        for a in ctx.anchors[:MAX_ANCHORS]  # (the lead's: a paragraph on France is no
        if a[2] != span.key  # support for "Never again" as Nevers)
    )


#: What "the X plant", "the X station" and "the X dam" stand for in full, by the word
#: (a bridge or an airport named after a town stands for no power plant: "the
#: Zaporizhzhia Bridge" is not the Zaporizhzhia Nuclear Power Plant).
_POWER_PLANTS = (
    "nuclear power plant",
    "hydroelectric power plant",
    "thermal power plant",
    "power plant",
)
_FACILITY_NAMES = {
    "plant": _POWER_PLANTS,
    "station": _POWER_PLANTS,
    "dam": ("hydroelectric power plant", "dam"),
}


def _add_facilities(span: Span, gazetteer: Gazetteer, word: str) -> None:
    """Add the facility that "the Chernobyl plant" names in short (*word* is the feature
    word): the first of its full names ``_FACILITY_NAMES`` that the gazetteer knows,
    when no candidate is a facility."""
    if any(p.kind == "facility" for p in span.candidates):
        return
    for full in _FACILITY_NAMES.get(word, ()):
        found = [
            p
            for p in gazetteer.candidates(f"{span.key} {normalize_name(full)}")
            if p.kind == "facility"
        ]
        if found:
            span.candidates = [*span.candidates, *found]
            return


def _outside_container(span: Span, place: Place, ctx: _Context) -> bool:
    """Whether the text puts a town in a region of another country than the one chosen.

    "Edmonton, Ky." is no town in Canada, "Arkhanhelsk ... of Donetsk region" none in
    Russia: the text names a place the gazetteer lacks (or misspells), and a namesake
    abroad would be wrong; the region that contains it is the best it knows. Likewise a
    town far from the city the text puts it in ("the Ordzhonikidze shipyard in the city
    of Sevastopol" is not at Yenakiieve, once called Ordzhonikidze).
    """
    container = ctx.containers.get(span.start)
    if container is None or place.kind not in ("city", "district"):
        return False
    if container.kind == "city":  # "the X shipyard in the city of Y": X is no town far off
        far = distance_km(place.latitude, place.longitude, container.latitude, container.longitude)
        return place.place_id != container.place_id and far > CITY_RADIUS_KM
    return container.kind == "region" and place.country_code != container.country_code


def _spelling(name: str) -> str:
    """A name's letters and digits, case, accents and doubled letters folded: how it is
    spelled, short of transliteration (which makes "War" a spelling of Var).

    Examples
    --------
    >>> _spelling("Hannover") == _spelling("Hanover"), _spelling("War")
    (True, 'war')
    """
    known = _SPELLINGS.get(name)
    if known is None:
        if len(_SPELLINGS) >= _MAX_SPELLINGS:
            _SPELLINGS.clear()
        letters = "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if c.isalnum())
        known = _SPELLINGS[name] = _DOUBLED.sub(r"\1", letters)
    return known


_DOUBLED = re.compile(r"(.)\1+")
#: The spellings worked out so far (the same names come back in article after article),
#: and how many are kept.
_SPELLINGS: dict[str, str] = {}
_MAX_SPELLINGS = 100_000


def _adjectival(doc: Doc, span: Span, place: Place) -> bool:
    """Whether a country's possessive only qualifies one of its institutions.

    "Russia's Defense Ministry" says no more about a place than "the Russian Defense
    Ministry": like a demonym, it is not a toponym. "Moscow's demands" (a capital for its
    government) stays a non-literal mention; "Ukraine's east" a literal one.
    """
    last = doc.tokens[span.last]
    if place.kind != "country" or not last.possessive:
        return False
    gap, word = doc.next_word(last.end + 2)
    return not gap.strip() and word in STATE_BODIES


def _is_actor(doc: Doc, span: Span, place: Place) -> bool:
    """Whether a place stands for an institution: a capital or a country for its
    government ("Moscow said"), any place for the office it names ("Kherson Governor")."""
    last = doc.tokens[span.last]
    if place.kind == "country" and currency_follows(doc, last):
        return True  # "US dollars": the country's currency, not the country
    if place.kind in ("country", "region") and doc.name_before_of(span.start) in NAMED_BODIES:
        return True  # "the Criminal Code of Ukraine", "the Armed Forces of Ukraine"
    pos = last.end + (2 if last.possessive else 0)
    gap, word = doc.next_word(pos)
    if not word or "\n" in gap:
        return False
    if not gap.strip() and word in INSTITUTIONS and doc.text[pos + len(gap)].isupper():
        return True  # "Kherson Governor Yanushevych", "Pakistan Army engineers"
    if place.kind != "country" and (place.kind != "city" or place.population < 300_000):
        return False
    if last.possessive:
        # "Washington's aid", "Russia's Defense Ministry"; "Ukraine's east" stays a place.
        return word in ACTOR_NOUNS
    if gap.strip():
        return False  # punctuation between: "Kyiv, the capital"
    if word not in MODALS and word not in AUXILIARIES:
        return word in ACTOR_VERBS
    after = doc.next_words(pos)
    follow = after[1][1] if len(after) > 1 and not after[1][0].strip() else ""
    if follow == "not":  # "Russia would not", "the Kremlin did not comment"
        follow = after[2][1] if len(after) > 2 else ""
    if word in MODALS:
        return follow not in PASSIVE
    if word in AUXILIARIES:
        return follow in ACTOR_VERBS  # "Russia has said"; "Kyiv has been shelled" is a place
    return word in ACTOR_VERBS


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a name may stand for in a text, with the parts of its score.

    ``parts`` maps each consideration (see :mod:`frontline.geoparse.weights`) to what it
    adds; ``score`` is their sum. ``chosen`` marks the place :func:`geoparse` picked.
    """

    place: Place
    score: float
    parts: dict[str, float]
    chosen: bool = False


def explain(
    article: Article | str,
    name: str,
    *,
    gazetteer: Gazetteer | None = None,
    prior: Mapping[str, float] | None = None,
) -> list[Candidate]:
    """Every candidate place for *name* in *text*, best first, with the parts of its score.

    The scores are those of the first mention of *name* in the text, in its context. When
    the text never reads *name* as a place (a person, a weapon, a common word), the
    candidates are scored without context and none is chosen.

    Parameters
    ----------
    article : Article or str
        The article (its publication date weighs the fronts of that season) or its text.
    name : str
        A name as written in the text ("Pavlivka").
    gazetteer, prior
        As for :func:`geoparse`.

    Returns
    -------
    list of Candidate

    Examples
    --------
    >>> first, second = explain("Drones hit the port of Odesa overnight.", "Odesa")[:2]
    >>> first.chosen, first.place.country_code, second.place.country_code
    (True, 'UA', 'US')
    >>> abs(first.score - sum(first.parts.values())) < 1e-9
    True
    """
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    prior = DEFAULT_PRIOR if prior is None else prior
    text = article if isinstance(article, str) else article.text
    published = None if isinstance(article, str) else article.published
    doc = make_doc(text, None, gaz)
    spans = _named_spans(doc, gaz, prior)
    key = normalize_name(name)
    mine = [s for s in spans if s.key == key or doc.text[s.start : s.end] == name]
    parts: dict[str, dict[str, float]] = {}
    chosen = None
    if mine:
        span = mine[0]
        ctx = _context(doc, spans, prior, gaz, published)
        scored = _scores(span, ctx, prior, parts)
        start = doc.original_span(span.start, span.end)[0]
        chosen = next(
            (
                m.place.place_id
                for m in geoparse(article, gazetteer=gaz, prior=prior)
                if m.start == start
            ),
            None,
        )
    else:
        loose = Span(-1, -1, key, -1, -1, 0, candidates=gaz.candidates(key))
        population = gaz.population_by_region()
        front = front_on(published, gaz)
        entries = _base_entries(loose, prior, front, population, gaz.bearers(key), parts)[0]
        scored = [(s, p) for s, p, _ in entries]
    out = [Candidate(p, s, parts.get(p.place_id, {}), p.place_id == chosen) for s, p in scored]
    out.sort(key=lambda c: (-c.score, c.place.place_id))
    return out
