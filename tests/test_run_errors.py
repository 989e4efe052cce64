"""A bad cell in any input file of any analysis: the failed run names that file.

Generated from the analyses btm ships (``btm.analyses.specs()``) and their notebooks' file
parameters, so a new analysis or input file is covered without editing this module. Each
case copies the sample file, replaces every cell of its first data row with ``#bad#`` (every
table has a numeric, date or boolean column that refuses it) and runs the analysis with only
that file swapped. The run must fail with an :class:`btm.InputError` whose message starts
with the name of the file the user gave (its bare name, as every notebook passes it through
``files.display_name``), not with a function's argument name (``history``,
``capacity``, ``drivers``, ``catalogue`` did until the demand, schedule, budget and competency
notebooks passed their file names on), and the manifest must say so.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json

import pytest

from btm import analyses, files, runs

CASES = [
    (spec.name, p.name, str(p.default))
    for spec in analyses.specs()
    if all(importlib.util.find_spec(n) for n in spec.needs)
    for p in analyses.parameters(analyses.get_analysis(spec.name))
    if p.name.endswith("_file") and isinstance(p.default, str)
]


def test_every_analysis_has_a_case():
    assert {name for name, _, _ in CASES} >= {
        s.name for s in analyses.specs() if s.data and all(
            importlib.util.find_spec(n) for n in s.needs)}
    assert len(CASES) >= 20


@pytest.mark.slow
@pytest.mark.parametrize(("analysis", "parameter", "default"), CASES,
                         ids=[f"{a}.{p}" for a, p, _ in CASES])
def test_a_bad_cell_in_a_run_names_the_file(analysis, parameter, default, tmp_path):
    sample = files.resolve_path(default, parameter=parameter)
    rows = list(csv.reader(io.StringIO(sample.read_text(encoding="utf-8-sig"))))
    assert len(rows) >= 2, sample
    rows[1] = ["#bad#"] * len(rows[1])
    target = tmp_path / "inputs" / f"my-{sample.name}"
    target.parent.mkdir()
    with target.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    record = runs.run(analysis, {parameter: str(target)}, reports_dir=tmp_path / "reports",
                      progress=False)
    assert record.status == "failed"
    assert record.error is not None and record.error["type"] == "InputError", record.error
    message = record.error["message"]
    shown = files.display_name(str(target))
    # the file's name as the footnotes show it, never a folder the user did not type
    assert message.startswith(shown), message
    assert "row 1" in message, message
    manifest = json.loads((record.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "failed"
