"""Tests of btm.mcda against published worked examples, independent computations and properties.

Independent sources:

- Saaty (2008), "Decision making with the analytic hierarchy process", Int. J. Services
  Sciences 1(1), 83-98: the relative consumption of drinks in the US (7 x 7 judgement matrix,
  AHP priorities .177 .019 .042 .116 .190 .129 .327, CR 0.022); matrix and priorities as
  transcribed in the AHPy README (PhilipGriffith/AHPy), which reproduces them.
- Hwang & Yoon (1981), *Multiple Attribute Decision Making*, Springer, pp. 133-134: the
  fighter-aircraft TOPSIS example (closeness 0.643, 0.268, 0.613, 0.312), as transcribed in the
  mcdajs example of the same name.
- ``numpy.linalg.eig`` for the principal eigenvector; pymcdm (optional, skipped when absent)
  for TOPSIS with vector normalisation, the weighted sum with min-max normalisation and the AHP
  eigenvector; scipy.stats.beta for rank-acceptability probabilities.
- Hand-derived cases (in each docstring) and hypothesis properties: consistent matrices give
  their generating weights back with CR = 0; the geometric-mean aggregation of consistent
  matrices gives the normalised geometric mean of the assessors' weights (Aczél & Saaty 1983).
"""

from __future__ import annotations

import math
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from btm import InputError, mcda
from btm.constraints import all_invalid, constraints_of

pytestmark = pytest.mark.filterwarnings("ignore:Alternatives with indices:UserWarning")

DRINKS = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
DRINKS_MATRIX = [
    [1, 9, 5, 2, 1, 1, 1 / 2],
    [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
    [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
    [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [1, 9, 4, 2, 1, 2, 1 / 2],
    [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [2, 9, 9, 3, 2, 3, 1],
]
AIRCRAFT = np.array([
    [2.0, 1500, 20000, 5.5, 5, 9],
    [2.5, 2700, 18000, 6.5, 3, 5],
    [1.8, 2000, 21000, 4.5, 7, 7],
    [2.2, 1800, 20000, 5.0, 5, 5],
])
AIRCRAFT_WEIGHTS = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]
AIRCRAFT_BENEFIT = [True, True, True, False, True, True]


def _consistent(w) -> np.ndarray:
    w = np.asarray(w, dtype=float)
    return w[:, None] / w[None, :]


weight_vectors = st.lists(st.floats(0.05, 1.0), min_size=2, max_size=8).map(
    lambda v: np.asarray(v) / np.sum(v))


# --------------------------------------------------------------------------- AHP


def test_saaty_2008_drinks():
    """Saaty (2008), drinks example: priorities to 3 decimals and CR 0.022 (Saaty's RI)."""
    m = pd.DataFrame(DRINKS_MATRIX, index=DRINKS, columns=DRINKS)
    weights, cr = mcda.ahp_weights(m)
    expected = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]
    assert weights.round(3).tolist() == expected
    assert list(weights.index) == DRINKS
    assert round(cr, 3) == 0.022
    assert math.isclose(weights.sum(), 1.0)


def test_drinks_eigenvector_matches_numpy_eig():
    """Independent: the normalised eigenvector of numpy.linalg.eig for the largest eigenvalue."""
    a = np.array(DRINKS_MATRIX)
    values, vectors = np.linalg.eig(a)
    k = np.argmax(values.real)
    v = vectors[:, k].real
    v = v / v.sum()
    r = mcda.ahp_weights(a)
    np.testing.assert_allclose(r.weights, v, rtol=1e-9)
    assert math.isclose(r.lambda_max, values[k].real, rel_tol=1e-12)
    ci = (values[k].real - 7) / 6
    assert math.isclose(r.consistency_index, ci, rel_tol=1e-9)
    assert math.isclose(r.consistency_ratio, ci / 1.35, rel_tol=1e-9)
    # the earlier table of Saaty (1980): RI(7) = 1.32
    assert math.isclose(mcda.ahp_weights(a, random_index=mcda.SAATY_1980_RI).consistency_ratio,
                        ci / 1.32, rel_tol=1e-9)


def test_drinks_eigenvector_matches_pymcdm():
    """Independent library: pymcdm's AHP (eigenvector); its CR uses another random index, so
    compare consistency indices (CR x RI)."""
    pytest.importorskip("pymcdm")
    from pymcdm.weights.subjective import AHP

    a = np.array(DRINKS_MATRIX)
    ahp = AHP(matrix=a)
    np.testing.assert_allclose(mcda.ahp_weights(a).weights, ahp(), rtol=1e-9)
    ci_pymcdm = ahp.get_cr() * AHP.RI_M[6]
    assert math.isclose(mcda.ahp_weights(a).consistency_index, ci_pymcdm, rel_tol=1e-9)


def test_geometric_mean_hand_computed():
    """Row geometric means of [[1, 2, 4], [1/2, 1, 3], [1/4, 1/3, 1]]:
    8**(1/3) = 2, 1.5**(1/3) = 1.144714, (1/12)**(1/3) = 0.436790; sum 3.581504."""
    a = [[1, 2, 4], [1 / 2, 1, 3], [1 / 4, 1 / 3, 1]]
    w, cr = mcda.ahp_weights(a, method="geometric_mean")
    np.testing.assert_allclose(w, [2 / 3.581504, 1.144714 / 3.581504, 0.436790 / 3.581504],
                               rtol=1e-6)
    assert cr == mcda.ahp_weights(a).consistency_ratio  # CR from lambda_max either way
    assert 0 < cr < 0.10


@given(weight_vectors, st.sampled_from(["eigenvector", "geometric_mean"]))
@settings(max_examples=60, deadline=None)
def test_consistent_matrix_gives_its_weights_back(w, method):
    r = mcda.ahp_weights(_consistent(w), method=method)
    np.testing.assert_allclose(r.weights, w, rtol=1e-8, atol=1e-12)
    assert abs(r.consistency_ratio) < 1e-9
    assert r.acceptable
    assert r.most_inconsistent is None


def test_most_inconsistent_judgement_found_with_the_consistent_value():
    """A consistent 4 x 4 matrix from w = (0.4, 0.3, 0.2, 0.1) with a_13 changed from 2 to 6:
    the culprit is (0, 2), and putting back w_0 / w_2 = 2 makes the matrix consistent."""
    a = _consistent([0.4, 0.3, 0.2, 0.1])
    a[0, 2], a[2, 0] = 6.0, 1 / 6
    r = mcda.ahp_weights(a)
    j = r.most_inconsistent
    assert (j.row, j.column) == (0, 2)
    assert j.judgement == pytest.approx(6.0)
    assert j.suggested == pytest.approx(2.0, rel=1e-6)
    assert j.consistency_ratio_after == pytest.approx(0.0, abs=1e-9)
    assert r.consistency_ratio > 0


def test_inconsistent_matrix_flagged_and_names_labels():
    """Intransitive: a > b 9 times, b > c 9 times, but c > a 9 times."""
    m = pd.DataFrame([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]], index=list("abc"),
                     columns=list("abc"))
    r = mcda.ahp_weights(m)
    assert r.consistency_ratio > mcda.CONSISTENCY_THRESHOLD
    assert not r.acceptable
    assert {r.most_inconsistent.row, r.most_inconsistent.column} <= set("abc")
    assert r.most_inconsistent.consistency_ratio_after < r.consistency_ratio


def test_ahp_result_unpacks_as_a_pair_and_is_read_only():
    r = mcda.ahp_weights([[1, 3], [1 / 3, 1]])
    w, cr = r
    assert len(r) == 2 and cr == r.consistency_ratio
    with pytest.raises(AttributeError):
        r.lambda_max = 3  # type: ignore[misc]
    again = pickle.loads(pickle.dumps(r))
    assert again.lambda_max == r.lambda_max and again.method == "eigenvector"


def test_two_decimal_reciprocals_accepted_and_made_exact():
    r = mcda.ahp_weights([[1, 3], [0.33, 1]])
    assert r.matrix[0, 1] * r.matrix[1, 0] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([[1, 2, 3], [0.5, 1, 2]], r"matrix: got shape \(2, 3\); expected a square matrix"),
        ([[1, -2], [-0.5, 1]], r"matrix\[0, 1\]: got -2; expected a positive judgement"),
        ([[1, 0], [0, 1]], r"matrix\[0, 1\]: got 0; expected a positive judgement"),
        ([[1, np.nan], [1, 1]], r"matrix\[0, 1\]: got nan; expected a finite number"),
        ([[2, 1], [1, 1]], r"matrix\[0, 0\]: got 2; expected 1 on the diagonal"),
        ([[1, 3], [3, 1]], r"matrix\[0, 1\]: got 3 with 3 in the mirror cell; expected "
                           r"reciprocal"),
        ("abc", r"matrix: got 'abc' \(str\); expected a square matrix"),
    ],
)
def test_bad_matrices_refused(matrix, message):
    with pytest.raises(InputError, match=message):
        mcda.ahp_weights(matrix)


def test_bad_matrix_message_names_criteria():
    m = pd.DataFrame([[1, 3], [3, 1]], index=["cost", "fit"], columns=["cost", "fit"])
    with pytest.raises(InputError, match=r"matrix, row 'cost', column 'fit': got 3 with 3"):
        mcda.ahp_weights(m)
    swapped = pd.DataFrame([[1, 3], [1 / 3, 1]], index=["fit", "cost"], columns=["cost", "fit"])
    with pytest.raises(InputError, match="expected the same criteria, in the same order"):
        mcda.ahp_weights(swapped)


def test_random_index_without_the_size_refused():
    with pytest.raises(InputError, match=r"random_index: has no value for a 11 x 11 matrix"):
        mcda.ahp_weights(np.ones((11, 11)), random_index=mcda.SAATY_1980_RI)
    with pytest.raises(InputError, match="random_index: got"):
        mcda.ahp_weights(np.ones((3, 3)), random_index=[0, 0, 0.58])


# --------------------------------------------------------------------------- judgements


def _judgements(rows):
    return pd.DataFrame(rows, columns=["criterion_a", "criterion_b", "judgement"])


def test_judgements_table_with_fractions_and_either_order():
    t = _judgements([("cost", "fit", "1/3"), ("security", "cost", 2), ("fit", "security", "4")])
    m = mcda.judgements_to_matrix(t, criteria=["cost", "fit", "security"])
    assert m.loc["cost", "fit"] == pytest.approx(1 / 3)
    assert m.loc["fit", "cost"] == pytest.approx(3)
    assert m.loc["cost", "security"] == pytest.approx(0.5)
    assert m.loc["fit", "security"] == pytest.approx(4)
    assert list(m.index) == ["cost", "fit", "security"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("cost", "fit", 2), ("cost", "speed", 3), ("fit", "speed", 2)],
         r"judgements.csv, row 2, column 'criterion_b': got 'speed', an unknown criterion"),
        ([("cost", "fit", 2), ("fit", "cost", 3)],
         r"judgements.csv, rows 1 and 2: the pair 'fit' / 'cost' is judged twice"),
        ([("cost", "cost", 1)], r"row 1, column 'criterion_b': got 'cost', the same as"),
        ([("cost", "fit", 10)], r"row 1, column 'judgement': got 10; expected a judgement on "
                                r"Saaty's scale"),
        ([("cost", "fit", "much")], r"row 1, column 'judgement': got 'much'; expected a number"),
        ([("cost", "fit", None)], r"row 1, column 'judgement': the cell is empty"),
    ],
)
def test_bad_judgements_refused(rows, message):
    with pytest.raises(InputError, match=message):
        mcda.judgements_to_matrix(_judgements(rows), criteria=["cost", "fit"],
                                  source="judgements.csv")


def test_missing_pair_refused():
    t = _judgements([("a", "b", 2), ("a", "c", 3)])
    with pytest.raises(InputError, match=r"no judgement for the pair 'b' / 'c' \(1 pair missing\)"):
        mcda.judgements_to_matrix(t)


# --------------------------------------------------------------------------- group AHP


four_weights = st.lists(st.floats(0.05, 1.0), min_size=4, max_size=4).map(
    lambda v: np.asarray(v) / np.sum(v))


@given(st.lists(four_weights, min_size=2, max_size=5))
@settings(max_examples=40, deadline=None)
def test_group_of_consistent_assessors_is_the_geometric_mean_of_their_weights(ws):
    """Aczél & Saaty (1983): the geometric mean of consistent matrices is the consistent matrix
    of the (normalised) geometric mean of the weight vectors."""
    crit = list("abcd")
    mats = {f"A{k}": pd.DataFrame(_consistent(w), index=crit, columns=crit)
            for k, w in enumerate(ws)}
    g = mcda.group_ahp(mats)
    gm = np.exp(np.log(np.stack(ws)).mean(axis=0))
    np.testing.assert_allclose(g.weights.to_numpy(), gm / gm.sum(), rtol=1e-8)
    assert g.consistency_ratio == pytest.approx(0, abs=1e-9)
    np.testing.assert_allclose(g.assessors["consistency_ratio"], 0, atol=1e-9)


def test_group_disagreement_hand_computed():
    """Two assessors judge a over b as 2 and 8: geometric mean 4; log judgements ln 2 and 3 ln 2
    have population standard deviation ln 2, so the geometric SD is 2."""
    t = pd.DataFrame({"assessor": ["X", "Y"], "criterion_a": ["a", "a"],
                      "criterion_b": ["b", "b"], "judgement": [2, 8]})
    g = mcda.group_ahp(t)
    row = g.disagreement.iloc[0]
    assert row["group_judgement"] == pytest.approx(4)
    assert (row["lowest"], row["highest"]) == (2, 8)
    assert row["geometric_sd"] == pytest.approx(2)
    assert g.weights.tolist() == pytest.approx([0.8, 0.2])
    # X's own weights are (2/3, 1/3); Saaty compatibility with (0.8, 0.2):
    # (1 + 1 + (2/3)/(1/3) * 0.2/0.8 + (1/3)/(2/3) * 0.8/0.2) / 4 = (2 + 0.5 + 2) / 4 = 1.125
    expected = 1.125
    assert g.assessors.loc["X", "compatibility"] == pytest.approx(expected)


def test_group_assessor_crs_equal_their_own_ahp():
    crit = ["a", "b", "c"]
    m1 = pd.DataFrame([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]], index=crit, columns=crit)
    m2 = pd.DataFrame([[1, 1 / 2, 4], [2, 1, 9], [1 / 4, 1 / 9, 1]], index=crit, columns=crit)
    g = mcda.group_ahp({"P": m1, "Q": m2})
    assert g.assessors.loc["P", "consistency_ratio"] == pytest.approx(
        mcda.ahp_weights(m1).consistency_ratio)
    assert g.assessors.loc["Q", "consistency_ratio"] == pytest.approx(
        mcda.ahp_weights(m2).consistency_ratio)
    np.testing.assert_allclose(g.matrix.to_numpy(), np.sqrt(m1.to_numpy() * m2.to_numpy()))
    assert set(g.summary.columns) == {"weight", "P", "Q"}


def test_group_errors_name_the_assessor():
    t = pd.DataFrame({"assessor": ["X", "X", "X", "Y", "Y"],
                      "criterion_a": ["a", "a", "b", "a", "a"],
                      "criterion_b": ["b", "c", "c", "b", "c"],
                      "judgement": [2, 3, 2, 2, 3]})
    with pytest.raises(InputError, match=r"judgements.csv, assessor 'Y': no judgement for the "
                                         r"pair 'b' / 'c'"):
        mcda.group_ahp(t, source="judgements.csv")
    with pytest.raises(InputError, match=r"row 2, column 'criterion_b': got 'c', an unknown"):
        mcda.group_ahp(t, criteria=["a", "b"])


# --------------------------------------------------------------------------- ranking


def test_hwang_yoon_1981_fighter_aircraft():
    """Hwang & Yoon (1981), pp. 133-134: closeness 0.643, 0.268, 0.613, 0.312 (A1 > A3 > A4 >
    A2); computed 0.6433, 0.2684, 0.6135, 0.3123."""
    c = mcda.topsis(AIRCRAFT, AIRCRAFT_WEIGHTS, AIRCRAFT_BENEFIT)
    np.testing.assert_allclose(c, [0.643, 0.268, 0.613, 0.312], atol=1e-3)
    assert np.argsort(-c).tolist() == [0, 2, 3, 1]


def test_topsis_matches_pymcdm_vector_normalisation():
    """pymcdm with vector normalisation (its cost form 1 - r is a reflection, which leaves
    TOPSIS's distances unchanged)."""
    pytest.importorskip("pymcdm")
    from pymcdm import normalizations
    from pymcdm.methods import TOPSIS

    rng = np.random.default_rng(3)
    for _ in range(20):
        x = rng.uniform(1, 100, size=(rng.integers(2, 9), rng.integers(1, 8)))
        w = rng.dirichlet(np.ones(x.shape[1]))
        b = rng.random(x.shape[1]) < 0.6
        ours = mcda.topsis(x, w, b)
        theirs = TOPSIS(normalizations.vector_normalization)(x, w, np.where(b, 1, -1))
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


def test_weighted_sum_matches_pymcdm_minmax():
    pytest.importorskip("pymcdm")
    from pymcdm import normalizations
    from pymcdm.methods import WSM

    rng = np.random.default_rng(4)
    for _ in range(20):
        x = rng.uniform(1, 100, size=(rng.integers(2, 9), rng.integers(1, 8)))
        w = rng.dirichlet(np.ones(x.shape[1]))
        b = rng.random(x.shape[1]) < 0.6
        theirs = WSM(normalizations.minmax_normalization)(x, w, np.where(b, 1, -1))
        np.testing.assert_allclose(mcda.weighted_sum(x, w, b), theirs, rtol=1e-9)


def test_weighted_sum_hand_computed_with_cost_reversed():
    """Cost 100, 80, 90 -> (max - x) / 20: 0, 1, 0.5; quality 4, 2, 5 -> (x - 2) / 3: 2/3, 0, 1.
    Weights 0.5 / 0.5: 1/3, 1/2, 3/4."""
    m = pd.DataFrame({"cost": [100, 80, 90], "quality": [4, 2, 5]}, index=["A", "B", "C"])
    s = mcda.weighted_sum(m, {"quality": 0.5, "cost": 0.5}, {"cost": False, "quality": True})
    assert s.to_dict() == pytest.approx({"A": 1 / 3, "B": 0.5, "C": 0.75})
    assert s.index.name == "option"


def test_minmax_normalise_hand_computed_and_constant_column():
    """Cost 100, 80, 90 -> 0, 1, 0.5; quality 4, 2, 5 -> 2/3, 0, 1; a constant column -> 1."""
    m = pd.DataFrame({"cost": [100, 80, 90], "quality": [4, 2, 5], "flat": [3, 3, 3]},
                     index=["A", "B", "C"])
    r = mcda.minmax_normalise(m, {"cost": False, "quality": True, "flat": True})
    np.testing.assert_allclose(r.to_numpy(), [[0, 2 / 3, 1], [1, 0, 1], [0.5, 1, 1]])
    assert list(r.columns) == ["cost", "quality", "flat"] and list(r.index) == ["A", "B", "C"]


matrices = st.integers(2, 6).flatmap(lambda m: st.integers(1, 5).flatmap(lambda n: st.tuples(
    st.lists(st.lists(st.floats(0.5, 100), min_size=n, max_size=n), min_size=m, max_size=m),
    st.lists(st.floats(0.01, 1), min_size=n, max_size=n),
    st.lists(st.booleans(), min_size=n, max_size=n),
    st.lists(st.floats(0.1, 10), min_size=n, max_size=n),
)))


@given(matrices)
@settings(max_examples=80, deadline=None)
def test_scores_in_unit_interval_and_invariant_to_units(case):
    x, w, b, scale = (np.asarray(v, dtype=float) for v in case)
    b = b.astype(bool)
    w = w / w.sum()
    for fn in (mcda.topsis, mcda.weighted_sum):
        s = fn(x, w, b)
        assert ((s >= -1e-12) & (s <= 1 + 1e-12)).all()
        np.testing.assert_allclose(fn(x * scale, w, b), s, rtol=1e-7, atol=1e-9)


def test_weights_policy():
    x = [[1, 2], [2, 1]]
    with pytest.raises(InputError, match=r"weights: the weights sum to 100; expected weights "
                                         r"that sum to 1 \(or normalize_weights=True"):
        mcda.topsis(x, [60, 40], [True, True])
    np.testing.assert_allclose(mcda.topsis(x, [60, 40], [True, True], normalize_weights=True),
                               mcda.topsis(x, [0.6, 0.4], [True, True]))
    mcda.weighted_sum(x, [0.333, 0.667], [True, True])  # within 0.001 of 1: accepted
    with pytest.raises(InputError, match=r"weights\[1\]: got -0.2; expected a weight of at "
                                         r"least 0"):
        mcda.weighted_sum(x, [1.2, -0.2], [True, True])
    with pytest.raises(InputError, match="weights: all weights are 0"):
        mcda.weighted_sum(x, [0, 0], [True, True], normalize_weights=True)
    m = pd.DataFrame(x, columns=["cost", "fit"])
    with pytest.raises(InputError, match=r"weights\['fit'\]: got -1"):
        mcda.topsis(m, {"cost": 2, "fit": -1}, {"cost": False, "fit": True})
    with pytest.raises(InputError, match=r"weights: no value for criterion 'fit'"):
        mcda.topsis(m, {"cost": 1.0}, {"cost": False, "fit": True})
    with pytest.raises(InputError, match=r"benefit\['fit'\]: got 'yes' \(str\)"):
        mcda.topsis(m, {"cost": 0.5, "fit": 0.5}, {"cost": False, "fit": "yes"})
    with pytest.raises(InputError, match=r"weights: got 3 values; expected 2"):
        mcda.topsis(x, [0.2, 0.3, 0.5], [True, True])


def test_bad_decision_matrices():
    m = pd.DataFrame({"cost": [1, "x"]}, index=["A", "B"])
    with pytest.raises(InputError, match=r"matrix, row 'B', column 'cost': got 'x'"):
        mcda.topsis(m, [1.0], [False])
    dup = pd.DataFrame({"cost": [1, 2]}, index=["A", "A"])
    with pytest.raises(InputError, match=r"matrix: option 'A' appears twice"):
        mcda.weighted_sum(dup, [1.0], [False])
    with pytest.raises(InputError, match=r"matrix\[:, 0\]: every value is 0"):
        mcda.topsis([[0, 1], [0, 2]], [0.5, 0.5], [True, True])


# --------------------------------------------------------------------------- sensitivity


def _wsm_boundaries(x, w, b, j):
    """Independent: weighted-sum scores are linear in t = w_j, so solve each crossing of the
    winner with every other option and keep the nearest on each side."""
    x, w = np.asarray(x, float), np.asarray(w, float)
    lo, hi = x.min(0), x.max(0)
    r = np.where(b, (x - lo) / (hi - lo), (hi - x) / (hi - lo))
    others = [k for k in range(len(w)) if k != j]
    rest = (r[:, others] @ (w[others] / (1 - w[j])))  # score = t r_j + (1 - t) rest
    s = r @ w
    win = int(np.argmax(s))
    below, above = 0.0, 1.0
    for o in range(len(x)):
        if o == win:
            continue
        # (r_wj - r_oj) t + (1 - t)(rest_w - rest_o) = 0
        a = (r[win, j] - r[o, j]) - (rest[win] - rest[o])
        c = rest[win] - rest[o]
        if abs(a) < 1e-15:
            continue
        t = -c / a
        if w[j] < t <= 1:
            above = min(above, t)
        if 0 <= t < w[j]:
            below = max(below, t)
    return below, above


def test_weight_sensitivity_weighted_sum_matches_linear_solution():
    rng = np.random.default_rng(11)
    checked = 0
    for _ in range(30):
        x = rng.uniform(1, 5, size=(4, 5))
        w = rng.dirichlet(np.ones(5) * 2)
        b = np.array([True, True, False, True, False])
        r = mcda.weight_sensitivity(x, w, b, method="weighted_sum", resolution=401)
        for j in range(5):
            lo, hi = _wsm_boundaries(x, w, b, j)
            assert r.intervals.loc[j, "lower"] == pytest.approx(lo, abs=1e-9)
            assert r.intervals.loc[j, "upper"] == pytest.approx(hi, abs=1e-9)
            checked += 1
    assert checked == 150


def test_weight_sensitivity_topsis_winner_changes_just_outside_the_interval():
    """At lower - 1e-6 and upper + 1e-6 (rescaled weights, scored by mcda.topsis) another
    option wins; inside the interval the winner does not change."""
    x = AIRCRAFT
    w = np.array(AIRCRAFT_WEIGHTS)
    r = mcda.weight_sensitivity(x, w, AIRCRAFT_BENEFIT)
    assert r.winner == 0
    for j, row in r.intervals.iterrows():
        def winner_at(t, j=j):
            ww = w * (1 - t) / (1 - w[j])
            ww[j] = t
            return int(np.argmax(mcda.topsis(x, ww, AIRCRAFT_BENEFIT)))
        assert winner_at((row["lower"] + row["upper"]) / 2) == 0
        assert winner_at(row["weight"]) == 0
        if row["overtaken_above"] is not None:
            assert winner_at(row["upper"] + 1e-6) == row["overtaken_above"] != 0
            assert winner_at(row["upper"] - 1e-6) == 0
        if row["overtaken_below"] is not None:
            assert winner_at(row["lower"] - 1e-6) == row["overtaken_below"] != 0
            assert winner_at(row["lower"] + 1e-6) == 0
    assert not r.intervals["robust"].all()
    assert set(r.curves.columns) == {"criterion", "weight", "option", "score"}
    assert len(r.curves) == 6 * 201 * 4


# --------------------------------------------------------------------------- acceptability


@pytest.mark.parametrize("concentration", [5.0, 20.0, None])
def test_rank_acceptability_two_options_is_a_beta_probability(concentration):
    """A = (1, 0), B = (0, 1), weighted sum: A ranks first iff w_1 > 0.5, and under
    Dirichlet(c w) the first weight is Beta(c w_1, c w_2) (uniform: Beta(1, 1))."""
    n = 40_000
    r = mcda.rank_acceptability([[1, 0], [0, 1]], [0.65, 0.35], [True, True],
                                method="weighted_sum", n=n, concentration=concentration, seed=5)
    a, b = (1.0, 1.0) if concentration is None else (concentration * 0.65,
                                                      concentration * 0.35)
    p = stats.beta.sf(0.5, a, b)
    share = r.acceptability.loc[0, "rank_1"]
    assert abs(share - p) < 4 * math.sqrt(p * (1 - p) / n)
    assert r.acceptability.sum(axis=1).tolist() == pytest.approx([1, 1])
    assert r.acceptability.sum(axis=0).tolist() == pytest.approx([1, 1])


def test_rank_acceptability_vectorised_equals_a_loop_over_trials():
    """Given score trials and weights fixed (huge concentration), the shares equal a plain loop
    that calls mcda.topsis once per trial."""
    rng = np.random.default_rng(8)
    x = rng.uniform(1, 5, size=(5, 4))
    w = np.array([0.4, 0.3, 0.2, 0.1])
    b = [True, False, True, True]
    n = 300
    samples = x[None] + rng.normal(0, 0.6, size=(n, 5, 4)).clip(-0.9, 0.9)
    r = mcda.rank_acceptability(x, w, b, n=n, samples=samples, concentration=1e12)
    counts = np.zeros((5, 5))
    for t in range(n):
        c = mcda.topsis(samples[t], w, b)
        for rank, option in enumerate(np.argsort(-c, kind="stable")):
            counts[option, rank] += 1
    np.testing.assert_allclose(r.acceptability.to_numpy(), counts / n, atol=1e-12)


def test_rank_acceptability_without_uncertainty_is_the_ranking():
    r = mcda.rank_acceptability(AIRCRAFT, AIRCRAFT_WEIGHTS, AIRCRAFT_BENEFIT, n=200,
                                concentration=1e12, low=AIRCRAFT, high=AIRCRAFT)
    assert r.summary.index.tolist() == [0, 2, 3, 1]
    assert np.diag(r.acceptability.loc[[0, 2, 3, 1]].to_numpy()).tolist() == [1, 1, 1, 1]
    np.testing.assert_allclose(r.central_weights.loc[0], AIRCRAFT_WEIGHTS, rtol=1e-5)
    assert r.central_weights.loc[1].isna().all()


def test_rank_acceptability_low_high_and_bad_inputs():
    x = pd.DataFrame({"fit": [3.0, 4.0], "cost": [100.0, 120.0]}, index=["Buy", "Cloud"])
    low = x - 0.5
    high = x + 0.5
    r = mcda.rank_acceptability(x, [0.5, 0.5], [True, False], low=low, high=high, n=500)
    assert r.tidy["share"].sum() == pytest.approx(2)
    with pytest.raises(InputError, match=r"low, row 'Buy', column 'fit': got 3.5; expected a "
                                         r"value at most the score 3"):
        mcda.rank_acceptability(x, [0.5, 0.5], [True, False], low=x + 0.5, n=100)
    with pytest.raises(InputError, match=r"samples: got shape \(10, 2, 2\)"):
        mcda.rank_acceptability(x, [0.5, 0.5], [True, False], samples=np.ones((10, 2, 2)),
                                n=100)
    with pytest.raises(InputError, match="concentration: got 0"):
        mcda.rank_acceptability(x, [0.5, 0.5], [True, False], concentration=0)


# --------------------------------------------------------------------------- declarations


@pytest.mark.parametrize("func", [mcda.ahp_weights, mcda.judgements_to_matrix, mcda.group_ahp,
                                  mcda.topsis, mcda.weighted_sum, mcda.scores,
                                  mcda.weight_sensitivity, mcda.rank_acceptability])
def test_every_declared_argument_refuses_its_invalid_values(func):
    crit = ["a", "b"]
    valid = {
        mcda.ahp_weights: ([[1, 2], [0.5, 1]],),
        mcda.judgements_to_matrix: (_judgements([("a", "b", 2)]),),
        mcda.group_ahp: ({"X": pd.DataFrame([[1, 2], [0.5, 1]], index=crit, columns=crit)},),
    }.get(func, ([[1, 2], [2, 1]], [0.5, 0.5], [True, True]))
    declared = constraints_of(func)
    assert declared
    for name, bad in all_invalid(declared):
        with pytest.raises(InputError, match=name.split("[")[0]):
            func(*valid, **{name: bad})


def test_topsis_refuses_a_single_option():
    """With one option the ideal and anti-ideal are that option: closeness 0/0 (it returned
    a made-up 0.5, outside what the closeness means)."""
    with pytest.raises(InputError, match=r"^matrix: got 1 option; expected at least two "
                                         "options to rank"):
        mcda.topsis([[3.0, 1.0]], [0.5, 0.5], [True, False])
    one = pd.DataFrame({"fit": [4.0], "cost": [100.0]}, index=pd.Index(["Cloud"], name="option"))
    with pytest.raises(InputError, match="^matrix: got 1 option"):
        mcda.scores(one, {"fit": 0.5, "cost": 0.5}, {"fit": True, "cost": False})
    two = mcda.topsis([[3.0, 1.0], [1.0, 3.0]], [0.5, 0.5], [True, False])
    assert two.tolist() == [1.0, 0.0]


def test_weighted_sum_refuses_a_single_option_as_topsis_does():
    """With one option every min-max column is constant: the score was 1 by construction,
    whatever the option's values."""
    with pytest.raises(InputError, match=r"^matrix: got 1 option; expected at least two "
                                         r"options to rank \(with one, min-max normalisation "
                                         r"makes every criterion constant and its score is 1 by "
                                         r"construction\)$"):
        mcda.weighted_sum([[3.0, 1.0]], [0.5, 0.5], [True, False])
    one = pd.DataFrame({"fit": [4.0], "cost": [100.0]}, index=pd.Index(["Cloud"], name="option"))
    with pytest.raises(InputError, match="^matrix: got 1 option; expected at least two options"):
        mcda.scores(one, {"fit": 0.5, "cost": 0.5}, {"fit": True, "cost": False},
                    method="weighted_sum")
    two = mcda.weighted_sum([[3.0, 1.0], [1.0, 3.0]], [0.5, 0.5], [True, False])
    assert two.tolist() == [1.0, 0.0]
