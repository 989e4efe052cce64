"""Inventory policy: EOQ, safety stock, reorder points, fill rates, kanban and replenishment plans.

Every scalar formula here is vectorised across SKUs: pass plain numbers and get a ``float``
back; pass numpy arrays (or lists) and get an array; pass pandas Series (indexed by SKU) and get
a Series with the same index. Arguments broadcast against each other with numpy rules, so one
service level can be combined with a Series of per-SKU standard deviations. A bad value raises
:class:`btm.InputError` naming the parameter and the SKU (Series label) or position.

Units: demand is *per period* and lead times are *in periods* (weeks for the weekly sample
data) in every function except :func:`eoq`, which follows the textbook and works per year.

Symbols follow Snyder & Shen, *Fundamentals of Supply Chain Theory* (2nd ed., Wiley 2019) and
Chopra & Meindl, *Supply Chain Management* (ch. "Managing uncertainty: safety inventory"):

====================  =======================================================================
``d``, ``sd_d``       mean and standard deviation of demand per period
``L``, ``sd_L``       mean and standard deviation of the lead time (periods)
``sigma_L``           standard deviation of demand over the lead time,
                      ``sqrt(L * sd_d**2 + d**2 * sd_L**2)``
``z``                 safety factor
``G(z)``              standard normal loss function ``phi(z) - z * (1 - Phi(z))``
====================  =======================================================================

Examples
--------
>>> from btm.inventory import eoq, reorder_point
>>> round(eoq(1300, 8, 0.225), 2)                 # Snyder & Shen, Example 3.1
304.05
>>> round(reorder_point(0.90, 2500, 500, 2), 1)   # Chopra & Meindl: ROP = D L + ss
5906.2
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from btm import validate
from btm.constraints import (
    Boolean,
    Constraint,
    Interval,
    NoneOr,
    Options,
    Probability,
    Text,
    constrained,
)
from btm.errors import InputError

__all__ = [
    "eoq",
    "safety_stock",
    "reorder_point",
    "normal_loss",
    "safety_stock_fill_rate",
    "fill_rate",
    "empirical_safety_stock",
    "lead_time_forecast_errors",
    "kanban_containers",
    "replenishment_plan",
    "order_quantities",
    "validate_demand",
    "validate_forecasts",
    "to_wide",
    "PLAN_POLICY_COLUMNS",
    "QUANTILE_METHODS",
]

ArrayLike = Any  # float | numpy array | pandas Series

#: Quantile estimators :func:`empirical_safety_stock` accepts (those of numpy.nanquantile).
QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest", "inverted_cdf", "hazen",
                    "weibull", "median_unbiased", "normal_unbiased", "interpolated_inverted_cdf")
_FREQ = Text(description="a pandas frequency such as 'W-MON' or 'MS'")


# --------------------------------------------------------------------------- array helpers


_NONNEG = Interval(float, 0)
_POSITIVE = Interval(float, 0, closed="right")
_PROB = Probability()
_ANY = Interval(float)


def _check(value: Any, name: str, constraint: Constraint) -> tuple[np.ndarray, pd.Index | None]:
    """Convert one argument to a float array and check it; return (array, Series index)."""
    arr = validate.check_array(value, name, constraint)
    return arr, value.index if isinstance(value, pd.Series) else None


#: The constraint of each array argument of the closed forms, declared once for all of them.
_ARGUMENTS: dict[str, Constraint] = {
    "annual_demand": _NONNEG, "order_cost": _NONNEG, "holding_cost": _POSITIVE,
    "service_level": _PROB, "fill_rate": _PROB, "demand_mean": _NONNEG,
    "demand_std": _NONNEG, "lead_time": _NONNEG, "lead_time_std": _NONNEG,
    "order_quantity": _POSITIVE, "safety_stock": _ANY, "z": _ANY, "demand_rate": _NONNEG,
    "container_size": _POSITIVE, "safety_factor": _NONNEG,
}


def _arguments(**values: Any) -> tuple[list[np.ndarray], pd.Index | None]:
    """:func:`_inputs` with each argument's constraint from ``_ARGUMENTS``, in the given order."""
    return _inputs({name: (value, _ARGUMENTS[name]) for name, value in values.items()})


def _inputs(specs: Mapping[str, tuple[Any, Constraint]]) -> tuple[list[np.ndarray], pd.Index | None]:
    """Check and broadcast several arguments; return the arrays and the shared Series index."""
    arrays, index = [], None
    for name, (value, constraint) in specs.items():
        arr, idx = _check(value, name, constraint)
        if idx is not None:
            if index is not None and not idx.equals(index):
                raise InputError(
                    f"{name}: its index differs from that of the other Series arguments; "
                    "expected Series indexed by the same SKUs in the same order"
                )
            index = idx
        arrays.append(arr)
    try:
        arrays = list(np.broadcast_arrays(*arrays))
    except ValueError:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in zip(specs, arrays, strict=True))
        raise InputError(
            f"arguments: shapes do not broadcast ({shapes}); expected numbers or arrays of one "
            "length (one value per SKU)"
        ) from None
    return arrays, index


def _output(result: np.ndarray, index: pd.Index | None, name: str) -> ArrayLike:
    """Scalar in -> float out; Series in -> Series; array in -> array."""
    result = np.asarray(result)
    if result.ndim == 0:
        return float(result)
    if index is not None and result.ndim == 1 and len(index) == len(result):
        return pd.Series(result, index=index, name=name)
    return result


# --------------------------------------------------------------------------- closed forms


def eoq(annual_demand: ArrayLike, order_cost: ArrayLike, holding_cost: ArrayLike) -> ArrayLike:
    """Economic order quantity ``sqrt(2 D S / H)``.

    Parameters
    ----------
    annual_demand : float, array or Series
        Demand per year ``D`` (units), at least 0.
    order_cost : float, array or Series
        Fixed cost per order ``S`` (money), at least 0.
    holding_cost : float, array or Series
        Cost of holding one unit for one year ``H`` (money), greater than 0. With a holding
        cost *rate* (fraction of unit cost per year) pass ``rate * unit_cost``.

    Returns
    -------
    float, array or Series
        The order quantity (units), same shape as the broadcast inputs.

    Notes
    -----
    Harris (1913); Snyder & Shen eq. (3.4) with ``K = S``, ``lambda = D``, ``h = H``.

    Examples
    --------
    >>> round(eoq(1300, 8, 0.225), 4)      # Snyder & Shen, Example 3.1
    304.0468
    >>> eoq([1300, 5200], 8, 0.225).round(1)
    array([304. , 608.1])
    """
    (d, s, h), index = _arguments(annual_demand=annual_demand, order_cost=order_cost,
                                  holding_cost=holding_cost)
    return _output(np.sqrt(2.0 * d * s / h), index, "eoq")


def _sigma_lead_time(demand_std, lead_time, demand_mean, lead_time_std):
    return np.sqrt(lead_time * demand_std**2 + demand_mean**2 * lead_time_std**2)


def safety_stock(
    service_level: ArrayLike,
    demand_std: ArrayLike,
    lead_time: ArrayLike,
    *,
    demand_mean: ArrayLike = 0.0,
    lead_time_std: ArrayLike = 0.0,
) -> ArrayLike:
    """Safety stock for a cycle service level: ``z * sqrt(L * sd_d**2 + d**2 * sd_L**2)``.

    Parameters
    ----------
    service_level : float, array or Series
        Cycle service level (type-1 service): the probability of no stockout in a replenishment
        cycle, strictly between 0 and 1. ``z = Phi^-1(service_level)``.
    demand_std : float, array or Series
        Standard deviation of demand per period ``sd_d``, at least 0.
    lead_time : float, array or Series
        Mean lead time ``L`` in periods, at least 0.
    demand_mean : float, array or Series, keyword-only
        Mean demand per period ``d``; only matters when the lead time varies. Default 0.
    lead_time_std : float, array or Series, keyword-only
        Standard deviation of the lead time ``sd_L`` in periods. Default 0 (fixed lead time).

    Returns
    -------
    float, array or Series
        Safety stock in units. It is negative for a service level below 0.5 (``z < 0``), as in
        the textbooks; floor it at 0 if your policy never plans below expected demand.

    Notes
    -----
    Demand over the lead time is taken as normal with mean ``d L`` and variance
    ``L sd_d^2 + d^2 sd_L^2`` (Chopra & Meindl, "Impact of supply uncertainty on safety
    inventory"; Silver, Pyke & Thomas, *Inventory and Production Management in Supply Chains*,
    4th ed., section 6.10). For a periodic review (R, S) policy pass ``lead_time = L + R``.

    Examples
    --------
    Chopra & Meindl's supply-uncertainty example (daily demand 2,500 with standard deviation
    500, lead time 7 days with standard deviation 7 days, cycle service level 90 %):

    >>> round(safety_stock(0.90, 500, 7, demand_mean=2500, lead_time_std=7))
    22491

    Vectorised across SKUs:

    >>> import pandas as pd
    >>> sd = pd.Series([10.0, 20.0], index=["A", "B"])
    >>> safety_stock(0.95, sd, 4).round(1)
    A    32.9
    B    65.8
    Name: safety_stock, dtype: float64
    """
    (sl, sd, lt, mean, sd_lt), index = _arguments(
        service_level=service_level, demand_std=demand_std, lead_time=lead_time,
        demand_mean=demand_mean, lead_time_std=lead_time_std)
    z = special.ndtri(sl)
    return _output(z * _sigma_lead_time(sd, lt, mean, sd_lt), index, "safety_stock")


def reorder_point(
    service_level: ArrayLike,
    demand_mean: ArrayLike,
    demand_std: ArrayLike,
    lead_time: ArrayLike,
    *,
    lead_time_std: ArrayLike = 0.0,
) -> ArrayLike:
    """Reorder point ``demand_mean * lead_time + safety_stock(...)``.

    Parameters are those of :func:`safety_stock`: demand per period, lead time in periods,
    ``service_level`` the cycle service level.

    Examples
    --------
    Chopra & Meindl's example "required safety inventory given a desired cycle service
    level": weekly demand 2,500 (sd 500), lead time 2 weeks, CSL 90 % gives safety inventory
    906 and a reorder point of about 5,906:

    >>> round(reorder_point(0.90, 2500, 500, 2))
    5906
    """
    (sl, mean, sd, lt, sd_lt), index = _arguments(
        service_level=service_level, demand_mean=demand_mean, demand_std=demand_std,
        lead_time=lead_time, lead_time_std=lead_time_std)
    ss = special.ndtri(sl) * _sigma_lead_time(sd, lt, mean, sd_lt)
    return _output(mean * lt + ss, index, "reorder_point")


def normal_loss(z: ArrayLike) -> ArrayLike:
    """Standard normal loss function ``G(z) = phi(z) - z * (1 - Phi(z))``.

    ``G(z) = E[max(Z - z, 0)]`` for a standard normal ``Z``: the expected shortage per unit of
    standard deviation when the safety factor is ``z`` (Snyder & Shen eq. (C.22), written
    :math:`\\mathscr{L}(z)`; Silver, Pyke & Thomas write :math:`G_u(k)`).

    Examples
    --------
    >>> round(normal_loss(1.3), 6)      # stockpyl.loss_functions.standard_normal_loss(1.3)
    0.045528
    >>> normal_loss([0.0, 1.0]).round(4)
    array([0.3989, 0.0833])
    """
    (x,), index = _arguments(z=z)
    return _output(_loss(x), index, "normal_loss")


def _loss(z: np.ndarray) -> np.ndarray:
    return stats.norm.pdf(z) - z * special.ndtr(-z)


def _solve_loss(target: np.ndarray) -> np.ndarray:
    """Solve ``G(z) = target`` (target > 0) element-wise by Newton's method.

    ``G`` is convex and strictly decreasing with ``G'(z) = -(1 - Phi(z))``; started left of the
    root, Newton's iterates increase monotonically to it. ``G(z) > -z`` for every z, so
    ``z0 = -target`` is left of the root (and so is ``z0 = -8`` for tiny targets).
    """
    z = np.minimum(-target, 0.0)
    for _ in range(100):
        slope = special.ndtr(-z)
        step = (_loss(z) - target) / np.maximum(slope, 1e-300)
        z = z + step
        if np.all(np.abs(step) <= 1e-12 * np.maximum(1.0, np.abs(z))):
            break
    return z


def safety_stock_fill_rate(
    fill_rate: ArrayLike,
    demand_mean: ArrayLike,
    demand_std: ArrayLike,
    lead_time: ArrayLike,
    order_quantity: ArrayLike,
    *,
    lead_time_std: ArrayLike = 0.0,
) -> ArrayLike:
    """Safety stock for a fill-rate target (type-2 service) in a continuous-review (s, Q) policy.

    Solves ``G(z) = Q (1 - fill_rate) / sigma_L`` for the safety factor ``z`` and returns
    ``z * sigma_L``, where ``G`` is :func:`normal_loss` and
    ``sigma_L = sqrt(L sd_d^2 + d^2 sd_L^2)``: the expected shortage per cycle,
    ``sigma_L G(z)``, is then the fraction ``1 - fill_rate`` of the order quantity.

    Parameters
    ----------
    fill_rate : float, array or Series
        Target fraction of demand served from stock (beta), strictly between 0 and 1.
    demand_mean, demand_std : float, array or Series
        Mean and standard deviation of demand per period.
    lead_time : float, array or Series
        Mean lead time in periods.
    order_quantity : float, array or Series
        Order quantity ``Q`` in units, greater than 0.
    lead_time_std : float, array or Series, keyword-only
        Standard deviation of the lead time in periods. Default 0.

    Returns
    -------
    float, array or Series
        Safety stock in units. It can be negative when ``Q`` is large relative to ``sigma_L``
        (big lots alone achieve the fill rate), as in the textbooks. When ``sigma_L = 0``
        (no uncertainty) it is 0.

    Notes
    -----
    Chopra & Meindl, "Linking safety inventory and fill rate" (ESC = (1 - fr) Q); Silver, Pyke
    & Thomas (4th ed.) eq. (6.29) ``G_u(k) = Q (1 - P2) / sigma_L``. Solved by a vectorised
    Newton iteration on all SKUs at once (no loop over SKUs).

    Examples
    --------
    Chopra & Meindl's fill-rate example: weekly demand 2,500 (sd 500), lead time 2 weeks,
    lot 10,000 and safety inventory 1,000 give expected shortage 25.13 per cycle, a fill rate
    of 1 - 25.13 / 10,000; the inverse gives back the 1,000 units:

    >>> round(safety_stock_fill_rate(1 - 25.13 / 10_000, 2500, 500, 2, 10_000))
    1000
    """
    (beta, mean, sd, lt, q, sd_lt), index = _arguments(
        fill_rate=fill_rate, demand_mean=demand_mean, demand_std=demand_std, lead_time=lead_time,
        order_quantity=order_quantity, lead_time_std=lead_time_std)
    sigma = _sigma_lead_time(sd, lt, mean, sd_lt)
    positive = sigma > 0
    target = np.where(positive, q * (1.0 - beta) / np.where(positive, sigma, 1.0), 1.0)
    z = _solve_loss(np.atleast_1d(target)).reshape(target.shape)
    return _output(np.where(positive, z * sigma, 0.0), index, "safety_stock")


def fill_rate(
    safety_stock: ArrayLike,
    demand_mean: ArrayLike,
    demand_std: ArrayLike,
    lead_time: ArrayLike,
    order_quantity: ArrayLike,
    *,
    lead_time_std: ArrayLike = 0.0,
) -> ArrayLike:
    """Fill rate of an (s, Q) policy with a given safety stock: ``1 - sigma_L G(ss/sigma_L) / Q``.

    The inverse of :func:`safety_stock_fill_rate` (Chopra & Meindl, "evaluating fill rate given
    a replenishment policy").

    Examples
    --------
    >>> round(fill_rate(1000, 2500, 500, 2, 10_000), 4)    # Chopra & Meindl: 0.9975
    0.9975
    """
    (ss, mean, sd, lt, q, sd_lt), index = _arguments(
        safety_stock=safety_stock, demand_mean=demand_mean, demand_std=demand_std,
        lead_time=lead_time, order_quantity=order_quantity, lead_time_std=lead_time_std)
    sigma = _sigma_lead_time(sd, lt, mean, sd_lt)
    positive = sigma > 0
    safe = np.where(positive, sigma, 1.0)
    shortage = np.where(positive, safe * _loss(ss / safe), np.maximum(-ss, 0.0))
    return _output(np.clip(1.0 - shortage / q, 0.0, 1.0), index, "fill_rate")


# --------------------------------------------------------------------------- empirical


@constrained(method=Options(QUANTILE_METHODS))
def empirical_safety_stock(
    lead_time_errors: pd.DataFrame | np.ndarray,
    service_level: ArrayLike,
    *,
    method: str = "linear",
) -> pd.Series | np.ndarray:
    """Safety stock as the service-level quantile of observed lead-time forecast errors.

    No normality assumption: for each SKU the safety stock is the ``service_level`` quantile of
    its sample of errors ``actual demand over the lead time - forecast of it``, floored at 0.
    Ordering up to ``forecast + safety stock`` then covers the lead-time demand in a fraction
    ``service_level`` of the observed cases (an empirical cycle service level). Use it for
    erratic, intermittent or lumpy demand where the normal formula misleads; see e.g. Silver,
    Pyke & Thomas (4th ed.) section 6.10 and Trapero, Cardos & Kourentzes (2019), "Empirical
    safety stock estimation based on kernel and GARCH models", Omega 84.

    Parameters
    ----------
    lead_time_errors : DataFrame or 2-D array
        Either a long DataFrame with columns ``unique_id`` and ``error`` (one row per
        observation; see :func:`lead_time_forecast_errors`), or an array of shape
        ``(n_skus, n_samples)`` with one SKU per row (NaN marks a missing sample).
        Positive errors mean demand above forecast.
    service_level : float, array or Series
        Quantile level strictly between 0 and 1; one value, or one per SKU (a Series indexed
        by ``unique_id`` for the DataFrame form, an array of length ``n_skus`` for arrays).
    method : str, keyword-only
        Quantile estimator, one of :data:`QUANTILE_METHODS`, passed to
        :func:`numpy.nanquantile` (default ``"linear"``, type 7 of Hyndman & Fan 1996, as in
        Excel ``PERCENTILE.INC`` and pandas).

    Returns
    -------
    Series or array
        Safety stock per SKU, at least 0: a Series indexed by ``unique_id`` (sorted) named
        ``safety_stock`` for DataFrame input, a 1-D array for array input.

    Examples
    --------
    >>> import pandas as pd
    >>> errors = pd.DataFrame({"unique_id": ["A"] * 5 + ["B"] * 5,
    ...                        "error": [-3, -1, 0, 2, 6, -5, -4, -3, -2, -1]})
    >>> empirical_safety_stock(errors, 0.75)
    unique_id
    A    2.0
    B    0.0
    Name: safety_stock, dtype: float64
    """
    if isinstance(lead_time_errors, pd.DataFrame):
        data = validate.frame(
            lead_time_errors,
            [validate.Column("unique_id", "text"), validate.Column("error", "number")],
            source="lead_time_errors",
        )
        codes, skus = pd.factorize(data["unique_id"], sort=True)
        counts = np.bincount(codes, minlength=len(skus))
        order = np.argsort(codes, kind="stable")
        width = int(counts.max())
        matrix = np.full((len(skus), width), np.nan)
        rank = np.arange(len(codes)) - np.repeat(np.cumsum(counts) - counts, counts)
        matrix[codes[order], rank] = data["error"].to_numpy(dtype=float)[order]
        index = pd.Index(np.asarray(skus), name="unique_id")
        levels = _levels_for(service_level, index)
        result = _row_quantiles(matrix, levels, method)
        return pd.Series(result, index=index, name="safety_stock")
    try:
        matrix = np.asarray(lead_time_errors, dtype=float)
    except (TypeError, ValueError):
        raise InputError(
            "lead_time_errors: got values that are not numbers; expected a DataFrame with "
            "columns unique_id, error or a 2-D array of numbers"
        ) from None
    if matrix.ndim != 2:
        raise InputError(
            f"lead_time_errors: got an array of shape {matrix.shape}; expected a 2-D array "
            "(n_skus, n_samples) or a DataFrame with columns unique_id, error"
        )
    if np.isinf(matrix).any():
        row, col = (int(i) for i in np.argwhere(np.isinf(matrix))[0])
        raise InputError(f"lead_time_errors[{row}, {col}]: got {matrix[row, col]}; "
                         "expected a finite number")
    empty = np.isnan(matrix).all(axis=1)
    if matrix.shape[1] == 0 or empty.any():
        row = int(np.flatnonzero(empty)[0]) if empty.any() else 0
        raise InputError(f"lead_time_errors[{row}]: the SKU has no error samples; "
                         "expected at least one number per row")
    (levels,), _ = _arguments(service_level=service_level)
    try:
        levels = np.broadcast_to(levels, (matrix.shape[0],))
    except ValueError:
        raise InputError(
            f"service_level: got shape {levels.shape} for {matrix.shape[0]} SKUs; expected one "
            "value or one per row of lead_time_errors"
        ) from None
    return _row_quantiles(matrix, np.asarray(levels, dtype=float), method)


def _levels_for(service_level: ArrayLike, index: pd.Index) -> np.ndarray:
    if isinstance(service_level, pd.Series):
        missing = index.difference(service_level.index)
        if len(missing):
            raise InputError(
                f"service_level: no value for SKU {missing[0]!r}; expected a Series indexed by "
                "unique_id covering every SKU"
            )
        service_level = service_level.reindex(index)
    (levels,), _ = _arguments(service_level=service_level)
    try:
        return np.broadcast_to(levels, (len(index),)).astype(float)
    except ValueError:
        raise InputError(
            f"service_level: got {levels.size} values for {len(index)} SKUs; expected one "
            "value or one per SKU"
        ) from None


def _row_quantiles(matrix: np.ndarray, levels: np.ndarray, method: str) -> np.ndarray:
    """Quantile of each row at its own level; vectorised over rows sharing a level."""
    out = np.empty(matrix.shape[0])
    for level in np.unique(levels):  # loop over distinct levels (usually one), not SKUs
        rows = levels == level
        out[rows] = np.nanquantile(matrix[rows], level, axis=1, method=method)  # type: ignore[call-overload]  # method is one of QUANTILE_METHODS
    return np.maximum(out, 0.0)


def lead_time_forecast_errors(
    demand: pd.DataFrame,
    forecasts: pd.DataFrame,
    lead_time: ArrayLike,
) -> pd.DataFrame:
    """Lead-time forecast errors from per-period forecasts (input for empirical safety stock).

    For each SKU and forecast origin ``ds`` the error is the actual demand summed over the
    ``lead_time`` periods starting at ``ds`` minus ``lead_time * forecast``, the forecast being
    flat over the lead time (the contract of ``forecasts`` in :mod:`btm.replay`). Origins whose
    lead-time window runs past the end of ``demand`` are dropped.

    Parameters
    ----------
    demand : DataFrame
        Long history ``unique_id``, ``ds``, ``y`` on a regular grid of periods.
    forecasts : DataFrame
        ``unique_id``, ``ds``, ``forecast``: the per-period forecast made with information up
        to the end of the period before ``ds``.
    lead_time : int, or Series indexed by unique_id
        Lead time in whole periods (at least 1).

    Returns
    -------
    DataFrame
        ``unique_id``, ``ds`` (origin), ``lead_time``, ``actual``, ``forecast`` (over the lead
        time) and ``error``.

    Examples
    --------
    >>> import pandas as pd
    >>> ds = pd.date_range("2026-01-05", periods=4, freq="W-MON")
    >>> demand = pd.DataFrame({"unique_id": "A", "ds": ds, "y": [10, 12, 9, 11]})
    >>> fc = pd.DataFrame({"unique_id": "A", "ds": ds, "forecast": 10.0})
    >>> lead_time_forecast_errors(demand, fc, 2)["error"].tolist()
    [2.0, 1.0, 0.0]
    """
    hist = validate_demand(demand)
    fc = validate_forecasts(forecasts)
    skus = pd.Index(sorted(hist["unique_id"].unique()), name="unique_id")
    dates = pd.DatetimeIndex(sorted(hist["ds"].unique()))
    y = to_wide(hist, "y", skus, dates, source="demand")
    if isinstance(lead_time, pd.Series):
        lt_values = lead_time.reindex(skus)
        if lt_values.isna().any():
            raise InputError(
                f"lead_time: no value for SKU {lt_values.index[lt_values.isna()][0]!r}; "
                "expected a lead time for every SKU in demand"
            )
        lt_values = lt_values.to_numpy()
    else:
        lt_values = lead_time
    (lt,), _ = _inputs({"lead_time": (lt_values, Interval(int, 1))})
    lt = np.broadcast_to(lt, (len(skus),)).astype(int)
    csum = np.concatenate([np.zeros((len(skus), 1)), np.cumsum(y, axis=1)], axis=1)
    fc = fc[fc["unique_id"].isin(skus) & fc["ds"].isin(dates)]
    row = skus.get_indexer(fc["unique_id"])
    col = dates.get_indexer(fc["ds"])
    end = col + lt[row]
    keep = end <= len(dates)
    row, col, end = row[keep], col[keep], end[keep]
    actual = csum[row, end] - csum[row, col]
    window = fc["forecast"].to_numpy(dtype=float)[keep] * lt[row]
    out = pd.DataFrame(
        {
            "unique_id": skus[row].to_numpy(),
            "ds": dates[col],
            "lead_time": lt[row],
            "actual": actual,
            "forecast": window,
            "error": actual - window,
        }
    )
    return out.sort_values(["unique_id", "ds"], ignore_index=True)


# --------------------------------------------------------------------------- kanban


def kanban_containers(
    demand_rate: ArrayLike,
    lead_time: ArrayLike,
    container_size: ArrayLike,
    *,
    safety_factor: ArrayLike = 0.0,
) -> int | np.ndarray | pd.Series:
    """Number of kanban containers ``ceil(D * L * (1 + alpha) / C)`` (the Toyota formula).

    Parameters
    ----------
    demand_rate : float, array or Series
        Demand per period ``D`` (units), at least 0.
    lead_time : float, array or Series
        Replenishment lead time ``L`` in the same periods (waiting plus processing plus
        conveyance time), at least 0.
    container_size : float, array or Series
        Units per container ``C``, greater than 0.
    safety_factor : float, array or Series, keyword-only
        Policy variable ``alpha``: safety stock as a fraction of lead-time demand (at least 0).

    Returns
    -------
    int, array of int or Series of int
        Containers needed, rounded up (rounding down would starve the line). A tolerance of
        1e-9 guards against floating-point noise (``4.0000000001`` is 4 containers).

    Notes
    -----
    Monden, *Toyota Production System* (3rd ed., 1998), ch. 2 and Heizer & Render,
    *Operations Management*, ch. "JIT, TPS and lean operations": number of kanbans =
    (demand during lead time + safety stock) / container size.

    Examples
    --------
    Heizer & Render's Hobbs Bakery example: 500 cakes a day, lead time 2 days, safety stock
    half a day (alpha = 0.25 of lead-time demand), containers of 250 cakes:

    >>> kanban_containers(500, 2, 250, safety_factor=0.25)
    5
    """
    (d, lt, c, alpha), index = _arguments(demand_rate=demand_rate, lead_time=lead_time,
                                          container_size=container_size,
                                          safety_factor=safety_factor)
    raw = d * lt * (1.0 + alpha) / c
    n = np.ceil(raw - 1e-9 * np.maximum(1.0, raw)).astype(np.int64)
    if n.ndim == 0:
        return int(n)
    if index is not None and n.ndim == 1:
        return pd.Series(n, index=index, name="kanban_containers")
    return n


# --------------------------------------------------------------------------- planning

#: Columns of the ``policy`` table of :func:`replenishment_plan` (name, kind, default, meaning).
PLAN_POLICY_COLUMNS: tuple[validate.Column, ...] = (
    validate.Column("unique_id", "text", description="SKU identifier"),
    validate.Column("on_hand", "number", description="units on hand now (negative = backorders)"),
    validate.Column("on_order", "number", required=False, default=0.0, min=0,
                    description="units ordered and not yet received"),
    validate.Column("lead_time", "integer", min=0, description="periods from order to receipt"),
    validate.Column("review_period", "integer", required=False, default=1, min=1,
                    description="periods between reviews (R)"),
    validate.Column("policy", "text", required=False, default="periodic",
                    description="'periodic' (R, S order-up-to) or 'continuous' (s, Q)"),
    validate.Column("safety_stock", "number", required=False, default=0.0, min=0,
                    description="units kept above forecast demand"),
    validate.Column("order_quantity", "number", required=False, default=0.0, min=0,
                    description="lot size Q of the continuous (s, Q) policy"),
    validate.Column("min_order", "number", required=False, default=0.0, min=0,
                    description="smallest order accepted by the supplier (units)"),
    validate.Column("pack_size", "number", required=False, default=1.0, min=0,
                    description="orders are whole multiples of this (units)"),
)


def _round_orders(raw: np.ndarray, min_order: np.ndarray, pack: np.ndarray) -> np.ndarray:
    """Apply the minimum order and round up to whole packs; no order when ``raw <= 0``."""
    positive = raw > 1e-9
    qty = np.maximum(raw, min_order)
    safe_pack = np.where(pack > 0, pack, 1.0)
    packs = np.ceil(qty / safe_pack - 1e-9)
    qty = np.where(pack > 0, packs * safe_pack, qty)
    return np.where(positive, qty, 0.0)


def order_quantities(
    position: np.ndarray,
    target: np.ndarray,
    lot: np.ndarray,
    review: np.ndarray,
    min_order: np.ndarray,
    pack: np.ndarray,
) -> np.ndarray:
    """Orders of one period for all SKUs (one array element per SKU; no checks, no loops).

    The ordering rule shared by :func:`replenishment_plan` and :func:`btm.replay.replay`.
    ``target`` is the order-up-to level S (lot == 0) or the reorder point s (lot > 0).
    ``review`` marks the SKUs reviewed this period. (R, S): order ``S - position``; (s, Q):
    when ``position < s`` order the smallest multiple of Q that lifts the position to at least
    s. Then the minimum order ``min_order`` and rounding up to whole packs of ``pack`` apply
    (``pack`` 0 = no rounding). Silver, Pyke & Thomas (4th ed.), ch. 6-7.

    Examples
    --------
    Position 3 below an order-up-to level 20 (packs of 6), and position 3 below a reorder
    point 10 with lots of 4:

    >>> order_quantities(np.array([3.0, 3.0]), np.array([20.0, 10.0]), np.array([0.0, 4.0]),
    ...                  np.array([True, True]), np.zeros(2), np.array([6.0, 1.0]))
    array([18.,  8.])
    """
    gap = target - position
    continuous = lot > 0
    n_lots = np.ceil(np.where(continuous, gap, 0.0) / np.where(continuous, lot, 1.0) - 1e-9)
    raw = np.where(continuous, np.where(gap > 1e-9, n_lots * lot, 0.0), gap)
    raw = np.where(review, raw, 0.0)
    return _round_orders(raw, min_order, pack)


@validate.tables_checked
def to_wide(
    data: pd.DataFrame, value: str, skus: pd.Index, dates: pd.DatetimeIndex, *,
    source: str | None = None, expected: str | None = None,
) -> np.ndarray:
    """A long ``unique_id, ds, <value>`` table as an array of SKUs x periods.

    For tables already checked by :func:`validate_demand` or :func:`validate_forecasts`
    (one row per SKU and period); rows outside `skus` and `dates` are left out. A `value` cell
    that is not a number is refused naming its row (counted from 1 in `data`), as
    :func:`btm.validate.frame` does; an empty cell reads as NaN.

    Parameters
    ----------
    data : pandas.DataFrame
        Columns ``unique_id``, ``ds`` and `value`.
    value : str
        The column to spread.
    skus, dates : pandas.Index, pandas.DatetimeIndex
        The rows and the columns of the result, in that order.
    source : str, optional
        Name of `data` in messages. When given, a SKU and period without a row is refused;
        without it the cell is NaN.
    expected : str, optional
        What a complete table holds, for that message (default: one row per SKU and period
        over `dates`).

    Returns
    -------
    numpy.ndarray
        Shape ``(len(skus), len(dates))``, floats.

    Examples
    --------
    >>> ds = pd.date_range("2026-01-05", periods=2, freq="W-MON")
    >>> d = pd.DataFrame({"unique_id": ["A", "A", "B"], "ds": [ds[0], ds[1], ds[1]],
    ...                   "y": [1.0, 2.0, 3.0]})
    >>> to_wide(d, "y", pd.Index(["A", "B"]), ds)
    array([[ 1.,  2.],
           [nan,  3.]])
    >>> to_wide(d, "y", pd.Index(["A", "B"]), ds, source="demand")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: demand: no row for unique_id 'B' and ds 2026-01-05; expected one row per SKU and period from 2026-01-05 to 2026-01-12
    >>> to_wide(d.assign(y=["1", "2 units", "3"]), "y", pd.Index(["A", "B"]), ds, source="demand")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: demand, row 2, column 'y': got '2 units'; expected a number
    """
    row = skus.get_indexer(data["unique_id"])
    col = dates.get_indexer(data["ds"])
    keep = (row >= 0) & (col >= 0)
    out = np.full((len(skus), len(dates)), np.nan)
    # cells that are not numbers ("12 units", True, inf) are refused by row, as everywhere
    numbers = validate.frame(data[[value]], [validate.Column(value, "number", allow_missing=True)],
                             source=source or "table", allow_empty=True)[value].to_numpy()
    out[row[keep], col[keep]] = numbers[keep]
    missing = np.isnan(out)
    if source is not None and missing.any():
        r, c = (int(i) for i in np.argwhere(missing)[0])
        if expected is None:
            expected = (f"one row per SKU and period from {dates[0].date()} to "
                        f"{dates[-1].date()}")
        raise InputError(
            f"{source}: no row for unique_id {skus[r]!r} and ds {dates[c].date()}; expected "
            f"{expected}"
        )
    return out


def _period_offset(dates: pd.DatetimeIndex, freq: str | None, source: str) -> pd.DateOffset:
    if freq is not None:
        try:
            return pd.tseries.frequencies.to_offset(freq)
        except ValueError:
            raise InputError(f"freq: got {freq!r}; expected a pandas frequency such as "
                             "'W-MON' or 'MS'") from None
    # freq="infer" gives the offset pd.infer_freq would name, without pd.infer_freq's pandas 3.1
    # warning that its return type will change from str to DateOffset.
    inferred = pd.DatetimeIndex(dates, freq="infer").freq if len(dates) >= 3 else None
    if inferred is None:
        raise InputError(
            f"{source}: cannot infer the period length from column 'ds'; expected a regular grid "
            "of at least 3 periods or the freq parameter (such as 'W-MON')"
        )
    return inferred


def _check_grid(dates: pd.DatetimeIndex, offset: pd.DateOffset, source: str) -> None:
    grid = pd.date_range(dates[0], periods=len(dates), freq=offset)
    if not grid.equals(dates):
        gap = int(np.flatnonzero(grid != dates)[0])
        raise InputError(
            f"{source}, column 'ds': period {dates[gap].date()} is off the regular grid of "
            f"{offset.freqstr} periods starting {dates[0].date()} (expected {grid[gap].date()}); "
            "expected consecutive periods"
        )


_DEMAND_COLUMNS = (
    validate.Column("unique_id", "text", description="SKU identifier"),
    validate.Column("ds", "date", description="period start date"),
    validate.Column("y", "number", min=0, description="demand in the period (units)"),
)


@constrained(source=Text())
def validate_demand(demand: pd.DataFrame, *, source: str = "demand") -> pd.DataFrame:
    """Check a long demand history (``unique_id``, ``ds``, ``y`` >= 0, one row per SKU and ds).

    Returns a cleaned copy with only those three columns (see :func:`btm.validate.frame`);
    unlike :func:`btm.demand.validate_history` it neither sorts nor requires a regular grid.

    Examples
    --------
    >>> d = pd.DataFrame({"unique_id": ["A", "A"], "ds": ["2026-01-05", "2026-01-05"], "y": [1, 2]})
    >>> validate_demand(d)
    Traceback (most recent call last):
    ...
    btm.errors.InputError: demand, row 2: unique_id 'A' and ds 2026-01-05 appear twice; expected one row per SKU and period
    """
    hist = validate.frame(demand, _DEMAND_COLUMNS, source=source, keep_extra=False)
    _no_duplicates(hist, source)
    return hist


@constrained(require_std=Boolean(), source=Text())
def validate_forecasts(
    forecasts: pd.DataFrame, *, require_std: bool = False, source: str = "forecasts"
) -> pd.DataFrame:
    """Check per-period forecasts: ``unique_id``, ``ds``, ``forecast`` >= 0, one row per SKU
    and ds, and ``forecast_std`` >= 0 when present or when `require_std`.

    Returns a cleaned copy with only those columns (see :func:`btm.validate.frame`).

    Examples
    --------
    >>> f = pd.DataFrame({"unique_id": ["A"], "ds": ["2026-01-05"], "forecast": [4]})
    >>> validate_forecasts(f)["forecast"].tolist()
    [4.0]
    """
    columns = [
        validate.Column("unique_id", "text"),
        validate.Column("ds", "date"),
        validate.Column("forecast", "number", min=0),
    ]
    if require_std or (isinstance(forecasts, pd.DataFrame) and "forecast_std" in forecasts):
        columns.append(validate.Column("forecast_std", "number", min=0))
    fc = validate.frame(forecasts, columns, source=source, keep_extra=False)
    _no_duplicates(fc, source)
    return fc


def _no_duplicates(data: pd.DataFrame, source: str) -> None:
    dup = data[["unique_id", "ds"]].duplicated().to_numpy()
    if dup.any():
        row = int(np.flatnonzero(dup)[0]) + 1
        raise InputError(
            f"{source}, row {row}: unique_id {data['unique_id'].iloc[row - 1]!r} and ds "
            f"{data['ds'].iloc[row - 1].date()} appear twice; expected one row per SKU and period"
        )


@constrained(freq=NoneOr(_FREQ))
def replenishment_plan(
    forecast: pd.DataFrame,
    policy: pd.DataFrame,
    *,
    start: Any = None,
    freq: str | None = None,
) -> pd.DataFrame:
    """Planned orders per SKU over the forecast horizon.

    Projects each SKU's inventory position forward with its forecast and places orders by a
    periodic-review order-up-to (R, S) or a continuous-review (s, Q) policy, vectorised across
    SKUs (the loop runs over periods only).

    Parameters
    ----------
    forecast : DataFrame
        ``unique_id``, ``ds``, ``forecast``: the future demand per SKU and period, one row per
        SKU and period on a regular grid (every SKU of ``policy`` over the same dates).
    policy : DataFrame
        One row per SKU; columns (see :data:`PLAN_POLICY_COLUMNS`):

        - ``unique_id``; ``on_hand`` (units now, negative for backorders);
        - ``on_order`` (units ordered, not yet received; default 0) -- counted in the
          inventory position, so its arrival date does not change the orders;
        - ``lead_time`` (whole periods, order at the start of period t arrives at the start
          of t + lead_time);
        - ``review_period`` R (periods between reviews, default 1; the first review is at
          ``start``);
        - ``policy``: ``"periodic"`` (default) orders up to
          ``S_t = forecast over the next lead_time + R periods + safety_stock``;
          ``"continuous"`` orders ``n * order_quantity`` when the position is below
          ``s_t = forecast over the next lead_time + R periods + safety_stock``
          (with R = 1 this is (s, Q) reviewed every period);
        - ``safety_stock`` (units, default 0; e.g. from :func:`safety_stock`);
        - ``order_quantity`` Q (required > 0 for ``continuous``; e.g. from :func:`eoq`);
        - ``min_order`` (default 0) and ``pack_size`` (default 1; 0 = no rounding): an order
          is raised to ``min_order`` and then rounded up to a whole number of packs.
    start : date-like, keyword-only
        First period to plan (an order can be placed at its start). Default: the first ``ds``
        of ``forecast``. Forecast rows before it are ignored.
    freq : str, keyword-only
        Period length (pandas alias such as ``"W-MON"``) used to date arrivals beyond the
        forecast horizon. Default: inferred from ``ds``.

    Returns
    -------
    DataFrame
        One row per planned order: ``unique_id``, ``order_ds``, ``arrival_ds``, ``quantity``
        and ``inventory_position`` (after the order), sorted by SKU and date.

    Notes
    -----
    The inventory position after period t's demand is projected as
    ``position + order - forecast_t``. Demand beyond the last forecast period (needed for
    the protection interval near the end of the horizon) is taken equal to the SKU's last
    forecast. Orders are placed only in the forecast periods from ``start`` on.

    Examples
    --------
    >>> import pandas as pd
    >>> ds = pd.date_range("2026-11-02", periods=4, freq="W-MON")
    >>> fc = pd.DataFrame({"unique_id": "A", "ds": ds, "forecast": 10.0})
    >>> pol = pd.DataFrame({"unique_id": ["A"], "on_hand": [25], "lead_time": [1],
    ...                     "review_period": [1], "safety_stock": [5], "pack_size": [6]})
    >>> replenishment_plan(fc, pol)[["order_ds", "quantity"]]
        order_ds  quantity
    0 2026-11-09      12.0
    1 2026-11-16      12.0
    2 2026-11-23       6.0
    """
    fc = validate_forecasts(forecast, source="forecast")
    pol = validate.frame(policy, PLAN_POLICY_COLUMNS, source="policy")
    if pol["unique_id"].duplicated().any():
        row = int(np.flatnonzero(pol["unique_id"].duplicated().to_numpy())[0]) + 1
        raise InputError(f"policy, row {row}, column 'unique_id': {pol['unique_id'].iloc[row - 1]!r} "
                         "appears twice; expected one row per SKU")
    kinds = pol["policy"].str.lower()
    bad_kind = ~kinds.isin(["periodic", "continuous"]).to_numpy()
    if bad_kind.any():
        row = int(np.flatnonzero(bad_kind)[0]) + 1
        raise InputError(f"policy, row {row}, column 'policy': got {pol['policy'].iloc[row - 1]!r}; "
                         "expected 'periodic' or 'continuous'")
    continuous = (kinds == "continuous").to_numpy()
    no_lot = continuous & (pol["order_quantity"].to_numpy() <= 0)
    if no_lot.any():
        row = int(np.flatnonzero(no_lot)[0]) + 1
        raise InputError(
            f"policy, row {row}, column 'order_quantity': SKU {pol['unique_id'].iloc[row - 1]!r} "
            "has a continuous policy but no order quantity; expected a number greater than 0"
        )
    if start is not None:
        try:
            start_ts = pd.Timestamp(start)
        except (TypeError, ValueError):
            raise InputError(f"start: got {start!r}; expected a date such as 2026-11-02") from None
        fc = fc[fc["ds"] >= start_ts]
        if fc.empty:
            raise InputError(f"start: got {start_ts.date()}, after the last forecast period; "
                             "expected a date within the forecast horizon")
    skus = pd.Index(pol["unique_id"].to_numpy(), name="unique_id")
    dates = pd.DatetimeIndex(sorted(fc["ds"].unique()))
    offset = _period_offset(dates, freq, "forecast")
    _check_grid(dates, offset, "forecast")
    f = to_wide(fc, "forecast", skus, dates, source="forecast")

    n, horizon = f.shape
    lead = pol["lead_time"].to_numpy(dtype=np.int64)
    review = pol["review_period"].to_numpy(dtype=np.int64)
    lot = np.where(continuous, pol["order_quantity"].to_numpy(dtype=float), 0.0)
    ss = pol["safety_stock"].to_numpy(dtype=float)
    min_order = pol["min_order"].to_numpy(dtype=float)
    pack = pol["pack_size"].to_numpy(dtype=float)

    # Protection-interval demand sum_{u=t}^{t+L+R-1} f_u, with f extended by its last value.
    cover = lead + review
    extended = np.concatenate([f, np.repeat(f[:, -1:], int(cover.max()), axis=1)], axis=1)
    csum = np.concatenate([np.zeros((n, 1)), np.cumsum(extended, axis=1)], axis=1)
    rows = np.arange(n)

    position = pol["on_hand"].to_numpy(dtype=float) + pol["on_order"].to_numpy(dtype=float)
    orders = np.zeros((n, horizon))
    after = np.zeros((n, horizon))
    for t in range(horizon):
        target = csum[rows, t + cover] - csum[:, t] + ss
        q = order_quantities(position, target, lot, t % review == 0, min_order, pack)
        orders[:, t] = q
        after[:, t] = position + q
        position = position + q - f[:, t]

    r, c = np.nonzero(orders > 0)
    grid = pd.date_range(dates[0], periods=horizon + int(lead.max()) + 1, freq=offset)
    return pd.DataFrame(
        {
            "unique_id": skus[r].to_numpy(),
            "order_ds": dates[c],
            "arrival_ds": grid[c + lead[r]],
            "quantity": orders[r, c],
            "inventory_position": after[r, c],
        }
    )


