"""The ``frontline`` command line: it parses options, calls the library, and reports.

Each command builds one :class:`~frontline.options.RunOptions` from its flags and makes
its run through :func:`frontline.pipeline.run_inputs`, as a notebook would. Whatever comes
from the data (file names, ids, fields, messages quoting them) is printed as plain text,
never as terminal markup, and always on one line.

Exit codes: 0 when every input was read, 1 when some inputs failed (the rest were
processed), 2 when nothing usable was read or the command itself could not run (a bad
option or file, an unwritable or full disk, a corrupted cache...).
"""

from __future__ import annotations

import csv
import enum
import functools
import json
import re
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from .articles import DEFAULT_MAX_BYTES, Problem
from .errors import FrontlineError
from .options import DEFAULT_BUDGET, RunOptions

if TYPE_CHECKING:  # pragma: no cover
    from .gazetteer import Gazetteer
    from .overrides import Overrides
    from .pipeline import ArticleResult
    from .spill import EventSpill

__all__ = ["app", "main", "plain"]

app = typer.Typer(
    name="frontline",
    help="Turn war reporting into a dated, geocoded event table and a time-slider map.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)

# Characters that would move the cursor, start an escape sequence, break the line or
# reorder the text around them.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain(value: object) -> str:
    """*value* as one safe line of terminal text.

    Control characters (newlines, escape sequences, bidirectional overrides) are shown
    as Python escapes, and bytes of a file name that were not UTF-8 (kept by the file
    system as lone surrogates) as ``\\udcXX``. The result is printed as text, never as
    markup.

    Examples
    --------
    >>> plain("a\\nb[/bold]\\x1b[2J")
    'a\\\\nb[/bold]\\\\x1b[2J'
    >>> plain("caf\\udce9.md")
    'caf\\\\udce9.md'
    """
    text = str(value).encode("utf-8", "backslashreplace").decode("utf-8")
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def say(label: str, message: object, style: str = "") -> None:
    """Print ``label: message`` on stderr, one line, the message as plain text."""
    if label:
        err.print(Text.assemble((label, style), ": ", plain(message)))
    else:
        err.print(Text(plain(message)))


Inputs = Annotated[list[Path], typer.Argument(help="Article files or folders.", show_default=False)]
GazetteerOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--gazetteer",
        help="Your own gazetteer CSV (name, latitude, longitude, kind, "
        "country_code[, alt_names, admin1]); its entries take precedence. Repeatable.",
    ),
]
JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="Worker processes, or Dask workers of a local cluster (default: all cores).",
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Only print errors.")]
MaxBytesOpt = Annotated[
    int,
    typer.Option(
        "--max-bytes",
        min=1,
        help="Largest article (file or row) to read, in bytes; larger ones "
        "are reported and skipped.",
    ),
]
BudgetOpt = Annotated[
    float,
    typer.Option(
        "--time-budget",
        min=0.001,
        metavar="SECONDS",
        help="Longest time one article may take "
        "to process; an article over it is reported and skipped.",
    ),
]
CacheOpt = Annotated[
    bool,
    typer.Option(
        "--cache/--no-cache",
        help="Reuse the results of articles already processed with the "
        "same gazetteer and version (only new or changed articles are processed).",
    ),
]
CacheDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        help="Cache folder (default: $FRONTLINE_CACHE_DIR, else "
        "$XDG_CACHE_HOME/frontline, else ~/.cache/frontline).",
        show_default=False,
    ),
]
OverridesOpt = Annotated[
    Path | None,
    typer.Option(
        "--overrides",
        help="Corrections to apply (YAML or CSV; see docs/overrides.md): pinned "
        "places, rejected events, changed types and dates.",
        show_default=False,
    ),
]


class Engine(enum.StrEnum):
    """Where the per-article work runs."""

    local = "local"
    dask = "dask"


EngineOpt = Annotated[
    Engine,
    typer.Option(
        "--engine",
        case_sensitive=False,
        help="local: worker processes on this machine; dask: a dask.distributed cluster "
        "(with -o FOLDER, a partitioned GeoParquet dataset of the events is written).",
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler to use (tcp://host:8786); "
        "implies --engine dask. Default: a local cluster.",
        show_default=False,
    ),
]

PLACE_COLUMNS = [
    "article_id",
    "mention",
    "start",
    "end",
    "place_id",
    "name",
    "kind",
    "country_code",
    "admin1",
    "latitude",
    "longitude",
    "confidence",
    "literal",
    "runner_up_id",
    "runner_up_name",
]
DATE_COLUMNS = ["article_id", "start", "end", "text", "value", "precision", "date"]


def _load_overrides(path: Path | None) -> Overrides | None:
    if path is None:
        return None
    from .overrides import Overrides

    return Overrides.load(path)


@dataclass
class _Run:
    """What one command read, found and could not read, and how it runs the pipeline."""

    options: RunOptions
    quiet: bool = False
    read: int = 0
    problems: list[Problem] = field(default_factory=list)
    _gazetteer: Gazetteer | None = field(default=None, repr=False)

    @classmethod
    def start(
        cls,
        *,
        quiet: bool,
        overrides: Path | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        gazetteer: list[Path] | None = None,
        jobs: int | None = None,
        cache: bool = False,
        cache_dir: Path | None = None,
        time_budget: float = DEFAULT_BUDGET,
        engine: str = "local",
        scheduler: str | None = None,
    ) -> _Run:
        options = RunOptions(
            jobs=jobs,
            cache=cache,
            cache_dir=cache_dir,
            overrides=_load_overrides(overrides),
            gazetteer_files=[str(g) for g in gazetteer or []],
            max_bytes=max_bytes,
            budget=time_budget,
            engine=engine,
            scheduler=scheduler,
        )
        return cls(options, quiet=quiet)

    def on_problem(self, problem: Problem) -> None:
        self.problems.append(problem)
        style = {"error": "red", "warning": "yellow"}.get(problem.severity, "dim")
        if problem.severity == "error" or not self.quiet:
            say(problem.severity, f"{problem.origin}: {problem.message}", style)

    def gazetteer(self) -> Gazetteer:
        """The gazetteer with the analyst's files, read once per command (``map`` uses it
        for the pipeline and again for the context layers)."""
        if self._gazetteer is None:
            from .gazetteer import Gazetteer

            self._gazetteer = Gazetteer.load(extra=list(self.options.gazetteer_files) or None)
        return self._gazetteer

    @property
    def failed(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    def results(self, inputs: list[Path], *, details: bool = True) -> Iterator[ArticleResult]:
        """Every article read and processed; failures are reported, not yielded."""
        from .pipeline import run_inputs

        # The gazetteer is not loaded unless some article needs processing.
        for result in run_inputs(
            inputs,
            self.options,
            on_problem=self.on_problem,
            gazetteer=self._gazetteer,
            errors="record",
            progress=False if self.quiet else None,
            details=details,
        ):
            self.read += 1
            if result.error:
                origin = result.article.origin or result.article.article_id
                self.on_problem(Problem(origin, f"processing failed: {result.error}", "error"))
                continue
            if not self.quiet:
                for w in result.warnings:
                    say("warning", w, "yellow")
            yield result

    def finish(self, output: Path | None) -> None:
        """Print the summary, write the errors report, and exit with the right code."""
        skipped = sum(1 for p in self.problems if p.severity == "skipped")
        overrides = self.options.overrides
        if overrides is not None and not self.quiet:
            for w in overrides.warnings():
                say("warning", w, "yellow")
        if self.problems and output is not None:
            _write_problems(output, self.problems)
        if not self.quiet or self.failed:
            say("", f"{self.read} article(s) processed, {self.failed} failed, {skipped} skipped")
        if self.read == 0:
            say("error", "no usable article was read", "red")
            raise typer.Exit(2)
        if self.failed:
            raise typer.Exit(1)


def _problems_path(output: Path) -> Path:
    return output.with_name(output.stem + ".errors.csv")


def _write_problems(output: Path, problems: list[Problem]) -> None:
    from .outputs import atomic_write, neutralize_cell

    with atomic_write(_problems_path(output), newline="") as f:
        w = csv.writer(f)
        w.writerow(["severity", "origin", "message"])
        for p in problems:
            w.writerow([p.severity, neutralize_cell(p.origin), neutralize_cell(p.message)])


def _articles(inputs: list[Path], run: _Run) -> Iterator[Any]:
    from .articles import iter_articles

    for article in iter_articles(
        inputs, on_problem=run.on_problem, max_bytes=run.options.max_bytes
    ):
        run.read += 1
        yield article


def _write_csv(path: Path, columns: list[str], rows: Iterable[list[Any]]) -> None:
    from .outputs import atomic_write, neutralize_cell

    with atomic_write(path, newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for row in rows:
            w.writerow([neutralize_cell(v) if isinstance(v, str) else v for v in row])


F = TypeVar("F", bound=Callable[..., Any])

#: Failures of the machine rather than of the data: each is one line and exit code 2.
_ENVIRONMENT = (OSError, sqlite3.Error, RecursionError, MemoryError)


def _guard(fn: F) -> F:
    """Turn a FrontlineError, or a failure of the disk, the cache or the memory, into one
    clean line and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except FrontlineError as e:
            say("error", e, "red")
            raise typer.Exit(2) from e
        except ValueError as e:  # a bad option value the library refused
            say("error", e, "red")
            raise typer.Exit(2) from e
        except _ENVIRONMENT as e:
            say("error", _environment_message(e), "red")
            raise typer.Exit(2) from e

    return wrapper  # type: ignore[return-value]


def _environment_message(e: BaseException) -> str:
    if isinstance(e, RecursionError):
        return "an input is nested too deeply to read; simplify it"
    if isinstance(e, MemoryError):
        return "out of memory; lower --jobs or --max-bytes"
    if isinstance(e, sqlite3.Error):
        return (
            f"the cache cannot be used ({e}); run again with --no-cache, or delete the "
            "cache folder (--cache-dir) to rebuild it"
        )
    assert isinstance(e, OSError)
    where = f"{e.filename}: " if getattr(e, "filename", None) else ""
    return f"{where}{e.strerror or e}"


# ------------------------------------------------------------------------- commands


@app.command()
@_guard
def places(
    inputs: Inputs,
    output: Annotated[Path, typer.Option("-o", "--output", help="CSV file to write.")],
    gazetteer: GazetteerOpt = None,
    jobs: JobsOpt = None,
    quiet: QuietOpt = False,
    cache: CacheOpt = True,
    cache_dir: CacheDirOpt = None,
    overrides: OverridesOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    time_budget: BudgetOpt = DEFAULT_BUDGET,
) -> None:
    """One row per resolved toponym mention."""
    run = _Run.start(
        quiet=quiet,
        overrides=overrides,
        max_bytes=max_bytes,
        gazetteer=gazetteer,
        jobs=jobs,
        cache=cache,
        cache_dir=cache_dir,
        time_budget=time_budget,
    )
    rows = []
    for result in run.results(inputs):
        for m in result.mentions:
            p, r = m.place, m.runner_up
            rows.append(
                [
                    m.article_id,
                    m.mention,
                    m.start,
                    m.end,
                    p.place_id,
                    p.name,
                    p.kind,
                    p.country_code,
                    p.admin1,
                    p.latitude,
                    p.longitude,
                    m.confidence,
                    m.literal,
                    r.place_id if r else "",
                    r.name if r else "",
                ]
            )
    _write_csv(output, PLACE_COLUMNS, rows)
    run.finish(output)


@app.command()
@_guard
def dates(
    inputs: Inputs,
    output: Annotated[Path, typer.Option("-o", "--output", help="CSV file to write.")],
    quiet: QuietOpt = False,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
) -> None:
    """One row per time expression, with its normalized value and precision."""
    from .timex import tag

    run = _Run.start(quiet=quiet, max_bytes=max_bytes)
    rows = []
    for article in _articles(inputs, run):
        for t in tag(article.text, article.published):
            rows.append(
                [
                    article.article_id,
                    t.start,
                    t.end,
                    t.text,
                    t.value,
                    t.precision,
                    t.date.isoformat() if t.date else "",
                ]
            )
    _write_csv(output, DATE_COLUMNS, rows)
    run.finish(output)


def _spill(inputs: list[Path], run: _Run, merge: bool) -> EventSpill:
    """The events of every article read, spilled to disk past a few thousand articles:
    a stream of any length is held in flat memory until its table is made."""
    from .spill import EventSpill

    spill = EventSpill(merge=merge)
    try:
        for result in run.results(inputs, details=False):
            spill.add(result.events)
    except BaseException:
        spill.close()
        raise
    return spill


def _split_types(types: str | None) -> list[str] | None:
    return [t.strip() for t in types.split(",") if t.strip()] if types else None


@app.command()
@_guard
def events(
    inputs: Inputs,
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            help="File to write: .csv, .geojson, .gpkg or .parquet; with "
            "--engine dask, a folder (no extension) receives the partitioned GeoParquet "
            "dataset, one file per partition and one row per event and article.",
        ),
    ],
    date_from: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    types: Annotated[str | None, typer.Option(help="Comma-separated event types.")] = None,
    min_confidence: Annotated[float | None, typer.Option(min=0, max=1)] = None,
    merge: Annotated[
        bool, typer.Option(help="One row per place, day and type across articles.")
    ] = True,
    gazetteer: GazetteerOpt = None,
    jobs: JobsOpt = None,
    quiet: QuietOpt = False,
    cache: CacheOpt = True,
    cache_dir: CacheDirOpt = None,
    engine: EngineOpt = Engine.local,
    scheduler: SchedulerOpt = None,
    overrides: OverridesOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    time_budget: BudgetOpt = DEFAULT_BUDGET,
) -> None:
    """One row per dated, located event."""
    run = _Run.start(
        quiet=quiet,
        overrides=overrides,
        max_bytes=max_bytes,
        gazetteer=gazetteer,
        jobs=jobs,
        cache=cache,
        cache_dir=cache_dir,
        time_budget=time_budget,
        engine=engine.value,
        scheduler=scheduler,
    )
    if run.options.engine == "dask" and not output.suffix:
        if date_from or date_to or types or min_confidence is not None:
            raise typer.BadParameter(
                "a dataset folder holds every event; filter it after reading (EventTable.filter)",
                param_hint="--output",
            )
        _write_dataset(inputs, run, output)
        return
    from .event_table import TableWriter

    # Started first, before any thread or worker process: with more than one core, a
    # helper process imports the file writer's libraries while this one works.
    parallel = run.options.workers > 1 and run.options.engine == "local"
    with TableWriter(output, helper=parallel) as writer, _spill(inputs, run, merge) as spill:
        written = writer.write_events(
            spill.events(),
            repeats=spill.repeated_ids(),
            start=date_from,
            end=date_to,
            types=_split_types(types),
            min_confidence=min_confidence,
        )
    if not quiet:
        say("", f"{written} event(s) written to {output}")
    run.finish(output)


def _write_dataset(inputs: list[Path], run: _Run, folder: Path) -> None:
    """``events --engine dask -o FOLDER``: the events of every article, partitioned."""
    from .dataset import DatasetWriter

    with DatasetWriter(folder) as dataset:
        for result in run.results(inputs, details=False):
            dataset.add(result.events)
    if not run.quiet:
        say(
            "",
            f"{dataset.events} event(s) in {len(dataset.parts)} partition(s) written to {folder}",
        )
    run.finish(folder)


@app.command("map")
@_guard
def map_(
    inputs: Inputs,
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")] = Path(
        "output/map.html"
    ),
    save_events: Annotated[
        list[Path] | None,
        typer.Option(
            "--save-events",
            help="Also write the event table (.csv/.geojson/.gpkg/.parquet). Repeatable.",
        ),
    ] = None,
    frontline: Annotated[
        list[Path] | None,
        typer.Option(
            "--frontline",
            help="Front-line snapshots: GeoJSON with a `date` property, a folder of "
            "dated GeoJSON files, DeepStateMap API JSON, or ISW KML/KMZ. Repeatable.",
        ),
    ] = None,
    frontline_days: Annotated[
        int,
        typer.Option(
            min=1,
            help="Days a front-line snapshot stays shown when it has no valid_to and its "
            "layer no later snapshot.",
        ),
    ] = 30,
    window_days: Annotated[int, typer.Option(min=1, help="Days an event stays visible.")] = 7,
    cumulative: Annotated[bool, typer.Option(help="Keep events visible once shown.")] = False,
    types: Annotated[
        str | None,
        typer.Option(help="Comma-separated event types to show (default: all but statements)."),
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    min_confidence: Annotated[float | None, typer.Option(min=0, max=1)] = None,
    cdn: Annotated[bool, typer.Option(help="Load scripts from CDNs (smaller file).")] = False,
    tiles: Annotated[
        bool,
        typer.Option(
            help="Offer online OpenStreetMap tiles as an optional layer: off when the map "
            "opens, fetched and credited only while a reader switches them on (the map "
            "reads without them).",
        ),
    ] = True,
    title: Annotated[str | None, typer.Option(help="Map title.")] = None,
    gazetteer: GazetteerOpt = None,
    jobs: JobsOpt = None,
    quiet: QuietOpt = False,
    cache: CacheOpt = True,
    cache_dir: CacheDirOpt = None,
    engine: EngineOpt = Engine.local,
    scheduler: SchedulerOpt = None,
    overrides: OverridesOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    time_budget: BudgetOpt = DEFAULT_BUDGET,
) -> None:
    """Write a self-contained time-slider map of the events."""
    from .mapbuild import build_map, save_map

    run = _Run.start(
        quiet=quiet,
        overrides=overrides,
        max_bytes=max_bytes,
        gazetteer=gazetteer,
        jobs=jobs,
        cache=cache,
        cache_dir=cache_dir,
        time_budget=time_budget,
        engine=engine.value,
        scheduler=scheduler,
    )
    run.gazetteer()  # the map needs it for its layers: load it once, up front
    with _spill(inputs, run, merge=True) as spill:
        table = spill.table()
    table = table.filter(start=date_from, end=date_to, min_confidence=min_confidence)
    if run.read == 0:
        run.finish(output)
    m = build_map(
        table,
        gazetteer=run.gazetteer(),
        window_days=window_days,
        cumulative=cumulative,
        frontline=[str(f) for f in frontline] if frontline else None,
        frontline_days=frontline_days,
        show_types=_split_types(types),
        cdn=cdn,
        tiles=tiles,
        title=title,
    )
    save_map(m, output)
    for path in save_events or []:
        table.to_file(path)
    if not quiet:
        say("", f"{len(table)} event(s) on the map: {output}")
    run.finish(output)


def _table(columns: list[str], rows: Iterable[Iterable[object]]) -> Any:
    """A rich table whose cells are plain text (never markup)."""
    from rich.table import Table

    shown = Table(*columns, show_lines=False)
    for row in rows:
        shown.add_row(*(Text(plain("" if v is None or v != v else v)) for v in row))  # NaN
    return shown


@app.command()
@_guard
def review(
    inputs: Inputs,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="CSV file to write; default: print a table."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Rows to list.")] = 50,
    gazetteer: GazetteerOpt = None,
    jobs: JobsOpt = None,
    quiet: QuietOpt = False,
    cache: CacheOpt = True,
    cache_dir: CacheDirOpt = None,
    overrides: OverridesOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    time_budget: BudgetOpt = DEFAULT_BUDGET,
) -> None:
    """List what most deserves a human look: close calls, weak events, far-off places."""
    from .review import review as rank
    from .review import save_review

    run = _Run.start(
        quiet=quiet,
        overrides=overrides,
        max_bytes=max_bytes,
        gazetteer=gazetteer,
        jobs=jobs,
        cache=cache,
        cache_dir=cache_dir,
        time_budget=time_budget,
    )
    table = rank(run.results(inputs), limit=limit)
    if output is not None:
        save_review(table, output)
    else:
        cols = ["priority", "article_id", "mention", "place", "runner_up", "reason"]
        Console(highlight=False).print(_table(cols, table[cols].itertuples(index=False)))
        say("", "write every column with -o FILE.csv")
    run.finish(output)


@app.command()
@_guard
def geocode(
    name: Annotated[str, typer.Argument(help="A place name, in any spelling.")],
    kind: Annotated[
        str | None, typer.Option(help="Only this kind (city, region, river...).")
    ] = None,
    country: Annotated[str | None, typer.Option(help="ISO country code, e.g. UA.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 10,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    gazetteer: GazetteerOpt = None,
) -> None:
    """Look a name up in the gazetteer, best candidates first."""
    from .gazetteer import Gazetteer

    if fmt not in ("table", "json", "csv"):
        raise typer.BadParameter("use table, json or csv", param_hint="--format")
    gaz = Gazetteer.load(extra=[str(g) for g in gazetteer] if gazetteer else None)
    found = gaz.lookup(name, kind=kind, country=country, limit=limit)
    if not found:
        suggestions = gaz.suggest(name)
        hint = f"; closest known spellings: {', '.join(suggestions)}" if suggestions else ""
        say("", f"no place named {name!r}{hint}")
        raise typer.Exit(1)
    cols = [
        "place_id",
        "name",
        "kind",
        "country_code",
        "admin1",
        "latitude",
        "longitude",
        "population",
    ]
    rows = [{c: getattr(p, c) for c in cols} for p in found]
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)
    else:
        Console(highlight=False).print(_table(cols, ([r[c] for c in cols] for r in rows)))


def main() -> None:
    """Entry point of the ``frontline`` script and of ``python -m frontline``."""
    app()
