"""Tests of the ``btm`` command (btm.cli): parsing, exit codes, messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from btm.cli import main

HERE = Path(__file__).parent
NOTEBOOKS = str(HERE / "notebooks")
BTM = Path(sys.executable).parent / "btm"


@pytest.fixture
def no_kernel(monkeypatch):
    import papermill

    def refuse(*args, **kwargs):
        raise AssertionError("papermill.execute_notebook was called")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)


def test_list_shows_analyses_titles_and_typed_parameters(capsys):
    assert main(["list", "--notebooks", NOTEBOOKS]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "tiny: Tiny analysis  [board pack]"
    assert out[1].split() == ["horizon_years:", "int", "=", "5", "years", "after", "year", "0"]
    assert out[2].split()[:4] == ["discount_rate:", "float", "=", "0.08"]
    assert any(line.startswith("failing: Failing analysis") for line in out)
    assert not any("output_dir" in line for line in out)


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "usage: btm" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "horizon_years", "5.5"],
         "btm: error: horizon_years: got '5.5'; expected a whole number (int)"),
        (["-p", "discount_rat", "0.1"],
         "btm: error: discount_rat: not a parameter of analysis 'tiny'; expected one of "
         "horizon_years (int), discount_rate (float), label (str), input_file (str)"),
        (["-p", "input_file", "missing.csv"], "btm: error: input_file: file 'missing.csv' not found"),
        (["-f", "no_such_params.yaml"], "btm: error: parameters file: file 'no_such_params.yaml'"),
    ],
)
def test_run_bad_parameters_one_line_error_exit_2(no_kernel, capsys, tmp_path, args, message):
    code = main(["run", "tiny", "--notebooks", NOTEBOOKS, "--reports-dir", str(tmp_path), *args])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(message)
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_run_unknown_analysis_exit_2(capsys):
    assert main(["run", "tco", "--notebooks", NOTEBOOKS]) == 2
    assert capsys.readouterr().err.startswith("btm: error: analysis: got 'tco'")


def test_run_with_parameters_file_and_override(capsys, tmp_path, monkeypatch):
    """Parameter handling only, so execution is faked (it copies the notebook)."""
    import shutil

    import papermill

    monkeypatch.setattr(papermill, "execute_notebook",
                        lambda src, dst, **kwargs: shutil.copy(src, dst))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "params.yaml").write_text("discount_rate: 0.1\nhorizon_years: 2\nlabel: file\n")
    code = main(["run", "tiny", "--notebooks", NOTEBOOKS, "--reports-dir", "reports",
                 "-f", "params.yaml", "-p", "label", "cli", "--no-progress"])
    out, err = capsys.readouterr()
    assert code == 0, err
    folder = Path(out.strip().splitlines()[-1])
    assert folder.parent == tmp_path / "reports" / "tiny"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["parameters"]["discount_rate"] == 0.1
    assert manifest["parameters"]["horizon_years"] == 2
    assert manifest["parameters"]["label"] == "cli"  # -p wins over -f


@pytest.mark.parametrize(("tty", "flag", "shown"), [
    (True, [], True), (True, ["--no-progress"], False), (False, [], False)])
def test_progress_bar_only_on_a_terminal(tmp_path, monkeypatch, tty, flag, shown):
    """papermill's bar is for a person at a terminal; a log or CI output does not get it."""
    import shutil

    import papermill

    seen = {}

    def fake(src, dst, **kwargs):
        seen["progress_bar"] = kwargs.get("progress_bar")
        shutil.copy(src, dst)

    monkeypatch.setattr(papermill, "execute_notebook", fake)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: tty)
    monkeypatch.chdir(tmp_path)
    assert main(["run", "tiny", "--notebooks", NOTEBOOKS, "--reports-dir", "reports",
                 *flag]) == 0
    assert seen["progress_bar"] is shown


def test_run_failing_notebook_exits_1_and_says_where(capsys, tmp_path):
    code = main(["run", "failing", "--notebooks", NOTEBOOKS, "--reports-dir", str(tmp_path),
                 "--run-id", "broken", "--no-progress"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "btm: run broken failed: ZeroDivisionError: division by zero (in cell [3])" in err
    assert str(tmp_path / "failing" / "broken" / "executed.ipynb") in err
    assert out.strip() == str(tmp_path / "failing" / "broken")


def test_sweep_bad_grid_exit_2(no_kernel, capsys, tmp_path):
    code = main(["sweep", "tiny", "--notebooks", NOTEBOOKS, "--reports-dir", str(tmp_path),
                 "-g", "horizon_years", "3,four"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == (
        "btm: error: parameter set 2: horizon_years: got 'four'; expected a whole number (int)"
    )
    assert main(["sweep", "tiny", "--notebooks", NOTEBOOKS]) == 2
    assert "no values to sweep over" in capsys.readouterr().err


def test_entry_point_subprocess_list_and_bad_value():
    """The installed ``btm`` script: fast list, exit 2 with a one-line message, no traceback."""
    env = {**os.environ, "BTM_NOTEBOOKS": NOTEBOOKS}
    listed = subprocess.run([str(BTM), "list"], capture_output=True, text=True, env=env,
                            timeout=60, check=False)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("tiny: Tiny analysis")
    bad = subprocess.run([str(BTM), "run", "tiny", "-p", "discount_rate", "eight"],
                         capture_output=True, text=True, env=env, timeout=60, check=False)
    assert bad.returncode == 2
    assert bad.stderr == "btm: error: discount_rate: got 'eight'; expected a number (float)\n"


def test_reader_that_left_the_pipe_is_no_error():
    """``btm list | head``: the reader closes the pipe early; btm stops without a message."""
    env = {**os.environ, "BTM_NOTEBOOKS": NOTEBOOKS}
    r, w = os.pipe()
    os.close(r)  # no reader at all: the first write fails with EPIPE
    try:
        done = subprocess.run([str(BTM), "list"], stdout=w, stderr=subprocess.PIPE, text=True,
                              env=env, timeout=60, check=False)
    finally:
        os.close(w)
    assert done.stderr == ""
    assert done.returncode == 1


def test_cli_module_does_not_import_papermill_at_import_time():
    code = ("import sys, btm.cli; "
            "print(any(m.split('.')[0] in ('papermill', 'nbconvert', 'matplotlib') "
            "for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True)
    assert out.stdout.strip() == "False"


def test_init_makes_a_working_folder_whose_notebooks_run_inside_it(tmp_path, monkeypatch, capsys):
    """After ``btm init ws``, commands started in ws or below it use ws/notebooks (and so
    ws/data), and say so; outside it, the notebooks shipped with btm. A reviewer's case: an
    analyst edited ws/data/tco/costs.csv and ``btm run`` silently used the package's copy."""
    from btm import analyses

    monkeypatch.delenv("BTM_NOTEBOOKS", raising=False)
    monkeypatch.chdir(tmp_path)
    package = analyses.notebooks_dir()
    assert analyses.find_workspace() is None
    assert main(["init", "ws"]) == 0
    assert "started inside" in capsys.readouterr().err
    ws = (tmp_path / "ws").resolve()
    assert (ws / analyses.WORKSPACE_MARKER).is_file()
    assert analyses.notebooks_dir() == package  # the parent folder is no working folder
    for inside in (ws, ws / "notebooks", ws / "data" / "tco"):
        monkeypatch.chdir(inside)
        assert analyses.find_workspace() == ws
        assert analyses.notebooks_dir() == ws / "notebooks"
        assert analyses.get_analysis("tco_comparison").path == ws / "notebooks" / (
            "tco_comparison.ipynb")
    assert main(["list"]) == 0
    assert f"working folder {ws}" in capsys.readouterr().err
    # explicit choices still win, and are not announced
    assert analyses.notebooks_dir(NOTEBOOKS) == Path(NOTEBOOKS).resolve()
    monkeypatch.setenv("BTM_NOTEBOOKS", NOTEBOOKS)
    assert analyses.notebooks_dir() == Path(NOTEBOOKS).resolve()
    assert main(["list"]) == 0
    assert "working folder" not in capsys.readouterr().err
    # a second init keeps the marker (and every other file) as it is
    monkeypatch.chdir(tmp_path)
    marker = ws / analyses.WORKSPACE_MARKER
    marker.write_text("edited\n")
    assert main(["init", "ws"]) == 0
    assert marker.read_text() == "edited\n"


def test_demand_n_windows_of_one_is_refused_before_any_kernel(no_kernel, capsys, tmp_path):
    """btm.jit.plan needs two backtest windows; the spec said 'at least 1', so the run
    started and failed in its third cell (a reviewer's case)."""
    code = main(["run", "demand_forecast_jit", "--reports-dir", str(tmp_path),
                 "-p", "n_windows", "1"])
    err = capsys.readouterr().err
    assert code == 2 and "n_windows: got 1" in err and "at least 2" in err, err
    assert not (tmp_path / "demand_forecast_jit").exists()
