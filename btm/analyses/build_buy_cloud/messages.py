"""Key numbers and key messages of build, buy or cloud, computed from results, never typed.

Presentation layer: takes the :class:`btm.sourcing.SourcingResult` of
:func:`btm.sourcing.evaluate` (and optionally the TCO result and the judgements table it was
given) and returns plain-word sentences, most important first, and the key numbers that go
into ``results.json``.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from btm import mcda
from btm.errors import InputError
from btm.messages import check_result
from btm.sourcing import SourcingResult
from btm.style import format_money, format_number, format_percent
from btm.tco import TCOResult
from btm.validate import tables_checked

__all__ = [
    "build_buy_cloud_key_messages",
    "build_buy_cloud_key_numbers",
    "build_buy_cloud_sentences",
    "tipping_points",
    "assessor_revisions",
]

_METHOD_WORDS = {"topsis": "TOPSIS", "weighted_sum": "weighted-sum"}

#: What is said when a single option passes the must-have gates (no score, no ranking).
_ALONE = "Only {winner} passes the must-have gates; there is nothing to rank it against."


def _name(x: Any) -> str:
    """A criterion or option name in a sentence: underscores as spaces."""
    return str(x).replace("_", " ")


def _saaty(x: float) -> str:
    """A judgement as an analyst writes it: 3, 1/3, 2.5, 1/2.5."""
    if x >= 1:
        return f"{x:.2f}".rstrip("0").rstrip(".")
    return "1/" + f"{1 / x:.2f}".rstrip("0").rstrip(".")


_SAATY_SCALE = [1 / k for k in range(9, 1, -1)] + list(range(1, 10))


def _nearest_saaty(x: float) -> float:
    """The value of Saaty's scale (1/9 .. 1 .. 9) nearest to `x` on a log scale."""
    return min(_SAATY_SCALE, key=lambda v: abs(math.log(v) - math.log(x)))


def _check(result: Any, tco: Any = None) -> SourcingResult:
    checked = check_result(result, "result", SourcingResult, "btm.sourcing.evaluate")
    if tco is not None:
        check_result(tco, "tco", TCOResult, "btm.tco.compare")
    return checked


@tables_checked
def tipping_points(result: SourcingResult) -> pd.DataFrame:
    """The weight changes that make another option win, nearest first.

    One row per criterion whose weight, moved alone (the others rescaled in proportion),
    changes the winner: ``criterion, weight`` (stated), ``direction`` (``"falls below"`` or
    ``"rises above"``), ``threshold`` (the weight at which the winner changes), ``change``
    (``|threshold - weight|``) and ``new_winner``. Criteria whose weight can move anywhere
    from 0 to 1 without changing the winner are left out.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import sourcing
    >>> scores = pd.DataFrame({"assessor": ["A"] * 4, "option": ["X", "X", "Y", "Y"],
    ...     "criterion": ["fit", "speed"] * 2, "score": [5, 1, 1, 5]})
    >>> criteria = pd.DataFrame({"criterion": ["fit", "speed"], "weight": [0.6, 0.4]})
    >>> r = sourcing.evaluate(scores, criteria=criteria, weights_source="direct",
    ...                       method="weighted_sum", n_simulations=100)
    >>> tipping_points(r)[["criterion", "direction", "threshold", "new_winner"]].round(3)
      criterion    direction  threshold new_winner
    0       fit  falls below        0.5          Y
    1     speed  rises above        0.5          Y
    """
    _check(result)
    rows = []
    for c, row in result.sensitivity.intervals.iterrows():
        change = row["smallest_change"]
        if pd.isna(change):
            continue
        below = row["overtaken_below"] is not None and not pd.isna(row["overtaken_below"]) \
            and math.isclose(row["weight"] - row["lower"], change, abs_tol=1e-12)
        rows.append({
            "criterion": c, "weight": float(row["weight"]),
            "direction": "falls below" if below else "rises above",
            "threshold": float(row["lower"] if below else row["upper"]),
            "change": float(change), "new_winner": row["new_winner"],
        })
    table = pd.DataFrame(rows, columns=["criterion", "weight", "direction", "threshold",
                                        "change", "new_winner"])
    return table.sort_values("change", kind="stable").reset_index(drop=True)


@tables_checked
def assessor_revisions(result: SourcingResult, judgements: pd.DataFrame) -> pd.DataFrame:
    """For each assessor whose judgements are inconsistent (CR > 0.10): the one to revise.

    Columns ``assessor, consistency_ratio, criterion_a, criterion_b, judgement, suggested,
    consistency_ratio_after``: the judgement whose change lowers the assessor's inconsistency
    most, the value on Saaty's scale that would do it (see :func:`btm.mcda.ahp_weights`) and
    the consistency ratio with it. Empty when every assessor is consistent or the weights did
    not come from judgements.
    """
    _check(result)
    columns = ["assessor", "consistency_ratio", "criterion_a", "criterion_b", "judgement",
               "suggested", "consistency_ratio_after"]
    if result.ahp is None:
        return pd.DataFrame(columns=columns)
    if not isinstance(judgements, pd.DataFrame) or "assessor" not in judgements.columns:
        raise InputError("judgements: expected the judgements table (with an 'assessor' column) "
                         "that the result was computed from")
    criteria = list(result.weights.index)
    rows = []
    for a, row in result.ahp.assessors.iterrows():
        if row["acceptable"]:
            continue
        own = judgements.loc[judgements["assessor"] == a].drop(columns="assessor")
        if own.empty:
            raise InputError(f"judgements: no rows for assessor {a!r}; expected the judgements "
                             "table that the result was computed from")
        ahp = mcda.ahp_weights(mcda.judgements_to_matrix(own, criteria=criteria))
        mi = ahp.most_inconsistent
        if mi is None:  # pragma: no cover - an inconsistent matrix always has one
            continue
        rows.append({"assessor": a, "consistency_ratio": float(ahp.consistency_ratio),
                     "criterion_a": mi.row, "criterion_b": mi.column,
                     "judgement": float(mi.judgement), "suggested": float(mi.suggested),
                     "consistency_ratio_after": float(mi.consistency_ratio_after)})
    return pd.DataFrame(rows, columns=columns)


@tables_checked
def build_buy_cloud_key_messages(
    result: SourcingResult,
    *,
    tco: TCOResult | None = None,
    judgements: pd.DataFrame | None = None,
    robust_threshold: float = 0.75,
) -> list[str]:
    """Sentences for the board from a build / buy / cloud evaluation, most important first.

    Parameters
    ----------
    result : SourcingResult
        From :func:`btm.sourcing.evaluate`.
    tco : TCOResult, optional
        The TCO result the evaluation used (its horizon and discount rate are quoted).
    judgements : pandas.DataFrame, optional
        The judgements table, to name the value an inconsistent assessor should revise to.
    robust_threshold : float
        Share of trials in first place above which the choice is called robust.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import sourcing
    >>> scores = pd.DataFrame({"assessor": ["A"] * 4, "option": ["X", "X", "Y", "Y"],
    ...     "criterion": ["fit", "speed"] * 2, "score": [5, 1, 1, 5]})
    >>> criteria = pd.DataFrame({"criterion": ["fit", "speed"], "weight": [0.6, 0.4]})
    >>> r = sourcing.evaluate(scores, criteria=criteria, weights_source="direct",
    ...                       method="weighted_sum", n_simulations=100)
    >>> build_buy_cloud_key_messages(r)[1]
    'Nearest tipping points: Y overtakes X if the fit weight falls below 0.50 (now 0.60) or the speed weight rises above 0.50 (now 0.40).'
    """
    _check(result, tco)
    if isinstance(robust_threshold, bool) or not isinstance(robust_threshold, int | float) \
            or not 0 < robust_threshold <= 1:
        raise InputError(f"robust_threshold: got {robust_threshold!r}; expected a fraction "
                         "greater than 0 and at most 1")
    s = result.summary.iloc[0]
    ranking = result.ranking
    winner = s["winner"]
    share = float(s["winner_first_rank_share"])
    n = result.acceptability.n
    word = _METHOD_WORDS.get(result.method, result.method)
    messages = []
    alone = len(ranking) == 1

    # figures written as the key-number cards on the same page write them
    head = f"{winner} ranks first ({word} {format_number(s['winner_score'])}" if not alone \
        else ""
    if s["runner_up"] is not None and not pd.isna(s["runner_up"]):
        head += f", {format_number(s['margin'])} ahead of {s['runner_up']}"
    if alone:  # no score, no trials, no tipping point: nothing to rank it against
        messages.append(_ALONE.format(winner=winner))
    elif share >= robust_threshold:
        head += (f") and in {format_percent(share)} of {n:,} trials of plausible weights and "
                 "scores.")
    else:
        head += f") and in {format_percent(share)} of {n:,} trials of plausible weights and scores"
        others = ranking.drop(index=winner).sort_values("first_rank_share", ascending=False,
                                                       kind="stable")
        head += (f"; not a safe margin: {others.index[0]} is first in "
                 f"{format_percent(float(others['first_rank_share'].iloc[0]))}, so settle the "
                 "weights before committing.")
    if not alone:
        messages.append(head)

    tips = tipping_points(result)
    if alone:
        pass
    elif len(tips):
        first, parts = None, []
        for t in tips.head(2).itertuples():
            change = (f"the {_name(t.criterion)} weight {t.direction} {t.threshold:.2f} "
                      f"(now {t.weight:.2f})")
            if first is None:
                parts.append(f"{t.new_winner} overtakes {winner} if {change}")
            elif t.new_winner == first:
                parts.append(f" or {change}")
            else:
                parts.append(f"; {t.new_winner} overtakes {winner} if {change}")
            first = t.new_winner if first is None else first
        plural = "s" if len(parts) > 1 else ""
        messages.append(f"Nearest tipping point{plural}: " + "".join(parts) + ".")
    else:
        messages.append(f"No single weight, moved anywhere from 0 to 1 with the others rescaled "
                        f"in proportion, makes another option overtake {winner}.")

    if "present_value" in ranking.columns:
        cur = result.currency
        pv = float(ranking.loc[winner, "present_value"])
        cheapest = ranking["present_value"].idxmin()
        sentence = f"{winner}'s cost: {format_money(pv, cur)} present value"
        if tco is not None:
            sentence += f" over {tco.horizon_years} years at {tco.discount_rate:.0%}"
        if alone:
            sentence += ", the only option still in the running."
        elif cheapest == winner:
            sentence += ", the lowest of the options still in the running."
        else:
            gap = pv - float(ranking.loc[cheapest, "present_value"])
            sentence += (f", {format_money(gap, cur, decimals=0)} more than {cheapest}, the cheapest "
                         "option still in the running.")
        messages.append(sentence)

    for option in pd.unique(result.excluded["option"]):
        reasons = result.excluded.loc[result.excluded["option"] == option, "reason"]
        messages.append(f"{option} is excluded: " + "; ".join(reasons) + ".")

    if result.ahp is not None:
        ahp = result.ahp
        revisions = assessor_revisions(result, judgements) if judgements is not None else None
        weak = ahp.assessors.loc[~ahp.assessors["acceptable"]]
        for a, row in weak.iterrows():
            sentence = (f"{a}'s judgements are inconsistent (CR {row['consistency_ratio']:.2f} "
                        f"> {mcda.CONSISTENCY_THRESHOLD:.2f})")
            pair = str(row["most_inconsistent"]).split(" / ")
            if revisions is not None and a in set(revisions["assessor"]):
                rv = revisions.loc[revisions["assessor"] == a].iloc[0]
                sentence += (f": revise {_name(rv['criterion_a'])} against "
                             f"{_name(rv['criterion_b'])} (given {_saaty(rv['judgement'])}; about "
                             f"{_saaty(_nearest_saaty(rv['suggested']))} brings the CR to about "
                             f"{rv['consistency_ratio_after']:.2f})")
            elif len(pair) == 2:
                sentence += f": revise {_name(pair[0])} against {_name(pair[1])} first"
            messages.append(sentence + ".")
        if not ahp.group.acceptable:
            messages.append(f"The group's combined judgements (geometric mean of "
                            f"{len(ahp.assessors)} assessors) are inconsistent: CR "
                            f"{ahp.consistency_ratio:.2f} > {mcda.CONSISTENCY_THRESHOLD:.2f}.")

    outliers = result.assessor_scores.loc[result.assessor_scores["outlier"]]
    for a in pd.unique(outliers["assessor"]):
        cells = outliers.loc[outliers["assessor"] == a]
        listed = ", ".join(f"{r.option} on {_name(r.criterion)} ({r.score:g}, panel median "
                           f"{r.panel_median:g})" for r in cells.itertuples())
        count = f"{len(cells)} score" + ("s" if len(cells) > 1 else "")
        messages.append(f"{a} stands apart on {count}: {listed}.")

    messages.extend(note for note in result.notes if note.startswith("The weights in"))
    return messages


@tables_checked
def build_buy_cloud_sentences(result: SourcingResult) -> dict[str, str]:
    """One sentence per section of the notebook, computed from the result.

    Keys ``gates``, ``ranking``, ``sensitivity``, ``acceptability``, ``assessors``.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import sourcing
    >>> scores = pd.DataFrame({"assessor": ["A"] * 4, "option": ["X", "X", "Y", "Y"],
    ...     "criterion": ["fit", "speed"] * 2, "score": [5, 1, 1, 5]})
    >>> criteria = pd.DataFrame({"criterion": ["fit", "speed"], "weight": [0.6, 0.4]})
    >>> r = sourcing.evaluate(scores, criteria=criteria, weights_source="direct",
    ...                       method="weighted_sum", n_simulations=100)
    >>> build_buy_cloud_sentences(r)["sensitivity"]
    'The nearest tipping point: Y overtakes X if the fit weight falls below 0.50 (now 0.60).'
    """
    _check(result)
    s = result.summary.iloc[0]
    winner = s["winner"]
    word = _METHOD_WORDS.get(result.method, result.method)
    n_ranked = len(result.ranking)
    gates = (f"{int(s['n_excluded'])} option{'s' if s['n_excluded'] != 1 else ''} excluded by a "
             f"must-have gate; {n_ranked} ranked: {', '.join(map(str, result.ranking.index))}.")
    if n_ranked == 1:
        gates = gates.replace(f"1 ranked: {winner}.", f"only {winner} passes.")
        return {"gates": gates, "ranking": _ALONE.format(winner=winner),
                "sensitivity": f"With {winner} alone, no weight change can change the choice.",
                "acceptability": f"With {winner} alone, there is no ranking to test.",
                "assessors": _assessors_sentence(result)}
    ranking = f"{winner} ranks first with a {word} score of {format_number(s['winner_score'])}"
    if s["runner_up"] is not None and not pd.isna(s["runner_up"]):
        ranking += f", {format_number(s['margin'])} ahead of {s['runner_up']}"
    tips = tipping_points(result)
    if len(tips):
        t = tips.iloc[0]
        sensitivity = (f"The nearest tipping point: {t['new_winner']} overtakes {winner} if the "
                       f"{_name(t['criterion'])} weight {t['direction']} {t['threshold']:.2f} "
                       f"(now {t['weight']:.2f}).")
    else:
        sensitivity = f"No single weight change makes another option overtake {winner}."
    acceptability = (f"{winner} ranks first in {format_percent(s['winner_first_rank_share'])} of "
                     f"{result.acceptability.n:,} trials.")
    return {"gates": gates, "ranking": ranking + ".", "sensitivity": sensitivity,
            "acceptability": acceptability, "assessors": _assessors_sentence(result)}


def _assessors_sentence(result: SourcingResult) -> str:
    a = result.assessors
    n_out = int((a["n_outlying"] > 0).sum())
    assessors = f"{n_out} of {len(a)} assessors stand apart on at least one score"
    if result.ahp is not None:
        n_bad = int((~result.ahp.assessors["acceptable"]).sum())
        assessors += (f"; {n_bad} gave inconsistent judgements (CR > "
                      f"{mcda.CONSISTENCY_THRESHOLD:.2f}); the group's CR is "
                      f"{result.ahp.consistency_ratio:.2f}")
    return assessors + "."


def _value(x: Any) -> float | None:
    if x is None or pd.isna(x):
        return None
    return float(x)


@tables_checked
def build_buy_cloud_key_numbers(result: SourcingResult) -> dict[str, dict[str, Any]]:
    """Key numbers of a build / buy / cloud evaluation for ``results.json`` and the board pack.

    Numbers that do not apply are ``None`` (written as null): the score, the margin, the
    share of trials and the weight change with one option left, the smallest weight change when no weight change alters the winner, the group's
    consistency ratio with direct weights, the present value without a TCO result.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import sourcing
    >>> scores = pd.DataFrame({"assessor": ["A"] * 4, "option": ["X", "X", "Y", "Y"],
    ...     "criterion": ["fit", "speed"] * 2, "score": [5, 1, 1, 5]})
    >>> criteria = pd.DataFrame({"criterion": ["fit", "speed"], "weight": [0.6, 0.4]})
    >>> r = sourcing.evaluate(scores, criteria=criteria, weights_source="direct",
    ...                       method="weighted_sum", n_simulations=100)
    >>> build_buy_cloud_key_numbers(r)["margin"]
    {'value': 0.2, 'unit': '', 'label': 'Lead of X over Y (score points)'}
    """
    _check(result)
    s = result.summary.iloc[0]
    winner = s["winner"]
    word = _METHOD_WORDS.get(result.method, result.method)
    runner = s["runner_up"]
    has_runner = runner is not None and not pd.isna(runner)
    tips = tipping_points(result)
    if len(tips):
        t = tips.iloc[0]
        change_label = (f"Smallest weight change that makes {t['new_winner']} win "
                        f"({_name(t['criterion'])} weight {t['direction']} {t['threshold']:.2f})")
    else:
        change_label = "Smallest weight change that changes the winner (none does)"
    pv = None
    if "present_value" in result.ranking.columns:
        pv = float(result.ranking.loc[winner, "present_value"])
    alone = len(result.ranking) == 1
    if alone:  # a score, a share of trials or a weight change would be made up
        change_label = f"Smallest weight change that changes the winner ({winner} alone)"
    return {
        "winner_score": {"value": _value(s["winner_score"]), "unit": "",
                         "label": f"{word} score of {winner} (ranked first)" if not alone
                         else f"{word} score of {winner} (the only option passing the gates: "
                              "nothing to rank it against)"},
        "margin": {"value": round(float(s["margin"]), 12) if has_runner else None, "unit": "",
                   "label": f"Lead of {winner} over {runner} (score points)" if has_runner
                   else "Lead over the runner-up (no other option left)"},
        "winner_first_rank_share": {
            "value": _value(s["winner_first_rank_share"]), "unit": "%",
            "label": f"Trials in which {winner} ranks first "
                     + (f"({result.acceptability.n:,} trials)" if not alone
                        else "(no other option to rank against)")},
        "smallest_weight_change": {"value": _value(s["smallest_weight_change"]), "unit": "",
                                   "label": change_label},
        "group_consistency_ratio": {
            "value": _value(s["group_consistency_ratio"]), "unit": "",
            "label": "Consistency ratio of the group's judgements (acceptable up to 0.10)"
            if result.ahp is not None else "Consistency ratio (weights given directly)"},
        "n_excluded": {"value": int(s["n_excluded"]), "unit": "",
                       "label": "Options excluded by a must-have gate"},
        "winner_present_value": {"value": pv, "unit": result.currency,
                                 "label": f"Present value of {winner}'s cost"},
    }
