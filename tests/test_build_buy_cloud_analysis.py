"""Tests of the build_buy_cloud analysis: its chart functions and its key numbers and messages.

The numbers are checked against sources independent of :mod:`btm.mcda` and :mod:`btm.sourcing`,
computed here from the sample CSV files with numpy alone:

- TOPSIS closeness by the textbook steps (Hwang & Yoon 1981: vector normalisation, weighted,
  distances to the ideal and anti-ideal);
- group AHP weights and consistency ratio from the principal eigenvector of the element-wise
  geometric mean of the assessors' matrices (Aczél & Saaty 1983), Saaty's random index 1.35
  for seven criteria (Saaty 2005, p. 31, the table btm uses), eigenvalues by
  ``numpy.linalg.eig``;
- present value of the cost lines by discounting each year's amount by hand (escalation
  compounding from year 0, as the TCO data dictionary states);
- the smallest weight change that changes the winner by a brute-force grid over each weight;
- the excluded options from the gates file.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from chart_checks import legend_texts, overlaps, shown_names
from matplotlib.figure import Figure
from message_checks import card_texts

from btm import InputError, files, sourcing, tco
from btm.analyses.build_buy_cloud import SPEC, charts, messages
from btm.style import format_money

DATA = Path(__file__).resolve().parents[1] / "btm" / "data" / "build_buy_cloud"
HORIZON, RATE = 5, 0.08
N = 2000


def _read(name: str) -> pd.DataFrame:
    return files.read_table(DATA / name)


@pytest.fixture(scope="module")
def inputs():
    costs = tco.validate_costs(_read("costs.csv"))
    cost_result = tco.compare(costs, horizon_years=HORIZON, discount_rate=RATE, currency="EUR")
    trials = tco.simulate_trials(costs, horizon_years=HORIZON, discount_rate=RATE, n=N, seed=1,
                                 correlation=0.5)
    return {"scores": _read("scores.csv"), "criteria": _read("criteria.csv"),
            "judgements": _read("judgements.csv"), "gates": _read("gates.csv"),
            "tco": cost_result, "tco_trials": trials}


def _evaluate(inputs, **kwargs):
    args = {k: v for k, v in inputs.items() if k != "scores"}
    args.update(kwargs)
    return sourcing.evaluate(inputs["scores"], n_simulations=N, seed=1, **args)


@pytest.fixture(scope="module")
def result(inputs):
    return _evaluate(inputs, method="topsis", weights_source="ahp")


@pytest.fixture(scope="module")
def wsm_direct(inputs):
    return _evaluate(inputs, method="weighted_sum", weights_source="direct")


# --------------------------------------------------------------------------- independent oracles


def _hand_topsis(x: np.ndarray, w: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    v = x / np.sqrt((x ** 2).sum(axis=0)) * w
    ideal = np.where(benefit, v.max(axis=0), v.min(axis=0))
    anti = np.where(benefit, v.min(axis=0), v.max(axis=0))
    d_plus = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - anti) ** 2).sum(axis=1))
    return d_minus / (d_plus + d_minus)


def _hand_minmax(x: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    lo, hi = x.min(axis=0), x.max(axis=0)
    return np.where(benefit, (x - lo) / (hi - lo), (hi - x) / (hi - lo))


def _rescale(w: np.ndarray, j: int, t: float) -> np.ndarray:
    out = w * (1 - t) / (1 - w[j])
    out[j] = t
    return out


def _hand_ahp(judgements: pd.DataFrame, criteria: list[str]):
    """Group matrix by geometric mean, eigenvector weights and CR (RI 1.35 for n = 7)."""
    n = len(criteria)
    idx = {c: i for i, c in enumerate(criteria)}
    mats = []
    for _, sub in judgements.groupby("assessor", sort=False):
        a = np.ones((n, n))
        for ca, cb, j in sub[["criterion_a", "criterion_b", "judgement"]].itertuples(index=False):
            value = float(Fraction(str(j)))
            a[idx[ca], idx[cb]], a[idx[cb], idx[ca]] = value, 1 / value
        mats.append(a)
    g = np.exp(np.log(np.stack(mats)).mean(axis=0))
    vals, vecs = np.linalg.eig(g)
    k = int(np.argmax(vals.real))
    w = np.abs(vecs[:, k].real)
    lam = float(vals[k].real)
    return w / w.sum(), (lam - n) / (n - 1) / 1.35


def _hand_present_value(costs: pd.DataFrame, option: str) -> float:
    total = 0.0
    for row in costs.loc[costs["option"] == option].itertuples():
        esc = 0.0 if pd.isna(row.escalation) else float(row.escalation)
        for year in range(int(row.start_year), min(int(row.end_year), HORIZON) + 1):
            total += row.amount * (1 + esc) ** year / (1 + RATE) ** year
    return total


# --------------------------------------------------------------------------- key numbers


def test_key_numbers_are_declared_in_the_spec(result):
    numbers = messages.build_buy_cloud_key_numbers(result)
    assert set(numbers) == {k.name for k in SPEC.key_numbers}
    for spec in SPEC.key_numbers:
        unit = numbers[spec.name]["unit"]
        assert unit == ("EUR" if spec.unit == "currency" else spec.unit)


def test_winner_score_and_margin_equal_hand_topsis(result):
    x = result.decision_matrix.to_numpy(dtype=float)
    w = result.weights["weight"].to_numpy()
    benefit = result.weights["benefit"].to_numpy()
    closeness = np.sort(_hand_topsis(x, w, benefit))[::-1]
    numbers = messages.build_buy_cloud_key_numbers(result)
    assert numbers["winner_score"]["value"] == pytest.approx(closeness[0], abs=1e-12)
    assert numbers["margin"]["value"] == pytest.approx(closeness[0] - closeness[1], abs=1e-9)
    assert "Cloud" in numbers["winner_score"]["label"]


def test_group_weights_and_consistency_ratio_equal_numpy_eigenvector(inputs, result):
    criteria = list(result.weights.index)
    w, cr = _hand_ahp(inputs["judgements"], criteria)
    np.testing.assert_allclose(result.weights["weight"].to_numpy(), w, atol=1e-9)
    numbers = messages.build_buy_cloud_key_numbers(result)
    assert numbers["group_consistency_ratio"]["value"] == pytest.approx(cr, abs=1e-9)


def test_winner_present_value_equals_hand_discounting(inputs, result):
    costs = _read("costs.csv")
    numbers = messages.build_buy_cloud_key_numbers(result)
    winner = result.summary["winner"].iloc[0]
    assert numbers["winner_present_value"]["value"] == pytest.approx(
        _hand_present_value(costs, winner), rel=1e-12)
    assert numbers["winner_present_value"]["unit"] == "EUR"


def test_excluded_options_come_from_the_gates_file(result):
    gates = _read("gates.csv")
    failed = set(gates.loc[~gates["passed"].astype(bool), "option"])
    assert failed == {"Integrate"}
    assert messages.build_buy_cloud_key_numbers(result)["n_excluded"]["value"] == len(failed)


def test_smallest_weight_change_equals_brute_force_grid(result):
    x = result.decision_matrix.to_numpy(dtype=float)
    w = result.weights["weight"].to_numpy()
    benefit = result.weights["benefit"].to_numpy()
    winner = int(np.argmax(_hand_topsis(x, w, benefit)))
    grid = np.linspace(0, 1, 2001)
    nearest = np.inf
    for j in range(len(w)):
        flips = [t for t in grid
                 if int(np.argmax(_hand_topsis(x, _rescale(w, j, t), benefit))) != winner]
        if flips:
            nearest = min(nearest, min(abs(t - w[j]) for t in flips))
    value = messages.build_buy_cloud_key_numbers(result)["smallest_weight_change"]["value"]
    assert value == pytest.approx(nearest, abs=1e-3)  # the grid step is 0.0005


def test_first_rank_share_is_the_acceptability_of_rank_1(result):
    tidy = result.acceptability.tidy
    winner = result.summary["winner"].iloc[0]
    share = float(tidy.loc[(tidy["option"] == winner) & (tidy["rank"] == 1), "share"].iloc[0])
    numbers = messages.build_buy_cloud_key_numbers(result)
    assert numbers["winner_first_rank_share"]["value"] == pytest.approx(share)
    assert numbers["winner_first_rank_share"]["unit"] == "%"
    assert 0.5 < share <= 1


def test_direct_weights_have_no_consistency_ratio(wsm_direct):
    numbers = messages.build_buy_cloud_key_numbers(wsm_direct)
    assert numbers["group_consistency_ratio"]["value"] is None
    assert "directly" in numbers["group_consistency_ratio"]["label"]
    crit = _read("criteria.csv").set_index("criterion")["weight"]
    x = wsm_direct.decision_matrix.to_numpy(dtype=float)
    benefit = wsm_direct.weights["benefit"].to_numpy()
    hand = _hand_minmax(x, benefit) @ crit.loc[wsm_direct.decision_matrix.columns].to_numpy()
    assert numbers["winner_score"]["value"] == pytest.approx(hand.max(), abs=1e-12)


# --------------------------------------------------------------------------- messages


def test_messages_contain_the_numbers_formatted(inputs, result):
    msgs = messages.build_buy_cloud_key_messages(result, tco=inputs["tco"],
                                                 judgements=inputs["judgements"])
    s = result.summary.iloc[0]
    head = msgs[0]
    # each figure is written as its key-number card on the same board-pack page writes it
    # (a reviewer saw "0.722" on the card beside "TOPSIS 0.72", "EUR 3M" beside "EUR 3.01M")
    cards = card_texts(messages.build_buy_cloud_key_numbers(result))
    assert head.startswith(f"{s['winner']} ranks first (TOPSIS {cards['winner_score']}, "
                           f"{cards['margin']} ahead of {s['runner_up']}) and in "
                           f"{cards['winner_first_rank_share']} of {N:,} trials")
    assert cards["winner_score"] == f"{s['winner_score']:.3g}"
    tips = messages.tipping_points(result)
    t = tips.iloc[0]
    assert (f"{t['new_winner']} overtakes {s['winner']} if the "
            f"{t['criterion'].replace('_', ' ')} weight {t['direction']} {t['threshold']:.2f} "
            f"(now {t['weight']:.2f})") in msgs[1]
    pv = _hand_present_value(_read("costs.csv"), s["winner"])
    assert cards["winner_present_value"] == format_money(pv, "EUR")
    assert any(f"{cards['winner_present_value']} present value over 5 years at 8%," in m
               for m in msgs)
    assert any(m.startswith("Integrate is excluded: fails must-have 'EU data residency'")
               for m in msgs)
    cfo = next(m for m in msgs if m.startswith("CFO's judgements are inconsistent"))
    cr = float(result.ahp.assessors.loc["CFO", "consistency_ratio"])
    assert f"(CR {cr:.2f} > 0.10)" in cfo
    assert "revise vendor viability against total cost of ownership (given 3" in cfo
    assert any(m.startswith("Head of Sales stands apart on 2 scores") for m in msgs)


def test_tipping_points_agree_with_the_intervals(result):
    tips = messages.tipping_points(result)
    iv = result.sensitivity.intervals
    assert list(tips["change"]) == sorted(tips["change"])
    for t in tips.itertuples():
        row = iv.loc[t.criterion]
        end = row["lower"] if t.direction == "falls below" else row["upper"]
        assert t.threshold == pytest.approx(end)
        assert t.change == pytest.approx(abs(end - row["weight"]))
    assert set(tips["criterion"]) == set(iv.index[~iv["robust"]])


def test_assessor_revision_lowers_the_cr_as_stated(inputs, result):
    rev = messages.assessor_revisions(result, inputs["judgements"])
    assert list(rev["assessor"]) == ["CFO"]
    r = rev.iloc[0]
    criteria = list(result.weights.index)
    j = inputs["judgements"]
    own = j.loc[j["assessor"] == "CFO"].copy()
    own["judgement"] = own["judgement"].astype(object)  # text such as "1/3" (pandas 3: str dtype)
    pair = ((own["criterion_a"] == r["criterion_a"]) & (own["criterion_b"] == r["criterion_b"]))
    assert pair.sum() == 1
    own.loc[pair, "judgement"] = r["suggested"]
    _, cr_after = _hand_ahp(own, criteria)
    assert cr_after == pytest.approx(r["consistency_ratio_after"], abs=1e-6)
    assert cr_after < r["consistency_ratio"]


def test_section_sentences(result):
    sent = messages.build_buy_cloud_sentences(result)
    assert set(sent) == {"gates", "ranking", "sensitivity", "acceptability", "assessors"}
    assert sent["gates"].startswith("1 option excluded")
    share = result.summary["winner_first_rank_share"].iloc[0]
    assert sent["acceptability"] == f"Cloud ranks first in {100 * share:.3g}% of {N:,} trials."
    assert "the group's CR is" in sent["assessors"]


def test_messages_with_direct_weights_name_no_assessor_cr(inputs, wsm_direct):
    msgs = messages.build_buy_cloud_key_messages(wsm_direct, tco=inputs["tco"])
    assert not any("judgements are inconsistent" in m for m in msgs)
    assert msgs[0].split(" ranks first")[0] in set(wsm_direct.ranking.index)
    assert "(weighted-sum " in msgs[0]


@pytest.mark.parametrize(("call", "where"), [
    (lambda r: messages.build_buy_cloud_key_messages("x"), "result"),
    (lambda r: messages.build_buy_cloud_key_numbers(None), "result"),
    (lambda r: messages.build_buy_cloud_key_messages(r, tco="x"), "tco"),
    (lambda r: messages.build_buy_cloud_key_messages(r, robust_threshold=2), "robust_threshold"),
    (lambda r: messages.assessor_revisions(r, pd.DataFrame({"a": [1]})), "judgements"),
])
def test_messages_bad_input(result, call, where):
    with pytest.raises(InputError, match=f"^{where}"):
        call(result)


# --------------------------------------------------------------------------- charts


def test_contributions_chart_segments_equal_hand_weighted_minmax(result):
    fig = charts.criterion_contributions(result.contributions, scores=result.ranking["score"],
                                         method="topsis", footnote="Source: sample data.")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "What each option’s score is made of"
    assert "0 = worst" in ax.get_xlabel() and "1 = best" in ax.get_xlabel()
    assert ax.get_ylabel()
    options = [t.get_text() for t in ax.get_yticklabels()]
    assert options == list(result.ranking.index)  # best first (on top)
    x = result.decision_matrix.loc[options].to_numpy(dtype=float)
    norm = _hand_minmax(x, result.weights["benefit"].to_numpy())
    expected = norm * result.weights["weight"].to_numpy()  # options x criteria
    widths = np.array([p.get_width() for p in ax.patches]).reshape(len(result.weights), -1)
    np.testing.assert_allclose(widths.T, expected, atol=1e-12)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[-1] == "TOPSIS closeness (ranking score)"
    assert legend[0] == f"functional fit ({result.weights['weight'].iloc[0]:.2f})"
    styles = {(tuple(np.round(p.get_facecolor(), 3)), p.get_hatch())
              for p in ax.patches[::len(options)]}
    assert len(styles) == len(result.weights)  # each criterion its own fill and hatch
    labels = [t.get_text() for t in ax.texts]
    top = result.ranking.iloc[0]
    assert f"(TOPSIS {top['score']:.2f})" in labels[0]


def test_contributions_chart_weighted_sum_bars_are_the_scores(wsm_direct):
    fig = charts.criterion_contributions(wsm_direct.contributions,
                                         scores=wsm_direct.ranking["score"],
                                         method="weighted_sum")
    ax = fig.axes[0]
    assert not ax.get_lines()  # the bar's length is the score: no marker
    labels = [t.get_text() for t in ax.texts]
    assert labels == [f"{s:.2f}" for s in wsm_direct.ranking["score"]]


def test_sensitivity_chart_marks_stated_weight_and_interval(result):
    iv = result.sensitivity.intervals
    fig = charts.weight_sensitivity_curves(result.sensitivity.curves, iv,
                                           winner=result.sensitivity.winner,
                                           footnote="Source: sample data.")
    assert isinstance(fig, Figure)
    assert fig.get_suptitle() == "How far each weight can move before the winner changes"
    panels = fig.axes[:len(iv)]
    assert [a.get_title(loc="left") for a in panels] == [c.replace("_", " ") for c in iv.index]
    for ax, (_, row) in zip(panels, iv.iterrows(), strict=True):
        span = ax.patches[0]  # the shaded interval (axvspan)
        assert span.get_x() == pytest.approx(row["lower"])
        assert span.get_x() + span.get_width() == pytest.approx(row["upper"])
        stated = [ln for ln in ax.get_lines() if ln.get_xdata()[0] == ln.get_xdata()[-1]]
        assert stated and stated[0].get_xdata()[0] == pytest.approx(row["weight"])
        assert len(ax.get_lines()) == len(result.ranking) + 1
    legend = [t.get_text() for t in fig.axes[len(iv)].get_legend().get_texts()]
    assert legend[-1] == "Cloud stays first" and "stated weight" in legend
    assert any("TOPSIS" in t.get_text() for t in fig.texts)  # the score axis label


def test_heatmap_cells_show_the_shares(result):
    fig = charts.rank_acceptability_heatmap(result.acceptability.tidy, n_trials=N)
    ax = fig.axes[0]
    assert ax.get_title() == "How often each option takes each rank"
    assert ax.get_xlabel() == "Rank (1st = best)"
    assert [t.get_text() for t in ax.get_yticklabels()] == list(result.ranking.index)
    acc = result.acceptability.acceptability.loc[list(result.ranking.index)]
    texts = [t.get_text() for t in ax.texts]
    for share, text in zip(acc.to_numpy().ravel(), texts, strict=True):
        if 0 < share < 0.005:
            assert text == "<1%"
        elif 0.995 <= share < 1:
            assert text == ">99%"
        else:
            assert text == f"{share:.0%}"
    assert fig.axes[1].get_ylabel() == f"Share of {N:,} trials (%)"


def test_assessor_weights_chart_flags_inconsistent_assessors(result):
    fig = charts.sourcing_weights(result)
    ax = fig.axes[0]
    assert ax.get_title() == "Each assessor’s weights against the group’s"
    assert "AHP weight" in ax.get_xlabel()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    cr = result.ahp.assessors["consistency_ratio"]
    assert f"CFO (CR {cr['CFO']:.2f}, above 0.10)" in legend
    assert f"CIO (CR {cr['CIO']:.2f})" in legend
    group = ax.patches[:len(result.weights)]
    np.testing.assert_allclose(sorted(p.get_width() for p in group),
                               sorted(result.ahp.weights), atol=1e-12)


def test_direct_weights_chart(wsm_direct):
    fig = charts.sourcing_weights(wsm_direct)
    assert fig.axes[0].get_title() == "Weights given directly in the criteria table"


def test_names_from_files_cannot_start_mathtext():
    assert charts.readable("Cloud $x$") == r"Cloud \$x\$"
    c = pd.DataFrame({"option": ["$a$", "b"], "criterion": ["x", "x"], "contribution": [1.0, 0]})
    fig = charts.criterion_contributions(c)
    fig.canvas.draw()  # would raise on bad mathtext


def _contrib():
    return pd.DataFrame({"option": ["A", "A", "B", "B"], "criterion": ["x", "y"] * 2,
                         "contribution": [0.5, 0.1, 0.0, 0.3]})


@pytest.mark.parametrize(("call", "match"), [
    (lambda: charts.criterion_contributions("x"), "^contributions: got str"),
    (lambda: charts.criterion_contributions(_contrib().drop(columns="contribution")),
     "^contributions: missing column.*'contribution'"),
    (lambda: charts.criterion_contributions(_contrib().assign(contribution=[0.5, -1, 0, 0])),
     "^contributions, row 2, column 'contribution'"),
    (lambda: charts.criterion_contributions(_contrib().assign(contribution=["a", 1, 0, 0])),
     "^contributions, row 1, column 'contribution'"),
    (lambda: charts.criterion_contributions(_contrib(), scores=pd.Series({"A": 1.0})),
     "^scores: no score for option 'B'"),
    (lambda: charts.criterion_contributions(_contrib(), method="ahp"), "^method"),
    (lambda: charts.criterion_contributions(_contrib(), title=3), "^title"),
    (lambda: charts.rank_acceptability_heatmap(pd.DataFrame(
        {"option": ["A"], "rank": [0], "share": [1.0]})), "^tidy, row 1, column 'rank'"),
    (lambda: charts.rank_acceptability_heatmap(pd.DataFrame(
        {"option": ["A"], "rank": [1], "share": [1.5]})), "^tidy, row 1, column 'share'"),
    (lambda: charts.rank_acceptability_heatmap(pd.DataFrame(
        {"option": ["A", "A"], "rank": [1, 1], "share": [1.0, 0]})), "^tidy, row 2"),
    (lambda: charts.rank_acceptability_heatmap(pd.DataFrame(
        {"option": ["A"], "share": [1.0]})), "^tidy: missing column.*'rank'"),
    (lambda: charts.assessor_weights(pd.DataFrame(
        {"assessor": ["A"], "criterion": ["x"], "weight": [1.2]}), pd.Series({"x": 1.0})),
     "^weights, row 1, column 'weight'"),
    (lambda: charts.assessor_weights(pd.DataFrame(
        {"assessor": ["A"], "criterion": ["x"], "weight": [1.0]}), pd.Series({"y": 1.0})),
     "^group: no weight for criterion 'x'"),
    (lambda: charts.assessor_weights(pd.DataFrame(
        {"assessor": ["A"], "criterion": ["x"], "weight": [1.0]}), pd.Series({"x": 1.0}),
        consistency=pd.Series({"B": 0.0})), "^consistency: no consistency ratio for assessor"),
    (lambda: charts.sourcing_weights("x"), "^result"),
])
def test_chart_bad_input(call, match):
    with pytest.raises(InputError, match=match):
        call()


def test_sensitivity_chart_bad_input(result):
    curves, iv = result.sensitivity.curves, result.sensitivity.intervals
    with pytest.raises(InputError, match="^curves: missing column.*'score'"):
        charts.weight_sensitivity_curves(curves.drop(columns="score"), iv, winner="Cloud")
    with pytest.raises(InputError, match="^winner: got 'Nobody'"):
        charts.weight_sensitivity_curves(curves, iv, winner="Nobody")
    bad = curves.copy()
    bad.loc[3, "weight"] = 1.5
    with pytest.raises(InputError, match="^curves, row 4, column 'weight'"):
        charts.weight_sensitivity_curves(bad, iv, winner="Cloud")
    with pytest.raises(InputError, match="^intervals: no row for criterion 'security'"):
        charts.weight_sensitivity_curves(curves, iv.drop(index="security"), winner="Cloud")
    with pytest.raises(InputError, match="^ncols"):
        charts.weight_sensitivity_curves(curves, iv, winner="Cloud", ncols=0)


def test_charts_do_not_modify_their_input(result):
    before = result.contributions.copy()
    charts.criterion_contributions(result.contributions, scores=result.ranking["score"])
    pd.testing.assert_frame_equal(result.contributions, before)


# --------------------------------------------------------------------------- unusual names

#: Names a user may type: a leading "_" (matplotlib leaves such labels out of a legend it
#: collects itself, and underscores-as-spaces turned it into a blank), 50 to 60 characters,
#: "$", non-ASCII.
UNUSUAL = {"Build": "_legacy", "Buy": "Übergang/Été: packaged suite at $123/user/month, $20k setup",
           "CIO": "_CIO", "Head of Sales": "Head of Sales, Marketing and Customer Service (EMEA)",
           "functional_fit": "_functional_fit",
           "integration": "integration_with_the_existing_erp_crm_and_data_warehouse"}


def _unusual_figures():
    """Every chart as the notebook draws it, on the sample files with names replaced."""
    def read(name, columns):
        table = _read(name)
        for c in columns:
            table[c] = table[c].replace(UNUSUAL)
        return table

    costs = tco.validate_costs(read("costs.csv", ["option"]))
    cost_result = tco.compare(costs, horizon_years=HORIZON, discount_rate=RATE, currency="EUR")
    trials = tco.simulate_trials(costs, horizon_years=HORIZON, discount_rate=RATE, n=300, seed=1)
    r = sourcing.evaluate(
        read("scores.csv", ["assessor", "option", "criterion"]),
        criteria=read("criteria.csv", ["criterion"]), tco=cost_result, tco_trials=trials,
        judgements=read("judgements.csv", ["assessor", "criterion_a", "criterion_b"]),
        gates=read("gates.csv", ["option"]), method="topsis", weights_source="ahp",
        n_simulations=300, seed=1)
    note = "TOPSIS on group AHP weights; source: scores.csv, costs.csv."
    return {
        "criterion_contributions": charts.criterion_contributions(
            r.contributions, scores=r.ranking["score"], method="topsis", footnote=note),
        "weight_sensitivity": charts.weight_sensitivity_curves(
            r.sensitivity.curves, r.sensitivity.intervals, winner=r.sensitivity.winner,
            method="topsis", footnote=note),
        "rank_acceptability": charts.rank_acceptability_heatmap(
            r.acceptability.tidy, n_trials=r.acceptability.n, footnote=note),
        "assessor_weights": charts.sourcing_weights(r, footnote=note),
    }


@pytest.fixture(scope="module")
def unusual_figures():
    return _unusual_figures()


def test_every_name_is_shown_even_one_starting_with_underscore(unusual_figures):
    """A reviewer: an option named "_legacy" showed as " legacy" (every underscore became a
    space) and long names ran across the plot. Underscores between words still read as
    spaces; a leading one is kept, and every legend lists every name."""
    figs = unusual_figures
    shown = {name: shown_names(fig) for name, fig in figs.items()}
    legends = {name: "\n".join(legend_texts(fig)) for name, fig in figs.items()}
    for name in ("criterion_contributions", "rank_acceptability"):
        assert "\n_legacy\n" in f"\n{shown[name]}\n", name
        assert "Übergang/Été: packaged" in shown[name]
    assert "_functional fit (0." in legends["criterion_contributions"]
    assert "integration with the\nexisting erp crm and data… (0." in legends[
        "criterion_contributions"]
    assert legend_texts(figs["weight_sensitivity"])[:3] == [
        "_legacy", "Übergang/Été: packaged suite\nat \\$123/user/month, \\$20k…", "Cloud"]
    assert legend_texts(figs["assessor_weights"])[1:] == [
        "_CIO (CR 0.01)", "CFO (CR 0.11, above 0.10)",
        "Head of Sales, Marketing and\nCustomer Service (EMEA) (CR 0.00)"]
    assert "_functional fit" in shown["weight_sensitivity"]


@pytest.mark.parametrize("name", ["criterion_contributions", "weight_sensitivity",
                                  "rank_acceptability", "assessor_weights"])
def test_no_text_overlaps_with_long_names(unusual_figures, name):
    """A reviewer: with names of 50 to 60 characters the heat map collapsed to a sliver with
    its percentages on top of each other, panel titles ran into each other and tick labels
    into the legend. Long names are wrapped and cut (the tables keep them whole)."""
    assert overlaps(unusual_figures[name]) == [], name


# --------------------------------------------------------------------------- one option left


@pytest.mark.parametrize("method", ["topsis", "weighted_sum"])
def test_a_single_option_passing_the_gates_gets_no_score(inputs, method):
    """Build and Buy failing 'EU data residency' leave Cloud alone: it said "Cloud ranks first
    (TOPSIS 0.5) and in 100% of 500 trials", the 0.5 being TOPSIS's 0/0 with one option."""
    gates = inputs["gates"].copy()
    gates.loc[gates["option"].isin(["Build", "Buy"])
              & (gates["gate"] == "EU data residency"), "passed"] = False
    r = _evaluate(inputs, gates=gates, method=method)
    assert list(r.ranking.index) == ["Cloud"]
    row = r.ranking.loc["Cloud"]
    assert np.isnan(row["score"]) and np.isnan(row["first_rank_share"])
    s = r.summary.iloc[0]
    assert s["winner"] == "Cloud" and s["n_ranked"] == 1 and np.isnan(s["winner_score"])
    assert np.isnan(s["winner_first_rank_share"]) and np.isnan(s["smallest_weight_change"])
    alone = "Only Cloud passes the must-have gates; there is nothing to rank it against."
    assert alone in r.notes
    said = messages.build_buy_cloud_key_messages(r, tco=inputs["tco"])
    assert said[0] == alone
    assert not any("trials" in m or "ranks first" in m or "overtake" in m for m in said)
    assert any(m.endswith(", the only option still in the running.") for m in said)
    numbers = messages.build_buy_cloud_key_numbers(r)
    for key in ("winner_score", "margin", "winner_first_rank_share", "smallest_weight_change"):
        assert numbers[key]["value"] is None, key
    assert card_texts(numbers, ["winner_score"])["winner_score"] == "n/a"
    sentences = messages.build_buy_cloud_sentences(r)
    assert sentences["ranking"] == alone
    assert "trials" not in sentences["acceptability"]
    fig = charts.criterion_contributions(r.contributions, method=method)
    assert isinstance(fig, Figure)
