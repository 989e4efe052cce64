"""Key numbers and key messages of the BTM competency assessment, computed from results.

Presentation layer: takes the :class:`btm.competency.CompetencyAssessment` and
:class:`btm.competency.DevelopmentPlan` and returns plain-word sentences (most important
first), one sentence per notebook section, and the key numbers for ``results.json``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from btm.competency import CompetencyAssessment, DevelopmentPlan
from btm.messages import and_join, check_result
from btm.style import format_number
from btm.validate import tables_checked

__all__ = ["btm_competency_key_messages", "btm_competency_key_numbers",
           "btm_competency_sentences"]

#: Words for the calendar moments in sentences.
MOMENT_WORDS = {"strategy_review": "strategy review", "budget_deadline": "budget",
                "fiscal_year_start": "fiscal-year start"}


def _check(assessment: Any, plan: Any) -> None:
    check_result(assessment, "assessment", CompetencyAssessment, "btm.competency.assess")
    if plan is not None:
        check_result(plan, "plan", DevelopmentPlan, "btm.competency.development_plan")


def _month(date: pd.Timestamp, reference: pd.Timestamp) -> str:
    """'May', or 'May 2026' when the year differs from the reference's."""
    return f"{date:%B}" if date.year == reference.year else f"{date:%B %Y}"


def _moment(name: Any) -> str:
    return MOMENT_WORDS.get(str(name), str(name))


def _first_dates(plan: DevelopmentPlan) -> dict[str, pd.Timestamp]:
    """Each moment's first occurrence on or after the plan start (the plan's calendar)."""
    cal = plan.calendar
    return dict(zip(cal["moment"].astype(str), cal["date"], strict=True))


def _missed(plan: DevelopmentPlan) -> pd.DataFrame:
    """Rows of the plan with a moment that are not ready for its first occurrence."""
    p = plan.plan
    return p.loc[p["makes_first_moment"].eq(False).fillna(False).astype(bool)]


def _largest(assessment: CompetencyAssessment) -> pd.Series | None:
    gaps = assessment.gaps.dropna(subset=["abs_gap"])
    if gaps.empty:
        return None
    return gaps.loc[gaps["abs_gap"].idxmax()]


def _plan_row(plan: DevelopmentPlan | None, competency: str) -> pd.Series | None:
    if plan is None:
        return None
    rows = plan.plan.loc[plan.plan["competency"] == competency]
    return rows.iloc[0] if len(rows) else None


def _higher(gap: float) -> str:
    """Which side rates a competency higher, from its gap (business minus IT)."""
    if gap < 0:
        return "IT rates it higher"
    return "the business rates it higher" if gap > 0 else "business and IT rate it the same"


def _largest_gap_sentence(assessment: CompetencyAssessment,
                          plan: DevelopmentPlan | None) -> str | None:
    top = _largest(assessment)
    if top is None:
        return None
    c, gap = str(top["competency"]), float(top["gap"])
    side = "lower" if gap < 0 else "higher"
    size = format_number(abs(gap))
    sentence = (f"Business leaders rate {c} {size} point{'' if size == '1' else 's'} {side} than "
                "IT does, the largest gap")
    if plan is None:
        return sentence + "."
    row = _plan_row(plan, c)
    makes = None if row is None else row["makes_first_moment"]
    if row is not None and pd.notna(row["start_by"]) and pd.notna(makes) and not bool(makes):
        moment = _moment(row["needed_by"])
        first = _first_dates(plan)[str(row["needed_by"])]
        sentence += (f"; the plan has it ready in {_month(row['finish'], plan.start)}, too late "
                     f"for the {_month(first, plan.start)} {moment}, so it is ready only for "
                     f"the {_month(row['moment_date'], plan.start)} one.")
    elif row is not None and pd.notna(row["start_by"]):
        sentence += (f"; start it by {_month(row['start_by'], plan.start)} to be ready for "
                     f"the {_month(row['moment_date'], plan.start)} {_moment(row['needed_by'])}.")
    elif row is not None:
        sentence += f"; the plan starts it in {_month(row['start'], plan.start)}."
    else:
        pr = assessment.priorities
        status = pr.loc[pr["competency"] == c, "status"]
        status = str(status.iloc[0]) if len(status) else ""
        sentence += ("; it has reached the threshold, so it is not in the development plan."
                     if status == "reached" else
                     "; it waits for what it rests on and is not in this development plan."
                     if status == "blocked" else "; it is not in the development plan.")
    return sentence


def _significance_sentence(assessment: CompetencyAssessment) -> str:
    g = assessment.gaps
    tested = int(g["p_value"].notna().sum())
    sig = [str(c) for c in g.loc[g["significant"], "competency"]]
    test = "Mann-Whitney U" if assessment.test == "mann_whitney" else "permutation test"
    n = assessment.responses.drop_duplicates("respondent")["role"].value_counts()
    groups = f"{int(n.get('business', 0))} business and {int(n.get('IT', 0))} IT respondents"
    head = (f"{len(sig)} of {tested} gaps {'is' if len(sig) == 1 else 'are'} significant "
            f"({test}, Benjamini-Hochberg adjusted, alpha {assessment.alpha:g})")
    if sig:
        head += f": {and_join(sig)}"
    return (head + f"; with {groups} only large gaps can be detected, so the others are not "
            "evidence of agreement.")


#: Up to this many competencies missing their first moment are named one by one.
NAMED_MISSES = 3


def _missed_clause(plan: DevelopmentPlan) -> str:
    """Which competencies miss the first occurrence of their moment, and what they make."""
    p = plan.plan
    with_moment = int(p["makes_first_moment"].notna().sum())
    if not with_moment:
        return ""
    missed = _missed(plan)
    if missed.empty:
        if with_moment == 1:
            return "; the competency with a calendar moment is ready for its first occurrence"
        return (f"; all {with_moment} competencies with a calendar moment are ready for the "
                "first occurrence of their moment")
    first = _first_dates(plan)
    one = len(missed) == 1
    head = (f"; {len(missed)} of the {with_moment} competencies with a calendar moment "
            f"{'misses the first occurrence of its' if one else 'miss the first occurrence of their'}"
            " moment")
    if len(missed) <= NAMED_MISSES:
        items = [f"{r['competency']} is ready for the {r['moment_date']:%B %Y} "
                 f"{_moment(r['needed_by'])} instead of the {first[str(r['needed_by'])]:%B %Y} one"
                 for _, r in missed.iterrows()]
        return ("; " if with_moment == 1 else head + ": ") + and_join(items)
    groups = missed.groupby(["moment_date", "needed_by"], sort=True).size()
    firsts = [f"the {d:%B %Y} {_moment(m)}" for m, d in sorted(first.items(), key=lambda x: x[1])
              if m in set(missed["needed_by"].astype(str))]
    items = [f"{n} for the {d:%B %Y} {_moment(m)}" for (d, m), n in groups.items()]
    return head + f" ({and_join(firsts)}) and are ready only for a later one: " + and_join(items)


def _plan_sentence(assessment: CompetencyAssessment, plan: DevelopmentPlan) -> str:
    p = plan.plan
    if p.empty:
        return "Every assessed competency has reached the threshold; nothing is left to develop."
    first = p.iloc[0]
    sentence = f"Develop {first['competency']} first"
    if pd.notna(first["start_by"]):
        sentence += (f" (start by {first['start_by']:%d %B %Y} for the "
                     f"{first['moment_date']:%B %Y} {_moment(first['needed_by'])})")
    sentence += ("; the one competency of the plan is developed by " if len(p) == 1 else
                 f"; the {len(p)} competencies of the plan are developed by ")
    sentence += f"{plan.finish:%B %Y}"
    return sentence + _missed_clause(plan) + "."


@tables_checked
def btm_competency_sentences(assessment: CompetencyAssessment,
                             plan: DevelopmentPlan | None = None) -> dict[str, str]:
    """One sentence per section of the notebook, computed from the results.

    Keys ``maturity``, ``ranking``, ``priorities`` and, with a plan, ``plan``.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import competency
    >>> survey = pd.DataFrame({"respondent": list("abcd"),
    ...     "role": ["business", "business", "IT", "IT"],
    ...     "competency": ["Envisioning"] * 4, "maturity": [2, 3, 4, 4]})
    >>> btm_competency_sentences(competency.assess(survey))["maturity"]
    'IT rates 1 of 1 competencies higher than the business does; 0 of the gaps are significant.'
    """
    _check(assessment, plan)
    g = assessment.gaps.dropna(subset=["gap"])
    it_higher = int((g["gap"] < 0).sum())
    n_sig = int(g["significant"].sum())
    out = {"maturity": (f"IT rates {it_higher} of {len(g)} competencies higher than the "
                        f"business does; {n_sig} of the gaps {'is' if n_sig == 1 else 'are'} "
                        "significant.")}
    ranked = g.sort_values(["weighted_gap", "order"], ascending=[False, True], kind="stable")
    top = [f"{c} ({w:.2f})" for c, w in zip(ranked["competency"].head(3),
                                            ranked["weighted_gap"].head(3), strict=True)]
    out["ranking"] = ("Weighted by importance, the largest gaps are " + and_join(top)
                      + ", in rating points.")
    pr = assessment.priorities
    counts = pr["status"].value_counts()
    ready = pr.loc[pr["status"] == "ready", "competency"].astype(str).tolist()
    out["priorities"] = (
        f"{int(counts.get('reached', 0))} competencies have reached the threshold of "
        f"{assessment.threshold:g}{' in both groups' if assessment.basis == 'lower_group' else ''}; "
        f"{and_join(ready) or 'none'} "
        f"{'is' if len(ready) == 1 else 'are'} ready to develop now and "
        f"{int(counts.get('blocked', 0))} wait for what they rest on.")
    if plan is not None:
        out["plan"] = _plan_sentence(assessment, plan)
    return out


@tables_checked
def btm_competency_key_messages(assessment: CompetencyAssessment,
                                plan: DevelopmentPlan | None = None) -> list[str]:
    """Sentences for the board, most important first.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import competency
    >>> survey = pd.DataFrame({"respondent": ["a", "a", "b", "b"],
    ...     "role": ["business", "business", "IT", "IT"],
    ...     "competency": ["Envisioning", "Financial modelling"] * 2, "maturity": [4, 1, 4, 3]})
    >>> r = competency.assess(survey)
    >>> plan = competency.development_plan(r, start="2025-01-06", fiscal_year_start="2025-01-01",
    ...     budget_deadline="2025-09-30", strategy_review="2025-06-15")
    >>> btm_competency_key_messages(r, plan)[0]
    'Business leaders rate Financial modelling 2 points lower than IT does, the largest gap; start it by June to be ready for the September budget.'
    """
    _check(assessment, plan)
    messages = []
    first = _largest_gap_sentence(assessment, plan)
    if first:
        messages.append(first)
    messages.append(_significance_sentence(assessment))
    if plan is not None:
        messages.append(_plan_sentence(assessment, plan))
    return messages


@tables_checked
def btm_competency_key_numbers(assessment: CompetencyAssessment,
                               plan: DevelopmentPlan | None = None) -> dict[str, dict[str, Any]]:
    """Key numbers for ``results.json`` and the board pack.

    ``largest_gap`` (rating points: the size of the largest gap, business minus IT without
    its sign; the label names the competency and which side rates it higher, so the card
    reads as the message does), ``n_significant_gaps`` and,
    with a plan, ``days_to_first_start_by``: days from the plan's start to the latest start
    of the first competency in the plan (null when it has no calendar moment).

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import competency
    >>> survey = pd.DataFrame({"respondent": list("abcd"),
    ...     "role": ["business", "business", "IT", "IT"],
    ...     "competency": ["Envisioning"] * 4, "maturity": [2, 3, 4, 4]})
    >>> largest = btm_competency_key_numbers(competency.assess(survey))["largest_gap"]
    >>> largest["value"], largest["unit"]
    (1.5, 'rating points')
    >>> largest["label"]
    'Size of the largest business-IT gap (Envisioning: IT rates it higher)'
    """
    _check(assessment, plan)
    top = _largest(assessment)
    numbers: dict[str, dict[str, Any]] = {
        "largest_gap": {
            "value": None if top is None else float(top["abs_gap"]),
            "unit": "rating points",
            "label": "Size of the largest business-IT gap" + (
                "" if top is None else f" ({top['competency']}: {_higher(float(top['gap']))})"),
        },
        "n_significant_gaps": {
            "value": int(assessment.gaps["significant"].sum()),
            "unit": "competencies",
            "label": "Competencies with a significant business-IT gap",
        },
    }
    if plan is not None:
        if plan.plan.empty:
            numbers["days_to_first_start_by"] = {
                "value": None, "unit": "days", "label": "Nothing left to develop"}
        else:
            first = plan.plan.iloc[0]
            has = pd.notna(first["start_by"])
            numbers["days_to_first_start_by"] = {
                "value": int((first["start_by"] - plan.start).days) if has else None,
                "unit": "days",
                "label": (f"Days until {first['competency']} must start"
                          + (f" (by {first['start_by']:%d %B %Y})" if has else "")),
            }
    return numbers
