"""Tests of btm.validate: one message shape for every violation, inputs never modified."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import btm
from btm.validate import (
    Column,
    Jobs,
    check_array,
    frame,
    integer,
    number,
    one_of,
    probability,
    rate,
    rng,
)

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


# --------------------------------------------------------------------------- one vocabulary


def test_scalar_helpers_are_the_constraints_of_btm_constraints():
    """validate.rate/probability/number/integer/one_of/rng give exactly the messages of the
    constraint objects (the percentage hint is written once, in btm.constraints)."""
    from btm.constraints import Interval, Options, Probability, Rate, Seed

    cases = [
        (lambda: rate(12.5, "r"), lambda: Rate().check(12.5, "r")),
        (lambda: rate(-2, "r", allow_negative=True), lambda: Rate(True).check(-2, "r")),
        (lambda: probability(95, "p"), lambda: Probability().check(95, "p")),
        (lambda: probability(1, "p"), lambda: Probability().check(1, "p")),
        (lambda: number(-1, "x", min=0, min_inclusive=False),
         lambda: Interval(float, 0, closed="right").check(-1, "x")),
        (lambda: integer(2.5, "n", min=1), lambda: Interval(int, 1).check(2.5, "n")),
        (lambda: one_of("x", "m", ["a", "b"]), lambda: Options(("a", "b")).check("x", "m")),
        (lambda: rng(-1), lambda: Seed().check(-1, "seed")),
    ]
    for helper, constraint in cases:
        with pytest.raises(btm.InputError) as a:
            helper()
        with pytest.raises(btm.InputError) as b:
            constraint()
        assert str(a.value) == str(b.value)
    assert probability(1, "p", include_high=True) == 1.0


def test_check_array_reports_the_first_bad_element_as_the_scalar_check_would():
    from btm.constraints import Interval, Probability, Rate

    assert check_array(0.5, "x", Probability()).shape == ()
    with pytest.raises(btm.InputError, match=r"^service_level\[1\]: got 95, which looks like a "
                                             r"percentage; expected a value strictly between"):
        check_array([0.9, 95, 2], "service_level", Probability())
    sd = pd.Series([1.0, -2.0], index=["A", "B"])
    with pytest.raises(btm.InputError, match=r"^demand_std\['B'\]: got -2; expected a number "
                                             r"of at least 0$"):
        check_array(sd, "demand_std", Interval(float, 0))
    with pytest.raises(btm.InputError, match=r"^x\[1, 0\]: got 1.5; expected a whole number"):
        check_array(np.array([[1.0, 2.0], [1.5, 3.0]]), "x", Interval(int, 1))
    with pytest.raises(btm.InputError, match=r"^r\[0\]: got 8, which looks like a percentage"):
        check_array([8.0], "r", Rate())
    with pytest.raises(btm.InputError, match=r"^x\[2\]: got nan; expected a finite number"):
        check_array([1.0, 2.0, np.nan], "x")
    with pytest.raises(btm.InputError, match=r"^x: got a DataFrame; expected a number"):
        check_array(pd.DataFrame({"a": [1]}), "x")
    for bad in ("0.9", True, None, ["a"]):
        with pytest.raises(btm.InputError, match=r"^x: got"):
            check_array(bad, "x")
    with pytest.raises(btm.InputError, match=r"^table, row 3: got 2"):
        check_array([0.5, 0.5, 2.0], "p", Probability(), where=lambda pos: f"table, row {pos[0] + 1}")
    assert check_array([1.0, 1.0], "p", Probability(include_high=True)).tolist() == [1.0, 1.0]


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=32), min_size=1, max_size=8))
def test_check_array_agrees_with_the_scalar_constraint(values):
    """Element-wise refusal == scalar refusal, for every vectorised constraint."""
    from btm.constraints import Interval, Probability, Rate

    for c in (Interval(float, 0), Interval(int, -1, 3, closed="neither"), Rate(), Rate(True),
              Probability(), Probability(include_high=True)):
        scalar_ok = []
        for v in values:
            try:
                c.check(float(v), "x")
                scalar_ok.append(True)
            except btm.InputError:
                scalar_ok.append(False)
        if all(scalar_ok):
            assert check_array(values, "x", c).tolist() == [float(v) for v in values]
        else:
            first = scalar_ok.index(False)
            with pytest.raises(btm.InputError, match=rf"^x\[{first}\]: "):
                check_array(values, "x", c)


def test_column_constraint_names_row_and_column():
    from btm.constraints import Options, Probability

    cols = [Column("sku", "text", constraint=Options(("A", "B"))),
            Column("service_level", "number", allow_missing=True, constraint=Probability())]
    ok = frame(pd.DataFrame({"sku": ["A", "B"], "service_level": [0.9, np.nan]}), cols)
    assert ok["service_level"].iloc[0] == 0.9
    with pytest.raises(btm.InputError, match=r"^policy, row 2, column 'service_level': got 1; "
                                             r"expected a value strictly between 0 and 1$"):
        frame(pd.DataFrame({"sku": ["A", "B"], "service_level": [0.9, 1]}), cols, source="policy")
    with pytest.raises(btm.InputError, match=r"^policy, row 2, column 'sku': got 'C'; "
                                             r"expected one of 'A', 'B'$"):
        frame(pd.DataFrame({"sku": ["A", "C"], "service_level": [0.9, 0.5]}), cols,
              source="policy")


def test_jobs_constraint():
    assert Jobs().check(4.0, "n_jobs") == 4
    for bad in Jobs().invalid_values():
        with pytest.raises(btm.InputError, match="^n_jobs: got"):
            Jobs().check(bad, "n_jobs")


def test_no_module_imports_another_modules_private_names():
    """Issue 6: a module uses only the public names of another (``from btm.x import _y`` and
    ``x._y`` are refused; importing a public module under a private alias is fine)."""
    import ast
    from pathlib import Path

    root = Path(btm.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bound = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "btm":
                for alias in node.names:
                    if alias.name.startswith("_"):
                        found.append(f"{path.name}:{node.lineno} {node.module}.{alias.name}")
                    bound.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                bound.update(a.asname or a.name for a in node.names if a.name.startswith("btm"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in bound and node.attr.startswith("_")
                    and not node.attr.startswith("__")):
                found.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
    assert found == []


def test_dates_must_be_iso_and_the_bad_cell_is_named():
    """A reviewer's register: review dates '03/04/2025' (3 April, day first) were read as
    4 March without a word, and a first cell '14/03/2025' made pandas blame the ISO cell
    below it. Text dates are ISO 8601; spreadsheet date cells are taken as they are."""
    import datetime as dt

    cols = [Column("review_date", "date")]
    ok = frame(pd.DataFrame({"review_date": ["2025-04-30", "2025-1-5", dt.datetime(2025, 2, 1)]}),
               cols, source="register.csv")
    assert ok["review_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2025-04-30", "2025-01-05", "2025-02-01"]
    with pytest.raises(btm.InputError, match=r"register.csv, row 1, column 'review_date': "
                                             r"got '14/03/2025'"):
        frame(pd.DataFrame({"review_date": ["14/03/2025", "2025-04-30"]}), cols,
              source="register.csv")
    with pytest.raises(btm.InputError, match=r"row 1, column 'review_date': got '03/04/2025'"):
        frame(pd.DataFrame({"review_date": ["03/04/2025", "10/04/2025"]}), cols,
              source="register.csv")
