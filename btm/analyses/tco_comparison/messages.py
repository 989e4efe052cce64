"""Key numbers and key messages of the TCO comparison, computed from results, never typed.

Presentation layer: takes the result tables of :mod:`btm.tco` and returns plain-word sentences
(most important first) and the key numbers that go into ``results.json``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from btm.messages import and_join, check_result
from btm.style import format_money, format_number, format_percent
from btm.tco import TCOResult, cumulative_cost
from btm.validate import tables_checked

__all__ = ["tco_key_messages", "tco_key_numbers"]


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _count(n: int, noun: str) -> str:
    """``1 year``, ``7 years``, ``10,000 simulations``: the noun singular for exactly one."""
    return f"{format_number(n)} {noun if n == 1 else noun + 's'}"


def _tied(pvs: Any, cur: str) -> int:
    """How many options, cheapest first, tie with the cheapest on present value.

    Two options tie when the gap between them, as the sentence would show it
    (:func:`btm.style.format_money`), is zero: the board sees the displayed figure, and
    "EUR 0 (0%) less than B" is no win. This also absorbs floating-point noise (identical
    options summed in another order), which is far below a displayed cent.
    """
    zero = format_money(0.0, cur)
    return sum(1 for pv in pvs if format_money(float(pv) - float(pvs[0]), cur) == zero)


def _constant(simulation: pd.DataFrame) -> bool:
    """True when no simulated present value varies (no uncertain line within the horizon)."""
    spread = [c for c in ("p5", "p10", "p50", "p90", "p95", "mean") if c in simulation.columns]
    if len(spread) < 2:
        return False
    values = simulation[spread].to_numpy(dtype=float)
    # Percentiles of a constant column differ from it by rounding (interpolation): a relative
    # 1e-9, far below any displayed figure, is no variation.
    scale = np.maximum(np.abs(values).max(axis=1), 1.0)
    return bool((values.max(axis=1) - values.min(axis=1) <= 1e-9 * scale).all())


def _simulation_sentence(
    simulation: pd.DataFrame, cur: str, n_simulations: int | None, robust_threshold: float
) -> str:
    """The sentence on how often the cheapest option is cheapest across the simulations.

    Shares tie as present values do: when they show as the same percentage
    (:func:`btm.style.format_percent`), the options are named together.
    """
    sim = simulation.sort_values("prob_cheapest", ascending=False, kind="stable")
    names = [str(o) for o in sim.index]
    shares = sim["prob_cheapest"].to_numpy(dtype=float)
    p = float(shares[0])
    trials = (f" of {_count(n_simulations, 'simulation')}" if n_simulations
              else " of simulations")
    winner = names[0]
    low = high = ""
    if {"p10", "p90"} <= set(sim.columns):
        low = format_money(float(sim["p10"].iloc[0]), cur)
        high = format_money(float(sim["p90"].iloc[0]), cur)
    if len(names) == 1:  # nothing to be cheapest against: only its range
        if not low:
            return f"{winner} is the only option, so the simulation compares it with nothing."
        across = f" across {_count(n_simulations, 'simulation')}" if n_simulations else ""
        return (f"{winner} is the only option; its present value P10–P90{across} is {low} "
                f"to {high}.")
    ranges = f" (present value P10–P90: {low} to {high})" if low else ""
    tied = sum(1 for q in shares if format_percent(float(q)) == format_percent(p))
    if tied > 1:
        return (f"{and_join(names[:tied])} are each cheapest in {format_percent(p)}{trials}: "
                "no option is a safe choice on cost alone; narrow the biggest estimate ranges "
                "before committing.")
    sentence = f"{winner} is cheapest in {format_percent(p)}{trials}{ranges}"
    if p >= robust_threshold:
        return sentence + "; the choice holds across the estimate ranges."
    return (sentence + f"; not a safe margin: {names[1]} is cheapest in "
            f"{format_percent(float(shares[1]))}, so narrow the biggest estimate ranges before "
            "committing.")


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
      EUR 50k (33.3%) less than Rent, the next cheapest.',
     'Rent costs less than Buy until year 2.3 and more after (cumulative cost, undiscounted).']
    """
    check_result(result, "result", TCOResult, "btm.tco.compare")
    cur = result.currency
    ranked = result.summary.sort_values(["present_value"], kind="stable")
    names = [str(o) for o in ranked.index]
    pvs = ranked["present_value"].to_numpy(dtype=float)
    best, best_pv = names[0], float(pvs[0])
    scope = (f"over {_count(result.horizon_years, 'year')} at {_pct(result.discount_rate)} "
             "a year")
    messages = []
    if len(names) == 1:
        head = (f"{best}, the only option, has a present value of cost of "
                f"{format_money(best_pv, cur)} {scope}.")
    else:
        tied = _tied(pvs, cur)
        if tied > 1:
            head = (f"{and_join(names[:tied])} tie on present value "
                    f"({format_money(best_pv, cur)} {scope})")
        else:
            head = f"{best} has the lowest present value of cost, {format_money(best_pv, cur)} {scope}"
        if tied < len(names):
            second, second_pv = names[tied], float(pvs[tied])
            gap = second_pv - best_pv
            share = f" ({format_percent(gap / second_pv)})" if second_pv > 0 else ""
            head += f": {format_money(gap, cur)}{share} less than {second}, the next cheapest."
        else:
            head += "."
    messages.append(head)

    left_out = result.beyond_horizon
    if len(left_out):
        lines = and_join(f"{o} / {i}" for o, i in
                         zip(left_out["option"], left_out["item"], strict=True))
        start = "starts" if len(left_out) == 1 else "start"
        are = "is" if len(left_out) == 1 else "are"
        messages.append(
            f"{_count(len(left_out), 'cost line')} {start} after the "
            f"{result.horizon_years}-year horizon and {are} left out: {lines}.")

    moving = None if tornado is None else tornado[tornado["swing"].to_numpy(dtype=float) > 0]
    fixed = simulation is not None and _constant(simulation)
    trials = (f"{_count(n_simulations, 'simulation')}" if n_simulations
              else "the simulations")
    give = "gives" if n_simulations == 1 else "give"
    every = "all " if n_simulations and n_simulations > 1 else ""
    if fixed and moving is not None and not len(moving):
        messages.append(
            "No cost line has a low–high estimate range: the simulation has nothing uncertain "
            f"to vary ({every}{trials} {give} the present values above) and no single estimate "
            "moves the answer.")
    elif fixed:
        messages.append(
            "The simulation has nothing uncertain to vary: no cost line within the horizon has "
            f"a low–high estimate range, so {every}{trials} {give} the present values above.")
    elif simulation is not None and "prob_cheapest" in simulation:
        messages.append(_simulation_sentence(simulation, cur, n_simulations, robust_threshold))
    elif moving is not None and not len(moving) and tornado is not None:
        messages.append("No cost line has a low–high estimate range, so no single estimate "
                        "moves the answer.")

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

    if moving is not None and len(moving):
        top = moving.iloc[0]
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
    {'value': 100.0, 'unit': 'EUR', 'label': 'Present value of Buy (the only option)'}
    """
    cur = result.currency
    ranked = result.summary.sort_values("present_value", kind="stable")
    best = ranked.index[0]
    tied = _tied(ranked["present_value"].to_numpy(dtype=float), cur)
    if len(ranked) == 1:
        which = f"{best} (the only option)"
    elif tied > 1:
        which = f"{and_join(str(o) for o in ranked.index[:tied])} (tied cheapest)"
    else:
        which = f"{best} (cheapest)"
    numbers: dict[str, dict[str, Any]] = {
        "cheapest_present_value": {
            "value": float(ranked["present_value"].iloc[0]),
            "unit": cur,
            "label": f"Present value of {which}",
        },
        "cheapest_equivalent_annual_cost": {
            "value": float(ranked["equivalent_annual_cost"].iloc[0]),
            "unit": cur,
            "label": f"Equivalent annual cost of {best}",
        },
    }
    if tied < len(ranked):  # against the next option that costs more (none when all tie)
        numbers["saving_vs_next"] = {
            "value": float(ranked["present_value"].iloc[tied] - ranked["present_value"].iloc[0]),
            "unit": cur,
            "label": f"Saving against {ranked.index[tied]} (present value)",
        }
    if simulation is not None and "prob_cheapest" in simulation:
        p = float(simulation.loc[best, "prob_cheapest"])
        numbers["prob_cheapest"] = {
            "value": p if math.isfinite(p) else None,
            "unit": "%",
            "label": f"Chance {best} is cheapest",
        }
    return numbers
