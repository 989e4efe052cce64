"""The real analysis notebooks run end to end with non-default parameters (papermill via btm.runs).

nbval checks the notebooks with their default parameters against their stored outputs; these
tests run each one as ``btm run`` does, with other parameters, and check the run folder is
complete and that ``results.json`` holds the key numbers, equal to what the btm functions
give when called directly with the same parameters.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from btm import runs
from btm.files import package_root

ROOT = package_root()
RUN_FILES = {"executed.ipynb", "report.html", "manifest.json", "results.json", "figures",
             "tables"}


def _check_folder(rec: runs.RunRecord) -> dict:
    """The run succeeded, its folder holds every file, each listed figure and table exists."""
    assert rec.succeeded, runs.describe_error(rec.error)
    assert RUN_FILES <= {p.name for p in rec.path.iterdir()}
    manifest = json.loads((rec.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "succeeded" and manifest["results"] == "results.json"
    results = json.loads((rec.path / "results.json").read_text(encoding="utf-8"))
    assert results["key_messages"] and all(isinstance(m, str) for m in results["key_messages"])
    for fig in results["figures"]:
        assert (rec.path / fig["png"]).is_file() and (rec.path / fig["svg"]).is_file()
    for table in results["tables"]:
        assert (rec.path / table["csv"]).is_file()
    return results


@pytest.mark.slow
def test_tco_comparison_runs_with_other_parameters(tmp_path):
    import hashlib

    from btm import tco
    from btm.files import read_table

    costs_file = ROOT / "data" / "tco" / "costs.csv"
    before = (hashlib.sha256(costs_file.read_bytes()).hexdigest(), costs_file.stat().st_mtime_ns)
    params = {"discount_rate": 0.05, "horizon_years": 5, "n_simulations": 2000}
    rec = runs.run("tco_comparison", params, reports_dir=tmp_path, progress=False)
    results = _check_folder(rec)
    # the input file is read, hashed into the manifest, and never modified
    after = (hashlib.sha256(costs_file.read_bytes()).hexdigest(), costs_file.stat().st_mtime_ns)
    assert after == before
    manifest = json.loads((rec.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"]["costs_file"]["sha256"] == before[0]
    assert rec.parameters["discount_rate"] == 0.05 and rec.parameters["horizon_years"] == 5
    numbers = results["key_numbers"]
    assert {"cheapest_present_value", "cheapest_equivalent_annual_cost",
            "prob_cheapest"} <= set(numbers)
    costs = tco.validate_costs(read_table(ROOT / "data" / "tco" / "costs.csv"))
    direct = tco.compare(costs, horizon_years=5, discount_rate=0.05).summary
    assert numbers["cheapest_present_value"]["value"] == pytest.approx(
        direct["present_value"].min())
    assert {f["name"] for f in results["figures"]} >= {"cost_by_category", "cumulative_cost",
                                                      "tornado", "s_curves"}


@pytest.mark.slow
def test_demand_forecast_jit_runs_with_other_parameters(tmp_path):
    pytest.importorskip("statsforecast")
    skus = [f"SKU-{i:03d}" for i in (1, 2, 41, 76, 106, 107, 136, 137, 171, 172)]
    params = {"sku_filter": ",".join(skus), "service_level": 0.9, "holdout_weeks": 26,
              "horizon": 8}
    rec = runs.run("demand_forecast_jit", params, reports_dir=tmp_path, progress=False)
    results = _check_folder(rec)
    numbers = results["key_numbers"]
    assert {"safety_stock_value", "replay_fill_rate", "naive_fill_rate",
            "replay_average_inventory_value", "inventory_freed_vs_naive",
            "share_beating_seasonal_naive", "empirical_skus", "orders_now_value"} <= set(numbers)
    assert numbers["safety_stock_value"]["label"] == "Safety stock at a 90% service level"
    assert numbers["replay_fill_rate"]["label"].endswith("last 26 weeks")
    policy = pd.read_csv(rec.path / "tables" / "policy.csv")
    assert sorted(policy["unique_id"]) == skus
    assert (policy["service_level"] == 0.9).all()
    assert numbers["safety_stock_value"]["value"] == pytest.approx(
        policy["safety_stock_value"].sum())
    assert numbers["empirical_skus"]["value"] == int(
        policy["demand_class"].isin(["intermittent", "lumpy"]).sum())
    replay = pd.read_csv(rec.path / "tables" / "replay_summary.csv")
    forecast = replay.loc[replay["policy"] == "forecast"]
    assert numbers["replay_fill_rate"]["value"] == pytest.approx(
        forecast["filled"].sum() / forecast["demand"].sum())
    assert {f["name"] for f in results["figures"]} == {
        "accuracy_by_class", "forecast_fan", "inventory_replay", "service_inventory_curve",
        "inventory_freed_by_class"}
    orders = pd.read_csv(rec.path / "tables" / "orders.csv")
    assert orders["order_ds"].nunique() <= 8  # horizon of 8 weeks


def test_demand_notebook_declares_its_parameters_and_board_pack_place():
    from btm import analyses

    a = analyses.get_analysis("demand_forecast_jit")
    assert a.boardpack and a.order == 2
    names = [p.name for p in analyses.parameters("demand_forecast_jit")]
    assert names == ["demand_file", "skus_file", "horizon", "season_length", "service_level",
                     "review_period", "sku_filter", "holdout_weeks", "n_windows", "fill_gaps",
                     "currency", "output_dir"]
    assert all(p.help for p in analyses.parameters("demand_forecast_jit"))
    assert Path(a.path).name == "demand_forecast_jit.ipynb"
