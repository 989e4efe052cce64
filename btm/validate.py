"""Input validation: every public function checks what it is given here, in one message shape.

Constraints are declared as data: scalar arguments with the vocabulary of
:mod:`btm.constraints` (``Interval``, ``Rate``, ``Probability`` ...), table columns with
:class:`Column` (whose optional ``constraint`` is one of the same objects), and numbers that
may be a scalar, an array or a Series with :func:`check_array`, which applies the same
constraint objects element-wise and reports the first bad element. Every violation raises
:class:`btm.InputError` with a message of the form ``"<where>: <what is wrong>; expected
<what>"``. The scalar helpers below (:func:`number`, :func:`rate`, :func:`probability` ...)
are shorthands for those constraints. Inputs are never modified: :func:`frame` returns a new,
cleaned DataFrame.

Examples
--------
>>> import pandas as pd
>>> from btm.validate import Column, frame, rate
>>> costs = pd.DataFrame({"option": ["A"], "amount": ["12.5"]})
>>> frame(costs, [Column("option", "text"), Column("amount", "number", min=0)])["amount"].iloc[0]
np.float64(12.5)
>>> rate(8, "discount_rate")
Traceback (most recent call last):
...
btm.errors.InputError: discount_rate: got 8, which looks like a percentage; expected a fraction such as 0.08
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import math
import numbers
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from btm.constraints import (
    Constraint,
    Interval,
    NoneOr,
    Options,
    Probability,
    Rate,
    Seed,
)
from btm.errors import InputError, input_error

__all__ = [
    "Column",
    "rows_text",
    "frame",
    "number",
    "integer",
    "rate",
    "probability",
    "one_of",
    "rng",
    "nonempty_sequence",
    "check_array",
    "where",
    "repeated_row",
    "Jobs",
    "tables_checked",
]

Kind = Literal["number", "integer", "text", "date", "bool", "any"]

_EXPECTED = {
    "number": "a number",
    "integer": "a whole number",
    "text": "text",
    "date": "a date such as 2024-01-31",
    "bool": "true or false",
    "any": "a value",
}


@dataclass(frozen=True)
class Column:
    """What one column of an input table must hold.

    Parameters
    ----------
    name : str
        Column name (snake_case).
    kind : {"number", "integer", "text", "date", "bool", "any"}
        Values are converted to this kind; a value that cannot be is an error.
    required : bool
        A missing required column is an error; a missing optional one is added with `default`.
    default : object
        Value of an optional column when it is absent, and of its empty cells when
        `allow_missing` is False.
    min, max : float, optional
        Inclusive bounds for numbers.
    allow_missing : bool
        Whether empty cells (NaN) are allowed to stay empty.
    description : str
        Plain words for error messages and data dictionaries.
    constraint : btm.constraints.Constraint, optional
        What every present cell must satisfy, in the vocabulary of the scalar arguments
        (``Probability()`` for a service level, ``Rate()`` for a rate ...), checked after the
        conversion to `kind`; the message names the row and the column.
    max_length : int
        Longest text accepted in a ``text`` cell (a megabyte pasted into a name is a mistake).

    Examples
    --------
    >>> import pandas as pd
    >>> from btm.constraints import Probability
    >>> frame(pd.DataFrame({"service_level": [0.9, 95]}),
    ...       [Column("service_level", constraint=Probability())], source="policy")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: policy, row 2, column 'service_level': got 95, which looks like a percentage; expected a value strictly between 0 and 1
    """

    name: str
    kind: Kind = "number"
    required: bool = True
    default: Any = None
    min: float | None = None
    max: float | None = None
    allow_missing: bool = False
    description: str = ""
    constraint: Constraint | None = None
    max_length: int = 10_000


def where(source: str, row: int | None = None, column: str | None = None) -> str:
    """Name a place in an input table for a message: the table, then the row, then the column.

    Rows count from 1, as a user reading the file counts them.

    Examples
    --------
    >>> where("costs.csv", 3, "amount")
    "costs.csv, row 3, column 'amount'"
    >>> where("initiatives", column="depends_on")
    "initiatives, column 'depends_on'"
    """
    parts = [source]
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column '{column}'")
    return ", ".join(parts)


def repeated_row(table: pd.DataFrame, key: Sequence[str]) -> int | None:
    """The first row (counted from 1) whose `key` values an earlier row already has.

    For a repeat whose message has its own words; :func:`frame` with ``key=`` gives the
    standard one.

    Examples
    --------
    >>> repeated_row(pd.DataFrame({"id": ["a", "b", "a", "b"]}), ["id"])
    3
    >>> repeated_row(pd.DataFrame({"id": ["a", "b"]}), ["id"]) is None
    True
    """
    dup = table.duplicated(list(key)).to_numpy()
    return _first_bad(dup) if dup.any() else None


def frame(
    data: Any,
    columns: Sequence[Column],
    *,
    source: str = "table",
    allow_empty: bool = False,
    keep_extra: bool = True,
    key: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Check a table against declared columns and return a cleaned copy.

    Parameters
    ----------
    data : pandas.DataFrame
        The user's table; it is not modified.
    columns : sequence of Column
        What the table must hold.
    source : str
        How to name the table in messages (a file name, or a parameter name such as ``costs``).
    allow_empty : bool
        Whether a table with no rows is acceptable.
    keep_extra : bool
        Keep columns that are not declared (they are passed through untouched).
    key : sequence of str, optional
        Columns whose values together must be unique (``["unique_id"]``); a repeat is refused
        naming both rows.

    Returns
    -------
    pandas.DataFrame
        A new DataFrame with a fresh RangeIndex, declared columns converted to their kind.
        Rows in messages are numbered from 1 in the order of the input, as a spreadsheet
        user counts data rows below the header.

    Raises
    ------
    InputError
        Not a DataFrame, a missing required column, a value of the wrong kind, a value out of
        bounds, an empty cell where none is allowed, text longer than the column allows, a
        repeated `key`, or an empty table.

    Examples
    --------
    >>> skus = pd.DataFrame({"unique_id": ["A", "B", "A"]})
    >>> frame(skus, [Column("unique_id", "text")], source="skus", key=["unique_id"])
    Traceback (most recent call last):
    ...
    btm.errors.InputError: skus, rows 1 and 3, column 'unique_id': 'A' appears twice; expected each unique_id once
    """
    if not isinstance(data, pd.DataFrame):
        raise InputError(
            f"{source}: got {type(data).__name__}; expected a pandas DataFrame with columns "
            + ", ".join(c.name for c in columns if c.required)
        )
    missing = [c.name for c in columns if c.required and c.name not in data.columns]
    if missing:
        raise InputError(
            f"{source}: missing column(s) {', '.join(repr(m) for m in missing)}; expected columns "
            + ", ".join(repr(c.name) for c in columns if c.required)
            + f" (found {', '.join(repr(str(c)) for c in data.columns) or 'none'})"
        )
    if data.columns.duplicated().any():
        dup = data.columns[data.columns.duplicated()][0]
        raise InputError(f"{source}: column {dup!r} appears twice; expected unique column names")
    if len(data) == 0 and not allow_empty:
        raise InputError(f"{source}: the table has no rows; expected at least one row")

    declared = {c.name for c in columns}
    out = pd.DataFrame(index=pd.RangeIndex(len(data)))
    for col in columns:
        if col.name in data.columns:
            values = pd.Series(data[col.name].to_numpy(copy=True), index=out.index)
        else:
            values = pd.Series([col.default] * len(data), index=out.index, dtype=object)
        out[col.name] = _convert(values, col, source)
        if col.constraint is not None:
            _check_column(out[col.name], col, source)
    if keep_extra:
        for name in data.columns:
            if name not in declared:
                out[name] = data[name].to_numpy(copy=True)
    if key:
        _check_key(out, list(key), source)
    return out


def rows_text(mask: Any) -> str:
    """The rows where `mask` is true as a message names them (rows count from 1): "row 3",
    "rows 1 and 73", "rows 1, 5 and 9", "rows 1, 2, 3, 4, 5 ..." (at most five).

    Examples
    --------
    >>> rows_text([False, False, True]), rows_text([True, True, False, True])
    ('row 3', 'rows 1, 2 and 4')
    """
    rows = [str(r) for r in np.flatnonzero(np.asarray(mask, dtype=bool)) + 1]
    if len(rows) == 1:
        return f"row {rows[0]}"
    if len(rows) > 5:
        return "rows " + ", ".join(rows[:5]) + " ..."
    return "rows " + ", ".join(rows[:-1]) + " and " + rows[-1]


def _check_key(out: pd.DataFrame, key: list[str], source: str) -> None:
    unknown = [k for k in key if k not in out.columns]
    if unknown:
        raise TypeError(f"frame: key columns {unknown} are not in the table")  # btm's own bug
    dup = out.duplicated(key, keep="first").to_numpy()
    if not dup.any():
        return
    second = int(np.flatnonzero(dup)[0])
    values = out[key].iloc[second]
    same = np.ones(len(out), dtype=bool)
    for k in key:
        same &= (out[k] == values[k]).to_numpy()
    n = int(same.sum())
    shown = " / ".join(repr(v.item() if isinstance(v, np.generic) else v) for v in values)
    column = (f"column '{key[0]}'" if len(key) == 1
              else "columns " + ", ".join(f"'{k}'" for k in key))
    times = "twice" if n == 2 else f"{n} times"
    raise InputError(
        f"{source}, {rows_text(same)}, {column}: {shown} appears {times}; "
        f"expected each {' / '.join(key)} once"
    )


def _first_bad(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0]) + 1


def _refuse(bad: np.ndarray, source: str, column: str, problem: Callable[[int], str],
            expected: str) -> None:
    """Raise InputError for the first row where `bad` holds: ``problem(position)``, expected."""
    if bad.any():
        row = _first_bad(bad)
        raise InputError(f"{where(source, row, column)}: {problem(row - 1)}; expected {expected}")


def id_text(value: Any) -> str:
    """An id cell as text; a whole number read as a float is written without ``.0``.

    pandas reads a column of single numbers and blanks (task ``predecessors``, initiative
    ``depends_on``) as floats: ``1`` becomes ``1.0``, which names no task ``1``.

    >>> id_text(1.0), id_text(7), id_text(" A "), id_text(2.5)
    ('1', '7', 'A', '2.5')
    """
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float | np.floating) and math.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _to_dates(values: pd.Series) -> pd.Series:
    """Dates from cells, NaT where a cell is not one (refused by the caller, by row).

    Text must be an ISO 8601 date (``2025-03-14``, optionally with a time); spreadsheet dates
    (datetime cells) are taken as they are. Without a format pandas guessed one from the
    first cell: ``03/04/2025`` was silently read as 4 March (month first) and a column whose
    first cell was ``14/03/2025`` blamed the ISO cells below it.
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=FutureWarning)  # mixed zones, handled below
        try:
            out = pd.to_datetime(values, format="ISO8601", errors="coerce")
        except ValueError:  # tz-aware date cells in different zones
            out = pd.Series([pd.to_datetime(v, errors="coerce") for v in values],
                            index=values.index, dtype=object)
    if out.dtype != object:
        return out
    # Cells in time zones other than the first dated cell's: NaT, so the caller names them.
    def offset(v: Any) -> Any:
        return None if pd.isna(v) else v.utcoffset()

    offsets = [offset(v) for v in out]
    first = next((o for o, v in zip(offsets, out, strict=True) if not pd.isna(v)), None)
    keep = [not pd.isna(v) and o == first for o, v in zip(offsets, out, strict=True)]
    return pd.to_datetime(out.where(keep, pd.NaT).tolist(), errors="coerce").to_series(
        index=values.index) if any(keep) else pd.Series(pd.NaT, index=values.index)


def _convert(values: pd.Series, col: Column, source: str) -> pd.Series:
    kind = col.kind
    missing = values.isna().to_numpy()
    if missing.any() and col.default is not None:
        values = values.where(~missing, col.default)
        missing = values.isna().to_numpy()
    if not col.allow_missing:
        _refuse(missing, source, col.name, lambda i: "the cell is empty", _EXPECTED[kind])

    def shown(i: int) -> str:  # the value given, as the user typed it
        return f"got {_short(values.iloc[i])}"

    if kind in ("number", "integer"):
        if values.dtype.kind == "b":
            bad = np.ones(len(values), dtype=bool)
        elif values.dtype.kind in "iuf":
            bad = np.zeros(len(values), dtype=bool)
        else:
            # not _on_distinct: factorize treats True and 1 as one value
            bad = np.fromiter((isinstance(v, bool | np.bool_) for v in values.to_numpy()),
                              dtype=bool, count=len(values))
        _refuse(bad, source, col.name, shown, _EXPECTED[kind])
        converted = pd.to_numeric(values, errors="coerce")
        _refuse(converted.isna().to_numpy() & ~missing, source, col.name, shown,
                _EXPECTED[kind])
        arr = converted.to_numpy(dtype=float)
        _refuse(np.isinf(arr), source, col.name, lambda i: f"got {arr[i]}", "a finite number")
        if kind == "integer":
            _refuse(~missing & (np.mod(np.nan_to_num(arr), 1) != 0), source, col.name, shown,
                    "a whole number")

        def number_at(i: int) -> str:
            return f"got {_fmt(arr[i])}"

        if col.min is not None:
            _refuse(~missing & (arr < col.min), source, col.name, number_at,
                    f"a value of at least {_fmt(col.min)}")
        if col.max is not None:
            _refuse(~missing & (arr > col.max), source, col.name, number_at,
                    f"a value of at most {_fmt(col.max)}")
        if kind == "integer" and not missing.any():
            return pd.Series(arr.astype(np.int64), index=values.index)
        return pd.Series(arr, index=values.index)
    if kind == "text":
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        stripped = np.array([str(u).strip() for u in uniques], dtype=object)
        out_arr = np.full(len(values), None, dtype=object)
        present = codes >= 0
        out_arr[present] = stripped[codes[present]]
        out = pd.Series(out_arr, index=values.index, dtype=object)
        empty = present & np.isin(codes, np.flatnonzero(stripped == ""))
        if not col.allow_missing:
            _refuse(empty, source, col.name, lambda i: "the cell is empty", "text")
        lengths = np.array([len(u) for u in stripped], dtype=np.int64)
        long = present & np.isin(codes, np.flatnonzero(lengths > col.max_length))
        _refuse(long, source, col.name, lambda i: f"got text of {len(out_arr[i]):,} characters",
                f"at most {col.max_length:,} characters")
        return out.astype(object)
    if kind == "date":
        original = values
        if values.dtype == object:  # no date is 100 characters long; dateutil would crawl
            values = values.where(~values.map(lambda v: isinstance(v, str) and len(v) > 100),
                                  "not a date")
        if values.dtype == object and len(values) > 1000:
            # each distinct text parsed once: a single odd cell makes pandas fall back to
            # parsing element by element, which took half a minute on 31,200 rows
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            parsed = pd.Series(_to_dates(pd.Series(uniques, dtype=object)))
            taken = parsed.take(np.where(codes >= 0, codes, 0)).to_numpy()
            taken[codes < 0] = np.datetime64("NaT")
            converted = pd.Series(taken, index=values.index)
        else:
            converted = _to_dates(values)
        _refuse(converted.isna().to_numpy() & ~missing, source, col.name,
                lambda i: f"got {_short(original.iloc[i])}", _EXPECTED["date"])
        return converted
    if kind == "bool":
        truthy = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}

        def to_bool(v: Any) -> Any:
            if isinstance(v, bool | np.bool_):
                return bool(v)
            if isinstance(v, numbers.Number) and v in (0, 1):
                return bool(v)
            if isinstance(v, str) and v.strip().lower() in truthy:
                return truthy[v.strip().lower()]
            return None

        converted = values.map(to_bool)
        _refuse(converted.isna().to_numpy() & ~missing, source, col.name, shown,
                _EXPECTED["bool"])
        return converted.astype(bool) if not missing.any() else converted
    return values


def _on_distinct(values: pd.Series, test: Any) -> np.ndarray:
    """Apply a per-value test once per distinct value (fast on long tables)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    verdict = np.array([bool(test(u)) for u in uniques] + [False], dtype=bool)
    return verdict[codes]


def _fmt(x: float) -> str:
    return f"{x:g}"


def _short(value: Any) -> str:
    """``repr`` of a cell for messages, cut at 80 characters (a pasted megabyte stays out)."""
    text = repr(value.item() if isinstance(value, np.generic) else value)
    return text if len(text) <= 80 else text[:77] + "..."


# --------------------------------------------------------------------------- constraints


def _check_column(values: pd.Series, col: Column, source: str) -> None:
    """Apply ``col.constraint`` to the present cells of a converted column."""
    c = col.constraint
    assert c is not None
    present = ~values.isna().to_numpy()
    if values.dtype.kind in "iuf" and _vectorisable(c):
        bad = present & _outside(values.to_numpy(dtype=float), c)
    else:
        bad = present & _on_distinct(values, lambda v: not _passes(c, v))
    if bad.any():
        row = _first_bad(bad)
        value = values.iloc[row - 1]
        c.check(value.item() if isinstance(value, np.generic) else value,
                where(source, row, col.name))


def _passes(c: Constraint, value: Any) -> bool:
    try:
        c.check(value.item() if isinstance(value, np.generic) else value, "value")
    except InputError:
        return False
    return True


def _vectorisable(c: Constraint) -> bool:
    return isinstance(c, Interval | Rate | Probability) or (
        isinstance(c, NoneOr) and _vectorisable(c.inner))


def _outside(arr: np.ndarray, c: Constraint) -> np.ndarray:
    """Element-wise: which values `c` refuses (the vectorised twin of ``c.check``)."""
    if isinstance(c, NoneOr):
        return _outside(arr, c.inner)
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(arr)
        if isinstance(c, Interval):
            bad = ~finite
            if c.kind is int:
                bad |= finite & (np.mod(np.where(finite, arr, 0.0), 1) != 0)
            lo_in = c.closed in ("both", "left")
            hi_in = c.closed in ("both", "right")
            if c.low is not None:
                bad |= (arr < c.low) if lo_in else (arr <= c.low)
            if c.high is not None:
                bad |= (arr > c.high) if hi_in else (arr >= c.high)
            return bad
        if isinstance(c, Rate):
            low = (arr <= -1) if c.allow_negative else (arr < 0)
            return ~finite | (arr > 1) | low
        if isinstance(c, Probability):
            high = (arr <= 1) if c.include_high else (arr < 1)
            return ~(finite & (arr > 0) & high)
    raise TypeError(f"check_array: no element-wise check for {c!r}")


def _label(name: str, index: pd.Index | None, pos: tuple[int, ...]) -> str:
    if not pos:
        return name
    if index is not None and len(pos) == 1:
        return f"{name}[{index[pos[0]]!r}]"
    return f"{name}[{', '.join(str(p) for p in pos)}]"


def check_array(
    values: Any,
    name: str,
    constraint: Constraint | None = None,
    *,
    where: Callable[[tuple[int, ...]], str] | None = None,
) -> np.ndarray:
    """Check a number, a list, a numpy array or a pandas Series element-wise; return floats.

    The vectorised form of ``constraint.check`` for :class:`~btm.constraints.Interval`,
    :class:`~btm.constraints.Rate` and :class:`~btm.constraints.Probability` (default: any
    finite number): one array operation finds the bad elements, and the first one is reported
    by the constraint itself, so the message is exactly that of a scalar argument
    (``service_level[1]: got 95, which looks like a percentage; ...``). Elements are named by
    position (``x[2]``, ``x[0, 3]``) or, for a Series, by label (``demand_std['SKU-7']``).

    Parameters
    ----------
    values : number, sequence, numpy array or pandas Series
        Not modified.
    name : str
        The parameter name used in messages.
    constraint : btm.constraints.Constraint, optional
        Interval, Rate, Probability (or NoneOr of one); None means any finite number.
    where : callable, optional
        Names the element at a position in messages (``pos -> str``), instead of ``name[pos]``.

    Returns
    -------
    numpy.ndarray
        A float array of the same shape (0-d for a scalar); a Series' index is dropped.

    Raises
    ------
    InputError
        Not numbers (text, True/False, None, a DataFrame), or an element the constraint
        refuses (the first one, in C order).

    Examples
    --------
    >>> from btm.constraints import Probability
    >>> check_array([0.9, 0.95], "service_level", Probability())
    array([0.9 , 0.95])
    >>> check_array([0.9, 95], "service_level", Probability())
    Traceback (most recent call last):
    ...
    btm.errors.InputError: service_level[1]: got 95, which looks like a percentage; expected a value strictly between 0 and 1
    """
    c = Interval(float) if constraint is None else constraint
    index = values.index if isinstance(values, pd.Series) else None
    expected = "a number, an array or a Series"
    if isinstance(values, pd.DataFrame):
        raise input_error(name, problem="got a DataFrame", expected=expected)
    if isinstance(values, bool | np.bool_ | str | bytes) or values is None:
        raise input_error(name, got=values, expected=expected)
    try:
        arr = np.asarray(values.to_numpy() if index is not None else values, dtype=float)
    except (TypeError, ValueError):
        raise input_error(name, got=values, expected="numbers") from None
    bad = _outside(arr, c)
    if bad.any():
        pos = tuple(int(i) for i in np.argwhere(bad)[0]) if arr.ndim else ()
        label = where(pos) if where is not None else _label(name, index, pos)
        value = float(arr[pos] if arr.ndim else arr)
        c.check(value, label)
        raise input_error(label, got=value, expected=c.describe())  # pragma: no cover
    return arr


@dataclass(frozen=True)
class Jobs(Constraint):
    """Number of worker processes: a whole number of at least 1, or -1 for all cores.

    Examples
    --------
    >>> Jobs().check(-1, "n_jobs")
    -1
    >>> Jobs().check(0, "n_jobs")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: n_jobs: got 0; expected a whole number >= 1, or -1 for all cores
    """

    expected: str = "a whole number >= 1, or -1 for all cores"

    def check(self, value: Any, name: str) -> int:
        if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
            raise input_error(name, got=value, expected=self.expected, show_type=True)
        x = float(value)
        if not (np.isfinite(x) and x.is_integer() and (x >= 1 or x == -1)):
            raise input_error(name, got=value, expected=self.expected)
        return int(x)

    def example(self) -> int:
        return 1

    def invalid_values(self) -> list[Any]:
        return ["x", None, True, 0, -2, 1.5, float("nan")]


# --------------------------------------------------------------------------- scalars
# Shorthands for the constraints of btm.constraints, which hold every check and message.


def number(
    value: Any,
    name: str,
    *,
    min: float | None = None,
    max: float | None = None,
    min_inclusive: bool = True,
    max_inclusive: bool = True,
) -> float:
    """Check that `value` is a finite real number within bounds and return it as float.

    ``Interval(float, min, max, closed=...)`` of :mod:`btm.constraints`.

    Examples
    --------
    >>> number("3", "horizon_years")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: horizon_years: got '3' (str); expected a number
    """
    closed = {(True, True): "both", (True, False): "left", (False, True): "right",
              (False, False): "neither"}[(bool(min_inclusive), bool(max_inclusive))]
    return float(Interval(float, min, max, closed).check(value, name))  # type: ignore[arg-type]


def integer(value: Any, name: str, *, min: int | None = None, max: int | None = None) -> int:
    """Check that `value` is a whole number within inclusive bounds and return it as int.

    ``Interval(int, min, max)`` of :mod:`btm.constraints`.

    Examples
    --------
    >>> integer(5.0, "horizon_years", min=1)
    5
    """
    return int(Interval(int, min, max).check(value, name))


def rate(value: Any, name: str, *, allow_negative: bool = False) -> float:
    """Check a rate given as a fraction (``0.08`` for 8 %); refuse what looks like a percentage.

    ``Rate(allow_negative)`` of :mod:`btm.constraints`.

    Examples
    --------
    >>> rate(0.08, "discount_rate")
    0.08
    """
    return Rate(allow_negative).check(value, name)


def probability(value: Any, name: str, *, include_high: bool = False) -> float:
    """Check a probability strictly between 0 and 1 (a service level, a confidence).

    ``Probability(include_high)`` of :mod:`btm.constraints`; `include_high` allows 1 itself.

    Examples
    --------
    >>> probability(0.95, "service_level")
    0.95
    """
    return Probability(include_high).check(value, name)


def one_of(value: Any, name: str, options: Iterable[Any]) -> Any:
    """Check that `value` is one of `options` (``Options`` of :mod:`btm.constraints`).

    Examples
    --------
    >>> one_of("pert", "distribution", ["pert", "triangular"])
    'pert'
    """
    return Options(tuple(options)).check(value, name)


def nonempty_sequence(values: Any, name: str) -> np.ndarray:
    """Check a one-dimensional, non-empty sequence of finite numbers; return a float array.

    Examples
    --------
    >>> nonempty_sequence([1, 2.5], "values")
    array([1. , 2.5])
    """
    if isinstance(values, str | bytes) or values is None:
        raise InputError(f"{name}: got {values!r}; expected a sequence of numbers")
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name}: got {values!r}; expected a sequence of numbers") from None
    if arr.ndim != 1:
        raise InputError(f"{name}: got an array of shape {arr.shape}; expected one dimension")
    if arr.size == 0:
        raise InputError(f"{name}: the sequence is empty; expected at least one number")
    bad = ~np.isfinite(arr)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"{name}[{i}]: got {arr[i]}; expected a finite number")
    return arr


def rng(seed: int | np.random.Generator | None, name: str = "seed") -> np.random.Generator:
    """Return a numpy Generator from an int seed (or pass a Generator through).

    ``Seed()`` of :mod:`btm.constraints` checks `seed`.

    Examples
    --------
    >>> float(rng(0).random()) == float(rng(0).random())
    True
    """
    checked = Seed().check(seed, name)
    if isinstance(checked, np.random.Generator):
        return checked
    return np.random.default_rng(checked)


def _tables_in(name: str, value: Any) -> list[tuple[str, pd.DataFrame]]:
    """The DataFrames an argument is or holds (a frozen result's table fields), by name."""
    if isinstance(value, pd.DataFrame):
        return [(name, value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [(f"{name}.{f.name}", getattr(value, f.name)) for f in dataclasses.fields(value)
                if isinstance(getattr(value, f.name, None), pd.DataFrame)]
    return []


def _raised_by_pandas(exc: BaseException) -> bool:
    """Whether the innermost frame of `exc`'s traceback is inside pandas (a column lookup)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and f"{os.sep}pandas{os.sep}" in tb.tb_frame.f_code.co_filename


def tables_checked(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a missing column in a table argument into :class:`btm.InputError` naming it.

    For key-message and other helpers that read columns of the tables (or results) they are
    given: a table without a column the helper reads raises ``InputError`` naming the
    parameter (or result field) and the column, instead of ``KeyError``. Only a ``KeyError``
    raised by a pandas lookup is turned; one from the helper's own dictionaries (a bug)
    passes unchanged. Every table passed as an argument that lacks the column is named, since
    which one the helper read is not known from the error; the tables inside results are
    named only when no table argument lacks it.

    Examples
    --------
    >>> @tables_checked
    ... def top(table):
    ...     return table["swing"].max()
    >>> top(pd.DataFrame({"driver": ["a"]}))
    Traceback (most recent call last):
    ...
    btm.errors.InputError: table: no column 'swing'; expected a table with a 'swing' column (top reads it)
    """
    signature = inspect.signature(func)

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KeyError as exc:
            key = exc.args[0] if exc.args else None
            if not _raised_by_pandas(exc):  # a dict lookup of the helper's own: a bug, not input
                raise
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError:
                raise exc from None
            # tables passed as such first, then the tables inside results
            tables = sorted((t for pname, value in bound.arguments.items()
                             for t in _tables_in(pname, value)), key=lambda t: "." in t[0])
            lacking = [where for where, table in tables
                       if isinstance(key, str) and key not in table.columns]
            # every table passed as such that lacks it (which one was read is not known
            # here); the tables inside results only when none of those does
            lacking = [w for w in lacking if "." not in w] or lacking
            if lacking:
                raise input_error(
                    ", ".join(lacking), problem=f"no column {key!r}",
                    expected=(f"a table with a {key!r} column ({func.__name__} reads it)"
                              if len(lacking) == 1 else
                              f"tables with a {key!r} column ({func.__name__} reads it "
                              "from one of them)"),
                ) from None
            raise

    guarded.__btm_tables_checked__ = True  # type: ignore[attr-defined]
    return guarded
