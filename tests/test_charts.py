"""Tests of btm.charts: house style, money formatting, saving, and one test group per chart.

Independent sources used as oracles:

* WCAG 2.1 relative luminance and contrast ratio, W3C Recommendation,
  https://www.w3.org/TR/WCAG21/#dfn-relative-luminance and #dfn-contrast-ratio
  (re-implemented here from the formula, not imported from btm).
* Pillow's ``Image.convert("L")`` greyscale conversion (ITU-R 601-2 luma,
  ``L = R * 299/1000 + G * 587/1000 + B * 114/1000``, Pillow docs ``Image.convert``): what a
  greyscale printer or photocopy does to a colour.
* Okabe & Ito (2008), "Color Universal Design (CUD): how to make figures and presentations that
  are friendly to colorblind people", https://jfly.uni-koeln.de/color/ : the published hex codes.
* ``scipy.stats.ecdf`` for the empirical CDF drawn by ``s_curves``.
* ``numpy.interp`` / hand computation for break-even points, Pillow for PNG resolution, the
  standard library XML parser for SVG validity.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image
from scipy import stats

from btm import InputError, charts

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


# --------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        (1_234_567, "EUR", "EUR 1.2M"),  # the brief's own examples
        (350_000, "EUR", "EUR 350k"),
        (950, "EUR", "EUR 950"),
        (-40_000, "EUR", "-EUR 40k"),
        (0, "EUR", "EUR 0"),
        (-0.0, "EUR", "EUR 0"),  # no "-EUR 0"
        (-0.04, "EUR", "EUR 0"),  # rounds to zero: no sign
        (1_250_000, "EUR", "EUR 1.3M"),  # half up, as in commercial rounding (not half even)
        (999_960, "EUR", "EUR 1M"),  # rounding carries into the next unit, never "1000k"
        (999.6, "USD", "USD 1k"),
        (12_500, "GBP", "GBP 12.5k"),
        (2_500_000_000, "USD", "USD 2.5bn"),
        (3.75, "EUR", "EUR 3.8"),
        (1_000_000, None, "1M"),
    ],
)
def test_format_money_brief_examples(value, currency, expected):
    """Examples from the charts brief (``EUR 1.2M``, ``EUR 350k``, ``EUR 950``, ``-EUR 40k``)."""
    assert charts.format_money(value, currency) == expected


def test_format_money_decimals():
    assert charts.format_money(1_234_567, "EUR", decimals=2) == "EUR 1.23M"
    assert charts.format_money(1_234_567, "EUR", decimals=0) == "EUR 1M"


_UNIT = {"": 1.0, "k": 1e3, "M": 1e6, "bn": 1e9}


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-5e11, max_value=5e11, allow_nan=False, allow_infinity=False),
       st.integers(min_value=0, max_value=3))
def test_format_money_round_trip_property(value, decimals):
    """Reading the label back gives the amount to within half a unit of its last digit."""
    text = charts.format_money(value, "EUR", decimals=decimals)
    match = re.fullmatch(r"(-?)EUR (\d+(?:\.\d+)?)(k|M|bn)?", text)
    assert match, text
    sign = -1.0 if match.group(1) else 1.0
    number, suffix = match.group(2), match.group(3) or ""
    shown = sign * float(number) * _UNIT[suffix]
    places = len(number.split(".")[1]) if "." in number else 0
    assert places <= decimals
    tolerance = 0.5 * 10.0 ** (-decimals) * _UNIT[suffix] * (1 + 1e-9)
    assert abs(shown - value) <= tolerance
    # Scaled amounts stay below 1000 of their unit (except beyond the largest unit).
    assert float(number) < 1000 or suffix == "bn"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "12", None, True])
def test_format_money_bad_value(bad):
    with pytest.raises(InputError, match="^value: "):
        charts.format_money(bad, "EUR")


@pytest.mark.parametrize(("kwargs", "where"), [({"currency": 12}, "currency"),
                                                ({"currency": "EURO DOLLAR"}, "currency"),
                                                ({"decimals": 5}, "decimals")])
def test_format_money_bad_parameters(kwargs, where):
    args = {"currency": "EUR", **kwargs}
    with pytest.raises(InputError, match=f"^{where}: "):
        charts.format_money(1.0, **args)


def test_money_formatter_ticks_are_exact_and_distinct():
    fmt = charts.money_formatter("EUR")
    assert isinstance(fmt, matplotlib.ticker.FuncFormatter)
    ticks = [0, 250_000, 500_000, 750_000, 1_000_000, 1_250_000, 1_500_000]
    labels = [fmt(v) for v in ticks]
    assert labels == ["EUR 0", "EUR 250k", "EUR 500k", "EUR 750k", "EUR 1M", "EUR 1.25M",
                      "EUR 1.5M"]
    assert fmt(-40_000) == "-EUR 40k"
    assert charts.money_formatter(None)(1500) == "1.5k"


# --------------------------------------------------------------------------- house style


def _wcag_luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance (W3C, https://www.w3.org/TR/WCAG21/#dfn-relative-luminance)."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: float, b: float) -> float:
    """WCAG 2.1 contrast ratio (L1 + 0.05) / (L2 + 0.05), L1 the lighter."""
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
             "#CC79A7"}


def test_wcag_luminance_reference_values():
    """The formula gives the W3C end points: black 0, white 1, contrast 21:1."""
    assert _wcag_luminance("#000000") == 0.0
    assert _wcag_luminance("#FFFFFF") == pytest.approx(1.0)
    assert _contrast(0.0, 1.0) == pytest.approx(21.0)


def test_palette_is_okabe_ito_ordered_by_wcag_luminance_and_apart():
    """Palette colours are Okabe-Ito's, dark to light, each pair at least 1.3:1 apart (WCAG)."""
    assert len(charts.PALETTE) >= 4
    assert {c.upper() for c in charts.PALETTE} <= OKABE_ITO
    lum = [_wcag_luminance(c) for c in charts.PALETTE]
    assert lum == sorted(lum)
    for a, b in itertools.combinations(lum, 2):
        assert _contrast(a, b) >= 1.3


def test_palette_distinct_when_printed_in_greyscale():
    """Pillow's ITU-R 601 greyscale conversion keeps every pair of palette colours >= 30/255
    apart, so bars and lines stay distinguishable on a black-and-white printout."""
    greys = [Image.new("RGB", (1, 1), c).convert("L").getpixel((0, 0)) for c in charts.PALETTE]
    for a, b in itertools.combinations(greys, 2):
        assert abs(a - b) >= 30, (greys, a, b)


def test_hatches_linestyles_markers_are_distinct():
    assert len(set(charts.HATCHES)) == len(charts.HATCHES) >= len(charts.PALETTE)
    assert len({str(s) for s in charts.LINESTYLES}) == len(charts.LINESTYLES) >= 4
    assert len(set(charts.MARKERS)) == len(charts.MARKERS) >= 4


def test_house_style_is_temporary():
    before = matplotlib.rcParams["axes.spines.top"]
    with charts.house_style():
        for key, value in charts.HOUSE_RC.items():
            assert matplotlib.rcParams[key] == matplotlib.rcParams.validate[key](value)
    assert matplotlib.rcParams["axes.spines.top"] == before


def test_house_style_restored_after_error():
    before = dict(matplotlib.rcParams)
    with pytest.raises(RuntimeError), charts.house_style():
        raise RuntimeError("boom")
    assert dict(matplotlib.rcParams) == before


def test_figure_helper():
    fig, ax = charts.figure()
    assert isinstance(fig, Figure)
    assert fig.get_size_inches().tolist() == [8.0, 4.5]
    assert not ax.spines["top"].get_visible()  # house style applied at creation
    fig2, axes = charts.figure(nrows=2, ncols=2, figsize=(10, 6))
    assert axes.shape == (2, 2)
    with pytest.raises(InputError, match="^nrows: "):
        charts.figure(nrows=0)
    with pytest.raises(InputError, match="^figsize: "):
        charts.figure(figsize=(0, 3))


# --------------------------------------------------------------------------- footnote, save


def test_add_footnote_bottom_left_and_replaced():
    fig, ax = charts.figure()
    note = charts.add_footnote(fig, "Source: test")
    x, y = note.get_position()
    assert x < 0.05 and y < 0.05
    assert note.get_horizontalalignment() == "left"
    charts.add_footnote(fig, "Source: second")
    texts = [t.get_text() for t in fig.texts]
    assert texts == ["Source: second"]
    # The note lies below the axes once laid out (no overlap with tick labels).
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    assert fig.texts[0].get_window_extent(renderer).y1 < ax.get_tightbbox(renderer).y0
    with pytest.raises(InputError, match="^footnote: "):
        charts.add_footnote(fig, "   ")


def test_save_figure_png_dpi_and_valid_svg(tmp_path):
    fig = charts.cost_by_category(_by_category(), currency="EUR", footnote="Source: test")
    paths = charts.save_figure(fig, tmp_path / "run" / "figures", "tco_by_category")
    assert [p.name for p in paths] == ["tco_by_category.png", "tco_by_category.svg"]
    with Image.open(paths[0]) as img:
        assert img.format == "PNG"
        dpi = img.info["dpi"]
        assert dpi[0] == pytest.approx(200, abs=1) and dpi[0] >= 150
        # At 200 dpi the image is about 200 px per inch of figure width (tight cropping trims
        # a little white space, outside legends can add some).
        assert img.size[0] >= 0.8 * 200 * fig.get_size_inches()[0]
    root = ET.parse(paths[1]).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    # Saving again overwrites in place and gives the same SVG: no date stamp, and ids fixed by
    # the hash salt (clip-path ids use object ids in matplotlib, so they are masked here).
    def normalised(path):
        return re.sub(rb"#?p[0-9a-f]{10}\b", b"clip", path.read_bytes())

    assert b"<dc:date>" not in paths[1].read_bytes()
    again = tmp_path / "again"
    first = normalised(charts.save_figure(fig, again, "chart", formats=("svg",))[0])
    second = normalised(charts.save_figure(fig, again, "chart", formats=("svg",))[0])
    assert first == second


def test_save_figure_pdf(tmp_path):
    fig, _ = charts.figure()
    (path,) = charts.save_figure(fig, tmp_path, "chart", formats=["pdf"], dpi=150)
    assert path.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("kwargs", "where"),
    [({"name": "../escape"}, "name"), ({"name": "chart.png"}, "name"), ({"name": ""}, "name"),
     ({"name": "a b"}, "name"), ({"dpi": 72}, "dpi"), ({"formats": ("jpg",)}, "formats"),
     ({"formats": ()}, "formats")],
)
def test_save_figure_bad_input(tmp_path, kwargs, where):
    fig, _ = charts.figure()
    args = {"name": "chart", **kwargs}
    with pytest.raises(InputError, match=f"^{where}: "):
        charts.save_figure(fig, tmp_path, **args)
    assert not any(tmp_path.iterdir())


def test_save_figure_directory_is_a_file(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    fig, _ = charts.figure()
    with pytest.raises(InputError, match="^directory: "):
        charts.save_figure(fig, target, "chart")


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
    fig, axes = charts.figure(ncols=2, figsize=(12, 4))
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
    fig = charts.accuracy_by_class(acc, ax=charts.figure()[1])
    assert len(fig.axes[0].patches) == 6
    with pytest.raises(InputError, match="accuracy: missing column.*'rmse'"):
        charts.accuracy_by_class(acc, metric="rmse")


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


def test_bar_summary_negative_bars_distinct_in_greyscale():
    values = pd.Series({"smooth": 120_000.0, "erratic": 45_000.0, "lumpy": -8_000.0})
    fig = charts.bar_summary(values, currency="EUR", title="Value freed")
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 3
    neg = [p for p in bars if p.get_width() < 0]
    pos = [p for p in bars if p.get_width() > 0]
    assert len(neg) == 1 and neg[0].get_hatch() and not pos[0].get_hatch()
    grey = [round(255 * np.dot(p.get_facecolor()[:3], [0.299, 0.587, 0.114])) for p in (neg[0],
                                                                                       pos[0])]
    assert abs(grey[0] - grey[1]) >= 30
    assert [t.get_text() for t in ax.texts] == ["EUR 120k", "EUR 45k", "-EUR 8k"]
    assert ax.get_xlabel() == "Value (EUR)" and ax.get_title() == "Value freed"
    fig2 = charts.bar_summary(values, title="Units", xlabel="Units freed")
    assert fig2.axes[0].get_xlabel() == "Units freed"
    with pytest.raises(InputError, match="^values: "):
        charts.bar_summary([1, 2], title="x")


# --------------------------------------------------------------------------- every chart


def _all_charts():
    hist, fc = _history_forecast()
    return {
        "cost_by_category": lambda **kw: charts.cost_by_category(_by_category(), **kw),
        "cumulative_cost": lambda **kw: charts.cumulative_cost(_cumulative(), **kw),
        "tornado": lambda **kw: charts.tornado(_tornado_table(), **kw),
        "s_curves": lambda **kw: charts.s_curves(_trials(), **kw),
        "forecast_fan": lambda **kw: charts.forecast_fan(hist, fc, unique_id="A", **kw),
        "accuracy_by_class": lambda **kw: charts.accuracy_by_class(_accuracy(), **kw),
        "inventory_replay": lambda **kw: charts.inventory_replay(_replay(), **kw),
        "service_inventory_curve": lambda **kw: charts.service_inventory_curve(_curve(), **kw),
        "bar_summary": lambda **kw: charts.bar_summary(
            pd.Series({"a": 1.0, "b": -2.0}).rename_axis("demand class"),
            **{"title": "Summary", **kw}),
    }


@pytest.mark.parametrize("name", list(_all_charts()))
def test_every_chart_titled_labelled_footnoted_and_into_ax(name):
    draw = _all_charts()[name]
    fig = draw(footnote="Source: unit test")
    ax = fig.axes[0]
    assert isinstance(fig, Figure)
    assert ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()  # horizontal bars: the y label names the rows
    assert [t.get_text() for t in fig.texts] == ["Source: unit test"]
    FigureCanvasAgg(fig).draw()  # renders without error under Agg
    fig2, target = charts.figure()
    assert draw(ax=target, title="Custom") is fig2
    assert target.get_title() == "Custom"
    with pytest.raises(InputError, match="^ax: "):
        draw(ax="not an axes")
    with pytest.raises(InputError, match="^footnote: "):
        draw(footnote=3)


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
