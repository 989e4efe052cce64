"""The exceptions btm raises.

``InputError`` is for every problem with what a user gave us; ``RunError`` for a notebook run
that failed while executing. Messages follow one shape::

    "<where>: <what is wrong>; expected <what>"

where *where* is a file, row, column or parameter name.
"""

from __future__ import annotations

__all__ = ["BtmError", "InputError", "RunError", "input_error"]


class BtmError(Exception):
    """Base class of every exception btm raises on purpose."""


class InputError(BtmError, ValueError):
    """Bad input: a missing column, a wrong type, a negative cost, a rate given in percent ...

    The message names where the problem is (file, row, column or parameter) and what was
    expected.

    Examples
    --------
    >>> raise InputError("discount_rate: got 8; expected a fraction such as 0.08")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: discount_rate: got 8; expected a fraction such as 0.08
    """


class RunError(BtmError, RuntimeError):
    """A notebook run failed while executing; the run folder is kept and marked failed."""


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def input_error(
    where: str,
    *,
    expected: str,
    got: object = None,
    problem: str | None = None,
    note: str | None = None,
    literal: bool = False,
    show_type: bool = False,
) -> InputError:
    """Build the one message shape of :class:`InputError`: ``"<where>: <problem>; expected <what>"``.

    Parameters
    ----------
    where : str
        File, row, column or parameter name.
    expected : str
        What was expected, in plain words.
    got : object
        The value given; shown with ``repr`` (cut at 80 characters) unless `literal`.
    problem : str, optional
        Say what is wrong in words instead of ``got <value>``.
    note : str, optional
        Added after the value: ``got 8, which looks like a percentage``.
    literal : bool
        Show `got` as it is (already formatted).
    show_type : bool
        Add the value's type: ``got '3' (str)``.

    Examples
    --------
    >>> str(input_error("discount_rate", got=8, literal=True, note="which looks like a percentage",
    ...                 expected="a fraction such as 0.08"))
    'discount_rate: got 8, which looks like a percentage; expected a fraction such as 0.08'
    >>> str(input_error("horizon_years", got="3", show_type=True, expected="a whole number"))
    "horizon_years: got '3' (str); expected a whole number"
    """
    if problem is None:
        shown = str(got) if literal else _show(got)
        problem = f"got {shown}"
        if show_type and got is not None:
            problem += f" ({type(got).__name__})"
        if note:
            problem += f", {note}"
    return InputError(f"{where}: {problem}; expected {expected}")
