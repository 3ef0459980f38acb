"""A partitioned GeoParquet dataset of events: one ``part-NNNNN.parquet`` file per partition.

``frontline events ... --engine dask -o FOLDER`` writes one (any engine could): the events
of every :data:`PARTITION_SIZE` articles go to one file, one row per event and article
(nothing merged), so a huge run never holds its whole table. :func:`read_dataset` reads
the folder back as one :class:`~frontline.events.EventTable`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import EventTableError, OutputError

if TYPE_CHECKING:  # pragma: no cover
    from .events import EventTable

__all__ = ["DatasetWriter", "read_dataset", "PART_GLOB", "PARTITION_SIZE"]

#: The file names of a dataset's partitions.
PART_GLOB = "part-*.parquet"
#: Articles per partition (one file).
PARTITION_SIZE = 2000


class DatasetWriter:
    """Write the events of a stream of articles as a partitioned dataset.

    The folder's old ``part-*.parquet`` files are removed first.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with DatasetWriter(folder, partition_size=2) as ds:
    ...     for _ in range(3):
    ...         ds.add([])
    >>> sorted(p.name for p in folder.iterdir())
    ['part-00000.parquet', 'part-00001.parquet']
    """

    def __init__(
        self, folder: str | os.PathLike[str], *, partition_size: int = PARTITION_SIZE
    ) -> None:
        self.folder = Path(folder)
        self.partition_size = partition_size
        self.parts: list[Path] = []
        self.articles = 0
        self.events = 0
        self._pending: list[Any] = []
        self._in_part = 0
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for old in self.folder.glob(PART_GLOB):
                old.unlink()
        except OSError as err:
            raise OutputError(f"cannot prepare the dataset folder {self.folder}: {err}") from err

    def add(self, events: list[Any]) -> None:
        """The events of one more article."""
        self._pending.extend(events)
        self.articles += 1
        self.events += len(events)
        self._in_part += 1
        if self._in_part >= self.partition_size:
            self._flush()

    def _flush(self) -> None:
        from .events import EventTable

        path = self.folder / f"part-{len(self.parts):05d}.parquet"
        EventTable.from_events(self._pending).to_file(path)
        self.parts.append(path)
        self._pending, self._in_part = [], 0

    def close(self) -> None:
        """Write the last partition."""
        if self._in_part:
            self._flush()

    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()


def read_dataset(folder: str | os.PathLike[str]) -> EventTable:
    """Read a dataset folder as one event table.

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

    from .events import EVENT_COLUMNS, EventTable

    folder = Path(folder)
    parts = sorted(folder.glob(PART_GLOB))
    if not parts:
        raise EventTableError(
            [
                f"{folder}: no {PART_GLOB} files; write the dataset with "
                "`frontline events ... --engine dask -o FOLDER`"
            ]
        )
    frames = [EventTable.read(p).gdf for p in parts]
    gdf = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    gdf = gdf.sort_values(["date", "place", "event_type", "event_id"], kind="stable")
    gdf = gdf.reset_index(drop=True)[[*EVENT_COLUMNS, gdf.geometry.name]]
    return EventTable(gdf)
