"""Tests of the technology roadmap analysis's figures and key numbers / messages
(btm/analyses/technology_roadmap).

Oracles: brute force over all subsets and start years of a small instance (the exact value), a
hand-run of the ranking rule, and independent re-solves of :func:`btm.roadmap.plan` with one
year's budget raised (the value of one more budget step).
"""

from __future__ import annotations

import itertools
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from chart_checks import check_chart, legend_texts, overlaps, shown_names
from matplotlib.figure import Figure
from message_checks import check_cards_quoted

from btm import InputError, files, roadmap
from btm.analyses.technology_roadmap import SPEC, charts, messages
from btm.style import format_money, format_percent

DATA = "btm/data/technology_roadmap/"


@pytest.fixture(autouse=True)
def _closed():
    before = set(plt.get_fignums())
    yield
    assert set(plt.get_fignums()) == before
    plt.close("all")


@pytest.fixture(scope="module")
def sample():
    i = files.read_table(DATA + "initiatives.csv", parameter="initiatives_file")
    p = files.read_table(DATA + "profiles.csv", parameter="profiles_file")
    y = files.read_table(DATA + "years.csv", parameter="years_file")
    return i, p, y


@pytest.fixture(scope="module")
def sample_run(sample):
    """The notebook's defaults: the comparison with the ranking and one EUR 200k step."""
    i, p, y = sample
    cmp = roadmap.compare_with_ranking(i, p, y, discount_rate=0.08)
    return cmp, roadmap.shadow_prices(i, p, y, step=200_000.0, discount_rate=0.08)


@pytest.fixture(scope="module")
def small():
    """Four initiatives, two years: lumpy costs make ranking by value per euro miss."""
    i = pd.DataFrame({"initiative": ["A", "B", "C", "D"], "name": ["Alpha", "Beta", "Gamma",
                                                                    "Delta"],
                      "category": ["run", "grow", "transform", "grow"],
                      "value": [9.0, 7.0, 7.0, 2.0], "mandatory": [False, False, False, True]})
    p = pd.DataFrame({"initiative": ["A", "B", "C", "D"], "project_year": [0, 0, 0, 0],
                      "cost": [6.0, 5.0, 5.0, 1.0]})
    y = pd.DataFrame({"year": [2026, 2027], "budget": [6.0, 6.0]})
    return i, p, y


def _brute_force(i, p, y):
    """Best value over every assignment of 'not funded' or a start year (one-year projects)."""
    years = y["year"].tolist()
    cost = dict(zip(p["initiative"], p["cost"], strict=True))
    value = dict(zip(i["initiative"], i["value"], strict=True))
    best = -math.inf
    for starts in itertools.product([None, *years], repeat=len(i)):
        if any(s is None for s, m in zip(starts, i["mandatory"], strict=True) if m):
            continue
        spend = {t: 0.0 for t in years}
        for k, s in zip(i["initiative"], starts, strict=True):
            if s is not None:
                spend[s] += cost[k]
        if all(spend[t] <= b + 1e-9 for t, b in zip(years, y["budget"], strict=True)):
            best = max(best, sum(value[k] for k, s in zip(i["initiative"], starts, strict=True)
                                 if s is not None))
    return best


# --------------------------------------------------------------------------- spec


def test_spec_declares_three_figures_and_board_pack():
    assert [f.name for f in SPEC.figures] == ["roadmap_gantt", "efficient_frontier", "budget_use"]
    assert SPEC.boardpack and SPEC.order == 8
    assert "output_dir" not in SPEC.parameters


# --------------------------------------------------------------------------- key numbers


def test_key_numbers_equal_brute_force_and_hand_ranking(small):
    i, p, y = small
    cmp = roadmap.compare_with_ranking(i, p, y)
    numbers = messages.roadmap_key_numbers(cmp)
    assert numbers["exact_value"]["value"] == pytest.approx(_brute_force(i, p, y))
    # Ranking by hand: D (mandatory) first, in 2026 (5 left); A (1.5 per euro) does not fit in
    # 2026 and goes to 2027 (nothing left); B (1.4) fits in 2026; C fits nowhere: 2 + 9 + 7.
    assert numbers["ranking_value"]["value"] == pytest.approx(18.0)
    gain = numbers["exact_value"]["value"] - numbers["ranking_value"]["value"]
    assert numbers["value_gain"]["value"] == pytest.approx(gain)
    # value_gain_share means what btm.roadmap's field means: the gain over the ranking's value
    # (5 / 18 here); the shortfall share is the same gain over the best value (5 / 23).
    assert numbers["value_gain_share"]["value"] == pytest.approx(gain / 18.0)
    assert numbers["value_gain_share"]["value"] == pytest.approx(cmp.value_gain_share)
    assert numbers["ranking_shortfall_share"]["value"] == pytest.approx(
        gain / numbers["exact_value"]["value"])


def test_exact_value_of_small_instance_by_brute_force():
    rng = np.random.default_rng(7)
    for _ in range(5):
        n = 5
        i = pd.DataFrame({"initiative": [f"I{k}" for k in range(n)],
                          "value": rng.integers(1, 20, n).astype(float),
                          "mandatory": [False] * n})
        p = pd.DataFrame({"initiative": i["initiative"], "project_year": [0] * n,
                          "cost": rng.integers(1, 10, n).astype(float)})
        y = pd.DataFrame({"year": [2026, 2027], "budget": [10.0, 8.0]})
        cmp = roadmap.compare_with_ranking(i, p, y)
        got = messages.roadmap_key_numbers(cmp)["exact_value"]["value"]
        assert got == pytest.approx(_brute_force(i, p, y))
        assert got >= messages.roadmap_key_numbers(cmp)["ranking_value"]["value"] - 1e-9


def test_sample_key_numbers_and_messages(sample, sample_run):
    i, p, y = sample
    cmp, shadow = sample_run
    step = 200_000.0
    exact = roadmap.plan(i, p, y, discount_rate=0.08).value
    ranking = roadmap.plan_by_ranking(i, p, y, discount_rate=0.08).value
    numbers = messages.roadmap_key_numbers(cmp, shadow=shadow)
    assert numbers["exact_value"]["value"] == pytest.approx(exact)
    assert numbers["ranking_value"]["value"] == pytest.approx(ranking)
    assert exact > ranking  # the sample is built so that the ranking misses value
    # One name, one meaning: the key number value_gain_share is RankingComparison's field, the
    # gain over the ranking roadmap's value, here from two independent plans (about 0.44).
    assert numbers["value_gain_share"]["value"] == pytest.approx((exact - ranking) / ranking)
    assert numbers["value_gain_share"]["value"] == pytest.approx(cmp.value_gain_share)
    assert numbers["value_gain_share"]["value"] > 0.4
    assert numbers["ranking_shortfall_share"]["value"] == pytest.approx((exact - ranking) / exact)
    labels = {k.name: k.label for k in SPEC.key_numbers}
    assert "share of the ranking's value" in labels["value_gain_share"]
    assert "share of the ranking's value" in numbers["value_gain_share"]["label"]
    assert "share of the best" in labels["ranking_shortfall_share"]
    # One budget step in each year, re-solved independently.
    gains = {}
    for k, year in enumerate(y["year"]):
        raised = y.copy()
        raised.loc[k, "budget"] += step
        gains[int(year)] = roadmap.plan(i, p, raised, discount_rate=0.08,
                                        tie_break=False).value - exact
    best_year = max(gains, key=lambda t: (gains[t], -t))
    assert numbers["best_step_gain"]["value"] == pytest.approx(gains[best_year], abs=1e-6)
    assert str(best_year) in numbers["best_step_gain"]["label"]
    said = messages.roadmap_key_messages(cmp, shadow=shadow, initiatives=i)
    gain = exact - ranking
    assert (f"Ranking by value per euro would leave {format_money(gain, 'EUR')} of value "
            f"unfunded ({format_percent(gain / exact)} less).") in said
    assert any(s.startswith(f"Raising the {best_year} budget by {format_money(step, 'EUR')} "
                            "would fund ") and format_money(gains[best_year], "EUR") in s
               for s in said)
    assert said[0].startswith(f"The best roadmap funds {len(cmp.exact.chosen)} of {len(i)} ")


def test_messages_count_one_initiative_and_one_busy_year_in_words():
    """'The best roadmap funds 1 of 1 initiatives'; 'All data engineers are busy in 2029: ...
    in those years' (one year); 'busy in 2026, 2027' (two years, no 'and')."""
    i = pd.DataFrame({"initiative": ["A"], "value": [100.0]})
    p = pd.DataFrame({"initiative": ["A", "A"], "project_year": [0, 1], "cost": [30.0, 20.0],
                      "architects": [1.0, 1.0], "data_engineers": [0.0, 2.0]})
    y = pd.DataFrame({"year": [2026, 2027, 2028], "budget": [100.0, 100.0, 100.0],
                      "architects": [1, 1, 1], "data_engineers": [2, 2, 2]})
    said = messages.roadmap_key_messages(roadmap.compare_with_ranking(i, p, y))
    assert said[0] == ("The best roadmap funds the one initiative, worth EUR 100 for EUR 50, "
                       "16.7% of the budget.")
    assert said[2:] == [
        "All architects are busy in 2026 and 2027: people, not only money, constrain the "
        "roadmap in those years.",
        "All data engineers are busy in 2027: people, not only money, constrain the roadmap "
        "in that year."]
    left_out = messages.roadmap_key_messages(roadmap.compare_with_ranking(
        i, p, y.assign(architects=0)))
    assert left_out[0].startswith("The best roadmap leaves out the one initiative, worth EUR 0")
    three = messages.roadmap_key_messages(roadmap.compare_with_ranking(
        i, pd.concat([p, p.iloc[[1]].assign(project_year=2)]), y))
    assert "All architects are busy in 2026, 2027 and 2028: " in " ".join(three)
    # the notebook's section sentences, which it used to build itself ('funds 1 initiatives')
    cmp = roadmap.compare_with_ranking(i, p, y)
    sections = messages.roadmap_sentences(cmp, frontier=roadmap.frontier(i, p, y,
                                                                          factors=[0.5, 1.0]))
    assert sections == {
        "comparison": "The exact method funds 1 initiative worth EUR 100; ranking funds 1 worth "
                      "EUR 100.",
        "schedule": "The one initiative is funded, starting in 2026.",
        "budget_use": "The roadmap uses 16.7% of the EUR 300 budget over the plan.",
        "frontier": "Between 0.5× and 1× today's budgets the best roadmap is worth EUR 100 to "
                    "EUR 100."}
    none = messages.roadmap_sentences(roadmap.compare_with_ranking(i, p, y.assign(architects=0)))
    assert none["schedule"] == "The one initiative is not funded."
    assert none["comparison"].startswith("The exact method funds 0 initiatives worth EUR 0")


#: The key numbers the key messages state, and those shown on cards only (the ranking's value
#: and the gain as a share of it, 44.2%, which a sentence beside the 30.7% shortfall would blur).
QUOTED = ("exact_value", "value_gain", "ranking_shortfall_share", "best_step_gain")
CARDS_ONLY = ("ranking_value", "value_gain_share")


def test_messages_write_each_key_number_as_its_card_does(sample, sample_run):
    """The card "Value the ranking leaves unfunded, share of the best roadmap 30.7%" stood
    beside the message "... would leave EUR 5.7M of value unfunded (31% less)"."""
    assert {k.name for k in SPEC.key_numbers} == set(QUOTED) | set(CARDS_ONLY)
    cmp, shadow = sample_run
    numbers = messages.roadmap_key_numbers(cmp, shadow=shadow)
    said = messages.roadmap_key_messages(cmp, shadow=shadow, initiatives=sample[0])
    cards = check_cards_quoted(numbers, said, QUOTED)
    assert cards["ranking_shortfall_share"] == "30.7%"
    assert said[1] == ("Ranking by value per euro would leave EUR 5.7M of value unfunded "
                       "(30.7% less).")


def test_messages_name_initiatives_by_name(small):
    i, p, y = small
    cmp = roadmap.compare_with_ranking(i, p, y)
    shadow = roadmap.shadow_prices(i, p, y, step=5.0)
    said = " ".join(messages.roadmap_key_messages(cmp, shadow=shadow, initiatives=i))
    row = messages.best_step(shadow)
    if float(row["value_gain"]) > 0:
        for ident in str(row["funded_by_step"]).split(", "):
            assert i.set_index("initiative").loc[ident, "name"] in said


def test_messages_refuse_bad_input(small):
    with pytest.raises(InputError, match="^comparison: "):
        messages.roadmap_key_messages("nope")
    i, p, y = small
    cmp = roadmap.compare_with_ranking(i, p, y)
    with pytest.raises(InputError, match="^shadow: "):
        messages.roadmap_key_numbers(cmp, shadow=pd.DataFrame({"year": [2026]}))


def test_solver_noise_is_silenced_but_python_output_is_not(sample, capfd):
    i, p, y = sample
    print("before")
    roadmap.frontier(i, p, y, discount_rate=0.08, factors=[0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
    print("after")
    captured = capfd.readouterr()
    assert captured.out == "before\nafter\n"
    assert "Highs" not in captured.err


# --------------------------------------------------------------------------- charts


def _schedule(small):
    i, p, y = small
    plan = roadmap.plan(i, p, y)
    return plan.schedule.merge(i[["initiative", "name", "category"]], on="initiative")


def test_gantt(small):
    s = _schedule(small)
    check_chart(lambda **kw: charts.roadmap_gantt(s, **kw))
    fig = charts.roadmap_gantt(s)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == int(s["chosen"].sum())
    assert any("Delta" in t for t in labels)  # mandatory: bold
    bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["D Delta"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "mandatory (bold)" in legend and {"run", "grow"} & set(legend)
    assert "year" in ax.get_xlabel().lower()
    hatches = {patch.get_hatch() for patch in ax.patches}
    assert len(hatches) > 1  # categories differ by hatch, not colour alone


def test_gantt_bad_input(small):
    s = _schedule(small)
    with pytest.raises(InputError, match="^schedule: missing column"):
        charts.roadmap_gantt(s.drop(columns="start_year"))
    with pytest.raises(InputError, match="^schedule: no initiative is funded"):
        charts.roadmap_gantt(s.assign(chosen=False))
    with pytest.raises(InputError, match="finish year"):
        charts.roadmap_gantt(s.assign(finish_year=s["start_year"] - 1))
    with pytest.raises(InputError, match="^label_width: "):
        charts.roadmap_gantt(s, label_width=0)


def _frontier(small):
    i, p, y = small
    return roadmap.frontier(i, p, y, factors=[0.5, 1.0, 1.5])


def test_frontier(small):
    f = _frontier(small)
    check_chart(lambda **kw: charts.efficient_frontier(f, ranking_value=10.0,
                                                       ranking_budget=12.0, **kw))
    fig = charts.efficient_frontier(f, ranking_value=10.0, ranking_budget=12.0, currency="USD")
    ax = fig.axes[0]
    assert "(USD)" in ax.get_xlabel() and "(USD)" in ax.get_ylabel()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["best roadmap (exact)", "today's budget", "ranking by value per euro"]
    x, yv = ax.lines[0].get_data()
    np.testing.assert_allclose(yv, f["value"])
    assert isinstance(fig, Figure)


def test_frontier_bad_input(small):
    f = _frontier(small)
    with pytest.raises(InputError, match="^frontier: missing column"):
        charts.efficient_frontier(f.drop(columns="value"))
    with pytest.raises(InputError, match="^frontier: no feasible point"):
        charts.efficient_frontier(f.assign(feasible=False))
    with pytest.raises(InputError, match="^ranking_value: "):
        charts.efficient_frontier(f, ranking_value=3.0)
    with pytest.raises(InputError, match="^ranking_budget: "):
        charts.efficient_frontier(f, ranking_value=3.0, ranking_budget=math.inf)
    with pytest.raises(InputError, match="^currency: "):
        charts.efficient_frontier(f, currency=3)


def test_budget_use(sample):
    i, p, y = sample
    yearly = roadmap.plan(i, p, y, discount_rate=0.08).yearly
    check_chart(lambda **kw: charts.budget_use(yearly, **kw))
    fig = charts.budget_use(yearly)
    assert len(fig.axes) == 2
    assert "(EUR)" in fig.axes[0].get_ylabel()
    assert "FTE" in fig.axes[1].get_ylabel()
    legend = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert "architects used" in legend and "data engineers used" in legend
    budget = yearly[yearly["constraint"] == "budget"]
    heights = [patch.get_height() for patch in fig.axes[0].patches]
    np.testing.assert_allclose(heights, budget["used"])


def test_budget_use_bad_input(sample):
    i, p, y = sample
    yearly = roadmap.plan(i, p, y).yearly
    with pytest.raises(InputError, match="^yearly: missing column"):
        charts.budget_use(yearly.drop(columns="used"))
    with pytest.raises(InputError, match="no 'budget' rows"):
        charts.budget_use(yearly[yearly["constraint"] != "budget"])
    with pytest.raises(InputError, match="^resource_unit: "):
        charts.budget_use(yearly, resource_unit="")
    with pytest.raises(InputError, match="^yearly, row 1, column 'used'"):
        charts.budget_use(yearly.assign(used="x"))


# --------------------------------------------------------------------------- unusual names

#: Names a user may type: a leading "_", about 60 characters (one without a space), "$",
#: non-ASCII.
UNUSUAL = {"Identity and access management refresh": "_Identity refresh $x$",
           "Data-centre exit to cloud landing zone":
               "Übergang/Été: data-centre exit to the cloud landing zone ($2M)",
           "Cloud landing zone": "cloud_landing_zone_with_governed_self_service_accounts",
           "run": "_run", "grow": "growth_of_the_digital_sales_channels_in_every_region"}


@pytest.fixture(scope="module")
def unusual_figures(sample):
    """The three figures as the notebook draws them, on the sample files with names replaced
    (a resource named at length too)."""
    i, p, y = (t.copy() for t in sample)
    i[["name", "category"]] = i[["name", "category"]].replace(UNUSUAL)
    long = "data_engineers_and_analytics_platform_specialists_of_the_group"
    p, y = p.rename(columns={"data_engineers": long}), y.rename(columns={"data_engineers": long})
    cmp = roadmap.compare_with_ranking(i, p, y, discount_rate=0.08)
    schedule = cmp.exact.schedule.merge(i[["initiative", "name", "category"]], on="initiative")
    return {"gantt": charts.roadmap_gantt(schedule, footnote="Source: test"),
            "budget": charts.budget_use(cmp.exact.yearly, footnote="Source: test")}


def test_every_name_is_shown_even_one_starting_with_underscore(unusual_figures):
    """A reviewer: the category "_run" was drawn as "other / not given", and labels were cut at
    44 characters (a name without a space down to its id and "…"). Every category is listed
    by its name; labels are wrapped onto two lines and cut with "…", "$" drawn as typed."""
    assert legend_texts(unusual_figures["gantt"]) == [
        "transform", "_run", "growth of the digital sales\nchannels in every region",
        "mandatory (bold)"]
    shown = shown_names(unusual_figures["gantt"])
    assert "IAM _Identity refresh $x$" in shown
    assert "DCX Übergang/Été: data-centre exit to the\ncloud landing zone ($2M)" in shown
    assert "LZ\ncloud_landing_zone_with_governed_self_servi…" in shown
    assert legend_texts(unusual_figures["budget"])[2:] == [
        "architects used", "data engineers and analytics\nplatform specialists of…"]


@pytest.mark.parametrize("name", ["gantt", "budget"])
def test_no_text_overlaps_with_long_names(unusual_figures, name):
    assert overlaps(unusual_figures[name]) == [], name


def test_a_ranking_that_funds_a_negative_value_is_named_as_worse():
    """A value may be negative (an enabling platform, btm.roadmap.select's docstring). One
    initiative worth -5 for 50 of a budget of 100: the exact method funds nothing (value 0),
    ranking by value per euro funds it (value -5), 5 worse; the sentence said "the same value
    here" (the shortfall share of a best roadmap worth 0 is undefined)."""
    from btm import roadmap

    items = pd.DataFrame({"initiative": ["A"], "value": [-5.0]})
    prof = pd.DataFrame({"initiative": ["A"], "project_year": [0], "cost": [50.0]})
    years = pd.DataFrame({"year": [2026], "budget": [100.0]})
    cmp = roadmap.compare_with_ranking(items, prof, years)
    assert cmp.exact.value == pytest.approx(0.0)
    assert cmp.value_gain == pytest.approx(5.0)
    said = messages.roadmap_key_messages(cmp)[1]
    assert said == ("Ranking by value per euro would fund a roadmap worth EUR 5 less than the "
                    "best one.")
