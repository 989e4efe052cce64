"""Tests of btm.tco: hand-computed cases, numpy-financial as the independent oracle, properties.

Independent sources: ``numpy_financial.npv`` (t = 0 undiscounted, the convention of
``shared/API.md``) and ``numpy_financial.pmt`` for the equivalent annual cost; scipy.stats for
the three-point distributions' means and for Spearman correlation.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from btm import InputError, tco

DATA = Path(__file__).resolve().parents[1] / "data" / "tco" / "costs.csv"


def _costs(rows: list[tuple]) -> pd.DataFrame:
    cols = ["option", "item", "category", "amount", "start_year", "end_year", "escalation"]
    return pd.DataFrame(rows, columns=cols[: len(rows[0])])


def _independent_flows(costs: pd.DataFrame, horizon: int) -> dict[str, np.ndarray]:
    """Yearly cash flows per option built line by line in plain Python (no btm code)."""
    flows: dict[str, np.ndarray] = {}
    for row in costs.itertuples(index=False):
        esc = getattr(row, "escalation", 0.0)
        esc = 0.0 if pd.isna(esc) else float(esc)
        f = flows.setdefault(row.option, np.zeros(horizon + 1))
        for k in range(int(row.start_year), min(int(row.end_year), horizon) + 1):
            f[k] += float(row.amount) * (1 + esc) ** k
    return flows


# --------------------------------------------------------------------------- compare


def test_hand_computed_buy_versus_lease_with_escalation():
    """Two options, 3 years, 10 %.

    Buy: price 1000 in year 0; service 100/yr in years 1-5 with 10 % escalation counted from
    year 0, cut at the horizon (year 3): 110, 121, 133.1. Residual -200 in year 3.
      total = 1000 + 110 + 121 + 133.1 - 200 = 1164.1
      PV    = 1000 + 110/1.1 + 121/1.21 + 133.1/1.331 - 200/1.331
            = 1000 + 100 + 100 + 100 - 150.2630 = 1149.7370
    Lease: 400/yr in years 0-3, no escalation.
      total = 1600; PV = 400 (1 + 1/1.1 + 1/1.21 + 1/1.331) = 400 * 3.4868520 = 1394.7408
    EAC = PV / annuity factor (1 - 1.1**-3)/0.1 = 2.4868520:
      buy 462.3260, lease 560.8459.
    """
    costs = _costs([
        ("Buy", "price", "capex", 1000, 0, 0, 0.0),
        ("Buy", "service", "opex", 100, 1, 5, 0.10),
        ("Buy", "resale", "residual", -200, 3, 3, 0.0),
        ("Lease", "lease", "opex", 400, 0, 3, 0.0),
    ])
    r = tco.compare(costs, horizon_years=3, discount_rate=0.10, currency="USD")
    s = r.summary
    assert list(s.index) == ["Buy", "Lease"]
    assert s.loc["Buy", "total_cost"] == pytest.approx(1164.1)
    assert s.loc["Buy", "present_value"] == pytest.approx(1149.7370, abs=1e-4)
    assert s.loc["Lease", "total_cost"] == pytest.approx(1600.0)
    assert s.loc["Lease", "present_value"] == pytest.approx(1394.7408, abs=1e-4)
    assert s.loc["Buy", "equivalent_annual_cost"] == pytest.approx(462.3263, abs=1e-4)
    assert s.loc["Lease", "equivalent_annual_cost"] == pytest.approx(560.8459, abs=1e-4)
    assert s["rank"].tolist() == [1, 2]
    assert s["rank"].dtype == np.int64
    assert s.loc["Buy", "residual_value"] == pytest.approx(-150.2630, abs=1e-4)
    assert s.loc["Lease", "residual_value"] == 0.0
    assert (r.horizon_years, r.discount_rate, r.currency) == (3, 0.10, "USD")
    assert r.lines["present_value"].round(4).tolist() == [1000.0, 300.0, -150.263, 1394.7408]


def test_yearly_has_every_year_and_category_of_each_option_zeros_included():
    """Buy has 3 categories and Lease 1, 4 years each: 3*4 + 1*4 = 16 rows."""
    costs = _costs([
        ("Buy", "price", "capex", 1000, 0, 0),
        ("Buy", "service", "opex", 100, 1, 2),
        ("Buy", "resale", "residual", -200, 3, 3),
        ("Lease", "lease", "opex", 400, 0, 3),
    ])
    y = tco.compare(costs, horizon_years=3, discount_rate=0.05).yearly
    assert list(y.columns) == ["option", "year", "category", "cost", "discounted_cost"]
    assert len(y) == 16
    assert not y.duplicated(["option", "year", "category"]).any()
    cell = y[(y.option == "Buy") & (y.year == 3) & (y.category == "opex")]
    assert cell["cost"].tolist() == [0.0]
    lease = y[y.option == "Lease"]
    np.testing.assert_allclose(lease["discounted_cost"], 400 * 1.05 ** -np.arange(4))


def test_compare_matches_numpy_financial_npv_on_erp_case():
    """PV per option equals numpy_financial.npv of independently built yearly flows; EAC
    equals -numpy_financial.pmt(r, H, PV); total_cost equals the flows' sum."""
    costs = pd.read_csv(DATA)
    r = tco.compare(costs, horizon_years=7, discount_rate=0.08)
    flows = _independent_flows(costs, 7)
    for option, f in flows.items():
        row = r.summary.loc[option]
        assert row["present_value"] == pytest.approx(npf.npv(0.08, f), rel=1e-12)
        assert row["total_cost"] == pytest.approx(f.sum(), rel=1e-12)
        assert row["equivalent_annual_cost"] == pytest.approx(
            -npf.pmt(0.08, 7, row["present_value"]), rel=1e-12)
    assert r.lines["present_value"].sum() == pytest.approx(r.summary["present_value"].sum())


def test_erp_case_is_realistic_and_options_cross():
    """The shipped data: 3 options, 12-18 lines each, on-premises dearer early and cheaper later
    than SaaS (a break-even inside the horizon), and no option a certain winner."""
    costs = pd.read_csv(DATA)
    table = tco.validate_costs(costs, source=str(DATA))
    counts = table.groupby("option").size()
    assert set(counts.index) == {"On-premises", "SaaS", "Hybrid"}
    assert counts.between(12, 19).all()
    r = tco.compare(costs, horizon_years=7, discount_rate=0.08)
    cum = tco.cumulative_cost(r)
    assert cum.loc[0, "On-premises"] > cum.loc[0, "SaaS"]
    assert cum.loc[7, "On-premises"] < cum.loc[7, "SaaS"]
    assert 0 < tco.break_even(r, "On-premises", "SaaS") < 7
    sim = tco.simulate(costs, horizon_years=7, discount_rate=0.08, n=5_000)
    assert sim["prob_cheapest"].max() < 0.9
    assert "residual_value" in r.summary.columns


def test_compare_works_with_pandas_future_string_dtype():
    """pandas 3 default string dtype (emulated on pandas 2 by future.infer_string)."""
    # The option is the default on pandas 3 and setting it there is deprecated.
    on_pandas3 = int(pd.__version__.split(".")[0]) >= 3
    with contextlib.nullcontext() if on_pandas3 else pd.option_context("future.infer_string", True):
        costs = pd.read_csv(DATA)
        assert costs["option"].dtype == "str"
        r = tco.compare(costs, horizon_years=7, discount_rate=0.08)
        by_cat = tco.cost_by_category(r)
    assert by_cat.sum(axis=1).to_numpy() == pytest.approx(r.summary["present_value"].to_numpy())


def test_compare_does_not_modify_input():
    costs = pd.read_csv(DATA)
    before = costs.copy()
    tco.compare(costs, horizon_years=7, discount_rate=0.08)
    tco.simulate(costs, horizon_years=7, discount_rate=0.08, n=100)
    pd.testing.assert_frame_equal(costs, before)


def test_cost_by_category_and_cumulative_cost_add_up():
    """Category totals equal present value (discounted) and total cost (nominal); the last
    cumulative year equals total cost."""
    r = tco.compare(pd.read_csv(DATA), horizon_years=7, discount_rate=0.08)
    pv = tco.cost_by_category(r)
    assert pv.index.name == "option" and pv.columns.name == "category"
    np.testing.assert_allclose(pv.sum(axis=1), r.summary["present_value"])
    nominal = tco.cost_by_category(r, discounted=False)
    np.testing.assert_allclose(nominal.sum(axis=1), r.summary["total_cost"])
    assert nominal.loc["SaaS", "licence"] == 0.0
    cum = tco.cumulative_cost(r)
    assert list(cum.index) == list(range(8)) and list(cum.columns) == list(r.summary.index)
    np.testing.assert_allclose(cum.iloc[-1], r.summary["total_cost"])
    np.testing.assert_allclose(tco.cumulative_cost(r, discounted=True).iloc[-1],
                               r.summary["present_value"])


# --------------------------------------------------------------------------- break-even


def _two_curves(a: list[float], b: list[float]) -> tco.TCOResult:
    """Options A and B with the given yearly costs (one line per year, 0 % discount)."""
    rows = [("A", f"a{k}", "c", v, k, k) for k, v in enumerate(a)]
    rows += [("B", f"b{k}", "c", v, k, k) for k, v in enumerate(b)]
    return tco.compare(_costs(rows), horizon_years=len(a) - 1, discount_rate=0.0)


def test_break_even_interpolates_within_the_year():
    """A pays 100, 10, 10 (cumulative 100, 110, 120); B pays 40, 60, 60 (40, 100, 160).
    A - B = 60, 10, -40: the sign changes in year 2, linearly at 1 + 10/50 = 1.2 years."""
    r = _two_curves([100, 10, 10], [40, 60, 60])
    assert tco.break_even(r, "A", "B") == pytest.approx(1.2)
    assert tco.break_even(r, "B", "A") == pytest.approx(1.2)


def test_break_even_uses_the_last_sign_change():
    """A - B cumulative = 10, -10, 10, -30: three sign changes, the last one is 2 + 10/40 = 2.25."""
    r = _two_curves([10, 0, 20, 0], [0, 20, 0, 40])
    assert tco.break_even(r, "A", "B") == pytest.approx(2.25)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ([10, 10, 10], [5, 5, 5], None),  # A always dearer: never cross
        ([10, 0, 10], [0, 10, 10], None),  # 10, 0, 0: touch, no sign change
        ([10, 0, 0, 0], [0, 10, 0, 5], 1.0),  # 10, 0, 0, -5: equal from year 1, then cheaper
        ([5, 5], [5, 5], None),  # identical
    ],
)
def test_break_even_touching_equal_and_never_crossing(a, b, expected):
    assert tco.break_even(_two_curves(a, b), "A", "B") == expected


def test_break_even_unknown_option_lists_the_options():
    r = _two_curves([1, 1], [2, 0])
    with pytest.raises(InputError, match=r"other: got 'C'; expected one of 'A', 'B'"):
        tco.break_even(r, "A", "C")
    with pytest.raises(InputError, match="result"):
        tco.break_even(r.summary, "A", "B")


def test_break_even_table_has_all_ordered_pairs():
    r = tco.compare(pd.read_csv(DATA), horizon_years=7, discount_rate=0.08)
    table = tco.break_even_table(r)
    assert list(table.columns) == ["option", "other", "break_even_year"]
    assert len(table) == 6
    row = table[(table.option == "SaaS") & (table.other == "On-premises")]
    assert row["break_even_year"].iloc[0] == pytest.approx(
        tco.break_even(r, "On-premises", "SaaS"))
    disc = tco.break_even_table(r, discounted=True)
    never = disc[(disc.option == "Hybrid") & (disc.other == "On-premises")]
    assert np.isnan(never["break_even_year"].iloc[0]) == (
        tco.break_even(r, "Hybrid", "On-premises", discounted=True) is None)


# --------------------------------------------------------------------------- tornado


def test_tornado_hand_computed():
    """0 % discount, horizon 2. Option A: x = 100 once (low 90, high 130); y = 10/yr in years
    1-2 (low 5, high 12); z certain 50. Base PV(A) = 100 + 20 + 50 = 170.
    x: low 160, high 200, swing 40. y: low 170 - 2*5 = 160, high 170 + 2*2 = 174, swing 14.
    B: w = 20 once (low 20, high 60): base 20, low 20, high 60, swing 40 (ties keep input order).
    """
    costs = pd.DataFrame({
        "option": ["A", "A", "A", "B"], "item": ["x", "y", "z", "w"],
        "category": ["capex", "opex", "opex", "capex"], "amount": [100, 10, 50, 20],
        "low": [90, 5, np.nan, np.nan], "high": [130, 12, np.nan, 60],
        "start_year": [0, 1, 0, 0], "end_year": [0, 2, 0, 0],
    })
    t = tco.tornado(costs, horizon_years=2, discount_rate=0.0)
    assert list(t.columns) == ["option", "item", "category", "base_value", "low_value",
                               "high_value", "swing"]
    assert t["item"].tolist() == ["x", "w", "y"]
    assert t[["base_value", "low_value", "high_value", "swing"]].to_numpy().tolist() == [
        [170, 160, 200, 40], [20, 20, 60, 40], [170, 160, 174, 14]]
    only_b = tco.tornado(costs, horizon_years=2, discount_rate=0.0, option="B")
    assert only_b["item"].tolist() == ["w"]
    with pytest.raises(InputError, match="option: got 'C'; expected one of 'A', 'B'"):
        tco.tornado(costs, horizon_years=2, discount_rate=0.0, option="C")


def test_tornado_on_erp_case_matches_compare():
    """Moving one line to its high equals re-running compare with that line's amount = high."""
    costs = pd.read_csv(DATA)
    t = tco.tornado(costs, horizon_years=7, discount_rate=0.08)
    assert t["swing"].is_monotonic_decreasing
    top = t.iloc[0]
    moved = costs.copy()
    mask = (moved["option"] == top["option"]) & (moved["item"] == top["item"])
    moved.loc[mask, "amount"] = moved.loc[mask, "high"]
    pv = tco.compare(moved, horizon_years=7, discount_rate=0.08).summary["present_value"]
    assert top["high_value"] == pytest.approx(pv[top["option"]])


# --------------------------------------------------------------------------- simulate


SIMPLE = pd.DataFrame({
    "option": ["A", "A", "B", "B"], "item": ["capex", "run", "sub", "setup"],
    "category": ["capex", "opex", "subscription", "capex"],
    "amount": [100.0, 20.0, 45.0, 20.0], "low": [80.0, 15.0, 40.0, np.nan],
    "high": [160.0, 30.0, 60.0, np.nan], "start_year": [0, 1, 0, 0],
    "end_year": [0, 4, 4, 0], "escalation": [0.0, 0.03, 0.05, 0.0],
})


@pytest.mark.parametrize("distribution", ["pert", "triangular"])
def test_simulated_mean_matches_analytic_mean_from_scipy(distribution):
    """E[PV(option)] = sum over lines of E[amount] * PV factor, with E[amount] from scipy.stats
    (beta-PERT or triang); the simulated mean is within 4 standard errors."""
    r, h = 0.07, 4
    trials = tco.simulate_trials(SIMPLE, horizon_years=h, discount_rate=r, n=40_000, seed=3,
                                 distribution=distribution)
    expected = {"A": 0.0, "B": 0.0}
    for row in SIMPLE.itertuples():
        years = np.arange(row.start_year, min(row.end_year, h) + 1)
        factor = float(np.sum(((1 + row.escalation) / (1 + r)) ** years))
        if np.isnan(row.low):
            mean = row.amount
        else:
            a, m, b = row.low, row.amount, row.high
            dist = (stats.beta(1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a), loc=a,
                               scale=b - a) if distribution == "pert"
                    else stats.triang((m - a) / (b - a), loc=a, scale=b - a))
            mean = dist.mean()
        expected[row.option] += mean * factor
    for option, value in expected.items():
        se = trials[option].std() / np.sqrt(len(trials))
        assert trials[option].mean() == pytest.approx(value, abs=4 * se)


def test_simulate_shapes_and_columns():
    trials = tco.simulate_trials(SIMPLE, horizon_years=4, discount_rate=0.05, n=500)
    assert trials.shape == (500, 2) and list(trials.columns) == ["A", "B"]
    s = tco.simulate(SIMPLE, horizon_years=4, discount_rate=0.05, n=500)
    assert s.index.name == "option"
    assert {"mean", "std", "p5", "p10", "p50", "p90", "p95", "prob_cheapest"} <= set(s.columns)
    pd.testing.assert_frame_equal(s, tco.summarise_trials(trials))
    curve = tco.s_curve(trials)
    assert list(curve.columns) == ["option", "present_value", "cumulative_probability"]
    assert len(curve) == 1000
    a = curve[curve.option == "A"]
    assert a["present_value"].is_monotonic_increasing
    assert a["cumulative_probability"].iloc[-1] == 1.0


def test_summarise_trials_hand_computed():
    """Trials A = 1, 3, 2; B = 2, 2, 2 -> A cheapest in trial 1, B in trial 2, tie in trial 3:
    prob_cheapest A = (1 + 0 + 0.5)/3 = 0.5; percentiles as numpy.percentile (linear)."""
    s = tco.summarise_trials(pd.DataFrame({"A": [1.0, 3.0, 2.0], "B": [2.0, 2.0, 2.0]}))
    assert s["prob_cheapest"].tolist() == [0.5, 0.5]
    assert s.loc["A", "p10"] == pytest.approx(1.2)
    assert s.loc["A", "std"] == pytest.approx(1.0)
    with pytest.raises(InputError, match="trials"):
        tco.summarise_trials(pd.DataFrame())


@pytest.mark.parametrize("target", [0.8, -0.5])
def test_correlation_achieves_target_spearman(target):
    """One uncertain line per option: option PVs are monotone in their line, so the Spearman
    correlation of PVs (scipy.stats.spearmanr) is that of the lines."""
    trials = tco.simulate_trials(SIMPLE.iloc[[0, 2]], horizon_years=4, discount_rate=0.05,
                                 n=20_000, correlation=target, seed=9)
    achieved = stats.spearmanr(trials["A"], trials["B"]).statistic
    assert achieved == pytest.approx(target, abs=0.03)


def test_correlation_groups_and_matrix():
    """With correlation_group only lines in the same group are correlated; a full matrix in
    the order of uncertain_lines gives each pair."""
    kw = {"horizon_years": 4, "discount_rate": 0.05, "n": 20_000, "correlation": 0.9, "seed": 1}
    for groups, expected in [(["g1", "g2"], 0.0), (["g", None], 0.0), (["g", "g"], 0.9)]:
        costs = SIMPLE.iloc[[0, 2]].assign(correlation_group=groups)
        trials = tco.simulate_trials(costs, **kw)
        achieved = stats.spearmanr(trials["A"], trials["B"]).statistic
        assert achieved == pytest.approx(expected, abs=0.03), groups
    order = tco.uncertain_lines(SIMPLE)
    assert order.values.tolist() == [["A", "capex"], ["A", "run"], ["B", "sub"]]
    matrix = [[1, 0, 0.7], [0, 1, 0], [0.7, 0, 1]]
    trials = tco.simulate_trials(SIMPLE.drop(index=1), horizon_years=4, discount_rate=0.05,
                                 n=10, correlation=np.eye(2))
    assert trials.shape == (10, 2)
    with pytest.raises(InputError, match="expected 3x3"):
        tco.simulate(SIMPLE, horizon_years=4, discount_rate=0.05, correlation=np.eye(2))
    s = tco.simulate(SIMPLE, horizon_years=4, discount_rate=0.05, correlation=matrix, n=100)
    assert s["prob_cheapest"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("correlation", "fragment"),
    [
        ([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]], "positive semi-definite"),
        (-0.9, "positive semi-definite"),  # 3 lines: equicorrelation needs rho >= -1/2
        (1.5, "correlation: got 1.5"),
    ],
)
def test_infeasible_correlation_raises_input_error(correlation, fragment):
    with pytest.raises(InputError, match=fragment):
        tco.simulate(SIMPLE, horizon_years=4, discount_rate=0.05, correlation=correlation)


# --------------------------------------------------------------------------- validation


def _base() -> pd.DataFrame:
    return SIMPLE.copy()


def _set(df: pd.DataFrame, row: int, col: str, value) -> pd.DataFrame:
    out = df.copy()
    out[col] = out[col].astype(object)
    out.loc[row, col] = value
    return out


BAD_TABLES = [
    ("missing column", lambda d: d.drop(columns="category"), "missing column(s) 'category'"),
    ("text amount", lambda d: _set(d, 1, "amount", "lots"), "row 2, column 'amount'"),
    ("empty amount", lambda d: _set(d, 2, "amount", np.nan), "row 3, column 'amount'"),
    ("start after end", lambda d: _set(d, 1, "start_year", 5), "row 2, column 'end_year'"),
    ("negative year", lambda d: _set(d, 0, "start_year", -1), "row 1, column 'start_year'"),
    ("negative non-residual", lambda d: _set(d, 3, "amount", -5.0), "row 4, column 'amount'"),
    ("low above amount", lambda d: _set(d, 0, "low", 120.0), "row 1, column 'low'"),
    ("high below amount", lambda d: _set(d, 2, "high", 44.0), "row 3, column 'high'"),
    ("escalation percent", lambda d: _set(d, 2, "escalation", 5.0), "row 3, column 'escalation'"),
    ("empty table", lambda d: d.iloc[0:0], "no rows"),
    # the wording of validate.frame's repeated-key check (it said "row 1, row 2")
    ("duplicate pair", lambda d: _set(d, 1, "item", "capex"),
     "costs.csv, rows 1 and 2, columns 'option', 'item': 'A' / 'capex' appears twice; "
     "expected each option / item once"),
    ("duplicate pair apart", lambda d: _set(_set(d, 3, "option", "A"), 3, "item", "capex"),
     "costs.csv, rows 1 and 4, columns 'option', 'item': 'A' / 'capex' appears twice"),
    ("not a frame", lambda d: d.to_dict(), "expected a pandas DataFrame"),
    # issue 14: plausible mistakes that used to pass silently
    ("calendar start year", lambda d: _set(d, 0, "start_year", 2026),
     "row 1, column 'start_year': got 2026, which looks like a calendar year (years count "
     "from 0 = now)"),
    ("calendar end year", lambda d: _set(_set(d, 1, "start_year", 0), 1, "end_year", 2033),
     "row 2, column 'end_year': got 2033, which looks like a calendar year"),
    ("huge amount", lambda d: _set(d, 1, "amount", 1.7e308), "row 2, column 'amount': got "
     "1.7e+308"),
    ("huge high", lambda d: _set(d, 2, "high", 1.7e308), "row 3, column 'high'"),
]


@pytest.mark.parametrize(("case", "change", "fragment"), BAD_TABLES, ids=[b[0] for b in BAD_TABLES])
def test_bad_cost_table_raises_input_error_naming_where(case, change, fragment):
    bad = change(_base())
    with pytest.raises(InputError) as err:
        tco.compare(bad, horizon_years=4, discount_rate=0.05, source="costs.csv")
    assert str(err.value).startswith("costs.csv")
    assert fragment in str(err.value)
    assert "; expected" in str(err.value)
    with pytest.raises(InputError):
        tco.validate_costs(bad)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"discount_rate": 8}, "discount_rate: got 8, which looks like a percentage"),
        ({"discount_rate": -0.1}, "discount_rate"),
        ({"horizon_years": 0}, "horizon_years: got 0"),
        ({"horizon_years": 2.5}, "horizon_years"),
        ({"horizon_years": 100_000}, "horizon_years: got 100000; expected a whole number of "
                                     "at least 1 and of at most 100"),
    ],
)
def test_bad_parameters_raise_input_error_naming_parameter(kwargs, fragment):
    args = {"horizon_years": 4, "discount_rate": 0.05} | kwargs
    for func in (tco.compare, tco.tornado, tco.simulate):
        with pytest.raises(InputError, match=fragment):
            func(SIMPLE, **args)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [({"n": 0}, "n: got 0"), ({"distribution": "normal"}, "distribution"),
     ({"seed": None}, "seed"), ({"seed": -1}, "seed")],
)
def test_bad_simulation_parameters_raise_input_error(kwargs, fragment):
    with pytest.raises(InputError, match=fragment):
        tco.simulate(SIMPLE, horizon_years=4, discount_rate=0.05, **kwargs)


def test_currency_and_flags_are_declared_and_refused():
    """New declarations (issue 6): a currency is a three-letter code, flags are True/False."""
    with pytest.raises(InputError, match="currency: got 'euro'; expected a three-letter"):
        tco.compare(SIMPLE, horizon_years=4, discount_rate=0.05, currency="euro")
    r = tco.compare(SIMPLE, horizon_years=4, discount_rate=0.05)
    for func in (tco.cost_by_category, tco.cumulative_cost, tco.break_even_table):
        with pytest.raises(InputError, match=r"discounted: got 'yes' \(str\); expected true or"):
            func(r, discounted="yes")


def test_residual_line_reduces_cost_and_lines_beyond_horizon_are_cut():
    """A negative 'residual' line is accepted (any case) and lowers PV; a line that starts after
    the horizon contributes 0 and is kept in `lines`."""
    costs = pd.concat([SIMPLE, pd.DataFrame({
        "option": ["A", "A"], "item": ["resale", "later"], "category": ["Residual", "opex"],
        "amount": [-30.0, 99.0], "start_year": [4, 6], "end_year": [4, 9]})],
        ignore_index=True)
    with_res = tco.compare(costs, horizon_years=4, discount_rate=0.05).summary
    without = tco.compare(SIMPLE, horizon_years=4, discount_rate=0.05).summary
    assert with_res.loc["A", "present_value"] == pytest.approx(
        without.loc["A", "present_value"] - 30 / 1.05**4)
    assert with_res.loc["A", "residual_value"] == pytest.approx(-30 / 1.05**4)


# --------------------------------------------------------------------------- properties


@st.composite
def cost_tables(draw, min_lines: int = 1, max_lines: int = 8):
    n = draw(st.integers(min_lines, max_lines))
    rows = []
    for i in range(n):
        start = draw(st.integers(0, 6))
        amount = draw(st.floats(1.0, 1e6))
        rows.append({
            "option": draw(st.sampled_from(["A", "B", "C"])),
            "item": f"line {i}",
            "category": draw(st.sampled_from(["licence", "staff", "hosting"])),
            "amount": amount,
            "start_year": start,
            "end_year": start + draw(st.integers(0, 6)),
            "escalation": draw(st.floats(-0.05, 0.1)),
            "low": amount * draw(st.floats(0.5, 1.0)),
            "high": amount * draw(st.floats(1.0, 2.0)),
        })
    return pd.DataFrame(rows)


FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(cost_tables(), st.floats(0.0, 0.3), st.floats(0.01, 0.3))
def test_property_present_value_falls_as_discount_rate_rises(costs, rate, step):
    """For positive costs PV never rises with the rate, and falls for an option with a cost
    after year 0 inside the horizon."""
    low = tco.compare(costs, horizon_years=5, discount_rate=rate).summary["present_value"]
    high = tco.compare(costs, horizon_years=5, discount_rate=min(rate + step, 1.0)).summary[
        "present_value"]
    assert (high <= low * (1 + 1e-12)).all()
    later = costs[costs.end_year.ge(1) & costs.start_year.le(5)]["option"].unique()
    assert (high[later] < low[later]).all()


@FAST
@given(cost_tables(min_lines=2), st.randoms(use_true_random=False))
def test_property_results_independent_of_row_order(costs, random):
    order = list(range(len(costs)))
    random.shuffle(order)
    shuffled = costs.iloc[order]
    a = tco.compare(costs, horizon_years=5, discount_rate=0.06).summary.sort_index()
    b = tco.compare(shuffled, horizon_years=5, discount_rate=0.06).summary.sort_index()
    pd.testing.assert_frame_equal(a, b, rtol=1e-12)
    sa = tco.simulate(costs, horizon_years=5, discount_rate=0.06, n=200, seed=4).sort_index()
    sb = tco.simulate(shuffled, horizon_years=5, discount_rate=0.06, n=200, seed=4).sort_index()
    pd.testing.assert_frame_equal(sa, sb, rtol=1e-9)


@FAST
@given(cost_tables(), st.sampled_from(["pert", "triangular"]), st.integers(0, 2**32 - 1))
def test_property_simulation_percentiles_ordered_probabilities_sum_to_one(costs, dist, seed):
    s = tco.simulate(costs, horizon_years=5, discount_rate=0.06, n=300, seed=seed,
                     distribution=dist)
    assert (s["p5"] <= s["p10"]).all() and (s["p10"] <= s["p50"]).all()
    assert (s["p50"] <= s["p90"]).all() and (s["p90"] <= s["p95"]).all()
    assert s["prob_cheapest"].sum() == pytest.approx(1.0)
    again = tco.simulate(costs, horizon_years=5, discount_rate=0.06, n=300, seed=seed,
                         distribution=dist)
    pd.testing.assert_frame_equal(s, again)


@FAST
@given(cost_tables(), st.floats(0.0, 0.2))
def test_property_simulate_without_spread_equals_compare(costs, rate):
    """low = high = amount: every trial equals compare's present value."""
    certain = costs.assign(low=costs["amount"], high=costs["amount"])
    pv = tco.compare(certain, horizon_years=5, discount_rate=rate).summary["present_value"]
    s = tco.simulate(certain, horizon_years=5, discount_rate=rate, n=50, correlation=0.5)
    np.testing.assert_allclose(s["mean"], pv, rtol=1e-12)
    np.testing.assert_allclose(s["p10"], pv, rtol=1e-12)
    np.testing.assert_allclose(s["p90"], pv, rtol=1e-12)


def test_same_seed_same_numbers_and_different_seed_different_numbers():
    costs = pd.read_csv(DATA)
    kw = {"horizon_years": 7, "discount_rate": 0.08, "n": 2_000, "correlation": 0.4}
    a = tco.simulate_trials(costs, seed=5, **kw)
    pd.testing.assert_frame_equal(a, tco.simulate_trials(costs, seed=5, **kw))
    pd.testing.assert_frame_equal(
        a, tco.simulate_trials(costs, seed=np.random.default_rng(5), **kw))
    assert not a.equals(tco.simulate_trials(costs, seed=6, **kw))


def test_a_simulation_too_large_for_memory_is_refused_before_it_starts(monkeypatch):
    """tco.simulate(n=10**9) used to raise MemoryError (or get the process killed); now it is
    refused naming n, the memory it would need and the largest n that fits. Memory is pinned
    at 8 GiB so the numbers are the same on every machine."""
    from btm import constraints

    monkeypatch.setattr(constraints, "available_memory", lambda: 8 << 30)
    with pytest.raises(InputError) as err:
        tco.simulate(SIMPLE, horizon_years=4, discount_rate=0.05, n=10**9)
    message = str(err.value)
    assert message.startswith("n: got 1000000000 trials, which need about ")
    assert "GiB of memory; expected at most " in message
    assert "(half of the 8.0 GiB available memory)" in message
    most = int(message.split("at most ")[1].split(" trials")[0].replace(",", ""))
    assert 10**6 < most < 10**9
    tco.simulate(SIMPLE, horizon_years=4, discount_rate=0.05, n=1_000)  # small n still runs


@pytest.mark.parametrize("func", [tco.s_curve, tco.summarise_trials])
def test_s_curve_and_summary_refuse_missing_values(func):
    """NaN present values used to be kept, sorted to the end of the curve; both readers of a
    trials table check it in one place and name the cell."""
    trials = pd.DataFrame({"A": [1.0, np.nan, 2.0], "B": [1.0, 2.0, 3.0]})
    with pytest.raises(InputError, match=r"^trials, row 2, column 'A': got nan"):
        func(trials)
    with pytest.raises(InputError, match=r"^trials: found non-numeric"):
        func(pd.DataFrame({"A": ["x"]}))


# --------------------------------------------------------------------------- one spelling, residuals


def _erp() -> pd.DataFrame:
    """The sample ERP case; rows of the file are counted from 1 below the header."""
    return pd.read_csv(DATA)


def _row(costs: pd.DataFrame, option: str, item: str) -> int:
    """Row number (1 below the header) of a line, found in the raw table, not by btm."""
    return int(np.flatnonzero((costs["option"] == option) & (costs["item"] == item))[0]) + 1


def test_an_option_spelled_two_ways_is_refused_naming_file_rows_column_and_both():
    """'Saas' on one line used to make a fourth option of the three in the file (SaaS split in
    two); it is the same option typed twice. Wording as btm.sourcing's check of names."""
    costs = _erp()
    first = _row(costs, "SaaS", "ERP subscription")
    second = _row(costs, "SaaS", "Premium success plan")
    assert second == first + 1  # the file's order, read here without btm
    costs.loc[second - 1, "option"] = "Saas"
    assert costs["option"].nunique() == 4  # what the split would have been
    with pytest.raises(InputError) as err:
        tco.compare(costs, horizon_years=7, discount_rate=0.08, source="data/tco/costs.csv")
    assert str(err.value) == (
        f"data/tco/costs.csv, row {second}, column 'option': got 'Saas', which differs from "
        f"'SaaS' (row {first}) only in case or spacing; expected one spelling per option")


@pytest.mark.parametrize("spelling", ["SAAS", "saas", "sAaS"])
def test_option_in_another_case_is_refused(spelling):
    costs = _erp()
    row = _row(costs, "SaaS", "Exit and data extraction")
    costs.loc[row - 1, "option"] = spelling
    with pytest.raises(InputError, match=rf"^costs, row {row}, column 'option': got "
                                         rf"'{spelling}', which differs from 'SaaS' \(row "):
        tco.validate_costs(costs)


def test_a_run_of_inner_spaces_is_the_same_name_outer_spaces_are_stripped():
    costs = _erp()
    row = _row(costs, "SaaS", "Exit and data extraction")
    costs.loc[row - 1, "option"] = "  SaaS "  # stripped on reading: the same text
    assert list(pd.unique(tco.validate_costs(costs)["option"])) == ["On-premises", "SaaS",
                                                                   "Hybrid"]
    costs.loc[row - 2, "option"] = "Cloud ERP"
    costs.loc[row - 1, "option"] = "cloud  ERP"
    with pytest.raises(InputError, match=(
            rf"^costs, row {row}, column 'option': got 'cloud  ERP', which differs from "
            rf"'Cloud ERP' \(row {row - 1}\) only in case or spacing; expected one spelling "
            "per option$")):
        tco.validate_costs(costs)


def test_a_category_spelled_two_ways_is_refused():
    """'Training' on one line used to give a category of its own in cost_by_category."""
    costs = _erp()
    first = int(np.flatnonzero(costs["category"] == "training")[0]) + 1
    row = _row(costs, "SaaS", "Initial training")
    costs.loc[row - 1, "category"] = "Training"
    with pytest.raises(InputError) as err:
        tco.validate_costs(costs, source="costs.csv")
    assert str(err.value) == (
        f"costs.csv, row {row}, column 'category': got 'Training', which differs from "
        f"'training' (row {first}) only in case or spacing; expected one spelling per category")


def test_an_item_spelled_two_ways_within_an_option_is_refused_not_across_options():
    """ERP and 'erp ' in one option are one line typed twice: the (option, item) check compared
    exact text and let both through (the cost counted twice). The same item in two options is
    normal."""
    costs = _costs([
        ("A", "ERP", "licence", 100, 0, 0),
        ("A", "run", "opex", 10, 1, 3),
        ("A", "erp ", "licence", 100, 0, 0),
        ("B", "Erp", "licence", 90, 0, 0),
    ])
    with pytest.raises(InputError) as err:
        tco.validate_costs(costs, source="costs.csv")
    assert str(err.value) == (
        "costs.csv, row 3, column 'item': got 'erp', which differs from 'ERP' (row 1) only in "
        "case or spacing; expected one spelling per item of option 'A'")
    ok = tco.validate_costs(costs.drop(index=2))
    assert ok["item"].tolist() == ["ERP", "run", "Erp"]


@pytest.mark.parametrize(
    ("column", "amounts", "got"),
    [("amount", (45_000.0, 20_000.0, 70_000.0), "45000"),  # the sign forgotten throughout
     ("low", (0.0, 5_000.0, 5_000.0), "5000"),
     ("high", (-45_000.0, -70_000.0, 20_000.0), "20000")],
)
def test_a_positive_residual_value_is_refused(column, amounts, got):
    """data/tco/README.md, Conventions: residual lines have a negative amount (a credit).
    45000 was accepted and added to the cost. The category is matched in any case, as
    compare() matches it for residual_value."""
    costs = _erp()
    row = _row(costs, "On-premises", "Hardware residual value")
    assert costs.loc[row - 1, "category"] == "residual" and costs.loc[row - 1, "amount"] < 0
    costs.loc[row - 1, ["amount", "low", "high"]] = amounts
    costs.loc[costs["category"] == "residual", "category"] = "Residual"
    with pytest.raises(InputError) as err:
        tco.compare(costs, horizon_years=7, discount_rate=0.08, source="costs.csv")
    assert str(err.value) == (
        f"costs.csv, row {row}, column '{column}': got {got}, a positive amount in category "
        "'Residual'; expected a negative amount or 0 (category 'residual' holds resale and "
        "residual values, which are negative: a credit that lowers the cost)")


def test_a_residual_value_of_zero_is_accepted_and_of_a_cent_refused():
    """The boundary: 0 is a residual value (nothing recovered), 0.01 is a cost. The sample
    file's -45000 in year 7 at 8 % is -45000 / 1.08**7 = -26257.07 (by hand)."""
    costs = _erp().astype({"amount": float, "low": float, "high": float})
    row = _row(costs, "On-premises", "Hardware residual value")
    pv = tco.compare(costs, horizon_years=7, discount_rate=0.08).summary
    assert pv.loc["On-premises", "residual_value"] == pytest.approx(-45_000 / 1.08**7)
    costs.loc[row - 1, ["amount", "low", "high"]] = (0.0, -10.0, 0.0)
    zero = tco.compare(costs, horizon_years=7, discount_rate=0.08).summary
    assert zero.loc["On-premises", "residual_value"] == 0.0
    costs.loc[row - 1, ["amount", "low", "high"]] = (0.01, np.nan, np.nan)
    with pytest.raises(InputError, match=rf"^costs, row {row}, column 'amount': got 0.01, a "
                                         "positive amount in category 'residual'; expected a "
                                         "negative amount or 0"):
        tco.validate_costs(costs)


def test_lines_starting_after_the_horizon_are_listed_not_lost():
    """A line starting after the horizon counts for nothing: `beyond_horizon` lists it so a
    report can say so (a line that only ends after the horizon is cut and still counts)."""
    costs = pd.DataFrame({"option": ["A", "A", "B", "B"], "item": ["kit", "late", "kit", "run"],
                          "category": "hardware", "amount": [100.0, 100.0, 100.0, 10.0],
                          "start_year": [0, 9, 0, 5], "end_year": [0, 9, 3, 12]})
    result = tco.compare(costs, horizon_years=7, discount_rate=0.08)
    assert result.beyond_horizon[["option", "item", "start_year"]].values.tolist() == [
        ["A", "late", 9]]
    assert float(result.beyond_horizon["present_value"].iloc[0]) == 0.0
    inside = tco.compare(costs.iloc[[0, 2]], horizon_years=7, discount_rate=0.08)
    assert inside.beyond_horizon.empty and list(inside.beyond_horizon.columns) == list(
        inside.lines.columns)
