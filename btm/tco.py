"""Total cost of ownership: compare options year by year, in present value, and under uncertainty.

The input is one table of cost lines (see ``data/tco/README.md`` for the data dictionary):

================= ==================================================================================
column            meaning
================= ==================================================================================
option            the alternative the line belongs to ("On-premises", "SaaS" ...)
item              what the cost is for; unique within an option
category          a grouping for tables and charts (licence, staff ...); ``residual`` marks a
                  resale or residual value, a credit: the only category whose amounts may be
                  negative, and its amounts may not be positive
amount            today's money; per year for recurring lines, once for one-off lines
start_year        first year the cost occurs (0 = now, undiscounted); a calendar year such as
                  2026 is refused with the hint "years count from 0 = now"
end_year          last year, inclusive (equal to ``start_year`` for a one-off)
escalation        optional, fraction per year (default 0): the cost in year k is
                  ``amount * (1 + escalation) ** k`` where k counts from year 0, not from start_year
low, high         optional three-point estimate around ``amount`` (``low <= amount <= high``);
                  lines without them are certain
correlation_group optional, used by :func:`simulate` when ``correlation`` is a number
================= ==================================================================================

Years run ``0..horizon_years``; a line running past the horizon is cut at it. Year k is
discounted by ``(1 + discount_rate) ** k``.

Monte Carlo is vectorised: the present value of every trial is ``samples @ W`` where ``samples``
is (trials x uncertain lines) and ``W[l, o] = sum_k (1 + e_l)**k / (1 + r)**k`` over the years
of line l when line l belongs to option o (0 otherwise).

Examples
--------
>>> import pandas as pd
>>> costs = pd.DataFrame({
...     "option": ["Buy", "Buy", "Rent"],
...     "item": ["purchase", "upkeep", "rent"],
...     "category": ["capex", "opex", "opex"],
...     "amount": [1000, 100, 400],
...     "start_year": [0, 1, 0],
...     "end_year": [0, 3, 3],
... })
>>> result = compare(costs, horizon_years=3, discount_rate=0.0)
>>> result.summary[["total_cost", "present_value", "rank"]]  # doctest: +NORMALIZE_WHITESPACE
        total_cost  present_value  rank
option
Buy         1300.0         1300.0     1
Rent        1600.0         1600.0     2
>>> break_even(result, "Buy", "Rent")  # Buy - Rent: 600, 300, 0, -300 in years 0..3
2.0
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

import numpy as np
import pandas as pd

from btm import finance, uncertainty, validate
from btm.constraints import (
    Boolean,
    Currency,
    Interval,
    NoneOr,
    Options,
    Rate,
    Seed,
    Text,
    ZeroBasedYear,
    check_memory,
    constrained,
    constraints_of,
)
from btm.errors import InputError

P = ParamSpec("P")
R = TypeVar("R")

__all__ = [
    "COST_COLUMNS",
    "TCOResult",
    "validate_costs",
    "compare",
    "cost_by_category",
    "cumulative_cost",
    "break_even",
    "break_even_table",
    "tornado",
    "uncertain_lines",
    "simulate_trials",
    "summarise_trials",
    "simulate",
    "s_curve",
]

RESIDUAL = "residual"

COST_COLUMNS: tuple[validate.Column, ...] = (
    validate.Column("option", "text", description="the alternative the line belongs to"),
    validate.Column("item", "text", description="what the cost is for; unique within an option"),
    validate.Column("category", "text", description="grouping; 'residual' for resale values"),
    validate.Column("amount", "number", constraint=Interval(float, -1e15, 1e15),
                    description="today's money, per year if recurring"),
    validate.Column("start_year", "integer", min=0, constraint=ZeroBasedYear(),
                    description="first year (0 = now)"),
    validate.Column("end_year", "integer", min=0, constraint=ZeroBasedYear(),
                    description="last year, inclusive"),
    validate.Column(
        "escalation", "number", required=False, default=0.0,
        description="fraction per year; year k costs amount * (1 + escalation) ** k",
    ),
    validate.Column(
        "low", "number", required=False, allow_missing=True,
        constraint=Interval(float, -1e15, 1e15),
        description="optimistic amount of a three-point estimate",
    ),
    validate.Column(
        "high", "number", required=False, allow_missing=True,
        constraint=Interval(float, -1e15, 1e15),
        description="pessimistic amount of a three-point estimate",
    ),
)
"""Declared columns of a cost table (used by :func:`validate_costs` and ``btm.files``)."""

_COST_NAMES = frozenset(c.name for c in COST_COLUMNS)


@dataclass(frozen=True)
class TCOResult:
    """Result of :func:`compare`.

    Attributes
    ----------
    yearly : pandas.DataFrame
        Tidy: ``option, year, category, cost, discounted_cost``; one row per option, year
        ``0..horizon_years`` and category the option has (zeros included).
    summary : pandas.DataFrame
        Indexed by ``option`` (in order of first appearance): ``total_cost`` (undiscounted),
        ``present_value``, ``equivalent_annual_cost`` (``present_value /
        annuity_factor(discount_rate, horizon_years)``, an annuity over years 1..H), ``rank``
        (1 = lowest present value; ties share the lower rank) and, when the table has
        ``residual`` lines, ``residual_value``: the present value of those lines, negative (a
        credit) and already included in ``present_value``.
    lines : pandas.DataFrame
        The validated cost table (input order) with each line's ``present_value``.
    horizon_years : int
    discount_rate : float
    currency : str
    beyond_horizon : pandas.DataFrame
        The lines of `lines` that start after ``horizon_years`` (input order, fresh index): they
        fall wholly outside the analysis and count for nothing, so a report must say they were
        left out (a line that only *ends* after the horizon is cut at it and still counts).
        Empty (with the columns of `lines`) when every line starts within the horizon.
    """

    yearly: pd.DataFrame
    summary: pd.DataFrame
    lines: pd.DataFrame
    horizon_years: int
    discount_rate: float
    currency: str
    beyond_horizon: pd.DataFrame = field(default_factory=pd.DataFrame)


# --------------------------------------------------------------------------- validation


# A century at most: beyond it discounting leaves later years weighing nothing, and a larger
# number is a typing mistake (100000) that would only fill memory.
_HORIZON = Interval(int, 1, 100)
_RATE = Rate()
_SOURCE = Text()
_DISTRIBUTION = Options(uncertainty.DISTRIBUTIONS)


@constrained(source=_SOURCE)
def validate_costs(costs: Any, *, source: str = "costs") -> pd.DataFrame:
    """Check a cost table and return a cleaned copy (input order, fresh index).

    Parameters
    ----------
    costs : pandas.DataFrame
        One row per cost line (columns in the module notes).
    source : str
        How to name the table in messages, e.g. a file name ``"data/tco/costs.csv"``.

    Returns
    -------
    pandas.DataFrame
        Declared columns converted (``escalation`` filled with 0; ``low`` and ``high`` kept
        empty where not given), then any extra columns unchanged.

    Raises
    ------
    InputError
        A missing column, an empty table, a non-numeric or missing amount, a negative year,
        ``start_year > end_year``, an escalation that looks like a percentage, a negative
        amount outside the ``residual`` category, a positive ``amount``, ``low`` or ``high``
        in it (a residual value is a credit), ``low > amount`` or ``high < amount``, an
        option, a category or an item of an option spelled two ways that differ only in case
        or spacing (``SaaS`` and ``Saas``: the same name typed twice, which would split an
        option or a category in two or count an item twice), a repeated (option, item) pair
        (named as :func:`btm.validate.frame` names a repeat: ``costs.csv, rows 1 and 2,
        columns 'option', 'item': 'A' / 'licence' appears twice``). Rows are counted from 1
        below the header.

    Examples
    --------
    >>> bad = pd.DataFrame({"option": ["A"], "item": ["x"], "category": ["staff"],
    ...                     "amount": [-5], "start_year": [0], "end_year": [0]})
    >>> validate_costs(bad, source="costs.csv")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: costs.csv, row 1, column 'amount': got -5, a negative amount in category 'staff'; expected a cost of at least 0 (only category 'residual' may be negative)
    """
    table = validate.frame(costs, COST_COLUMNS, source=source, key=["option", "item"])
    rows = np.arange(1, len(table) + 1)

    def fail(mask: np.ndarray, column: str, what: str, expected: str) -> None:
        if mask.any():
            i = int(np.flatnonzero(mask)[0])
            got = what.format(**{c: _show(table[c].iloc[i]) for c in table.columns
                                 if c in _COST_NAMES})
            raise InputError(f"{validate.where(source, int(rows[i]), column)}: {got}; expected {expected}")

    esc = table["escalation"].to_numpy(dtype=float)
    fail(esc > 1, "escalation", "got {escalation}, which looks like a percentage",
         "a fraction per year such as 0.03")
    fail(esc <= -1, "escalation", "got {escalation}", "a fraction per year greater than -1")
    start = table["start_year"].to_numpy()
    end = table["end_year"].to_numpy()
    fail(start > end, "end_year", "got {end_year}, before start_year {start_year}",
         "an end year at least the start year (equal for a one-off cost)")
    residual = _is_residual(table["category"])
    amount = table["amount"].to_numpy(dtype=float)
    low = table["low"].to_numpy(dtype=float)
    high = table["high"].to_numpy(dtype=float)
    credit = (f"a negative amount or 0 (category '{RESIDUAL}' holds resale and residual values, "
              "which are negative: a credit that lowers the cost)")
    fail((amount < 0) & ~residual, "amount",
         "got {amount}, a negative amount in category '{category}'",
         f"a cost of at least 0 (only category '{RESIDUAL}' may be negative)")
    fail((amount > 0) & residual, "amount",
         "got {amount}, a positive amount in category '{category}'", credit)
    fail((low < 0) & ~residual, "low", "got {low}, a negative amount in category '{category}'",
         f"a cost of at least 0 (only category '{RESIDUAL}' may be negative)")
    fail((low > 0) & residual, "low", "got {low}, a positive amount in category '{category}'",
         credit)
    fail((high > 0) & residual, "high", "got {high}, a positive amount in category '{category}'",
         credit)
    fail(low > amount, "low", "got {low}, above the amount {amount}",
         "a low estimate at most the amount")
    fail(high < amount, "high", "got {high}, below the amount {amount}",
         "a high estimate at least the amount")
    _one_spelling(table, "option", source, "option")
    _one_spelling(table, "category", source, "category")
    _one_spelling(table, "item", source, "item", within="option")
    return table


def _is_residual(categories: pd.Series) -> np.ndarray:
    """Which lines are residual values: category ``residual`` in any case (cells are stripped)."""
    return categories.astype(str).str.lower().to_numpy() == RESIDUAL


def _one_spelling(
    table: pd.DataFrame, column: str, source: str, what: str, *, within: str | None = None
) -> None:
    """Names that differ only in case or inner spaces are the same name typed twice.

    The check and the wording of :func:`btm.sourcing._one_spelling` (which imports this
    module, so it cannot be imported here). With `within`, only names in rows with the same
    value of that column are compared (an item is compared with the items of its option).
    """
    values = table[column].astype(str).tolist()
    canon = [" ".join(v.casefold().split()) for v in values]
    groups = [None] * len(values) if within is None else table[within].astype(str).tolist()
    first: dict[tuple[str | None, str], tuple[str, int]] = {}
    for k, (v, c, g) in enumerate(zip(values, canon, groups, strict=True)):
        seen = first.setdefault((g, c), (v, k + 1))
        if seen[0] != v:
            scope = "" if within is None else f" of {within} {g!r}"
            raise InputError(
                f"{validate.where(source, k + 1, column)}: got {v!r}, which differs from "
                f"{seen[0]!r} (row {seen[1]}) only in case or spacing; expected one spelling "
                f"per {what}{scope}")


def _show(value: Any) -> str:
    if isinstance(value, float | np.floating):
        return f"{float(value):g}"
    return str(value)


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class _Model:
    """Validated lines and the per-line factors every function below needs."""

    table: pd.DataFrame
    options: list[str]
    option_of_line: np.ndarray  # int code per line
    horizon_years: int
    discount_rate: float
    costs_by_year: np.ndarray  # lines x years, nominal
    discount: np.ndarray  # years
    pv_factor: np.ndarray  # per line: sum_k (1+e)^k / (1+r)^k over the line's years

    @property
    def pv(self) -> np.ndarray:
        return self.table["amount"].to_numpy(dtype=float) * self.pv_factor

    def three_points(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        amount = self.table["amount"].to_numpy(dtype=float)
        low = self.table["low"].to_numpy(dtype=float)
        high = self.table["high"].to_numpy(dtype=float)
        return np.where(np.isnan(low), amount, low), amount, np.where(np.isnan(high), amount, high)


def _model(costs: Any, horizon_years: int, discount_rate: float, source: str) -> _Model:
    """Cost model of validated scalar arguments (checked by the public function's declaration)."""
    horizon, r = horizon_years, discount_rate
    table = validate_costs(costs, source=source)
    options = list(pd.unique(table["option"]))
    code = {name: i for i, name in enumerate(options)}
    option_of_line = table["option"].map(code).to_numpy(dtype=np.int64)
    years = np.arange(horizon + 1)
    start = table["start_year"].to_numpy()[:, None]
    end = table["end_year"].to_numpy()[:, None]
    active = (years >= start) & (years <= end)
    growth = (1 + table["escalation"].to_numpy(dtype=float))[:, None] ** years
    unit = np.where(active, growth, 0.0)
    discount = finance.discount_factors(r, horizon)
    # Amounts are at most 1e15 and escalation at most 100 % a year over at most 100 years,
    # so every cost stays below 1.3e45: finite (1.7e308 is refused by the column check).
    costs_by_year = table["amount"].to_numpy(dtype=float)[:, None] * unit
    pv_factor = unit @ discount
    return _Model(
        table=table,
        options=options,
        option_of_line=option_of_line,
        horizon_years=horizon,
        discount_rate=r,
        costs_by_year=costs_by_year,
        discount=discount,
        pv_factor=pv_factor,
    )


# --------------------------------------------------------------------------- compare


@constrained(horizon_years=_HORIZON, discount_rate=_RATE, currency=Currency(), source=_SOURCE)
def compare(
    costs: pd.DataFrame,
    *,
    horizon_years: int,
    discount_rate: float,
    currency: str = "EUR",
    source: str = "costs",
) -> TCOResult:
    """Compare the total cost of ownership of options, undiscounted and in present value.

    Parameters
    ----------
    costs : pandas.DataFrame
        Cost lines (see the module notes); not modified.
    horizon_years : int
        Last year of the analysis (years ``0..horizon_years``); from 1 to 100 (beyond a
        century discounting leaves the later years weighing nothing; a larger number is
        refused as a mistake).
    discount_rate : float
        Fraction per year (0.08 for 8 %); year k is discounted by ``(1 + r) ** k``.
    currency : str
        Three-letter currency code (``"EUR"``) used by tables and charts.
    source : str
        How to name `costs` in error messages (a file name when read from one).

    Returns
    -------
    TCOResult

    Examples
    --------
    Buy: 1000 now plus 100 a year in years 1-2; lease: 450 a year in years 0-2; 10 %.
    PV(buy) = 1000 + 100/1.1 + 100/1.21 = 1173.55; PV(lease) = 450 (1 + 1/1.1 + 1/1.21) = 1230.99.

    >>> costs = pd.DataFrame({
    ...     "option": ["Buy", "Buy", "Lease"], "item": ["price", "service", "lease"],
    ...     "category": ["capex", "opex", "opex"], "amount": [1000, 100, 450],
    ...     "start_year": [0, 1, 0], "end_year": [0, 2, 2]})
    >>> r = compare(costs, horizon_years=2, discount_rate=0.10)
    >>> r.summary["present_value"].round(2).tolist()
    [1173.55, 1230.99]
    >>> r.yearly.head(3)  # doctest: +NORMALIZE_WHITESPACE
      option  year category    cost  discounted_cost
    0    Buy     0    capex  1000.0           1000.0
    1    Buy     0     opex     0.0              0.0
    2    Buy     1    capex     0.0              0.0
    """
    model = _model(costs, horizon_years, discount_rate, source)
    table = model.table
    n_years = model.horizon_years + 1
    categories = list(pd.unique(table["category"]))
    cat_code = table["category"].map({c: i for i, c in enumerate(categories)}).to_numpy()

    # yearly: sum lines into (option, year, category) cells; each line spans every year.
    n_lines = len(table)
    opt = np.repeat(model.option_of_line, n_years)
    cat = np.repeat(cat_code, n_years)
    year = np.tile(np.arange(n_years), n_lines)
    cost = model.costs_by_year.ravel()
    long = pd.DataFrame({"o": opt, "y": year, "c": cat, "cost": cost,
                         "discounted_cost": cost * np.tile(model.discount, n_lines)})
    cells = long.groupby(["o", "y", "c"], sort=True)[["cost", "discounted_cost"]].sum()
    o_idx, y_idx, c_idx = (cells.index.get_level_values(i).to_numpy() for i in range(3))
    yearly = pd.DataFrame({
        "option": np.asarray(model.options, dtype=object)[o_idx],
        "year": y_idx.astype(np.int64),
        "category": np.asarray(categories, dtype=object)[c_idx],
        "cost": cells["cost"].to_numpy(),
        "discounted_cost": cells["discounted_cost"].to_numpy(),
    })

    pv_line = model.pv
    n_opt = len(model.options)
    total = np.bincount(model.option_of_line, weights=model.costs_by_year.sum(axis=1),
                        minlength=n_opt)
    pv = np.bincount(model.option_of_line, weights=pv_line, minlength=n_opt)
    summary = pd.DataFrame(
        {
            "total_cost": total,
            "present_value": pv,
            "equivalent_annual_cost": pv / finance.annuity_factor(
                model.discount_rate, model.horizon_years),
        },
        index=pd.Index(model.options, name="option"),
    )
    summary["rank"] = summary["present_value"].rank(method="min").astype(np.int64)
    residual = _is_residual(table["category"])
    if residual.any():
        summary["residual_value"] = np.bincount(
            model.option_of_line, weights=np.where(residual, pv_line, 0.0), minlength=n_opt)

    lines = table.copy()
    lines["present_value"] = pv_line
    beyond = lines.loc[lines["start_year"].to_numpy() > model.horizon_years]
    return TCOResult(
        yearly=yearly,
        summary=summary,
        lines=lines,
        horizon_years=model.horizon_years,
        discount_rate=model.discount_rate,
        currency=currency,
        beyond_horizon=beyond.reset_index(drop=True),
    )


def _check_result(result: Any) -> TCOResult:
    if not isinstance(result, TCOResult):
        raise InputError(
            f"result: got {type(result).__name__}; expected the TCOResult returned by compare()"
        )
    return result


@constrained(discounted=Boolean())
def cost_by_category(result: TCOResult, *, discounted: bool = True) -> pd.DataFrame:
    """Cost of each option by category over the horizon (present value or undiscounted).

    Returns
    -------
    pandas.DataFrame
        Index ``option``, one column per category (order of first appearance), 0 where an
        option has no line of that category.

    Examples
    --------
    >>> costs = pd.DataFrame({"option": ["A", "A", "B"], "item": ["x", "y", "z"],
    ...     "category": ["licence", "staff", "staff"], "amount": [100, 10, 30],
    ...     "start_year": [0, 1, 1], "end_year": [0, 2, 2]})
    >>> cost_by_category(compare(costs, horizon_years=2, discount_rate=0.0))  # doctest: +NORMALIZE_WHITESPACE
    category  licence  staff
    option
    A           100.0   20.0
    B             0.0   60.0
    """
    result = _check_result(result)
    value = "discounted_cost" if discounted else "cost"
    yearly = result.yearly
    wide = yearly.groupby(["option", "category"], sort=False)[value].sum().unstack(fill_value=0.0)
    categories = list(pd.unique(yearly["category"]))
    wide = wide.reindex(index=result.summary.index, columns=categories, fill_value=0.0)
    wide.index.name = "option"
    wide.columns.name = "category"
    return wide


@constrained(discounted=Boolean())
def cumulative_cost(result: TCOResult, *, discounted: bool = False) -> pd.DataFrame:
    """Cumulative cost of each option at the end of each year.

    Returns
    -------
    pandas.DataFrame
        Index ``year`` (0..horizon_years), one column per option.

    Examples
    --------
    >>> costs = pd.DataFrame({"option": ["A", "B"], "item": ["x", "y"],
    ...     "category": ["capex", "opex"], "amount": [100, 40],
    ...     "start_year": [0, 0], "end_year": [0, 3]})
    >>> cumulative_cost(compare(costs, horizon_years=3, discount_rate=0.0))  # doctest: +NORMALIZE_WHITESPACE
    option      A      B
    year
    0       100.0   40.0
    1       100.0   80.0
    2       100.0  120.0
    3       100.0  160.0
    """
    result = _check_result(result)
    value = "discounted_cost" if discounted else "cost"
    wide = result.yearly.groupby(["year", "option"], sort=False)[value].sum().unstack()
    wide = wide.reindex(index=pd.RangeIndex(result.horizon_years + 1),
                        columns=result.summary.index, fill_value=0.0)
    wide.index.name = "year"
    wide.columns.name = "option"
    return wide.cumsum()


def _crossing(diff: np.ndarray) -> float | None:
    """Time of the last sign change of `diff` (values at years 0..H), linear within a year."""
    nonzero = np.flatnonzero(diff != 0)
    if nonzero.size < 2:
        return None
    signs = np.sign(diff[nonzero])
    changes = np.flatnonzero(signs[1:] != signs[:-1])
    if changes.size == 0:
        return None
    a = int(nonzero[changes[-1]])
    b = int(nonzero[changes[-1] + 1])
    if b > a + 1:  # equal at years a+1..b-1: they meet at a+1
        return float(a + 1)
    return float(a + diff[a] / (diff[a] - diff[b]))


@constrained(discounted=Boolean())
def break_even(
    result: TCOResult, option: str, other: str, *, discounted: bool = False
) -> float | None:
    """Time in years at which the cumulative cost curves of two options cross.

    The difference ``cumulative(option) - cumulative(other)`` is taken at the end of years
    0..H and joined by straight lines within each year. The break-even is its **last sign
    change**: after it, the cheaper option stays cheaper to the horizon. It is symmetric in
    `option` and `other`. Touching without crossing is not a break-even; if the curves are
    equal over a run of years between a sign change, the break-even is the first year of the
    run.

    Parameters
    ----------
    result : TCOResult
    option, other : str
        Option names in ``result.summary.index``.
    discounted : bool
        Use cumulative present value instead of undiscounted cost.

    Returns
    -------
    float or None
        Years from year 0 (e.g. 2.5 = half way between the ends of years 2 and 3), or None if
        the curves never cross within the horizon.

    Examples
    --------
    A: 100 now then 10 a year; B: 40 a year (years 0-4). A - B = 60, 30, 0, -30, -60:
    they cross at the end of year 2.

    >>> costs = pd.DataFrame({"option": ["A", "A", "B"], "item": ["buy", "run", "rent"],
    ...     "category": ["capex", "opex", "opex"], "amount": [100, 10, 40],
    ...     "start_year": [0, 1, 0], "end_year": [0, 4, 4]})
    >>> break_even(compare(costs, horizon_years=4, discount_rate=0.0), "A", "B")
    2.0
    """
    result = _check_result(result)
    known = list(result.summary.index)
    for name, value in (("option", option), ("other", other)):
        if value not in known:
            raise InputError(
                f"{name}: got {value!r}; expected one of {', '.join(repr(k) for k in known)}"
            )
    cum = cumulative_cost(result, discounted=discounted)
    return _crossing((cum[option] - cum[other]).to_numpy(dtype=float))


@constrained(discounted=Boolean())
def break_even_table(result: TCOResult, *, discounted: bool = False) -> pd.DataFrame:
    """Break-even year (see :func:`break_even`) for every ordered pair of different options.

    Returns
    -------
    pandas.DataFrame
        Columns ``option``, ``other``, ``break_even_year`` (NaN where the curves never cross).

    Examples
    --------
    >>> costs = pd.DataFrame({"option": ["A", "B"], "item": ["x", "y"],
    ...     "category": ["capex", "opex"], "amount": [100, 40],
    ...     "start_year": [0, 0], "end_year": [0, 3]})
    >>> break_even_table(compare(costs, horizon_years=3, discount_rate=0.0))
      option other  break_even_year
    0      A     B              1.5
    1      B     A              1.5
    """
    result = _check_result(result)
    cum = cumulative_cost(result, discounted=discounted)
    rows = []
    for option in cum.columns:
        for other in cum.columns:
            if option != other:
                t = _crossing((cum[option] - cum[other]).to_numpy(dtype=float))
                rows.append((option, other, np.nan if t is None else t))
    return pd.DataFrame(rows, columns=["option", "other", "break_even_year"]).astype(
        {"break_even_year": float})


# --------------------------------------------------------------------------- sensitivity


@constrained(horizon_years=_HORIZON, discount_rate=_RATE, option=NoneOr(Text()),
             source=_SOURCE)
def tornado(
    costs: pd.DataFrame,
    *,
    horizon_years: int,
    discount_rate: float,
    option: str | None = None,
    source: str = "costs",
) -> pd.DataFrame:
    """One-at-a-time sensitivity: each uncertain line moved alone to its low and its high.

    Parameters
    ----------
    costs : pandas.DataFrame
        Cost lines with ``low`` and/or ``high`` (lines where both equal ``amount`` are skipped).
    horizon_years, discount_rate :
        As for :func:`compare`.
    option : str, optional
        Only this option's lines.

    Returns
    -------
    pandas.DataFrame
        Columns ``option, item, category, base_value, low_value, high_value, swing``: the
        present value of the line's option at base, with the line at ``low``, at ``high``;
        ``swing = |high_value - low_value|``. Sorted by swing, largest first.

    Examples
    --------
    >>> costs = pd.DataFrame({"option": ["A", "A"], "item": ["x", "y"],
    ...     "category": ["capex", "opex"], "amount": [100, 10], "low": [90, 5],
    ...     "high": [130, 12], "start_year": [0, 1], "end_year": [0, 2]})
    >>> tornado(costs, horizon_years=2, discount_rate=0.0)
      option item category  base_value  low_value  high_value  swing
    0      A    x    capex       120.0      110.0       150.0   40.0
    1      A    y     opex       120.0      110.0       124.0   14.0
    """
    model = _model(costs, horizon_years, discount_rate, source)
    if option is not None and option not in model.options:
        raise InputError(
            f"option: got {option!r}; expected one of "
            + ", ".join(repr(o) for o in model.options)
        )
    low, amount, high = model.three_points()
    base_by_option = np.bincount(model.option_of_line, weights=model.pv,
                                 minlength=len(model.options))
    base = base_by_option[model.option_of_line]
    table = model.table
    out = pd.DataFrame({
        "option": table["option"].to_numpy(),
        "item": table["item"].to_numpy(),
        "category": table["category"].to_numpy(),
        "base_value": base,
        "low_value": base + (low - amount) * model.pv_factor,
        "high_value": base + (high - amount) * model.pv_factor,
    })
    out["swing"] = (out["high_value"] - out["low_value"]).abs()
    keep = (low != amount) | (high != amount)
    if option is not None:
        keep &= table["option"].to_numpy() == option
    out = out.loc[keep].sort_values("swing", ascending=False, kind="stable")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- Monte Carlo


@constrained(source=_SOURCE)
def uncertain_lines(costs: pd.DataFrame, *, source: str = "costs") -> pd.DataFrame:
    """The uncertain lines (``low < high``) in the order a correlation matrix must follow.

    Returns
    -------
    pandas.DataFrame
        Columns ``option, item``; row i is row and column i of a ``correlation`` matrix given
        to :func:`simulate`.

    Examples
    --------
    >>> costs = pd.DataFrame({"option": ["A", "A", "B"], "item": ["x", "y", "z"],
    ...     "category": ["c", "c", "c"], "amount": [1, 2, 3], "low": [1, 1, None],
    ...     "high": [1, 3, 4], "start_year": 0, "end_year": 0})
    >>> uncertain_lines(costs)
      option item
    0      A    y
    1      B    z
    """
    table = validate_costs(costs, source=source)
    low = table["low"].fillna(table["amount"]).to_numpy(dtype=float)
    high = table["high"].fillna(table["amount"]).to_numpy(dtype=float)
    keep = high > low
    return table.loc[keep, ["option", "item"]].reset_index(drop=True)


def _correlation_matrix(
    correlation: Any, table: pd.DataFrame, uncertain: np.ndarray
) -> np.ndarray | None:
    """Target rank correlation over the uncertain lines, in input order; None if independent."""
    n_unc = int(uncertain.sum())
    if isinstance(correlation, int | float | np.integer | np.floating) and not isinstance(
        correlation, bool
    ):
        rho = validate.number(correlation, "correlation", min=-1, max=1)
        if rho == 0 or n_unc < 2:
            return None
        if "correlation_group" in table.columns:
            groups = table.loc[uncertain, "correlation_group"]
            codes, _ = pd.factorize(groups.astype(object))  # empty cells get code -1
            same = (codes[:, None] == codes[None, :]) & (codes[:, None] >= 0)
        else:
            same = np.ones((n_unc, n_unc), dtype=bool)
        matrix = np.where(same, rho, 0.0)
        np.fill_diagonal(matrix, 1.0)
        if not (matrix != np.eye(n_unc)).any():
            return None
        return uncertainty.check_correlation_matrix(matrix, "correlation")
    matrix = uncertainty.check_correlation_matrix(
        correlation.to_numpy() if isinstance(correlation, pd.DataFrame) else correlation,
        "correlation",
    )
    if matrix.shape[0] != n_unc:
        raise InputError(
            f"correlation: got a {matrix.shape[0]}x{matrix.shape[0]} matrix; expected "
            f"{n_unc}x{n_unc}, one row and column per uncertain line in the order of "
            "btm.tco.uncertain_lines(costs)"
        )
    return matrix


def _arguments_of(source: Callable[P, Any]) -> Callable[[Callable[..., R]], Callable[P, R]]:
    """Give the decorated function the signature and declared constraints of `source`.

    For a function that only passes its arguments on to `source` (``simulate`` to
    ``simulate_trials``): the arguments, their defaults and their checks are written once,
    and ``inspect.signature`` and :func:`btm.constraints.constraints_of` still see them.
    """

    def decorate(func: Callable[..., R]) -> Callable[P, R]:
        func.__signature__ = inspect.signature(source).replace(  # type: ignore[attr-defined]
            return_annotation=inspect.signature(func).return_annotation)
        func.__btm_constraints__ = constraints_of(source)  # type: ignore[attr-defined]
        return func

    return decorate


@constrained(horizon_years=_HORIZON, discount_rate=_RATE, n=Interval(int, 1), seed=Seed(),
             distribution=_DISTRIBUTION, source=_SOURCE)
def simulate_trials(
    costs: pd.DataFrame,
    *,
    horizon_years: int,
    discount_rate: float,
    n: int = 10_000,
    seed: int | np.random.Generator = 0,
    distribution: str = "pert",
    correlation: Any = 0.0,
    source: str = "costs",
) -> pd.DataFrame:
    """Present value of each option in each of `n` Monte Carlo trials.

    Each line with ``low < high`` is drawn from a three-point distribution around ``amount``
    (a missing ``low`` or ``high`` is taken as ``amount``); other lines are certain. The whole
    line (every year of it) scales with the draw, and escalation applies on top.

    Parameters
    ----------
    costs : pandas.DataFrame
        Cost lines with optional ``low``, ``high`` and ``correlation_group`` columns.
    horizon_years, discount_rate :
        As for :func:`compare`.
    n : int
        Number of trials. A number whose arrays would need more than half of the available
        memory (:func:`btm.constraints.check_memory`) is refused with the memory it needs and
        the largest number that fits (about 2.6 kB per trial for 48 uncertain lines).
    seed : int or numpy.random.Generator
        The same seed gives the same numbers, whatever the order of the rows in `costs`.
    distribution : {"pert", "triangular"}
        See :mod:`btm.uncertainty`.
    correlation : float or array-like
        Spearman rank correlation between uncertain lines. A number applies to every pair of
        uncertain lines or, when `costs` has a ``correlation_group`` column, to every pair in
        the same group (lines with an empty group stay independent). A square matrix gives
        every pair, in the order of :func:`uncertain_lines`. It must be positive
        semi-definite.

    Returns
    -------
    pandas.DataFrame
        Shape ``(n, options)``: index ``trial``, one column per option.

    Examples
    --------
    >>> costs = pd.DataFrame({"option": ["A", "B"], "item": ["x", "y"],
    ...     "category": ["c", "c"], "amount": [100, 110], "low": [80, 105],
    ...     "high": [150, 115], "start_year": [0, 0], "end_year": [0, 0]})
    >>> simulate_trials(costs, horizon_years=1, discount_rate=0.05, n=1000).shape
    (1000, 2)
    """
    gen = validate.rng(seed)
    model = _model(costs, horizon_years, discount_rate, source)
    low, amount, high = model.three_points()
    uncertain = high > low
    # Measured peak (tracemalloc, sample costs): ~4.3 float64 arrays of n x uncertain lines
    # with correlation, plus the n x options results and their summary copies.
    check_memory(n, 8 * (6 * int(uncertain.sum()) + 6 * len(model.options)), name="n",
                 what="trials")
    target = _correlation_matrix(correlation, model.table, uncertain)

    n_opt = len(model.options)
    certain_pv = np.bincount(model.option_of_line[~uncertain], weights=model.pv[~uncertain],
                             minlength=n_opt)
    pv = np.broadcast_to(certain_pv.astype(float), (n, n_opt)).copy()
    idx = np.flatnonzero(uncertain)
    if idx.size:
        # Canonical order (option, item) so that row order in `costs` does not change results.
        keys = model.table.loc[uncertain, ["option", "item"]].astype(str)
        canon = np.lexsort((keys["item"].to_numpy(), keys["option"].to_numpy()))
        lines = idx[canon]
        samples = uncertainty.sample_three_point(
            low[lines], amount[lines], high[lines], n, distribution=distribution, rng=gen)
        if target is not None:
            samples = uncertainty.rank_correlate(samples, target[np.ix_(canon, canon)], rng=gen)
        weights = np.zeros((lines.size, n_opt))
        weights[np.arange(lines.size), model.option_of_line[lines]] = model.pv_factor[lines]
        pv += samples @ weights
    return pd.DataFrame(pv, index=pd.RangeIndex(n, name="trial"),
                        columns=pd.Index(model.options, name="option"))


def _trial_values(trials: Any) -> np.ndarray:
    """The present values of a trials table (trials x options) as floats, or InputError."""
    if not isinstance(trials, pd.DataFrame) or trials.shape[0] == 0 or trials.shape[1] == 0:
        raise InputError(
            "trials: expected a non-empty DataFrame of present values (trials x options), "
            "as returned by simulate_trials"
        )
    try:
        values = trials.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise InputError("trials: found non-numeric values; expected present values") from None
    if not np.isfinite(values).all():
        i, j = (int(a[0]) for a in np.nonzero(~np.isfinite(values)))
        raise InputError(
            f"trials, row {i + 1}, column {str(trials.columns[j])!r}: got {values[i, j]}; "
            "expected finite present values (as returned by simulate_trials)"
        )
    return values


def summarise_trials(trials: pd.DataFrame) -> pd.DataFrame:
    """Statistics of simulated present values per option.

    Parameters
    ----------
    trials : pandas.DataFrame
        As returned by :func:`simulate_trials` (one row per trial, one column per option).

    Returns
    -------
    pandas.DataFrame
        Index ``option``; columns ``mean, std, p5, p10, p50, p90, p95`` and ``prob_cheapest``
        (share of trials in which the option has the lowest present value; ties are shared,
        so the column sums to 1).

    Examples
    --------
    >>> trials = pd.DataFrame({"A": [1.0, 3.0, 2.0], "B": [2.0, 2.0, 2.0]})
    >>> summarise_trials(trials)[["mean", "p50", "prob_cheapest"]]  # doctest: +NORMALIZE_WHITESPACE
            mean  p50  prob_cheapest
    option
    A        2.0  2.0            0.5
    B        2.0  2.0            0.5
    """
    values = _trial_values(trials)
    pct = np.percentile(values, [5, 10, 50, 90, 95], axis=0)
    cheapest = values == values.min(axis=1, keepdims=True)
    share = cheapest / cheapest.sum(axis=1, keepdims=True)
    out = pd.DataFrame(
        {
            "mean": values.mean(axis=0),
            "std": values.std(axis=0, ddof=1) if len(values) > 1 else np.zeros(values.shape[1]),
            "p5": pct[0],
            "p10": pct[1],
            "p50": pct[2],
            "p90": pct[3],
            "p95": pct[4],
            "prob_cheapest": share.mean(axis=0),
        },
        index=pd.Index([str(c) for c in trials.columns], name="option"),
    )
    return out


@_arguments_of(simulate_trials)
def simulate(costs: pd.DataFrame, **arguments: Any) -> pd.DataFrame:
    """Monte Carlo present value of each option from three-point estimates.

    ``summarise_trials(simulate_trials(...))``; see :func:`simulate_trials` for the parameters.

    Returns
    -------
    pandas.DataFrame
        Index ``option``; columns ``mean, std, p5, p10, p50, p90, p95, prob_cheapest``.

    Examples
    --------
    >>> costs = pd.DataFrame({"option": ["A", "B"], "item": ["x", "y"],
    ...     "category": ["c", "c"], "amount": [100, 110], "low": [80, 105],
    ...     "high": [150, 115], "start_year": [0, 0], "end_year": [0, 0]})
    >>> s = simulate(costs, horizon_years=1, discount_rate=0.05, n=20_000)
    >>> round(float(s.loc["A", "mean"]))  # (80 + 4 * 100 + 150) / 6 = 105
    105
    >>> float(s["prob_cheapest"].sum())
    1.0
    """
    return summarise_trials(simulate_trials(costs, **arguments))


def s_curve(trials: pd.DataFrame) -> pd.DataFrame:
    """Empirical cumulative distribution (S-curve) of each option's simulated present value.

    Returns
    -------
    pandas.DataFrame
        Tidy: ``option, present_value, cumulative_probability`` with present values sorted
        within each option and ``cumulative_probability = i / n`` for the i-th smallest.

    Examples
    --------
    >>> s_curve(pd.DataFrame({"A": [3.0, 1.0]}))
      option  present_value  cumulative_probability
    0      A            1.0                     0.5
    1      A            3.0                     1.0
    """
    values = np.sort(_trial_values(trials), axis=0)
    n, n_opt = values.shape
    return pd.DataFrame({
        "option": np.repeat(np.asarray([str(c) for c in trials.columns], dtype=object), n),
        "present_value": values.T.ravel(),
        "cumulative_probability": np.tile(np.arange(1, n + 1) / n, n_opt),
    })
