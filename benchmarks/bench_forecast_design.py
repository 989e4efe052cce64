"""The design round of btm's forecasting method, on the development set only.

Every candidate statsforecast model is fitted once per series and rolling origin of the
development set (``benchmarks/forecast_data.py``: ``DEV`` and ``DEV_EXTRA``; never the test
set), and every candidate method, single models and the combinations the literature proposes,
is scored from those forecasts: mean MASE (Hyndman & Koehler 2006) relative to AutoETS's,
with the share of series on which the method beats AutoETS and the mean time of its members.

Candidates, all from the literature, none invented here:

* single models: AutoETS, AutoARIMA, AutoCES, DynamicOptimizedTheta (DOTM), Theta, STL + ETS
  (statsforecast ``MSTL`` with a non-seasonal AutoETS trend), seasonal naive;
* equal-weight means: ETS+ARIMA (Hyndman & Athanasopoulos, *FPP* 3rd ed., 13.6), ETS+ARIMA
  +STL (the same section's combination), ETS+ARIMA+Theta (the ``forecastHybrid`` core),
  ETS+CES, ETS+DOTM, ETS+Theta, the mean of ETS, ARIMA, CES and DOTM; and SCUM, their median
  (Petropoulos & Svetunkov 2020, *IJF* 36:110-115).

The rule fixed before running: the default method is the candidate with the lowest mean
MASE ratio on the whole development set (``DEV`` + ``DEV_EXTRA``, monthly and quarterly
together, every series weighted equally); candidates within 0.005 of it count as tied, and of
tied candidates the one whose members take least time wins. Run:
``python benchmarks/bench_forecast_design.py`` (about ten minutes on 2 cores).
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_forecast_accuracy import _mase_scale, _origins
from forecast_data import SETTINGS, load

BASE = ["AutoETS", "AutoARIMA", "AutoCES", "DynamicOptimizedTheta", "Theta", "STL_ETS",
        "SeasonalNaive"]
FOUR = ["AutoETS", "AutoARIMA", "AutoCES", "DynamicOptimizedTheta"]
#: name -> (members, how)
CANDIDATES = {
    **{m: ([m], "mean") for m in BASE},
    "ETS+ARIMA": (["AutoETS", "AutoARIMA"], "mean"),
    "ETS+ARIMA+STL": (["AutoETS", "AutoARIMA", "STL_ETS"], "mean"),
    "ETS+ARIMA+Theta": (["AutoETS", "AutoARIMA", "Theta"], "mean"),
    "ETS+CES": (["AutoETS", "AutoCES"], "mean"),
    "ETS+DOTM": (["AutoETS", "DynamicOptimizedTheta"], "mean"),
    "ETS+Theta": (["AutoETS", "Theta"], "mean"),
    "mean of four": (FOUR, "mean"),
    "SCUM (median of four)": (FOUR, "median"),
}


def _models(sl: int) -> list:
    from statsforecast.models import (
        MSTL,
        AutoARIMA,
        AutoCES,
        AutoETS,
        DynamicOptimizedTheta,
        SeasonalNaive,
        Theta,
    )

    return [AutoETS(season_length=sl, alias="AutoETS"),
            AutoARIMA(season_length=sl, alias="AutoARIMA"),
            AutoCES(season_length=sl, alias="AutoCES"),
            DynamicOptimizedTheta(season_length=sl, alias="DynamicOptimizedTheta"),
            Theta(season_length=sl, alias="Theta"),
            MSTL(season_length=sl, trend_forecaster=AutoETS(model="ZZN"), alias="STL_ETS"),
            SeasonalNaive(season_length=sl, alias="SeasonalNaive")]


def base_forecasts(which: str, kind: str, origins: int = 2) -> tuple[pd.DataFrame, dict]:
    """Forecasts of every base model at every origin, with actuals and MASE scales."""
    from statsforecast import StatsForecast

    history = load(which, kind)
    freq, sl, h, step = SETTINGS[kind]
    out, seconds = [], dict.fromkeys(BASE, 0.0)
    for train in _origins(history, h, step, origins):
        parts = []
        for model in _models(sl):
            t0 = time.perf_counter()
            fc = StatsForecast(models=[model], freq=freq).forecast(h=h, df=train)
            seconds[model.alias] += time.perf_counter() - t0
            parts.append(fc.set_index(["unique_id", "ds"]))
        fc = pd.concat(parts, axis=1).reset_index()
        fc = fc.merge(history, on=["unique_id", "ds"], how="left")
        fc["scale"] = fc["unique_id"].map(_mase_scale(train, sl))
        fc["cutoff"] = fc["unique_id"].map(train.groupby("unique_id")["ds"].max())
        fc["kind"] = kind
        out.append(fc)
    return pd.concat(out, ignore_index=True), seconds


def score(fc: pd.DataFrame) -> pd.DataFrame:
    """Per series: mean MASE of every candidate over its origins."""
    cols = {}
    for name, (members, how) in CANDIDATES.items():
        block = fc[members].to_numpy()
        pred = np.nanmedian(block, axis=1) if how == "median" else np.nanmean(block, axis=1)
        cols[name] = np.abs(fc["y"].to_numpy() - np.clip(pred, 0, None)) / fc["scale"]
    err = pd.DataFrame(cols).assign(unique_id=fc["unique_id"].to_numpy(),
                                    cutoff=fc["cutoff"].to_numpy())
    return err.groupby(["unique_id", "cutoff"]).mean().groupby("unique_id").mean()


def table(per_series: pd.DataFrame, seconds: dict) -> pd.DataFrame:
    m = per_series.mean()
    beats = (per_series.lt(per_series["AutoETS"], axis=0)).mean()
    t = {name: sum(seconds[x] for x in members) for name, (members, _) in CANDIDATES.items()}
    return pd.DataFrame({"MASE / AutoETS": m / m["AutoETS"], "mean MASE": m,
                         "beats AutoETS on": beats, "seconds": pd.Series(t)})


def main() -> None:
    warnings.simplefilter("ignore")
    pd.set_option("display.width", 200)
    per, secs, parts = {}, {}, {}
    for which in ("dev", "dev_extra"):
        for kind in ("monthly", "quarterly"):
            fc, s = base_forecasts(which, kind)
            per[(which, kind)] = score(fc)
            secs[(which, kind)] = s
            parts[(which, kind)] = fc
            print(f"{which} {kind}: {fc['unique_id'].nunique()} series", flush=True)
    groups = {
        "dev (first round), monthly + quarterly": [("dev", "monthly"), ("dev", "quarterly")],
        "dev extra, monthly + quarterly": [("dev_extra", "monthly"), ("dev_extra", "quarterly")],
        "whole dev set, monthly": [("dev", "monthly"), ("dev_extra", "monthly")],
        "whole dev set, quarterly": [("dev", "quarterly"), ("dev_extra", "quarterly")],
        "WHOLE DEV SET, monthly + quarterly (the rule)": list(per),
    }
    for title, keys in groups.items():
        ps = pd.concat([per[k] for k in keys])
        s = {m: sum(secs[k][m] for k in keys) for m in BASE}
        t = table(ps, s)
        print(f"\n{title}: {len(ps)} series")
        print(t.sort_values("MASE / AutoETS").round(3).to_string())
    t = table(pd.concat(per.values()), {m: sum(v[m] for v in secs.values()) for m in BASE})
    best = t["MASE / AutoETS"].min()
    tied = t[t["MASE / AutoETS"] <= best + 0.005]
    print(f"\nThe rule picks: {tied['seconds'].idxmin()} (tied within 0.005: "
          f"{', '.join(tied.index)})")


if __name__ == "__main__":
    main()
