"""Figures of demand forecasting and just-in-time stock: forecast fans, accuracy by demand
class, the policy replayed on history, and the service-versus-inventory trade-off."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.dates as mdates
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from btm.errors import InputError
from btm.style import (
    HATCHES,
    INK,
    MUTED,
    PALETTE,
    add_footnote,
    bar_colour,
    chart,
    chart_doc,
    check_currency,
    check_numeric,
    check_text,
    figure,
    house_style,
    legend_outside,
    legend_patch,
    line_style,
    money_formatter,
    money_label,
    percent_formatter,
    require_frame,
    short_label,
    style_bars,
    xy_dates,
)

__all__ = ["forecast_fan", "forecast_fans", "accuracy_by_class", "inventory_replay", "service_inventory_curve"]


def _series_filter(data: pd.DataFrame, name: str, unique_id: Any) -> pd.DataFrame:
    ids = data["unique_id"].astype(str)
    chosen = data.loc[(ids == str(unique_id)).to_numpy()]
    if len(chosen) == 0:
        sample = ", ".join(repr(v) for v in pd.unique(ids)[:5])
        raise InputError(
            f"{name}, column 'unique_id': no rows for {unique_id!r}; expected one of the series "
            f"in the table ({sample}{', ...' if ids.nunique() > 5 else ''})"
        )
    return chosen


def _fan_fill(level_rank: int) -> str:
    """Blue tints for interval bands: the widest band lightest."""
    tints = ["#A6CBE3", "#CFE3F0", "#E6F0F7"]
    return tints[min(level_rank, len(tints) - 1)]


@chart_doc
def forecast_fan(
    history: pd.DataFrame,
    forecast: pd.DataFrame,
    *,
    unique_id: Any,
    title: str | None = None,
    ax: Axes | None = None,
    units: str = "units",
    levels: Sequence[int] = (80, 95),
    footnote: str | None = None,
) -> Figure:
    """Fan chart of one series: its history, the point forecast and prediction intervals.

    The default title is ``"Demand forecast: <unique_id>"``.

    Parameters
    ----------
    history : pandas.DataFrame
        Long format: ``unique_id``, ``ds``, ``y``.
    forecast : pandas.DataFrame
        Long format as returned by :func:`btm.forecast.forecast`: ``unique_id``, ``ds``,
        ``forecast``, ``model`` and ``lo_<level>``, ``hi_<level>`` for each of `levels`.
    unique_id : str
        The series to draw.
    units : str
        Unit of demand for the axis label.
    levels : sequence of int
        Interval levels in percent to shade (darker = narrower).
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> hist = pd.DataFrame({"unique_id": "A", "ds": pd.date_range("2024-01-01", periods=6,
    ...                      freq="MS"), "y": [10.0, 12, 9, 11, 13, 12]})
    >>> fc = pd.DataFrame({"unique_id": "A", "ds": pd.date_range("2024-07-01", periods=2,
    ...     freq="MS"), "forecast": [12.0, 12], "model": "AutoETS", "lo_80": [9.0, 8],
    ...     "hi_80": [15.0, 16], "lo_95": [7.0, 6], "hi_95": [17.0, 18]})
    >>> fig = forecast_fan(hist, fc, unique_id="A")
    >>> fig.axes[0].get_title()
    'Demand forecast: A'
    """
    units = check_text(units, "units") or "units"
    if isinstance(levels, int | float) or not all(
        isinstance(v, int | np.integer) and not isinstance(v, bool) and 0 < v < 100 for v in levels
    ):
        raise InputError(f"levels: got {levels!r}; expected whole percentages such as (80, 95)")
    levels = sorted({int(v) for v in levels}, reverse=True)  # widest first
    require_frame(history, "history", ("unique_id", "ds", "y"))
    bands = [c for lv in levels for c in (f"lo_{lv}", f"hi_{lv}")]
    require_frame(forecast, "forecast", ("unique_id", "ds", "forecast", "model", *bands))
    hist = _series_filter(history, "history", unique_id)
    fc = _series_filter(forecast, "forecast", unique_id)
    hist = hist.iloc[np.argsort(xy_dates(hist["ds"])[0], kind="stable")]
    fc = fc.iloc[np.argsort(xy_dates(fc["ds"])[0], kind="stable")]
    hx, is_date = xy_dates(hist["ds"])
    fx, _ = xy_dates(fc["ds"])
    hy = check_numeric(hist["y"], "history")[:, 0]
    fy = check_numeric(fc["forecast"], "forecast")[:, 0]
    band_values = check_numeric(fc[bands], "forecast")
    models = ", ".join(str(m) for m in pd.unique(fc["model"].astype(str)))
    with chart(ax, None, title, footnote, f"Demand forecast: {unique_id}") as (fig, ax):
        handles: list[Any] = []
        for rank, level in enumerate(levels):
            lo = band_values[:, bands.index(f"lo_{level}")]
            hi = band_values[:, bands.index(f"hi_{level}")]
            handles.append(ax.fill_between(fx, lo, hi, color=_fan_fill(len(levels) - 1 - rank),
                                           edgecolor="none", label=f"{level}% prediction interval",
                                           zorder=1))
        handles += ax.plot(hx, hy, color=INK, linestyle="-", marker="o", markersize=3.5,
                           label="history", zorder=3)
        if len(hx) and len(fx):  # join the last actual to the first forecast for the eye
            ax.plot([hx[-1], fx[0]], [hy[-1], fy[0]], color=PALETTE[1], linestyle=":",
                    linewidth=1.2, zorder=3, label="_bridge")
        handles += ax.plot(fx, fy, color=PALETTE[1], linestyle="--", marker="s", markersize=4,
                           label=f"forecast ({models})", zorder=4)
        if len(hx):
            ax.axvline(hx[-1], color=MUTED, linewidth=0.8, linestyle=":", zorder=2)
            ax.annotate("forecast starts", (hx[-1], 1.0), xycoords=("data", "axes fraction"),
                        xytext=(4, -2), textcoords="offset points", ha="left", va="top",
                        fontsize=8, color=MUTED)
        ax.set_ylim(bottom=min(0.0, float(np.nanmin(np.concatenate([hy, band_values.ravel()])))))
        ax.set_xlabel("Date" if is_date else "Period")
        ax.set_ylabel(f"Demand ({units})")
        ax.yaxis.set_major_formatter(money_formatter(None))
        # Handles and labels given explicitly (the bridge line stays out of the legend).
        legend_outside(ax, handles=handles, labels=[h.get_label() for h in handles])
        return fig


def forecast_fans(
    history: pd.DataFrame,
    forecast: pd.DataFrame,
    *,
    unique_ids: list[str],
    titles: list[str] | None = None,
    history_periods: int | None = 52,
    units: str = "units",
    levels: tuple[int, ...] = (80, 95),
    footnote: str | None = None,
) -> Figure:
    """Fan charts of several SKUs side by side, sharing one legend (see :func:`forecast_fan`).

    Parameters
    ----------
    history, forecast : pandas.DataFrame
        As for :func:`forecast_fan`.
    unique_ids : list of str
        The SKUs to show, one panel each, left to right.
    titles : list of str, optional
        One panel title per SKU; default ``"<unique_id>: <model>"``.
    history_periods : int or None
        Show only the last this many periods of history before each forecast (None: all).
    units, levels, footnote :
        As for :func:`forecast_fan`.

    Returns
    -------
    matplotlib.figure.Figure
    A :class:`btm.style.BoardFigure` with one fan chart per SKU, side by side.

    Examples
    --------
    >>> import pandas as pd
    >>> ds = pd.date_range("2024-01-01", periods=6, freq="W-MON")
    >>> h = pd.DataFrame({"unique_id": ["A"] * 4 + ["B"] * 4, "ds": list(ds[:4]) * 2,
    ...                   "y": [5.0, 6, 7, 6, 0, 2, 0, 1]})
    >>> f = pd.DataFrame({"unique_id": ["A", "A", "B", "B"], "ds": list(ds[4:]) * 2,
    ...     "forecast": [6.0, 6, 1, 1], "model": ["AutoETS"] * 2 + ["TSB"] * 2,
    ...     "lo_80": [5.0, 5, 0, 0], "hi_80": [7.0, 7, 2, 2], "lo_95": [4.0, 4, 0, 0],
    ...     "hi_95": [8.0, 8, 3, 3]})
    >>> fig = forecast_fans(h, f, unique_ids=["A", "B"])
    >>> [ax.get_title() for ax in fig.axes]
    ['A: AutoETS', 'B: TSB']
    """
    if isinstance(unique_ids, str) or not len(unique_ids):
        raise InputError(f"unique_ids: got {unique_ids!r}; expected a non-empty list of SKU ids")
    ids = [str(u) for u in unique_ids]
    if titles is not None and len(titles) != len(ids):
        raise InputError(
            f"titles: got {len(titles)} titles; expected one per SKU ({len(ids)})")
    require_frame(history, "history", ("unique_id", "ds", "y"))
    require_frame(forecast, "forecast", ("unique_id", "ds", "forecast", "model"))
    if history_periods is not None:
        history = history.assign(_ds=pd.to_datetime(history["ds"], errors="coerce"))
        history = (history.sort_values("_ds", kind="stable").groupby("unique_id", sort=False)
                   .tail(int(history_periods)).drop(columns="_ds"))
    with house_style():
        fig, axes = figure(ncols=len(ids), figsize=(4.8 * len(ids), 6.2))
        axes = np.atleast_1d(axes)
        for i, (ax, uid) in enumerate(zip(axes, ids, strict=True)):
            model = ", ".join(pd.unique(forecast.loc[forecast["unique_id"].astype(str) == uid,
                                                     "model"].astype(str)))
            forecast_fan(history, forecast, unique_id=uid, ax=ax, units=units, levels=levels,
                         title=titles[i] if titles is not None else f"{uid}: {model}")
            ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=4))
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
            legend = ax.get_legend()
            if legend is not None and i < len(ids) - 1:
                legend.remove()
            elif legend is not None:
                legend.texts[-1].set_text("forecast")
        if footnote:
            add_footnote(fig, footnote)
        return fig


_LOWER_IS_BETTER = {"mase", "mae", "rmse", "mse", "mape", "smape", "wape", "rmsse", "msse"}


@chart_doc
def accuracy_by_class(
    accuracy: pd.DataFrame,
    *,
    metric: str = "mase",
    title: str | None = None,
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """Grouped bars of a forecast accuracy metric per demand class and model.

    The default title names the metric: ``"Forecast accuracy by demand class (MASE)"``.

    Parameters
    ----------
    accuracy : pandas.DataFrame
        Columns ``demand_class``, ``model`` (or ``method``) and `metric`. Several rows for the
        same class and model are averaged.
    metric : str
        Column to plot. For MASE a reference line at 1 marks the seasonal naive forecast.
    {chart_keywords}

    A table with the columns but no row, or with no finite score (what
    :func:`btm.jit.accuracy_by_class` returns when every SKU sold nothing, or the same amount
    every period: MASE then divides by a zero naive error), gives a figure that says so
    instead of bars.

    Examples
    --------
    >>> import pandas as pd
    >>> acc = pd.DataFrame({"demand_class": ["smooth", "smooth", "lumpy", "lumpy"],
    ...                     "model": ["ETS", "Croston", "ETS", "Croston"],
    ...                     "mase": [0.8, 0.9, 1.4, 1.1]})
    >>> len(accuracy_by_class(acc).axes[0].patches)
    4
    >>> accuracy_by_class(acc.iloc[:0]).axes[0].texts[0].get_text().split(":")[0]
    'No forecast accuracy to show'
    """
    if not isinstance(metric, str) or not metric:
        raise InputError(f"metric: got {metric!r}; expected a column name such as 'mase'")
    is_frame = isinstance(accuracy, pd.DataFrame)
    by = "model" if is_frame and "model" in accuracy.columns else "method"
    need = ("demand_class", by, metric)
    if not (is_frame and len(accuracy) == 0 and set(need) <= set(accuracy.columns)):
        require_frame(accuracy, "accuracy", need)  # no row but the columns: drawn as a note
    scores = check_numeric(accuracy[metric], "accuracy", allow_nan=True)[:, 0]
    label = metric.upper() if metric.lower() in _LOWER_IS_BETTER else metric
    hint = " (lower is better)" if metric.lower() in _LOWER_IS_BETTER else ""
    if not np.isfinite(scores).any():
        return _no_accuracy(label, metric.lower() == "mase", title, ax, footnote)
    tidy = pd.DataFrame({"demand_class": accuracy["demand_class"].astype(str).to_numpy(),
                         "model": accuracy[by].astype(str).to_numpy(), "score": scores})
    classes = list(pd.unique(tidy["demand_class"]))
    models = list(pd.unique(tidy["model"]))
    table = tidy.groupby(["demand_class", "model"], sort=False)["score"].mean().unstack("model")
    table = table.reindex(index=classes, columns=models)
    n_models = len(models)
    with chart(ax, (max(6.0, min(12.0, 3.0 + 0.5 * len(classes) * n_models)), 4.5), title, footnote,
               f"Forecast accuracy by demand class ({label})") as (fig, ax):
        x = np.arange(len(classes))
        width = 0.8 / n_models
        handles: list[Any] = []
        for j, model in enumerate(models):
            heights = table[model].to_numpy(dtype=float)
            present = ~np.isnan(heights)
            offset = (j - (n_models - 1) / 2) * width
            fill, hatch = bar_colour(j), HATCHES[j % len(HATCHES)]
            bars = ax.bar(x[present] + offset, heights[present], width=width * 0.92, label=model)
            style_bars(bars, fill, hatch)
            handles.append(legend_patch(fill, hatch, model))
            for xi, h in zip(x[present] + offset, heights[present], strict=True):
                ax.annotate(f"{h:.2f}", (xi, h), xytext=(0, 2), textcoords="offset points",
                            ha="center", va="bottom" if h >= 0 else "top", fontsize=8,
                            color=INK, zorder=5,
                            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                                  "edgecolor": "none", "alpha": 0.8})
        if metric.lower() == "mase":
            ax.axhline(1.0, color=INK, linewidth=1.0, linestyle="--", zorder=0.9)
            handles.append(Line2D([], [], color=INK, linewidth=1.0, linestyle="--",
                                  label="naive forecast (MASE = 1)"))
        ax.set_xticks(x, classes)
        ax.set_xlabel("Demand class")
        ax.set_ylabel(f"{label}{hint}")
        legend_outside(ax, handles=handles, title="Model" if by == "model" else "Method")
        return fig


def _no_accuracy(label: str, mase: bool, title: str | None, ax: Axes | None,
                 footnote: str | None) -> Figure:
    """The accuracy figure when there is no score to draw: a note in place of the bars."""
    note = f"No forecast accuracy to show: no SKU has a finite {label}."
    if mase:
        note += ("\nMASE compares the forecast error with that of a seasonal naive forecast "
                 "on the\ntraining data, which is zero for a SKU that sold nothing (or the "
                 "same every period).")
    with chart(ax, (8.0, 3.0), title, footnote,
               f"Forecast accuracy by demand class ({label})") as (fig, ax):
        ax.set_axis_off()
        ax.text(0.5, 0.5, note, transform=ax.transAxes, ha="center", va="center",
                fontsize=10, color=INK)
        return fig


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of True values."""
    padded = np.concatenate([[False], mask, [False]]).astype(int)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), (edges[1::2] - 1).tolist(), strict=True))


@chart_doc
def inventory_replay(
    replay: pd.DataFrame,
    *,
    unique_id: Any = None,
    units: str = "units",
    title: str | None = None,
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """Replay of an inventory policy over time: demand, stock on hand, stock on order, stockouts.

    The default title is ``"Inventory replay"``, with the series name when one is given.

    Parameters
    ----------
    replay : pandas.DataFrame
        One row per period: ``ds``, ``demand``, ``on_hand`` (end-of-period stock) and optional
        ``on_order``, ``orders`` (quantity ordered), ``receipts`` (quantity received),
        ``stockout`` (true in a period with unmet demand) and ``unique_id`` (then `unique_id`
        picks the series; required when there are several).
    unique_id : str, optional
    units : str
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> replay = pd.DataFrame({"ds": range(1, 7), "demand": [5, 7, 6, 9, 4, 6],
    ...     "on_hand": [15, 8, 2, 0, 16, 10], "stockout": [False, False, False, True, False, False]})
    >>> fig = inventory_replay(replay, units="boxes")
    >>> fig.axes[0].get_ylabel()
    'Quantity (boxes)'
    """
    units = check_text(units, "units") or "units"
    data = require_frame(replay, "replay", ("ds", "demand", "on_hand"))
    if "unique_id" in data.columns:
        ids = pd.unique(data["unique_id"].astype(str))
        if unique_id is None and len(ids) > 1:
            raise InputError(
                f"unique_id: got None but replay holds {len(ids)} series; expected one of "
                + ", ".join(repr(i) for i in ids[:5])
            )
        if unique_id is not None:
            data = _series_filter(data, "replay", unique_id)
        elif len(ids) == 1:
            unique_id = ids[0]
    elif unique_id is not None:
        raise InputError(
            "unique_id: given but replay has no 'unique_id' column; expected None or a "
            "'unique_id' column"
        )
    x, is_date = xy_dates(data["ds"])
    order = np.argsort(x, kind="stable")
    data = data.iloc[order]
    x = x[order]
    demand = check_numeric(data["demand"], "replay")[:, 0]
    on_hand = check_numeric(data["on_hand"], "replay")[:, 0]
    stockout = None
    if "stockout" in data.columns:
        col = data["stockout"]
        if not (pd.api.types.is_bool_dtype(col) or set(pd.unique(col)) <= {0, 1}):
            raise InputError(f"replay, column 'stockout': got {col.iloc[0]!r} ...; "
                             "expected true/false values")
        stockout = col.to_numpy(dtype=bool)
    if len(x) > 1:
        step = np.median(np.diff(x))
    else:
        step = np.timedelta64(1, "D") if is_date else 1.0
    default = "Inventory replay" + (f": {unique_id}" if unique_id is not None else "")
    with chart(ax, None, title, footnote, default) as (fig, ax):
        bars = ax.bar(x, demand, width=step * 0.7, label="demand in period", zorder=2)
        style_bars(bars, "#BDBDBD", "")
        ax.step(x, on_hand, where="mid", color=PALETTE[1], linestyle="-", linewidth=2.2,
                label="on hand (end of period)", zorder=4)
        if "on_order" in data.columns:
            on_order = check_numeric(data["on_order"], "replay", allow_nan=True)[:, 0]
            ax.step(x, on_order, where="mid", color=MUTED, linestyle=":", linewidth=1.4,
                    label="on order (not yet received)", zorder=3)
        for k, column in enumerate(("orders", "receipts")):
            if column in data.columns:
                qty = np.nan_to_num(check_numeric(data[column], "replay", allow_nan=True)[:, 0])
                mask = qty > 0
                ax.plot(x[mask], qty[mask], linestyle="none", marker=("v", "^")[k],
                        markersize=7, color=(PALETTE[3], PALETTE[1])[k],
                        markeredgecolor=INK, label=f"{column[:-1]} placed" if k == 0
                        else "receipt arrives", zorder=5)
        if stockout is not None:
            for k, (first, last) in enumerate(_runs(stockout)):
                span = ax.axvspan(x[first] - step / 2, x[last] + step / 2, facecolor="#F6D5C3",
                                  edgecolor=PALETTE[2], hatch="xx", linewidth=0.0, zorder=0,
                                  label="stockout" if k == 0 else "_stockout")
                if hasattr(span, "set_hatchcolor"):
                    span.set_hatchcolor("#E0A080")
        ax.set_ylim(bottom=0)
        ax.set_xlabel("Period" if not is_date else "Date")
        ax.set_ylabel(f"Quantity ({units})")
        ax.yaxis.set_major_formatter(money_formatter(None))
        legend_outside(ax)
        return fig


@chart_doc
def service_inventory_curve(
    curve: pd.DataFrame,
    *,
    currency: str = "EUR",
    measure: str = "service_level",
    title: str | None = "Service level vs inventory investment",
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """Trade-off curve: average inventory value needed for each service level.

    Parameters
    ----------
    curve : pandas.DataFrame
        Columns `measure` (a fraction, 0 to 1) and ``average_inventory_value`` (money),
        optional ``policy`` for several curves (:func:`btm.replay.tradeoff_curve` returns
        this table).
    currency : str
    measure : {"service_level", "fill_rate", "cycle_service_level"}
        The column on the horizontal axis, labelled for what it is: the target service level,
        the fill rate achieved, or the cycle service level achieved.
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> curve = pd.DataFrame({"service_level": [0.9, 0.95, 0.99],
    ...                       "average_inventory_value": [120_000, 150_000, 210_000]})
    >>> service_inventory_curve(curve).axes[0].get_ylabel()
    'Average inventory value (EUR)'
    """
    currency = check_currency(currency, "currency")
    labels = {"service_level": "Target service level (%)", "fill_rate": "Fill rate achieved (%)",
              "cycle_service_level": "Cycle service level achieved (%)"}
    if measure not in labels:
        raise InputError(f"measure: got {measure!r}; expected one of "
                         + ", ".join(repr(k) for k in labels))
    data = require_frame(curve, "curve", (measure, "average_inventory_value"))
    level = check_numeric(data[measure], "curve")[:, 0]
    bad = (level < 0) | (level > 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        hint = ", which looks like a percentage" if 1 < level[i] <= 100 else ""
        raise InputError(f"curve, row {i + 1}, column '{measure}': got {level[i]:g}{hint}; "
                         "expected a fraction from 0 to 1")
    value = check_numeric(data["average_inventory_value"], "curve")[:, 0]
    policy = (data["policy"].astype(str).to_numpy() if "policy" in data.columns
              else np.full(len(data), ""))
    names = list(pd.unique(policy))
    with chart(ax, None, title, footnote, "Service level vs inventory investment") as (fig, ax):
        lines: list[Any] = []
        for i, name in enumerate(names):
            mask = policy == name
            order = np.argsort(level[mask], kind="stable")
            lines += ax.plot(level[mask][order], value[mask][order], label=name or "_policy",
                             **line_style(i))
        ax.xaxis.set_major_locator(mticker.MaxNLocator(nbins=8, steps=[1, 2, 5, 10]))
        ax.xaxis.set_major_formatter(percent_formatter())
        ax.yaxis.set_major_formatter(money_formatter(currency))
        ax.grid(axis="x", visible=True)
        ax.set_xlabel(labels[measure])
        ax.set_ylabel(money_label("Average inventory value", currency))
        if any(names):
            # Handles and labels given explicitly, so a policy named "_base" is listed too
            # (only a curve without a name is left out); long names wrapped and cut.
            named = [(line, n) for line, n in zip(lines, names, strict=True) if n]
            legend_outside(ax, handles=[line for line, _ in named],
                           labels=[short_label(n, width=26) for _, n in named], title="Policy")
        return fig
