"""Outsourcing decision matrix: what to keep in-house, what to source, and why.

Each IT activity (service desk, network operations, application development ...) is placed
on the two dimensions of Insinga and Werle's strategic make-or-buy analysis [1]_:

* **strategic importance**: how much the activity can contribute to the firm's competitive
  advantage (the article's "potential for competitive advantage"), and
* **relative capability**: how capable the firm is at the activity compared with the best
  providers available to it (the article's capability relative to the best in the world).

Each dimension is built from weighted sub-criteria that one or more assessors rate on a stated
scale (1 to 5 by default). A third, optional dimension, **supplier opportunism** (the risk that
a provider exploits the firm's dependence: specific assets, few alternative providers,
performance that is hard to measure), follows McIvor [2]_, who adds it to the capability view.

Inputs (see ``btm/data/outsourcing_matrix/README.md`` for the data dictionary)
------------------------------------------------------------------------------
``criteria``: one row per sub-criterion: ``criterion`` (id), ``dimension`` (``importance``,
``capability`` or ``opportunism``), ``weight`` (at least 0; weights are normalised within a
dimension, so 2-1-1 and 0.5-0.25-0.25 are the same).

``ratings``: long format, one row per activity, assessor and criterion: ``activity``,
``assessor``, ``criterion``, ``score`` (on ``scale_min..scale_max``; an empty cell means "not
rated" and that criterion is left out of that assessor's average).

``costs`` (optional): one row per activity: ``activity``, ``in_house_annual_cost``,
``provider_annual_quote``, optional ``transition_cost`` (one-off, year 0), ``exit_cost``
(one-off, at the end of the contract, year ``horizon_years``: re-tendering or bringing the
service back) and ``retained_annual_cost`` (the in-house team that manages the provider).

Method
------
1. An assessor's score on a dimension is the weighted mean of the scores they gave, mapped to
   0..1 on the scale: ``(mean - scale_min) / (scale_max - scale_min)``. The activity's score is
   the mean over the assessors who rated that dimension (equal weight per assessor).
2. Each axis is cut into ``low``/``medium``/``high`` bands by two boundaries (parameters, on
   0..1; a score equal to a boundary belongs to the upper band). The 3 x 3 cell gives a
   recommended strategy and a *stance*: ``keep``, ``partner`` or ``source``.
3. Review flags: **borderline** (the consensus point lies within ``margin`` of a boundary),
   **disagreement** (the assessors' range on a dimension exceeds ``disagreement``), and
   **single-view change** (classifying one assessor's own scores alone gives another cell).
4. Where the opportunism dimension is rated and the stance is ``source`` with opportunism at or
   above ``opportunism_threshold``, the strategy gets a safeguard note (McIvor [2]_: high
   opportunism potential calls for a safeguarded, collaborative arrangement or for keeping the
   activity in-house).
5. Cost case per activity (through :mod:`btm.finance`): the yearly saving of sourcing
   (in-house cost minus quote minus retained cost), less the transition cost now and the exit
   cost at the end of the contract, gives the present value and the payback of sourcing. A
   warning is raised where the matrix says keep but the money says source, or the reverse.

Adaptation (read before quoting)
--------------------------------
The axes follow [1]_. The three bands per axis, the cell names, the strategy wording and the
``keep/partner/source`` stances are **btm's rendering** of the article's logic (keep and build
what can give advantage and the firm does well; acquire or partner where it matters but the
firm is weak; buy what cannot give advantage), not labels quoted from the article's figure:
the public copies available when this module was written gave its text, not the figure. Pass
your own ``cells`` table (:func:`matrix_cells` shows the shape) to use the article's exact
labels or a house variant. Averaging assessors with equal weight, the 0..1 mapping, the review
flags and the opportunism note are btm's additions.

References
----------
.. [1] Insinga, R. C. and Werle, M. J. (2000). Linking outsourcing to business strategy.
   *Academy of Management Executive* 14(4), 58-70.
.. [2] McIvor, R. (2008). What is the right outsourcing strategy for your process?
   *European Management Journal* 26(1), 24-34.

Examples
--------
>>> import pandas as pd
>>> criteria = pd.DataFrame({"criterion": ["differentiation", "skills"],
...                          "dimension": ["importance", "capability"], "weight": [1, 1]})
>>> ratings = pd.DataFrame({
...     "activity": ["Data analytics"] * 2 + ["Service desk"] * 2,
...     "assessor": ["cio"] * 4,
...     "criterion": ["differentiation", "skills"] * 2,
...     "score": [5, 5, 1, 2]})
>>> result = assess(ratings, criteria)
>>> result.activities[["activity", "importance", "capability", "stance"]]
         activity  importance  capability  stance
0  Data analytics         1.0        1.00    keep
1    Service desk         0.0        0.25  source
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from btm import finance, validate
from btm.constraints import (
    Constraint,
    Currency,
    Interval,
    ListOf,
    NoneOr,
    Rate,
    Text,
    constrained,
)
from btm.errors import input_error

__all__ = [
    "DIMENSIONS",
    "BANDS",
    "STANCES",
    "CRITERIA_COLUMNS",
    "RATING_COLUMNS",
    "COST_COLUMNS",
    "Boundaries",
    "OutsourcingResult",
    "matrix_cells",
    "validate_criteria",
    "validate_ratings",
    "assessor_scores",
    "classify",
    "cost_case",
    "assess",
]

DIMENSIONS: tuple[str, ...] = ("importance", "capability", "opportunism")
"""Rated dimensions; ``opportunism`` is optional (McIvor 2008)."""

BANDS: tuple[str, ...] = ("low", "medium", "high")
"""Bands of each axis, cut by two boundaries."""

STANCES: tuple[str, ...] = ("keep", "partner", "source")
"""What a cell says in one word; used for the matrix-versus-cost warnings."""

# btm's rendering of Insinga & Werle's (2000) logic; see "Adaptation" in the module notes.
_DEFAULT_CELLS: tuple[tuple[str, str, str, str, str], ...] = (
    # importance, capability, cell, strategy, stance
    ("high", "high", "Core strength", "Keep in-house and keep investing", "keep"),
    ("high", "medium", "Core to build", "Keep in-house; invest to reach best-in-class", "keep"),
    ("high", "low", "Core gap",
     "Partner with or acquire a capable provider; keep control of the know-how", "partner"),
    ("medium", "high", "Solid in-house", "Keep in-house; benchmark against providers", "keep"),
    ("medium", "medium", "Contestable",
     "Market-test: source selectively or co-source, decide on evidence", "partner"),
    ("medium", "low", "Source with oversight",
     "Source to a capable provider; retain contract oversight", "source"),
    ("low", "high", "Non-core strength",
     "Source and redeploy the team, or sell the capability", "source"),
    ("low", "medium", "Commodity", "Source to the best-value provider", "source"),
    ("low", "low", "Commodity gap", "Source now", "source"),
)

_CELL_COLUMNS = ("importance_band", "capability_band", "cell", "strategy", "stance")

CRITERIA_COLUMNS: tuple[validate.Column, ...] = (
    validate.Column("criterion", "text", description="sub-criterion id, unique"),
    validate.Column("dimension", "text",
                    description="importance, capability or opportunism"),
    validate.Column("weight", "number", min=0, description="relative weight, at least 0"),
)
"""Declared columns of the sub-criteria table."""

RATING_COLUMNS: tuple[validate.Column, ...] = (
    validate.Column("activity", "text", description="the IT activity or service rated"),
    validate.Column("assessor", "text", description="who gave the score"),
    validate.Column("criterion", "text", description="a criterion id from the criteria table"),
    validate.Column("score", "number", allow_missing=True,
                    description="score on the stated scale; empty = not rated"),
)
"""Declared columns of the ratings table (bounds come from the stated scale)."""

COST_COLUMNS: tuple[validate.Column, ...] = (
    validate.Column("activity", "text", description="activity id, as in the ratings"),
    validate.Column("in_house_annual_cost", "number", min=0,
                    description="today's yearly cost of doing it in-house"),
    validate.Column("provider_annual_quote", "number", min=0,
                    description="provider's yearly price for the same service"),
    validate.Column("transition_cost", "number", min=0, required=False, default=0.0,
                    description="one-off cost of moving to the provider, year 0"),
    validate.Column("exit_cost", "number", min=0, required=False, default=0.0,
                    description="one-off cost of leaving the provider, last year"),
    validate.Column("retained_annual_cost", "number", min=0, required=False, default=0.0,
                    description="yearly cost of the retained team managing the provider"),
)
"""Declared columns of the cost table."""



@dataclass(frozen=True)
class Boundaries(ListOf):
    """The two band boundaries of an axis: increasing, strictly between 0 and 1.

    ``[low/medium, medium/high]``, such as ``[0.333, 0.667]``. The one declaration of
    `importance_bounds` and `capability_bounds`, for :func:`assess` and :func:`classify` and
    for the outsourcing matrix notebook's parameters (its spec), so ``[0.7, 0.3]`` is refused
    before any kernel starts, not in the notebook's third cell.

    Examples
    --------
    >>> Boundaries().check((0.4, 0.7), "importance_bounds")
    [0.4, 0.7]
    >>> Boundaries().check([0.7, 0.3], "importance_bounds")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: importance_bounds: got [0.7, 0.3]; expected two increasing boundaries strictly between 0 and 1, such as (0.4, 0.7)
    """

    item: Constraint = field(default_factory=lambda: Interval(float, 0, 1, closed="neither"))
    min_length: int = 2
    unique: bool = False

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "two increasing boundaries strictly between 0 and 1, such as (0.4, 0.7)"

    def check(self, value: Any, name: str) -> list[Any]:
        out = super().check(value, name)
        if len(out) != 2 or not out[0] < out[1]:
            raise input_error(name, got=value, expected=self.expected)
        return out

    def example(self) -> list[float]:
        return [0.333, 0.667]

    def invalid_values(self) -> list[Any]:
        return [*super().invalid_values(), [0.7, 0.3], [0.5, 0.5], [0.2, 0.5, 0.8]]


_BOUNDS = Boundaries()
_SCALE = Interval(float)
_FRACTION = Interval(float, 0, 1)


@dataclass(frozen=True)
class OutsourcingResult:
    """Result of :func:`assess`.

    Attributes
    ----------
    activities : pandas.DataFrame
        One row per activity (order of first appearance in the ratings): ``activity``,
        ``importance``, ``capability`` (consensus, 0..1), ``opportunism`` (0..1, NaN when not
        rated), ``n_assessors``, ``importance_spread`` and ``capability_spread`` (range over
        assessors, 0..1), ``importance_band``, ``capability_band``, ``cell``, ``strategy``,
        ``stance``, ``opportunism_risk`` (bool), ``distance_to_boundary`` (smallest distance
        of the consensus point to a boundary, 0..1), ``borderline`` (bool),
        ``borderline_axis`` ("importance", "capability", "both" or ""), ``disagreement``
        (bool), ``single_view_change`` (bool), ``changed_by`` (the assessors whose own view
        gives another cell, comma-separated), ``stance_changed_by`` (those whose own view
        even gives another stance: keep instead of source, say), ``review`` (any flag raised).
    by_assessor : pandas.DataFrame
        One row per activity and assessor: ``activity``, ``assessor``, ``importance``,
        ``capability``, ``opportunism`` (that assessor's own scores, NaN where they rated
        nothing on the dimension), ``cell``, ``stance`` (their own view classified, the
        consensus used for a dimension they did not rate) and ``differs`` (bool).
    costs : pandas.DataFrame
        The cost case (:func:`cost_case`) of the activities in the cost table, with
        ``stance`` and ``conflict`` ("" or a sentence); empty when no cost table is given.
    summary : pandas.DataFrame
        The board table, indexed by ``activity``: ``cell``, ``strategy``, ``importance``,
        ``capability``, ``in_house_annual_cost``, ``annual_saving``, ``present_value``,
        ``payback_years`` (NaN without costs) and ``review_notes`` (plain words).
    cells : pandas.DataFrame
        The matrix used (:func:`matrix_cells` shape).
    importance_bounds, capability_bounds : tuple of float
    margin, disagreement, opportunism_threshold : float
    scale_min, scale_max : float
    horizon_years : int
    discount_rate : float
    currency : str
    """

    activities: pd.DataFrame
    by_assessor: pd.DataFrame
    costs: pd.DataFrame
    summary: pd.DataFrame
    cells: pd.DataFrame
    importance_bounds: tuple[float, float]
    capability_bounds: tuple[float, float]
    margin: float
    disagreement: float
    opportunism_threshold: float
    scale_min: float
    scale_max: float
    horizon_years: int
    discount_rate: float
    currency: str


# --------------------------------------------------------------------------- the matrix


def matrix_cells() -> pd.DataFrame:
    """The default 3 x 3 matrix: band pair -> cell name, strategy, stance (a fresh copy).

    Rows are ``importance_band``, ``capability_band``, ``cell``, ``strategy``, ``stance``;
    bands are ``low``/``medium``/``high``, stances ``keep``/``partner``/``source``. The axes
    are Insinga and Werle's (2000); cell wording and stances are btm's rendering of their
    logic (see the module notes, "Adaptation"). Edit the copy and pass it as ``cells`` to
    :func:`classify` or :func:`assess` to use other labels.

    Examples
    --------
    >>> cells = matrix_cells()
    >>> cells.loc[(cells.importance_band == "high") & (cells.capability_band == "high"),
    ...           "stance"].item()
    'keep'
    >>> len(cells)
    9
    """
    return pd.DataFrame(list(_DEFAULT_CELLS), columns=list(_CELL_COLUMNS))


def _refuse_repeat(table: pd.DataFrame, key: list[str], source: str,
                   problem: Callable[[pd.Series], str], expected: str) -> None:
    """Refuse the first row that repeats `key`, naming its last column; `problem(row)` says why."""
    row = validate.repeated_row(table, key)
    if row is not None:
        raise input_error(validate.where(source, row, key[-1]),
                          problem=problem(table.iloc[row - 1]), expected=expected)


def _refuse_unknown(table: pd.DataFrame, column: str, known: pd.Index, source: str, *,
                    note: str, expected: str) -> None:
    """Refuse the first value of `column` that is not in `known`."""
    unknown = ~table[column].isin(known).to_numpy()
    if unknown.any():
        i = int(np.flatnonzero(unknown)[0])
        raise input_error(validate.where(source, i + 1, column), got=table[column].iloc[i],
                          note=note, expected=expected)


def _each_once(table: pd.DataFrame, column: str, source: str, expected: str) -> None:
    """Refuse a repeated id in `column`, naming the row that gave it first."""
    row = validate.repeated_row(table, [column])
    if row is not None:
        value = table[column].iloc[row - 1]
        first = int(np.flatnonzero((table[column] == value).to_numpy())[0])
        raise input_error(validate.where(source, row, column), got=value,
                          note=f"already given in row {first + 1}", expected=expected)


def _check_cells(cells: Any, source: str = "cells") -> pd.DataFrame:
    if cells is None:
        return matrix_cells()
    table = validate.frame(cells, [validate.Column(c, "text") for c in _CELL_COLUMNS],
                           source=source, keep_extra=False)
    for col, allowed in (("importance_band", BANDS), ("capability_band", BANDS),
                         ("stance", STANCES)):
        bad = ~table[col].isin(allowed).to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise input_error(f"{source}, row {i + 1}, column '{col}'", got=table[col].iloc[i],
                              expected="one of " + ", ".join(repr(a) for a in allowed))
    _refuse_repeat(table, ["importance_band", "capability_band"], source,
                   lambda r: (f"the pair ({r['importance_band']!r}, {r['capability_band']!r}) "
                              "appears twice"),
                   "each (importance_band, capability_band) pair once")
    if len(table) != len(BANDS) ** 2:
        have = set(zip(table["importance_band"], table["capability_band"], strict=True))
        missing = [(a, b) for a in BANDS for b in BANDS if (a, b) not in have]
        raise input_error(source, problem=f"no cell for (importance, capability) {missing[0]}",
                          expected="one row for each of the 9 band pairs")
    return table


def _bounds(value: Any, name: str) -> tuple[float, float]:
    if value is None:
        return (1 / 3, 2 / 3)
    b = _BOUNDS.check(value, name)
    return (float(b[0]), float(b[1]))


def _band_index(x: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
    return np.searchsorted(np.asarray(bounds), x, side="right")


@constrained(importance_bounds=NoneOr(_BOUNDS), capability_bounds=NoneOr(_BOUNDS))
def classify(
    importance: Any,
    capability: Any,
    *,
    importance_bounds: Sequence[float] | None = None,
    capability_bounds: Sequence[float] | None = None,
    cells: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Place points (importance, capability) in the matrix's cells.

    Parameters
    ----------
    importance, capability : array-like of float
        Scores on 0..1, one per activity (equal lengths).
    importance_bounds, capability_bounds : pair of float, optional
        The low/medium and medium/high boundaries on 0..1 (default one third and two
        thirds). A score equal to a boundary belongs to the upper band.
    cells : pandas.DataFrame, optional
        The matrix (:func:`matrix_cells` shape); default :func:`matrix_cells`.

    Returns
    -------
    pandas.DataFrame
        One row per point: ``importance_band``, ``capability_band``, ``cell``, ``strategy``,
        ``stance``.

    Notes
    -----
    Insinga and Werle (2000): high potential for competitive advantage and high capability
    relative to the best providers -> keep in-house; low potential -> buy; high potential but
    low capability -> build or acquire the capability (btm: partner). See the module notes.

    Examples
    --------
    >>> classify([0.9, 0.1, 0.9], [0.9, 0.1, 0.1])[["cell", "stance"]]
                cell   stance
    0  Core strength     keep
    1  Commodity gap   source
    2       Core gap  partner
    """
    ib = _bounds(importance_bounds, "importance_bounds")
    cb = _bounds(capability_bounds, "capability_bounds")
    table = _check_cells(cells)
    x = _unit_array(importance, "importance")
    y = _unit_array(capability, "capability")
    if x.size != y.size:
        raise input_error("capability", got=f"{y.size} value(s)", literal=True,
                          expected=f"one per importance value ({x.size})")
    return _classify(x, y, ib, cb, table)


def _unit_array(values: Any, name: str) -> np.ndarray:
    arr = validate.nonempty_sequence(values, name)
    bad = (arr < 0) | (arr > 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise input_error(f"{name}[{i}]", got=float(arr[i]), expected="a score from 0 to 1")
    return arr


def _classify(x: np.ndarray, y: np.ndarray, ib: tuple[float, float],
              cb: tuple[float, float], table: pd.DataFrame) -> pd.DataFrame:
    bands = np.asarray(BANDS, dtype=object)
    out = pd.DataFrame({"importance_band": bands[_band_index(x, ib)],
                        "capability_band": bands[_band_index(y, cb)]})
    merged = out.merge(table, on=["importance_band", "capability_band"], how="left",
                       sort=False)
    return merged[list(_CELL_COLUMNS)].reset_index(drop=True)


# --------------------------------------------------------------------------- validation


def validate_criteria(criteria: Any, *, source: str = "criteria") -> pd.DataFrame:
    """Check the sub-criteria table and return a cleaned copy with ``share`` of its dimension.

    Raises
    ------
    InputError
        A missing column, a negative or non-numeric weight, an unknown dimension, a repeated
        criterion id, or ``importance``/``capability`` without a criterion of positive weight.

    Examples
    --------
    >>> c = pd.DataFrame({"criterion": ["a", "b", "c"], "weight": [2, 1, 1],
    ...                   "dimension": ["importance", "importance", "capability"]})
    >>> validate_criteria(c)["share"].round(3).tolist()
    [0.667, 0.333, 1.0]
    >>> c.loc[1, "weight"] = -1
    >>> validate_criteria(c, source="criteria.csv")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: criteria.csv, row 2, column 'weight': got -1; expected a value of at least 0
    """
    table = validate.frame(criteria, CRITERIA_COLUMNS, source=source)
    dims = table["dimension"].str.lower()
    bad = ~dims.isin(DIMENSIONS).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise input_error(f"{source}, row {i + 1}, column 'dimension'",
                          got=table["dimension"].iloc[i],
                          expected="one of " + ", ".join(repr(d) for d in DIMENSIONS))
    table["dimension"] = dims.to_numpy(dtype=object)
    _each_once(table, "criterion", source, "each criterion id once")
    total = table.groupby("dimension", sort=False)["weight"].transform("sum").to_numpy()
    for dim in ("importance", "capability"):
        mask = (table["dimension"] == dim).to_numpy()
        if not mask.any() or total[mask][0] <= 0:
            raise input_error(f"{source}, column 'weight'",
                              problem=f"no {dim} criterion with a positive weight",
                              expected=f"at least one {dim} criterion with weight above 0")
    with np.errstate(invalid="ignore", divide="ignore"):
        table["share"] = np.where(total > 0, table["weight"].to_numpy() / total, 0.0)
    return table


@constrained(scale_min=_SCALE, scale_max=_SCALE,
             assessors=NoneOr(ListOf(Text(), min_length=1, unique=True)))
def validate_ratings(
    ratings: Any,
    criteria: pd.DataFrame,
    *,
    scale_min: float = 1.0,
    scale_max: float = 5.0,
    assessors: Sequence[str] | None = None,
    source: str = "ratings",
) -> pd.DataFrame:
    """Check the ratings table against the (validated) criteria and the stated scale.

    Parameters
    ----------
    ratings : pandas.DataFrame
        ``activity``, ``assessor``, ``criterion``, ``score`` (long format).
    criteria : pandas.DataFrame
        The output of :func:`validate_criteria`.
    scale_min, scale_max : float
        The stated scale; scores outside it are refused.
    assessors : list of str, optional
        The assessors expected; one who rated nothing is refused.
    source : str
        How to name the table in messages.

    Returns
    -------
    pandas.DataFrame
        The cleaned table with ``dimension`` and ``share`` of each criterion.

    Raises
    ------
    InputError
        A score outside the scale or not a number, an unknown criterion, a repeated
        (activity, assessor, criterion), an assessor whose every score is empty or an expected
        assessor with no rows.

    Examples
    --------
    >>> c = validate_criteria(pd.DataFrame({"criterion": ["a", "b"], "weight": [1, 1],
    ...                                     "dimension": ["importance", "capability"]}))
    >>> r = pd.DataFrame({"activity": ["x", "x"], "assessor": ["cio", "cio"],
    ...                   "criterion": ["a", "b"], "score": [3, 7]})
    >>> validate_ratings(r, c, source="ratings.csv")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: ratings.csv, row 2, column 'score': got 7; expected a value of at most 5
    """
    if not scale_min < scale_max:
        raise input_error("scale_max", got=scale_max,
                          expected=f"a value greater than scale_min ({scale_min:g})")
    cols = list(RATING_COLUMNS)
    cols[-1] = validate.Column("score", "number", allow_missing=True, min=scale_min,
                               max=scale_max, description=RATING_COLUMNS[-1].description)
    table = validate.frame(ratings, cols, source=source)
    known = _indexed(criteria, "criterion")
    _refuse_unknown(table, "criterion", known.index, source, note="not in the criteria table",
                    expected="one of " + ", ".join(repr(c) for c in known.index))
    _refuse_repeat(table, ["activity", "assessor", "criterion"], source,
                   lambda r: f"{r['assessor']!r} rated {r['criterion']!r} for {r['activity']!r} twice",
                   "one score per activity, assessor and criterion")
    rated = table["score"].notna()
    any_rated = rated.groupby(table["assessor"], sort=False).transform("any").to_numpy()
    if not any_rated.all():
        i = int(np.flatnonzero(~any_rated)[0])
        raise input_error(f"{source}, row {i + 1}, column 'score'",
                          problem=f"assessor {table['assessor'].iloc[i]!r} rated nothing "
                                  "(every score is empty)",
                          expected="at least one score from each assessor")
    if assessors is not None:
        present = set(table["assessor"])
        absent = [a for a in assessors if a.strip() not in present]
        if absent:
            raise input_error("assessors", got=absent[0], note=f"who has no rows in {source}",
                              expected="every listed assessor to rate at least one criterion")
    table["dimension"] = known.loc[table["criterion"], "dimension"].to_numpy(dtype=object)
    table["share"] = known.loc[table["criterion"], "share"].to_numpy(dtype=float)
    return table


# --------------------------------------------------------------------------- scores


@constrained(scale_min=_SCALE, scale_max=_SCALE,
             assessors=NoneOr(ListOf(Text(), min_length=1, unique=True)))
def assessor_scores(
    ratings: pd.DataFrame,
    criteria: pd.DataFrame,
    *,
    scale_min: float = 1.0,
    scale_max: float = 5.0,
    assessors: Sequence[str] | None = None,
    source: str = "ratings",
    criteria_source: str = "criteria",
) -> pd.DataFrame:
    """Each assessor's score per activity and dimension: weighted mean mapped to 0..1.

    ``score = (sum(w * s) / sum(w) - scale_min) / (scale_max - scale_min)`` over the criteria
    of the dimension that the assessor rated (empty cells left out, weights renormalised).

    Returns
    -------
    pandas.DataFrame
        Tidy: ``activity``, ``assessor``, ``dimension``, ``score`` (0..1), ``n_rated``
        (criteria rated), in order of first appearance. A dimension an assessor did not rate
        (or rated only on zero-weight criteria) has no row.

    Examples
    --------
    Weights 2 and 1, scores 5 and 2 on 1..5: mean (2*5 + 1*2)/3 = 4, i.e. (4 - 1)/4 = 0.75.

    >>> c = pd.DataFrame({"criterion": ["a", "b", "k"], "weight": [2, 1, 1],
    ...                   "dimension": ["importance", "importance", "capability"]})
    >>> r = pd.DataFrame({"activity": ["x"] * 3, "assessor": ["cio"] * 3,
    ...                   "criterion": ["a", "b", "k"], "score": [5, 2, 3]})
    >>> assessor_scores(r, c)
      activity assessor   dimension  score  n_rated
    0        x      cio  importance   0.75        2
    1        x      cio  capability   0.50        1
    """
    crit = validate_criteria(criteria, source=criteria_source)
    table = validate_ratings(ratings, crit, scale_min=scale_min, scale_max=scale_max,
                             assessors=assessors, source=source)
    return _assessor_scores(table, scale_min, scale_max)


def _assessor_scores(table: pd.DataFrame, lo: float, hi: float) -> pd.DataFrame:
    rated = table[table["score"].notna()]
    w = rated["share"].to_numpy(dtype=float)
    s = (rated["score"].to_numpy(dtype=float) - lo) / (hi - lo)
    work = pd.DataFrame({"activity": rated["activity"].to_numpy(dtype=object),
                         "assessor": rated["assessor"].to_numpy(dtype=object),
                         "dimension": rated["dimension"].to_numpy(dtype=object),
                         "ws": w * s, "w": w, "n_rated": np.ones(len(rated), dtype=np.int64)})
    g = work.groupby(["activity", "assessor", "dimension"], sort=False, as_index=False)
    agg = g[["ws", "w", "n_rated"]].sum()
    agg = agg[agg["w"].to_numpy() > 0].reset_index(drop=True)
    agg["score"] = np.clip(agg["ws"].to_numpy() / agg["w"].to_numpy(), 0.0, 1.0)
    return agg[["activity", "assessor", "dimension", "score", "n_rated"]]


# --------------------------------------------------------------------------- cost case


@constrained(horizon_years=Interval(int, 1, 50), discount_rate=Rate())
def cost_case(
    costs: pd.DataFrame,
    *,
    horizon_years: int = 5,
    discount_rate: float = 0.08,
    source: str = "costs",
) -> pd.DataFrame:
    """The money case for sourcing each activity: yearly saving, present value, payback.

    Sourcing's saving timeline, year 0 now and years ``1..horizon_years`` under contract::

        year 0:  -transition_cost
        year k:  in_house_annual_cost - provider_annual_quote - retained_annual_cost
        year H:  ... - exit_cost                    (H = horizon_years, end of the contract)

    ``present_value`` is the net present value of that timeline (:func:`btm.finance.npv`
    convention, computed for all activities at once by :func:`btm.finance.present_value`);
    ``payback_years`` is :func:`btm.finance.payback_period` of it (``inf`` when it never pays
    back, 0 when nothing is to be paid back). Amounts are today's money (no escalation).

    Parameters
    ----------
    costs : pandas.DataFrame
        One row per activity (columns in the module notes); not modified.
    horizon_years : int
        Contract length in years (the horizon), at least 1.
    discount_rate : float
        Fraction per year (0.08 for 8 %).
    source : str
        How to name the table in messages.

    Returns
    -------
    pandas.DataFrame
        Input order: ``activity``, ``in_house_annual_cost``, ``sourced_annual_cost`` (quote +
        retained), ``annual_saving``, ``saving_share`` (of the in-house cost; NaN when that is
        0), ``one_off_costs`` (transition + exit), ``total_saving`` (undiscounted),
        ``present_value_in_house``, ``present_value_sourced``, ``present_value`` (of the
        saving), ``payback_years``, ``cost_says`` ("source" when the present value is above 0,
        else "keep").

    Raises
    ------
    InputError
        Missing columns, negative or non-numeric amounts, a repeated activity.

    Examples
    --------
    In-house 100 a year, quote 70, transition 50 now, 3 years, no discounting: savings
    -50, 30, 30, 30: total 40, payback 1 + 20/30 = 1.67 years.

    >>> c = pd.DataFrame({"activity": ["Service desk"], "in_house_annual_cost": [100],
    ...                   "provider_annual_quote": [70], "transition_cost": [50]})
    >>> row = cost_case(c, horizon_years=3, discount_rate=0.0).iloc[0]
    >>> float(row.present_value), round(float(row.payback_years), 2), row.cost_says
    (40.0, 1.67, 'source')
    """
    table = _validate_costs(costs, source)
    h = horizon_years
    n = len(table)
    inhouse = table["in_house_annual_cost"].to_numpy(dtype=float)
    sourced = (table["provider_annual_quote"].to_numpy(dtype=float)
               + table["retained_annual_cost"].to_numpy(dtype=float))
    years = np.arange(h + 1)
    contract = (years >= 1).astype(float)
    in_flows = inhouse[:, None] * contract
    out_flows = sourced[:, None] * contract
    out_flows[:, 0] += table["transition_cost"].to_numpy(dtype=float)
    out_flows[:, h] += table["exit_cost"].to_numpy(dtype=float)
    savings = in_flows - out_flows
    pv_in = np.atleast_1d(finance.present_value(in_flows, discount_rate=discount_rate))
    pv_out = np.atleast_1d(finance.present_value(out_flows, discount_rate=discount_rate))
    payback = np.array([finance.payback_period(savings[i]) for i in range(n)], dtype=float)
    annual = inhouse - sourced
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(inhouse > 0, annual / np.where(inhouse > 0, inhouse, 1.0), np.nan)
    pv = pv_in - pv_out
    return pd.DataFrame({
        "activity": table["activity"].to_numpy(dtype=object),
        "in_house_annual_cost": inhouse,
        "sourced_annual_cost": sourced,
        "annual_saving": annual,
        "saving_share": share,
        "one_off_costs": (table["transition_cost"].to_numpy(dtype=float)
                          + table["exit_cost"].to_numpy(dtype=float)),
        "total_saving": savings.sum(axis=1),
        "present_value_in_house": pv_in,
        "present_value_sourced": pv_out,
        "present_value": pv,
        "payback_years": payback,
        "cost_says": np.where(pv > 0, "source", "keep").astype(object),
    })


def _validate_costs(costs: Any, source: str) -> pd.DataFrame:
    table = validate.frame(costs, COST_COLUMNS, source=source)
    _each_once(table, "activity", source, "each activity once")
    return table


# --------------------------------------------------------------------------- assess


@constrained(
    scale_min=_SCALE, scale_max=_SCALE,
    importance_bounds=NoneOr(_BOUNDS), capability_bounds=NoneOr(_BOUNDS),
    margin=Interval(float, 0, 0.5), disagreement=Interval(float, 0, 1, closed="right"),
    opportunism_threshold=_FRACTION, horizon_years=Interval(int, 1, 50),
    discount_rate=Rate(), currency=Currency(),
    assessors=NoneOr(ListOf(Text(), min_length=1, unique=True)),
)
def assess(
    ratings: pd.DataFrame,
    criteria: pd.DataFrame,
    costs: pd.DataFrame | None = None,
    *,
    scale_min: float = 1.0,
    scale_max: float = 5.0,
    importance_bounds: Sequence[float] | None = None,
    capability_bounds: Sequence[float] | None = None,
    margin: float = 0.05,
    disagreement: float = 0.25,
    opportunism_threshold: float = 0.6,
    horizon_years: int = 5,
    discount_rate: float = 0.08,
    currency: str = "EUR",
    assessors: Sequence[str] | None = None,
    cells: pd.DataFrame | None = None,
    source: str = "ratings",
    criteria_source: str = "criteria",
    costs_source: str = "costs",
) -> OutsourcingResult:
    """Fill the outsourcing matrix from assessors' ratings and put the cost case beside it.

    Parameters
    ----------
    ratings, criteria : pandas.DataFrame
        Long-format ratings and the weighted sub-criteria (module notes); not modified.
    costs : pandas.DataFrame, optional
        The cost table; every activity in it must have ratings.
    scale_min, scale_max : float
        The stated rating scale (default 1..5).
    importance_bounds, capability_bounds : pair of float, optional
        Band boundaries on 0..1 (default 1/3 and 2/3).
    margin : float
        Distance to a boundary (0..1 units) within which an activity is flagged borderline.
    disagreement : float
        Range of assessors' scores on a dimension (0..1 units) above which they disagree.
    opportunism_threshold : float
        Opportunism score (0..1) at or above which a ``source`` cell gets a safeguard note.
    horizon_years : int
        Contract length for the cost case.
    discount_rate : float
        Fraction per year.
    currency : str
        Three-letter code, used by tables and charts.
    assessors : list of str, optional
        Expected assessors (one with no ratings is refused).
    cells : pandas.DataFrame, optional
        The matrix (:func:`matrix_cells` shape).
    source, criteria_source, costs_source : str
        Table names for messages (file names when read from files).

    Returns
    -------
    OutsourcingResult

    Raises
    ------
    InputError
        Everything :func:`validate_criteria`, :func:`validate_ratings` and :func:`cost_case`
        refuse; an activity without a rating on importance or on capability; an activity in
        the cost table that has no ratings.

    Examples
    --------
    Two assessors: ``ops`` alone would put the service desk in a different cell.

    >>> criteria = pd.DataFrame({"criterion": ["advantage", "skills"],
    ...                          "dimension": ["importance", "capability"], "weight": [1, 1]})
    >>> ratings = pd.DataFrame({"activity": ["Service desk"] * 4,
    ...                         "assessor": ["cio", "cio", "ops", "ops"],
    ...                         "criterion": ["advantage", "skills"] * 2,
    ...                         "score": [1, 2, 3, 2]})
    >>> r = assess(ratings, criteria)
    >>> r.activities[["cell", "single_view_change", "changed_by", "disagreement"]]
                cell  single_view_change changed_by  disagreement
    0  Commodity gap                True        ops          True
    >>> r.by_assessor[["assessor", "importance", "cell"]]
      assessor  importance                   cell
    0      cio         0.0          Commodity gap
    1      ops         0.5  Source with oversight
    """
    ib = _bounds(importance_bounds, "importance_bounds")
    cb = _bounds(capability_bounds, "capability_bounds")
    table_cells = _check_cells(cells)
    crit = validate_criteria(criteria, source=criteria_source)
    rated = validate_ratings(ratings, crit, scale_min=scale_min, scale_max=scale_max,
                             assessors=assessors, source=source)
    scores = _assessor_scores(rated, scale_min, scale_max)
    order = list(pd.unique(rated["activity"]))
    assessor_order = list(pd.unique(rated["assessor"]))

    wide = scores.pivot_table(index=["activity", "assessor"], columns="dimension",
                              values="score", aggfunc="first", sort=False)
    wide = wide.reindex(columns=list(DIMENSIONS))
    idx = pd.MultiIndex.from_product([order, assessor_order], names=["activity", "assessor"])
    wide = wide.reindex(idx)
    has_any = wide.notna().any(axis=1)
    wide = wide[has_any.to_numpy()]

    by_act = wide.groupby(level="activity", sort=False)
    mean = by_act.mean().reindex(order)
    spread = (by_act.max() - by_act.min()).reindex(order)
    n_assessors = by_act.size().reindex(order).to_numpy()
    for dim in ("importance", "capability"):
        missing = mean[dim].isna().to_numpy()
        if missing.any():
            act = order[int(np.flatnonzero(missing)[0])]
            row = int(np.flatnonzero((rated["activity"] == act).to_numpy())[0]) + 1
            raise input_error(f"{source}, row {row}, column 'activity'",
                              problem=f"activity {act!r} has no {dim} score from any assessor",
                              expected=f"at least one rated {dim} criterion per activity")

    x = mean["importance"].to_numpy(dtype=float)
    y = mean["capability"].to_numpy(dtype=float)
    opp = mean["opportunism"].to_numpy(dtype=float)
    cls = _classify(x, y, ib, cb, table_cells)

    # Opportunism (McIvor 2008): a 'source' cell with high opportunism potential gets a note.
    risk = (cls["stance"].to_numpy() == "source") & ~np.isnan(opp) & (
        np.nan_to_num(opp, nan=-1.0) >= opportunism_threshold)
    strategy = cls["strategy"].to_numpy(dtype=object).copy()
    strategy[risk] = [s + "; high supplier-opportunism risk: safeguard the contract "
                      "(exit terms, performance measures) or keep a partial in-house team"
                      for s in strategy[risk]]

    # Borderline: the consensus point within `margin` of a boundary.
    dx = np.min(np.abs(x[:, None] - np.asarray(ib)[None, :]), axis=1)
    dy = np.min(np.abs(y[:, None] - np.asarray(cb)[None, :]), axis=1)
    near_x, near_y = dx < margin, dy < margin
    axis = np.where(near_x & near_y, "both",
                    np.where(near_x, "importance", np.where(near_y, "capability", "")))

    # Disagreement: range over assessors (NaN with a single assessor counts as none).
    imp_spread = spread["importance"].to_numpy(dtype=float)
    cap_spread = spread["capability"].to_numpy(dtype=float)
    disagree = (np.nan_to_num(imp_spread) > disagreement) | (
        np.nan_to_num(cap_spread) > disagreement)

    # Each assessor's own view, the consensus standing in for a dimension they did not rate.
    act_of_row = wide.index.get_level_values("activity")
    pos = pd.Index(order).get_indexer(act_of_row)
    own_x = np.where(wide["importance"].isna(), x[pos], wide["importance"].to_numpy())
    own_y = np.where(wide["capability"].isna(), y[pos], wide["capability"].to_numpy())
    own = _classify(own_x.astype(float), own_y.astype(float), ib, cb, table_cells)
    differs = own["cell"].to_numpy() != cls["cell"].to_numpy()[pos]
    by_assessor = pd.DataFrame({
        "activity": act_of_row.to_numpy(dtype=object),
        "assessor": wide.index.get_level_values("assessor").to_numpy(dtype=object),
        "importance": wide["importance"].to_numpy(dtype=float),
        "capability": wide["capability"].to_numpy(dtype=float),
        "opportunism": wide["opportunism"].to_numpy(dtype=float),
        "cell": own["cell"].to_numpy(dtype=object),
        "stance": own["stance"].to_numpy(dtype=object),
        "differs": differs,
    })
    changers = by_assessor[differs].groupby("activity", sort=False)["assessor"].agg(", ".join)
    changed_by = changers.reindex(order).fillna("").to_numpy(dtype=object)
    single = changed_by != ""
    stance_differs = own["stance"].to_numpy() != cls["stance"].to_numpy()[pos]
    stance_changers = (by_assessor[stance_differs].groupby("activity", sort=False)["assessor"]
                       .agg(", ".join).reindex(order).fillna("").to_numpy(dtype=object))

    activities = pd.DataFrame({
        "activity": np.asarray(order, dtype=object),
        "importance": x, "capability": y, "opportunism": opp,
        "n_assessors": n_assessors.astype(np.int64),
        "importance_spread": imp_spread, "capability_spread": cap_spread,
        "importance_band": cls["importance_band"].to_numpy(dtype=object),
        "capability_band": cls["capability_band"].to_numpy(dtype=object),
        "cell": cls["cell"].to_numpy(dtype=object),
        "strategy": strategy,
        "stance": cls["stance"].to_numpy(dtype=object),
        "opportunism_risk": risk,
        "distance_to_boundary": np.minimum(dx, dy),
        "borderline": near_x | near_y,
        "borderline_axis": axis.astype(object),
        "disagreement": disagree,
        "single_view_change": single,
        "changed_by": changed_by,
        "stance_changed_by": stance_changers,
    })
    activities["review"] = (activities["borderline"] | activities["disagreement"]
                            | activities["single_view_change"])

    cost_table = _costs_beside(costs, activities, horizon_years, discount_rate, costs_source,
                               currency)
    summary = _summary(activities, cost_table, currency)
    return OutsourcingResult(
        activities=activities, by_assessor=by_assessor, costs=cost_table, summary=summary,
        cells=table_cells, importance_bounds=ib, capability_bounds=cb, margin=margin,
        disagreement=disagreement, opportunism_threshold=opportunism_threshold,
        scale_min=scale_min, scale_max=scale_max, horizon_years=horizon_years,
        discount_rate=discount_rate, currency=currency,
    )


def _costs_beside(costs: Any, activities: pd.DataFrame, horizon_years: int,
                  discount_rate: float, source: str, currency: str) -> pd.DataFrame:
    if costs is None:
        return pd.DataFrame(columns=["activity", "present_value", "payback_years", "cost_says",
                                     "stance", "conflict"])
    case = cost_case(costs, horizon_years=horizon_years, discount_rate=discount_rate,
                     source=source)
    known = _indexed(activities, "activity")
    _refuse_unknown(case, "activity", known.index, source, note="an activity with no ratings",
                    expected="an activity that appears in the ratings")
    stance = known.loc[case["activity"], "stance"].to_numpy(dtype=object)
    says = case["cost_says"].to_numpy(dtype=object)
    pv = case["present_value"].to_numpy(dtype=float)
    conflict = np.full(len(case), "", dtype=object)
    keep_but_cheaper = (stance == "keep") & (says == "source")
    source_but_dearer = (stance == "source") & (says == "keep")
    for k in np.flatnonzero(keep_but_cheaper):
        conflict[k] = (f"matrix says keep, cost says source: sourcing would save "
                       f"{pv[k]:,.0f} {currency} in present value")
    for k in np.flatnonzero(source_but_dearer):
        conflict[k] = (f"matrix says source, cost says keep: the provider case loses "
                       f"{-pv[k]:,.0f} {currency} in present value over the horizon")
    out = case.copy()
    out["stance"] = stance
    out["conflict"] = conflict
    return out


def _indexed(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """`table` indexed by `column` (built from a NumPy array: no dtype inference on pandas 3)."""
    out = table.drop(columns=column)
    out.index = pd.Index(table[column].to_numpy(dtype=object), name=column)
    return out


def _summary(activities: pd.DataFrame, costs: pd.DataFrame, currency: str) -> pd.DataFrame:
    s = _indexed(activities, "activity")[["cell", "strategy", "importance", "capability"]].copy()
    if len(costs):
        c = _indexed(costs, "activity")
        for col in ("in_house_annual_cost", "annual_saving", "present_value", "payback_years"):
            s[col] = c[col].reindex(s.index).to_numpy(dtype=float)
        conflict = c["conflict"].reindex(s.index).fillna("").to_numpy(dtype=object)
    else:
        for col in ("in_house_annual_cost", "annual_saving", "present_value", "payback_years"):
            s[col] = np.nan
        conflict = np.full(len(s), "", dtype=object)
    notes = []
    for i, row in enumerate(activities.itertuples(index=False)):
        parts = []
        if row.borderline:
            parts.append(f"borderline on {row.borderline_axis}".replace("both", "both axes"))
        if row.disagreement:
            parts.append("assessors disagree")
        if row.stance_changed_by:
            parts.append(f"{row.stance_changed_by} alone would change the stance")
        elif row.single_view_change:
            parts.append(f"{row.changed_by} alone would place it in another cell")
        if row.opportunism_risk:
            parts.append("supplier-opportunism risk")
        if conflict[i]:
            parts.append(conflict[i])
        notes.append("; ".join(parts))
    s["review_notes"] = np.asarray(notes, dtype=object)
    return s
