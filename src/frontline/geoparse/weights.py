"""Every scoring weight of resolution, named and documented in one place.

A candidate place's score is a sum of parts (see :func:`frontline.geoparse.explain`):
the prior of its country and region, its population (log scale), what feature words
around the mention say about its kind, and what the rest of the article says (countries,
regions and containers named nearby, closeness to the article's unambiguous places). The
candidate with the highest sum wins; ``confidence`` grows with its margin over the
runner-up.
"""

from __future__ import annotations

#: Additive score by ISO country code (Ukraine first, then the countries around the war)
#: and by first-level region (``Place.admin1``): the oblasts where the fighting and the
#: shelling have been since 2022, where a village's name most likely points.
DEFAULT_PRIOR: dict[str, float] = {
    "UA": 3.0, "RU": 1.6, "BY": 1.2, "MD": 1.2, "PL": 0.8, "RO": 0.8, "SK": 0.6, "HU": 0.6,
    "GE": 0.4, "TR": 0.4, "US": 0.5, "GB": 0.5, "DE": 0.4, "FR": 0.4,
    **dict.fromkeys([
        "Donetsk Oblast", "Luhansk Oblast", "Kharkiv Oblast", "Zaporizhzhia Oblast",
        "Kherson Oblast", "Mykolaiv Oblast", "Sumy Oblast", "Chernihiv Oblast", "Kyiv Oblast",
        "Dnipropetrovsk Oblast", "Autonomous Republic of Crimea", "Belgorod Oblast",
        "Kursk Oblast"], 1.0),
}

#: With no feature word, a bare name is most often the city, then the country or region.
BARE_KIND = {"city": 1.0, "country": 5.0, "region": 1.2, "district": -1.0, "river": -0.2,
              "waterbody": 0.0, "landform": 0.3, "facility": 0.0}


#: After "the", a bare name is a river or a region far more often than a town.
AFTER_THE = {"city": -1.0, "country": 5.0, "region": 2.0, "district": 0.0, "river": 4.5,
              "waterbody": 3.0, "landform": 2.0, "facility": 1.0}
#: A name that is only another spelling of a place (not its own name) is weaker evidence.
ALTERNATE_NAME = 1.5

#: Candidates beyond the gazetteer's best few hundred never win and only cost time.
MAX_CANDIDATES = 30

#: The places that anchor an article's coherence: enough to locate it, few to be quick.
MAX_ANCHORS = 12

