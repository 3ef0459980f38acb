"""Finding the places an article names and choosing the right one.

Three steps, one module each:

:mod:`~frontline.geoparse.tokens`
    The capitalized runs of the text, their words, and the gazetteer names inside them.
:mod:`~frontline.geoparse.recognition`
    Which of those matches are toponyms (not a person's name, an outlet, a common word).
:mod:`~frontline.geoparse.resolution`
    Which place each toponym stands for, scored with the weights of
    :mod:`~frontline.geoparse.weights`, and whether it is meant literally.

The word lists all three read are in :mod:`~frontline.geoparse.lexicon`.

Examples
--------
>>> [m.mention for m in geoparse("Shelling hit Nikopol and the Kherson region.")]
['Nikopol', 'Kherson region']
"""

from __future__ import annotations

from .recognition import find_toponyms
from .resolution import Mention, geoparse
from .weights import DEFAULT_PRIOR

__all__ = ["Mention", "geoparse", "find_toponyms", "DEFAULT_PRIOR"]
