"""Policy replay: run an inventory policy on the held-out end of the demand history.

:func:`replay` simulates, period by period and for all SKUs at once (arrays of shape
``(n_skus, n_periods)``, a loop over periods only), what would have happened had the orders
been placed with the forecasts available at the time, and compares it with a naive policy
that ignores the forecasts. :func:`tradeoff_curve` repeats that over a range of service levels
to show how much inventory each extra point of service costs.

Timing within a period ``t`` (the convention of Snyder & Shen, *Fundamentals of Supply Chain
Theory*, ch. 4, with orders placed at the start of the period):

1. **review** -- on a review period (``t`` a multiple of ``review_period``) the SKU's inventory
   position (net inventory + on order) is compared with the policy's level and an order is
   placed; it is raised to ``min_order`` and rounded up to whole ``pack_size`` packs;
2. **receive** -- orders placed ``lead_time`` periods ago arrive (with ``lead_time = 0`` the
   order placed in step 1 arrives at once);
3. **demand** -- demand is served from stock; what cannot be served is lost (``"lost_sales"``)
   or backordered and served first from later receipts (``"backorders"``);
4. **cost** -- holding cost on the end-of-period stock, ordering cost per order placed,
   shortage cost per unit lost (lost sales) or per unit on backorder at the end of the period
   (backorders).

The forecast policy orders up to ``S_t = f_t (L + R) + z sigma_t sqrt(L + R)``: ``f_t`` is the
forecast for period ``t`` made with information up to the end of ``t - 1`` (taken flat over
the protection interval of ``L + R`` periods), ``z = Phi^-1(service_level)`` and ``sigma_t``
the forecast's standard deviation per period. With an ``order_quantity`` Q > 0 the SKU follows
an (s, nQ) policy instead: when the position is below ``s_t`` (the same expression) it orders
the smallest multiple of Q that lifts it to at least ``s_t``.

Where the ``forecasts`` table carries a ``safety_stock`` column (units, per SKU and period,
known at the start of the period) and the value is not empty, it replaces the normal-formula
term ``z sigma_t sqrt(L + R)`` for that SKU and period: ``S_t = f_t (L + R) + safety_stock_t``.
That is how a non-normal rule (for example the empirical lead-time error quantile that
:func:`btm.jit.plan` uses for intermittent and lumpy SKUs) is replayed. The naive policy
always keeps the normal formula.

Examples
--------
>>> import pandas as pd
>>> from btm.replay import replay
>>> ds = pd.date_range("2026-01-05", periods=8, freq="W-MON")
>>> demand = pd.DataFrame({"unique_id": "A", "ds": ds, "y": [10, 12, 8, 10, 11, 9, 10, 12]})
>>> forecasts = pd.DataFrame({"unique_id": "A", "ds": ds[4:], "forecast": 10.0,
...                           "forecast_std": 2.0})
>>> policy = pd.DataFrame({"unique_id": ["A"], "lead_time": [1], "service_level": [0.95],
...                        "holding_cost": [0.1], "unit_cost": [5.0]})
>>> result = replay(demand, forecasts, policy)
>>> result.overall[["policy", "fill_rate", "stockout_periods"]]
     policy  fill_rate  stockout_periods
0  forecast        1.0                 0
1     naive        1.0                 0
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import special

from btm import validate
from btm.constraints import Interval, ListOf, NoneOr, Options, Probability, constrained
from btm.errors import InputError
from btm.inventory import order_quantities, to_wide, validate_demand, validate_forecasts

__all__ = ["ReplayResult", "replay", "tradeoff_curve", "policy_from_skus", "POLICY_COLUMNS"]

#: Columns of the ``policy`` table (one row per SKU). Costs are in one currency.
POLICY_COLUMNS: tuple[validate.Column, ...] = (
    validate.Column("unique_id", "text", description="SKU identifier"),
    validate.Column("lead_time", "integer", min=0,
                    description="periods from order to receipt (L)"),
    validate.Column("review_period", "integer", required=False, default=1, min=1,
                    description="periods between reviews (R)"),
    # Strictly below 1: the normal rule z * sd * sqrt(L + R) needs z = Phi^-1(1) = infinity.
    validate.Column("service_level", "number", constraint=Probability(),
                    description="target cycle service level, strictly between 0 and 1"),
    validate.Column("holding_cost", "number", min=0,
                    description="cost of holding one unit for one PERIOD (not per year)"),
    validate.Column("unit_cost", "number", min=0, description="value of one unit"),
    validate.Column("order_cost", "number", required=False, default=0.0, min=0,
                    description="fixed cost per order placed"),
    validate.Column("shortage_cost", "number", required=False, default=0.0, min=0,
                    description="cost per unit lost, or per unit on backorder per period"),
    validate.Column("min_order", "number", required=False, default=0.0, min=0,
                    description="smallest order (units)"),
    validate.Column("pack_size", "number", required=False, default=1.0, min=0,
                    description="orders are whole multiples of this (units); 0 = no rounding"),
    validate.Column("order_quantity", "number", required=False, default=0.0, min=0,
                    description="lot size Q for an (s, nQ) policy; 0 = order-up-to (R, S)"),
    validate.Column("initial_on_hand", "number", required=False, min=0, allow_missing=True,
                    description="stock at the start of the replay; empty = forecast over the "
                                "lead time plus safety stock"),
)

Shortage = Literal["lost_sales", "backorders"]
Naive = Literal["historical", "last_period"]
_SHORTAGE = Options(("lost_sales", "backorders"))
_NAIVE = NoneOr(Options(("historical", "last_period")))
_PER_YEAR = Interval(float, 0, closed="right")


@dataclass(frozen=True)
class ReplayResult:
    """What a policy replay produced.

    Attributes
    ----------
    timeline : DataFrame
        One row per policy, SKU and period: ``policy`` (``"forecast"`` or ``"naive"``),
        ``unique_id``, ``ds``, ``demand``, ``forecast`` (per period, as used), ``level``
        (order-up-to level S or reorder point s), ``on_hand`` (end of period), ``on_order``
        (end of period), ``receipts``, ``orders`` (units ordered at the start of the period),
        ``filled`` (demand served from stock in the period), ``unmet``, ``backorder`` (end of
        period; always 0 under lost sales) and ``stockout`` (bool: some demand of the period
        not served from stock). A chart of one SKU is a filter on ``policy`` and
        ``unique_id``.
    summary : DataFrame
        One row per policy and SKU: ``demand``, ``filled``, ``unmet``, ``fill_rate``,
        ``cycle_service_level`` (share of review cycles without a stockout),
        ``stockout_periods``, ``average_inventory`` (units), ``average_inventory_value``,
        ``turns`` (annual sales at cost / average inventory value), ``orders``,
        ``units_ordered``, ``holding_cost``, ``ordering_cost``, ``shortage_cost``,
        ``total_cost``.
    overall : DataFrame
        One row per policy, the same measures over all SKUs (fill rate and cycle service
        level pooled over units and cycles; inventory value and costs summed).
    shortage : str
        ``"lost_sales"`` or ``"backorders"``.
    periods_per_year : float
        Used to annualise turns.
    """

    timeline: pd.DataFrame
    summary: pd.DataFrame
    overall: pd.DataFrame
    shortage: str
    periods_per_year: float


# --------------------------------------------------------------------------- preparation


@dataclass(frozen=True)
class _Setup:
    skus: pd.Index
    dates: pd.DatetimeIndex
    demand: np.ndarray  # (n, T) replay window
    forecast: np.ndarray  # (n, T)
    forecast_std: np.ndarray  # (n, T)
    safety_stock: np.ndarray  # (n, T) given safety stock; NaN = normal formula
    hist_mean: np.ndarray  # (n,)
    hist_std: np.ndarray  # (n,)
    hist_last: np.ndarray  # (n,)
    lead: np.ndarray
    review: np.ndarray
    service_level: np.ndarray
    holding_cost: np.ndarray
    unit_cost: np.ndarray
    order_cost: np.ndarray
    shortage_cost: np.ndarray
    min_order: np.ndarray
    pack: np.ndarray
    lot: np.ndarray
    initial_on_hand: np.ndarray  # NaN = default


_SAFETY_STOCK_COLUMNS = (
    validate.Column("unique_id", "text"),
    validate.Column("ds", "date"),
    validate.Column("safety_stock", "number", min=0, allow_missing=True,
                    description="safety stock in units; empty = normal formula"),
)


def _policy_frame(policy: pd.DataFrame) -> pd.DataFrame:
    pol = validate.frame(policy, POLICY_COLUMNS, source="policy")
    dup = pol["unique_id"].duplicated().to_numpy()
    if dup.any():
        row = int(np.flatnonzero(dup)[0]) + 1
        raise InputError(
            f"policy, row {row}, column 'unique_id': {pol['unique_id'].iloc[row - 1]!r} appears "
            "twice; expected one row per SKU"
        )
    return pol


def _prepare(
    demand: pd.DataFrame, forecasts: pd.DataFrame, policy: pd.DataFrame, start: Any
) -> _Setup:
    pol = _policy_frame(policy)
    hist = validate_demand(demand)
    fc = validate_forecasts(forecasts)
    skus = pd.Index(pol["unique_id"].to_numpy(), name="unique_id")

    for source, frame_ in (("demand", hist), ("forecasts", fc)):
        absent = skus.difference(pd.Index(frame_["unique_id"].unique()))
        if len(absent):
            raise InputError(
                f"{source}: no rows for SKU {absent[0]!r} of the policy; expected every SKU "
                "in policy to appear"
            )
    if start is None:
        start_ts = fc.loc[fc["unique_id"].isin(skus), "ds"].min()
    else:
        try:
            start_ts = pd.Timestamp(start)
        except (TypeError, ValueError):
            raise InputError(f"start: got {start!r}; expected a date such as 2026-01-05") from None
    all_dates = pd.DatetimeIndex(sorted(hist["ds"].unique()))
    window = all_dates[all_dates >= start_ts]
    past = all_dates[all_dates < start_ts]
    if len(window) == 0:
        raise InputError(
            f"start: got {start_ts.date()}, after the last period of demand "
            f"({all_dates[-1].date()}); expected a date within the demand history"
        )
    if len(past) < 2:
        raise InputError(
            f"start: only {len(past)} period(s) of demand before {start_ts.date()}; expected at "
            "least 2, to set the naive policy and the default forecast standard deviation"
        )
    y = to_wide(hist, "y", skus, window, source="demand",
                expected="demand for every SKU in every replay period")
    f = to_wide(fc, "forecast", skus, window, source="forecasts",
                expected="a forecast for every SKU in every replay period (ds >= start)")

    past_y = to_wide(hist, "y", skus, past)
    counts = np.sum(~np.isnan(past_y), axis=1)
    if (counts < 2).any():
        r = int(np.flatnonzero(counts < 2)[0])
        raise InputError(
            f"demand: SKU {skus[r]!r} has {int(counts[r])} period(s) of history before "
            f"{start_ts.date()}; expected at least 2"
        )
    with np.errstate(invalid="ignore"):
        hist_mean = np.nanmean(past_y, axis=1)
        hist_std = np.nanstd(past_y, axis=1, ddof=1)
    last_idx = past_y.shape[1] - 1 - np.argmax(~np.isnan(past_y[:, ::-1]), axis=1)
    hist_last = past_y[np.arange(len(skus)), last_idx]

    ss = np.full(y.shape, np.nan)
    if isinstance(forecasts, pd.DataFrame) and "safety_stock" in forecasts:
        given = validate.frame(forecasts, _SAFETY_STOCK_COLUMNS, source="forecasts",
                               keep_extra=False)
        ss = to_wide(given, "safety_stock", skus, window)

    if "forecast_std" in fc:
        sd = to_wide(fc, "forecast_std", skus, window, source="forecasts",
                     expected="a forecast_std for every forecast")
    else:
        sd = np.repeat(hist_std[:, None], len(window), axis=1)

    return _Setup(
        skus=skus,
        dates=window,
        demand=y,
        forecast=f,
        forecast_std=sd,
        safety_stock=ss,
        hist_mean=hist_mean,
        hist_std=hist_std,
        hist_last=hist_last,
        lead=pol["lead_time"].to_numpy(dtype=np.int64),
        review=pol["review_period"].to_numpy(dtype=np.int64),
        service_level=pol["service_level"].to_numpy(dtype=float),
        holding_cost=pol["holding_cost"].to_numpy(dtype=float),
        unit_cost=pol["unit_cost"].to_numpy(dtype=float),
        order_cost=pol["order_cost"].to_numpy(dtype=float),
        shortage_cost=pol["shortage_cost"].to_numpy(dtype=float),
        min_order=pol["min_order"].to_numpy(dtype=float),
        pack=pol["pack_size"].to_numpy(dtype=float),
        lot=pol["order_quantity"].to_numpy(dtype=float),
        initial_on_hand=pol["initial_on_hand"].to_numpy(dtype=float),
    )


def _signals(setup: _Setup, kind: str, naive: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-period forecast and its standard deviation seen by the policy ``kind``."""
    n, T = setup.demand.shape
    if kind == "forecast":
        return setup.forecast, setup.forecast_std
    sd = np.repeat(setup.hist_std[:, None], T, axis=1)
    if naive == "historical":
        return np.repeat(setup.hist_mean[:, None], T, axis=1), sd
    previous = np.concatenate([setup.hist_last[:, None], setup.demand[:, :-1]], axis=1)
    return previous, sd


# --------------------------------------------------------------------------- simulation


def _simulate(
    demand: np.ndarray,
    level: np.ndarray,
    *,
    lead: np.ndarray,
    review: np.ndarray,
    lot: np.ndarray,
    min_order: np.ndarray,
    pack: np.ndarray,
    on_hand0: np.ndarray,
    backorders: bool,
) -> dict[str, np.ndarray]:
    """Run the policy for all SKUs at once; loop over periods only."""
    n, T = demand.shape
    rows = np.arange(n)
    pipeline = np.zeros((n, T + int(lead.max(initial=0)) + 1))
    net = on_hand0.astype(float).copy()
    on_order = np.zeros(n)
    out = {k: np.zeros((n, T)) for k in
           ("on_hand", "on_order", "receipts", "orders", "filled", "unmet", "backorder")}
    for t in range(T):
        q = order_quantities(net + on_order, level[:, t], lot, t % review == 0, min_order, pack)
        pipeline[rows, t + lead] += q
        on_order += q
        received = pipeline[:, t]
        net += received
        on_order -= received
        d = demand[:, t]
        filled = np.minimum(np.maximum(net, 0.0), d)
        net -= d if backorders else filled
        out["orders"][:, t] = q
        out["receipts"][:, t] = received
        out["filled"][:, t] = filled
        out["unmet"][:, t] = d - filled
        out["on_hand"][:, t] = np.maximum(net, 0.0)
        out["backorder"][:, t] = np.maximum(-net, 0.0)
        out["on_order"][:, t] = on_order
    return out


def _run(
    setup: _Setup, kind: str, naive: str, service_level: np.ndarray, backorders: bool,
    on_hand0: np.ndarray | None = None,
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """Levels, initial stock and simulation of one policy kind; returns (sim, f, level, start)."""
    f, sd = _signals(setup, kind, naive)
    cover = (setup.lead + setup.review).astype(float)[:, None]
    z = special.ndtri(service_level)[:, None]
    buffer = z * sd * np.sqrt(cover)
    if kind == "forecast":
        given = setup.safety_stock
        buffer = np.where(np.isnan(given), buffer, given)
    level = f * cover + buffer
    if on_hand0 is None:
        default = np.ceil(f[:, 0] * setup.lead + np.maximum(level[:, 0] - f[:, 0] * cover[:, 0],
                                                             0.0) - 1e-9)
        on_hand0 = np.where(np.isnan(setup.initial_on_hand), np.maximum(default, 0.0),
                            setup.initial_on_hand)
    sim = _simulate(
        setup.demand, level, lead=setup.lead, review=setup.review, lot=setup.lot,
        min_order=setup.min_order, pack=setup.pack, on_hand0=on_hand0, backorders=backorders,
    )
    return sim, f, level, on_hand0


# --------------------------------------------------------------------------- summaries


def _measures(setup: _Setup, sim: dict[str, np.ndarray], backorders: bool,
              periods_per_year: float) -> dict[str, np.ndarray]:
    """Per-SKU measures as arrays (vectorised)."""
    n, T = setup.demand.shape
    demand = setup.demand.sum(axis=1)
    filled = sim["filled"].sum(axis=1)
    stockout = sim["unmet"] > 1e-9
    # Cycle service level: cycles are the blocks of review_period periods from the start.
    cycle = np.arange(T)[None, :] // setup.review[:, None]
    flat = (np.arange(n)[:, None] * T + cycle).ravel()
    hit = np.zeros(n * T)
    np.maximum.at(hit, flat, stockout.ravel().astype(float))
    n_cycles = -(-T // setup.review)
    bad_cycles = hit.reshape(n, T).sum(axis=1)
    avg_inv = sim["on_hand"].mean(axis=1)
    if backorders:
        sales = demand - sim["backorder"][:, -1]
        shortage_units = sim["backorder"].sum(axis=1)
    else:
        sales = filled
        shortage_units = sim["unmet"].sum(axis=1)
    annual_sales = sales * periods_per_year / T
    with np.errstate(divide="ignore", invalid="ignore"):
        turns = np.where(avg_inv > 0, annual_sales / np.where(avg_inv > 0, avg_inv, 1.0),
                         np.where(annual_sales > 0, np.inf, 0.0))
        fill = np.where(demand > 0, filled / np.where(demand > 0, demand, 1.0), 1.0)
    n_orders = (sim["orders"] > 0).sum(axis=1)
    holding = setup.holding_cost * sim["on_hand"].sum(axis=1)
    ordering = setup.order_cost * n_orders
    shortage = setup.shortage_cost * shortage_units
    return {
        "demand": demand,
        "filled": filled,
        "unmet": sim["unmet"].sum(axis=1),
        "fill_rate": fill,
        "cycles": n_cycles.astype(float),
        "cycles_without_stockout": n_cycles - bad_cycles,
        "cycle_service_level": (n_cycles - bad_cycles) / n_cycles,
        "stockout_periods": stockout.sum(axis=1),
        "average_inventory": avg_inv,
        "average_inventory_value": avg_inv * setup.unit_cost,
        "sales": sales,
        "turns": turns,
        "orders": n_orders,
        "units_ordered": sim["orders"].sum(axis=1),
        "holding_cost": holding,
        "ordering_cost": ordering,
        "shortage_cost": shortage,
        "total_cost": holding + ordering + shortage,
    }


_SUMMARY_COLUMNS = [
    "demand", "filled", "unmet", "fill_rate", "cycle_service_level", "stockout_periods",
    "average_inventory", "average_inventory_value", "turns", "orders", "units_ordered",
    "holding_cost", "ordering_cost", "shortage_cost", "total_cost",
]


def _overall(m: dict[str, np.ndarray], unit_cost: np.ndarray, periods_per_year: float,
             n_periods: int) -> dict[str, float]:
    demand = float(m["demand"].sum())
    inv_value = float(m["average_inventory_value"].sum())
    sales_value = float((m["sales"] * unit_cost).sum()) * periods_per_year / n_periods
    return {
        "skus": len(m["demand"]),
        "demand": demand,
        "filled": float(m["filled"].sum()),
        "unmet": float(m["unmet"].sum()),
        "fill_rate": float(m["filled"].sum()) / demand if demand > 0 else 1.0,
        "cycle_service_level": float(m["cycles_without_stockout"].sum() / m["cycles"].sum()),
        "stockout_periods": int(m["stockout_periods"].sum()),
        "average_inventory_value": inv_value,
        "turns": sales_value / inv_value if inv_value > 0 else (np.inf if sales_value else 0.0),
        "orders": int(m["orders"].sum()),
        "holding_cost": float(m["holding_cost"].sum()),
        "ordering_cost": float(m["ordering_cost"].sum()),
        "shortage_cost": float(m["shortage_cost"].sum()),
        "total_cost": float(m["total_cost"].sum()),
    }


# --------------------------------------------------------------------------- public API


@constrained(shortage=_SHORTAGE, naive=_NAIVE, periods_per_year=_PER_YEAR)
def replay(
    demand: pd.DataFrame,
    forecasts: pd.DataFrame,
    policy: pd.DataFrame,
    *,
    start: Any = None,
    shortage: Shortage = "lost_sales",
    naive: Naive | None = "historical",
    periods_per_year: float = 52.0,
) -> ReplayResult:
    """Replay an inventory policy on past demand, with forecasts as they were known then.

    Parameters
    ----------
    demand : DataFrame
        Long history ``unique_id``, ``ds``, ``y`` (units per period, at least 0) covering the
        replay window (``ds >= start``) for every SKU of ``policy`` and at least 2 periods
        before it (for the naive policy). SKUs not in ``policy`` are ignored.
    forecasts : DataFrame
        ``unique_id``, ``ds``, ``forecast`` and optionally ``forecast_std``: row (sku, ds) is
        the per-period demand forecast made with information up to the end of the period
        before ``ds`` (e.g. rolling-origin one-step forecasts), taken flat over the lead time;
        ``forecast_std`` is the standard deviation of the per-period forecast error. When the
        column is absent, each SKU's standard deviation of demand before ``start`` is used.
        Optional ``safety_stock`` (units, at least 0, known at the start of ``ds``): where
        given and not empty it replaces the normal-formula safety stock
        ``z * forecast_std * sqrt(L + R)`` of the forecast policy for that SKU and period
        (empty = normal formula). Needed for every SKU of ``policy`` and every period of the
        replay window.
    policy : DataFrame
        One row per SKU, see :data:`POLICY_COLUMNS`: ``unique_id``, ``lead_time`` (whole
        periods), ``review_period`` (default 1), ``service_level`` (cycle service level,
        strictly between 0 and 1), ``holding_cost`` (per unit **per period**; from an annual
        rate use ``rate * unit_cost / periods_per_year``, or :func:`policy_from_skus`),
        ``unit_cost``, ``order_cost`` (per order, default 0), ``shortage_cost`` (default 0),
        ``min_order`` (default 0), ``pack_size`` (default 1), ``order_quantity`` (default 0 =
        order-up-to) and ``initial_on_hand`` (default: forecast over the lead time plus safety
        stock, rounded up, nothing on order).
    start : date-like, keyword-only
        First replayed period. Default: the first ``ds`` in ``forecasts`` for these SKUs.
    shortage : {"lost_sales", "backorders"}, keyword-only
        What happens to demand that cannot be served from stock.
    naive : {"historical", "last_period"} or None, keyword-only
        The benchmark policy, replayed with the same service level, lead times and costs:
        ``"historical"`` orders up to a level from the mean and standard deviation of demand
        before ``start`` (the classic reorder point from history); ``"last_period"`` uses last
        period's demand as the forecast (same historical standard deviation). None: no
        benchmark.
    periods_per_year : float, keyword-only
        Periods in a year (52 for weeks), to annualise turns.

    Returns
    -------
    ReplayResult
        ``timeline``, ``summary`` (per policy and SKU) and ``overall`` (per policy).

    Raises
    ------
    InputError
        A missing column, a bad value (row and column named), a SKU or period without demand or
        forecast (SKU and date named), too little history.

    Examples
    --------
    >>> import pandas as pd
    >>> ds = pd.date_range("2026-01-05", periods=6, freq="W-MON")
    >>> demand = pd.DataFrame({"unique_id": "A", "ds": ds, "y": [5, 7, 6, 6, 20, 6]})
    >>> fc = pd.DataFrame({"unique_id": "A", "ds": ds[2:], "forecast": 6.0,
    ...                    "forecast_std": 1.0})
    >>> pol = pd.DataFrame({"unique_id": ["A"], "lead_time": [0], "service_level": [0.5],
    ...                     "holding_cost": [1.0], "unit_cost": [10.0]})
    >>> r = replay(demand, fc, pol, naive=None)
    >>> r.timeline[["ds", "demand", "orders", "on_hand", "stockout"]]
              ds  demand  orders  on_hand  stockout
    0 2026-01-19     6.0     6.0      0.0     False
    1 2026-01-26     6.0     6.0      0.0     False
    2 2026-02-02    20.0     6.0      0.0      True
    3 2026-02-09     6.0     6.0      0.0     False
    >>> r.summary[["fill_rate", "cycle_service_level", "stockout_periods"]].round(3)
       fill_rate  cycle_service_level  stockout_periods
    0      0.632                 0.75                 1
    """
    backorders, ppy = shortage == "backorders", float(periods_per_year)
    setup = _prepare(demand, forecasts, policy, start)
    kinds = ["forecast"] + ([naive] if naive is not None else [])
    n, T = setup.demand.shape
    timelines, summaries, overall = [], [], []
    on_hand0 = None
    for kind in kinds:
        name = "forecast" if kind == "forecast" else "naive"
        sim, f, level, start_stock = _run(
            setup, name, kind, setup.service_level, backorders, on_hand0
        )
        on_hand0 = start_stock  # the naive policy starts from the same stock
        m = _measures(setup, sim, backorders, ppy)
        timelines.append(_timeline(setup, sim, f, level, name))
        summary = pd.DataFrame({"policy": name, "unique_id": setup.skus.to_numpy()})
        for col in _SUMMARY_COLUMNS:
            summary[col] = m[col]
        summaries.append(summary)
        overall.append({"policy": name, **_overall(m, setup.unit_cost, ppy, T)})
    return ReplayResult(
        timeline=pd.concat(timelines, ignore_index=True),
        summary=pd.concat(summaries, ignore_index=True),
        overall=pd.DataFrame(overall),
        shortage=shortage,
        periods_per_year=ppy,
    )


def _timeline(setup: _Setup, sim: dict[str, np.ndarray], f: np.ndarray, level: np.ndarray,
              name: str) -> pd.DataFrame:
    n, T = setup.demand.shape
    return pd.DataFrame(
        {
            "policy": np.full(n * T, name, dtype=object),
            "unique_id": np.repeat(setup.skus.to_numpy(), T),
            "ds": np.tile(setup.dates.to_numpy(), n),
            "demand": setup.demand.ravel(),
            "forecast": f.ravel(),
            "level": level.ravel(),
            "on_hand": sim["on_hand"].ravel(),
            "on_order": sim["on_order"].ravel(),
            "receipts": sim["receipts"].ravel(),
            "orders": sim["orders"].ravel(),
            "filled": sim["filled"].ravel(),
            "unmet": sim["unmet"].ravel(),
            "backorder": sim["backorder"].ravel(),
            "stockout": (sim["unmet"] > 1e-9).ravel(),
        }
    )


@constrained(service_levels=ListOf(Probability()), shortage=_SHORTAGE, naive=_NAIVE,
             periods_per_year=_PER_YEAR)
def tradeoff_curve(
    demand: pd.DataFrame,
    forecasts: pd.DataFrame,
    policy: pd.DataFrame,
    *,
    service_levels: Sequence[float] = (0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99),
    start: Any = None,
    shortage: Shortage = "lost_sales",
    naive: Naive | None = "historical",
    periods_per_year: float = 52.0,
    safety_stocks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Service achieved against inventory held, replayed at several target service levels.

    Every SKU's ``service_level`` in ``policy`` is replaced by each value of
    ``service_levels`` in turn and the replay of :func:`replay` is run (all levels and SKUs in
    one vectorised simulation). Arguments are those of :func:`replay`, except that a given
    safety stock depends on the target level, so it comes in `safety_stocks` and not as a
    ``safety_stock`` column of `forecasts` (refused here).

    Parameters
    ----------
    safety_stocks : DataFrame, optional, keyword-only
        ``unique_id``, ``ds``, ``service_level``, ``safety_stock``: the forecast policy's safety
        stock (units) of that SKU and period at that target level, replacing the normal
        formula as a ``safety_stock`` column of ``forecasts`` does in :func:`replay`. SKUs,
        periods and levels without a row (or with an empty value) keep the normal formula.

    Returns
    -------
    DataFrame
        One row per policy and target level: ``policy``, ``service_level`` (target),
        ``average_inventory_value``, ``fill_rate``, ``cycle_service_level`` (achieved),
        ``stockout_periods``, ``turns`` and ``total_cost``. Plot ``fill_rate`` against
        ``average_inventory_value`` per policy for the efficient frontier.

    Examples
    --------
    >>> import pandas as pd
    >>> ds = pd.date_range("2026-01-05", periods=8, freq="W-MON")
    >>> demand = pd.DataFrame({"unique_id": "A", "ds": ds, "y": [10, 12, 8, 10, 11, 9, 14, 6]})
    >>> fc = pd.DataFrame({"unique_id": "A", "ds": ds[4:], "forecast": 10.0,
    ...                    "forecast_std": 2.0})
    >>> pol = pd.DataFrame({"unique_id": ["A"], "lead_time": [1], "service_level": [0.9],
    ...                     "holding_cost": [0.1], "unit_cost": [5.0]})
    >>> curve = tradeoff_curve(demand, fc, pol, service_levels=[0.5, 0.99], naive=None)
    >>> curve[["service_level", "fill_rate"]].round(3)
       service_level  fill_rate
    0           0.50        0.9
    1           0.99        1.0
    """
    backorders, ppy = shortage == "backorders", float(periods_per_year)
    levels = np.asarray(service_levels, dtype=float)
    if isinstance(forecasts, pd.DataFrame) and "safety_stock" in forecasts:
        raise InputError("forecasts: has a 'safety_stock' column, which holds for one service "
                         "level only; expected the safety stock per level in safety_stocks "
                         "(unique_id, ds, service_level, safety_stock)")
    base = _prepare(demand, forecasts, policy, start)
    k = len(levels)
    n, T = base.demand.shape
    tiled = _tile(base, k)
    if safety_stocks is not None:
        tiled = dataclasses.replace(tiled, safety_stock=_level_safety_stocks(
            safety_stocks, base, levels))
    level_of_row = np.repeat(levels, n)
    rows = []
    kinds = ["forecast"] + ([naive] if naive is not None else [])
    on_hand0 = None
    for kind in kinds:
        name = "forecast" if kind == "forecast" else "naive"
        sim, _, _, on_hand0 = _run(tiled, name, kind, level_of_row, backorders, on_hand0)
        m = _measures(tiled, sim, backorders, ppy)
        for j, sl in enumerate(levels):
            part = {key: value[j * n:(j + 1) * n] for key, value in m.items()}
            o = _overall(part, base.unit_cost, ppy, T)
            rows.append({
                "policy": name,
                "service_level": float(sl),
                "average_inventory_value": o["average_inventory_value"],
                "fill_rate": o["fill_rate"],
                "cycle_service_level": o["cycle_service_level"],
                "stockout_periods": o["stockout_periods"],
                "turns": o["turns"],
                "total_cost": o["total_cost"],
            })
    return pd.DataFrame(rows)


def _level_safety_stocks(safety_stocks: pd.DataFrame, base: _Setup, levels: np.ndarray
                         ) -> np.ndarray:
    """(k * n, T) given safety stocks, block j for ``levels[j]``; NaN = normal formula."""
    given = validate.frame(
        safety_stocks,
        [*_SAFETY_STOCK_COLUMNS[:2],
         validate.Column("service_level", "number", min=0, max=1),
         _SAFETY_STOCK_COLUMNS[2]],
        source="safety_stocks", keep_extra=False, allow_empty=True,
    )
    sl = given["service_level"].to_numpy(dtype=float)
    blocks = []
    for level in levels:
        rows = given.loc[np.isclose(sl, level, rtol=0.0, atol=1e-12)]
        if rows[["unique_id", "ds"]].duplicated().any():
            raise InputError(f"safety_stocks: SKU and ds appear twice for service_level "
                             f"{level:g}; expected one row per SKU, period and level")
        blocks.append(to_wide(rows, "safety_stock", base.skus, base.dates))
    return np.concatenate(blocks, axis=0)


def _tile(setup: _Setup, k: int) -> _Setup:
    """Repeat every SKU k times (block j = copy j) so k variants run in one simulation."""
    def rep(a: np.ndarray) -> np.ndarray:
        return np.tile(a, (k, 1)) if a.ndim == 2 else np.tile(a, k)

    fields = {name: getattr(setup, name) for name in setup.__dataclass_fields__}
    out = {name: (rep(v) if isinstance(v, np.ndarray) else v) for name, v in fields.items()}
    out["skus"] = pd.Index(np.tile(setup.skus.to_numpy(), k), name="unique_id")
    return _Setup(**out)


@constrained(service_level=Probability(), periods_per_year=_PER_YEAR,
             review_period=Interval(int, 1), shortage_cost_rate=Interval(float, 0))
def policy_from_skus(
    skus: pd.DataFrame,
    *,
    service_level: float = 0.95,
    periods_per_year: float = 52.0,
    review_period: int = 1,
    shortage_cost_rate: float = 0.0,
) -> pd.DataFrame:
    """Build a replay ``policy`` from a SKU master such as ``data/demand/skus.csv``.

    Parameters
    ----------
    skus : DataFrame
        ``unique_id``, ``unit_cost``, ``lead_time_weeks``, ``order_cost``,
        ``holding_cost_rate`` (fraction of unit cost per year), optional ``pack_size``
        and ``min_order``.
    service_level : float
        Cycle service level for every SKU.
    periods_per_year : float
        Converts the annual holding cost rate into a cost per unit per period:
        ``holding_cost = holding_cost_rate * unit_cost / periods_per_year``.
    review_period : int
        Periods between reviews for every SKU.
    shortage_cost_rate : float
        Shortage cost per unit as a multiple of unit cost (for example 0.5 for lost margin).

    Examples
    --------
    >>> import pandas as pd
    >>> skus = pd.DataFrame({"unique_id": ["A"], "unit_cost": [52.0], "lead_time_weeks": [2],
    ...                      "order_cost": [30.0], "holding_cost_rate": [0.25]})
    >>> policy_from_skus(skus)[["unique_id", "lead_time", "holding_cost"]]
      unique_id  lead_time  holding_cost
    0         A          2          0.25
    """
    sl, ppy, rp, scr = service_level, periods_per_year, review_period, shortage_cost_rate
    master = validate.frame(
        skus,
        [
            validate.Column("unique_id", "text"),
            validate.Column("unit_cost", "number", min=0),
            validate.Column("lead_time_weeks", "integer", min=0),
            validate.Column("order_cost", "number", min=0),
            validate.Column("holding_cost_rate", "number", min=0, max=1),
            validate.Column("pack_size", "number", required=False, default=1.0, min=0),
            validate.Column("min_order", "number", required=False, default=0.0, min=0),
        ],
        source="skus",
        key=["unique_id"],
    )
    return pd.DataFrame(
        {
            "unique_id": master["unique_id"].to_numpy(),
            "lead_time": master["lead_time_weeks"].to_numpy(),
            "review_period": rp,
            "service_level": sl,
            "holding_cost": master["holding_cost_rate"] * master["unit_cost"] / ppy,
            "unit_cost": master["unit_cost"],
            "order_cost": master["order_cost"],
            "shortage_cost": scr * master["unit_cost"],
            "min_order": master["min_order"],
            "pack_size": master["pack_size"],
        }
    )
