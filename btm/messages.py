"""Every analysis's key numbers and key messages, by name.

Each analysis keeps its messages beside it, in ``btm/analyses/<name>/messages.py``; this module
offers them all under one name, found by discovery (``messages.tco_key_messages`` is
``btm.analyses.tco_comparison.messages.tco_key_messages``).

Examples
--------
>>> from btm import messages, style
>>> callable(messages.tco_key_numbers)
True

It also holds the few helpers every analysis's messages share: :func:`check_result` and
:func:`check_table` (the objects and tables a message helper is given), :func:`and_join`
(a list of names in a sentence) and :func:`format_percent` (a share written as its key-number
card writes it: :func:`btm.style.format_percent` itself, offered here too).

>>> messages.format_percent is style.format_percent, messages.format_percent(0.9084665)
(True, '90.8%')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import pandas as pd

from btm.errors import InputError
from btm.style import format_percent

__all__ = ["and_join", "check_result", "check_table", "format_percent"]

_T = TypeVar("_T")


def check_result(value: Any, name: str, kind: type[_T], made_by: str) -> _T:
    """`value` itself when it is a `kind`; else InputError naming `name` and what makes one.

    Parameters
    ----------
    value : object
    name : str
        The parameter, as the error names it.
    kind : type
        The result class expected (e.g. :class:`btm.tco.TCOResult`).
    made_by : str
        The function that returns one, e.g. ``"btm.tco.compare"``.

    Examples
    --------
    >>> check_result(3, "result", int, "len")
    3
    >>> check_result("3", "result", int, "len")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: result: got str; expected the int of len
    """
    if not isinstance(value, kind):
        raise InputError(f"{name}: got {type(value).__name__}; expected the {kind.__name__} "
                         f"of {made_by}")
    return value


def check_table(value: Any, name: str, columns: Sequence[str], made_by: str) -> pd.DataFrame:
    """`value` itself when it is a DataFrame with `columns`; else InputError naming `name`.

    Parameters
    ----------
    value : object
    name : str
        The parameter, as the error names it.
    columns : sequence of str
        Columns the table must have.
    made_by : str
        The function whose table is expected, e.g. ``"btm.budget.variance"``.

    Examples
    --------
    >>> check_table(pd.DataFrame({"a": [1]}), "t", ["a", "b"], "btm.x.y")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: t: missing column(s) b; expected the table of btm.x.y
    """
    if not isinstance(value, pd.DataFrame):
        raise InputError(f"{name}: got {type(value).__name__}; expected the DataFrame of "
                         f"{made_by}")
    missing = set(columns) - set(value.columns)
    if missing:
        raise InputError(f"{name}: missing column(s) {', '.join(sorted(missing))}; expected "
                         f"the table of {made_by}")
    return value


def and_join(items: Iterable[Any]) -> str:
    """Names as a sentence lists them: ``A``, ``A and B``, ``A, B and C`` (empty: ``""``).

    Examples
    --------
    >>> and_join(["ERP", "CRM", "BI"]), and_join(["ERP"]), and_join([])
    ('ERP, CRM and BI', 'ERP', '')
    """
    names = [str(v) for v in items]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def __getattr__(name: str) -> Any:
    from btm.analyses import exported

    found = exported("messages")
    if name in found:
        return found[name]
    raise AttributeError(f"module 'btm.messages' has no attribute {name!r}")


def __dir__() -> list[str]:
    from btm.analyses import exported

    return sorted(set(__all__) | set(exported("messages")))
