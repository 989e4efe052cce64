"""Benchmark: exact roadmap for 200 initiatives x 5 years, and a 20-point frontier.

Issue target (2 cores): the plan solved to optimality in under 10 s, the frontier in under a
minute. Random but reproducible instance: two resources, about one dependency per initiative
(on an earlier one), a few exclusions and mandatory items.

Run: ``.venv/bin/python benchmarks/bench_roadmap.py``
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from btm import roadmap


def instance(n: int = 200, years: int = 5, seed: int = 0):
    rng = np.random.default_rng(seed)
    ids = [f"I{j:03d}" for j in range(n)]
    deps = []
    for j in range(n):
        k = rng.poisson(0.8) if j > 10 else 0
        deps.append(", ".join(sorted({ids[a] for a in rng.integers(0, j, size=k)})) if k else "")
    excl = [""] * n
    for a in rng.choice(n, size=10, replace=False):
        b = int(rng.integers(0, n))
        if b != a and ids[b] not in deps[a] and ids[a] not in deps[b]:
            excl[a] = ids[b]
    mandatory = np.zeros(n, dtype=bool)
    mandatory[rng.choice(np.arange(10), size=3, replace=False)] = True
    dur = rng.integers(1, 3, size=n)
    initiatives = pd.DataFrame({"initiative": ids, "value": rng.gamma(2.0, 400_000, n).round(-3),
                                "depends_on": deps, "excludes": excl, "mandatory": mandatory})
    rows = []
    for j in range(n):
        for k in range(dur[j]):
            rows.append((ids[j], k, float(rng.gamma(2.0, 120_000)), float(rng.integers(0, 3)) / 2,
                         float(rng.integers(0, 3)) / 2))
    profiles = pd.DataFrame(rows, columns=["initiative", "project_year", "cost", "architects",
                                           "data_engineers"])
    total = profiles["cost"].sum()
    ytab = pd.DataFrame({"year": 2026 + np.arange(years), "budget": total / years * 0.45,
                         "architects": profiles["architects"].sum() / years * 0.5,
                         "data_engineers": profiles["data_engineers"].sum() / years * 0.5})
    return initiatives, profiles, ytab


def main() -> None:
    i, p, y = instance()
    t0 = time.perf_counter()
    result = roadmap.plan(i, p, y, discount_rate=0.08)
    t_plan = time.perf_counter() - t0
    print(f"plan: 200 initiatives x 5 years, 2 resources, {int((i['depends_on'] != '').sum())} "
          f"with dependencies: {t_plan:.2f} s, optimal={bool(result.summary['optimal'][0])}, "
          f"{len(result.chosen)} funded")
    t0 = time.perf_counter()
    front = roadmap.frontier(i, p, y, discount_rate=0.08,
                             factors=list(np.linspace(0.5, 1.5, 20)))
    t_front = time.perf_counter() - t0
    print(f"frontier: {len(front)} points: {t_front:.2f} s")
    t0 = time.perf_counter()
    roadmap.plan_by_ranking(i, p, y, discount_rate=0.08)
    print(f"ranking baseline: {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
