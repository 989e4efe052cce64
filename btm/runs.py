"""Run one analysis notebook into a run folder: ``reports/<analysis>/<run-id>/``.

:func:`run` checks the parameters against the types declared in the notebook's parameters cell,
the constraints and rules (``scale_min < scale_max``) declared in the analysis's spec *before*
any kernel starts, resolves and fingerprints input files, executes the notebook with
papermill in this process, writes ``report.html`` (no input cells) and ``manifest.json`` and
renames the folder from ``.<run-id>.partial`` to ``<run-id>`` when complete. A failed run is kept
and marked failed; an existing run folder is never overwritten.

Parameter values given as text (from the command line) are converted to the declared type:
``"0.06"`` → 0.06 for ``float``, ``"5"`` → 5 for ``int`` (``"5.5"`` is refused), ``true``/``no``
for ``bool``, YAML for lists and dicts (``"[a, b]"`` or ``"a,b"``).

Examples
--------
>>> from btm.runs import coerce
>>> coerce("0.06", "float", parameter="discount_rate")
0.06
>>> coerce("5.5", "int", parameter="horizon_years")
Traceback (most recent call last):
...
btm.errors.InputError: horizon_years: got '5.5'; expected a whole number (int)
>>> coerce("a,b", "list[str]", parameter="skus")
['a', 'b']
"""

from __future__ import annotations

import ast
import datetime as _dt
import functools
import hashlib
import json
import logging
import math
import numbers
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from btm import analyses as _analyses
from btm import files as _files
from btm.errors import InputError, RunError
from btm.report import RESULTS_FILE, to_jsonable

__all__ = [
    "RunRecord",
    "run",
    "coerce",
    "validate_parameters",
    "load_parameters_file",
    "anchor_paths",
    "is_path_parameter",
    "read_manifest",
    "latest_run",
    "VERSIONED_PACKAGES",
    "claim_folder",
    "publish_folder",
    "recover_interrupted",
    "list_runs",
    "RUN_STATUSES",
    "warm_up",
]

#: Statuses a run folder's manifest can hold.
RUN_STATUSES = ("succeeded", "failed", "interrupted")
_OWNER_FILE = ".owner.json"
#: The kernel process's own stderr, kept in the run folder only when it wrote something.
KERNEL_LOG = "kernel.log"

def _declared_packages() -> tuple[str, ...]:
    """btm and every distribution it requires (read from its own metadata, not a list)."""
    import re as _re

    try:
        requires = metadata.requires("btm") or []
    except metadata.PackageNotFoundError:  # pragma: no cover - btm always installed here
        requires = []
    names = [_re.split(r"[\s\[<>=!~;(]", r, maxsplit=1)[0] for r in requires if "extra ==" not in r]
    return ("btm", *dict.fromkeys(n for n in names if n))


#: Distributions whose versions every manifest records: btm and its declared dependencies.
VERSIONED_PACKAGES = _declared_packages()
OUTPUT_PARAMETER = "output_dir"
_PATH_SUFFIXES = ("_file", "_path", "_dir")
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TRUE = {"true", "yes", "y", "on", "1"}
_FALSE = {"false", "no", "n", "off", "0"}


@dataclass(frozen=True)
class RunRecord:
    """The outcome of one run.

    Attributes
    ----------
    analysis, run_id : str
    path : pathlib.Path
        The run folder.
    status : {"succeeded", "failed"}
    parameters : dict
        Effective parameters (defaults included), as recorded in the manifest.
    error : dict or None
        ``{"type", "message", "cell", ...}`` when the run failed.
    """

    analysis: str
    run_id: str
    path: Path
    status: str
    parameters: dict[str, Any] = field(default_factory=dict)
    error: dict[str, Any] | None = None

    @property
    def succeeded(self) -> bool:
        """Whether the notebook ran to the end."""
        return self.status == "succeeded"

    def check(self) -> RunRecord:
        """Return self when the run succeeded, else raise :class:`btm.RunError`."""
        if not self.succeeded:
            raise RunError(f"run {self.analysis}/{self.run_id} failed: {describe_error(self.error)}"
                           f"; see {self.path / 'executed.ipynb'}")
        return self


def describe_error(error: Mapping[str, Any] | None) -> str:
    """One line for a manifest's ``error`` entry.

    Examples
    --------
    >>> describe_error({"type": "ZeroDivisionError", "message": "division by zero", "cell": 3})
    'ZeroDivisionError: division by zero (in cell [3])'
    """
    if not error:
        return "unknown error"
    text = f"{error.get('type', 'Error')}: {error.get('message', '')}".strip()
    if error.get("cell") is not None:
        text += f" (in cell [{error['cell']}])"
    return text


# --------------------------------------------------------------------------- parameters


def is_path_parameter(name: str) -> bool:
    """Whether a parameter names an input file or folder (``*_file``, ``*_path``, ``*_dir``).

    Examples
    --------
    >>> is_path_parameter("costs_file"), is_path_parameter("output_dir")
    (True, False)
    """
    return name != OUTPUT_PARAMETER and name.endswith(_PATH_SUFFIXES)


def _type_node(type_name: str) -> ast.expr | None:
    if not type_name:
        return None
    try:
        return ast.parse(type_name, mode="eval").body
    except SyntaxError:
        return None


_DESCRIBE = {
    "int": "a whole number",
    "float": "a number",
    "str": "text",
    "bool": "true or false",
    "list": "a list",
    "tuple": "a list",
    "dict": "a mapping",
}


def _head(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        return _head(node.value)
    if isinstance(node, ast.Constant) and node.value is None:
        return "None"
    return ""


def _args(node: ast.expr) -> list[ast.expr]:
    if not isinstance(node, ast.Subscript):
        return []
    s = node.slice
    return list(s.elts) if isinstance(s, ast.Tuple) else [s]


class _Mismatch(Exception):
    pass


def _parse_text(text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        raise _Mismatch from None


def _convert(value: Any, node: ast.expr | None) -> Any:
    """Convert `value` to the annotation `node`; raise _Mismatch when it cannot be."""
    if node is None:
        return value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        alternatives = _flatten_union(node)
        return _convert_union(value, alternatives)
    head = _head(node)
    if head in ("Optional",):
        return _convert_union(value, [*_args(node), ast.Constant(None)])
    if head == "Union":
        return _convert_union(value, _args(node))
    if head == "None":
        if value is None or (isinstance(value, str) and value.strip().lower() in ("none", "null", "~")):
            return None
        raise _Mismatch
    if head == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise _Mismatch
    if head == "int":
        if isinstance(value, bool):
            raise _Mismatch
        if isinstance(value, str):
            if not re.fullmatch(r"\s*[+-]?\d[\d_]*\s*", value):
                raise _Mismatch
            return int(value)
        if isinstance(value, numbers.Integral):
            return int(value)
        if isinstance(value, numbers.Real) and math.isfinite(float(value)) and float(value).is_integer():
            return int(float(value))
        raise _Mismatch
    if head == "float":
        if isinstance(value, bool):
            raise _Mismatch
        if isinstance(value, str):
            try:
                x = float(value.strip())
            except ValueError:
                raise _Mismatch from None
        elif isinstance(value, numbers.Real):
            x = float(value)
        else:
            raise _Mismatch
        if not math.isfinite(x):
            raise _Mismatch
        return x
    if head == "str":
        if isinstance(value, str):
            return value
        if isinstance(value, os.PathLike):
            return os.fspath(value)
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            return str(value)
        raise _Mismatch
    if head in ("list", "List", "tuple", "Tuple", "Sequence"):
        if isinstance(value, str):
            parsed = _parse_text(value)
            if isinstance(parsed, list):
                value = parsed
            elif "," in value:
                value = [v.strip() for v in value.split(",") if v.strip() != ""]
            else:
                value = [value.strip()]
        if not isinstance(value, list | tuple):
            raise _Mismatch
        args = _args(node)
        if head in ("tuple", "Tuple") and len(args) > 1 and not (
            isinstance(args[-1], ast.Constant) and args[-1].value is Ellipsis
        ):
            if len(args) != len(value):
                raise _Mismatch
            items = [_convert(v, a) for v, a in zip(value, args, strict=True)]
        else:
            item = args[0] if args else None
            items = [_convert(v, item) for v in value]
        return tuple(items) if head in ("tuple", "Tuple") else items
    if head in ("dict", "Dict", "Mapping"):
        if isinstance(value, str):
            value = _parse_text(value)
        if not isinstance(value, dict):
            raise _Mismatch
        args = _args(node)
        key_t, val_t = (args + [None, None])[:2] if args else (None, None)
        return {_convert(k, key_t): _convert(v, val_t) for k, v in value.items()}
    # Any, object, Path, date ...: passed through unchanged.
    return value


def _flatten_union(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _flatten_union(node.left) + _flatten_union(node.right)
    return [node]


def _convert_union(value: Any, alternatives: list[ast.expr]) -> Any:
    # None first (so "none" means None), then the others in the order written.
    ordered = sorted(alternatives, key=lambda a: _head(a) != "None")
    for alt in ordered:
        try:
            return _convert(value, alt)
        except _Mismatch:
            continue
    raise _Mismatch


def _describe(type_name: str) -> str:
    node = _type_node(type_name)
    head = _head(node) if node is not None else ""
    words = _DESCRIBE.get(head)
    return f"{words} ({type_name})" if words else f"a value of type {type_name}"


def coerce(value: Any, type_name: str, *, parameter: str) -> Any:
    """Convert `value` to the declared type `type_name` of `parameter`.

    Text is parsed (``"5"`` → 5 for ``int``); typed values are checked (an integral float is
    accepted for ``int``, an int for ``float``). Unknown annotations pass values through.

    Raises
    ------
    InputError
        The value cannot be read as the declared type; the message names the parameter, the
        value and the expected type.

    Examples
    --------
    >>> coerce("yes", "bool", parameter="include_tax")
    True
    >>> coerce("abc", "float", parameter="discount_rate")
    Traceback (most recent call last):
    ...
    btm.errors.InputError: discount_rate: got 'abc'; expected a number (float)
    """
    node = _type_node(type_name)
    try:
        return _convert(value, node)
    except _Mismatch:
        raise InputError(f"{parameter}: got {value!r}; expected {_describe(type_name)}") from None


def _signature(params: list[_analyses.Parameter]) -> str:
    return ", ".join(f"{p.name} ({p.type or 'any'})" for p in params if p.name != OUTPUT_PARAMETER)


@dataclass(frozen=True)
class _Plan:
    analysis: _analyses.Analysis
    notebooks: Path
    declared: dict[str, _analyses.Parameter]
    given: dict[str, Any]  # converted, paths resolved
    effective: dict[str, Any]
    inputs: dict[str, dict[str, Any]]
    inject: dict[str, Any]


def _plan(
    analysis: str | _analyses.Analysis,
    parameters: Mapping[str, Any] | None,
    notebooks: str | os.PathLike[str] | None,
    *,
    hash_inputs: bool = True,
) -> _Plan:
    folder = _analyses.notebooks_dir(notebooks)
    a = analysis if isinstance(analysis, _analyses.Analysis) else _analyses.get_analysis(
        analysis, folder)
    declared_list = _analyses.parameters(a)
    declared = {p.name: p for p in declared_list}
    parameters = dict(parameters or {})
    for name in parameters:
        if not isinstance(name, str) or name not in declared:
            raise InputError(
                f"{name}: not a parameter of analysis '{a.name}'; expected one of "
                f"{_signature(declared_list) or '(none)'}"
            )
        if name == OUTPUT_PARAMETER:
            raise InputError(
                f"{name}: set by btm to the run folder; expected it not to be given"
            )
    given = {n: coerce(v, declared[n].type, parameter=n) for n, v in parameters.items()}
    given = check_constraints(a, given)
    effective: dict[str, Any] = {}
    for p in declared_list:
        if p.name == OUTPUT_PARAMETER:
            continue
        if p.name in given:
            effective[p.name] = given[p.name]
        else:
            effective[p.name] = p.default if p.default is not None or not p.default_source else (
                p.default_source
            )
    check_rules(a, effective, given=given)
    inputs: dict[str, dict[str, Any]] = {}
    inject = dict(given)
    for name, value in effective.items():
        if not is_path_parameter(name) or not isinstance(value, str | os.PathLike):
            continue
        if str(value).strip() == "":
            continue  # an optional input left empty
        if name not in given and not isinstance(declared[name].default, str):
            continue  # a computed default: the notebook works it out
        kind = "dir" if name.endswith("_dir") else ("file" if name.endswith("_file") else "any")
        search = [Path.cwd(), _files.package_root()] if name in given else [folder, _files.package_root()]
        resolved = _files.resolve_path(value, parameter=name, search=search, kind=kind)
        effective[name] = inject[name] = str(resolved)
        if hash_inputs:
            digest = _files.sha256_dir(resolved) if resolved.is_dir() else _files.sha256(resolved)
            inputs[name] = {"path": str(resolved), "sha256": digest}
    return _Plan(a, folder, declared, given, effective, inputs, inject)


def _kernel_manager_class(stderr_file: Path | None = None) -> type:
    """A kernel manager talking to the kernel over local IPC sockets instead of TCP.

    The kernel then runs with no network port open, and ipykernel does not print its warning
    about unencrypted TCP on every run. Built lazily so ``import btm.runs`` stays light.
    With `stderr_file`, the kernel process's own stderr (ipykernel's log, C-level output; not
    the cells' output, which the notebook keeps) goes to that file instead of the terminal:
    parallel runs do not interleave it over the progress bar, and a kernel stopped by Ctrl-C
    does not print its shutdown tracebacks there. Where this process has a warm template
    (:func:`btm.kernels.enable`, sweep workers), the kernel is forked from it instead of
    launched as a new interpreter; anything that cannot be forked is launched as usual.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum, default

    class IPCKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

        @default("ip")
        def _ip_default(self) -> str:
            # jupyter_client's default socket prefix ("kernel-ipc" in the working folder) is the
            # same for every kernel: parallel runs (sweeps, pytest -n) would share sockets.
            return os.path.join(tempfile.gettempdir(), f"btm-kernel-{uuid.uuid4().hex}")

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            from btm import kernels

            cwd = kw.get("cwd") or os.getcwd()  # papermill enters the notebook's folder
            forked = kernels.fork_kernel(kernel_cmd, cwd=cwd, env=kw.get("env"),
                                         stderr=stderr_file)
            if forked is not None:  # a warm template forked it (sweep workers): adopt it
                prov: Any = self.provisioner
                prov.process, prov.pid, prov.pgid = forked, forked.pid, forked.pid
                prov.cwd = cwd
                self._reconcile_connection_info(prov.connection_info)
                return None
            if stderr_file is None:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            with open(stderr_file, "ab") as log:  # the kernel holds its own copy of the fd
                return await super()._async_launch_kernel(kernel_cmd, **{"stderr": log, **kw})

    return IPCKernelManager


def check_constraints(analysis: _analyses.Analysis, values: Mapping[str, Any]) -> dict[str, Any]:
    """Check parameter values against the constraints the analysis's spec declares.

    The constraints are those of :mod:`btm.constraints` (``Rate()``, ``Interval(int, 1, 100)``
    ...), declared once in ``btm/analyses/<name>/__init__.py``. Papermill checks none of this;
    btm checks it before a kernel starts, so a bad value costs nothing. A notebook no spec
    declares has its values checked against their annotated types only.

    Returns
    -------
    dict
        The values, converted where a constraint says so (``5.0`` → ``5`` for a whole number).

    Raises
    ------
    InputError
        A value outside its constraint; the message names the parameter.

    Examples
    --------
    >>> a = _analyses.get_analysis("tco_comparison")
    >>> check_constraints(a, {"discount_rate": 8})
    Traceback (most recent call last):
    ...
    btm.errors.InputError: discount_rate: got 8, which looks like a percentage; expected a fraction such as 0.08
    """
    checks = analysis.constraints
    return {name: checks[name].check(v, name) if name in checks else v
            for name, v in values.items()}


def check_rules(analysis: _analyses.Analysis, values: Mapping[str, Any], *,
                given: Iterable[str] | None = None) -> None:
    """Check the rules the analysis's spec declares between parameters (``scale_min <
    scale_max``), after :func:`check_constraints` and before a kernel starts.

    `values` are the effective values (given ones, converted, and the notebook's defaults);
    `given` names those the user gave, so the message names the one to change.

    Raises
    ------
    InputError
        The first rule broken; the message names both parameters and their values.

    Examples
    --------
    >>> a = _analyses.get_analysis("outsourcing_matrix")
    >>> check_rules(a, {"scale_min": 5, "scale_max": 1})
    Traceback (most recent call last):
    ...
    btm.errors.InputError: scale_max: got 1, not above scale_min 5; expected scale_min < scale_max
    """
    names = None if given is None else list(given)
    for rule in analysis.rules:
        rule.check(values, names)


def validate_parameters(
    analysis: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    notebooks: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Check `parameters` for `analysis` and return the effective parameters (defaults included).

    Nothing is executed. Path parameters are returned as absolute paths.

    Raises
    ------
    InputError
        Unknown analysis, unknown parameter (the message lists the valid ones with their
        types), a value of the wrong type, or a missing input file.
    """
    return dict(_plan(analysis, parameters, notebooks, hash_inputs=False).effective)


def anchor_paths(parameters: Mapping[str, Any], base: str | os.PathLike[str]
                 ) -> dict[str, Any]:
    """`parameters` with each relative input path that exists under `base` made absolute.

    A parameters or sweep file names its inputs relative to its own folder, as its ``csv:``
    key does; a path found there wins over the current folder and the package (where it is
    looked for next), so ``costs_file: alt_costs.csv`` next to the file is that file wherever
    the command is started.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (pathlib.Path(d) / "alt.csv").write_text("a\\n1\\n")
    ...     got = anchor_paths({"costs_file": "alt.csv", "rate": 0.1, "x_file": "no.csv"}, d)
    ...     pathlib.Path(got["costs_file"]).name, got["rate"], got["x_file"]
    ('alt.csv', 0.1, 'no.csv')
    """
    root = Path(base).expanduser()
    out = dict(parameters)
    for name, value in parameters.items():
        if not (isinstance(name, str) and is_path_parameter(name)
                and isinstance(value, str) and value.strip()):
            continue
        given = Path(value).expanduser()
        if not given.is_absolute() and (root / given).exists():
            out[name] = str((root / given).resolve())
    return out


def load_parameters_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a YAML or JSON file holding a mapping of parameter name → value.

    Relative input paths that exist next to the file are taken from there
    (:func:`anchor_paths`).

    Raises
    ------
    InputError
        Missing file, invalid YAML/JSON, or content that is not a mapping.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = pathlib.Path(d) / "p.yaml"
    ...     _ = f.write_text("discount_rate: 0.06\\nhorizon_years: 7\\n")
    ...     load_parameters_file(f)
    {'discount_rate': 0.06, 'horizon_years': 7}
    """
    p, data = _files.read_yaml(path, parameter="parameters file", expected="name: value lines")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(
            f"{p}: got a {type(data).__name__}; expected a mapping of parameter name to value"
        )
    return anchor_paths({str(k): v for k, v in data.items()}, p.parent)


# --------------------------------------------------------------------------- run folder


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


def _iso(t: _dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _params_hash(effective: Mapping[str, Any]) -> str:
    text = json.dumps(to_jsonable(dict(effective)), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:6]


def claim_folder(parent: Path, base: str, *, exact: bool) -> tuple[str, Path]:
    """Create ``parent/.<id>.partial`` for the first free id (base, base-2, ...)."""
    parent.mkdir(parents=True, exist_ok=True)
    n = 1
    while True:
        run_id = base if n == 1 else f"{base}-{n}"
        final, partial = parent / run_id, parent / f".{run_id}.partial"
        if not final.exists() and not partial.exists():
            try:
                partial.mkdir()
            except FileExistsError:
                pass
            else:
                _write_owner(partial)
                return run_id, partial
        if exact:
            raise InputError(
                f"run_id: {final} already exists; expected a new run id (runs are never overwritten)"
            )
        n += 1


def _write_owner(partial: Path) -> None:
    """Record which process writes `partial`, so a later command can tell it was abandoned."""
    owner = {"pid": os.getpid(), "host": platform.node(), "started_at": _iso(_now())}
    (partial / _OWNER_FILE).write_text(json.dumps(owner), encoding="utf-8")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _abandoned(partial: Path, *, grace_s: float = 600.0) -> bool:
    """Whether nobody is writing `partial` any more (its owner process is gone).

    A folder with no owner file (written by a btm before owners were recorded, or killed
    before it wrote one) counts as abandoned once untouched for `grace_s` seconds.
    """
    import time

    try:
        owner = json.loads((partial / _OWNER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        try:
            return time.time() - partial.stat().st_mtime > grace_s
        except OSError:
            return False
    if owner.get("host") != platform.node():
        return False  # another machine's worker (Dask): not ours to judge
    return not _pid_alive(int(owner.get("pid", -1)))


def recover_interrupted(reports_dir: str | os.PathLike[str] = "reports") -> list[Path]:
    """Mark every abandoned ``.<id>.partial`` folder under `reports_dir` as interrupted.

    A run (or board pack) killed mid-way (Ctrl-C, a killed worker, a power cut) leaves its
    hidden partial folder behind. This gives it a manifest with ``"status": "interrupted"``
    (keeping what the run wrote, an executed notebook up to where it stopped) and renames it
    to ``<id>`` so ``btm runs`` lists it; nothing reads it as a result, since only succeeded
    runs are used. Folders whose writing process is still alive are left alone. Every ``btm``
    command that reads or writes run folders calls this first.

    Returns
    -------
    list of pathlib.Path
        The folders marked.
    """
    root = Path(reports_dir).expanduser()
    if not root.is_dir():
        return []
    marked = []
    for partial in sorted(root.glob("*/.*.partial")):
        if not partial.is_dir() or not _abandoned(partial):
            continue
        run_id = partial.name[1:-len(".partial")]
        manifest_file = partial / "manifest.json"
        try:
            manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {"analysis": partial.parent.name, "run_id": run_id}
        manifest["status"] = "interrupted"
        manifest.setdefault("error", {"type": "Interrupted", "cell": None,
                                      "message": "the run stopped before it finished (killed "
                                      "or interrupted); marked by a later btm command"})
        manifest["marked_interrupted_at"] = _iso(_now())
        try:
            manifest_file.write_text(json.dumps(to_jsonable(manifest), indent=2) + "\n",
                                     encoding="utf-8")
            (partial / _OWNER_FILE).unlink(missing_ok=True)
            rid, final = publish_folder(partial, partial.parent, run_id)
        except OSError:
            continue  # another btm command got there first
        if rid != run_id:
            manifest["run_id"] = rid
            (final / "manifest.json").write_text(json.dumps(to_jsonable(manifest), indent=2)
                                                 + "\n", encoding="utf-8")
        marked.append(final)
    return marked


def list_runs(reports_dir: str | os.PathLike[str] = "reports",
              analysis: str | None = None) -> list[dict[str, Any]]:
    """Every run folder under `reports_dir` (oldest first): analysis, run id, status, times.

    Returns
    -------
    list of dict
        ``analysis``, ``run_id``, ``status`` (``succeeded``, ``failed``, ``interrupted``, or
        ``running`` for a partial folder whose process is alive), ``started_at``,
        ``duration_s``, ``sweep``, ``error`` (one line) and ``path``.
    """
    root = Path(reports_dir).expanduser()
    out: list[dict[str, Any]] = []
    if not root.is_dir():
        return out
    for parent in sorted(p for p in root.iterdir() if p.is_dir()):
        if parent.name in ("boardpack", "sweeps") or (analysis and parent.name != analysis):
            continue
        for folder in sorted(parent.iterdir()):
            if not folder.is_dir():
                continue
            if folder.name.startswith("."):
                if folder.name.endswith(".partial"):
                    out.append({"analysis": parent.name, "run_id": folder.name[1:-8],
                                "status": "running", "started_at": None, "duration_s": None,
                                "sweep": None, "error": None, "path": str(folder)})
                continue
            try:
                m = read_manifest(folder)
            except InputError:
                continue
            out.append({
                "analysis": m.get("analysis", parent.name),
                "run_id": m.get("run_id", folder.name),
                "status": m.get("status", "failed"),
                "started_at": m.get("started_at"),
                "duration_s": m.get("duration_s"),
                "sweep": (m.get("sweep") or {}).get("id"),
                "error": describe_error(m.get("error")) if m.get("error") else None,
                "path": str(folder),
            })
    out.sort(key=lambda r: (str(r["started_at"] or "9"), r["analysis"], r["run_id"]))
    return out


def publish_folder(partial: Path, parent: Path, run_id: str) -> tuple[str, Path]:
    """Rename the partial folder to its final name; never replace an existing folder."""
    (partial / _OWNER_FILE).unlink(missing_ok=True)
    base, n = run_id, 1
    while True:
        final = parent / run_id
        if not final.exists():
            try:
                os.rename(partial, final)
                return run_id, final
            except OSError:
                if not final.exists():
                    raise
        n += 1
        run_id = f"{base}-{n}"


class _DeadKernelTaskFilter(logging.Filter):
    """Drop asyncio's "Task exception was never retrieved" report of a cell whose kernel died.

    When a run is interrupted (Ctrl-C, a killed worker), nbclient's pending cell task fails with
    ``DeadKernelError`` after the run has already stopped waiting for it; asyncio then prints
    that orphaned task's traceback to stderr when it is collected. The run's manifest already
    says it was interrupted, so the traceback is noise a user must not see.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not (exc is not None and type(exc).__name__ == "DeadKernelError")


_DEAD_KERNEL_FILTER = _DeadKernelTaskFilter()


def _quiet_dead_kernel_tasks() -> None:
    """Install :class:`_DeadKernelTaskFilter` on the ``asyncio`` logger (once)."""
    log = logging.getLogger("asyncio")
    if _DEAD_KERNEL_FILTER not in log.filters:
        log.addFilter(_DEAD_KERNEL_FILTER)


def _versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"python": platform.python_version()}
    for dist in VERSIONED_PACKAGES:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    return out


def _git(root: Path) -> dict[str, Any] | None:
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True, text=True, timeout=5, check=False,
        )
        if head.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=5, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": head.stdout.strip(), "dirty": bool(dirty.stdout.strip())}


def _error_info(exc: BaseException) -> dict[str, Any]:
    if type(exc).__name__ == "PapermillExecutionError":
        source = str(getattr(exc, "source", "") or "")
        first = next((ln.strip() for ln in source.splitlines() if ln.strip()), "")
        return {
            "type": str(getattr(exc, "ename", type(exc).__name__)),
            "message": str(getattr(exc, "evalue", "")),
            "cell": getattr(exc, "exec_count", None),
            "cell_index": getattr(exc, "cell_index", None),
            "cell_source": first[:200],
        }
    return {"type": type(exc).__name__, "message": str(exc), "cell": None}


_TEMPLATES = Path(__file__).resolve().parent / "templates"


@functools.cache
def _html_exporter() -> Any:
    """One HTML exporter per process: its Jinja templates are compiled once, not per run."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
        extra_template_basedirs=[str(_TEMPLATES)], template_name="btm_report",
    )


def warm_up() -> None:
    """Pay a worker's one-off costs now: import papermill and nbconvert, compile the report
    template, read the versions. Sweep workers call it once at start-up."""
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    _kernel_manager_class()
    _html_exporter()
    _versions_cached()
    _git_cached(_files.package_root())


@functools.cache
def _versions_cached() -> tuple[tuple[str, str | None], ...]:
    return tuple(_versions().items())


@functools.cache
def _cpu() -> str:
    """The processor's model name (``/proc/cpuinfo`` on Linux), else ``platform.processor()``.

    Recorded because numbers from numerical fits can differ in late digits between CPUs."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


@functools.cache
def _git_cached(root: Path) -> str:
    return json.dumps(_git(root))


def _write_html(executed: Path, target: Path, title: str) -> str | None:
    """Export the executed notebook without input cells; return an error text on failure.

    The page is self-contained: figures are embedded images and the ``btm_report`` template
    (``btm/templates/``) loads nothing from the network, so it opens offline.
    """
    try:
        import nbformat

        nb = nbformat.read(executed, as_version=4)
        body, _ = _html_exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
        target.write_text(body, encoding="utf-8")
        return None
    except Exception as exc:  # a report that cannot be rendered must not lose the run
        return f"{type(exc).__name__}: {exc}"


def run(
    analysis: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    reports_dir: str | os.PathLike[str] = "reports",
    run_id: str | None = None,
    progress: bool = True,
    notebooks: str | os.PathLike[str] | None = None,
    sweep: Mapping[str, Any] | None = None,
) -> RunRecord:
    """Execute an analysis notebook into a new run folder ``<reports_dir>/<analysis>/<run_id>/``.

    Parameters
    ----------
    analysis : str
        Notebook name (see :func:`btm.analyses.list_analyses`).
    parameters : mapping, optional
        Parameter values; text is converted to the declared types. Defaults fill the rest.
    reports_dir : path-like
        Where run folders go.
    run_id : str, optional
        Folder name; default ``YYYYmmddTHHMMSSZ-<6 hex of the parameters' hash>`` (with
        ``-2``, ``-3`` ... added when taken). A given run id that exists is refused.
    progress : bool
        Show papermill's progress bar.
    notebooks : path-like, optional
        Folder of the notebooks (default: see :func:`btm.analyses.notebooks_dir`).
    sweep : mapping, optional
        Set by :mod:`btm.sweep`: ``{"id", "index", "scenario"}`` recorded in the manifest.
        With it, `run_id` is a base name (``-2`` ... added when taken) rather than exact.

    Notes
    -----
    Input paths (parameters named ``*_file``, ``*_path`` or ``*_dir``, except ``output_dir``)
    given by the caller are looked up in the current directory, then the project root; the
    notebook's own defaults in the notebook's folder, then the project root. The notebook
    receives absolute paths, and the manifest records each input's path and SHA-256 (for a
    folder, :func:`btm.files.sha256_dir`). ``output_dir`` is set to the run folder when the
    notebook declares it.

    Returns
    -------
    RunRecord
        With ``status`` ``"succeeded"`` or ``"failed"``; a failed run keeps its folder with the
        executed notebook showing the failing cell. Call ``.check()`` to raise on failure.

    Raises
    ------
    InputError
        Bad parameters or missing inputs, found before anything is executed or written.
    """
    t0 = time.perf_counter()
    plan = _plan(analysis, parameters, notebooks)
    if run_id is not None and not (isinstance(run_id, str) and _RUN_ID.match(run_id)):
        raise InputError(
            f"run_id: got {run_id!r}; expected letters, digits, '_', '-' or '.' (a folder name)"
        )
    started = _now()
    base = run_id or f"{started:%Y%m%dT%H%M%SZ}-{_params_hash(plan.effective)}"
    parent = Path(reports_dir).expanduser().resolve() / plan.analysis.name
    rid, partial = claim_folder(parent, base, exact=run_id is not None and sweep is None)
    timings = {"check_s": time.perf_counter() - t0}
    t0 = time.perf_counter()

    inject = dict(plan.inject)
    if OUTPUT_PARAMETER in plan.declared:
        inject[OUTPUT_PARAMETER] = str(partial)
    executed = partial / "executed.ipynb"
    kernel_log = partial / KERNEL_LOG
    error: dict[str, Any] | None = None
    interrupted: BaseException | None = None
    # btm has checked the parameters itself; papermill's own check only adds noise (it warns
    # about any parameter line whose comment holds '=').
    pm_logger = logging.getLogger("papermill")
    pm_level = pm_logger.level
    pm_logger.setLevel(logging.ERROR)
    _quiet_dead_kernel_tasks()
    try:
        import papermill

        from btm import kernels

        kernels.preload(kernels.notebook_imports(str(plan.analysis.path)))  # no-op if not enabled
        papermill.execute_notebook(
            str(plan.analysis.path),
            str(executed),
            parameters=inject,
            kernel_name="python3",
            language="python",
            cwd=str(plan.notebooks),
            progress_bar=progress,
            kernel_manager_class=_kernel_manager_class(kernel_log),
        )
    except Exception as exc:
        error = _error_info(exc)
    except BaseException as exc:  # KeyboardInterrupt: record the run as failed, then stop
        error = _error_info(exc)
        interrupted = exc
    finally:
        pm_logger.setLevel(pm_level)
    timings["execute_s"] = time.perf_counter() - t0
    if kernel_log.exists() and kernel_log.stat().st_size == 0:
        kernel_log.unlink()
    t0 = time.perf_counter()
    html_error = None
    if executed.exists():
        html_error = _write_html(executed, partial / "report.html", plan.analysis.title)
    timings["report_html_s"] = time.perf_counter() - t0
    finished = _now()
    status = "interrupted" if interrupted is not None else ("failed" if error else "succeeded")
    manifest = {
        "analysis": plan.analysis.name,
        "title": plan.analysis.title,
        "run_id": rid,
        "status": status,
        "notebook": str(plan.analysis.path),
        "notebook_sha256": _files.sha256(plan.analysis.path),
        "parameters": plan.effective,
        "parameters_given": plan.given,
        "inputs": plan.inputs,
        "versions": dict(_versions_cached()),
        "platform": {
            "system": platform.system(),
            "release": platform.release(),
            "machine": platform.machine(),
            "cpu": _cpu(),
            "python_implementation": platform.python_implementation(),
            "executable": sys.executable,
        },
        "git": json.loads(_git_cached(_files.package_root())),
        "started_at": _iso(started),
        "finished_at": _iso(finished),
        "duration_s": round((finished - started).total_seconds(), 3),
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
        "sweep": dict(sweep) if sweep else None,
        "error": error,
        "report_error": html_error,
        "results": RESULTS_FILE if (partial / RESULTS_FILE).exists() else None,
        "kernel_log": KERNEL_LOG if kernel_log.exists() else None,
    }
    (partial / "manifest.json").write_text(
        json.dumps(to_jsonable(manifest), indent=2, ensure_ascii=False, allow_nan=False) + "\n",
        encoding="utf-8",
    )
    rid, final = publish_folder(partial, parent, rid)
    if rid != manifest["run_id"]:  # renamed on a collision: keep the manifest truthful
        manifest["run_id"] = rid
        (final / "manifest.json").write_text(
            json.dumps(to_jsonable(manifest), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
    if interrupted is not None:
        raise interrupted
    return RunRecord(
        analysis=plan.analysis.name,
        run_id=rid,
        path=final,
        status=status,
        parameters=to_jsonable(plan.effective),
        error=error,
    )


# --------------------------------------------------------------------------- reading runs


def read_manifest(run_folder: str | os.PathLike[str]) -> dict[str, Any]:
    """The manifest of a run folder.

    Raises
    ------
    InputError
        No readable ``manifest.json`` in the folder.
    """
    p = Path(run_folder) / "manifest.json"
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{p}: cannot read the run manifest ({exc}); expected a run folder") from None


def record_from_folder(run_folder: str | os.PathLike[str]) -> RunRecord:
    """Rebuild the :class:`RunRecord` of an existing run folder from its manifest."""
    m = read_manifest(run_folder)
    return RunRecord(
        analysis=m.get("analysis", Path(run_folder).parent.name),
        run_id=m.get("run_id", Path(run_folder).name),
        path=Path(run_folder).resolve(),
        status=m.get("status", "failed"),
        parameters=m.get("parameters", {}),
        error=m.get("error"),
    )


def latest_run(
    analysis: str, *, reports_dir: str | os.PathLike[str] = "reports", succeeded: bool = True
) -> RunRecord | None:
    """The most recently finished run of `analysis` (only successful ones by default), or None."""
    parent = Path(reports_dir) / analysis
    best: tuple[str, RunRecord] | None = None
    if not parent.is_dir():
        return None
    for folder in parent.iterdir():
        if folder.name.startswith(".") or not (folder / "manifest.json").is_file():
            continue
        try:
            m = read_manifest(folder)
        except InputError:
            continue
        if succeeded and m.get("status") != "succeeded":
            continue
        key = str(m.get("finished_at", ""))
        if best is None or key > best[0]:
            best = (key, record_from_folder(folder))
    return best[1] if best else None
