"""Every scoring weight of resolution, named and documented in one place.

A candidate place's score is a sum of parts, each named below (and listed by
:func:`frontline.geoparse.explain`):

- before context: the prior of its country and region, its population (log scale), its
  kind against the feature words around the mention ("region", "River", "the"), and
  whether the name is the place's own or another spelling;
- in context: its country or region named in the sentence, its country's cue words,
  its country named elsewhere in the article, a container ("Kupiansk, Kharkiv region"),
  its raion or hromada named nearby, a locator phrase ("west of Kurakhove") and
  closeness to the article's unambiguous places.

The candidate with the highest sum wins; ``confidence`` grows with its margin over the
runner-up. The numbers are on one scale: a tenfold population is worth
:data:`POPULATION`, about half a point.
"""

from __future__ import annotations

#: The domain prior (country and front-line oblast), defined once by the gazetteer.
from ..gazetteer import DEFAULT_PRIOR  # noqa: F401  (re-exported: weights live here)

# ------------------------------------------------------------------ before context

#: Per tenfold population: ``POPULATION * log10(population + 10)``. A first-level region
#: weighs the people of its towns the same way (see ``_weigh_regions``).
POPULATION = 0.55

#: A settlement's population under this counts as unknown. GeoNames gives a figure to nine
#: villages in ten in Mykolaiv, Odesa, Poltava and Zakarpattia Oblasts and to one in ten in
#: Kharkiv, Sumy and Chernihiv Oblasts: a village's small figure tells which oblast's records
#: were filled in, not which namesake is meant ("Novomykhailivka" was Mykolaiv Oblast's
#: hamlet of 351 people, not Donetsk Oblast's front-line village). The floor is where one
#: village in ten begins in the six oblasts whose villages GeoNames records nearly all
#: (2,191 people; a quarter of them have 1,000 or more): a village of 1,100 is no bigger
#: than many whose figure is missing (Mykolaiv Oblast's Pavlivka against Donetsk Oblast's).
POPULATION_FLOOR = 2_000
#: ...but of two villages of an oblast, GeoNames records the people of the one that
#: mattered to someone: a recorded figure under the floor still breaks a tie.
RECORDED = 0.2

#: With no context, a settlement's name points to where the front is. On top of the domain
#: prior's equal weight for every oblast of the war, a settlement gets more where the front
#: has run every year: through Donetsk Oblast every day since 2014 (Mariupol, Bakhmut,
#: Avdiivka, Pokrovsk), through Luhansk, Kharkiv and Zaporizhzhia Oblasts every year since
#: 2022, through Kherson Oblast on the ground in 2022 and across the Dnieper since. Only
#: with a prior that favours the oblast (not with the neutral prior of world news).
FRONT_EVERY_YEAR = {
    "Donetsk Oblast": 1.0,
    "Luhansk Oblast": 0.5,
    "Kharkiv Oblast": 0.5,
    "Zaporizhzhia Oblast": 0.5,
    "Kherson Oblast": 0.2,
}
#: The fronts of each season (:mod:`~frontline.geoparse.fronts`): a settlement of an oblast
#: the front ran through for that season only gets ``SEASONAL_FRONT`` more in articles of
#: the season, and every Ukrainian settlement ``FRONT_NEAR * exp(-km / FRONT_KM)`` for its
#: distance to the nearest town of the season's front.
SEASONAL_FRONT = 1.0
FRONT_NEAR = 1.0
FRONT_KM = 25.0

#: With no feature word, a bare name is most often the city, then the country or region.
BARE_KIND = {
    "city": 1.0,
    "country": 5.0,
    "region": 1.2,
    "district": -1.0,
    "river": -0.2,
    "waterbody": 0.0,
    "landform": 0.3,
    "facility": 0.0,
}

#: After "the", a bare name is a river or a region far more often than a town.
AFTER_THE = {
    "city": -1.0,
    "country": 5.0,
    "region": 2.0,
    "district": 0.0,
    "river": 4.5,
    "waterbody": 3.0,
    "landform": 2.0,
    "facility": 1.0,
}

#: A name that is only another spelling of a town (not its own name) is weaker evidence.
ALTERNATE_NAME = -1.5

#: The prior over namesakes: the most populous town of a name, with at least
#: ``TOWN_PEOPLE`` people and ten times the next namesake, is the one meant (measured:
#: 97% of such mentions in the CIR monitor; see ``resolution._favour_the_town``). A city
#: of ``CITY_PEOPLE`` or more counts under its other spellings too: "Vinnitsa" is Vinnytsia
#: (370,000 people), not a hamlet of Kharkiv Oblast that GeoNames names so.
THE_TOWN = 2.0
TOWN_PEOPLE = 10_000
CITY_PEOPLE = 100_000
#: A city of ``CITY_PEOPLE`` or more in a country the prior favours is surer still (the
#: CIR monitor: 537 of 541 such mentions, the four others "Kyiv" for its oblast and the
#: like). It must outweigh what the prior and an article lend a village of the war's
#: oblasts without naming it (its oblast's prior, the front, the oblast named elsewhere in
#: the text): "wreckage in Rivne after the missile strike on the TV tower" is the city of
#: 244,000 even in an article that names the Sumy region, where a village Rivne lies.
#: (With no prior, world news keeps ``THE_TOWN``: "London, Ontario" needs less to win.)
THE_CITY = 3.0

#: A feature word that names the candidate's kind ("Kherson region": the oblast).
HINT_SAME_KIND = 4.0
#: "the X Sea" for a river, "the X River" for a water body: near enough.
HINT_WATER_FOR_WATER = 2.0
#: "the X region" said of a country ("the Donbas region" is no country, but close).
HINT_COUNTRY_FOR_REGION = 1.0
#: "the Kherson region" is the oblast; a raion would be "the Kherson district".
HINT_DISTRICT_FOR_REGION = -0.5
#: A feature word that names another kind.
HINT_OTHER_KIND = -1.5

# ---------------------------------------------------------------------- in context

#: Its country named in the same sentence (or the one before).
SENTENCE_COUNTRY = 1.5
#: Cue words of its country in the sentence ("Pentagon", "Kremlin").
COUNTRY_CUE = 1.0
#: Per mention of its country elsewhere in the article, up to ``ARTICLE_COUNTRY_CAP``.
ARTICLE_COUNTRY = 0.4
ARTICLE_COUNTRY_CAP = 3
#: Its region named in the same sentence ("in Russia's Belgorod region").
SENTENCE_REGION = 2.5
#: Its region named anywhere in the article ("Lima ... Ohio").
REGION_NAMED = 1.5
#: A container right after a comma ("Athens, Greece", "Kupiansk, Kharkiv region"): the
#: container's country, its region, or only its country for a region container.
CONTAINER_COUNTRY = 4.0
CONTAINER_REGION = 5.0
CONTAINER_SAME_COUNTRY = 1.5
#: A raion, a hromada or its town as the container ("Kopanky of Borova hromada",
#: "Tabaivka (Kupiansk Raion)"): a namesake in that raion, on top of its region.
CONTAINER_RAION = 3.0
#: A locator phrase ("X, west of A", "X near A", "10 km from A"):
#: ``LOCATOR * exp(-km / LOCATOR_KM)`` from the place it names.
LOCATOR = 3.0
LOCATOR_KM = 30.0
#: Closeness to the article's unambiguous places: ``CLOSENESS * exp(-km / CLOSENESS_KM)``
#: to the nearest of them.
CLOSENESS = 2.0
CLOSENESS_KM = 150.0
#: ``confidence`` is ``0.5 + 0.45 * tanh(margin / CONFIDENCE_MARGIN)``.
CONFIDENCE_MARGIN = 2.0

#: Candidates beyond the best this many before context never win and only cost time (a
#: name such as Andriivka has 77 namesakes in Ukraine, most without a population).
MAX_CANDIDATES = 120

#: The places that anchor an article's coherence: a name is measured against the first
#: ``MAX_ANCHORS`` unambiguous places of the article (its lead sets the scene) and the
#: ``MAX_ANCHORS`` written nearest to it (its paragraph: a long statement lists the routes
#: of Sumy region before those of Donetsk region), out of at most ``KEPT_ANCHORS`` an
#: article may hold (enough to locate it, few to be quick).
MAX_ANCHORS = 12
KEPT_ANCHORS = 400
