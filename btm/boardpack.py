"""Assemble the board pack from run folders: a PDF (A4 landscape), a PowerPoint deck, HTML.

:func:`build` runs every board-pack analysis (notebook metadata ``btm.boardpack: true``, in the
order of ``btm.order``) with :func:`btm.runs.run`, or takes the latest existing runs, then reads
each run's ``results.json`` and ``figures/*.png``; nothing scrapes a notebook. It writes
``<reports_dir>/boardpack/<id>/`` with ``boardpack.pdf`` (cover, contents, per analysis a page of
key numbers and key messages, one page per figure with its number, title, key message and an
assumptions footnote, and appendix tables; every page names its run), ``boardpack.pptx`` (the
same content as editable slides, provenance in the speaker notes, see :mod:`btm.slides`),
``index.html`` with the figures copied into ``figures/``, and ``manifest.json`` listing the
runs used. ``sweep=ID`` gives one section per run of that sweep (one per scenario) instead.

Figures are numbered ``<section>.<figure>``: the section number is the section's position in
the pack (1, 2, 3, ... as the contents list them; a spec's ``order`` only sorts, so an unused
order leaves no gap), the figure number its place in the analysis's spec. A failed analysis
gets a page saying so; the board pack is still built and its manifest says
``"status": "incomplete"``.

Examples
--------
>>> format_key_number({"value": 1_234_567, "unit": "EUR"})
'EUR 1.2M'
>>> format_key_number({"value": 0.08, "unit": "%"})
'8%'
>>> format_key_number({"value": 5, "unit": "years"})
'5 years'
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import math
import os
import re
import shutil
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import btm
from btm import analyses as _analyses
from btm import files as _files
from btm import runs as _runs
from btm import style
from btm.errors import InputError
from btm.report import RESULTS_FILE, to_jsonable

__all__ = ["build", "format_key_number", "split_parameters", "PACK_TITLE", "Section",
           "figure_number", "assumptions", "footnote_lines", "run_lines", "provenance",
           "figure_message", "appendix_tables"]

PACK_TITLE = "Technology decisions — board pack"
_A4_LANDSCAPE = (11.69, 8.27)  # inches
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_INK, _MUTED, _ACCENT, _RULE, _ALERT = "#222222", "#555555", "#0072B2", "#DDDDDD", "#D55E00"


@dataclass(frozen=True)
class Section:
    """What the board pack shows for one analysis (read from its run folder)."""

    analysis: str
    title: str
    run: _runs.RunRecord
    results: dict[str, Any] | None
    figures: list[dict[str, Any]] = field(default_factory=list)
    number: int = 0  # position in the pack (from 1): figures are numbered <number>.<k>
    scenario: str | None = None
    manifest: dict[str, Any] = field(default_factory=dict)
    tables: list[dict[str, Any]] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """Pages this section takes in the PDF (summary, one per figure, one per table)."""
        return 1 + len(self.figures) + len(self.tables)

    @property
    def heading(self) -> str:
        """The section's title, with its scenario in a sweep pack."""
        return f"{self.title} — {self.scenario}" if self.scenario else self.title


def figure_number(s: Section, entry: Mapping[str, Any]) -> str:
    """``"<section>.<figure>"``: the section's position in the pack, then the figure's place
    in the analysis's spec (``FigureSpec`` order), else in the run's ``results.json``.
    """
    spec = _analyses.get_spec(s.analysis)
    names = [f.name for f in spec.figures] if spec is not None and spec.figures else []
    if entry.get("name") in names:
        k = names.index(entry["name"]) + 1
    else:
        k = len(names) + 1 + [f["name"] for f in s.figures].index(entry["name"])
    return f"{s.number}.{k}"


def figure_message(s: Section, entry: Mapping[str, Any]) -> str:
    """The key message a figure page states: the figure's own (``message`` in results.json),
    else the analysis's headline (its first key message)."""
    messages = (s.results or {}).get("key_messages") or []
    return str(entry.get("message") or (messages[0] if messages else ""))


def _short(v: Any) -> str:
    """A parameter's value in a page's words: an absolute path by its file name, a list
    compactly (``[5, 10, 15]``: brackets, so its commas are not read as between parameters),
    a dict as ``{key: value}``, anything else as written (a label ``$110/user`` is no path).

    >>> _short([5, 10.5, "/data/a.csv"]), _short({"run": 0.7, "grow": [1, 2]}), _short([])
    ('[5, 10.5, a.csv]', '{run: 0.7, grow: [1, 2]}', '[]')
    >>> _short("SaaS ($110/user)")
    'SaaS ($110/user)'
    """
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_short(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_short(x)}" for k, x in v.items()) + "}"
    if isinstance(v, str) and os.path.isabs(v):
        return Path(v).name
    return str(v)


def _parameter_texts(params: Mapping[str, Any]) -> list[str]:
    """``name = value`` for each parameter a reader should see: every one but input paths
    (their file names are listed as inputs), lists and dicts included, so a pack run with
    ``-p risk_register.thresholds [5,10]`` never looks like a default one.

    >>> _parameter_texts({"costs_file": "/x/costs.csv", "thresholds": [5, 10], "seed": 1})
    ['thresholds = [5, 10]', 'seed = 1']
    """
    return [f"{k} = {_short(v)}" for k, v in params.items() if not _runs.is_path_parameter(k)]


def assumptions(s: Section) -> str:
    """One line for a page's footnote: the run's parameters and inputs (file names)."""
    params = s.manifest.get("parameters") or s.run.parameters or {}
    shown = _parameter_texts(params)
    inputs = [Path(str(i.get("path", ""))).name for i in (s.manifest.get("inputs") or {}).values()]
    text = "Assumptions: " + (", ".join(shown) if shown else "the notebook's defaults")
    if inputs:
        text += " · inputs: " + ", ".join(inputs)
    return text


#: A footnote's type size (points) and characters a line at that size across the page's text
#: width (x = 0.06 to 0.94 of A4 landscape, 741 points): a line of digits, the widest a
#: footnote has (0.64 em each), still fits; words take about 80 % of the width.
FOOTNOTE_SIZE = 7.5
FOOTNOTE_WIDTH = 170
_FOOTNOTE_MAX_LINES = 5  # 875 characters; beyond that the figure would be crowded out


def _wrap_lines(text: str, width: int, max_lines: int | None = None) -> list[str]:
    """`text` wrapped at spaces, at most `max_lines` lines (the last ending in ``…`` when
    cut); a parameter's name stays on the line of its value (``seed = 2026`` is not split at
    its ``=``) and a date or a range such as ``500-1999`` is not split at its hyphen.

    >>> _wrap_lines("Run 1  ·  seed = 2026, as_of = 2025-03-31", 24)
    ['Run 1  ·  seed = 2026,', 'as_of = 2025-03-31']
    """
    glued = str(text).replace(" = ", "\N{NO-BREAK SPACE}=\N{NO-BREAK SPACE}")
    lines = textwrap.wrap(glued, width=width, break_on_hyphens=False, max_lines=max_lines,
                          placeholder=" …")
    return [line.replace("\N{NO-BREAK SPACE}", " ") for line in lines]


def footnote_lines(s: Section, width: int = FOOTNOTE_WIDTH) -> list[str]:
    """A page's footnote, :func:`assumptions`, wrapped onto as many lines as it needs (up to
    five), so the inputs at its end are never cut off; the PDF and the slides draw these
    lines, the speaker notes keep the full :func:`provenance`.

    >>> from types import SimpleNamespace
    >>> run = SimpleNamespace(parameters={"thresholds": [4, 9, 16], "seed": 1})
    >>> s = Section("x", "X", run, None, manifest={"inputs": {"f": {"path": "/d/risks.csv"}}})
    >>> footnote_lines(s, width=40)
    ['Assumptions: thresholds = [4, 9, 16],', 'seed = 1 · inputs: risks.csv']
    """
    return _wrap_lines(assumptions(s), width, _FOOTNOTE_MAX_LINES)


def run_lines(s: Section, width: int = 150) -> list[str]:
    """The line under a summary page's heading, wrapped: the run id and the parameters a
    reader should see (:func:`assumptions` names them the same way), in the PDF and on the
    summary slide alike.

    >>> from types import SimpleNamespace
    >>> run = SimpleNamespace(run_id="R1", parameters={"thresholds": [4, 9], "seed": 1})
    >>> run_lines(Section("x", "X", run, None), width=32)
    ['Run R1  ·  thresholds = [4, 9],', 'seed = 1']
    """
    return _wrap_lines(f"Run {s.run.run_id}" + _params_line(s.run.parameters or {}), width)


def provenance(s: Section) -> list[str]:
    """Lines naming where a page's numbers come from: run, parameters, input hashes, versions."""
    m = s.manifest
    lines = [f"Run {s.run.run_id} of analysis {s.analysis} ({s.run.status})",
             f"Run folder: {s.run.path}"]
    if m.get("finished_at"):
        lines.append(f"Finished: {m['finished_at']}")
    if (m.get("sweep") or {}).get("id"):
        lines.append(f"Sweep {m['sweep']['id']}, run {m['sweep'].get('index')}: "
                     f"{m['sweep'].get('scenario', '')}")
    params = m.get("parameters") or s.run.parameters or {}
    lines.append("Parameters: " + (", ".join(f"{k} = {v}" for k, v in params.items()) or "none"))
    for name, i in (m.get("inputs") or {}).items():
        lines.append(f"Input {name}: {i.get('path')} (SHA-256 {i.get('sha256')})")
    if m.get("notebook_sha256"):
        lines.append(f"Notebook: {m.get('notebook')} (SHA-256 {m['notebook_sha256']})")
    versions = m.get("versions") or {}
    if versions:
        lines.append("Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()
                                              if k in ("python", "btm", "pandas", "numpy")))
    if (m.get("git") or {}).get("commit"):
        lines.append(f"Git commit: {m['git']['commit']}" + (" (modified)" if m['git'].get("dirty") else ""))
    lines.append(f"Check it: btm verify {s.run.path}")
    return lines


def appendix_tables(s: Section, *, max_rows: int = 12, max_cols: int = 7,
                    max_chars: int = 28) -> list[dict[str, Any]]:
    """The run's tables (``results.json`` ``tables``) cut to fit a page: name, header, rows,
    and a note of what was left out."""
    import pandas as pd

    out = []
    for t in s.tables:
        try:
            df = pd.read_csv(t["csv_path"], **_files.ONLY_BLANK_IS_MISSING)  # "NA" stays text
        except (OSError, ValueError, pd.errors.ParserError):
            continue
        note = []
        if len(df) > max_rows:
            note.append(f"first {max_rows} of {len(df)} rows")
        if df.shape[1] > max_cols:
            note.append(f"first {max_cols} of {df.shape[1]} columns")
        cut = df.iloc[:max_rows, :max_cols]
        rows = [[_cell(v, max_chars) for v in r] for r in cut.itertuples(index=False)]
        out.append({"name": t["name"], "header": [str(c) for c in cut.columns], "rows": rows,
                    "note": ("; ".join(note) + f"; full table in {t['csv']}") if note else
                    f"full table in {t['csv']}"})
    return out


def _cell(v: Any, max_chars: int = 28) -> str:
    if isinstance(v, float):
        if not math.isfinite(v):
            return ""
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.3g}"
    text = str(v)
    return text if len(text) <= max_chars else text[:max_chars - 1] + "…"


def format_key_number(number: Mapping[str, Any]) -> str:
    """Show a key number for readers: money compactly, ``"%"`` fractions as percentages.

    Examples
    --------
    >>> format_key_number({"value": None, "unit": "EUR"})
    'n/a'
    >>> format_key_number({"value": 0.125, "unit": ""})
    '0.125'
    >>> format_key_number({"value": 0.30651, "unit": "%"})
    '30.7%'
    """
    from btm import charts

    value, unit = number.get("value"), str(number.get("unit") or "")
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return "n/a"
    x = float(value)
    if not math.isfinite(x):
        return "n/a"
    if _CURRENCY.match(unit):
        return charts.format_money(x, unit)
    if unit in ("%", "percent"):
        return style.format_percent(x)  # as the key messages write it
    if unit == "percentile":  # as the key messages say it: the 60th percentile
        return style.format_percentile(x)
    text = charts.format_money(x, None) if abs(x) >= 1000 else style.format_number(x)
    return f"{text} {_singular(unit) if x == 1 else unit}".strip()


def _singular(unit: str) -> str:
    """The singular of a plural unit, for a count of one: ``1 activity``, ``1 SKU``,
    ``1 week``, ``1 rating point`` (the last word of a unit of words); other units are
    returned unchanged.

    >>> _singular("activities"), _singular("SKUs"), _singular("rating points"), _singular("kWh")
    ('activity', 'SKU', 'rating point', 'kWh')
    """
    head, _, last = unit.rpartition(" ")
    if not last.isalpha() or len(last) < 3 or not all(w.isalpha() for w in head.split()):
        return unit
    if last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    return f"{head} {last}" if head else last


# --------------------------------------------------------------------------- collecting


def _select(
    names: Sequence[str] | str | None, notebooks: str | os.PathLike[str] | None
) -> list[_analyses.Analysis]:
    if names is None:
        chosen = [a for a in _analyses.list_analyses(notebooks) if a.boardpack]
        if not chosen:
            raise InputError(
                f"analyses: no analysis in {_analyses.notebooks_dir(notebooks)} is marked for "
                "the board pack; expected a spec with boardpack=True (or notebook metadata "
                "btm.boardpack = true)"
            )
        return chosen
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    if not names:
        raise InputError("analyses: got an empty list; expected at least one analysis name")
    return [_analyses.get_analysis(n, notebooks) for n in names]


def split_parameters(
    chosen: list[_analyses.Analysis], parameters: Mapping[str, Any] | None
) -> dict[str, dict[str, Any]]:
    """Give each analysis its parameters.

    ``analysis.name`` reaches that analysis only; a bare ``name`` reaches the one analysis that
    declares it, and is refused when several do (the message lists the qualified names) or
    none does.
    """
    parameters = dict(parameters or {})
    declared = {a.name: [p.name for p in _analyses.parameters(a) if p.name != "output_dir"]
                for a in chosen}
    out: dict[str, dict[str, Any]] = {a.name: {} for a in chosen}
    qualified = sorted(f"{a}.{p}" for a, ps in declared.items() for p in ps)
    for key, value in parameters.items():
        analysis, dot, name = str(key).rpartition(".")
        if dot:
            if analysis not in declared:
                raise InputError(
                    f"{key}: '{analysis}' is not an analysis of this board pack; expected one of "
                    + ", ".join(declared)
                )
            if name not in declared[analysis]:
                raise InputError(
                    f"{key}: not a parameter of {analysis}; expected one of "
                    + ", ".join(f"{analysis}.{p}" for p in declared[analysis])
                )
            out[analysis][name] = value
            continue
        owners = [a for a, ps in declared.items() if name in ps]
        if not owners:
            raise InputError(
                f"{name}: not a parameter of any analysis in the board pack; expected one of "
                + (", ".join(qualified) or "(none)")
            )
        if len(owners) > 1:
            raise InputError(
                f"{name}: a parameter of several analyses ({', '.join(owners)}); expected a "
                "qualified name: " + ", ".join(f"{a}.{name}" for a in owners)
            )
        out[owners[0]][name] = value
    return out


def _existing_run(analysis: str, reports_dir: Path) -> _runs.RunRecord:
    rec = _runs.latest_run(analysis, reports_dir=reports_dir) or _runs.latest_run(
        analysis, reports_dir=reports_dir, succeeded=False
    )
    if rec is None:
        raise InputError(
            f"{analysis}: no run folder in {reports_dir / analysis}; expected a run "
            f"(btm run {analysis}) or a board pack built with runs"
        )
    return rec


def _section(a: _analyses.Analysis, rec: _runs.RunRecord, *, number: int,
             scenario: str | None = None) -> Section:
    """The section of run `rec`; `number` is its position in the pack (from 1)."""
    results = None
    f = rec.path / RESULTS_FILE
    if f.is_file():
        try:
            results = json.loads(f.read_text(encoding="utf-8"))
        except ValueError:
            results = None
    figures = []
    if results and rec.succeeded:
        for fig in results.get("figures", []):
            png = fig.get("png")
            if png and (rec.path / png).is_file():
                figures.append(dict(fig, png_path=str(rec.path / png)))
    tables = []
    if results and rec.succeeded:
        for t in results.get("tables", []):
            if t.get("csv") and (rec.path / t["csv"]).is_file():
                tables.append(dict(t, csv_path=str(rec.path / t["csv"])))
    try:
        manifest = _runs.read_manifest(rec.path)
    except InputError:
        manifest = {}
    title = str((results or {}).get("title") or a.title)
    return Section(a.name, title, rec, results, figures, number=number, scenario=scenario,
                   manifest=manifest, tables=tables)


def _sweep_sections(sweep_id: str, reports: Path, notebooks: str | os.PathLike[str] | None
                    ) -> list[Section]:
    """One section per run of a sweep that ran, from ``sweeps/<id>/manifest.json``, numbered
    by position (a run that never ran leaves no gap; its sweep index is in the notes)."""
    folder = reports / "sweeps" / str(sweep_id)
    try:
        m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = sorted(p.name for p in (reports / "sweeps").glob("*") if p.is_dir()) if (
            reports / "sweeps").is_dir() else []
        raise InputError(f"sweep: no sweep {sweep_id!r} in {reports / 'sweeps'}; expected one "
                         f"of {', '.join(known) or '(none: run btm sweep first)'}") from None
    sections: list[Section] = []
    for r in m.get("runs", []):
        if not r.get("path") or not (Path(r["path"]) / "manifest.json").is_file():
            continue  # never ran (interrupted sweep): nothing to show
        nb = _runs.read_manifest(r["path"]).get("notebook")
        a = _analyses.get_analysis(r["analysis"], Path(nb).parent if nb else notebooks)
        sections.append(_section(a, _runs.record_from_folder(r["path"]),
                                 number=len(sections) + 1, scenario=r.get("scenario")))
    if not sections:
        raise InputError(f"sweep: {sweep_id} has no run folders; expected a sweep that ran "
                         "(btm sweep --resume to finish it)")
    return sections


# --------------------------------------------------------------------------- PDF


def _page(fig_title: str | None = None) -> Any:
    from matplotlib.figure import Figure

    fig = Figure(figsize=_A4_LANDSCAPE, layout=cast(Any, "none"))
    if fig_title:
        fig.text(0.06, 0.9, fig_title, fontsize=22, fontweight="bold", color=_INK, va="bottom")
        fig.add_artist(_rule(0.885))
    return fig


def _rule(y: float) -> Any:
    from matplotlib.lines import Line2D

    return Line2D([0.06, 0.94], [y, y], color=_RULE, linewidth=1.0)


def _footer(fig: Any, left: str, page: int, total: int) -> None:
    fig.add_artist(_rule(0.06))
    fig.text(0.06, 0.035, left, fontsize=8, color=_MUTED, va="center")
    fig.text(0.94, 0.035, f"page {page} of {total}", fontsize=8, color=_MUTED, va="center",
             ha="right")


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width=width)) or ""


def _cover(sections: list[Section], created: _dt.datetime) -> Any:
    fig = _page()
    fig.patches.append(_band(fig))
    fig.text(0.06, 0.66, PACK_TITLE, fontsize=30, fontweight="bold", color=_INK)
    fig.text(0.06, 0.6, f"{created:%d %B %Y}", fontsize=14, color=_MUTED)
    fig.text(0.06, 0.5, "Analyses in this pack", fontsize=12, fontweight="bold", color=_INK)
    y = 0.455
    for s in sections:
        mark = "" if s.run.succeeded else "   (did not complete)"
        fig.text(0.08, y, f"•  {s.title}{mark}", fontsize=12, color=_INK)
        y -= 0.04
    return fig


def _band(fig: Any) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((0, 0.78), 1, 0.012, transform=fig.transFigure, color=_ACCENT, zorder=0)


def _contents(sections: list[Section], first_pages: list[int]) -> Any:
    fig = _page("Contents")
    lines = sum(1 + len(s.figures) + (1 if s.tables else 0) for s in sections)
    step = min(0.035, 0.7 / max(lines + 0.4 * len(sections), 1))
    size = max(7.0, min(10.0, step * _A4_LANDSCAPE[1] * 72 / 1.5))
    y = 0.8
    for s, page in zip(sections, first_pages, strict=True):
        fig.text(0.08, y, _shorten(s.heading, 110), fontsize=size + 3, color=_INK)
        fig.text(0.92, y, str(page), fontsize=size + 3, color=_INK, ha="right")
        y -= step * 1.4
        for fig_entry in s.figures:
            page += 1
            label = f"Figure {figure_number(s, fig_entry)}  {fig_entry.get('title') or fig_entry['name']}"
            fig.text(0.11, y, _shorten(label, 120), fontsize=size, color=_MUTED)
            fig.text(0.92, y, str(page), fontsize=size, color=_MUTED, ha="right")
            y -= step
        if s.tables:
            fig.text(0.11, y, f"Appendix tables ({len(s.tables)})", fontsize=size, color=_MUTED)
            fig.text(0.92, y, str(page + 1), fontsize=size, color=_MUTED, ha="right")
            y -= step
        y -= step * 0.4
    return fig


def _shorten(text: str, width: int) -> str:
    return textwrap.shorten(str(text), width=width, placeholder=" …")


def _summary(s: Section) -> Any:
    from matplotlib.patches import FancyBboxPatch

    fig = _page(_shorten(s.heading, 70))
    fig.text(0.06, 0.845, "\n".join(run_lines(s)), fontsize=9, color=_MUTED, va="top")
    if not s.run.succeeded:
        fig.text(0.06, 0.72, "This analysis did not run to the end.", fontsize=18,
                 fontweight="bold", color=_ALERT)
        fig.text(0.06, 0.64, _wrap(_runs.describe_error(s.run.error), 110), fontsize=11,
                 color=_INK, va="top")
        fig.text(0.06, 0.5, _wrap(f"The executed notebook shows where: "
                                  f"{s.run.path / 'executed.ipynb'}", 120),
                 fontsize=10, color=_MUTED, va="top")
        return fig
    if not s.results:
        fig.text(0.06, 0.72, "This run wrote no results.json, so there are no key numbers.",
                 fontsize=14, color=_ALERT)
        return fig
    numbers = list(s.results.get("key_numbers", {}).values())[:8]
    per_row = min(4, max(len(numbers), 1))
    box_w, gap = (0.88 - (per_row - 1) * 0.02) / per_row, 0.02
    top = 0.8
    for i, num in enumerate(numbers):
        row, col = divmod(i, per_row)
        x, y = 0.06 + col * (box_w + gap), top - (row + 1) * 0.17
        fig.patches.append(FancyBboxPatch(
            (x, y), box_w, 0.15, boxstyle="round,pad=0,rounding_size=0.008",
            transform=fig.transFigure, facecolor="#F3F6F9", edgecolor=_RULE, linewidth=0.8))
        inner = (box_w - 0.03) * _A4_LANDSCAPE[0] * 72  # points of text width in the box
        value = format_key_number(num)
        size = min(24.0, inner / (0.62 * max(len(value), 1)))  # bold glyphs ~0.62 em wide
        fig.text(x + 0.015, y + 0.105, value, fontsize=size, fontweight="bold",
                 color=_ACCENT, va="center")
        label = textwrap.wrap(str(num.get("label", "")), width=int(inner / (0.55 * 9.5)))
        if len(label) > 3:
            label = [*label[:2], textwrap.shorten(" ".join(label[2:]), int(inner / 5.2))]
        fig.text(x + 0.015, y + 0.068, "\n".join(label), fontsize=9.5, color=_INK, va="top",
                 linespacing=1.2)
    rows = math.ceil(len(numbers) / per_row) if numbers else 0
    y = top - rows * 0.17 - 0.06
    messages = [str(m) for m in s.results.get("key_messages", [])]
    if messages:
        fig.text(0.06, y, "Key messages", fontsize=13, fontweight="bold", color=_INK, va="top")
        y -= 0.05
        size, texts, shown = _fit_messages(messages, room=y - _BOTTOM)
        for text in texts[:shown]:
            fig.text(0.06, y, "•", fontsize=size, color=_ACCENT, va="top")
            fig.text(0.08, y, text, fontsize=size, color=_INK, va="top", linespacing=1.4)
            y -= _message_height(text, size)
        if shown < len(messages):
            fig.text(0.08, y, f"… {len(messages) - shown} more in the analysis's report.html",
                     fontsize=size, color=_MUTED, va="top", style="italic")
    return fig


_BOTTOM = 0.085  # the footer rule: text must end above it


def _message_height(text: str, size: float) -> float:
    """Height (figure fraction) of one wrapped message at `size` points, with its gap."""
    return size * 1.4 / 72 / _A4_LANDSCAPE[1] * (text.count("\n") + 1) + 0.022 * size / 12


def _message_width(size: float) -> int:
    """Characters per line of a key message at `size` points: the text runs from x = 0.08 to
    the right margin at 0.94 (about 0.55 em a character in the house font)."""
    return int(110 * 12 / size)


def _fit_messages(messages: list[str], *, room: float) -> tuple[float, list[str], int]:
    """The largest type size (12 to 9 points) at which the messages fit in `room`; at 9 points,
    as many as fit (the rest are counted on the page, never drawn over the footer)."""
    for size in (12.0, 11.0, 10.0, 9.0):
        texts = [_wrap(m, _message_width(size)) for m in messages]
        heights = [_message_height(t, size) for t in texts]
        if sum(heights) <= room or size == 9.0:
            shown, used = 0, 0.0
            for h in heights:
                if used + h > room - (0.03 if shown < len(texts) - 1 else 0):
                    break
                used, shown = used + h, shown + 1
            return size, texts, shown
    raise AssertionError("unreachable")  # pragma: no cover


def _params_line(params: Mapping[str, Any]) -> str:
    shown = _parameter_texts(params)
    return ("  ·  " + ", ".join(shown)) if shown else ""


def _figure_page(s: Section, entry: Mapping[str, Any]) -> Any:
    import matplotlib.image as mpimg

    title = f"Figure {figure_number(s, entry)}  {entry.get('title') or entry['name']}"
    fig = _page(_shorten(title, 70))
    fig.text(0.06, 0.845, _shorten(s.heading, 160), fontsize=10, color=_MUTED, va="top")
    message = _wrap(figure_message(s, entry), 105)
    lines = message.count("\n") + 1 if message else 0
    if message:
        fig.text(0.06, 0.81, message, fontsize=12, fontweight="bold", color=_INK, va="top",
                 linespacing=1.3)
    top = 0.80 - lines * 12 * 1.3 / 72 / _A4_LANDSCAPE[1] - 0.015
    above = _footnote(fig, s)  # the caption and the figure stand above the footnote's lines
    img = mpimg.imread(entry["png_path"])
    h, w = img.shape[:2]
    bottom = 0.16 + above
    box = (0.06, bottom, 0.88, top - bottom)  # left, bottom, width, height in figure fraction
    page_w, page_h = _A4_LANDSCAPE
    scale = min(box[2] * page_w / w, box[3] * page_h / h)
    fw, fh = w * scale / page_w, h * scale / page_h
    ax = fig.add_axes((box[0] + (box[2] - fw) / 2, box[1] + (box[3] - fh), fw, fh))
    ax.imshow(img)
    ax.set_axis_off()
    if entry.get("caption"):
        fig.text(0.06, 0.125 + above, _shorten(str(entry["caption"]), 170), fontsize=10,
                 color=_INK, va="center")
    return fig


_LINE = FOOTNOTE_SIZE * 1.2 / 72 / _A4_LANDSCAPE[1]  # a footnote line's height (fraction)
_FOOTNOTE_BASE = 0.068  # the footnote's last line stands on this, just above the footer rule


def _footnote(fig: Any, s: Section) -> float:
    """Draw the page's footnote (:func:`footnote_lines`) just above the footer rule, growing
    upwards; return how much higher than a one-line footnote it reaches, by which whatever
    stands above it moves up."""
    lines = footnote_lines(s)
    fig.text(0.06, _FOOTNOTE_BASE, "\n".join(lines), fontsize=FOOTNOTE_SIZE, color=_MUTED,
             va="bottom", linespacing=1.2)
    return max(len(lines) - 1, 0) * _LINE


def _table_pages(s: Section) -> list[Any]:
    pages = []
    for t in appendix_tables(s, max_chars=18):
        fig = _page(_shorten(f"Appendix: {t['name']}", 70))
        fig.text(0.06, 0.845, _shorten(s.heading, 160), fontsize=10, color=_MUTED, va="top")
        n = len(t["rows"]) + 1
        height = min(0.6, 0.045 * n)
        ax = fig.add_axes((0.06, 0.8 - height, 0.88, height))
        ax.set_axis_off()
        if t["rows"]:
            table = ax.table(cellText=t["rows"], colLabels=t["header"], loc="upper left",
                             cellLoc="left", colLoc="left", bbox=(0, 0, 1, 1))
            table.auto_set_font_size(False)
            table.set_fontsize(9)
            for (row, _), cell in table.get_celld().items():
                cell.set_edgecolor(_RULE)
                if row == 0:
                    cell.set_text_props(fontweight="bold")
                    cell.set_facecolor("#F3F6F9")
        fig.text(0.06, 0.8 - height - 0.03, t["note"], fontsize=8.5, color=_MUTED, va="top")
        _footnote(fig, s)
        pages.append(fig)
    return pages


def _write_pdf(path: Path, sections: list[Section], pack_id: str, created: _dt.datetime) -> int:
    from matplotlib.backends.backend_pdf import PdfPages

    from btm import charts

    first_pages, page = [], 3
    for s in sections:
        first_pages.append(page)
        page += s.pages
    total = page - 1
    version = f"btm {btm.__version__}"
    import matplotlib

    # House fonts and colours, but whole pages: no tight cropping, no constrained layout; and
    # text as written: a message or a name with '$' is not mathtext (a '$' pair set words in
    # italics, an unpaired one could stop the pack with a ParseException).
    page_rc = {"savefig.bbox": "standard", "figure.constrained_layout.use": False,
               "text.parse_math": False}
    with charts.house_style(), matplotlib.rc_context(cast(Any, page_rc)), PdfPages(path, metadata={
        "Title": PACK_TITLE, "Creator": version, "CreationDate": created,
    }) as pdf:
        pages: list[tuple[Any, str]] = [
            (_cover(sections, created), f"{version} · board pack {pack_id}"),
            (_contents(sections, first_pages), f"{version} · board pack {pack_id}"),
        ]
        for s in sections:
            footer = f"{version} · {s.analysis} · run {s.run.run_id}"
            pages.append((_summary(s), footer))
            pages.extend((_figure_page(s, e), footer) for e in s.figures)
            pages.extend((t, footer) for t in _table_pages(s))
        for n, (fig, footer) in enumerate(pages, start=1):
            _footer(fig, footer, n, total)
            pdf.savefig(fig, dpi=200)
    return total


# --------------------------------------------------------------------------- HTML

_CSS = """
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;color:#222;max-width:1100px;
margin:2em auto;padding:0 1.5em;line-height:1.45}
h1{font-size:2.1em;margin-bottom:.2em;border-bottom:4px solid #0072B2;padding-bottom:.3em}
h2{margin-top:2.2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.muted{color:#555;font-size:.9em}.numbers{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0}
.number{background:#F3F6F9;border:1px solid #ddd;border-radius:6px;padding:.8em 1.2em;
min-width:200px}.number .value{font-size:1.8em;font-weight:bold;color:#0072B2}
.failed{color:#D55E00;font-weight:bold}figure{margin:1.5em 0}img{max-width:100%;
border:1px solid #eee}figcaption{color:#333;font-size:.95em}footer{margin-top:3em;color:#555;
font-size:.85em;border-top:1px solid #ddd;padding-top:.5em}
"""


def _anchor(s: Section, sections: list[Section]) -> str:
    """The section's id: its analysis, with its number when the analysis appears twice."""
    if sum(x.analysis == s.analysis for x in sections) > 1:
        return f"{s.analysis}-{s.number}"
    return s.analysis


def _write_html(
    folder: Path, sections: list[Section], pack_id: str, created: _dt.datetime
) -> None:
    e = html.escape
    out = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{e(PACK_TITLE)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
        f"<h1>{e(PACK_TITLE)}</h1>", f'<p class="muted">{created:%d %B %Y} · board pack {e(pack_id)}</p>',
        "<h2>Contents</h2>", "<ol>",
    ]
    for s in sections:
        mark = "" if s.run.succeeded else ' <span class="failed">(did not complete)</span>'
        out.append(f'<li><a href="#{e(_anchor(s, sections))}">{e(s.heading)}</a>{mark}</li>')
    out.append("</ol>")
    for s in sections:
        report = os.path.relpath(s.run.path / "report.html", folder)
        out.append(f'<section id="{e(_anchor(s, sections))}">')
        out.append(f"<h2>{e(s.heading)}</h2>")
        links = f'run {e(s.run.run_id)}'
        if (s.run.path / "report.html").is_file():
            links += f' · <a href="{e(Path(report).as_posix())}">full report</a>'
        out.append(f'<p class="muted">{links}</p>')
        if not s.run.succeeded:
            out.append('<p class="failed">This analysis did not run to the end.</p>')
            out.append(f"<p>{e(_runs.describe_error(s.run.error))}</p>")
        elif not s.results:
            out.append('<p class="failed">This run wrote no results.json.</p>')
        else:
            out.append('<div class="numbers">')
            for num in s.results.get("key_numbers", {}).values():
                out.append(
                    f'<div class="number"><div class="value">{e(format_key_number(num))}</div>'
                    f'<div>{e(str(num.get("label", "")))}</div></div>'
                )
            out.append("</div>")
            messages = s.results.get("key_messages", [])
            if messages:
                out.append("<h3>Key messages</h3><ul>")
                out.extend(f"<li>{e(str(m))}</li>" for m in messages)
                out.append("</ul>")
            for entry in s.figures:
                target = (folder / "figures" / _anchor(s, sections)
                          / Path(entry["png_path"]).name)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(entry["png_path"], target)
                rel = target.relative_to(folder).as_posix()
                title = (f"Figure {figure_number(s, entry)}. "
                         f"{entry.get('title') or entry['name']}")
                caption = f"<strong>{e(title)}.</strong> {e(str(entry.get('caption') or ''))}"
                out.append(
                    f'<figure><img src="{e(rel)}" alt="{e(title)}">'
                    f"<figcaption>{caption}</figcaption></figure>"
                )
        out.append("</section>")
    out.append(f"<footer>btm {e(btm.__version__)} · board pack {e(pack_id)}</footer>")
    out.extend(["</body>", "</html>"])
    (folder / "index.html").write_text("\n".join(out) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- build


def build(
    analyses: Sequence[str] | str | None = None,
    *,
    reports_dir: str | os.PathLike[str] = "reports",
    parameters: Mapping[str, Any] | None = None,
    run: bool = True,
    notebooks: str | os.PathLike[str] | None = None,
    progress: bool = False,
    sweep: str | None = None,
    on_run: Callable[[_runs.RunRecord, int, int], None] | None = None,
) -> Path:
    """Run the board-pack analyses (or take their latest runs) and assemble the board pack.

    Parameters
    ----------
    analyses : list of str or comma-separated str, optional
        Which analyses, in this order; default every notebook marked ``btm.boardpack`` in
        metadata, ordered by ``btm.order``.
    reports_dir : path-like
        Where run folders are and where ``boardpack/<id>/`` is written.
    parameters : mapping, optional
        ``{"tco_comparison.horizon_years": 5}`` reaches that analysis only; a bare name the
        one analysis that declares it (a name several analyses declare, or none, is an
        error that lists the qualified names).
    run : bool
        Run each analysis now (default), or use its latest run folder (the latest successful
        one, else the latest failed one).
    notebooks : path-like, optional
        Folder of the notebooks (see :func:`btm.analyses.notebooks_dir`).
    progress : bool
        Show papermill's progress bar for each run.
    sweep : str, optional
        A sweep id (``<reports_dir>/sweeps/<id>/``): one section per run of that sweep, in
        the sweep's order, titled with its scenario; nothing is run and `analyses`,
        `parameters` and `run` must be left at their defaults.
    on_run : callable, optional
        Called as ``on_run(record, i, n)`` after the ``i``-th of ``n`` analyses has run (or
        its latest run was taken), with its :class:`btm.runs.RunRecord`; the command line
        prints a line there, so a batch log shows the pack advancing.

    Returns
    -------
    pathlib.Path
        The board-pack folder holding ``boardpack.pdf``, ``boardpack.pptx``, ``index.html``,
        ``figures/`` and ``manifest.json`` (whose ``status`` is ``"incomplete"`` when an analysis failed).

    Raises
    ------
    InputError
        Unknown analysis or parameter, bad parameter value (all checked before any run), or
        no existing run when ``run=False``.
    """
    if on_run is not None and not callable(on_run):
        raise InputError(f"on_run: got {type(on_run).__name__}; expected a function called "
                         "as on_run(record, i, n)")
    reports = Path(reports_dir).expanduser().resolve()
    if sweep is not None:
        if analyses is not None or parameters:
            raise InputError("sweep: given with analyses or parameters; expected the sweep's "
                             "own runs only")
        sections = _sweep_sections(sweep, reports, notebooks)
    else:
        chosen = _select(analyses, notebooks)
        per_analysis = split_parameters(chosen, parameters)
        for a in chosen:  # validate everything before running anything
            _runs.validate_parameters(a.name, per_analysis[a.name], notebooks=a.path.parent)
        records = []
        for i, a in enumerate(chosen, start=1):
            if run:
                records.append(_runs.run(a.name, per_analysis[a.name], reports_dir=reports,
                                         progress=progress, notebooks=a.path.parent))
            else:
                records.append(_existing_run(a.name, reports))
            if on_run is not None:
                on_run(records[-1], i, len(chosen))
        sections = [_section(a, r, number=i)
                    for i, (a, r) in enumerate(zip(chosen, records, strict=True), start=1)]

    created = _dt.datetime.now(_dt.UTC)
    pack_id, partial = _runs.claim_folder(reports / "boardpack", f"{created:%Y%m%dT%H%M%SZ}",
                                           exact=False)
    pages = _write_pdf(partial / "boardpack.pdf", sections, pack_id, created)
    _write_html(partial, sections, pack_id, created)
    from btm import slides

    slides.write_pptx(partial / "boardpack.pptx", sections, pack_id, created)
    failed = [s.analysis for s in sections if not s.run.succeeded]
    manifest = {
        "boardpack_id": pack_id,
        "title": PACK_TITLE,
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "btm_version": btm.__version__,
        "status": "incomplete" if failed else "complete",
        "failed": failed,
        "pages": pages,
        "sweep": sweep,
        "parameters": dict(parameters or {}),
        "runs": [
            {
                "analysis": s.analysis,
                "title": s.title,
                "run_id": s.run.run_id,
                "path": str(s.run.path),
                "status": s.run.status,
                "error": s.run.error,
                "scenario": s.scenario,
                "figures": [f["name"] for f in s.figures],
                "figure_numbers": {f["name"]: figure_number(s, f) for f in s.figures},
            }
            for s in sections
        ],
        "files": ["boardpack.pdf", "boardpack.pptx", "index.html", "figures/"],
    }
    (partial / "manifest.json").write_text(
        json.dumps(to_jsonable(manifest), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    _, final = _runs.publish_folder(partial, reports / "boardpack", pack_id)
    return final
