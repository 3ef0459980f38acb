"""The Dask engine: the per-article work on the workers of a ``dask.distributed`` cluster.

Each batch is one task. Without a scheduler address a ``LocalCluster`` with ``jobs``
single-threaded worker processes is started; with one (``tcp://host:8786``), the workers of
that cluster do the work and need ``frontline`` installed. The analyst's gazetteer files are
sent with the tasks, so they need not be on the workers' disks. The cache, the overrides and
the order of the results stay with the pipeline in this process, as with the local engine.

A task whose workers keep dying is given up by Dask (``KilledWorker``); its articles are
then reported as failed and the run goes on. The time budget holds on the workers' task
threads too (see :func:`frontline.pipeline.process_one`).

Needs the ``dask`` extra: ``pip install 'frontline[dask]'``.
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import FrontlineError
from . import Failed, Outcome, Work

if TYPE_CHECKING:  # pragma: no cover
    from ..articles import Article
    from ..gazetteer import Gazetteer

__all__ = ["DaskEngine"]


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as err:
        raise FrontlineError(
            "the Dask engine needs dask.distributed: pip install 'frontline[dask]'"
        ) from err
    return distributed


# ------------------------------------------------------------------- on the workers

_GAZETTEERS: dict[str, Gazetteer] = {}
_GAZ_LOCK = threading.Lock()

GazetteerFiles = tuple[tuple[str, bytes], ...]


def _worker_gazetteer(files: GazetteerFiles) -> Gazetteer:
    """The gazetteer for these user files, loaded once per worker process."""
    from ..gazetteer import Gazetteer

    key = hashlib.sha256(b"".join(hashlib.sha256(data).digest() for _, data in files))
    with _GAZ_LOCK:
        gaz = _GAZETTEERS.get(key.hexdigest())
        if gaz is None:
            paths = []
            if files:
                where = Path(tempfile.mkdtemp(prefix="frontline-gaz-"))
                for i, (name, data) in enumerate(files):
                    path = where / f"{i:02d}-{Path(name).name}"
                    path.write_bytes(data)
                    paths.append(str(path))
            gaz = _GAZETTEERS[key.hexdigest()] = Gazetteer.load(extra=paths or None)
    return gaz


def _run_batch(work: Work, articles: list[Article], files: GazetteerFiles) -> list[Outcome]:
    """One task: the work on every article of a batch, on a worker."""
    gazetteer = _worker_gazetteer(files)
    return [work(article, gazetteer) for article in articles]


# --------------------------------------------------------------------- on the client


class DaskEngine:
    """Run the work on a Dask cluster.

    Parameters
    ----------
    work : Work
        The per-article function; pickled by reference to the workers.
    jobs : int
        Workers of the local cluster (one thread each); ignored with a scheduler.
    scheduler : str, optional
        Address of a running scheduler; default: a ``LocalCluster``.
    client : distributed.Client, optional
        An existing client to use (it is left open).
    gazetteer_files : sequence of path
        The analyst's gazetteer CSV files; their contents travel with the tasks.
    processes : bool
        Local cluster workers as processes (for CPU-bound work) or threads.
    connect_timeout : float
        Seconds to wait for the scheduler.
    """

    def __init__(
        self,
        work: Work,
        *,
        jobs: int,
        scheduler: str | None = None,
        client: Any = None,
        gazetteer_files: tuple[str, ...] = (),
        processes: bool = True,
        connect_timeout: float = 20.0,
    ) -> None:
        distributed = _import_distributed()
        self._work = work
        self._files = tuple((str(p), Path(p).read_bytes()) for p in gazetteer_files)
        self._cluster = None
        self._own_client = client is None
        if client is None:
            if scheduler:
                try:
                    client = distributed.Client(scheduler, timeout=f"{connect_timeout}s")
                except (OSError, TimeoutError) as err:
                    raise FrontlineError(
                        f"cannot reach the Dask scheduler at {scheduler}: "
                        f"{err}; check the address (tcp://host:8786)"
                    ) from err
            else:
                self._cluster = distributed.LocalCluster(
                    n_workers=max(1, int(jobs)),
                    threads_per_worker=1,
                    processes=processes,
                    dashboard_address=":0",
                )
                client = distributed.Client(self._cluster)
        self._client = client
        self._killed = distributed.KilledWorker

    @property
    def workers(self) -> int:
        """Workers of the cluster."""
        return len(self._client.nthreads())

    def window(self) -> int:
        return max(2, 2 * (sum(self._client.nthreads().values()) or 1))

    def submit(self, articles: list[Article]) -> tuple[Any, int]:
        return (
            self._client.submit(_run_batch, self._work, articles, self._files, pure=False),
            len(articles),
        )

    def collect(self, ticket: tuple[Any, int]) -> list[Outcome]:
        future, size = ticket
        try:
            outcomes: list[Outcome] = future.result()
        except self._killed:
            outcomes = [
                Failed(
                    "the Dask workers processing it kept dying (killed, or out of memory); skipped"
                )
            ] * size
        future.release()
        return outcomes

    def close(self) -> None:
        if self._own_client:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
