"""Unit results against hand calculations and published figures."""

import numpy as np
import pytest

from plant.errors import InfeasibleError
from plant.params import with_values
from plant.stream import Stream
from plant.units import (
    calcination,
    feed_preparation,
    impurity_removal,
    leaching,
    oxalate_precipitation,
    roasting,
    solid_liquid,
)
from plant.units.common import liquor_volume_flow

# IUPAC atomic weights [g/mol]
ND, FE, B, O, H, CL, C = 144.242, 55.845, 10.81, 15.999, 1.008, 35.45, 12.011
HCL = H + CL


def full(p, table, value=1.0):
    return with_values(p, {f"{table}.{e}": value for e in getattr(p, table)})


@pytest.mark.parametrize("solid, nd_per_mol", [("Nd", 1), ("Nd2O3", 2)])
def test_acid_per_kg_nd_dissolved(base, solid, nd_per_mol):
    # Nd + 3 HCl -> NdCl3 + 1.5 H2 ; Nd2O3 + 6 HCl -> 2 NdCl3 + 3 H2O:
    # 3 mol HCl per mol Nd either way
    p = full(full(base.leaching, "dissolution_metal"), "dissolution_oxide")
    r = leaching.run(Stream.from_moles({solid: 1.0 / nd_per_mol}), p)
    kg_hcl_per_kg_nd = r.performance["acid_consumed_kg_per_s"] / (ND / 1000)
    assert kg_hcl_per_kg_nd == pytest.approx(3 * HCL / ND, rel=1e-4)  # 0.758 kg HCl / kg Nd
    assert r.reagents["HCl"] == pytest.approx(1.2 * r.performance["acid_consumed_kg_per_s"])


def test_nd_oxide_to_oxalate_mass_ratio_against_ree_data(base):
    # Nd2(C2O4)3.10H2O -> Nd2O3: oxide/oxalate mass 0.459 (shared/reference/ree-data.md sec. 2, [D])
    cake = Stream.from_moles({"Nd2(C2O4)3:10H2O": 1.0})
    r = calcination.run(cake, base.calcination)
    assert r.outlets["product"].mass_flow / cake.mass_flow == pytest.approx(0.459, abs=5e-4)
    # 3 CO + 3 CO2 per oxalate, all CO burnt with co_burnout = 1
    assert r.outlets["offgas"]["CO2"] == pytest.approx(6.0)
    assert r.outlets["offgas"]["CO"] == pytest.approx(0.0)


def test_roasting_o2_demand_of_nd2fe14b(base):
    # Nd2Fe14B + 12.75 O2 -> Nd2O3 + 7 Fe2O3 + 0.5 B2O3: 0.38 kg O2/kg (ree-data sec. 5, [D])
    p = with_values(base.roasting, {"conversion": 1.0})
    r = roasting.run(Stream.from_moles({"Nd": 2.0, "Fe": 14.0, "B": 1.0}), p)
    assert r.performance["o2_demand_mol_per_s"] == pytest.approx(12.75)
    alloy = 2 * ND + 14 * FE + B
    assert r.performance["o2_demand_mol_per_s"] * 2 * O / alloy == pytest.approx(0.377, abs=1e-3)
    offgas = r.outlets["offgas"]
    assert offgas["O2"] == pytest.approx(12.75 * (base.roasting.excess_air - 1))
    assert offgas["N2"] / (12.75 * base.roasting.excess_air) == pytest.approx(0.78084 / 0.209476)


def test_oxalic_dose_per_kg_nd2o3(base):
    # stoichiometric: 3 mol H2C2O4.2H2O (126.07 g/mol) per mol Nd2O3 (336.48 g/mol) -> 1.12 kg/kg
    # (ree-data sec. 2)
    p = with_values(base.oxalate_precipitation, {"oxalic_excess": 1.0})
    liquor = Stream.from_moles({"NdCl3(aq)": 2.0, "H2O(l)": 1000.0})
    r = oxalate_precipitation.run(liquor, p, "HCl")
    assert r.reagents["oxalic_acid_dihydrate"] / (2 * ND + 3 * O) * 1000 == pytest.approx(
        1.124, abs=2e-3
    )


def test_oxalate_recovery_follows_klemettinen_2023(base):
    # Klemettinen et al. 2023, Minerals 13(7): 1.0x -> 93 %, 1.2x -> 96.7 %, 1.4x -> 98.1 % RE
    # precipitated
    liquor = Stream.from_moles({"NdCl3(aq)": 1.0, "DyCl3(aq)": 0.1, "H2O(l)": 1000.0})
    for excess, expected in [(1.0, 0.93), (1.2, 0.967), (1.4, 0.981), (1.1, 0.9485)]:
        p = with_values(base.oxalate_precipitation, {"oxalic_excess": excess})
        r = oxalate_precipitation.run(liquor, p, "HCl")
        solid = r.outlets["slurry"]["Nd2(C2O4)3:10H2O"] * 2
        assert solid == pytest.approx(expected, rel=1e-9)


def test_bond_law_worked_example():
    # W = Wi (10/sqrt(P80) - 10/sqrt(F80)), Wi = 15 kWh/t, F80 = 10,000 um, P80 = 500 um
    # -> 5.208 kWh/t
    w = feed_preparation.bond_specific_energy(15 * 3600, 0.010, 0.0005)  # J/kg
    assert w / 3600 == pytest.approx(15 * (10 / 500**0.5 - 10 / 10000**0.5), rel=1e-12)
    assert w / 3600 == pytest.approx(5.208, abs=1e-3)


def test_iron_residual_meets_the_solubility_product(base):
    # [Fe3+] = Ksp / [OH-]^3 = 2.79e-39 / (1e-10)^3 = 2.79e-9 mol/L at pH 4
    p = with_values(base.impurity_removal, {"target_pH": 4.0})
    liquor = Stream.from_moles(
        {"FeCl3(aq)": 1.0, "NdCl3(aq)": 1.0, "HCl(aq)": 5.0, "H2O(l)": 5000.0}
    )
    r = impurity_removal.run(liquor, p, "HCl")
    volume_L = liquor_volume_flow(liquor, p.liquor_density) * 1e3
    fe_left = r.outlets["slurry"]["FeCl3(aq)"]
    assert fe_left / volume_L == pytest.approx(2.79e-9, rel=1e-9)
    # neutralised to pH 4: 1e-4 mol/L of HCl left
    assert r.outlets["slurry"]["HCl(aq)"] / volume_L == pytest.approx(1e-4, rel=1e-9)
    # rare-earth loss as set
    assert r.outlets["slurry"]["Nd(OH)3"] == pytest.approx(base.impurity_removal.rare_earth_loss)


def test_choudhury_dahlstrom_wash(base):
    # remaining solute fraction in the cake = entrained fraction x (1 - E)^n
    p = with_values(
        base.leach_filter, {"cake_moisture": 0.25, "wash_ratio": 2.0, "wash_efficiency": 0.6}
    )
    slurry = Stream.from_masses({"Fe2O3": 3.0, "NdCl3(aq)": 1.0, "H2O(l)": 9.0})
    r = solid_liquid.run(slurry, p)
    entrained = 3.0 * 0.25 / 0.75 / 10.0  # cake liquor 1 kg of 10 kg liquor
    assert r.performance["soluble_loss_fraction"] == pytest.approx(entrained * 0.4**2)
    cake = r.outlets["cake"]
    liquid = cake.mass_flow - cake.mass_of(cake.registry.phase_masks["solid"])
    assert liquid / cake.mass_flow == pytest.approx(0.25)
    assert r.reagents["water"] == pytest.approx(2.0)


def test_leaching_with_too_little_liquid_is_a_clear_error(base):
    p = with_values(base.leaching, {"liquid_to_solid": 1e-4})
    with pytest.raises(
        InfeasibleError,
        match="leaching: liquid_to_solid is too low.*raise leaching.liquid_to_solid",
    ):
        leaching.run(Stream.from_masses({"Nd2O3": 1.0, "Fe2O3": 2.0}), p)


def test_cake_moisture_beyond_the_liquid_available_is_a_clear_error(base):
    p = with_values(base.leach_filter, {"cake_moisture": 0.9})
    with pytest.raises(
        InfeasibleError,
        match="leach_filter: not enough liquid for the cake.*lower leach_filter.cake_moisture",
    ):
        solid_liquid.run(Stream.from_masses({"Fe2O3": 1.0, "H2O(l)": 1.0}), p)


def test_batch_errors_say_how_many_samples_fail(base):
    p = with_values(base.leach_filter, {"cake_moisture": np.array([0.2, 0.9, 0.9])})
    with pytest.raises(InfeasibleError, match="in 2 of 3 samples"):
        solid_liquid.run(Stream.from_masses({"Fe2O3": 1.0, "H2O(l)": 1.0}), p)
