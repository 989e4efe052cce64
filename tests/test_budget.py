"""Tests of btm.budget: hand-computed budgets, exact conservation of allocated cost, oracles.

Independent sources: hand calculations written out in each test's docstring; Hamilton's
largest-remainder method re-implemented here with exact rational arithmetic
(``fractions.Fraction``) as the oracle for :func:`btm.budget.allocate`; the TBM chain recomputed
as a product of row-normalised allocation matrices in floating point (numpy) as the oracle for
:func:`btm.budget.chargeback` (equal to within the rounding to cents, which the exact method
distributes).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from btm import InputError, budget
from btm.constraints import all_invalid, constraints_of

DATA = Path(budget.__file__).resolve().parent / "data" / "it_budget"


def _hamilton(total: int, weights: list[float]) -> list[int]:
    """Largest remainder with exact fractions; ties to the earlier item."""
    w = [Fraction(x) for x in weights]
    s = sum(w)
    quotas = [Fraction(abs(total)) * x / s for x in w]
    base = [int(q) for q in quotas]  # floor (quotas >= 0)
    left = abs(total) - sum(base)
    order = sorted(range(len(w)), key=lambda i: (-(quotas[i] - base[i]), i))
    for i in order[:left]:
        base[i] += 1
    return [b if total >= 0 else -b for b in base]


# --------------------------------------------------------------------------- allocate


def test_allocate_thirds_hand_example():
    """100.00 over three equal weights: 33.34 + 33.33 + 33.33 (the extra cent to the first)."""
    a, u = budget.allocate(pd.DataFrame({"pool": ["p"], "amount": [100.0]}),
                           pd.DataFrame({"pool": ["p"] * 3, "bu": list("xyz"), "weight": [1] * 3}),
                           source_column="pool", target_column="bu")
    assert a["amount_minor"].tolist() == [3334, 3333, 3333]
    assert u.empty


@settings(max_examples=200, deadline=None)
@given(st.integers(-10**9, 10**9),
       st.lists(st.floats(0, 1e6, allow_nan=False, allow_infinity=False), min_size=1,
                max_size=12).filter(lambda w: sum(w) > 0))
def test_allocate_matches_exact_hamilton(total_minor, weights):
    amounts = pd.DataFrame({"pool": ["p"], "amount": [total_minor / 100]})
    w = pd.DataFrame({"pool": "p", "bu": [f"b{i}" for i in range(len(weights))],
                      "weight": weights})
    a, u = budget.allocate(amounts, w, source_column="pool", target_column="bu")
    assert u.empty
    assert int(a["amount_minor"].sum()) == total_minor
    expected = _hamilton(total_minor, weights)
    # float quotas may order near-equal remainders differently: parts differ by at most 1 cent
    assert np.abs(a["amount_minor"].to_numpy() - np.array(expected)).max() <= 1


def test_allocate_reports_sources_without_weights():
    amounts = pd.DataFrame({"pool": ["a", "b", "c"], "amount": [10.0, 5.0, 1.0]})
    w = pd.DataFrame({"pool": ["a", "c"], "bu": ["x", "y"], "weight": [1.0, 0.0]})
    a, u = budget.allocate(amounts, w, source_column="pool", target_column="bu")
    assert a["amount"].tolist() == [10.0]
    assert u.set_index("pool")["reason"].to_dict() == {
        "b": "no allocation weights", "c": "allocation weights sum to 0"}
    assert int(a["amount_minor"].sum() + u["amount_minor"].sum()) == 1600


# --------------------------------------------------------------------------- chargeback


def _tbm_case():
    pools = pd.DataFrame({"cost_pool": ["staff", "software"], "amount": [100.0, 50.0]})
    p2t = pd.DataFrame({"cost_pool": ["staff", "staff", "software"],
                        "tower": ["end user", "application", "application"], "weight": [1, 3, 1]})
    t2s = pd.DataFrame({"tower": ["end user", "application"], "service": ["workplace", "erp"],
                        "weight": [1, 1]})
    services = pd.DataFrame({"service": ["workplace", "erp"], "driver": ["users", "transactions"]})
    drivers = pd.DataFrame({"business_unit": ["Sales", "Plant"], "users": [30, 10],
                            "transactions": [1, 4]})
    return pools, p2t, t2s, services, drivers


def test_chargeback_hand_computed_two_units():
    """staff 100 -> end user 25, application 75; software 50 -> application 50.

    workplace = 25 split by users 30:10 -> Sales 18.75, Plant 6.25;
    erp = 125 split by transactions 1:4 -> Sales 25, Plant 100.
    Sales 43.75, Plant 106.25; unit rates: workplace 25/40 users, erp 125/5 transactions.
    """
    cb = budget.chargeback(*_tbm_case())
    assert cb.by_consumer.set_index("business_unit")["amount"].to_dict() == {
        "Plant": 106.25, "Sales": 43.75}
    rates = cb.unit_rates.set_index("service")["rate"]
    assert rates["workplace"] == pytest.approx(0.625)
    assert rates["erp"] == pytest.approx(25.0)
    assert cb.unallocated.empty
    assert cb.summary["allocated_minor"].iloc[0] == cb.summary["total_minor"].iloc[0] == 15000
    layers = cb.flows.groupby("layer")["amount_minor"].sum()
    assert (layers == 15000).all()


def test_chargeback_of_pools_that_hold_nothing_gives_zero_and_no_share():
    """Pools all 0 are not refused (a scenario may zero a budget): every business unit gets 0
    and no share (NaN, not 0%), so that no unit reads as the largest consumer."""
    pools, p2t, t2s, services, drivers = _tbm_case()
    cb = budget.chargeback(pools.assign(amount=0.0), p2t, t2s, services, drivers)
    assert cb.summary[["total", "allocated", "unallocated"]].iloc[0].tolist() == [0, 0, 0]
    assert (cb.by_consumer["amount"] == 0).all() and cb.by_consumer["share"].isna().all()
    assert cb.flows.empty and cb.unallocated.empty


def test_chargeback_does_not_modify_inputs():
    case = _tbm_case()
    before = [t.copy() for t in case]
    budget.chargeback(*case)
    for a, b in zip(before, case, strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_chargeback_reports_every_kind_of_unallocated_cost():
    pools, p2t, t2s, services, drivers = _tbm_case()
    pools = pd.concat([pools, pd.DataFrame({"cost_pool": ["other"], "amount": [7.0]})])
    p2t = pd.concat([p2t, pd.DataFrame({"cost_pool": ["software"], "tower": ["lab"],
                                        "weight": [1]})])
    services = pd.concat([services, pd.DataFrame({"service": ["hpc"], "driver": ["cpu_hours"]})])
    t2s = pd.concat([t2s, pd.DataFrame({"tower": ["application"], "service": ["hpc"],
                                        "weight": [0.5]})])
    drivers = drivers.assign(cpu_hours=[0, 0])
    cb = budget.chargeback(pools, p2t, t2s, services, drivers)
    u = cb.unallocated.set_index("item")
    assert u.loc["other", "reason"] == "pool mapped to no tower"
    assert u.loc["lab", "reason"] == "tower mapped to no service"
    assert u.loc["hpc", "reason"] == "allocation weights sum to 0"
    s = cb.summary.iloc[0]
    assert s["allocated_minor"] + s["unallocated_minor"] == s["total_minor"] == 15700


@st.composite
def tbm_instances(draw):
    n_pool, n_tower, n_service, n_bu = (draw(st.integers(1, 5)) for _ in range(4))
    money = st.integers(0, 10**8).map(lambda c: c / 100)
    weight = st.one_of(st.just(0.0), st.floats(0.01, 1e4))
    pools = pd.DataFrame({"cost_pool": [f"p{i}" for i in range(n_pool)],
                          "amount": draw(st.lists(money, min_size=n_pool, max_size=n_pool))})
    pairs = lambda a, b, na, nb: pd.DataFrame(  # noqa: E731
        [(f"{a}{i}", f"{b}{j}", draw(weight)) for i in range(na) for j in range(nb)
         if draw(st.booleans())], columns=["src", "dst", "weight"])
    p2t = pairs("p", "t", n_pool, n_tower).rename(columns={"src": "cost_pool", "dst": "tower"})
    t2s = pairs("t", "s", n_tower, n_service).rename(columns={"src": "tower", "dst": "service"})
    drivers_names = ["users", "tickets", "storage_tb", "transactions"]
    services = pd.DataFrame({"service": [f"s{j}" for j in range(n_service)],
                             "driver": [draw(st.sampled_from(drivers_names))
                                        for _ in range(n_service)]})
    drivers = pd.DataFrame({"business_unit": [f"b{k}" for k in range(n_bu)]})
    for d in drivers_names:
        drivers[d] = [draw(st.sampled_from([0, 1, 7, 250.5, 1e5])) for _ in range(n_bu)]
    return pools, p2t, t2s, services, drivers


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tbm_instances())
def test_chargeback_conserves_every_cent(case):
    """Property: allocated + unallocated == pools exactly (integer cents), at every layer."""
    pools, p2t, t2s, services, drivers = case
    cb = budget.chargeback(pools, p2t, t2s, services, drivers)
    total = int(np.round(pools["amount"].to_numpy() * 100).astype(np.int64).sum())
    s = cb.summary.iloc[0]
    assert s["total_minor"] == total
    assert s["allocated_minor"] + s["unallocated_minor"] == total
    assert int(cb.by_consumer["amount_minor"].sum()) == s["allocated_minor"]
    lost = cb.unallocated.groupby("layer")["amount_minor"].sum()
    into = total
    for layer in ("pool_to_tower", "tower_to_service", "service_to_consumer"):
        out = int(cb.flows.loc[cb.flows["layer"] == layer, "amount_minor"].sum())
        assert out + int(lost.get(layer, 0)) == into
        into = out
    # independent oracle: the chain as a product of row-normalised matrices (floats)
    P = _matrix(p2t, "cost_pool", "tower", pools["cost_pool"])
    towers = sorted({t for t in p2t["tower"]} | {t for t in t2s["tower"]})
    P = P.reindex(columns=towers, fill_value=0.0)
    T = _matrix(t2s, "tower", "service", towers).reindex(columns=services["service"],
                                                          fill_value=0.0)
    cons = services.merge(drivers.melt(id_vars="business_unit", var_name="driver",
                                       value_name="weight"), on="driver")
    S = _matrix(cons, "service", "business_unit", services["service"]).reindex(
        columns=drivers["business_unit"], fill_value=0.0)
    expected = pools["amount"].to_numpy() @ P.to_numpy() @ T.to_numpy() @ S.to_numpy()
    got = cb.by_consumer.set_index("business_unit")["amount"].reindex(
        drivers["business_unit"], fill_value=0.0).to_numpy()
    n_flows = max(len(cb.flows), 1)
    np.testing.assert_allclose(got, expected, atol=0.01 * n_flows, rtol=1e-9)


def _matrix(t: pd.DataFrame, src: str, dst: str, rows) -> pd.DataFrame:
    m = t.pivot_table(index=src, columns=dst, values="weight", aggfunc="sum", fill_value=0.0)
    m = m.reindex(index=list(rows), fill_value=0.0)
    sums = m.sum(axis=1).to_numpy()
    return m.div(np.where(sums > 0, sums, 1.0), axis=0)


@pytest.mark.parametrize("which, change, match", [
    ("drivers", lambda d: pd.concat([d, d.iloc[:1]]), r"drivers, row 3, column 'business_unit'"),
    ("drivers", lambda d: d.assign(users=[-1, 10]), r"drivers, row 1, column 'users'"),
    ("services", lambda d: d.assign(driver=["users", "orders"]),
     r"services, row 2, column 'driver'.*'orders'.*'users'"),
    ("services", lambda d: d.assign(service=["erp", "erp"]), r"services, row 2, column 'service'"),
    ("tower_to_service", lambda d: d.assign(service=["workplace", "mail"]),
     r"tower_to_service, row 2, column 'service': unknown service 'mail'"),
    ("pool_to_tower", lambda d: d.assign(weight=[1, -3, 1]),
     r"pool_to_tower, row 2, column 'weight'"),
    ("pool_to_tower", lambda d: d.assign(tower=["end user", "end user", "application"]),
     r"pool_to_tower, row 2, column 'tower'.*appears again"),
    ("pools", lambda d: d.drop(columns="amount"), r"pools: missing column.*'amount'"),
])
def test_chargeback_bad_input_names_table_row_and_column(which, change, match):
    names = ["pools", "pool_to_tower", "tower_to_service", "services", "drivers"]
    tables = dict(zip(names, _tbm_case(), strict=True))
    tables[which] = change(tables[which])
    with pytest.raises(InputError, match=match):
        budget.chargeback(*tables.values())


# --------------------------------------------------------------------------- budget


def _run():
    return pd.DataFrame({"item": ["licences", "servers", "staff"],
                         "cost_pool": ["software", "hardware", "internal labour"],
                         "tower": ["application", "compute", "end user"],
                         "amount": [100.0, 60.0, 200.0],
                         "expense_type": ["opex", "capex", "opex"],
                         "useful_life": [None, 3, None]})


def test_annual_budget_hand_computed():
    """Budget 2027, run escalated 10 %: licences 110, servers 66 (capex, 3 years), staff 220.

    CRM (grow, 50 % capitalised, 5 years): 2026 cost 50, 2027 cost 40 -> 2027 opex 20, capex 20.
    Total 2027 = 110 + 66 + 220 + 40 = 436; run 396, grow 40; capex 86, opex 350.
    Depreciation in 2027: servers 66/3 = 22; CRM 2026 capex 25/5 = 5; CRM 2027 capex 20/5 = 4
    -> 31; P&L cost = 350 + 31 = 381.
    """
    spend = pd.DataFrame({"initiative": ["crm", "crm"], "year": [2026, 2027],
                          "cost": [50.0, 40.0]})
    info = pd.DataFrame({"initiative": ["crm"], "category": ["grow"], "capex_share": [0.5],
                         "useful_life": [5]})
    b = budget.annual_budget(_run(), year=2027, projects=spend, initiatives=info,
                             escalation=0.10)
    s = b.summary.iloc[0]
    assert s["total"] == pytest.approx(436)
    assert (s["run"], s["grow"], s["transform"]) == pytest.approx((396, 40, 0))
    assert (s["capex"], s["opex"]) == pytest.approx((86, 350))
    assert s["depreciation"] == pytest.approx(31)
    assert s["pnl_cost"] == pytest.approx(381)
    assert b.by_category["share"].sum() == pytest.approx(1.0)
    assert b.by_pool["total"].sum() == pytest.approx(s["total"])
    assert b.by_pool.set_index("cost_pool").loc["projects", "capex"] == pytest.approx(20)


def test_depreciation_is_straight_line_and_sums_to_the_amount():
    capex = pd.DataFrame({"item": ["a", "b"], "year": [2025, 2027], "amount": [1000.0, 90.0],
                          "useful_life": [4, 3]})
    d = budget.depreciation_schedule(capex)
    assert d.groupby("item")["depreciation"].sum().to_dict() == pytest.approx(
        {"a": 1000.0, "b": 90.0})
    assert d.loc[d["item"] == "a", "year"].tolist() == [2025, 2026, 2027, 2028]
    assert d.loc[d["item"] == "b", "depreciation"].tolist() == pytest.approx([30.0] * 3)


def test_variance_against_actuals_hand_computed():
    """Actuals software 100, telecom 50; budget software 110, hardware 60 (new), staff 200 (new).

    software +10 (+10 %); telecom ended (-50); total 370 - 150 = +220 (+146.7 %).
    """
    actuals = pd.DataFrame({"cost_pool": ["software", "telecom"], "amount": [100.0, 50.0]})
    run = _run().assign(amount=[110.0, 60.0, 200.0])
    v = budget.variance(budget.annual_budget(run, year=2026), actuals).set_index("cost_pool")
    assert v.loc["software", "change"] == 10 and v.loc["software", "change_pct"] == 0.1
    assert v.loc["telecom", "status"] == "ended" and v.loc["telecom", "change"] == -50
    assert v.loc["hardware", "status"] == "new" and np.isnan(v.loc["hardware", "change_pct"])
    assert v.loc["total", "change"] == 220
    assert v.loc["total", "change_pct"] == pytest.approx(220 / 150)


@pytest.mark.parametrize("change, match", [
    (lambda d: d.assign(category=["run", "keep", "run"]), r"run_costs, row 2, column 'category'"),
    (lambda d: d.assign(expense_type=["opex", "capital", "opex"]),
     r"run_costs, row 2, column 'expense_type'"),
    (lambda d: d.assign(amount=[1.0, -1.0, 1.0]), r"run_costs, row 2, column 'amount'"),
    (lambda d: d.drop(columns="tower"), r"run_costs: missing column.*'tower'"),
])
def test_annual_budget_bad_run_costs(change, match):
    with pytest.raises(InputError, match=match):
        budget.annual_budget(change(_run()), year=2026)


def test_annual_budget_bad_projects():
    spend = pd.DataFrame({"initiative": ["crm"], "year": [2026], "cost": [1.0]})
    with pytest.raises(InputError, match=r"initiatives, row 1, column 'capex_share'"):
        budget.annual_budget(_run(), year=2026, projects=spend,
                             initiatives=pd.DataFrame({"initiative": ["crm"],
                                                       "capex_share": [1.5]}))
    with pytest.raises(InputError, match=r"projects, row 1, column 'initiative': unknown"):
        budget.annual_budget(_run(), year=2026, projects=spend,
                             initiatives=pd.DataFrame({"initiative": ["erp"]}))
    with pytest.raises(InputError, match=r"^budget: got DataFrame"):
        budget.variance(_run(), _run())


@pytest.mark.parametrize("func, args", [
    (budget.allocate, lambda: (pd.DataFrame({"p": ["a"], "amount": [1.0]}),
                               pd.DataFrame({"p": ["a"], "q": ["b"], "weight": [1.0]}))),
    (budget.annual_budget, lambda: (_run(),)),
    (budget.variance, lambda: (budget.annual_budget(_run(), year=2026),
                               pd.DataFrame({"cost_pool": ["software"], "amount": [1.0]}))),
    (budget.chargeback, _tbm_case),
])
def test_every_declared_argument_refuses_invalid_values(func, args):
    declared = constraints_of(func)
    assert declared
    good = {"allocate": {"source_column": "p", "target_column": "q"},
            "annual_budget": {"year": 2026}}.get(func.__name__, {})
    for name, bad in all_invalid(declared):
        kwargs = {**good, name: bad}
        with pytest.raises(InputError, match=rf"^{name}"):
            func(*args(), **kwargs)


# --------------------------------------------------------------------------- sample data


def test_sample_data_smoke():
    """The shipped sample: six business units, every cent accounted for, one unallocated tower."""
    read = {n: pd.read_csv(DATA / f"{n}.csv") for n in
            ("actuals", "pool_to_tower", "tower_to_service", "services", "drivers")}
    assert len(read["drivers"]) == 6
    pools = read["actuals"].groupby("cost_pool", as_index=False)["amount"].sum()
    cb = budget.chargeback(pools, read["pool_to_tower"], read["tower_to_service"],
                           read["services"], read["drivers"])
    s = cb.summary.iloc[0]
    assert s["allocated_minor"] + s["unallocated_minor"] == s["total_minor"]
    assert cb.unallocated["item"].tolist() == ["innovation lab"]
    b = budget.annual_budget(read["actuals"], year=2026, escalation=0.03)
    assert b.summary["total"].iloc[0] == pytest.approx(read["actuals"]["amount"].sum() * 1.03)


def test_an_empty_driver_cell_and_a_repeated_initiative_are_refused():
    """A reviewer's cases: an empty consumption cell counted as zero use and moved EUR 3.4M of
    Supply chain's charge to other units; a repeated initiative with conflicting capex shares
    was resolved by row order (capex 0 or 1,000 depending on which row came first)."""
    pools, p2t, t2s, services, drivers = _tbm_case()
    driver = [c for c in drivers.columns if c != "business_unit"][-1]
    drivers = drivers.assign(**{driver: drivers[driver].astype(float)})
    drivers.loc[drivers.index[1], driver] = np.nan
    with pytest.raises(InputError, match=rf"drivers.csv, row 2, column '{driver}': "
                                         r"the cell is empty"):
        budget.chargeback(pools, p2t, t2s, services, drivers, drivers_source="drivers.csv")
    run = pd.DataFrame({"item": ["a"], "cost_pool": ["staff"], "tower": ["compute"],
                        "amount": [100.0]})
    spend = pd.DataFrame({"initiative": ["crm"], "year": [2026], "cost": [1000.0]})
    info = pd.DataFrame({"initiative": ["crm", "crm"], "capex_share": [0.0, 1.0],
                         "useful_life": [5, 5]})
    with pytest.raises(InputError, match=r"initiatives.csv, row 2, column 'initiative': 'crm' "
                                         r"appears again; expected one row per initiative"):
        budget.annual_budget(run, year=2026, projects=spend, initiatives=info,
                             initiatives_source="initiatives.csv")


# --------------------------------------------------------------------------- the budget year


def _roadmap_spend():
    """A roadmap spending in 2026 to 2028 (the years the budget can draw its spend from)."""
    return pd.DataFrame({"initiative": ["crm", "crm", "erp"], "year": [2026, 2027, 2028],
                         "cost": [50.0, 40.0, 30.0]})


def test_a_budget_year_the_inputs_do_not_cover_is_refused():
    """A reviewer's case: budget_year=2035 gave a budget with the roadmap's spend gone (the
    roadmap runs 2026-2030) and last year's run costs grown by one year only. The year must be
    the one after the actuals and a year of the roadmap's spend."""
    run, spend = _run(), _roadmap_spend()
    with pytest.raises(InputError, match=r"^budget_year: got 2035; expected 2026, the year "
                                         r"after the actuals \(2025\) and a year of the "
                                         r"roadmap \(2026 to 2028\)$"):
        budget.annual_budget(run, year=2035, projects=spend, actuals_year=2025,
                             projects_source="the roadmap", year_source="budget_year")
    with pytest.raises(InputError, match=r"^year: got 2027; expected 2026, the year after "
                                         r"the actuals \(2025\) and a year of projects"):
        budget.annual_budget(run, year=2027, projects=spend, actuals_year=2025)
    with pytest.raises(InputError, match=r"^year: got 2029; expected a year of projects "
                                         r"\(2026 to 2028\)$"):
        budget.annual_budget(run, year=2029, projects=spend)
    with pytest.raises(InputError, match=r"^year: got 2025; expected 2026, the year after "
                                         r"the actuals \(2025\)$"):
        budget.annual_budget(run, year=2025, actuals_year=2025)
    with pytest.raises(InputError, match=r"^year: got 2030; expected the year after the "
                                         r"actuals \(2029\) and a year of projects \(2026 to "
                                         r"2028\), but 2030 is not one: check actuals_year"):
        budget.annual_budget(run, year=2030, projects=spend, actuals_year=2029)
    # the years the inputs speak about are accepted
    b = budget.annual_budget(run, year=2026, projects=spend, actuals_year=2025)
    assert b.summary["total"].iloc[0] == pytest.approx(360.0 + 50.0)
    for year in (2026, 2027, 2028):  # without actuals_year, any year of the roadmap
        assert budget.annual_budget(run, year=year, projects=spend).year == year
    assert budget.annual_budget(run, year=2040).year == 2040  # nothing to check it against


def test_a_year_counted_from_now_is_refused_where_a_calendar_year_is_meant():
    """``year=1`` meant as "next year", a roadmap spend table in project years (0, 1, 2) and a
    useful life typed as the year of purchase were taken as they are."""
    run = _run()
    hint = "which looks like a year counted from 0 = now; expected a calendar year such as 2026"
    with pytest.raises(InputError, match=rf"^year: got 1, {hint}"):
        budget.annual_budget(run, year=1)
    with pytest.raises(InputError, match=rf"^actuals_year: got 0, {hint}"):
        budget.annual_budget(run, year=2026, actuals_year=0)
    offsets = _roadmap_spend().assign(year=[0, 1, 2])
    with pytest.raises(InputError, match=rf"^projects, row 1, column 'year': got 0, {hint}"):
        budget.annual_budget(run, year=2026, projects=offsets)
    with pytest.raises(InputError, match=r"^capex, row 1, column 'year': got 2"):
        budget.depreciation_schedule(pd.DataFrame({"item": ["a"], "year": [2], "amount": [1.0],
                                                   "useful_life": [3]}))
    with pytest.raises(InputError, match=r"^run_costs, row 2, column 'useful_life': got 2026; "
                                         r"expected a value of at most 50"):
        budget.annual_budget(run.assign(useful_life=[None, 2026, None]), year=2026)
    with pytest.raises(InputError, match=r"^initiatives, row 1, column 'useful_life': got 2026"):
        budget.annual_budget(run, year=2026, projects=_roadmap_spend(),
                             initiatives=pd.DataFrame({"initiative": ["crm", "erp"],
                                                       "useful_life": [2026, 5]}))
