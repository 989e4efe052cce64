"""Tests of btm.replay (policy replay) and of the sample data in data/demand/.

The replay is checked against (1) a tiny example worked by hand below (2 SKUs, 6 weeks), (2) a
plain per-SKU Python loop written independently here from the timing documented in
btm.replay (review, receive, demand), and (3) properties any inventory simulation must keep
(stock balance, no negative stock under lost sales, causality, more service costs more stock).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from btm import InputError
from btm.replay import policy_from_skus, replay, tradeoff_curve

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "demand"
DS = pd.date_range("2026-01-05", periods=8, freq="W-MON")


# --------------------------------------------------------------------------- hand example


def tiny():
    """2 weeks of history (not used by the forecast policy) and 6 replayed weeks."""
    demand = pd.DataFrame({
        "unique_id": ["A"] * 8 + ["B"] * 8,
        "ds": list(DS) * 2,
        "y": [9, 11, 8, 12, 10, 15, 5, 10] + [5, 7, 4, 7, 6, 3, 9, 2],
    })
    forecasts = pd.DataFrame({
        "unique_id": ["A"] * 6 + ["B"] * 6,
        "ds": list(DS[2:]) * 2,
        "forecast": [10.0] * 6 + [6.0] * 6,
        "forecast_std": 0.0,
    })
    policy = pd.DataFrame({
        "unique_id": ["A", "B"], "lead_time": [1, 0], "review_period": [1, 2],
        "service_level": [0.5, 0.5], "holding_cost": [0.5, 0.2], "unit_cost": [3.0, 2.0],
        "order_cost": [20.0, 10.0], "shortage_cost": [4.0, 4.0], "min_order": [0, 10],
        "pack_size": [1, 5],
    })
    return demand, forecasts, policy


def test_hand_example_lost_sales_two_skus_six_weeks():
    """Worked by hand.

    SKU A: L = 1, R = 1, forecast 10, sd 0 -> S = 10 x (1 + 1) = 20; initial stock = forecast
    over the lead time = 10. Demand 8, 12, 10, 15, 5, 10.

    ====  ===================  =====  =======  ======  ======  =====
    week  position -> order    recv   on hand  demand  filled  lost
    ====  ===================  =====  =======  ======  ======  =====
    0     10 + 0  -> 10          0     10->2     8       8      0
    1      2 + 10 ->  8         10    12->0     12      12      0
    2      0 + 8  -> 12          8     8->0     10       8      2
    3      0 + 12 ->  8         12    12->0     15      12      3
    4      0 + 8  -> 12          8     8->3      5       5      0
    5      3 + 12 ->  5         12    15->5     10      10      0
    ====  ===================  =====  =======  ======  ======  =====

    Fill rate 55/60; 2 stockout weeks, CSL 4/6; average stock (2+0+0+0+3+5)/6 = 10/6;
    holding 0.5 x 10 = 5, ordering 6 x 20 = 120, shortage 4 x 5 = 20, total 145.

    SKU B: L = 0, R = 2, forecast 6 -> S = 6 x 2 = 12, min order 10, packs of 5; initial 0.
    Week 0: order 12 -> 15 (3 packs), received at once, 15 - 4 = 11; week 1: 11 - 7 = 4;
    week 2: order 12 - 4 = 8 -> 10, 14 - 6 = 8; week 3: 5; week 4: order 7 -> 10, 15 - 9 = 6;
    week 5: 4. No stockout; average stock 38/6; holding 0.2 x 38 = 7.6, ordering 3 x 10 = 30.
    """
    demand, forecasts, policy = tiny()
    result = replay(demand, forecasts, policy, naive=None)
    tl = result.timeline.set_index(["unique_id", "ds"])
    a, b = tl.loc["A"], tl.loc["B"]
    assert a["orders"].tolist() == [10, 8, 12, 8, 12, 5]
    assert a["receipts"].tolist() == [0, 10, 8, 12, 8, 12]
    assert a["on_hand"].tolist() == [2, 0, 0, 0, 3, 5]
    assert a["filled"].tolist() == [8, 12, 8, 12, 5, 10]
    assert a["stockout"].tolist() == [False, False, True, True, False, False]
    assert a["on_order"].tolist() == [10, 8, 12, 8, 12, 5]
    assert b["orders"].tolist() == [15, 0, 10, 0, 10, 0]
    assert b["on_hand"].tolist() == [11, 4, 8, 5, 6, 4]

    s = result.summary.set_index("unique_id")
    assert s.loc["A", "fill_rate"] == pytest.approx(55 / 60)
    assert s.loc["A", "cycle_service_level"] == pytest.approx(4 / 6)
    assert s.loc["A", "stockout_periods"] == 2
    assert s.loc["A", "average_inventory"] == pytest.approx(10 / 6)
    assert s.loc["A", "average_inventory_value"] == pytest.approx(3 * 10 / 6)
    assert s.loc["A", ["holding_cost", "ordering_cost", "shortage_cost", "total_cost"]].tolist() \
        == pytest.approx([5, 120, 20, 145])
    # Turns: 55 units sold in 6 weeks -> 55 x 52 / 6 a year over an average 10/6 in stock.
    assert s.loc["A", "turns"] == pytest.approx((55 * 52 / 6) / (10 / 6))
    assert s.loc["B", "fill_rate"] == 1.0
    assert s.loc["B", "cycle_service_level"] == 1.0
    assert s.loc["B", ["holding_cost", "ordering_cost", "total_cost"]].tolist() == pytest.approx(
        [7.6, 30, 37.6]
    )
    o = result.overall.set_index("policy").loc["forecast"]
    assert o["fill_rate"] == pytest.approx((55 + 31) / (60 + 31))
    assert o["cycle_service_level"] == pytest.approx((4 + 3) / (6 + 3))
    assert o["average_inventory_value"] == pytest.approx(3 * 10 / 6 + 2 * 38 / 6)
    assert o["total_cost"] == pytest.approx(145 + 37.6)


def test_hand_example_backorders():
    """SKU A with backorders (shortage cost 4 per unit per week on backorder):

    week 0: order 10; stock 10 - 8 = 2.     week 1: position 12 -> 8; 2 + 10 - 12 = 0.
    week 2: position 8 -> 12; 0 + 8 - 10 = -2 (filled 8).
    week 3: position -2 + 12 = 10 -> 10; -2 + 12 - 15 = -5 (filled 10).
    week 4: position -5 + 10 = 5 -> 15; -5 + 10 - 5 = 0 (filled 5).
    week 5: position 15 -> 5; 0 + 15 - 10 = 5.
    Filled 53 of 60; backorders 2 + 5 = 7 unit-weeks -> shortage 28; holding 0.5 x 7 = 3.5.
    """
    demand, forecasts, policy = tiny()
    result = replay(demand, forecasts, policy, shortage="backorders", naive=None)
    a = result.timeline.set_index(["unique_id", "ds"]).loc["A"]
    assert a["orders"].tolist() == [10, 8, 12, 10, 15, 5]
    assert a["backorder"].tolist() == [0, 0, 2, 5, 0, 0]
    assert a["on_hand"].tolist() == [2, 0, 0, 0, 0, 5]
    s = result.summary.set_index("unique_id").loc["A"]
    assert s["fill_rate"] == pytest.approx(53 / 60)
    assert s[["holding_cost", "shortage_cost", "total_cost"]].tolist() == pytest.approx(
        [3.5, 28, 151.5]
    )


def test_naive_policies_use_history_only():
    """'historical': mean and sd of the 2 history weeks (A: 9, 11 -> mean 10, sd sqrt 2);
    'last_period': the previous week's demand."""
    demand, forecasts, policy = tiny()
    hist = replay(demand, forecasts, policy, naive="historical").timeline
    naive_a = hist[(hist["policy"] == "naive") & (hist["unique_id"] == "A")]
    assert naive_a["forecast"].unique().tolist() == [10.0]
    assert naive_a["level"].unique() == pytest.approx([20.0])  # z = 0 at service level 0.5
    last = replay(demand, forecasts, policy, naive="last_period").timeline
    last_a = last[(last["policy"] == "naive") & (last["unique_id"] == "A")]
    assert last_a["forecast"].tolist() == [11, 8, 12, 10, 15, 5]


def test_default_forecast_std_is_historical_std_of_demand():
    demand, forecasts, policy = tiny()
    policy["service_level"] = 0.9
    r = replay(demand, forecasts.drop(columns="forecast_std"), policy, naive=None)
    level_a = r.timeline.loc[r.timeline["unique_id"] == "A", "level"].iloc[0]
    sd = np.std([9, 11], ddof=1)
    assert level_a == pytest.approx(10 * 2 + stats.norm.ppf(0.9) * sd * math.sqrt(2))


# --------------------------------------------------------------------------- reference loop


def reference_replay(y, f, sd, lead, review, sl, lot, min_order, pack, start_stock, backorders):
    """Plain loop for ONE SKU, written from the documented rules, to cross-check the arrays."""
    z = stats.norm.ppf(sl)
    net, pipeline = float(start_stock), {}
    rows = []
    for t, demand in enumerate(y):
        level = f[t] * (lead + review) + z * sd[t] * math.sqrt(lead + review)
        position = net + sum(pipeline.values())
        order = 0.0
        if t % review == 0:
            if lot > 0:
                if position < level - 1e-9:
                    order = math.ceil((level - position) / lot - 1e-9) * lot
            elif level - position > 1e-9:
                order = level - position
            if order > 0:
                order = max(order, min_order)
                if pack > 0:
                    order = math.ceil(order / pack - 1e-9) * pack
        if order > 0:
            pipeline[t + lead] = pipeline.get(t + lead, 0.0) + order
        received = pipeline.pop(t, 0.0)
        net += received
        filled = min(max(net, 0.0), demand)
        net -= demand if backorders else filled
        rows.append((order, received, max(net, 0.0), max(-net, 0.0), filled))
    return np.array(rows)


@pytest.mark.parametrize("shortage", ["lost_sales", "backorders"])
def test_vectorised_replay_equals_per_sku_reference_loop(shortage):
    rng = np.random.default_rng(42)
    n, hist, T = 40, 10, 20
    skus = [f"S{i:02d}" for i in range(n)]
    ds = pd.date_range("2025-01-06", periods=hist + T, freq="W-MON")
    y = rng.poisson(rng.uniform(0, 30, (n, 1)), (n, hist + T)).astype(float)
    f = np.maximum(y[:, hist - 1:-1] + rng.normal(0, 3, (n, T)), 0).round(2)
    sd = rng.uniform(0, 8, (n, T))
    policy = pd.DataFrame({
        "unique_id": skus, "lead_time": rng.integers(0, 5, n), "review_period":
        rng.integers(1, 4, n), "service_level": rng.uniform(0.3, 0.99, n), "holding_cost": 1.0,
        "unit_cost": 2.0, "min_order": rng.choice([0.0, 7.0], n),
        "pack_size": rng.choice([0.0, 1.0, 4.0], n),
        "order_quantity": np.where(rng.random(n) < 0.3, rng.uniform(5, 40, n), 0.0),
        "initial_on_hand": rng.uniform(0, 60, n).round(),
    })
    demand = pd.DataFrame({"unique_id": np.repeat(skus, hist + T), "ds": np.tile(ds, n),
                           "y": y.ravel()})
    forecasts = pd.DataFrame({"unique_id": np.repeat(skus, T), "ds": np.tile(ds[hist:], n),
                              "forecast": f.ravel(), "forecast_std": sd.ravel()})
    result = replay(demand, forecasts, policy, shortage=shortage, naive=None)
    tl = result.timeline
    for i, row in policy.iterrows():
        ref = reference_replay(
            y[i, hist:], f[i], sd[i], row["lead_time"], row["review_period"],
            row["service_level"], row["order_quantity"], row["min_order"], row["pack_size"],
            row["initial_on_hand"], shortage == "backorders",
        )
        got = tl[tl["unique_id"] == row["unique_id"]]
        np.testing.assert_allclose(
            got[["orders", "receipts", "on_hand", "backorder", "filled"]].to_numpy(), ref,
            atol=1e-9, err_msg=row["unique_id"],
        )


# --------------------------------------------------------------------------- properties


@st.composite
def scenarios(draw):
    n = draw(st.integers(1, 4))
    T = draw(st.integers(3, 12))
    y = draw(st.lists(st.integers(0, 40), min_size=n * (T + 2), max_size=n * (T + 2)))
    f = draw(st.lists(st.floats(0, 40), min_size=n * T, max_size=n * T))
    lead = draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    review = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    pack = draw(st.lists(st.sampled_from([0.0, 1.0, 5.0]), min_size=n, max_size=n))
    sl = draw(st.floats(0.05, 0.99))
    skus = [f"S{i}" for i in range(n)]
    ds = pd.date_range("2026-01-05", periods=T + 2, freq="W-MON")
    demand = pd.DataFrame({"unique_id": np.repeat(skus, T + 2), "ds": np.tile(ds, n), "y": y})
    forecasts = pd.DataFrame({"unique_id": np.repeat(skus, T), "ds": np.tile(ds[2:], n),
                              "forecast": f, "forecast_std": 2.0})
    policy = pd.DataFrame({"unique_id": skus, "lead_time": lead, "review_period": review,
                           "service_level": sl, "holding_cost": 1.0, "unit_cost": 1.0,
                           "pack_size": pack})
    return demand, forecasts, policy


@settings(max_examples=20, deadline=None)
@given(scenarios(), st.sampled_from(["lost_sales", "backorders"]))
def test_stock_balance_and_no_negative_stock(scenario, shortage):
    demand, forecasts, policy = scenario
    tl = replay(demand, forecasts, policy, shortage=shortage).timeline
    assert (tl["on_hand"] >= 0).all() and (tl["on_order"] >= -1e-9).all()
    assert (tl["filled"] <= tl["demand"] + 1e-9).all()
    if shortage == "lost_sales":
        assert (tl["backorder"] == 0).all()
    for _, g in tl.groupby(["policy", "unique_id"]):
        net = (g["on_hand"] - g["backorder"]).to_numpy()
        opening = net[0] - g["receipts"].iloc[0] + (
            g["demand"].iloc[0] if shortage == "backorders" else g["filled"].iloc[0])
        previous = np.concatenate([[opening], net[:-1]])
        used = g["demand"] if shortage == "backorders" else g["filled"]
        np.testing.assert_allclose(net, previous + g["receipts"] - used, atol=1e-9)
        pipeline = np.cumsum(g["orders"] - g["receipts"])
        np.testing.assert_allclose(g["on_order"], pipeline, atol=1e-9)


@settings(max_examples=15, deadline=None)
@given(scenarios(), st.integers(0, 11))
def test_orders_use_only_forecasts_available_at_the_time(scenario, cut):
    """Changing forecasts from period `cut` on must not change anything before `cut`."""
    demand, forecasts, policy = scenario
    first = forecasts["ds"].min()
    later = forecasts["ds"] >= first + pd.Timedelta(weeks=cut)
    changed = forecasts.copy()
    changed.loc[later, "forecast"] = changed.loc[later, "forecast"] * 3 + 7
    a = replay(demand, forecasts, policy, naive=None).timeline
    b = replay(demand, changed, policy, naive=None).timeline
    before = a["ds"] < first + pd.Timedelta(weeks=cut)
    pd.testing.assert_frame_equal(a[before].drop(columns=["forecast", "level"]),
                                  b[before].drop(columns=["forecast", "level"]))


@settings(max_examples=20, deadline=None)
@given(scenarios(), st.floats(0.05, 0.95), st.floats(0.05, 0.95))
def test_higher_service_level_never_less_stock_or_service_with_backorders(scenario, a, b):
    """With backorders, order-up-to every period and no rounding, net stock is S - demand over
    the protection interval, so a higher S raises stock and fill rate on every sample path."""
    demand, forecasts, policy = scenario
    policy = policy.assign(review_period=1, pack_size=0.0)
    low, high = sorted((a, b))
    curve = tradeoff_curve(demand, forecasts, policy, service_levels=[low, high],
                           shortage="backorders", naive=None)
    assert curve["average_inventory_value"].iloc[1] >= curve["average_inventory_value"].iloc[0] \
        - 1e-9
    assert curve["fill_rate"].iloc[1] >= curve["fill_rate"].iloc[0] - 1e-12


def test_tradeoff_curve_on_sample_data_is_monotone():
    """200 sample SKUs, last 52 weeks, 13-week moving-average forecasts: more service costs
    more inventory for both policies (lost sales)."""
    demand = pd.read_csv(DATA / "demand.csv", parse_dates=["ds"])
    skus = pd.read_csv(DATA / "skus.csv")
    y = demand.pivot(index="unique_id", columns="ds", values="y")
    past = y.shift(1, axis=1)
    f = past.T.rolling(13, min_periods=4).mean().T
    sd = past.T.rolling(26, min_periods=4).std().T
    window = y.columns[-52:]
    forecasts = pd.DataFrame({
        "unique_id": np.repeat(y.index, 52), "ds": np.tile(window, len(y)),
        "forecast": f[window].to_numpy().ravel(), "forecast_std": sd[window].to_numpy().ravel(),
    })
    policy = policy_from_skus(skus, shortage_cost_rate=0.5).assign(min_order=0, pack_size=1)
    curve = tradeoff_curve(demand, forecasts, policy, service_levels=[0.5, 0.8, 0.9, 0.95, 0.99])
    assert list(curve.columns[:4]) == ["policy", "service_level", "average_inventory_value",
                                       "fill_rate"]
    for _, g in curve.groupby("policy"):
        assert g["average_inventory_value"].is_monotonic_increasing
        assert g["fill_rate"].is_monotonic_increasing
        assert g["cycle_service_level"].is_monotonic_increasing


def test_tradeoff_curve_rows_equal_single_replays():
    demand, forecasts, policy = tiny()
    curve = tradeoff_curve(demand, forecasts.assign(forecast_std=2.0), policy,
                           service_levels=[0.6, 0.9])
    for sl in (0.6, 0.9):
        single = replay(demand, forecasts.assign(forecast_std=2.0),
                        policy.assign(service_level=sl)).overall.set_index("policy")
        rows = curve[curve["service_level"] == sl].set_index("policy")
        for col in ("average_inventory_value", "fill_rate", "total_cost"):
            assert rows[col].to_numpy() == pytest.approx(single.loc[rows.index, col].to_numpy())


# --------------------------------------------------------------------------- given safety stock


def _given_safety_stock_example():
    """One SKU, lead time 1, review 1 (cover L + R = 2), lost sales, 2 weeks of history and 4
    replayed weeks with demand 12, 8, 18, 10, forecast 10 per week, forecast_std 2 and a
    given safety stock 3, (empty), 5, 0."""
    ds = DS[:6]
    demand = pd.DataFrame({"unique_id": "A", "ds": ds, "y": [10, 10, 12, 8, 18, 10]})
    forecasts = pd.DataFrame({"unique_id": "A", "ds": ds[2:], "forecast": 10.0,
                              "forecast_std": 2.0, "safety_stock": [3.0, np.nan, 5.0, 0.0]})
    policy = pd.DataFrame({"unique_id": ["A"], "lead_time": [1], "service_level": [0.9],
                           "holding_cost": [0.1], "unit_cost": [5.0]})
    return demand, forecasts, policy


def test_given_safety_stock_hand_example():
    """Worked by hand from the timing of btm.replay (review, receive, demand).

    Levels S_t = 10 * 2 + ss_t: week 1: 20 + 3 = 23; week 2 (empty: normal formula)
    20 + z(0.9) * 2 * sqrt(2) = 20 + 1.28155 * 2.82843 = 23.6248; week 3: 25; week 4: 20.
    Initial stock = ceil(forecast over L + safety stock of week 1) = ceil(10 + 3) = 13.

    ====  ========  =====================  ======  ========  ======  =====  ========
    week  position  order                  receipt  on hand   demand  filled  end
    ====  ========  =====================  ======  ========  ======  =====  ========
    1     13        23 - 13 = 10           0        13        12      12      1
    2     1+10=11   ceil(12.6248) = 13     10       11        8       8       3
    3     3+13=16   25 - 16 = 9            13       16        18      16      0 (2 lost)
    4     0+9=9     20 - 9 = 11            9        9         10      9       0 (1 lost)
    ====  ========  =====================  ======  ========  ======  =====  ========

    Fill rate = (48 - 3) / 48 = 0.9375.
    """
    demand, forecasts, policy = _given_safety_stock_example()
    r = replay(demand, forecasts, policy, naive=None)
    tl = r.timeline
    normal = 20 + stats.norm.ppf(0.9) * 2 * math.sqrt(2)
    assert normal == pytest.approx(23.6248, abs=1e-4)
    np.testing.assert_allclose(tl["level"], [23, normal, 25, 20])
    np.testing.assert_allclose(tl["orders"], [10, 13, 9, 11])
    np.testing.assert_allclose(tl["receipts"], [0, 10, 13, 9])
    np.testing.assert_allclose(tl["on_hand"], [1, 3, 0, 0])
    np.testing.assert_allclose(tl["unmet"], [0, 0, 2, 1])
    assert r.summary["fill_rate"].iloc[0] == pytest.approx(45 / 48)


def test_given_safety_stock_leaves_the_naive_policy_and_empty_cells_on_the_normal_formula():
    demand, forecasts, policy = _given_safety_stock_example()
    with_ss = replay(demand, forecasts, policy).timeline
    without = replay(demand, forecasts.drop(columns="safety_stock"), policy).timeline
    empty = replay(demand, forecasts.assign(safety_stock=np.nan), policy).timeline
    pd.testing.assert_frame_equal(empty, without)
    naive = with_ss["policy"] == "naive"
    np.testing.assert_allclose(with_ss.loc[naive, "level"], without.loc[naive, "level"])
    fc = ~naive
    assert not np.allclose(with_ss.loc[fc, "level"], without.loc[fc, "level"])


def test_tradeoff_curve_safety_stocks_per_level_equal_single_replays():
    """Each level of the curve equals replay() with that level's safety_stock column."""
    demand, forecasts, policy = tiny()
    rng = np.random.default_rng(5)
    levels = [0.6, 0.9]
    per_level = {sl: forecasts.assign(safety_stock=np.r_[rng.uniform(0, 6, 11), np.nan])
                 for sl in levels}
    long = pd.concat([f.assign(service_level=sl)[["unique_id", "ds", "service_level",
                                                   "safety_stock"]]
                      for sl, f in per_level.items()], ignore_index=True)
    curve = tradeoff_curve(demand, forecasts, policy, service_levels=levels,
                           safety_stocks=long)
    for sl in levels:
        single = replay(demand, per_level[sl], policy.assign(service_level=sl)
                        ).overall.set_index("policy")
        rows = curve[curve["service_level"] == sl].set_index("policy")
        for col in ("average_inventory_value", "fill_rate", "total_cost"):
            assert rows[col].to_numpy() == pytest.approx(single.loc[rows.index, col].to_numpy())
    plain = tradeoff_curve(demand, forecasts, policy, service_levels=levels)
    assert not np.allclose(plain["average_inventory_value"], curve["average_inventory_value"])


def test_given_safety_stock_bad_input_names_row_and_column():
    demand, forecasts, policy = _given_safety_stock_example()
    with pytest.raises(InputError, match=r"forecasts, row 2, column 'safety_stock'"):
        replay(demand, forecasts.assign(safety_stock=[1.0, -1.0, 0.0, 0.0]), policy)
    with pytest.raises(InputError, match="safety_stocks"):
        tradeoff_curve(demand, forecasts, policy, service_levels=[0.9])
    with pytest.raises(InputError, match="safety_stocks, row 1, column 'service_level'"):
        tradeoff_curve(demand, forecasts.drop(columns="safety_stock"), policy,
                       service_levels=[0.9],
                       safety_stocks=forecasts.assign(service_level=[2.0, 0.9, 0.9, 0.9]))


# --------------------------------------------------------------------------- bad inputs


def _bad(change):
    demand, forecasts, policy = tiny()
    return change(demand, forecasts, policy)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d, f, p: (d, f, p.assign(service_level=[0.5, 1.0])),
         "row 2, column 'service_level'"),
        (lambda d, f, p: (d, f, p.assign(service_level=[0.0, 0.5])),
         "policy, row 1, column 'service_level': got 0; expected a value strictly between"),
        (lambda d, f, p: (d, f, p.assign(service_level=[0.5, 95])),
         "row 2, column 'service_level': got 95, which looks like a percentage"),
        (lambda d, f, p: (d, f, p.assign(lead_time=[1, -1])), "row 2, column 'lead_time'"),
        (lambda d, f, p: (d, f, p.assign(holding_cost=[np.nan, 1])),
         "row 1, column 'holding_cost'"),
        (lambda d, f, p: (d, f, p.drop(columns="unit_cost")), "'unit_cost'"),
        (lambda d, f, p: (d.assign(y=[-1] + [1] * 15), f, p), "demand, row 1, column 'y'"),
        (lambda d, f, p: (d.drop(columns="ds"), f, p), "demand: missing column(s) 'ds'"),
        (lambda d, f, p: (d, f.assign(forecast=[np.nan] + [1.0] * 11), p),
         "forecasts, row 1, column 'forecast'"),
        (lambda d, f, p: (d, f.iloc[1:], p), "unique_id 'A' and ds 2026-01-19"),
        (lambda d, f, p: (d[d["unique_id"] == "A"], f, p), "demand: no rows for SKU 'B'"),
        (lambda d, f, p: (d.iloc[:-1], f, p), "unique_id 'B' and ds 2026-02-23"),
        (lambda d, f, p: (pd.concat([d, d.iloc[:1]]), f, p), "appear twice"),
        (lambda d, f, p: (d, f, pd.concat([p, p.iloc[:1]])), "appears twice"),
        (lambda d, f, p: (d.iloc[1:], f, p), "SKU 'A' has 1 period(s) of history"),
    ],
)
def test_bad_replay_inputs_raise_input_error_naming_row_column_or_sku(change, where):
    demand, forecasts, policy = _bad(change)
    with pytest.raises(InputError) as info:
        replay(demand, forecasts, policy)
    assert where in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "where"),
    [({"shortage": "lost"}, "shortage"), ({"naive": "mean"}, "naive"),
     ({"periods_per_year": 0}, "periods_per_year"), ({"start": "2030-01-01"}, "start"),
     ({"start": "2026-01-05"}, "start")],
)
def test_bad_replay_options_raise_input_error(kwargs, where):
    demand, forecasts, policy = tiny()
    with pytest.raises(InputError, match=where):
        replay(demand, forecasts, policy, **kwargs)


def test_bad_tradeoff_levels_raise_input_error():
    demand, forecasts, policy = tiny()
    with pytest.raises(InputError, match=r"service_levels\[1\]"):
        tradeoff_curve(demand, forecasts, policy, service_levels=[0.9, 95])


def test_a_100_percent_service_level_is_refused_everywhere_in_the_replay():
    """The column, policy_from_skus and tradeoff_curve agree: the normal rule needs
    z = Phi^-1(service_level), infinite at 1, so 1 is refused (not silently accepted by one
    declaration and refused by another check)."""
    demand, forecasts, policy = tiny()
    expected = "got 1; expected a value strictly between 0 and 1"
    with pytest.raises(InputError, match="policy, row 1, column 'service_level': " + expected):
        replay(demand, forecasts, policy.assign(service_level=1.0))
    with pytest.raises(InputError, match=r"service_levels\[0\]: " + expected):
        tradeoff_curve(demand, forecasts, policy, service_levels=[1.0])
    with pytest.raises(InputError, match="service_level: " + expected):
        policy_from_skus(pd.DataFrame({"unique_id": ["A"], "unit_cost": [1.0],
                                       "lead_time_weeks": [1], "order_cost": [0.0],
                                       "holding_cost_rate": [0.2]}), service_level=1)
    with pytest.raises(InputError, match="service_levels: got "):
        tradeoff_curve(demand, forecasts, policy, service_levels=[])


def test_replay_does_not_modify_inputs():
    demand, forecasts, policy = tiny()
    copies = [x.copy(deep=True) for x in (demand, forecasts, policy)]
    replay(demand, forecasts, policy)
    for before, after in zip(copies, (demand, forecasts, policy), strict=True):
        pd.testing.assert_frame_equal(before, after)


# --------------------------------------------------------------------------- sample data


def test_sample_data_matches_generator_and_dictionary():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import make_demand_data
    finally:
        sys.path.pop(0)
    demand, skus = make_demand_data.generate()
    assert (DATA / "demand.csv").read_text() == demand.to_csv(index=False,
                                                               date_format="%Y-%m-%d")
    assert (DATA / "skus.csv").read_text() == skus.to_csv(index=False)
    assert sum(p.stat().st_size for p in DATA.glob("*.csv")) < 1_000_000
    readme = (DATA / "README.md").read_text()
    for column in list(demand.columns) + list(skus.columns):
        assert f"`{column}`" in readme, column


def test_sample_data_shape_and_syntetos_boylan_classes():
    """200 SKUs x 156 W-MON weeks ending 2026-10-26, whole non-negative units; every pattern
    lands in its Syntetos-Boylan (2005) quadrant: ADI cut-off 1.32, CV2 cut-off 0.49."""
    demand = pd.read_csv(DATA / "demand.csv", parse_dates=["ds"])
    skus = pd.read_csv(DATA / "skus.csv")
    assert demand["unique_id"].nunique() == 200 == len(skus)
    assert demand.groupby("unique_id").size().eq(156).all()
    dates = pd.DatetimeIndex(sorted(demand["ds"].unique()))
    assert dates.equals(pd.date_range(end="2026-10-26", periods=156, freq="W-MON"))
    assert (demand["y"] >= 0).all() and demand["y"].dtype.kind == "i"
    nonzero = demand[demand["y"] > 0].groupby("unique_id")["y"]
    adi = 156 / nonzero.size()
    cv2 = nonzero.var(ddof=0) / nonzero.mean() ** 2
    cls = np.where(adi < 1.32, np.where(cv2 < 0.49, "smooth", "erratic"),
                   np.where(cv2 < 0.49, "intermittent", "lumpy"))
    got = pd.Series(cls, index=adi.index)
    expected = skus.set_index("unique_id")["pattern"].replace(
        {"seasonal": "smooth", "trending": "smooth"})
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False)
    assert set(skus["pattern"]) == {"smooth", "seasonal", "trending", "erratic",
                                    "intermittent", "lumpy"}
    assert skus["holding_cost_rate"].between(0, 1).all()
    assert (skus["min_order"] % skus["pack_size"] == 0).sum() >= 100


def test_policy_from_skus_refuses_a_repeated_sku():
    """Issue 14: a SKU listed twice in the master used to give two policies for one SKU."""
    skus = pd.DataFrame({"unique_id": ["A", "B", "A"], "unit_cost": [1.0, 2.0, 3.0],
                         "lead_time_weeks": [1, 1, 1], "order_cost": [1.0, 1.0, 1.0],
                         "holding_cost_rate": [0.2, 0.2, 0.2]})
    with pytest.raises(InputError, match=r"^skus, rows 1 and 3, column 'unique_id': 'A' "
                                             r"appears twice; expected each unique_id once"):
        policy_from_skus(skus)
