"""Figures of the technology roadmap: Gantt chart of the funded initiatives, the value-budget
efficient frontier, and budget and resource use per year. Each takes a table
:mod:`btm.roadmap` returns and returns a :class:`btm.style.BoardFigure`.

Initiative ids and names, categories and resource names come from the analyst's files and
are drawn as typed: a ``$`` never switches matplotlib into mathtext, a leading ``_`` is kept
(a category ``_run`` is listed as ``_run``, not as "other"), long names are wrapped onto two
lines and cut with ``…`` (:func:`btm.style.short_label`); the tables keep them whole. Every
legend is given its handles and labels explicitly.

Examples
--------
>>> import pandas as pd
>>> from btm.analyses.technology_roadmap import charts
>>> schedule = pd.DataFrame({"initiative": ["A", "B"], "chosen": [True, True],
...     "start_year": [2026, 2027], "finish_year": [2027, 2027], "mandatory": [True, False],
...     "category": ["run", "grow"]})
>>> fig = charts.roadmap_gantt(schedule)
>>> fig.axes[0].get_title()
'Roadmap of funded initiatives'
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from btm.errors import InputError
from btm.style import (
    INK,
    LOW_GREY,
    MUTED,
    bar_colour,
    chart,
    chart_doc,
    check_currency,
    check_numeric,
    check_positive_int,
    figure,
    format_money,
    legend_outside,
    legend_patch,
    money_formatter,
    money_label,
    require_frame,
    short_label,
    style_bars,
)

__all__ = ["roadmap_gantt", "efficient_frontier", "budget_use"]

#: fill and hatch of each run / grow / transform category (greyscale-safe: hatch differs).
_CATEGORY_STYLE = {
    "run": (bar_colour(0), ""),
    "grow": (bar_colour(2), "//"),
    "transform": (bar_colour(1), "xx"),
}
_OTHER_STYLE = (LOW_GREY, "..")
#: Styles of further categories, in order of first appearance (then the grey of "not given").
_MORE_STYLES = ((bar_colour(3), "\\\\"), (bar_colour(4), "++"))
#: Characters per line of a name in a legend.
_LEGEND_WIDTH = 28


def _words(name: Any) -> str:
    """Underscores between words as spaces; a leading or trailing one is kept."""
    return re.sub(r"(?<=\S)_(?=\S)", " ", str(name))


def _label(initiative: Any, name: Any, width: int) -> str:
    text = str(initiative)
    if name is not None and not (isinstance(name, float) and math.isnan(name)) \
            and str(name).strip():
        plain = str(name).strip()
        # "ERP  ERP upgrade" reads as a stutter: the name alone when it starts with the id.
        text = plain if plain.split()[0] == text else f"{text} {plain}"
    return short_label(" ".join(text.split()), width=max(width, 4), lines=2)


def _bools(column: pd.Series, name: str) -> np.ndarray:
    values = column.to_numpy()
    if not all(isinstance(v, bool | np.bool_) for v in values):
        raise InputError(f"{name}, column {column.name!r}: expected true/false values")
    return values.astype(bool)


@chart_doc
def roadmap_gantt(
    schedule: pd.DataFrame,
    *,
    title: str | None = "Roadmap of funded initiatives",
    ax: Axes | None = None,
    footnote: str | None = None,
    label_width: int = 44,
) -> Figure:
    """Gantt chart of the funded initiatives over calendar years, hatched by run / grow /
    transform, mandatory initiatives marked with a black diamond and a bold label.

    Parameters
    ----------
    schedule : pandas.DataFrame
        :attr:`btm.roadmap.Roadmap.schedule` (``initiative``, ``chosen``, ``start_year``,
        ``finish_year``, ``mandatory``), optionally with ``name`` and ``category`` (``run``,
        ``grow``, ``transform``; any other category is listed by its name in a style of its
        own, and an empty one as "not given") merged in from the initiatives table. Only
        funded rows are drawn, ordered by start year then table order, earliest on top.
    label_width : int
        Characters per line of a label (``id name``): a longer one is wrapped onto a second
        line and what does not fit is cut with an ellipsis.
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"initiative": ["A", "B", "C"], "chosen": [True, False, True],
    ...     "start_year": [2026, None, 2028], "finish_year": [2026, None, 2029],
    ...     "mandatory": [False, False, True]})
    >>> fig = roadmap_gantt(s)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['A', 'C']
    """
    label_width = check_positive_int(label_width, "label_width")
    table = require_frame(schedule, "schedule", ("initiative", "chosen", "start_year",
                                                 "finish_year", "mandatory"))
    chosen = _bools(table["chosen"], "schedule")
    table = table[chosen]
    if table.empty:
        raise InputError("schedule: no initiative is funded (column 'chosen'); expected at "
                         "least one to draw")
    years = check_numeric(table[["start_year", "finish_year"]], "schedule")
    order = np.lexsort((np.arange(len(table)), years[:, 0]))
    table, years = table.iloc[order], years[order]
    start, finish_ = years[:, 0], years[:, 1]
    if (finish_ < start).any():
        i = int(np.flatnonzero(finish_ < start)[0])
        raise InputError(f"schedule, initiative {table['initiative'].iloc[i]!r}: finish year "
                         f"{finish_[i]:g} is before start year {start[i]:g}; expected finish at "
                         "or after start")
    mandatory = _bools(table["mandatory"], "schedule")
    names = table["name"].tolist() if "name" in table.columns else [None] * len(table)
    given = (["" if pd.isna(c) else " ".join(str(c).split()) for c in table["category"]]
             if "category" in table.columns else [""] * len(table))
    # run / grow / transform in any case; every other category keeps its name as typed
    cats = [c.lower() if c.lower() in _CATEGORY_STYLE else c for c in given]
    others = [c for c in dict.fromkeys(cats) if c and c not in _CATEGORY_STYLE]
    styles: dict[str, tuple[str, str]] = dict(_CATEGORY_STYLE)
    for k, c in enumerate(others):  # beyond the extra styles, the grey of "not given"
        styles[c] = _MORE_STYLES[k] if k < len(_MORE_STYLES) else _OTHER_STYLE
    styles[""] = _OTHER_STYLE
    labels = [_label(i, n, label_width) for i, n in zip(table["initiative"], names, strict=True)]
    n = len(table)
    pitch = 0.3 if any("\n" in lab for lab in labels) else 0.19  # inches per row
    with chart(ax, (12.0, max(3.8, 1.6 + pitch * n)), title, footnote,
               "Roadmap of funded initiatives") as (fig, ax):
        y = np.arange(n)[::-1]
        used = []
        for cat in [*_CATEGORY_STYLE, *others, ""]:
            sel = np.array([c == cat for c in cats])
            if not sel.any():
                continue
            fill, hatch = styles[cat]
            bars = ax.barh(y[sel], finish_[sel] - start[sel] + 0.9, left=start[sel] - 0.45,
                           height=0.66, zorder=3)
            style_bars(bars, fill, hatch)
            used.append(legend_patch(fill, hatch, short_label(_words(cat), width=_LEGEND_WIDTH)
                                     if cat else "not given"))
        handles: list[Any] = used
        if mandatory.any():
            ax.plot(start[mandatory] - 0.45, y[mandatory], linestyle="none", marker="D",
                    markersize=7, color=INK, markeredgecolor="white", zorder=4)
            handles = [*used, Line2D([], [], linestyle="none", marker="D", color=INK,
                                     markeredgecolor="white", label="mandatory (bold)")]
        ax.set_yticks(y, labels, fontsize=8)
        for tick, flag in zip(ax.get_yticklabels(), mandatory, strict=True):
            tick.set_fontweight("bold" if flag else "normal")
        first, last = int(start.min()), int(finish_.max())
        ax.set_xticks(np.arange(first, last + 1), [str(v) for v in range(first, last + 1)])
        ax.set_xlim(first - 0.6, last + 0.6)
        ax.set_ylim(-0.7, n - 0.3)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True, color="#E5E5E5", linewidth=0.6, zorder=0)
        ax.set_xlabel("Calendar year (bar = years of work)")
        ax.set_ylabel("Funded initiative")
        legend_outside(ax, handles=handles, labels=[h.get_label() for h in handles],
                       title="Category")
        return fig


@chart_doc
def efficient_frontier(
    frontier: pd.DataFrame,
    *,
    ranking_value: float | None = None,
    ranking_budget: float | None = None,
    currency: str = "EUR",
    title: str | None = "Value of the best roadmap at each total budget",
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """The value-budget efficient frontier, today's budget marked, and the ranking method's
    roadmap at today's budget for contrast.

    Parameters
    ----------
    frontier : pandas.DataFrame
        From :func:`btm.roadmap.frontier`: ``budget`` (total over the years), ``value``,
        ``feasible`` and ``is_current``. Infeasible rows are left out.
    ranking_value, ranking_budget : float, optional
        The value of the ranking method's roadmap and the total budget it had (both or
        neither).
    currency : str
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"budget": [5.0, 10.0, 15.0], "value": [6.0, 11.0, 14.0],
    ...                   "feasible": [True] * 3, "is_current": [False, True, False]})
    >>> fig = efficient_frontier(f, ranking_value=8.0, ranking_budget=10.0)
    >>> fig.axes[0].get_xlabel()
    'Total budget over the plan (EUR)'
    """
    currency = check_currency(currency, "currency")
    table = require_frame(frontier, "frontier", ("budget", "value", "feasible", "is_current"))
    feasible = _bools(table["feasible"], "frontier")
    current = _bools(table["is_current"], "frontier")
    nums = check_numeric(table[["budget", "value"]], "frontier", allow_nan=True)
    if not feasible.any():
        raise InputError("frontier: no feasible point (column 'feasible'); expected at least one")
    if (ranking_value is None) != (ranking_budget is None):
        raise InputError("ranking_value: give ranking_value and ranking_budget together, or "
                         "neither")
    for name, v in (("ranking_value", ranking_value), ("ranking_budget", ranking_budget)):
        if v is not None and (isinstance(v, bool) or not isinstance(v, int | float | np.number)
                              or not math.isfinite(float(v))):
            raise InputError(f"{name}: got {v!r}; expected a finite number or None")
    b, v = nums[feasible, 0], nums[feasible, 1]
    order = np.argsort(b, kind="stable")
    b, v = b[order], v[order]
    with chart(ax, (9.0, 4.8), title, footnote,
               "Value of the best roadmap at each total budget") as (fig, ax):
        ax.plot(b, v, color=bar_colour(0), marker="o", markersize=5, linewidth=2,
                label="best roadmap (exact)", zorder=3)
        handles: list[Any] = [Line2D([], [], color=bar_colour(0), marker="o", linewidth=2,
                                     label="best roadmap (exact)")]
        now = current & feasible
        if now.any():
            nb, nv = float(nums[now, 0][0]), float(nums[now, 1][0])
            ax.axvline(nb, color=MUTED, linestyle="--", linewidth=1.2, zorder=2)
            ax.plot([nb], [nv], linestyle="none", marker="*", markersize=16, color=INK,
                    markeredgecolor="white", zorder=5)
            ax.annotate(f"today: {format_money(nv, currency)}", (nb, nv), xytext=(-8, 8),
                        textcoords="offset points", ha="right", va="bottom", fontsize=9,
                        color=INK)
            handles.append(Line2D([], [], linestyle="none", marker="*", markersize=14,
                                  color=INK, label="today's budget"))
        if ranking_value is not None and ranking_budget is not None:
            ax.plot([float(ranking_budget)], [float(ranking_value)], linestyle="none",
                    marker="s", markersize=9, color=bar_colour(1), markeredgecolor=INK,
                    zorder=5)
            ax.annotate(f"ranking: {format_money(float(ranking_value), currency)}",
                        (float(ranking_budget), float(ranking_value)), xytext=(8, -4),
                        textcoords="offset points", ha="left", va="top", fontsize=9,
                        color=INK)
            handles.append(Line2D([], [], linestyle="none", marker="s", markersize=8,
                                  color=bar_colour(1), markeredgecolor=INK,
                                  label="ranking by value per euro"))
        ax.xaxis.set_major_formatter(money_formatter(currency))
        ax.yaxis.set_major_formatter(money_formatter(currency))
        ax.set_xlabel(money_label("Total budget over the plan", currency))
        ax.set_ylabel(money_label("Value of funded initiatives", currency))
        ax.set_ylim(bottom=0)
        legend_outside(ax, handles=handles, labels=[h.get_label() for h in handles])
        return fig


@chart_doc
def budget_use(
    yearly: pd.DataFrame,
    *,
    currency: str = "EUR",
    resource_unit: str = "FTE",
    title: str | None = "Budget and people used each year",
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """Budget and resource use per year against capacity: bars for what the roadmap uses,
    a black tick for the capacity; the budget in money on the left panel, every resource in
    people on the right panel (drawn only on a new figure; with `ax`, the budget panel only).

    Parameters
    ----------
    yearly : pandas.DataFrame
        :attr:`btm.roadmap.Roadmap.yearly`: ``year``, ``constraint`` (``"budget"`` or a
        resource), ``capacity`` (NaN = unlimited), ``used``.
    currency, resource_unit : str
        Units of the budget and of the resources.
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> y = pd.DataFrame({"year": [2026, 2027, 2026, 2027],
    ...     "constraint": ["budget", "budget", "architects", "architects"],
    ...     "capacity": [10.0, 10.0, 3.0, 3.0], "used": [9.0, 7.0, 3.0, 2.0]})
    >>> fig = budget_use(y)
    >>> len(fig.axes)
    2
    """
    currency = check_currency(currency, "currency")
    if not isinstance(resource_unit, str) or not resource_unit.strip():
        raise InputError(f"resource_unit: got {resource_unit!r}; expected non-empty text")
    table = require_frame(yearly, "yearly", ("year", "constraint", "capacity", "used"))
    nums = check_numeric(table[["year", "capacity", "used"]], "yearly", allow_nan=True)
    if np.isnan(nums[:, [0, 2]]).any():
        raise InputError("yearly: columns 'year' and 'used' must not be empty")
    constraint = table["constraint"].astype(str).to_numpy()
    if "budget" not in constraint:
        raise InputError("yearly, column 'constraint': no 'budget' rows; expected the table "
                         "btm.roadmap.Roadmap.yearly")
    resources = [c for c in dict.fromkeys(constraint) if c != "budget"]
    rax = None
    if ax is None and resources:
        _, (ax, rax) = figure(ncols=2, figsize=(12.0, 4.8))
    with chart(ax, (9.0, 4.8), title, footnote, "Budget and people used each year") as (fig, ax):
        sel = constraint == "budget"
        yrs = nums[sel, 0]
        x = np.arange(len(yrs))
        bars = ax.bar(x, nums[sel, 2], width=0.6, zorder=3)
        style_bars(bars, bar_colour(0), "")
        cap = nums[sel, 1]
        ax.plot(x, cap, linestyle="none", marker="_", markersize=34, markeredgewidth=2.5,
                color=INK, zorder=4)
        for k in range(len(x)):
            if np.isfinite(cap[k]) and cap[k] > 0:
                ax.annotate(f"{nums[sel, 2][k] / cap[k]:.0%}", (x[k], nums[sel, 2][k]),
                            xytext=(0, -12), textcoords="offset points", ha="center",
                            va="top", fontsize=8, color="white", fontweight="bold", zorder=5)
        ax.set_xticks(x, [f"{int(v)}" for v in yrs])
        ax.yaxis.set_major_formatter(money_formatter(currency))
        ax.set_ylabel(money_label("Budget", currency))
        ax.set_xlabel("Year")
        ax.set_ylim(bottom=0)
        handles: list[Any] = [
            legend_patch(bar_colour(0), "", "budget used"),
            Line2D([], [], linestyle="none", marker="_", markersize=14, markeredgewidth=2.5,
                   color=INK, label="capacity"),
        ]
        if rax is not None:
            width = 0.8 / len(resources)
            for r, name in enumerate(resources):
                rs = constraint == name
                xr = np.arange(int(rs.sum())) - 0.4 + width * (r + 0.5)
                fill, hatch = bar_colour(r + 1), ("//", "xx", "..", "\\\\")[r % 4]
                b = rax.bar(xr, nums[rs, 2], width=width * 0.9, zorder=3)
                style_bars(b, fill, hatch)
                rax.plot(xr, nums[rs, 1], linestyle="none", marker="_",
                         markersize=max(8.0, 40 * width), markeredgewidth=2.5, color=INK,
                         zorder=4)
                handles.append(legend_patch(fill, hatch, short_label(
                    f"{_words(name)} used", width=_LEGEND_WIDTH)))
            rax.set_xticks(x, [f"{int(v)}" for v in yrs])
            rax.set_ylabel(f"People ({resource_unit.strip()})")
            rax.set_xlabel("Year")
            rax.set_ylim(bottom=0)
            rax.set_title("Scarce people", loc="left", fontsize=10)
            legend_outside(rax, handles=handles, labels=[h.get_label() for h in handles])
        else:
            legend_outside(ax, handles=handles, labels=[h.get_label() for h in handles])
        return fig
