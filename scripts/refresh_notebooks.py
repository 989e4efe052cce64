"""Re-execute the analysis notebooks in place so their stored outputs match the code.

nbval (``pytest --nbval-lax``) compares the outputs of cells marked ``# NBVAL_CHECK_OUTPUT``
with what is stored in the notebook; after a deliberate change of numbers, run::

    .venv/bin/python scripts/refresh_notebooks.py            # every notebook
    .venv/bin/python scripts/refresh_notebooks.py tco_comparison

Image outputs are dropped before saving (nbval ignores them and they bloat the repository);
text outputs, which readers and nbval use, are kept. Notebooks run with their default
parameters, from the ``notebooks/`` folder, exactly as nbval runs them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def refresh(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    ExecutePreprocessor(timeout=1800, kernel_name="python3").preprocess(
        nb, {"metadata": {"path": str(path.parent)}}
    )
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = [
            out for out in cell.outputs
            if not (out.get("output_type") in ("display_data", "execute_result")
                    and any(k.startswith("image/") for k in out.get("data", {})))
        ]
        for out in cell.outputs:
            out.get("metadata", {}).clear() if isinstance(out.get("metadata"), dict) else None
    nbformat.write(nb, path)
    print(f"refreshed {path.relative_to(NOTEBOOKS.parent)}")


def main(names: list[str]) -> None:
    paths = [NOTEBOOKS / f"{n}.ipynb" for n in names] if names else sorted(NOTEBOOKS.glob("*.ipynb"))
    for path in paths:
        refresh(path)


if __name__ == "__main__":
    main(sys.argv[1:])
