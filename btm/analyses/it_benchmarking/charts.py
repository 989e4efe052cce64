"""Figures of IT benchmarking: each metric's position among peers, and the spend mix.

Each takes ``BenchmarkResult.positions`` of :func:`btm.benchmark.compare` and returns a
:class:`btm.style.BoardFigure`.

Metric names the analyst adds are drawn as typed (:func:`metric_label`: underscores between
words as spaces, a leading one kept, so ``_projects_on_time`` is not mistaken for the usual
``projects_on_time``; a ``$`` never switches matplotlib into mathtext); long names are wrapped
onto two lines and cut with ``…`` (:func:`btm.style.short_label`), the tables keep them whole.
Every legend is given its handles and labels explicitly.

Examples
--------
>>> import pandas as pd
>>> from btm.analyses.it_benchmarking import charts
>>> positions = pd.DataFrame({"metric": ["run_share"], "unit": ["fraction"],
...     "percentile": [87.0], "reading": ["unfavourable"], "normalised_value": [0.8],
...     "median": [0.7]})
>>> fig = charts.benchmark_positions(positions)
>>> fig.axes[0].get_title()
'Where our IT metrics sit among peers'
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from btm.errors import InputError
from btm.style import (
    HATCHES,
    INK,
    LOW_GREY,
    MUTED,
    PALETTE,
    bar_colour,
    chart,
    chart_doc,
    check_numeric,
    format_money,
    legend_patch,
    require_frame,
    short_label,
    style_bars,
)

__all__ = ["benchmark_positions", "benchmark_spend_mix"]

#: Short names of the usual metrics (``btm.benchmark.RATIOS`` and the raw quantities).
METRIC_NAMES: dict[str, str] = {
    "it_spend_share_of_revenue": "IT spend / revenue",
    "it_spend_per_employee": "IT spend per employee",
    "it_spend_per_user": "IT spend per IT user",
    "run_share": "Run share of IT spend",
    "grow_share": "Grow share of IT spend",
    "transform_share": "Transform share of IT spend",
    "service_desk_cost_per_user": "Service-desk cost per user",
    "service_desk_cost_per_ticket": "Service-desk cost per ticket",
    "tickets_per_user": "Tickets per user",
    "it_staff_per_100_employees": "IT staff per 100 employees",
    "it_spend": "IT spend",
    "it_fte": "IT staff (FTE)",
    "availability": "Availability of core systems",
    "first_contact_resolution": "First-contact resolution",
    "mean_time_to_resolve_hours": "Mean time to resolve",
    "projects_on_time": "Projects on time",
}

#: Marker per reading: (marker, filled, legend label).
_READINGS: dict[str, tuple[str, bool, str]] = {
    "within range": ("o", False, "within the peers' IQR"),
    "favourable": ("^", True, "outside IQR, favourable"),
    "unfavourable": ("D", True, "outside IQR, unfavourable"),
    "unusual": ("s", True, "outside IQR (neither better)"),
}

#: Characters per line of a metric's name on the axis (two lines at most).
_TICK_WIDTH = 30

_CURRENCY = re.compile(r"[A-Z]{3}")  # an ISO 4217 code such as EUR ...
_NOT_CURRENCY = {"FTE"}  # ... but not these units


def metric_label(metric: str, scales_with: Any = None) -> str:
    """Words for a metric name: ``'run_share'`` -> ``'Run share of IT spend'``.

    A metric compared after size normalisation says so. Underscores between words read as
    spaces; a leading or trailing one is kept.

    Examples
    --------
    >>> metric_label("hours_of_downtime"), metric_label("it_fte", "employees")
    ('Hours of downtime', 'IT staff (FTE), at peer size')
    >>> metric_label("_projects_on_time")
    '_projects on time'
    """
    name = METRIC_NAMES.get(str(metric))
    if name is None:
        words = re.sub(r"(?<=\S)_(?=\S)", " ", str(metric)).strip()
        words = re.sub(r"\bit\b", "IT", words)
        name = words[:1].upper() + words[1:]
    if scales_with is not None and not (isinstance(scales_with, float) and np.isnan(scales_with)) \
            and str(scales_with):
        name += ", at peer size"
    return name


def format_metric_value(value: float, unit: Any, other: float | None = None) -> str:
    """A metric's value in its unit: ``80%``, ``EUR 7.7k``, ``14.5 hours``.

    Fractions get as many decimals (up to 2; at least 1 below 10 %) as it takes to tell
    `value` from `other`; a three-letter code in capitals (other than ``FTE``) is a currency.

    Examples
    --------
    >>> format_metric_value(0.9961, "fraction", 0.9975), format_metric_value(14.5, "hours")
    ('99.6%', '14.5 hours')
    """
    u = "" if unit is None or (isinstance(unit, float) and np.isnan(unit)) else str(unit)
    if u == "fraction":
        for d in (0, 1, 2) if abs(value) >= 0.1 else (1, 2):
            text = f"{value:.{d}%}"
            # never round 99.75 % up to a misleading 100 % (or 0.2 % down to 0 %)
            honest = all(f"{x:.{d}%}" not in (f"{1:.{d}%}", f"{0:.{d}%}") or x in (0, 1)
                         for x in ([value] if other is None else [value, other]))
            if honest and (other is None or text != f"{other:.{d}%}"):
                return text
        return f"{value:.2%}"
    if _CURRENCY.fullmatch(u) and u not in _NOT_CURRENCY:
        return format_money(value, u)
    text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    return f"{text} {u}".strip()


@chart_doc
def benchmark_positions(
    positions: pd.DataFrame,
    *,
    title: str | None = "Where our IT metrics sit among peers",
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """Each metric's percentile among peers, against the peers' interquartile range.

    Parameters
    ----------
    positions : pandas.DataFrame
        ``BenchmarkResult.positions``: columns ``metric``, ``unit``, ``percentile`` (0-100),
        ``reading`` (``within range``, ``favourable``, ``unfavourable``, ``unusual``),
        ``normalised_value`` and ``median``; optional ``scales_with``. One row per metric (top
        to bottom in table order): the grey box is the peers' interquartile range (25th to
        75th percentile) with a tick at the median; the marker is the organisation, its shape
        giving the reading (open circle within the range, filled triangle favourable, filled
        diamond unfavourable, filled square unusual). The organisation's value and the peer
        median are written at the right.
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"metric": ["run_share", "availability"], "unit": ["fraction"] * 2,
    ...     "percentile": [87.0, 35.0], "reading": ["unfavourable", "within range"],
    ...     "normalised_value": [0.8, 0.9961], "median": [0.7, 0.9975]})
    >>> fig = benchmark_positions(p)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Run share of IT spend', 'Availability of core systems']
    """
    table = require_frame(positions, "positions", ("metric", "unit", "percentile", "reading",
                                                   "normalised_value", "median"))
    numbers = check_numeric(table[["percentile", "normalised_value", "median"]], "positions")
    pct = numbers[:, 0]
    if ((pct < 0) | (pct > 100)).any():
        i = int(np.flatnonzero((pct < 0) | (pct > 100))[0])
        raise InputError(f"positions, row {i + 1}, column 'percentile': got {pct[i]:g}; "
                         "expected a percentile from 0 to 100")
    reading = table["reading"].astype(str).to_numpy()
    bad = [r for r in reading if r not in _READINGS]
    if bad:
        i = int(np.flatnonzero(reading == bad[0])[0])
        raise InputError(f"positions, row {i + 1}, column 'reading': got {bad[0]!r}; expected "
                         "one of " + ", ".join(map(repr, _READINGS)))
    scales = table["scales_with"] if "scales_with" in table else pd.Series([None] * len(table))
    names = [metric_label(m, s) for m, s in zip(table["metric"], scales, strict=True)]
    units = table["unit"].tolist()
    n = len(names)
    y = np.arange(n)
    shown = np.clip(pct, 1.0, 99.0)  # beyond the quartiles an estimate: keep markers visible
    with chart(ax, (10.0, max(3.5, 1.6 + 0.36 * n)), title, footnote,
               "Where our IT metrics sit among peers") as (fig, ax):
        for k in range(n):
            ax.add_patch(Rectangle((25, k - 0.3), 50, 0.6, facecolor=LOW_GREY,
                                   edgecolor=MUTED, linewidth=0.6, zorder=1))
            ax.plot([50, 50], [k - 0.3, k + 0.3], color=INK, linewidth=1.6, zorder=2,
                    linestyle="-", label="_median")
        used: list[str] = []
        for key, (marker, filled, _label) in _READINGS.items():
            rows = reading == key
            if not rows.any():
                continue
            used.append(key)
            colour = PALETTE[2] if key == "unfavourable" else PALETTE[1] if key == "favourable" \
                else INK
            ax.plot(shown[rows], y[rows], linestyle="none", marker=marker, markersize=8.5,
                    markeredgewidth=1.5, markeredgecolor=colour,
                    markerfacecolor=colour if filled else "white", zorder=3, label="_org")
        for k in range(n):
            ours = format_metric_value(numbers[k, 1], units[k], numbers[k, 2])
            peers = format_metric_value(numbers[k, 2], units[k], numbers[k, 1])
            ax.annotate(f"{ours}  ({peers})", (1.01, k),
                        xycoords=("axes fraction", "data"), va="center", ha="left",
                        fontsize=8.5, color=INK)
        ax.set_yticks(y, [short_label(name, width=_TICK_WIDTH) for name in names])
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(0, 100)
        ax.set_xticks([0, 10, 25, 50, 75, 90, 100])
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Percentile among peers (0-100; estimated beyond the quartiles)")
        handles: list[Any] = [
            Patch(facecolor=LOW_GREY, edgecolor=MUTED, label="peers' IQR (25th-75th)"),
            Line2D([], [], color=INK, linewidth=1.6, label="peer median"),
        ]
        for key in used:
            marker, filled, label = _READINGS[key]
            colour = PALETTE[2] if key == "unfavourable" else PALETTE[1] if key == "favourable" \
                else INK
            handles.append(Line2D([], [], linestyle="none", marker=marker, markersize=8,
                                  markeredgewidth=1.5, markeredgecolor=colour,
                                  markerfacecolor=colour if filled else "white",
                                  label=f"us: {label}"))
        ax.legend(handles=handles, labels=[h.get_label() for h in handles],
                  loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, borderaxespad=0.0)
        ax.annotate("Our value (peer median)", (1.01, 1.0), xycoords="axes fraction",
                    xytext=(0, 4), textcoords="offset points", va="bottom", ha="left",
                    fontsize=8.5, fontweight="bold", color=INK)
        return fig


_MIX = (("run_share", "run"), ("grow_share", "grow"), ("transform_share", "transform"))


@chart_doc
def benchmark_spend_mix(
    positions: pd.DataFrame,
    *,
    title: str | None = "How IT spend is split: run, grow, transform",
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """Stacked bars of the run / grow / transform shares: the organisation against the peers.

    Parameters
    ----------
    positions : pandas.DataFrame
        ``BenchmarkResult.positions`` with rows for ``run_share``, ``grow_share`` and
        ``transform_share`` (columns ``metric``, ``value``, ``median``). Two bars, ours and
        the peer median (whose shares need not add up to 100 %), each segment hatched and
        labelled with its share.
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"metric": ["run_share", "grow_share", "transform_share"],
    ...                   "value": [0.8, 0.15, 0.05], "median": [0.7, 0.19, 0.11]})
    >>> fig = benchmark_spend_mix(p)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Our IT spend', 'Peer median']
    """
    table = require_frame(positions, "positions", ("metric", "value", "median"))
    metrics = table["metric"].astype(str).tolist()
    missing = [m for m, _ in _MIX if m not in metrics]
    if missing:
        raise InputError(f"positions, column 'metric': no row for {', '.join(missing)}; "
                         "expected run_share, grow_share and transform_share (give run_spend, "
                         "grow_spend and transform_spend in the organisation table)")
    rows = table.set_index(table["metric"].astype(str)).loc[[m for m, _ in _MIX]]
    values = check_numeric(rows[["value", "median"]].reset_index(drop=True), "positions")
    if (values < 0).any():
        raise InputError("positions, columns 'value' and 'median': a negative share; expected "
                         "shares of at least 0")
    y = np.array([0, 1])
    with chart(ax, (9.0, 3.6), title, footnote,
               "How IT spend is split: run, grow, transform") as (fig, ax):
        left = np.zeros(2)
        handles = []
        for j, (_metric, word) in enumerate(_MIX):
            share = values[j]  # (ours, peer median)
            fill, hatch = bar_colour(j), HATCHES[j]
            bars = ax.barh(y, share, left=left, height=0.55)
            style_bars(bars, fill, hatch)
            handles.append(legend_patch(fill, hatch, word))
            for k in range(2):
                if share[k] >= 0.04:
                    ax.annotate(f"{share[k]:.0%}", (left[k] + share[k] / 2, y[k]),
                                ha="center", va="center", fontsize=9, fontweight="bold",
                                color="white" if j == 0 else INK,
                                bbox={"boxstyle": "round,pad=0.15", "linewidth": 0,
                                      "facecolor": fill, "alpha": 0.9})
            left = left + share
        ax.set_yticks(y, ["Our IT spend", "Peer median"])
        ax.set_ylim(1.6, -0.6)
        ax.set_xlim(0, max(1.0, float(left.max())) * 1.02)
        ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:.0%}")
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Share of IT spend (%)")
        ax.legend(handles=handles, labels=[h.get_label() for h in handles], loc="upper left",
                  bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, title="Spend on")
        return fig
