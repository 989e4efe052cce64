"""BTM competency assessment: where business and IT leaders see the organisation, and what next.

Business technology management (BTM) is a set of competencies business and IT leaders build
together. The framework used by default lists fifteen of them in the order they should be
developed (Xuviate, 2016, "15 Essential Business Technology Management Competencies Every IT
Leader Has to Master", after Techopia's BTM framework for small and mid-sized enterprises); the
short descriptions and calendar moments in :data:`COMPETENCIES` are this project's wording, and
the whole catalogue is data a user replaces with their own framework (:func:`default_catalogue`).

The survey (see ``btm/data/btm_competencies/README.md``) has one row per respondent and
competency:

============ =======================================================================================
column       meaning
============ =======================================================================================
respondent   who answered (a name or code); one role per respondent
role         ``business`` or ``IT`` (any capitalisation)
competency   a name from the catalogue (case and surrounding spaces ignored)
maturity     the rating on the stated scale (``scale_min`` .. ``scale_max``, default 1-5)
importance   optional, same scale: how much the competency matters to the respondent
============ =======================================================================================

What :func:`assess` computes, per competency:

* maturity by group (business / IT): n, mean, median, standard deviation, quartiles;
* the perception gap ``business mean - IT mean`` and a test of whether the groups differ by
  more than the disagreement within each group would produce by chance: the Mann-Whitney U
  test (Mann & Whitney, 1947) or an exact / Monte Carlo permutation test of the difference in
  means (Good, 2005, *Permutation, Parametric and Bootstrap Tests of Hypotheses*, ch. 3), both
  from ``scipy.stats``; p-values adjusted for testing fifteen competencies at once by
  Benjamini & Hochberg (1995) (``scipy.stats.false_discovery_control``); the rank-biserial
  correlation (Kerby, 2014) as effect size;
* the importance-weighted gap ``|gap| * mean importance / scale_max`` (importance-performance
  analysis, Martilla & James, 1977), or ``|gap|`` without importance answers;
* the development priority: a competency is *reached* when its maturity (by default the lower
  of the two group means: both sides must see it) is at least ``threshold``; a competency not
  reached is *ready* when every competency it rests on (transitively) is reached, otherwise
  *blocked*. The development order is a topological order of the competencies not reached
  (``networkx.lexicographical_topological_sort``): a later competency never comes before one it
  rests on, and among those free to go next the one with the largest importance-weighted
  shortfall below the threshold goes first (ties: framework order).

:func:`development_plan` puts that order on the organisation's calendar: each competency takes
``development_months``; at most ``max_parallel`` are developed at once; each starts after the
competencies it rests on are developed; and each is matched to its calendar moment
(``strategy_review``, ``budget_deadline``, ``fiscal_year_start``), giving the latest start that
still makes that moment ("start Financial modelling by March to be ready for the September
budget").

Small samples: with 5-10 respondents per group and ratings on a 1-5 scale (many ties) a test has
little power; a gap that is not "significant" is not evidence of agreement. The caveats are
stated in ``CompetencyAssessment.notes`` and per competency in ``gaps.caveat``.

Examples
--------
>>> import pandas as pd
>>> survey = pd.DataFrame({
...     "respondent": ["ann", "ann", "bob", "bob", "ivy", "ivy", "joe", "joe"],
...     "role": ["business", "business", "business", "business", "IT", "IT", "IT", "IT"],
...     "competency": ["Envisioning", "Setting expectations"] * 4,
...     "maturity": [2, 2, 3, 2, 4, 3, 4, 4],
... })
>>> result = assess(survey, threshold=3)
>>> result.gaps[["competency", "business_mean", "it_mean", "gap"]].head(2)
             competency  business_mean  it_mean  gap
0           Envisioning            2.5      4.0 -1.5
1  Setting expectations            2.0      3.5 -1.5
>>> result.priorities[["competency", "status", "priority"]].head(2)
             competency   status  priority
0           Envisioning    ready         1
1  Setting expectations  blocked         2
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy import stats

from btm import validate
from btm.constraints import (
    Boolean,
    CalendarDate,
    Interval,
    Options,
    Probability,
    Seed,
    Text,
    constrained,
)
from btm.errors import InputError, input_error

__all__ = [
    "COMPETENCIES",
    "MOMENTS",
    "CATALOGUE_COLUMNS",
    "SURVEY_COLUMNS",
    "CalendarDate",
    "CompetencyAssessment",
    "DevelopmentPlan",
    "default_catalogue",
    "validate_catalogue",
    "validate_survey",
    "assess",
    "development_plan",
]

#: Calendar moments a competency can be needed by (names of :func:`development_plan` arguments).
MOMENTS: tuple[str, ...] = ("strategy_review", "budget_deadline", "fiscal_year_start")

#: The default framework: (order, competency, short description, calendar moment or None).
COMPETENCIES: tuple[tuple[int, str, str, str | None], ...] = (
    (1, "Envisioning",
     "A shared picture of what technology could do for the business in three to five years",
     "strategy_review"),
    (2, "Setting expectations",
     "What business and IT expect from each other, and how success will be judged",
     "strategy_review"),
    (3, "Creating urgency",
     "The case for change that makes leaders commit time and money now", "strategy_review"),
    (4, "Strategic sourcing",
     "What to build, buy, rent or outsource, and how partners are managed", "budget_deadline"),
    (5, "Leadership structure",
     "Who decides on technology: roles, committees and decision rights", None),
    (6, "Team composition",
     "The mix of skills and people, in-house and external, that the plan needs",
     "budget_deadline"),
    (7, "Common language",
     "Shared terms for cost, value, risk and service, so both sides mean the same thing", None),
    (8, "Financial modelling",
     "Costing options and business cases: total cost, NPV, payback, scenarios",
     "budget_deadline"),
    (9, "Benchmarking",
     "IT spend and service levels against comparable organisations", "budget_deadline"),
    (10, "Situational analysis",
     "An honest review of current systems, capabilities, risks and constraints",
     "strategy_review"),
    (11, "Strategic positioning",
     "Where technology should set the business apart, and where it should simply work",
     "strategy_review"),
    (12, "Operational planning",
     "The annual IT budget and plan that turn strategy into funded work", "budget_deadline"),
    (13, "Projects",
     "Choosing, running and delivering technology projects", "fiscal_year_start"),
    (14, "Processes",
     "Repeatable service, change and governance processes", "fiscal_year_start"),
    (15, "Results focus",
     "Measuring and reporting the value delivered against what was expected",
     "fiscal_year_start"),
)

CATALOGUE_COLUMNS: tuple[validate.Column, ...] = (
    validate.Column("order", "integer", min=1, description="development order (1 = first)"),
    validate.Column("competency", "text", description="name used in the survey"),
    validate.Column("description", "text", required=False, allow_missing=True,
                    description="short description"),
    validate.Column("needed_by", "text", required=False, allow_missing=True,
                    description="calendar moment: " + ", ".join(MOMENTS) + " or empty"),
    validate.Column("rests_on", "text", required=False, allow_missing=True,
                    description="comma-separated earlier competencies it rests on; "
                                "column absent = all earlier ones"),
    validate.Column("development_months", "integer", required=False, allow_missing=True, min=1,
                    description="months to develop it (empty = the plan's default)"),
)
"""Declared columns of a competency catalogue (see :func:`validate_catalogue`)."""

SURVEY_COLUMNS: tuple[validate.Column, ...] = (
    validate.Column("respondent", "text", description="who answered; one role each"),
    validate.Column("role", "text", description="business or IT"),
    validate.Column("competency", "text", description="a competency of the catalogue"),
    validate.Column("maturity", "number", description="rating on the stated scale"),
    validate.Column("importance", "number", required=False, allow_missing=True,
                    description="optional rating of importance on the same scale"),
)
"""Declared columns of a survey table (bounds of ``maturity`` come from the scale)."""

_ROLES = {"business": "business", "it": "IT"}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class CompetencyAssessment:
    """Result of :func:`assess`.

    Attributes
    ----------
    by_group : pandas.DataFrame
        Tidy, one row per competency and role (``business``, ``IT``, in framework order):
        ``order, competency, role, n, mean, median, std, q1, q3, min, max``. ``std`` is the
        sample standard deviation (``ddof=1``; NaN with one answer).
    gaps : pandas.DataFrame
        One row per competency (framework order): ``order, competency, n_business, n_it,
        business_mean, it_mean, gap`` (business minus IT), ``abs_gap``, ``pooled_std``,
        ``standardised_gap`` (gap / pooled standard deviation), ``statistic`` (Mann-Whitney U
        of the business answers, or the difference in means for the permutation test),
        ``p_value`` (two-sided), ``p_value_adjusted`` (Benjamini-Hochberg), ``significant``
        (adjusted p-value below ``alpha``), ``effect_size`` (rank-biserial correlation,
        positive when business rates higher), ``importance`` (mean importance; NaN without
        importance answers), ``weighted_gap``, ``gap_rank`` (1 = largest weighted gap) and
        ``caveat`` (small-sample warning or empty).
    priorities : pandas.DataFrame
        One row per competency (framework order): ``order, competency, maturity`` (on the
        chosen basis), ``reached``, ``shortfall`` (``threshold - maturity``, at least 0),
        ``need`` (shortfall times the importance weight), ``rests_on`` (direct prerequisites,
        comma-separated), ``blocked_by`` (prerequisites, direct or indirect, assessed and not
        yet reached), ``status`` (``reached``, ``ready``, ``blocked``, or ``not assessed`` when
        nobody rated it; those neither block others nor enter the plan) and ``priority``
        (1 = develop first; missing for reached and unassessed competencies).
    summary : pandas.DataFrame
        Indexed by ``competency`` (framework order): ``business_mean, it_mean, gap, p_value,
        weighted_gap, gap_rank, status, priority``.
    catalogue : pandas.DataFrame
        The validated catalogue (with ``rests_on`` filled in).
    responses : pandas.DataFrame
        The validated survey (roles as ``business`` / ``IT``, competency names as in the
        catalogue, ``importance`` NaN when not asked).
    notes : tuple of str
        Caveats about the test and the sample, in plain words.
    scale_min, scale_max, threshold : float
    basis, test : str
    alpha : float
    """

    by_group: pd.DataFrame
    gaps: pd.DataFrame
    priorities: pd.DataFrame
    summary: pd.DataFrame
    catalogue: pd.DataFrame
    responses: pd.DataFrame
    notes: tuple[str, ...]
    scale_min: float
    scale_max: float
    threshold: float
    basis: str
    test: str
    alpha: float


@dataclass(frozen=True)
class DevelopmentPlan:
    """Result of :func:`development_plan`.

    Attributes
    ----------
    plan : pandas.DataFrame
        One row per competency to develop, in order of start: ``priority, order, competency,
        needed_by`` (moment name or empty), ``development_months``, ``start``, ``finish``
        (dates; a competency is ready on its ``finish`` date: ``start`` plus its development
        months, on the same day of the month or that month's last day when it is shorter),
        ``moment_date`` (first occurrence of the moment on or after ``finish``: the
        occurrence the plan makes, which is a later year's when the first is missed; NaT
        without a moment), ``start_by`` (the latest start whose finish is on or before
        ``moment_date``), ``slack_days`` (``start_by - start``: days the start can slip and
        still make ``moment_date``; never negative, so it does not say whether the *first*
        occurrence is made), and ``makes_first_moment`` (whether ``moment_date`` is the first
        occurrence of the moment on or after the plan start, i.e. the plan is ready for it;
        NA without a moment).
    calendar : pandas.DataFrame
        The calendar moments used: ``moment, date`` (first occurrence on or after the start).
    start : pandas.Timestamp
    finish : pandas.Timestamp
        When the last competency of the plan is developed (``start`` for an empty plan).
    """

    plan: pd.DataFrame
    calendar: pd.DataFrame
    start: pd.Timestamp
    finish: pd.Timestamp


# --------------------------------------------------------------------------- catalogue


def default_catalogue() -> pd.DataFrame:
    """The fifteen BTM competencies in development order, as a fresh (editable) table.

    Returns
    -------
    pandas.DataFrame
        ``order, competency, description, needed_by`` (a calendar moment or None). Without a
        ``rests_on`` column each competency rests on all earlier ones (a strict sequence).

    Notes
    -----
    Order and names: Xuviate (2016), after Techopia's BTM framework. Descriptions and calendar
    moments are this project's illustrative wording; edit or replace them.

    Examples
    --------
    >>> cat = default_catalogue()
    >>> len(cat), cat.loc[7, "competency"], cat.loc[7, "needed_by"]
    (15, 'Financial modelling', 'budget_deadline')
    """
    return pd.DataFrame(
        [list(c) for c in COMPETENCIES],
        columns=["order", "competency", "description", "needed_by"],
    ).astype({"needed_by": object})


def _key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def validate_catalogue(catalogue: pd.DataFrame, *, source: str = "catalogue") -> pd.DataFrame:
    """Check a competency catalogue and return it sorted by ``order`` with ``rests_on`` filled.

    Parameters
    ----------
    catalogue : pandas.DataFrame
        ``order`` (whole numbers from 1, unique), ``competency`` (unique names), optional
        ``description``, ``needed_by`` (one of :data:`MOMENTS` or empty), ``rests_on``
        (comma-separated names of *earlier* competencies; an empty cell means none; when the
        column is absent every competency rests on all earlier ones) and
        ``development_months``.
    source : str
        How to name the table in messages.

    Returns
    -------
    pandas.DataFrame
        A copy sorted by ``order`` with a fresh index; ``rests_on`` holds a tuple of names.

    Raises
    ------
    InputError
        Duplicate orders or names, an unknown moment, a ``rests_on`` naming an unknown or a
        later competency; the message names the row and column.

    Examples
    --------
    >>> cat = validate_catalogue(default_catalogue())
    >>> cat.loc[2, "rests_on"]
    ('Envisioning', 'Setting expectations')
    """
    has_rests_on = isinstance(catalogue, pd.DataFrame) and "rests_on" in catalogue.columns
    df = validate.frame(catalogue, CATALOGUE_COLUMNS, source=source)
    rows = np.arange(1, len(df) + 1)
    keys = df["competency"].map(_key)
    for col, values in (("order", df["order"]), ("competency", keys)):
        dup = values.duplicated().to_numpy()
        if dup.any():
            i = int(np.flatnonzero(dup)[0])
            raise input_error(f"{source}, row {rows[i]}, column '{col}'",
                              got=df[col].tolist()[i], expected="a value used only once")
    needed = df["needed_by"]
    bad = needed.notna().to_numpy() & ~needed.isin(MOMENTS).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise input_error(f"{source}, row {rows[i]}, column 'needed_by'", got=needed.iloc[i],
                          expected="one of " + ", ".join(map(repr, MOMENTS)) + " or empty")
    df = df.assign(source_row=rows).sort_values("order", kind="stable").reset_index(drop=True)
    name_of = dict(zip(df["competency"].map(_key), df["competency"], strict=True))
    order_of = dict(zip(df["competency"], df["order"], strict=True))
    rests: list[tuple[str, ...]] = []
    for i, row in enumerate(df.itertuples(index=False)):
        if not has_rests_on:
            rests.append(tuple(df["competency"].iloc[:i]))
            continue
        cell = row.rests_on
        names = [] if cell is None or pd.isna(cell) else [
            p for p in (s.strip() for s in str(cell).replace(";", ",").split(",")) if p
        ]
        found = []
        for p in names:
            name = name_of.get(_key(p))
            if name is None or order_of[name] >= row.order:
                what = "unknown competency" if name is None else "a competency that is not earlier"
                raise input_error(
                    f"{source}, row {row.source_row}, column 'rests_on'", got=p,
                    note=what, expected="names of earlier competencies of the catalogue",
                )
            found.append(name)
        rests.append(tuple(dict.fromkeys(found)))
    df["rests_on"] = pd.Series(rests, index=df.index, dtype=object)
    return df.drop(columns="source_row")


# --------------------------------------------------------------------------- survey


def _check_scale(scale_min: float, scale_max: float) -> None:
    if not scale_min < scale_max:
        raise input_error("scale_max", got=f"{scale_max:g}", literal=True,
                          expected=f"a value greater than scale_min ({scale_min:g})")


@constrained(scale_min=Interval(float), scale_max=Interval(float), source=Text(),
             catalogue_source=Text())
def validate_survey(
    survey: pd.DataFrame,
    *,
    catalogue: pd.DataFrame | None = None,
    scale_min: float = 1,
    scale_max: float = 5,
    source: str = "survey",
    catalogue_source: str = "catalogue",
) -> pd.DataFrame:
    """Check a survey table and return a cleaned copy.

    Parameters
    ----------
    survey : pandas.DataFrame
        ``respondent, role, competency, maturity`` and optional ``importance`` (see the module
        docstring).
    catalogue : pandas.DataFrame, optional
        The framework (default :func:`default_catalogue`).
    scale_min, scale_max : float
        The rating scale; ratings outside it are refused.
    source, catalogue_source : str
        How to name the survey and the catalogue in messages (such as their file names).

    Returns
    -------
    pandas.DataFrame
        Roles as ``business`` / ``IT``, competency names spelled as in the catalogue,
        ``importance`` NaN when the column is absent.

    Raises
    ------
    InputError
        An empty cell (a missing answer, a respondent without a role), a rating off the scale,
        an unknown role or competency, a respondent with two roles, a competency answered twice
        by one respondent, or a survey without both groups. Rows are counted from 1.

    Examples
    --------
    >>> bad = pd.DataFrame({"respondent": ["a"], "role": ["sales"],
    ...                     "competency": ["Envisioning"], "maturity": [3]})
    >>> validate_survey(bad)
    Traceback (most recent call last):
    ...
    btm.errors.InputError: survey, row 1, column 'role': got 'sales'; expected 'business' or 'IT'
    """
    _check_scale(scale_min, scale_max)
    cat = validate_catalogue(default_catalogue() if catalogue is None else catalogue,
                             source=catalogue_source)
    has_importance = isinstance(survey, pd.DataFrame) and "importance" in survey.columns
    columns = [
        validate.Column(c.name, c.kind, required=c.required, allow_missing=c.allow_missing,
                        min=scale_min if c.kind == "number" else None,
                        max=scale_max if c.kind == "number" else None)
        for c in SURVEY_COLUMNS
    ]
    df = validate.frame(survey, columns, source=source)

    def where(i: int, col: str) -> str:
        return f"{source}, row {i + 1}, column '{col}'"

    if has_importance:
        empty = df["importance"].isna().to_numpy()
        if empty.any():
            raise InputError(f"{where(int(np.flatnonzero(empty)[0]), 'importance')}: "
                             "the cell is empty; expected a number (or drop the column)")
    role = df["role"].map(lambda r: _ROLES.get(r.casefold()))
    bad = role.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise input_error(where(i, "role"), got=df["role"].iloc[i],
                          expected="'business' or 'IT'")
    name_of = dict(zip(cat["competency"].map(_key), cat["competency"], strict=True))
    comp = df["competency"].map(lambda c: name_of.get(_key(c)))
    bad = comp.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        names = list(cat["competency"])
        shown = ", ".join(map(repr, names[:4])) + (", ..." if len(names) > 4 else "")
        raise input_error(where(i, "competency"), got=df["competency"].iloc[i],
                          expected=f"a competency of the catalogue ({shown})")
    df = df.assign(role=role.astype(object), competency=comp.astype(object))
    first_role = df.groupby("respondent", sort=False)["role"].transform("first")
    bad = (df["role"] != first_role).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise input_error(where(i, "role"), got=df["role"].iloc[i],
                          note=f"but respondent {df['respondent'].iloc[i]!r} was "
                               f"{first_role.iloc[i]!r} earlier",
                          expected="one role per respondent")
    dup = df.duplicated(["respondent", "competency"]).to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise input_error(where(i, "competency"), got=df["competency"].iloc[i],
                          note=f"a second answer from {df['respondent'].iloc[i]!r}",
                          expected="one answer per respondent and competency")
    present = set(df["role"])
    for r in ("business", "IT"):
        if r not in present:
            raise InputError(f"{source}, column 'role': no {r} respondents; expected answers "
                             "from both business and IT")
    if not has_importance:
        df["importance"] = np.nan
    return df


# --------------------------------------------------------------------------- assessment


def _mean_difference(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def _test_pair(b: np.ndarray, i: np.ndarray, test: str, n_resamples: int,
               rng: np.random.Generator) -> tuple[float, float, float]:
    """(statistic, two-sided p-value, rank-biserial correlation) for business vs IT."""
    if len(b) == 0 or len(i) == 0:
        return (math.nan, math.nan, math.nan)
    u = stats.mannwhitneyu(b, i, alternative="two-sided").statistic
    effect = 2 * float(u) / (len(b) * len(i)) - 1
    if np.ptp(np.concatenate([b, i])) == 0:  # every answer the same: no evidence of a gap
        stat = float(u) if test == "mann_whitney" else 0.0
        return (stat, 1.0, effect)
    if test == "mann_whitney":
        res = stats.mannwhitneyu(b, i, alternative="two-sided", method="auto")
        return (float(res.statistic), float(res.pvalue), effect)
    res = stats.permutation_test(
        (b, i), _mean_difference, permutation_type="independent", vectorized=True,
        n_resamples=n_resamples, alternative="two-sided", rng=rng,
    )
    return (float(res.statistic), float(res.pvalue), effect)


@constrained(
    scale_min=Interval(float), scale_max=Interval(float), threshold=Interval(float),
    basis=Options(("lower_group", "overall")), test=Options(("mann_whitney", "permutation")),
    alpha=Probability(), n_resamples=Interval(int, 100, 10**6), seed=Seed(),
    min_group_size=Interval(int, 1, 1000), source=Text(), catalogue_source=Text(),
)
def assess(
    survey: pd.DataFrame,
    *,
    catalogue: pd.DataFrame | None = None,
    scale_min: float = 1,
    scale_max: float = 5,
    threshold: float = 3.0,
    basis: str = "lower_group",
    test: str = "mann_whitney",
    alpha: float = 0.05,
    n_resamples: int = 9999,
    seed: int | np.random.Generator = 0,
    min_group_size: int = 5,
    source: str = "survey",
    catalogue_source: str = "catalogue",
) -> CompetencyAssessment:
    """Maturity by group, business-IT perception gaps with a test, and development priorities.

    Parameters
    ----------
    survey : pandas.DataFrame
        See :func:`validate_survey`.
    catalogue : pandas.DataFrame, optional
        The framework (default :func:`default_catalogue`); see :func:`validate_catalogue`.
    scale_min, scale_max : float
        The rating scale (default 1-5), for maturity and importance alike.
    threshold : float
        Maturity a competency must reach before the competencies resting on it are
        recommended (on the rating scale).
    basis : {"lower_group", "overall"}
        Maturity compared with the threshold: the lower of the business and IT means (both
        sides must see it reached; default) or the mean of all answers.
    test : {"mann_whitney", "permutation"}
        ``scipy.stats.mannwhitneyu`` (exact without ties, normal approximation with tie
        correction otherwise) or ``scipy.stats.permutation_test`` of the difference in means
        (exact when ``n_resamples`` covers every split of the answers, Monte Carlo otherwise).
    alpha : float
        Level for ``significant`` (on Benjamini-Hochberg adjusted p-values).
    n_resamples : int
        Permutations for the permutation test.
    seed : int or numpy.random.Generator
        For a Monte Carlo permutation test.
    min_group_size : int
        Below this many answers in a group a competency's ``caveat`` warns of low power.
    source, catalogue_source : str
        How to name the survey and the catalogue in messages (such as their file names).

    Returns
    -------
    CompetencyAssessment

    Notes
    -----
    Gap: ``business mean - IT mean``. Importance weight ``w = mean importance / scale_max``
    (1 without importance answers); ``weighted_gap = w * |gap|``; ``need = w * shortfall``.
    Development order: ``networkx.lexicographical_topological_sort`` of the competencies not
    reached, edges from each to every competency resting on it (transitively), key
    ``(-need, order)``.

    References: Mann & Whitney (1947), Ann. Math. Statist. 18(1):50-60; Benjamini & Hochberg
    (1995), J. R. Statist. Soc. B 57(1):289-300; Kerby (2014), Comprehensive Psychology 3:11;
    Martilla & James (1977), J. Marketing 41(1):77-79.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({
    ...     "respondent": list("abcdef"),
    ...     "role": ["business"] * 3 + ["IT"] * 3,
    ...     "competency": ["Envisioning"] * 6,
    ...     "maturity": [1, 2, 2, 4, 4, 5],
    ... })
    >>> g = assess(survey).gaps.iloc[0]
    >>> round(float(g["gap"]), 3), float(g["statistic"]), float(g["effect_size"])
    (-2.667, 0.0, -1.0)
    """
    _check_scale(scale_min, scale_max)
    if not scale_min <= threshold <= scale_max:
        raise input_error("threshold", got=f"{threshold:g}", literal=True,
                          expected=f"a value on the scale {scale_min:g}-{scale_max:g}")
    cat = validate_catalogue(default_catalogue() if catalogue is None else catalogue,
                             source=catalogue_source)
    df = validate_survey(survey, catalogue=catalogue, scale_min=scale_min, scale_max=scale_max,
                         source=source, catalogue_source=catalogue_source)
    generator = validate.rng(seed)
    names = list(cat["competency"])
    order = dict(zip(cat["competency"], cat["order"], strict=True))

    grid = pd.MultiIndex.from_product([names, ["business", "IT"]], names=["competency", "role"])
    grouped = df.groupby(["competency", "role"])["maturity"]
    by_group = pd.DataFrame({
        "n": grouped.size(), "mean": grouped.mean(), "median": grouped.median(),
        "std": grouped.std(ddof=1), "q1": grouped.quantile(0.25), "q3": grouped.quantile(0.75),
        "min": grouped.min(), "max": grouped.max(),
    }).reindex(grid)
    by_group["n"] = by_group["n"].fillna(0).astype(np.int64)
    by_group = by_group.reset_index()
    by_group.insert(0, "order", by_group["competency"].map(order).astype(np.int64))

    wide = by_group.set_index(["competency", "role"])
    n_b = wide.xs("business", level="role")["n"].reindex(names).to_numpy()
    n_i = wide.xs("IT", level="role")["n"].reindex(names).to_numpy()
    mean_b = wide.xs("business", level="role")["mean"].reindex(names).to_numpy()
    mean_i = wide.xs("IT", level="role")["mean"].reindex(names).to_numpy()
    sd_b = wide.xs("business", level="role")["std"].reindex(names).to_numpy()
    sd_i = wide.xs("IT", level="role")["std"].reindex(names).to_numpy()
    gap = mean_b - mean_i
    with np.errstate(invalid="ignore", divide="ignore"):
        dof = n_b + n_i - 2
        pooled = np.sqrt(((n_b - 1) * sd_b**2 + (n_i - 1) * sd_i**2) / dof)
        pooled = np.where(dof > 0, pooled, np.nan)
        standardised = np.where(pooled > 0, gap / pooled, np.nan)

    answers = {k: v.to_numpy(dtype=float) for k, v in df.groupby(["competency", "role"])["maturity"]}
    empty = np.array([], dtype=float)
    results = np.array([
        _test_pair(answers.get((c, "business"), empty), answers.get((c, "IT"), empty),
                   test, n_resamples, generator)
        for c in names
    ]).reshape(len(names), 3)
    p = results[:, 1]
    p_adj = np.full(len(names), np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        p_adj[ok] = stats.false_discovery_control(p[ok], method="bh")

    if df["importance"].notna().any():
        importance = df.groupby("competency")["importance"].mean().reindex(names).to_numpy()
        weight = np.where(np.isnan(importance), 1.0, importance / scale_max)
    else:
        importance = np.full(len(names), np.nan)
        weight = np.ones(len(names))
    weighted = weight * np.abs(gap)
    caveats = []
    for nb, ni in zip(n_b, n_i, strict=True):
        if nb == 0 and ni == 0:
            caveats.append("not assessed")
        elif nb == 0 or ni == 0:
            caveats.append("answered by one group only: no gap")
        elif min(nb, ni) < min_group_size:
            caveats.append(f"only {min(nb, ni)} answers in the smaller group: "
                           "the test has little power")
        else:
            caveats.append("")
    gaps = pd.DataFrame({
        "order": cat["order"].to_numpy(), "competency": names,
        "n_business": n_b, "n_it": n_i, "business_mean": mean_b, "it_mean": mean_i,
        "gap": gap, "abs_gap": np.abs(gap), "pooled_std": pooled,
        "standardised_gap": standardised, "statistic": results[:, 0], "p_value": p,
        "p_value_adjusted": p_adj, "significant": np.nan_to_num(p_adj, nan=1.0) < alpha,
        "effect_size": results[:, 2], "importance": importance, "weighted_gap": weighted,
    })
    gaps["gap_rank"] = gaps["weighted_gap"].rank(method="min", ascending=False).astype("Int64")
    gaps["caveat"] = pd.Series(caveats, dtype=object)

    if basis == "lower_group":
        maturity = np.fmin(mean_b, mean_i)
    else:
        maturity = df.groupby("competency")["maturity"].mean().reindex(names).to_numpy()
    priorities = _priorities(cat, maturity, weight, threshold)

    summary = gaps.set_index("competency")[
        ["business_mean", "it_mean", "gap", "p_value", "weighted_gap", "gap_rank"]
    ].join(priorities.set_index("competency")[["status", "priority"]])

    n_resp = df.drop_duplicates("respondent")["role"].value_counts()
    notes = (
        f"{int(n_resp.get('business', 0))} business and {int(n_resp.get('IT', 0))} IT "
        "respondents; with groups this small a test detects only large gaps, so a gap that is "
        "not significant is not evidence that the groups agree.",
        ("Mann-Whitney U: ratings on a short scale have many ties, so p-values use the normal "
         "approximation with tie correction; treat them as indicative."
         if test == "mann_whitney" else
         "Permutation test of the difference in means: exact when every split of the answers "
         "fits in n_resamples, otherwise a Monte Carlo estimate (seeded)."),
        f"{len(names)} competencies tested at once: significance uses Benjamini-Hochberg "
        f"adjusted p-values at alpha = {alpha:g}.",
    )
    return CompetencyAssessment(
        by_group=by_group, gaps=gaps, priorities=priorities, summary=summary, catalogue=cat,
        responses=df, notes=notes, scale_min=float(scale_min), scale_max=float(scale_max),
        threshold=float(threshold), basis=basis, test=test, alpha=float(alpha),
    )


def _prerequisite_graph(cat: pd.DataFrame) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(cat["competency"])
    graph.add_edges_from((p, c) for c, rests in zip(cat["competency"], cat["rests_on"],
                                                    strict=True) for p in rests)
    return graph


def _priorities(cat: pd.DataFrame, maturity: np.ndarray, weight: np.ndarray,
                threshold: float) -> pd.DataFrame:
    names = list(cat["competency"])
    assessed = ~np.isnan(maturity)
    reached = assessed & (np.nan_to_num(maturity) >= threshold)
    shortfall = np.where(assessed, np.maximum(threshold - maturity, 0.0), np.nan)
    need = weight * shortfall
    to_develop = dict(zip(names, assessed & ~reached, strict=True))
    graph = _prerequisite_graph(cat)
    ancestors = {c: nx.ancestors(graph, c) for c in names}
    blocked_by = [
        ", ".join(a for a in names if a in ancestors[c] and to_develop[a]) for c in names
    ]
    status = np.where(~assessed, "not assessed", np.where(reached, "reached", np.where(
        [b != "" for b in blocked_by], "blocked", "ready")))
    todo = [c for c in names if to_develop[c]]
    sub = nx.transitive_closure_dag(graph).subgraph(todo)
    key_of = {c: (-float(n), int(o)) for c, n, o in
              zip(names, np.nan_to_num(need), cat["order"], strict=True)}
    sequence = list(nx.lexicographical_topological_sort(sub, key=lambda c: key_of[c]))
    rank = {c: k + 1 for k, c in enumerate(sequence)}
    return pd.DataFrame({
        "order": cat["order"].to_numpy(), "competency": names, "maturity": maturity,
        "reached": reached, "shortfall": shortfall, "need": need,
        "rests_on": pd.Series([", ".join(r) for r in cat["rests_on"]], dtype=object),
        "blocked_by": pd.Series(blocked_by, dtype=object),
        "status": pd.Series(status, dtype=object),
        "priority": pd.array([rank.get(c) for c in names], dtype="Int64"),
    })


# --------------------------------------------------------------------------- calendar


def _latest_start(ready_by: pd.Timestamp, months: int) -> pd.Timestamp:
    """The last day ``s`` with ``s + months`` (calendar months) on or before `ready_by`.

    Adding months is not undone by subtracting them at a month end: 31 May + 4 months is
    30 September, but 30 September - 4 months is 30 May. So step forward from the subtraction
    to the last start that still finishes in time (at most three days, 28 to 31).
    """
    step = pd.Timedelta(days=1)
    s = ready_by - pd.DateOffset(months=months)
    while s + step + pd.DateOffset(months=months) <= ready_by:
        s += step
    return s


def _next_occurrence(date: pd.Timestamp, on_or_after: pd.Timestamp) -> pd.Timestamp:
    """The first of ``date + k years`` (k any whole number) on or after `on_or_after`."""
    k = on_or_after.year - date.year - 1
    d = date + pd.DateOffset(years=k)
    while d < on_or_after:
        k += 1
        d = date + pd.DateOffset(years=k)
    return d


@constrained(
    start=CalendarDate(), fiscal_year_start=CalendarDate(), budget_deadline=CalendarDate(),
    strategy_review=CalendarDate(), development_months=Interval(int, 1, 60),
    max_parallel=Interval(int, 1, 100), include_blocked=Boolean(),
)
def development_plan(
    assessment: CompetencyAssessment,
    *,
    start: Any,
    fiscal_year_start: Any,
    budget_deadline: Any,
    strategy_review: Any,
    development_months: int = 3,
    max_parallel: int = 2,
    include_blocked: bool = True,
) -> DevelopmentPlan:
    """Put the development order on the organisation's calendar: what to start when.

    Parameters
    ----------
    assessment : CompetencyAssessment
        From :func:`assess`; its ``priorities`` give the order.
    start : date
        When development can begin (e.g. the date of the assessment).
    fiscal_year_start, budget_deadline, strategy_review : date
        One occurrence of each calendar moment; each recurs yearly on the same day.
    development_months : int
        Months to develop a competency whose catalogue row gives none.
    max_parallel : int
        Competencies developed at the same time.
    include_blocked : bool
        Plan the blocked competencies too (after what they rest on); False keeps only those
        ready now.

    Returns
    -------
    DevelopmentPlan

    Notes
    -----
    List scheduling (Graham, 1969, SIAM J. Appl. Math. 17(2):416-429): whenever one of the ``max_parallel`` slots is free, it takes
    the highest-priority competency whose prerequisites in the plan are developed by then
    (a slot with nothing ready waits for the next one to finish). Each takes its development
    months and is ready on its finish date. Its moment date is the first occurrence of its
    ``needed_by`` moment on or after its finish; ``start_by`` is the latest start that is
    still ready by that date (31 May for 4 months and a 30 September deadline: 31 May + 4
    months is 30 September). Rows are in order of start (then priority); ``priority`` is the
    assessment's.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({
    ...     "respondent": ["a", "a", "b", "b"], "role": ["business", "business", "IT", "IT"],
    ...     "competency": ["Envisioning", "Financial modelling"] * 2,
    ...     "maturity": [4, 1, 4, 2],
    ... })
    >>> result = assess(survey)
    >>> plan = development_plan(result, start="2025-01-06", fiscal_year_start="2025-01-01",
    ...                         budget_deadline="2025-09-30", strategy_review="2025-06-15")
    >>> row = plan.plan.iloc[0]
    >>> row["competency"], str(row["finish"].date()), str(row["start_by"].date())
    ('Financial modelling', '2025-04-06', '2025-06-30')
    """
    if not isinstance(assessment, CompetencyAssessment):
        raise input_error("assessment", got=type(assessment).__name__, literal=True,
                          expected="the result of btm.competency.assess")
    moments = {"fiscal_year_start": fiscal_year_start, "budget_deadline": budget_deadline,
               "strategy_review": strategy_review}
    first = {m: _next_occurrence(d, start) for m, d in moments.items()}
    pr = assessment.priorities
    cat = assessment.catalogue.set_index(assessment.catalogue["competency"].astype(str))
    todo = pr[pr["priority"].notna()].sort_values("priority")
    if not include_blocked:
        todo = todo[todo["status"] == "ready"]
    graph = _prerequisite_graph(assessment.catalogue)
    months_of = {}
    for comp in todo["competency"]:
        months = cat.at[comp, "development_months"] if "development_months" in cat else None
        months_of[comp] = development_months if months is None or pd.isna(months) else int(months)
    in_plan = set(todo["competency"])
    waits_for = {c: nx.ancestors(graph, c) & in_plan for c in in_plan}
    rank_of = dict(zip(todo["competency"], todo["priority"].astype(int), strict=True))
    pending = list(todo["competency"])
    free = [start] * max_parallel
    finish_of: dict[str, pd.Timestamp] = {}
    rows = []
    while pending:
        slot = int(np.argmin(free))
        now = free[slot]
        ready = [c for c in pending
                 if all(a in finish_of and finish_of[a] <= now for a in waits_for[c])]
        if not ready:  # wait for the next competency to be developed
            free[slot] = min(f for f in finish_of.values() if f > now)
            continue
        comp = ready[0]
        pending.remove(comp)
        months = months_of[comp]
        end = now + pd.DateOffset(months=months)
        free[slot] = end
        finish_of[comp] = end
        moment = cat.at[comp, "needed_by"]
        moment = None if moment is None or pd.isna(moment) else str(moment)
        if moment is None:
            date, start_by, makes = pd.NaT, pd.NaT, pd.NA
        else:
            date = _next_occurrence(moments[moment], end)
            start_by = _latest_start(date, months)
            makes = bool(date == first[moment])
        rows.append({
            "priority": rank_of[comp], "order": int(cat.at[comp, "order"]), "competency": comp,
            "needed_by": moment or "", "development_months": months, "start": now,
            "finish": end, "moment_date": date, "start_by": start_by, "makes_first_moment": makes,
        })
    columns = ["priority", "order", "competency", "needed_by", "development_months", "start",
               "finish", "moment_date", "start_by", "makes_first_moment"]
    plan = pd.DataFrame(rows, columns=columns)
    for c in ("start", "finish", "moment_date", "start_by"):
        plan[c] = pd.to_datetime(plan[c])
    plan["slack_days"] = (plan["start_by"] - plan["start"]).dt.days.astype("Int64")
    plan["makes_first_moment"] = plan["makes_first_moment"].astype("boolean")
    plan["needed_by"] = plan["needed_by"].astype(object)
    plan["competency"] = plan["competency"].astype(object)
    plan["priority"] = plan["priority"].astype(np.int64)
    plan["order"] = plan["order"].astype(np.int64)
    plan["development_months"] = plan["development_months"].astype(np.int64)
    calendar = pd.DataFrame({"moment": pd.Series(list(first), dtype=object),
                             "date": pd.to_datetime(list(first.values()))})
    finish = max(finish_of.values()) if finish_of else start
    return DevelopmentPlan(plan=plan, calendar=calendar, start=start, finish=finish)
