"""The energy layer: heat balances of the hot units, how their duties are met, electric drives, and
the plant's electricity, natural gas and CO2.

``evaluate(result, params)`` reads a FlowsheetResult (its units' streams, heating records and
equipment) and returns an :class:`EnergyResult`; the costing layer prices its electricity and gas.

Hot units are those with a ``heating`` record (:class:`plant.units.record.Heating`): continuous
(outlets at the unit's temperature), a batch furnace (reacts at the hold temperature, cools in the
furnace) or an oven (a charge heated and cooled again). Each kind of hot unit
(``UnitResult.kind``: roasting, leaching, ...) is heated as ``[energy.heating.<kind>]`` says: by a
natural-gas burner (:mod:`plant.energy.combustion`) or electrically. Heat a unit releases beyond its
needs (``surplus_W``) is reported, not recovered.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.energy.balance import HeatBalance, heat_and_cool_balance, unit_balance
from plant.energy.combustion import NORMAL_MOLAR_VOLUME, burner
from plant.energy.parameters import EnergyParams, HeatingParams
from plant.energy.power import drives
from plant.errors import ParamError
from plant.numerics import pick
from plant.units.equipment import PowerParams
from plant.uom import SECONDS_PER_YEAR

CO2_MOLAR_MASS = 0.0440095
"""kg/mol (IUPAC atomic weights, C 12.011 + 2 O 15.999)."""
J_PER_KWH = 3.6e6


@dataclass(frozen=True)
class HeatedUnit:
    """A hot unit's balance and how its duty is met: ``fuel_mol_per_s`` of natural gas or
    ``electric_W`` of heating power (the other is zero)."""

    kind: str
    method: str
    balance: HeatBalance
    fuel_mol_per_s: np.ndarray
    electric_W: np.ndarray


@dataclass(frozen=True)
class EnergyResult:
    """The plant's energy use at its operating rate [W, mol/s] and per year at full output.

    heated : unit name -> HeatedUnit; drives : (unit, drive) -> electric power [W]
    fuel_carbon : mol C per mol fuel; availability : operating fraction of the year
    reo_kg_per_yr : REO output, for the per-kg figures; grid_emission_factor [kg/J]
    power_rules : the rules the drives were computed by (``[energy.power]``)
    reagent_co2_kg_per_s : reagent -> greenhouse gas of making what the plant uses of it
        [kg CO2e/s at the operating rate] (cradle to gate, outside the plant)
    """

    heated: dict[str, HeatedUnit]
    drives: dict[tuple[str, str], np.ndarray]
    fuel_carbon: float
    lower_heating_value_J_per_mol: float
    availability: np.ndarray
    reo_kg_per_yr: np.ndarray
    grid_emission_factor: np.ndarray
    process_co2_kg_per_s: np.ndarray
    power_rules: PowerParams
    reagent_co2_kg_per_s: dict[str, np.ndarray]

    @property
    def electricity_W(self) -> np.ndarray:
        return sum(self.drives.values(), np.asarray(0.0)) + sum(
            (u.electric_W for u in self.heated.values()), np.asarray(0.0)
        )

    @property
    def fuel_mol_per_s(self) -> np.ndarray:
        return sum((u.fuel_mol_per_s for u in self.heated.values()), np.asarray(0.0))

    @property
    def natural_gas_Nm3_per_s(self) -> np.ndarray:
        """Natural gas at 0 degC and 101.325 kPa [m3/s]."""
        return self.fuel_mol_per_s * NORMAL_MOLAR_VOLUME

    def per_year(self, rate) -> np.ndarray:
        """An operating rate [x/s] as a yearly amount at full output [x/yr]."""
        return np.asarray(rate) * self.availability * SECONDS_PER_YEAR

    def supply_chain_co2(self) -> dict[str, np.ndarray]:
        """Greenhouse gas of making each reagent the plant uses [t CO2e/yr at full output]."""
        return {k: self.per_year(v) / 1000.0 for k, v in self.reagent_co2_kg_per_s.items()}

    @property
    def fuel_co2_kg_per_s(self) -> np.ndarray:
        return self.fuel_mol_per_s * self.fuel_carbon * CO2_MOLAR_MASS

    @property
    def grid_co2_kg_per_s(self) -> np.ndarray:
        return self.electricity_W * self.grid_emission_factor

    def summary(self) -> dict:
        """The ``energy`` keys of the JSON contract (and a few more)."""
        elec = self.per_year(self.electricity_W)
        fuel_co2, grid_co2 = self.per_year(self.fuel_co2_kg_per_s), elec * self.grid_emission_factor
        co2 = fuel_co2 + grid_co2
        supply_chain = sum(self.supply_chain_co2().values(), np.asarray(0.0))  # t/yr
        return {
            "electricity_kwh_per_yr": elec / J_PER_KWH,
            "natural_gas_nm3_per_yr": self.per_year(self.natural_gas_Nm3_per_s),
            "fuel_heat_gj_per_yr": self.per_year(self.fuel_mol_per_s)
            * self.lower_heating_value_J_per_mol
            / 1e9,
            "co2_t_per_yr": co2 / 1000.0,
            "co2_fuel_t_per_yr": fuel_co2 / 1000.0,
            "co2_grid_t_per_yr": grid_co2 / 1000.0,
            "co2_kg_per_kg_reo": co2 / self.reo_kg_per_yr,
            "co2_process_t_per_yr": self.per_year(self.process_co2_kg_per_s) / 1000.0,
            "co2_supply_chain_t_per_yr": supply_chain,
            "co2_with_supply_chain_kg_per_kg_reo": (co2 + supply_chain * 1000.0)
            / self.reo_kg_per_yr,
            "electricity_kwh_per_kg_reo": elec / J_PER_KWH / self.reo_kg_per_yr,
        }

    def frame(self, sample: int | None = None):
        """Energy table (pandas): one row per hot unit and per drive, kW and how it is met."""
        import pandas as pd

        rows = []
        for name, u in self.heated.items():
            b = u.balance
            rows.append(
                {
                    "unit": name,
                    "item": f"{u.kind} heat ({u.method})",
                    "temperature_K": pick(b.temperature_K, sample),
                    "enthalpy_in_kW": pick(b.enthalpy_in_W, sample) / 1e3,
                    "enthalpy_out_kW": pick(b.enthalpy_out_W, sample) / 1e3,
                    "wall_loss_kW": pick(b.wall_loss_W, sample) / 1e3,
                    "duty_kW": pick(b.duty_W, sample) / 1e3,
                    "surplus_kW": pick(b.surplus_W, sample) / 1e3,
                    "natural_gas_Nm3_per_h": pick(u.fuel_mol_per_s * NORMAL_MOLAR_VOLUME, sample)
                    * 3600.0,
                    "electricity_kW": pick(u.electric_W, sample) / 1e3,
                }
            )
        for (unit, drive), w in self.drives.items():
            rows.append({"unit": unit, "item": drive, "electricity_kW": pick(w, sample) / 1e3})
        return pd.DataFrame(rows)


def _heating(p: EnergyParams, kind: str) -> HeatingParams:
    try:
        return p.heating[kind]
    except KeyError:
        raise ParamError(
            p.where,
            f"energy.heating.{kind}",
            f"a table saying how the hot unit '{kind}' is heated "
            f"(method, flue_gas_temperature, air_preheat_temperature, wall_heat_transfer)",
            given_text="nothing",
        ) from None


def evaluate(result, p: EnergyParams) -> EnergyResult:
    """Energy balances, heating, drives and CO2 of FlowsheetResult ``result``."""
    reg = result.registry
    fuel = burner(reg, tuple(sorted(p.natural_gas.composition.items())))
    heated = {}
    for name, unit in result.units.items():
        if unit.heating is None:
            continue
        kind_p = _heating(p, unit.kind)
        if unit.heating.mode == "oven":
            balance = heat_and_cool_balance(name, unit.heating.charge, unit.heating.temperature_K)
        else:
            balance = unit_balance(name, unit, kind_p.wall_heat_transfer, p.ambient_temperature)
        zero = np.zeros_like(balance.duty_W)
        if kind_p.method == "electric":
            heated[name] = HeatedUnit(
                unit.kind, "electric", balance, zero, balance.duty_W / p.electric_heating_efficiency
            )
        else:
            mol = fuel.fuel_for(
                balance.duty_W,
                p.natural_gas.excess_air,
                kind_p.air_preheat_temperature,
                kind_p.flue_gas_temperature,
                f"{kind_p.where}: energy.heating.{unit.kind}",
            )
            heated[name] = HeatedUnit(unit.kind, "natural_gas", balance, mol, zero)
    return EnergyResult(
        heated,
        drives(result, p.power),
        fuel.carbon,
        fuel.lower_heating_value,
        np.asarray(result.availability),
        result.reo_t_per_yr() * 1000.0,
        np.asarray(p.grid_emission_factor),
        process_co2(result),
        p.power,
        {
            name: np.asarray(use) * np.asarray(p.reagent_emissions[name])
            for name, use in result.reagents().items()
            if name in p.reagent_emissions
        },
    )


def process_co2(result) -> np.ndarray:
    """CO2 [kg/s] the process itself releases: carbon leaving in the plant's gas outputs (CO counted
    as CO2)."""
    reg = result.registry
    carbon = reg.element_vector("C") * reg.phase_masks["gas"]
    return (
        sum((result.streams[n].flows @ carbon for n in result.outputs), np.asarray(0.0))
        * CO2_MOLAR_MASS
    )
