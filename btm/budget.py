"""The annual IT budget (run / grow / transform, capex / opex) and chargeback by TBM layers.

Three questions, each one function:

* :func:`annual_budget` — what IT costs next year: the run costs plus the roadmap's spend in
  that year (``btm.roadmap.Roadmap.spend``), split by run / grow / transform (Gartner's
  "run, grow, transform the business" view), by cost pool and by capex / opex; capital spend is
  depreciated straight-line over its useful life, so the year's P&L cost is opex plus the
  depreciation falling in the year.
* :func:`variance` — the budget against last year's actuals, by cost pool (or tower, or
  category): change and change in per cent.
* :func:`chargeback` — who consumes what IT costs: the Technology Business Management (TBM)
  model's layers, cost pools -> IT towers -> IT services -> consumers (business units), each
  step allocating by weights (for the last step: consumption drivers the business understands,
  such as users, tickets, storage and transactions). The same numbers serve as a showback
  (reported only) or a chargeback (invoiced).

Every unit of cost is accounted for: allocation is done in whole minor units (cents) with the
largest-remainder (Hamilton) method, so the parts of each source add up **exactly** to it;
costs that have nowhere to go (a pool mapped to no tower, a service nobody consumes) are
reported in ``Chargeback.unallocated``, never dropped, and
``allocated + unallocated == total`` holds exactly in minor units.

References
----------
TBM Council (2018). *The TBM Taxonomy*, version 3.0 (cost pools, IT towers, solutions/services,
consumers). Gartner (2010s) "Run, grow, transform" IT spending categories. Balinski, M. L. &
Young, H. P. (1982). *Fair Representation*. Yale University Press (Hamilton's largest-remainder
method). Horngren, C. T., Datar, S. M. & Rajan, M. (2015). *Cost Accounting: A Managerial
Emphasis*, 15th ed., ch. 15 (allocation of support-department costs; direct / step-down
method, of which the TBM chain is the layered case).

Examples
--------
>>> import pandas as pd
>>> pools = pd.DataFrame({"cost_pool": ["staff", "software"], "amount": [100.0, 50.0]})
>>> pool_to_tower = pd.DataFrame({"cost_pool": ["staff", "staff", "software"],
...                               "tower": ["end user", "application", "application"],
...                               "weight": [1, 3, 1]})
>>> tower_to_service = pd.DataFrame({"tower": ["end user", "application"],
...                                  "service": ["workplace", "erp"], "weight": [1, 1]})
>>> services = pd.DataFrame({"service": ["workplace", "erp"], "driver": ["users", "transactions"]})
>>> drivers = pd.DataFrame({"business_unit": ["Sales", "Plant"], "users": [30, 10],
...                         "transactions": [1, 4]})
>>> cb = chargeback(pools, pool_to_tower, tower_to_service, services, drivers)
>>> cb.by_consumer[["business_unit", "amount"]].to_dict("records")
[{'business_unit': 'Plant', 'amount': 106.25}, {'business_unit': 'Sales', 'amount': 43.75}]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from btm import finance, validate
from btm.constraints import Interval, NoneOr, Options, Rate, Text, ZeroBasedYear, constrained
from btm.errors import InputError, input_error

__all__ = [
    "CATEGORIES",
    "EXPENSE_TYPES",
    "CalendarYear",
    "MAX_USEFUL_LIFE",
    "ITBudget",
    "Chargeback",
    "allocate",
    "depreciation_schedule",
    "annual_budget",
    "variance",
    "chargeback",
]

CATEGORIES = ("run", "grow", "transform")
EXPENSE_TYPES = ("opex", "capex")

#: Longest useful life of a capital line, in years (a calendar year such as 2026 is refused).
MAX_USEFUL_LIFE = 50


@dataclass(frozen=True)
class CalendarYear(Interval):
    """A calendar year such as 2026, never a year counted from 0 = now.

    The opposite of :class:`btm.constraints.ZeroBasedYear`: a whole number from 1900 to 2200;
    a value that would pass as a year counted from now (0 to 1,000) is refused with that hint,
    since ``year = 1`` meant as "next year" would budget the year 1.

    Examples
    --------
    >>> CalendarYear().check(2026.0, "budget_year")
    2026
    >>> CalendarYear().check(1, "budget_year")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: budget_year: got 1, which looks like a year counted from 0 = now; expected a calendar year such as 2026, a whole number from 1900 to 2200
    """

    kind: type = int
    low: float | None = 1900
    high: float | None = 2200
    closed: Literal["both", "left", "right", "neither"] = "both"

    @property
    def expected(self) -> str:  # type: ignore[override]
        return (f"a calendar year such as 2026, a whole number from {self.low:g} to "
                f"{self.high:g}")

    def check(self, value: Any, name: str) -> Any:
        try:
            return super().check(value, name)
        except InputError as refused:
            try:
                offset = ZeroBasedYear().check(value, name)
            except InputError:
                raise refused from None
            raise input_error(name, got=offset, literal=True, expected=self.expected,
                              note="which looks like a year counted from 0 = now") from None

    def example(self) -> int:
        return 2026

    def invalid_values(self) -> list[Any]:
        return [*super().invalid_values(), 0, 5]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ITBudget:
    """The IT budget of one year (:func:`annual_budget`).

    Attributes
    ----------
    year : int
        The budget year.
    lines : pandas.DataFrame
        Every cost line of the year: ``source`` (``"run"`` or ``"project"``), ``item`` (run
        line or initiative id), ``cost_pool``, ``tower``, ``category`` (run / grow /
        transform), ``expense_type`` (opex / capex), ``amount``.
    by_category : pandas.DataFrame
        ``category`` (run, grow, transform, in that order), ``amount``, ``share``.
    by_pool : pandas.DataFrame
        ``cost_pool``, ``opex``, ``capex``, ``total``, sorted by total, largest first.
    depreciation : pandas.DataFrame
        The straight-line schedule of every capex line (including the roadmap's capex of
        earlier years): ``item``, ``spend_year``, ``year``, ``depreciation``.
    summary : pandas.DataFrame
        One row: ``year``, ``total`` (cash view: opex + capex spent), ``run``, ``grow``,
        ``transform``, ``opex``, ``capex``, ``depreciation`` (charged in the year),
        ``pnl_cost`` (opex + depreciation: the P&L view).
    """

    year: int
    lines: pd.DataFrame = field(repr=False)
    by_category: pd.DataFrame = field(repr=False)
    by_pool: pd.DataFrame = field(repr=False)
    depreciation: pd.DataFrame = field(repr=False)
    summary: pd.DataFrame = field(repr=False)


@dataclass(frozen=True)
class Chargeback:
    """Costs allocated through the TBM layers (:func:`chargeback`).

    Attributes
    ----------
    flows : pandas.DataFrame
        Every allocation: ``layer`` (``"pool_to_tower"``, ``"tower_to_service"``,
        ``"service_to_consumer"``), ``source``, ``target``, ``amount`` and ``amount_minor``
        (the same in whole minor units, e.g. cents: exact integers). Ready for a Sankey diagram.
    by_consumer : pandas.DataFrame
        ``business_unit``, ``amount``, ``amount_minor``, ``share``; largest first.
    by_consumer_service : pandas.DataFrame
        ``business_unit``, ``service``, ``amount`` (for stacked bars).
    unit_rates : pandas.DataFrame
        Per service: ``service``, ``driver``, ``cost``, ``quantity`` (total consumption),
        ``rate`` (cost per unit of the driver: the price a chargeback invoices).
    unallocated : pandas.DataFrame
        Costs that could not be passed on: ``layer``, ``item``, ``amount``, ``amount_minor``,
        ``reason``. Empty when everything reached a consumer.
    summary : pandas.DataFrame
        One row: ``total`` (the pools), ``allocated`` (reached consumers), ``unallocated``,
        and the same three in minor units (``total_minor`` = ``allocated_minor`` +
        ``unallocated_minor`` exactly).
    """

    flows: pd.DataFrame = field(repr=False)
    by_consumer: pd.DataFrame = field(repr=False)
    by_consumer_service: pd.DataFrame = field(repr=False)
    unit_rates: pd.DataFrame = field(repr=False)
    unallocated: pd.DataFrame = field(repr=False)
    summary: pd.DataFrame = field(repr=False)


# --------------------------------------------------------------------------- allocation


def _to_minor(amounts: np.ndarray, decimals: int, where: str) -> np.ndarray:
    scaled = np.round(np.asarray(amounts, dtype=float) * 10.0**decimals)
    if np.any(np.abs(scaled) > 2.0**53):
        raise InputError(f"{where}: amounts too large to allocate to the {decimals}-decimal "
                         "unit exactly; expected amounts below 9e15 minor units")
    return scaled.astype(np.int64)


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split the integer `total` in proportion to `weights` (>= 0, sum > 0), exactly.

    Hamilton's method: floor of each quota, then one more unit to the largest remainders
    (ties to the earlier row). The parts always sum to `total`.
    """
    sign = -1 if total < 0 else 1
    t = abs(int(total))
    w = np.asarray(weights, dtype=float)
    quota = t * (w / w.sum())
    base = np.floor(quota).astype(np.int64)
    left = t - int(base.sum())
    order = np.lexsort((np.arange(w.size), -(quota - base)))
    if left > 0:
        reps, rem = divmod(left, w.size)
        base += reps
        base[order[:rem]] += 1
    elif left < 0:  # float round-off made a floor too large: take units back
        take = order[::-1]
        for k in range(-left):
            base[take[k % w.size]] -= 1
    return sign * base


def _one_row_each(table: pd.DataFrame, key: list[str], source: str, expected: str) -> None:
    """Refuse the first row that repeats `key`, naming its last column and showing its values."""
    row = validate.repeated_row(table, key)
    if row is not None:
        shown = " -> ".join(repr(table[c].iloc[row - 1]) for c in key)
        raise InputError(f"{validate.where(source, row, key[-1])}: {shown} appears again; "
                         f"expected {expected}")


@constrained(source_column=Text(), target_column=Text(), decimals=Interval(int, 0, 6),
             source=Text())
def allocate(amounts: pd.DataFrame, weights: pd.DataFrame, *, source_column: str,
             target_column: str, decimals: int = 2, source: str = "weights",
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Allocate each source's amount to targets in proportion to weights, exactly.

    Parameters
    ----------
    amounts : pandas.DataFrame
        ``<source_column>`` (unique) and ``amount`` (may be negative, e.g. a credit).
    weights : pandas.DataFrame
        ``<source_column>``, ``<target_column>``, ``weight`` (at least 0): shares, percentages
        or driver quantities; each source's weights are normalised to sum to 1.
    source_column, target_column : str
        Column names (e.g. ``"cost_pool"`` and ``"tower"``).
    decimals : int
        Minor unit: amounts are allocated in units of ``10 ** -decimals`` (2 = cents).
    source : str
        Name of the weights table in messages.

    Returns
    -------
    (allocated, unallocated) : tuple of pandas.DataFrame
        ``allocated``: ``<source_column>``, ``<target_column>``, ``amount``, ``amount_minor``;
        the minor amounts of each source sum exactly to the source's amount in minor units.
        ``unallocated``: ``<source_column>``, ``amount``, ``amount_minor``, ``reason`` for
        sources with no weights or weights summing to 0.

    Examples
    --------
    >>> import pandas as pd
    >>> a, u = allocate(pd.DataFrame({"pool": ["p"], "amount": [100.0]}),
    ...                 pd.DataFrame({"pool": ["p"] * 3, "bu": ["x", "y", "z"], "weight": [1] * 3}),
    ...                 source_column="pool", target_column="bu")
    >>> a["amount"].tolist(), int(a["amount_minor"].sum())
    ([33.34, 33.33, 33.33], 10000)
    """
    amt = validate.frame(amounts, [validate.Column(source_column, "text"),
                                   validate.Column("amount", "number")], source="amounts",
                        allow_empty=True)
    _one_row_each(amt, [source_column], "amounts", "one amount per source")
    w = validate.frame(weights, [validate.Column(source_column, "text"),
                                 validate.Column(target_column, "text"),
                                 validate.Column("weight", "number", min=0)],
                       source=source, allow_empty=True)
    _one_row_each(w, [source_column, target_column], source, "one weight per pair")
    minor = _to_minor(amt["amount"].to_numpy(), decimals, "amounts")
    unit = 10.0**-decimals
    groups = {k: g for k, g in w.groupby(source_column, sort=False)}
    parts, lost = [], []
    for name, m in zip(amt[source_column], minor, strict=True):
        g = groups.get(name)
        if g is None or float(g["weight"].sum()) <= 0:
            reason = "no allocation weights" if g is None else "allocation weights sum to 0"
            lost.append((name, m * unit, int(m), reason))
            continue
        split = _largest_remainder(int(m), g["weight"].to_numpy(dtype=float))
        parts.append(pd.DataFrame({source_column: name, target_column: g[target_column].to_numpy(),
                                   "amount_minor": split}))
    allocated = (pd.concat(parts, ignore_index=True) if parts else
                 pd.DataFrame({source_column: pd.Series(dtype=object),
                               target_column: pd.Series(dtype=object),
                               "amount_minor": pd.Series(dtype=np.int64)}))
    allocated["amount_minor"] = allocated["amount_minor"].astype(np.int64)
    allocated.insert(2, "amount", np.round(allocated["amount_minor"].to_numpy() * unit, decimals))
    unallocated = pd.DataFrame(lost, columns=[source_column, "amount", "amount_minor", "reason"])
    unallocated["amount_minor"] = unallocated["amount_minor"].astype(np.int64)
    return allocated, unallocated


# --------------------------------------------------------------------------- budget


def depreciation_schedule(capex: pd.DataFrame, *, source: str = "capex") -> pd.DataFrame:
    """Straight-line depreciation: ``amount / useful_life`` in each of ``useful_life`` years.

    Depreciation starts in the year of spend (full-year convention) and runs for
    ``useful_life`` whole years (Horngren et al. 2015; the usual IT policy of 3-5 years
    for hardware and capitalised software), without salvage value; the schedule is
    :func:`btm.finance.straight_line_depreciation`.

    Parameters
    ----------
    capex : pandas.DataFrame
        ``item``, ``year`` (of spend), ``amount`` (at least 0), ``useful_life`` (whole years,
        at least 1).
    source : str
        Name of the table in messages.

    Returns
    -------
    pandas.DataFrame
        ``item``, ``spend_year``, ``year``, ``depreciation``; per line the depreciation sums
        to the amount.

    Examples
    --------
    >>> import pandas as pd
    >>> d = depreciation_schedule(pd.DataFrame({"item": ["servers"], "year": [2026],
    ...                                         "amount": [300.0], "useful_life": [3]}))
    >>> d[["year", "depreciation"]].to_dict("list")
    {'year': [2026, 2027, 2028], 'depreciation': [100.0, 100.0, 100.0]}
    """
    t = validate.frame(capex, [validate.Column("item", "text"),
                               validate.Column("year", "integer", constraint=CalendarYear()),
                               validate.Column("amount", "number", min=0),
                               validate.Column("useful_life", "integer", min=1,
                                               max=MAX_USEFUL_LIFE)],
                       source=source, allow_empty=True)
    s = finance.straight_line_depreciation(t["amount"].to_numpy(dtype=float),
                                           t["useful_life"].to_numpy(dtype=np.int64))
    idx = s["asset"].to_numpy()
    spend_year = t["year"].to_numpy(dtype=np.int64)[idx]
    return pd.DataFrame({
        "item": t["item"].to_numpy()[idx],
        "spend_year": spend_year,
        "year": spend_year + s["period"].to_numpy() - 1,
        "depreciation": s["depreciation"].to_numpy(),
    })


def _options(table: pd.DataFrame, column: str, allowed: tuple[str, ...], source: str) -> None:
    values = table[column].astype(str).str.strip().str.lower()
    bad = ~values.isin(allowed).to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0]) + 1
        raise InputError(f"{source}, row {row}, column '{column}': got "
                         f"{table[column].iloc[row - 1]!r}; expected one of "
                         + ", ".join(repr(a) for a in allowed))
    table[column] = values.to_numpy()


def _check_year(year: int, actuals_year: int | None, spend_years: np.ndarray | None,
                where: str, projects_source: str) -> None:
    """Refuse a budget year the inputs say nothing about (see :func:`annual_budget`)."""
    after = None if actuals_year is None else actuals_year + 1
    span = None if spend_years is None or spend_years.size == 0 else (
        int(spend_years.min()), int(spend_years.max()))
    if (after is None or year == after) and (span is None or span[0] <= year <= span[1]):
        return
    years = "" if span is None else (f"{span[0]}" if span[0] == span[1]
                                     else f"{span[0]} to {span[1]}")
    if span is None:
        expected = f"{after}, the year after the actuals ({actuals_year})"
    elif after is None:
        expected = f"a year of {projects_source} ({years})"
    elif span[0] <= after <= span[1]:
        expected = (f"{after}, the year after the actuals ({actuals_year}) and a year of "
                    f"{projects_source} ({years})")
    else:
        expected = (f"the year after the actuals ({actuals_year}) and a year of "
                    f"{projects_source} ({years}), but {after} is not one: check actuals_year "
                    f"and the years of {projects_source}")
    raise input_error(where, got=year, literal=True, expected=expected)


@constrained(year=CalendarYear(), actuals_year=NoneOr(CalendarYear()), escalation=Rate(),
             default_useful_life=Interval(int, 1, MAX_USEFUL_LIFE), source=Text(),
             projects_source=Text(), initiatives_source=Text(), year_source=Text())
def annual_budget(run_costs: pd.DataFrame, *, year: int, projects: pd.DataFrame | None = None,
                  initiatives: pd.DataFrame | None = None, escalation: float = 0.0,
                  default_useful_life: int = 5, actuals_year: int | None = None,
                  source: str = "run_costs", projects_source: str = "projects",
                  initiatives_source: str = "initiatives",
                  year_source: str = "year") -> ITBudget:
    """The IT budget of `year`: run costs plus the roadmap's spend, in every cut.

    Parameters
    ----------
    run_costs : pandas.DataFrame
        One row per recurring cost line: ``item``, ``cost_pool``, ``tower``, ``amount`` (for the
        budget year, or last year's actual when `escalation` is given); optional ``category``
        (run / grow / transform; default run), ``expense_type`` (opex / capex; default opex),
        ``useful_life`` (years, for capex; default `default_useful_life`).
    year : int
        The budget year, a calendar year. It must be a year the inputs speak about: the year
        after `actuals_year` when that is given (the run costs are that year's actuals grown
        once by `escalation`), and a year of `projects` (from its first to its last year)
        when they are given; any other year is refused, since it would silently drop the
        roadmap's spend or grow last year's costs by one year only.
    projects : pandas.DataFrame, optional
        The roadmap's spend, e.g. ``Roadmap.spend``: ``initiative``, ``year`` (calendar),
        ``cost``. All years are read so that capex of earlier years depreciates into `year`.
    initiatives : pandas.DataFrame, optional
        Attributes per initiative (e.g. the roadmap's initiatives table): ``initiative`` and
        optional ``category`` (default grow), ``capex_share`` (fraction of its cost
        capitalised, default 0), ``useful_life``, ``cost_pool`` (default
        ``"projects"``), ``tower`` (default ``"application"``).
    escalation : float
        Growth applied to every run amount (fraction, e.g. 0.03 for 3 % inflation).
    default_useful_life : int
        Years over which capex without a ``useful_life`` is depreciated (1 to 50).
    actuals_year : int, optional
        The year the run costs' amounts are from, when they are last year's actuals; `year`
        must then be the year after it.
    source, projects_source, initiatives_source : str
        Names of the tables in messages.
    year_source : str
        Name of `year` in messages, such as the notebook parameter ``budget_year``.

    Returns
    -------
    ITBudget

    Raises
    ------
    InputError
        A bad cell of a table (named by table, row and column), a year counted from now where
        a calendar year is meant (`year`, `actuals_year`, the ``year`` of `projects`), or a
        `year` the inputs do not cover::

            budget_year: got 2035; expected 2026, the year after the actuals (2025) and a
            year of the roadmap (2026 to 2030)

    Examples
    --------
    >>> import pandas as pd
    >>> run = pd.DataFrame({"item": ["licences", "servers"], "cost_pool": ["software", "hardware"],
    ...                     "tower": ["application", "compute"], "amount": [100.0, 60.0],
    ...                     "expense_type": ["opex", "capex"], "useful_life": [None, 3]})
    >>> spend = pd.DataFrame({"initiative": ["crm", "crm"], "year": [2026, 2027],
    ...                       "cost": [50.0, 40.0]})
    >>> info = pd.DataFrame({"initiative": ["crm"], "category": ["grow"], "capex_share": [0.5],
    ...                      "useful_life": [5]})
    >>> b = annual_budget(run, year=2027, projects=spend, initiatives=info)
    >>> b.summary[["total", "run", "grow", "capex", "depreciation", "pnl_cost"]].iloc[0].to_dict()
    {'total': 200.0, 'run': 160.0, 'grow': 40.0, 'capex': 80.0, 'depreciation': 29.0, 'pnl_cost': 149.0}
    """
    proj = None if projects is None else validate.frame(
        projects, [validate.Column("initiative", "text"),
                   validate.Column("year", "integer", constraint=CalendarYear()),
                   validate.Column("cost", "number", min=0)],
        source=projects_source, allow_empty=True)
    _check_year(year, actuals_year, None if proj is None else proj["year"].to_numpy(),
                year_source, projects_source)
    run = validate.frame(run_costs, [
        validate.Column("item", "text"),
        validate.Column("cost_pool", "text"),
        validate.Column("tower", "text"),
        validate.Column("amount", "number", min=0),
        validate.Column("category", "text", required=False, default="run"),
        validate.Column("expense_type", "text", required=False, default="opex"),
        validate.Column("useful_life", "integer", required=False, allow_missing=True, min=1,
                        max=MAX_USEFUL_LIFE),
    ], source=source)
    _options(run, "category", CATEGORIES, source)
    _options(run, "expense_type", EXPENSE_TYPES, source)
    run["amount"] = run["amount"] * (1.0 + escalation)
    life = run["useful_life"].astype(float).fillna(default_useful_life).astype(np.int64)
    lines = [pd.DataFrame({"source": "run", "item": run["item"], "cost_pool": run["cost_pool"],
                           "tower": run["tower"], "category": run["category"],
                           "expense_type": run["expense_type"], "amount": run["amount"],
                           "year": year, "useful_life": life})]
    if proj is not None:
        info_cols = [validate.Column("initiative", "text"),
                     validate.Column("category", "text", required=False, default="grow"),
                     validate.Column("capex_share", "number", required=False, default=0.0,
                                     min=0, max=1),
                     validate.Column("useful_life", "integer", required=False,
                                     default=default_useful_life, min=1,
                                     max=MAX_USEFUL_LIFE),
                     validate.Column("cost_pool", "text", required=False, default="projects"),
                     validate.Column("tower", "text", required=False, default="application")]
        if initiatives is None:
            info = validate.frame(pd.DataFrame({"initiative": proj["initiative"].unique()}),
                                  info_cols, source=initiatives_source, allow_empty=True)
        else:
            info = validate.frame(initiatives, info_cols, source=initiatives_source)
            missing = ~proj["initiative"].isin(info["initiative"]).to_numpy()
            if missing.any():
                row = int(np.flatnonzero(missing)[0]) + 1
                raise InputError(f"{projects_source}, row {row}, column 'initiative': unknown "
                                 f"initiative {proj['initiative'].iloc[row - 1]!r}; expected an "
                                 f"id from {initiatives_source}")
        _options(info, "category", CATEGORIES, initiatives_source)
        if initiatives is not None:  # a repeated id would be resolved by row order
            _one_row_each(info, ["initiative"], initiatives_source, "one row per initiative")
        info = info.drop_duplicates("initiative")
        m = proj.merge(info[["initiative", "category", "capex_share", "useful_life",
                             "cost_pool", "tower"]], on="initiative", how="left")
        for kind, share in (("capex", m["capex_share"]), ("opex", 1.0 - m["capex_share"])):
            lines.append(pd.DataFrame({"source": "project", "item": m["initiative"],
                                       "cost_pool": m["cost_pool"], "tower": m["tower"],
                                       "category": m["category"], "expense_type": kind,
                                       "amount": m["cost"] * share, "year": m["year"],
                                       "useful_life": m["useful_life"]}))
    every = pd.concat(lines, ignore_index=True)
    every = every[every["amount"] != 0].reset_index(drop=True)
    capex = every[every["expense_type"] == "capex"]
    dep = depreciation_schedule(pd.DataFrame({"item": capex["item"], "year": capex["year"],
                                              "amount": capex["amount"],
                                              "useful_life": capex["useful_life"]}),
                                source="capex")
    now = every[every["year"] == year].drop(columns=["year", "useful_life"])
    now = now.reset_index(drop=True)
    cat = now.groupby("category")["amount"].sum().reindex(list(CATEGORIES), fill_value=0.0)
    total = float(now["amount"].sum())
    by_category = pd.DataFrame({"category": list(CATEGORIES), "amount": cat.to_numpy(),
                                "share": cat.to_numpy() / total if total else np.nan})
    pool = now.pivot_table(index="cost_pool", columns="expense_type", values="amount",
                           aggfunc="sum", fill_value=0.0).reindex(columns=["opex", "capex"],
                                                                  fill_value=0.0)
    pool["total"] = pool["opex"] + pool["capex"]
    by_pool = pool.sort_values("total", ascending=False).reset_index()
    by_pool.columns.name = None
    opex = float(now.loc[now["expense_type"] == "opex", "amount"].sum())
    cap = float(now.loc[now["expense_type"] == "capex", "amount"].sum())
    dep_now = float(dep.loc[dep["year"] == year, "depreciation"].sum())
    summary = pd.DataFrame({"year": [year], "total": [total], "run": [float(cat["run"])],
                            "grow": [float(cat["grow"])], "transform": [float(cat["transform"])],
                            "opex": [opex], "capex": [cap], "depreciation": [dep_now],
                            "pnl_cost": [opex + dep_now]})
    return ITBudget(year, now, by_category, by_pool, dep, summary)


@constrained(by=Options(("cost_pool", "tower", "category", "expense_type")), source=Text())
def variance(budget: ITBudget, actuals: pd.DataFrame, *, by: str = "cost_pool",
             source: str = "actuals") -> pd.DataFrame:
    """This year's budget against last year's actuals, by cost pool (or tower, category ...).

    Parameters
    ----------
    budget : ITBudget
        From :func:`annual_budget`.
    actuals : pandas.DataFrame
        Last year's actual costs: ``<by>`` and ``amount`` (several rows per key are summed).
    by : {"cost_pool", "tower", "category", "expense_type"}
        The cut.
    source : str
        Name of the actuals table in messages.

    Returns
    -------
    pandas.DataFrame
        One row per key and a final ``"total"`` row: ``<by>``, ``actual``, ``budget``,
        ``change`` (budget - actual), ``change_pct`` (change / actual; NaN for a new key),
        ``status`` (``"new"``, ``"ended"``, ``"up"``, ``"down"``, ``"flat"``).

    Examples
    --------
    >>> import pandas as pd
    >>> run = pd.DataFrame({"item": ["a"], "cost_pool": ["staff"], "tower": ["end user"],
    ...                     "amount": [110.0]})
    >>> v = variance(annual_budget(run, year=2026),
    ...              pd.DataFrame({"cost_pool": ["staff"], "amount": [100.0]}))
    >>> v[["cost_pool", "change", "change_pct"]].to_dict("records")[0]
    {'cost_pool': 'staff', 'change': 10.0, 'change_pct': 0.1}
    """
    if not isinstance(budget, ITBudget):
        raise InputError(f"budget: got {type(budget).__name__}; expected the ITBudget returned "
                         "by btm.budget.annual_budget")
    act = validate.frame(actuals, [validate.Column(by, "text"),
                                   validate.Column("amount", "number")], source=source)
    if by in ("category", "expense_type"):
        _options(act, by, CATEGORIES if by == "category" else EXPENSE_TYPES, source)
    a = act.groupby(by)["amount"].sum()
    b = budget.lines.groupby(by)["amount"].sum()
    keys = list(dict.fromkeys([*a.index, *b.index]))
    out = pd.DataFrame({by: keys, "actual": a.reindex(keys, fill_value=0.0).to_numpy(),
                        "budget": b.reindex(keys, fill_value=0.0).to_numpy()})
    out = pd.concat([out, pd.DataFrame({by: ["total"], "actual": [out["actual"].sum()],
                                        "budget": [out["budget"].sum()]})], ignore_index=True)
    out["change"] = out["budget"] - out["actual"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["change_pct"] = np.where(out["actual"] != 0, out["change"] / out["actual"], np.nan)
    tol = 1e-9 * np.maximum(1.0, np.abs(out["actual"].to_numpy()))
    out["status"] = np.select(
        [(out[by] != "total") & ~np.isin(out[by], list(a.index)),
         (out[by] != "total") & ~np.isin(out[by], list(b.index)),
         out["change"] > tol, out["change"] < -tol],
        ["new", "ended", "up", "down"], default="flat")
    return out


# --------------------------------------------------------------------------- chargeback


@constrained(decimals=Interval(int, 0, 6))
def chargeback(pools: pd.DataFrame, pool_to_tower: pd.DataFrame, tower_to_service: pd.DataFrame,
               services: pd.DataFrame, drivers: pd.DataFrame, *, decimals: int = 2,
               pools_source: str = "pools", pool_to_tower_source: str = "pool_to_tower",
               tower_to_service_source: str = "tower_to_service",
               services_source: str = "services", drivers_source: str = "drivers",
               ) -> Chargeback:
    """Allocate cost pools to IT towers, services and business units: the TBM model.

    Layer by layer (TBM Council 2018): each cost pool's amount is split over towers by
    ``pool_to_tower`` weights, each tower's total over services by ``tower_to_service``
    weights, and each service's total over business units in proportion to their consumption
    of the service's driver (a column of ``drivers``). Every split is exact in minor units
    (:func:`allocate`); what cannot be passed on is reported in ``unallocated``.

    Parameters
    ----------
    pools : pandas.DataFrame
        ``cost_pool``, ``amount`` (e.g. ``ITBudget.by_pool`` renamed, or last year's actuals
        summed by pool). Several rows per pool are summed.
    pool_to_tower : pandas.DataFrame
        ``cost_pool``, ``tower``, ``weight`` (at least 0; shares, per cents or e.g. FTE).
    tower_to_service : pandas.DataFrame
        ``tower``, ``service``, ``weight``.
    services : pandas.DataFrame
        ``service`` (unique), ``driver`` (a column name of ``drivers``: ``users``,
        ``tickets``, ``storage_tb``, ``transactions`` ...).
    drivers : pandas.DataFrame
        One row per business unit: ``business_unit`` (unique) and one column per driver
        (consumption, at least 0).
    decimals : int
        Minor unit of the currency (2 = cents).
    pools_source, pool_to_tower_source, tower_to_service_source, services_source, drivers_source : str
        Names of the five tables in error messages, such as their file names.

    Returns
    -------
    Chargeback
        Pools that hold no cost (every amount 0) are not refused, since a scenario may zero a
        budget: every business unit gets 0 and its ``share`` is NaN (a share of nothing), so
        no unit reads as the largest consumer; the messages say "There is no cost to
        allocate" (:func:`btm.messages.largest_consumers_sentence`).

    Raises
    ------
    InputError
        Missing columns, negative weights or consumption, duplicate business units or
        services, a service whose driver is not a column of ``drivers``, a service in
        ``tower_to_service`` that is not in ``services``.
    """
    p = validate.frame(pools, [validate.Column("cost_pool", "text"),
                               validate.Column("amount", "number")], source=pools_source)
    p = p.groupby("cost_pool", sort=False, as_index=False)["amount"].sum()
    svc = validate.frame(services, [validate.Column("service", "text"),
                                    validate.Column("driver", "text")], source=services_source)
    _one_row_each(svc, ["service"], services_source, "one row per service")
    if not isinstance(drivers, pd.DataFrame):
        raise InputError(f"{drivers_source}: got {type(drivers).__name__}; expected a pandas "
                         "DataFrame with 'business_unit' and one column per driver")
    names = [str(c) for c in drivers.columns if c != "business_unit"]
    bad = ~svc["driver"].isin(names).to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0]) + 1
        raise InputError(f"{services_source}, row {row}, column 'driver': got "
                         f"{svc['driver'].iloc[row - 1]!r}; expected one of the driver columns "
                         f"of {drivers_source} ({', '.join(map(repr, names)) or 'none'})")
    d = validate.frame(drivers, [validate.Column("business_unit", "text")]
                       # an empty cell is missing data, not zero use (write 0 for none)
                       + [validate.Column(n, "number", min=0) for n in names],
                       source=drivers_source)
    _one_row_each(d, ["business_unit"], drivers_source, "one row per business unit")
    t2s = validate.frame(tower_to_service, [validate.Column("tower", "text"),
                                            validate.Column("service", "text"),
                                            validate.Column("weight", "number", min=0)],
                         source=tower_to_service_source, allow_empty=True)
    unknown = ~t2s["service"].isin(svc["service"]).to_numpy()
    if unknown.any():
        row = int(np.flatnonzero(unknown)[0]) + 1
        raise InputError(f"{tower_to_service_source}, row {row}, column 'service': unknown "
                         f"service {t2s['service'].iloc[row - 1]!r}; expected a service from "
                         f"{services_source}")
    unit = 10.0**-decimals

    a1, u1 = allocate(p, pool_to_tower, source_column="cost_pool", target_column="tower",
                      decimals=decimals, source=pool_to_tower_source)
    towers = a1.groupby("tower", sort=False, as_index=False)["amount_minor"].sum()
    towers["amount"] = towers["amount_minor"] * unit
    a2, u2 = allocate(towers[["tower", "amount"]], t2s, source_column="tower",
                      target_column="service", decimals=decimals, source=tower_to_service_source)
    svc_cost = a2.groupby("service", sort=False, as_index=False)["amount_minor"].sum()
    svc_cost["amount"] = svc_cost["amount_minor"] * unit
    consumption = d.melt(id_vars="business_unit", value_vars=names, var_name="driver",
                         value_name="weight")
    cons = svc.merge(consumption, on="driver")[["service", "business_unit", "weight"]]
    a3, u3 = allocate(svc_cost[["service", "amount"]], cons, source_column="service",
                      target_column="business_unit", decimals=decimals, source=drivers_source)

    def flows(a: pd.DataFrame, layer: str, s: str, t: str) -> pd.DataFrame:
        return pd.DataFrame({"layer": layer, "source": a[s].to_numpy(), "target": a[t].to_numpy(),
                             "amount": a["amount"].to_numpy(),
                             "amount_minor": a["amount_minor"].to_numpy(dtype=np.int64)})

    flow = pd.concat([flows(a1, "pool_to_tower", "cost_pool", "tower"),
                      flows(a2, "tower_to_service", "tower", "service"),
                      flows(a3, "service_to_consumer", "service", "business_unit")],
                     ignore_index=True)
    flow = flow[flow["amount_minor"] != 0].reset_index(drop=True)
    reasons = {"no allocation weights": "no allocation weights",
               "allocation weights sum to 0": "allocation weights sum to 0"}
    lost = []
    for u, layer, col, why in ((u1, "pool_to_tower", "cost_pool", "pool mapped to no tower"),
                               (u2, "tower_to_service", "tower", "tower mapped to no service"),
                               (u3, "service_to_consumer", "service",
                                "nobody consumes the service's driver")):
        for row in u.itertuples(index=False):
            reason = why if row.reason == "no allocation weights" else reasons[row.reason]
            lost.append((layer, getattr(row, col), int(row.amount_minor) * unit,
                         int(row.amount_minor), reason))
    unallocated = pd.DataFrame(lost, columns=["layer", "item", "amount", "amount_minor",
                                              "reason"])
    unallocated["amount_minor"] = unallocated["amount_minor"].astype(np.int64)
    bu = a3.groupby("business_unit", as_index=False)["amount_minor"].sum()
    bu["amount_minor"] = bu["amount_minor"].astype(np.int64)
    bu["amount"] = np.round(bu["amount_minor"] * unit, decimals)
    allocated_minor = int(bu["amount_minor"].sum())
    bu["share"] = bu["amount_minor"] / allocated_minor if allocated_minor else np.nan
    bu = bu.sort_values(["amount_minor", "business_unit"], ascending=[False, True])
    bu = bu[["business_unit", "amount", "amount_minor", "share"]].reset_index(drop=True)
    by_cs = a3[["business_unit", "service", "amount"]].sort_values(
        ["business_unit", "service"]).reset_index(drop=True)
    qty = cons.groupby("service")["weight"].sum()
    rates = svc.merge(svc_cost[["service", "amount"]], on="service", how="left").rename(
        columns={"amount": "cost"})
    rates["cost"] = rates["cost"].fillna(0.0)
    rates["quantity"] = qty.reindex(rates["service"], fill_value=0.0).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        rates["rate"] = np.where(rates["quantity"] > 0, rates["cost"] / rates["quantity"],
                                 np.nan)
    total_minor = int(_to_minor(p["amount"].to_numpy(), decimals, "pools").sum())
    unalloc_minor = int(unallocated["amount_minor"].sum())
    summary = pd.DataFrame({
        "total": [total_minor * unit], "allocated": [allocated_minor * unit],
        "unallocated": [unalloc_minor * unit], "total_minor": [total_minor],
        "allocated_minor": [allocated_minor], "unallocated_minor": [unalloc_minor],
    })
    if allocated_minor + unalloc_minor != total_minor:  # pragma: no cover - a bug, not input
        raise AssertionError("chargeback lost cost: allocated + unallocated != total")
    return Chargeback(flow, bu, by_cs, rates, unallocated, summary)

