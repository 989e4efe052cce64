"""The house style every btm figure shares: palette, fonts, money axes, footnotes, saving.

Each analysis draws its own figures in ``btm/analyses/<name>/charts.py`` with the helpers here;
:mod:`btm.charts` finds every chart function by name. Nothing here calls ``plt.show()`` or
changes matplotlib's global settings: the house settings (:data:`HOUSE_RC`) are applied inside
:func:`house_style`, a :func:`matplotlib.rc_context`, only while a figure is built or saved.

Figures are :class:`BoardFigure` objects, plain matplotlib figures that pyplot does not track
(so none is leaked or shown twice) and that IPython shows as a PNG image when a cell ends with
one: in JupyterLab, in every executed notebook and in ``report.html``.

The house style is readable in greyscale and by colour-blind readers: colours come from the
Okabe–Ito palette (chosen so that their WCAG relative luminances are well apart, ordered from
dark to light), stacked and grouped bars add hatching, and lines differ in line style and
marker as well as colour. Money axes read ``EUR 1.2M``, ``EUR 350k``.

Examples
--------
>>> from btm import style
>>> style.format_money(1_234_567, "EUR")
'EUR 1.2M'
>>> fig, ax = style.canvas(None)
>>> fig._repr_png_()[:4]
b'\x89PNG'
"""

from __future__ import annotations

import contextlib
import math
import re
import textwrap
from collections.abc import Callable, Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Literal, TypeVar, cast, overload

import matplotlib
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.patches import Patch
from matplotlib.typing import ColorType

from btm.errors import InputError

__all__ = [
    "BoardFigure",
    "FIGSIZE",
    "HATCHES",
    "HOUSE_RC",
    "LINESTYLES",
    "MARKERS",
    "PALETTE",
    "INK",
    "MUTED",
    "LOW_GREY",
    "HIGH_GREY",
    "add_footnote",
    "bar_summary",
    "figure",
    "format_money",
    "format_number",
    "format_percent",
    "ordinal",
    "format_percentile",
    "plain_text",
    "short_label",
    "house_style",
    "money_formatter",
    "save_figure",
    "canvas",
    "chart",
    "chart_doc",
    "panels",
    "CHART_KEYWORDS",
    "finish",
    "check_common",
    "check_text",
    "check_currency",
    "check_numeric",
    "check_positive_int",
    "require_frame",
    "bar_colour",
    "style_bars",
    "legend_patch",
    "line_style",
    "legend_outside",
    "xy_dates",
    "distinct_decimals",
    "percent_formatter",
    "money_label",
]

# --------------------------------------------------------------------------- house style

#: Okabe–Ito colours (Okabe & Ito 2008, "Color Universal Design", https://jfly.uni-koeln.de/color/)
#: kept so that their WCAG 2.x relative luminances are far apart, ordered dark to light:
#: black, blue, vermillion, orange, yellow. Sky blue, bluish green and reddish purple are left
#: out because in greyscale they print like orange or vermillion. Line charts use the colours in
#: this order; bar charts start at blue (see :func:`bar_colour`) so no bar is solid black.
PALETTE: list[str] = ["#000000", "#0072B2", "#D55E00", "#E69F00", "#F0E442"]

#: Hatch patterns for bar segments, one per series (the first bar kind is solid).
HATCHES: list[str] = ["", "//", "..", "xx", "\\\\", "oo"]

#: Line styles for line series: solid, dashed, dotted, dash-dot, long dash, dash-dot-dot.
LINESTYLES: list[Any] = ["-", "--", ":", "-.", (0, (8, 3)), (0, (5, 2, 1, 2, 1, 2))]

#: Markers for line series, one per series.
MARKERS: list[str] = ["o", "s", "^", "D", "v", "P"]

INK = "#222222"  # text and axis colour
MUTED = "#555555"  # secondary text (footnotes, annotations)
_GRID = "#DDDDDD"
LOW_GREY = "#BDBDBD"  # tornado: low estimate
HIGH_GREY = "#4D4D4D"  # tornado: high estimate
_FOOTNOTE_GID = "btm-footnote"
FIGSIZE = (8.0, 4.5)  # inches; 16:9, fits a slide

#: rcParams of the house style, applied by :func:`house_style`.
HOUSE_RC: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
    "font.size": 10.0,
    "text.color": INK,
    "axes.titlesize": 13.0,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 12.0,
    "axes.labelsize": 10.0,
    "axes.labelcolor": INK,
    "axes.edgecolor": MUTED,
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "axes.prop_cycle": cycler(color=PALETTE) + cycler(linestyle=LINESTYLES[: len(PALETTE)]),
    "axes.formatter.use_locale": False,
    "grid.color": _GRID,
    "grid.linewidth": 0.6,
    "xtick.color": INK,
    "ytick.color": INK,
    "xtick.labelsize": 9.0,
    "ytick.labelsize": 9.0,
    "legend.frameon": False,
    "legend.fontsize": 9.0,
    "legend.title_fontsize": 9.0,
    "lines.linewidth": 2.0,
    "lines.markersize": 6.0,
    "hatch.linewidth": 0.8,
    "figure.figsize": FIGSIZE,
    "figure.dpi": 100.0,
    "figure.facecolor": "white",
    "figure.constrained_layout.use": True,
    "savefig.dpi": 200.0,
    "savefig.facecolor": "white",
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.15,
    "svg.fonttype": "path",
    "svg.hashsalt": "btm",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
}


class BoardFigure(Figure):
    """A matplotlib figure that shows itself as a PNG image in Jupyter.

    pyplot does not track it (no leaked figures, nothing shown twice), so the inline backend
    would show only ``<Figure size ...>``; :meth:`_repr_png_` gives IPython the image instead,
    rendered under the house style at 100 dpi (the saved PNG is 200 dpi); a figure that
    :func:`save_figure` has just written as PNG shows that file instead, at the same size,
    until any of its artists changes (no second rendering a run). JupyterLab, Papermill's
    executed notebook and nbconvert's ``report.html`` (embedded as base64, no external file)
    all show it.
    """

    _saved_png: bytes | None = None  # what save_figure last wrote, and at what resolution
    _saved_dpi: float = 200.0

    def alt_text(self) -> str:
        """The figure's title, as the text alternative of its image ("" when untitled).

        The title of a chart of several panels, else the first title of its Axes. It goes
        with the PNG Jupyter shows (output metadata ``alt``, which ``report.html`` writes as
        the image's ``alt``), so a screen reader reads the title, not "No description has
        been provided for this image".

        Examples
        --------
        >>> fig, ax = figure()
        >>> _ = ax.set_title("Cost per year")
        >>> fig.alt_text()
        'Cost per year'
        """
        title = self.get_suptitle()
        if title:
            return title
        for ax in self.axes:
            for loc in ("center", "left", "right"):
                if text := ax.get_title(loc=loc):
                    return text
        return ""

    def _repr_png_(self) -> bytes | tuple[bytes, dict[str, Any]]:
        alt = self.alt_text()
        meta: dict[str, Any] = {"alt": alt} if alt else {}
        saved = self._saved_png
        if saved is not None and not self.stale:
            # Unchanged since save_figure wrote it: show that PNG (no second rendering), at the
            # size a 100-dpi rendering would have (sharper on high-resolution screens).
            width, height = int.from_bytes(saved[16:20], "big"), int.from_bytes(saved[20:24], "big")
            scale = 100 / self._saved_dpi
            return saved, {"width": round(width * scale), "height": round(height * scale), **meta}
        import io

        buffer = io.BytesIO()
        with matplotlib.rc_context(cast(Any, HOUSE_RC)):
            self.savefig(buffer, format="png", dpi=100)
        return (buffer.getvalue(), meta) if meta else buffer.getvalue()


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """Apply the house rcParams (:data:`HOUSE_RC`) inside a ``with`` block only.

    Uses :func:`matplotlib.rc_context`, so the user's global settings are restored on exit,
    even after an error.

    Examples
    --------
    >>> import matplotlib
    >>> before = matplotlib.rcParams["axes.titleweight"]
    >>> with house_style():
    ...     matplotlib.rcParams["axes.titleweight"]
    'bold'
    >>> matplotlib.rcParams["axes.titleweight"] == before
    True
    """
    with matplotlib.rc_context(cast(Any, HOUSE_RC)):
        yield


def figure(
    *, nrows: int = 1, ncols: int = 1, figsize: tuple[float, float] | None = None
) -> tuple[Figure, Any]:
    """Create a house-style figure and its Axes (one Axes, or an array of them).

    The figure is a :class:`BoardFigure` (a matplotlib Figure that Jupyter shows as an image)
    with constrained layout, not registered with pyplot.

    Parameters
    ----------
    nrows, ncols : int
        Grid of Axes, as in :func:`matplotlib.pyplot.subplots`.
    figsize : (float, float), optional
        Width and height in inches; default 8 x 4.5 (16:9), or taller for several rows.

    Returns
    -------
    (Figure, Axes or numpy array of Axes)

    Examples
    --------
    >>> fig, ax = figure()
    >>> fig.get_size_inches().tolist()
    [8.0, 4.5]
    """
    nrows = check_positive_int(nrows, "nrows")
    ncols = check_positive_int(ncols, "ncols")
    if figsize is None:
        figsize = (FIGSIZE[0], FIGSIZE[1] if nrows == 1 else 3.2 * nrows)
    else:
        try:
            w, h = (float(v) for v in figsize)
        except (TypeError, ValueError):
            raise InputError(
                f"figsize: got {figsize!r}; expected (width, height) in inches"
            ) from None
        if not (w > 0 and h > 0 and math.isfinite(w) and math.isfinite(h)):
            raise InputError(f"figsize: got {figsize!r}; expected positive width and height")
        figsize = (w, h)
    with house_style():
        fig = BoardFigure(figsize=figsize, layout="constrained")
        axes = fig.subplots(nrows=nrows, ncols=ncols, squeeze=True)
    return fig, axes


# --------------------------------------------------------------------------- money


_UNITS = ((1e9, "bn"), (1e6, "M"), (1e3, "k"), (1.0, ""))


def _round_half_up(x: float, decimals: int) -> Decimal:
    return Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _compact(value: float, currency: str | None, decimals: int | None) -> str:
    """Format `value` as ``[-]CUR 1.2M``; decimals=None: shortest exact form, at most 2."""
    magnitude = abs(value)
    i = next(k for k, (unit, _) in enumerate(_UNITS) if magnitude >= unit or unit == 1.0)
    unit, suffix = _UNITS[i]
    scaled = magnitude / unit
    if decimals is None:
        # Shortest of 0, 1, 2 decimals that shows the value exactly (axis ticks are round).
        d = next((k for k in (0, 1, 2) if abs(round(scaled, k) - scaled) < 1e-9 * max(1, scaled)),
                 2)
    elif unit == 1.0 and decimals == 1 and magnitude >= 100:
        d = 0  # "EUR 950", not "EUR 950.0"
    else:
        d = decimals
    rounded = _round_half_up(scaled, d)
    if rounded >= 1000 and i > 0:  # 999,960 -> "1M", not "1000k"
        unit, suffix = _UNITS[i - 1]
        rounded = _round_half_up(magnitude / unit, d)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    sign = "-" if value < 0 and rounded != 0 else ""
    prefix = f"{currency} " if currency else ""
    return f"{sign}{prefix}{text}{suffix}"


def format_money(value: float, currency: str | None = "EUR", *, decimals: int = 1) -> str:
    """Format an amount of money compactly for a board: ``EUR 1.2M``, ``EUR 350k``.

    Thousands are ``k``, millions ``M``, billions ``bn``; the amount is rounded half up to
    `decimals` places of that unit and trailing zeros are dropped. Amounts below 1,000 keep up
    to `decimals` places below 100 and none from 100. A negative amount reads ``-EUR 40k``.

    Parameters
    ----------
    value : float
        The amount (finite).
    currency : str or None
        Currency code shown before the number (``"EUR"``); ``None`` or ``""`` for a plain
        compact number (``1.2M``).
    decimals : int
        Decimal places of the scaled amount, 0 to 3.

    Returns
    -------
    str

    Examples
    --------
    >>> format_money(1_234_567, "EUR")
    'EUR 1.2M'
    >>> format_money(350_000, "EUR")
    'EUR 350k'
    >>> format_money(950, "EUR")
    'EUR 950'
    >>> format_money(-40_000, "EUR")
    '-EUR 40k'
    >>> format_money(2_500_000_000, "USD")
    'USD 2.5bn'
    """
    x = _finite(value, "value")
    currency = check_currency(currency, "currency", allow_none=True)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 3:
        raise InputError(f"decimals: got {decimals!r}; expected a whole number from 0 to 3")
    return _compact(x, currency, decimals)


def format_number(value: float) -> str:
    """A plain number as key numbers and key messages show it: three significant digits, no
    exponent, no trailing zeros, whole numbers kept whole, thousands separated.

    Examples
    --------
    >>> format_number(1.2857), format_number(0.125), format_number(42.0), format_number(60.14)
    ('1.29', '0.125', '42', '60.1')
    """
    x = _finite(value, "value")
    if x.is_integer():
        return f"{int(x):,}"
    if abs(x) < 1:
        return f"{x:.3g}"
    decimals = max(0, 2 - math.floor(math.log10(abs(x))))
    return f"{x:,.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{x:,.0f}"


def format_percent(share: float) -> str:
    """A fraction as a percentage, written as key numbers and key messages show it: the per
    cent in three significant digits (:func:`format_number`), then ``%``.

    The board pack's key-number card writes a ``"%"`` number with this, and a key message that
    states the same number writes it with this too, so a page never shows ``90.8%`` on the card
    beside ``91%`` in the sentence.

    Parameters
    ----------
    share : float
        The fraction (finite): ``0.25`` is 25 %.

    Returns
    -------
    str

    Examples
    --------
    >>> format_percent(0.9084665), format_percent(0.0392), format_percent(0.8), format_percent(1)
    ('90.8%', '3.92%', '80%', '100%')
    >>> format_percent(0.97), format_percent(0.30651), format_percent(0.0012)
    ('97%', '30.7%', '0.12%')
    """
    return f"{format_number(_finite(share, 'share') * 100)}%"


def percentile_name(confidence: float) -> str:
    """A confidence as the percentile it names, in messages, key-number labels and figures:
    ``P`` and the confidence in per cent with as many decimals as it has (0.975 is P97.5,
    0.995 is P99.5: never rounded to a whole percentile such as "P98" or "P100").

    Parameters
    ----------
    confidence : float
        Strictly between 0 and 1.

    Returns
    -------
    str

    Examples
    --------
    >>> [percentile_name(q) for q in (0.5, 0.8, 0.975, 0.995, 0.9999)]
    ['P50', 'P80', 'P97.5', 'P99.5', 'P99.99']
    """
    q = _finite(confidence, "confidence")
    if not 0 < q < 1:
        raise InputError(f"confidence: got {confidence!r}; expected a probability strictly "
                         "between 0 and 1")
    x = q * 100
    for decimals in range(13):
        text = f"{x:.{decimals}f}"
        if abs(float(text) - x) < 1e-9 and 0 < float(text) < 100:
            return f"P{text}"
    return f"P{x!r}"


def ordinal(n: int) -> str:
    """An ordinal number in English: ``1st``, ``2nd``, ``3rd``, ``11th``, ``62nd``.

    Examples
    --------
    >>> [ordinal(k) for k in (1, 2, 3, 4, 11, 12, 13, 21, 60, 62, 111)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '60th', '62nd', '111th']
    """
    x = _finite(n, "n")
    if not x.is_integer():
        raise InputError(f"n: got {n!r}; expected a whole number")
    n = int(x)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_percentile(value: float) -> str:
    """A percentile rank in words, as a board reads it: ``60th percentile``.

    Rounded to a whole rank and kept from 1 to 99: an estimate such as 99.6 or 0.3 (from a
    peer group's quartiles) says "above almost all peers", not "the 100th" or "the 0th".

    Examples
    --------
    >>> format_percentile(60.14), format_percentile(99.6), format_percentile(0.3)
    ('60th percentile', '99th percentile', '1st percentile')
    """
    return f"{ordinal(min(99, max(1, round(_finite(value, 'value')))))} percentile"


def plain_text(text: Any) -> str:
    """Text for a figure, drawn exactly as given: every ``$`` escaped as ``\\$``.

    Matplotlib reads the text between two ``$`` as mathematics (mathtext): a name such as
    ``SaaS $ plan $`` would be drawn with *plan* in italics, and ``SaaS ($110/user, 5% uplift,
    $20k setup)`` cannot be parsed at all. Names from input files (options, items,
    categories ...) go through this function before they become a label, a tick label, a
    legend entry or part of an annotation. Matplotlib draws ``\\$`` as ``$`` and, once every
    ``$`` is escaped, leaves every other character (a backslash included) as typed. Not meant
    for ``text.usetex``, which the house style does not use.

    Parameters
    ----------
    text : object
        A name or label; anything else is converted with ``str``.

    Returns
    -------
    str
        `text` with ``$`` replaced by ``\\$``.

    Examples
    --------
    >>> plain_text("SaaS ($110/user, $20k setup)")
    'SaaS (\\\\$110/user, \\\\$20k setup)'
    >>> print(plain_text("SaaS $ plan $"))
    SaaS \\$ plan \\$
    >>> plain_text("On-premises")
    'On-premises'
    """
    return str(text).replace("$", r"\$")


def short_label(text: Any, *, width: int = 28, lines: int = 2) -> str:
    """A name from an input file as a figure label: drawn as typed, long names wrapped and cut.

    A name of at most `width` characters (and one line) is kept whole; a longer one is
    wrapped at spaces and hyphens into at most `lines` lines of at most `width` characters,
    and what does not fit is cut, the last line ending in ``…``. Every ``$`` is escaped
    (:func:`plain_text`). Figures show the short label; tables keep the full name.

    Legends: give the legend its handles and these labels explicitly
    (``legend_outside(ax, handles=..., labels=...)``). Called without handles, matplotlib
    leaves out every artist whose label starts with ``_``, so an option named ``_legacy``
    would vanish from the legend.

    Parameters
    ----------
    text : object
        A name; anything else is converted with ``str``.
    width : int
        Characters per line, at least 4.
    lines : int
        Lines at most, at least 1.

    Returns
    -------
    str

    Examples
    --------
    >>> short_label("_legacy")
    '_legacy'
    >>> print(short_label("Hybrid: on-premises core with SaaS front office and managed backups"))
    Hybrid: on-premises core
    with SaaS front office and…
    >>> short_label("SaaS ($110/user, $20k setup)", width=14, lines=1)
    'SaaS (\\\\$110/us…'
    """
    if isinstance(width, bool) or not isinstance(width, int) or width < 4:
        raise InputError(f"width: got {width!r}; expected a whole number of at least 4")
    lines = check_positive_int(lines, "lines")
    name = str(text)
    if len(name) <= width and "\n" not in name:
        return plain_text(name)
    # A word longer than a line is not split (a price such as $123/user must not read as
    # "$1" over "23/user"): it is cut, and ends the label.
    wrapped = textwrap.wrap(name, width, break_long_words=False)
    if not wrapped:  # only whitespace
        return plain_text(name)
    last = next((i for i, line in enumerate(wrapped) if len(line) > width), len(wrapped) - 1)
    last = min(last, lines - 1)  # the label's last line
    if last < len(wrapped) - 1 or len(wrapped[last]) > width:
        # The last line shows as much of the rest as fits, cut at a space when one is near
        # its end, then "…".
        rest = "".join(w if w.endswith("-") else w + " " for w in wrapped[last:])
        cut = rest[: width - 1]
        space = cut.rfind(" ")
        if space >= width // 2:
            cut = cut[:space]
        wrapped = [*wrapped[:last], cut.rstrip(" ,;:-/(") + "…"]
    return "\n".join(plain_text(line) for line in wrapped)


def _finite(value: Any, name: str) -> float:
    """`value` as a float, or an InputError naming `name` for a non-number, NaN or infinity."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise InputError(f"{name}: got {value!r}; expected a number")
    x = float(value)
    if not math.isfinite(x):
        raise InputError(f"{name}: got {x}; expected a finite number")
    return x


def money_formatter(currency: str | None = "EUR") -> mticker.FuncFormatter:
    """Axis tick formatter that writes ticks as money: ``EUR 0``, ``EUR 250k``, ``EUR 1.25M``.

    Each tick shows as few decimals as show it exactly (at most 2 of its unit), so
    neighbouring ticks never collapse to the same label.

    Examples
    --------
    >>> fmt = money_formatter("EUR")
    >>> [fmt(v) for v in (0, 250_000, 1_250_000, -40_000)]
    ['EUR 0', 'EUR 250k', 'EUR 1.25M', '-EUR 40k']
    """
    currency = check_currency(currency, "currency", allow_none=True)

    def _tick(x: float, pos: int | None = None) -> str:
        if not math.isfinite(x):
            return ""
        return _compact(float(x), currency, None)

    return mticker.FuncFormatter(_tick)


@overload
def check_currency(currency: Any, name: str, *, allow_none: Literal[False] = ...) -> str: ...
@overload
def check_currency(currency: Any, name: str, *, allow_none: bool) -> str | None: ...
def check_currency(currency: Any, name: str, *, allow_none: bool = False) -> str | None:
    """Check a currency code used in labels (``"EUR"``); None only when `allow_none`."""
    if currency is None or currency == "":
        if allow_none:
            return None
        raise InputError(f"{name}: got {currency!r}; expected a currency code such as 'EUR'")
    if not isinstance(currency, str) or not re.fullmatch(r"[^\s]{1,5}", currency.strip()):
        raise InputError(
            f"{name}: got {currency!r}; expected a short currency code such as 'EUR' or 'USD'"
        )
    return currency.strip()


def distinct_decimals(values: np.ndarray, currency: str | None) -> int:
    """Fewest decimals (1 to 3) at which different amounts get different labels."""
    distinct = np.unique(np.round(np.asarray(values, dtype=float), 6))
    for d in (1, 2):
        if len({_compact(float(v), currency, d) for v in distinct}) == len(distinct):
            return d
    return 3


def percent_formatter() -> mticker.FuncFormatter:
    """Fractions as percentages with as few decimals as show them exactly: 0.95 -> 95%."""

    def _tick(x: float, pos: int | None = None) -> str:
        pct = 100.0 * x
        d = next((k for k in (0, 1, 2) if abs(round(pct, k) - pct) < 1e-9), 2)
        return f"{pct:.{d}f}%"

    return mticker.FuncFormatter(_tick)


def money_label(what: str, currency: str | None) -> str:
    return f"{what} ({currency})" if currency else what


# --------------------------------------------------------------------------- footnote, saving


def add_footnote(fig: Figure, text: str) -> Any:
    """Write a source or assumption note at the bottom left of `fig`, below everything else.

    A second call replaces the first note. With constrained layout (the house default) the
    Axes are moved up to make room, so the note never overlaps tick labels.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    text : str
        One or more lines, e.g. ``"Source: vendor quotes 2024; 5-year horizon, 8 % discount."``

    Returns
    -------
    matplotlib.text.Text
        The note.

    Examples
    --------
    >>> fig, ax = figure()
    >>> add_footnote(fig, "Source: vendor quotes, March 2024").get_text()
    'Source: vendor quotes, March 2024'
    """
    if not isinstance(fig, Figure):
        raise InputError(f"fig: got {type(fig).__name__}; expected a matplotlib Figure")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"footnote: got {text!r}; expected non-empty text")
    for old in [t for t in fig.texts if t.get_gid() == _FOOTNOTE_GID]:
        old.remove()
    with house_style():
        fontsize = 8.0
        height_in = fig.get_size_inches()[1]
        lines = text.strip().count("\n") + 1
        pad = 0.08 / height_in  # 0.08 inch from the edge
        note = fig.text(
            0.01, pad, text.strip(), ha="left", va="bottom", fontsize=fontsize, color=MUTED,
            gid=_FOOTNOTE_GID,
        )
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        reserved = pad + lines * fontsize * 1.35 / 72.0 / height_in + 0.02
        engine.set(rect=(0.0, reserved, 1.0, 1.0 - reserved))
    return note


_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]{0,99}")
_FORMATS = ("png", "svg", "pdf")


def save_figure(
    fig: Figure,
    directory: str | Path,
    name: str,
    *,
    formats: Sequence[str] = ("png", "svg"),
    dpi: int = 200,
) -> list[Path]:
    """Write `fig` as ``<directory>/<name>.png`` and ``.svg`` (or the given `formats`).

    The directory is created if needed. Run folders are fresh, so an existing file of the same
    name is overwritten (saving the same figure twice gives the same file). Figures are saved
    under the house style with a tight bounding box, so outside legends and footnotes are kept;
    SVG output carries no date and uses a fixed hash salt for its ids, so runs differ only
    where the figure does (and in clip-path ids, which matplotlib derives from object ids).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    directory : str or pathlib.Path
    name : str
        File stem: letters, digits, ``_`` and ``-``, starting with a letter or digit (no
        extension, no path).
    formats : sequence of {"png", "svg", "pdf"}
    dpi : int
        Resolution of raster output, at least 150.

    Returns
    -------
    list of pathlib.Path
        The written files, in the order of `formats`.

    Examples
    --------
    >>> import tempfile
    >>> fig, ax = figure()
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in save_figure(fig, d, "tco_by_category")]
    ['tco_by_category.png', 'tco_by_category.svg']
    """
    if not isinstance(fig, Figure):
        raise InputError(f"fig: got {type(fig).__name__}; expected a matplotlib Figure")
    if not isinstance(name, str) or not _STEM.fullmatch(name):
        raise InputError(
            f"name: got {name!r}; expected a file stem of letters, digits, '_' or '-' "
            "(at most 100 characters, no extension or folder)"
        )
    if isinstance(formats, str):
        formats = (formats,)
    formats = [str(f).lower().lstrip(".") for f in formats]
    if not formats:
        raise InputError("formats: got an empty list; expected one or more of png, svg, pdf")
    for f in formats:
        if f not in _FORMATS:
            raise InputError(f"formats: got {f!r}; expected one of {', '.join(_FORMATS)}")
    if isinstance(dpi, bool) or not isinstance(dpi, int | float) or not 150 <= dpi <= 1200:
        raise InputError(f"dpi: got {dpi!r}; expected a number from 150 to 1200")
    if not isinstance(directory, str | Path) or str(directory) == "":
        raise InputError(f"directory: got {directory!r}; expected a folder path")
    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"directory: {str(folder)!r} is a file; expected a folder")
    folder.mkdir(parents=True, exist_ok=True)
    metadata = {
        "png": {"Software": "btm (matplotlib)"},
        "svg": {"Date": None, "Creator": "btm (matplotlib)"},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": "btm (matplotlib)"},
    }
    paths = []
    with house_style():
        # Constrained layout settles after one pass; lay out once first so that every format,
        # and a second save of the same figure, get the same geometry.
        fig.draw_without_rendering()
        for f in formats:
            path = folder / f"{name}.{f}"
            fig.savefig(path, format=f, dpi=dpi, metadata=metadata[f])
            paths.append(path)
    if isinstance(fig, BoardFigure) and "png" in formats:
        # Jupyter shows this file instead of rendering again, until the figure changes (any
        # change to an artist marks the figure stale).
        fig._saved_png, fig._saved_dpi = paths[formats.index("png")].read_bytes(), float(dpi)
        fig.stale = False
    return paths


# --------------------------------------------------------------------------- helpers


def check_positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise InputError(f"{name}: got {value!r}; expected a whole number of at least 1")
    return int(value)


def canvas(ax: Axes | None, figsize: tuple[float, float] | None = None) -> tuple[Figure, Axes]:
    """Return (root figure, axes): a new house-style figure, or the figure of `ax`."""
    if ax is None:
        fig, new_ax = figure(figsize=figsize)
        return fig, new_ax
    if not isinstance(ax, Axes):
        raise InputError(f"ax: got {type(ax).__name__}; expected a matplotlib Axes or None")
    try:  # matplotlib >= 3.10 tells subfigures from the root figure
        root: Any = ax.get_figure(root=True)
    except TypeError:  # pragma: no cover - older matplotlib
        root = ax.figure
    return cast(Figure, root), ax


def finish(
    fig: Figure, ax: Axes, title: str | None, footnote: str | None, default_title: str
) -> Figure:
    text = default_title if title is None else title
    if not isinstance(text, str):
        raise InputError(f"title: got {text!r}; expected text")
    # The title is the Axes' main title (so ``ax.get_title()`` finds it) moved to the left.
    title_artist = ax.set_title(text, loc="center")
    title_artist.set_x(0.0)
    title_artist.set_horizontalalignment("left")
    if footnote is not None:
        add_footnote(fig, footnote)
    return fig


#: What every chart function says of its ``title``, ``footnote`` and ``ax`` keywords and of the
#: figure it returns; :func:`chart_doc` puts it in place of a ``{chart_keywords}`` line.
CHART_KEYWORDS = """\
title : str, optional
    Drawn at the top left; None for the default title.
footnote : str, optional
    A source or assumption note under the plot (:func:`btm.style.add_footnote`).
ax : matplotlib.axes.Axes, optional
    Draw into this Axes of a figure of your own; by default a new house-style figure.

Returns
-------
matplotlib.figure.Figure
    A :class:`btm.style.BoardFigure`, or the figure `ax` belongs to."""

_F = TypeVar("_F", bound=Callable[..., Any])


def chart_doc(func: _F) -> _F:
    """Put :data:`CHART_KEYWORDS` in `func`'s docstring, in place of its ``{chart_keywords}`` line.

    Examples
    --------
    >>> @chart_doc
    ... def dots(data, *, title=None, ax=None, footnote=None):
    ...     '''Dots.
    ...
    ...     Parameters
    ...     ----------
    ...     data : pandas.DataFrame
    ...     {chart_keywords}
    ...     '''
    >>> "matplotlib.figure.Figure" in dots.__doc__
    True
    """
    doc = func.__doc__ or ""
    found = re.search(r"^([ \t]*)\{chart_keywords\}[ \t]*$", doc, flags=re.MULTILINE)
    if found is None:
        raise TypeError(f"{func.__qualname__}: its docstring has no {{chart_keywords}} line")
    indent = found.group(1)
    text = "\n".join(indent + line if line else "" for line in CHART_KEYWORDS.splitlines())
    func.__doc__ = doc[: found.start()] + text + doc[found.end():]
    return func


@contextlib.contextmanager
def chart(
    ax: Axes | None,
    figsize: tuple[float, float] | None,
    title: Any,
    footnote: Any,
    default_title: str,
) -> Iterator[tuple[Figure, Axes]]:
    """The frame of a chart function: checks, house style, canvas, then title and footnote.

    Checks `title` and `footnote` (:func:`check_common`), and yields ``(figure, axes)`` from
    :func:`canvas` under :func:`house_style`. When the block ends without an error the title
    (`default_title` where `title` is None) and the footnote are set (:func:`finish`), still in
    the house style.

    Parameters
    ----------
    ax : matplotlib.axes.Axes or None
        The caller's Axes, or None for a new figure of `figsize`.
    figsize : (float, float), optional
    title, footnote : str or None
        As the chart function was given them.
    default_title : str

    Examples
    --------
    >>> with chart(None, (6.0, 3.0), None, "Source: test", "Two points") as (fig, ax):
    ...     _ = ax.plot([0, 1], [1, 2])
    >>> ax.get_title()
    'Two points'
    """
    check_common(title, footnote)
    with house_style():
        fig, drawn = canvas(ax, figsize)
        yield fig, drawn
        finish(fig, drawn, title, footnote, default_title)


@contextlib.contextmanager
def panels(
    nrows: int,
    ncols: int,
    figsize: tuple[float, float],
    title: Any,
    footnote: Any,
    default_title: str,
) -> Iterator[tuple[Figure, list[Axes]]]:
    """The frame of a chart of several panels: like :func:`chart`, with a figure title.

    Yields the new figure and its Axes, row by row, under :func:`house_style`; when the block
    ends without an error the title (`default_title` where `title` is None) is written above
    all panels, at the left, and the footnote below them.

    Examples
    --------
    >>> with panels(1, 2, (8.0, 3.0), None, None, "Two panels") as (fig, axes):
    ...     len(axes)
    2
    >>> fig.get_suptitle()
    'Two panels'
    """
    check_common(title, footnote)
    with house_style():
        fig, axes = figure(nrows=nrows, ncols=ncols, figsize=figsize)
        yield fig, list(np.atleast_1d(axes).ravel())
        fig.suptitle(default_title if title is None else title, x=0.01, ha="left", fontsize=13,
                     fontweight="bold")
        if footnote is not None:
            add_footnote(fig, footnote)


def check_text(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{name}: got {value!r}; expected text")
    return value


def check_common(title: Any, footnote: Any) -> None:
    check_text(title, "title")
    if footnote is not None and (not isinstance(footnote, str) or not footnote.strip()):
        raise InputError(f"footnote: got {footnote!r}; expected non-empty text or None")


def require_frame(data: Any, name: str, columns: Sequence[str] = ()) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"{name}: got {type(data).__name__}; expected a pandas DataFrame")
    if len(data) == 0 or len(data.columns) == 0:
        raise InputError(f"{name}: the table is empty; expected at least one row and column")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        found = ", ".join(repr(str(c)) for c in data.columns)
        raise InputError(
            f"{name}: missing column(s) {', '.join(repr(m) for m in missing)}; expected columns "
            f"{', '.join(repr(c) for c in columns)} (found {found})"
        )
    return data


def check_numeric(values: Any, name: str, *, allow_nan: bool = False) -> np.ndarray:
    """Column (Series) or frame as a float array; InputError naming the first bad cell."""
    frame = values.to_frame() if isinstance(values, pd.Series) else values
    out = np.empty(frame.shape, dtype=float)
    for j, col in enumerate(frame.columns):
        series = frame.iloc[:, j]
        if series.dtype == bool:
            raise InputError(f"{name}, column '{col}': got true/false values; expected numbers")
        converted = pd.to_numeric(series, errors="coerce")
        bad = converted.isna().to_numpy() & series.notna().to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"{name}, row {i + 1}, column '{col}': got {series.iloc[i]!r}; expected a number"
            )
        arr = converted.to_numpy(dtype=float, na_value=np.nan)
        bad = np.isinf(arr) | (np.isnan(arr) & (not allow_nan))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"{name}, row {i + 1}, column '{col}': got {arr[i]}; expected a finite number"
            )
        out[:, j] = arr
    return out


def _lum(hex_colour: ColorType) -> float:
    """WCAG 2.x relative luminance of a colour."""
    rgb = np.asarray(matplotlib.colors.to_rgb(hex_colour))
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(lin @ np.array([0.2126, 0.7152, 0.0722]))


def bar_colour(i: int) -> str:
    """Fill of the i-th bar series: blue, vermillion, orange, yellow, then black."""
    order = PALETTE[1:] + PALETTE[:1]
    return order[i % len(order)]


def _hatch_colour(fill: ColorType) -> str:
    return "white" if _lum(fill) < 0.3 else INK


def style_bars(bars: Any, fill: ColorType, hatch: str) -> None:
    """Fill, hatch and white outline for a bar container; hatch contrasts with the fill."""
    for patch in bars:
        patch.set_facecolor(fill)
        patch.set_hatch(hatch or None)
        if hasattr(patch, "set_hatchcolor"):
            patch.set_edgecolor("white")
            patch.set_hatchcolor(_hatch_colour(fill))
        else:  # pragma: no cover - matplotlib < 3.10 draws hatches in the edge colour
            patch.set_edgecolor(_hatch_colour(fill) if hatch else "white")
        patch.set_linewidth(0.8)


def legend_patch(fill: ColorType, hatch: str, label: str) -> Patch:
    patch = Patch(facecolor=fill, edgecolor="white", hatch=hatch or None, label=label)
    if hasattr(patch, "set_hatchcolor"):
        patch.set_hatchcolor(_hatch_colour(fill))
    return patch


def line_style(i: int) -> dict[str, Any]:
    colour = PALETTE[i % len(PALETTE)]
    return {
        "color": colour,
        "linestyle": LINESTYLES[i % len(LINESTYLES)],
        "marker": MARKERS[i % len(MARKERS)],
        "markeredgecolor": INK if _lum(colour) > 0.5 else colour,
        "markerfacecolor": colour,
    }


def legend_outside(ax: Axes, handles: Sequence[Any] | None = None, **kwargs: Any) -> None:
    """Legend to the right of the axes, outside the plotting area."""
    if handles is None:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, **kwargs)
    else:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  borderaxespad=0.0, **kwargs)


def xy_dates(values: pd.Series) -> tuple[np.ndarray, bool]:
    """x values for time axes: datetimes stay datetimes, numbers stay numbers."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.to_numpy(), True
    if pd.api.types.is_numeric_dtype(values) and values.dtype != bool:
        return values.to_numpy(dtype=float), False
    converted = pd.to_datetime(values, errors="coerce")
    if converted.isna().any():
        i = int(np.flatnonzero(converted.isna().to_numpy())[0])
        raise InputError(
            f"ds, row {i + 1}: got {values.iloc[i]!r}; expected a date such as 2024-01-31 "
            "or a period number"
        )
    return converted.to_numpy(), True


def bar_summary(
    values: pd.Series,
    *,
    currency: str | None = None,
    title: str,
    xlabel: str | None = None,
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """Horizontal bars of one value per label (first label on top), each value written on its bar.

    Negative values are drawn in another colour and hatched, so they stand out in greyscale.

    Parameters
    ----------
    values : pandas.Series
        Index: labels; values: numbers (money when `currency` is given).
    currency : str, optional
        Currency code; without it the values are plain numbers.
    title : str
    xlabel : str, optional
        Default ``"Value"``; the currency is appended.
    ax : matplotlib.axes.Axes, optional
    footnote : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    A :class:`BoardFigure`, or the figure `ax` belongs to.

    Examples
    --------
    >>> import pandas as pd
    >>> freed = pd.Series({"smooth": 120_000.0, "erratic": 45_000.0, "lumpy": -8_000.0})
    >>> fig = bar_summary(freed, currency="EUR", title="Inventory value freed by demand class")
    >>> fig.axes[0].get_xlabel()
    'Value (EUR)'
    """
    currency = check_currency(currency, "currency", allow_none=True)
    if not isinstance(title, str):
        raise InputError(f"title: got {title!r}; expected text")
    check_common(title, footnote)
    check_text(xlabel, "xlabel")
    if isinstance(values, pd.DataFrame) and values.shape[1] == 1:
        values = values.iloc[:, 0]
    if not isinstance(values, pd.Series):
        raise InputError(f"values: got {type(values).__name__}; expected a pandas Series")
    if len(values) == 0:
        raise InputError("values: the Series is empty; expected at least one value")
    numbers = check_numeric(values.rename("values"), "values")[:, 0]
    labels = [str(v) for v in values.index]
    n = len(numbers)
    negative = numbers < 0
    with house_style():
        fig, ax = canvas(ax, (8.0, max(2.6, 1.3 + 0.45 * n)))
        y = np.arange(n)[::-1]
        pos = ax.barh(y[~negative], numbers[~negative], height=0.62, label="positive")
        style_bars(pos, PALETTE[1], "")
        neg = ax.barh(y[negative], numbers[negative], height=0.62, label="negative")
        style_bars(neg, PALETTE[2], "//")
        for yi, v in zip(y, numbers, strict=True):
            ax.annotate(format_money(float(v), currency), (v, yi),
                        xytext=(4 if v >= 0 else -4, 0), textcoords="offset points",
                        ha="left" if v >= 0 else "right", va="center", fontsize=9, color=INK)
        lo, hi = min(0.0, float(numbers.min())), max(0.0, float(numbers.max()))
        pad = 0.18 * max(hi - lo, 1e-9)  # room for the value labels beyond the bar ends
        ax.set_xlim(lo - (1.6 * pad if lo < 0 else 0), hi + (pad if hi > 0 else 0))
        ax.axvline(0, color=INK, linewidth=0.8)
        ax.set_yticks(y, labels)
        ax.set_ylim(-0.6, n - 0.4)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.xaxis.set_major_formatter(money_formatter(currency))
        ax.set_xlabel(money_label(xlabel or "Value", currency))
        if values.index.name is not None:
            ax.set_ylabel(str(values.index.name))
        if negative.any():
            legend_outside(ax, handles=[legend_patch(PALETTE[1], "", "positive"),
                                         legend_patch(PALETTE[2], "//", "negative")])
        return finish(fig, ax, title, footnote, title)


def room_for_labels(ax: Axes, labels: Sequence[Any], *, pad: float = 6.0) -> None:
    """Raise the upper x limit of `ax` so that every label written to the right of its data
    point (an :class:`~matplotlib.text.Annotation` such as a bar's total) ends inside the axes.

    The figure is laid out once (constrained layout settles the axes' size); the labels' widths
    are then measured and the data squeezed to the left until the widest fits, so a label never
    runs into a legend placed beside the axes, however narrow long names leave them.

    Parameters
    ----------
    labels : list of matplotlib.text.Annotation
        Anchored at data points, drawn to their right.
    pad : float
        Points kept free between a label and the axes' right edge.

    Examples
    --------
    >>> fig, ax = figure()
    >>> bar = ax.barh([0], [10.0])
    >>> note = ax.annotate("EUR 10M, the largest of all", (10.0, 0), xytext=(4, 0),
    ...                    textcoords="offset points", va="center")
    >>> ax.set_xlim(0, 10.5)
    (0.0, 10.5)
    >>> room_for_labels(ax, [note])
    >>> bool(ax.get_xlim()[1] > 12)
    True
    """
    fig = ax.get_figure(root=True)
    if not isinstance(fig, Figure) or not labels:
        return
    with house_style():
        fig.draw_without_rendering()
        box = ax.get_window_extent()
        lo, hi = ax.get_xlim()
        top = hi
        for label in labels:
            x = float(label.xy[0])
            anchor = float(ax.transData.transform((x, 0.0))[0])
            needed = label.get_window_extent().x1 - anchor + pad * fig.dpi / 72.0
            if box.width > needed and x > lo:
                top = max(top, lo + (x - lo) * box.width / (box.width - needed))
    if top > hi:
        ax.set_xlim(lo, top)
