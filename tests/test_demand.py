"""Tests of btm.demand: long-format validation, frequency inference, demand classification."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from btm import InputError
from btm.demand import (
    ADI_CUTOFF,
    CV2_CUTOFF,
    classify_demand,
    infer_freq,
    season_length_for,
    validate_history,
)


def _long(series: dict[str, list[float]], start: str = "2024-01-07", freq: str = "W-SUN"
          ) -> pd.DataFrame:
    parts = [pd.DataFrame({"unique_id": k, "ds": pd.date_range(start, periods=len(v), freq=freq),
                           "y": v}) for k, v in series.items()]
    return pd.concat(parts, ignore_index=True)


# --------------------------------------------------------------------------- classification


def test_syntetos_boylan_croston_2005_cutoffs():
    """Cut-offs of Syntetos, Boylan & Croston (2005), JORS 56:495-503: p = 1.32, CV^2 = 0.49."""
    assert ADI_CUTOFF == 1.32
    assert CV2_CUTOFF == 0.49


def test_hand_worked_classification_of_four_quadrants():
    """Hand arithmetic (ADI = periods / periods with demand; CV^2 = pop. var / mean^2 of sizes).

    intermittent: [0,6,0,0,2,0,4,0]: ADI 8/3 = 2.667; sizes 6,2,4: mean 4, var (4+4+0)/3 = 8/3,
                  CV^2 = (8/3)/16 = 1/6 = 0.1667 -> ADI >= 1.32, CV^2 < 0.49.
    lumpy:        [0,0,10,0,1,0,0,1]: ADI 8/3; sizes 10,1,1: mean 4, var (36+9+9)/3 = 18,
                  CV^2 = 18/16 = 1.125.
    smooth:       [5,5,6,4,5,5,6,4]: ADI 1; mean 5, var 4/8 = 0.5, CV^2 = 0.02.
    erratic:      [1,9,1,9,1,9,1,9]: ADI 1; mean 5, var 16, CV^2 = 0.64.
    no_demand:    all zeros.
    """
    h = _long({
        "int": [0, 6, 0, 0, 2, 0, 4, 0], "lum": [0, 0, 10, 0, 1, 0, 0, 1],
        "smo": [5, 5, 6, 4, 5, 5, 6, 4], "err": [1, 9, 1, 9, 1, 9, 1, 9],
        "zero": [0] * 8,
    })
    c = classify_demand(h).set_index("unique_id")
    assert c.loc["int", "adi"] == pytest.approx(8 / 3)
    assert c.loc["int", "cv2"] == pytest.approx(1 / 6)
    assert c.loc["lum", "cv2"] == pytest.approx(1.125)
    assert c.loc["smo", "adi"] == 1.0
    assert c.loc["smo", "cv2"] == pytest.approx(0.02)
    assert c.loc["err", "cv2"] == pytest.approx(0.64)
    assert c["demand_class"].to_dict() == {
        "err": "erratic", "int": "intermittent", "lum": "lumpy", "smo": "smooth",
        "zero": "no_demand"}
    assert np.isinf(c.loc["zero", "adi"])
    assert c.loc["int", "n_demands"] == 3 and c.loc["int", "n_periods"] == 8


def test_cutoff_boundary_adi_exactly_132_is_intermittent():
    """33 periods with 25 demands of equal size: ADI = 33/25 = 1.32 exactly, CV^2 = 0.

    Syntetos et al. (2005) put p >= 1.32 in the intermittent/lumpy half."""
    y = [4.0] * 25 + [0.0] * 8
    c = classify_demand(_long({"a": y}))
    assert c["adi"].iloc[0] == pytest.approx(1.32)
    assert c["demand_class"].iloc[0] == "intermittent"
    assert classify_demand(_long({"a": [4.0] * 26 + [0.0] * 7}))["demand_class"].iloc[0] == (
        "smooth")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=50), min_size=3, max_size=40))
def test_cv2_matches_scipy_variation(values):
    """CV^2 equals scipy.stats.variation(sizes) ** 2 (population sd / mean) of non-zero sizes."""
    from scipy.stats import variation

    c = classify_demand(_long({"a": values})).iloc[0]
    sizes = np.array([v for v in values if v > 0], dtype=float)
    if len(sizes) == 0:
        assert c["demand_class"] == "no_demand"
        return
    assert c["adi"] == pytest.approx(len(values) / len(sizes))
    expected = variation(sizes) ** 2 if len(sizes) >= 2 else 0.0
    assert c["cv2"] == pytest.approx(expected, abs=1e-12)
    quadrant = (c["adi"] >= ADI_CUTOFF, c["cv2"] >= CV2_CUTOFF)
    assert c["demand_class"] == {(False, False): "smooth", (False, True): "erratic",
                                 (True, False): "intermittent", (True, True): "lumpy"}[quadrant]


# --------------------------------------------------------------------------- frequency


@pytest.mark.parametrize(("freq", "expected", "season"), [
    ("W-SUN", "W-SUN", 52), ("W-WED", "W-WED", 52), ("D", "D", 7), ("MS", "MS", 12),
    ("ME", "ME", 12), ("QS-JAN", "QS-JAN", 4), ("h", "h", 24),
])
def test_infer_freq_and_season_length(freq, expected, season):
    """The inferred frequency rebuilds the same dates as pandas.infer_freq's answer does."""
    h = _long({"a": [1.0] * 10}, start="2024-01-03" if "W" in freq else "2024-01-01", freq=freq)
    if freq == "ME":
        h = _long({"a": [1.0] * 10}, start="2024-01-31", freq="ME")
    got = infer_freq(h)
    assert got == expected
    ds = pd.DatetimeIndex(h["ds"])
    ref = pd.DatetimeIndex(ds, freq="infer").freqstr  # pandas' own inference (infer_freq warns on 3.1)
    assert ref is not None
    assert pd.date_range(ds[0], periods=len(ds), freq=got).equals(
        pd.date_range(ds[0], periods=len(ds), freq=ref))
    assert season_length_for(got) == season


def test_infer_freq_needs_two_dates():
    with pytest.raises(InputError, match="freq"):
        validate_history(pd.DataFrame({"unique_id": ["a"], "ds": ["2024-01-01"], "y": [1]}))
    # with freq given a single-row SKU is fine
    assert len(validate_history(pd.DataFrame({"unique_id": ["a"], "ds": ["2024-01-01"],
                                              "y": [1]}), freq="D")) == 1


# --------------------------------------------------------------------------- validation


def test_validate_returns_sorted_clean_copy_and_leaves_input_alone():
    h = pd.DataFrame({"unique_id": ["b", "a", "a"], "ds": ["2024-01-14", "2024-01-14",
                                                          "2024-01-07"],
                      "y": ["3", 2, 1], "extra": [1, 2, 3]})
    before = h.copy()
    out = validate_history(h)
    pd.testing.assert_frame_equal(h, before)
    assert list(out.columns) == ["unique_id", "ds", "y"]
    assert out["unique_id"].tolist() == ["a", "a", "b"]
    assert out["y"].tolist() == [1.0, 2.0, 3.0]
    assert out.attrs["freq"] == "W-SUN"


def test_fill_gaps_matches_utilsforecast_fill_gaps():
    """Zero-filling of missing periods agrees with utilsforecast.preprocessing.fill_gaps."""
    from utilsforecast.preprocessing import fill_gaps

    h = _long({"a": [1, 2, 3, 4, 5, 6], "b": [7, 8, 9]}).drop(index=[2, 3, 7])
    ours = validate_history(h, fill_gaps=True)
    ref = fill_gaps(h, freq="W-SUN", start="per_serie", end="per_serie").fillna({"y": 0})
    ref = ref.sort_values(["unique_id", "ds"], ignore_index=True)
    assert ours["ds"].tolist() == ref["ds"].tolist()
    assert ours["y"].tolist() == ref["y"].astype(float).tolist()
    assert ours["y"].tolist() == [1.0, 2.0, 0.0, 0.0, 5.0, 6.0, 7.0, 0.0, 9.0]


@pytest.mark.parametrize(("change", "match"), [
    (lambda h: h.drop(columns="y"), "missing column.*'y'"),
    (lambda h: h.drop(columns="unique_id"), "missing column.*'unique_id'"),
    (lambda h: h.assign(y=h["y"].where(h.index != 4, np.nan)),
     r"row 5 \(unique_id 'b'.*column 'y': the demand is empty"),
    (lambda h: h.assign(y=h["y"].astype(object).where(h.index != 1, "ten")),
     r"row 2 \(unique_id 'a'.*got 'ten'"),
    (lambda h: h.assign(y=h["y"].where(h.index != 5, -2.0)),
     r"row 6 \(unique_id 'b'.*got -2.0; expected demand of at least 0"),
    (lambda h: h.assign(y=h["y"].where(h.index != 0, np.inf)), "row 1 .*finite"),
    (lambda h: h.assign(y=h["y"].astype(object).where(h.index != 0, True)), "row 1 .*got True"),
    (lambda h: pd.concat([h, h.iloc[[3]]], ignore_index=True),
     r"rows 4, 7 \(unique_id 'b', ds 2024-01-07\): the same SKU and date"),
    (lambda h: h.drop(index=1), r"unique_id 'a': period 2024-01-14 is missing"),
    (lambda h: h.assign(ds=h["ds"].where(h.index != 2, pd.Timestamp("2024-01-22"))),
     "unique_id 'a': date 2024-01-22 is not on the W-SUN grid"),
    (lambda h: h.assign(ds=h["ds"].astype(object).where(h.index != 0, "soon")),
     "row 1, column 'ds'"),
    (lambda h: h.iloc[0:0], "no rows"),
])
@pytest.mark.filterwarnings("ignore:Could not infer format")
def test_bad_history_raises_input_error_naming_sku_or_row(change, match):
    h = _long({"a": [1.0, 2.0, 3.0], "b": [4.0, 5.0, 6.0]})
    with pytest.raises(InputError, match=match):
        validate_history(change(h))


def test_bad_freq_and_type():
    h = _long({"a": [1.0, 2.0, 3.0]})
    with pytest.raises(InputError, match="freq: got 'fortnightly'"):
        validate_history(h, freq="fortnightly")
    with pytest.raises(InputError, match="history: got list"):
        validate_history([1, 2, 3])
    with pytest.raises(InputError, match="fill_gaps"):
        validate_history(h, fill_gaps="yes")
    with pytest.raises(InputError, match="not on the W-MON grid"):
        validate_history(h, freq="W-MON")


def test_fill_gaps_and_cutoffs_are_declared():
    """Issue 6: fill_gaps is a flag and the Syntetos-Boylan cut-offs are numbers >= 0."""
    h = pd.DataFrame({"unique_id": "A", "ds": pd.date_range("2024-01-07", periods=4,
                                                            freq="W-SUN"), "y": [1, 0, 2, 3]})
    with pytest.raises(InputError, match=r"^fill_gaps: got 'yes' \(str\); expected true or false"):
        validate_history(h, fill_gaps="yes")
    with pytest.raises(InputError, match=r"^adi_cutoff: got -1; expected a number of at least 0"):
        classify_demand(h, adi_cutoff=-1)
