"""Tests of btm.validate: one message shape for every violation, inputs never modified."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import btm
from btm.validate import Column, frame, integer, number, one_of, probability, rate, rng

COLUMNS = [
    Column("option", "text"),
    Column("amount", "number", min=0),
    Column("start_year", "integer", min=0),
    Column("escalation", "number", required=False, default=0.0),
]


def good() -> pd.DataFrame:
    return pd.DataFrame(
        {"option": ["A", "B"], "amount": ["10", 2.5], "start_year": [0, 3], "note": ["x", "y"]}
    )


def test_input_error_is_a_value_error():
    assert issubclass(btm.InputError, ValueError)


def test_frame_converts_and_adds_defaults_without_touching_input():
    data = good()
    before = data.copy(deep=True)
    out = frame(data, COLUMNS, source="costs.csv")
    pd.testing.assert_frame_equal(data, before)
    assert out["amount"].tolist() == [10.0, 2.5]
    assert out["start_year"].dtype == np.int64
    assert out["escalation"].tolist() == [0.0, 0.0]
    assert out["note"].tolist() == ["x", "y"]


def test_missing_column_names_it_and_the_file():
    with pytest.raises(btm.InputError, match=r"costs.csv: missing column\(s\) 'amount'"):
        frame(good().drop(columns="amount"), COLUMNS, source="costs.csv")


@pytest.mark.parametrize(
    ("column", "value", "pattern"),
    [
        ("amount", "ten", r"costs.csv, row 2, column 'amount': got 'ten'; expected a number"),
        ("amount", None, r"row 2, column 'amount': the cell is empty"),
        ("amount", -1.0, r"row 2, column 'amount': got -1; expected a value of at least 0"),
        ("start_year", 1.5, r"row 2, column 'start_year': got 1.5; expected a whole number"),
        ("amount", np.inf, r"row 2, column 'amount': got inf; expected a finite number"),
        ("amount", True, r"row 2, column 'amount': got True; expected a number"),
        ("option", "  ", r"row 2, column 'option': the cell is empty; expected text"),
    ],
)
def test_bad_cells_name_row_and_column(column, value, pattern):
    data = good().astype({column: object})
    data.loc[1, column] = value
    with pytest.raises(btm.InputError, match=pattern):
        frame(data, COLUMNS, source="costs.csv")


def test_empty_table_and_wrong_type_refused():
    with pytest.raises(btm.InputError, match="no rows"):
        frame(good().iloc[0:0], COLUMNS)
    with pytest.raises(btm.InputError, match="expected a pandas DataFrame"):
        frame([1, 2], COLUMNS, source="costs")


def test_scalar_checks():
    assert number(3, "x") == 3.0
    assert integer(4.0, "n") == 4
    assert rate(0.0, "discount_rate") == 0.0
    with pytest.raises(btm.InputError, match="discount_rate: got 8, which looks like a percentage"):
        rate(8, "discount_rate")
    with pytest.raises(btm.InputError, match="expected a fraction of at least 0"):
        rate(-0.1, "discount_rate")
    assert rate(-0.1, "inflation", allow_negative=True) == -0.1
    with pytest.raises(btm.InputError, match="service_level: got 95, which looks like a percentage"):
        probability(95, "service_level")
    with pytest.raises(btm.InputError, match="horizon_years: got 0; expected a whole number of at least 1"):
        integer(0, "horizon_years", min=1)
    with pytest.raises(btm.InputError, match="expected one of 'pert', 'triangular'"):
        one_of("normal", "distribution", ["pert", "triangular"])
    with pytest.raises(btm.InputError, match="x: got nan; expected a finite number"):
        number(float("nan"), "x")


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_rng_is_reproducible(seed):
    assert rng(seed).random() == rng(seed).random()
