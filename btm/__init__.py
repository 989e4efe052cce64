"""btm: Business Technology Management decisions as repeatable, auditable analyses.

Decision modules (``btm.finance``, ``btm.tco``, ``btm.forecast``, ``btm.inventory`` ...) take
pandas DataFrames and plain values and return DataFrames, numbers and frozen result
dataclasses; ``btm.charts`` draws them in one house style; ``btm.runs`` executes the notebooks
in ``notebooks/`` into ``reports/`` and ``btm.boardpack`` assembles the board pack.

Examples
--------
>>> import btm
>>> round(btm.finance.npv(0.1, [-100, 60, 60]), 2)
4.13
"""

from __future__ import annotations

import importlib
from typing import Any

from btm.errors import BtmError, InputError, RunError

__version__ = "0.1.0"
__all__ = ["BtmError", "InputError", "RunError", "__version__"]

# Submodules load on first use so that ``import btm`` stays fast (papermill, statsforecast and
# matplotlib are only imported by the modules that need them).
_SUBMODULES = {
    "finance", "validate", "messages", "uncertainty", "tco", "mcda", "forecast", "demand", "inventory",
    "replay", "charts", "io", "report", "runs", "analyses", "boardpack", "sweep", "cli",
}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"btm.{name}")
    raise AttributeError(f"module 'btm' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(__all__) | _SUBMODULES)
