"""The event table of whatever an analyst passes: :func:`extract_events`.

Paths, folders, glob patterns, :class:`~frontline.articles.Article` objects, a list
mixing them, or a pandas DataFrame of articles (one row each) all go in; out comes an
:class:`~frontline.event_table.EventTable`, made with the command line's defaults (events
of the same place, day and type merged; every core; the result cache: the same
:class:`~frontline.options.RunOptions`), so
``fl.extract_events("examples/articles")`` gives the table that ``frontline events
examples/articles`` writes. Long runs show a progress bar, as a widget in Jupyter.
"""

from __future__ import annotations

import glob
import os
import sys
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .articles import Article, Problem, iter_articles, safe_article_id
from .errors import ArgumentError, InputNotFoundError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .event_table import EventTable
    from .gazetteer import Gazetteer
    from .options import RunOptions
    from .overrides import Overrides
    from .pipeline import ArticleResult

__all__ = ["extract_events", "as_articles", "ARTICLE_COLUMNS", "ArticleInputs"]

#: What :func:`extract_events` takes: a path (file, folder or glob pattern), an Article,
#: a DataFrame of articles, or an iterable of paths and Articles.
ArticleInputs = Any

#: The columns of a DataFrame of articles (``text`` is required; ``id`` or
#: ``article_id`` names a row, else its position does).
ARTICLE_COLUMNS = ("id", "article_id", "title", "published", "source", "url", "text")

#: Seconds a run goes on before its progress bar shows: short runs stay quiet.
PROGRESS_DELAY = 1.0
_GLOB_CHARS = frozenset("*?[")


def extract_events(
    inputs: ArticleInputs,
    options: RunOptions | None = None,
    *,
    merge: bool = True,
    gazetteer: Gazetteer | None = None,
    progress: bool | None = None,
    **settings: Any,
) -> EventTable:
    """The event table of articles given as paths, folders, globs, Articles or a DataFrame.

    The defaults are those of ``frontline events``: the same inputs give the same rows.
    Problems with an input (an unreadable file, an article that fails) and the
    pipeline's notes (an article without a publication date) are issued as Python
    warnings, and the run goes on, as the command line reports them and goes on.

    Parameters
    ----------
    inputs : path, Article, DataFrame or iterable of paths and Articles
        A file, a folder (read recursively), a glob pattern (``"feeds/*.jsonl"``,
        ``"**"`` included), an :class:`~frontline.articles.Article`, a list of any of
        these, or a ``pandas.DataFrame`` with the columns of :data:`ARTICLE_COLUMNS`.
    options : RunOptions, optional
        How to run (:class:`frontline.options.RunOptions`). By default the command
        line's: every core (a run of a few dozen articles stays in this process anyway)
        and the result cache (``FRONTLINE_CACHE_DIR``, or the user's cache folder).
    merge : bool, default True
        One row per place, day and type across articles, listing every source.
    gazetteer : Gazetteer, optional
        Defaults to the bundled gazetteer with ``gazetteer_files`` added.
    progress : bool, optional
        Show a progress bar (a widget in Jupyter, text in a terminal) once a run has
        taken more than :data:`PROGRESS_DELAY` seconds; by default only in Jupyter or
        when stderr is a terminal.
    **settings
        Single settings of :class:`~frontline.options.RunOptions` (``jobs=1``,
        ``cache=False``, ``overrides=...``, ``gazetteer_files=[...]``...). ``overrides``
        may be an :class:`~frontline.overrides.Overrides` or the path of an overrides
        file; its rules that matched nothing are issued as warnings.

    Raises
    ------
    InputNotFoundError
        A path or pattern names no file.
    TypeError
        An input of a kind not listed above, or an unknown setting.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "nikopol.md").write_text(
    ...     "---\\npublished: 2022-08-12\\n---\\nRussian shelling hit Nikopol on Tuesday.\\n")
    >>> table = extract_events(folder, cache=False)
    >>> [(e.place, e.date, e.event_type) for e in table]
    [('Nikopol', '2022-08-09', 'shelling')]
    >>> len(extract_events(str(folder / "*.md"), cache=False))
    1
    """
    from .options import RunOptions
    from .pipeline import run, run_inputs
    from .spill import EventSpill

    if "overrides" in settings:
        settings["overrides"] = _overrides(settings["overrides"])
    options = (options if options is not None else RunOptions(cache=True)).replace(**settings)
    paths, articles, total = _sources(inputs)
    with EventSpill(merge=merge) as spill:
        with _ProgressBar(progress, total) as bar:

            def on_result(result: ArticleResult) -> None:
                bar.update()
                if result.error:
                    origin = result.article.origin or result.article.article_id
                    warnings.warn(f"{origin}: processing failed: {result.error}", stacklevel=4)
                for note in result.warnings:
                    warnings.warn(note, stacklevel=4)
                spill.add(result.events)

            common: dict[str, Any] = dict(
                gazetteer=gazetteer,
                errors="record",
                details=False,
                on_result=on_result,
                progress=False,
            )
            if paths is not None:
                results = run_inputs(paths, options, on_problem=_warn_problem, **common)
            else:
                results = run(articles, options, **common)
            for _ in results:
                pass
        table = spill.table()
    if options.overrides is not None:
        for note in options.overrides.warnings():
            warnings.warn(note, stacklevel=2)
    return table


def as_articles(inputs: ArticleInputs) -> Iterator[Article]:
    """The articles of *inputs* (anything :func:`extract_events` takes), one at a time.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"id": ["n1"], "published": ["2022-08-12"],
    ...                       "text": ["Shelling hit Nikopol."]})
    >>> [(a.article_id, a.published.isoformat()) for a in as_articles(frame)]
    [('n1', '2022-08-12')]
    """
    paths, articles, _ = _sources(inputs)
    if paths is not None:
        return iter_articles(paths, on_problem=_warn_problem)
    return iter(articles)


# ------------------------------------------------------------------------------ inputs


def _sources(inputs: Any) -> tuple[list[str] | None, Iterable[Article], int | None]:
    """(paths, (), None) when every input is a path, else (None, articles, their count
    when it is known)."""
    if isinstance(inputs, Article):
        return None, [inputs], 1
    if _is_frame(inputs):
        return None, _frame_articles(inputs), len(inputs)
    if isinstance(inputs, str | os.PathLike):
        return _expand(inputs), (), None
    if not isinstance(inputs, Iterable) or isinstance(inputs, bytes | dict):
        raise TypeError(
            f"extract_events takes paths, folders, glob patterns, Articles or a "
            f"DataFrame of articles, not {type(inputs).__name__}"
        )
    items = list(inputs)
    for item in items:
        if not isinstance(item, Article | str | os.PathLike):
            raise TypeError(
                f"a list of inputs holds paths and Articles, not "
                f"{type(item).__name__} ({item!r:.60})"
            )
    if all(isinstance(item, str | os.PathLike) for item in items):
        return [p for item in items for p in _expand(item)], (), None
    return (
        None,
        _mixed(items),
        None if any(not isinstance(i, Article) for i in items) else len(items),
    )


def _mixed(items: list[Any]) -> Iterator[Article]:
    for item in items:
        if isinstance(item, Article):
            yield item
        else:
            yield from iter_articles(_expand(item), on_problem=_warn_problem)


def _expand(path: str | os.PathLike[str]) -> list[str]:
    """A path as it is, or the files a glob pattern matches (sorted); one that names
    nothing is an error (a typo), not a warning."""
    text = os.fspath(path)
    if Path(text).exists():
        return [text]
    if not _GLOB_CHARS & set(text):
        raise InputNotFoundError(f"{text}: no such file or folder")
    matches = sorted(glob.glob(os.path.expanduser(text), recursive=True))
    if not matches:
        raise InputNotFoundError(f"{text}: no file matches this pattern")
    return matches


def _is_frame(value: Any) -> bool:
    pd = sys.modules.get("pandas")  # a DataFrame means pandas is imported already
    return pd is not None and isinstance(value, pd.DataFrame)


def _frame_articles(frame: pd.DataFrame) -> list[Article]:
    """One Article per row of *frame* (columns :data:`ARTICLE_COLUMNS`)."""
    if "text" not in frame.columns:
        raise ArgumentError(
            "a DataFrame of articles needs a `text` column; its columns may "
            f"be {', '.join(ARTICLE_COLUMNS)} (it has "
            f"{', '.join(map(str, frame.columns))})"
        )
    id_column = next((c for c in ("id", "article_id") if c in frame.columns), None)
    out = []
    for position, row in enumerate(frame.to_dict("records")):

        def cell(name: str, row: dict = row) -> str:
            value = row.get(name)
            return "" if value is None or value != value else str(value)

        raw_id = cell(id_column) if id_column else ""
        published = row.get("published")
        out.append(
            Article(
                safe_article_id(raw_id) if raw_id else f"row-{position}",
                cell("text"),
                title=cell("title"),
                source=cell("source"),
                url=cell("url"),
                published=None
                if published is None or published != published or published == ""
                else published,
                origin=f"DataFrame row {position}",
            )
        )
    return out


def _warn_problem(problem: Problem) -> None:
    """An input's error or warning as a Python warning (what was skipped on purpose, such
    as a file of an unknown format in a folder, is not)."""
    if problem.severity != "skipped":
        warnings.warn(f"{problem.origin}: {problem.message}", stacklevel=2)


def _overrides(value: Any) -> Overrides | None:
    from .overrides import Overrides

    if value is None or isinstance(value, Overrides):
        return value
    if isinstance(value, str | os.PathLike):
        return Overrides.load(value)
    raise TypeError(
        f"overrides must be an Overrides object or the path of an overrides "
        f"file, not {type(value).__name__}"
    )


# ---------------------------------------------------------------------------- progress


def _interactive() -> bool:
    """Whether someone watches: a Jupyter kernel, or a terminal on stderr."""
    ipython = sys.modules.get("IPython")
    if ipython is not None and "ipykernel" in sys.modules:
        shell = ipython.get_ipython()
        if shell is not None and type(shell).__name__ == "ZMQInteractiveShell":
            return True
    return sys.stderr.isatty()


class _ProgressBar:
    """A tqdm bar of articles done, shown only when wanted and after PROGRESS_DELAY s."""

    def __init__(self, enabled: bool | None, total: int | None) -> None:
        self.bar: Any = None
        if not (_interactive() if enabled is None else enabled):
            return
        try:
            if "ipykernel" in sys.modules and _has("ipywidgets"):
                from tqdm.auto import tqdm
            else:  # a text bar: tqdm.auto would warn that the widgets are missing
                from tqdm import tqdm
        except ImportError:  # pragma: no cover - tqdm is a dependency
            return
        self.bar = tqdm(
            total=total, unit="article", desc="articles", delay=PROGRESS_DELAY, leave=False
        )

    def __enter__(self) -> _ProgressBar:
        return self

    def update(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None
