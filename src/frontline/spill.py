"""The events of a stream of articles, kept until its table is made: :class:`EventSpill`.

A command that writes one table for a stream of any length (``frontline events``,
``frontline map``, :func:`frontline.extract_events`) sees an article's events long before
it can merge them: a report of the same place, day and type may come with the last
article (:func:`frontline.events.merge_events`). Kept in a list, they grow with the
stream, by about 2 kB per event (3 MB per 1,000 articles of wire copy).

A spill keeps the first :data:`MEMORY_EVENTS` events in memory, as the list did, so a
run of a few thousand articles never touches the disk. The events after them go to a
private temporary SQLite database (a file no other process can open, deleted when the
spill is closed or the process ends), in batches of :data:`BATCH_EVENTS`. Reading them
back, :meth:`EventSpill.events` takes them one day at a time, in the table's order:
reports merge only within their day, and the table's order starts with the day, so
merging each day's events (those kept in memory first, then those on disk, each in the
order they came) and putting the days one after another gives the rows, and their
order, that merging the whole stream at once gives. Memory holds at most the events
kept, one batch and one day, however long the stream.

Examples
--------
>>> from frontline.event_schema import Event
>>> mk = lambda i, article, day: Event(i, day, 1, "p:1", "Kherson", "city", "Kherson",
...     "UA", 46.6, 32.6, 1, "shelling", "", article, "T", "", "", "", "q", 0.8)
>>> with EventSpill(memory_events=1, batch_events=1) as spill:  # two events on disk
...     spill.add([mk("e1", "a", "2022-11-11"), mk("e2", "a", "2022-11-10")])
...     spill.add([mk("e3", "b", "2022-11-11")])
...     spill.on_disk, [(e.event_id, e.date, e.n_sources) for e in spill.events()]
(True, [('e2', '2022-11-10', 1), ('e1', '2022-11-11', 2)])
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import json
import operator
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import fields
from typing import TYPE_CHECKING

from .errors import OutputError
from .event_schema import Event, row_order
from .events import merge_events

if TYPE_CHECKING:  # pragma: no cover
    from .event_table import EventTable

__all__ = ["EventSpill", "MEMORY_EVENTS", "BATCH_EVENTS"]

#: Events a spill keeps in memory (about 2 kB each): the first of the stream.
MEMORY_EVENTS = 20_000
#: Events after those that a spill gathers before it writes them to disk at once.
BATCH_EVENTS = 5_000

_VALUES = operator.attrgetter(*(f.name for f in fields(Event)))
_SCHEMA = (
    # the events of one day in one batch: a JSON list of their values
    "CREATE TABLE spill (seq INTEGER PRIMARY KEY, day BLOB NOT NULL, events TEXT NOT NULL)",
    # the ids of every event, those kept in memory too
    "CREATE TABLE ids (event_id TEXT NOT NULL)",
)

#: One day of events: the day (its text's UTF-8 bytes, which sort as the text does) and
#: its events.
_Day = tuple[bytes, list[Event]]


def _day_key(day: str) -> bytes:
    return day.encode("utf-8", "surrogatepass")


def _rows(events: list[Event]) -> list[tuple[bytes, str]]:
    """*events* as rows of the spill table: a row per day, holding the values of that
    day's events in a JSON list (JSON keeps each value's type, a float a float and a
    bool a bool, and escapes what UTF-8 cannot hold, such as a lone surrogate)."""
    days: dict[str, list[tuple]] = {}
    for event in events:
        days.setdefault(event.date, []).append(_VALUES(event))
    return [
        (_day_key(day), json.dumps(values, separators=(",", ":"), check_circular=False))
        for day, values in days.items()
    ]


@contextlib.contextmanager
def _on_disk() -> Iterator[None]:
    """Turn a failure of the temporary file (a full disk, say) into an OutputError."""
    try:
        yield
    except sqlite3.Error as err:
        raise OutputError(
            f"cannot keep the events in a temporary file ({err}): free some space in the "
            "temporary folder, or name another with TMPDIR"
        ) from err


class EventSpill:
    """Collects the events of a stream of articles; gives them back merged, in order.

    Parameters
    ----------
    merge : bool, default True
        :meth:`events` merges reports of one place, day and type
        (:func:`~frontline.events.merge_events`); False gives every event.
    memory_events, batch_events : int, optional
        Events kept in memory, and gathered before a write to disk; default
        :data:`MEMORY_EVENTS` and :data:`BATCH_EVENTS`.

    Examples
    --------
    >>> with EventSpill() as spill:
    ...     spill.add([])
    ...     len(spill), list(spill.events()), spill.on_disk
    (0, [], False)
    """

    def __init__(
        self,
        *,
        merge: bool = True,
        memory_events: int | None = None,
        batch_events: int | None = None,
    ) -> None:
        self.merge = merge
        self.memory_events = max(0, MEMORY_EVENTS if memory_events is None else memory_events)
        self.batch_events = max(1, BATCH_EVENTS if batch_events is None else batch_events)
        self._kept: list[Event] = []  # the first events, for good
        self._batch: list[Event] = []  # the next ones, on their way to disk
        self._db: sqlite3.Connection | None = None
        self._count = 0

    def add(self, events: Iterable[Event]) -> None:
        """Keep the events of one more article (or of several)."""
        new = list(events)
        self._count += len(new)
        room = self.memory_events - len(self._kept)
        if room > 0:
            self._kept.extend(new[:room])
            new = new[room:]
        if new:
            self._batch.extend(new)
            if len(self._batch) >= self.batch_events:
                self._flush()

    def __len__(self) -> int:
        """How many events were added."""
        return self._count

    @property
    def on_disk(self) -> bool:
        """Whether some events outgrew memory (and went, or are going, to disk)."""
        return self._db is not None or bool(self._batch)

    def events(self) -> Iterator[Event]:
        """Every event added, in the table's order (date, place, type, event_id), merged
        when the spill merges: the rows ``EventTable.from_events`` would make of
        ``merge_events`` of them all."""
        if not self.on_disk:
            yield from self._ordered(self._kept)
            return
        self._flush()
        kept: dict[bytes, list[Event]] = {}
        for event in self._kept:
            kept.setdefault(_day_key(event.date), []).append(event)
        # (a stable merge: on a day, the events kept come first, as they came first)
        by_day = operator.itemgetter(0)
        merged = heapq.merge(sorted(kept.items(), key=by_day), self._days(), key=by_day)
        for _, parts in itertools.groupby(merged, key=by_day):
            yield from self._ordered([event for _, events in parts for event in events])

    def _ordered(self, events: list[Event]) -> list[Event]:
        """*events* in the table's order, merged when the spill merges."""
        return merge_events(events) if self.merge else sorted(events, key=row_order)

    def repeated_ids(self) -> frozenset[str]:
        """The event ids added more than once. A row of :meth:`events` shares its id with
        another only if the id is among these (a merged row has the id of one of its
        events), so a check for repeated ids need only watch them."""
        if not self.on_disk:
            return frozenset(i for i, n in Counter(e.event_id for e in self._kept).items() if n > 1)
        self._flush()
        assert self._db is not None
        with _on_disk():
            return frozenset(
                i
                for (i,) in self._db.execute(
                    "SELECT event_id FROM ids GROUP BY event_id HAVING count(*) > 1"
                )
            )

    def table(self) -> EventTable:
        """The event table of :meth:`events`."""
        from .event_table import EventTable

        return EventTable.from_events(self.events())

    def _flush(self) -> None:
        """Write the batch to disk, in one transaction."""
        if not self._batch:
            return
        with _on_disk():
            first = self._db is None
            if self._db is None:
                # "": a private database in a temporary file, deleted when it is closed.
                self._db = sqlite3.connect("", isolation_level=None)
                self._db.execute("PRAGMA journal_mode=OFF")
                self._db.execute("PRAGMA synchronous=OFF")
                for statement in _SCHEMA:
                    self._db.execute(statement)
            ids = self._batch if not first else itertools.chain(self._kept, self._batch)
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT INTO spill (day, events) VALUES (?, ?)", _rows(self._batch)
            )
            self._db.executemany("INSERT INTO ids VALUES (?)", ((e.event_id,) for e in ids))
            self._db.execute("COMMIT")
        self._batch = []

    def _days(self) -> Iterator[_Day]:
        """The events on disk, one day at a time, by day, each in the order they came."""
        assert self._db is not None
        with _on_disk():
            self._db.execute("CREATE INDEX IF NOT EXISTS spill_by_day ON spill (day, seq)")
            rows = self._db.execute("SELECT day, events FROM spill ORDER BY day, seq")
            for day, parts in itertools.groupby(rows, key=operator.itemgetter(0)):
                yield day, [Event(*values) for _, batch in parts for values in json.loads(batch)]

    def close(self) -> None:
        """Forget the events (the database on disk is deleted)."""
        self._kept, self._batch = [], []
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> EventSpill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
