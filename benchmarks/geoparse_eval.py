"""Geoparsing evaluation: Frontline on the standard corpora, beside the published systems.

Runs :func:`frontline.geoparse.geoparse` on every document of GeoWebNews, LGL, TR-News,
GeoVirus and WikToR (in ../shared/eval/geoparsing), writes predictions in the corpora's
line format to ``benchmarks/results/geoparse/``, scores them with the EUPEG scorer shipped
beside the corpora, and prints Frontline's row beside each published system's row. Then
the Ukrainian toponyms of the CIR monitor (acc@10 km and acc@161 km) and the speed of the
geoparser in articles of 3.5 KB per second.

Usage::

    python benchmarks/geoparse_eval.py [--corpus GeoWebNews ...] [--prior domain|neutral]

Skips with a message when ../shared/eval is absent (set FRONTLINE_EVAL to point elsewhere).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = Path(os.environ.get("FRONTLINE_EVAL", ROOT.parent / "shared" / "eval"))
GEO = EVAL / "geoparsing"
OUT = ROOT / "benchmarks" / "results" / "geoparse"
CORPORA = ("GeoWebNews", "LGL", "TR-News", "GeoVirus", "WikToR")


def _scorer():
    spec = importlib.util.spec_from_file_location("eupeg_eval", GEO / "eupeg_eval.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _documents(corpus: str) -> list[str]:
    folder = GEO / "corpora" / corpus
    n = sum(1 for p in folder.iterdir() if p.name.isdigit())
    return [(folder / str(i)).read_text(encoding="utf-8", errors="replace") for i in range(n)]


def _line(mentions) -> str:
    parts = []
    for m in mentions:
        surface = m.mention.replace(",,", ", ").replace("||", "| ")
        name = m.place.name.replace(",,", ", ").replace("||", "| ")
        parts.append(f"{name},,{surface},,{m.place.latitude},,{m.place.longitude},,"
                     f"{m.start},,{m.end}")
    return "||".join(parts)


def run_corpus(corpus: str, gaz, prior) -> tuple[dict, float, int]:
    from frontline.geoparse import geoparse

    docs = _documents(corpus)
    OUT.mkdir(parents=True, exist_ok=True)
    pred = OUT / f"{corpus}_Frontline.txt"
    t0 = time.perf_counter()
    lines = [_line(geoparse(d, gazetteer=gaz, prior=prior)) for d in docs]
    elapsed = time.perf_counter() - t0
    pred.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = _scorer().evaluate(GEO / "gold" / f"{corpus}_gold.txt", pred,
                             wiki=corpus == "WikToR")
    return res, elapsed, sum(len(d.encode()) for d in docs)


def _fmt(row: dict, name: str) -> str:
    def f(key, scale=1.0, nd=3):
        v = row.get(key)
        return f"{v * scale:.{nd}f}" if isinstance(v, float) else "-"
    return (f"  {name:<16} P {f('precision')}  R {f('recall')}  F1 {f('f1')}  "
            f"acc {f('accuracy')}  acc@161 {f('acc161')}  median km {f('median_km', nd=1)}  "
            f"AUC {f('auc')}")


def cir(gaz, prior) -> dict:
    """Acc@10 km and acc@161 km on the CIR monitor's Ukrainian toponyms."""
    from frontline.geoparse import geoparse

    path = EVAL / "ukraine" / "cir_toponyms_2022H1.jsonl"
    found = n = at10 = at161 = 0
    misses = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        n += 1
        hit = None
        for m in geoparse(rec["text"], gazetteer=gaz, prior=prior):
            if m.start < rec["end"] and rec["start"] < m.end:
                hit = m.place
                break
        if hit is not None:
            found += 1
        else:  # resolution only: the gold span given, as Mordecai is scored
            cands = gaz.lookup(rec["toponym"], limit=1)
            hit = cands[0] if cands else None
        if hit is None:
            misses.append(rec["toponym"])
            continue
        d = _km(hit.latitude, hit.longitude, rec["lat"], rec["lon"])
        at10 += d <= 10
        at161 += d <= 161
        if d > 161:
            misses.append(f"{rec['toponym']}->{hit.name}({hit.admin1}, {d:.0f} km)")
    return {"n": n, "recognized": found / n, "acc10": at10 / n, "acc161": at161 / n,
            "misses": misses[:25]}


def _km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 12742 * math.asin(min(1, math.sqrt(h)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", nargs="*", default=list(CORPORA))
    ap.add_argument("--prior", choices=("domain", "neutral"), default="neutral",
                    help="country prior for the global corpora (default: neutral)")
    ap.add_argument("--no-cir", action="store_true")
    args = ap.parse_args(argv)
    if not GEO.is_dir():
        print(f"skipped: {GEO} is absent (set FRONTLINE_EVAL)")
        return 0
    from frontline.gazetteer import Gazetteer
    from frontline.geoparse import DEFAULT_PRIOR, geoparse

    gaz = Gazetteer.load()
    geoparse("Warm-up in Kyiv.", gazetteer=gaz)  # builds the matcher outside the timings
    prior = {} if args.prior == "neutral" else DEFAULT_PRIOR
    published = json.loads((GEO / "published_systems_metrics.json").read_text())
    total_bytes = total_time = 0.0
    for corpus in args.corpus:
        res, elapsed, nbytes = run_corpus(corpus, gaz, prior)
        total_bytes += nbytes
        total_time += elapsed
        print(f"{corpus} ({args.prior} prior)")
        print(_fmt(res, "Frontline"))
        for row in sorted((r for r in published if r["corpus"] == corpus),
                          key=lambda r: -(r.get("f1") or r.get("accuracy") or 0)):
            print(_fmt(row, row["system"]))
    if total_time:
        per_core = total_bytes / 3500 / total_time
        print(f"\nspeed: {per_core:,.0f} articles of 3.5 KB per second on one core "
              f"({total_bytes / 1e6:.1f} MB in {total_time:.1f} s)")
    if not args.no_cir and (EVAL / "ukraine" / "cir_toponyms_2022H1.jsonl").exists():
        r = cir(gaz, DEFAULT_PRIOR)
        print(f"\nCIR Ukrainian toponyms (domain prior): n {r['n']}  recognized "
              f"{r['recognized']:.3f}  acc@10km {r['acc10']:.3f}  acc@161km {r['acc161']:.3f}")
        print("  first misses: " + "; ".join(r["misses"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
