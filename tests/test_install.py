"""btm installed from its wheel works from any folder: list, init, run, board pack.

The wheel is built from this checkout and installed with ``pip install`` into a new virtual
environment outside the repository. Its dependencies are borrowed from the test environment (a ``.pth`` file naming
that environment's site-packages, which is not a site dir, so the checkout's editable install
there is not activated, and JUPYTER_PATH naming its data files): btm itself, its notebooks, data and templates come from the wheel
only. Every command then runs in an empty folder, so nothing can come from the source tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    pytest.importorskip("statsforecast")  # the default board pack runs every analysis
    base = tmp_path_factory.mktemp("install")
    dist = base / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "-w", str(dist), str(ROOT)],
                   check=True, cwd=base, env={**os.environ, "PIP_NO_INPUT": "1"})
    (wheel,) = dist.glob("btm-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    str(wheel)], check=True, cwd=base)
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "btm-test-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    work = base / "empty"
    work.mkdir()
    return wheel, venv, work


def _btm(venv: Path, work: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BTM_NOTEBOOKS")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    # the borrowed dependencies' data files (nbconvert's templates, the kernelspec) live under
    # the test environment's prefix, where a real install would put them under the venv's
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    return subprocess.run([str(venv / "bin" / "btm"), *args], cwd=work, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_wheel_ships_notebooks_data_and_templates(installed):
    wheel, _, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    from btm import analyses

    for spec in analyses.specs():
        assert f"btm/notebooks/{spec.name}.ipynb" in names
        assert f"btm/data/{spec.data}/README.md" in names
    assert "btm/templates/btm_report/index.html.j2" in names


def test_installed_btm_comes_from_the_wheel(installed):
    _, venv, work = installed
    out = subprocess.run([str(venv / "bin" / "python"), "-c", "import btm; print(btm.__file__)"],
                         cwd=work, capture_output=True, text=True, check=True).stdout
    assert str(venv) in out and str(ROOT) not in out


def test_list_init_run_and_boardpack_from_an_empty_folder(installed):
    from btm import analyses

    _, venv, work = installed
    listed = _btm(venv, work, "list")
    assert listed.returncode == 0, listed.stderr
    for spec in analyses.specs():
        assert f"{spec.name}: {spec.title}" in listed.stdout
    assert "discount_rate: float = 0.08" in listed.stdout

    init = _btm(venv, work, "init", "analyses")
    assert init.returncode == 0, init.stderr
    for spec in analyses.specs():
        assert (work / "analyses" / "notebooks" / f"{spec.name}.ipynb").is_file()
    costs = work / "analyses" / "data" / "tco" / "costs.csv"
    costs.write_text(costs.read_text() + "\n")  # the analyst's edit is never overwritten
    before = costs.read_bytes()
    assert _btm(venv, work, "init", "analyses").returncode == 0
    assert costs.read_bytes() == before

    run = _btm(venv, work, "run", "tco_comparison", "--no-progress")
    assert run.returncode == 0, run.stderr
    (folder,) = (work / "reports" / "tco_comparison").iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "succeeded"
    assert str(venv) in manifest["inputs"]["costs_file"]["path"]  # the wheel's sample data
    assert (folder / "report.html").read_text().count("<img") >= 4

    # inside the working folder, btm runs the analyst's copy on the analyst's data
    inside = _btm(venv, work / "analyses" / "notebooks", "run", "tco_comparison",
                  "--no-progress", "-p", "n_simulations", "500")
    assert inside.returncode == 0, inside.stderr
    assert "working folder" in inside.stderr
    (own,) = (work / "analyses" / "notebooks" / "reports" / "tco_comparison").iterdir()
    own_manifest = json.loads((own / "manifest.json").read_text())
    assert own_manifest["inputs"]["costs_file"]["path"] == str(costs.resolve())
    assert own_manifest["notebook"] == str(
        (work / "analyses" / "notebooks" / "tco_comparison.ipynb").resolve())

    pack = _btm(venv, work, "boardpack")
    assert pack.returncode == 0, pack.stderr
    pdf = Path(pack.stdout.strip().splitlines()[-1])
    assert pdf.is_file() and pdf.read_bytes()[:4] == b"%PDF"
    assert pdf.is_relative_to(work / "reports")
