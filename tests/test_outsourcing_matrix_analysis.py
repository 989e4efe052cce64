"""Tests of the outsourcing_matrix analysis: its three figures, key numbers and key messages.

Oracles: the key numbers are recomputed here from the decision module's tables with plain
pandas (sums and counts over ``OutsourcingResult.activities`` and ``.costs``), and the cost
case's present value of one activity by hand (a level annuity less discounted one-offs);
labels are checked for overlap from their rendered bounding boxes.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from chart_checks import legend_texts, overlaps, shown_names
from matplotlib.figure import Figure
from message_checks import check_cards_quoted

from btm import InputError, outsourcing
from btm.analyses import get_spec
from btm.analyses.outsourcing_matrix import charts, messages
from btm.style import format_money, format_percent

DATA = Path(__file__).resolve().parents[1] / "btm" / "data" / "outsourcing_matrix"


@pytest.fixture(scope="module")
def tables():
    return (pd.read_csv(DATA / "ratings.csv"), pd.read_csv(DATA / "criteria.csv"),
            pd.read_csv(DATA / "costs.csv"))


@pytest.fixture(scope="module")
def result(tables):
    ratings, criteria, costs = tables
    return outsourcing.assess(ratings, criteria, costs, horizon_years=5, discount_rate=0.08)


def _tiny() -> outsourcing.OutsourcingResult:
    criteria = pd.DataFrame({"criterion": ["adv", "skill"],
                             "dimension": ["importance", "capability"], "weight": [1, 1]})
    ratings = pd.DataFrame({
        "activity": ["Analytics"] * 4 + ["Service desk"] * 4 + ["Hosting"] * 4,
        "assessor": ["cio", "cio", "ops", "ops"] * 3,
        "criterion": ["adv", "skill"] * 6,
        "score": [5, 5, 5, 5, 1, 1, 3, 1, 1, 2, 1, 2]})
    costs = pd.DataFrame({"activity": ["Analytics", "Service desk", "Hosting"],
                          "in_house_annual_cost": [300_000, 100_000, 200_000],
                          "provider_annual_quote": [250_000, 60_000, 230_000]})
    return outsourcing.assess(ratings, criteria, costs, discount_rate=0.0, horizon_years=2)


def _draw(fig: Figure) -> None:
    fig.draw_without_rendering()


# --------------------------------------------------------------------------- spec


def test_spec_declares_three_figures_in_the_board_pack():
    spec = get_spec("outsourcing_matrix")
    assert [f.name for f in spec.figures] == ["outsourcing_matrix", "outsourcing_spread",
                                              "outsourcing_cost_case"]
    assert spec.boardpack and spec.order == 5
    assert set(messages.outsourcing_matrix_key_numbers(_tiny())) == {
        k.name for k in spec.key_numbers}


def test_notebook_says_the_cell_labels_are_an_adaptation():
    text = get_spec("outsourcing_matrix").notebook.read_text(encoding="utf-8")
    assert "Insinga and Werle (2000" in text and "adaptation" in text
    assert "McIvor (2008" in text


# --------------------------------------------------------------------------- the matrix


def test_matrix_figure(result):
    fig = charts.outsourcing_matrix(result.activities, costs=result.costs, cells=result.cells,
                                    importance_bounds=result.importance_bounds,
                                    capability_bounds=result.capability_bounds, currency="EUR",
                                    footnote="Source: sample data.")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "The outsourcing matrix: where each activity sits"
    assert ax.get_xlabel().startswith("Capability relative to the best providers")
    assert ax.get_ylabel().startswith("Strategic importance")
    # Nine cells shaded and named with their stance.
    names = [t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("cell ")]
    assert len(names) == 9
    assert "Core strength\n(keep)" in names and "Core gap\n(partner)" in names
    # Bubble area proportional to in-house annual cost.
    sizes = ax.collections[0].get_sizes()
    cost = result.costs.set_index("activity")["in_house_annual_cost"]
    expected = cost.reindex(result.activities["activity"]).to_numpy()
    ratio = sizes / expected
    assert np.allclose(ratio[sizes > charts._MIN_AREA], ratio.max())
    # Review activities are outlined: a second collection with one ring per flagged activity.
    assert len(ax.collections[1].get_offsets()) == int(result.activities["review"].sum())
    # Legends name the stances and the bubble sizes in the currency.
    legend_texts = [t.get_text() for leg in ax.findobj(matplotlib.legend.Legend)
                    for t in leg.get_texts()]
    assert {"keep cell", "partner cell", "source cell", "flagged for review"} <= set(
        legend_texts)
    assert any(t.startswith("EUR ") and t.endswith("a year") for t in legend_texts)


def test_matrix_labels_do_not_overlap(result):
    fig = charts.outsourcing_matrix(result.activities, costs=result.costs)
    _draw(fig)
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith("label ")]
    assert len(labels) == len(result.activities)
    boxes = [t.get_window_extent(renderer) for t in labels]
    frame = ax.get_window_extent(renderer)
    for i, a in enumerate(boxes):
        assert frame.x0 - 1 <= a.x0 and a.x1 <= frame.x1 + 1, labels[i].get_text()
        for j in range(i + 1, len(boxes)):
            assert not a.overlaps(boxes[j]), (labels[i].get_text(), labels[j].get_text())


def test_matrix_without_costs_and_names_with_dollar_signs():
    acts = pd.DataFrame({"activity": ["$x$ desk", "B"], "importance": [0.1, 0.9],
                         "capability": [0.2, 0.9], "stance": ["source", "keep"]})
    fig = charts.outsourcing_matrix(acts)
    _draw(fig)
    labels = [t for t in fig.axes[0].texts if (t.get_gid() or "").startswith("label ")]
    assert labels[0].get_text() == "$x$ desk" and not labels[0].get_parse_math()
    legend_texts = [t.get_text() for leg in fig.axes[0].findobj(matplotlib.legend.Legend)
                    for t in leg.get_texts()]
    assert "no cost given" in legend_texts
    costs = pd.DataFrame({"activity": ["$x$ desk"], "present_value": [1.0],
                          "payback_years": [1.0], "stance": ["keep"]})
    fig = charts.outsourcing_cost_case(costs)
    _draw(fig)
    tick = fig.axes[0].get_yticklabels()[0]
    assert tick.get_text() == "$x$ desk" and not tick.get_parse_math()


@pytest.mark.parametrize(("change", "match"), [
    (lambda a: a.drop(columns="capability"), "activities: missing column.*'capability'"),
    (lambda a: a.assign(importance=[1.5, 0.2]), r"activities, row 1, column 'importance'"),
    (lambda a: a.assign(stance=["keep", "buy"]), r"activities, row 2, column 'stance'"),
    (lambda a: a.assign(capability=["x", 0.1]), r"activities, row 1, column 'capability'"),
])
def test_matrix_bad_input(change, match):
    acts = pd.DataFrame({"activity": ["A", "B"], "importance": [0.1, 0.9],
                         "capability": [0.2, 0.9], "stance": ["source", "keep"]})
    with pytest.raises(InputError, match=match):
        charts.outsourcing_matrix(change(acts))


def test_matrix_bad_arguments():
    acts = pd.DataFrame({"activity": ["A"], "importance": [0.1], "capability": [0.2],
                         "stance": ["source"]})
    with pytest.raises(InputError, match="^importance_bounds"):
        charts.outsourcing_matrix(acts, importance_bounds=(0.7, 0.4))
    with pytest.raises(InputError, match="^currency"):
        charts.outsourcing_matrix(acts, currency="")
    with pytest.raises(InputError, match=r"^costs, row 1, column 'in_house_annual_cost'"):
        charts.outsourcing_matrix(acts, costs=pd.DataFrame(
            {"activity": ["A"], "in_house_annual_cost": [-1.0]}))
    with pytest.raises(InputError, match="^activities: got list"):
        charts.outsourcing_matrix([1, 2])


# --------------------------------------------------------------------------- spread


def test_spread_figure(result):
    fig = charts.outsourcing_spread(result.by_assessor, result.activities,
                                    importance_bounds=result.importance_bounds,
                                    capability_bounds=result.capability_bounds)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    left, right = fig.axes
    assert left.get_title() == "Where the assessors disagree"
    assert "importance" in left.get_xlabel().lower()
    assert "capability" in right.get_xlabel().lower()
    ticks = [t.get_text() for t in left.get_yticklabels()]
    assert len(ticks) == len(result.activities)
    flagged = result.activities.loc[result.activities["single_view_change"], "activity"]
    assert {t.removesuffix(" *") for t in ticks if t.endswith(" *")} == set(flagged)
    legend = [t.get_text() for t in right.get_legend().get_texts()]
    assert legend == [*pd.unique(result.by_assessor["assessor"]), "consensus"]
    # Each assessor's own scores are drawn (importance panel): one marker per rated row.
    cio = next(line for line in left.get_lines() if line.get_label() == "cio")
    own = result.by_assessor[result.by_assessor["assessor"] == "cio"]["importance"]
    assert np.allclose(np.sort(cio.get_xdata()), np.sort(own.dropna().to_numpy()))


def test_spread_bad_input(result):
    own = result.by_assessor.copy()
    own.loc[0, "activity"] = "Unknown"
    with pytest.raises(InputError, match=r"^by_assessor, row 1, column 'activity'"):
        charts.outsourcing_spread(own, result.activities)
    with pytest.raises(InputError, match="^by_assessor: missing column"):
        charts.outsourcing_spread(result.by_assessor.drop(columns="assessor"), result.activities)
    with pytest.raises(InputError, match="^capability_bounds"):
        charts.outsourcing_spread(result.by_assessor, result.activities,
                                  capability_bounds=(0.2,))
    with pytest.raises(InputError, match="^ax"):
        charts.outsourcing_spread(result.by_assessor, result.activities, ax="left")


# --------------------------------------------------------------------------- cost case


def test_cost_case_figure(result):
    fig = charts.outsourcing_cost_case(result.costs, currency="EUR", horizon_years=5)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "The cost case: what sourcing each activity would save"
    assert ax.get_xlabel().startswith("Present value of sourcing over 5 years (EUR)")
    assert ax.xaxis.get_major_formatter()(200_000, 0) == "EUR 200k"
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    ranked = result.costs.sort_values("present_value", ascending=False, kind="stable")
    conflicted = set(result.costs.loc[result.costs["conflict"] != "", "activity"])
    assert ticks == [a + (" (conflict)" if a in conflicted else "") for a in ranked["activity"]]
    widths = sorted(p.get_width() for p in ax.patches)
    assert np.allclose(widths, np.sort(result.costs["present_value"].to_numpy()))
    paybacks = [t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("payback")]
    assert paybacks[0] == f"payback {ranked['payback_years'].iloc[0]:.1f} years"
    assert paybacks.count("no payback within 5 years") == int(
        np.isinf(result.costs["payback_years"]).sum())
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["keep cell", "partner cell", "source cell", "matrix and cost disagree"]


def test_cost_case_says_no_payback_within_the_contract(result):
    """ERP support pays back after about 5.2 years: not "no payback" but not within 5 years
    (the cost case's payback is inf when it does not pay back within the contract)."""
    def said(fig):
        ax = fig.axes[0]
        ticks = [t.get_text() for t in ax.get_yticklabels()]
        texts = [t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("payback")]
        return dict(zip(ticks, texts, strict=True)), ax.get_xlabel()

    erp = result.costs.set_index("activity").loc["ERP application support"]
    assert np.isinf(erp["payback_years"]) and erp["payback_years"] > 0
    longer = outsourcing.cost_case(pd.read_csv(DATA / "costs.csv"), horizon_years=10)
    assert 5 < float(longer.set_index("activity").loc["ERP application support",
                                                      "payback_years"]) < 6
    texts, _ = said(charts.outsourcing_cost_case(result.costs, horizon_years=5))
    assert texts["ERP application support"] == "no payback within 5 years"
    texts, label = said(charts.outsourcing_cost_case(result.costs.iloc[:2], horizon_years=1))
    assert label.startswith("Present value of sourcing over 1 year (EUR)")
    one = result.costs.iloc[:2].assign(payback_years=[float("inf"), 0.5])
    texts, _ = said(charts.outsourcing_cost_case(one, horizon_years=1))
    assert "no payback within 1 year" in texts.values()
    texts, _ = said(charts.outsourcing_cost_case(one))
    assert "no payback within the horizon" in texts.values()


@pytest.mark.parametrize(("change", "match"), [
    (lambda c: c.drop(columns="present_value"), "^costs: missing column"),
    (lambda c: c.assign(present_value=["x"]), r"^costs, row 1, column 'present_value'"),
    (lambda c: c.assign(payback_years=["soon"]), r"^costs, row 1, column 'payback_years'"),
    (lambda c: c.assign(stance=["outsource"]), r"^costs, row 1, column 'stance'"),
])
def test_cost_case_bad_input(change, match):
    costs = pd.DataFrame({"activity": ["A"], "present_value": [1.0], "payback_years": [1.0],
                          "stance": ["keep"]})
    with pytest.raises(InputError, match=match):
        charts.outsourcing_cost_case(change(costs))
    with pytest.raises(InputError, match="^horizon_years"):
        charts.outsourcing_cost_case(costs, horizon_years=0)


# --------------------------------------------------------------------------- key numbers


def test_key_numbers_equal_the_decision_module(result):
    acts, costs = result.activities, result.costs
    merged = acts.merge(costs[["activity", "in_house_annual_cost", "present_value"]],
                        on="activity", how="left")
    numbers = messages.outsourcing_matrix_key_numbers(result)
    for stance in ("keep", "partner", "source"):
        part = merged[merged["stance"] == stance]
        assert numbers[f"n_{stance}"]["value"] == len(part)
        assert numbers[f"in_house_cost_{stance}"]["value"] == pytest.approx(
            part["in_house_annual_cost"].sum())
    source = merged[(merged["stance"] == "source") & (merged["present_value"] > 0)]
    assert numbers["source_present_value"]["value"] == pytest.approx(
        source["present_value"].sum())
    assert numbers["n_review"]["value"] == int(acts["review"].sum())
    conflicts = costs[costs["conflict"] != ""]
    assert numbers["n_conflicts"]["value"] == len(conflicts)
    assert numbers["largest_conflict"]["value"] == pytest.approx(
        conflicts["present_value"].abs().max())
    assert numbers["in_house_cost_source"]["unit"] == "EUR"


def test_sample_case_numbers(result):
    """The sample case as its data dictionary describes it (README.md, 'The case')."""
    numbers = messages.outsourcing_matrix_key_numbers(result)
    assert (numbers["n_keep"]["value"], numbers["n_partner"]["value"],
            numbers["n_source"]["value"]) == (5, 1, 6)
    # Service desk, end-user devices and hosting pay back: a level saving over five years
    # less the discounted one-offs, by hand.
    annuity = sum(1.08 ** -k for k in range(1, 6))
    by_hand = sum(s * annuity - t - e * 1.08 ** -5 for s, t, e in [
        (640_000 - 455_000 - 45_000, 180_000, 60_000),
        (520_000 - 410_000 - 30_000, 120_000, 50_000),
        (910_000 - 690_000 - 40_000, 420_000, 150_000)])
    assert numbers["source_present_value"]["value"] == pytest.approx(by_hand)
    assert "Data analytics and BI" in numbers["largest_conflict"]["label"]


def test_key_numbers_without_conflicts():
    criteria = pd.DataFrame({"criterion": ["adv", "skill"],
                             "dimension": ["importance", "capability"], "weight": [1, 1]})
    ratings = pd.DataFrame({"activity": ["A", "A"], "assessor": ["cio", "cio"],
                            "criterion": ["adv", "skill"], "score": [1, 1]})
    costs = pd.DataFrame({"activity": ["A"], "in_house_annual_cost": [100.0],
                          "provider_annual_quote": [50.0]})
    r = outsourcing.assess(ratings, criteria, costs)
    numbers = messages.outsourcing_matrix_key_numbers(r)
    assert numbers["n_conflicts"]["value"] == 0 and numbers["largest_conflict"]["value"] == 0


# --------------------------------------------------------------------------- key messages


def test_key_messages_contain_the_numbers(result):
    numbers = messages.outsourcing_matrix_key_numbers(result)
    table = messages.outsourcing_stance_table(result)
    said = messages.outsourcing_matrix_key_messages(result)
    total = result.costs["in_house_annual_cost"].sum()
    share = table.loc["source", "in_house_annual_cost"] / total
    assert said[0] == (
        f"6 of 12 activities ({format_percent(share)} of the {format_money(total, 'EUR')} "
        "in-house spend) "
        f"sit in source cells; those that pay back save "
        f"{format_money(numbers['source_present_value']['value'], 'EUR')} in present value "
        "over 5 years.")
    keep_cheaper = result.costs[(result.costs["stance"] == "keep")
                                & (result.costs["cost_says"] == "source")]
    for row in keep_cheaper.itertuples():
        assert (f"{row.activity}: the matrix says keep, but sourcing would save "
                f"{format_money(row.present_value, 'EUR')}; decide on strategy, not price."
                ) in said
    depends = result.activities.loc[result.activities["single_view_change"], "activity"]
    sentence = next(m for m in said if "depend on who is asked" in m)
    assert sentence.startswith(f"{len(depends)} placements depend on who is asked (")
    assert all(a in sentence for a in depends)
    assert "review them before the board." in sentence
    risky = next(m for m in said if "opportunism" in m)
    assert "Data centre hosting (opportunism 0.75 of 1)" in risky


def test_key_messages_tiny_case():
    said = messages.outsourcing_matrix_key_messages(_tiny())
    assert said[0].startswith("2 of 3 activities (50% of the EUR 600k in-house spend)")
    assert "save EUR 80k in present value over 2 years" in said[0]
    assert said[1] == ("Analytics: the matrix says keep, but sourcing would save EUR 100k; "
                       "decide on strategy, not price.")
    assert said[2].startswith("1 source-cell activity (Hosting) does not pay back")
    assert said[3] == ("1 placement depends on who is asked (Service desk); review it before "
                       "the board.")


def test_an_activity_without_a_cost_row_is_named_and_left_out_of_every_figure(tables):
    """Service desk (a source cell) has no cost row: the count of 6 source cells includes it,
    so the sentence says the share is of the 5 with a cost case and names it (it used to
    say "6 of 12 activities (39% of the EUR 6.5M in-house spend)" and nothing more)."""
    ratings, criteria, costs = tables
    partial = costs[costs["activity"] != "Service desk"]
    r = outsourcing.assess(ratings, criteria, partial, horizon_years=5, discount_rate=0.08)
    said = messages.outsourcing_matrix_key_messages(r)
    numbers = messages.outsourcing_matrix_key_numbers(r)
    costed = r.costs.set_index("activity")
    source = r.activities.loc[r.activities["stance"] == "source", "activity"]
    in_source = costed.loc[[a for a in source if a in costed.index], "in_house_annual_cost"]
    total = costed["in_house_annual_cost"].sum()
    assert len(source) == 6 and len(in_source) == 5 and len(costed) == 11
    assert said[0] == (
        f"6 of 12 activities sit in source cells, 5 of them with a cost case: "
        f"{format_percent(in_source.sum() / total)} of the {format_money(total, 'EUR')} "
        "in-house spend of the 11 activities with one; those that pay back save "
        f"{format_money(numbers['source_present_value']['value'], 'EUR')} in present value "
        "over 5 years. Service desk has no cost case and is left out of the spend figures.")
    assert numbers["in_house_cost_source"]["value"] == pytest.approx(in_source.sum())
    assert numbers["in_house_cost_source"]["label"].endswith(
        "(the 5 of 6 with a cost case; Service desk left out)")
    assert numbers["in_house_cost_keep"]["label"] == (
        "In-house annual cost of the activities in keep cells")
    # Left out of a keep cell only: the source cells' share needs no caveat, the total does.
    keep = r.activities.loc[r.activities["stance"] == "keep", "activity"].iloc[0]
    r = outsourcing.assess(ratings, criteria, costs[costs["activity"] != keep])
    said = messages.outsourcing_matrix_key_messages(r)
    assert said[0].startswith("6 of 12 activities (")
    assert " of the 11 with a cost case) sit in source cells;" in said[0]
    assert said[0].endswith(f" {keep} has no cost case and is left out of the spend figures.")
    # None of the source cells costed: no share, no payback claimed.
    r = outsourcing.assess(ratings, criteria, costs[~costs["activity"].isin(source)])
    said = messages.outsourcing_matrix_key_messages(r)
    assert said[0].startswith("6 of 12 activities sit in source cells, none of them with a "
                              "cost case. ")
    assert "have no cost case and are left out of the spend figures." in said[0]


def test_when_nothing_pays_back_the_message_says_so(tables):
    """Over 1 year no source cell pays back: it said "those that pay back save EUR 0 in
    present value over 1 years"."""
    ratings, criteria, costs = tables
    r = outsourcing.assess(ratings, criteria, costs, horizon_years=1, discount_rate=0.08)
    said = messages.outsourcing_matrix_key_messages(r)
    assert said[0].endswith("sit in source cells; none pays back within 1 year.")
    assert "EUR 0" not in said[0]
    assert any("do not pay back within 1 year at the quotes given" in m for m in said)
    numbers = messages.outsourcing_matrix_key_numbers(r)
    assert numbers["source_present_value"]["label"].endswith("that pay back (1 year)")
    # A single source cell with a cost case that does not pay back.
    r = outsourcing.assess(ratings, criteria, costs[costs["activity"].isin(
        ["Network operations", "MES integration"])], horizon_years=5)
    assert "; it does not pay back within 5 years." in messages.outsourcing_matrix_key_messages(
        r)[0]


def test_messages_refuse_other_objects():
    with pytest.raises(InputError, match="^result: got DataFrame"):
        messages.outsourcing_matrix_key_messages(pd.DataFrame())
    with pytest.raises(InputError, match="^result"):
        messages.outsourcing_matrix_key_numbers(None)


def test_messages_write_each_key_number_as_its_card_does(result):
    """What a board-pack page shows on a card and in a sentence is written the same way (the
    build/buy/cloud and IT budget pages did not: 0.72 beside 0.722, 91% beside 90.8%)."""
    numbers = messages.outsourcing_matrix_key_numbers(result)
    said = messages.outsourcing_matrix_key_messages(result)
    cards = check_cards_quoted(numbers, said, ("source_present_value", "largest_conflict"),
                               counts=["n_source"])
    n_source = cards["n_source"].split()[0]
    assert said[0].startswith(f"{n_source} of {len(result.activities)} activities")


# --------------------------------------------------------------------------- unusual names

#: Names a user may type: a leading "_" (matplotlib leaves such labels out of a legend it
#: collects itself), about 60 characters, "$", non-ASCII.
UNUSUAL = {"Service desk": "_Service desk",
           "Network operations": "Übergang/Été: network operations and $-priced managed WAN",
           "cio": "_cio", "infra_lead": "infrastructure_and_operations_lead_for_all_european_sites"}


@pytest.fixture(scope="module")
def unusual_figures(tables):
    """The three figures as the notebook draws them, on the sample files with names replaced."""
    ratings, criteria, costs = (t.copy() for t in tables)
    ratings[["activity", "assessor"]] = ratings[["activity", "assessor"]].replace(UNUSUAL)
    costs["activity"] = costs["activity"].replace(UNUSUAL)
    r = outsourcing.assess(ratings, criteria, costs, horizon_years=5, discount_rate=0.08)
    note = "5-year contracts, discount rate 8.0%, amounts in EUR; source: ratings.csv."
    return {"matrix": charts.outsourcing_matrix(r.activities, costs=r.costs, cells=r.cells,
                                                footnote=note),
            "spread": charts.outsourcing_spread(r.by_assessor, r.activities, footnote=note),
            "cost_case": charts.outsourcing_cost_case(r.costs, currency="EUR", horizon_years=5,
                                                      footnote=note)}


def test_every_name_is_shown_even_one_starting_with_underscore(unusual_figures):
    """A reviewer: the assessor "_cio" vanished from the spread's legend (its handles were
    collected by matplotlib, which skips labels starting with "_"); long names ran the rows'
    labels across half the figure. Every assessor is listed; long names are cut with "…"."""
    assert legend_texts(unusual_figures["spread"])[:4] == [
        "_cio", "infrastructure_and_operat…", "business_partner", "consensus"]
    for name in ("matrix", "spread", "cost_case"):
        shown = shown_names(unusual_figures[name])
        assert "_Service desk" in shown, name
        assert "Übergang/Été: network" in shown and "$-priced" in shown, name
    rows = [t.get_text() for t in unusual_figures["cost_case"].axes[0].get_yticklabels()]
    assert "Übergang/Été: network operations\nand $-priced managed WAN (conflict)" in rows


@pytest.mark.parametrize("name", ["matrix", "spread", "cost_case"])
def test_no_text_overlaps_with_long_names(unusual_figures, name):
    """A reviewer: with a 60-character activity and assessor the spread's panels shrank to
    slivers (their band names on top of each other) and the cost case's money ticks and
    amounts ran into each other and into the legend."""
    assert overlaps(unusual_figures[name]) == [], name
