"""Event types: what a sentence reports, typed with a lexicon of war-reporting cues.

:func:`classify` types a sentence with a lexicon of war-reporting cues (ACLED-like
taxonomy, :data:`EVENT_TYPES`), and :func:`reports_event` says whether it reports
something that happened at all, as opposed to background or commentary. A prefilter
(an Aho–Corasick automaton over the cues' literal starts) picks the cues worth running
on a sentence and the offsets where each can match, so typing stays fast with a large
lexicon; the context patterns ("could", "no", "before the") are tried the same way.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from .event_schema import EVENT_TYPES
from .patterns import FOLDS_TO_ASCII, Gated, last_words, leads

__all__ = [
    "EVENT_TYPES",
    "MAX_SENTENCE",
    "MAX_QUOTE",
    "Verdict",
    "Scan",
    "classify",
    "reports_event",
    "is_habitual",
    "analyse",
    "scan_sentence",
]


# ---------------------------------------------------------------------------------------
# Typing sentences: a lexicon of cues
# ---------------------------------------------------------------------------------------

# Types that are events on the ground (a "statement" or an arrest is not).
_WAR_TYPES = frozenset(EVENT_TYPES) - {"statement", "other"}
# "other" sub-types that are still violent events on the ground.
_VIOLENT_OTHER = frozenset(
    {"explosion", "remote_explosive", "suicide_bomb", "grenade", "chemical_weapon"}
)
# When two types score the same, the more specific one wins.
_PRIORITY = (
    "missile_strike",
    "air_drone_strike",
    "shelling",
    "territory_change",
    "armed_clash",
    "civilian_harm",
    "evacuation",
    "infrastructure",
    "other",
    "statement",
)
_PRIORITY_RANK = {t: i for i, t in enumerate(_PRIORITY)}
# Below this score a sentence reports no event.
_EVENT_THRESHOLD = 2.0
# Sub-types that say less than any other sub-type of their type.
_GENERIC_SUBS = frozenset({"strike", "attack", "casualties", "damage"})
# Longer "sentences" (run-on text without punctuation) are typed by their beginning,
# which keeps typing linear in the article's length; quotes are cut as well.
MAX_SENTENCE = 3000
MAX_QUOTE = 600


class _Cue(NamedTuple):
    """Words (a regular expression) that type a sentence. Their pattern is compiled on
    first use: the lexicon takes ~15 ms to compile, which importing the module for its
    types (as a run on cached articles does) need not pay."""

    event_type: str
    sub_event_type: str
    weight: float
    words: str
    modal_sensitive: bool

    @property
    def pattern(self) -> re.Pattern[str]:
        """The words as whole words, in any case."""
        return _cue_pattern(self.words)


@functools.cache
def _cue_pattern(words: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.IGNORECASE)


def _cue(
    event_type: str, sub: str, weight: float, words: str, *, modal_sensitive: bool = True
) -> _Cue:
    return _Cue(event_type, sub, weight, words, modal_sensitive)


_CUES: tuple[_Cue, ...] = (
    # -- missiles ------------------------------------------------------------------------
    _cue("missile_strike", "cruise_missile", 3.0, r"cruise missiles?|kalibrs?|kh-?\d{2,3}s?"),
    _cue(
        "missile_strike",
        "ballistic_missile",
        3.0,
        r"ballistic missiles?|iskanders?|kinzhals?|tochka(?:-u)?|hypersonic missiles?",
    ),
    _cue("missile_strike", "missile", 3.0, r"missile (?:strikes?|attacks?|barrage|fire)"),
    _cue("missile_strike", "missile", 1.5, r"missiles?|s-300s?"),
    _cue(
        "missile_strike",
        "strike",
        2.0,
        r"strikes? (?:on|against|at|hit)|struck|precision strikes?|long-range strikes?|"
        r"strikes? (?:were|was) (?:also )?reported",
    ),
    # -- air and drone strikes -----------------------------------------------------------
    _cue(
        "air_drone_strike",
        "air_strike",
        3.0,
        r"air ?strikes?|air-strikes?|air raids?|aerial (?:bombardment|bombings?|attacks?|"
        r"strikes?|assaults?)|bombing raids?|(?:glide|guided|aerial|barrel|cluster) bombs?|"
        r"warplanes?|fighter jets?|(?<!suicide )bombers|helicopter gunships?|sorties|"
        r"(?<!suicide )bombed",
    ),
    _cue(
        "air_drone_strike",
        "air_strike",
        1.5,
        r"jets?|aircraft|helicopters?|planes? (?:bombed|struck|hit|fired)|bombs? dropped|"
        r"dropped bombs?|air force|aviation",
    ),
    _cue(
        "air_drone_strike",
        "drone",
        3.0,
        r"drone (?:strikes?|attacks?|hits?|raids?|swarms?)|kamikaze drones?|shaheds?|"
        r"geran(?:-?2)?s?|loitering munitions?|attack drones?|suicide drones?",
    ),
    _cue("air_drone_strike", "drone", 1.75, r"drones?|uavs?|unmanned aerial vehicles?"),
    # -- shelling, artillery, rockets ----------------------------------------------------
    _cue(
        "shelling",
        "artillery",
        3.0,
        r"shell(?:ing|ed|s)|artillery|howitzers?|mortars?|mortar (?:fire|rounds|shells)|"
        r"bombard(?:ed|ing|ment|ments)|barrages?|tank fire|tanks? (?:fired|attacked)|"
        r"(?:heavy|intense) (?:weapons )?fire",
    ),
    _cue(
        "shelling",
        "rocket_artillery",
        3.0,
        r"grads?|mlrs|multiple(?:-| )(?:launch )?rocket (?:launchers?|systems?)|"
        r"rocket launchers?|himars|uragans?|smerch|rocket (?:fire|attacks?|strikes?)|"
        r"rockets? (?:fired|launched|hit|struck|landed|slammed)",
    ),
    _cue("shelling", "rocket_artillery", 1.5, r"rockets?|projectiles?"),
    _cue("shelling", "artillery", 1.0, r"pound(?:ed|ing)|rained down"),
    # -- fighting ------------------------------------------------------------------------
    _cue(
        "armed_clash",
        "fighting",
        3.0,
        r"clash(?:es|ed)?|fighting(?! (?:the |against )?(?:food|crisis|corruption|"
        r"disinformation|misinformation|propaganda|pandemic|covid|poverty|fires?|hunger)\b)|"
        r"fought|fierce battles?|battles? (?:for|over|raged)|"
        r"battled|firefights?|gunfights?|gun ?battles?|skirmish(?:es|ed)?|"
        r"exchange(?:d|s)? (?:of )?(?:fire|gunfire)|street battles?|hostilities|"
        r"combat operations",
    ),
    # "to combat misinformation" is no combat
    _cue("armed_clash", "fighting", 2.0, r"battles?|(?<!to )combat|besieg(?:ed|ing)|siege"),
    _cue(
        "armed_clash",
        "assault",
        3.0,
        r"offensives?|counter-?offensives?|counter-?attack(?:s|ed)?|assaults?|assaulted|"
        r"storm(?:ed|ing)|ambush(?:ed|es)?|repel(?:led|s)?|repuls(?:ed|e)|"
        r"push(?:ed)? back|held out|hold(?:s|ing)? out|"
        r"encircle(?:d|ment)|surrounded|ground attacks?|"
        r"attack(?:s|ed)? (?:on |against )?(?:\w+ ){0,2}"
        r"(?:positions?|troops|forces|soldiers|army|base|checkpoints?|posts?|convoys?)",
    ),
    _cue(
        "armed_clash",
        "advance",
        2.5,
        r"advanc(?:e|ed|es|ing)|gains? (?:near|around|in)|made gains|pushing (?:toward|into)|"
        r"(?:made|make|making|makes) (?:\w+ ){0,2}?gains|"
        r"(?:marginal|territorial|limited|incremental|tactical) gains|"
        r"breakthrough|broke through|crossed the",
    ),
    # Front-line reports: "Russian forces attacked near A, B and C".
    _cue(
        "armed_clash",
        "attack",
        2.25,
        r"attack(?:s|ed|ing)? (?:\w+ ){0,2}?(?:near|in the (?:direction|area|vicinity) of)",
    ),
    _cue(
        "armed_clash",
        "attack",
        1.5,
        r"attack(?:s|ed|ing)?|raid(?:s|ed)?|opened fire|gunmen|militants|insurgents|rebels",
    ),
    # -- territory -----------------------------------------------------------------------
    _cue(
        "territory_change",
        "capture",
        3.5,
        r"(?:took|taken|take|taking|seiz(?:ed|e|ing)|gain(?:ed|ing)?|regain(?:ed|ing)?|"
        r"assum(?:ed|e|ing)|establish(?:ed|ing)?|won|wrest(?:ed)?|full|complete|total) "
        r"(?:full |complete |total )?control|"
        r"captur(?:e|ed|es|ing)|recaptur(?:e|ed|es|ing)|retook|retak(?:e|en|es|ing)|"
        r"took over|taken over|overr(?:an|un)|fell to|fall of|seized|seizure of|conquered|"
        r"(?:was|were|has been|had been) occupied|occupation of|"
        r"the (?:first|last|next) (?:\w+ )?to fall|"
        # a claim of the whole town ("Wagner now held all of Bakhmut"), not a line kept
        r"(?<!still )(?<!kept )(?:holds?|held|controls?|controlled) "
        r"(?:all|the whole|the entirety|every part) of",
    ),
    _cue(
        "territory_change",
        "capture",
        3.0,
        r"(?:gain(?:ed|ing)?|establish(?:ed|ing)?|secur(?:ed|ing)|won) (?:a |the |their |its )?"
        r"(?:\w+ )?(?:foothold|bridgehead)",
    ),
    _cue("territory_change", "capture", 1.5, r"seize|control of"),
    _cue(
        "territory_change",
        "liberation",
        3.5,
        r"liberat(?:e|ed|es|ing|ion)(?! (?:army|movement|front|board|organi[sz]ation|tigers|day|"
        r"committee|party|forces|council))|freed|de-?occupied|de-?occupation|reclaimed|"
        r"dr(?:ove|iven) (?:\w+ ){0,4}(?:out|from)|pushed (?:\w+ ){0,4}(?:out|back from)|"
        r"gain(?:ed|ing)? ground|(?:ground|territory) (?:was |were )?(?:regained|lost|gained)|"
        r"regained|recovered (?:the |control)",
    ),
    _cue(
        "territory_change",
        "withdrawal",
        3.5,
        r"withdr(?:ew|awn|awal|aw|aws|awing)|"
        # "a suburban retreat", "a holiday retreat": a place to rest, not a withdrawal
        r"(?<!suburban )(?<!country )(?<!holiday )(?<!weekend )(?<!mountain )(?<!seaside )"
        r"(?<!rural )(?<!spiritual )retreat(?:s|ed|ing)?|pull(?:ed|ing|s)? "
        r"(?:\w+ ){0,3}?(?:out|back)|pull-?out|abandon(?:ed|ing)|evacuated (?:its|their) (?:troops|forces)|"
        # "the units had moved to positions further west": a withdrawal told softly
        r"(?:moved|fell back|redeployed) (?:\w+ ){0,2}?to (?:new |more favou?rable |safer )?"
        r"positions? (?:further|farther) (?:west|east|north|south|back|inland)",
    ),
    _cue(
        "territory_change",
        "withdrawal",
        3.5,
        r"order(?:ed|s)? (?:\w+ ){0,4}?(?:to (?:leave|withdraw|pull out|retreat|abandon)|"
        r"(?:a |the |their |its )?(?:withdrawal|retreat|pull-?out))",
        modal_sensitive=False,
    ),
    _cue(
        "territory_change",
        "entry",
        3.0,
        r"entered|enter(?:ing|s)? the|moved into|rolled into|marched into|swept into|"
        r"raised (?:the|a|their) (?:\w+ )?flags?|hoisted (?:the|a|their) (?:\w+ )?flags?|"
        r"flags? (?:was |were |being |had been )?(?:raised|hoisted)|"
        r"(?:troops|soldiers|forces|units)(?![\w-])[^.;]{0,60}in the cent(?:re|er) of",
    ),
    _cue(
        "territory_change",
        "transfer",
        3.0,
        r"handed (?:over|back)|handover|transferred control|ceded|(?<!the )annexed|"
        r"annexation of",
    ),
    # -- civilians -----------------------------------------------------------------------
    _cue(
        "civilian_harm",
        "killing",
        3.0,
        r"executed|executions?|massacred?|massacres|mass graves?|(?:mass )?burial sites?|shot dead|gunned down|"
        r"summary killings?|killed (?:\w+ ){0,3}(?:civilians|villagers|residents|children|"
        r"worshippers|passengers|pensioners|women)|(?:civilians|villagers|residents|"
        r"children|worshippers|passengers|women) (?:were |had been )?(?:killed|wounded|"
        r"injured|dead|died)|civilian (?:casualties|deaths|toll)",
    ),
    _cue(
        "civilian_harm",
        "abduction",
        3.5,
        r"abduct(?:ed|ion|ions|s)?|kidnap(?:ped|ping|pings|s)?|hostages?|"
        r"(?:forcibly )?disappeared|enforced disappearances?|deport(?:ed|ation|ations)|"
        r"filtration camps?",
    ),
    _cue(
        "civilian_harm",
        "sexual_violence",
        4.0,
        r"rap(?:e|ed|es|ing)|sexual(?:ly)? (?:violence|assault(?:ed)?|abuse(?:d)?)|"
        r"molest(?:ed|ation)?",
    ),
    _cue(
        "civilian_harm",
        "ill_treatment",
        3.0,
        r"tortur(?:e|ed|ing)|beat(?:en)? up|lynched|"
        r"stabbed|beheaded|hacked to death",
    ),
    _cue(
        "civilian_harm",
        "casualties",
        1.25,
        r"killed|killing|kills|dead|deaths?|died|wounded|injur(?:ed|ies|ing)|casualties|"
        r"death toll|lives|bodies|victims",
    ),
    # -- people leaving ------------------------------------------------------------------
    _cue(
        "evacuation",
        "evacuation",
        3.0,
        r"evacuat(?:e|ed|es|ing|ion|ions)|evacuees|humanitarian corridors?",
    ),
    _cue(
        "evacuation",
        "displacement",
        2.5,
        r"fled|flee(?:ing|s)?|displaced|displacement|refugees|left their homes|exodus|"
        r"forced to leave",
    ),
    # -- infrastructure, damage, floods --------------------------------------------------
    _cue(
        "infrastructure",
        "energy",
        2.5,
        r"power outages?|blackouts?|without (?:power|electricity|heating|water)|"
        r"(?:power|electricity) (?:cuts?|was cut|supply was)|emergency shutdowns?",
    ),
    _cue(
        "infrastructure",
        "flood",
        3.0,
        r"flood(?:ed|ing|s|waters)?|inundated|under water|dam (?:burst|collapse|breach)|"
        r"(?:dam|reservoir) (?:was )?(?:breached|destroyed|blown up|collapsed)",
    ),
    _cue(
        "infrastructure",
        "accident",
        4.0,
        r"(?:plants?|tanks?|warehouses?|containers?|factor(?:y|ies)|pipelines?|cylinders?|"
        r"boilers?|depots?|mines?|refiner(?:y|ies)) (?:\w+ ){0,2}(?:exploded|caught fire|"
        r"collapsed|leaked)|(?:gas|chemical|toxic|oil|fuel|ammonia|chlorine) "
        r"(?:leaks?|leakage|spills?|hazard|contamination)|poison(?:ing|ed)|toxins?|"
        r"overturned|plunged|capsized|sank|ran aground|collided|collision|derailed|"
        r"(?:car|road|traffic|plane|air|train|bus|boat|ferry|helicopter) (?:crash|accident)e?s?",
        modal_sensitive=False,
    ),
    _cue(
        "infrastructure",
        "accident",
        3.0,
        r"(?:plane|train|helicopter|bus) crash(?:ed|es)?|crashed|derail(?:ed|ment)|"
        r"(?:chemical|oil|gas) (?:spill|leak)s?|spill(?:ed)?|leak(?:ed|s)?|"
        r"(?:factory|plant|warehouse|refinery|industrial) (?:fire|blaze|explosion)|"
        r"fire broke out|caught fire|gas explosion|tank exploded",
    ),
    _cue(
        "infrastructure",
        "damage",
        4.0,
        r"(?:bridges?|dams?|power (?:plants?|stations?|lines?)|substations?|pipelines?|"
        r"railway(?: station)?|rail (?:lines?|tracks?)|depots?|refiner(?:y|ies)|plants?|"
        r"factor(?:y|ies)|warehouses?|airports?|ports?|terminals?|tunnels?|grid)"
        r"(?:,[^,;]{0,80},)? (?:was|were|has been|have been|had been) (?:\w+ly )?"
        r"(?:destroyed|damaged|blown up|knocked out|brought down|disabled|breached|"
        r"put out of action|cut)",
    ),
    _cue(
        "infrastructure",
        "damage",
        1.5,
        r"destroy(?:ed|ing|s)?|damag(?:e|ed|es|ing)|brought down|collaps(?:e|ed|es|ing)|"
        r"blew (?:\w+ ){0,2}?up|blown up|gave way|ablaze|burn(?:ed|ing|t)|fires?|blaze|wrecked|razed|"
        r"knocked out",
    ),
    # -- explosions and remote violence (ACLED's bucket; ours is "other") ----------------
    _cue(
        "other", "explosion", 2.0, r"explosions?|blasts?|explod(?:ed|es|ing)|detonat(?:ed|ion|ions)"
    ),
    _cue(
        "other",
        "remote_explosive",
        3.5,
        r"(?:improvised )?explosive devices?|ieds?|roadside bombs?|car bombs?|"
        r"improvised (?:bombs?|explosives?)|(?:ground|land|roadside|naval|sea) ?mines?|"
        r"anti-(?:tank|personnel) mines?|(?:hit|stepped on|struck) a mine|"
        r"booby[- ]trap(?:ped|s)?|bomb (?:blast|explosion|attack)s?|(?:a|the) bomb|"
        r"bomb (?:exploded|went off)|motorcycle bomb|sticky bomb",
    ),
    _cue(
        "other",
        "suicide_bomb",
        4.5,
        r"suicide (?:bomb(?:er|ers|ing|ings)?|attack(?:er|ers|s)?|vests?|car)|"
        r"blew (?:himself|herself|themselves) up",
    ),
    _cue("other", "grenade", 4.0, r"grenades?|rocket-propelled grenades?|rpgs?"),
    _cue(
        "other",
        "chemical_weapon",
        5.5,
        r"(?:shells?|mortars?|rounds|projectiles?|rockets?|bombs?|attacks?|munitions?)"
        r"(?![\w-])[^.;]{0,40}(?:poison\w*|toxic|chlorine|chemical) gas(?:es)?|"
        r"(?:poison\w*|toxic|chlorine) gas(?:es)? (?:attacks?|shells?|projectiles?|bombs?)|"
        r"(?:suspected|alleged) chemical attacks?",
    ),
    _cue(
        "other",
        "chemical_weapon",
        5.0,
        r"chemical (?:weapons?|attacks?|agents?|munitions?)|chlorine (?:bombs?|attacks?|"
        r"gas attacks?)|sarin|(?:sulfur |sulphur )?mustard(?: gas)?|nerve (?:agents?|gas)|"
        r"gas attacks?|poison gas (?:attacks?|bombs?)",
    ),
    # -- not on the battlefield: "other" -------------------------------------------------
    _cue(
        "other",
        "protest",
        3.75,
        r"protests?|protesters|protestors|protested|protesting|demonstrat(?:ion|ions|ors|"
        r"ed|ing)|rall(?:y|ies|ied)|sit-ins?|(?:general|hunger|labou?r|national|"
        r"nationwide) strikes?|went on strike|striking workers|riot(?:s|ers|ed|ing)?|"
        r"tear ?gas|water cannons?|rubber bullets|dispersed|marchers",
        modal_sensitive=False,
    ),
    _cue(
        "other",
        "arrest",
        3.0,
        r"arrest(?:ed|s|ing)?|detain(?:ed|s|ing)?|detention|custody|apprehend(?:ed)?|"
        r"charged with|sentenced|convicted|jailed|imprisoned|raided (?:the )?(?:home|house|"
        r"office)s?",
        modal_sensitive=False,
    ),
    _cue(
        "other",
        "crime",
        3.0,
        r"robbery|robbed|robbers|smuggl\w+|traffick\w+|drugs?|narcotics|cartels?|gangs?|"
        r"mafia|extortion|looting|looted|loot|vandali[sz](?:ed|m)|arson|torched|"
        r"set (?:on )?fire to|criminals?|mob|mobs|vigilantes?",
        modal_sensitive=False,
    ),
    _cue(
        "other",
        "seizure",
        4.0,
        r"(?:weapons|arms|ammunition|firearms|pistols|rifles|guns|bullets|rounds|cartridges|"
        r"explosives|magazines|revolvers|drugs|narcotics|cash|currency|contraband)"
        r"(?![\w-])[^.;]{0,80}(?<![\w-])(?:seized|captured|confiscated|recovered|found)",
        modal_sensitive=False,
    ),
    _cue(
        "other",
        "seizure",
        3.5,
        r"(?:seiz|confiscat|recover|found|discover|uncover)\w* (?:\w+ ){0,4}(?:weapons|arms|"
        r"ammunition|explosives|guns|rifles|caches?)|arms caches?|weapons caches?|defused|"
        r"bomb disposal|disarmed|intercepted (?:\w+ ){0,2}(?:packages?|shipments?|parcels?)|"
        r"suspicious (?:packages?|devices?)",
        modal_sensitive=False,
    ),
    _cue(
        "other",
        "base_established",
        3.5,
        r"(?:set up|established|establish|setting up|built|opened) (?:\w+ ){0,3}"
        r"(?:bases?|headquarters|observation posts?|outposts?|military posts?|"
        r"points?|checkpoints?)",
        modal_sensitive=False,
    ),
    _cue(
        "other",
        "group_activity",
        2.0,
        r"defect(?:ed|ion|ions|ors)|deploy(?:ed|ment|s)|reinforcements|formed|recruit(?:ed|s|"
        r"ment)|merged|disband(?:ed)?|mobili[sz](?:ed|ation)",
        modal_sensitive=False,
    ),
    _cue(
        "other",
        "natural_disaster",
        4.0,
        r"earthquakes?|quakes?|hurricanes?|cyclones?|typhoons?|tornado(?:es)?|landslides?|"
        r"mudslides?|wildfires?|bushfires?|forest fires?|droughts?|heavy rains?|"
        r"torrential|monsoon|storms?|tsunamis?|volcan\w+|avalanches?|heatwaves?|"
        r"covid(?:-19)?|coronavirus|pandemic|epidemic|outbreaks?|infections?|infected|"
        r"cholera|ebola|tremors?|magnitude|rainfall",
        modal_sensitive=False,
    ),
    # -- statements, diplomacy, agreements -----------------------------------------------
    _cue(
        "statement",
        "diplomacy",
        2.5,
        r"talks|negotiat\w+|summits?|met with|meeting with|visit(?:ed|s|ing)?|"
        r"diplomat(?:s|ic)?|ambassadors?|embass(?:y|ies)|foreign ministers?|sanctions|"
        r"condemn(?:ed|s|ing)?|urged|urging|called (?:on|for)|appeal(?:ed)? (?:to|for)|"
        r"warned|accus(?:ed|es|ing)|blam(?:ed|es|ing)|denied|expelled|expulsion|"
        r"recogni[sz](?:ed|es)|press conference|told reporters|in a statement|"
        r"addressing|speech|pledg(?:ed|es)|promised|vowed|aid package|"
        r"military aid|weapons deliveries|envoys?|un security council|resolution",
        modal_sensitive=False,
    ),
    _cue(
        "statement",
        "visit",
        4.0,
        r"(?:inspectors?|mission|delegation|monitors|observers|team)(?![\w-])[^.;]{0,80}?"
        r"(?<![\w-])(?:reached|arrived|visited|toured)",
        modal_sensitive=False,
    ),
    _cue(
        "statement",
        "agreement",
        3.0,
        r"agreements?|agreed|deals?|treaty|treaties|ceasefire|cease-fire|truce|accords?|"
        r"signed|memorandum|peace (?:plan|deal|process)|prisoner (?:swap|exchange)s?|"
        r"exchange (?:\w+ ){0,2}of prisoners|prisoners? of war (?:were )?(?:swapped|exchanged|"
        r"released)",
        modal_sensitive=False,
    ),
    _cue(
        "statement",
        "claim",
        5.0,
        r"claimed responsibility|claims? of responsibility|responsibility for|"
        r"blam(?:ed|es|ing) (?:\w+ ){0,3}for|attributed|takes? credit|took credit|"
        r"claimed (?:the )?(?:attack|killing|murder|bombing|assassination)s?|"
        r"(?:suspected|believed|thought) to be behind|were behind|was behind",
        modal_sensitive=False,
    ),
    _cue(
        "statement",
        "diplomacy",
        5.0,
        r"sanctions|expel(?:led|s|ling)? (?:\w+ ){0,3}diplomats|diplomats? (?:were |was )?"
        r"expelled|retaliatory (?:measures|steps)|diplomatic (?:relations|ties|row|protest)|"
        r"summoned (?:the|its) (?:\w+ )?(?:ambassador|envoy|charg\w+)",
        modal_sensitive=False,
    ),
)


# Verbs of attack: a weapon plus one of these is a strike.
_ATTACK_VERB = re.compile(
    r"(?<![\w-])(?:hit|hits|struck|strikes?|pound(?:ed|ing)|target(?:ed|ing)|fired|launch(?:ed|"
    r"es|ing)|landed|slammed|rained|exploded|destroy(?:ed|ing)|damag(?:ed|ing)|killed|"
    r"killing|wounded|injured|attack(?:ed|ing|s)?|shot down|downed|intercepted|bombed|"
    r"barrage|wave of)(?![\w-])",
    re.IGNORECASE,
)
# The dead of an earlier attack recovered from what it left: no new act of violence. (A
# grave or bodies found elsewhere are: ACLED codes the killing when it is discovered.)
_AFTERMATH = re.compile(
    r"\b(?:pull(?:ed|ing|s)?|recover(?:ed|ing|s)?|retriev(?:ed|ing|es)|dug|digging|found|"
    r"remov(?:ed|ing))\s+(?:\w+\s+){0,4}?(?:bod(?:y|ies)|remains|dead)\s+"
    r"(?:\w+\s+){0,3}?(?:from|out\s+of|under|in)\s+(?:the\s+)?(?:\w+\s+){0,2}?"
    r"(?:ruins|rubble|debris|wreckage)\b",
    re.IGNORECASE,
)
# Deaths and patients of a disease, not of the war.
_DISEASE = re.compile(
    r"\b(?:covid\w*|coronavirus|pandemic|epidemic|vaccin\w*|patients|infect\w*|flu|"
    r"disease|illness)\b",
    re.IGNORECASE,
)
# Someone came to see a place: a flag raised then is a ceremony, not a capture.
_VISITED = re.compile(
    r"(?<![\w-])(?:visited|visiting|toured|(?:a|his|her|their) visit to|"
    r"(?:a|his|her|their) trip to)(?![\w-])",
    re.IGNORECASE,
)
# Fire aimed at people: "fired at evacuation buses", "shelled a convoy".
_FIRED_ON = re.compile(
    r"(?<![\w-])(?:fired\s+(?:at|on|upon)|shelled|struck|attacked|"
    r"targeted|bombed)(?![\w-])",
    re.IGNORECASE,
)
# Targets that make harm "civilian harm" when no weapon is named.
_CIVILIAN = re.compile(
    r"(?<![\w-])(?:civilians?|villagers|residents|children|women|worshippers|passengers|"
    r"(?:one|a|an|\d+)\s+(?:[\w-]+\s+)?(?:person|resident|man|woman|girl|boy|child|"
    r"pensioner)(?:\s+[\w-]+){0,5}?\s+(?:was|had\s+been|"
    r"has\s+been)\s+(?:killed|injured|wounded)|(?:injured|wounded|killed)\s+(?:person|resident)|"
    r"pensioners|families|students|journalists|aid workers|medics|patients|farmers|"
    r"people|inhabitants|tourists|shoppers|homes?|houses?|apartment|residential|"
    r"hospitals?|schools?|markets?|churches|mosques?|communit(?:y|ies)|population|"
    r"universit(?:y|ies)|hotels?|cafes?|restaurants?|teahouses?|shops?|buses|"
    r"worshipers|congregation|wedding|funeral)(?![\w-])",
    re.IGNORECASE,
)
_IRREGULAR = re.compile(
    r"(?<![\w-])(?:gunmen|armed men|terrorists?|assailants|attackers|bandits|"
    r"(?:unidentified|unknown|masked) (?:men|attackers|assailants))(?![\w-])",
    re.IGNORECASE,
)
_MILITARY = re.compile(
    r"(?<![\w-])(?:troops|soldiers|servicem[ae]n|fighters|militants|rebels|insurgents|"
    r"forces|army|marines|paratroopers|militia(?:s|men)?|mercenar(?:y|ies)|"
    r"(?:the )?enemy|battalions?|brigades?|units?|positions?)(?![\w-])",
    re.IGNORECASE,
)
_INFRA_TARGET = re.compile(
    r"(?<![\w-])(?:power (?:plants?|stations?|lines?|grid|supply)|electricity|substations?|"
    r"energy (?:infrastructure|facilities|system)|(?:thermal|hydroelectric|nuclear) "
    r"(?:power )?(?:plants?|stations?)|heating|water (?:supply|system|mains)|pipelines?|"
    r"dams?|bridges?|railway|rail (?:lines?|tracks?|station)|railroad|airports?|ports?|"
    r"oil (?:depots?|terminals?)|fuel (?:depots?|tanks?)|refiner(?:y|ies)|"
    r"infrastructure|plants?|factor(?:y|ies)|warehouses?|grain (?:silos?|terminals?)|"
    r"roads?|highways?|tunnels?)(?![\w-])",
    re.IGNORECASE,
)
# Structures a blast damages: then the blast is an infrastructure event.
_BLAST_TARGET = re.compile(
    r"(?<![\w-])(?:bridges?|dams?|pipelines?|depots?|refiner(?:y|ies)|(?:power |chemical |"
    r"industrial )?plants?|factor(?:y|ies)|warehouses?|substations?|power (?:lines?|stations?)|"
    r"rail(?:way)? (?:lines?|bridges?|tracks?))(?![\w-])",
    re.IGNORECASE,
)
# "other" sub-types that name the weapon of a blast: the blast stays theirs.
_WEAPON_OTHER = frozenset(
    {"grenade", "remote_explosive", "suicide_bomb", "chemical_weapon", "protest"}
)
# Words that turn what follows into a possibility, not a report.
_MODAL = re.compile(
    r"(?<![\w-])(?:could|might|(?-i:may)|would|will|shall|plans? to|planning to|threat\w* to|"
    r"prepar\w* (?:to|for)|anticipat\w*(?: of)?|refus\w*|refrain\w*|propos\w*|expected|expect(?:s|ing)? (?:a|an|the)?|possible|potential|"
    r"fears? (?:of|that|an?)|fear(?:ed|ing)|warn\w* (?:of|that|against)|risk of|if|unless|"
    r"threat of|ready to|intend\w* to|aim\w* to|seek\w* to|want\w* to|vow\w* to|"
    r"can|cannot|avoid|prevent)"
    r"(?![\w-])[^.;:]{0,30}$|(?<![\w-])(?:attempt\w*|tr(?:y|ies|ied|ying)|bid|efforts?|"
    r"order(?:s|ed)?|plan(?:s|ned)?|want(?:s|ed)?|need(?:s|ed)?|hop(?:e|es|ed|ing)|fail(?:s|ed)?|"
    r"attacks?|offensive|push|operation|in order|so as|sought|seeking)\s+to\s+"
    r"(?:(?:carry\s+out|conduct|launch|stage|organi[sz]e|continue)\s+)?$",
    re.IGNORECASE,
)
# A cue that names a time or a span, not an event: "before the fighting",
# "after four months of shelling and air strikes".
_NOT_AN_OCCURRENCE_WORDS = re.compile(
    r"(?<![\w-])(?:before|prior to)\s+the\s+(?:[\w-]+\s+)?$|"
    # "informed him about the situation in the combat zones": a briefing, not a report
    r"(?<![\w-])(?:situation|developments)\s+(?:in|on|at|near)\s+(?:the\s+)?$|"
    r"(?<![\w-])(?:fleeing|fled|flee|escaping|escaped)\s+(?:from\s+)?the\s+$|"
    # history recalled: "they remember how Coventry was bombed", "the anniversary of the
    # liberation of the city from the Nazi invaders", "an award for courage in battles"
    r"(?<![\w-])(?:remember\w*|recall\w*)\s+(?:how|when|the\s+days?\s+when)\s+"
    r"[^.;:,]{0,40}$|"
    r"(?<![\w-])(?:anniversary|memory|commemoration)\s+of\s+(?:(?:the|its|their|our)\s+)?$|"
    r"(?<![\w-])for\s+(?:\w+\s+){0,2}?(?:courage|bravery|heroism|valou?r)"
    r"(?:\s+and\s+[\w-]+)?\s+(?:in|during|shown\s+in)\s+(?:the\s+)?$|"
    # a wish, not a deed: "the ambition of the aggressor to capture Ukraine"
    r"(?<![\w-])(?:ambitions?|intentions?|goals?|desires?|dreams?)\s+"
    r"(?:of\s+[\w'’ -]{0,40}?\s+)?to\s+$|"
    r"(?<![\w-])(?:accus\w*|blam\w*)\s+(?:[\w'’-]+\s+){0,3}?(?:of\s+)?(?:[\w'’-]+\s+)?$|"
    r"(?<![\w-])(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|many|"
    r"few|weeks|months|years|days)\s+(?:\w+\s+)?(?:days?|weeks?|months?|years?|nights?)\s+"
    r"of\s+(?:(?:constant|heavy|fierce|intense|daily|near-constant)\s+)?"
    r"(?:[\w-]+\s+(?:and|or)\s+)?$",
    re.IGNORECASE,
)
# an aim, not a deed: "To liberate all our cities" (all the text before the cue; apart
# from the branches above, which a gate finds by their words, as this one has none)
_AIM_ALONE = re.compile(r"^\s*to\s+$", re.IGNORECASE)
_NOT_AN_OCCURRENCE = re.compile(
    f"{_NOT_AN_OCCURRENCE_WORDS.pattern}|{_AIM_ALONE.pattern}", re.IGNORECASE
)
_NEGATED = re.compile(
    r"(?<![\w-])(?:no|not|never|without|denied|deny|denies)(?![\w-])"
    r"\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
# Tried only where their words are (see Gated).
_MODAL_GATED = Gated(_MODAL)
_NOT_AN_OCCURRENCE_GATED = Gated(_NOT_AN_OCCURRENCE_WORDS)


# "We have been fighting for 11 days", "you are fighting for us": a speaker's own or
# addressee's struggle is rhetoric, not a clash at a place.
_RHETORIC_BEFORE = re.compile(
    r"(?<![\w-])(?:we|you|they|who|i)(?:['’]re|['’]ve\s+been|\s+(?:are|were|have\s+been|"
    r"had\s+been|will\s+be|keep|continue\s+(?:to\s+)?|must|will|still\s+are|are\s+still))"
    r"\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)


def _unreported(before: str) -> bool:
    """Whether the text before a cue makes it no report: a possibility ("could"), a
    negation ("no") or a time ("before the"): :data:`_MODAL`, :data:`_NEGATED` or
    :data:`_NOT_AN_OCCURRENCE` matches it.

    Examples
    --------
    >>> _unreported("Officials fear Russia could launch a "), _unreported("Russian ")
    (True, False)
    """
    low = before.lower()
    return (
        _MODAL_GATED.search(before, low) is not None
        # a match spans at most three words ("not been fully "): no more is searched
        or _NEGATED.search(last_words(before, 3)) is not None
        or _NOT_AN_OCCURRENCE_GATED.search(before, low) is not None
        or _AIM_ALONE.match(before) is not None
    )


_WHITESPACE = re.compile(r"\s")
# Whitespace other than the plain space: most sentences hold none, and searching for it
# is several times cheaper than substituting it.
_OTHER_WHITESPACE = re.compile(r"[^\S ]")


class Verdict(NamedTuple):
    """What :func:`analyse` says of a sentence (a tuple: made twice as fast as a frozen
    dataclass, and one is made for every sentence typed)."""

    event_type: str
    sub_event_type: str
    confidence: float
    is_event: bool


# The verdict on a sentence that holds no cue, or whose cues score nothing.
_NO_EVENT = Verdict("other", "", 0.3, False)


def _literal_starts(pattern: re.Pattern[str]) -> frozenset[str] | None:
    r"""Lower-case ASCII texts one of which starts every match of *pattern* (literal
    spaces included, ``\d`` not spelled), or None when a match may start with anything
    (the cue must then be run on every sentence). See :func:`frontline.patterns.leads`.

    Examples
    --------
    >>> sorted(_literal_starts(re.compile(r"(?<![\w-])(?:air ?raids?|jets?)", re.I)))
    ['air raid', 'airraid', 'jet']
    >>> _literal_starts(re.compile(r"\d+ killed")) is None
    True
    """
    starts = leads(pattern, spaces=True, digits=False)
    return None if "" in starts else starts


@functools.cache
def _cue_index() -> tuple[Any, int]:
    """An Aho–Corasick automaton of the cues' literal starts, and the cues without any.

    Values are ``(mask, length)``: a bit mask over :data:`_CUES` of the cues a text
    starts, and its length; the second item has a bit for every cue that must always
    be run.
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
        automaton.add_word(text, (mask, len(text)))
    automaton.make_automaton()
    return automaton, always


# Bits of the cues that can make a sentence an event (see ``is_event`` in analyse):
# a type on the ground, or an "other" sub-type that is violent.
_EVENT_CUE_MASK = sum(
    1 << i
    for i, cue in enumerate(_CUES)
    if cue.event_type in _WAR_TYPES or cue.sub_event_type in _VIOLENT_OTHER
)
# Bits of the cues that can make a sentence a visit (a statement made where it is).
_VISIT_CUE_MASK = sum(1 << i for i, cue in enumerate(_CUES) if cue.sub_event_type == "visit")


def _candidate_mask(sentence: str) -> int:
    """Bits over :data:`_CUES` of the cues that can match *sentence* (a superset)."""
    # isascii() is O(1) and true of most sentences, which then hold no folding character.
    if not sentence.isascii() and FOLDS_TO_ASCII.intersection(sentence):
        return (1 << len(_CUES)) - 1
    return _cue_hits(sentence)[0]


def _cue_hits(text: str) -> tuple[int, list[tuple[int, tuple[int, int]]]]:
    r"""The automaton's hits ``(last offset, (bits, length))`` that begin a word of
    *text* (one without characters that fold to ASCII), and the bits of the cues they
    start together with those of the cues that must always be run.

    Every cue's match begins a word (its pattern opens with ``(?<![\w-])``): "port" in
    "support" or "fire" in "ceasefire" can start none. Dropping such hits, a third of
    the sentences of press releases that seemed to hold an event's cue hold none.

    Examples
    --------
    >>> text = "The Sport was popular; the port was damaged."
    >>> [text[last - length + 1:last + 1] for last, (_, length) in _cue_hits(text)[1]]
    ['port was', 'damage']
    """
    automaton, mask = _cue_index()
    hits = []
    for hit in automaton.iter(text.lower()):
        last, (bits, length) = hit
        first = last - length + 1
        if first and (text[first - 1].isalnum() or text[first - 1] in "_-"):
            continue  # inside a word
        hits.append(hit)
        mask |= bits
    return mask, hits


class Scan(NamedTuple):
    """The prefilter's pass over a sentence, kept for the questions asked of it in turn
    (may it report an event? of what type?) so that the sentence is scanned once.

    ``text`` is the sentence as the cues see it (:func:`_spaced`), ``mask`` the bits
    over :data:`_CUES` of the cues that can match it (a superset of those that do),
    ``hits`` the automaton's ``(last offset, (bits, length))`` that begin a word (see
    :func:`_cue_hits`), or None when every cue is tried everywhere (the sentence holds
    a character that folds to ASCII).
    """

    text: str
    mask: int
    hits: list[tuple[int, tuple[int, int]]] | None

    def may_report_event(self) -> bool:
        """See :func:`_may_report_event`."""
        return bool(self.mask & _EVENT_CUE_MASK)

    def may_report_event_or_visit(self) -> bool:
        """See :func:`_may_report_event_or_visit`."""
        return bool(self.mask & (_EVENT_CUE_MASK | _VISIT_CUE_MASK))


def scan_sentence(sentence: str) -> Scan:
    """The prefilter's pass over *sentence*; pass it to :func:`analyse` with the
    sentence to spare a second pass.

    Examples
    --------
    >>> scan = scan_sentence("Kyiv was\\nshelled.")
    >>> scan.text, scan.may_report_event(), analyse("Kyiv was\\nshelled.", scan=scan).event_type
    ('Kyiv was shelled.', True, 'shelling')
    """
    text = _spaced(sentence)
    # isascii() is O(1) and true of most sentences, which then hold no folding character.
    if not text.isascii() and FOLDS_TO_ASCII.intersection(text):
        return Scan(text, (1 << len(_CUES)) - 1, None)
    mask, hits = _cue_hits(text)
    return Scan(text, mask, hits)


def _spaced(sentence: str) -> str:
    """*sentence*, cut to :data:`MAX_SENTENCE`, with every whitespace a plain space."""
    sentence = sentence[:MAX_SENTENCE]
    # Every whitespace but the space is unprintable (checked over every code point in
    # tests/test_event_types.py), and isprintable() is much cheaper than a search.
    if sentence.isprintable() or _OTHER_WHITESPACE.search(sentence) is None:
        return sentence
    return _WHITESPACE.sub(" ", sentence)


def _may_report_event(sentence: str) -> bool:
    """False only if ``analyse(sentence).is_event`` is False: no cue that can make an
    event can match. Much cheaper than :func:`analyse`.

    Without a war-type cue or a violent "other" cue, only ``statement`` and non-violent
    ``other`` cues score, and no rule of :func:`analyse` turns those into an event.

    Examples
    --------
    >>> _may_report_event("The president met the ministers.")
    False
    >>> _may_report_event("The town was shelled again.")
    True
    """
    return bool(_candidate_mask(_spaced(sentence)) & _EVENT_CUE_MASK)


def _candidates(sentence: str, scan: Scan | None = None) -> list[tuple[_Cue, list[int] | None]]:
    """The cues that can match *sentence*, in lexicon order (a superset of those that
    do), each with the offsets where one of its literal starts is (every match starts
    at one of them), or None when a match may start anywhere. *scan* is
    ``scan_sentence(sentence)`` when the caller has it.

    Examples
    --------
    >>> [(c.sub_event_type, at) for c, at in _candidates("Shells hit Kyiv. It was shelled.")]
    [('artillery', [0, 24]), ('chemical_weapon', [0, 24])]
    """
    _, mask, hits = scan or scan_sentence(sentence)
    if hits is None:
        return [(cue, None) for cue in _CUES]
    starts: dict[int, list[int]] = {}
    for last, (bits, length) in hits:
        while bits:  # the cues this text starts (usually one)
            low = bits & -bits
            starts.setdefault(low.bit_length() - 1, []).append(last - length + 1)
            bits ^= low
    out: list[tuple[_Cue, list[int] | None]] = []
    while mask:  # lowest bit first: lexicon order
        low = mask & -mask
        i = low.bit_length() - 1
        at = starts.get(i)
        out.append((_CUES[i], sorted(at) if at is not None else None))
        mask ^= low
    return out


def _may_report_event_or_visit(sentence: str) -> bool:
    """False only if ``analyse(sentence)`` is neither an event nor a visit: a visit is
    typed by its own cue, an event by the cues of :func:`_may_report_event`.

    Examples
    --------
    >>> _may_report_event_or_visit("IAEA inspectors arrived at the plant.")
    True
    >>> _may_report_event_or_visit("The ministers signed an agreement.")
    False
    """
    return bool(_candidate_mask(_spaced(sentence)) & (_EVENT_CUE_MASK | _VISIT_CUE_MASK))


def _candidate_cues(sentence: str) -> Iterable[_Cue]:
    """The cues that can match *sentence*, in lexicon order (a superset of those that do).

    Examples
    --------
    "shell" may start a chemical attack ("shells filled with chlorine gas"), so that cue
    is run too, and finds nothing:

    >>> [c.sub_event_type for c in _candidate_cues("Kyiv was shelled.")]
    ['artillery', 'chemical_weapon']
    """
    return [cue for cue, _ in _candidates(sentence)]


def _matches(
    pattern: re.Pattern[str], sentence: str, starts: list[int] | None
) -> Iterable[re.Match[str]]:
    """``pattern.finditer(sentence)``, trying only at *starts* (sorted; None: anywhere).

    A failing search of a long alternation tries it at every offset of the sentence;
    matching at the few offsets where a literal start of the cue is costs far less.

    Examples
    --------
    >>> [m.group() for m in _matches(re.compile(r"ab|b"), "ab b", [0, 1, 3])]
    ['ab', 'b']
    """
    if starts is None:
        yield from pattern.finditer(sentence)
        return
    resume = 0  # as finditer: the next match starts where the last one ended
    for pos in starts:
        if pos < resume:
            continue
        m = pattern.match(sentence, pos)
        if m is not None:
            yield m
            resume = max(m.end(), pos + 1)


def analyse(sentence: str, *, scan: Scan | None = None) -> Verdict:
    """Score every type by the cues a sentence holds, and pick the best; *scan* is
    ``scan_sentence(sentence)`` when the caller has it."""
    scan = scan or scan_sentence(sentence)
    # Line breaks inside a sentence are spaces to the cues ("Strikes were\nalso").
    sentence = scan.text
    cues = _candidates(sentence, scan)  # the others cannot match
    if not cues:
        return _NO_EVENT  # most sentences: nothing below can score without a cue
    scores: dict[str, float] = {}
    subs: dict[str, tuple[float, str]] = {}
    counts: dict[str, int] = {}
    matched: set[str] = set()
    unreported: list[tuple[int, int]] = []  # cues that name no occurrence
    generic_seen: set[tuple[str, str]] = set()
    for cue, starts in cues:
        for m in _matches(cue.pattern, sentence, starts):
            before = sentence[max(0, m.start() - 60) : m.start()]
            if cue.modal_sensitive and (
                _unreported(before)
                or (cue.sub_event_type == "fighting" and _RHETORIC_BEFORE.search(before[-30:]))
            ):
                unreported.append(m.span())
                continue
            matched.add(cue.sub_event_type)
            weight = cue.weight
            if (
                cue.sub_event_type not in _GENERIC_SUBS
                or (cue.event_type, cue.sub_event_type) not in generic_seen
            ):
                # two generic cues of one kind ("attacked near", "attacks") are one cue
                counts[cue.event_type] = counts.get(cue.event_type, 0) + 1
                generic_seen.add((cue.event_type, cue.sub_event_type))
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
        if (
            "missile_strike" in weapons
            and len(weapons) > 1
            and subs["missile_strike"][1] == "strike"
        ):
            del scores["missile_strike"]  # "drones struck": a verb alone names no missile
    harm = scores.get("civilian_harm", 0.0)
    if 0 < harm < 2.0:  # casualties alone: whose?
        if _CIVILIAN.search(sentence):
            scores["civilian_harm"] = 2.5
        elif _MILITARY.search(sentence):
            scores["armed_clash"] = max(scores.get("armed_clash", 0.0), 2.5)
            subs.setdefault("armed_clash", (2.5, "fighting"))
            del scores["civilian_harm"]
    if (
        "armed_clash" in scores
        and subs["armed_clash"][1] in ("attack", "assault")
        and _CIVILIAN.search(sentence)
        and (not _MILITARY.search(sentence) or _IRREGULAR.search(sentence))
    ):
        # An armed attack on people or places that are not fighting: harm to civilians.
        scores["civilian_harm"] = max(scores.get("civilian_harm", 0.0), scores["armed_clash"] + 0.1)
        subs.setdefault("civilian_harm", (2.5, "attack"))
    if (
        scores.get("evacuation", 0.0) > 0
        and scores.get("civilian_harm", 0.0) >= 2.0
        and _FIRED_ON.search(sentence)
    ):
        # "fired at evacuation buses, killing 7": an attack on people leaving is harm.
        scores["civilian_harm"] = max(scores["civilian_harm"], scores["evacuation"] + 0.1)
    if (
        "explosion" in matched and not matched & _WEAPON_OTHER and _BLAST_TARGET.search(sentence)
    ):  # a blast on a bridge, a depot, a plant
        scores["infrastructure"] = max(scores.get("infrastructure", 0.0), scores["other"] + 1.25)
        subs["infrastructure"] = (3.0, _infrastructure_kind(sentence))
    if (
        scores.get("infrastructure", 0.0) < 2.0
        and ("infrastructure" in scores or "other" in scores and subs["other"][1] == "explosion")
        and _INFRA_TARGET.search(sentence)
    ):
        scores["infrastructure"] = 2.5
        subs["infrastructure"] = (2.5, _infrastructure_kind(sentence))
    elif scores.get("infrastructure", 0.0) < 2.0:
        scores.pop("infrastructure", None)  # damage alone, to nothing named
    for event_type, n in counts.items():  # corroborating cues add a little
        if event_type in scores and n > 1:
            scores[event_type] += min(0.5, 0.25 * (n - 1))
    if not scores:
        return _NO_EVENT
    # The best type (highest score, then the most specific) and the runner-up's score.
    best = min(scores, key=lambda t: (-scores[t], _PRIORITY_RANK[t]))
    top = scores[best]
    runner = max((v for t, v in scores.items() if t != best), default=0.0)
    confidence = min(0.97, 0.3 + 0.1 * top + 0.15 * min(top - runner, 2.0))
    sub = subs.get(best, (0.0, ""))[1]
    if (
        best == "territory_change"
        and sub == "entry"
        and ("visit" in matched or _VISITED.search(sentence))
    ):
        # "visited Izium and watched the flag being raised": a visit, not a capture
        best, sub, top = "statement", "visit", scores.get("statement", top)
    if best == "infrastructure" and sub == "damage":
        sub = _infrastructure_kind(sentence)
    is_event = top >= _EVENT_THRESHOLD and (best in _WAR_TYPES or sub in _VIOLENT_OTHER)
    if (
        best == "civilian_harm"
        and (_AFTERMATH.search(sentence) or _DISEASE.search(sentence))
        and not _ATTACK_VERB.search(sentence)
    ):
        # bodies recovered from a strike's ruins; deaths of an epidemic
        is_event = False
    return Verdict(best, sub, round(confidence, 3), is_event)


def _infrastructure_kind(sentence: str) -> str:
    low = sentence.lower()
    for word, kind in (
        ("dam", "dam"),
        ("bridge", "bridge"),
        ("power", "energy"),
        ("electric", "energy"),
        ("energy", "energy"),
        ("heating", "energy"),
        ("rail", "transport"),
        ("airport", "transport"),
        ("port", "transport"),
        ("road", "transport"),
        ("oil", "fuel"),
        ("fuel", "fuel"),
        ("refiner", "fuel"),
        ("water", "water"),
    ):
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
    verdict = analyse(sentence)
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
    return analyse(sentence).is_event


# A pattern, not an occurrence: a perfect tense ("has been shelled", "had carried") with
# a word of frequency or of a stretch of time ("almost every night", "repeatedly",
# "throughout the summer", "for weeks", "in recent weeks").
_PERFECT = re.compile(r"\b(?:has|have|had)\b|\w(?:'ve|’ve)\b", re.IGNORECASE)
# A perfect progressive ("have been advancing", "has been shelling") or a present
# "continue to" ("the invaders continue to destroy"): an ongoing trend.
_PERFECT_PROGRESSIVE = re.compile(
    r"\b(?:has|have|had)\s+been\s+(?:\w+ly\s+)?\w+ing\b|\w(?:'ve|’ve)\s+been\s+\w+ing\b|"
    r"\b(?:continue|continues|keep|keeps)\s+(?:to\s+\w+|\w+ing)\b",
    re.IGNORECASE,
)
_FREQUENCY = re.compile(
    r"\b(?:repeatedly|regularly|routinely|constantly|continually|nightly|daily"
    r"|(?:almost|nearly)\s+(?:every|each)\s+(?:day|night|week)"
    r"|(?:night|day)\s+after\s+(?:night|day)"
    r"|throughout\s+the\s+(?:summer|spring|autumn|fall|winter|year|war|month|week)"
    r"|for\s+(?:(?:several|many|\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve)\s+)?(?:days|weeks|months|years)"
    r"|(?:in|over)\s+(?:the\s+)?(?:recent|past|last)\s+(?:few\s+)?(?:days|weeks|months))\b",
    re.IGNORECASE,
)
_FREQUENCY_GATED = Gated(_FREQUENCY)


def is_habitual(sentence: str) -> bool:
    """Whether a sentence tells of a pattern of events rather than one occurrence.

    A perfect tense with a word of frequency or of a stretch of time, or a perfect
    progressive: the shelling of a town "almost every night since July", forces that
    "have been advancing toward Pokrovsk", are the background of a report, not an event
    of its day (unless the sentence also names the day: the caller decides).

    Examples
    --------
    >>> is_habitual("The town has been shelled almost every night since July.")
    True
    >>> is_habitual("For weeks, trains had carried most of the evacuees.")
    True
    >>> is_habitual("We have been fighting for 11 days.")
    True
    >>> is_habitual("Russian forces shelled the town overnight.")
    False
    >>> is_habitual("Shelling has damaged the school.")
    False
    >>> is_habitual("Its forces have been advancing slowly toward Pokrovsk.")
    True
    """
    if _may_be_progressive(sentence) and _PERFECT_PROGRESSIVE.search(sentence):
        return True
    return _FREQUENCY_GATED.search(sentence) is not None and _PERFECT.search(sentence) is not None


def _may_be_progressive(sentence: str) -> bool:
    """False only if :data:`_PERFECT_PROGRESSIVE` cannot match: every match holds "been",
    "continue" or "keep", which most sentences lack (a sentence with a character that
    folds to a letter of theirs is searched as it is).

    Examples
    --------
    >>> _may_be_progressive("Forces have been advancing."), _may_be_progressive("A drone hit.")
    (True, False)
    """
    if not sentence.isascii() and FOLDS_TO_ASCII.intersection(sentence):
        return True
    low = sentence.lower()
    return "been" in low or "continue" in low or "keep" in low
