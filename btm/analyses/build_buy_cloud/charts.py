"""Figures of build, buy or cloud: criterion contributions, weight sensitivity, rank
acceptability and the assessors' weights. Each takes a table of :func:`btm.sourcing.evaluate`'s
result and returns a :class:`btm.style.BoardFigure`.

Names read from input files (options, criteria, assessors) are shown with underscores between
words as spaces and with ``$`` escaped, so that a name can never switch matplotlib into mathtext;
a leading ``_`` is kept (``_legacy`` stays ``_legacy``) and every legend is given its handles
and labels explicitly, so such a name is listed like any other. Long names are wrapped and cut
with ``…`` (:func:`btm.style.short_label`); the tables keep them whole.

Examples
--------
>>> import pandas as pd
>>> from btm.analyses.build_buy_cloud import charts
>>> contributions = pd.DataFrame({"option": ["Buy", "Buy", "Cloud", "Cloud"],
...     "criterion": ["security", "cost", "security", "cost"],
...     "weight": [0.6, 0.4, 0.6, 0.4], "contribution": [0.6, 0.0, 0.0, 0.4]})
>>> fig = charts.criterion_contributions(contributions)
>>> fig.axes[0].get_title()
'What each option’s score is made of'
"""

from __future__ import annotations

import math
import re
from typing import Any

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from btm.errors import InputError
from btm.style import (
    HATCHES,
    INK,
    MARKERS,
    PALETTE,
    bar_colour,
    chart,
    chart_doc,
    check_numeric,
    legend_outside,
    legend_patch,
    line_style,
    ordinal,
    panels,
    percent_formatter,
    plain_text,
    require_frame,
    short_label,
    style_bars,
)

__all__ = [
    "criterion_contributions",
    "weight_sensitivity_curves",
    "rank_acceptability_heatmap",
    "assessor_weights",
    "sourcing_weights",
    "readable",
]

_METHOD_WORDS = {"topsis": "TOPSIS closeness", "weighted_sum": "weighted sum"}
_SHADE = "#E3E3E3"  # the weight interval over which the winner holds
#: Characters per line of a name: on an axis (two lines), in a legend (two lines), as the
#: title of a small panel (one line).
_TICK_WIDTH = 24
_LEGEND_WIDTH = 28
_PANEL_WIDTH = 26


def readable(name: Any, *, width: int | None = None, lines: int = 2) -> str:
    """A name from an input file as a label: underscores between words as spaces (a leading
    or trailing one is kept), ``$`` made literal (:func:`btm.style.plain_text`); with `width`,
    wrapped and cut to `lines` lines (:func:`btm.style.short_label`).

    Examples
    --------
    >>> readable("time_to_value")
    'time to value'
    >>> readable("_legacy_estate")
    '_legacy estate'
    >>> readable("Cloud $$")
    'Cloud \\\\$\\\\$'
    >>> print(readable("integration_with_the_existing_erp_and_crm", width=24))
    integration with the
    existing erp and crm
    """
    text = re.sub(r"(?<=\S)_(?=\S)", " ", str(name))
    return plain_text(text) if width is None else short_label(text, width=width, lines=lines)


def _method_word(method: str) -> str:
    if method not in _METHOD_WORDS:
        raise InputError(f"method: got {method!r}; expected one of "
                         + ", ".join(repr(m) for m in _METHOD_WORDS))
    return _METHOD_WORDS[method]


def _unique_order(values: pd.Series) -> list[Any]:
    return list(pd.unique(values))


def _check_covers(index: pd.Index, keys: list[Any], name: str, missing: str,
                  expected: str) -> None:
    """InputError naming the first of `keys` not in `index`: ``<name>: no <missing> <key>``."""
    lacking = [k for k in keys if k not in index]
    if lacking:
        raise InputError(f"{name}: no {missing} {lacking[0]!r}; expected {expected}")


def _one_per(values: Any, name: str, keys: list[Any], what: str, per: str,
             table: str) -> pd.Series:
    """`values`, a Series indexed by `per`, as numbers for each of `keys` (in that order)."""
    if not isinstance(values, pd.Series):
        raise InputError(f"{name}: got {type(values).__name__}; expected a pandas Series "
                         f"indexed by {per}")
    _check_covers(values.index, keys, name, f"{what} for {per}", f"one for every {per} of {table}")
    numbers = check_numeric(values.loc[keys].rename(what.replace(" ", "_")), name)[:, 0]
    return pd.Series(numbers, index=keys)


def _percent_text(share: float) -> str:
    """94%; a share that rounds to 0 % or 100 % but is not says <1% or >99%."""
    if 0 < share < 0.005:
        return "<1%"
    if 0.995 <= share < 1:
        return ">99%"
    return f"{share:.0%}"


# --------------------------------------------------------------------------- contributions


@chart_doc
def criterion_contributions(
    contributions: pd.DataFrame,
    *,
    scores: pd.Series | None = None,
    method: str = "weighted_sum",
    title: str | None = "What each option’s score is made of",
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """Stacked horizontal bars: each criterion's weighted, normalised score, per option.

    One bar per option (the best on top), one hatched segment per criterion of length
    ``weight x normalised`` (min-max over the options, 1 = best). A bar's length is the
    option's weighted-sum score, from 0 to 1 (the weights sum to 1).

    Parameters
    ----------
    contributions : pandas.DataFrame
        ``option, criterion, contribution`` and optionally ``weight`` (shown in the legend),
        as ``SourcingResult.contributions``.
    scores : pandas.Series, optional
        Index option: the ranking score. It orders the bars; when it is not the bar's length
        (TOPSIS closeness), a diamond marks it on each bar.
    method : {"topsis", "weighted_sum"}
        The method of `scores`, named in the legend.
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"option": ["A", "A", "B", "B"], "criterion": ["x", "y", "x", "y"],
    ...                   "contribution": [0.5, 0.0, 0.0, 0.3]})
    >>> fig = criterion_contributions(c)
    >>> fig.axes[0].get_yticklabels()[0].get_text()  # the first tick is the top bar
    'A'
    """
    word = _method_word(method)
    table = require_frame(contributions, "contributions", ("option", "criterion", "contribution"))
    values = check_numeric(table["contribution"], "contributions")[:, 0]
    if (values < -1e-9).any():
        i = int(np.flatnonzero(values < -1e-9)[0])
        raise InputError(f"contributions, row {i + 1}, column 'contribution': got {values[i]:g}; "
                         "expected a weighted, normalised score of at least 0")
    options = _unique_order(table["option"])
    criteria = _unique_order(table["criterion"])
    grid = pd.DataFrame({"option": table["option"].to_numpy(), "criterion":
                         table["criterion"].to_numpy(), "value": values})
    if grid.duplicated(["option", "criterion"]).any():
        i = int(np.flatnonzero(grid.duplicated(["option", "criterion"]).to_numpy())[0])
        raise InputError(f"contributions, row {i + 1}: option {grid['option'].iloc[i]!r} and "
                         f"criterion {grid['criterion'].iloc[i]!r} appear twice; expected one "
                         "row per option and criterion")
    wide = grid.pivot(index="option", columns="criterion", values="value").reindex(
        index=options, columns=criteria).fillna(0.0)
    totals = wide.sum(axis=1)
    marker_scores = None
    if scores is not None:
        marker_scores = _one_per(scores, "scores", options, "score", "option", "contributions")
        order = marker_scores.sort_values(ascending=False, kind="stable").index.tolist()
        if np.allclose(marker_scores.to_numpy(), totals.loc[options].to_numpy(), atol=1e-9):
            marker_scores = None  # the bar's length is the score: no marker needed
    else:
        order = totals.sort_values(ascending=False, kind="stable").index.tolist()
    weights = None
    if "weight" in table.columns:
        w = check_numeric(table["weight"], "contributions")[:, 0]
        weights = pd.Series(w, index=table["criterion"].to_numpy()).groupby(level=0).first()
    n, k = len(order), len(criteria)
    with chart(ax, (10.0, max(3.2, 1.6 + 0.62 * n)), title, footnote,
               "What each option’s score is made of") as (fig, ax):
        y = np.arange(n)[::-1]  # best on top
        left = np.zeros(n)
        handles: list[Any] = []
        for j, c in enumerate(criteria):
            fill, hatch = bar_colour(j), HATCHES[j % len(HATCHES)]
            seg = wide.loc[order, c].to_numpy(dtype=float)
            bars = ax.barh(y, seg, left=left, height=0.62, label=readable(c))
            style_bars(bars, fill, hatch)
            label = readable(c, width=_LEGEND_WIDTH)
            if weights is not None:
                label = f"{label} ({weights.loc[c]:.2f})"
            handles.append(legend_patch(fill, hatch, label))
            left = left + seg
        short = "TOPSIS" if method == "topsis" else word
        for k, (yi, total) in enumerate(zip(y, left, strict=True)):
            end, text = float(total), f"{total:.2f}"
            if marker_scores is not None:  # the label goes beyond both the bar and the marker
                score = float(marker_scores.loc[order[k]])
                end, text = max(total, score), f"{total:.2f} ({short} {score:.2f})"
            ax.annotate(text, (end, yi), xytext=(8, 0), textcoords="offset points",
                        ha="left", va="center", fontsize=9, fontweight="bold", color=INK)
        if marker_scores is not None:
            ax.plot(marker_scores.loc[order].to_numpy(), y, linestyle="none", marker="D",
                    markersize=8, color=INK, markeredgecolor="white", zorder=5,
                    label=f"{word} (ranking score)")
            handles.append(Line2D([], [], linestyle="none", marker="D", markersize=8, color=INK,
                                  markeredgecolor="white", label=f"{word} (ranking score)"))
        ax.set_yticks(y, [readable(o, width=_TICK_WIDTH) for o in order])
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xlim(0, max(1.0, float(left.max()) * 1.08))
        ax.xaxis.set_major_locator(mticker.MultipleLocator(0.1))
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.set_xlabel("Weighted, normalised score (0 = worst option on every criterion, "
                      "1 = best on every one)")
        ax.set_ylabel("Option (best first)")
        legend_outside(ax, handles=handles, labels=[h.get_label() for h in handles],
                       title="Criterion (weight)")
        return fig


# --------------------------------------------------------------------------- sensitivity


def weight_sensitivity_curves(
    curves: pd.DataFrame,
    intervals: pd.DataFrame,
    *,
    winner: Any,
    method: str = "topsis",
    title: str | None = "How far each weight can move before the winner changes",
    footnote: str | None = None,
    ncols: int = 4,
) -> Figure:
    """Small multiples, one per criterion: every option's score as that criterion's weight
    moves from 0 to 1 (the other weights rescaled in proportion).

    The stated weight is a vertical line; the interval of weights over which `winner` stays
    first is shaded, its ends written where another option takes over.

    Parameters
    ----------
    curves : pandas.DataFrame
        ``criterion, weight, option, score``, as ``SensitivityResult.curves``.
    intervals : pandas.DataFrame
        Index ``criterion``: ``weight``, ``lower``, ``upper`` and optionally
        ``overtaken_below`` / ``overtaken_above``, as ``SensitivityResult.intervals``.
    winner : str
        The option ranked first at the stated weights.
    method : {"topsis", "weighted_sum"}
        Named on the score axis.
    title, footnote : str, optional
    ncols : int
        Panels per row (1 to 6).

    Returns
    -------
    matplotlib.figure.Figure
    A :class:`btm.style.BoardFigure`: one panel per criterion and one for the legend.

    Examples
    --------
    >>> from btm import mcda
    >>> r = mcda.weight_sensitivity(pd.DataFrame([[1, 0], [0, 1]], index=["A", "B"],
    ...     columns=["x", "y"]), [0.6, 0.4], [True, True], method="weighted_sum")
    >>> fig = weight_sensitivity_curves(r.curves, r.intervals, winner=r.winner,
    ...                                 method="weighted_sum")
    >>> [a.get_title(loc="left") for a in fig.axes]  # the third panel holds the legend
    ['x', 'y', '']
    """
    word = _method_word(method)
    if isinstance(ncols, bool) or not isinstance(ncols, int) or not 1 <= ncols <= 6:
        raise InputError(f"ncols: got {ncols!r}; expected a whole number from 1 to 6")
    table = require_frame(curves, "curves", ("criterion", "weight", "option", "score"))
    numbers = check_numeric(table[["weight", "score"]], "curves")
    if ((numbers[:, 0] < -1e-9) | (numbers[:, 0] > 1 + 1e-9)).any():
        i = int(np.flatnonzero((numbers[:, 0] < -1e-9) | (numbers[:, 0] > 1 + 1e-9))[0])
        raise InputError(f"curves, row {i + 1}, column 'weight': got {numbers[i, 0]:g}; "
                         "expected a weight from 0 to 1")
    bounds = require_frame(intervals, "intervals", ("weight", "lower", "upper"))
    b = check_numeric(bounds[["weight", "lower", "upper"]], "intervals")
    criteria = _unique_order(table["criterion"])
    _check_covers(bounds.index, criteria, "intervals", "row for criterion",
                  "the intervals of the same sensitivity analysis as curves")
    options = _unique_order(table["option"])
    if winner not in options:
        raise InputError(f"winner: got {winner!r}; expected one of the options in curves ("
                         + ", ".join(repr(o) for o in options) + ")")
    b = pd.DataFrame(b, index=bounds.index, columns=["weight", "lower", "upper"])
    data = pd.DataFrame({"criterion": table["criterion"].to_numpy(), "option":
                         table["option"].to_numpy(), "weight": numbers[:, 0],
                         "score": numbers[:, 1]})
    n = len(criteria)
    cols = min(ncols, n + 1)  # one spare panel holds the legend
    rows = math.ceil((n + 1) / cols)
    lo_y = min(0.0, float(data["score"].min()))
    hi_y = max(1.0, float(data["score"].max()))
    with panels(rows, cols, (2.9 * cols + 0.6, 2.5 * rows + 1.2), title, footnote,
                "How far each weight can move before the winner changes") as (fig, flat):
        for j, c in enumerate(criteria):
            ax = flat[j]
            w0, lower, upper = (float(v) for v in b.loc[c, ["weight", "lower", "upper"]])
            ax.axvspan(lower, upper, color=_SHADE, zorder=0, linewidth=0)
            sub = data.loc[data["criterion"] == c]
            for i, o in enumerate(options):
                line = sub.loc[sub["option"] == o].sort_values("weight")
                style = line_style(i)
                ax.plot(line["weight"], line["score"], markevery=max(1, len(line) // 5),
                        markersize=4.5, linewidth=1.6, label=readable(o), **style)
            ax.axvline(w0, color=INK, linewidth=1.2, linestyle=(0, (4, 2)), zorder=4)
            ax.annotate(f"now {w0:.2f}", (w0, 1.0), xycoords=("data", "axes fraction"),
                        xytext=(3, -2), textcoords="offset points", ha="left", va="top",
                        fontsize=7.5, color=INK)
            for end, key in ((lower, "overtaken_below"), (upper, "overtaken_above")):
                if end in (0.0, 1.0) and (key not in bounds.columns
                                          or pd.isna(bounds.loc[c, key])):
                    continue
                ax.annotate(f"{end:.2f}", (end, 0.0), xycoords=("data", "axes fraction"),
                            xytext=(0, 3), textcoords="offset points", ha="center",
                            va="bottom", fontsize=7.5, fontweight="bold", color=INK,
                            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                                  "edgecolor": "none", "alpha": 0.85})
            ax.set_title(readable(c, width=_PANEL_WIDTH, lines=1), fontsize=10, fontweight="bold", loc="left", pad=4)
            ax.set_xlim(0, 1)
            ax.set_ylim(lo_y, hi_y)
            ax.xaxis.set_major_locator(mticker.MultipleLocator(0.25))
            ax.xaxis.set_major_formatter(mticker.FormatStrFormatter("%.2g"))
            ax.tick_params(labelsize=8)
            if j % cols:
                ax.tick_params(labelleft=False)
            if j + cols >= n:  # no panel below: this one carries the axis label
                ax.set_xlabel("Weight (0–1)", fontsize=9)
        for ax in flat[n:]:
            ax.set_axis_off()
        handles: list[Any] = [Line2D([], [], markersize=4.5, linewidth=1.6,
                                     label=readable(o, width=_LEGEND_WIDTH), **line_style(i))
                              for i, o in enumerate(options)]
        handles += [Line2D([], [], color=INK, linewidth=1.2, linestyle=(0, (4, 2)),
                           label="stated weight"),
                    Patch(facecolor=_SHADE, edgecolor="none",
                          label=f"{readable(winner, width=_LEGEND_WIDTH)} stays first")]
        flat[n].legend(handles=handles, labels=[h.get_label() for h in handles],
                       loc="upper left", title="Option", frameon=False)
        flat[n].text(0.02, 0.02, "Each panel moves one criterion's\nweight from 0 to 1; the "
                     "other\nweights keep their proportions.", transform=flat[n].transAxes,
                     ha="left", va="bottom", fontsize=8.5, color=INK)
        fig.supylabel(f"Score ({word}, 0–1)", fontsize=10)
        return fig


# --------------------------------------------------------------------------- acceptability


@chart_doc
def rank_acceptability_heatmap(
    tidy: pd.DataFrame,
    *,
    n_trials: int | None = None,
    title: str | None = "How often each option takes each rank",
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """Heat map of rank acceptability: options x rank, each cell the share of trials.

    Grey scale (darker = more trials), every cell written as a percentage, so it reads in
    print. Options are ordered by expected rank, the best on top.

    Parameters
    ----------
    tidy : pandas.DataFrame
        ``option, rank, share`` (share a fraction), as ``AcceptabilityResult.tidy``.
    n_trials : int, optional
        Number of trials, shown on the colour bar.
    {chart_keywords}

    Examples
    --------
    >>> t = pd.DataFrame({"option": ["A", "A", "B", "B"], "rank": [1, 2, 1, 2],
    ...                   "share": [0.9, 0.1, 0.1, 0.9]})
    >>> fig = rank_acceptability_heatmap(t)
    >>> sorted(x.get_text() for x in fig.axes[0].texts)
    ['10%', '10%', '90%', '90%']
    """
    if n_trials is not None and (isinstance(n_trials, bool) or not isinstance(
            n_trials, int | np.integer) or n_trials < 1):
        raise InputError(f"n_trials: got {n_trials!r}; expected a whole number of at least 1")
    table = require_frame(tidy, "tidy", ("option", "rank", "share"))
    numbers = check_numeric(table[["rank", "share"]], "tidy")
    ranks, shares = numbers[:, 0], numbers[:, 1]
    bad = (ranks < 1) | (ranks != np.round(ranks))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"tidy, row {i + 1}, column 'rank': got {ranks[i]:g}; expected a "
                         "whole number of at least 1")
    bad = (shares < -1e-9) | (shares > 1 + 1e-9)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"tidy, row {i + 1}, column 'share': got {shares[i]:g}; expected a "
                         "fraction from 0 to 1")
    grid = pd.DataFrame({"option": table["option"].to_numpy(), "rank": ranks.astype(int),
                         "share": shares})
    if grid.duplicated(["option", "rank"]).any():
        i = int(np.flatnonzero(grid.duplicated(["option", "rank"]).to_numpy())[0])
        raise InputError(f"tidy, row {i + 1}: option {grid['option'].iloc[i]!r} has rank "
                         f"{grid['rank'].iloc[i]} twice; expected one row per option and rank")
    wide = grid.pivot(index="option", columns="rank", values="share").fillna(0.0)
    expected = (wide * wide.columns.to_numpy()[None, :]).sum(axis=1)
    wide = wide.loc[expected.sort_values(kind="stable").index]
    wide = wide.reindex(columns=range(1, int(wide.columns.max()) + 1), fill_value=0.0)
    m, k = wide.shape
    with chart(ax, (max(6.0, 2.6 + 1.25 * k), max(3.0, 1.5 + 0.6 * m)), title, footnote,
               "How often each option takes each rank") as (fig, ax):
        image = ax.imshow(wide.to_numpy(), cmap="Greys", vmin=0.0, vmax=1.0, aspect="auto")
        for r in range(m):
            for c in range(k):
                share = float(wide.iat[r, c])
                ax.text(c, r, _percent_text(share), ha="center", va="center", fontsize=11,
                        fontweight="bold" if share >= 0.5 else "normal",
                        color="white" if share >= 0.5 else INK)
        ax.set_xticks(range(k), [ordinal(c) for c in wide.columns])
        ax.set_yticks(range(m), [readable(o, width=_TICK_WIDTH) for o in wide.index])
        ax.set_xticks(np.arange(k + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(m + 1) - 0.5, minor=True)
        ax.grid(which="minor", color="white", linewidth=2)
        ax.grid(which="major", visible=False)
        ax.tick_params(which="minor", length=0)
        for side in ("top", "right", "left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel("Rank (1st = best)")
        ax.set_ylabel("Option (best expected rank first)")
        bar = fig.colorbar(image, ax=ax, fraction=0.05, pad=0.03,
                           format=percent_formatter())
        label = "Share of trials (%)"
        if n_trials is not None:
            label = f"Share of {int(n_trials):,} trials (%)"
        bar.set_label(label)
        bar.outline.set_visible(False)
        return fig


# --------------------------------------------------------------------------- assessors


@chart_doc
def assessor_weights(
    weights: pd.DataFrame,
    group: pd.Series,
    *,
    consistency: pd.Series | None = None,
    threshold: float = 0.10,
    title: str | None = "Each assessor’s weights against the group’s",
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """Dot plot: each assessor's AHP weight of each criterion, and the group's.

    One row per criterion (largest group weight on top); a marker per assessor (shape and
    colour), a black bar for the group's weight. With `consistency`, each assessor's
    consistency ratio is in the legend, flagged when above `threshold`.

    Parameters
    ----------
    weights : pandas.DataFrame
        ``assessor, criterion, weight``, as ``GroupAHPResult.assessor_weights``.
    group : pandas.Series
        Index criterion: the group's weights (``GroupAHPResult.weights``).
    consistency : pandas.Series, optional
        Index assessor: consistency ratio (``GroupAHPResult.assessors["consistency_ratio"]``).
    threshold : float
        Consistency ratio above which an assessor is flagged.
    {chart_keywords}

    Examples
    --------
    >>> w = pd.DataFrame({"assessor": ["CIO", "CIO", "CFO", "CFO"],
    ...                   "criterion": ["cost", "fit", "cost", "fit"],
    ...                   "weight": [0.4, 0.6, 0.7, 0.3]})
    >>> fig = assessor_weights(w, pd.Series({"cost": 0.55, "fit": 0.45}),
    ...                        consistency=pd.Series({"CIO": 0.0, "CFO": 0.12}))
    >>> fig.axes[0].get_legend().get_texts()[2].get_text()
    'CFO (CR 0.12, above 0.10)'
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) \
            or not 0 < threshold < 1:
        raise InputError(f"threshold: got {threshold!r}; expected a number between 0 and 1")
    table = require_frame(weights, "weights", ("assessor", "criterion", "weight"))
    w = check_numeric(table["weight"], "weights")[:, 0]
    if ((w < -1e-9) | (w > 1 + 1e-9)).any():
        i = int(np.flatnonzero((w < -1e-9) | (w > 1 + 1e-9))[0])
        raise InputError(f"weights, row {i + 1}, column 'weight': got {w[i]:g}; expected a "
                         "weight from 0 to 1")
    if not isinstance(group, pd.Series) or group.empty:
        raise InputError(f"group: got {type(group).__name__}; expected a non-empty pandas "
                         "Series of weights indexed by criterion")
    g = pd.Series(check_numeric(group.rename("weight"), "group")[:, 0], index=group.index)
    criteria = _unique_order(table["criterion"])
    _check_covers(g.index, criteria, "group", "weight for criterion",
                  "a group weight for every criterion of weights")
    assessors = _unique_order(table["assessor"])
    ratios = None
    if consistency is not None:
        ratios = _one_per(consistency, "consistency", assessors, "consistency ratio",
                          "assessor", "weights")
    order = g.loc[criteria].sort_values(ascending=False, kind="stable").index.tolist()
    n, k = len(order), len(assessors)
    data = pd.DataFrame({"assessor": table["assessor"].to_numpy(),
                         "criterion": table["criterion"].to_numpy(), "weight": w})
    with chart(ax, (10.0, max(3.2, 1.5 + 0.5 * n)), title, footnote,
               "Each assessor’s weights against the group’s") as (fig, ax):
        y = np.arange(n)[::-1]
        pos = dict(zip(order, y, strict=True))
        ax.barh(y, g.loc[order].to_numpy(), height=0.12, color=INK, zorder=2,
                label="group (geometric mean)")
        offsets = np.linspace(-0.22, 0.22, k) if k > 1 else np.zeros(1)
        handles: list[Any] = [Patch(facecolor=INK, edgecolor="none",
                                    label="group (geometric mean)")]
        for i, a in enumerate(assessors):
            sub = data.loc[data["assessor"] == a]
            colour = PALETTE[1:][i % (len(PALETTE) - 1)]
            ys = np.array([pos[c] for c in sub["criterion"]], dtype=float) + offsets[i]
            label = readable(a, width=_LEGEND_WIDTH)
            if ratios is not None:
                cr = float(ratios.loc[a])
                flag = f", above {threshold:.2f}" if cr > threshold else ""
                label = f"{label} (CR {cr:.2f}{flag})"
            ax.plot(sub["weight"].to_numpy(), ys, linestyle="none",
                    marker=MARKERS[i % len(MARKERS)], markersize=8, color=colour,
                    markeredgecolor=INK, markeredgewidth=0.7, zorder=3, label=label)
            handles.append(Line2D([], [], linestyle="none", marker=MARKERS[i % len(MARKERS)],
                                  markersize=8, color=colour, markeredgecolor=INK,
                                  markeredgewidth=0.7, label=label))
        ax.set_yticks(y, [readable(c, width=_TICK_WIDTH) for c in order])
        ax.set_ylim(-0.6, n - 0.4)
        hi = max(float(data["weight"].max()), float(g.max()))
        ax.set_xlim(0, min(1.0, hi * 1.12 + 0.02))
        ax.xaxis.set_major_formatter(mticker.FormatStrFormatter("%.2f"))
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.set_xlabel("AHP weight (fraction; each assessor's weights sum to 1)")
        ax.set_ylabel("Criterion (largest group weight first)")
        legend_outside(ax, handles=handles, labels=[h.get_label() for h in handles],
                       title="Weights of")
        return fig



def sourcing_weights(
    result: Any,
    *,
    title: str | None = None,
    footnote: str | None = None,
) -> Figure:
    """The weights of a :class:`btm.sourcing.SourcingResult`: each assessor's AHP weights
    against the group's (:func:`assessor_weights`), or the direct weights when there is no AHP.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import sourcing
    >>> scores = pd.DataFrame({"assessor": ["A"] * 4, "option": ["X", "X", "Y", "Y"],
    ...     "criterion": ["fit", "speed"] * 2, "score": [5, 1, 1, 5]})
    >>> r = sourcing.evaluate(scores, criteria=pd.DataFrame({"criterion": ["fit", "speed"],
    ...     "weight": [0.6, 0.4]}), weights_source="direct", n_simulations=100)
    >>> sourcing_weights(r).axes[0].get_title()
    'Weights given directly in the criteria table'
    """
    from btm.sourcing import SourcingResult

    if not isinstance(result, SourcingResult):
        raise InputError(f"result: got {type(result).__name__}; expected the SourcingResult of "
                         "btm.sourcing.evaluate")
    if result.ahp is not None:
        return assessor_weights(
            result.ahp.assessor_weights, result.ahp.weights,
            consistency=result.ahp.assessors["consistency_ratio"],
            title="Each assessor’s weights against the group’s" if title is None else title,
            footnote=footnote)
    direct = result.weights["weight"]
    table = pd.DataFrame({"assessor": "criteria table", "criterion": direct.index,
                          "weight": direct.to_numpy()})
    return assessor_weights(table, direct,
                            title="Weights given directly in the criteria table"
                            if title is None else title, footnote=footnote)
