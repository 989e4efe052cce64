"""Multi-criteria decision analysis: AHP weights, TOPSIS and weighted-sum ranking, robustness.

A leadership team that chooses between technology options (build, buy, cloud, integrate)
argues about two things: how much each criterion matters (the **weights**) and how well each
option does on it (the **scores**). This module turns both into a ranking and says how much the
ranking depends on them.

Weights
-------
:func:`ahp_weights` derives weights from a reciprocal pairwise-comparison matrix (Saaty's
Analytic Hierarchy Process): the principal right eigenvector (Saaty 1977, 1980) or the row
geometric means (Crawford & Williams 1985), with Saaty's consistency ratio
``CR = CI / RI``, ``CI = (lambda_max - n) / (n - 1)`` and the random index ``RI`` of
:data:`SAATY_RI` (a parameter). A ratio above :data:`CONSISTENCY_THRESHOLD` (0.10) is flagged,
and the judgement whose revision lowers the inconsistency most is named with the value that
would do so. :func:`judgements_to_matrix` builds the matrix from a table an analyst edits
(``criterion_a, criterion_b, judgement``); :func:`group_ahp` aggregates several assessors by the
element-wise geometric mean of their judgements (Aczél & Saaty 1983) and shows each assessor's
own consistency and distance from the group.

Ranking
-------
:func:`topsis` is Hwang & Yoon's (1981) TOPSIS with **vector** normalisation (the textbook's,
not the min-max default of pymcdm); :func:`weighted_sum` the weighted sum of min-max normalised
criteria (cost criteria reversed).

Weights policy
--------------
Weights must be finite, at least 0, not all 0, and sum to 1 within
:data:`WEIGHT_SUM_TOLERANCE` (0.001, so that thirds rounded to three decimals pass); they are then
rescaled to sum to exactly 1. Weights that do not sum to 1 are **refused** by default, because
silently rescaling hides typing errors (a weight of 30 meant as 0.30); pass
``normalize_weights=True`` to divide them by their sum instead (``btm.sourcing`` does so and
reports it in its notes).

Robustness
----------
:func:`weight_sensitivity` moves one criterion's weight from 0 to 1 while the others keep their
proportions, and reports the interval over which the winner stays the winner and the smallest
change that makes another option win (the one-at-a-time analysis of Triantaphyllou & Sánchez
1997, with the proportional rescaling of Butler, Jia & Dyer 1997). :func:`rank_acceptability`
is stochastic multicriteria acceptability analysis (SMAA, Lahdelma, Hokkanen & Salminen 1998):
Monte Carlo over weights (Dirichlet around the stated ones) and scores (three-point estimates,
or trials given by the caller), giving the share of trials in which each option takes each rank.
Every trial is computed at once (arrays of trials x options x criteria); there is no Python loop
over trials.

References
----------
- Aczél, J. & Saaty, T. L. (1983). Procedures for synthesizing ratio judgements. *Journal of
  Mathematical Psychology* 27(1), 93-102.
- Bozóki, S., Fülöp, J. & Rónyai, L. (2010). On optimal completion of incomplete pairwise
  comparison matrices. *Mathematical and Computer Modelling* 52, 318-333 (lambda_max is a
  log-convex function of one judgement, so a one-dimensional search finds its best value).
- Butler, J., Jia, J. & Dyer, J. (1997). Simulation techniques for the sensitivity analysis of
  multi-criteria decision models. *European Journal of Operational Research* 103, 531-546.
- Crawford, G. & Williams, C. (1985). A note on the analysis of subjective judgment matrices.
  *Journal of Mathematical Psychology* 29, 387-405.
- Garuti, C. & Salomon, V. A. P. (2011). Compatibility indices between priority vectors.
  *International Journal of the Analytic Hierarchy Process* 4(2), 152-160.
- Hwang, C.-L. & Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
  Applications*. Springer, pp. 128-140.
- Lahdelma, R., Hokkanen, J. & Salminen, P. (1998). SMAA - Stochastic multiobjective
  acceptability analysis. *European Journal of Operational Research* 106, 137-143.
- Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill.
- Saaty, T. L. (2005). *Theory and Applications of the Analytic Network Process*. RWS
  Publications, p. 31 (the random index table :data:`SAATY_RI`).
- Saaty, T. L. (2008). Decision making with the analytic hierarchy process. *International
  Journal of Services Sciences* 1(1), 83-98.
- Triantaphyllou, E. & Sánchez, A. (1997). A sensitivity analysis approach for some
  deterministic multi-criteria decision-making methods. *Decision Sciences* 28(1), 151-194.

Examples
--------
>>> import pandas as pd
>>> pairwise = pd.DataFrame([[1, 3], [1 / 3, 1]], index=["cost", "security"],
...                         columns=["cost", "security"])
>>> weights, cr = ahp_weights(pairwise)
>>> weights.round(2).to_dict(), cr
({'cost': 0.75, 'security': 0.25}, 0.0)
>>> options = pd.DataFrame({"cost": [100.0, 80.0], "security": [4, 2]}, index=["Buy", "Cloud"])
>>> topsis(options, weights, {"cost": False, "security": True}).round(3).to_dict()
{'Buy': 0.488, 'Cloud': 0.512}
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import optimize

from btm import uncertainty, validate
from btm.constraints import Boolean, Interval, NoneOr, Options, Seed, Text, constrained
from btm.errors import InputError, input_error

__all__ = [
    "SAATY_RI",
    "SAATY_1980_RI",
    "CONSISTENCY_THRESHOLD",
    "WEIGHT_SUM_TOLERANCE",
    "METHODS",
    "AHPResult",
    "Judgement",
    "GroupAHPResult",
    "SensitivityResult",
    "AcceptabilityResult",
    "ahp_weights",
    "judgements_to_matrix",
    "group_ahp",
    "compatibility_index",
    "topsis",
    "weighted_sum",
    "minmax_normalise",
    "scores",
    "weight_sensitivity",
    "rank_acceptability",
]

SAATY_RI: Mapping[int, float] = MappingProxyType({
    1: 0.0, 2: 0.0, 3: 0.52, 4: 0.89, 5: 1.11, 6: 1.25, 7: 1.35, 8: 1.40, 9: 1.45,
    10: 1.49, 11: 1.52, 12: 1.54, 13: 1.56, 14: 1.58, 15: 1.59,
})
"""Saaty's random consistency index by matrix size n: the mean consistency index of random
reciprocal matrices on the 1-9 scale, as tabulated by Saaty (2005), p. 31 (the table AHPy calls
``random_index="saaty"``). Not the Donegan & Dodd (1991) estimates that AHPy uses by default."""

SAATY_1980_RI: Mapping[int, float] = MappingProxyType({
    1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49,
})
"""The earlier random index of Saaty (1980), computed from fewer random matrices; pass it as
``random_index=SAATY_1980_RI`` to reproduce studies that used it."""

CONSISTENCY_THRESHOLD = 0.10
"""Saaty's rule: a consistency ratio above 0.10 calls for the judgements to be revised."""

WEIGHT_SUM_TOLERANCE = 1e-3
"""How far from 1 the sum of given weights may be before they are refused (see module notes)."""

METHODS = ("topsis", "weighted_sum")
"""Ranking methods accepted by ``method`` parameters."""

_SCALE = (1 / 9, 9.0)
_RECIPROCAL_RTOL = 0.02  # 3 and 0.33, 7 and 0.14 pass as reciprocals; they are then made exact


# --------------------------------------------------------------------------- result types


class Judgement(NamedTuple):
    """The pairwise judgement whose revision lowers inconsistency most.

    Attributes
    ----------
    row, column : str or int
        The pair: the judgement says how many times `row` matters more than `column`.
    judgement : float
        The value given.
    suggested : float
        The value on Saaty's scale (1/9 to 9) that minimises ``lambda_max`` when only this
        judgement changes; when the matrix is inconsistent only because of this judgement, it
        is the value that makes the matrix consistent.
    consistency_ratio_after : float
        The consistency ratio with the suggested value.
    """

    row: Any
    column: Any
    judgement: float
    suggested: float
    consistency_ratio_after: float


class _WeightsAndRatio(NamedTuple):
    weights: Any
    consistency_ratio: float


class AHPResult(_WeightsAndRatio):
    """Result of :func:`ahp_weights`: a NamedTuple ``(weights, consistency_ratio)``.

    It unpacks as that pair (``weights, cr = ahp_weights(m)``); the details are read-only
    attributes (they are not tuple fields, so that unpacking stays a pair).

    Attributes
    ----------
    weights : pandas.Series or numpy.ndarray
        Priorities, summing to 1; a Series indexed by criterion when a DataFrame was given.
    consistency_ratio : float
        ``consistency_index / random_index`` (0 for n <= 2).
    consistency_index : float
        ``(lambda_max - n) / (n - 1)``.
    lambda_max : float
        Principal eigenvalue of the matrix (at least n; exactly n when consistent).
    random_index : float
        The random index used for this n.
    acceptable : bool
        ``consistency_ratio <= CONSISTENCY_THRESHOLD``.
    most_inconsistent : Judgement or None
        The judgement to revise first (None when the matrix is consistent or n <= 2).
    method : str
        ``"eigenvector"`` or ``"geometric_mean"``.
    matrix : pandas.DataFrame or numpy.ndarray
        The matrix used (reciprocals made exact).
    """

    consistency_index: float
    lambda_max: float
    random_index: float
    acceptable: bool
    most_inconsistent: Judgement | None
    method: str
    matrix: Any

    def __new__(cls, weights: Any, consistency_ratio: float, **details: Any) -> AHPResult:
        self = super().__new__(cls, weights, consistency_ratio)
        for name, value in details.items():
            object.__setattr__(self, name, value)
        return self

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"AHPResult is read-only; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"AHPResult is read-only; cannot delete {name!r}")


@dataclass(frozen=True)
class GroupAHPResult:
    """Result of :func:`group_ahp`.

    Attributes
    ----------
    weights : pandas.Series
        Group priorities (index ``criterion``), from the geometric-mean matrix.
    consistency_ratio : float
        Consistency ratio of the group matrix.
    group : AHPResult
        Full AHP result of the group matrix.
    matrix : pandas.DataFrame
        The aggregated (element-wise geometric mean) matrix.
    assessors : pandas.DataFrame
        Index ``assessor``: ``consistency_ratio``, ``acceptable`` (CR <= 0.10),
        ``compatibility`` (Saaty compatibility index of the assessor's weights with the group's,
        1 = identical, above 1.1 incompatible; Garuti & Salomon 2011), ``largest_weight_gap``
        (largest absolute difference between the assessor's and the group's weight) and
        ``most_inconsistent`` (the pair to revise first, ``"a / b"``, empty when consistent).
    assessor_weights : pandas.DataFrame
        Tidy: ``assessor, criterion, weight`` (each assessor's own priorities).
    disagreement : pandas.DataFrame
        One row per pair of criteria: ``criterion_a, criterion_b, group_judgement, lowest,
        highest, geometric_sd`` (``exp`` of the standard deviation of the log judgements; 1 when
        all assessors agree), sorted by ``geometric_sd``, largest first.
    summary : pandas.DataFrame
        Index ``criterion``: ``weight`` and each assessor's weight.
    """

    weights: pd.Series
    consistency_ratio: float
    group: AHPResult
    matrix: pd.DataFrame
    assessors: pd.DataFrame
    assessor_weights: pd.DataFrame
    disagreement: pd.DataFrame
    summary: pd.DataFrame


@dataclass(frozen=True)
class SensitivityResult:
    """Result of :func:`weight_sensitivity`.

    Attributes
    ----------
    winner : str or int
        The option ranked first at the stated weights.
    intervals : pandas.DataFrame
        Index ``criterion``: ``weight`` (stated), ``lower`` and ``upper`` (the interval of this
        criterion's weight, others rescaled in proportion, over which `winner` stays first),
        ``overtaken_below`` / ``overtaken_above`` (the option that wins just outside the
        interval, empty when the interval reaches 0 or 1), ``smallest_change`` (distance from
        the stated weight to the nearer end that changes the winner; NaN when none does),
        ``new_winner`` (who wins after that change) and ``robust`` (the winner never changes).
    curves : pandas.DataFrame
        Tidy: ``criterion, weight, option, score`` on a grid of weights from 0 to 1, for charts.
    summary : pandas.DataFrame
        One row: ``winner``, ``most_sensitive_criterion``, ``smallest_change``, ``new_winner``.
    """

    winner: Any
    intervals: pd.DataFrame
    curves: pd.DataFrame
    summary: pd.DataFrame


@dataclass(frozen=True)
class AcceptabilityResult:
    """Result of :func:`rank_acceptability`.

    Attributes
    ----------
    acceptability : pandas.DataFrame
        Index ``option``, columns ``rank_1 .. rank_m``: share of trials in which the option
        takes that rank (each row and each column sums to 1).
    tidy : pandas.DataFrame
        The same as ``option, rank, share`` (for a heat map).
    central_weights : pandas.DataFrame
        Index ``option``, one column per criterion: mean weights of the trials in which the
        option ranks first (SMAA's central weight vector; NaN when it never does).
    summary : pandas.DataFrame
        Index ``option``: ``first_rank_share``, ``expected_rank``, ``score`` (at the stated
        weights and scores) and ``rank`` (1 = best at the stated values), sorted by rank.
    n : int
        Number of trials.
    concentration : float or None
        Dirichlet concentration (None: weights uniform over all weightings).
    """

    acceptability: pd.DataFrame
    tidy: pd.DataFrame
    central_weights: pd.DataFrame
    summary: pd.DataFrame
    n: int
    concentration: float | None


# --------------------------------------------------------------------------- helpers


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _labels(values: Any) -> list[Any]:
    return [v.item() if isinstance(v, np.generic) else v for v in values]


def _float_array(values: Any, name: str) -> np.ndarray:
    try:
        arr = np.array(values, dtype=float)
    except (TypeError, ValueError):
        raise input_error(name, got=values, expected="numbers") from None
    return arr


def _check_pairwise(matrix: Any, name: str) -> tuple[np.ndarray, list[Any] | None]:
    """Square, positive, finite, reciprocal (within 2 %); returns the exact-reciprocal matrix."""
    labels: list[Any] | None = None
    if isinstance(matrix, pd.DataFrame):
        if list(matrix.index) != list(matrix.columns):
            raise input_error(
                name, problem=f"rows {_labels(matrix.index)} and columns "
                f"{_labels(matrix.columns)} differ",
                expected="the same criteria, in the same order, as rows and columns")
        labels = _labels(matrix.columns)
        if len(set(map(str, labels))) != len(labels):
            raise input_error(name, problem="a criterion appears twice",
                              expected="each criterion once")
        try:
            a = matrix.to_numpy(dtype=float)
        except (TypeError, ValueError):
            raise input_error(name, problem="found values that are not numbers",
                              expected="a matrix of positive numbers") from None
    elif isinstance(matrix, str | bytes | Mapping) or matrix is None:
        raise input_error(name, got=matrix, show_type=True,
                          expected="a square matrix (DataFrame or 2-D array) of judgements")
    else:
        a = _float_array(matrix, name)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise input_error(name, problem=f"got shape {a.shape}",
                          expected="a square matrix with at least one row")

    def where(i: int, j: int) -> str:
        if labels is None:
            return f"{name}[{i}, {j}]"
        return f"{name}, row {labels[i]!r}, column {labels[j]!r}"

    bad = ~np.isfinite(a)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise input_error(where(i, j), got=a[i, j], literal=True, expected="a finite number")
    bad = a <= 0
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise input_error(where(i, j), got=_fmt(a[i, j]), literal=True,
                          expected="a positive judgement (1/9 to 9 on Saaty's scale)")
    diag = np.abs(np.diag(a) - 1) > 1e-9
    if diag.any():
        i = int(np.flatnonzero(diag)[0])
        raise input_error(where(i, i), got=_fmt(a[i, i]), literal=True,
                          expected="1 on the diagonal (a criterion compared with itself)")
    prod = a * a.T
    bad = np.abs(prod - 1) > _RECIPROCAL_RTOL
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise input_error(
            where(i, j), problem=f"got {_fmt(a[i, j])} with {_fmt(a[j, i])} in the mirror cell",
            expected=f"reciprocal judgements (the mirror cell 1 / {_fmt(a[i, j])} = "
                     f"{_fmt(1 / a[i, j])})")
    exact = np.sqrt(a / a.T)  # geometric symmetrisation: exact reciprocals, a_ij a_ji = 1
    return exact, labels


def _random_index(random_index: Any, n: int) -> float:
    if not isinstance(random_index, Mapping):
        raise input_error("random_index", got=random_index, show_type=True,
                          expected="a mapping from matrix size to random index, such as SAATY_RI")
    if n <= 2:
        return 0.0
    if n not in random_index:
        sizes = sorted(int(k) for k in random_index)
        raise input_error("random_index", problem=f"has no value for a {n} x {n} matrix "
                          f"(sizes {sizes[0]}..{sizes[-1]})",
                          expected=f"a random index for n = {n}")
    ri = random_index[n]
    if not isinstance(ri, numbers.Real) or not math.isfinite(ri) or ri <= 0:
        raise input_error(f"random_index[{n}]", got=ri, expected="a positive number")
    return float(ri)


def _lambda_max(a: np.ndarray) -> float:
    return float(np.max(np.linalg.eigvals(a).real))


def _principal(a: np.ndarray) -> tuple[np.ndarray, float]:
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    v = np.abs(vectors[:, k].real)  # Perron vector of a positive matrix: one sign
    return v / v.sum(), float(values[k].real)


def _most_inconsistent(a: np.ndarray, lam: float, ri: float,
                       labels: list[Any] | None) -> Judgement | None:
    n = a.shape[0]
    if n <= 2 or lam - n <= 1e-9 * n:
        return None
    lo, hi = math.log(_SCALE[0]), math.log(_SCALE[1])
    best: tuple[float, int, int, float] | None = None
    work = a.copy()
    for i in range(n):
        for j in range(i + 1, n):
            def lam_at(x: float, i: int = i, j: int = j) -> float:
                work[i, j], work[j, i] = math.exp(x), math.exp(-x)
                return _lambda_max(work)

            res = optimize.minimize_scalar(lam_at, bounds=(lo, hi), method="bounded",
                                           options={"xatol": 1e-10})
            work[i, j], work[j, i] = a[i, j], a[j, i]
            if best is None or res.fun < best[0] - 1e-12:
                best = (float(res.fun), i, j, float(math.exp(res.x)))
    assert best is not None
    lam_after, i, j, x = best
    cr_after = max(lam_after - n, 0.0) / (n - 1) / ri
    name = (lambda k: k) if labels is None else (lambda k: labels[k])
    return Judgement(name(i), name(j), float(a[i, j]), x, float(cr_after))


# --------------------------------------------------------------------------- AHP


@constrained(method=Options(("eigenvector", "geometric_mean")))
def ahp_weights(
    matrix: Any,
    *,
    method: str = "eigenvector",
    random_index: Mapping[int, float] = SAATY_RI,
) -> AHPResult:
    """Priorities and consistency ratio of a reciprocal pairwise-comparison matrix (AHP).

    ``matrix[i, j]`` says how many times criterion i matters more than criterion j, on Saaty's
    1-9 scale (1 equal, 3 moderate, 5 strong, 7 very strong, 9 extreme; reciprocals for the
    other way round); ``matrix[j, i] = 1 / matrix[i, j]`` and the diagonal is 1.

    Equations used (Saaty 1980, ch. 1-2; Saaty 2008)::

        A w = lambda_max w,   sum(w) = 1            (principal right eigenvector)
        w_i ∝ (prod_j a_ij) ** (1 / n)              (geometric mean; Crawford & Williams 1985)
        CI = (lambda_max - n) / (n - 1),  CR = CI / RI(n)

    The consistency ratio uses the principal eigenvalue whichever `method` gives the weights.

    Parameters
    ----------
    matrix : pandas.DataFrame or array-like
        Square, positive and reciprocal. A DataFrame must have the same labels, in the same
        order, as rows and columns. Reciprocals typed to two decimals (3 and 0.33) are accepted
        (within 2 %) and made exact by ``sqrt(a_ij / a_ji)``.
    method : {"eigenvector", "geometric_mean"}
    random_index : mapping of int to float
        Random index by matrix size; default :data:`SAATY_RI`.

    Returns
    -------
    AHPResult
        Unpacks as ``(weights, consistency_ratio)``; see :class:`AHPResult` for the details
        (``acceptable`` is False when CR > 0.10, ``most_inconsistent`` names the judgement to
        revise first and the value that would lower the inconsistency most).

    Raises
    ------
    InputError
        Not square, a value that is not positive or not finite, a diagonal other than 1,
        judgements that are not reciprocal, no random index for this size.

    Examples
    --------
    A consistent matrix (w = 0.6, 0.3, 0.1) gives its weights back and CR = 0:

    >>> import numpy as np
    >>> w, cr = ahp_weights([[1, 2, 6], [1 / 2, 1, 3], [1 / 6, 1 / 3, 1]])
    >>> np.round(w, 6).tolist(), round(cr, 9)
    ([0.6, 0.3, 0.1], 0.0)
    >>> ahp_weights([[1, 2], [2, 1]])
    Traceback (most recent call last):
    ...
    btm.errors.InputError: matrix[0, 1]: got 2 with 2 in the mirror cell; expected reciprocal judgements (the mirror cell 1 / 2 = 0.5)
    """
    a, labels = _check_pairwise(matrix, "matrix")
    n = a.shape[0]
    ri = _random_index(random_index, n)
    w_eig, lam = _principal(a)
    lam = max(lam, float(n)) if lam > n - 1e-9 else lam
    if method == "eigenvector":
        w = w_eig
    else:
        g = np.exp(np.log(a).mean(axis=1))
        w = g / g.sum()
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ci = max(ci, 0.0)
    cr = ci / ri if n > 2 else 0.0
    most = _most_inconsistent(a, lam, ri, labels)
    if labels is not None:
        weights: Any = pd.Series(w, index=pd.Index(labels, name="criterion"), name="weight")
        used: Any = pd.DataFrame(a, index=list(labels), columns=list(labels))
    else:
        weights, used = w, a
    return AHPResult(weights, float(cr), consistency_index=float(ci), lambda_max=float(lam),
                     random_index=ri, acceptable=bool(cr <= CONSISTENCY_THRESHOLD),
                     most_inconsistent=most, method=method, matrix=used)


_FRACTION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)\s*")


def _judgement_value(value: Any) -> float | None:
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, str):
        m = _FRACTION.fullmatch(value)
        if m:
            den = float(m.group(2))
            return float(m.group(1)) / den if den else None
        try:
            return float(value)
        except ValueError:
            return None
    return None


JUDGEMENT_COLUMNS = (
    validate.Column("criterion_a", "text",
                    description="the criterion on the left of the comparison"),
    validate.Column("criterion_b", "text",
                    description="the criterion it is compared with"),
    validate.Column("judgement", "any",
                    description="how many times criterion_a matters more than criterion_b, "
                                "1/9 to 9 (a fraction such as 1/3 may be written as text)"),
)
"""Declared columns of a judgements table (:func:`judgements_to_matrix`)."""


@constrained(source=Text())
def judgements_to_matrix(
    table: pd.DataFrame,
    *,
    criteria: Sequence[Any] | None = None,
    source: str = "judgements",
) -> pd.DataFrame:
    """Build a reciprocal pairwise matrix from a long table of judgements.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per pair: ``criterion_a``, ``criterion_b``, ``judgement`` (how many times
        ``criterion_a`` matters more than ``criterion_b``, on Saaty's scale 1/9 to 9; ``"1/3"``
        may be written as text). Each unordered pair once; every pair must be judged.
    criteria : sequence, optional
        The criteria, in the order wanted; a criterion in the table that is not listed is an
        error. Default: the order of first appearance in the table.
    source : str
        How to name the table in messages (a file name).

    Returns
    -------
    pandas.DataFrame
        Square matrix, rows and columns labelled by criterion.

    Raises
    ------
    InputError
        A missing column or cell, a judgement that is not a number on the 1/9-9 scale, an
        unknown criterion, a criterion compared with itself, a pair given twice, a pair missing.

    Examples
    --------
    >>> t = pd.DataFrame({"criterion_a": ["cost", "cost", "security"],
    ...                   "criterion_b": ["security", "fit", "fit"],
    ...                   "judgement": [2, 4, "2"]})
    >>> judgements_to_matrix(t).round(3)  # doctest: +NORMALIZE_WHITESPACE
              cost  security  fit
    cost      1.00       2.0  4.0
    security  0.50       1.0  2.0
    fit       0.25       0.5  1.0
    """
    t = validate.frame(table, list(JUDGEMENT_COLUMNS), source=source)
    return _matrix_from_clean(t, criteria, source, np.arange(1, len(t) + 1))


def _matrix_from_clean(t: pd.DataFrame, criteria: Sequence[Any] | None, source: str,
                       rows: np.ndarray) -> pd.DataFrame:
    values = np.empty(len(t))
    for k, v in enumerate(t["judgement"].tolist()):
        x = _judgement_value(v)
        if x is None or not math.isfinite(x):
            raise InputError(f"{source}, row {rows[k]}, column 'judgement': got {v!r}; "
                             "expected a number from 1/9 to 9 (a fraction such as 1/3 is fine)")
        if not (_SCALE[0] * (1 - 1e-3) <= x <= _SCALE[1] * (1 + 1e-9)):
            raise InputError(f"{source}, row {rows[k]}, column 'judgement': got {_fmt(x)}; "
                             "expected a judgement on Saaty's scale, from 1/9 to 9")
        values[k] = x
    a_col, b_col = t["criterion_a"].tolist(), t["criterion_b"].tolist()
    if criteria is None:
        order = list(dict.fromkeys(a_col + b_col))
    else:
        order = list(criteria)
        known = set(order)
        for col, names in (("criterion_a", a_col), ("criterion_b", b_col)):
            for k, name in enumerate(names):
                if name not in known:
                    raise InputError(
                        f"{source}, row {rows[k]}, column '{col}': got {name!r}, an unknown "
                        f"criterion; expected one of {', '.join(repr(c) for c in order)}")
    index = {c: i for i, c in enumerate(order)}
    n = len(order)
    m = np.full((n, n), np.nan)
    np.fill_diagonal(m, 1.0)
    seen: dict[tuple[int, int], int] = {}
    for k, (ca, cb, x) in enumerate(zip(a_col, b_col, values, strict=True)):
        i, j = index[ca], index[cb]
        if i == j:
            raise InputError(f"{source}, row {rows[k]}, column 'criterion_b': got {cb!r}, the "
                             "same as criterion_a; expected two different criteria")
        key = (min(i, j), max(i, j))
        if key in seen:
            raise InputError(f"{source}, rows {seen[key]} and {rows[k]}: the pair {ca!r} / "
                             f"{cb!r} is judged twice; expected each pair once")
        seen[key] = int(rows[k])
        m[i, j], m[j, i] = x, 1 / x
    missing = np.argwhere(np.isnan(m))
    if missing.size:
        i, j = missing[0]
        i, j = min(i, j), max(i, j)
        n_missing = len(missing) // 2
        raise InputError(f"{source}: no judgement for the pair {order[i]!r} / {order[j]!r}"
                         f" ({n_missing} pair{'s' if n_missing > 1 else ''} missing); expected a "
                         f"judgement for every pair of the {n} criteria ({n * (n - 1) // 2} rows)")
    return pd.DataFrame(m, index=order, columns=order)


def compatibility_index(weights: Any, reference: Any) -> float:
    """Saaty compatibility index of two priority vectors (1 = identical; above 1.1 incompatible).

    Equations used (Garuti & Salomon 2011, eq. 2)::

        S(w, v) = (1 / n**2) * sum_ij (w_i / w_j) * (v_j / v_i)

    Examples
    --------
    >>> compatibility_index([0.5, 0.5], [0.5, 0.5])
    1.0
    >>> compatibility_index([0.8, 0.2], [0.5, 0.5])  # (1 + 4 + 1/4 + 1) / 4
    1.5625
    """
    w = _float_array(weights, "weights").ravel()
    v = _float_array(reference, "reference").ravel()
    if w.shape != v.shape or w.size == 0 or (w <= 0).any() or (v <= 0).any():
        raise input_error("weights", got=weights,
                          expected="two positive priority vectors of the same length")
    ratio = (w[:, None] / w[None, :]) * (v[None, :] / v[:, None])
    return float(ratio.sum() / w.size**2)


@constrained(method=Options(("eigenvector", "geometric_mean")), source=Text(),
             assessor_column=Text())
def group_ahp(
    judgements: Any,
    *,
    criteria: Sequence[Any] | None = None,
    method: str = "eigenvector",
    random_index: Mapping[int, float] = SAATY_RI,
    assessor_column: str = "assessor",
    source: str = "judgements",
) -> GroupAHPResult:
    """Group AHP: aggregate several assessors' judgements by the geometric mean.

    Each assessor's matrix is built and checked on its own; the group matrix is the
    element-wise geometric mean ``g_ij = (prod_k a_ij^(k)) ** (1 / K)``, the only aggregation
    of ratio judgements that keeps reciprocity and unanimity (Aczél & Saaty 1983). Its
    priorities are the group weights. Each assessor's own consistency ratio and distance from
    the group (Saaty compatibility index, Garuti & Salomon 2011) show where the team disagrees.

    Parameters
    ----------
    judgements : pandas.DataFrame or mapping
        A long table with columns ``assessor``, ``criterion_a``, ``criterion_b``,
        ``judgement`` (see :func:`judgements_to_matrix`), or a mapping from assessor name to a
        square matrix (DataFrame) or to a long table without the assessor column.
    criteria : sequence, optional
        Criteria order (default: first appearance); an unlisted criterion is an error.
    method, random_index :
        As for :func:`ahp_weights`.
    assessor_column : str
        Name of the assessor column in a long table.
    source : str
        How to name the table in messages.

    Returns
    -------
    GroupAHPResult

    Examples
    --------
    Two assessors whose consistent judgements come from weights (0.6, 0.4) and (0.4, 0.6):
    the geometric mean of 1.5 and 2/3 is 1, so the group weighs both criteria equally.

    >>> t = pd.DataFrame({"assessor": ["CIO", "CFO"], "criterion_a": ["cost", "cost"],
    ...                   "criterion_b": ["security", "security"], "judgement": [1.5, 2 / 3]})
    >>> g = group_ahp(t)
    >>> g.weights.round(3).tolist(), g.assessors["compatibility"].round(4).tolist()
    ([0.5, 0.5], [1.0417, 1.0417])
    """
    mats = _assessor_matrices(judgements, criteria, assessor_column, source)
    names = list(mats)
    order = list(next(iter(mats.values())).columns)
    for name in names[1:]:
        if set(mats[name].columns) != set(order):
            extra = sorted(map(str, set(mats[name].columns) ^ set(order)))
            raise InputError(f"{source}: assessor {name!r} judges other criteria than "
                             f"{names[0]!r} (differ: {', '.join(extra)}); expected every "
                             "assessor to compare the same criteria")
    stack = np.stack([mats[k].loc[order, order].to_numpy(dtype=float) for k in names])
    for k, name in enumerate(names):
        try:
            _check_pairwise(pd.DataFrame(stack[k], index=order, columns=order), "matrix")
        except InputError as exc:
            raise InputError(f"{source}, assessor {name!r}: {exc}") from None
    logs = np.log(stack)
    g = np.exp(logs.mean(axis=0))
    gdf = pd.DataFrame(g, index=order, columns=order)
    group = ahp_weights(gdf, method=method, random_index=random_index)
    gw = group.weights.to_numpy()

    rows: list[dict[str, Any]] = []
    tidy: list[dict[str, Any]] = []
    for k, name in enumerate(names):
        res = ahp_weights(pd.DataFrame(stack[k], index=order, columns=order), method=method,
                          random_index=random_index)
        wk = res.weights.to_numpy()
        mi = res.most_inconsistent
        rows.append({
            "assessor": name,
            "consistency_ratio": res.consistency_ratio,
            "acceptable": res.acceptable,
            "compatibility": compatibility_index(wk, gw),
            "largest_weight_gap": float(np.max(np.abs(wk - gw))),
            "most_inconsistent": "" if mi is None else f"{mi.row} / {mi.column}",
        })
        tidy.extend({"assessor": name, "criterion": c, "weight": float(x)}
                    for c, x in zip(order, wk, strict=True))
    assessors = pd.DataFrame(rows).set_index("assessor")
    assessor_weights = pd.DataFrame(tidy)
    iu, ju = np.triu_indices(len(order), k=1)
    disagreement = pd.DataFrame({
        "criterion_a": [order[i] for i in iu],
        "criterion_b": [order[j] for j in ju],
        "group_judgement": g[iu, ju],
        "lowest": stack[:, iu, ju].min(axis=0),
        "highest": stack[:, iu, ju].max(axis=0),
        "geometric_sd": np.exp(logs[:, iu, ju].std(axis=0)),
    }).sort_values("geometric_sd", ascending=False, kind="stable").reset_index(drop=True)
    summary = assessor_weights.pivot(index="criterion", columns="assessor", values="weight")
    summary = summary.loc[order, names]
    summary.insert(0, "weight", gw)
    summary.columns.name = None
    return GroupAHPResult(
        weights=group.weights, consistency_ratio=group.consistency_ratio, group=group,
        matrix=gdf, assessors=assessors, assessor_weights=assessor_weights,
        disagreement=disagreement, summary=summary,
    )


def _assessor_matrices(judgements: Any, criteria: Sequence[Any] | None, assessor_column: str,
                       source: str) -> dict[Any, pd.DataFrame]:
    out: dict[Any, pd.DataFrame] = {}
    if isinstance(judgements, pd.DataFrame):
        cols = [validate.Column(assessor_column, "text"), *JUDGEMENT_COLUMNS]
        t = validate.frame(judgements, cols, source=source)
        if criteria is None:
            criteria = list(dict.fromkeys(t["criterion_a"].tolist() + t["criterion_b"].tolist()))
        rows = np.arange(1, len(t) + 1)
        for name in pd.unique(t[assessor_column]):
            mask = (t[assessor_column] == name).to_numpy()
            sub = t.loc[mask].reset_index(drop=True)
            try:
                out[name] = _matrix_from_clean(sub, criteria, source, rows[mask])
            except InputError as exc:
                msg = str(exc)
                if msg.startswith(f"{source}: "):
                    msg = f"{source}, assessor {name!r}: " + msg[len(source) + 2:]
                raise InputError(msg) from None
        return out
    if not isinstance(judgements, Mapping) or not judgements:
        raise input_error(source, got=judgements, show_type=True,
                          expected="a long table with an assessor column, or a mapping from "
                                   "assessor to matrix")
    for name, value in judgements.items():
        where = f"{source}[{name!r}]"
        if isinstance(value, pd.DataFrame) and "criterion_a" in value.columns:
            out[name] = judgements_to_matrix(value, criteria=criteria, source=where)
        else:
            a, labels = _check_pairwise(value, where)
            if labels is None:
                if criteria is None or len(criteria) != a.shape[0]:
                    raise input_error(where, problem="an unlabelled matrix",
                                      expected="a DataFrame labelled by criterion, or criteria=")
                labels = list(criteria)
            elif criteria is not None:
                unknown = [c for c in labels if c not in set(criteria)]
                if unknown:
                    raise input_error(where, got=unknown[0], note="an unknown criterion",
                                      expected="one of " + ", ".join(map(repr, criteria)))
            out[name] = pd.DataFrame(a, index=labels, columns=labels)
    return out


# --------------------------------------------------------------------------- ranking


@dataclass(frozen=True)
class _Decision:
    x: np.ndarray  # options x criteria
    w: np.ndarray
    benefit: np.ndarray
    options: list[Any] | None
    criteria: list[Any] | None


def _aligned(values: Any, criteria: list[Any] | None, n: int, name: str) -> list[Any]:
    if isinstance(values, pd.Series | Mapping):
        if criteria is None:
            raise input_error(name, got=type(values).__name__, literal=True,
                              expected="a list (criteria are unnamed when matrix is an array)")
        keys = list(values.index if isinstance(values, pd.Series) else values.keys())
        missing = [c for c in criteria if c not in keys]
        if missing:
            raise input_error(name, problem=f"no value for criterion {missing[0]!r}",
                              expected="one value per criterion of matrix")
        extra = [k for k in keys if k not in set(criteria)]
        if extra:
            raise input_error(name, problem=f"got {extra[0]!r}, which is not a criterion of "
                              "matrix", expected="one of " + ", ".join(map(repr, criteria)))
        return [values[c] for c in criteria]
    if isinstance(values, str | bytes) or values is None or not hasattr(values, "__len__"):
        raise input_error(name, got=values, show_type=True, expected=f"{n} values, one per "
                          "criterion")
    out = list(np.asarray(values, dtype=object).ravel())
    if len(out) != n:
        raise input_error(name, problem=f"got {len(out)} values",
                          expected=f"{n}, one per criterion")
    return out


def _check_weights(values: list[Any], criteria: list[Any] | None, normalize: bool,
                   name: str = "weights") -> np.ndarray:
    def where(j: int) -> str:
        return f"{name}[{criteria[j]!r}]" if criteria is not None else f"{name}[{j}]"

    w = np.empty(len(values))
    for j, v in enumerate(values):
        if isinstance(v, bool | np.bool_) or not isinstance(v, numbers.Real):
            raise input_error(where(j), got=v, show_type=True, expected="a number")
        w[j] = float(v)
        if not math.isfinite(w[j]):
            raise input_error(where(j), got=v, expected="a finite number")
        if w[j] < 0:
            raise input_error(where(j), got=_fmt(w[j]), literal=True,
                              expected="a weight of at least 0")
    total = float(w.sum())
    if total <= 0:
        raise input_error(name, problem="all weights are 0",
                          expected="at least one positive weight")
    if not normalize and abs(total - 1) > WEIGHT_SUM_TOLERANCE:
        raise input_error(name, problem=f"the weights sum to {total:.6g}",
                          expected="weights that sum to 1 (or normalize_weights=True to divide "
                                   "them by their sum)")
    return w / total


def _check_benefit(values: list[Any], criteria: list[Any] | None) -> np.ndarray:
    out = np.empty(len(values), dtype=bool)
    for j, v in enumerate(values):
        if not isinstance(v, bool | np.bool_):
            where = f"benefit[{criteria[j]!r}]" if criteria is not None else f"benefit[{j}]"
            raise input_error(where, got=v, show_type=True,
                              expected="True (more is better) or False (less is better)")
        out[j] = bool(v)
    return out


def _decision(matrix: Any, weights: Any, benefit: Any, normalize: bool,
              name: str = "matrix") -> _Decision:
    options: list[Any] | None = None
    criteria: list[Any] | None = None
    if isinstance(matrix, pd.DataFrame):
        options, criteria = _labels(matrix.index), _labels(matrix.columns)
        if len(set(map(str, criteria))) != len(criteria):
            raise input_error(name, problem="a criterion (column) appears twice",
                              expected="each criterion once")
        if len(set(map(str, options))) != len(options):
            dup = pd.Index(options)[pd.Index(options).duplicated()][0]
            raise input_error(name, problem=f"option {dup!r} appears twice",
                              expected="each option (row) once")
        cells = []
        for j, c in enumerate(criteria):
            col = matrix.iloc[:, j]
            conv = pd.to_numeric(col, errors="coerce")
            bad = conv.isna().to_numpy() | col.map(lambda v: isinstance(v, bool)).to_numpy()
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise InputError(f"{name}, row {options[i]!r}, column {c!r}: got "
                                 f"{col.iloc[i]!r}; expected a number")
            cells.append(conv.to_numpy(dtype=float))
        x = np.column_stack(cells) if cells else np.empty((len(options), 0))
    elif isinstance(matrix, str | bytes | Mapping) or matrix is None:
        raise input_error(name, got=matrix, show_type=True,
                          expected="a DataFrame (options x criteria) or a 2-D array")
    else:
        x = _float_array(matrix, name)
        if x.ndim != 2:
            raise input_error(name, problem=f"got {x.ndim} dimension(s)",
                              expected="a 2-D table, options x criteria")
        nan = ~np.isfinite(x)
        if nan.any():
            i, j = np.argwhere(nan)[0]
            raise input_error(f"{name}[{i}, {j}]", got=x[i, j], expected="a finite number")
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise input_error(name, problem=f"got shape {x.shape}",
                          expected="at least one option and one criterion")
    inf = ~np.isfinite(x)
    if inf.any():
        # only the DataFrame branch can reach here: the array branch refused non-finite cells
        assert options is not None and criteria is not None
        i, j = np.argwhere(inf)[0]
        raise InputError(f"{name}, row {options[i]!r}, column {criteria[j]!r}: got {x[i, j]}; "
                         "expected a finite number")
    n = x.shape[1]
    w = _check_weights(_aligned(weights, criteria, n, "weights"), criteria, normalize)
    b = _check_benefit(_aligned(benefit, criteria, n, "benefit"), criteria)
    return _Decision(x, w, b, options, criteria)


def _topsis_core(x: np.ndarray, w: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Closeness for batches: x (..., m, J), w (..., J) -> (..., m)."""
    norm = np.sqrt(np.einsum("...ij,...ij->...j", x, x))[..., None, :]
    v = x / np.where(norm > 0, norm, 1.0) * w[..., None, :]
    vmax = v.max(axis=-2, keepdims=True)
    vmin = v.min(axis=-2, keepdims=True)
    best = np.where(benefit, vmax, vmin)
    worst = np.where(benefit, vmin, vmax)
    d_best = np.sqrt(((v - best) ** 2).sum(axis=-1))
    d_worst = np.sqrt(((v - worst) ** 2).sum(axis=-1))
    total = d_best + d_worst
    return np.divide(d_worst, total, out=np.full_like(total, 0.5), where=total > 0)


def _minmax(x: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    lo = x.min(axis=-2, keepdims=True)
    hi = x.max(axis=-2, keepdims=True)
    span = hi - lo
    safe = np.where(span > 0, span, 1.0)
    r = np.where(benefit, (x - lo) / safe, (hi - x) / safe)
    return np.where(span > 0, r, 1.0)


def _wsm_core(x: np.ndarray, w: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    return np.einsum("...ij,...j->...i", _minmax(x, benefit), w)


_CORES = {"topsis": _topsis_core, "weighted_sum": _wsm_core}


def _two_options(d: _Decision, why: str) -> None:
    """Refuse a single option: a score of one option against itself is made up (`why`)."""
    if d.x.shape[0] < 2:
        raise input_error("matrix", got=f"{d.x.shape[0]} option", literal=True,
                          expected=f"at least two options to rank (with one, {why})")


def _zero_columns(d: _Decision, name: str = "matrix") -> None:
    zero = ~np.any(d.x != 0, axis=0)
    if zero.any():
        j = int(np.flatnonzero(zero)[0])
        where = f"{name}, column {d.criteria[j]!r}" if d.criteria else f"{name}[:, {j}]"
        raise InputError(f"{where}: every value is 0; expected at least one non-zero value "
                         "(TOPSIS divides each column by its length)")


def _wrap(values: np.ndarray, d: _Decision, name: str) -> Any:
    if d.options is None:
        return values
    return pd.Series(values, index=pd.Index(d.options, name="option"), name=name)


@constrained(normalize_weights=Boolean())
def topsis(matrix: Any, weights: Any, benefit: Any, *, normalize_weights: bool = False) -> Any:
    """TOPSIS closeness to the ideal solution (Hwang & Yoon 1981), vector normalisation.

    Equations used (Hwang & Yoon 1981, pp. 130-134)::

        r_ij = x_ij / sqrt(sum_i x_ij**2)                 (vector normalisation)
        v_ij = w_j r_ij
        A+_j = max_i v_ij if benefit_j else min_i v_ij;  A-_j the opposite
        S+_i = ||v_i - A+||,  S-_i = ||v_i - A-||          (Euclidean)
        C_i  = S-_i / (S+_i + S-_i)                        (0.5 when both are 0)

    With a single option TOPSIS is undefined: the ideal and the anti-ideal are that option
    itself, so its closeness is 0/0 (any number, 0.5 included, would be made up). One option is
    refused; there is nothing to rank it against (:func:`btm.sourcing.evaluate` says so when
    only one option passes its gates).

    Parameters
    ----------
    matrix : pandas.DataFrame or array-like
        Options (rows, at least two) x criteria (columns), finite numbers; no column may be
        all 0.
    weights : sequence, or Series/mapping keyed by criterion
        At least 0, summing to 1 (see the module's weights policy).
    benefit : sequence of bool, or Series/mapping keyed by criterion
        True where more is better, False where less is better (cost).
    normalize_weights : bool
        Divide weights by their sum instead of refusing weights that do not sum to 1.

    Returns
    -------
    pandas.Series or numpy.ndarray
        Closeness in [0, 1] per option, higher is better; a Series indexed by option when
        `matrix` is a DataFrame.

    Raises
    ------
    InputError
        A single option (closeness undefined), a column of zeros, bad weights or benefit.

    Examples
    --------
    >>> topsis([[3, 1]], [0.5, 0.5], [True, False])
    Traceback (most recent call last):
    ...
    btm.errors.InputError: matrix: got 1 option; expected at least two options to rank (with one, TOPSIS's ideal and anti-ideal are that option and its closeness is 0/0)
    >>> topsis([[1, 0], [2, 0]], [0.5, 0.5], [True, True])
    Traceback (most recent call last):
    ...
    btm.errors.InputError: matrix[:, 1]: every value is 0; expected at least one non-zero value (TOPSIS divides each column by its length)
    >>> topsis([[3, 1], [1, 3]], [0.5, 0.5], [True, False]).round(3).tolist()
    [1.0, 0.0]
    """
    d = _decision(matrix, weights, benefit, normalize_weights)
    _two_options(d, "TOPSIS's ideal and anti-ideal are that option and its closeness is 0/0")
    _zero_columns(d)
    return _wrap(_topsis_core(d.x, d.w, d.benefit), d, "closeness")


@constrained(normalize_weights=Boolean())
def weighted_sum(matrix: Any, weights: Any, benefit: Any, *,
                 normalize_weights: bool = False) -> Any:
    """Weighted sum of min-max normalised criteria (simple additive weighting).

    Equations used (Hwang & Yoon 1981, pp. 99-103, with linear min-max scaling)::

        r_ij = (x_ij - min_i x_ij) / (max_i x_ij - min_i x_ij)   if benefit_j
        r_ij = (max_i x_ij - x_ij) / (max_i x_ij - min_i x_ij)   otherwise (cost reversed)
        r_ij = 1 when the column is constant (no option is worse)
        S_i  = sum_j w_j r_ij

    With a single option every column is constant, so its score is 1 by construction (the sum
    of the weights), whatever its values: one option is refused, as :func:`topsis` refuses it.

    Parameters
    ----------
    matrix, weights, benefit, normalize_weights :
        As for :func:`topsis` (at least two options).

    Returns
    -------
    pandas.Series or numpy.ndarray
        One score in [0, 1] per option, higher is better.

    Raises
    ------
    InputError
        A single option (its score would be 1 by construction), bad weights or benefit.

    Examples
    --------
    >>> weighted_sum([[3, 1]], [0.5, 0.5], [True, False])
    Traceback (most recent call last):
    ...
    btm.errors.InputError: matrix: got 1 option; expected at least two options to rank (with one, min-max normalisation makes every criterion constant and its score is 1 by construction)
    >>> weighted_sum([[100, 4], [80, 2], [90, 5]], [0.5, 0.5], [False, True]).round(4).tolist()
    [0.3333, 0.5, 0.75]
    """
    d = _decision(matrix, weights, benefit, normalize_weights)
    _two_options(d, "min-max normalisation makes every criterion constant and its score is 1 "
                    "by construction")
    return _wrap(_wsm_core(d.x, d.w, d.benefit), d, "score")


def minmax_normalise(matrix: Any, benefit: Any) -> Any:
    """Min-max normalisation of each criterion over the options, 1 = best, 0 = worst.

    ``(x - min) / (max - min)`` where more is better, ``(max - x) / (max - min)`` where less is
    better, and 1 for a constant column (the normalisation inside :func:`weighted_sum`).

    Parameters
    ----------
    matrix : pandas.DataFrame or array-like
        Options x criteria.
    benefit : sequence of bool, or Series/mapping keyed by criterion

    Returns
    -------
    pandas.DataFrame or numpy.ndarray
        Same shape and labels as `matrix`.

    Examples
    --------
    >>> minmax_normalise([[100, 4], [80, 2], [90, 5]], [False, True]).round(4).tolist()
    [[0.0, 0.6667], [1.0, 0.0], [0.5, 1.0]]
    """
    n = _float_array(matrix, "matrix").shape[-1] if not isinstance(matrix, pd.DataFrame) else (
        matrix.shape[1])
    d = _decision(matrix, [1.0 / max(n, 1)] * n if not isinstance(matrix, pd.DataFrame) else
                  dict.fromkeys(matrix.columns, 1.0 / max(n, 1)), benefit, False)
    out = _minmax(d.x, d.benefit)
    if d.options is None:
        return out
    return pd.DataFrame(out, index=pd.Index(d.options, name=matrix.index.name or "option"),
                        columns=matrix.columns)


@constrained(method=Options(METHODS), normalize_weights=Boolean())
def scores(matrix: Any, weights: Any, benefit: Any, *, method: str = "topsis",
           normalize_weights: bool = False) -> Any:
    """:func:`topsis` or :func:`weighted_sum`, chosen by `method`.

    Examples
    --------
    >>> scores([[3, 1], [1, 3]], [0.5, 0.5], [True, False], method="weighted_sum").tolist()
    [1.0, 0.0]
    """
    fn = topsis if method == "topsis" else weighted_sum
    return fn(matrix, weights, benefit, normalize_weights=normalize_weights)


# --------------------------------------------------------------------------- robustness


def _rescaled(w: np.ndarray, j: int, t: np.ndarray) -> np.ndarray:
    """Weights with w_j = t and the others scaled in proportion: shape (len(t), J)."""
    n = w.size
    rest = 1.0 - w[j]
    if rest > 1e-12:
        share = np.delete(w, j) / rest
    else:  # the criterion holds all the weight: the others share the rest equally
        share = np.full(n - 1, 1.0 / max(n - 1, 1))
    out = np.empty((t.size, n))
    out[:, j] = t
    out[:, np.arange(n) != j] = (1.0 - t)[:, None] * share[None, :]
    return out


@constrained(method=Options(METHODS), resolution=Interval(int, 11, 100_001),
             normalize_weights=Boolean())
def weight_sensitivity(
    matrix: Any,
    weights: Any,
    benefit: Any,
    *,
    method: str = "topsis",
    resolution: int = 201,
    normalize_weights: bool = False,
) -> SensitivityResult:
    """How far each criterion's weight can move before another option wins.

    For criterion j the weight is set to ``t`` in [0, 1] and every other weight is scaled by
    ``(1 - t) / (1 - w_j)``, so that their proportions stay as stated (Butler, Jia & Dyer 1997;
    the one-at-a-time analysis of Triantaphyllou & Sánchez 1997). The scores are computed on a
    grid of `resolution` points (all criteria and grid points at once) and each point where
    the winner changes is located exactly with Brent's method on ``score(winner) - max(score of
    the others)``. Changes and changes back within one grid step are not seen.

    Parameters
    ----------
    matrix, weights, benefit, normalize_weights :
        As for :func:`topsis`.
    method : {"topsis", "weighted_sum"}
    resolution : int
        Grid points from 0 to 1 (201: steps of 0.005).

    Returns
    -------
    SensitivityResult

    Examples
    --------
    Weighted sum, two criteria: A scores (1, 0), B (0, 1). A wins while the first weight is
    above 0.5, so from the stated 0.6 the smallest change that flips the winner is 0.1.

    >>> r = weight_sensitivity([[1, 0], [0, 1]], [0.6, 0.4], [True, True], method="weighted_sum")
    >>> r.intervals[["weight", "lower", "upper", "smallest_change"]].round(6)
    ... # doctest: +NORMALIZE_WHITESPACE
               weight  lower  upper  smallest_change
    criterion
    0             0.6    0.5    1.0              0.1
    1             0.4    0.0    0.5              0.1
    """
    d = _decision(matrix, weights, benefit, normalize_weights)
    if method == "topsis":
        _zero_columns(d)
    core = _CORES[method]
    m, n = d.x.shape
    options = d.options if d.options is not None else list(range(m))
    criteria = d.criteria if d.criteria is not None else list(range(n))
    base = core(d.x, d.w, d.benefit)
    winner = int(np.argmax(base))

    grid = np.linspace(0.0, 1.0, resolution)
    w_all = np.stack([_rescaled(d.w, j, grid) for j in range(n)])  # (J, G, J)
    s_all = core(d.x[None, None], w_all, d.benefit)  # (J, G, m)

    def margin(j: int, t: float) -> float:
        s = core(d.x, _rescaled(d.w, j, np.array([t]))[0], d.benefit)
        return float(s[winner] - np.delete(s, winner).max()) if m > 1 else 1.0

    def leader(j: int, t: float) -> int:
        return int(np.argmax(core(d.x, _rescaled(d.w, j, np.array([t]))[0], d.benefit)))

    rows = []
    for j in range(n):
        t0 = float(d.w[j])
        win = np.argmax(s_all[j], axis=1)
        bounds: dict[str, tuple[float, Any]] = {}
        for side in ("above", "below"):
            pts = grid[grid > t0] if side == "above" else grid[grid < t0][::-1]
            idx = np.searchsorted(grid, pts)
            changed = np.flatnonzero(win[idx] != winner)
            if m == 1 or changed.size == 0:
                bounds[side] = (1.0 if side == "above" else 0.0, None)
                continue
            k = int(changed[0])
            far = float(pts[k])
            near = t0 if k == 0 else float(pts[k - 1])
            f_near, f_far = margin(j, near), margin(j, far)
            if f_near <= 0:
                root = near
            elif f_far >= 0:
                root = far
            else:
                root = float(optimize.brentq(lambda t, j=j: margin(j, t), near, far,
                                             xtol=1e-12))
            step = 1e-9 if side == "above" else -1e-9
            bounds[side] = (root, options[leader(j, min(max(root + step, 0.0), 1.0))])
        lower, below = bounds["below"]
        upper, above = bounds["above"]
        gap_lo = t0 - lower if below is not None else math.inf
        gap_hi = upper - t0 if above is not None else math.inf
        if math.isinf(gap_lo) and math.isinf(gap_hi):
            change, new = math.nan, None
        elif gap_lo <= gap_hi:
            change, new = gap_lo, below
        else:
            change, new = gap_hi, above
        rows.append({"criterion": criteria[j], "weight": t0, "lower": lower, "upper": upper,
                     "overtaken_below": below, "overtaken_above": above,
                     "smallest_change": change, "new_winner": new,
                     "robust": below is None and above is None})
    intervals = pd.DataFrame(rows).set_index("criterion")
    for col in ("overtaken_below", "overtaken_above", "new_winner"):
        intervals[col] = pd.Series([r[col] for r in rows], index=intervals.index, dtype=object)
    curves = pd.DataFrame({
        "criterion": np.repeat(np.asarray(criteria, dtype=object), resolution * m),
        "weight": np.tile(np.repeat(grid, m), n),
        "option": np.tile(np.asarray(options, dtype=object), n * resolution),
        "score": s_all.ravel(),
    })
    if intervals["smallest_change"].notna().any():
        most = intervals["smallest_change"].idxmin()
        summary = pd.DataFrame([{
            "winner": options[winner], "most_sensitive_criterion": most,
            "smallest_change": float(intervals.loc[most, "smallest_change"]),
            "new_winner": intervals.loc[most, "new_winner"]}])
    else:
        summary = pd.DataFrame([{"winner": options[winner], "most_sensitive_criterion": None,
                                 "smallest_change": math.nan, "new_winner": None}])
    return SensitivityResult(winner=options[winner], intervals=intervals, curves=curves,
                             summary=summary)


def _sample_weights(w: np.ndarray, n: int, concentration: float | None,
                    gen: np.random.Generator) -> np.ndarray:
    if concentration is None:
        g = gen.standard_gamma(np.ones(w.size), size=(n, w.size))
    else:
        alpha = concentration * w
        g = np.zeros((n, w.size))
        pos = alpha > 0
        g[:, pos] = gen.standard_gamma(alpha[pos], size=(n, int(pos.sum())))
    total = g.sum(axis=1, keepdims=True)
    return np.where(total > 0, g / np.where(total > 0, total, 1.0), w)


def _bound_matrix(values: Any, d: _Decision, name: str) -> np.ndarray:
    if isinstance(values, pd.DataFrame) and d.options is not None:
        try:
            values = values.loc[d.options, d.criteria]
        except KeyError:
            raise input_error(name, problem="its rows or columns differ from matrix",
                              expected="the same options and criteria as matrix") from None
    arr = _float_array(values, name)
    if arr.shape != d.x.shape:
        raise input_error(name, problem=f"got shape {arr.shape}",
                          expected=f"the shape of matrix, {d.x.shape}")
    return np.where(np.isnan(arr), d.x, arr)


@constrained(method=Options(METHODS), n=Interval(int, 1, 10**7),
             concentration=NoneOr(Interval(float, 0, None, closed="neither")), seed=Seed(),
             normalize_weights=Boolean())
def rank_acceptability(
    matrix: Any,
    weights: Any,
    benefit: Any,
    *,
    method: str = "topsis",
    n: int = 10_000,
    concentration: float | None = 50.0,
    low: Any = None,
    high: Any = None,
    samples: Any = None,
    seed: int | np.random.Generator = 0,
    normalize_weights: bool = False,
) -> AcceptabilityResult:
    """SMAA rank acceptability: the share of plausible weightings and scores giving each rank.

    Each of `n` trials draws weights from a Dirichlet distribution centred on the stated
    weights, ``Dirichlet(concentration * w)`` (mean w; the larger `concentration`, the
    closer to w: variance ``w_j (1 - w_j) / (concentration + 1)``; criteria with weight 0
    stay at 0), or uniformly over all weightings when `concentration` is None (SMAA without
    weight information). Scores are drawn per cell from a beta-PERT distribution between
    `low` and `high` with the stated value as mode (:mod:`btm.uncertainty`), or taken from
    `samples`. Ranks follow Lahdelma, Hokkanen & Salminen (1998): the rank acceptability
    index ``b_i^r`` is the share of trials in which option i takes rank r.

    All trials are scored at once: arrays of trials x options x criteria, no loop over trials.

    Parameters
    ----------
    matrix, weights, benefit, normalize_weights :
        As for :func:`topsis`.
    method : {"topsis", "weighted_sum"}
    n : int
        Number of trials.
    concentration : float or None
        Dirichlet concentration (default 50: a weight of 0.2 varies with a standard deviation
        of about 0.056).
    low, high : DataFrame or array-like, optional
        Bounds of each score (same shape as `matrix`; NaN means no uncertainty in that cell);
        ``low <= matrix <= high``.
    samples : array-like, optional
        Score trials given by the caller, shape ``(n, options, criteria)`` (e.g. a TCO Monte
        Carlo); overrides `low` and `high`.
    seed : int or numpy.random.Generator

    Returns
    -------
    AcceptabilityResult

    Examples
    --------
    >>> r = rank_acceptability([[1, 0], [0, 1]], [0.7, 0.3], [True, True],
    ...                        method="weighted_sum", n=20_000, concentration=10)
    >>> r.summary["first_rank_share"].round(2).tolist()  # P(w1 > 0.5), w1 ~ Beta(7, 3)
    [0.91, 0.09]
    """
    d = _decision(matrix, weights, benefit, normalize_weights)
    if method == "topsis":
        _zero_columns(d)
    core = _CORES[method]
    gen = validate.rng(seed)
    m, j = d.x.shape
    options = d.options if d.options is not None else list(range(m))
    criteria = d.criteria if d.criteria is not None else list(range(j))
    w = _sample_weights(d.w, n, concentration, gen)
    if samples is not None:
        x = _float_array(samples, "samples")
        if x.shape != (n, m, j):
            raise input_error("samples", problem=f"got shape {x.shape}",
                              expected=f"(n, options, criteria) = {(n, m, j)}")
        if not np.isfinite(x).all():
            raise input_error("samples", problem="found missing or infinite values",
                              expected="finite numbers")
    elif low is not None or high is not None:
        lo = _bound_matrix(d.x if low is None else low, d, "low")
        hi = _bound_matrix(d.x if high is None else high, d, "high")
        for nm, bad in (("low", lo > d.x), ("high", hi < d.x)):
            if bad.any():
                a, b = np.argwhere(bad)[0]
                where = (f"{nm}, row {options[a]!r}, column {criteria[b]!r}" if d.options
                         else f"{nm}[{a}, {b}]")
                side = "at most" if nm == "low" else "at least"
                raise InputError(f"{where}: got {_fmt((lo if nm == 'low' else hi)[a, b])}; "
                                 f"expected a value {side} the score {_fmt(d.x[a, b])}")
        x = uncertainty.sample_three_point(lo.ravel(), d.x.ravel(), hi.ravel(), n,
                                           rng=gen).reshape(n, m, j)
    else:
        x = d.x[None]
    s = core(x, w, d.benefit)  # (n, m)
    order = np.argsort(-s, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(m)[None, :], axis=1)
    counts = np.bincount((np.arange(m)[None, :] * m + ranks).ravel(), minlength=m * m)
    share = counts.reshape(m, m) / n
    first = ranks == 0
    n_first = first.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        central = (first.T.astype(float) @ w) / n_first[:, None]
    idx = pd.Index(options, name="option")
    acc = pd.DataFrame(share, index=idx, columns=[f"rank_{r + 1}" for r in range(m)])
    tidy = pd.DataFrame({"option": np.repeat(np.asarray(options, dtype=object), m),
                         "rank": np.tile(np.arange(1, m + 1), m), "share": share.ravel()})
    base = core(d.x, d.w, d.benefit)
    base_rank = np.empty(m, dtype=np.int64)
    base_rank[np.argsort(-base, kind="stable")] = np.arange(1, m + 1)
    summary = pd.DataFrame({"first_rank_share": share[:, 0],
                            "expected_rank": (ranks + 1).mean(axis=0),
                            "score": base, "rank": base_rank}, index=idx)
    summary = summary.sort_values("rank", kind="stable")
    return AcceptabilityResult(
        acceptability=acc, tidy=tidy,
        central_weights=pd.DataFrame(central, index=idx, columns=pd.Index(criteria,
                                                                           name="criterion")),
        summary=summary, n=n, concentration=concentration,
    )
