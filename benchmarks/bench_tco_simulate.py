"""Benchmark btm.tco.simulate: 100,000 trials x 5 options x 30 uncertain lines each x 10 years.

Prints wall-clock seconds (best of 3), trials per second and CPU seconds, without and with rank correlation, for the
PERT and triangular distributions. Target: under 2 s without correlation on a 2-core machine.
No assertions: the figures are for the reader.

Run: ``.venv/bin/python benchmarks/bench_tco_simulate.py``
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from btm import tco

N_TRIALS = 100_000
N_OPTIONS = 5
LINES_PER_OPTION = 30
HORIZON = 10
REPEATS = 3


def make_costs(seed: int = 0) -> pd.DataFrame:
    """A synthetic cost table: every line uncertain, a mix of one-off and recurring lines."""
    rng = np.random.default_rng(seed)
    n = N_OPTIONS * LINES_PER_OPTION
    amount = rng.uniform(1e4, 5e5, n).round(-2)
    start = rng.integers(0, 4, n)
    recurring = rng.random(n) < 0.7
    end = np.where(recurring, HORIZON, start)
    return pd.DataFrame({
        "option": np.repeat([f"Option {i + 1}" for i in range(N_OPTIONS)], LINES_PER_OPTION),
        "item": [f"line {i % LINES_PER_OPTION + 1}" for i in range(n)],
        "category": rng.choice(["licence", "staff", "hosting", "implementation"], n),
        "amount": amount,
        "start_year": start,
        "end_year": end,
        "escalation": rng.uniform(0, 0.05, n).round(3),
        "low": (amount * rng.uniform(0.7, 0.95, n)).round(-2),
        "high": (amount * rng.uniform(1.05, 1.6, n)).round(-2),
        "correlation_group": rng.choice(["staff_rates", "vendor_pricing", "overrun"], n),
    })


def best_of(func, repeats: int = REPEATS) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds of `repeats` runs (CPU time is less disturbed by
    other processes on a shared machine)."""
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), min(cpu)


def main() -> None:
    costs = make_costs()
    grouped = costs
    ungrouped = costs.drop(columns="correlation_group")
    cases = [
        ("pert, independent", ungrouped, "pert", 0.0),
        ("triangular, independent", ungrouped, "triangular", 0.0),
        ("pert, rho=0.5 all 150 lines", ungrouped, "pert", 0.5),
        ("pert, rho=0.5 within 3 groups", grouped, "pert", 0.5),
    ]
    print(f"btm.tco.simulate: {N_TRIALS:,} trials x {N_OPTIONS} options x {LINES_PER_OPTION} "
          f"lines x {HORIZON} years (best of {REPEATS})")
    for label, table, distribution, correlation in cases:
        seconds, cpu = best_of(lambda t=table, d=distribution, c=correlation: tco.simulate(
            t, horizon_years=HORIZON, discount_rate=0.08, n=N_TRIALS, seed=0,
            distribution=d, correlation=c))
        print(f"  {label:32s} {seconds:6.2f} s  {N_TRIALS / seconds:10,.0f} trials/s"
              f"  (CPU {cpu:5.2f} s)")


if __name__ == "__main__":
    main()
