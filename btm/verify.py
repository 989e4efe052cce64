"""Check that a run's key numbers still come out of its inputs: ``btm verify RUN_DIR|PACK_DIR``.

:func:`verify` re-runs a run from its ``manifest.json`` (same analysis, same given parameters,
inputs at the recorded paths) into a scratch folder and compares the key numbers of the new
``results.json`` with the recorded ones *exactly* (a reproducible analysis prints the same
numbers: its randomness is seeded). It names every input whose SHA-256 differs from the one
recorded (or that is gone), says when the notebook itself changed, and names the library
versions and the CPU that differ from the run's (numbers that rest on numerical model fits can
move between CPUs and releases, mostly in late digits; the same machine and versions give the
same numbers). Given a board-pack folder, it does this for every run the pack used.

Examples
--------
>>> compare_numbers({"npv": {"value": 1.5}}, {"npv": {"value": 1.5}})
[]
>>> compare_numbers({"npv": {"value": 1.5}}, {"npv": {"value": 1.25}, "irr": {"value": 0.1}})
[('npv', 1.5, 1.25), ('irr', None, 0.1)]
>>> changed_environment({"versions": {"numpy": "2.3.5"}, "platform": {"cpu": "A"}},
...                     {"versions": {"numpy": "2.4.6"}, "platform": {"cpu": "B"}})
['numpy 2.3.5 then, 2.4.6 now', 'cpu A then, B now']
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from btm import files as _files
from btm import runs as _runs
from btm.errors import InputError
from btm.report import RESULTS_FILE

__all__ = ["Verification", "verify", "verify_run", "compare_numbers", "changed_inputs",
           "changed_environment"]


@dataclass(frozen=True)
class Verification:
    """The outcome of re-running one run.

    Attributes
    ----------
    analysis, run_id : str
    path : pathlib.Path
        The run folder checked.
    reproduced : bool
        The re-run succeeded and every key number equals the recorded one exactly.
    mismatches : list of (name, recorded, new)
        Key numbers that differ (None where one side has no such number).
    changed_inputs : list of str
        Inputs (parameter names, with their paths) whose SHA-256 changed or that are missing.
    notebook_changed : bool
        The notebook's SHA-256 differs from the one recorded.
    changed_environment : list of str
        Library versions and the CPU that differ between the run and the re-run.
    rerun_status : str
        Status of the re-run (``succeeded``, ``failed``), or why it could not start.
    rerun_error : str or None
    """

    analysis: str
    run_id: str
    path: Path
    reproduced: bool
    mismatches: list[tuple[str, Any, Any]] = field(default_factory=list)
    changed_inputs: list[str] = field(default_factory=list)
    notebook_changed: bool = False
    rerun_status: str = ""
    rerun_error: str | None = None
    changed_environment: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line for a person: reproduced or not, and why."""
        head = f"{self.analysis}/{self.run_id}: "
        if self.reproduced:
            text = head + "reproduced (every key number identical)"
        elif self.rerun_status != "succeeded":
            text = head + f"NOT reproduced: the re-run {self.rerun_status}"
            if self.rerun_error:
                text += f" ({self.rerun_error})"
        else:
            shown = "; ".join(f"{n}: {old!r} then, {new!r} now" for n, old, new in
                              self.mismatches[:5])
            text = head + f"NOT reproduced: {len(self.mismatches)} key number(s) differ: {shown}"
        if self.changed_inputs:
            text += "; inputs changed since the run: " + ", ".join(self.changed_inputs)
        if self.notebook_changed:
            text += "; the notebook changed since the run"
        if self.changed_environment and not self.reproduced:
            text += ("; run elsewhere (numbers from numerical fits can differ between CPUs "
                     "and library versions): " + ", ".join(self.changed_environment))
        return text


def _numbers(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / RESULTS_FILE).read_text(encoding="utf-8")).get(
            "key_numbers", {})
    except (OSError, ValueError):
        return None


def compare_numbers(recorded: Mapping[str, Any], new: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """Key numbers (``{name: {"value": v}}``) that differ: exact equality, no tolerance."""
    def value(d: Mapping[str, Any], k: str) -> Any:
        v = d.get(k)
        return v.get("value") if isinstance(v, Mapping) else v

    return [(k, value(recorded, k), value(new, k)) for k in dict.fromkeys([*recorded, *new])
            if value(recorded, k) != value(new, k) or (k in recorded) != (k in new)]


def changed_inputs(manifest: Mapping[str, Any]) -> list[str]:
    """Inputs of a manifest whose file (or folder) now hashes differently, or is gone.

    Examples
    --------
    >>> changed_inputs({"inputs": {"costs_file": {"path": "/no/such.csv", "sha256": "0"}}})
    ['costs_file (/no/such.csv: missing)']
    """
    out = []
    for name, entry in (manifest.get("inputs") or {}).items():
        path = Path(str(entry.get("path", "")))
        if not path.exists():
            out.append(f"{name} ({path}: missing)")
            continue
        digest = _files.sha256_dir(path) if path.is_dir() else _files.sha256(path)
        if digest != entry.get("sha256"):
            out.append(f"{name} ({path})")
    return out


def changed_environment(recorded: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Library versions and CPU (``platform.cpu``) that differ between two manifests; a
    name missing from either (an older manifest) is not reported."""
    def env(m: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(m.get("versions") or {})
        cpu = (m.get("platform") or {}).get("cpu")
        return {**out, "cpu": cpu} if cpu else out

    old, now = env(recorded), env(new)
    return [f"{k} {old[k]} then, {now[k]} now" for k in old if k in now and old[k] != now[k]]


def verify_run(run_folder: str | os.PathLike[str], *, keep: bool = False) -> Verification:
    """Re-run one run folder from its manifest and compare its key numbers exactly.

    The re-run goes to a scratch folder, removed afterwards unless `keep` (or unless it did
    not reproduce, so it can be inspected; its path is then in ``rerun_error``).

    Raises
    ------
    InputError
        `run_folder` holds no readable manifest, or its run wrote no key numbers.
    """
    folder = Path(run_folder).expanduser().resolve()
    m = _runs.read_manifest(folder)
    analysis, run_id = str(m.get("analysis")), str(m.get("run_id", folder.name))
    recorded = _numbers(folder)
    if recorded is None or m.get("status") != "succeeded":
        raise InputError(f"{folder}: run {run_id} has status {m.get('status')!r} and "
                         f"{'no' if recorded is None else 'its'} {RESULTS_FILE}; expected a "
                         "succeeded run with key numbers")
    changed = changed_inputs(m)
    notebook = Path(str(m.get("notebook", "")))
    notebook_changed = (not notebook.is_file()
                        or _files.sha256(notebook) != m.get("notebook_sha256"))
    scratch = Path(tempfile.mkdtemp(prefix="btm-verify-"))
    status, error, mismatches, environment = "could not start", None, [], []
    try:
        try:
            rec = _runs.run(analysis, dict(m.get("parameters_given") or {}), reports_dir=scratch,
                            progress=False, notebooks=notebook.parent)
        except InputError as exc:
            error = str(exc)
        else:
            status = rec.status
            try:
                environment = changed_environment(m, _runs.read_manifest(rec.path))
            except InputError:
                environment = []
            if rec.succeeded:
                mismatches = compare_numbers(recorded, _numbers(rec.path) or {})
            else:
                error = f"{_runs.describe_error(rec.error)}; see {rec.path / 'executed.ipynb'}"
                keep = True
        if mismatches:
            keep = True
            error = f"re-run kept in {scratch}"
    finally:
        if not keep:
            shutil.rmtree(scratch, ignore_errors=True)
    return Verification(analysis, run_id, folder, status == "succeeded" and not mismatches,
                        mismatches, changed, notebook_changed, status, error, environment)


def verify(target: str | os.PathLike[str], *, keep: bool = False) -> list[Verification]:
    """Verify a run folder, or every run of a board-pack folder (its ``manifest.json``).

    Raises
    ------
    InputError
        `target` is neither a run folder nor a board-pack folder.
    """
    folder = Path(target).expanduser()
    if not (folder / "manifest.json").is_file():
        raise InputError(f"{target}: no manifest.json here; expected a run folder "
                         "(reports/<analysis>/<run-id>) or a board-pack folder")
    m = _runs.read_manifest(folder)
    if "boardpack_id" not in m:
        return [verify_run(folder, keep=keep)]
    out = []
    for r in m.get("runs", []):
        if r.get("status") != "succeeded":
            out.append(Verification(str(r.get("analysis")), str(r.get("run_id")),
                                    Path(str(r.get("path"))), False,
                                    rerun_status=f"was not run: the pack's run {r.get('status')}"))
            continue
        out.append(verify_run(r["path"], keep=keep))
    return out
