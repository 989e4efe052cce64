"""Key numbers and key messages of the TCO comparison, computed from results, never typed.

Presentation layer: takes the result tables of :mod:`btm.tco` and returns plain-word sentences
(most important first) and the key numbers that go into ``results.json``.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from btm.messages import check_result
from btm.style import format_money, format_percent
from btm.tco import TCOResult, cumulative_cost
from btm.validate import tables_checked

__all__ = ["tco_key_messages", "tco_key_numbers"]


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _cheaper_before(cum: pd.DataFrame, option: str, other: str, year: float) -> str | None:
    """The option that costs less on the interval that ends at the break-even `year`.

    The break-even is the *last* crossing of the cumulative curves (:func:`btm.tco.break_even`),
    so the sign of ``cum[option] - cum[other]`` at the last year before it where the two differ
    tells which one is cheaper up to it; the other is cheaper after it, to the horizon. Year 0
    alone does not tell: the curves may have crossed before. None when the curves do not differ
    before `year` (not a crossing of these curves).
    """
    diff = (cum[option] - cum[other]).to_numpy(dtype=float)
    years = cum.index.to_numpy(dtype=float)
    before = diff[(years < year) & (diff != 0)]
    if before.size == 0:  # `year` rounded onto the year before it: that year is on the interval
        before = diff[(years <= year) & (diff != 0)]
    if before.size == 0:
        return None
    return option if before[-1] < 0 else other


@tables_checked
def tco_key_messages(
    result: TCOResult,
    *,
    simulation: pd.DataFrame | None = None,
    break_evens: pd.DataFrame | None = None,
    tornado: pd.DataFrame | None = None,
    n_simulations: int | None = None,
    robust_threshold: float = 0.75,
) -> list[str]:
    """Sentences for the board from a TCO comparison, most important first.

    Parameters
    ----------
    result : TCOResult
        From :func:`btm.tco.compare`.
    simulation : DataFrame, optional
        From :func:`btm.tco.simulate` (indexed by option, with ``prob_cheapest``, ``p10``,
        ``p90``).
    break_evens : DataFrame, optional
        From :func:`btm.tco.break_even_table` (undiscounted cumulative cost).
    tornado : DataFrame, optional
        From :func:`btm.tco.tornado`, ranked by swing.
    n_simulations : int, optional
        Number of trials, quoted in the sentence on the simulation.
    robust_threshold : float
        Probability of being cheapest above which the winner is called robust.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import tco
    >>> costs = pd.DataFrame({"option": ["Buy", "Rent"], "item": ["kit", "fee"],
    ...     "category": ["hardware", "subscription"], "amount": [100_000, 30_000],
    ...     "start_year": [0, 0], "end_year": [0, 4]})
    >>> result = tco.compare(costs, horizon_years=4, discount_rate=0.0)
    >>> tco_key_messages(result, break_evens=tco.break_even_table(result))
    ... # doctest: +NORMALIZE_WHITESPACE
    ['Buy has the lowest present value of cost, EUR 100k over 4 years at 0% a year:
      EUR 50k (33%) less than Rent, the next cheapest.',
     'Rent costs less than Buy until year 2.3 and more after (cumulative cost, undiscounted).']
    """
    check_result(result, "result", TCOResult, "btm.tco.compare")
    cur = result.currency
    ranked = result.summary.sort_values(["present_value"], kind="stable")
    best, best_pv = ranked.index[0], float(ranked["present_value"].iloc[0])
    messages = []
    head = (
        f"{best} has the lowest present value of cost, {format_money(best_pv, cur)} over "
        f"{result.horizon_years} years at {_pct(result.discount_rate)} a year"
    )
    if len(ranked) > 1:
        second, second_pv = ranked.index[1], float(ranked["present_value"].iloc[1])
        gap = second_pv - best_pv
        share = f" ({_pct(gap / second_pv)})" if second_pv > 0 else ""
        head += f": {format_money(gap, cur)}{share} less than {second}, the next cheapest."
    else:
        head += "."
    messages.append(head)

    if simulation is not None and "prob_cheapest" in simulation:
        sim = simulation.sort_values("prob_cheapest", ascending=False, kind="stable")
        winner, p = sim.index[0], float(sim["prob_cheapest"].iloc[0])
        trials = f" of {n_simulations:,} simulations" if n_simulations else " of simulations"
        sentence = f"{winner} is cheapest in {format_percent(p)}{trials}"
        if {"p10", "p90"} <= set(sim.columns):
            sentence += (
                f" (present value P10–P90: {format_money(float(sim.loc[winner, 'p10']), cur)} to "
                f"{format_money(float(sim.loc[winner, 'p90']), cur)})"
            )
        if p >= robust_threshold:
            sentence += "; the choice holds across the estimate ranges."
        else:
            runner, q = sim.index[1], float(sim["prob_cheapest"].iloc[1])
            sentence += (
                f"; not a safe margin: {runner} is cheapest in {format_percent(q)}, so narrow the "
                "biggest estimate ranges before committing."
            )
        messages.append(sentence)

    if break_evens is not None and len(break_evens):
        cum = cumulative_cost(result, discounted=False)
        seen = set()
        rows = break_evens.dropna(subset=["break_even_year"])
        rows = rows[rows["option"].isin([best]) | rows["other"].isin([best])]
        for option, other, year in rows[["option", "other", "break_even_year"]].itertuples(
            index=False
        ):
            pair = frozenset((option, other))
            if pair in seen:
                continue
            seen.add(pair)
            early = _cheaper_before(cum, option, other, float(year))
            if early is None:
                continue
            late = other if early == option else option
            messages.append(
                f"{early} costs less than {late} until year {year:.1f} and more after "
                "(cumulative cost, undiscounted)."
            )

    if tornado is not None and len(tornado):
        top = tornado.iloc[0]
        messages.append(
            f"The estimate that moves the answer most is {top['option']}: {top['item']}; "
            f"between its low and high estimate the option's present value moves by "
            f"{format_money(float(top['swing']), cur)}."
        )
    return messages


@tables_checked
def tco_key_numbers(
    result: TCOResult, *, simulation: pd.DataFrame | None = None
) -> dict[str, dict[str, Any]]:
    """Key numbers of a TCO comparison for ``results.json`` and the board pack.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import tco
    >>> costs = pd.DataFrame({"option": ["Buy"], "item": ["kit"], "category": ["hardware"],
    ...     "amount": [100.0], "start_year": [0], "end_year": [0]})
    >>> tco_key_numbers(tco.compare(costs, horizon_years=1, discount_rate=0.1))["cheapest_present_value"]
    {'value': 100.0, 'unit': 'EUR', 'label': 'Present value of Buy (cheapest)'}
    """
    cur = result.currency
    ranked = result.summary.sort_values("present_value", kind="stable")
    best = ranked.index[0]
    numbers: dict[str, dict[str, Any]] = {
        "cheapest_present_value": {
            "value": float(ranked["present_value"].iloc[0]),
            "unit": cur,
            "label": f"Present value of {best} (cheapest)",
        },
        "cheapest_equivalent_annual_cost": {
            "value": float(ranked["equivalent_annual_cost"].iloc[0]),
            "unit": cur,
            "label": f"Equivalent annual cost of {best}",
        },
    }
    if len(ranked) > 1:
        numbers["saving_vs_next"] = {
            "value": float(ranked["present_value"].iloc[1] - ranked["present_value"].iloc[0]),
            "unit": cur,
            "label": f"Saving against {ranked.index[1]} (present value)",
        }
    if simulation is not None and "prob_cheapest" in simulation:
        p = float(simulation.loc[best, "prob_cheapest"])
        numbers["prob_cheapest"] = {
            "value": p if math.isfinite(p) else None,
            "unit": "%",
            "label": f"Chance {best} is cheapest",
        }
    return numbers
