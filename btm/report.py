"""What a notebook calls to write its outputs into its run folder.

A notebook declares ``output_dir: str = ""`` in its parameters cell and makes one
:class:`RunOutput` from it. ``btm run`` sets ``output_dir`` to the run folder; run interactively
(or by nbval) it is empty and every method does nothing, so exploring a notebook writes nothing.

``results.json`` is what the board pack and sweeps read::

    {"analysis": "tco_comparison", "title": "...",
     "key_numbers": {"npv_saving": {"value": 1.2e6, "unit": "EUR", "label": "NPV saving"}},
     "key_messages": ["Cloud is cheaper over 5 years ..."],
     "figures": [{"name": "cumulative_cost", "title": "...", "caption": "...",
                  "png": "figures/cumulative_cost.png", "svg": "figures/cumulative_cost.svg"}],
     "tables": [{"name": "summary", "csv": "tables/summary.csv"}]}

Figures are listed in the order the notebook saved them: that is their order in the board pack.
Key number units: an ISO currency code (``"EUR"``) is shown as money, ``"%"`` marks a fraction
shown as a percentage (``0.08`` → 8 %), anything else is shown after the number.

Examples
--------
>>> import tempfile, json, pathlib
>>> out = RunOutput("")            # interactive: nothing is written
>>> out.results(title="T", key_numbers={"x": 1.0}, key_messages=["m"]) is None
True
>>> with tempfile.TemporaryDirectory() as d:
...     out = RunOutput(d, analysis="demo")
...     path = out.results(title="Demo", key_numbers={"saving": {"value": 2.5, "unit": "EUR"}},
...                        key_messages=["B is cheaper."])
...     json.loads(path.read_text())["key_numbers"]["saving"]
{'value': 2.5, 'unit': 'EUR', 'label': 'saving'}
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import numbers
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from btm.errors import InputError

__all__ = ["RunOutput", "to_jsonable", "start", "show_messages", "escape_markdown", "safe_csv", "RESULTS_FILE"]

RESULTS_FILE = "results.json"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def to_jsonable(value: Any) -> Any:
    """Convert numpy/pandas scalars and containers to plain JSON values; NaN and inf → None.

    Examples
    --------
    >>> import numpy as np
    >>> to_jsonable({"a": np.float64("nan"), "b": np.int64(3), "c": (np.bool_(True), 1.5)})
    {'a': None, 'b': 3, 'c': [True, 1.5]}
    >>> import pandas as pd
    >>> to_jsonable([pd.NA, pd.NaT, pd.Timestamp("2024-01-31"), np.array([1.0, np.inf])])
    [None, None, '2024-01-31T00:00:00', [1.0, None]]
    """
    if value is None or isinstance(value, str | bool):
        return value
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas.NA, pandas.NaT
        return None
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    if hasattr(value, "tolist") and not isinstance(value, numbers.Number):
        return to_jsonable(value.tolist())  # numpy arrays, pandas Series/Index
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        try:
            value = value.item()
        except (TypeError, ValueError):
            return str(value)
        if isinstance(value, str | bool) or value is None:
            return value
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        x = float(value)
        return x if math.isfinite(x) else None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _check_name(name: str, what: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise InputError(
            f"{what} name: got {name!r}; expected letters, digits, '_' or '-' "
            "(it becomes a file name)"
        )
    return name


@dataclass(frozen=True)
class RunOutput:
    """Writer of a run's figures, tables and ``results.json``.

    Parameters
    ----------
    output_dir : str, path-like or None
        The run folder (``btm run`` passes it as the notebook's ``output_dir`` parameter).
        Empty or None: every method is a no-op and returns None.
    analysis : str, optional
        Name recorded in ``results.json``; default: the run folder's parent folder name.

    Examples
    --------
    >>> RunOutput(None).enabled
    False
    """

    output_dir: str | os.PathLike[str] | None
    analysis: str | None = None
    _figures: list[dict[str, Any]] = field(default_factory=list, repr=False, compare=False)
    _tables: list[dict[str, Any]] = field(default_factory=list, repr=False, compare=False)

    @property
    def enabled(self) -> bool:
        """Whether this output writes anything (an output folder was given)."""
        return self.output_dir is not None and str(self.output_dir).strip() != ""

    @property
    def path(self) -> Path | None:
        """The output folder, or None when disabled."""
        return Path(self.output_dir) if self.enabled else None  # type: ignore[arg-type]

    def _folder(self) -> Path:
        """The output folder, created if needed; a run folder of ``btm run`` that is gone
        (the run was interrupted, its folder marked) is never made again, so a kernel that
        outlived its run cannot write into a folder that looks like a fresh one."""
        path = Path(self.output_dir)  # type: ignore[arg-type]
        if path.name.startswith(".") and path.name.endswith(".partial") and not path.is_dir():
            raise InputError(f"output_dir: the run folder {path} is gone (the run was "
                             "interrupted and marked); nothing was written")
        path.mkdir(parents=True, exist_ok=True)
        return path

    def figure(
        self, fig: Any, name: str, *, title: str | None = None, caption: str | None = None
    ) -> list[Path] | None:
        """Save `fig` as ``figures/<name>.png`` and ``.svg`` (house style) and record it.

        Returns the files written, or None when disabled. Saving a name twice replaces the
        earlier entry (the notebook's last word counts) but keeps its position.
        """
        _check_name(name, "figure")
        if not self.enabled:
            return None
        from btm import charts

        folder = self._folder() / "figures"
        folder.mkdir(exist_ok=True)
        files = [Path(f) for f in charts.save_figure(fig, folder, name, formats=figure_formats())]
        entry: dict[str, Any] = {"name": name, "title": title, "caption": caption}
        for f in files:
            entry[f.suffix.lstrip(".").lower()] = f"figures/{f.name}"
        entry.setdefault("png", None)
        entry.setdefault("svg", None)
        self._replace(self._figures, entry)
        return files

    def table(self, df: Any, name: str, *, index: bool | None = None) -> Path | None:
        """Write a DataFrame (or Series) as ``tables/<name>.csv`` and record it.

        The index is written when it is named or not a plain RangeIndex (unless `index` says
        otherwise). Returns the file written, or None when disabled.
        """
        _check_name(name, "table")
        if not self.enabled:
            return None
        import pandas as pd

        if isinstance(df, pd.Series):
            df = df.to_frame()
        if not isinstance(df, pd.DataFrame):
            raise InputError(f"table '{name}': got {type(df).__name__}; expected a DataFrame")
        if index is None:
            index = not isinstance(df.index, pd.RangeIndex) or any(
                n is not None for n in df.index.names
            )
        folder = self._folder() / "tables"
        folder.mkdir(exist_ok=True)
        target = folder / f"{name}.csv"
        safe_csv(df).to_csv(target, index=index)
        self._replace(self._tables, {"name": name, "csv": f"tables/{name}.csv"})
        return target

    def results(
        self,
        *,
        title: str,
        key_numbers: dict[str, dict[str, Any] | float],
        key_messages: list[str],
    ) -> Path | None:
        """Write ``results.json`` with the key numbers, key messages, figures and tables.

        Parameters
        ----------
        title : str
            The analysis's title for readers (board pack page heading).
        key_numbers : dict
            ``{name: value}`` or ``{name: {"value": v, "unit": "EUR", "label": "NPV saving"}}``;
            label defaults to the name, unit to ``""``. NaN is written as null.
        key_messages : list of str
            Plain-word sentences, most important first.

        Returns
        -------
        pathlib.Path or None
            The file written, or None when disabled.
        """
        numbers_out = {}
        if not isinstance(key_numbers, dict):
            raise InputError(
                f"key_numbers: got {type(key_numbers).__name__}; expected a dict of name → value"
            )
        for name, spec in key_numbers.items():
            if isinstance(spec, dict):
                unknown = set(spec) - {"value", "unit", "label"}
                if "value" not in spec or unknown:
                    raise InputError(
                        f"key_numbers['{name}']: got keys {sorted(spec)}; expected 'value' "
                        "and optionally 'unit' and 'label'"
                    )
                value, unit, label = spec["value"], spec.get("unit", ""), spec.get("label")
            else:
                value, unit, label = spec, "", None
            value = to_jsonable(value)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise InputError(f"key_numbers['{name}']: got {value!r}; expected a number")
            numbers_out[str(name)] = {
                "value": value,
                "unit": str(unit or ""),
                "label": str(label) if label else str(name),
            }
        if isinstance(key_messages, str) or not all(isinstance(m, str) for m in key_messages):
            raise InputError("key_messages: expected a list of sentences (str)")
        if not self.enabled:
            return None
        doc = {
            "analysis": self.analysis or self.path.resolve().parent.name,  # type: ignore[union-attr]
            "title": str(title),
            "key_numbers": numbers_out,
            "key_messages": list(key_messages),
            "figures": [dict(f) for f in self._figures],
            "tables": [dict(t) for t in self._tables],
        }
        target = self._folder() / RESULTS_FILE
        target.write_text(
            json.dumps(to_jsonable(doc), indent=2, ensure_ascii=False, allow_nan=False) + "\n",
            encoding="utf-8",
        )
        return target

    @staticmethod
    def _replace(entries: list[dict[str, Any]], entry: dict[str, Any]) -> None:
        for i, e in enumerate(entries):
            if e["name"] == entry["name"]:
                entries[i] = entry
                return
        entries.append(entry)


_FORMATS_ENV = "BTM_FIGURE_FORMATS"


def figure_formats() -> tuple[str, ...]:
    """The file formats :meth:`RunOutput.figure` writes: ``png`` and ``svg`` unless the
    ``BTM_FIGURE_FORMATS`` environment variable (set by a sweep's ``figure_formats``) says
    otherwise, e.g. ``png``. PNG is always written: the board pack needs it.

    Examples
    --------
    >>> import os
    >>> os.environ.pop("BTM_FIGURE_FORMATS", None) and None
    >>> figure_formats()
    ('png', 'svg')
    """
    text = os.environ.get(_FORMATS_ENV, "").strip().lower()
    if not text:
        return ("png", "svg")
    chosen = [f.strip() for f in text.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in ("png", "svg", "pdf")]
    if unknown:
        raise InputError(f"{_FORMATS_ENV}: got {unknown[0]!r}; expected png, svg or pdf")
    return tuple(dict.fromkeys(["png", *chosen]))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _defuse(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_csv(df: Any) -> Any:
    """A copy of `df` whose text cells cannot run as spreadsheet formulas (OWASP CSV injection).

    Text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return (in cells, column
    names and the index) gets a leading ``'``, which Excel and LibreOffice show as text. Numbers
    are left alone (``-5`` stays a number). The input is not modified.

    Examples
    --------
    >>> import pandas as pd
    >>> safe_csv(pd.DataFrame({"option": ["=HYPERLINK(1)", "SaaS"], "cost": [-5.0, 1.0]}))
               option  cost
    0  '=HYPERLINK(1)  -5.0
    1            SaaS   1.0
    """
    import pandas as pd

    out = df.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col])
                or pd.api.types.is_datetime64_any_dtype(out[col])):
            out[col] = out[col].map(_defuse)
    out.columns = [_defuse(c) for c in out.columns]
    if not pd.api.types.is_numeric_dtype(out.index) and not isinstance(out.index, pd.MultiIndex):
        out.index = pd.Index([_defuse(v) for v in out.index], name=_defuse(out.index.name))
    return out


def _float_format(x: float) -> str:
    """A table cell's number as pandas shows it, with thousands separators.

    From 1,000 up: whole, with separators (money and units: the decimals are noise there).
    Below: as the analyst rounded it, to at most six significant digits (pandas' own
    ``display.precision``), trailing zeros dropped, so ``.round(3)`` shows three decimals and
    an unrounded share keeps the digits it has: never fewer than three significant digits
    (``0.9961`` is not ``1.00``, nor ``0.145`` ``0.14``).

    Examples
    --------
    >>> [_float_format(x) for x in (0.9961, 0.995, 0.145, 2 / 3, 1.0, -0.0, 0.1 + 0.2)]
    ['0.9961', '0.995', '0.145', '0.666667', '1', '0', '0.3']
    >>> [_float_format(x) for x in (999.9996, 1234.56, 9_994_039.37, -26_257.3, 1.23e-07)]
    ['1,000', '1,235', '9,994,039', '-26,257', '1.23e-07']
    """
    if math.isfinite(x) and abs(x) >= 999.9995:
        return f"{x:,.0f}"
    return "0" if x == 0 else f"{x:.6g}"


def start(output_dir: str | os.PathLike[str] | None, *, analysis: str) -> RunOutput:
    """Begin an analysis notebook: the house's table display and the run's output writer.

    Sets pandas to show numbers with thousands separators (``1,234,567``) and, below 1,000,
    as the notebook rounded them, to at most six significant digits (``0.9961``, ``0.145``;
    see :func:`_float_format`), and wide tables, and returns the :class:`RunOutput` of the run folder (a no-op
    writer when `output_dir` is empty, as in JupyterLab).

    Examples
    --------
    >>> import pandas as pd
    >>> out = start("", analysis="tco_comparison")
    >>> out.enabled, pd.get_option("display.width")
    (False, 140)
    >>> pd.reset_option("display.float_format"); pd.reset_option("display.width")
    """
    import pandas as pd

    pd.set_option("display.float_format", _float_format)
    pd.set_option("display.width", 140)
    return RunOutput(output_dir, analysis=analysis)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")


def escape_markdown(text: str) -> str:
    """Text from an input file made safe for a Markdown cell: HTML escaped, Markdown quoted.

    An option named ``<script>alert(1)</script>`` in a cost file is shown as those characters,
    never run, in JupyterLab and in ``report.html``; ``*`` or ``_`` in a name stay as typed.

    Examples
    --------
    >>> print(escape_markdown("<script>alert('x')</script> *cheap* & cheerful"))
    &lt;script&gt;alert('x')&lt;/script&gt; \\*cheap\\* &amp; cheerful
    """
    import html

    return html.escape(_MARKDOWN_SPECIAL.sub(r"\\\1", str(text)), quote=False)


def show_messages(key_messages: list[str]) -> Any:
    """Display key messages as a Markdown bullet list, each escaped (:func:`escape_markdown`).

    Returns the ``IPython.display.Markdown`` object (the notebook cell shows it).
    """
    from IPython.display import Markdown

    if isinstance(key_messages, str) or not all(isinstance(m, str) for m in key_messages):
        raise InputError("key_messages: expected a list of sentences (str)")
    return Markdown("\n".join(f"- {escape_markdown(m)}" for m in key_messages))
