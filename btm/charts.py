"""Board-ready figures in one house style: one function per chart kind.

Every chart function takes the table a decision module returns, draws it under the house style
and returns a :class:`matplotlib.figure.Figure`. Each accepts ``ax=None`` (draw into a given
Axes instead and return its figure), a ``title`` and a ``footnote`` (source or assumptions, shown
at the bottom left), and names its units or currency on the axes. Nothing here calls
``plt.show()`` or changes matplotlib's global settings: the house settings (:data:`HOUSE_RC`)
are applied inside :func:`house_style`, a :func:`matplotlib.rc_context`, only while a figure is
built or saved. New figures are plain :class:`matplotlib.figure.Figure` objects that pyplot does
not track, so a notebook shows one when it is a cell's last value (or via ``display(fig)``) and
no figure is ever leaked or shown twice.

The house style is readable in greyscale and by colour-blind readers: colours come from the
Okabe–Ito palette (chosen so that their WCAG relative luminances are well apart, ordered from
dark to light), stacked and grouped bars add hatching, and lines differ in line style and
marker as well as colour. Money axes read ``EUR 1.2M``, ``EUR 350k``.

Examples
--------
>>> import pandas as pd
>>> from btm import charts
>>> charts.format_money(1_234_567, "EUR")
'EUR 1.2M'
>>> by_category = pd.DataFrame({"capex": [500_000, 0], "opex": [300_000, 650_000]},
...                            index=["On premises", "Cloud"])
>>> fig = charts.cost_by_category(by_category, currency="EUR")
>>> fig.axes[0].get_title()
'Total cost of ownership by category'
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.dates as mdates
import matplotlib.ticker as mticker
import matplotlib.transforms as transforms
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from btm.errors import InputError

__all__ = [
    "HATCHES",
    "HOUSE_RC",
    "LINESTYLES",
    "MARKERS",
    "PALETTE",
    "accuracy_by_class",
    "add_footnote",
    "bar_summary",
    "cost_by_category",
    "cumulative_cost",
    "figure",
    "forecast_fan",
    "forecast_fans",
    "format_money",
    "house_style",
    "inventory_replay",
    "money_formatter",
    "s_curves",
    "save_figure",
    "service_inventory_curve",
    "tornado",
]

# --------------------------------------------------------------------------- house style

#: Okabe–Ito colours (Okabe & Ito 2008, "Color Universal Design", https://jfly.uni-koeln.de/color/)
#: kept so that their WCAG 2.x relative luminances are far apart, ordered dark to light:
#: black, blue, vermillion, orange, yellow. Sky blue, bluish green and reddish purple are left
#: out because in greyscale they print like orange or vermillion. Line charts use the colours in
#: this order; bar charts start at blue (see :func:`_bar_colour`) so no bar is solid black.
PALETTE: list[str] = ["#000000", "#0072B2", "#D55E00", "#E69F00", "#F0E442"]

#: Hatch patterns for bar segments, one per series (the first bar kind is solid).
HATCHES: list[str] = ["", "//", "..", "xx", "\\\\", "oo"]

#: Line styles for line series: solid, dashed, dotted, dash-dot, long dash, dash-dot-dot.
LINESTYLES: list[Any] = ["-", "--", ":", "-.", (0, (8, 3)), (0, (5, 2, 1, 2, 1, 2))]

#: Markers for line series, one per series.
MARKERS: list[str] = ["o", "s", "^", "D", "v", "P"]

_INK = "#222222"  # text and axis colour
_MUTED = "#555555"  # secondary text (footnotes, annotations)
_GRID = "#DDDDDD"
_LOW_GREY = "#BDBDBD"  # tornado: low estimate
_HIGH_GREY = "#4D4D4D"  # tornado: high estimate
_FOOTNOTE_GID = "btm-footnote"
_FIGSIZE = (8.0, 4.5)  # inches; 16:9, fits a slide

#: rcParams of the house style, applied by :func:`house_style`.
HOUSE_RC: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
    "font.size": 10.0,
    "text.color": _INK,
    "axes.titlesize": 13.0,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 12.0,
    "axes.labelsize": 10.0,
    "axes.labelcolor": _INK,
    "axes.edgecolor": _MUTED,
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
    "xtick.color": _INK,
    "ytick.color": _INK,
    "xtick.labelsize": 9.0,
    "ytick.labelsize": 9.0,
    "legend.frameon": False,
    "legend.fontsize": 9.0,
    "legend.title_fontsize": 9.0,
    "lines.linewidth": 2.0,
    "lines.markersize": 6.0,
    "hatch.linewidth": 0.8,
    "figure.figsize": _FIGSIZE,
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
    with matplotlib.rc_context(HOUSE_RC):
        yield


def figure(
    *, nrows: int = 1, ncols: int = 1, figsize: tuple[float, float] | None = None
) -> tuple[Figure, Any]:
    """Create a house-style figure and its Axes (one Axes, or an array of them).

    The figure is a plain :class:`matplotlib.figure.Figure` with constrained layout, not
    registered with pyplot.

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
    nrows = _positive_int(nrows, "nrows")
    ncols = _positive_int(ncols, "ncols")
    if figsize is None:
        figsize = (_FIGSIZE[0], _FIGSIZE[1] if nrows == 1 else 3.2 * nrows)
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
        fig = Figure(figsize=figsize, layout="constrained")
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
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise InputError(f"value: got {value!r}; expected a number")
    x = float(value)
    if not math.isfinite(x):
        raise InputError(f"value: got {x}; expected a finite number")
    currency = _currency(currency, "currency", allow_none=True)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 3:
        raise InputError(f"decimals: got {decimals!r}; expected a whole number from 0 to 3")
    return _compact(x, currency, decimals)


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
    currency = _currency(currency, "currency", allow_none=True)

    def _tick(x: float, pos: int | None = None) -> str:
        if not math.isfinite(x):
            return ""
        return _compact(float(x), currency, None)

    return mticker.FuncFormatter(_tick)


def _currency(currency: Any, name: str, *, allow_none: bool = False) -> str | None:
    if currency is None or currency == "":
        if allow_none:
            return None
        raise InputError(f"{name}: got {currency!r}; expected a currency code such as 'EUR'")
    if not isinstance(currency, str) or not re.fullmatch(r"[^\s]{1,5}", currency.strip()):
        raise InputError(
            f"{name}: got {currency!r}; expected a short currency code such as 'EUR' or 'USD'"
        )
    return currency.strip()


def _distinct_decimals(values: np.ndarray, currency: str | None) -> int:
    """Fewest decimals (1 to 3) at which different amounts get different labels."""
    distinct = np.unique(np.round(np.asarray(values, dtype=float), 6))
    for d in (1, 2):
        if len({_compact(float(v), currency, d) for v in distinct}) == len(distinct):
            return d
    return 3


def _percent_formatter() -> mticker.FuncFormatter:
    """Fractions as percentages with as few decimals as show them exactly: 0.95 -> 95%."""

    def _tick(x: float, pos: int | None = None) -> str:
        pct = 100.0 * x
        d = next((k for k in (0, 1, 2) if abs(round(pct, k) - pct) < 1e-9), 2)
        return f"{pct:.{d}f}%"

    return mticker.FuncFormatter(_tick)


def _money_label(what: str, currency: str | None) -> str:
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
            0.01, pad, text.strip(), ha="left", va="bottom", fontsize=fontsize, color=_MUTED,
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
    return paths


# --------------------------------------------------------------------------- helpers


def _positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise InputError(f"{name}: got {value!r}; expected a whole number of at least 1")
    return int(value)


def _canvas(ax: Axes | None, figsize: tuple[float, float] | None = None) -> tuple[Figure, Axes]:
    """Return (root figure, axes): a new house-style figure, or the figure of `ax`."""
    if ax is None:
        fig, new_ax = figure(figsize=figsize)
        return fig, new_ax
    if not isinstance(ax, Axes):
        raise InputError(f"ax: got {type(ax).__name__}; expected a matplotlib Axes or None")
    try:  # matplotlib >= 3.10 tells subfigures from the root figure
        fig = ax.get_figure(root=True)
    except TypeError:  # pragma: no cover - older matplotlib
        fig = ax.figure
    return fig, ax


def _finish(
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


def _check_text(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{name}: got {value!r}; expected text")
    return value


def _check_common(title: Any, footnote: Any) -> None:
    _check_text(title, "title")
    if footnote is not None and (not isinstance(footnote, str) or not footnote.strip()):
        raise InputError(f"footnote: got {footnote!r}; expected non-empty text or None")


def _require_frame(data: Any, name: str, columns: Sequence[str] = ()) -> pd.DataFrame:
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


def _numeric(values: Any, name: str, *, allow_nan: bool = False) -> np.ndarray:
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


def _lum(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of a colour."""
    rgb = np.asarray(matplotlib.colors.to_rgb(hex_colour))
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(lin @ np.array([0.2126, 0.7152, 0.0722]))


def _bar_colour(i: int) -> str:
    """Fill of the i-th bar series: blue, vermillion, orange, yellow, then black."""
    order = PALETTE[1:] + PALETTE[:1]
    return order[i % len(order)]


def _hatch_colour(fill: str) -> str:
    return "white" if _lum(fill) < 0.3 else _INK


def _style_bars(bars: Any, fill: str, hatch: str) -> None:
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


def _legend_patch(fill: str, hatch: str, label: str) -> Patch:
    patch = Patch(facecolor=fill, edgecolor="white", hatch=hatch or None, label=label)
    if hasattr(patch, "set_hatchcolor"):
        patch.set_hatchcolor(_hatch_colour(fill))
    return patch


def _line_style(i: int) -> dict[str, Any]:
    colour = PALETTE[i % len(PALETTE)]
    return {
        "color": colour,
        "linestyle": LINESTYLES[i % len(LINESTYLES)],
        "marker": MARKERS[i % len(MARKERS)],
        "markeredgecolor": _INK if _lum(colour) > 0.5 else colour,
        "markerfacecolor": colour,
    }


def _legend_outside(ax: Axes, handles: Sequence[Any] | None = None, **kwargs: Any) -> None:
    """Legend to the right of the axes, outside the plotting area."""
    if handles is None:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, **kwargs)
    else:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  borderaxespad=0.0, **kwargs)


def _xy_dates(values: pd.Series) -> tuple[np.ndarray, bool]:
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


# --------------------------------------------------------------------------- TCO charts


def cost_by_category(
    by_category: pd.DataFrame,
    *,
    currency: str = "EUR",
    title: str | None = "Total cost of ownership by category",
    ax: Axes | None = None,
    footnote: str | None = None,
    ylabel: str = "Cost",
) -> Figure:
    """Stacked bars of each option's cost by category, with the total on each bar.

    Parameters
    ----------
    by_category : pandas.DataFrame
        Index: option names; columns: cost categories; values: money. Negative values (a
        ``residual`` value recovered at the end) are stacked below zero; empty cells count as
        zero. When there are negatives, a diamond marks each option's net total.
    currency : str
        Currency code for the axis and labels.
    title, footnote : str, optional
    ax : matplotlib.axes.Axes, optional
        Draw into this Axes instead of a new figure.
    ylabel : str
        Axis label; the currency is appended.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"hardware": [400_000, 0], "subscription": [0, 550_000],
    ...                       "residual": [-50_000, 0]}, index=["Buy", "Cloud"])
    >>> fig = cost_by_category(table, currency="EUR")
    >>> len(fig.axes[0].patches)
    6
    """
    currency = _currency(currency, "currency")
    _check_common(title, footnote)
    _require_frame(by_category, "by_category")
    values = np.nan_to_num(_numeric(by_category, "by_category", allow_nan=True))
    options = [str(o) for o in by_category.index]
    categories = [str(c) for c in by_category.columns]
    n_options, n_categories = values.shape
    width = max(6.0, min(12.0, 2.5 + 1.1 * n_options))
    with house_style():
        fig, ax = _canvas(ax, (width, 4.8))
        x = np.arange(n_options)
        positive = np.clip(values, 0, None)
        negative = np.clip(values, None, 0)
        pos_bottom = np.concatenate([np.zeros((n_options, 1)), positive.cumsum(axis=1)], axis=1)
        neg_bottom = np.concatenate([np.zeros((n_options, 1)), negative.cumsum(axis=1)], axis=1)
        handles = []
        for j, category in enumerate(categories):
            fill, hatch = _bar_colour(j), HATCHES[j % len(HATCHES)]
            column = values[:, j]
            bottom = np.where(column >= 0, pos_bottom[:, j], neg_bottom[:, j])
            bars = ax.bar(x, column, bottom=bottom, width=0.6, label=category)
            _style_bars(bars, fill, hatch)
            handles.append(_legend_patch(fill, hatch, category))
        totals = values.sum(axis=1)
        tops = positive.sum(axis=1)
        has_negative = bool((values < 0).any())
        span = max(float(tops.max() - negative.sum(axis=1).min()), 1.0)
        decimals = _distinct_decimals(totals, currency)
        for k in range(n_options):
            prefix = "Net " if has_negative else ""
            ax.annotate(
                f"{prefix}{format_money(float(totals[k]), currency, decimals=decimals)}",
                (x[k], tops[k]),
                xytext=(0, 4), textcoords="offset points", ha="center", va="bottom",
                fontsize=10, fontweight="bold", color=_INK,
            )
        if has_negative:
            ax.axhline(0, color=_INK, linewidth=0.8, zorder=3)
            ax.plot(x, totals, linestyle="none", marker="D", markersize=7, color=_INK,
                    markeredgecolor="white", zorder=4, label="net total")
            handles.append(Line2D([], [], linestyle="none", marker="D", color=_INK,
                                  markeredgecolor="white", label="net total"))
        ax.set_ylim(top=float(tops.max()) + 0.1 * span)
        ax.set_xticks(x, options)
        ax.set_xlim(-0.6, n_options - 0.4)
        ax.yaxis.set_major_formatter(money_formatter(currency))
        ax.set_ylabel(_money_label(ylabel, currency))
        ax.set_xlabel("Option")
        # Legend in stacking order: the top segment first.
        _legend_outside(ax, handles=handles[:n_categories][::-1] + handles[n_categories:],
                        title="Cost category")
        return _finish(fig, ax, title, footnote, "Total cost of ownership by category")


def _break_even_rows(break_evens: Any, cumulative: pd.DataFrame) -> list[tuple[str, str, float]]:
    if break_evens is None:
        return []
    frame = _require_frame(break_evens, "break_evens", ("option", "other", "break_even_year"))
    years = _numeric(frame["break_even_year"], "break_evens", allow_nan=True)[:, 0]
    names = {str(c) for c in cumulative.columns}
    low, high = float(cumulative.index.min()), float(cumulative.index.max())
    rows = []
    seen: set[frozenset[str]] = set()
    for i, (option, other, year) in enumerate(
        zip(frame["option"].astype(str), frame["other"].astype(str), years, strict=True)
    ):
        for col, value in (("option", option), ("other", other)):
            if value not in names:
                raise InputError(
                    f"break_evens, row {i + 1}, column '{col}': got {value!r}; expected one of "
                    f"the options in cumulative ({', '.join(sorted(names))})"
                )
        if math.isnan(year):
            continue
        if not low <= year <= high:
            raise InputError(
                f"break_evens, row {i + 1}, column 'break_even_year': got {year:g}; expected a "
                f"year from {low:g} to {high:g} (the years in cumulative) or empty"
            )
        pair = frozenset((option, other))
        if pair in seen:  # a table of ordered pairs lists each crossing twice: mark it once
            continue
        seen.add(pair)
        rows.append((option, other, float(year)))
    return rows


def cumulative_cost(
    cumulative: pd.DataFrame,
    *,
    currency: str = "EUR",
    break_evens: pd.DataFrame | None = None,
    title: str | None = "Cumulative cost over time",
    ax: Axes | None = None,
    footnote: str | None = None,
    ylabel: str = "Cumulative cost",
) -> Figure:
    """One line per option of cost accumulated year by year, with break-even points marked.

    Parameters
    ----------
    cumulative : pandas.DataFrame
        Index: year (0 = now .. horizon); columns: options; values: cumulative cost.
    currency : str
    break_evens : pandas.DataFrame, optional
        Columns ``option``, ``other``, ``break_even_year`` (empty when the two never cross).
        Each crossing is marked on the ``option`` line (its cost interpolated linearly between
        years) and numbered, the numbers listed as ``1  A vs B: break-even year 4.3``.
    title, footnote : str, optional
    ax : matplotlib.axes.Axes, optional
    ylabel : str

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> cum = pd.DataFrame({"Buy": [500.0, 600, 700], "Cloud": [0.0, 300, 600]}, index=[0, 1, 2])
    >>> be = pd.DataFrame({"option": ["Buy"], "other": ["Cloud"], "break_even_year": [2.0]})
    >>> fig = cumulative_cost(cum, currency="EUR", break_evens=be)
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['1', '1  Buy vs Cloud: break-even year 2.0']
    """
    currency = _currency(currency, "currency")
    _check_common(title, footnote)
    _require_frame(cumulative, "cumulative")
    years = _numeric(pd.Series(cumulative.index, name="index (year)"), "cumulative")[:, 0]
    if len(years) > 1 and not (np.diff(years) > 0).all():
        raise InputError("cumulative, index (year): years are not increasing; "
                         "expected years in increasing order such as 0, 1, 2")
    values = _numeric(cumulative, "cumulative")
    options = [str(c) for c in cumulative.columns]
    crossings = _break_even_rows(break_evens, cumulative)
    with house_style():
        fig, ax = _canvas(ax)
        for i, option in enumerate(options):
            ax.plot(years, values[:, i], label=option, **_line_style(i))
        # Each crossing gets a numbered circle; the numbers are explained in a list in the upper
        # left (cumulative cost only rises, so that corner is always free), in order of year.
        for k, (option, other, year) in enumerate(sorted(crossings, key=lambda c: c[2]), 1):
            y = float(np.interp(year, years, values[:, options.index(option)]))
            ax.plot([year], [y], linestyle="none", marker="o", markersize=13,
                    markerfacecolor="none", markeredgecolor=_INK, markeredgewidth=1.5,
                    zorder=5, label="_break-even")
            ax.annotate(str(k), (year, y), xytext=(-9, 9), textcoords="offset points",
                        ha="right", va="bottom", fontsize=9, fontweight="bold", color=_INK,
                        gid=f"break-even number {k}")
            ax.annotate(
                f"{k}  {option} vs {other}: break-even year {year:.1f}",
                (0.03, 0.96 - 0.07 * (k - 1)), xycoords="axes fraction",
                ha="left", va="top", fontsize=9, color=_INK,
                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none",
                      "alpha": 0.85},
                gid=f"break-even {option} vs {other}",
            )
        ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(money_formatter(currency))
        ax.set_xlabel("Year (0 = today)")
        ax.set_ylabel(_money_label(ylabel, currency))
        ax.set_xlim(years.min() - 0.2, years.max() + 0.2)
        _legend_outside(ax, title="Option")
        return _finish(fig, ax, title, footnote, "Cumulative cost over time")


def tornado(
    tornado_table: pd.DataFrame,
    *,
    currency: str = "EUR",
    base_value: float | None = None,
    title: str | None = "What moves the cost most",
    ax: Axes | None = None,
    footnote: str | None = None,
    max_bars: int = 12,
    xlabel: str = "Present value of cost",
) -> Figure:
    """Tornado chart: how far each cost line's low and high estimate moves its option's cost.

    Parameters
    ----------
    tornado_table : pandas.DataFrame
        Columns ``option``, ``item``, ``category``, ``base_value``, ``low_value``,
        ``high_value``, ``swing``. The `max_bars` rows of largest swing are drawn, the largest
        on top, labelled ``option: item``.
    currency : str
    base_value : float, optional
        Draw a reference line here; by default at the common ``base_value`` when all rows
        share one. Each bar's own base is always marked with a short black tick.
    title, footnote : str, optional
    ax : matplotlib.axes.Axes, optional
    max_bars : int
    xlabel : str

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"option": ["Cloud", "Cloud"], "item": ["egress", "licences"],
    ...     "category": ["opex", "opex"], "base_value": [1e6, 1e6],
    ...     "low_value": [0.9e6, 0.97e6], "high_value": [1.3e6, 1.05e6], "swing": [0.4e6, 0.08e6]})
    >>> fig = tornado(table, currency="EUR")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]  # top to bottom
    ['Cloud: egress', 'Cloud: licences']
    """
    currency = _currency(currency, "currency")
    _check_common(title, footnote)
    max_bars = _positive_int(max_bars, "max_bars")
    columns = ("option", "item", "category", "base_value", "low_value", "high_value", "swing")
    table = _require_frame(tornado_table, "tornado_table", columns)
    numbers = _numeric(table[["base_value", "low_value", "high_value", "swing"]], "tornado_table")
    order = np.argsort(-numbers[:, 3], kind="stable")[:max_bars]
    base, low, high = (numbers[order, k] for k in range(3))
    labels = [f"{o}: {i}" for o, i in zip(table["option"].astype(str).to_numpy()[order],
                                            table["item"].astype(str).to_numpy()[order],
                                            strict=True)]
    if base_value is not None:
        if isinstance(base_value, bool) or not isinstance(base_value, int | float | np.number) \
                or not math.isfinite(float(base_value)):
            raise InputError(f"base_value: got {base_value!r}; expected a finite number or None")
        reference: float | None = float(base_value)
    else:
        reference = float(base[0]) if np.allclose(base, base[0]) else None
    n = len(order)
    with house_style():
        fig, ax = _canvas(ax, (9.0, max(3.2, 1.4 + 0.42 * n)))
        y = np.arange(n)[::-1]  # largest swing on top
        low_bars = ax.barh(y, low - base, left=base, height=0.62, label="low estimate")
        _style_bars(low_bars, _LOW_GREY, "")
        high_bars = ax.barh(y, high - base, left=base, height=0.62, label="high estimate")
        _style_bars(high_bars, _HIGH_GREY, "//")
        ax.plot(np.column_stack([base, base]).T, np.column_stack([y - 0.36, y + 0.36]).T,
                color=_INK, linewidth=1.6, zorder=4)
        decimals = next((d for d in (1, 2) if all(
            format_money(float(v), currency, decimals=d)
            != format_money(float(b), currency, decimals=d)
            for b, lo_v, hi_v in zip(base, low, high, strict=True) for v in (lo_v, hi_v)
            if abs(v - b) > 1e-9 * max(1.0, abs(b)))), 3)
        for k in range(n):
            for value in (low[k], high[k]):
                if value == base[k]:
                    continue
                right = value > base[k]
                ax.annotate(format_money(float(value), currency, decimals=decimals),
                            (value, y[k]),
                            xytext=(4 if right else -4, 0), textcoords="offset points",
                            ha="left" if right else "right", va="center", fontsize=8,
                            color=_MUTED)
        handles = [_legend_patch(_LOW_GREY, "", "low estimate"),
                   _legend_patch(_HIGH_GREY, "//", "high estimate"),
                   Line2D([], [], color=_INK, linewidth=1.6, label="base case")]
        if reference is not None:
            ax.axvline(reference, color=_INK, linewidth=0.8, linestyle=":", zorder=1)
        lo_edge = float(np.minimum(low, base).min())
        hi_edge = float(np.maximum(high, base).max())
        pad = 0.18 * max(hi_edge - lo_edge, abs(hi_edge) * 0.01, 1.0)
        ax.set_xlim(lo_edge - pad, hi_edge + pad)
        ax.set_yticks(y, labels)
        ax.set_ylim(-0.6, n - 0.4)
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_formatter(money_formatter(currency))
        ax.set_xlabel(_money_label(xlabel, currency))
        ax.set_ylabel("Option: cost line")
        # Below the axis label: a fixed distance in points, whatever the figure height.
        below = transforms.offset_copy(ax.transAxes, fig=fig, y=-44, units="points")
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0),
                  bbox_transform=below, ncol=3)
        return _finish(fig, ax, title, footnote, "What moves the cost most")


_GUIDES = ((0.10, "P10"), (0.50, "P50"), (0.90, "P90"))


def s_curves(
    trials: pd.DataFrame,
    *,
    currency: str = "EUR",
    title: str | None = "Range of outcomes: cost at each level of confidence",
    ax: Axes | None = None,
    footnote: str | None = None,
    xlabel: str = "Present value of cost",
) -> Figure:
    """S-curves: the empirical cumulative distribution of each option's simulated cost.

    Read across from a probability on the vertical axis (guides at P10, P50, P90) to the cost
    that will not be exceeded with that probability.

    Parameters
    ----------
    trials : pandas.DataFrame
        Columns: options; rows: simulated present values (one row per trial).
    currency : str
    title, footnote : str, optional
    ax : matplotlib.axes.Axes, optional
    xlabel : str

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> trials = pd.DataFrame({"Buy": rng.normal(1e6, 1e5, 500), "Cloud": rng.normal(9e5, 2e5, 500)})
    >>> fig = s_curves(trials, currency="EUR")
    >>> [line.get_label() for line in fig.axes[0].get_lines()][:2]
    ['Buy', 'Cloud']
    """
    currency = _currency(currency, "currency")
    _check_common(title, footnote)
    _require_frame(trials, "trials")
    values = _numeric(trials, "trials")
    options = [str(c) for c in trials.columns]
    n = values.shape[0]
    # Empirical CDF: the k-th smallest of n values has cumulative probability k / n. Drawn as
    # steps, thinned to at most 1,000 points per curve so SVG files stay small.
    ordered = np.sort(values, axis=0)
    idx = np.unique(np.linspace(0, n - 1, min(n, 1000)).round().astype(int))
    probs = (idx + 1) / n
    with house_style():
        fig, ax = _canvas(ax)
        for i, option in enumerate(options):
            style = _line_style(i)
            ax.step(ordered[idx, i], probs, where="post", label=option,
                    markevery=max(1, len(idx) // 8), **style)
        for p, name in _GUIDES:
            ax.axhline(p, color=_MUTED, linewidth=0.8, linestyle=(0, (2, 2)), zorder=1,
                       label=f"_{name}")
            ax.annotate(name, (1.0, p), xycoords=("axes fraction", "data"), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=8, color=_MUTED)
        ax.set_ylim(0, 1.0)
        ax.yaxis.set_major_locator(mticker.MultipleLocator(0.1))
        ax.yaxis.set_major_formatter(mticker.PercentFormatter(1.0, decimals=0))
        ax.xaxis.set_major_formatter(money_formatter(currency))
        ax.grid(axis="x", visible=True)
        ax.set_xlabel(_money_label(xlabel, currency))
        ax.set_ylabel("Probability cost is at most x (%)")
        _legend_outside(ax, title="Option")
        ax.get_legend().set_bbox_to_anchor((1.06, 1.0))
        return _finish(fig, ax, title, footnote,
                       "Range of outcomes: cost at each level of confidence")


# --------------------------------------------------------------------------- forecasting and inventory


def _series_filter(data: pd.DataFrame, name: str, unique_id: Any) -> pd.DataFrame:
    ids = data["unique_id"].astype(str)
    chosen = data.loc[(ids == str(unique_id)).to_numpy()]
    if len(chosen) == 0:
        sample = ", ".join(repr(v) for v in pd.unique(ids)[:5])
        raise InputError(
            f"{name}, column 'unique_id': no rows for {unique_id!r}; expected one of the series "
            f"in the table ({sample}{', ...' if ids.nunique() > 5 else ''})"
        )
    return chosen


def _fan_fill(level_rank: int) -> str:
    """Blue tints for interval bands: the widest band lightest."""
    tints = ["#A6CBE3", "#CFE3F0", "#E6F0F7"]
    return tints[min(level_rank, len(tints) - 1)]


def forecast_fan(
    history: pd.DataFrame,
    forecast: pd.DataFrame,
    *,
    unique_id: Any,
    title: str | None = None,
    ax: Axes | None = None,
    units: str = "units",
    levels: Sequence[int] = (80, 95),
    footnote: str | None = None,
) -> Figure:
    """Fan chart of one series: its history, the point forecast and prediction intervals.

    Parameters
    ----------
    history : pandas.DataFrame
        Long format: ``unique_id``, ``ds``, ``y``.
    forecast : pandas.DataFrame
        Long format as returned by :func:`btm.forecast.forecast`: ``unique_id``, ``ds``,
        ``forecast``, ``model`` and ``lo_<level>``, ``hi_<level>`` for each of `levels`.
    unique_id : str
        The series to draw.
    title : str, optional
        Default: ``"Demand forecast: <unique_id>"``.
    ax : matplotlib.axes.Axes, optional
    units : str
        Unit of demand for the axis label.
    levels : sequence of int
        Interval levels in percent to shade (darker = narrower).
    footnote : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> hist = pd.DataFrame({"unique_id": "A", "ds": pd.date_range("2024-01-01", periods=6,
    ...                      freq="MS"), "y": [10.0, 12, 9, 11, 13, 12]})
    >>> fc = pd.DataFrame({"unique_id": "A", "ds": pd.date_range("2024-07-01", periods=2,
    ...     freq="MS"), "forecast": [12.0, 12], "model": "AutoETS", "lo_80": [9.0, 8],
    ...     "hi_80": [15.0, 16], "lo_95": [7.0, 6], "hi_95": [17.0, 18]})
    >>> fig = forecast_fan(hist, fc, unique_id="A")
    >>> fig.axes[0].get_title()
    'Demand forecast: A'
    """
    _check_common(title, footnote)
    units = _check_text(units, "units") or "units"
    if isinstance(levels, int | float) or not all(
        isinstance(v, int | np.integer) and not isinstance(v, bool) and 0 < v < 100 for v in levels
    ):
        raise InputError(f"levels: got {levels!r}; expected whole percentages such as (80, 95)")
    levels = sorted({int(v) for v in levels}, reverse=True)  # widest first
    _require_frame(history, "history", ("unique_id", "ds", "y"))
    bands = [c for lv in levels for c in (f"lo_{lv}", f"hi_{lv}")]
    _require_frame(forecast, "forecast", ("unique_id", "ds", "forecast", "model", *bands))
    hist = _series_filter(history, "history", unique_id)
    fc = _series_filter(forecast, "forecast", unique_id)
    hist = hist.iloc[np.argsort(_xy_dates(hist["ds"])[0], kind="stable")]
    fc = fc.iloc[np.argsort(_xy_dates(fc["ds"])[0], kind="stable")]
    hx, is_date = _xy_dates(hist["ds"])
    fx, _ = _xy_dates(fc["ds"])
    hy = _numeric(hist["y"], "history")[:, 0]
    fy = _numeric(fc["forecast"], "forecast")[:, 0]
    band_values = _numeric(fc[bands], "forecast")
    models = ", ".join(str(m) for m in pd.unique(fc["model"].astype(str)))
    with house_style():
        fig, ax = _canvas(ax)
        for rank, level in enumerate(levels):
            lo = band_values[:, bands.index(f"lo_{level}")]
            hi = band_values[:, bands.index(f"hi_{level}")]
            ax.fill_between(fx, lo, hi, color=_fan_fill(len(levels) - 1 - rank),
                            edgecolor="none", label=f"{level}% prediction interval", zorder=1)
        ax.plot(hx, hy, color=_INK, linestyle="-", marker="o", markersize=3.5, label="history",
                zorder=3)
        if len(hx) and len(fx):  # join the last actual to the first forecast for the eye
            ax.plot([hx[-1], fx[0]], [hy[-1], fy[0]], color=PALETTE[1], linestyle=":",
                    linewidth=1.2, zorder=3, label="_bridge")
        ax.plot(fx, fy, color=PALETTE[1], linestyle="--", marker="s", markersize=4,
                label=f"forecast ({models})", zorder=4)
        if len(hx):
            ax.axvline(hx[-1], color=_MUTED, linewidth=0.8, linestyle=":", zorder=2)
            ax.annotate("forecast starts", (hx[-1], 1.0), xycoords=("data", "axes fraction"),
                        xytext=(4, -2), textcoords="offset points", ha="left", va="top",
                        fontsize=8, color=_MUTED)
        ax.set_ylim(bottom=min(0.0, float(np.nanmin(np.concatenate([hy, band_values.ravel()])))))
        ax.set_xlabel("Date" if is_date else "Period")
        ax.set_ylabel(f"Demand ({units})")
        ax.yaxis.set_major_formatter(money_formatter(None))
        _legend_outside(ax)
        return _finish(fig, ax, title, footnote, f"Demand forecast: {unique_id}")


def forecast_fans(
    history: pd.DataFrame,
    forecast: pd.DataFrame,
    *,
    unique_ids: list[str],
    titles: list[str] | None = None,
    history_periods: int | None = 52,
    units: str = "units",
    levels: tuple[int, ...] = (80, 95),
    footnote: str | None = None,
) -> Figure:
    """Fan charts of several SKUs side by side, sharing one legend (see :func:`forecast_fan`).

    Parameters
    ----------
    history, forecast : pandas.DataFrame
        As for :func:`forecast_fan`.
    unique_ids : list of str
        The SKUs to show, one panel each, left to right.
    titles : list of str, optional
        One panel title per SKU; default ``"<unique_id>: <model>"``.
    history_periods : int or None
        Show only the last this many periods of history before each forecast (None: all).
    units, levels, footnote :
        As for :func:`forecast_fan`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> ds = pd.date_range("2024-01-01", periods=6, freq="W-MON")
    >>> h = pd.DataFrame({"unique_id": ["A"] * 4 + ["B"] * 4, "ds": list(ds[:4]) * 2,
    ...                   "y": [5.0, 6, 7, 6, 0, 2, 0, 1]})
    >>> f = pd.DataFrame({"unique_id": ["A", "A", "B", "B"], "ds": list(ds[4:]) * 2,
    ...     "forecast": [6.0, 6, 1, 1], "model": ["AutoETS"] * 2 + ["TSB"] * 2,
    ...     "lo_80": [5.0, 5, 0, 0], "hi_80": [7.0, 7, 2, 2], "lo_95": [4.0, 4, 0, 0],
    ...     "hi_95": [8.0, 8, 3, 3]})
    >>> fig = forecast_fans(h, f, unique_ids=["A", "B"])
    >>> [ax.get_title() for ax in fig.axes]
    ['A: AutoETS', 'B: TSB']
    """
    if isinstance(unique_ids, str) or not len(unique_ids):
        raise InputError(f"unique_ids: got {unique_ids!r}; expected a non-empty list of SKU ids")
    ids = [str(u) for u in unique_ids]
    if titles is not None and len(titles) != len(ids):
        raise InputError(
            f"titles: got {len(titles)} titles; expected one per SKU ({len(ids)})")
    _require_frame(history, "history", ("unique_id", "ds", "y"))
    _require_frame(forecast, "forecast", ("unique_id", "ds", "forecast", "model"))
    if history_periods is not None:
        history = history.assign(_ds=pd.to_datetime(history["ds"], errors="coerce"))
        history = (history.sort_values("_ds", kind="stable").groupby("unique_id", sort=False)
                   .tail(int(history_periods)).drop(columns="_ds"))
    with house_style():
        fig, axes = figure(ncols=len(ids), figsize=(4.8 * len(ids), 6.2))
        axes = np.atleast_1d(axes)
        for i, (ax, uid) in enumerate(zip(axes, ids, strict=True)):
            model = ", ".join(pd.unique(forecast.loc[forecast["unique_id"].astype(str) == uid,
                                                     "model"].astype(str)))
            forecast_fan(history, forecast, unique_id=uid, ax=ax, units=units, levels=levels,
                         title=titles[i] if titles is not None else f"{uid}: {model}")
            ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=4))
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
            legend = ax.get_legend()
            if legend is not None and i < len(ids) - 1:
                legend.remove()
            elif legend is not None:
                legend.texts[-1].set_text("forecast")
        if footnote:
            add_footnote(fig, footnote)
        return fig


_LOWER_IS_BETTER = {"mase", "mae", "rmse", "mse", "mape", "smape", "wape", "rmsse", "msse"}


def accuracy_by_class(
    accuracy: pd.DataFrame,
    *,
    metric: str = "mase",
    title: str | None = None,
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """Grouped bars of a forecast accuracy metric per demand class and model.

    Parameters
    ----------
    accuracy : pandas.DataFrame
        Columns ``demand_class``, ``model`` (or ``method``) and `metric`. Several rows for the
        same class and model are averaged.
    metric : str
        Column to plot. For MASE a reference line at 1 marks the seasonal naive forecast.
    title : str, optional
        Default: ``"Forecast accuracy by demand class (MASE)"``.
    ax : matplotlib.axes.Axes, optional
    footnote : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> acc = pd.DataFrame({"demand_class": ["smooth", "smooth", "lumpy", "lumpy"],
    ...                     "model": ["ETS", "Croston", "ETS", "Croston"],
    ...                     "mase": [0.8, 0.9, 1.4, 1.1]})
    >>> len(accuracy_by_class(acc).axes[0].patches)
    4
    """
    _check_common(title, footnote)
    if not isinstance(metric, str) or not metric:
        raise InputError(f"metric: got {metric!r}; expected a column name such as 'mase'")
    _require_frame(accuracy, "accuracy")
    by = "model" if "model" in accuracy.columns else "method"
    _require_frame(accuracy, "accuracy", ("demand_class", by, metric))
    scores = _numeric(accuracy[metric], "accuracy", allow_nan=True)[:, 0]
    tidy = pd.DataFrame({"demand_class": accuracy["demand_class"].astype(str).to_numpy(),
                         "model": accuracy[by].astype(str).to_numpy(), "score": scores})
    classes = list(pd.unique(tidy["demand_class"]))
    models = list(pd.unique(tidy["model"]))
    table = tidy.groupby(["demand_class", "model"], sort=False)["score"].mean().unstack("model")
    table = table.reindex(index=classes, columns=models)
    label = metric.upper() if metric.lower() in _LOWER_IS_BETTER else metric
    hint = " (lower is better)" if metric.lower() in _LOWER_IS_BETTER else ""
    n_models = len(models)
    with house_style():
        fig, ax = _canvas(ax, (max(6.0, min(12.0, 3.0 + 0.5 * len(classes) * n_models)), 4.5))
        x = np.arange(len(classes))
        width = 0.8 / n_models
        handles = []
        for j, model in enumerate(models):
            heights = table[model].to_numpy(dtype=float)
            present = ~np.isnan(heights)
            offset = (j - (n_models - 1) / 2) * width
            fill, hatch = _bar_colour(j), HATCHES[j % len(HATCHES)]
            bars = ax.bar(x[present] + offset, heights[present], width=width * 0.92, label=model)
            _style_bars(bars, fill, hatch)
            handles.append(_legend_patch(fill, hatch, model))
            for xi, h in zip(x[present] + offset, heights[present], strict=True):
                ax.annotate(f"{h:.2f}", (xi, h), xytext=(0, 2), textcoords="offset points",
                            ha="center", va="bottom" if h >= 0 else "top", fontsize=8,
                            color=_INK, zorder=5,
                            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                                  "edgecolor": "none", "alpha": 0.8})
        if metric.lower() == "mase":
            ax.axhline(1.0, color=_INK, linewidth=1.0, linestyle="--", zorder=0.9)
            handles.append(Line2D([], [], color=_INK, linewidth=1.0, linestyle="--",
                                  label="naive forecast (MASE = 1)"))
        ax.set_xticks(x, classes)
        ax.set_xlabel("Demand class")
        ax.set_ylabel(f"{label}{hint}")
        _legend_outside(ax, handles=handles, title="Model" if by == "model" else "Method")
        return _finish(fig, ax, title, footnote, f"Forecast accuracy by demand class ({label})")


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of True values."""
    padded = np.concatenate([[False], mask, [False]]).astype(int)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), (edges[1::2] - 1).tolist(), strict=True))


def inventory_replay(
    replay: pd.DataFrame,
    *,
    unique_id: Any = None,
    units: str = "units",
    title: str | None = None,
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """Replay of an inventory policy over time: demand, stock on hand, stock on order, stockouts.

    Parameters
    ----------
    replay : pandas.DataFrame
        One row per period: ``ds``, ``demand``, ``on_hand`` (end-of-period stock) and optional
        ``on_order``, ``orders`` (quantity ordered), ``receipts`` (quantity received),
        ``stockout`` (true in a period with unmet demand) and ``unique_id`` (then `unique_id`
        picks the series; required when there are several).
    unique_id : str, optional
    units : str
    title : str, optional
        Default: ``"Inventory replay"`` (with the series name).
    ax : matplotlib.axes.Axes, optional
    footnote : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> replay = pd.DataFrame({"ds": range(1, 7), "demand": [5, 7, 6, 9, 4, 6],
    ...     "on_hand": [15, 8, 2, 0, 16, 10], "stockout": [False, False, False, True, False, False]})
    >>> fig = inventory_replay(replay, units="boxes")
    >>> fig.axes[0].get_ylabel()
    'Quantity (boxes)'
    """
    _check_common(title, footnote)
    units = _check_text(units, "units") or "units"
    data = _require_frame(replay, "replay", ("ds", "demand", "on_hand"))
    if "unique_id" in data.columns:
        ids = pd.unique(data["unique_id"].astype(str))
        if unique_id is None and len(ids) > 1:
            raise InputError(
                f"unique_id: got None but replay holds {len(ids)} series; expected one of "
                + ", ".join(repr(i) for i in ids[:5])
            )
        if unique_id is not None:
            data = _series_filter(data, "replay", unique_id)
        elif len(ids) == 1:
            unique_id = ids[0]
    elif unique_id is not None:
        raise InputError(
            "unique_id: given but replay has no 'unique_id' column; expected None or a "
            "'unique_id' column"
        )
    x, is_date = _xy_dates(data["ds"])
    order = np.argsort(x, kind="stable")
    data = data.iloc[order]
    x = x[order]
    demand = _numeric(data["demand"], "replay")[:, 0]
    on_hand = _numeric(data["on_hand"], "replay")[:, 0]
    stockout = None
    if "stockout" in data.columns:
        col = data["stockout"]
        if not (pd.api.types.is_bool_dtype(col) or set(pd.unique(col)) <= {0, 1}):
            raise InputError(f"replay, column 'stockout': got {col.iloc[0]!r} ...; "
                             "expected true/false values")
        stockout = col.to_numpy(dtype=bool)
    if len(x) > 1:
        step = np.median(np.diff(x))
    else:
        step = np.timedelta64(1, "D") if is_date else 1.0
    with house_style():
        fig, ax = _canvas(ax)
        bars = ax.bar(x, demand, width=step * 0.7, label="demand in period", zorder=2)
        _style_bars(bars, "#BDBDBD", "")
        ax.step(x, on_hand, where="mid", color=PALETTE[1], linestyle="-", linewidth=2.2,
                label="on hand (end of period)", zorder=4)
        if "on_order" in data.columns:
            on_order = _numeric(data["on_order"], "replay", allow_nan=True)[:, 0]
            ax.step(x, on_order, where="mid", color=_MUTED, linestyle=":", linewidth=1.4,
                    label="on order (not yet received)", zorder=3)
        for k, column in enumerate(("orders", "receipts")):
            if column in data.columns:
                qty = np.nan_to_num(_numeric(data[column], "replay", allow_nan=True)[:, 0])
                mask = qty > 0
                ax.plot(x[mask], qty[mask], linestyle="none", marker=("v", "^")[k],
                        markersize=7, color=(PALETTE[3], PALETTE[1])[k],
                        markeredgecolor=_INK, label=f"{column[:-1]} placed" if k == 0
                        else "receipt arrives", zorder=5)
        if stockout is not None:
            for k, (first, last) in enumerate(_runs(stockout)):
                span = ax.axvspan(x[first] - step / 2, x[last] + step / 2, facecolor="#F6D5C3",
                                  edgecolor=PALETTE[2], hatch="xx", linewidth=0.0, zorder=0,
                                  label="stockout" if k == 0 else "_stockout")
                if hasattr(span, "set_hatchcolor"):
                    span.set_hatchcolor("#E0A080")
        ax.set_ylim(bottom=0)
        ax.set_xlabel("Period" if not is_date else "Date")
        ax.set_ylabel(f"Quantity ({units})")
        ax.yaxis.set_major_formatter(money_formatter(None))
        _legend_outside(ax)
        default = "Inventory replay" + (f": {unique_id}" if unique_id is not None else "")
        return _finish(fig, ax, title, footnote, default)


def service_inventory_curve(
    curve: pd.DataFrame,
    *,
    currency: str = "EUR",
    title: str | None = "Service level vs inventory investment",
    ax: Axes | None = None,
    footnote: str | None = None,
) -> Figure:
    """Trade-off curve: average inventory value needed for each service level.

    Parameters
    ----------
    curve : pandas.DataFrame
        Columns ``service_level`` (fraction, 0 to 1) and ``average_inventory_value`` (money),
        optional ``policy`` for several curves.
    currency : str
    title, footnote : str, optional
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> curve = pd.DataFrame({"service_level": [0.9, 0.95, 0.99],
    ...                       "average_inventory_value": [120_000, 150_000, 210_000]})
    >>> service_inventory_curve(curve).axes[0].get_ylabel()
    'Average inventory value (EUR)'
    """
    currency = _currency(currency, "currency")
    _check_common(title, footnote)
    data = _require_frame(curve, "curve", ("service_level", "average_inventory_value"))
    level = _numeric(data["service_level"], "curve")[:, 0]
    bad = (level < 0) | (level > 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        hint = ", which looks like a percentage" if 1 < level[i] <= 100 else ""
        raise InputError(f"curve, row {i + 1}, column 'service_level': got {level[i]:g}{hint}; "
                         "expected a fraction from 0 to 1")
    value = _numeric(data["average_inventory_value"], "curve")[:, 0]
    policy = (data["policy"].astype(str).to_numpy() if "policy" in data.columns
              else np.full(len(data), ""))
    names = list(pd.unique(policy))
    with house_style():
        fig, ax = _canvas(ax)
        for i, name in enumerate(names):
            mask = policy == name
            order = np.argsort(level[mask], kind="stable")
            ax.plot(level[mask][order], value[mask][order], label=name or "_policy",
                    **_line_style(i))
        ax.xaxis.set_major_locator(mticker.MaxNLocator(nbins=8, steps=[1, 2, 5, 10]))
        ax.xaxis.set_major_formatter(_percent_formatter())
        ax.yaxis.set_major_formatter(money_formatter(currency))
        ax.grid(axis="x", visible=True)
        ax.set_xlabel("Service level (%)")
        ax.set_ylabel(_money_label("Average inventory value", currency))
        if any(names):
            _legend_outside(ax, title="Policy")
        return _finish(fig, ax, title, footnote, "Service level vs inventory investment")


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

    Examples
    --------
    >>> import pandas as pd
    >>> freed = pd.Series({"smooth": 120_000.0, "erratic": 45_000.0, "lumpy": -8_000.0})
    >>> fig = bar_summary(freed, currency="EUR", title="Inventory value freed by demand class")
    >>> fig.axes[0].get_xlabel()
    'Value (EUR)'
    """
    currency = _currency(currency, "currency", allow_none=True)
    if not isinstance(title, str):
        raise InputError(f"title: got {title!r}; expected text")
    _check_common(title, footnote)
    _check_text(xlabel, "xlabel")
    if isinstance(values, pd.DataFrame) and values.shape[1] == 1:
        values = values.iloc[:, 0]
    if not isinstance(values, pd.Series):
        raise InputError(f"values: got {type(values).__name__}; expected a pandas Series")
    if len(values) == 0:
        raise InputError("values: the Series is empty; expected at least one value")
    numbers = _numeric(values.rename("values"), "values")[:, 0]
    labels = [str(v) for v in values.index]
    n = len(numbers)
    negative = numbers < 0
    with house_style():
        fig, ax = _canvas(ax, (8.0, max(2.6, 1.3 + 0.45 * n)))
        y = np.arange(n)[::-1]
        pos = ax.barh(y[~negative], numbers[~negative], height=0.62, label="positive")
        _style_bars(pos, PALETTE[1], "")
        neg = ax.barh(y[negative], numbers[negative], height=0.62, label="negative")
        _style_bars(neg, PALETTE[2], "//")
        for yi, v in zip(y, numbers, strict=True):
            ax.annotate(format_money(float(v), currency), (v, yi),
                        xytext=(4 if v >= 0 else -4, 0), textcoords="offset points",
                        ha="left" if v >= 0 else "right", va="center", fontsize=9, color=_INK)
        lo, hi = min(0.0, float(numbers.min())), max(0.0, float(numbers.max()))
        pad = 0.18 * max(hi - lo, 1e-9)  # room for the value labels beyond the bar ends
        ax.set_xlim(lo - (1.6 * pad if lo < 0 else 0), hi + (pad if hi > 0 else 0))
        ax.axvline(0, color=_INK, linewidth=0.8)
        ax.set_yticks(y, labels)
        ax.set_ylim(-0.6, n - 0.4)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.xaxis.set_major_formatter(money_formatter(currency))
        ax.set_xlabel(_money_label(xlabel or "Value", currency))
        if values.index.name is not None:
            ax.set_ylabel(str(values.index.name))
        if negative.any():
            _legend_outside(ax, handles=[_legend_patch(PALETTE[1], "", "positive"),
                                         _legend_patch(PALETTE[2], "//", "negative")])
        return _finish(fig, ax, title, footnote, title)
