"""A sweep under real signals: a worker killed with SIGKILL mid-run, and Ctrl-C (SIGINT to the
sweep's process group, as a terminal sends it).

Each test writes a small notebook (``sleepy``) that can kill the worker process running it or
sleep, runs a real sweep on a spawn process pool, and checks what is left on disk: no folder
that looks complete unless its run finished, and the next ``btm runs`` lists nothing as still
running.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fixture_notebooks import write_notebook

posix_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="POSIX signals; the fixture reads /proc")

_CODE = '''\
import os, signal, time
from btm.report import RunOutput

if kill_worker:  # the sweep worker that started this kernel (directly, or via its template)
    worker = os.getppid()
    with open(f"/proc/{worker}/cmdline", "rb") as f:
        if b"btm.kernels" in f.read():
            with open(f"/proc/{worker}/stat") as g:
                worker = int(g.read().rsplit(")", 1)[1].split()[1])
    os.kill(worker, signal.SIGKILL)
    time.sleep(30)
time.sleep(sleep_s)
RunOutput(output_dir).results(
    title="Sleepy", key_numbers={"slept": {"value": sleep_s, "unit": "s", "label": "Slept"}},
    key_messages=["Slept."])
'''


def _sleepy(folder: Path) -> Path:
    return write_notebook(
        folder, "sleepy", intro="A fixture for signal tests.", code=_CODE,
        parameters='kill_worker: bool = False  # kill the worker process running this notebook\n'
                   'sleep_s: float = 0.0  # seconds to sleep\n'
                   'output_dir: str = ""  # run folder, set by btm run')


def _btm(*args: str, **kw) -> subprocess.Popen:
    code = "import sys; from btm.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def _statuses(reports: Path) -> dict[str, str]:
    """Status of every published run folder (hidden .partial ones excluded)."""
    out = {}
    for manifest in (reports / "sleepy").glob("*/manifest.json"):
        out[manifest.parent.name] = json.loads(manifest.read_text())["status"]
    return out


@pytest.mark.slow
@posix_only
def test_killed_worker_fails_its_run_and_the_others_complete(tmp_path):
    """SIGKILL of the worker mid-run breaks the process pool: the killed run is retried once
    and then reported failed ("worker process died"); the runs that shared the broken pool
    are re-run and succeed; the sweep exits 1 and says which run failed."""
    notebooks = _sleepy(tmp_path / "nb")
    reports = tmp_path / "reports"
    sweep_file = tmp_path / "sweep.yaml"
    sweep_file.write_text(
        "name: kill\nruns:\n"
        "  - analysis: sleepy\n"
        "    sets:\n"
        "      - {scenario: calm, sleep_s: 0.5}\n"
        "      - {scenario: killer, kill_worker: true}\n"
        "      - {scenario: calm2, sleep_s: 0.5}\n")
    proc = _btm("sweep", str(sweep_file), "--workers", "2", "--no-progress",
                "--reports-dir", str(reports), "--notebooks", str(notebooks))
    out, err = proc.communicate(timeout=240)
    assert proc.returncode == 1, (out, err)
    summary = json.loads((reports / "sweeps" / "kill" / "manifest.json").read_text())
    assert summary["status"] == "complete"
    import pandas as pd

    table = pd.read_csv(reports / "sweeps" / "kill" / "summary.csv")
    by_scenario = dict(zip(table["scenario"], table["status"], strict=True))
    assert by_scenario == {"calm": "succeeded", "killer": "failed", "calm2": "succeeded"}
    killer = table.set_index("scenario").loc["killer"]
    assert "worker process died" in killer["error"]
    assert "killer" in err and "failed" in err
    # every folder the killed worker left was marked; none looks complete
    statuses = _statuses(reports)
    assert list(statuses.values()).count("succeeded") == 2, statuses
    assert not list((reports / "sleepy").glob(".*.partial"))
    assert set(statuses.values()) <= {"succeeded", "interrupted", "failed"}


def _wait_for(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
@posix_only
def test_ctrl_c_leaves_no_folder_that_looks_complete(tmp_path):
    """SIGINT to the sweep's process group mid-run (what Ctrl-C in a terminal does): the sweep
    stops, exits 130, marks its sweep manifest interrupted, and every run folder it started
    is either marked interrupted or still hidden and then marked by the next ``btm runs``; no
    run is listed as succeeded or running. The queued runs never start (one of them was
    already handed to a worker, which used to start it after the Ctrl-C), and the summary
    says what the folders say: two interrupted, three not run."""
    notebooks = _sleepy(tmp_path / "nb")
    reports = tmp_path / "reports"
    proc = _btm("sweep", "sleepy", "-g", "sleep_s", "60,61,62,63,64", "--workers", "2",
                "--no-progress", "--reports-dir", str(reports), "--notebooks", str(notebooks),
                start_new_session=True)
    try:
        started = _wait_for(
            lambda: len(list((reports / "sleepy").glob(".*.partial"))) >= 2, 120)
        assert started, proc.stderr.read() if proc.poll() is not None else "no run started"
        time.sleep(8)  # the kernels have started and are inside the sleeping cell
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, (out, err)
    assert err.strip() == "btm: interrupted", err  # no worker's traceback or asyncio report
    sweeps = list((reports / "sweeps").iterdir())
    assert len(sweeps) == 1
    manifest = json.loads((sweeps[0] / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    import pandas as pd

    table = pd.read_csv(sweeps[0] / "summary.csv")
    assert table["status"].tolist() == ["interrupted"] * 2 + ["not run"] * 3, table
    on_disk = _statuses(reports)
    assert dict(zip(table["run_id"][:2], table["status"][:2], strict=True)) == on_disk
    # the next btm command marks whatever is left; nothing reads as a result or as running
    listing = _btm("runs", "--reports-dir", str(reports))
    out, err = listing.communicate(timeout=60)
    assert listing.returncode == 0, err
    statuses = _statuses(reports)
    assert len(statuses) == 2 and set(statuses.values()) == {"interrupted"}, (statuses, out)
    assert "running" not in out and "succeeded" not in out
    assert not list((reports / "sleepy").glob(".*.partial"))


def test_a_kernel_that_outlived_its_run_cannot_recreate_the_run_folder(tmp_path):
    """After a killed run's hidden folder has been marked and renamed, a kernel still running
    its notebook must not make a fresh ``.<id>.partial`` folder that looks like a new run;
    an analyst's own output folder is still created on demand."""
    import pandas as pd

    from btm import InputError
    from btm.report import RunOutput

    gone = RunOutput(tmp_path / "tco" / ".run-1.partial")
    with pytest.raises(InputError, match="is gone"):
        gone.table(pd.DataFrame({"a": [1]}), "t")
    with pytest.raises(InputError, match="is gone"):
        gone.results(title="x", key_numbers={}, key_messages=[])
    assert not (tmp_path / "tco").exists()
    mine = RunOutput(tmp_path / "my-output")
    assert mine.table(pd.DataFrame({"a": [1]}), "t") == tmp_path / "my-output" / "tables" / "t.csv"
