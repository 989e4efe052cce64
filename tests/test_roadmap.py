"""Tests of btm.roadmap: published knapsack and capital-budgeting instances, brute force, properties.

Independent sources:

* adagio (R package by H. W. Borchers), ``knapsack`` help page, Examples 1 and 2 with their
  stated optima (profit 280 with items 1, 2, 3, 4, 6; profit 107 with items 1, 4),
  https://search.r-project.org/CRAN/refmans/adagio/html/knapsack.html
* Rosetta Code, "Knapsack problem/0-1" (the tourist's 22 items, 400 dag); its optimum (value
  1030, weight 396) is recomputed here by the textbook dynamic programme, not taken on trust.
* OR-Library (Beasley 1990), file ``mknap1.txt``: the seven multi-constraint 0-1 problems of
  Petersen (1967), "Computational experience with variants of the Balas algorithm applied to
  the selection of R&D projects", Management Science 13(9), 736-750: R&D project selection
  under several period budgets (multi-period capital rationing), with the optimal values
  given in the file (3800, 8706.1, 4015, 6120, 12400, 10618, 16537).
* Brute force: on small random instances the MILP must equal the best of all subsets (select)
  or of all start-year assignments (plan), enumerated here in plain Python.
* scipy.optimize.linprog is not an independent oracle for the LP shadow price; instead the
  dual of a single budget is checked against Dantzig's (1957) closed form: the value/cost
  ratio of the item the LP relaxation funds in part.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from btm import InputError, roadmap
from btm.constraints import all_invalid, constraints_of

DATA = Path(roadmap.__file__).resolve().parent / "data" / "technology_roadmap"

# OR-Library mknap1.txt, problems 1-7 (Petersen 1967): n m optimum / profits / m rows of
# n coefficients / m capacities.
MKNAP1 = """
 6 10 3800
 100 600 1200 2400 500 2000
 8 12 13 64 22 41
 8 12 13 75 22 41
 3 6 4 18 6 4
 5 10 8 32 6 12
 5 13 8 42 6 20
 5 13 8 48 6 20
 0 0 0 0 8 0
 3 0 4 0 8 0
 3 2 4 0 8 4
 3 2 4 8 8 4
 80 96 20 36 44 48 10 18 22 24
 10 10 8706.1
 600.1 310.5 1800 3850 18.6 198.7 882 4200 402.5 327
 20 5 100 200 2 4 60 150 80 40
 20 7 130 280 2 8 110 210 100 40
 60 3 50 100 4 2 20 40 6 12
 60 8 70 200 4 6 40 70 16 20
 60 13 70 250 4 10 60 90 20 24
 60 13 70 280 4 10 70 105 22 28
 5 2 20 100 2 5 10 60 0 0
 45 14 80 180 6 10 40 100 20 0
 55 14 80 200 6 10 50 140 30 40
 65 14 80 220 6 10 50 180 30 50
 450 540 200 360 440 480 200 360 440 480
 15 10 4015
 100 220 90 400 300 400 205 120 160 580 400 140 100 1300 650
 8 24 13 80 70 80 45 15 28 90 130 32 20 120 40
 8 44 13 100 100 90 75 25 28 120 130 32 40 160 40
 3 6 4 20 20 30 8 3 12 14 40 6 3 20 5
 5 9 6 40 30 40 16 5 18 24 60 16 11 30 25
 5 11 7 50 40 40 19 7 18 29 70 21 17 30 25
 5 11 7 55 40 40 21 9 18 29 70 21 17 35 25
 0 0 1 10 4 10 0 6 0 6 32 3 0 70 10
 3 4 5 20 14 20 6 12 10 18 42 9 12 100 20
 3 6 9 30 29 20 12 12 10 30 42 18 18 110 20
 3 8 9 35 29 20 16 15 10 30 42 20 18 120 20
 550 700 130 240 280 310 110 205 260 275
 20 10 6120
 100 220 90 400 300 400 205 120 160 580 400 140 100 1300 650
 320 480 80 60 2550
 8 24 13 80 70 80 45 15 28 90 130 32 20 120 40
 30 20 6 3 180
 8 44 13 100 100 90 75 25 28 120 130 32 40 160 40
 60 55 10 6 240
 3 6 4 20 20 30 8 3 12 14 40 6 3 20 5
 0 5 3 0 20
 5 9 6 40 30 40 16 5 18 24 60 16 11 30 25
 10 13 5 1 80
 5 11 7 50 40 40 19 7 18 29 70 21 17 30 25
 15 25 5 1 100
 5 11 7 55 40 40 21 9 18 29 70 21 17 35 25
 20 25 5 2 110
 0 0 1 10 4 10 0 6 0 6 32 3 0 70 10
 0 0 0 0 0
 3 4 5 20 14 20 6 12 10 18 42 9 12 100 20
 5 6 4 1 20
 3 6 9 30 29 20 12 12 10 30 42 18 18 110 20
 15 18 7 2 40
 3 8 9 35 29 20 16 15 10 30 42 20 18 120 20
 20 22 7 3 50
 550 700 130 240 280 310 110 205 260 275
 28 10 12400
 100 220 90 400 300 400 205 120 160 580 400 140 100 1300 650
 320 480 80 60 2550 3100 1100 950 450 300 220 200 520
 8 24 13 80 70 80 45 15 28 90 130 32 20 120 40
 30 20 6 3 180 220 50 30 50 12 5 8 18
 8 44 13 100 100 90 75 25 28 120 130 32 40 160 40
 60 55 10 6 240 290 80 90 70 27 17 8 28
 3 6 4 20 20 30 8 3 12 14 40 6 3 20 5
 0 5 3 0 20 30 40 10 0 5 0 0 10
 5 9 6 40 30 40 16 5 18 24 60 16 11 30 25
 10 13 5 1 80 60 50 20 30 10 5 3 20
 5 11 7 50 40 40 19 7 18 29 70 21 17 30 25
 15 25 5 1 100 70 55 20 50 15 15 6 20
 5 11 7 55 40 40 21 9 18 29 70 21 17 35 25
 20 25 5 2 110 70 55 20 50 20 15 6 20
 0 0 1 10 4 10 0 6 0 6 32 3 0 70 10
 0 0 0 0 0 30 10 0 10 10 5 0 10
 3 4 5 20 14 20 6 12 10 18 42 9 12 100 20
 5 6 4 1 20 50 30 5 20 20 10 10 20
 3 6 9 30 29 20 12 12 10 30 42 18 18 110 20
 15 18 7 2 40 60 50 25 25 25 15 10 28
 3 8 9 35 29 20 16 15 10 30 42 20 18 120 20
 20 22 7 3 50 60 55 25 30 25 15 10 28
 930 1210 272 462 532 572 240 400 470 490
 39 5 10618
 560 1125 300 620 2100 431 68 328 47 122 322 196 41 25 425 4260
 416 115 82 22 631 132 420 86 42 103 215 81 91 26 49 420
 316 72 71 49 108 116 90
 40 91 10 30 160 20 3 12 3 18 9 25 1 1 10 280 10 8 1 1 49 8 21
 6 1
 5 10 8 2 1 0 10 42 6 4 8 0 10 1
 16 92 41 16 150 23 4 18 6 0 12 8 2 1 0 200 20 6 2 1 70 9 22 4
 1 5
 10 6 4 0 4 12 8 4 3 0 10 0 6
 38 39 32 71 80 26 5 40 8 12 30 15 0 1 23 100 0 20 3 0 40 6 8 0
 6 4
 22 4 6 1 5 14 8 2 8 0 20 0 0
 8 71 30 60 200 18 6 30 4 8 31 6 3 0 18 60 21 4 0 2 32 15 31 2
 2 7
 8 2 8 0 2 8 6 7 1 0 0 20 8
 38 52 30 42 170 9 7 20 0 3 21 4 1 2 14 310 8 4 6 1 18 15 38 10
 4 8
 6 0 0 3 0 10 6 1 3 0 3 5 4
 600 500 500 500 600
 50 5 16537
 560 1125 300 620 2100 431 68 328 47 122 322 196 41 25 425 4260
 416 115 82 22 631 132 420 86 42 103 215 81 91 26 49 420
 316 72 71 49 108 116 90 738 1811 430 3060 215 58 296 620 418
 47 81
 40 91 10 30 160 20 3 12 3 18 9 25 1 1 10 280 10 8 1 1 49 8 21
 6 1
 5 10 8 2 1 0 10 42 6 4 8 0 10 1 40 86 11 120 8 3 32 28 13 2 4
 16 92 41 16 150 23 4 18 6 0 12 8 2 1 0 200 20 6 2 1 70 9 22 4
 1 5
 10 6 4 0 4 12 8 4 3 0 10 0 6 28 93 9 30 22 0 36 45 13 2 2
 38 39 32 71 80 26 5 40 8 12 30 15 0 1 23 100 0 20 3 0 40 6 8 0
 6 4
 22 4 6 1 5 14 8 2 8 0 20 0 0 6 12 6 80 13 6 22 14 0 1 2
 8 71 30 60 200 18 6 30 4 8 31 6 3 0 18 60 21 4 0 2 32 15 31 2
 2 7
 8 2 8 0 2 8 6 7 1 0 0 20 8 14 20 2 40 6 1 14 20 12 0 1
 38 52 30 42 170 9 7 20 0 3 21 4 1 2 14 310 8 4 6 1 18 15 38 10
 4 8
 6 0 0 3 0 10 6 1 3 0 3 5 4 0 30 12 16 18 3 16 22 30 4 0
 800 650 550 550 650
"""


def _mknap1() -> list[tuple[np.ndarray, np.ndarray, np.ndarray, float]]:
    tok = [float(t) for t in MKNAP1.split()]
    out, i = [], 0
    while i < len(tok):
        n, m, opt = int(tok[i]), int(tok[i + 1]), tok[i + 2]
        i += 3
        profit = np.array(tok[i:i + n])
        i += n
        weights = np.array(tok[i:i + m * n]).reshape(m, n)
        i += m * n
        cap = np.array(tok[i:i + m])
        i += m
        out.append((profit, weights, cap, opt))
    return out


def _items(values, costs, deps=None, excl=None, mandatory=None) -> pd.DataFrame:
    n = len(values)
    df = pd.DataFrame({"initiative": [f"I{k}" for k in range(n)], "value": values,
                       "cost": costs})
    if deps is not None:
        df["depends_on"] = [", ".join(f"I{a}" for a in d) for d in deps]
    if excl is not None:
        df["excludes"] = [", ".join(f"I{a}" for a in d) for d in excl]
    if mandatory is not None:
        df["mandatory"] = mandatory
    return df


# --------------------------------------------------------------------------- published examples


@pytest.mark.parametrize("p, w, cap, items, profit", [
    ([15, 100, 90, 60, 40, 15, 10, 1], [2, 20, 20, 30, 40, 30, 60, 10], 102,
     [1, 2, 3, 4, 6], 280),
    ([70, 20, 39, 37, 7, 5, 10], [31, 10, 20, 19, 4, 3, 6], 50, [1, 4], 107),
])
def test_adagio_knapsack_examples_1_and_2(p, w, cap, items, profit):
    """adagio ``knapsack`` help page, Examples 1 and 2 (items numbered from 1)."""
    best = roadmap.select(_items(p, w), budget=cap)
    assert best.value == profit
    assert best.chosen == [f"I{k - 1}" for k in items]


def test_rosetta_code_tourist_knapsack():
    """Rosetta Code "Knapsack problem/0-1": 22 items, 400 dag; optimum 1030 at weight 396.

    The optimum is recomputed by the textbook dynamic programme over capacities.
    """
    w = [9, 13, 153, 50, 15, 68, 27, 39, 23, 52, 11, 32, 24, 48, 73, 42, 43, 22, 7, 18, 4, 30]
    v = [150, 35, 200, 160, 60, 45, 60, 40, 30, 10, 70, 30, 15, 10, 40, 70, 75, 80, 20, 12,
         50, 10]
    best = [0] * 401
    for wi, vi in zip(w, v, strict=True):
        for c in range(400, wi - 1, -1):
            best[c] = max(best[c], best[c - wi] + vi)
    assert best[400] == 1030
    result = roadmap.select(_items(v, w), budget=400)
    assert result.value == 1030
    assert result.cost == 396  # the cheapest of the optimal packings


@pytest.mark.parametrize("k", range(7))
def test_petersen_1967_or_library_mknap1(k):
    """OR-Library mknap1 problem k+1 (Petersen 1967): each constraint read as one year's budget.

    Every project's coefficients become its cost in project years 0..m-1 and it must start in
    the first year, which is exactly Weingartner's multi-period capital-budgeting programme.
    """
    profit, weights, cap, opt = _mknap1()[k]
    m, n = weights.shape
    ids = [f"P{j + 1}" for j in range(n)]
    initiatives = pd.DataFrame({"initiative": ids, "value": profit, "earliest_start": 2000,
                                "latest_start": 2000})
    profiles = pd.DataFrame({"initiative": np.repeat(ids, m),
                             "project_year": np.tile(np.arange(m), n),
                             "cost": weights.T.ravel()})
    years = pd.DataFrame({"year": 2000 + np.arange(m), "budget": cap})
    result = roadmap.plan(initiatives, profiles, years)
    assert result.value == pytest.approx(opt, abs=1e-6)
    assert result.summary["optimal"].iloc[0]
    used = result.yearly.query("constraint == 'budget'")["used"].to_numpy()
    assert np.all(used <= cap + 1e-9)
    chosen = np.isin(ids, result.chosen)
    np.testing.assert_allclose(used, weights @ chosen)


def test_petersen_problem_1_by_brute_force():
    """Problem 1 has 6 projects: all 64 subsets enumerated confirm the stated optimum 3800."""
    profit, weights, cap, opt = _mknap1()[0]
    best = max(profit @ np.array(s) for s in itertools.product([0, 1], repeat=6)
               if np.all(weights @ np.array(s) <= cap))
    assert best == opt == 3800


# --------------------------------------------------------------------------- brute force


def _brute_select(values, costs, budget, deps, excl, mandatory):
    n = len(values)
    best = None
    for s in itertools.product([0, 1], repeat=n):
        if sum(c * x for c, x in zip(costs, s, strict=True)) > budget + 1e-9:
            continue
        if any(s[j] and not s[a] for j in range(n) for a in deps[j]):
            continue
        if any(s[j] and s[b] for j in range(n) for b in excl[j]):
            continue
        if any(m and not x for m, x in zip(mandatory, s, strict=True)):
            continue
        v = sum(v * x for v, x in zip(values, s, strict=True))
        best = v if best is None else max(best, v)
    return best


@st.composite
def small_select(draw):
    n = draw(st.integers(1, 8))
    values = draw(st.lists(st.integers(-5, 40), min_size=n, max_size=n))
    costs = draw(st.lists(st.integers(0, 20), min_size=n, max_size=n))
    deps = [sorted(set(draw(st.lists(st.integers(0, j - 1), max_size=2)))) if j else []
            for j in range(n)]
    excl = [[] for _ in range(n)]
    for _ in range(draw(st.integers(0, 2))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if a != b and a not in deps[b] and b not in deps[a]:
            excl[a].append(b)
    mandatory = [draw(st.booleans()) and draw(st.booleans()) for _ in range(n)]
    budget = draw(st.integers(0, 60))
    return values, costs, budget, deps, excl, mandatory


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_select())
def test_select_equals_best_of_all_subsets(case):
    values, costs, budget, deps, excl, mandatory = case
    df = _items(values, costs, deps, [[f for f in e] for e in excl], mandatory)
    expected = _brute_select(values, costs, budget, deps, excl, mandatory)
    try:
        result = roadmap.select(df, budget=budget)
    except InputError as err:
        assert expected is None, f"refused a feasible instance: {err}"
        assert "mandatory" in str(err)
        return
    assert expected is not None
    assert result.value == pytest.approx(expected)
    chosen = result.initiatives["chosen"].to_numpy()
    assert result.cost == pytest.approx(float(np.dot(costs, chosen)))
    assert result.cost <= budget + 1e-9
    ranked = roadmap.rank_and_fund(df, budget=budget)
    assert ranked.value <= result.value + 1e-9
    assert ranked.cost <= budget + 1e-9


def _brute_plan(values, prof, T, budgets, caps, use, deps, excl, mandatory, earliest, rate):
    """Best value over every assignment of a start year (or none) to each initiative."""
    n = len(values)
    dur = [max(k for k in range(len(prof[j])) if prof[j][k] > 0 or use[j][k] > 0) + 1
           if any(c > 0 for c in prof[j]) or any(u > 0 for u in use[j]) else 1
           for j in range(n)]
    best = None
    for starts in itertools.product(*[[None, *range(T)] for _ in range(n)]):
        ok = True
        spent = [0.0] * T
        used = [0.0] * T
        for j, s in enumerate(starts):
            if s is None:
                if mandatory[j]:
                    ok = False
                continue
            if s < earliest[j] or s + dur[j] > T:
                ok = False
                break
            for a in deps[j]:
                if starts[a] is None or starts[a] + dur[a] > s:
                    ok = False
            for b in excl[j]:
                if starts[b] is not None:
                    ok = False
            for k in range(dur[j]):
                spent[s + k] += prof[j][k]
                used[s + k] += use[j][k]
        if not ok or any(spent[t] > budgets[t] + 1e-9 or used[t] > caps[t] + 1e-9
                         for t in range(T)):
            continue
        v = sum(values[j] / (1 + rate) ** s for j, s in enumerate(starts) if s is not None)
        best = v if best is None else max(best, v)
    return best


@st.composite
def small_plan(draw):
    n = draw(st.integers(1, 5))
    T = draw(st.integers(1, 3))
    values = draw(st.lists(st.integers(-3, 30), min_size=n, max_size=n))
    prof = [draw(st.lists(st.integers(0, 10), min_size=1, max_size=T)) for _ in range(n)]
    prof = [p if any(p) else [1] + p[1:] for p in prof]
    use = [[draw(st.integers(0, 2)) for _ in p] for p in prof]
    budgets = draw(st.lists(st.integers(0, 20), min_size=T, max_size=T))
    caps = draw(st.lists(st.integers(0, 4), min_size=T, max_size=T))
    deps = [sorted(set(draw(st.lists(st.integers(0, j - 1), max_size=1)))) if j else []
            for j in range(n)]
    excl = [[] for _ in range(n)]
    if n > 1 and draw(st.booleans()):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if a != b and a not in deps[b] and b not in deps[a]:
            excl[a].append(b)
    mandatory = [draw(st.integers(0, 5)) == 0 for _ in range(n)]
    earliest = [draw(st.integers(0, T - 1)) for _ in range(n)]
    rate = draw(st.sampled_from([0.0, 0.1]))
    return values, prof, T, budgets, caps, use, deps, excl, mandatory, earliest, rate


def _plan_tables(values, prof, T, budgets, caps, use, deps, excl, mandatory, earliest):
    n = len(values)
    ids = [f"I{j}" for j in range(n)]
    initiatives = pd.DataFrame({
        "initiative": ids, "value": values,
        "depends_on": [", ".join(f"I{a}" for a in d) for d in deps],
        "excludes": [", ".join(f"I{a}" for a in e) for e in excl],
        "mandatory": mandatory, "earliest_start": [2030 + e for e in earliest],
    })
    rows = [(ids[j], k, prof[j][k], use[j][k]) for j in range(n) for k in range(len(prof[j]))]
    profiles = pd.DataFrame(rows, columns=["initiative", "project_year", "cost", "architects"])
    years = pd.DataFrame({"year": 2030 + np.arange(T), "budget": budgets, "architects": caps})
    return initiatives, profiles, years


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_plan())
def test_plan_equals_best_of_all_schedules(case):
    values, prof, T, budgets, caps, use, deps, excl, mandatory, earliest, rate = case
    tables = _plan_tables(values, prof, T, budgets, caps, use, deps, excl, mandatory, earliest)
    expected = _brute_plan(values, prof, T, budgets, caps, use, deps, excl, mandatory, earliest,
                           rate)
    try:
        result = roadmap.plan(*tables, discount_rate=rate)
    except InputError as err:
        assert expected is None, f"refused a feasible instance: {err}"
        return
    assert expected is not None
    assert result.value == pytest.approx(expected, abs=1e-9)
    # the schedule honours every constraint, recomputed from the schedule alone
    sched = result.schedule.set_index("initiative")
    spend = result.spend.groupby("year")[["cost", "architects"]].sum().reindex(
        2030 + np.arange(T), fill_value=0.0)
    assert np.all(spend["cost"].to_numpy() <= np.array(budgets) + 1e-9)
    assert np.all(spend["architects"].to_numpy() <= np.array(caps) + 1e-9)
    for j, d in enumerate(deps):
        if sched.loc[f"I{j}", "chosen"]:
            for a in d:
                assert sched.loc[f"I{a}", "chosen"]
                assert sched.loc[f"I{a}", "finish_year"] < sched.loc[f"I{j}", "start_year"]
    ranked = roadmap.plan_by_ranking(*tables, discount_rate=rate)
    assert ranked.value <= result.value + 1e-9 or not ranked.schedule["mandatory"].any()
    rspend = ranked.spend.groupby("year")["cost"].sum().reindex(2030 + np.arange(T),
                                                               fill_value=0.0)
    assert np.all(rspend.to_numpy() <= np.array(budgets) + 1e-9)


# --------------------------------------------------------------------------- multi-year behaviour


def _case():
    initiatives = pd.DataFrame({
        "initiative": ["platform", "analytics", "crm", "erp", "legacy exit"],
        "value": [1.0, 6.0, 4.0, 5.0, 2.0],
        "depends_on": ["", "platform", "", "", ""],
        "excludes": ["", "", "erp", "", ""],
        "mandatory": [False, False, False, False, True],
        "earliest_start": [None, None, None, 2027, None],
    })
    profiles = pd.DataFrame({
        "initiative": ["platform", "platform", "analytics", "crm", "erp", "erp", "legacy exit"],
        "project_year": [0, 1, 0, 0, 0, 1, 0],
        "cost": [2.0, 1.0, 2.0, 3.0, 2.0, 2.0, 1.0],
        "architects": [1, 1, 1, 1, 2, 1, 0],
    })
    years = pd.DataFrame({"year": [2026, 2027, 2028], "budget": [4.0, 4.0, 4.0],
                          "architects": [2, 2, None]})
    return initiatives, profiles, years


def test_plan_schedules_dependencies_after_prerequisite_finishes():
    result = roadmap.plan(*_case())
    s = result.schedule.set_index("initiative")
    assert s.loc["legacy exit", "chosen"]
    if s.loc["analytics", "chosen"]:
        assert s.loc["analytics", "start_year"] > s.loc["platform", "finish_year"]
    assert not (s.loc["crm", "chosen"] and s.loc["erp", "chosen"])
    # Hand check: platform 2026-27, analytics 2028, crm 2027, legacy exit 2026 fit every
    # budget (3, 4, 2) and architect limit (1, 2, -): value 1 + 6 + 4 + 2 = 13. Swapping crm
    # for erp (starts 2027 at the earliest, 2 architects) breaks 2027's architects next to
    # the platform, and without platform and analytics erp + legacy exit is only 7.
    assert result.value == pytest.approx(13.0)
    assert set(result.chosen) == {"platform", "analytics", "crm", "legacy exit"}
    assert s.loc["crm", "start_year"] == 2027


def test_plan_ignores_inputs_order_and_does_not_modify_inputs():
    i, p, y = _case()
    before = [t.copy() for t in (i, p, y)]
    result = roadmap.plan(i, p, y)
    for a, b in zip(before, (i, p, y), strict=True):
        pd.testing.assert_frame_equal(a, b)
    shuffled = roadmap.plan(i.iloc[::-1], p.sample(frac=1, random_state=1), y)
    assert shuffled.value == pytest.approx(result.value)


def test_value_from_benefits_is_npv_of_net_cash_flows():
    """Without a value column the value is npv(rate, benefit - cost), discounted to year 0."""
    initiatives = pd.DataFrame({"initiative": ["A"], "earliest_start": [2027]})
    profiles = pd.DataFrame({"initiative": ["A"] * 4, "project_year": [0, 1, 2, 3],
                             "cost": [100.0, 0, 0, 0], "benefit": [0, 60.0, 60.0, 60.0]})
    years = pd.DataFrame({"year": [2026, 2027], "budget": [0.0, 100.0]})
    result = roadmap.plan(initiatives, profiles, years, discount_rate=0.1)
    npv_at_start = -100 + 60 / 1.1 + 60 / 1.21 + 60 / 1.331
    assert result.value == pytest.approx(npv_at_start / 1.1)
    assert result.schedule["duration"].iloc[0] == 1  # benefit-only rows are not work years


def test_tie_break_starts_as_early_as_possible():
    initiatives = pd.DataFrame({"initiative": ["A"], "value": [1.0]})
    profiles = pd.DataFrame({"initiative": ["A"], "project_year": [0], "cost": [1.0]})
    years = pd.DataFrame({"year": [2026, 2027, 2028], "budget": [1.0, 1.0, 1.0]})
    assert roadmap.plan(initiatives, profiles, years).schedule["start_year"].iloc[0] == 2026


def test_ranking_leaves_value_unfunded_that_the_exact_method_funds():
    """Lumpy costs: the best value per euro crowds out a better pair (hand-derived)."""
    initiatives = pd.DataFrame({"initiative": ["A", "B", "C"], "value": [9.0, 7.0, 7.0]})
    profiles = pd.DataFrame({"initiative": ["A", "B", "C"], "project_year": [0, 0, 0],
                             "cost": [6.0, 5.0, 5.0]})
    years = pd.DataFrame({"year": [2026], "budget": [10.0]})
    cmp = roadmap.compare_with_ranking(initiatives, profiles, years)
    assert cmp.exact.chosen == ["B", "C"] and cmp.ranking.chosen == ["A"]
    assert cmp.value_gain == 5.0
    assert cmp.value_gain_share == pytest.approx(5 / 9)
    assert cmp.summary.loc["exact", "value"] == 14.0
    assert cmp.initiatives["differs"].tolist() == [True, True, True]
    reasons = cmp.ranking.schedule.set_index("initiative")["reason"]
    assert reasons["B"] == "no budget or capacity left"


def test_rank_and_fund_stop_rule_cuts_the_list():
    items = _items([10, 9, 1], [5, 6, 1])  # ratios 2, 1.5, 1; budget 6
    assert roadmap.rank_and_fund(items, budget=6).chosen == ["I0", "I2"]
    assert roadmap.rank_and_fund(items, budget=6, rule="stop").chosen == ["I0"]


# --------------------------------------------------------------------------- frontier, shadow prices


def test_frontier_is_monotone_and_matches_plan_at_each_budget():
    i, p, y = _case()
    front = roadmap.frontier(i, p, y, factors=[0.25, 0.5, 1.0, 1.5, 3.0])
    feasible = front[front["feasible"]]
    assert np.all(np.diff(feasible["value"].to_numpy()) >= -1e-9)
    for row in feasible.itertuples():
        scaled = y.assign(budget=y["budget"] * row.factor)
        assert row.value == pytest.approx(roadmap.plan(i, p, scaled).value)
    assert front["is_current"].sum() == 1


def test_frontier_marks_budgets_below_the_mandatory_items_infeasible():
    initiatives = pd.DataFrame({"initiative": ["M", "X"], "value": [1.0, 2.0],
                                "mandatory": [True, False]})
    profiles = pd.DataFrame({"initiative": ["M", "X"], "project_year": [0, 0],
                             "cost": [5.0, 5.0]})
    years = pd.DataFrame({"year": [2026], "budget": [10.0]})
    front = roadmap.frontier(initiatives, profiles, years, factors=[0.4, 1.0])
    assert front["feasible"].tolist() == [False, True]
    assert front["value"].iloc[1] == 3.0


def test_select_frontier_equals_brute_force():
    values, costs = [5, 4, 3, 7], [4, 3, 2, 5]
    front = roadmap.select_frontier(_items(values, costs), budgets=list(range(0, 16)))
    for row in front.itertuples():
        assert row.value == _brute_select(values, costs, row.budget, [[]] * 4, [[]] * 4,
                                          [False] * 4)


def test_lp_shadow_price_is_dantzig_critical_ratio():
    """One budget, LP relaxation: fill by value/cost; the item funded in part sets the price.

    Items (value, cost): (12, 4) ratio 3, (10, 5) ratio 2, (6, 6) ratio 1; budget 7: the LP
    funds item 1 whole and 3/5 of item 2, so one more unit of budget is worth 2.
    """
    initiatives = pd.DataFrame({"initiative": ["a", "b", "c"], "value": [12.0, 10.0, 6.0]})
    profiles = pd.DataFrame({"initiative": ["a", "b", "c"], "project_year": [0, 0, 0],
                             "cost": [4.0, 5.0, 6.0]})
    years = pd.DataFrame({"year": [2026], "budget": [7.0]})
    sp = roadmap.shadow_prices(initiatives, profiles, years, step=2.0)
    assert sp["lp_shadow_price"].iloc[0] == pytest.approx(2.0)
    # exact: budget 7 -> {a} = 12; budget 9 -> {a, b} = 22
    assert sp["value_gain"].iloc[0] == pytest.approx(10.0)
    assert sp["gain_per_unit"].iloc[0] == pytest.approx(5.0)
    assert sp["funded_by_step"].iloc[0] == "b"


def test_shadow_price_step_gain_equals_resolving_with_more_budget():
    i, p, y = _case()
    sp = roadmap.shadow_prices(i, p, y, step=1.0)
    base = roadmap.plan(i, p, y).value
    for t, row in enumerate(sp.itertuples()):
        more = y.copy()
        more.loc[t, "budget"] += 1.0
        assert row.value_gain == pytest.approx(roadmap.plan(i, p, more).value - base)
    assert (sp["lp_shadow_price"] >= -1e-9).all()


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("change, match", [
    (lambda d: d.assign(initiative=["A", "A", "C"]), r"row 2, column 'initiative'.*appears again"),
    (lambda d: d.assign(depends_on=["", "Z", ""]), r"row 2, column 'depends_on'.*unknown.*'Z'"),
    (lambda d: d.assign(depends_on=["C", "A", "B"]), r"column 'depends_on'.*cycle"),
    (lambda d: d.assign(cost=[1.0, -2.0, 1.0]), r"row 2, column 'cost'.*at least 0"),
    (lambda d: d.assign(excludes=["A", "", ""]), r"row 1, column 'excludes'.*itself"),
    (lambda d: d.assign(depends_on=["", "A", ""], excludes=["", "A", ""]),
     r"row 2, column 'excludes'.*depends on"),
    (lambda d: d.assign(mandatory=[True, True, False], excludes=["B", "", ""]),
     r"column 'excludes'.*mandatory 'A'.*mandatory 'B'"),
    (lambda d: d.assign(mandatory=[True, False, True], depends_on=["", "", "B"],
                        excludes=["B", "", ""]),
     r"required by mandatory 'C'"),
    (lambda d: d.drop(columns="value"), r"missing column.*'value'"),
    (lambda d: d.assign(mandatory=[True, True, True]), r"^budget: .*cost 12; expected a budget"),
])
def test_select_bad_input_names_the_culprit(change, match):
    base = pd.DataFrame({"initiative": ["A", "B", "C"], "value": [1.0, 2.0, 3.0],
                         "cost": [4.0, 4.0, 4.0]})
    with pytest.raises(InputError, match=match):
        roadmap.select(change(base), budget=10)


def test_select_refuses_non_dataframe_and_bad_budget():
    with pytest.raises(InputError, match="initiatives"):
        roadmap.select([1, 2], budget=3)
    with pytest.raises(InputError, match="budget"):
        roadmap.select(_items([1], [1]), budget=-1)


def test_plan_mandatory_over_budget_names_the_year_and_amount():
    initiatives = pd.DataFrame({"initiative": ["M1", "M2"], "value": [1.0, 1.0],
                                "mandatory": [True, True], "earliest_start": [2027, 2027],
                                "latest_start": [2027, 2027]})
    profiles = pd.DataFrame({"initiative": ["M1", "M2"], "project_year": [0, 0],
                             "cost": [3.0, 2.0]})
    years = pd.DataFrame({"year": [2026, 2027], "budget": [10.0, 4.0]})
    with pytest.raises(InputError, match=r"^years, row 2, column 'budget': got 4 for 2027.*"
                                         r"at least 5"):
        roadmap.plan(initiatives, profiles, years)


def test_plan_mandatory_over_resource_names_the_resource():
    initiatives = pd.DataFrame({"initiative": ["M1", "M2"], "value": [1.0, 1.0],
                                "mandatory": [True, True]})
    profiles = pd.DataFrame({"initiative": ["M1", "M2"], "project_year": [0, 0],
                             "cost": [1.0, 1.0], "architects": [2, 2]})
    years = pd.DataFrame({"year": [2026], "budget": [10.0], "architects": [3]})
    with pytest.raises(InputError, match=r"years, row 1, column 'architects'.*at least 4"):
        roadmap.plan(initiatives, profiles, years)


def test_plan_mandatory_chain_too_long_names_the_initiative():
    initiatives = pd.DataFrame({"initiative": ["A", "B"], "value": [1.0, 1.0],
                                "depends_on": ["", "A"], "mandatory": [False, True]})
    profiles = pd.DataFrame({"initiative": ["A", "A", "B"], "project_year": [0, 1, 0],
                             "cost": [1.0, 1.0, 1.0]})
    years = pd.DataFrame({"year": [2026, 2027], "budget": [5.0, 5.0]})
    with pytest.raises(InputError, match=r"initiatives, row 2, column 'initiative': mandatory "
                                         r"'B' takes 1 year.*cannot start before 2028"):
        roadmap.plan(initiatives, profiles, years)


@pytest.mark.parametrize("which, change, match", [
    ("years", lambda d: d.assign(year=[2026, 2028, 2029]), r"years, row 2, column 'year'.*"
                                                           r"consecutive"),
    ("years", lambda d: d.assign(budget=[1.0, -1.0, 1.0]), r"years, row 2, column 'budget'"),
    ("years", lambda d: d.assign(architects=["x", 1, 1]), r"years, row 1, column 'architects'"),
    ("profiles", lambda d: d.drop(columns="architects"), r"profiles: missing.*'architects'"),
    ("profiles", lambda d: d.assign(initiative=["platform", "platform", "ghost", "crm", "erp",
                                                "erp", "legacy exit"]),
     r"profiles, row 3, column 'initiative': unknown initiative 'ghost'"),
    ("profiles", lambda d: d.assign(project_year=[0, 0, 0, 0, 0, 1, 0]),
     r"profiles, row 2, column 'project_year'.*twice"),
    ("profiles", lambda d: d[d["initiative"] != "crm"], r"profiles: initiative 'crm' has no rows"),
    ("initiatives", lambda d: d.assign(earliest_start=[2020, None, None, None, None]),
     r"initiatives, row 1, column 'earliest_start'.*from 2026 to 2028"),
    ("initiatives", lambda d: d.assign(latest_start=[None, None, None, 2026, None]),
     r"initiatives, row 4, column 'latest_start'.*before the earliest start 2027"),
    ("initiatives", lambda d: d.assign(value=[1.0, None, 1.0, 1.0, 1.0]),
     r"initiatives, row 2, column 'value'.*empty"),
])
def test_plan_bad_tables_name_table_row_and_column(which, change, match):
    tables = dict(zip(("initiatives", "profiles", "years"), _case(), strict=True))
    tables[which] = change(tables[which])
    with pytest.raises(InputError, match=match):
        roadmap.plan(tables["initiatives"], tables["profiles"], tables["years"])


@pytest.mark.parametrize("func", [roadmap.select, roadmap.rank_and_fund,
                                  roadmap.select_frontier, roadmap.plan,
                                  roadmap.plan_by_ranking, roadmap.frontier,
                                  roadmap.shadow_prices, roadmap.compare_with_ranking])
def test_every_declared_argument_refuses_invalid_values(func):
    declared = constraints_of(func)
    assert declared
    i, p, y = _case()
    select_form = func in (roadmap.select, roadmap.rank_and_fund, roadmap.select_frontier)
    items = _items([1.0, 2.0], [1.0, 1.0])
    good = ({"budget": 2.0} if func is not roadmap.select_frontier else {"budgets": [1.0]})
    for name, bad in all_invalid(declared):
        kwargs = dict(good) if select_form else {}
        kwargs[name] = bad
        with pytest.raises(InputError, match=rf"^{name}"):
            if select_form:
                func(items, **kwargs)
            else:
                func(i, p, y, **kwargs)


# --------------------------------------------------------------------------- sample data


def test_sample_data_smoke():
    """The shipped sample (btm/data/technology_roadmap) plans, and the exact method wins."""
    i = pd.read_csv(DATA / "initiatives.csv")
    p = pd.read_csv(DATA / "profiles.csv")
    y = pd.read_csv(DATA / "years.csv")
    assert 25 <= len(i) <= 40
    cmp = roadmap.compare_with_ranking(i, p, y, discount_rate=0.08)
    assert cmp.exact.summary["optimal"].iloc[0]
    assert cmp.value_gain > 0
    assert cmp.exact.schedule.loc[cmp.exact.schedule["mandatory"], "chosen"].all()


def test_calendar_year_as_project_year_is_refused_with_the_zero_based_hint():
    """Issue 14: a cost profile keyed by calendar years (2026, ...) must not pass silently."""
    initiatives = pd.DataFrame({"initiative": ["A", "B"], "value": [5.0, 4.0]})
    profiles = pd.DataFrame({"initiative": ["A", "B"], "project_year": [2026, 2026],
                             "cost": [3.0, 2.0]})
    years = pd.DataFrame({"year": [2026, 2027], "budget": [4.0, 4.0]})
    with pytest.raises(InputError, match=r"project_year.*calendar year.*0 = now"):
        roadmap.plan(initiatives, profiles, years)


def test_numbered_initiatives_depend_on_each_other():
    """depends_on read as floats (1.0) named no initiative '1' (a reviewer's case)."""
    items = pd.DataFrame({"initiative": [1, 2, 3], "value": [5, 4, 9], "cost": [3, 2, 8],
                          "depends_on": [np.nan, 1.0, 2.0]})
    # budget 10: {1, 2} is worth 9 at cost 5; 3 needs 2, which needs 1 (cost 13, too much)
    sel = roadmap.select(items, budget=10)
    assert sel.chosen == ["1", "2"] and sel.value == 9.0
