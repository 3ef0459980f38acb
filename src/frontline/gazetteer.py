"""The offline gazetteer: every place the war reporting names, under every spelling."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Place", "KINDS"]

KINDS = ("country", "region", "district", "city", "river", "waterbody", "landform", "facility")


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry. Coordinates are WGS84; ``admin1`` is the region's English name."""

    place_id: str
    name: str
    kind: str
    country_code: str
    admin1: str
    latitude: float
    longitude: float
    population: int = 0
