"""Tests of btm.sweep: grids, up-front validation, process pool and Dask execution."""

from __future__ import annotations

import itertools
import math
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
    """Two parameter sets, each on a spawn process pool and on a 2-worker Dask LocalCluster;
    key numbers checked against numpy-financial's npv."""
    sets = sweep.grid(discount_rate=[0.06, 0.1], horizon_years=[3])
    for scheduler in ("processes", "dask"):
        table = sweep.sweep("tiny", sets, reports_dir=tmp_path / scheduler, workers=2,
                            scheduler=scheduler, notebooks=NOTEBOOKS)
        assert table.columns[:6].tolist() == [
            "run_id", "status", "path", "error", "discount_rate", "horizon_years"]
        assert table["status"].tolist() == ["succeeded", "succeeded"], table["error"].tolist()
        assert table["run_id"].is_unique
        assert all(Path(p).parent == (tmp_path / scheduler / "tiny").resolve()
                   for p in table["path"])
        for row in table.itertuples():
            assert math.isclose(row.cheapest_present_value,
                                _expected_pv(row.discount_rate, 3), rel_tol=1e-12)
            assert row.result_discount_rate == row.discount_rate  # key number named as a param
