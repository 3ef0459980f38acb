"""Running the pipeline on a Dask cluster, writing a partitioned GeoParquet dataset.

The per-article function, :func:`frontline.pipeline.process_article`, runs on
``dask.distributed`` workers over partitions of the article stream; each partition's
events are written by the worker that made them, as one GeoParquet file
``part-NNNNN.parquet`` in the output folder. :func:`read_dataset` reads the folder back
as one :class:`~frontline.events.EventTable`.

Without a scheduler address a ``LocalCluster`` with one single-threaded worker process
per core is started. With one (``tcp://host:8786``), the workers of that cluster do the
work: they need ``frontline`` installed and the output folder on a file system they share
with the client. The analyst's gazetteer files are sent with the tasks, so they need not
be on the workers' disks.

Needs the ``dask`` extra: ``pip install 'frontline[dask]'``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import FrontlineError

if TYPE_CHECKING:  # pragma: no cover
    from .articles import Article
    from .events import EventTable
    from .gazetteer import Gazetteer

__all__ = ["DaskRun", "run_dask", "read_dataset", "PART_GLOB"]

#: The file names of a dataset's partitions.
PART_GLOB = "part-*.parquet"
#: Articles per partition (one task, one file).
PARTITION_SIZE = 2000


@dataclass
class DaskRun:
    """What a Dask run did: articles, events and files, and the articles that failed."""

    folder: Path
    articles: int = 0
    events: int = 0
    parts: list[Path] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (origin, message)
    warnings: list[str] = field(default_factory=list)


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as err:
        raise FrontlineError("the Dask engine needs dask.distributed: "
                             "pip install 'frontline[dask]'") from err
    return distributed


# ------------------------------------------------------------------- on the workers

_GAZETTEERS: dict[str, Gazetteer] = {}
_GAZ_LOCK = threading.Lock()


def _worker_gazetteer(files: tuple[tuple[str, bytes], ...]) -> Gazetteer:
    """The gazetteer for these user files, loaded once per worker process."""
    from .gazetteer import Gazetteer

    digest = hashlib.sha256(b"".join(hashlib.sha256(data).digest() for _, data in files))
    key = digest.hexdigest()
    with _GAZ_LOCK:
        gaz = _GAZETTEERS.get(key)
        if gaz is None:
            paths = []
            if files:
                where = Path(tempfile.mkdtemp(prefix="frontline-gaz-"))
                for i, (name, data) in enumerate(files):
                    path = where / f"{i:02d}-{Path(name).name}"
                    path.write_bytes(data)
                    paths.append(str(path))
            gaz = _GAZETTEERS[key] = Gazetteer.load(extra=paths or None)
    return gaz


def process_partition(articles: list[Article], *, index: int, folder: str,
                      gazetteer_files: tuple[tuple[str, bytes], ...] = ()) -> dict[str, Any]:
    """Process one partition on a worker and write its events as ``part-<index>.parquet``.

    Returns a small summary (counts, failed articles, warnings) for the client.
    """
    from .events import EventTable
    from .pipeline import _process_batch

    gaz = _worker_gazetteer(gazetteer_files)
    events = []
    errors: list[tuple[str, str]] = []
    warnings: list[str] = []
    for article, outcome in zip(articles, _process_batch(articles, gaz, details=False),
                                strict=True):
        if outcome[0] == "error":
            errors.append((article.origin or article.article_id, outcome[1]))
            continue
        _mentions, _timexes, _sentences, found, warned = outcome[1]
        events.extend(found)
        warnings.extend(warned)
    path = Path(folder) / f"part-{index:05d}.parquet"
    EventTable.from_events(events).to_file(path)
    return {"part": str(path), "articles": len(articles), "events": len(events),
            "errors": errors, "warnings": warnings}


# --------------------------------------------------------------------- on the client

def _partitions(articles: Iterable[Article], size: int) -> Iterable[list[Article]]:
    it = iter(articles)
    while batch := list(islice(it, size)):
        yield batch


def run_dask(articles: Iterable[Article], folder: str | os.PathLike[str], *,
             scheduler: str | None = None, client: Any = None,
             gazetteer_files: Iterable[str | os.PathLike[str]] = (),
             partition_size: int = PARTITION_SIZE, max_in_flight: int | None = None,
             n_workers: int | None = None, processes: bool = True,
             connect_timeout: float = 20.0) -> DaskRun:
    """Process *articles* on Dask and write their events as a partitioned dataset.

    Parameters
    ----------
    articles : iterable of Article
        Streamed: at most ``max_in_flight`` partitions are held or running at a time.
    folder : path
        The dataset folder. Its old ``part-*.parquet`` files are removed first.
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``); default: a LocalCluster.
    client : distributed.Client, optional
        An existing client to use (it is left open).
    gazetteer_files : iterable of path
        The analyst's gazetteer CSV files; their contents are sent to the workers.
    partition_size : int
        Articles per partition, i.e. per task and per file.
    max_in_flight : int, optional
        Partitions submitted but not finished; default twice the worker threads.
    n_workers : int, optional
        Workers of the LocalCluster (default: every core); ignored with a scheduler.
    processes : bool
        LocalCluster workers as processes (True, for CPU-bound work) or threads.
    connect_timeout : float
        Seconds to wait for the scheduler.

    Returns
    -------
    DaskRun
    """
    distributed = _import_distributed()
    from .pipeline import default_jobs

    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(PART_GLOB):
            old.unlink()
    except OSError as err:
        raise FrontlineError(f"cannot prepare the dataset folder {folder}: {err}") from err
    files = tuple((str(p), Path(p).read_bytes()) for p in gazetteer_files)

    cluster = None
    own_client = client is None
    if client is None:
        if scheduler:
            try:
                client = distributed.Client(scheduler, timeout=f"{connect_timeout}s")
            except (OSError, TimeoutError) as err:
                raise FrontlineError(f"cannot reach the Dask scheduler at {scheduler}: {err}; "
                                     "check the address (tcp://host:8786)") from err
        else:
            cluster = distributed.LocalCluster(
                n_workers=n_workers or default_jobs(), threads_per_worker=1,
                processes=processes, dashboard_address=":0")
            client = distributed.Client(cluster)
    summary = DaskRun(folder)
    try:
        threads = sum(client.nthreads().values()) or 1
        limit = max_in_flight or 2 * threads
        done = distributed.as_completed()
        in_flight = 0
        for index, part in enumerate(_partitions(articles, partition_size)):
            future = client.submit(process_partition, part, index=index, folder=str(folder),
                                   gazetteer_files=files, pure=False)
            done.add(future)
            in_flight += 1
            while in_flight >= limit:
                _collect(next(done), summary)
                in_flight -= 1
        for future in done:
            _collect(future, summary)
    finally:
        if own_client:
            client.close()
        if cluster is not None:
            cluster.close()
    summary.parts.sort()
    return summary


def _collect(future: Any, summary: DaskRun) -> None:
    out = future.result()
    future.release()
    summary.articles += out["articles"]
    summary.events += out["events"]
    summary.parts.append(Path(out["part"]))
    summary.errors.extend(out["errors"])
    summary.warnings.extend(out["warnings"])


def read_dataset(folder: str | os.PathLike[str]) -> EventTable:
    """Read a dataset folder written by :func:`run_dask` as one event table.

    Every ``part-*.parquet`` file is read and checked; rows come back in the table's
    stable order (date, place, type, event id).

    Raises
    ------
    EventTableError
        If the folder holds no partition or a partition is not a valid event table.

    Examples
    --------
    >>> import tempfile
    >>> from frontline.events import EventTable
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = EventTable.from_events([]).to_file(d / "part-00000.parquet")
    >>> len(read_dataset(d))
    0
    """
    import pandas as pd

    from .errors import EventTableError
    from .events import EVENT_COLUMNS, EventTable

    folder = Path(folder)
    parts = sorted(folder.glob(PART_GLOB))
    if not parts:
        raise EventTableError([f"{folder}: no {PART_GLOB} files; write the dataset with "
                               "`frontline events ... --engine dask -o FOLDER`"])
    frames = [EventTable.read(p).gdf for p in parts]
    gdf = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    gdf = gdf.sort_values(["date", "place", "event_type", "event_id"], kind="stable")
    gdf = gdf.reset_index(drop=True)[[*EVENT_COLUMNS, gdf.geometry.name]]
    return EventTable(gdf)
