"""Figures of the TCO comparison: cost by category, cumulative cost and break-even, tornado,
S-curves. Each takes the table :mod:`btm.tco` returns and returns a :class:`btm.style.BoardFigure`.

Names from the cost table (options, items, categories) are drawn exactly as typed: each goes
through :func:`btm.style.plain_text` (or :func:`btm.style.short_label`, which calls it), so a
``$`` in a name is never read as mathematics. Long names are wrapped and, past a few lines, cut
with ``…`` (:func:`btm.style.short_label`); the tables keep them in full. Every legend is given
its handles and labels explicitly, so a name starting with ``_`` (which matplotlib would
otherwise leave out of a legend) is listed like any other.

Examples
--------
>>> import pandas as pd
>>> from btm.analyses.tco_comparison import charts
>>> by_category = pd.DataFrame({"capex": [500_000, 0], "opex": [300_000, 650_000]},
...                            index=["On premises", "Cloud"])
>>> fig = charts.cost_by_category(by_category, currency="EUR")
>>> fig.axes[0].get_title()
'Total cost of ownership by category'
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib.axis as maxis
import matplotlib.ticker as mticker
import matplotlib.transforms as transforms
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from btm.errors import InputError
from btm.style import (
    FIGSIZE,
    HATCHES,
    HIGH_GREY,
    INK,
    LOW_GREY,
    MUTED,
    bar_colour,
    chart,
    chart_doc,
    check_currency,
    check_numeric,
    check_positive_int,
    distinct_decimals,
    format_money,
    legend_outside,
    legend_patch,
    line_style,
    money_formatter,
    money_label,
    plain_text,
    require_frame,
    short_label,
    style_bars,
)

__all__ = ["cost_by_category", "cumulative_cost", "tornado", "s_curves"]


#: Characters per line of a name on an axis (bar charts' ticks), in a legend and in the list
#: of break-evens (one line each).
_TICK_WIDTH = 14
_LEGEND_WIDTH = 26
_LIST_WIDTH = 30
#: The list of break-evens: the baseline of its first line this many points below the axes
#: (under the tick labels and the axis label), each next one this many points lower.
_LIST_TOP = 48.0
_LIST_STEP = 13.0
#: The tornado's row labels: ``option: item`` on one line up to this many characters ...
_ROW_WIDTH = 48
#: ... else the option and the item on a line each, cut to this many.
_ROW_PART_WIDTH = 40


def _longest_line(labels: list[str]) -> int:
    return max((len(line) for label in labels for line in label.split("\n")), default=0)


class _MoneyTicks(mticker.MaxNLocator):
    """Round ticks for a horizontal money axis, as many as leave room for labels such as
    ``EUR 8.25M`` side by side. (Matplotlib's own count assumes labels three font sizes wide:
    on an axes narrowed by a legend of long names, money labels ran into each other.)"""

    LABEL_POINTS = 50.0  # a label of about 9 characters at 9 points, and a gap

    def __init__(self) -> None:
        super().__init__(nbins=9, steps=[1, 2, 2.5, 5, 10])

    def __call__(self) -> Any:
        axis = self.axis
        figure = axis.axes.get_figure(root=True) if isinstance(axis, maxis.Axis) else None
        if isinstance(axis, maxis.Axis) and figure is not None:
            width = axis.axes.bbox.width * 72.0 / figure.dpi  # points
            self.set_params(nbins=int(max(2, min(9, width // self.LABEL_POINTS))))
        return super().__call__()


def _legend_labels(names: list[str]) -> list[str]:
    """Names as a legend lists them; the legend is given these and its handles explicitly, so
    a name starting with ``_`` is listed too."""
    return [short_label(n, width=_LEGEND_WIDTH) for n in names]


@chart_doc
def cost_by_category(
    by_category: pd.DataFrame,
    *,
    currency: str = "EUR",
    title: str | None = "Total cost of ownership by category",
    ax: Axes | None = None,
    footnote: str | None = None,
    ylabel: str = "Cost",
) -> Figure:
    """Stacked bars of each option's cost by category, with the total on each bar.

    Parameters
    ----------
    by_category : pandas.DataFrame
        Index: option names; columns: cost categories; values: money. Negative values (a
        ``residual`` value recovered at the end) are stacked below zero; empty cells count as
        zero. When there are negatives, a diamond marks each option's net total.
    currency : str
        Currency code for the axis and labels.
    ylabel : str
        Axis label; the currency is appended.
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"hardware": [400_000, 0], "subscription": [0, 550_000],
    ...                       "residual": [-50_000, 0]}, index=["Buy", "Cloud"])
    >>> fig = cost_by_category(table, currency="EUR")
    >>> len(fig.axes[0].patches)
    6
    """
    currency = check_currency(currency, "currency")
    require_frame(by_category, "by_category")
    values = np.nan_to_num(check_numeric(by_category, "by_category", allow_nan=True))
    options = [short_label(o, width=_TICK_WIDTH, lines=3) for o in by_category.index]
    categories = [short_label(c, width=_LEGEND_WIDTH) for c in by_category.columns]
    n_options, n_categories = values.shape
    totals = values.sum(axis=1)
    has_negative = bool((values < 0).any())
    decimals = distinct_decimals(totals, currency)
    prefix = "Net " if has_negative else ""
    total_labels = [f"{prefix}{format_money(float(t), currency, decimals=decimals)}"
                    for t in totals]
    # Room for each bar's tick label and total, and for the legend (widths estimated from the
    # number of characters: about 0.075 inch a character at 9 points).
    slot = max(1.1, 0.075 * _longest_line(options) + 0.25,
               0.085 * _longest_line(total_labels) + 0.1)
    legend_width = 0.6 + 0.075 * _longest_line([*categories, "Cost category"])
    width = max(6.0, min(12.0, 1.0 + legend_width + slot * n_options))
    with chart(ax, (width, 4.8), title, footnote,
               "Total cost of ownership by category") as (fig, ax):
        x = np.arange(n_options)
        positive = np.clip(values, 0, None)
        negative = np.clip(values, None, 0)
        pos_bottom = np.concatenate([np.zeros((n_options, 1)), positive.cumsum(axis=1)], axis=1)
        neg_bottom = np.concatenate([np.zeros((n_options, 1)), negative.cumsum(axis=1)], axis=1)
        handles: list[Any] = []
        for j, category in enumerate(categories):
            fill, hatch = bar_colour(j), HATCHES[j % len(HATCHES)]
            column = values[:, j]
            bottom = np.where(column >= 0, pos_bottom[:, j], neg_bottom[:, j])
            bars = ax.bar(x, column, bottom=bottom, width=0.6, label=category)
            style_bars(bars, fill, hatch)
            handles.append(legend_patch(fill, hatch, category))
        tops = positive.sum(axis=1)
        span = max(float(tops.max() - negative.sum(axis=1).min()), 1.0)
        for k in range(n_options):
            ax.annotate(
                total_labels[k],
                (x[k], tops[k]),
                xytext=(0, 4), textcoords="offset points", ha="center", va="bottom",
                fontsize=10, fontweight="bold", color=INK,
            )
        if has_negative:
            ax.axhline(0, color=INK, linewidth=0.8, zorder=3)
            ax.plot(x, totals, linestyle="none", marker="D", markersize=7, color=INK,
                    markeredgecolor="white", zorder=4, label="net total")
            handles.append(Line2D([], [], linestyle="none", marker="D", color=INK,
                                  markeredgecolor="white", label="net total"))
        ax.set_ylim(top=float(tops.max()) + 0.1 * span)
        ax.set_xticks(x, options)
        ax.set_xlim(-0.6, n_options - 0.4)
        ax.yaxis.set_major_formatter(money_formatter(currency))
        ax.set_ylabel(money_label(ylabel, currency))
        ax.set_xlabel("Option")
        # Legend in stacking order: the top segment first.
        ordered = handles[:n_categories][::-1] + handles[n_categories:]
        legend_outside(ax, handles=ordered, labels=[h.get_label() for h in ordered],
                       title="Cost category")
        return fig


def _break_even_rows(break_evens: Any, cumulative: pd.DataFrame) -> list[tuple[str, str, float]]:
    if break_evens is None:
        return []
    columns = ("option", "other", "break_even_year")
    if isinstance(break_evens, pd.DataFrame) and len(break_evens) == 0 \
            and set(columns) <= set(break_evens.columns):
        return []  # one option: no pair, so no break-even to mark
    frame = require_frame(break_evens, "break_evens", columns)
    years = check_numeric(frame["break_even_year"], "break_evens", allow_nan=True)[:, 0]
    names = {str(c) for c in cumulative.columns}
    low, high = float(cumulative.index.min()), float(cumulative.index.max())
    rows = []
    seen: set[frozenset[str]] = set()
    for i, (option, other, year) in enumerate(
        zip(frame["option"].astype(str), frame["other"].astype(str), years, strict=True)
    ):
        for col, value in (("option", option), ("other", other)):
            if value not in names:
                raise InputError(
                    f"break_evens, row {i + 1}, column '{col}': got {value!r}; expected one of "
                    f"the options in cumulative ({', '.join(sorted(names))})"
                )
        if math.isnan(year):
            continue
        if not low <= year <= high:
            raise InputError(
                f"break_evens, row {i + 1}, column 'break_even_year': got {year:g}; expected a "
                f"year from {low:g} to {high:g} (the years in cumulative) or empty"
            )
        pair = frozenset((option, other))
        if pair in seen:  # a table of ordered pairs lists each crossing twice: mark it once
            continue
        seen.add(pair)
        rows.append((option, other, float(year)))
    return rows


@chart_doc
def cumulative_cost(
    cumulative: pd.DataFrame,
    *,
    currency: str = "EUR",
    break_evens: pd.DataFrame | None = None,
    title: str | None = "Cumulative cost over time",
    ax: Axes | None = None,
    footnote: str | None = None,
    ylabel: str = "Cumulative cost",
) -> Figure:
    """One line per option of cost accumulated year by year, with break-even points marked.

    Parameters
    ----------
    cumulative : pandas.DataFrame
        Index: year (0 = now .. horizon); columns: options; values: cumulative cost.
    currency : str
    break_evens : pandas.DataFrame, optional
        Columns ``option``, ``other``, ``break_even_year`` (empty when the two never cross);
        a table with these columns and no row (one option, nothing to cross) marks nothing.
        Each crossing is marked on the ``option`` line (its cost interpolated linearly between
        years) and numbered, the numbers listed below the plot, in order of year, as
        ``1  A vs B: break-even year 4.3`` (a long name cut with ``…``).
    ylabel : str
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> cum = pd.DataFrame({"Buy": [500.0, 600, 700], "Cloud": [0.0, 300, 600]}, index=[0, 1, 2])
    >>> be = pd.DataFrame({"option": ["Buy"], "other": ["Cloud"], "break_even_year": [2.0]})
    >>> fig = cumulative_cost(cum, currency="EUR", break_evens=be)
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['1', '1  Buy vs Cloud: break-even year 2.0']
    """
    currency = check_currency(currency, "currency")
    require_frame(cumulative, "cumulative")
    years = check_numeric(pd.Series(cumulative.index, name="index (year)"), "cumulative")[:, 0]
    if len(years) > 1 and not (np.diff(years) > 0).all():
        raise InputError("cumulative, index (year): years are not increasing; "
                         "expected years in increasing order such as 0, 1, 2")
    values = check_numeric(cumulative, "cumulative")
    options = [str(c) for c in cumulative.columns]
    crossings = _break_even_rows(break_evens, cumulative)
    # A new figure is taller by the list of break-evens below the plot.
    figsize = (FIGSIZE[0], FIGSIZE[1] + (0.25 + 0.19 * len(crossings) if crossings else 0.0))
    with chart(ax, figsize, title, footnote, "Cumulative cost over time") as (fig, ax):
        lines = []
        for i, option in enumerate(options):
            lines += ax.plot(years, values[:, i], label=plain_text(option), **line_style(i))
        # Each crossing gets a numbered circle; the numbers are explained in a list below the
        # axis label, in order of year, one line each: out of the way of the lines, the legend
        # and each other, however long the names (cut to one line each).
        below = transforms.offset_copy(ax.transAxes, fig=fig, y=-_LIST_TOP, units="points")
        for k, (option, other, year) in enumerate(sorted(crossings, key=lambda c: c[2]), 1):
            y = float(np.interp(year, years, values[:, options.index(option)]))
            ax.plot([year], [y], linestyle="none", marker="o", markersize=13,
                    markerfacecolor="none", markeredgecolor=INK, markeredgewidth=1.5,
                    zorder=5, label="_break-even")
            ax.annotate(str(k), (year, y), xytext=(-9, 9), textcoords="offset points",
                        ha="right", va="bottom", fontsize=9, fontweight="bold", color=INK,
                        gid=f"break-even number {k}")
            first, second = (short_label(n, width=_LIST_WIDTH, lines=1) for n in (option, other))
            ax.annotate(
                f"{k}  {first} vs {second}: break-even year {year:.1f}",
                (0.0, 0.0), xycoords=below, xytext=(0, -_LIST_STEP * (k - 1)),
                textcoords="offset points", ha="left", va="baseline", fontsize=9, color=INK,
                annotation_clip=False, gid=f"break-even {option} vs {other}",
            )
        ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(money_formatter(currency))
        ax.set_xlabel("Year (0 = today)")
        ax.set_ylabel(money_label(ylabel, currency))
        ax.set_xlim(years.min() - 0.2, years.max() + 0.2)
        legend_outside(ax, handles=lines, labels=_legend_labels(options), title="Option")
        return fig


@chart_doc
def tornado(
    tornado_table: pd.DataFrame,
    *,
    currency: str = "EUR",
    base_value: float | None = None,
    title: str | None = "What moves the cost most",
    ax: Axes | None = None,
    footnote: str | None = None,
    max_bars: int = 12,
    xlabel: str = "Present value of cost",
) -> Figure:
    """Tornado chart: how far each cost line's low and high estimate moves its option's cost.

    Parameters
    ----------
    tornado_table : pandas.DataFrame
        Columns ``option``, ``item``, ``category``, ``base_value``, ``low_value``,
        ``high_value``, ``swing``. The `max_bars` rows of largest swing are drawn, the largest
        on top, labelled ``option: item`` (on two lines, each cut with ``…`` past 40
        characters, when that is longer than 48 characters).
    currency : str
    base_value : float, optional
        Draw a reference line here; by default at the common ``base_value`` when all rows
        share one. Each bar's own base is always marked with a short black tick.
    max_bars : int
    xlabel : str
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"option": ["Cloud", "Cloud"], "item": ["egress", "licences"],
    ...     "category": ["opex", "opex"], "base_value": [1e6, 1e6],
    ...     "low_value": [0.9e6, 0.97e6], "high_value": [1.3e6, 1.05e6], "swing": [0.4e6, 0.08e6]})
    >>> fig = tornado(table, currency="EUR")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]  # top to bottom
    ['Cloud: egress', 'Cloud: licences']

    With no uncertain line (no cost line has a ``low`` or ``high`` apart from its amount, so
    :func:`btm.tco.tornado` returns no row) the figure says so instead of drawing bars:

    >>> tornado(table.iloc[:0]).axes[0].texts[0].get_text().split(":")[0]
    'No estimate ranges to show'
    """
    currency = check_currency(currency, "currency")
    max_bars = check_positive_int(max_bars, "max_bars")
    columns = ("option", "item", "category", "base_value", "low_value", "high_value", "swing")
    if isinstance(tornado_table, pd.DataFrame) and len(tornado_table) == 0 \
            and set(columns) <= set(tornado_table.columns):
        return _no_ranges(title, ax, footnote)  # no row but the columns: drawn as a note
    table = require_frame(tornado_table, "tornado_table", columns)
    numbers = check_numeric(table[["base_value", "low_value", "high_value", "swing"]], "tornado_table")
    order = np.argsort(-numbers[:, 3], kind="stable")[:max_bars]
    base, low, high = (numbers[order, k] for k in range(3))
    labels = [_tornado_label(o, i)
              for o, i in zip(table["option"].astype(str).to_numpy()[order],
                              table["item"].astype(str).to_numpy()[order], strict=True)]
    if base_value is not None:
        if isinstance(base_value, bool) or not isinstance(base_value, int | float | np.number) \
                or not math.isfinite(float(base_value)):
            raise InputError(f"base_value: got {base_value!r}; expected a finite number or None")
        reference: float | None = float(base_value)
    else:
        reference = float(base[0]) if np.allclose(base, base[0]) else None
    n = len(order)
    with chart(ax, (9.0, max(3.2, 1.4 + 0.42 * n)), title, footnote,
               "What moves the cost most") as (fig, ax):
        y = np.arange(n)[::-1]  # largest swing on top
        low_bars = ax.barh(y, low - base, left=base, height=0.62, label="low estimate")
        style_bars(low_bars, LOW_GREY, "")
        high_bars = ax.barh(y, high - base, left=base, height=0.62, label="high estimate")
        style_bars(high_bars, HIGH_GREY, "//")
        ax.plot(np.column_stack([base, base]).T, np.column_stack([y - 0.36, y + 0.36]).T,
                color=INK, linewidth=1.6, zorder=4)
        decimals = next((d for d in (1, 2) if all(
            format_money(float(v), currency, decimals=d)
            != format_money(float(b), currency, decimals=d)
            for b, lo_v, hi_v in zip(base, low, high, strict=True) for v in (lo_v, hi_v)
            if abs(v - b) > 1e-9 * max(1.0, abs(b)))), 3)
        for k in range(n):
            for value in (low[k], high[k]):
                if value == base[k]:
                    continue
                right = value > base[k]
                ax.annotate(format_money(float(value), currency, decimals=decimals),
                            (value, y[k]),
                            xytext=(4 if right else -4, 0), textcoords="offset points",
                            ha="left" if right else "right", va="center", fontsize=8,
                            color=MUTED)
        handles = [legend_patch(LOW_GREY, "", "low estimate"),
                   legend_patch(HIGH_GREY, "//", "high estimate"),
                   Line2D([], [], color=INK, linewidth=1.6, label="base case")]
        if reference is not None:
            ax.axvline(reference, color=INK, linewidth=0.8, linestyle=":", zorder=1)
        lo_edge = float(np.minimum(low, base).min())
        hi_edge = float(np.maximum(high, base).max())
        pad = 0.18 * max(hi_edge - lo_edge, abs(hi_edge) * 0.01, 1.0)
        ax.set_xlim(lo_edge - pad, hi_edge + pad)
        ax.set_yticks(y, labels)
        ax.set_ylim(-0.6, n - 0.4)
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_locator(_MoneyTicks())
        ax.xaxis.set_major_formatter(money_formatter(currency))
        ax.set_xlabel(money_label(xlabel, currency))
        ax.set_ylabel("Option: cost line")
        # Below the axis label: a fixed distance in points, whatever the figure height.
        below = transforms.offset_copy(ax.transAxes, fig=fig, y=-44, units="points")
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0),
                  bbox_transform=below, ncol=3)
        return fig


#: The tornado figure when no cost line has an estimate range (what the board reads instead).
NO_RANGES = ("No estimate ranges to show: no cost line has a low or high estimate apart from "
             "its amount,\nso every line is taken as certain and no single estimate moves the "
             "answer.")


def _no_ranges(title: str | None, ax: Axes | None, footnote: str | None) -> Figure:
    """The tornado when there is no uncertain line: a note in place of the bars."""
    with chart(ax, (9.0, 2.6), title, footnote, "What moves the cost most") as (fig, ax):
        ax.set_axis_off()
        ax.text(0.5, 0.5, NO_RANGES, transform=ax.transAxes, ha="center", va="center",
                fontsize=10, color=INK)
        return fig


_GUIDES = ((0.10, "P10"), (0.50, "P50"), (0.90, "P90"))


def _tornado_label(option: str, item: str) -> str:
    if len(option) + 2 + len(item) <= _ROW_WIDTH:
        return plain_text(f"{option}: {item}")
    first = short_label(option, width=_ROW_PART_WIDTH - 1, lines=1)
    return f"{first}:\n{short_label(item, width=_ROW_PART_WIDTH, lines=1)}"


@chart_doc
def s_curves(
    trials: pd.DataFrame,
    *,
    currency: str = "EUR",
    title: str | None = "Range of outcomes: cost at each level of confidence",
    ax: Axes | None = None,
    footnote: str | None = None,
    xlabel: str = "Present value of cost",
) -> Figure:
    """S-curves: the empirical cumulative distribution of each option's simulated cost.

    Read across from a probability on the vertical axis (guides at P10, P50, P90) to the cost
    that will not be exceeded with that probability.

    Parameters
    ----------
    trials : pandas.DataFrame
        Columns: options; rows: simulated present values (one row per trial).
    currency : str
    xlabel : str
    {chart_keywords}

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> trials = pd.DataFrame({"Buy": rng.normal(1e6, 1e5, 500), "Cloud": rng.normal(9e5, 2e5, 500)})
    >>> fig = s_curves(trials, currency="EUR")
    >>> [line.get_label() for line in fig.axes[0].get_lines()][:2]
    ['Buy', 'Cloud']
    """
    currency = check_currency(currency, "currency")
    require_frame(trials, "trials")
    values = check_numeric(trials, "trials")
    options = [str(c) for c in trials.columns]
    n = values.shape[0]
    # Empirical CDF: the k-th smallest of n values has cumulative probability k / n. Drawn as
    # steps, thinned to at most 1,000 points per curve so SVG files stay small.
    ordered = np.sort(values, axis=0)
    idx = np.unique(np.linspace(0, n - 1, min(n, 1000)).round().astype(int))
    probs = (idx + 1) / n
    with chart(ax, None, title, footnote,
               "Range of outcomes: cost at each level of confidence") as (fig, ax):
        lines = []
        for i, option in enumerate(options):
            style = line_style(i)
            lines += ax.step(ordered[idx, i], probs, where="post", label=plain_text(option),
                             markevery=max(1, len(idx) // 8), **style)
        for p, name in _GUIDES:
            ax.axhline(p, color=MUTED, linewidth=0.8, linestyle=(0, (2, 2)), zorder=1,
                       label=f"_{name}")
            ax.annotate(name, (1.0, p), xycoords=("axes fraction", "data"), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=8, color=MUTED)
        ax.set_ylim(0, 1.0)
        ax.yaxis.set_major_locator(mticker.MultipleLocator(0.1))
        ax.yaxis.set_major_formatter(mticker.PercentFormatter(1.0, decimals=0))
        ax.xaxis.set_major_locator(_MoneyTicks())
        ax.xaxis.set_major_formatter(money_formatter(currency))
        ax.grid(axis="x", visible=True)
        ax.set_xlabel(money_label(xlabel, currency))
        ax.set_ylabel("Probability cost is at most x (%)")
        # Right of the P10/P50/P90 labels: a fixed distance in points, whatever the axes width.
        beside = transforms.offset_copy(ax.transAxes, fig=fig, x=26, units="points")
        ax.legend(handles=lines, labels=_legend_labels(options), title="Option",
                  loc="upper left", bbox_to_anchor=(1.0, 1.0), bbox_transform=beside,
                  borderaxespad=0.0)
        return fig
