"""One constraint vocabulary: every declaration is fed invalid values, generated from the data.

Two kinds of declaration, both found by discovery (no list of functions or analyses here):

- every public function of every btm module that declares its scalar arguments with
  :func:`btm.constraints.constrained`;
- every notebook parameter of every analysis spec (``btm/analyses/<name>/__init__.py``).

Each invalid value (``Constraint.invalid_values``) must raise :class:`btm.InputError` whose message
starts with the argument's name; a notebook parameter is refused before any kernel starts.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import btm
from btm import analyses, cli, constraints, runs


def _public_functions():
    for info in pkgutil.walk_packages(btm.__path__, "btm."):
        if info.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional library missing (statsforecast on pandas 3)
            continue
        for name in getattr(module, "__all__", ()):
            func = getattr(module, name, None)
            if callable(func) and constraints.constraints_of(func) and getattr(
                func, "__module__", "") == info.name:
                yield f"{info.name}.{name}", func


FUNCTIONS = dict(_public_functions())
FUNCTION_CASES = [
    pytest.param(qualname, arg, value, id=f"{qualname}-{arg}-{value!r}"[:120])
    for qualname, func in FUNCTIONS.items()
    for arg, value in constraints.all_invalid(constraints.constraints_of(func))
]
PARAMETER_CASES = [
    pytest.param(spec.name, name, value, id=f"{spec.name}-{name}-{value!r}"[:120])
    for spec in analyses.specs()
    for name, value in constraints.all_invalid(spec.parameters)
]


def _call_with(func, arg, value):
    """Call `func` with `arg` = `value`, every other declared argument valid, the rest dummies."""
    sig = inspect.signature(func)
    declared = constraints.constraints_of(func)
    args, kwargs = [], {}
    for p in sig.parameters.values():
        if p.name == arg:
            v = value
        elif p.name in declared:
            v = declared[p.name].example()
        elif p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL,
                                                                      p.VAR_KEYWORD):
            v = object()  # never reached: the declared argument is refused first
        else:
            continue
        if p.kind in (p.POSITIONAL_ONLY,):
            args.append(v)
        else:
            kwargs[p.name] = v
    return func(*args, **kwargs)


def test_enough_cases_are_generated():
    assert len(FUNCTION_CASES) + len(PARAMETER_CASES) >= 300


@pytest.mark.parametrize(("qualname", "arg", "value"), FUNCTION_CASES)
def test_every_declared_argument_refuses_invalid_values(qualname, arg, value):
    with pytest.raises(btm.InputError) as err:
        _call_with(FUNCTIONS[qualname], arg, value)
    assert str(err.value).startswith(arg), str(err.value)


@pytest.fixture
def no_kernel(monkeypatch):
    import papermill

    def refuse(*args, **kwargs):
        raise AssertionError("papermill.execute_notebook was called")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)


@pytest.mark.parametrize(("analysis", "name", "value"), PARAMETER_CASES)
def test_every_notebook_parameter_refuses_invalid_values(analysis, name, value, tmp_path,
                                                         no_kernel):
    with pytest.raises(btm.InputError) as err:
        runs.run(analysis, {name: value}, reports_dir=tmp_path, progress=False)
    assert str(err.value).startswith(name), str(err.value)
    assert not any(tmp_path.rglob("*"))  # refused before anything is written


@pytest.mark.parametrize("spec", analyses.specs(), ids=lambda s: s.name)
def test_every_notebook_parameter_is_declared_and_its_default_accepted(spec):
    """The spec constrains exactly the notebook's parameters (``output_dir`` is btm's own)."""
    declared = {p.name: p for p in analyses.parameters(analyses.get_analysis(spec.name))}
    assert set(spec.parameters) == set(declared) - {runs.OUTPUT_PARAMETER}, spec.name
    for name, constraint in spec.parameters.items():
        value = runs.coerce(declared[name].default, declared[name].type, parameter=name)
        constraint.check(value, name)
        assert constraint.describe()


def test_constraint_messages_share_one_shape():
    """Examples taken from the analyses' own declarations, to the letter."""
    tco = analyses.get_spec("tco_comparison").parameters
    cases = {
        ("discount_rate", 8): "discount_rate: got 8, which looks like a percentage; "
                              "expected a fraction such as 0.08",
        ("discount_rate", -0.1): "discount_rate: got -0.1; expected a fraction of at least 0",
        ("horizon_years", 0): "horizon_years: got 0; expected a whole number of at least 1 "
                              "and of at most 100",
        ("distribution", "normal"): "distribution: got 'normal'; expected one of 'pert', "
                                    "'triangular'",
        ("correlation", 1.5): "correlation: got 1.5; expected a number of at least -1 and of "
                              "at most 1",
    }
    for (name, value), message in cases.items():
        with pytest.raises(btm.InputError) as err:
            tco[name].check(value, name)
        assert str(err.value) == message


def test_demand_service_level_is_a_probability(tmp_path, no_kernel):
    for value, hint in [("95", "which looks like a percentage"),
                        ("1", "expected a value strictly between 0 and 1")]:
        with pytest.raises(btm.InputError, match=f"^service_level: got .*{hint}"):
            runs.run("demand_forecast_jit", {"service_level": value}, reports_dir=tmp_path,
                     progress=False)


def test_cli_reports_constraint_violation_in_one_line(tmp_path, capsys, no_kernel):
    code = cli.main(["run", "tco_comparison", "-p", "discount_rate", "8",
                     "--reports-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines() == [
        "btm: error: discount_rate: got 8, which looks like a percentage; "
        "expected a fraction such as 0.08"
    ]


def test_constrained_rejects_declarations_of_unknown_arguments():
    with pytest.raises(TypeError, match="unknown arguments"):
        @constraints.constrained(nope=constraints.Rate())
        def f(rate):
            return rate


def test_constrained_converts_and_keeps_declarations():
    @constraints.constrained(n=constraints.Interval(int, 1))
    def f(n, *, label="x"):
        return n, label

    assert f(3.0) == (3, "x") and isinstance(f(3.0)[0], int)
    assert set(constraints.constraints_of(f)) == {"n"}
    assert f.__name__ == "f"


RULE_CASES = [
    pytest.param(spec.name, rule, values, id=f"{spec.name}-{rule.describe()}-{values}"[:120])
    for spec in analyses.specs()
    for rule in spec.rules
    for values in rule.invalid_sets()
]


def test_the_analyses_declare_their_pair_rules():
    """scale_min < scale_max (and a threshold on the scale) are data on the specs."""
    declared = {s.name: [r.describe() for r in s.rules] for s in analyses.specs()}
    assert declared["outsourcing_matrix"] == ["scale_min < scale_max"]
    assert declared["btm_competencies"] == ["scale_min < scale_max", "scale_min <= threshold",
                                            "threshold <= scale_max"]
    assert len(RULE_CASES) >= 5


@pytest.mark.parametrize(("analysis", "rule", "values"), RULE_CASES)
def test_every_rule_refuses_its_invalid_sets_before_any_kernel(analysis, rule, values,
                                                               tmp_path, no_kernel):
    with pytest.raises(btm.InputError) as err:
        runs.run(analysis, values, reports_dir=tmp_path, progress=False)
    assert str(err.value).startswith(rule.names), str(err.value)
    assert not any(tmp_path.rglob("*"))  # refused before anything is written


@pytest.mark.parametrize("spec", analyses.specs(), ids=lambda s: s.name)
def test_every_rule_holds_for_the_notebook_defaults(spec):
    runs.validate_parameters(spec.name, {})  # raises when a default breaks a rule
    declared = {p.name: p.default for p in analyses.parameters(analyses.get_analysis(spec.name))}
    for rule in spec.rules:
        rule.check(declared)


@pytest.mark.parametrize(("analysis", "argv", "message"), [
    ("outsourcing_matrix", ["-p", "scale_min", "5", "-p", "scale_max", "1"],
     "scale_max: got 1, not above scale_min 5; expected scale_min < scale_max"),
    ("outsourcing_matrix", ["-p", "scale_min", "3", "-p", "scale_max", "3"],
     "scale_max: got 3, not above scale_min 3; expected scale_min < scale_max"),
    ("outsourcing_matrix", ["-p", "scale_min", "6"],  # scale_max left at 5: change scale_min
     "scale_min: got 6, not below scale_max 5; expected scale_min < scale_max"),
    ("btm_competencies", ["-p", "scale_min", "5", "-p", "scale_max", "1"],
     "scale_max: got 1, not above scale_min 5; expected scale_min < scale_max"),
    ("btm_competencies", ["-p", "threshold", "7"],
     "threshold: got 7, above scale_max 5; expected threshold <= scale_max"),
    ("btm_competencies", ["-p", "threshold", "0.5"],
     "threshold: got 0.5, below scale_min 1; expected scale_min <= threshold"),
])
def test_cli_refuses_parameters_out_of_order_before_any_kernel(analysis, argv, message,
                                                                tmp_path, capsys, no_kernel):
    """Before, these passed the pre-check and failed in the kernel, leaving a failed run."""
    code = cli.main(["run", analysis, *argv, "--reports-dir", str(tmp_path)])
    assert (code, capsys.readouterr().err.strip().splitlines()) == (2, [f"btm: error: {message}"])
    assert not any(tmp_path.rglob("*"))  # no run folder, not even a partial one


def test_values_in_order_pass_the_rules():
    assert runs.validate_parameters("outsourcing_matrix", {"scale_min": 0, "scale_max": 10})[
        "scale_max"] == 10
    got = runs.validate_parameters("btm_competencies", {"threshold": 5, "scale_max": 5})
    assert (got["threshold"], got["scale_max"]) == (5, 5)  # at the top of the scale: allowed


def test_increasing_names_the_value_to_change_and_leaves_non_numbers_alone():
    rule = constraints.Increasing("low", "high")
    rule.check({"low": 1, "high": 2})
    rule.check({"low": None, "high": 2})  # "not set": the notebook decides
    rule.check({"low": "computed()", "high": 2})
    with pytest.raises(btm.InputError, match=r"^high: got 1, not above low 2; expected low < high$"):
        rule.check({"low": 2, "high": 1}, given=["low", "high"])
    with pytest.raises(btm.InputError, match=r"^low: got 2, not below high 1; expected low < high$"):
        rule.check({"low": 2, "high": 1}, given=["low"])
    with pytest.raises(btm.InputError, match=r"^high: got 2.5, below low 3; expected low <= high$"):
        constraints.Increasing("low", "high", strict=False).check({"low": 3, "high": 2.5})
    constraints.Increasing("low", "high", strict=False).check({"low": 3, "high": 3})


def test_spec_refuses_a_rule_naming_an_undeclared_parameter():
    with pytest.raises(TypeError, match="undeclared parameters"):
        analyses.Spec(name="x", title="x", question="x", parameters={"low": constraints.Interval()},
                      rules=(constraints.Increasing("low", "high"),))
