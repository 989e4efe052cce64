"""Tests of btm.sourcing.evaluate: hand-derived cases, composition with btm.tco and btm.mcda,
bad input (item 6 of the build/buy/cloud issue) and one smoke test on the sample data.

Independent sources: hand-computed weighted sums (in the docstrings), ``btm.tco.compare`` for
present values (itself tested against numpy-financial), ``btm.mcda.group_ahp`` for weights.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from btm import InputError, mcda, sourcing, tco

DATA = Path(__file__).resolve().parents[1] / "btm" / "data" / "build_buy_cloud"
OPTIONS = ["Build", "Buy", "Cloud"]


def _scores(table: dict[str, dict[str, tuple[int, ...]]], assessors=("A", "B", "C")):
    rows = [(a, o, c, s[k]) for k, a in enumerate(assessors) for o, by_c in table.items()
            for c, s in by_c.items()]
    return pd.DataFrame(rows, columns=["assessor", "option", "criterion", "score"])


SCORES = _scores({
    "Build": {"fit": (5, 5, 5), "security": (2, 2, 2)},
    "Buy": {"fit": (3, 3, 3), "security": (4, 4, 4)},
    "Cloud": {"fit": (4, 4, 1), "security": (5, 5, 5)},
})
CRITERIA = pd.DataFrame({"criterion": ["fit", "security", "total_cost_of_ownership"],
                         "weight": [0.4, 0.3, 0.3]})
COSTS = pd.DataFrame({
    "option": ["Build", "Buy", "Cloud"],
    "item": ["team", "licence", "subscription"],
    "category": ["staff", "licence", "subscription"],
    "amount": [600.0, 500.0, 100.0],
    "low": [500.0, 480.0, 90.0],
    "high": [900.0, 520.0, 130.0],
    "start_year": [0, 0, 0],
    "end_year": [0, 0, 3],
})


def _tco():
    return tco.compare(COSTS, horizon_years=3, discount_rate=0.0)


def _evaluate(**kw):
    args = {"criteria": CRITERIA, "tco": _tco(), "weights_source": "direct",
            "method": "weighted_sum", "n_simulations": 500}
    args.update(kw)
    scores = args.pop("scores", SCORES)
    return sourcing.evaluate(scores, **args)


def test_hand_computed_weighted_sum_with_tco():
    """Means: fit 5, 3, 3 (Cloud 4, 4, 1 -> 3); security 2, 4, 5; PV 600, 500, 400 (discount 0).
    Min-max: fit 1, 0, 0; security 0, 2/3, 1; TCO (cost) 0, 0.5, 1.
    Scores with 0.4 / 0.3 / 0.3: Build 0.4; Buy 0.2 + 0.15 = 0.35; Cloud 0.3 + 0.3 = 0.6."""
    r = _evaluate()
    assert r.ranking["score"].to_dict() == pytest.approx({"Cloud": 0.6, "Build": 0.4,
                                                          "Buy": 0.35})
    assert r.ranking.index.tolist() == ["Cloud", "Build", "Buy"]
    assert r.ranking["rank"].tolist() == [1, 2, 3]
    assert r.decision_matrix.loc["Cloud", "total_cost_of_ownership"] == pytest.approx(400)
    assert r.ranking["present_value"].to_dict() == pytest.approx(
        _tco().summary["present_value"].to_dict())
    assert r.weights.loc["total_cost_of_ownership", "benefit"] == False  # noqa: E712
    # contributions add up to the weighted-sum score
    total = r.contributions.groupby("option")["contribution"].sum()
    assert total.to_dict() == pytest.approx(r.ranking["score"].to_dict())
    assert r.summary.loc[0, "winner"] == "Cloud"
    assert r.summary.loc[0, "margin"] == pytest.approx(0.2)


def test_topsis_ranking_is_mcda_topsis_of_the_decision_matrix():
    r = _evaluate(method="topsis")
    expected = mcda.topsis(r.decision_matrix, r.weights["weight"], r.weights["benefit"])
    assert r.ranking["score"].to_dict() == pytest.approx(expected.to_dict())


def test_disagreement_and_outlying_assessor():
    """Cloud / fit: 4, 4, 1 -> mean 3, population SD sqrt((1 + 1 + 4) / 3) = sqrt(2), median 4,
    so assessor C
    (3 points from the median) is outlying; A and B are not."""
    r = _evaluate()
    cell = r.scores.set_index(["option", "criterion"]).loc[("Cloud", "fit")]
    assert cell["mean"] == pytest.approx(3)
    assert cell["sd"] == pytest.approx(np.sqrt(2))
    assert (cell["lowest"], cell["highest"], cell["n_assessors"]) == (1, 4, 3)
    flagged = r.assessor_scores.loc[r.assessor_scores["outlier"]]
    assert flagged[["assessor", "option", "criterion"]].values.tolist() == [["C", "Cloud", "fit"]]
    assert r.assessors["n_outlying"].to_dict() == {"A": 0, "B": 0, "C": 1}
    assert any("Outlying assessors" in n and "C (1)" in n for n in r.notes)


def test_gate_excludes_an_option_with_the_reason():
    gates = pd.DataFrame({"option": OPTIONS, "gate": ["ISO 27001"] * 3,
                          "passed": [False, True, "yes"],
                          "note": ["not certified before 2027", "", ""]})
    r = _evaluate(gates=gates)
    assert r.ranking.index.tolist() == ["Cloud", "Buy"]
    assert r.excluded.to_dict("records") == [{
        "option": "Build", "gate": "ISO 27001",
        "reason": "fails must-have 'ISO 27001': not certified before 2027"}]
    assert "Build excluded: fails must-have 'ISO 27001': not certified before 2027." in r.notes
    assert "Build" in set(r.scores["option"])  # gated options' scores are still shown


def test_all_options_gated_out_is_reported():
    gates = pd.DataFrame({"option": OPTIONS, "gate": ["EU data"] * 3, "passed": [False] * 3})
    with pytest.raises(InputError, match=r"gates.csv: every option fails a must-have gate "
                                         r"\(Build: fails must-have 'EU data'; Buy"):
        _evaluate(gates=gates, sources={"gates": "gates.csv"})


def test_weights_from_group_ahp():
    crit = ["fit", "security", "total_cost_of_ownership"]
    rows = []
    for a, (j1, j2, j3) in {"A": (2, 1, "1/2"), "B": (3, 2, 1), "C": (1, "1/2", "1/2")}.items():
        rows += [(a, "fit", "security", j1), (a, "fit", "total_cost_of_ownership", j2),
                 (a, "security", "total_cost_of_ownership", j3)]
    judgements = pd.DataFrame(rows, columns=["assessor", "criterion_a", "criterion_b",
                                             "judgement"])
    r = _evaluate(weights_source="ahp", judgements=judgements, criteria=CRITERIA[["criterion"]])
    g = mcda.group_ahp(judgements, criteria=crit)
    assert r.weights["weight"].to_dict() == pytest.approx(g.weights.to_dict())
    assert r.ahp is not None and r.summary.loc[0, "group_consistency_ratio"] == pytest.approx(
        g.consistency_ratio)
    assert r.assessors["consistency_ratio"].to_dict() == pytest.approx(
        g.assessors["consistency_ratio"].to_dict())


def test_tco_trials_carry_cost_uncertainty():
    """Scores certain (assessors agree) and weights fixed (concentration 1e9), weighted sum.
    Without trials: PV 600 / 500 / 400 give Build 0.4 > Buy 0.2 + 0.3 x 0.5 = 0.35, always.
    With trials Build's cost (500-900) moves: at Build 900, Buy 500, Cloud 400 Buy scores
    0.2 + 0.3 x 0.8 = 0.44 > 0.4, so Build's share of rank 2 lies strictly between 0 and 1."""
    certain = _scores({
        "Build": {"fit": (5, 5, 5), "security": (2, 2, 2)},
        "Buy": {"fit": (3, 3, 3), "security": (4, 4, 4)},
        "Cloud": {"fit": (3, 3, 3), "security": (5, 5, 5)},
    })
    trials = tco.simulate_trials(COSTS, horizon_years=3, discount_rate=0.0, n=2000, seed=1)
    fixed = {"scores": certain, "concentration": 1e9, "n_simulations": 2000}
    without = _evaluate(**fixed)
    assert without.acceptability.acceptability.isin([0.0, 1.0]).all().all()
    assert without.acceptability.acceptability.loc["Build", "rank_2"] == 1.0
    with_mc = _evaluate(tco_trials=trials, **fixed)
    share = with_mc.acceptability.acceptability.loc["Build", "rank_2"]
    assert 0.05 < share < 0.95
    again = _evaluate(tco_trials=trials, **fixed)
    pd.testing.assert_frame_equal(with_mc.acceptability.acceptability,
                                  again.acceptability.acceptability)
    with pytest.raises(InputError, match=r"tco_trials: no trials for option 'Build'"):
        _evaluate(tco_trials=trials.drop(columns="Build"))


def test_inputs_not_modified():
    scores, criteria, costs = SCORES.copy(), CRITERIA.copy(), COSTS.copy()
    _evaluate(scores=scores, criteria=criteria)
    pd.testing.assert_frame_equal(scores, SCORES)
    pd.testing.assert_frame_equal(criteria, CRITERIA)
    pd.testing.assert_frame_equal(costs, COSTS)


# --------------------------------------------------------------------------- bad input


def _with(df: pd.DataFrame, row: int, column: str, value) -> pd.DataFrame:
    out = df.copy()
    out[column] = out[column].astype(object)
    out.loc[row, column] = value
    return out


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        (_with(SCORES, 3, "score", 7),
         r"scores.csv, row 4, column 'score': got 7; expected a value of at most 5"),
        (_with(SCORES, 0, "score", 0),
         r"scores.csv, row 1, column 'score': got 0; expected a value of at least 1"),
        (_with(SCORES, 2, "score", None), r"scores.csv, row 3, column 'score': the cell is empty"),
        (_with(SCORES, 2, "score", "good"), r"scores.csv, row 3, column 'score': got 'good'"),
        (SCORES.drop(index=5), r"scores.csv: assessor 'A' gave no score for option 'Cloud' on "
                               r"criterion 'security'"),
        (pd.concat([SCORES, SCORES.iloc[[0]]], ignore_index=True),
         r"scores.csv, rows 1 and 19: assessor 'A' scores option 'Build' on criterion 'fit' "
         r"more than once"),
        (_with(SCORES, 6, "option", "build"),
         r"scores.csv, row 7, column 'option': got 'build', which differs from 'Build' \(row 1\)"
         r" only in case"),
        (_with(SCORES, 1, "criterion", "speed"),
         r"scores.csv, row 2, column 'criterion': got 'speed', an unknown criterion"),
        (_with(SCORES, 1, "criterion", "total_cost_of_ownership"),
         r"row 2, column 'criterion': got 'total_cost_of_ownership', the TCO criterion"),
    ],
)
def test_bad_scores(scores, message):
    with pytest.raises(InputError, match=message):
        _evaluate(scores=scores, sources={"scores": "scores.csv"})


def test_bad_criteria_and_weights():
    src = {"criteria": "criteria.csv"}
    with pytest.raises(InputError, match=r"criteria.csv, row 2, column 'weight': got -0.3; "
                                         r"expected a value of at least 0"):
        _evaluate(criteria=_with(CRITERIA, 1, "weight", -0.3), sources=src)
    heavy = CRITERIA.assign(weight=[40, 30, 30])
    with pytest.raises(InputError, match=r"criteria.csv, column 'weight': the weights sum to "
                                         r"100; expected weights that sum to 1 \(or "
                                         r"normalize_weights=True"):
        _evaluate(criteria=heavy, sources=src)
    r = _evaluate(criteria=heavy, normalize_weights=True, sources=src)
    assert r.weights["weight"].tolist() == pytest.approx([0.4, 0.3, 0.3])
    assert any("summed to 100; they were divided by their sum" in n for n in r.notes)
    with pytest.raises(InputError, match=r"criteria.csv, row 3, column 'weight': the cell is "
                                         r"empty"):
        _evaluate(criteria=_with(CRITERIA, 2, "weight", None), sources=src)
    with pytest.raises(InputError, match=r"criteria.csv, rows? .*criterion 'fit' appears more "
                                         r"than once"):
        _evaluate(criteria=pd.concat([CRITERIA, CRITERIA.iloc[[0]]], ignore_index=True),
                  sources=src)
    with pytest.raises(InputError, match=r"scores: no scores for criterion 'speed'"):
        _evaluate(criteria=pd.concat([CRITERIA, pd.DataFrame(
            {"criterion": ["speed"], "weight": [0.0]})], ignore_index=True))
    with pytest.raises(InputError, match=r"criteria.csv: no row for criterion "
                                         r"'total_cost_of_ownership'"):
        _evaluate(criteria=CRITERIA.iloc[:2], sources=src)
    with pytest.raises(InputError, match=r"judgements: got None; expected a judgements table"):
        _evaluate(weights_source="ahp")


def test_unknown_criterion_in_judgements():
    judgements = pd.DataFrame({"assessor": ["A"] * 3, "criterion_a": ["fit", "fit", "security"],
                               "criterion_b": ["security", "cost", "total_cost_of_ownership"],
                               "judgement": [2, 2, 2]})
    with pytest.raises(InputError, match=r"judgements.csv, row 2, column 'criterion_b': got "
                                         r"'cost', an unknown criterion"):
        _evaluate(weights_source="ahp", judgements=judgements,
                  sources={"judgements": "judgements.csv"})


def test_option_without_tco_lines():
    costs = COSTS.loc[COSTS["option"] != "Buy"]
    result = tco.compare(costs, horizon_years=3, discount_rate=0.0)
    with pytest.raises(InputError, match=r"costs.csv: option 'Buy' has no cost lines; expected "
                                         r"cost lines for every option that is scored"):
        _evaluate(tco=result, sources={"costs": "costs.csv"})
    with pytest.raises(InputError, match=r"tco: got dict; expected the TCOResult"):
        _evaluate(tco={})


def test_bad_gates():
    base = pd.DataFrame({"option": OPTIONS, "gate": ["SSO"] * 3, "passed": [True] * 3})
    with pytest.raises(InputError, match=r"gates.csv, row 2, column 'option': got 'Bye', an "
                                         r"option that is not scored"):
        _evaluate(gates=_with(base, 1, "option", "Bye"), sources={"gates": "gates.csv"})
    with pytest.raises(InputError, match=r"gates.csv: option 'Cloud' has no row for gate 'SSO'"):
        _evaluate(gates=base.iloc[:2], sources={"gates": "gates.csv"})
    with pytest.raises(InputError, match=r"gates.csv, row 1, column 'passed': got 'maybe'"):
        _evaluate(gates=_with(base, 0, "passed", "maybe"), sources={"gates": "gates.csv"})


def test_declared_arguments_refuse_invalid_values():
    from btm.constraints import all_invalid, constraints_of

    declared = constraints_of(sourcing.evaluate)
    assert {"method", "weights_source", "n_simulations", "seed"} <= set(declared)
    for name, bad in all_invalid(declared):
        with pytest.raises(InputError, match=name):
            _evaluate(**{name: bad})
    with pytest.raises(InputError, match=r"scale_max: got 1; expected a value greater than "
                                         r"scale_min \(1\)"):
        _evaluate(scale_max=1)


# --------------------------------------------------------------------------- sample data


def test_sample_data_smoke():
    """The shipped CRM case runs end to end: Integrate is gated out (EU data residency), the
    CFO's judgements are flagged as inconsistent, the Head of Sales as outlying."""
    costs = pd.read_csv(DATA / "costs.csv")
    result = tco.compare(costs, horizon_years=5, discount_rate=0.08)
    trials = tco.simulate_trials(costs, horizon_years=5, discount_rate=0.08, n=2000,
                                 correlation=0.5)
    r = sourcing.evaluate(
        pd.read_csv(DATA / "scores.csv"), criteria=pd.read_csv(DATA / "criteria.csv"),
        tco=result, tco_trials=trials, judgements=pd.read_csv(DATA / "judgements.csv"),
        gates=pd.read_csv(DATA / "gates.csv"), n_simulations=2000,
        sources={k: f"{k}.csv" for k in ("scores", "criteria", "judgements", "gates", "costs")})
    assert set(r.ranking.index) == {"Build", "Buy", "Cloud"}
    assert r.excluded["option"].tolist() == ["Integrate"]
    assert not r.ahp.assessors.loc["CFO", "acceptable"]
    assert r.assessors.loc["Head of Sales", "n_outlying"] > 0
    assert r.acceptability.acceptability.sum(axis=1).tolist() == pytest.approx([1, 1, 1])
    assert r.sensitivity.intervals.shape[0] == 7
    assert abs(r.weights["weight"].sum() - 1) < 1e-12


def test_a_score_given_three_times_names_the_rows_as_a_sentence():
    """It said "scores.csv, row 1, row 19, row 20": a list of places, not rows."""
    three = pd.concat([SCORES, SCORES.iloc[[0, 0]]], ignore_index=True)
    with pytest.raises(InputError, match=r"^scores.csv, rows 1, 19 and 20: assessor 'A' scores "):
        _evaluate(scores=three, sources={"scores": "scores.csv"})
