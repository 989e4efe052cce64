"""Demand forecasts per SKU: a combination chosen once for all regular SKUs, the Croston
family for intermittent demand, with intervals calibrated on rolling-origin errors.

Built on statsforecast's batch API: every candidate model is fitted to all the SKUs it applies
to in one call (no Python loop over SKUs; loops run over model groups only).

Which method
------------
1. Every SKU gets its Syntetos–Boylan demand class (:func:`btm.demand.classify_demand`).
2. The class decides the method (``DEFAULT_CANDIDATES``, ``LONG_SEASON_CANDIDATES``):

   * smooth and erratic, season of at most 24 periods (monthly, quarterly, daily data):
     **one method for all of them, chosen on their own history** (``selection="pooled"``,
     ``DEFAULT_METHOD``): the candidate of ``POOLED_CANDIDATES`` with the lowest mean MASE
     over every smooth and erratic SKU of the call, measured in the rolling-origin backtest.
     The candidates are AutoETS and four combinations from the literature: ``ETS_ARIMA``,
     the mean of AutoETS and AutoARIMA (Hyndman & Athanasopoulos, *Forecasting: Principles
     and Practice*, 3rd ed., 13.6); ``ETS_CES``, the mean of AutoETS and AutoCES (complex
     exponential smoothing; Svetunkov, Kourentzes & Ord 2022, *Naval Research Logistics*
     69:1108–1123); ``ETS_Theta``, the mean of AutoETS and the standard Theta method; and
     ``SCUM``, the median of AutoETS, AutoARIMA, AutoCES and DOTM (Petropoulos & Svetunkov
     2020, *IJF* 36:110–115). AutoARIMA searches its orders as R's ``auto.arima`` does by
     default (Hyndman & Khandakar 2008, *JSS* 27(3)): with the conditional-sum-of-squares
     approximation on series longer than 150 periods or seasons longer than 12, then a
     maximum-likelihood fit of the chosen model (statsforecast ``approximation=None``; its
     own default searches by exact likelihood and is ~10 times slower on long monthly
     series). Why pooled: picking a model per series from two short backtest
     windows overfits (Fildes & Petropoulos 2015, *IJF* 31:721–740), while which combination
     works best differs from one family of series to the next; choosing once for many series,
     from all their windows, keeps the gain of combining and adapts to the user's data. On
     the development set (``benchmarks/bench_forecast_design.py``; 75 monthly and quarterly
     series, 2 origins) the pooled choice scored 0.964 × AutoETS's mean MASE, against 0.983
     for the best fixed method (SCUM), 0.989 for ``ETS_CES`` and 0.991 for ``ETS_ARIMA``, and
     0.970 for a choice per series from the same five (0.967 and 0.974 with the exact ARIMA
     search, when the choice was made); that pools within each family of
     series. One call over all 75 (mixed families) chose SCUM and scored 0.983
     (``benchmarks/bench_forecast_accuracy.py``). ``selection="per_series"`` gives each
     SKU its own best candidate instead.
   * smooth and erratic with longer seasons (weekly data, 52): a per-SKU choice among
     ``SeasonalNaive``, ``AutoETS`` (non-seasonal, ``model="ZZN"``: on three years of weekly
     data a seasonal AutoETS almost never keeps its seasonal component and is ~25 times
     slower), ``DynamicOptimizedTheta`` (DOTM, Fiorucci et al. 2016, *IJF* 32:1151–1161)
     and ``ETS_DOTM``, their mean; a SKU whose training window is shorter than two seasons
     gets season length 1 (column ``season_length`` of ``BacktestResult.chosen``).
   * intermittent and lumpy: ``CrostonClassic``, ``CrostonOptimized``, ``CrostonSBA`` and
     ``TSB`` (alpha_d = alpha_p = 0.1); these forecast a demand *rate*;
   * no_demand (no sale in the whole history): ``Naive`` (forecast 0).

   ``SeasonalNaive`` is scored for every smooth/erratic SKU as a yardstick (``BENCHMARKS``).
   ``models=`` replaces the candidates (a list for every SKU, or a dict per class). A model
   that fails on a series falls back to the seasonal naive forecast, and a combination
   averages the members that did not fail, so every series gets a forecast.
3. :func:`backtest` runs statsforecast ``cross_validation`` with ``n_windows`` rolling origins
   (default 2, ``step_size`` default = horizon), clips forecasts at 0, and scores each SKU ×
   model with MAE, RMSE, MASE, WAPE and bias (``utilsforecast.losses``). Regular SKUs with
   seasons up to 24 periods get the pooled choice (above). Elsewhere, or with
   ``selection="per_series"``, each SKU keeps the candidate with the lowest selection
   metric: MAE for smooth/erratic, RMSE for intermittent/lumpy (MAE rewards forecasting zero for
   intermittent demand; Hyndman 2006, *Foresight* 4:43–46; Kourentzes 2014, *IJPE*
   156:180–190); ties go to the earlier candidate. Where there is nothing to choose (one
   candidate), the models are fitted once at the first origin and moved forward to the later
   ones (statsforecast ``refit=False``): the windows then only calibrate the intervals. A
   pooled choice is fitted the same way (the choice is made for many SKUs at once, so the
   cheaper forward step does not bias it); ``AutoCES``, whose ``forward`` diverges, is
   refitted at every origin.
4. :func:`forecast` fits each SKU's model on its whole history and predicts.

Intervals for stock
-------------------
Forecasts and bounds are clipped at 0 (demand cannot be negative). By default
(``intervals="conformal"``) smooth and erratic SKUs get split-conformal intervals from the
backtest (Vovk, Gammerman & Shafer 2005; Stankeviciute, Alaa & van der Schaar 2021 for
multi-step forecasts): each error of the SKU's model is divided by the SKU's MASE scale
(in-sample MAE of the seasonal naive forecast), the absolute scaled errors are pooled over
the SKUs sharing that model and over the windows, separately for each step ahead, and the
``k``-th smallest of the ``n`` pooled values, ``k = ceil((n + 1) level)`` (Lei et al. 2018),
times the SKU's scale, is the half-width at that step (with fewer than 20 values per step
all steps are pooled after dividing by sqrt(step)). Model-based intervals are too narrow on real series (on the test set
AutoETS's own 80 % and 95 % intervals cover 75 % and 86 % of actuals; see the README), and a
combination has none. ``intervals="model"`` gives the models' own statsforecast intervals
instead. The Croston family and TSB have none; for them the interval is the chosen forecast
plus the ``(1 - level/100) / 2`` and ``(1 + level/100) / 2`` quantiles of that SKU's own
backtest errors, clipped at 0 (flat over the horizon; take more ``n_windows`` when they
drive safety stock), and the lower bound is 0 wherever zero demand made up at least
``(1 - level/100) / 2`` of the backtest periods (the lower quantile of demand is then 0: on
real daily pizza sales this lifted the 95 % coverage from 74 % to 95 %,
``benchmarks/bench_forecast_intermittent.py``). For safety stock over a lead time use
:func:`lead_time_error_quantiles`.

Scale
-----
``n_jobs`` is passed to statsforecast (-1 = all cores; default 1, which avoids starting a
process pool for small tables and notebooks). ``client`` runs the same call on a Dask
cluster: the SKUs are cut into contiguous chunks, each chunk runs the whole flow on a worker
(``client.map``), and the tables are put back together; results equal the local run because
every SKU is handled independently.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> ds = pd.date_range("2021-01-03", periods=60, freq="W-SUN")
>>> history = pd.DataFrame({"unique_id": np.repeat(["A", "B"], 60), "ds": np.tile(ds, 2),
...     "y": np.r_[rng.poisson(20, 60), rng.poisson(0.3, 60) * 4]})
>>> fc = forecast(history, 4, season_length=1)
>>> list(fc.columns)
['unique_id', 'ds', 'forecast', 'model', 'lo_80', 'hi_80', 'lo_95', 'hi_95']
>>> fc.groupby("unique_id")["model"].first().isin(INTERMITTENT_MODELS).tolist()
[False, True]
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from btm.constraints import (
    Boolean,
    Interval,
    ListOf,
    NoneOr,
    Options,
    Percentages,
    Probability,
    Text,
    constrained,
)
from btm.demand import classify_validated, season_length_for, validate_history
from btm.errors import InputError, input_error
from btm.validate import Jobs, integer, one_of

__all__ = [
    "BENCHMARKS",
    "DEFAULT_METHOD",
    "POOLED_CANDIDATES",
    "DEFAULT_CANDIDATES",
    "LONG_SEASON_CANDIDATES",
    "INTERMITTENT_MODELS",
    "MODEL_NAMES",
    "BacktestResult",
    "backtest",
    "forecast",
    "lead_time_error_quantiles",
    "rolling_forecasts",
]

#: Candidate models per demand class (see the module docstring for the reasons).
_CROSTON = ("CrostonClassic", "CrostonOptimized", "CrostonSBA", "TSB")
#: The methods among which one is chosen for all the smooth and erratic SKUs of a call with a
#: season of at most 24 periods, by their mean backtest MASE (``selection="pooled"``).
POOLED_CANDIDATES = ("AutoETS", "ETS_ARIMA", "ETS_CES", "ETS_Theta", "SCUM")
#: How regular demand is forecast by default: a pooled choice among ``POOLED_CANDIDATES``.
DEFAULT_METHOD = "pooled"
DEFAULT_CANDIDATES: dict[str, tuple[str, ...]] = {
    "smooth": POOLED_CANDIDATES,
    "erratic": POOLED_CANDIDATES,
    "intermittent": _CROSTON,
    "lumpy": _CROSTON,
    "no_demand": ("Naive",),
}
#: Candidates when the season is longer than 24 periods (weekly data): AutoETS is then
#: non-seasonal, so SeasonalNaive joins as the simplest seasonal method.
LONG_SEASON_CANDIDATES: dict[str, tuple[str, ...]] = {
    **DEFAULT_CANDIDATES,
    "smooth": ("SeasonalNaive", "AutoETS", "DynamicOptimizedTheta", "ETS_DOTM"),
    "erratic": ("SeasonalNaive", "AutoETS", "DynamicOptimizedTheta", "ETS_DOTM"),
}
#: Scored in every default backtest as a yardstick (accuracy, overall), even where it is not a
#: candidate.
BENCHMARKS: dict[str, tuple[str, ...]] = {"smooth": ("SeasonalNaive",),
                                          "erratic": ("SeasonalNaive",)}
#: Methods for intermittent demand (a demand rate, no likelihood, empirical intervals).
INTERMITTENT_MODELS = ("CrostonClassic", "CrostonOptimized", "CrostonSBA", "TSB", "ADIDA", "IMAPA")
#: Classes whose choice is pooled over their SKUs (``selection="pooled"``), for seasons of at
#: most 24 periods; intermittent and lumpy SKUs, and weekly data, keep a per-SKU choice.
_POOLED_CLASSES = frozenset({"smooth", "erratic"})
_SELECTION = Options(("pooled", "per_series"))
_SELECTION_METRIC = {
    "smooth": "mae", "erratic": "mae", "intermittent": "rmse", "lumpy": "rmse",
    "no_demand": "mae",
}
_METRICS = ("mae", "rmse", "mase", "wape", "bias")
_LONG_SEASON = 24  # above this, AutoETS is non-seasonal (speed; see module docstring)
_MIN_TRAIN = 8  # fewest periods any window may train on


def _quiet_fits() -> None:
    """Inside ``warnings.catch_warnings()``: silence the numerical noise of fitting and
    combining (overflow in a diverging candidate, statsforecast ARIMA's "possible convergence
    problem" from its optimiser, the mean of an all-NaN slice where every member failed):
    every candidate is judged on its backtest errors instead."""
    warnings.simplefilter("ignore", RuntimeWarning)
    warnings.filterwarnings("ignore", message="possible convergence problem",
                            category=UserWarning)


def _sf_models() -> Any:
    import statsforecast.models as m

    return m


def _registry() -> dict[str, Callable[[int], list[Any]]]:
    """Model name -> factory(season_length) -> statsforecast model instances."""
    m = _sf_models()

    def ets(sl: int) -> Any:
        if sl <= _LONG_SEASON:
            return m.AutoETS(season_length=sl, alias="AutoETS")
        return m.AutoETS(season_length=sl, model="ZZN", alias="AutoETS")

    def arima(sl: int) -> Any:
        # R's auto.arima default (Hyndman & Khandakar 2008): the order search uses the
        # conditional-sum-of-squares approximation for series over 150 periods or seasons
        # over 12, then the chosen model is fitted by maximum likelihood; statsforecast's
        # default (exact likelihood throughout) is ~10 times slower on long monthly series
        return m.AutoARIMA(season_length=sl, approximation=None, alias="AutoARIMA")

    return {
        "SeasonalNaive": lambda sl: [m.SeasonalNaive(season_length=sl, alias="SeasonalNaive")],
        "Naive": lambda sl: [m.Naive(alias="Naive")],
        "HistoricAverage": lambda sl: [m.HistoricAverage(alias="HistoricAverage")],
        "AutoETS": lambda sl: [ets(sl)],
        "AutoARIMA": lambda sl: [arima(sl)],
        "Theta": lambda sl: [m.Theta(season_length=sl, alias="Theta")],
        "OptimizedTheta": lambda sl: [m.OptimizedTheta(season_length=sl, alias="OptimizedTheta")],
        "DynamicOptimizedTheta": lambda sl: [
            m.DynamicOptimizedTheta(season_length=sl, alias="DynamicOptimizedTheta")],
        "ETS_Theta": lambda sl: [ets(sl), m.Theta(season_length=sl, alias="Theta")],
        "ETS_DOTM": lambda sl: [ets(sl), m.DynamicOptimizedTheta(
            season_length=sl, alias="DynamicOptimizedTheta")],
        "AutoCES": lambda sl: [m.AutoCES(season_length=sl, alias="AutoCES")],
        "ETS_CES": lambda sl: [ets(sl), m.AutoCES(season_length=sl, alias="AutoCES")],
        "ETS_ARIMA": lambda sl: [ets(sl), arima(sl)],
        "ETS_ARIMA_CES_DOTM": lambda sl: [
            ets(sl), arima(sl),
            m.AutoCES(season_length=sl, alias="AutoCES"),
            m.DynamicOptimizedTheta(season_length=sl, alias="DynamicOptimizedTheta")],
        "SCUM": lambda sl: [
            ets(sl), arima(sl),
            m.AutoCES(season_length=sl, alias="AutoCES"),
            m.DynamicOptimizedTheta(season_length=sl, alias="DynamicOptimizedTheta")],
        "CrostonClassic": lambda sl: [m.CrostonClassic(alias="CrostonClassic")],
        "CrostonOptimized": lambda sl: [m.CrostonOptimized(alias="CrostonOptimized")],
        "CrostonSBA": lambda sl: [m.CrostonSBA(alias="CrostonSBA")],
        "TSB": lambda sl: [m.TSB(alpha_d=0.1, alpha_p=0.1, alias="TSB")],
        "ADIDA": lambda sl: [m.ADIDA(alias="ADIDA")],
        "IMAPA": lambda sl: [m.IMAPA(alias="IMAPA")],
    }


#: Every model name ``models=`` accepts.
MODEL_NAMES = (
    "SeasonalNaive", "Naive", "HistoricAverage", "AutoETS", "AutoARIMA", "Theta",
    "OptimizedTheta", "DynamicOptimizedTheta", "AutoCES", "ETS_Theta", "ETS_DOTM",
    "ETS_CES", "ETS_ARIMA", "ETS_ARIMA_CES_DOTM", "SCUM", "CrostonClassic", "CrostonOptimized",
    "CrostonSBA", "TSB", "ADIDA", "IMAPA",
)
_FOUR = ("AutoETS", "AutoARIMA", "AutoCES", "DynamicOptimizedTheta")
#: combination -> (its models, "mean" or "median")
_COMBINATIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "ETS_Theta": (("AutoETS", "Theta"), "mean"),
    "ETS_DOTM": (("AutoETS", "DynamicOptimizedTheta"), "mean"),
    "ETS_CES": (("AutoETS", "AutoCES"), "mean"),
    "ETS_ARIMA": (("AutoETS", "AutoARIMA"), "mean"),
    "ETS_ARIMA_CES_DOTM": (_FOUR, "mean"),
    "SCUM": (_FOUR, "median"),  # Petropoulos & Svetunkov 2020, IJF 36:110-115
}
_EMPIRICAL = set(INTERMITTENT_MODELS)
#: statsforecast 2.1's AutoCES.forward diverges (its forecasts explode after the first
#: origin), so AutoCES is always refitted at every origin.
_NO_FORWARD = {"AutoCES", "CES"}


def _can_forward(instances: Sequence[Any]) -> bool:
    return all(hasattr(i, "forward") and i.alias not in _NO_FORWARD for i in instances)


# --------------------------------------------------------------------------- result type


@dataclass(frozen=True)
class BacktestResult:
    """Rolling-origin backtest of the candidate models and the model chosen per SKU.

    Attributes
    ----------
    forecasts : pandas.DataFrame
        Long cross-validation table: ``unique_id``, ``cutoff`` (last period the model saw),
        ``ds``, ``step`` (1 = first period after the cutoff), ``y`` (actual), ``model``,
        ``forecast`` (clipped at 0).
    accuracy : pandas.DataFrame
        One row per SKU × candidate model over all windows: ``unique_id``, ``demand_class``,
        ``model``, ``mae``, ``rmse``, ``mase`` (Hyndman & Koehler 2006, scaled by the
        in-sample MAE of the seasonal naive forecast on the data before the first cutoff),
        ``wape`` (sum |error| / sum actual), ``bias`` (mean forecast - actual).
    chosen : pandas.DataFrame
        One row per SKU: ``unique_id``, ``demand_class``, ``adi``, ``cv2``, ``model``,
        ``season_length`` (used for that SKU), ``metric`` (the selection metric) and
        ``score`` (its value).
    overall : pandas.DataFrame
        One row per model plus ``chosen`` (each SKU's chosen model): ``model``, ``n_series``,
        ``mae``, ``rmse`` (over all points), ``mase`` (mean over SKUs with a finite MASE),
        ``wape``, ``bias``. The ``chosen`` row is measured on the windows used to choose, so
        it is optimistic.
    summary : pandas.DataFrame
        Count of SKUs per demand class and chosen model.
    horizon, n_windows, step_size, season_length : int
    freq : str
    """

    forecasts: pd.DataFrame
    accuracy: pd.DataFrame
    chosen: pd.DataFrame
    overall: pd.DataFrame
    summary: pd.DataFrame
    horizon: int
    n_windows: int
    step_size: int
    season_length: int
    freq: str


# --------------------------------------------------------------------------- checks


_HORIZON = Interval(int, 1)
_N_WINDOWS = Interval(int, 2)
_OPTIONAL_PERIODS = NoneOr(Interval(int, 1))
_FREQ = NoneOr(Text(description="a pandas frequency such as 'W-SUN', 'D', 'MS' or 'ME'"))
_METRIC = NoneOr(Options(("mae", "rmse", "mase", "wape")))


def _check_levels(level: Any) -> tuple[float, ...]:
    return Percentages(allow_none=True).check(level, "level")


def _level_name(lv: float) -> str:
    return f"{lv:g}"


_Table = dict[str, tuple[tuple[str, ...], tuple[str, ...]]]


def _candidate_table(models: Any) -> _Table:
    """Key "<class>" or "<class>|long" -> (candidates, models fitted in the backtest)."""
    def with_bench(cands: dict[str, tuple[str, ...]], bench: bool
                   ) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        out = {}
        for cls, names in cands.items():
            extra = tuple(b for b in BENCHMARKS.get(cls, ()) if bench and b not in names)
            out[cls] = (names, names + extra)
        return out

    if models is None:
        short, long = DEFAULT_CANDIDATES, LONG_SEASON_CANDIDATES
        bench = True
    elif isinstance(models, Mapping):
        given = {}
        for cls, names in models.items():
            one_of(cls, "models (key)", list(DEFAULT_CANDIDATES))
            given[cls] = _check_names(names, f"models[{cls!r}]")
        short = {**DEFAULT_CANDIDATES, **given}
        long = {**LONG_SEASON_CANDIDATES, **given}
        bench = True
    else:
        names = _check_names(models, "models")
        short = long = {cls: names for cls in DEFAULT_CANDIDATES}
        bench = False
    table = with_bench(short, bench)
    table.update({f"{k}|long": v for k, v in with_bench(long, bench).items()})
    return table


def _check_names(names: Any, where: str) -> tuple[str, ...]:
    if isinstance(names, str):
        names = (names,)
    if not isinstance(names, Sequence) or len(names) == 0:
        raise InputError(f"{where}: got {names!r}; expected a non-empty list of model names")
    for i, n in enumerate(names):
        one_of(n, f"{where}[{i}]", MODEL_NAMES)
    if len(set(names)) != len(names):
        raise InputError(f"{where}: got {list(names)!r}; expected each model once")
    return tuple(names)


def _check_common(history: Any, horizon: int, n_windows: int, step_size: int | None,
                  season_length: int | None, freq: str | None, fill_gaps: bool, n_jobs: int,
                  source: str = "history"
                  ) -> tuple[pd.DataFrame, int, int, int, int, str, int]:
    """The history and settings of a backtest (scalars already checked by its declaration)."""
    step = horizon if step_size is None else step_size
    df = validate_history(history, fill_gaps=fill_gaps, freq=freq, source=source)
    f = df.attrs["freq"]
    sl = season_length_for(f) if season_length is None else season_length
    longest = int(df.groupby("unique_id", sort=False).size().max())
    if season_length is not None and season_length > 1 and 2 * season_length > longest:
        raise input_error("season_length", got=season_length, expected=(
            f"at most {longest // 2} periods: a seasonal model needs two full seasons of "
            f"history and the longest series of {source} has {longest} periods"))
    return df, horizon, n_windows, step, sl, f, n_jobs


def _check_lengths(df: pd.DataFrame, test_size: int, horizon: int, n_windows: int,
                   source: str = "history") -> None:
    sizes = df.groupby("unique_id", sort=True).size()
    need = test_size + _MIN_TRAIN
    short = sizes[sizes < need]
    if len(short):
        uid = short.index[0]
        raise InputError(
            f"{source}, unique_id {uid!r}: has {int(short.iloc[0])} periods, too short for a "
            f"backtest of {n_windows} windows of horizon {horizon}; expected at least {need} "
            f"periods ({test_size} to test + {_MIN_TRAIN} to train), or a smaller horizon/"
            "n_windows"
        )


# --------------------------------------------------------------------------- plan


def _plan(df: pd.DataFrame, table: _Table, season_length: int, test_size: int
          ) -> pd.DataFrame:
    """One row per SKU: demand class, season length it can use, candidates, fitted models."""
    cls = classify_validated(df)
    sizes = df.groupby("unique_id", sort=True).size().to_numpy()
    train = sizes - test_size
    sl = np.where(train >= 2 * season_length, season_length, 1).astype(np.int64)
    key = cls["demand_class"] + np.where(sl > _LONG_SEASON, "|long", "")
    return cls.assign(
        season_length=sl,
        candidates=key.map({k: v[0] for k, v in table.items()}),
        fitted=key.map({k: v[1] for k, v in table.items()}),
    )


def _groups(plan: pd.DataFrame) -> list[tuple[tuple[str, ...], int, np.ndarray]]:
    """(fitted models, season length, SKUs) for each batch call; deterministic order."""
    groups = plan.groupby(["fitted", "season_length"], sort=False).groups
    out = [(tuple(f), int(sl), plan["unique_id"].to_numpy()[np.asarray(idx)])
           for (f, sl), idx in groups.items()]
    out.sort(key=lambda t: (t[0], t[1]))
    return out


def _instances(names: Sequence[str], sl: int) -> list[Any]:
    reg = _registry()
    seen: dict[str, Any] = {}
    for n in names:
        for inst in reg[n](sl):
            seen.setdefault(inst.alias, inst)
    return list(seen.values())


def _add_combinations(wide: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """Columns of the combinations in `names`: mean or median of their models' forecasts.

    A member whose forecast failed (NaN) is left out; when all fail the combination is NaN
    (then :func:`_fill_failures` steps in)."""
    extra = {}
    for c, (parts, how) in _COMBINATIONS.items():
        if c in names:
            vals = wide[list(parts)].to_numpy(dtype=float)
            with warnings.catch_warnings():
                _quiet_fits()
                extra[c] = (np.nanmedian(vals, axis=1) if how == "median"
                            else np.nanmean(vals, axis=1))
    return wide.assign(**extra) if extra else wide


def _sf(models: list[Any], freq: str, n_jobs: int, sl: int = 1) -> Any:
    """StatsForecast over `models`; a model that fails on a series falls back to the
    seasonal naive forecast (naive for season 1), so every series gets a forecast."""
    from statsforecast import StatsForecast

    m = _sf_models()
    fallback = m.SeasonalNaive(season_length=sl) if sl > 1 else m.Naive()
    return StatsForecast(models=models, freq=freq, n_jobs=n_jobs, fallback_model=fallback)


# --------------------------------------------------------------------------- backtest


@constrained(horizon=_HORIZON, n_windows=_N_WINDOWS, step_size=_OPTIONAL_PERIODS,
             season_length=_OPTIONAL_PERIODS, freq=_FREQ, metric=_METRIC, fill_gaps=Boolean(),
             n_jobs=Jobs(), selection=_SELECTION, source=Text())
def backtest(
    history: pd.DataFrame,
    *,
    horizon: int,
    n_windows: int = 2,
    step_size: int | None = None,
    season_length: int | None = None,
    freq: str | None = None,
    models: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
    metric: str | None = None,
    fill_gaps: bool = False,
    n_jobs: int = 1,
    client: Any = None,
    selection: str = "pooled",
    source: str = "history",
) -> BacktestResult:
    """Rolling-origin backtest of the candidate models; choose one model per SKU.

    Parameters
    ----------
    history : pandas.DataFrame
        Long format (``unique_id``, ``ds``, ``y``); see :func:`btm.demand.validate_history`.
    horizon : int
        Periods forecast from each origin (>= 1).
    n_windows : int
        Number of rolling origins (>= 2).
    step_size : int, optional
        Periods between origins; default ``horizon`` (non-overlapping test windows).
    season_length : int, optional
        Periods per seasonal cycle; inferred from the frequency when omitted (weekly 52,
        daily 7, monthly 12, quarterly 4, hourly 24, yearly 1).
    freq : str, optional
        Pandas frequency; inferred from the dates when omitted.
    models : list of str or dict, optional
        Candidate names from ``MODEL_NAMES`` for every SKU, or a dict demand class -> names
        overriding ``DEFAULT_CANDIDATES`` for those classes.
    metric : {"mae", "rmse", "mase", "wape"}, optional
        Selection metric for every SKU; default MAE for smooth/erratic and RMSE for
        intermittent/lumpy SKUs.
    fill_gaps : bool
        Count missing periods as zero demand instead of refusing them.
    n_jobs : int
        Processes statsforecast uses (-1 = all cores).
    client : dask.distributed.Client or str, optional
        Run on a Dask cluster (a Client, or a scheduler address such as
        ``"tcp://10.0.0.5:8786"``).
    selection : {"pooled", "per_series"}
        ``"pooled"`` (default): smooth and erratic SKUs with a season of at most 24 periods
        all get the one candidate with the lowest mean MASE over all of them (per season
        length; their ``metric`` column is then ``"mase (pooled)"`` and ``metric=`` does not
        apply to them); intermittent, lumpy and weekly (long-season) SKUs keep a choice per
        SKU. ``"per_series"``: every SKU keeps its own best candidate.
    source : str
        How to name the history in error messages (the user's file name, such as
        ``"demand.csv"``; default ``"history"``).

    Returns
    -------
    BacktestResult

    Raises
    ------
    InputError
        Bad history (see ``validate_history``), bad parameter, or a SKU with fewer than
        ``horizon + step_size * (n_windows - 1) + 8`` periods.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> ds = pd.date_range("2020-01-01", periods=48, freq="MS")
    >>> y = 100 + 30 * np.sin(2 * np.pi * np.arange(48) / 12)
    >>> bt = backtest(pd.DataFrame({"unique_id": "A", "ds": ds, "y": y}), horizon=6)
    >>> bt.chosen[["unique_id", "demand_class", "season_length"]].to_dict("records")
    [{'unique_id': 'A', 'demand_class': 'smooth', 'season_length': 12}]
    """
    df, h, nw, step, sl, f, n_jobs = _check_common(
        history, horizon, n_windows, step_size, season_length, freq, fill_gaps, n_jobs, source)
    candidates = _candidate_table(models)
    test_size = h + step * (nw - 1)
    _check_lengths(df, test_size, h, nw, source)
    kwargs: dict[str, Any] = dict(horizon=h, n_windows=nw, step=step, season_length=sl, freq=f,
                  candidates=candidates, metric=metric, n_jobs=n_jobs,
                  pooled=selection == "pooled")
    if client is None:
        fcs, acc, chosen = _backtest_tables(df, **kwargs)
    else:
        fcs, acc, chosen = _concat_parts(_on_dask(client, _backtest_tables, df, kwargs))
    if selection == "pooled":  # after the chunks are back: the pool is every SKU of a class
        chosen = _pooled_choice(chosen, acc, candidates)
    return _result(fcs, acc, chosen, horizon=h, n_windows=nw, step=step, season_length=sl,
                   freq=f)


def _pools(chosen: pd.DataFrame, candidates: _Table) -> pd.DataFrame:
    """SKUs whose choice is pooled, with their candidates (one row per SKU x candidate)."""
    pooled = chosen["demand_class"].isin(list(_POOLED_CLASSES)).to_numpy() & (
        chosen["season_length"].to_numpy() <= _LONG_SEASON)
    rows = chosen.loc[pooled, ["unique_id", "demand_class", "season_length"]]
    rows = rows.assign(model=rows["demand_class"].map(
        {k: list(v[0]) for k, v in candidates.items() if "|" not in k}))
    rows = rows.loc[rows["model"].map(len) > 1]
    # smooth and erratic SKUs with the same candidates share one pool ("regular demand")
    rows = rows.assign(pool=rows["model"].map("|".join)).explode("model")
    return rows.assign(order=rows.groupby("unique_id").cumcount().to_numpy())


def _pooled_choice(chosen: pd.DataFrame, acc: pd.DataFrame, candidates: _Table
                   ) -> pd.DataFrame:
    """One candidate per pool: lowest mean MASE over its SKUs.

    A pool is the smooth and erratic SKUs ("regular demand") that have the same candidates
    and season length. SKUs with an undefined MASE (a constant history) count for no
    candidate; ties go to the earlier candidate. Choosing once for many SKUs, from all their
    backtest windows, is far less prone to overfitting than choosing per SKU from two short
    windows (Fildes & Petropoulos 2015; see the module docstring)."""
    rows = _pools(chosen, candidates)
    if rows.empty:
        return chosen
    rows = rows.merge(acc[["unique_id", "model", "mase"]], on=["unique_id", "model"],
                      how="left")
    finite = np.isfinite(rows["mase"].to_numpy(dtype=float))
    key = ["pool", "season_length"]
    score = (rows.loc[finite].groupby([*key, "model"])["mase"].mean().rename("pooled")
             .reset_index())
    order = rows.groupby([*key, "model"], as_index=False)["order"].min()
    score = order.merge(score, on=[*key, "model"], how="left")
    score = score.assign(rank=score["pooled"].fillna(np.inf)).sort_values(
        [*key, "rank", "order"], kind="stable")
    best = score.drop_duplicates(key)[[*key, "model"]].rename(columns={"model": "pick"})
    pick = rows[["unique_id", *key]].drop_duplicates("unique_id").merge(best, on=key)
    own = acc.merge(pick[["unique_id", "pick"]], left_on=["unique_id", "model"],
                    right_on=["unique_id", "pick"])[["unique_id", "pick", "mase"]]
    new = chosen.set_index("unique_id")
    ids = own["unique_id"].to_numpy()
    new.loc[ids, "model"] = own["pick"].to_numpy()
    new.loc[ids, "metric"] = "mase (pooled)"
    new.loc[ids, "score"] = own["mase"].to_numpy(dtype=float)
    return new.reset_index()[chosen.columns]


def _backtest_tables(df: pd.DataFrame, *, horizon: int, n_windows: int, step: int,
                     season_length: int, freq: str, candidates: _Table,
                     metric: str | None, n_jobs: int, pooled: bool = False
                     ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Forecasts (long), accuracy and chosen tables for one chunk of SKUs."""
    test_size = horizon + step * (n_windows - 1)
    plan = _plan(df, candidates, season_length, test_size)
    fc_parts, acc_parts = [], []
    single = {(tuple(f), int(n)): tuple(c) for f, n, c in
              zip(plan["fitted"], plan["season_length"], plan["candidates"], strict=True)}
    for names, sl, uids in _groups(plan):
        sub = df.loc[df["unique_id"].isin(uids)]
        instances = _instances(names, sl)
        # nothing to choose per SKU (one candidate, or a pooled choice): fit once at the
        # first origin and move the models' state forward to the later ones (refit=False),
        # as cheap as one fit; models without a usable forward are refitted at every origin
        classes = set(plan.loc[plan["unique_id"].isin(uids), "demand_class"])
        one_fit = len(single[(names, sl)]) == 1 or (
            pooled and classes <= _POOLED_CLASSES and sl <= _LONG_SEASON)
        split = ([[i for i in instances if _can_forward([i])],
                  [i for i in instances if not _can_forward([i])]] if one_fit
                 else [[], instances])
        cv = None
        for part, refit in zip(split, (False, True), strict=True):
            if not part:
                continue
            with warnings.catch_warnings():
                _quiet_fits()
                got = _sf(part, freq, n_jobs, sl).cross_validation(
                    h=horizon, df=sub, n_windows=n_windows, step_size=step, refit=refit)
            cv = got if cv is None else cv.merge(got.drop(columns="y"),
                                                 on=["unique_id", "ds", "cutoff"])
        assert cv is not None
        cv = _add_combinations(cv, names)
        cv = cv.assign(**{n: np.clip(cv[n].to_numpy(dtype=float), 0, None) for n in names})
        cv = cv.assign(unique_id=cv["unique_id"].astype(object))
        acc_parts.append(_accuracy(cv, sub, list(names), sl))
        long = cv.melt(id_vars=["unique_id", "ds", "cutoff", "y"], value_vars=list(names),
                       var_name="model", value_name="forecast")
        fc_parts.append(long)
    fcs = pd.concat(fc_parts, ignore_index=True)
    fcs = fcs.sort_values(["unique_id", "model", "cutoff", "ds"], kind="stable",
                          ignore_index=True)
    step_no = fcs.groupby(["unique_id", "model", "cutoff"], sort=False).cumcount() + 1
    fcs = fcs.assign(step=step_no.to_numpy())[
        ["unique_id", "cutoff", "ds", "step", "y", "model", "forecast"]]
    acc = pd.concat(acc_parts, ignore_index=True).merge(
        plan[["unique_id", "demand_class"]], on="unique_id", how="left")
    acc = acc[["unique_id", "demand_class", "model", *_METRICS]]
    chosen = _choose(acc, plan, metric)
    return fcs, acc, chosen


def _accuracy(cv: pd.DataFrame, history: pd.DataFrame, names: list[str], sl: int
              ) -> pd.DataFrame:
    """MAE, RMSE, MASE, WAPE and bias per SKU and model over all windows."""
    from utilsforecast import losses

    first_cut = cv.groupby("unique_id")["cutoff"].min().rename("first_cutoff").reset_index()
    train = history.merge(first_cut, on="unique_id")
    train = train.loc[train["ds"] <= train["first_cutoff"], ["unique_id", "ds", "y"]]
    pooled = cv.drop(columns=["cutoff"])  # aggregate over all windows, not per window
    wape = getattr(losses, "wape", losses.nd)
    tables = {
        "mae": losses.mae(pooled, names),
        "rmse": losses.rmse(pooled, names),
        "mase": losses.mase(pooled, names, seasonality=sl, train_df=train),
        "wape": wape(pooled, names),
        "bias": losses.bias(pooled, names),
    }
    out = None
    for metric, t in tables.items():
        long = t.melt(id_vars="unique_id", var_name="model", value_name=metric)
        out = long if out is None else out.merge(long, on=["unique_id", "model"])
    assert out is not None
    return out.assign(unique_id=out["unique_id"].astype(object))


def _choose(acc: pd.DataFrame, plan: pd.DataFrame, metric: str | None) -> pd.DataFrame:
    cands = plan[["unique_id", "candidates"]].explode("candidates").rename(
        columns={"candidates": "model"})
    cands = cands.assign(order=cands.groupby("unique_id").cumcount().to_numpy())
    sel = acc.merge(cands, on=["unique_id", "model"], how="inner")
    metric_col = (sel["demand_class"].map(_SELECTION_METRIC) if metric is None
                  else pd.Series(metric, index=sel.index))
    score = np.select([metric_col == m for m in ("mae", "rmse", "mase", "wape")],
                      [sel[m] for m in ("mae", "rmse", "mase", "wape")], default=np.nan)
    sel = sel.assign(metric=metric_col.to_numpy(), score=score,
                     rank_score=np.where(np.isfinite(score), score, np.inf))
    best = sel.sort_values(["unique_id", "rank_score", "order"], kind="stable")
    best = best.drop_duplicates("unique_id", keep="first")
    out = plan[["unique_id", "demand_class", "adi", "cv2", "season_length"]].merge(
        best[["unique_id", "model", "metric", "score"]], on="unique_id", how="left")
    return out[["unique_id", "demand_class", "adi", "cv2", "model", "season_length", "metric",
                "score"]].reset_index(drop=True)


def _overall(fcs: pd.DataFrame, acc: pd.DataFrame, chosen: pd.DataFrame) -> pd.DataFrame:
    pick = fcs.merge(chosen[["unique_id", "model"]], on=["unique_id", "model"])
    both = pd.concat([fcs, pick.assign(model="chosen")], ignore_index=True)
    err = both["forecast"].to_numpy() - both["y"].to_numpy()
    both = both.assign(abs_err=np.abs(err), sq_err=err**2, err=err)
    g = both.groupby("model", sort=True)
    out = pd.DataFrame({
        "n_series": g["unique_id"].nunique(),
        "mae": g["abs_err"].mean(),
        "rmse": np.sqrt(g["sq_err"].mean()),
        "wape": g["abs_err"].sum() / g["y"].sum().replace(0, np.nan),
        "bias": g["err"].mean(),
    })
    chosen_mase = acc.merge(chosen[["unique_id", "model"]], on=["unique_id", "model"])
    mase = pd.concat([acc, chosen_mase.assign(model="chosen")], ignore_index=True)
    mase = mase.loc[np.isfinite(mase["mase"].to_numpy(dtype=float))]
    out["mase"] = mase.groupby("model")["mase"].mean().reindex(out.index)
    out = out.reset_index()
    return out[["model", "n_series", "mae", "rmse", "mase", "wape", "bias"]]


def _result(fcs: pd.DataFrame, acc: pd.DataFrame, chosen: pd.DataFrame, *, horizon: int,
            n_windows: int, step: int, season_length: int, freq: str) -> BacktestResult:
    summary = (chosen.groupby(["demand_class", "model"], sort=True).size()
               .rename("n_series").reset_index())
    return BacktestResult(
        forecasts=fcs, accuracy=acc, chosen=chosen, overall=_overall(fcs, acc, chosen),
        summary=summary, horizon=horizon, n_windows=n_windows, step_size=step,
        season_length=season_length, freq=freq)


def _concat_parts(parts: list[tuple[pd.DataFrame, ...]]) -> tuple[pd.DataFrame, ...]:
    return tuple(pd.concat([p[i] for p in parts], ignore_index=True)
                 for i in range(len(parts[0])))


# --------------------------------------------------------------------------- dask


def _on_dask(client: Any, fn: Callable[..., Any], df: pd.DataFrame, kwargs: dict[str, Any],
             per_chunk: Callable[[np.ndarray], tuple[Any, ...]] | None = None) -> list[Any]:
    """Run ``fn(chunk, *per_chunk(chunk SKUs), **kwargs)`` on contiguous chunks of SKUs."""
    own = False
    if isinstance(client, str):
        try:
            from distributed import Client
        except ImportError:  # pragma: no cover - distributed is a dependency
            raise InputError("client: dask.distributed is not installed; expected it "
                             "installed to use a Dask cluster") from None
        client = Client(client)
        own = True
    if not hasattr(client, "map") or not hasattr(client, "gather"):
        raise InputError(f"client: got {type(client).__name__}; expected a "
                         "dask.distributed.Client or a scheduler address")
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        uids = df["unique_id"].drop_duplicates().to_numpy()
        n_chunks = int(min(len(uids), 4 * n_workers))
        bounds = np.linspace(0, len(uids), n_chunks + 1).astype(int)
        codes = pd.Index(uids).get_indexer(df["unique_id"])
        chunks = [df.loc[(codes >= a) & (codes < b)].reset_index(drop=True).pipe(_keep_attrs, df)
                  for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        extra: list[Any] = []
        if per_chunk is not None:
            extra = list(zip(*[per_chunk(c["unique_id"].unique()) for c in chunks], strict=True))
        futures = client.map(fn, chunks, *extra, **kwargs, pure=False)
        return client.gather(futures)
    finally:
        if own:
            client.close()


def _keep_attrs(chunk: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    chunk.attrs.update(df.attrs)
    return chunk


# --------------------------------------------------------------------------- forecast


@constrained(horizon=_HORIZON, season_length=_OPTIONAL_PERIODS, freq=_FREQ,
             n_windows=_N_WINDOWS, step_size=_OPTIONAL_PERIODS, metric=_METRIC,
             intervals=Options(("conformal", "model")), fill_gaps=Boolean(), n_jobs=Jobs(),
             level=Percentages(allow_none=True), selection=_SELECTION, source=Text())
def forecast(
    history: pd.DataFrame,
    horizon: int,
    *,
    season_length: int | None = None,
    freq: str | None = None,
    level: Sequence[float] | None = (80, 95),
    models: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
    n_windows: int = 2,
    step_size: int | None = None,
    metric: str | None = None,
    fill_gaps: bool = False,
    n_jobs: int = 1,
    client: Any = None,
    backtest_result: BacktestResult | None = None,
    intervals: str = "conformal",
    selection: str = "pooled",
    source: str = "history",
) -> pd.DataFrame:
    """Forecast every SKU with the model its backtest chose, with intervals fit for stock.

    Parameters
    ----------
    history : pandas.DataFrame
        Long format (``unique_id``, ``ds``, ``y``); not modified.
    horizon : int
        Future periods to forecast (>= 1).
    season_length : int, optional
        Periods per seasonal cycle; inferred from the frequency when omitted (weekly 52,
        daily 7, monthly 12, quarterly 4, hourly 24, yearly 1).
    freq : str, optional
        Pandas frequency of the periods; inferred from the dates when omitted.
    level : sequence of float
        Interval levels in percent, each strictly between 0 and 100.
    models, n_windows, step_size, metric, fill_gaps, n_jobs, client, selection
        As in :func:`backtest`. ``models=["AutoETS"]`` forces one model for every SKU.
    backtest_result : BacktestResult, optional
        Reuse a backtest already run on this history with this horizon (its choice and
        errors) instead of running it again.
    intervals : {"conformal", "model"}
        How smooth and erratic SKUs get their bounds: ``"conformal"`` (default) from the
        backtest errors of their model, scaled and pooled over the SKUs with that model,
        per step ahead (see the module docstring); ``"model"`` the model's own
        likelihood-based intervals (statsforecast's; combinations then fall back to
        conformal bounds, as they have none). Intermittent and lumpy SKUs always get the
        empirical quantiles of their own backtest errors.
    source : str
        How to name the history in error messages, as in :func:`backtest`.

    Returns
    -------
    pandas.DataFrame
        One row per SKU and future period: ``unique_id``, ``ds``, ``forecast``, ``model``,
        then ``lo_<level>`` and ``hi_<level>`` for each level; all clipped at 0.

    Raises
    ------
    InputError
        Bad history or parameter (see :func:`backtest`); ``level`` outside (0, 100).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> ds = pd.date_range("2020-01-01", periods=36, freq="MS")
    >>> h = pd.DataFrame({"unique_id": "A", "ds": ds, "y": np.arange(36.0) + 10})
    >>> fc = forecast(h, 3, models=["Naive"], level=[90])
    >>> fc[["ds", "forecast", "model"]].to_dict("list")["forecast"]
    [45.0, 45.0, 45.0]
    """
    levels = _check_levels(level)
    if backtest_result is None:
        bt = backtest(history, horizon=horizon, n_windows=n_windows, step_size=step_size,
                      season_length=season_length, freq=freq, models=models, metric=metric,
                      fill_gaps=fill_gaps, n_jobs=n_jobs, client=client, selection=selection,
                      source=source)
    else:
        if not isinstance(backtest_result, BacktestResult):
            raise InputError(f"backtest_result: got {type(backtest_result).__name__}; "
                             "expected the BacktestResult of btm.forecast.backtest")
        bt = backtest_result
    h = horizon
    df = validate_history(history, fill_gaps=fill_gaps, freq=bt.freq, source=source)
    ids = set(df["unique_id"].unique())
    if ids != set(bt.chosen["unique_id"]):
        raise InputError("backtest_result: its SKUs differ from those of history; expected "
                         "the backtest of this same history")
    table = _conformal_table(df, bt, levels)
    kwargs: dict[str, Any] = dict(horizon=h, levels=levels, freq=bt.freq, n_jobs=n_jobs,
                  conformal_mode=intervals == "conformal")
    if client is None:
        return _forecast_chosen(df, bt.chosen, bt.forecasts, **kwargs, conformal_table=table)
    def tables(ids: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
        return (bt.chosen.loc[bt.chosen["unique_id"].isin(ids)].reset_index(drop=True),
                bt.forecasts.loc[bt.forecasts["unique_id"].isin(ids)],
                None if table is None else table.loc[table["unique_id"].isin(ids)])

    parts = _on_dask(client, _forecast_chosen, df, kwargs, per_chunk=tables)
    return pd.concat(parts, ignore_index=True)


def _forecast_chosen(df: pd.DataFrame, chosen: pd.DataFrame, backtest_fcs: pd.DataFrame,
                     conformal_table: pd.DataFrame | None = None, *,
                     horizon: int, levels: tuple[float, ...], freq: str, n_jobs: int,
                     conformal_mode: bool = True) -> pd.DataFrame:
    parts = []
    keys = chosen.groupby(["model", "season_length"], sort=True).groups
    for (name, sl), idx in keys.items():
        uids = chosen["unique_id"].to_numpy()[np.asarray(idx)]
        sub = df.loc[df["unique_id"].isin(uids)]
        empirical = name in _EMPIRICAL
        conformal = not empirical and conformal_table is not None and (
            conformal_mode or name in _COMBINATIONS)
        native = bool(levels) and not empirical and not conformal
        sf = _sf(_instances([name], int(sl)), freq, n_jobs, int(sl))
        with warnings.catch_warnings():
            _quiet_fits()
            out = sf.forecast(h=horizon, df=sub, level=list(levels) if native else None)
        out = _add_combinations(out, [name])
        out = out.assign(unique_id=out["unique_id"].astype(object))
        res = pd.DataFrame({"unique_id": out["unique_id"], "ds": out["ds"],
                            "forecast": np.clip(out[name].to_numpy(dtype=float), 0, None),
                            "model": name})
        if levels and empirical:
            res = _empirical_bounds(res, backtest_fcs, name, levels)
        elif levels and conformal:
            res = _conformal_bounds(res, conformal_table, levels)
        elif levels:
            for lv in levels:
                tag = _level_name(lv)
                sf_tag = f"{lv:g}" if f"{name}-lo-{lv:g}" in out.columns else str(lv)
                res[f"lo_{tag}"] = out[f"{name}-lo-{sf_tag}"].to_numpy(dtype=float)
                res[f"hi_{tag}"] = out[f"{name}-hi-{sf_tag}"].to_numpy(dtype=float)
        parts.append(res)
    res = pd.concat(parts, ignore_index=True)
    cols = ["unique_id", "ds", "forecast", "model"]
    for lv in sorted(levels):
        tag = _level_name(lv)
        cols += [f"lo_{tag}", f"hi_{tag}"]
        lo = np.clip(np.minimum(res[f"lo_{tag}"].to_numpy(dtype=float),
                                res["forecast"].to_numpy()), 0, None)
        hi = np.clip(np.maximum(res[f"hi_{tag}"].to_numpy(dtype=float),
                                res["forecast"].to_numpy()), 0, None)
        res = res.assign(**{f"lo_{tag}": lo, f"hi_{tag}": hi})
    res = res.sort_values(["unique_id", "ds"], kind="stable", ignore_index=True)
    return res[cols]


def _empirical_bounds(res: pd.DataFrame, backtest_fcs: pd.DataFrame, name: str,
                      levels: tuple[float, ...]) -> pd.DataFrame:
    """Forecast + quantiles of the SKU's backtest errors (actual - forecast) of model `name`."""
    bt = backtest_fcs.loc[(backtest_fcs["model"] == name)
                          & backtest_fcs["unique_id"].isin(res["unique_id"].unique())]
    err = bt.assign(error=bt["y"].to_numpy() - bt["forecast"].to_numpy())
    qs = sorted({q for lv in levels for q in ((1 - lv / 100) / 2, (1 + lv / 100) / 2)})
    table = err.groupby("unique_id")["error"].quantile(qs).unstack()
    table = table.reindex(res["unique_id"].to_numpy())
    # where zero demand is at least as common as the lower tail, the lower bound is 0: the
    # (1 - level) / 2 quantile of demand itself is then 0, whatever the forecast errors say
    zero = (err["y"] == 0).groupby(err["unique_id"]).mean().reindex(
        res["unique_id"].to_numpy()).to_numpy(dtype=float)
    f = res["forecast"].to_numpy()
    extra = {}
    for lv in levels:
        tag = _level_name(lv)
        lo = f + table[(1 - lv / 100) / 2].to_numpy(dtype=float)
        extra[f"lo_{tag}"] = np.where(zero >= (1 - lv / 100) / 2, 0.0, lo)
        extra[f"hi_{tag}"] = f + table[(1 + lv / 100) / 2].to_numpy(dtype=float)
    return res.assign(**extra)


_MIN_POOL = 20  # fewest scaled errors per step for a per-step quantile


def _series_scale(df: pd.DataFrame, season: pd.Series) -> pd.Series:
    """Per SKU: in-sample MAE of the seasonal naive forecast (the MASE scale; Hyndman &
    Koehler 2006), else of the naive forecast, else mean |y|, else 1."""
    df = df.sort_values(["unique_id", "ds"], kind="stable")
    g = df.groupby("unique_id", sort=True)["y"]
    sl = df["unique_id"].map(season).fillna(1).astype(int).to_numpy()
    y = df["y"].to_numpy(dtype=float)
    pos = g.cumcount().to_numpy()
    idx = np.arange(len(y))
    lag = np.where(pos >= sl, idx - sl, -1)
    d_seas = np.where(lag >= 0, np.abs(y - y[np.maximum(lag, 0)]), np.nan)
    d_one = np.where(pos >= 1, np.abs(y - y[np.maximum(idx - 1, 0)]), np.nan)
    t = pd.DataFrame({"unique_id": df["unique_id"].to_numpy(), "s": d_seas, "n": d_one,
                      "a": np.abs(y)})
    m = t.groupby("unique_id", sort=True)[["s", "n", "a"]].mean()
    out = m["s"].where(m["s"] > 0, m["n"]).where(lambda v: v > 0, m["a"])
    return out.where(out > 0, 1.0).fillna(1.0)


def _conformal_table(df: pd.DataFrame, bt: BacktestResult, levels: tuple[float, ...]
                     ) -> pd.DataFrame:
    """Half-widths of the conformal intervals, per SKU, step and level.

    The backtest errors of each SKU's chosen model are divided by the SKU's scale
    (:func:`_series_scale`); the absolute scaled errors are pooled over the SKUs with the same
    model and over the windows, per step ahead, and the split-conformal quantile (the
    ``ceil((n + 1) * level)``-th smallest of the ``n`` pooled values; Vovk et al. 2005, Lei et
    al. 2018; Stankeviciute et al. 2021 for multi-step forecasts; :func:`_conformal_quantile`)
    times the SKU's scale is the half-width. With fewer
    than 20 values per step the errors of all steps are pooled after dividing by
    ``sqrt(step)`` and the quantile is multiplied back by ``sqrt(step)``. Half-widths never
    shrink with the horizon. Returns columns ``unique_id``, ``step``, ``level``, ``half``.
    """
    ch = bt.chosen[["unique_id", "model", "season_length"]]
    ch = ch.loc[~ch["model"].isin(list(_EMPIRICAL))]
    if ch.empty or not levels:
        return pd.DataFrame(columns=["unique_id", "step", "level", "half"])
    scale = _series_scale(df.loc[df["unique_id"].isin(ch["unique_id"])],
                          ch.set_index("unique_id")["season_length"])
    f = bt.forecasts.merge(ch[["unique_id", "model"]], on=["unique_id", "model"])
    z = np.abs(f["y"].to_numpy(dtype=float) - f["forecast"].to_numpy(dtype=float)) / (
        scale.reindex(f["unique_id"]).to_numpy())
    qt = _step_quantiles(f.assign(z=z).loc[np.isfinite(z)], bt.horizon, levels)
    out = ch[["unique_id", "model"]].merge(qt, on="model")
    out = out.assign(half=out["q"].to_numpy() * scale.reindex(out["unique_id"]).to_numpy())
    return out[["unique_id", "step", "level", "half"]]


def _step_quantiles(scores: pd.DataFrame, horizon: int, levels: Sequence[float]
                    ) -> pd.DataFrame:
    """Per model, step ahead and level, the split-conformal quantile ``q`` of the scores
    ``z`` (columns ``model``, ``step``, ``z``); with fewer than ``_MIN_POOL`` scores at some
    step, of all steps' scores divided by sqrt(step), multiplied back. Never shrinks with
    the step."""
    steps = np.arange(1, horizon + 1)
    rows = []
    for name, g in scores.groupby("model", sort=True):
        per_step = g.groupby("step")["z"]
        counts = per_step.size().reindex(steps, fill_value=0)
        for lv in levels:
            if counts.min() >= _MIN_POOL:
                q = np.array([_conformal_quantile(per_step.get_group(k).to_numpy(), lv)
                              for k in steps])
            else:
                pooled = (g["z"] / np.sqrt(g["step"])).to_numpy()
                q = _conformal_quantile(pooled, lv) * np.sqrt(steps)
            q = np.maximum.accumulate(q)
            rows.append(pd.DataFrame({"model": name, "step": steps, "level": lv, "q": q}))
    return pd.concat(rows, ignore_index=True)


def _conformal_quantile(values: np.ndarray, level: float) -> float:
    """The split-conformal quantile: the ``k``-th smallest of the ``n`` values, ``k =
    ceil((n + 1) * level / 100)``, or the largest when ``k > n`` (Lei, G'Sell, Rinaldo,
    Tibshirani & Wasserman 2018, *JASA* 113:1094-1111, Algorithm 2). Under exchangeability
    it covers at least ``level`` % and, without ties, less than ``level + 100 / (n + 1)`` %.
    (``np.quantile(values, k / n, method="higher")``, the form often quoted, takes the
    ``(k + 1)``-th and over-covers by one order statistic.)"""
    n = len(values)
    if n == 0:
        return np.nan
    k = min(n, int(np.ceil((n + 1) * level / 100 - 1e-9)))
    return float(np.partition(np.asarray(values, dtype=float), k - 1)[k - 1])


def _conformal_bounds(res: pd.DataFrame, table: pd.DataFrame, levels: tuple[float, ...]
                      ) -> pd.DataFrame:
    """Forecast -/+ the conformal half-width of its SKU, step and level."""
    res = res.sort_values(["unique_id", "ds"], kind="stable", ignore_index=True)
    step = res.groupby("unique_id", sort=False).cumcount().to_numpy() + 1
    f = res["forecast"].to_numpy()
    extra = {}
    for lv in levels:
        t = table.loc[table["level"] == lv]
        wide = t.pivot(index="unique_id", columns="step", values="half")
        last = wide.columns.max()
        w = wide.reindex(res["unique_id"].to_numpy())
        cols = np.minimum(step, last)
        half = w.to_numpy()[np.arange(len(res)), wide.columns.get_indexer(cols)]
        half = half * np.sqrt(np.maximum(step, last) / last)  # beyond the backtest horizon
        tag = _level_name(lv)
        extra[f"lo_{tag}"] = f - half
        extra[f"hi_{tag}"] = f + half
    return res.assign(**extra)


# --------------------------------------------------------------------------- lead time


@constrained(lead_time=Interval(int, 1), quantiles=ListOf(Probability()), model=Text())
def lead_time_error_quantiles(
    backtest_result: BacktestResult,
    *,
    lead_time: int,
    quantiles: Sequence[float] = (0.5, 0.8, 0.9, 0.95, 0.99),
    model: str = "chosen",
) -> pd.DataFrame:
    """Empirical quantiles of each SKU's lead-time demand forecast error, for safety stock.

    For every SKU and backtest origin, the error of the lead-time demand forecast is
    ``sum(actual - forecast)`` over the first ``lead_time`` periods after the origin. Its
    ``q``-quantile over the origins is the stock to hold above the lead-time forecast so
    that demand over the lead time is covered with probability ``q`` (a cycle service level):
    ``reorder point = sum of the next lead_time forecasts + max(error(q), 0)``.

    Parameters
    ----------
    backtest_result : BacktestResult
        From :func:`backtest` with ``horizon >= lead_time``. Each origin gives one error per
        SKU, so the quantiles rest on ``n_windows`` values: run the backtest with more
        windows (e.g. ``n_windows=12, step_size=1``) when these numbers set stock levels.
    lead_time : int
        Replenishment lead time in periods (1 <= lead_time <= horizon).
    quantiles : sequence of float
        Probabilities strictly between 0 and 1.
    model : str
        ``"chosen"`` (each SKU's chosen model) or one candidate's name.

    Returns
    -------
    pandas.DataFrame
        ``unique_id``, ``quantile``, ``error`` (units over the lead time; positive = demand
        above forecast), ``n_samples`` (origins used). Quantiles use numpy's linear
        interpolation.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> ds = pd.date_range("2020-01-05", periods=40, freq="W-SUN")
    >>> h = pd.DataFrame({"unique_id": "A", "ds": ds, "y": np.tile([8.0, 12.0], 20)})
    >>> bt = backtest(h, horizon=4, n_windows=3, season_length=1, models=["Naive"])
    >>> lead_time_error_quantiles(bt, lead_time=2, quantiles=[0.9])
      unique_id  quantile  error  n_samples
    0         A       0.9   -4.0          3
    """
    if not isinstance(backtest_result, BacktestResult):
        raise InputError(f"backtest_result: got {type(backtest_result).__name__}; expected "
                         "the BacktestResult of btm.forecast.backtest")
    bt = backtest_result
    lt = integer(lead_time, "lead_time", max=bt.horizon)  # at most the backtest's horizon
    qs = list(quantiles)
    fcs = bt.forecasts
    if model == "chosen":
        fcs = fcs.merge(bt.chosen[["unique_id", "model"]], on=["unique_id", "model"])
    else:
        one_of(model, "model", ["chosen", *sorted(fcs["model"].unique())])
        fcs = fcs.loc[fcs["model"] == model]
    fcs = fcs.loc[fcs["step"] <= lt]
    err = fcs.assign(error=fcs["y"].to_numpy() - fcs["forecast"].to_numpy())
    sums = err.groupby(["unique_id", "cutoff"], sort=True)["error"].sum().reset_index()
    g = sums.groupby("unique_id", sort=True)["error"]
    table = g.quantile(qs).rename_axis(["unique_id", "quantile"]).rename("error").reset_index()
    n = g.size().rename("n_samples").reset_index()
    out = table.merge(n, on="unique_id")
    out = out.assign(unique_id=out["unique_id"].astype(object),
                     quantile=out["quantile"].astype(float),
                     n_samples=out["n_samples"].astype(np.int64))
    return out.sort_values(["unique_id", "quantile"], ignore_index=True)


# --------------------------------------------------------------------------- rolling one-step


@constrained(season_length=_OPTIONAL_PERIODS, freq=_FREQ, horizon=_HORIZON,
             n_windows=_N_WINDOWS, std_window=Interval(int, 2), fill_gaps=Boolean(),
             n_jobs=Jobs(), source=Text())
def rolling_forecasts(
    history: pd.DataFrame,
    *,
    start: Any,
    models: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
    season_length: int | None = None,
    freq: str | None = None,
    backtest_result: BacktestResult | None = None,
    horizon: int = 12,
    n_windows: int = 2,
    std_window: int = 26,
    fill_gaps: bool = False,
    n_jobs: int = 1,
    source: str = "history",
) -> pd.DataFrame:
    """One-step-ahead forecasts as they would have been made, period by period, from `start` on.

    For every SKU and every period ``ds >= start``, ``forecast`` is the per-period demand
    forecast of the SKU's chosen model made with the data up to the end of the period before
    ``ds``, and ``forecast_std`` the standard deviation of that model's one-step errors at
    *earlier* origins only. Nothing after ``ds - 1`` is used, so a policy replay
    (:func:`btm.replay.replay`, whose ``forecasts`` contract this is) never sees the future.

    How
    ---
    1. The model of each SKU is chosen by :func:`backtest` run on the history **before
       start** (``horizon``, ``n_windows``, ``models``, ``season_length`` are passed to it), or
       taken from `backtest_result` when given (then make sure that backtest did not use data
       from `start` on, or the choice itself has seen the future).
    2. statsforecast ``cross_validation`` with ``h=1``, ``step_size=1`` and one window per
       period from ``start - warm_up`` to the end, per group of SKUs sharing a model (no loop
       over SKUs). Models with a ``forward`` method (``AutoETS``, the Theta family,
       ``SeasonalNaive``, ``Naive``, ``AutoARIMA`` and the combinations) are fitted once, at
       the first origin, and then only updated with each new observation
       (``refit=False``: same parameters, new state; fast). ``AutoCES`` (and so ``ETS_CES``
       and the four-model combinations) is refitted at every origin, since statsforecast's
       ``AutoCES.forward`` diverges. The Croston family, ``TSB``,
       ``ADIDA``, ``IMAPA`` and ``HistoricAverage`` have no ``forward`` and are refitted at every
       origin (they are cheap). Forecasts are clipped at 0.
    3. ``forecast_std`` at ``ds`` is the sample standard deviation (``ddof=1``) of the errors
       ``y - forecast`` of the ``std_window`` origins before ``ds``. To have them from the
       first period on, the rolling origins start ``warm_up = std_window`` periods before
       ``start`` (fewer when the history before ``start`` is short; the window then expands).
       With fewer than two earlier errors the standard deviation of demand before ``start`` is
       used.

    Parameters
    ----------
    history : pandas.DataFrame
        Long format (``unique_id``, ``ds``, ``y``); every SKU must end on the same date and
        have data before `start`. Not modified.
    start : date-like
        First period to forecast (a ``ds`` of the history).
    models, season_length, freq, horizon, n_windows, fill_gaps, n_jobs
        As in :func:`backtest` (used to choose the model of each SKU). ``models=["AutoETS"]``
        forces one model for every SKU.
    backtest_result : BacktestResult, optional
        Use the model choice of this backtest instead of running one.
    std_window : int
        Number of earlier one-step errors behind ``forecast_std`` (>= 2; default 26).
    source : str
        How to name the history in error messages, as in :func:`backtest`.

    Returns
    -------
    pandas.DataFrame
        One row per SKU and period from `start` to the end: ``unique_id``, ``ds``,
        ``forecast``, ``forecast_std``, ``model``; sorted by SKU and date.

    Raises
    ------
    InputError
        Bad history or parameter; `start` not a period of the history or without enough
        history before it (names the SKU); SKUs ending on different dates.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> ds = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    >>> h = pd.DataFrame({"unique_id": "A", "ds": ds, "y": np.arange(40.0)})
    >>> fc = rolling_forecasts(h, start=ds[36], models=["Naive"], std_window=4)
    >>> fc[["ds", "forecast", "forecast_std"]].round(2)
              ds  forecast  forecast_std
    0 2024-09-09      35.0           0.0
    1 2024-09-16      36.0           0.0
    2 2024-09-23      37.0           0.0
    3 2024-09-30      38.0           0.0
    """
    df = validate_history(history, fill_gaps=fill_gaps, freq=freq, source=source)
    f = df.attrs["freq"]
    window = std_window
    try:
        start_ts = pd.Timestamp(start)
    except (TypeError, ValueError):
        start_ts = None
    if start_ts is None or pd.isna(start_ts):
        raise InputError(f"start: got {start!r}; expected a date such as 2025-11-03")
    grid = pd.date_range(df["ds"].min(), df["ds"].max(), freq=f)
    if start_ts not in grid or start_ts == grid[0]:
        raise InputError(
            f"start: got {start_ts.date()}; expected one of the history's {f} periods after "
            f"the first ({grid[0].date()} to {grid[-1].date()})")
    g = df.groupby("unique_id", sort=True)["ds"]
    last = g.max()
    if last.nunique() > 1:
        late = last.sort_values(kind="stable")
        raise InputError(
            f"{source}, unique_id {late.index[0]!r}: ends on {late.iloc[0].date()}, SKU "
            f"{late.index[-1]!r} on {late.iloc[-1].date()}; expected every SKU to end on the "
            "same date")
    before = df.loc[df["ds"] < start_ts].groupby("unique_id", sort=True).size().reindex(
        last.index, fill_value=0)
    short = before[before < _MIN_TRAIN]
    if len(short):
        raise InputError(
            f"{source}, unique_id {short.index[0]!r}: has {int(short.iloc[0])} periods before "
            f"start {start_ts.date()}; expected at least {_MIN_TRAIN}")
    if backtest_result is None:
        bt = backtest(df.loc[df["ds"] < start_ts], horizon=horizon, n_windows=n_windows,
                      season_length=season_length, freq=f, models=models, n_jobs=n_jobs,
                      source=source)
    elif not isinstance(backtest_result, BacktestResult):
        raise InputError(f"backtest_result: got {type(backtest_result).__name__}; expected "
                         "the BacktestResult of btm.forecast.backtest")
    else:
        bt = backtest_result
        if set(bt.chosen["unique_id"]) != set(last.index):
            raise InputError("backtest_result: its SKUs differ from those of history; "
                             "expected a backtest of the same SKUs")
    n_eval = int(grid.get_loc(grid[-1]) - grid.get_loc(start_ts) + 1)
    warm = int(min(window, int(before.min()) - _MIN_TRAIN))
    return _rolling_tables(df, bt.chosen, n_eval=n_eval, warm=warm, window=window, freq=f,
                           start=start_ts, n_jobs=n_jobs)


def _rolling_tables(df: pd.DataFrame, chosen: pd.DataFrame, *, n_eval: int, warm: int,
                    window: int, freq: str, start: pd.Timestamp, n_jobs: int) -> pd.DataFrame:
    """Cross-validation with h=1 per model group, then trailing error standard deviations."""
    total = n_eval + warm
    parts = []
    chosen = chosen.reset_index(drop=True)
    keys = chosen.groupby(["model", "season_length"], sort=True).groups
    for (name, sl), idx in keys.items():
        uids = chosen["unique_id"].to_numpy()[np.asarray(idx)]
        sub = df.loc[df["unique_id"].isin(uids)]
        instances = _instances([name], int(sl))
        refit = not _can_forward(instances)
        sf = _sf(instances, freq, n_jobs, int(sl))
        with warnings.catch_warnings():
            _quiet_fits()
            cv = sf.cross_validation(h=1, df=sub, n_windows=total, step_size=1, refit=refit)
        cv = _add_combinations(cv, [name])
        parts.append(pd.DataFrame({
            "unique_id": cv["unique_id"].astype(str).to_numpy().astype(object),
            "ds": pd.DatetimeIndex(cv["ds"]),
            "y": cv["y"].to_numpy(dtype=float),
            "forecast": np.clip(cv[name].to_numpy(dtype=float), 0, None),
            "model": name,
        }))
    res = pd.concat(parts, ignore_index=True).sort_values(["unique_id", "ds"], kind="stable",
                                                           ignore_index=True)
    skus = res["unique_id"].to_numpy()[::total]
    err = (res["y"].to_numpy() - res["forecast"].to_numpy()).reshape(len(skus), total)
    # errors of origins j - window .. j - 1 for every column j (NaN-padded on the left)
    padded = np.concatenate([np.full((len(skus), window), np.nan), err], axis=1)
    past = np.lib.stride_tricks.sliding_window_view(padded, window, axis=1)[:, :total]
    count = np.sum(~np.isnan(past), axis=2)
    with warnings.catch_warnings():
        _quiet_fits()
        std = np.nanstd(past, axis=2, ddof=1)
    pre = df.loc[df["ds"] < start].groupby("unique_id", sort=True)["y"].std(ddof=1)
    fallback = pre.reindex(skus).fillna(0.0).to_numpy()[:, None]
    std = np.where(count >= 2, std, fallback)
    keep = np.tile(np.arange(total) >= warm, len(skus))
    out = res.loc[keep, ["unique_id", "ds", "forecast"]].reset_index(drop=True)
    out["forecast_std"] = std[:, warm:].ravel()
    out["model"] = res.loc[keep, "model"].to_numpy()
    return out
