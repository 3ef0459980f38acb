"""The events of a stream of articles, kept until its table is made: :class:`EventSpill`.

A command that writes one table for a stream of any length (``frontline events``,
``frontline map``, :func:`frontline.extract_events`) sees an article's events long before
it can merge them: a report of the same place, day and type may come with the last
article (:func:`frontline.events.merge_events`). Kept in a list, they grow with the
stream, by about 3 MB per 1,000 articles.

A spill keeps the first :data:`MEMORY_EVENTS` events in memory, as the list did; past
that, every event goes to a private temporary SQLite database on disk (deleted when the
spill is closed, or when the process ends), written in batches of that size. Reading
them back, :meth:`EventSpill.events` takes them one day at a time, in the table's order:
reports merge only within their day, and the table's order starts with the day, so
merging each day's events and putting the days one after another gives the rows (and
their order) that merging the whole stream at once gives. Memory then holds one batch
or one day of events, however long the stream.

Examples
--------
>>> from frontline.event_schema import Event
>>> mk = lambda i, article, day: Event(i, day, 1, "p:1", "Kherson", "city", "Kherson",
...     "UA", 46.6, 32.6, 1, "shelling", "", article, "T", "", "", "", "q", 0.8)
>>> with EventSpill(memory_events=1) as spill:  # everything on disk
...     spill.add([mk("e1", "a", "2022-11-11"), mk("e2", "a", "2022-11-10")])
...     spill.add([mk("e3", "b", "2022-11-11")])
...     [(e.event_id, e.date, e.n_sources) for e in spill.events()]
[('e2', '2022-11-10', 1), ('e1', '2022-11-11', 2)]
"""

from __future__ import annotations

import itertools
import json
import operator
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import fields
from typing import TYPE_CHECKING

from .event_schema import Event, row_order
from .events import merge_events

if TYPE_CHECKING:  # pragma: no cover
    from .event_table import EventTable

__all__ = ["EventSpill", "MEMORY_EVENTS"]

#: Events a spill keeps in memory before it moves them to disk (about 1.5 kB each), and
#: the size of its batches on disk.
MEMORY_EVENTS = 25_000

_VALUES = operator.attrgetter(*(f.name for f in fields(Event)))
_SCHEMA = (
    "CREATE TABLE spill (seq INTEGER PRIMARY KEY, day BLOB NOT NULL, "
    "event_id TEXT NOT NULL, row TEXT NOT NULL)"
)


def _encoded(event: Event) -> tuple[bytes, str, str]:
    """(day, event id, values) as a spill row: JSON keeps each value's type (a float
    stays a float, a bool a bool) and escapes what UTF-8 cannot hold (a lone
    surrogate); the day's UTF-8 bytes sort as its text does."""
    return (
        event.date.encode("utf-8", "surrogatepass"),
        event.event_id,
        json.dumps(_VALUES(event), separators=(",", ":"), check_circular=False),
    )


class EventSpill:
    """Collects the events of a stream of articles; gives them back merged, in order.

    Parameters
    ----------
    merge : bool, default True
        :meth:`events` merges reports of one place, day and type
        (:func:`~frontline.events.merge_events`); False gives every event.
    memory_events : int, optional
        Events kept in memory before they go to disk; default :data:`MEMORY_EVENTS`.

    Examples
    --------
    >>> with EventSpill() as spill:
    ...     spill.add([])
    ...     len(spill), list(spill.events())
    (0, [])
    """

    def __init__(self, *, merge: bool = True, memory_events: int | None = None) -> None:
        self.merge = merge
        self.memory_events = max(1, MEMORY_EVENTS if memory_events is None else memory_events)
        self._kept: list[Event] = []
        self._db: sqlite3.Connection | None = None
        self._count = 0

    def add(self, events: Iterable[Event]) -> None:
        """Keep the events of one more article (or of several)."""
        before = len(self._kept)
        self._kept.extend(events)
        self._count += len(self._kept) - before
        if len(self._kept) >= self.memory_events:
            self._flush()

    def __len__(self) -> int:
        """How many events were added."""
        return self._count

    @property
    def on_disk(self) -> bool:
        """Whether the events outgrew memory and went to disk."""
        return self._db is not None

    def events(self) -> Iterator[Event]:
        """Every event added, in the table's order (date, place, type, event_id), merged
        when the spill merges: the rows ``EventTable.from_events`` would make of
        ``merge_events`` of them all."""
        if self._db is None:
            kept = self._kept
            yield from merge_events(kept) if self.merge else sorted(kept, key=row_order)
            return
        self._flush()
        for _, rows in itertools.groupby(self._by_day(), key=operator.itemgetter(0)):
            day = [Event(*json.loads(row)) for _, row in rows]
            yield from merge_events(day) if self.merge else sorted(day, key=row_order)

    def repeated_ids(self) -> frozenset[str]:
        """The event ids added more than once. A row of :meth:`events` shares its id with
        another only if the id is among these (a merged row has the id of one of its
        events), so a check for repeated ids need only watch them."""
        if self._db is None:
            return frozenset(i for i, n in Counter(e.event_id for e in self._kept).items() if n > 1)
        self._flush()
        return frozenset(
            i
            for (i,) in self._db.execute(
                "SELECT event_id FROM spill GROUP BY event_id HAVING count(*) > 1"
            )
        )

    def table(self) -> EventTable:
        """The event table of :meth:`events`."""
        from .event_table import EventTable

        return EventTable.from_events(self.events())

    def _flush(self) -> None:
        """Move the events kept in memory to disk, in one transaction."""
        if not self._kept:
            return
        if self._db is None:
            # "": a private database in a temporary file, deleted when it is closed.
            self._db = sqlite3.connect("", isolation_level=None)
            self._db.execute("PRAGMA journal_mode=OFF")
            self._db.execute("PRAGMA synchronous=OFF")
            self._db.execute(_SCHEMA)
        self._db.execute("BEGIN")
        self._db.executemany(
            "INSERT INTO spill (day, event_id, row) VALUES (?, ?, ?)", map(_encoded, self._kept)
        )
        self._db.execute("COMMIT")
        self._kept = []

    def _by_day(self) -> Iterator[tuple[bytes, str]]:
        """(day, values) of every event on disk, by day, each day in the order added."""
        assert self._db is not None
        self._db.execute("CREATE INDEX IF NOT EXISTS spill_by_day ON spill (day, seq)")
        yield from self._db.execute("SELECT day, row FROM spill ORDER BY day, seq")

    def close(self) -> None:
        """Forget the events (the database on disk is deleted)."""
        self._kept = []
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> EventSpill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
