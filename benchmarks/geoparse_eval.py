"""Geoparsing evaluation: Frontline on the standard corpora, beside the published systems.

Runs :func:`frontline.geoparse.geoparse` on every document of GeoWebNews, LGL, TR-News,
GeoVirus and WikToR (in ../shared/eval/geoparsing), writes predictions in the corpora's
line format to a temporary folder (``$TMPDIR/frontline-geoparse`` or
``$FRONTLINE_EVAL_OUT``: they quote the corpora, so they stay out of the project),
scores them with the EUPEG scorer shipped beside the corpora, and prints Frontline's
row beside each published system's row. Then
the speed of the geoparser (warm caches, CPU time of this process, in articles of 3.5 KB
per second on one core) on the news corpora and on the Zelenskyy press releases, the time
and peak memory of one 10 MB single-line article (issue 18), and the Ukrainian toponyms
of the CIR monitor (acc@10 km and acc@161 km, domain prior, each record dated).

Usage::

    python benchmarks/geoparse_eval.py [--corpus GeoWebNews ...] [--prior domain|neutral]
        [--demonyms] [--errors N] [--no-speed] [--no-long-line] [--no-cir]

``--demonyms`` also scores the opt-in mode that lists demonyms ("French") as toponyms,
as GeoWebNews, LGL and TR-News count them (Frontline's default does not); ``--errors N``
prints the commonest misses, false alarms and far resolutions.

Skips with a message when ../shared/eval is absent (set FRONTLINE_EVAL to point elsewhere).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = Path(os.environ.get("FRONTLINE_EVAL", ROOT.parent / "shared" / "eval"))
GEO = EVAL / "geoparsing"
# Predictions quote the corpora's toponyms: they stay outside the project.
OUT = Path(os.environ.get("FRONTLINE_EVAL_OUT", Path(tempfile.gettempdir()) / "frontline-geoparse"))
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


def _clean(field: str) -> str:
    """A field of the line format: no separators, no line breaks."""
    return " ".join(field.split()).replace(",,", ", ").replace("||", "| ")


def _line(mentions) -> str:
    parts = []
    for m in mentions:
        surface, name = _clean(m.mention), _clean(m.place.name)
        parts.append(
            f"{name},,{surface},,{m.place.latitude},,{m.place.longitude},,{m.start},,{m.end}"
        )
    return "||".join(parts)


def run_corpus(
    corpus: str, gaz, prior, *, demonyms: bool = False, errors: int = 0
) -> tuple[dict, float, int]:
    from frontline.geoparse import geoparse

    docs = _documents(corpus)
    OUT.mkdir(parents=True, exist_ok=True)
    suffix = "_demonyms" if demonyms else ""
    pred = OUT / f"{corpus}_Frontline{suffix}.txt"
    t0 = time.perf_counter()
    lines = [_line(geoparse(d, gazetteer=gaz, prior=prior, demonyms=demonyms)) for d in docs]
    elapsed = time.perf_counter() - t0
    pred.write_text("\n".join(lines) + "\n", encoding="utf-8")
    gold = GEO / "gold" / f"{corpus}_gold.txt"
    res = _scorer().evaluate(gold, pred, wiki=corpus == "WikToR")
    if errors:
        _print_errors(gold, pred, errors)
    return res, elapsed, sum(len(d.encode()) for d in docs)


def _print_errors(gold: Path, pred: Path, n: int) -> None:
    """The commonest misses, false alarms and far resolutions, by surface form."""
    from collections import Counter

    scorer = _scorer()
    fn, fp, far = Counter(), Counter(), Counter()
    for gl, pl in zip(
        gold.read_text(encoding="utf-8").splitlines(),
        pred.read_text(encoding="utf-8").splitlines(),
        strict=True,
    ):
        g_tops, p_tops = scorer.parse_line(gl), scorer.parse_line(pl)
        for g in g_tops:
            mid = (g[3] + g[4]) / 2
            hit = next(
                (
                    i
                    for i, p in enumerate(p_tops)
                    if abs(mid - (p[3] + p[4]) / 2) < 10 and p[0].lower() == g[0].lower()
                ),
                None,
            )
            if hit is None:
                fn[g[0]] += 1
                continue
            p = p_tops.pop(hit)
            if scorer.haversine(p[1], p[2], g[1], g[2]) >= 161:
                far[g[0]] += 1
        fp.update(p[0] for p in p_tops)
    for label, counter in (("missed", fn), ("false alarms", fp), ("beyond 161 km", far)):
        print(f"    {label}: " + ", ".join(f"{k} {v}" for k, v in counter.most_common(n)))


def _fmt(row: dict, name: str) -> str:
    def f(key, scale=1.0, nd=3):
        v = row.get(key)
        return f"{v * scale:.{nd}f}" if isinstance(v, float) else "-"

    return (
        f"  {name:<16} P {f('precision')}  R {f('recall')}  F1 {f('f1')}  "
        f"acc {f('accuracy')}  acc@161 {f('acc161')}  median km {f('median_km', nd=1)}  "
        f"AUC {f('auc')}"
    )


def cir(gaz, prior) -> dict:
    """Acc@10 km and acc@161 km on the CIR monitor's Ukrainian toponyms."""
    from frontline.gazetteer import distance_km
    from frontline.geoparse import geoparse
    from frontline.readers.model import Article

    path = EVAL / "ukraine" / "cir_toponyms_2022H1.jsonl"
    found = n = at10 = at161 = 0
    misses = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        n += 1
        hit = None
        # dated as the pipeline dates an article: the seasons of the front depend on it
        day = date.fromisoformat(rec["date"]) if rec.get("date") else None
        for m in geoparse(
            Article(rec["entry"], rec["text"], published=day), gazetteer=gaz, prior=prior
        ):
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
        d = distance_km(hit.latitude, hit.longitude, rec["lat"], rec["lon"])
        at10 += d <= 10
        at161 += d <= 161
        if d > 161:
            misses.append(f"{rec['toponym']}->{hit.name}({hit.admin1}, {d:.0f} km)")
    return {
        "n": n,
        "recognized": found / n,
        "acc10": at10 / n,
        "acc161": at161 / n,
        "misses": misses[:25],
    }


def speed(gaz, prior) -> list[tuple[str, int, float, float, float]]:
    """Geoparsing throughput, warm, in CPU seconds of this process (one core).

    Two inputs: the news corpora (GeoWebNews, LGL, TR-News, GeoVirus) and the
    Zelenskyy press releases (war reporting, 3.3 KB on average). Each is parsed once
    to warm the caches, then timed twice (the better run counts): geoparsing the bare
    text, and geoparsing with the sentence spans given, as the pipeline does (it splits
    sentences once for all stages). Returns (label, articles, MB, articles of 3.5 KB per
    CPU second, the same with sentences given).
    """
    import csv

    from frontline.geoparse import geoparse
    from frontline.sentences import split_sentences

    sets = [("news corpora", [d for c in CORPORA[:4] for d in _documents(c)])]
    releases = EVAL / "ukraine" / "zelenskyy_press_releases.csv"
    if releases.exists():
        with releases.open(encoding="utf-8", newline="") as f:
            sets.append(("Zelenskyy releases", [r["body"] for r in csv.DictReader(f)]))
    out = []
    for label, docs in sets:
        spans = [split_sentences(d) for d in docs]
        for d in docs:
            geoparse(d, gazetteer=gaz, prior=prior)
        best = given = math.inf
        for _ in range(2):
            t0 = time.process_time()
            for d in docs:
                geoparse(d, gazetteer=gaz, prior=prior)
            best = min(best, time.process_time() - t0)
            t0 = time.process_time()
            for d, sp in zip(docs, spans, strict=True):
                geoparse(d, gazetteer=gaz, prior=prior, sentences=sp)
            given = min(given, time.process_time() - t0)
        nbytes = sum(len(d.encode()) for d in docs)
        out.append((label, len(docs), nbytes / 1e6, nbytes / 3500 / best, nbytes / 3500 / given))
    return out


#: One single-line article just under the 10 MB input limit, three ways: one run of
#: capitalized words, a list of names (a mention each), sentences of one name each.
LONG_LINES = ("Kherson ", "Kherson, ", "Kherson. ")
LONG_LINE_BYTES = 9_900_000


def long_line(unit: str, nbytes: int = LONG_LINE_BYTES) -> tuple[float, int, float]:
    """Geoparse *unit* repeated to *nbytes* on one line, in a fresh process.

    Returns (CPU seconds, mentions, peak resident MB of that process).
    """
    import subprocess

    code = (
        "import resource, sys, time\n"
        "from frontline.gazetteer import Gazetteer\n"
        "from frontline.geoparse import geoparse\n"
        "gaz = Gazetteer.load(); geoparse('Kyiv.', gazetteer=gaz)\n"
        f"text = {unit!r} * ({nbytes} // {len(unit)})\n"
        "t = time.process_time(); n = len(geoparse(text, gazetteer=gaz))\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(time.process_time() - t, n, rss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), int(out[1]), float(out[2])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", nargs="*", default=list(CORPORA))
    ap.add_argument(
        "--prior",
        choices=("domain", "neutral"),
        default="neutral",
        help="country prior for the global corpora (default: neutral)",
    )
    ap.add_argument("--no-cir", action="store_true")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument(
        "--no-long-line",
        action="store_true",
        help="skip the 10 MB single-line articles (about a minute)",
    )
    ap.add_argument(
        "--demonyms",
        action="store_true",
        help="also score the opt-in mode that lists demonyms as toponyms",
    )
    ap.add_argument(
        "--errors",
        type=int,
        default=0,
        metavar="N",
        help="print the N commonest misses, false alarms and far resolutions",
    )
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
        print(f"{corpus} ({args.prior} prior)")
        res, elapsed, nbytes = run_corpus(corpus, gaz, prior, errors=args.errors)
        total_bytes += nbytes
        total_time += elapsed
        print(_fmt(res, "Frontline"))
        if args.demonyms:
            res, _, _ = run_corpus(corpus, gaz, prior, demonyms=True, errors=args.errors)
            print(_fmt(res, "Frontline+dem."))
        for row in sorted(
            (r for r in published if r["corpus"] == corpus),
            key=lambda r: -(r.get("f1") or r.get("accuracy") or 0),
        ):
            print(_fmt(row, row["system"]))
    if total_time:
        per_core = total_bytes / 3500 / total_time
        print(
            f"\nfirst pass over the corpora (cold caches, wall clock): {per_core:,.0f} "
            f"articles of 3.5 KB per second ({total_bytes / 1e6:.1f} MB in {total_time:.1f} s)"
        )
    if not args.no_speed:
        for label, n, mb, rate, given in speed(gaz, prior):
            print(
                f"speed, {label} ({n} articles, {mb:.1f} MB, warm, CPU time): "
                f"{rate:,.0f} articles of 3.5 KB per second per core; {given:,.0f} with "
                f"the sentence spans given (as in the pipeline)"
            )
    if not args.no_long_line:
        for unit in LONG_LINES:
            seconds, n, rss = long_line(unit)
            print(
                f"one {LONG_LINE_BYTES / 1e6:.1f} MB single-line article of {unit!r}: "
                f"{seconds:.1f} s CPU, {n:,} mentions, peak {rss:,.0f} MB resident"
            )
    if not args.no_cir and (EVAL / "ukraine" / "cir_toponyms_2022H1.jsonl").exists():
        r = cir(gaz, DEFAULT_PRIOR)
        print(
            f"\nCIR Ukrainian toponyms (domain prior): n {r['n']}  recognized "
            f"{r['recognized']:.3f}  acc@10km {r['acc10']:.3f}  acc@161km {r['acc161']:.3f}"
        )
        print("  first misses: " + "; ".join(r["misses"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
