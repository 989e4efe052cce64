"""Fixture notebooks written by orchestration tests: a parameters cell and one code cell,
with the notebook metadata ``btm run`` reads (title, order, not in the board pack)."""

from __future__ import annotations

from pathlib import Path

import nbformat


def write_notebook(folder: Path, name: str, *, parameters: str, code: str,
                   intro: str = "A fixture notebook.") -> Path:
    """Write ``folder/<name>.ipynb``; return `folder` (for ``notebooks=``)."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    title = name.replace("_", " ").capitalize()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}\n{intro}"), params,
                nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata["btm"] = {"title": title, "order": 1, "boardpack": False}
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")
    return folder
