"""Tests of btm.benchmark: hand-worked positions, scipy.stats.norm as oracle, properties.

Independent sources: ``scipy.stats.norm`` (a symmetric peer group, p25 / median / p75 placed
at a normal's quartiles, must give that normal's CDF; a skewed one each half's normal) and
ratios and size normalisation worked by hand in the docstrings.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from btm import InputError, benchmark
from btm.constraints import all_invalid, constraints_of

DATA = Path(benchmark.__file__).resolve().parent / "data" / "it_benchmarking"


def _ix(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """Index by a text column (as str, so pandas 2 with future string inference keeps quiet)."""
    return df.set_index(df[column].astype(str))


def _peers(rows: list[tuple], **extra) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["metric", "p25", "median", "p75", "better"])
    return df.assign(industry="Manufacturing", size_band="mid", **extra)


def _org(**values) -> pd.DataFrame:
    return pd.DataFrame({"metric": list(values), "value": list(values.values())})


# --------------------------------------------------------------------------- percentile


def test_quartiles_map_to_25_50_75_exactly():
    pct = benchmark.peer_percentile([8.0, 10.0, 15.0], 8.0, 10.0, 15.0)
    np.testing.assert_allclose(pct, [25, 50, 75])


def test_symmetric_peer_group_is_a_normal_from_scipy():
    """Quartiles of N(100, 15): 100 -/+ 15 * 0.67449; percentile = 100 * norm.cdf(x)."""
    dist = stats.norm(100, 15)
    q1, q3 = dist.ppf([0.25, 0.75])
    x = np.array([60, 80, 95, 100, 103, 120, 150])
    np.testing.assert_allclose(benchmark.peer_percentile(x, q1, 100, q3), 100 * dist.cdf(x))


def test_skewed_peer_group_uses_each_sides_normal():
    """p25 = 4000, median = 5500, p75 = 7500: below the median sigma = 1500 / 0.67449,
    above it sigma = 2000 / 0.67449 (scipy.stats.norm.ppf(0.75) = 0.67449)."""
    z = stats.norm.ppf(0.75)
    low = 100 * stats.norm.cdf(3000, 5500, 1500 / z)
    high = 100 * stats.norm.cdf(9000, 5500, 2000 / z)
    np.testing.assert_allclose(benchmark.peer_percentile([3000, 9000], 4000, 5500, 7500),
                               [low, high])


def test_zero_spread_side():
    np.testing.assert_allclose(benchmark.peer_percentile([4, 5, 6, 8], 5, 5, 8),
                               [0, 50, 100 * stats.norm.cdf(stats.norm.ppf(0.75) / 3), 75])
    np.testing.assert_allclose(benchmark.peer_percentile([1, 2, 3], 2, 2, 2), [0, 50, 100])


@given(
    q=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=3, max_size=3),
    xs=st.lists(st.floats(-2e6, 2e6, allow_nan=False), min_size=2, max_size=2),
)
def test_percentile_is_monotone_and_bounded(q, xs):
    q1, m, q3 = sorted(q)
    lo, hi = sorted(xs)
    a, b = benchmark.peer_percentile([lo, hi], q1, m, q3)
    assert 0 <= a <= b <= 100


# --------------------------------------------------------------------------- ratios


def test_ratios_hand_computed():
    """IT spend 4.95 M, revenue 185 M, 640 employees, 590 users, run 3.96 M, service desk
    455 k for 8 900 tickets, 16 IT FTE:
      share of revenue 4.95 / 185 = 0.026757; per employee 4 950 000 / 640 = 7 734.375;
      run share 3.96 / 4.95 = 0.8; cost per ticket 455 000 / 8 900 = 51.1236;
      IT staff per 100 employees 100 * 16 / 640 = 2.5.
    """
    org = _org(it_spend=4.95e6, revenue=185e6, employees=640, it_users=590, run_spend=3.96e6,
               service_desk_cost=455e3, service_desk_tickets=8900, it_fte=16)
    out = benchmark.add_ratios(org).pipe(_ix, "metric")
    assert out.loc["it_spend_share_of_revenue", "value"] == pytest.approx(0.0267568, rel=1e-5)
    assert out.loc["it_spend_per_employee", "value"] == pytest.approx(7734.375)
    assert out.loc["run_share", "value"] == pytest.approx(0.8)
    assert out.loc["service_desk_cost_per_ticket", "value"] == pytest.approx(51.12360, rel=1e-6)
    assert out.loc["it_staff_per_100_employees", "value"] == pytest.approx(2.5)
    assert out.loc["it_spend_per_employee", "derived"]
    assert not out.loc["it_spend", "derived"]
    assert "grow_share" not in out.index  # no grow_spend given


def test_given_ratio_wins_over_derived():
    out = benchmark.add_ratios(_org(it_spend=1e6, employees=100, it_spend_per_employee=9999))
    assert out.pipe(_ix, "metric").loc["it_spend_per_employee", "value"] == 9999
    assert len(out) == 3


# --------------------------------------------------------------------------- compare


def test_flags_readings_and_gaps_hand_worked():
    """Three metrics, peers (p25, median, p75):
      run_share 0.80 vs (0.64, 0.70, 0.76), lower is better -> above Q3, unfavourable,
        gap to median +0.10 (+14.29 %), outside by +0.04;
      availability 0.9961 vs (0.995, 0.9975, 0.999), higher better -> Q1 to median, in range;
      transform_share 0.05 vs (0.07, 0.11, 0.15), higher better -> below Q1, unfavourable;
      tickets_per_user 8 vs (11, 14, 18), lower better -> below Q1, favourable (still flagged).
    """
    org = _org(run_share=0.80, availability=0.9961, transform_share=0.05, tickets_per_user=8,
               employees=500)
    peers = _peers([("run_share", 0.64, 0.70, 0.76, "lower"),
                    ("availability", 0.995, 0.9975, 0.999, "higher"),
                    ("transform_share", 0.07, 0.11, 0.15, "HIGHER"),
                    ("tickets_per_user", 11, 14, 18, "lower"),
                    ("projects_on_time", 0.5, 0.6, 0.7, "higher")])
    res = benchmark.compare(org, peers, industry="Manufacturing", size_band="mid")
    p = res.positions.pipe(_ix, "metric")
    assert p.loc["run_share", "position"] == "above Q3"
    assert p.loc["run_share", "reading"] == "unfavourable"
    assert p.loc["run_share", "gap_to_median"] == pytest.approx(0.10)
    assert p.loc["run_share", "gap_to_median_pct"] == pytest.approx(0.10 / 0.70)
    assert p.loc["run_share", "outside_iqr_by"] == pytest.approx(0.04)
    assert p.loc["availability", "position"] == "Q1 to median"
    assert not p.loc["availability", "attention"]
    assert p.loc["availability", "reading"] == "within range"
    assert p.loc["transform_share", "reading"] == "unfavourable"
    assert p.loc["transform_share", "outside_iqr_by"] == pytest.approx(-0.02)
    assert p.loc["tickets_per_user", "reading"] == "favourable"
    assert p["attention"].sum() == 3
    nc = res.not_compared.pipe(_ix, "metric")["reason"].to_dict()
    assert nc == {"employees": "no peer figure", "projects_on_time": "organisation has no value"}


def test_size_normalisation_hand_worked():
    """IT spend EUR 4.95 M for 640 employees; the typical peer has 950 employees, so the
    organisation scaled to the peer's size spends 4.95 M * 950 / 640 = 7 347 656.25; against
    peers (4.94 M, 6.555 M, 8.645 M) that is between median and Q3, the same percentile as
    spend per employee 7 734.375 against (5 200, 6 900, 9 100) (both quartile sets are the
    per-employee ones times 950)."""
    org = _org(it_spend=4.95e6, employees=640)
    peers = _peers([("it_spend", 4.94e6, 6.555e6, 8.645e6, "neither"),
                    ("it_spend_per_employee", 5200, 6900, 9100, "neither")],
                   scales_with=["employees", None], peer_size=[950, None])
    p = benchmark.compare(org, peers, industry="manufacturing ", size_band="MID").positions
    p = p.pipe(_ix, "metric")
    assert p.loc["it_spend", "normalised_value"] == pytest.approx(7_347_656.25)
    assert p.loc["it_spend", "size_factor"] == pytest.approx(950 / 640)
    assert p.loc["it_spend_per_employee", "size_factor"] == 1
    assert p.loc["it_spend", "percentile"] == pytest.approx(
        p.loc["it_spend_per_employee", "percentile"])
    assert p.loc["it_spend", "value"] == 4.95e6


# --------------------------------------------------------------------------- bad input


def test_bad_organisation_tables_name_the_row():
    with pytest.raises(InputError, match=r"organisation, row 2, column 'value': the cell is empty"):
        benchmark.add_ratios(pd.DataFrame({"metric": ["a", "b"], "value": [1, None]}))
    with pytest.raises(InputError, match=r"org.csv, row 1, column 'value': got 'lots'"):
        benchmark.add_ratios(pd.DataFrame({"metric": ["a"], "value": ["lots"]}), source="org.csv")
    split = _org(it_spend=100.0, run_spend=70.0, grow_spend=20.0, transform_spend=5.0)
    with pytest.raises(InputError, match=r"row 1, column 'value': got 100, but run \+ grow \+ "
                                         r"transform spend add up to 95"):
        benchmark.add_ratios(split)
    with pytest.raises(InputError, match=r"organisation, row 2, column 'value': got 0; "
                                         r"expected a non-zero employees"):
        benchmark.add_ratios(_org(it_spend=1e6, employees=0))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"median": [9.0]}, r"peers, row 1, column 'p75': got 8; expected a value of at least "
                            r"median \(9\)"),
        ({"better": ["smaller"]}, r"peers, row 1, column 'better': got 'smaller'"),
        ({"p25": [None]}, r"peers, row 1, column 'p25': the cell is empty"),
        ({"scales_with": ["employees"]}, r"peers, row 1, column 'peer_size': the cell is empty; "
                                         r"expected a positive size of the typical peer in "
                                         r"'employees'"),
        ({"scales_with": ["employees"], "peer_size": [-5.0]},
         r"peers, row 1, column 'peer_size': got -5; expected a positive size"),
    ],
)
def test_bad_peer_tables_name_row_and_column(change, message):
    peers = _peers([("tickets_per_user", 5.0, 6.0, 8.0, "lower")]).assign(**change)
    with pytest.raises(InputError, match=message):
        benchmark.compare(_org(tickets_per_user=7), peers, industry="Manufacturing",
                          size_band="mid")


def test_duplicate_peer_row():
    peers = _peers([("a", 1, 2, 3, "lower"), ("A", 1, 2, 3, "lower")])
    with pytest.raises(InputError, match=r"peers, row 2, column 'metric': got 'A'"):
        benchmark.validate_peers(peers)


def test_unknown_peer_group_and_size_driver():
    peers = _peers([("it_fte", 8, 10, 12, "neither")], scales_with="headcount", peer_size=200)
    org = _org(it_fte=10)
    with pytest.raises(InputError, match=r"industry: got 'Banking'; expected one of "
                                         r"'Manufacturing'"):
        benchmark.compare(org, peers, industry="Banking", size_band="mid")
    with pytest.raises(InputError, match=r"size_band: got 'huge'; expected one of the size "
                                         r"bands of 'Manufacturing': 'mid'"):
        benchmark.compare(org, peers, industry="Manufacturing", size_band="huge")
    with pytest.raises(InputError, match=r"peers, row 1, column 'scales_with': got 'headcount'; "
                                         r"expected a metric of the organisation table"):
        benchmark.compare(org, peers, industry="Manufacturing", size_band="mid")
    with pytest.raises(InputError, match=r"organisation: no metric in common"):
        benchmark.compare(_org(other=1), peers, industry="Manufacturing", size_band="mid")


@pytest.mark.parametrize("func", [benchmark.compare, benchmark.add_ratios,
                                  benchmark.validate_peers, benchmark.validate_organisation])
def test_every_declared_constraint_refuses_its_invalid_values(func):
    org = _org(tickets_per_user=7)
    peers = _peers([("tickets_per_user", 5.0, 6.0, 8.0, "lower")])
    args = {benchmark.compare: (org, peers), benchmark.validate_peers: (peers,)}.get(func, (org,))
    base = ({"industry": "Manufacturing", "size_band": "mid"}
            if func is benchmark.compare else {})
    declared = constraints_of(func)
    assert declared
    for name, bad in all_invalid(declared):
        with pytest.raises(InputError, match=rf"^{name}"):
            func(*args, **dict(base, **{name: bad}))


def test_inputs_are_not_modified():
    org = _org(it_spend=1e6, employees=100)
    peers = _peers([("it_spend_per_employee", 5000, 7000, 9000, "Neither")])
    before_o, before_p = org.copy(), peers.copy()
    benchmark.compare(org, peers, industry="Manufacturing", size_band="mid")
    pd.testing.assert_frame_equal(org, before_o)
    pd.testing.assert_frame_equal(peers, before_p)


def test_sample_data_smoke():
    org = pd.read_csv(DATA / "organisation.csv")
    peers = pd.read_csv(DATA / "peers_illustrative.csv")
    res = benchmark.compare(org, peers, industry="Manufacturing", size_band="500-1999")
    assert len(res.positions) >= 12
    assert res.positions["attention"].any() and not res.positions["attention"].all()
    assert res.positions["percentile"].between(0, 100).all()


# --------------------------------------------------------------------------- percentages, signs


@pytest.mark.parametrize(
    ("org", "message"),
    [
        # 58 meant 58 %: read as 58 it said "First-contact resolution 5800%"
        (pd.DataFrame({"metric": ["first_contact_resolution"], "value": [58],
                       "unit": ["fraction"]}),
         r"^org.csv, row 1 \(metric 'first_contact_resolution'\), column 'value': got 58, "
         r"which looks like a percentage; expected a fraction such as 0.58$"),
        # a share given as such is a fraction whatever its unit says
        (_org(employees=100, run_share=80),
         r"^org.csv, row 2 \(metric 'run_share'\), column 'value': got 80, which looks like a "
         r"percentage; expected a fraction such as 0.8$"),
        # negative amounts and counts: it said "IT spend / revenue -2.7%"
        (_org(revenue=1e8, it_spend=-2.7e6),
         r"^org.csv, row 2 \(metric 'it_spend'\), column 'value': got -2.7e\+06; expected a "
         r"value of at least 0"),
        (_org(it_spend=1e6, run_spend=-1e5, grow_spend=8e5, transform_spend=3e5),
         r"^org.csv, row 2 \(metric 'run_spend'\), column 'value': got -100000; expected a "
         r"value of at least 0"),
        (_org(employees=-640), r"^org.csv, row 1 \(metric 'employees'\), column 'value': "
                               r"got -640"),
        (_org(it_fte=-3), r"^org.csv, row 1 \(metric 'it_fte'\)"),
        (_org(it_users=-1), r"^org.csv, row 1 \(metric 'it_users'\)"),
        (_org(service_desk_tickets=-10), r"^org.csv, row 1 \(metric 'service_desk_tickets'\)"),
    ],
)
def test_percentages_and_negative_figures_are_refused(org, message):
    with pytest.raises(InputError, match=message):
        benchmark.validate_organisation(org, source="org.csv")


def test_the_peer_unit_says_a_figure_is_a_fraction():
    """Without a unit in the organisation table the peer table's 'fraction' (which wins,
    README) makes 58 a percentage; the peers' own quartiles are checked the same way."""
    peers = _peers([("availability", 0.995, 0.9975, 0.999, "higher")], unit="fraction")
    with pytest.raises(InputError, match=r"^organisation, row 1 \(metric 'availability'\), "
                                         r"column 'value': got 99.6, which looks like a "
                                         r"percentage; expected a fraction such as 0.996"):
        benchmark.compare(_org(availability=99.6), peers, industry="Manufacturing",
                          size_band="mid")
    bad = peers.assign(p75=[99.9])
    with pytest.raises(InputError, match=r"^peers, row 1 \(metric 'availability'\), column "
                                         r"'p75': got 99.9, which looks like a percentage"):
        benchmark.validate_peers(bad)
    with pytest.raises(InputError, match=r"^peers, row 1 \(metric 'it_fte'\), column 'p25': "
                                         r"got -1"):
        benchmark.validate_peers(_peers([("it_fte", -1.0, 2.0, 3.0, "neither")]))


def test_fractions_zero_to_one_and_other_signed_metrics_pass():
    """0 and 1 are fractions; a metric the user adds without a fraction unit may be negative
    (a budget variance); a user fraction may be negative but not a percentage."""
    org = pd.DataFrame({"metric": ["availability", "projects_on_time", "budget_variance",
                                   "cost_trend"], "value": [1.0, 0.0, -120_000.0, -0.05],
                        "unit": ["fraction", "fraction", "EUR", "fraction"]})
    out = benchmark.validate_organisation(org)
    assert out["value"].tolist() == [1.0, 0.0, -120_000.0, -0.05]


# --------------------------------------------------------------------------- metric names


def test_metric_names_match_ignoring_case_as_industry_and_size_band_do():
    """An 'IT_FTE' row was silently not compared (14 metrics instead of 16, only
    not_compared.csv said so); now it is it_fte, derives IT staff per 100 employees and is
    compared at peer size: 16 / 640 * 950 = 23.75 FTE (hand-worked)."""
    org = pd.read_csv(DATA / "organisation.csv")
    peers = pd.read_csv(DATA / "peers_illustrative.csv")
    same = benchmark.compare(org, peers, industry="Manufacturing", size_band="500-1999")
    org = org.assign(metric=org["metric"].replace({"it_fte": "IT_FTE",
                                                   "availability": "Availability"}))
    res = benchmark.compare(org, peers, industry="Manufacturing", size_band="500-1999")
    assert len(res.positions) == len(same.positions) == 16
    assert res.positions["metric"].tolist() == same.positions["metric"].tolist()
    assert res.not_compared["metric"].tolist() == same.not_compared["metric"].tolist()
    p = _ix(res.positions, "metric")
    assert p.loc["it_fte", "normalised_value"] == pytest.approx(16 / 640 * 950)
    assert p.loc["it_staff_per_100_employees", "value"] == pytest.approx(100 * 16 / 640)
    assert p.loc["availability", "value"] == 0.9961
    pd.testing.assert_frame_equal(res.positions, same.positions)


def test_names_differing_only_in_case_are_one_metric():
    with pytest.raises(InputError, match=r"^organisation, row 2, column 'metric': got 'IT_FTE'; "
                                         r"expected each metric once"):
        benchmark.validate_organisation(_org(it_fte=16, IT_FTE=17))
    with pytest.raises(InputError, match=r"^peers, row 2, column 'metric': got 'Run_Share'"):
        benchmark.validate_peers(_peers([("run_share", 0.6, 0.7, 0.8, "lower"),
                                         ("Run_Share", 0.6, 0.7, 0.8, "lower")]))
    # a peer table's own spelling of a metric btm does not know is kept, and matched
    peers = _peers([("NPS", 20.0, 30.0, 40.0, "higher"), ("IT_Spend", 1e6, 2e6, 3e6, "neither")],
                   scales_with=[None, "Employees"], peer_size=[None, 500.0])
    res = benchmark.compare(_org(nps=35, it_spend=2e6, employees=250),
                            peers, industry="Manufacturing", size_band="mid")
    assert res.positions["metric"].tolist() == ["NPS", "it_spend"]
    assert res.positions["normalised_value"].tolist() == [35, 4e6]
    assert res.not_compared["metric"].tolist() == ["employees", "it_spend_per_employee"]
