"""IT benchmarking: where the organisation's IT spend and service levels sit among its peers.

Competency 9 of the BTM framework (see :mod:`btm.competency`): compare the organisation's IT
metrics with a peer group of comparable organisations (same industry and size band), find each
metric's position and flag those outside the peers' interquartile range as warranting
attention. The peer figures are the user's data (an analyst firm's report, an industry
association's survey); the sample in ``btm/data/it_benchmarking/`` is illustrative, not real
benchmarks.

Two tables (data dictionaries in ``btm/data/it_benchmarking/README.md``):

* **organisation**: ``metric, value`` (optional ``unit``, ``description``): raw quantities
  (``it_spend``, ``revenue``, ``employees``, ``it_users``, ``run_spend`` ...) and any metric the
  user adds (``availability``, ``first_contact_resolution`` ...). :func:`add_ratios` derives the
  usual ratios (:data:`RATIOS`: IT spend as a share of revenue, per employee, run / grow /
  transform shares, service-desk cost per user and per ticket ...) from the raw quantities.
* **peers**: ``industry, size_band, metric, p25, median, p75`` and optional ``better``
  (``lower``, ``higher`` or ``neither``), ``unit``, and, for a metric that grows with the size
  of the organisation (total IT spend, IT staff, tickets), ``scales_with`` (an organisation
  metric such as ``employees``) and ``peer_size`` (that quantity for the typical peer).

Size normalisation: a metric that scales with size is compared as
``value * peer_size / organisation's size`` (the organisation scaled to the typical peer's
size), so an absolute figure is read against peers of the same size (a ratio such as spend per
employee needs none).

Percentile position from three quartiles: the peers' distribution is taken as a normal curve
on each side of the median, each matched to the quartile on its side,
``sigma_low = (median - p25) / z``, ``sigma_high = (p75 - median) / z`` with
``z = Phi^-1(0.75) = 0.6745`` (the normal-theory link between interquartile range and standard
deviation, IQR / 1.35, as in Wan et al., 2014, BMC Medical Research Methodology 14:135), and
``percentile = 100 * Phi((value - median) / sigma_side)``. It reproduces the quartiles exactly
(p25 -> 25, median -> 50, p75 -> 75) and allows a skewed peer group; beyond the quartiles it
is an estimate, so the flag uses the quartiles themselves.

Examples
--------
>>> import pandas as pd
>>> org = pd.DataFrame({"metric": ["it_spend", "revenue", "employees"],
...                     "value": [2.4e6, 80e6, 400]})
>>> peers = pd.DataFrame({
...     "industry": ["Manufacturing"] * 2, "size_band": ["250-999"] * 2,
...     "metric": ["it_spend_share_of_revenue", "it_spend_per_employee"],
...     "p25": [0.015, 4000.0], "median": [0.022, 5500.0], "p75": [0.030, 7500.0],
...     "better": ["neither", "neither"],
... })
>>> result = compare(org, peers, industry="Manufacturing", size_band="250-999")
>>> result.summary[["percentile", "position", "attention"]].round(2)
... # doctest: +NORMALIZE_WHITESPACE
                           percentile      position  attention
metric
it_spend_share_of_revenue        75.0  median to Q3      False
it_spend_per_employee            56.7  median to Q3      False
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from btm import validate
from btm.constraints import Boolean, Rate, Text, constrained
from btm.errors import InputError, input_error

__all__ = [
    "RATIOS",
    "ORGANISATION_COLUMNS",
    "PEER_COLUMNS",
    "BenchmarkResult",
    "validate_organisation",
    "validate_peers",
    "add_ratios",
    "peer_percentile",
    "compare",
    "SPLIT_SHARES",
    "spend_mix",
]

#: Derived metrics: (metric, numerator, denominator, factor, unit, better, description).
#: ``metric = factor * numerator / denominator``, added by :func:`add_ratios` when both
#: quantities are in the organisation table and the metric itself is not.
RATIOS: tuple[tuple[str, str, str, float, str, str, str], ...] = (
    ("it_spend_share_of_revenue", "it_spend", "revenue", 1.0, "fraction", "neither",
     "IT spend as a share of revenue"),
    ("it_spend_per_employee", "it_spend", "employees", 1.0, "currency", "neither",
     "IT spend per employee"),
    ("it_spend_per_user", "it_spend", "it_users", 1.0, "currency", "neither",
     "IT spend per IT user"),
    ("run_share", "run_spend", "it_spend", 1.0, "fraction", "lower",
     "share of IT spend that keeps the business running"),
    ("grow_share", "grow_spend", "it_spend", 1.0, "fraction", "higher",
     "share of IT spend that grows the business"),
    ("transform_share", "transform_spend", "it_spend", 1.0, "fraction", "higher",
     "share of IT spend that transforms the business"),
    ("service_desk_cost_per_user", "service_desk_cost", "it_users", 1.0, "currency", "lower",
     "service-desk cost per IT user per year"),
    ("service_desk_cost_per_ticket", "service_desk_cost", "service_desk_tickets", 1.0,
     "currency", "lower", "service-desk cost per ticket"),
    ("tickets_per_user", "service_desk_tickets", "it_users", 1.0, "tickets", "lower",
     "service-desk tickets per IT user per year"),
    ("it_staff_per_100_employees", "it_fte", "employees", 100.0, "FTE", "neither",
     "IT staff (FTE) per 100 employees"),
)

#: The run / grow / transform shares of IT spend (:data:`RATIOS`), compared together or not at all.
SPLIT_SHARES: tuple[str, ...] = ("run_share", "grow_share", "transform_share")

#: Relative tolerance of ``run_spend + grow_spend + transform_spend == it_spend``.
SPLIT_TOLERANCE = 0.005

ORGANISATION_COLUMNS: tuple[validate.Column, ...] = (
    validate.Column("metric", "text", description="metric name (snake_case)"),
    validate.Column("value", "number", description="the organisation's figure"),
    validate.Column("unit", "text", required=False, allow_missing=True, description="unit"),
)
"""Declared columns of the organisation's metrics table."""

PEER_COLUMNS: tuple[validate.Column, ...] = (
    validate.Column("industry", "text", description="peer group industry"),
    validate.Column("size_band", "text", description="peer group size band"),
    validate.Column("metric", "text", description="metric name, as in the organisation table"),
    validate.Column("p25", "number", description="first quartile of the peers"),
    validate.Column("median", "number", description="median of the peers"),
    validate.Column("p75", "number", description="third quartile of the peers"),
    validate.Column("better", "text", required=False, default="neither",
                    description="lower, higher or neither"),
    validate.Column("scales_with", "text", required=False, allow_missing=True,
                    description="organisation metric the figure grows with (size driver)"),
    validate.Column("peer_size", "number", required=False, allow_missing=True,
                    description="size driver of the typical peer"),
    validate.Column("unit", "text", required=False, allow_missing=True, description="unit"),
)
"""Declared columns of the peer table."""

#: Quantities and ratios of :data:`RATIOS` (amounts, counts, shares): never negative.
_NON_NEGATIVE = frozenset(name for r in RATIOS for name in r[:3])
#: Ratios of :data:`RATIOS` that are fractions, whatever a ``unit`` column says.
_FRACTIONS = frozenset(r[0] for r in RATIOS if r[4] == "fraction")

#: The names btm knows (:data:`RATIOS`), by their case-folded form: ``IT_FTE`` is ``it_fte``.
_KNOWN = {name.casefold(): name for r in RATIOS for name in r[:3]}

_BETTER = ("lower", "higher", "neither")
_Z75 = float(stats.norm.ppf(0.75))


@dataclass(frozen=True)
class BenchmarkResult:
    """Result of :func:`compare`.

    Attributes
    ----------
    positions : pandas.DataFrame
        One row per metric compared (peer-table order): ``metric, unit, better, value,
        scales_with, size_factor`` (``peer_size / organisation size``; 1 without
        normalisation), ``normalised_value``, ``p25, median, p75, percentile`` (0-100),
        ``gap_to_median`` (normalised value minus median), ``gap_to_median_pct`` (as a fraction
        of the median), ``outside_iqr_by`` (distance beyond the nearer quartile: positive above
        p75, negative below p25, 0 inside), ``position`` (``below Q1``, ``Q1 to median``,
        ``median to Q3``, ``above Q3``), ``attention`` (outside the interquartile range) and
        ``reading`` (``within range``, ``favourable``, ``unfavourable`` or ``unusual`` when
        ``better`` is ``neither``).
    summary : pandas.DataFrame
        Indexed by ``metric``: ``value, normalised_value, median, percentile, position,
        attention, reading``.
    not_compared : pandas.DataFrame
        ``metric, reason``: organisation metrics without a peer figure, and peer metrics the
        organisation has no value for.
    organisation : pandas.DataFrame
        The organisation table with derived ratios (column ``derived`` marks them).
    industry, size_band : str
        The peer group as the peer table writes it (not as typed: ``' manufacturing '`` is
        ``'Manufacturing'``).
    """

    positions: pd.DataFrame
    summary: pd.DataFrame
    not_compared: pd.DataFrame
    organisation: pd.DataFrame
    industry: str
    size_band: str

    @property
    def split_compared(self) -> bool:
        """Whether the run / grow / transform split (:data:`SPLIT_SHARES`) was compared: all
        three shares have a row in ``positions``. The split is optional (without
        ``run_spend``, ``grow_spend`` and ``transform_spend`` it is not)."""
        return set(SPLIT_SHARES) <= set(self.positions["metric"].astype(str))


# --------------------------------------------------------------------------- validation


def _canonical(metrics: pd.Series) -> pd.Series:
    """Metric names as btm spells those it knows (``IT_FTE`` -> ``it_fte``); others as given
    (surrounding spaces are already gone). Metrics are matched ignoring case everywhere."""
    return metrics.map(lambda m: _KNOWN.get(m.casefold(), m)).astype(object)


def _row_where(source: str, row: int, metric: str, column: str) -> str:
    return f"{source}, row {row} (metric {metric!r}), column '{column}'"


def _is_fraction(metric: str, unit: Any) -> bool:
    return metric in _FRACTIONS or (isinstance(unit, str) and unit.casefold() == "fraction")


def _check_figures(df: pd.DataFrame, columns: tuple[str, ...], source: str,
                   units: pd.Series | None = None) -> None:
    """Refuse a fraction written as a percentage (``58`` for 58 %, through
    :class:`btm.constraints.Rate`) and a negative amount, count or share (:data:`RATIOS`'
    quantities and ratios), naming the row, its metric and the column. `units` (default: the
    table's ``unit`` column) says which metrics are fractions."""
    units = df["unit"] if units is None else units
    for i, (metric, unit) in enumerate(zip(df["metric"], units, strict=True)):
        fraction = _is_fraction(str(metric), unit)
        if not fraction and metric not in _NON_NEGATIVE:
            continue
        for column in columns:
            x = float(df[column].iloc[i])
            where = _row_where(source, i + 1, str(metric), column)
            if fraction:
                Rate(allow_negative=metric not in _NON_NEGATIVE).check(x, where)
            elif x < 0:
                raise input_error(where, got=f"{x:g}", literal=True,
                                  expected="a value of at least 0 (an amount or a count)")


@constrained(source=Text())
def validate_organisation(organisation: pd.DataFrame, *,
                          source: str = "organisation") -> pd.DataFrame:
    """Check the organisation's metrics table (one row per metric, no duplicates).

    Metric names match ignoring case (``IT_FTE`` is ``it_fte``, and written so); a
    fraction above 1 is refused as a likely percentage, a negative amount, count or share
    of :data:`RATIOS` as impossible.

    Raises
    ------
    InputError
        A missing or non-numeric value, a metric listed twice, or a run / grow / transform
        split that does not add up to ``it_spend`` (within 0.5 %); the message names the row.

    Examples
    --------
    >>> validate_organisation(pd.DataFrame({"metric": ["employees", "Employees"],
    ...                                     "value": [400, 410]}))
    Traceback (most recent call last):
    ...
    btm.errors.InputError: organisation, row 2, column 'metric': got 'Employees'; expected each metric once (names match ignoring case)
    """
    df = validate.frame(organisation, ORGANISATION_COLUMNS, source=source)
    typed = df["metric"]
    df["metric"] = _canonical(typed)
    dup = df["metric"].str.casefold().duplicated().to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise input_error(f"{source}, row {i + 1}, column 'metric'", got=typed.iloc[i],
                          expected="each metric once (names match ignoring case)")
    _check_figures(df, ("value",), source)
    values = dict(zip(df["metric"], df["value"], strict=True))
    parts = ("run_spend", "grow_spend", "transform_spend")
    if "it_spend" in values and all(p in values for p in parts):
        total = sum(values[p] for p in parts)
        if abs(total - values["it_spend"]) > SPLIT_TOLERANCE * abs(values["it_spend"]):
            i = int(np.flatnonzero(df["metric"].to_numpy() == "it_spend")[0])
            raise input_error(
                f"{source}, row {i + 1}, column 'value'", got=f"{values['it_spend']:g}",
                literal=True, note=f"but run + grow + transform spend add up to {total:g}",
                expected="run_spend + grow_spend + transform_spend = it_spend",
            )
    return df


@constrained(source=Text())
def validate_peers(peers: pd.DataFrame, *, source: str = "peers") -> pd.DataFrame:
    """Check a peer table: quartiles in order, one row per industry, size band and metric.

    Raises
    ------
    InputError
        ``p25 > median`` or ``median > p75``, an unknown ``better``, a duplicate row, a
        ``scales_with`` without a positive ``peer_size``; the message names the row and column.

    Examples
    --------
    >>> validate_peers(pd.DataFrame({"industry": ["Retail"], "size_band": ["small"],
    ...                              "metric": ["it_spend_per_employee"],
    ...                              "p25": [5000], "median": [4000], "p75": [6000]}))
    Traceback (most recent call last):
    ...
    btm.errors.InputError: peers, row 1, column 'median': got 4000; expected a value of at least p25 (5000)
    """
    df = validate.frame(peers, PEER_COLUMNS, source=source)
    typed = df["metric"]
    df["metric"] = _canonical(typed)

    def where(i: int, col: str) -> str:
        return f"{source}, row {i + 1}, column '{col}'"

    for low, high in (("p25", "median"), ("median", "p75")):
        bad = (df[low] > df[high]).to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise input_error(where(i, high), got=f"{df[high].iloc[i]:g}", literal=True,
                              expected=f"a value of at least {low} ({df[low].iloc[i]:g})")
    better = df["better"].str.casefold()
    bad = ~better.isin(_BETTER).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise input_error(where(i, "better"), got=df["better"].iloc[i],
                          expected="one of 'lower', 'higher', 'neither'")
    df["better"] = better.astype(object)
    _check_figures(df, ("p25", "median", "p75"), source)
    key = [df[c].str.casefold() for c in ("industry", "size_band", "metric")]
    dup = pd.concat(key, axis=1).duplicated().to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise input_error(where(i, "metric"), got=typed.iloc[i],
                          expected="one row per industry, size band and metric")
    scaled = df["scales_with"].notna().to_numpy()
    bad = scaled & ~(df["peer_size"].to_numpy(dtype=float) > 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        size = df["peer_size"].iloc[i]
        raise input_error(where(i, "peer_size"), got=f"{size:g}", literal=True,
                          problem="the cell is empty" if pd.isna(size) else None,
                          expected=f"a positive size of the typical peer in "
                                   f"{df['scales_with'].iloc[i]!r}")
    return df


# --------------------------------------------------------------------------- ratios


@constrained(source=Text())
def add_ratios(
    organisation: pd.DataFrame,
    *,
    ratios: tuple[tuple[str, str, str, float, str, str, str], ...] = RATIOS,
    source: str = "organisation",
) -> pd.DataFrame:
    """Add the derived ratios (:data:`RATIOS`) the raw quantities allow.

    A ratio is added when its numerator and denominator are in the table and the ratio is not
    (a given figure wins). Rows keep the input order; derived rows follow, marked
    ``derived = True``.

    Raises
    ------
    InputError
        As :func:`validate_organisation`, and a zero denominator (naming its row).

    Examples
    --------
    >>> org = pd.DataFrame({"metric": ["it_spend", "employees"], "value": [3.0e6, 500]})
    >>> add_ratios(org)[["metric", "value", "derived"]]
                      metric      value  derived
    0               it_spend  3000000.0    False
    1              employees      500.0    False
    2  it_spend_per_employee     6000.0     True
    """
    df = validate_organisation(organisation, source=source)
    values = dict(zip(df["metric"], df["value"], strict=True))
    row_of = {m: i + 1 for i, m in enumerate(df["metric"])}
    new = []
    for metric, num, den, factor, unit, _better, _desc in ratios:
        if metric in values or num not in values or den not in values:
            continue
        if values[den] == 0:
            raise input_error(f"{source}, row {row_of[den]}, column 'value'", got=0,
                              expected=f"a non-zero {den} (it divides {num} in {metric})")
        new.append({"metric": metric, "value": factor * values[num] / values[den],
                    "unit": unit})
    columns = {c: df[c].tolist() + [row.get(c) for row in new] for c in df.columns}
    out = pd.DataFrame(columns).astype({"value": float})
    for c in df.columns:
        if c != "value" and df[c].dtype == object:
            out[c] = out[c].astype(object)
    out["derived"] = np.r_[np.zeros(len(df), bool), np.ones(len(new), bool)]
    return out


# --------------------------------------------------------------------------- position


def peer_percentile(value: Any, p25: Any, median: Any, p75: Any) -> np.ndarray:
    """Estimated percentile (0-100) of `value` among peers described by their quartiles.

    A normal curve on each side of the median, matched to the quartile on that side (see the
    module docstring). Vectorised over arrays of equal shape; a zero spread on one side gives
    0 or 100 beyond the median.

    Examples
    --------
    >>> peer_percentile([10, 20, 30, 40], 10, 20, 30).round(2)
    array([25.  , 50.  , 75.  , 91.13])
    """
    x, q1, m, q3 = (np.asarray(a, dtype=float) for a in (value, p25, median, p75))
    sigma = np.where(x < m, m - q1, q3 - m) / _Z75
    diff = x - m
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sigma > 0, diff / sigma, np.where(diff == 0, 0.0, np.sign(diff) * np.inf))
    return 100 * stats.norm.cdf(z)


@constrained(industry=Text(), size_band=Text(), derive=Boolean(), source=Text(),
             peers_source=Text())
def compare(
    organisation: pd.DataFrame,
    peers: pd.DataFrame,
    *,
    industry: str,
    size_band: str,
    derive: bool = True,
    source: str = "organisation",
    peers_source: str = "peers",
) -> BenchmarkResult:
    """Position each of the organisation's IT metrics in its peer group.

    Parameters
    ----------
    organisation : pandas.DataFrame
        ``metric, value`` (see :func:`validate_organisation`).
    peers : pandas.DataFrame
        Peer quartiles by industry, size band and metric (see :func:`validate_peers`).
    industry, size_band : str
        The peer group (matched ignoring case and surrounding spaces, as metric names are).
    derive : bool
        Derive the usual ratios first (:func:`add_ratios`).
    source, peers_source : str
        How to name the tables in messages.

    Returns
    -------
    BenchmarkResult

    Raises
    ------
    InputError
        Bad tables; an industry or size band the peer table does not have (naming the
        parameter and listing what it has); a ``scales_with`` metric the organisation table
        lacks or that is not positive.

    Notes
    -----
    ``attention`` flags ``value < p25`` or ``value > p75`` (after size normalisation): the
    metrics outside the peers' interquartile range, the usual "warrants a look" rule of
    benchmarking reports. ``reading`` says which way: with ``better = lower`` a value above Q3
    is ``unfavourable`` and below Q1 ``favourable`` (but still worth a look: too little spend
    can be as telling as too much).

    Examples
    --------
    >>> org = pd.DataFrame({"metric": ["it_fte", "employees"], "value": [20, 400]})
    >>> peers = pd.DataFrame({"industry": ["Retail"], "size_band": ["mid"],
    ...                       "metric": ["it_fte"], "p25": [8.0], "median": [10.0],
    ...                       "p75": [12.0], "scales_with": ["employees"], "peer_size": [250]})
    >>> pos = compare(org, peers, industry="retail", size_band="mid", derive=False).positions
    >>> float(pos.loc[0, "normalised_value"]), pos.loc[0, "position"], bool(pos.loc[0, "attention"])
    (12.5, 'above Q3', True)
    """
    org = add_ratios(organisation, source=source) if derive else validate_organisation(
        organisation, source=source).assign(derived=False)
    table = validate_peers(peers, source=peers_source)
    ind = table["industry"].str.casefold() == industry.strip().casefold()
    if not ind.any():
        raise input_error("industry", got=industry, expected="one of " + ", ".join(
            map(repr, sorted(table["industry"].unique()))))
    industry = str(table.loc[ind, "industry"].iloc[0])  # as the peer table writes it
    band = ind & (table["size_band"].str.casefold() == size_band.strip().casefold())
    if not band.any():
        raise input_error("size_band", got=size_band,
                          expected=f"one of the size bands of {industry!r}: " + ", ".join(
                              map(repr, sorted(table.loc[ind, "size_band"].unique()))))
    size_band = str(table.loc[band, "size_band"].iloc[0])
    group = table[band.to_numpy()].assign(peer_row=np.flatnonzero(band.to_numpy()) + 1)
    # metric names match ignoring case, as industry and size band do
    values = dict(zip(org["metric"].str.casefold(), org["value"], strict=True))
    has = group["metric"].str.casefold().isin(list(values)).to_numpy()
    missing_org = [m for m in group["metric"][~has]]
    pos = group[has].reset_index(drop=True)
    given = org[~org["derived"].to_numpy(dtype=bool)]
    peer_unit = given["metric"].str.casefold().map(
        dict(zip(pos["metric"].str.casefold(), pos["unit"], strict=True)))
    _check_figures(given, ("value",), source,  # the peer table's unit wins (README)
                   units=peer_unit.where(peer_unit.notna(), given["unit"]))

    factor = np.ones(len(pos))
    for k, row in enumerate(pos.itertuples(index=False)):
        if row.scales_with is None or pd.isna(row.scales_with):
            continue
        where = f"{peers_source}, row {row.peer_row}, column 'scales_with'"
        size = values.get(row.scales_with.casefold())
        if size is None:
            raise input_error(where, got=row.scales_with,
                              expected=f"a metric of the {source} table")
        if not size > 0:
            raise input_error(where, got=row.scales_with, note=f"whose value is {size:g}",
                              expected="a positive size")
        factor[k] = row.peer_size / size

    value = pos["metric"].str.casefold().map(values).to_numpy(dtype=float)
    norm = value * factor
    q1, m, q3 = (pos[c].to_numpy(dtype=float) for c in ("p25", "median", "p75"))
    pct = peer_percentile(norm, q1, m, q3)
    outside = np.where(norm > q3, norm - q3, np.where(norm < q1, norm - q1, 0.0))
    position = np.select([norm < q1, norm <= m, norm <= q3],
                         ["below Q1", "Q1 to median", "median to Q3"], "above Q3")
    attention = outside != 0
    better = pos["better"].to_numpy()
    good = ((better == "lower") & (norm < q1)) | ((better == "higher") & (norm > q3))
    bad = ((better == "lower") & (norm > q3)) | ((better == "higher") & (norm < q1))
    reading = np.select([~attention, good, bad], ["within range", "favourable", "unfavourable"],
                        "unusual")
    with np.errstate(divide="ignore", invalid="ignore"):
        gap_pct = np.where(m != 0, (norm - m) / np.abs(m), np.nan)
    unit = pos["unit"].where(pos["unit"].notna(),
                             pos["metric"].str.casefold().map(dict(zip(
                                 org["metric"].str.casefold(), org["unit"], strict=True))))
    positions = pd.DataFrame({
        "metric": pos["metric"].astype(object), "unit": unit.astype(object),
        "better": pos["better"].astype(object), "value": value,
        "scales_with": pos["scales_with"].astype(object), "size_factor": factor,
        "normalised_value": norm, "p25": q1, "median": m, "p75": q3, "percentile": pct,
        "gap_to_median": norm - m, "gap_to_median_pct": gap_pct, "outside_iqr_by": outside,
        "position": pd.Series(position, dtype=object), "attention": attention,
        "reading": pd.Series(reading, dtype=object),
    })
    summary = positions.set_index(positions["metric"].astype(str))[
        ["value", "normalised_value", "median", "percentile", "position", "attention", "reading"]
    ]
    compared = set(positions["metric"].str.casefold())
    not_compared = pd.DataFrame(
        [{"metric": m_, "reason": "no peer figure"} for m_ in org["metric"]
         if m_.casefold() not in compared]
        + [{"metric": m_, "reason": "organisation has no value"} for m_ in missing_org],
        columns=["metric", "reason"],
    ).astype(object)
    if positions.empty:
        raise InputError(f"{source}: no metric in common with the {peers_source} group "
                         f"{industry!r}, {size_band!r}; expected at least one shared metric name")
    return BenchmarkResult(positions=positions, summary=summary, not_compared=not_compared,
                           organisation=org, industry=industry, size_band=size_band)


def spend_mix(result: BenchmarkResult) -> pd.DataFrame:
    """The run / grow / transform shares against the peers: ``value, median, percentile,
    reading`` indexed by ``metric`` (:data:`SPLIT_SHARES`, in that order).

    No rows when the split was not compared (:attr:`BenchmarkResult.split_compared` is
    False): the split is optional, and a part of it is no split.

    Examples
    --------
    >>> org = pd.DataFrame({"metric": ["it_spend", "employees"], "value": [3.0e6, 500]})
    >>> peers = pd.DataFrame({"industry": ["X"], "size_band": ["S"],
    ...     "metric": ["it_spend_per_employee"], "p25": [4000], "median": [6000], "p75": [7500]})
    >>> r = compare(org, peers, industry="X", size_band="S")
    >>> r.split_compared, len(spend_mix(r))
    (False, 0)
    """
    if not isinstance(result, BenchmarkResult):
        raise InputError(f"result: got {type(result).__name__}; expected the BenchmarkResult "
                         "of btm.benchmark.compare")
    columns = ["value", "median", "percentile", "reading"]
    if not result.split_compared:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="metric", dtype=object))
    return result.summary.loc[list(SPLIT_SHARES), columns]
