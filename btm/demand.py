"""Demand history: long-format validation, frequency inference and demand classification.

Demand history uses the long format of the Nixtla ecosystem: one row per SKU and period with
``unique_id`` (the SKU), ``ds`` (the period's date) and ``y`` (units demanded, >= 0).
:func:`validate_history` checks such a table once and returns a clean, sorted copy;
:func:`classify_demand` puts every SKU into one of the four Syntetos–Boylan classes
(smooth, erratic, intermittent, lumpy) that decide which forecasting methods fit it.

Classification (Syntetos, Boylan & Croston 2005, *Journal of the Operational Research
Society* 56:495–503):

* ``adi`` (average inter-demand interval) = number of periods / number of periods with
  demand > 0, over the SKU's whole history;
* ``cv2`` = squared coefficient of variation of the non-zero demand sizes,
  ``(std / mean) ** 2`` with the population standard deviation (``ddof=0``);
  0 when the SKU had fewer than two periods with demand;
* cut-offs ``ADI_CUTOFF = 1.32`` and ``CV2_CUTOFF = 0.49``:

  ============  ==============  ==============
  class          adi             cv2
  ============  ==============  ==============
  smooth         < 1.32          < 0.49
  erratic        < 1.32          >= 0.49
  intermittent   >= 1.32         < 0.49
  lumpy          >= 1.32         >= 0.49
  ============  ==============  ==============

  A SKU with no demand at all in its history is put in a fifth class, ``no_demand``
  (``adi`` is infinite, ``cv2`` undefined).

Examples
--------
>>> import pandas as pd
>>> history = pd.DataFrame({
...     "unique_id": "A",
...     "ds": pd.date_range("2024-01-07", periods=6, freq="W-SUN"),
...     "y": [0, 3, 0, 0, 5, 4],
... })
>>> classify_demand(history)[["unique_id", "adi", "cv2", "demand_class"]]
  unique_id  adi       cv2  demand_class
0         A  2.0  0.041667  intermittent
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from btm.constraints import Boolean, Interval, NoneOr, Text, constrained
from btm.errors import InputError
from btm.validate import Column, frame

__all__ = [
    "ADI_CUTOFF",
    "CV2_CUTOFF",
    "DEMAND_CLASSES",
    "classify_demand",
    "classify_validated",
    "infer_freq",
    "season_length_for",
    "validate_history",
]

#: Syntetos, Boylan & Croston (2005) cut-off of the average inter-demand interval.
ADI_CUTOFF = 1.32
#: Syntetos, Boylan & Croston (2005) cut-off of the squared coefficient of variation.
CV2_CUTOFF = 0.49
#: The classes :func:`classify_demand` returns, in a fixed order.
DEMAND_CLASSES = ("smooth", "erratic", "intermittent", "lumpy", "no_demand")

_COLUMNS = [
    Column("unique_id", "text", description="SKU identifier"),
    Column("ds", "date", description="period date"),
    Column("y", "any", allow_missing=True, description="units demanded in the period"),
]

_FREQ_EXAMPLES = "a pandas frequency such as 'W-SUN', 'D', 'MS' or 'ME'"
#: A frequency argument: text here, parsed by pandas in the function (same message).
_FREQ = Text(description=_FREQ_EXAMPLES)
_CUTOFF = Interval(float, 0)


# --------------------------------------------------------------------------- frequencies


@constrained(freq=_FREQ)
def season_length_for(freq: str) -> int:
    """Number of periods in one seasonal cycle for a pandas frequency.

    Hourly 24, daily 7 (weekly cycle), business-daily 5, weekly 52, monthly 12,
    quarterly 4, yearly 1; anything else 1 (no seasonality).

    Parameters
    ----------
    freq : str
        A pandas frequency string (``"W-SUN"``, ``"D"``, ``"MS"`` ...).

    Returns
    -------
    int

    Examples
    --------
    >>> season_length_for("W-SUN"), season_length_for("MS"), season_length_for("D")
    (52, 12, 7)
    """
    offset = _offset(freq)
    off = pd.offsets
    table: list[tuple[Any, int]] = [
        (off.BusinessDay, 5),
        (off.Day, 7),
        (off.Hour, 24),
        (off.Week, 52),
        ((off.MonthEnd, off.MonthBegin), 12),
        ((off.QuarterEnd, off.QuarterBegin), 4),
        ((off.YearEnd, off.YearBegin), 1),
    ]
    for kind, m in table:
        if isinstance(offset, kind) and getattr(offset, "n", 1) == 1:
            return m
    return 1


def _offset(freq: Any, name: str = "freq") -> pd.DateOffset:
    if not isinstance(freq, str) or not freq.strip():
        raise InputError(f"{name}: got {freq!r}; expected {_FREQ_EXAMPLES}")
    try:
        return pd.tseries.frequencies.to_offset(freq)
    except (ValueError, TypeError):
        raise InputError(f"{name}: got {freq!r}; expected {_FREQ_EXAMPLES}") from None


def infer_freq(history: pd.DataFrame) -> str:
    """Infer the period frequency of a validated long-format history from its dates.

    The most common step between consecutive dates of the same SKU decides: 1 hour → ``"h"``,
    1 day → ``"D"``, 7 days → ``"W-<weekday of the dates>"``, 28–31 days → ``"MS"`` or
    ``"ME"`` (dates on the first or last day of the month), 89–92 days → ``"QS-<month>"`` /
    ``"QE-<month>"``, 365–366 days → ``"YS-<month>"`` / ``"YE-<month>"``.

    Parameters
    ----------
    history : pandas.DataFrame
        Long-format history with ``unique_id`` and ``ds`` (datetimes).

    Returns
    -------
    str
        A pandas frequency string.

    Raises
    ------
    InputError
        No SKU has two dates, or the dates follow no frequency listed above; pass ``freq``.

    Examples
    --------
    >>> import pandas as pd
    >>> h = pd.DataFrame({"unique_id": "A", "ds": pd.date_range("2024-01-01", periods=4, freq="MS")})
    >>> infer_freq(h)
    'MS'
    """
    df = history.sort_values(["unique_id", "ds"], kind="stable")
    ds = pd.DatetimeIndex(df["ds"])
    same = df["unique_id"].to_numpy()[1:] == df["unique_id"].to_numpy()[:-1]
    steps = (ds[1:] - ds[:-1])[same]
    if len(steps) == 0:
        raise InputError(
            "freq: cannot infer the frequency, no SKU has two dates; expected "
            f"freq= given as {_FREQ_EXAMPLES}"
        )
    step = pd.Series(steps).mode().iloc[0]
    days = step / pd.Timedelta(days=1)
    first = ds[0]
    month = first.month_name()[:3].upper()
    if step == pd.Timedelta(hours=1):
        return "h"
    if days == 1:
        return "D"
    if days == 7:
        return f"W-{first.day_name()[:3].upper()}"
    for low, high, start, end in ((28, 31, "MS", "ME"), (89, 92, "QS", "QE"),
                                  (365, 366, "YS", "YE")):
        if low <= days <= high:
            if ds.is_month_start.all():
                return start if start == "MS" else f"{start}-{month}"
            if ds.is_month_end.all():
                return end if end == "ME" else f"{end}-{month}"
    raise InputError(
        f"freq: cannot infer the frequency from a typical step of {step}; expected "
        f"freq= given as {_FREQ_EXAMPLES}"
    )


# --------------------------------------------------------------------------- validation


def _show(value: Any) -> Any:
    """A cell as users typed it: 2.0 rather than np.float64(2.0)."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def _row_label(source: str, row: int, uid: Any, ds: Any = None) -> str:
    where = f"{source}, row {row} (unique_id {uid!r}"
    if ds is not None and not pd.isna(ds):
        where += f", ds {pd.Timestamp(ds).date()}"
    return where + ")"


@constrained(source=Text(), fill_gaps=Boolean(), freq=NoneOr(_FREQ))
def validate_history(
    history: Any,
    *,
    source: str = "history",
    fill_gaps: bool = False,
    freq: str | None = None,
) -> pd.DataFrame:
    """Check a long-format demand history and return a clean, sorted copy.

    Parameters
    ----------
    history : pandas.DataFrame
        One row per SKU and period: ``unique_id`` (text), ``ds`` (date), ``y`` (units
        demanded, a finite number >= 0). Other columns are dropped. Not modified.
    source : str
        How to name the table in messages (a file name or parameter name).
    fill_gaps : bool
        A SKU with a missing period between its first and last date is an error unless this
        is True, in which case the missing periods are added with demand 0 (use it only when
        a missing row really means "nothing sold").
    freq : str, optional
        Pandas frequency of the periods; inferred from the dates when omitted
        (see :func:`infer_freq`).

    Returns
    -------
    pandas.DataFrame
        Columns ``unique_id`` (str), ``ds`` (datetime64), ``y`` (float), sorted by SKU and
        date, with a fresh RangeIndex. ``.attrs["freq"]`` holds the frequency used.

    Raises
    ------
    InputError
        Not a DataFrame; missing column; empty table; empty, non-numeric, infinite or negative
        ``y`` (names the row and SKU); a date that is not a date; a duplicate
        (``unique_id``, ``ds``) pair; dates off the frequency's grid; a gap in a SKU's dates
        (names the SKU and the first missing date) when ``fill_gaps`` is False; a bad ``freq``.

    Examples
    --------
    >>> import pandas as pd
    >>> h = pd.DataFrame({"unique_id": ["A", "A", "A"],
    ...                   "ds": ["2024-01-07", "2024-01-14", "2024-01-28"], "y": [1, 2, 3]})
    >>> validate_history(h)
    Traceback (most recent call last):
    ...
    btm.errors.InputError: history, unique_id 'A': period 2024-01-21 is missing (dates must be consecutive W-SUN periods); expected one row per period, or fill_gaps=True to count missing periods as zero demand
    >>> validate_history(h, fill_gaps=True)["y"].tolist()
    [1.0, 2.0, 0.0, 3.0]
    """
    df = frame(history, _COLUMNS, source=source, keep_extra=False)
    uid = df["unique_id"].to_numpy()
    ds = df["ds"].to_numpy()
    # --- y: numeric, present, finite, non-negative; messages name the row and the SKU
    raw = df["y"]
    is_bool = raw.map(lambda v: isinstance(v, bool | np.bool_)).to_numpy()
    y = pd.to_numeric(raw.where(~is_bool, np.nan), errors="coerce").to_numpy(dtype=float)
    checks = [
        (raw.isna().to_numpy(), "the demand is empty (NaN)", "a number of units >= 0; "
         "use 0 for a period without sales"),
        (np.isnan(y) & ~raw.isna().to_numpy(), "got {value!r}", "a number of units >= 0"),
        (np.isinf(y), "got {value!r}", "a finite number of units"),
        (y < 0, "got {value!r}", "demand of at least 0 (returns are not demand)"),
    ]
    for bad, what, expected in checks:
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            where = _row_label(source, i + 1, uid[i], ds[i])
            raise InputError(
                f"{where}, column 'y': {what.format(value=_show(raw.iloc[i]))}; "
                f"expected {expected}"
            )
    df = pd.DataFrame({"unique_id": uid.astype(object), "ds": pd.DatetimeIndex(ds), "y": y})
    # --- duplicates
    dup = df.duplicated(["unique_id", "ds"], keep=False).to_numpy()
    if dup.any():
        rows = np.flatnonzero(dup)
        first = rows[0]
        same = rows[(uid[rows] == uid[first]) & (ds[rows] == ds[first])]
        raise InputError(
            f"{source}, rows {', '.join(str(r + 1) for r in same[:5])} (unique_id "
            f"{uid[first]!r}, ds {pd.Timestamp(ds[first]).date()}): the same SKU and date "
            "appear more than once; expected one row per SKU and period (sum them first)"
        )
    df = df.sort_values(["unique_id", "ds"], kind="stable", ignore_index=True)
    # --- frequency and gaps
    given = freq is not None
    freq = infer_freq(df) if freq is None else freq
    _offset(freq)
    grid = pd.date_range(df["ds"].min(), df["ds"].max(), freq=freq)
    pos = grid.get_indexer(pd.DatetimeIndex(df["ds"]))
    off = pos < 0
    if off.any():
        i = int(np.flatnonzero(off)[0])
        raise InputError(
            f"{source}, unique_id {df['unique_id'].iloc[i]!r}: date "
            f"{df['ds'].iloc[i].date()} is not on the {freq} grid of the other dates; "
            f"expected every date to be one {freq} period apart (or pass freq=)"
        )
    ids = df["unique_id"].to_numpy()
    same = ids[1:] == ids[:-1]
    jump = np.diff(pos) > 1
    gaps = same & jump
    steps = np.diff(pos)[same]
    if given and len(steps) and steps.min() > 1:
        # every date is several `freq` periods from the next: the stated freq is finer than
        # the data's own (weekly sales with freq="D" would get six zero days in seven)
        try:
            own = f" ({infer_freq(df)})"
        except InputError:
            own = ""
        raise InputError(
            f"freq: got {freq!r}, but no two consecutive dates of any SKU are one {freq} period "
            f"apart (the closest are {int(steps.min())} periods apart); expected the data's own "
            f"frequency{own}"
        )
    if gaps.any():
        if not fill_gaps:
            i = int(np.flatnonzero(gaps)[0])
            raise InputError(
                f"{source}, unique_id {ids[i]!r}: period {grid[pos[i] + 1].date()} is missing "
                f"(dates must be consecutive {freq} periods); expected one row per period, "
                "or fill_gaps=True to count missing periods as zero demand"
            )
        df = _fill(df, pos, grid)
    df.attrs["freq"] = freq
    return df


def _fill(df: pd.DataFrame, pos: np.ndarray, grid: pd.DatetimeIndex) -> pd.DataFrame:
    """Add the missing periods of each SKU (between its own first and last date) with y = 0."""
    g = pd.DataFrame({"unique_id": df["unique_id"], "pos": pos})
    span = g.groupby("unique_id", sort=False)["pos"].agg(["min", "max"])
    lengths = (span["max"] - span["min"] + 1).to_numpy()
    starts = np.repeat(span["min"].to_numpy(), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    full = pd.DataFrame({
        "unique_id": np.repeat(span.index.to_numpy(), lengths).astype(object),
        "ds": grid[starts + offsets],
    })
    out = full.merge(df, on=["unique_id", "ds"], how="left")
    return out.assign(y=out["y"].fillna(0.0))


# --------------------------------------------------------------------------- classification


@constrained(fill_gaps=Boolean(), freq=NoneOr(_FREQ), adi_cutoff=_CUTOFF, cv2_cutoff=_CUTOFF)
def classify_demand(
    history: Any,
    *,
    fill_gaps: bool = False,
    freq: str | None = None,
    adi_cutoff: float = ADI_CUTOFF,
    cv2_cutoff: float = CV2_CUTOFF,
) -> pd.DataFrame:
    """Syntetos–Boylan demand class of every SKU.

    Parameters
    ----------
    history : pandas.DataFrame
        Long-format history (``unique_id``, ``ds``, ``y``); see :func:`validate_history`.
    fill_gaps, freq
        As in :func:`validate_history`.
    adi_cutoff, cv2_cutoff : float
        Class boundaries; the defaults 1.32 and 0.49 are those of Syntetos, Boylan &
        Croston (2005).

    Returns
    -------
    pandas.DataFrame
        One row per SKU: ``unique_id``, ``n_periods``, ``n_demands`` (periods with y > 0),
        ``adi`` = n_periods / n_demands, ``cv2`` (squared coefficient of variation of the
        non-zero sizes, population standard deviation) and ``demand_class``.

    Examples
    --------
    >>> import pandas as pd
    >>> h = pd.DataFrame({"unique_id": "B", "ds": pd.date_range("2024-01-01", periods=4,
    ...                   freq="MS"), "y": [10, 12, 8, 10]})
    >>> classify_demand(h)["demand_class"].tolist()
    ['smooth']
    """
    df = validate_history(history, fill_gaps=fill_gaps, freq=freq)
    return classify_validated(df, adi_cutoff=adi_cutoff, cv2_cutoff=cv2_cutoff)


@constrained(adi_cutoff=_CUTOFF, cv2_cutoff=_CUTOFF)
def classify_validated(
    history: pd.DataFrame, *, adi_cutoff: float = ADI_CUTOFF, cv2_cutoff: float = CV2_CUTOFF
) -> pd.DataFrame:
    """:func:`classify_demand` of a history already returned by :func:`validate_history`.

    The table is not checked again (callers that validated it once, such as
    :func:`btm.forecast.backtest`, avoid a second pass over a large history); pass anything
    else to :func:`classify_demand`. Same classes, columns and references.

    Examples
    --------
    >>> import pandas as pd
    >>> h = validate_history(pd.DataFrame({"unique_id": "B", "ds": pd.date_range(
    ...     "2024-01-01", periods=4, freq="MS"), "y": [10, 0, 0, 10]}))
    >>> classify_validated(h)[["adi", "demand_class"]].to_dict("records")
    [{'adi': 2.0, 'demand_class': 'intermittent'}]
    """
    df = history
    counts = df.assign(nz=(df["y"] > 0).astype(float)).groupby("unique_id", sort=True)
    s = counts.agg(n=("y", "size"), nz=("nz", "sum"))
    sizes = df.loc[df["y"] > 0].groupby("unique_id", sort=True)["y"]
    stats = pd.DataFrame({"mean": sizes.mean(), "var": sizes.var(ddof=0)}).reindex(s.index)
    n = s["n"].to_numpy(dtype=float)
    nz = s["nz"].to_numpy(dtype=float)
    mean = stats["mean"].to_numpy(dtype=float)
    var = stats["var"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        adi = np.where(nz > 0, n / nz, np.inf)
        cv2 = np.where(nz >= 2, var / mean**2, np.where(nz == 1, 0.0, np.nan))
    cls = np.select(
        [nz == 0, (adi < adi_cutoff) & (cv2 < cv2_cutoff), adi < adi_cutoff, cv2 < cv2_cutoff],
        ["no_demand", "smooth", "erratic", "intermittent"],
        default="lumpy",
    )
    return pd.DataFrame({
        "unique_id": s.index.to_numpy().astype(object),
        "n_periods": n.astype(np.int64),
        "n_demands": nz.astype(np.int64),
        "adi": adi,
        "cv2": cv2,
        "demand_class": cls.astype(object),
    })
