"""Time value of money: NPV, IRR, XNPV, XIRR, payback, discount and annuity factors; depreciation.

Conventions (see ``shared/API.md``): rates are fractions; ``values[0]`` occurs now (t = 0) and
``values[k]`` at the end of period k (numpy-financial's convention, not Excel's ``NPV``, which
discounts its first value by one period). Dated functions (:func:`xnpv`, :func:`xirr`) follow
Excel: time is counted in whole days from the first date over a 365-day year.

Scalar arguments are declared with :func:`btm.constraints.constrained` (``Rate()`` for a
discount rate, ``Rate(allow_negative=True)`` for a periodic rate that may be negative) and
sequences checked through :mod:`btm.validate`; bad input raises :class:`btm.InputError`
naming the parameter (``rate``, ``discount_rate``, ``values``, ``dates`` ...).

Examples
--------
>>> round(npv(0.1, [-100, 60, 60]), 2)
4.13
>>> round(irr([-100, 60, 60]), 4)
0.1307
>>> round(payback_period([-100, 60, 60]), 4)
1.6667
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize

from btm import validate
from btm.constraints import Interval, Rate, constrained
from btm.errors import InputError, input_error

__all__ = [
    "npv",
    "irr",
    "irr_all",
    "xnpv",
    "xirr",
    "payback_period",
    "discounted_payback_period",
    "present_value",
    "equivalent_annual_cost",
    "discount_factors",
    "annuity_factor",
    "straight_line_depreciation",
]

_DISCOUNT_RATE = Rate()
# A rate per period, as a fraction greater than -1 (negative rates are legitimate for IRR
# results and real-terms analyses); 8 is refused as a percentage.
_PERIODIC_RATE = Rate(allow_negative=True)

# Rates are searched for in x = ln(1 + rate) on [-_X_MAX, _X_MAX], i.e. from about -99.9994 %
# to about +16 million % per period; denser near zero, where real-world rates live.
_X_MAX = 12.0
_X_GRID = np.sinh(np.linspace(-np.arcsinh(_X_MAX), np.arcsinh(_X_MAX), 4001))
# A horizon given as a number of years: whole, 0..10,000 (2.7 is a mistake, not 2).
_HORIZON_YEARS = Interval(int, 0, 10_000)
# Timelines up to this many values have their IRRs found as polynomial roots (numpy.roots,
# as numpy-financial; cost grows with the cube of the length); longer ones by bracketing.
_ROOTS_MAX_LENGTH = 200


# --------------------------------------------------------------------------- factors


@constrained(discount_rate=_DISCOUNT_RATE)
def discount_factors(discount_rate: float, years: np.ndarray | list[int] | int) -> np.ndarray:
    """Discount factor ``(1 + discount_rate) ** -k`` for each year k (year 0 is undiscounted).

    Parameters
    ----------
    discount_rate : float
        Fraction per year (0.08 for 8 %).
    years : int or array of int
        Year numbers, or a horizon: an int ``n`` means years ``0..n``.

    Raises
    ------
    InputError
        A horizon that is not a whole number from 0 to 10,000 (``2.7`` is refused, not cut
        to 2), or year numbers that are negative or not finite.

    Examples
    --------
    >>> discount_factors(0.1, 2).round(4)
    array([1.    , 0.9091, 0.8264])
    >>> discount_factors(0.1, 2.7)
    Traceback (most recent call last):
    ...
    btm.errors.InputError: years: got 2.7; expected a whole number of at least 0 and of at most 10,000
    """
    r = discount_rate
    if years is None or np.isscalar(years):
        n = _HORIZON_YEARS.check(years.item() if isinstance(years, np.generic) else years,
                                 "years")
        return (1.0 + r) ** -np.arange(n + 1)
    k = validate.check_array(years, "years", Interval(float, 0))
    return (1.0 + r) ** -k


@constrained(discount_rate=_DISCOUNT_RATE, periods=Interval(int, 1))
def annuity_factor(discount_rate: float, periods: int) -> float:
    """Present value of 1 paid at the end of each of `periods` periods.

    ``(1 - (1 + r) ** -n) / r``, or ``n`` when ``r == 0``. The equivalent annual cost of a
    present value ``pv`` is ``pv / annuity_factor(r, n)``.

    Examples
    --------
    >>> round(annuity_factor(0.1, 3), 4)
    2.4869
    """
    r, n = discount_rate, periods
    if r == 0:
        return float(n)
    # -expm1(-n log1p(r)) is 1 - (1 + r) ** -n without cancellation for tiny rates.
    return float(-np.expm1(-n * np.log1p(r)) / r)


# --------------------------------------------------------------------------- periodic


@constrained(rate=_PERIODIC_RATE)
def npv(rate: float, values: Any) -> float:
    """Net present value of a timeline whose first value occurs now.

    ``sum(values[k] / (1 + rate) ** k for k = 0..n)``: the numpy-financial convention. Excel's
    ``NPV(rate, v1, ..., vn)`` instead starts at period 1; Excel's figure is
    ``npv(rate, [0, v1, ..., vn])``.

    Parameters
    ----------
    rate : float
        Discount rate per period as a fraction (0.08 for 8 %), greater than -1.
    values : sequence of float
        Cash flows: ``values[0]`` now, ``values[k]`` at the end of period k (list, numpy array
        or pandas Series; a Series' index is ignored, only the order counts).

    Returns
    -------
    float

    Raises
    ------
    InputError
        `rate` not a fraction above -1 (``8`` for 8 % is refused), `values` empty, not numbers,
        or not finite.

    Examples
    --------
    >>> round(npv(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000]), 2)
    3065.22
    """
    r = rate
    v = validate.nonempty_sequence(values, "values")
    return float(np.dot(v, (1.0 + r) ** -np.arange(v.size)))


def _has_sign_change(v: np.ndarray) -> bool:
    return bool(np.any(v > 0) and np.any(v < 0))


def irr_all(values: Any) -> np.ndarray:
    """Every real internal rate of return (> -1) of a periodic timeline, in increasing order.

    A timeline whose cash flows change sign more than once can have several IRRs (Descartes'
    rule of signs bounds their number by the number of sign changes); this function shows them
    all so an analyst can see the ambiguity that :func:`irr` has to resolve.

    Parameters
    ----------
    values : sequence of float
        Cash flows, ``values[0]`` now and ``values[k]`` at the end of period k.

    Returns
    -------
    numpy.ndarray
        Sorted rates (fractions); empty when there is none, e.g. when all cash flows have the
        same sign. A double root (NPV touching zero without crossing) appears once.

    Notes
    -----
    With ``x = 1 / (1 + rate)`` the NPV is the polynomial ``sum(values[k] * x**k)``; its roots
    are found with :func:`numpy.roots` (as numpy-financial does), real positive ones are kept
    (tolerating round-off in the imaginary part), refined by Newton steps and checked to make
    the NPV vanish. That costs the cube of the length, so timelines longer than 200 periods
    are solved instead as :func:`xirr` is: the NPV is evaluated on a grid of rates from about
    -99.9994 % to +16 million % (dense near zero), and every sign change is bracketed and
    solved with :func:`scipy.optimize.brentq` (Brent 1973), linear in the length (3,000
    monthly flows take milliseconds). There, a root where the NPV touches zero without
    crossing it is not reported.

    Examples
    --------
    >>> irr_all([-100, 230, -132]).round(6)
    array([0.1, 0.2])
    >>> irr_all([100, 50]).size
    0
    """
    v = validate.nonempty_sequence(values, "values")
    if not _has_sign_change(v):
        return np.empty(0)
    if v.size > _ROOTS_MAX_LENGTH:
        return _bracketed_rates(v)
    coeffs = np.trim_zeros(v[::-1], "f")  # highest power first; trailing zero flows dropped
    roots = np.roots(coeffs)
    size = np.maximum(np.abs(roots), 1.0)
    x = roots[(np.abs(roots.imag) <= 1e-6 * size) & (roots.real > 0)].real
    if x.size == 0:
        return np.empty(0)
    slope = np.polyder(coeffs)
    with np.errstate(all="ignore"):
        for _ in range(20):
            f = np.polyval(coeffs, x)
            d = np.polyval(slope, x)
            step = np.divide(f, d, out=np.zeros_like(f), where=d != 0)
            candidate = x - step
            better = (
                (candidate > 0)
                & np.isfinite(candidate)
                & (np.abs(np.polyval(coeffs, candidate)) <= np.abs(f))
            )
            if not better.any():
                break
            x = np.where(better, candidate, x)
        residual = np.abs(np.polyval(coeffs, x)) / np.polyval(np.abs(coeffs), x)
    x = x[residual <= 1e-7]
    rates = np.sort(1.0 / x - 1.0)
    if rates.size > 1:
        keep = np.concatenate(([True], np.diff(rates) > 1e-7 * (1.0 + np.abs(rates[1:]))))
        rates = rates[keep]
    return rates


def _scaled_npv(v: np.ndarray, t: np.ndarray, x: np.ndarray | float) -> np.ndarray:
    """NPV at rate ``expm1(x)`` for each x, times a positive factor that keeps exp() finite.

    The factor does not change the sign, so sign changes over a grid of x bracket the roots.
    """
    e = -np.multiply.outer(np.atleast_1d(x), t)
    return (v * np.exp(e - e.max(axis=1, keepdims=True))).sum(axis=1)


def _bracketed_rates(v: np.ndarray, t: np.ndarray | None = None) -> np.ndarray:
    """Rates at which the NPV changes sign, each solved by Brent's method in ln(1 + rate).

    The scaled NPV is evaluated on the grid ``_X_GRID`` (dense near zero) and every sign
    change is refined with :func:`scipy.optimize.brentq`; cost is linear in the length. A root
    where the NPV touches zero without crossing, or two roots closer than the grid spacing
    (about 0.16 percentage points near 0 %), is not seen.
    """
    t = np.arange(v.size, dtype=float) if t is None else t
    nonzero = v != 0  # zero flows add nothing, and must not set the scale (underflow)
    v, t = v[nonzero], t[nonzero]
    grid = _X_GRID
    f = np.concatenate([_scaled_npv(v, t, chunk) for chunk in np.array_split(grid, 8)])
    s = np.sign(f)
    roots = list(grid[s == 0])
    for i in np.flatnonzero(s[:-1] * s[1:] < 0):
        roots.append(optimize.brentq(lambda x: float(_scaled_npv(v, t, x)[0]),
                                     grid[i], grid[i + 1], xtol=1e-15, rtol=1e-15))
    return np.sort(np.expm1(np.asarray(roots, dtype=float)))


def irr(values: Any) -> float:
    """Internal rate of return of a periodic timeline; ``nan`` when there is no real rate.

    The IRR is the rate at which :func:`npv` is zero.

    Parameters
    ----------
    values : sequence of float
        Cash flows, ``values[0]`` now and ``values[k]`` at the end of period k.

    Returns
    -------
    float
        The rate (fraction per period), or ``nan`` when the cash flows never change sign or
        the NPV has no real root above -1. No warning is issued in either case.

    Notes
    -----
    **Several roots.** When the cash flows change sign more than once the NPV can vanish at
    several rates (``[-100, 230, -132]`` at 10 % and at 20 %). This function then returns the
    root **closest to zero**, exactly the rule numpy-financial's ``irr`` uses (its source:
    "NPV(rate) = 0 can have more than one solution so we return only the solution closest to
    zero"). The choice is deterministic and does not depend on a starting guess; Excel's
    ``IRR`` instead returns whichever root its Newton iteration reaches from ``guess`` (10 % by
    default), so on such timelines it can differ. None of the roots is "the" return of such a
    project: look at all of them with :func:`irr_all` and decide on :func:`npv` at the cost of
    capital.

    Examples
    --------
    >>> round(irr([-70_000, 12_000, 15_000, 18_000, 21_000, 26_000]), 4)
    0.0866
    >>> round(irr([-100, 230, -132]), 6)  # roots 10 % and 20 %: the one closest to zero
    0.1
    >>> irr([100, 50])
    nan
    """
    rates = irr_all(values)
    if rates.size == 0:
        return math.nan
    return float(rates[np.argmin(np.abs(rates))])


# --------------------------------------------------------------------------- dated


def _to_timestamp(value: Any, where: str) -> pd.Timestamp:
    bad = InputError(f"{where}: got {value!r}; expected a date such as 2024-01-31")
    if value is None or isinstance(value, bool | numbers.Number):
        raise bad  # numbers are not dates here (no Excel serials, no epoch nanoseconds)
    if not isinstance(value, str | _dt.date | np.datetime64 | pd.Timestamp):
        raise bad
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError):
        raise bad from None
    if ts is pd.NaT:
        raise bad
    if ts.tzinfo is not None:
        ts = ts.tz_convert(None)
    return ts


def _day_offsets(dates: Any, n: int) -> np.ndarray:
    """Whole days from the first date for each date, as floats; checks everything."""
    if isinstance(dates, str | bytes) or dates is None or not hasattr(dates, "__iter__"):
        raise InputError(f"dates: got {dates!r}; expected a sequence of dates, one per value")
    arr = np.asarray(dates)
    if arr.ndim != 1:
        raise InputError(f"dates: got an array of shape {arr.shape}; expected one dimension")
    if arr.dtype.kind == "M" and not np.isnat(arr).any():
        stamps = pd.DatetimeIndex(arr)
    else:
        items = list(dates)
        stamps = pd.DatetimeIndex([_to_timestamp(d, f"dates[{i}]") for i, d in enumerate(items)])
    if len(stamps) != n:
        raise InputError(
            f"dates: got {len(stamps)} date(s) for {n} value(s); expected one date per value"
        )
    # Excel truncates date serials to whole days: the time of day is ignored.
    days = stamps.normalize().to_numpy(dtype="datetime64[D]").astype(np.int64)
    offsets = days - days[0]
    early = offsets < 0
    if early.any():
        i = int(np.flatnonzero(early)[0])
        raise InputError(
            f"dates[{i}]: {stamps[i].date()} is before the first date {stamps[0].date()}; "
            "expected the first date to be the earliest (the start of the schedule, as Excel's "
            "XNPV and XIRR require: they return #NUM! otherwise)"
        )
    return offsets.astype(float)


def _dated(values: Any, dates: Any) -> tuple[np.ndarray, np.ndarray]:
    v = validate.nonempty_sequence(values, "values")
    return v, _day_offsets(dates, v.size) / 365.0


@constrained(rate=_PERIODIC_RATE)
def xnpv(rate: float, values: Any, dates: Any) -> float:
    """Net present value of dated cash flows, as Excel's ``XNPV``.

    ``sum(values[i] / (1 + rate) ** ((dates[i] - dates[0]).days / 365))``.

    Parameters
    ----------
    rate : float
        Annual discount rate as a fraction (0.09 for 9 %), greater than -1.
    values : sequence of float
        Cash flows; ``values[0]`` occurs on ``dates[0]`` and is not discounted.
    dates : sequence of dates
        One per value: ``str`` ("2008-01-31"), ``datetime.date``/``datetime``,
        ``numpy.datetime64`` or ``pandas.Timestamp`` (a list, array, Series or DatetimeIndex).
        The time of day is ignored (Excel truncates date serials to whole days).

    Returns
    -------
    float

    Raises
    ------
    InputError
        Bad `rate` or `values`; a date that cannot be read; a number of dates different from
        the number of values; a date earlier than the first date. Excel returns ``#NUM!`` for
        the last case; btm refuses it because the first date defines "now" and an earlier
        date is almost always a sorting or typing mistake. Later dates may come in any order.

    Examples
    --------
    >>> round(xnpv(0.09, [-10_000, 2_750, 4_250, 3_250, 2_750],
    ...            ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]), 2)
    2086.65
    """
    r = rate
    v, t = _dated(values, dates)
    return float(np.dot(v, (1.0 + r) ** -t))


def xirr(values: Any, dates: Any) -> float:
    """Internal rate of return of dated cash flows, as Excel's ``XIRR``; ``nan`` when none.

    The annual rate at which :func:`xnpv` is zero.

    Parameters
    ----------
    values : sequence of float
        Cash flows, ``values[0]`` on ``dates[0]``.
    dates : sequence of dates
        As for :func:`xnpv`.

    Returns
    -------
    float
        The annual rate (fraction), or ``nan`` when the values never change sign (Excel:
        ``#NUM!``) or XNPV has no root between about -99.9994 % and +16 million %.

    Notes
    -----
    Instead of Excel's Newton iteration from a guess, XNPV is evaluated (overflow-safe, in
    ``ln(1 + rate)``) on a grid that is dense near zero, every sign change is bracketed and
    solved with :func:`scipy.optimize.brentq`. When there are several roots the one closest to
    zero is returned, the same rule as :func:`irr`. Inputs are checked as in :func:`xnpv`.

    Examples
    --------
    >>> round(xirr([-10_000, 2_750, 4_250, 3_250, 2_750],
    ...            ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]), 6)
    0.373363
    """
    v, t = _dated(values, dates)
    if not _has_sign_change(v) or t.max() == 0:
        return math.nan

    rates = _bracketed_rates(v, t)
    if rates.size == 0:
        return math.nan
    return float(rates[np.argmin(np.abs(rates))])


# --------------------------------------------------------------------------- payback


def payback_period(values: Any) -> float:
    """Periods until the cumulative cash flow first turns non-negative, interpolated.

    With cumulative sums ``c[k] = values[0] + ... + values[k]`` and ``k`` the first period
    where ``c[k] >= 0``, the payback is ``(k - 1) + (-c[k - 1]) / values[k]``: the flow of
    period k is taken to arrive evenly through the period (the usual textbook interpolation).

    Parameters
    ----------
    values : sequence of float
        Cash flows, ``values[0]`` now and ``values[k]`` at the end of period k.

    Returns
    -------
    float
        ``0.0`` when the cumulative sum is never negative (nothing to pay back), ``inf`` when
        it goes negative and never turns non-negative again. Leading zeros (an investment
        that starts in year 1) do not count as paid back: the clock starts at t = 0 and the
        payback is the first return to non-negative after the first negative cumulative sum. Later dips below zero (a decommissioning
        cost, say) do not move the payback: it is the *first* crossing, and, like every
        payback figure, it ignores everything after it; use :func:`npv` for decisions.

    Examples
    --------
    >>> payback_period([-2_000, 500, 500, 5_000])  # 1,000 still due after year 2
    2.2
    >>> round(payback_period([-72_000, 25_000, 25_000, 15_000, 10_000, 30_000]), 2)
    3.7
    >>> payback_period([-100, 10, 10])
    inf
    >>> round(payback_period([0, -100, 60, 60]), 4)  # spending starts in year 1
    2.6667
    """
    v = validate.nonempty_sequence(values, "values")
    return _payback(v)


def _payback(v: np.ndarray) -> float:
    c = np.cumsum(v)
    negative = np.flatnonzero(c < 0)
    if negative.size == 0:
        return 0.0
    first_negative = int(negative[0])
    hit = np.flatnonzero(c[first_negative:] >= 0)
    if hit.size == 0:
        return math.inf
    k = first_negative + int(hit[0])
    return float((k - 1) + (-c[k - 1]) / v[k])


@constrained(rate=_PERIODIC_RATE)
def discounted_payback_period(rate: float, values: Any) -> float:
    """Payback period of the discounted cash flows ``values[k] / (1 + rate) ** k``.

    Same rules as :func:`payback_period` (first crossing, interpolated, ``inf`` when never).

    Parameters
    ----------
    rate : float
        Discount rate per period as a fraction (0.1 for 10 %), greater than -1.
    values : sequence of float
        Cash flows, ``values[0]`` now and ``values[k]`` at the end of period k.

    Examples
    --------
    >>> round(discounted_payback_period(0.14, [-5_200, 2_800, 3_700, 5_100, 4_300]), 2)
    1.96
    """
    r = rate
    v = validate.nonempty_sequence(values, "values")
    return _payback(v * (1.0 + r) ** -np.arange(v.size))


# --------------------------------------------------------------------------- TCO helpers


def _cash_flow_table(values: Any, name: str) -> np.ndarray:
    if isinstance(values, pd.DataFrame):
        values = values.to_numpy()
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.ndim != 2:
        return validate.nonempty_sequence(values, name)
    if arr.size == 0:
        raise InputError(f"{name}: the table is empty; expected at least one row and one year")
    bad = ~np.isfinite(arr)
    if bad.any():
        i, j = (int(a[0]) for a in np.nonzero(bad))
        raise InputError(f"{name}[{i}, {j}]: got {arr[i, j]}; expected a finite number")
    return arr


@constrained(discount_rate=_DISCOUNT_RATE)
def present_value(values: Any, *, discount_rate: float) -> float | np.ndarray:
    """Present value of yearly amounts, year 0 undiscounted (the TCO convention).

    Parameters
    ----------
    values : sequence of float, or 2-D array
        Amounts for years ``0..n``. A 2-D array (rows = options or simulation trials, columns =
        years) gives one present value per row, computed in one matrix product.
    discount_rate : float
        Fraction per year (0.08 for 8 %), at least 0.

    Returns
    -------
    float or numpy.ndarray
        A float for one timeline, an array with one value per row for a table.

    Examples
    --------
    >>> round(present_value([100, 100, 100], discount_rate=0.1), 2)
    273.55
    >>> present_value([[100, 0], [0, 110]], discount_rate=0.1).round(2)
    array([100., 100.])
    """
    arr = _cash_flow_table(values, "values")
    factors = discount_factors(discount_rate, arr.shape[-1] - 1)
    out = arr @ factors
    return float(out) if arr.ndim == 1 else out


@constrained(present_value=Interval(float), discount_rate=_DISCOUNT_RATE,
             years=Interval(int, 1))
def equivalent_annual_cost(present_value: float, *, discount_rate: float, years: int) -> float:
    """Level amount at the end of each of years ``1..years`` with the given present value.

    ``present_value / annuity_factor(discount_rate, years)``; the same as
    ``-numpy_financial.pmt(discount_rate, years, present_value)``.

    Parameters
    ----------
    present_value : float
        Present value of the costs (or of any amounts) at year 0.
    discount_rate : float
        Fraction per year (0.06 for 6 %), at least 0.
    years : int
        Number of yearly payments, at least 1.

    Examples
    --------
    >>> round(equivalent_annual_cost(28.37, discount_rate=0.06, years=3), 2)
    10.61
    """
    return present_value / annuity_factor(discount_rate, years)


# --------------------------------------------------------------------------- depreciation


def straight_line_depreciation(
    cost: Any, useful_life: Any, *, salvage: Any = 0.0
) -> pd.DataFrame:
    """Straight-line depreciation schedules: ``(cost - salvage) / useful_life`` each period.

    One schedule per asset, all computed at once (no loop over assets).

    Parameters
    ----------
    cost : float or sequence of float
        Cost of each asset, at least 0.
    useful_life : int or sequence of int
        Whole periods of depreciation of each asset, at least 1.
    salvage : float or sequence of float
        Value left at the end of the useful life, from 0 to the cost. Default 0.

    Returns
    -------
    pandas.DataFrame
        One row per asset and period: ``asset`` (position in the input), ``period``
        (1..useful_life), ``depreciation`` and ``book_value`` (cost less the depreciation to
        the end of the period; ``salvage`` after the last one).

    Raises
    ------
    InputError
        A cost below 0, a useful life that is not a whole number of at least 1, a salvage
        value below 0 or above the cost, or arguments of different lengths.

    Notes
    -----
    Kieso, Weygandt & Warfield, *Intermediate Accounting*, ch. 11 ("Stanley Coal Mines"):
    a crane costing 500,000 with a salvage value of 50,000 and a five-year life depreciates
    (500,000 - 50,000) / 5 = 90,000 a year. A period is whatever the life is counted in
    (years for :mod:`btm.budget`, which charges the whole first year: full-year convention).

    Examples
    --------
    >>> straight_line_depreciation(500_000, 5, salvage=50_000)  # doctest: +NORMALIZE_WHITESPACE
       asset  period  depreciation  book_value
    0      0       1       90000.0    410000.0
    1      0       2       90000.0    320000.0
    2      0       3       90000.0    230000.0
    3      0       4       90000.0    140000.0
    4      0       5       90000.0     50000.0
    """
    c = validate.check_array(cost, "cost", Interval(float, 0))
    life_f = validate.check_array(useful_life, "useful_life", Interval(int, 1))
    left = validate.check_array(salvage, "salvage", Interval(float, 0))
    try:
        c, life_f, left = (np.atleast_1d(a).ravel() for a in np.broadcast_arrays(c, life_f, left))
    except ValueError:
        raise InputError(
            f"arguments: cost {np.shape(c)}, useful_life {np.shape(life_f)} and salvage "
            f"{np.shape(left)} do not broadcast; expected one value per asset"
        ) from None
    above = left > c
    if above.any():
        i = int(np.argmax(above))
        raise input_error(f"salvage[{i}]", got=float(left[i]), literal=True,
                          expected=f"at most the cost, {float(c[i]):g}")
    life = life_f.astype(np.int64)
    asset = np.repeat(np.arange(len(life)), life)
    period = np.arange(1, life.sum() + 1) - np.repeat(np.cumsum(life) - life, life)
    per_period = ((c - left) / life)[asset]
    book_value = np.where(period == life[asset], left[asset], c[asset] - per_period * period)
    return pd.DataFrame({
        "asset": asset,
        "period": period,
        "depreciation": per_period,
        "book_value": book_value,
    })
