"""Electric drives of the plant, from the units' design records: what each kind of equipment draws.

=====================  ===========================================  =====================================
design-record key      drive                                        power
=====================  ===========================================  =====================================
mill_power_W           mill                                         Bond's law (the unit computes it)
kiln/furnace_volume    kiln drive                                   kiln_drive x vessel volume
air_kg_per_s           process-air fan                              volume flow x pressure rise / efficiency
tank_volume_m3         agitators                                    agitation x working volume of all tanks
slurry_m3_per_s        transfer pump                                flow x density x g x head / efficiency
dry_solids_kg_per_s    filter press (feed pump, hydraulics)         filtration x dry solids
mixer_volume_m3        mixer-settler mixers                         mixing x mixer volume
drives_W               named drives (jet mill, press, grinders)     the unit's own specific energy
=====================  ===========================================  =====================================

plus the agitator of the plant's effluent neutralisation tank. Power correlations after Walas,
Chemical Process Equipment (1988), rules of thumb for mixing, pumps and fans; values in
``[energy.power]``.
"""

from __future__ import annotations

import numpy as np

from plant.energy.parameters import PowerParams
from plant.units.common import WATER_DENSITY

G = 9.80665
"""Standard gravity [m/s2]."""
AIR_NORMAL_DENSITY = 1.2922
"""Dry air at 0 degC and 101.325 kPa [kg/m3] (CRC Handbook, 'Properties of air')."""
EFFLUENT_HOLD_TIME = 8 * 3600.0
"""Residence time of the effluent neutralisation tank [s] [E]."""


def pump_power(volume_flow_m3_per_s, p: PowerParams) -> np.ndarray:
    """Electric power [W] to move a slurry flow [m3/s] through the pump head."""
    return np.asarray(volume_flow_m3_per_s) * p.slurry_density * G * p.pump_head / p.pump_efficiency


def fan_power(air_kg_per_s, p: PowerParams) -> np.ndarray:
    """Electric power [W] of a fan moving air [kg/s] (normal volume) through its pressure rise."""
    return np.asarray(air_kg_per_s) / AIR_NORMAL_DENSITY * p.fan_pressure_rise / p.fan_efficiency


def effluent_tank_volume(result) -> np.ndarray:
    """Volume [m3] of the effluent neutralisation tank of a FlowsheetResult."""
    return result.discharges()["aqueous_effluent"] / WATER_DENSITY * EFFLUENT_HOLD_TIME


def drives(result, p: PowerParams) -> dict[tuple[str, str], np.ndarray]:
    """(unit, drive) -> electric power [W] at the operating rate; unit '' for plant-wide services."""
    out: dict[tuple[str, str], np.ndarray] = {}
    for name, unit in result.units.items():
        d = unit.design
        if "mill_power_W" in d:
            out[name, "mill"] = np.asarray(d["mill_power_W"])
        for key in ("kiln_volume_m3", "furnace_volume_m3"):
            if key in d:
                out[name, "kiln drive"] = np.asarray(d[key]) * p.kiln_drive
        if "air_kg_per_s" in d:
            out[name, "process-air fan"] = fan_power(d["air_kg_per_s"], p)
        if "tank_volume_m3" in d:
            out[name, "agitators"] = np.asarray(d["tank_volume_m3"]) * d["tanks"] * p.agitation
            out[name, "transfer pump"] = pump_power(d["slurry_m3_per_s"], p)
        if "filter_area_m2" in d:
            out[name, "filter press"] = np.asarray(d["dry_solids_kg_per_s"]) * p.filtration
        if "mixer_volume_m3" in d:
            out[name, "mixers"] = np.asarray(d["mixer_volume_m3"]) * p.mixing
        for drive, w in d.get("drives_W", {}).items():
            out[name, drive] = np.asarray(w)
    out["effluent", "agitator"] = effluent_tank_volume(result) * p.agitation
    return out
