"""Where the front ran, season by season: what a village's name most likely points to.

With no context, "Novoselivka" in war reporting is the Novoselivka the front is at, not
one of the thirty others. :data:`SEASONS` lists the war's fronts by season: the oblasts
the fighting lifted for a season only, and towns on or near the line of contact then.
An article's publication date picks its seasons (:func:`front_on`); a Ukrainian
settlement then scores ``FRONT_NEAR * exp(-km / FRONT_KM)`` for its distance to the
nearest of their towns, and its oblast's seasonal weight (``SEASONAL_FRONT``), on top of
the oblast weights of :data:`~frontline.geoparse.weights.FRONT_EVERY_YEAR`.

The table is ours, from the public record of the war (front-line towns named in the
reporting of each period), written once and not fitted to any evaluation set. An
article with no date gets the towns of every season and no seasonal oblast weight.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from ..gazetteer import nearest_km
from .weights import FRONT_EVERY_YEAR, FRONT_KM, FRONT_NEAR, SEASONAL_FRONT

if TYPE_CHECKING:  # pragma: no cover
    from ..gazetteer import Gazetteer, Place

__all__ = ["SEASONS", "Front", "front_on"]


class Season(NamedTuple):
    """One season of the war: its days, the oblasts it lifts, the towns of its front."""

    first: date
    last: date | None  #: None while it lasts
    oblasts: tuple[str, ...]  #: lifted by ``SEASONAL_FRONT`` (the front ran there then only)
    towns: tuple[tuple[str, str], ...]  #: (town, oblast) on or near the line of contact


_DONBAS_2014 = (
    ("Shchastia", "Luhansk Oblast"),
    ("Stanytsia Luhanska", "Luhansk Oblast"),
    ("Zolote", "Luhansk Oblast"),
    ("Popasna", "Luhansk Oblast"),
    ("Svitlodarsk", "Donetsk Oblast"),
    ("Toretsk", "Donetsk Oblast"),
    ("Avdiivka", "Donetsk Oblast"),
    ("Marinka", "Donetsk Oblast"),
    ("Vuhledar", "Donetsk Oblast"),
    ("Shyrokyne", "Donetsk Oblast"),
)

#: The war's fronts, season by season.
SEASONS: tuple[Season, ...] = (
    # the Donbas line of contact, 2014 to the full-scale invasion
    Season(date(2014, 4, 1), date(2022, 2, 23), (), _DONBAS_2014),
    # the invasion of the north, until the withdrawal of early April 2022, and the month
    # of its aftermath (Bucha, Borodianka)
    Season(
        date(2022, 2, 24),
        date(2022, 4, 30),
        ("Kyiv Oblast", "Chernihiv Oblast", "Sumy Oblast"),
        (
            ("Irpin", "Kyiv Oblast"),
            ("Bucha", "Kyiv Oblast"),
            ("Hostomel", "Kyiv Oblast"),
            ("Makariv", "Kyiv Oblast"),
            ("Borodianka", "Kyiv Oblast"),
            ("Ivankiv", "Kyiv Oblast"),
            ("Velyka Dymerka", "Kyiv Oblast"),
            ("Chernihiv", "Chernihiv Oblast"),
            ("Nizhyn", "Chernihiv Oblast"),
            ("Sumy", "Sumy Oblast"),
            ("Konotop", "Sumy Oblast"),
            ("Okhtyrka", "Sumy Oblast"),
            ("Trostianets", "Sumy Oblast"),
        ),
    ),
    # the east and the south, from the invasion to the liberation of Kherson
    Season(
        date(2022, 2, 24),
        date(2022, 11, 11),
        (),
        (
            ("Tsyrkuny", "Kharkiv Oblast"),
            ("Ruska Lozova", "Kharkiv Oblast"),
            ("Staryi Saltiv", "Kharkiv Oblast"),
            ("Chuhuiv", "Kharkiv Oblast"),
            ("Balakliia", "Kharkiv Oblast"),
            ("Izium", "Kharkiv Oblast"),
            ("Barvinkove", "Kharkiv Oblast"),
            ("Lyman", "Donetsk Oblast"),
            ("Siversk", "Donetsk Oblast"),
            ("Rubizhne", "Luhansk Oblast"),
            ("Sievierodonetsk", "Luhansk Oblast"),
            ("Lysychansk", "Luhansk Oblast"),
            ("Popasna", "Luhansk Oblast"),
            ("Soledar", "Donetsk Oblast"),
            ("Bakhmut", "Donetsk Oblast"),
            ("Svitlodarsk", "Donetsk Oblast"),
            ("Avdiivka", "Donetsk Oblast"),
            ("Marinka", "Donetsk Oblast"),
            ("Volnovakha", "Donetsk Oblast"),
            ("Mariupol", "Donetsk Oblast"),
            ("Vuhledar", "Donetsk Oblast"),
            ("Velyka Novosilka", "Donetsk Oblast"),
            ("Huliaipole", "Zaporizhzhia Oblast"),
            ("Orikhiv", "Zaporizhzhia Oblast"),
            ("Kamianske", "Zaporizhzhia Oblast"),
            ("Davydiv Brid", "Kherson Oblast"),
            ("Vysokopillia", "Kherson Oblast"),
            ("Posad-Pokrovske", "Kherson Oblast"),
            ("Kherson", "Kherson Oblast"),
            ("Snihurivka", "Mykolaiv Oblast"),
            ("Mykolaiv", "Mykolaiv Oblast"),
        ),
    ),
    # the line after the Kharkiv counteroffensive and Kherson's liberation
    Season(
        date(2022, 9, 11),
        None,
        (),
        (
            ("Kupiansk", "Kharkiv Oblast"),
            ("Svatove", "Luhansk Oblast"),
            ("Kreminna", "Luhansk Oblast"),
            ("Bilohorivka", "Luhansk Oblast"),
            ("Lyman", "Donetsk Oblast"),
            ("Siversk", "Donetsk Oblast"),
            ("Soledar", "Donetsk Oblast"),
            ("Bakhmut", "Donetsk Oblast"),
            ("Chasiv Yar", "Donetsk Oblast"),
            ("Toretsk", "Donetsk Oblast"),
            ("Avdiivka", "Donetsk Oblast"),
            ("Marinka", "Donetsk Oblast"),
            ("Vuhledar", "Donetsk Oblast"),
            ("Velyka Novosilka", "Donetsk Oblast"),
            ("Huliaipole", "Zaporizhzhia Oblast"),
            ("Orikhiv", "Zaporizhzhia Oblast"),
            ("Robotyne", "Zaporizhzhia Oblast"),
            ("Kamianske", "Zaporizhzhia Oblast"),
            ("Nova Kakhovka", "Kherson Oblast"),
            ("Kherson", "Kherson Oblast"),
            ("Krynky", "Kherson Oblast"),
        ),
    ),
    # the offensive north of Kharkiv and the advance on Pokrovsk, from May 2024
    Season(
        date(2024, 5, 10),
        None,
        (),
        (
            ("Vovchansk", "Kharkiv Oblast"),
            ("Lyptsi", "Kharkiv Oblast"),
            ("Ocheretyne", "Donetsk Oblast"),
            ("Selydove", "Donetsk Oblast"),
            ("Pokrovsk", "Donetsk Oblast"),
            ("Myrnohrad", "Donetsk Oblast"),
            ("Kurakhove", "Donetsk Oblast"),
            ("Kostiantynivka", "Donetsk Oblast"),
        ),
    ),
    # the Kursk incursion, from 6 August 2024 until Russia retook the region in April 2025
    Season(
        date(2024, 8, 6),
        date(2025, 4, 30),
        ("Kursk Oblast",),
        (("Sudzha", "Kursk Oblast"), ("Korenevo", "Kursk Oblast"), ("Glushkovo", "Kursk Oblast")),
    ),
    # the Russian advances into Sumy Oblast from March 2025, and into Dnipropetrovsk
    # Oblast from June 2025
    Season(date(2025, 3, 1), None, ("Sumy Oblast",), (("Yunakivka", "Sumy Oblast"),)),
    Season(
        date(2025, 6, 1),
        None,
        ("Dnipropetrovsk Oblast",),
        (("Mezhova", "Dnipropetrovsk Oblast"),),
    ),
)


class Front(NamedTuple):
    """The front of an article's seasons: what its oblasts add, and its towns' points."""

    key: tuple[tuple[int, ...], bool]  #: its seasons (indexes into SEASONS), undated
    oblasts: Mapping[str, float]  #: oblast -> weight added to its settlements
    points: tuple[tuple[float, float], ...]  #: (lat, lon) of the front's towns

    def nearness(self, place: Place) -> float:
        """``FRONT_NEAR * exp(-km / FRONT_KM)`` for the nearest of the front's towns."""
        if not self.points:
            return 0.0
        km = nearest_km(place.latitude, place.longitude, self.points)
        return FRONT_NEAR * math.exp(-km / FRONT_KM)


def front_on(published: date | None, gazetteer: Gazetteer) -> Front:
    """The front of an article published on *published* (see the module's docstring).

    Examples
    --------
    >>> from frontline.gazetteer import Gazetteer
    >>> spring = front_on(date(2022, 3, 10), Gazetteer.load())
    >>> spring.oblasts["Kyiv Oblast"], spring.oblasts["Donetsk Oblast"]
    (1.0, 1.0)
    >>> front_on(None, Gazetteer.load()).oblasts.get("Kyiv Oblast", 0.0)
    0.0
    """
    if published is None:
        seasons: tuple[int, ...] = ()
    else:
        seasons = tuple(
            i
            for i, s in enumerate(SEASONS)
            if s.first <= published and (s.last is None or published <= s.last)
        )
    return _front(seasons, published is None, gazetteer)


@functools.lru_cache(maxsize=1)  # (one gazetteer at a time: a process rarely loads two)
def _town_points(gazetteer: Gazetteer) -> dict[tuple[str, str], tuple[float, float]]:
    """(town, oblast) -> its point, for every town of :data:`SEASONS` the gazetteer has."""
    points = {}
    for season in SEASONS:
        for town, oblast in season.towns:
            if (town, oblast) not in points:
                found = [
                    p
                    for p in gazetteer.lookup(town, limit=20)
                    if p.kind == "city" and p.admin1 == oblast
                ]
                if found:
                    points[town, oblast] = (found[0].latitude, found[0].longitude)
    return points


@functools.lru_cache(maxsize=64)
def _front(seasons: tuple[int, ...], undated: bool, gazetteer: Gazetteer) -> Front:
    oblasts = dict(FRONT_EVERY_YEAR)
    for i in seasons:
        for oblast in SEASONS[i].oblasts:
            oblasts[oblast] = oblasts.get(oblast, 0.0) + SEASONAL_FRONT
    towns = _town_points(gazetteer)
    chosen = range(len(SEASONS)) if undated else seasons
    names = dict.fromkeys(t for i in chosen for t in SEASONS[i].towns)
    points = tuple(towns[t] for t in names if t in towns)
    return Front((seasons, undated), MappingProxyType(oblasts), points)
