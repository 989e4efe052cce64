"""Key numbers and key messages of the technology roadmap, computed from results, never typed.

Presentation layer: takes the results of :mod:`btm.roadmap` (the comparison with the ranking
method and the shadow-price table) and returns plain-word sentences (most important first) and
the key numbers that go into ``results.json``.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from btm.messages import and_join, check_result, check_table
from btm.roadmap import RankingComparison
from btm.style import format_money, format_number, format_percent
from btm.validate import tables_checked

__all__ = ["roadmap_key_messages", "roadmap_key_numbers", "roadmap_sentences", "best_step"]


def _check(comparison: Any, shadow: Any) -> None:
    check_result(comparison, "comparison", RankingComparison,
                 "btm.roadmap.compare_with_ranking")
    if shadow is not None:
        check_table(shadow, "shadow", ("year", "step", "value_gain", "funded_by_step"),
                    "btm.roadmap.shadow_prices")


@tables_checked
def best_step(shadow: pd.DataFrame) -> pd.Series | None:
    """The row of :func:`btm.roadmap.shadow_prices` where one budget step adds most value
    (the earliest such year on a tie); None when the table is empty.

    Examples
    --------
    >>> import pandas as pd
    >>> sp = pd.DataFrame({"year": [2026, 2027], "step": [1.0, 1.0], "value_gain": [0.0, 3.0],
    ...                    "funded_by_step": ["", "B"]})
    >>> int(best_step(sp)["year"])
    2027
    """
    if not isinstance(shadow, pd.DataFrame) or shadow.empty:
        return None
    return shadow.loc[shadow["value_gain"].astype(float).idxmax()]


def _names(ids: str, initiatives: pd.DataFrame | None) -> str:
    parts = [p.strip() for p in str(ids).split(",") if p.strip()]
    if initiatives is not None and {"initiative", "name"} <= set(initiatives.columns):
        lookup = dict(zip(initiatives["initiative"].astype(str), initiatives["name"],
                          strict=False))
        parts = [str(lookup[p]) if p in lookup and pd.notna(lookup[p]) and str(lookup[p]).strip()
                 else p for p in parts]
    return and_join(parts)


def _shortfall_share(comparison: RankingComparison) -> float:
    """The value the ranking leaves unfunded as a fraction of the best roadmap's value (NaN when
    that is 0); not ``value_gain_share``, which is a fraction of the ranking's value."""
    exact = comparison.exact.value
    return comparison.value_gain / exact if exact > 0 else math.nan


def _funds(n_chosen: int, n_total: int) -> str:
    """'funds 3 of 5 initiatives'; 'funds the one initiative' (or 'leaves out ...') of one."""
    if n_total == 1:
        return "funds the one initiative" if n_chosen else "leaves out the one initiative"
    return f"funds {n_chosen} of {n_total} initiatives"


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


@tables_checked
def roadmap_key_messages(
    comparison: RankingComparison,
    *,
    shadow: pd.DataFrame | None = None,
    initiatives: pd.DataFrame | None = None,
    currency: str = "EUR",
) -> list[str]:
    """Sentences for the board from a roadmap, most important first.

    Parameters
    ----------
    comparison : RankingComparison
        From :func:`btm.roadmap.compare_with_ranking`.
    shadow : DataFrame, optional
        From :func:`btm.roadmap.shadow_prices`.
    initiatives : DataFrame, optional
        The initiatives table; its ``name`` column names initiatives in the sentences.
    currency : str
        Currency code for the amounts.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import roadmap
    >>> items = pd.DataFrame({"initiative": ["A", "B", "C"], "value": [9.0, 7.0, 7.0]})
    >>> prof = pd.DataFrame({"initiative": ["A", "B", "C"], "project_year": [0, 0, 0],
    ...                      "cost": [6.0, 5.0, 5.0]})
    >>> years = pd.DataFrame({"year": [2026], "budget": [10.0]})
    >>> cmp = roadmap.compare_with_ranking(items, prof, years)
    >>> roadmap_key_messages(cmp)[1]
    'Ranking by value per euro would leave EUR 5 of value unfunded (35.7% less).'
    """
    _check(comparison, shadow)
    cur = currency
    exact = comparison.exact
    n_total = len(exact.schedule)
    budget = float(exact.summary["budget"].iloc[0])
    used = f", {format_percent(exact.cost / budget)} of the budget" if budget > 0 else ""
    messages = [
        f"The best roadmap {_funds(len(exact.chosen), n_total)}, worth "
        f"{format_money(exact.value, cur)} for {format_money(exact.cost, cur)}{used}."
    ]
    gain = comparison.value_gain
    shortfall = _shortfall_share(comparison)
    if gain > 0 and math.isfinite(shortfall):
        messages.append(f"Ranking by value per euro would leave {format_money(gain, cur)} of "
                        f"value unfunded ({format_percent(shortfall)} less).")
    elif gain > 0:  # the best roadmap is worth nothing: no share of it to quote
        messages.append(f"Ranking by value per euro would fund a roadmap worth "
                        f"{format_money(gain, cur)} less than the best one.")
    else:
        messages.append("Ranking by value per euro would fund a roadmap of the same value here.")
    row = best_step(shadow) if shadow is not None else None
    if row is not None:
        step = format_money(float(row["step"]), cur)
        if float(row["value_gain"]) > 0:
            funded = _names(row["funded_by_step"], initiatives)
            what = f"fund {funded}" if funded else "rearrange the roadmap"
            messages.append(f"Raising the {int(row['year'])} budget by {step} would {what} and "
                            f"add {format_money(float(row['value_gain']), cur)}.")
        else:
            messages.append(f"Raising any single year's budget by {step} would add no value.")
    yearly = exact.yearly
    res = yearly[(yearly["constraint"] != "budget") & yearly["capacity"].notna()
                 & (yearly["unused"].abs() <= 1e-9 * yearly["capacity"].abs().clip(lower=1))
                 & (yearly["capacity"] > 0)]
    for name, group in res.groupby("constraint", sort=False):
        yrs = [int(y) for y in group["year"]]
        messages.append(f"All {str(name).replace('_', ' ')} are busy in {and_join(yrs)}: people, "
                        "not only money, constrain the roadmap in "
                        f"{'that year' if len(yrs) == 1 else 'those years'}.")
    return messages


def _initiatives_count(n: int) -> str:
    return f"{n} initiative{'' if n == 1 else 's'}"


@tables_checked
def roadmap_sentences(
    comparison: RankingComparison,
    *,
    frontier: pd.DataFrame | None = None,
    currency: str = "EUR",
) -> dict[str, str]:
    """One sentence per section of the notebook, computed from the results.

    Keys ``comparison`` (the exact method against the ranking), ``schedule`` (what is funded
    and when), ``budget_use`` (the budget used over the plan) and, with the table of
    :func:`btm.roadmap.frontier`, ``frontier``.

    Examples
    --------
    One initiative, worth 4 for a cost of 3 in each of its two years:

    >>> import pandas as pd
    >>> from btm import roadmap
    >>> s = roadmap_sentences(roadmap.compare_with_ranking(
    ...     pd.DataFrame({"initiative": ["ERP"], "value": [4.0]}),
    ...     pd.DataFrame({"initiative": ["ERP", "ERP"], "project_year": [0, 1], "cost": [3.0] * 2}),
    ...     pd.DataFrame({"year": [2026, 2027, 2028], "budget": [5.0] * 3})))
    >>> s["comparison"]
    'The exact method funds 1 initiative worth EUR 4; ranking funds 1 worth EUR 4.'
    >>> s["schedule"]
    'The one initiative is funded, starting in 2026.'
    >>> s["budget_use"]
    'The roadmap uses 40% of the EUR 15 budget over the plan.'
    """
    _check(comparison, None)
    if frontier is not None:
        check_table(frontier, "frontier", ("factor", "value"), "btm.roadmap.frontier")
    cur = currency
    exact, ranking = comparison.exact, comparison.ranking
    out = {"comparison": (
        f"The exact method funds {_initiatives_count(len(exact.chosen))} worth "
        f"{format_money(exact.value, cur)}; ranking funds {len(ranking.chosen)} worth "
        f"{format_money(ranking.value, cur)}.")}
    sched = exact.schedule
    chosen = sched.loc[sched["chosen"].astype(bool)]
    starts = [int(v) for v in chosen["start_year"].dropna()]
    if not starts:
        out["schedule"] = ("No initiative is funded." if len(sched) != 1 else
                           "The one initiative is not funded.")
    else:
        when = (f"in {starts[0]}" if min(starts) == max(starts) else
                f"between {min(starts)} and {max(starts)}")
        head = ("The one initiative is funded" if len(sched) == 1 else
                f"{len(chosen)} of {_initiatives_count(len(sched))} "
                f"{'is' if len(chosen) == 1 else 'are'} funded")
        out["schedule"] = f"{head}, starting {when}."
    rows = exact.yearly[exact.yearly["constraint"] == "budget"]
    capacity = float(rows["capacity"].sum())
    out["budget_use"] = (
        f"The roadmap uses {format_percent(float(rows['used'].sum()) / capacity)} of the "
        f"{format_money(capacity, cur)} budget over the plan." if capacity > 0 else
        "The plan has no budget to use.")
    if frontier is not None and len(frontier):
        factors, values = frontier["factor"].astype(float), frontier["value"].astype(float)
        out["frontier"] = (
            f"Between {format_number(factors.min())}× and {format_number(factors.max())}× "
            f"today's budgets the best roadmap is worth {format_money(values.min(), cur)} to "
            f"{format_money(values.max(), cur)}.")
    return out


@tables_checked
def roadmap_key_numbers(
    comparison: RankingComparison,
    *,
    shadow: pd.DataFrame | None = None,
    currency: str = "EUR",
) -> dict[str, dict[str, Any]]:
    """Key numbers of a roadmap for ``results.json`` and the board pack.

    ``value_gain_share`` is :attr:`btm.roadmap.RankingComparison.value_gain_share`, the value
    the exact method gains as a fraction of the **ranking** roadmap's value (how much more the
    best roadmap is worth); ``ranking_shortfall_share`` is the same gain as a fraction of the
    **best** roadmap's value (how much less the ranking is worth, as in the key message).

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import roadmap
    >>> items = pd.DataFrame({"initiative": ["A", "B", "C"], "value": [9.0, 7.0, 7.0]})
    >>> prof = pd.DataFrame({"initiative": ["A", "B", "C"], "project_year": [0, 0, 0],
    ...                      "cost": [6.0, 5.0, 5.0]})
    >>> years = pd.DataFrame({"year": [2026], "budget": [10.0]})
    >>> roadmap_key_numbers(roadmap.compare_with_ranking(items, prof, years))["value_gain"]
    {'value': 5.0, 'unit': 'EUR', 'label': 'Value gained by the exact method over ranking'}
    >>> n = roadmap_key_numbers(roadmap.compare_with_ranking(items, prof, years))
    >>> round(n["value_gain_share"]["value"], 3), round(n["ranking_shortfall_share"]["value"], 3)
    (0.556, 0.357)
    """
    _check(comparison, shadow)
    exact, ranking = comparison.exact, comparison.ranking
    numbers: dict[str, dict[str, Any]] = {
        "exact_value": {"value": float(exact.value), "unit": currency,
                        "label": "Value of the best roadmap"},
        "ranking_value": {"value": float(ranking.value), "unit": currency,
                          "label": "Value of the roadmap ranked by value per euro"},
        "value_gain": {"value": float(comparison.value_gain), "unit": currency,
                       "label": "Value gained by the exact method over ranking"},
        "value_gain_share": {"value": _finite(comparison.value_gain_share), "unit": "%",
                             "label": "Value gained by the exact method, share of the "
                                      "ranking's value"},
        "ranking_shortfall_share": {"value": _finite(_shortfall_share(comparison)), "unit": "%",
                                    "label": "Value the ranking leaves unfunded, share of the "
                                             "best roadmap"},
    }
    row = best_step(shadow) if shadow is not None else None
    if row is not None:
        numbers["best_step_gain"] = {
            "value": float(row["value_gain"]), "unit": currency,
            "label": (f"Value added by {format_money(float(row['step']), currency)} more "
                      f"budget in {int(row['year'])}"),
        }
    return numbers
