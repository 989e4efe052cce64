"""Tests of btm.style: house style, money formatting, footnotes, saving, and the shared bar chart.

Independent sources used as oracles:

* WCAG 2.1 relative luminance and contrast ratio, W3C Recommendation,
  https://www.w3.org/TR/WCAG21/#dfn-relative-luminance and #dfn-contrast-ratio
  (re-implemented here from the formula, not imported from btm).
* Pillow's ``Image.convert("L")`` greyscale conversion (ITU-R 601-2 luma,
  ``L = R * 299/1000 + G * 587/1000 + B * 114/1000``, Pillow docs ``Image.convert``): what a
  greyscale printer or photocopy does to a colour.
* Okabe & Ito (2008), "Color Universal Design (CUD): how to make figures and presentations that
  are friendly to colorblind people", https://jfly.uni-koeln.de/color/ : the published hex codes.
* Pillow for PNG resolution, the standard library XML parser for SVG validity.
"""


import itertools
import re
import xml.etree.ElementTree as ET

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from chart_checks import check_chart
from hypothesis import example, given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image

from btm import InputError, style
from btm import style as charts  # the house-style helpers, by their old name here

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
@example(100.5, 1)  # shown as "EUR 101": a plain amount of 100 or more keeps no decimal
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
    # Plain amounts of 100 or more drop the one decimal ("EUR 950", not "EUR 950.0").
    shown_decimals = 0 if suffix == "" and decimals == 1 and abs(value) >= 100 else decimals
    tolerance = 0.5 * 10.0 ** (-shown_decimals) * _UNIT[suffix] * (1 + 1e-9)
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
    fig = style.bar_summary(pd.Series({"a": 1.0, "b": -2.0}).rename_axis("class"), title="Totals",
                            currency="EUR", footnote="Source: test")
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




def test_bar_summary_titled_labelled_footnoted_and_into_ax():
    check_chart(lambda **kw: style.bar_summary(
        pd.Series({"a": 1.0, "b": -2.0}).rename_axis("demand class"), **{"title": "Summary", **kw}))


@pytest.mark.parametrize("helper", [style.format_number, style.format_percent, style.ordinal,
                                    style.format_percentile])
@pytest.mark.parametrize("bad", ["12", None, True, float("nan"), float("inf")])
def test_word_helpers_refuse_what_is_not_a_finite_number(helper, bad):
    with pytest.raises(InputError, match=r"expected a (finite )?number"):
        helper(bad)


@pytest.mark.parametrize(("share", "text"), [
    (0.9703160265855862, "97%"), (0.30651651188443024, "30.7%"), (0.0392, "3.92%"),
    (0.8, "80%"), (0.07, "7%"), (0.29, "29%"), (1, "100%"), (np.float64(0.6666666666666666),
                                                            "66.7%"), (0.0, "0%"),
    (-0.125, "-12.5%"), (12.5, "1,250%")])
def test_format_percent_is_the_key_number_card(share, text):
    """One formatter for a share on a card and in a sentence (0.07 * 100 is 7.000000000000001
    and 0.29 * 100 is 28.999999999999996: still 7% and 29%)."""
    from btm import boardpack, messages

    assert style.format_percent(share) == text
    assert boardpack.format_key_number({"value": share, "unit": "%"}) == text
    assert messages.format_percent is style.format_percent


def test_ordinal_refuses_a_fraction_and_takes_numpy_integers():
    with pytest.raises(InputError, match="^n: got 2.5; expected a whole number"):
        style.ordinal(2.5)
    assert style.ordinal(np.int64(22)) == "22nd" and style.ordinal(3.0) == "3rd"


def _pixels(text: str, **kwargs) -> np.ndarray:
    """The text drawn alone on a small house-style figure, as an RGBA array."""
    with style.house_style():
        fig = Figure(figsize=(6.0, 0.6), dpi=80)
        fig.text(0.02, 0.3, text, fontsize=12, **kwargs)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("name", [
    "SaaS ($110/user, 5% uplift, $20k setup)",  # unparseable as mathtext
    "SaaS $ plan $",  # was drawn as "SaaS plan", plan in italics
    r"C:\licences\$x$", "$$", "$", "On-premises",
])
def test_plain_text_is_drawn_exactly_as_matplotlib_draws_plain_text(name):
    """Oracle: matplotlib's own plain-text mode (``parse_math=False``). A name through
    plain_text, drawn the default way (mathtext on), gives the same pixels."""
    assert style.plain_text(name) == name.replace("$", "\\$")
    want = _pixels(name, parse_math=False)
    got = _pixels(style.plain_text(name))
    np.testing.assert_array_equal(got, want)
    if name.count("$") >= 2:  # without it the name is read as mathematics (or not at all)
        try:
            differs = not np.array_equal(_pixels(name), want)
        except ValueError:  # a mathtext ParseException
            differs = True
        assert differs
    assert style.plain_text(3) == "3"


@pytest.mark.parametrize(("name", "width", "lines", "shown"), [
    ("_legacy", 28, 2, "_legacy"),  # short: whole, as typed
    ("Übergang/Été", 12, 1, "Übergang/Été"),  # exactly `width` characters
    ("Hybrid: on-premises core with SaaS front office and managed backups", 26, 2,
     "Hybrid: on-premises core\nwith SaaS front office…"),
    ("_legacy on-premises estate kept running as it is today", 14, 3,
     "_legacy on-\npremises\nestate kept…"),  # a hyphen is a place to break
    # A word longer than a line is cut, never split across lines ("$1" over "23/user").
    ("Übergang/Été: SaaS suite ($123/user/month, $20k setup)", 14, 3,
     "Übergang/Été:\nSaaS suite\n($123/user/mo…"),
    ("a" * 70, 26, 2, "a" * 25 + "…"),
    ("two\nlines", 28, 2, "two lines"),
])
def test_short_label_wraps_and_cuts_long_names(name, width, lines, shown):
    got = style.short_label(name, width=width, lines=lines)
    assert got == style.plain_text(shown)
    assert all(len(line) <= width for line in shown.split("\n"))
    assert len(shown.split("\n")) <= lines


def test_short_label_draws_dollars_as_typed_and_refuses_bad_sizes():
    """Oracle: matplotlib's own plain-text mode, as for plain_text."""
    label = style.short_label("SaaS ($110/user, 5% uplift, $20k setup)", width=26)
    assert label == "SaaS (\\$110/user, 5%\nuplift, \\$20k setup)"
    np.testing.assert_array_equal(_pixels(label),
                                  _pixels(label.replace("\\$", "$"), parse_math=False))
    with pytest.raises(InputError, match="^width: "):
        style.short_label("x", width=3)
    with pytest.raises(InputError, match="^lines: "):
        style.short_label("x", lines=0)
