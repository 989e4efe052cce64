"""Design round 6 of btm's forecast intervals, on the development set only.

Question: btm's split-conformal intervals pool the scaled backtest errors of every SKU that
shares a model, so every SKU of a call gets the same half-width in units of its MASE scale.
On the development set the quarterly intervals under-cover (66 % / 88 %) while some series
(beer, cement, wool yarn) over-cover. Is that heterogeneity between series (a hard series
gets the easy ones' width), which a *locally weighted* conformal score corrects (Lei, G'Sell,
Rinaldo, Tibshirani & Wasserman 2018, *JASA* 113:1094-1111, section 5.2; Papadopoulos,
Vovk & Gammerman 2008, normalised nonconformity scores), or a future harder than the past,
which no calibration on the past can see?

Candidates (point forecasts unchanged; written before any candidate figure was computed):

* ``pooled`` -- btm's rule (``btm.forecast._conformal_table``); reproduced here and checked
  against the bounds ``btm.forecast.forecast`` returns.
* ``local`` -- locally weighted, cross-fitted: each SKU's difficulty ``d`` is the mean of
  its absolute scaled backtest errors divided by sqrt(step); a calibration score of window
  ``w`` is the scaled error divided by the difficulty measured on the *other* windows (so
  a score is never normalised by itself, which would make it too small); scores are pooled
  as in ``pooled``; the half-width is quantile x scale x the difficulty on all windows.

Adoption rule (committed before the run): ``local`` replaces ``pooled`` only if, on the
monthly + quarterly development series (``dev_all``, two origins as in
``bench_forecast_accuracy.py``), (a) its overall 80 % and 95 % coverage are each at least
as close to nominal as ``pooled``'s; (b) the quarterly 80 % and 95 % coverage each move
towards nominal by at least 3 points; (c) monthly coverage stays within 80 +- 5 % and
95 +- 3 %; and (d) the mean scaled interval score (Gneiting & Raftery 2007, *JASA*
102:359-378, eq. 43: width + 2/alpha x miss distance, divided by the MASE scale) is not
higher at either level. Otherwise nothing changes.

Result (first and only run): **negative, not adopted.** Coverage 80 % / 95 %, monthly +
quarterly: pooled 80.7 / 94.9, local 84.6 / 96.4 (further from nominal, fails a); quarterly
67.5 / 88.1 -> 72.5 / 90.8 (+5.0 / +2.7 points, fails b at 95 %); monthly 86.6 / 97.9 ->
90.0 / 98.9 (outside the band, fails c); mean scaled interval score 5.27 / 9.01 -> 5.48 /
10.37 (worse, fails d). Differences between series explain little of the quarterly
under-coverage; the local weights mostly widen intervals that were wide enough.

Run: ``python benchmarks/bench_forecast_intervals.py`` (one fit pass, about 5 minutes on
2 cores; ``--cache FILE`` keeps the fits for re-scoring).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_forecast_accuracy import _mase_scale, _origins
from forecast_data import SETTINGS, load

LEVELS = (80.0, 95.0)
RULES = ("pooled", "local")


def collect() -> list[dict]:
    """One fit pass: per development set, frequency and origin, btm's backtest and forecast."""
    import btm.forecast as F

    out = []
    for which in ("dev", "dev_extra"):
        for kind in ("monthly", "quarterly", "weekly"):
            data = load(which, kind)
            if data.empty:
                continue
            freq, sl, h, step = SETTINGS[kind]
            for o, train in enumerate(_origins(data, h, step, 2)):
                sl_btm = sl if train.groupby("unique_id").size().max() >= 2 * sl else 1
                t0 = time.perf_counter()
                bt = F.backtest(train, horizon=h, season_length=sl_btm, freq=freq)
                fc = F.forecast(train, h, season_length=sl_btm, freq=freq, backtest_result=bt)
                fut = fc.merge(data, on=["unique_id", "ds"], how="left")
                out.append({"which": which, "kind": kind, "origin": o, "bt": bt, "fut": fut,
                            "train": train, "eval_scale": _mase_scale(train, sl)})
                print(f"  {which} {kind} origin {o}: {time.perf_counter() - t0:.0f} s",
                      flush=True)
    return out


def half_widths(train: pd.DataFrame, bt, rule: str) -> pd.DataFrame:
    """Half-widths per SKU, step and level under one rule (columns as _conformal_table)."""
    import btm.forecast as F

    if rule == "pooled":
        df = F.validate_history(train, freq=bt.freq)
        return F._conformal_table(df, bt, LEVELS)
    df = F.validate_history(train, freq=bt.freq)
    ch = bt.chosen[["unique_id", "model", "season_length"]]
    ch = ch.loc[~ch["model"].isin(list(F._EMPIRICAL))]
    scale = F._series_scale(df.loc[df["unique_id"].isin(ch["unique_id"])],
                            ch.set_index("unique_id")["season_length"])
    f = bt.forecasts.merge(ch[["unique_id", "model"]], on=["unique_id", "model"])
    z = np.abs(f["y"].to_numpy(float) - f["forecast"].to_numpy(float)) / (
        scale.reindex(f["unique_id"]).to_numpy())
    f = f.assign(z=z, zs=z / np.sqrt(f["step"].to_numpy(float))).loc[np.isfinite(z)]
    # difficulty on all windows, and on every window but the score's own (cross-fitted)
    tot = f.groupby("unique_id")["zs"].agg(["sum", "size"])
    win = f.groupby(["unique_id", "cutoff"])["zs"].agg(["sum", "size"])
    d_all = (tot["sum"] / tot["size"]).clip(lower=1e-9)
    key = pd.MultiIndex.from_frame(f[["unique_id", "cutoff"]])
    rest_sum = tot["sum"].reindex(f["unique_id"]).to_numpy() - win["sum"].reindex(key).to_numpy()
    rest_n = tot["size"].reindex(f["unique_id"]).to_numpy() - win["size"].reindex(key).to_numpy()
    d_rest = np.where(rest_n > 0, rest_sum / np.maximum(rest_n, 1), np.nan)
    f = f.assign(z=f["z"] / np.maximum(d_rest, 1e-9)).loc[np.isfinite(d_rest)]
    qt = F._step_quantiles(f, bt.horizon, LEVELS)  # pooled as btm pools its scores
    out = ch[["unique_id", "model"]].merge(qt, on="model")
    mult = (scale * d_all).reindex(out["unique_id"]).to_numpy()
    return out.assign(half=out["q"].to_numpy() * mult)[["unique_id", "step", "level", "half"]]


def score(rec: dict, rule: str) -> pd.DataFrame:
    """Per future point: coverage and scaled interval score under one rule."""
    import btm.forecast as F

    fut = rec["fut"]
    regular = ~fut["model"].isin(list(F._EMPIRICAL))
    res = fut.loc[regular, ["unique_id", "ds", "forecast"]]
    table = half_widths(rec["train"], rec["bt"], rule)
    b = F._conformal_bounds(res, table, LEVELS)
    b = b.merge(fut[["unique_id", "ds", "y"] + [f"lo_{int(v)}" for v in LEVELS]
                    + [f"hi_{int(v)}" for v in LEVELS]].rename(
        columns=lambda c: c + "_btm" if c[:3] in ("lo_", "hi_") else c),
        on=["unique_id", "ds"])
    y = b["y"].to_numpy(float)
    s = rec["eval_scale"].reindex(b["unique_id"]).to_numpy()
    out = pd.DataFrame({"kind": rec["kind"], "unique_id": b["unique_id"],
                        "origin": rec["origin"]})
    for lv in LEVELS:
        tag = int(lv)
        lo = np.maximum(b[f"lo_{tag}"].to_numpy(float), 0)  # forecast clips bounds at 0
        hi = np.maximum(b[f"hi_{tag}"].to_numpy(float), 0)
        if rule == "pooled":  # the harness must give what btm.forecast.forecast gives
            np.testing.assert_allclose(lo, b[f"lo_{tag}_btm"], rtol=1e-9, atol=1e-9)
            np.testing.assert_allclose(hi, b[f"hi_{tag}_btm"], rtol=1e-9, atol=1e-9)
        a = 1 - lv / 100
        out[f"cover {tag}"] = (y >= lo) & (y <= hi)
        out[f"score {tag}"] = ((hi - lo) + 2 / a * np.maximum(lo - y, 0)
                               + 2 / a * np.maximum(y - hi, 0)) / s
    return out


def summary(scores: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = {}
    for rule, t in scores.items():
        t = t.assign(group=t["kind"])
        both = t.loc[t["kind"] != "weekly"].assign(group="monthly+quarterly")
        for grp, g in pd.concat([t, both]).groupby("group"):
            r = {"n_series": g["unique_id"].nunique()}
            for lv in LEVELS:
                tag = int(lv)
                r[f"coverage {tag} %"] = 100 * g[f"cover {tag}"].mean()
                # mean over series of the mean over their points
                r[f"interval score {tag}"] = g.groupby("unique_id")[f"score {tag}"].mean().mean()
            rows[(grp, rule)] = r
    return pd.DataFrame(rows).T.rename_axis(["series", "rule"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    if args.cache is not None and args.cache.exists():
        recs = pickle.loads(args.cache.read_bytes())
    else:
        recs = collect()
        if args.cache is not None:
            args.cache.write_bytes(pickle.dumps(recs))
    scores = {rule: pd.concat([score(r, rule) for r in recs], ignore_index=True)
              for rule in RULES}
    pd.set_option("display.width", 200)
    print("\nDevelopment set: coverage of the intervals and mean scaled interval score "
          "(lower is better)")
    print(summary(scores).astype(float).round(3).to_string())


if __name__ == "__main__":
    main()
