"""Key-message helpers given a malformed table raise InputError naming it (issue 14)."""

from __future__ import annotations

import pandas as pd
import pytest

from btm import InputError, messages, tco
from btm.analyses import exported


def test_every_public_message_helper_turns_a_missing_column_into_input_error():
    """Discovered, not hand-listed: a new analysis's helpers are covered as they appear."""
    found = exported("messages")
    assert len(found) >= 20
    unguarded = sorted(n for n, f in found.items()
                       if callable(f) and not isinstance(f, type)
                       and not getattr(f, "__btm_tables_checked__", False))
    assert not unguarded, f"message helpers without tables_checked: {unguarded}"


def _tco():
    costs = pd.DataFrame({"option": ["Buy", "Rent"], "item": ["kit", "fee"],
                          "category": ["hardware", "subscription"], "amount": [100_000, 30_000],
                          "start_year": [0, 0], "end_year": [0, 4]})
    return tco.compare(costs, horizon_years=4, discount_rate=0.0)


def test_tornado_without_swing_names_the_parameter_and_column():
    result = _tco()
    tornado = pd.DataFrame({"driver": ["kit"], "low": [1.0], "high": [2.0]})
    with pytest.raises(InputError, match=r"^tornado: no column '(option|item|swing)'"):
        messages.tco_key_messages(result, tornado=tornado)


def test_a_well_formed_call_is_unchanged():
    out = messages.tco_key_messages(_tco(), break_evens=tco.break_even_table(_tco()))
    assert out[0].startswith("Buy has the lowest present value of cost")


def test_a_keyerror_from_the_helpers_own_lookup_is_not_blamed_on_the_input():
    """Only pandas column lookups are turned into InputError; a dict bug stays a KeyError."""
    from btm.validate import tables_checked

    @tables_checked
    def words(table):
        return {"a": 1}[str(table["kind"].iloc[0])]

    with pytest.raises(KeyError):
        words(pd.DataFrame({"kind": ["b"]}))
    with pytest.raises(InputError, match=r"^table: no column 'kind'"):
        words(pd.DataFrame({"other": ["b"]}))


def test_every_table_lacking_the_column_is_named():
    """Two tables lack the column read: both are named, not just the first."""
    from btm.validate import tables_checked

    @tables_checked
    def pick(first, second):
        return second["swing"].max() + first["driver"].size

    a, b = pd.DataFrame({"driver": ["x"]}), pd.DataFrame({"driver": ["y"]})
    with pytest.raises(InputError, match=r"^first, second: no column 'swing'; expected "
                                         r"tables with a 'swing' column \(pick reads it from"):
        pick(a, b)
    with pytest.raises(InputError, match=r"^second: no column 'swing'; expected a table"):
        pick(pd.DataFrame({"driver": ["x"], "swing": [1]}), b)
