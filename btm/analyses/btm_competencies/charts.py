"""Figures of the BTM competency assessment: business vs IT maturity, gap ranking, timeline.

Each takes a table of :mod:`btm.competency` (``CompetencyAssessment.gaps`` / ``.summary``,
``DevelopmentPlan.plan`` / ``.calendar``) and returns a :class:`btm.style.BoardFigure`.

Competency names come from the analyst's files and are drawn as typed (a ``$`` never switches
matplotlib into mathtext; ``_Envisioning`` is shown as ``_Envisioning``); long names are wrapped
onto two lines and cut with ``…`` (:func:`btm.style.short_label`), the tables keep them whole.
Every legend is given its handles and labels explicitly.

Examples
--------
>>> import pandas as pd
>>> from btm.analyses.btm_competencies import charts
>>> gaps = pd.DataFrame({"competency": ["Envisioning", "Benchmarking"],
...                      "business_mean": [2.5, 3.0], "it_mean": [4.0, 3.2],
...                      "significant": [True, False]})
>>> fig = charts.competency_dumbbell(gaps, threshold=3)
>>> fig.axes[0].get_title()
'Business and IT rate the same competencies differently'
"""

from __future__ import annotations

from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from btm.errors import InputError
from btm.style import (
    HATCHES,
    INK,
    MUTED,
    PALETTE,
    bar_colour,
    canvas,
    chart,
    chart_doc,
    check_common,
    check_numeric,
    finish,
    house_style,
    legend_outside,
    legend_patch,
    require_frame,
    room_for_labels,
    short_label,
    style_bars,
)

__all__ = ["competency_dumbbell", "competency_gap_ranking", "development_timeline"]

_BUSINESS = PALETTE[1]  # blue, circles
_IT = PALETTE[2]  # vermillion, squares
#: Characters per line of a competency name on an axis (two lines at most).
_TICK_WIDTH = 28

#: Bar style per priority status: (fill index for bar_colour, hatch, legend label).
_STATUS_STYLE: dict[str, tuple[int, str, str]] = {
    "ready": (0, "", "ready to develop now"),
    "blocked": (2, "//", "waits for what it rests on"),
    "reached": (3, "..", "threshold reached"),
    "not assessed": (4, "xx", "not assessed"),
}

#: Calendar moments: (label, line style).
_MOMENTS: dict[str, tuple[str, Any]] = {
    "strategy_review": ("strategy review", (0, (1, 1.5))),
    "budget_deadline": ("budget deadline", "--"),
    "fiscal_year_start": ("fiscal-year start", "-."),
}


def _check_number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating) \
            or not np.isfinite(value):
        raise InputError(f"{name}: got {value!r}; expected a finite number")
    return float(value)


@chart_doc
def competency_dumbbell(
    gaps: pd.DataFrame,
    *,
    threshold: float | None = None,
    scale_min: float = 1,
    scale_max: float = 5,
    title: str | None = "Business and IT rate the same competencies differently",
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """Dumbbell chart: business and IT mean maturity per competency, in framework order.

    Parameters
    ----------
    gaps : pandas.DataFrame
        Columns ``competency``, ``business_mean``, ``it_mean`` and ``significant`` (as in
        ``CompetencyAssessment.gaps``), in framework order (drawn top to bottom). Business is
        a circle, IT a square; both are filled when the gap is significant, open when not.
        A competency one group did not rate shows only the other's marker.
    threshold : float, optional
        Maturity a competency must reach; drawn as a vertical dashed line.
    scale_min, scale_max : float
        The rating scale (the horizontal axis).
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> gaps = pd.DataFrame({"competency": ["A", "B"], "business_mean": [2.0, 3.0],
    ...                      "it_mean": [4.0, 3.5], "significant": [True, False]})
    >>> fig = competency_dumbbell(gaps, threshold=3)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['A', 'B']
    """
    table = require_frame(gaps, "gaps", ("competency", "business_mean", "it_mean",
                                         "significant"))
    low = _check_number(scale_min, "scale_min")
    high = _check_number(scale_max, "scale_max")
    if not low < high:
        raise InputError(f"scale_max: got {high:g}; expected a value greater than scale_min "
                         f"({low:g})")
    means = check_numeric(table[["business_mean", "it_mean"]], "gaps", allow_nan=True)
    if np.isnan(means).all(axis=1).any():
        i = int(np.flatnonzero(np.isnan(means).all(axis=1))[0])
        raise InputError(f"gaps, row {i + 1}, columns 'business_mean' and 'it_mean': both "
                         "empty; expected a mean maturity of at least one group")
    finite = means[~np.isnan(means)]
    if ((finite < low) | (finite > high)).any():
        bad = np.flatnonzero(((means < low) | (means > high)).any(axis=1))[0]
        raise InputError(f"gaps, row {bad + 1}: a mean off the scale; expected means from "
                         f"{low:g} to {high:g}")
    if threshold is not None:
        threshold = _check_number(threshold, "threshold")
        if not low <= threshold <= high:
            raise InputError(f"threshold: got {threshold:g}; expected a value on the scale "
                             f"{low:g}-{high:g}")
    significant = table["significant"].fillna(False).astype(bool).to_numpy()
    names = [str(c) for c in table["competency"]]
    n = len(names)
    y = np.arange(n)
    with chart(ax, (8.5, max(3.5, 1.2 + 0.36 * n)), title, footnote,
               "Business and IT rate the same competencies differently") as (fig, ax):
        for k in range(n):
            b, i = means[k]
            if not (np.isnan(b) or np.isnan(i)):
                ax.plot([b, i], [k, k], color=INK if significant[k] else MUTED,
                        linewidth=2.4 if significant[k] else 1.2, zorder=2, linestyle="-",
                        solid_capstyle="butt", label="_gap")
        for col, colour, marker in ((0, _BUSINESS, "o"), (1, _IT, "s")):
            for filled in (True, False):
                rows = significant == filled
                ax.plot(means[rows, col], y[rows], linestyle="none", marker=marker,
                        markersize=8, markeredgewidth=1.6, markeredgecolor=colour,
                        markerfacecolor=colour if filled else "white", zorder=3,
                        label="_marker")
        handles: list[Any] = [
            Line2D([], [], linestyle="none", marker="o", markersize=8, color=_BUSINESS,
                   label="business mean"),
            Line2D([], [], linestyle="none", marker="s", markersize=8, color=_IT,
                   label="IT mean"),
            Line2D([], [], linestyle="none", marker="o", markersize=8, color=MUTED,
                   label="filled: significant gap"),
            Line2D([], [], linestyle="none", marker="o", markersize=8, color=MUTED,
                   markerfacecolor="white", markeredgewidth=1.6,
                   label="open: not significant"),
        ]
        if threshold is not None:
            ax.axvline(threshold, color=INK, linestyle=(0, (4, 3)), linewidth=1.0, zorder=1)
            handles.append(Line2D([], [], color=INK, linestyle=(0, (4, 3)), linewidth=1.0,
                                  label=f"threshold ({threshold:g})"))
        ax.set_yticks(y, [short_label(c, width=_TICK_WIDTH) for c in names])
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(low - 0.15, high + 0.15)
        ax.set_xticks(np.arange(np.ceil(low), np.floor(high) + 1))
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(f"Mean maturity (rating, {low:g} = absent to {high:g} = excellent)")
        ax.set_ylabel("Competency (framework order)")
        legend_outside(ax, handles=handles, labels=[h.get_label() for h in handles],
                       title="Mean maturity")
        return fig


@chart_doc
def competency_gap_ranking(
    summary: pd.DataFrame,
    *,
    max_bars: int | None = None,
    title: str | None = "Where the perception gap matters most",
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """Horizontal bars of the importance-weighted gap per competency, largest on top.

    Parameters
    ----------
    summary : pandas.DataFrame
        Index: competency; columns ``weighted_gap`` (rating points, importance-weighted),
        ``gap`` (business minus IT, for the label) and ``status`` (``ready``, ``blocked``,
        ``reached`` or ``not assessed``, as in ``CompetencyAssessment.summary``). Bars are
        filled and hatched by status; each is labelled with its weighted gap and which group
        rates higher. Competencies without a gap (one group only) are left out.
    max_bars : int, optional
        Draw only the largest `max_bars`.
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"weighted_gap": [0.4, 1.1], "gap": [-0.5, -1.3],
    ...                   "status": ["ready", "blocked"]}, index=["A", "B"])
    >>> fig = competency_gap_ranking(s)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['B', 'A']
    """
    table = require_frame(summary, "summary", ("weighted_gap", "gap", "status"))
    if max_bars is not None and (isinstance(max_bars, bool) or not isinstance(max_bars, int)
                                 or max_bars < 1):
        raise InputError(f"max_bars: got {max_bars!r}; expected a whole number of at least 1 "
                         "or None")
    values = check_numeric(table[["weighted_gap", "gap"]], "summary", allow_nan=True)
    status = table["status"].astype(str).to_numpy()
    unknown = [s for s in status if s not in _STATUS_STYLE]
    if unknown:
        i = int(np.flatnonzero(status == unknown[0])[0])
        raise InputError(f"summary, row {i + 1}, column 'status': got {unknown[0]!r}; expected "
                         "one of " + ", ".join(map(repr, _STATUS_STYLE)))
    if (values[:, 0] < 0).any():
        i = int(np.flatnonzero(values[:, 0] < 0)[0])
        raise InputError(f"summary, row {i + 1}, column 'weighted_gap': got {values[i, 0]:g}; "
                         "expected a gap size of at least 0")
    keep = ~np.isnan(values[:, 0])
    if not keep.any():
        raise InputError("summary, column 'weighted_gap': every cell is empty; expected the "
                         "weighted gap of at least one competency")
    names = np.array([str(c) for c in table.index])[keep]
    weighted, gap, status = values[keep, 0], values[keep, 1], status[keep]
    order = np.argsort(-weighted, kind="stable")
    if max_bars is not None:
        order = order[:max_bars]
    names, weighted, gap, status = names[order], weighted[order], gap[order], status[order]
    n = len(names)
    y = np.arange(n)
    with chart(ax, (8.5, max(3.5, 1.2 + 0.34 * n)), title, footnote,
               "Where the perception gap matters most") as (fig, ax):
        seen: list[str] = []
        for key, (fill_i, hatch, _label) in _STATUS_STYLE.items():
            rows = status == key
            if not rows.any():
                continue
            bars = ax.barh(y[rows], weighted[rows], height=0.65)
            style_bars(bars, bar_colour(fill_i), hatch)
            seen.append(key)
        top = float(weighted.max()) if n else 1.0
        notes = []
        for k in range(n):
            who = ("IT higher" if gap[k] < 0 else "business higher" if gap[k] > 0
                   else "no gap")
            notes.append(ax.annotate(f"{weighted[k]:.2f} ({who})", (weighted[k], k),
                                     xytext=(4, 0), textcoords="offset points", va="center",
                                     ha="left", fontsize=8.5, color=INK))
        ax.set_yticks(y, [short_label(c, width=_TICK_WIDTH) for c in names])
        ax.set_ylim(n - 0.5, -0.6)
        ax.set_xlim(0, top * 1.45 if top > 0 else 1.0)
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Importance-weighted gap |business mean - IT mean| (rating points)")
        ax.set_ylabel("Competency (largest gap on top)")
        handles = [legend_patch(bar_colour(_STATUS_STYLE[s][0]), _STATUS_STYLE[s][1],
                                _STATUS_STYLE[s][2]) for s in seen]
        legend_outside(ax, handles=handles, labels=[h.get_label() for h in handles],
                       title="Development status")
        room_for_labels(ax, notes)  # each gap's label ends inside the axes, clear of the legend
        return fig


def _dates(series: pd.Series, name: str, column: str, *, allow_nat: bool = False) -> pd.Series:
    converted = pd.to_datetime(series, errors="coerce")
    bad = converted.isna().to_numpy() & (series.notna().to_numpy() | (not allow_nat))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"{name}, row {i + 1}, column '{column}': got {series.iloc[i]!r}; "
                         "expected a date such as 2025-09-30")
    return converted


#: The note drawn in place of the bars when the plan is empty.
NOTHING_TO_DEVELOP = ("Nothing left to develop: every assessed competency has reached the "
                      "threshold.")


def _nothing_to_develop(plan: pd.DataFrame, columns: tuple[str, ...], title: str | None,
                        ax: Axes | None, footnote: str | None) -> Figure:
    """The timeline of an empty plan: a one-line note in place of the bars."""
    # The columns are still checked (an empty table with no columns is refused as before).
    require_frame(pd.DataFrame(columns=plan.columns, index=[0]) if len(plan.columns) else plan,
                  "plan", columns)
    with chart(ax, (8.0, 2.4), title, footnote, "What to develop when") as (fig, ax):
        ax.set_axis_off()
        ax.text(0.5, 0.5, NOTHING_TO_DEVELOP, transform=ax.transAxes, ha="center",
                va="center", fontsize=10, color=INK)
        return fig


@chart_doc
def development_timeline(
    plan: pd.DataFrame,
    calendar: pd.DataFrame | None = None,
    *,
    title: str | None = "What to develop when",
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """Gantt chart of the development plan on the calendar, with the moments it must make.

    Parameters
    ----------
    plan : pandas.DataFrame
        ``DevelopmentPlan.plan``: columns ``competency``, ``start``, ``finish``, ``start_by``
        (latest start for its moment; empty without one) and ``needed_by``. One bar per
        competency from start to finish, in plan order (first on top), hatched by the moment
        it is needed by; a black triangle marks each ``start_by``. An empty plan (every
        assessed competency has reached the threshold) gives a figure with a one-line note
        saying nothing is left to develop.
    calendar : pandas.DataFrame, optional
        ``DevelopmentPlan.calendar``: columns ``moment`` (``strategy_review``,
        ``budget_deadline``, ``fiscal_year_start``) and ``date``. Each moment recurs yearly;
        every occurrence within the plotted period is drawn as a vertical line.
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> plan = pd.DataFrame({"competency": ["A"], "start": [pd.Timestamp("2025-01-06")],
    ...     "finish": [pd.Timestamp("2025-05-06")], "start_by": [pd.Timestamp("2025-05-30")],
    ...     "needed_by": ["budget_deadline"]})
    >>> cal = pd.DataFrame({"moment": ["budget_deadline"], "date": [pd.Timestamp("2025-09-30")]})
    >>> fig = development_timeline(plan, cal)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['A']
    """
    columns = ("competency", "start", "finish", "start_by", "needed_by")
    if isinstance(plan, pd.DataFrame) and len(plan) == 0:
        return _nothing_to_develop(plan, columns, title, ax, footnote)
    table = require_frame(plan, "plan", columns)
    start = _dates(table["start"], "plan", "start")
    end = _dates(table["finish"], "plan", "finish")
    start_by = _dates(table["start_by"], "plan", "start_by", allow_nat=True)
    if (end < start).any():
        i = int(np.flatnonzero((end < start).to_numpy())[0])
        raise InputError(f"plan, row {i + 1}, column 'finish': before its start; expected a "
                         "finish on or after the start")
    needed = table["needed_by"].where(table["needed_by"].notna(), "").astype(str).to_numpy()
    bad = [m for m in needed if m and m not in _MOMENTS]
    if bad:
        i = int(np.flatnonzero(needed == bad[0])[0])
        raise InputError(f"plan, row {i + 1}, column 'needed_by': got {bad[0]!r}; expected "
                         "one of " + ", ".join(map(repr, _MOMENTS)) + " or empty")
    moments: list[tuple[str, pd.Timestamp]] = []
    if calendar is not None:
        cal = require_frame(calendar, "calendar", ("moment", "date"))
        dates = _dates(cal["date"], "calendar", "date")
        for i, (m, d) in enumerate(zip(cal["moment"].astype(str), dates, strict=True)):
            if m not in _MOMENTS:
                raise InputError(f"calendar, row {i + 1}, column 'moment': got {m!r}; expected "
                                 "one of " + ", ".join(map(repr, _MOMENTS)))
            moments.append((m, d))
    names = [str(c) for c in table["competency"]]
    n = len(names)
    y = np.arange(n)
    lo = min(start.min(), start_by.min()) if start_by.notna().any() else start.min()
    hi = end.max()
    span_lo = lo - pd.Timedelta(days=20)
    span_hi = hi + pd.Timedelta(days=45)
    kinds = ["strategy_review", "budget_deadline", "fiscal_year_start", ""]
    style = {k: (bar_colour(j), HATCHES[j]) for j, k in enumerate(kinds)}
    check_common(title, footnote)
    with house_style():
        fig, ax = canvas(ax, (10.0, max(3.8, 1.8 + 0.36 * n)))
        left = mdates.date2num(start.to_numpy())
        width = mdates.date2num(end.to_numpy()) - left
        handles: list[Any] = []
        for kind in kinds:
            rows = needed == kind
            if not rows.any():
                continue
            bars = ax.barh(y[rows], width[rows], left=left[rows], height=0.6)
            style_bars(bars, *style[kind])
            label = f"needed by {_MOMENTS[kind][0]}" if kind else "no calendar moment"
            handles.append(legend_patch(*style[kind], label))
        has = start_by.notna().to_numpy()
        if has.any():
            ax.plot(mdates.date2num(start_by[has].to_numpy()), y[has], linestyle="none",
                    marker="v", markersize=8, color=INK, markeredgecolor="white", zorder=4,
                    label="_start by")
            handles.append(Line2D([], [], linestyle="none", marker="v", markersize=8,
                                  color=INK, markeredgecolor="white",
                                  label="latest start for its moment"))
        drawn: set[str] = set()
        for m, d in sorted(moments, key=lambda md: list(_MOMENTS).index(md[0])):
            label, ls = _MOMENTS[m]
            k0 = int(np.floor((span_lo - d).days / 365.25)) - 1
            for k in range(k0, k0 + 20):
                when = d + pd.DateOffset(years=k)
                if when < span_lo or when > span_hi:
                    continue
                x = mdates.date2num(when)
                ax.axvline(x, color=INK, linestyle=ls, linewidth=1.1, zorder=1)
                ax.annotate(f"{label}\n{when.day} {when:%b %Y}", (x, 1.0),
                            xycoords=("data", "axes fraction"), xytext=(2, 2),
                            textcoords="offset points", rotation=90, ha="left", va="bottom",
                            fontsize=7.5, color=MUTED)
            if m not in drawn:
                drawn.add(m)
                handles.append(Line2D([], [], color=INK, linestyle=ls, linewidth=1.1,
                                      label=label))
        ax.set_yticks(y, [short_label(c, width=_TICK_WIDTH) for c in names])
        ax.set_ylim(n - 0.5, -0.6)
        ax.set_xlim(mdates.date2num(span_lo), mdates.date2num(span_hi))
        locator = mdates.MonthLocator(bymonth=(1, 4, 7, 10))
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Date (bars: development, start to finish)")
        ax.set_ylabel("Competency (in order of start)")
        legend_outside(ax, handles=handles, labels=[h.get_label() for h in handles],
                       title="Plan")
        # The moments are labelled above the plot: lift the title clear of them.
        with rc_context({"axes.titlepad": 78.0}):
            return finish(fig, ax, title, footnote, "What to develop when")
