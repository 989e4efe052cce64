"""Tests of btm.analyses, btm.report and btm.runs against the fixture notebooks.

The fixture notebooks live in ``tests/notebooks/``: ``tiny.ipynb`` (typed parameters, reads
``tests/data/tiny_costs.csv``, writes two figures, a table and results.json) and
``failing.ipynb`` (raises ZeroDivisionError in its third cell).
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path

import numpy_financial as npf
import pandas as pd
import pytest

from btm import InputError, RunError, analyses, runs
from btm.report import RunOutput

HERE = Path(__file__).parent
NOTEBOOKS = HERE / "notebooks"
TINY_CSV = HERE / "data" / "tiny_costs.csv"
RUN_FILES = {"executed.ipynb", "report.html", "manifest.json", "results.json", "figures", "tables"}


def _cash_flows(option: str, horizon: int) -> list[float]:
    costs = pd.read_csv(TINY_CSV)
    rows = costs[(costs["option"] == option) & (costs["year"] <= horizon)].sort_values("year")
    return rows["amount"].astype(float).tolist()


def _strict_json(path: Path) -> dict:
    def refuse(token: str) -> None:
        raise ValueError(f"non-standard JSON constant {token} in {path}")

    return json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)


@pytest.fixture
def no_kernel(monkeypatch):
    """Fail the test if anything tries to execute a notebook."""
    import papermill

    def refuse(*args, **kwargs):
        raise AssertionError("papermill.execute_notebook was called")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    reports = tmp_path_factory.mktemp("reports")
    rec = runs.run(
        "tiny", {"discount_rate": "0.06", "horizon_years": "3", "label": "test"},
        reports_dir=reports, notebooks=NOTEBOOKS, progress=False,
    )
    return reports, rec


@pytest.fixture(scope="module")
def failing_run(tmp_path_factory):
    reports = tmp_path_factory.mktemp("reports")
    return runs.run("failing", reports_dir=reports, notebooks=NOTEBOOKS, progress=False)


# --------------------------------------------------------------------------- analyses


def test_list_analyses_reads_titles_and_boardpack_metadata():
    found = analyses.list_analyses(NOTEBOOKS)
    assert [(a.name, a.title, a.boardpack, a.order) for a in found] == [
        ("tiny", "Tiny analysis", True, 1),
        ("failing", "Failing analysis", False, 2),
    ]


def test_notebooks_dir_env_variable_and_argument(monkeypatch, tmp_path):
    monkeypatch.setenv("BTM_NOTEBOOKS", str(NOTEBOOKS))
    assert analyses.notebooks_dir() == NOTEBOOKS.resolve()
    assert analyses.notebooks_dir(tmp_path) == tmp_path.resolve()
    monkeypatch.delenv("BTM_NOTEBOOKS")
    assert analyses.notebooks_dir() == Path(analyses.__file__).resolve().parents[1] / "notebooks"


def test_unknown_analysis_lists_the_available_ones():
    with pytest.raises(InputError, match=r"^analysis: got 'tco'.*expected one of tiny, failing"):
        analyses.get_analysis("tco", NOTEBOOKS)


def test_parameters_agree_with_papermill_inspect_notebook():
    """Our ast parser must read the parameters cell as papermill.inspect_notebook does."""
    import papermill

    theirs = papermill.inspect_notebook(str(NOTEBOOKS / "tiny.ipynb"))
    ours = analyses.parameters("tiny", NOTEBOOKS)
    assert [p.name for p in ours] == list(theirs)
    for p in ours:
        assert p.type == theirs[p.name]["inferred_type_name"]
        assert p.default_source == theirs[p.name]["default"]
        assert p.help == theirs[p.name]["help"]
    assert {p.name: p.default for p in ours} == {
        "horizon_years": 5, "discount_rate": 0.08, "label": "x",
        "input_file": "../data/tiny_costs.csv", "output_dir": "",
    }


def test_parse_parameters_handles_unions_lists_and_multiline_defaults():
    src = (
        "import math\n"
        "skus: list[str] = [\n    'a',  # first\n    'b',\n]  # the SKUs\n"
        "cap: float | None = None  # optional cap\n"
        "# the seed of the simulation\n"
        "seed = 3\n"
        "start = math.pi  # not a literal\n"
    )
    got = {p.name: (p.type, p.default, p.help) for p in analyses.parse_parameters(src)}
    assert got == {
        "skus": ("list[str]", ["a", "b"], "the SKUs"),
        "cap": ("float | None", None, "optional cap"),
        "seed": ("int", 3, "the seed of the simulation"),
        "start": ("", None, "not a literal"),
    }
    with pytest.raises(InputError, match="not valid Python"):
        analyses.parse_parameters("x: int = (")


# --------------------------------------------------------------------------- coercion


@pytest.mark.parametrize(
    ("value", "type_name", "expected"),
    [
        ("0.06", "float", 0.06),
        (5, "float", 5.0),
        ("5", "int", 5),
        (7.0, "int", 7),
        ("-3", "int", -3),
        ("yes", "bool", True),
        ("False", "bool", False),
        (True, "bool", True),
        ("hello", "str", "hello"),
        (2024, "str", "2024"),
        ("[1, 2]", "list[float]", [1.0, 2.0]),
        ("a, b", "list[str]", ["a", "b"]),
        ("{a: 1}", "dict[str, float]", {"a": 1.0}),
        ("none", "float | None", None),
        ("0.5", "float | None", 0.5),
        ("2", "Optional[int]", 2),
        ("anything", "", "anything"),
    ],
)
def test_coerce_converts_text_and_checks_typed_values(value, type_name, expected):
    got = runs.coerce(value, type_name, parameter="p")
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize(
    ("value", "type_name", "expected_words"),
    [
        ("5.5", "int", "a whole number (int)"),
        (5.5, "int", "a whole number (int)"),
        (True, "int", "a whole number (int)"),
        ("abc", "float", "a number (float)"),
        ("nan", "float", "a number (float)"),
        ("maybe", "bool", "true or false (bool)"),
        (1, "bool", "true or false (bool)"),
        ([1], "str", "text (str)"),
        ("[1, x]", "list[int]", "a list (list[int])"),
        ("[1, 2]", "dict", "a mapping (dict)"),
    ],
)
def test_coerce_wrong_type_names_parameter_value_and_type(value, type_name, expected_words):
    with pytest.raises(InputError) as err:
        runs.coerce(value, type_name, parameter="horizon_years")
    assert str(err.value) == f"horizon_years: got {value!r}; expected {expected_words}"


# --------------------------------------------------------------------------- refused before running


def test_unknown_parameter_refused_before_any_kernel(no_kernel, tmp_path):
    with pytest.raises(InputError) as err:
        runs.run("tiny", {"discount_rat": 0.1}, reports_dir=tmp_path, notebooks=NOTEBOOKS)
    assert str(err.value) == (
        "discount_rat: not a parameter of analysis 'tiny'; expected one of "
        "horizon_years (int), discount_rate (float), label (str), input_file (str)"
    )
    assert list(tmp_path.iterdir()) == []


def test_wrong_type_refused_before_any_kernel(no_kernel, tmp_path):
    with pytest.raises(InputError, match=r"^horizon_years: got '5\.5'; expected a whole number"):
        runs.run("tiny", {"horizon_years": "5.5"}, reports_dir=tmp_path, notebooks=NOTEBOOKS)
    assert list(tmp_path.iterdir()) == []


def test_missing_input_file_refused_before_any_kernel(no_kernel, tmp_path):
    with pytest.raises(InputError, match=r"^input_file: file 'nope\.csv' not found"):
        runs.run("tiny", {"input_file": "nope.csv"}, reports_dir=tmp_path, notebooks=NOTEBOOKS)
    with pytest.raises(InputError, match=r"^output_dir: set by btm"):
        runs.run("tiny", {"output_dir": "x"}, reports_dir=tmp_path, notebooks=NOTEBOOKS)
    assert list(tmp_path.iterdir()) == []


def test_existing_explicit_run_id_refused_before_any_kernel(no_kernel, tmp_path):
    (tmp_path / "tiny" / "mine").mkdir(parents=True)
    with pytest.raises(InputError, match=r"^run_id: .*mine already exists"):
        runs.run("tiny", reports_dir=tmp_path, run_id="mine", notebooks=NOTEBOOKS)
    with pytest.raises(InputError, match=r"^run_id: got '\.\./x'"):
        runs.run("tiny", reports_dir=tmp_path, run_id="../x", notebooks=NOTEBOOKS)


def test_validate_parameters_returns_effective_parameters_with_absolute_paths():
    got = runs.validate_parameters("tiny", {"label": "a"}, notebooks=NOTEBOOKS)
    assert got == {"horizon_years": 5, "discount_rate": 0.08, "label": "a",
                   "input_file": str(TINY_CSV.resolve())}


def test_run_folder_names_never_collide(tmp_path):
    """Same base id twice: the second claim gets '-2'; publishing onto a taken name moves on."""
    first, p1 = runs.claim_folder(tmp_path, "20240101T000000Z-abcdef", exact=False)
    second, p2 = runs.claim_folder(tmp_path, "20240101T000000Z-abcdef", exact=False)
    assert (first, second) == ("20240101T000000Z-abcdef", "20240101T000000Z-abcdef-2")
    (tmp_path / "20240101T000000Z-abcdef-2").mkdir()  # someone published it meanwhile
    (tmp_path / "20240101T000000Z-abcdef-2" / "theirs.txt").write_text("keep")
    rid, final = runs.publish_folder(p2, tmp_path, second)
    assert rid == "20240101T000000Z-abcdef-2-2" and final.is_dir()
    assert (tmp_path / second / "theirs.txt").read_text() == "keep"


def test_load_parameters_file_yaml_json_and_bad(tmp_path):
    y = tmp_path / "p.yaml"
    y.write_text("discount_rate: 0.06\nlabel: board\n")
    j = tmp_path / "p.json"
    j.write_text('{"horizon_years": 7}')
    assert runs.load_parameters_file(y) == {"discount_rate": 0.06, "label": "board"}
    assert runs.load_parameters_file(j) == {"horizon_years": 7}
    bad = tmp_path / "bad.yaml"
    bad.write_text("- 1\n- 2\n")
    with pytest.raises(InputError, match="expected a mapping of parameter name to value"):
        runs.load_parameters_file(bad)
    bad.write_text("a: [1,\n")
    with pytest.raises(InputError, match="not valid YAML or JSON"):
        runs.load_parameters_file(bad)


# --------------------------------------------------------------------------- report


def test_run_output_disabled_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for out in (RunOutput(""), RunOutput(None)):
        assert out.table(pd.DataFrame({"a": [1]}), "t") is None
        assert out.results(title="t", key_numbers={"x": 1}, key_messages=[]) is None
    assert list(tmp_path.iterdir()) == []


def test_run_output_results_json_is_strict_json_without_nan(tmp_path):
    import numpy as np

    out = RunOutput(tmp_path / "run", analysis="demo")
    out.table(pd.DataFrame({"option": ["a"], "cost": [1.5]}).set_index("option"), "summary")
    path = out.results(
        title="Demo",
        key_numbers={"pv": {"value": np.float64(1.5), "unit": "EUR", "label": "PV"},
                     "irr": np.float64("nan"), "n": np.int64(3)},
        key_messages=["A is cheaper."],
    )
    doc = _strict_json(path)
    assert doc["key_numbers"] == {
        "pv": {"value": 1.5, "unit": "EUR", "label": "PV"},
        "irr": {"value": None, "unit": "", "label": "irr"},
        "n": {"value": 3, "unit": "", "label": "n"},
    }
    assert doc["tables"] == [{"name": "summary", "csv": "tables/summary.csv"}]
    assert pd.read_csv(tmp_path / "run" / "tables" / "summary.csv").columns.tolist() == [
        "option", "cost"]
    with pytest.raises(InputError, match=r"key_numbers\['pv'\]: got 'big'; expected a number"):
        out.results(title="t", key_numbers={"pv": "big"}, key_messages=[])
    with pytest.raises(InputError, match="figure name"):
        out.figure(None, "../evil")


# --------------------------------------------------------------------------- a real run


def test_run_folder_is_complete(tiny_run):
    reports, rec = tiny_run
    assert rec.status == "succeeded" and rec.succeeded and rec.error is None
    assert rec.path == reports.resolve() / "tiny" / rec.run_id
    assert RUN_FILES <= {p.name for p in rec.path.iterdir()}
    assert not [p for p in (reports / "tiny").iterdir() if p.name.endswith(".partial")]
    assert sorted(p.name for p in (rec.path / "figures").iterdir()) == [
        "cumulative_cost.png", "cumulative_cost.svg", "present_value.png", "present_value.svg"]
    assert (rec.path / "tables" / "summary.csv").is_file()
    page = (rec.path / "report.html").read_text(encoding="utf-8")
    assert "out.results(" not in page  # no input cells
    assert "Tiny analysis" in page
    # the figure shown carries its drawn title as text alternative, escaped (a screen reader
    # reads it; nbconvert's default is "No description has been provided for this image")
    class Images(HTMLParser):
        alts: list[str | None] = []

        def handle_starttag(self, tag, attrs):
            if tag == "img":
                self.alts.append(dict(attrs).get("alt"))

    (images := Images()).feed(page)
    assert images.alts == ['Cumulative cost <undiscounted> & "by option"']
    assert "No description has been provided" not in page and "<undiscounted>" not in page
    assert rec.check() is rec


def test_run_manifest_records_parameters_inputs_versions_and_times(tiny_run):
    _, rec = tiny_run
    m = _strict_json(rec.path / "manifest.json")
    assert m["analysis"] == "tiny" and m["run_id"] == rec.run_id
    assert m["status"] == "succeeded" and m["error"] is None
    assert m["parameters"] == {"horizon_years": 3, "discount_rate": 0.06, "label": "test",
                               "input_file": str(TINY_CSV.resolve())}
    assert m["inputs"]["input_file"] == {
        "path": str(TINY_CSV.resolve()),
        "sha256": hashlib.sha256(TINY_CSV.read_bytes()).hexdigest(),
    }
    for dist in ("python", "btm", "numpy", "pandas", "scipy", "matplotlib", "papermill"):
        assert m["versions"][dist], dist
    # None when not installed (the pandas 3 test environment has no statsforecast).
    try:
        statsforecast_version = metadata.version("statsforecast")
    except metadata.PackageNotFoundError:
        statsforecast_version = None
    assert m["versions"]["statsforecast"] == statsforecast_version
    assert m["started_at"] < m["finished_at"] and m["duration_s"] > 0
    assert m["started_at"].endswith("Z")
    assert m["platform"]["system"]
    assert sys.platform != "linux" or m["platform"]["cpu"] not in ("", "unknown")
    assert rec.run_id.startswith(m["started_at"][:4])
    params_hash = rec.run_id.split("-")[1]
    assert len(params_hash) == 6 and int(params_hash, 16) >= 0


def test_run_results_match_numpy_financial(tiny_run):
    """The notebook got the parameters: its present value equals numpy-financial's npv."""
    _, rec = tiny_run
    doc = _strict_json(rec.path / "results.json")
    expected = min(npf.npv(0.06, _cash_flows(o, 3)) for o in ("cloud", "on_premise"))
    assert math.isclose(doc["key_numbers"]["cheapest_present_value"]["value"], expected,
                        rel_tol=1e-12)
    assert doc["key_numbers"]["horizon_years"] == {"value": 3, "unit": "years",
                                                   "label": "Horizon"}
    assert doc["analysis"] == "tiny" and doc["title"] == "Tiny analysis test"
    assert [f["name"] for f in doc["figures"]] == ["present_value", "cumulative_cost"]
    assert all((rec.path / f["png"]).is_file() and (rec.path / f["svg"]).is_file()
               for f in doc["figures"])
    assert doc["key_messages"][0] == "cloud has the lowest present value over 3 years."


def test_second_run_with_same_parameters_gets_its_own_folder(tiny_run, monkeypatch):
    """Folder handling only, so the second execution is faked: it copies the notebook."""
    import shutil

    import papermill

    calls = []

    def fake_execute(input_path, output_path, parameters=None, **kwargs):
        calls.append(parameters)
        shutil.copy(input_path, output_path)

    monkeypatch.setattr(papermill, "execute_notebook", fake_execute)
    reports, first = tiny_run
    before = {p: p.read_bytes() for p in first.path.rglob("*") if p.is_file()}
    second = runs.run("tiny", {"discount_rate": "0.06", "horizon_years": "3", "label": "test"},
                      reports_dir=reports, notebooks=NOTEBOOKS, progress=False)
    assert calls[0]["output_dir"] == str(reports.resolve() / "tiny" / f".{second.run_id}.partial")
    assert calls[0]["discount_rate"] == 0.06 and calls[0]["horizon_years"] == 3
    assert second.path != first.path and second.succeeded
    assert second.run_id.split("-")[1] == first.run_id.split("-")[1]  # same parameters hash
    assert {p: p.read_bytes() for p in first.path.rglob("*") if p.is_file()} == before
    assert runs.latest_run("tiny", reports_dir=reports).run_id == second.run_id


def test_failing_notebook_is_kept_and_marked_failed(failing_run):
    rec = failing_run
    assert rec.status == "failed" and not rec.succeeded
    assert rec.error["type"] == "ZeroDivisionError"
    assert rec.error["cell"] == 3 and rec.error["cell_source"] == "ratio = 1 / divisor"
    assert runs.describe_error(rec.error) == "ZeroDivisionError: division by zero (in cell [3])"
    assert {"executed.ipynb", "manifest.json", "report.html"} <= {
        p.name for p in rec.path.iterdir()}
    m = _strict_json(rec.path / "manifest.json")
    assert m["status"] == "failed" and m["error"]["message"] == "division by zero"
    executed = json.loads((rec.path / "executed.ipynb").read_text())
    outputs = [o for c in executed["cells"] for o in c.get("outputs", [])]
    assert any(o.get("ename") == "ZeroDivisionError" for o in outputs)
    with pytest.raises(RunError, match=r"failed: ZeroDivisionError.*in cell \[3\]"):
        rec.check()
    assert runs.latest_run("failing", reports_dir=rec.path.parents[1]) is None
    assert runs.latest_run("failing", reports_dir=rec.path.parents[1],
                           succeeded=False).run_id == rec.run_id


def test_orphaned_dead_kernel_task_prints_no_traceback(capfd):
    """An interrupted run leaves nbclient's cell task failed with DeadKernelError and never
    awaited; asyncio then logs "Task exception was never retrieved" with its traceback when the
    task is collected (seen on CI after Ctrl-C). btm's run drops exactly that report, and any
    other orphaned task's error still reaches stderr."""
    import asyncio
    import gc
    import logging

    from nbclient.exceptions import DeadKernelError

    from btm import runs

    async def dies() -> None:
        raise DeadKernelError("Kernel died")

    async def breaks() -> None:
        raise ValueError("a real bug")

    def orphan(coro_fn) -> None:
        loop = asyncio.new_event_loop()
        try:
            task = loop.create_task(coro_fn())
            loop.run_until_complete(asyncio.sleep(0.01))
            assert task.done()
        finally:
            loop.close()
        del task
        gc.collect()

    log = logging.getLogger("asyncio")
    handler = logging.StreamHandler()  # stderr, as Python's last-resort handler would
    log.addHandler(handler)
    try:
        runs._quiet_dead_kernel_tasks()
        runs._quiet_dead_kernel_tasks()  # once only
        assert log.filters.count(runs._DEAD_KERNEL_FILTER) == 1
        orphan(dies)
        assert "DeadKernelError" not in capfd.readouterr().err
        orphan(breaks)
        err = capfd.readouterr().err
        assert "Task exception was never retrieved" in err and "a real bug" in err
    finally:
        log.removeHandler(handler)
        log.removeFilter(runs._DEAD_KERNEL_FILTER)
