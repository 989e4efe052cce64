"""Every analysis's key numbers and key messages, by name.

Each analysis keeps its messages beside it, in ``btm/analyses/<name>/messages.py``; this module
offers them all under one name, found by discovery (``messages.tco_key_messages`` is
``btm.analyses.tco_comparison.messages.tco_key_messages``).

Examples
--------
>>> from btm import messages
>>> callable(messages.tco_key_numbers)
True
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    from btm.analyses import exported

    found = exported("messages")
    if name in found:
        return found[name]
    raise AttributeError(f"module 'btm.messages' has no attribute {name!r}")


def __dir__() -> list[str]:
    from btm.analyses import exported

    return sorted(exported("messages"))
