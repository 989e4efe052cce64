"""Plausible forecasting mistakes that used to pass silently (issue 14) now name what is wrong."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import btm
from btm import demand, forecast, jit
from btm.constraints import Percentages, constraints_of

# the forecasting modules need statsforecast, which the pandas-3 environment leaves out
pytest.importorskip("statsforecast")


def _weekly(n: int = 60, uid: str = "A") -> pd.DataFrame:
    ds = pd.date_range("2022-01-03", periods=n, freq="W-MON")
    y = np.random.default_rng(0).poisson(20, n).astype(float)
    return pd.DataFrame({"unique_id": uid, "ds": ds, "y": y})


SKUS = pd.DataFrame({"unique_id": ["A"], "unit_cost": [5.0], "lead_time_weeks": [1],
                     "order_cost": [9.0], "holding_cost_rate": [0.2]})


@pytest.mark.parametrize("fn", [forecast.forecast, jit.plan])
def test_level_is_declared(fn):
    assert isinstance(constraints_of(fn)["level"], Percentages)


@pytest.mark.parametrize("level", [[0.8, 0.95], [0.9], 0.5])
def test_fractional_levels_refused_with_a_hint(level):
    with pytest.raises(btm.InputError, match=r"level: got .*fractions; expected percentages"):
        forecast.forecast(_weekly(), 4, level=level, models=["Naive"])


def test_percent_levels_still_work():
    fc = forecast.forecast(_weekly(), 4, level=[80, 95], models=["Naive"])
    assert {"lo_80", "hi_80", "lo_95", "hi_95"} <= set(fc.columns)
    assert (fc["lo_95"] <= fc["lo_80"]).all() and (fc["hi_80"] <= fc["hi_95"]).all()


def test_level_checked_before_the_plan_runs():
    with pytest.raises(btm.InputError, match="level"):
        jit.plan(_weekly(), SKUS, horizon=4, service_level=0.9, level=[0.8, 0.95])


def test_season_longer_than_any_history_is_refused():
    with pytest.raises(btm.InputError, match=r"season_length: got 1000000; expected at most 30"):
        forecast.forecast(_weekly(60), 4, season_length=1_000_000)


def test_season_that_fits_is_kept():
    bt = forecast.backtest(_weekly(60), horizon=4, season_length=13, models=["SeasonalNaive"])
    assert bt.chosen["season_length"].tolist() == [13]


def test_freq_finer_than_the_data_is_refused_not_filled_with_zeros():
    with pytest.raises(btm.InputError, match=r"freq: got 'D'.* 7 periods apart.*W-MON"):
        demand.validate_history(_weekly(), freq="D", fill_gaps=True)


def test_gaps_at_the_right_freq_are_still_filled():
    h = _weekly().drop(index=[5])
    out = demand.validate_history(h, freq="W-MON", fill_gaps=True)
    assert len(out) == 60 and out["y"].iloc[5] == 0


def test_unknown_benchmark_refused():
    bt = forecast.backtest(_weekly(), horizon=4, models=["Naive", "HistoricAverage"],
                           season_length=1)
    with pytest.raises(btm.InputError, match="benchmarks"):
        jit.accuracy_by_class(bt, benchmarks=["NoSuchModel"])


def test_unknown_order_column_refused():
    p = jit.plan(_weekly(), SKUS, horizon=2, service_level=0.9, models=["Naive"])
    with pytest.raises(btm.InputError, match=r"columns: got \['colour'\]"):
        jit.orders_due(p, columns=["colour"])
    assert "description" not in jit.orders_due(p).columns  # optional, absent here
    with pytest.raises(btm.InputError, match=r"^columns: got 'unit_cost' \(str\); expected a list"):
        jit.orders_due(p, columns="unit_cost")  # one name, not a list: refused, not spelt out


def test_unknown_demand_class_refused():
    p = jit.plan(_weekly(), SKUS, horizon=2, service_level=0.9, models=["Naive"])
    with pytest.raises(btm.InputError, match="classes"):
        jit.example_skus(p, classes=["seasonal"])


def test_short_history_for_the_holdout_names_holdout_periods():
    p = jit.plan(_weekly(60), SKUS, horizon=4, service_level=0.9, models=["Naive"])
    with pytest.raises(btm.InputError, match=r"^history before the hold-out \(8 of 60 periods, "
                       r"holdout_periods=52\), unique_id 'A': has 8 periods, too short.*"
                       r"or a shorter holdout_periods$"):
        jit.replay_policy(_weekly(60), SKUS, p)


def test_short_history_before_the_holdout_names_the_file():
    p = jit.plan(_weekly(60), SKUS, horizon=4, service_level=0.9, models=["Naive"])
    with pytest.raises(btm.InputError, match=r"^demand\.csv before the hold-out \(8 of 60 "
                       r"periods, holdout_periods=52\), unique_id 'A': has 8 periods"):
        jit.replay_policy(_weekly(60), SKUS, p, source="demand.csv")
    with pytest.raises(btm.InputError, match=r"^season_length: got 13; expected at most 4 "
                       r"periods: .* longest series of demand\.csv before the hold-out"):
        jit.replay_policy(_weekly(60), SKUS, {"service_level": 0.9, "horizon": 4,
                                              "season_length": 13}, source="demand.csv")


@pytest.mark.parametrize("call", [
    lambda h: forecast.backtest(h, horizon=4, models=["Naive"], source="demand.csv"),
    lambda h: forecast.forecast(h, 4, models=["Naive"], source="demand.csv"),
    lambda h: forecast.rolling_forecasts(h, start=h["ds"].iloc[5], models=["Naive"],
                                         source="demand.csv"),
])
def test_forecast_errors_name_the_source(call):
    """backtest, forecast and rolling_forecasts name the table as the caller calls it (the
    user's file), not "history"."""
    with pytest.raises(btm.InputError, match=r"^demand\.csv, unique_id 'A': has \d+ periods"):
        call(_weekly(10))
    bad = _weekly(20).assign(y=lambda d: d["y"].where(d.index != 3, -1.0))
    with pytest.raises(btm.InputError, match=r"^demand\.csv, row 4 \(unique_id 'A'"):
        call(bad)


def test_mixed_time_zones_blame_the_first_offending_row():
    h = _weekly().astype({"ds": str})
    h.loc[5, "ds"] = "2022-02-07T00:00:00+05:00"
    with pytest.raises(btm.InputError, match=r"row 6, column 'ds'"):
        demand.validate_history(h)
