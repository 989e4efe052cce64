"""Re-execute the analysis notebooks in place so their stored outputs match the code.

nbval (``pytest --nbval-lax``) compares the outputs of cells marked ``# NBVAL_CHECK_OUTPUT``
with what is stored in the notebook; after a deliberate change of numbers, run::

    .venv/bin/python scripts/refresh_notebooks.py            # every notebook
    .venv/bin/python scripts/refresh_notebooks.py tco_comparison

The notebook is stored exactly as git's nbstripout filter (set up by ``make``) stores it: only
the outputs of the checked cells are kept (they carry the tag ``keep_output``, added here), every
other output and run-time metadata is stripped (execution counts stay: nbval reads them). So running a notebook in
JupyterLab and saving it leaves ``git status`` clean when its numbers did not change.
Notebooks run with their default parameters, from their own folder, exactly as nbval runs them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor
from nbstripout._utils import strip_output

NOTEBOOKS = Path(__file__).resolve().parents[1] / "btm" / "notebooks"
CHECK = "# NBVAL_CHECK_OUTPUT"
KEEP = "keep_output"


def tag_checked_cells(nb: nbformat.NotebookNode) -> None:
    """Give every cell marked for nbval the ``keep_output`` tag nbstripout honours."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = list(cell.metadata.get("tags", []))
        checked = cell.source.lstrip().startswith(CHECK)
        if checked and KEEP not in tags:
            tags.append(KEEP)
        elif not checked and KEEP in tags:
            tags.remove(KEEP)
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)


def stored_form(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as the repository stores it (what the git filter writes)."""
    tag_checked_cells(nb)
    return strip_output(nb, keep_output=None, keep_count=True, keep_id=False)


def refresh(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    ExecutePreprocessor(timeout=1800, kernel_name="python3").preprocess(
        nb, {"metadata": {"path": str(path.parent)}}
    )
    nbformat.write(stored_form(nb), path)
    print(f"refreshed {path.relative_to(NOTEBOOKS.parents[1])}")


def main(names: list[str]) -> None:
    paths = [NOTEBOOKS / f"{n}.ipynb" for n in names] if names else sorted(NOTEBOOKS.glob("*.ipynb"))
    for path in paths:
        refresh(path)


if __name__ == "__main__":
    main(sys.argv[1:])
