"""How to run the pipeline: every setting of a run in one object, carried whole.

:class:`RunOptions` is what the command line builds from its flags and what a notebook
passes to :func:`frontline.pipeline.run` or :func:`frontline.pipeline.run_inputs`. Every
engine reads the same object, so ``--jobs``, the cache, the overrides, the gazetteer files,
the size limit and the time budget mean the same thing on this machine and on Dask.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .articles import DEFAULT_MAX_BYTES

if TYPE_CHECKING:  # pragma: no cover
    from .overrides import Overrides

__all__ = ["RunOptions", "DEFAULT_BUDGET", "ENGINES", "default_jobs"]

#: Seconds one article may take to process before it is reported and skipped.
DEFAULT_BUDGET = 60.0
#: Where the per-article work may run.
ENGINES = ("local", "dask")


def default_jobs() -> int:
    """The number of cores this process may use.

    Examples
    --------
    >>> default_jobs() >= 1
    True
    """
    if hasattr(os, "process_cpu_count"):  # Python 3.13+
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class RunOptions:
    """Every setting of one run.

    Parameters
    ----------
    jobs : int, optional
        Worker processes (local engine) or Dask workers of the local cluster; default: every
        core. ``1`` runs in this process (local) or starts one worker (Dask).
    cache : bool
        Reuse the stored results of articles already processed with the same gazetteer and
        release, and store new ones (see :mod:`frontline.cache`).
    cache_dir : path, optional
        The cache folder; default :func:`frontline.cache.default_cache_dir`.
    overrides : Overrides, optional
        An analyst's corrections, applied to every result, whatever the engine.
    gazetteer_files : sequence of path
        The analyst's own gazetteer CSV files; their entries take precedence.
    max_bytes : int
        Largest article to read; larger ones are reported and skipped.
    budget : float or None
        Seconds of wall-clock time one article may take; an article over it is reported
        and skipped. ``None`` sets no limit.
    engine : {"local", "dask"}
        Worker processes on this machine, or a ``dask.distributed`` cluster.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``); implies ``engine="dask"``.

    Examples
    --------
    >>> RunOptions(jobs=2).workers
    2
    >>> RunOptions(scheduler="tcp://10.0.0.5:8786").engine
    'dask'
    >>> RunOptions(jobs=0)
    Traceback (most recent call last):
    ...
    ValueError: jobs must be at least 1, not 0
    """

    jobs: int | None = None
    cache: bool = False
    cache_dir: Path | None = None
    overrides: Overrides | None = None
    gazetteer_files: Sequence[str | os.PathLike[str]] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    budget: float | None = DEFAULT_BUDGET
    engine: str = "local"
    scheduler: str | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # the dataclass is frozen: normalize once, here
        if self.jobs is not None and int(self.jobs) < 1:
            raise ValueError(f"jobs must be at least 1, not {self.jobs}")
        if self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, not {self.max_bytes}")
        if self.budget is not None and not self.budget > 0:
            raise ValueError(f"budget must be a positive number of seconds, not {self.budget}")
        engine = str(getattr(self.engine, "value", self.engine)).lower()
        if self.scheduler:
            engine = "dask"
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
        set_(self, "engine", engine)
        set_(self, "gazetteer_files", tuple(str(f) for f in self.gazetteer_files))
        if self.cache_dir is not None:
            set_(self, "cache_dir", Path(self.cache_dir))

    @property
    def workers(self) -> int:
        """``jobs``, or every core when it is not set."""
        return default_jobs() if self.jobs is None else int(self.jobs)

    def replace(self, **changes: object) -> RunOptions:
        """A copy with some settings changed.

        Examples
        --------
        >>> RunOptions(jobs=4).replace(jobs=1).jobs
        1
        """
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]
