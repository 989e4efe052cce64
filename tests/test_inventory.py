"""Tests of btm.inventory against textbook worked examples and stockpyl.

Sources
-------
- Snyder & Shen, *Fundamentals of Supply Chain Theory* (2nd ed., 2019), via the examples that
  stockpyl 1.0 reproduces in its docstrings and tests (Examples 3.1, 4.3, 5.2; loss function
  eq. C.22).
- Chopra & Meindl, *Supply Chain Management: Strategy, Planning and Operation*, chapter
  "Managing uncertainty in a supply chain: safety inventory" (ch. 11 in the 3rd ed., ch. 12 in
  the 6th ed.): the B&M / Wal-Mart examples (weekly demand 2,500, sd 500, lead time 2 weeks,
  lot 10,000) and the Dell "impact of supply uncertainty" example (daily demand 2,500, sd 500,
  lead time 7 days, sd 7 days).
- Heizer & Render, *Operations Management*, ch. "JIT, TPS and lean operations", example
  "Determining the number of kanban containers" (Hobbs Bakery); Stevenson, *Operations
  Management*, ch. "JIT and lean operations", kanban example (N = D T (1 + X) / C).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats
from stockpyl.eoq import economic_order_quantity
from stockpyl.loss_functions import standard_normal_loss
from stockpyl.newsvendor import newsvendor_normal
from stockpyl.rq import r_q_eil_approximation

from btm import InputError
from btm.inventory import (
    empirical_safety_stock,
    eoq,
    fill_rate,
    kanban_containers,
    lead_time_forecast_errors,
    normal_loss,
    reorder_point,
    replenishment_plan,
    safety_stock,
    safety_stock_fill_rate,
)

positive = st.floats(0.01, 1e4, allow_nan=False)
levels = st.floats(0.01, 0.99)


# --------------------------------------------------------------------------- EOQ


def test_snyder_shen_example_3_1_eoq():
    """S&S Example 3.1: K = 8, h = 0.225, lambda = 1300 -> Q* = 304.0467800264368."""
    assert eoq(1300, 8, 0.225) == pytest.approx(304.0467800264368, rel=1e-12)
    assert eoq(1300, 8, 0.225) == pytest.approx(economic_order_quantity(8, 0.225, 1300)[0])


@given(positive, positive, positive)
def test_eoq_equals_stockpyl_on_random_inputs(demand, order_cost, holding):
    expected, _ = economic_order_quantity(order_cost, holding, demand)
    assert eoq(demand, order_cost, holding) == pytest.approx(expected, rel=1e-10)


def test_eoq_vectorised_equals_scalar_loop_and_keeps_series_index():
    demand = pd.Series([1300.0, 0.0, 5200.0], index=["A", "B", "C"])
    out = eoq(demand, 8, 0.225)
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["A", "B", "C"]
    assert out.tolist() == pytest.approx([eoq(float(d), 8, 0.225) for d in demand])
    arr = eoq(np.array([1300.0, 5200.0]), np.array([8.0, 16.0]), 0.225)
    assert isinstance(arr, np.ndarray)
    assert isinstance(eoq(1300, 8, 0.225), float)


# --------------------------------------------------------------------------- normal loss


def test_standard_normal_loss_stockpyl_documented_value():
    """stockpyl.loss_functions.standard_normal_loss(1.3) = 0.04552796208651397 (S&S C.22)."""
    assert normal_loss(1.3) == pytest.approx(0.04552796208651397, rel=1e-12)


@given(st.floats(-6, 6))
def test_normal_loss_equals_stockpyl_on_random_inputs(z):
    assert normal_loss(z) == pytest.approx(standard_normal_loss(z)[0], rel=1e-9, abs=1e-15)


def test_normal_loss_is_expected_shortage_by_numerical_integration():
    """G(z) = E[max(Z - z, 0)], integrated numerically with scipy.integrate.quad."""
    from scipy import integrate

    for z in (-1.5, 0.0, 0.7, 2.5):
        value, _ = integrate.quad(lambda x, z=z: (x - z) * stats.norm.pdf(x), z, np.inf)
        assert normal_loss(z) == pytest.approx(value, rel=1e-8)


# --------------------------------------------------------------------------- safety stock


def test_chopra_meindl_required_safety_inventory_given_csl():
    """Chopra & Meindl: D = 2,500/week, sd 500, L = 2 weeks, CSL 0.90 -> ss = 906, ROP 5,906."""
    assert round(safety_stock(0.90, 500, 2)) == 906
    assert round(reorder_point(0.90, 2500, 500, 2)) == 5906


def test_chopra_meindl_impact_of_supply_uncertainty():
    """Chopra & Meindl (Dell): D = 2,500/day, sd 500, L = 7 days, s_L = 7 days, CSL 0.90:
    sigma_L = 17,550 and ss = NORMSINV(0.90) x 17,550 = 22,491."""
    ss = safety_stock(0.90, 500, 7, demand_mean=2500, lead_time_std=7)
    assert ss / stats.norm.ppf(0.90) == pytest.approx(17_550, abs=1)
    assert round(ss) == 22_491


def test_snyder_shen_example_4_3_base_stock_level():
    """S&S Example 4.3 (newsvendor / base stock): h = 0.18, p = 0.70, mu = 50, sd = 8 ->
    S* = 56.60395592743389 at the critical ratio p / (h + p) (one period of demand)."""
    alpha = 0.70 / (0.18 + 0.70)
    assert reorder_point(alpha, 50, 8, 1) == pytest.approx(56.60395592743389, rel=1e-12)


def test_snyder_shen_example_5_2_rq_reorder_point():
    """S&S Example 5.2 (EIL approximation, stockpyl r_q_eil_approximation): lambda = 1300,
    tau = 150, L = 1/12 year; r = F^-1(1 - Q h / (p lambda)) over lead-time demand."""
    r, q, _ = r_q_eil_approximation(0.225, 7.5, 8, 1300, 150, 1 / 12)
    level = 1 - q * 0.225 / (7.5 * 1300)
    assert reorder_point(level, 1300, 150, 1 / 12) == pytest.approx(r, rel=1e-7)


@given(st.floats(0.02, 0.98), st.floats(0.5, 500), st.floats(0.1, 100),
       st.integers(0, 12))
def test_base_stock_level_equals_stockpyl_newsvendor_with_lead_time(alpha, mean, sd, lead):
    """stockpyl.newsvendor_normal optimises over L + 1 periods of demand (its eq. 4.30)."""
    p, h = alpha, 1 - alpha
    expected, _ = newsvendor_normal(h, p, mean, sd, lead_time=lead)
    assert reorder_point(alpha, mean, sd, lead + 1) == pytest.approx(expected, rel=1e-9)


def test_safety_stock_vectorised_equals_scalar_loop():
    rng = np.random.default_rng(1)
    sl, sd, lt = rng.uniform(0.5, 0.99, 50), rng.uniform(0, 30, 50), rng.uniform(0, 8, 50)
    mean, sd_lt = rng.uniform(0, 100, 50), rng.uniform(0, 2, 50)
    vec = safety_stock(sl, sd, lt, demand_mean=mean, lead_time_std=sd_lt)
    loop = [safety_stock(*args[:3], demand_mean=args[3], lead_time_std=args[4])
            for args in zip(sl, sd, lt, mean, sd_lt, strict=True)]
    assert vec == pytest.approx(loop, rel=1e-12)
    assert all(isinstance(x, float) for x in loop)


@given(st.floats(0.5, 0.98), st.floats(0.5, 0.98), st.floats(0.1, 100), st.floats(0.1, 10))
def test_safety_stock_increases_with_service_level(a, b, sd, lead):
    low, high = sorted((a, b))
    assert safety_stock(low, sd, lead) <= safety_stock(high, sd, lead) + 1e-12


# --------------------------------------------------------------------------- fill rate


def test_chopra_meindl_fill_rate_given_safety_inventory():
    """Chopra & Meindl (fill rate given a policy): lot 10,000, ss = 1,000, sigma_L = 707:
    ESC = 25.13 and fill rate = 1 - 25.13/10,000 = 0.9975."""
    assert fill_rate(1000, 2500, 500, 2, 10_000) == pytest.approx(1 - 25.13 / 10_000, abs=1e-6)
    assert safety_stock_fill_rate(1 - 25.13 / 10_000, 2500, 500, 2, 10_000) == pytest.approx(
        1000, abs=0.5
    )


def test_chopra_meindl_safety_inventory_given_fill_rate():
    """Chopra & Meindl (required safety inventory given a desired fill rate of 97.5 %, lot
    10,000, D = 2,500/week, sd 500, L = 2 weeks): ESC = 250 and ss = 67 (Goal Seek)."""
    assert round(safety_stock_fill_rate(0.975, 2500, 500, 2, 10_000)) == 67


@settings(max_examples=60)
@given(st.floats(0.5, 0.999), st.floats(1, 1000), st.floats(0.5, 300), st.floats(0.5, 10),
       st.floats(1, 5000))
def test_fill_rate_safety_stock_equals_root_of_stockpyl_loss(beta, mean, sd, lead, lot):
    """Solve sigma_L * L(z) = Q (1 - beta) with scipy brentq on stockpyl's loss function."""
    sigma = sd * math.sqrt(lead)
    target = lot * (1 - beta) / sigma
    z = optimize.brentq(lambda x: standard_normal_loss(x)[0] - target, -target - 10, 40,
                        xtol=1e-13)
    got = safety_stock_fill_rate(beta, mean, sd, lead, lot)
    assert got == pytest.approx(z * sigma, rel=1e-7, abs=1e-7 * sigma)
    assert fill_rate(got, mean, sd, lead, lot) == pytest.approx(beta, abs=1e-9)


def test_fill_rate_safety_stock_vectorised_equals_scalar_loop():
    rng = np.random.default_rng(7)
    beta, mean = rng.uniform(0.8, 0.999, 200), rng.uniform(1, 500, 200)
    sd, lead, lot = rng.uniform(1, 100, 200), rng.integers(1, 9, 200), rng.uniform(10, 2000, 200)
    vec = safety_stock_fill_rate(beta, mean, sd, lead, lot, lead_time_std=0.5)
    loop = [safety_stock_fill_rate(b, m, s, lt, q, lead_time_std=0.5)
            for b, m, s, lt, q in zip(beta, mean, sd, lead, lot, strict=True)]
    assert vec == pytest.approx(loop, rel=1e-10)


def test_fill_rate_safety_stock_is_zero_without_uncertainty():
    assert safety_stock_fill_rate(0.99, 100, 0, 2, 50) == 0.0


# --------------------------------------------------------------------------- empirical


def test_empirical_safety_stock_equals_pandas_groupby_quantile():
    rng = np.random.default_rng(3)
    errors = pd.DataFrame({"unique_id": np.repeat(["B", "A", "C"], [40, 25, 60]),
                           "error": rng.normal(5, 10, 125)})
    got = empirical_safety_stock(errors, 0.9)
    expected = errors.groupby("unique_id")["error"].quantile(0.9).clip(lower=0)
    pd.testing.assert_series_equal(got, expected.rename("safety_stock"), check_names=False)
    assert got.name == "safety_stock" and got.index.name == "unique_id"


def test_empirical_safety_stock_approaches_normal_formula_for_normal_errors():
    """With N(0, L sd^2) lead-time errors the empirical quantile tends to z sd sqrt(L)."""
    rng = np.random.default_rng(11)
    errors = rng.normal(0, 20 * math.sqrt(4), size=(2, 200_000))
    got = empirical_safety_stock(errors, 0.95)
    assert got == pytest.approx([safety_stock(0.95, 20, 4)] * 2, rel=0.02)


def test_empirical_safety_stock_floors_at_zero_and_accepts_per_sku_levels():
    matrix = np.array([[-5.0, -4, -3, -2, -1], [0, 1, 2, 3, np.nan]])
    assert empirical_safety_stock(matrix, 0.5).tolist() == [0.0, 1.5]
    assert empirical_safety_stock(matrix, np.array([0.5, 1 - 1e-9])).tolist() == pytest.approx(
        [0.0, 3.0]
    )
    errors = pd.DataFrame({"unique_id": ["A", "A", "B", "B"], "error": [1.0, 3.0, 10.0, 20.0]})
    levels_ = pd.Series({"B": 0.5, "A": 0.25})
    assert empirical_safety_stock(errors, levels_).tolist() == [1.5, 15.0]


def test_lead_time_forecast_errors_hand_example():
    """Demand 10, 12, 9, 11 and a flat forecast 10, lead time 2: errors (22-20), (21-20),
    (20-20); the last origin has no complete window."""
    ds = pd.date_range("2026-01-05", periods=4, freq="W-MON")
    demand = pd.DataFrame({"unique_id": "A", "ds": ds, "y": [10, 12, 9, 11]})
    fc = pd.DataFrame({"unique_id": "A", "ds": ds, "forecast": [10.0, 10.0, 10.0, 10.0]})
    out = lead_time_forecast_errors(demand, fc, 2)
    assert out["actual"].tolist() == [22.0, 21.0, 20.0]
    assert out["error"].tolist() == [2.0, 1.0, 0.0]


# --------------------------------------------------------------------------- kanban


def test_heizer_render_hobbs_bakery_kanban():
    """Heizer & Render: daily demand 500 cakes, lead time 2 days, safety stock 1/2 day (250
    cakes = 25 % of lead-time demand), container 250 -> (1000 + 250) / 250 = 5 kanbans."""
    assert kanban_containers(500, 2, 250, safety_factor=0.25) == 5


def test_stevenson_kanban_example():
    """Stevenson: usage 300 parts/day, container 25, cycle 0.12 day, X = 0.20:
    N = 300 (0.12)(1.20) / 25 = 1.728 -> 2 containers."""
    assert kanban_containers(300, 0.12, 25, safety_factor=0.20) == 2


def test_kanban_rounds_up_but_not_on_floating_point_noise():
    assert kanban_containers(0.1 * 3, 10, 3) == 1  # 0.30000000000000004 * 10 / 3
    assert kanban_containers(2000, 0.4, 200, safety_factor=0.1) == 5  # 4.4 -> 5
    out = kanban_containers(pd.Series([500, 300], index=["cake", "part"]), [2, 0.12],
                            [250, 25], safety_factor=[0.25, 0.2])
    assert out.to_dict() == {"cake": 5, "part": 2}


# --------------------------------------------------------------------------- planning


def _plan_policy(**overrides):
    base = {"unique_id": ["A"], "on_hand": [25.0], "lead_time": [1], "review_period": [1],
            "safety_stock": [5.0]}
    base.update(overrides)
    return pd.DataFrame(base)


def _forecast(values, skus=("A",), start="2026-11-02"):
    ds = pd.date_range(start, periods=len(values), freq="W-MON")
    return pd.concat([pd.DataFrame({"unique_id": s, "ds": ds, "forecast": values})
                      for s in skus], ignore_index=True)


def test_replenishment_plan_periodic_hand_example():
    """Forecast 10/week, L = 1, R = 1, safety stock 5 -> S = 2 x 10 + 5 = 25; on hand 25.
    Position: 25 (no order) -> 15 -> order 10 -> 15 -> order 10 ... each a pack of 1."""
    plan = replenishment_plan(_forecast([10.0] * 4), _plan_policy())
    assert plan["quantity"].tolist() == [10.0, 10.0, 10.0]
    assert plan["order_ds"].dt.strftime("%Y-%m-%d").tolist() == ["2026-11-09", "2026-11-16",
                                                                "2026-11-23"]
    assert plan["arrival_ds"].dt.strftime("%Y-%m-%d").tolist() == ["2026-11-16", "2026-11-23",
                                                                  "2026-11-30"]


def test_replenishment_plan_min_order_and_packs_hand_example():
    """R = 2, L = 2: S_t = 4 weeks of forecast + 0. Forecast 3, 5, 4, 6, 2, 2 (then 2 flat).
    t0: S = 3+5+4+6 = 18, position 4 -> raw 14, min 20 -> 20, packs of 6 -> 24; position 28.
    t2: position 28 - 3 - 5 = 20; S = 4+6+2+2 = 14 -> no order.
    t4: position 20 - 4 - 6 = 10; S = 2+2+2+2 = 8 -> no order."""
    pol = _plan_policy(on_hand=[4.0], lead_time=[2], review_period=[2], safety_stock=[0.0],
                       min_order=[20], pack_size=[6])
    plan = replenishment_plan(_forecast([3.0, 5, 4, 6, 2, 2]), pol)
    assert plan["quantity"].tolist() == [24.0]
    assert plan["inventory_position"].tolist() == [28.0]
    assert plan["arrival_ds"].iloc[0] == pd.Timestamp("2026-11-16")


def test_replenishment_plan_continuous_orders_multiples_of_q():
    """(s, Q) with s = 2 weeks x 10 + 5 = 25 and Q = 30: position 10 -> needs 15 -> one lot
    of 30 (position 40); then 30, 20 -> one lot (50); 40; 30."""
    pol = _plan_policy(on_hand=[10.0], policy=["continuous"], order_quantity=[30.0])
    plan = replenishment_plan(_forecast([10.0] * 5), pol)
    assert plan["quantity"].tolist() == [30.0, 30.0]
    assert plan["order_ds"].dt.strftime("%Y-%m-%d").tolist() == ["2026-11-02", "2026-11-16"]


def test_replenishment_plan_vectorised_equals_per_sku_calls():
    rng = np.random.default_rng(5)
    n = 12
    skus = [f"S{i:02d}" for i in range(n)]
    ds = pd.date_range("2026-11-02", periods=10, freq="W-MON")
    fc = pd.DataFrame({"unique_id": np.repeat(skus, 10), "ds": np.tile(ds, n),
                       "forecast": rng.uniform(0, 30, n * 10).round(1)})
    pol = pd.DataFrame({
        "unique_id": skus, "on_hand": rng.uniform(-5, 60, n), "on_order": rng.uniform(0, 20, n),
        "lead_time": rng.integers(0, 4, n), "review_period": rng.integers(1, 4, n),
        "policy": rng.choice(["periodic", "continuous"], n),
        "safety_stock": rng.uniform(0, 10, n), "order_quantity": rng.uniform(5, 40, n),
        "min_order": rng.uniform(0, 15, n), "pack_size": rng.choice([1.0, 4.0, 6.0], n),
    })
    together = replenishment_plan(fc, pol)
    one_by_one = pd.concat(
        [replenishment_plan(fc[fc["unique_id"] == s], pol[pol["unique_id"] == s]) for s in skus],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(together.reset_index(drop=True), one_by_one)
    assert (together["quantity"] >= pol.set_index("unique_id").loc[together["unique_id"],
                                                                   "min_order"].to_numpy()).all()


# --------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    ("call", "where"),
    [
        (lambda: safety_stock(0, 10, 2), "service_level"),
        (lambda: safety_stock(1, 10, 2), "service_level"),
        (lambda: safety_stock(95, 10, 2), "looks like a percentage"),
        (lambda: safety_stock(0.9, 10, -1), "lead_time"),
        (lambda: safety_stock(0.9, -10, 1), "demand_std"),
        (lambda: safety_stock(0.9, float("nan"), 1), "demand_std"),
        (lambda: safety_stock(0.9, 10, 1, lead_time_std=-1), "lead_time_std"),
        (lambda: safety_stock("0.9", 10, 1), "service_level"),
        (lambda: reorder_point(0.9, -5, 10, 1), "demand_mean"),
        (lambda: eoq(100, 10, 0), "holding_cost"),
        (lambda: eoq(-100, 10, 1), "annual_demand"),
        (lambda: safety_stock_fill_rate(1.0, 10, 2, 1, 10), "fill_rate"),
        (lambda: safety_stock_fill_rate(0.9, 10, 2, 1, 0), "order_quantity"),
        (lambda: kanban_containers(10, 1, 0), "container_size"),
        (lambda: kanban_containers(10, 1, 5, safety_factor=-0.1), "safety_factor"),
        (lambda: safety_stock(np.array([0.9, 1.2]), 10, 1), "service_level[1]"),
        (lambda: safety_stock(0.9, pd.Series([1.0, -2.0], index=["A", "B"]), 1),
         "demand_std['B']"),
        (lambda: safety_stock(0.9, [1.0, 2.0], [1.0, 2.0, 3.0]), "shapes do not broadcast"),
        (lambda: empirical_safety_stock(pd.DataFrame({"unique_id": ["A"]}), 0.9), "'error'"),
        (lambda: empirical_safety_stock(np.ones(3), 0.9), "2-D"),
        (lambda: empirical_safety_stock(np.array([[1.0, 2.0], [np.nan, np.nan]]), 0.9),
         "lead_time_errors[1]"),
        (lambda: empirical_safety_stock(np.ones((2, 3)), 0), "service_level"),
        (lambda: empirical_safety_stock(np.ones((2, 3)), [0.5, 0.6, 0.7]), "service_level"),
    ],
)
def test_bad_scalar_inputs_raise_input_error_naming_the_parameter(call, where):
    with pytest.raises(InputError) as info:
        call()
    assert where in str(info.value)
    assert "expected" in str(info.value)


@pytest.mark.parametrize(
    ("forecast", "policy", "where"),
    [
        (_forecast([10.0] * 4), _plan_policy(lead_time=[-1]), "column 'lead_time'"),
        (_forecast([10.0] * 4), _plan_policy(on_hand=[np.nan]), "column 'on_hand'"),
        (_forecast([10.0] * 4), _plan_policy(policy=["kanban"]), "column 'policy'"),
        (_forecast([10.0] * 4), _plan_policy(policy=["continuous"]), "'order_quantity'"),
        (_forecast([10.0] * 4), _plan_policy().drop(columns="lead_time"), "'lead_time'"),
        (_forecast([10.0, -1, 10, 10]), _plan_policy(), "row 2, column 'forecast'"),
        (_forecast([10.0] * 4), _plan_policy(unique_id=["B"]), "unique_id 'B'"),
        (_forecast([10.0] * 4, skus=("A", "B")).drop(index=6),
         _plan_policy(unique_id=["A", "B"], on_hand=[1.0, 2.0], lead_time=[1, 1],
                      review_period=[1, 1], safety_stock=[0.0, 0.0]),
         "unique_id 'B' and ds 2026-11-16"),
        (pd.concat([_forecast([10.0] * 4)] * 2), _plan_policy(), "appear twice"),
    ],
)
def test_bad_plan_inputs_raise_input_error_naming_row_column_or_sku(forecast, policy, where):
    with pytest.raises(InputError) as info:
        replenishment_plan(forecast, policy)
    assert where in str(info.value)


def test_inputs_are_not_modified():
    fc, pol = _forecast([10.0] * 4), _plan_policy()
    before = (fc.copy(deep=True), pol.copy(deep=True))
    replenishment_plan(fc, pol)
    pd.testing.assert_frame_equal(fc, before[0])
    pd.testing.assert_frame_equal(pol, before[1])
    sd = pd.Series([1.0, 2.0])
    safety_stock(0.9, sd, 2)
    assert sd.tolist() == [1.0, 2.0]


def test_lead_time_of_forecast_errors_is_whole_periods_of_at_least_one():
    """The lead time of lead_time_forecast_errors uses the same Interval(int, 1) wording as a
    scalar argument (issue 6: one constraint vocabulary for scalars and arrays)."""
    ds = pd.date_range("2026-01-05", periods=4, freq="W-MON")
    demand = pd.DataFrame({"unique_id": "A", "ds": ds, "y": [10, 12, 9, 11]})
    fc = pd.DataFrame({"unique_id": "A", "ds": ds, "forecast": 10.0})
    with pytest.raises(InputError, match=r"^lead_time: got 1.5; expected a whole number of at least 1$"):
        lead_time_forecast_errors(demand, fc, 1.5)
    with pytest.raises(InputError, match=r"^lead_time: got 0; expected a whole number of at least 1$"):
        lead_time_forecast_errors(demand, fc, 0)


def test_to_wide_refuses_text_cells_naming_row_and_column():
    """A value that is not a number is an InputError naming the table, row and column (was a
    raw ValueError from numpy), with validate.frame's wording; numbers written as text and
    empty cells still pass."""
    from btm.errors import InputError
    from btm.inventory import to_wide

    ds = pd.date_range("2026-01-05", periods=2, freq="W-MON")
    d = pd.DataFrame({"unique_id": ["A", "A", "B"], "ds": [ds[0], ds[1], ds[1]],
                      "y": ["1", "2.5", None]})
    out = to_wide(d, "y", pd.Index(["A", "B"]), ds)
    np.testing.assert_array_equal(out, [[1.0, 2.5], [np.nan, np.nan]])
    with pytest.raises(InputError, match=r"^safety, row 3, column 'y': got 'n/a'; expected a "
                                         r"number$"):
        to_wide(d.assign(y=["1", "2", "n/a"]), "y", pd.Index(["A", "B"]), ds, source="safety")
    with pytest.raises(InputError, match=r"^table, row 1, column 'y': got True; expected a "
                                         r"number$"):
        to_wide(d.assign(y=[True, 1.0, 2.0]), "y", pd.Index(["A", "B"]), ds)
