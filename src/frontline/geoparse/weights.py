"""Every scoring weight of resolution, named and documented in one place.

A candidate place's score is a sum of parts (see :func:`frontline.geoparse.explain`):
the prior of its country and region, its population (log scale), what feature words
around the mention say about its kind, and what the rest of the article says (countries,
regions and containers named nearby, closeness to the article's unambiguous places). The
candidate with the highest sum wins; ``confidence`` grows with its margin over the
runner-up.
"""

from __future__ import annotations

#: The domain prior (country and front-line oblast), defined once by the gazetteer.
from ..gazetteer import DEFAULT_PRIOR  # noqa: F401  (re-exported: weights live here)

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

