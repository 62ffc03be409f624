"""The plant's equipment list, read from the units' design records.

Costing recognises equipment by design-record keys, not by unit names, so a
new unit is priced as soon as its record carries these keys:

=======================================  ====================================  ===============
design-record keys                       equipment (cost-library item)         operator group
=======================================  ====================================  ===============
mill_power_W                             mill (ball_mill), by motor power      mill
kiln_volume_m3                           roaster (rotary_kiln), by shell area  kiln
furnace_volume_m3                        calciner (rotary_kiln), by shell area calciner
air_kg_per_s                             off-gas scrubber, by gas flow         scrubber
tank_volume_m3, tanks, slurry_m3_per_s   agitated reactors; transfer pumps     tanks
filter_area_m2                           filter press                          filter
stages, mixer_volume_m3, ...             mixer-settlers; organic tank          sx_circuit
=======================================  ====================================  ===============

plus plant-wide reagent storage (acid, caustic) and effluent neutralisation.
Sizes are per unit in SI; ``power_W`` is the electric power drawn by the line.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.units.common import WATER_DENSITY

OPERATOR_GROUPS = ("mill", "kiln", "calciner", "scrubber", "tanks", "filter", "sx_circuit", "storage", "effluent")
"""Groups of equipment that operators are counted for (LabourParams.operators)."""

KILN_LENGTH_TO_DIAMETER = 12.0
"""Rotary kiln and calciner length / diameter [-] [E] (rotary kilns run at L/D of about 10-20)."""
AIR_NORMAL_DENSITY = 1.2922
"""Dry air at 0 degC and 101.325 kPa [kg/m3] (CRC Handbook, 'Properties of air')."""
PUMP_HEAD = 30.0
"""Transfer-pump head [m] [E]."""
PUMP_EFFICIENCY = 0.6
"""Pump and motor efficiency [-] [E]."""
SLURRY_DENSITY = 1200.0
"""Slurry density for pump power [kg/m3] [E]."""
EFFLUENT_HOLD_TIME = 8 * 3600.0
"""Residence time of the effluent neutralisation tank [s] [E]."""
STORED_REAGENTS = {"HCl": (0.32, 1159.0), "H2SO4": (0.93, 1830.0), "NaOH": (0.50, 1525.0)}
"""Reagents stored as solutions: mass fraction [-] and density [kg/m3] of the commercial solution
(32 % HCl, 93 % H2SO4, 50 % NaOH; densities from the CRC Handbook concentrative-properties tables) [S]."""
G = 9.80665


@dataclass(frozen=True)
class EquipmentLine:
    """One line of the equipment list.

    tag : what it is and where ('leaching: agitated reactor'); unit : the unit it serves ('' plant-wide)
    item : cost-library item; size : size of each unit [SI of the item]; count : units
    power_W : electric power drawn by the line when running [W]; group : operator group or None
    """

    tag: str
    unit: str
    item: str
    size: np.ndarray
    count: object
    power_W: np.ndarray
    group: str | None


def kiln_shell_area(volume_m3) -> np.ndarray:
    """Shell area pi D L [m2] of a rotary kiln of ``volume_m3`` at KILN_LENGTH_TO_DIAMETER."""
    d = (4.0 * np.asarray(volume_m3) / (np.pi * KILN_LENGTH_TO_DIAMETER)) ** (1.0 / 3.0)
    return np.pi * KILN_LENGTH_TO_DIAMETER * d * d


def pump_power(volume_flow_m3_per_s) -> np.ndarray:
    """Shaft power [W] to move a slurry flow [m3/s] through PUMP_HEAD."""
    return np.asarray(volume_flow_m3_per_s) * SLURRY_DENSITY * G * PUMP_HEAD / PUMP_EFFICIENCY


def equipment_list(result, agitator_power: float, storage_time: float) -> list[EquipmentLine]:
    """Equipment of a FlowsheetResult.

    agitator_power : agitation power per m3 of reactor and mixer [W/m3]
    storage_time : time of reagent use held in storage [s]
    """
    zero = np.asarray(0.0)
    lines: list[EquipmentLine] = []
    add = lambda *a: lines.append(EquipmentLine(*a))
    for name, unit in result.units.items():
        d = unit.design
        if "mill_power_W" in d:
            add(f"{name}: mill", name, "ball_mill", d["mill_power_W"], 1, np.asarray(d["mill_power_W"]), "mill")
        if "kiln_volume_m3" in d:
            add(f"{name}: rotary kiln", name, "rotary_kiln", kiln_shell_area(d["kiln_volume_m3"]), 1, zero, "kiln")
        if "furnace_volume_m3" in d:
            add(f"{name}: rotary calciner", name, "rotary_kiln", kiln_shell_area(d["furnace_volume_m3"]), 1, zero,
                "calciner")
        if "air_kg_per_s" in d:
            add(f"{name}: off-gas scrubber", name, "gas_scrubber", np.asarray(d["air_kg_per_s"]) / AIR_NORMAL_DENSITY,
                1, zero, "scrubber")
        if "tank_volume_m3" in d:
            volume, tanks = np.asarray(d["tank_volume_m3"]), d["tanks"]
            add(f"{name}: agitated reactor", name, "agitated_reactor", volume, tanks,
                agitator_power * volume * tanks, "tanks")
            power = pump_power(d["slurry_m3_per_s"])
            add(f"{name}: transfer pump (1 + 1 spare)", name, "pump", power, 2, power, None)
        if "filter_area_m2" in d:
            add(f"{name}: filter press", name, "filter_press", d["filter_area_m2"], 1, zero, "filter")
        if "settler_volume_m3" in d:
            stages = d["stages"]
            volume = (np.asarray(d["mixer_volume_m3"]) + np.asarray(d["settler_volume_m3"])) / stages
            add(f"{name}: mixer-settler", name, "mixer_settler", volume, stages,
                agitator_power * np.asarray(d["mixer_volume_m3"]), "sx_circuit")
            add(f"{name}: organic tank", name, "steel_tank", d["organic_inventory_m3"], 1, zero, None)
    use = result.reagents()
    for reagent, (w, rho) in STORED_REAGENTS.items():
        if np.any(use[reagent] > 0):
            add(f"storage: {reagent} tank", "", "plastic_tank", use[reagent] * storage_time / (w * rho), 1, zero,
                "storage")
    effluent = result.discharges()["aqueous_effluent"] / WATER_DENSITY
    volume = effluent * EFFLUENT_HOLD_TIME
    add("effluent: neutralisation tank", "", "plastic_tank", volume, 1, zero, "effluent")
    add("effluent: agitator", "", "agitator", agitator_power * volume, 1, agitator_power * volume, None)
    return lines
