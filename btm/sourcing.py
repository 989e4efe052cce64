"""Build, buy, cloud or integrate: a multi-criteria choice with total cost of ownership as a criterion.

:func:`evaluate` composes :mod:`btm.tco` and :mod:`btm.mcda` into one call that a leadership
team can defend:

1. **Must-have gates** (a table ``option, gate, passed, note``) exclude an option before any
   scoring, with the reason shown (for example no required security certification).
2. **Scores**: several assessors score every option on every criterion from 1 (poor) to 5
   (excellent). The mean is the option's score; the spread (standard deviation and range) is
   the disagreement; a score at least `outlier_points` away from the panel's median score on
   that cell (the median of all assessors, robust to the outlier itself) flags the assessor as
   outlying there (with three or more assessors).
3. **TCO criterion**: the present value of each option from a :class:`btm.tco.TCOResult`
   (lower is better). When the Monte Carlo trials of :func:`btm.tco.simulate_trials` are given,
   they are the TCO column of the robustness trials (so correlated cost risks stay correlated).
4. **Weights**: from the group AHP of the assessors' pairwise judgements (``weights_source=
   "ahp"``, :func:`btm.mcda.group_ahp`) or given directly in the criteria table (``"direct"``).
   Direct weights that do not sum to 1 are refused unless ``normalize_weights=True``, in which
   case they are divided by their sum and the result's ``notes`` say so.
5. **Ranking** by TOPSIS (vector normalisation) or the weighted sum (:mod:`btm.mcda`), with the
   per-criterion contributions, the weight sensitivity of the winner and SMAA rank
   acceptability (Dirichlet weights around the stated ones; each assessed score drawn from a
   beta-PERT between the lowest and highest assessor's score, peaked at their mean).

Everything the analyst gave is checked first; each problem is a :class:`btm.InputError` naming
the table (file), row and column.

Examples
--------
>>> import pandas as pd
>>> from btm import tco
>>> scores = pd.DataFrame({
...     "assessor": ["CIO"] * 2 + ["CFO"] * 2,
...     "option": ["Buy", "Cloud"] * 2,
...     "criterion": ["security"] * 4,
...     "score": [4, 3, 5, 3]})
>>> criteria = pd.DataFrame({"criterion": ["security", "total_cost_of_ownership"],
...                          "weight": [0.6, 0.4]})
>>> costs = pd.DataFrame({"option": ["Buy", "Cloud"], "item": ["licence", "subscription"],
...     "category": ["licence", "subscription"], "amount": [300.0, 90.0],
...     "start_year": [0, 0], "end_year": [0, 2]})
>>> result = evaluate(scores, criteria=criteria,
...                   tco=tco.compare(costs, horizon_years=2, discount_rate=0.0),
...                   weights_source="direct", method="weighted_sum", n_simulations=1000)
>>> result.ranking[["score", "rank"]]  # doctest: +NORMALIZE_WHITESPACE
        score  rank
option
Buy       0.6     1
Cloud     0.4     2
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from btm import mcda, uncertainty, validate
from btm.constraints import Boolean, Interval, NoneOr, Options, Seed, Text, constrained
from btm.errors import InputError, input_error
from btm.tco import TCOResult

__all__ = [
    "SCORE_COLUMNS",
    "CRITERIA_COLUMNS",
    "GATE_COLUMNS",
    "TCO_CRITERION",
    "SourcingResult",
    "evaluate",
]

TCO_CRITERION = "total_cost_of_ownership"
"""Default name of the criterion filled from the TCO result (present value, lower is better)."""

SCORE_COLUMNS = (
    validate.Column("assessor", "text", description="who gave the score"),
    validate.Column("option", "text", description="the option scored"),
    validate.Column("criterion", "text", description="the criterion scored"),
    validate.Column("score", "number", description="1 (poor) to 5 (excellent)"),
)
"""Declared columns of the scores table (one row per assessor, option and criterion)."""

CRITERIA_COLUMNS = (
    validate.Column("criterion", "text", description="criterion name, unique"),
    validate.Column("weight", "number", required=False, min=0, allow_missing=True,
                    description="direct weight (fraction; used when weights_source='direct')"),
    validate.Column("description", "text", required=False, default="", allow_missing=True,
                    description="what the criterion means"),
)
"""Declared columns of the criteria table."""

GATE_COLUMNS = (
    validate.Column("option", "text", description="the option assessed"),
    validate.Column("gate", "text", description="the must-have requirement"),
    validate.Column("passed", "bool", description="true when the option meets it"),
    validate.Column("note", "text", required=False, default="", allow_missing=True,
                    description="evidence or reason, shown when the option fails"),
)
"""Declared columns of the must-have gates table."""


@dataclass(frozen=True)
class SourcingResult:
    """Result of :func:`evaluate`.

    Attributes
    ----------
    ranking : pandas.DataFrame
        Index ``option`` (options that pass every gate, best first): ``score``, ``rank``,
        ``first_rank_share``, ``expected_rank`` and, with a TCO result, ``present_value``.
        When only one option passes the gates there is nothing to rank it against:
        ``score``, ``first_rank_share`` and ``expected_rank`` are NaN (not TOPSIS's 0/0 or a
        weighted sum's 1 by construction), ``summary.n_ranked`` is 1 and `notes` says so.
    excluded : pandas.DataFrame
        ``option, gate, reason``: one row per failed gate (empty when none fails).
    decision_matrix : pandas.DataFrame
        Index ``option`` (ranked options), one column per criterion: mean assessed score, or
        present value for the TCO criterion.
    weights : pandas.DataFrame
        Index ``criterion``: ``weight``, ``benefit`` (False for the TCO criterion) and
        ``source`` (``"ahp"`` or ``"direct"``).
    contributions : pandas.DataFrame
        Tidy, one row per ranked option and criterion: ``option, criterion, value, normalised``
        (min-max over the ranked options, 1 = best), ``weight`` and ``contribution`` (weight x
        normalised; sums to the weighted-sum score of the option; TOPSIS closeness is not a sum,
        so for TOPSIS this is the criterion's weighted, normalised performance).
    scores : pandas.DataFrame
        Tidy, one row per option and assessed criterion (all options, gated or not): ``mean,
        sd`` (population standard deviation across assessors), ``lowest, highest,
        n_assessors``.
    assessor_scores : pandas.DataFrame
        The validated scores with ``panel_median`` (median of all assessors' scores on the
        same option and criterion), ``deviation`` (score minus panel_median) and ``outlier``
        (``|deviation| >= outlier_points``, three or more assessors only).
    assessors : pandas.DataFrame
        Index ``assessor``: ``n_scores``, ``n_outlying``, ``mean_abs_deviation`` and, with AHP
        weights, ``consistency_ratio`` and ``compatibility`` with the group weights.
    ahp : btm.mcda.GroupAHPResult or None
        The group AHP, when weights come from judgements.
    sensitivity : btm.mcda.SensitivityResult
        Weight interval per criterion over which the winner stays first.
    acceptability : btm.mcda.AcceptabilityResult
        SMAA rank acceptability of the ranked options.
    summary : pandas.DataFrame
        One row of key numbers: ``winner, winner_score, runner_up, margin,
        winner_first_rank_share, most_sensitive_criterion, smallest_weight_change,
        new_winner, group_consistency_ratio, n_excluded, n_ranked, method, weights_source``
        (``winner`` is the only option left when ``n_ranked`` is 1; its score, margin, share
        and weight change are then NaN).
    notes : tuple of str
        Things the reader must know (weights rescaled, inconsistent judgements, outlying
        assessors, options excluded).
    method : str
    currency : str
    """

    ranking: pd.DataFrame
    excluded: pd.DataFrame
    decision_matrix: pd.DataFrame
    weights: pd.DataFrame
    contributions: pd.DataFrame
    scores: pd.DataFrame
    assessor_scores: pd.DataFrame
    assessors: pd.DataFrame
    ahp: mcda.GroupAHPResult | None
    sensitivity: mcda.SensitivityResult
    acceptability: mcda.AcceptabilityResult
    summary: pd.DataFrame
    notes: tuple[str, ...]
    method: str
    currency: str


# --------------------------------------------------------------------------- checks


def _one_spelling(table: pd.DataFrame, column: str, source: str, what: str) -> None:
    """Names that differ only in case or inner spaces are the same name typed twice."""
    values = table[column].astype(str)
    canon = values.str.casefold().str.split().str.join(" ")
    first: dict[str, tuple[str, int]] = {}
    for k, (v, c) in enumerate(zip(values.tolist(), canon.tolist(), strict=True)):
        if c in first and first[c][0] != v:
            raise InputError(
                f"{source}, row {k + 1}, column '{column}': got {v!r}, which differs from "
                f"{first[c][0]!r} (row {first[c][1]}) only in case or spacing; expected one "
                f"spelling per {what}")
        first.setdefault(c, (v, k + 1))


def _check_scores(scores: Any, lo: float, hi: float, source: str) -> pd.DataFrame:
    cols = list(SCORE_COLUMNS)
    cols[3] = validate.Column("score", "number", min=lo, max=hi,
                              description=f"{lo:g} (poor) to {hi:g} (excellent)")
    t = validate.frame(scores, cols, source=source)
    for col, what in (("assessor", "assessor"), ("option", "option"),
                      ("criterion", "criterion")):
        _one_spelling(t, col, source, what)
    key = ["assessor", "option", "criterion"]
    dup = t.duplicated(key, keep=False).to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        a, o, c = (t[k].iloc[i] for k in key)
        same = ((t["assessor"] == a) & (t["option"] == o) & (t["criterion"] == c)).to_numpy()
        raise InputError(f"{source}, {validate.rows_text(same)}: assessor {a!r} scores option {o!r} on "
                         f"criterion {c!r} more than once; expected one score per assessor, "
                         "option and criterion")
    return t


def _check_complete(t: pd.DataFrame, source: str) -> None:
    assessors = list(pd.unique(t["assessor"]))
    options = list(pd.unique(t["option"]))
    criteria = list(pd.unique(t["criterion"]))
    full = pd.MultiIndex.from_product([assessors, options, criteria])
    have = pd.MultiIndex.from_frame(t[["assessor", "option", "criterion"]])
    missing = full.difference(have, sort=False)
    if len(missing):
        a, o, c = missing[0]
        raise InputError(
            f"{source}: assessor {a!r} gave no score for option {o!r} on criterion {c!r} "
            f"({len(missing)} score{'s' if len(missing) > 1 else ''} missing); expected a score "
            "from every assessor for every option and criterion")


def _check_criteria(criteria: Any, source: str) -> pd.DataFrame:
    t = validate.frame(criteria, list(CRITERIA_COLUMNS), source=source)
    _one_spelling(t, "criterion", source, "criterion")
    dup = t["criterion"].duplicated(keep=False).to_numpy()
    if dup.any():
        name = t["criterion"].iloc[int(np.flatnonzero(dup)[0])]
        raise InputError(f"{source}, {validate.rows_text((t['criterion'] == name).to_numpy())}: "
                         f"criterion {name!r} appears more than once; expected each criterion "
                         "once")
    return t


def _check_gates(gates: Any, options: list[str], source: str) -> pd.DataFrame:
    t = validate.frame(gates, list(GATE_COLUMNS), source=source)
    known = set(options)
    for k, o in enumerate(t["option"].tolist()):
        if o not in known:
            raise InputError(f"{source}, row {k + 1}, column 'option': got {o!r}, an option "
                             "that is not scored; expected one of "
                             + ", ".join(repr(x) for x in options))
    _one_spelling(t, "gate", source, "gate")
    dup = t.duplicated(["option", "gate"], keep=False).to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        o, g = t["option"].iloc[i], t["gate"].iloc[i]
        same = ((t["option"] == o) & (t["gate"] == g)).to_numpy()
        raise InputError(f"{source}, {validate.rows_text(same)}: option {o!r} is assessed against gate "
                         f"{g!r} more than once; expected one row per option and gate")
    for g in pd.unique(t["gate"]):
        have = set(t.loc[t["gate"] == g, "option"])
        lacking = [o for o in options if o not in have]
        if lacking:
            raise InputError(f"{source}: option {lacking[0]!r} has no row for gate {g!r}; "
                             "expected every gate assessed for every option")
    return t


# --------------------------------------------------------------------------- evaluate


@constrained(
    method=Options(mcda.METHODS),
    weights_source=Options(("ahp", "direct")),
    tco_criterion=Text(),
    n_simulations=Interval(int, 100, 10**7),
    concentration=NoneOr(Interval(float, 0, None, closed="neither")),
    outlier_points=Interval(float, 0, None, closed="neither"),
    scale_min=Interval(float),
    scale_max=Interval(float),
    normalize_weights=Boolean(),
    seed=Seed(),
)
def evaluate(
    scores: pd.DataFrame,
    *,
    criteria: pd.DataFrame,
    tco: TCOResult | None = None,
    tco_trials: pd.DataFrame | None = None,
    judgements: pd.DataFrame | None = None,
    gates: pd.DataFrame | None = None,
    method: str = "topsis",
    weights_source: str = "ahp",
    tco_criterion: str = TCO_CRITERION,
    n_simulations: int = 10_000,
    concentration: float | None = 50.0,
    outlier_points: float = 2.0,
    scale_min: float = 1.0,
    scale_max: float = 5.0,
    normalize_weights: bool = False,
    seed: int | np.random.Generator = 0,
    sources: Mapping[str, str] | None = None,
) -> SourcingResult:
    """Rank build / buy / cloud / integrate options on scored criteria and TCO, with robustness.

    Parameters
    ----------
    scores : pandas.DataFrame
        ``assessor, option, criterion, score``: every assessor scores every option on every
        assessed criterion, from `scale_min` (poor) to `scale_max` (excellent; more is better).
    criteria : pandas.DataFrame
        ``criterion`` (every assessed criterion, plus `tco_criterion` when `tco` is given),
        optional ``weight`` (required for ``weights_source="direct"``) and ``description``.
    tco : btm.tco.TCOResult, optional
        From :func:`btm.tco.compare`; its ``present_value`` per option is the TCO criterion
        (lower is better). Every scored option needs cost lines.
    tco_trials : pandas.DataFrame, optional
        From :func:`btm.tco.simulate_trials` (trials x options): the TCO column of the
        acceptability trials (rows resampled with replacement when their number differs from
        `n_simulations`). Without it the TCO is taken as certain.
    judgements : pandas.DataFrame, optional
        ``assessor, criterion_a, criterion_b, judgement`` for ``weights_source="ahp"`` (see
        :func:`btm.mcda.group_ahp`), over the criteria of `criteria`.
    gates : pandas.DataFrame, optional
        ``option, gate, passed, note``: every gate assessed for every option; an option that
        fails any gate is excluded and the note is shown as the reason.
    method : {"topsis", "weighted_sum"}
    weights_source : {"ahp", "direct"}
    tco_criterion : str
        Name of the TCO criterion in `criteria` and `judgements`.
    n_simulations : int
        Trials of the rank-acceptability analysis.
    concentration : float or None
        Dirichlet concentration of the weight trials (None: any weighting equally likely).
    outlier_points : float
        Distance from the panel's median score (in score points) that flags a score.
    scale_min, scale_max : float
        The scoring scale.
    normalize_weights : bool
        Divide direct weights by their sum (with a note) instead of refusing them when they do
        not sum to 1.
    seed : int or numpy.random.Generator
    sources : mapping, optional
        Names of the tables in messages, e.g. ``{"scores": "data/.../scores.csv"}``; keys
        ``scores, criteria, judgements, gates, costs``.

    Returns
    -------
    SourcingResult

    Raises
    ------
    InputError
        A score outside the scale or missing, a duplicate or differently spelled name, an
        unknown criterion or option, negative weights, weights that do not sum to 1, an option
        with no TCO lines, judgements over other criteria, every option gated out.
    """
    src = {"scores": "scores", "criteria": "criteria", "judgements": "judgements",
           "gates": "gates", "costs": "costs", **dict(sources or {})}
    if scale_max <= scale_min:
        raise input_error("scale_max", got=f"{scale_max:g}", literal=True,
                          expected=f"a value greater than scale_min ({scale_min:g})")
    notes: list[str] = []
    table = _check_scores(scores, scale_min, scale_max, src["scores"])
    crit = _check_criteria(criteria, src["criteria"])
    crit_names = crit["criterion"].tolist()
    use_tco = tco is not None
    if use_tco and not isinstance(tco, TCOResult):
        raise input_error("tco", got=type(tco).__name__, literal=True,
                          expected="the TCOResult returned by btm.tco.compare")
    if use_tco and tco_criterion not in crit_names:
        raise InputError(f"{src['criteria']}: no row for criterion {tco_criterion!r}; expected "
                         "the TCO criterion listed (or tco_criterion= naming it)")
    if not use_tco and tco_criterion in crit_names:
        raise InputError(f"{src['criteria']}: criterion {tco_criterion!r} needs a TCO result; "
                         "expected tco=btm.tco.compare(...)")
    assessed = [c for c in crit_names if not (use_tco and c == tco_criterion)]
    for k, c in enumerate(table["criterion"].tolist()):
        if c == tco_criterion and use_tco:
            raise InputError(f"{src['scores']}, row {k + 1}, column 'criterion': got {c!r}, the "
                             "TCO criterion; expected it to come from the TCO result, not "
                             "from scores")
        if c not in set(assessed):
            raise InputError(f"{src['scores']}, row {k + 1}, column 'criterion': got {c!r}, an "
                             f"unknown criterion; expected one of "
                             + ", ".join(repr(x) for x in assessed))
    unscored = [c for c in assessed if c not in set(table["criterion"])]
    if unscored:
        raise InputError(f"{src['scores']}: no scores for criterion {unscored[0]!r}; expected "
                         f"every criterion of {src['criteria']} scored")
    _check_complete(table, src["scores"])
    options = list(pd.unique(table["option"]))

    present_value = None
    if use_tco:
        assert tco is not None  # use_tco is `tco is not None`
        pv = tco.summary["present_value"]
        lacking = [o for o in options if o not in pv.index]
        if lacking:
            raise InputError(
                f"{src['costs']}: option {lacking[0]!r} has no cost lines; expected cost lines "
                "for every option that is scored (found " + ", ".join(map(repr, pv.index)) + ")")
        extra = [o for o in pv.index if o not in set(options)]
        if extra:
            notes.append("Costed but not scored, so not ranked: " + ", ".join(extra) + ".")
        present_value = pv.loc[options].astype(float)

    # ---- scores: mean, spread, outlying assessors
    grouped = table.groupby(["option", "criterion"], sort=False)["score"]
    agg = grouped.agg(mean="mean", sd=lambda s: float(np.std(s.to_numpy())), lowest="min",
                      highest="max", n_assessors="count").reset_index()
    k = grouped.transform("count")
    assessor_scores = table[["assessor", "option", "criterion", "score"]].copy()
    assessor_scores["panel_median"] = grouped.transform("median")
    assessor_scores["deviation"] = assessor_scores["score"] - assessor_scores["panel_median"]
    assessor_scores["outlier"] = ((k >= 3) & (assessor_scores["deviation"].abs()
                                              >= outlier_points - 1e-12)).to_numpy()
    per = assessor_scores.groupby("assessor", sort=False)
    assessors = pd.DataFrame({
        "n_scores": per["score"].count(),
        "n_outlying": per["outlier"].sum().astype(np.int64),
        "mean_abs_deviation": per["deviation"].apply(lambda s: float(s.abs().mean())),
    })
    assessors.index.name = "assessor"
    flagged = assessors.index[assessors["n_outlying"] > 0].tolist()
    if flagged:
        notes.append("Outlying assessors (a score at least "
                     f"{outlier_points:g} points from the panel's median): "
                     + ", ".join(f"{a} ({int(assessors.loc[a, 'n_outlying'])})" for a in flagged)
                     + ".")

    # ---- gates
    excluded = pd.DataFrame({"option": pd.Series(dtype=object), "gate": pd.Series(dtype=object),
                             "reason": pd.Series(dtype=object)})
    if gates is not None:
        g = _check_gates(gates, options, src["gates"])
        failed = g.loc[~g["passed"].astype(bool)]
        excluded = pd.DataFrame({
            "option": failed["option"].to_numpy(dtype=object),
            "gate": failed["gate"].to_numpy(dtype=object),
            "reason": [f"fails must-have '{gt}'" + (f": {nt}" if str(nt).strip() else "")
                       for gt, nt in zip(failed["gate"], failed["note"].fillna(""),
                                         strict=True)],
        })
    out = set(excluded["option"])
    ranked = [o for o in options if o not in out]
    if not ranked:
        reasons = "; ".join(f"{o}: {r}" for o, r in zip(excluded["option"], excluded["reason"],
                                                         strict=True))
        raise InputError(f"{src['gates']}: every option fails a must-have gate ({reasons}); "
                         "expected at least one option that passes every gate")
    for o in options:
        if o in out:
            why = "; ".join(excluded.loc[excluded["option"] == o, "reason"])
            notes.append(f"{o} excluded: {why}.")
    alone = len(ranked) == 1  # nothing to rank it against: no score, no robustness
    if alone:
        notes.append(f"Only {ranked[0]} passes the must-have gates; there is nothing to rank it "
                     "against.")

    # ---- weights
    ahp = None
    if weights_source == "direct":
        w_raw = crit["weight"]
        if w_raw.isna().any():
            row = int(np.flatnonzero(w_raw.isna().to_numpy())[0]) + 1
            raise InputError(f"{src['criteria']}, row {row}, column 'weight': the cell is empty;"
                             " expected a weight for every criterion (weights_source='direct')")
        total_w = float(w_raw.sum())
        if total_w <= 0:
            raise InputError(f"{src['criteria']}, column 'weight': all weights are 0; expected "
                             "at least one positive weight")
        if abs(total_w - 1) > mcda.WEIGHT_SUM_TOLERANCE:
            if not normalize_weights:
                raise InputError(
                    f"{src['criteria']}, column 'weight': the weights sum to {total_w:.6g}; "
                    "expected weights that sum to 1 (or normalize_weights=True to divide them "
                    "by their sum)")
            notes.append(f"The weights in {src['criteria']} summed to {total_w:.6g}; they were "
                         "divided by their sum.")
        weights = pd.Series(w_raw.to_numpy(dtype=float) / total_w, index=crit_names)
    else:
        if judgements is None:
            raise input_error("judgements", got=None,
                              expected="a judgements table when weights_source='ahp' (or "
                                       "weights_source='direct')")
        ahp = mcda.group_ahp(judgements, criteria=crit_names, source=src["judgements"])
        weights = ahp.weights.reindex(crit_names)
        assessors = assessors.join(ahp.assessors[["consistency_ratio", "compatibility"]],
                                   how="left")
        if not ahp.group.acceptable:
            notes.append(f"The group's judgements are inconsistent (CR "
                         f"{ahp.consistency_ratio:.2f} > {mcda.CONSISTENCY_THRESHOLD:.2f}).")
        weak = ahp.assessors.index[~ahp.assessors["acceptable"]].tolist()
        if weak:
            notes.append("Inconsistent judgements (CR > 0.10): " + ", ".join(
                f"{a} (CR {ahp.assessors.loc[a, 'consistency_ratio']:.2f}, revise "
                f"{ahp.assessors.loc[a, 'most_inconsistent']})" for a in weak) + ".")
    benefit = pd.Series([not (use_tco and c == tco_criterion) for c in crit_names],
                        index=crit_names)
    weights_table = pd.DataFrame({"weight": weights.to_numpy(), "benefit": benefit.to_numpy(),
                                  "source": weights_source},
                                 index=pd.Index(crit_names, name="criterion"))

    # ---- decision matrix over the ranked options
    mean = agg.pivot(index="option", columns="criterion", values="mean")
    matrix = pd.DataFrame(index=pd.Index(ranked, name="option"))
    for c in crit_names:
        if use_tco and c == tco_criterion:
            assert present_value is not None  # set above whenever use_tco
            matrix[c] = present_value.loc[ranked].to_numpy()
        else:
            matrix[c] = mean.loc[ranked, c].to_numpy(dtype=float)
    matrix.columns.name = "criterion"
    # One option: TOPSIS's closeness is 0/0 and a weighted sum of min-max scores is 1 by
    # construction; neither is a score (mcda.topsis refuses a single option).
    score = (pd.Series([math.nan], index=pd.Index(ranked, name="option")) if alone
             else mcda.scores(matrix, weights, benefit, method=method))

    # ---- contributions
    bvec = benefit.to_numpy()
    x = matrix.to_numpy(dtype=float)
    norm = mcda.minmax_normalise(matrix, benefit).to_numpy(dtype=float)
    wvec = weights.to_numpy(dtype=float)
    contributions = pd.DataFrame({
        "option": np.repeat(np.asarray(ranked, dtype=object), len(crit_names)),
        "criterion": np.tile(np.asarray(crit_names, dtype=object), len(ranked)),
        "value": x.ravel(),
        "normalised": norm.ravel(),
        "weight": np.tile(wvec, len(ranked)),
        "contribution": (norm * wvec).ravel(),
    })

    # ---- robustness
    sensitivity = mcda.weight_sensitivity(matrix, weights, benefit, method=method)
    gen = validate.rng(seed)
    m, j = x.shape
    samples = np.empty((n_simulations, m, j))
    lo_tab = agg.pivot(index="option", columns="criterion", values="lowest")
    hi_tab = agg.pivot(index="option", columns="criterion", values="highest")
    cols = [i for i, c in enumerate(crit_names) if bvec[i] or not use_tco]
    if cols:
        names = [crit_names[i] for i in cols]
        lo = lo_tab.loc[ranked, names].to_numpy(dtype=float)
        hi = hi_tab.loc[ranked, names].to_numpy(dtype=float)
        mo = x[:, cols]
        draw = uncertainty.sample_three_point(lo.ravel(), mo.ravel(), hi.ravel(),
                                              n_simulations, rng=gen)
        samples[:, :, cols] = draw.reshape(n_simulations, m, len(cols))
    if use_tco:
        jt = crit_names.index(tco_criterion)
        if tco_trials is not None:
            trials = _check_trials(tco_trials, ranked, src["costs"])
            if len(trials) != n_simulations:
                trials = trials[gen.integers(0, len(trials), n_simulations)]
            samples[:, :, jt] = trials
        else:
            samples[:, :, jt] = x[None, :, jt]
    acceptability = mcda.rank_acceptability(
        matrix, weights, benefit, method=method, n=n_simulations, concentration=concentration,
        samples=samples, seed=gen)

    ranking = pd.DataFrame({"score": score.to_numpy()}, index=pd.Index(ranked, name="option"))
    ranking["rank"] = ranking["score"].fillna(0.0).rank(method="first",
                                                        ascending=False).astype(np.int64)
    ranking = ranking.join(acceptability.summary[["first_rank_share", "expected_rank"]])
    if alone:  # first in every trial, trivially: not evidence of robustness
        ranking[["first_rank_share", "expected_rank"]] = math.nan
    if use_tco:
        assert present_value is not None  # set above whenever use_tco
        ranking["present_value"] = present_value.loc[ranked].to_numpy()
    ranking = ranking.sort_values("rank", kind="stable")

    winner = ranking.index[0]
    runner = ranking.index[1] if len(ranking) > 1 else None
    sens = sensitivity.summary.iloc[0]
    summary = pd.DataFrame([{
        "winner": winner,
        "winner_score": float(ranking["score"].iloc[0]),
        "runner_up": runner,
        "margin": float(ranking["score"].iloc[0] - ranking["score"].iloc[1])
        if runner is not None else math.nan,
        "winner_first_rank_share": float(ranking["first_rank_share"].iloc[0]),
        "most_sensitive_criterion": None if alone else sens["most_sensitive_criterion"],
        "smallest_weight_change": math.nan if alone else float(sens["smallest_change"]),
        "new_winner": None if alone else sens["new_winner"],
        "group_consistency_ratio": ahp.consistency_ratio if ahp is not None else math.nan,
        "n_excluded": len(out),
        "n_ranked": len(ranked),
        "method": method,
        "weights_source": weights_source,
    }])
    return SourcingResult(
        ranking=ranking, excluded=excluded, decision_matrix=matrix, weights=weights_table,
        contributions=contributions, scores=agg, assessor_scores=assessor_scores,
        assessors=assessors, ahp=ahp, sensitivity=sensitivity, acceptability=acceptability,
        summary=summary, notes=tuple(notes), method=method,
        currency=tco.currency if tco is not None else "",  # tco is not None == use_tco
    )


def _check_trials(trials: Any, options: list[str], source: str) -> np.ndarray:
    if not isinstance(trials, pd.DataFrame) or trials.shape[0] == 0:
        raise input_error("tco_trials", got=type(trials).__name__, literal=True,
                          expected="the DataFrame returned by btm.tco.simulate_trials")
    lacking = [o for o in options if o not in trials.columns]
    if lacking:
        raise InputError(f"tco_trials: no trials for option {lacking[0]!r}; expected "
                         f"simulate_trials on the same {source} as the TCO result")
    try:
        values = trials[options].to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise input_error("tco_trials", problem="found values that are not numbers",
                          expected="present values") from None
    if not np.isfinite(values).all():
        raise input_error("tco_trials", problem="found missing or infinite values",
                          expected="finite present values")
    return values
