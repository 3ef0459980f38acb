"""Finding the places an article names and choosing the right one.

Recognition
    Only capitalized words can begin a toponym, so the text is scanned (by regular
    expressions) for runs of capitalized words ("Denzel Washington", "Sea of Azov",
    "Kherson region"). The words of a run are normalized with
    :func:`frontline.gazetteer.normalize_name`; a lone word is looked up directly and
    longer runs go through an Aho–Corasick automaton over every gazetteer name, so a
    match starts and ends on word boundaries and never crosses a run or a possessive.
    The longest match wins ("Kherson region" over "Kherson"). A match is dropped when
    it is part of a longer proper name ("Denzel Washington", "President Zelenskiy",
    "Washington Post", "New Jersey"), when a common word opens a sentence ("Split
    decisions...": function words, and words the article itself writes in lower case),
    when a small town's name stands where a person's would ("Barry said") or has
    nothing in the text to support it, and when a feature word names something the
    gazetteer lacks ("Laurel County"). Datelines ("KYIV —") and headlines in title
    case are read as such. Demonyms ("Ukrainian") are not places, unless the caller
    opts in with ``demonyms=True`` (for benchmarks whose gold counts them).

Resolution
    Each candidate place is scored by what a careful reader uses: feature words around
    the mention ("the city of", "region", "River", "the Dnipro"), the domain prior
    (Ukraine and its embattled oblasts first), the container named right after a comma
    ("Victoria, Canada") or in the same sentence ("in Russia's Belgorod region"), the
    region named anywhere in the text ("Lima ... Ohio"), cue words of a country
    ("Pentagon", "Kremlin"), whether the name is the place's own or another spelling,
    the place's population, and closeness to the places the article names without
    ambiguity. One sense per article: every mention of a name with the same context
    resolves to the same place. ``confidence`` grows with the margin over the runner-up.

Literal use
    A capital or country acting as a government or as the seat of an institution
    ("Moscow said", "Washington's aid", "Russia's Defense Ministry", "Kherson Governor
    ...") is listed with ``literal=False`` and never becomes an event.
"""

from __future__ import annotations

import math
import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from .gazetteer import DEFAULT_PRIOR, Place, distance_km, normalize_name

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


# ------------------------------------------------------------------------- words


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ`][^\W_]+)*")
_POSSESSIVE = ("'s", "’s", "ʼs", "`s")
_CONTRACTION = re.compile(r"['’ʼ`](?:m|ve|ll|re|d|t)$", re.IGNORECASE)
_APOSTROPHES = "'’ʼ`"

#: Lower-case words allowed inside a multi-word proper name ("Rostov-on-Don").
_CONNECTORS = _words("of on upon the de del la le na nad pod am an der im au sur en y")

#: Words after a name that say which kind of place it is.
_KIND_AFTER = {
    "region": "region", "oblast": "region", "province": "region", "oblasts": "region",
    "governorate": "region", "state": "region", "krai": "region", "republic": "region",
    "district": "district", "raion": "district", "rayon": "district", "county": "district",
    "municipality": "district", "hromada": "district",
    "river": "river", "reservoir": "waterbody", "sea": "waterbody", "lake": "waterbody",
    "estuary": "waterbody", "bay": "waterbody", "strait": "waterbody", "gulf": "waterbody",
    "city": "city", "town": "city", "village": "city", "settlement": "city",
    "peninsula": "landform", "spit": "landform", "island": "landform",
    "bridge": "facility", "dam": "facility", "plant": "facility", "station": "facility",
    "airport": "facility", "port": "city",
    "delta": "river", "basin": "river", "floodplain": "river", "coast": "waterbody",
    "shore": "waterbody",
}
#: "the city of X", "the village of X"...
_KIND_BEFORE = {"city": "city", "town": "city", "village": "city", "settlement": "city",
                "port": "city", "hamlet": "city", "region": "region", "province": "region",
                "oblast": "region", "district": "district", "river": "river",
                "state": "region", "county": "district", "island": "landform",
                "republic": "country", "country": "country", "capital": "city"}

#: Capitalized single words that are places far more rarely than something else.
_NOT_ALONE = _words("""
    a an the this that these those it its he she we they i you his her our their my your
    in on at by for from with without to of and or but if as so not no yes all any some
    one two three four five six seven eight nine ten first second third last next new old
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
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
    capital centre center border front line god lord christ jesus allah bible islam
    black white red green blue brown gray grey gold silver golden
    man best hell eden hull marine""")

#: Common words that open sentences ("Of the wounded...", "Will they...").
_FUNCTION_WORDS = _NOT_ALONE | _words("""
    about above across again against along although among another around because been
    being below between both can could did do does doing down each either else even ever
    every few had has have having here how into just least less like might must near
    neither never nor now off once only other otherwise out over own per perhaps rather
    same should since such than then there therefore though through thus too under unless
    until up upon us very via was were whether which whom whose why will would yet
    said says say according amid despite following including meanwhile nearly still
    here there earlier later ago again overall elsewhere eventually finally instead
    """)

#: Capitalized words that are never a place by themselves (skipped while scanning).
_NEVER_ALONE = frozenset(w.capitalize() for w in _words("""
    a an the this that these those it its he she we they i you his her our their my your
    in on at by for from with without to of and or but if as so not no yes all any some
    more most many much also however after before during while when where what who why how
    there here then than was were is are be been has have had will would could should can
    may might must do does did said says according despite meanwhile since until about
    january february march april june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    jan feb mar apr jun jul aug sep sept oct nov dec
    mr mrs ms dr president minister officials police"""))

#: Words that introduce a person's name: what follows is not a place ("President Bush").
_TITLES = _words("""
    mr mrs ms miss dr prof president presidents premier chancellor minister ministers
    secretary senator sen rep representative congressman congresswoman governor gov mayor
    general gen lt col colonel maj major capt captain sgt sergeant adm admiral commander
    cmdr pope cardinal bishop archbishop father rev reverend king queen prince princess
    duke duchess lord lady sir dame judge justice ambassador spokesman spokeswoman
    spokesperson chairman chairwoman coach officer detective inspector
    """)

#: Demonyms and adjectives of countries and continents (opt-in, for benchmarks).
_DEMONYMS = {
    "afghan": "Afghanistan", "albanian": "Albania", "algerian": "Algeria",
    "american": "United States", "americans": "United States", "angolan": "Angola",
    "argentine": "Argentina", "argentinian": "Argentina", "armenian": "Armenia",
    "australian": "Australia", "australians": "Australia", "austrian": "Austria",
    "azerbaijani": "Azerbaijan", "bangladeshi": "Bangladesh", "belarusian": "Belarus",
    "belgian": "Belgium", "bolivian": "Bolivia", "bosnian": "Bosnia and Herzegovina",
    "brazilian": "Brazil", "british": "United Kingdom", "briton": "United Kingdom",
    "britons": "United Kingdom", "bulgarian": "Bulgaria", "burmese": "Myanmar",
    "cambodian": "Cambodia", "cameroonian": "Cameroon", "canadian": "Canada",
    "canadians": "Canada", "chilean": "Chile", "chinese": "China", "colombian": "Colombia",
    "congolese": "Democratic Republic of the Congo", "croatian": "Croatia", "cuban": "Cuba",
    "cypriot": "Cyprus", "czech": "Czechia", "danish": "Denmark", "dutch": "Netherlands",
    "ecuadorian": "Ecuador", "egyptian": "Egypt", "egyptians": "Egypt",
    "english": "United Kingdom", "eritrean": "Eritrea", "estonian": "Estonia",
    "ethiopian": "Ethiopia", "filipino": "Philippines",
    "finnish": "Finland", "french": "France", "georgian": "Georgia", "german": "Germany",
    "germans": "Germany", "ghanaian": "Ghana", "greek": "Greece", "guatemalan": "Guatemala",
    "haitian": "Haiti", "honduran": "Honduras", "hungarian": "Hungary", "icelandic": "Iceland",
    "indian": "India", "indians": "India", "indonesian": "Indonesia", "iranian": "Iran",
    "iranians": "Iran", "iraqi": "Iraq", "iraqis": "Iraq", "irish": "Ireland",
    "israeli": "Israel", "israelis": "Israel", "italian": "Italy", "ivorian": "Ivory Coast",
    "jamaican": "Jamaica", "japanese": "Japan", "jordanian": "Jordan", "kazakh": "Kazakhstan",
    "kenyan": "Kenya", "korean": "South Korea", "kosovar": "Kosovo", "kuwaiti": "Kuwait",
    "kyrgyz": "Kyrgyzstan", "latvian": "Latvia", "lebanese": "Lebanon", "liberian": "Liberia",
    "libyan": "Libya", "lithuanian": "Lithuania", "malaysian": "Malaysia", "malian": "Mali",
    "maltese": "Malta", "mexican": "Mexico", "mexicans": "Mexico", "moldovan": "Moldova",
    "mongolian": "Mongolia", "moroccan": "Morocco", "mozambican": "Mozambique",
    "nepalese": "Nepal", "nepali": "Nepal", "nicaraguan": "Nicaragua", "nigerian": "Nigeria",
    "nigerians": "Nigeria", "norwegian": "Norway", "pakistani": "Pakistan",
    "pakistanis": "Pakistan", "palestinian": "Palestine", "palestinians": "Palestine",
    "panamanian": "Panama", "paraguayan": "Paraguay", "peruvian": "Peru", "polish": "Poland",
    "portuguese": "Portugal", "qatari": "Qatar", "romanian": "Romania", "russian": "Russia",
    "russians": "Russia", "rwandan": "Rwanda", "saudi": "Saudi Arabia",
    "scottish": "United Kingdom",
    "senegalese": "Senegal", "serbian": "Serbia", "singaporean": "Singapore",
    "slovak": "Slovakia", "slovenian": "Slovenia", "somali": "Somalia", "spanish": "Spain",
    "sudanese": "Sudan", "swedish": "Sweden", "swiss": "Switzerland", "syrian": "Syria",
    "syrians": "Syria", "taiwanese": "Taiwan", "tajik": "Tajikistan", "tanzanian": "Tanzania",
    "thai": "Thailand", "tunisian": "Tunisia", "tunisians": "Tunisia", "turkish": "Turkey",
    "turkmen": "Turkmenistan", "ugandan": "Uganda", "ukrainian": "Ukraine",
    "ukrainians": "Ukraine", "uruguayan": "Uruguay", "uzbek": "Uzbekistan",
    "venezuelan": "Venezuela", "vietnamese": "Vietnam", "welsh": "United Kingdom",
    "yemeni": "Yemen", "zambian": "Zambia", "zimbabwean": "Zimbabwe",
    "european": "Europe", "europeans": "Europe", "african": "Africa", "africans": "Africa",
    "asian": "Asia", "asians": "Asia",
}

#: Capitalized words that may stand right before a place name ("In", "Central", "Greater").
_PREFIXES = (_words("""
    in at on near from to into across outside inside around toward towards via by of and or
    the a an southern northern eastern western central greater occupied liberated frontline
    front-line besieged embattled battered russian ukrainian northeastern northwestern
    southeastern southwestern downtown rural suburban metropolitan coastal annexed
    war-torn nearby neighbouring neighboring
    """) | _FUNCTION_WORDS) - _words("""
    north south east west new old upper lower great little saint st san santa fort port
    mount lake cape bay el al la le los las de du van von bad nova novo novi nove staryi
    stara velyka mala""") - frozenset(_DEMONYMS)  # see _NAME_HEADS
# The first words begin longer names ("New Jersey", "West Virginia"); so do demonyms
# ("British Columbia", "Russian Federation").

#: First words of longer place names ("New Jersey", "Point Richmond", "Lake Placid").
_NAME_HEADS = _words("""
    north south east west new old upper lower great little saint st san santa fort port
    mount lake cape bay el al la le los las de du van von bad nova novo novi nove staryi
    stara velyka mala point glen grand isle isla villa ciudad""")

#: Capitalized words that may follow a place name without making it part of another name.
_FOLLOWERS = _words("""
    on in at and or but as after before while when where which who that said says is was
    the a an this these those it he she we they
    monday tuesday wednesday thursday friday saturday sunday i
    january february march april may june july august september october november december
    """)

#: Reporting and governing verbs that make a capital or country an actor, not a place.
_ACTOR_VERBS = _words("""
    said says say announced announces denied denies claimed claims accused accuses warned warns
    insisted insists rejected rejects demanded demands agreed agrees responded responds refused
    refuses condemned condemns blamed blames sanctioned vowed vows urged urges threatened threatens
    signaled signalled believes believed hopes hoped approved approves pledged pledges promised
    promises wants wanted sees saw considers considered called calls denounced denounces
    confirmed confirms reported reports acknowledged acknowledges stated states argued argues
    expects expected decided decides supplied supplies provided provides sent sends backed
    backs supported supports recognized recognised recognizes recognises annexed annexes
    launched launches ordered orders stepped insists retaliated retaliates negotiated
    negotiates invaded invades imposed imposes expelled expels summoned summons protested
    protests welcomed welcomes signed signs offered offers asked asks requested requests
    criticized criticised criticizes criticises dismissed dismisses admitted admits
    """)
#: Words that, right after "has/have/had/is/was", still make the subject an actor.
_MODALS = _words("would will could should must might may can cannot shall")
_PASSIVE = _words("be been being hit shelled struck attacked bombed liberated captured "
                  "retaken recaptured occupied surrounded encircled damaged destroyed "
                  "under located situated home")
#: Nouns after a possessive that make the name an actor or an institution's owner.
_ACTOR_NOUNS = _words("""
    aid support government position decision decisions allies officials leadership military
    forces troops army navy envoy ambassador demands request requests claims response policy
    offer stance approval invasion war aggression attack attacks offensive plans plan
    intentions sanctions diplomats diplomacy negotiators proposal refusal insistence strategy
    ministry ministries minister ministers defence defense foreign interior administration
    regime authorities president prime leaders leader partners backing assistance weapons
    help deputy general prosecutor prosecutors parliament senate congress intelligence
    security guard guards air spokesman spokeswoman spokesperson representative
    delegation embassy consulate central state national federal emergency emergencies
    ombudsman envoys allies ally economy budget central-bank bank supreme top chief head
    """)

#: Cue words of a country's public life: they make that country's candidates likelier.
_COUNTRY_CUES = {
    "US": "american americans washington pentagon congress senate biden trump obama "
          "republican republicans democrat democrats congressional congressman senator",
    "GB": "british britain uk downing westminster london",
    "RU": "russian russians kremlin putin moscow russia",
    "UA": "ukrainian ukrainians kyiv kiev zelensky zelenskyy zelenskiy ukraine oblast",
    "BY": "belarusian lukashenko minsk belarus",
    "MD": "moldovan moldova chisinau transnistria",
    "PL": "polish poland warsaw",
    "DE": "german germany berlin bundeswehr",
    "CA": "canadian canadians ottawa trudeau",
    "AU": "australian australians canberra",
    "IN": "indian rupees modi",
}
_CUE_WORDS: dict[str, str] = {w: cc for cc, ws in _COUNTRY_CUES.items() for w in ws.split()}

# ------------------------------------------------------------------------- tokens
#
# Only capitalized words can begin a toponym, so the text is scanned (by regular
# expressions, in C) for runs of capitalized words ("Denzel Washington", "Sea of Azov",
# "Kherson region"); only the words of those runs become tokens. Whatever else
# recognition and resolution need (the word before, the verb after, the sentence) is
# read from the text around a match when it is needed.

#: Lower-case words that may end a multi-word gazetteer name.
_FEATURE_WORDS = frozenset(_KIND_AFTER) | frozenset(
    "nuclear power hydroelectric hydropower thermal steel works airport base strait delta "
    "coast shore canal".split())


_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u024f\u0400-\u042f\u0490\u0404\u0406\u0407"
# A capitalized word, or "St." "Ste." "Ft." "Mt." (the first character leads the pattern:
# that lets the regular expression engine skip ahead quickly).
_NAME_WORD = (f"[{_UPPER}](?:\\.(?:[A-Z]\\.){{1,2}}(?![^\\W_])|(?<=[SFM])te?\\.(?= )"
              f"|[^\\W_]*(?:['’ʼ`][^\\W_]+)*)")  # also dotted acronyms: "U.S.", "U.K."
_DOTTED = re.compile(r"(?:[A-Z]\.){2,3}")
_PART = re.compile(f"{_DOTTED.pattern}|{_TOKEN.pattern}")
_RUN_SEP = r"(?:[ \t\u00a0]+|[-‐‑])"


def _alternation(words: frozenset[str]) -> str:
    """A regular expression for any of *words*, its branches merged by common prefix.

    The regular expression engine tries the branches of an alternation one by one; a
    word list factored into a tree ("de(?:l|r)?" for de, del, der) lets it give up
    after a letter or two. The words here (connectors, feature words) are followed by a
    separator or ``\\b``, so at most one of them can match at a place and the order of
    the branches does not change what a pattern matches.

    Examples
    --------
    >>> _alternation(frozenset({"de", "del", "der", "of", "on"}))
    '(?:de(?:l|r)?|o(?:f|n))'
    >>> [bool(re.fullmatch(_alternation(frozenset({"sea", "sea of"})), w)) for w in ("sea", "se")]
    [True, False]
    """
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for c in word:
            node = node.setdefault(c, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, dict]) -> str:
        branches = [re.escape(c) + pattern(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        if "" not in node:
            return body
        return f"(?:{body})?" if len(branches) == 1 and len(body) > 1 else f"{body}?"

    return pattern(tree)  # (a group already when it has several branches)


_RUN = re.compile(
    f"{_NAME_WORD}(?:{_RUN_SEP}(?:{_alternation(_CONNECTORS)}{_RUN_SEP})?{_NAME_WORD})*"
    f"(?:[ \\t\\u00a0]+{_alternation(_FEATURE_WORDS)}\\b){{0,4}}")
_NEXT_WORD = re.compile(r"([^\w\n]*)([^\W_]+)")


@lru_cache(maxsize=1)
def _word_automaton():
    """An Aho–Corasick automaton over the cue words and demonyms (lower case)."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in {*_CUE_WORDS, *_DEMONYMS}:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


def _find_words(text: str) -> list[tuple[int, str]]:
    """(start, word) of every whole-word cue word or demonym in *text*, any case."""
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lowered
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    out = []
    n = len(text)
    for end, word in _word_automaton().iter(low):
        start = end - len(word) + 1
        if (start == 0 or not low[start - 1].isalnum()) and \
                (end + 1 == n or not low[end + 1].isalnum()):
            out.append((start, word))
    return out


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    word: str        # as written, possessive 's removed
    low: str         # lower case
    key: str         # normalize_name(word)
    possessive: bool
    run: int         # where the capitalized run it belongs to starts


_KEYS: dict[str, str] = {}


def _key(word: str) -> str:
    """The normalized key of a word ("Russia's" -> the key of "Russia"), cached."""
    key = _KEYS.get(word)
    if key is None:
        if len(_KEYS) > 500_000:
            _KEYS.clear()
        if _CONTRACTION.search(word):
            key = "'"  # "I'm", "don't": no gazetteer key holds "'"
        elif len(word) > 2 and word[-2:].lower() in _POSSESSIVE:
            key = normalize_name(word[:-2])
        else:
            key = normalize_name(word)
        _KEYS[word] = key
    return key


class _Doc:
    """One text: the tokens of its capitalized runs and lazy views of the rest."""

    __slots__ = ("text", "tokens", "single", "lone_names", "matches", "caps", "sent_starts",
                 "names", "_lower", "_headline", "_words", "_prev", "_next", "_after")
    _lower: dict[str, bool]

    def __init__(self, text: str, sentences: list[tuple[int, int]] | None,
                 matcher: _Matcher | None = None) -> None:
        self.text = text
        self.names = names = matcher.keys if matcher is not None else None
        self.sent_starts = [s for s, _ in sentences] if sentences is not None \
            else _sentence_starts(text)
        self.sent_starts = self.sent_starts or [0]
        self._lower: dict[str, bool] = {}
        self._after: dict[int, tuple[str, str]] = {}  # next_word, by position
        self._headline: dict[int, bool] = {}
        self._words: list[tuple[int, str]] | None = None
        self._prev: dict[int, tuple[str, str]] = {}
        self._next: dict[int, list[tuple[str, str]]] = {}
        tokens: list[_Token] = []
        self.single: set[int] = set()  # tokens that make up a run alone
        lone_names = self.lone_names = []  # (token, token, key, shape) of the names
        caps = self.caps = set()  # every capitalized word and run, normalized
        # (first, last token, key, _name_shape) of the names in those runs
        matches = self.matches = []
        lone = matcher.lone if matcher is not None else {}
        plans = matcher._plans if matcher is not None else {}
        # (bound methods held in local names: this loop runs for every capitalized word)
        append, add_cap, get_lone, get_plan = tokens.append, caps.add, lone.get, plans.get
        for run in _RUN.finditer(text):
            word = run.group()
            if word.isalpha():  # the common case: one plain word, a name or not
                known = get_lone(word)
                if known is None:
                    known = matcher.read_word(word) if matcher is not None else \
                        _read_word(word, None)
                key, low = known
                if key is None:
                    continue  # "The", "In": never a place alone
                add_cap(key)
                if low:  # a name: a token
                    i = len(tokens)
                    self.single.add(i)
                    lone_names.append((i, i, key, _ONE_WORD))
                    s = run.start()
                    append(_Token(s, s + len(word), word, low, key, False, s))
                continue
            if _DOTTED.fullmatch(word):  # "U.S.", "U.K.": one word, dots and all
                key = _key(word.replace(".", ""))
                caps.add(key)
                if key and (names is None or key in names):
                    i = len(tokens)
                    self.single.add(i)
                    lone_names.append((i, i, key, _ONE_WORD))
                    s = run.start()
                    append(_Token(s, s + len(word), word, word.lower(), key, False, s))
                continue
            # A run of several words: its tokens and the names in it depend on the run
            # alone, so they are worked out once per distinct run (``_RunPlan``).
            run_caps, run_tokens, _, run_matches, open_end = get_plan(word) or (
                matcher.plan(word) if matcher is not None else _plan_run(word, None, None))
            caps.update(run_caps)
            if not run_tokens:
                continue  # no word of any name: nothing to find in this run
            r = run.start()
            base = len(tokens)
            for s, e, part, low, key, poss in run_tokens:
                append(_Token(r + s, r + e, part, low, key, poss, r))
            if open_end:
                e = tokens[-1].end
                if e < len(text) and text[e] in _APOSTROPHES and \
                        (e + 1 == len(text) or not text[e + 1].isalnum()):
                    tokens[-1].possessive = True  # "Armed Forces' positions"
            for a, b, key, shape in run_matches:
                matches.append((base + a, base + b, key, shape))
        self.tokens = tokens

    def sentence(self, pos: int) -> int:
        return bisect_right(self.sent_starts, pos) - 1

    def prev_word(self, pos: int) -> tuple[str, str]:
        """The word before *pos* (lower case) and the characters between ("", "" if none),
        on the same line."""
        known = self._prev.get(pos)
        if known is None:
            known = self._prev[pos] = self._prev_word(pos)
        return known

    def _prev_word(self, pos: int) -> tuple[str, str]:
        text = self.text
        i = pos
        floor = max(0, pos - 40)
        while i > floor and not text[i - 1].isalnum() and text[i - 1] != "\n":
            i -= 1
        j = max(text.rfind(" ", floor, i), text.rfind("\n", floor, i)) + 1
        # The word is the run of letters and digits that ends at i, however long; it
        # starts at j at the earliest, after a space or a line break (j is 0 when none
        # stands within 40 characters: the run is then found without copying the text
        # before it).
        word = text[j:i] if j else ""
        if not word.isalnum():  # "(in", "-based": keep the last run of letters
            k = i
            while k > j and text[k - 1].isalnum():
                k -= 1
            word = text[k:i]
        return word.lower(), text[i:pos]

    def next_word(self, pos: int) -> tuple[str, str]:
        """The (gap, lower-case word) after *pos*; ("", "") at the end."""
        known = self._after.get(pos)
        if known is None:  # (asked three or four times for the end of each name)
            m = _NEXT_WORD.match(self.text, pos)
            known = self._after[pos] = (m.group(1), m.group(2).lower()) if m else ("", "")
        return known

    def next_words(self, pos: int) -> list[tuple[str, str]]:
        """Up to three (gap, lower-case word) pairs after *pos*."""
        known = self._next.get(pos)
        if known is None:
            known = self._next[pos] = self._next_words(pos, 3)
        return known

    def _next_words(self, pos: int, n: int) -> list[tuple[str, str]]:
        out = []
        for _ in range(n):
            m = _NEXT_WORD.match(self.text, pos)
            if m is None:
                break
            out.append((m.group(1), m.group(2).lower()))
            pos = m.end()
        return out

    def opens_sentence(self, pos: int) -> bool:
        """Whether the word at *pos* opens a sentence, a line, a quote or a clause."""
        text = self.text
        i = pos - 1
        while i >= 0 and text[i] in " \t\u00a0\"“‘'(«[*#":
            i -= 1
        if i < 0 or text[i] in ".!?:;\n—•|":
            return True
        k = bisect_right(self.sent_starts, pos) - 1
        return k >= 0 and self.sent_starts[k] > i

    def headline(self, pos: int) -> bool:
        """Whether *pos* lies in a title-cased line (a headline, a caption)."""
        text = self.text
        start = text.rfind("\n", 0, pos) + 1
        known = self._headline.get(start)
        if known is None:
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            if end - start > 300:  # a paragraph, not a title
                self._headline[start] = False
                return False
            content = [w for w in _TOKEN.findall(text, start, min(end, start + 400))
                       if len(w) > 3 and w.lower() not in _FUNCTION_WORDS and not w.isdigit()]
            caps = sum(w[:1].isupper() for w in content)
            known = self._headline[start] = len(content) >= 4 and caps >= 0.9 * len(content)
        return known

    def cues(self, sentence: int) -> set[str]:
        """The countries whose cue words ("Kremlin", "Pentagon") a sentence uses."""
        starts = self.sent_starts
        start = starts[sentence]
        end = starts[sentence + 1] if sentence + 1 < len(starts) else len(self.text)
        return {_CUE_WORDS[w] for _, w in _find_words(self.text[start:end]) if w in _CUE_WORDS}

    def words(self) -> list[tuple[int, str]]:
        """(start, lower-case word) of the cue words and demonyms of the text."""
        if self._words is None:
            self._words = _find_words(self.text)
        return self._words

    def written_lower(self, low: str) -> bool:
        """Whether the text also writes *low* (a lower-case word) in lower case."""
        known = self._lower.get(low)
        if known is None:
            known = self._lower[low] = _written_alone(self.text, low)
        return known


def _written_alone(text: str, word: str) -> bool:
    """Whether *word* stands in *text* between white space, maybe followed by , . ; or :.

    The same as ``word`` (or ``word + ","``...) being in ``text.split()``, without
    splitting the whole text: ``str.find`` only visits the places where the word occurs.

    Examples
    --------
    >>> [_written_alone("Split decisions: a split, splits.", w) for w in ("split", "spli")]
    [True, False]
    """
    n, size = len(text), len(word)
    i = text.find(word)
    while i >= 0:
        if i == 0 or text[i - 1].isspace():
            j = i + size
            if j < n and text[j] in ",.;:":
                j += 1
            if j == n or text[j].isspace():
                return True
        i = text.find(word, i + 1)
    return False


def _read_word(word: str, names: Mapping[str, None] | None) -> tuple[str | None, str]:
    """The key and the lower case of a capitalized word alone in its run.

    The key is None for a word that is never a place alone ("The"); the lower case is
    "" when the key is no name (no token is needed for the word then).

    Examples
    --------
    >>> _read_word("The", None), _read_word("Kyiv", None), _read_word("Kyiv", {})
    ((None, ''), ('kiv', 'kyiv'), ('kiv', ''))
    """
    if word in _NEVER_ALONE:
        return None, ""
    key = _KEYS.get(word) or _key(word)
    return key, word.lower() if names is None or key in names else ""


def _doc(text: str, sentences: list[tuple[int, int]] | None,
         gazetteer: Gazetteer | None = None) -> _Doc:
    if gazetteer is None:
        return _Doc(text, sentences)
    return _Doc(text, sentences, _matcher(gazetteer))


#: A likely sentence break: terminal punctuation, closing quotes, space, then a capital;
#: or a line break.
#: (It opens with one character class, not an alternation: the regular expression engine
#: then jumps from one candidate character to the next instead of trying both branches at
#: every position, which made this scan four times slower.)
_SENTENCE_BREAK = re.compile(
    f"[.!?\n](?:(?<=[.!?])[.!?]*['\"”’)\\]]*[ \t\u00a0]+(?=['\"“‘(\\[]?[{_UPPER}0-9])"
    f"|(?<=\n)[ \t\u00a0]*)")
_ABBREVIATIONS = frozenset("""Mr Mrs Ms Dr Prof Gen Lt Col Maj Capt Sgt Adm Gov Sen Rep Rev St
    Ft Mt No vs Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Inc Ltd Co Corp Jr Sr""".split())


def _sentence_starts(text: str) -> list[int]:
    """Where sentences start, for texts whose caller gave no sentence spans.

    Examples
    --------
    >>> text = "Gen. Zaluzhnyi spoke. Volodymyr O. Zelensky left. Kyiv was quiet!"
    >>> [text[i:i + 4] for i in _sentence_starts(text)]
    ['Gen.', 'Volo', 'Kyiv']
    """
    starts = [0]
    for m in _SENTENCE_BREAK.finditer(text):
        i = m.start()
        if text[i] == "." and i > 0 and (i < 5 or not text[i - 5:i].isalpha()):
            before = text[max(0, i - 5):i]
            word = before[max(before.rfind(" "), before.rfind("\n"), before.rfind("("),
                              before.rfind(".")) + 1:]
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):
                continue  # "Gen. Zaluzhnyi", "Volodymyr O. Zelensky"
        starts.append(m.end())
    return starts


# --------------------------------------------------------------------------- matcher

class _Matcher:
    """An Aho–Corasick automaton over the gazetteer's normalized names, built once."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        import ahocorasick

        self.gazetteer = gazetteer
        automaton = ahocorasick.Automaton()
        words: set[str] = set()
        for key in gazetteer.keys():
            if key:
                automaton.add_word(f" {key} ", (key, key.count(" ") + 1))
                words.update(key.split(" "))
        automaton.make_automaton()
        self.automaton = automaton
        # Both are dicts rather than frozensets: the garbage collector does not track a
        # dict that holds only strings, but it walks every entry of a set in each full
        # collection (60 ms for these two, several times a second while parsing).
        #: Every word of every name: a run with none of them holds no name.
        self.words: dict[str, None] = dict.fromkeys(words)
        #: Every name: a capitalized word alone in its run is one of these or nothing.
        self.keys: dict[str, None] = dict.fromkeys(gazetteer.keys())
        #: The plans of the runs of several words seen so far (see ``plan``).
        self._plans: dict[str, _RunPlan] = {}
        #: The words seen alone in their runs so far (see ``read_word``).
        self.lone: dict[str, tuple[str | None, str]] = {}

    def read_word(self, word: str) -> tuple[str | None, str]:
        """``_read_word`` of a word alone in its run, cached in ``lone``."""
        if len(self.lone) >= _MAX_WORDS:
            self.lone.clear()
        known = self.lone[word] = _read_word(word, self.keys)
        return known

    def plan(self, run: str) -> _RunPlan:
        """The tokens and names of a run of several capitalized words, cached.

        News repeats its runs ("President Volodymyr Zelensky", "the Kherson region"):
        three in four runs of the Zelenskyy press releases were seen before in earlier
        releases, so working each out once saves most of the tokenizing and matching.
        """
        plan = self._plans.get(run)
        if plan is None:
            if len(self._plans) >= _MAX_PLANS:
                self._plans.clear()
            plan = self._plans[run] = _plan_run(run, self.words, self.automaton)
        return plan

    def find(self, doc: _Doc) -> list[tuple[int, int, str, int]]:
        """All (first token, last token, key, ``_name_shape``) matches inside one run,
        never across runs or past a possessive ("Russia's Belgorod region" is two names).

        A word alone in its run is looked up directly; the names in longer runs were
        found by the automaton when the text was tokenized (see ``_plan_run``).
        """
        if doc.names is self.keys:  # its lone words became tokens only if they are names
            return doc.lone_names + doc.matches
        tokens = doc.tokens
        keys = self.keys
        found = [(i, i, tokens[i].key, _ONE_WORD) for i in doc.single
                 if tokens[i].key in keys]
        found += doc.matches
        return found


#: Bounds of the matcher's caches: a plan takes about 800 bytes, a word about 150 (started
#: afresh when full, so memory stays flat over a long stream).
_MAX_PLANS = 50_000
_MAX_WORDS = 100_000

#: What the words of a match say, whatever the text around them (``_name_shape``).
_NOT_NAME, _NAME, _ONE_WORD = 0, 1, 2

#: What a run of several capitalized words holds, with offsets into the run: the keys of
#: its words and of the whole run; its tokens as (start, end, word, lower case, key,
#: possessive), none when no word of the run is in any name; the token ranges a name may
#: span; the (first, last token, key, shape) of every name in it, with the
#: ``_name_shape`` of its words (after a leading "the"); and whether its last token is
#: a plural possessive when "'" follows the run in the text ("Armed Forces' positions").
#: A plain tuple, not a named one: the garbage collector stops tracking a plain tuple of
#: strings and numbers, so the thousands of cached plans cost it nothing.
_RunPlan = tuple[tuple[str, ...], tuple[tuple[int, int, str, str, str, bool], ...],
                 tuple[tuple[int, int], ...], tuple[tuple[int, int, str, int], ...], bool]


def _plan_run(run: str, name_words: dict[str, None] | None, automaton: Any) -> _RunPlan:
    """Tokenize a run of several capitalized words and find the names in it.

    A possessive ends a name ("Russia's Belgorod region" is two names); a match of the
    automaton must start and end on word boundaries.

    Examples
    --------
    >>> caps, tokens, ranges, matches, open_end = _plan_run("Russia's Belgorod region", None, None)
    >>> [(t[2], t[5]) for t in tokens], ranges
    ([('Russia', True), ('Belgorod', False), ('region', False)], ((0, 0), (1, 2)))
    """
    keys = _KEYS
    parts = _PART.findall(run)
    run_keys = [keys.get(w) or _key(w.replace(".", "") if w[-1] == "." else w)
                for w in parts]  # "U.S." is the word "US", not "U S"
    caps = (*run_keys, keys.get(run) or _key(run))
    if name_words is not None and name_words.keys().isdisjoint(run_keys):
        return caps, (), (), (), False
    n = len(run)
    tokens: list[tuple[int, int, str, str, str, bool]] = []
    ranges = []
    first = offset = 0
    open_end = False
    for part, key in zip(parts, run_keys, strict=True):
        s = offset = run.find(part, offset)
        offset += len(part)
        e = offset
        poss = False
        if part[-1] in "sS":  # (tested first: most words cannot be possessives)
            if len(part) > 2 and part[-2] in _APOSTROPHES:  # "Russia's"
                e -= 2
                part = part[:-2]
                poss = True
            elif e < n and run[e] in _APOSTROPHES and \
                    (e + 1 == n or not run[e + 1].isalnum()):
                poss = True  # "Forces' positions": plural possessive
        if key:
            # At the end of the run, what follows in the text decides ("Forces' ").
            open_end = not poss and e == n and part[-1] in "sS"
            tokens.append((s, e, part, part.lower(), key, poss))
            if poss:  # a possessive ends a name: "Russia's Belgorod region"
                ranges.append((first, len(tokens) - 1))
                first = len(tokens)
    if first < len(tokens):
        ranges.append((first, len(tokens) - 1))
    matches = []
    if automaton is not None:
        for a, b in ranges:
            words = [tokens[i][4] for i in range(a, b + 1)]
            # ends[j]: where the space after word j stands in the joined run
            ends = list(accumulate(len(w) + 1 for w in words))
            for end_pos, (key, size) in automaton.iter(" " + " ".join(words) + " "):
                j = bisect_left(ends, end_pos)
                if j < len(ends) and ends[j] == end_pos and j - size + 1 >= 0:
                    matches.append((a + j - size + 1, a + j, key))
    shaped = []
    for a, b, key in matches:
        c = a + 1 if b > a and tokens[a][3] == "the" else a  # _recognize leaves "the" out
        words = tokens[c:b + 1]
        shaped.append((a, b, key, _name_shape([t[2] for t in words], [t[3] for t in words])))
    return caps, tuple(tokens), tuple(ranges), tuple(shaped), open_end


_MATCHERS: dict[tuple[str, int], _Matcher] = {}
_MATCHER_LOCK = threading.Lock()


def _matcher(gazetteer: Gazetteer) -> _Matcher:
    # Keyed by content (the version digest covers the bundle and the user's files), so
    # every Gazetteer.load() of the same data shares one automaton.
    key = (gazetteer.version, len(gazetteer))
    m = _MATCHERS.get(key)  # (a dictionary read needs no lock: the common case)
    if m is not None:
        return m
    with _MATCHER_LOCK:
        m = _MATCHERS.get(key)
        if m is None:
            if len(_MATCHERS) >= 4:
                _MATCHERS.clear()
            m = _MATCHERS[key] = _Matcher(gazetteer)
        return m


@lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    from .gazetteer import Gazetteer

    return Gazetteer.load()


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
    demonym: bool = False
    embedded: bool = False  # part of an organisation's or a title's name


def _cap(word: str) -> bool:
    return word[:1].isupper()


def find_toponyms(text: str, gazetteer: Gazetteer, *,
                  sentences: list[tuple[int, int]] | None = None) -> list[_Span]:
    """Recognize toponym spans in *text* (not yet resolved), longest match first.

    Returns internal spans with ``start``, ``end`` (character offsets), ``key`` (the
    normalized name) and ``kind_hint`` (the feature word's kind, if any).

    Examples
    --------
    >>> from frontline.gazetteer import Gazetteer
    >>> text = "Denzel Washington visited the Kherson region and Mykolaiv."
    >>> [text[s.start:s.end] for s in find_toponyms(text, Gazetteer.load())]
    ['Kherson region', 'Mykolaiv']
    """
    return _recognize(_doc(text, sentences, gazetteer), gazetteer)


def _recognize(doc: _Doc, gazetteer: Gazetteer) -> list[_Span]:
    tokens = doc.tokens
    if not tokens:
        return []
    raw = _matcher(gazetteer).find(doc)
    raw.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
    taken = [False] * len(tokens)
    spans: list[_Span] = []
    name_parts: list[str] = []
    single = doc.single
    for first, last, key, shape in raw:
        if first == last and first in single:  # a capitalized word alone: the common case
            tok = tokens[first]
            if taken[first] or not _lone_word_is_name(doc, tok, gazetteer, key):
                continue
            prev, gap = doc.prev_word(tok.start)
            if prev.rstrip(".") in _TITLES and gap.strip() in ("", "."):
                name_parts.append(key)  # "Gen. Washington"
                continue
            taken[first] = True
            spans.append(_Span(first, first, key, tok.start, tok.end, doc.sentence(tok.start)))
            continue
        if any(taken[first:last + 1]):
            continue
        if last > first and tokens[first].low == "the":
            # "The United States" is "United States"; "The US" is "US", found as "the us".
            if gazetteer.candidates(key[4:]):
                key = key[4:]
            first += 1
        if not _looks_like_name(doc, first, last, gazetteer, key, shape=shape):
            continue
        verdict = _inside_longer_name(doc, first, last, gazetteer, key)
        if verdict == "person":
            name_parts.append(key)
        if verdict and (verdict != "org" or last == first and
                        not _is_major(gazetteer.candidates(key))):
            continue  # (a name of several words inside an organisation's name is kept)
        for i in range(first, last + 1):
            taken[i] = True
        start = tokens[first].start
        spans.append(_Span(first, last, key, start, tokens[last].end, doc.sentence(start),
                           embedded=verdict == "org"))
    # "Amy Walker ... Walker said": a name the article uses as a person's surname is
    # that person elsewhere too, unless it is a major place.
    blocked = {k for k in name_parts if not _is_major(gazetteer.candidates(k))}
    if blocked:
        spans = [s for s in spans if s.key not in blocked or s.last > s.first
                 or _locative_before(doc, s)]
    spans.sort(key=lambda s: s.start)
    for span in spans:
        _attach_kind_hint(doc, span, taken)
    return spans


def _locative_before(doc: _Doc, span: _Span) -> bool:
    """Whether a preposition of place stands right before the span ("in Walker")."""
    prev, gap = doc.prev_word(span.start)
    return prev in _LOCATIVE and not gap.strip()


def _is_major(candidates: list[Place]) -> bool:
    return any(p.kind in ("country", "region") or p.population >= 500_000 for p in candidates)


def _looks_like_name(doc: _Doc, first: int, last: int, gazetteer: Gazetteer,
                     key: str, *, shape: int | None = None) -> bool:
    """Whether tokens *first* to *last* read as a proper name here; *shape* is their
    ``_name_shape`` when known already."""
    toks = doc.tokens[first:last + 1]
    if shape is None:
        shape = _name_shape([t.word for t in toks], [t.low for t in toks])
    return shape == _NAME or shape == _ONE_WORD and \
        _lone_word_is_name(doc, toks[0], gazetteer, key)


def _name_shape(words: list[str], lows: list[str]) -> int:
    """Whether the words of a match (as written, and in lower case) form a proper name.

    ``_NAME`` or ``_NOT_NAME``; ``_ONE_WORD`` for one capitalized word, a name or not
    depending on where it stands (see ``_lone_word_is_name``). It depends on the words
    alone, so the plan of a run holds it for each of its matches.

    Examples
    --------
    >>> [_name_shape(w.split(), w.lower().split()) for w in
    ...  ("Sea of Azov", "Laurel County", "sea of Azov", "Kherson region", "Kherson")]
    [1, 1, 0, 2, 2]
    """
    n = len(words)
    while n > 1 and lows[n - 1] in _FEATURE_WORDS:
        # "Kherson region", "Dnipro river", "Zaporizhzhia nuclear power plant": lower-case
        # feature words may end a name the gazetteer knows.
        n -= 1
    if not _cap(words[0]) or not _cap(words[n - 1]):
        return _NOT_NAME
    if any(not _cap(w) and w.lower() not in _CONNECTORS for w in words[:n]):
        return _NOT_NAME
    if n > 1 or n < len(words) and _cap(words[n]):
        return _NAME  # "Laurel County", "Orange County": a capitalized feature word
    return _ONE_WORD


def _lone_word_is_name(doc: _Doc, tok: _Token, gazetteer: Gazetteer, key: str) -> bool:
    """Whether a one-word match reads as a proper name here (capitalization, position)."""
    word = tok.word
    if not word[:1].isupper():
        return False
    if word.isupper() and len(word) > 1:
        if len(word) > 3 and doc.opens_sentence(tok.start) and \
                _is_dateline(doc, tok, gazetteer.candidates(key)):
            return True  # "KYIV, Ukraine (AP) —", "WASHINGTON —", "LONDON The Latest"
        # Other acronyms only when they name a country or region ("UK", "UAE"), written
        # just so ("BBC" is not "BC").
        if doc.headline(tok.start):
            return False
        bare = word.replace(".", "")
        return any(p.kind in ("country", "region") and
                   any(n.replace(".", "") == bare for n in gazetteer.names_of(p.place_id))
                   for p in gazetteer.candidates(key))
    if len(word) < 3:
        # Only a state's abbreviation with its period: "Louisville, Ky.", "Baltimore, Md."
        return len(word) == 2 and doc.text.startswith(".", tok.end) and any(
            _abbreviates(gazetteer, word, p) for p in gazetteer.candidates(key))
    if tok.low in _NOT_ALONE and not _container_follows(doc, tok) or tok.low in _DEMONYMS:
        return False  # ("Syrian" is no spelling of the Iranian town Sirjan)
    if doc.opens_sentence(tok.start) or doc.headline(tok.start):
        # Capitalized anyway here: a common word is not a name.
        return tok.low not in _FUNCTION_WORDS and not doc.written_lower(tok.low)
    return True


def _abbreviates(gazetteer: Gazetteer, word: str, place: Place) -> bool:
    """Whether *word* and a period is how the gazetteer writes a region ("Kan.", "Ky.")."""
    return place.kind == "region" and f"{word}." in gazetteer.names_of(place.place_id)


def _currency_follows(doc: _Doc, tok: _Token) -> bool:
    """Whether a currency follows the word: "US dollars", "US$3.7m", "HK$ 5"."""
    if doc.text[tok.end:tok.end + 1] == "$":
        return True
    gap, word = doc.next_word(tok.end)
    return not gap.strip() and word in ("dollar", "dollars", "cents")


def _is_dateline(doc: _Doc, tok: _Token, candidates: list[Place]) -> bool:
    """Whether a word in capitals that opens a sentence is a dateline's place."""
    after = doc.text[tok.end:tok.end + 40]
    if re.match(r"(?:,[^\n(—–]{1,30})?\s*(?:\(|—|–|-{1,2}\s)", after):
        return True
    return any(p.kind == "country" or p.population >= 100_000 and
               normalize_name(p.name) == tok.key for p in candidates)


def _container_follows(doc: _Doc, tok: _Token) -> bool:
    """Whether ", Name" follows (a container such as a state or country)."""
    m = _NEXT_WORD.match(doc.text, tok.end + (2 if tok.possessive else 0))
    return m is not None and m.group(1).strip() == "," and _cap(m.group(2)) and \
        m.group(2).lower() not in _FOLLOWERS


def _inside_longer_name(doc: _Doc, first: int, last: int, gazetteer: Gazetteer,
                        key: str) -> str:
    """Whether the match is part of a longer proper name: a person, an outlet, a firm.

    Returns "" (it is not), "person" (a title or a capitalized word before it, as in
    "President Zelenskiy", "Denzel Washington"), "name" (a longer name, as in "New
    Jersey" or "Colorado State University") or "org" (the place qualifies the name of
    an outlet, a body or a firm: "Washington Post", "Ohio Supreme Court", "Air Canada",
    "HSBC Malta"). A compass word before a country or a state is a part of it, not
    another name ("North Texas").
    """
    tokens = doc.tokens
    head, tail = tokens[first], tokens[last]
    prev, gap = doc.prev_word(head.start)
    if prev.rstrip(".") in _TITLES and gap.strip() in ("", "."):
        return "person"  # "President Zelenskiy", "Gen. Washington"
    if first > 0 and tokens[first - 1].run == head.run and not tokens[first - 1].possessive:
        before = tokens[first - 1]
        if doc.opens_sentence(before.start) and before.low.endswith(("ing", "ed", "ly")) \
                and len(before.low) > 5:
            return ""  # "Considering Tunisia's interest": a verb or an adverb, not a name
        if before.low in _COMPASS and doc.text[before.end:head.start] == " " and \
                any(p.kind in ("country", "region") for p in gazetteer.candidates(head.key)):
            return ""  # "Northeast Georgia", "South Florida"
        if (_cap(before.word) and not doc.headline(head.start)
                and before.low not in _KIND_BEFORE and before.low not in _PREFIXES
                and not (doc.written_lower(before.low) and doc.opens_sentence(before.start))
                and not any(p.kind == "country" for p in gazetteer.candidates(before.key))):
            # "Denzel Washington" (a person); "New Jersey", "Denver-Aurora" (longer names).
            joined = doc.text[before.end:head.start].strip() != ""
            if joined or before.low in _NAME_HEADS:
                return "name"
            brand = (before.low in _ORG_FIRSTS  # "Air Canada"
                     or before.word.isupper() and len(before.word) > 1  # "HSBC Malta"
                     or any(c.isupper() for c in before.word[1:]))  # "FrontCounter BC"
            if brand and any(p.kind in ("country", "region") for p in gazetteer.candidates(key)):
                return "org"  # "Air Canada", "HSBC Malta", "FrontCounter BC"
            return "person"
    if last + 2 < len(tokens) and tokens[last + 2].run == tail.run and not tail.possessive \
            and tokens[last + 1].low in _KIND_AFTER and _cap(tokens[last + 1].word) \
            and _cap(tokens[last + 2].word) and tokens[last + 2].low not in _FOLLOWERS \
            and not any(p.kind == "country" for p in gazetteer.candidates(key)):
        return "name"  # "Colorado State University"; but "the U.S. State Department"
    if last + 1 < len(tokens) and tokens[last + 1].run == tail.run and not tail.possessive:
        after = tokens[last + 1]
        if (_cap(after.word) and not doc.headline(tail.start)
                and after.low not in _KIND_AFTER and after.low not in _FOLLOWERS
                and after.low.rstrip(".") not in _INSTITUTIONS
                and not (after.word.isupper() and len(after.word) <= 3)):
            # "Washington Post", "Ohio Supreme Court"; "Paul Francis Floyd" is a person.
            heads = (t.low for t in tokens[last + 1:last + 6] if t.run == tail.run)
            if any(h in _ORG_HEADS for h in heads) or any(
                    p.kind == "country" or not p.country_code or p.population >= 500_000
                    and normalize_name(p.name) == tail.key
                    for p in gazetteer.candidates(key)):
                return "org"
            return "name"
    return ""


#: Last words of names of organisations, outlets and events that a place name qualifies
#: ("Washington Post", "Texas Southern University", "Georgia Bureau of Investigation").
_ORG_HEADS = _words("""
    post times independent pravda herald tribune journal gazette telegraph guardian chronicle
    daily news press star globe mail observer review radio television tv
    university college institute academy school schools court courts council assembly
    legislature senate congress parliament commission committee board bureau agency authority
    department office service services ministry guard patrol police club association society
    sheriff sheriff's coroner commissioners attorney prosecutor's clerk
    federation union league foundation fund trust bank exchange company corporation group
    party church cathedral museum hospital airport airlines railway railways cup
    championship open marathon games festival""")

#: First words of names of firms and bodies that end with a country or a state
#: ("Air Canada", "Bank Malta", "Visit Scotland").
_ORG_FIRSTS = _words("air bank star radio visit business building team club")

#: Compass words that pick out a part of a country or a state ("North Texas").
_COMPASS = _words("north south east west northeast northwest southeast southwest")

#: Offices and institutions a place name may qualify ("Kherson Governor", "Pakistan Army"):
#: the place is named, as the seat of the institution, not as where something happened.
_INSTITUTIONS = _TITLES | _words("""
    police army navy ministry government council parliament military forces guard guards
    authorities administration officials prosecutor prosecutors court embassy consulate
    department fire security service services governor's mayor's""")


def _attach_kind_hint(doc: _Doc, span: _Span, taken: list[bool]) -> None:
    tokens = doc.tokens
    if span.last > span.first and tokens[span.last].low in _KIND_AFTER:
        span.kind_hint = _KIND_AFTER[tokens[span.last].low]
        return
    tail = tokens[span.last]
    if not tail.possessive:
        gap, word = doc.next_word(tail.end)
        if word in _KIND_AFTER and not gap.strip() and \
                not (span.last + 1 < len(tokens) and taken[span.last + 1]):
            span.kind_hint = _KIND_AFTER[word]
            return
    prev, gap = doc.prev_word(span.start)
    if prev == "of" and not gap.strip():
        # "the city of X", "the village of X"
        before, gap2 = doc.prev_word(span.start - len(gap) - 2)
        hint = _KIND_BEFORE.get(before)
        if hint and not gap2.strip():
            span.kind_hint = hint
            return
    if prev in ("lower", "upper", "middle") and not gap.strip() and span.last == span.first:
        span.kind_hint = "river"  # "along the lower Dnipro"
        return
    # "the Dnipro", "across the Dnieper": a bare name after "the" is rarely a city. But
    # in "the Mexico border" and "The Washington Post" the article goes with the noun.
    if prev == "the" and not gap.strip() and span.last == span.first and not span.embedded:
        gap, word = doc.next_word(tail.end)
        if word and not gap.strip() and doc.text[tail.end + len(gap)].islower() and \
                word not in _FUNCTION_WORDS and not word.endswith(("ed", "s", "ing")):
            return  # a noun follows ("border", "area"), not a verb ("continued", "flows")
        span.kind_hint = "the"


def _demonym_spans(doc: _Doc, taken_spans: list[_Span], gazetteer: Gazetteer) -> list[_Span]:
    """Demonyms and adjectives of countries ("French", "Ukrainians"), for opt-in use."""
    used = [(s.start, s.end) for s in taken_spans]
    out = []
    for s, word in doc.words():
        e = s + len(word)
        country = _DEMONYMS.get(word)
        if country is None or not doc.text[s].isupper() or doc.text[s:e].isupper() or \
                any(a < e and s < b for a, b in used):
            continue
        places = [p for p in gazetteer.candidates(normalize_name(country))
                  if p.kind == "country"] or gazetteer.candidates(normalize_name(country))[:1]
        if places:
            out.append(_Span(-1, -1, normalize_name(word), s, e, doc.sentence(s),
                             candidates=places[:1], demonym=True))
    return out


# ------------------------------------------------------------------------ resolution

#: With no feature word, a bare name is most often the city, then the country or region.
_BARE_KIND = {"city": 1.0, "country": 5.0, "region": 1.2, "district": -1.0, "river": -0.2,
              "waterbody": 0.0, "landform": 0.3, "facility": 0.0}


#: After "the", a bare name is a river or a region far more often than a town.
_AFTER_THE = {"city": -1.0, "country": 5.0, "region": 2.0, "district": 0.0, "river": 4.5,
              "waterbody": 3.0, "landform": 2.0, "facility": 1.0}
#: A name that is only another spelling of a place (not its own name) is weaker evidence.
_ALTERNATE_NAME = 1.5


#: What the scores before context of a (name, kind hint) hold: (score, place, the key of
#: the place's region's name when it is not a region itself, else None) for the best
#: ``_MAX_CANDIDATES``, best first; and whether any of them lies in a country with cue
#: words (when none does, the sentence's cue words need not be looked for).
_BaseEntries = tuple[tuple[tuple[float, Place, str | None], ...], bool]


@dataclass(slots=True)
class _Context:
    countries: dict[int, set[str]] = field(default_factory=dict)  # sentence -> country codes
    regions: dict[int, set[tuple[str, str]]] = field(default_factory=dict)  # -> (cc, admin1)
    cues: dict[int, set[str]] = field(default_factory=dict)       # sentence -> cue countries
    doc: _Doc | None = None
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
        s -= _ALTERNATE_NAME
    if hint == "the":
        s += _AFTER_THE.get(kind, 0.0)
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
        s += _BARE_KIND.get(kind, 0.0)
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


def _base_entries(span: _Span, prior: Mapping[str, float],
                  population: Mapping[tuple[str, str], int] | None) -> _BaseEntries:
    """The candidates of a span scored before context (see ``_BaseEntries``)."""
    base = [(_base_score(p, span.key, span.kind_hint, prior), p) for p in span.candidates]
    if population is not None:
        _weigh_regions(base, population)
    base.sort(key=lambda sp: -sp[0])
    entries = tuple((s, p, _region_base(p.admin1) if p.admin1 and p.kind != "region" else None)
                    for s, p in base[:_MAX_CANDIDATES])
    return entries, any(p.country_code in _COUNTRY_CUES for _, p, _ in entries)


def _scores(span: _Span, ctx: _Context, prior: Mapping[str, float]) -> list[tuple[float, Place]]:
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


#: Candidates beyond the gazetteer's best few hundred never win and only cost time.
_MAX_CANDIDATES = 30


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
    gaz = gazetteer if gazetteer is not None else _default_gazetteer()
    prior = DEFAULT_PRIOR if prior is None else prior
    text = article if isinstance(article, str) else article.text
    article_id = "" if isinstance(article, str) else article.article_id
    doc = _doc(text, sentences, gaz)
    spans = _recognize(doc, gaz)
    for span in spans:
        span.candidates = gaz.candidates(span.key)
    spans = [s for s in spans if s.candidates]
    extra = _demonym_spans(doc, spans, gaz) if demonyms else []
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


def _context(doc: _Doc, spans: list[_Span], prior: Mapping[str, float],
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
                _confidence(scored) >= 0.8 and len(anchors) < _MAX_ANCHORS:
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


#: The places that anchor an article's coherence: enough to locate it, few to be quick.
_MAX_ANCHORS = 12


def _resolve(doc: _Doc, spans: list[_Span], ctx: _Context, prior: Mapping[str, float],
             article_id: str) -> list[Mention]:
    # Pass 2: with coherence; one sense per (name, kind hint, container) in the article.
    def group_key(span: _Span) -> tuple:
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
                _KIND_AFTER.get(tokens[nxt].low) == place.kind and \
                tokens[nxt].word[:1].isupper() and not tokens[span.last].possessive:
            end = tokens[nxt].end  # "the Dnipro River" -> "Dnipro River"
        elif text[end:end + 1] == "." and span.first == span.last and end - span.start <= 6 \
                and ctx.gazetteer is not None and \
                _abbreviates(ctx.gazetteer, text[span.start:end], place):
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


#: Verbs of speech: a small place right before one is a person ("Barry said").
_SPEECH = _words("said says told tells added adds explained explains wrote writes tweeted "
                 "asked asks replied replies recalled recalls noted notes recounted")
#: Words before a name that say it is a location ("in Noma", "near Jais").
_LOCATIVE = _words("in at near from to into outside inside around toward towards via across "
                   "through of between within throughout off along past beyond")


#: Countries whose districts (raions) are named after their administrative centres.
_RAION_COUNTRIES = frozenset({"UA", "RU", "BY", "MD"})
_COMPATIBLE = {"district": {"district", "region"}, "region": {"region", "district", "country"},
               "river": {"river", "waterbody"}, "waterbody": {"waterbody", "river"},
               "landform": {"landform"}}


def _wrong_namesake(span: _Span, place: Place) -> bool:
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


def _unsupported(doc: _Doc, span: _Span, place: Place, ctx: _Context,
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
        if word in _SPEECH and not gap.strip():
            return True  # "Barry said"
    own_name = normalize_name(place.name) == span.key
    limit = 50_000 if own_name else 1_000_000
    if population >= limit or prior.get(place.country_code, 0.0) >= 1.0:
        return False
    prev, gap = doc.prev_word(span.start)
    if prev in _LOCATIVE and not gap.strip() and own_name:
        return False
    if ctx.article_countries.get(place.country_code, 0) > (place.kind == "region"):
        return False  # (a region counts for its own country: not support enough)
    if place.admin1 and ctx.doc is not None and _region_base(place.admin1) in ctx.doc.caps \
            and _region_base(place.admin1) != span.key:
        return False  # its region is named: "Lima ... Ohio"
    return not any(distance_km(place.latitude, place.longitude, a[0], a[1]) < 300
                   for a in ctx.anchors if a[2] != span.key)


def _adjectival(doc: _Doc, span: _Span, place: Place) -> bool:
    """Whether a country's possessive only qualifies one of its institutions.

    "Russia's Defense Ministry" says no more about a place than "the Russian Defense
    Ministry": like a demonym, it is not a toponym. "Moscow's demands" (a capital for its
    government) stays a non-literal mention; "Ukraine's east" a literal one.
    """
    last = doc.tokens[span.last]
    if place.kind != "country" or not last.possessive:
        return False
    gap, word = doc.next_word(last.end + 2)
    return not gap.strip() and word in _STATE_BODIES


#: Institutions a country's possessive may qualify ("Russia's Defense Ministry").
_STATE_BODIES = _words("""ministry defence defense foreign interior army military navy air
    armed government parliament president prime deputy general security intelligence
    officials forces troops border emergencies emergency prosecutor national central""")


def _is_actor(doc: _Doc, span: _Span, place: Place) -> bool:
    """Whether a place stands for an institution: a capital or a country for its
    government ("Moscow said"), any place for the office it names ("Kherson Governor")."""
    last = doc.tokens[span.last]
    if place.kind == "country" and _currency_follows(doc, last):
        return True  # "US dollars": the country's currency, not the country
    pos = last.end + (2 if last.possessive else 0)
    gap, word = doc.next_word(pos)
    if not word or "\n" in gap:
        return False
    if not gap.strip() and word in _INSTITUTIONS and doc.text[pos + len(gap)].isupper():
        return True  # "Kherson Governor Yanushevych", "Pakistan Army engineers"
    if place.kind != "country" and (place.kind != "city" or place.population < 300_000):
        return False
    if last.possessive:
        # "Washington's aid", "Russia's Defense Ministry"; "Ukraine's east" stays a place.
        return word in _ACTOR_NOUNS
    if gap.strip():
        return False  # punctuation between: "Kyiv, the capital"
    if word not in _MODALS and word not in _AUXILIARIES:
        return word in _ACTOR_VERBS
    after = doc.next_words(pos)
    follow = after[1][1] if len(after) > 1 and not after[1][0].strip() else ""
    if word in _MODALS:
        if follow == "not":
            follow = after[2][1] if len(after) > 2 else ""
        return follow not in _PASSIVE
    if word in _AUXILIARIES:
        return follow in _ACTOR_VERBS  # "Russia has said"; "Kyiv has been shelled" is a place
    return word in _ACTOR_VERBS


#: Words that may stand between an actor and its verb ("Moscow has long said").
_AUXILIARIES = _words("has have had also then later again already still repeatedly "
                      "reportedly previously officially long")
