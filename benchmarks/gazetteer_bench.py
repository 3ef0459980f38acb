"""Benchmark the gazetteer: load time, look-ups per second, and (when the evaluation
corpora are present) how often the top candidate is the right place.

Usage::

    python benchmarks/gazetteer_bench.py [--lookups 100000]

Targets (issues 3 and 15): load < 0.5 s with every Ukrainian settlement; 100,000
look-ups < 1 s. The accuracy rows use
``../shared/eval/ukraine/cir_toponyms_2022H1.jsonl`` (CIR's geolocated events, whose
coordinates are footage geolocations a few km from town centres); they are skipped
when the folder (or ``$FRONTLINE_EVAL``) is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from frontline.gazetteer import Gazetteer, distance_km, normalize_name  # noqa: E402

# names a dispatch uses, with spellings and a few misses, cycled through the look-ups
QUERIES = [
    "Kyiv",
    "Kiev",
    "Kharkiv",
    "Kharkov",
    "Bakhmut",
    "Artemivsk",
    "Avdiivka",
    "Avdiyivka",
    "Zaporizhzhia",
    "Zaporozhye",
    "Odessa",
    "Nikopol",
    "Mar'inka",
    "Kupiansk",
    "Izium",
    "Sievierodonetsk",
    "Lysychansk",
    "Kropyvnytskyi",
    "Robotyne",
    "Klishchiivka",
    "Krynky",
    "Kherson region",
    "Kherson Oblast",
    "Nikopol district",
    "Kakhovka reservoir",
    "Crimea",
    "Kinburn Spit",
    "Snake Island",
    "Kerch bridge",
    "Washington",
    "London",
    "Moscow",
    "Belgorod",
    "Shebekino",
    "Sudzha",
    "Dnipro",
    "Київ",
    "Харків",
    "Nowhereville",
    "the Dnipro river",
    "Vuhledar",
    "Pokrovsk",
    "Toretsk",
    "Chasiv Yar",
    "Kramatorsk",
    "U.S.",
    "California",
    "Tamil Nadu",
    "Europe",
    "Middle East",
    "England",
    "DRC",
]


def eval_dir() -> Path | None:
    env = os.environ.get("FRONTLINE_EVAL")
    path = Path(env) if env else ROOT / ".." / "shared" / "eval"
    return path if path.is_dir() else None


def cold_load_seconds() -> float:
    """Import frontline and load the gazetteer in a fresh interpreter (median of 3)."""
    code = (
        "import time; t=time.perf_counter(); from frontline.gazetteer import Gazetteer; "
        "g=Gazetteer.load(); g.lookup('Kyiv'); print(time.perf_counter()-t)"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(3)
    ]
    return statistics.median(runs)


def timed(fn, n: int) -> float:
    t = time.perf_counter()
    fn(n)
    return time.perf_counter() - t


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lookups", type=int, default=100_000)
    args = parser.parse_args()
    n = args.lookups
    rows: list[tuple[str, str, str]] = []

    rows.append(
        (
            "load, cold (import + Gazetteer.load + 1 lookup)",
            f"{cold_load_seconds():.3f} s",
            "< 0.5 s",
        )
    )
    data = ROOT / "src" / "frontline" / "data"
    size = sum(p.stat().st_size for p in data.iterdir() if p.is_file())
    rows.append(("bundled data (src/frontline/data)", f"{size / 1e6:.2f} MB", ""))
    gaz = Gazetteer.load()
    kinds: dict[str, int] = {}
    for place in gaz:
        kinds[place.kind] = kinds.get(place.kind, 0) + 1
    rows.append(
        ("places", f"{len(gaz):,}", ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())))
    )
    ua = [p for p in gaz if p.country_code == "UA" and p.feature_code]
    codes: dict[str, int] = {}
    for place in ua:
        codes[place.feature_code] = codes.get(place.feature_code, 0) + 1
    rows.append(
        (
            "Ukraine (GeoNames extract)",
            f"{len(ua):,}",
            ", ".join(f"{k} {v:,}" for k, v in sorted(codes.items(), key=lambda kv: -kv[1])[:8]),
        )
    )
    rows.append(("distinct names (keys)", f"{len(list(gaz.keys())):,}", ""))
    queries = [QUERIES[i % len(QUERIES)] for i in range(n)]

    def cold_lookups(k: int) -> None:
        normalize_name.cache_clear()
        fresh = Gazetteer.load()  # bundle is cached; per-key rankings are not
        for q in queries[:k]:
            fresh.lookup(q)

    def warm_lookups(k: int) -> None:
        for q in queries[:k]:
            gaz.lookup(q)

    def near_lookups(k: int) -> None:
        for q in queries[:k]:
            gaz.lookup(q, near=(48.0, 37.8))

    keys = [normalize_name(q) for q in queries]

    def candidate_calls(k: int) -> None:
        for key in keys[:k]:
            gaz.candidates(key)

    t = timed(cold_lookups, n)
    rows.append((f"{n:,} lookup() (first pass fills caches)", f"{t:.3f} s", f"{n / t:,.0f}/s"))
    t = timed(warm_lookups, n)
    rows.append((f"{n:,} lookup() (warm)", f"{t:.3f} s", f"{n / t:,.0f}/s"))
    t = timed(near_lookups, n)
    rows.append((f"{n:,} lookup(near=...)", f"{t:.3f} s", f"{n / t:,.0f}/s"))
    t = timed(candidate_calls, n)
    rows.append((f"{n:,} candidates(key)", f"{t:.3f} s", f"{n / t:,.0f}/s"))

    unique = sorted({normalize_name(s) for s in QUERIES} | set(list(gaz.keys())[::40]))
    fresh = Gazetteer.load()
    t = time.perf_counter()
    for key in unique:
        fresh.candidates(key)
    t = time.perf_counter() - t
    rows.append(
        (
            f"{len(unique):,} distinct keys, uncached candidates()",
            f"{t:.3f} s",
            f"{len(unique) / t:,.0f}/s",
        )
    )

    t = time.perf_counter()
    gaz.region_of(48.0, 37.8)
    first = time.perf_counter() - t
    t = time.perf_counter()
    for i in range(10_000):
        gaz.region_of(44.5 + (i % 100) * 0.07, 23.0 + (i // 100) * 0.17)
    t = time.perf_counter() - t
    rows.append(("region_of: first call (reads polygons)", f"{first:.3f} s", ""))
    ua = [p for p in gaz if p.place_id.startswith("geonames:") and p.country_code == "UA"]
    same = sum(
        getattr(gaz.region_of(p.latitude, p.longitude), "admin1_code", None) == p.admin1_code
        for p in ua
    )
    rows.append(
        (
            f"region_of agrees with GeoNames admin1 ({len(ua):,} UA places)",
            f"{same / len(ua):.1%}",
            "",
        )
    )
    rows.append(("10,000 region_of()", f"{t:.3f} s", f"{10_000 / t:,.0f}/s"))
    for layer in ("countries", "regions", "rivers", "water"):
        t = time.perf_counter()
        df = gaz.layer(layer)
        rows.append(
            (f"layer({layer!r}) ({len(df)} features)", f"{time.perf_counter() - t:.3f} s", "")
        )
    t = time.perf_counter()
    gaz.suggest("Bakhmutt")
    rows.append(("suggest('Bakhmutt')", f"{time.perf_counter() - t:.3f} s", ""))

    folder = eval_dir()
    cir = folder / "ukraine" / "cir_toponyms_2022H1.jsonl" if folder else None
    if cir is not None and cir.is_file():
        records = [
            json.loads(line)
            for line in cir.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        for label, options in (
            ("lookup(toponym)", {}),
            ("lookup(toponym, country='UA')", {"country": "UA"}),
        ):
            found = at10 = at161 = 0
            for rec in records:
                best = gaz.lookup(rec["toponym"], limit=1, **options)
                if not best:
                    continue
                found += 1
                d = distance_km(best[0].latitude, best[0].longitude, rec["lat"], rec["lon"])
                at10 += d <= 10
                at161 += d <= 161
            total = len(records)
            rows.append((f"CIR toponyms ({total}): {label} found", f"{found / total:.1%}", ""))
            rows.append((f"CIR toponyms: {label} within 10 km", f"{at10 / total:.1%}", ""))
            rows.append((f"CIR toponyms: {label} within 161 km", f"{at161 / total:.1%}", ""))
    else:
        rows.append(("CIR toponym accuracy", "skipped", "no ../shared/eval"))

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>10}  note")
    print("-" * (width + 26))
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>10}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
