"""Input validation: every public function checks what it is given here, in one message shape.

Constraints are declared as data (:class:`Column` for table columns, small functions for
scalars) and every violation raises :class:`btm.InputError` with a message of the form
``"<where>: <what is wrong>; expected <what>"``. Inputs are never modified: :func:`frame`
returns a new, cleaned DataFrame.

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

import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from btm.errors import InputError

__all__ = [
    "Column",
    "frame",
    "number",
    "integer",
    "rate",
    "probability",
    "one_of",
    "rng",
    "nonempty_sequence",
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
    """

    name: str
    kind: Kind = "number"
    required: bool = True
    default: Any = None
    min: float | None = None
    max: float | None = None
    allow_missing: bool = False
    description: str = ""


def _where(source: str, row: int | None = None, column: str | None = None) -> str:
    parts = [source]
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column '{column}'")
    return ", ".join(parts)


def frame(
    data: Any,
    columns: Sequence[Column],
    *,
    source: str = "table",
    allow_empty: bool = False,
    keep_extra: bool = True,
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
        bounds, an empty cell where none is allowed, or an empty table.
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
    if keep_extra:
        for name in data.columns:
            if name not in declared:
                out[name] = data[name].to_numpy(copy=True)
    return out


def _first_bad(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0]) + 1


def _convert(values: pd.Series, col: Column, source: str) -> pd.Series:
    kind = col.kind
    missing = values.isna().to_numpy()
    if missing.any() and col.default is not None:
        values = values.where(~missing, col.default)
        missing = values.isna().to_numpy()
    if missing.any() and not col.allow_missing:
        row = _first_bad(missing)
        raise InputError(
            f"{_where(source, row, col.name)}: the cell is empty; expected {_EXPECTED[kind]}"
        )
    if kind in ("number", "integer"):
        if values.dtype.kind == "b":
            bad = np.ones(len(values), dtype=bool)
        elif values.dtype.kind in "iuf":
            bad = np.zeros(len(values), dtype=bool)
        else:
            bad = _on_distinct(values, lambda v: isinstance(v, bool | np.bool_))
        if bad.any():
            row = _first_bad(bad)
            raise InputError(
                f"{_where(source, row, col.name)}: got {values.iloc[row - 1]!r}; "
                f"expected {_EXPECTED[kind]}"
            )
        converted = pd.to_numeric(values, errors="coerce")
        bad = converted.isna().to_numpy() & ~missing
        if bad.any():
            row = _first_bad(bad)
            raise InputError(
                f"{_where(source, row, col.name)}: got {values.iloc[row - 1]!r}; "
                f"expected {_EXPECTED[kind]}"
            )
        arr = converted.to_numpy(dtype=float)
        inf = np.isinf(arr)
        if inf.any():
            row = _first_bad(inf)
            raise InputError(
                f"{_where(source, row, col.name)}: got {arr[row - 1]}; expected a finite number"
            )
        if kind == "integer":
            frac = ~missing & (np.mod(np.nan_to_num(arr), 1) != 0)
            if frac.any():
                row = _first_bad(frac)
                raise InputError(
                    f"{_where(source, row, col.name)}: got {values.iloc[row - 1]!r}; "
                    "expected a whole number"
                )
        if col.min is not None:
            low = ~missing & (arr < col.min)
            if low.any():
                row = _first_bad(low)
                raise InputError(
                    f"{_where(source, row, col.name)}: got {_fmt(arr[row - 1])}; "
                    f"expected a value of at least {_fmt(col.min)}"
                )
        if col.max is not None:
            high = ~missing & (arr > col.max)
            if high.any():
                row = _first_bad(high)
                raise InputError(
                    f"{_where(source, row, col.name)}: got {_fmt(arr[row - 1])}; "
                    f"expected a value of at most {_fmt(col.max)}"
                )
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
        if empty.any() and not col.allow_missing:
            row = _first_bad(empty)
            raise InputError(
                f"{_where(source, row, col.name)}: the cell is empty; expected text"
            )
        return out.astype(object)
    if kind == "date":
        converted = pd.to_datetime(values, errors="coerce")
        bad = converted.isna().to_numpy() & ~missing
        if bad.any():
            row = _first_bad(bad)
            raise InputError(
                f"{_where(source, row, col.name)}: got {values.iloc[row - 1]!r}; "
                f"expected {_EXPECTED['date']}"
            )
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
        bad = converted.isna().to_numpy() & ~missing
        if bad.any():
            row = _first_bad(bad)
            raise InputError(
                f"{_where(source, row, col.name)}: got {values.iloc[row - 1]!r}; "
                f"expected {_EXPECTED['bool']}"
            )
        return converted.astype(bool) if not missing.any() else converted
    return values


def _on_distinct(values: pd.Series, test: Any) -> np.ndarray:
    """Apply a per-value test once per distinct value (fast on long tables)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    verdict = np.array([bool(test(u)) for u in uniques] + [False], dtype=bool)
    return verdict[codes]


def _fmt(x: float) -> str:
    return f"{x:g}"


# --------------------------------------------------------------------------- scalars


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

    Examples
    --------
    >>> number("3", "horizon_years")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: horizon_years: got '3' (str); expected a number
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(f"{name}: got {value!r} ({type(value).__name__}); expected a number")
    x = float(value)
    if not math.isfinite(x):
        raise InputError(f"{name}: got {value!r}; expected a finite number")
    if min is not None and (x < min or (x == min and not min_inclusive)):
        bound = "of at least" if min_inclusive else "greater than"
        raise InputError(f"{name}: got {_fmt(x)}; expected a value {bound} {_fmt(min)}")
    if max is not None and (x > max or (x == max and not max_inclusive)):
        bound = "of at most" if max_inclusive else "less than"
        raise InputError(f"{name}: got {_fmt(x)}; expected a value {bound} {_fmt(max)}")
    return x


def integer(value: Any, name: str, *, min: int | None = None, max: int | None = None) -> int:
    """Check that `value` is a whole number within inclusive bounds and return it as int.

    Examples
    --------
    >>> integer(5.0, "horizon_years", min=1)
    5
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(
            f"{name}: got {value!r} ({type(value).__name__}); expected a whole number"
        )
    if not math.isfinite(float(value)) or float(value) != int(value):
        raise InputError(f"{name}: got {value!r}; expected a whole number")
    n = int(value)
    if min is not None and n < min:
        raise InputError(f"{name}: got {n}; expected a whole number of at least {min}")
    if max is not None and n > max:
        raise InputError(f"{name}: got {n}; expected a whole number of at most {max}")
    return n


def rate(value: Any, name: str, *, allow_negative: bool = False) -> float:
    """Check a rate given as a fraction (``0.08`` for 8 %); refuse what looks like a percentage.

    Examples
    --------
    >>> rate(0.08, "discount_rate")
    0.08
    """
    x = number(value, name)
    if x > 1:
        raise InputError(
            f"{name}: got {_fmt(x)}, which looks like a percentage; "
            f"expected a fraction such as {x / 100:g}"
        )
    if x <= -1 or (x < 0 and not allow_negative):
        expected = "a fraction greater than -1" if allow_negative else "a fraction of at least 0"
        raise InputError(f"{name}: got {_fmt(x)}; expected {expected}")
    return x


def probability(value: Any, name: str) -> float:
    """Check a probability strictly between 0 and 1 (a service level, a confidence).

    Examples
    --------
    >>> probability(0.95, "service_level")
    0.95
    """
    x = number(value, name)
    if not 0 < x < 1:
        hint = ", which looks like a percentage" if 1 < x <= 100 else ""
        raise InputError(f"{name}: got {_fmt(x)}{hint}; expected a value strictly between 0 and 1")
    return x


def one_of(value: Any, name: str, options: Iterable[Any]) -> Any:
    """Check that `value` is one of `options`.

    Examples
    --------
    >>> one_of("pert", "distribution", ["pert", "triangular"])
    'pert'
    """
    opts = list(options)
    if value not in opts:
        raise InputError(
            f"{name}: got {value!r}; expected one of {', '.join(repr(o) for o in opts)}"
        )
    return value


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

    Examples
    --------
    >>> float(rng(0).random()) == float(rng(0).random())
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        raise InputError(f"{name}: got None; expected a whole number so that runs repeat")
    return np.random.default_rng(integer(seed, name, min=0))
