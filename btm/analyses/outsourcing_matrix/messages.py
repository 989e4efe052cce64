"""Key numbers and key messages of the outsourcing matrix, computed from results, never typed.

Presentation layer: takes the :class:`btm.outsourcing.OutsourcingResult` of
:func:`btm.outsourcing.assess` and returns plain-word sentences (most important first) and the
key numbers that go into ``results.json``.

"Pays back" means here what :func:`btm.outsourcing.cost_case` calls ``cost_says == "source"``:
the present value of sourcing's saving over the contract (transition and exit costs included)
is above zero.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from btm.messages import and_join, check_result
from btm.outsourcing import STANCES, OutsourcingResult
from btm.style import format_money, format_percent
from btm.validate import tables_checked

__all__ = [
    "outsourcing_matrix_key_messages",
    "outsourcing_matrix_key_numbers",
    "outsourcing_stance_table",
]


def _check(result: Any) -> OutsourcingResult:
    return check_result(result, "result", OutsourcingResult, "btm.outsourcing.assess")


def _years(n: int) -> str:
    return f"{n} year" if n == 1 else f"{n} years"


def _uncosted(acts: pd.DataFrame) -> pd.Series:
    """The activities without a cost row, when a cost table was given (else none)."""
    costed = acts["in_house_annual_cost"].notna()
    return acts.loc[~costed, "activity"] if costed.any() else acts["activity"].iloc[:0]


def _with_costs(result: OutsourcingResult) -> pd.DataFrame:
    """Activities with their in-house cost, present value and conflict (NaN / "" without)."""
    acts = result.activities[["activity", "stance", "review", "single_view_change",
                              "stance_changed_by", "opportunism_risk", "opportunism"]].copy()
    costs = result.costs
    if len(costs):
        by = costs.set_index(pd.Index(costs["activity"].to_numpy(dtype=object)))
        for col in ("in_house_annual_cost", "present_value", "payback_years"):
            acts[col] = by[col].reindex(acts["activity"]).to_numpy(dtype=float)
        acts["cost_says"] = by["cost_says"].reindex(acts["activity"]).to_numpy(dtype=object)
        acts["conflict"] = by["conflict"].reindex(acts["activity"]).fillna("").to_numpy(
            dtype=object)
    else:
        for col in ("in_house_annual_cost", "present_value", "payback_years"):
            acts[col] = np.nan
        acts["cost_says"] = ""
        acts["conflict"] = ""
    return acts


@tables_checked
def outsourcing_stance_table(result: OutsourcingResult) -> pd.DataFrame:
    """Activities and in-house annual cost per stance (keep, partner, source), for the board.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``stance`` (all three, in that order): ``activities`` (count),
        ``in_house_annual_cost`` (sum over those with a cost row), ``share_of_spend`` (of the
        in-house cost of all activities with a cost row; NaN without costs),
        ``present_value_paying_back`` (sum of the positive present values of sourcing) and
        ``under_review`` (count flagged for review).

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import outsourcing
    >>> criteria = pd.DataFrame({"criterion": ["adv", "skill"],
    ...                          "dimension": ["importance", "capability"], "weight": [1, 1]})
    >>> ratings = pd.DataFrame({"activity": ["Analytics"] * 2 + ["Service desk"] * 2,
    ...     "assessor": ["cio"] * 4, "criterion": ["adv", "skill"] * 2, "score": [5, 5, 1, 1]})
    >>> costs = pd.DataFrame({"activity": ["Analytics", "Service desk"],
    ...     "in_house_annual_cost": [300_000, 100_000], "provider_annual_quote": [250_000, 60_000]})
    >>> r = outsourcing.assess(ratings, criteria, costs, discount_rate=0.0, horizon_years=2)
    >>> outsourcing_stance_table(r)[["activities", "in_house_annual_cost", "share_of_spend"]]
    ... # doctest: +NORMALIZE_WHITESPACE
             activities  in_house_annual_cost  share_of_spend
    stance
    keep              1              300000.0            0.75
    partner           0                   0.0            0.00
    source            1              100000.0            0.25
    """
    acts = _with_costs(_check(result))
    total = float(np.nansum(acts["in_house_annual_cost"].to_numpy(dtype=float)))
    has_costs = bool(acts["in_house_annual_cost"].notna().any())
    rows = []
    for stance in STANCES:
        part = acts[acts["stance"] == stance]
        spend = float(np.nansum(part["in_house_annual_cost"].to_numpy(dtype=float)))
        pv = part["present_value"].to_numpy(dtype=float)
        rows.append({
            "activities": len(part),
            "in_house_annual_cost": spend,
            "share_of_spend": (spend / total if total > 0 else 0.0) if has_costs else np.nan,
            "present_value_paying_back": float(np.sum(pv[pv > 0])) if has_costs else np.nan,
            "under_review": int(part["review"].sum()),
        })
    return pd.DataFrame(rows, index=pd.Index(list(STANCES), name="stance"))


def _source_sentence(acts: pd.DataFrame, table: pd.DataFrame, n_source: int, years: str,
                     cur: str) -> str:
    """The first message: the source cells, their share of the spend, what pays back.

    Counts and shares in it cover the same activities: when some activities have no cost
    row, the share is said to be of those that have one, and the others are named.
    """
    n = len(acts)
    costed = acts["in_house_annual_cost"].notna()
    n_costed = int(costed.sum())
    source = acts[(acts["stance"] == "source") & costed]
    total = float(np.nansum(acts["in_house_annual_cost"].to_numpy(dtype=float)))
    spend = (f"{format_percent(float(table.loc['source', 'share_of_spend']))} of the "
             f"{format_money(total, cur)} in-house spend")
    if n_costed == n:
        head = f"{n_source} of {n} activities ({spend}) sit in source cells"
    elif len(source) == n_source:
        head = (f"{n_source} of {n} activities ({spend} of the {n_costed} with a cost case) "
                "sit in source cells")
    elif len(source):
        head = (f"{n_source} of {n} activities sit in source cells, {len(source)} of them with "
                f"a cost case: {spend} of the {n_costed} activities with one")
    else:
        head = f"{n_source} of {n} activities sit in source cells, none of them with a cost case"
    pv = source["present_value"].to_numpy(dtype=float)
    if not len(source):
        tail = ""
    elif (pv > 0).any():
        tail = (f"; those that pay back save {format_money(float(pv[pv > 0].sum()), cur)} in "
                f"present value over {years}")
    elif len(source) == 1:
        tail = f"; it does not pay back within {years}"
    else:
        tail = f"; none pays back within {years}"
    sentence = head + tail + "."
    left_out = list(acts.loc[~costed, "activity"])
    if left_out:
        one = len(left_out) == 1
        sentence += (f" {and_join(left_out)} {'has' if one else 'have'} no cost case and "
                     f"{'is' if one else 'are'} left out of the spend figures.")
    return sentence


def _conflicts(acts: pd.DataFrame) -> pd.DataFrame:
    return acts[acts["conflict"].astype(str) != ""]


@tables_checked
def outsourcing_matrix_key_numbers(result: OutsourcingResult) -> dict[str, dict[str, Any]]:
    """Key numbers of the outsourcing matrix for ``results.json`` and the board pack.

    ``n_keep``, ``n_partner``, ``n_source`` (activities per stance),
    ``in_house_cost_keep`` / ``_partner`` / ``_source`` (in-house annual cost in those cells),
    ``source_present_value`` (present value of sourcing the ``source`` cells that pay back),
    ``n_review`` (activities flagged for review), ``n_conflicts`` (matrix and cost disagree)
    and ``largest_conflict`` (the largest present value at stake in a conflict, 0 when none).

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import outsourcing
    >>> criteria = pd.DataFrame({"criterion": ["adv", "skill"],
    ...                          "dimension": ["importance", "capability"], "weight": [1, 1]})
    >>> ratings = pd.DataFrame({"activity": ["Analytics"] * 2 + ["Service desk"] * 2,
    ...     "assessor": ["cio"] * 4, "criterion": ["adv", "skill"] * 2, "score": [5, 5, 1, 1]})
    >>> costs = pd.DataFrame({"activity": ["Analytics", "Service desk"],
    ...     "in_house_annual_cost": [300_000, 100_000], "provider_annual_quote": [250_000, 60_000]})
    >>> r = outsourcing.assess(ratings, criteria, costs, discount_rate=0.0, horizon_years=2)
    >>> numbers = outsourcing_matrix_key_numbers(r)
    >>> numbers["source_present_value"]["value"], numbers["n_conflicts"]["value"]
    (80000.0, 1)
    >>> numbers["largest_conflict"]["label"]
    'Largest matrix-versus-cost conflict (Analytics, present value)'
    """
    result = _check(result)
    cur = result.currency
    acts = _with_costs(result)
    table = outsourcing_stance_table(result)
    numbers: dict[str, dict[str, Any]] = {}
    for stance in STANCES:
        numbers[f"n_{stance}"] = {"value": int(table.loc[stance, "activities"]),
                                  "unit": "activities",
                                  "label": f"Activities in {stance} cells"}
    uncosted = set(_uncosted(acts))
    for stance in STANCES:
        in_cells = acts.loc[acts["stance"] == stance, "activity"]
        left_out = [a for a in in_cells if a in uncosted]
        label = f"In-house annual cost of the activities in {stance} cells"
        if left_out:  # the count above includes them, the cost cannot
            label += (f" (the {len(in_cells) - len(left_out)} of {len(in_cells)} with a cost "
                      f"case; {and_join(left_out)} left out)")
        numbers[f"in_house_cost_{stance}"] = {
            "value": float(table.loc[stance, "in_house_annual_cost"]), "unit": cur,
            "label": label}
    numbers["source_present_value"] = {
        "value": float(np.nan_to_num(table.loc["source", "present_value_paying_back"])),
        "unit": cur,
        "label": (f"Present value of sourcing the source-cell activities that pay back "
                  f"({_years(result.horizon_years)})")}
    numbers["n_review"] = {"value": int(acts["review"].sum()), "unit": "activities",
                           "label": "Activities flagged for review"}
    conflicts = _conflicts(acts)
    numbers["n_conflicts"] = {"value": len(conflicts), "unit": "activities",
                              "label": "Activities where the matrix and the cost case disagree"}
    if len(conflicts):
        at_stake = conflicts["present_value"].abs().to_numpy(dtype=float)
        k = int(np.argmax(at_stake))
        numbers["largest_conflict"] = {
            "value": float(at_stake[k]), "unit": cur,
            "label": (f"Largest matrix-versus-cost conflict "
                      f"({conflicts['activity'].iloc[k]}, present value)")}
    else:
        numbers["largest_conflict"] = {"value": 0.0, "unit": cur,
                                       "label": "Largest matrix-versus-cost conflict (none)"}
    return numbers


@tables_checked
def outsourcing_matrix_key_messages(result: OutsourcingResult) -> list[str]:
    """Sentences for the board from an outsourcing assessment, most important first.

    1. How many activities sit in ``source`` cells, their share of in-house spend, and what
       sourcing those that pay back saves in present value ("none pays back within 1 year"
       when none does). An activity without a cost row is named as left out of the spend
       figures, and the share is then said to be of the activities that have one.
    2. One sentence per activity the matrix says to keep but that would be cheaper sourced.
    3. The ``source`` cells whose quotes do not pay back.
    4. The placements that depend on who is asked (an assessor's own view gives another cell).
    5. The ``source`` cells with a high supplier-opportunism score (McIvor 2008).

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import outsourcing
    >>> criteria = pd.DataFrame({"criterion": ["adv", "skill"],
    ...                          "dimension": ["importance", "capability"], "weight": [1, 1]})
    >>> ratings = pd.DataFrame({"activity": ["Analytics"] * 2 + ["Service desk"] * 2,
    ...     "assessor": ["cio"] * 4, "criterion": ["adv", "skill"] * 2, "score": [5, 5, 1, 1]})
    >>> costs = pd.DataFrame({"activity": ["Analytics", "Service desk"],
    ...     "in_house_annual_cost": [300_000, 100_000], "provider_annual_quote": [250_000, 60_000]})
    >>> r = outsourcing.assess(ratings, criteria, costs, discount_rate=0.0, horizon_years=2)
    >>> outsourcing_matrix_key_messages(r)  # doctest: +NORMALIZE_WHITESPACE
    ['1 of 2 activities (25% of the EUR 400k in-house spend) sit in source cells; those that pay
      back save EUR 80k in present value over 2 years.',
     'Analytics: the matrix says keep, but sourcing would save EUR 100k; decide on strategy, not
      price.']
    """
    result = _check(result)
    cur = result.currency
    acts = _with_costs(result)
    table = outsourcing_stance_table(result)
    n = len(acts)
    n_source = int(table.loc["source", "activities"])
    messages = []
    years = _years(result.horizon_years)
    if acts["in_house_annual_cost"].notna().any():
        messages.append(_source_sentence(acts, table, n_source, years, cur))
    else:
        messages.append(f"{n_source} of {n} activities sit in source cells (no cost table "
                        "given, so no cost case).")
    conflicts = _conflicts(acts)
    keep_cheaper = conflicts[conflicts["stance"] == "keep"].sort_values(
        "present_value", ascending=False, kind="stable")
    for row in keep_cheaper.itertuples(index=False):
        messages.append(f"{row.activity}: the matrix says keep, but sourcing would save "
                        f"{format_money(float(row.present_value), cur)}; decide on strategy, "
                        "not price.")
    dearer = conflicts[conflicts["stance"] == "source"]
    if len(dearer):
        lost = float(-dearer["present_value"].sum())
        verb = "does" if len(dearer) == 1 else "do"
        messages.append(
            f"{len(dearer)} source-cell {'activity' if len(dearer) == 1 else 'activities'} "
            f"({and_join(dearer['activity'])}) {verb} not pay back within {years} at the "
            "quotes given "
            f"({format_money(lost, cur)} in present value together); renegotiate or keep "
            "them for now.")
    depends = acts[acts["single_view_change"].astype(bool)]
    if len(depends):
        sentence = (f"{len(depends)} placements depend on who is asked "
                    f"({and_join(depends['activity'])}); review them before the board.")
        if len(depends) == 1:
            sentence = sentence.replace("placements depend", "placement depends").replace(
                "review them", "review it")
        stance = depends[depends["stance_changed_by"].astype(str) != ""]
        if len(stance):
            sentence += (f" For {and_join(stance['activity'])} even the stance (keep, partner or "
                         "source) changes.")
        messages.append(sentence)
    risky = acts[acts["opportunism_risk"].astype(bool)]
    if len(risky):
        who = and_join(f"{a} (opportunism {v:.2f} of 1)"
                     for a, v in zip(risky["activity"], risky["opportunism"], strict=True))
        messages.append(
            f"Sourcing is recommended for {who}, but a provider could exploit the dependence; "
            "safeguard the contract (exit terms, performance measures) before signing.")
    return messages
