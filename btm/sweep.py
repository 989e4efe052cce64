"""Run one analysis for many parameter sets, in parallel, and tabulate the key numbers.

Each parameter set becomes an ordinary run folder (see :mod:`btm.runs`). Work goes to a local
process pool by default (each worker executes notebooks in-process, which is about twice as
fast as papermill's command line) or to a Dask cluster (``scheduler="dask"``; a
``dask.distributed`` scheduler address, or a LocalCluster when none is given) to scale out.
Every parameter set is validated before anything starts.

Examples
--------
>>> grid(discount_rate=[0.06, 0.08], horizon_years=[5])
[{'discount_rate': 0.06, 'horizon_years': 5}, {'discount_rate': 0.08, 'horizon_years': 5}]
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from btm import runs
from btm.errors import InputError
from btm.report import RESULTS_FILE

__all__ = ["grid", "sweep", "summarise", "split_values", "parameter_sets"]


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


def _run_one(
    analysis: str,
    parameters: dict[str, Any],
    reports_dir: str,
    notebooks: str,
) -> dict[str, Any]:
    """Worker entry point: run and return a picklable summary (never raises)."""
    try:
        rec = runs.run(
            analysis, parameters, reports_dir=reports_dir, progress=False, notebooks=notebooks
        )
        return {
            "run_id": rec.run_id,
            "status": rec.status,
            "path": str(rec.path),
            "error": runs.describe_error(rec.error) if rec.error else None,
        }
    except Exception as exc:  # the worker reports; the sweep goes on
        return {"run_id": None, "status": "failed", "path": None, "error": f"{type(exc).__name__}: {exc}"}


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


def sweep(
    analysis: str,
    parameter_sets: Sequence[Mapping[str, Any]],
    *,
    reports_dir: str | os.PathLike[str] = "reports",
    workers: int | None = None,
    scheduler: Literal["processes", "dask"] = "processes",
    dask_address: str | None = None,
    notebooks: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Run `analysis` once per parameter set and return one row per run.

    Parameters
    ----------
    analysis : str
        Notebook name.
    parameter_sets : sequence of mapping
        One mapping of parameter values per run (see :func:`grid`).
    reports_dir : path-like
        Where run folders go (``<reports_dir>/<analysis>/<run_id>/``).
    workers : int, optional
        Parallel workers; default the number of CPUs (at most the number of runs). With Dask
        and an address, ignored (the cluster decides).
    scheduler : {"processes", "dask"}
        A local process pool, or Dask (``dask_address`` of a running scheduler, or a
        LocalCluster with `workers` single-threaded worker processes).
    notebooks : path-like, optional
        Folder of the notebooks (see :func:`btm.analyses.notebooks_dir`).

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
    from btm import analyses

    if scheduler not in ("processes", "dask"):
        raise InputError(f"scheduler: got {scheduler!r}; expected 'processes' or 'dask'")
    if isinstance(parameter_sets, Mapping) or not isinstance(parameter_sets, Sequence):
        raise InputError("parameter_sets: expected a list of mappings (parameter name → value)")
    if len(parameter_sets) == 0:
        raise InputError("parameter_sets: got none; expected at least one parameter set")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise InputError(f"workers: got {workers!r}; expected a whole number of at least 1")
    folder = analyses.notebooks_dir(notebooks)
    name = analyses.get_analysis(analysis, folder).name
    sets: list[dict[str, Any]] = []
    for i, params in enumerate(parameter_sets, start=1):
        if not isinstance(params, Mapping):
            raise InputError(
                f"parameter set {i}: got {type(params).__name__}; expected a mapping"
            )
        try:
            # Resolve relative paths here, where the user's current directory is known.
            sets.append(_checked(dict(params), name, folder))
        except InputError as exc:
            raise InputError(f"parameter set {i}: {exc}") from None
    reports = str(Path(reports_dir).expanduser().resolve())
    n = min(workers or os.cpu_count() or 1, len(sets))
    if scheduler == "dask":
        outcomes = _dask(name, sets, reports, str(folder), n, dask_address)
    else:
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=n, mp_context=ctx) as pool:
            futures = [pool.submit(_run_one, name, p, reports, str(folder)) for p in sets]
            outcomes = [_outcome(f) for f in futures]
    return summarise(sets, outcomes)


def _checked(params: dict[str, Any], analysis: str, folder: Path) -> dict[str, Any]:
    """The given parameters converted to their declared types, paths made absolute."""
    effective = runs.validate_parameters(analysis, params, notebooks=folder)
    return {k: effective[k] for k in params}


def _outcome(future: Any) -> dict[str, Any]:
    try:
        return future.result()
    except Exception as exc:  # a worker process died
        return {"run_id": None, "status": "failed", "path": None, "error": f"{type(exc).__name__}: {exc}"}


def _dask(
    analysis: str,
    sets: list[dict[str, Any]],
    reports: str,
    notebooks: str,
    n: int,
    address: str | None,
) -> list[dict[str, Any]]:
    from dask.distributed import Client, LocalCluster

    cluster = None
    if address:
        client = Client(address)
    else:
        cluster = LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        futures = [
            client.submit(_run_one, analysis, p, reports, notebooks, pure=False) for p in sets
        ]
        return [_outcome(f) for f in futures]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
