"""Risk register: scores, heat map, expected monetary value, contingency by Monte Carlo.

The input is one table with a row per risk (see ``btm/data/risk_register/README.md``):

==================== ==============================================================================
column               meaning
==================== ==============================================================================
risk                 unique id ("R01" ...)
title                what could happen
category             security, vendor lock-in, scope creep, downtime, integration ...
owner                who watches it (empty cells are flagged by :func:`review_flags`)
likelihood, impact   levels on the register's scales (1..``likelihood_scale``, 1..``impact_scale``);
                     optional where a probability / a cost is given instead (then the level
                     comes from ``probability_bands`` / ``cost_bands``)
probability          chance the risk occurs (0..1) over the project
cost_low,            three-point cost estimate if it occurs (``low <= most_likely <= high``);
cost_most_likely,    low and high may be left empty for a certain cost
cost_high
response             avoid, transfer, mitigate or accept (default accept)
response_cost        what the response costs (default 0)
residual_*           likelihood, impact, probability and cost after the response (each empty
                     cell: as before the response); none may exceed its value before it
review_date          when the risk is next due for review
==================== ==============================================================================

Method
------
Score = likelihood x impact on the register's scales, banded by the register's own thresholds
(the probability-impact matrix of the PMBOK Guide, 6th ed., PMI 2017, section 11.3.2.6; ISO
31000:2018). Expected monetary value EMV = probability x expected cost, the expected cost being
the mean of the three-point estimate (PERT ``(a + 4m + b) / 6`` or triangular ``(a + m + b) / 3``;
PMBOK section 11.4.2.5). A response pays for itself when the reduction in EMV it buys is at
least its cost.

The Monte Carlo of total risk cost draws, in every trial, whether each risk occurs (Bernoulli
with its probability) and its cost (beta-PERT or triangular, :mod:`btm.uncertainty`); an
optional rank correlation between risks is imposed on occurrence through a normal copula and
on cost by the rank reordering of :func:`btm.uncertainty.rank_correlate` (after Iman and
Conover, 1982), which keeps each risk's cost distribution. The
contingency at confidence q is the q-quantile of the total; each risk's share of it is its
contribution to the expected total in the trials at or beyond that quantile (the Euler
allocation of expected shortfall, Tasche, "Risk contributions and performance measurement",
1999), so the shares add up to 1 and a risk that rarely matters in bad outcomes gets little.

Examples
--------
>>> import pandas as pd
>>> register = pd.DataFrame({
...     "risk": ["R1", "R2"], "title": ["Vendor exits market", "Data breach"],
...     "category": ["vendor lock-in", "security"], "owner": ["CIO", "CISO"],
...     "likelihood": [2, 3], "impact": [5, 4], "probability": [0.1, 0.3],
...     "cost_most_likely": [200_000, 50_000],
... })
>>> a = assess(register)
>>> a.register[["risk", "score", "band", "rank", "emv"]].values.tolist()
[['R1', 10, 'high', 2, 20000.0], ['R2', 12, 'high', 1, 15000.0]]
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from btm import uncertainty, validate
from btm.constraints import (
    CalendarDate,
    Interval,
    ListOf,
    NoneOr,
    Options,
    Probability,
    Seed,
    Text,
    constrained,
)
from btm.errors import InputError, input_error

__all__ = [
    "RISK_COLUMNS",
    "BANDS",
    "RESPONSES",
    "RiskAssessment",
    "RiskSimulation",
    "assess",
    "simulate_cost",
    "review_flags",
]

BANDS = ("low", "medium", "high", "critical")
"""The bands of a risk matrix without labels of its own, lowest first."""

RESPONSES = ("avoid", "transfer", "mitigate", "accept")
"""The four responses to a threat (PMBOK Guide, 6th ed., section 11.5.2.4)."""

_PRICE = ("cost_low", "cost_most_likely", "cost_high")
_RES_PRICE = tuple(f"residual_{c}" for c in _PRICE)

RISK_COLUMNS: tuple[validate.Column, ...] = (
    validate.Column("risk", "text", description="unique risk id"),
    validate.Column("title", "text", description="what could happen"),
    validate.Column("category", "text", description="security, vendor lock-in, scope creep ..."),
    validate.Column("owner", "text", required=False, allow_missing=True,
                    description="who watches the risk"),
    validate.Column("likelihood", "integer", required=False, allow_missing=True,
                    description="likelihood level, 1..likelihood_scale"),
    validate.Column("impact", "integer", required=False, allow_missing=True,
                    description="impact level, 1..impact_scale"),
    validate.Column("probability", "number", required=False, allow_missing=True, min=0, max=1,
                    description="chance of occurring over the project, 0..1"),
    *(validate.Column(c, "number", required=False, allow_missing=True, min=0,
                      description=f"{c.split('_', 1)[1].replace('_', ' ')} cost if it occurs")
      for c in _PRICE),
    validate.Column("response", "text", required=False, default="accept",
                    description="avoid, transfer, mitigate or accept"),
    validate.Column("response_cost", "number", required=False, default=0.0, min=0,
                    description="cost of the response"),
    validate.Column("residual_likelihood", "integer", required=False, allow_missing=True,
                    description="likelihood level after the response"),
    validate.Column("residual_impact", "integer", required=False, allow_missing=True,
                    description="impact level after the response"),
    validate.Column("residual_probability", "number", required=False, allow_missing=True,
                    min=0, max=1, description="probability after the response"),
    *(validate.Column(f"residual_{c}", "number", required=False, allow_missing=True, min=0,
                      description=f"{c.split('_', 1)[1].replace('_', ' ')} cost after the response")
      for c in _PRICE),
    validate.Column("review_date", "date", required=False, allow_missing=True,
                    description="next review due"),
)
"""Declared columns of a risk register (used by :func:`assess` and ``btm.io``)."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class RiskAssessment:
    """Result of :func:`assess`.

    Attributes
    ----------
    register : pandas.DataFrame
        The validated register (input order) with, for the inherent and the residual risk:
        ``likelihood``/``residual_likelihood``, ``impact``/``residual_impact`` (given or derived
        from the bands), ``score``/``residual_score``, ``band``/``residual_band``,
        ``rank``/``residual_rank`` (1 = most serious: highest score, then highest EMV; ties
        share a rank), ``expected_cost``/``residual_expected_cost`` (mean of the three-point
        cost) and ``emv``/``residual_emv`` (empty when the risk has no probability or no cost).
    heat_map : pandas.DataFrame
        Tidy grid, every cell of both scales for both bases: ``basis`` ("inherent" or
        "residual"), ``likelihood``, ``impact``, ``score``, ``band``, ``n_risks`` and ``risks``
        (comma-separated ids in the cell).
    responses : pandas.DataFrame
        One row per risk: ``risk``, ``response``, ``response_cost``, ``emv``, ``residual_emv``,
        ``emv_reduction``, ``net_benefit`` (reduction - cost), ``return_ratio`` (reduction /
        cost; empty for a free response), ``pays_for_itself`` and ``verdict`` in words.
    summary : pandas.DataFrame
        Indexed by ``basis``: ``n_risks``, ``n_priced``, ``total_emv``, ``total_response_cost``
        (residual row) and one ``n_<band>`` column per band.
    thresholds : tuple of float
        Score thresholds: a score at or above ``thresholds[k]`` is in band ``labels[k + 1]``.
    labels : tuple of str
        Band names, lowest first.
    likelihood_scale, impact_scale : int
    distribution : str
        The three-point distribution behind the expected costs.
    """

    register: pd.DataFrame
    heat_map: pd.DataFrame
    responses: pd.DataFrame
    summary: pd.DataFrame
    thresholds: tuple[float, ...]
    labels: tuple[str, ...]
    likelihood_scale: int
    impact_scale: int
    distribution: str


@dataclass(frozen=True)
class RiskSimulation:
    """Result of :func:`simulate_cost`.

    Attributes
    ----------
    trials : pandas.DataFrame
        One row per trial: ``trial``, ``total_cost``.
    contributions : pandas.DataFrame
        One row per priced risk, largest allocation first: ``risk``, ``title``, ``category``,
        ``probability``, ``emv``, ``mean_cost`` (simulated), ``share`` (of the contingency;
        shares add up to 1) and ``allocation`` (share x contingency, in money).
    summary : pandas.DataFrame
        One row: ``basis``, ``mean``, ``std``, ``p50``, ``p80``, ``p90``, ``total_emv``,
        ``confidence``, ``contingency`` (the total at that confidence), ``n_simulations``,
        ``distribution``, ``n_priced``, ``n_unpriced`` (risks without probability or cost,
        left out).
    """

    trials: pd.DataFrame
    contributions: pd.DataFrame
    summary: pd.DataFrame

    @constrained(confidence=Probability(include_high=True))
    def contingency_at(self, confidence: float) -> float:
        """Total risk cost not exceeded in a share `confidence` of trials.

        Examples
        --------
        >>> import pandas as pd
        >>> r = pd.DataFrame({"risk": ["R1"], "title": ["t"], "category": ["c"],
        ...                   "likelihood": [1], "impact": [1], "probability": [0.5],
        ...                   "cost_most_likely": [100]})
        >>> simulate_cost(assess(r), n_simulations=1000).contingency_at(0.9)
        100.0
        """
        return float(np.quantile(self.trials["total_cost"].to_numpy(), confidence))

    @constrained(budget=Interval(float, 0))
    def probability_within(self, budget: float) -> float:
        """Share of trials whose total risk cost is at most `budget`.

        Examples
        --------
        >>> import pandas as pd
        >>> r = pd.DataFrame({"risk": ["R1"], "title": ["t"], "category": ["c"],
        ...                   "likelihood": [1], "impact": [1], "probability": [0.25],
        ...                   "cost_most_likely": [100]})
        >>> round(simulate_cost(assess(r), n_simulations=100_000).probability_within(50), 2)
        0.75
        """
        return float((self.trials["total_cost"].to_numpy() <= budget).mean())


# --------------------------------------------------------------------------- validation


def _label(source: str, row: int, risk: Any, column: str) -> str:
    return f"{source}, row {row} (risk {risk!r}), column '{column}'"


def _amount(x: float) -> str:
    """A cost in a message as typed: 1234567, not 1.23457e+06."""
    return f"{x:.15g}"


def _columns_needed(register: Any) -> tuple[validate.Column, ...]:
    """:data:`RISK_COLUMNS` with the optional columns this register cannot do without made
    required, so that a missing (or misspelt) one is reported as a missing column, the columns
    found listed, as every table's is, and not as an empty cell of the first row: the most
    likely cost beside a low or a high one (inherent or residual), and a likelihood or an
    impact when neither it nor what it is derived from (``probability``, ``cost_most_likely``)
    is there."""
    found = {str(c) for c in register.columns} if isinstance(register, pd.DataFrame) else set()
    needed = {ml for lo, ml, hi in (_PRICE, _RES_PRICE) if lo in found or hi in found}
    for level, source in (("likelihood", "probability"), ("impact", "cost_most_likely")):
        if level not in found and source not in found:
            needed.add(level)
    return tuple(dataclasses.replace(c, required=True) if c.name in needed else c
                 for c in RISK_COLUMNS)


def _bands(values: np.ndarray, cuts: tuple[float, ...]) -> np.ndarray:
    """Level 1 + the number of cut points at or below each value."""
    return 1 + np.searchsorted(np.asarray(cuts, dtype=float), values, side="right")


def _validated(register: Any, *, likelihood_scale: int, impact_scale: int,
               probability_bands: tuple[float, ...], cost_bands: tuple[float, ...] | None,
               distribution: str, source: str) -> pd.DataFrame:
    t = validate.frame(register, _columns_needed(register), source=source)
    # Residual costs typed by the user (not filled in below from their own most likely cost or
    # from the inherent ones): each may not exceed its inherent counterpart.
    typed = {c: t[c].notna().to_numpy() for c in _RES_PRICE}
    ids = t["risk"].astype(str).tolist()
    t["risk"] = ids
    seen: dict[str, int] = {}
    for row, r in enumerate(ids, start=1):
        if r in seen:
            raise InputError(f"{source}, row {row}, column 'risk': got {r!r}, already used in "
                             f"row {seen[r]}; expected a unique risk id")
        seen[r] = row

    def fail(mask: np.ndarray, column: str, got: Any, expected: str) -> None:
        if np.any(mask):
            i = int(np.flatnonzero(mask)[0])
            shown = got(i) if callable(got) else got
            raise InputError(f"{_label(source, i + 1, ids[i], column)}: {shown}; "
                             f"expected {expected}")

    resp = t["response"].str.lower()
    fail(~resp.isin(RESPONSES).to_numpy(), "response",
         lambda i: f"got {t['response'].iloc[i]!r}", "one of " + ", ".join(RESPONSES))
    t["response"] = resp

    for col, scale in (("likelihood", likelihood_scale), ("impact", impact_scale),
                       ("residual_likelihood", likelihood_scale),
                       ("residual_impact", impact_scale)):
        v = t[col].to_numpy(dtype=float)
        fail(~np.isnan(v) & ((v < 1) | (v > scale)), col, lambda i, v=v: f"got {v[i]:g}",
             f"a level from 1 to {scale} (the register's scale)")

    # Three-point costs: most likely required when low or high is given; low/high default to it.
    for cols in (_PRICE, _RES_PRICE):
        lo, ml, hi = (t[c].to_numpy(dtype=float) for c in cols)
        fail(np.isnan(ml) & (~np.isnan(lo) | ~np.isnan(hi)), cols[1], "the cell is empty",
             f"a most likely cost when '{cols[0]}' or '{cols[2]}' is given")
        lo = np.where(np.isnan(lo), ml, lo)
        hi = np.where(np.isnan(hi), ml, hi)
        fail(lo > ml, cols[0], lambda i, lo=lo, ml=ml:
             f"got {_amount(lo[i])} above most likely {_amount(ml[i])}",
             "low <= most likely <= high")
        fail(hi < ml, cols[2], lambda i, hi=hi, ml=ml:
             f"got {_amount(hi[i])} below most likely {_amount(ml[i])}",
             "low <= most likely <= high")
        t[cols[0]], t[cols[2]] = lo, hi

    # Residual values default to the inherent ones.
    derived_l = t["likelihood"].isna().to_numpy()
    derived_i = t["impact"].isna().to_numpy()
    p = t["probability"].to_numpy(dtype=float)
    fail(derived_l & np.isnan(p), "likelihood", "the cell is empty and so is 'probability'",
         "a likelihood level or a probability")
    cost_ml = t["cost_most_likely"].to_numpy(dtype=float)
    fail(derived_i & np.isnan(cost_ml), "impact", "the cell is empty and so is "
         "'cost_most_likely'", "an impact level or a cost")
    if cost_bands is None:
        fail(derived_i, "impact", "the cell is empty and no cost_bands were given",
             "an impact level, or cost_bands to derive it from the cost")
    lik = np.where(derived_l, _bands(np.nan_to_num(p), probability_bands), t["likelihood"])
    imp = np.where(derived_i, _bands(np.nan_to_num(cost_ml), cost_bands or ()), t["impact"])
    t["likelihood"] = lik.astype(np.int64)
    t["impact"] = imp.astype(np.int64)
    for c in ("residual_probability", *_RES_PRICE):
        base = c.removeprefix("residual_")
        t[c] = t[c].where(t[c].notna(), t[base]).astype(float)
    rp = t["residual_probability"].to_numpy(dtype=float)
    rcost = t["residual_cost_most_likely"].to_numpy(dtype=float)
    rl = t["residual_likelihood"].to_numpy(dtype=float)
    ri = t["residual_impact"].to_numpy(dtype=float)
    rl = np.where(~np.isnan(rl), rl, np.where(derived_l, _bands(np.nan_to_num(rp),
                                                                 probability_bands), lik))
    ri = np.where(~np.isnan(ri), ri, np.where(derived_i, _bands(np.nan_to_num(rcost),
                                                                 cost_bands or ()), imp))
    t["residual_likelihood"] = rl.astype(np.int64)
    t["residual_impact"] = ri.astype(np.int64)
    for res, base in (("residual_likelihood", "likelihood"), ("residual_impact", "impact"),
                      ("residual_probability", "probability")):
        r, b = t[res].to_numpy(dtype=float), t[base].to_numpy(dtype=float)
        fail(r > b + 1e-12, res, lambda i, r=r, b=b: f"got {r[i]:g} above the inherent {b[i]:g}",
             "a value after the response at most the value before it")
    for res in _RES_PRICE:
        base = res.removeprefix("residual_")
        r, b = t[res].to_numpy(dtype=float), t[base].to_numpy(dtype=float)
        fail(typed[res] & (r > b), res, lambda i, r=r, b=b, base=base:
             f"got {_amount(r[i])} above the inherent {_amount(b[i])} ('{base}')",
             "a cost after the response at most the cost before it")
    return t


def _expected_cost(t: pd.DataFrame, cols: tuple[str, ...], distribution: str) -> np.ndarray:
    lo, ml, hi = (t[c].to_numpy(dtype=float) for c in cols)
    if distribution == "pert":
        return (lo + 4 * ml + hi) / 6
    return (lo + ml + hi) / 3


def _rank(score: np.ndarray, emv: np.ndarray) -> np.ndarray:
    key = pd.DataFrame({"s": score, "e": np.nan_to_num(emv, nan=-np.inf)})
    order = key.sort_values(["s", "e"], ascending=False, kind="stable")
    pos = np.arange(1, len(order) + 1)
    first = ~order.duplicated(["s", "e"]).to_numpy()
    ranks = np.maximum.accumulate(np.where(first, pos, 0))
    out = np.empty(len(order), dtype=np.int64)
    out[order.index.to_numpy()] = ranks
    return out


# --------------------------------------------------------------------------- assess


@constrained(
    likelihood_scale=Interval(int, 2, 10),
    impact_scale=Interval(int, 2, 10),
    thresholds=ListOf(Interval(float, 0), min_length=1, unique=True),
    labels=NoneOr(ListOf(Text(), min_length=2, unique=True)),
    probability_bands=NoneOr(ListOf(Probability(), min_length=1, unique=True)),
    cost_bands=NoneOr(ListOf(Interval(float, 0), min_length=1, unique=True)),
    distribution=Options(uncertainty.DISTRIBUTIONS),
    source=Text(),
)
def assess(
    register: pd.DataFrame,
    *,
    likelihood_scale: int = 5,
    impact_scale: int = 5,
    thresholds: tuple[float, ...] | list[float] = (5, 10, 15),
    labels: tuple[str, ...] | list[str] | None = None,
    probability_bands: tuple[float, ...] | list[float] | None = None,
    cost_bands: tuple[float, ...] | list[float] | None = None,
    distribution: str = "pert",
    source: str = "register",
) -> RiskAssessment:
    """Score, band and rank every risk before and after its response; price it (EMV); say
    whether each response pays for itself.

    Score = likelihood x impact on the register's scales (the probability-impact matrix of the
    PMBOK Guide, 6th ed., 2017, section 11.3.2.6); EMV = probability x expected cost (section
    11.4.2.5), the expected cost being the mean of the three-point estimate.

    Parameters
    ----------
    register : pandas.DataFrame
        One row per risk (columns in the module notes).
    likelihood_scale, impact_scale : int
        Number of levels of each scale (5 for the usual 5 x 5 matrix).
    thresholds : list of float
        Ascending score thresholds of the register's bands: a score at or above
        ``thresholds[k]`` (and below the next) is in band ``labels[k + 1]``. Without `labels`,
        exactly three: where the bands medium, high and critical start.
    labels : list of str, optional
        Band names, one more than thresholds; default :data:`BANDS` (low, medium, high,
        critical, the named bands of a risk matrix), which needs three thresholds.
    probability_bands : list of float, optional
        Ascending probability cut points (``likelihood_scale - 1`` of them) that give the
        likelihood level of risks given only a probability; default evenly spaced (0.2, 0.4,
        0.6, 0.8 on a 5-level scale).
    cost_bands : list of float, optional
        Ascending cost cut points (``impact_scale - 1``) giving the impact level of risks given
        only a cost (from the most likely cost); needed only for such risks.
    distribution : {"pert", "triangular"}
        Which mean of the three-point cost to use (the same as in :func:`simulate_cost`).
    source : str
        How to name the table in messages.

    Returns
    -------
    RiskAssessment

    Raises
    ------
    InputError
        A missing column, a repeated id, a level outside the scale, a probability outside
        0..1, a negative or out-of-order cost, an unknown response, a residual value above the
        inherent one, a risk with neither likelihood nor probability (or neither impact nor
        cost), or thresholds, labels or bands that do not fit; the message names the row and
        risk.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"risk": ["R1"], "title": ["Key developer leaves"],
    ...                   "category": ["staffing"], "probability": [0.3],
    ...                   "cost_low": [20_000], "cost_most_likely": [40_000],
    ...                   "cost_high": [90_000], "impact": [3], "response": ["mitigate"],
    ...                   "response_cost": [5_000], "residual_probability": [0.1]})
    >>> a = assess(r)
    >>> a.register[["likelihood", "emv", "residual_emv"]].values.round(1).tolist()
    [[2.0, 13500.0, 4500.0]]
    >>> a.responses[["emv_reduction", "net_benefit", "verdict"]].values.tolist()
    [[9000.0, 4000.0, 'pays for itself']]
    """
    thresholds = tuple(float(x) for x in thresholds)
    if list(thresholds) != sorted(thresholds):
        raise input_error("thresholds", got=list(thresholds), expected="ascending score thresholds")
    if thresholds[-1] > likelihood_scale * impact_scale:
        raise input_error("thresholds", got=list(thresholds), expected=(
            f"thresholds of at most {likelihood_scale * impact_scale}, the highest score"))
    if labels is None:
        if len(thresholds) != len(BANDS) - 1:
            raise input_error("thresholds", got=list(thresholds), expected=(
                "three score thresholds, where the bands medium, high and critical start "
                "(such as [5, 10, 15]), or labels naming one band more than thresholds"))
        labels = BANDS
    labels = tuple(labels)
    if len(labels) != len(thresholds) + 1:
        raise input_error("labels", got=list(labels),
                          expected=f"{len(thresholds) + 1} names, one more than thresholds")
    if probability_bands is None:
        probability_bands = tuple(k / likelihood_scale for k in range(1, likelihood_scale))
    for name, bands, scale in (("probability_bands", probability_bands, likelihood_scale),
                               ("cost_bands", cost_bands, impact_scale)):
        if bands is None:
            continue
        if len(bands) != scale - 1 or list(bands) != sorted(bands):
            raise input_error(name, got=list(bands),
                              expected=f"{scale - 1} ascending cut points, one fewer than levels")
    probability_bands = tuple(probability_bands)
    cost_bands = None if cost_bands is None else tuple(float(c) for c in cost_bands)
    t = _validated(register, likelihood_scale=likelihood_scale, impact_scale=impact_scale,
                   probability_bands=probability_bands, cost_bands=cost_bands,
                   distribution=distribution, source=source)
    label_arr = np.array(labels, dtype=object)
    for prefix in ("", "residual_"):
        score = (t[f"{prefix}likelihood"] * t[f"{prefix}impact"]).to_numpy(dtype=np.int64)
        cost = _expected_cost(t, tuple(prefix + c for c in _PRICE), distribution)
        emv = t[f"{prefix}probability"].to_numpy(dtype=float) * cost
        t[f"{prefix}score"] = score
        t[f"{prefix}band"] = label_arr[np.searchsorted(thresholds, score, side="right")]
        t[f"{prefix}rank"] = _rank(score.astype(float), emv)
        t[f"{prefix}expected_cost"] = cost
        t[f"{prefix}emv"] = emv

    cells = []
    for basis, prefix in (("inherent", ""), ("residual", "residual_")):
        li, im = np.meshgrid(np.arange(1, likelihood_scale + 1), np.arange(1, impact_scale + 1),
                             indexing="ij")
        grid = pd.DataFrame({"basis": basis, "likelihood": li.ravel(), "impact": im.ravel()})
        grid["score"] = grid["likelihood"] * grid["impact"]
        grid["band"] = label_arr[np.searchsorted(thresholds, grid["score"], side="right")]
        groups = t.groupby([f"{prefix}likelihood", f"{prefix}impact"], sort=False)["risk"]
        members = groups.agg(lambda s: ", ".join(s)).rename("risks")
        members.index = members.index.set_names(["likelihood", "impact"])
        grid = grid.merge(members.reset_index(), on=["likelihood", "impact"], how="left")
        grid["risks"] = grid["risks"].fillna("")
        grid["n_risks"] = grid["risks"].map(lambda s: 0 if s == "" else s.count(",") + 1)
        cells.append(grid)
    heat = pd.concat(cells, ignore_index=True)[
        ["basis", "likelihood", "impact", "score", "band", "n_risks", "risks"]]

    reduction = t["emv"] - t["residual_emv"]
    cost = t["response_cost"].astype(float)
    priced = t["emv"].notna() & t["residual_emv"].notna()
    free_accept = (t["response"] == "accept") & (cost == 0)
    pays = priced & ~free_accept & (reduction >= cost)
    verdict = np.select(
        [~priced, free_accept, pays],
        ["not priced", "no response", "pays for itself"], "costs more than it saves")
    responses = pd.DataFrame({
        "risk": t["risk"], "response": t["response"], "response_cost": cost,
        "emv": t["emv"], "residual_emv": t["residual_emv"], "emv_reduction": reduction,
        "net_benefit": reduction - cost,
        "return_ratio": (reduction / cost.where(cost > 0)).astype(float),
        "pays_for_itself": pays.to_numpy(dtype=bool), "verdict": verdict,
    })

    rows = []
    for basis, prefix in (("inherent", ""), ("residual", "residual_")):
        row = {"basis": basis, "n_risks": len(t),
               "n_priced": int(t[f"{prefix}emv"].notna().sum()),
               "total_emv": float(t[f"{prefix}emv"].sum()),
               "total_response_cost": float(cost.sum()) if prefix else 0.0}
        counts = t[f"{prefix}band"].value_counts()
        for lab in labels:
            row[f"n_{lab.replace(' ', '_')}"] = int(counts.get(lab, 0))
        rows.append(row)
    summary = pd.DataFrame(rows).set_index("basis")
    return RiskAssessment(t, heat, responses, summary, thresholds, labels, likelihood_scale,
                          impact_scale, distribution)


# --------------------------------------------------------------------------- Monte Carlo


def _correlation_matrix(correlation: Any, priced: pd.DataFrame) -> np.ndarray | None:
    if correlation is None:
        return None
    n = len(priced)
    if isinstance(correlation, int | float) and not isinstance(correlation, bool):
        rho = Interval(float, 0, 1).check(correlation, "correlation")
        cat = priced["category"].to_numpy()
        c = np.where(cat[:, None] == cat[None, :], rho, 0.0)
        np.fill_diagonal(c, 1.0)
        return c
    if isinstance(correlation, pd.DataFrame):
        ids = priced["risk"].tolist()
        missing = [r for r in ids if r not in correlation.index or r not in correlation.columns]
        if missing:
            raise InputError(
                f"correlation: no row or column for risk {missing[0]!r}; expected a matrix "
                "indexed by risk id on both axes, covering every priced risk"
            )
        correlation = correlation.loc[ids, ids].to_numpy(dtype=float)
    c = uncertainty.check_correlation_matrix(correlation, "correlation")
    if c.shape != (n, n):
        raise InputError(f"correlation: got a {c.shape[0]}x{c.shape[1]} matrix; expected "
                         f"{n}x{n}, one row and column per priced risk")
    return c


def _copula_uniforms(n: int, corr: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Uniforms with Spearman correlation `corr` from a normal copula (Pearson
    ``2 sin(pi rho / 6)``), so that occurrence ``u < p`` of risks correlated 1 coincides."""
    root = uncertainty.normal_root(corr)
    return stats.norm.cdf(rng.standard_normal((n, corr.shape[0])) @ root.T)


@constrained(
    basis=Options(("inherent", "residual")),
    n_simulations=Interval(int, 100, 10**6),
    confidence=Probability(),
    seed=Seed(),
)
def simulate_cost(
    assessment: RiskAssessment,
    *,
    basis: str = "residual",
    n_simulations: int = 10_000,
    correlation: float | np.ndarray | pd.DataFrame | None = None,
    confidence: float = 0.8,
    seed: int | np.random.Generator = 0,
) -> RiskSimulation:
    """Monte Carlo of the total cost of the register's risks; contingency and each risk's share.

    In every trial each priced risk occurs with its probability and, if it does, costs a draw
    from its three-point estimate (the assessment's distribution); the total is the sum. The
    contingency at `confidence` is that quantile of the total (P50, P80 and P90 are always
    reported); each risk's share is its mean cost in the trials whose total is at or above
    the contingency divided by the mean total there (Tasche, 1999), so shares add up to 1.

    Parameters
    ----------
    assessment : RiskAssessment
        From :func:`assess`.
    basis : {"inherent", "residual"}
        Price the risks before or after their responses.
    n_simulations : int
        Number of trials.
    correlation : float, array or DataFrame, optional
        Rank correlation between risks, imposed on occurrence and on cost: a number in [0, 1]
        applies to every pair of risks in the same category; a matrix gives every pair (a
        DataFrame indexed by risk id on both axes, or an array in the order of the priced
        risks). None: independent.
    confidence : float
        The confidence of the contingency the shares are computed at.
    seed : int or numpy.random.Generator
        The same seed gives the same trials.

    Returns
    -------
    RiskSimulation

    Raises
    ------
    InputError
        No priced risk, or a correlation that is not a valid correlation matrix.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"risk": ["R1", "R2"], "title": ["a", "b"], "category": ["c", "c"],
    ...                   "likelihood": [3, 3], "impact": [3, 3], "probability": [0.5, 0.5],
    ...                   "cost_most_likely": [100, 100]})
    >>> s = simulate_cost(assess(r), n_simulations=10_000, seed=1)
    >>> s.summary[["p50", "p90"]].values.tolist()  # 0, 100 or 200 with chances 1/4, 1/2, 1/4
    [[100.0, 200.0]]
    >>> s.contributions["share"].round(2).tolist()
    [0.5, 0.5]
    """
    if not isinstance(assessment, RiskAssessment):
        raise InputError(f"assessment: got {type(assessment).__name__}; expected the "
                         "RiskAssessment returned by btm.risk.assess")
    prefix = "residual_" if basis == "residual" else ""
    t = assessment.register
    priced_mask = t[f"{prefix}emv"].notna().to_numpy()
    priced = t.loc[priced_mask].reset_index(drop=True)
    if priced.empty:
        raise InputError("assessment: no risk has both a probability and a cost; expected at "
                         "least one priced risk to simulate")
    corr = _correlation_matrix(correlation, priced)
    rng = validate.rng(seed)
    p = priced[f"{prefix}probability"].to_numpy(dtype=float)
    lo, ml, hi = (priced[prefix + c].to_numpy(dtype=float) for c in _PRICE)
    cost = uncertainty.sample_three_point(lo, ml, hi, n_simulations,
                                          distribution=assessment.distribution, rng=rng)
    if corr is None:
        u = rng.random((n_simulations, len(priced)))
    else:
        u = _copula_uniforms(n_simulations, corr, rng)
        cost = uncertainty.rank_correlate(cost, corr, rng=rng)
    x = np.where(u < p, cost, 0.0)
    total = x.sum(axis=1)
    q50, q80, q90, qc = np.quantile(total, [0.5, 0.8, 0.9, confidence])
    tail = total >= qc
    tail_total = total[tail].mean()
    if tail_total > 0:
        share = x[tail].mean(axis=0) / tail_total
    else:  # every trial in the tail costs nothing: no risk contributes
        share = np.zeros(len(priced))
    contributions = pd.DataFrame({
        "risk": priced["risk"], "title": priced["title"], "category": priced["category"],
        "probability": p, "emv": priced[f"{prefix}emv"].to_numpy(dtype=float),
        "mean_cost": x.mean(axis=0), "share": share, "allocation": share * qc,
    }).sort_values(["allocation", "emv"], ascending=False, kind="stable").reset_index(drop=True)
    summary = pd.DataFrame([{
        "basis": basis, "mean": float(total.mean()), "std": float(total.std(ddof=1)),
        "p50": float(q50), "p80": float(q80), "p90": float(q90),
        "total_emv": float(priced[f"{prefix}emv"].sum()), "confidence": confidence,
        "contingency": float(qc), "n_simulations": n_simulations,
        "distribution": assessment.distribution, "n_priced": len(priced),
        "n_unpriced": int((~priced_mask).sum()),
    }])
    trials = pd.DataFrame({"trial": np.arange(1, n_simulations + 1), "total_cost": total})
    return RiskSimulation(trials, contributions, summary)


# --------------------------------------------------------------------------- housekeeping


@constrained(as_of=CalendarDate())
def review_flags(assessment: RiskAssessment, *, as_of: Any) -> pd.DataFrame:
    """Risks without an owner, without a review date, or whose review is overdue on `as_of`.

    A register is only as good as its upkeep: every risk needs an owner and a review date
    (PMBOK Guide, 6th ed., section 11.2.3.1, the risk register; ISO 31000:2018, clause 6.6).
    `as_of` is required: the date the register is judged on is part of the analysis, never
    "today" implicitly.

    Parameters
    ----------
    assessment : RiskAssessment
        From :func:`assess`.
    as_of : str, datetime.date or pandas.Timestamp
        The date to judge reviews on; a review due on that day is not yet overdue.

    Returns
    -------
    pandas.DataFrame
        One row per risk and issue: ``risk``, ``title``, ``owner``, ``issue`` ("no owner",
        "no review date" or "review overdue"), ``review_date`` and ``days_overdue`` (0 when
        not applicable); sorted by risk rank then issue.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"risk": ["R1", "R2"], "title": ["a", "b"], "category": ["c", "c"],
    ...                   "owner": ["CIO", None], "likelihood": [3, 2], "impact": [3, 2],
    ...                   "review_date": ["2025-01-15", "2025-03-01"]})
    >>> review_flags(assess(r), as_of="2025-02-01")[["risk", "issue", "days_overdue"]].values.tolist()
    [['R1', 'review overdue', 17], ['R2', 'no owner', 0]]
    """
    if not isinstance(assessment, RiskAssessment):
        raise InputError(f"assessment: got {type(assessment).__name__}; expected the "
                         "RiskAssessment returned by btm.risk.assess")
    t = assessment.register
    owner = t["owner"]
    no_owner = owner.isna() | (owner.astype(str).str.strip() == "")
    review = pd.to_datetime(t["review_date"])
    no_date = review.isna()
    days = (as_of - review).dt.days
    overdue = ~no_date & (days > 0)
    frames = []
    for issue, mask in (("no owner", no_owner), ("no review date", no_date),
                        ("review overdue", overdue)):
        part = t.loc[mask.to_numpy(), ["risk", "title", "owner", "review_date", "rank"]].copy()
        part["issue"] = issue
        part["days_overdue"] = (days[mask].to_numpy(dtype=float) if issue == "review overdue"
                                else np.zeros(len(part)))
        frames.append(part)
    out = pd.concat(frames, ignore_index=True)
    order = {"no owner": 0, "no review date": 1, "review overdue": 2}
    out = out.assign(_o=out["issue"].map(order)).sort_values(["rank", "_o", "risk"],
                                                              kind="stable")
    out["days_overdue"] = out["days_overdue"].astype(np.int64)
    return out[["risk", "title", "owner", "issue", "review_date", "days_overdue"]].reset_index(
        drop=True)
