"""Key numbers and key messages of demand forecasting and just-in-time stock.

Presentation layer: takes the plan of :func:`btm.jit.plan` and its replay and returns
plain-word sentences (most important first) and the key numbers for ``results.json``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from btm.errors import InputError
from btm.messages import and_join, check_result
from btm.style import format_money, format_number, format_percent
from btm.validate import tables_checked

__all__ = ["demand_figure_words", "demand_key_messages", "demand_key_numbers",
           "no_demand_message", "orders_due_message", "unseen_accuracy_message",
           "without_history_message"]


def _pct(x: float) -> str:
    return f"{x:.0%}"


#: Plural noun and adjective of a period, by the first letter of a pandas frequency.
_PERIOD_WORDS = {"W": ("weeks", "weekly"), "M": ("months", "monthly"),
                 "Q": ("quarters", "quarterly"), "Y": ("years", "yearly"),
                 "A": ("years", "yearly"), "D": ("days", "daily"),
                 "B": ("business days", "per business day"), "h": ("hours", "hourly"),
                 "H": ("hours", "hourly")}


def _period_word(freq: str) -> str:
    """'weeks', 'months' ... for a pandas frequency."""
    return _PERIOD_WORDS.get(str(freq)[:1], ("periods", ""))[0]


def _periods(n: int, freq: str) -> str:
    """'1 week', '52 weeks', '1 month' ... : a count of periods of a pandas frequency."""
    word = _period_word(freq)
    return f"{n} {word[:-1] if n == 1 else word}"


def _period_adjective(freq: str) -> str:
    """'weekly', 'monthly' ... for a pandas frequency ('per period' when not known)."""
    return _PERIOD_WORDS.get(str(freq)[:1], ("", "per period"))[1]


def _count(n: int, noun: str) -> str:
    """'1 SKU', '2 SKUs'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _assumed_words(plan: Any, ids: Any = None) -> str:
    """'' or '; stock on hand not given for N SKUs: assumed at the reorder point, so ...'.

    ``ids`` are the SKUs of the orders the sentence states (all SKUs of the plan: None).
    """
    pol = plan.policy
    if ids is not None:
        pol = pol.loc[pol["unique_id"].isin(list(ids))]
    assumed = pol["on_hand_assumed"].astype(bool)
    n = int(assumed.sum())
    if n == 0:
        return ""
    if n == len(pol):
        which = "this order is illustrative" if n == 1 else "these orders are illustrative"
    else:
        which = ("the order of that SKU is illustrative" if n == 1
                 else "the orders of those SKUs are illustrative")
    return (f"; stock on hand not given for {_count(n, 'SKU')}: assumed at the reorder "
            f"point, so {which}")


def _forecast_vs_naive(plan: Any) -> tuple[int, int, float, float] | None:
    """(SKUs where the chosen model beats seasonal naive, SKUs compared, mean MASE of each)."""
    acc = plan.backtest.accuracy
    naive = acc.loc[acc["model"] == "SeasonalNaive", ["unique_id", "mase"]]
    chosen = acc.merge(plan.backtest.chosen[["unique_id", "model"]], on=["unique_id", "model"])
    both = chosen[["unique_id", "mase"]].merge(naive, on="unique_id", suffixes=("", "_naive"))
    both = both.loc[both["mase"].notna() & both["mase_naive"].notna()]
    both = both.loc[np.isfinite(both["mase"].to_numpy(dtype=float))
                    & np.isfinite(both["mase_naive"].to_numpy(dtype=float))]
    if both.empty:
        return None
    wins = int((both["mase"] < both["mase_naive"]).sum())
    return wins, len(both), float(both["mase"].mean()), float(both["mase_naive"].mean())


def _check_plan(plan: Any, outcome: Any) -> None:
    from btm.jit import JITPlan, ReplayOutcome

    check_result(plan, "plan", JITPlan, "btm.jit.plan")
    if outcome is not None:
        check_result(outcome, "outcome", ReplayOutcome, "btm.jit.replay_policy")


_METHOD_WORDS = {"ETS_CES": "the mean of ETS and CES", "ETS_ARIMA": "the mean of ETS and ARIMA",
                 "SCUM": "the median of ETS, CES, ARIMA and Theta",
                 "pooled": "one method for all series, chosen on their own history from ETS "
                           "and four combinations of ETS, ARIMA, CES and Theta"}


@tables_checked
def unseen_accuracy_message(accuracy: Any) -> str:
    """One sentence on how accurate the forecast method was on history it never saw.

    ``accuracy`` is the table ``benchmarks/bench_forecast_accuracy.py`` writes to
    ``data/demand/accuracy.csv`` (one row: ``n_series``, ``method``,
    ``mase_ratio_to_autoets``, ``coverage_80``, ``coverage_95`` ...).

    Examples
    --------
    >>> import pandas as pd
    >>> acc = pd.DataFrame([{"n_series": 20, "method": "ETS_CES", "origins": 2,
    ...     "mase_ratio_to_autoets": 0.95, "coverage_80": 0.81, "coverage_95": 0.94}])
    >>> unseen_accuracy_message(acc)  # doctest: +NORMALIZE_WHITESPACE
    'On 20 real monthly and quarterly series never used to design it (2 rolling origins), the
    forecast method (the mean of ETS and CES) erred 5% less than AutoETS (mean MASE ratio
    0.950); its 80% and 95% intervals held 81% and 94% of actual values.'
    """
    need = ("n_series", "method", "mase_ratio_to_autoets", "coverage_80", "coverage_95")
    if not hasattr(accuracy, "columns") or len(accuracy) != 1 or any(
            c not in accuracy.columns for c in need):
        raise InputError("accuracy: expected the one-row table of "
                         "benchmarks/bench_forecast_accuracy.py (columns "
                         + ", ".join(need) + ")")
    r = accuracy.iloc[0]
    ratio = float(r["mase_ratio_to_autoets"])
    method = _METHOD_WORDS.get(str(r["method"]), str(r["method"]))
    origins = (f" ({_count(int(r['origins']), 'rolling origin')})"
               if "origins" in accuracy.columns else "")
    n_series = int(r["n_series"])
    series = "1 real monthly or quarterly series" if n_series == 1 else (
        f"{n_series} real monthly and quarterly series")
    less_more = "less" if ratio <= 1 else "more"
    return (f"On {series} never used to design "
            f"it{origins}, the forecast method ({method}) erred {_pct(abs(1 - ratio))} "
            f"{less_more} than AutoETS (mean MASE ratio {ratio:.3f}); its 80% and 95% "
            f"intervals held {_pct(float(r['coverage_80']))} and "
            f"{_pct(float(r['coverage_95']))} of actual values.")


@tables_checked
def without_history_message(plan: Any) -> str | None:
    """One sentence naming the SKUs of the SKU master that have no history, so are not planned
    (:attr:`btm.jit.JITPlan.skus_without_history`); None when every SKU has history.

    Examples
    --------
    >>> import pandas as pd, pytest
    >>> _ = pytest.importorskip("statsforecast")  # jit.plan forecasts with statsforecast
    >>> from btm import jit
    >>> ds = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    >>> h = pd.DataFrame({"unique_id": "A", "ds": ds, "y": 10.0})
    >>> skus = pd.DataFrame({"unique_id": ["A", "Z"], "unit_cost": [5.0, 5.0],
    ...     "lead_time_weeks": [1, 1], "order_cost": [9.0, 9.0], "holding_cost_rate": [0.2, 0.2]})
    >>> without_history_message(jit.plan(h, skus, horizon=2, service_level=0.9,
    ...                                  models=["Naive"]))
    '1 SKU of the SKU master has no sales history and is not planned (Z): add its history or remove it from the master.'
    """
    _check_plan(plan, None)
    missing = [str(u) for u in getattr(plan, "skus_without_history", [])]
    if not missing:
        return None
    n = len(missing)
    listed = and_join(missing[:5]) + (f" and {n - 5} more" if n > 5 else "")
    verb = "has" if n == 1 else "have"
    is_ = "is" if n == 1 else "are"
    its = "its" if n == 1 else "their"
    them = "it" if n == 1 else "them"
    return (f"{_count(n, 'SKU')} of the SKU master {verb} no sales history and {is_} not "
            f"planned ({listed}): add {its} history or remove {them} from the master.")


@tables_checked
def no_demand_message(plan: Any) -> str | None:
    """One sentence on the SKUs that sold nothing in the whole history; None when there is none.

    Such a SKU (demand class ``no_demand``) is planned with no safety stock and no orders; the
    sentence names it so that a planner can check whether it is still sold.

    Examples
    --------
    >>> import pandas as pd, pytest
    >>> _ = pytest.importorskip("statsforecast")  # jit.plan forecasts with statsforecast
    >>> from btm import jit
    >>> ds = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    >>> h = pd.DataFrame({"unique_id": ["A"] * 40 + ["B"] * 40, "ds": list(ds) * 2,
    ...                   "y": [10.0] * 40 + [0.0] * 40})
    >>> skus = pd.DataFrame({"unique_id": ["A", "B"], "unit_cost": [5.0, 5.0],
    ...     "lead_time_weeks": [1, 1], "order_cost": [9.0, 9.0], "holding_cost_rate": [0.2, 0.2]})
    >>> no_demand_message(jit.plan(h, skus, horizon=2, service_level=0.9, models=["Naive"]))
    '1 SKU sold nothing in its 40 weeks of history (B): it is planned with no stock and no orders; check whether it is still sold.'
    """
    _check_plan(plan, None)
    classes = plan.classes
    none = classes.loc[classes["demand_class"] == "no_demand"]
    if none.empty:
        return None
    n = len(none)
    weeks = sorted(set(none["n_periods"].astype(int)))
    span = (f"its {_periods(weeks[0], plan.freq)}" if n == 1
            else f"their {_periods(weeks[0], plan.freq)}" if len(weeks) == 1
            else f"their {weeks[0]} to {_periods(weeks[-1], plan.freq)}")
    names = list(none["unique_id"].astype(str))
    listed = and_join(names[:5]) + (f" and {n - 5} more" if n > 5 else "")
    it = "it is" if n == 1 else "they are"
    return (f"{_count(n, 'SKU')} sold nothing in {span} of "
            f"history ({listed}): {it} planned with no stock and no orders; check whether "
            f"{it} still sold.")


@tables_checked
def orders_due_message(plan: Any, due: Any, *, currency: str = "EUR", shown: int = 10) -> str:
    """The sentence above the table of orders to place now (:func:`btm.jit.orders_due`).

    Parameters
    ----------
    plan : JITPlan
        From :func:`btm.jit.plan`.
    due : pandas.DataFrame
        ``jit.orders_due(plan)``: ``order_ds`` and ``order_value`` per order.
    currency : str
        Currency code of the SKU master's costs.
    shown : int
        How many of the largest orders the table below the sentence shows.

    Examples
    --------
    >>> import pandas as pd, pytest
    >>> _ = pytest.importorskip("statsforecast")  # jit.plan forecasts with statsforecast
    >>> from btm import jit
    >>> ds = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    >>> skus = pd.DataFrame({"unique_id": ["A"], "unit_cost": [5.0], "lead_time_weeks": [1],
    ...                      "order_cost": [9.0], "holding_cost_rate": [0.2]})
    >>> p = jit.plan(pd.DataFrame({"unique_id": "A", "ds": ds, "y": 0.0}), skus, horizon=4,
    ...              service_level=0.9, models=["Naive"])
    >>> orders_due_message(p, jit.orders_due(p))
    'No order to place: over the next 4 weeks the stock on hand and on order covers the forecast demand of every SKU.'
    """
    _check_plan(plan, None)
    if len(due) == 0:
        return (f"No order to place: over the next {_periods(plan.horizon, plan.freq)} the "
                "stock on hand and on order covers the forecast demand of every SKU.")
    first = due["order_ds"].min()
    which = f"the {_NUMBER_WORDS.get(shown, shown)} largest below" if len(due) > shown else (
        "listed below")
    return (f"Order now ({first:%d %b %Y}): {_count(len(due), 'order')} worth "
            f"{format_money(float(due['order_value'].sum()), currency)}"
            f"{_assumed_words(plan, due['unique_id'])}; {which}.")


_NUMBER_WORDS = {5: "five", 10: "ten", 20: "twenty"}


def _assumed_label(plan: Any, ids: Any) -> str:
    """'' or ', illustrative: stock on hand assumed for N SKUs' for a card label."""
    pol = plan.policy.loc[plan.policy["unique_id"].isin(list(ids))]
    n = int(pol["on_hand_assumed"].astype(bool).sum())
    return f", illustrative: stock on hand assumed for {_count(n, 'SKU')}" if n else ""


@tables_checked
def demand_key_messages(plan: Any, outcome: Any = None, *, currency: str = "EUR",
                        accuracy: Any = None) -> list[str]:
    """Sentences for the board from a JIT plan and its replay, most important first.

    Parameters
    ----------
    plan : JITPlan
        From :func:`btm.jit.plan`.
    outcome : ReplayOutcome, optional
        From :func:`btm.jit.replay_policy`.
    currency : str
        Currency code of the SKU master's costs.
    accuracy : pandas.DataFrame, optional
        The stored test-set result of ``benchmarks/bench_forecast_accuracy.py``
        (``data/demand/accuracy.csv``); adds :func:`unseen_accuracy_message`.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import pandas as pd, pytest
    >>> _ = pytest.importorskip("statsforecast")  # jit.plan forecasts with statsforecast
    >>> from btm import jit
    >>> ds = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    >>> h = pd.DataFrame({"unique_id": "A", "ds": ds, "y": [10.0, 14.0] * 20})
    >>> skus = pd.DataFrame({"unique_id": ["A"], "unit_cost": [500.0], "lead_time_weeks": [2],
    ...                      "order_cost": [20.0], "holding_cost_rate": [0.2]})
    >>> p = jit.plan(h, skus, horizon=4, service_level=0.9, models=["Naive"])
    >>> demand_key_messages(p)[0]
    'At a 90% service level the 1 SKU needs EUR 4.4k of safety stock.'
    """
    _check_plan(plan, outcome)
    cur = currency
    pol = plan.policy
    messages = []
    vs = _forecast_vs_naive(plan)
    if vs is not None:
        wins, n, mase, mase_naive = vs
        if n == 1:
            beats = "beats" if wins else "does not beat"
            messages.append(
                f"The forecast chosen for the 1 regular-demand SKU {beats} seasonal naive "
                f"(MASE {format_number(mase)} vs {format_number(mase_naive)}).")
        else:
            messages.append(
                f"Forecasts chosen per SKU beat seasonal naive on {format_percent(wins / n)} "
                f"of the {n} regular-demand SKUs (mean MASE {format_number(mase)} vs "
                f"{format_number(mase_naive)}).")
    if accuracy is not None:
        messages.append(unseen_accuracy_message(accuracy))
    ss_value = float(pol["safety_stock_value"].sum())
    skus = f"{len(pol)} SKU needs" if len(pol) == 1 else f"{len(pol)} SKUs need"
    sentence = (f"At a {format_percent(plan.service_level)} service level the {skus} "
                f"{format_money(ss_value, cur)} of safety stock")
    emp = pol.loc[pol["safety_stock_method"] == "empirical"]
    if len(emp):
        sentence += (f"; {format_money(float(emp['safety_stock_value'].sum()), cur)} of it for "
                     f"the {_count(len(emp), 'intermittent or lumpy SKU')}, set from observed "
                     "forecast "
                     "errors rather than a normal curve")
    messages.append(sentence + ".")
    none = no_demand_message(plan)
    if none is not None:
        messages.append(none)
    if outcome is not None:
        o = outcome.replay.overall.set_index("policy")
        fr = float(o.loc["forecast", "fill_rate"])
        inv = float(o.loc["forecast", "average_inventory_value"])
        sentence = (f"Replayed on the last {_periods(outcome.holdout_periods, plan.freq)}, "
                    "the policy filled "
                    f"{format_percent(fr)} of demand with {format_money(inv, cur)} of average "
                    "inventory")
        diff = None
        if "naive" in o.index:
            nfr = float(o.loc["naive", "fill_rate"])
            diff = float(o.loc["naive", "average_inventory_value"]) - inv
            more_less = "less" if diff >= 0 else "more"
            sentence += (f": {format_money(abs(diff), cur)} {more_less} than ordering from past "
                         f"averages, which filled {format_percent(nfr)}")
        messages.append(sentence + ".")
        exception = None if diff is None else _class_exception(outcome.by_class, diff >= 0)
        if exception is not None:
            freed = float(exception["inventory_freed"])
            n_class = int(exception["n_skus"])
            who = (f"the 1 {exception['demand_class']} SKU" if n_class == 1
                   else f"the {n_class} {exception['demand_class']} SKUs")
            messages.append(
                f"Exception: {who} held {format_money(abs(freed), cur)} "
                f"{'less' if freed > 0 else 'more'} inventory than with past averages, for a "
                f"fill rate of {format_percent(exception['fill_rate'])} "
                f"(vs {format_percent(exception['naive_fill_rate'])}).")
    orders = plan.orders
    if len(orders):
        first = orders["order_ds"].min()
        now = orders.loc[orders["order_ds"] == first]
        messages.append(
            f"Order now ({first:%d %b %Y}): {_count(len(now), 'order')} worth "
            f"{format_money(float(now['order_value'].sum()), cur)}"
            f"{_assumed_words(plan, now['unique_id'])}.")
    unplanned = without_history_message(plan)
    if unplanned is not None:  # last: the sentences above keep their places
        messages.append(unplanned)
    return messages


def _class_exception(by_class: Any, freed_overall: bool) -> Any:
    """The demand class whose inventory went the other way from the whole replay's, or None.

    ``freed_overall``: the forecast-driven policy held no more inventory than the naive one
    over all SKUs; then the class that needed the most extra inventory is the exception, else
    the class that freed the most.
    """
    bc = by_class.loc[by_class["demand_class"] != "all"]
    if bc.empty:
        return None
    ordered = bc.sort_values("inventory_freed", kind="stable", ascending=freed_overall)
    row = ordered.iloc[0]
    freed = float(row["inventory_freed"])
    return row if (freed < 0 if freed_overall else freed > 0) else None


@tables_checked
def demand_key_numbers(
    plan: Any, outcome: Any = None, *, currency: str = "EUR"
) -> dict[str, dict[str, Any]]:
    """Key numbers of a JIT plan (and its replay) for ``results.json`` and the board pack.

    Examples
    --------
    >>> import pandas as pd, pytest
    >>> _ = pytest.importorskip("statsforecast")  # jit.plan forecasts with statsforecast
    >>> from btm import jit
    >>> ds = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    >>> h = pd.DataFrame({"unique_id": "A", "ds": ds, "y": [10.0, 14.0] * 20})
    >>> skus = pd.DataFrame({"unique_id": ["A"], "unit_cost": [500.0], "lead_time_weeks": [2],
    ...                      "order_cost": [20.0], "holding_cost_rate": [0.2]})
    >>> p = jit.plan(h, skus, horizon=4, service_level=0.9, models=["Naive"])
    >>> demand_key_numbers(p)["safety_stock_value"]["label"]
    'Safety stock at a 90% service level'
    """
    _check_plan(plan, outcome)
    cur = currency
    pol = plan.policy
    numbers: dict[str, dict[str, Any]] = {
        "safety_stock_value": {
            "value": float(pol["safety_stock_value"].sum()), "unit": cur,
            "label": f"Safety stock at a {format_percent(plan.service_level)} service level"},
    }
    if outcome is not None:
        o = outcome.replay.overall.set_index("policy")
        numbers["replay_fill_rate"] = {
            "value": float(o.loc["forecast", "fill_rate"]), "unit": "%",
            "label": "Fill rate replayed on the last "
                     f"{_periods(outcome.holdout_periods, plan.freq)}"}
        numbers["replay_average_inventory_value"] = {
            "value": float(o.loc["forecast", "average_inventory_value"]), "unit": cur,
            "label": "Average inventory in the replay"}
        if "naive" in o.index:
            numbers["inventory_freed_vs_naive"] = {
                "value": float(o.loc["naive", "average_inventory_value"]
                               - o.loc["forecast", "average_inventory_value"]),
                "unit": cur, "label": "Inventory freed against the naive policy (replay)"}
            numbers["naive_fill_rate"] = {
                "value": float(o.loc["naive", "fill_rate"]), "unit": "%",
                "label": "Fill rate of the naive policy (replay)"}
    vs = _forecast_vs_naive(plan)
    if vs is not None:
        wins, n, mase, mase_naive = vs
        numbers["share_beating_seasonal_naive"] = {
            "value": wins / n, "unit": "%",
            "label": "Regular-demand SKUs whose forecast beats seasonal naive "
                     f"({_count(n, 'SKU')})"}
        numbers["mase_chosen"] = {
            "value": mase, "unit": "",
            "label": f"{'MASE of the chosen forecast' if n == 1 else 'Mean MASE of chosen forecasts'}"
                     " (seasonal naive "
                     f"{format_number(mase_naive)})"}
    numbers["empirical_skus"] = {
        "value": int((pol["safety_stock_method"] == "empirical").sum()), "unit": "SKUs",
        "label": "Intermittent or lumpy: empirical safety stock"}
    if len(plan.orders):
        first = plan.orders["order_ds"].min()
        now = plan.orders.loc[plan.orders["order_ds"] == first]
        numbers["orders_now_value"] = {
            "value": float(now["order_value"].sum()), "unit": cur,
            "label": f"Orders to place now ({first:%d %b %Y})"
                     + _assumed_label(plan, now["unique_id"])}
    first_shown = ["safety_stock_value", "replay_fill_rate", "naive_fill_rate",
                   "replay_average_inventory_value", "inventory_freed_vs_naive",
                   "share_beating_seasonal_naive", "empirical_skus", "orders_now_value"]
    ordered = [k for k in first_shown if k in numbers] + [k for k in numbers
                                                           if k not in first_shown]
    return {k: numbers[k] for k in ordered}


@tables_checked
def demand_figure_words(plan: Any, outcome: Any = None, *, sources: str = "") -> dict[str, str]:
    """Footnotes, captions and headings of the notebook's figures and tables, in the plan's
    periods (weeks, months ...) and with the service level as the key numbers write it.

    Parameters
    ----------
    plan : JITPlan
        From :func:`btm.jit.plan`.
    outcome : ReplayOutcome, optional
        From :func:`btm.jit.replay_policy`; adds the replay's words (``last_holdout``,
        ``replay_footnote``, ``replay_caption``, ``curve_footnote``, ``freed_footnote``).
    sources : str
        Names of the input files, for the assumptions line.

    Returns
    -------
    dict of str
        ``assumptions`` (ends every footnote), ``history_column`` (the inputs table's column
        of history length), ``backtest_footnote`` and, with ``outcome``, the replay's words.

    Examples
    --------
    Two years of monthly sales of one SKU, planned for six months at 97.5%:

    >>> import pandas as pd, pytest
    >>> _ = pytest.importorskip("statsforecast")  # jit.plan forecasts with statsforecast
    >>> from btm import jit
    >>> monthly = pd.DataFrame({"unique_id": "A", "y": 12.0,
    ...                         "ds": pd.date_range("2022-01-01", periods=24, freq="MS")})
    >>> master = pd.DataFrame([{"unique_id": "A", "unit_cost": 9.0, "lead_time_weeks": 1,
    ...                         "order_cost": 5.0, "holding_cost_rate": 0.25}])
    >>> words = demand_figure_words(jit.plan(monthly, master, horizon=6, service_level=0.975,
    ...                                      season_length=1, models=["Naive"]),
    ...                             sources="demand.csv")
    >>> words["assumptions"]
    'Service level 97.5%, review every 1 month, 1 SKU; source: demand.csv.'
    >>> words["backtest_footnote"], words["history_column"]
    ('Backtest, 2 windows of 6 months. ', 'months of history')
    """
    _check_plan(plan, outcome)
    freq = plan.freq
    source = f"; source: {sources}" if sources else ""
    words = {
        "assumptions": (f"Service level {format_percent(plan.service_level)}, review every "
                        f"{_periods(plan.review_period, freq)}, "
                        f"{_count(len(plan.policy), 'SKU')}{source}."),
        "history_column": f"{_period_word(freq)} of history",
        "backtest_footnote": (f"Backtest, {_count(int(plan.settings['n_windows']), 'window')} "
                              f"of {_periods(plan.horizon, freq)}. "),
    }
    if outcome is not None:
        last = f"last {_periods(outcome.holdout_periods, freq)}"
        adjective = _period_adjective(freq)
        targets = sorted(float(s) for s in outcome.curve["service_level"].unique())
        words |= {
            "last_holdout": last,
            "replay_footnote": f"Forecast-driven policy, {adjective}. ",
            "replay_caption": ((f"Demand {adjective}" if adjective.startswith("per")
                                else f"{adjective.capitalize()} demand")
                               + ", stock on hand and on order, and stockouts"),
            "curve_footnote": (f"Targets {', '.join(format_percent(s) for s in targets)}; "
                               f"{last}. "),
            "freed_footnote": f"Replay of the {last}. ",
        }
    return words
