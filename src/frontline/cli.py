"""The ``frontline`` command line: a thin layer that parses options and calls the library.

Exit codes: 0 when every input was read, 1 when some inputs failed (the rest were
processed), 2 when nothing usable was read or the command itself could not run.
"""

from __future__ import annotations

import csv
import enum
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .articles import DEFAULT_MAX_BYTES
from .errors import FrontlineError

app = typer.Typer(
    name="frontline",
    help="Turn war reporting into a dated, geocoded event table and a time-slider map.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)

Inputs = Annotated[list[Path], typer.Argument(help="Article files or folders.",
                                              show_default=False)]
GazetteerOpt = Annotated[list[Path] | None, typer.Option(
    "--gazetteer", help="Your own gazetteer CSV (name, latitude, longitude, kind, "
    "country_code[, alt_names, admin1]); its entries take precedence. Repeatable.")]
JobsOpt = Annotated[int | None, typer.Option("--jobs", "-j", min=1,
                                             help="Worker processes (default: all cores).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Only print errors.")]
MaxBytesOpt = Annotated[int, typer.Option(
    "--max-bytes", min=1, help="Largest article (file or row) to read, in bytes; larger ones "
    "are reported and skipped.")]
CacheOpt = Annotated[bool, typer.Option(
    "--cache/--no-cache", help="Reuse the results of articles already processed with the "
    "same gazetteer and version (only new or changed articles are processed).")]
CacheDirOpt = Annotated[Path | None, typer.Option(
    "--cache-dir", help="Cache folder (default: $FRONTLINE_CACHE_DIR, else "
    "$XDG_CACHE_HOME/frontline, else ~/.cache/frontline).", show_default=False)]


class Engine(enum.StrEnum):
    """Where the per-article work runs."""

    local = "local"
    dask = "dask"


EngineOpt = Annotated[Engine, typer.Option(
    "--engine", case_sensitive=False,
    help="local: worker processes on this machine; dask: a dask.distributed cluster "
    "(a partitioned GeoParquet dataset of the events is written).")]
SchedulerOpt = Annotated[str | None, typer.Option(
    "--scheduler", metavar="ADDRESS", help="Dask scheduler to use (tcp://host:8786); "
    "implies --engine dask. Default: a local cluster.", show_default=False)]


@dataclass(frozen=True)
class _Scale:
    """How to run the pipeline: workers, cache, engine."""

    jobs: int | None = None
    cache: bool = True
    cache_dir: Path | None = None
    engine: str = "local"
    scheduler: str | None = None
    dataset: Path | None = None  # with dask: where the partitioned dataset goes

    def __post_init__(self) -> None:
        engine = getattr(self.engine, "value", self.engine)
        object.__setattr__(self, "engine", "dask" if self.scheduler else engine)


PLACE_COLUMNS = ["article_id", "mention", "start", "end", "place_id", "name", "kind",
                 "country_code", "admin1", "latitude", "longitude", "confidence", "literal",
                 "runner_up_id", "runner_up_name"]
DATE_COLUMNS = ["article_id", "start", "end", "text", "value", "precision", "date"]


OverridesOpt = Annotated[Path | None, typer.Option(
    "--overrides", help="Corrections to apply (YAML or CSV; see docs/overrides.md): pinned "
    "places, rejected events, changed types and dates.", show_default=False)]


@dataclass
class _Run:
    """What one command read, found and could not read, and the corrections it applies."""

    quiet: bool = False
    read: int = 0
    problems: list = field(default_factory=list)
    overrides: object | None = None  # a frontline.overrides.Overrides
    max_bytes: int | None = None
    _gazetteers: dict = field(default_factory=dict, repr=False)

    @classmethod
    def start(cls, *, quiet: bool, overrides: Path | None = None,
              max_bytes: int | None = None) -> _Run:
        rules = None
        if overrides is not None:
            from .overrides import Overrides

            rules = Overrides.load(overrides)
        return cls(quiet=quiet, overrides=rules, max_bytes=max_bytes)

    def on_problem(self, problem) -> None:
        self.problems.append(problem)
        style = {"error": "red", "warning": "yellow"}.get(problem.severity, "dim")
        if problem.severity == "error" or not self.quiet:
            err.print(f"[{style}]{problem.severity}[/]: {problem.origin}: {problem.message}",
                      markup=True, highlight=False)

    def gazetteer(self, files):
        """The gazetteer with the analyst's files, read once per command (``map`` uses it
        for the pipeline and again for the context layers)."""
        key = tuple(str(f) for f in files or [])
        if key not in self._gazetteers:
            from .gazetteer import Gazetteer

            self._gazetteers[key] = Gazetteer.load(extra=list(key) or None)
        return self._gazetteers[key]

    def loaded_gazetteer(self, files):
        """The gazetteer if this command has loaded it already, else None."""
        return self._gazetteers.get(tuple(str(f) for f in files or []))

    @property
    def failed(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    def finish(self, output: Path | None) -> None:
        """Print the summary, write the errors report, and exit with the right code."""
        skipped = sum(1 for p in self.problems if p.severity == "skipped")
        if self.overrides is not None and not self.quiet:
            for w in self.overrides.warnings():
                err.print(f"[yellow]warning[/]: {w}", markup=True, highlight=False)
        if self.problems and output is not None:
            _write_problems(output, self.problems)
        if not self.quiet or self.failed:
            err.print(f"{self.read} article(s) processed, {self.failed} failed, "
                      f"{skipped} skipped")
        if self.read == 0:
            err.print("[red]error[/]: no usable article was read", markup=True)
            raise typer.Exit(2)
        if self.failed:
            raise typer.Exit(1)


def _problems_path(output: Path) -> Path:
    return output.with_name(output.stem + ".errors.csv")


def _write_problems(output: Path, problems) -> None:
    from .outputs import atomic_write, neutralize_cell

    with atomic_write(_problems_path(output), newline="") as f:
        w = csv.writer(f)
        w.writerow(["severity", "origin", "message"])
        for p in problems:
            w.writerow([p.severity, neutralize_cell(p.origin), neutralize_cell(p.message)])


def _articles(inputs: list[Path], run: _Run):
    from .articles import iter_articles

    for article in iter_articles(inputs, on_problem=run.on_problem,
                                 max_bytes=run.max_bytes or DEFAULT_MAX_BYTES):
        run.read += 1
        yield article


def _results(inputs, run: _Run, gazetteer_files, scale: _Scale, *, details: bool = True):
    import contextlib

    from .articles import Problem
    from .pipeline import run_inputs

    files = [str(g) for g in gazetteer_files or []]
    # Not loaded unless some article needs processing: the pipeline loads it then.
    gaz = run.loaded_gazetteer(files)
    with contextlib.ExitStack() as stack:
        cache = None
        if scale.cache:
            from .cache import ResultCache, cache_version, gazetteer_version

            version = gaz.version if gaz is not None else gazetteer_version(files)
            cache = stack.enter_context(ResultCache(
                scale.cache_dir, version=cache_version(gazetteer_version=version)))
        # Every article read gives one result (errors are recorded), so results count them;
        # JSON Lines files seen before need not be read again (see frontline.cache).
        for result in run_inputs(inputs, on_problem=run.on_problem,
                                 max_bytes=run.max_bytes or DEFAULT_MAX_BYTES, gazetteer=gaz,
                                 gazetteer_files=files, jobs=scale.jobs, cache=cache,
                                 errors="record", progress=False if run.quiet else None,
                                 details=details, overrides=run.overrides):
            run.read += 1
            if result.error:
                origin = result.article.origin or result.article.article_id
                run.on_problem(Problem(origin, f"processing failed: {result.error}", "error"))
                continue
            for w in result.warnings:
                if not run.quiet:
                    err.print(f"[yellow]warning[/]: {w}", markup=True)
            yield result


def _write_csv(path: Path, columns: list[str], rows) -> None:
    from .outputs import atomic_write, neutralize_cell

    with atomic_write(path, newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for row in rows:
            w.writerow([neutralize_cell(v) if isinstance(v, str) else v for v in row])


def _guard(fn):
    """Turn FrontlineError into one clean line and exit code 2."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except FrontlineError as e:
            err.print(f"[red]error[/]: {e}", markup=True, highlight=False)
            raise typer.Exit(2) from e
    return wrapper


# ------------------------------------------------------------------------- commands

@app.command()
@_guard
def places(inputs: Inputs,
           output: Annotated[Path, typer.Option("-o", "--output", help="CSV file to write.")],
           gazetteer: GazetteerOpt = None, jobs: JobsOpt = None, quiet: QuietOpt = False,
           cache: CacheOpt = True, cache_dir: CacheDirOpt = None,
           overrides: OverridesOpt = None, max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES):
    """One row per resolved toponym mention."""
    run = _Run.start(quiet=quiet, overrides=overrides, max_bytes=max_bytes)
    rows = []
    for result in _results(inputs, run, gazetteer, _Scale(jobs, cache, cache_dir)):
        for m in result.mentions:
            p, r = m.place, m.runner_up
            rows.append([m.article_id, m.mention, m.start, m.end, p.place_id, p.name, p.kind,
                         p.country_code, p.admin1, p.latitude, p.longitude, m.confidence,
                         m.literal, r.place_id if r else "", r.name if r else ""])
    _write_csv(output, PLACE_COLUMNS, rows)
    run.finish(output)


@app.command()
@_guard
def dates(inputs: Inputs,
          output: Annotated[Path, typer.Option("-o", "--output", help="CSV file to write.")],
          quiet: QuietOpt = False, max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES):
    """One row per time expression, with its normalized value and precision."""
    from .timex import tag

    run = _Run.start(quiet=quiet, max_bytes=max_bytes)
    rows = []
    for article in _articles(inputs, run):
        for t in tag(article.text, article.published):
            rows.append([article.article_id, t.start, t.end, t.text, t.value, t.precision,
                         t.date.isoformat() if t.date else ""])
    _write_csv(output, DATE_COLUMNS, rows)
    run.finish(output)


def _event_table(inputs, run, gazetteer, scale: _Scale, merge):
    from .events import EventTable, merge_events

    if scale.engine == "dask":
        table = _dask_table(inputs, run, gazetteer, scale)
        if scale.dataset is not None:
            return table  # the dataset as written: one row per event and article
        events = table.to_events()
        if run.overrides is not None:
            if run.overrides.has_pins:
                raise typer.BadParameter("pins need each article's mentions, which the Dask "
                                         "engine does not keep; use --engine local",
                                         param_hint="--overrides")
            events = run.overrides.apply_events(events)
    else:
        events = [e for r in _results(inputs, run, gazetteer, scale, details=False)
                  for e in r.events]
    return EventTable.from_events(merge_events(events) if merge else events)


def _dask_table(inputs, run: _Run, gazetteer_files, scale: _Scale):
    """Run on Dask; read back the partitioned dataset (in a scratch folder if none given)."""
    import shutil
    import tempfile

    from .articles import Problem
    from .cache import default_cache_dir
    from .engine_dask import read_dataset, run_dask

    folder = scale.dataset
    if folder is None:  # under the cache folder: a remote cluster may share it
        root = scale.cache_dir or default_cache_dir()
        root.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="dataset-", dir=root))
    try:
        out = run_dask(_articles(inputs, run), folder, scheduler=scale.scheduler,
                       gazetteer_files=[str(g) for g in gazetteer_files or []])
        for origin, message in out.errors:
            run.on_problem(Problem(origin, f"processing failed: {message}", "error"))
        for w in out.warnings if not run.quiet else ():
            err.print(f"[yellow]warning[/]: {w}", markup=True)
        if run.read == 0:
            from .events import EventTable

            return EventTable.from_events([])
        return read_dataset(folder)
    finally:
        if scale.dataset is None:
            shutil.rmtree(folder, ignore_errors=True)


def _split_types(types: str | None) -> list[str] | None:
    return [t.strip() for t in types.split(",") if t.strip()] if types else None


@app.command()
@_guard
def events(inputs: Inputs,
           output: Annotated[Path, typer.Option(
               "-o", "--output", help="File to write: .csv, .geojson, .gpkg or .parquet; with "
               "--engine dask, a folder (no extension) receives the partitioned GeoParquet "
               "dataset, one file per partition and one row per event and article.")],
           date_from: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
           date_to: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
           types: Annotated[str | None, typer.Option(help="Comma-separated event types.")] = None,
           min_confidence: Annotated[float | None, typer.Option(min=0, max=1)] = None,
           merge: Annotated[bool, typer.Option(
               help="One row per place, day and type across articles.")] = True,
           gazetteer: GazetteerOpt = None, jobs: JobsOpt = None, quiet: QuietOpt = False,
           cache: CacheOpt = True, cache_dir: CacheDirOpt = None,
           engine: EngineOpt = Engine.local, scheduler: SchedulerOpt = None,
           overrides: OverridesOpt = None, max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES):
    """One row per dated, located event."""
    run = _Run.start(quiet=quiet, overrides=overrides, max_bytes=max_bytes)
    scale = _Scale(jobs, cache, cache_dir, engine, scheduler)
    if scale.engine == "dask" and not output.suffix:
        if date_from or date_to or types or min_confidence is not None:
            raise typer.BadParameter("a dataset folder holds every event; filter it after "
                                     "reading (EventTable.filter)", param_hint="--output")
        scale = _Scale(jobs, cache, cache_dir, engine, scheduler, dataset=output)
    from .event_table import TableWriter
    from .pipeline import default_jobs

    # Started first, before any thread or worker process: with more than one core, a
    # helper process imports the file writer's libraries while this one works.
    parallel = (scale.jobs or default_jobs()) > 1 and scale.engine == "local"
    with TableWriter(output, helper=parallel and scale.dataset is None) as writer:
        table = _event_table(inputs, run, gazetteer, scale, merge)
        table = table.filter(start=date_from, end=date_to, types=_split_types(types),
                             min_confidence=min_confidence)
        if scale.dataset is None:
            writer.write(table)
    if not quiet:
        err.print(f"{len(table)} event(s) written to {output}")
    run.finish(output)


@app.command("map")
@_guard
def map_(inputs: Inputs,
         output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")]
         = Path("output/map.html"),
         save_events: Annotated[list[Path] | None, typer.Option(
             "--save-events", help="Also write the event table (.csv/.geojson/.gpkg/.parquet). "
             "Repeatable.")] = None,
         frontline: Annotated[list[Path] | None, typer.Option(
             "--frontline", help="GeoJSON frontline snapshots with a `date` property.")] = None,
         window_days: Annotated[int, typer.Option(min=1, help="Days an event stays visible.")] = 7,
         cumulative: Annotated[bool, typer.Option(help="Keep events visible once shown.")] = False,
         types: Annotated[str | None, typer.Option(
             help="Comma-separated event types to show (default: all but statements).")] = None,
         date_from: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
         date_to: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
         min_confidence: Annotated[float | None, typer.Option(min=0, max=1)] = None,
         cdn: Annotated[bool, typer.Option(help="Load scripts from CDNs (smaller file).")] = False,
         tiles: Annotated[bool, typer.Option(help="Add a base-map tile layer.")] = True,
         title: Annotated[str | None, typer.Option(help="Map title.")] = None,
         gazetteer: GazetteerOpt = None, jobs: JobsOpt = None, quiet: QuietOpt = False,
         cache: CacheOpt = True, cache_dir: CacheDirOpt = None,
         engine: EngineOpt = Engine.local, scheduler: SchedulerOpt = None,
         overrides: OverridesOpt = None, max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES):
    """Write a self-contained time-slider map of the events."""
    from .mapbuild import build_map, save_map

    run = _Run.start(quiet=quiet, overrides=overrides, max_bytes=max_bytes)
    run.gazetteer(gazetteer)  # the map needs it for its layers: load it once, up front
    table = _event_table(inputs, run, gazetteer, _Scale(jobs, cache, cache_dir, engine, scheduler),
                         merge=True)
    table = table.filter(start=date_from, end=date_to, min_confidence=min_confidence)
    if run.read == 0:
        run.finish(output)
    m = build_map(table, gazetteer=run.gazetteer(gazetteer), window_days=window_days, cumulative=cumulative,
                  frontline=[str(f) for f in frontline] if frontline else None,
                  show_types=_split_types(types), cdn=cdn, tiles=tiles, title=title)
    save_map(m, output)
    for path in save_events or []:
        table.to_file(path)
    if not quiet:
        err.print(f"{len(table)} event(s) on the map: {output}")
    run.finish(output)


@app.command()
@_guard
def review(inputs: Inputs,
           output: Annotated[Path | None, typer.Option(
               "-o", "--output", help="CSV file to write; default: print a table.")] = None,
           limit: Annotated[int, typer.Option(min=1, help="Rows to list.")] = 50,
           gazetteer: GazetteerOpt = None, jobs: JobsOpt = None, quiet: QuietOpt = False,
           cache: CacheOpt = True, cache_dir: CacheDirOpt = None,
           overrides: OverridesOpt = None, max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES):
    """List what most deserves a human look: close calls, weak events, far-off places."""
    from .review import review as rank
    from .review import save_review

    run = _Run.start(quiet=quiet, overrides=overrides, max_bytes=max_bytes)
    table = rank(_results(inputs, run, gazetteer, _Scale(jobs, cache, cache_dir)), limit=limit)
    if output is not None:
        save_review(table, output)
    else:
        from rich.table import Table

        cols = ["priority", "article_id", "mention", "place", "runner_up", "reason"]
        shown = Table(*cols, show_lines=False)
        for row in table[cols].itertuples(index=False):
            shown.add_row(*("" if v is None or v != v else str(v) for v in row))  # NaN: blank
        Console(highlight=False).print(shown)
        err.print("write every column with -o FILE.csv")
    run.finish(output)


@app.command()
@_guard
def geocode(name: Annotated[str, typer.Argument(help="A place name, in any spelling.")],
            kind: Annotated[str | None, typer.Option(help="Only this kind (city, region, "
                                                     "river...).")] = None,
            country: Annotated[str | None, typer.Option(help="ISO country code, e.g. UA.")] = None,
            limit: Annotated[int, typer.Option(min=1)] = 10,
            fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
            gazetteer: GazetteerOpt = None):
    """Look a name up in the gazetteer, best candidates first."""
    from .gazetteer import Gazetteer

    if fmt not in ("table", "json", "csv"):
        raise typer.BadParameter("use table, json or csv", param_hint="--format")
    gaz = Gazetteer.load(extra=[str(g) for g in gazetteer] if gazetteer else None)
    found = gaz.lookup(name, kind=kind, country=country, limit=limit)
    if not found:
        suggestions = gaz.suggest(name)
        hint = f"; closest known spellings: {', '.join(suggestions)}" if suggestions else ""
        err.print(f"no place named {name!r}{hint}")
        raise typer.Exit(1)
    cols = ["place_id", "name", "kind", "country_code", "admin1", "latitude", "longitude",
            "population"]
    rows = [{c: getattr(p, c) for c in cols} for p in found]
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)
    else:
        from rich.table import Table

        t = Table(*cols)
        for r in rows:
            t.add_row(*(str(r[c]) for c in cols))
        Console(highlight=False).print(t)


def main() -> None:
    """Entry point of the ``frontline`` script and of ``python -m frontline``."""
    app()
