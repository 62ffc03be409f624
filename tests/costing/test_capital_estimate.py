"""The capital estimate: materials that follow the service, the effluent route, the estimate class
and the areas."""

import dataclasses

import numpy as np
import pytest

from plant import model
from plant.costing.economics import cost_library
from plant.costing.parameters import AACE_CLASSES
from plant.errors import ParamError
from plant.flowsheets import services
from plant.params import with_values
from plant.units.equipment import Service


def c(deg):
    return np.asarray(deg + 273.15)


@pytest.mark.parametrize(
    "medium, temperature, material",
    [
        # hot HCl: rubber linings stop at 82-85 degC (Metal Finishing Guidebook 2012-13, Table IV)
        ("HCl", 110.0, "fluoropolymer lined steel"),
        ("HCl", 60.0, "rubber lined steel"),
        ("H2SO4", 25.0, "rubber lined steel"),
        # 316 is not suggested in HCl (Rolled Alloys), carbon steel serves neutral and alkaline duty
        ("water", 60.0, "carbon steel"),
        ("alkaline", 90.0, "carbon steel"),
        ("organic", 25.0, "carbon steel"),
    ],
)
def test_materials_follow_the_service(medium, temperature, material):
    lib = cost_library()
    factor, chosen = lib.material_for(Service(medium, c(temperature)), "agitated_reactor")
    assert chosen.item() == material
    assert float(factor) == lib.materials[material.replace(" ", "_")].factor


def test_a_service_no_material_resists_is_a_clear_error():
    with pytest.raises(ParamError) as e:
        cost_library().material_for(Service("HCl", c(200.0)), "agitated_reactor")
    msg = str(e.value)
    assert "costs.toml" in msg and "HCl at 200 degC" in msg and "agitated_reactor" in msg


def test_a_wetted_vessel_costs_in_proportion_to_its_material():
    lib = cost_library()
    cool = lib.price("agitated_reactor", 5.0, 1, Service("HCl", c(60.0)))
    hot = lib.price("agitated_reactor", 5.0, 1, Service("HCl", c(110.0)))
    ratio = (
        lib.materials["fluoropolymer_lined_steel"].factor
        / lib.materials["rubber_lined_steel"].factor
    )
    assert float(hot.installed) == pytest.approx(float(cool.installed) * ratio)


def test_the_leach_reactor_follows_its_temperature(base):
    def leach_material(deg):
        p = with_values(base, {"leaching.temperature": deg + 273.15})
        frame = model.evaluate(p).economics.capex.equipment_frame()
        return frame.set_index("equipment").loc["leaching: agitated reactor", "material"]

    assert leach_material(110.0) == "fluoropolymer lined steel"
    assert leach_material(80.0) == "rubber lined steel"


@pytest.fixture(scope="module")
def routes(base):
    out = {}
    for route in services.ROUTES:
        p = with_values(base, {"services.effluent_route": route})
        out[route] = model.evaluate(p)
    return out


def test_zero_liquid_discharge_turns_the_effluent_into_salt(routes):
    d, z = routes["discharge"].flowsheet, routes["zld"].flowsheet
    assert float(d.discharges()["aqueous_effluent"]) > 0
    assert float(z.discharges()["aqueous_effluent"]) == 0
    assert float(z.discharges()["solid_residue"]) == pytest.approx(
        float(d.discharges()["solid_residue"]) + float(d.effluent_salts())
    )
    assert z.max_imbalance() < 1e-9  # the route changes where the effluent goes, not the balance


def test_zero_liquid_discharge_costs_capital_and_power(routes, base):
    d, z = routes["discharge"], routes["zld"]
    items = [line.item for line, _ in z.economics.capex.equipment]
    assert "zld_plant" in items and "zld_plant" not in [
        line.item for line, _ in d.economics.capex.equipment
    ]
    m3 = float(services.effluent_m3_per_s(z.flowsheet))
    extra = float(z.energy.electricity_W) - float(d.energy.electricity_W)
    assert extra == pytest.approx(m3 * base.services.zld_specific_energy, rel=1e-6)
    assert float(z.economics.capex.total) > float(d.economics.capex.total)
    assert float(z.economics.opex.lines["effluent treatment"]) == 0


def test_ammonium_in_the_effluent_is_held_to_the_limit(routes, base):
    r = routes["discharge"].flowsheet
    aqueous = r.registry.phase_masks["aqueous"]
    name = next(n for n in r.outputs if float(r.streams[n].mass_of(aqueous)) > 0)
    flows = np.array(r.streams[name].flows, dtype=float)
    flows[r.registry.index("NH4Cl(aq)")] += 1.0  # 1 mol/s of ammonium chloride into the effluent
    r2 = dataclasses.replace(r, streams={**r.streams, name: r.streams[name].with_flows(flows)})
    summary = services.effluent_summary(r2, base.services)
    expected = 0.0140067 / float(services.effluent_m3_per_s(r2)) * 1000.0
    assert float(summary["ammonia_nitrogen_mg_per_l"]) == pytest.approx(expected, rel=1e-4)
    assert not bool(summary["within_limits"])
    zld = dataclasses.replace(base.services, effluent_route="zld")
    assert bool(services.effluent_summary(r2, zld)["within_limits"])


@pytest.mark.parametrize("cls", sorted(AACE_CLASSES))
def test_accuracy_outside_its_class_is_refused(cls):
    (lo, _), (_, hi) = AACE_CLASSES[cls]
    sets = [f"economics.capex.estimate_class={cls}", f"economics.capex.accuracy_low={lo - 0.05}"]
    with pytest.raises(ParamError) as e:
        model.load_params(overrides=sets + [f"economics.capex.accuracy_high={hi}"])
    assert "accuracy_low" in str(e.value) and f"AACE class {cls}" in str(e.value)


def test_the_estimate_reports_its_class_and_range(base):
    from plant import report

    e = report.summary(model.evaluate(base))["economics"]
    low, high = e["capex_accuracy"]
    assert e["estimate_class"] == base.economics.capex.estimate_class
    assert e["capex_range_usd"][0] == pytest.approx(e["capex_usd"] + low * e["fixed_capital_usd"])
    assert e["capex_range_usd"][1] == pytest.approx(e["capex_usd"] + high * e["fixed_capital_usd"])
    assert sum(e["capex_by_area_usd"].values()) == pytest.approx(
        e["capex_build_up_usd"]["installed equipment"]
    )


@pytest.mark.parametrize("route", model.ROUTES)
def test_every_unit_stands_in_a_named_area(base, route):
    r = model.run(base, route)
    assert set(r.areas) == set(r.units) and "process" not in r.areas.values()


@pytest.mark.parametrize(
    "old, new, words",
    [
        ('media = ["alkaline", "water", "organic"]', 'media = ["alkali"]', ["media", "HCl"]),
        ('max_temperature = "82 degC"', 'max_temperature = "82"', ["max_temperature"]),
        ("\nwetted = true ", '\nwetted = "yes" ', ["wetted", "true or false"]),
    ],
)
def test_a_bad_materials_table_names_the_file_and_key(tmp_path, old, new, words):
    from plant.costing.equipment import COSTS_FILE, load_library

    text = COSTS_FILE.read_text()
    assert old in text
    bad = tmp_path / "costs.toml"
    bad.write_text(text.replace(old, new, 1))
    with pytest.raises(ParamError) as e:
        load_library(bad)
    assert str(bad) in str(e.value)
    for w in words:
        assert w in str(e.value)
