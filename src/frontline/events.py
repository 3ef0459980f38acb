"""Events: dated, located, typed occurrences, from sentences to the event table.

Three steps turn sentences into the event table:

1. :func:`classify` types a sentence with a lexicon of war-reporting cues (ACLED-like
   taxonomy, :data:`EVENT_TYPES`), and :func:`reports_event` says whether it reports
   something that happened at all, as opposed to background or commentary.
2. :func:`extract_events` makes one :class:`Event` per (event sentence, event place):
   locators ("a town east of Sloviansk", "left for Dnipro", "the governor of the Kherson
   region"), governments ("Moscow said", "accuses Kyiv"), places in modal or "since"
   clauses, and countries or regions beside a more specific place are skipped. A
   sentence that names no place takes the place of its paragraph (the episode), and
   history recalled in passing ("annexed Crimea in 2014") makes no row.
3. :func:`merge_events` joins reports of the same place, day and type from several
   articles, and :class:`EventTable` holds the result as a GeoDataFrame, validates it,
   filters it and writes it to CSV, GeoJSON, GeoPackage or GeoParquet.

Dating rules (``time_precision``): the expression's precision gives the code through
:data:`frontline.timex.PRECISION_CODE` (day 1, week 2, month or vaguer 3). A date that
falls back on the publication date is at best week-precise (code 2): the article says
the event happened, not that it happened on the day it was printed. Sentences without
a date make no events; pass ``undated=[]`` to :func:`extract_events` to collect them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import operator
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .acled import read_acled
from .event_schema import EVENT_COLUMNS, HISTORY_DAYS, MAP_HIDDEN_TYPES, Event, row_order
from .event_types import (
    EVENT_TYPES,
    MAX_QUOTE,
    MAX_SENTENCE,
    Scan,
    Verdict,
    analyse,
    classify,
    is_habitual,
    reports_event,
    scan_sentence,
)
from .patterns import FOLDS_TO_ASCII, Gated, foldless, last_words
from .records import maker
from .timex import PRECISION_CODE, own_dates, span_of

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    from .articles import Article
    from .event_table import EventTable
    from .geoparse import Mention
    from .timex import DatedSentence

__all__ = [
    "EVENT_TYPES",
    "EVENT_COLUMNS",
    "MAP_HIDDEN_TYPES",
    "Event",
    "EventTable",
    "classify",
    "reports_event",
    "extract_events",
    "merge_events",
]

#: ``Event(...)`` made faster (see :func:`frontline.records.maker`).
_event = maker(Event)
_FINE_KINDS = frozenset({"city", "facility", "district"})
_COARSE_KINDS = frozenset({"region", "country", "river", "waterbody", "landform"})
_DATE_SOURCE_WEIGHT = {"own": 1.0, "carried": 0.9, "published": 0.75}
# A place carried from the sentences before is less certain than a named one.
_CARRIED_PLACE_WEIGHT = 0.8
# Cities this large are named for their governments as often as for themselves
# ("Moscow said", "Kyiv denied"): like countries, they need a locative context.
_METONYM_POPULATION = 500_000
# An event dated to a month or vaguer that ended this long before publication is a recap
# of history ("after Russia annexed Crimea in 2014"), not news.
_RECAP_DAYS = 45
# An event may be dated this many days after its article's publication (time zones).
_GRACE_DAYS = 1

# The text just before a mention that makes it a locator, not the event's place.
_LOCATOR_BEFORE = re.compile(
    r"(?:"
    r"\d[\d.,]*\s*(?:-\s*)?(?:km|kilometers?|kilometres?|miles?|mi)\b[^,;.()]{0,30}?"
    r"\b(?:of|from)\b[^,;()]{0,60}"
    r"|(?<![\w-])(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)"
    r"(?:ern)?\s+of\s+(?:the\s+)?(?:(?:city|town|village|port|region|oblast|settlement)"
    r"\s+of\s+)?"
    r"|(?<![\w-])(?:linking|connecting|between)\s+[^,;.]{0,60}"
    # where people went, or set off from: the event is elsewhere
    r"|(?<![\w-])(?:left|fled|moved|relocated|headed|went|bound|taken|evacuated|sent|"
    r"evacuate|evacuating|resupply|resupplying|"
    r"returned|travel+ed)\s+(?:\w+\s+){0,2}?(?:for|to|towards?)\s+(?:the\s+)?"
    r"(?:(?:city|town|village|region)\s+of\s+)?"
    r"|(?<![\w-])(?:set\s+(?:off|out)|departed|started\s+out|drove|came)\s+(?:\w+\s+){0,4}?"
    r"from\s+(?:the\s+)?(?:(?:city|town|village|region)\s+of\s+)?"
    r"|(?<![\w-])(?:borders?|bordering|border\s+with)\s+(?:\w+\s+){0,2}?"
    r")$",
    re.IGNORECASE,
)
_LOCATOR_GATED = Gated(_LOCATOR_BEFORE)
# A title: "the governor of the Kherson region", "the mayor of Mykolaiv".
_TITLE_BEFORE = re.compile(
    r"(?<![\w-])(?:governor|mayor|head|chief|administration|council|authorities|"
    r"prosecutor|police|commander|commandant)\s+(?:\w+\s+)?(?:of|for)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_TITLE_GATED = Gated(_TITLE_BEFORE)
# The word that ends every match of _TITLE_BEFORE, before an optional "the".
_TITLE_LAST_WORDS = frozenset({"of", "for"})
# "X, a town near Y": Y only describes X.
_APPOSITIVE_GAP = re.compile(
    r"^\s*,\s*(?:a|an|the)\s+(?:[\w'’-]+\s+){0,6}?(?:of|from|near|outside|in|to|by|on|"
    r"off|beyond|across)\s+(?:the\s+)?(?:(?:city|town|village|region)\s+of\s+)?$",
    re.IGNORECASE,
)
# Fighting or a strike placed by a direction from a town ("gains south of Bakhmut",
# "attacks northwest of Avdiivka"): the event is near that town, which no other place
# of the sentence locates.
_FRONT_DIRECTION = re.compile(
    r"(?<![\w-])(?:gains?|gained|advanc\w*|attack\w*|assaults?|assaulted|fight\w*|"
    r"clash\w*|battles?|counter-?attack\w*|counter-?offensives?|offensive\s+operations|"
    r"push\w*|pressed|repel\w*|repuls\w*|positions|operations|struck|strikes?|shell\w*)"
    r"\s+(?:[\w-]+\s+){0,3}?(?:north|south|east|west|north-?east|north-?west|south-?east|"
    r"south-?west)(?:ern)?\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_NEAR_BEFORE = re.compile(
    r"(?<![\w-])(?:near|outside|around|close to|vicinity of|outskirts of|approaches to|"
    r"direction of|towards?|on the (?:\w+ )?flanks? of)\s+(?:the\s+)?"
    r"(?:(?:city|town|village|settlement)\s+of\s+)?$",
    re.IGNORECASE,
)
# A place a statement was made at: "said in Washington", "a summit in Hiroshima".
_VENUE_BEFORE = re.compile(
    r"(?<![\w-])(?:said|says|told\s+(?:\w+\s+){0,2}|speaking|spoke|announced|addressing|"
    r"summit|meeting|talks|conference|visit(?:ing|ed)?|trip|news briefing|briefing|"
    r"statement|address)\s+(?:(?:\w+\s+){0,3}?|(?:at|in|to)\s+(?:a|an|the)\s+"
    r"(?:[\w'’-]+\s+){0,3}?)(?:in|at|to)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_VENUE_GATED = Gated(_VENUE_BEFORE)
# The word that ends every match of _VENUE_BEFORE, before an optional "the".
_VENUE_LAST_WORDS = frozenset({"in", "at", "to"})
# Words right after a name that make it part of another name or an actor:
# "Moscow time", "the Khortytsia group of forces", "the Donetsk front", "the
# Zaporizhzhia nuclear power plant" (when the plant itself was not resolved),
# "Moscow's defence ministry", "Moscow-installed officials".
_NAME_PART_AFTER = re.compile(
    r"^(?:\s+(?:time\b|group\s+of\s+forces|operational\s+group|fronts?\b|ax[ie]s\b|"
    r"directions?\b|sectors?\b|regiment\b|battalion\b|brigade\b|"
    r"(?:nuclear\s+)?(?:power\s+)?(?:plant|station)\b|delta\b)"
    r"|-(?:installed|backed|appointed|controlled|led|allied|friendly|based|held)\b)",
    re.IGNORECASE,
)
_WATER_OF_BEFORE = re.compile(r"(?<![\w-])(?:sea|gulf|bay|strait|lake)\s+of\s+$", re.IGNORECASE)
# A name listed before "directions" or "axes": "the Bakhmut, Novopavlivske and Orikhiv
# directions" names three axes, not three towns.
_AXIS_LIST_AFTER = re.compile(
    r"^(?:\s*,\s*[A-Z][\w'’-]*+(?:\s+[A-Z][\w'’-]*+)?){0,8}\s*,?\s*(?:and|or)\s+"
    r"[A-Z][\w'’-]*+(?:\s+[A-Z][\w'’-]*+)?\s+(?:directions|axes|fronts|sectors)\b"
)
_ACTOR_AFTER = re.compile(
    r"^['’]s\s+(?:[\w-]+\s+){0,2}?(?:defen[cs]e|foreign|interior|military|army|armed|forces|"
    r"troops|government|ministry|officials?|authorities|president|leader(?:ship)?|navy|"
    r"air\s+force|general\s+staff|command(?:er|ers)?|spokes\w+|envoy|ambassador|aims?|"
    r"offensive|units|side|claims?|allies|partners|invasion|war|soldiers|marines|"
    r"prosecutors?|security|intelligence|(?:first|biggest|largest|latest)\b)",
    re.IGNORECASE,
)
# What makes a country or a large city the scene of an event rather than its government.
_LOCATIVE_WORDS = (
    "in at on near around outside over into across throughout inside within toward towards "
    "through against struck strike strikes hit hits shelled shelling attacked attacking "
    "targeted targeting bombed bombing entered captured reached besieged encircled "
    "surrounded liberated retook recaptured approaches outskirts centre center streets "
    "residents people"
).split()
# "Of" alone is no scene ("the Armed Forces of Ukraine", "the people of Denmark"): only
# after a word for a place's parts or an attack on it ("the outskirts of Kyiv").
_LOCATIVE_BEFORE = re.compile(
    r"(?<![\w-])(?:" + "|".join(_LOCATIVE_WORDS) + r")\s+(?:the\s+)?(?:(?:city|capital|"
    r"town|region)\s+of\s+|capital,?\s+)?$"
    r"|(?<![\w-])(?:residents|streets|outskirts|cent(?:re|er)|approaches|shelling|bombing|"
    r"bombardment|attacks?|strikes?|siege|capture|liberation|encirclement)\s+of\s+"
    r"(?:the\s+)?(?:(?:city|capital|town|region)\s+of\s+)?$"
    r"|(?<![\w-])(?:city|capital|town|village|port|region)\s+of\s+$",
    re.IGNORECASE,
)
_LOCATIVE_GATED = Gated(_LOCATIVE_BEFORE)
# The word that ends every match of _LOCATIVE_BEFORE, before an optional "the" (lower
# case; see _may_end_with).
_LOCATIVE_LAST_WORDS = frozenset([*_LOCATIVE_WORDS, "of", "capital", "capital,"])
_LOCATIVE_AFTER = re.compile(
    r"^\s+(?:was|were|has\s+been|had\s+been|is\s+being|came\s+under|comes\s+under|"
    r"suffered|residents|region|oblast|city|cent(?:re|er)|airport|station)\b",
    re.IGNORECASE,
)
# A dateline: "DNIPRO, Ukraine —". Possessive quantifiers and a bound on the words keep it
# linear: the earlier "(?:[A-Z][\w'’-]+\s*)+" backtracked for tens of seconds on long lists.
_DATELINE_AFTER = re.compile(r"^,[ \t]*[A-Z][\w'’-]*+(?:[ \t]+[A-Z][\w'’-]*+){0,3}[ \t]*[—–]")
_SEAT_OF_BEFORE = re.compile(
    r"(?<![\w-])(?:cent(?:re|er)|capital|heart|seat)\s+of\s+(?:the\s+)?$", re.IGNORECASE
)
# "the lower Dnipro": the river, even when the name was read as the city.
_RIVER_READING_BEFORE = re.compile(r"(?<![\w-])the\s+(?:lower|upper|middle)\s+$", re.IGNORECASE)
# What joins two places named together: "Kherson and Mykolaiv", "Kharkiv, Sumy".
_COORDINATION = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)")
# A clause break, for the reach of a modal word.
_CLAUSE_BREAK = re.compile(
    r"[,;:—–()]|(?<![\w-])(?:but|while|whereas|and\s+that)(?![\w-])", re.IGNORECASE
)
_MODAL_WORD = re.compile(
    r"(?<![\w-])(?:would|could|might|may|will|can|cannot|can't|should|[Ii]f|[Uu]nless|"
    r"whether|threaten\w*\s+to|aim\w*\s+to|plan\w*\s+to|tr(?:y|ies|ied|ying)\s+to|"
    r"attempt\w*\s+to|in\s+order\s+to|so\s+as\s+to|hop\w*\s+to)(?![\w-])(?!\s+\d)"
)
_MODAL_GATED = Gated(_MODAL_WORD)
# Temporal clauses that hold another event at another time: "since its forces pulled
# back from around Kyiv", "a day after the dam was destroyed".
_SINCE = re.compile(r"(?<![\w-])since\s+(?!then\b|that\s+time\b)", re.IGNORECASE)
_AFTER = re.compile(
    r"(?<![\w-])(?:(?P<n>a|an|one|two|three|four|five|six|seven|\d{1,2})\s+(?P<unit>days?|weeks?)"
    r"|(?P<same>hours|minutes|moments|shortly|soon)"
    r"|(?P<vague>days|weeks|months|years))\s+after\s+",
    re.IGNORECASE,
)
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
}
# References to a time the tagger cannot resolve; such a sentence must not borrow the
# date of the sentence before it.
_UNANCHORED_TIME = re.compile(
    r"(?<![\w-])(?:in|during|within)\s+the\s+(?:opening|first|early|initial|final|last)\s+"
    r"(?:days?|weeks?|months?|hours?|stages?)\s+of\s+the\s+(?:war|invasion|occupation|"
    r"conflict|full-scale\s+invasion)|(?<![\w-])at\s+the\s+(?:start|beginning|outset)\s+of"
    r"\s+the\s+(?:war|invasion|conflict|full-scale\s+invasion)"
    # another war's time: "during World War II", "the Nazis executed... there"
    r"|(?<![\w-])(?:(?:first|second)\s+world\s+war|world\s+war\s+(?:i|ii|one|two|1|2)|"
    r"wwii|ww2|great\s+patriotic\s+war)(?![\w-])",
    re.IGNORECASE,
)
_SINCE_THEN = re.compile(r"(?<![\w-])since\s+then(?![\w-])", re.IGNORECASE)
# A word every match of _UNANCHORED_TIME ends with (lower case).
_UNANCHORED_WORDS = ("war", "invasion", "occupation", "conflict", "wwii", "ww2")
_UNANCHORED_GATED = Gated(_UNANCHORED_TIME)
# A sentence that ends as a question, before closing quotes or brackets.
_QUESTION_END = re.compile(r"\?[\s\"'”’)\]]*$")
# Fewer words than this ("Capture.", "Shelling.") are a fragment of a list
# or a caption: too little to carry the story's place to.
_MIN_CARRIED_WORDS = 3
# A speaker's own voice ("we", "our", "you"): commentary, which takes no place from the
# story ("We are fighting for all of Europe", "You are fighting for us").
_SPEAKER_VOICE = re.compile(r"(?<![\w'’-])(?:[Ww]e|[Oo]ur|[Uu]s|[Yy]ou|[Yy]our|I)(?![\w'’-])")
# Words that point back to the place the story is about: "the town", "there".
_ANAPHOR = re.compile(
    r"(?<![\w-])(?:the|this|that)\s+(?:[\w-]+\s+)?(?:(?P<city>town|city|village|settlement)|"
    r"(?P<site>plant|station|bridge|dam|building|block|site|facility|reservoir))"
    r"(?![\w-])(?!\s+of\s+[A-Z])|(?<![\w-])(?P<there>there)(?![\w-])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Site:
    """A place where a sentence's event happened, with how it was found."""

    mention: Mention
    event_type: str
    sub_event_type: str
    geo_precision: int
    type_confidence: float
    shift_days: int = 0
    carried: bool = False


@dataclass(frozen=True, slots=True)
class _Clause:
    start: int  # offsets into the article text
    end: int
    kind: str  # "since", "after" or "vague"
    shift_days: int = 0


def extract_events(
    article: Article,
    mentions: Sequence[Mention],
    dated_sentences: Sequence[DatedSentence],
    *,
    undated: list[Event] | None = None,
) -> list[Event]:
    """One :class:`Event` per (event sentence, event place) of an article.

    A sentence's event happens at the places it names *as the scene*: not at places
    that only locate another ("a town east of Sloviansk", "the governor of the Kherson
    region", "left for Dnipro"), not at governments ("Moscow said", "Moscow's defence
    ministry", "accuses Kyiv": a country or a city of half a million or more counts only
    in a locative context such as "in Kyiv" or "struck Kyiv"), not at places in a modal
    clause ("would cut supply routes to Bakhmut"), and not at a country or region
    beside a finer place. Places in a "since ..." clause belong to the earlier event
    that clause describes; in "a day after ..." the clause's places get the day before.

    **The place of the episode.** A sentence that reports an event but names no place
    ("At least 40 people were killed by Saturday's missile strike") takes the place
    the story is at: the last event place, or failing that the first place named as a
    scene, of the same paragraph. Across a paragraph break the place is carried only to
    a sentence that points back to it ("the town", "the city", "the bridge",
    "there"), as a date is carried across a break only from a sentence that had one.
    Carried places lower the confidence by a fifth.

    **Background.** An event dated to a month or vaguer that ended more than
    :data:`_RECAP_DAYS` days before publication is a recap of history, not news, and
    makes no row; so does a sentence that refers to a time the tagger cannot resolve
    ("in the opening week of the invasion") but was dated from another sentence.

    Parameters
    ----------
    article : Article
        The article the offsets point into.
    mentions : sequence of Mention
        Resolved toponyms (offsets into ``article.text``); non-literal ones
        ("Moscow said") never make events.
    dated_sentences : sequence of DatedSentence
        One per sentence, with the date of what it reports.
    undated : list, optional
        If given, events of sentences without a date are appended to it (with
        ``date=""``) so they can be reported; they are never in the result.

    Returns
    -------
    list of Event
        In text order. Statements made at a place ("said in Washington") are typed
        ``statement``; places that only locate another place are skipped.

    Examples
    --------
    >>> import datetime as dt
    >>> from frontline.articles import Article
    >>> from frontline.gazetteer import Place
    >>> from frontline.geoparse import Mention
    >>> from frontline.timex import DatedSentence
    >>> text = "Russian forces shelled Siversk, a town east of Sloviansk, on Monday."
    >>> art = Article("a1", text, title="T", published=dt.date(2022, 7, 5))
    >>> siversk = Place("geonames:1", "Siversk", "city", "UA", "Donetsk", 48.87, 38.10)
    >>> slov = Place("geonames:2", "Sloviansk", "city", "UA", "Donetsk", 48.85, 37.61)
    >>> ms = [Mention("a1", 23, 30, "Siversk", siversk, 0.9),
    ...       Mention("a1", 47, 56, "Sloviansk", slov, 0.9)]
    >>> ds = [DatedSentence(0, len(text), dt.date(2022, 7, 4), "day", "own")]
    >>> [(e.place, e.date, e.event_type) for e in extract_events(art, ms, ds)]
    [('Siversk', '2022-07-04', 'shelling')]

    The place of the episode carries to a sentence that names none, and its toll is the
    strike's (one event per act):

    >>> text = "Russian shelling hit Siversk on Monday. Two people were killed."
    >>> art = Article("a1", text, title="T", published=dt.date(2022, 7, 5))
    >>> ms = [Mention("a1", 21, 28, "Siversk", siversk, 0.9)]
    >>> ds = [DatedSentence(0, 39, dt.date(2022, 7, 4), "day", "own"),
    ...       DatedSentence(40, len(text), dt.date(2022, 7, 4), "day", "carried")]
    >>> [(e.place, e.event_type, e.fatalities) for e in extract_events(art, ms, ds)]
    [('Siversk', 'shelling', 2)]
    """
    from .sentences import split_paragraphs

    text = article.text
    # Only literal mentions can be places of events ("Moscow said" is not).
    ordered = sorted((m for m in mentions if m.literal), key=_span_order)
    paragraph_starts = [start for start, _ in split_paragraphs(text)]
    events: list[Event] = []
    focus: Mention | None = None
    focus_paragraph = -1
    starts = [m.start for m in ordered]
    for ds in sorted(dated_sentences, key=_span_order):
        first, stop = bisect.bisect_left(starts, ds.start), bisect.bisect_right(starts, ds.end)
        inside = [m for m in ordered[first:stop] if m.end <= ds.end] if first < stop else []
        if not inside and focus is None:
            # A sentence that names no place can only report an event at the episode's
            # place: without one, or without a cue of an event, it changes nothing below.
            continue
        clauses = None
        scan = None  # of the sentence without its temporal clauses, once made
        sentence = text[ds.start : ds.end]
        if not inside:
            # Blanking the temporal clauses only takes cues away (no literal start of a
            # cue has a space after anything but a letter or digit; checked in
            # tests/test_events.py), so most sentences are rejected before finding them.
            scan = scan_sentence(sentence)
            if not scan.may_report_event():
                continue
            clauses = _temporal_clauses(text, ds.start, ds.end)
            if clauses:
                scan = scan_sentence(_blank(sentence, ds.start, clauses))
                if not scan.may_report_event():
                    continue
        tail = sentence[-4:]
        if "?" in tail and _QUESTION_END.search(tail):
            continue  # "Artillery against Odesa?": a question reports nothing
        paragraph = bisect.bisect_right(paragraph_starts, ds.start) - 1
        sites, subject, verdict, named, main_text, scan = _read_sentence(
            text, ds, inside, clauses, scan
        )
        if not sites and focus is not None:
            # The story's place, if the sentence reports an event and is about it. The
            # cheap tests first: the cue scan, then the anaphor, then the typing.
            if verdict is None:
                scan = scan or scan_sentence(main_text)
                possible = scan.may_report_event()
            else:
                possible = verdict.is_event
            if (
                possible
                and (
                    (focus_paragraph == paragraph and not named)
                    or _points_to(_ANAPHOR.search(main_text), focus)
                )
                and not _SPEAKER_VOICE.search(main_text)
                and len(main_text.split()) >= _MIN_CARRIED_WORDS
            ):
                verdict = verdict or analyse(main_text, scan=scan)
                if verdict.is_event:
                    sites = [
                        _Site(
                            focus,
                            verdict.event_type,
                            verdict.sub_event_type,
                            _geo_precision(focus.place, False),
                            verdict.confidence,
                            carried=True,
                        )
                    ]
        # "Since then the city has been shelled": a state since that date, which changes
        # nothing below. Tested last: a sentence without sites or subject changes
        # nothing anyway, and most are such.
        if (
            (sites or subject is not None)
            and ds.source != "own"
            and _refers_to_other_time(sentence[:MAX_SENTENCE])
        ):
            continue
        if not sites:  # most sentences
            if subject is not None:
                focus, focus_paragraph = subject, paragraph
            continue
        if any(s.mention.place.kind == "river" for s in sites):
            sites = _on_the_banks(sites, ordered)
        datings = _dating_each(text, ds, sites, article)
        memo: dict[Any, Any] = {}  # what the sentence's sites share (see _make_event)
        made = [
            e
            for e in (
                _make_event(article, s, d, sentence, memo)
                for s, d in zip(sites, datings, strict=True)
            )
            if e
        ]
        for event in _share_casualties(made):
            if event.date:
                events.append(event)
            elif undated is not None:
                undated.append(event)
        scene = {
            s.mention.place.place_id: s.mention
            for s in sites
            if not s.carried and s.event_type != "statement"
        }
        if len(scene) == 1:
            focus, focus_paragraph = next(iter(scene.values())), paragraph
            if _is_wide(focus.place):
                focus = None  # a country or continent is no story's scene
        elif scene:  # several places: the story is at none of them in particular
            focus = None
        elif subject is not None:
            focus, focus_paragraph = subject, paragraph
    return _one_per_act(events)


# Types of a strike from afar: the acts casualties and debris belong to.
_REMOTE_TYPES = frozenset({"shelling", "missile_strike", "air_drone_strike"})
# Killing that is an act of its own, not the toll of a strike.
_DIRECT_KILLING = re.compile(
    r"(?<![\w-])(?:execut\w*|massacre\w*|shot\s+dead|gunned\s+down|mass\s+graves?|"
    r"burial\s+sites?|summary\s+killings?|tortur\w*)(?![\w-])",
    re.IGNORECASE,
)


def _one_per_act(events: list[Event]) -> list[Event]:
    """One event per act of an article, in text order.

    Casualties ("24 people were injured", "two civilians were killed": ``civilian_harm``
    but no execution, massacre or shooting) reported at the place and within a day of a
    strike are that
    strike's: its ``fatalities``, ``injured`` and ``casualties`` take them (the larger
    count: a later figure updates an earlier one) and no second event is made, as
    ACLED codes one event with its fatalities. A strike at a place that a day-precise
    strike of the same article already dates, reported only vaguely (``time_precision``
    2: "Earlier, the governor said...") within that day's week, is the same strike.

    Examples
    --------
    >>> base = dict(time_precision=1, place_id="p:1", place="Kharkiv", kind="city",
    ...     admin1="", country_code="UA", latitude=50.0, longitude=36.2, geo_precision=1,
    ...     article_id="a", title="T", source="", url="", published="2024-01-23",
    ...     confidence=0.8, date="2024-01-23")
    >>> strike = Event("e1", event_type="missile_strike", sub_event_type="missile",
    ...                quote="Missiles hit Kharkiv.", fatalities=2, **base)
    >>> harm = Event("e2", event_type="civilian_harm", sub_event_type="casualties",
    ...              quote="11 were injured.", injured=11, casualties="11 were injured",
    ...              **base)
    >>> [(e.event_type, e.fatalities, e.injured) for e in _one_per_act([strike, harm])]
    [('missile_strike', 2, 11)]
    """
    if len(events) < 2:
        return events
    by_place: dict[str, list[int]] = {}
    for i, e in enumerate(events):
        by_place.setdefault(e.place_id, []).append(i)
    kept = list(events)
    dropped: set[int] = set()
    for indices in by_place.values():
        if len(indices) < 2:
            continue
        for i in indices:
            e = kept[i]
            vague_strike = e.event_type in _REMOTE_TYPES and e.time_precision == 2
            harm = e.event_type == "civilian_harm" and (
                e.sub_event_type == "casualties"
                or (e.sub_event_type == "killing" and not _DIRECT_KILLING.search(e.quote))
            )
            if not (harm or vague_strike):
                continue
            host = next(
                (
                    j
                    for j in indices
                    if j != i
                    and j not in dropped
                    and _is_blast(kept[j], strict=vague_strike)
                    and _same_act(kept[j], e, strict=vague_strike)
                ),
                None,
            )
            if host is None:
                continue
            kept[host] = _with_casualties(kept[host], e)
            dropped.add(i)
    return [e for i, e in enumerate(kept) if i not in dropped]


def _is_blast(e: Event, *, strict: bool) -> bool:
    """Whether *e* is an act a toll can belong to: a strike from afar, or (not
    *strict*) a blast of unknown means (a bomb, an explosion that brought down a
    bridge)."""
    if e.event_type in _REMOTE_TYPES:
        return True
    if strict:
        return False
    return e.acled_event_type == "Explosions/Remote violence" or (
        e.event_type == "infrastructure" and _BLAST_WORDS.search(e.quote) is not None
    )


_BLAST_WORDS = re.compile(
    r"(?<![\w-])(?:blasts?|explosions?|bombs?|exploded)(?![\w-])", re.IGNORECASE
)


def _same_act(strike: Event, other: Event, *, strict: bool) -> bool:
    """Whether *other* can report *strike* again: within a day of it, or (*strict*,
    for a vaguely dated strike) in the week up to the vague date, from a day-precise
    strike."""
    if not strike.date or not other.date:
        return False
    gap = (dt.date.fromisoformat(other.date) - dt.date.fromisoformat(strike.date)).days
    if strict:
        return strike.time_precision == 1 and 0 <= gap <= 6
    return abs(gap) <= 1


def _with_casualties(strike: Event, other: Event) -> Event:
    if not (other.fatalities or other.injured or other.casualties):
        return strike
    phrase = "; ".join(p for p in (strike.casualties, other.casualties) if p)
    return replace(
        strike,
        fatalities=max(strike.fatalities, other.fatalities),
        injured=max(strike.injured, other.injured),
        casualties=phrase,
        civilian_targeting=strike.civilian_targeting or other.civilian_targeting,
    )


_span_order = operator.attrgetter("start", "end")


def _read_sentence(
    text: str,
    ds: DatedSentence,
    inside: list[Mention],
    clauses: list[_Clause] | None = None,
    scan: Scan | None = None,
) -> tuple[list[_Site], Mention | None, Verdict | None, bool, str, Scan | None]:
    """The event places of one sentence.

    Returns ``(sites, subject, verdict, named, main_text, scan)``: *subject* is the
    first place named as a scene (for the episode's place), *named* whether any place
    other than a government is named (said only of a sentence that may report an
    event or a visit: of another the caller asks nothing), *main_text* the sentence
    without its temporal clauses. *verdict* is ``analyse(main_text)``, or None when no
    place needed it (then no site was found). *clauses* are the sentence's temporal
    clauses and *scan* is ``scan_sentence(main_text)``, when the caller has them already; the
    scan is returned.
    """
    start, end = ds.start, ds.end
    sentence = text[start:end]
    if clauses is None:
        clauses = _temporal_clauses(text, start, end)
    main_text = _blank(sentence, start, clauses)
    if not inside:
        return [], None, None, False, main_text, scan
    # Typing the sentence is the dearest step; many sentences name places only as
    # actors, titles or locators, or cannot type a place at all, and never need it.
    verdict: Verdict | None = None
    literal = inside  # the caller passes literal mentions only
    # "8,000 km2 have been retaken since the offensive began in early September": the
    # date is the clause's, the main clause's places have none.
    dated_by_since = (
        ds.source == "own"
        and ds.timex is not None
        and any(c.kind == "since" and c.start <= ds.timex.start < c.end for c in clauses)
    )
    sites: list[_Site] = []
    subject: Mention | None = None
    named = False
    seen: set[str] = set()
    prev: Mention | None = None
    prev_role: str | None = None
    # A sentence that can report neither an event nor a visit (nor holds a temporal
    # clause, which is typed alone) makes sites at venues only; the other roles serve
    # to find its subject. Once that is found, or no place left could be it (a country
    # never is), a place is only checked for a venue: the dearest step is spared for
    # nearly half of the places of press releases. Named together with a venue ("in
    # Paris and Berlin") a place may take that role, which its full role then tells.
    scan = scan or scan_sentence(main_text)
    quiet = not clauses and not scan.may_report_event_or_visit()
    last_subject = len(literal)
    if quiet:
        last_subject = max(
            (k for k, m in enumerate(literal) if m.place.kind != "country"), default=-1
        )
    for k, m in enumerate(literal):
        if quiet and (subject is not None or k > last_subject):
            coordinated_venue = (
                prev_role == "venue"
                and _COORDINATION.fullmatch(text, prev.end, m.start) is not None
            )  # type: ignore[union-attr]
            venue = _is_venue(text, start, end, m) or (
                coordinated_venue and _role(text, start, end, m, prev, prev_role) == "venue"
            )
            role = "venue" if venue else "not read"
        else:
            role = _role(text, start, end, m, prev, prev_role)
        prev, prev_role = m, role
        if role not in ("actor", "title"):
            named = True
        if role == "venue":
            if m.place.place_id not in seen:
                seen.add(m.place.place_id)
                verdict = verdict or analyse(main_text, scan=scan)
                sub = verdict.sub_event_type if verdict.event_type == "statement" else "diplomacy"
                sites.append(
                    _Site(
                        m,
                        "statement",
                        sub or "diplomacy",
                        _geo_precision(m.place, False),
                        verdict.confidence,
                    )
                )
            continue
        if role is not None:
            continue
        clause = next((c for c in clauses if c.start <= m.start < c.end), None)
        shift = 0
        if clause is None:
            if dated_by_since or _in_modal_clause(text, start, m):
                continue
            here = verdict  # None: the sentence's own type, found below if it can matter
        elif clause.kind == "since":
            timex = ds.timex
            if ds.source != "own" or timex is None or not clause.start <= timex.start < clause.end:
                continue
            here = analyse(text[clause.start : clause.end])
        elif clause.kind == "after":
            here, shift = analyse(text[clause.start : clause.end]), clause.shift_days
        else:
            continue
        if subject is None and not _is_wide(m.place):
            subject = m
        if here is None:
            if not scan.may_report_event_or_visit():
                continue  # below, only an event or a visit makes a site
            here = verdict = analyse(main_text, scan=scan)
        if here.event_type == "statement" and here.sub_event_type == "visit":
            if m.place.place_id not in seen:  # a visit happens where it is made
                seen.add(m.place.place_id)
                sites.append(
                    _Site(
                        m,
                        "statement",
                        "visit",
                        _geo_precision(m.place, False),
                        here.confidence,
                    )
                )
            continue
        if not here.is_event or here.event_type == "statement":
            continue
        if m.place.place_id in seen:
            continue
        seen.add(m.place.place_id)
        before = text[start : m.start]
        near = (
            _NEAR_BEFORE.search(before[-60:]) is not None
            or _FRONT_DIRECTION.search(before[-80:]) is not None
        )
        if (
            not near
            and sites
            and sites[-1].geo_precision == 2
            and _COORDINATION.fullmatch(text, sites[-1].mention.end, m.start)
        ):
            near = True  # "near Kurakhove and Vuhledar": near both
        sites.append(
            _Site(
                m,
                here.event_type,
                here.sub_event_type,
                _geo_precision(m.place, near),
                here.confidence,
                shift,
            )
        )
    return _prune(text, sites), subject, verdict, named, main_text, scan


def _is_wide(place: Any) -> bool:
    """A country, or a continent or union (a region of no country): a scene only where
    the text puts an event in it, never a story's place carried along."""
    return place.kind == "country" or (place.kind == "region" and not place.country_code)


def _is_venue(text: str, s_start: int, s_end: int, m: Mention) -> bool:
    """Whether the first two checks of :func:`_role` say ``"venue"`` (a venue is never
    part of another name): its role, unless *m* is named together with the place
    before it."""
    after = text[m.end : min(s_end, m.end + 80)]
    if _NAME_PART_AFTER.match(after) and m.place.kind != "facility":
        return False
    before = text[max(s_start, m.start - 80) : m.start]
    return (
        _may_end_with(before, _VENUE_LAST_WORDS)
        and _VENUE_GATED.search(before, before.lower()) is not None
    )


#: Where a strike came from, not where it hit: "fired from Belgorod", "missiles launched
#: from Crimea", "drones from the direction of Kursk".
_LAUNCHED_FROM = re.compile(
    r"\b(?:launch(?:ed|es|ing)?|fir(?:ed|es|ing|e)|shot|struck|strikes?|shell(?:ed|ing)|"
    r"flew|flying|coming|"
    r"missiles?|rockets?|drones?|shahed(?:s)?|bombs?|artillery|aircraft|planes|jets)\b"
    r"[^.;:!?]{0,40}?\bfrom\s+(?:the\s+)?(?:(?:around|near|inside|within|beyond)\s+"
    r"(?:the\s+)?)?(?:(?:direction|territory|side|area|grounds|outskirts|vicinity)\s+of\s+"
    r"(?:the\s+)?|occupied\s+|Russian-(?:held|occupied)\s+)?$",
    re.IGNORECASE,
)


def _role(
    text: str, s_start: int, s_end: int, m: Mention, prev: Mention | None, prev_role: str | None
) -> str | None:
    """Why a literally used place is not the scene of the sentence's event, or None.

    ``"venue"`` (a statement was made there), ``"actor"`` (a government or army named by
    its place), ``"name"`` (part of another name: "Moscow time", "the Donetsk front"),
    ``"title"`` ("the governor of the Kherson region"), ``"locator"`` (it only locates
    or describes another place), ``"origin"`` (a strike came from there).
    """
    before = text[max(s_start, m.start - 120) : m.start]
    low = before.lower()  # for the gated patterns; ASCII text keeps its offsets
    after = text[m.end : min(s_end, m.end + 80)]
    place = m.place
    if (
        _NAME_PART_AFTER.match(after) or _AXIS_LIST_AFTER.match(after)
    ) and place.kind != "facility":
        return "name"
    # The word before the place, for the patterns that end with one ("of", "lower"): a
    # cheap test before their search (None where a character may fold to a letter).
    spaced = before[-1:].isspace()
    last = before.rsplit(None, 1)[-1].lower() if spaced and before.isascii() else None
    if (
        place.kind != "waterbody"
        and spaced
        and last in (None, "of")
        and _WATER_OF_BEFORE.search(before[-20:])
    ):
        return "name"  # "the Sea of Azov": the sea, even when the name was read as a town
    if _may_end_with(before[-80:], _VENUE_LAST_WORDS) and _VENUE_GATED.search(
        before[-80:], low[-80:]
    ):
        return "venue"
    if (
        place.kind == "city"
        and spaced
        and last in (None, "lower", "upper", "middle")
        and _RIVER_READING_BEFORE.search(before[-20:])
    ):
        return "name"
    if _ACTOR_AFTER.match(after):
        return "actor"
    coordinated = prev is not None and _COORDINATION.fullmatch(text, prev.end, m.start) is not None
    if _is_wide(place) or (place.kind == "city" and place.population >= _METONYM_POPULATION):
        # A match spans at most 5 words ("outskirts of the city of "): no more is searched.
        locative = (
            (
                _may_end_with(before[-60:], _LOCATIVE_LAST_WORDS)
                and _LOCATIVE_GATED.search(last_words(before[-60:], 5)) is not None
            )
            or _LOCATIVE_AFTER.match(after) is not None
            or _DATELINE_AFTER.match(after) is not None
            or (coordinated and prev_role is None)
        )
        if not locative:
            return "actor"
    if coordinated and prev_role in ("locator", "venue"):
        return prev_role
    if _may_end_with(before[-60:], _TITLE_LAST_WORDS) and _TITLE_GATED.search(
        before[-60:], low[-60:]
    ):
        return "title"
    # (every match holds "from", and no other character folds to its letters: a window
    # without it, most, needs no search)
    if "from" in low and _LAUNCHED_FROM.search(before[-60:]):
        return "origin"  # "the missile that struck Kharkiv from Belgorod": where it came from
    if _LOCATOR_GATED.search(before, low) and not _FRONT_DIRECTION.search(before[-80:]):
        return "locator"
    if place.kind in ("region", "district") and _SEAT_OF_BEFORE.search(before[-40:]):
        return "locator"  # "Dnipro, ... the centre of the Dnipropetrovsk region"
    if prev_role == "locator" and not _CLAUSE_BREAK.search(text[prev.end : m.start]):
        return "locator"  # "east of Kharkiv through which the group around Izium ..."
    if (
        prev is not None
        and _APPOSITIVE_GAP.match(text[prev.end : m.start])
        and prev.place.kind != "country"
    ):
        return "locator"
    return None


_LAST_WORD = re.compile(r"[\w-]*$")


def _may_end_with(window: str, words: frozenset[str]) -> bool:
    """False only if *window* cannot end with one of *words* (lower case), whitespace,
    and an optional "the" and whitespace, as every match of _VENUE_BEFORE,
    _TITLE_BEFORE or _LOCATIVE_BEFORE does (the word after whitespace, or, to be safe,
    after a character that is neither a word character nor a hyphen). Few windows end
    so, and looking at the last words is far cheaper than searching the window; it is
    the search that decides.

    Examples
    --------
    >>> _may_end_with("the governor of the ", _TITLE_LAST_WORDS)
    True
    >>> _may_end_with("shelling hit ", _TITLE_LAST_WORDS)
    False
    """
    if not foldless(window):
        return True  # İ, ſ... match ASCII letters in the patterns: let the search say
    last = window.rsplit(None, 2)
    if last and last[-1].lower() == "the":
        last.pop()
    if not last:
        return False
    word = last[-1].lower()
    if word in words or word.isalpha():
        return word in words
    return _LAST_WORD.search(word)[0] in words  # "(in": the word after punctuation


def _is_section(place: Any) -> bool:
    """Whether a place is a section of a city (a city's district, a neighbourhood),
    finer than the city, rather than a raion, coarser than its towns."""
    return place.kind == "district" and place.feature_code == "PPLX"


def _prune(text: str, sites: list[_Site]) -> list[_Site]:
    """Drop coarse places beside finer ones: the event happened at the finer place."""
    if not sites:
        return sites  # most sentences
    scene = [s for s in sites if s.event_type != "statement"]
    sections = [s.mention.place for s in scene if _is_section(s.mention.place)]
    if sections:
        # "fired at Industrialnyi district in Kharkiv": the district, not the city
        scene_ids = {id(s) for s in scene}
        sites = [
            s
            for s in sites
            if id(s) not in scene_ids
            or s.mention.place.kind != "city"
            or not any(_holds(s.mention.place, section) for section in sections)
        ]
        scene = [s for s in sites if id(s) in scene_ids]
    if any(s.mention.place.kind in _FINE_KINDS - {"district"} for s in scene):
        coarse = _COARSE_KINDS
    elif any(s.mention.place.kind == "district" for s in scene):
        coarse = _COARSE_KINDS - {"district"}
    elif any(s.mention.place.kind != "country" for s in scene):
        coarse = frozenset({"country"})
    else:
        coarse = frozenset()
    keep = []
    for s in sites:
        kind = s.mention.place.kind
        if s.event_type != "statement" and kind in coarse:
            continue
        if (
            s.event_type != "statement"
            and kind == "district"
            and not _is_section(s.mention.place)
            and any(
                o.mention.place.kind in ("city", "facility")
                and _same_region(o.mention.place.admin1, s.mention.place)
                for o in scene
            )
        ):
            continue
        keep.append(s)
    return keep


def _temporal_clauses(text: str, start: int, end: int) -> list[_Clause]:
    """ "since ..." and "N days after ..." clauses of a sentence, up to the next break."""
    sentence = text[start:end][:MAX_SENTENCE]
    out: list[_Clause] = []
    if _plain(sentence):  # else "since" may hide as "ſince"
        low = sentence.lower()
        if "since" not in low and "after" not in low:
            return out  # neither clause can start here
    for m in _SINCE.finditer(sentence):
        stop = _CLAUSE_BREAK.search(sentence, m.end())
        while stop and re.match(r",\s*(?:when|where|after)\b", sentence[stop.start() :]):
            stop = _CLAUSE_BREAK.search(sentence, stop.end())  # "since 2014, when ..."
        out.append(
            _Clause(start + m.start(), start + (stop.start() if stop else len(sentence)), "since")
        )
    for m in _AFTER.finditer(sentence):
        stop = _CLAUSE_BREAK.search(sentence, m.end())
        if m.group("vague"):
            kind, shift = "vague", 0
        elif m.group("same"):
            kind, shift = "after", 0
        else:
            n = _NUMBERS.get(m.group("n").lower()) or int(m.group("n"))
            kind, shift = "after", n * (7 if m.group("unit").lower().startswith("week") else 1)
        out.append(
            _Clause(
                start + m.start(), start + (stop.start() if stop else len(sentence)), kind, shift
            )
        )
    return out


def _plain(sentence: str) -> bool:
    """Whether *sentence* holds no character that ``re.IGNORECASE`` folds to ASCII, so
    that substring tests on its lower case see every case-insensitive match."""
    return sentence.isascii() or not FOLDS_TO_ASCII.intersection(sentence)


def _refers_to_other_time(sentence: str) -> bool:
    """Whether *sentence* refers to a time the tagger cannot resolve ("in the opening
    week of the invasion") or to the time since an earlier one ("since then").

    Examples
    --------
    >>> _refers_to_other_time("Since then the city has been shelled daily.")
    True
    >>> _refers_to_other_time("In the first days of the war, the town was occupied.")
    True
    >>> _refers_to_other_time("The town was shelled again.")
    False
    """
    low = None
    if _plain(sentence):  # a cheap test first: most sentences hold none of the words
        low = sentence.lower()
        if "since" not in low and not any(w in low for w in _UNANCHORED_WORDS):
            return False
    return bool(_UNANCHORED_GATED.search(sentence, low) or _SINCE_THEN.search(sentence))


def _blank(sentence: str, offset: int, clauses: list[_Clause]) -> str:
    """*sentence* with its temporal clauses replaced by spaces (offsets kept)."""
    if not clauses:
        return sentence
    chars = list(sentence)
    for c in clauses:
        for i in range(c.start - offset, min(c.end - offset, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _in_modal_clause(text: str, s_start: int, m: Mention) -> bool:
    """Whether a modal word ("would", "could", "if") governs the clause of *m*."""
    before = text[max(s_start, m.start - 200) : m.start]
    if _MODAL_GATED.search(before) is None:
        # The clause ends *before*, and a break leaves no word character just before
        # it: no modal word in *before*, none in its clause. Most sentences stop here.
        return False
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end() :] if breaks else before
    return _MODAL_WORD.search(clause) is not None


def _points_to(pointer: re.Match[str] | None, focus: Mention) -> bool:
    """Whether an anaphor ("the town", "the bridge", "there") can mean *focus*."""
    if pointer is None:
        return False
    kind = focus.place.kind
    if pointer.group("city"):
        return kind == "city"
    if pointer.group("site"):
        return kind in ("city", "facility", "waterbody")
    return kind in _FINE_KINDS


def _same_region(admin1: str, region: Any) -> bool:
    if not admin1:
        return False
    key = admin1.casefold()
    names = {region.admin1.casefold(), region.name.casefold()} - {""}
    return any(key == n or n.startswith(key + " ") or key.startswith(n + " ") for n in names)


def _holds(city: Any, section: Any) -> bool:
    """Whether *section* (a city's district or neighbourhood) lies in *city*."""
    # (imported here: a cached run builds its table from events without the gazetteer)
    from .gazetteer import CITY_RADIUS_KM, distance_km

    return (
        city.admin1 == section.admin1
        and distance_km(city.latitude, city.longitude, section.latitude, section.longitude)
        <= CITY_RADIUS_KM
    )


def _geo_precision(place: Any, near: bool) -> int:
    """ACLED's geo_precision: 1 a town or a part of it, 2 near it, a raion or a village
    placed approximately, 3 a region."""
    from .gazetteer import APPROXIMATE  # (here: a cached run needs no gazetteer)

    kind = place.kind
    if kind in _COARSE_KINDS:
        return 3
    if kind == "district" and not _is_section(place) or near or place.feature_code == APPROXIMATE:
        return 2
    return 1


# Periods too long to date an event: a year or more.
_TOO_VAGUE = frozenset({"year", "decade", "century"})
_PERIOD_DAYS = {
    "day": 1,
    "week": 7,
    "month": 31,
    "season": 92,
    "quarter": 92,
    "half": 183,
    "year": 366,
    "decade": 3653,
    "century": 36525,
}


def _is_recap(date: dt.date, precision: str, published: dt.date | None) -> bool:
    """Whether a coarse date ended well before publication (history, not news).

    Examples
    --------
    >>> _is_recap(dt.date(2014, 1, 1), "year", dt.date(2023, 6, 7))
    True
    >>> _is_recap(dt.date(2022, 8, 1), "month", dt.date(2022, 8, 10))
    False
    >>> _is_recap(dt.date(2022, 3, 1), "day", dt.date(2023, 6, 7))
    False
    """
    if published is None or PRECISION_CODE.get(precision, 3) < 3:
        return False
    last = date + dt.timedelta(days=_PERIOD_DAYS.get(precision, 31) - 1)
    return (published - last).days > _RECAP_DAYS


#: How far from a river's line a town may lie to be the river's bank in a report.
BANK_KM = 15.0


def _on_the_banks(sites: list[_Site], mentions: list[Mention]) -> list[_Site]:
    """Sites on a river moved to the town on its bank the article names nearest.

    A river is a line hundreds of kilometres long, drawn at one label point: "a
    foothold on the left bank of the Dnipro river" is at Krynky, which the next
    paragraph names, not at the Dnieper's label point in another oblast. An event on a
    river goes to the literal town or district within :data:`BANK_KM` of the river's
    line that the article names most often (the story's place), then the one named
    closest to it in the text (``geo_precision`` 2, near it); it is dropped when the
    article names none. Statements keep their place.
    """
    out = []
    towns = [m for m in mentions if m.place.kind in ("city", "district")]
    named = Counter(m.place.place_id for m in towns)
    on_bank: dict[tuple[str, str], bool] = {}  # (town, river): a place named again is one
    for site in sites:
        river = site.mention
        if river.place.kind != "river" or site.event_type == "statement":
            out.append(site)
            continue
        line = _river_line(river.place)
        for m in towns:
            key = (m.place.place_id, river.place.place_id)
            if key not in on_bank:
                on_bank[key] = _on_bank(m.place, line)
        banks = sorted(
            (m for m in towns if on_bank[m.place.place_id, river.place.place_id]),
            key=lambda m: (-named[m.place.place_id], abs(m.start - river.start)),
        )
        if banks:
            bank = replace(river, place=banks[0].place)
            out.append(replace(site, mention=bank, geo_precision=2))
    return out


def _river_line(river: Any) -> Any:
    """The line of *river* in the gazetteer (None if it has none)."""
    # (imported here: only an event on a river needs the gazetteer's geometry)
    from .gazetteer import Gazetteer

    return Gazetteer.load().geometry(river.place_id)


def _on_bank(place: Any, line: Any) -> bool:
    """Whether *place* lies within :data:`BANK_KM` of a river's *line* (see
    :func:`_river_line`)."""
    import shapely
    from shapely.ops import nearest_points

    from .gazetteer import distance_km

    if line is None:
        return False
    nearest = nearest_points(line, shapely.Point(place.longitude, place.latitude))[0]
    return distance_km(place.latitude, place.longitude, nearest.y, nearest.x) <= BANK_KM


def _dating_each(
    text: str, ds: DatedSentence, sites: list[_Site], article: Article
) -> list[DatedSentence]:
    """The dating of each site of a sentence: the sentence's, unless it gives two days.

    "captured Lozuvatske over the weekend and Vovche on Monday": with two expressions
    that can date an event, a place takes the one named after it and before the next
    place, if any (else the sentence's).
    """
    if ds.source != "own" or len(sites) < 2:
        return [ds] * len(sites)  # most sentences
    each = own_dates(text, ds, article.published)
    if len(each) < 2:
        return [ds] * len(sites)
    starts = sorted(s.mention.start for s in sites)
    out = []
    for site in sites:
        after = site.mention.end
        k = bisect.bisect_right(starts, site.mention.start)
        stop = starts[k] if k < len(starts) else ds.end
        mine = [d for d in each if d.timex is not None and after <= d.timex.start < stop]
        out.append(mine[0] if mine else ds)
    return out


def _share_casualties(made: list[Event]) -> list[Event]:
    """The events of one sentence, a toll it gives once shared among the places it names.

    "Rockets hit Marhanets and Vyshchetarasivka, killing 13" does not kill 26: as ACLED
    codes a toll it cannot attribute, the number is divided evenly among the events
    that report it, the remainder going to the first named; ``casualties`` keeps the
    phrase for all of them.

    Examples
    --------
    >>> from frontline.event_schema import Event
    >>> base = dict(time_precision=1, place_id="p", place="X", kind="city", admin1="",
    ...     country_code="UA", latitude=47.6, longitude=34.4, geo_precision=1,
    ...     event_type="shelling", sub_event_type="", article_id="a", title="", source="",
    ...     url="", published="", quote="q", confidence=0.9, date="2022-08-09",
    ...     fatalities=13, injured=2, casualties="killing 13")
    >>> [(e.fatalities, e.injured) for e in _share_casualties(
    ...     [Event(event_id="1", **base), Event(event_id="2", **base)])]
    [(7, 1), (6, 1)]
    """
    if len(made) < 2:
        return made  # most sentences: nothing to share
    tolls: dict[tuple[str, str], list[int]] = {}
    for i, e in enumerate(made):
        if (e.fatalities or e.injured) and e.event_type != "statement":
            tolls.setdefault((e.casualties, e.event_type), []).append(i)
    out = list(made)
    for group in tolls.values():
        if len(group) < 2:
            continue
        n = len(group)
        for k, i in enumerate(group):
            e = made[i]
            out[i] = replace(
                e,
                fatalities=e.fatalities // n + (k < e.fatalities % n),
                injured=e.injured // n + (k < e.injured % n),
            )
    return out


def _make_event(
    article: Article,
    site: _Site,
    ds: DatedSentence,
    sentence: str,
    memo: dict[Any, Any] | None = None,
) -> Event | None:
    """The event of one site of a sentence, or None (history, a plan, a pattern, too
    vague). *memo* holds what the sites of one sentence share (whether it is habitual,
    its ACLED readings), worked out once for all of them."""
    if memo is None:
        memo = {}
    mention = site.mention
    place = mention.place
    day = ds.date if ds.date is not None and ds.source != "none" else None
    if day is not None and _is_recap(day, ds.precision, article.published):
        return None
    if ds.precision in _TOO_VAGUE:
        return None  # "in 2022", "in the 1990s": no day, week or month to put it at
    if (
        day is not None
        and article.published is not None
        and (day - _as_day(article.published)).days > _GRACE_DAYS
    ):
        return None  # after its own report: a plan or a misread, never an event
    if site.geo_precision == 3 and ds.source == "published":
        return None  # a region on an unknown day: too vague to be an event
    if (
        site.event_type != "statement"
        and not (ds.source == "own" and ds.precision == "day")
        and _habitual(sentence, memo)
    ):
        return None  # "has been shelled almost every night": a pattern, no day of its own
    span = span_of(ds, article.published) if day is not None else None
    if day is not None and site.shift_days:
        shift = dt.timedelta(days=site.shift_days)
        day -= shift
        span = (span[0] - shift, span[1] - shift) if span else None
    date = day.isoformat() if day is not None else ""
    code = PRECISION_CODE.get(ds.precision, 3)
    if ds.source == "published":
        code = max(code, 2)
    confidence = mention.confidence * site.type_confidence * _DATE_SOURCE_WEIGHT.get(ds.source, 0.5)
    if site.geo_precision == 3:
        confidence *= 0.9
    if site.carried:
        confidence *= _CARRIED_PLACE_WEIGHT
    event_type = site.event_type
    reading = (event_type, site.sub_event_type, place.country_code)
    acled = memo.get(reading)
    if acled is None:
        acled = memo[reading] = read_acled(sentence, *reading)
    published = _as_day(article.published) if article.published else None
    historical = bool(day and published and (published - day).days > HISTORY_DAYS)
    key = "|".join((article.article_id, place.place_id, date, event_type, str(ds.start)))
    return _event(
        event_id=hashlib.sha1(key.encode("utf-8")).hexdigest()[:16],
        date=date,
        time_precision=code,
        date_first=span[0].isoformat() if span else "",
        date_last=span[1].isoformat() if span else "",
        place_id=place.place_id,
        place=place.name,
        kind=place.kind,
        admin1=place.admin1,
        country_code=place.country_code,
        latitude=float(place.latitude),
        longitude=float(place.longitude),
        geo_precision=site.geo_precision,
        event_type=event_type,
        sub_event_type=site.sub_event_type,
        article_id=article.article_id,
        title=article.title,
        source=article.source,
        url=article.url,
        published=article.published.isoformat() if article.published else "",
        quote=_quote(sentence),
        confidence=round(min(max(confidence, 0.0), 1.0), 3),
        sources=_source_label(article.title, article.url, article.source, article.article_id),
        n_sources=1,
        historical=historical,
        acled_event_type=acled.event_type,
        acled_sub_event_type=acled.sub_event_type,
        actor1=acled.actor1,
        actor2=acled.actor2,
        civilian_targeting=acled.civilian_targeting,
        fatalities=acled.casualties.fatalities,
        injured=acled.casualties.injured,
        casualties=acled.casualties.phrase,
    )


def _habitual(sentence: str, memo: dict[Any, Any]) -> bool:
    """``is_habitual(sentence)``, kept in *memo* for the other sites of the sentence."""
    found = memo.get("habitual")
    if found is None:
        found = memo["habitual"] = is_habitual(sentence)
    return found


def _as_day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _quote(sentence: str) -> str:
    quote = " ".join(sentence[: MAX_QUOTE * 2].split())
    return quote if len(quote) <= MAX_QUOTE else quote[: MAX_QUOTE - 1] + "…"


def _source_label(title: str, url: str, source: str, article_id: str) -> str:
    name = title or source or article_id
    return f"{name} <{url}>" if url else name


# ---------------------------------------------------------------------------------------
# Across articles
# ---------------------------------------------------------------------------------------


def merge_events(events: Iterable[Event]) -> list[Event]:
    """Join events of the same place, day and type into one row listing every source.

    The kept row is that of the first article (by ``article_id``, then text offset),
    with the quote of the clearest report (highest confidence, then shortest quote),
    the best time and geo precision, the highest confidence, ``sources`` joined with
    ``"; "`` and ``n_sources`` the number of distinct articles. The result is in the
    table's order (date, place, type, event_id), whatever the input order.

    Examples
    --------
    >>> base = dict(time_precision=1, place_id="p:1", place="Kherson", kind="city",
    ...     admin1="Kherson", country_code="UA", latitude=46.6, longitude=32.6,
    ...     geo_precision=1, event_type="territory_change", sub_event_type="entry",
    ...     source="", url="", published="2022-11-12", date="2022-11-11")
    >>> a = Event(event_id="e1", article_id="a", title="A", quote="Troops entered Kherson.",
    ...     confidence=0.8, sources="A", **base)
    >>> b = Event(event_id="e2", article_id="b", title="B", quote="Kherson was retaken.",
    ...     confidence=0.6, sources="B", **base)
    >>> [(e.article_id, e.sources, e.n_sources) for e in merge_events([b, a])]
    [('a', 'A; B', 2)]
    """
    groups: dict[tuple[str, str, str], list[Event]] = {}
    for e in events:
        groups.setdefault((e.place_id, e.date, e.event_type), []).append(e)
    merged: list[Event] = []
    for group in groups.values():
        group.sort(key=lambda e: (e.article_id, e.event_id))
        first = group[0]
        if len(group) == 1:
            merged.append(first)
            continue
        clearest = min(group, key=lambda e: (-e.confidence, len(e.quote), e.article_id, e.event_id))
        labels: list[str] = []
        for e in group:
            for label in (e.sources or _source_label(e.title, e.url, e.source, e.article_id)).split(
                "; "
            ):
                if label and label not in labels:
                    labels.append(label)
        articles = {e.article_id for e in group}
        merged.append(
            replace(
                first,
                quote=clearest.quote,
                sub_event_type=clearest.sub_event_type or first.sub_event_type,
                confidence=max(e.confidence for e in group),
                time_precision=min(e.time_precision for e in group),
                # the reports' spans overlap on the event's day: the tightest holds it
                date_first=max((e.date_first for e in group), default=""),
                date_last=min((e.date_last for e in group if e.date_last), default=""),
                geo_precision=min(e.geo_precision for e in group),
                sources="; ".join(labels),
                n_sources=max(len(articles), max(e.n_sources for e in group)),
                corrected=any(e.corrected for e in group),
                correction="; ".join(sorted({e.correction for e in group} - {""})),
            )
        )
    merged.sort(key=row_order)
    return merged


def __getattr__(name: str) -> Any:
    # EventTable lives in event_table.py, which imports the schema, not this module: it
    # is re-exported on first use so that importing events stays light.
    if name == "EventTable":
        from .event_table import EventTable

        return EventTable
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
