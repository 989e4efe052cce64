"""Every analysis btm ships, found from its spec: complete, runnable, and its figures show.

Nothing here names an analysis: each test runs for every spec in ``btm/analyses/*/``. A new
analysis that follows the recipe (docs/design-notes.md) is checked by these tests with no edit
here. Each analysis is run once with its default parameters, as ``btm run`` does; then:

- every figure cell of the executed notebook has an image output (nbval ignores images, so a
  cell showing ``<Figure size ...>`` text would pass nbval and still show the analyst nothing);
- ``report.html`` embeds at least one image per declared figure and loads nothing from the
  network (it opens offline);
- ``results.json`` lists the declared figures, in order, and the declared key numbers;
- the run printed no warning.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re

import pytest

from btm import analyses, runs

SPECS = analyses.specs()


def _available(spec: analyses.Spec) -> bool:
    return all(importlib.util.find_spec(n) is not None for n in spec.needs)


def _code(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_spec_is_complete(spec):
    """Spec, charts, messages, notebook and sample data: the five places of the recipe."""
    assert spec.title and spec.question and spec.figures and spec.key_numbers
    for kind in ("charts", "messages"):
        module = importlib.import_module(f"btm.analyses.{spec.name}.{kind}")
        assert module.__all__, f"{spec.name}.{kind} exports nothing"
    nb = json.loads(spec.notebook.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"] == {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    assert "btm" not in nb["metadata"], "declare the analysis in its spec, not in metadata"
    cells = nb["cells"]
    first_code = next(c for c in cells if c["cell_type"] == "code")
    assert "parameters" in first_code["metadata"].get("tags", [])
    source = "\n".join(_code(c) for c in cells if c["cell_type"] == "code")
    saved = re.findall(r"out\.figure\(\s*\w+\s*,\s*\"(\w+)\"", source)
    assert saved == [f.name for f in spec.figures]
    assert spec.data_dir is not None and (spec.data_dir / "README.md").is_file()
    for cell in cells:  # notebooks hold no logic
        if cell["cell_type"] == "code":
            assert not re.search(r"^\s*(def|class) ", _code(cell), re.M)


@pytest.fixture(scope="module", params=SPECS, ids=lambda s: s.name)
def default_run(request, tmp_path_factory):
    spec = request.param
    if not _available(spec):
        pytest.skip(f"{spec.name} needs {', '.join(spec.needs)}")
    rec = runs.run(spec.name, {}, reports_dir=tmp_path_factory.mktemp(spec.name),
                   progress=False)
    assert rec.succeeded, runs.describe_error(rec.error)
    return spec, rec


@pytest.mark.slow
def test_every_figure_cell_shows_an_image(default_run):
    spec, rec = default_run
    nb = json.loads((rec.path / "executed.ipynb").read_text(encoding="utf-8"))
    figure_cells = [c for c in nb["cells"] if c["cell_type"] == "code"
                    and "out.figure(" in _code(c)]
    assert len(figure_cells) == len(spec.figures)
    for cell in figure_cells:
        kinds = {k for o in cell["outputs"] for k in o.get("data", {})}
        assert kinds & {"image/png", "image/svg+xml"}, _code(cell)[:200]
        texts = "".join("".join(o.get("data", {}).get("text/plain", ""))
                        for o in cell["outputs"])
        assert "<Figure size" not in texts or "image/png" in kinds


@pytest.mark.slow
def test_report_html_embeds_every_figure_and_opens_offline(default_run):
    spec, rec = default_run
    html = (rec.path / "report.html").read_text(encoding="utf-8")
    images = re.findall(r"<img[^>]+src=\"data:image/(?:png|svg\+xml)", html)
    assert len(images) >= len(spec.figures)
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?://", html)


@pytest.mark.slow
def test_results_list_declared_figures_and_key_numbers(default_run):
    spec, rec = default_run
    results = json.loads((rec.path / "results.json").read_text(encoding="utf-8"))
    assert [f["name"] for f in results["figures"]] == [f.name for f in spec.figures]
    for f in results["figures"]:
        assert (rec.path / f["png"]).is_file() and (rec.path / f["svg"]).is_file()
    assert {k.name for k in spec.key_numbers} <= set(results["key_numbers"])
    assert results["key_messages"]


@pytest.mark.slow
def test_a_normal_run_prints_no_warning(default_run):
    _, rec = default_run
    nb = json.loads((rec.path / "executed.ipynb").read_text(encoding="utf-8"))
    stderr = ["".join(o.get("text", "")) for c in nb["cells"] if c["cell_type"] == "code"
              for o in c["outputs"] if o.get("output_type") == "stream"
              and o.get("name") == "stderr"]
    assert stderr == []


def _refresh_script():
    import importlib.util as iu
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "refresh_notebooks.py"
    spec = iu.spec_from_file_location("refresh_notebooks", path)
    module = iu.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_stored_notebook_is_what_the_git_filter_writes(spec):
    """Only the checked cells keep outputs, no images; so run-and-save leaves git clean."""
    import copy

    import nbformat

    pytest.importorskip("nbstripout")
    nb = nbformat.read(spec.notebook, as_version=4)
    assert _refresh_script().stored_form(copy.deepcopy(nb)) == nb
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        checked = cell.source.lstrip().startswith("# NBVAL_CHECK_OUTPUT")
        assert bool(cell.outputs) == checked, cell.source[:80]
        assert not any(k.startswith("image/") for o in cell.outputs for k in o.get("data", {}))


CHART_FUNCTIONS = [
    pytest.param(spec.name, name, id=f"{spec.name}.{name}")
    for spec in SPECS
    for name in importlib.import_module(f"btm.analyses.{spec.name}.charts").__all__
]


@pytest.mark.parametrize(("analysis", "name"), CHART_FUNCTIONS)
def test_every_chart_follows_the_house_conventions(analysis, name):
    """Every chart of every analysis: ``title`` (``titles`` for small multiples) and
    ``footnote`` keywords, an Example in its docstring (run as a doctest), and its own test in its
    analysis's test module. (``ax`` is expected of single-panel charts; not checked here.)"""
    import inspect
    from pathlib import Path

    func = getattr(importlib.import_module(f"btm.analyses.{analysis}.charts"), name)
    if not inspect.isfunction(func) or not name[0].islower():
        return  # a constant or helper class exported beside the charts
    params = inspect.signature(func).parameters
    returns = inspect.signature(func).return_annotation
    if "Figure" not in str(returns):
        return  # a helper (e.g. label formatting), not a chart
    assert "footnote" in params and ({"title", "titles"} & set(params)), f"{analysis}.{name}"
    assert ">>> " in (func.__doc__ or ""), f"{analysis}.{name} has no Example"
    tests = Path(__file__).with_name(f"test_{analysis}_analysis.py")
    assert tests.is_file() and name in tests.read_text(encoding="utf-8"), (
        f"{analysis}.{name} has no test in {tests.name}")
