"""Figures of the outsourcing matrix: the matrix itself, the assessors' spread, the cost case.

Each takes tables of :class:`btm.outsourcing.OutsourcingResult` and returns a
:class:`btm.style.BoardFigure`. Stances are told apart by hatching as well as colour
(``keep`` solid blue, ``partner`` dotted orange, ``source`` striped vermillion), so the
figures read in greyscale. Text from the input files (activity and assessor names) is drawn
as plain text: a ``$`` in a name is never read as mathematics. Long names are wrapped and cut
with ``…`` (the tables keep them whole), and every legend is given its handles and labels
explicitly, so an assessor named ``_cio`` is listed like any other.

The cell names and stances are btm's adaptation of Insinga and Werle (2000); see
:mod:`btm.outsourcing`, "Adaptation".

Examples
--------
>>> import pandas as pd
>>> from btm.analyses.outsourcing_matrix import charts
>>> acts = pd.DataFrame({"activity": ["Service desk", "Data analytics"],
...                      "importance": [0.1, 0.9], "capability": [0.3, 0.8],
...                      "stance": ["source", "keep"], "review": [False, True]})
>>> fig = charts.outsourcing_matrix(acts)
>>> fig.axes[0].get_xlabel()
'Capability relative to the best providers (0 = far behind, 1 = best in class)'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from btm.errors import InputError
from btm.outsourcing import BANDS, STANCES, matrix_cells
from btm.style import (
    INK,
    MARKERS,
    MUTED,
    PALETTE,
    canvas,
    chart,
    chart_doc,
    check_common,
    check_currency,
    check_numeric,
    distinct_decimals,
    figure,
    finish,
    format_money,
    house_style,
    legend_outside,
    legend_patch,
    money_formatter,
    money_label,
    require_frame,
    short_label,
    style_bars,
)

__all__ = ["outsourcing_matrix", "outsourcing_spread", "outsourcing_cost_case", "STANCE_STYLE"]

#: Fill and hatch of each stance (bars, bubbles' cells, legends).
STANCE_STYLE: dict[str, tuple[str, str]] = {
    "keep": (PALETTE[1], ""),
    "partner": (PALETTE[3], ".."),
    "source": (PALETTE[2], "//"),
}

_IMPORTANCE_LABEL = "Strategic importance (0 = no competitive advantage, 1 = decisive)"
_CAPABILITY_LABEL = "Capability relative to the best providers (0 = far behind, 1 = best in class)"
_MAX_AREA = 2300.0  # points², the largest bubble
_MIN_AREA = 60.0  # points², the smallest bubble drawn (and activities without a cost)


def _plain(text: Any) -> str:
    """Input text as a string; every Text showing it is made with ``parse_math=False``, so a
    ``$`` in a name is drawn as typed, never read as mathematics."""
    return str(text)


def _short(text: Any, width: int, lines: int = 2) -> str:
    """A name wrapped and cut as :func:`btm.style.short_label` does, for a Text made with
    ``parse_math=False`` (so without its ``$`` escapes)."""
    return short_label(text, width=width, lines=lines).replace("\\$", "$")


#: Characters per line of a name: on the rows of the spread and of the cost case, in a legend.
_ROW_WIDTH = 32
_LEGEND_WIDTH = 26


def _tint(colour: str, amount: float) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = (1 - amount * (1 - v) for v in to_rgb(colour))
    return r, g, b


def _check_bounds(value: Any, name: str) -> tuple[float, float]:
    try:
        b = [float(v) for v in value]
    except (TypeError, ValueError):
        raise InputError(f"{name}: got {value!r}; expected two increasing boundaries strictly "
                         "between 0 and 1, such as (0.4, 0.7)") from None
    if len(b) != 2 or not 0 < b[0] < b[1] < 1:
        raise InputError(f"{name}: got {value!r}; expected two increasing boundaries strictly "
                         "between 0 and 1, such as (0.4, 0.7)")
    return (b[0], b[1])


def _check_stances(values: pd.Series, name: str) -> np.ndarray:
    arr = values.astype(str).to_numpy(dtype=object)
    bad = ~np.isin(arr, list(STANCES))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"{name}, row {i + 1}, column 'stance': got {arr[i]!r}; expected one "
                         "of 'keep', 'partner', 'source'")
    return arr


def _unit_scores(table: pd.DataFrame, name: str, columns: Sequence[str],
                 allow_nan: bool = False) -> np.ndarray:
    values = check_numeric(table[list(columns)], name, allow_nan=allow_nan)
    bad = (values < 0) | (values > 1)
    if bad.any():
        i, j = (int(k[0]) for k in np.nonzero(bad))
        raise InputError(f"{name}, row {i + 1}, column '{columns[j]}': got {values[i, j]:g}; "
                         "expected a score from 0 to 1")
    return values


def _flags(table: pd.DataFrame, column: str) -> np.ndarray:
    if column not in table.columns:
        return np.zeros(len(table), dtype=bool)
    return table[column].fillna(False).astype(bool).to_numpy()


def _round_amount(x: float) -> float:
    """1, 2 or 5 times a power of ten, at most `x`."""
    if x <= 0:
        return 0.0
    p = 10 ** math.floor(math.log10(x))
    return float(max(m * p for m in (1, 2, 5) if m * p <= x))


# --------------------------------------------------------------------------- label placement

_DIRECTIONS = (  # unit direction, horizontal and vertical alignment of the label
    ((1.0, 0.0), "left", "center"), ((-1.0, 0.0), "right", "center"),
    ((0.0, 1.0), "center", "bottom"), ((0.0, -1.0), "center", "top"),
    ((0.707, 0.707), "left", "bottom"), ((-0.707, 0.707), "right", "bottom"),
    ((0.707, -0.707), "left", "top"), ((-0.707, -0.707), "right", "top"),
)
_GAPS = (3.0, 12.0, 24.0, 40.0, 60.0)  # points beyond the bubble's edge


def _box(anchor: tuple[float, float], w: float, h: float, ha: str, va: str) -> np.ndarray:
    x, y = anchor
    x0 = x if ha == "left" else (x - w if ha == "right" else x - w / 2)
    y0 = y if va == "bottom" else (y - h if va == "top" else y - h / 2)
    return np.array([x0, y0, x0 + w, y0 + h])


def _overlap(a: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    if len(boxes) == 0:
        return np.zeros(0)
    dx = np.minimum(a[2], boxes[:, 2]) - np.maximum(a[0], boxes[:, 0])
    dy = np.minimum(a[3], boxes[:, 3]) - np.maximum(a[1], boxes[:, 1])
    return np.clip(dx, 0, None) * np.clip(dy, 0, None)


def _corner(text: Any, cell: tuple[float, float, float, float], renderer: Any, to_pt: float,
            bubbles: np.ndarray) -> np.ndarray:
    """Move a cell name to the corner of its `cell` (x0, y0, x1, y1 in data coordinates) that
    bubbles cover least; return its box in points."""
    x0, y0, x1, y1 = cell
    ext = text.get_window_extent(renderer)
    w, h = ext.width * to_pt, ext.height * to_pt
    best = None
    for k, (cx, cy, ha, va) in enumerate(((x0, y1, "left", "top"), (x1, y1, "right", "top"),
                                          (x0, y0, "left", "bottom"),
                                          (x1, y0, "right", "bottom"))):
        px, py = text.axes.transData.transform((cx, cy)) * to_pt
        px += 4 if ha == "left" else -4
        py += -4 if va == "top" else 4
        box = _box((px, py), w, h, ha, va)
        score = _overlap(box, bubbles).sum() + 0.01 * k
        if best is None or score < best[0]:
            best = (score, box, (cx, cy), ha, va)
    assert best is not None  # four corners tried
    _, box, (cx, cy), ha, va = best
    text.set_position((cx, cy))
    text.set_ha(ha)
    text.set_va(va)
    dx = 4 if ha == "left" else -4
    dy = -4 if va == "top" else 4
    from matplotlib.transforms import offset_copy

    text.set_transform(offset_copy(text.axes.transData, fig=text.figure, x=dx, y=dy,
                                   units="points"))
    return box


def _place_labels(fig: Figure, ax: Axes, x: np.ndarray, y: np.ndarray, areas: np.ndarray,
                  labels: list[str],
                  cell_names: Sequence[tuple[Any, tuple[float, float, float, float]]]) -> None:
    """Annotate each bubble with its label where it overlaps no other label, bubble or text.

    `areas` are the bubbles' areas in points² (with their review ring); `cell_names` the cell
    names with their cells, each first moved to its cell's least covered corner (:func:`_corner`).

    Greedy: the most crowded bubbles first; for each, the nearest of 8 directions x 5 gaps
    (points beyond the bubble edge) with the least overlap, inside the axes. Offsets are in
    points, so the labels keep their place when the layout moves the axes a little.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas_agg = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    renderer = canvas_agg.get_renderer()
    to_pt = 72.0 / fig.dpi
    centres = ax.transData.transform(np.column_stack([x, y])) * to_pt
    radii = np.sqrt(areas / np.pi)
    frame = np.asarray(ax.get_window_extent(renderer).extents) * to_pt
    bubbles = np.column_stack([centres - radii[:, None] * 0.85, centres + radii[:, None] * 0.85])
    fixed = [_corner(t, cell, renderer, to_pt, bubbles) for t, cell in cell_names]
    placed: list[np.ndarray] = []
    sizes = []
    for label in labels:
        t = ax.text(0, 0, label, fontsize=8, parse_math=False)
        ext = t.get_window_extent(renderer)
        sizes.append((ext.width * to_pt + 2, ext.height * to_pt + 1))
        t.remove()
    dist = np.hypot(*(centres[:, None, :] - centres[None, :, :]).transpose(2, 0, 1))
    crowding = (dist < 90).sum(axis=1)
    order = np.lexsort((-areas, -crowding))
    for i in order:
        w, h = sizes[i]
        others = np.delete(bubbles, i, axis=0)
        best: tuple[float, int, tuple[float, float], str, str, float] | None = None
        for g_rank, gap in enumerate(_GAPS):
            for d_rank, ((ux, uy), ha, va) in enumerate(_DIRECTIONS):
                reach = radii[i] + gap
                anchor = (centres[i, 0] + ux * reach, centres[i, 1] + uy * reach)
                box = _box(anchor, w, h, ha, va)
                if box[0] < frame[0] + 2 or box[2] > frame[2] - 2 or box[1] < frame[1] + 2 \
                        or box[3] > frame[3] - 2:
                    continue
                cost = (10.0 * _overlap(box, np.array(placed)).sum()
                        + 10.0 * _overlap(box, np.array(fixed)).sum()
                        + _overlap(box, others).sum())
                score = cost + 0.01 * (g_rank * 8 + d_rank)
                if best is None or score < best[0]:
                    best = (score, g_rank, (ux * reach, uy * reach), ha, va, cost)
            if best is not None and best[5] == 0:
                break
        if best is None:  # nowhere inside the axes: right of the bubble
            best = (0.0, 0, (radii[i] + 3.0, 0.0), "left", "center", 0.0)
        _, g_rank, (ox, oy), ha, va, _ = best
        arrow = ({"arrowstyle": "-", "color": MUTED, "linewidth": 0.6,
                  "shrinkA": 0, "shrinkB": radii[i]} if g_rank >= 2 else None)
        ax.annotate(labels[i], (x[i], y[i]), xytext=(ox, oy), textcoords="offset points",
                    ha=ha, va=va, fontsize=8, color=INK, parse_math=False, zorder=6,
                    arrowprops=arrow, gid=f"label {i}",
                    bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "alpha": 0.7,
                          "edgecolor": "none"})
        placed.append(_box((centres[i, 0] + ox, centres[i, 1] + oy), w, h, ha, va))


# --------------------------------------------------------------------------- the matrix


@chart_doc
def outsourcing_matrix(
    activities: pd.DataFrame,
    *,
    costs: pd.DataFrame | None = None,
    cells: pd.DataFrame | None = None,
    importance_bounds: Sequence[float] = (1 / 3, 2 / 3),
    capability_bounds: Sequence[float] = (1 / 3, 2 / 3),
    currency: str = "EUR",
    title: str | None = "The outsourcing matrix: where each activity sits",
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """The matrix: capability across, importance up, cells shaded by stance and named.

    Each activity is a bubble at its consensus point, its area proportional to its in-house
    annual cost; activities flagged for review are outlined with a thick dashed ring. Labels
    are placed so that they overlap neither each other nor the bubbles where there is room.

    Parameters
    ----------
    activities : pandas.DataFrame
        ``OutsourcingResult.activities``: columns ``activity``, ``importance``,
        ``capability`` (0..1), ``stance``, optionally ``review`` (bool).
    costs : pandas.DataFrame, optional
        Columns ``activity``, ``in_house_annual_cost`` (``OutsourcingResult.costs``). Without
        it, or for an activity it does not list, the bubble is small and hollow.
    cells : pandas.DataFrame, optional
        The matrix (``OutsourcingResult.cells``); default :func:`btm.outsourcing.matrix_cells`.
    importance_bounds, capability_bounds : pair of float
        The band boundaries on 0..1.
    currency : str
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> acts = pd.DataFrame({"activity": ["A", "B"], "importance": [0.1, 0.9],
    ...                      "capability": [0.2, 0.9], "stance": ["source", "keep"]})
    >>> costs = pd.DataFrame({"activity": ["A", "B"], "in_house_annual_cost": [100.0, 400.0]})
    >>> fig = outsourcing_matrix(acts, costs=costs)
    >>> sizes = fig.axes[0].collections[0].get_sizes()
    >>> float(sizes[1] / sizes[0])  # area in proportion to cost
    4.0
    """
    currency = check_currency(currency, "currency")
    check_common(title, footnote)
    acts = require_frame(activities, "activities",
                         ("activity", "importance", "capability", "stance"))
    scores = _unit_scores(acts, "activities", ("importance", "capability"))
    _check_stances(acts["stance"], "activities")
    review = _flags(acts, "review")
    ib = _check_bounds(importance_bounds, "importance_bounds")
    cb = _check_bounds(capability_bounds, "capability_bounds")
    table = matrix_cells() if cells is None else require_frame(
        cells, "cells", ("importance_band", "capability_band", "cell", "stance"))
    names = [str(a) for a in acts["activity"]]
    cost = np.full(len(acts), np.nan)
    if costs is not None:
        c = require_frame(costs, "costs", ("activity", "in_house_annual_cost"))
        amounts = check_numeric(c["in_house_annual_cost"], "costs", allow_nan=True)[:, 0]
        if (amounts < 0).any():
            i = int(np.flatnonzero(amounts < 0)[0])
            raise InputError(f"costs, row {i + 1}, column 'in_house_annual_cost': got "
                             f"{amounts[i]:g}; expected an amount of at least 0")
        lookup = dict(zip(c["activity"].astype(str), amounts, strict=True))
        cost = np.array([lookup.get(n, np.nan) for n in names], dtype=float)
    known = ~np.isnan(cost)
    top = float(np.nanmax(cost)) if known.any() and np.nanmax(cost) > 0 else 1.0
    areas = np.where(known, np.maximum(_MIN_AREA, np.nan_to_num(cost) / top * _MAX_AREA),
                     _MIN_AREA)
    y, x = scores[:, 0], scores[:, 1]
    edges_x = (0.0, cb[0], cb[1], 1.0)
    edges_y = (0.0, ib[0], ib[1], 1.0)
    with house_style():
        fig, ax = canvas(ax, (10.0, 7.4))
        ax.grid(False)
        cell_names = []
        for row in table.itertuples(index=False):
            i = BANDS.index(str(row.importance_band))
            j = BANDS.index(str(row.capability_band))
            stance = str(row.stance)
            fill, hatch = STANCE_STYLE.get(stance, (MUTED, ""))
            rect = Rectangle((edges_x[j], edges_y[i]), edges_x[j + 1] - edges_x[j],
                             edges_y[i + 1] - edges_y[i], facecolor=_tint(fill, 0.16),
                             edgecolor="white", linewidth=0, hatch=hatch or None, zorder=0)
            if hasattr(rect, "set_hatchcolor"):
                rect.set_hatchcolor(_tint(fill, 0.35))
            ax.add_patch(rect)
            name = ax.text(
                edges_x[j], edges_y[i + 1],
                f"{_plain(row.cell)}\n({stance})", ha="left", va="top", fontsize=8,
                color=MUTED, fontstyle="italic", parse_math=False, zorder=2,
                bbox={"boxstyle": "square,pad=0.15", "facecolor": _tint(fill, 0.16),
                      "edgecolor": "none"}, gid=f"cell {row.importance_band}/{row.capability_band}")
            cell_names.append((name, (edges_x[j], edges_y[i], edges_x[j + 1], edges_y[i + 1])))
        for b in cb:
            ax.axvline(b, color=MUTED, linewidth=1.0, linestyle=(0, (4, 3)), zorder=1)
        for b in ib:
            ax.axhline(b, color=MUTED, linewidth=1.0, linestyle=(0, (4, 3)), zorder=1)
        face = np.array([PALETTE[1] if k else "white" for k in known], dtype=object)
        ax.scatter(x, y, s=areas, c=list(face), alpha=0.75, edgecolors=INK, linewidths=0.8,
                   zorder=4)
        if review.any():
            ax.scatter(x[review], y[review], s=areas[review] * 1.35 + 80, facecolors="none",
                       edgecolors=INK, linewidths=1.8, linestyles=(0, (3, 2)), zorder=5)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xticks(edges_x)
        ax.set_yticks(edges_y)
        ax.xaxis.set_major_formatter(lambda v, pos: f"{v:.2f}")
        ax.yaxis.set_major_formatter(lambda v, pos: f"{v:.2f}")
        ax.set_xlabel(_CAPABILITY_LABEL)
        ax.set_ylabel(_IMPORTANCE_LABEL)
        ax.set_aspect("auto")
        handles: list[Any] = [legend_patch(_tint(STANCE_STYLE[s][0], 0.16),
                                           STANCE_STYLE[s][1], f"{s} cell") for s in STANCES]
        for h, s in zip(handles, STANCES, strict=True):
            h.set_edgecolor(MUTED)
            if hasattr(h, "set_hatchcolor"):
                h.set_hatchcolor(_tint(STANCE_STYLE[s][0], 0.6))
        if review.any():
            handles.append(Line2D([], [], linestyle="none", marker="o", markersize=11,
                                  markerfacecolor="none", markeredgecolor=INK,
                                  markeredgewidth=1.8, label="flagged for review"))
        legend_outside(ax, handles=handles, title="Cell stance")
        sizes: list[Any] = []
        if known.any():
            reference = [_round_amount(top), _round_amount(top / 4)]
            for amount in dict.fromkeys(a for a in reference if a > 0):
                sizes.append(Line2D(
                    [], [], linestyle="none", marker="o", color=PALETTE[1], alpha=0.75,
                    markeredgecolor=INK, markersize=math.sqrt(amount / top * _MAX_AREA),
                    label=f"{format_money(amount, currency)} a year"))
        if (~known).any():
            sizes.append(Line2D([], [], linestyle="none", marker="o",
                                markersize=math.sqrt(_MIN_AREA), markerfacecolor="white",
                                markeredgecolor=INK, label="no cost given"))
        if sizes:
            stance_legend = ax.get_legend()
            assert stance_legend is not None  # drawn by legend_outside above
            ax.add_artist(stance_legend)
            ax.legend(handles=sizes, loc="upper left", bbox_to_anchor=(1.01, 0.58),
                      borderaxespad=0.0, title="Bubble area:\nin-house annual cost",
                      labelspacing=2.0, handletextpad=1.6, borderpad=1.0, handlelength=2.5)
        finish(fig, ax, title, footnote, "The outsourcing matrix: where each activity sits")
        labels = [_short(n, 22, lines=3) for n in names]
        _place_labels(fig, ax, x, y, np.where(review, areas * 1.35 + 80, areas), labels,
                      cell_names)
        return fig


# --------------------------------------------------------------------------- spread


def outsourcing_spread(
    by_assessor: pd.DataFrame,
    activities: pd.DataFrame,
    *,
    importance_bounds: Sequence[float] = (1 / 3, 2 / 3),
    capability_bounds: Sequence[float] = (1 / 3, 2 / 3),
    title: str | None = "Where the assessors disagree",
    ax: Sequence[Axes] | None = None,
    footnote: str | None = None,
) -> Figure:
    """Each assessor's own score beside the consensus, one row per activity, per dimension.

    Two panels (importance, capability) share the rows. A grey bar spans the assessors'
    range, a marker per assessor shows their score, a black tick the consensus; dashed lines
    are the band boundaries. Activities whose cell would change under one assessor's own view
    are named in bold and marked ``*``.

    Parameters
    ----------
    by_assessor : pandas.DataFrame
        ``OutsourcingResult.by_assessor``: ``activity``, ``assessor``, ``importance``,
        ``capability`` (0..1, NaN where an assessor did not rate the dimension).
    activities : pandas.DataFrame
        ``OutsourcingResult.activities``: ``activity``, ``importance``, ``capability``;
        optionally ``single_view_change`` (bool). Its order is the order of the rows.
    importance_bounds, capability_bounds : pair of float
    title, footnote : str, optional
    ax : pair of matplotlib.axes.Axes, optional
        Draw the two panels into these.

    Returns
    -------
    matplotlib.figure.Figure
    A :class:`btm.style.BoardFigure` of two panels (or the figure of `ax`).

    Examples
    --------
    >>> import pandas as pd
    >>> acts = pd.DataFrame({"activity": ["A"], "importance": [0.5], "capability": [0.4],
    ...                      "single_view_change": [True]})
    >>> own = pd.DataFrame({"activity": ["A", "A"], "assessor": ["cio", "ops"],
    ...                     "importance": [0.3, 0.7], "capability": [0.4, 0.4]})
    >>> fig = outsourcing_spread(own, acts)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['A *']
    """
    check_common(title, footnote)
    acts = require_frame(activities, "activities", ("activity", "importance", "capability"))
    consensus = _unit_scores(acts, "activities", ("importance", "capability"))
    own = require_frame(by_assessor, "by_assessor",
                        ("activity", "assessor", "importance", "capability"))
    own_scores = _unit_scores(own, "by_assessor", ("importance", "capability"), allow_nan=True)
    names = [str(a) for a in acts["activity"]]
    position = {n: k for k, n in enumerate(names)}
    unknown = ~own["activity"].astype(str).isin(position).to_numpy()
    if unknown.any():
        i = int(np.flatnonzero(unknown)[0])
        raise InputError(f"by_assessor, row {i + 1}, column 'activity': got "
                         f"{own['activity'].iloc[i]!r}; expected an activity of activities")
    ib = _check_bounds(importance_bounds, "importance_bounds")
    cb = _check_bounds(capability_bounds, "capability_bounds")
    changes = _flags(acts, "single_view_change")
    assessors = list(dict.fromkeys(own["assessor"].astype(str)))
    n = len(names)
    rows = np.array([position[a] for a in own["activity"].astype(str)])
    y_of = np.arange(n)[::-1]
    with house_style():
        if ax is None:
            fig, axes = figure(ncols=2, figsize=(10.5, max(3.4, 1.9 + 0.36 * n)))
        else:
            if isinstance(ax, Axes) or len(ax) != 2 or not all(isinstance(a, Axes) for a in ax):
                raise InputError(f"ax: got {ax!r}; expected two matplotlib Axes or None")
            fig, _ = canvas(ax[0])
            axes = list(ax)
        panels = ((ib, "Strategic importance (0–1)"),
                  (cb, "Capability relative to the best providers (0–1)"))
        handles: list[Any] = []
        for p, (bounds, label) in enumerate(panels):
            a = axes[p]
            values = own_scores[:, p]
            for k in range(n):
                mine = values[(rows == k) & ~np.isnan(values)]
                if len(mine):
                    a.plot([mine.min(), mine.max()], [y_of[k]] * 2, color="#CCCCCC", linestyle="-",
                           linewidth=6, solid_capstyle="round", zorder=1)
            lines = []
            for m, who in enumerate(assessors):
                sel = (own["assessor"].astype(str) == who).to_numpy() & ~np.isnan(values)
                colour = PALETTE[m % len(PALETTE)]
                lines += a.plot(values[sel], y_of[rows[sel]], linestyle="none",
                       marker=MARKERS[m % len(MARKERS)], markersize=7, color=colour,
                       markeredgecolor=INK if m % len(PALETTE) >= 3 else colour, zorder=3,
                       label=_plain(who))
            lines += a.plot(consensus[:, p], y_of, linestyle="none", marker="|", markersize=16,
                   markeredgewidth=2.2, color=INK, zorder=4, label="consensus")
            for b in bounds:
                a.axvline(b, color=MUTED, linewidth=1.0, linestyle=(0, (4, 3)), zorder=0)
            for band, (lo, hi) in zip(BANDS, zip((0.0, *bounds), (*bounds, 1.0), strict=True),
                                      strict=True):
                a.annotate(band, ((lo + hi) / 2, 1.0), xycoords=("data", "axes fraction"),
                           xytext=(0, -2), textcoords="offset points", ha="center",
                           va="top", fontsize=8, color=MUTED, fontstyle="italic")
            a.set_xlim(-0.02, 1.02)
            a.set_ylim(-0.7, n + 0.1)
            a.set_xlabel(label)
            a.grid(axis="y", visible=False)
            a.grid(axis="x", visible=True)
            if p == 0:
                a.set_yticks(y_of, [_short(nm, _ROW_WIDTH) + (" *" if changes[k] else "")
                                    for k, nm in enumerate(names)], parse_math=False)
                for tick, flag in zip(a.get_yticklabels(), changes, strict=True):
                    tick.set_fontweight("bold" if flag else "normal")
                handles = lines
            else:
                a.set_yticks(y_of, [""] * n)
        legend_outside(axes[1], handles=handles,
                       labels=[_short(who, _LEGEND_WIDTH) for who in assessors] + ["consensus"],
                       title="Assessor")
        for t in axes[1].get_legend().get_texts():
            t.set_parse_math(False)
        if footnote is None and changes.any():
            footnote = "* and bold: one assessor's own scores alone would place it in another cell."
        return finish(fig, axes[0], title, footnote, "Where the assessors disagree")


# --------------------------------------------------------------------------- cost case


@chart_doc
def outsourcing_cost_case(
    costs: pd.DataFrame,
    *,
    currency: str = "EUR",
    horizon_years: int | None = None,
    title: str | None = "The cost case: what sourcing each activity would save",
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """Present value of sourcing per activity: bars by stance, conflicts outlined, payback.

    Bars right of zero: sourcing saves money over the contract; left: it costs more. The
    fill and hatch are the stance of the activity's matrix cell; a thick black outline and
    ``(conflict)`` mark an activity where the matrix and the money disagree. Each bar shows
    its present value at its end and its payback (undiscounted years, or ``no payback within
    5 years`` when the saving does not pay back within the contract, `horizon_years`) on the
    other side of zero.

    Parameters
    ----------
    costs : pandas.DataFrame
        ``OutsourcingResult.costs``: ``activity``, ``present_value``, ``payback_years``
        (``inf`` when never), ``stance``, optionally ``conflict`` (text, ``""`` for none).
    currency : str
    horizon_years : int, optional
        The contract length the cost case was computed over, quoted in the axis label and
        in "no payback within ..." (without it: "no payback within the horizon").
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> costs = pd.DataFrame({"activity": ["Service desk", "MES"],
    ...                       "present_value": [300_000.0, -500_000.0],
    ...                       "payback_years": [1.3, float("inf")], "stance": ["source", "keep"],
    ...                       "conflict": ["", ""]})
    >>> fig = outsourcing_cost_case(costs, currency="EUR", horizon_years=5)
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['EUR 300k', 'payback 1.3 years', '-EUR 500k', 'no payback within 5 years']
    """
    currency = check_currency(currency, "currency")
    if horizon_years is not None and (isinstance(horizon_years, bool) or not isinstance(
            horizon_years, int | np.integer) or horizon_years < 1):
        raise InputError(f"horizon_years: got {horizon_years!r}; expected a whole number of at "
                         "least 1 or None")
    table = require_frame(costs, "costs", ("activity", "present_value", "payback_years",
                                           "stance"))
    pv = check_numeric(table["present_value"], "costs")[:, 0]
    payback_raw = pd.to_numeric(table["payback_years"], errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(payback_raw) & table["payback_years"].notna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"costs, row {i + 1}, column 'payback_years': got "
                         f"{table['payback_years'].iloc[i]!r}; expected a number of years or inf")
    stances = _check_stances(table["stance"], "costs")
    conflict = (table["conflict"].fillna("").astype(str).to_numpy() != ""
                if "conflict" in table.columns else np.zeros(len(table), dtype=bool))
    order = np.argsort(-pv, kind="stable")
    n = len(order)
    yy = np.arange(n)[::-1]
    with chart(ax, (10.0, max(3.4, 1.5 + 0.42 * n)), title, footnote,
               "The cost case: what sourcing each activity would save") as (fig, ax):
        for stance in STANCES:
            sel = stances[order] == stance
            if not sel.any():
                continue
            bars = ax.barh(yy[sel], pv[order][sel], height=0.62, label=f"{stance} cell")
            style_bars(bars, *STANCE_STYLE[stance])
            for patch, pos in zip(bars, np.flatnonzero(sel), strict=True):
                if conflict[order][pos]:
                    patch.set_edgecolor(INK)
                    patch.set_linewidth(2.2)
        decimals = distinct_decimals(pv, currency)
        # payback_years is inf when the saving does not pay back within the contract: say so.
        contract = f"{horizon_years} year{'' if horizon_years == 1 else 's'}"
        over = f" over {contract}" if horizon_years else ""
        never = f"no payback within {contract if horizon_years else 'the horizon'}"
        for k, i in enumerate(order):
            years = payback_raw[i]
            text = (never if not np.isfinite(years) else
                    "pays back at once" if years == 0 else f"payback {years:.1f} years")
            right = pv[i] >= 0
            weight = "bold" if conflict[i] else "normal"
            # The amount at the bar's end, the payback on the other side of zero (free there).
            ax.annotate(format_money(float(pv[i]), currency, decimals=decimals), (pv[i], yy[k]),
                        xytext=(4 if right else -4, 0), textcoords="offset points",
                        ha="left" if right else "right", va="center", fontsize=8, color=INK,
                        fontweight=weight, gid=f"amount {k}")
            ax.annotate(text, (0.0, yy[k]), xytext=(-6 if right else 6, 0),
                        textcoords="offset points", ha="right" if right else "left",
                        va="center", fontsize=8, color=MUTED, fontweight=weight,
                        gid=f"payback {k}")
        lo, hi = min(0.0, float(pv.min())), max(0.0, float(pv.max()))
        span = max(hi - lo, 1.0)
        # Room for an amount beyond the bars and for a payback label on the empty side of 0.
        ax.set_xlim(lo - 0.16 * span - (0.22 * span if hi > 0 else 0),
                    hi + 0.16 * span + (0.22 * span if lo < 0 else 0))
        ax.xaxis.set_major_locator(mticker.MaxNLocator(nbins=6))
        ax.axvline(0, color=INK, linewidth=0.9)
        labels = [_short(table["activity"].iloc[i], _ROW_WIDTH)
                  + (" (conflict)" if conflict[i] else "") for i in order]
        ax.set_yticks(yy, labels, parse_math=False)
        for tick, i in zip(ax.get_yticklabels(), order, strict=True):
            tick.set_fontweight("bold" if conflict[i] else "normal")
        ax.set_ylim(-0.6, n - 0.4)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.xaxis.set_major_formatter(money_formatter(currency))
        ax.set_xlabel(money_label(f"Present value of sourcing{over}", currency)
                      + ": above 0, sourcing saves money")
        handles = [legend_patch(*STANCE_STYLE[s], f"{s} cell") for s in STANCES
                   if (stances == s).any()]
        if conflict.any():
            c = legend_patch("white", "", "matrix and cost disagree")
            c.set_edgecolor(INK)
            c.set_linewidth(2.2)
            handles.append(c)
        legend_outside(ax, handles=handles, labels=[h.get_label() for h in handles],
                       title="Matrix stance")
        return fig
