"""Throughput of btm's whole forecasting flow on many synthetic SKUs (weekly, 3 years).

Flow timed: validation + Syntetos-Boylan classification + 2-window backtest of the candidate
models (model choice) + forecast of each SKU's chosen model with intervals + lead-time error
quantiles for safety stock; then the same SKUs through ``btm.jit.plan``, the whole flow up to
safety stock, reorder points and the replenishment plan. Compared with statsforecast's AutoETS(season_length=52) alone on a
subsample (extrapolated to all SKUs).

Target (issue 3): 10,000 SKUs x 156 weeks in under 15 minutes on 2 cores.

Run: ``python benchmarks/bench_forecast_scale.py`` (default 10,000 SKUs) or
``python benchmarks/bench_forecast_scale.py --n-series 500`` for a quick look;
``--dask`` runs the flow on a local Dask cluster instead (``--dask-address`` for a real one).
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import numpy as np
import pandas as pd


def synthetic_demand(n_series: int, n_weeks: int = 156, seed: int = 0) -> pd.DataFrame:
    """Mix of SKUs: 40 % smooth seasonal, 20 % erratic, 25 % intermittent, 15 % lumpy."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_weeks)
    kind = rng.choice(4, size=n_series, p=[0.4, 0.2, 0.25, 0.15])
    level = rng.lognormal(3, 1, (n_series, 1))
    season = 1 + rng.uniform(0, 0.5, (n_series, 1)) * np.sin(
        2 * np.pi * (t[None, :] + rng.integers(0, 52, (n_series, 1))) / 52)
    smooth = rng.poisson(level * season)
    erratic = rng.gamma(0.8, level / 0.8 * season)
    p = rng.uniform(0.1, 0.5, (n_series, 1))
    occurs = rng.random((n_series, n_weeks)) < p
    intermittent = occurs * (rng.poisson(np.maximum(level / 4, 1), (n_series, n_weeks)) + 1)
    lumpy = occurs * rng.gamma(0.5, np.maximum(level, 1) * 2, (n_series, n_weeks))
    y = np.choose(kind[:, None], [smooth, erratic, intermittent, lumpy]).round()
    ds = pd.date_range("2022-01-02", periods=n_weeks, freq="W-SUN")
    return pd.DataFrame({
        "unique_id": np.repeat([f"SKU{i:06d}" for i in range(n_series)], n_weeks),
        "ds": np.tile(ds, n_series),
        "y": y.ravel().astype(float),
    })


def run_flow(history: pd.DataFrame, *, horizon: int, lead_time: int, n_jobs: int,
             client: object = None) -> dict[str, float]:
    import btm.forecast as bf

    times = {}
    t0 = time.perf_counter()
    bt = bf.backtest(history, horizon=horizon, n_jobs=n_jobs, client=client)
    times["classify + backtest (model choice)"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    fc = bf.forecast(history, horizon, backtest_result=bt, n_jobs=n_jobs, client=client)
    times["forecast chosen models + intervals"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    bf.lead_time_error_quantiles(bt, lead_time=lead_time, quantiles=[0.9, 0.95])
    times["lead-time error quantiles"] = time.perf_counter() - t2
    times["total"] = time.perf_counter() - t0
    print("chosen models:", bt.summary.to_string(index=False), sep="\n")
    assert len(fc) == history["unique_id"].nunique() * horizon
    return times


def synthetic_skus(history: pd.DataFrame, *, lead_time: int, seed: int = 0) -> pd.DataFrame:
    """Item master for the synthetic SKUs (columns as in data/demand/skus.csv)."""
    rng = np.random.default_rng(seed)
    ids = history["unique_id"].drop_duplicates().to_numpy()
    return pd.DataFrame({
        "unique_id": ids,
        "unit_cost": rng.lognormal(3, 1, ids.size).round(2),
        "lead_time_weeks": lead_time,
        "order_cost": 50.0,
        "holding_cost_rate": 0.25,
        "pack_size": rng.choice([1, 5, 10], ids.size),
        "min_order": 0,
    })


def run_plan(history: pd.DataFrame, *, horizon: int, lead_time: int, n_jobs: int
             ) -> float:
    """The whole flow as an analyst calls it: btm.jit.plan (classification, backtested model
    choice, forecast with intervals, safety stock, reorder point, EOQ, kanban, orders)."""
    from btm import jit

    skus = synthetic_skus(history, lead_time=lead_time)
    t0 = time.perf_counter()
    plan = jit.plan(history, skus, horizon=horizon, service_level=0.95, n_jobs=n_jobs)
    seconds = time.perf_counter() - t0
    assert len(plan.policy) == skus.shape[0]
    print(f"orders planned: {len(plan.orders):,} for {plan.policy.shape[0]:,} SKUs")
    return seconds


def raw_autoets(history: pd.DataFrame, *, horizon: int, n_jobs: int, n_sample: int) -> float:
    """Series per second of statsforecast AutoETS(season_length=52) forecast, on a sample."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    ids = history["unique_id"].drop_duplicates().to_numpy()[:n_sample]
    sample = history.loc[history["unique_id"].isin(ids)]
    sf = StatsForecast(models=[AutoETS(season_length=52)], freq="W-SUN", n_jobs=n_jobs)
    sf.forecast(h=horizon, df=sample.loc[sample["unique_id"] == ids[0]])  # compile
    t0 = time.perf_counter()
    sf.forecast(h=horizon, df=sample, level=[80, 95])
    return len(ids) / (time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-series", type=int, default=10_000)
    parser.add_argument("--n-weeks", type=int, default=156)
    parser.add_argument("--horizon", type=int, default=13)
    parser.add_argument("--lead-time", type=int, default=2)
    parser.add_argument("--n-jobs", type=int, default=-1)
    parser.add_argument("--autoets-sample", type=int, default=100)
    parser.add_argument("--dask", action="store_true", help="run on a local Dask cluster")
    parser.add_argument("--dask-address", default=None)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    history = synthetic_demand(args.n_series, args.n_weeks)
    print(f"{args.n_series} SKUs x {args.n_weeks} weeks, horizon {args.horizon}, "
          f"{os.cpu_count()} cores")
    # warm-up: numba compiles each model once per process (not counted)
    import btm.forecast as bf

    bf.forecast(synthetic_demand(8, args.n_weeks, seed=1), args.horizon)
    client = None
    if args.dask or args.dask_address:
        from distributed import Client, LocalCluster

        client = Client(args.dask_address) if args.dask_address else Client(
            LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1,
                         dashboard_address=None))
    try:
        times = run_flow(history, horizon=args.horizon, lead_time=args.lead_time,
                         n_jobs=1 if client is not None else args.n_jobs, client=client)
    finally:
        if client is not None:
            client.close()
    for step, secs in times.items():
        print(f"{step:40s} {secs:8.1f} s")
    print(f"btm forecasting steps: {args.n_series / times['total']:.1f} series/s "
          f"({times['total'] / 60:.1f} min for {args.n_series})")
    if client is None:
        secs = run_plan(history, horizon=args.horizon, lead_time=args.lead_time,
                        n_jobs=args.n_jobs)
        print(f"btm whole flow (jit.plan: classes, model choice, forecast, intervals, safety "
              f"stock, reorder points, orders): {args.n_series / secs:.1f} series/s "
              f"({secs / 60:.1f} min for {args.n_series})")
    rate = raw_autoets(history, horizon=args.horizon, n_jobs=args.n_jobs,
                       n_sample=min(args.autoets_sample, args.n_series))
    print(f"raw AutoETS(season_length=52) forecast only: {rate:.1f} series/s "
          f"(extrapolated {args.n_series / rate / 60:.1f} min for {args.n_series})")


if __name__ == "__main__":
    main()
