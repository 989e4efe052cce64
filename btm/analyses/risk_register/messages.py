"""Key numbers and key messages of the project risk register, computed from results, never typed.

Presentation layer: takes the results of :func:`btm.risk.assess`, :func:`btm.risk.simulate_cost`
and :func:`btm.risk.review_flags` and returns plain-word sentences (most important first), one
sentence per notebook section, and the key numbers that go into ``results.json``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from btm.constraints import Probability
from btm.errors import InputError
from btm.messages import check_result, format_percent
from btm.risk import RiskAssessment, RiskSimulation
from btm.style import check_currency, check_positive_int, format_money, percentile_name
from btm.validate import tables_checked

__all__ = [
    "risk_percentile_name",
    "risk_band_sentence",
    "risk_contingency_sentence",
    "risk_largest_sentence",
    "risk_response_sentence",
    "risk_review_sentence",
    "risk_response_table",
    "risk_key_messages",
    "risk_key_numbers",
]


def _check(assessment: Any, simulation: Any = None, name: str = "simulation") -> None:
    check_result(assessment, "assessment", RiskAssessment, "btm.risk.assess")
    if simulation is not None:
        check_result(simulation, name, RiskSimulation, "btm.risk.simulate_cost")


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _date(value: Any) -> str:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        ts = pd.NaT
    if pd.isna(ts):
        raise InputError(f"as_of: got {value!r}; expected a date such as 2025-03-31")
    return f"{ts.day} {ts:%B %Y}"


@tables_checked
def risk_percentile_name(confidence: float) -> str:
    """A confidence as the percentile it names, in messages, key-number labels and figures:
    ``P`` and the confidence in per cent with as many decimals as it has (0.995 is P99.5,
    never rounded to a whole percentile, "P100", which no finite contingency reaches).

    Examples
    --------
    >>> [risk_percentile_name(q) for q in (0.5, 0.8, 0.975, 0.995, 0.9999)]
    ['P50', 'P80', 'P97.5', 'P99.5', 'P99.99']
    """
    return percentile_name(float(Probability().check(confidence, "confidence")))


def _serious(assessment: RiskAssessment) -> list[str]:
    """The bands called serious: the top two of three or more, else the top one."""
    labels = list(assessment.labels)
    return labels[-2:] if len(labels) >= 3 else labels[-1:]


def _band_counts(assessment: RiskAssessment) -> tuple[list[str], int, int]:
    serious = _serious(assessment)
    reg = assessment.register
    return (serious, int(reg["band"].isin(serious).sum()),
            int(reg["residual_band"].isin(serious).sum()))


@tables_checked
def risk_band_sentence(assessment: RiskAssessment) -> str:
    """How many risks sit in the serious bands before and after their responses.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import risk
    >>> r = pd.DataFrame({"risk": ["R1", "R2"], "title": ["a", "b"], "category": ["c", "c"],
    ...                   "likelihood": [4, 2], "impact": [5, 2], "residual_likelihood": [2, 2]})
    >>> risk_band_sentence(risk.assess(r))
    '1 of 2 risks is high or critical before responses, 1 after.'
    """
    _check(assessment)
    serious, before, after = _band_counts(assessment)
    n = len(assessment.register)
    words = " or ".join(serious)
    verb = "is" if before == 1 else "are"
    return f"{before} of {_plural(n, 'risk')} {verb} {words} before responses, {after} after."


def _top(simulation: RiskSimulation) -> tuple[str, str, float]:
    top = simulation.contributions.iloc[0]
    return str(top["risk"]), str(top["title"]), float(top["share"])


@tables_checked
def risk_contingency_sentence(residual: RiskSimulation, inherent: RiskSimulation | None = None,
                              *, currency: str = "EUR") -> str:
    """How much to set aside at the simulation's confidence, and the largest risk's share.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import risk
    >>> r = pd.DataFrame({"risk": ["R1"], "title": ["Vendor exits"], "category": ["v"],
    ...                   "likelihood": [3], "impact": [3], "probability": [0.5],
    ...                   "cost_most_likely": [100_000]})
    >>> s = risk.simulate_cost(risk.assess(r), n_simulations=1000, confidence=0.8)
    >>> risk_contingency_sentence(s)
    'Set aside EUR 100k for P80 of the risk cost after responses; R1 (Vendor exits) accounts for 100% of it.'
    """
    currency = check_currency(currency, "currency")
    check_result(residual, "residual", RiskSimulation, "btm.risk.simulate_cost")
    if inherent is not None:
        check_result(inherent, "inherent", RiskSimulation, "btm.risk.simulate_cost")
    s = residual.summary.iloc[0]
    q = risk_percentile_name(float(s["confidence"]))
    basis = "after responses" if s["basis"] == "residual" else "before responses"
    before = ""
    if inherent is not None:
        before = (f" ({format_money(float(inherent.summary['contingency'].iloc[0]), currency)} "
                  "before them)")
    rid, title, share = _top(residual)
    return (f"Set aside {format_money(float(s['contingency']), currency)} for {q} of the risk "
            f"cost {basis}{before}; {rid} ({title}) accounts for {format_percent(share)} of "
            "it.")  # the share as its card writes it (18.3%, not 18%)


_COUNT_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                9: "nine"}


@tables_checked
def risk_largest_sentence(residual: RiskSimulation, *, n: int = 3) -> str:
    """Which `n` risks take most of the contingency, and their share of it together, written
    as the key-number card writes a share (``41.9%``, not ``42%``).

    Examples
    --------
    >>> from btm import risk
    >>> import pandas as pd
    >>> two = {"risk": ["R1", "R2"], "title": ["a", "b"], "category": ["v", "w"],
    ...        "likelihood": [3, 3], "impact": [3, 3], "probability": [1.0, 1.0],
    ...        "cost_most_likely": [200.0, 100.0]}  # certain, fixed costs: shares 2/3 and 1/3
    >>> s = risk.simulate_cost(risk.assess(pd.DataFrame(two)), n_simulations=100,
    ...                        confidence=0.8)
    >>> risk_largest_sentence(s, n=1)
    'The largest, R1, takes 66.7% of the P80 contingency.'
    >>> risk_largest_sentence(s)  # fewer risks than asked for: all of them
    'The two largest, R1, R2, take 100% of the P80 contingency.'
    """
    check_result(residual, "residual", RiskSimulation, "btm.risk.simulate_cost")
    n = check_positive_int(n, "n")
    top = residual.contributions.head(n)  # largest allocation first (btm.risk.simulate_cost)
    if top.empty:
        raise InputError("residual: no priced risk; expected a simulation of at least one risk")
    q = risk_percentile_name(float(residual.summary["confidence"].iloc[0]))
    names = ", ".join(str(r) for r in top["risk"])
    share = format_percent(float(top["share"].sum()))
    if len(top) == 1:
        return f"The largest, {names}, takes {share} of the {q} contingency."
    count = _COUNT_WORDS.get(len(top), str(len(top)))
    return f"The {count} largest, {names}, take {share} of the {q} contingency."


def _not_paying(assessment: RiskAssessment) -> list[str]:
    r = assessment.responses
    return r.loc[r["verdict"] == "costs more than it saves", "risk"].astype(str).tolist()


@tables_checked
def risk_response_sentence(assessment: RiskAssessment, *, currency: str = "EUR") -> str:
    """What the responses buy (cut in expected loss) for what they cost; which do not pay.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import risk
    >>> r = pd.DataFrame({"risk": ["R1", "R2"], "title": ["a", "b"], "category": ["c", "c"],
    ...     "likelihood": [3, 3], "impact": [3, 3], "probability": [0.5, 0.5],
    ...     "cost_most_likely": [100_000, 10_000], "response": ["mitigate", "mitigate"],
    ...     "response_cost": [10_000, 8_000], "residual_probability": [0.1, 0.2]})
    >>> risk_response_sentence(risk.assess(r))
    'Responses cut expected loss by EUR 43k for EUR 18k; 1 does not pay for itself (R2).'
    """
    _check(assessment)
    currency = check_currency(currency, "currency")
    s = assessment.summary
    cut = float(s.loc["inherent", "total_emv"] - s.loc["residual", "total_emv"])
    cost = float(s.loc["residual", "total_response_cost"])
    bad = _not_paying(assessment)
    tail = ("all pay for themselves" if not bad else
            f"{len(bad)} {'does' if len(bad) == 1 else 'do'} not pay for "
            f"{'itself' if len(bad) == 1 else 'themselves'} ({', '.join(bad)})")
    return (f"Responses cut expected loss by {format_money(cut, currency)} for "
            f"{format_money(cost, currency)}; {tail}.")


def _review_counts(flags: pd.DataFrame) -> tuple[int, int, int]:
    if not isinstance(flags, pd.DataFrame) or not {"risk", "issue"} <= set(flags.columns):
        raise InputError("flags: expected the DataFrame of btm.risk.review_flags (columns "
                         "'risk' and 'issue')")
    by = flags.groupby("issue")["risk"].nunique()
    return (int(by.get("no owner", 0)), int(by.get("review overdue", 0)),
            int(by.get("no review date", 0)))


@tables_checked
def risk_review_sentence(flags: pd.DataFrame, *, as_of: Any) -> str:
    """Upkeep of the register: risks without an owner, overdue reviews, missing review dates.

    A count of none is said in words ("every risk has an owner", "no review is overdue"); two
    findings are joined by "and", a finding and an all-clear by ";".

    Examples
    --------
    >>> import pandas as pd
    >>> flags = pd.DataFrame({"risk": ["R1", "R2"], "issue": ["no owner", "review overdue"]})
    >>> risk_review_sentence(flags, as_of="2025-03-31")
    '1 risk has no owner and 1 review is overdue as of 31 March 2025.'
    >>> risk_review_sentence(flags.iloc[1:], as_of="2025-03-31")
    'Every risk has an owner; 1 review is overdue as of 31 March 2025.'
    >>> risk_review_sentence(flags.iloc[:0], as_of="2025-03-31")
    'Every risk has an owner and no review is overdue as of 31 March 2025.'
    """
    no_owner, overdue, no_date = _review_counts(flags)
    when = _date(as_of)
    owners = ("every risk has an owner" if no_owner == 0 else
              f"{_plural(no_owner, 'risk')} {'has' if no_owner == 1 else 'have'} no owner")
    reviews = ("no review is overdue" if overdue == 0 else
               f"{_plural(overdue, 'review')} {'is' if overdue == 1 else 'are'} overdue")
    joint = " and " if (no_owner == 0) == (overdue == 0) else "; "
    text = f"{owners[0].upper()}{owners[1:]}{joint}{reviews} as of {when}"
    if no_date:
        text += f"; {_plural(no_date, 'risk')} {'has' if no_date == 1 else 'have'} no review date"
    return text + "."


@tables_checked
def risk_response_table(assessment: RiskAssessment) -> pd.DataFrame:
    """The responses table with each risk's title, largest cut in expected loss first.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import risk
    >>> r = pd.DataFrame({"risk": ["R1"], "title": ["a"], "category": ["c"], "likelihood": [3],
    ...     "impact": [3], "probability": [0.5], "cost_most_likely": [100.0]})
    >>> risk_response_table(risk.assess(r)).columns.tolist()[:3]
    ['risk', 'title', 'response']
    """
    _check(assessment)
    r = assessment.responses.merge(assessment.register[["risk", "title"]], on="risk")
    cols = ["risk", "title", "response", "response_cost", "emv", "residual_emv",
            "emv_reduction", "net_benefit", "verdict"]
    return (r[cols].sort_values(["emv_reduction", "risk"], ascending=[False, True],
                                kind="stable").reset_index(drop=True))


@tables_checked
def risk_key_messages(assessment: RiskAssessment, residual: RiskSimulation,
                      inherent: RiskSimulation | None = None, flags: pd.DataFrame | None = None,
                      *, as_of: Any = None, currency: str = "EUR") -> list[str]:
    """Sentences for the board, most important first: contingency, responses, bands, upkeep.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import risk
    >>> r = pd.DataFrame({"risk": ["R1"], "title": ["Vendor exits"], "category": ["v"],
    ...     "owner": [None], "likelihood": [3], "impact": [3], "probability": [0.5],
    ...     "cost_most_likely": [100_000], "review_date": ["2025-01-01"]})
    >>> a = risk.assess(r)
    >>> s = risk.simulate_cost(a, n_simulations=1000)
    >>> flags = risk.review_flags(a, as_of="2025-03-31")
    >>> len(risk_key_messages(a, s, flags=flags, as_of="2025-03-31"))
    4
    """
    _check(assessment, residual, "residual")
    out = [risk_contingency_sentence(residual, inherent, currency=currency),
           risk_response_sentence(assessment, currency=currency),
           risk_band_sentence(assessment)]
    if flags is not None:
        if as_of is None:
            raise InputError("as_of: got None; expected the date the flags were computed on")
        out.append(risk_review_sentence(flags, as_of=as_of))
    return out


@tables_checked
def risk_key_numbers(assessment: RiskAssessment, residual: RiskSimulation,
                     inherent: RiskSimulation | None = None, flags: pd.DataFrame | None = None,
                     *, currency: str = "EUR") -> dict[str, dict[str, Any]]:
    """Key numbers for ``results.json`` and the board pack.

    Examples
    --------
    >>> import pandas as pd
    >>> from btm import risk
    >>> r = pd.DataFrame({"risk": ["R1"], "title": ["a"], "category": ["c"], "likelihood": [3],
    ...     "impact": [3], "probability": [0.5], "cost_most_likely": [100.0]})
    >>> a = risk.assess(r)
    >>> risk_key_numbers(a, risk.simulate_cost(a, n_simulations=1000))["contingency"]["value"]
    100.0
    """
    _check(assessment, residual, "residual")
    currency = check_currency(currency, "currency")
    s = residual.summary.iloc[0]
    q = risk_percentile_name(float(s["confidence"]))
    summ = assessment.summary
    rid, _, share = _top(residual)
    numbers: dict[str, dict[str, Any]] = {
        "contingency": {"value": float(s["contingency"]), "unit": currency,
                        "label": f"{q} contingency after responses"},
        "top_risk_share": {"value": share, "unit": "%",
                           "label": f"Share of the contingency needed for {rid}"},
        "emv_reduction": {"value": float(summ.loc["inherent", "total_emv"]
                                         - summ.loc["residual", "total_emv"]),
                          "unit": currency, "label": "Expected loss cut by the responses"},
        "response_cost": {"value": float(summ.loc["residual", "total_response_cost"]),
                          "unit": currency, "label": "Cost of the responses"},
        "n_not_paying": {"value": len(_not_paying(assessment)), "unit": "risks",
                         "label": "Responses that do not pay for themselves"},
        "residual_emv": {"value": float(summ.loc["residual", "total_emv"]), "unit": currency,
                         "label": "Expected loss after responses"},
    }
    if inherent is not None:
        _check(assessment, inherent, "inherent")
        numbers["contingency_inherent"] = {
            "value": float(inherent.summary["contingency"].iloc[0]), "unit": currency,
            "label": f"{q} contingency before responses"}
    if flags is not None:
        no_owner, overdue, no_date = _review_counts(flags)
        numbers["n_no_owner"] = {"value": no_owner, "unit": "risks",
                                 "label": "Risks without an owner"}
        numbers["n_overdue"] = {"value": overdue, "unit": "risks", "label": "Reviews overdue"}
        numbers["n_no_review_date"] = {"value": no_date, "unit": "risks",
                                       "label": "Risks without a review date"}
    order = ["contingency", "contingency_inherent", "top_risk_share", "emv_reduction",
             "response_cost", "n_not_paying", "n_no_owner", "n_overdue"]
    ranked = {k: numbers[k] for k in order if k in numbers}
    ranked.update({k: v for k, v in numbers.items() if k not in ranked})
    # a card reads "1 risk": boardpack.format_key_number puts a count of one in the singular
    return ranked
