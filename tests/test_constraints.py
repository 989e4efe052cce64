"""Parameter constraints declared in a notebook's metadata are checked before a kernel starts.

The real analyses (``notebooks/*.ipynb``) declare them; a value outside its constraint is refused
with an InputError naming the parameter, and no run folder is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import btm
from btm import analyses, cli, runs

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.fixture
def no_kernel(monkeypatch):
    import papermill

    def refuse(*args, **kwargs):
        raise AssertionError("papermill.execute_notebook was called")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"discount_rate": "8"}, "discount_rate: got 8, which looks like a percentage"),
        ({"discount_rate": "-0.1"}, "discount_rate: got -0.1; expected a fraction of at least 0"),
        ({"horizon_years": "0"}, "horizon_years: got 0; expected a value of at least 1"),
        ({"distribution": "normal"}, "distribution: got 'normal'; expected one of 'pert', 'triangular'"),
        ({"correlation": "1.5"}, "correlation: got 1.5; expected a value of at most 1"),
        ({"n_simulations": "10"}, "n_simulations: got 10; expected a value of at least 100"),
    ],
)
def test_tco_parameters_refused_before_any_kernel(parameters, message, tmp_path, no_kernel):
    with pytest.raises(btm.InputError, match=message):
        runs.run("tco_comparison", parameters, reports_dir=tmp_path, notebooks=NOTEBOOKS,
                 progress=False)
    assert not any(tmp_path.rglob("*"))


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"service_level": "95"}, "service_level: got 95, which looks like a percentage"),
        ({"service_level": "1"}, "service_level: got 1; expected a value strictly between 0 and 1"),
        ({"horizon": "0"}, "horizon: got 0; expected a value of at least 1"),
        ({"review_period": "0"}, "review_period: got 0; expected a value of at least 1"),
    ],
)
def test_demand_parameters_refused_before_any_kernel(parameters, message, tmp_path, no_kernel):
    with pytest.raises(btm.InputError, match=message):
        runs.run("demand_forecast_jit", parameters, reports_dir=tmp_path, notebooks=NOTEBOOKS,
                 progress=False)
    assert not any(tmp_path.rglob("*"))


def test_cli_reports_constraint_violation_in_one_line(tmp_path, capsys, no_kernel):
    code = cli.main(["run", "tco_comparison", "-p", "discount_rate", "8",
                     "--reports-dir", str(tmp_path), "--notebooks", str(NOTEBOOKS)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines() == [
        "btm: error: discount_rate: got 8, which looks like a percentage; "
        "expected a fraction such as 0.08"
    ]


def test_every_declared_constraint_is_well_formed_and_names_a_parameter():
    """Each real notebook's constraints refer to its own parameters and accept its defaults."""
    for analysis in analyses.list_analyses(NOTEBOOKS):
        declared = {p.name: p for p in analyses.parameters(analysis)}
        constraints = analysis.metadata.get("constraints", {})
        assert set(constraints) <= set(declared), analysis.name
        runs.check_constraints(analysis, {n: declared[n].default for n in constraints})


def test_malformed_constraint_names_the_notebook():
    a = analyses.Analysis("x", Path("x.ipynb"), "X", metadata={"constraints": {"r": "percent"}})
    with pytest.raises(btm.InputError, match=r"x.ipynb: constraint of parameter 'r'"):
        runs.check_constraints(a, {"r": 0.1})
