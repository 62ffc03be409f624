"""Thorium and uranium: through the balances, into the residues, against the exemption level and
Taiwan's source-material threshold."""

import numpy as np
import pytest

from plant import model, report
from plant.flowsheets import radioactivity
from plant.paths import PARAMS_DIR
from plant.units import impurity_removal
from plant.units.common import liquor_volume_flow
from tests.units import random_inputs as ri


def test_specific_activities_iaea_rgu1_and_nndc_half_lives():
    # Th-232 4.06e3 Bq/g; natural uranium 1.235e4 Bq/g of U-238 (IAEA RGU-1/RGTh-1 reference
    # materials' certificates use these; half-lives from NNDC NuDat 3)
    assert radioactivity.specific_activity("Th") / 1000.0 == pytest.approx(4.06e3, rel=0.005)
    assert radioactivity.specific_activity("U") / 1000.0 == pytest.approx(1.235e4, rel=0.005)


def test_thorium_leaves_with_the_iron_cake_by_its_solubility_product(base, reg):
    rng = np.random.default_rng(7)
    liquor = ri.liquor(rng, reg, (), "HCl")
    flows = np.array(liquor.flows)
    flows[reg.index("ThCl4(aq)")] = 1e-3  # mol/s
    liquor = liquor.with_flows(flows)
    p = base.impurity_removal
    out = impurity_removal.run(liquor, p, "HCl")
    volume_L = float(liquor_volume_flow(liquor, p.liquor_density) * 1e3)
    oh = 10.0 ** (p.target_pH - 14.0)
    residual = p.solubility_products["Th"] / oh**4 * volume_L  # mol/s left dissolved
    slurry = out.outlets["slurry"]
    assert float(slurry["ThCl4(aq)"]) == pytest.approx(min(1e-3, residual), rel=1e-9, abs=1e-30)
    assert float(slurry["Th(OH)4"]) == pytest.approx(1e-3 - min(1e-3, residual), rel=1e-9)
    # uranyl stays dissolved at pH 4
    assert float(slurry["UO2Cl2(aq)"]) == pytest.approx(float(liquor["UO2Cl2(aq)"]))


@pytest.fixture(scope="module")
def concentrate():
    p = model.load_params(PARAMS_DIR / "scenarios" / "concentrate.toml")
    return p, model.evaluate(p)


def test_every_thorium_and_uranium_atom_is_accounted_for(concentrate):
    _, ev = concentrate
    r = ev.flowsheet
    for e in ("Th", "U"):
        fed = sum(float(s.element(e)) for s in r.purchased.values())
        out = sum(float(r.streams[n].element(e)) for n in r.outputs)
        assert fed > 0 and out == pytest.approx(fed, rel=1e-9)


def test_residues_above_the_exemption_level_are_radioactive_waste(concentrate):
    p, ev = concentrate
    r = ev.flowsheet
    s = report.summary(ev)["residues"]
    hot = {n for n, o in s["outputs"].items() if o["radioactive"]}
    assert {"iron_filter.cake", "concentrate_filter.cake"} <= hot
    for name, o in s["outputs"].items():  # Th-232 of the stream's thorium per g of dry solids
        stream = r.streams[name]
        solids = float(stream.mass_of(r.registry.phase_masks["solid"]))
        th = float(radioactivity.element_kg(stream, "Th")) / (solids or float(stream.mass_flow))
        assert o["th232_bq_per_g"] == pytest.approx(th * 4.07e3, rel=0.01)
    solids = sum(float(r.streams[n].mass_of(r.registry.phase_masks["solid"])) for n in hot)
    assert float(r.discharges()["radioactive_residue"]) == pytest.approx(solids, rel=1e-9)
    line = ev.economics.opex.lines["radioactive residue disposal"]
    year = r.availability * 365.25 * 86400
    assert float(line) == pytest.approx(solids * year * p.economics.opex.radioactive_disposal)


def test_a_concentrate_above_half_a_permille_of_u_and_th_needs_a_licence(concentrate):
    _, ev = concentrate
    feeds = report.summary(ev)["residues"]["feeds"]
    assert feeds["concentrate"]["nuclear_source_material"]
    assert feeds["concentrate"]["uranium_thorium_share"] > 0.0005
    assert not feeds["swarf"]["nuclear_source_material"]
    assert "needs a licence" in report.radioactivity_sentence(report.summary(ev)["residues"])


def test_the_magnet_plant_has_nothing_radioactive(base):
    s = report.summary(model.evaluate(base))["residues"]
    assert s["radioactive_residue_t_per_yr"] == 0 and not s["outputs"]
    assert report.radioactivity_sentence(s) is None
