"""Throughput benchmark: `frontline events` end to end, parallel, cached and streamed.

Builds a corpus from ../shared/eval/ukraine/zelenskyy_press_releases.csv (980 press
releases, ~3.3 KB each) replicated to ``--articles`` articles (each copy its own article
id), written to a temporary JSON Lines file that is deleted afterwards, and measures, side
by side in one run:

* ``frontline events`` with 1 and 2 jobs (no cache): articles/s and peak RSS of the whole
  process tree (main process plus workers, sampled every 0.1 s);
* a first run with an empty cache, then a rerun with 1% new articles: the speed-up;
* a naive baseline pipeline (``geotext`` for places, ``dateparser.search.search_dates`` for
  dates) on a sample of the same articles, in one process, against Frontline's in-process
  stages on the same sample;
* peak RSS on a ``--stream-articles`` stream (100,000 by default), and the peak PSS of
  each 10,000 articles of the same stream made in process through ``pipeline.run_inputs``
  (events kept, as the command keeps them for its table, and results dropped): flat
  memory means the pipeline holds nothing per article once its result is passed on;
* time per article of each stage (in-process), to show where the time goes;
* the start-up of a cached run (``--startup``, also part of the full run): what a
  ``frontline events`` on 20 cached articles spends on the interpreter, on imports and
  on the work, for a CSV and a GeoParquet output.

Usage::

    python benchmarks/throughput_bench.py [--articles 20000] [--stream-articles 100000]
        [--baseline-sample 40] [--skip-stream | --only-stream | --startup]

Skips with a message when ../shared/eval is absent (set FRONTLINE_EVAL to point elsewhere).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = Path(os.environ.get("FRONTLINE_EVAL", ROOT.parent / "shared" / "eval"))
CORPUS = EVAL / "ukraine" / "zelenskyy_press_releases.csv"


# ------------------------------------------------------------------------------ corpus


def read_rows() -> list[dict[str, str]]:
    """The press releases as article records (id from the row number)."""
    csv.field_size_limit(1 << 30)
    rows = []
    with open(CORPUS, encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            rows.append(
                {
                    "id": f"z{i:04d}",
                    "title": row["headline"],
                    "published": row["date"],
                    "source": "president.gov.ua",
                    "url": row["link"],
                    "text": row["body"],
                }
            )
    return rows


def replicate(
    rows: list[dict[str, str]], n: int, *, tag: str = "", shift: bool = False
) -> Iterator[dict[str, str]]:
    """*n* records: the rows over and over, each copy with its own id.

    With *shift*, copy ``c`` is also published ``c`` days later, so that its events on
    relative days ("on Tuesday", "yesterday") fall on other days than the first copy's
    and are not merged with them: the table grows with the stream, as a real one does.
    """
    for k in range(n):
        row = rows[k % len(rows)]
        copy = k // len(rows)
        record = {**row, "id": f"{row['id']}-c{copy:03d}{tag}"}
        if shift and copy:
            published = dt.datetime.fromisoformat(row["published"]) + dt.timedelta(days=copy)
            record["published"] = published.strftime("%Y-%m-%dT%H:%M:%SZ")
        yield record


def write_jsonl(path: Path, records: Iterator[dict[str, str]]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


# ------------------------------------------------------------------------- measuring


class TreeRSS:
    """Peak resident memory of a process and all its descendants, summed, sampled.

    Two sums: RSS counts a page shared by forked workers once per process (it overstates
    what the tree uses); PSS (Linux) splits each shared page between its processes, so
    it adds up to the memory really taken. It also keeps the CPU time of the main process
    alone (its workers excluded) as last sampled: a lower bound, short by at most one
    sampling interval of its work.

    RSS is cheap to read and sampled every *interval*; PSS makes the kernel walk every
    mapping (about 9 CPU ms for a run's process tree), so it is read every *pss_every*
    samples only: at every sample it would take a tenth of a core from the run measured.
    """

    def __init__(self, pid: int, interval: float = 0.1, pss_every: int = 10) -> None:
        import psutil

        self.proc = psutil.Process(pid)
        self.peak = 0
        self.peak_pss = 0
        self.main_cpu = 0.0
        self.interval = interval
        self.pss_every = pss_every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        import psutil

        tick = 0
        while not self._stop.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                with_pss = tick % self.pss_every == 0
                total = pss = 0
                for p in procs:
                    try:
                        if with_pss:
                            info = p.memory_full_info()
                            pss += getattr(info, "pss", 0)
                        else:
                            info = p.memory_info()
                        total += info.rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
                self.peak_pss = max(self.peak_pss, pss)
                cpu = self.proc.cpu_times()
                self.main_cpu = cpu.user + cpu.system
            except psutil.Error:
                return
            tick += 1
            self._stop.wait(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak

    def take_peak_pss(self) -> int:
        """The peak PSS since the last call (or the start), then start again."""
        peak, self.peak_pss = self.peak_pss, 0
        return peak


class CommandTable:
    """The events of a stream collected as ``frontline events`` collects them (in a
    :class:`frontline.spill.EventSpill`), and its table written as it writes it (merged,
    as CSV, row by row)."""

    def __init__(self) -> None:
        from frontline.spill import EventSpill

        self.spill = EventSpill()

    def add(self, events: list) -> None:
        self.spill.add(events)

    def write(self, path: Path) -> None:
        from frontline.event_table import TableWriter

        with TableWriter(path, helper=False) as writer:
            writer.write_events(self.spill.events(), repeats=self.spill.repeated_ids())
        self.spill.close()


def stream_memory(
    path: Path, m: int, out: Path, *, step: int = 10_000, keep_events: bool
) -> tuple[list[int], int]:
    """Peak PSS of this process and its workers for each *step* articles of *path*,
    processed in process through ``pipeline.run_inputs`` with 2 jobs and no cache, and
    the peak while the table is made and written to *out* (0 without *keep_events*).

    With *keep_events* the events are kept as ``frontline events`` keeps them for its
    table (:class:`CommandTable`); without, each result is dropped once counted.
    """
    from frontline.pipeline import RunOptions, run_inputs

    watch = TreeRSS(os.getpid(), interval=0.5, pss_every=1)
    table = CommandTable() if keep_events else None
    peaks = []
    try:
        for i, r in enumerate(
            run_inputs(path, RunOptions(jobs=2), details=False, errors="record"), start=1
        ):
            if table is not None:
                table.add(r.events)
            if i % step == 0 or i == m:
                time.sleep(0.6)  # one more sample of this stretch
                peaks.append(watch.take_peak_pss())
        if table is None:
            return peaks, 0
        table.write(out)
        time.sleep(0.6)
        return peaks, watch.take_peak_pss()
    finally:
        watch.stop()


def stream_memory_apart(
    path: Path, m: int, out: Path, *, step: int, keep_events: bool
) -> tuple[list[int], int]:
    """:func:`stream_memory` in a fresh interpreter, so that one measure does not start
    from what another left in this process's heap."""
    cmd = [sys.executable, __file__, "--stream-memory", str(path), str(out)]
    cmd += ["--stream-articles", str(m), "--stream-step", str(step)]
    if not keep_events:
        cmd.append("--drop-results")
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    peaks, written = json.loads(done.stdout.strip().splitlines()[-1])
    return peaks, written


def frontline_events(inputs: Path, output: Path, *extra: str) -> dict[str, float]:
    """Run ``frontline events`` in a subprocess: wall and CPU time, peak tree RSS, rows.

    CPU time (user + system, of the process and every worker it waited for) does not
    depend on what else the machine runs; wall time does.
    """
    cmd = [
        sys.executable,
        "-m",
        "frontline",
        "events",
        str(inputs),
        "-o",
        str(output),
        "-q",
        *extra,
    ]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT
    )
    watch = TreeRSS(proc.pid)
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    peak = watch.stop()
    peak_pss = watch.peak_pss
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if proc.returncode not in (0, 1):  # 1: some articles failed, the rest was written
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {err.decode()[-2000:]}")
    failed = sum(1 for line in err.decode().splitlines() if "processing failed" in line)
    rows = 0
    if output.suffix == ".parquet" and output.exists():
        import pyarrow.parquet as pq

        rows = pq.ParquetFile(output).metadata.num_rows
    elif output.suffix == ".csv" and output.exists():
        with output.open(encoding="utf-8", newline="") as f:
            rows = sum(1 for _ in csv.reader(f)) - 1
    return {
        "seconds": wall,
        "cpu": cpu,
        "main_cpu": watch.main_cpu,
        "peak_rss": peak,
        "peak_pss": peak_pss,
        "events": rows,
        "failed": failed,
    }


def api_rerun(
    rows: list[dict[str, str]], n: int, new: int, work: Path, cache: Path
) -> tuple[float, int]:
    """Wall seconds of an in-process rerun over the cache the command filled: the corpus
    file grown in place by another 1% (new wire copy appended), read through
    ``pipeline.run_inputs`` as the command does."""
    from frontline.cache import ResultCache, cache_version
    from frontline.gazetteer import Gazetteer
    from frontline.pipeline import run_inputs

    grown = work / "grown.jsonl"
    with grown.open("a", encoding="utf-8") as f:
        for r in replicate(rows, new, tag="-new2"):
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    gaz = Gazetteer.load()
    with ResultCache(cache, version=cache_version(gaz)) as store:
        t0 = time.perf_counter()
        processed = sum(
            1
            for r in run_inputs(
                grown, gazetteer=gaz, cache=store, jobs=2, details=False, errors="record"
            )
            if not r.cached
        )
        return time.perf_counter() - t0, processed


def articles_of(records: list[dict[str, str]]):
    from frontline.articles import Article, parse_published

    return [
        Article(
            r["id"],
            r["text"],
            title=r["title"],
            published=parse_published(r["published"]),
            source=r["source"],
            url=r["url"],
        )
        for r in records
    ]


def baseline_rate(sample, warmup, *, english: bool) -> tuple[float, int, int]:
    """The naive pipeline: geotext places + dateparser's search_dates, one process.

    Articles per CPU second, after a warm-up. ``english=True`` tells dateparser the
    language (much faster); otherwise it detects it, as in dateparser's first example.
    """
    from dateparser.search import search_dates
    from geotext import GeoText

    options = {"languages": ["en"]} if english else {}

    def one(a) -> tuple[int, int]:
        settings = {"RELATIVE_BASE": _midnight(a.published)} if a.published else {}
        found = search_dates(a.text, settings=settings, **options) or []
        return len(GeoText(a.text).cities), len(found)

    for a in warmup:
        one(a)
    places = dates = 0
    t0 = time.process_time()
    for a in sample:
        p, d = one(a)
        places += p
        dates += d
    return len(sample) / (time.process_time() - t0), places, dates


def _midnight(d):
    import datetime as dt

    return dt.datetime(d.year, d.month, d.day)


def stage_profile(sample, warmup) -> tuple[dict[str, float], int]:
    """CPU milliseconds per article spent in each stage, in this process, after a warm-up."""
    from frontline.events import extract_events
    from frontline.gazetteer import Gazetteer
    from frontline.geoparse import geoparse
    from frontline.sentences import split_sentences
    from frontline.timex import date_sentences, tag

    gaz = Gazetteer.load()
    for a in warmup:  # lazy indexes and caches are built on first use: the same calls as below
        spans = split_sentences(a.text)
        timexes = tag(a.text, a.published)
        extract_events(
            a,
            geoparse(a, gazetteer=gaz, sentences=spans),
            date_sentences(a.text, a.published, sentences=spans, timexes=timexes),
        )
    clock = time.process_time
    spent = dict.fromkeys(
        ("split_sentences", "geoparse", "timex.tag", "date_sentences", "extract_events"), 0.0
    )
    failed = 0
    for a in sample:
        t0 = clock()
        spans = split_sentences(a.text)
        t1 = clock()
        try:
            mentions = geoparse(a, gazetteer=gaz, sentences=spans)
        except Exception:  # counted and shown: the benchmark measures speed, not bugs
            failed += 1
            mentions = []
        t2 = clock()
        timexes = tag(a.text, a.published)
        t3 = clock()
        dated = date_sentences(a.text, a.published, sentences=spans, timexes=timexes)
        t4 = clock()
        try:
            extract_events(a, mentions, dated)
        except Exception:
            failed += 1
        t5 = clock()
        for key, dt_ in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
            spent[key] += dt_
    return {k: 1000 * v / len(sample) for k, v in spent.items()}, failed


def cpu_of(cmd: list[str], *, repeat: int = 5) -> float:
    """The least CPU time (user + system) of *repeat* runs of *cmd*: the noise of a shared
    machine only ever adds time."""
    best = float("inf")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT, check=True
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime))
    return best


def startup_breakdown(rows: list[dict[str, str]], work: Path) -> None:
    """Where a cached ``frontline events`` run on 20 articles spends its CPU time."""
    corpus = work / "small.jsonl"
    write_jsonl(corpus, replicate(rows, 20))
    cache = work / "small-cache"
    py = sys.executable

    def events(ext: str) -> list[str]:
        return [
            py,
            "-m",
            "frontline",
            "events",
            str(corpus),
            "-o",
            str(work / f"small.{ext}"),
            "-q",
            "--cache-dir",
            str(cache),
        ]

    subprocess.run(
        events("csv"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, check=True
    )  # fills the cache
    steps = [
        ("`python -c pass`: the interpreter", [py, "-c", "pass"]),
        (
            "`import frontline.cli`: typer, rich, the stage modules",
            [py, "-c", "import frontline.cli"],
        ),
        (
            "the same and `Gazetteer.load()` (needed only when some article is not cached)",
            [
                py,
                "-c",
                "import frontline.cli; from frontline.gazetteer import Gazetteer; Gazetteer.load()",
            ],
        ),
        (
            "the second and `import pandas, geopandas` (needed for .geojson, .gpkg and "
            ".parquet outputs, not for .csv)",
            [py, "-c", "import frontline.cli, pandas, geopandas"],
        ),
        ("`frontline events` on 20 cached articles -> .csv", events("csv")),
        ("`frontline events` on 20 cached articles -> .parquet", events("parquet")),
    ]
    print("\n## Start-up of a cached run (CPU s, least of 5 runs)\n")
    print("| command | CPU s |")
    print("|---|---:|")
    for name, cmd in steps:
        print(f"| {name} | {cpu_of(cmd):.2f} |")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        import psutil

        mem = f", {psutil.virtual_memory().total / 2**30:.0f} GB RAM"
    except ImportError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{cpu}, {cores} cores available{mem}; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}"
    )


def mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB"


# ------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--stream-articles", type=int, default=100_000)
    ap.add_argument("--stream-step", type=int, default=10_000, help="articles per memory sample")
    ap.add_argument("--baseline-sample", type=int, default=40)
    ap.add_argument("--skip-stream", action="store_true")
    ap.add_argument(
        "--only-stream",
        action="store_true",
        help="only the streaming run (peak memory at --stream-articles)",
    )
    ap.add_argument(
        "--startup",
        action="store_true",
        help="only the start-up break-down of a cached run (~30 s)",
    )
    ap.add_argument("--stream-memory", nargs=2, type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--drop-results", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.stream_memory:  # one in-process measure, for stream_memory_apart
        source, out = args.stream_memory
        found = stream_memory(
            source,
            args.stream_articles,
            out,
            step=args.stream_step,
            keep_events=not args.drop_results,
        )
        print(json.dumps(found))
        return 0
    if not CORPUS.is_file():
        print(f"skipped: {CORPUS} not found (set FRONTLINE_EVAL to the eval folder)")
        return 0
    try:
        import psutil  # noqa: F401
    except ImportError:
        print("skipped: psutil is needed to measure memory (pip install psutil)")
        return 0

    rows = read_rows()
    if args.startup:
        print(f"Machine: {machine()}")
        work = Path(tempfile.mkdtemp(prefix="frontline-bench-"))
        try:
            startup_breakdown(rows, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return 0
    n = args.articles
    new = max(1, n // 100)
    print("# Throughput: `frontline events` end to end\n")
    print(f"Machine: {machine()}")
    print(
        f"Corpus: {CORPUS.name} ({len(rows)} press releases, "
        f"{sum(len(r['text']) for r in rows) / len(rows) / 1000:.1f} kB of text each) "
        f"replicated to {args.stream_articles if args.only_stream else n:,} articles, as "
        "one JSON Lines file.\n"
    )

    work = Path(tempfile.mkdtemp(prefix="frontline-bench-"))
    try:
        if not args.only_stream:
            measure_runs(rows, n, new, work, args.baseline_sample)
            startup_breakdown(rows, work)
        if not args.skip_stream:
            measure_stream(rows, args.stream_articles, work, args.stream_step)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        print(f"\nLargest single process seen: {mb(kids)}.")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def measure_stream(rows: list[dict[str, str]], m: int, work: Path, step: int = 10_000) -> None:
    """Peak memory streaming *m* distinct articles (each copy published a day later than
    the one before, see :func:`replicate`): ``frontline events`` on the first *step* and
    on all *m*, and in process, per *step* articles."""
    load = os.getloadavg()[0]
    big = work / "stream.jsonl"
    first = work / "stream-first.jsonl"
    write_jsonl(big, replicate(rows, m, shift=True))
    write_jsonl(first, replicate(rows, min(step, m), shift=True))
    print(
        f"\n## Streaming {m:,} distinct articles ({big.stat().st_size / 2**20:,.0f} MB of "
        "JSON Lines)\n"
    )
    print(
        "Each copy of the press releases is published one day after the copy before, so "
        "its events on relative days are events of other days, and the table grows with "
        f"the stream. Load average before the runs: {load:.1f} (on {os.cpu_count()} cores)."
        "\n"
    )
    print(
        "| `frontline events`, 2 jobs, no cache | articles | wall s | articles/s | CPU s | "
        "peak RSS (tree) | peak PSS (tree) | event rows |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, source, n, output in (
        ("-> events.csv", first, min(step, m), "events.csv"),
        ("-> events.csv", big, m, "events.csv"),
        ("-> events.parquet", big, m, "events.parquet"),
    ):
        r = frontline_events(source, work / output, "--jobs", "2", "--no-cache")
        print(
            f"| {label} | {n:,} | {r['seconds']:.0f} | {n / r['seconds']:,.0f} | "
            f"{r['cpu']:.0f} | {mb(r['peak_rss'])} | {mb(r['peak_pss'])} | {r['events']:,} |"
        )
    kept, written = stream_memory_apart(
        big, m, work / "in-process.csv", step=step, keep_events=True
    )
    dropped, _ = stream_memory_apart(big, m, work / "unused.csv", step=step, keep_events=False)
    print(
        f"\nPeak PSS of the process tree for each {step:,} articles of the same stream, in "
        "process (`pipeline.run_inputs`, 2 jobs, no cache):\n"
    )
    print("| articles | events collected as the command collects them | results dropped |")
    print("|---:|---:|---:|")
    for i, (a, b) in enumerate(zip(kept, dropped, strict=True), start=1):
        print(f"| {min(i * step, m):,} | {mb(a)} | {mb(b)} |")
    print(f"| then the merged table made and written as CSV | {mb(written)} | |")
    print(
        f"\nGrowth per {step:,} articles after the first {step:,}: "
        f"{mb((kept[-1] - kept[0]) / max(1, len(kept) - 1))} with the events kept, "
        f"{mb((dropped[-1] - dropped[0]) / max(1, len(dropped) - 1))} without."
    )


def measure_runs(
    rows: list[dict[str, str]], n: int, new: int, work: Path, baseline_sample: int
) -> None:
    """The side-by-side runs, the baseline and the stage profile."""
    load = os.getloadavg()[0]
    corpus = work / "corpus.jsonl"
    write_jsonl(corpus, replicate(rows, n))
    grown = work / "grown.jsonl"
    write_jsonl(
        grown, (r for part in (replicate(rows, n), replicate(rows, new, tag="-new")) for r in part)
    )
    out = work / "events.parquet"

    runs = {}
    runs["1 job, no cache"] = frontline_events(corpus, out, "--jobs", "1", "--no-cache")
    runs["2 jobs, no cache"] = frontline_events(corpus, out, "--jobs", "2", "--no-cache")
    cache = work / "cache"
    runs["2 jobs, empty cache (first run)"] = frontline_events(
        corpus, out, "--jobs", "2", "--cache-dir", str(cache)
    )
    runs[f"2 jobs, rerun with {new:,} new articles (1%)"] = frontline_events(
        grown, out, "--jobs", "2", "--cache-dir", str(cache)
    )
    sizes = {k: n for k in runs}
    sizes[f"2 jobs, rerun with {new:,} new articles (1%)"] = n + new

    print(
        f"Load average before the runs: {load:.1f} (on "
        f"{os.cpu_count()} cores; above the core count, wall times are inflated).\n"
    )
    print(
        "| run | articles | wall s | articles/s | CPU s | of which main process | "
        "articles per CPU s | peak RSS (tree) | peak PSS (tree) | event rows | "
        "failed articles |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in runs.items():
        print(
            f"| {name} | {sizes[name]:,} | {r['seconds']:.1f} | "
            f"{sizes[name] / r['seconds']:,.0f} | {r['cpu']:.1f} | "
            f"{r['main_cpu']:.1f} | "
            f"{sizes[name] / r['cpu']:,.0f} | {mb(r['peak_rss'])} | {mb(r['peak_pss'])} | "
            f"{r['events']:,} | {r['failed']:,} |"
        )
    first = runs["2 jobs, empty cache (first run)"]["seconds"]
    rerun = runs[f"2 jobs, rerun with {new:,} new articles (1%)"]["seconds"]
    one = n / runs["1 job, no cache"]["seconds"]
    two = n / runs["2 jobs, no cache"]["seconds"]
    first_cpu = runs["2 jobs, empty cache (first run)"]["cpu"]
    rerun_cpu = runs[f"2 jobs, rerun with {new:,} new articles (1%)"]["cpu"]
    api, processed = api_rerun(rows, n, new, work, cache)
    print(f"\nSpeed-up with 2 jobs: {two / one:.2f}x (wall).\n")
    print(f"### Incremental rerun: {n:,} articles, then the same with {new:,} new (1%)\n")
    print("| measure | first run | rerun | ratio (target >= 50x) |")
    print("|---|---:|---:|---:|")
    for label, a, b in (
        ("`frontline events`, wall s", first, rerun),
        ("`frontline events`, CPU s", first_cpu, rerun_cpu),
        (
            f"in process (`pipeline.run_inputs`, imports done, the file grown "
            f"in place by another {new:,}), wall s",
            first,
            api,
        ),
    ):
        print(
            f"| {label} | {a:.2f} | {b:.2f} | **{a / b:.1f}x** "
            f"({'met' if a / b >= 50 else 'not met'}) |"
        )
    print(f"\nThe in-process rerun processed {processed:,} articles.")
    cache_db = cache / "results.sqlite"
    if cache_db.exists():
        print(f"Cache size: {mb(cache_db.stat().st_size)} for {n + new:,} articles.")

    # Baseline, side by side on the same sample, one process each, in CPU time.
    warmup = articles_of(rows[-3:])
    sample = articles_of(rows[:baseline_sample])
    tuned, bplaces, bdates = baseline_rate(sample, warmup, english=True)
    slow_sample = sample[: max(5, baseline_sample // 4)]
    naive, _, _ = baseline_rate(slow_sample, warmup[:1], english=False)
    stages, failed = stage_profile(sample, warmup)
    ours = 1000 / sum(stages.values())
    one_cpu = n / runs["1 job, no cache"]["cpu"]
    print(f"\n## Baseline (one process, {len(sample)} of the same articles, CPU time)\n")
    print("| pipeline | articles per CPU s |")
    print("|---|---:|")
    print(f"| naive: geotext + search_dates(text) ({len(slow_sample)} articles) | {naive:.2f} |")
    print(
        f"| naive, told the language: geotext + search_dates(text, languages=['en']) "
        f"({bplaces} places, {bdates} dates) | {tuned:.2f} |"
    )
    print(f"| Frontline stages, in process | {ours:.1f} |")
    print(f"| Frontline `events`, 1 job, end to end | {one_cpu:.1f} |")
    print(
        f"\nRatio to the baseline (target >= 20x), Frontline end to end with 1 job: "
        f"{one_cpu / naive:.0f}x the naive pipeline, {one_cpu / tuned:.1f}x the one told "
        f"the language; with 2 jobs in wall time: {two / naive:.0f}x and {two / tuned:.1f}x "
        "the one-process baselines."
    )

    # Over every distinct article of the corpus, not the baseline's sample: the
    # replicated corpus is these articles over and over, so this is the mean the end
    # to end runs pay (the first few articles are not typical of the rest).
    everything = articles_of(rows)
    stages, failed = stage_profile(everything, warmup)
    print(f"\n## Where the time goes (in process, all {len(everything)} distinct articles)\n")
    print("| stage | CPU ms/article | share |")
    print("|---|---:|---:|")
    total = sum(stages.values())
    for k, v in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"| {k} | {v:.2f} | {100 * v / total:.0f}% |")
    print(f"| total | {total:.2f} | {1000 / total:.0f} articles/s per core |")
    if failed:
        print(f"\n{failed} stage call(s) raised on this sample (counted in the timings).")
    for name in ("1 job, no cache", "2 jobs, no cache"):
        r = runs[name]
        print(
            f"\n`frontline events`, {name}: {1000 * r['cpu'] / n:.2f} CPU ms per article "
            f"({1000 * r['main_cpu'] / n:.2f} in the main process); the stages take "
            f"{total:.2f}, the rest (start-up, imports, gazetteer, warm-up, reading, "
            f"moving results, table, file) {1000 * r['cpu'] / n - total:.2f}."
        )


if __name__ == "__main__":
    sys.exit(main())
