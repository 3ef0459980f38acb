"""What deserves a human look first: the machine's least certain choices, ranked.

:func:`review` goes over pipeline results and flags three kinds of doubt:

close call
    A mention whose two best candidate places scored nearly the same (geoparse
    confidence below ``close``), e.g. Nikopol in Ukraine or in Bulgaria.
low-confidence event
    An event whose confidence is below ``low`` (a vague event word, a date carried
    from another sentence, a coarse place...).
far place
    A city, district or facility more than ``far_km`` from every other one its article
    names (literally), when the article names at least two other such places of under
    500,000 people: a likely wrong namesake, or a word taken for a place. Big cities
    are never flagged (Kyiv and Moscow are named from afar on purpose).

Each flagged item gets a *priority*: its doubt (0 to 1) times its impact (1.5 when it
reaches the map as an event, else 1.0), summed over its reasons. The doubt is

* close call: ``(close - confidence) / (close - 0.5)``, so a tie (0.5) gives 1, times
  ``min(1, km between the two candidates / 100)`` (a close call between two places a
  few km apart, such as Crimea the region and Crimea the peninsula, matters little),
  halved when one candidate lies inside the other (Kherson Oblast or Kherson Raion);
* low-confidence event: ``(low - confidence) / low``;
* far place: ``min(1, distance / (2 * far_km))``, so 0.5 just past ``far_km``.

Rows are sorted by priority, highest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .gazetteer import distance_km

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .articles import Article
    from .gazetteer import Gazetteer, Place
    from .geoparse import Mention
    from .pipeline import ArticleResult

__all__ = ["review", "save_review", "explain", "REVIEW_COLUMNS", "EXPLAIN_COLUMNS"]

#: Columns of the review table, in order.
REVIEW_COLUMNS = (
    "priority",
    "reason",
    "item",
    "article_id",
    "mention",
    "start",
    "end",
    "count",
    "place_id",
    "place",
    "admin1",
    "country_code",
    "confidence",
    "runner_up_id",
    "runner_up",
    "distance_km",
    "event_id",
    "event_type",
    "date",
    "context",
)

#: The first columns of :func:`explain`; one column per part of the score follows.
EXPLAIN_COLUMNS = ("chosen", "place_id", "place", "kind", "admin1", "country_code", "score")

#: Place kinds that are points on the map, used for the "far place" test (a country's or
#: a river's centre point says nothing about where the article's events are).
_POINT_KINDS = frozenset({"city", "district", "facility"})
#: Big cities (capitals...) are named from afar on purpose: never "far places".
_BIG_CITY = 500_000
#: Candidates closer than this are a smaller worry (the marker barely moves).
_APART_KM = 100.0
#: A region or a district inside it: the marker stays in the right area.
_NESTED = 0.5
_IMPACT_EVENT = 1.5
_CONTEXT_CHARS = 220


@dataclass(slots=True)
class _Item:
    item: str
    article_id: str
    first: Any
    place: Place | None = None
    count: int = 1
    reasons: list[str] = field(default_factory=list)
    priority: float = 0.0
    distance_km: float | None = None
    event: Any = None
    context: str = ""


def _label(place: Place) -> str:
    where = ", ".join(x for x in (place.admin1, place.country_code) if x)
    return f"{place.name} ({where})" if where else place.name


def _nested(a: Place, b: Place) -> bool:
    """Whether one place is a region and the other a district or city inside it."""
    kinds = {a.kind, b.kind}
    return (
        "region" in kinds
        and len(kinds) == 2
        and kinds <= {"region", "district", "city"}
        and bool(a.admin1)
        and a.admin1 == b.admin1
        and a.country_code == b.country_code
    )


def _context(text: str, start: int, end: int, sentences: Iterable[Any]) -> str:
    """The sentence around ``text[start:end]`` (or a window of text), on one line."""
    lo, hi = max(0, start - 100), min(len(text), end + 100)
    for s in sentences:
        if s.start <= start and end <= s.end:
            lo, hi = s.start, s.end
            break
    snippet = " ".join(text[lo:hi].split())
    if len(snippet) > _CONTEXT_CHARS:
        snippet = snippet[: _CONTEXT_CHARS - 1].rstrip() + "…"
    return snippet


def _mention_items(result: ArticleResult, *, close: float, far_km: float) -> list[_Item]:
    text = result.article.text
    on_map = {e.place_id for e in result.events}
    groups: dict[tuple[str, str], _Item] = {}
    for m in result.mentions:
        key = (m.mention.casefold(), m.place.place_id)
        if key in groups:
            groups[key].count += 1
        else:
            groups[key] = _Item(
                "mention", m.article_id or result.article.article_id, m, place=m.place
            )
    # Far places: a smaller place compared with every other point place of the article.
    points = {
        m.place.place_id: m.place
        for m in result.mentions
        if m.literal and m.place.kind in _POINT_KINDS
    }
    small = {pid for pid, p in points.items() if p.population < _BIG_CITY}
    nearest: dict[str, tuple[float, Place]] = {}
    for pid in small if len(small) >= 3 else ():
        p = points[pid]
        nearest[pid] = min(
            (
                (distance_km(p.latitude, p.longitude, o.latitude, o.longitude), o)
                for oid, o in points.items()
                if oid != pid
            ),
            key=lambda t: (t[0], t[1].place_id),
        )
    out = []
    for item in groups.values():
        m: Mention = item.first
        impact = _IMPACT_EVENT if m.place.place_id in on_map else 1.0
        if m.runner_up is not None and m.confidence < close:
            other = m.runner_up
            apart = distance_km(
                m.place.latitude, m.place.longitude, other.latitude, other.longitude
            )
            doubt = min(1.0, (close - m.confidence) / (close - 0.5))
            harm = min(1.0, apart / _APART_KM)
            nested = _nested(m.place, other)
            if nested:
                harm *= _NESTED
            item.priority += doubt * harm * impact
            how = "one inside the other" if nested else f"{apart:.0f} km apart"
            item.reasons.append(
                f"close call: {_label(m.place)} or {_label(other)} "
                f"({how}), confidence {m.confidence:.2f}"
            )
        if m.literal and m.place.place_id in nearest:
            d, other = nearest[m.place.place_id]
            if d > far_km:
                item.priority += min(1.0, d / (2 * far_km)) * impact
                item.distance_km = round(d, 1)
                item.reasons.append(
                    f"far place: {d:.0f} km from every other place of the "
                    f"article (nearest: {other.name})"
                )
        if item.reasons:
            item.context = _context(text, m.start, m.end, result.sentences)
            out.append(item)
    return out


def _event_items(result: ArticleResult, *, low: float) -> list[_Item]:
    out = []
    for e in result.events:
        if e.confidence < low and not e.corrected:
            item = _Item("event", e.article_id, e, event=e, context=e.quote)
            item.priority = (low - e.confidence) / low * _IMPACT_EVENT
            item.reasons.append(
                f"low-confidence {e.event_type} event at {e.place}, confidence {e.confidence:.2f}"
            )
            if len(item.context) > _CONTEXT_CHARS:
                item.context = item.context[: _CONTEXT_CHARS - 1].rstrip() + "…"
            out.append(item)
    return out


def _row(item: _Item) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(REVIEW_COLUMNS)
    row.update(
        priority=round(item.priority, 3),
        reason="; ".join(item.reasons),
        item=item.item,
        article_id=item.article_id,
        count=item.count,
        distance_km=item.distance_km,
        context=item.context,
    )
    if item.item == "mention":
        m = item.first
        p = m.place
        row.update(
            mention=m.mention,
            start=m.start,
            end=m.end,
            place_id=p.place_id,
            place=p.name,
            admin1=p.admin1,
            country_code=p.country_code,
            confidence=m.confidence,
        )
        if m.runner_up is not None:
            row.update(runner_up_id=m.runner_up.place_id, runner_up=_label(m.runner_up))
    else:
        e = item.event
        row.update(
            place_id=e.place_id,
            place=e.place,
            admin1=e.admin1,
            country_code=e.country_code,
            confidence=e.confidence,
            event_id=e.event_id,
            event_type=e.event_type,
            date=e.date,
        )
    return row


def review(
    results: Iterable[ArticleResult],
    *,
    limit: int | None = 50,
    close: float = 0.7,
    low: float = 0.5,
    far_km: float = 300.0,
) -> pd.DataFrame:
    """Rank what most deserves a human look, with the reason, highest priority first.

    Parameters
    ----------
    results : iterable of ArticleResult
        As :func:`frontline.pipeline.run` yields them (after overrides, if any:
        corrected events and pinned mentions, confidence 1.0, are not flagged again).
    limit : int or None, default 50
        Keep the first *limit* rows; ``None`` keeps all.
    close : float, default 0.7
        Mentions with a runner-up and a geoparse confidence below this are close calls.
    low : float, default 0.5
        Events with a confidence below this are flagged.
    far_km : float, default 300
        A point place (city, district, facility) farther than this from every other
        point place of its article is flagged (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`REVIEW_COLUMNS`: ``priority`` (see the module docstring),
        ``reason``, ``item`` (``mention`` or ``event``), where it is (``article_id``,
        ``start``, ``end``, ``count`` of same mentions in the article), the machine's
        place and its ``runner_up``, the event (``event_id``, ``event_type``, ``date``)
        and the sentence as ``context``. Repeated mentions of one name resolved to one
        place in an article are one row. Ties keep article and text order.

    Examples
    --------
    >>> import datetime as dt
    >>> from frontline.articles import Article
    >>> from frontline.gazetteer import Place
    >>> from frontline.geoparse import Mention
    >>> from frontline.pipeline import ArticleResult
    >>> ua = Place("geonames:700051", "Nikopol", "city", "UA", "Dnipropetrovsk", 47.57, 34.40)
    >>> bg = Place("geonames:727447", "Nikopol", "city", "BG", "Pleven", 43.70, 24.90)
    >>> art = Article("a1", "Shells hit Nikopol overnight.", published=dt.date(2022, 8, 9))
    >>> m = Mention("a1", 11, 18, "Nikopol", ua, 0.56, runner_up=bg)
    >>> table = review([ArticleResult(art, [m])])
    >>> row = table.iloc[0]
    >>> float(row["priority"]), row["item"], row["mention"], row["runner_up"]
    (0.7, 'mention', 'Nikopol', 'Nikopol (Pleven, BG)')
    >>> table.loc[0, "reason"]
    'close call: Nikopol (Dnipropetrovsk, UA) or Nikopol (Pleven, BG) (854 km apart), confidence 0.56'
    """
    import pandas as pd

    items: list[_Item] = []
    for result in results:
        items.extend(_mention_items(result, close=close, far_km=far_km))
        items.extend(_event_items(result, low=low))
    order = {id(it): i for i, it in enumerate(items)}
    items.sort(key=lambda it: (-round(it.priority, 6), order[id(it)]))
    if limit is not None:
        items = items[: max(0, limit)]
    frame = pd.DataFrame([_row(it) for it in items], columns=list(REVIEW_COLUMNS))
    for col in ("start", "end", "count"):
        frame[col] = frame[col].astype("Int64")
    for col in ("priority", "confidence", "distance_km"):
        frame[col] = frame[col].astype("float64")
    return frame


def explain(
    source: Article | str, name: str, *, gazetteer: Gazetteer | None = None
) -> pd.DataFrame:
    """Why a name became the place it did: every candidate, best first, with the parts of
    its score (:func:`frontline.geoparse.explain`, for an article or a text).

    Parameters
    ----------
    source : Article or str
        The article (its text, and its date for the fronts of the season) or the text the
        name is in.
    name : str
        The name as the text writes it ("War", "Pavlivka").
    gazetteer : Gazetteer, optional
        The bundled gazetteer by default.

    Returns
    -------
    pandas.DataFrame
        One row per candidate: ``chosen`` (the place the machine picked, if it read the
        name as a place), ``place_id``, ``place``, ``kind``, ``admin1``,
        ``country_code``, ``score``, then one column per part of the score (0 where a
        part does not apply); the parts add up to the score.

    Raises
    ------
    TypeError
        *source* is neither an Article nor text.

    Examples
    --------
    >>> why = explain("Drones hit the port of Odesa overnight.", "Odesa")
    >>> bool(why.loc[0, "chosen"]), why.loc[0, "country_code"]
    (True, 'UA')
    >>> bool(abs(why.loc[0, "score"] - why.iloc[0, 7:].sum()) < 1e-6)
    True
    """
    import pandas as pd

    from .articles import Article
    from .geoparse import explain as candidates

    if not isinstance(source, (Article, str)):
        raise TypeError(f"explain reads an Article or a text, not {type(source).__name__}")
    rows = [
        {
            "chosen": c.chosen,
            "place_id": c.place.place_id,
            "place": c.place.name,
            "kind": c.place.kind,
            "admin1": c.place.admin1,
            "country_code": c.place.country_code,
            "score": c.score,
            **c.parts,
        }
        for c in candidates(source, name, gazetteer=gazetteer)
    ]
    frame = pd.DataFrame(rows) if rows else pd.DataFrame(columns=list(EXPLAIN_COLUMNS))
    parts = [c for c in frame.columns if c not in EXPLAIN_COLUMNS]
    frame[parts] = frame[parts].fillna(0.0)
    return frame


def save_review(table: pd.DataFrame, path: str | Path) -> None:
    """Write a review table to CSV atomically, text cells made inert for spreadsheets.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "review.csv"
    >>> save_review(pd.DataFrame({"priority": [1.0], "context": ["=cmd()"]}), out)
    >>> out.read_text().splitlines()
    ['priority,context', "1.0,'=cmd()"]
    """
    from .outputs import atomic_write, neutralize_cell

    safe = table.copy()
    for col in safe.columns:
        if safe[col].dtype == object or str(safe[col].dtype).startswith(("string", "str")):
            safe[col] = safe[col].map(lambda v: neutralize_cell(v) if isinstance(v, str) else v)
    with atomic_write(path, newline="") as f:
        safe.to_csv(f, index=False)
