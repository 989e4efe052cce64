"""Tests of the project schedule analysis's figures and key numbers / messages
(btm/analyses/project_schedule/).

Oracles: the Gantt bars are checked against a forward/backward pass written here with
networkx's longest path (not btm's passes); probabilities by deadline against numpy on the
trials and scipy's normal CDF; calendar dates against pandas date arithmetic.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from chart_checks import check_chart, legend_texts, overlaps, shown_names
from matplotlib.figure import Figure
from message_checks import check_cards_quoted
from scipy import stats

from btm import InputError, files, schedule
from btm.analyses.project_schedule import SPEC, charts, messages

DATA = files.package_root() / "data" / "project_schedule"
START = "2025-01-06"


@pytest.fixture(autouse=True)
def _rc_unchanged_and_closed():
    before = dict(matplotlib.rcParams)
    open_before = set(plt.get_fignums())
    yield
    assert {k for k in before if before[k] != matplotlib.rcParams[k]} == set()
    assert set(plt.get_fignums()) == open_before


@pytest.fixture(scope="module")
def sample():
    tasks = pd.read_csv(DATA / "tasks.csv")
    resources = pd.read_csv(DATA / "resources.csv")
    plan = schedule.critical_path(tasks)
    sim = schedule.simulate_duration(tasks, n_simulations=3000, deadline=40, seed=3)
    lev = schedule.level_resources(tasks, resources, deadline=40)
    smooth = schedule.smooth_resources(tasks)
    return tasks, resources, plan, sim, lev, smooth


def _earliest(tasks: pd.DataFrame) -> dict[str, float]:
    """Earliest start by longest path in a networkx DAG with durations on the edges."""
    g = nx.DiGraph()
    dur = dict(zip(tasks["task"], tasks["duration"].astype(float), strict=True))
    for t, preds in zip(tasks["task"], tasks["predecessors"].fillna(""), strict=True):
        g.add_edge("start", t, weight=0.0)
        for p in [p.strip() for p in preds.split(",") if p.strip()]:
            g.add_edge(p, t, weight=dur[p])
    return {t: float(nx.dag_longest_path_length(g.subgraph(nx.ancestors(g, t) | {t}),
                                                 weight="weight")) for t in tasks["task"]}


# --------------------------------------------------------------------------- Gantt


def test_gantt_bars_are_the_early_start_schedule(sample):
    tasks, _, plan, *_ = sample
    fig = charts.gantt(plan.tasks, deadline=40, footnote="Source: test")
    ax = fig.axes[0]
    assert isinstance(fig, Figure)
    assert ax.get_title() == "Schedule and critical path"
    assert "Weeks" in ax.get_xlabel() and ax.get_ylabel()
    es = _earliest(tasks)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert [lab.split()[0] for lab in labels] == tasks["task"].tolist()
    y_of = {lab.split()[0]: float(t.get_position()[1])
            for lab, t in zip(labels, ax.get_yticklabels(), strict=True)}
    bars = [p for p in ax.patches if abs(p.get_height() - 0.62) < 1e-9]
    float_bars = [p for p in ax.patches if abs(p.get_height() - 0.3) < 1e-9]
    dur = dict(zip(tasks["task"], tasks["duration"], strict=True))
    assert len(bars) == int((tasks["duration"] > 0).sum())
    for p in bars:
        t = next(k for k, v in y_of.items() if abs(v - (p.get_y() + 0.31)) < 1e-6)
        assert p.get_x() == pytest.approx(es[t]) and p.get_width() == pytest.approx(dur[t])
    # Critical tasks are hatched and bold; every other one has a float bar of its total float.
    crit = plan.tasks.set_index("task")["critical"]
    for p in bars:
        t = next(k for k, v in y_of.items() if abs(v - (p.get_y() + 0.31)) < 1e-6)
        assert bool(p.get_hatch()) == bool(crit[t])
    assert len(float_bars) == int((plan.tasks["total_float"] > 0).sum())
    bold = {t.get_text().split()[0] for t in ax.get_yticklabels() if t.get_fontweight() == "bold"}
    assert bold == set(crit[crit].index)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "deadline (week 40)" in legend and "total float" in legend
    assert [t.get_text() for t in fig.texts] == ["Source: test"]


def test_gantt_follows_chart_conventions(sample):
    _, _, plan, *_ = sample
    check_chart(lambda **kw: charts.gantt(plan.tasks, **kw))


def test_gantt_refuses_bad_input(sample):
    _, _, plan, *_ = sample
    with pytest.raises(InputError, match="^tasks: missing column.*'critical'"):
        charts.gantt(plan.tasks.drop(columns="critical"))
    bad = plan.tasks.copy()
    bad.loc[2, "earliest_finish"] = -1.0
    with pytest.raises(InputError, match=r"^tasks, row 3 \(task 'T03'\)"):
        charts.gantt(bad)
    with pytest.raises(InputError, match="^deadline"):
        charts.gantt(plan.tasks, deadline=-3)
    with pytest.raises(InputError, match="^tasks, column 'critical'"):
        charts.gantt(plan.tasks.assign(critical="yes"))


# --------------------------------------------------------------------------- S-curve


def test_duration_s_curve_shows_simulation_pert_and_deadline(sample):
    _, _, _, sim, *_ = sample
    s = sim.summary.iloc[0]
    fig = charts.duration_s_curve(sim.trials, pert_duration=s["pert_duration"],
                                  pert_std=s["pert_std"], deadline=40, quantiles=[0.5, 0.8])
    ax = fig.axes[0]
    assert ax.get_title() == "When will the project finish?"
    assert "weeks" in ax.get_xlabel() and ax.get_ylabel()
    named = {ln.get_label(): ln for ln in ax.get_lines() if not ln.get_label().startswith("_")}
    assert set(named) == {"simulation", "PERT normal approximation"}
    assert named["simulation"].get_linestyle() != named["PERT normal approximation"].get_linestyle()
    x, y = named["PERT normal approximation"].get_data()
    assert y == pytest.approx(stats.norm.cdf(x, s["pert_duration"], s["pert_std"]))
    note = next(t for t in ax.texts if t.get_gid() == "deadline").get_text()
    p_sim = (sim.trials["duration"] <= 40).mean()
    p_pert = stats.norm.cdf((40 - s["pert_duration"]) / s["pert_std"])
    assert note == f"Deadline week 40\n{p_sim:.0%} chance ({p_pert:.0%} by PERT)"
    p80 = next(t for t in ax.texts if t.get_text().startswith("P80"))
    assert p80.xy[0] == pytest.approx(np.quantile(sim.trials["duration"], 0.8))


def test_duration_s_curve_names_the_exact_percentile(sample):
    """A confidence of 0.975 is labelled P97.5 on the curve (it read P98)."""
    sim = sample[3]
    fig = charts.duration_s_curve(sim.trials, quantiles=[0.5, 0.975])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any(t.startswith("P97.5 ") for t in texts), texts
    assert any(t.startswith("P50 ") for t in texts), texts
    plt.close(fig)


def test_duration_s_curve_follows_chart_conventions(sample):
    _, _, _, sim, *_ = sample
    check_chart(lambda **kw: charts.duration_s_curve(sim.trials, deadline=40, **kw))


def test_duration_s_curve_refuses_bad_input(sample):
    _, _, _, sim, *_ = sample
    with pytest.raises(InputError, match="^trials: missing column"):
        charts.duration_s_curve(pd.DataFrame({"x": [1.0]}))
    with pytest.raises(InputError, match="^trials: got list"):
        charts.duration_s_curve([1.0, 2.0])
    with pytest.raises(InputError, match="^pert_std"):
        charts.duration_s_curve(sim.trials, pert_duration=40)
    with pytest.raises(InputError, match="^pert_std: got -1"):
        charts.duration_s_curve(sim.trials, pert_duration=40, pert_std=-1)
    with pytest.raises(InputError, match="^quantiles"):
        charts.duration_s_curve(sim.trials, quantiles=[0])


# --------------------------------------------------------------------------- resource profile


def test_resource_profile_one_panel_per_resource(sample):
    _, resources, _, _, lev, _ = sample
    fig = charts.resource_profile(lev.profile, footnote="Source: test")
    panels = [ax for ax in fig.axes if ax.get_title(loc="left")]
    names = sorted(resources["resource"])
    assert [ax.get_title(loc="left") for ax in panels] == [n.replace("_", " ") for n in names]
    assert fig._suptitle.get_text() == "Resource use before and after levelling"
    for ax, name in zip(panels, names, strict=True):
        prof = lev.profile[lev.profile["resource"] == name].sort_values("period")
        heights = [p.get_height() for p in ax.patches]
        assert heights == pytest.approx(prof["demand_after"].tolist())
        cap = float(resources.set_index("resource").loc[name, "capacity"])
        assert max(heights) <= cap  # levelling keeps to capacity
        over = [ln for ln in ax.get_lines() if ln.get_label() == "_over"]
        n_over = int((prof["demand_before"] > cap).sum())
        assert (len(over[0].get_xdata()) if over else 0) == n_over
    assert "Units per week" in panels[0].get_ylabel() and "Weeks" in panels[-1].get_xlabel()
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == ["after levelling", "before (early start)", "before: over capacity",
                      "capacity"]
    assert fig.texts[-1].get_text() == "Source: test"


def test_resource_profile_titles_and_bad_input(sample):
    *_, lev, _ = sample
    fig = charts.resource_profile(lev.profile, titles=list("abcd"), title="Custom")
    assert [ax.get_title(loc="left") for ax in fig.axes][:4] == list("abcd")
    assert fig._suptitle.get_text() == "Custom"
    with pytest.raises(InputError, match="^titles: got"):
        charts.resource_profile(lev.profile, titles=["only one"])
    with pytest.raises(InputError, match="^profile: missing column.*'capacity'"):
        charts.resource_profile(lev.profile.drop(columns="capacity"))
    with pytest.raises(InputError, match="^footnote"):
        charts.resource_profile(lev.profile, footnote=3)
    with pytest.raises(InputError, match=r"^profile, row 1, column 'demand_after'"):
        charts.resource_profile(lev.profile.assign(demand_after="x"))


# --------------------------------------------------------------------------- numbers, messages


def test_key_numbers_match_an_independent_computation(sample):
    tasks, _, plan, sim, lev, _ = sample
    n = messages.schedule_key_numbers(plan, sim, lev, confidence=0.8)
    assert set(k.name for k in SPEC.key_numbers) <= set(n)
    d = sim.trials["duration"].to_numpy()
    assert n["probability_by_deadline"]["value"] == pytest.approx((d <= 40).mean())
    assert n["finish_at_confidence"]["value"] == pytest.approx(np.quantile(d, 0.8))
    es = _earliest(tasks)
    end = max(es[t] + float(u) for t, u in zip(tasks["task"], tasks["duration"], strict=True))
    assert n["planned_duration"]["value"] == end == 37
    assert n["levelled_duration"]["value"] == lev.tasks["finish"].max() == 42
    assert n["probability_by_deadline"]["unit"] == "%"


def test_key_messages_quote_the_numbers(sample):
    tasks, _, plan, sim, lev, smooth = sample
    msgs = messages.schedule_key_messages(plan, sim, lev, start_date=START, confidence=0.8,
                                          tasks=tasks)
    d = sim.trials["duration"].to_numpy()
    p80 = np.quantile(d, 0.8)
    # The date of a finish is the day the work ends on: P80 weeks after the start, day
    # ceil(7 * P80) of work counting the start date as day 1.
    when = pd.Timestamp(START) + pd.Timedelta(days=int(np.ceil(p80 * 7 - 1e-9)) - 1)
    s = sim.summary.iloc[0]
    p_pert = stats.norm.cdf((40 - s["pert_duration"]) / s["pert_std"])
    # Week 40 from Monday 6 January 2025 is 280 days: done by the end of Sunday 12 October.
    # chances written as the key-number cards write them: three significant digits
    assert msgs[0] == (f"Finishing by the deadline, week 40 (12 Oct 2025), has a "
                       f"{_pct((d <= 40).mean())} chance ({_pct(p_pert)} by PERT); P80 is week "
                       f"{p80:.1f} ({when.day} {when:%b %Y}).")
    # The task off PERT's path that is critical most often (merge bias): T04 in the sample.
    t = sim.tasks
    off = t[~t["pert_critical"]].sort_values("criticality_index", ascending=False).iloc[0]
    name = tasks.set_index("task").loc[off["task"], "name"]
    assert msgs[1] == (f"{name} ({off['task']}) is critical in "
                       f"{_pct(off['criticality_index'])} of simulations although PERT leaves "
                       "it off the critical path.")
    assert msgs[2] == ("Levelling to capacity moves the end from week 37 to 42 (26 Oct 2025); "
                       "the deadline (week 40) must move.")
    assert msgs[3].startswith("The plan takes 37 weeks; ")
    peak = smooth.summary["peak_before"] - smooth.summary["peak_after"]
    r = peak.idxmax()
    assert messages.schedule_smoothing_sentence(smooth).endswith(
        f"{r.replace('_', ' ')} units from {smooth.summary.loc[r, 'peak_before']:g} to "
        f"{smooth.summary.loc[r, 'peak_after']:g}.")


def _pct(share: float) -> str:
    """Three significant digits of the per cent, written out independently of btm.style."""
    x = float(share) * 100
    if x == 0:
        return "0%"
    digits = max(0, 2 - int(np.floor(np.log10(abs(x)))))
    return f"{round(x, digits):.{digits}f}".rstrip("0").rstrip(".") + "%"


def test_deadline_sentence_writes_chances_as_the_cards_and_names_the_exact_percentile(sample):
    """Cards write "%" key numbers with three significant digits; the sentence did 0.874 as
    87% beside the card's 87.4%. A confidence of 0.975 is P97.5 (it read P98)."""
    tasks, _, plan, sim, lev, _ = sample
    numbers = messages.schedule_key_numbers(plan, sim, lev, confidence=0.975)
    said = messages.schedule_deadline_sentence(sim, start_date=START, confidence=0.975)
    check_cards_quoted(numbers, said, ["probability_by_deadline",
                                       "pert_probability_by_deadline"])
    assert "P97.5 is week" in said
    assert numbers["finish_at_confidence"]["label"] == "P97.5 finish (simulation)"


def test_dates_in_messages_are_the_day_the_work_ends():
    # One task of exactly 2 weeks from Monday 6 January 2025: 14 days of work, done by the end
    # of Sunday 19 January (the calendar: 6-12 and 13-19 January are the two weeks).
    t = pd.DataFrame({"task": ["A"], "optimistic": [2], "most_likely": [2], "pessimistic": [2]})
    sim = schedule.simulate_duration(t, n_simulations=100, deadline=2)
    assert messages.schedule_deadline_sentence(sim, start_date=START) == (
        "Finishing by the deadline, week 2 (19 Jan 2025), has a 100% chance (100% by PERT); "
        "P80 is week 2 (19 Jan 2025).")
    # Two one-week tasks on one developer: levelled end at week 2, also Sunday 19 January.
    t = pd.DataFrame({"task": ["a", "b"], "duration": [1, 1], "predecessors": ["", ""],
                      "resource": ["dev", "dev"], "units": [1, 1]})
    lev = schedule.level_resources(t, {"dev": 1})
    assert messages.schedule_levelling_sentence(lev, start_date=START).startswith(
        "Levelling to capacity moves the end from week 1 to 2 (19 Jan 2025)")


def test_levelling_sentence_within_deadline_and_float():
    t = pd.DataFrame({"task": ["a", "b", "c"], "duration": [4, 1, 1],
                      "predecessors": ["", "", ""], "resource": ["dev"] * 3, "units": [1] * 3})
    lev = schedule.level_resources(t, {"dev": 2})
    assert messages.schedule_levelling_sentence(lev, start_date=START) == (
        "Levelling to capacity keeps the end at week 4: the one task it delays stays within its "
        "float.")
    t4 = pd.concat([t, t.iloc[[1]].assign(task="d")], ignore_index=True)
    lev = schedule.level_resources(t4, {"dev": 2})
    assert int((lev.tasks["delay"] > 0).sum()) == 2
    assert messages.schedule_levelling_sentence(lev, start_date=START) == (
        "Levelling to capacity keeps the end at week 4: every delay fits within the tasks' float "
        "(2 tasks delayed).")
    lev = schedule.level_resources(t, {"dev": 1}, deadline=10)
    assert messages.schedule_levelling_sentence(lev, start_date=START).endswith(
        "still within the deadline (week 10).")


def _small_plan(n: int) -> pd.DataFrame:
    """`n` parallel tasks of one week, each on its own developer: nothing to level or smooth."""
    return pd.DataFrame({"task": list("AB")[:n], "duration": [1] * n, "optimistic": [1] * n,
                         "most_likely": [1] * n, "pessimistic": [1] * n,
                         "predecessors": [""] * n, "resource": ["dev"] * n, "units": [1] * n})


@pytest.mark.parametrize("n", [1, 2])
def test_small_plans_read_in_the_right_number(n):
    """A one-task plan said 'PERT's critical path (1 tasks)' and 'The plan takes 1 weeks; 1 of 1
    tasks are critical'; levelling and smoothing said 'every delay fits within the tasks'
    float' (or nothing of what happened) when they moved no task."""
    t = _small_plan(n)
    plan = schedule.critical_path(t)
    sim = schedule.simulate_duration(t, n_simulations=100, deadline=2)
    lev = schedule.level_resources(t, {"dev": 2})
    said = messages.schedule_key_messages(plan, sim, lev, start_date=START, tasks=t)
    said.append(messages.schedule_smoothing_sentence(schedule.smooth_resources(t)))
    expected = {
        1: ["The one task PERT finds critical is critical in every simulation.",
            "Levelling to capacity moves no task: the plan already fits every resource's "
            "capacity, and the end stays at week 1.",
            "The plan takes 1 week; its one task is critical (no float), on one critical path."],
        2: ["Both tasks PERT finds critical are critical in every simulation.",
            "Levelling to capacity moves no task: the plan already fits every resource's "
            "capacity, and the end stays at week 1.",
            "The plan takes 1 week; 2 of 2 tasks are critical (no float), on 2 critical paths."],
    }[n]
    assert said[1:4] == expected
    assert said[4] == ("Smoothing moves no task: none has float, so every resource's peak and "
                       "the end (week 1) stay as planned.")
    for text in said:
        for wrong in ("1 tasks", "1 weeks", "1 paths", "1 units", "1 of 1 tasks",
                      "every delay", "1 critical paths"):
            assert wrong not in text, (wrong, text)


def test_path_sentence_agrees_with_one_critical_task_of_several():
    t = pd.DataFrame({"task": ["A", "B"], "duration": [2, 1], "predecessors": ["", ""]})
    assert messages.schedule_path_sentence(schedule.critical_path(t)) == (
        "The plan takes 2 weeks; 1 of 2 tasks is critical (no float), on one critical path.")
    half = t.assign(duration=[1.5, 1])
    assert messages.schedule_path_sentence(schedule.critical_path(half)).startswith(
        "The plan takes 1.5 weeks; ")


def test_messages_refuse_wrong_results(sample):
    tasks, _, plan, sim, lev, _ = sample
    with pytest.raises(InputError, match="^schedule"):
        messages.schedule_key_messages("plan", sim, start_date=START)
    with pytest.raises(InputError, match="^simulation"):
        messages.schedule_key_numbers(plan, plan)
    no_deadline = schedule.simulate_duration(tasks, n_simulations=200)
    with pytest.raises(InputError, match="^simulation: has no deadline"):
        messages.schedule_deadline_sentence(no_deadline, start_date=START)
    with pytest.raises(InputError, match="^start_date"):
        messages.schedule_deadline_sentence(sim, start_date="someday")
    with pytest.raises(InputError, match="^levelling"):
        messages.schedule_levelling_sentence(plan, start_date=START)


# --------------------------------------------------------------------------- unusual names

#: Names a user may type: a leading "_", about 60 characters (one without a space), "$",
#: non-ASCII.
UNUSUAL = {"Project kick-off and governance set-up": "_kick-off $x$",
           "Current-state process mapping":
               "Übergang/Été: current-state process mapping at $-cost centres",
           "Solution design sign-off": "solution_design_sign_off_by_the_architecture_board",
           "developer": "_developer",
           "functional_consultant": "functional_consultant_from_the_integrator_and_key_users_pool",
           "tester": "test_analysts_and_key_users_of_every_site_in_the_european_union"}


@pytest.fixture(scope="module")
def unusual_figures(sample):
    """The three figures as the notebook draws them, on the sample files with names replaced."""
    tasks, resources, *_ = sample
    tasks = tasks.assign(name=tasks["name"].replace(UNUSUAL),
                         resource=tasks["resource"].replace(UNUSUAL))
    resources = resources.assign(resource=resources["resource"].replace(UNUSUAL))
    plan = schedule.critical_path(tasks)
    sim = schedule.simulate_duration(tasks, n_simulations=500, deadline=40, seed=3)
    s = sim.summary.iloc[0]
    lev = schedule.level_resources(tasks, resources, deadline=40)
    return {"gantt": charts.gantt(plan.tasks, deadline=40, footnote="Source: test"),
            "s_curve": charts.duration_s_curve(sim.trials, pert_duration=s["pert_duration"],
                                               pert_std=s["pert_std"], deadline=40),
            "profile": charts.resource_profile(lev.profile, footnote="Source: test")}


def test_every_name_is_shown_even_one_starting_with_underscore(unusual_figures):
    """A reviewer: the resource "_developer" was titled " developer" (every underscore read as
    a space), and a task name without a space longer than the label was shortened to its id
    and "…". Every name is shown as typed ("$" too), long ones wrapped onto two lines and cut
    with "…"; every legend is given its entries."""
    shown = shown_names(unusual_figures["gantt"])
    assert "T01 _kick-off $x$" in shown
    assert "T02 Übergang/Été: current-state process\nmapping at $-cost centres" in shown
    assert "T04\nsolution_design_sign_off_by_the_architectur…" in shown
    titles = [ax.get_title(loc="left") for ax in unusual_figures["profile"].axes]
    assert titles[:4] == ["_developer", "data specialist",
                          "functional consultant from the integrator…",
                          "test analysts and key users of every site…"]
    assert legend_texts(unusual_figures["s_curve"]) == ["simulation",
                                                        "PERT normal approximation"]
    assert "deadline (week 40)" in legend_texts(unusual_figures["gantt"])


@pytest.mark.parametrize("name", ["gantt", "s_curve", "profile"])
def test_no_text_overlaps_with_long_names(unusual_figures, name):
    """A reviewer: two 60-character resources side by side ran their panel titles into each
    other."""
    assert overlaps(unusual_figures[name]) == [], name
