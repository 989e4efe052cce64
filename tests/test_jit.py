"""Tests of the JIT flow: rolling one-step forecasts, the per-SKU plan, the replay, key messages.

Oracles: statsforecast (its own cross_validation and forecast on the same data), stockpyl
(EOQ, Snyder & Shen eq. 3.4), numpy quantiles and standard deviations computed here by hand
with plain loops, and the closed forms of btm.inventory (tested there against Chopra & Meindl).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("statsforecast")

from btm import InputError, jit, messages
from btm.files import package_root
from btm.forecast import rolling_forecasts
from btm.inventory import lead_time_forecast_errors, safety_stock

DATA = package_root() / "data" / "demand"
#: one SKU per pattern of data/demand/README.md: smooth (pack 10), seasonal, erratic (pack 6,
#: min order 12), intermittent, lumpy (pack 6, min order 12)
FEW = ["SKU-002", "SKU-042", "SKU-107", "SKU-137", "SKU-172"]


@pytest.fixture(scope="module")
def demand() -> pd.DataFrame:
    return pd.read_csv(DATA / "demand.csv")


@pytest.fixture(scope="module")
def skus() -> pd.DataFrame:
    return pd.read_csv(DATA / "skus.csv")


@pytest.fixture(scope="module")
def few(demand: pd.DataFrame) -> pd.DataFrame:
    return demand.loc[demand["unique_id"].isin(FEW)].reset_index(drop=True)


@pytest.fixture(scope="module")
def small_plan(few: pd.DataFrame, skus: pd.DataFrame) -> jit.JITPlan:
    return jit.plan(few, skus, horizon=12, service_level=0.95)


def _weekly(y: np.ndarray, uid: str = "A", start: str = "2024-01-01") -> pd.DataFrame:
    ds = pd.date_range(start, periods=len(y), freq="W-MON")
    return pd.DataFrame({"unique_id": uid, "ds": ds, "y": np.asarray(y, dtype=float)})


# --------------------------------------------------------------------------- rolling forecasts


def test_rolling_forecasts_forced_autoets_equals_statsforecast_cross_validation(few):
    """models=["AutoETS"]: the rolling forecasts are statsforecast's own cross_validation
    (h=1, step_size=1, refit=False: fitted at the first origin, then updated)."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    hist = few.loc[few["unique_id"].isin(["SKU-002", "SKU-042"])].assign(
        ds=lambda d: pd.to_datetime(d["ds"]), y=lambda d: d["y"].astype(float))
    dates = np.sort(hist["ds"].unique())
    start = dates[-20]
    ours = rolling_forecasts(hist, start=start, models=["AutoETS"], season_length=1,
                             std_window=10)
    ref = StatsForecast(models=[AutoETS(season_length=1)], freq="W-MON").cross_validation(
        h=1, df=hist, n_windows=30, step_size=1, refit=False)
    ref = ref.loc[ref["ds"] >= start].sort_values(["unique_id", "ds"])
    assert len(ours) == 40 and (ours["model"] == "AutoETS").all()
    np.testing.assert_allclose(ours["forecast"], ref["AutoETS"].clip(lower=0), rtol=1e-10)


def test_rolling_croston_equals_statsforecast_forecast_on_data_up_to_the_period_before(few):
    """A model without ``forward`` (CrostonClassic) is refitted at every origin: the forecast
    for ds equals statsforecast's CrostonClassic.forecast(h=1) on the data before ds."""
    from statsforecast import StatsForecast
    from statsforecast.models import CrostonClassic

    hist = few.loc[few["unique_id"] == "SKU-137"].assign(
        ds=lambda d: pd.to_datetime(d["ds"]), y=lambda d: d["y"].astype(float))
    dates = np.sort(hist["ds"].unique())
    ours = rolling_forecasts(hist, start=dates[-6], models=["CrostonClassic"], std_window=4)
    sf = StatsForecast(models=[CrostonClassic()], freq="W-MON")
    for ds, value in zip(ours["ds"], ours["forecast"], strict=True):
        ref = sf.forecast(h=1, df=hist.loc[hist["ds"] < ds])
        assert value == pytest.approx(float(ref["CrostonClassic"].iloc[0]), rel=1e-10)


def test_rolling_forecast_std_is_sample_std_of_earlier_errors_only():
    """forecast_std at ds = std (ddof=1) of the std_window one-step errors before ds, checked
    with a plain loop; Naive's one-step forecast is the previous value (so errors = diffs)."""
    rng = np.random.default_rng(5)
    y = rng.poisson(20, 60).astype(float)
    hist = _weekly(y)
    start = hist["ds"].iloc[40]
    out = rolling_forecasts(hist, start=start, models=["Naive"], std_window=6)
    np.testing.assert_allclose(out["forecast"], y[39:59])
    errors = np.diff(y)  # error of the forecast for period t is y[t] - y[t-1]
    expected = [np.std(errors[t - 1 - 6:t - 1], ddof=1) for t in range(40, 60)]
    np.testing.assert_allclose(out["forecast_std"], expected)


def test_rolling_forecasts_are_causal_changing_later_demand_changes_nothing_before():
    """Demand after period t changes no forecast (nor std) for periods up to t + 1."""
    rng = np.random.default_rng(11)
    base = _weekly(rng.poisson(30, 90))
    start = base["ds"].iloc[70]
    t = base["ds"].iloc[78]
    changed = base.assign(y=np.where(base["ds"] > t, base["y"] * 5 + 40, base["y"]))
    a = rolling_forecasts(base, start=start, horizon=6, std_window=8)
    b = rolling_forecasts(changed, start=start, horizon=6, std_window=8)
    upto = a["ds"] <= t + pd.Timedelta(weeks=1)
    pd.testing.assert_frame_equal(a.loc[upto], b.loc[upto])
    assert not np.allclose(a.loc[~upto, "forecast"], b.loc[~upto, "forecast"])


@pytest.mark.parametrize(
    ("kwargs", "where"),
    [
        ({"start": "2024-01-03"}, "start"),          # not a period of the grid
        ({"start": "2024-01-01"}, "start"),          # the first period
        ({"start": "not a date"}, "start"),
        ({"start": "2024-02-05"}, "unique_id 'A'"),  # 5 periods before start
        ({"start": "2024-09-02", "std_window": 1}, "std_window"),
    ],
)
def test_rolling_forecasts_bad_input_names_the_parameter(kwargs, where):
    hist = _weekly(np.arange(50.0))
    with pytest.raises(InputError, match=where):
        rolling_forecasts(hist, models=["Naive"], **kwargs)


def test_rolling_forecasts_skus_ending_on_different_dates_are_refused():
    hist = pd.concat([_weekly(np.ones(50)), _weekly(np.ones(49), "B")])
    with pytest.raises(InputError, match="same date"):
        rolling_forecasts(hist, start="2024-09-02", models=["Naive"])


# --------------------------------------------------------------------------- plan


def test_plan_normal_safety_stock_equals_inventory_safety_stock_for_a_smooth_sku(small_plan, few):
    """Smooth SKU: z * sigma * sqrt(L + R) (btm.inventory.safety_stock, Chopra & Meindl), with
    sigma the RMSE of the chosen model's rolling one-step forecasts over the last 52 weeks
    (errors taken by hand against the history); reorder point and order-up-to level add the
    forecast over L and L + R periods."""
    pol = small_plan.policy.set_index("unique_id")
    row = pol.loc["SKU-002"]
    assert row["demand_class"] == "smooth" and row["safety_stock_method"] == "normal"
    hist = few.loc[few["unique_id"] == "SKU-002"].assign(ds=lambda d: pd.to_datetime(d["ds"]))
    y = hist["y"].to_numpy(dtype=float)
    bt = small_plan.backtest
    sub = type(bt)(**{**bt.__dict__,
                      "chosen": bt.chosen.loc[bt.chosen["unique_id"] == "SKU-002"]})
    roll = rolling_forecasts(hist, start=hist["ds"].iloc[-52], backtest_result=sub)
    sigma = np.sqrt(np.mean((y[-52:] - roll["forecast"].to_numpy()) ** 2))
    assert row["forecast_error_std"] == pytest.approx(sigma)
    lead = 1  # skus.csv: SKU-002 lead_time_weeks 1
    assert row["lead_time"] == lead
    assert row["safety_stock"] == pytest.approx(safety_stock(0.95, sigma, lead + 1))
    fc = small_plan.forecast.loc[small_plan.forecast["unique_id"] == "SKU-002", "forecast"]
    assert row["reorder_point"] == pytest.approx(fc.iloc[:lead].sum() + row["safety_stock"])
    assert row["order_up_to"] == pytest.approx(fc.iloc[:lead + 1].sum() + row["safety_stock"])
    assert row["safety_stock_value"] == pytest.approx(row["safety_stock"] * row["unit_cost"])


def test_plan_normal_sigma_is_the_one_step_error_and_does_not_depend_on_the_horizon():
    """A random walk forecast by Naive: the one-step error at t is y[t] - y[t-1], so sigma is
    their root mean square over the last error_periods weeks (numpy, by hand) and the safety
    stock z * sigma * sqrt(L + R) is the same whether the plan looks 1, 4, 12 or 26 weeks ahead
    (the backtest RMSE over steps 1..h grows with h: it made the safety stock grow with it)."""
    rng = np.random.default_rng(3)
    y = 200 + np.cumsum(rng.normal(0, 5, 120))
    hist = _weekly(y)
    skus = pd.DataFrame({"unique_id": ["A"], "unit_cost": [5.0], "lead_time_weeks": [2],
                         "order_cost": [20.0], "holding_cost_rate": [0.2]})
    sigma = np.sqrt(np.mean(np.diff(y)[-30:] ** 2))
    z = 1.6448536269514722  # scipy.stats.norm.ppf(0.95)
    for h in (1, 4, 12, 26):
        p = jit.plan(hist, skus, horizon=h, service_level=0.95, models=["Naive"],
                     error_periods=30)
        row = p.policy.iloc[0]
        assert row["forecast_error_std"] == pytest.approx(sigma)
        assert row["safety_stock"] == pytest.approx(z * sigma * np.sqrt(3))


def test_plan_empirical_safety_stock_is_the_quantile_of_lead_time_errors(small_plan, few):
    """Intermittent/lumpy SKU: the 95 % quantile (numpy, linear) of the errors of lead-time
    demand forecasts (rolling one-step forecast held flat over L + R periods), by hand."""
    pol = small_plan.policy.set_index("unique_id")
    for uid in ("SKU-137", "SKU-172"):
        row = pol.loc[uid]
        assert row["demand_class"] in jit.EMPIRICAL_CLASSES
        assert row["safety_stock_method"] == "empirical"
        hist = few.loc[few["unique_id"] == uid].assign(ds=lambda d: pd.to_datetime(d["ds"]))
        y = hist["y"].to_numpy(dtype=float)
        dates = hist["ds"].to_numpy()
        bt = small_plan.backtest
        sub = type(bt)(**{**bt.__dict__,
                          "chosen": bt.chosen.loc[bt.chosen["unique_id"] == uid]})
        roll = rolling_forecasts(hist, start=dates[-52], backtest_result=sub)
        cover = int(row["lead_time"] + row["review_period"])
        errors = []
        for i, f in enumerate(roll["forecast"].to_numpy()):
            t = len(y) - 52 + i
            if t + cover <= len(y):
                errors.append(y[t:t + cover].sum() - cover * f)
        assert len(errors) == 52 - cover + 1
        expected = max(np.quantile(errors, 0.95), 0.0)
        assert row["safety_stock"] == pytest.approx(expected)


def test_plan_eoq_equals_stockpyl_economic_order_quantity(small_plan, skus):
    """EOQ sqrt(2 K lambda / h) as stockpyl.eoq.economic_order_quantity (Snyder & Shen eq.
    3.4) with lambda = forecast per year and h = holding_cost_rate * unit_cost."""
    from stockpyl.eoq import economic_order_quantity

    pol = small_plan.policy.set_index("unique_id")
    master = skus.set_index("unique_id")
    for uid in FEW:
        q, _ = economic_order_quantity(
            fixed_cost=master.loc[uid, "order_cost"],
            holding_cost=master.loc[uid, "holding_cost_rate"] * master.loc[uid, "unit_cost"],
            demand_rate=pol.loc[uid, "forecast_per_period"] * 52)
        assert pol.loc[uid, "eoq"] == pytest.approx(q)
        lot = pol.loc[uid, "order_lot"]
        assert lot >= max(q, master.loc[uid, "min_order"]) - 1e-9
        assert lot % master.loc[uid, "pack_size"] == 0
        # Toyota formula with D * L = forecast over the cover (lead time + review period)
        # plus safety stock = the order-up-to level (not the horizon's mean times L + R)
        need = pol.loc[uid, "order_up_to"] / lot
        assert pol.loc[uid, "kanban_containers"] == math.ceil(need - 1e-9)


def test_plan_orders_respect_pack_size_and_minimum_order(small_plan, skus):
    orders = small_plan.orders.merge(skus[["unique_id", "pack_size", "min_order"]],
                                     on="unique_id")
    assert len(orders) > 0
    assert (orders["quantity"] % orders["pack_size"] == 0).all()
    assert (orders["quantity"] >= orders["min_order"]).all()
    assert (orders["arrival_ds"] > orders["order_ds"]).all()
    value = orders["quantity"] * skus.set_index("unique_id")["unit_cost"].reindex(
        orders["unique_id"]).to_numpy()
    np.testing.assert_allclose(orders["order_value"], value)


def test_plan_summary_adds_up_per_class(small_plan):
    s = small_plan.summary.set_index("demand_class")
    assert s.loc["all", "n_skus"] == 5
    pol = small_plan.policy
    assert s.loc["all", "safety_stock_value"] == pytest.approx(pol["safety_stock_value"].sum())
    assert s.drop("all")["safety_stock_value"].sum() == pytest.approx(
        s.loc["all", "safety_stock_value"])


@pytest.mark.slow
def test_plan_vectorised_equals_one_sku_at_a_time(small_plan, few, skus):
    """Planning five SKUs at once gives each SKU the same row as planning it alone."""
    cols = ["model", "safety_stock", "reorder_point", "order_up_to", "eoq", "order_lot",
            "kanban_containers", "next_order_quantity"]
    together = small_plan.policy.set_index("unique_id")[cols]
    for uid in FEW:
        alone = jit.plan(few, skus, horizon=12, service_level=0.95, sku_filter=uid)
        pd.testing.assert_series_equal(alone.policy.set_index("unique_id")[cols].loc[uid],
                                       together.loc[uid], rtol=1e-9)


def test_plan_sku_filter_as_comma_separated_text(few, skus):
    p = jit.plan(few, skus, horizon=4, service_level=0.9, sku_filter="SKU-002, SKU-042",
                 models=["Naive"])
    assert p.policy["unique_id"].tolist() == ["SKU-002", "SKU-042"]


def test_plan_given_on_hand_is_used_and_not_marked_assumed(few, skus):
    master = skus.assign(on_hand=np.where(skus["unique_id"] == "SKU-002", 0.0, np.nan))
    p = jit.plan(few, master, horizon=4, service_level=0.9, sku_filter=["SKU-002", "SKU-042"],
                 models=["Naive"])
    pol = p.policy.set_index("unique_id")
    assert pol.loc["SKU-002", "on_hand"] == 0 and not pol.loc["SKU-002", "on_hand_assumed"]
    assert pol.loc["SKU-042", "on_hand_assumed"]
    # empty shelf: the first order brings the position up to the order-up-to level
    first = p.orders.loc[p.orders["unique_id"] == "SKU-002"].iloc[0]
    assert first["inventory_position"] >= pol.loc["SKU-002", "order_up_to"] - 1e-9


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"service_level": 1.5}, "service_level"),
        ({"service_level": 95}, "service_level: got 95, which looks like a percentage"),
        ({"service_level": 0.0}, "service_level"),
        ({"review_period": 0}, "review_period"),
        ({"horizon": 0}, "horizon"),
        ({"sku_filter": "SKU-002, SKU-999"}, "sku_filter: SKU 'SKU-999'"),
        ({"sku_filter": 12}, "sku_filter"),
    ],
)
def test_plan_bad_parameter_names_it(few, skus, change, where):
    kwargs = {"horizon": 4, "service_level": 0.9, "models": ["Naive"], **change}
    with pytest.raises(InputError, match=where):
        jit.plan(few, skus, **kwargs)


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda s: s.assign(lead_time_weeks=np.where(s["unique_id"] == "SKU-003", -1,
                                                     s["lead_time_weeks"])),
         r"skus, row 3, column 'lead_time_weeks': got -1"),
        (lambda s: s.loc[s["unique_id"] != "SKU-042"], "skus: SKU 'SKU-042'"),
        (lambda s: pd.concat([s, s.iloc[[1]]]), r"skus, row 201, column 'unique_id'"),
        (lambda s: s.assign(holding_cost_rate=25.0), "holding_cost_rate"),
        (lambda s: s.drop(columns="order_cost"), "order_cost"),
        (lambda s: s.assign(unit_cost="cheap"), "unit_cost"),
    ],
)
def test_plan_bad_sku_master_names_row_column_or_sku(few, skus, edit, where):
    with pytest.raises(InputError, match=where):
        jit.plan(few, edit(skus), horizon=4, service_level=0.9, models=["Naive"])


def test_plan_does_not_modify_its_inputs(few, skus):
    a, b = few.copy(), skus.copy()
    jit.plan(a, b, horizon=4, service_level=0.9, models=["Naive"], sku_filter="SKU-002")
    pd.testing.assert_frame_equal(a, few)
    pd.testing.assert_frame_equal(b, skus)


# --------------------------------------------------------------------------- replay


@pytest.mark.slow
def test_replay_on_sample_data_beats_the_naive_policy(demand, skus):
    """Replayed on the last 52 weeks of the sample data, the forecast policy serves at least
    as much demand as the naive policy with no more inventory and no higher cost."""
    out = jit.replay_policy(demand, skus, {"service_level": 0.95, "horizon": 12},
                            holdout_periods=52, service_levels=(0.9, 0.95))
    o = out.replay.overall.set_index("policy")
    assert o.loc["forecast", "fill_rate"] >= o.loc["naive", "fill_rate"]
    assert o.loc["forecast", "average_inventory_value"] <= o.loc["naive",
                                                                 "average_inventory_value"]
    assert o.loc["forecast", "total_cost"] <= o.loc["naive", "total_cost"]
    # the models were chosen without the hold-out
    assert out.backtest.forecasts["ds"].max() < out.start
    assert out.forecasts["ds"].min() == out.start
    total = out.by_class.set_index("demand_class").loc["all"]
    assert total["inventory_freed"] == pytest.approx(
        o.loc["naive", "average_inventory_value"] - o.loc["forecast", "average_inventory_value"])
    assert set(out.curve["service_level"]) == {0.9, 0.95}


def test_replay_policy_uses_the_plan_settings(few, skus):
    p = jit.plan(few, skus, horizon=4, service_level=0.9, models=["Naive"],
                 sku_filter=["SKU-002", "SKU-137"], review_period=2)
    out = jit.replay_policy(few, skus, p, holdout_periods=10, service_levels=[0.9])
    assert out.service_level == 0.9
    assert sorted(out.forecasts["unique_id"].unique()) == ["SKU-002", "SKU-137"]
    assert (out.forecasts["model"] == "Naive").all()
    assert len(out.replay.timeline) == 2 * 2 * 10  # 2 policies x 2 SKUs x 10 weeks


def _plain_causal_quantiles(y, f, cover, levels, first):
    """Plain loops, written from the definition: at period a the quantile of the errors
    y[o:o+c].sum() - c * f[o] of every origin with o + c <= a, floored at 0."""
    n, P = y.shape
    out = np.full((len(levels), n, P - first), np.nan)
    for i in range(n):
        c = int(cover[i])
        for a in range(first, P):
            errs = [y[i, o:o + c].sum() - c * f[i, o] for o in range(P)
                    if o + c <= a and not np.isnan(f[i, o]) and not np.isnan(y[i, o:o + c]).any()]
            if errs:
                for k, lv in enumerate(levels):
                    out[k, i, a - first] = max(np.quantile(errs, lv), 0.0)
    return out


def test_causal_empirical_safety_stock_equals_plain_per_sku_numpy_quantile_loop():
    rng = np.random.default_rng(4)
    n, P, first = 5, 40, 12
    y = rng.poisson(0.4, (n, P)) * rng.integers(1, 30, (n, P)).astype(float)
    f = rng.uniform(0, 8, (n, P))
    f[1, :6] = np.nan  # no forecast at the first origins of one SKU
    y[2, 20] = np.nan  # a gap in one SKU's demand
    cover = np.array([1, 2, 3, 5, 14])  # the last: no error seen for the first periods
    levels = np.array([0.5, 0.9, 0.95])
    got = jit._causal_empirical_safety_stock(y, f, cover, levels, first=first)
    want = _plain_causal_quantiles(y, f, cover, levels, first)
    np.testing.assert_allclose(got, want)
    assert np.isnan(got[:, 4, 0]).all() and np.isfinite(got[:, 4, -1]).all()


@pytest.fixture(scope="module")
def few_replay(few, skus):
    return jit.replay_policy(few, skus, {"service_level": 0.9, "horizon": 12},
                             holdout_periods=40, service_levels=[0.8, 0.9])


def test_replay_policy_empirical_safety_stock_is_the_quantile_of_earlier_lead_time_errors(
        few_replay, few, skus):
    """Intermittent/lumpy SKUs of the replay: safety stock at t = 0.9 quantile (np.quantile,
    floored at 0) of lead-time errors (btm.inventory.lead_time_forecast_errors) of the origins
    whose L + R window ended before t, from 52 weeks before the hold-out on; the level the
    replay orders up to is forecast * (L + R) + that safety stock."""
    out = few_replay
    cls = out.backtest.chosen.set_index("unique_id")["demand_class"]
    emp = sorted(cls.index[cls.isin(jit.EMPIRICAL_CLASSES)])
    assert emp == ["SKU-137", "SKU-172"]  # TSB: refitted at every origin
    sub = few.loc[few["unique_id"].isin(emp)].reset_index(drop=True)
    dates = pd.DatetimeIndex(sorted(sub["ds"].unique()))
    first = int(dates.get_loc(out.start))
    bt = dataclasses.replace(out.backtest, chosen=out.backtest.chosen.loc[
        out.backtest.chosen["unique_id"].isin(emp)].reset_index(drop=True))
    fc = rolling_forecasts(sub, start=dates[first - 52], backtest_result=bt)
    lead = skus.set_index("unique_id").loc[emp, "lead_time_weeks"]
    cover = lead + 1
    errors = lead_time_forecast_errors(sub, fc, cover)
    errors["end"] = dates.get_indexer(errors["ds"]) + cover.reindex(errors["unique_id"]).to_numpy()
    got = out.forecasts.set_index(["unique_id", "ds"])["safety_stock"]
    for uid in emp:
        e = errors.loc[errors["unique_id"] == uid]
        for t in (0, 1, 17, 39):
            seen = e.loc[e["end"] <= first + t, "error"].to_numpy()
            want = max(np.quantile(seen, 0.9), 0.0)
            assert got[(uid, dates[first + t])] == pytest.approx(want, abs=1e-9)
    assert got.loc[[u for u in FEW if u not in emp]].isna().all()
    tl = out.replay.timeline
    tl = tl.loc[(tl["policy"] == "forecast") & tl["unique_id"].isin(emp)]
    ss = got.reindex(pd.MultiIndex.from_frame(tl[["unique_id", "ds"]])).to_numpy()
    np.testing.assert_allclose(tl["level"], tl["forecast"] * cover.reindex(tl["unique_id"])
                               .to_numpy() + ss)
    # the curve replays the same rule: its row at the plan's level is the replay itself
    row = out.curve.loc[(out.curve["policy"] == "forecast") & (out.curve["service_level"] == 0.9)]
    o = out.replay.overall.set_index("policy")
    assert row["average_inventory_value"].iloc[0] == pytest.approx(
        o.loc["forecast", "average_inventory_value"])
    assert row["fill_rate"].iloc[0] == pytest.approx(o.loc["forecast", "fill_rate"])


def test_replay_policy_is_causal_later_demand_changes_no_safety_stock_or_order_before(
        few_replay, few, skus):
    """Demand from hold-out week t on changes neither the safety stock nor the orders up to
    and including t (both are set at the start of the week, before its demand is known)."""
    out = few_replay
    cut = out.start + pd.Timedelta(weeks=20)
    later = pd.to_datetime(few["ds"]) >= cut
    changed = few.assign(y=np.where(later, few["y"] * 3 + 7, few["y"]))
    again = jit.replay_policy(changed, skus, {"service_level": 0.9, "horizon": 12},
                              holdout_periods=40, service_levels=[0.8, 0.9])
    a, b = out.forecasts, again.forecasts
    upto = a["ds"] <= cut
    pd.testing.assert_frame_equal(a.loc[upto], b.loc[upto])
    assert not np.allclose(a.loc[~upto, "safety_stock"].dropna(),
                           b.loc[~upto, "safety_stock"].dropna())
    ta, tb = out.replay.timeline, again.replay.timeline
    early = ta["ds"] <= cut
    for col in ("level", "orders"):
        np.testing.assert_allclose(ta.loc[early, col], tb.loc[early, col])
    assert not np.allclose(ta.loc[~early, "orders"], tb.loc[~early, "orders"])


@pytest.mark.parametrize(
    ("params", "kwargs", "where"),
    [
        ("0.95", {}, "plan_or_params"),
        ({"horizon": 4}, {}, "service_level"),
        ({"service_level": 0.9, "colour": 1}, {}, "unknown setting 'colour'"),
        ({"service_level": 0.9}, {"holdout_periods": 200}, "holdout_periods"),
        ({"service_level": 0.9}, {"holdout_periods": 0}, "holdout_periods"),
        ({"service_level": 1.2}, {}, "service_level"),
    ],
)
def test_replay_policy_bad_input_names_it(few, skus, params, kwargs, where):
    with pytest.raises(InputError, match=where):
        jit.replay_policy(few, skus, params, **kwargs)


# --------------------------------------------------------------------------- messages


def test_demand_key_messages_quote_the_plan_numbers(small_plan):
    from btm.charts import format_money
    from btm.style import format_percent

    msgs = messages.demand_key_messages(small_plan)
    text = " ".join(msgs)
    assert format_money(small_plan.policy["safety_stock_value"].sum(), "EUR") in text
    acc = small_plan.backtest.accuracy
    naive = acc.loc[acc["model"] == "SeasonalNaive"].set_index("unique_id")["mase"]
    chosen = acc.merge(small_plan.backtest.chosen[["unique_id", "model"]]).set_index(
        "unique_id")["mase"].reindex(naive.index)
    share = (chosen < naive).mean()
    # written as its key-number card writes it (66.7%, not 67%)
    assert f"beat seasonal naive on {format_percent(share)} of the {len(naive)} regular" in msgs[0]
    assert "for the 2 intermittent or lumpy SKUs" in text
    nums = messages.demand_key_numbers(small_plan)
    assert nums["share_beating_seasonal_naive"]["value"] == pytest.approx(share)
    assert nums["empirical_skus"]["value"] == 2


def test_demand_key_messages_refuse_other_results():
    with pytest.raises(InputError, match="plan"):
        messages.demand_key_messages("a plan")
    with pytest.raises(InputError, match="plan"):
        messages.demand_key_numbers(None)


def test_periods_per_year_and_bad_frequency():
    assert jit.periods_per_year("W-SUN") == 52.0
    assert jit.periods_per_year("QS") == 4.0
    with pytest.raises(InputError, match="freq"):
        jit.periods_per_year("weekly")


@pytest.mark.parametrize("call", ["plan", "replay"])
@pytest.mark.parametrize(("change", "message"), [
    (lambda h, s: (h.assign(y=h["y"].where(h.index != 9, -3.0)), s),
     r"^demand\.csv, row 10 \(unique_id 'SKU-002', ds [\d-]+\), column 'y': got -3"),
    (lambda h, s: (h, s[s["unique_id"] != "SKU-002"]),
     r"^skus\.csv: SKU 'SKU-002' of demand\.csv has no row"),
    (lambda h, s: (h, pd.concat([s, s.iloc[:1]], ignore_index=True)),
     r"^skus\.csv, row \d+, column 'unique_id': 'SKU-001' appears twice"),
])
def test_errors_name_the_files_the_user_gave(few, skus, call, change, message):
    """The demand notebook passes its file names: every error names the file, not 'history'."""
    h, s = change(few, skus)
    names = {"source": "demand.csv", "skus_source": "skus.csv"}
    with pytest.raises(InputError, match=message):
        if call == "plan":
            jit.plan(h, s, horizon=12, service_level=0.95, **names)
        else:
            jit.replay_policy(h, s, {"service_level": 0.9, "horizon": 12}, holdout_periods=12,
                              **names)


def test_sku_filter_error_names_the_history_file(few, skus):
    with pytest.raises(InputError, match=r"^sku_filter: SKU 'X' is not in demand\.csv"):
        jit.plan(few, skus, horizon=12, service_level=0.95, sku_filter="X",
                 source="demand.csv")


# --------------------------------------------------------------------------- history shape


def _run(call, h, s, **kw):
    names = {"source": "demand.csv", "skus_source": "skus.csv"}
    if call == "plan":
        return jit.plan(h, s, horizon=12, service_level=0.95, models=["Naive"], **kw, **names)
    params = {"service_level": 0.9, "horizon": 12, "models": ["Naive"], **kw}
    return jit.replay_policy(h, s, params, holdout_periods=8, **names)


@pytest.mark.parametrize("call", ["plan", "replay"])
@pytest.mark.parametrize("keep", [154, 21])  # stops 2 weeks early; cut to 21 periods
def test_sku_ending_early_is_named_with_both_dates(few, skus, call, keep):
    """A SKU whose history stops before the others: the message names the file, that SKU and
    both last dates (it used to say "forecast: no row for unique_id 'SKU-001' ...", blaming a
    healthy SKU, or "forecast, column 'ds': period ... is off the regular grid")."""
    dates = pd.DatetimeIndex(sorted(pd.to_datetime(few["ds"]).unique()))
    short = few.loc[few["unique_id"] == "SKU-002"].iloc[:keep]
    h = pd.concat([few.loc[few["unique_id"] != "SKU-002"], short], ignore_index=True)
    message = (rf"^demand\.csv, unique_id 'SKU-002': its history ends at "
               rf"{dates[keep - 1].date()} while the other 4 SKUs run to {dates[-1].date()}; "
               r"expected every SKU to end in the same period.*add its missing periods")
    with pytest.raises(InputError, match=message):
        _run(call, h, skus)
    with pytest.raises(InputError, match=message.replace("other 4 SKUs run", "other SKU runs")):
        _run(call, h, skus, sku_filter="SKU-137,SKU-002")
    # left out, it no longer stops the others
    assert len(_run("plan", h, skus, sku_filter="SKU-137,SKU-042").policy) == 2


def test_sku_running_past_the_others_is_the_one_named(few, skus):
    """The reference is the last period most SKUs share: one SKU with an extra week is blamed,
    not the four that end together."""
    h = few.assign(ds=pd.to_datetime(few["ds"]))
    extra = h.loc[h["unique_id"] == "SKU-137"].tail(1)
    extra = extra.assign(ds=extra["ds"] + pd.Timedelta(weeks=1))
    h = pd.concat([h, extra], ignore_index=True)
    with pytest.raises(InputError, match=(
            rf"^demand\.csv, unique_id 'SKU-137': its history ends at "
            rf"{extra['ds'].iloc[0].date()} while the other 4 SKUs run to "
            rf"{few['ds'].max()}; .*drop its periods after {few['ds'].max()}")):
        _run("plan", h, skus)


def test_too_short_history_names_the_file():
    """The backtest's length check names the user's file (it said 'history, unique_id ...')."""
    skus = pd.DataFrame({"unique_id": ["SKU-001"], "unit_cost": [5.0], "lead_time_weeks": [1],
                         "order_cost": [9.0], "holding_cost_rate": [0.2]})
    with pytest.raises(InputError, match=r"^demand\.csv, unique_id 'SKU-001': has 3 periods, "
                       r"too short for a backtest of 2 windows of horizon 12; expected at least"):
        jit.plan(_weekly([5.0, 7.0, 6.0], uid="SKU-001"), skus, horizon=12,
                 service_level=0.95, season_length=1, source="demand.csv")


def test_sku_starting_inside_the_holdout_is_named():
    """A SKU with no history before the hold-out has nothing to choose its model on (it used
    to say "history, unique_id 'B': has 0 periods before start ...")."""
    h = pd.concat([_weekly(np.full(60, 20.0)), _weekly(np.full(5, 3.0), "B", "2025-01-20")],
                  ignore_index=True)
    skus = pd.DataFrame({"unique_id": ["A", "B"], "unit_cost": [5.0, 5.0],
                         "lead_time_weeks": [1, 1], "order_cost": [9.0, 9.0],
                         "holding_cost_rate": [0.2, 0.2]})
    with pytest.raises(InputError, match=r"^demand\.csv, unique_id 'B': its history starts at "
                       r"2025-01-20, inside the hold-out of the last 8 periods \(from "
                       r"2024-12-30\); expected history before the hold-out"):
        jit.replay_policy(h, skus, {"service_level": 0.9, "horizon": 4, "models": ["Naive"]},
                          holdout_periods=8, source="demand.csv")


def test_all_zero_sku_is_planned_with_no_stock_and_reported():
    """A SKU that sold nothing in 60 weeks needs no stock: it is planned (no safety stock, no
    order), shown, and named in the key messages, and the notebook has something to show
    (example_skus used to return [] and the notebook failed in its chart cells)."""
    skus = pd.DataFrame({"unique_id": ["SKU-001"], "unit_cost": [5.0], "lead_time_weeks": [2],
                         "order_cost": [9.0], "holding_cost_rate": [0.2]})
    h = _weekly(np.zeros(60), uid="SKU-001")
    p = jit.plan(h, skus, horizon=12, service_level=0.95, season_length=1, source="zeros.csv")
    pol = p.policy.iloc[0]
    assert pol["demand_class"] == "no_demand"
    assert (pol["safety_stock"], pol["reorder_point"], pol["order_up_to"]) == (0.0, 0.0, 0.0)
    assert p.orders.empty and jit.orders_due(p).empty
    assert jit.accuracy_by_class(p.backtest).empty  # no finite MASE: the chart draws a note
    assert jit.example_skus(p) == ["SKU-001"]
    out = jit.replay_policy(h, skus, p, holdout_periods=8, source="zeros.csv")
    assert out.replay.overall["fill_rate"].tolist() == [1.0, 1.0]
    said = messages.demand_key_messages(p, out)
    assert ("1 SKU sold nothing in its 60 weeks of history (SKU-001): it is planned with no "
            "stock and no orders; check whether it is still sold.") in said
    assert messages.orders_due_message(p, jit.orders_due(p)) == (
        "No order to place: over the next 12 weeks the stock on hand and on order covers the "
        "forecast demand of every SKU.")


def test_orders_due_message_counts_the_orders(small_plan):
    due = jit.orders_due(small_plan)
    said = messages.orders_due_message(small_plan, due, currency="EUR")
    assert said.startswith(f"Order now ({due['order_ds'].min():%d %b %Y}): {len(due)} order")
    assert said.endswith("; listed below." if len(due) <= 10 else "; the ten largest below.")


# --------------------------------------------------------------------------- plan numbers and inputs


def _master(**over) -> pd.DataFrame:
    base = {"unique_id": ["SKU-001"], "unit_cost": [5.0], "lead_time_weeks": [2],
            "order_cost": [20.0], "holding_cost_rate": [0.2]}
    return pd.DataFrame({**base, **over})


def test_kanban_containers_cover_the_order_up_to_level_of_a_seasonal_sku(few, skus):
    """Seasonal SKU-042 (lead time 8 weeks, R = 1): the containers hold the order-up-to level,
    ceil(order_up_to / order_lot) = ceil(3778.3 / 164) = 24; they were sized on the mean
    forecast over the whole 12-week horizon times L + R plus safety stock (26 containers)."""
    p = jit.plan(few.loc[few["unique_id"] == "SKU-042"], skus, horizon=12,
                 service_level=0.95, season_length=52)
    pol = p.policy.iloc[0]
    f = p.forecast.sort_values("ds")["forecast"].to_numpy()
    cover = int(pol["lead_time"]) + 1
    assert cover == 9  # skus.csv: lead_time_weeks 8
    up_to = f[:cover].sum() + pol["safety_stock"]  # forecast over L + R plus safety stock
    assert pol["order_up_to"] == pytest.approx(up_to, rel=1e-12)
    by_hand = math.ceil(up_to / pol["order_lot"])
    assert by_hand == 24 and pol["kanban_containers"] == by_hand
    # the horizon's mean (what it used to use) would ask for more here: the season falls
    assert f.mean() * cover + pol["safety_stock"] > up_to


@pytest.mark.parametrize(("column", "what"), [("unit_cost", "a unit cost"),
                                              ("holding_cost_rate", "a holding cost rate")])
def test_unit_cost_or_holding_rate_of_zero_is_refused(column, what):
    """A unit cost of 0 gave eoq NaN, lots of min_order, a stock worth 0 and no warning."""
    skus = pd.concat([_master(unique_id=["SKU-000"]), _master(**{column: [0.0]})],
                     ignore_index=True)
    h = pd.concat([_weekly(np.full(40, 10.0), "SKU-000"), _weekly(np.full(40, 10.0), "SKU-001")],
                  ignore_index=True)
    msg = (rf"^skus\.csv, row 2 \(SKU 'SKU-001'\), column '{column}': got 0; expected {what} "
           r"above 0: EOQ and holding cost need it$")
    with pytest.raises(InputError, match=msg):
        jit.plan(h, skus, horizon=4, service_level=0.9, models=["Naive"],
                 skus_source="skus.csv")
    with pytest.raises(InputError, match=msg):
        jit.replay_policy(h, skus, {"service_level": 0.9, "horizon": 4, "models": ["Naive"]},
                          holdout_periods=8, skus_source="skus.csv")


@pytest.mark.parametrize(("pack", "expected"), [(0, "a value of at least 1"),
                                                (2.5, "a whole number")])
def test_pack_size_is_a_whole_number_of_at_least_one(pack, expected):
    """README: pack_size is an integer >= 1. A pack of 0 meant "no rounding" (order lot
    110.66, orders of 27.735 units) and fractions were taken as they were."""
    with pytest.raises(InputError, match=(rf"^skus\.csv, row 1, column 'pack_size': got "
                                          rf"{pack}; expected {expected}")):
        jit.plan(_weekly(np.full(40, 10.0), "SKU-001"), _master(pack_size=[pack]), horizon=4,
                 service_level=0.9, models=["Naive"], skus_source="skus.csv")


def test_pack_size_defaults_to_one_and_orders_are_whole_units():
    """Without pack_size every order is a whole number of units (a pack of 1)."""
    p = jit.plan(_weekly(np.full(40, 10.3), "SKU-001"), _master(), horizon=4,
                 service_level=0.9, models=["Naive"])
    assert p.policy["pack_size"].tolist() == [1.0]
    assert len(p.orders) and (p.orders["quantity"] % 1 == 0).all()


def test_skus_without_history_are_listed_not_dropped():
    """A SKU of the master with no history is not planned but named in the plan (it used to
    vanish: the report said "1 SKU" and the other appeared nowhere)."""
    skus = pd.concat([_master(), _master(unique_id=["SKU-009"]), _master(unique_id=["SKU-005"])],
                     ignore_index=True)
    h = _weekly(np.full(40, 10.0), "SKU-001")
    p = jit.plan(h, skus, horizon=4, service_level=0.9, models=["Naive"])
    assert p.policy["unique_id"].tolist() == ["SKU-001"]
    assert list(p.skus_without_history) == ["SKU-009", "SKU-005"]  # the master's order
    # sku_filter chooses the SKUs: nothing is left out unasked
    chosen = jit.plan(h, skus, horizon=4, service_level=0.9, models=["Naive"],
                      sku_filter="SKU-001")
    assert len(chosen.skus_without_history) == 0
    # existing callers that build a JITPlan themselves get an empty list
    fields = {f.name: getattr(p, f.name) for f in dataclasses.fields(p)
              if f.name != "skus_without_history"}
    assert len(jit.JITPlan(**fields).skus_without_history) == 0


def test_monthly_lead_time_in_weeks_is_rounded_up_to_whole_months_and_shown():
    """Monthly history: 1 week of lead time plans as 1 month, 5 weeks as 2 (documented in
    plan); the policy shows the weeks given next to the periods used, and the safety stock
    and reorder point use those whole periods: z * sigma * sqrt(L + R), forecast over L."""
    from scipy.stats import norm
    rng = np.random.default_rng(5)
    ds = pd.date_range("2021-01-01", periods=48, freq="MS")
    h = pd.DataFrame({"unique_id": np.repeat(["SKU-001", "SKU-002"], 48),
                      "ds": np.tile(ds, 2), "y": rng.poisson(100, 96).astype(float)})
    skus = pd.concat([_master(lead_time_weeks=[1]),
                      _master(unique_id=["SKU-002"], lead_time_weeks=[5])], ignore_index=True)
    p = jit.plan(h, skus, horizon=6, service_level=0.95, models=["HistoricAverage"],
                 season_length=1, error_periods=24)
    pol = p.policy.set_index("unique_id")
    assert pol["lead_time_weeks"].tolist() == [1, 5]
    assert pol["lead_time"].tolist() == [1, 2]  # ceil(1 * 12 / 52), ceil(5 * 12 / 52)
    z = norm.ppf(0.95)
    for uid, lead in [("SKU-001", 1), ("SKU-002", 2)]:
        r = pol.loc[uid]
        f = p.forecast.loc[p.forecast["unique_id"] == uid].sort_values("ds")["forecast"]
        assert r["safety_stock"] == pytest.approx(
            z * r["forecast_error_std"] * math.sqrt(lead + 1), rel=1e-9)
        assert r["reorder_point"] == pytest.approx(f.iloc[:lead].sum() + r["safety_stock"])
        assert r["order_up_to"] == pytest.approx(f.iloc[:lead + 1].sum() + r["safety_stock"])


def test_orders_follow_the_periodic_review_not_the_order_lot(few, skus):
    """Documented behaviour (plan's docstring, README): order_lot is the economic lot and the
    kanban container, the planned orders raise the position to the order-up-to level at each
    review: SKU-002 (pack 10) orders about a week's forecast, in packs, far below its lot."""
    p = jit.plan(few.loc[few["unique_id"] == "SKU-002"], skus, horizon=12,
                 service_level=0.95, season_length=52)
    pol = p.policy.iloc[0]
    q = p.orders["quantity"].to_numpy()
    later = q[1:]  # after the first order, each replaces about one week of demand
    f = p.forecast.sort_values("ds")["forecast"].to_numpy()
    assert (q % pol["pack_size"] == 0).all()
    assert len(later) >= 5 and later.mean() < pol["order_lot"] / 2
    # a week's forecast, rounded to packs: never more than a pack above it
    assert later.mean() <= f.mean() + pol["pack_size"]
