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
from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from ..gazetteer import Place, distance_km, normalize_name
from .lexicon import (
    ACTOR_NOUNS,
    ACTOR_VERBS,
    AUXILIARIES,
    COUNTRY_CUES,
    INSTITUTIONS,
    KIND_AFTER,
    LOCATIVE,
    MODALS,
    PASSIVE,
    SPEECH,
    STATE_BODIES,
)
from .recognition import Span, abbreviates, currency_follows, demonym_spans, recognize
from .tokens import Doc, default_gazetteer, make_doc
from .weights import (
    AFTER_THE,
    ALTERNATE_NAME,
    BARE_KIND,
    DEFAULT_PRIOR,
    MAX_ANCHORS,
    MAX_CANDIDATES,
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


# ------------------------------------------------------------------------ resolution


#: What the scores before context of a (name, kind hint) hold: (score, place, the key of
#: the place's region's name when it is not a region itself, else None) for the best
#: ``MAX_CANDIDATES``, best first; and whether any of them lies in a country with cue
#: words (when none does, the sentence's cue words need not be looked for).
_BaseEntries = tuple[tuple[tuple[float, Place, str | None], ...], bool]


@dataclass(slots=True)
class _Context:
    countries: dict[int, set[str]] = field(default_factory=dict)  # sentence -> country codes
    regions: dict[int, set[tuple[str, str]]] = field(default_factory=dict)  # -> (cc, admin1)
    cues: dict[int, set[str]] = field(default_factory=dict)       # sentence -> cue countries
    doc: Doc | None = None
    article_countries: dict[str, int] = field(default_factory=dict)
    #: (key, kind hint) -> candidates scored before context (see _shared_base_scores)
    base: dict[tuple[str, str | None], _BaseEntries] = field(default_factory=dict)
    containers: dict[int, Place] = field(default_factory=dict)    # span start -> container
    anchors: list[tuple[float, float, str, str, str]] = field(default_factory=list)
    #: (span key, place id) -> what closeness to the anchors adds (see _scores)
    near: dict[tuple[str, str], float] = field(default_factory=dict)
    #: (country code, admin1) -> people living in its towns; see _weigh_regions
    region_population: Mapping[tuple[str, str], int] | None = None
    gazetteer: Gazetteer | None = None


def _weigh_regions(base: list[tuple[float, Place]],
                   population: Mapping[tuple[str, str], int]) -> None:
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
            base[i] = (s + 0.55 * (math.log10(people / 100 + 10) - 1.0), place)


def _base_score(place: Place, key: str, hint: str | None, prior: Mapping[str, float]) -> float:
    """What a candidate scores before context: prior, population, feature words."""
    s = prior.get(place.country_code, 0.0) + prior.get(place.admin1, 0.0)
    s += 0.55 * math.log10(max(place.population, 0) + 10)
    kind = place.kind
    if kind == "region" and not place.country_code:
        kind = "country"  # a continent or a union ("Asia", "EU") weighs like a country
    if kind == "city" and normalize_name(place.name) != key:
        s -= ALTERNATE_NAME
    if hint == "the":
        s += AFTER_THE.get(kind, 0.0)
    elif hint:
        if kind == hint:
            s += 4.0
        elif hint == "waterbody" and kind == "river":
            s += 2.0
        elif hint == "region" and kind == "country":
            s += 1.0
        elif hint == "region" and kind == "district":
            s -= 0.5  # "the Kherson region" is the oblast; a raion is "the Kherson district"
        else:
            s -= 1.5
    else:
        s += BARE_KIND.get(kind, 0.0)
    return s


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
#: with them: (gazetteer, a copy of the prior, the table). Swapped whole, never edited
#: in place but for new entries, so a thread holding the old table is not disturbed.
_BASES: tuple[Any, dict[str, float], dict] = (None, {}, {})
#: Bound of the shared table: a (name, kind hint) takes ~1 KB (started afresh when full).
_MAX_BASES = 20_000


def _shared_base_scores(gazetteer: Gazetteer, prior: Mapping[str, float]
                        ) -> dict[tuple[str, str | None], _BaseEntries]:
    """The table of scores before context, by (key, kind hint), for this gazetteer and
    prior.

    A candidate's score before context depends on the name, the kind hint, the prior
    and the gazetteer alone, and news repeats its names ("Kyiv", "Russia"): worked out
    once per process rather than once per article.

    Examples
    --------
    >>> from frontline.gazetteer import Gazetteer
    >>> gaz = Gazetteer.load()
    >>> _shared_base_scores(gaz, {}) is _shared_base_scores(gaz, {})
    True
    >>> _shared_base_scores(gaz, {}) is _shared_base_scores(gaz, {"UA": 1.0})
    False
    """
    global _BASES
    owner, owner_prior, table = _BASES
    if owner is not gazetteer or owner_prior != prior or len(table) >= _MAX_BASES:
        table = {}
        _BASES = (gazetteer, dict(prior), table)
    return table


def _base_entries(span: Span, prior: Mapping[str, float],
                  population: Mapping[tuple[str, str], int] | None) -> _BaseEntries:
    """The candidates of a span scored before context (see ``_BaseEntries``)."""
    base = [(_base_score(p, span.key, span.kind_hint, prior), p) for p in span.candidates]
    if population is not None:
        _weigh_regions(base, population)
    base.sort(key=lambda sp: -sp[0])
    entries = tuple((s, p, _region_base(p.admin1) if p.admin1 and p.kind != "region" else None)
                    for s, p in base[:MAX_CANDIDATES])
    return entries, any(p.country_code in COUNTRY_CUES for _, p, _ in entries)


def _scores(span: Span, ctx: _Context, prior: Mapping[str, float]) -> list[tuple[float, Place]]:
    """The candidates of a span with their scores in context, in no particular order."""
    if len(span.candidates) == 1:
        return [(0.0, span.candidates[0])]  # nothing to choose
    group = (span.key, span.kind_hint)
    known = ctx.base.get(group)
    if known is None:
        known = ctx.base[group] = _base_entries(span, prior, ctx.region_population)
    base, cued = known
    countries = ctx.countries.get(span.sentence, ())
    cues = ctx.cues.get(span.sentence) if cued else ()
    if cues is None:
        cues = ctx.cues[span.sentence] = ctx.doc.cues(span.sentence) if ctx.doc else set()
    regions = ctx.regions.get(span.sentence, ())
    article = ctx.article_countries
    container = ctx.containers.get(span.start)
    anchors = [a for a in ctx.anchors if a[2] != span.key]
    caps = ctx.doc.caps if ctx.doc is not None else ()
    scored = []
    top = -math.inf
    for s, place, home in base:
        cc = place.country_code
        kind = place.kind
        if cc in countries:
            s += 1.5
        if cc in cues:
            s += 1.0
        if kind != "country" and cc in article:
            s += 0.4 * min(article[cc], 3)
        if regions and kind != "region" and (cc, place.admin1) in regions:
            s += 2.5
        elif home is not None and home in caps and home != span.key:
            s += 1.5  # "Lima ... Ohio", "Zolochiv ... Kharkiv": its region is named
        if container is not None:
            if container.kind == "country":
                s += 4.0 if cc == container.country_code else 0.0
            elif container.admin1 and place.admin1 == container.admin1 and \
                    place.place_id != container.place_id:
                s += 5.0
            elif cc == container.country_code:
                s += 1.5
        scored.append((s, place))
        if s > top:
            top = s
    if anchors:
        # Closeness to the article's other places adds at most 2: only candidates
        # within 2 of the best can gain from it. It depends on the place and on the
        # anchors (all but the span's own name), so it is worked out once per article
        # for each (name, place): a name mentioned again costs no distances.
        cached = ctx.near
        near = []
        for s, place in scored:
            if s >= top - 2.0:
                bonus = cached.get((span.key, place.place_id))
                if bonus is None:
                    bonus = cached[span.key, place.place_id] = _closeness(place, anchors)
                s += bonus
            near.append((s, place))
        scored = near
    return scored


def _closeness(place: Place, anchors: list[tuple[float, float, str, str, str]]) -> float:
    """What closeness to the anchors (the article's unambiguous places) adds: up to 2."""
    if place.kind == "country":
        # A country holds its towns, however far they lie from its centre.
        return 2.0 * any(a[3] == place.country_code for a in anchors)
    lat, lon = place.latitude, place.longitude
    k = math.cos(lat * 0.017453292519943295)
    d2 = min((lat - a[0]) ** 2 + (k * min(abs(lon - a[1]), 360.0 - abs(lon - a[1]))) ** 2
             for a in anchors)
    return 2.0 * math.exp(-111.2 * math.sqrt(d2) / 150.0)


_REGION_WORDS = re.compile(r"\b(?:oblast|region|province|state|county|city|governorate|krai|"
                           r"autonomous republic of|republic of|prefecture|district)\b")
_REGION_BASES: dict[str, str] = {}


def _region_base(admin1: str) -> str:
    """The normalized name of a region without its feature word ("Kharkiv Oblast" ->
    the key of "Kharkiv")."""
    base = _REGION_BASES.get(admin1)
    if base is None:
        base = _REGION_BASES[admin1] = normalize_name(
            _REGION_WORDS.sub(" ", admin1.lower())) or "\x00"
    return base



def _confidence(scored: list[tuple[float, Place]]) -> float:
    if len(scored) == 1:
        return 0.95
    margin = scored[0][0] - scored[1][0]
    return round(0.5 + 0.45 * math.tanh(margin / 2.0), 3)


def geoparse(article: Article | str, *, gazetteer: Gazetteer | None = None,
             prior: Mapping[str, float] | None = None,
             sentences: list[tuple[int, int]] | None = None,
             demonyms: bool = False) -> list[Mention]:
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
    spans = recognize(doc, gaz)
    for span in spans:
        span.candidates = gaz.candidates(span.key)
    spans = [s for s in spans if s.candidates]
    extra = demonym_spans(doc, spans, gaz) if demonyms else []
    if not spans and not extra:
        return []
    ctx = _context(doc, spans, prior, gaz)
    mentions = _resolve(doc, spans, ctx, prior, article_id)
    for span in extra:
        place = span.candidates[0]
        mentions.append(Mention(article_id, span.start, span.end, text[span.start:span.end],
                                place, 0.9, literal=False))
    mentions.sort(key=lambda m: m.start)
    return mentions


def _context(doc: Doc, spans: list[Span], prior: Mapping[str, float],
             gazetteer: Gazetteer) -> _Context:
    # (The population table weighs regions only: it changes nothing for an article that
    # names none, and it is cached by the gazetteer.)
    ctx = _Context(base=_shared_base_scores(gazetteer, prior),
                   region_population=gazetteer._population_by_region(), gazetteer=gazetteer)
    ctx.doc = doc
    # Pass 1: countries, regions and unambiguous places, before any coherence.
    best = {}
    anchors: dict[str, tuple[float, float, str, str, str]] = {}
    for span in spans:
        scored = _best_on_top(_scores(span, ctx, prior))
        place = best[id(span)] = scored[0][1]
        if place.kind in ("city", "district", "facility", "landform") and \
                _confidence(scored) >= 0.8 and len(anchors) < MAX_ANCHORS:
            anchors.setdefault(span.key, (place.latitude, place.longitude, span.key,
                                          place.country_code, place.admin1))
        if place.kind == "country":
            ctx.countries.setdefault(span.sentence, set()).add(place.country_code)
            ctx.article_countries[place.country_code] = \
                ctx.article_countries.get(place.country_code, 0) + 1
        elif place.kind == "region" and place.admin1:
            ctx.regions.setdefault(span.sentence, set()).add((place.country_code, place.admin1))
            ctx.article_countries[place.country_code] = \
                ctx.article_countries.get(place.country_code, 0) + 1
    # Regions and countries also count for the sentences right after them ("the region").
    for table in (ctx.countries, ctx.regions):
        for si, values in sorted(table.items()):
            table.setdefault(si + 1, set()).update(values)
    # "Athens, Greece", "Kupiansk, Kharkiv region": the second name contains the first.
    for a, b in zip(spans, spans[1:], strict=False):
        if doc.text[a.end:b.start].strip() == "," and \
                best[id(b)].kind in ("country", "region", "district"):
            ctx.containers[a.start] = best[id(b)]
    # "Parkland, Florida ... the Parkland students": a name keeps its container.
    named = {s.key: ctx.containers[s.start] for s in spans if s.start in ctx.containers}
    for span in spans:
        container = named.get(span.key)
        if container is not None and span.start not in ctx.containers and \
                all(p.place_id != container.place_id for p in span.candidates):
            ctx.containers[span.start] = container
    ctx.anchors = list(anchors.values())
    return ctx



def _resolve(doc: Doc, spans: list[Span], ctx: _Context, prior: Mapping[str, float],
             article_id: str) -> list[Mention]:
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
        if g is None:
            scored = [(0.0, span.candidates[0])]
            confidence = _confidence(scored)
        else:
            known = ranked.get(g)
            if known is None:
                n = counts[g]
                best = sorted(((v[0] / n, v[1]) for v in totals[g].values()), key=_best_first)
                known = ranked[g] = best, _confidence(best)
            scored, confidence = known
        place = scored[0][1]
        if _unsupported(doc, span, place, ctx, prior) or _wrong_namesake(span, place) or \
                _adjectival(doc, span, place):
            continue
        end = span.end
        nxt = span.last + 1
        if span.kind_hint and span.kind_hint not in ("the", "city") and nxt < len(tokens) and \
                tokens[nxt].run == tokens[span.last].run and \
                KIND_AFTER.get(tokens[nxt].low) == place.kind and \
                tokens[nxt].word[:1].isupper() and not tokens[span.last].possessive:
            end = tokens[nxt].end  # "the Dnipro River" -> "Dnipro River"
        elif text[end:end + 1] == "." and span.first == span.last and end - span.start <= 6 \
                and ctx.gazetteer is not None and \
                abbreviates(ctx.gazetteer, text[span.start:end], place):
            end += 1  # "Topeka, Kan.": the abbreviation's period is a part of it
        elif text.startswith(", D.C.", end) and place.kind == "city" and place.country_code == "US":
            end += 6  # "Washington, D.C." names the city
        # (positional: a third cheaper than by keyword, for the commonest object made here)
        mentions.append(Mention(
            article_id, span.start, end, text[span.start:end],  # article_id, start, end, mention
            place, confidence,  # place, confidence (worked out once per group)
            not span.embedded and not _is_actor(doc, span, place),  # literal
            scored[1][1] if len(scored) > 1 else None,  # runner_up
        ))
    return mentions



#: Countries whose districts (raions) are named after their administrative centres.
_RAION_COUNTRIES = frozenset({"UA", "RU", "BY", "MD"})
_COMPATIBLE = {"district": {"district", "region"}, "region": {"region", "district", "country"},
               "river": {"river", "waterbody"}, "waterbody": {"waterbody", "river"},
               "landform": {"landform"}}


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


def _unsupported(doc: Doc, span: Span, place: Place, ctx: _Context,
                 prior: Mapping[str, float]) -> bool:
    """Whether a one-word match to a small town has nothing in the text to support it.

    A capitalized word that happens to name some small town abroad ("Amy", "Noma",
    "Levi") is far more often a person or a brand. It is kept when the text supports
    a place reading: a feature word or container, a preposition of place before it,
    the town's country named in the article or favoured by the prior, or another
    place of the article nearby.
    """
    if span.last > span.first or span.kind_hint not in (None, "the") or \
            place.kind not in ("city", "region") or not place.country_code or \
            ctx.containers.get(span.start) is not None:
        return False
    population = place.population
    if place.kind == "region":  # a state or a province weighs what its towns weigh
        population = (ctx.region_population or {}).get((place.country_code, place.admin1), 0)
    tail = doc.tokens[span.last]
    if population < 500_000 and not tail.possessive:
        gap, word = doc.next_word(tail.end)
        if word in SPEECH and not gap.strip():
            return True  # "Barry said"
    own_name = normalize_name(place.name) == span.key
    limit = 50_000 if own_name else 1_000_000
    if population >= limit or prior.get(place.country_code, 0.0) >= 1.0:
        return False
    prev, gap = doc.prev_word(span.start)
    if prev in LOCATIVE and not gap.strip() and own_name:
        return False
    if ctx.article_countries.get(place.country_code, 0) > (place.kind == "region"):
        return False  # (a region counts for its own country: not support enough)
    if place.admin1 and ctx.doc is not None and _region_base(place.admin1) in ctx.doc.caps \
            and _region_base(place.admin1) != span.key:
        return False  # its region is named: "Lima ... Ohio"
    return not any(distance_km(place.latitude, place.longitude, a[0], a[1]) < 300
                   for a in ctx.anchors if a[2] != span.key)


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
    if word in MODALS:
        if follow == "not":
            follow = after[2][1] if len(after) > 2 else ""
        return follow not in PASSIVE
    if word in AUXILIARIES:
        return follow in ACTOR_VERBS  # "Russia has said"; "Kyiv has been shelled" is a place
    return word in ACTOR_VERBS

