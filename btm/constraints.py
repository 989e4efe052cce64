"""One constraint vocabulary for function arguments, table columns and notebook parameters.

In the spirit of scikit-learn's ``_param_validation``: what an argument may be is declared as
data (``Interval(int, 1, 100)``, ``Rate()``, ``Options({"pert", "triangular"})``), checked in one
place, and every violation raises :class:`btm.InputError` with one message shape,
``"<where>: got <value>; expected <what>"``. Because constraints are data, one test generates
invalid values for every declaration (:meth:`Constraint.invalid_values`).

Public functions declare their scalar arguments with :func:`constrained`; analyses declare
their notebook parameters with the same objects (``btm.analyses``), and what two parameters
must be together with a :class:`Rule` (``Increasing("scale_min", "scale_max")``). Table columns are declared
with :class:`btm.validate.Column`, whose checks share the scalar checks below.

Examples
--------
>>> from btm.constraints import Interval, Rate, constrained
>>> @constrained(horizon_years=Interval(int, 1, 100), discount_rate=Rate())
... def annuity(horizon_years, discount_rate):
...     return horizon_years, discount_rate
>>> annuity(5.0, 0.08)
(5, 0.08)
>>> annuity(5, 8)
Traceback (most recent call last):
...
btm.errors.InputError: discount_rate: got 8, which looks like a percentage; expected a fraction such as 0.08
>>> Interval(int, 1, 100).invalid_values()[:3]
['x', None, True]
"""

from __future__ import annotations

import datetime as _dt
import functools
import inspect
import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd

from btm.errors import input_error

__all__ = [
    "Constraint",
    "Interval",
    "Rate",
    "Probability",
    "Options",
    "Text",
    "Boolean",
    "Seed",
    "Currency",
    "CalendarDate",
    "ListOf",
    "Percentages",
    "NoneOr",
    "ZeroBasedYear",
    "Rule",
    "Increasing",
    "available_memory",
    "check_memory",
    "MEMORY_SHARE",
    "constrained",
    "constraints_of",
    "check",
]

F = TypeVar("F", bound=Callable[..., Any])


def _fmt(x: float) -> str:
    return f"{x:g}"


def _bound(x: float) -> str:
    """A bound for readers: 10000000 → '10,000,000', 0.5 → '0.5'."""
    return f"{int(x):,}" if float(x).is_integer() and abs(x) < 1e15 else f"{x:g}"


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


class Constraint:
    """What one value may be. Subclasses implement :meth:`check` and :meth:`invalid_values`."""

    #: Plain words for what is expected, used in messages and in ``btm list``.
    expected: str = "a value"

    def check(self, value: Any, name: str) -> Any:  # pragma: no cover - abstract
        """Return `value` (converted where the constraint says so) or raise InputError."""
        raise NotImplementedError

    def invalid_values(self) -> list[Any]:  # pragma: no cover - abstract
        """Values this constraint refuses (for the generic invalid-input test)."""
        raise NotImplementedError

    def example(self) -> Any:  # pragma: no cover - abstract
        """A value this constraint accepts (for the generic invalid-input test)."""
        raise NotImplementedError

    def describe(self) -> str:
        """What is expected, in plain words."""
        return self.expected


@dataclass(frozen=True)
class Interval(Constraint):
    """A real or whole number within bounds.

    Parameters
    ----------
    kind : int or float
        ``int`` accepts whole numbers only (``5.0`` is converted to ``5``).
    low, high : float, optional
        Bounds; None means unbounded.
    closed : {"both", "left", "right", "neither"}
        Which bounds are included.
    """

    kind: type = float
    low: float | None = None
    high: float | None = None
    closed: Literal["both", "left", "right", "neither"] = "both"

    @property
    def expected(self) -> str:  # type: ignore[override]
        what = "a whole number" if self.kind is int else "a number"
        lo_in = self.closed in ("both", "left")
        hi_in = self.closed in ("both", "right")
        parts = []
        if self.low is not None:
            parts.append(("of at least " if lo_in else "greater than ") + _bound(self.low))
        if self.high is not None:
            parts.append(("of at most " if hi_in else "less than ") + _bound(self.high))
        return what + (" " + " and ".join(parts) if parts else "")

    def check(self, value: Any, name: str) -> Any:
        if not _is_real(value):
            raise input_error(name, got=value, expected=self.expected, show_type=True)
        x = float(value)
        if not math.isfinite(x):
            raise input_error(name, got=value, expected=f"a finite number ({self.expected})")
        if self.kind is int and not x.is_integer():
            raise input_error(name, got=value, expected=self.expected)
        lo_in = self.closed in ("both", "left")
        hi_in = self.closed in ("both", "right")
        if self.low is not None and (x < self.low or (x == self.low and not lo_in)):
            raise input_error(name, got=_fmt(x), expected=self.expected, literal=True)
        if self.high is not None and (x > self.high or (x == self.high and not hi_in)):
            raise input_error(name, got=_fmt(x), expected=self.expected, literal=True)
        return int(x) if self.kind is int else x

    def example(self) -> Any:
        lo = self.low if self.low is not None else (self.high - 1 if self.high is not None else 0)
        x = lo + 1 if self.closed in ("right", "neither") or self.kind is int else lo
        if self.high is not None and x >= self.high:
            x = (lo + self.high) / 2
        return int(math.floor(x)) if self.kind is int else float(x)

    def invalid_values(self) -> list[Any]:
        bad: list[Any] = ["x", None, True, float("nan"), float("inf")]
        if self.kind is int:
            bad.append(1.5 + (self.low or 0))
        if self.low is not None:
            bad.append(self.low - 1 if self.closed in ("both", "left") else self.low)
        if self.high is not None:
            bad.append(self.high + 1 if self.closed in ("both", "right") else self.high)
        return bad


@dataclass(frozen=True)
class ZeroBasedYear(Interval):
    """A year counted from 0 = now (1 = one year from now), never a calendar year.

    A whole number from 0 to `high`. A value that looks like a calendar year (1900 to 2200)
    is refused with the hint "years count from 0 = now": ``start_year = 2026`` in a cost table
    would otherwise put every cost beyond the horizon and make an option cost nothing.

    Examples
    --------
    >>> ZeroBasedYear().check(3.0, "start_year")
    3
    >>> ZeroBasedYear().check(2026, "start_year")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: start_year: got 2026, which looks like a calendar year (years count from 0 = now); expected a year counted from 0 = now, a whole number from 0 to 1,000, e.g. 2 for two years from now
    """

    kind: type = int
    low: float | None = 0
    high: float | None = 1000
    closed: Literal["both", "left", "right", "neither"] = "both"

    @property
    def expected(self) -> str:  # type: ignore[override]
        return (f"a year counted from 0 = now, a whole number from {_bound(self.low or 0)} "
                f"to {_bound(self.high if self.high is not None else 1000)}")

    def check(self, value: Any, name: str) -> Any:
        if _is_real(value) and math.isfinite(float(value)) and 1900 <= float(value) <= 2200:
            raise input_error(
                name, got=_fmt(float(value)), literal=True,
                note="which looks like a calendar year (years count from 0 = now)",
                expected=f"{self.expected}, e.g. 2 for two years from now",
            )
        return super().check(value, name)

    def example(self) -> int:
        return 0

    def invalid_values(self) -> list[Any]:
        return [*super().invalid_values(), 2026, 1999.0]


#: Share of the available memory a single computation may ask for (:func:`check_memory`).
MEMORY_SHARE = 0.5


def available_memory() -> int:
    """Bytes of memory available to new allocations now (psutil if installed, else sysconf).

    Falls back to 4 GiB where neither can tell (a conservative guess, not a measurement).

    Examples
    --------
    >>> available_memory() > 0
    True
    """
    try:
        import psutil

        return int(psutil.virtual_memory().available)
    except Exception:  # psutil missing or unsupported here
        pass
    try:
        import os

        pages = os.sysconf("SC_AVPHYS_PAGES")
        size = os.sysconf("SC_PAGE_SIZE")
        if pages > 0 and size > 0:
            return int(pages) * int(size)
    except (AttributeError, ValueError, OSError):
        pass
    return 4 << 30


def _gib(n_bytes: float) -> str:
    return f"{n_bytes / 2**30:.1f} GiB" if n_bytes >= 2**30 / 10 else f"{n_bytes / 2**20:.0f} MiB"


def check_memory(
    count: int, bytes_each: float, *, name: str, what: str = "", share: float | None = None,
) -> None:
    """Refuse a computation of `count` units of `bytes_each` that would not fit in memory.

    The limit is :data:`MEMORY_SHARE` (one half) of :func:`available_memory`: a Monte Carlo
    of ``10**9`` trials is refused before it starts, with the memory it would need and the
    largest `count` that fits, instead of a ``MemoryError`` or the machine swapping.

    Parameters
    ----------
    count : int
        The size the user asked for (trials, periods ...): what `name` holds.
    bytes_each : float
        Memory per unit of `count`, temporaries included.
    name : str
        The parameter named in the message.
    what : str
        Words for one unit (``"trials"``).
    share : float, optional
        Share of the available memory allowed; default :data:`MEMORY_SHARE`.

    Raises
    ------
    InputError
        ``"n: got 1000000000 trials, which need about 96.0 GiB of memory; expected at most
        ... (half of the ... GiB available)"``.

    Examples
    --------
    >>> check_memory(1_000, 80, name="n")  # 80 kB: fine
    >>> check_memory(10**15, 80, name="n", what="trials")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    btm.errors.InputError: n: got 1000000000000000 trials, which need about ... GiB of memory; expected at most ... trials (half of the ... available memory)
    """
    share = MEMORY_SHARE if share is None else share
    need = float(count) * float(bytes_each)
    free = available_memory()
    limit = share * free
    if need > limit:
        most = int(limit // max(float(bytes_each), 1.0))
        unit = f" {what}" if what else ""
        part = "half" if share == 0.5 else f"{share:.0%}"
        raise input_error(
            name, got=f"{count}{unit}, which need about {_gib(need)} of memory", literal=True,
            expected=f"at most {most:,}{unit} ({part} of the {_gib(free)} available memory)",
        )


@dataclass(frozen=True)
class Rate(Constraint):
    """A rate per period given as a fraction (``0.08`` for 8 %); a value above 1 is refused
    as a likely percentage. Negative rates only when `allow_negative` (never -100 % or less)."""

    allow_negative: bool = False

    @property
    def expected(self) -> str:  # type: ignore[override]
        low = "greater than -1" if self.allow_negative else "of at least 0"
        return f"a fraction {low} and at most 1, such as 0.08"

    def check(self, value: Any, name: str) -> float:
        if not _is_real(value):
            raise input_error(name, got=value, expected="a fraction such as 0.08", show_type=True)
        x = float(value)
        if not math.isfinite(x):
            raise input_error(name, got=value, expected="a finite fraction such as 0.08")
        if x > 1:
            raise input_error(
                name, got=_fmt(x), literal=True, note="which looks like a percentage",
                expected=f"a fraction such as {x / 100:g}",
            )
        if x <= -1 or (x < 0 and not self.allow_negative):
            low = "greater than -1" if self.allow_negative else "of at least 0"
            raise input_error(name, got=_fmt(x), literal=True, expected=f"a fraction {low}")
        return x

    def example(self) -> float:
        return 0.05

    def invalid_values(self) -> list[Any]:
        return ["x", None, True, float("nan"), 8, 12.5, -1.0 if self.allow_negative else -0.05]


@dataclass(frozen=True)
class Probability(Constraint):
    """A probability or service level: strictly between 0 and 1 unless `include_high`
    (then 1 itself is allowed, e.g. a 100 % service level in a replay)."""

    include_high: bool = False

    @property
    def expected(self) -> str:  # type: ignore[override]
        return ("a value greater than 0 and at most 1" if self.include_high
                else "a value strictly between 0 and 1")

    def check(self, value: Any, name: str) -> float:
        if not _is_real(value):
            raise input_error(name, got=value, expected=self.expected, show_type=True)
        x = float(value)
        ok = math.isfinite(x) and 0 < x and (x <= 1 if self.include_high else x < 1)
        if not ok:
            note = "which looks like a percentage" if 1 < x <= 100 else None
            raise input_error(name, got=_fmt(x), literal=True, note=note, expected=self.expected)
        return x

    def example(self) -> float:
        return 0.9

    def invalid_values(self) -> list[Any]:
        return ["x", None, True, float("nan"), 0, 95, -0.1, 1.5] + ([] if self.include_high else [1])


@dataclass(frozen=True)
class Options(Constraint):
    """One of a fixed set of values."""

    values: tuple[Any, ...] = ()

    def __post_init__(self) -> None:
        values: Any = self.values  # a set or frozenset is accepted too, and sorted
        object.__setattr__(self, "values", tuple(sorted(values, key=str))
                           if isinstance(values, set | frozenset) else tuple(values))

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(repr(v) for v in self.values)

    def check(self, value: Any, name: str) -> Any:
        try:
            ok = value in self.values and not (isinstance(value, bool) and not any(
                isinstance(v, bool) for v in self.values))
        except TypeError:  # unhashable and incomparable
            ok = False
        if not ok:
            raise input_error(name, got=value, expected=self.expected)
        return value

    def example(self) -> Any:
        return self.values[0]

    def invalid_values(self) -> list[Any]:
        return ["not-an-option", None, 12345, [*self.values[:1]]]


@dataclass(frozen=True)
class Text(Constraint):
    """A string, non-empty unless `allow_empty`, optionally matching `pattern`."""

    allow_empty: bool = False
    pattern: str | None = None
    max_length: int = 10_000
    description: str = ""

    @property
    def expected(self) -> str:  # type: ignore[override]
        if self.description:
            return self.description
        return "text" if self.allow_empty else "non-empty text"

    def check(self, value: Any, name: str) -> str:
        if not isinstance(value, str):
            raise input_error(name, got=value, expected=self.expected, show_type=True)
        if not self.allow_empty and value.strip() == "":
            raise input_error(name, got=value, expected=self.expected)
        if len(value) > self.max_length:
            raise input_error(name, got=value[:40] + "...", literal=False,
                              expected=f"at most {self.max_length} characters")
        if self.pattern is not None and value != "" and not re.fullmatch(self.pattern, value):
            raise input_error(name, got=value, expected=self.expected)
        return value

    def example(self) -> str:
        return "x"

    def invalid_values(self) -> list[Any]:
        bad: list[Any] = [None, ["a"], b"bytes"]
        if not self.allow_empty:
            bad.append("   ")
        if self.pattern is not None:
            bad.append("<script>!</script>")
        return bad


@dataclass(frozen=True)
class Boolean(Constraint):
    """True or False (not 0/1, not the text "yes")."""

    expected: str = "true or false"

    def check(self, value: Any, name: str) -> bool:
        if not isinstance(value, bool | np.bool_):
            raise input_error(name, got=value, expected=self.expected, show_type=True)
        return bool(value)

    def example(self) -> bool:
        return True

    def invalid_values(self) -> list[Any]:
        return ["maybe", None, 2, 0.5]


@dataclass(frozen=True)
class Seed(Constraint):
    """A random seed: a whole number of at least 0, or a ``numpy.random.Generator``."""

    expected: str = "a whole number of at least 0 (or a numpy Generator) so that runs repeat"

    def check(self, value: Any, name: str) -> Any:
        if isinstance(value, np.random.Generator):
            return value
        return Interval(int, 0, None).check(value, name) if _is_real(value) else _raise(
            input_error(name, got=value, expected=self.expected, show_type=True))

    def example(self) -> int:
        return 0

    def invalid_values(self) -> list[Any]:
        return ["x", None, -1, 1.5, True]


@dataclass(frozen=True)
class Currency(Constraint):
    """An ISO 4217-style currency code: three capital letters such as ``"EUR"``."""

    expected: str = "a three-letter currency code such as 'EUR'"

    def check(self, value: Any, name: str) -> str:
        if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value):
            raise input_error(name, got=value, expected=self.expected)
        return value

    def example(self) -> str:
        return "EUR"

    def invalid_values(self) -> list[Any]:
        return [None, "euro", "eur", 978, ""]


# Year-month-day text: pandas would read "2025" as 1 January and "20250930" (a number typed on
# the command line) as a date without saying so.
_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?")


@dataclass(frozen=True, kw_only=True, repr=False)
class CalendarDate(Constraint):
    """A calendar date: ``"2025-09-30"``, a ``datetime.date`` or a ``pandas.Timestamp``.

    The time of day and the time zone are dropped. Text must spell year-month-day.

    Parameters
    ----------
    text : bool
        Return the date as ISO text (``"2025-09-30"``) instead of a ``pandas.Timestamp``: for
        a notebook parameter, which Papermill injects as text.

    Examples
    --------
    >>> CalendarDate().check("2025-09-30", "budget_deadline")
    Timestamp('2025-09-30 00:00:00')
    >>> CalendarDate(text=True).check(pd.Timestamp("2025-09-30 10:00"), "budget_deadline")
    '2025-09-30'
    >>> CalendarDate().check("20250930", "as_of")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: as_of: got '20250930'; expected a date such as '2025-09-30'
    """

    expected: str = "a date such as '2025-09-30'"
    text: bool = False

    def check(self, value: Any, name: str) -> Any:
        if isinstance(value, bool) or not isinstance(
            value, str | _dt.date | pd.Timestamp | np.datetime64
        ):
            raise input_error(name, got=value, expected=self.expected, show_type=True)
        if isinstance(value, str) and not _ISO_DATE.fullmatch(value.strip()):
            raise input_error(name, got=value, expected=self.expected)
        try:
            out = pd.Timestamp(value)
        except (ValueError, TypeError):
            raise input_error(name, got=value, expected=self.expected) from None
        if out is pd.NaT or pd.isna(out):
            raise input_error(name, got=value, expected=self.expected)
        out = out.normalize().tz_localize(None) if out.tzinfo else out.normalize()
        return out.date().isoformat() if self.text else out

    def example(self) -> str:
        return "2025-09-30"

    def invalid_values(self) -> list[Any]:
        return ["not a date", None, 20250930, "20250930", "2025", "2025-13-45", True,
                "31/31/2025", 1.5]

    def __repr__(self) -> str:
        return "CalendarDate(text=True)" if self.text else "CalendarDate()"


@dataclass(frozen=True)
class ListOf(Constraint):
    """A list (or tuple) of values that each satisfy `item`, with at least `min_length`."""

    item: Constraint = field(default_factory=lambda: Interval(float))
    min_length: int = 1
    unique: bool = False

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"a list of {self.item.describe()} (at least {self.min_length})"

    def check(self, value: Any, name: str) -> list[Any]:
        if isinstance(value, str | bytes | Mapping) or not isinstance(
            value, list | tuple | np.ndarray
        ):
            raise input_error(name, got=value, expected=self.expected, show_type=True)
        items = list(value)
        if len(items) < self.min_length:
            raise input_error(name, got=value, expected=self.expected)
        out = [self.item.check(v, f"{name}[{i}]") for i, v in enumerate(items)]
        if self.unique and len(set(map(repr, out))) != len(out):
            raise input_error(name, got=value, expected=self.expected + ", without repeats")
        return out

    def example(self) -> list[Any]:
        return [self.item.example()] * max(self.min_length, 1)

    def invalid_values(self) -> list[Any]:
        bad: list[Any] = ["x", None, 3]
        if self.min_length > 0:
            bad.append([])
        bad.extend([v] * max(self.min_length, 1) for v in self.item.invalid_values()[:2])
        return bad


@dataclass(frozen=True)
class Percentages(Constraint):
    """Distinct interval levels in percent, such as ``(80, 95)``; a lone number is one level.

    Levels below 1 are refused as fractions (``[0.8, 0.95]`` meant 80 % and 95 %; in
    ``[0.8, 95]`` the first level was written as a fraction). With
    ``allow_none``, None or an empty list means no levels (no intervals).

    Examples
    --------
    >>> Percentages().check([80, 95], "level")
    (80.0, 95.0)
    >>> Percentages().check([0.8, 0.95], "level")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: level: got [0.8, 0.95], which look like fractions; expected \
percentages such as (80, 95)
    """

    allow_none: bool = False
    expected: str = "distinct percentages above 0 and below 100, such as (80, 95)"

    def check(self, value: Any, name: str) -> tuple[float, ...]:
        if value is None and self.allow_none:
            return ()
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = (value,)
        if isinstance(value, str | bytes | Mapping) or not isinstance(
            value, list | tuple | np.ndarray
        ):
            raise input_error(name, got=value, expected=self.expected, show_type=True)
        item = Interval(float, 0, 100, closed="neither")
        out = tuple(item.check(v, f"{name}[{i}]") for i, v in enumerate(list(value)))
        if not out:
            if self.allow_none:  # no levels: no intervals
                return ()
            raise input_error(name, got=value, expected=self.expected)
        if all(v < 1 for v in out):
            raise input_error(name, got=list(value), note="which look like fractions",
                              expected="percentages such as (80, 95)")
        i = next((i for i, v in enumerate(out) if v < 1), None)
        if i is not None:  # a mix such as [0.8, 95]: one level written as a fraction
            raise input_error(f"{name}[{i}]", got=out[i], note="which looks like a fraction",
                              expected="a percentage of at least 1 and below 100, like the others")
        if len(set(out)) != len(out):
            raise input_error(name, got=list(value), expected=self.expected + ", without repeats")
        return out

    def example(self) -> tuple[float, ...]:
        return (80.0, 95.0)

    def invalid_values(self) -> list[Any]:
        bad: list[Any] = [[0.8, 0.95], [0.8, 95], [0], [100], [80, 80], "80", [None]]
        return bad if self.allow_none else [*bad, []]


@dataclass(frozen=True)
class NoneOr(Constraint):
    """None, or a value satisfying `inner` (an optional argument)."""

    inner: Constraint = field(default_factory=lambda: Interval(float))

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"None or {self.inner.describe()}"

    def check(self, value: Any, name: str) -> Any:
        return None if value is None else self.inner.check(value, name)

    def example(self) -> Any:
        return None

    def invalid_values(self) -> list[Any]:
        return [v for v in self.inner.invalid_values() if v is not None]


class Rule:
    """What two or more values must be together (a cross-parameter rule of a spec).

    A :class:`Constraint` judges one value; a rule judges several, after each has passed its
    own constraint. Subclasses implement :meth:`check`, :meth:`invalid_sets` and
    :meth:`describe`, and hold the names they relate in :attr:`names`.
    """

    @property
    def names(self) -> tuple[str, ...]:  # pragma: no cover - abstract
        """The parameters this rule relates."""
        raise NotImplementedError

    def check(self, values: Mapping[str, Any], given: Iterable[str] | None = None) -> None:
        """Raise InputError when `values` (name → value) break the rule.

        `given` names the values the user gave (the others being defaults), so the message
        can name the one to change; None means all were given.
        """
        raise NotImplementedError  # pragma: no cover - abstract

    def invalid_sets(self) -> list[dict[str, Any]]:  # pragma: no cover - abstract
        """Sets of values this rule refuses (for the generic invalid-input test)."""
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - abstract
        """The rule, in plain words or symbols (``"scale_min < scale_max"``)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Increasing(Rule):
    """Two numbers in order: `low` below `high` (or equal, unless `strict`).

    The message names both parameters and values. It is about `high`, unless the user gave
    `low` and left `high` at its default (then `low` is what to change). Values that are not
    both numbers (a default the notebook computes, None for "not set") are left alone.

    Examples
    --------
    >>> rule = Increasing("scale_min", "scale_max")
    >>> rule.check({"scale_min": 1, "scale_max": 5})
    >>> rule.check({"scale_min": 5.0, "scale_max": 1.0})
    Traceback (most recent call last):
    ...
    btm.errors.InputError: scale_max: got 1, not above scale_min 5; expected scale_min < scale_max
    >>> Increasing("scale_min", "threshold", strict=False).check(
    ...     {"scale_min": 1, "threshold": 7}, given=["scale_min"])
    >>> Increasing("threshold", "scale_max", strict=False).check(
    ...     {"threshold": 7, "scale_max": 5}, given=["threshold"])
    Traceback (most recent call last):
    ...
    btm.errors.InputError: threshold: got 7, above scale_max 5; expected threshold <= scale_max
    """

    low: str
    high: str
    strict: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        return (self.low, self.high)

    def describe(self) -> str:
        return f"{self.low} {'<' if self.strict else '<='} {self.high}"

    def check(self, values: Mapping[str, Any], given: Iterable[str] | None = None) -> None:
        lo: Any = values.get(self.low)
        hi: Any = values.get(self.high)
        if not (_is_real(lo) and _is_real(hi)):
            return
        if float(lo) < float(hi) or (not self.strict and float(lo) == float(hi)):
            return
        told = None if given is None else set(given)
        blame_low = told is not None and self.low in told and self.high not in told
        if blame_low:
            name, value, other = self.low, lo, self.high
            word = "not below" if self.strict else "above"
        else:
            name, value, other = self.high, hi, self.low
            word = "not above" if self.strict else "below"
        raise input_error(name, got=_fmt(float(value)), literal=True, expected=self.describe(),
                          note=f"{word} {other} {_fmt(float(values[other]))}")

    def invalid_sets(self) -> list[dict[str, Any]]:
        bad = [{self.low: 5.0, self.high: 1.0}]
        return [*bad, {self.low: 3.0, self.high: 3.0}] if self.strict else bad


def _raise(exc: BaseException) -> Any:
    raise exc


def check(value: Any, name: str, constraint: Constraint) -> Any:
    """Check one value against one constraint (a shorthand for ``constraint.check``).

    Examples
    --------
    >>> check(0.95, "service_level", Probability())
    0.95
    """
    return constraint.check(value, name)


def constrained(**constraints: Constraint) -> Callable[[F], F]:
    """Declare and check a function's scalar arguments.

    Each keyword names an argument of the decorated function and gives its
    :class:`Constraint`. Given values are checked (and converted, e.g. ``5.0`` → ``5`` for
    ``Interval(int)``) before the function runs; defaults are trusted. The declarations are
    kept on the function (:func:`constraints_of`), so a test can feed every declared argument
    invalid values.

    Raises
    ------
    TypeError
        At decoration time, when a keyword names no argument of the function.
    """

    def decorate(func: F) -> F:
        sig = inspect.signature(func)
        unknown = set(constraints) - set(sig.parameters)
        if unknown:
            raise TypeError(f"{func.__qualname__}: constraints for unknown arguments {unknown}")

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            bound = sig.bind(*args, **kwargs)
            for name, c in constraints.items():
                if name in bound.arguments:
                    bound.arguments[name] = c.check(bound.arguments[name], name)
            return func(*bound.args, **bound.kwargs)

        wrapper.__btm_constraints__ = MappingProxyType(dict(constraints))  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def constraints_of(func: Callable[..., Any]) -> Mapping[str, Constraint]:
    """The constraints declared on `func` with :func:`constrained` (empty when none).

    Examples
    --------
    >>> @constrained(n=Interval(int, 1))
    ... def f(n):
    ...     return n
    >>> dict(constraints_of(f))
    {'n': Interval(kind=<class 'int'>, low=1, high=None, closed='both')}
    """
    return getattr(func, "__btm_constraints__", MappingProxyType({}))


def all_invalid(constraints: Mapping[str, Constraint]) -> Iterable[tuple[str, Any]]:
    """Every (argument name, invalid value) pair of a declaration (for tests)."""
    for name, c in constraints.items():
        for v in c.invalid_values():
            yield name, v
