"""Tests of btm.competency: scipy and statsmodels as oracles, hand-worked cases, properties.

Independent sources: ``scipy.stats.mannwhitneyu`` called directly on the answers (built here
without btm), ``statsmodels.stats.multitest.multipletests(method="fdr_bh")`` for the
Benjamini-Hochberg adjustment, numpy for means, standard deviations and quartiles, and
hand-enumerated permutation distributions and calendar dates (worked in the docstrings).
"""

from __future__ import annotations

import calendar
import functools
from datetime import date, timedelta
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.multitest import multipletests

from btm import InputError, competency
from btm.constraints import all_invalid, constraints_of

DATA = Path(competency.__file__).resolve().parent / "data" / "btm_competencies"
NAMES = [c[1] for c in competency.COMPETENCIES]


def _ix(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """Index by a text column (as str, so pandas 2 with future string inference keeps quiet)."""
    return df.set_index(df[column].astype(str))


def _survey(rows: list[tuple]) -> pd.DataFrame:
    cols = ["respondent", "role", "competency", "maturity", "importance"]
    return pd.DataFrame(rows, columns=cols[: len(rows[0])])


def _random_survey(seed: int, n_business: int = 7, n_it: int = 6) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n_business + n_it):
        role = "business" if k < n_business else "IT"
        for j, name in enumerate(NAMES):
            centre = 2.5 + (0.8 if role == "IT" else 0) * (j % 3 == 0)
            m = int(np.clip(np.rint(rng.normal(centre, 1.0)), 1, 5))
            rows.append((f"r{k}", role, name, m, int(rng.integers(1, 6))))
    return _survey(rows)


# --------------------------------------------------------------------------- catalogue


def test_default_catalogue_is_the_fifteen_in_order():
    cat = competency.default_catalogue()
    assert list(cat["order"]) == list(range(1, 16))
    assert cat["competency"].iloc[0] == "Envisioning"
    assert cat["competency"].iloc[7] == "Financial modelling"
    assert cat["competency"].iloc[11] == "Operational planning"
    assert cat["competency"].iloc[14] == "Results focus"
    assert cat["description"].str.len().gt(10).all()
    cat.loc[0, "competency"] = "changed"  # a fresh copy every time
    assert competency.default_catalogue()["competency"].iloc[0] == "Envisioning"


def test_catalogue_without_rests_on_is_a_strict_sequence():
    cat = competency.validate_catalogue(competency.default_catalogue())
    for k, rests in enumerate(cat["rests_on"]):
        assert rests == tuple(NAMES[:k])


def test_user_framework_with_explicit_prerequisites_sorted_by_order():
    own = pd.DataFrame({"order": [3, 1, 2], "competency": ["Gamma", "Alpha", "Beta"],
                        "rests_on": ["alpha; Beta", None, ""]})
    cat = competency.validate_catalogue(own)
    assert list(cat["competency"]) == ["Alpha", "Beta", "Gamma"]
    assert list(cat["rests_on"]) == [(), (), ("Alpha", "Beta")]


# --------------------------------------------------------------------------- statistics


def test_group_statistics_and_gap_against_numpy_and_scipy():
    """Every competency's means, spread, U and p-value against numpy and scipy called directly."""
    survey = _random_survey(3)
    result = competency.assess(survey)
    for name in NAMES:
        b = survey.loc[(survey.competency == name) & (survey.role == "business"), "maturity"]
        i = survey.loc[(survey.competency == name) & (survey.role == "IT"), "maturity"]
        b, i = b.to_numpy(float), i.to_numpy(float)
        g = result.gaps.pipe(_ix, "competency").loc[name]
        assert g["business_mean"] == pytest.approx(b.mean())
        assert g["gap"] == pytest.approx(b.mean() - i.mean())
        ref = stats.mannwhitneyu(b, i, alternative="two-sided")
        assert g["statistic"] == pytest.approx(ref.statistic)
        if np.ptp(np.r_[b, i]) > 0:
            assert g["p_value"] == pytest.approx(ref.pvalue)
        assert g["effect_size"] == pytest.approx(2 * ref.statistic / (len(b) * len(i)) - 1)
        pooled = np.sqrt(((len(b) - 1) * b.var(ddof=1) + (len(i) - 1) * i.var(ddof=1))
                         / (len(b) + len(i) - 2))
        assert g["pooled_std"] == pytest.approx(pooled)
        row = result.by_group.set_index(["competency", "role"]).loc[(name, "IT")]
        assert row["std"] == pytest.approx(i.std(ddof=1))
        assert row["q1"] == pytest.approx(np.quantile(i, 0.25))
        assert row["median"] == pytest.approx(np.median(i))
        assert row["n"] == len(i)


def test_benjamini_hochberg_against_statsmodels():
    result = competency.assess(_random_survey(11))
    p = result.gaps["p_value"].to_numpy()
    ok = ~np.isnan(p)
    reject, adjusted, _, _ = multipletests(p[ok], alpha=0.05, method="fdr_bh")
    np.testing.assert_allclose(result.gaps["p_value_adjusted"].to_numpy()[ok], adjusted)
    np.testing.assert_array_equal(result.gaps["significant"].to_numpy()[ok], reject)


def test_permutation_and_mann_whitney_hand_enumerated():
    """Business rates 1 and 2, IT rates 3 and 4 (no ties).

    The 6 ways of splitting {1, 2, 3, 4} into two pairs give business-minus-IT mean
    differences -2, -1, 0, 0, 1, 2; the observed -2 is matched or exceeded in absolute value by
    2 of the 6: two-sided p = 1/3 (exact permutation test). Mann-Whitney: U(business) = 0, the
    smallest of the 6 equally likely rank arrangements, so the exact two-sided p = 2 * 1/6 = 1/3;
    rank-biserial correlation 2 * 0 / 4 - 1 = -1.
    """
    survey = _survey([("a", "business", "Envisioning", 1), ("b", "business", "Envisioning", 2),
                      ("c", "IT", "Envisioning", 3), ("d", "IT", "Envisioning", 4)])
    perm = competency.assess(survey, test="permutation").gaps.iloc[0]
    assert perm["statistic"] == pytest.approx(-2.0)
    assert perm["p_value"] == pytest.approx(1 / 3)
    mw = competency.assess(survey).gaps.iloc[0]
    assert mw["statistic"] == 0
    assert mw["p_value"] == pytest.approx(1 / 3)
    assert mw["effect_size"] == -1
    assert "little power" in mw["caveat"]


def test_permutation_test_is_seeded_when_monte_carlo():
    survey = _random_survey(5, 9, 9)  # C(18, 9) = 48620 splits > n_resamples: Monte Carlo
    a = competency.assess(survey, test="permutation", n_resamples=999, seed=1).gaps
    b = competency.assess(survey, test="permutation", n_resamples=999, seed=1).gaps
    pd.testing.assert_frame_equal(a, b)


def test_identical_answers_give_no_evidence_of_a_gap():
    survey = _survey([(r, role, "Benchmarking", 3) for r, role in
                      [("a", "business"), ("b", "business"), ("c", "IT"), ("d", "IT")]])
    g = competency.assess(survey).gaps.pipe(_ix, "competency").loc["Benchmarking"]
    assert g["gap"] == 0 and g["p_value"] == 1.0


def test_importance_weighted_gap_hand_computed():
    """Gap -2 (business 2, IT 4); importance answers 4, 5, 3, 4 -> mean 4; weight 4 / 5 = 0.8;
    weighted gap 1.6. Without an importance column the weight is 1: weighted gap 2."""
    rows = [("a", "business", "Common language", 2, 4), ("b", "business", "Common language", 2, 5),
            ("c", "IT", "Common language", 4, 3), ("d", "IT", "Common language", 4, 4)]
    g = competency.assess(_survey(rows)).gaps.pipe(_ix, "competency").loc["Common language"]
    assert g["importance"] == 4 and g["weighted_gap"] == pytest.approx(1.6)
    no_imp = _survey([r[:4] for r in rows])
    g2 = competency.assess(no_imp).gaps.pipe(_ix, "competency").loc["Common language"]
    assert np.isnan(g2["importance"]) and g2["weighted_gap"] == pytest.approx(2.0)


# --------------------------------------------------------------------------- priorities


def _two_group_survey(business: np.ndarray, it: np.ndarray,
                      names: list[str] | None = None) -> pd.DataFrame:
    names = NAMES if names is None else names
    rows = [("b", "business", n, float(v)) for n, v in zip(names, business, strict=True)]
    rows += [("i", "IT", n, float(v)) for n, v in zip(names, it, strict=True)]
    return _survey(rows)


def test_priority_hand_worked_framework():
    """Own framework: Alpha; Beta rests on Alpha; Gamma rests on nothing. Threshold 3.

    Lower-group maturity: Alpha 2 (shortfall 1), Beta 1 (shortfall 2), Gamma 1.5 (1.5).
    Beta has the largest need but rests on Alpha, so the order is Gamma (1.5, free),
    Alpha (1.0, free), then Beta; statuses ready, ready, blocked by Alpha.
    """
    cat = pd.DataFrame({"order": [1, 2, 3], "competency": ["Alpha", "Beta", "Gamma"],
                        "rests_on": ["", "Alpha", ""]})
    survey = _two_group_survey(np.array([2, 1, 1.5]), np.array([4, 2, 3]),
                               ["Alpha", "Beta", "Gamma"])
    pr = competency.assess(survey, catalogue=cat).priorities.pipe(_ix, "competency")
    assert pr["priority"].to_dict() == {"Gamma": 1, "Alpha": 2, "Beta": 3}
    assert pr["status"].to_dict() == {"Alpha": "ready", "Beta": "blocked", "Gamma": "ready"}
    assert pr.loc["Beta", "blocked_by"] == "Alpha"
    assert pr.loc["Beta", "shortfall"] == 2
    overall = competency.assess(survey, catalogue=cat, basis="overall").priorities
    assert overall.pipe(_ix, "competency").loc["Alpha", "status"] == "reached"  # mean 3


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    business=st.lists(st.integers(1, 5), min_size=15, max_size=15),
    it=st.lists(st.integers(1, 5), min_size=15, max_size=15),
    threshold=st.sampled_from([2.0, 3.0, 3.5, 4.0]),
    edges=st.sets(st.tuples(st.integers(0, 14), st.integers(0, 14)), max_size=25),
    strict=st.booleans(),
)
def test_ordering_rule_properties(business, it, threshold, edges, strict):
    """No competency is prioritised before one it rests on (directly or not) that is below the
    threshold; reached ones get no priority; 'ready' means nothing it rests on is still to
    develop; priorities are 1..k without gaps."""
    cat = competency.default_catalogue()
    if not strict:
        rests = {c: [] for c in range(15)}
        for a, b in edges:
            if a < b:
                rests[b].append(NAMES[a])
        cat = cat.assign(rests_on=[", ".join(rests[k]) for k in range(15)])
    result = competency.assess(_two_group_survey(np.array(business), np.array(it)),
                               catalogue=cat, threshold=threshold)
    pr = result.priorities.pipe(_ix, "competency")
    graph = nx.DiGraph()
    graph.add_nodes_from(NAMES)
    for c, r in zip(result.catalogue["competency"], result.catalogue["rests_on"], strict=True):
        graph.add_edges_from((p, c) for p in r)
    maturity = np.minimum(business, it)
    for k, name in enumerate(NAMES):
        below = maturity[k] < threshold
        assert bool(pr.loc[name, "reached"]) is (not below)
        assert pd.isna(pr.loc[name, "priority"]) is (not below)
        to_develop = [a for a in nx.ancestors(graph, name) if pr.loc[a, "status"] != "reached"]
        if below:
            assert pr.loc[name, "status"] == ("blocked" if to_develop else "ready")
            for a in to_develop:
                assert pr.loc[a, "priority"] < pr.loc[name, "priority"]
    given_ = pr["priority"].dropna().astype(int).sort_values().to_list()
    assert given_ == list(range(1, len(given_) + 1))


# --------------------------------------------------------------------------- calendar


def test_calendar_plan_on_fixed_dates():
    """Framework Alpha (strategy review), Beta rests on Alpha (budget), Gamma (no moment);
    all below threshold. Needs: Alpha 1.0, Beta 2.0, Gamma 0.5 -> order Alpha, Beta, Gamma.
    One at a time, 3 months each, from Monday 2025-01-06:
      Alpha 2025-01-06 -> 2025-04-06; first strategy review on or after: 2025-06-15;
            start by 2025-03-15 (slack 68 days); makes the first review.
      Beta  2025-04-06 -> 2025-07-06; budget 2025-09-30, start by 2025-06-30 (slack 85 days).
      Gamma 2025-07-06 -> 2025-10-06; no moment.
    With 4-month Beta (catalogue) it finishes 2025-08-06 and still makes the budget, start by
    2025-05-31 (31 May + 4 months is 30 September, the deadline day; 1 June + 4 months is
    1 October, a day late). With the budget due on 2025-03-31 (given as 2024-03-31, recurring yearly) Beta
    misses the first one (2025-03-31) and is ready for 2026-03-31.
    """
    cat = pd.DataFrame({"order": [1, 2, 3], "competency": ["Alpha", "Beta", "Gamma"],
                        "rests_on": ["", "Alpha", ""],
                        "needed_by": ["strategy_review", "budget_deadline", None]})
    survey = _two_group_survey(np.array([2, 1, 2.5]), np.array([4, 4, 4]),
                               ["Alpha", "Beta", "Gamma"])
    result = competency.assess(survey, catalogue=cat)
    kw = {"start": "2025-01-06", "fiscal_year_start": "2025-01-01",
          "budget_deadline": "2025-09-30", "strategy_review": "2025-06-15"}
    plan = competency.development_plan(result, max_parallel=1, **kw).plan.pipe(_ix, "competency")
    assert list(plan.index) == ["Alpha", "Beta", "Gamma"]
    ts = pd.Timestamp
    assert plan.loc["Alpha", "start"] == ts("2025-01-06")
    assert plan.loc["Alpha", "finish"] == ts("2025-04-06")
    assert plan.loc["Alpha", "moment_date"] == ts("2025-06-15")
    assert plan.loc["Alpha", "start_by"] == ts("2025-03-15")
    assert plan.loc["Alpha", "slack_days"] == 68
    assert bool(plan.loc["Alpha", "makes_first_moment"])
    assert plan.loc["Beta", "start"] == ts("2025-04-06")
    assert plan.loc["Beta", "start_by"] == ts("2025-06-30")
    assert plan.loc["Beta", "slack_days"] == 85
    assert plan.loc["Gamma", "finish"] == ts("2025-10-06")
    assert pd.isna(plan.loc["Gamma", "moment_date"])

    longer = competency.assess(survey, catalogue=cat.assign(development_months=[3, 4, 3]))
    p2 = competency.development_plan(longer, max_parallel=1, **kw).plan.pipe(_ix, "competency")
    assert p2.loc["Beta", "finish"] == ts("2025-08-06")
    assert p2.loc["Beta", "start_by"] == ts("2025-05-31")

    early = dict(kw, budget_deadline="2024-03-31")
    p3 = competency.development_plan(result, max_parallel=1, **early)
    row = p3.plan.pipe(_ix, "competency").loc["Beta"]
    assert row["moment_date"] == ts("2026-03-31")
    assert not bool(row["makes_first_moment"])
    assert p3.calendar.pipe(_ix, "moment").loc["budget_deadline", "date"] == ts("2025-03-31")


@functools.cache
def _one_competency(months: int) -> competency.CompetencyAssessment:
    cat = pd.DataFrame({"order": [1], "competency": ["Alpha"], "needed_by": ["strategy_review"],
                        "development_months": [months]})
    return competency.assess(_two_group_survey(np.array([1]), np.array([1]), ["Alpha"]),
                             catalogue=cat)


def _one_competency_plan(months: int, start: str, **moments: str) -> pd.Series:
    kw = {"fiscal_year_start": "2025-01-01", "budget_deadline": "2025-09-30",
          "strategy_review": "2025-06-15"} | moments
    return competency.development_plan(_one_competency(months), start=start, **kw).plan.iloc[0]


@pytest.mark.parametrize(("start", "months", "review", "finish"), [
    # 31 May 2025 + 4 months: June, July, August, September; September has 30 days, so the
    # competency is ready on 30 September 2025, the day of the review: made, no slack.
    # A start on 1 June would finish on 1 October, a day late, so 31 May is the latest start.
    ("2025-05-31", 4, "2025-09-30", "2025-09-30"),
    # 31 December 2024 + 2 months: February 2025 has 28 days (2025 is not a leap year), so it
    # is ready on 28 February 2025, the review day; 1 January 2025 + 2 months is 1 March.
    ("2024-12-31", 2, "2025-02-28", "2025-02-28"),
    # 31 December 2023 + 2 months: 29 February 2024 (2024 is a leap year).
    ("2023-12-31", 2, "2024-02-29", "2024-02-29"),
    # 31 March 2025 + 1 month: April has 30 days, ready on 30 April 2025.
    ("2025-03-31", 1, "2025-04-30", "2025-04-30"),
])
def test_finish_on_a_month_end_moment_day_makes_it_with_no_slack(start, months, review, finish):
    """Ready on the moment day itself is in time: start_by is the start, slack 0, not -1..-3.

    Subtracting the months from the moment date (30 September - 4 months = 30 May) is not the
    inverse of adding them at a month end, which gave a negative slack ("too late").
    """
    row = _one_competency_plan(months, start, strategy_review=review)
    assert row["finish"] == pd.Timestamp(finish)
    assert row["moment_date"] == pd.Timestamp(review)
    assert bool(row["makes_first_moment"])
    assert row["start_by"] == pd.Timestamp(start)
    assert row["slack_days"] == 0


def _add_months(day: date, months: int) -> date:
    """Calendar months without pandas: same day of the month, or the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@pytest.mark.parametrize("months", [1, 2, 3, 4, 5])
def test_start_by_is_the_last_start_that_is_ready_by_the_moment(months):
    """Against a plain-python calendar: start_by + months <= moment date < (start_by + 1 day)
    + months, for every start around the month ends of the winter of 2024/25 (a review on the
    last day of February) and slack is never negative."""
    for start in pd.date_range("2024-10-25", "2025-03-05", freq="3D"):
        row = _one_competency_plan(months, f"{start:%Y-%m-%d}", strategy_review="2025-02-28")
        s, due = row["start_by"].date(), row["moment_date"].date()
        assert row["finish"].date() == _add_months(start.date(), months)
        assert _add_months(s, months) <= due < _add_months(s + timedelta(days=1), months)
        assert row["slack_days"] == (s - start.date()).days >= 0


def test_parallel_slots_and_prerequisites():
    """Two slots: Alpha and Gamma start together on the start date; Beta waits for Alpha."""
    cat = pd.DataFrame({"order": [1, 2, 3], "competency": ["Alpha", "Beta", "Gamma"],
                        "rests_on": ["", "Alpha", ""]})
    survey = _two_group_survey(np.array([1, 1, 2]), np.array([1, 1, 2]),
                               ["Alpha", "Beta", "Gamma"])
    result = competency.assess(survey, catalogue=cat)
    plan = competency.development_plan(
        result, start="2025-02-01", fiscal_year_start="2025-01-01",
        budget_deadline="2025-09-30", strategy_review="2025-06-15", development_months=2,
    )
    p = plan.plan.pipe(_ix, "competency")
    assert p.loc["Alpha", "start"] == p.loc["Gamma", "start"] == pd.Timestamp("2025-02-01")
    assert p.loc["Beta", "start"] == pd.Timestamp("2025-04-01")
    assert plan.finish == pd.Timestamp("2025-06-01")
    ready_only = competency.development_plan(
        result, start="2025-02-01", fiscal_year_start="2025-01-01",
        budget_deadline="2025-09-30", strategy_review="2025-06-15", include_blocked=False,
    )
    assert set(ready_only.plan["competency"]) == {"Alpha", "Gamma"}


# --------------------------------------------------------------------------- bad input


GOOD = [("a", "business", "Envisioning", 3), ("b", "IT", "Envisioning", 4)]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("a", "business", "Envisioning", None), *GOOD],
         r"survey, row 1, column 'maturity': the cell is empty"),
        ([*GOOD, ("c", "IT", "Envisioning", 6)],
         r"survey, row 3, column 'maturity': got 6; expected a value of at most 5"),
        ([*GOOD, ("c", "IT", "Envisioning", 0)], r"row 3, column 'maturity': got 0"),
        ([*GOOD, ("c", "IT", "Envisoning", 3)],
         r"survey, row 3, column 'competency': got 'Envisoning'; expected a competency"),
        ([*GOOD, ("c", None, "Envisioning", 3)], r"survey, row 3, column 'role': the cell is empty"),
        ([*GOOD, ("c", "finance", "Envisioning", 3)],
         r"survey, row 3, column 'role': got 'finance'; expected 'business' or 'IT'"),
        ([*GOOD, ("a", "IT", "Benchmarking", 3)],
         r"survey, row 3, column 'role': got 'IT', but respondent 'a' was 'business'"),
        ([*GOOD, ("a", "business", " envisioning ", 2)],
         r"survey, row 3, column 'competency': .*second answer from 'a'"),
        ([("a", "business", "Envisioning", 3)], r"survey, column 'role': no IT respondents"),
        ([(None, "IT", "Envisioning", 3), *GOOD], r"row 1, column 'respondent': the cell is empty"),
    ],
)
def test_bad_survey_names_row_and_column(rows, message):
    with pytest.raises(InputError, match=message):
        competency.assess(_survey(rows))


def test_missing_importance_answer_names_the_row():
    survey = _survey([("a", "business", "Envisioning", 3, 4), ("b", "IT", "Envisioning", 4, None)])
    with pytest.raises(InputError, match=r"survey, row 2, column 'importance': the cell is empty"):
        competency.assess(survey)


def test_missing_column_and_source_name():
    with pytest.raises(InputError, match=r"answers.csv: missing column\(s\) 'maturity'"):
        competency.assess(_survey(GOOD).drop(columns="maturity"), source="answers.csv")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 6}, r"threshold: got 6; expected a value on the scale 1-5"),
        ({"scale_min": 5, "scale_max": 1}, r"scale_max: got 1; expected a value greater"),
        ({"basis": "mean"}, r"basis: got 'mean'; expected one of"),
        ({"alpha": 5}, r"alpha: got 5, which looks like a percentage"),
    ],
)
def test_bad_parameters(kwargs, message):
    with pytest.raises(InputError, match=message):
        competency.assess(_survey(GOOD), **kwargs)


@pytest.mark.parametrize(
    ("catalogue", "message"),
    [
        (pd.DataFrame({"order": [1, 1], "competency": ["A", "B"]}),
         r"catalogue, row 2, column 'order': got 1; expected a value used only once"),
        (pd.DataFrame({"order": [1, 2], "competency": ["A", " a "]}),
         r"catalogue, row 2, column 'competency'"),
        (pd.DataFrame({"order": [1, 2], "competency": ["A", "B"], "rests_on": ["B", ""]}),
         r"catalogue, row 1, column 'rests_on': got 'B', a competency that is not earlier"),
        (pd.DataFrame({"order": [1, 2], "competency": ["A", "B"], "rests_on": ["", "Z"]}),
         r"catalogue, row 2, column 'rests_on': got 'Z', unknown competency"),
        (pd.DataFrame({"order": [1], "competency": ["A"], "needed_by": ["christmas"]}),
         r"catalogue, row 1, column 'needed_by': got 'christmas'"),
        (pd.DataFrame({"order": [0], "competency": ["A"]}), r"row 1, column 'order': got 0"),
    ],
)
def test_bad_catalogue_names_row_and_column(catalogue, message):
    with pytest.raises(InputError, match=message):
        competency.validate_catalogue(catalogue)


def test_bad_dates_and_assessment():
    result = competency.assess(_survey(GOOD))
    kw = {"start": "2025-01-06", "fiscal_year_start": "2025-01-01",
          "budget_deadline": "2025-09-30", "strategy_review": "2025-06-15"}
    with pytest.raises(InputError, match=r"budget_deadline: got '2025-13-45'; expected a date"):
        competency.development_plan(result, **dict(kw, budget_deadline="2025-13-45"))
    with pytest.raises(InputError, match=r"start: got 20250106 \(int\); expected a date"):
        competency.development_plan(result, **dict(kw, start=20250106))
    with pytest.raises(InputError, match=r"assessment: got DataFrame; expected the result"):
        competency.development_plan(result.gaps, **kw)


@pytest.mark.parametrize("func", [competency.assess, competency.validate_survey,
                                  competency.development_plan])
def test_every_declared_constraint_refuses_its_invalid_values(func):
    result = competency.assess(_survey(GOOD))
    first = result if func is competency.development_plan else _survey(GOOD)
    base = ({"start": "2025-01-06", "fiscal_year_start": "2025-01-01",
             "budget_deadline": "2025-09-30", "strategy_review": "2025-06-15"}
            if func is competency.development_plan else {})
    declared = constraints_of(func)
    assert declared
    for name, bad in all_invalid(declared):
        with pytest.raises(InputError, match=rf"^{name}"):
            func(first, **dict(base, **{name: bad}))


def test_inputs_are_not_modified():
    survey = _random_survey(2)
    cat = competency.default_catalogue()
    before_s, before_c = survey.copy(), cat.copy()
    competency.assess(survey, catalogue=cat)
    pd.testing.assert_frame_equal(survey, before_s)
    pd.testing.assert_frame_equal(cat, before_c)


def test_sample_data_smoke():
    survey = pd.read_csv(DATA / "survey.csv")
    cat = pd.read_csv(DATA / "catalogue.csv")
    result = competency.assess(survey, catalogue=cat)
    n = survey.drop_duplicates("respondent")["role"].value_counts()
    assert 12 <= n.sum() <= 20 and n.min() >= 5
    assert len(result.gaps) == 15 and result.gaps["gap"].notna().all()
    plan = competency.development_plan(result, start="2025-01-06",
                                       fiscal_year_start="2025-01-01",
                                       budget_deadline="2025-09-30",
                                       strategy_review="2025-06-15")
    assert len(plan.plan) == result.priorities["priority"].notna().sum() > 0
