"""Events: dated, located, typed occurrences, and the table that holds them.

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
import functools
import hashlib
import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import EventTableError, OutputError
from .timex import PRECISION_CODE

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    import geopandas as gpd

    from .articles import Article
    from .geoparse import Mention
    from .timex import DatedSentence

__all__ = [
    "EVENT_TYPES", "EVENT_COLUMNS", "MAP_HIDDEN_TYPES", "Event", "EventTable",
    "classify", "reports_event", "extract_events", "merge_events",
]

EVENT_TYPES = (
    "shelling", "air_drone_strike", "missile_strike", "armed_clash", "territory_change",
    "civilian_harm", "evacuation", "infrastructure", "statement", "other",
)

#: Types a map hides by default: they are said somewhere, not done there.
MAP_HIDDEN_TYPES = ("statement",)

#: Columns of the event table, in order (geometry comes last in the GeoDataFrame).
EVENT_COLUMNS = (
    "event_id", "date", "time_precision", "place_id", "place", "kind", "admin1",
    "country_code", "latitude", "longitude", "geo_precision", "event_type",
    "sub_event_type", "article_id", "title", "source", "url", "published", "quote",
    "confidence", "sources", "n_sources", "corrected", "correction",
)

# ---------------------------------------------------------------------------------------
# Typing sentences: a lexicon of cues
# ---------------------------------------------------------------------------------------

# Types that are events on the ground (a "statement" or an arrest is not).
_WAR_TYPES = frozenset(EVENT_TYPES) - {"statement", "other"}
# "other" sub-types that are still violent events on the ground.
_VIOLENT_OTHER = frozenset({"explosion", "remote_explosive", "suicide_bomb", "grenade",
                            "chemical_weapon"})
# When two types score the same, the more specific one wins.
_PRIORITY = ("missile_strike", "air_drone_strike", "shelling", "territory_change",
             "armed_clash", "civilian_harm", "evacuation", "infrastructure", "other",
             "statement")
# Below this score a sentence reports no event.
_EVENT_THRESHOLD = 2.0
# Sub-types that say less than any other sub-type of their type.
_GENERIC_SUBS = frozenset({"strike", "attack", "casualties", "damage"})
# Longer "sentences" (run-on text without punctuation) are typed by their beginning,
# which keeps typing linear in the article's length; quotes are cut as well.
_MAX_SENTENCE = 3000
_MAX_QUOTE = 600


class _Cue(NamedTuple):
    event_type: str
    sub_event_type: str
    weight: float
    pattern: re.Pattern[str]
    modal_sensitive: bool


def _cue(event_type: str, sub: str, weight: float, words: str, *,
         modal_sensitive: bool = True) -> _Cue:
    return _Cue(event_type, sub, weight,
                re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.IGNORECASE),
                modal_sensitive)


_CUES: tuple[_Cue, ...] = (
    # -- missiles ------------------------------------------------------------------------
    _cue("missile_strike", "cruise_missile", 3.0, r"cruise missiles?|kalibrs?|kh-?\d{2,3}s?"),
    _cue("missile_strike", "ballistic_missile", 3.0,
         r"ballistic missiles?|iskanders?|kinzhals?|tochka(?:-u)?|hypersonic missiles?"),
    _cue("missile_strike", "missile", 3.0, r"missile (?:strikes?|attacks?|barrage|fire)"),
    _cue("missile_strike", "missile", 1.5, r"missiles?|s-300s?"),
    _cue("missile_strike", "strike", 2.0,
         r"strikes? (?:on|against|at|hit)|struck|precision strikes?|long-range strikes?|"
         r"strikes? (?:were|was) (?:also )?reported"),
    # -- air and drone strikes -----------------------------------------------------------
    _cue("air_drone_strike", "air_strike", 3.0,
         r"air ?strikes?|air-strikes?|air raids?|aerial (?:bombardment|bombings?|attacks?|"
         r"strikes?|assaults?)|bombing raids?|(?:glide|guided|aerial|barrel|cluster) bombs?|"
         r"warplanes?|fighter jets?|(?<!suicide )bombers|helicopter gunships?|sorties|"
         r"(?<!suicide )bombed"),
    _cue("air_drone_strike", "air_strike", 1.5,
         r"jets?|aircraft|helicopters?|planes? (?:bombed|struck|hit|fired)|bombs? dropped|"
         r"dropped bombs?|air force|aviation"),
    _cue("air_drone_strike", "drone", 3.0,
         r"drone (?:strikes?|attacks?|hits?|raids?|swarms?)|kamikaze drones?|shaheds?|"
         r"geran(?:-?2)?s?|loitering munitions?|attack drones?|suicide drones?"),
    _cue("air_drone_strike", "drone", 1.75, r"drones?|uavs?|unmanned aerial vehicles?"),
    # -- shelling, artillery, rockets ----------------------------------------------------
    _cue("shelling", "artillery", 3.0,
         r"shell(?:ing|ed|s)|artillery|howitzers?|mortars?|mortar (?:fire|rounds|shells)|"
         r"bombard(?:ed|ing|ment|ments)|barrages?|tank fire|tanks? (?:fired|attacked)|"
         r"(?:heavy|intense) (?:weapons )?fire"),
    _cue("shelling", "rocket_artillery", 3.0,
         r"grads?|mlrs|multiple(?:-| )(?:launch )?rocket (?:launchers?|systems?)|"
         r"rocket launchers?|himars|uragans?|smerch|rocket (?:fire|attacks?|strikes?)|"
         r"rockets? (?:fired|launched|hit|struck|landed|slammed)"),
    _cue("shelling", "rocket_artillery", 1.5, r"rockets?|projectiles?"),
    _cue("shelling", "artillery", 1.0, r"pound(?:ed|ing)|rained down"),
    # -- fighting ------------------------------------------------------------------------
    _cue("armed_clash", "fighting", 3.0,
         r"clash(?:es|ed)?|fighting|fought|fierce battles?|battles? (?:for|over|raged)|"
         r"battled|firefights?|gunfights?|gun ?battles?|skirmish(?:es|ed)?|"
         r"exchange(?:d|s)? (?:of )?(?:fire|gunfire)|street battles?|hostilities|"
         r"combat operations"),
    _cue("armed_clash", "fighting", 2.0, r"battles?|combat|besieg(?:ed|ing)|siege"),
    _cue("armed_clash", "assault", 3.0,
         r"offensives?|counter-?offensives?|counter-?attack(?:s|ed)?|assaults?|assaulted|"
         r"storm(?:ed|ing)|ambush(?:ed|es)?|repel(?:led|s)?|repuls(?:ed|e)|"
         r"push(?:ed)? back|held out|hold(?:s|ing)? out|"
         r"encircle(?:d|ment)|surrounded|attack(?:s|ed)? (?:on |against )?(?:\w+ ){0,2}"
         r"(?:positions?|troops|forces|soldiers|army|base|checkpoints?|posts?|convoys?)"),
    _cue("armed_clash", "advance", 2.5,
         r"advanc(?:e|ed|es|ing)|gains? (?:near|around|in)|made gains|pushing (?:toward|into)|"
         r"breakthrough|broke through|crossed the"),
    _cue("armed_clash", "attack", 1.5,
         r"attack(?:s|ed|ing)?|raid(?:s|ed)?|opened fire|gunmen|militants|insurgents|rebels"),
    # -- territory -----------------------------------------------------------------------
    _cue("territory_change", "capture", 3.5,
         r"(?:took|taken|take|taking|seiz(?:ed|e|ing)|gain(?:ed|ing)?|regain(?:ed|ing)?|"
         r"assum(?:ed|e|ing)|establish(?:ed|ing)?|won|wrest(?:ed)?|full|complete|total) "
         r"(?:full |complete |total )?control|"
         r"captur(?:e|ed|es|ing)|recaptur(?:e|ed|es|ing)|retook|retak(?:e|en|es|ing)|"
         r"took over|taken over|overr(?:an|un)|fell to|fall of|seized|seizure of|conquered|"
         r"(?:was|were|has been|had been) occupied|occupation of|"
         r"the (?:first|last|next) (?:\w+ )?to fall"),
    _cue("territory_change", "capture", 3.0,
         r"(?:gain(?:ed|ing)?|establish(?:ed|ing)?|secur(?:ed|ing)|won) (?:a |the |their |its )?"
         r"(?:\w+ )?(?:foothold|bridgehead)"),
    _cue("territory_change", "capture", 1.5, r"seize|control of"),
    _cue("territory_change", "liberation", 3.5,
         r"liberat(?:e|ed|es|ing|ion)(?! (?:army|movement|front|board|organi[sz]ation|tigers|"
         r"committee|party|forces|council))|freed|de-?occupied|de-?occupation|reclaimed|"
         r"dr(?:ove|iven) (?:\w+ ){0,4}(?:out|from)|pushed (?:\w+ ){0,4}(?:out|back from)|"
         r"gain(?:ed|ing)? ground|(?:ground|territory) (?:was |were )?(?:regained|lost|gained)|"
         r"regained|recovered (?:the |control)"),
    _cue("territory_change", "withdrawal", 3.5,
         r"withdr(?:ew|awn|awal|aw|aws|awing)|retreat(?:s|ed|ing)?|pull(?:ed|ing|s)? "
         r"(?:\w+ ){0,3}?(?:out|back)|pull-?out|abandon(?:ed|ing)|evacuated (?:its|their) (?:troops|forces)"),
    _cue("territory_change", "withdrawal", 3.5,
         r"order(?:ed|s)? (?:\w+ ){0,4}?(?:to (?:leave|withdraw|pull out|retreat|abandon)|"
         r"(?:a |the |their |its )?(?:withdrawal|retreat|pull-?out))", modal_sensitive=False),
    _cue("territory_change", "entry", 3.0,
         r"entered|enter(?:ing|s)? the|moved into|rolled into|marched into|swept into|"
         r"raised (?:the|a|their) (?:\w+ )?flags?|hoisted (?:the|a|their) (?:\w+ )?flags?|"
         r"flags? (?:was |were |being |had been )?(?:raised|hoisted)|"
         r"(?:troops|soldiers|forces|units)(?![\w-])[^.;]{0,60}in the cent(?:re|er) of"),
    _cue("territory_change", "transfer", 3.0,
         r"handed (?:over|back)|handover|transferred control|ceded|(?<!the )annexed|"
         r"annexation of"),
    # -- civilians -----------------------------------------------------------------------
    _cue("civilian_harm", "killing", 3.0,
         r"executed|executions?|massacred?|massacres|mass graves?|(?:mass )?burial sites?|shot dead|gunned down|"
         r"summary killings?|killed (?:\w+ ){0,3}(?:civilians|villagers|residents|children|"
         r"worshippers|passengers|pensioners|women)|(?:civilians|villagers|residents|"
         r"children|worshippers|passengers|women) (?:were |had been )?(?:killed|wounded|"
         r"injured|dead|died)|civilian (?:casualties|deaths|toll)"),
    _cue("civilian_harm", "abduction", 3.5,
         r"abduct(?:ed|ion|ions|s)?|kidnap(?:ped|ping|pings|s)?|hostages?|"
         r"(?:forcibly )?disappeared|enforced disappearances?|deport(?:ed|ation|ations)|"
         r"filtration camps?"),
    _cue("civilian_harm", "sexual_violence", 4.0,
         r"rap(?:e|ed|es|ing)|sexual(?:ly)? (?:violence|assault(?:ed)?|abuse(?:d)?)|"
         r"molest(?:ed|ation)?"),
    _cue("civilian_harm", "ill_treatment", 3.0, r"tortur(?:e|ed|ing)|beat(?:en)? up|lynched|"
         r"stabbed|beheaded|hacked to death"),
    _cue("civilian_harm", "casualties", 1.25,
         r"killed|killing|kills|dead|deaths?|died|wounded|injur(?:ed|ies|ing)|casualties|"
         r"death toll|lives|bodies|victims"),
    # -- people leaving ------------------------------------------------------------------
    _cue("evacuation", "evacuation", 3.0,
         r"evacuat(?:e|ed|es|ing|ion|ions)|evacuees|humanitarian corridors?"),
    _cue("evacuation", "displacement", 2.5,
         r"fled|flee(?:ing|s)?|displaced|displacement|refugees|left their homes|exodus|"
         r"forced to leave"),
    # -- infrastructure, damage, floods --------------------------------------------------
    _cue("infrastructure", "energy", 2.5,
         r"power outages?|blackouts?|without (?:power|electricity|heating|water)|"
         r"(?:power|electricity) (?:cuts?|was cut|supply was)|emergency shutdowns?"),
    _cue("infrastructure", "flood", 3.0,
         r"flood(?:ed|ing|s|waters)?|inundated|under water|dam (?:burst|collapse|breach)|"
         r"(?:dam|reservoir) (?:was )?(?:breached|destroyed|blown up|collapsed)"),
    _cue("infrastructure", "accident", 4.0,
         r"(?:plants?|tanks?|warehouses?|containers?|factor(?:y|ies)|pipelines?|cylinders?|"
         r"boilers?|depots?|mines?|refiner(?:y|ies)) (?:\w+ ){0,2}(?:exploded|caught fire|"
         r"collapsed|leaked)|(?:gas|chemical|toxic|oil|fuel|ammonia|chlorine) "
         r"(?:leaks?|leakage|spills?|hazard|contamination)|poison(?:ing|ed)|toxins?|"
         r"overturned|plunged|capsized|sank|ran aground|collided|collision|derailed|"
         r"(?:car|road|traffic|plane|air|train|bus|boat|ferry|helicopter) (?:crash|accident)e?s?",
         modal_sensitive=False),
    _cue("infrastructure", "accident", 3.0,
         r"(?:plane|train|helicopter|bus) crash(?:ed|es)?|crashed|derail(?:ed|ment)|"
         r"(?:chemical|oil|gas) (?:spill|leak)s?|spill(?:ed)?|leak(?:ed|s)?|"
         r"(?:factory|plant|warehouse|refinery|industrial) (?:fire|blaze|explosion)|"
         r"fire broke out|caught fire|gas explosion|tank exploded"),
    _cue("infrastructure", "damage", 4.0,
         r"(?:bridges?|dams?|power (?:plants?|stations?|lines?)|substations?|pipelines?|"
         r"railway(?: station)?|rail (?:lines?|tracks?)|depots?|refiner(?:y|ies)|plants?|"
         r"factor(?:y|ies)|warehouses?|airports?|ports?|terminals?|tunnels?|grid)"
         r"(?:,[^,;]{0,80},)? (?:was|were|has been|have been|had been) (?:\w+ly )?"
         r"(?:destroyed|damaged|blown up|knocked out|brought down|disabled|breached|"
         r"put out of action|cut)"),
    _cue("infrastructure", "damage", 1.5,
         r"destroy(?:ed|ing|s)?|damag(?:e|ed|es|ing)|brought down|collaps(?:e|ed|es|ing)|"
         r"blew (?:\w+ ){0,2}?up|blown up|gave way|ablaze|burn(?:ed|ing|t)|fires?|blaze|wrecked|razed|"
         r"knocked out"),
    # -- explosions and remote violence (ACLED's bucket; ours is "other") ----------------
    _cue("other", "explosion", 2.0,
         r"explosions?|blasts?|explod(?:ed|es|ing)|detonat(?:ed|ion|ions)"),
    _cue("other", "remote_explosive", 3.5,
         r"(?:improvised )?explosive devices?|ieds?|roadside bombs?|car bombs?|"
         r"improvised (?:bombs?|explosives?)|(?:ground|land|roadside|naval|sea) ?mines?|"
         r"anti-(?:tank|personnel) mines?|(?:hit|stepped on|struck) a mine|"
         r"booby[- ]trap(?:ped|s)?|bomb (?:blast|explosion|attack)s?|(?:a|the) bomb|"
         r"bomb (?:exploded|went off)|motorcycle bomb|sticky bomb"),
    _cue("other", "suicide_bomb", 4.5,
         r"suicide (?:bomb(?:er|ers|ing|ings)?|attack(?:er|ers|s)?|vests?|car)|"
         r"blew (?:himself|herself|themselves) up"),
    _cue("other", "grenade", 4.0, r"grenades?|rocket-propelled grenades?|rpgs?"),
    _cue("other", "chemical_weapon", 5.5,
         r"(?:shells?|mortars?|rounds|projectiles?|rockets?|bombs?|attacks?|munitions?)"
         r"(?![\w-])[^.;]{0,40}(?:poison\w*|toxic|chlorine|chemical) gas(?:es)?|"
         r"(?:poison\w*|toxic|chlorine) gas(?:es)? (?:attacks?|shells?|projectiles?|bombs?)|"
         r"(?:suspected|alleged) chemical attacks?"),
    _cue("other", "chemical_weapon", 5.0,
         r"chemical (?:weapons?|attacks?|agents?|munitions?)|chlorine (?:bombs?|attacks?|"
         r"gas attacks?)|sarin|(?:sulfur |sulphur )?mustard(?: gas)?|nerve (?:agents?|gas)|"
         r"gas attacks?|poison gas (?:attacks?|bombs?)"),
    # -- not on the battlefield: "other" -------------------------------------------------
    _cue("other", "protest", 3.75,
         r"protests?|protesters|protestors|protested|protesting|demonstrat(?:ion|ions|ors|"
         r"ed|ing)|rall(?:y|ies|ied)|sit-ins?|(?:general|hunger|labou?r|national|"
         r"nationwide) strikes?|went on strike|striking workers|riot(?:s|ers|ed|ing)?|"
         r"tear ?gas|water cannons?|rubber bullets|dispersed|marchers", modal_sensitive=False),
    _cue("other", "arrest", 3.0,
         r"arrest(?:ed|s|ing)?|detain(?:ed|s|ing)?|detention|custody|apprehend(?:ed)?|"
         r"charged with|sentenced|convicted|jailed|imprisoned|raided (?:the )?(?:home|house|"
         r"office)s?", modal_sensitive=False),
    _cue("other", "crime", 3.0,
         r"robbery|robbed|robbers|smuggl\w+|traffick\w+|drugs?|narcotics|cartels?|gangs?|"
         r"mafia|extortion|looting|looted|loot|vandali[sz](?:ed|m)|arson|torched|"
         r"set (?:on )?fire to|criminals?|mob|mobs|vigilantes?", modal_sensitive=False),
    _cue("other", "seizure", 4.0,
         r"(?:weapons|arms|ammunition|firearms|pistols|rifles|guns|bullets|rounds|cartridges|"
         r"explosives|magazines|revolvers|drugs|narcotics|cash|currency|contraband)"
         r"(?![\w-])[^.;]{0,80}(?<![\w-])(?:seized|captured|confiscated|recovered|found)",
         modal_sensitive=False),
    _cue("other", "seizure", 3.5,
         r"(?:seiz|confiscat|recover|found|discover|uncover)\w* (?:\w+ ){0,4}(?:weapons|arms|"
         r"ammunition|explosives|guns|rifles|caches?)|arms caches?|weapons caches?|defused|"
         r"bomb disposal|disarmed|intercepted (?:\w+ ){0,2}(?:packages?|shipments?|parcels?)|"
         r"suspicious (?:packages?|devices?)", modal_sensitive=False),
    _cue("other", "base_established", 3.5,
         r"(?:set up|established|establish|setting up|built|opened) (?:\w+ ){0,3}"
         r"(?:bases?|headquarters|observation posts?|outposts?|military posts?|"
         r"points?|checkpoints?)", modal_sensitive=False),
    _cue("other", "group_activity", 2.0,
         r"defect(?:ed|ion|ions|ors)|deploy(?:ed|ment|s)|reinforcements|formed|recruit(?:ed|s|"
         r"ment)|merged|disband(?:ed)?|mobili[sz](?:ed|ation)", modal_sensitive=False),
    _cue("other", "natural_disaster", 4.0,
         r"earthquakes?|quakes?|hurricanes?|cyclones?|typhoons?|tornado(?:es)?|landslides?|"
         r"mudslides?|wildfires?|bushfires?|forest fires?|droughts?|heavy rains?|"
         r"torrential|monsoon|storms?|tsunamis?|volcan\w+|avalanches?|heatwaves?|"
         r"covid(?:-19)?|coronavirus|pandemic|epidemic|outbreaks?|infections?|infected|"
         r"cholera|ebola|tremors?|magnitude|rainfall", modal_sensitive=False),
    # -- statements, diplomacy, agreements -----------------------------------------------
    _cue("statement", "diplomacy", 2.5,
         r"talks|negotiat\w+|summits?|met with|meeting with|visit(?:ed|s|ing)?|"
         r"diplomat(?:s|ic)?|ambassadors?|embass(?:y|ies)|foreign ministers?|sanctions|"
         r"condemn(?:ed|s|ing)?|urged|urging|called (?:on|for)|appeal(?:ed)? (?:to|for)|"
         r"warned|accus(?:ed|es|ing)|blam(?:ed|es|ing)|denied|expelled|expulsion|"
         r"recogni[sz](?:ed|es)|press conference|told reporters|in a statement|"
         r"addressing|speech|pledg(?:ed|es)|promised|vowed|aid package|"
         r"military aid|weapons deliveries|envoys?|un security council|resolution",
         modal_sensitive=False),
    _cue("statement", "visit", 4.0,
         r"(?:inspectors?|mission|delegation|monitors|observers|team)(?![\w-])[^.;]{0,80}?"
         r"(?<![\w-])(?:reached|arrived|visited|toured)", modal_sensitive=False),
    _cue("statement", "agreement", 3.0,
         r"agreements?|agreed|deals?|treaty|treaties|ceasefire|cease-fire|truce|accords?|"
         r"signed|memorandum|peace (?:plan|deal|process)|prisoner (?:swap|exchange)s?|"
         r"exchange (?:\w+ ){0,2}of prisoners|prisoners? of war (?:were )?(?:swapped|exchanged|"
         r"released)", modal_sensitive=False),
    _cue("statement", "claim", 5.0,
         r"claimed responsibility|claims? of responsibility|responsibility for|"
         r"blam(?:ed|es|ing) (?:\w+ ){0,3}for|attributed|takes? credit|took credit|"
         r"claimed (?:the )?(?:attack|killing|murder|bombing|assassination)s?|"
         r"(?:suspected|believed|thought) to be behind|were behind|was behind",
         modal_sensitive=False),
    _cue("statement", "diplomacy", 5.0,
         r"sanctions|expel(?:led|s|ling)? (?:\w+ ){0,3}diplomats|diplomats? (?:were |was )?"
         r"expelled|retaliatory (?:measures|steps)|diplomatic (?:relations|ties|row|protest)|"
         r"summoned (?:the|its) (?:\w+ )?(?:ambassador|envoy|charg\w+)",
         modal_sensitive=False),
)

# Verbs of attack: a weapon plus one of these is a strike.
_ATTACK_VERB = re.compile(
    r"(?<![\w-])(?:hit|hits|struck|strikes?|pound(?:ed|ing)|target(?:ed|ing)|fired|launch(?:ed|"
    r"es|ing)|landed|slammed|rained|exploded|destroy(?:ed|ing)|damag(?:ed|ing)|killed|"
    r"killing|wounded|injured|attack(?:ed|ing|s)?|shot down|downed|intercepted|bombed|"
    r"barrage|wave of)(?![\w-])", re.IGNORECASE)
# Targets that make harm "civilian harm" when no weapon is named.
_CIVILIAN = re.compile(
    r"(?<![\w-])(?:civilians?|villagers|residents|children|women|worshippers|passengers|"
    r"pensioners|families|students|journalists|aid workers|medics|patients|farmers|"
    r"people|inhabitants|tourists|shoppers|homes?|houses?|apartment|residential|"
    r"hospitals?|schools?|markets?|churches|mosques?|communit(?:y|ies)|population|"
    r"universit(?:y|ies)|hotels?|cafes?|restaurants?|teahouses?|shops?|buses|"
    r"worshipers|congregation|wedding|funeral)(?![\w-])", re.IGNORECASE)
_IRREGULAR = re.compile(
    r"(?<![\w-])(?:gunmen|armed men|terrorists?|assailants|attackers|bandits|"
    r"(?:unidentified|unknown|masked) (?:men|attackers|assailants))(?![\w-])", re.IGNORECASE)
_MILITARY = re.compile(
    r"(?<![\w-])(?:troops|soldiers|servicem[ae]n|fighters|militants|rebels|insurgents|"
    r"forces|army|marines|paratroopers|militia(?:s|men)?|mercenar(?:y|ies)|"
    r"(?:the )?enemy|battalions?|brigades?|units?|positions?)(?![\w-])", re.IGNORECASE)
_INFRA_TARGET = re.compile(
    r"(?<![\w-])(?:power (?:plants?|stations?|lines?|grid|supply)|electricity|substations?|"
    r"energy (?:infrastructure|facilities|system)|(?:thermal|hydroelectric|nuclear) "
    r"(?:power )?(?:plants?|stations?)|heating|water (?:supply|system|mains)|pipelines?|"
    r"dams?|bridges?|railway|rail (?:lines?|tracks?|station)|railroad|airports?|ports?|"
    r"oil (?:depots?|terminals?)|fuel (?:depots?|tanks?)|refiner(?:y|ies)|"
    r"infrastructure|plants?|factor(?:y|ies)|warehouses?|grain (?:silos?|terminals?)|"
    r"roads?|highways?|tunnels?)(?![\w-])", re.IGNORECASE)
# Structures a blast damages: then the blast is an infrastructure event.
_BLAST_TARGET = re.compile(
    r"(?<![\w-])(?:bridges?|dams?|pipelines?|depots?|refiner(?:y|ies)|(?:power |chemical |"
    r"industrial )?plants?|factor(?:y|ies)|warehouses?|substations?|power (?:lines?|stations?)|"
    r"rail(?:way)? (?:lines?|bridges?|tracks?))(?![\w-])", re.IGNORECASE)
# "other" sub-types that name the weapon of a blast: the blast stays theirs.
_WEAPON_OTHER = frozenset({"grenade", "remote_explosive", "suicide_bomb", "chemical_weapon",
                           "protest"})
# Words that turn what follows into a possibility, not a report.
_MODAL = re.compile(
    r"(?<![\w-])(?:could|might|may|would|will|shall|plans? to|planning to|threat\w* to|"
    r"prepar\w* (?:to|for)|expected|expect(?:s|ing)? (?:a|an|the)?|possible|potential|"
    r"fears? (?:of|that|an?)|fear(?:ed|ing)|warn\w* (?:of|that|against)|risk of|if|unless|"
    r"threat of|ready to|intend\w* to|aim\w* to|seek\w* to|want\w* to|vow\w* to|"
    r"can|cannot|avoid|prevent)"
    r"(?![\w-])[^.;:]{0,30}$|(?<![\w-])(?:attempt\w*|tr(?:y|ies|ied|ying)|bid|efforts?|"
    r"order(?:s|ed)?|plan(?:s|ned)?|want(?:s|ed)?|need(?:s|ed)?|hop(?:e|es|ed|ing)|fail(?:s|ed)?|"
    r"attacks?|offensive|push|operation|in order|so as|sought|seeking)\s+to\s+$",
    re.IGNORECASE)
# A cue that names a time or a span, not an event: "before the fighting",
# "after four months of shelling and air strikes".
_NOT_AN_OCCURRENCE = re.compile(
    r"(?<![\w-])(?:before|prior to)\s+the\s+(?:[\w-]+\s+)?$|"
    r"(?<![\w-])(?:fleeing|fled|flee|escaping|escaped)\s+(?:from\s+)?the\s+$|"
    r"(?<![\w-])(?:accus\w*|blam\w*)\s+(?:[\w'’-]+\s+){0,3}?(?:of\s+)?(?:[\w'’-]+\s+)?$|"
    r"(?<![\w-])(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|many|"
    r"few|weeks|months|years|days)\s+(?:\w+\s+)?(?:days?|weeks?|months?|years?|nights?)\s+"
    r"of\s+(?:(?:constant|heavy|fierce|intense|daily|near-constant)\s+)?"
    r"(?:[\w-]+\s+(?:and|or)\s+)?$", re.IGNORECASE)
_NEGATED = re.compile(r"(?<![\w-])(?:no|not|never|without|denied|deny|denies)(?![\w-])"
                      r"\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


_WHITESPACE = re.compile(r"\s")


@dataclass(frozen=True, slots=True)
class _Verdict:
    event_type: str
    sub_event_type: str
    confidence: float
    is_event: bool


# The only characters outside ASCII that ``re.IGNORECASE`` matches to an ASCII letter
# (İ, ı, ſ and the Kelvin sign; checked over every code point in tests/test_events.py).
# Lower-casing maps them to no ASCII letter, or to two characters, so a sentence holding
# one is scanned with every cue.
_FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")
# Above this many alternatives a cue's literal starts are cut short (still necessary).
_MAX_STARTS = 512


def _literal_starts(pattern: re.Pattern[str]) -> frozenset[str] | None:
    r"""Lower-case ASCII texts one of which starts every match of *pattern*.

    Found from the parsed pattern: zero-width assertions are skipped, literals,
    alternations, groups, small character sets and ``?`` are expanded, and the
    expansion stops at the first item it cannot spell out. None when some match may
    start with no known text (the pattern must then be run on every sentence).

    Examples
    --------
    >>> sorted(_literal_starts(re.compile(r"(?<![\w-])(?:air ?raids?|jets?)", re.I)))
    ['air raid', 'airraid', 'jet']
    >>> _literal_starts(re.compile(r"\d+ killed")) is None
    True
    """
    try:
        from re import _parser as sre_parse  # Python 3.11+
    except ImportError:  # pragma: no cover - older Pythons
        import sre_parse  # type: ignore[no-redef]
    try:
        starts, _ = _spell(list(sre_parse.parse(pattern.pattern, pattern.flags)),
                           sre_parse)
    except Exception:  # noqa: BLE001 - an unreadable pattern only loses its prefilter
        return None
    if not starts or "" in starts:
        return None
    # "jet" already finds every match that "jets" would: keep the shortest starts.
    return frozenset(s for s in starts
                     if not any(o != s and s.startswith(o) for o in starts))


def _spell(items: list[Any], sre: Any) -> tuple[set[str], bool]:
    """The texts a parsed sequence starts with, and whether they are all of it."""
    out = {""}
    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero-width: consumes nothing
        if op is sre.LITERAL:
            char = chr(av)
            if not char.isascii():
                return out, False
            strings, whole = {char.lower()}, True
        elif op is sre.IN and len(av) <= 4 and all(
                o is sre.LITERAL and chr(v).isascii() for o, v in av):
            strings, whole = {chr(v).lower() for _, v in av}, True
        elif op is sre.SUBPATTERN:
            strings, whole = _spell(list(av[-1]), sre)
        elif op is sre.BRANCH:
            parts = [_spell(list(b), sre) for b in av[1]]
            strings = set().union(*(p[0] for p in parts))
            whole = all(p[1] for p in parts)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[1] == 1:
            strings, whole = _spell(list(av[2]), sre)
            if av[0] == 0:
                strings = strings | {""}
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
            strings, whole = _spell(list(av[2]), sre)[0], False
        else:
            return out, False
        grown = {a + b for a in out for b in strings}
        if len(grown) > _MAX_STARTS:
            return out, False
        out = grown
        if not whole:
            return out, False
    return out, True


@functools.cache
def _cue_index() -> tuple[Any, int]:
    """An Aho–Corasick automaton of the cues' literal starts, and the cues without any.

    Values are bit masks over :data:`_CUES`; the second item has a bit for every cue
    that must always be run.
    """
    import ahocorasick

    automaton = ahocorasick.Automaton()
    always = 0
    masks: dict[str, int] = {}
    for i, cue in enumerate(_CUES):
        starts = _literal_starts(cue.pattern)
        if starts is None:
            always |= 1 << i
            continue
        for text in starts:
            masks[text] = masks.get(text, 0) | 1 << i
    for text, mask in masks.items():
        automaton.add_word(text, mask)
    automaton.make_automaton()
    return automaton, always


def _candidate_cues(sentence: str) -> Iterable[_Cue]:
    """The cues that can match *sentence*, in lexicon order (a superset of those that do).

    Examples
    --------
    "shell" may start a chemical attack ("shells filled with chlorine gas"), so that cue
    is run too, and finds nothing:

    >>> [c.sub_event_type for c in _candidate_cues("Kyiv was shelled.")]
    ['artillery', 'chemical_weapon']
    """
    if _FOLDS_TO_ASCII.intersection(sentence):
        return _CUES
    automaton, mask = _cue_index()
    for _, bits in automaton.iter(sentence.lower()):
        mask |= bits
    cues = []
    while mask:  # lowest bit first: lexicon order
        low = mask & -mask
        cues.append(_CUES[low.bit_length() - 1])
        mask ^= low
    return cues


def _analyse(sentence: str) -> _Verdict:
    """Score every type by the cues a sentence holds, and pick the best."""
    # Line breaks inside a sentence are spaces to the cues ("Strikes were\nalso").
    sentence = _WHITESPACE.sub(" ", sentence[:_MAX_SENTENCE])
    scores: dict[str, float] = {}
    subs: dict[str, tuple[float, str]] = {}
    counts: dict[str, int] = {}
    matched: set[str] = set()
    unreported: list[tuple[int, int]] = []  # cues that name no occurrence
    for cue in _candidate_cues(sentence):  # the others cannot match
        for m in cue.pattern.finditer(sentence):
            before = sentence[max(0, m.start() - 60):m.start()]
            if cue.modal_sensitive and (_MODAL.search(before) or _NEGATED.search(before)
                                        or _NOT_AN_OCCURRENCE.search(before)):
                unreported.append(m.span())
                continue
            matched.add(cue.sub_event_type)
            weight = cue.weight
            counts[cue.event_type] = counts.get(cue.event_type, 0) + 1
            if weight > scores.get(cue.event_type, 0.0):
                scores[cue.event_type] = weight
            rank = weight - (10.0 if cue.sub_event_type in _GENERIC_SUBS else 0.0)
            if rank > subs.get(cue.event_type, (-99.0, ""))[0]:
                subs[cue.event_type] = (rank, cue.sub_event_type)
            break  # one match of a cue is enough
    weapons = [w for w in ("missile_strike", "air_drone_strike", "shelling") if w in scores]
    if weapons:  # a named weapon with a verb of attack is a strike
        reported = sentence
        for a, b in unreported:  # "four months of air strikes" is no verb of attack
            reported = reported[:a] + " " * (b - a) + reported[b:]
        if _ATTACK_VERB.search(reported):
            for weapon in weapons:
                scores[weapon] += 1.5
    harm = scores.get("civilian_harm", 0.0)
    if 0 < harm < 2.0:  # casualties alone: whose?
        if _CIVILIAN.search(sentence):
            scores["civilian_harm"] = 2.5
        elif _MILITARY.search(sentence):
            scores["armed_clash"] = max(scores.get("armed_clash", 0.0), 2.5)
            subs.setdefault("armed_clash", (2.5, "fighting"))
            del scores["civilian_harm"]
    if "armed_clash" in scores and subs["armed_clash"][1] in ("attack", "assault") and \
            _CIVILIAN.search(sentence) and (not _MILITARY.search(sentence)
                                            or _IRREGULAR.search(sentence)):
        # An armed attack on people or places that are not fighting: harm to civilians.
        scores["civilian_harm"] = max(scores.get("civilian_harm", 0.0),
                                      scores["armed_clash"] + 0.1)
        subs.setdefault("civilian_harm", (2.5, "attack"))
    if "explosion" in matched and not matched & _WEAPON_OTHER and \
            _BLAST_TARGET.search(sentence):  # a blast on a bridge, a depot, a plant
        scores["infrastructure"] = max(scores.get("infrastructure", 0.0),
                                       scores["other"] + 1.25)
        subs["infrastructure"] = (3.0, _infrastructure_kind(sentence))
    if scores.get("infrastructure", 0.0) < 2.0 and (
            "infrastructure" in scores or "other" in scores and subs["other"][1] == "explosion"
            ) and _INFRA_TARGET.search(sentence):
        scores["infrastructure"] = 2.5
        subs["infrastructure"] = (2.5, _infrastructure_kind(sentence))
    elif scores.get("infrastructure", 0.0) < 2.0:
        scores.pop("infrastructure", None)  # damage alone, to nothing named
    for event_type, n in counts.items():  # corroborating cues add a little
        if event_type in scores and n > 1:
            scores[event_type] += min(0.5, 0.25 * (n - 1))
    if not scores:
        return _Verdict("other", "", 0.3, False)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], _PRIORITY.index(kv[0])))
    best, top = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0.0
    confidence = min(0.97, 0.3 + 0.1 * top + 0.15 * min(top - runner, 2.0))
    sub = subs.get(best, (0.0, ""))[1]
    if best == "infrastructure" and sub == "damage":
        sub = _infrastructure_kind(sentence)
    is_event = top >= _EVENT_THRESHOLD and (best in _WAR_TYPES or sub in _VIOLENT_OTHER)
    return _Verdict(best, sub, round(confidence, 3), is_event)


def _infrastructure_kind(sentence: str) -> str:
    low = sentence.lower()
    for word, kind in (("dam", "dam"), ("bridge", "bridge"), ("power", "energy"),
                       ("electric", "energy"), ("energy", "energy"), ("heating", "energy"),
                       ("rail", "transport"), ("airport", "transport"), ("port", "transport"),
                       ("road", "transport"), ("oil", "fuel"), ("fuel", "fuel"),
                       ("refiner", "fuel"), ("water", "water")):
        if re.search(rf"\b{word}", low):
            return kind
    return "damage"


def classify(sentence: str) -> tuple[str, str, float]:
    """Type what a sentence reports: ``(event_type, sub_event_type, confidence)``.

    Cues from a lexicon of war-reporting vocabulary are scored; a named weapon with a
    verb of attack makes a strike, casualties alone become civilian harm or a clash
    depending on who was hit, and cues after "could", "may", "expected"... are not
    counted. A sentence with no cue is ``("other", "", 0.3)``.

    Examples
    --------
    >>> classify("Russian missiles hit apartment buildings in Zaporizhzhia overnight.")[:2]
    ('missile_strike', 'missile')
    >>> classify("Ukrainian troops entered the center of Kherson on Friday.")[:2]
    ('territory_change', 'entry')
    >>> classify("Russian forces kept shelling Kupiansk, the governor said.")[:2]
    ('shelling', 'artillery')
    >>> classify("The ministers met in Brussels to discuss sanctions.")[:2]
    ('statement', 'diplomacy')
    """
    verdict = _analyse(sentence)
    return verdict.event_type, verdict.sub_event_type, verdict.confidence


def reports_event(sentence: str) -> bool:
    """Whether a sentence reports something that happened on the ground.

    True for attacks, shelling, strikes, clashes, captures, withdrawals, liberations,
    troops entering a town, evacuations, floods, casualties, explosions and damage to
    infrastructure; False for background, commentary, statements and possibilities.

    Examples
    --------
    >>> reports_event("A missile struck the railway station, killing 50 people.")
    True
    >>> reports_event("The city lies about 50 kilometers from the plant.")
    False
    >>> reports_event("Officials fear Russia could launch a new offensive.")
    False
    """
    return _analyse(sentence).is_event


# ---------------------------------------------------------------------------------------
# From sentences to events
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Event:
    """One row of the event table (see ``../shared/DESIGN.md`` and :data:`EVENT_COLUMNS`).

    ``date`` and ``published`` are ISO strings (``""`` when unknown); ``latitude`` and
    ``longitude`` are WGS84 degrees; ``sources`` lists every report of the event.
    """

    event_id: str
    date: str
    time_precision: int
    place_id: str
    place: str
    kind: str
    admin1: str
    country_code: str
    latitude: float
    longitude: float
    geo_precision: int
    event_type: str
    sub_event_type: str
    article_id: str
    title: str
    source: str
    url: str
    published: str
    quote: str
    confidence: float
    sources: str = ""
    n_sources: int = 1
    corrected: bool = False
    correction: str = ""


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

# The text just before a mention that makes it a locator, not the event's place.
_LOCATOR_BEFORE = re.compile(
    r"(?:"
    r"\d[\d.,]*\s*(?:-\s*)?(?:km|kilometers?|kilometres?|miles?|mi)\b[^,;.()]{0,30}?"
    r"\b(?:of|from)\b[^,;()]{0,60}"
    r"|(?<![\w-])(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)"
    r"(?:ern)?\s+of\s+(?:the\s+)?(?:(?:city|town|village|port|region|oblast|settlement)"
    r"\s+of\s+)?"
    r"|(?<![\w-])(?:launched|fired|fire|fires|firing|flew|flying|coming|sent)\s+from\s+"
    r"(?:the\s+)?[^,;.]{0,30}"
    r"|(?<![\w-])(?:linking|connecting|between)\s+[^,;.]{0,60}"
    # where people went, or set off from: the event is elsewhere
    r"|(?<![\w-])(?:left|fled|moved|relocated|headed|went|bound|taken|evacuated|sent|"
    r"returned|travel+ed)\s+(?:\w+\s+){0,2}?(?:for|to|towards?)\s+(?:the\s+)?"
    r"(?:(?:city|town|village|region)\s+of\s+)?"
    r"|(?<![\w-])(?:set\s+(?:off|out)|departed|started\s+out|drove|came)\s+(?:\w+\s+){0,4}?"
    r"from\s+(?:the\s+)?(?:(?:city|town|village|region)\s+of\s+)?"
    r"|(?<![\w-])(?:borders?|bordering|border\s+with)\s+(?:\w+\s+){0,2}?"
    r")$", re.IGNORECASE)
# A title: "the governor of the Kherson region", "the mayor of Mykolaiv".
_TITLE_BEFORE = re.compile(
    r"(?<![\w-])(?:governor|mayor|head|chief|administration|council|authorities|"
    r"prosecutor|police|commander|commandant)\s+(?:\w+\s+)?(?:of|for)\s+(?:the\s+)?$",
    re.IGNORECASE)
# "X, a town near Y": Y only describes X.
_APPOSITIVE_GAP = re.compile(
    r"^\s*,\s*(?:a|an|the)\s+(?:[\w'’-]+\s+){0,6}?(?:of|from|near|outside|in|to|by|on|"
    r"off|beyond|across)\s+(?:the\s+)?(?:(?:city|town|village|region)\s+of\s+)?$",
    re.IGNORECASE)
_NEAR_BEFORE = re.compile(
    r"(?<![\w-])(?:near|outside|around|close to|vicinity of|outskirts of|approaches to|"
    r"direction of|towards?|on the (?:\w+ )?flanks? of)\s+(?:the\s+)?"
    r"(?:(?:city|town|village|settlement)\s+of\s+)?$", re.IGNORECASE)
# A place a statement was made at: "said in Washington", "a summit in Hiroshima".
_VENUE_BEFORE = re.compile(
    r"(?<![\w-])(?:said|says|told\s+(?:\w+\s+){0,2}|speaking|spoke|announced|addressing|"
    r"summit|meeting|talks|conference|visit(?:ing|ed)?|trip|news briefing|briefing|"
    r"statement|address)\s+(?:(?:\w+\s+){0,3}?|(?:at|in|to)\s+(?:a|an|the)\s+"
    r"(?:[\w'’-]+\s+){0,3}?)(?:in|at|to)\s+(?:the\s+)?$",
    re.IGNORECASE)
# Words right after a name that make it part of another name or an actor:
# "Moscow time", "the Khortytsia group of forces", "the Donetsk front", "the
# Zaporizhzhia nuclear power plant" (when the plant itself was not resolved),
# "Moscow's defence ministry", "Moscow-installed officials".
_NAME_PART_AFTER = re.compile(
    r"^(?:\s+(?:time\b|group\s+of\s+forces|operational\s+group|front\b|axis\b|"
    r"(?:nuclear\s+)?(?:power\s+)?(?:plant|station)\b|delta\b)"
    r"|-(?:installed|backed|appointed|controlled|led|allied|friendly|based|held)\b)",
    re.IGNORECASE)
_ACTOR_AFTER = re.compile(
    r"^['’]s\s+(?:[\w-]+\s+){0,2}?(?:defen[cs]e|foreign|interior|military|army|armed|forces|"
    r"troops|government|ministry|officials?|authorities|president|leader(?:ship)?|navy|"
    r"air\s+force|general\s+staff|command(?:er|ers)?|spokes\w+|envoy|ambassador|aims?|"
    r"offensive|units|side|claims?|allies|partners|invasion|war|soldiers|marines|"
    r"prosecutors?|security|intelligence|(?:first|biggest|largest|latest)\b)",
    re.IGNORECASE)
# What makes a country or a large city the scene of an event rather than its government.
_LOCATIVE_BEFORE = re.compile(
    r"(?<![\w-])(?:in|at|on|near|around|outside|over|into|across|throughout|inside|within|"
    r"toward|towards|of|through|against|struck|strike|strikes|hit|hits|shelled|"
    r"shelling|attacked|attacking|targeted|targeting|bombed|bombing|entered|captured|"
    r"reached|besieged|encircled|surrounded|liberated|retook|recaptured|approaches|"
    r"outskirts|centre|center|streets|residents|people)\s+(?:the\s+)?(?:(?:city|capital|"
    r"town|region)\s+of\s+|capital,?\s+)?$",
    re.IGNORECASE)
_LOCATIVE_AFTER = re.compile(
    r"^\s+(?:was|were|has\s+been|had\s+been|is\s+being|came\s+under|comes\s+under|"
    r"suffered|residents|region|oblast|city|cent(?:re|er)|airport|station)\b",
    re.IGNORECASE)
# A dateline: "DNIPRO, Ukraine —". Possessive quantifiers and a bound on the words keep it
# linear: the earlier "(?:[A-Z][\w'’-]+\s*)+" backtracked for tens of seconds on long lists.
_DATELINE_AFTER = re.compile(r"^,[ \t]*[A-Z][\w'’-]*+(?:[ \t]+[A-Z][\w'’-]*+){0,3}[ \t]*[—–]")
_SEAT_OF_BEFORE = re.compile(
    r"(?<![\w-])(?:cent(?:re|er)|capital|heart|seat)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
# "the lower Dnipro": the river, even when the name was read as the city.
_RIVER_READING_BEFORE = re.compile(r"(?<![\w-])the\s+(?:lower|upper|middle)\s+$",
                                   re.IGNORECASE)
# A clause break, for the reach of a modal word.
_CLAUSE_BREAK = re.compile(r"[,;:—–()]|(?<![\w-])(?:but|while|whereas|and\s+that)(?![\w-])",
                           re.IGNORECASE)
_MODAL_WORD = re.compile(
    r"(?<![\w-])(?:would|could|might|may|will|can|cannot|can't|should|[Ii]f|[Uu]nless|"
    r"whether|threaten\w*\s+to|aim\w*\s+to|plan\w*\s+to|tr(?:y|ies|ied|ying)\s+to|"
    r"attempt\w*\s+to|in\s+order\s+to|so\s+as\s+to|hop\w*\s+to)(?![\w-])(?!\s+\d)")
# Temporal clauses that hold another event at another time: "since its forces pulled
# back from around Kyiv", "a day after the dam was destroyed".
_SINCE = re.compile(r"(?<![\w-])since\s+(?!then\b|that\s+time\b)", re.IGNORECASE)
_AFTER = re.compile(
    r"(?<![\w-])(?:(?P<n>a|an|one|two|three|four|five|six|seven|\d{1,2})\s+(?P<unit>days?|weeks?)"
    r"|(?P<same>hours|minutes|moments|shortly|soon)"
    r"|(?P<vague>days|weeks|months|years))\s+after\s+", re.IGNORECASE)
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7}
# References to a time the tagger cannot resolve; such a sentence must not borrow the
# date of the sentence before it.
_UNANCHORED_TIME = re.compile(
    r"(?<![\w-])(?:in|during|within)\s+the\s+(?:opening|first|early|initial|final|last)\s+"
    r"(?:days?|weeks?|months?|hours?|stages?)\s+of\s+the\s+(?:war|invasion|occupation|"
    r"conflict|full-scale\s+invasion)|(?<![\w-])at\s+the\s+(?:start|beginning|outset)\s+of"
    r"\s+the\s+(?:war|invasion|conflict|full-scale\s+invasion)", re.IGNORECASE)
_SINCE_THEN = re.compile(r"(?<![\w-])since\s+then(?![\w-])", re.IGNORECASE)
# Words that point back to the place the story is about: "the town", "there".
_ANAPHOR = re.compile(
    r"(?<![\w-])(?:the|this|that)\s+(?:[\w-]+\s+)?(?:(?P<city>town|city|village|settlement)|"
    r"(?P<site>plant|station|bridge|dam|building|block|site|facility|reservoir))"
    r"(?![\w-])(?!\s+of\s+[A-Z])|(?<![\w-])(?P<there>there)(?![\w-])", re.IGNORECASE)


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
    kind: str   # "since", "after" or "vague"
    shift_days: int = 0


def extract_events(article: Article, mentions: Sequence[Mention],
                   dated_sentences: Sequence[DatedSentence], *,
                   undated: list[Event] | None = None) -> list[Event]:
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

    The place of the episode carries to a sentence that names none:

    >>> text = "Russian shelling hit Siversk on Monday. Two people were killed."
    >>> art = Article("a1", text, title="T", published=dt.date(2022, 7, 5))
    >>> ms = [Mention("a1", 21, 28, "Siversk", siversk, 0.9)]
    >>> ds = [DatedSentence(0, 39, dt.date(2022, 7, 4), "day", "own"),
    ...       DatedSentence(40, len(text), dt.date(2022, 7, 4), "day", "carried")]
    >>> [(e.place, e.event_type) for e in extract_events(art, ms, ds)]
    [('Siversk', 'shelling'), ('Siversk', 'civilian_harm')]
    """
    from .sentences import split_paragraphs

    text = article.text
    ordered = sorted(mentions, key=lambda m: (m.start, m.end))
    paragraph_starts = [start for start, _ in split_paragraphs(text)]
    events: list[Event] = []
    focus: Mention | None = None
    focus_paragraph = -1
    starts = [m.start for m in ordered]
    for ds in sorted(dated_sentences, key=lambda d: (d.start, d.end)):
        inside = [m for m in ordered[bisect.bisect_left(starts, ds.start):
                                     bisect.bisect_right(starts, ds.end)] if m.end <= ds.end]
        paragraph = bisect.bisect_right(paragraph_starts, ds.start) - 1
        sentence = text[ds.start:ds.end]
        if ds.source != "own" and (_UNANCHORED_TIME.search(sentence[:_MAX_SENTENCE])
                                   or _SINCE_THEN.search(sentence[:_MAX_SENTENCE])):
            continue  # "Since then the city has been shelled": a state since that date
        sites, subject, verdict, named, main_text = _read_sentence(text, ds, inside)
        if not sites and verdict.is_event and focus is not None:
            same = focus_paragraph == paragraph
            pointer = _ANAPHOR.search(main_text)
            if (same and not named) or (pointer and _points_to(pointer, focus)):
                sites = [_Site(focus, verdict.event_type, verdict.sub_event_type,
                               _geo_precision(focus.place.kind, False),
                               verdict.confidence, carried=True)]
        for site in sites:
            event = _make_event(article, site, ds, sentence)
            if event is None:
                continue
            if event.date:
                events.append(event)
            elif undated is not None:
                undated.append(event)
        scene = {s.mention.place.place_id: s.mention for s in sites
                 if not s.carried and s.event_type != "statement"}
        if len(scene) == 1:
            focus, focus_paragraph = next(iter(scene.values())), paragraph
        elif scene:  # several places: the story is at none of them in particular
            focus = None
        elif subject is not None:
            focus, focus_paragraph = subject, paragraph
    return events


def _read_sentence(text: str, ds: DatedSentence, inside: list[Mention]
                   ) -> tuple[list[_Site], Mention | None, _Verdict, bool, str]:
    """The event places of one sentence.

    Returns ``(sites, subject, verdict, named, main_text)``: *subject* is the first
    place named as a scene (for the episode's place), *named* whether any place other
    than a government is named, *main_text* the sentence without its temporal clauses.
    """
    start, end = ds.start, ds.end
    sentence = text[start:end]
    clauses = _temporal_clauses(text, start, end)
    main_text = _blank(sentence, start, clauses)
    verdict = _analyse(main_text)
    literal = [m for m in inside if m.literal]
    # "8,000 km2 have been retaken since the offensive began in early September": the
    # date is the clause's, the main clause's places have none.
    dated_by_since = ds.source == "own" and ds.timex is not None and any(
        c.kind == "since" and c.start <= ds.timex.start < c.end for c in clauses)
    sites: list[_Site] = []
    subject: Mention | None = None
    named = False
    seen: set[str] = set()
    prev: Mention | None = None
    prev_role: str | None = None
    for m in literal:
        role = _role(text, start, end, m, prev, prev_role)
        prev, prev_role = m, role
        if role not in ("actor", "title"):
            named = True
        if role == "venue":
            if m.place.place_id not in seen:
                seen.add(m.place.place_id)
                sub = verdict.sub_event_type if verdict.event_type == "statement" else "diplomacy"
                sites.append(_Site(m, "statement", sub or "diplomacy",
                                   _geo_precision(m.place.kind, False), verdict.confidence))
            continue
        if role is not None:
            continue
        clause = next((c for c in clauses if c.start <= m.start < c.end), None)
        shift = 0
        if clause is None:
            if dated_by_since or _in_modal_clause(text, start, m):
                continue
            here = verdict
        elif clause.kind == "since":
            timex = ds.timex
            if ds.source != "own" or timex is None or not clause.start <= timex.start < clause.end:
                continue
            here = _analyse(text[clause.start:clause.end])
        elif clause.kind == "after":
            here, shift = _analyse(text[clause.start:clause.end]), clause.shift_days
        else:
            continue
        if subject is None and m.place.kind != "country":
            subject = m
        if here.event_type == "statement" and here.sub_event_type == "visit":
            if m.place.place_id not in seen:  # a visit happens where it is made
                seen.add(m.place.place_id)
                sites.append(_Site(m, "statement", "visit",
                                   _geo_precision(m.place.kind, False), here.confidence))
            continue
        if not here.is_event or here.event_type == "statement":
            continue
        if m.place.place_id in seen:
            continue
        seen.add(m.place.place_id)
        before = text[start:m.start]
        near = _NEAR_BEFORE.search(before[-60:]) is not None
        sites.append(_Site(m, here.event_type, here.sub_event_type,
                           _geo_precision(m.place.kind, near), here.confidence, shift))
    return _prune(text, sites), subject, verdict, named, main_text


def _role(text: str, s_start: int, s_end: int, m: Mention, prev: Mention | None,
          prev_role: str | None) -> str | None:
    """Why a literally used place is not the scene of the sentence's event, or None.

    ``"venue"`` (a statement was made there), ``"actor"`` (a government or army named by
    its place), ``"name"`` (part of another name: "Moscow time", "the Donetsk front"),
    ``"title"`` ("the governor of the Kherson region"), ``"locator"`` (it only locates
    or describes another place).
    """
    before = text[max(s_start, m.start - 120):m.start]
    after = text[m.end:min(s_end, m.end + 80)]
    place = m.place
    if _NAME_PART_AFTER.match(after) and place.kind != "facility":
        return "name"
    if _VENUE_BEFORE.search(before[-80:]):
        return "venue"
    if place.kind == "city" and _RIVER_READING_BEFORE.search(before[-20:]):
        return "name"
    if _ACTOR_AFTER.match(after):
        return "actor"
    coordinated = prev is not None and re.fullmatch(
        r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)", text[prev.end:m.start]) is not None
    if place.kind == "country" or (place.kind == "city"
                                   and place.population >= _METONYM_POPULATION):
        locative = (_LOCATIVE_BEFORE.search(before[-60:]) is not None
                    or _LOCATIVE_AFTER.match(after) is not None
                    or _DATELINE_AFTER.match(after) is not None
                    or (coordinated and prev_role is None))
        if not locative:
            return "actor"
    if coordinated and prev_role in ("locator", "venue"):
        return prev_role
    if _TITLE_BEFORE.search(before[-60:]):
        return "title"
    if _LOCATOR_BEFORE.search(before):
        return "locator"
    if place.kind in ("region", "district") and _SEAT_OF_BEFORE.search(before[-40:]):
        return "locator"  # "Dnipro, ... the centre of the Dnipropetrovsk region"
    if prev_role == "locator" and not _CLAUSE_BREAK.search(text[prev.end:m.start]):
        return "locator"  # "east of Kharkiv through which the group around Izium ..."
    if prev is not None and _APPOSITIVE_GAP.match(text[prev.end:m.start]) and \
            prev.place.kind != "country":
        return "locator"
    return None


def _prune(text: str, sites: list[_Site]) -> list[_Site]:
    """Drop coarse places beside finer ones: the event happened at the finer place."""
    scene = [s for s in sites if s.event_type != "statement"]
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
        if s.event_type != "statement" and kind == "district" and any(
                o.mention.place.kind in ("city", "facility")
                and _same_region(o.mention.place.admin1, s.mention.place) for o in scene):
            continue
        keep.append(s)
    return keep


def _temporal_clauses(text: str, start: int, end: int) -> list[_Clause]:
    """"since ..." and "N days after ..." clauses of a sentence, up to the next break."""
    sentence = text[start:end][:_MAX_SENTENCE]
    out: list[_Clause] = []
    if not _FOLDS_TO_ASCII.intersection(sentence):  # else "since" may hide as "ſince"
        low = sentence.lower()
        if "since" not in low and "after" not in low:
            return out  # neither clause can start here
    for m in _SINCE.finditer(sentence):
        stop = _CLAUSE_BREAK.search(sentence, m.end())
        while stop and re.match(r",\s*(?:when|where|after)\b", sentence[stop.start():]):
            stop = _CLAUSE_BREAK.search(sentence, stop.end())  # "since 2014, when ..."
        out.append(_Clause(start + m.start(), start + (stop.start() if stop else len(sentence)),
                           "since"))
    for m in _AFTER.finditer(sentence):
        stop = _CLAUSE_BREAK.search(sentence, m.end())
        if m.group("vague"):
            kind, shift = "vague", 0
        elif m.group("same"):
            kind, shift = "after", 0
        else:
            n = _NUMBERS.get(m.group("n").lower()) or int(m.group("n"))
            kind, shift = "after", n * (7 if m.group("unit").lower().startswith("week") else 1)
        out.append(_Clause(start + m.start(), start + (stop.start() if stop else len(sentence)),
                           kind, shift))
    return out


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
    before = text[s_start:m.start][-200:]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end():] if breaks else before
    return _MODAL_WORD.search(clause) is not None


def _points_to(pointer: re.Match[str], focus: Mention) -> bool:
    """Whether an anaphor ("the town", "the bridge", "there") can mean *focus*."""
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


def _geo_precision(kind: str, near: bool) -> int:
    if kind in _COARSE_KINDS:
        return 3
    if kind == "district" or near:
        return 2
    return 1


_PERIOD_DAYS = {"day": 1, "week": 7, "month": 31, "season": 92, "quarter": 92,
                "half": 183, "year": 366, "decade": 3653, "century": 36525}


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


def _make_event(article: Article, site: _Site, ds: DatedSentence,
                sentence: str) -> Event | None:
    mention = site.mention
    place = mention.place
    day = ds.date if ds.date is not None and ds.source != "none" else None
    if day is not None and _is_recap(day, ds.precision, article.published):
        return None
    if site.geo_precision == 3 and ds.source == "published":
        return None  # a region on an unknown day: too vague to be an event
    if day is not None and site.shift_days:
        day -= dt.timedelta(days=site.shift_days)
    date = day.isoformat() if day is not None else ""
    code = PRECISION_CODE.get(ds.precision, 3)
    if ds.source == "published":
        code = max(code, 2)
    confidence = (mention.confidence * site.type_confidence
                  * _DATE_SOURCE_WEIGHT.get(ds.source, 0.5))
    if site.geo_precision == 3:
        confidence *= 0.9
    if site.carried:
        confidence *= _CARRIED_PLACE_WEIGHT
    event_type = site.event_type
    key = "|".join((article.article_id, place.place_id, date, event_type, str(ds.start)))
    return Event(
        event_id=hashlib.sha1(key.encode("utf-8")).hexdigest()[:16],
        date=date, time_precision=code, place_id=place.place_id, place=place.name,
        kind=place.kind, admin1=place.admin1, country_code=place.country_code,
        latitude=float(place.latitude), longitude=float(place.longitude),
        geo_precision=site.geo_precision, event_type=event_type,
        sub_event_type=site.sub_event_type,
        article_id=article.article_id, title=article.title, source=article.source,
        url=article.url,
        published=article.published.isoformat() if article.published else "",
        quote=_quote(sentence), confidence=round(min(max(confidence, 0.0), 1.0), 3),
        sources=_source_label(article.title, article.url, article.source, article.article_id),
        n_sources=1,
    )


def _quote(sentence: str) -> str:
    quote = " ".join(sentence[:_MAX_QUOTE * 2].split())
    return quote if len(quote) <= _MAX_QUOTE else quote[:_MAX_QUOTE - 1] + "…"


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
        clearest = min(group, key=lambda e: (-e.confidence, len(e.quote), e.article_id,
                                             e.event_id))
        labels: list[str] = []
        for e in group:
            for label in (e.sources or _source_label(e.title, e.url, e.source,
                                                     e.article_id)).split("; "):
                if label and label not in labels:
                    labels.append(label)
        articles = {e.article_id for e in group}
        merged.append(replace(
            first, quote=clearest.quote, sub_event_type=clearest.sub_event_type or
            first.sub_event_type, confidence=max(e.confidence for e in group),
            time_precision=min(e.time_precision for e in group),
            geo_precision=min(e.geo_precision for e in group),
            sources="; ".join(labels), n_sources=max(len(articles),
                                                     max(e.n_sources for e in group)),
            corrected=any(e.corrected for e in group),
            correction="; ".join(sorted({e.correction for e in group} - {""}))))
    merged.sort(key=_row_order)
    return merged


def _row_order(e: Event) -> tuple[str, str, str, str]:
    return (e.date, e.place, e.event_type, e.event_id)


# ---------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------

_INT_COLUMNS = ("time_precision", "geo_precision", "n_sources")
_FLOAT_COLUMNS = ("latitude", "longitude", "confidence")
_BOOL_COLUMNS = ("corrected",)
_STR_COLUMNS = tuple(c for c in EVENT_COLUMNS
                     if c not in _INT_COLUMNS + _FLOAT_COLUMNS + _BOOL_COLUMNS)
_FORMATS = (".csv", ".geojson", ".gpkg", ".parquet")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALIZED = re.compile(r"^'+[=+\-@\t\r]")
_HTML_COLUMNS = ("date", "place", "admin1", "event_type", "sub_event_type", "quote",
                 "sources", "confidence")
_HTML_MAX_ROWS = 50


class EventTable:
    """The event table: a GeoDataFrame of :data:`EVENT_COLUMNS` with Point(lon, lat).

    Rows are kept in a stable order (date, place, type, event_id), so the same events
    always give byte-identical files. It is validated where it is made and read.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A frame with the event columns and EPSG:4326 point geometry.
    validate : bool, default True
        Check the frame (see :meth:`validate`).

    Examples
    --------
    >>> e = Event(event_id="e1", date="2022-11-11", time_precision=1, place_id="p:1",
    ...     place="Kherson", kind="city", admin1="Kherson", country_code="UA",
    ...     latitude=46.64, longitude=32.61, geo_precision=1, event_type="territory_change",
    ...     sub_event_type="entry", article_id="a", title="T", source="Wire", url="",
    ...     published="2022-11-12", quote="Troops entered Kherson.", confidence=0.8)
    >>> table = EventTable.from_events([e])
    >>> len(table), table.gdf.crs.to_epsg(), table.gdf.geometry.iloc[0].x
    (1, 4326, 32.61)
    >>> len(table.filter(types=["shelling"]))
    0
    """

    def __init__(self, gdf: gpd.GeoDataFrame, *, validate: bool = True) -> None:
        self._gdf = gdf
        if validate:
            self.validate()

    # -- making ----------------------------------------------------------------------
    @classmethod
    def from_events(cls, events: Iterable[Event]) -> EventTable:
        """A table of *events*, in the stable row order.

        Examples
        --------
        >>> len(EventTable.from_events([]))
        0
        """
        import pandas as pd

        rows = [asdict(e) for e in sorted(events, key=_row_order)]
        frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
        return cls(_to_gdf(frame))

    @property
    def gdf(self) -> gpd.GeoDataFrame:
        """The GeoDataFrame (EPSG:4326, Point(lon, lat)); a copy is safe to change."""
        return self._gdf

    def __len__(self) -> int:
        return len(self._gdf)

    def __repr__(self) -> str:
        return f"<EventTable: {len(self)} events>"

    def to_events(self) -> list[Event]:
        """The rows as :class:`Event` objects.

        Examples
        --------
        >>> EventTable.from_events([]).to_events()
        []
        """
        names = [f.name for f in fields(Event)]
        out = []
        for rec in self._gdf[list(EVENT_COLUMNS)].to_dict("records"):
            out.append(Event(**{n: _python(rec[n]) for n in names}))
        return out

    def equals(self, other: EventTable) -> bool:
        """Whether two tables hold the same rows, values and geometry."""
        a, b = self._gdf, other._gdf
        return (list(a.columns) == list(b.columns) and a[list(EVENT_COLUMNS)].equals(
            b[list(EVENT_COLUMNS)]) and bool(a.geometry.geom_equals(b.geometry).all())
            and a.crs == b.crs)

    # -- checking --------------------------------------------------------------------
    def validate(self) -> EventTable:
        """Check columns, dtypes, CRS, coordinates, dates and types; return self.

        Raises
        ------
        EventTableError
            Listing every problem, row by row, at once.

        Examples
        --------
        >>> t = EventTable.from_events([])
        >>> t.validate() is t
        True
        """
        import pandas as pd

        gdf = self._gdf
        problems: list[str] = []
        missing = [c for c in EVENT_COLUMNS if c not in gdf.columns]
        if missing:
            problems.append("missing columns: " + ", ".join(missing))
        if gdf.crs is None or gdf.crs.to_epsg() != 4326:
            problems.append(f"CRS must be EPSG:4326, not {gdf.crs}")
        for col in _INT_COLUMNS:
            if col in gdf and not pd.api.types.is_integer_dtype(gdf[col]):
                problems.append(f"column {col} must be integer, not {gdf[col].dtype}")
        for col in _FLOAT_COLUMNS:
            if col in gdf and not pd.api.types.is_float_dtype(gdf[col]):
                problems.append(f"column {col} must be float, not {gdf[col].dtype}")
        for col in _BOOL_COLUMNS:
            if col in gdf and not pd.api.types.is_bool_dtype(gdf[col]):
                problems.append(f"column {col} must be boolean, not {gdf[col].dtype}")
        for col in _STR_COLUMNS:
            if col in gdf and not (pd.api.types.is_string_dtype(gdf[col])
                                   or pd.api.types.is_object_dtype(gdf[col])):
                problems.append(f"column {col} must be text, not {gdf[col].dtype}")
        if problems:  # row checks need the columns
            raise EventTableError(problems)
        seen: dict[str, int] = {}
        for i, rec in enumerate(gdf.to_dict("records")):
            problems.extend(f"row {i} (event {rec['event_id']!r}): {p}"
                            for p in _row_problems(rec, seen, i))
        if problems:
            raise EventTableError(problems)
        return self

    # -- selecting -------------------------------------------------------------------
    def filter(self, *, start: dt.date | str | None = None, end: dt.date | str | None = None,
               types: Iterable[str] | None = None, region: str | None = None,
               source: str | None = None, min_confidence: float | None = None) -> EventTable:
        """The events matching every given condition.

        Parameters
        ----------
        start, end : date or ISO str, optional
            Inclusive date range.
        types : iterable of str, optional
            Event types to keep (from :data:`EVENT_TYPES`).
        region : str, optional
            First-level region (``admin1``), case-insensitive; "Donetsk" also matches
            "Donetsk Oblast".
        source : str, optional
            Case-insensitive text found in ``source``, ``sources``, ``title`` or ``url``.
        min_confidence : float, optional
            Lowest confidence kept.

        Raises
        ------
        EventTableError
            For an unknown type or a date that is not ISO.
        """
        gdf = self._gdf
        keep = gdf["event_id"].notna()
        if start is not None:
            keep &= gdf["date"] >= _iso(start, "start")
        if end is not None:
            keep &= gdf["date"] <= _iso(end, "end")
        if types is not None:
            wanted = [types] if isinstance(types, str) else list(types)
            unknown = sorted(set(wanted) - set(EVENT_TYPES))
            if unknown:
                raise EventTableError([f"unknown event type(s) {', '.join(unknown)}; "
                                       f"known: {', '.join(EVENT_TYPES)}"])
            keep &= gdf["event_type"].isin(wanted)
        if region is not None:
            key = region.casefold().strip()
            admin = gdf["admin1"].astype(str).str.casefold()
            keep &= (admin == key) | admin.str.startswith(key + " ") | \
                (gdf["place"].astype(str).str.casefold() == key)
        if source is not None:
            key = source.casefold()
            hit = gdf["event_id"].isna()
            for col in ("source", "sources", "title", "url"):
                hit |= gdf[col].astype(str).str.casefold().str.contains(key, regex=False)
            keep &= hit
        if min_confidence is not None:
            keep &= gdf["confidence"] >= float(min_confidence)
        return EventTable(gdf[keep].reset_index(drop=True), validate=False)

    # -- showing ---------------------------------------------------------------------
    def _repr_html_(self) -> str:
        rows = self._gdf.head(_HTML_MAX_ROWS)
        head = "".join(f"<th>{html.escape(c)}</th>" for c in _HTML_COLUMNS)
        body = []
        for rec in rows[list(_HTML_COLUMNS)].to_dict("records"):
            cells = []
            for col in _HTML_COLUMNS:
                value = rec[col]
                if col == "confidence":
                    value = f"{value:.2f}"
                elif col == "quote" and len(str(value)) > 200:
                    value = str(value)[:199] + "…"
                cells.append(f"<td>{html.escape(str(value))}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        more = len(self) - len(rows)
        foot = f"<p>… {more} more events</p>" if more > 0 else ""
        return (f"<div><p><b>EventTable</b>: {len(self)} events</p>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
                f"</table>{foot}</div>")

    # -- files -----------------------------------------------------------------------
    def to_file(self, path: str | Path) -> Path:
        """Write the table by extension: ``.csv``, ``.geojson``, ``.gpkg``, ``.parquet``.

        The write is atomic. CSV text cells that a spreadsheet would run as a formula
        (starting with ``= + - @``, tab or CR) get a leading apostrophe; numbers stay
        numbers. :meth:`read` undoes the apostrophes.

        Raises
        ------
        OutputError
            For an unknown extension or an unwritable place.
        """
        from .outputs import atomic_path, atomic_write

        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in _FORMATS:
            raise OutputError(f"{path}: unknown event table format {suffix!r}; use one of "
                              f"{', '.join(_FORMATS)}")
        self.validate()
        gdf = _sorted(self._gdf)
        try:
            if suffix == ".csv":
                frame = gdf[list(EVENT_COLUMNS)].copy()
                for col in _STR_COLUMNS:
                    frame[col] = frame[col].map(_neutralize)
                with atomic_write(path, newline="") as f:
                    frame.to_csv(f, index=False, lineterminator="\n")
            elif suffix == ".geojson":
                with atomic_write(path) as f:
                    f.write(gdf.to_json(drop_id=True, ensure_ascii=False, indent=None))
                    f.write("\n")
            elif suffix == ".gpkg":
                import pyogrio

                pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2000-01-01T00:00:00Z"})
                try:
                    with atomic_path(path) as tmp:
                        gdf.to_file(tmp, layer="events", driver="GPKG", engine="pyogrio")
                finally:
                    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
            else:
                with atomic_path(path) as tmp:
                    gdf.to_parquet(tmp, index=False)
        except OSError as err:
            raise OutputError(f"cannot write {path}: {err}") from err
        return path

    @classmethod
    def read(cls, path: str | Path) -> EventTable:
        """Read a table written by :meth:`to_file` (any of the four formats) and check it.

        Raises
        ------
        EventTableError
            If the file does not hold a valid event table.
        """
        import geopandas as gpd
        import pandas as pd

        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in _FORMATS:
            raise EventTableError([f"{path}: unknown event table format {suffix!r}; use one "
                                   f"of {', '.join(_FORMATS)}"])
        try:
            if suffix == ".csv":
                frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
                for col in _STR_COLUMNS:
                    if col in frame:
                        frame[col] = frame[col].map(_unneutralize)
            elif suffix == ".parquet":
                frame = gpd.read_parquet(path)
            else:
                frame = gpd.read_file(path, engine="pyogrio")
        except (OSError, ValueError) as err:
            raise EventTableError([f"{path}: cannot read event table: {err}"]) from err
        missing = [c for c in EVENT_COLUMNS if c not in frame.columns]
        if missing:
            raise EventTableError([f"{path}: missing columns: {', '.join(missing)}"])
        try:
            gdf = _to_gdf(frame[list(EVENT_COLUMNS)].copy())
        except (TypeError, ValueError) as err:
            raise EventTableError([f"{path}: bad values: {err}"]) from err
        return cls(gdf)


def _sorted(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The rows in the table's stable order: date, place, type, event_id."""
    return gdf.sort_values(["date", "place", "event_type", "event_id"], kind="mergesort",
                           ignore_index=True)


def _to_gdf(frame: Any) -> gpd.GeoDataFrame:
    """Give *frame* the canonical dtypes and Point(lon, lat) geometry in EPSG:4326."""
    import geopandas as gpd
    import pandas as pd

    frame = frame.reset_index(drop=True)
    for col in _STR_COLUMNS:
        frame[col] = frame[col].fillna("").astype(str).astype(object)
    for col in _INT_COLUMNS:
        frame[col] = pd.to_numeric(frame[col], errors="raise").astype("int64")
    for col in _FLOAT_COLUMNS:
        frame[col] = pd.to_numeric(frame[col], errors="raise").astype("float64")
    for col in _BOOL_COLUMNS:
        frame[col] = frame[col].map(_as_bool).astype(bool)
    geometry = gpd.points_from_xy(frame["longitude"], frame["latitude"], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        if value.strip().lower() in ("true", "1", "yes"):
            return True
        if value.strip().lower() in ("false", "0", "no", ""):
            return False
        raise ValueError(f"not a boolean: {value!r}")
    return bool(value)


def _python(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _neutralize(cell: Any) -> Any:
    """Prefix an apostrophe to a text cell a spreadsheet would run as a formula.

    Cells that already start with apostrophes before such a character get one more,
    so :func:`_unneutralize` restores every cell exactly.

    Examples
    --------
    >>> _neutralize("=HYPERLINK(1)"), _neutralize("-5"), _neutralize("Kyiv")
    ("'=HYPERLINK(1)", "'-5", 'Kyiv')
    >>> _unneutralize(_neutralize("'=x"))
    "'=x"
    """
    if isinstance(cell, str) and _FORMULA.match(cell):
        return "'" + cell
    return cell


def _unneutralize(cell: Any) -> Any:
    if isinstance(cell, str) and _NEUTRALIZED.match(cell):
        return cell[1:]
    return cell


def _iso(value: dt.date | str, name: str) -> str:
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    if not _valid_date(text):
        raise EventTableError([f"{name} must be an ISO date YYYY-MM-DD, not {value!r}"])
    return text


def _valid_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _row_problems(rec: dict, seen: dict[str, int], i: int) -> list[str]:
    out = []
    eid = rec["event_id"]
    if not eid:
        out.append("empty event_id")
    elif eid in seen:
        out.append(f"event_id repeats row {seen[eid]}")
    else:
        seen[eid] = i
    if not _valid_date(rec["date"]):
        out.append(f"date {rec['date']!r} is not an ISO date YYYY-MM-DD")
    if rec["published"] and not _valid_date(rec["published"]):
        out.append(f"published {rec['published']!r} is not an ISO date YYYY-MM-DD")
    lat, lon = rec["latitude"], rec["longitude"]
    if not (isinstance(lat, float) and math.isfinite(lat) and -90 <= lat <= 90):
        out.append(f"latitude {lat!r} outside [-90, 90]")
    if not (isinstance(lon, float) and math.isfinite(lon) and -180 <= lon <= 180):
        out.append(f"longitude {lon!r} outside [-180, 180]")
    geom = rec.get("geometry")
    if geom is None or geom.geom_type != "Point":
        out.append("geometry must be a point")
    elif math.isfinite(lat) and math.isfinite(lon) and (
            abs(geom.x - lon) > 1e-9 or abs(geom.y - lat) > 1e-9):
        out.append(f"geometry ({geom.x}, {geom.y}) differs from (longitude, latitude)")
    if rec["event_type"] not in EVENT_TYPES:
        out.append(f"unknown event_type {rec['event_type']!r}")
    for col in ("time_precision", "geo_precision"):
        if rec[col] not in (1, 2, 3):
            out.append(f"{col} {rec[col]!r} is not 1, 2 or 3")
    conf = rec["confidence"]
    if not (isinstance(conf, float) and 0.0 <= conf <= 1.0):
        out.append(f"confidence {conf!r} outside [0, 1]")
    if rec["n_sources"] < 1:
        out.append(f"n_sources {rec['n_sources']!r} is below 1")
    if not rec["place_id"]:
        out.append("empty place_id")
    return out
