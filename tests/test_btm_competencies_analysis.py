"""Tests of the btm_competencies analysis: its three figures, key numbers and key messages.

Oracles: the group means and gaps are recomputed here from the survey with plain pandas, the
significance with ``scipy.stats.mannwhitneyu`` and ``scipy.stats.false_discovery_control``
directly, and the first latest start of the sample plan by hand on fixed dates (Setting
expectations, two months, for the 15 June 2025 strategy review: start by 15 April 2025, 99
days after the plan starts on 6 January 2025).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from chart_checks import legend_texts, maths_texts, overlaps, shown_names
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from scipy import stats

from btm import InputError, boardpack, competency
from btm.analyses import get_spec
from btm.analyses.btm_competencies import charts, messages
from btm.style import figure

DATA = Path(__file__).resolve().parents[1] / "btm" / "data" / "btm_competencies"
DATES = {"start": "2025-01-06", "fiscal_year_start": "2026-01-01",
         "budget_deadline": "2025-09-30", "strategy_review": "2025-06-15"}


@pytest.fixture(scope="module")
def survey():
    return pd.read_csv(DATA / "survey.csv")


@pytest.fixture(scope="module")
def result(survey):
    return competency.assess(survey, catalogue=pd.read_csv(DATA / "catalogue.csv"))


@pytest.fixture(scope="module")
def plan(result):
    return competency.development_plan(result, **DATES)


def _texts(fig: Figure) -> list[str]:
    ax = fig.axes[0]
    legend = ax.get_legend()
    return [t.get_text() for t in legend.get_texts()] if legend else []


def _no_overlap(labels) -> None:
    boxes = [t.get_window_extent() for t in labels if t.get_text()]
    for a, b in zip(boxes, boxes[1:], strict=False):
        assert not a.overlaps(b), "tick labels overlap"


# --------------------------------------------------------------------------- spec


def test_spec_declares_three_figures_in_the_board_pack(result, plan):
    spec = get_spec("btm_competencies")
    assert [f.name for f in spec.figures] == ["competency_maturity", "competency_gap_ranking",
                                              "development_timeline"]
    assert spec.boardpack and spec.order == 10
    assert set(messages.btm_competency_key_numbers(result, plan)) == {
        k.name for k in spec.key_numbers}


def test_notebook_states_the_small_sample_caveat():
    text = get_spec("btm_competencies").notebook.read_text(encoding="utf-8")
    assert "Small samples" in text and "not evidence" in text


# --------------------------------------------------------------------------- dumbbell


def test_competency_dumbbell_framework_order_threshold_and_open_markers(result):
    fig = charts.competency_dumbbell(result.gaps, threshold=3, footnote="Source: survey.csv")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "Business and IT rate the same competencies differently"
    assert "rating" in ax.get_xlabel() and "1 = absent" in ax.get_xlabel()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == list(result.gaps["competency"])  # framework order, top to bottom
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # first competency on top
    assert set(_texts(fig)) >= {"business mean", "IT mean", "filled: significant gap",
                                "open: not significant", "threshold (3)"}
    fills = {line.get_markerfacecolor() for line in ax.get_lines()
             if line.get_label() == "_marker" and len(line.get_xdata())}
    assert "white" in fills and len(fills) >= 2  # open and filled markers both drawn
    assert any(list(line.get_xdata()) == [3, 3] for line in ax.get_lines())  # threshold
    fig.draw_without_rendering()
    _no_overlap(ax.get_yticklabels())


def test_competency_dumbbell_draws_into_a_given_axes(result):
    fig, ax = figure()
    assert charts.competency_dumbbell(result.gaps, ax=ax) is fig
    assert isinstance(ax, Axes) and ax.get_title()


def test_competency_dumbbell_refuses_bad_input(result):
    with pytest.raises(InputError, match="^gaps: missing column.*'significant'"):
        charts.competency_dumbbell(result.gaps.drop(columns="significant"))
    bad = result.gaps.assign(it_mean=result.gaps["it_mean"].astype(object))
    bad.loc[2, "it_mean"] = "high"
    with pytest.raises(InputError, match="^gaps, row 3, column 'it_mean'"):
        charts.competency_dumbbell(bad)
    with pytest.raises(InputError, match="^threshold: got 7"):
        charts.competency_dumbbell(result.gaps, threshold=7)
    with pytest.raises(InputError, match="^gaps, row 1: a mean off the scale"):
        charts.competency_dumbbell(result.gaps.assign(business_mean=9.0))
    with pytest.raises(InputError, match="^scale_max"):
        charts.competency_dumbbell(result.gaps, scale_min=5, scale_max=1)
    with pytest.raises(InputError, match="^gaps: got list"):
        charts.competency_dumbbell([1, 2])


# --------------------------------------------------------------------------- gap ranking


def test_competency_gap_ranking_largest_on_top_hatched_by_status(result):
    fig = charts.competency_gap_ranking(result.summary, footnote="Source: survey.csv")
    ax = fig.axes[0]
    assert ax.get_title() == "Where the perception gap matters most"
    assert "rating points" in ax.get_xlabel()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    expected = result.summary.sort_values("weighted_gap", ascending=False, kind="stable")
    assert labels == list(expected.index)
    assert labels[0] == "Financial modelling"
    widths = {round(p.get_width(), 6) for p in ax.patches}
    assert round(float(expected["weighted_gap"].iloc[0]), 6) in widths
    hatches = {p.get_hatch() for p in ax.patches}
    assert len(hatches) >= 2  # status told apart without colour
    assert set(_texts(fig)) == {"ready to develop now", "waits for what it rests on",
                                "threshold reached"}
    assert any(t.get_text() == "1.11 (IT higher)" for t in ax.texts)
    fig.draw_without_rendering()
    _no_overlap(ax.get_yticklabels())


def test_competency_gap_ranking_max_bars_and_bad_input(result):
    fig = charts.competency_gap_ranking(result.summary, max_bars=3)
    assert len(fig.axes[0].get_yticklabels()) == 3
    with pytest.raises(InputError, match="^summary, row 2, column 'status': got 'done'"):
        charts.competency_gap_ranking(pd.DataFrame(
            {"weighted_gap": [1.0, 0.5], "gap": [-1.0, 0.5], "status": ["ready", "done"]},
            index=["A", "B"]))
    with pytest.raises(InputError, match="^summary, row 1, column 'weighted_gap'"):
        charts.competency_gap_ranking(pd.DataFrame(
            {"weighted_gap": [-1.0], "gap": [1.0], "status": ["ready"]}, index=["A"]))
    with pytest.raises(InputError, match="^max_bars"):
        charts.competency_gap_ranking(result.summary, max_bars=0)
    with pytest.raises(InputError, match="^summary: missing column"):
        charts.competency_gap_ranking(result.summary.drop(columns="status"))


# --------------------------------------------------------------------------- timeline


def test_development_timeline_bars_moments_and_start_by(plan):
    fig = charts.development_timeline(plan.plan, plan.calendar, footnote="Source: survey.csv")
    ax = fig.axes[0]
    assert ax.get_title() == "What to develop when"
    assert "Date" in ax.get_xlabel()
    assert [t.get_text() for t in ax.get_yticklabels()] == list(plan.plan["competency"])
    assert len(ax.patches) == len(plan.plan)
    legend = set(_texts(fig))
    assert {"strategy review", "budget deadline", "fiscal-year start",
            "latest start for its moment", "needed by budget deadline"} <= legend
    notes = [t.get_text() for t in ax.texts]
    assert "budget deadline\n30 Sep 2025" in notes and "strategy review\n15 Jun 2025" in notes
    fig.draw_without_rendering()
    title = ax.title.get_window_extent()
    for t in ax.texts:  # the moment labels sit between the plot and the title
        assert not t.get_window_extent().overlaps(title)


def test_development_timeline_refuses_bad_input(plan):
    with pytest.raises(InputError, match="^plan: missing column.*'start_by'"):
        charts.development_timeline(plan.plan.drop(columns="start_by"))
    bad = plan.plan.assign(start=plan.plan["start"].astype(object))
    bad.loc[1, "start"] = "soon"
    with pytest.raises(InputError, match="^plan, row 2, column 'start'"):
        charts.development_timeline(bad)
    with pytest.raises(InputError, match="^plan, row 1, column 'finish'"):
        charts.development_timeline(plan.plan.assign(finish=pd.Timestamp("2000-01-01")))
    with pytest.raises(InputError, match="^calendar, row 1, column 'moment'"):
        charts.development_timeline(plan.plan, pd.DataFrame(
            {"moment": ["board"], "date": [pd.Timestamp("2025-03-01")]}))


def test_development_timeline_of_an_empty_plan_says_nothing_is_left_to_develop():
    # Only Envisioning, rated 3.25 by the business and 3.86 by IT: above the threshold of 3.
    survey = pd.read_csv(DATA / "survey.csv")
    survey = survey.loc[survey["competency"] == "Envisioning"]
    catalogue = pd.read_csv(DATA / "catalogue.csv")
    r = competency.assess(survey, catalogue=catalogue.loc[catalogue["competency"] == "Envisioning"])
    p = competency.development_plan(r, **DATES)
    assert p.plan.empty
    fig = charts.development_timeline(p.plan, p.calendar, footnote="Source: survey.csv")
    ax = fig.axes[0]
    assert ax.get_title() == "What to develop when"
    assert [t.get_text() for t in ax.texts] == [
        "Nothing left to develop: every assessed competency has reached the threshold."]
    assert not ax.patches and ax.get_legend() is None
    assert messages.btm_competency_sentences(r, p)["plan"].startswith(
        "Every assessed competency has reached the threshold")
    with pytest.raises(InputError, match="^plan: missing column.*'start_by'"):
        charts.development_timeline(p.plan.drop(columns="start_by"))
    with pytest.raises(InputError, match="^plan: the table is empty"):
        charts.development_timeline(pd.DataFrame())


# --------------------------------------------------------------------------- numbers, messages


def test_key_numbers_equal_an_independent_computation(survey, result, plan):
    means = survey.assign(role=survey["role"].str.casefold()).groupby(
        ["competency", "role"])["maturity"].mean().unstack()
    gap = means["business"] - means["it"]
    numbers = messages.btm_competency_key_numbers(result, plan)
    assert numbers["largest_gap"]["value"] == pytest.approx(gap.abs().max())
    assert gap.abs().idxmax() in numbers["largest_gap"]["label"]

    names = list(result.gaps["competency"])
    p = []
    for c in names:
        rows = survey[survey["competency"] == c]
        b = rows.loc[rows["role"].str.casefold() == "business", "maturity"]
        i = rows.loc[rows["role"].str.casefold() == "it", "maturity"]
        p.append(stats.mannwhitneyu(b, i, alternative="two-sided").pvalue)
    adjusted = stats.false_discovery_control(np.array(p), method="bh")
    assert numbers["n_significant_gaps"]["value"] == int((adjusted < 0.05).sum()) == 2

    days = numbers["days_to_first_start_by"]
    assert days["value"] == (pd.Timestamp("2025-04-15") - pd.Timestamp("2025-01-06")).days == 99
    assert "Setting expectations" in days["label"] and "15 April 2025" in days["label"]


def test_key_messages_quote_the_numbers(result, plan):
    top = result.gaps.loc[result.gaps["abs_gap"].idxmax()]
    row = plan.plan.set_index("competency").loc[top["competency"]]
    first = messages.btm_competency_key_messages(result, plan)[0]
    assert first == (f"Business leaders rate {top['competency']} {abs(top['gap']):.3g} points "
                     f"lower than IT does, the largest gap; start it by "
                     f"{row['start_by']:%B} to be ready for the {row['moment_date']:%B} budget.")
    assert first == ("Business leaders rate Financial modelling 1.29 points lower than IT does, "
                     "the largest gap; start it by May to be ready for the September budget.")
    # the same figure as the key-number card on the same board-pack page
    card = boardpack.format_key_number(
        messages.btm_competency_key_numbers(result, plan)["largest_gap"])
    assert card == "1.29 rating points"
    assert card.removesuffix(" rating points") + " points" in first
    # the card is the size of the gap; its label says which way it goes, as the message does
    # (gaps.csv has business minus IT, -1.29: a bare "+1.29" card read the other way round)
    label = messages.btm_competency_key_numbers(result, plan)["largest_gap"]["label"]
    assert label == "Size of the largest business-IT gap (Financial modelling: IT rates it higher)"
    assert top["gap"] < 0
    second = messages.btm_competency_key_messages(result, plan)[1]
    assert second.startswith("2 of 15 gaps are significant")
    assert "Strategic sourcing and Financial modelling" in second
    assert "8 business and 7 IT respondents" in second


def test_sentences_per_section(result, plan):
    s = messages.btm_competency_sentences(result, plan)
    assert set(s) == {"maturity", "ranking", "priorities", "plan"}
    it_higher = int((result.gaps["gap"] < 0).sum())
    assert s["maturity"].startswith(f"IT rates {it_higher} of 15 competencies higher")
    assert "Financial modelling (1.11)" in s["ranking"]
    assert s["plan"].startswith("Develop Setting expectations first (start by 15 April 2025")


def test_largest_gap_already_reached_or_business_higher():
    survey = pd.DataFrame({"respondent": list("aabb"), "role": ["business"] * 2 + ["IT"] * 2,
                           "competency": ["Envisioning", "Setting expectations"] * 2,
                           "maturity": [5, 2, 3, 2]})
    r = competency.assess(survey)
    p = competency.development_plan(r, **DATES)
    first = messages.btm_competency_key_messages(r, p)[0]
    assert first == ("Business leaders rate Envisioning 2 points higher than IT does, the "
                     "largest gap; it has reached the threshold, so it is not in the "
                     "development plan.")
    assert messages.btm_competency_key_numbers(r, p)["largest_gap"]["label"] == (
        "Size of the largest business-IT gap (Envisioning: the business rates it higher)")


def test_messages_refuse_other_objects(result):
    with pytest.raises(InputError, match="^assessment"):
        messages.btm_competency_key_messages("survey")
    with pytest.raises(InputError, match="^plan"):
        messages.btm_competency_key_numbers(result, plan=object())



# --------------------------------------------------------------------------- first moments


def test_plan_sentence_counts_the_competencies_that_miss_their_first_moment(result, plan):
    """Sample plan (start 6 January 2025): the first occurrences are the 15 June 2025 strategy
    review, the 30 September 2025 budget and the 1 January 2026 fiscal-year start. Read off the
    plan table (finish -> first occurrence on or after it): Creating urgency (6 Sep 2025) and
    Situational analysis (6 Mar 2026) -> June 2026 review; Benchmarking (6 Dec 2025), Team
    composition (6 Jan 2026) and Operational planning (6 Jul 2026) -> September 2026 budget;
    Projects (6 Nov 2026) -> January 2027; Results focus (6 Feb 2027) and Processes
    (6 Apr 2027) -> January 2028. Setting expectations, Strategic sourcing and Financial
    modelling make their first one; Common language has no moment: 8 of 11 miss it.
    Before: the sentence said nothing about them (no slack was negative)."""
    p = plan.plan.set_index(plan.plan["competency"].astype(str))
    missed = {"Creating urgency": "2026-06-15", "Situational analysis": "2026-06-15",
              "Benchmarking": "2026-09-30", "Team composition": "2026-09-30",
              "Operational planning": "2026-09-30", "Projects": "2027-01-01",
              "Results focus": "2028-01-01", "Processes": "2028-01-01"}
    assert set(p.index[p["makes_first_moment"].eq(False).fillna(False).astype(bool)]) == set(missed)
    for c, day in missed.items():
        assert p.loc[c, "moment_date"] == pd.Timestamp(day)
    sentence = messages.btm_competency_sentences(result, plan)["plan"]
    assert sentence == (
        "Develop Setting expectations first (start by 15 April 2025 for the June 2025 strategy "
        "review); the 12 competencies of the plan are developed by April 2027; 8 of the 11 "
        "competencies with a calendar moment miss the first occurrence of their moment (the "
        "June 2025 strategy review, the September 2025 budget and the January 2026 fiscal-year "
        "start) and are ready only for a later one: 2 for the June 2026 strategy review, 3 for "
        "the September 2026 budget, 1 for the January 2027 fiscal-year start and 2 for the "
        "January 2028 fiscal-year start.")
    assert messages.btm_competency_key_messages(result, plan)[2] == sentence


def test_a_finish_on_the_month_end_deadline_day_is_not_too_late(result):
    """Sample data from 31 January 2025: Financial modelling (4 months) starts 31 May 2025 and
    is ready on 30 September 2025 (September has 30 days), the budget day itself: it makes the
    first budget. Before, start_by was 30 September - 4 months = 30 May, a slack of -1 day,
    and the sentence said "1 of them too late for their next moment"."""
    plan = competency.development_plan(result, **(DATES | {"start": "2025-01-31"}))
    row = plan.plan.set_index(plan.plan["competency"].astype(str)).loc["Financial modelling"]
    assert (row["start"], row["finish"]) == (pd.Timestamp("2025-05-31"),
                                             pd.Timestamp("2025-09-30"))
    assert bool(row["makes_first_moment"])
    assert row["start_by"] == pd.Timestamp("2025-05-31") and row["slack_days"] == 0
    sentence = messages.btm_competency_sentences(result, plan)["plan"]
    assert "too late" not in sentence
    assert "8 of the 11 competencies with a calendar moment miss the first occurrence" in sentence


def _three_strategy_competencies():
    """Envisioning, Setting expectations, Creating urgency (default framework, a strict
    sequence, all needed by the strategy review), all below the threshold."""
    names = ["Envisioning", "Setting expectations", "Creating urgency"]
    survey = pd.DataFrame({"respondent": ["a"] * 3 + ["b"] * 3,
                           "role": ["business"] * 3 + ["IT"] * 3,
                           "competency": names * 2, "maturity": [1, 2, 2, 2, 2, 2]})
    return competency.assess(survey)


def test_plan_sentence_names_a_few_misses_and_the_moment_they_make_instead():
    """One at a time, 3 months each, from 6 January 2025: Envisioning ready 6 April 2025 (makes
    the 15 June 2025 review); Setting expectations 6 April -> 6 July 2025 and Creating urgency
    6 July -> 6 October 2025 both miss it and are ready for 15 June 2026."""
    r = _three_strategy_competencies()
    plan = competency.development_plan(r, **DATES, max_parallel=1)
    assert plan.plan["makes_first_moment"].tolist() == [True, False, False]
    assert messages.btm_competency_sentences(r, plan)["plan"] == (
        "Develop Envisioning first (start by 15 March 2025 for the June 2025 strategy review); "
        "the 3 competencies of the plan are developed by October 2025; 2 of the 3 competencies "
        "with a calendar moment miss the first occurrence of their moment: Setting expectations "
        "is ready for the June 2026 strategy review instead of the June 2025 one and Creating "
        "urgency is ready for the June 2026 strategy review instead of the June 2025 one.")
    # with the review on 15 December 2025 all three (the last ready on 6 October) make it
    everyone = competency.development_plan(r, **(DATES | {"strategy_review": "2025-12-15"}))
    assert messages.btm_competency_sentences(r, everyone)["plan"].endswith(
        "; all 3 competencies with a calendar moment are ready for the first occurrence of "
        "their moment.")


def test_largest_gap_sentence_says_when_the_first_moment_is_missed():
    """Financial modelling, 3 months from 6 January 2025, is ready on 6 April 2025: after the
    31 March 2025 budget, so it makes the 31 March 2026 one. Before: "start it by December to
    be ready for the March 2026 budget", silent about March 2025."""
    survey = pd.DataFrame({"respondent": ["a", "a", "b", "b"],
                           "role": ["business", "business", "IT", "IT"],
                           "competency": ["Envisioning", "Financial modelling"] * 2,
                           "maturity": [4, 1, 4, 3]})
    r = competency.assess(survey)
    plan = competency.development_plan(r, **(DATES | {"budget_deadline": "2025-03-31"}))
    km = messages.btm_competency_key_messages(r, plan)
    assert km[0] == ("Business leaders rate Financial modelling 2 points lower than IT does, "
                     "the largest gap; the plan has it ready in April, too late for the March "
                     "budget, so it is ready only for the March 2026 one.")
    assert km[2].endswith("; the one competency of the plan is developed by April 2025; "
                          "Financial modelling is ready for the March 2026 budget instead of "
                          "the March 2025 one.")


def test_largest_gap_left_out_of_a_plan_of_ready_ones_is_not_called_reached(result):
    """Financial modelling (largest gap) is blocked; a plan of the ready ones leaves it out
    because it waits for what it rests on, not because it has reached the threshold."""
    plan = competency.development_plan(result, **DATES, include_blocked=False)
    first = messages.btm_competency_key_messages(result, plan)[0]
    assert first.endswith("the largest gap; it waits for what it rests on and is not in this "
                          "development plan.")


# --------------------------------------------------------------------------- unusual names

#: Names a user may type: a leading "_", about 60 characters with "$" and non-ASCII (no
#: comma: the catalogue's rests_on lists names separated by commas).
LONG = "Übergang/Été: strategic sourcing of $2M to $5M cloud deals"


@pytest.fixture(scope="module")
def unusual_figures(survey):
    """The three figures as the notebook draws them, on the sample files with "Envisioning"
    named "_Envisioning" and "Strategic sourcing" at length."""
    catalogue = pd.read_csv(DATA / "catalogue.csv")
    names = {"Envisioning": "_Envisioning", "Strategic sourcing": LONG}
    catalogue["competency"] = catalogue["competency"].replace(names)
    catalogue["rests_on"] = catalogue["rests_on"].str.replace("Envisioning", "_Envisioning")
    r = competency.assess(survey.assign(competency=survey["competency"].replace(names)),
                          catalogue=catalogue)
    p = competency.development_plan(r, **DATES)
    return {"dumbbell": charts.competency_dumbbell(r.gaps, threshold=3, footnote="Source: test"),
            "ranking": charts.competency_gap_ranking(r.summary, footnote="Source: test"),
            "timeline": charts.development_timeline(p.plan, p.calendar, footnote="Source: test")}


@pytest.mark.parametrize("name", ["dumbbell", "ranking", "timeline"])
def test_every_name_is_shown_as_typed(unusual_figures, name):
    """A reviewer: a competency named with two "$" was drawn as mathematics, and a
    60-character name squeezed the plot into a third of the figure. Every competency is shown
    ("_Envisioning" as typed), long names wrapped onto two lines and cut with "…"."""
    fig = unusual_figures[name]
    assert maths_texts(fig) == []
    shown = shown_names(fig)
    assert "_Envisioning" in shown or name == "timeline"  # reached: not in the plan
    assert "Übergang/Été: strategic\nsourcing of $2M to $5M…" in shown
    assert legend_texts(fig)  # every legend given its entries


@pytest.mark.parametrize("name", ["dumbbell", "ranking", "timeline"])
def test_no_text_overlaps_with_long_names(unusual_figures, name):
    """A reviewer: the gap ranking's largest labels ran into its legend."""
    assert overlaps(unusual_figures[name]) == [], name
