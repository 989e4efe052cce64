"""The exceptions btm raises.

``InputError`` is for every problem with what a user gave us; ``RunError`` for a notebook run
that failed while executing. Messages follow one shape::

    "<where>: <what is wrong>; expected <what>"

where *where* is a file, row, column or parameter name.
"""

from __future__ import annotations

__all__ = ["BtmError", "InputError", "RunError"]


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
