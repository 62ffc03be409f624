"""What the app shows, checked without the app: editable parameters (plant.tuning), the parameter
document as TOML, the dashboard tables (plant.dashboard) and output by route."""

import io
import json

import numpy as np
import openpyxl
import pytest

from plant import dashboard, export, model, params, report, tuning
from plant.capacity import ROUTES
from plant.errors import ParamError
from plant.params import with_values


@pytest.fixture(scope="module")
def loaded():
    return model.load()


@pytest.fixture(scope="module")
def items(loaded):
    return {t.key: t for t in tuning.tunables(model.Params, loaded[1])}


@pytest.fixture(scope="module")
def board(loaded):
    return dashboard.build(model.evaluate(loaded[0]))


def test_tunables_keep_the_unit_the_file_writes_and_convert_the_domain(items):
    t = items["leaching.temperature"]
    assert (t.value, t.unit) == (110.0, "degC")
    assert t.lo == pytest.approx(-273.15) and t.lo_open  # > 0 K, in degC
    assert items["plant.availability"].lo == 0.05 and items["plant.availability"].hi == 1.0
    assert items["leaching.liquid_to_solid"].unit == "L/kg"
    assert items["solvent_extraction.heavy.n_scrub"].kind == "integer"
    assert items["solvent_extraction.mode"].choices == ("pH", "constant_D")
    assert "capacity.demand.points.2025" not in items  # a dated path is edited whole, in a file
    assert items["feed.sources.hdd.magnet_flow"].section == "feed"
    assert items["leaching.dissolution_oxide.Nd"].hi == 1.0  # table entries are fractions


def test_every_tunable_written_back_at_its_value_loads_to_the_same_parameters(items, loaded):
    overrides = [t.override(t.value) for t in items.values()]
    again = model.load_params(overrides=overrides)
    a = report.summary(model.evaluate(loaded[0]))
    b = report.summary(model.evaluate(again))
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_an_override_in_the_files_unit_is_converted_once(items):
    p = model.load_params(
        overrides=[
            items["leaching.temperature"].override(90.0),
            items["leaching.residence_time"].override(45),
        ]
    )
    assert float(p.leaching.temperature) == pytest.approx(363.15)
    assert float(p.leaching.residence_time) == pytest.approx(45 * 60)


def test_the_document_as_toml_loads_back_to_the_same_result(loaded, tmp_path):
    p, doc = model.load(overrides=["leaching.acid_excess=1.4"])
    f = tmp_path / "all.toml"
    f.write_text(params.to_toml(doc))
    again = model.load_params(base=f)
    assert json.dumps(report.summary(model.evaluate(p)), sort_keys=True) == json.dumps(
        report.summary(model.evaluate(again)), sort_keys=True
    )


@pytest.mark.parametrize(
    "data, words",
    [
        (b"[leaching\n", "up.toml: (syntax): expected valid TOML"),
        (b"\xff\xfe[x]", "up.toml: (encoding): expected a UTF-8 text file"),
    ],
)
def test_uploaded_text_that_is_not_toml_is_a_clear_error(data, words):
    with pytest.raises(ParamError, match=words.replace("(", r"\(").replace(")", r"\)")):
        params.parse_toml(data, "up.toml")


def test_links_carry_every_stream_and_each_unit_balances_its_rare_earths(board, loaded):
    result = model.run(loaded[0])
    links = board.links
    assert len(links) == len(result.streams)
    for unit in result.units:
        into = links.loc[links["to"] == unit, "RE"].sum()
        out = links.loc[links["from"] == unit, "RE"].sum()
        assert out == pytest.approx(into, rel=1e-9, abs=1e-12)
    feeds = links.loc[links["from"] == "feed", "RE"].sum()
    assert links.loc[links["to"] == "output", "RE"].sum() == pytest.approx(feeds, rel=1e-9)


def test_products_table_matches_the_json_contract(board, loaded):
    s = report.summary(model.evaluate(loaded[0]))
    prod = board.products.set_index("product")
    for name, p in s["products"].items():
        assert prod.loc[name, "t_per_yr"] == pytest.approx(p["t_per_yr"])
        assert prod.loc[name, "purity"] == pytest.approx(p["purity"])
    nd, pr = s["recovery"]["Nd"], s["recovery"]["Pr"]
    assert prod.loc["NdPr_oxide", "rare_earths"] == "PrNd"
    assert min(nd, pr) - 0.5 < prod.loc["NdPr_oxide", "recovery"] < max(nd, pr)


def test_sx_profiles_and_design_estimate(board, loaded):
    prof = board.sx_profiles["sx_heavy"]
    c = model.run(loaded[0]).units["sx_heavy"].circuit  # the stages it ran with (designed)
    n = c.stages
    assert sorted(prof["stage"].unique()) == list(range(1, n + 1))
    assert (prof.loc[prof["stage"] <= c.n_extraction, "section"] == "extraction").all()
    assert prof["pH"].notna().all()  # pH mode in the base case
    stages = dashboard.sx_stages(model.evaluate(loaded[0]), 0.995, 0.99)
    row = stages.set_index("circuit").loc["sx_heavy"]
    assert row["reason"] == "meets the targets across the margin" and row["design_purity"] >= 0.995
    # concentrations in g/L: the model's mol/m3 times the atomic weight in kg/mol (kg/m3 = g/L)
    rec = model.run(loaded[0]).units["sx_heavy"].circuit
    nd = prof[(prof["element"] == "Nd")].set_index("stage")["aqueous_g_per_L"]
    assert nd.to_numpy() == pytest.approx(rec.aqueous["Nd"] * 0.144242, rel=1e-4)
    assert 5 < nd.max() < 200  # a rare-earth chloride liquor holds tens of g/L of Nd
    assert 1 <= row["design_extraction"] <= 128


def test_money_columns_and_workbook(board):
    assert dashboard.money_columns("capex", board.tables["capex"]) == ["usd"]
    cash = dashboard.money_columns("cashflow", board.tables["cashflow"])
    assert "net cash flow" in cash and "capacity factor" not in cash
    book = openpyxl.load_workbook(io.BytesIO(board.workbook()))
    assert book.sheetnames == list(export.SHEETS)


def test_output_by_route_adds_up_to_the_output_on_random_parameters(base):
    # also a designed train on a batch of liquors far apart (one design for them all)
    rng = np.random.default_rng(7)
    p = with_values(
        base,
        {
            "concentrate.flow": rng.uniform(0, 0.05, 16),
            "sorting.split": rng.uniform(0, 1, 16),
            "feed.sources.swarf.magnet_flow": rng.uniform(0.001, 0.1, 16),
        },
    )
    ev = model.evaluate(p)
    assert np.max(ev.flowsheet.max_imbalance()) < 1e-9
    years = ev.capacity
    assert set(years.routes) == set(ROUTES)
    total = sum(years.routes.values())
    assert np.allclose(total, years.reo, rtol=1e-9, atol=1e-9)
    assert np.all(years.routes["concentrate"] >= 0)
