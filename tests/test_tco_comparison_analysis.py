"""Tests of the TCO comparison's figures and key messages (btm/analyses/tco_comparison/).

Oracles: ``scipy.stats.ecdf`` for the empirical CDF drawn by ``s_curves``; ``numpy.interp`` and
hand computation for break-even points; cumulative costs summed line by line in plain Python
for the direction of the break-even messages; matplotlib's own reading of a label
(``Text._preprocess_math``: the string it draws, and whether as mathtext) for names with ``$``;
matplotlib's renderer (each drawn text's window extent) for texts that overlap.
"""



import matplotlib

matplotlib.use("Agg")

import io
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from chart_checks import check_chart, legend_texts, overlaps
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from message_checks import check_cards_quoted
from scipy import stats

from btm import InputError, style, tco
from btm.analyses.tco_comparison import charts, messages

DATA = Path(__file__).resolve().parents[1] / "data" / "tco" / "costs.csv"

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


def _by_category() -> pd.DataFrame:
    return pd.DataFrame(
        {"hardware": [800_000.0, 0.0, 150_000.0], "licences": [300_000.0, 0.0, 400_000.0],
         "subscription": [0.0, 1_100_000.0, 350_000.0], "residual": [-90_000.0, 0.0, -20_000.0]},
        index=["On premises", "Cloud", "Hybrid"],
    )


def _cumulative() -> pd.DataFrame:
    years = np.arange(6)
    # On premises 500 + 100 t, Cloud 300 t: equal at t = 2.5 with 750 (hand computation).
    return pd.DataFrame({"On premises": 500.0 + 100 * years, "Cloud": 300.0 * years},
                        index=years)


def _tornado_table(n: int = 5) -> pd.DataFrame:
    swing = np.linspace(100_000, 20_000, n)
    base = np.full(n, 1_000_000.0)
    return pd.DataFrame({
        "option": ["Cloud"] * n, "item": [f"item {k}" for k in range(n)],
        "category": ["opex"] * n, "base_value": base, "low_value": base - 0.25 * swing,
        "high_value": base + 0.75 * swing, "swing": swing,
    })


def _trials(n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    return pd.DataFrame({"Buy": rng.normal(1e6, 1e5, n), "Cloud": rng.normal(9e5, 2e5, n),
                         "Hybrid": rng.normal(9.5e5, 5e4, n)})


def _labelled_lines(ax) -> list:
    return [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]


# --------------------------------------------------------------------------- TCO charts


def test_cost_by_category_stacks_with_negatives_below_zero():
    table = _by_category()
    fig = charts.cost_by_category(table, currency="EUR", footnote="Source: test")
    ax = fig.axes[0]
    assert isinstance(fig, Figure)
    assert ax.get_title() == "Total cost of ownership by category"
    assert "EUR" in ax.get_ylabel()
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == table.size  # one segment per option and category
    # Segment heights are the table values; the negative residual hangs below zero.
    heights = sorted(round(p.get_height()) for p in bars)
    assert heights == sorted(round(v) for v in table.to_numpy().ravel())
    residual = [p for p in bars if p.get_height() < 0]
    assert residual and all(p.get_y() == 0 for p in residual)
    assert all(p.get_y() + p.get_height() < 0 for p in residual)
    # Positive segments of "On premises" stack to 1.1M; its net total label is 1.01M.
    tops = [p.get_y() + p.get_height() for p in bars if abs(p.get_x() + p.get_width() / 2) < 1e-9]
    assert max(tops) == pytest.approx(1_100_000)
    labels = [t.get_text() for t in ax.texts]
    assert "Net EUR 1M" in labels[0] or labels[0] == "Net EUR 1.01M"
    assert [t.get_text() for t in fig.texts] == ["Source: test"]
    # Hatching differs by category so stacks read in greyscale.
    hatches = {p.get_hatch() for p in bars}
    assert len(hatches) == table.shape[1]
    assert ax.get_legend() is not None


def test_cost_by_category_totals_get_enough_decimals():
    """1.64M and 1.59M both round to 1.6M; labels then use two decimals."""
    table = pd.DataFrame({"a": [1_640_000.0, 1_590_000.0]}, index=["X", "Y"])
    fig = charts.cost_by_category(table, currency="EUR")
    assert [t.get_text() for t in fig.axes[0].texts] == ["EUR 1.64M", "EUR 1.59M"]


def test_cost_by_category_into_given_axes():
    fig, axes = style.figure(ncols=2, figsize=(12, 4))
    out = charts.cost_by_category(_by_category(), currency="USD", ax=axes[1], title="Right")
    assert out is fig
    assert axes[1].get_title() == "Right" and "USD" in axes[1].get_ylabel()
    assert len(axes[0].patches) == 0


@pytest.mark.parametrize(
    ("data", "match"),
    [([1, 2], "^by_category: got list"),
     (pd.DataFrame({"a": ["x", "1"]}), "by_category, row 1, column 'a'"),
     (pd.DataFrame(), "by_category: the table is empty")],
)
def test_cost_by_category_bad_input(data, match):
    with pytest.raises(InputError, match=match):
        charts.cost_by_category(data)


def test_cost_by_category_does_not_modify_input():
    table = _by_category()
    copy = table.copy()
    charts.cost_by_category(table)
    pd.testing.assert_frame_equal(table, copy)


def test_cumulative_cost_break_even_hand_computed():
    """On premises 500 + 100 t and Cloud 300 t cross at t = 2.5, cost 750 (hand computation);
    the marker sits there and the note reads "Cloud vs On premises: break-even year 2.5"."""
    cum = _cumulative()
    be = pd.DataFrame({"option": ["Cloud", "Cloud"], "other": ["On premises", "On premises"],
                       "break_even_year": [2.5, np.nan]})
    fig = charts.cumulative_cost(cum, currency="EUR", break_evens=be)
    ax = fig.axes[0]
    lines = _labelled_lines(ax)
    assert [ln.get_label() for ln in lines] == ["On premises", "Cloud"]
    assert len({str(ln.get_linestyle()) for ln in lines}) == 2
    assert len({ln.get_marker() for ln in lines}) == 2
    markers = [ln for ln in ax.get_lines() if ln.get_label() == "_break-even"]
    assert len(markers) == 1  # the NaN row draws nothing
    x, y = markers[0].get_data()
    assert x[0] == 2.5 and y[0] == pytest.approx(750.0)
    assert y[0] == pytest.approx(np.interp(2.5, cum.index, cum["Cloud"]))
    assert [t.get_text() for t in ax.texts] == ["1", "1  Cloud vs On premises: break-even year 2.5"]
    assert "EUR" in ax.get_ylabel() and "Year" in ax.get_xlabel()
    assert ax.get_title() == "Cumulative cost over time"


def test_cumulative_cost_marks_each_crossing_once():
    """btm.tco.break_even_table lists ordered pairs, so each crossing twice (A-B and B-A);
    the chart marks it once."""
    cum = _cumulative()
    be = pd.DataFrame({"option": ["Cloud", "On premises"], "other": ["On premises", "Cloud"],
                       "break_even_year": [2.5, 2.5]})
    ax = charts.cumulative_cost(cum, currency="EUR", break_evens=be).axes[0]
    assert len([ln for ln in ax.get_lines() if ln.get_label() == "_break-even"]) == 1
    assert [t.get_text() for t in ax.texts] == ["1", "1  Cloud vs On premises: break-even year 2.5"]
    plt.close(ax.figure)


@pytest.mark.parametrize(
    ("be", "match"),
    [(pd.DataFrame({"option": ["Nope"], "other": ["Cloud"], "break_even_year": [1.0]}),
      "break_evens, row 1, column 'option'"),
     (pd.DataFrame({"option": ["Cloud"], "other": ["Cloud"], "break_even_year": [9.0]}),
      "break_evens, row 1, column 'break_even_year'"),
     (pd.DataFrame({"option": ["Cloud"], "other": ["Cloud"]}),
      "break_evens: missing column.*'break_even_year'")],
)
def test_cumulative_cost_bad_break_evens(be, match):
    with pytest.raises(InputError, match=match):
        charts.cumulative_cost(_cumulative(), break_evens=be)


def test_cumulative_cost_bad_years():
    cum = _cumulative().iloc[::-1]
    with pytest.raises(InputError, match="cumulative, index"):
        charts.cumulative_cost(cum)


def test_tornado_bars_biggest_on_top_and_limited():
    table = _tornado_table(15).sample(frac=1.0, random_state=1)  # shuffled order
    fig = charts.tornado(table, currency="EUR", max_bars=12)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 2 * 12
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Cloud: item 0"  # the largest swing
    positions = dict(zip(labels, ax.get_yticks(), strict=True))
    assert positions["Cloud: item 0"] == max(positions.values())
    # Each bar spans base -> low and base -> high.
    ordered = _tornado_table(15)
    low_bar, high_bar = bars[0], bars[12]
    assert low_bar.get_x() + low_bar.get_width() == pytest.approx(ordered["low_value"][0])
    assert high_bar.get_x() + high_bar.get_width() == pytest.approx(ordered["high_value"][0])
    assert low_bar.get_hatch() != high_bar.get_hatch()
    assert "EUR" in ax.get_xlabel()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["low estimate", "high estimate", "base case"]


def test_tornado_bad_input():
    with pytest.raises(InputError, match="tornado_table: missing column.*'swing'"):
        charts.tornado(_tornado_table().drop(columns="swing"))
    with pytest.raises(InputError, match="^max_bars: "):
        charts.tornado(_tornado_table(), max_bars=0)
    with pytest.raises(InputError, match="^base_value: "):
        charts.tornado(_tornado_table(), base_value="x")


def test_s_curves_match_scipy_ecdf():
    trials = _trials()
    fig = charts.s_curves(trials, currency="EUR")
    ax = fig.axes[0]
    lines = _labelled_lines(ax)
    assert [ln.get_label() for ln in lines] == list(trials.columns)
    assert len({str(ln.get_linestyle()) for ln in lines}) == 3
    for ln, option in zip(lines, trials.columns, strict=True):
        x, y = ln.get_data()
        expected = stats.ecdf(trials[option].to_numpy()).cdf.evaluate(x)
        np.testing.assert_allclose(y, expected)
    guides = sorted(ln.get_ydata()[0] for ln in ax.get_lines()
                    if ln.get_label() in ("_P10", "_P50", "_P90"))
    assert guides == [0.1, 0.5, 0.9]
    assert "%" in ax.get_ylabel() and "EUR" in ax.get_xlabel()
    assert ax.get_ylim() == (0.0, 1.0)


def test_s_curves_thins_large_simulations():
    trials = _trials(20_000)
    fig = charts.s_curves(trials, currency="EUR")
    ln = _labelled_lines(fig.axes[0])[0]
    x, y = ln.get_data()
    assert len(x) <= 1000 and y[-1] == 1.0
    np.testing.assert_allclose(y, stats.ecdf(trials["Buy"].to_numpy()).cdf.evaluate(x))


def test_s_curves_bad_input():
    with pytest.raises(InputError, match="trials, row 2, column 'Buy'"):
        charts.s_curves(pd.DataFrame({"Buy": [1.0, np.nan]}))




# --------------------------------------------------------------------------- every chart


def _all_charts():
    return {
        "cost_by_category": lambda **kw: charts.cost_by_category(_by_category(), **kw),
        "cumulative_cost": lambda **kw: charts.cumulative_cost(_cumulative(), **kw),
        "tornado": lambda **kw: charts.tornado(_tornado_table(), **kw),
        "s_curves": lambda **kw: charts.s_curves(_trials(), **kw),
    }


def test_every_chart_is_tested_here():
    assert set(_all_charts()) == set(charts.__all__)


@pytest.mark.parametrize("name", list(_all_charts()))
def test_every_chart_titled_labelled_footnoted_and_into_ax(name):
    check_chart(_all_charts()[name])


# --------------------------------------------------------------------------- break-even messages


def _cumulative_by_hand(costs: pd.DataFrame, horizon: int) -> dict[str, np.ndarray]:
    """Undiscounted cumulative cost per option, line by line in plain Python (no btm code)."""
    from test_tco import _independent_flows

    return {o: np.cumsum(f) for o, f in _independent_flows(costs, horizon).items()}


def _break_even_messages(costs: pd.DataFrame, horizon: int, rate: float) -> list[str]:
    result = tco.compare(costs, horizon_years=horizon, discount_rate=rate)
    out = messages.tco_key_messages(result, break_evens=tco.break_even_table(result))
    return [m for m in out if " until year " in m]


def test_break_even_message_names_the_option_cheaper_just_before_the_crossing():
    """The option said to cost less "until year t" is the cheaper one on the interval that ends
    at the break-even t (the last crossing), not the cheaper one in year 0.

    1. A: 10 in year 0, 100 in year 1; B: 30 a year. Cumulative A 10, 110, 110, 110, 110 and
       B 30, 60, 90, 120, 150 (by hand): A - B = -20, 50, 20, -10, -40. The last crossing is
       2 + 20/30 = 2.67, and A costs more on the interval that ends there; the message said
       "A costs less than B until year 2.7", judged from year 0 alone.
    2. The usual order: Buy 100 now, Rent 30 a year. Rent (30, 60, 90, 120) is cheaper than Buy
       (100) until 100/30 - 1 = 2.33 and dearer after, whatever the order of the rows.
    3. The sample file's sentences are unchanged, and right: the option said to cost less is
       cheaper (cumulative, undiscounted, summed by hand) at the end of the whole year before
       the break-even and dearer at the horizon.
    """
    costs = pd.DataFrame({"option": ["A", "A", "B"], "item": ["x", "y", "z"],
                          "category": ["c"] * 3, "amount": [10, 100, 30],
                          "start_year": [0, 1, 0], "end_year": [0, 1, 4]})
    cum = _cumulative_by_hand(costs, 4)
    np.testing.assert_allclose(cum["A"], [10, 110, 110, 110, 110])
    np.testing.assert_allclose(cum["B"], [30, 60, 90, 120, 150])
    assert cum["A"][2] > cum["B"][2] and cum["A"][4] < cum["B"][4]
    assert _break_even_messages(costs, 4, 0.0) == [
        "B costs less than A until year 2.7 and more after (cumulative cost, undiscounted)."]

    usual = pd.DataFrame({"option": ["Buy", "Rent"], "item": ["kit", "fee"],
                          "category": ["hardware", "subscription"], "amount": [100, 30],
                          "start_year": [0, 0], "end_year": [0, 4]})
    expected = ["Rent costs less than Buy until year 2.3 and more after (cumulative cost, "
                "undiscounted)."]
    assert _break_even_messages(usual, 4, 0.0) == expected
    assert _break_even_messages(usual.iloc[::-1], 4, 0.0) == expected

    sample = pd.read_csv(DATA)
    found = _break_even_messages(sample, 7, 0.08)
    assert found == [
        "Hybrid costs less than On-premises until year 6.7 and more after (cumulative cost, "
        "undiscounted).",
        "SaaS costs less than Hybrid until year 4.7 and more after (cumulative cost, "
        "undiscounted).",
    ]
    cum = _cumulative_by_hand(sample, 7)
    for sentence in found:
        early, rest = sentence.split(" costs less than ")
        late, rest = rest.split(" until year ")
        year = float(rest.split(" ")[0])
        assert cum[early][int(year)] < cum[late][int(year)]
        assert cum[early][7] > cum[late][7]


# --------------------------------------------------------------------------- names with $


DOLLAR_OPTIONS = ["SaaS ($110/user, 5% uplift, $20k setup)", "SaaS $ plan $"]


def _drawn_as_typed(text_artist, shown: str) -> None:
    """The artist holds `shown` escaped and matplotlib draws exactly `shown`, not mathtext.
    `shown` is a name as typed, or a long one as the figure shows it (wrapped and cut)."""
    assert text_artist.get_text() == style.plain_text(shown)
    assert text_artist._preprocess_math(text_artist.get_text()) == (shown, False)


def _renders(fig) -> None:
    fig.canvas.draw()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    assert buffer.getvalue()[:4] == b"\x89PNG"


def test_cost_by_category_draws_names_with_dollars_as_typed():
    table = pd.DataFrame({"licence $x$": [100.0, 50.0], "run $ cost $": [20.0, 90.0]},
                         index=DOLLAR_OPTIONS)
    fig = charts.cost_by_category(table)
    ax = fig.axes[0]
    # The 40-character name on three lines of at most 14 characters, the rest cut.
    shown = ["SaaS\n($110/user, 5%\nuplift, $20k…", DOLLAR_OPTIONS[1]]
    for tick, name in zip(ax.get_xticklabels(), shown, strict=True):
        _drawn_as_typed(tick, name)
    legend = ax.get_legend().get_texts()  # top segment first
    for text, name in zip(legend, ["run $ cost $", "licence $x$"], strict=True):
        _drawn_as_typed(text, name)
    _renders(fig)


def test_cumulative_cost_draws_names_with_dollars_as_typed():
    a, b = DOLLAR_OPTIONS
    cum = pd.DataFrame({a: [500.0, 600, 700], b: [0.0, 300, 600]}, index=[0, 1, 2])
    be = pd.DataFrame({"option": [a], "other": [b], "break_even_year": [2.0]})
    fig = charts.cumulative_cost(cum, break_evens=be)
    ax = fig.axes[0]
    # In the legend on two lines of at most 26 characters; in the list on one of 30.
    shown = ["SaaS ($110/user, 5%\nuplift, $20k setup)", b]
    for text, name in zip(ax.get_legend().get_texts(), shown, strict=True):
        _drawn_as_typed(text, name)
    assert [ln.get_label() for ln in _labelled_lines(ax)] == [style.plain_text(a),
                                                            style.plain_text(b)]
    _drawn_as_typed(ax.texts[1], f"1  SaaS ($110/user, 5% uplift… vs {b}: break-even year 2.0")
    _renders(fig)


def test_tornado_draws_names_with_dollars_as_typed():
    """'SaaS $ plan $' was drawn as 'SaaS plan' with plan in italics; a $ in the option and
    one in the item made a pair across the 'option: item' label."""
    table = _tornado_table(3).assign(option=[DOLLAR_OPTIONS[0], DOLLAR_OPTIONS[1], "Cloud $"],
                                     item=["egress", "users", "$ fees"])
    fig = charts.tornado(table)
    names = [f"{DOLLAR_OPTIONS[0]}: egress", f"{DOLLAR_OPTIONS[1]}: users", "Cloud $: $ fees"]
    for tick, name in zip(fig.axes[0].get_yticklabels(), names, strict=True):
        _drawn_as_typed(tick, name)
    _renders(fig)


def test_s_curves_draw_names_with_dollars_as_typed():
    trials = _trials(200).iloc[:, :2].set_axis(DOLLAR_OPTIONS, axis=1)
    fig = charts.s_curves(trials)
    shown = ["SaaS ($110/user, 5%\nuplift, $20k setup)", DOLLAR_OPTIONS[1]]  # lines of <= 26
    for text, name in zip(fig.axes[0].get_legend().get_texts(), shown, strict=True):
        _drawn_as_typed(text, name)
    _renders(fig)


def test_the_notebooks_path_with_dollar_names_runs_to_the_end():
    """As the notebook does it: compare, tornado, simulate and every chart on the sample file
    with $ in option, item and category names. A chart used to raise a mathtext ParseException
    (a ValueError), so `btm run tco_comparison` failed with a traceback's message."""
    costs = pd.read_csv(DATA)
    costs["option"] = costs["option"].replace({"SaaS": DOLLAR_OPTIONS[0],
                                               "Hybrid": DOLLAR_OPTIONS[1]})
    costs["item"] = costs["item"].replace({"ERP subscription": "ERP $ subscription $"})
    costs["category"] = costs["category"].replace({"licence": "licence $k$"})
    kw = {"horizon_years": 7, "discount_rate": 0.08}
    result = tco.compare(costs, **kw)
    assert list(result.summary.index) == ["On-premises", *DOLLAR_OPTIONS]
    sensitivity = tco.tornado(costs, **kw)
    trials = tco.simulate_trials(costs, n=500, seed=1, **kw)
    figures = [
        charts.cost_by_category(tco.cost_by_category(result), footnote="7-year horizon"),
        charts.cumulative_cost(tco.cumulative_cost(result),
                               break_evens=tco.break_even_table(result)),
        charts.tornado(sensitivity),
        charts.s_curves(trials),
    ]
    for fig in figures:
        _renders(fig)
    drawn = {t.get_text() for fig in figures for ax in fig.axes
             for t in [*ax.get_xticklabels(), *ax.get_yticklabels(), *ax.texts,
                       *(ax.get_legend().get_texts() if ax.get_legend() else [])]}
    assert style.plain_text(DOLLAR_OPTIONS[1]) in drawn
    assert style.plain_text("licence $k$") in drawn
    # The tornado's row label is longer than 48 characters: option and item on a line each.
    assert style.plain_text(f"{DOLLAR_OPTIONS[0]}:\nERP $ subscription $") in drawn
    out = messages.tco_key_messages(result, break_evens=tco.break_even_table(result),
                                    tornado=sensitivity)
    assert any(DOLLAR_OPTIONS[1] in m for m in out)


def test_messages_write_each_figure_as_its_card_does():
    """A reviewer's board pack page: "57.6% Chance Hybrid is cheapest" on the card beside
    "cheapest in 58%" in the message. The message now quotes the card's text."""
    costs = tco.validate_costs(pd.read_csv(DATA), source="costs.csv")
    result = tco.compare(costs, horizon_years=7, discount_rate=0.08)
    sim = tco.simulate(costs, horizon_years=7, discount_rate=0.08, n=2000, seed=7)
    numbers = messages.tco_key_numbers(result, simulation=sim)
    text = " ".join(messages.tco_key_messages(result, simulation=sim, n_simulations=2000))
    cards = check_cards_quoted(numbers, text, ("prob_cheapest", "cheapest_present_value"))
    best = result.summary.sort_values("present_value").index[0]
    p = float(sim.loc[best, "prob_cheapest"])
    assert cards["prob_cheapest"] == f"{100 * p:.3g}%"
    assert f"{best} is cheapest in {cards['prob_cheapest']}" in text
    assert cards["cheapest_present_value"] in text


# --------------------------------------------------------------------------- unusual option names

#: Names a user may give options: a leading "_" (matplotlib leaves such labels out of a legend
#: it collects itself), 50 to 70 characters, "$", non-ASCII.
UNDERSCORE_NAMES = {"On-premises": "_legacy", "SaaS": "_Option A", "Hybrid": "Übergang/Été"}
LONG_NAMES = {  # in the order of the sample file
    "On-premises": "_legacy on-premises estate kept running as it is today",
    "SaaS": "Übergang/Été: SaaS suite ($123/user/month, $20k setup)",
    "Hybrid": "Hybrid: on-premises core with SaaS front office and managed backups",
}
LONG_CATEGORIES = {"implementation": "implementation, configuration and data migration projects",
                   "exit": "_exit"}


def _sample_figures(options: dict[str, str], categories: dict[str, str] | None = None):
    """Every chart as the notebook draws it, on the sample file with options renamed."""
    costs = pd.read_csv(DATA)
    costs["option"] = costs["option"].replace(options)
    costs["category"] = costs["category"].replace(categories or {})
    kw = {"horizon_years": 7, "discount_rate": 0.08}
    result = tco.compare(costs, **kw)
    note = "7-year horizon, discount rate 8.0%, amounts in EUR; source: costs.csv."
    return {
        "cost_by_category": charts.cost_by_category(
            tco.cost_by_category(result, discounted=True), footnote=note),
        "cumulative_cost": charts.cumulative_cost(
            tco.cumulative_cost(result), break_evens=tco.break_even_table(result), footnote=note),
        "tornado": charts.tornado(tco.tornado(costs, **kw), footnote=note),
        "s_curves": charts.s_curves(tco.simulate_trials(costs, n=500, seed=1, **kw),
                                    footnote=note),
    }


def test_legends_list_every_option_even_one_starting_with_underscore():
    """A reviewer: an option named "_legacy" or "_Option A" vanished from the legend of the
    cumulative cost and S-curve charts (matplotlib hides labels starting with "_" when it
    collects the legend's handles itself). Every option is listed, in the table's order, and
    an underscore category in the cost-by-category legend too."""
    figures = _sample_figures(UNDERSCORE_NAMES, {"exit": "_exit"})
    options = ["_legacy", "_Option A", "Übergang/Été"]
    for name in ("cumulative_cost", "s_curves"):
        assert legend_texts(figures[name]) == options, name
        ax = figures[name].axes[0]
        assert len(ax.get_legend().legend_handles) == 3
    assert "_exit" in legend_texts(figures["cost_by_category"])
    ticks = [t.get_text() for t in figures["cost_by_category"].axes[0].get_xticklabels()]
    assert ticks == options
    rows = {t.get_text().split(": ")[0] for t in figures["tornado"].axes[0].get_yticklabels()}
    assert rows == set(options)
    # The hand-made tables too: a single option named "_legacy" still gets its legend.
    cum = _cumulative().rename(columns={"Cloud": "_legacy"})
    assert legend_texts(charts.cumulative_cost(cum)) == ["On premises", "_legacy"]
    trials = _trials().rename(columns={"Buy": "_legacy", "Hybrid": "_"})
    assert legend_texts(charts.s_curves(trials)) == ["_legacy", "Cloud", "_"]


@pytest.mark.parametrize("name", list(_all_charts()))
def test_no_text_overlaps_with_long_names(name):
    """A reviewer: with options of 50 to 70 characters the break-even list ran across the
    lines and the legend, the legend squeezed the plot to a sliver, bar labels and totals ran
    into each other, and the tornado's value labels into its row labels. Long names are now
    wrapped and cut (the tables keep them whole); no drawn text overlaps another or a legend.
    Also on the sample file and with underscore and non-ASCII names."""
    for options, categories in ((LONG_NAMES, LONG_CATEGORIES), ({}, {}), (UNDERSCORE_NAMES, {})):
        fig = _sample_figures(options, categories)[name]
        assert overlaps(fig) == [], (name, options)
        ax = fig.axes[0]
        assert ax.get_title() and "EUR" in (ax.get_xlabel() + ax.get_ylabel())


def test_long_names_are_wrapped_and_cut_but_stay_readable():
    """What the board sees of the long names: the start of each name, on at most a few short
    lines, cut with "…"; the break-even list one line per crossing; "$" drawn as typed."""
    figures = _sample_figures(LONG_NAMES)
    legend = legend_texts(figures["cumulative_cost"])
    assert legend == legend_texts(figures["s_curves"])
    for text, name in zip(legend, LONG_NAMES.values(), strict=True):
        lines = text.replace("\\$", "$").split("\n")
        assert len(lines) <= 2 and all(len(line) <= 26 for line in lines)
        assert text.endswith("…") and name.startswith(lines[0])
    assert legend[1] == "Übergang/Été: SaaS suite\n(\\$123/user/month, \\$20k…"
    listed = [t for t in figures["cumulative_cost"].axes[0].texts
              if "break-even year" in t.get_text()]
    assert len(listed) == 3 and all("\n" not in t.get_text() for t in listed)
    assert listed[0].get_text() == ("1  Übergang/Été: SaaS suite… vs Hybrid: on-premises core…: "
                                    "break-even year 4.7")
    for t in listed:
        _drawn_as_typed(t, t.get_text().replace("\\$", "$"))
    ticks = figures["cost_by_category"].axes[0].get_xticklabels()
    assert all(len(t.get_text().split("\n")) <= 3 for t in ticks)
    assert ticks[0].get_text() == "_legacy on-\npremises\nestate kept…"
    rows = [t.get_text() for t in figures["tornado"].axes[0].get_yticklabels()]
    assert rows[0] == "Übergang/Été: SaaS suite…:\nERP subscription"


# --------------------------------------------------------------------------- inputs a user will try


def _edge(rows, horizon=3, rate=0.08, n=200):
    """What the notebook computes, on a small cost table (rows: option, item, amount, start,
    end[, low, high])."""
    cols = ["option", "item", "amount", "start_year", "end_year", "low", "high"][:len(rows[0])]
    costs = pd.DataFrame(rows, columns=cols).assign(category="hardware")
    kw = {"horizon_years": horizon, "discount_rate": rate}
    result = tco.compare(costs, **kw)
    sensitivity = tco.tornado(costs, **kw)
    sim = tco.simulate(costs, n=n, seed=1, **kw)
    out = messages.tco_key_messages(result, simulation=sim, tornado=sensitivity,
                                    break_evens=tco.break_even_table(result), n_simulations=n)
    return result, sensitivity, out


def test_no_low_or_high_column_draws_a_note_and_says_nothing_varies():
    """A reviewer's file without low/high (both optional) failed with 'tornado_table: the
    table is empty' and said 'not a safe margin ... narrow the biggest estimate ranges'."""
    result, sensitivity, out = _edge([("A", "kit", 100.0, 0, 0), ("B", "kit", 50.0, 0, 2)])
    assert len(sensitivity) == 0
    fig = charts.tornado(sensitivity, footnote="3-year horizon")
    assert [t.get_text() for t in fig.axes[0].texts] == [charts.NO_RANGES]
    _renders(fig)
    text = " ".join(out)
    assert "nothing uncertain to vary" in text and "all 200 simulations" in text
    assert "safe margin" not in text and "narrow" not in text and "moves the answer most" not in text


def test_a_single_option_runs_and_its_words_are_true():
    """One option failed with 'break_evens: the table is empty' in the cumulative chart."""
    result, _, out = _edge([("A", "kit", 100.0, 0, 0, 90.0, 130.0), ("A", "fee", 20.0, 1, 1)],
                           horizon=1)
    break_evens = tco.break_even_table(result)
    fig = charts.cumulative_cost(tco.cumulative_cost(result), break_evens=break_evens)
    assert [t.get_text() for t in fig.axes[0].texts] == []
    _renders(fig)
    assert out[0].startswith("A, the only option, has a present value of cost of EUR")
    assert "over 1 year at 8% a year." in out[0]
    assert out[1].startswith("A is the only option; its present value P10–P90 across "
                             "200 simulations is EUR ")
    text = " ".join(out)
    assert "cheapest" not in text and "less than" not in text
    numbers = messages.tco_key_numbers(result)
    assert numbers["cheapest_present_value"]["label"] == "Present value of A (the only option)"


@pytest.mark.parametrize("amount", [100_000.0, 0.0])
def test_equal_options_tie_rather_than_win(amount):
    """'A has the lowest present value of cost, EUR 100k ...: EUR 0 (0%) less than B'."""
    result, _, out = _edge([("A", "kit", amount, 0, 0), ("B", "kit", amount, 0, 0),
                            ("C", "kit", amount + 10_000, 0, 0)])
    assert out[0] == (f"A and B tie on present value ({style.format_money(amount)} over 3 years "
                      "at 8% a year): EUR 10k" + (" (9.09%)" if amount else " (100%)")
                      + " less than C, the next cheapest.")
    numbers = messages.tco_key_numbers(result)
    assert numbers["cheapest_present_value"]["label"] == "Present value of A and B (tied cheapest)"
    assert numbers["saving_vs_next"]["label"] == "Saving against C (present value)"
    _, _, out = _edge([("A", "kit", amount, 0, 0), ("B", "kit", amount, 0, 0)])
    assert out[0] == (f"A and B tie on present value ({style.format_money(amount)} over 3 years "
                      "at 8% a year).")
    assert "less than" not in " ".join(out)


def test_equal_shares_of_the_simulations_are_a_tie():
    sim = pd.DataFrame({"prob_cheapest": [0.5, 0.5], "p10": [90.0, 90.0], "p90": [110.0, 110.0]},
                       index=pd.Index(["A", "B"], name="option"))
    result, _, _ = _edge([("A", "kit", 100.0, 0, 0), ("B", "kit", 100.0, 0, 0)])
    out = messages.tco_key_messages(result, simulation=sim, n_simulations=200)
    assert out[1].startswith("A and B are each cheapest in 50% of 200 simulations")
    assert "safe margin: B" not in out[1]


def test_one_year_horizon_and_one_simulation_are_singular():
    result, _, out = _edge([("A", "kit", 100.0, 0, 0), ("B", "kit", 50.0, 0, 1)], horizon=1, n=1)
    text = " ".join(out)
    assert "over 1 year at" in text and "1 years" not in text
    assert "1 simulation gives" in text and "1 simulations" not in text


def test_lines_after_the_horizon_are_named_as_left_out():
    """A line starting after the horizon was dropped without a word."""
    _, _, out = _edge([("A", "kit", 100.0, 0, 0), ("A", "late", 100.0, 9, 9),
                       ("B", "kit", 100.0, 0, 3), ("SaaS", "Exit", 5.0, 8, 8)], horizon=7)
    assert out[1] == ("2 cost lines start after the 7-year horizon and are left out: "
                      "A / late and SaaS / Exit.")
    _, _, out = _edge([("A", "kit", 100.0, 0, 0), ("A", "late", 100.0, 9, 9),
                       ("B", "kit", 100.0, 0, 3)], horizon=7)
    assert out[1] == "1 cost line starts after the 7-year horizon and is left out: A / late."
