"""Accuracy, interval coverage and time of ``btm.forecast.forecast`` on real series it was not
tuned to, next to statsforecast's AutoETS, AutoARIMA, their mean and seasonal naive.

Protocol (``benchmarks/forecast_data.py`` says which series are in which set and why): a
**development** set the method was designed on and a separate **test** set looked at only to
report. Rolling origin: ``--origins`` origins (default 2) one step apart (monthly 12,
quarterly 4, weekly 13 periods); at each origin every method sees only the data up to it and
forecasts the horizon (monthly 12, quarterly 8, weekly 13). btm's forecast includes its own
inner backtest on the training data (that is where its intervals come from).

Figures, per set and frequency and for the monthly + quarterly series together:

* mean MASE (Hyndman & Koehler 2006; scale = in-sample MAE of the seasonal naive forecast up
  to the origin), averaged over origins per series, then over series; and its ratio to
  AutoETS's;
* coverage of the 80 % and 95 % intervals: share of actuals inside (btm's and AutoETS's own);
* time: btm's whole forecast against AutoETS + AutoARIMA fitted once on the same training
  sets (``n_jobs=1`` for both).

The monthly + quarterly test-set figures are written to ``btm/data/demand/accuracy.csv``
(the demand analysis quotes them). Run: ``python benchmarks/bench_forecast_accuracy.py``
(``--sets dev`` or ``--sets test`` for one set; ``dev_all`` adds ``DEV_EXTRA``, ``test2`` is
the second test set; several minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from forecast_data import SETTINGS, load

ROOT = Path(__file__).resolve().parents[1]
METHODS = ["btm", "AutoETS", "AutoARIMA", "ETS+ARIMA mean", "SeasonalNaive"]


def _origins(history: pd.DataFrame, horizon: int, step: int, n: int) -> list[pd.DataFrame]:
    """Training tables of each origin (the last `horizon + step * k` periods held out)."""
    out = []
    size = history.groupby("unique_id")["ds"].transform("size")
    pos = history.groupby("unique_id").cumcount()
    for k in range(n - 1, -1, -1):
        keep = pos < size - horizon - step * k
        out.append(history.loc[keep].reset_index(drop=True))
    return out


def _mase_scale(train: pd.DataFrame, sl: int) -> pd.Series:
    def one(y: np.ndarray) -> float:
        m = sl if len(y) > sl else 1
        return float(np.mean(np.abs(y[m:] - y[:-m])))

    return train.groupby("unique_id")["y"].apply(lambda v: one(v.to_numpy()))


def evaluate(history: pd.DataFrame, kind: str, origins: int) -> tuple[pd.DataFrame, dict]:
    """Per series x origin x method: MASE and coverage; plus timings."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoARIMA, AutoETS, SeasonalNaive

    import btm.forecast

    freq, sl, h, step = SETTINGS[kind]
    arima = kind != "weekly"  # AutoARIMA with a 52-week season takes hours
    base = [AutoETS(season_length=sl)] + ([AutoARIMA(season_length=sl)] if arima else [])
    rows, t_btm, t_base = [], 0.0, 0.0
    for train in _origins(history, h, step, origins):
        # a season needs two full cycles of history (btm refuses a longer one)
        sl_btm = sl if train.groupby("unique_id").size().max() >= 2 * sl else 1
        t0 = time.perf_counter()
        ours = btm.forecast.forecast(train, h, season_length=sl_btm, freq=freq)
        t_btm += time.perf_counter() - t0
        t0 = time.perf_counter()
        ref = StatsForecast(models=base, freq=freq).forecast(h=h, df=train, level=[80, 95])
        t_base += time.perf_counter() - t0
        sn = StatsForecast(models=[SeasonalNaive(season_length=sl)], freq=freq).forecast(
            h=h, df=train)
        ref = ref.merge(sn, on=["unique_id", "ds"])
        ref["AutoARIMA"] = ref["AutoARIMA"] if arima else np.nan
        ref["ETS+ARIMA mean"] = ref[["AutoETS", "AutoARIMA"]].mean(axis=1, skipna=False)
        both = ours.rename(columns={"forecast": "btm"}).merge(ref, on=["unique_id", "ds"])
        both = both.merge(history, on=["unique_id", "ds"], how="left")
        scale = _mase_scale(train, sl)
        cutoff = train.groupby("unique_id")["ds"].max()
        for uid, g in both.groupby("unique_id"):
            y = g["y"].to_numpy()
            row = {"kind": kind, "unique_id": uid, "cutoff": cutoff[uid],
                   "btm_model": g["model"].iloc[0]}
            for m in METHODS:
                row[m] = np.mean(np.abs(y - g[m].to_numpy())) / scale[uid]
            for lv in (80, 95):
                row[f"btm_cover_{lv}"] = np.mean((y >= g[f"lo_{lv}"]) & (y <= g[f"hi_{lv}"]))
                row[f"ets_cover_{lv}"] = np.mean((y >= g[f"AutoETS-lo-{lv}"])
                                                 & (y <= g[f"AutoETS-hi-{lv}"]))
                row[f"n_{lv}"] = len(y)
            rows.append(row)
    return pd.DataFrame(rows), {"btm_s": t_btm, "ets_arima_s": t_base}


def summarise(res: pd.DataFrame, times: dict) -> dict:
    per = res.groupby("unique_id")[METHODS].mean()
    m = per.mean()
    out = {"n_series": len(per)}
    for k in METHODS:
        out[f"mase {k}"] = m[k]
        out[f"ratio {k}"] = m[k] / m["AutoETS"]
    for lv in (80, 95):
        out[f"btm coverage {lv}"] = np.average(res[f"btm_cover_{lv}"], weights=res[f"n_{lv}"])
        out[f"AutoETS coverage {lv}"] = np.average(res[f"ets_cover_{lv}"],
                                                   weights=res[f"n_{lv}"])
    out["btm seconds"] = times["btm_s"]
    out["ETS+ARIMA seconds"] = times["ets_arima_s"]
    out["time ratio"] = times["btm_s"] / times["ets_arima_s"]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--origins", type=int, default=2)
    parser.add_argument("--sets", default="dev,test")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    import btm.forecast

    # warm-up: numba compiles each model once per process (not timed)
    warm = load("dev", "quarterly")
    btm.forecast.forecast(warm.loc[warm["unique_id"] == "ausbeer"], 4, season_length=4)
    table = {}
    for which in args.sets.split(","):
        all_res, all_t = [], {"btm_s": 0.0, "ets_arima_s": 0.0}
        for kind in ("monthly", "quarterly", "weekly"):
            data = load(which, kind)
            if data.empty:
                continue
            res, t = evaluate(data, kind, args.origins)
            table[(which, kind)] = summarise(res, t)
            print(f"{which} {kind}: {res['unique_id'].nunique()} series; btm models:",
                  res["btm_model"].value_counts().to_dict(), flush=True)
            print("   ", {k: round(float(v), 3) for k, v in table[(which, kind)].items()},
                  flush=True)
            if kind != "weekly":
                all_res.append(res)
                all_t = {k: all_t[k] + t[k] for k in all_t}
        table[(which, "monthly+quarterly")] = summarise(pd.concat(all_res), all_t)
    out = pd.DataFrame(table).T
    out.index.names = ["set", "series"]
    pd.set_option("display.width", 200)
    cols = ["n_series", *[f"ratio {k}" for k in METHODS], "mase btm", "mase AutoETS",
            "btm coverage 80", "btm coverage 95", "AutoETS coverage 80",
            "AutoETS coverage 95", "btm seconds", "ETS+ARIMA seconds", "time ratio"]
    print("\nMASE / AutoETS's MASE (lower is better), coverage of the intervals, time")
    print(out[cols].astype(float).round(3).to_string())
    if "test" in args.sets.split(",") and not args.no_write:
        t = out.loc[("test", "monthly+quarterly")]
        rec = pd.DataFrame([{
            "set": "test", "series": "monthly+quarterly", "n_series": int(t["n_series"]),
            "origins": args.origins, "method": btm.forecast.DEFAULT_METHOD,
            "mase_ratio_to_autoets": round(float(t["ratio btm"]), 4),
            "mase_ratio_seasonal_naive": round(float(t["ratio SeasonalNaive"]), 4),
            "coverage_80": round(float(t["btm coverage 80"]), 4),
            "coverage_95": round(float(t["btm coverage 95"]), 4),
            "autoets_coverage_80": round(float(t["AutoETS coverage 80"]), 4),
            "autoets_coverage_95": round(float(t["AutoETS coverage 95"]), 4),
            "time_ratio_to_ets_arima": round(float(t["time ratio"]), 3),
        }])
        path = ROOT / "btm" / "data" / "demand" / "accuracy.csv"
        rec.to_csv(path, index=False)
        print(f"\nwritten {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
