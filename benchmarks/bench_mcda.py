"""Rank acceptability (SMAA) speed: 10,000 trials x 10 options x 12 criteria.

Prints the time of :func:`btm.mcda.rank_acceptability` (TOPSIS and weighted sum; Dirichlet
weights and beta-PERT scores, all trials as one array computation) beside a naive loop that
draws and scores one trial at a time with numpy. The vectorised call must stay under 0.5 s on
2 cores (issue "Build, buy or cloud").

Run: ``.venv/bin/python benchmarks/bench_mcda.py``
"""

from __future__ import annotations

import time

import numpy as np

from btm import mcda

N_TRIALS, N_OPTIONS, N_CRITERIA = 10_000, 10, 12
LIMIT_SECONDS = 0.5


def _case(seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(1, 5, size=(N_OPTIONS, N_CRITERIA))
    w = rng.dirichlet(np.ones(N_CRITERIA))
    benefit = rng.random(N_CRITERIA) < 0.75
    return x, w, benefit, x - 0.5, x + 0.5


def _naive(x, w, benefit, low, high, n, concentration=50.0, seed=0):
    """One trial at a time: draw weights and PERT scores, TOPSIS, record the ranks."""
    rng = np.random.default_rng(seed)
    m = x.shape[0]
    counts = np.zeros((m, m))
    alpha_w = concentration * w
    a = 1 + 4 * (x - low) / (high - low)
    b = 1 + 4 * (high - x) / (high - low)
    for _ in range(n):
        ww = rng.dirichlet(alpha_w)
        xx = low + (high - low) * rng.beta(a, b)
        r = xx / np.sqrt((xx**2).sum(axis=0))
        v = r * ww
        best = np.where(benefit, v.max(axis=0), v.min(axis=0))
        worst = np.where(benefit, v.min(axis=0), v.max(axis=0))
        dp = np.sqrt(((v - best) ** 2).sum(axis=1))
        dm = np.sqrt(((v - worst) ** 2).sum(axis=1))
        c = dm / (dp + dm)
        counts[np.argsort(-c), np.arange(m)] += 1
    return counts / n


def _best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    x, w, benefit, low, high = _case()
    mcda.rank_acceptability(x, w, benefit, n=100, low=low, high=high)  # warm-up
    print(f"rank_acceptability: {N_TRIALS:,} trials x {N_OPTIONS} options x {N_CRITERIA} "
          "criteria (Dirichlet weights, beta-PERT scores)")
    results = {}
    for method in mcda.METHODS:
        results[method] = _best_of(lambda method=method: mcda.rank_acceptability(
            x, w, benefit, method=method, n=N_TRIALS, low=low, high=high))
        print(f"  vectorised, {method:<12}  {results[method]:7.3f} s")
    naive = _best_of(lambda: _naive(x, w, benefit, low, high, N_TRIALS), repeat=1)
    print(f"  naive loop, topsis        {naive:7.3f} s  ({naive / results['topsis']:.0f}x slower)")
    worst = max(results.values())
    verdict = "OK" if worst < LIMIT_SECONDS else "TOO SLOW"
    print(f"  limit {LIMIT_SECONDS} s: {verdict}")


if __name__ == "__main__":
    main()
