"""Tests for btm.outsourcing.

Sources and oracles
-------------------
- Insinga, R. C. and Werle, M. J. (2000), "Linking outsourcing to business strategy",
  Academy of Management Executive 14(4): the matrix's logic for clear-cut cases (an activity
  that can give competitive advantage and that the firm does as well as the best providers is
  kept; one that cannot give advantage is bought). btm's cell wording is its own rendering
  (see the module notes), so the tests check the *stance* of clear-cut corners, not labels.
- Weighted scores: hand-derived in each test docstring and cross-checked with
  ``numpy.average`` (an independent weighted mean).
- Money: numpy-financial 1.0 ``npf.npv`` (same convention: first value at t = 0) and
  hand-derived payback periods.
- No published worked example of this matrix with numbers exists that we could cite; none is
  claimed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from btm import outsourcing
from btm.constraints import constraints_of
from btm.errors import InputError

DATA = Path(outsourcing.__file__).parent / "data" / "outsourcing_matrix"

CRITERIA = pd.DataFrame({
    "criterion": ["adv", "crit", "skills", "cost", "lockin"],
    "dimension": ["importance", "importance", "capability", "capability", "opportunism"],
    "weight": [2.0, 1.0, 1.0, 1.0, 1.0],
})


def ratings_for(views: dict[str, dict[str, tuple[float, float, float, float]]]) -> pd.DataFrame:
    """Long ratings from {activity: {assessor: (adv, crit, skills, cost)}}."""
    rows = []
    for act, by in views.items():
        for who, scores in by.items():
            for crit, s in zip(["adv", "crit", "skills", "cost"], scores, strict=True):
                rows.append((act, who, crit, s))
    return pd.DataFrame(rows, columns=["activity", "assessor", "criterion", "score"])


# --------------------------------------------------------------------------- scores


def test_weighted_score_hand_derived_and_numpy_average():
    """Weights 2:1 on importance, scores 5 and 2 on 1..5 -> mean 4 -> (4-1)/4 = 0.75.

    Capability weights 1:1, scores 3 and 4 -> 3.5 -> 0.625. Cross-check: numpy.average.
    """
    r = ratings_for({"X": {"a": (5, 2, 3, 4)}})
    s = outsourcing.assessor_scores(r, CRITERIA).set_index("dimension")["score"]
    assert s["importance"] == pytest.approx(0.75)
    assert s["capability"] == pytest.approx(0.625)
    assert s["importance"] == pytest.approx((np.average([5, 2], weights=[2, 1]) - 1) / 4)


def test_missing_score_left_out_and_weights_renormalised():
    """Assessor leaves 'crit' empty: importance = adv alone = (4-1)/4 = 0.75, n_rated 1."""
    r = ratings_for({"X": {"a": (4, np.nan, 3, 3)}})
    s = outsourcing.assessor_scores(r, CRITERIA).set_index("dimension")
    assert s.loc["importance", "score"] == pytest.approx(0.75)
    assert s.loc["importance", "n_rated"] == 1


def test_other_scale_maps_to_unit_interval():
    """On a 0..10 scale a flat 7 is 0.7 on both dimensions."""
    r = ratings_for({"X": {"a": (7, 7, 7, 7)}})
    s = outsourcing.assessor_scores(r, CRITERIA, scale_min=0, scale_max=10)
    assert s["score"].to_numpy() == pytest.approx([0.7, 0.7])


def test_consensus_is_mean_of_assessors_and_spread_is_range():
    """Importance: a gives 5,5 -> 1.0; b gives 3,3 -> 0.5: consensus 0.75, spread 0.5."""
    r = ratings_for({"X": {"a": (5, 5, 4, 4), "b": (3, 3, 4, 4)}})
    act = outsourcing.assess(r, CRITERIA).activities.iloc[0]
    assert act.importance == pytest.approx(0.75)
    assert act.importance_spread == pytest.approx(0.5)
    assert act.capability_spread == pytest.approx(0.0)
    assert act.n_assessors == 2
    assert bool(act.disagreement)  # 0.5 > 0.25


# --------------------------------------------------------------------------- the matrix


@pytest.mark.parametrize(
    ("importance", "capability", "stance"),
    [(0.95, 0.95, "keep"), (0.05, 0.05, "source"), (0.05, 0.95, "source"),
     (0.95, 0.05, "partner")],
)
def test_insinga_werle_2000_clear_cut_corners(importance, capability, stance):
    """Insinga & Werle (2000): advantage + strong capability -> keep; no advantage -> buy
    whatever the capability; advantage but weak capability -> build or acquire it (btm:
    partner), never a plain hand-over."""
    out = outsourcing.classify([importance], [capability])
    assert out["stance"].item() == stance


def test_boundaries_are_parameters_and_belong_to_upper_band():
    x = [0.39, 0.40, 0.69, 0.70]
    out = outsourcing.classify(x, x, importance_bounds=(0.4, 0.7), capability_bounds=(0.4, 0.7))
    assert out["importance_band"].tolist() == ["low", "medium", "medium", "high"]
    default = outsourcing.classify([0.5], [0.5])
    assert default["importance_band"].item() == "medium"
    moved = outsourcing.classify([0.5], [0.5], importance_bounds=(0.2, 0.45))
    assert moved["importance_band"].item() == "high"


def test_custom_cells_table_is_used():
    cells = outsourcing.matrix_cells()
    cells.loc[:, "cell"] = "Mine"
    assert outsourcing.classify([0.5], [0.5], cells=cells)["cell"].item() == "Mine"
    assert outsourcing.matrix_cells()["cell"].iloc[0] != "Mine"  # default not modified


def test_default_matrix_stance_is_monotone():
    """More importance never moves towards 'source'; the default table obeys this."""
    rank = {"source": 0, "partner": 1, "keep": 2}
    cells = outsourcing.matrix_cells().set_index(["importance_band", "capability_band"])
    for cap in outsourcing.BANDS:
        r = [rank[cells.loc[(imp, cap), "stance"]] for imp in outsourcing.BANDS]
        assert r == sorted(r)


# --------------------------------------------------------------------------- review flags


def test_borderline_within_margin_of_boundary():
    """Importance 0.625 (scores 3.5 avg) is 0.0417 from 2/3 -> borderline at margin 0.05,
    not at margin 0.04; capability 1.0 is far from every boundary."""
    r = ratings_for({"X": {"a": (4, 3, 5, 5), "b": (4, 3, 5, 5)}})  # (2*4+3)/3 = 3.667 -> 0.667
    r2 = ratings_for({"Y": {"a": (3.5, 3.5, 5, 5)}})  # 0.625
    res = outsourcing.assess(r2, CRITERIA, margin=0.05).activities.iloc[0]
    assert res.borderline and res.borderline_axis == "importance"
    assert res.distance_to_boundary == pytest.approx(2 / 3 - 0.625)
    assert not outsourcing.assess(r2, CRITERIA, margin=0.04).activities.iloc[0].borderline
    on_line = outsourcing.assess(r, CRITERIA).activities.iloc[0]
    assert on_line.borderline and on_line.importance_band == "high"


def test_single_assessor_view_changes_recommendation():
    """a: importance 1.0, capability 1.0 (keep); b: importance 0, capability 1.0 -> consensus
    importance 0.5 (medium) / capability 1.0: 'Solid in-house'. a alone -> 'Core strength',
    b alone -> 'Non-core strength' (stance source): both change the cell; only b the stance."""
    r = ratings_for({"X": {"a": (5, 5, 5, 5), "b": (1, 1, 5, 5)}})
    res = outsourcing.assess(r, CRITERIA)
    act = res.activities.iloc[0]
    assert act.cell == "Solid in-house"
    assert act.single_view_change
    assert act.changed_by == "a, b"
    assert act.stance_changed_by == "b"
    own = res.by_assessor.set_index("assessor")
    assert own.loc["a", "cell"] == "Core strength"
    assert own.loc["b", "stance"] == "source"
    assert "b alone would change the stance" in res.summary.loc["X", "review_notes"]


def test_agreeing_assessors_raise_no_flags():
    r = ratings_for({"X": {"a": (5, 5, 5, 5), "b": (5, 5, 5, 5), "c": (5, 5, 5, 5)}})
    act = outsourcing.assess(r, CRITERIA).activities.iloc[0]
    assert not act.review
    assert act.changed_by == "" and act.importance_spread == 0


def test_opportunism_note_on_source_cells_only():
    """McIvor (2008): high opportunism potential -> safeguard a sourced activity."""
    r = ratings_for({"S": {"a": (1, 1, 1, 1)}, "K": {"a": (5, 5, 5, 5)}})
    lock = pd.DataFrame({"activity": ["S", "K"], "assessor": ["a", "a"],
                         "criterion": ["lockin", "lockin"], "score": [5, 5]})
    res = outsourcing.assess(pd.concat([r, lock], ignore_index=True), CRITERIA).activities
    res = res.set_index("activity")
    assert res.loc["S", "opportunism_risk"] and "safeguard" in res.loc["S", "strategy"]
    assert not res.loc["K", "opportunism_risk"]
    no_opp = outsourcing.assess(r, CRITERIA).activities
    assert no_opp["opportunism"].isna().all() and not no_opp["opportunism_risk"].any()


# --------------------------------------------------------------------------- cost case


def test_cost_case_matches_numpy_financial_npv_and_hand_payback():
    """In-house 500, quote 350, retained 30, transition 300, exit 100, 4 years at 8 %.

    Savings: -300, 120, 120, 120, 120-100=20. Payback: cumulative -300, -180, -60, +60 ->
    2 + 60/120 = 2.5 years. NPV: numpy-financial ``npf.npv`` on the same timeline.
    """
    costs = pd.DataFrame({"activity": ["X"], "in_house_annual_cost": [500],
                          "provider_annual_quote": [350], "retained_annual_cost": [30],
                          "transition_cost": [300], "exit_cost": [100]})
    row = outsourcing.cost_case(costs, horizon_years=4, discount_rate=0.08).iloc[0]
    flows = [-300, 120, 120, 120, 20]
    assert row.present_value == pytest.approx(npf.npv(0.08, flows))
    assert row.payback_years == pytest.approx(2.5)
    assert row.annual_saving == 120 and row.total_saving == 80
    assert row.one_off_costs == 400
    assert row.present_value == pytest.approx(row.present_value_in_house
                                              - row.present_value_sourced)
    assert row.cost_says == "source"


def test_cost_case_never_pays_back():
    costs = pd.DataFrame({"activity": ["X"], "in_house_annual_cost": [100],
                          "provider_annual_quote": [120]})
    row = outsourcing.cost_case(costs, horizon_years=3, discount_rate=0.05).iloc[0]
    assert row.payback_years == np.inf and row.cost_says == "keep"
    assert row.present_value == pytest.approx(npf.npv(0.05, [0, -20, -20, -20]))


def test_matrix_versus_cost_warnings():
    r = ratings_for({"Core": {"a": (5, 5, 5, 5)}, "Commodity": {"a": (1, 1, 1, 1)},
                     "Both": {"a": (1, 1, 1, 1)}})
    costs = pd.DataFrame({"activity": ["Core", "Commodity", "Both"],
                          "in_house_annual_cost": [100, 100, 100],
                          "provider_annual_quote": [50, 150, 50]})
    res = outsourcing.assess(r, CRITERIA, costs, horizon_years=3, discount_rate=0.0)
    c = res.costs.set_index("activity")["conflict"]
    assert c["Core"].startswith("matrix says keep, cost says source")
    assert c["Commodity"].startswith("matrix says source, cost says keep")
    assert c["Both"] == ""
    assert res.summary.loc["Core", "present_value"] == pytest.approx(150)


# --------------------------------------------------------------------------- properties


scores = st.lists(st.integers(1, 5), min_size=4, max_size=4)


@settings(max_examples=60, deadline=None)
@given(views=st.lists(scores, min_size=1, max_size=4), factor=st.floats(0.1, 100),
       seed=st.integers(0, 1000))
def test_properties_order_and_weight_scale_do_not_matter(views, factor, seed):
    r = ratings_for({"X": {f"a{i}": tuple(v) for i, v in enumerate(views)}})
    base = outsourcing.assess(r, CRITERIA).activities
    shuffled = r.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    scaled = CRITERIA.assign(weight=CRITERIA["weight"] * factor)
    other = outsourcing.assess(shuffled, scaled).activities
    for col in ("importance", "capability", "importance_spread"):
        assert other[col].to_numpy() == pytest.approx(base[col].to_numpy())
    assert other["cell"].tolist() == base["cell"].tolist()
    assert 0 <= base["importance"].item() <= 1 and 0 <= base["capability"].item() <= 1


@settings(max_examples=60, deadline=None)
@given(v=scores, which=st.integers(2, 3))
def test_property_raising_a_capability_score_never_lowers_capability(v, which):
    r = ratings_for({"X": {"a": tuple(v)}})
    up = list(v)
    up[which] = min(5, up[which] + 1)
    before = outsourcing.assess(r, CRITERIA).activities["capability"].item()
    after = outsourcing.assess(ratings_for({"X": {"a": tuple(up)}}),
                               CRITERIA).activities["capability"].item()
    assert after >= before


def test_inputs_not_modified():
    r = ratings_for({"X": {"a": (5, 4, 3, np.nan)}})
    costs = pd.DataFrame({"activity": ["X"], "in_house_annual_cost": [1.0],
                          "provider_annual_quote": [1.0]})
    copies = (r.copy(), CRITERIA.copy(), costs.copy())
    outsourcing.assess(r, CRITERIA, costs)
    for a, b in zip((r, CRITERIA, costs), copies, strict=True):
        pd.testing.assert_frame_equal(a, b)


# --------------------------------------------------------------------------- bad input


def test_rating_outside_scale_names_row_and_column():
    r = ratings_for({"X": {"a": (5, 6, 3, 3)}})
    with pytest.raises(InputError, match=r"ratings.csv, row 2, column 'score': got 6"):
        outsourcing.assess(r, CRITERIA, source="ratings.csv")
    with pytest.raises(InputError, match=r"row 2, column 'score'.*at least 1"):
        outsourcing.assess(ratings_for({"X": {"a": (5, 0, 3, 3)}}), CRITERIA)


def test_negative_weight_names_row_and_column():
    bad = CRITERIA.assign(weight=[2.0, -1.0, 1.0, 1.0, 1.0])
    with pytest.raises(InputError, match=r"criteria.csv, row 2, column 'weight': got -1"):
        outsourcing.assess(ratings_for({"X": {"a": (1, 1, 1, 1)}}), bad,
                           criteria_source="criteria.csv")


def test_cost_activity_without_ratings():
    costs = pd.DataFrame({"activity": ["X", "Ghost"], "in_house_annual_cost": [1, 1],
                          "provider_annual_quote": [1, 1]})
    with pytest.raises(InputError, match=r"costs, row 2, column 'activity': got 'Ghost'"):
        outsourcing.assess(ratings_for({"X": {"a": (1, 1, 1, 1)}}), CRITERIA, costs)


def test_assessor_who_rated_nothing():
    r = ratings_for({"X": {"a": (1, 1, 1, 1), "b": (np.nan,) * 4}})
    with pytest.raises(InputError, match=r"row 5, column 'score': assessor 'b' rated nothing"):
        outsourcing.assess(r, CRITERIA)
    with pytest.raises(InputError, match=r"assessors: got 'c'"):
        outsourcing.assess(ratings_for({"X": {"a": (1, 1, 1, 1)}}), CRITERIA,
                           assessors=["a", "c"])


def test_duplicate_activity_ids():
    costs = pd.DataFrame({"activity": ["X", "X"], "in_house_annual_cost": [1, 2],
                          "provider_annual_quote": [1, 1]})
    with pytest.raises(InputError, match=r"costs, row 2, column 'activity': got 'X'.*row 1"):
        outsourcing.assess(ratings_for({"X": {"a": (1, 1, 1, 1)}}), CRITERIA, costs)
    r = pd.concat([ratings_for({"X": {"a": (1, 1, 1, 1)}})] * 2, ignore_index=True)
    with pytest.raises(InputError, match=r"row 5, column 'criterion'.*twice"):
        outsourcing.assess(r, CRITERIA)


def test_unknown_criterion_and_unrated_activity_name_the_cell():
    r = ratings_for({"X": {"a": (1, 1, 1, 1)}})
    r.loc[2, "criterion"] = "speed"
    with pytest.raises(InputError, match=r"^ratings, row 3, column 'criterion': got 'speed', "
                                         r"not in the criteria table; expected one of 'adv'"):
        outsourcing.assess(r, CRITERIA)
    costs = pd.DataFrame({"activity": ["X", "Y"], "in_house_annual_cost": [1, 2],
                          "provider_annual_quote": [1, 1]})
    with pytest.raises(InputError, match=r"row 2, column 'activity': got 'Y', an activity "
                                         r"with no ratings; expected an activity that appears"):
        outsourcing.assess(ratings_for({"X": {"a": (1, 1, 1, 1)}}), CRITERIA, costs)


def test_other_bad_tables():
    r = ratings_for({"X": {"a": (1, 1, 1, 1)}})
    with pytest.raises(InputError, match=r"row 1, column 'criterion': got 'nope'"):
        outsourcing.assess(r.assign(criterion=["nope", "crit", "skills", "cost"]), CRITERIA)
    with pytest.raises(InputError, match=r"criteria, row 1, column 'dimension': got 'Fun'"):
        outsourcing.assess(r, CRITERIA.assign(dimension=["Fun"] + list(CRITERIA.dimension[1:])))
    with pytest.raises(InputError, match=r"criteria, row 2, column 'criterion': got 'adv'"):
        outsourcing.assess(r, CRITERIA.assign(criterion=["adv", "adv", "skills", "cost", "x"]))
    with pytest.raises(InputError, match=r"no capability criterion with a positive weight"):
        outsourcing.assess(r, CRITERIA.assign(weight=[1, 1, 0, 0, 1]))
    only_imp = r[r.criterion.isin(["adv", "crit"])]
    with pytest.raises(InputError, match=r"row 1, column 'activity'.*no capability score"):
        outsourcing.assess(only_imp, CRITERIA)
    with pytest.raises(InputError, match=r"missing column\(s\) 'score'"):
        outsourcing.assess(r.drop(columns="score"), CRITERIA)
    cells = outsourcing.matrix_cells().iloc[:8]
    with pytest.raises(InputError, match=r"cells: no cell"):
        outsourcing.classify([0.5], [0.5], cells=cells)


@pytest.mark.parametrize(
    ("kwargs", "where"),
    [({"importance_bounds": (0.7, 0.4)}, "importance_bounds"),
     ({"capability_bounds": (0.2, 0.5, 0.8)}, "capability_bounds"),
     ({"importance_bounds": (0.0, 0.5)}, r"importance_bounds\[0\]"),
     ({"margin": -0.1}, "margin"),
     ({"discount_rate": 8}, "discount_rate"),
     ({"currency": "euro"}, "currency"),
     ({"scale_min": 5, "scale_max": 1}, "scale_max")],
)
def test_bad_parameters_name_the_parameter(kwargs, where):
    with pytest.raises(InputError, match=rf"^{where}:"):
        outsourcing.assess(ratings_for({"X": {"a": (1, 1, 1, 1)}}), CRITERIA, **kwargs)


@pytest.mark.parametrize("bounds", [[0.7, 0.3], [0.5, 0.5], [0.2, 0.5, 0.8]])
@pytest.mark.parametrize("name", ["importance_bounds", "capability_bounds"])
def test_bounds_out_of_order_are_refused_before_any_kernel_starts(name, bounds, tmp_path,
                                                                  monkeypatch):
    """The notebook's parameters are checked against the spec, which declares the same rule as
    :func:`outsourcing.assess` (it declared any two numbers: ``[0.7, 0.3]`` started a kernel
    and failed in the notebook's third cell, leaving a failed run folder)."""
    import papermill

    from btm import runs
    from btm.analyses import get_spec

    def refuse(*args, **kwargs):
        raise AssertionError("papermill.execute_notebook was called")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)
    assert isinstance(get_spec("outsourcing_matrix").parameters[name], outsourcing.Boundaries)
    with pytest.raises(InputError, match=rf"^{name}: got \[.*\]; expected two increasing "
                                         "boundaries strictly between 0 and 1"):
        runs.run("outsourcing_matrix", {name: bounds}, reports_dir=tmp_path, progress=False)
    assert not any(tmp_path.rglob("*"))
    with pytest.raises(InputError, match=rf"^{name}: "):
        outsourcing.assess(ratings_for({"X": {"a": (1, 1, 1, 1)}}), CRITERIA, **{name: bounds})
    assert outsourcing.Boundaries().check((0.4, 0.7), name) == [0.4, 0.7]


@pytest.mark.parametrize("func", [outsourcing.assess, outsourcing.cost_case,
                                  outsourcing.classify, outsourcing.assessor_scores,
                                  outsourcing.validate_ratings])
def test_every_public_function_declares_its_scalars(func):
    assert constraints_of(func)


# --------------------------------------------------------------------------- sample data


def test_sample_data_smoke():
    """The shipped case: 12 activities, 3 assessors; every cost activity rated."""
    ratings = pd.read_csv(DATA / "ratings.csv")
    criteria = pd.read_csv(DATA / "criteria.csv")
    costs = pd.read_csv(DATA / "costs.csv")
    res = outsourcing.assess(ratings, criteria, costs, assessors=["cio", "infra_lead",
                                                                 "business_partner"])
    assert len(res.activities) == 12 and res.activities["n_assessors"].eq(3).all()
    assert set(res.activities["stance"]) == {"keep", "partner", "source"}
    assert res.costs["conflict"].ne("").any()
    assert res.activities["review"].any() and not res.activities["review"].all()
