"""Key messages: the sentences a board reads, computed from results, never typed by hand.

Presentation layer: takes the result tables of the decision modules and returns plain-word
sentences (most important first) and the key numbers that go into ``results.json``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from btm.charts import format_money
from btm.errors import InputError
from btm.tco import TCOResult, cumulative_cost

__all__ = ["tco_key_messages", "tco_key_numbers", "demand_key_messages", "demand_key_numbers"]


def _pct(x: float) -> str:
    return f"{x:.0%}"


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
    if not isinstance(result, TCOResult):
        raise InputError(f"result: got {type(result).__name__}; expected a TCOResult")
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
        sentence = f"{winner} is cheapest in {_pct(p)}{trials}"
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
                f"; not a safe margin: {runner} is cheapest in {_pct(q)}, so narrow the "
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
            early = option if cum[option].iloc[0] < cum[other].iloc[0] else other
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


# --------------------------------------------------------------------------- demand and JIT


def _period_word(freq: str) -> str:
    """'weeks', 'months' ... for a pandas frequency."""
    words = {"W": "weeks", "M": "months", "Q": "quarters", "Y": "years", "A": "years",
             "D": "days", "B": "business days", "h": "hours", "H": "hours"}
    return words.get(str(freq)[:1], "periods")


def _forecast_vs_naive(plan: Any) -> tuple[int, int, float, float] | None:
    """(SKUs where the chosen model beats seasonal naive, SKUs compared, mean MASE of each)."""
    acc = plan.backtest.accuracy
    naive = acc.loc[acc["model"] == "SeasonalNaive", ["unique_id", "mase"]]
    chosen = acc.merge(plan.backtest.chosen[["unique_id", "model"]], on=["unique_id", "model"])
    both = chosen[["unique_id", "mase"]].merge(naive, on="unique_id", suffixes=("", "_naive"))
    both = both.loc[both["mase"].notna() & both["mase_naive"].notna()]
    both = both.loc[np.isfinite(both["mase"].to_numpy(dtype=float))
                    & np.isfinite(both["mase_naive"].to_numpy(dtype=float))]
    if both.empty:
        return None
    wins = int((both["mase"] < both["mase_naive"]).sum())
    return wins, len(both), float(both["mase"].mean()), float(both["mase_naive"].mean())


def _check_plan(plan: Any, outcome: Any) -> None:
    from btm.jit import JITPlan, ReplayOutcome

    if not isinstance(plan, JITPlan):
        raise InputError(f"plan: got {type(plan).__name__}; expected the JITPlan of btm.jit.plan")
    if outcome is not None and not isinstance(outcome, ReplayOutcome):
        raise InputError(f"outcome: got {type(outcome).__name__}; expected the ReplayOutcome "
                         "of btm.jit.replay_policy")


def demand_key_messages(plan: Any, outcome: Any = None, *, currency: str = "EUR") -> list[str]:
    """Sentences for the board from a JIT plan and its replay, most important first.

    Parameters
    ----------
    plan : JITPlan
        From :func:`btm.jit.plan`.
    outcome : ReplayOutcome, optional
        From :func:`btm.jit.replay_policy`.
    currency : str
        Currency code of the SKU master's costs.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import pandas as pd, pytest
    >>> _ = pytest.importorskip("statsforecast")  # jit.plan forecasts with statsforecast
    >>> from btm import jit
    >>> ds = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    >>> h = pd.DataFrame({"unique_id": "A", "ds": ds, "y": [10.0, 14.0] * 20})
    >>> skus = pd.DataFrame({"unique_id": ["A"], "unit_cost": [500.0], "lead_time_weeks": [2],
    ...                      "order_cost": [20.0], "holding_cost_rate": [0.2]})
    >>> p = jit.plan(h, skus, horizon=4, service_level=0.9, models=["Naive"])
    >>> demand_key_messages(p)[0]
    'At a 90% service level the 1 SKUs need EUR 3.1k of safety stock.'
    """
    _check_plan(plan, outcome)
    cur = currency
    pol = plan.policy
    word = _period_word(plan.freq)
    messages = []
    vs = _forecast_vs_naive(plan)
    if vs is not None:
        wins, n, mase, mase_naive = vs
        messages.append(
            f"Forecasts chosen per SKU beat seasonal naive on {_pct(wins / n)} of the {n} "
            f"regular-demand SKUs (mean MASE {mase:.2f} vs {mase_naive:.2f}).")
    ss_value = float(pol["safety_stock_value"].sum())
    sentence = (f"At a {plan.service_level:.0%} service level the {len(pol)} SKUs need "
                f"{format_money(ss_value, cur)} of safety stock")
    emp = pol.loc[pol["safety_stock_method"] == "empirical"]
    if len(emp):
        sentence += (f"; {format_money(float(emp['safety_stock_value'].sum()), cur)} of it for "
                     f"the {len(emp)} intermittent or lumpy SKUs, set from observed forecast "
                     "errors rather than a normal curve")
    messages.append(sentence + ".")
    if outcome is not None:
        o = outcome.replay.overall.set_index("policy")
        fr = float(o.loc["forecast", "fill_rate"])
        inv = float(o.loc["forecast", "average_inventory_value"])
        sentence = (f"Replayed on the last {outcome.holdout_periods} {word}, the policy filled "
                    f"{fr:.1%} of demand with {format_money(inv, cur)} of average inventory")
        if "naive" in o.index:
            nfr = float(o.loc["naive", "fill_rate"])
            diff = float(o.loc["naive", "average_inventory_value"]) - inv
            more_less = "less" if diff >= 0 else "more"
            sentence += (f": {format_money(abs(diff), cur)} {more_less} than ordering from past "
                         f"averages, which filled {nfr:.1%}")
        messages.append(sentence + ".")
        bc = outcome.by_class.loc[outcome.by_class["demand_class"] != "all"]
        worst = bc.sort_values("inventory_freed", kind="stable").iloc[0] if len(bc) else None
        if worst is not None and worst["inventory_freed"] < 0:
            messages.append(
                f"Exception: {worst['demand_class']} SKUs held "
                f"{format_money(-float(worst['inventory_freed']), cur)} more inventory than "
                f"with past averages, for a {worst['fill_rate']:.1%} fill rate "
                f"(vs {worst['naive_fill_rate']:.1%}).")
    orders = plan.orders
    if len(orders):
        first = orders["order_ds"].min()
        now = orders.loc[orders["order_ds"] == first]
        messages.append(
            f"Order now ({first:%d %b %Y}): {len(now)} orders worth "
            f"{format_money(float(now['order_value'].sum()), cur)}.")
    return messages


def demand_key_numbers(
    plan: Any, outcome: Any = None, *, currency: str = "EUR"
) -> dict[str, dict[str, Any]]:
    """Key numbers of a JIT plan (and its replay) for ``results.json`` and the board pack.

    Examples
    --------
    >>> import pandas as pd, pytest
    >>> _ = pytest.importorskip("statsforecast")  # jit.plan forecasts with statsforecast
    >>> from btm import jit
    >>> ds = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    >>> h = pd.DataFrame({"unique_id": "A", "ds": ds, "y": [10.0, 14.0] * 20})
    >>> skus = pd.DataFrame({"unique_id": ["A"], "unit_cost": [500.0], "lead_time_weeks": [2],
    ...                      "order_cost": [20.0], "holding_cost_rate": [0.2]})
    >>> p = jit.plan(h, skus, horizon=4, service_level=0.9, models=["Naive"])
    >>> demand_key_numbers(p)["safety_stock_value"]["label"]
    'Safety stock at a 90% service level'
    """
    _check_plan(plan, outcome)
    cur = currency
    pol = plan.policy
    word = _period_word(plan.freq)
    numbers: dict[str, dict[str, Any]] = {
        "safety_stock_value": {
            "value": float(pol["safety_stock_value"].sum()), "unit": cur,
            "label": f"Safety stock at a {plan.service_level:.0%} service level"},
    }
    if outcome is not None:
        o = outcome.replay.overall.set_index("policy")
        numbers["replay_fill_rate"] = {
            "value": float(o.loc["forecast", "fill_rate"]), "unit": "%",
            "label": f"Fill rate replayed on the last {outcome.holdout_periods} {word}"}
        numbers["replay_average_inventory_value"] = {
            "value": float(o.loc["forecast", "average_inventory_value"]), "unit": cur,
            "label": "Average inventory in the replay"}
        if "naive" in o.index:
            numbers["inventory_freed_vs_naive"] = {
                "value": float(o.loc["naive", "average_inventory_value"]
                               - o.loc["forecast", "average_inventory_value"]),
                "unit": cur, "label": "Inventory freed against the naive policy (replay)"}
            numbers["naive_fill_rate"] = {
                "value": float(o.loc["naive", "fill_rate"]), "unit": "%",
                "label": "Fill rate of the naive policy (replay)"}
    vs = _forecast_vs_naive(plan)
    if vs is not None:
        wins, n, mase, mase_naive = vs
        numbers["share_beating_seasonal_naive"] = {
            "value": wins / n, "unit": "%",
            "label": f"Regular-demand SKUs whose forecast beats seasonal naive ({n} SKUs)"}
        numbers["mase_chosen"] = {
            "value": mase, "unit": "",
            "label": f"Mean MASE of chosen forecasts (seasonal naive {mase_naive:.2f})"}
    numbers["empirical_skus"] = {
        "value": int((pol["safety_stock_method"] == "empirical").sum()), "unit": "SKUs",
        "label": "Intermittent or lumpy: empirical safety stock"}
    if len(plan.orders):
        first = plan.orders["order_ds"].min()
        now = plan.orders.loc[plan.orders["order_ds"] == first]
        numbers["orders_now_value"] = {
            "value": float(now["order_value"].sum()), "unit": cur,
            "label": f"Orders to place now ({first:%d %b %Y})"}
    first_shown = ["safety_stock_value", "replay_fill_rate", "naive_fill_rate",
                   "replay_average_inventory_value", "inventory_freed_vs_naive",
                   "share_beating_seasonal_naive", "empirical_skus", "orders_now_value"]
    ordered = [k for k in first_shown if k in numbers] + [k for k in numbers
                                                           if k not in first_shown]
    return {k: numbers[k] for k in ordered}
