"""The words geoparsing reads: what they say about a capitalized word nearby.

Word lists only, no logic: function words, titles, demonyms, feature words ("region",
"River"), the verbs and nouns that make a place an actor ("Moscow said"), the cue words
of a country's public life. Recognition and resolution read them; a word is added here,
once, and both see it.
"""

from __future__ import annotations

import re

# ------------------------------------------------------------------------- words


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Lower-case words allowed inside a multi-word proper name ("Rostov-on-Don").
CONNECTORS = _words("of on upon the de del la le na nad pod am an der im au sur en y")

#: Between the items of a list of places ("A, B and C", "A; B or C").
LIST_GAP = re.compile(r"\s*(?:,|;|,?\s+and|,?\s+or)\s+", re.IGNORECASE)

#: Words after a name that say which kind of place it is.
KIND_AFTER = {
    "region": "region",
    "oblast": "region",
    "province": "region",
    "oblasts": "region",
    "governorate": "region",
    "state": "region",
    "krai": "region",
    "republic": "region",
    "district": "district",
    "raion": "district",
    "rayon": "district",
    "county": "district",
    "municipality": "district",
    "hromada": "district",
    "river": "river",
    "reservoir": "waterbody",
    "sea": "waterbody",
    "lake": "waterbody",
    "estuary": "waterbody",
    "bay": "waterbody",
    "strait": "waterbody",
    "gulf": "waterbody",
    "city": "city",
    "town": "city",
    "village": "city",
    "settlement": "city",
    "peninsula": "landform",
    "spit": "landform",
    "island": "landform",
    "bridge": "facility",
    "dam": "facility",
    "plant": "facility",
    "station": "facility",
    "airport": "facility",
    "port": "city",
    "delta": "river",
    "basin": "river",
    "floodplain": "river",
    "coast": "waterbody",
    "shore": "waterbody",
}
#: "the city of X", "the village of X"...
KIND_BEFORE = {
    "city": "city",
    "town": "city",
    "village": "city",
    "settlement": "city",
    "port": "city",
    "hamlet": "city",
    "region": "region",
    "province": "region",
    "oblast": "region",
    "district": "district",
    "river": "river",
    "state": "region",
    "county": "district",
    "island": "landform",
    "republic": "country",
    "country": "country",
    "capital": "city",
}

#: Capitalized single words that are places far more rarely than something else.
NOT_ALONE = _words("""
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

#: Common words that open sentences ("Of the wounded...", "Will they...", a caption's
#: "See more on...").
FUNCTION_WORDS = NOT_ALONE | _words("""
    about above across again against along although among another around because been
    being below between both can could did do does doing down each either else even ever
    every few had has have having here how into just least less like might must near
    neither never nor now off once only other otherwise out over own per perhaps rather
    same should since such than then there therefore though through thus too under unless
    until up upon us very via was were whether which whom whose why will would yet
    said says say according amid despite following including meanwhile nearly still
    here there earlier later ago again overall elsewhere eventually finally instead
    see look watch read note click
    """)

#: Capitalized words that are never a place by themselves (skipped while scanning).
NEVER_ALONE = frozenset(
    w.capitalize()
    for w in _words("""
    a an the this that these those it its he she we they i you his her our their my your
    in on at by for from with without to of and or but if as so not no yes all any some
    more most many much also however after before during while when where what who why how
    there here then than was were is are be been has have had will would could should can
    may might must do does did said says according despite meanwhile since until about
    january february march april june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    jan feb mar apr jun jul aug sep sept oct nov dec
    mr mrs ms dr president minister officials police""")
)

#: Words that introduce a person's name: what follows is not a place ("President Bush").
TITLES = _words("""
    mr mrs ms miss dr prof president presidents premier chancellor minister ministers
    secretary senator sen rep representative congressman congresswoman governor gov mayor
    general gen lt col colonel maj major capt captain sgt sergeant adm admiral commander
    cmdr pope cardinal bishop archbishop father rev reverend king queen prince princess
    duke duchess lord lady sir dame judge justice ambassador spokesman spokeswoman
    spokesperson chairman chairwoman coach officer detective inspector
    """)

#: Demonyms and adjectives of countries and continents (opt-in, for benchmarks).
DEMONYMS = {
    "afghan": "Afghanistan",
    "albanian": "Albania",
    "algerian": "Algeria",
    "american": "United States",
    "americans": "United States",
    "angolan": "Angola",
    "argentine": "Argentina",
    "argentinian": "Argentina",
    "armenian": "Armenia",
    "australian": "Australia",
    "australians": "Australia",
    "austrian": "Austria",
    "azerbaijani": "Azerbaijan",
    "bangladeshi": "Bangladesh",
    "belarusian": "Belarus",
    "belgian": "Belgium",
    "bolivian": "Bolivia",
    "bosnian": "Bosnia and Herzegovina",
    "brazilian": "Brazil",
    "british": "United Kingdom",
    "briton": "United Kingdom",
    "britons": "United Kingdom",
    "bulgarian": "Bulgaria",
    "burmese": "Myanmar",
    "cambodian": "Cambodia",
    "cameroonian": "Cameroon",
    "canadian": "Canada",
    "canadians": "Canada",
    "chilean": "Chile",
    "chinese": "China",
    "colombian": "Colombia",
    "congolese": "Democratic Republic of the Congo",
    "croatian": "Croatia",
    "cuban": "Cuba",
    "cypriot": "Cyprus",
    "czech": "Czechia",
    "danish": "Denmark",
    "dutch": "Netherlands",
    "ecuadorian": "Ecuador",
    "egyptian": "Egypt",
    "egyptians": "Egypt",
    "english": "United Kingdom",
    "eritrean": "Eritrea",
    "estonian": "Estonia",
    "ethiopian": "Ethiopia",
    "filipino": "Philippines",
    "finnish": "Finland",
    "french": "France",
    "georgian": "Georgia",
    "german": "Germany",
    "germans": "Germany",
    "ghanaian": "Ghana",
    "greek": "Greece",
    "guatemalan": "Guatemala",
    "haitian": "Haiti",
    "honduran": "Honduras",
    "hungarian": "Hungary",
    "icelandic": "Iceland",
    "indian": "India",
    "indians": "India",
    "indonesian": "Indonesia",
    "iranian": "Iran",
    "iranians": "Iran",
    "iraqi": "Iraq",
    "iraqis": "Iraq",
    "irish": "Ireland",
    "israeli": "Israel",
    "israelis": "Israel",
    "italian": "Italy",
    "ivorian": "Ivory Coast",
    "jamaican": "Jamaica",
    "japanese": "Japan",
    "jordanian": "Jordan",
    "kazakh": "Kazakhstan",
    "kenyan": "Kenya",
    "korean": "South Korea",
    "kosovar": "Kosovo",
    "kuwaiti": "Kuwait",
    "kyrgyz": "Kyrgyzstan",
    "latvian": "Latvia",
    "lebanese": "Lebanon",
    "liberian": "Liberia",
    "libyan": "Libya",
    "lithuanian": "Lithuania",
    "malaysian": "Malaysia",
    "malian": "Mali",
    "maltese": "Malta",
    "mexican": "Mexico",
    "mexicans": "Mexico",
    "moldovan": "Moldova",
    "mongolian": "Mongolia",
    "moroccan": "Morocco",
    "mozambican": "Mozambique",
    "nepalese": "Nepal",
    "nepali": "Nepal",
    "nicaraguan": "Nicaragua",
    "nigerian": "Nigeria",
    "nigerians": "Nigeria",
    "norwegian": "Norway",
    "pakistani": "Pakistan",
    "pakistanis": "Pakistan",
    "palestinian": "Palestine",
    "palestinians": "Palestine",
    "panamanian": "Panama",
    "paraguayan": "Paraguay",
    "peruvian": "Peru",
    "polish": "Poland",
    "portuguese": "Portugal",
    "qatari": "Qatar",
    "romanian": "Romania",
    "russian": "Russia",
    "russians": "Russia",
    "rwandan": "Rwanda",
    "saudi": "Saudi Arabia",
    "scottish": "United Kingdom",
    "senegalese": "Senegal",
    "serbian": "Serbia",
    "singaporean": "Singapore",
    "slovak": "Slovakia",
    "slovenian": "Slovenia",
    "somali": "Somalia",
    "spanish": "Spain",
    "sudanese": "Sudan",
    "swedish": "Sweden",
    "swiss": "Switzerland",
    "syrian": "Syria",
    "syrians": "Syria",
    "taiwanese": "Taiwan",
    "tajik": "Tajikistan",
    "tanzanian": "Tanzania",
    "thai": "Thailand",
    "tunisian": "Tunisia",
    "tunisians": "Tunisia",
    "turkish": "Turkey",
    "turkmen": "Turkmenistan",
    "ugandan": "Uganda",
    "ukrainian": "Ukraine",
    "ukrainians": "Ukraine",
    "uruguayan": "Uruguay",
    "uzbek": "Uzbekistan",
    "venezuelan": "Venezuela",
    "vietnamese": "Vietnam",
    "welsh": "United Kingdom",
    "yemeni": "Yemen",
    "zambian": "Zambia",
    "zimbabwean": "Zimbabwe",
    "european": "Europe",
    "europeans": "Europe",
    "african": "Africa",
    "africans": "Africa",
    "asian": "Asia",
    "asians": "Asia",
}

#: Capitalized words that may stand right before a place name ("In", "Central", "Greater").
PREFIXES = (
    (
        _words("""
    in at on near from to into across outside inside around toward towards via by of and or
    the a an southern northern eastern western central greater occupied liberated frontline
    front-line besieged embattled battered russian ukrainian northeastern northwestern
    southeastern southwestern downtown rural suburban metropolitan coastal annexed
    war-torn nearby neighbouring neighboring
    """)
        | FUNCTION_WORDS
    )
    - _words("""
    north south east west new old upper lower great little saint st san santa fort port
    mount lake cape bay el al la le los las de du van von bad nova novo novi nove staryi
    stara velyka mala""")
    - frozenset(DEMONYMS)
)  # see NAME_HEADS
# The first words begin longer names ("New Jersey", "West Virginia"); so do demonyms
# ("British Columbia", "Russian Federation").

#: First words of longer place names ("New Jersey", "Point Richmond", "Lake Placid").
NAME_HEADS = _words("""
    north south east west new old upper lower great little saint st san santa fort port
    mount lake cape bay el al la le los las de du van von bad nova novo novi nove staryi
    stara velyka mala point glen grand isle isla villa ciudad""")

#: Capitalized words that may follow a place name without making it part of another name.
FOLLOWERS = _words("""
    on in at and or but as after before while when where which who that said says is was
    the a an this these those it he she we they
    monday tuesday wednesday thursday friday saturday sunday i
    january february march april may june july august september october november december
    """)

#: Reporting and governing verbs that make a capital or country an actor, not a place.
ACTOR_VERBS = _words("""
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
    commented comments comment respond confirm deny claim warn reject refuse announce admit
    """)
#: Words that, right after "has/have/had/is/was", still make the subject an actor.
MODALS = _words("would will could should must might may can cannot shall")
PASSIVE = _words(
    "be been being hit shelled struck attacked bombed liberated captured "
    "retaken recaptured occupied surrounded encircled damaged destroyed "
    "under located situated home"
)
#: Nouns after a possessive that make the name an actor or an institution's owner.
ACTOR_NOUNS = _words("""
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

#: Abbreviations that name a first-level region (by its name's key): the Russian-installed
#: "republics" and their forces ("LPR forces took the northern part of Komyshuvakha": the
#: Luhansk Oblast one). An article that writes one names the region.
REGION_ABBREVIATIONS = {"lpr": "luhansk", "lnr": "luhansk", "dpr": "donetsk", "dnr": "donetsk"}

#: Cue words of a country's public life: they make that country's candidates likelier.
COUNTRY_CUES = {
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
CUE_WORDS: dict[str, str] = {w: cc for cc, ws in COUNTRY_CUES.items() for w in ws.split()}

FEATURE_WORDS = frozenset(KIND_AFTER) | frozenset(
    "nuclear power hydroelectric hydropower thermal steel works airport base strait delta "
    "coast shore canal".split()
)

#: Last words of names of organisations, outlets and events that a place name qualifies
#: ("Washington Post", "Texas Southern University", "Georgia Bureau of Investigation").
ORG_HEADS = _words("""
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
ORG_FIRSTS = _words("air bank star radio visit business building team club")

#: Compass words that pick out a part of a country or a state ("North Texas").
COMPASS = _words("north south east west northeast northwest southeast southwest")

#: Offices and institutions a place name may qualify ("Kherson Governor", "Pakistan Army"):
#: the place is named, as the seat of the institution, not as where something happened.
INSTITUTIONS = TITLES | _words("""
    police army navy ministry government council parliament military forces guard guards
    authorities administration officials prosecutor prosecutors court embassy consulate
    department fire security service services governor's mayor's""")

#: Last words of the titles of laws "of" a country ("the Criminal Code of Ukraine",
#: "the Constitution of Ukraine"): capitalized, the country is no place there.
DOCUMENTS = _words("code constitution law laws")

#: Last words of the proper names of bodies and documents "of" a country or region
#: ("the Armed Forces of Ukraine", "the Criminal Code of Ukraine", "Hero of Ukraine"):
#: capitalized, they make the place part of a name, not a scene.
NAMED_BODIES = INSTITUTIONS | _words("""
    code constitution law laws forces cabinet rada president presidents ombudsman
    commissioner bank office hero minister ministers general staff committee bureau
    agency republic assembly""")

#: Verbs of speech: a small place right before one is a person ("Barry said").
SPEECH = _words(
    "said says told tells added adds explained explains wrote writes tweeted "
    "asked asks replied replies recalled recalls noted notes recounted"
)
#: Words before a name that say it is a location ("in Noma", "near Jais").
LOCATIVE = _words(
    "in at near from to into outside inside around toward towards via across "
    "through of between within throughout off along past beyond"
)

#: Institutions a country's possessive may qualify ("Russia's Defense Ministry").
STATE_BODIES = _words("""ministry defence defense foreign interior army military navy air
    armed government parliament president prime deputy general security intelligence
    officials forces troops border emergencies emergency prosecutor national central""")


#: Words that may stand between an actor and its verb ("Moscow has long said").
AUXILIARIES = _words(
    "has have had did does do also then later again already still repeatedly "
    "reportedly previously officially long"
)

# ------------------------------------------------------------------- not places
#
# Names that stand for something else as often as for a place. Each list is read with
# the words around the name (see ``recognition._not_a_place``): a word of a list alone
# is no reason to drop a name.

#: Weapons, vehicles and their systems by the names reporters use ("Grad rockets",
#: "Leopard tanks", "a Bradley"): never a place unless written as one ("in Buk").
WEAPONS = _words("""
    abrams akatsiya archer atacms bastion bayraktar bohdana bradley buk caesar challenger
    excalibur gepard geran giatsint grad gvozdika himars hyacinth iskander javelin kalibr
    kinzhal krab krasnopol lancet leopard marder msta nasams neptun neptune oniks onyx orlan
    oreshnik osa pantsir patriot pion sarmat scalp shahed smerch solntsepyok stinger strela
    stryker stugna switchblade tochka tor tornado tsirkon uragan vilkha yars zircon zuzana
    """)
#: Nouns of military hardware that may follow a weapon's name ("Grad multiple rocket
#: launchers").
HARDWARE = _words("""
    rocket rockets launcher launchers missile missiles system systems tank tanks vehicle
    vehicles howitzer howitzers drone drones mlrs shell shells munition munitions jet jets
    fighter helicopter helicopters complex complexes battery batteries salvo salvos
    """)
#: Nouns of military units after a name: the unit, not the place ("Wagner mercenaries",
#: "the Azov regiment", "the Kupiansk group of forces").
UNITS = _words("""
    battalion battalions brigade brigades regiment regiments grouping groupings group
    mercenaries mercenary pmc corps legion detachment detachments squadron
    """)
#: Vessels and craft that carry names of places ("the cruiser Moskva", "our plane
#: 'Mriya'", "the Kyiv frigate"): before or after a name, the name is the craft's.
CRAFT = _words("""
    cruiser frigate corvette ship vessel submarine tanker plane aircraft airliner
    """)
#: Words after a name that make it a street's ("along Kyiv Street", "on Peremohy Avenue").
STREETS = _words("""
    street st avenue ave boulevard blvd prospekt prospect lane alley embankment uzviz
    vulytsia provulok
    """)
#: First names that are also places ("Sofia", "Roman", "Anna", "Artem", "Florence"):
#: before a capitalized surname they are a person ("Sofia Rotaru", "Roman Abramovich").
FIRST_NAMES = _words("""
    anna artem aurora austin boris charlotte daniel denis douglas elizabeth eugene florence
    helena igor lev marina marion mark nadia oleg olena olga roman ruslan sofia timur troy
    vadim vera victoria warren
    """)
