"""The command line: summary, JSON contract keys, --set, --out, and clear errors."""

import json

import pytest

from plant import cli, export


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_summary(capsys):
    code, out, err = run(capsys, "run")
    assert code == 0 and err == ""
    assert "REO output" in out and "NdPr_oxide" in out and "largest relative imbalance" in out


def test_json_has_the_contract_keys(capsys):
    code, out, _ = run(capsys, "run", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["scenario"] == "base"
    c = data["capacity"]
    assert (
        c["reo_t_per_yr"] > 0 and c["nameplate_t_per_yr"] > c["reo_t_per_yr"]
    )  # 2029: the pilot only
    assert {
        "demand_t_per_yr",
        "target_share",
        "target_t_per_yr",
        "coverage_of_demand",
        "target_met",
        "by_year",
    } <= set(c) and c["target_met"] is False
    assert set(data["products"]["NdPr_oxide"]) >= {"t_per_yr", "purity"}
    assert data["mass_balance"]["max_relative_element_imbalance"] < 1e-9
    e = data["energy"]
    for key in (
        "electricity_kwh_per_yr",
        "natural_gas_nm3_per_yr",
        "co2_t_per_yr",
        "co2_kg_per_kg_reo",
    ):
        assert e[key] > 0
    assert e["co2_kg_per_kg_reo"] * c["nameplate_t_per_yr"] == pytest.approx(e["co2_t_per_yr"])


def test_set_changes_the_result(capsys):
    _, out, _ = run(capsys, "run", "--json")
    _, out2, _ = run(
        capsys,
        "run",
        "--json",
        "--set",
        "oxalate_precipitation.oxalic_excess=1.4",
        "--set",
        "scenario.name=more oxalic",
    )
    a, b = json.loads(out), json.loads(out2)
    assert b["scenario"] == "more oxalic"
    assert b["capacity"]["reo_t_per_yr"] > a["capacity"]["reo_t_per_yr"]


def test_overlay_file(capsys, write_toml):
    f = write_toml(
        '[scenario]\nname = "no roast"\n[roasting]\nenabled = false\n[leaching]\n'
        'liquid_to_solid = "8 L/kg"\n'
    )
    code, out, _ = run(capsys, "run", str(f), "--json")
    assert code == 0 and json.loads(out)["scenario"] == "no roast"


@pytest.mark.parametrize(
    "override, words",
    [
        ("leaching.temperature=90", ["leaching.temperature", "a number needs its unit"]),
        ("leaching.tempreature=90 degC", ["unknown key", "did you mean 'temperature'"]),
        ("leach_filter.wash_efficiency=2", ["leach_filter.wash_efficiency", "between 0 and 1"]),
        ("nonsense", ["section.key=VALUE"]),
    ],
)
def test_bad_set_exits_nonzero_with_the_message(capsys, override, words):
    code, out, err = run(capsys, "run", "--set", override)
    assert code == 2 and out == ""
    assert err.startswith("plant: error: ")
    assert "Traceback" not in err
    for w in words:
        assert w in err


def test_infeasible_case_is_reported_not_raised(capsys):
    code, _, err = run(capsys, "run", "--set", "leach_filter.cake_moisture=0.94")
    assert code == 2 and "not enough liquid for the cake" in err


def test_out_writes_stream_table_and_summary(capsys, tmp_path):
    code, out, _ = run(capsys, "run", "--out", str(tmp_path / "res"))
    assert code == 0
    csv = (tmp_path / "res" / "streams.csv").read_text().splitlines()
    assert csv[0].split(",")[1] == "sorting.scrap_hdd"
    assert any(line.startswith("Nd,") for line in csv)
    assert json.loads((tmp_path / "res" / "summary.json").read_text())["scenario"] == "base"


def test_out_writes_the_cost_tables_as_csv_and_one_workbook(capsys, tmp_path):
    import openpyxl
    import pandas as pd

    code, out, _ = run(capsys, "run", "--out", str(tmp_path))
    assert code == 0 and "plant.xlsx" in out
    book = openpyxl.load_workbook(tmp_path / "plant.xlsx", read_only=True)
    # every table a sheet, the figures a reader looks for first
    assert book.sheetnames == list(export.SHEETS)
    assert book.sheetnames[:2] == ["summary", "products"] and len(book.sheetnames) == 10
    capex = pd.read_csv(tmp_path / "capex.csv")
    data = json.loads((tmp_path / "summary.json").read_text())
    # the summary and products sheets hold the JSON's figures
    first = pd.read_csv(tmp_path / "summary.csv").set_index("item")["value"]
    assert float(first["NPV"]) == pytest.approx(data["economics"]["npv_usd"])
    products = pd.read_csv(tmp_path / "products.csv").set_index("product")
    for name, p in data["products"].items():
        assert products.loc[name, "purity"] == pytest.approx(p["purity"])
        assert bool(products.loc[name, "on_spec"]) == p["on_spec"]
    tci = capex.loc[capex["line"] == "total capital investment", "usd"].item()
    assert tci == pytest.approx(data["economics"]["capex_usd"])
    cash = pd.read_csv(tmp_path / "cashflow.csv")
    assert len(cash) == 22 and cash["net cash flow"].sum() == pytest.approx(
        cash["cumulative"].iloc[-1]
    )


def test_json_economics_and_a_null_irr(capsys):
    # scrap at its full value never pays back: IRR and payback are null, not NaN (not JSON)
    dear = [f"economics.feed.terms.{s}.payable=1" for s in ("hdd", "motor", "swarf")]
    code, out, _ = run(capsys, "run", "--json", *(a for s in dear for a in ("--set", s)))
    e = json.loads(out)["economics"]
    assert e["irr"] is None and e["payback_yr"] is None and e["npv_usd"] < 0
    sets = [f"economics.feed.terms.{s}.payable=0.4" for s in ("hdd", "motor", "swarf")]
    code, out, _ = run(capsys, "run", "--json", *(a for s in sets for a in ("--set", s)))
    e = json.loads(out)["economics"]
    assert e["npv_usd"] > 0 and 0 < e["irr"] < 1 and e["payback_yr"] > 0


def test_console_script_runs_in_a_fresh_process():
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "plant.cli", "run", "--set", "leaching.acid=HNO3"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert (
        "leaching.acid" in proc.stderr
        and "'HCl', 'H2SO4'" in proc.stderr
        and "Traceback" not in proc.stderr
    )


@pytest.mark.slow
def test_mc_json_keys_percentiles_under_each_output(capsys):
    code, out, err = run(capsys, "mc", "--samples", "200", "--seed", "4", "--json")
    data = json.loads(out)
    assert code == 0 and err == ""
    assert data["samples"] == 200 and data["seed"] == 4
    for key in ("npv_usd", "irr", "cost_usd_per_kg_reo", "reo_t_per_yr", "coverage_of_demand"):
        assert {"p10", "p50", "p90"} <= set(data[key])
    assert (
        0.0 <= data["probability"]["target_met"] <= 1.0
        and 0.0 <= data["probability"]["npv_positive"] <= 1.0
    )
    again = json.loads(run(capsys, "mc", "--samples", "200", "--seed", "4", "--json")[1])
    assert again["npv_usd"] == data["npv_usd"]


@pytest.mark.slow
def test_mc_text_and_sensitivity_text(capsys):
    code, out, _ = run(capsys, "mc", "--samples", "100")
    assert code == 0 and "P(target met" in out and "NPV" in out
    code, out, _ = run(
        capsys, "sensitivity", "--samples", "64", "--trajectories", "5", "--output", "npv_usd"
    )
    assert code == 0 and "Tornado of NPV" in out and "Sobol indices" in out and "Morris" in out


def test_sensitivity_json_has_tornado_and_sobol(capsys):
    code, out, _ = run(
        capsys,
        "sensitivity",
        "--method",
        "sobol",
        "--samples",
        "64",
        "--json",
        "--output",
        "cost_usd_per_kg_reo",
    )
    data = json.loads(out)
    assert code == 0 and {"S1", "ST", "input"} <= set(data["sobol"]["cost_usd_per_kg_reo"][0])


def test_optimize_json_on_a_small_case(capsys):
    code, out, _ = run(
        capsys,
        "optimize",
        "--set",
        "solvent_extraction.mode=constant_D",
        "--no-target",
        "--json",
        "--var",
        "solvent_extraction.heavy.n_scrub=2:10",
    )
    data = json.loads(out)
    assert code == 0 and data["feasible"] and data["objective"] == "cost"
    assert data["optimum"] <= data["nominal"]
    assert (
        "solvent_extraction.heavy.n_scrub" in data["variables"]
        and "purity.NdPr_oxide" in data["constraints"]
    )


@pytest.mark.parametrize(
    "argv, words",
    [
        (("mc", "--samples", "0"), ["--samples", "whole number of samples from 1", "0"]),
        (("mc", "--samples", "10", "--input", "nope"), ["--input", "nope", "ndpr_price"]),
        (("sensitivity", "--range", "ndpr_price=90 USD/kg:60 USD/kg"), ["low <= high"]),
        (("sensitivity", "--range", "ndpr_price=55 kg:110 kg"), ["--range", "a price per mass"]),
        (("sensitivity", "--output", "npv"), ["--output", "npv_usd"]),
        (
            ("optimize", "--var", "leaching.acid_excess=1.4:1.2"),
            ["--var", "leaching.acid_excess", "low <= high"],
        ),
        (("optimize", "--var", "leaching.unknown=1:2"), ["--var", "'unknown' is not a known key"]),
    ],
)
def test_analysis_bad_input_exits_2_with_a_message(capsys, argv, words):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    for w in words:
        assert w in err, err
