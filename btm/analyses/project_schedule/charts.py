"""Figures of the project schedule: Gantt chart with the critical path and floats, duration
S-curve against the deadline and PERT's normal curve, resource profile before and after
levelling. Each takes a table :mod:`btm.schedule` returns and returns a
:class:`btm.style.BoardFigure`.

Task ids, task names and resource names come from the analyst's files and are drawn as typed
(a ``$`` never switches matplotlib into mathtext; a leading ``_`` is kept, so a resource
``_developer`` is shown as ``_developer``); long names are wrapped and cut with ``…``
(:func:`btm.style.short_label`), the tables keep them whole. Every legend is given its handles
and labels explicitly.

Examples
--------
>>> import pandas as pd
>>> from btm import schedule
>>> from btm.analyses.project_schedule import charts
>>> tasks = pd.DataFrame({"task": ["A", "B", "C"], "duration": [3, 1, 2],
...                       "predecessors": ["", "", "A, B"]})
>>> fig = charts.gantt(schedule.critical_path(tasks).tasks)
>>> fig.axes[0].get_title()
'Schedule and critical path'
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from scipy import stats

from btm.errors import InputError
from btm.style import (
    INK,
    LOW_GREY,
    MUTED,
    PALETTE,
    bar_colour,
    chart,
    chart_doc,
    check_numeric,
    check_positive_int,
    legend_outside,
    legend_patch,
    line_style,
    panels,
    percent_formatter,
    percentile_name,
    require_frame,
    short_label,
    style_bars,
)

__all__ = ["gantt", "duration_s_curve", "resource_profile"]

_CRITICAL = PALETTE[2]  # vermillion
_OTHER = PALETTE[1]  # blue
#: Characters of a resource name in a panel's title (one line).
_PANEL_WIDTH = 44


def _check_period(period: Any) -> str:
    if not isinstance(period, str) or not period.strip():
        raise InputError(f"period: got {period!r}; expected the name of a period such as 'week'")
    return period.strip()


def _check_deadline(deadline: Any) -> float | None:
    if deadline is None:
        return None
    if isinstance(deadline, bool) or not isinstance(deadline, int | float | np.number) \
            or not math.isfinite(float(deadline)) or float(deadline) < 0:
        raise InputError(f"deadline: got {deadline!r}; expected a number of periods of at "
                         "least 0, or None")
    return float(deadline)


def _label(task: Any, name: Any, width: int) -> str:
    """``id  name`` wrapped and cut to two lines of `width` characters."""
    text = str(task)
    if name is not None and not (isinstance(name, float) and math.isnan(name)) \
            and str(name).strip():
        text += " " + " ".join(str(name).split())
    return short_label(text, width=max(width, 4), lines=2)


@chart_doc
def gantt(
    tasks: pd.DataFrame,
    *,
    deadline: float | None = None,
    period: str = "week",
    title: str | None = "Schedule and critical path",
    ax: Axes | None = None,
    footnote: str | None = None,
    label_width: int = 44,
) -> Figure:
    """Gantt chart of the early-start schedule: one bar per task from its earliest start to its
    earliest finish, critical tasks in vermillion and hatched, each task's total float as a
    light bar after it, milestones (zero duration) as diamonds.

    Parameters
    ----------
    tasks : pandas.DataFrame
        :attr:`btm.schedule.Schedule.tasks`: columns ``task``, ``earliest_start``,
        ``earliest_finish``, ``total_float``, ``critical``; ``name`` is shown when present.
        Drawn in table order, first on top.
    deadline : float, optional
        Marked by a vertical line.
    period : str
        The unit of the durations, for the axis label (``"week"``).
    label_width : int
        Characters per line of a task label (``id name``): a longer one is wrapped onto a
        second line and what does not fit is cut with an ellipsis.
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"task": ["A", "B", "M"], "earliest_start": [0.0, 0.0, 3.0],
    ...     "earliest_finish": [3.0, 1.0, 3.0], "total_float": [0.0, 2.0, 0.0],
    ...     "critical": [True, False, True]})
    >>> fig = gantt(t, deadline=4)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['A', 'B', 'M']
    """
    period = _check_period(period)
    deadline = _check_deadline(deadline)
    label_width = check_positive_int(label_width, "label_width")
    table = require_frame(tasks, "tasks", ("task", "earliest_start", "earliest_finish",
                                           "total_float", "critical"))
    nums = check_numeric(table[["earliest_start", "earliest_finish", "total_float"]], "tasks")
    es, ef, tf = nums[:, 0], nums[:, 1], nums[:, 2]
    bad = np.flatnonzero((ef < es) | (tf < 0))
    if bad.size:
        i = int(bad[0])
        raise InputError(f"tasks, row {i + 1} (task {table['task'].iloc[i]!r}): got start "
                         f"{es[i]:g}, finish {ef[i]:g}, float {tf[i]:g}; expected finish at "
                         "or after start and float of at least 0")
    critical = table["critical"].to_numpy()
    if not all(isinstance(c, bool | np.bool_) for c in critical):
        raise InputError("tasks, column 'critical': expected true/false values")
    critical = critical.astype(bool)
    names = table["name"].tolist() if "name" in table.columns else [None] * len(table)
    labels = [_label(t, n, label_width) for t, n in zip(table["task"], names, strict=True)]
    n = len(table)
    milestone = ef == es
    pitch = 0.36 if any("\n" in lab for lab in labels) else 0.24  # inches per task row
    with chart(ax, (11.0, max(3.5, 1.6 + pitch * n)), title, footnote,
               "Schedule and critical path") as (fig, ax):
        y = np.arange(n)[::-1]
        for flag, fill, hatch in ((False, _OTHER, ""), (True, _CRITICAL, "//")):
            sel = (critical == flag) & ~milestone
            if sel.any():
                bars = ax.barh(y[sel], ef[sel] - es[sel], left=es[sel], height=0.62, zorder=3)
                style_bars(bars, fill, hatch)
        has_float = (tf > 0)
        if has_float.any():
            fl = ax.barh(y[has_float], tf[has_float], left=ef[has_float], height=0.3, zorder=2)
            style_bars(fl, LOW_GREY, "")
        for flag, fill in ((False, _OTHER), (True, _CRITICAL)):
            sel = (critical == flag) & milestone
            if sel.any():
                ax.plot(es[sel], y[sel], linestyle="none", marker="D", markersize=8,
                        color=fill, markeredgecolor=INK, zorder=4, label="_milestone")
        handles: list[Any] = [legend_patch(_CRITICAL, "//", "critical task (no float)"),
                              legend_patch(_OTHER, "", "other task"),
                              legend_patch(LOW_GREY, "", "total float"),
                              Line2D([], [], linestyle="none", marker="D", color=_CRITICAL,
                                     markeredgecolor=INK, label="milestone")]
        end = float(max(ef.max(initial=0.0), (ef + tf).max(initial=0.0)))
        if deadline is not None:
            ax.axvline(deadline, color=INK, linestyle="--", linewidth=1.4, zorder=5)
            handles.append(Line2D([], [], color=INK, linestyle="--", linewidth=1.4,
                                  label=f"deadline ({period} {deadline:g})"))
            end = max(end, deadline)
        ax.set_yticks(y, labels, fontsize=8)
        for tick, flag in zip(ax.get_yticklabels(), critical, strict=True):
            tick.set_fontweight("bold" if flag else "normal")
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xlim(0, end * 1.02 + 0.5)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True, color="#E5E5E5", linewidth=0.6, zorder=0)
        ax.set_xlabel(f"{period.capitalize()}s from the project start")
        ax.set_ylabel("Task (critical in bold)")
        legend_outside(ax, handles=handles, labels=[h.get_label() for h in handles])
        return fig


@chart_doc
def duration_s_curve(
    trials: pd.DataFrame | pd.Series,
    *,
    pert_duration: float | None = None,
    pert_std: float | None = None,
    deadline: float | None = None,
    quantiles: Sequence[float] = (0.5, 0.8),
    period: str = "week",
    title: str | None = "When will the project finish?",
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """S-curve of the simulated project duration with PERT's normal curve, the deadline and
    the chance of meeting it by each, and the simulated percentiles marked.

    Parameters
    ----------
    trials : pandas.DataFrame or Series
        :attr:`btm.schedule.DurationSimulation.trials` (column ``duration``), or the durations.
    pert_duration, pert_std : float, optional
        PERT's expected duration and standard deviation: drawn as a normal cumulative curve.
    deadline : float, optional
        Marked with the simulated (and PERT) chance of finishing by it.
    quantiles : list of float
        Simulated percentiles to mark (0.8 is ``P80``).
    period : str
    {chart_keywords}

    Examples
    --------
    >>> import pandas as pd
    >>> fig = duration_s_curve(pd.Series([10.0, 11, 12, 13]), pert_duration=11, pert_std=1,
    ...                        deadline=12, quantiles=[0.5])
    >>> [ln.get_label() for ln in fig.axes[0].get_lines() if not ln.get_label().startswith("_")]
    ['simulation', 'PERT normal approximation']
    """
    period = _check_period(period)
    deadline = _check_deadline(deadline)
    if isinstance(trials, pd.DataFrame):
        require_frame(trials, "trials", ("duration",))
        values = check_numeric(trials["duration"], "trials")[:, 0]
    elif isinstance(trials, pd.Series):
        if trials.empty:
            raise InputError("trials: the series is empty; expected simulated durations")
        values = check_numeric(trials, "trials")[:, 0]
    else:
        raise InputError(f"trials: got {type(trials).__name__}; expected the trials DataFrame "
                         "of btm.schedule.simulate_duration or a Series of durations")
    if (pert_duration is None) != (pert_std is None):
        raise InputError("pert_std: expected pert_duration and pert_std together, or neither")
    for name, v in (("pert_duration", pert_duration), ("pert_std", pert_std)):
        if v is not None and (isinstance(v, bool) or not isinstance(v, int | float | np.number)
                              or not math.isfinite(float(v)) or float(v) < 0):
            raise InputError(f"{name}: got {v!r}; expected a finite number of at least 0")
    try:
        qs = sorted({float(q) for q in quantiles})
    except (TypeError, ValueError):
        raise InputError(f"quantiles: got {quantiles!r}; expected probabilities") from None
    if not qs or any(not 0 < q < 1 for q in qs):
        raise InputError(f"quantiles: got {quantiles!r}; expected probabilities strictly "
                         "between 0 and 1")
    x = np.sort(values)
    y = np.arange(1, x.size + 1) / x.size
    with chart(ax, None, title, footnote, "When will the project finish?") as (fig, ax):
        sim_style = line_style(1)
        sim_marker = sim_style.pop("marker")
        sim_style["linestyle"] = "-"  # PERT's curve is the dashed one
        handles: list[Any] = ax.step(x, y, where="post", linewidth=2.2, label="simulation",
                                     zorder=3, **sim_style)
        lo, hi = float(x[0]), float(x[-1])
        if pert_duration is not None and pert_std is not None:
            mu, sd = float(pert_duration), float(pert_std)
            if sd > 0:
                lo, hi = min(lo, mu - 3.5 * sd), max(hi, mu + 3.5 * sd)
                grid = np.linspace(lo, hi, 300)
                handles += ax.plot(grid, stats.norm.cdf(grid, mu, sd), color=INK,
                                   linestyle="--", linewidth=1.6,
                                   label="PERT normal approximation", zorder=2)
            else:
                handles += ax.plot([lo, mu, mu, hi], [0, 0, 1, 1], color=INK, linestyle="--",
                                   linewidth=1.6, label="PERT normal approximation", zorder=2)
        for q in qs:
            v = float(np.quantile(x, q))
            ax.plot([v], [q], linestyle="none", marker=sim_marker, markersize=7,
                    color=sim_style["color"], markeredgecolor="white", zorder=4,
                    label="_percentile")
            ax.annotate(f"{percentile_name(q)} {period} {v:.1f}", (v, q), xytext=(7, -3),
                        textcoords="offset points", ha="left", va="top", fontsize=9,
                        color=INK, zorder=5,
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                              "edgecolor": "none", "alpha": 0.85})
        if deadline is not None:
            ax.axvline(deadline, color=MUTED, linestyle=":", linewidth=1.8, zorder=1)
            p_sim = float((x <= deadline).mean())
            text = f"Deadline {period} {deadline:g}\n{p_sim:.0%} chance"
            if pert_duration is not None and pert_std is not None:
                sd = float(pert_std)
                p_pert = (float(stats.norm.cdf((deadline - float(pert_duration)) / sd)) if sd > 0
                          else float(deadline >= float(pert_duration)))
                text += f" ({p_pert:.0%} by PERT)"
            ax.annotate(text, (deadline, 0.97), xytext=(-6, 0), textcoords="offset points",
                        ha="right", va="top", fontsize=9, color=INK, gid="deadline",
                        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white",
                              "edgecolor": "none", "alpha": 0.9})
            lo, hi = min(lo, deadline), max(hi, deadline)
        pad = max(0.5, 0.03 * (hi - lo))
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_ylim(0, 1.02)
        ax.yaxis.set_major_formatter(percent_formatter())
        ax.set_xlabel(f"Project duration ({period}s)")
        ax.set_ylabel("Chance of finishing by then")
        legend_outside(ax, handles=handles, labels=[h.get_label() for h in handles])
        return fig


def resource_profile(
    profile: pd.DataFrame,
    *,
    period: str = "week",
    title: str | None = "Resource use before and after levelling",
    titles: Sequence[str] | None = None,
    footnote: str | None = None,
    ncols: int = 2,
) -> Figure:
    """Small multiples, one per resource: units used per period before levelling (the
    early-start schedule, a dashed line) and after (bars), against the capacity.

    Parameters
    ----------
    profile : pandas.DataFrame
        :attr:`btm.schedule.Levelling.profile`: columns ``resource``, ``period``,
        ``capacity``, ``demand_before``, ``demand_after``.
    period : str
    title : str, optional
        Title of the whole figure.
    titles : list of str, optional
        One panel title per resource (in sorted resource order); default the resource names
        (underscores between words as spaces, a leading one kept; cut with ``…`` to one line
        of the panel's width).
    footnote : str, optional
    ncols : int
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
    A :class:`btm.style.BoardFigure` with one panel per resource.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"resource": ["dev"] * 3, "period": [0, 1, 2], "capacity": 2.0,
    ...                   "demand_before": [3.0, 1, 0], "demand_after": [2.0, 2, 0]})
    >>> fig = resource_profile(p)
    >>> [ax.get_title(loc="left") for ax in fig.axes]
    ['dev']
    """
    period = _check_period(period)
    ncols = check_positive_int(ncols, "ncols")
    table = require_frame(profile, "profile", ("resource", "period", "capacity",
                                               "demand_before", "demand_after"))
    nums = check_numeric(table[["period", "capacity", "demand_before", "demand_after"]],
                         "profile")
    resources = sorted({str(r) for r in table["resource"]})
    if titles is not None:
        if isinstance(titles, str) or len(titles) != len(resources):
            raise InputError(f"titles: got {titles!r}; expected one title per resource "
                             f"({len(resources)}: {', '.join(resources)})")
        for t in titles:
            if not isinstance(t, str):
                raise InputError(f"titles: got {t!r}; expected text")
    cols = min(ncols, len(resources))
    rows = math.ceil(len(resources) / cols)
    res = table["resource"].astype(str).to_numpy()
    ymax = float(np.nanmax(nums[:, 1:])) if len(nums) else 1.0
    with panels(rows, cols, (5.2 * cols + 2.2, 2.7 * rows + 1.0), title, footnote,
                "Resource use before and after levelling") as (fig, flat):
        for k, (ax, r) in enumerate(zip(flat, resources, strict=False)):
            sel = res == r
            order = np.argsort(nums[sel, 0], kind="stable")
            per, cap, before, after = (nums[sel][order, j] for j in range(4))
            bars = ax.bar(per + 0.5, after, width=1.0, zorder=2)
            style_bars(bars, bar_colour(0), "")
            ax.step(np.append(per, per[-1] + 1), np.append(before, before[-1]), where="post",
                    color=INK, linestyle="--", linewidth=1.4, zorder=3)
            ax.step(np.append(per, per[-1] + 1), np.append(cap, cap[-1]), where="post",
                    color=_CRITICAL, linestyle="-", linewidth=2.0, zorder=4)
            over = before > cap + 1e-9
            if over.any():
                ax.plot(per[over] + 0.5, before[over], linestyle="none", marker="^",
                        markersize=6, color=_CRITICAL, markeredgecolor=INK, zorder=5,
                        label="_over")
            if titles is not None:
                ax.set_title(titles[k], loc="left", fontsize=10.5, fontweight="bold", pad=4,
                             parse_math=False)
            else:
                ax.set_title(short_label(re.sub(r"(?<=\S)_(?=\S)", " ", r),
                                         width=_PANEL_WIDTH, lines=1),
                             loc="left", fontsize=10.5, fontweight="bold", pad=4)
            ax.set_ylim(0, ymax * 1.15 + 0.5)
            ax.set_xlim(0, float(nums[:, 0].max()) + 1)
            ax.tick_params(labelsize=8.5)
            if k % cols == 0:
                ax.set_ylabel("Units per " + period, fontsize=9.5)
            if k + cols >= len(resources):
                ax.set_xlabel(f"{period.capitalize()}s from the project start", fontsize=9.5)
        for ax in flat[len(resources):]:
            ax.set_axis_off()
        handles = [Patch(facecolor=bar_colour(0), edgecolor="white", label="after levelling"),
                   Line2D([], [], color=INK, linestyle="--", linewidth=1.4,
                          label="before (early start)"),
                   Line2D([], [], linestyle="none", marker="^", color=_CRITICAL,
                          markeredgecolor=INK, label="before: over capacity"),
                   Line2D([], [], color=_CRITICAL, linewidth=2.0, label="capacity")]
        fig.legend(handles=handles, labels=[h.get_label() for h in handles],
                   loc="outside right upper", frameon=False)
        return fig
