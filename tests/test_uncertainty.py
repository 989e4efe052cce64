"""Tests of btm.uncertainty: three-point distributions checked against scipy.stats.

Sources: beta-PERT mean ``(a + 4m + b) / 6`` (Malcolm, Roseboom, Clark and Fazar, Operations
Research 7(5), 1959, p. 651; Vose, Risk Analysis, 3rd ed., 2008, section 9.1.1, with
shape parameters ``alpha = 1 + 4 (m - a) / (b - a)``, ``beta = 1 + 4 (b - m) / (b - a)``);
triangular mean ``(a + m + b) / 3`` (Evans, Hastings and Peacock, Statistical Distributions).
Distribution functions, moments and tests come from scipy.stats, an independent implementation.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from btm import InputError
from btm.uncertainty import (
    check_correlation_matrix,
    normal_root,
    pert_parameters,
    rank_correlate,
    sample_three_point,
    three_point_mean,
    three_point_variance,
)

CASES = [(10.0, 20.0, 40.0), (0.0, 0.0, 5.0), (3.0, 9.0, 9.0), (100.0, 150.0, 200.0)]


def _scipy_pert(a: float, m: float, b: float) -> stats.rv_continuous:
    alpha = 1 + 4 * (m - a) / (b - a)
    beta = 1 + 4 * (b - m) / (b - a)
    return stats.beta(alpha, beta, loc=a, scale=b - a)


def _scipy_triangular(a: float, m: float, b: float) -> stats.rv_continuous:
    return stats.triang((m - a) / (b - a), loc=a, scale=b - a)


@pytest.mark.parametrize(("a", "m", "b"), CASES)
def test_pert_mean_malcolm_1959_and_variance_match_scipy_beta(a, m, b):
    """Mean (a + 4m + b)/6 (Malcolm et al. 1959); mean and variance equal scipy.stats.beta's."""
    dist = _scipy_pert(a, m, b)
    assert three_point_mean(a, m, b) == pytest.approx((a + 4 * m + b) / 6)
    assert three_point_mean(a, m, b) == pytest.approx(dist.mean())
    assert three_point_variance(a, m, b) == pytest.approx(dist.var())
    # Vose 2008: with lambda = 4, var = (mean - a)(b - mean) / 7.
    mu = (a + 4 * m + b) / 6
    assert three_point_variance(a, m, b) == pytest.approx((mu - a) * (b - mu) / 7)


def test_pert_parameters_vose_example():
    """Vose (2008) form: min 0, mode 25, max 100 gives Beta(2, 4) scaled to [0, 100]."""
    alpha, beta = pert_parameters(0, 25, 100)
    assert (float(alpha[0]), float(beta[0])) == (2.0, 4.0)


@pytest.mark.parametrize(("a", "m", "b"), CASES)
def test_triangular_mean_and_variance_match_scipy_triang(a, m, b):
    """Mean (a + m + b)/3; variance equals scipy.stats.triang's."""
    dist = _scipy_triangular(a, m, b)
    assert three_point_mean(a, m, b, distribution="triangular") == pytest.approx((a + m + b) / 3)
    assert three_point_mean(a, m, b, distribution="triangular") == pytest.approx(dist.mean())
    assert three_point_variance(a, m, b, distribution="triangular") == pytest.approx(dist.var())


def test_pert_samples_pass_ks_test_against_scipy_beta():
    """Each column of a PERT sample is drawn from the scipy beta it should be (KS, seed 7)."""
    lows, modes, highs = zip(*CASES, strict=True)
    x = sample_three_point(lows, modes, highs, 20_000, distribution="pert", rng=7)
    for j, (a, m, b) in enumerate(CASES):
        dist = _scipy_pert(a, m, b)
        assert stats.kstest(x[:, j], dist.cdf).pvalue > 0.01
        assert x[:, j].mean() == pytest.approx(dist.mean(), abs=4 * dist.std() / np.sqrt(20_000))


def test_triangular_samples_pass_ks_test_against_scipy_triang():
    """Triangular samples (modes inside and at either end) against scipy.stats.triang (KS)."""
    lows, modes, highs = zip(*CASES, strict=True)
    x = sample_three_point(lows, modes, highs, 20_000, distribution="triangular", rng=11)
    for j, (a, m, b) in enumerate(CASES):
        dist = _scipy_triangular(a, m, b)
        assert stats.kstest(x[:, j], dist.cdf).pvalue > 0.01
        assert x[:, j].mean() == pytest.approx((a + m + b) / 3, abs=4 * dist.std() / 141)


def test_pert_and_triangular_samples_differ_for_the_same_three_points():
    """The two distributions are not the same (a KS test can tell them apart)."""
    x = sample_three_point(10, 20, 40, 20_000, distribution="pert", rng=1)[:, 0]
    assert stats.kstest(x, _scipy_triangular(10, 20, 40).cdf).pvalue < 1e-6


def test_degenerate_estimates_are_constant_columns():
    x = sample_three_point([5, 1], [5, 2], [5, 3], 100, rng=0)
    assert x.shape == (100, 2)
    assert (x[:, 0] == 5).all()
    assert x[:, 1].std() > 0


def test_same_seed_same_samples_and_generator_accepted():
    a = sample_three_point([1, 2], [2, 3], [4, 9], 50, rng=3)
    b = sample_three_point([1, 2], [2, 3], [4, 9], 50, rng=np.random.default_rng(3))
    c = sample_three_point([1, 2], [2, 3], [4, 9], 50, rng=4)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize(
    ("args", "kwargs", "where"),
    [
        (([5], [4], [6], 10), {}, "low[0]"),
        (([1], [4], [3], 10), {}, "high[0]"),
        (([1, 2], [2, 3, 4], [3, 4], 10), {}, "low, mode, high"),
        (([1], [2], [np.nan], 10), {}, "high[0]"),
        ((["x"], [2], [3], 10), {}, "low"),
        (([1], [2], [3], 0), {}, "n"),
        (([1], [2], [3], 10), {"distribution": "normal"}, "distribution"),
    ],
)
def test_bad_three_point_input_raises_input_error_naming_parameter(args, kwargs, where):
    with pytest.raises(InputError) as err:
        sample_three_point(*args, **kwargs)
    assert str(err.value).startswith(where)


def test_rank_correlate_achieves_target_spearman_and_keeps_marginals():
    """Achieved Spearman correlation (scipy.stats.spearmanr) within 0.03 of the target."""
    target = np.array([[1.0, 0.6, -0.3, 0.0], [0.6, 1.0, 0.2, 0.0],
                       [-0.3, 0.2, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]])
    x = sample_three_point([0, 10, 5, 1], [1, 12, 6, 2], [5, 30, 9, 3], 20_000, rng=2)
    y = rank_correlate(x, target, rng=5)
    achieved = stats.spearmanr(y).statistic
    np.testing.assert_allclose(achieved, target, atol=0.03)
    np.testing.assert_array_equal(np.sort(y, axis=0), np.sort(x, axis=0))
    np.testing.assert_array_equal(y[:, 3], x[:, 3])  # uncorrelated column left alone


def test_rank_correlate_perfect_correlation_gives_comonotone_columns():
    """A singular (but PSD) target of 1 off the diagonal orders both columns identically."""
    x = sample_three_point([0, 0], [1, 1], [2, 5], 2_000, rng=0)
    y = rank_correlate(x, [[1, 1], [1, 1]], rng=0)
    assert stats.spearmanr(y[:, 0], y[:, 1]).statistic == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("matrix", "fragment"),
    [
        ([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]], "positive semi-definite"),
        ([[1, 0.5], [0.4, 1]], "symmetric"),
        ([[2, 0], [0, 1]], "between -1 and 1"),
        ([[0.5, 0], [0, 1]], "diagonal"),
        ([1, 2, 3], "square"),
        ([[1, np.nan], [np.nan, 1]], "missing"),
    ],
)
def test_bad_correlation_matrix_raises_input_error(matrix, fragment):
    with pytest.raises(InputError, match=fragment) as err:
        check_correlation_matrix(matrix)
    assert str(err.value).startswith("correlation")


def test_rank_correlate_refuses_matrix_of_wrong_size():
    with pytest.raises(InputError, match="expected 3x3"):
        rank_correlate(np.zeros((10, 3)), np.eye(2))


def test_sample_three_point_refuses_a_draw_larger_than_memory(monkeypatch):
    """Issue 14: n = 10**9 trials of 40 estimates (about 900 GiB) is refused before numpy
    tries, naming n and the largest n that fits in half of the (pinned) 8 GiB."""
    from btm import constraints

    monkeypatch.setattr(constraints, "available_memory", lambda: 8 << 30)
    with pytest.raises(InputError, match=r"^n: got 1000000000 trials, which need about "
                                         r"[0-9.]+ GiB of memory; expected at most "
                                         r"[0-9,]+ trials \(half of the 8\.0 GiB"):
        sample_three_point(np.zeros(40), np.ones(40), np.full(40, 2.0), 10**9)
    assert sample_three_point([0], [1], [2], 10).shape == (10, 1)


def test_rank_correlate_gives_the_same_draws_whatever_eigenbasis_lapack_returns(other_eigenbasis):
    """One correlation between all pairs repeats an eigenvalue; the draws must not depend on
    which eigenbasis LAPACK picks (it differs between CPUs: seen with OPENBLAS_CORETYPE)."""
    c = np.full((6, 6), 0.3) + 0.7 * np.eye(6)
    x = sample_three_point(np.zeros(6), np.full(6, 2.0), np.full(6, 9.0), 5_000, rng=1)
    y = rank_correlate(x, c, rng=3)
    other_eigenbasis()
    np.testing.assert_array_equal(rank_correlate(x, c, rng=3), y)
    np.testing.assert_allclose(stats.spearmanr(y).statistic, c, atol=0.03)


def test_normal_root_refuses_what_is_not_a_correlation_matrix():
    with pytest.raises(InputError, match=r"^rho\[0, 1\]: got 2; expected a value between -1"):
        normal_root([[1.0, 2.0], [2.0, 1.0]], "rho")
    with pytest.raises(InputError, match="^correlation: the matrix is not symmetric"):
        normal_root([[1.0, 0.2], [0.3, 1.0]])
