"""Benchmark: replay an order-up-to policy for 10,000 SKUs x 52 weeks (plus the naive policy).

Synthetic data (seeded): 52 weeks of history and 52 replayed weeks of Poisson demand with
per-SKU levels, one-step forecasts = 8-week moving average, lead times 0-8 weeks, review
periods 1-4 weeks, pack sizes. Prints wall time and SKUs per second for the whole call
(validation, simulation of both policies, summaries) and for a trade-off curve of 5 levels.

Run: ``.venv/bin/python benchmarks/bench_replay.py [n_skus]``
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from btm.replay import replay, tradeoff_curve


def make_inputs(n_skus: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    hist, weeks = 52, 52
    ds = pd.date_range("2025-11-03", periods=hist + weeks, freq="W-MON")
    skus = np.array([f"SKU-{i:05d}" for i in range(n_skus)])
    level = np.exp(rng.uniform(np.log(0.5), np.log(300), n_skus))
    y = rng.poisson(level[:, None], (n_skus, hist + weeks))
    csum = np.concatenate([np.zeros((n_skus, 1)), np.cumsum(y, axis=1)], axis=1)
    cols = np.arange(hist, hist + weeks)
    forecast = (csum[:, cols] - csum[:, cols - 8]) / 8
    demand = pd.DataFrame({"unique_id": np.repeat(skus, hist + weeks),
                           "ds": np.tile(ds, n_skus), "y": y.ravel()})
    forecasts = pd.DataFrame({"unique_id": np.repeat(skus, weeks), "ds": np.tile(ds[hist:], n_skus),
                              "forecast": forecast.ravel(),
                              "forecast_std": np.sqrt(np.maximum(forecast, 0.25)).ravel()})
    unit_cost = np.round(rng.uniform(2, 500, n_skus), 2)
    policy = pd.DataFrame({
        "unique_id": skus, "lead_time": rng.integers(0, 9, n_skus),
        "review_period": rng.integers(1, 5, n_skus), "service_level": 0.95,
        "holding_cost": unit_cost * 0.25 / 52, "unit_cost": unit_cost,
        "order_cost": rng.uniform(20, 150, n_skus), "shortage_cost": unit_cost * 0.5,
        "min_order": 0.0, "pack_size": rng.choice([1, 1, 6, 12], n_skus),
    })
    return demand, forecasts, policy


def main() -> None:
    n_skus = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    demand, forecasts, policy = make_inputs(n_skus)
    start = time.perf_counter()
    result = replay(demand, forecasts, policy)
    elapsed = time.perf_counter() - start
    print(f"replay: {n_skus:,} SKUs x 52 weeks, forecast + naive policies, "
          f"{len(result.timeline):,} timeline rows: {elapsed:.2f} s "
          f"= {n_skus / elapsed:,.0f} SKUs/s")
    start = time.perf_counter()
    curve = tradeoff_curve(demand, forecasts, policy,
                           service_levels=[0.8, 0.9, 0.95, 0.98, 0.99])
    elapsed = time.perf_counter() - start
    print(f"tradeoff_curve: {n_skus:,} SKUs x 5 service levels x 2 policies: {elapsed:.2f} s "
          f"= {n_skus * len(curve) / 2 / elapsed:,.0f} SKU-replays/s")


if __name__ == "__main__":
    main()
