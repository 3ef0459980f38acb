"""Finding the places an article names and choosing the right one.

Recognition
    The text is cut into word tokens; each token is normalized with
    :func:`frontline.gazetteer.normalize_name` and the normalized tokens are scanned
    once with an Aho–Corasick automaton over every gazetteer name. Matches must start
    and end on token boundaries, be capitalized like proper names, and not be part of
    a longer proper name ("Denzel Washington", "Kyiv Independent"); the longest
    match wins ("Kherson region" over "Kherson").

Resolution
    Each candidate place is scored by what a careful reader uses: feature words around
    the mention ("the city of", "region", "River"), the domain prior (Ukraine and its
    neighbours first), the countries and regions named in the same sentence ("in
    Russia's Belgorod region"), cue words of a country ("Pentagon", "Kremlin"), the
    place's population, and — in a second pass — closeness to the places the article
    names without ambiguity. One sense per article: every mention of a name with the
    same context resolves to the same place.

Literal use
    A capital or country acting as a government ("Moscow said", "Washington's aid")
    is listed with ``literal=False`` and never becomes an event.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from .gazetteer import Place

if TYPE_CHECKING:  # pragma: no cover
    from .articles import Article
    from .gazetteer import Gazetteer

__all__ = ["Mention", "geoparse", "find_toponyms", "DEFAULT_PRIOR"]


@dataclass(frozen=True, slots=True)
class Mention:
    """A toponym in an article's text, resolved to a gazetteer place.

    ``literal`` is False for associative uses ("Moscow announced", "Kyiv denied"),
    which are listed but never become events. ``runner_up`` is the second-best
    candidate, kept for review.
    """

    article_id: str
    start: int
    end: int
    mention: str
    place: Place
    confidence: float
    literal: bool = True
    runner_up: Place | None = None


#: Additive score by country code: Ukraine first, then the countries around the war.
DEFAULT_PRIOR: dict[str, float] = {
    "UA": 3.0, "RU": 1.6, "BY": 1.2, "MD": 1.2, "PL": 0.8, "RO": 0.8, "SK": 0.6, "HU": 0.6,
    "GE": 0.4, "TR": 0.4, "US": 0.5, "GB": 0.5, "DE": 0.4, "FR": 0.4,
}

# ---------------------------------------------------------------------------- tokens

_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ`][^\W_]+)*")
_POSSESSIVE = ("'s", "’s", "ʼs", "`s")

#: Lower-case words allowed inside a multi-word proper name ("Rostov-on-Don").
_CONNECTORS = frozenset("of on upon the de del la le na nad pod am an der im au sur en".split())

#: Words after a name that say which kind of place it is.
_KIND_AFTER = {
    "region": "region", "oblast": "region", "province": "region", "oblasts": "region",
    "governorate": "region", "state": "region",
    "district": "district", "raion": "district", "rayon": "district", "county": "district",
    "river": "river", "reservoir": "waterbody", "sea": "waterbody", "lake": "waterbody",
    "estuary": "waterbody", "bay": "waterbody",
    "city": "city", "town": "city", "village": "city",
    "peninsula": "landform", "spit": "landform", "island": "landform",
    "bridge": "facility", "dam": "facility", "plant": "facility", "station": "facility",
}
#: "the city of X", "the village of X"...
_KIND_BEFORE = {"city": "city", "town": "city", "village": "city", "settlement": "city",
                "port": "city", "hamlet": "city", "region": "region", "province": "region",
                "oblast": "region", "district": "district", "river": "river"}

#: Capitalized words that are places far more rarely than they are something else.
_NOT_ALONE = frozenset("""
    a an the this that these those it its he she we they i you his her our their my your
    in on at by for from with without to of and or but if as so not no yes all any some
    one two three four five six seven eight nine ten first second third last next new old
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
    president minister general governor mayor police army navy forces troops officials
    mission bar victoria reading bath nice split mobile orange sale deal hope paradise
    independence liberty union enterprise commerce justice progress unity freedom victory
    eagle trinity mercy grace faith chance energy university church school state city
    north south east west northern southern eastern western central upper lower great little
    mount saint st san santa sea river lake island port fort cape bay beach valley
    russian ukrainian american british european african asian western soviet
    more most many much also however after before during while when where what who
    media news press post times herald service district region province county village town
    capital centre center border front line
    """.split())

#: Reporting and governing verbs that make a capital or country an actor, not a place.
_ACTOR_VERBS = frozenset("""
    said says say announced announces denied denies claimed claims accused accuses warned warns
    insisted insists rejected rejects demanded demands agreed agrees responded responds refused
    refuses condemned condemns blamed blames sanctioned vowed vows urged urges threatened threatens
    signaled signalled believes hopes approved approves pledged pledges promised promises
    wants wanted has had have would will is was sees saw considers considered called calls
    confirmed confirms reported reports acknowledged acknowledges stated states argued argues
    expects expected appeared appears seemed seems decided decides supplied supplies provided
    provides sent sends backed backs supported supports recognized recognised annexed annexes
    launched launches ordered orders continues continued stepped""".split())
#: Nouns after a possessive that make the name an actor ("Washington's aid").
_ACTOR_NOUNS = frozenset("""
    aid support government position decision decisions allies officials leadership military
    forces troops army envoy ambassador demands request requests claims response policy offer
    stance approval invasion war aggression attack attacks offensive plans plan intentions
    sanctions diplomats diplomacy negotiators proposal refusal insistence strategy ministry
    defence defense foreign administration regime authorities president leaders partners
    backing assistance weapons help
    """.split())

#: Cue words of a country's public life: they make that country's candidates likelier.
_COUNTRY_CUES = {
    "US": "american americans u.s us usa washington pentagon congress senate biden trump obama "
          "republican republicans democrat democrats white house state department",
    "GB": "british britain uk u.k downing westminster london",
    "RU": "russian russians kremlin putin moscow russia",
    "UA": "ukrainian ukrainians kyiv kiev zelensky zelenskyy zelenskiy ukraine",
    "BY": "belarusian lukashenko minsk belarus",
    "MD": "moldovan moldova chisinau transnistria",
    "PL": "polish poland warsaw",
    "DE": "german germany berlin bundeswehr",
}
_CUE_WORDS: dict[str, str] = {w: cc for cc, words in _COUNTRY_CUES.items() for w in words.split()}


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    key: str


def _tokens(text: str, start: int = 0, end: int | None = None) -> list[_Token]:
    from .gazetteer import normalize_name

    norm = _cached_normalizer(normalize_name)
    out: list[_Token] = []
    for m in _TOKEN.finditer(text, start, len(text) if end is None else end):
        s, e = m.span()
        word = m.group()
        if len(word) > 2 and word[-2:].lower() in _POSSESSIVE:
            e -= 2
            word = word[:-2]
        key = norm(word)
        if key:
            out.append(_Token(s, e, key))
    return out


@lru_cache(maxsize=4)
def _cached_normalizer(normalize):
    return lru_cache(maxsize=200_000)(normalize)


# --------------------------------------------------------------------------- matcher

class _Matcher:
    """An Aho–Corasick automaton over the gazetteer's normalized names, built once."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        import ahocorasick

        self.gazetteer = gazetteer
        automaton = ahocorasick.Automaton()
        for key in gazetteer.keys():
            if key:
                automaton.add_word(f" {key} ", (key, key.count(" ") + 1))
        automaton.make_automaton()
        self.automaton = automaton

    def find(self, tokens: list[_Token]) -> list[tuple[int, int, str]]:
        """All (first token, last token, key) matches on token boundaries."""
        if not tokens:
            return []
        joined = " " + " ".join(t.key for t in tokens) + " "
        # Position of the space that closes each token -> token index.
        ends: dict[int, int] = {}
        pos = 0
        for i, tok in enumerate(tokens):
            pos += 1 + len(tok.key)
            ends[pos] = i
        found = []
        for end_pos, (key, n) in self.automaton.iter(joined):
            last = ends.get(end_pos)
            if last is not None and last - n + 1 >= 0:
                found.append((last - n + 1, last, key))
        return found


_MATCHERS: dict[int, _Matcher] = {}
_MATCHER_LOCK = threading.Lock()


def _matcher(gazetteer: Gazetteer) -> _Matcher:
    with _MATCHER_LOCK:
        m = _MATCHERS.get(id(gazetteer))
        if m is None or m.gazetteer is not gazetteer:
            m = _MATCHERS[id(gazetteer)] = _Matcher(gazetteer)
        return m


# ----------------------------------------------------------------------- recognition

@dataclass(slots=True)
class _Span:
    first: int           # token indices, inclusive
    last: int
    key: str
    start: int           # character offsets
    end: int
    sentence: int
    kind_hint: str | None = None
    candidates: list[Place] = field(default_factory=list)


def _is_capitalized(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def find_toponyms(text: str, gazetteer: Gazetteer, *,
                  sentences: list[tuple[int, int]] | None = None) -> list[_Span]:
    """Recognize toponym spans in *text* (not yet resolved), longest match first."""
    from .sentences import split_sentences

    sentences = split_sentences(text) if sentences is None else sentences
    tokens = _tokens(text)
    if not tokens:
        return []
    sent_of = _sentence_index(tokens, sentences)
    sentence_first = {}
    for i, s in enumerate(sent_of):
        sentence_first.setdefault(s, i)
    words = [text[t.start:t.end] for t in tokens]
    raw = _matcher(gazetteer).find(tokens)
    raw.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
    taken = [False] * len(tokens)
    spans: list[_Span] = []
    for first, last, key in raw:
        if any(taken[first:last + 1]):
            continue
        if sent_of[first] != sent_of[last]:
            continue
        if not _looks_like_name(words, first, last, sentence_first.get(sent_of[first]) == first):
            continue
        if _inside_longer_name(text, tokens, words, first, last, sentence_first, sent_of):
            continue
        for i in range(first, last + 1):
            taken[i] = True
        spans.append(_Span(first, last, key, tokens[first].start, tokens[last].end,
                           sent_of[first]))
    spans.sort(key=lambda s: s.start)
    for span in spans:
        _attach_kind_hint(span, tokens, words, taken)
    return spans


def _sentence_index(tokens: list[_Token], sentences: list[tuple[int, int]]) -> list[int]:
    out, j = [], 0
    for tok in tokens:
        while j + 1 < len(sentences) and tok.start >= sentences[j][1]:
            j += 1
        out.append(j)
    return out


def _looks_like_name(words: list[str], first: int, last: int, sentence_start: bool) -> bool:
    span = words[first:last + 1]
    if not _is_capitalized(span[0]) or not _is_capitalized(span[-1]):
        return False
    if any(not _is_capitalized(w) and w.lower() not in _CONNECTORS for w in span):
        return False
    if first == last:
        word = span[0]
        if len(word) < 3 and not word.isupper():
            return False
        if word.lower() in _NOT_ALONE:
            return False
        if word.isupper() and len(word) > 3 and sentence_start is False and len(words) > 0:
            # ALL-CAPS words in running text are usually acronyms or shouting headlines.
            return word.title().lower() == word.lower() and len(word) > 4
    return True


def _inside_longer_name(text, tokens, words, first, last, sentence_first, sent_of) -> bool:
    """Whether the match is part of a longer proper name such as a person or an outlet."""
    prev_i, next_i = first - 1, last + 1
    if prev_i >= 0 and sent_of[prev_i] == sent_of[first]:
        prev = words[prev_i]
        adjacent = text[tokens[prev_i].end:tokens[first].start].strip() == ""
        if (adjacent and _is_capitalized(prev) and sentence_first.get(sent_of[first]) != prev_i
                and prev.lower() not in _KIND_BEFORE and prev.lower() not in _CONNECTORS
                and prev.lower() not in _NOT_ALONE_PREFIXES):
            return True
    if next_i < len(tokens) and sent_of[next_i] == sent_of[last]:
        nxt = words[next_i]
        adjacent = text[tokens[last].end:tokens[next_i].start].strip() == ""
        if (adjacent and _is_capitalized(nxt) and not nxt.isdigit()
                and nxt.lower() not in _KIND_AFTER and nxt.lower() not in _NAME_FOLLOWERS):
            return True
    return False


#: Capitalized words that may stand right before a place name ("President", "In", "Central").
_NOT_ALONE_PREFIXES = frozenset("""
    in at on near from to into across outside inside around toward towards via by of and or
    the a an southern northern eastern western central greater occupied liberated frontline
    front-line besieged embattled battered russian ukrainian mr mrs ms president governor mayor
    north south east west upper lower
    """.split())
#: Capitalized words that may follow a place name without making it part of another name.
_NAME_FOLLOWERS = frozenset("""
    on in at and or but as after before while when where which who that said says is was
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    """.split())


def _attach_kind_hint(span: _Span, tokens: list[_Token], words: list[str],
                      taken: list[bool]) -> None:
    nxt = span.last + 1
    if nxt < len(tokens) and not taken[nxt]:
        hint = _KIND_AFTER.get(words[nxt].lower())
        if hint:
            span.kind_hint = hint
            return
    # "the city of X", "the village of X"
    if span.first >= 2 and words[span.first - 1].lower() == "of":
        hint = _KIND_BEFORE.get(words[span.first - 2].lower())
        if hint:
            span.kind_hint = hint


# ------------------------------------------------------------------------ resolution

def _score(place: Place, span: _Span, ctx: _Context, prior: dict[str, float]) -> float:
    s = prior.get(place.country_code, 0.0)
    s += 0.55 * math.log10(max(place.population, 0) + 10)
    kind = place.kind
    if span.kind_hint:
        if kind == span.kind_hint:
            s += 4.0
        elif span.kind_hint == "waterbody" and kind == "river":
            s += 2.0
        else:
            s -= 1.5
    else:
        s += _BARE_KIND.get(kind, 0.0)
    if place.country_code in ctx.countries.get(span.sentence, ()):
        s += 1.5
    if place.country_code in ctx.cues.get(span.sentence, ()):
        s += 1.0
    regions = ctx.regions.get(span.sentence, ())
    if place.admin1 and place.admin1 in regions and kind != "region":
        s += 2.5
    if ctx.anchors:
        d = min(_km(place.latitude, place.longitude, a[0], a[1])
                for a in ctx.anchors if a[2] != span.key) if len(ctx.anchors) > 1 or \
            ctx.anchors[0][2] != span.key else None
        if d is not None:
            s += 2.0 * math.exp(-d / 150.0)
    return s


#: With no feature word, a bare name is most often the city, then the country or region.
_BARE_KIND = {"city": 1.0, "country": 1.5, "region": 0.3, "district": -1.0, "river": -0.2,
              "waterbody": 0.0, "landform": 0.3, "facility": 0.0}


@dataclass(slots=True)
class _Context:
    countries: dict[int, set[str]] = field(default_factory=dict)  # sentence -> country codes
    regions: dict[int, set[str]] = field(default_factory=dict)    # sentence -> admin1 names
    cues: dict[int, set[str]] = field(default_factory=dict)       # sentence -> cue countries
    anchors: list[tuple[float, float, str]] = field(default_factory=list)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def _rank(span: _Span, ctx: _Context, prior: dict[str, float]) -> list[tuple[float, Place]]:
    scored = [(_score(p, span, ctx, prior), p) for p in span.candidates]
    scored.sort(key=lambda sp: (-sp[0], sp[1].place_id))
    return scored


def _confidence(scored: list[tuple[float, Place]]) -> float:
    if len(scored) == 1:
        return 0.95
    margin = scored[0][0] - scored[1][0]
    return round(0.5 + 0.45 * math.tanh(margin / 2.0), 3)


def geoparse(article: Article | str, *, gazetteer: Gazetteer | None = None,
             prior: dict[str, float] | None = None,
             sentences: list[tuple[int, int]] | None = None) -> list[Mention]:
    """Find and resolve every toponym of an article.

    Parameters
    ----------
    article : Article or str
        The article (or bare text, with ``article_id`` empty).
    gazetteer : Gazetteer, optional
        Defaults to the bundled gazetteer, ``Gazetteer.load()``.
    prior : dict, optional
        Additive score per country code; defaults to :data:`DEFAULT_PRIOR` (Ukraine
        first). Pass ``{}`` for a neutral, population-only prior (global news).
    sentences : list of (start, end), optional
        Sentence spans, if the caller has them already.

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
    """
    from .gazetteer import Gazetteer

    gaz = gazetteer if gazetteer is not None else Gazetteer.load()
    prior = DEFAULT_PRIOR if prior is None else prior
    text = article if isinstance(article, str) else article.text
    article_id = "" if isinstance(article, str) else article.article_id
    from .sentences import split_sentences

    sentences = split_sentences(text) if sentences is None else sentences
    spans = find_toponyms(text, gaz, sentences=sentences)
    for span in spans:
        span.candidates = gaz.candidates(span.key)
    spans = [s for s in spans if s.candidates]
    if not spans:
        return []

    ctx = _Context()
    tokens = _tokens(text)
    sent_of = _sentence_index(tokens, sentences)
    for tok, si in zip(tokens, sent_of, strict=True):
        cc = _CUE_WORDS.get(tok.key)
        if cc:
            ctx.cues.setdefault(si, set()).add(cc)

    # Pass 1: without article coherence.
    first = {id(s): _rank(s, ctx, prior) for s in spans}
    for span in spans:
        best = first[id(span)][0][1]
        if best.kind == "country":
            ctx.countries.setdefault(span.sentence, set()).add(best.country_code)
        elif best.kind == "region" and best.admin1:
            ctx.regions.setdefault(span.sentence, set()).add(best.admin1)
    # Regions and countries also count for the sentences right after them ("the region").
    for table in (ctx.countries, ctx.regions):
        for si, values in list(table.items()):
            table.setdefault(si + 1, set()).update(values)
    for span in spans:
        scored = _rank(span, ctx, prior)
        if scored[0][1].kind in ("city", "district", "facility", "landform") and \
                _confidence(scored) >= 0.8:
            ctx.anchors.append((scored[0][1].latitude, scored[0][1].longitude, span.key))

    # Pass 2: with coherence; one sense per (name, kind hint) in the article.
    totals: dict[tuple[str, str | None], dict[str, list]] = {}
    ranked = {}
    for span in spans:
        scored = _rank(span, ctx, prior)
        ranked[id(span)] = scored
        group = totals.setdefault((span.key, span.kind_hint), {})
        for sc, p in scored:
            entry = group.setdefault(p.place_id, [0.0, p])
            entry[0] += sc
    mentions = []
    for span in spans:
        group = totals[(span.key, span.kind_hint)]
        n = sum(1 for s in spans if (s.key, s.kind_hint) == (span.key, span.kind_hint))
        scored = sorted(((v[0] / n, v[1]) for v in group.values()),
                        key=lambda sp: (-sp[0], sp[1].place_id))
        place = scored[0][1]
        end = span.end
        if span.kind_hint and place.kind == span.kind_hint and span.last + 1 < len(tokens):
            end = tokens[span.last + 1].end  # "the Dnipro River" -> "Dnipro River"
        mentions.append(Mention(
            article_id=article_id, start=span.start, end=end, mention=text[span.start:end],
            place=place, confidence=_confidence(scored),
            literal=not _is_actor(text, tokens, span, place),
            runner_up=scored[1][1] if len(scored) > 1 else None,
        ))
    return mentions


def _is_actor(text: str, tokens: list[_Token], span: _Span, place: Place) -> bool:
    """Whether a capital or country is used for its government ("Moscow said")."""
    if place.kind == "country":
        pass
    elif place.kind != "city" or place.population < 300_000:
        return False
    after = text[tokens[span.last].end:tokens[span.last].end + 3]
    nxt = span.last + 1
    if nxt >= len(tokens):
        return False
    word = tokens[nxt].key
    if after[:2] in _POSSESSIVE or after[:1] in "'’ʼ":
        return word in _ACTOR_NOUNS
    if word in _ACTOR_VERBS:
        # "Kyiv was shelled", "Moscow has been hit" are literal.
        follow = tokens[nxt + 1].key if nxt + 1 < len(tokens) else ""
        if word in {"was", "is", "has", "had", "have", "would", "will"}:
            return follow in _ACTOR_VERBS and follow not in {"was", "been", "is", "has"} \
                or follow in {"not", "also", "still", "already"}
        return True
    return False
