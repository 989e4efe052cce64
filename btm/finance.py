"""Time value of money: NPV, IRR, XNPV, XIRR, payback, discount and annuity factors.

Conventions (see ``shared/API.md``): rates are fractions; ``values[0]`` occurs now (t = 0) and
``values[k]`` at the end of period k (numpy-financial's convention, not Excel's ``NPV``).
"""

from __future__ import annotations

import numpy as np

from btm import validate

__all__ = ["discount_factors", "annuity_factor"]


def discount_factors(discount_rate: float, years: np.ndarray | list[int] | int) -> np.ndarray:
    """Discount factor ``(1 + discount_rate) ** -k`` for each year k (year 0 is undiscounted).

    Parameters
    ----------
    discount_rate : float
        Fraction per year (0.08 for 8 %).
    years : int or array of int
        Year numbers, or a horizon: an int ``n`` means years ``0..n``.

    Examples
    --------
    >>> discount_factors(0.1, 2).round(4)
    array([1.    , 0.9091, 0.8264])
    """
    r = validate.rate(discount_rate, "discount_rate")
    k = np.arange(int(years) + 1) if np.isscalar(years) else np.asarray(years, dtype=float)
    return (1.0 + r) ** -k


def annuity_factor(discount_rate: float, periods: int) -> float:
    """Present value of 1 paid at the end of each of `periods` periods.

    ``(1 - (1 + r) ** -n) / r``, or ``n`` when ``r == 0``. The equivalent annual cost of a
    present value ``pv`` is ``pv / annuity_factor(r, n)``.

    Examples
    --------
    >>> round(annuity_factor(0.1, 3), 4)
    2.4869
    """
    r = validate.rate(discount_rate, "discount_rate")
    n = validate.integer(periods, "periods", min=1)
    if r == 0:
        return float(n)
    return float((1 - (1 + r) ** -n) / r)
