"""Tests of btm.sweep: grids, up-front validation, process pool and Dask execution."""

from __future__ import annotations

import itertools
import json
import math
import re
from pathlib import Path

import numpy_financial as npf
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from btm import InputError, sweep

HERE = Path(__file__).parent
NOTEBOOKS = HERE / "notebooks"
TINY_CSV = HERE / "data" / "tiny_costs.csv"


def _expected_pv(rate: float, horizon: int) -> float:
    costs = pd.read_csv(TINY_CSV)
    return min(
        npf.npv(rate, g[g["year"] <= horizon].sort_values("year")["amount"].astype(float))
        for _, g in costs.groupby("option")
    )


@given(st.dictionaries(st.sampled_from("abcd"), st.lists(st.integers(), min_size=1, max_size=3),
                       min_size=1))
def test_grid_is_itertools_product(values):
    got = sweep.grid(**values)
    expected = [dict(zip(values, combo, strict=True))
                for combo in itertools.product(*values.values())]
    assert got == expected
    assert len(got) == math.prod(len(v) for v in values.values())


def test_grid_empty_values_refused():
    with pytest.raises(InputError, match="^discount_rate: got no values"):
        sweep.grid(discount_rate=[])


def test_parameter_sets_from_file_grid_and_fixed(tmp_path):
    f = tmp_path / "grid.yaml"
    f.write_text("horizon_years: [3, 5]\nlabel: board\n")
    assert sweep.parameter_sets(file=f, grid={"discount_rate": "0.06,0.08"},
                                fixed={"label": "x"}) == [
        {"label": "board", "horizon_years": 3, "discount_rate": "0.06"},
        {"label": "board", "horizon_years": 3, "discount_rate": "0.08"},
        {"label": "board", "horizon_years": 5, "discount_rate": "0.06"},
        {"label": "board", "horizon_years": 5, "discount_rate": "0.08"},
    ]
    f.write_text("- {horizon_years: 3}\n- {horizon_years: 4, label: y}\n")
    assert sweep.parameter_sets(file=f) == [{"horizon_years": 3},
                                            {"horizon_years": 4, "label": "y"}]
    f.write_text("just text\n")
    with pytest.raises(InputError, match="expected a mapping of parameter name to list"):
        sweep.parameter_sets(file=f)


def test_every_parameter_set_validated_before_anything_starts(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr(sweep, "ProcessPoolExecutor", refuse)
    with pytest.raises(InputError, match=r"^parameter set 3: discount_rate: got 'x'"):
        sweep.sweep("tiny", [{"discount_rate": 0.1}, {}, {"discount_rate": "x"}],
                    reports_dir=tmp_path, notebooks=NOTEBOOKS)
    with pytest.raises(InputError, match="^parameter_sets: got none"):
        sweep.sweep("tiny", [], reports_dir=tmp_path, notebooks=NOTEBOOKS)
    with pytest.raises(InputError, match="^scheduler: got 'threads'"):
        sweep.sweep("tiny", [{}], reports_dir=tmp_path, scheduler="threads", notebooks=NOTEBOOKS)
    assert list(tmp_path.iterdir()) == []


class _InlineExecutor:
    """Stands in for ProcessPoolExecutor: runs each task at once, in this process."""

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def shutdown(self, wait=True, *, cancel_futures=False):
        pass

    def submit(self, fn, *args, **kwargs):
        from concurrent.futures import Future

        future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def test_sweep_table_has_converted_parameters_and_one_folder_per_set(tmp_path, monkeypatch):
    """The glue around the pool, with execution faked (the notebook is copied, a results.json
    written) so no kernel starts."""
    import json
    import shutil

    import papermill

    def fake_execute(src, dst, parameters=None, **kwargs):
        shutil.copy(src, dst)
        value = {"value": parameters["discount_rate"] * 100, "unit": "", "label": "r"}
        Path(parameters["output_dir"], "results.json").write_text(
            json.dumps({"key_numbers": {"rate_in_percent": value}}))

    monkeypatch.setattr(papermill, "execute_notebook", fake_execute)
    monkeypatch.setattr(sweep, "ProcessPoolExecutor", _InlineExecutor)
    table = sweep.sweep("tiny", sweep.parameter_sets(grid={"discount_rate": "0.05,0.07"},
                                                     fixed={"horizon_years": "4"}),
                        reports_dir=tmp_path, notebooks=NOTEBOOKS)
    assert table["status"].tolist() == ["succeeded", "succeeded"]
    assert table["discount_rate"].tolist() == [0.05, 0.07]
    assert table["horizon_years"].tolist() == [4, 4]
    assert table["rate_in_percent"].tolist() == pytest.approx([5.0, 7.0])
    assert sorted(p.name for p in (tmp_path / "tiny").iterdir()) == sorted(table["run_id"])


@pytest.mark.slow
def test_sweep_on_process_pool_and_dask_local_cluster(tmp_path):
    """Two parameter sets, on a spawn process pool and on a Dask LocalCluster (one in-process
    worker, light on CI's 2 cores, reached by its address as a remote cluster would be); key
    numbers checked against numpy-financial's npv."""
    from dask.distributed import LocalCluster

    sets = sweep.grid(discount_rate=[0.06, 0.1], horizon_years=[3])
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster:
        for scheduler in ("processes", "dask"):
            table = sweep.sweep("tiny", sets, reports_dir=tmp_path / scheduler, workers=2,
                                scheduler=scheduler, notebooks=NOTEBOOKS,
                                dask_address=cluster.scheduler_address if scheduler == "dask"
                                else None)
            assert table.columns[:6].tolist() == [
                "run_id", "status", "path", "error", "discount_rate", "horizon_years"]
            assert table["status"].tolist() == ["succeeded", "succeeded"], table["error"].tolist()
            assert table["run_id"].is_unique
            assert all(Path(p).parent == (tmp_path / scheduler / "tiny").resolve()
                       for p in table["path"])
            for row in table.itertuples():
                assert math.isclose(row.cheapest_present_value,
                                    _expected_pv(row.discount_rate, 3), rel_tol=1e-12)
                assert row.result_discount_rate == row.discount_rate  # key number as a param


def _sweep_file(tmp_path, body: str) -> Path:
    f = tmp_path / "sweep.yaml"
    f.write_text(body)
    return f


def test_sweep_file_expands_sets_grid_and_csv(tmp_path):
    """Blocks of several analyses: explicit sets (a 'scenario' key labels a run), a grid
    (every combination, first name slowest) and a CSV of one row per run."""
    (tmp_path / "units.csv").write_text("scenario,discount_rate,horizon_years\n"
                                        "EU,0.05,3\nUS,0.07,\n")
    f = _sweep_file(tmp_path, """
name: plan-a
runs:
  - analysis: tiny
    scenario: rates
    parameters: {label: fixed}
    grid: {discount_rate: [0.05, 0.06], horizon_years: [3, 4]}
  - analysis: failing
  - analysis: tiny
    sets: [{scenario: Base case, horizon_years: 2}]
  - analysis: tiny
    csv: units.csv
""")
    plan = sweep.load_sweep_file(f, notebooks=NOTEBOOKS)
    assert plan.name == "plan-a" and len(plan.runs) == 4 + 1 + 1 + 2
    assert [r.index for r in plan.runs] == list(range(1, 9))
    assert [r.parameters for r in plan.runs[:4]] == [
        {"label": "fixed", "discount_rate": d, "horizon_years": h}
        for d, h in itertools.product([0.05, 0.06], [3, 4])]
    assert plan.runs[0].scenario == "rates: discount_rate=0.05, horizon_years=3"
    assert (plan.runs[4].analysis, plan.runs[4].scenario, plan.runs[4].parameters) == (
        "failing", "failing", {})
    assert (plan.runs[5].scenario, plan.runs[5].parameters) == ("Base case", {"horizon_years": 2})
    assert [(r.scenario, r.parameters) for r in plan.runs[6:]] == [
        ("EU", {"discount_rate": 0.05, "horizon_years": 3}), ("US", {"discount_rate": 0.07})]
    assert len({r.key for r in plan.runs}) == 8


@pytest.mark.parametrize(("body", "message"), [
    ("runs: [{analysis: nope}]", r"sweep.yaml: runs\[1\]: analysis: got 'nope'"),
    ("runs: [{analysis: tiny, parameters: {horizon: 3}}]",
     r"runs\[1\]: horizon: not a parameter of analysis 'tiny'"),
    ("runs: [{analysis: tiny, grid: {horizon_years: [3, x]}}]",
     r"runs\[1\]: horizon_years: got 'x'; expected a whole number"),
    ("runs: [{analysis: tiny, grid: {horizon_years: []}}]",
     r"runs\[1\].grid.horizon_years: got no values"),
    ("runs: [{analysis: tiny, grid: {}}]", r"runs\[1\].grid: got \{\}"),
    ("runs: []", r"runs: got none"),
    ("runs: [{analysis: tiny, csv: missing.csv}]", r"runs\[1\].csv: cannot read"),
    ("runs: [{analysis: tiny, csv: bad.csv}]", r"bad.csv, row 2: discount_rate: got 'abc'"),
    ("runs: [{analysis: tiny, gird: {}}]", r"runs\[1\]: unknown key 'gird'"),
])
def test_bad_sweep_file_refused_in_one_line_before_anything_runs(tmp_path, body, message,
                                                                   capsys):
    from btm.cli import main

    (tmp_path / "bad.csv").write_text("discount_rate\n0.05\nabc\n")
    f = _sweep_file(tmp_path, body)
    reports = tmp_path / "reports"
    assert main(["sweep", str(f), "--notebooks", str(NOTEBOOKS), "--reports-dir",
                 str(reports)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("btm: error: "), err
    assert re.search(message, err), err
    assert not reports.exists()


def test_unreachable_dask_and_unwritable_output_refused_before_anything_runs(tmp_path, capsys):
    from btm.cli import main

    f = _sweep_file(tmp_path, "runs: [{analysis: tiny}]")
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    common = ["sweep", str(f), "--notebooks", str(NOTEBOOKS)]
    assert main([*common, "--reports-dir", str(blocker / "reports")]) == 2
    err = capsys.readouterr().err
    assert err == (f"btm: error: --reports-dir: got '{blocker / 'reports'}', which lies below "
                   f"the file {blocker}; expected a folder (it is created when missing)\n"), err
    assert main([*common, "--reports-dir", str(tmp_path / "r"), "--dask",
                 "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("btm: error: --dask: cannot reach a Dask scheduler at "
                          "tcp://127.0.0.1:9") and err.count("\n") == 1
    assert not (tmp_path / "r").exists()


def test_sweep_file_summary_failure_and_resume(tmp_path, monkeypatch, capsys):
    """Execution faked (no kernel): a failing run does not stop the others, the summary CSV is
    injection-safe and the HTML escapes every value and links each report; --resume re-runs
    only the failed run."""
    import shutil

    import papermill

    from btm.cli import main

    calls = []

    def fake_execute(src, dst, parameters=None, **kwargs):
        calls.append(parameters.get("discount_rate"))
        shutil.copy(src, dst)
        if parameters.get("discount_rate") == 0.09 and not (tmp_path / "fixed").exists():
            raise ValueError("boom")
        value = {"value": parameters.get("discount_rate", 0.08) * 100, "unit": "", "label": "r"}
        Path(parameters["output_dir"], "results.json").write_text(
            json.dumps({"key_numbers": {"rate_in_percent": value}}))
        Path(parameters["output_dir"], "report.html").write_text("<p>report</p>")

    monkeypatch.setattr(papermill, "execute_notebook", fake_execute)
    monkeypatch.setattr(sweep, "ProcessPoolExecutor", _InlineExecutor)
    f = _sweep_file(tmp_path, """
name: board
runs:
  - analysis: tiny
    sets:
      - {scenario: "<script>x</script>", discount_rate: 0.05}
      - {scenario: "=HYPERLINK(1)", discount_rate: 0.09}
      - {discount_rate: 0.07}
""")
    reports = tmp_path / "reports"
    args = ["sweep", str(f), "--notebooks", str(NOTEBOOKS), "--reports-dir", str(reports),
            "--no-progress"]
    assert main(args) == 1
    out, err = capsys.readouterr()
    folder = reports.resolve() / "sweeps" / "board"
    assert out.strip() == str(folder / "summary.html")
    assert "run 2 (=HYPERLINK(1)) failed: ValueError: boom" in err
    summary = pd.read_csv(folder / "summary.csv")
    assert summary["status"].tolist() == ["succeeded", "failed", "succeeded"]
    assert summary["scenario"].tolist()[:2] == ["<script>x</script>", "'=HYPERLINK(1)"]
    assert summary["rate_in_percent"].tolist()[::2] == pytest.approx([5.0, 7.0])
    page = (folder / "summary.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    links = re.findall(r'href="([^"]+)"', page)
    assert len(links) == 3 and all((folder / link).resolve().is_file() for link in links)
    assert calls == [0.05, 0.09, 0.07]

    (tmp_path / "fixed").write_text("")
    assert main([*args, "--resume"]) == 0
    assert calls[3:] == [0.09]  # only the failed run again
    assert "3 of 3 runs succeeded (2 kept from before)" in capsys.readouterr().err
    summary = pd.read_csv(folder / "summary.csv")
    assert summary["status"].tolist() == ["succeeded"] * 3
    assert summary["run_id"].tolist() == ["board-001", "board-002-2", "board-003"]
    assert main(args) == 0  # without --resume: a new sweep folder, everything again
    assert (reports / "sweeps" / "board-2").is_dir() and len(calls) == 7


def test_interrupted_run_is_marked_by_the_next_command(tmp_path, capsys):
    """A partial folder whose process is gone (killed worker, Ctrl-C) is marked interrupted
    and listed by btm runs; one whose process is alive is left alone."""
    import subprocess
    import sys

    from btm import runs
    from btm.cli import main

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    _, partial = runs.claim_folder(tmp_path / "tiny", "killed", exact=True)
    owner = json.loads((partial / ".owner.json").read_text())
    (partial / ".owner.json").write_text(json.dumps({**owner, "pid": int(dead)}))
    (partial / "executed.ipynb").write_text("{}")
    _, alive = runs.claim_folder(tmp_path / "tiny", "running", exact=True)
    assert main(["runs", "--reports-dir", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert "marked interrupted" in err
    assert "interrupted  tiny/killed" in out and "running      tiny/running" in out
    m = json.loads((tmp_path / "tiny" / "killed" / "manifest.json").read_text())
    assert m["status"] == "interrupted" and (tmp_path / "tiny" / "killed" / "executed.ipynb").is_file()
    assert alive.is_dir() and not (tmp_path / "tiny" / "running").exists()
    assert runs.latest_run("tiny", reports_dir=tmp_path) is None  # never read as a result


def test_sweep_and_parameters_files_name_inputs_relative_to_themselves(tmp_path, monkeypatch):
    """A reviewer's case: proj/scen.yaml saying ``costs_file: alt_costs.csv`` next to it,
    started from the parent folder, looked for ./alt_costs.csv (and then btm's package) while
    its ``csv:`` key was already relative to the file."""
    from btm import files, runs, sweep

    proj = tmp_path / "proj"
    proj.mkdir()
    sample = files.resolve_path("data/tco/costs.csv", parameter="costs_file")
    (proj / "alt_costs.csv").write_bytes(sample.read_bytes())
    (proj / "scen.yaml").write_text(
        "name: rel\nruns:\n  - analysis: tco_comparison\n"
        "    parameters: {costs_file: alt_costs.csv}\n"
        "    grid: {discount_rate: [0.05, 0.07]}\n")
    (proj / "params.yaml").write_text("costs_file: alt_costs.csv\ndiscount_rate: 0.05\n")
    monkeypatch.chdir(tmp_path)
    plan = sweep.load_sweep_file("proj/scen.yaml")
    assert {r.parameters["costs_file"] for r in plan.runs} == {
        str((proj / "alt_costs.csv").resolve())}
    params = runs.load_parameters_file("proj/params.yaml")
    assert params["costs_file"] == str((proj / "alt_costs.csv").resolve())
    assert params["discount_rate"] == 0.05
    # a path that is not next to the file is looked for as before (current folder, package)
    (proj / "params.yaml").write_text("costs_file: data/tco/costs.csv\n")
    assert runs.load_parameters_file("proj/params.yaml")["costs_file"] == "data/tco/costs.csv"


def test_grid_sweep_can_resume_and_labels_what_varies(tmp_path, monkeypatch, capsys):
    """``btm sweep NAME -g ...`` used a timestamped name, so --resume started a new sweep and
    re-ran everything; and with a fixed -p, every run of a grid over input files was labelled
    by the fixed value ('n_simulations=500' twice). Now the same sets give the same sweep id,
    --name chooses one, and a run is labelled by what varies (files by name)."""
    import shutil

    import papermill

    from btm.cli import main

    calls = []

    def fake_execute(src, dst, parameters=None, **kwargs):
        calls.append(Path(parameters["input_file"]).name)
        shutil.copy(src, dst)
        if parameters["input_file"].endswith("bad.csv") and not (tmp_path / "fixed").exists():
            raise ValueError("boom")
        Path(parameters["output_dir"], "results.json").write_text(json.dumps({"key_numbers": {}}))

    monkeypatch.setattr(papermill, "execute_notebook", fake_execute)
    monkeypatch.setattr(sweep, "ProcessPoolExecutor", _InlineExecutor)
    sample = (NOTEBOOKS.parent / "data" / "tiny_costs.csv").read_text()
    for name in ("good.csv", "bad.csv"):
        (tmp_path / name).write_text(sample)
    monkeypatch.chdir(tmp_path)
    reports = tmp_path / "reports"
    args = ["sweep", "tiny", "-g", "input_file", "good.csv,bad.csv", "-p", "horizon_years", "3",
            "--notebooks", str(NOTEBOOKS), "--reports-dir", str(reports), "--no-progress"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "run 2 (input_file=bad.csv) failed" in err, err
    (first,) = (reports / "sweeps").iterdir()
    assert first.name.startswith("tiny-")
    (tmp_path / "fixed").write_text("")
    assert main([*args, "--resume"]) == 0
    assert "(1 kept from before)" in capsys.readouterr().err
    assert calls == ["good.csv", "bad.csv", "bad.csv"]  # only the failed run again
    assert [p.name for p in (reports / "sweeps").iterdir()] == [first.name]
    assert main([*args, "--name", "fy26-files"]) == 0
    assert (reports / "sweeps" / "fy26-files").is_dir()
    assert main([*args, "--name", "../x"]) == 2
    assert "name: got '../x'" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "body", "message"), [
    (["outsourcing_matrix", "-g", "scale_max", "5,1", "-g", "scale_min", "2"], None,
     r"^btm: error: parameter set 2: scale_max: got 1, not above scale_min 2; "
     r"expected scale_min < scale_max$"),
    (None, "runs:\n  - analysis: outsourcing_matrix\n"
           "    sets: [{scale_min: 1, scale_max: 5}, {scale_min: 5, scale_max: 1}]\n",
     r"^btm: error: sweep.yaml: runs\[1\]: scale_max: got 1, not above scale_min 5; "
     r"expected scale_min < scale_max$"),
    (None, "runs:\n  - analysis: tco_comparison\n  - analysis: btm_competencies\n"
           "    grid: {threshold: [3, 7]}\n",
     r"^btm: error: sweep.yaml: runs\[2\]: threshold: got 7, above scale_max 5; "
     r"expected threshold <= scale_max$"),
])
def test_sweep_checks_rules_between_parameters_of_every_set_before_anything_runs(
        tmp_path, monkeypatch, capsys, argv, body, message):
    """Before, a set with scale_min above scale_max passed and failed in its kernel."""
    from btm.cli import main

    def refuse(*args, **kwargs):
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr(sweep, "ProcessPoolExecutor", refuse)
    monkeypatch.chdir(tmp_path)
    reports = tmp_path / "reports"
    argv = argv if body is None else [str(_sweep_file(tmp_path, body))]
    assert main(["sweep", *argv, "--reports-dir", str(reports)]) == 2
    err = capsys.readouterr().err.strip()
    assert re.search(message, err), err
    assert not reports.exists()
