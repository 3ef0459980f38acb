"""Cache benchmark: what writing and reading one article's cached results costs.

Runs every stage once on the 980 press releases of
../shared/eval/ukraine/zelenskyy_press_releases.csv, then measures, per article and in CPU
time (the least of five passes over all of them):

* encoding the results as the cache stores them (``cache.encode_result``: the events part,
  and the details part compressed), which each worker does for each new article;
* decoding the events part (every rerun) and the details part (``places``, ``dates``,
  ``review`` and the API with details);
* the bytes of each part;

beside pickle (protocol 5, the details compressed the same way) as a yardstick: the cache
held pickles until issue 18, and must hold data only now. With ``--against SRC`` the same
measures run again with the package imported from SRC (an export of another branch, such
as ``git archive main | tar -x -C /tmp/main``, then ``--against /tmp/main/src``), one after
the other in fresh interpreters, so the two are side by side.

With ``--end-to-end N``, also ``frontline events`` (2 jobs) on the press releases
replicated to N articles, without the cache and then filling an empty one, for each
checkout in turn: what the cache adds to a first run, in CPU time (which the machine's
other work changes little) and in wall time.

Usage::

    python benchmarks/cache_bench.py [--against SRC] [--rounds 2] [--end-to-end 20000]

Skips with a message when ../shared/eval is absent (set FRONTLINE_EVAL to point elsewhere).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import pickle
import subprocess
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = Path(os.environ.get("FRONTLINE_EVAL", ROOT.parent / "shared" / "eval"))
CORPUS = EVAL / "ukraine" / "zelenskyy_press_releases.csv"


def results() -> list:
    """Every stage's results for each press release."""
    from frontline.articles import Article, parse_published
    from frontline.gazetteer import Gazetteer
    from frontline.pipeline import process_article

    csv.field_size_limit(1 << 30)
    with open(CORPUS, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    gazetteer = Gazetteer.load()
    return [
        process_article(
            Article(
                f"z{i:04d}",
                row["body"],
                title=row["headline"],
                published=parse_published(row["date"]),
                url=row["link"],
            ),
            gazetteer=gazetteer,
        )
        for i, row in enumerate(rows)
    ]


def per_article(fn, n: int, repeat: int = 5) -> float:
    """CPU ms per article of *fn* (one pass over *n* articles), the least of *repeat*."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return 1000 * best / n


def measure() -> dict[str, float]:
    """The measures, with the package this interpreter imports."""
    from frontline import cache

    found = results()
    n = len(found)

    def encode() -> list:
        return [
            cache.encode_result(
                r.mentions, r.timexes, r.sentences, r.events, r.warnings, origin=r.article.origin
            )
            for r in found
        ]

    def pickled() -> list:
        return [
            (
                pickle.dumps((r.events, r.warnings), 5),
                zlib.compress(pickle.dumps((r.mentions, r.timexes, r.sentences), 5), 1),
            )
            for r in found
        ]

    ours, theirs = encode(), pickled()
    for r, (events, detail) in zip(found, ours, strict=True):  # (and it reads back exactly)
        assert cache.decode_events(events)[0] == r.events
        assert cache.decode_detail(detail) == (r.mentions, r.timexes, r.sentences)
    return {
        "encode": per_article(encode, n),
        "decode events": per_article(lambda: [cache.decode_events(e) for e, _ in ours], n),
        "decode details": per_article(lambda: [cache.decode_detail(d) for _, d in ours], n),
        "events bytes": sum(len(e) for e, _ in ours) / n,
        "details bytes": sum(len(d) for _, d in ours) / n,
        "pickle encode": per_article(pickled, n),
        "pickle decode events": per_article(lambda: [pickle.loads(e) for e, _ in theirs], n),
        "pickle decode details": per_article(
            lambda: [pickle.loads(zlib.decompress(d)) for _, d in theirs], n
        ),
        "pickle events bytes": sum(len(e) for e, _ in theirs) / n,
        "pickle details bytes": sum(len(d) for _, d in theirs) / n,
    }


def measured_with(src: str | None) -> dict[str, float]:
    """:func:`measure` in a fresh interpreter, importing the package from *src* if given."""
    env = {**os.environ, "PYTHONPATH": src or ""}
    done = subprocess.run(
        [sys.executable, __file__, "--measure"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


ROWS = (
    ("encode both parts (each new article, in a worker)", "encode", "ms"),
    ("decode the events part (every rerun)", "decode events", "ms"),
    ("decode the details part (places, dates, review)", "decode details", "ms"),
    ("events part", "events bytes", "B"),
    ("details part (compressed)", "details bytes", "B"),
)


def end_to_end(n: int, checkouts: list[tuple[str, str | None]], rounds: int) -> None:
    """``frontline events`` without the cache, then filling an empty one, per checkout."""
    import shutil
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import throughput_bench as tb

    work = Path(tempfile.mkdtemp(prefix="frontline-cache-bench-"))
    saved = os.environ.get("PYTHONPATH")
    print(f"\n## `frontline events`, 2 jobs, {n:,} articles: no cache, then an empty cache\n")
    print(
        "| checkout | load | no cache: wall s, CPU s | empty cache: wall s, CPU s | ratio, CPU | ratio, wall |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    try:
        corpus = work / "corpus.jsonl"
        tb.write_jsonl(corpus, tb.replicate(tb.read_rows(), n))
        for round_ in range(rounds):
            for name, src in checkouts if round_ % 2 == 0 else checkouts[::-1]:
                os.environ["PYTHONPATH"] = src or ""
                load = os.getloadavg()[0]
                out = work / "events.parquet"
                bare = tb.frontline_events(corpus, out, "--jobs", "2", "--no-cache")
                cache = work / f"cache-{round_}-{len(name)}"
                filled = tb.frontline_events(corpus, out, "--jobs", "2", "--cache-dir", str(cache))
                shutil.rmtree(cache, ignore_errors=True)
                print(
                    f"| {name} | {load:.1f} | {bare['seconds']:.1f}, {bare['cpu']:.1f} | "
                    f"{filled['seconds']:.1f}, {filled['cpu']:.1f} | "
                    f"{filled['cpu'] / bare['cpu']:.2f}x | {filled['seconds'] / bare['seconds']:.2f}x |",
                    flush=True,
                )
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", help="the src folder of another checkout to compare with")
    ap.add_argument("--rounds", type=int, default=1, help="measures of each, alternated")
    ap.add_argument("--end-to-end", type=int, default=0, metavar="N", help="articles")
    ap.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if not CORPUS.is_file():
        print(f"skipped: {CORPUS} not found (set FRONTLINE_EVAL to the eval folder)")
        return 0
    if args.measure:
        print(json.dumps(measure()))
        return 0
    names = ["this checkout"] + ([args.against] if args.against else [])
    sources = [None] + ([args.against] if args.against else [])
    found: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    loads = []
    for round_ in range(args.rounds):
        order = list(zip(names, sources, strict=True))
        for name, src in order if round_ % 2 == 0 else order[::-1]:
            loads.append(os.getloadavg()[0])
            found[name].append(measured_with(src))
    best = {name: {k: min(m[k] for m in runs) for k in runs[0]} for name, runs in found.items()}
    print("# Cache: writing and reading one article's results\n")
    print(
        f"980 press releases, CPU ms per article (least of 5 passes, {args.rounds} "
        f"round(s)); load average {min(loads):.1f} to {max(loads):.1f} on "
        f"{os.cpu_count()} cores.\n"
    )
    head = " | ".join(f"{name} | pickle, same run" for name in names)
    print(f"| measure | {head} |")
    print("|---" + "|---:" * (2 * len(names)) + "|")
    for label, key, unit in ROWS:
        cells = []
        for name in names:
            ours, theirs = best[name][key], best[name][f"pickle {key}"]
            value = f"{ours:.3f} ms" if unit == "ms" else f"{ours:,.0f} B"
            other = f"{theirs:.3f} ms" if unit == "ms" else f"{theirs:,.0f} B"
            cells.append(f"{value} ({ours / theirs:.2f}x pickle) | {other}")
        print(f"| {label} | {' | '.join(cells)} |")
    if args.against:
        print(f"\nThis checkout against {args.against}:")
        for label, key, _ in ROWS:
            ratio = best[names[0]][key] / best[names[1]][key]
            print(f"* {label}: {ratio:.2f}x")
    if args.end_to_end:
        end_to_end(args.end_to_end, list(zip(names, sources, strict=True)), args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
