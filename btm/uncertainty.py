"""Three-point estimates: PERT and triangular distributions, vectorised sampling, rank correlation.

An analyst who cannot give one number for a cost gives three: ``low``, most likely (``mode``)
and ``high``. This module turns them into distributions and draws Monte Carlo samples for many
cost lines at once (one column per line, one row per trial).

Distributions
-------------
``"pert"`` (the default) is the beta-PERT distribution with shape parameter lambda = 4
(Malcolm, Roseboom, Clark and Fazar, *Operations Research* 7(5), 1959; Vose, *Risk Analysis: a
quantitative guide*, 3rd ed., 2008, section 9.1.1)::

    alpha = 1 + 4 (mode - low) / (high - low)
    beta  = 1 + 4 (high - mode) / (high - low)
    X     = low + (high - low) * Beta(alpha, beta)
    mean  = (low + 4 mode + high) / 6
    var   = alpha beta (high - low)**2 / ((alpha + beta)**2 (alpha + beta + 1))
          = (mean - low) (high - mean) / 7

``"triangular"`` is the triangular distribution with minimum ``low``, mode ``mode`` and maximum
``high``: mean ``(low + mode + high) / 3``, variance
``(low**2 + mode**2 + high**2 - low mode - low high - mode high) / 18``. It puts more weight in
the tails than PERT for the same three points.

A degenerate estimate (``low == mode == high``) is a constant.

Correlation
-----------
:func:`rank_correlate` imposes a target Spearman rank-correlation matrix on independent samples
without changing any line's marginal distribution: it draws correlated standard normals whose
Pearson matrix is ``2 sin(pi * target / 6)`` (the normal copula's Spearman-to-Pearson relation)
and reorders each column of the samples by the ranks of the matching normal column (the
rank-reordering idea of Iman and Conover, *Communications in Statistics B* 11(3), 1982, with a
normal copula as the source of ranks).

Examples
--------
>>> import numpy as np
>>> x = sample_three_point([10, 5], [20, 5], [40, 5], 1000, rng=np.random.default_rng(1))
>>> x.shape
(1000, 2)
>>> bool((x[:, 0] >= 10).all() and (x[:, 0] <= 40).all()), bool((x[:, 1] == 5).all())
(True, True)
>>> three_point_mean(10, 20, 40)  # (10 + 4 * 20 + 40) / 6
21.666666666666668
"""

from __future__ import annotations

from typing import Any

import numpy as np

from btm import validate
from btm.constraints import Interval, Options, Seed, Text, check_memory, constrained
from btm.errors import InputError

__all__ = [
    "DISTRIBUTIONS",
    "PERT_LAMBDA",
    "pert_parameters",
    "three_point_mean",
    "three_point_variance",
    "sample_three_point",
    "check_correlation_matrix",
    "rank_correlate",
]

DISTRIBUTIONS = ("pert", "triangular")
"""Names accepted by the ``distribution`` parameter."""

PERT_LAMBDA = 4.0
"""Weight of the most likely value in the beta-PERT distribution (the classical 4)."""

_DISTRIBUTION = Options(DISTRIBUTIONS)


def _three_points(low: Any, mode: Any, high: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    arrays = []
    for name, values in (("low", low), ("mode", mode), ("high", high)):
        arr = np.atleast_1d(np.asarray(values, dtype=float)) if _numeric(values) else None
        if arr is None or arr.ndim != 1:
            raise InputError(f"{name}: got {values!r}; expected a number or a 1-D array of numbers")
        bad = ~np.isfinite(arr)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(f"{name}[{i}]: got {arr[i]}; expected a finite number")
        arrays.append(arr)
    try:
        lo, mo, hi = np.broadcast_arrays(*arrays)
    except ValueError:
        shapes = ", ".join(str(a.shape[0]) for a in arrays)
        raise InputError(
            f"low, mode, high: got lengths {shapes}; expected arrays of the same length"
        ) from None
    for name, bad in (("low", lo > mo), ("high", hi < mo)):
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            side = "at most" if name == "low" else "at least"
            raise InputError(
                f"{name}[{i}]: got {(lo if name == 'low' else hi)[i]:g} with mode {mo[i]:g}; "
                f"expected a value {side} the mode"
            )
    return lo.astype(float), mo.astype(float), hi.astype(float)


def _numeric(values: Any) -> bool:
    try:
        np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return False
    return not isinstance(values, str | bytes)


def pert_parameters(low: Any, mode: Any, high: Any) -> tuple[np.ndarray, np.ndarray]:
    """Shape parameters ``(alpha, beta)`` of the beta-PERT distribution (lambda = 4).

    Degenerate estimates (``low == high``) get ``alpha = beta = 1``: their samples are the
    constant ``low`` whatever the shape.

    Parameters
    ----------
    low, mode, high : float or array of float
        Three-point estimates with ``low <= mode <= high``.

    Returns
    -------
    alpha, beta : numpy.ndarray
        ``alpha = 1 + 4 (mode - low) / (high - low)``, ``beta = 1 + 4 (high - mode) / (high - low)``.

    Examples
    --------
    >>> alpha, beta = pert_parameters(0, 25, 100)
    >>> float(alpha[0]), float(beta[0])
    (2.0, 4.0)
    """
    lo, mo, hi = _three_points(low, mode, high)
    span = hi - lo
    safe = np.where(span > 0, span, 1.0)
    alpha = np.where(span > 0, 1 + PERT_LAMBDA * (mo - lo) / safe, 1.0)
    beta = np.where(span > 0, 1 + PERT_LAMBDA * (hi - mo) / safe, 1.0)
    return alpha, beta


@constrained(distribution=_DISTRIBUTION)
def three_point_mean(
    low: Any, mode: Any, high: Any, *, distribution: str = "pert"
) -> float | np.ndarray:
    """Mean of a three-point estimate.

    PERT: ``(low + 4 mode + high) / 6``; triangular: ``(low + mode + high) / 3``.

    Examples
    --------
    >>> three_point_mean(0, 25, 100, distribution="triangular")
    41.666666666666664
    """
    lo, mo, hi = _three_points(low, mode, high)
    mean = (lo + PERT_LAMBDA * mo + hi) / (PERT_LAMBDA + 2) if distribution == "pert" else (
        (lo + mo + hi) / 3
    )
    return float(mean[0]) if np.ndim(low) == np.ndim(mode) == np.ndim(high) == 0 else mean


@constrained(distribution=_DISTRIBUTION)
def three_point_variance(
    low: Any, mode: Any, high: Any, *, distribution: str = "pert"
) -> float | np.ndarray:
    """Variance of a three-point estimate.

    PERT: ``alpha beta (high - low)**2 / ((alpha + beta)**2 (alpha + beta + 1))``;
    triangular: ``(low**2 + mode**2 + high**2 - low mode - low high - mode high) / 18``.

    Examples
    --------
    >>> three_point_variance(0, 25, 100)  # alpha = 2, beta = 4: 2 * 4 * 100**2 / (36 * 7)
    317.46031746031747
    """
    lo, mo, hi = _three_points(low, mode, high)
    if distribution == "pert":
        a, b = pert_parameters(lo, mo, hi)
        var = a * b * (hi - lo) ** 2 / ((a + b) ** 2 * (a + b + 1))
    else:
        var = (lo**2 + mo**2 + hi**2 - lo * mo - lo * hi - mo * hi) / 18
    return float(var[0]) if np.ndim(low) == np.ndim(mode) == np.ndim(high) == 0 else var


@constrained(n=Interval(int, 1), distribution=_DISTRIBUTION, rng=Seed())
def sample_three_point(
    low: Any,
    mode: Any,
    high: Any,
    n: int,
    *,
    distribution: str = "pert",
    rng: int | np.random.Generator = 0,
) -> np.ndarray:
    """Draw `n` samples of each of L three-point estimates at once.

    Parameters
    ----------
    low, mode, high : float or array of float, length L
        Three-point estimates, ``low <= mode <= high``; equal values give a constant column.
    n : int
        Number of trials (rows). A number whose arrays would need more than half of the
        available memory is refused (:func:`btm.constraints.check_memory`), naming the
        largest that fits.
    distribution : {"pert", "triangular"}
        Beta-PERT with lambda = 4, or triangular (see the module notes).
    rng : int or numpy.random.Generator
        Seed or generator; the same seed gives the same samples.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, L)``; column l holds the samples of estimate l.

    Examples
    --------
    >>> x = sample_three_point([0, 3], [1, 3], [4, 3], 50_000, distribution="triangular")
    >>> x.shape, round(float(x[:, 0].mean()), 1), float(x[:, 1].std())
    ((50000, 2), 1.7, 0.0)
    """
    gen = validate.rng(rng, "rng")
    lo, mo, hi = _three_points(low, mode, high)
    # the result and up to two temporaries of the same shape (triangular inverse CDF)
    check_memory(n, 3 * 8 * max(lo.size, 1), name="n", what="trials")
    span = hi - lo
    varying = np.flatnonzero(span > 0)
    if varying.size == 0:
        return np.broadcast_to(lo, (n, lo.size)).copy()
    a, m, b, w = lo[varying], mo[varying], hi[varying], span[varying]
    if distribution == "pert":
        draws = gen.beta(1 + PERT_LAMBDA * (m - a) / w, 1 + PERT_LAMBDA * (b - m) / w,
                         size=(n, varying.size))
        draws *= w  # in place: these arrays are trials x lines, often millions of values
        draws += a
    else:
        draws = _triangular_inverse_cdf(gen.random((n, varying.size)), a, m, b)
    if varying.size == lo.size:
        return draws
    out = np.broadcast_to(lo, (n, lo.size)).copy()
    out[:, varying] = draws
    return out


def _triangular_inverse_cdf(u: np.ndarray, a: np.ndarray, m: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Inverse CDF of the triangular distribution; handles a mode at either end."""
    w = b - a
    below = u < (m - a) / w
    left = np.sqrt(u * (w * (m - a)))
    left += a
    u -= 1  # u is ours: reuse it for 1 - u (negated) to save a large temporary
    u *= -(w * (b - m))
    right = np.sqrt(u, out=u)
    np.subtract(b, right, out=right)
    return np.where(below, left, right)


@constrained(name=Text())
def check_correlation_matrix(matrix: Any, name: str = "correlation") -> np.ndarray:
    """Check a rank-correlation matrix: square, symmetric, unit diagonal, entries in [-1, 1],
    positive semi-definite. Returns it as a float array.

    Examples
    --------
    >>> check_correlation_matrix([[1, 0.5], [0.5, 1]]).tolist()
    [[1.0, 0.5], [0.5, 1.0]]
    >>> check_correlation_matrix([[1, .9, -.9], [.9, 1, .9], [-.9, .9, 1]])
    Traceback (most recent call last):
    ...
    btm.errors.InputError: correlation: the matrix is not positive semi-definite (smallest eigenvalue -0.8); expected a feasible set of correlations
    """
    try:
        c = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name}: got {matrix!r}; expected a square matrix of numbers") from None
    if c.ndim != 2 or c.shape[0] != c.shape[1]:
        raise InputError(f"{name}: got an array of shape {c.shape}; expected a square matrix")
    if not np.isfinite(c).all():
        raise InputError(f"{name}: the matrix holds a missing or infinite value; expected numbers")
    if np.abs(c).max(initial=0) > 1:
        i, j = np.unravel_index(int(np.argmax(np.abs(c))), c.shape)
        raise InputError(f"{name}[{i}, {j}]: got {c[i, j]:g}; expected a value between -1 and 1")
    if not np.allclose(np.diag(c), 1):
        raise InputError(f"{name}: the diagonal is not all 1; expected a correlation matrix")
    if not np.allclose(c, c.T):
        raise InputError(f"{name}: the matrix is not symmetric; expected [i, j] == [j, i]")
    smallest = float(np.linalg.eigvalsh(c).min(initial=1.0)) if c.size else 1.0
    if smallest < -1e-8:
        raise InputError(
            f"{name}: the matrix is not positive semi-definite (smallest eigenvalue "
            f"{smallest:.2g}); expected a feasible set of correlations"
        )
    return c


def normal_root(spearman: Any, name: str = "correlation") -> np.ndarray:
    """The matrix ``R`` that turns independent standard normals ``z`` into normals ``R @ z``
    with the Spearman correlation `spearman` (Pearson ``2 sin(pi rho / 6)``, Kruskal 1958).

    ``R`` is the principal (symmetric) square root ``V diag(sqrt(max(lambda, 0))) V'`` of the
    Pearson matrix, its rows rescaled to unit length so every score keeps unit variance after
    negative eigenvalues are clipped. Unlike ``V diag(sqrt(lambda))``, it does not depend on the
    signs LAPACK gives the eigenvectors or, where eigenvalues repeat (as for one correlation
    between all pairs), on the basis it picks: those differ between CPUs and BLAS builds, and
    with them the pairing of the draws. With it the same seed gives the same numbers on every
    machine. `spearman` is checked by :func:`check_correlation_matrix` (errors name `name`).

    Examples
    --------
    >>> r = normal_root(np.array([[1.0, 0.5], [0.5, 1.0]]))
    >>> bool(np.allclose(r, r.T)), bool(np.allclose((r @ r.T)[0, 1], 2 * np.sin(np.pi / 12)))
    (True, True)
    """
    pearson = 2 * np.sin(np.pi * check_correlation_matrix(spearman, name) / 6)
    values, vectors = np.linalg.eigh(pearson)
    root = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
    root = (root + root.T) / 2
    return root / np.sqrt((root**2).sum(axis=1, keepdims=True))


@constrained(rng=Seed())
def rank_correlate(
    samples: np.ndarray, correlation: Any, *, rng: int | np.random.Generator = 0
) -> np.ndarray:
    """Reorder each column of `samples` so the columns have the target Spearman correlation.

    The marginal distribution of every column is unchanged (only the pairing of values across
    columns changes). Columns whose row and column of `correlation` are zero off the diagonal
    are returned as they are.

    Parameters
    ----------
    samples : numpy.ndarray, shape (n, L)
        Independent samples, one column per uncertain quantity.
    correlation : array-like, shape (L, L)
        Target Spearman rank-correlation matrix (checked by :func:`check_correlation_matrix`).
    rng : int or numpy.random.Generator
        Seed or generator for the normal scores.

    Returns
    -------
    numpy.ndarray
        A new array of the same shape.

    Examples
    --------
    >>> from scipy.stats import spearmanr
    >>> x = np.random.default_rng(0).random((20_000, 2))
    >>> y = rank_correlate(x, [[1, 0.7], [0.7, 1]], rng=1)
    >>> round(float(spearmanr(y[:, 0], y[:, 1]).statistic), 2)
    0.7
    """
    x = np.asarray(samples, dtype=float)
    if x.ndim != 2:
        raise InputError(f"samples: got an array of shape {x.shape}; expected (trials, lines)")
    c = check_correlation_matrix(correlation)
    if c.shape[0] != x.shape[1]:
        raise InputError(
            f"correlation: got a {c.shape[0]}x{c.shape[0]} matrix; expected "
            f"{x.shape[1]}x{x.shape[1]}, one row and column per uncertain line"
        )
    gen = validate.rng(rng, "rng")
    off = c - np.eye(c.shape[0])
    linked = np.flatnonzero(np.abs(off).sum(axis=0) > 0)
    out = x.copy()
    if linked.size == 0:
        return out
    target = c[np.ix_(linked, linked)]
    root = normal_root(target)
    # Work column-major (lines x trials) so the sorts run over contiguous memory.
    scores = root @ gen.standard_normal((linked.size, x.shape[0]))
    order = np.argsort(scores, axis=1)
    ranked = np.sort(x[:, linked].T, axis=1)
    reordered = np.empty_like(ranked)
    np.put_along_axis(reordered, order, ranked, axis=1)
    out[:, linked] = reordered.T
    return out
