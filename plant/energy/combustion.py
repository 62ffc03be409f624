"""Natural-gas burners: heat available per mol of fuel, fuel use and CO2.

Complete combustion with excess air: the fuel's C, H and S go to CO2, H2O and SO2, its N2 and the
air's N2 and Ar pass through, the excess O2 leaves unburnt. The heat available to the process is the
enthalpy of fuel (298.15 K) and air (at its preheat temperature) less that of the flue gas leaving
at the flue-gas temperature (Cantera species data, :mod:`plant.thermo`); it is linear in the excess
air, so one evaluation serves any excess air. Dissociation is neglected: at flue-gas temperatures
below 1,500 K it changes the available heat by less than 0.1 % (checked against Cantera's
equilibrium in the tests).
"""

from __future__ import annotations

import functools

import numpy as np

from plant.errors import InfeasibleError
from plant.species import Registry
from plant.stream import T_REF
from plant.thermo import stoichiometric_oxygen
from plant.units.common import air

NORMAL_MOLAR_VOLUME = 8.314462618 * 273.15 / 101325.0
"""Volume of one mol of ideal gas at 0 degC and 101.325 kPa, the normal cubic metre basis
[m3/mol]."""


class Burner:
    """Per mol of fuel of ``composition`` (gas species -> mole fraction): flows (n_species,) of the
    fuel, of stoichiometric air and of the flue gas of stoichiometric combustion [mol/mol]."""

    def __init__(self, registry: Registry, composition: tuple[tuple[str, float], ...]):
        reg = registry
        self.registry = reg
        self.fuel = np.zeros(reg.n)
        for name, x in composition:
            self.fuel[reg.index(name)] = x
        el = {
            e: float(self.fuel @ reg.element_vector(e)) if e in reg.elements else 0.0
            for e in ("C", "H", "S", "O")
        }
        o2 = stoichiometric_oxygen(el)
        self.air = air(o2, reg)
        burnt = reg.element_matrix[[reg.element_index(e) for e in ("C", "H")]].sum(axis=0) > 0
        flue = self.air + self.fuel * ~burnt  # N2, Ar (and any O2) of the fuel pass through
        flue[reg.index("O2")] = 0.0  # stoichiometric: all O2 is used
        flue[reg.index("CO2")] += el["C"]
        flue[reg.index("H2O(g)")] += 0.5 * el["H"]
        if el["S"]:
            flue[reg.index("SO2")] += el["S"]
        self.flue = flue
        self.carbon = el["C"]
        self.lower_heating_value = float(self.available_heat(1.0, T_REF, T_REF))
        """Heat of combustion with the water as vapour, at 298.15 K [J/mol of fuel]."""

    def available_heat(self, excess_air, air_temperature, flue_gas_temperature) -> np.ndarray:
        """Heat delivered to the process per mol of fuel [J/mol] (scalars or (N,) arrays)."""
        h = lambda T: self.registry.thermo.enthalpy_known(T)[0]
        lam = np.asarray(excess_air, dtype=float)
        h_flue = h(flue_gas_temperature)
        return (
            self.fuel @ h(T_REF)
            + lam * (h(air_temperature) @ self.air)
            - h_flue @ self.flue
            - (lam - 1.0) * (h_flue @ self.air)
        )

    def fuel_for(
        self, duty_W, excess_air, air_temperature, flue_gas_temperature, where: str
    ) -> np.ndarray:
        """Fuel [mol/s] to deliver ``duty_W``; InfeasibleError where the flue gas carries away all
        the heat."""
        q = self.available_heat(excess_air, air_temperature, flue_gas_temperature)
        if np.any(q <= 0):
            raise InfeasibleError(
                f"{where}: the flue gas at {float(np.max(flue_gas_temperature)):.0f} K leaves "
                f"hotter than the flame: the burner delivers no heat; lower flue_gas_temperature "
                f"or raise air_preheat_temperature"
            )
        return np.asarray(duty_W) / q


@functools.lru_cache(maxsize=16)
def burner(registry: Registry, composition: tuple[tuple[str, float], ...]) -> Burner:
    """The burner of a fuel (built once per registry and composition)."""
    return Burner(registry, composition)
