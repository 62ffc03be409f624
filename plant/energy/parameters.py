"""Parameters of the energy layer: heating of the hot units, fuel, drive power, emission factors."""

from __future__ import annotations

from dataclasses import dataclass

from plant import params as P
from plant.reagents import PRICED_PER_KG
from plant.units.equipment import PowerParams

HEATING_METHODS = ("natural_gas", "electric")


@dataclass(frozen=True)
class HeatingParams:
    """How one kind of hot unit is heated, and what its walls lose.

    method : 'natural_gas' (a burner; the flue gas leaves at ``flue_gas_temperature``) or 'electric'
    flue_gas_temperature : temperature at which the burner's flue gas leaves the unit or its
        boiler [K]
    air_preheat_temperature : combustion air temperature at the burner [K]
    wall_heat_transfer : overall heat-loss coefficient of the walls to ambient air [W/(m2 K)]
    """

    method: str = P.choice("method", HEATING_METHODS)
    flue_gas_temperature: float = P.quantity("flue_gas_temperature", "K", positive=True)
    air_preheat_temperature: float = P.quantity("air_preheat_temperature", "K", positive=True)
    wall_heat_transfer: float = P.quantity("wall_heat_transfer", "W/m^2/K", lo=0.0)
    where: str = P.where_field()


@dataclass(frozen=True)
class NaturalGasParams:
    """The burners' fuel.

    composition : mole fractions of gas species, summing to 1
    excess_air : combustion air / stoichiometric air [-], >= 1
    """

    composition: dict = P.composition("composition", "gas", basis="mole")
    excess_air: float = P.number("excess_air", lo=1.0)
    where: str = P.where_field()


@dataclass(frozen=True)
class EnergyParams:
    """Energy balances, utilities and emissions.

    ambient_temperature : air around the plant, for wall losses [K]
    electric_heating_efficiency : heat delivered / electricity drawn by electric heaters [-]
    grid_emission_factor : CO2 of grid electricity [kg/J] (TOML in kg/kWh)
    natural_gas : the burners' fuel
    heating : per kind of hot unit (feed_preparation, roasting, leaching, ...), how it is heated
    power : drive power of the equipment
    reagent_emissions : reagent (:data:`plant.reagents.REAGENTS`) -> cradle-to-gate greenhouse gas
        of making it [kg CO2e per kg of 100 % reagent]
    """

    ambient_temperature: float = P.quantity("ambient_temperature", "K", positive=True)
    electric_heating_efficiency: float = P.quantity(
        "electric_heating_efficiency", "", lo=0.01, hi=1.0
    )
    grid_emission_factor: float = P.quantity("grid_emission_factor", "kg/J", lo=0.0)
    natural_gas: NaturalGasParams = P.section("natural_gas", NaturalGasParams)
    heating: dict = P.mapping("heating", HeatingParams)
    power: PowerParams = P.section("power", PowerParams)
    reagent_emissions: dict = P.table(
        "reagent_emissions",
        PRICED_PER_KG,
        hi=1000.0,
        doc="cradle-to-gate greenhouse gas of each reagent, kg CO2e per kg of 100 % reagent",
    )
    where: str = P.where_field()
