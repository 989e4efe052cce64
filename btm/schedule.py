"""Project schedules: critical path (CPM), PERT, Monte Carlo of the finish, resource levelling.

The input is one table of tasks (see ``btm/data/project_schedule/README.md``):

============= =====================================================================================
column        meaning
============= =====================================================================================
task          unique task id ("T05" ...)
duration      planned duration in periods (days or weeks; one unit per table), at least 0
optimistic,   three-point estimate of the duration (``optimistic <= most_likely <= pessimistic``),
most_likely,  used by :func:`pert` and :func:`simulate_duration`
pessimistic
predecessors  ids of the tasks that must finish before this one starts (finish-to-start, no lag):
              a list, or text separated by commas or semicolons; empty for a start task
resource      optional: the resource type the task needs ("developer" ...); used by levelling
units         optional: how many units of that resource the task uses in each period it runs
============= =====================================================================================

Method
------
The network is a ``networkx.DiGraph`` (one node per task, one edge per predecessor); cycles and
unknown predecessors are refused. The forward pass gives the earliest start ``ES_j = max(EF_i)``
over predecessors i (0 for a start task) and ``EF_j = ES_j + d_j``; the project duration is
``T = max(EF)``. The backward pass gives ``LF_i = min(LS_j)`` over successors j (``T`` for an end
task) and ``LS_i = LF_i - d_i``. Total float is ``LS - ES``; free float is ``min(ES_j) - EF_i``
over successors (``T - EF_i`` for an end task); a task is critical when its total float is zero
(Kelley and Walker, "Critical-path planning and scheduling", Proc. Eastern Joint Computer
Conference, 1959; Heizer and Render, *Operations Management*, ch. 3).

Both passes run over the network's topological generations (``networkx.topological_generations``)
with numpy: all tasks of a generation at once, and, in :func:`simulate_duration`, all trials at
once (an array of trials x tasks).

PERT (Malcolm, Roseboom, Clark and Fazar, *Operations Research* 7(5), 1959): each task's expected
duration is ``(a + 4m + b) / 6`` and its variance ``((b - a) / 6) ** 2``; the project duration is
approximately normal with the expected length of the critical path and the sum of the variances
along it. That approximation ignores the other paths: where paths merge, the finish is the
maximum of several uncertain path lengths, which is later on average than any one of them (the
merge bias, MacCrimmon and Ryavec, *Operations Research* 12(1), 1964). :func:`simulate_duration`
samples every task's duration (beta-PERT or triangular, :mod:`btm.uncertainty`) and reports the
finish percentiles and each task's criticality index (the share of trials in which it is
critical; Van Slyke, *Operations Research* 11(5), 1963).

Examples
--------
>>> import pandas as pd
>>> tasks = pd.DataFrame({
...     "task": ["design", "build", "test", "train"],
...     "duration": [2, 5, 3, 1],
...     "predecessors": ["", "design", "build", "design"],
... })
>>> s = critical_path(tasks)
>>> s.duration, s.path
(10.0, ['design', 'build', 'test'])
>>> train = s.tasks.set_index("task").loc["train"]
>>> float(train["earliest_start"]), float(train["total_float"]), float(train["free_float"])
(2.0, 7.0, 7.0)
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy import stats

from btm import uncertainty, validate
from btm.constraints import Interval, NoneOr, Options, Probability, Seed, Text, constrained
from btm.errors import InputError

__all__ = [
    "TASK_COLUMNS",
    "ESTIMATE_COLUMNS",
    "Schedule",
    "PERTResult",
    "DurationSimulation",
    "Levelling",
    "Smoothing",
    "critical_path",
    "pert",
    "simulate_duration",
    "level_resources",
    "smooth_resources",
    "resource_profile",
    "to_date",
]

TASK_COLUMNS: tuple[validate.Column, ...] = (
    validate.Column("task", "text", description="unique task id"),
    validate.Column("duration", "number", description="planned duration in periods, at least 0"),
    validate.Column(
        "predecessors", "any", required=False, allow_missing=True,
        description="ids of tasks that must finish first (comma-separated or a list)",
    ),
)
"""Declared columns of a task table for :func:`critical_path`."""

ESTIMATE_COLUMNS: tuple[validate.Column, ...] = (
    validate.Column("task", "text", description="unique task id"),
    validate.Column("optimistic", "number", description="shortest credible duration (a)"),
    validate.Column("most_likely", "number", description="most likely duration (m)"),
    validate.Column("pessimistic", "number", description="longest credible duration (b)"),
    validate.Column(
        "predecessors", "any", required=False, allow_missing=True,
        description="ids of tasks that must finish first (comma-separated or a list)",
    ),
)
"""Declared columns of a task table for :func:`pert` and :func:`simulate_duration`."""

_MAX_PATHS = 100
"""At most this many critical paths are listed in ``Schedule.paths``."""

_CHUNK_CELLS = 2_000_000
"""Monte Carlo trials are processed in chunks of about this many trial x task cells."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Schedule:
    """Result of :func:`critical_path`.

    Attributes
    ----------
    tasks : pandas.DataFrame
        The validated task table (input order) with ``predecessors`` as lists and
        ``earliest_start``, ``earliest_finish``, ``latest_start``, ``latest_finish``,
        ``total_float``, ``free_float`` and ``critical`` (total float zero).
    duration : float
        Project length: the latest earliest finish.
    path : list of str
        The critical path: the ids of one chain of critical tasks from a start task to an end
        task, in order (each finishes when the next starts). With several critical paths it is
        the first of ``paths``, never a mix of them; every critical task is in
        ``tasks["critical"]``.
    paths : list of list of str
        Every critical path from a start task to an end task (at most 100 are listed), in
        the order of the tasks in the input.
    summary : pandas.DataFrame
        One row: ``duration``, ``n_tasks``, ``n_critical``, ``n_critical_paths``.
    """

    tasks: pd.DataFrame
    duration: float
    path: list[str]
    paths: list[list[str]]
    summary: pd.DataFrame


@dataclass(frozen=True)
class PERTResult:
    """Result of :func:`pert`.

    Attributes
    ----------
    tasks : pandas.DataFrame
        The validated table with ``expected_duration`` ((a + 4m + b) / 6), ``variance``
        (((b - a) / 6) ** 2) and the :class:`Schedule` columns computed on expected durations.
    duration : float
        Expected project length (critical path of expected durations).
    std : float
        Standard deviation along the critical path: the square root of the sum of its tasks'
        variances; with several critical paths, the largest of them (the cautious choice).
    path, paths : list
        As in :class:`Schedule`, except that with several critical paths ``path`` is the one
        whose variance gives ``std`` (the first such in ``paths``).
    summary : pandas.DataFrame
        One row: ``duration``, ``std``, ``n_tasks``, ``n_critical``, ``n_critical_paths``.
    """

    tasks: pd.DataFrame
    duration: float
    std: float
    path: list[str]
    paths: list[list[str]]
    summary: pd.DataFrame

    @constrained(deadline=Interval(float, 0))
    def probability(self, deadline: float) -> float:
        """Normal-approximation probability of finishing by `deadline` (same periods as the
        durations): ``Phi((deadline - duration) / std)``.

        Examples
        --------
        >>> import pandas as pd
        >>> r = pert(pd.DataFrame({"task": ["a"], "optimistic": [1], "most_likely": [2],
        ...                        "pessimistic": [9]}))
        >>> r.duration, round(r.std, 4), round(r.probability(3.0), 4)
        (3.0, 1.3333, 0.5)
        """
        if self.std == 0:
            return 1.0 if deadline >= self.duration else 0.0
        return float(stats.norm.cdf((deadline - self.duration) / self.std))

    @constrained(confidence=Probability())
    def finish_at(self, confidence: float) -> float:
        """The duration met with probability `confidence` under the normal approximation:
        ``duration + z * std``.

        Examples
        --------
        >>> import pandas as pd
        >>> r = pert(pd.DataFrame({"task": ["a"], "optimistic": [1], "most_likely": [2],
        ...                        "pessimistic": [9]}))
        >>> round(r.finish_at(0.5), 6)
        3.0
        """
        return float(self.duration + stats.norm.ppf(confidence) * self.std)


@dataclass(frozen=True)
class DurationSimulation:
    """Result of :func:`simulate_duration`.

    Attributes
    ----------
    trials : pandas.DataFrame
        One row per trial: ``trial``, ``duration``.
    tasks : pandas.DataFrame
        One row per task (input order): ``task``, ``expected_duration``, ``mean_duration``
        (sample mean), ``pert_critical`` (on the PERT critical path of expected durations) and
        ``criticality_index`` (share of trials in which the task is critical).
    summary : pandas.DataFrame
        One row: ``mean``, ``std``, ``p10``, ``p50``, ``p80``, ``p90`` of the project duration,
        ``pert_duration`` and ``pert_std`` (the normal approximation), ``n_simulations``,
        ``distribution`` and, when a deadline was given, ``deadline``,
        ``probability_by_deadline`` (share of trials finishing by it) and
        ``pert_probability_by_deadline``.
    """

    trials: pd.DataFrame
    tasks: pd.DataFrame
    summary: pd.DataFrame

    @constrained(deadline=Interval(float, 0))
    def probability(self, deadline: float) -> float:
        """Share of trials finishing by `deadline`.

        Examples
        --------
        >>> import pandas as pd
        >>> t = pd.DataFrame({"task": ["a"], "optimistic": [2], "most_likely": [2],
        ...                   "pessimistic": [2]})
        >>> simulate_duration(t, n_simulations=100).probability(2.0)
        1.0
        """
        return float((self.trials["duration"].to_numpy() <= deadline).mean())

    @constrained(confidence=Probability(include_high=True))
    def finish_at(self, confidence: float) -> float:
        """The simulated duration met in a share `confidence` of trials (a percentile).

        Examples
        --------
        >>> import pandas as pd
        >>> t = pd.DataFrame({"task": ["a"], "optimistic": [2], "most_likely": [2],
        ...                   "pessimistic": [2]})
        >>> simulate_duration(t, n_simulations=100).finish_at(0.8)
        2.0
        """
        return float(np.quantile(self.trials["duration"].to_numpy(), confidence))


@dataclass(frozen=True)
class Levelling:
    """Result of :func:`level_resources`.

    Attributes
    ----------
    tasks : pandas.DataFrame
        One row per task: ``task``, ``resource``, ``units``, ``duration``, ``earliest_start``,
        ``total_float``, ``start``, ``finish`` (levelled), ``delay`` (start - earliest start) and
        ``beyond_float`` (the delay exceeds the total float: the task pushes the end date).
    profile : pandas.DataFrame
        Tidy: ``resource``, ``period``, ``capacity``, ``demand_before`` (early-start schedule),
        ``demand_after`` (levelled).
    summary : pandas.DataFrame
        One row per resource: ``capacity``, ``peak_before``, ``peak_after``,
        ``periods_over_before``, ``periods_over_after``.
    duration_before, duration_after : float
        Project length before (critical path) and after levelling.
    deadline : float or None
        The deadline given (None: the critical-path duration is the deadline).
    deadline_must_move : bool
        True when the levelled schedule ends after the deadline.
    """

    tasks: pd.DataFrame
    profile: pd.DataFrame
    summary: pd.DataFrame
    duration_before: float
    duration_after: float
    deadline: float | None
    deadline_must_move: bool


@dataclass(frozen=True)
class Smoothing:
    """Result of :func:`smooth_resources`.

    Attributes
    ----------
    tasks : pandas.DataFrame
        One row per task: ``task``, ``resource``, ``units``, ``duration``, ``earliest_start``,
        ``latest_start``, ``start``, ``finish`` (smoothed), ``shift`` (start - earliest start).
    profile : pandas.DataFrame
        Tidy: ``resource``, ``period``, ``demand_before``, ``demand_after``.
    summary : pandas.DataFrame
        One row per resource: ``peak_before``, ``peak_after``, ``sum_squares_before``,
        ``sum_squares_after`` (the Burgess-Killebrew measure of unevenness).
    duration : float
        Project length, the same before and after.
    """

    tasks: pd.DataFrame
    profile: pd.DataFrame
    summary: pd.DataFrame
    duration: float


# --------------------------------------------------------------------------- network


@dataclass(frozen=True)
class _Network:
    ids: list[str]
    graph: nx.DiGraph
    generations: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
    """(task indices, predecessor index matrix, successor index matrix) per generation; the
    matrices are padded with ``n`` (a dummy column)."""


def _task_label(source: str, row: int, task: Any) -> str:
    return f"{source}, row {row} (task {task!r})"


def _split(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return [p.strip() for p in re.split(r"[,;]", value) if p.strip()]
    if isinstance(value, list | tuple | set | np.ndarray | pd.Series):
        return [validate.id_text(v) for v in value if validate.id_text(v)]
    try:
        if pd.isna(value):
            return []
    except (TypeError, ValueError):
        pass
    return [validate.id_text(value)]  # task 1 read as 1.0 is task '1'



def _network(table: pd.DataFrame, source: str) -> _Network:
    """Check ids and predecessors; build the graph and its generations."""
    ids = table["task"].tolist()
    seen: dict[str, int] = {}
    for row, t in enumerate(ids, start=1):
        if t in seen:
            raise InputError(
                f"{source}, row {row}, column 'task': got {t!r}, already used in row {seen[t]}; "
                "expected a unique task id"
            )
        seen[t] = row
    preds = [_split(v) for v in table["predecessors"]]
    graph = nx.DiGraph()
    graph.add_nodes_from(ids)
    for row, (t, ps) in enumerate(zip(ids, preds, strict=True), start=1):
        for p in ps:
            if p not in seen:
                raise InputError(
                    f"{_task_label(source, row, t)}, column 'predecessors': got {p!r}, which is "
                    "not a task; expected ids from column 'task'"
                )
            graph.add_edge(p, t)
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        cycle = None
    if cycle:
        loop = " -> ".join([u for u, _ in cycle] + [cycle[0][0]])
        raise InputError(
            f"{source}, column 'predecessors': tasks {loop} form a cycle; expected a network "
            "in which no task depends on itself"
        )
    index = {t: i for i, t in enumerate(ids)}
    n = len(ids)
    generations = []
    for gen in nx.topological_generations(graph):
        idx = np.array(sorted(index[t] for t in gen), dtype=np.intp)
        generations.append((idx, _padded(graph.predecessors, ids, idx, index, n),
                            _padded(graph.successors, ids, idx, index, n)))
    return _Network(ids, graph, generations)


def _padded(neighbours: Any, ids: list[str], idx: np.ndarray, index: dict[str, int],
            n: int) -> np.ndarray:
    lists = [[index[v] for v in neighbours(ids[i])] for i in idx]
    width = max(1, max(len(lst) for lst in lists))
    out = np.full((len(idx), width), n, dtype=np.intp)
    for r, lst in enumerate(lists):
        out[r, : len(lst)] = lst
    return out


def _passes(net: _Network, dur: np.ndarray, *, free_float: bool = False) -> dict[str, np.ndarray]:
    """Forward and backward passes for an array of durations, shape (trials, tasks)."""
    m, n = dur.shape
    ef = np.zeros((m, n + 1))
    es = np.zeros((m, n))
    for idx, pred, _ in net.generations:
        es[:, idx] = ef[:, pred].max(axis=2)
        ef[:, idx] = es[:, idx] + dur[:, idx]
    total = ef[:, :n].max(axis=1, initial=0.0)
    ls = np.empty((m, n + 1))
    ls[:, n] = total
    for idx, _, succ in reversed(net.generations):
        ls[:, idx] = ls[:, succ].min(axis=2) - dur[:, idx]
    out = {"es": es, "ef": ef[:, :n], "ls": ls[:, :n], "total": total}
    if free_float:
        es_pad = np.concatenate([es, total[:, None]], axis=1)
        ff = np.empty((m, n))
        for idx, _, succ in net.generations:
            ff[:, idx] = es_pad[:, succ].min(axis=2) - ef[:, idx]
        out["ff"] = ff
    return out


def _tolerance(total: np.ndarray) -> np.ndarray:
    return 1e-9 * np.maximum(1.0, np.abs(total))


def _validated_tasks(tasks: Any, columns: tuple[validate.Column, ...], source: str) -> pd.DataFrame:
    table = validate.frame(tasks, columns, source=source)
    table["task"] = table["task"].astype(str)
    return table


def _check_nonnegative(table: pd.DataFrame, column: str, source: str) -> None:
    v = table[column].to_numpy(dtype=float)
    bad = np.flatnonzero(v < 0)
    if bad.size:
        i = int(bad[0])
        raise InputError(
            f"{_task_label(source, i + 1, table['task'].iloc[i])}, column '{column}': "
            f"got {v[i]:g}; expected a duration of at least 0"
        )


def _schedule(table: pd.DataFrame, net: _Network, durations: np.ndarray) -> Schedule:
    r = _passes(net, durations[None, :], free_float=True)
    total = float(r["total"][0])
    tol = float(_tolerance(r["total"])[0])
    es, ef, ls = r["es"][0], r["ef"][0], r["ls"][0]
    tf = ls - es
    ff = r["ff"][0]
    # Clean float noise so that critical tasks show exactly 0.
    tf = np.where(np.abs(tf) <= tol, 0.0, tf)
    ff = np.where(np.abs(ff) <= tol, 0.0, ff)
    critical = tf == 0
    out = table.copy()
    out["predecessors"] = [list(net.graph.predecessors(t)) for t in net.ids]
    out["earliest_start"] = es
    out["earliest_finish"] = ef
    out["latest_start"] = ls
    out["latest_finish"] = ls + durations
    out["total_float"] = tf
    out["free_float"] = ff
    out["critical"] = critical
    paths = _critical_paths(net, es, ef, critical, total, tol)
    if paths:
        path = list(paths[0])
    else:  # not expected: every network has a critical path; keep the critical tasks in order
        order = np.lexsort((np.arange(len(es)), ef, es))
        path = [net.ids[i] for i in order if critical[i]]
    summary = pd.DataFrame({
        "duration": [total], "n_tasks": [len(net.ids)], "n_critical": [int(critical.sum())],
        "n_critical_paths": [len(paths)],
    })
    return Schedule(out, total, path, paths, summary)


def _critical_paths(net: _Network, es: np.ndarray, ef: np.ndarray, critical: np.ndarray,
                    total: float, tol: float) -> list[list[str]]:
    index = {t: i for i, t in enumerate(net.ids)}
    tight = nx.DiGraph()
    crit = [t for t in net.ids if critical[index[t]]]
    tight.add_nodes_from(crit)
    start, end = object(), object()
    for t in crit:  # a path runs from a start task to an end task (zero durations aside)
        i = index[t]
        if es[i] <= tol and net.graph.in_degree(t) == 0:
            tight.add_edge(start, t)
        if ef[i] >= total - tol and net.graph.out_degree(t) == 0:
            tight.add_edge(t, end)
    for u, v in net.graph.edges:
        iu, iv = index[u], index[v]
        if critical[iu] and critical[iv] and abs(es[iv] - ef[iu]) <= tol:
            tight.add_edge(u, v)
    if start not in tight or end not in tight:
        return []
    paths = []
    for p in nx.all_simple_paths(tight, start, end):
        paths.append([str(t) for t in p[1:-1]])
        if len(paths) >= _MAX_PATHS:
            break
    return sorted(paths, key=lambda p: [index[t] for t in p])


# --------------------------------------------------------------------------- CPM and PERT


@constrained(source=Text())
def critical_path(tasks: pd.DataFrame, *, source: str = "tasks") -> Schedule:
    """Critical path method: earliest and latest dates, total and free float, critical paths.

    Implements the forward and backward passes of Kelley and Walker (1959) as taught in
    Heizer and Render, *Operations Management*, ch. 3 (equations for ES, EF, LS, LF and slack),
    on a networkx graph of the finish-to-start dependencies.

    Parameters
    ----------
    tasks : pandas.DataFrame
        Columns ``task`` (unique id), ``duration`` (at least 0, periods) and ``predecessors``
        (list or comma-separated ids; empty or absent for start tasks). Other columns are kept.
    source : str
        How to name the table in messages (a file name).

    Returns
    -------
    Schedule
        ``tasks`` with ``earliest_start``, ``earliest_finish``, ``latest_start``,
        ``latest_finish``, ``total_float``, ``free_float``, ``critical``; ``duration``;
        ``path`` (one critical path: its task ids in order); ``paths`` (every critical
        path); ``summary``.

    Raises
    ------
    InputError
        A missing column, a repeated task id, a negative or non-numeric duration, a
        predecessor that is not a task, or a cycle; the message names the row and task.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"task": ["A", "B", "C"], "duration": [3, 3, 1],
    ...                   "predecessors": [None, None, "A, B"]})
    >>> s = critical_path(t)
    >>> s.duration, s.path, s.paths
    (4.0, ['A', 'C'], [['A', 'C'], ['B', 'C']])
    >>> critical_path(pd.DataFrame({"task": ["A"], "duration": [-1]}))
    Traceback (most recent call last):
    ...
    btm.errors.InputError: tasks, row 1 (task 'A'), column 'duration': got -1; expected a duration of at least 0
    """
    table = _validated_tasks(tasks, TASK_COLUMNS, source)
    _check_nonnegative(table, "duration", source)
    net = _network(table, source)
    return _schedule(table, net, table["duration"].to_numpy(dtype=float))


def _check_estimates(table: pd.DataFrame, source: str) -> None:
    for col in ("optimistic", "most_likely", "pessimistic"):
        _check_nonnegative(table, col, source)
    a = table["optimistic"].to_numpy(dtype=float)
    m = table["most_likely"].to_numpy(dtype=float)
    b = table["pessimistic"].to_numpy(dtype=float)
    for col, bad, what in (("most_likely", m < a, "at least optimistic"),
                           ("pessimistic", b < m, "at least most_likely")):
        rows = np.flatnonzero(bad)
        if rows.size:
            i = int(rows[0])
            raise InputError(
                f"{_task_label(source, i + 1, table['task'].iloc[i])}, column '{col}': got "
                f"{table[col].iloc[i]:g} with optimistic {a[i]:g}, most_likely {m[i]:g}, "
                f"pessimistic {b[i]:g}; expected a value {what} "
                "(optimistic <= most_likely <= pessimistic)"
            )


def _estimated_tasks(
    tasks: Any, source: str
) -> tuple[pd.DataFrame, _Network, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The checked three-point task table, its network, and its optimistic, most likely and
    pessimistic durations (for :func:`pert` and :func:`simulate_duration`)."""
    table = _validated_tasks(tasks, ESTIMATE_COLUMNS, source)
    _check_estimates(table, source)
    net = _network(table, source)
    a, m, b = (table[c].to_numpy(dtype=float) for c in ("optimistic", "most_likely", "pessimistic"))
    return table, net, (a, m, b)


@constrained(source=Text())
def pert(tasks: pd.DataFrame, *, source: str = "tasks") -> PERTResult:
    """PERT: expected durations, variances, critical path and its normal approximation.

    Expected duration ``t = (a + 4m + b) / 6`` and variance ``((b - a) / 6) ** 2`` per task
    (Malcolm et al., 1959; Heizer and Render, *Operations Management*, ch. 3); the critical
    path of the expected durations gives the expected project length, and the project
    standard deviation is the square root of the sum of the variances along it.
    :meth:`PERTResult.probability` gives ``Phi((deadline - duration) / std)``.

    Parameters
    ----------
    tasks : pandas.DataFrame
        Columns ``task``, ``optimistic``, ``most_likely``, ``pessimistic`` (each at least 0,
        optimistic <= most_likely <= pessimistic) and ``predecessors``.
    source : str
        How to name the table in messages.

    Returns
    -------
    PERTResult

    Raises
    ------
    InputError
        As :func:`critical_path`, and estimates out of order (naming the task).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"task": ["A", "B"], "optimistic": [1, 2], "most_likely": [2, 4],
    ...                   "pessimistic": [3, 12], "predecessors": ["", "A"]})
    >>> r = pert(t)
    >>> r.duration, round(r.std ** 2, 4), r.path
    (7.0, 2.8889, ['A', 'B'])
    """
    table, net, (a, m, b) = _estimated_tasks(tasks, source)
    expected = (a + 4 * m + b) / 6
    variance = ((b - a) / 6) ** 2
    table["expected_duration"] = expected
    table["variance"] = variance
    s = _schedule(table, net, expected)
    index = {t: i for i, t in enumerate(net.ids)}
    path_vars = [sum(variance[index[t]] for t in p) for p in s.paths] or [0.0]
    widest = int(np.argmax(path_vars))
    std = float(math.sqrt(path_vars[widest]))
    path = list(s.paths[widest]) if s.paths else s.path
    summary = s.summary.copy()
    summary.insert(1, "std", std)
    return PERTResult(s.tasks, s.duration, std, path, s.paths, summary)


# --------------------------------------------------------------------------- Monte Carlo


@constrained(
    n_simulations=Interval(int, 100, 10**7),
    distribution=Options(uncertainty.DISTRIBUTIONS),
    deadline=NoneOr(Interval(float, 0)),
    seed=Seed(),
    source=Text(),
)
def simulate_duration(
    tasks: pd.DataFrame,
    *,
    n_simulations: int = 10_000,
    distribution: str = "pert",
    deadline: float | None = None,
    seed: int | np.random.Generator = 0,
    source: str = "tasks",
) -> DurationSimulation:
    """Monte Carlo of the project duration with each task's criticality index.

    Every trial draws each task's duration from its three-point estimate (beta-PERT with
    lambda = 4, or triangular; :func:`btm.uncertainty.sample_three_point`), runs the forward
    and backward passes (vectorised over trials and over each topological generation of tasks)
    and records the project length and which tasks have zero total float. The criticality
    index is the share of trials in which a task is critical (Van Slyke, 1963); unlike the PERT
    normal approximation, the simulated finish accounts for the merge bias at points where
    paths join (MacCrimmon and Ryavec, 1964).

    Parameters
    ----------
    tasks : pandas.DataFrame
        As for :func:`pert`.
    n_simulations : int
        Number of trials.
    distribution : {"pert", "triangular"}
        Distribution of each task's duration.
    deadline : float, optional
        When given, the summary adds the simulated and the PERT probability of finishing by it.
    seed : int or numpy.random.Generator
        The same seed gives the same trials.
    source : str
        How to name the table in messages.

    Returns
    -------
    DurationSimulation

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"task": ["A", "B", "C"], "optimistic": [1, 1, 1],
    ...                   "most_likely": [2, 2, 1], "pessimistic": [3, 3, 1],
    ...                   "predecessors": ["", "", "A, B"]})
    >>> sim = simulate_duration(t, n_simulations=20_000, seed=1)
    >>> sim.tasks["criticality_index"].round(1).tolist()  # A or B, each half the time; C always
    [0.5, 0.5, 1.0]
    >>> bool(sim.summary["mean"].iloc[0] > pert(t).duration)  # merge bias: later than PERT's 3
    True
    """
    table, net, (a, m, b) = _estimated_tasks(tasks, source)
    rng = validate.rng(seed)
    n = len(net.ids)
    chunk = max(1, _CHUNK_CELLS // max(n, 1))
    totals = np.empty(n_simulations)
    critical_count = np.zeros(n)
    duration_sum = np.zeros(n)
    for start in range(0, n_simulations, chunk):
        size = min(chunk, n_simulations - start)
        dur = uncertainty.sample_three_point(a, m, b, size, distribution=distribution, rng=rng)
        r = _passes(net, dur)
        totals[start:start + size] = r["total"]
        tol = _tolerance(r["total"])[:, None]
        critical_count += ((r["ls"] - r["es"]) <= tol).sum(axis=0)
        duration_sum += dur.sum(axis=0)
    p = pert(table, source=source)
    task_table = pd.DataFrame({
        "task": net.ids,
        "expected_duration": p.tasks["expected_duration"].to_numpy(),
        "mean_duration": duration_sum / n_simulations,
        "pert_critical": p.tasks["critical"].to_numpy(),
        "criticality_index": critical_count / n_simulations,
    })
    q = np.quantile(totals, [0.1, 0.5, 0.8, 0.9])
    summary = {
        "mean": float(totals.mean()), "std": float(totals.std(ddof=1)),
        "p10": q[0], "p50": q[1], "p80": q[2], "p90": q[3],
        "pert_duration": p.duration, "pert_std": p.std,
        "n_simulations": n_simulations, "distribution": distribution,
    }
    if deadline is not None:
        summary["deadline"] = deadline
        summary["probability_by_deadline"] = float((totals <= deadline).mean())
        summary["pert_probability_by_deadline"] = p.probability(deadline)
    trials = pd.DataFrame({"trial": np.arange(1, n_simulations + 1), "duration": totals})
    return DurationSimulation(trials, task_table, pd.DataFrame([summary]))


# --------------------------------------------------------------------------- resources

_RESOURCE_COLUMNS: tuple[validate.Column, ...] = (
    validate.Column("resource", "text", required=False, allow_missing=True,
                    description="resource type the task uses"),
    validate.Column("units", "number", required=False, default=0.0, min=0,
                    description="units of the resource used in each period the task runs"),
)


def _resource_tasks(tasks: Any, source: str) -> tuple[pd.DataFrame, _Network, Schedule]:
    table = _validated_tasks(tasks, TASK_COLUMNS + _RESOURCE_COLUMNS, source)
    _check_nonnegative(table, "duration", source)
    d = table["duration"].to_numpy(dtype=float)
    frac = np.flatnonzero(d != np.round(d))
    if frac.size:
        i = int(frac[0])
        raise InputError(
            f"{_task_label(source, i + 1, table['task'].iloc[i])}, column 'duration': got "
            f"{d[i]:g}; expected a whole number of periods (levelling works period by period)"
        )
    units = table["units"].to_numpy(dtype=float)
    missing = np.flatnonzero(table["resource"].isna().to_numpy() & (units > 0))
    if missing.size:
        i = int(missing[0])
        raise InputError(
            f"{_task_label(source, i + 1, table['task'].iloc[i])}, column 'resource': the cell "
            f"is empty but units is {units[i]:g}; expected the resource the units are of"
        )
    net = _network(table, source)
    return table, net, _schedule(table, net, d)


def _capacities(capacity: Any, resources: list[str], name: str = "capacity") -> dict[str, float]:
    if isinstance(capacity, pd.DataFrame):
        cap = validate.frame(capacity, [validate.Column("resource", "text"),
                                        validate.Column("capacity", "number", min=0)],
                             source=name)
        dup = cap["resource"].duplicated()
        if dup.any():
            i = int(np.flatnonzero(dup.to_numpy())[0])
            raise InputError(
                f"{name}, row {i + 1}, column 'resource': got {cap['resource'].iloc[i]!r} "
                "again; expected each resource once"
            )
        mapping = dict(zip(cap["resource"], cap["capacity"].astype(float), strict=True))
    elif isinstance(capacity, Mapping):
        mapping = {}
        for k, v in capacity.items():
            mapping[str(k)] = Interval(float, 0).check(v, f"capacity[{k!r}]")
    else:
        raise InputError(
            f"capacity: got {type(capacity).__name__}; expected a mapping of resource to units "
            "per period or a DataFrame with columns 'resource' and 'capacity'"
        )
    for r in resources:
        if r not in mapping:
            raise InputError(
                f"{name}: no capacity for resource {r!r}; expected one for every resource in "
                "the task table (" + ", ".join(map(repr, resources)) + ")"
            )
    return mapping


def _profile(starts: np.ndarray, dur: np.ndarray, res_idx: np.ndarray, units: np.ndarray,
             n_res: int, horizon: int) -> np.ndarray:
    """Demand per resource and period, shape (resources, horizon), by difference arrays."""
    diff = np.zeros((n_res, horizon + 1))
    used = (res_idx >= 0) & (dur > 0) & (units > 0)
    s = starts[used].astype(np.intp)
    f = (starts[used] + dur[used]).astype(np.intp)
    np.add.at(diff, (res_idx[used], s), units[used])
    np.add.at(diff, (res_idx[used], f), -units[used])
    return np.cumsum(diff, axis=1)[:, :horizon]


def _resource_index(table: pd.DataFrame) -> tuple[list[str], np.ndarray]:
    res = table["resource"]
    names = sorted({str(r) for r in res.dropna()})
    pos = {r: i for i, r in enumerate(names)}
    idx = np.array([-1 if pd.isna(r) else pos[str(r)] for r in res], dtype=np.intp)
    return names, idx


def resource_profile(schedule: Schedule, *, start_column: str = "earliest_start") -> pd.DataFrame:
    """Demand of each resource in each period of a schedule (tidy: resource, period, demand).

    Parameters
    ----------
    schedule : Schedule
        From :func:`critical_path` on a table with ``resource`` and ``units`` columns.
    start_column : str
        Which start to use (``earliest_start`` or ``latest_start``).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"task": ["a", "b"], "duration": [2, 1], "predecessors": ["", ""],
    ...                   "resource": ["dev", "dev"], "units": [1, 2]})
    >>> resource_profile(critical_path(t))["demand"].tolist()
    [3.0, 1.0]
    """
    if not isinstance(schedule, Schedule):
        raise InputError(f"schedule: got {type(schedule).__name__}; expected a Schedule")
    Options(("earliest_start", "latest_start")).check(start_column, "start_column")
    t = schedule.tasks
    if "resource" not in t.columns or "units" not in t.columns:
        raise InputError("schedule: the task table has no 'resource' and 'units' columns; "
                         "expected both to compute a resource profile")
    names, idx = _resource_index(t)
    horizon = int(math.ceil(schedule.duration))
    prof = _profile(t[start_column].to_numpy(dtype=float), t["duration"].to_numpy(dtype=float),
                    idx, pd.to_numeric(t["units"]).to_numpy(dtype=float), len(names), horizon)
    return pd.DataFrame({
        "resource": np.repeat(names, horizon),
        "period": np.tile(np.arange(horizon), len(names)),
        "demand": prof.ravel(),
    })


@constrained(deadline=NoneOr(Interval(float, 0)), source=Text(), capacity_source=Text())
def level_resources(
    tasks: pd.DataFrame,
    capacity: Mapping[str, float] | pd.DataFrame,
    *,
    deadline: float | None = None,
    source: str = "tasks",
    capacity_source: str = "capacity",
) -> Levelling:
    """Resource levelling: delay tasks so that no resource is used beyond its capacity.

    A serial schedule-generation scheme with the minimum-slack priority rule (Kelley, "The
    critical-path method: resources planning and scheduling", in Muth and Thompson (eds.),
    *Industrial Scheduling*, 1963; Kolisch, *European Journal of Operational Research* 90,
    1996): tasks are taken, among those whose predecessors are scheduled, in order of least
    total float (then earliest latest-start, then input order) and each is started at the
    first period, no earlier than its predecessors' finish, at which its resource has room
    for it during its whole duration. Non-critical tasks are thereby delayed within their
    float first; when that is not enough the end date moves, and ``deadline_must_move`` says
    so. The result is a good, feasible schedule, not a proven shortest one (that problem is
    NP-hard).

    Parameters
    ----------
    tasks : pandas.DataFrame
        As for :func:`critical_path`, with whole-number durations, plus ``resource`` (the
        resource type; empty for tasks that need none) and ``units`` (units per period).
    capacity : mapping or pandas.DataFrame
        Units of each resource available per period: ``{"developer": 4, ...}`` or a table with
        columns ``resource`` and ``capacity``.
    deadline : float, optional
        The date (in periods) the project must end by; default the critical-path duration.
    source : str
        How to name the task table in messages.
    capacity_source : str
        How to name the capacity table in messages (such as its file name).

    Returns
    -------
    Levelling

    Raises
    ------
    InputError
        As :func:`critical_path`; a fractional duration; units without a resource; a
        resource without capacity; a task needing more units than its resource's capacity.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"task": ["a", "b", "c"], "duration": [2, 2, 4],
    ...                   "predecessors": ["", "", ""], "resource": ["dev"] * 3,
    ...                   "units": [1, 1, 1]})
    >>> lv = level_resources(t, {"dev": 2})
    >>> lv.tasks[["task", "start", "delay"]].values.tolist(), lv.deadline_must_move
    ([['a', 0.0, 0.0], ['b', 2.0, 2.0], ['c', 0.0, 0.0]], False)
    """
    table, net, sched = _resource_tasks(tasks, source)
    names, res_idx = _resource_index(table)
    cap_map = _capacities(capacity, names, capacity_source)
    cap = np.array([cap_map[r] for r in names], dtype=float)
    dur = table["duration"].to_numpy(dtype=float).astype(np.intp)
    units = table["units"].to_numpy(dtype=float)
    cap_of_task = cap[np.maximum(res_idx, 0)] if len(cap) else np.full(len(res_idx), np.inf)
    over = np.flatnonzero((res_idx >= 0) & (units > cap_of_task) & (dur > 0))
    if over.size:
        i = int(over[0])
        raise InputError(
            f"{_task_label(source, i + 1, table['task'].iloc[i])}, column 'units': got "
            f"{units[i]:g} of {names[res_idx[i]]!r}, whose capacity is {cap[res_idx[i]]:g}; "
            "expected at most the capacity (the task could never start)"
        )
    es = sched.tasks["earliest_start"].to_numpy(dtype=float)
    ls = sched.tasks["latest_start"].to_numpy(dtype=float)
    tf = sched.tasks["total_float"].to_numpy(dtype=float)
    n = len(net.ids)
    horizon = int(dur.sum() + math.ceil(sched.duration)) + 1
    usage = np.zeros((len(names), horizon + int(dur.max(initial=0)) + 1))
    index = {t: i for i, t in enumerate(net.ids)}
    preds = [[index[p] for p in net.graph.predecessors(t)] for t in net.ids]
    n_waiting = np.array([len(p) for p in preds])
    succs = [[index[s] for s in net.graph.successors(t)] for t in net.ids]
    start = np.full(n, -1.0)
    finish = np.zeros(n)
    eligible = set(np.flatnonzero(n_waiting == 0).tolist())
    while eligible:
        j = min(eligible, key=lambda i: (tf[i], ls[i], i))
        eligible.remove(j)
        earliest = int(max((finish[p] for p in preds[j]), default=0.0))
        s = earliest
        r = res_idx[j]
        if r >= 0 and dur[j] > 0 and units[j] > 0:
            window = np.lib.stride_tricks.sliding_window_view(usage[r], dur[j]).max(axis=1)
            fits = np.flatnonzero(window[earliest:] + units[j] <= cap[r] + 1e-9)
            s = earliest + int(fits[0])
            usage[r, s:s + dur[j]] += units[j]
        start[j], finish[j] = s, s + dur[j]
        for k in succs[j]:
            n_waiting[k] -= 1
            if n_waiting[k] == 0:
                eligible.add(k)
    duration_after = float(finish.max(initial=0.0))
    limit = sched.duration if deadline is None else float(deadline)
    out = pd.DataFrame({
        "task": net.ids, "resource": table["resource"].to_numpy(), "units": units,
        "duration": dur.astype(float), "earliest_start": es, "total_float": tf,
        "start": start, "finish": finish, "delay": start - es,
    })
    out["beyond_float"] = out["delay"] > out["total_float"] + 1e-9
    length = int(math.ceil(max(duration_after, sched.duration)))
    before = _profile(es, dur, res_idx, units, len(names), length)
    after = _profile(start, dur, res_idx, units, len(names), length)
    profile = pd.DataFrame({
        "resource": np.repeat(names, length),
        "period": np.tile(np.arange(length), len(names)),
        "capacity": np.repeat(cap, length),
        "demand_before": before.ravel(),
        "demand_after": after.ravel(),
    })
    summary = pd.DataFrame({
        "capacity": cap,
        "peak_before": before.max(axis=1, initial=0.0),
        "peak_after": after.max(axis=1, initial=0.0),
        "periods_over_before": (before > cap[:, None] + 1e-9).sum(axis=1),
        "periods_over_after": (after > cap[:, None] + 1e-9).sum(axis=1),
    }, index=pd.Index(names, name="resource"))
    return Levelling(out, profile, summary, sched.duration, duration_after, deadline,
                     bool(duration_after > limit + 1e-9))


@constrained(max_passes=Interval(int, 1, 1000), source=Text())
def smooth_resources(tasks: pd.DataFrame, *, max_passes: int = 20,
                     source: str = "tasks") -> Smoothing:
    """Resource smoothing: flatten each resource's profile without moving the end date.

    The Burgess-Killebrew procedure (Burgess and Killebrew, "Variation in activity level on a
    cyclical arrow diagram", *Journal of Industrial Engineering* 13(2), 1962): tasks are taken
    from the latest-starting to the earliest, and each is moved, within the window its
    predecessors' finishes and its successors' starts leave it, to the start that gives the
    smallest sum over periods of squared demand of its resource (ties: the earliest such
    start, which keeps float for later); passes repeat until nothing moves. The sum of squares
    never increases and precedence and the project end date are kept; capacity is not
    considered (that is :func:`level_resources`).

    Parameters
    ----------
    tasks : pandas.DataFrame
        As for :func:`level_resources`.
    max_passes : int
        At most this many passes over the tasks.
    source : str
        How to name the table in messages.

    Returns
    -------
    Smoothing

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"task": ["long", "x", "y"], "duration": [4, 2, 2],
    ...                   "predecessors": ["", "", ""], "resource": ["dev"] * 3,
    ...                   "units": [1, 1, 1]})
    >>> sm = smooth_resources(t)
    >>> sm.tasks["start"].tolist(), sm.summary[["peak_before", "peak_after"]].iloc[0].tolist()
    ([0.0, 0.0, 2.0], [3.0, 2.0])
    """
    table, net, sched = _resource_tasks(tasks, source)
    names, res_idx = _resource_index(table)
    dur = table["duration"].to_numpy(dtype=float).astype(np.intp)
    units = table["units"].to_numpy(dtype=float)
    es = sched.tasks["earliest_start"].to_numpy(dtype=float)
    ls = sched.tasks["latest_start"].to_numpy(dtype=float)
    total = int(round(sched.duration))
    index = {t: i for i, t in enumerate(net.ids)}
    preds = [[index[p] for p in net.graph.predecessors(t)] for t in net.ids]
    succs = [[index[s] for s in net.graph.successors(t)] for t in net.ids]
    start = es.astype(np.intp).copy()
    usage = _profile(start.astype(float), dur, res_idx, units, len(names), total + 1)
    order = sorted(range(len(net.ids)), key=lambda i: (-ls[i], -es[i], -i))
    for _ in range(max_passes):
        moved = False
        for j in order:
            lo = max((start[p] + dur[p] for p in preds[j]), default=0)
            hi = min((start[s] for s in succs[j]), default=total) - dur[j]
            if hi <= lo:
                continue
            r = res_idx[j]
            if r < 0 or dur[j] == 0 or units[j] == 0:
                best = lo
            else:
                usage[r, start[j]:start[j] + dur[j]] -= units[j]
                # Sum of squares after placing j at s differs by 2 u * sum(usage[s:s+d]) + const.
                c = np.concatenate([[0.0], np.cumsum(usage[r])])
                cand = np.arange(lo, hi + 1)
                load = c[cand + dur[j]] - c[cand]
                # The earliest start among the (near-)smallest loads; the current start is
                # among the candidates, so the sum of squares never increases.
                best = int(cand[np.flatnonzero(load <= load.min() + 1e-9)[0]])
                usage[r, best:best + dur[j]] += units[j]
            if best != start[j]:
                start[j] = best
                moved = True
        if not moved:
            break
    before = _profile(es, dur, res_idx, units, len(names), total)
    after = _profile(start.astype(float), dur, res_idx, units, len(names), total)
    out = pd.DataFrame({
        "task": net.ids, "resource": table["resource"].to_numpy(), "units": units,
        "duration": dur.astype(float), "earliest_start": es, "latest_start": ls,
        "start": start.astype(float), "finish": (start + dur).astype(float),
        "shift": start.astype(float) - es,
    })
    profile = pd.DataFrame({
        "resource": np.repeat(names, total),
        "period": np.tile(np.arange(total), len(names)),
        "demand_before": before.ravel(),
        "demand_after": after.ravel(),
    })
    summary = pd.DataFrame({
        "peak_before": before.max(axis=1, initial=0.0),
        "peak_after": after.max(axis=1, initial=0.0),
        "sum_squares_before": (before**2).sum(axis=1),
        "sum_squares_after": (after**2).sum(axis=1),
    }, index=pd.Index(names, name="resource"))
    return Smoothing(out, profile, summary, sched.duration)


# --------------------------------------------------------------------------- dates

_UNITS = ("day", "business_day", "week")


@constrained(unit=Options(_UNITS))
def to_date(start_date: Any, periods: Any, *, unit: str = "week") -> pd.Timestamp | pd.Series:
    """The calendar date on which work that ends `periods` after `start_date` finishes (for
    key messages such as "P80 is 14 July" or "finishes by 2 February").

    Period 0 starts at the beginning of `start_date`, so the first day of work is
    `start_date` itself and a finish at time ``t`` (in days) falls during day ``ceil(t)``,
    counting `start_date` as day 1. The date returned is that day's date: ``start_date +
    ceil(t) - 1`` days for ``t > 0``, and `start_date` for ``t = 0``. A task of 14 days
    starting Monday 6 January is done by the end of Sunday 19 January (not "on 20 January",
    the day after); a task ending part-way through day 3 (t = 2.5 days) ends on day 3's
    date, `start_date` + 2. "Finishes by DATE" is then true as written: the work is done by
    the end of DATE. For business days the days counted are Monday to Friday, starting on
    `start_date` (or the next business day when it is a Saturday or Sunday): a task of 1
    business day starting on a Friday finishes that Friday.

    Parameters
    ----------
    start_date : str, datetime.date or pandas.Timestamp
        The date period 0 starts (the first day of work).
    periods : float or array of float
        Periods after the start (at least 0).
    unit : {"day", "business_day", "week"}
        Calendar days, business days (Monday to Friday) or weeks of 7 days.

    Returns
    -------
    pandas.Timestamp, or a Series of them for an array

    Examples
    --------
    >>> str(to_date("2025-01-06", 2).date())  # 14 days from Monday 6 January
    '2025-01-19'
    >>> str(to_date("2025-01-06", 2.5).date())  # 17.5 days: midday of the 18th day
    '2025-01-23'
    >>> str(to_date("2025-01-06", 0).date())  # nothing to do: the start date
    '2025-01-06'
    >>> str(to_date("2025-01-03", 1, unit="business_day").date())  # 1 business day from Friday
    '2025-01-03'
    >>> str(to_date("2025-01-03", 2, unit="business_day").date())  # Friday and Monday
    '2025-01-06'
    """
    try:
        start = pd.Timestamp(start_date)
    except (TypeError, ValueError):
        start = pd.NaT
    if pd.isna(start):
        raise InputError(
            f"start_date: got {start_date!r}; expected a date such as 2025-01-31"
        )
    scalar = np.ndim(periods) == 0
    arr = validate.nonempty_sequence(np.atleast_1d(np.asarray(periods, dtype=object)).tolist(),
                                     "periods")
    if (arr < 0).any():
        i = int(np.flatnonzero(arr < 0)[0])
        raise InputError(f"periods: got {arr[i]:g}; expected periods of at least 0")
    per = 7.0 if unit == "week" else 1.0
    # Day of work during which the finish falls (1 = start_date); 0 when there is no work.
    day = np.ceil(arr * per - 1e-9).astype(int).clip(min=0)
    if unit == "business_day":
        first = pd.offsets.BDay().rollforward(start)
        dates = pd.Series([start if d == 0 else first + pd.offsets.BDay(int(d) - 1)
                           for d in day])
    else:
        dates = pd.Series(start + pd.to_timedelta((day - 1).clip(min=0), unit="D"))
    return dates.iloc[0] if scalar else dates
