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
screen_kg_per_s                          vibrating screen (coating removal)    screen
hydrogen_furnace_charge_kg               hydrogen (HD) furnace, by charge      hydrogen_furnace
jet_mill_kg_per_s                        jet mill, by feed rate                jet_mill
press_kg_per_s                           magnetic-field presses, by feed rate  press
vacuum_furnace_charge_kg                 vacuum furnace, by charge             vacuum_furnace
machining_kg_per_s                       saws and grinders, by feed rate       machining
=======================================  ====================================  ===============

plus plant-wide reagent storage (acid, caustic) and effluent neutralisation.
Sizes are per unit in SI; ``power_W`` is the electric power drawn by the line, from the energy
layer's drives (:mod:`plant.energy.power`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.energy.balance import kiln_shell_area
from plant.energy.power import AIR_NORMAL_DENSITY, effluent_tank_volume

OPERATOR_GROUPS = (
    "mill",
    "kiln",
    "calciner",
    "scrubber",
    "tanks",
    "filter",
    "sx_circuit",
    "storage",
    "effluent",
    "screen",
    "hydrogen_furnace",
    "jet_mill",
    "press",
    "vacuum_furnace",
    "machining",
)
"""Groups of equipment that operators are counted for (LabourParams.operators)."""

STORED_REAGENTS = {"HCl": (0.32, 1159.0), "H2SO4": (0.93, 1830.0), "NaOH": (0.50, 1525.0)}
"""Reagents stored as solutions: mass fraction [-] and density [kg/m3] of the commercial solution
(32 % HCl, 93 % H2SO4, 50 % NaOH; densities from the CRC Handbook concentrative-properties tables) [S]."""


MAGNET_LINE = {
    "screen_kg_per_s": ("vibrating screen", "vibrating_screen", None, "screen"),
    "hydrogen_furnace_charge_kg": (
        "hydrogen furnace",
        "hydrogen_furnace",
        None,
        "hydrogen_furnace",
    ),
    "jet_mill_kg_per_s": ("jet mill", "jet_mill", "jet mill", "jet_mill"),
    "press_kg_per_s": ("magnetic-field presses", "magnet_press", "press", "press"),
    "vacuum_furnace_charge_kg": ("vacuum furnace", "vacuum_furnace", None, "vacuum_furnace"),
    "machining_kg_per_s": ("saws and grinders", "machining_line", "grinders", "machining"),
}
"""Short-loop equipment: design key -> (tag, cost-library item, drive in the energy layer, operator group);
the furnaces' heating is electric power of the energy layer's heat balances, not a drive."""


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


def equipment_list(result, energy, storage_time: float) -> list[EquipmentLine]:
    """Equipment of a FlowsheetResult; ``energy`` (an EnergyResult) gives each drive's power.

    storage_time : time of reagent use held in storage [s]
    """
    zero = np.asarray(0.0)
    lines: list[EquipmentLine] = []
    add = lambda *a: lines.append(EquipmentLine(*a))
    power = lambda unit, drive: energy.drives.get((unit, drive), zero)
    for name, unit in result.units.items():
        d = unit.design
        if "mill_power_W" in d:
            add(
                f"{name}: mill",
                name,
                "ball_mill",
                d["mill_power_W"],
                1,
                power(name, "mill"),
                "mill",
            )
        if "kiln_volume_m3" in d:
            add(
                f"{name}: rotary kiln",
                name,
                "rotary_kiln",
                kiln_shell_area(d["kiln_volume_m3"]),
                1,
                power(name, "kiln drive"),
                "kiln",
            )
        if "furnace_volume_m3" in d:
            add(
                f"{name}: rotary calciner",
                name,
                "rotary_kiln",
                kiln_shell_area(d["furnace_volume_m3"]),
                1,
                power(name, "kiln drive"),
                "calciner",
            )
        if "air_kg_per_s" in d:
            add(
                f"{name}: off-gas scrubber and fan",
                name,
                "gas_scrubber",
                np.asarray(d["air_kg_per_s"]) / AIR_NORMAL_DENSITY,
                1,
                power(name, "process-air fan"),
                "scrubber",
            )
        if "tank_volume_m3" in d:
            add(
                f"{name}: agitated reactor",
                name,
                "agitated_reactor",
                d["tank_volume_m3"],
                d["tanks"],
                power(name, "agitators"),
                "tanks",
            )
            pump = power(name, "transfer pump")
            add(f"{name}: transfer pump (1 + 1 spare)", name, "pump", pump, 2, pump, None)
        if "filter_area_m2" in d:
            add(
                f"{name}: filter press",
                name,
                "filter_press",
                d["filter_area_m2"],
                1,
                power(name, "filter press"),
                "filter",
            )
        if "settler_volume_m3" in d:
            stages = d["stages"]
            volume = (
                np.asarray(d["mixer_volume_m3"]) + np.asarray(d["settler_volume_m3"])
            ) / stages
            add(
                f"{name}: mixer-settler",
                name,
                "mixer_settler",
                volume,
                stages,
                power(name, "mixers"),
                "sx_circuit",
            )
            add(
                f"{name}: organic tank",
                name,
                "steel_tank",
                d["organic_inventory_m3"],
                1,
                zero,
                None,
            )
        for key, (what, item, drive, group) in MAGNET_LINE.items():
            if key in d:
                add(
                    f"{name}: {what}",
                    name,
                    item,
                    d[key],
                    1,
                    power(name, drive) if drive else zero,
                    group,
                )
    use = result.reagents()
    for reagent, (w, rho) in STORED_REAGENTS.items():
        if np.any(use[reagent] > 0):
            add(
                f"storage: {reagent} tank",
                "",
                "plastic_tank",
                use[reagent] * storage_time / (w * rho),
                1,
                zero,
                "storage",
            )
    add(
        "effluent: neutralisation tank",
        "",
        "plastic_tank",
        effluent_tank_volume(result),
        1,
        zero,
        "effluent",
    )
    agitator = power("effluent", "agitator")
    add("effluent: agitator", "", "agitator", agitator, 1, agitator, None)
    return lines
