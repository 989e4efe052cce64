"""Tests of the demand forecasting and JIT analysis's figures
(btm/analyses/demand_forecast_jit/charts.py) and of its key messages against its cards."""



import matplotlib

matplotlib.use("Agg")

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from chart_checks import check_chart, legend_texts, overlaps
from matplotlib.collections import PolyCollection
from matplotlib.patches import Rectangle
from message_checks import card_texts, check_cards_quoted

from btm import InputError, style
from btm.analyses.demand_forecast_jit import charts

# --------------------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def _rc_unchanged_and_closed():
    """Every test: global rcParams are the same afterwards, and pyplot holds no new figure."""
    before = dict(matplotlib.rcParams)
    open_before = set(plt.get_fignums())
    yield
    after = dict(matplotlib.rcParams)
    changed = sorted(k for k in before if before[k] != after[k])
    assert not changed, f"global rcParams changed: {changed}"
    assert set(plt.get_fignums()) == open_before
    plt.close("all")


def _history_forecast() -> tuple[pd.DataFrame, pd.DataFrame]:
    ds = pd.date_range("2023-01-01", periods=12, freq="MS")
    hist = pd.DataFrame({"unique_id": ["A"] * 12 + ["B"] * 12, "ds": list(ds) * 2,
                         "y": np.r_[np.arange(12.0) + 10, np.arange(12.0)]})
    fds = pd.date_range("2024-01-01", periods=4, freq="MS")
    f = np.full(4, 22.0)
    fc = pd.DataFrame({"unique_id": "A", "ds": fds, "forecast": f, "model": "AutoETS",
                       "lo_80": f - 2, "hi_80": f + 2, "lo_95": f - 4, "hi_95": f + 4})
    return hist, fc


def _accuracy() -> pd.DataFrame:
    return pd.DataFrame({"demand_class": ["smooth"] * 3 + ["lumpy"] * 3,
                         "model": ["ETS", "Croston", "Naive"] * 2,
                         "mase": [0.7, 0.9, 1.0, 1.5, 1.1, 1.9]})


def _replay() -> pd.DataFrame:
    return pd.DataFrame({
        "ds": pd.date_range("2024-01-01", periods=8, freq="W-MON"),
        "demand": [5.0, 7, 6, 9, 4, 6, 8, 7], "on_hand": [15.0, 8, 2, 0, 16, 10, 0, 0],
        "on_order": [0.0, 20, 20, 20, 0, 20, 20, 0], "orders": [0.0, 20, 0, 0, 0, 20, 0, 0],
        "stockout": [False, False, False, True, False, False, True, True],
    })


def _curve() -> pd.DataFrame:
    sl = [0.9, 0.95, 0.99]
    return pd.DataFrame({"service_level": sl * 2,
                         "average_inventory_value": [100e3, 120e3, 170e3, 80e3, 95e3, 130e3],
                         "policy": ["current"] * 3 + ["forecast-driven"] * 3})


def _labelled_lines(ax) -> list:
    return [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]


# --------------------------------------------------------------------------- forecasting


def test_forecast_fan_bands_history_and_model():
    hist, fc = _history_forecast()
    fig = charts.forecast_fan(hist, fc, unique_id="A", units="boxes")
    ax = fig.axes[0]
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 2
    # The 95 % band (drawn first) spans forecast +- 4.
    verts = bands[0].get_paths()[0].vertices[:, 1]
    assert verts.min() == pytest.approx(18.0) and verts.max() == pytest.approx(26.0)
    labels = [ln.get_label() for ln in _labelled_lines(ax)]
    assert labels == ["history", "forecast (AutoETS)"]
    history_line = _labelled_lines(ax)[0]
    assert list(history_line.get_ydata()) == list(np.arange(12.0) + 10)  # only series A
    assert ax.get_title() == "Demand forecast: A"
    assert ax.get_ylabel() == "Demand (boxes)"


def test_forecast_fan_bad_input():
    hist, fc = _history_forecast()
    with pytest.raises(InputError, match="forecast: missing column.*'lo_80'"):
        charts.forecast_fan(hist, fc.drop(columns="lo_80"), unique_id="A")
    with pytest.raises(InputError, match="history, column 'unique_id': no rows for 'Z'"):
        charts.forecast_fan(hist, fc, unique_id="Z")
    with pytest.raises(InputError, match="^levels: "):
        charts.forecast_fan(hist, fc, unique_id="A", levels=(0.8,))


def test_accuracy_by_class_grouped_bars():
    acc = _accuracy()
    fig = charts.accuracy_by_class(acc)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 6
    assert sorted(round(p.get_height(), 2) for p in bars) == sorted(acc["mase"])
    assert "MASE" in ax.get_ylabel() and ax.get_title().endswith("(MASE)")
    assert len({p.get_hatch() for p in bars}) == 3
    naive = [ln for ln in ax.get_lines() if list(ln.get_ydata()) == [1.0, 1.0]]
    assert naive  # reference line at MASE = 1


def test_accuracy_by_class_method_column_and_missing_metric():
    acc = _accuracy().rename(columns={"model": "method"})
    fig = charts.accuracy_by_class(acc, ax=style.figure()[1])
    assert len(fig.axes[0].patches) == 6
    with pytest.raises(InputError, match="accuracy: missing column.*'rmse'"):
        charts.accuracy_by_class(acc, metric="rmse")


@pytest.mark.parametrize("acc", [_accuracy().iloc[:0], _accuracy().assign(mase=np.nan)],
                         ids=["no rows", "no finite score"])
def test_accuracy_by_class_without_a_score_says_so(acc):
    """What btm.jit.accuracy_by_class gives when every SKU sold nothing (no finite MASE): a
    figure with a note, not "accuracy: the table is empty" raised in the notebook's chart cell."""
    fig = charts.accuracy_by_class(acc, footnote="Backtest.")
    ax = fig.axes[0]
    assert not ax.patches and not ax.axison
    assert ax.get_title() == "Forecast accuracy by demand class (MASE)"
    assert ax.texts[0].get_text().startswith(
        "No forecast accuracy to show: no SKU has a finite MASE.\nMASE compares")
    plt.close(fig)
    # a table without the columns, or not a table, is still refused
    with pytest.raises(InputError, match="accuracy: the table is empty"):
        charts.accuracy_by_class(acc.iloc[:0, :1])
    with pytest.raises(InputError, match="accuracy: got list"):
        charts.accuracy_by_class([])


def test_inventory_replay_stockouts_shaded():
    replay = _replay()
    fig = charts.inventory_replay(replay, units="boxes")
    ax = fig.axes[0]
    spans = [p for p in ax.patches if p.get_label().endswith("stockout")]
    assert len(spans) == 2  # stockout runs: week 4, weeks 7-8
    assert all(p.get_hatch() for p in spans)
    demand_bars = [p for p in ax.patches if p not in spans]
    assert len(demand_bars) == len(replay)
    assert [p.get_height() for p in demand_bars] == list(replay["demand"])
    labels = [ln.get_label() for ln in _labelled_lines(ax)]
    assert labels == ["on hand (end of period)", "on order (not yet received)", "order placed"]
    assert ax.get_ylabel() == "Quantity (boxes)"


def test_inventory_replay_series_selection():
    a = _replay().assign(unique_id="A")
    b = _replay().assign(unique_id="B", on_hand=1.0)
    both = pd.concat([a, b], ignore_index=True)
    with pytest.raises(InputError, match="^unique_id: got None"):
        charts.inventory_replay(both)
    fig = charts.inventory_replay(both, unique_id="B")
    assert fig.axes[0].get_title() == "Inventory replay: B"
    with pytest.raises(InputError, match="replay: missing column.*'on_hand'"):
        charts.inventory_replay(a.drop(columns="on_hand"))


def test_service_inventory_curve_one_line_per_policy():
    fig = charts.service_inventory_curve(_curve(), currency="EUR")
    ax = fig.axes[0]
    lines = _labelled_lines(ax)
    assert [ln.get_label() for ln in lines] == ["current", "forecast-driven"]
    assert list(lines[0].get_xdata()) == [0.9, 0.95, 0.99]
    assert ax.get_xaxis().get_major_formatter()(0.95) == "95%"
    assert "EUR" in ax.get_ylabel() and "%" in ax.get_xlabel()


def test_service_inventory_curve_percentage_given():
    curve = _curve().assign(service_level=[90, 95, 99, 90, 95, 99])
    with pytest.raises(InputError, match="column 'service_level': got 90, which looks like"):
        charts.service_inventory_curve(curve)




# --------------------------------------------------------------------------- every chart


def _all_charts():
    hist, fc = _history_forecast()
    return {
        "forecast_fan": lambda **kw: charts.forecast_fan(hist, fc, unique_id="A", **kw),
        "accuracy_by_class": lambda **kw: charts.accuracy_by_class(_accuracy(), **kw),
        "inventory_replay": lambda **kw: charts.inventory_replay(_replay(), **kw),
        "service_inventory_curve": lambda **kw: charts.service_inventory_curve(_curve(), **kw),
    }


def test_every_chart_is_tested_here():
    assert set(_all_charts()) - set(charts.__all__) == set()
    assert set(charts.__all__) - set(_all_charts()) == {"forecast_fans"}  # tested below


@pytest.mark.parametrize("name", list(_all_charts()))
def test_every_chart_titled_labelled_footnoted_and_into_ax(name):
    check_chart(_all_charts()[name])


def test_forecast_fans_one_panel_per_sku_one_legend():
    """Several SKUs side by side: one panel each, titled, a single legend on the last panel."""
    ds = pd.date_range("2024-01-01", periods=8, freq="W-MON")
    h = pd.DataFrame({"unique_id": ["A"] * 6 + ["B"] * 6, "ds": list(ds[:6]) * 2,
                      "y": [5.0, 6, 7, 6, 5, 6, 0, 2, 0, 1, 0, 3]})
    f = pd.DataFrame({"unique_id": ["A", "A", "B", "B"], "ds": list(ds[6:]) * 2,
                      "forecast": [6.0, 6, 1, 1], "model": ["AutoETS"] * 2 + ["TSB"] * 2,
                      "lo_80": [5.0, 5, 0, 0], "hi_80": [7.0, 7, 2, 2],
                      "lo_95": [4.0, 4, 0, 0], "hi_95": [8.0, 8, 3, 3]})
    fig = charts.forecast_fans(h, f, unique_ids=["A", "B"], titles=["A (smooth)", "B (lumpy)"],
                               history_periods=3, footnote="Sample.")
    assert [ax.get_title() for ax in fig.axes] == ["A (smooth)", "B (lumpy)"]
    assert [ax.get_legend() is not None for ax in fig.axes] == [False, True]
    history_line = next(ln for ln in fig.axes[0].get_lines() if ln.get_label() == "history")
    assert len(history_line.get_xdata()) == 3  # only the last 3 periods of history
    with pytest.raises(InputError, match="titles: got 1 titles; expected one per SKU"):
        charts.forecast_fans(h, f, unique_ids=["A", "B"], titles=["A"])
    with pytest.raises(InputError, match="unique_ids"):
        charts.forecast_fans(h, f, unique_ids=[])
    plt.close(fig)


# --------------------------------------------------------------------------- unseen accuracy


def test_unseen_accuracy_message_from_the_stored_benchmark_row():
    """The sentence restates the stored test-set row (hand-read: ratio 1.0504 is 5 % more
    error than AutoETS; 0.8798 and 0.9447 coverage round to 88 % and 94 %)."""
    from btm.analyses.demand_forecast_jit.messages import unseen_accuracy_message
    from btm.files import package_root

    acc = pd.read_csv(package_root() / "data" / "demand" / "accuracy.csv")
    text = unseen_accuracy_message(acc)
    r = acc.iloc[0]
    assert f"On {int(r['n_series'])} real monthly and quarterly series" in text
    assert f"mean MASE ratio {r['mase_ratio_to_autoets']:.3f}" in text
    word = "more" if r["mase_ratio_to_autoets"] > 1 else "less"
    assert f"{abs(1 - r['mase_ratio_to_autoets']):.0%} {word} than AutoETS" in text
    assert f"held {r['coverage_80']:.0%} and {r['coverage_95']:.0%}" in text
    better = acc.assign(mase_ratio_to_autoets=0.9)
    assert "erred 10% less than AutoETS" in unseen_accuracy_message(better)
    with pytest.raises(InputError, match="accuracy"):
        unseen_accuracy_message(acc.drop(columns="coverage_80"))


# --------------------------------------------------------------------------- key messages

#: The key numbers the key messages state as their cards write them (``empirical_skus``, a
#: count, by its number: "for the 2 intermittent or lumpy SKUs").
QUOTED = ("safety_stock_value", "replay_fill_rate", "naive_fill_rate",
          "replay_average_inventory_value", "share_beating_seasonal_naive", "mase_chosen",
          "orders_now_value")


def _plan_and_replay(history: pd.DataFrame, skus: pd.DataFrame, *, holdout: int, **params):
    from btm import jit

    pytest.importorskip("statsforecast")
    plan = jit.plan(history, skus, **params)
    return plan, jit.replay_policy(history, skus, plan, holdout_periods=holdout)


@pytest.fixture(scope="module")
def five_skus():
    """One SKU per demand pattern of the sample (as tests/test_jit.py's FEW), replayed on the
    last 52 weeks."""
    from btm.files import package_root

    folder = package_root() / "data" / "demand"
    demand, skus = pd.read_csv(folder / "demand.csv"), pd.read_csv(folder / "skus.csv")
    few = demand.loc[demand["unique_id"].isin(
        ["SKU-002", "SKU-042", "SKU-107", "SKU-137", "SKU-172"])].reset_index(drop=True)
    return _plan_and_replay(few, skus, holdout=52, horizon=12, service_level=0.95)


def test_messages_write_each_key_number_as_its_card_does(five_skus):
    """On the sample the card "Fill rate replayed on the last 52 weeks 97%" stood beside the
    message "the policy filled 97.0% of demand", the card "Mean MASE of chosen forecasts 0.766"
    beside "mean MASE 0.77" (here: 66.7% beside "on 67% of the 3 ...", 0.636 beside 0.64)."""
    from btm.analyses.demand_forecast_jit import messages

    plan, outcome = five_skus
    numbers = messages.demand_key_numbers(plan, outcome)
    said = messages.demand_key_messages(plan, outcome)
    freed = "inventory_freed_vs_naive"
    assert set(numbers) == {*QUOTED, "empirical_skus", freed}
    assert numbers[freed]["value"] > 0  # said as it is (EUR 81k less); else by its size
    cards = check_cards_quoted(numbers, said, (*QUOTED, freed), counts=["empirical_skus"])
    assert (cards["share_beating_seasonal_naive"], cards["mase_chosen"]) == ("66.7%", "0.636")
    assert said[0] == ("Forecasts chosen per SKU beat seasonal naive on 66.7% of the 3 "
                       "regular-demand SKUs (mean MASE 0.636 vs 0.723).")
    assert numbers["mase_chosen"]["label"].endswith("(seasonal naive 0.723)")
    assert "for the 2 intermittent or lumpy SKUs" in said[1]
    assert f"average inventory: {cards[freed]} less than ordering from past averages" in said[2]


def _two_smooth_inputs(freq: str = "W-MON") -> tuple[pd.DataFrame, pd.DataFrame]:
    """60 periods (weeks) of two smooth SKUs (A alternates 10 and 14, B sells 20) and their
    master."""
    ds = pd.date_range("2024-01-01", periods=60, freq=freq)
    history = pd.DataFrame({"unique_id": ["A"] * 60 + ["B"] * 60, "ds": list(ds) * 2,
                            "y": [10.0, 14.0] * 30 + [20.0] * 60})
    skus = pd.DataFrame({"unique_id": ["A", "B"], "unit_cost": [500.0, 50.0],
                         "lead_time_weeks": [2, 1], "order_cost": [20.0, 20.0],
                         "holding_cost_rate": [0.2, 0.2]})
    return history, skus


def _two_smooth_skus():
    """The plan and 8-week replay of :func:`_two_smooth_inputs` (naive forecasts, 90%)."""
    history, skus = _two_smooth_inputs()
    return _plan_and_replay(history, skus, holdout=8, horizon=4, service_level=0.9,
                            season_length=1, models=["Naive"])


def test_a_full_fill_rate_reads_100_percent_as_on_its_card():
    """Both policies fill all demand: the cards read 100%, the message said "filled 100.0% of
    demand ... which filled 100.0%" and "for a 100.0% fill rate (vs 100.0%)"; and where the
    policy holds more inventory (card "-EUR 2.3k"), the message says "EUR 2.3k more"."""
    from btm.analyses.demand_forecast_jit import messages

    plan, outcome = _two_smooth_skus()
    numbers = messages.demand_key_numbers(plan, outcome)
    said = messages.demand_key_messages(plan, outcome)
    cards = check_cards_quoted(numbers, said, ("replay_fill_rate", "naive_fill_rate",
                                               "safety_stock_value", "orders_now_value"))
    assert cards["replay_fill_rate"] == cards["naive_fill_rate"] == "100%"
    freed = card_texts(numbers, ["inventory_freed_vs_naive"])["inventory_freed_vs_naive"]
    assert freed == "-EUR 2.3k"
    assert said[1] == ("Replayed on the last 8 weeks, the policy filled 100% of demand with "
                       "EUR 6.8k of average inventory: EUR 2.3k more than ordering from past "
                       "averages, which filled 100%.")
    # Both SKUs are smooth: the class went the way of the whole, no exception (it said
    # "Exception: smooth SKUs held EUR 2.3k more inventory ...", the sentence before again).
    assert not any(m.startswith("Exception") for m in said), said


def test_an_exception_is_a_class_whose_inventory_went_the_other_way():
    """The whole replay held more inventory than the naive policy: a class that held less is
    the exception, named with its count ("the 1 erratic SKU"); one that held more too is not
    (it said "Exception: smooth SKUs held EUR 2.3k more", as the sentence before)."""
    import dataclasses

    from btm.analyses.demand_forecast_jit import messages

    plan, outcome = _two_smooth_skus()
    bc = outcome.by_class
    smooth = bc.loc[bc["demand_class"] == "smooth"].iloc[0]
    erratic = smooth.copy()
    erratic[["demand_class", "n_skus", "inventory_freed", "fill_rate", "naive_fill_rate"]] = [
        "erratic", 1, 400.0, 0.95, 0.9]
    two = dataclasses.replace(outcome, by_class=pd.DataFrame(
        [smooth, erratic, bc.loc[bc["demand_class"] == "all"].iloc[0]]).reset_index(drop=True))
    said = messages.demand_key_messages(plan, two)
    exceptions = [m for m in said if m.startswith("Exception")]
    assert exceptions == ["Exception: the 1 erratic SKU held EUR 400 less inventory than with "
                          "past averages, for a fill rate of 95% (vs 90%)."]


# --------------------------------------------------------------------------- one SKU


def _sample(ids: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    from btm.files import package_root

    folder = package_root() / "data" / "demand"
    demand, skus = pd.read_csv(folder / "demand.csv"), pd.read_csv(folder / "skus.csv")
    return demand.loc[demand["unique_id"].isin(ids)].reset_index(drop=True), skus


@pytest.fixture(scope="module")
def one_smooth_sku():
    """SKU-002 (smooth) alone, at a 97.5% service level, replayed on the last 52 weeks."""
    demand, skus = _sample(["SKU-002"])
    return _plan_and_replay(demand, skus, holdout=52, horizon=12, service_level=0.975)


@pytest.fixture(scope="module")
def one_lumpy_sku():
    """SKU-171 (lumpy) alone at 99.5%: the reviewer's case of an exception that repeated the
    sentence before it."""
    demand, skus = _sample(["SKU-171"])
    return _plan_and_replay(demand, skus, holdout=52, horizon=12, service_level=0.995,
                            season_length=52)


#: A count and its noun disagree: "1 orders", "the 1 intermittent or lumpy SKUs", "2 SKU".
_ONE_MANY = r"(?<![\w-])1 (?:[a-z-]+ ){0,3}(?:SKUs|orders|weeks|months|windows)\b"
_MANY_ONE = r"(?<![\w-])(?:[02-9]|\d\d+) (?:[a-z-]+ ){0,3}(?:SKU|order|week|month|window)\b(?!s)"


def _agreement_errors(texts) -> list[str]:
    import re

    return [t for t in texts if re.search(_ONE_MANY, t) or re.search(_MANY_ONE, t)]


def test_one_sku_is_said_in_the_singular(one_smooth_sku, one_lumpy_sku, five_skus):
    """One SKU: it said "Order now (02 Nov 2026): 1 orders", "for the 1 intermittent or lumpy
    SKUs", "beat seasonal naive on 100% of the 1 regular-demand SKUs", the card "(1 SKUs)".
    Two or more keep the plural."""
    from btm.analyses.demand_forecast_jit import messages

    for plan, outcome in (one_smooth_sku, one_lumpy_sku, five_skus):
        said = messages.demand_key_messages(plan, outcome)
        numbers = messages.demand_key_numbers(plan, outcome)
        due = messages.orders_due_message(plan, __import__("btm.jit").jit.orders_due(plan))
        words = messages.demand_figure_words(plan, outcome)
        texts = [*said, due, *(v["label"] for v in numbers.values()), *words.values()]
        assert _agreement_errors(texts) == [], texts
    plan, outcome = one_smooth_sku
    said = messages.demand_key_messages(plan, outcome)
    numbers = messages.demand_key_numbers(plan, outcome)
    assert said[0].startswith("The forecast chosen for the 1 regular-demand SKU ")
    assert numbers["share_beating_seasonal_naive"]["label"].endswith("seasonal naive (1 SKU)")
    assert any(m.startswith("Order now (") and ": 1 order worth " in m for m in said)
    plan, outcome = one_lumpy_sku
    said = messages.demand_key_messages(plan, outcome)
    assert "of it for the 1 intermittent or lumpy SKU, set from" in said[0]
    assert not any(m.startswith("Exception") for m in said), said  # overall also "more"


def test_the_service_level_is_written_as_the_key_numbers_write_it(one_smooth_sku,
                                                                   one_lumpy_sku):
    """0.975 read "At a 98% service level" and 0.995 "100%", on the card and in the
    notebook's assumptions line."""
    from btm.analyses.demand_forecast_jit import messages

    for (plan, outcome), level in ((one_smooth_sku, "97.5%"), (one_lumpy_sku, "99.5%")):
        said = messages.demand_key_messages(plan, outcome)
        numbers = messages.demand_key_numbers(plan, outcome)
        cards = check_cards_quoted(numbers, said, ("safety_stock_value", "orders_now_value"))
        assert numbers["safety_stock_value"]["label"] == f"Safety stock at a {level} service level"
        assert any(m.startswith(f"At a {level} service level the 1 SKU needs "
                                f"{cards['safety_stock_value']} of safety stock") for m in said)
        assert messages.demand_figure_words(plan)["assumptions"].startswith(
            f"Service level {level}, review every 1 week, 1 SKU")


def test_orders_from_an_assumed_stock_are_said_to_be_illustrative(one_smooth_sku, five_skus):
    """The sample's SKU master has no on_hand: stock is assumed at the reorder point, so every
    SKU orders now; the order-now sentence, its card and the sentence above the orders table
    say so (they did not)."""
    from btm import jit
    from btm.analyses.demand_forecast_jit import messages

    for (plan, outcome), n, these in ((one_smooth_sku, "1 SKU", "this order is"),
                                      (five_skus, "5 SKUs", "these orders are")):
        assert plan.policy["on_hand_assumed"].all()
        tail = (f"stock on hand not given for {n}: assumed at the reorder point, so {these} "
                "illustrative")
        said = messages.demand_key_messages(plan, outcome)
        assert [m for m in said if m.startswith("Order now")][0].endswith(f"; {tail}.")
        numbers = messages.demand_key_numbers(plan, outcome)
        assert numbers["orders_now_value"]["label"].endswith(
            f", illustrative: stock on hand assumed for {n}")
        due = messages.orders_due_message(plan, jit.orders_due(plan))
        assert f"; {tail}; " in due


def test_orders_from_a_given_stock_are_not_called_illustrative():
    """Stock on hand given for A, assumed for B: only B's order is illustrative."""
    pytest.importorskip("statsforecast")  # jit.plan forecasts with statsforecast
    from btm import jit
    from btm.analyses.demand_forecast_jit import messages

    history, skus = _two_smooth_inputs()
    skus = skus.assign(on_hand=[0.0, np.nan])
    plan = jit.plan(history, skus, horizon=4, service_level=0.9, season_length=1,
                    models=["Naive"])
    assert plan.policy["on_hand_assumed"].tolist() == [False, True]
    said = messages.demand_key_messages(plan)[-1]
    assert said.startswith("Order now (") and said.endswith(
        "; stock on hand not given for 1 SKU: assumed at the reorder point, so the order of "
        "that SKU is illustrative."), said
    given = jit.plan(history, skus.assign(on_hand=[0.0, 0.0]), horizon=4, service_level=0.9,
                     season_length=1, models=["Naive"])
    assert "illustrative" not in " ".join(messages.demand_key_messages(given))
    assert "illustrative" not in messages.demand_key_numbers(given)["orders_now_value"]["label"]


# --------------------------------------------------------------------------- periods


def test_figure_words_of_monthly_data_say_months():
    """Monthly history: the footnotes said "Backtest, 2 windows of 6 weeks", "last 8 weeks",
    "Forecast-driven policy, weekly", "review every 1 week(s)" and a table "weeks of history"."""
    from btm.analyses.demand_forecast_jit import messages

    history, skus = _two_smooth_inputs("MS")
    plan, outcome = _plan_and_replay(history, skus, holdout=8, horizon=6, service_level=0.95,
                                     season_length=1, review_period=2, models=["Naive"])
    words = messages.demand_figure_words(plan, outcome, sources="my.csv, skus.csv")
    assert words == {
        "assumptions": "Service level 95%, review every 2 months, 2 SKUs; source: my.csv, "
                       "skus.csv.",
        "history_column": "months of history",
        "backtest_footnote": "Backtest, 2 windows of 6 months. ",
        "last_holdout": "last 8 months",
        "replay_footnote": "Forecast-driven policy, monthly. ",
        "replay_caption": "Monthly demand, stock on hand and on order, and stockouts",
        "curve_footnote": words["curve_footnote"],
        "freed_footnote": "Replay of the last 8 months. ",
    }
    assert words["curve_footnote"].endswith("; last 8 months. ")
    assert "week" not in " ".join(messages.demand_key_messages(plan, outcome))


def _notebook_cells() -> list[dict]:
    import json

    from btm.files import package_root

    path = package_root() / "btm" / "notebooks" / "demand_forecast_jit.ipynb"
    if not path.exists():
        import btm

        path = Path(btm.__file__).parent / "notebooks" / "demand_forecast_jit.ipynb"
    return json.loads(path.read_text())["cells"]


def test_notebook_code_writes_no_week_of_its_own():
    """The notebook's footnotes, captions and table headings come from
    messages.demand_figure_words; its code wrote "weeks" itself ("last {holdout_weeks}
    weeks", "review every {review_period} week(s)", "weeks of history") and rounded the service
    level with :.0%."""
    code = ["".join(c["source"]) for c in _notebook_cells() if c["cell_type"] == "code"
            and "parameters" not in c.get("metadata", {}).get("tags", [])]
    offending = [c for c in code if "week" in c.replace("holdout_weeks", "") or ":.0%" in c]
    assert offending == []
    # The fans show the last year of history ("Last year of demand"), not 52 months.
    assert any("history_periods=round(jit.periods_per_year(plan.freq))" in c for c in code)


def test_fill_gaps_is_a_parameter_of_the_notebook():
    """The error for a gap in the dates says "or fill_gaps=True", but `-p fill_gaps true` was
    refused as not a parameter; it is one now, documented, and passed to the plan (whose
    settings carry it to the replay)."""
    from btm import runs

    assert runs.validate_parameters("demand_forecast_jit", {"fill_gaps": "true"})[
        "fill_gaps"] is True
    assert runs.validate_parameters("demand_forecast_jit")["fill_gaps"] is False
    cells = _notebook_cells()
    params = "".join(next(c for c in cells
                          if "parameters" in c.get("metadata", {}).get("tags", []))["source"])
    assert "fill_gaps: bool = False  # " in params
    assert any("fill_gaps=fill_gaps" in "".join(c["source"]) for c in cells)


# --------------------------------------------------------------------------- the notebook


def _run_notebook(tmp_path, demand: pd.DataFrame, **params):
    from btm import runs

    pytest.importorskip("statsforecast")
    path = tmp_path / "my_demand.csv"
    demand.to_csv(path, index=False)
    return runs.run("demand_forecast_jit", {"demand_file": str(path), **params},
                    reports_dir=tmp_path / "reports", progress=False)


def _sample_demand() -> pd.DataFrame:
    from btm.files import package_root

    return pd.read_csv(package_root() / "data" / "demand" / "demand.csv")


@pytest.mark.slow
def test_notebook_plans_an_all_zero_sku_and_says_so(tmp_path):
    """60 weeks of zeros (season_length 1, holdout 8): the run succeeds, with no stock, no
    order, an accuracy figure that explains why it has no bars and a key message naming the
    SKU (it failed with "accuracy: the table is empty ..." in cell [7])."""
    import json

    zeros = _sample_demand().query("unique_id == 'SKU-001'").iloc[:60].assign(y=0)
    rec = _run_notebook(tmp_path, zeros, season_length=1, holdout_weeks=8)
    assert rec.succeeded, rec.error
    results = json.loads((rec.path / "results.json").read_text())
    said = results["key_messages"]
    assert any(m.startswith("1 SKU sold nothing in its 60 weeks of history (SKU-001)")
               for m in said)
    policy = pd.read_csv(rec.path / "tables" / "policy.csv")
    assert policy[["safety_stock", "reorder_point", "order_up_to"]].to_numpy().tolist() == [
        [0.0, 0.0, 0.0]]
    assert {f["name"] for f in results["figures"]} >= {"accuracy_by_class", "forecast_fan",
                                                       "inventory_replay"}


@pytest.mark.slow
def test_notebook_names_the_file_and_the_sku_that_ends_early(tmp_path):
    """SKU-002 stops 2 weeks before SKU-001: the run fails at the plan with the file's name,
    SKU-002 and both dates (it said "forecast: no row for unique_id 'SKU-001' ...")."""
    d = _sample_demand().query("unique_id in ['SKU-001', 'SKU-002']")
    last = sorted(d["ds"].unique())
    h = d.loc[~((d["unique_id"] == "SKU-002") & d["ds"].isin(last[-2:]))]
    rec = _run_notebook(tmp_path, h, sku_filter="SKU-001,SKU-002", holdout_weeks=8)
    assert not rec.succeeded
    from btm import runs

    assert runs.describe_error(rec.error).startswith(
        f"InputError: my_demand.csv, unique_id 'SKU-002': its history ends at {last[-3]} while "
        f"the other SKU runs to {last[-1]}; expected every SKU to end in the same period")


# --------------------------------------------------------------------------- unusual names


def test_service_inventory_curve_lists_every_policy_even_one_starting_with_underscore():
    """A reviewer: a policy named "_base" vanished from the legend (matplotlib collected the
    legend itself and skips labels starting with "_"), and a 60-character policy name pushed
    the legend far out. Every named policy is listed, long names wrapped and cut."""
    long = "Übergang/Été: forecast-driven policy with $-weighted safety stock"
    curve = _curve().replace({"policy": {"current": "_base", "forecast-driven": long}})
    fig = charts.service_inventory_curve(curve, currency="EUR")
    assert legend_texts(fig) == ["_base", "Übergang/Été: forecast-\ndriven policy with…"]
    assert overlaps(fig) == []


def test_forecast_fan_legend_keeps_its_entries():
    """The fan's legend is given its handles: the intervals, history and forecast, in that
    order, and never the line joining history to forecast."""
    hist, fc = _history_forecast()
    fig = charts.forecast_fan(hist, fc, unique_id="A")
    assert legend_texts(fig) == ["95% prediction interval", "80% prediction interval",
                                 "history", "forecast (AutoETS)"]
    assert overlaps(fig) == []


@pytest.mark.slow
def test_notebook_fills_a_gap_when_asked(tmp_path):
    """A week missing from SKU-001's history: with fill_gaps=True the run counts it as zero
    demand and succeeds."""
    d = _sample_demand().query("unique_id == 'SKU-001'").iloc[:70]
    gap = d.drop(index=d.index[30])
    rec = _run_notebook(tmp_path, gap, sku_filter="SKU-001", season_length=1, holdout_weeks=8,
                        fill_gaps=True)
    assert rec.succeeded, rec.error


def test_skus_of_the_master_without_history_are_named_not_lost():
    """A SKU in skus.csv with no sales history is not planned: the key messages name it (it
    vanished from every table and sentence)."""
    pytest.importorskip("statsforecast")  # jit.plan forecasts with statsforecast
    from btm import jit
    from btm.analyses.demand_forecast_jit import messages

    ds = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    h = pd.DataFrame({"unique_id": "A", "ds": ds, "y": 10.0})
    skus = pd.DataFrame({"unique_id": ["A", "Z1", "Z2"], "unit_cost": [5.0] * 3,
                         "lead_time_weeks": [1] * 3, "order_cost": [9.0] * 3,
                         "holding_cost_rate": [0.2] * 3})
    plan = jit.plan(h, skus, horizon=2, service_level=0.9, models=["Naive"])
    said = messages.demand_key_messages(plan)
    assert ("2 SKUs of the SKU master have no sales history and are not planned (Z1 and Z2): "
            "add their history or remove them from the master.") in said
    assert messages.without_history_message(jit.plan(h, skus.iloc[:1], horizon=2,
                                                     service_level=0.9,
                                                     models=["Naive"])) is None
