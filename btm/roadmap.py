"""Technology roadmap under a budget: which initiatives to fund, and in which year, exactly.

Two forms of the same decision, both solved as mixed-integer programmes with
:func:`scipy.optimize.milp` (HiGHS branch-and-cut, relative gap 0: the optimum, not a
heuristic):

* :func:`select` — one budget, one period: the 0-1 knapsack with precedence ("chosen only if
  its prerequisites are chosen too"), mutual exclusions and mandatory items (Martello & Toth
  1990, ch. 2; Weingartner 1963, ch. 3 for the capital-budgeting reading).
* :func:`plan` — the multi-year roadmap: each initiative has a cost profile over its project
  years (and optionally a use of scarce resources such as architects), a value (a score, or the
  NPV of its cash flows computed with :mod:`btm.finance`), an optional earliest and latest
  start; "B depends on A" means B starts no earlier than A finishes; yearly budgets and
  resource capacities are constraints; the solution schedules the start year of every funded
  initiative. This is Weingartner's (1963) multi-period capital-budgeting programme with the
  time-indexed start variables of Pritsker, Watters & Wolfe (1969).

Around them: :func:`frontier` (the optimum at each of a range of budgets), :func:`shadow_prices`
(what one more unit of each year's budget would buy), and the spreadsheet method —
:func:`rank_and_fund` / :func:`plan_by_ranking` (rank by value per unit of cost, fund down the
list until the money runs out) — with :func:`compare_with_ranking` showing side by side what the
exact method gains.

The multi-year model
--------------------
Years ``y_0 .. y_{T-1}`` are the rows of the ``years`` table. Variable ``x[j, s] = 1`` when
initiative j starts in year s (one variable per admissible start: within its earliest and
latest start, late enough for its prerequisites to have finished, early enough to finish by the
last year). With ``c[j, k]`` its cost in project year k, ``u[j, k, r]`` its use of resource r::

    maximise   sum_{j,s} value[j] * (1 + discount_rate) ** -(s - y_0) * x[j, s]
    subject to sum_{j,s} c[j, t - s] x[j, s] <= budget[t]            each year t
               sum_{j,s} u[j, t - s, r] x[j, s] <= capacity[t, r]     each year t, resource r
               sum_s x[j, s] <= 1        (= 1 when j is mandatory)
               sum_{s <= t} x[B, s] <= sum_{s <= t - d_A} x[A, s]     B depends on A, each t
               sum_s x[a, s] + sum_s x[b, s] <= 1                     a excludes b
               x binary

The precedence rows are the disaggregated ("strong") form: whenever B has started by year t,
A must have started by ``t - d_A`` (so finished before B's start), and B is funded only if A is.
Ties in value are broken by a second solve that keeps the optimal value and starts every
initiative as early as possible (in :func:`select`: spends as little as possible).

Examples
--------
>>> import pandas as pd
>>> items = pd.DataFrame({"initiative": ["A", "B", "C"],
...                       "value": [9.0, 7.0, 7.0], "cost": [6.0, 5.0, 5.0]})
>>> best = select(items, budget=10)
>>> best.chosen, best.value, best.cost
(['B', 'C'], 14.0, 10.0)
>>> rank_and_fund(items, budget=10).chosen   # A has the best value per euro, then nothing fits
['A']

References
----------
Weingartner, H. M. (1963). *Mathematical Programming and the Analysis of Capital Budgeting
Problems*. Prentice-Hall. Lorie, J. H. & Savage, L. J. (1955). Three problems in rationing
capital. *Journal of Business* 28(4), 229-239. Martello, S. & Toth, P. (1990). *Knapsack
Problems: Algorithms and Computer Implementations*. Wiley. Dantzig, G. B. (1957). Discrete-
variable extremum problems. *Operations Research* 5(2), 266-288. Pritsker, A. A. B., Watters,
L. J. & Wolfe, P. M. (1969). Multiproject scheduling with limited resources: a zero-one
programming approach. *Management Science* 16(1), 93-108.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy import optimize, sparse

from btm import finance, validate
from btm.constraints import (
    Boolean,
    Interval,
    ListOf,
    NoneOr,
    Options,
    Rate,
    Text,
    ZeroBasedYear,
    constrained,
)
from btm.errors import InputError

__all__ = [
    "Selection",
    "Roadmap",
    "RankingComparison",
    "select",
    "rank_and_fund",
    "select_frontier",
    "plan",
    "plan_by_ranking",
    "frontier",
    "shadow_prices",
    "compare_with_ranking",
]

_RESERVED_PROFILE = ("initiative", "project_year", "cost", "benefit")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Selection:
    """The initiatives chosen under one budget (:func:`select`, :func:`rank_and_fund`).

    Attributes
    ----------
    chosen : list of str
        Chosen ids, in the order of the input table.
    value, cost : float
        Totals of the chosen initiatives.
    budget : float
        The budget the selection had to fit.
    method : str
        ``"exact"`` (the MILP optimum) or ``"ranking"`` (the spreadsheet method).
    initiatives : pandas.DataFrame
        One row per input initiative: ``initiative``, ``value``, ``cost``, ``mandatory``,
        ``value_per_cost``, ``chosen`` (bool), ``reason`` (why it is not chosen, empty when it is).
    summary : pandas.DataFrame
        One row: ``method``, ``value``, ``cost``, ``budget``, ``unused_budget``, ``n_chosen``.
    """

    chosen: list[str]
    value: float
    cost: float
    budget: float
    method: str
    initiatives: pd.DataFrame = field(repr=False)
    summary: pd.DataFrame = field(repr=False)


@dataclass(frozen=True)
class Roadmap:
    """A multi-year roadmap (:func:`plan`, :func:`plan_by_ranking`).

    Attributes
    ----------
    chosen : list of str
        Funded ids, in the order of the input table.
    value : float
        Total value of the funded initiatives, each discounted from its start year to year 0.
    cost : float
        Total (undiscounted) cost of the funded initiatives.
    method : str
        ``"exact"`` or ``"ranking"``.
    schedule : pandas.DataFrame
        One row per initiative: ``initiative``, ``chosen``, ``start_year``, ``finish_year``
        (last year of work), ``duration`` (years), ``cost``, ``value`` (discounted to year 0 at
        the scheduled start; at the earliest possible start when not chosen), ``mandatory``,
        ``reason`` (why not funded; empty when funded).
    spend : pandas.DataFrame
        One row per funded initiative and year of work: ``initiative``, ``year``, ``cost`` and
        one column per resource (for a Gantt chart and for the IT budget).
    yearly : pandas.DataFrame
        One row per year and constraint: ``year``, ``constraint`` (``"budget"`` or a resource
        name), ``capacity`` (NaN = unlimited), ``used``, ``unused``.
    summary : pandas.DataFrame
        One row: ``method``, ``value``, ``cost``, ``budget``, ``unused_budget``, ``n_chosen``,
        ``optimal`` (True when proved optimal within the requested ``mip_gap``; always False
        for the ranking method), ``mip_gap`` (relative gap between the roadmap's value and the
        solver's proved upper bound; 0 = proved optimal; NaN for the ranking method),
        ``solve_seconds``.
    """

    chosen: list[str]
    value: float
    cost: float
    method: str
    schedule: pd.DataFrame = field(repr=False)
    spend: pd.DataFrame = field(repr=False)
    yearly: pd.DataFrame = field(repr=False)
    summary: pd.DataFrame = field(repr=False)


@dataclass(frozen=True)
class RankingComparison:
    """The exact roadmap beside the spreadsheet method (:func:`compare_with_ranking`).

    Attributes
    ----------
    exact, ranking : Roadmap
        The two roadmaps.
    initiatives : pandas.DataFrame
        One row per initiative: ``initiative``, ``exact_start``, ``ranking_start`` (NaN when not
        funded), ``value``, ``cost``, ``differs`` (funded by one method only, or in another year).
    summary : pandas.DataFrame
        Indexed by ``method`` (``exact``, ``ranking``): ``value``, ``cost``, ``unused_budget``,
        ``n_chosen``.
    value_gain : float
        Exact value minus ranking value (never negative).
    value_gain_share : float
        ``value_gain`` as a fraction of the ranking value (NaN when that is 0): how much more
        the exact roadmap is worth than the ranking's (0.5 = half as much again).
    """

    exact: Roadmap
    ranking: Roadmap
    initiatives: pd.DataFrame = field(repr=False)
    summary: pd.DataFrame = field(repr=False)
    value_gain: float = 0.0
    value_gain_share: float = math.nan


# --------------------------------------------------------------------------- validation


def _id_list(cell: Any, where: str) -> list[str]:
    """A cell of ``depends_on`` / ``excludes``: a list, or comma-separated ids, or empty."""
    if cell is None:
        return []
    if isinstance(cell, list | tuple | set | frozenset | np.ndarray | pd.Series):
        items = list(cell)
    elif isinstance(cell, str):
        items = cell.split(",")
    elif isinstance(cell, float) and math.isnan(cell):
        return []
    elif cell is pd.NA or cell is pd.NaT:
        return []
    elif isinstance(cell, int | float | np.integer | np.floating) and not isinstance(cell, bool) \
            and float(cell).is_integer():
        items = [validate.id_text(cell)]  # initiative 1 read as 1.0 is initiative '1'
    else:
        raise InputError(f"{where}: got {cell!r}; expected initiative ids separated by commas")
    out = []
    for item in items:
        if not isinstance(item, str):
            raise InputError(f"{where}: got {item!r}; expected initiative ids (text)")
        item = item.strip()
        if item:
            out.append(item)
    return out


@dataclass(frozen=True)
class _Items:
    table: pd.DataFrame  # cleaned initiatives
    ids: list[str]
    index: dict[str, int]
    deps: list[tuple[int, int]]  # (prerequisite, dependent)
    excl: list[tuple[int, int]]  # (a, b) with a < b
    mandatory: np.ndarray
    graph: nx.DiGraph


def _initiatives(data: Any, *, need_cost: bool, need_value: bool, source: str) -> _Items:
    columns = [
        validate.Column("initiative", "text", description="unique id"),
        validate.Column("value", "number", required=need_value,
                        allow_missing=not need_value),
        validate.Column("depends_on", "any", required=False, allow_missing=True),
        validate.Column("excludes", "any", required=False, allow_missing=True),
        validate.Column("mandatory", "bool", required=False, default=False),
    ]
    if need_cost:
        columns.insert(2, validate.Column("cost", "number", min=0))
    else:
        columns += [
            validate.Column("earliest_start", "integer", required=False, allow_missing=True),
            validate.Column("latest_start", "integer", required=False, allow_missing=True),
        ]
    if isinstance(data, pd.DataFrame) and "value" not in data.columns and need_value:
        raise InputError(f"{source}: missing column(s) 'value'; expected columns 'initiative', "
                         "'value'" + (", 'cost'" if need_cost else ""))
    table = validate.frame(data, columns, source=source)
    ids = [str(v) for v in table["initiative"]]
    index: dict[str, int] = {}
    for row, name in enumerate(ids, start=1):
        if name in index:
            raise InputError(
                f"{validate.where(source, row, 'initiative')}: {name!r} appears again (first in row "
                f"{index[name] + 1}); expected unique initiative ids"
            )
        index[name] = row - 1
    graph = nx.DiGraph()
    graph.add_nodes_from(range(len(ids)))
    deps: list[tuple[int, int]] = []
    excl: set[tuple[int, int]] = set()
    for col in ("depends_on", "excludes"):
        for row, cell in enumerate(table[col].tolist(), start=1):
            where = validate.where(source, row, col)
            for other in _id_list(cell, where):
                if other not in index:
                    raise InputError(f"{where}: unknown initiative {other!r}; expected one of the "
                                     "ids in column 'initiative'")
                j = index[other]
                if j == row - 1:
                    raise InputError(f"{where}: {other!r} names the initiative itself; expected "
                                     "other initiatives")
                if col == "depends_on":
                    deps.append((j, row - 1))
                    graph.add_edge(j, row - 1)
                else:
                    excl.add((min(j, row - 1), max(j, row - 1)))
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        cycle = []
    if cycle:
        path = " -> ".join([ids[cycle[0][0]]] + [ids[b] for _, b in cycle])
        raise InputError(f"{validate.where(source, None, 'depends_on')}: the dependencies form a cycle "
                         f"({path}, each depending on the one before); expected no cycles")
    deps = sorted(set(deps))
    for a, b in excl:
        if graph.has_edge(a, b) or graph.has_edge(b, a):
            dep, pre = (b, a) if graph.has_edge(a, b) else (a, b)
            raise InputError(f"{validate.where(source, dep + 1, 'excludes')}: {ids[dep]!r} excludes "
                             f"{ids[pre]!r}, which it depends on; expected an initiative not to "
                             "exclude its own prerequisite")
    mandatory = table["mandatory"].to_numpy(dtype=bool)
    items = _Items(table, ids, index, deps, sorted(excl), mandatory, graph)
    _check_mandatory_exclusions(items, source)
    return items


def _forced(items: _Items) -> dict[int, int | None]:
    """Initiatives that must be funded: mandatory ones and their prerequisites (-> why)."""
    forced: dict[int, int | None] = {}
    for m in np.flatnonzero(items.mandatory):
        forced.setdefault(int(m), None)
        for a in nx.ancestors(items.graph, int(m)):
            forced.setdefault(a, int(m))
    return forced


def _describe_forced(items: _Items, j: int, why: int | None) -> str:
    if why is None:
        return f"mandatory {items.ids[j]!r}"
    return f"{items.ids[j]!r} (required by mandatory {items.ids[why]!r})"


def _check_mandatory_exclusions(items: _Items, source: str) -> None:
    forced = _forced(items)
    for a, b in items.excl:
        if a in forced and b in forced:
            raise InputError(
                f"{validate.where(source, b + 1, 'excludes')}: {_describe_forced(items, a, forced[a])} "
                f"and {_describe_forced(items, b, forced[b])} exclude each other; expected "
                "mandatory initiatives and their prerequisites not to exclude each other"
            )


# --------------------------------------------------------------------------- MILP core


@dataclass
class _Model:
    """A 0-1 programme: maximise c @ x subject to lo <= A x <= hi, x binary."""

    c: np.ndarray
    A: sparse.csr_matrix
    lo: np.ndarray
    hi: np.ndarray
    fixed_one: np.ndarray  # rows that are "= 1" (mandatory)
    budget_rows: np.ndarray  # row index of each year's budget (or -1)
    row_scale: np.ndarray  # each row was divided by this
    tie: np.ndarray  # secondary objective to minimise among optima


@contextlib.contextmanager
def _native_stdout_silenced() -> Iterator[None]:
    """Silence file descriptor 1 during a solve.

    HiGHS (as bundled with SciPy) prints some debugging lines from C++ straight to the process's
    standard output even with ``disp=False`` (for example
    ``HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();``); in a notebook
    they land in the cell's output. Python's own ``sys.stdout`` is not touched.
    """
    try:
        libc: Any = ctypes.CDLL(None)
        fd = 1
        sys.stdout.flush()
        saved = os.dup(fd)
    except (OSError, AttributeError, ValueError):  # pragma: no cover - no C library / no fd 1
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
        yield
    finally:
        with contextlib.suppress(Exception):
            libc.fflush(None)
        os.dup2(saved, fd)
        os.close(saved)
        os.close(devnull)


def _solve(model: _Model, hi: np.ndarray | None = None, *, tie_break: bool = True,
           time_limit: float | None = None, mip_gap: float = 0.0,
           ) -> tuple[np.ndarray | None, bool, float]:
    """Solve; return (x as bool array, proved optimal within `mip_gap`, achieved relative gap),
    or (None, proved infeasible, nan)."""
    hi = model.hi if hi is None else hi
    n = model.c.size
    if n == 0:
        ok = bool(np.all(model.lo <= 0) and np.all(hi >= 0)) if model.lo.size else True
        return (np.zeros(0, dtype=bool) if ok else None), True, 0.0
    scale = max(float(np.abs(model.c).max()), 1e-12)
    options: dict[str, Any] = {"disp": False, "mip_rel_gap": float(mip_gap), "presolve": True}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    cons = [optimize.LinearConstraint(model.A, model.lo, hi)] if model.A.shape[0] else []
    t_start = time.perf_counter()
    with _native_stdout_silenced():
        res = optimize.milp(-model.c / scale, integrality=np.ones(n),
                            bounds=optimize.Bounds(0, 1), constraints=cons, options=options)
    if res.x is None:
        return None, res.status == 2, math.nan  # True: proved infeasible; False: a limit
    x = res.x > 0.5
    optimal = res.status == 0
    gap = float(getattr(res, "mip_gap", 0.0) or 0.0)
    # The tie-break solve keeps the optimal value and minimises the secondary objective; it is
    # only meaningful when the optimum is proved (gap 0), and it gets a bounded time: when it
    # does not finish, the first optimal solution stands.
    if tie_break and np.any(model.tie != 0) and optimal and gap <= 1e-12 and mip_gap == 0:
        spent = time.perf_counter() - t_start
        options["time_limit"] = max(2.0, 2.0 * spent) if time_limit is None else max(
            0.5, float(time_limit) - spent)
        best = float(model.c @ x)
        tol = 1e-9 * max(1.0, float(np.abs(model.c).sum()))
        keep = optimize.LinearConstraint(sparse.csr_matrix(model.c[None, :] / scale),
                                         (best - tol) / scale, np.inf)
        tscale = max(float(np.abs(model.tie).max()), 1e-12)
        with _native_stdout_silenced():
            res2 = optimize.milp(model.tie / tscale, integrality=np.ones(n),
                                 bounds=optimize.Bounds(0, 1), constraints=[*cons, keep],
                                 options=options)
        if res2.x is not None:  # optimal, or the best found in the bounded time
            x2 = res2.x > 0.5
            if float(model.c @ x2) >= best - tol:
                x = x2
    return x, optimal, gap


def _lp_duals(model: _Model, hi: np.ndarray | None = None) -> np.ndarray | None:
    """Row duals (value per unit of each row's right-hand side) of the LP relaxation."""
    hi = model.hi if hi is None else hi
    if model.c.size == 0:
        return np.zeros(model.A.shape[0])
    eq = model.fixed_one
    ub = ~eq & np.isfinite(hi)
    A = model.A.tocsr()
    res = optimize.linprog(
        -model.c, A_ub=A[ub] if ub.any() else None, b_ub=hi[ub] if ub.any() else None,
        A_eq=A[eq] if eq.any() else None, b_eq=hi[eq] if eq.any() else None,
        bounds=(0, 1), method="highs",
    )
    if res.status != 0:
        return None
    duals = np.zeros(A.shape[0])
    duals[ub] = -res.ineqlin.marginals
    if eq.any():
        duals[eq] = -res.eqlin.marginals
    return duals / model.row_scale


# --------------------------------------------------------------------------- select


def _select_model(items: _Items, costs: np.ndarray, values: np.ndarray, budget: float) -> _Model:
    n = len(items.ids)
    rows, cols, data, lo, hi = [], [], [], [], []
    r = 0
    # budget row, scaled so coefficients are fractions of the budget
    bscale = budget if budget > 0 else max(float(costs.max(initial=0.0)), 1.0)
    rows += [r] * n
    cols += list(range(n))
    data += list(costs / bscale)
    lo.append(-np.inf)
    hi.append(budget / bscale)
    r += 1
    for a, b in items.deps:  # x_b <= x_a
        rows += [r, r]
        cols += [b, a]
        data += [1.0, -1.0]
        lo.append(-np.inf)
        hi.append(0.0)
        r += 1
    for a, b in items.excl:
        rows += [r, r]
        cols += [a, b]
        data += [1.0, 1.0]
        lo.append(-np.inf)
        hi.append(1.0)
        r += 1
    fixed = np.zeros(r + int(items.mandatory.sum()), dtype=bool)
    for m in np.flatnonzero(items.mandatory):
        rows.append(r)
        cols.append(int(m))
        data.append(1.0)
        lo.append(1.0)
        hi.append(1.0)
        fixed[r] = True
        r += 1
    A = sparse.csr_matrix((data, (rows, cols)), shape=(r, n))
    scale = np.ones(r)
    scale[0] = bscale
    return _Model(values.astype(float), A, np.array(lo), np.array(hi), fixed,
                  np.array([0]), scale, costs.astype(float))


def _selection(items: _Items, chosen: np.ndarray, costs: np.ndarray, values: np.ndarray,
               budget: float, method: str, reasons: list[str]) -> Selection:
    table = pd.DataFrame({
        "initiative": items.ids,
        "value": values,
        "cost": costs,
        "mandatory": items.mandatory,
        "value_per_cost": _ratio(values, costs),
        "chosen": chosen,
        "reason": reasons,
    })
    value = float(values[chosen].sum())
    cost = float(costs[chosen].sum())
    summary = pd.DataFrame({"method": [method], "value": [value], "cost": [cost],
                            "budget": [budget], "unused_budget": [budget - cost],
                            "n_chosen": [int(chosen.sum())]})
    return Selection([items.ids[i] for i in np.flatnonzero(chosen)], value, cost, budget,
                     method, table, summary)


def _ratio(values: np.ndarray, costs: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(costs > 0, values / np.where(costs > 0, costs, 1.0),
                         np.where(values >= 0, np.inf, -np.inf))
    return ratio


def _check_select_budget(items: _Items, costs: np.ndarray, budget: float) -> None:
    forced = _forced(items)
    need = float(costs[list(forced)].sum()) if forced else 0.0
    if need > budget * (1 + 1e-12) + 1e-9:
        names = ", ".join(repr(items.ids[j]) for j in sorted(forced) if forced[j] is None)
        extra = [items.ids[j] for j in sorted(forced) if forced[j] is not None]
        more = f" with their prerequisites {', '.join(map(repr, extra))}" if extra else ""
        raise InputError(
            f"budget: got {budget:g}, but the mandatory initiatives {names}{more} cost "
            f"{need:g}; expected a budget of at least {need:g} (or fewer mandatory initiatives)"
        )


@constrained(budget=Interval(float, 0), source=Text())
def select(initiatives: pd.DataFrame, *, budget: float, source: str = "initiatives") -> Selection:
    """The most valuable set of initiatives that fits a budget, solved exactly.

    Maximises ``sum(value[j] * x[j])`` subject to ``sum(cost[j] * x[j]) <= budget``,
    ``x[dependent] <= x[prerequisite]``, ``x[a] + x[b] <= 1`` for exclusions and
    ``x[j] = 1`` for mandatory items, x binary: the 0-1 knapsack problem with precedence
    constraints (Martello & Toth 1990, ch. 2), i.e. single-period capital rationing
    (Lorie & Savage 1955; Weingartner 1963), solved by :func:`scipy.optimize.milp` (HiGHS)
    with a relative gap of 0. Among equally valuable sets the cheapest is returned.

    Parameters
    ----------
    initiatives : pandas.DataFrame
        ``initiative`` (unique id), ``value`` (a score or NPV; may be negative, e.g. an enabling
        platform), ``cost`` (at least 0); optional ``depends_on`` (a list, or comma-separated
        ids: chosen only if those are chosen too), ``mandatory`` (bool, default False) and
        ``excludes`` (ids that cannot be chosen together with this one). Not modified.
    budget : float
        At least 0, in the currency of ``cost``.
    source : str
        Name of the table in error messages.

    Returns
    -------
    Selection
        ``chosen`` ids (in input order), ``value``, ``cost``, a per-initiative table and a summary.

    Raises
    ------
    InputError
        Duplicate or unknown ids, a dependency cycle, a negative cost, mandatory initiatives
        (with their prerequisites) that exclude each other or cost more than the budget.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"initiative": ["platform", "app", "report"],
    ...                       "value": [-1.0, 9.0, 3.0], "cost": [3.0, 3.0, 2.0],
    ...                       "depends_on": ["", "platform", ""]})
    >>> select(items, budget=6).chosen   # the app needs the platform: 8 beats 3
    ['platform', 'app']
    """
    items = _initiatives(initiatives, need_cost=True, need_value=True, source=source)
    costs = items.table["cost"].to_numpy(dtype=float)
    values = items.table["value"].to_numpy(dtype=float)
    _check_select_budget(items, costs, budget)
    model = _select_model(items, costs, values, budget)
    x, _, _ = _solve(model)
    if x is None:  # pragma: no cover - feasibility is fully checked above
        raise InputError("budget: no selection satisfies the constraints; expected a feasible "
                         "combination of budget, mandatory items, dependencies and exclusions")
    reasons = ["" if c else "not in the best selection" for c in x]
    return _selection(items, x, costs, values, budget, "exact", reasons)


@constrained(budget=Interval(float, 0), rule=Options(("skip", "stop")), source=Text())
def rank_and_fund(initiatives: pd.DataFrame, *, budget: float, rule: str = "skip",
                  source: str = "initiatives") -> Selection:
    """The spreadsheet method: rank by value per unit of cost, fund down the list.

    Mandatory initiatives (and their prerequisites) are funded first; then the others in
    decreasing ``value / cost`` (Dantzig's 1957 greedy order; zero-cost items with value >= 0
    first). An initiative is skipped when a prerequisite is not funded yet or it excludes a
    funded one. With ``rule="skip"`` the list is followed to the end, funding whatever still
    fits (the stronger, fairer baseline); with ``rule="stop"`` funding stops at the first
    initiative that does not fit (the cut line of a ranked spreadsheet).

    Parameters
    ----------
    initiatives : pandas.DataFrame
        As for :func:`select`.
    budget : float
        At least 0.
    rule : {"skip", "stop"}
        What to do with an initiative that no longer fits.
    source : str
        Name of the table in error messages.

    Returns
    -------
    Selection
        With ``method="ranking"`` and a ``reason`` for each initiative not funded.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"initiative": ["A", "B", "C"],
    ...                       "value": [9.0, 7.0, 7.0], "cost": [6.0, 5.0, 5.0]})
    >>> rank_and_fund(items, budget=10).value   # A first (1.5 per unit); B, C no longer fit
    9.0
    >>> select(items, budget=10).value
    14.0
    """
    items = _initiatives(initiatives, need_cost=True, need_value=True, source=source)
    costs = items.table["cost"].to_numpy(dtype=float)
    values = items.table["value"].to_numpy(dtype=float)
    _check_select_budget(items, costs, budget)
    order = _ranking_order(items, values, costs)
    funded = np.zeros(len(items.ids), dtype=bool)
    reasons = [""] * len(items.ids)
    left = budget
    stopped = False
    for j in order:
        if stopped:
            reasons[j] = "below the cut line"
            continue
        prereqs = [a for a, b in items.deps if b == j]
        if any(not funded[a] for a in prereqs):
            reasons[j] = "a prerequisite is not funded"
            continue
        if any(funded[b if a == j else a] for a, b in items.excl if j in (a, b)):
            reasons[j] = "excluded by a funded initiative"
            continue
        if costs[j] <= left + 1e-9 * max(1.0, budget):
            funded[j] = True
            left -= costs[j]
        else:
            reasons[j] = "no budget left"
            if rule == "stop" and not items.mandatory[j]:
                stopped = True
    return _selection(items, funded, costs, values, budget, "ranking", reasons)


def _ranking_order(items: _Items, values: np.ndarray, costs: np.ndarray) -> list[int]:
    ratio = _ratio(values, costs)
    forced = _forced(items)
    topo = {j: k for k, j in enumerate(nx.topological_sort(items.graph))}
    first = sorted(forced, key=lambda j: topo[j])  # mandatory and prerequisites, in dep order
    rest = [int(j) for j in np.argsort(-ratio, kind="stable") if int(j) not in forced]
    return first + rest


@constrained(budgets=ListOf(Interval(float, 0)), source=Text())
def select_frontier(initiatives: pd.DataFrame, *, budgets: Sequence[float],
                    source: str = "initiatives") -> pd.DataFrame:
    """The value-budget efficient frontier of :func:`select`: the optimum at each budget.

    Parameters
    ----------
    initiatives : pandas.DataFrame
        As for :func:`select`.
    budgets : sequence of float
        Budgets to solve at (each at least 0).
    source : str
        Name of the table in error messages.

    Returns
    -------
    pandas.DataFrame
        One row per budget, sorted: ``budget``, ``feasible`` (False where the mandatory items
        do not fit), ``value``, ``cost``, ``n_chosen``, ``chosen`` (ids joined by ", ").

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"initiative": ["A", "B"], "value": [5.0, 3.0],
    ...                       "cost": [4.0, 2.0]})
    >>> select_frontier(items, budgets=[2, 4, 6])["value"].tolist()
    [3.0, 5.0, 8.0]
    """
    items = _initiatives(initiatives, need_cost=True, need_value=True, source=source)
    costs = items.table["cost"].to_numpy(dtype=float)
    values = items.table["value"].to_numpy(dtype=float)
    forced = _forced(items)
    need = float(costs[list(forced)].sum()) if forced else 0.0
    rows = []
    for b in sorted(budgets):
        if need > b * (1 + 1e-12) + 1e-9:
            rows.append((b, False, math.nan, math.nan, 0, ""))
            continue
        x, _, _ = _solve(_select_model(items, costs, values, b))
        assert x is not None
        rows.append((b, True, float(values[x].sum()), float(costs[x].sum()), int(x.sum()),
                     ", ".join(items.ids[i] for i in np.flatnonzero(x))))
    return pd.DataFrame(rows, columns=["budget", "feasible", "value", "cost", "n_chosen",
                                       "chosen"])


# --------------------------------------------------------------------------- multi-year


@dataclass
class _Plan:
    items: _Items
    years: np.ndarray  # labels
    budget: np.ndarray  # (T,)
    resources: list[str]
    capacity: np.ndarray  # (T, R), inf = unlimited
    duration: np.ndarray  # (n,)
    cost: np.ndarray  # (n, D) cost by project year (work years only)
    use: np.ndarray  # (n, D, R)
    value_at_start: np.ndarray  # (n,)
    discount_rate: float
    first: np.ndarray  # earliest admissible start index (may be > last => unschedulable)
    last: np.ndarray  # latest admissible start index
    var_j: np.ndarray  # variable -> initiative
    var_s: np.ndarray  # variable -> start index
    model: _Model
    n_budget_rows: int


def _years_table(data: Any, source: str) -> tuple[pd.DataFrame, list[str]]:
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"{source}: got {type(data).__name__}; expected a pandas DataFrame with "
                         "columns 'year', 'budget' and one column per resource")
    resources = [str(c) for c in data.columns if c not in ("year", "budget")]
    cols = [validate.Column("year", "integer"), validate.Column("budget", "number", min=0)]
    cols += [validate.Column(r, "number", min=0, allow_missing=True) for r in resources]
    table = validate.frame(data, cols, source=source)
    years = table["year"].to_numpy()
    steps = np.diff(years)
    if np.any(steps != 1):
        i = int(np.flatnonzero(steps != 1)[0]) + 1
        raise InputError(f"{validate.where(source, i + 1, 'year')}: got {years[i]} after {years[i - 1]}; "
                         "expected consecutive years in increasing order")
    return table, resources


def _profiles_table(data: Any, items: _Items, resources: list[str], source: str,
                    need_benefit: bool) -> pd.DataFrame:
    cols = [
        validate.Column("initiative", "text"),
        validate.Column("project_year", "integer", min=0, constraint=ZeroBasedYear()),
        validate.Column("cost", "number", min=0, required=False, default=0.0),
        validate.Column("benefit", "number", required=need_benefit, default=0.0),
    ]
    if isinstance(data, pd.DataFrame):
        missing = [r for r in resources if r not in data.columns]
        if missing:
            raise InputError(f"{source}: missing column(s) {', '.join(map(repr, missing))}; "
                             "expected one column per resource named in the years table (the "
                             "use of that resource in each project year)")
    cols += [validate.Column(r, "number", min=0, default=0.0) for r in resources]
    table = validate.frame(data, cols, source=source)
    known = table["initiative"].map(items.index)
    if known.isna().any():
        row = int(np.flatnonzero(known.isna().to_numpy())[0]) + 1
        raise InputError(f"{validate.where(source, row, 'initiative')}: unknown initiative "
                         f"{table['initiative'].iloc[row - 1]!r}; expected an id from the "
                         "initiatives table")
    dup = table.duplicated(["initiative", "project_year"]).to_numpy()
    if dup.any():
        row = int(np.flatnonzero(dup)[0]) + 1
        raise InputError(f"{validate.where(source, row, 'project_year')}: initiative "
                         f"{table['initiative'].iloc[row - 1]!r} has project year "
                         f"{table['project_year'].iloc[row - 1]} twice; expected one row per "
                         "initiative and project year")
    present = np.zeros(len(items.ids), dtype=bool)
    present[known.to_numpy(dtype=int)] = True
    if not present.all():
        j = int(np.flatnonzero(~present)[0])
        raise InputError(f"{source}: initiative {items.ids[j]!r} has no rows; expected at least "
                         "one row (project year 0) with its cost")
    return table.assign(j=known.to_numpy(dtype=int))


def _build_plan(initiatives: Any, profiles: Any, years: Any, discount_rate: float,
                source: str, profiles_source: str, years_source: str) -> _Plan:
    has_value = isinstance(initiatives, pd.DataFrame) and "value" in initiatives.columns
    items = _initiatives(initiatives, need_cost=False, need_value=has_value, source=source)
    ytab, resources = _years_table(years, years_source)
    prof = _profiles_table(profiles, items, resources, profiles_source, need_benefit=not has_value)
    n, T, R = len(items.ids), len(ytab), len(resources)
    labels = ytab["year"].to_numpy()
    budget = ytab["budget"].to_numpy(dtype=float)
    capacity = (ytab[resources].to_numpy(dtype=float) if R else np.zeros((T, 0)))
    capacity = np.where(np.isnan(capacity), np.inf, capacity)

    # cost / use / benefit arrays by project year
    K = int(prof["project_year"].max()) + 1
    jj = prof["j"].to_numpy()
    kk = prof["project_year"].to_numpy()
    cost_all = np.zeros((n, K))
    cost_all[jj, kk] = prof["cost"].to_numpy(dtype=float)
    use_all = np.zeros((n, K, R))
    if R:
        use_all[jj, kk, :] = prof[resources].to_numpy(dtype=float)
    work = (cost_all > 0) | (use_all > 0).any(axis=2)
    duration = np.where(work.any(axis=1), K - np.argmax(work[:, ::-1], axis=1), 1)
    D = int(duration.max())
    cost = cost_all[:, :D]
    use = use_all[:, :D, :]
    if has_value:
        value_at_start = items.table["value"].to_numpy(dtype=float)
    else:
        benefit = np.zeros((n, K))
        benefit[jj, kk] = prof["benefit"].to_numpy(dtype=float)
        value_at_start = np.asarray(finance.present_value(benefit - cost_all,
                                                          discount_rate=discount_rate))

    # admissible start windows (indices into years)
    def year_index(col: str, default: int) -> np.ndarray:
        if col not in items.table.columns:
            return np.full(n, default)
        vals = items.table[col].to_numpy(dtype=float)
        out = np.full(n, default)
        given = ~np.isnan(vals)
        bad = given & ((vals < labels[0]) | (vals > labels[-1]))
        if bad.any():
            row = int(np.flatnonzero(bad)[0]) + 1
            raise InputError(f"{validate.where(source, row, col)}: got {int(vals[row - 1])}; expected a "
                             f"year from {labels[0]} to {labels[-1]} (the years table)")
        out[given] = (vals[given] - labels[0]).astype(int)
        return out

    first = year_index("earliest_start", 0)
    last_given = year_index("latest_start", T - 1)
    bad = last_given < first
    if bad.any():
        row = int(np.flatnonzero(bad)[0]) + 1
        raise InputError(f"{validate.where(source, row, 'latest_start')}: got {labels[last_given[row - 1]]}"
                         f", before the earliest start {labels[first[row - 1]]}; expected a "
                         "latest start no earlier than the earliest start")
    last = np.minimum(last_given, T - duration)
    # forward pass: a dependent cannot start before its prerequisites can have finished
    for j in nx.topological_sort(items.graph):
        for a in items.graph.predecessors(j):
            first[j] = max(first[j], first[a] + duration[a])
    forced = _forced(items)
    for j in sorted(forced, key=lambda j: first[j] - last[j], reverse=True):
        if first[j] > last[j]:
            chain = [items.ids[a] for a in nx.ancestors(items.graph, j)]
            via = f" after its prerequisites ({', '.join(chain)})" if chain else ""
            start = labels[0] + first[j]
            raise InputError(
                f"{validate.where(source, j + 1, 'initiative')}: {_describe_forced(items, j, forced[j])} "
                f"takes {duration[j]} year(s) and cannot start before {start}{via}; expected it "
                f"to finish by {labels[-1]} (within its latest start, if given)"
            )

    # variables
    counts = np.maximum(last - first + 1, 0)
    var_j = np.repeat(np.arange(n), counts)
    offs = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    var_s = np.repeat(first, counts) + offs
    nv = var_j.size
    var_start = np.cumsum(counts) - counts  # index of each initiative's first variable
    disc = (1.0 + discount_rate) ** -var_s.astype(float)
    c = value_at_start[var_j] * disc

    rows_l, cols_l, data_l, lo_l, hi_l, scale_l, fixed_l = [], [], [], [], [], [], []
    r0 = 0
    # budget and resource rows: entry for (var, k) lands in year s + k
    vk_var = np.repeat(np.arange(nv), D)
    vk_k = np.tile(np.arange(D), nv)
    vk_t = var_s[vk_var] + vk_k
    inside = vk_k < duration[var_j[vk_var]]
    vk_var, vk_k, vk_t = vk_var[inside], vk_k[inside], vk_t[inside]
    cap_rows = [(budget, cost[var_j[vk_var], vk_k])]
    cap_rows += [(capacity[:, r], use[var_j[vk_var], vk_k, r]) for r in range(R)]
    budget_rows = np.arange(T)
    for cap, coef in cap_rows:
        col_max = np.zeros(T)
        np.maximum.at(col_max, vk_t, coef)
        sc = np.where(np.isfinite(cap) & (cap > 0), cap, np.maximum(col_max, 1.0))
        nz = coef != 0
        rows_l.append(r0 + vk_t[nz])
        cols_l.append(vk_var[nz])
        data_l.append(coef[nz] / sc[vk_t[nz]])
        lo_l.append(np.full(T, -np.inf))
        hi_l.append(cap / sc)
        scale_l.append(sc)
        fixed_l.append(np.zeros(T, dtype=bool))
        r0 += T
    n_budget_rows = r0
    # at most once (= 1 if mandatory)
    rows_l.append(r0 + var_j)
    cols_l.append(np.arange(nv))
    data_l.append(np.ones(nv))
    lo_l.append(np.where(items.mandatory, 1.0, -np.inf))
    hi_l.append(np.ones(n))
    scale_l.append(np.ones(n))
    fixed_l.append(items.mandatory.copy())
    r0 += n
    # precedence: for each (A -> B) and t: sum_{s<=t} x[B,s] - sum_{s<=t-dA} x[A,s] <= 0
    if items.deps:
        dep = np.array(items.deps)
        a_of, b_of = dep[:, 0], dep[:, 1]
        e_t = np.repeat(np.arange(len(dep)), T)
        t_t = np.tile(np.arange(T), len(dep))
        keep = (t_t >= first[b_of[e_t]]) & (t_t <= last[b_of[e_t]])
        e_t, t_t = e_t[keep], t_t[keep]
        row_id = r0 + np.arange(e_t.size)
        # B's variables with s <= t get +1; A's variables with s <= t - d_A get -1
        for jv, lim, sign in ((b_of[e_t], t_t, 1.0),
                              (a_of[e_t], t_t - duration[a_of[e_t]], -1.0)):
            cnt = np.clip(np.minimum(lim, last[jv]) - first[jv] + 1, 0, None)
            rr = np.repeat(row_id, cnt)
            off = np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt)
            rows_l.append(rr)
            cols_l.append(np.repeat(var_start[jv], cnt) + off)
            data_l.append(np.full(rr.size, sign))
        lo_l.append(np.full(e_t.size, -np.inf))
        hi_l.append(np.zeros(e_t.size))
        scale_l.append(np.ones(e_t.size))
        fixed_l.append(np.zeros(e_t.size, dtype=bool))
        r0 += e_t.size
    if items.excl:
        ex = np.array(items.excl)
        for side in (0, 1):
            jv = ex[:, side]
            rr = np.repeat(r0 + np.arange(len(ex)), counts[jv])
            start_var = var_start[jv]
            off = np.arange(counts[jv].sum()) - np.repeat(np.cumsum(counts[jv]) - counts[jv],
                                                          counts[jv])
            rows_l.append(rr)
            cols_l.append(np.repeat(start_var, counts[jv]) + off)
            data_l.append(np.ones(rr.size))
        lo_l.append(np.full(len(ex), -np.inf))
        hi_l.append(np.ones(len(ex)))
        scale_l.append(np.ones(len(ex)))
        fixed_l.append(np.zeros(len(ex), dtype=bool))
        r0 += len(ex)
    A = sparse.csr_matrix((np.concatenate(data_l), (np.concatenate(rows_l),
                                                    np.concatenate(cols_l))), shape=(r0, nv))
    lo = np.concatenate(lo_l)
    hi = np.concatenate(hi_l)
    # mandatory rows whose initiative has no variable make the model infeasible; caught above
    model = _Model(c, A, lo, hi, np.concatenate(fixed_l), budget_rows, np.concatenate(scale_l),
                   var_s.astype(float) + 1.0)
    return _Plan(items, labels, budget, resources, capacity, duration, cost, use,
                 value_at_start, discount_rate, first, last, var_j, var_s, model, n_budget_rows)


def _capacity_hi(p: _Plan, budget: np.ndarray) -> np.ndarray:
    hi = p.model.hi.copy()
    T = len(p.years)
    hi[:T] = budget / p.model.row_scale[:T]
    return hi


def _diagnose(p: _Plan, budget: np.ndarray, source: str, years_source: str) -> InputError:
    """Why is there no plan? Elastic re-solve: which budget or resource must grow, by how much."""
    T = len(p.years)
    nb = p.n_budget_rows
    m = p.model
    nv = m.c.size
    # add one slack per budget/resource row (in scaled units), minimise total slack
    slack = sparse.csr_matrix((-np.ones(nb), (np.arange(nb), np.arange(nb))),
                              shape=(m.A.shape[0], nb))
    A = sparse.hstack([m.A, slack]).tocsr()
    hi = _capacity_hi(p, budget)
    cobj = np.concatenate([np.zeros(nv), np.ones(nb)])
    integ = np.concatenate([np.ones(nv), np.zeros(nb)])
    ub = np.concatenate([np.ones(nv), np.full(nb, np.inf)])
    res = optimize.milp(cobj, integrality=integ, bounds=optimize.Bounds(0, ub),
                        constraints=[optimize.LinearConstraint(A, m.lo, hi)],
                        options={"disp": False})
    forced = _forced(p.items)
    names = ", ".join(repr(p.items.ids[j]) for j in sorted(forced))
    if res.x is None:
        return InputError(f"{source}: the mandatory initiatives ({names}) cannot all be scheduled "
                          "together with their dependencies and exclusions; expected a feasible "
                          "set of mandatory initiatives")
    s = res.x[nv:] * m.row_scale[:nb]
    k = int(np.argmax(s / m.row_scale[:nb]))
    t, what = k % T, k // T
    column = "budget" if what == 0 else p.resources[what - 1]
    cap = budget[t] if what == 0 else p.capacity[t, what - 1]
    return InputError(
        f"{validate.where(years_source, t + 1, column)}: got {cap:g} for {p.years[t]}, but the mandatory "
        f"initiatives ({names}) need at least {cap + s[k]:g} in that year however they are "
        f"scheduled; expected a {column} of at least {cap + s[k]:g} in {p.years[t]} (or fewer "
        "mandatory initiatives, or later deadlines)"
    )


def _roadmap(p: _Plan, x: np.ndarray, method: str, budget: np.ndarray, optimal: bool,
             seconds: float, reasons: list[str] | None = None,
             gap: float = math.nan) -> Roadmap:
    items = p.items
    n, T = len(items.ids), len(p.years)
    start = np.full(n, -1)
    start[p.var_j[x]] = p.var_s[x]
    chosen = start >= 0
    if reasons is None:
        reasons = []
        for j in range(n):
            if chosen[j]:
                reasons.append("")
            elif p.first[j] > p.last[j]:
                reasons.append("does not fit in the horizon")
            else:
                reasons.append("not in the best plan")
    disc_start = np.where(chosen, start, np.minimum(p.first, T - 1))
    value = p.value_at_start * (1.0 + p.discount_rate) ** -disc_start.astype(float)
    total_cost = p.cost.sum(axis=1)
    schedule = pd.DataFrame({
        "initiative": items.ids,
        "chosen": chosen,
        "start_year": pd.array([int(p.years[0] + s) if s >= 0 else None for s in start],
                               dtype="Int64"),
        "finish_year": pd.array([int(p.years[0] + s + d - 1) if s >= 0 else None
                                 for s, d in zip(start, p.duration, strict=True)],
                                dtype="Int64"),
        "duration": p.duration.astype(int),
        "cost": total_cost,
        "value": value,
        "mandatory": items.mandatory,
        "reason": reasons,
    })
    # spend: funded initiative x work year
    fj = np.flatnonzero(chosen)
    dur = p.duration[fj]
    rj = np.repeat(fj, dur)
    rk = np.arange(dur.sum()) - np.repeat(np.cumsum(dur) - dur, dur)
    rt = start[rj] + rk
    spend = pd.DataFrame({"initiative": [items.ids[j] for j in rj],
                          "year": p.years[rt].astype(int), "cost": p.cost[rj, rk]})
    for r, name in enumerate(p.resources):
        spend[name] = p.use[rj, rk, r]
    used_budget = np.bincount(rt, weights=p.cost[rj, rk], minlength=T)
    frames = [pd.DataFrame({"year": p.years.astype(int), "constraint": "budget",
                            "capacity": budget, "used": used_budget})]
    for r, name in enumerate(p.resources):
        used = np.bincount(rt, weights=p.use[rj, rk, r], minlength=T)
        cap = np.where(np.isinf(p.capacity[:, r]), np.nan, p.capacity[:, r])
        frames.append(pd.DataFrame({"year": p.years.astype(int), "constraint": name,
                                    "capacity": cap, "used": used}))
    yearly = pd.concat(frames, ignore_index=True)
    yearly["unused"] = yearly["capacity"] - yearly["used"]
    total_value = float(value[chosen].sum())
    total = float(total_cost[chosen].sum())
    summary = pd.DataFrame({
        "method": [method], "value": [total_value], "cost": [total],
        "budget": [float(budget.sum())], "unused_budget": [float(budget.sum() - total)],
        "n_chosen": [int(chosen.sum())], "optimal": [bool(optimal)], "mip_gap": [gap],
        "solve_seconds": [seconds],
    })
    return Roadmap([items.ids[j] for j in fj], total_value, total, method, schedule, spend,
                   yearly, summary)


_PLAN_CONSTRAINTS = {
    "discount_rate": Rate(),
    "source": Text(),
    "profiles_source": Text(),
    "years_source": Text(),
}


_SOLVER_CONSTRAINTS = {
    "time_limit": NoneOr(Interval(float, 0, closed="neither")),
    "mip_gap": Interval(float, 0, 0.5),
}


@constrained(**_PLAN_CONSTRAINTS, **_SOLVER_CONSTRAINTS, tie_break=Boolean())
def plan(initiatives: pd.DataFrame, profiles: pd.DataFrame, years: pd.DataFrame, *,
         discount_rate: float = 0.0, tie_break: bool = True, time_limit: float | None = None,
         mip_gap: float = 0.0,
         source: str = "initiatives", profiles_source: str = "profiles",
         years_source: str = "years") -> Roadmap:
    """The most valuable multi-year roadmap within yearly budgets and resource capacities.

    Solves Weingartner's (1963) multi-period capital-budgeting programme with time-indexed
    start variables (Pritsker, Watters & Wolfe 1969) exactly with :func:`scipy.optimize.milp`;
    the model is written out in the module docstring. Value is a score or NPV per initiative
    (``value`` column) or, when that column is absent, the NPV of ``benefit - cost`` over the
    project years (:func:`btm.finance.present_value`); an initiative started in year s is worth
    its value at start discounted by ``(1 + discount_rate) ** (s - first year)``. Budgets limit
    costs only: benefits are not assumed to flow back into the IT budget.

    Parameters
    ----------
    initiatives : pandas.DataFrame
        ``initiative`` (unique id); optional ``value`` (score or NPV at the start of the
        initiative), ``depends_on`` (ids that must have *finished* before this one starts),
        ``excludes``, ``mandatory`` (bool), ``earliest_start`` and ``latest_start`` (years
        from the years table; empty = no limit). Not modified.
    profiles : pandas.DataFrame
        One row per initiative and project year: ``initiative``, ``project_year`` (0 = the
        start year), ``cost`` (at least 0), optional ``benefit`` (needed when initiatives has no
        ``value``) and one column per resource of the years table (use in that project year).
        An initiative's duration runs to its last project year with a cost or resource use;
        later rows may carry benefits only.
    years : pandas.DataFrame
        One row per planning year: ``year`` (consecutive integers), ``budget`` (at least 0) and
        one column per resource (capacity in that year; empty = unlimited).
    discount_rate : float
        Fraction per year (0.08 for 8 %); 0 (default) counts a value the same in any year.
    tie_break : bool
        Among optimal roadmaps, start initiatives as early as possible (a second, time-bounded
        solve; only when the optimum is proved, i.e. `mip_gap` 0 and no time limit reached).
    time_limit : float, optional
        Seconds for each solver call; when reached the best roadmap found is returned with
        ``summary["optimal"]`` False and the remaining gap in ``summary["mip_gap"]``.
    mip_gap : float
        Relative optimality gap at which the solver may stop (HiGHS ``mip_rel_gap``); 0
        (default) means proved optimal. Large instances (hundreds of initiatives with several
        binding budgets: multi-dimensional knapsacks) can take long to close the last fraction
        of a per cent; 0.005 stops within 0.5 % of the proved best.
    source, profiles_source, years_source : str
        Names of the three tables in error messages.

    Returns
    -------
    Roadmap

    Raises
    ------
    InputError
        Bad tables (duplicate or unknown ids, cycles, negative costs, non-consecutive years,
        missing resource columns), or mandatory initiatives that cannot fit: the message names
        the initiative (time window too short after its prerequisites) or the year and the
        budget or resource that would have to grow, and by how much.

    Examples
    --------
    >>> import pandas as pd
    >>> initiatives = pd.DataFrame({"initiative": ["data platform", "analytics", "crm"],
    ...                             "value": [2.0, 5.0, 4.0],
    ...                             "depends_on": ["", "data platform", ""]})
    >>> profiles = pd.DataFrame({"initiative": ["data platform", "analytics", "crm", "crm"],
    ...                          "project_year": [0, 0, 0, 1], "cost": [3.0, 2.0, 2.0, 2.0]})
    >>> years = pd.DataFrame({"year": [2026, 2027], "budget": [4.0, 4.0]})
    >>> roadmap = plan(initiatives, profiles, years)
    >>> [(r.initiative, int(r.start_year)) for r in roadmap.schedule.itertuples() if r.chosen]
    [('data platform', 2026), ('analytics', 2027)]
    >>> roadmap.value
    7.0
    """
    t0 = time.perf_counter()
    p = _build_plan(initiatives, profiles, years, discount_rate, source, profiles_source,
                    years_source)
    x, optimal, gap = _solve(p.model, tie_break=tie_break, time_limit=time_limit,
                             mip_gap=mip_gap)
    if x is None:
        if not optimal:  # here: not proved infeasible, so the time limit stopped the search
            raise InputError("time_limit: no feasible roadmap was found in time; expected a "
                             "longer time limit")
        raise _diagnose(p, p.budget, source, years_source)
    return _roadmap(p, x, "exact", p.budget, optimal, time.perf_counter() - t0, gap=gap)


@constrained(**_PLAN_CONSTRAINTS, rule=Options(("skip", "stop")))
def plan_by_ranking(initiatives: pd.DataFrame, profiles: pd.DataFrame, years: pd.DataFrame, *,
                    discount_rate: float = 0.0, rule: str = "skip",
                    source: str = "initiatives", profiles_source: str = "profiles",
                    years_source: str = "years") -> Roadmap:
    """The spreadsheet roadmap: rank by value per unit of cost, fund each at its earliest year.

    Mandatory initiatives and their prerequisites come first (in dependency order), then the
    others by decreasing value (at the earliest start) per unit of total cost. Going down the
    list, each initiative is scheduled in the earliest year from which its whole cost profile
    and resource use still fit what is left of every year's budget and capacities, after its
    prerequisites have finished; it is skipped when a prerequisite is not funded or it excludes
    a funded initiative. ``rule="stop"`` ends the list at the first initiative that does not
    fit (a cut line); ``"skip"`` (default) goes on funding whatever still fits.

    Parameters
    ----------
    initiatives, profiles, years : pandas.DataFrame
        As for :func:`plan`.
    discount_rate : float
        As for :func:`plan`.
    rule : {"skip", "stop"}
        What to do with an initiative that no longer fits.
    source, profiles_source, years_source : str
        Names of the tables in error messages.

    Returns
    -------
    Roadmap
        With ``method="ranking"``; ``schedule["reason"]`` says why each unfunded initiative
        was left out. A mandatory initiative that the ranking cannot place is left unfunded
        with that reason (the exact :func:`plan` raises instead when no plan can hold it).

    Examples
    --------
    >>> import pandas as pd
    >>> initiatives = pd.DataFrame({"initiative": ["A", "B", "C"], "value": [9.0, 7.0, 7.0]})
    >>> profiles = pd.DataFrame({"initiative": ["A", "B", "C"], "project_year": [0, 0, 0],
    ...                          "cost": [6.0, 5.0, 5.0]})
    >>> years = pd.DataFrame({"year": [2026], "budget": [10.0]})
    >>> plan_by_ranking(initiatives, profiles, years).chosen   # A ranks first, then nothing fits
    ['A']
    >>> plan(initiatives, profiles, years).chosen
    ['B', 'C']
    """
    t0 = time.perf_counter()
    p = _build_plan(initiatives, profiles, years, discount_rate, source, profiles_source,
                    years_source)
    items = p.items
    n, T = len(items.ids), len(p.years)
    total_cost = p.cost.sum(axis=1)
    value0 = p.value_at_start * (1.0 + discount_rate) ** -np.minimum(p.first, T - 1).astype(float)
    order = _ranking_order(items, value0, total_cost)
    left_b = p.budget.astype(float).copy()
    left_r = p.capacity.copy()
    start = np.full(n, -1)
    reasons = [""] * n
    stopped = False
    tol = 1e-9 * max(1.0, float(p.budget.max(initial=0.0)))
    prereq = {j: list(items.graph.predecessors(j)) for j in range(n)}
    for j in order:
        if stopped:
            reasons[j] = "below the cut line"
            continue
        if any(start[a] < 0 for a in prereq[j]):
            reasons[j] = "a prerequisite is not funded"
            continue
        if any(start[b if a == j else a] >= 0 for a, b in items.excl if j in (a, b)):
            reasons[j] = "excluded by a funded initiative"
            continue
        if p.first[j] > p.last[j]:
            reasons[j] = "does not fit in the horizon"
            continue
        d = int(p.duration[j])
        lo = max([p.first[j]] + [start[a] + p.duration[a] for a in prereq[j]])
        placed = False
        for s in range(int(lo), int(p.last[j]) + 1):
            span = slice(s, s + d)
            if np.all(p.cost[j, :d] <= left_b[span] + tol) and np.all(
                    p.use[j, :d, :] <= left_r[span, :] + tol):
                left_b[span] -= p.cost[j, :d]
                left_r[span, :] -= p.use[j, :d, :]
                start[j] = s
                placed = True
                break
        if not placed:
            reasons[j] = "no budget or capacity left"
            if rule == "stop" and not items.mandatory[j]:
                stopped = True
    x = np.zeros(p.var_j.size, dtype=bool)
    x[(start[p.var_j] == p.var_s) & (start[p.var_j] >= 0)] = True
    return _roadmap(p, x, "ranking", p.budget, False, time.perf_counter() - t0, reasons)


@constrained(**_PLAN_CONSTRAINTS, **_SOLVER_CONSTRAINTS,
             factors=NoneOr(ListOf(Interval(float, 0))))
def frontier(initiatives: pd.DataFrame, profiles: pd.DataFrame, years: pd.DataFrame, *,
             factors: Sequence[float] | None = None, discount_rate: float = 0.0,
             time_limit: float | None = None, mip_gap: float = 0.0,
             source: str = "initiatives", profiles_source: str = "profiles",
             years_source: str = "years") -> pd.DataFrame:
    """The value-budget efficient frontier: the optimal roadmap at scaled budgets.

    Every year's budget is multiplied by each factor in turn (1.0 = today's budgets) and
    :func:`plan` is solved exactly (without the tie-break solve, which does not change the
    value). The optimum never falls as the budget grows.

    Parameters
    ----------
    initiatives, profiles, years : pandas.DataFrame
        As for :func:`plan`.
    factors : sequence of float, optional
        Budget multipliers (at least 0). Default: 0.5, 0.55, ..., 1.5 (21 points, 1.0 included).
    discount_rate : float
        As for :func:`plan`.
    time_limit, mip_gap : float
        As for :func:`plan`, for each point.
    source, profiles_source, years_source : str
        Names of the tables in error messages.

    Returns
    -------
    pandas.DataFrame
        One row per factor (sorted): ``factor``, ``budget`` (total over the years),
        ``feasible`` (False where the mandatory initiatives cannot fit), ``value``, ``cost``,
        ``n_chosen``, ``chosen`` (ids joined by ", "), ``optimal``, ``mip_gap`` (as in
        :attr:`Roadmap.summary`), ``is_current`` (factor 1).

    Examples
    --------
    >>> import pandas as pd
    >>> initiatives = pd.DataFrame({"initiative": ["A", "B"], "value": [5.0, 3.0]})
    >>> profiles = pd.DataFrame({"initiative": ["A", "B"], "project_year": [0, 0],
    ...                          "cost": [4.0, 2.0]})
    >>> years = pd.DataFrame({"year": [2026], "budget": [4.0]})
    >>> frontier(initiatives, profiles, years, factors=[0.5, 1, 1.5])["value"].tolist()
    [3.0, 5.0, 8.0]
    """
    p = _build_plan(initiatives, profiles, years, discount_rate, source, profiles_source,
                    years_source)
    fs = np.round(np.linspace(0.5, 1.5, 21), 10) if factors is None else np.sort(
        np.asarray(factors, dtype=float))
    rows = []
    for f in fs:
        b = p.budget * f
        x, optimal, gap = _solve(p.model, _capacity_hi(p, b), tie_break=False,
                                 time_limit=time_limit, mip_gap=mip_gap)
        if x is None:
            rows.append((f, float(b.sum()), False, math.nan, math.nan, 0, "", optimal,
                         math.nan))
            continue
        js = p.var_j[x]
        rows.append((f, float(b.sum()), True, float(p.model.c[x].sum()),
                     float(p.cost[js].sum()), int(x.sum()),
                     ", ".join(p.items.ids[j] for j in sorted(js)), optimal, gap))
    out = pd.DataFrame(rows, columns=["factor", "budget", "feasible", "value", "cost",
                                      "n_chosen", "chosen", "optimal", "mip_gap"])
    out["is_current"] = np.isclose(out["factor"], 1.0)
    return out


@constrained(**_PLAN_CONSTRAINTS, **_SOLVER_CONSTRAINTS,
             step=NoneOr(Interval(float, 0, closed="neither")))
def shadow_prices(initiatives: pd.DataFrame, profiles: pd.DataFrame, years: pd.DataFrame, *,
                  step: float | None = None, discount_rate: float = 0.0,
                  time_limit: float | None = None, mip_gap: float = 0.0,
                  source: str = "initiatives", profiles_source: str = "profiles",
                  years_source: str = "years") -> pd.DataFrame:
    """What more budget in each year would buy: LP shadow prices and exact integer gains.

    A mixed-integer programme has no dual prices of its own: its optimal value is a step
    function of each budget, flat almost everywhere and jumping where one more initiative fits.
    Two measures are therefore reported for each year t:

    * ``lp_shadow_price`` — the dual value of year t's budget row in the **LP relaxation**
      (every x between 0 and 1, solved by :func:`scipy.optimize.linprog`, HiGHS): the value
      one more currency unit would add if initiatives could be funded in fractions. It is the
      classic capital-rationing shadow price (Weingartner 1963, ch. 3); in a single-budget
      knapsack it is the value/cost ratio of the one initiative the LP funds in part (Dantzig
      1957). It is an indicator, exact for the MILP only when the LP solution happens to be
      whole.
    * ``value_gain`` — the exact answer for a finite step: the MILP is **re-solved** with year
      t's budget raised by ``step`` (all else unchanged) and ``value_gain`` is the increase of
      the optimal value; ``gain_per_unit = value_gain / step`` and ``funded_by_step`` names the
      initiatives the extra money brings in (the rest of the plan may be rearranged).

    Parameters
    ----------
    initiatives, profiles, years : pandas.DataFrame
        As for :func:`plan`.
    step : float, optional
        The budget increase to test, in currency units (greater than 0). Default: 10 % of the
        mean yearly budget (the same step in every year, so years compare fairly).
    discount_rate : float
        As for :func:`plan`.
    time_limit, mip_gap : float
        As for :func:`plan`, for each re-solve (a gain is exact only when both solves are).
    source, profiles_source, years_source : str
        Names of the tables in error messages.

    Returns
    -------
    pandas.DataFrame
        One row per year: ``year``, ``budget``, ``lp_shadow_price``, ``step``, ``value_gain``,
        ``gain_per_unit``, ``funded_by_step`` (ids joined by ", ").

    Raises
    ------
    InputError
        As for :func:`plan` when today's budgets admit no roadmap.

    Examples
    --------
    >>> import pandas as pd
    >>> initiatives = pd.DataFrame({"initiative": ["A", "B"], "value": [6.0, 3.0]})
    >>> profiles = pd.DataFrame({"initiative": ["A", "B"], "project_year": [0, 0],
    ...                          "cost": [4.0, 2.0]})
    >>> years = pd.DataFrame({"year": [2026], "budget": [4.0]})
    >>> sp = shadow_prices(initiatives, profiles, years, step=2)
    >>> sp[["lp_shadow_price", "value_gain", "funded_by_step"]].to_dict("records")
    [{'lp_shadow_price': 1.5, 'value_gain': 3.0, 'funded_by_step': 'B'}]
    """
    p = _build_plan(initiatives, profiles, years, discount_rate, source, profiles_source,
                    years_source)
    base, _, _ = _solve(p.model, tie_break=False, time_limit=time_limit, mip_gap=mip_gap)
    if base is None:
        raise _diagnose(p, p.budget, source, years_source)
    T = len(p.years)
    st = float(np.mean(p.budget)) * 0.1 if step is None else float(step)
    st = st if st > 0 else 1.0
    duals = _lp_duals(p.model)
    base_value = float(p.model.c[base].sum())
    base_set = set(p.var_j[base].tolist())
    rows = []
    for t in range(T):
        b = p.budget.astype(float).copy()
        b[t] += st
        x, _, _ = _solve(p.model, _capacity_hi(p, b), tie_break=False, time_limit=time_limit,
                         mip_gap=mip_gap)
        assert x is not None
        gain = max(float(p.model.c[x].sum()) - base_value, 0.0)
        new = sorted(set(p.var_j[x].tolist()) - base_set) if gain > 0 else []
        rows.append((int(p.years[t]), float(p.budget[t]),
                     float(duals[t]) if duals is not None else math.nan, st, gain, gain / st,
                     ", ".join(p.items.ids[j] for j in new)))
    return pd.DataFrame(rows, columns=["year", "budget", "lp_shadow_price", "step",
                                       "value_gain", "gain_per_unit", "funded_by_step"])


@constrained(**_PLAN_CONSTRAINTS, rule=Options(("skip", "stop")))
def compare_with_ranking(initiatives: pd.DataFrame, profiles: pd.DataFrame, years: pd.DataFrame,
                         *, discount_rate: float = 0.0, rule: str = "skip",
                         source: str = "initiatives", profiles_source: str = "profiles",
                         years_source: str = "years") -> RankingComparison:
    """The exact roadmap (:func:`plan`) beside the spreadsheet one (:func:`plan_by_ranking`).

    Parameters
    ----------
    initiatives, profiles, years : pandas.DataFrame
        As for :func:`plan`.
    discount_rate : float
        As for :func:`plan`.
    rule : {"skip", "stop"}
        The ranking rule (see :func:`plan_by_ranking`).
    source, profiles_source, years_source : str
        Names of the tables in error messages.

    Returns
    -------
    RankingComparison

    Examples
    --------
    >>> import pandas as pd
    >>> initiatives = pd.DataFrame({"initiative": ["A", "B", "C"], "value": [9.0, 7.0, 7.0]})
    >>> profiles = pd.DataFrame({"initiative": ["A", "B", "C"], "project_year": [0, 0, 0],
    ...                          "cost": [6.0, 5.0, 5.0]})
    >>> years = pd.DataFrame({"year": [2026], "budget": [10.0]})
    >>> compare_with_ranking(initiatives, profiles, years).value_gain
    5.0
    """
    kw: dict[str, Any] = dict(discount_rate=discount_rate, source=source,
                              profiles_source=profiles_source, years_source=years_source)
    exact = plan(initiatives, profiles, years, **kw)
    ranking = plan_by_ranking(initiatives, profiles, years, rule=rule, **kw)
    e, r = exact.schedule, ranking.schedule
    side = pd.DataFrame({
        "initiative": e["initiative"],
        "exact_start": e["start_year"],
        "ranking_start": r["start_year"],
        "value": e["value"],
        "cost": e["cost"],
    })
    es = e["start_year"].fillna(-1).to_numpy(dtype=int)
    rs = r["start_year"].fillna(-1).to_numpy(dtype=int)
    side["differs"] = es != rs
    summary = pd.concat([exact.summary, ranking.summary], ignore_index=True).set_index("method")[
        ["value", "cost", "unused_budget", "n_chosen"]]
    gain = max(exact.value - ranking.value, 0.0)
    share = gain / ranking.value if ranking.value > 0 else math.nan
    return RankingComparison(exact, ranking, side, summary, gain, share)
