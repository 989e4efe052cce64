"""Just-in-time inventory from sales history: what to order, per SKU, and how it would have done.

:func:`plan` is the whole flow for today's decision, vectorised across SKUs:

1. **classify** every SKU (Syntetos–Boylan: smooth, erratic, intermittent, lumpy;
   :func:`btm.demand.classify_demand`);
2. **backtest** the method of each class (:func:`btm.forecast.backtest`: for regular demand
   with seasons up to 24 periods one method for all SKUs, chosen from AutoETS and four
   combinations by their pooled backtest error; the best per SKU of the weekly or Croston
   candidates otherwise), then **forecast** the next ``horizon`` periods
   with intervals (:func:`btm.forecast.forecast`; conformal bounds from the same backtest
   errors);
3. **safety stock** over the protection interval of ``lead_time + review_period`` periods
   (an order placed at a review must cover demand until the order of the *next* review
   arrives):

   * smooth, erratic (and no-demand) SKUs: the normal formula
     ``z * sigma * sqrt(L + R)`` (:func:`btm.inventory.safety_stock`) with ``sigma`` the root
     mean squared error of the SKU's chosen model in rolling **one-step** forecasts over the
     last ``error_periods`` periods (:func:`btm.forecast.rolling_forecasts`): the uncertainty
     that matters is that of the forecast, not of demand around its mean, and the formula
     wants the error of one period, scaled by the square root of the protection interval
     for independent periods (Chopra & Meindl's ``sigma_L = sqrt(L) * sigma_D``). The
     backtest's RMSE over steps
     1 .. ``horizon`` would make the safety stock depend on how far ahead the plan looks and
     count the growth of multi-step errors twice; the replay
     (:func:`replay_policy`) sets its normal safety stock from the same one-step errors;
   * intermittent and lumpy SKUs: the normal formula misleads (demand over a short lead time
     is mostly zero with the odd large order: skewed, not bell-shaped), so the safety stock
     is the ``service_level`` quantile of the SKU's *observed* errors of lead-time demand
     forecasts (:func:`btm.inventory.empirical_safety_stock`): rolling one-step forecasts
     over the last ``error_periods`` periods (:func:`btm.forecast.rolling_forecasts`), held
     flat over ``L + R`` periods, against the demand that followed
     (:func:`btm.inventory.lead_time_forecast_errors`). No distribution is assumed; it rests
     on about ``error_periods - L - R`` overlapping samples per SKU;

4. **levels**: reorder point = forecast over the lead time + safety stock (an order is due
   when the inventory position falls below it), order-up-to level = forecast over
   ``L + R`` + safety stock (what a periodic review orders up to);
5. **lots**: EOQ from the forecast's annual demand, ``order_cost`` and
   ``holding_cost_rate * unit_cost``; the order lot is the EOQ raised to ``min_order`` and
   rounded up to whole ``pack_size`` packs; kanban containers of one lot each cover the
   order-up-to level (:func:`btm.inventory.kanban_containers` with the forecast over
   ``L + R``, so ``ceil(order_up_to / order_lot)`` containers). The EOQ and the order lot
   are the economic lot and the kanban container size: the orders of step 6 do **not**
   come in lots;
6. **orders**: the periodic-review replenishment plan over the horizon
   (:func:`btm.inventory.replenishment_plan`): at each review the inventory position is
   raised to the order-up-to level, the order raised to ``min_order`` and rounded up to
   whole ``pack_size`` packs, so an order is about the demand of one review period (weekly
   orders of about a week's demand), whatever the EOQ.

:func:`replay_policy` answers "would it have worked?": it holds out the last
``holdout_periods`` of the history, chooses models on the data before them, makes rolling
one-step forecasts that never see the future, and replays the forecast-driven policy against
a naive one (:mod:`btm.replay`), with the service-versus-inventory trade-off curve. The
replay sets safety stock by the plan's two routes: the normal formula on rolling one-step
errors for smooth and erratic SKUs, and for intermittent and lumpy SKUs the service-level
quantile of the lead-time forecast errors observed before each replayed period.

The SKU master (``skus``) is a table like ``data/demand/skus.csv``: ``unique_id``,
``unit_cost`` (above 0), ``lead_time_weeks``, ``order_cost``, ``holding_cost_rate`` (fraction
of unit cost per **year**, above 0), optional ``pack_size`` (a whole number, at least 1;
default 1), ``min_order`` (default 0),
``on_hand`` and ``on_order`` (units now; when ``on_hand`` is absent or empty the stock is
assumed to stand at the reorder point, nothing on order, and ``on_hand_assumed`` says so).
Other columns (``description``, ``category`` ...) are carried into ``policy``.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(1)
>>> ds = pd.date_range("2024-01-01", periods=80, freq="W-MON")
>>> history = pd.DataFrame({"unique_id": np.repeat(["A", "B"], 80), "ds": np.tile(ds, 2),
...     "y": np.r_[rng.poisson(40, 80), rng.poisson(0.3, 80) * 5]})
>>> skus = pd.DataFrame({"unique_id": ["A", "B"], "unit_cost": [10.0, 80.0],
...     "lead_time_weeks": [2, 3], "order_cost": [50.0, 50.0],
...     "holding_cost_rate": [0.25, 0.25], "pack_size": [10, 1], "min_order": [0, 0]})
>>> p = plan(history, skus, horizon=8, service_level=0.95, error_periods=26)
>>> p.policy[["unique_id", "demand_class", "safety_stock_method"]]
  unique_id  demand_class safety_stock_method
0         A        smooth              normal
1         B  intermittent           empirical
>>> bool((p.orders["quantity"] % 10 == 0)[p.orders["unique_id"] == "A"].all())
True
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from btm import validate
from btm.constraints import (
    Boolean,
    Interval,
    ListOf,
    NoneOr,
    Options,
    Percentages,
    Probability,
    Text,
    constrained,
)
from btm.demand import DEMAND_CLASSES, classify_demand, validate_history
from btm.errors import InputError
from btm.forecast import MODEL_NAMES, BacktestResult, backtest, forecast, rolling_forecasts
from btm.inventory import (
    empirical_safety_stock,
    eoq,
    kanban_containers,
    lead_time_forecast_errors,
    replenishment_plan,
    safety_stock,
)
from btm.replay import ReplayResult, policy_from_skus, replay, tradeoff_curve

__all__ = [
    "JITPlan",
    "ReplayOutcome",
    "SKU_COLUMNS",
    "EMPIRICAL_CLASSES",
    "plan",
    "replay_policy",
    "periods_per_year",
    "accuracy_by_class",
    "example_skus",
    "orders_due",
]

#: Demand classes whose safety stock comes from the empirical error distribution.
EMPIRICAL_CLASSES = ("intermittent", "lumpy")

#: Columns of the SKU master (see ``data/demand/README.md``).
SKU_COLUMNS: tuple[validate.Column, ...] = (
    validate.Column("unique_id", "text", description="SKU identifier"),
    validate.Column("unit_cost", "number", min=0,
                    description="purchase cost of one unit (above 0)"),
    validate.Column("lead_time_weeks", "integer", min=0,
                    description="weeks from order to receipt"),
    validate.Column("order_cost", "number", min=0, description="fixed cost per order"),
    validate.Column("holding_cost_rate", "number", min=0, max=1,
                    description="cost of holding a unit for a year, fraction of unit cost "
                    "(above 0)"),
    validate.Column("pack_size", "integer", required=False, default=1, min=1,
                    description="orders are whole multiples of this (units, a whole number)"),
    validate.Column("min_order", "number", required=False, default=0.0, min=0,
                    description="smallest order the supplier accepts (units)"),
    validate.Column("on_hand", "number", required=False, allow_missing=True,
                    description="units on hand now; empty = assumed at the reorder point"),
    validate.Column("on_order", "number", required=False, default=0.0, min=0,
                    description="units ordered and not yet received"),
)

_DEFAULT_LEVELS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class JITPlan:
    """What to stock and what to order, per SKU.

    Attributes
    ----------
    classes : DataFrame
        One row per SKU: ``unique_id``, ``n_periods``, ``n_demands``, ``adi``, ``cv2``,
        ``demand_class`` (:func:`btm.demand.classify_demand`).
    backtest : BacktestResult
        The backtest that chose each SKU's model (:func:`btm.forecast.backtest`).
    forecast : DataFrame
        ``unique_id``, ``ds``, ``forecast``, ``model``, ``lo_80``, ``hi_80``, ``lo_95``,
        ``hi_95`` for the next ``horizon`` periods.
    policy : DataFrame
        One row per SKU: ``unique_id``, ``demand_class``, ``model``, ``lead_time_weeks`` (as
        given), ``lead_time`` (the periods used: rounded up to whole periods of the history)
        and ``review_period`` (periods), ``service_level``, ``forecast_per_period`` (mean over the
        horizon), ``forecast_error_std`` (per period: RMSE of the rolling one-step forecasts
        over the last ``error_periods``), ``safety_stock_method``
        (``"normal"`` or ``"empirical"``), ``safety_stock``, ``reorder_point``,
        ``order_up_to``, ``annual_demand``, ``eoq``, ``order_lot`` (EOQ raised to the minimum
        order and rounded to packs: the economic lot and the kanban container size, not the
        size of the planned orders, which follow the periodic review up to ``order_up_to``),
        ``kanban_containers`` (of one lot each, enough to hold ``order_up_to``:
        ``ceil(order_up_to / order_lot)``),
        ``pack_size``, ``min_order``, ``on_hand``, ``on_order``, ``on_hand_assumed``,
        ``unit_cost``, ``safety_stock_value``, ``average_inventory`` (safety stock plus half
        a typical order, units), ``average_inventory_value``, ``next_order_ds``,
        ``next_order_quantity``, then the SKU master's other columns.
    orders : DataFrame
        Planned orders over the horizon (:func:`btm.inventory.replenishment_plan`): at each
        review up to ``order_up_to``, raised to ``min_order`` and rounded up to packs (not
        in lots of ``order_lot``):
        ``unique_id``, ``order_ds``, ``arrival_ds``, ``quantity``, ``inventory_position``,
        ``order_value``.
    summary : DataFrame
        One row per demand class and a last row ``"all"``: ``n_skus``, ``safety_stock_value``,
        ``average_inventory_value``, ``annual_demand_value`` (at cost), ``order_value``
        (planned orders over the horizon).
    service_level, review_period, horizon, periods_per_year, freq
        The settings used.
    settings : Mapping
        The backtest settings (for :func:`replay_policy`).
    skus_without_history : pandas.Index
        SKUs of the SKU master that have no row in the history, in the master's order: they
        are not planned (nothing to forecast from) and appear nowhere else in the plan, so a
        report should name them. Empty when every SKU has history or when ``sku_filter``
        chose the SKUs.
    """

    classes: pd.DataFrame
    backtest: BacktestResult
    forecast: pd.DataFrame
    policy: pd.DataFrame
    orders: pd.DataFrame
    summary: pd.DataFrame
    service_level: float
    review_period: int
    horizon: int
    periods_per_year: float
    freq: str
    settings: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    skus_without_history: pd.Index = dataclasses.field(
        default_factory=lambda: pd.Index([], dtype=object, name="unique_id"))


@dataclass(frozen=True)
class ReplayOutcome:
    """How the forecast-driven policy would have done on the held-out end of the history.

    Attributes
    ----------
    replay : ReplayResult
        Timeline, per-SKU summary and overall measures of the forecast policy and the naive
        one (:func:`btm.replay.replay`).
    curve : DataFrame
        Service achieved against inventory held at each target level
        (:func:`btm.replay.tradeoff_curve`).
    by_class : DataFrame
        One row per demand class and a last row ``"all"``: ``n_skus``, ``fill_rate`` and
        ``naive_fill_rate``, ``average_inventory_value`` and ``naive_average_inventory_value``,
        ``inventory_freed`` (naive minus forecast policy: positive = freed, negative =
        needed), ``total_cost`` and ``naive_total_cost``.
    forecasts : DataFrame
        The rolling one-step forecasts used (:func:`btm.forecast.rolling_forecasts`).
    backtest : BacktestResult
        The backtest on the data before the hold-out that chose the models.
    start : pandas.Timestamp
        First replayed period.
    service_level : float
    holdout_periods : int
    """

    replay: ReplayResult
    curve: pd.DataFrame
    by_class: pd.DataFrame
    forecasts: pd.DataFrame
    backtest: BacktestResult
    start: pd.Timestamp
    service_level: float
    holdout_periods: int


# --------------------------------------------------------------------------- checks


_FREQ = Text(description="a pandas frequency such as 'W-MON'")
_PERIODS = Interval(int, 1)


@constrained(freq=_FREQ)
def periods_per_year(freq: str) -> float:
    """Number of periods in a year for a pandas frequency (weekly 52, monthly 12 ...).

    Examples
    --------
    >>> periods_per_year("W-MON"), periods_per_year("MS"), periods_per_year("D")
    (52.0, 12.0, 365.0)
    """
    try:
        offset = pd.tseries.frequencies.to_offset(freq)
    except (TypeError, ValueError):
        raise InputError(f"freq: got {freq!r}; expected a pandas frequency such as 'W-MON'"
                         ) from None
    off = pd.offsets
    n = getattr(offset, "n", 1) or 1
    table = [(off.Week, 52.0), ((off.MonthEnd, off.MonthBegin), 12.0),
             ((off.QuarterEnd, off.QuarterBegin), 4.0), ((off.YearEnd, off.YearBegin), 1.0),
             (off.BusinessDay, 260.0), (off.Day, 365.0), (off.Hour, 8760.0)]
    for kind, per_year in table:
        if isinstance(offset, kind):
            return per_year / n
    raise InputError(f"freq: got {freq!r}; expected a weekly, monthly, quarterly, yearly, "
                     "daily or hourly frequency")


def _sku_filter(sku_filter: Any) -> list[str] | None:
    if sku_filter is None:
        return None
    if isinstance(sku_filter, str):
        ids = [s.strip() for s in sku_filter.split(",") if s.strip()]
        return ids or None
    if isinstance(sku_filter, Sequence | pd.Index | pd.Series | np.ndarray):
        ids = [str(s).strip() for s in sku_filter]
        if not ids:
            return None
        return ids
    raise InputError(f"sku_filter: got {sku_filter!r}; expected a list of SKU ids or a "
                     "comma-separated text such as 'SKU-001, SKU-002'")


def _inputs(history: Any, skus: Any, sku_filter: Any, *, fill_gaps: bool, freq: str | None,
            source: str = "history", skus_source: str = "skus"
            ) -> tuple[pd.DataFrame, pd.DataFrame, pd.Index]:
    """Validated history and SKU master restricted to the chosen SKUs, in the same order.

    The third value lists the SKUs of the master that have no history (they are not
    planned); empty when ``sku_filter`` chooses the SKUs.
    """
    df = validate_history(history, fill_gaps=fill_gaps, freq=freq, source=source)
    master = validate.frame(skus, SKU_COLUMNS, source=skus_source)
    dup = master["unique_id"].duplicated().to_numpy()
    if dup.any():
        row = int(np.flatnonzero(dup)[0]) + 1
        raise InputError(f"{skus_source}, row {row}, column 'unique_id': "
                         f"{master['unique_id'].iloc[row - 1]!r}"
                         " appears twice; expected one row per SKU")
    _check_positive_costs(master, skus_source)
    known = pd.Index(df["unique_id"].unique())
    wanted = _sku_filter(sku_filter)
    if wanted is not None:
        unknown = pd.Index(wanted).difference(known)
        if len(unknown):
            raise InputError(f"sku_filter: SKU {unknown[0]!r} is not in {source}; expected "
                             f"ids such as {', '.join(repr(k) for k in known[:3])}")
        df = df.loc[df["unique_id"].isin(wanted)].reset_index(drop=True).pipe(
            _keep_attrs, df)
    ids = pd.Index(sorted(df["unique_id"].unique()), name="unique_id")
    missing = ids.difference(pd.Index(master["unique_id"]))
    if len(missing):
        raise InputError(f"{skus_source}: SKU {missing[0]!r} of {source} has no row; expected a row "
                         "for every SKU in the history (unit_cost, lead_time_weeks, ...)")
    unplanned = pd.Index([], dtype=object, name="unique_id")
    if wanted is None:
        unplanned = pd.Index(master["unique_id"], name="unique_id").difference(known, sort=False)
    master = master.set_index("unique_id").loc[ids].reset_index()
    _check_common_end(df, source)
    return df, master, unplanned


#: Columns of the SKU master that must be above 0, with why (EOQ and holding cost need them).
_POSITIVE_COSTS = {"unit_cost": "a unit cost", "holding_cost_rate": "a holding cost rate"}


def _check_positive_costs(master: pd.DataFrame, source: str) -> None:
    """InputError naming file, row, SKU and column of a unit cost or holding rate of 0.

    ``SKU_COLUMNS`` already refuses negative values; 0 would give no EOQ (division by a
    holding cost of 0), lots of ``min_order`` and an inventory worth nothing, silently.
    """
    for col, what in _POSITIVE_COSTS.items():
        bad = np.flatnonzero(master[col].to_numpy(dtype=float) <= 0)
        if len(bad):
            i = int(bad[0])
            raise InputError(
                f"{source}, row {i + 1} (SKU {master['unique_id'].iloc[i]!r}), column {col!r}: "
                f"got {master[col].iloc[i]:g}; expected {what} above 0: EOQ and holding cost "
                "need it")


def _check_common_end(df: pd.DataFrame, source: str) -> None:
    """Every SKU's history ends in the same period, or InputError naming one that does not.

    The plan forecasts and orders from one common last period and the replay holds out the
    same last periods of every SKU (:func:`btm.inventory.replenishment_plan` and
    :func:`btm.forecast.rolling_forecasts` need it). The reference is the last period most
    SKUs share (the latest one on a tie), so the SKU blamed is the odd one out.
    """
    last = df.groupby("unique_id", sort=True)["ds"].max()
    ends = last.value_counts()
    if len(ends) <= 1:
        return
    top = ends[ends == ends.max()].index.max()
    odd = last[last != top]
    n_top, n = int(ends[top]), len(last)
    uid, end = odd.index[0], odd.iloc[0]
    if n_top == n - 1:
        others = "the other SKU runs" if n_top == 1 else f"the other {n_top} SKUs run"
    else:
        others = f"{n_top} of the {n} SKUs run"
    more = ""
    if len(odd) > 1:
        names = ", ".join(repr(u) for u in odd.index[1:4]) + (", ..." if len(odd) > 4 else "")
        more = (f" ({len(odd) - 1} more SKU{'s' if len(odd) > 2 else ''} end elsewhere too: "
                f"{names})")
    fix = ("add its missing periods (y = 0 where nothing was sold)" if end < top
           else f"drop its periods after {top.date()}")
    raise InputError(
        f"{source}, unique_id {uid!r}: its history ends at {end.date()} while {others} "
        f"to {top.date()}{more}; expected every SKU to end in the same period, since the plan and "
        f"the replay start from one common last period: {fix}, or leave it out with "
        "sku_filter")


def _keep_attrs(part: pd.DataFrame, whole: pd.DataFrame) -> pd.DataFrame:
    part.attrs.update(whole.attrs)
    return part


def _lead_periods(master: pd.DataFrame, ppy: float) -> np.ndarray:
    """Lead time in periods: weeks as they are for weekly data, else rounded up to whole periods."""
    weeks = master["lead_time_weeks"].to_numpy(dtype=float)
    if ppy == 52.0:
        return weeks.astype(np.int64)
    return np.ceil(weeks * ppy / 52.0 - 1e-9).astype(np.int64)


def _wide_forecast(fc: pd.DataFrame, ids: pd.Index, horizon: int) -> np.ndarray:
    """(n_skus, horizon) matrix of point forecasts, SKUs in the order of `ids`."""
    fc = fc.sort_values(["unique_id", "ds"], kind="stable")
    mat = fc["forecast"].to_numpy(dtype=float).reshape(-1, horizon)
    order = pd.Index(fc["unique_id"].to_numpy()[::horizon]).get_indexer(ids)
    return mat[order]


def _sum_ahead(mat: np.ndarray, periods: np.ndarray) -> np.ndarray:
    """Sum of the first `periods` forecasts of each row; the last one repeats beyond the end."""
    n, h = mat.shape
    extra = int(max(periods.max(initial=0) - h, 0))
    ext = np.concatenate([mat, np.repeat(mat[:, -1:], extra, axis=1)], axis=1)
    csum = np.concatenate([np.zeros((n, 1)), np.cumsum(ext, axis=1)], axis=1)
    return csum[np.arange(n), periods]


def _round_lot(qty: np.ndarray, min_order: np.ndarray, pack: np.ndarray) -> np.ndarray:
    """Raise to the minimum order, round up to whole packs (pack 0 = no rounding)."""
    q = np.maximum(qty, min_order)
    safe = np.where(pack > 0, pack, 1.0)
    return np.where(pack > 0, np.ceil(q / safe - 1e-9) * safe, q)


# --------------------------------------------------------------------------- plan


@constrained(horizon=_PERIODS, service_level=Probability(), review_period=_PERIODS,
             season_length=NoneOr(_PERIODS), n_windows=Interval(int, 2),
             error_periods=Interval(int, 8), freq=NoneOr(_FREQ), fill_gaps=Boolean(),
             n_jobs=validate.Jobs(), level=Percentages(), source=Text(),
             skus_source=Text())
def plan(
    history: pd.DataFrame,
    skus: pd.DataFrame,
    *,
    horizon: int,
    service_level: float,
    review_period: int = 1,
    season_length: int | None = None,
    n_windows: int = 2,
    models: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
    sku_filter: Sequence[str] | str | None = None,
    error_periods: int = 52,
    level: Sequence[float] = (80, 95),
    freq: str | None = None,
    fill_gaps: bool = False,
    n_jobs: int = 1,
    source: str = "history",
    skus_source: str = "skus",
) -> JITPlan:
    """Forecast every SKU and set its stock levels, lots and orders for a target service level.

    See the module docstring for each step and why intermittent and lumpy SKUs get an
    empirical safety stock.

    Parameters
    ----------
    history : pandas.DataFrame
        Demand in long format (``unique_id``, ``ds``, ``y``); not modified.
    skus : pandas.DataFrame
        SKU master (:data:`SKU_COLUMNS`): ``unique_id``, ``unit_cost``, ``lead_time_weeks``,
        ``order_cost``, ``holding_cost_rate`` (per year), optional ``pack_size``,
        ``min_order``, ``on_hand``, ``on_order``. Every SKU of the history needs a row; SKUs
        of ``skus`` with no history are not planned and are listed in
        ``JITPlan.skus_without_history``. ``unit_cost`` and ``holding_cost_rate`` must be
        above 0, ``pack_size`` a whole number of at least 1.

        Lead times are rounded **up** to whole periods of the history: weekly history uses
        ``lead_time_weeks`` as it is; monthly history uses ``ceil(lead_time_weeks * 12 / 52)``
        months (1 to 4 weeks is 1 month, 5 weeks is 2; other frequencies alike; the reorder point, the
        order-up-to level and the orders sum whole periods of forecast, and the safety stock
        covers the same ``L + R`` periods). The policy shows both ``lead_time_weeks`` and the
        ``lead_time`` in periods used; a short lead time on monthly data thus plans for up to
        a month more than it takes.
    horizon : int
        Periods to forecast and plan orders for (>= 1).
    service_level : float
        Target cycle service level, strictly between 0 and 1 (probability of no stockout
        in a replenishment cycle).
    review_period : int
        Periods between reviews R (>= 1; 1 = order every period if needed).
    season_length, n_windows, models, level, freq, fill_gaps, n_jobs
        As in :func:`btm.forecast.backtest` and :func:`btm.forecast.forecast`.
    sku_filter : list of str or comma-separated str, optional
        Plan only these SKUs (each must be in the history); empty = all.
    error_periods : int
        Periods of rolling one-step forecasts behind the safety stock: their RMSE is the
        normal route's ``sigma``, their lead-time errors the empirical route's sample
        (>= 8; shortened to leave every SKU 10 periods before them).
    source, skus_source : str
        Names of the history and the SKU master in error messages, such as their file names
        (``"demand.csv, row 10 ..."``).

    Returns
    -------
    JITPlan

    Raises
    ------
    InputError
        Bad history or SKU master (row and column named), a SKU of the history missing from
        ``skus``, an unknown SKU in ``sku_filter``, a SKU whose history ends in another period
        than the others' (named, with both dates: the forecast and the orders start from one
        common last period), a SKU too short to backtest, a service level outside (0, 1), a
        bad horizon, review period or backtest setting. Every message about the history
        starts with ``source``.

    Examples
    --------
    >>> import pandas as pd
    >>> ds = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    >>> h = pd.DataFrame({"unique_id": "A", "ds": ds, "y": 10.0})
    >>> skus = pd.DataFrame({"unique_id": ["A"], "unit_cost": [5.0], "lead_time_weeks": [2],
    ...                      "order_cost": [20.0], "holding_cost_rate": [0.2]})
    >>> p = plan(h, skus, horizon=4, service_level=0.9, models=["Naive"])
    >>> p.policy[["safety_stock", "reorder_point", "order_up_to", "eoq"]].round(1)
       safety_stock  reorder_point  order_up_to    eoq
    0           0.0           20.0         30.0  144.2
    """
    sl, rp, h, ep = service_level, review_period, horizon, error_periods
    df, master, unplanned = _inputs(history, skus, sku_filter, fill_gaps=fill_gaps, freq=freq,
                                    source=source, skus_source=skus_source)
    f = df.attrs["freq"]
    ppy = periods_per_year(f)
    bt = backtest(df, horizon=h, n_windows=n_windows, season_length=season_length, freq=f,
                  models=models, n_jobs=n_jobs, source=source)
    fc = forecast(df, h, level=level, backtest_result=bt, n_jobs=n_jobs, source=source)
    classes = classify_demand(df, freq=f)

    ids = pd.Index(master["unique_id"].to_numpy(), name="unique_id")
    chosen = bt.chosen.set_index("unique_id").loc[ids]
    demand_class = chosen["demand_class"].to_numpy()
    lead = _lead_periods(master, ppy)
    cover = lead + rp
    mat = _wide_forecast(fc, ids, h)
    mean_fc = mat.mean(axis=1)

    # one-step errors of rolling forecasts over the last error_periods, for every SKU: the
    # normal route's sigma and the empirical route's lead-time errors both come from them
    sub, rolling = _rolling_one_step(df, bt, ids, error_periods=ep, n_jobs=n_jobs,
                                     source=source)
    sigma = _one_step_rmse(sub, rolling, ids)
    # safety stock: normal route for every SKU, empirical route replaces it where it applies
    ss = np.maximum(safety_stock(sl, sigma, cover.astype(float)), 0.0)
    empirical = np.isin(demand_class, EMPIRICAL_CLASSES)
    if empirical.any():
        ss[empirical] = _empirical_safety_stock(sub, rolling, ids[empirical],
                                                cover[empirical], sl=sl)
    reorder = _sum_ahead(mat, lead) + ss
    cover_fc = _sum_ahead(mat, cover)  # forecast over the L + R periods of the cover
    up_to = cover_fc + ss

    unit_cost = master["unit_cost"].to_numpy(dtype=float)
    holding = master["holding_cost_rate"].to_numpy(dtype=float) * unit_cost
    annual = mean_fc * ppy
    lot_eoq = np.where(holding > 0, eoq(annual, master["order_cost"].to_numpy(dtype=float),
                                        np.where(holding > 0, holding, 1.0)), np.nan)
    pack = master["pack_size"].to_numpy(dtype=float)
    min_order = master["min_order"].to_numpy(dtype=float)
    lot = _round_lot(np.nan_to_num(lot_eoq, nan=0.0), min_order, pack)
    container = np.where(lot > 0, lot, np.where(pack > 0, pack, 1.0))
    # containers cover the order-up-to level: D * L * (1 + alpha) with D the forecast per
    # period over the cover (not the horizon's mean: seasons differ) and alpha = ss / (D * L);
    # a cover with no forecast demand counts the safety stock as its demand
    has_fc = cover_fc > 0
    rate = np.where(has_fc, cover_fc, ss) / cover
    alpha = np.where(has_fc, ss / np.where(has_fc, cover_fc, 1.0), 0.0)
    kanban = kanban_containers(rate, cover.astype(float), container, safety_factor=alpha)
    typical = _round_lot(mean_fc * rp, min_order, pack)
    avg_inv = ss + typical / 2.0

    given = master["on_hand"].to_numpy(dtype=float)
    assumed = np.isnan(given)
    on_hand = np.where(assumed, np.ceil(reorder - 1e-9), given)
    pol_plan = pd.DataFrame({
        "unique_id": ids.to_numpy(), "on_hand": on_hand,
        "on_order": master["on_order"].to_numpy(dtype=float), "lead_time": lead,
        "review_period": rp, "policy": "periodic", "safety_stock": ss,
        "min_order": min_order, "pack_size": pack,
    })
    orders = replenishment_plan(fc[["unique_id", "ds", "forecast"]], pol_plan, freq=f)
    orders = orders.assign(order_value=orders["quantity"].to_numpy()
                           * pd.Series(unit_cost, index=ids).reindex(orders["unique_id"])
                           .to_numpy())
    first = orders.drop_duplicates("unique_id").set_index("unique_id").reindex(ids)

    policy = pd.DataFrame({
        "unique_id": ids.to_numpy(),
        "demand_class": demand_class,
        "model": chosen["model"].to_numpy(),
        "lead_time_weeks": master["lead_time_weeks"].to_numpy(),
        "lead_time": lead,
        "review_period": rp,
        "service_level": sl,
        "forecast_per_period": mean_fc,
        "forecast_error_std": sigma,
        "safety_stock_method": np.where(empirical, "empirical", "normal"),
        "safety_stock": ss,
        "reorder_point": reorder,
        "order_up_to": up_to,
        "annual_demand": annual,
        "eoq": lot_eoq,
        "order_lot": lot,
        "kanban_containers": np.asarray(kanban, dtype=np.int64),
        "pack_size": pack,
        "min_order": min_order,
        "on_hand": on_hand,
        "on_order": master["on_order"].to_numpy(dtype=float),
        "on_hand_assumed": assumed,
        "unit_cost": unit_cost,
        "safety_stock_value": ss * unit_cost,
        "average_inventory": avg_inv,
        "average_inventory_value": avg_inv * unit_cost,
        "next_order_ds": first["order_ds"].to_numpy(),
        "next_order_quantity": first["quantity"].fillna(0.0).to_numpy(),
    })
    extra = [c for c in master.columns if c not in {col.name for col in SKU_COLUMNS}]
    for c in extra:
        policy[c] = master[c].to_numpy()
    summary = _plan_summary(policy, orders)
    settings = {"n_windows": n_windows, "season_length": season_length, "models": models,
                "error_periods": ep, "fill_gaps": fill_gaps}
    return JITPlan(classes=classes, backtest=bt, forecast=fc, policy=policy, orders=orders,
                   summary=summary, service_level=sl, review_period=rp, horizon=h,
                   periods_per_year=ppy, freq=f, settings=settings,
                   skus_without_history=unplanned)


def _rolling_one_step(df: pd.DataFrame, bt: BacktestResult, ids: pd.Index, *,
                      error_periods: int, n_jobs: int, source: str
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The history of `ids` and its rolling one-step forecasts over the last `error_periods`.

    The window is shortened to leave every SKU ten periods to start from.
    """
    sub = df.loc[df["unique_id"].isin(ids)].reset_index(drop=True).pipe(_keep_attrs, df)
    dates = pd.DatetimeIndex(sorted(sub["ds"].unique()))
    shortest = int(sub.groupby("unique_id").size().min())
    periods = max(1, min(error_periods, shortest - 10))
    sub_bt = dataclasses.replace(bt, chosen=bt.chosen.loc[bt.chosen["unique_id"].isin(ids)]
                                 .reset_index(drop=True))
    rolling = rolling_forecasts(sub, start=dates[-periods], backtest_result=sub_bt,
                                freq=df.attrs["freq"], n_jobs=n_jobs, source=source)
    return sub, rolling


def _one_step_rmse(history: pd.DataFrame, rolling: pd.DataFrame, ids: pd.Index) -> np.ndarray:
    """Per SKU, root mean squared error of the rolling one-step forecasts (sigma per period)."""
    actual = rolling[["unique_id", "ds"]].merge(history[["unique_id", "ds", "y"]],
                                                on=["unique_id", "ds"], how="left")
    sq = (actual["y"].to_numpy(dtype=float) - rolling["forecast"].to_numpy(dtype=float)) ** 2
    mse = pd.Series(sq).groupby(rolling["unique_id"].to_numpy(), sort=False).mean()
    return np.sqrt(mse.reindex(ids).fillna(0.0).to_numpy(dtype=float))


def _empirical_safety_stock(history: pd.DataFrame, rolling: pd.DataFrame, ids: pd.Index,
                            cover: np.ndarray, *, sl: float) -> np.ndarray:
    """Service-level quantile of lead-time (L + R) forecast errors of rolling forecasts."""
    sub = history.loc[history["unique_id"].isin(ids)].pipe(_keep_attrs, history)
    roll = rolling.loc[rolling["unique_id"].isin(ids)]
    lt = pd.Series(cover, index=ids)
    errors = lead_time_forecast_errors(sub, roll, lt)
    # an SKU whose cover is longer than the error window has no sample: fall back to 0 errors
    have = pd.Index(errors["unique_id"].unique())
    lacking = ids.difference(have)
    if len(lacking):
        errors = pd.concat([errors, pd.DataFrame({"unique_id": lacking.to_numpy(),
                                                  "error": 0.0})], ignore_index=True)
    ss: Any = empirical_safety_stock(errors[["unique_id", "error"]], sl)  # a Series here
    return ss.reindex(ids).to_numpy(dtype=float)


def _plan_summary(policy: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    order_value = orders.groupby("unique_id")["order_value"].sum()
    p = policy.assign(
        annual_demand_value=policy["annual_demand"] * policy["unit_cost"],
        order_value=order_value.reindex(policy["unique_id"]).fillna(0.0).to_numpy(),
    )
    cols = ["safety_stock_value", "average_inventory_value", "annual_demand_value",
            "order_value"]
    g = p.groupby("demand_class", sort=False)
    by = g[cols].sum().assign(n_skus=g.size())
    order = [c for c in ("smooth", "erratic", "intermittent", "lumpy", "no_demand")
             if c in by.index]
    by = by.loc[order]
    total = pd.DataFrame([{**p[cols].sum().to_dict(), "n_skus": len(p)}], index=["all"])
    out = pd.concat([by, total]).rename_axis("demand_class").reset_index()
    out["n_skus"] = out["n_skus"].astype(np.int64)
    return out[["demand_class", "n_skus", *cols]]


# --------------------------------------------------------------------------- replay


_PARAM_NAMES = ("horizon", "service_level", "review_period", "season_length", "n_windows",
                "models", "sku_filter", "freq", "fill_gaps", "n_jobs", "error_periods")


def _replay_params(plan_or_params: Any) -> dict[str, Any]:
    if isinstance(plan_or_params, JITPlan):
        p = plan_or_params
        return {"horizon": p.horizon, "service_level": p.service_level,
                "review_period": p.review_period, "season_length": p.settings.get("season_length"),
                "n_windows": p.settings.get("n_windows", 2), "models": p.settings.get("models"),
                "sku_filter": list(p.policy["unique_id"]), "freq": p.freq,
                "fill_gaps": p.settings.get("fill_gaps", False),
                "error_periods": p.settings.get("error_periods", 52)}
    if isinstance(plan_or_params, Mapping):
        unknown = [k for k in plan_or_params if k not in _PARAM_NAMES]
        if unknown:
            raise InputError(f"plan_or_params: unknown setting {unknown[0]!r}; expected some of "
                             + ", ".join(_PARAM_NAMES))
        if "service_level" not in plan_or_params:
            raise InputError("plan_or_params: no 'service_level'; expected a JITPlan or a dict "
                             "with at least service_level")
        return {"horizon": 12, "review_period": 1, "n_windows": 2, "error_periods": 52,
                **plan_or_params}
    raise InputError(f"plan_or_params: got {type(plan_or_params).__name__}; expected the "
                     "JITPlan of btm.jit.plan or a dict such as {'service_level': 0.95}")


@constrained(holdout_periods=_PERIODS, service_levels=ListOf(Probability()),
             shortage=Options(("lost_sales", "backorders")),
             naive=NoneOr(Options(("historical", "last_period"))), source=Text(),
             skus_source=Text())
def replay_policy(
    history: pd.DataFrame,
    skus: pd.DataFrame,
    plan_or_params: JITPlan | Mapping[str, Any],
    *,
    holdout_periods: int = 52,
    service_levels: Sequence[float] = _DEFAULT_LEVELS,
    shortage: str = "lost_sales",
    naive: str = "historical",
    source: str = "history",
    skus_source: str = "skus",
) -> ReplayOutcome:
    """Replay the forecast-driven policy on the last `holdout_periods` of the history.

    Nothing from the hold-out is used to decide: the models are chosen by a backtest on the
    data before it, the forecasts are rolling one-step forecasts made with the data up to the
    period before each period (:func:`btm.forecast.rolling_forecasts`), and the forecast
    standard deviation comes from earlier errors only. The policy is the order-up-to policy of
    :func:`btm.replay.replay` with each SKU's lead time, review period, costs, minimum order
    and pack size (:func:`btm.replay.policy_from_skus`), compared with the naive policy that
    orders from the mean and spread of demand before the hold-out (``naive="historical"``).

    Safety stock follows the two routes of :func:`plan`, both causal:

    * smooth and erratic SKUs: the normal rule of :mod:`btm.replay`,
      ``z * forecast_std * sqrt(L + R)`` with ``forecast_std`` from earlier rolling one-step
      errors;
    * intermittent and lumpy SKUs (classes of the backtest before the hold-out): at each
      replayed period ``t`` the ``service_level`` quantile (floored at 0) of the lead-time
      errors ``demand over L + R periods from origin o - (L + R) * one-step forecast at o``
      of every origin whose window has ended before ``t`` (``o + L + R <= t``): an expanding
      window that starts with the rolling one-step forecasts of the ``error_periods``
      periods before the hold-out (fewer when the history is short). While no error has been
      observed yet the normal rule is used. It is passed to the replay as the ``safety_stock``
      column of the forecasts (:func:`btm.replay.replay`) and, per target level, to the
      trade-off curve, which therefore tests the same rule at every level.

    Parameters
    ----------
    history, skus : pandas.DataFrame
        As in :func:`plan`.
    plan_or_params : JITPlan or dict
        A plan (its service level, review period, horizon, backtest settings and SKUs are
        used) or a dict of the same settings (``service_level`` required; ``horizon``,
        ``review_period``, ``season_length``, ``n_windows``, ``models``, ``sku_filter``,
        ``freq``, ``fill_gaps``, ``n_jobs``, ``error_periods`` (warm-up of the empirical
        safety stock, >= 8, default 52) optional).
    holdout_periods : int
        Periods at the end of the history to replay (>= 1).
    service_levels : sequence of float
        Target levels of the trade-off curve, each strictly between 0 and 1.
    shortage, naive : str
        As in :func:`btm.replay.replay`.
    source, skus_source : str
        As in :func:`plan`.

    Returns
    -------
    ReplayOutcome

    Raises
    ------
    InputError
        As in :func:`plan`; a hold-out that leaves too little history before it, or a SKU whose
        history starts inside the hold-out (nothing to choose its model on).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(3)
    >>> ds = pd.date_range("2024-01-01", periods=60, freq="W-MON")
    >>> h = pd.DataFrame({"unique_id": "A", "ds": ds, "y": rng.poisson(30, 60)})
    >>> skus = pd.DataFrame({"unique_id": ["A"], "unit_cost": [5.0], "lead_time_weeks": [1],
    ...                      "order_cost": [20.0], "holding_cost_rate": [0.2]})
    >>> out = replay_policy(h, skus, {"service_level": 0.9, "horizon": 4},
    ...                     holdout_periods=12, service_levels=[0.9])
    >>> out.replay.overall["policy"].tolist(), len(out.forecasts)
    (['forecast', 'naive'], 12)
    """
    params = _replay_params(plan_or_params)
    sl = validate.probability(params["service_level"], "service_level")
    rp = validate.integer(params.get("review_period", 1), "review_period", min=1)
    hold = holdout_periods
    df, master, _ = _inputs(history, skus, params.get("sku_filter"),
                            fill_gaps=params.get("fill_gaps", False),
                            freq=params.get("freq"), source=source, skus_source=skus_source)
    f = df.attrs["freq"]
    ppy = periods_per_year(f)
    dates = pd.DatetimeIndex(sorted(df["ds"].unique()))
    if hold >= len(dates) - 2:
        raise InputError(f"holdout_periods: got {hold} of {len(dates)} periods; expected fewer, "
                         "to leave history before the hold-out to choose models on")
    start = dates[-hold]
    n_jobs = params.get("n_jobs", 1)
    first = df.groupby("unique_id", sort=True)["ds"].min()
    late = first[first >= start]
    if len(late):
        raise InputError(
            f"{source}, unique_id {late.index[0]!r}: its history starts at "
            f"{late.iloc[0].date()}, inside the hold-out of the last {hold} periods (from "
            f"{start.date()}); expected history before the hold-out to choose its model on: "
            "a shorter holdout_periods, or leave it out with sku_filter")
    # the history before the hold-out is what the models are chosen on: its errors say so
    before = (f"{source} before the hold-out ({len(dates) - hold} of {len(dates)} periods, "
              f"holdout_periods={hold})")
    try:
        bt = backtest(df.loc[df["ds"] < start].pipe(_keep_attrs, df),
                      horizon=params.get("horizon", 12), n_windows=params.get("n_windows", 2),
                      season_length=params.get("season_length"), freq=f,
                      models=params.get("models"), n_jobs=n_jobs, source=before)
    except InputError as e:
        raise InputError(f"{e}, or a shorter holdout_periods") from None
    rolling = rolling_forecasts(df, start=start, backtest_result=bt, freq=f, n_jobs=n_jobs,
                                source=source)
    policy = policy_from_skus(master, service_level=sl, periods_per_year=ppy, review_period=rp)
    policy = policy.assign(lead_time=_lead_periods(master, ppy))
    levels = list(service_levels)
    ep = validate.integer(params.get("error_periods", 52), "error_periods", min=8)
    ss_long = _replay_safety_stocks(df, bt, rolling, policy, start=start,
                                    levels=list(dict.fromkeys([sl, *levels])),
                                    error_periods=ep, n_jobs=n_jobs, source=source)
    at_sl = ss_long.loc[ss_long["service_level"] == sl]
    rolling = rolling.merge(at_sl[["unique_id", "ds", "safety_stock"]],
                            on=["unique_id", "ds"], how="left")
    result = replay(df, rolling, policy, start=start, shortage=cast(Any, shortage),
                    naive=cast(Any, naive), periods_per_year=ppy)
    curve = tradeoff_curve(df, rolling.drop(columns="safety_stock"), policy,
                           service_levels=levels, start=start, shortage=cast(Any, shortage),
                           naive=cast(Any, naive), periods_per_year=ppy,
                           safety_stocks=ss_long)
    by_class = _replay_by_class(result, bt.chosen[["unique_id", "demand_class"]])
    return ReplayOutcome(replay=result, curve=curve, by_class=by_class, forecasts=rolling,
                         backtest=bt, start=start, service_level=sl, holdout_periods=hold)


def _replay_safety_stocks(df: pd.DataFrame, bt: BacktestResult, rolling: pd.DataFrame,
                          policy: pd.DataFrame, *, start: pd.Timestamp, levels: Sequence[float],
                          error_periods: int, n_jobs: int, source: str = "history"
                          ) -> pd.DataFrame:
    """Causal empirical safety stock of the intermittent and lumpy SKUs in the replay.

    Returns ``unique_id``, ``ds``, ``service_level``, ``safety_stock`` (NaN = normal rule)
    for every such SKU, replayed period and level; no rows when there is no such SKU.
    """
    classes = bt.chosen.set_index("unique_id")["demand_class"]
    ids = pd.Index(policy["unique_id"].to_numpy(), name="unique_id")
    emp = ids[np.isin(classes.reindex(ids).to_numpy(), EMPIRICAL_CLASSES)]
    if len(emp) == 0:
        return pd.DataFrame({"unique_id": pd.Series(dtype=object),
                             "ds": pd.Series(dtype="datetime64[ns]"),
                             "service_level": pd.Series(dtype=float),
                             "safety_stock": pd.Series(dtype=float)})
    sub = df.loc[df["unique_id"].isin(emp)].reset_index(drop=True).pipe(_keep_attrs, df)
    pre = sub.loc[sub["ds"] < start].reset_index(drop=True).pipe(_keep_attrs, df)
    pre_dates = pd.DatetimeIndex(sorted(pre["ds"].unique()))
    shortest = int(pre.groupby("unique_id").size().min())
    # rolling_forecasts needs 8 periods of training data before its first origin
    warm = int(min(error_periods, shortest - 8, len(pre_dates) - 1))
    parts = [rolling.loc[rolling["unique_id"].isin(emp), ["unique_id", "ds", "forecast"]]]
    if warm >= 1:
        sub_bt = dataclasses.replace(bt, chosen=bt.chosen.loc[bt.chosen["unique_id"].isin(emp)]
                                     .reset_index(drop=True))
        parts.append(rolling_forecasts(pre, start=pre_dates[-warm], backtest_result=sub_bt,
                                       freq=df.attrs["freq"], n_jobs=n_jobs, source=source)
                     [["unique_id", "ds", "forecast"]])
    fc = pd.concat(parts, ignore_index=True)
    all_dates = pd.DatetimeIndex(sorted(sub["ds"].unique()))
    dates = all_dates[all_dates >= (pre_dates[-warm] if warm >= 1 else start)]
    first = int(dates.get_loc(start))

    def wide(frame: pd.DataFrame, value: str) -> np.ndarray:
        out = np.full((len(emp), len(dates)), np.nan)
        r, c = emp.get_indexer(frame["unique_id"]), dates.get_indexer(frame["ds"])
        keep = (r >= 0) & (c >= 0)
        out[r[keep], c[keep]] = frame[value].to_numpy(dtype=float)[keep]
        return out

    pol = policy.set_index("unique_id").loc[emp]
    cover = (pol["lead_time"] + pol["review_period"]).to_numpy(dtype=np.int64)
    ss = _causal_empirical_safety_stock(wide(sub, "y"), wide(fc, "forecast"), cover,
                                        np.asarray(levels, dtype=float), first=first)
    k, n, T = ss.shape
    return pd.DataFrame({
        "unique_id": np.tile(np.repeat(emp.to_numpy(), T), k),
        "ds": np.tile(dates[first:].to_numpy(), k * n),
        "service_level": np.repeat(np.asarray(levels, dtype=float), n * T),
        "safety_stock": ss.ravel(),
    })


def _causal_empirical_safety_stock(demand: np.ndarray, forecast: np.ndarray,
                                   cover: np.ndarray, levels: np.ndarray, *, first: int
                                   ) -> np.ndarray:
    """Expanding-window empirical safety stock per level, SKU and period from `first` on.

    ``demand`` and ``forecast`` are ``(n, P)`` on one grid of periods (``forecast[:, o]`` the
    one-step forecast for period ``o``, NaN = none); ``cover`` the ``L + R`` periods per SKU.
    The error at origin ``o`` is ``demand[o:o + c].sum() - c * forecast[o]``; at period
    ``a >= first`` the safety stock is the ``levels`` quantiles (numpy "linear") of the errors
    of origins with ``o + c <= a``, floored at 0; NaN where there is none. Returns
    ``(len(levels), n, P - first)``. Loops over periods only.
    """
    n, P = demand.shape
    rows = np.arange(n)[:, None]
    origin = np.arange(P)[None, :]
    end = origin + cover[:, None]
    inside = end <= P
    csum = np.concatenate([np.zeros((n, 1)), np.nancumsum(demand, axis=1)], axis=1)
    gaps = np.concatenate([np.zeros((n, 1)), np.cumsum(np.isnan(demand), axis=1)], axis=1)
    stop = np.minimum(end, P)
    total = csum[rows, stop] - csum[rows, origin]
    complete = (gaps[rows, stop] - gaps[rows, origin]) == 0
    errors = np.where(inside & complete, total - cover[:, None] * forecast, np.nan)
    out = np.full((len(levels), n, P - first), np.nan)
    for a in range(first, P):
        seen = np.where(end <= a, errors, np.nan)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            q = np.nanquantile(seen, levels, axis=1)
        out[:, :, a - first] = np.maximum(q, 0.0)
    return out


def _replay_by_class(result: ReplayResult, classes: pd.DataFrame) -> pd.DataFrame:
    s = result.summary.merge(classes, on="unique_id", how="left")
    cols = ["demand", "filled", "average_inventory_value", "total_cost"]
    g = s.groupby(["demand_class", "policy"], sort=False)[cols].sum()
    total = s.groupby("policy", sort=False)[cols].sum()
    total.index = pd.MultiIndex.from_product([["all"], total.index],
                                             names=["demand_class", "policy"])
    t = pd.concat([g, total])
    wide = t.unstack("policy")
    n = s.loc[s["policy"] == "forecast"].groupby("demand_class").size()
    order = [c for c in ("smooth", "erratic", "intermittent", "lumpy", "no_demand")
             if c in wide.index] + ["all"]
    wide = wide.loc[order]

    def col(measure: str, policy: str) -> np.ndarray:
        key = (measure, policy)
        return wide[key].to_numpy(dtype=float) if key in wide.columns else np.full(len(wide), np.nan)

    def rate(policy: str) -> np.ndarray:
        d = col("demand", policy)
        return np.where(d > 0, col("filled", policy) / np.where(d > 0, d, 1.0), 1.0)

    out = pd.DataFrame({
        "demand_class": wide.index.to_numpy(),
        "n_skus": [int(n.get(c, 0)) if c != "all" else int(n.sum()) for c in wide.index],
        "fill_rate": rate("forecast"),
        "naive_fill_rate": rate("naive"),
        "average_inventory_value": col("average_inventory_value", "forecast"),
        "naive_average_inventory_value": col("average_inventory_value", "naive"),
        "total_cost": col("total_cost", "forecast"),
        "naive_total_cost": col("total_cost", "naive"),
    })
    out.insert(6, "inventory_freed",
               out["naive_average_inventory_value"] - out["average_inventory_value"])
    return out


# --------------------------------------------------------------------------- views


def accuracy_by_class(
    backtest_result: BacktestResult,
    *,
    benchmarks: Sequence[str] = ("SeasonalNaive", "CrostonClassic"),
) -> pd.DataFrame:
    """Mean MASE per demand class of the per-SKU choice and of benchmark methods.

    Parameters
    ----------
    backtest_result : BacktestResult
        From :func:`btm.forecast.backtest` (e.g. ``JITPlan.backtest``).
    benchmarks : sequence of str
        Models to show next to the choice where they were scored (``SeasonalNaive`` is
        scored for smooth and erratic SKUs, the Croston family for intermittent and lumpy).

    Returns
    -------
    DataFrame
        ``demand_class``, ``model`` (``"chosen per SKU"`` or a benchmark), ``mase`` (mean over
        the SKUs with a finite MASE) and ``n_skus``; classes in Syntetos–Boylan order. Plot
        with :func:`btm.charts.accuracy_by_class`.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from btm.forecast import backtest
    >>> ds = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    >>> h = pd.DataFrame({"unique_id": "A", "ds": ds, "y": 10.0 + np.arange(40) % 3})
    >>> bt = backtest(h, horizon=4, models=["Naive", "HistoricAverage"], season_length=1)
    >>> accuracy_by_class(bt, benchmarks=["Naive"])[["model", "n_skus"]]
                model  n_skus
    0  chosen per SKU       1
    1           Naive       1
    """
    if not isinstance(backtest_result, BacktestResult):
        raise InputError(f"backtest_result: got {type(backtest_result).__name__}; expected "
                         "the BacktestResult of btm.forecast.backtest")
    if isinstance(benchmarks, str):
        benchmarks = [benchmarks]
    benchmarks = ListOf(Options(MODEL_NAMES), min_length=0).check(benchmarks, "benchmarks")
    acc = backtest_result.accuracy
    chosen = acc.merge(backtest_result.chosen[["unique_id", "model"]],
                       on=["unique_id", "model"]).assign(model="chosen per SKU")
    rows = pd.concat([chosen, acc.loc[acc["model"].isin(list(benchmarks))]], ignore_index=True)
    rows = rows.loc[np.isfinite(rows["mase"].to_numpy(dtype=float))]
    names = ["chosen per SKU", *benchmarks]
    out = (rows.groupby(["demand_class", "model"], sort=False)["mase"]
           .agg(mase="mean", n_skus="size").reset_index())
    order = {c: i for i, c in enumerate(("smooth", "erratic", "intermittent", "lumpy",
                                         "no_demand"))}
    out = out.assign(_c=out["demand_class"].map(order), _m=out["model"].map(
        {n: i for i, n in enumerate(names)}))
    out = out.sort_values(["_c", "_m"], kind="stable", ignore_index=True)
    return out[["demand_class", "model", "mase", "n_skus"]].assign(
        n_skus=out["n_skus"].astype(np.int64))


@constrained(classes=ListOf(Options(DEMAND_CLASSES), min_length=0))
def example_skus(
    plan: JITPlan, *, classes: Sequence[str] = ("smooth", "erratic", "lumpy")
) -> list[str]:
    """One SKU per demand class to show: the one with the largest annual demand at cost.

    Classes with no SKU are skipped; when none of `classes` has a SKU (say every SKU is
    intermittent, or sold nothing) the list holds the one SKU with the largest annual demand
    at cost of any class, so there is always a SKU to show unless `classes` is empty.
    Examples of use: fan charts of forecasts, a replay chart.

    Examples
    --------
    >>> import pandas as pd
    >>> ds = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    >>> h = pd.DataFrame({"unique_id": ["A"] * 40 + ["B"] * 40, "ds": list(ds) * 2,
    ...                   "y": [10.0] * 40 + [30.0] * 40})
    >>> skus = pd.DataFrame({"unique_id": ["A", "B"], "unit_cost": [5.0, 1.0],
    ...     "lead_time_weeks": [1, 1], "order_cost": [9.0, 9.0], "holding_cost_rate": [0.2, 0.2]})
    >>> example_skus(plan(h, skus, horizon=2, service_level=0.9, models=["Naive"]))
    ['A']
    """
    if not isinstance(plan, JITPlan):
        raise InputError(f"plan: got {type(plan).__name__}; expected the JITPlan of "
                         "btm.jit.plan")
    pol = plan.policy
    value = pol.assign(value=pol["annual_demand"] * pol["unit_cost"])
    ranked = value.sort_values(["value", "unique_id"], ascending=[False, True], kind="stable")
    best = ranked.drop_duplicates("demand_class").set_index("demand_class")["unique_id"]
    shown = [str(best[c]) for c in classes if c in best.index]
    if not shown and len(classes) and len(ranked):
        shown = [str(ranked["unique_id"].iloc[0])]
    return shown


@constrained(columns=ListOf(Text(), min_length=0))
def orders_due(plan: JITPlan, *, columns: Sequence[str] = ("description",)) -> pd.DataFrame:
    """The orders to place at the first review of the plan, largest value first.

    Parameters
    ----------
    plan : JITPlan
    columns : sequence of str
        Columns of ``plan.policy`` to show with each order; ``description`` is shown when
        the SKU table has one, any other name must be a column of ``plan.policy``.

    Returns
    -------
    DataFrame
        ``unique_id``, the chosen `columns`, ``demand_class``, ``order_ds``, ``arrival_ds``,
        ``quantity``, ``order_value``.

    Examples
    --------
    >>> import pandas as pd
    >>> ds = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    >>> h = pd.DataFrame({"unique_id": "A", "ds": ds, "y": 10.0})
    >>> skus = pd.DataFrame({"unique_id": ["A"], "unit_cost": [5.0], "lead_time_weeks": [1],
    ...     "order_cost": [9.0], "holding_cost_rate": [0.2], "pack_size": [4]})
    >>> orders_due(plan(h, skus, horizon=2, service_level=0.9, models=["Naive"]))[
    ...     ["unique_id", "quantity", "order_value"]]
      unique_id  quantity  order_value
    0         A      12.0         60.0
    """
    if not isinstance(plan, JITPlan):
        raise InputError(f"plan: got {type(plan).__name__}; expected the JITPlan of "
                         "btm.jit.plan")
    orders = plan.orders
    if orders.empty:
        return orders.assign(demand_class=pd.Series(dtype=object))
    due = orders.loc[orders["order_ds"] == orders["order_ds"].min()]
    unknown = [c for c in columns if c not in plan.policy.columns and c != "description"]
    if unknown:
        raise InputError(f"columns: got {unknown!r}, not columns of the plan's policy; expected "
                         f"some of {sorted(map(str, plan.policy.columns))}")
    keep = [c for c in columns if c in plan.policy.columns]
    info = plan.policy[["unique_id", *keep, "demand_class"]]
    out = due.merge(info, on="unique_id", how="left")
    out = out.sort_values(["order_value", "unique_id"], ascending=[False, True], kind="stable",
                          ignore_index=True)
    return out[["unique_id", *keep, "demand_class", "order_ds", "arrival_ds", "quantity",
                "order_value"]]
