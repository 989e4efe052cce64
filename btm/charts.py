"""Every figure btm draws, by name: the house style and each analysis's own charts.

The house style lives in :mod:`btm.style`; each analysis's figures in
``btm/analyses/<name>/charts.py``. This module offers them all under one name, found by
discovery (no list to keep): ``charts.cumulative_cost`` is
``btm.analyses.tco_comparison.charts.cumulative_cost``.

Examples
--------
>>> import pandas as pd
>>> from btm import charts
>>> charts.format_money(1_234_567, "EUR")
'EUR 1.2M'
>>> by_category = pd.DataFrame({"capex": [500_000, 0], "opex": [300_000, 650_000]},
...                            index=["On premises", "Cloud"])
>>> fig = charts.cost_by_category(by_category, currency="EUR")
>>> fig.axes[0].get_title()
'Total cost of ownership by category'
"""

from __future__ import annotations

from typing import Any

from btm import style as _style
from btm.style import *  # noqa: F403  (the house style is part of this module's surface)


def __getattr__(name: str) -> Any:
    from btm.analyses import exported

    found = exported("charts")
    if name in found:
        return found[name]
    raise AttributeError(f"module 'btm.charts' has no attribute {name!r}")


def __dir__() -> list[str]:
    from btm.analyses import exported

    return sorted(set(_style.__all__) | set(exported("charts")))
