"""Figures of the IT budget: run / grow / transform split with capex and opex, and the
chargeback of IT cost to business units by service. Each takes a table :mod:`btm.budget`
returns (or :func:`.messages.category_by_expense` derives) and returns a
:class:`btm.style.BoardFigure`.

Category, business-unit and service names come from the analyst's files and are drawn as
typed (a ``$`` never switches matplotlib into mathtext, a name such as ``_Sales`` is listed like
any other); long names are wrapped onto two lines and cut with ``…``
(:func:`btm.style.short_label`), the tables keep them whole. Every legend is given its handles
and labels explicitly.

Examples
--------
>>> import pandas as pd
>>> from btm.analyses.it_budget import charts
>>> table = pd.DataFrame({"opex": [9.0, 1.0, 0.5], "capex": [1.0, 0.0, 0.5]},
...                      index=["run", "grow", "transform"])
>>> fig = charts.budget_split(table)
>>> fig.axes[0].get_title()
'IT budget by run, grow and transform'
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from btm.errors import InputError
from btm.style import (
    HATCHES,
    INK,
    LOW_GREY,
    bar_colour,
    chart,
    chart_doc,
    check_currency,
    check_numeric,
    distinct_decimals,
    format_money,
    legend_outside,
    legend_patch,
    money_formatter,
    money_label,
    require_frame,
    room_for_labels,
    short_label,
    style_bars,
)

__all__ = ["budget_split", "chargeback_by_unit"]

_EXPENSE_STYLE = {"opex": (bar_colour(0), ""), "capex": (bar_colour(2), "//")}
#: Characters per line of a category under its bar.
_CATEGORY_WIDTH = 20
#: Hatches of services beyond the sixth, so that a seventh is not solid like the first.
_MORE_HATCHES = ["++", "--", "||", "**", "OO", "xx.."]


@chart_doc
def budget_split(
    by_category: pd.DataFrame,
    *,
    currency: str = "EUR",
    title: str | None = "IT budget by run, grow and transform",
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """Stacked bars of the budget of each category (run, grow, transform), opex solid and
    capex hatched, with each category's total and share of the budget on top.

    Parameters
    ----------
    by_category : pandas.DataFrame
        Index: categories (drawn in table order); columns ``opex`` and ``capex`` (money, at
        least 0); see :func:`btm.analyses.it_budget.messages.category_by_expense`.
    currency : str
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"opex": [8.0, 1.0], "capex": [2.0, 0.0]}, index=["run", "grow"])
    >>> len(budget_split(t).axes[0].patches)
    4
    """
    currency = check_currency(currency, "currency")
    table = require_frame(by_category, "by_category", ("opex", "capex"))
    values = check_numeric(table[["opex", "capex"]], "by_category")
    if (values < 0).any():
        i, j = (int(v[0]) for v in np.nonzero(values < 0))
        raise InputError(f"by_category, row {i + 1}, column {('opex', 'capex')[j]!r}: got "
                         f"{values[i, j]:g}; expected an amount of at least 0")
    totals = values.sum(axis=1)
    grand = float(totals.sum())
    if grand <= 0:
        raise InputError("by_category: the budget is 0; expected some opex or capex")
    cats = [str(c) for c in table.index]
    with chart(ax, (8.5, 4.8), title, footnote,
               "IT budget by run, grow and transform") as (fig, ax):
        x = np.arange(len(cats))
        bottom = np.zeros(len(cats))
        handles: list[Any] = []
        for j, kind in enumerate(("opex", "capex")):
            fill, hatch = _EXPENSE_STYLE[kind]
            bars = ax.bar(x, values[:, j], bottom=bottom, width=0.6, zorder=3)
            style_bars(bars, fill, hatch)
            handles.append(legend_patch(fill, hatch, kind))
            bottom += values[:, j]
        decimals = distinct_decimals(totals, currency)
        for k in range(len(cats)):
            ax.annotate(f"{format_money(float(totals[k]), currency, decimals=decimals)} "
                        f"({totals[k] / grand:.0%})", (x[k], totals[k]), xytext=(0, 4),
                        textcoords="offset points", ha="center", va="bottom", fontsize=10,
                        fontweight="bold", color=INK)
        ax.set_xticks(x, [short_label(c, width=_CATEGORY_WIDTH) for c in cats])
        ax.set_xlim(-0.6, len(cats) - 0.4)
        ax.set_ylim(0, float(totals.max()) * 1.12)
        ax.yaxis.set_major_formatter(money_formatter(currency))
        ax.set_ylabel(money_label("Budget", currency))
        ax.set_xlabel("Category (share of the budget)")
        legend_outside(ax, handles=handles[::-1], labels=[h.get_label() for h in handles[::-1]],
                       title="Expense type")
        return fig


@chart_doc
def chargeback_by_unit(
    by_consumer_service: pd.DataFrame,
    *,
    unallocated: float = 0.0,
    currency: str = "EUR",
    title: str | None = "IT cost by business unit and service",
    ax: Axes | None = None,
    footnote: str | None = None,
    label_width: int = 28,
) -> Figure:
    """Horizontal stacked bars of the IT cost each business unit consumes, by service,
    largest consumer on top, with its amount and share of the allocated cost; cost that could
    not be allocated as a separate grey bar (amount only).

    Parameters
    ----------
    by_consumer_service : pandas.DataFrame
        :attr:`btm.budget.Chargeback.by_consumer_service`: ``business_unit``, ``service``,
        ``amount``.
    unallocated : float
        :attr:`btm.budget.Chargeback.summary` ``unallocated``; drawn as its own bar when
        greater than 0, never spread over the units.
    currency : str
    label_width : int
        Characters per line of a business unit or service: a longer name is wrapped onto a
        second line and what does not fit is cut with an ellipsis.
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"business_unit": ["Sales", "Sales", "Plant"],
    ...                   "service": ["ERP", "CRM", "ERP"], "amount": [5.0, 3.0, 9.0]})
    >>> fig = chargeback_by_unit(t, unallocated=1.0)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Plant', 'Sales', 'not allocated']
    """
    currency = check_currency(currency, "currency")
    if isinstance(label_width, bool) or not isinstance(label_width, int) or label_width < 4:
        raise InputError(f"label_width: got {label_width!r}; expected a whole number of at "
                         "least 4")
    if isinstance(unallocated, bool) or not isinstance(unallocated, int | float | np.number) \
            or not math.isfinite(float(unallocated)) or float(unallocated) < 0:
        raise InputError(f"unallocated: got {unallocated!r}; expected an amount of at least 0")
    table = require_frame(by_consumer_service, "by_consumer_service",
                          ("business_unit", "service", "amount"))
    amounts = check_numeric(table["amount"], "by_consumer_service")[:, 0]
    frame = pd.DataFrame({"bu": table["business_unit"].astype(str).to_numpy(),
                          "service": table["service"].astype(str).to_numpy(), "amount": amounts})
    pivot = frame.pivot_table(index="bu", columns="service", values="amount", aggfunc="sum",
                              fill_value=0.0, sort=False)
    pivot = pivot.loc[pivot.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    pivot = pivot[pivot.sum(axis=0).sort_values(ascending=False, kind="stable").index]
    units = [short_label(u, width=label_width) for u in pivot.index]
    services = list(pivot.columns)
    extra = float(unallocated) > 0
    n = len(units) + int(extra)
    with chart(ax, (11.0, max(3.8, 1.8 + 0.5 * n)), title, footnote,
               "IT cost by business unit and service") as (fig, ax):
        y = np.arange(n)[::-1]
        yu = y[:len(units)]
        left = np.zeros(len(units))
        handles: list[Any] = []
        for j, svc in enumerate(services):
            hatches = HATCHES + _MORE_HATCHES
            fill, hatch = bar_colour(j), hatches[j % len(hatches)]
            vals = pivot[svc].to_numpy(dtype=float)
            bars = ax.barh(yu, vals, left=left, height=0.62, zorder=3)
            style_bars(bars, fill, hatch)
            handles.append(legend_patch(fill, hatch, short_label(svc, width=label_width)))
            left += vals
        totals = left
        labels = list(units)
        if extra:
            bar = ax.barh([y[-1]], [float(unallocated)], height=0.62, zorder=3)
            style_bars(bar, LOW_GREY, "..")
            handles.append(legend_patch(LOW_GREY, "..", "not allocated"))
            labels.append("not allocated")
            totals = np.append(totals, float(unallocated))
        grand = float(left.sum())  # shares are of the cost that reached a business unit
        decimals = distinct_decimals(totals, currency)
        notes = []
        for k in range(n):
            share = f" ({totals[k] / grand:.0%})" if grand > 0 and k < len(units) else ""
            notes.append(ax.annotate(
                f"{format_money(float(totals[k]), currency, decimals=decimals)}{share}",
                (totals[k], y[k]), xytext=(4, 0), textcoords="offset points", ha="left",
                va="center", fontsize=9, color=INK))
        ax.set_yticks(y, labels)
        ax.set_xlim(0, float(totals.max(initial=0.0)) * 1.22 or 1.0)
        ax.set_ylim(-0.7, n - 0.3)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True, color="#E5E5E5", linewidth=0.6, zorder=0)
        ax.xaxis.set_major_formatter(money_formatter(currency))
        ax.set_xlabel(money_label("IT cost (share of the allocated cost)", currency))
        ax.set_ylabel("Business unit")
        legend_outside(ax, handles=handles, labels=[h.get_label() for h in handles],
                       title="Service")
        room_for_labels(ax, notes)  # the totals end inside the axes, clear of the legend
        return fig
