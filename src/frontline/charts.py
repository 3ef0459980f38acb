"""Counts and figures of an event table: what :meth:`EventTable.summary` and
:meth:`EventTable.plot` return.

:func:`summarize` counts events by week and type and by oblast and type;
:func:`plot_table` draws the weekly counts as stacked bars beside a small map of the
events over the gazetteer's country and oblast outlines, in the map's colours
(:data:`frontline.mapbuild.TYPE_STYLES`), for print. Matplotlib is imported only here,
and only when a figure is asked for (``pip install 'frontline[notebook]'``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

    from .event_table import EventTable

__all__ = ["Summary", "summarize", "plot_table", "weeks"]

_NO_OBLAST = "(no oblast)"


def weeks(dates: pd.Series) -> pd.Series:
    """The Monday that starts each date's ISO week (the label of a weekly count).

    Examples
    --------
    >>> import pandas as pd
    >>> weeks(pd.Series(pd.to_datetime(["2022-11-11", "2022-11-14"]))).dt.day.tolist()
    [7, 14]
    """
    import pandas as pd

    return dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")


@dataclass(frozen=True)
class Summary:
    """Counts of events: ``by_week`` (rows are the weeks with events, by their Monday;
    columns are event types) and ``by_oblast`` (rows are oblasts, columns are types and ``total``).

    ``by_week`` counts the events dated to a day or a week; the ``vaguer`` ones (dated
    to a month or a year) have no week and are counted only by oblast.
    """

    by_week: pd.DataFrame
    by_oblast: pd.DataFrame
    vaguer: int

    def _repr_html_(self) -> str:
        note = (
            f"<p>{self.vaguer} event(s) dated only to a month or vaguer are not in the "
            "weekly counts.</p>"
            if self.vaguer
            else ""
        )
        return (
            "<div><p><b>Events by week and type</b></p>"
            + self.by_week.to_html()
            + note
            + "<p><b>Events by oblast and type</b></p>"
            + self.by_oblast.to_html()
            + "</div>"
        )

    def __repr__(self) -> str:
        return (
            f"Events by week and type:\n{self.by_week}\n\n"
            f"Events by oblast and type:\n{self.by_oblast}"
            + (
                f"\n\n{self.vaguer} event(s) dated only to a month or vaguer are not "
                "in the weekly counts."
                if self.vaguer
                else ""
            )
        )


def summarize(table: EventTable) -> Summary:
    """Count the events of *table* by week and type, and by oblast and type.

    Examples
    --------
    >>> from frontline.event_schema import Event
    >>> from frontline.event_table import EventTable
    >>> mk = lambda i, day, kind, oblast, precision=1: Event(i, day, precision, "p:1", "X",
    ...     "city", oblast, "UA", 46.6, 32.6, 1, kind, "", "a", "T", "W", "", "", "q", 0.8)
    >>> s = summarize(EventTable.from_events([mk("a", "2022-11-11", "shelling", "Kherson Oblast"),
    ...     mk("b", "2022-11-09", "shelling", "Kherson Oblast"),
    ...     mk("c", "2022-11-01", "armed_clash", "", precision=3)]))
    >>> s.by_week.to_dict("index")
    {Timestamp('2022-11-07 00:00:00'): {'shelling': 2}}
    >>> s.by_oblast["total"].to_dict(), s.vaguer
    ({'Kherson Oblast': 2, '(no oblast)': 1}, 1)
    """
    import pandas as pd

    from .event_schema import EVENT_TYPES

    gdf = table.gdf
    present = [t for t in EVENT_TYPES if t in set(gdf["event_type"])]
    weekly = gdf[gdf["time_precision"] <= 2]
    by_week = pd.crosstab(weeks(weekly["date"]).rename("week"), weekly["event_type"])
    by_week = by_week.reindex(columns=[t for t in present if t in by_week.columns])
    by_week.columns.name = None
    oblast = gdf["admin1"].replace("", _NO_OBLAST).rename("oblast")
    by_oblast = pd.crosstab(oblast, gdf["event_type"]).reindex(columns=present, fill_value=0)
    by_oblast.columns.name = None
    by_oblast["total"] = by_oblast.sum(axis=1)
    by_oblast = by_oblast.sort_values(["total"], ascending=False, kind="mergesort")
    return Summary(by_week=by_week, by_oblast=by_oblast, vaguer=int(len(gdf) - len(weekly)))


def plot_table(
    table: EventTable,
    *,
    gazetteer: Any = None,
    title: str | None = None,
    figsize: tuple[float, float] = (12.0, 4.5),
) -> Figure:
    """A figure for print: events per week by type (stacked bars), and a small map.

    Parameters
    ----------
    table : EventTable
    gazetteer : Gazetteer, optional
        Where the map's country and oblast outlines come from; the bundled one by
        default.
    title : str, optional
        A title over both panels.
    figsize : (width, height), default (12, 4.5)
        In inches.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.savefig("events.png", dpi=200)`` writes it; Jupyter shows it inline.

    Raises
    ------
    ImportError
        Matplotlib is not installed (it comes with the ``notebook`` extra).
    """
    try:
        from matplotlib.figure import Figure
    except ImportError as err:
        raise ImportError("plotting needs matplotlib: pip install 'frontline[notebook]'") from err
    _show_figures_inline(Figure)
    from .gazetteer import Gazetteer
    from .mapbuild import CONTEXT_BOUNDS, TYPE_STYLES, UKRAINE_BOUNDS

    summary = summarize(table)
    fig = Figure(figsize=figsize, layout="constrained")
    timeline, small_map = fig.subplots(1, 2, width_ratios=[1.6, 1])

    by_week = summary.by_week
    if len(by_week):
        bottom = None
        for kind in by_week.columns:
            style = TYPE_STYLES.get(kind)
            timeline.bar(
                by_week.index,
                by_week[kind],
                width=6,
                align="edge",
                bottom=bottom,
                color=style.color if style else None,
                label=style.label if style else kind,
            )
            bottom = by_week[kind] if bottom is None else bottom + by_week[kind]
        timeline.legend(fontsize="small", frameon=False)
    timeline.set_title("Events per week, by type")
    timeline.set_ylabel("events")
    timeline.tick_params(axis="x", labelrotation=30)
    if summary.vaguer:
        timeline.annotate(
            f"{summary.vaguer} dated only to a month or vaguer: not shown",
            (0, -0.32),
            xycoords="axes fraction",
            fontsize="small",
            color="#495057",
        )

    gaz = gazetteer if gazetteer is not None else Gazetteer.load()
    gaz.layer("countries").plot(ax=small_map, color="#f1f3f5", edgecolor="#868e96", linewidth=0.6)
    gaz.layer("regions").plot(ax=small_map, facecolor="none", edgecolor="#ced4da", linewidth=0.4)
    gdf = table.gdf
    c0, c1, c2, c3 = CONTEXT_BOUNDS  # Ukraine and its neighbours; a statement in
    near = gdf[gdf["longitude"].between(c0, c2) & gdf["latitude"].between(c1, c3)]
    for kind, rows in near.groupby("event_type", sort=True):  # Washington stays off it
        style = TYPE_STYLES.get(str(kind))
        small_map.scatter(
            rows["longitude"],
            rows["latitude"],
            s=14,
            zorder=3,
            color=style.color if style else None,
            edgecolors="white",
            linewidths=0.4,
        )
    lon0, lat0, lon1, lat1 = UKRAINE_BOUNDS
    if len(near):  # Ukraine, widened to every event shown
        lon0 = min(lon0, near["longitude"].min() - 0.5)
        lat0 = min(lat0, near["latitude"].min() - 0.5)
        lon1 = max(lon1, near["longitude"].max() + 0.5)
        lat1 = max(lat1, near["latitude"].max() + 0.5)
    small_map.set_xlim(lon0, lon1)
    small_map.set_ylim(lat0, lat1)
    small_map.set_aspect(1.5)  # about 1 / cos(48°): degrees of longitude are short here
    small_map.set_axis_off()
    far = len(gdf) - len(near)
    small_map.set_title(f"{len(near)} events" + (f" ({far} farther away)" if far else ""))
    if title:
        fig.suptitle(title)
    return fig


def _show_figures_inline(figure_type: type) -> None:
    """In IPython, have a returned Figure shown as a PNG (as pyplot's figures are).

    A Figure made without pyplot is not one of pyplot's figures, so Jupyter shows it
    only through the PNG formatter, which IPython registers with ``%matplotlib inline``.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return
    png = shell.display_formatter.formatters["image/png"]
    if figure_type not in png.type_printers:
        from IPython.core.pylabtools import select_figure_formats

        select_figure_formats(shell, {"png"})
