"""btm: Business Technology Management decisions as repeatable, auditable analyses.

Decision modules (``btm.finance``, ``btm.tco``, ``btm.forecast``, ``btm.inventory`` ...) take
pandas DataFrames and plain values and return DataFrames, numbers and frozen result
dataclasses; each analysis (``btm.analyses.<name>``) draws its figures in the house style of
``btm.style`` and words its key messages; ``btm.runs`` executes the notebooks shipped in
``btm/notebooks/`` into ``reports/`` and ``btm.boardpack`` assembles the board pack.

Every public module is reachable as ``btm.<module>`` (loaded on first use).

Examples
--------
>>> import btm
>>> round(btm.finance.npv(0.1, [-100, 60, 60]), 2)
4.13
>>> "jit" in dir(btm)
True
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from btm.errors import BtmError, InputError, RunError

__version__ = "0.1.0"
__all__ = ["BtmError", "InputError", "RunError", "__version__"]

# Submodules load on first use so that ``import btm`` stays fast (papermill, statsforecast and
# matplotlib are only imported by the modules that need them). They are found, not listed.
_SUBMODULES = frozenset(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"btm.{name}")
    raise AttributeError(f"module 'btm' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(__all__) | _SUBMODULES)
