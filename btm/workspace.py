"""A working folder for an analyst: btm's notebooks and sample data, copied to edit.

``btm init DIR`` copies ``notebooks/*.ipynb`` and ``data/`` from the installed package into
``DIR`` (the same layout: a notebook's default inputs are ``../data/...``), so the analyst opens
``DIR/notebooks`` in JupyterLab, edits inputs and notebooks, and re-runs. An existing file is
never overwritten: it is left as it is and reported as kept.

It also writes ``DIR/btm-workspace.txt``, which makes ``DIR`` a working folder: ``btm run``,
``sweep``, ``list`` and ``boardpack`` started in ``DIR`` or below it run *these* notebooks on
*this* data (:func:`btm.analyses.find_workspace`; ``--notebooks`` and ``BTM_NOTEBOOKS`` still
take precedence). Running ``btm init`` again copies what a newer btm adds, and keeps the rest.

Examples
--------
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     first = init(d)
...     again = init(d)
...     (pathlib.Path(d) / "notebooks" / "tco_comparison.ipynb").is_file(), len(again.copied)
(True, 0)
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from btm.analyses import WORKSPACE_MARKER
from btm.errors import InputError
from btm.files import package_root

__all__ = ["InitResult", "init"]

_SKIP = ("__pycache__", ".ipynb_checkpoints")


@dataclass(frozen=True)
class InitResult:
    """What :func:`init` did: the folder, the files it copied and those it kept as they were."""

    folder: Path
    copied: tuple[Path, ...]
    kept: tuple[Path, ...]


def init(folder: str | os.PathLike[str]) -> InitResult:
    """Copy btm's notebooks and sample data into `folder` (created if need be).

    Raises
    ------
    InputError
        `folder` exists and is not a folder.
    """
    target = Path(folder).expanduser().resolve()
    if target.exists() and not target.is_dir():
        raise InputError(f"folder: {target} exists and is not a folder; expected a folder")
    root = package_root()
    copied, kept = [], []
    for part in ("notebooks", "data"):
        for src in sorted((root / part).rglob("*")):
            rel = src.relative_to(root)
            if not src.is_file() or any(p in _SKIP or p.startswith(".") for p in rel.parts):
                continue
            dest = target / rel
            if dest.exists():
                kept.append(dest)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
            copied.append(dest)
    marker = target / WORKSPACE_MARKER
    if marker.exists():
        kept.append(marker)
    else:
        marker.write_text(_MARKER_TEXT, encoding="utf-8")
        copied.append(marker)
    return InitResult(target, tuple(copied), tuple(kept))


_MARKER_TEXT = """\
This folder is a btm working folder, made by `btm init`.

`btm run`, `btm sweep`, `btm list` and `btm boardpack` started in this folder or below it use
the notebooks in notebooks/ (and so the data in data/ they read by default), not the copies
shipped with btm. Delete this file to make it an ordinary folder again.
"""
