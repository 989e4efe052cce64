"""Kernels forked from a warm template (btm.kernels): same results as a normal kernel, one
process per run with nothing shared between runs, and a normal launch whenever forking does
not apply."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from fixture_notebooks import write_notebook

from btm import kernels, runs

HERE = Path(__file__).parent
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork, /proc")

_PROBE = '''\
import json
import os
import numpy as np
import btm
from btm import charts
from btm.report import RunOutput

leaked = getattr(btm, "_probe_leak", 0)   # set by an earlier run, if runs shared a process
btm._probe_leak = 1
with open(f"/proc/{os.getppid()}/cmdline", "rb") as f:
    forked = b"btm.kernels" in f.read()
fig, ax = charts.figure()
ax.plot([0, 1], [0, 1])
ax.set_title("Probe")
out = RunOutput(output_dir)
out.figure(fig, "probe", title="Probe")
out.results(title="Probe", key_numbers={
    "pid": {"value": os.getpid(), "unit": "", "label": "kernel pid"},
    "forked": {"value": int(forked), "unit": "", "label": "forked from the template"},
    "leaked": {"value": leaked, "unit": "", "label": "state from an earlier run"},
    "draw": {"value": float(np.random.random()), "unit": "", "label": "unseeded draw"},
}, key_messages=["Probed."])
with open(os.path.join(output_dir, "probe.json"), "w") as f:
    json.dump({"cwd": os.getcwd(), "env": os.environ.get("BTM_PROBE", "")}, f)
fig
'''


def _probe_notebooks(folder: Path) -> Path:
    return write_notebook(folder, "probe", code=_PROBE,
                          parameters='output_dir: str = ""  # run folder, set by btm run')


def _key(rec: runs.RunRecord) -> dict:
    data = json.loads((rec.path / "results.json").read_text())
    probe = rec.path / "probe.json"
    extra = json.loads(probe.read_text()) if probe.exists() else {}
    return {**{k: v["value"] for k, v in data["key_numbers"].items()}, **extra}


@pytest.fixture
def template():
    assert kernels.enable(), "forked kernels should be available on Linux"
    yield
    kernels.disable()


@linux_only
@pytest.mark.slow
def test_forked_kernels_run_isolated_and_show_their_figures(tmp_path, template, monkeypatch):
    notebooks = _probe_notebooks(tmp_path / "nb")
    monkeypatch.setenv("BTM_PROBE", "as the worker has it now")
    recs = [runs.run("probe", {}, reports_dir=tmp_path / "r", notebooks=notebooks,
                     progress=False) for _ in range(2)]
    assert [r.status for r in recs] == ["succeeded"] * 2, [r.error for r in recs]
    first, second = (_key(r) for r in recs)
    assert first["forked"] == second["forked"] == 1
    assert first["pid"] != second["pid"]  # a process of its own for each run
    assert first["leaked"] == second["leaked"] == 0  # nothing carried over
    assert first["draw"] != second["draw"]  # reseeded like a fresh interpreter
    assert Path(first["cwd"]).resolve() == notebooks.resolve()  # papermill's cwd
    assert first["env"] == "as the worker has it now"
    for rec in recs:  # the figure shows in the executed notebook and in report.html
        nb = nbformat.read(rec.path / "executed.ipynb", as_version=4)
        pngs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                if "image/png" in o.get("data", {})]
        assert len(pngs) == 1
        assert "<img" in (rec.path / "report.html").read_text(encoding="utf-8")


@linux_only
@pytest.mark.slow
def test_same_key_numbers_as_a_normal_kernel(tmp_path, monkeypatch):
    """The tiny fixture notebook gives identical results.json key numbers either way."""
    monkeypatch.setenv("BTM_FORK_KERNELS", "0")
    assert not kernels.enable()
    normal = runs.run("tiny", {"discount_rate": 0.07}, reports_dir=tmp_path / "a",
                      notebooks=HERE / "notebooks", progress=False)
    monkeypatch.delenv("BTM_FORK_KERNELS")
    assert kernels.enable()
    try:
        forked = runs.run("tiny", {"discount_rate": 0.07}, reports_dir=tmp_path / "b",
                          notebooks=HERE / "notebooks", progress=False)
    finally:
        kernels.disable()
    assert normal.status == forked.status == "succeeded"
    assert _key(normal) == _key(forked)


def test_only_this_interpreters_ipykernel_is_forked(template):
    assert kernels.fork_kernel(["/bin/sh", "-m", "ipykernel_launcher", "-f", "x.json"],
                               cwd=None, env=None, stderr=None) is None
    assert kernels.fork_kernel([sys.executable, "-m", "other_kernel", "-f", "x.json"],
                               cwd=None, env=None, stderr=None) is None


def test_without_a_template_nothing_is_forked():
    kernels.disable()
    assert kernels.fork_kernel([sys.executable, "-m", "ipykernel_launcher", "-f", "x.json"],
                               cwd=None, env=None, stderr=None) is None
    assert kernels.preload(["numpy"]) == []


def test_notebook_imports_lists_module_and_btm_submodule_imports(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import numpy as np\nfrom btm import charts, tco\n"
                                          "%matplotlib inline"),
                nbformat.v4.new_code_cell("from pandas import DataFrame\nx = 1")]
    nbformat.write(nb, tmp_path / "n.ipynb")
    assert kernels.notebook_imports(str(tmp_path / "n.ipynb")) == (
        "numpy", "btm", "btm.charts", "btm.tco", "pandas")


def test_saved_figure_is_shown_from_its_file_until_it_changes(tmp_path):
    """Jupyter's PNG of a figure just saved is the saved file (no second rendering), sized as
    a 100-dpi rendering; once an artist changes, the figure is rendered again."""
    from btm import style

    fig, ax = style.figure()
    ax.plot([0, 1], [1, 0])
    ax.set_title("Before")
    (png,) = style.save_figure(fig, tmp_path, "f", formats=("png",), dpi=200)
    shown, meta = fig._repr_png_()
    assert shown == png.read_bytes()
    from PIL import Image

    width, height = Image.open(png).size
    assert meta == {"width": round(width / 2), "height": round(height / 2), "alt": "Before"}
    ax.set_title("After")
    fresh, meta = fig._repr_png_()
    assert fresh[:4] == b"\x89PNG" and fresh != shown and meta == {"alt": "After"}
    ax.set_title("")
    assert isinstance(fig._repr_png_(), bytes)  # untitled: no alternative text to give


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pidfd and /proc: Linux")
def test_forked_kernel_handle_follows_its_own_process_not_its_pid():
    """The handle sees its process exit and signals only it: after exit, a pid reused by
    another process does not read as the kernel (the start-time check where no pidfd)."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        handle = kernels.ForkedKernel(proc.pid)
        assert handle.poll() is None
        handle.terminate()
        proc.wait(10)  # reap it, as the template would
        assert handle.wait(5) == 0 and handle.poll() == 0
        handle.kill()  # a no-op once gone: never a signal to whatever has that pid now

        other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        try:
            stale = kernels.ForkedKernel(other.pid)
            stale._close()
            assert stale.poll() is None  # same process: start time matches
            stale._started = "0"  # as if the pid now belonged to a newer process
            assert stale.poll() == 0
        finally:
            other.kill()
            other.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
