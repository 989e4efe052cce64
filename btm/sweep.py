"""Run analyses for many parameter sets, in parallel, and tabulate the key numbers.

A sweep is a list of planned runs (analysis, scenario label, parameters), from a sweep file
(:func:`load_sweep_file`: one or more analyses, each with explicit parameter sets, a cartesian
grid and/or a CSV of one row per run) or from :func:`sweep` (one analysis, a list of sets).
Every planned run is checked before anything starts. Each run becomes an ordinary run folder
(see :mod:`btm.runs`) whose manifest names the sweep; the sweep itself gets
``<reports_dir>/sweeps/<sweep-id>/`` with ``summary.csv``, ``summary.html`` (self-contained,
one row per run: status, duration, key numbers, a link to its report) and ``manifest.json``.

Work goes to a local process pool by default (worker processes that import papermill and
nbconvert once and execute notebook after notebook in-process) or to a Dask cluster
(``dask.distributed``; a scheduler address, or a LocalCluster when none is given). A failing
run does not stop the others; a worker that dies is replaced and its unfinished runs retried
once; ``resume=True`` re-runs only the failed or missing runs of an earlier sweep of the same
name.

A sweep file::

    name: fy26-scenarios            # the sweep id (default: the file's name)
    runs:
      - analysis: tco_comparison
        scenario: rates             # label prefix of the block's runs
        parameters: {horizon_years: 7}          # fixed for this block
        grid: {discount_rate: [0.06, 0.08, 0.10]}
      - analysis: tco_comparison
        csv: business_units.csv     # one row per run; a 'scenario' column labels it
      - analysis: build_buy_cloud
        sets: [{currency: EUR}, {currency: USD}]

Examples
--------
>>> grid(discount_rate=[0.06, 0.08], horizon_years=[5])
[{'discount_rate': 0.06, 'horizon_years': 5}, {'discount_rate': 0.08, 'horizon_years': 5}]
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import html
import itertools
import json
import multiprocessing
import os
import re
from collections.abc import Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from btm import runs
from btm.errors import InputError
from btm.report import RESULTS_FILE, safe_csv, to_jsonable

__all__ = ["grid", "sweep", "summarise", "split_values", "parameter_sets", "PlannedRun",
           "SweepPlan", "SweepResult", "load_sweep_file", "plan_sweep", "execute",
           "check_output_folder", "SUMMARY_COLUMNS", "plan_sets",
           "check_figure_formats"]


def grid(**values: Sequence[Any]) -> list[dict[str, Any]]:
    """All combinations (cartesian product) of the given parameter values.

    A scalar or string counts as a single value. The first parameter varies slowest.

    Raises
    ------
    InputError
        A parameter given an empty list of values.

    Examples
    --------
    >>> grid(label="a", seed=[1, 2])
    [{'label': 'a', 'seed': 1}, {'label': 'a', 'seed': 2}]
    """
    names, choices = [], []
    for name, vals in values.items():
        if isinstance(vals, str | bytes) or not isinstance(vals, Sequence):
            vals = [vals]
        if len(vals) == 0:
            raise InputError(f"{name}: got no values; expected at least one value to sweep over")
        names.append(name)
        choices.append(list(vals))
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*choices)]


_grid = grid  # parameter_sets() has a keyword argument named grid


def split_values(text: str) -> list[str]:
    """Split command-line sweep values: ``"0.06,0.08"``; a YAML list ``"[[1, 2], [3]]"`` too.

    Values stay text; :func:`btm.runs.coerce` converts them to the declared types.

    Examples
    --------
    >>> split_values("0.06, 0.08,0.10")
    ['0.06', '0.08', '0.10']
    >>> split_values("[[a, b], [c]]")
    [['a', 'b'], ['c']]
    """
    stripped = text.strip()
    if stripped.startswith("["):
        import yaml

        try:
            values = yaml.safe_load(stripped)
        except yaml.YAMLError:
            values = None
        if isinstance(values, list):
            return values
    return [v.strip() for v in stripped.split(",") if v.strip() != ""]


def parameter_sets(
    *,
    grid: Mapping[str, str | Sequence[Any]] | None = None,
    fixed: Mapping[str, Any] | None = None,
    file: str | os.PathLike[str] | None = None,
) -> list[dict[str, Any]]:
    """Parameter sets from a grid file, command-line grid values and fixed values.

    The file (YAML or JSON) holds either a mapping of parameter name to a list of values (a
    grid; a scalar is a fixed value) or a list of mappings (explicit parameter sets). Grid
    values given as text are split with :func:`split_values`. Each file set is combined with
    every `grid` combination; `fixed` values apply to all sets.

    Raises
    ------
    InputError
        Nothing to sweep over, or a file that is neither form.

    Examples
    --------
    >>> parameter_sets(grid={"discount_rate": "0.06,0.08"}, fixed={"label": "a"})
    [{'label': 'a', 'discount_rate': '0.06'}, {'label': 'a', 'discount_rate': '0.08'}]
    """
    sets: list[dict[str, Any]] = [{}]
    if file is not None:
        sets = _load_sets_file(file)
    if grid:
        combos = _grid(**{n: split_values(v) if isinstance(v, str) else v
                          for n, v in grid.items()})
        sets = [{**s, **g} for s in sets for g in combos]
    if sets == [{}]:
        raise InputError(
            "sweep: no values to sweep over; expected -g NAME v1,v2,... or a grid file"
        )
    return [{**dict(fixed or {}), **s} for s in sets]


def _load_sets_file(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    from btm import files as io

    p, data = io.read_yaml(path, parameter="grid file", expected="a grid")
    if isinstance(data, dict) and data:
        return grid(**{str(k): v for k, v in data.items()})
    if isinstance(data, list) and data and all(isinstance(d, dict) for d in data):
        return [{str(k): v for k, v in d.items()} for d in data]
    raise InputError(
        f"{p}: got {type(data).__name__}; expected a mapping of parameter name to list of "
        "values, or a list of parameter sets"
    )


#: First columns of a sweep's summary table; parameters and key numbers follow.
SUMMARY_COLUMNS = ("index", "analysis", "scenario", "run_id", "status", "duration_s", "error",
                   "report", "path")
_SWEEP_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_BLOCK_KEYS = {"analysis", "scenario", "parameters", "grid", "sets", "csv"}
_FILE_KEYS = {"name", "runs", "figure_formats"}


@dataclass(frozen=True)
class PlannedRun:
    """One run of a sweep, checked: its position, analysis, label and converted parameters."""

    index: int
    analysis: str
    scenario: str
    parameters: dict[str, Any]
    notebooks: str

    @property
    def key(self) -> str:
        """Fingerprint of analysis and parameters: how ``resume`` recognises a run."""
        text = json.dumps([self.analysis, to_jsonable(self.parameters)], sort_keys=True,
                          default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class SweepPlan:
    """Every run of a sweep, checked before anything starts."""

    name: str
    runs: tuple[PlannedRun, ...]
    source: str | None = None
    figure_formats: tuple[str, ...] | None = None


@dataclass(frozen=True)
class SweepResult:
    """What a sweep did: its folder, the summary table and the runs that did not succeed."""

    sweep_id: str
    folder: Path
    summary: pd.DataFrame
    failed: list[dict[str, Any]] = field(default_factory=list)
    reused: int = 0

    @property
    def succeeded(self) -> bool:
        """Whether every run of the sweep succeeded."""
        return not self.failed


# --------------------------------------------------------------------------- planning


def _label(analysis: str, prefix: str | None, varied: Mapping[str, Any]) -> str:
    """A run's scenario label: the parameters that vary, input paths by their file name."""
    shown = ", ".join(f"{k}={Path(str(v)).name}" if runs.is_path_parameter(k) else f"{k}={v}"
                      for k, v in varied.items())
    if prefix:
        return f"{prefix}: {shown}" if shown else str(prefix)
    return shown or analysis


def _read_csv_sets(path: Path, where: str) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{where}: cannot read {path} ({exc}); expected a CSV file, one row "
                         "per run and one column per parameter") from None
    if not rows:
        raise InputError(f"{where}: {path} has no data rows; expected one row per run")
    return [{k.strip(): v.strip() for k, v in r.items() if k and v is not None and v.strip() != ""}
            for r in rows]


def _check_mapping(obj: Any, where: str, allowed: set[str], expected: str,
                   keys: str) -> None:
    """Refuse a block or sweep file that is not a mapping, or that has a key not in `allowed`."""
    if not isinstance(obj, Mapping):
        raise InputError(f"{where}: got {type(obj).__name__}; expected {expected}")
    unknown = sorted(set(map(str, obj)) - set(allowed))
    if unknown:
        raise InputError(f"{where}: unknown key {unknown[0]!r}; expected {keys}")


def valid_name(name: Any) -> bool:
    """Whether `name` can be a sweep's id (it names a folder).

    >>> valid_name("fy26"), valid_name("../x")
    (True, False)
    """
    return isinstance(name, str) and bool(_SWEEP_ID.match(name))


def plan_sweep(
    blocks: Sequence[Mapping[str, Any]],
    *,
    name: str,
    base_dir: str | os.PathLike[str] | None = None,
    notebooks: str | os.PathLike[str] | None = None,
    source: str | None = None,
) -> SweepPlan:
    """Check the blocks of a sweep and expand them into planned runs.

    Each block names an ``analysis`` and optionally a ``scenario`` label, fixed
    ``parameters``, explicit ``sets`` (a list of mappings), a ``grid`` (name → list of values,
    every combination) and a ``csv`` file (one row per run, relative to `base_dir`; so are
    input paths given in the blocks, where they exist: :func:`btm.runs.anchor_paths`). Sets, CSV
    rows and grid combine as in :func:`parameter_sets` (each set with every grid combination);
    a block with none of them is one run. A ``scenario`` key of a set or CSV column labels the
    run unless the analysis declares a parameter of that name.

    Raises
    ------
    InputError
        Unknown analysis, key or parameter, a value of the wrong type or outside its
        constraint, an empty grid or set list, a missing CSV; the message names the block
        (``runs[2]``) and, for CSV rows, the row.

    Examples
    --------
    >>> plan = plan_sweep([{"analysis": "tco_comparison",
    ...                     "grid": {"discount_rate": [0.06, 0.08]}}], name="demo")
    >>> [(r.index, r.scenario, r.parameters) for r in plan.runs]  # doctest: +NORMALIZE_WHITESPACE
    [(1, 'discount_rate=0.06', {'discount_rate': 0.06}),
     (2, 'discount_rate=0.08', {'discount_rate': 0.08})]
    """
    from btm import analyses

    if not valid_name(name):
        raise InputError(f"name: got {name!r}; expected letters, digits, '_', '-' or '.' "
                         "(it names the sweep's folder)")
    if isinstance(blocks, Mapping) or not isinstance(blocks, Sequence) or not blocks:
        raise InputError("runs: got none; expected a list of blocks, each naming an analysis")
    base = Path(base_dir) if base_dir is not None else Path.cwd()
    folder = analyses.notebooks_dir(notebooks)
    planned: list[PlannedRun] = []
    for b, block in enumerate(blocks, start=1):
        where = f"runs[{b}]"
        _check_mapping(block, where, _BLOCK_KEYS, "a mapping with 'analysis' and parameter sets",
                       ", ".join(sorted(_BLOCK_KEYS)))
        if "analysis" not in block:
            raise InputError(f"{where}: no 'analysis'; expected the name of an analysis")
        try:
            a = analyses.get_analysis(str(block["analysis"]), folder)
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from None
        declared = {p.name for p in analyses.parameters(a)}
        fixed = block.get("parameters") or {}
        if not isinstance(fixed, Mapping):
            raise InputError(f"{where}.parameters: got {type(fixed).__name__}; expected a "
                             "mapping of parameter name to value")
        labelled: list[tuple[str | None, dict[str, Any]]] = []
        sources = 0
        if "sets" in block:
            sources += 1
            sets = block["sets"]
            if isinstance(sets, Mapping) or not isinstance(sets, Sequence) or not sets:
                raise InputError(f"{where}.sets: got {sets!r}; expected a non-empty list of "
                                 "parameter mappings")
            for i, one in enumerate(sets, start=1):
                if not isinstance(one, Mapping):
                    raise InputError(f"{where}.sets[{i}]: got {type(one).__name__}; expected "
                                     "a mapping of parameter name to value")
                labelled.append(_pop_label(dict(one), declared))
        if "csv" in block:
            sources += 1
            path = Path(str(block["csv"])).expanduser()
            path = path if path.is_absolute() else base / path
            for i, row in enumerate(_read_csv_sets(path, f"{where}.csv"), start=1):
                label, values = _pop_label(row, declared)
                labelled.append((label, {"__row__": f"{path.name}, row {i}", **values}))
        if "grid" in block:
            g = block["grid"]
            if not isinstance(g, Mapping) or not g:
                raise InputError(f"{where}.grid: got {g!r}; expected a mapping of parameter "
                                 "name to a non-empty list of values")
            try:
                combos = grid(**{str(k): v for k, v in g.items()})
            except InputError as exc:
                raise InputError(f"{where}.grid.{exc}") from None
            labelled = [(lab, {**s, **c}) for lab, s in (labelled or [(None, {})])
                        for c in combos]
        elif not sources:
            labelled = [(None, {})]
        for label, values in labelled:
            row_where = values.pop("__row__", None)
            params = {**{str(k): v for k, v in fixed.items()}, **values}
            if base_dir is not None:  # a sweep file's inputs are relative to its folder
                params = runs.anchor_paths(params, base)
            try:
                checked = _checked(params, a.name, a.path.parent)
            except InputError as exc:
                raise InputError(f"{row_where or where}: {exc}") from None
            planned.append(PlannedRun(
                index=len(planned) + 1, analysis=a.name,
                scenario=label or _label(a.name, block.get("scenario"), values),
                parameters=checked, notebooks=str(a.path.parent),
            ))
    return SweepPlan(name=name, runs=tuple(planned), source=source)


def _pop_label(values: dict[str, Any], declared: set[str]) -> tuple[str | None, dict[str, Any]]:
    if "scenario" in values and "scenario" not in declared:
        label = values.pop("scenario")
        return (str(label) if label not in (None, "") else None), values
    return None, values


def load_sweep_file(
    path: str | os.PathLike[str], *, notebooks: str | os.PathLike[str] | None = None
) -> SweepPlan:
    """Read and check a sweep file (YAML or JSON; see the module docstring for its form).

    A file holding only a list is taken as the ``runs`` list. CSV paths are relative to the
    file's folder.

    Raises
    ------
    InputError
        Unreadable file, unknown key, or anything :func:`plan_sweep` refuses.
    """
    from btm import files

    p, data = files.read_yaml(path, parameter="sweep file",
                              expected="a mapping with 'runs' (a list of blocks)")
    if isinstance(data, list):
        data = {"runs": data}
    _check_mapping(data, str(p), _FILE_KEYS,
                   "a mapping with 'runs', a list of blocks each naming an analysis",
                   "'name', 'runs' and optionally 'figure_formats'")
    try:
        plan = plan_sweep(data.get("runs") or [], name=str(data.get("name") or p.stem),
                          base_dir=p.parent, notebooks=notebooks, source=str(p))
        formats = data.get("figure_formats")
        if formats is not None:
            import dataclasses

            plan = dataclasses.replace(plan, figure_formats=check_figure_formats(formats))
        return plan
    except InputError as exc:
        raise InputError(f"{p.name}: {exc}") from None


def check_figure_formats(formats: Any) -> tuple[str, ...]:
    """Figure file formats for a sweep's runs (PNG always included).

    Examples
    --------
    >>> check_figure_formats("png")
    ('png',)
    >>> check_figure_formats(["svg"])
    ('png', 'svg')
    """
    items = split_values(formats) if isinstance(formats, str) else formats
    if not isinstance(items, list | tuple) or not items or any(
            str(f).lower() not in ("png", "svg", "pdf") for f in items):
        raise InputError(f"figure_formats: got {formats!r}; expected a list of png, svg, pdf")
    return tuple(dict.fromkeys(["png", *(str(f).lower() for f in items)]))


def check_output_folder(path: str | os.PathLike[str], *, parameter: str = "reports_dir") -> Path:
    """`path` resolved, refused unless it is (or can be created as) a writable folder.

    Examples
    --------
    >>> check_output_folder("/dev/null", parameter="--reports-dir")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: --reports-dir: /dev/null is not a folder; expected a writable folder
    """
    p = Path(path).expanduser().resolve()
    probe = p
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise InputError(f"{parameter}: {probe} is not a folder; expected a writable folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise InputError(f"{parameter}: {probe} is not writable; expected a writable folder")
    return p


# --------------------------------------------------------------------------- workers


#: Set in a local sweep worker by :func:`_warm_worker`: the sweep's stop signal (a
#: multiprocessing Event the parent sets on Ctrl-C). None on Dask workers.
_STOP_EVENT: Any = None
_STOPPING = False  # this worker has had a SIGINT
_IN_RUN = False  # this worker is inside runs.run


def _on_sigint(signum: int, frame: Any) -> None:
    """A sweep worker's Ctrl-C: no new run starts; the run in progress (if any) is
    interrupted once (a second Ctrl-C must not cut short the writing of its manifest); an
    idle worker just notes it (the default handler raised wherever the worker was, printing
    tracebacks and breaking the pool)."""
    global _STOPPING
    first = not _STOPPING
    _STOPPING = True
    if first:
        # the kernel has the same Ctrl-C: nbclient would log "Kernel died while waiting for
        # execute reply." on stderr; the run's manifest records the interruption instead
        import logging

        for name in ("traitlets", "nbclient", "papermill"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    if first and _IN_RUN:
        raise KeyboardInterrupt


def _warm_worker(stop_event: Any = None) -> None:
    """Worker start-up: pay the imports once per process, not once per run, and start the
    warm template this worker's kernels are forked from (:mod:`btm.kernels`)."""
    import signal
    import threading

    from btm import kernels

    global _STOP_EVENT
    _STOP_EVENT = stop_event
    if stop_event is not None and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _on_sigint)
    runs.warm_up()
    kernels.enable()


def _not_run(error: str = "sweep interrupted") -> dict[str, Any]:
    return {"run_id": None, "status": "not run", "path": None, "duration_s": None,
            "error": error}


def _run_one(
    analysis: str,
    parameters: dict[str, Any],
    reports_dir: str,
    notebooks: str,
    sweep_info: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Worker entry point: run and return a picklable summary (never raises). Once the
    sweep is stopping (Ctrl-C), a run that has not started is not started."""
    global _IN_RUN
    if _STOPPING or (_STOP_EVENT is not None and _STOP_EVENT.is_set()):
        return _not_run()
    formats = (sweep_info or {}).get("figure_formats")
    if formats:  # the kernel inherits this worker's environment
        os.environ["BTM_FIGURE_FORMATS"] = ",".join(formats)
    run_id = (sweep_info or {}).get("run_id")
    try:
        _IN_RUN = True
        rec = runs.run(
            analysis, parameters, reports_dir=reports_dir, progress=False, notebooks=notebooks,
            run_id=run_id, sweep=sweep_info,
        )
        return _outcome_of(rec.path)
    except KeyboardInterrupt:  # runs.run has recorded the run as interrupted
        folder = Path(reports_dir) / analysis / str(run_id)
        return _outcome_of(folder) if run_id and folder.is_dir() else _not_run()
    except Exception as exc:  # the worker reports; the sweep goes on
        return {"run_id": None, "status": "failed", "path": None, "duration_s": None,
                "error": f"{type(exc).__name__}: {exc}"}
    finally:
        _IN_RUN = False


def _outcome_of(folder: Path) -> dict[str, Any]:
    m = runs.read_manifest(folder)
    return {"run_id": m.get("run_id", folder.name), "status": m.get("status", "failed"),
            "path": str(folder), "duration_s": m.get("duration_s"),
            "error": runs.describe_error(m["error"]) if m.get("error") else None}


def _key_numbers(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    f = Path(path) / RESULTS_FILE
    if not f.is_file():
        return {}
    try:
        data = json.loads(f.read_text(encoding="utf-8"))
    except ValueError:
        return {}
    return {k: (v.get("value") if isinstance(v, dict) else v)
            for k, v in data.get("key_numbers", {}).items()}


def summarise(
    parameter_sets: Sequence[Mapping[str, Any]], outcomes: Sequence[Mapping[str, Any]]
) -> pd.DataFrame:
    """One row per run: run_id, status, path, error, the parameters, then the key numbers.

    A key number whose name is also a parameter's is prefixed ``result_``.

    Examples
    --------
    >>> summarise([{"x": 1}], [{"run_id": "r1", "status": "failed", "path": None,
    ...                         "error": "boom"}]).columns.tolist()
    ['run_id', 'status', 'path', 'error', 'x']
    """
    rows = []
    param_names = list(dict.fromkeys(k for p in parameter_sets for k in p))
    for params, outcome in zip(parameter_sets, outcomes, strict=True):
        row: dict[str, Any] = {k: outcome.get(k) for k in ("run_id", "status", "path", "error")}
        row.update({k: params.get(k) for k in param_names})
        for k, v in _key_numbers(outcome.get("path")).items():
            row[f"result_{k}" if k in row else k] = v
        rows.append(row)
    columns = ["run_id", "status", "path", "error", *param_names]
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=columns)
    return frame[[*columns, *[c for c in frame.columns if c not in columns]]]


# --------------------------------------------------------------------------- executing


def _sweep_folder(root: Path, name: str, resume: bool) -> tuple[str, Path, bool]:
    """The sweep's folder: the latest of that name when resuming, else a new one."""
    parent = root / "sweeps"
    if resume:
        taken = [p for p in parent.glob(f"{name}*") if p.is_dir()
                 and re.fullmatch(re.escape(name) + r"(-\d+)?", p.name)]
        if taken:
            def number(p: Path) -> int:
                tail = p.name[len(name):]
                return int(tail[1:]) if tail else 1
            latest = max(taken, key=number)
            return latest.name, latest, True
    parent.mkdir(parents=True, exist_ok=True)
    n = 1
    while True:
        sweep_id = name if n == 1 else f"{name}-{n}"
        try:
            (parent / sweep_id).mkdir()
            return sweep_id, parent / sweep_id, False
        except FileExistsError:
            n += 1


def _previous(plan: SweepPlan, sweep_id: str, reports: Path) -> dict[int, dict[str, Any]]:
    """Succeeded runs of an earlier attempt at this sweep, by index (same parameters only)."""
    keys = {r.index: r.key for r in plan.runs}
    found: dict[int, tuple[str, dict[str, Any]]] = {}
    for analysis in {r.analysis for r in plan.runs}:
        for folder in (reports / analysis).glob("*/manifest.json"):
            try:
                m = json.loads(folder.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            info = m.get("sweep") or {}
            i = info.get("index")
            if (not isinstance(i, int) or info.get("id") != sweep_id
                    or m.get("status") != "succeeded" or keys.get(i) != info.get("key")):
                continue
            stamp = str(m.get("finished_at", ""))
            if i not in found or stamp > found[i][0]:
                found[i] = (stamp, _outcome_of(folder.parent))
    return {i: o for i, (_, o) in found.items()}


def _connect_dask(address: str | None, workers: int) -> tuple[Any, Any]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - a declared dependency
        raise InputError("--dask: dask.distributed is not installed; expected "
                         "pip install 'dask[distributed]'") from None
    if not address:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        return Client(cluster), cluster
    try:
        return Client(address, timeout=5), None
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"--dask: cannot reach a Dask scheduler at {address} "
                         f"({type(exc).__name__}); expected the address of a running "
                         "scheduler, e.g. tcp://HOST:8786") from None


def execute(
    plan: SweepPlan,
    *,
    reports_dir: str | os.PathLike[str] = "reports",
    workers: int | None = None,
    dask_address: str | None = None,
    use_dask: bool = False,
    resume: bool = False,
    progress: bool = True,
) -> SweepResult:
    """Run a checked :class:`SweepPlan` and write its summary.

    Parameters
    ----------
    plan : SweepPlan
        From :func:`load_sweep_file` or :func:`plan_sweep`.
    reports_dir : path-like
        Where run folders and ``sweeps/<sweep-id>/`` go; must be a writable folder.
    workers : int, optional
        Local worker processes (default the number of CPUs, at most the number of runs).
    dask_address, use_dask
        Run on the Dask scheduler at `dask_address`, or on a LocalCluster of `workers`
        processes when `use_dask` and no address. The address is tried before anything runs.
    resume : bool
        Continue the latest sweep of this name: runs that succeeded there with the same
        parameters are kept, failed, interrupted and missing ones are run.
    progress : bool
        A progress bar over runs (tqdm, on stderr).

    Returns
    -------
    SweepResult

    Raises
    ------
    InputError
        Bad `workers`, an output folder that is not writable, an unreachable Dask scheduler:
        all before any run starts.
    """
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or workers < 1):
        raise InputError(f"workers: got {workers!r}; expected a whole number of at least 1")
    reports = check_output_folder(reports_dir, parameter="reports_dir")
    n = max(1, min(workers or os.cpu_count() or 1, len(plan.runs)))
    client = cluster = None
    if use_dask or dask_address:
        client, cluster = _connect_dask(dask_address, n)
    try:
        reports.mkdir(parents=True, exist_ok=True)
        runs.recover_interrupted(reports)
        sweep_id, folder, resumed = _sweep_folder(reports, plan.name, resume)
        previous = _previous(plan, sweep_id, reports) if resumed else {}
        todo = [r for r in plan.runs if r.index not in previous]
        started = _dt.datetime.now(_dt.UTC)
        _write_manifest(folder, plan, sweep_id, started, "running", previous, {})
        outcomes: dict[int, dict[str, Any]] = dict(previous)
        status = "interrupted"
        try:
            _dispatch(todo, sweep_id, reports, n, client, outcomes, progress,
                      plan.figure_formats)
            status = "complete"
        finally:
            runs.recover_interrupted(reports)
            for r in plan.runs:  # after Ctrl-C: what the run folders say, else "not run"
                if r.index not in outcomes:
                    run_folder = reports / r.analysis / _info(r, sweep_id)["run_id"]
                    outcomes[r.index] = (_outcome_of(run_folder) if run_folder.is_dir()
                                         else _not_run())
            table = _summary(plan, outcomes, folder)
            _write_summary(folder, table, sweep_id)
            _write_manifest(folder, plan, sweep_id, started, status, previous, outcomes)
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    failed = [dict(index=r.index, analysis=r.analysis, scenario=r.scenario, **outcomes[r.index])
              for r in plan.runs if outcomes[r.index].get("status") != "succeeded"]
    return SweepResult(sweep_id, folder, table, failed, reused=len(previous))


def _info(r: PlannedRun, sweep_id: str,
          formats: tuple[str, ...] | None = None) -> dict[str, Any]:
    return {"id": sweep_id, "index": r.index, "key": r.key, "scenario": r.scenario,
            "run_id": f"{sweep_id}-{r.index:03d}", "figure_formats": formats}


def _dispatch(todo: list[PlannedRun], sweep_id: str, reports: Path, n: int, client: Any,
              outcomes: dict[int, dict[str, Any]], progress: bool,
              formats: tuple[str, ...] | None = None) -> None:
    from tqdm import tqdm

    bar = tqdm(total=len(todo), desc=f"sweep {sweep_id}", unit="run", disable=not progress,
               leave=True)
    try:
        if client is not None:
            from dask.distributed import as_completed

            futures = {client.submit(_run_one, r.analysis, r.parameters, str(reports),
                                     r.notebooks, _info(r, sweep_id, formats), pure=False): r
                       for r in todo}
            for fut in as_completed(futures):
                outcomes[futures[fut].index] = _outcome(fut)
                bar.update()
            return
        broken = _pool_round(todo, sweep_id, reports, n, outcomes, bar, formats, isolate=False)
        if broken:  # a worker died: re-run the runs that shared its pool, each in a pool of its own
            runs.recover_interrupted(reports)
            broken = _pool_round(broken, sweep_id, reports, n, outcomes, bar, formats,
                                 isolate=True)
        for r in broken:
            outcomes[r.index] = {"run_id": None, "status": "failed", "path": None,
                                 "duration_s": None,
                                 "error": "worker process died (twice; killed or out of memory?)"}
            bar.update()
    finally:
        bar.close()


def _pool_round(todo: list[PlannedRun], sweep_id: str, reports: Path, n: int,
                outcomes: dict[int, dict[str, Any]], bar: Any,
                formats: tuple[str, ...] | None, *, isolate: bool) -> list[PlannedRun]:
    """Run `todo` on spawn worker processes; return the runs whose worker died.

    A worker that dies breaks its whole pool, so every run in flight there fails with
    it. ``isolate=False``: one pool of `n` workers (the fast path). ``isolate=True``: each run
    in a pool of its own, at most `n` at a time, so a run that kills its worker again is told
    apart from the runs that merely shared the pool.
    """
    if not todo:
        return []
    ctx = multiprocessing.get_context("spawn")
    stop = ctx.Event()  # set on Ctrl-C: queued runs then return "not run" without starting
    groups = [[r] for r in todo] if isolate else [list(todo)]
    width = 1 if isolate else min(n, len(todo))
    broken: list[PlannedRun] = []
    pools: list[ProcessPoolExecutor] = []
    live: dict[Any, PlannedRun] = {}
    try:
        queue = list(groups)
        while queue or live:
            while queue and (not isolate or len(live) < n):
                pool = ProcessPoolExecutor(max_workers=width, mp_context=ctx,
                                           initializer=_warm_worker, initargs=(stop,))
                pools.append(pool)
                for r in queue.pop(0):
                    live[pool.submit(_run_one, r.analysis, r.parameters, str(reports),
                                     r.notebooks, _info(r, sweep_id, formats))] = r
            done, _ = wait(live, return_when=FIRST_COMPLETED)
            for fut in done:
                r = live.pop(fut)
                try:
                    outcomes[r.index] = fut.result()
                    bar.update()
                except BrokenProcessPool:
                    broken.append(r)
                except Exception as exc:
                    outcomes[r.index] = {"run_id": None, "status": "failed", "path": None,
                                         "duration_s": None,
                                         "error": f"{type(exc).__name__}: {exc}"}
                    bar.update()
    except KeyboardInterrupt:
        # Calls already handed to a worker cannot be cancelled: they see the event and
        # return at once; the runs in progress stop on the terminal's SIGINT, or finish.
        stop.set()
        raise
    finally:
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)
    return sorted(broken, key=lambda r: r.index)


def _summary(plan: SweepPlan, outcomes: Mapping[int, Mapping[str, Any]],
             folder: Path) -> pd.DataFrame:
    rows = []
    for r in plan.runs:
        o = outcomes[r.index]
        report = None
        if o.get("path") and (Path(o["path"]) / "report.html").is_file():
            report = Path(os.path.relpath(Path(o["path"]) / "report.html", folder)).as_posix()
        row: dict[str, Any] = {"index": r.index, "analysis": r.analysis,
                               "scenario": r.scenario, "run_id": o.get("run_id"),
                               "status": o.get("status"), "duration_s": o.get("duration_s"),
                               "error": o.get("error"), "report": report, "path": o.get("path")}
        for k, v in r.parameters.items():
            row[k] = str(v) if isinstance(v, list | dict | tuple) else v
        for k, v in _key_numbers(o.get("path")).items():
            row[f"result_{k}" if k in row else k] = v
        rows.append(row)
    frame = pd.DataFrame(rows)
    for name in dict.fromkeys(k for r in plan.runs for k in r.parameters):
        # parameters as given (5 stays 5 beside a run that does not set it), not upcast to float
        frame[name] = pd.Series([row.get(name) for row in rows], dtype=object, index=frame.index)
    first = list(SUMMARY_COLUMNS)
    return frame[[*first, *[c for c in frame.columns if c not in first]]]


_CSS = """body{font-family:"DejaVu Sans",Arial,sans-serif;color:#222;margin:2em}
table{border-collapse:collapse;font-size:.9em}th,td{border:1px solid #ddd;padding:.3em .6em;
text-align:left}th{background:#F3F6F9}td.num{text-align:right}.failed{color:#D55E00;
font-weight:bold}.muted{color:#555}"""


def _write_summary(folder: Path, table: pd.DataFrame, sweep_id: str) -> None:
    safe_csv(table.drop(columns=["path"])).to_csv(folder / "summary.csv", index=False)
    e = html.escape
    cols = [c for c in table.columns if c != "path"]
    n_ok = int((table["status"] == "succeeded").sum())
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>Sweep {e(sweep_id)}</title><style>{_CSS}</style></head><body>",
           f"<h1>Sweep {e(sweep_id)}</h1>",
           f'<p class="muted">{n_ok} of {len(table)} runs succeeded.</p>',
           "<table><thead><tr>" + "".join(f"<th>{e(str(c))}</th>" for c in cols)
           + "</tr></thead><tbody>"]
    for row in table.to_dict("records"):
        cells = []
        for c in cols:
            v = row[c]
            if c == "report" and v:
                cells.append(f'<td><a href="{e(str(v), quote=True)}">report</a></td>')
                continue
            if v is None or (not isinstance(v, list | dict) and pd.isna(v)):
                text = ""
            elif isinstance(v, float) and c != "duration_s":  # readable; the CSV keeps all digits
                text = f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"
            else:
                text = str(v)
            cls = ' class="failed"' if c == "status" and v != "succeeded" else (
                ' class="num"' if isinstance(v, int | float) and not isinstance(v, bool) else "")
            cells.append(f"<td{cls}>{e(text)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></body></html>")
    (folder / "summary.html").write_text("\n".join(out) + "\n", encoding="utf-8")


def _write_manifest(folder: Path, plan: SweepPlan, sweep_id: str, started: _dt.datetime,
                    status: str, previous: Mapping[int, Any],
                    outcomes: Mapping[int, Mapping[str, Any]]) -> None:
    doc = {
        "sweep_id": sweep_id, "name": plan.name, "source": plan.source, "status": status,
        "started_at": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "finished_at": (_dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                        if status != "running" else None),
        "reused": sorted(previous),
        "runs": [{"index": r.index, "analysis": r.analysis, "scenario": r.scenario,
                  "key": r.key, "parameters": r.parameters,
                  **{k: outcomes.get(r.index, {}).get(k) for k in ("run_id", "status", "path")}}
                 for r in plan.runs],
    }
    (folder / "manifest.json").write_text(
        json.dumps(to_jsonable(doc), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def sweep(
    analysis: str,
    parameter_sets: Sequence[Mapping[str, Any]],
    *,
    reports_dir: str | os.PathLike[str] = "reports",
    workers: int | None = None,
    scheduler: Literal["processes", "dask"] = "processes",
    dask_address: str | None = None,
    notebooks: str | os.PathLike[str] | None = None,
    progress: bool = False,
    name: str | None = None,
) -> pd.DataFrame:
    """Run `analysis` once per parameter set and return one row per run.

    Parameters
    ----------
    analysis : str
        Notebook name.
    parameter_sets : sequence of mapping
        One mapping of parameter values per run (see :func:`grid`).
    reports_dir : path-like
        Where run folders go (``<reports_dir>/<analysis>/<run_id>/``) and the sweep's summary
        (``<reports_dir>/sweeps/<name>/``).
    workers : int, optional
        Parallel workers; default the number of CPUs (at most the number of runs). With Dask
        and an address, ignored (the cluster decides).
    scheduler : {"processes", "dask"}
        A local process pool, or Dask (``dask_address`` of a running scheduler, or a
        LocalCluster with `workers` single-threaded worker processes).
    notebooks : path-like, optional
        Folder of the notebooks (see :func:`btm.analyses.notebooks_dir`).
    progress : bool
        A progress bar over runs.
    name : str, optional
        The sweep's id (default ``<analysis>-<digest of the parameter sets>``: the same sets
        give the same id, so ``resume`` finds the sweep; a repeat without it gets ``-2``...).

    Returns
    -------
    pandas.DataFrame
        Columns ``run_id``, ``status``, ``path``, ``error``, the parameters, then the key
        numbers of each run's ``results.json`` (NaN when a run failed).

    Raises
    ------
    InputError
        Any parameter set invalid (checked for all sets before any run starts), no parameter
        sets, bad `workers` or `scheduler`.
    """
    if scheduler not in ("processes", "dask"):
        raise InputError(f"scheduler: got {scheduler!r}; expected 'processes' or 'dask'")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise InputError(f"workers: got {workers!r}; expected a whole number of at least 1")
    plan = plan_sets(analysis, parameter_sets, notebooks=notebooks, name=name)
    result = execute(plan, reports_dir=reports_dir, workers=workers, dask_address=dask_address,
                     use_dask=scheduler == "dask", progress=progress)
    outcomes = [{k: row[k] for k in ("run_id", "status", "path", "error")}
                for row in result.summary.to_dict("records")]
    return summarise([r.parameters for r in plan.runs], outcomes)


def plan_sets(
    analysis: str,
    parameter_sets: Sequence[Mapping[str, Any]],
    *,
    notebooks: str | os.PathLike[str] | None = None,
    name: str | None = None,
) -> SweepPlan:
    """A checked plan of one analysis over explicit parameter sets (``btm sweep NAME -g ...``).

    Raises
    ------
    InputError
        No sets, a set that is not a mapping, or any invalid set (named by its position).
    """
    from btm import analyses

    if isinstance(parameter_sets, Mapping) or not isinstance(parameter_sets, Sequence):
        raise InputError("parameter_sets: expected a list of mappings (parameter name → value)")
    if len(parameter_sets) == 0:
        raise InputError("parameter_sets: got none; expected at least one parameter set")
    if name is not None and not valid_name(name):
        raise InputError(f"name: got {name!r}; expected letters, digits, '_', '-' or '.' "
                         "(it names the sweep's folder)")
    folder = analyses.notebooks_dir(notebooks)
    a = analyses.get_analysis(analysis, folder)
    checked_sets = []
    for i, params in enumerate(parameter_sets, start=1):
        if not isinstance(params, Mapping):
            raise InputError(
                f"parameter set {i}: got {type(params).__name__}; expected a mapping"
            )
        try:
            # Resolve relative paths here, where the user's current directory is known.
            checked_sets.append(_checked(dict(params), a.name, folder))
        except InputError as exc:
            raise InputError(f"parameter set {i}: {exc}") from None

    def text(v: Any) -> str:
        return json.dumps(to_jsonable(v), sort_keys=True, default=str)

    names = list(dict.fromkeys(k for c in checked_sets for k in c))
    varied = [k for k in names if len({text(c.get(k)) for c in checked_sets}) > 1] or names
    planned = [PlannedRun(i, a.name, _label(a.name, None, {k: c[k] for k in varied if k in c}),
                          c, str(a.path.parent)) for i, c in enumerate(checked_sets, start=1)]
    if name is None:  # the same sets give the same name, so --resume finds the sweep again
        digest = hashlib.sha256("".join(r.key for r in planned).encode()).hexdigest()[:8]
        name = f"{a.name}-{digest}"
    return SweepPlan(name, tuple(planned))


def _checked(params: dict[str, Any], analysis: str, folder: Path) -> dict[str, Any]:
    """The given parameters converted to their declared types, paths made absolute."""
    effective = runs.validate_parameters(analysis, params, notebooks=folder)
    return {k: effective[k] for k in params}


def _outcome(future: Any) -> dict[str, Any]:
    try:
        return future.result()
    except Exception as exc:  # a worker process died
        return {"run_id": None, "status": "failed", "path": None, "duration_s": None,
                "error": f"{type(exc).__name__}: {exc}"}
