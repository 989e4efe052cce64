"""Key numbers and key messages of the IT budget and chargeback, computed from results.

Presentation layer: takes the results of :mod:`btm.budget` (the year's :class:`ITBudget`, the
variance against last year and the :class:`Chargeback`) and returns plain-word sentences
(most important first), the key numbers that go into ``results.json`` and the small table the
run / grow / transform chart draws.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from btm.budget import CATEGORIES, Chargeback, ITBudget
from btm.messages import check_result, check_table, format_percent
from btm.style import format_money
from btm.validate import tables_checked

__all__ = ["category_by_expense", "budget_key_messages", "budget_key_numbers",
           "largest_consumers_sentence"]


def _check(budget: Any, chargeback: Any, variance: Any) -> None:
    check_result(budget, "budget", ITBudget, "btm.budget.annual_budget")
    if chargeback is not None:
        check_result(chargeback, "chargeback", Chargeback, "btm.budget.chargeback")
    if variance is not None:
        check_table(variance, "variance", ("actual", "budget", "change", "change_pct"),
                    "btm.budget.variance")


@tables_checked
def category_by_expense(budget: ITBudget) -> pd.DataFrame:
    """The year's budget by category (run, grow, transform, then any other) and expense type.

    Returns
    -------
    pandas.DataFrame
        Index ``category``; columns ``opex``, ``capex`` and ``total`` (cash view).

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import budget
    >>> run = pd.DataFrame({"item": ["staff", "servers"], "cost_pool": ["labour", "hardware"],
    ...                     "tower": ["compute", "compute"], "amount": [80.0, 20.0],
    ...                     "expense_type": ["opex", "capex"]})
    >>> category_by_expense(budget.annual_budget(run, year=2026)).loc["run"].tolist()
    [80.0, 20.0, 100.0]
    """
    _check(budget, None, None)
    lines = budget.lines
    table = lines.pivot_table(index="category", columns="expense_type", values="amount",
                              aggfunc="sum", fill_value=0.0)
    table = table.reindex(columns=["opex", "capex"], fill_value=0.0).astype(float)
    order = [c for c in CATEGORIES] + sorted(c for c in table.index if c not in CATEGORIES)
    table = table.reindex(order, fill_value=0.0)
    table["total"] = table["opex"] + table["capex"]
    table.index.name = "category"
    table.columns.name = None
    return table


def _share(budget: ITBudget, category: str) -> float:
    s = budget.summary.iloc[0]
    total = float(s["total"])
    return float(s[category]) / total if total > 0 else math.nan


def _percent(share: float) -> str:
    """A share as its card writes it; ``n/a`` when the budget is 0 (as the card shows it)."""
    return format_percent(share) if math.isfinite(share) else "n/a"


@tables_checked
def budget_key_messages(
    budget: ITBudget,
    *,
    chargeback: Chargeback | None = None,
    variance: pd.DataFrame | None = None,
    currency: str = "EUR",
) -> list[str]:
    """Sentences for the board from the IT budget and its chargeback, most important first.

    Parameters
    ----------
    budget : ITBudget
        From :func:`btm.budget.annual_budget`.
    chargeback : Chargeback, optional
        From :func:`btm.budget.chargeback`.
    variance : DataFrame, optional
        From :func:`btm.budget.variance` (with its ``"total"`` row last).
    currency : str
        Currency code for the amounts.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import budget
    >>> run = pd.DataFrame({"item": ["staff", "lab"], "cost_pool": ["labour", "labour"],
    ...                     "tower": ["compute", "compute"], "amount": [75.0, 25.0],
    ...                     "category": ["run", "transform"]})
    >>> budget_key_messages(budget.annual_budget(run, year=2026))[0]
    '75% of the 2026 IT budget of EUR 100 keeps the lights on; transform is 25%.'
    """
    _check(budget, chargeback, variance)
    cur = currency
    s = budget.summary.iloc[0]
    total = float(s["total"])
    messages = [  # the shares as their key-number cards write them (90.8%, not 91%)
        f"{_percent(_share(budget, 'run'))} of the {budget.year} IT budget of "
        f"{format_money(total, cur)} keeps the lights on; transform is "
        f"{_percent(_share(budget, 'transform'))}."
    ]
    messages.append(
        f"Capital spend is {format_money(float(s['capex']), cur)}; the P&L cost, opex plus "
        f"{format_money(float(s['depreciation']), cur)} of depreciation, is "
        f"{format_money(float(s['pnl_cost']), cur)}."
    )
    if variance is not None and len(variance) > 1:
        tot = variance.iloc[-1]
        rows = variance.iloc[:-1]
        key = rows.columns[0]
        top = rows.loc[rows["change"].abs().idxmax()]
        pct = float(tot["change_pct"])
        pct_text = f" ({pct:+.0%})" if math.isfinite(pct) else ""
        direction = "more" if float(tot["change"]) >= 0 else "less"
        messages.append(
            f"That is {format_money(abs(float(tot['change'])), cur)}{pct_text} {direction} than "
            f"last year's actual; the largest change is {top[key]} "
            f"({'+' if float(top['change']) >= 0 else '-'}"
            f"{format_money(abs(float(top['change'])), cur)})."
        )
    if chargeback is not None and _nothing_allocated(chargeback):
        messages.append(str(_nothing_allocated(chargeback)))
    elif chargeback is not None:
        top = chargeback.by_consumer.iloc[0]
        unalloc = float(chargeback.summary["unallocated"].iloc[0])
        tail = (f"{format_money(unalloc, cur)} could not be allocated and is shown separately"
                if unalloc > 0 else "all of it reached a business unit")
        messages.append(f"{top['business_unit']} consumes {format_percent(float(top['share']))} "
                        f"of the IT cost allocated to business units; {tail}.")
    return messages


@tables_checked
def budget_key_numbers(
    budget: ITBudget,
    *,
    chargeback: Chargeback | None = None,
    currency: str = "EUR",
) -> dict[str, dict[str, Any]]:
    """Key numbers of the IT budget for ``results.json`` and the board pack.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import budget
    >>> run = pd.DataFrame({"item": ["staff"], "cost_pool": ["labour"], "tower": ["compute"],
    ...                     "amount": [100.0]})
    >>> budget_key_numbers(budget.annual_budget(run, year=2026))["run_share"]["value"]
    1.0
    """
    _check(budget, chargeback, None)
    s = budget.summary.iloc[0]

    def _num(v: float) -> float | None:
        return v if math.isfinite(v) else None

    numbers: dict[str, dict[str, Any]] = {
        "budget_total": {"value": float(s["total"]), "unit": currency,
                         "label": f"IT budget {budget.year} (opex + capex)"},
        "run_share": {"value": _num(_share(budget, "run")), "unit": "%",
                      "label": "Run share of the budget"},
        "grow_share": {"value": _num(_share(budget, "grow")), "unit": "%",
                       "label": "Grow share of the budget"},
        "transform_share": {"value": _num(_share(budget, "transform")), "unit": "%",
                            "label": "Transform share of the budget"},
        "capex": {"value": float(s["capex"]), "unit": currency, "label": "Capital spend"},
        "pnl_cost": {"value": float(s["pnl_cost"]), "unit": currency,
                     "label": "P&L cost (opex + depreciation)"},
    }
    if chargeback is not None:
        nothing = _nothing_allocated(chargeback)
        top = chargeback.by_consumer.iloc[0] if not nothing else None
        numbers["largest_consumer_share"] = {
            "value": None if top is None else float(top["share"]), "unit": "%",
            "label": ("No IT cost allocated to a business unit" if top is None else
                      f"Share of allocated IT cost consumed by {top['business_unit']}")}
        numbers["unallocated"] = {
            "value": float(chargeback.summary["unallocated"].iloc[0]), "unit": currency,
            "label": "IT cost not allocated to a business unit"}
    return numbers


#: The chargeback sentence when the pools hold no cost (every amount 0).
NO_COST = "There is no cost to allocate: every cost pool is 0."
#: The chargeback sentence when there is cost but none of it reached a business unit.
NOTHING_ALLOCATED = "No cost reached a business unit."


def _nothing_allocated(chargeback: Chargeback) -> str | None:
    """The sentence for a chargeback that allocated nothing; None when some cost was allocated.

    A chargeback of pools that are all 0 is not refused (a scenario may zero a budget): its
    business units get 0 each and no share (NaN), so no unit is "the largest".
    """
    by = chargeback.by_consumer
    if len(by) and by["share"].notna().any():
        return None
    return NO_COST if float(chargeback.summary["total"].iloc[0]) == 0 else NOTHING_ALLOCATED


@tables_checked
def largest_consumers_sentence(chargeback: Chargeback) -> str:
    """Who takes most of the allocated IT cost: the two largest business units (or the only one).

    When nothing was allocated it says so: "There is no cost to allocate: every cost pool is
    0." when the pools hold no cost, "No cost reached a business unit." otherwise.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> cb = SimpleNamespace(by_consumer=pd.DataFrame({"business_unit": ["Sales", "Plant"],
    ...                                                "share": [0.6, 0.4]}))
    >>> largest_consumers_sentence(cb)
    'The two largest consumers, Sales and Plant, take 100% of the allocated cost.'
    >>> cb = SimpleNamespace(by_consumer=cb.by_consumer.iloc[:1])
    >>> largest_consumers_sentence(cb)
    'Sales, the only consumer, takes all of the allocated cost.'
    """
    nothing = _nothing_allocated(chargeback)
    if nothing:
        return nothing
    by = chargeback.by_consumer
    names = by["business_unit"].astype(str).tolist()
    if len(names) == 1:
        return f"{names[0]}, the only consumer, takes all of the allocated cost."
    share = float(by["share"].iloc[:2].sum())
    return (f"The two largest consumers, {names[0]} and {names[1]}, take "
            f"{format_percent(share)} of the allocated cost.")
