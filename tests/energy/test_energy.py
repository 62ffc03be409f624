"""Energy balances of the hot units, burners, electricity and CO2 on the base plant, and bad energy
input."""

import cantera as ct
import numpy as np
import pytest
from conftest import assert_param_error

from plant import model
from plant.energy import CO2_MOLAR_MASS, J_PER_KWH
from plant.energy import evaluate as evaluate_energy
from plant.energy.combustion import NORMAL_MOLAR_VOLUME, Burner
from plant.errors import InfeasibleError, ParamError
from plant.params import with_values
from plant.species import default_registry


@pytest.fixture(scope="module")
def ev(base):
    return model.evaluate(base)


def _cantera_enthalpy(stream) -> float:
    """Enthalpy flow [W] of a scalar stream, species by species from Cantera's thermo objects."""
    th = stream.registry.thermo
    T = float(stream.T)
    total = 0.0
    for i in np.flatnonzero(stream.flows):
        phase = next(ph for ph in th.phases[i] if ph.t_min <= T <= ph.t_max)
        total += stream.flows[i] * phase.thermo.h(T) / 1000.0
    return total


def test_energy_is_conserved_in_every_hot_unit(ev):
    # H_in + duty = H_out + wall loss + surplus, with the enthalpies recomputed from Cantera
    # directly
    assert len(ev.energy.heated) >= 6
    for name, hu in ev.energy.heated.items():
        unit, b = ev.flowsheet.units[name], hu.balance
        heat = unit.heating
        if heat.mode == "oven":
            h_in = _cantera_enthalpy(heat.charge)
            h_out = _cantera_enthalpy(
                heat.charge.with_flows(heat.charge.flows, T=float(heat.temperature_K))
            )
        elif heat.mode == "batch":  # batch furnace: outlets at the hold temperature
            T = float(heat.temperature_K)
            h_in = sum(_cantera_enthalpy(s) for s in unit.inlets.values())
            h_out = sum(
                _cantera_enthalpy(s.with_flows(s.flows, T=T)) for s in unit.outlets.values()
            )
        else:
            h_in = sum(_cantera_enthalpy(s) for s in unit.inlets.values())
            h_out = sum(_cantera_enthalpy(s) for s in unit.outlets.values())
        residual = h_in + float(b.duty_W) - h_out - float(b.wall_loss_W) - float(b.surplus_W)
        scale = max(abs(h_in), abs(h_out), 1.0)
        assert abs(residual) / scale < 1e-6, name
        assert float(b.duty_W) * float(b.surplus_W) == 0.0


def test_the_roaster_runs_autothermally_and_the_calciner_needs_heat(ev):
    roast = ev.energy.heated["roasting"].balance
    assert (
        float(roast.surplus_W) > 0 and float(roast.duty_W) == 0
    )  # oxidising the alloy releases ~7.5 MJ/kg
    assert float(ev.energy.heated["roasting"].fuel_mol_per_s) == 0
    calc = ev.energy.heated["calcination_NdPr"]
    assert float(calc.balance.duty_W) > 0
    assert float(calc.electric_W) == pytest.approx(float(calc.balance.duty_W) / 0.95)


def test_wall_loss_is_u_a_delta_t(base, ev):
    from plant.units.equipment import RotaryKiln, kiln_shell_area

    (kiln,) = [e for e in ev.flowsheet.units["roasting"].equipment if isinstance(e, RotaryKiln)]
    expected = 4.0 * kiln_shell_area(kiln.volume_m3) * (1073.15 - 298.15)
    assert float(ev.energy.heated["roasting"].balance.wall_loss_W) == pytest.approx(float(expected))


def test_methane_lower_heating_value_against_a_hand_calculation():
    # CH4 + 2 O2 -> CO2 + 2 H2O(g): 393.51 + 2 x 241.826 - 74.87 = 802.3 kJ/mol
    # (formation enthalpies, JANAF)
    b = Burner(default_registry(), (("CH4", 1.0),))
    assert float(b.available_heat(1.0, 298.15, 298.15)) == pytest.approx(802.3e3, rel=1e-3)
    # excess air leaves hot: less heat, the more the hotter the flue gas
    assert b.available_heat(1.5, 298.15, 1200.0) < b.available_heat(1.1, 298.15, 1200.0) < 802.3e3
    # preheated air brings its enthalpy back
    assert b.available_heat(1.1, 700.0, 1200.0) > b.available_heat(1.1, 298.15, 1200.0)


def test_burner_conserves_elements():
    reg = default_registry()
    b = Burner(reg, (("CH4", 0.9), ("C2H6", 0.05), ("C3H8", 0.02), ("N2", 0.03)))
    lam = 1.2
    ins = (b.fuel + lam * b.air) @ reg.element_matrix.T
    outs = (b.flue + (lam - 1) * b.air) @ reg.element_matrix.T
    np.testing.assert_allclose(ins, outs, atol=1e-12)


def test_complete_combustion_matches_cantera_equilibrium_below_1500_k():
    # the frozen flue gas against GRI-Mech 3.0 at equilibrium, methane with 10 % excess air,
    # flue at 1,200 K
    b = Burner(default_registry(), (("CH4", 1.0),))
    frozen = float(b.available_heat(1.1, 298.15, 1200.0))
    gas = ct.Solution("gri30.yaml")
    gas.TPX = 298.15, ct.one_atm, "CH4:1"
    fuel = ct.Quantity(gas, moles=1.0)
    air = ct.Solution("gri30.yaml")
    air.TPX = 298.15, ct.one_atm, {"O2": 0.21, "N2": 0.79}
    mix = fuel + ct.Quantity(air, moles=2.0 * 1.1 / 0.21)
    h_in = mix.enthalpy
    mix.TP = 1200.0, ct.one_atm
    mix.equilibrate("TP")
    equilibrium = (h_in - mix.enthalpy) / 1000.0  # J per mol of fuel (Cantera: J/kmol x kmol)
    assert frozen == pytest.approx(
        equilibrium, rel=2e-3
    )  # air composition (Ar) and data sets differ slightly


def test_fuel_and_co2_arithmetic(base, ev):
    e = ev.energy
    b = Burner(default_registry(), tuple(sorted(base.energy.natural_gas.composition.items())))
    for _name, hu in e.heated.items():
        if hu.method == "natural_gas":
            h = base.energy.heating[hu.kind]
            q = b.available_heat(
                base.energy.natural_gas.excess_air,
                h.air_preheat_temperature,
                h.flue_gas_temperature,
            )
            assert float(hu.fuel_mol_per_s) * float(q) == pytest.approx(float(hu.balance.duty_W))
    s = e.summary()
    year = float(base.plant.availability) * 365.25 * 86400
    assert s["natural_gas_nm3_per_yr"] == pytest.approx(
        float(e.fuel_mol_per_s) * NORMAL_MOLAR_VOLUME * year
    )
    assert s["co2_fuel_t_per_yr"] == pytest.approx(
        float(e.fuel_mol_per_s) * b.carbon * CO2_MOLAR_MASS * year / 1000
    )
    assert s["co2_grid_t_per_yr"] == pytest.approx(s["electricity_kwh_per_yr"] * 0.474 / 1000)
    assert ev.economics.opex.lines["electricity"] == pytest.approx(
        s["electricity_kwh_per_yr"] * J_PER_KWH * base.economics.utilities.electricity
    )


def test_reagent_co2_is_use_times_its_factor_and_moves_with_it(base, ev):
    """Embodied CO2 of the reagents, by hand: each reagent's yearly use (the same figures the OPEX
    prices) times its factor; doubling the NaOH factor moves only the NaOH line."""
    s = ev.energy.summary()
    year = float(base.plant.availability) * 365.25 * 86400
    use = ev.flowsheet.reagents()
    by = ev.energy.supply_chain_co2()
    for name, factor in base.energy.reagent_emissions.items():
        assert by[name] == pytest.approx(float(use[name]) * factor * year / 1000)
    assert s["co2_supply_chain_t_per_yr"] == pytest.approx(sum(by.values()))
    assert by["NaOH"] > 0 and by["HCl"] > 0 and by["oxalic_acid_dihydrate"] > 0
    total = s["co2_t_per_yr"] + s["co2_supply_chain_t_per_yr"]
    reo = float(ev.flowsheet.reo_t_per_yr()) * 1000
    assert s["co2_with_supply_chain_kg_per_kg_reo"] == pytest.approx(total * 1000 / reo)
    factor = base.energy.reagent_emissions["NaOH"]
    more = model.evaluate(with_values(base, {"energy.reagent_emissions.NaOH": 2 * factor}))
    m = more.energy.supply_chain_co2()
    assert m["NaOH"] == pytest.approx(2 * by["NaOH"]) and m["HCl"] == pytest.approx(by["HCl"])


def test_electric_or_gas_heating_moves_the_duty_between_utilities(base, ev):
    gas = with_values(base, {"energy.heating.calcination.method": "natural_gas"})
    e2 = evaluate_energy(ev.flowsheet, gas.energy)
    calciners = [n for n in e2.heated if n.startswith("calcination_")]
    assert len(calciners) == 3  # NdPr, Tb, Dy
    duty = sum(float(e2.heated[n].balance.duty_W) for n in calciners)
    assert float(e2.electricity_W) == pytest.approx(float(ev.energy.electricity_W) - duty / 0.95)
    assert float(e2.natural_gas_Nm3_per_s) > float(ev.energy.natural_gas_Nm3_per_s)


def test_flue_gas_hotter_than_the_flame_is_infeasible(base, ev):
    hot = with_values(base, {"energy.heating.leaching.flue_gas_temperature": 3000.0})
    with pytest.raises(InfeasibleError, match=r"energy.heating.leaching.*no heat"):
        evaluate_energy(ev.flowsheet, hot.energy)


@pytest.mark.parametrize(
    "override, words",
    [
        (
            "energy.heating.roasting.method=coal",
            ["energy.heating.roasting.method", "natural_gas", "coal"],
        ),
        (
            "energy.natural_gas.composition.CH4=0.5",
            ["energy.natural_gas.composition", "mole fractions summing to 1"],
        ),
        ("energy.natural_gas.excess_air=0.8", ["energy.natural_gas.excess_air", ">= 1"]),
        ("energy.grid_emission_factor=0.5 kg", ["energy.grid_emission_factor", "kg/kWh"]),
        (
            "energy.power.pump_efficiency=1.5",
            ["energy.power.pump_efficiency", "between 0.01 and 1"],
        ),
    ],
)
def test_bad_energy_input_is_a_clear_error(override, words):
    assert_param_error(override, words)


def test_a_hot_unit_without_heating_settings_is_a_clear_error(base, ev):
    import dataclasses

    heating = {k: v for k, v in base.energy.heating.items() if k != "leaching"}
    p = dataclasses.replace(base.energy, heating=heating)
    with pytest.raises(
        ParamError, match=r"energy.heating.leaching: expected a table saying how the hot unit"
    ):
        evaluate_energy(ev.flowsheet, p)
