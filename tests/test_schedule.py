"""Tests of btm.schedule: a published CPM/PERT example, networkx and plain loops as oracles,
exact distributions for small Monte Carlo cases, properties of levelling and smoothing.

Published example: Heizer and Render, *Operations Management* (Pearson), chapter 3 "Project
Management", the Milwaukee Paper Manufacturing network (activities A-H). The numbers used here
were checked against two reproductions of the textbook's tables: the backward pass worked in
the text (LF(H) = 15, LS(G) = 8, LS(F) = 10, LS(E) = LS(D) = 4, LF(C) = min(4, 10) = 4,
LS(B) = 1, LF(A) = min(LS C, LS D) = 2;
https://1library.co/article/esplendor-tula-cantos-cr%C3%B3nicas-mexico-antiguo.zx5grr6d) and the PERT
slides (a, m, b per activity, expected times 2 3 2 4 4 3 5 2, variances .11 .11 .11 .44 1.00
1.78 1.78 .11, project variance 3.11, sigma 1.76 weeks, Z = 0.57, P(T <= 16) = 71.57 %;
https://scribd.com/document/499002542/Project-managemnt-Delhi-8).
"""

from __future__ import annotations

import inspect
import itertools
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from btm import InputError, schedule
from btm.constraints import all_invalid, constraints_of

DATA = Path(__file__).resolve().parents[1] / "btm" / "data" / "project_schedule"

MILWAUKEE = pd.DataFrame({
    "task": list("ABCDEFGH"),
    "duration": [2, 3, 2, 4, 4, 3, 5, 2],
    "predecessors": ["", "", "A", "A, B", "C", "C", "D, E", "F, G"],
    "optimistic": [1, 2, 1, 2, 1, 1, 3, 1],
    "most_likely": [2, 3, 2, 4, 4, 2, 4, 2],
    "pessimistic": [3, 4, 3, 6, 7, 9, 11, 3],
})


def test_heizer_render_milwaukee_paper_cpm():
    """ES, EF, LS, LF and slack of every activity; critical path A-C-E-G-H, 15 weeks.
    Free float (not tabulated in the text) is hand-derived: B 3 - 3 = 0, D 8 - 7 = 1,
    F 13 - 7 = 6."""
    s = schedule.critical_path(MILWAUKEE[["task", "duration", "predecessors"]])
    t = s.tasks.set_index("task")
    assert s.duration == 15
    assert s.path == ["A", "C", "E", "G", "H"]
    assert s.paths == [["A", "C", "E", "G", "H"]]
    expected = {  # ES, EF, LS, LF, slack
        "A": (0, 2, 0, 2, 0), "B": (0, 3, 1, 4, 1), "C": (2, 4, 2, 4, 0),
        "D": (3, 7, 4, 8, 1), "E": (4, 8, 4, 8, 0), "F": (4, 7, 10, 13, 6),
        "G": (8, 13, 8, 13, 0), "H": (13, 15, 13, 15, 0),
    }
    cols = ["earliest_start", "earliest_finish", "latest_start", "latest_finish", "total_float"]
    for task, row in expected.items():
        assert t.loc[task, cols].tolist() == list(row), task
    assert t["free_float"].to_dict() == {"A": 0, "B": 0, "C": 0, "D": 1, "E": 0, "F": 6,
                                         "G": 0, "H": 0}
    assert t["critical"].to_dict() == {k: v[4] == 0 for k, v in expected.items()}


def test_heizer_render_milwaukee_paper_pert():
    """Expected times equal the CPM durations, variances as tabulated, project variance
    3.11, sigma 1.76, P(T <= 16) = 0.7157 (the text rounds Z to 0.57; unrounded
    Z = 1 / sqrt(28/9) = 0.5669 gives 0.7146)."""
    r = schedule.pert(MILWAUKEE.drop(columns="duration"))
    t = r.tasks.set_index("task")
    assert t["expected_duration"].tolist() == [2, 3, 2, 4, 4, 3, 5, 2]
    assert np.round(t["variance"].to_numpy(), 2).tolist() == [
        0.11, 0.11, 0.11, 0.44, 1.00, 1.78, 1.78, 0.11]
    assert r.duration == 15
    assert r.path == ["A", "C", "E", "G", "H"]
    assert r.std ** 2 == pytest.approx(28 / 9)  # 1/9 + 1/9 + 1 + 16/9 + 1/9
    assert round(r.std, 2) == 1.76
    assert r.probability(16) == pytest.approx(0.7157, abs=0.0015)
    assert r.probability(16) == pytest.approx(stats.norm.cdf(1 / np.sqrt(28 / 9)))
    assert r.finish_at(0.5) == pytest.approx(15)
    assert r.probability(15) == pytest.approx(0.5)


def test_several_critical_paths_are_all_listed():
    """Hand-derived: two equal branches A-C and B-C, and D in parallel with float."""
    t = pd.DataFrame({"task": ["A", "B", "C", "D"], "duration": [3, 3, 1, 2],
                      "predecessors": ["", "", ["A", "B"], ""]})
    s = schedule.critical_path(t)
    assert s.paths == [["A", "C"], ["B", "C"]]
    assert s.path == ["A", "C"]  # one of them, not both mixed into 'A, B, C'
    assert s.summary["n_critical_paths"].iloc[0] == 2


def _random_dag(n: int, p: float, seed: int) -> pd.DataFrame:
    g = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    dag = nx.DiGraph([(u, v) for u, v in g.edges if u < v])
    dag.add_nodes_from(range(n))
    rng = np.random.default_rng(seed)
    dur = rng.integers(0, 10, n).astype(float)
    return pd.DataFrame({
        "task": [f"t{i}" for i in range(n)],
        "duration": dur,
        "predecessors": [[f"t{u}" for u in sorted(dag.predecessors(i))] for i in range(n)],
    })


def _plain_cpm(tasks: pd.DataFrame) -> tuple[dict, dict, float]:
    """Forward and backward pass by recursion over predecessors (no btm code)."""
    dur = dict(zip(tasks["task"], tasks["duration"], strict=True))
    preds = dict(zip(tasks["task"], tasks["predecessors"], strict=True))
    succs = {t: [u for u in dur if t in preds[u]] for t in dur}
    es: dict = {}

    def early(t):
        if t not in es:
            es[t] = max((early(p) + dur[p] for p in preds[t]), default=0.0)
        return es[t]

    total = max(early(t) + dur[t] for t in dur)
    lf: dict = {}

    def late(t):
        if t not in lf:
            lf[t] = min((late(s) - dur[s] for s in succs[t]), default=total)
        return lf[t]

    return {t: early(t) for t in dur}, {t: late(t) - dur[t] for t in dur}, total


@pytest.mark.parametrize("seed", range(8))
def test_random_dags_against_networkx_and_a_plain_loop(seed):
    """Project length equals networkx's longest path (edge weight = duration of the tail task,
    plus a sink); every ES and LS equals a recursive forward/backward pass."""
    t = _random_dag(25, 0.15, seed)
    s = schedule.critical_path(t)
    g = nx.DiGraph()
    for row in t.itertuples():
        g.add_edge(row.task, "END", weight=row.duration)
        for p in row.predecessors:
            g.add_edge(p, row.task, weight=float(t.set_index("task").loc[p, "duration"]))
    assert s.duration == pytest.approx(nx.dag_longest_path_length(g, weight="weight"))
    es, ls, total = _plain_cpm(t)
    assert s.duration == pytest.approx(total)
    got = s.tasks.set_index("task")
    for task in es:
        assert got.loc[task, "earliest_start"] == pytest.approx(es[task])
        assert got.loc[task, "latest_start"] == pytest.approx(ls[task])
    # Every listed critical path is a path of the network and as long as the project.
    dur = got["duration"]
    for path in s.paths:
        assert sum(dur[p] for p in path) == pytest.approx(s.duration)
        assert all(g.has_edge(u, v) for u, v in itertools.pairwise(path))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(1, 15), p=st.floats(0, 0.5), seed=st.integers(0, 10_000))
def test_property_floats(n, p, seed):
    """Every critical task has zero total float; 0 <= free float <= total float; the critical
    path's length is the project's."""
    s = schedule.critical_path(_random_dag(n, p, seed))
    t = s.tasks
    assert (t.loc[t["critical"], "total_float"] == 0).all()
    assert (t["total_float"] >= 0).all()
    assert (t["free_float"] >= 0).all()
    assert (t["free_float"] <= t["total_float"] + 1e-9).all()
    assert (t["earliest_finish"] <= s.duration + 1e-9).all()
    assert len(s.paths) >= 1


# --------------------------------------------------------------------------- Monte Carlo


def test_monte_carlo_equals_cpm_loop_trial_by_trial():
    """The vectorised passes give, trial by trial, what critical_path gives on that trial's
    durations (a plain loop of the public function)."""
    t = _random_dag(12, 0.3, 3)
    net = schedule._network(schedule._validated_tasks(t, schedule.TASK_COLUMNS, "tasks"), "t")
    dur = np.random.default_rng(0).uniform(0, 10, (50, 12))
    r = schedule._passes(net, dur)
    for k in range(50):
        s = schedule.critical_path(t.assign(duration=dur[k]))
        assert r["total"][k] == pytest.approx(s.duration)
        assert r["es"][k] == pytest.approx(s.tasks["earliest_start"].to_numpy())
        crit = (r["ls"][k] - r["es"][k]) <= 1e-9 * max(1, s.duration)
        assert crit.tolist() == s.tasks["critical"].tolist()


def test_two_parallel_triangular_tasks_exact_distribution():
    """Finish = max of two independent triangular(0, 1, 2) tasks: P(T <= t) = F(t)**2, so the
    median is F^-1(sqrt(0.5)) (scipy.stats.triang); by symmetry each task is critical in half
    the trials. The PERT approximation says 1 (no merge bias)."""
    t = pd.DataFrame({"task": ["x", "y"], "optimistic": [0, 0], "most_likely": [1, 1],
                      "pessimistic": [2, 2]})
    sim = schedule.simulate_duration(t, n_simulations=200_000, distribution="triangular",
                                     deadline=1.0, seed=3)
    tri = stats.triang(c=0.5, loc=0, scale=2)
    s = sim.summary.iloc[0]
    assert s["p50"] == pytest.approx(tri.ppf(np.sqrt(0.5)), abs=0.01)
    assert s["p80"] == pytest.approx(tri.ppf(np.sqrt(0.8)), abs=0.01)
    assert s["probability_by_deadline"] == pytest.approx(tri.cdf(1.0) ** 2, abs=0.005)
    assert s["pert_probability_by_deadline"] == pytest.approx(0.5)
    assert sim.tasks["criticality_index"].tolist() == pytest.approx([0.5, 0.5], abs=0.005)
    assert s["p50"] > s["pert_duration"]


def test_monte_carlo_of_certain_estimates_is_the_critical_path():
    t = MILWAUKEE.assign(optimistic=MILWAUKEE["duration"], most_likely=MILWAUKEE["duration"],
                         pessimistic=MILWAUKEE["duration"])
    sim = schedule.simulate_duration(t, n_simulations=100)
    assert (sim.trials["duration"] == 15).all()
    crit = sim.tasks.set_index("task")["criticality_index"]
    assert crit.to_dict() == {k: float(k in "ACEGH") for k in "ABCDEFGH"}


def test_milwaukee_monte_carlo_merge_bias_and_order_of_percentiles():
    """Jensen: E[max] >= max E, so the simulated mean is not below the PERT duration of
    15 weeks; the P80 is not below the P50; critical-path tasks have the highest indices."""
    sim = schedule.simulate_duration(MILWAUKEE.drop(columns="duration"), n_simulations=20_000,
                                     deadline=16, seed=2)
    s = sim.summary.iloc[0]
    assert s["mean"] >= 15
    assert s["p10"] <= s["p50"] <= s["p80"] <= s["p90"]
    assert s["probability_by_deadline"] < s["pert_probability_by_deadline"]
    crit = sim.tasks.set_index("task")["criticality_index"]
    assert crit[["A", "C", "H"]].min() > crit[["B", "D", "F"]].max()
    assert crit["H"] == 1.0
    assert sim.probability(16) == pytest.approx(s["probability_by_deadline"])
    assert sim.finish_at(0.8) == pytest.approx(s["p80"])


def test_same_seed_same_trials():
    t = MILWAUKEE.drop(columns="duration")
    a = schedule.simulate_duration(t, n_simulations=500, seed=7)
    b = schedule.simulate_duration(t, n_simulations=500, seed=7)
    pd.testing.assert_frame_equal(a.trials, b.trials)


# --------------------------------------------------------------------------- resources


def test_levelling_hand_example_moves_deadline_when_float_runs_out():
    """Three one-developer tasks in parallel with 1 developer: A (3, critical path with D),
    B (2), C (1); D (2) after A. Minimum slack first: A at 0; B (float 3) at 3; C (float 4)
    at 5... hand-derived: A 0-3, D 3-5 (after A, its own resource 'tester'), B 3-5, C 5-6;
    the project ends at 6 instead of 5, so the deadline must move."""
    t = pd.DataFrame({
        "task": ["A", "B", "C", "D"], "duration": [3, 2, 1, 2],
        "predecessors": ["", "", "", "A"],
        "resource": ["dev", "dev", "dev", "tester"], "units": [1, 1, 1, 1],
    })
    lv = schedule.level_resources(t, {"dev": 1, "tester": 1})
    got = lv.tasks.set_index("task")
    assert got["start"].to_dict() == {"A": 0, "B": 3, "C": 5, "D": 3}
    assert lv.duration_before == 5 and lv.duration_after == 6
    assert lv.deadline_must_move
    assert got["beyond_float"].to_dict() == {"A": False, "B": False, "C": True, "D": False}
    assert lv.summary.loc["dev", "peak_before"] == 3 and lv.summary.loc["dev", "peak_after"] == 1
    assert not schedule.level_resources(t, {"dev": 1, "tester": 1}, deadline=6).deadline_must_move


def _resourced_dag(n, p, seed):
    t = _random_dag(n, p, seed)
    rng = np.random.default_rng(seed + 1)
    return t.assign(resource=rng.choice(["dev", "ops"], n), units=rng.integers(0, 3, n))


def _precedence_ok(tasks: pd.DataFrame, plan: pd.DataFrame) -> bool:
    start = plan.set_index("task")["start"]
    finish = plan.set_index("task")["finish"]
    return all(start[row.task] >= finish[p] - 1e-9
               for row in tasks.itertuples() for p in row.predecessors)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(1, 14), p=st.floats(0, 0.4), seed=st.integers(0, 10_000),
       cap=st.integers(2, 4))
def test_property_levelling_keeps_precedence_and_capacity(n, p, seed, cap):
    t = _resourced_dag(n, p, seed)
    lv = schedule.level_resources(t, {"dev": cap, "ops": cap})
    assert _precedence_ok(t, lv.tasks)
    assert (lv.profile["demand_after"] <= cap + 1e-9).all()
    assert (lv.summary["periods_over_after"] == 0).all()
    assert lv.duration_after >= lv.duration_before
    assert lv.deadline_must_move == (lv.duration_after > lv.duration_before)
    # Total work is conserved.
    assert lv.profile["demand_after"].sum() == pytest.approx(lv.profile["demand_before"].sum())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(1, 14), p=st.floats(0, 0.4), seed=st.integers(0, 10_000))
def test_property_smoothing_keeps_end_date_and_never_worsens(n, p, seed):
    t = _resourced_dag(n, p, seed)
    sm = schedule.smooth_resources(t)
    assert _precedence_ok(t, sm.tasks)
    assert sm.tasks["finish"].max() <= sm.duration + 1e-9
    assert (sm.tasks["start"] >= sm.tasks["earliest_start"] - 1e-9).all()
    assert (sm.tasks["start"] <= sm.tasks["latest_start"] + 1e-9).all()
    assert (sm.summary["sum_squares_after"] <= sm.summary["sum_squares_before"] + 1e-9).all()


def test_smoothing_hand_example_reaches_the_flat_profile():
    """A 4-period task and two 2-period tasks of one developer each in a 4-period window: the
    early-start profile is 3, 3, 1, 1 (sum of squares 20); moving y to periods 2-3 gives
    2, 2, 2, 2 (16), the flattest possible."""
    t = pd.DataFrame({"task": ["long", "x", "y"], "duration": [4, 2, 2],
                      "predecessors": ["", "", ""], "resource": ["dev"] * 3, "units": [1] * 3})
    sm = schedule.smooth_resources(t)
    assert sm.profile["demand_after"].tolist() == [2, 2, 2, 2]
    assert sm.summary.loc["dev", "sum_squares_before"] == 20
    assert sm.summary.loc["dev", "sum_squares_after"] == 16


def test_resource_profile_early_start():
    t = pd.DataFrame({"task": ["a", "b"], "duration": [2, 3], "predecessors": ["", "a"],
                      "resource": ["dev", "ops"], "units": [2, 1]})
    prof = schedule.resource_profile(schedule.critical_path(t))
    assert prof.pivot(index="period", columns="resource", values="demand").values.tolist() == [
        [2, 0], [2, 0], [0, 1], [0, 1], [0, 1]]


def _iso(d):
    return d.date().isoformat()


def test_to_date():
    # 4 weeks from Monday 2 June 2025 is 28 days of work: done by the end of Sunday 29 June.
    assert _iso(schedule.to_date("2025-06-02", 4)) == "2025-06-29"
    got = schedule.to_date("2025-06-02", [0, 1.2], unit="day")
    assert [_iso(d) for d in got] == ["2025-06-02", "2025-06-03"]
    with pytest.raises(InputError, match="start_date"):
        schedule.to_date("not a date", 1)
    with pytest.raises(InputError, match="periods"):
        schedule.to_date("2025-06-02", -1)


# Convention of to_date: the date of a finish at time t (days) is the day during which the work
# ends, start + ceil(t) - 1 days (start for t = 0), so "finishes by DATE" is true as written.
# Dates checked by hand against the 2025 calendar (6 Jan and 2 Jun are Mondays, 3 Jan a Friday).


@pytest.mark.parametrize(("periods", "expected"), [
    (0, "2025-01-06"),      # no work: the start date
    (1 / 7, "2025-01-06"),  # one day of work: done on the first day
    (1, "2025-01-12"),      # 7 days: done by the end of Sunday 12 January
    (2, "2025-01-19"),      # 14 days: done by the end of 19 January, not "20 January"
    (2.5, "2025-01-23"),    # 17.5 days: midday of the 18th day, Thursday 23 January
    (4, "2025-02-02"),      # 28 days: Sunday 2 February
    (40, "2025-10-12"),     # the sample's deadline: 280 days, Sunday 12 October
])
def test_to_date_weeks_end_on_the_day_the_work_ends(periods, expected):
    assert _iso(schedule.to_date("2025-01-06", periods, unit="week")) == expected


@pytest.mark.parametrize(("periods", "expected"), [
    (0, "2025-01-06"),
    (0.5, "2025-01-06"),   # part-way through day 1
    (1, "2025-01-06"),     # one whole day: the start day itself
    (2.5, "2025-01-08"),   # part-way through day 3: day 3's date, start + 2
    (3, "2025-01-08"),
    (14, "2025-01-19"),
    (26, "2025-01-31"),    # month end
    (27, "2025-02-01"),
])
def test_to_date_days_end_on_the_day_the_work_ends(periods, expected):
    assert _iso(schedule.to_date("2025-01-06", periods, unit="day")) == expected


@pytest.mark.parametrize(("start", "periods", "expected"), [
    ("2025-01-03", 0, "2025-01-03"),    # Friday, no work
    ("2025-01-03", 1, "2025-01-03"),    # 1 business day from Friday: finishes that Friday
    ("2025-01-03", 0.5, "2025-01-03"),
    ("2025-01-03", 2, "2025-01-06"),    # Friday and Monday
    ("2025-01-03", 1.5, "2025-01-06"),  # part-way through Monday
    ("2025-01-03", 6, "2025-01-10"),    # Fri, Mon, Tue, Wed, Thu, Fri
    ("2025-01-06", 5, "2025-01-10"),    # one working week from Monday: Friday
    ("2025-01-06", 10, "2025-01-17"),
    ("2025-01-04", 1, "2025-01-06"),    # from a Saturday, work starts on Monday
    ("2025-01-04", 2, "2025-01-07"),
])
def test_to_date_business_days_end_on_the_day_the_work_ends(start, periods, expected):
    assert _iso(schedule.to_date(start, periods, unit="business_day")) == expected


def test_to_date_array_matches_scalars_and_pandas_arithmetic():
    t = [0, 0.3, 1, 2.5, 4, 43.38]
    got = schedule.to_date("2025-01-06", t, unit="week")
    assert isinstance(got, pd.Series) and len(got) == len(t)
    for w, d in zip(t, got, strict=True):
        assert d == schedule.to_date("2025-01-06", w, unit="week")
        days = max(int(np.ceil(w * 7 - 1e-9)) - 1, 0)
        assert d == pd.Timestamp("2025-01-06") + pd.Timedelta(days=days)
    # A whole number of weeks ends on the day before the same weekday: week 1 on a Sunday.
    assert schedule.to_date("2025-01-06", 1).day_name() == "Sunday"


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("change", "message"), [
    ({"predecessors": ["", "A", "Z"]}, r"row 3 \(task 'C'\), column 'predecessors': got 'Z'"),
    ({"predecessors": ["C", "A", "B"]}, r"tasks .* form a cycle"),
    ({"predecessors": ["", "B", "A"]}, r"form a cycle"),
    ({"duration": [1, -2, 1]}, r"row 2 \(task 'B'\), column 'duration': got -2"),
    ({"duration": [1, "x", 1]}, r"row 2, column 'duration'"),
    ({"task": ["A", "A", "C"]}, r"row 2, column 'task': got 'A', already used in row 1"),
])
def test_bad_task_tables(change, message):
    t = pd.DataFrame({"task": ["A", "B", "C"], "duration": [1, 1, 1],
                      "predecessors": ["", "A", "B"]}).assign(**change)
    with pytest.raises(InputError, match=message):
        schedule.critical_path(t)


def test_self_dependency_is_a_cycle():
    with pytest.raises(InputError, match="A -> A form a cycle"):
        schedule.critical_path(pd.DataFrame({"task": ["A"], "duration": [1],
                                             "predecessors": ["A"]}))


@pytest.mark.parametrize(("a", "m", "b", "column"), [
    (3, 2, 4, "most_likely"), (1, 5, 4, "pessimistic"), (-1, 2, 3, "optimistic"),
])
def test_estimates_out_of_order_name_the_task(a, m, b, column):
    t = MILWAUKEE.drop(columns="duration").copy()
    t.loc[5, ["optimistic", "most_likely", "pessimistic"]] = [a, m, b]
    for func in (schedule.pert, schedule.simulate_duration):
        with pytest.raises(InputError, match=rf"row 6 \(task 'F'\), column '{column}'"):
            func(t)


def test_missing_columns_and_inputs_unchanged():
    with pytest.raises(InputError, match="missing column"):
        schedule.pert(MILWAUKEE[["task", "duration"]])
    before = MILWAUKEE.copy()
    schedule.critical_path(MILWAUKEE)
    schedule.simulate_duration(MILWAUKEE, n_simulations=100)
    pd.testing.assert_frame_equal(MILWAUKEE, before)


def test_levelling_bad_input():
    t = pd.DataFrame({"task": ["a", "b"], "duration": [2, 1.5], "predecessors": ["", ""],
                      "resource": ["dev", "dev"], "units": [1, 1]})
    with pytest.raises(InputError, match=r"row 2 \(task 'b'\), column 'duration'.*whole"):
        schedule.level_resources(t, {"dev": 2})
    t = t.assign(duration=[2, 1])
    with pytest.raises(InputError, match="no capacity for resource 'dev'"):
        schedule.level_resources(t, {"ops": 2})
    with pytest.raises(InputError, match=r"task 'a'\), column 'units'.*capacity is 0.5"):
        schedule.level_resources(t, {"dev": 0.5})
    with pytest.raises(InputError, match=r"capacity\['dev'\]"):
        schedule.level_resources(t, {"dev": -1})
    with pytest.raises(InputError, match="capacity, row 1, column 'capacity'"):
        schedule.level_resources(t, pd.DataFrame({"resource": ["dev"], "capacity": [-1]}))
    with pytest.raises(InputError, match=r"task 'b'\), column 'resource'"):
        schedule.smooth_resources(t.assign(resource=["dev", None]))


PUBLIC = [schedule.critical_path, schedule.pert, schedule.simulate_duration,
          schedule.level_resources, schedule.smooth_resources, schedule.to_date,
          schedule.PERTResult.probability, schedule.PERTResult.finish_at,
          schedule.DurationSimulation.probability, schedule.DurationSimulation.finish_at]


@pytest.mark.parametrize("func", PUBLIC, ids=lambda f: f.__qualname__)
def test_every_declared_constraint_refuses_its_invalid_values(func):
    pert_result = schedule.pert(MILWAUKEE)
    sim = schedule.simulate_duration(MILWAUKEE, n_simulations=100)
    t = MILWAUKEE.assign(resource="dev", units=1)
    base = {
        schedule.critical_path: ((t,), {}), schedule.pert: ((t,), {}),
        schedule.simulate_duration: ((t,), {"n_simulations": 100}),
        schedule.level_resources: ((t, {"dev": 2}), {}),
        schedule.smooth_resources: ((t,), {}),
        schedule.to_date: (("2025-01-01", 1), {}),
        schedule.PERTResult.probability: ((pert_result, 16), {}),
        schedule.PERTResult.finish_at: ((pert_result, 0.8), {}),
        schedule.DurationSimulation.probability: ((sim, 16), {}),
        schedule.DurationSimulation.finish_at: ((sim, 0.8), {}),
    }[func]
    declared = constraints_of(func)
    assert declared
    for name, bad in all_invalid(declared):
        args, kwargs = base
        params = list(inspect.signature(func).parameters)
        if params.index(name) < len(args):
            args = tuple(bad if i == params.index(name) else a for i, a in enumerate(args))
            kw = kwargs
        else:
            kw = {**kwargs, name: bad}
        with pytest.raises(InputError, match=name.split("[")[0]):
            func(*args, **kw)


# --------------------------------------------------------------------------- sample data


def test_sample_erp_plan_smoke():
    tasks = pd.read_csv(DATA / "tasks.csv")
    resources = pd.read_csv(DATA / "resources.csv")
    assert 30 <= len(tasks) <= 60
    s = schedule.critical_path(tasks, source="tasks.csv")
    p = schedule.pert(tasks, source="tasks.csv")
    sim = schedule.simulate_duration(tasks, n_simulations=2_000, deadline=p.duration)
    lv = schedule.level_resources(tasks, resources)
    sm = schedule.smooth_resources(tasks)
    assert s.path and p.std > 0
    assert sim.summary["p80"].iloc[0] >= sim.summary["p50"].iloc[0]
    assert (lv.summary["periods_over_after"] == 0).all()
    assert sm.duration == s.duration


def test_numbered_tasks_and_levelling_without_resources():
    """Reviewer's cases: tasks numbered 1..n (pandas reads a predecessors column of single
    numbers as floats, so '1' became '1.0', "which is not a task"); and levelling a plan in
    which no task uses a resource raised an IndexError instead of returning it unchanged."""
    t = pd.DataFrame({"task": [1, 2, 3], "duration": [2, 3, 1],
                      "predecessors": [np.nan, 1.0, 2.0]})
    s = schedule.critical_path(t, source="num.csv")
    assert s.duration == 6.0  # 2 + 3 + 1 in a chain, by hand
    free = pd.DataFrame({"task": ["a", "b"], "duration": [2, 3], "predecessors": ["", "a"],
                         "resource": [None, None], "units": [0, 0]})
    lv = schedule.level_resources(free, {"dev": 2})
    assert lv.tasks["delay"].tolist() == [0.0, 0.0] and not lv.deadline_must_move


def _longest_paths(tasks: pd.DataFrame) -> list[list[str]]:
    """Every longest start-to-end path by networkx: a source before each start task, a sink
    after each end task, an edge weighing its tail task's duration (no btm code)."""
    dur = dict(zip(tasks["task"], tasks["duration"].astype(float), strict=True))
    g = nx.DiGraph()
    for t, preds in zip(tasks["task"], tasks["predecessors"], strict=True):
        g.add_edge(t, "END", weight=dur[t])
        if not preds:
            g.add_edge("START", t, weight=0.0)
        for p in preds:
            g.add_edge(p, t, weight=dur[p])
    ends = [t for t in dur if not any(t in p for p in tasks["predecessors"])]
    g.remove_edges_from([(t, "END") for t in dur if t not in ends])
    longest = nx.dag_longest_path_length(g, weight="weight")
    out = []
    for p in nx.all_simple_paths(g, "START", "END"):
        if sum(g.edges[u, v]["weight"] for u, v in itertools.pairwise(p)) >= longest - 1e-9:
            out.append(p[1:-1])
    return out


def test_two_parallel_critical_tasks_are_two_paths_not_one_sequence():
    """Two parallel tasks A and B of equal duration: path read ['A', 'B'], as if A came before
    B; it is one critical path, and paths lists both, as networkx finds them."""
    t = pd.DataFrame({"task": ["A", "B"], "duration": [2, 2], "predecessors": [[], []]})
    s = schedule.critical_path(t)
    assert sorted(s.paths) == sorted(_longest_paths(t)) == [["A"], ["B"]]
    assert s.path == ["A"]
    assert s.path in s.paths
    assert s.tasks["critical"].all()  # every critical task is still marked critical


def test_a_zero_duration_start_task_is_on_the_path_not_beside_it():
    """Z (0 weeks) then A: one critical path Z-A; ['A'] alone was listed as a second one."""
    t = pd.DataFrame({"task": ["Z", "A"], "duration": [0, 2], "predecessors": [[], ["Z"]]})
    s = schedule.critical_path(t)
    assert s.paths == _longest_paths(t) == [["Z", "A"]]
    assert s.path == ["Z", "A"] and s.summary["n_critical_paths"].iloc[0] == 1


@pytest.mark.parametrize("seed", range(6))
def test_path_is_one_of_the_longest_paths_networkx_finds(seed):
    """path is a real chain of the network (each task a predecessor of the next) and one of the
    longest paths; paths are all of them. Small integer durations make ties (several critical
    paths) frequent, and zero durations test that a path starts at a start task and ends at an
    end task."""
    t = _random_dag(10, 0.3, seed)
    t["duration"] = np.random.default_rng(seed).integers(0, 3, len(t)).astype(float)
    s = schedule.critical_path(t)
    expected = _longest_paths(t)
    assert sorted(s.paths) == sorted(expected)
    assert s.path in expected
    preds = dict(zip(t["task"], t["predecessors"], strict=True))
    assert not preds[s.path[0]]
    assert all(u in preds[v] for u, v in itertools.pairwise(s.path))
    r = schedule.pert(t.assign(optimistic=t["duration"], most_likely=t["duration"],
                               pessimistic=t["duration"] * 2))
    assert r.path in expected
    var = ((r.tasks.set_index("task")["duration"]) / 6) ** 2
    assert r.std == pytest.approx(np.sqrt(sum(var[x] for x in r.path)))
