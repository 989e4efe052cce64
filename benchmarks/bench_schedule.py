"""Benchmark: Monte Carlo of a project's duration, 500 tasks x 10,000 trials (issue 11: < 2 s).

The network is random but shaped like a plan: each task depends on one to three of the 30
tasks before it; three-point estimates with a right skew. Criticality of every task is
included in the timing. Run: ``python benchmarks/bench_schedule.py [n_tasks] [n_trials]``.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from btm import schedule


def random_plan(n_tasks: int, *, seed: int = 0) -> pd.DataFrame:
    """A random precedence network with three-point estimates (a, m, b) per task."""
    rng = np.random.default_rng(seed)
    ids = [f"T{i:04d}" for i in range(n_tasks)]
    preds = []
    for i in range(n_tasks):
        k = min(i, int(rng.integers(1, 4)))
        choice = rng.choice(np.arange(max(0, i - 30), i), size=k, replace=False) if k else []
        preds.append(", ".join(ids[j] for j in sorted(choice)))
    m = rng.integers(2, 20, n_tasks).astype(float)
    return pd.DataFrame({
        "task": ids,
        "optimistic": m * rng.uniform(0.6, 0.95, n_tasks),
        "most_likely": m,
        "pessimistic": m * rng.uniform(1.1, 2.5, n_tasks),
        "predecessors": preds,
    })


def main(n_tasks: int = 500, n_trials: int = 10_000) -> float:
    plan = random_plan(n_tasks)
    schedule.simulate_duration(plan, n_simulations=100)  # warm-up (imports, caches)
    t0 = time.perf_counter()
    sim = schedule.simulate_duration(plan, n_simulations=n_trials, seed=1)
    elapsed = time.perf_counter() - t0
    s = sim.summary.iloc[0]
    print(
        f"simulate_duration: {n_tasks} tasks x {n_trials:,} trials in {elapsed:.2f} s "
        f"(P50 {s['p50']:.1f}, P80 {s['p80']:.1f}, PERT {s['pert_duration']:.1f}; "
        f"{int((sim.tasks['criticality_index'] > 0.5).sum())} tasks critical in most trials)"
    )
    return elapsed


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
