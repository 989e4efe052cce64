"""Figures of the project risk register: heat map before and after responses, contingency
S-curve, each risk's share of the contingency. Each takes a table :mod:`btm.risk` returns and
returns a :class:`btm.style.BoardFigure`.

Text from the register (risk ids and titles) is drawn with ``parse_math=False``, so a ``$`` in a
title is shown as typed, never read as mathematics.

Examples
--------
>>> import pandas as pd
>>> from btm import risk
>>> from btm.analyses.risk_register import charts
>>> register = pd.DataFrame({"risk": ["R1", "R2"], "title": ["Vendor exits", "Data breach"],
...     "category": ["vendor", "security"], "likelihood": [2, 4], "impact": [5, 4],
...     "probability": [0.1, 0.5], "cost_most_likely": [200_000, 50_000],
...     "residual_likelihood": [2, 2]})
>>> a = risk.assess(register)
>>> fig = charts.risk_heat_map(a.heat_map, bands=a.labels)
>>> [ax.get_title(loc="left") for ax in fig.axes[:2]]
['Before responses (inherent)', 'After responses (residual)']
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from btm.analyses.risk_register.messages import risk_percentile_name
from btm.errors import InputError
from btm.style import (
    INK,
    MUTED,
    bar_colour,
    chart,
    chart_doc,
    check_currency,
    check_numeric,
    check_positive_int,
    format_money,
    format_percent,
    legend_outside,
    legend_patch,
    line_style,
    money_formatter,
    money_label,
    panels,
    percent_formatter,
    require_frame,
    short_label,
    style_bars,
)

__all__ = ["risk_heat_map", "contingency_s_curve", "contingency_allocation", "band_colours"]

_BASIS_NAMES = {"inherent": "Before responses (inherent)",
                "residual": "After responses (residual)"}
_BAND_HATCHES = ("", "..", "//", "xx", "\\\\", "++")


def _lum(colour: Any) -> float:
    rgb = np.asarray(matplotlib.colors.to_rgb(colour))
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(lin @ np.array([0.2126, 0.7152, 0.0722]))


def band_colours(n: int) -> list[str]:
    """Fills of `n` risk bands, lowest first: a yellow-orange-brown ramp whose lightness falls
    band by band, so the order reads in greyscale and for colour-blind readers.

    Examples
    --------
    >>> band_colours(4)
    ['#fff7be', '#fec95b', '#f17c1a', '#b03f03']
    """
    n = check_positive_int(n, "n")
    cmap = matplotlib.colormaps["YlOrBr"]
    points = np.linspace(0.12, 0.82, n) if n > 1 else np.array([0.5])
    return [matplotlib.colors.to_hex(cmap(float(p))) for p in points]


def _text_colour(fill: str) -> str:
    return "white" if _lum(fill) < 0.18 else INK


def _short(text: Any, width: int) -> str:
    s = " ".join(str(text).split())
    return s if len(s) <= width else s[: width - 1].rstrip() + "…"


def _two_lines(text: Any, width: int) -> str:
    """Text wrapped onto at most two lines of `width` characters, shortened with an ellipsis."""
    lines = textwrap.wrap(" ".join(str(text).split()), width) or [""]
    if len(lines) > 2:
        lines = [lines[0], _short(" ".join(lines[1:]), width)]
    return "\n".join(lines)


def _cell_lines(risks: str, per_line: int, max_lines: int) -> list[str]:
    """The lines of ids a heat-map cell shows: all of them when they fit in `max_lines`,
    else the first ones and "+N more" on the last line."""
    ids = [s.strip() for s in risks.split(",") if s.strip()]
    if len(ids) > per_line * max_lines:
        shown = per_line * (max_lines - 1)
        return [*("  ".join(ids[k:k + per_line]) for k in range(0, shown, per_line)),
                f"+{len(ids) - shown} more"]
    return ["  ".join(ids[k:k + per_line]) for k in range(0, len(ids), per_line)]


def risk_heat_map(
    heat_map: pd.DataFrame,
    *,
    bands: Sequence[str] | None = None,
    bases: Sequence[str] = ("inherent", "residual"),
    title: str | None = None,
    ax: Axes | None = None,
    footnote: str | None = None,
    ids_per_line: int = 2,
    max_lines: int = 3,
) -> Figure:
    """Likelihood x impact grid, each cell shaded by its band and listing the risks in it; one
    panel per basis (before and after responses).

    Parameters
    ----------
    heat_map : pandas.DataFrame
        :attr:`btm.risk.RiskAssessment.heat_map`: columns ``basis``, ``likelihood``,
        ``impact``, ``score``, ``band``, ``risks`` (comma-separated ids), one row per cell.
    bands : list of str, optional
        Band names, lowest first (:attr:`~btm.risk.RiskAssessment.labels`); default the bands
        in order of their lowest score.
    bases : list of str
        Which panels, in order: ``"inherent"`` and/or ``"residual"``.
    title, footnote : str, optional
        Default title: "Risk heat map before and after responses" (one panel: "Risk heat
        map: after responses (residual)").
    ax : matplotlib.axes.Axes, optional
        Draw one basis into this Axes (then `bases` must name one).
    ids_per_line : int
        Risk ids written per line in a cell.
    max_lines : int
        Lines of ids a cell holds: a cell with more risks than fit shows the first ones and
        "+N more" on its last line (the heat map table keeps every id).

    Returns
    -------
    matplotlib.figure.Figure
    A :class:`btm.style.BoardFigure` with one heat map per basis (or the figure of `ax`).

    Examples
    --------
    >>> import pandas as pd
    >>> grid = pd.DataFrame({"basis": "inherent", "likelihood": [1, 1, 2, 2],
    ...     "impact": [1, 2, 1, 2], "score": [1, 2, 2, 4], "band": ["low", "low", "low", "high"],
    ...     "risks": ["", "R2", "", "R1, R3"]})
    >>> fig = risk_heat_map(grid, bands=["low", "high"], bases=["inherent"])
    >>> sorted(t.get_text() for t in fig.axes[0].texts if t.get_gid() == "risks")
    ['R1  R3', 'R2']
    >>> crowded = grid.assign(risks=["", "", "", ", ".join(f"R{k}" for k in range(1, 10))])
    >>> fig = risk_heat_map(crowded, bands=["low", "high"], bases=["inherent"], max_lines=2)
    >>> [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "risks"]
    ['R1  R2\\n+7 more']
    """
    ids_per_line = check_positive_int(ids_per_line, "ids_per_line")
    max_lines = check_positive_int(max_lines, "max_lines")
    table = require_frame(heat_map, "heat_map",
                          ("basis", "likelihood", "impact", "score", "band", "risks"))
    if isinstance(bases, str) or not isinstance(bases, Sequence) or not bases:
        raise InputError(f"bases: got {bases!r}; expected a list of 'inherent' and/or 'residual'")
    bases = [str(b) for b in bases]
    present = set(table["basis"].astype(str))
    for b in bases:
        if b not in present:
            raise InputError(f"bases: got {b!r}, which is not in heat_map's column 'basis' "
                             f"({', '.join(sorted(present))}); expected one of them")
    if ax is not None and len(bases) != 1:
        raise InputError(f"bases: got {len(bases)} bases with an ax given; expected one basis "
                         "to draw into one Axes")
    levels = check_numeric(table[["likelihood", "impact", "score"]], "heat_map")
    if (levels[:, :2] < 1).any() or (levels[:, :2] != np.round(levels[:, :2])).any():
        i = int(np.flatnonzero(((levels[:, :2] < 1) | (levels[:, :2] != np.round(levels[:, :2])))
                               .any(axis=1))[0])
        raise InputError(f"heat_map, row {i + 1}: got likelihood {levels[i, 0]:g}, impact "
                         f"{levels[i, 1]:g}; expected whole levels of at least 1")
    found = (table.assign(_s=levels[:, 2]).groupby("band", sort=False)["_s"].min()
             .sort_values(kind="stable"))
    band_names = [str(b) for b in found.index] if bands is None else [str(b) for b in bands]
    unknown = sorted(set(table["band"].astype(str)) - set(band_names))
    if unknown:
        raise InputError(f"bands: band {unknown[0]!r} of heat_map is not among "
                         f"{band_names}; expected every band of heat_map's column 'band'")
    fills = dict(zip(band_names, band_colours(len(band_names)), strict=True))
    hatches = dict(zip(band_names, (_BAND_HATCHES[k % len(_BAND_HATCHES)]
                                    for k in range(len(band_names))), strict=True))
    n_lik, n_imp = int(levels[:, 0].max()), int(levels[:, 1].max())
    def draw(axes: list[Axes]) -> None:
        for panel, (a, basis) in enumerate(zip(axes, bases, strict=True)):
            cells = table[table["basis"].astype(str) == basis]
            for row in cells.itertuples(index=False):
                band = str(row.band)
                fill = fills[band]
                x, y = int(row.impact), int(row.likelihood)
                rect = Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=fill, edgecolor="white",
                                 linewidth=2, hatch=hatches[band] or None, zorder=1)
                if hasattr(rect, "set_hatchcolor"):
                    rect.set_hatchcolor(matplotlib.colors.to_rgba(_text_colour(fill), 0.35))
                a.add_patch(rect)
                a.text(x - 0.44, y + 0.44, f"{int(row.score)}", ha="left", va="top",
                       fontsize=7, color=_text_colour(fill), alpha=0.8, zorder=3)
                lines = _cell_lines(str(row.risks), ids_per_line, max_lines)
                if lines:
                    a.text(x, y - 0.04, "\n".join(lines), ha="center", va="center",
                           fontsize=8.5 if len(lines) < 3 else 7.5, fontweight="bold",
                           color=_text_colour(fill), parse_math=False, zorder=4, gid="risks",
                           bbox={"boxstyle": "round,pad=0.15", "facecolor": fill,
                                 "edgecolor": "none", "alpha": 0.9})
            a.set_xlim(0.5, n_imp + 0.5)
            a.set_ylim(0.5, n_lik + 0.5)
            a.set_xticks(range(1, n_imp + 1))
            a.set_yticks(range(1, n_lik + 1))
            a.set_aspect("equal")
            a.grid(False)
            for side in a.spines.values():
                side.set_visible(False)
            a.tick_params(length=0)
            a.set_xlabel(f"Impact level (1 low … {n_imp} severe)")
            if panel == 0:
                a.set_ylabel(f"Likelihood level (1 rare … {n_lik} almost certain)")
            if len(axes) > 1:
                a.set_title(_BASIS_NAMES.get(basis, basis), loc="left", fontsize=10.5,
                            fontweight="bold", pad=6)
        handles = [legend_patch(fills[b], hatches[b], b) for b in band_names][::-1]
        axes[-1].legend(handles=handles, title="Band (score =\nlikelihood × impact)",
                        loc="upper left", bbox_to_anchor=(1.03, 1.0), borderaxespad=0.0,
                        frameon=False)

    if ax is None and len(bases) > 1:
        with panels(1, len(bases), (1.6 + 4.9 * len(bases), 1.6 + 0.85 * n_lik), title,
                    footnote, "Risk heat map before and after responses") as (fig, axes):
            draw(axes)
    else:
        with chart(ax, (7.0, 1.6 + 0.85 * n_lik), title, footnote,
                   f"Risk heat map: {_BASIS_NAMES.get(bases[0], bases[0]).lower()}") as (fig, one):
            draw([one])
    return fig


def _curves(trials: Any) -> tuple[list[str], list[np.ndarray]]:
    if isinstance(trials, pd.Series):
        trials = trials.to_frame()
    frame = require_frame(trials, "trials")
    values = check_numeric(frame, "trials", allow_nan=True)
    names = [str(c) for c in frame.columns]
    out = []
    for j, name in enumerate(names):
        col = values[:, j]
        col = np.sort(col[~np.isnan(col)])
        if col.size == 0:
            raise InputError(f"trials, column '{name}': no values; expected trial totals")
        out.append(col)
    return names, out


def _check_quantiles(quantiles: Any, name: str = "quantiles") -> list[float]:
    try:
        qs = [float(q) for q in quantiles]
    except (TypeError, ValueError):
        raise InputError(f"{name}: got {quantiles!r}; expected probabilities such as "
                         "[0.5, 0.8, 0.9]") from None
    if not qs or any(not 0 < q < 1 for q in qs):
        raise InputError(f"{name}: got {quantiles!r}; expected probabilities strictly between "
                         "0 and 1")
    return sorted(set(qs))


@chart_doc
def contingency_s_curve(
    trials: pd.DataFrame,
    *,
    currency: str = "EUR",
    quantiles: Sequence[float] = (0.5, 0.8, 0.9),
    title: str | None = "How much contingency covers the risks?",
    ax: Axes | None = None,
    footnote: str | None = None,
    xlabel: str = "Total risk cost",
) -> Figure:
    """S-curve (empirical cumulative distribution) of simulated total risk cost, one line per
    column, with each curve's percentiles marked and labelled.

    Parameters
    ----------
    trials : pandas.DataFrame
        One column per curve (``"Before responses"``, ``"After responses"``), one row per trial:
        the total risk cost of that trial (:attr:`btm.risk.RiskSimulation.trials`).
    currency : str
    quantiles : list of float
        Percentiles to mark (0.8 is marked ``P80``, 0.975 ``P97.5``).
    xlabel : str
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> trials = pd.DataFrame({"After responses": [0.0, 100.0, 100.0, 200.0]})
    >>> fig = contingency_s_curve(trials, quantiles=[0.5])
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['P50 EUR 100']
    """
    currency = check_currency(currency, "currency")
    qs = _check_quantiles(quantiles)
    names, curves = _curves(trials)
    with chart(ax, None, title, footnote, "How much contingency covers the risks?") as (fig, ax):
        lines: list[Any] = []
        for q in qs:
            ax.axhline(q, color="#BBBBBB", linewidth=0.8, linestyle=":", zorder=1)
        for i, (name, x) in enumerate(zip(names, curves, strict=True)):
            y = np.arange(1, x.size + 1) / x.size
            style = line_style(i + 1)
            marker = style.pop("marker")
            lines += ax.step(x, y, where="post", linewidth=2, label=name, zorder=3, **style)
            for q in qs:
                v = float(np.quantile(x, q))
                ax.plot([v], [q], linestyle="none", marker=marker, markersize=7,
                        color=style["color"], markeredgecolor="white", zorder=4,
                        label="_percentile")
                ax.annotate(f"{risk_percentile_name(q)} {format_money(v, currency)}", (v, q),
                            xytext=(6, -3), textcoords="offset points", ha="left", va="top",
                            fontsize=8.5, color=INK, zorder=5,
                            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                                  "edgecolor": "none", "alpha": 0.85})
        ax.set_ylim(0, 1.02)
        ax.set_xlim(left=0)
        ax.xaxis.set_major_formatter(money_formatter(currency))
        ax.yaxis.set_major_formatter(percent_formatter())
        ax.set_xlabel(money_label(xlabel, currency))
        ax.set_ylabel("Chance the total is at most this")
        # Handles and labels given explicitly: a curve named "_..." is listed too; a long
        # name is wrapped and cut, "$" drawn as typed.
        legend_outside(ax, handles=lines, labels=[short_label(n, width=26) for n in names],
                       title="Register")
        return fig


@chart_doc
def contingency_allocation(
    contributions: pd.DataFrame,
    *,
    currency: str = "EUR",
    confidence: float | None = None,
    max_bars: int = 12,
    title: str | None = None,
    ax: Axes | None = None,
    footnote: str | None = None,
    label_width: int = 38,
) -> Figure:
    """Horizontal bars of each risk's allocation of the contingency, largest on top; the risks
    beyond `max_bars` are summed into one bar.

    Parameters
    ----------
    contributions : pandas.DataFrame
        :attr:`btm.risk.RiskSimulation.contributions`: columns ``risk``, ``title``,
        ``allocation`` (money) and ``share`` (of the contingency).
    currency : str
    confidence : float, optional
        The contingency's confidence, quoted in the default title (``P80``).
    max_bars : int
    label_width : int
        Risk titles are wrapped onto at most two lines of this many characters (then
        shortened with an ellipsis).
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"risk": ["R1", "R2", "R3"], "title": ["a", "b", "c"],
    ...                   "allocation": [50.0, 30.0, 20.0], "share": [0.5, 0.3, 0.2]})
    >>> fig = contingency_allocation(c, max_bars=2, confidence=0.8)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['R1 a', 'R2 b', 'Other (1 risk)']
    """
    currency = check_currency(currency, "currency")
    max_bars = check_positive_int(max_bars, "max_bars")
    label_width = check_positive_int(label_width, "label_width")
    if confidence is not None:
        confidence = _check_quantiles([confidence], "confidence")[0]
    table = require_frame(contributions, "contributions", ("risk", "title", "allocation", "share"))
    nums = check_numeric(table[["allocation", "share"]], "contributions")
    order = np.argsort(-nums[:, 0], kind="stable")
    labels = [_two_lines(f"{table['risk'].iloc[i]}  {table['title'].iloc[i]}", label_width)
              for i in order[:max_bars]]
    alloc = list(nums[order[:max_bars], 0])
    share = list(nums[order[:max_bars], 1])
    rest = order[max_bars:]
    if rest.size:
        labels.append(f"Other ({rest.size} risk{'s' if rest.size > 1 else ''})")
        alloc.append(float(nums[rest, 0].sum()))
        share.append(float(nums[rest, 1].sum()))
    n = len(labels)
    default = ("Where the contingency goes" if confidence is None
               else f"Where the {risk_percentile_name(confidence)} contingency goes")
    with chart(ax, (9.5, max(3.2, 1.5 + 0.42 * n)), title, footnote, default) as (fig, ax):
        y = np.arange(n)[::-1]
        fills = [bar_colour(0)] * len(order[:max_bars]) + ([bar_colour(1)] if rest.size else [])
        hatch = [""] * len(order[:max_bars]) + (["//"] if rest.size else [])
        for k in range(n):
            bars = ax.barh([y[k]], [alloc[k]], height=0.66)
            style_bars(bars, fills[k], hatch[k])
        top = max(max(alloc), 1e-9)
        for k in range(n):
            ax.annotate(f"{format_money(alloc[k], currency)} · {format_percent(share[k])}",
                        (alloc[k], y[k]), xytext=(4, 0), textcoords="offset points",
                        ha="left", va="center", fontsize=8.5, color=INK)
        ax.set_yticks(y, labels, parse_math=False, fontsize=8.5)
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xlim(min(0.0, min(alloc) * 1.1), top * 1.22)
        ax.xaxis.set_major_formatter(money_formatter(currency))
        ax.set_xlabel(money_label("Allocation of the contingency", currency) + " · share of it")
        ax.set_ylabel("Risk")
        ax.grid(axis="y", visible=False)
        ax.axvline(0, color=MUTED, linewidth=0.8)
        return fig

