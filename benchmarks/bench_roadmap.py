"""Benchmark: exact roadmap for 200 initiatives x 5 years, and a 20-point frontier.

Issue target (2 cores): the plan solved to optimality in under 10 s, the frontier in under a
minute. Random but reproducible instance: two resources, about one dependency per initiative
(on an earlier one), a few exclusions and mandatory items. Prints the exact solve (gap 0,
stopped at 60 s if not closed, with the remaining proved gap) and the solve to a 0.5 % gap.

Measured on this 2-core machine, idle (scipy 1.17, HiGHS): the exact solve did not close the
gap in 60 s (0.40 % left; looser budgets or resources: about 0.1 % left after 30 s); to a
0.5 % gap the plan took 31 s and the 20-point frontier (10 s per point) 32 s; the ranking
baseline reached 77 % of the exact value. The 32-initiative sample solves exactly in 0.1 s.
The newer HiGHS 1.16 (highspy, 2 threads, same model) left 0.33 % after 60 s and 27,876
nodes, so this is not a matter of solver version. Nor of this one instance: six others of the
same size (two seeds; budget and people at 30/40 %, 45/50 % and 60/70 % of what every
initiative would use) left gaps of 0.06-0.65 % after 10 s, none proved. Choosing one start year per initiative
under 15 binding budget and capacity rows is a multiple-choice multidimensional knapsack;
the OR-Library's random instances with 10 rows and 500 items had no proved optimum until a
dedicated exact method found them (Boussier, Vasquez, Vimont, Hanafi & Michelon 2010,
*Discrete Applied Mathematics* 158:97-109). The issue's "optimal in
under 10 s" target is not met on this instance.

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
    n_dep = int((i["depends_on"] != "").sum())
    print(f"instance: 200 initiatives x 5 years, 2 resources, {n_dep} with dependencies")
    for gap, limit in ((0.0, 60.0), (0.005, None)):
        t0 = time.perf_counter()
        result = roadmap.plan(i, p, y, discount_rate=0.08, mip_gap=gap, time_limit=limit)
        s = result.summary.iloc[0]
        print(f"plan (mip_gap={gap:g}, time_limit={limit}): {time.perf_counter() - t0:.2f} s, "
              f"proved={bool(s['optimal'])}, remaining gap {s['mip_gap']:.3%}, "
              f"{len(result.chosen)} funded")
    t0 = time.perf_counter()
    front = roadmap.frontier(i, p, y, discount_rate=0.08, mip_gap=0.005, time_limit=10.0,
                             factors=list(np.linspace(0.5, 1.5, 20)))
    print(f"frontier (mip_gap=0.005): {len(front)} points: {time.perf_counter() - t0:.2f} s, "
          f"largest remaining gap {front['mip_gap'].max():.3%}")
    print("other instances of the same size, 10 s each (seed, budget and people as shares of "
          "what all initiatives would use):")
    for seed in (1, 2):
        for budget_share, people_share in ((0.3, 0.4), (0.45, 0.5), (0.6, 0.7)):
            i2, p2, y2 = instance(seed=seed)
            y2 = y2.assign(budget=p2["cost"].sum() / 5 * budget_share,
                           architects=p2["architects"].sum() / 5 * people_share,
                           data_engineers=p2["data_engineers"].sum() / 5 * people_share)
            t0 = time.perf_counter()
            s = roadmap.plan(i2, p2, y2, discount_rate=0.08, time_limit=10.0).summary.iloc[0]
            print(f"  seed {seed}, budget {budget_share:.0%}, people {people_share:.0%}: "
                  f"{time.perf_counter() - t0:.1f} s, proved={bool(s['optimal'])}, "
                  f"gap {s['mip_gap']:.3%}")
    t0 = time.perf_counter()
    ranked = roadmap.plan_by_ranking(i, p, y, discount_rate=0.08)
    print(f"ranking baseline: {time.perf_counter() - t0:.2f} s, value "
          f"{ranked.value / result.value:.1%} of the exact roadmap's")


if __name__ == "__main__":
    main()
