"""Tests of btm.risk: a published EMV example, exact enumeration of small registers as the
Monte Carlo oracle, scipy.stats for distribution means, hand-derived scores and flags.

Published example: Tom Mochal, "Use Expected Monetary Value (EMV) to create a risk contingency
budget", TenStep (also TechRepublic, 9 May 2006): six risks with probabilities .8, .3, .5, .10,
.3, .25 and cost impacts $10,000, $30,000, $8,000, $40,000, $20,000, $10,000; contingencies
(P x I) $8,000, $9,000, $4,000, $4,000, $6,000, $2,500; total impact $118,000, total EMV
contingency $33,500 (https://tenstep.com/use-expected-monetary-value-emv-to-create-a-risk-
contingency-budget).
"""

from __future__ import annotations

import datetime as dt
import inspect
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from btm import InputError, risk
from btm.constraints import all_invalid, constraints_of

DATA = Path(__file__).resolve().parents[1] / "btm" / "data" / "risk_register" / "register.csv"

MOCHAL = pd.DataFrame({
    "risk": list("ABCDEF"),
    "title": [f"risk {c}" for c in "ABCDEF"],
    "category": ["project"] * 6,
    "owner": ["PM"] * 6,
    "likelihood": [5, 2, 3, 1, 2, 2],
    "impact": [2, 4, 1, 5, 3, 2],
    "probability": [0.8, 0.3, 0.5, 0.10, 0.3, 0.25],
    "cost_most_likely": [10_000, 30_000, 8_000, 40_000, 20_000, 10_000],
})


def _exact_total(p: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every outcome of independent risks with certain costs: totals, probabilities, and the
    cost of each risk in each outcome (plain enumeration, no btm code)."""
    outcomes = np.array(list(itertools.product([0, 1], repeat=len(p))), dtype=float)
    prob = np.prod(np.where(outcomes == 1, p, 1 - p), axis=1)
    return outcomes @ c, prob, outcomes * c


def _exact_quantile(total, prob, q):
    order = np.argsort(total)
    cdf = np.cumsum(prob[order])
    return total[order][np.searchsorted(cdf, q - 1e-12)]


def test_mochal_2006_emv_contingency_budget():
    a = risk.assess(MOCHAL)
    assert a.register["emv"].tolist() == [8000, 9000, 4000, 4000, 6000, 2500]
    assert a.summary.loc["inherent", "total_emv"] == 33_500
    assert a.register["expected_cost"].sum() == 118_000
    # No responses given: residual equals inherent, every response is "no response".
    assert a.summary.loc["residual", "total_emv"] == 33_500
    assert set(a.responses["verdict"]) == {"no response"}


def test_mochal_2006_monte_carlo_against_exact_enumeration():
    """With certain costs the total has 64 outcomes: its mean is the EMV total, and the
    simulated P50/P80/P90 and tail shares match the enumerated distribution."""
    p = MOCHAL["probability"].to_numpy()
    c = MOCHAL["cost_most_likely"].to_numpy(dtype=float)
    total, prob, parts = _exact_total(p, c)
    assert prob @ total == pytest.approx(33_500)
    sim = risk.simulate_cost(risk.assess(MOCHAL), n_simulations=400_000, seed=5)
    s = sim.summary.iloc[0]
    assert s["mean"] == pytest.approx(33_500, rel=0.01)
    for q in (0.5, 0.8, 0.9):
        v = s[f"p{int(q * 100)}"]
        below = prob[total < v - 1e-9].sum()
        at_or_below = prob[total <= v + 1e-9].sum()
        assert below <= q + 0.005 and at_or_below >= q - 0.005, (q, v)
    qc = _exact_quantile(total, prob, 0.8)
    assert s["contingency"] == qc
    tail = total >= qc
    exact_share = (prob[tail] @ parts[tail]) / (prob[tail] @ total[tail])
    got = sim.contributions.set_index("risk").loc[list("ABCDEF"), "share"].to_numpy()
    assert got == pytest.approx(exact_share, abs=0.01)
    assert sim.contributions["share"].sum() == pytest.approx(1)
    assert sim.contributions["allocation"].sum() == pytest.approx(s["contingency"])


def test_scores_bands_and_ranks_hand_derived():
    """Scores 10, 8, 3, 5, 6, 4 with thresholds (5, 10, 15): high, medium, low, medium,
    medium, low. Ranks by score: A 1, B 2, E 3, D 4, F 5, C 6."""
    a = risk.assess(MOCHAL)
    r = a.register.set_index("risk")
    assert r["score"].tolist() == [10, 8, 3, 5, 6, 4]
    assert r["band"].tolist() == ["high", "medium", "low", "medium", "medium", "low"]
    assert r["rank"].to_dict() == {"A": 1, "B": 2, "E": 3, "D": 4, "F": 5, "C": 6}
    assert a.summary.loc["inherent", ["n_low", "n_medium", "n_high", "n_critical"]].tolist() == [
        2, 3, 1, 0]


def test_ties_share_a_rank():
    reg = MOCHAL.assign(likelihood=2, impact=2, probability=0.5, cost_most_likely=100)
    assert risk.assess(reg).register["rank"].tolist() == [1] * 6


def test_heat_map_grid_uses_the_registers_thresholds():
    """Every cell's band is that of likelihood x impact against the thresholds (a plain loop);
    the cells hold the right risks; both bases have the full grid."""
    reg = MOCHAL.assign(residual_likelihood=[2, 1, 1, 1, 1, 2])
    a = risk.assess(reg, likelihood_scale=5, impact_scale=5, thresholds=[4, 12],
                    labels=["green", "amber", "red"])
    heat = a.heat_map
    assert len(heat) == 50 and set(heat["basis"]) == {"inherent", "residual"}
    for row in heat.itertuples():
        score = row.likelihood * row.impact
        assert row.band == ("green" if score < 4 else "amber" if score < 12 else "red")
    inh = heat[heat["basis"] == "inherent"].set_index(["likelihood", "impact"])
    assert inh.loc[(5, 2), "risks"] == "A"
    assert inh.loc[(2, 2), "risks"] == "F" and inh.loc[(2, 2), "n_risks"] == 1
    assert inh["n_risks"].sum() == 6
    res = heat[heat["basis"] == "residual"].set_index(["likelihood", "impact"])
    assert res.loc[(2, 2), "risks"] == "A, F"
    counts = (heat[heat["basis"] == "inherent"]["band"].value_counts()).to_dict()
    brute = {"green": 0, "amber": 0, "red": 0}
    for li, im in itertools.product(range(1, 6), repeat=2):
        s = li * im
        brute["green" if s < 4 else "amber" if s < 12 else "red"] += 1
    assert counts == brute


def test_response_cost_effectiveness_hand_derived():
    """R1: EMV 0.5 x 100k = 50k -> 0.1 x 100k = 10k for 30k: saves 40k, net +10k, ratio 4/3.
    R2: transfer, cost drops 200k -> 50k at p = 0.1: EMV 20k -> 5k for 20k: net -5k.
    R3: avoid: probability 0, 5k for an EMV of 1k: costs more than it saves."""
    reg = pd.DataFrame({
        "risk": ["R1", "R2", "R3"], "title": ["a", "b", "c"], "category": ["x"] * 3,
        "likelihood": [3, 1, 1], "impact": [4, 5, 2],
        "probability": [0.5, 0.1, 0.01], "cost_most_likely": [100_000, 200_000, 100_000],
        "response": ["Mitigate", "transfer", "avoid"], "response_cost": [30_000, 20_000, 5_000],
        "residual_probability": [0.1, None, 0.0],
        "residual_cost_most_likely": [None, 50_000, None],
    })
    r = risk.assess(reg).responses.set_index("risk")
    assert r["response"].tolist() == ["mitigate", "transfer", "avoid"]
    assert r["emv_reduction"].tolist() == pytest.approx([40_000, 15_000, 1_000])
    assert r["net_benefit"].tolist() == pytest.approx([10_000, -5_000, -4_000])
    assert r["return_ratio"].tolist() == pytest.approx([4 / 3, 0.75, 0.2])
    assert r["pays_for_itself"].tolist() == [True, False, False]
    assert r["verdict"].tolist() == ["pays for itself", "costs more than it saves",
                                     "costs more than it saves"]


def test_levels_derived_from_probability_and_cost_bands():
    reg = pd.DataFrame({"risk": ["R1", "R2"], "title": ["a", "b"], "category": ["x", "x"],
                        "probability": [0.05, 0.65], "cost_most_likely": [5_000, 250_000],
                        "residual_probability": [0.05, 0.25]})
    a = risk.assess(reg, cost_bands=[10_000, 50_000, 100_000, 200_000])
    r = a.register.set_index("risk")
    assert r["likelihood"].tolist() == [1, 4]  # default bands 0.2, 0.4, 0.6, 0.8
    assert r["impact"].tolist() == [1, 5]
    assert r["residual_likelihood"].tolist() == [1, 2]
    with pytest.raises(InputError, match=r"row 1 \(risk 'R1'\), column 'impact'.*cost_bands"):
        risk.assess(reg)


def test_pert_and_triangular_expected_costs_match_scipy():
    reg = MOCHAL.iloc[:1].assign(probability=1.0, cost_low=0.0, cost_most_likely=25.0,
                                 cost_high=100.0)
    pert = risk.assess(reg).register["expected_cost"].iloc[0]
    tri = risk.assess(reg, distribution="triangular").register["expected_cost"].iloc[0]
    assert pert == pytest.approx(stats.beta(2, 4, loc=0, scale=100).mean())
    assert tri == pytest.approx(stats.triang(0.25, loc=0, scale=100).mean())
    sim = risk.simulate_cost(risk.assess(reg, distribution="triangular"), n_simulations=200_000)
    assert sim.summary["mean"].iloc[0] == pytest.approx(tri, rel=0.01)


def test_full_correlation_makes_risks_occur_together():
    """Rank correlation 1 between risks of equal probability: all or none occur, so the
    total is 0 or the sum of all costs, and P(total > 0) = p."""
    reg = MOCHAL.assign(probability=0.3)
    a = risk.assess(reg)
    sim = risk.simulate_cost(a, n_simulations=50_000, correlation=np.ones((6, 6)), seed=2)
    totals = sim.trials["total_cost"]
    assert set(np.unique(totals)) == {0.0, 118_000.0}
    assert (totals > 0).mean() == pytest.approx(0.3, abs=0.01)
    same_cat = risk.simulate_cost(a, n_simulations=50_000, correlation=1.0, seed=2)
    assert set(np.unique(same_cat.trials["total_cost"])) == {0.0, 118_000.0}
    indep = risk.simulate_cost(a, n_simulations=50_000, seed=2)
    assert indep.summary["std"].iloc[0] < sim.summary["std"].iloc[0]
    # A DataFrame matrix is matched by risk id whatever its order.
    ids = list("FEDCBA")
    df = pd.DataFrame(np.ones((6, 6)), index=ids, columns=ids)
    by_id = risk.simulate_cost(a, n_simulations=50_000, correlation=df, seed=2)
    assert set(np.unique(by_id.trials["total_cost"])) == {0.0, 118_000.0}


def test_review_flags_hand_derived():
    reg = MOCHAL.assign(
        owner=["PM", None, " ", "PM", "PM", "PM"],
        review_date=["2025-03-01", "2025-04-01", None, "2025-03-31", "2025-03-30", "2025-05-01"],
    )
    flags = risk.review_flags(risk.assess(reg), as_of="2025-03-31")
    got = flags[["risk", "issue", "days_overdue"]].values.tolist()
    # Sorted by rank (A 1, B 2, E 3, D 4, F 5, C 6) then issue.
    assert got == [["A", "review overdue", 30], ["B", "no owner", 0],
                   ["E", "review overdue", 1], ["C", "no owner", 0],
                   ["C", "no review date", 0]]
    with pytest.raises(TypeError):
        risk.review_flags(risk.assess(reg))  # as_of is required: never "today" implicitly
    with pytest.raises(InputError, match="as_of"):
        risk.review_flags(risk.assess(reg), as_of="someday")
    # One date constraint with btm.competency (btm.constraints.CalendarDate): a date, a
    # Timestamp (time of day and zone dropped) or year-month-day text; never "2025" alone.
    for same in (dt.date(2025, 3, 31), pd.Timestamp("2025-03-31 17:45", tz="Europe/Paris")):
        pd.testing.assert_frame_equal(risk.review_flags(risk.assess(reg), as_of=same), flags)
    with pytest.raises(InputError, match=r"^as_of: got '2025'; expected a date such as"):
        risk.review_flags(risk.assess(reg), as_of="2025")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    p=st.lists(st.floats(0, 1), min_size=1, max_size=8),
    seed=st.integers(0, 1000),
    rho=st.sampled_from([None, 0.0, 0.5, 0.9]),
)
def test_property_percentiles_shares_and_mean(p, seed, rho):
    n = len(p)
    rng = np.random.default_rng(seed)
    ml = rng.uniform(1_000, 100_000, n)
    reg = pd.DataFrame({
        "risk": [f"R{i}" for i in range(n)], "title": ["t"] * n,
        "category": rng.choice(["a", "b"], n), "likelihood": 3, "impact": 3,
        "probability": p, "cost_low": ml * 0.5, "cost_most_likely": ml, "cost_high": ml * 3,
        "residual_probability": np.array(p) * rng.uniform(0, 1, n),
    })
    a = risk.assess(reg)
    assert (a.register["residual_emv"] <= a.register["emv"] + 1e-9).all()
    sim = risk.simulate_cost(a, basis="inherent", n_simulations=4_000, correlation=rho,
                             seed=seed)
    s = sim.summary.iloc[0]
    assert s["p50"] <= s["p80"] <= s["p90"]
    assert (sim.contributions["share"] >= -1e-12).all()
    if s["contingency"] > 0:
        assert sim.contributions["share"].sum() == pytest.approx(1)
    # Standard error from the model, not the sample: a risk so rare that no trial drew it
    # leaves a sample std of 0. Var(total) <= sum p_i E[cost_i^2] <= sum p_i cost_high_i^2.
    se = np.sqrt((np.asarray(p) * (ml * 3) ** 2).sum() / 4_000)
    assert abs(s["mean"] - a.summary.loc["inherent", "total_emv"]) <= 5 * se + 1e-6


def test_same_seed_same_trials_and_input_unchanged():
    before = MOCHAL.copy()
    a = risk.assess(MOCHAL)
    x = risk.simulate_cost(a, n_simulations=1_000, seed=3, correlation=0.4)
    y = risk.simulate_cost(a, n_simulations=1_000, seed=3, correlation=0.4)
    pd.testing.assert_frame_equal(x.trials, y.trials)
    pd.testing.assert_frame_equal(MOCHAL, before)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("change", "message"), [
    ({"likelihood": [6, 2, 3, 1, 2, 2]}, r"row 1 \(risk 'A'\), column 'likelihood': got 6"),
    ({"impact": [2, 0, 1, 5, 3, 2]}, r"row 2 \(risk 'B'\), column 'impact': got 0"),
    ({"probability": [0.8, 30, 0.5, 0.1, 0.3, 0.25]}, r"row 2, column 'probability'"),
    ({"risk": list("ABCDEA")}, r"row 6, column 'risk': got 'A', already used in row 1"),
    ({"response": ["ignore"] + ["accept"] * 5}, r"risk 'A'\), column 'response'.*avoid"),
    ({"cost_most_likely": [-1, 1, 1, 1, 1, 1]}, r"row 1, column 'cost_most_likely'"),
    ({"cost_low": [20_000, None, None, None, None, None]},
     r"risk 'A'\), column 'cost_low': got 20000 above most likely 10000"),
    ({"cost_high": [5_000, None, None, None, None, None]}, r"risk 'A'\), column 'cost_high'"),
    ({"residual_likelihood": [5, 3, 3, 1, 2, 2]},
     r"risk 'B'\), column 'residual_likelihood': got 3 above the inherent 2"),
    ({"residual_probability": [0.9, None, None, None, None, None]},
     r"risk 'A'\), column 'residual_probability'"),
    ({"likelihood": [None, 2, 3, 1, 2, 2], "probability": [None, .3, .5, .1, .3, .25]},
     r"risk 'A'\), column 'likelihood'.*probability"),
    ({"review_date": ["soon"] * 6}, r"row 1, column 'review_date'"),
])
def test_bad_registers_name_the_row_and_risk(change, message):
    with pytest.raises(InputError, match=message):
        risk.assess(MOCHAL.assign(**change))


def test_missing_cost_with_low_given():
    reg = MOCHAL.assign(cost_low=[1.0] + [None] * 5, cost_most_likely=[None] + [1.0] * 5)
    with pytest.raises(InputError, match=r"risk 'A'\), column 'cost_most_likely'"):
        risk.assess(reg)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"thresholds": [10, 5]}, "thresholds.*ascending"),
    ({"thresholds": [5, 30]}, "thresholds.*at most 25"),
    ({"labels": ["a", "b"]}, "labels.*4 names"),
    ({"probability_bands": [0.5, 0.2, 0.7, 0.9]}, "probability_bands.*ascending"),
    ({"cost_bands": [1, 2]}, "cost_bands.*4 ascending"),
])
def test_bad_scales_and_thresholds(kwargs, message):
    with pytest.raises(InputError, match=message):
        risk.assess(MOCHAL, **kwargs)


def test_bad_correlation_and_assessment():
    a = risk.assess(MOCHAL)
    with pytest.raises(InputError, match="correlation: got a 2x2 matrix; expected 6x6"):
        risk.simulate_cost(a, correlation=np.eye(2))
    with pytest.raises(InputError, match="correlation"):
        risk.simulate_cost(a, correlation=1.5)
    with pytest.raises(InputError, match="no row or column for risk 'A'"):
        risk.simulate_cost(a, correlation=pd.DataFrame(np.eye(1), index=["Z"], columns=["Z"]))
    with pytest.raises(InputError, match="assessment: got DataFrame"):
        risk.simulate_cost(MOCHAL)
    unpriced = risk.assess(MOCHAL.drop(columns=["probability"]))
    with pytest.raises(InputError, match="no risk has both a probability and a cost"):
        risk.simulate_cost(unpriced)


PUBLIC = [risk.assess, risk.simulate_cost, risk.review_flags,
          risk.RiskSimulation.contingency_at, risk.RiskSimulation.probability_within]


@pytest.mark.parametrize("func", PUBLIC, ids=lambda f: f.__qualname__)
def test_every_declared_constraint_refuses_its_invalid_values(func):
    a = risk.assess(MOCHAL)
    sim = risk.simulate_cost(a, n_simulations=100)
    args, kwargs = {
        risk.assess: ((MOCHAL,), {}),
        risk.simulate_cost: ((a,), {"n_simulations": 100}),
        risk.review_flags: ((a,), {"as_of": "2025-03-31"}),
        risk.RiskSimulation.contingency_at: ((sim, 0.8), {}),
        risk.RiskSimulation.probability_within: ((sim, 1000.0), {}),
    }[func]
    declared = constraints_of(func)
    assert declared
    params = list(inspect.signature(func).parameters)
    for name, bad in all_invalid(declared):
        pos = params.index(name)
        if pos < len(args):
            call_args, call_kwargs = tuple(bad if i == pos else v for i, v in enumerate(args)), kwargs
        else:
            call_args, call_kwargs = args, {**kwargs, name: bad}
        with pytest.raises(InputError, match=name.split("[")[0]):
            func(*call_args, **call_kwargs)


# --------------------------------------------------------------------------- sample data


def test_sample_erp_register_smoke():
    reg = pd.read_csv(DATA)
    assert 15 <= len(reg) <= 25
    a = risk.assess(reg, source="register.csv")
    inh = risk.simulate_cost(a, basis="inherent", correlation=0.3)
    res = risk.simulate_cost(a, basis="residual", correlation=0.3)
    assert res.summary["p80"].iloc[0] < inh.summary["p80"].iloc[0]
    assert a.summary.loc["residual", "total_emv"] < a.summary.loc["inherent", "total_emv"]
    flags = risk.review_flags(a, as_of="2025-03-31")
    assert {"no owner", "review overdue", "no review date"} <= set(flags["issue"])


def test_correlated_simulation_is_the_same_whatever_eigenbasis_lapack_returns(other_eigenbasis):
    """Same seed, same numbers on every machine: the copula must not depend on the eigenbasis
    LAPACK returns for the repeated eigenvalues of one correlation between all risks."""
    a = risk.assess(MOCHAL)
    first = risk.simulate_cost(a, n_simulations=5_000, correlation=0.3, seed=4)
    other_eigenbasis()
    again = risk.simulate_cost(a, n_simulations=5_000, correlation=0.3, seed=4)
    pd.testing.assert_frame_equal(again.trials, first.trials)


# --------------------------------------------------------------------------- reviewer's cases


SAMPLE = pd.read_csv(DATA)
_RES_COST = ["residual_cost_low", "residual_cost_most_likely", "residual_cost_high"]


@pytest.mark.parametrize(("residual", "column", "got", "inherent"), [
    # R01 costs 80k / 150k / 320k before its response (register.csv, row 1).
    ([200_000, 300_000, 400_000], "residual_cost_low", 200000, 80000),
    ([40_000, 300_000, 400_000], "residual_cost_most_likely", 300000, 150000),
    ([40_000, 80_000, 400_000], "residual_cost_high", 400000, 320000),
    ([40_000, 80_000, 1_234_567], "residual_cost_high", 1234567, 320000),
])
def test_residual_cost_above_the_inherent_one_is_refused(residual, column, got, inherent):
    """README: "Residual values may not exceed the inherent ones"; only likelihood, impact
    and probability were checked, so R01 at 200k/300k/400k after a 45k response became the
    largest consumer of contingency and a response that "costs more than it saves"."""
    reg = SAMPLE.copy()
    reg.loc[0, _RES_COST] = residual
    with pytest.raises(InputError) as err:
        risk.assess(reg, source="register.csv")
    assert str(err.value) == (
        f"register.csv, row 1 (risk 'R01'), column '{column}': got {got} above the inherent "
        f"{inherent} ('{column.removeprefix('residual_')}'); expected a cost after the "
        "response at most the cost before it")


def test_residual_cost_equal_to_the_inherent_one_or_defaulted_is_accepted():
    """May not *exceed*: equal costs pass. A residual most likely cost typed alone is a
    certain cost (low = high = it, README), so only the cells typed are compared: 100k
    certain after the response is below R01's 150k most likely, though above its 80k low."""
    reg = SAMPLE.copy()
    reg.loc[0, _RES_COST] = [80_000, 150_000, 320_000]
    reg.loc[1, _RES_COST] = [None, 50_000, None]  # R02: 40k / 90k / 200k before
    r = risk.assess(reg).register.set_index("risk")
    assert r.loc["R01", _RES_COST].tolist() == [80_000, 150_000, 320_000]
    assert r.loc["R02", _RES_COST].tolist() == [50_000, 50_000, 50_000]
    assert r.loc["R02", "residual_expected_cost"] == 50_000
    assert r.loc["R01", "residual_emv"] == pytest.approx(0.3 * (80 + 4 * 150 + 320) * 1e3 / 6)


def test_a_misspelt_cost_column_is_named_as_missing():
    """Renaming cost_most_likely to cost_ml gave "row 1 (risk 'R01'), column
    'cost_most_likely': the cell is empty": the optional column was added empty and the
    low/high cross-check fired. With cost_low or cost_high there, it is needed: missing, as
    any table's missing column is reported (validate.frame), the columns found listed."""
    reg = SAMPLE.rename(columns={"cost_most_likely": "cost_ml"})
    with pytest.raises(InputError) as err:
        risk.assess(reg, source="register.csv")
    message = str(err.value)
    assert message.startswith("register.csv: missing column(s) 'cost_most_likely'; expected ")
    assert "(found 'risk', 'title'," in message and "'cost_ml'" in message
    res = SAMPLE.rename(columns={"residual_cost_most_likely": "residual_ml"})
    with pytest.raises(InputError, match=r"^register: missing column\(s\) "
                                         r"'residual_cost_most_likely'.*'residual_ml'"):
        risk.assess(res)
    with pytest.raises(InputError, match=r"^register: missing column\(s\) 'likelihood'"):
        risk.assess(MOCHAL.drop(columns=["likelihood", "probability"]))
    with pytest.raises(InputError, match=r"^register: missing column\(s\) 'impact'"):
        risk.assess(MOCHAL.drop(columns=["impact", "cost_most_likely"]))
    # Neither low nor high: the most likely cost stays optional (an unpriced register).
    assert risk.assess(MOCHAL.drop(columns=["cost_most_likely", "probability"])).summary.loc[
        "inherent", "n_priced"] == 0


@pytest.mark.parametrize("thresholds", [[5, 10], [5, 10, 15, 20], [12]])
def test_default_bands_need_three_thresholds(thresholds):
    """The bands are low, medium, high and critical; [5, 10] gave "band 1 .. band 3" and the
    serious-risk sentence counted the old medium band ("band 2 or band 3")."""
    with pytest.raises(InputError, match=r"^thresholds: got .*; expected three score "
                                         "thresholds, where the bands medium, high and critical"):
        risk.assess(MOCHAL, thresholds=thresholds)
    labels = [f"level {k}" for k in range(len(thresholds) + 1)]
    a = risk.assess(MOCHAL, thresholds=thresholds, labels=labels)  # named bands: any count
    assert a.labels == tuple(labels)
    assert risk.assess(MOCHAL).labels == risk.BANDS == ("low", "medium", "high", "critical")
