"""Plant-wide services outside the units: reagent storage and effluent neutralisation.

Their equipment is typed like the units' (:mod:`plant.units.equipment`): the energy layer adds the
drives, the costing layer prices them. Each area ('storage', 'effluent') is listed like a unit.
"""

from __future__ import annotations

import numpy as np

from plant.reagents import REAGENTS
from plant.units.common import WATER_DENSITY
from plant.units.equipment import Agitator, Equipment, NeutralisationTank, StorageTank

EFFLUENT_HOLD_TIME = 8 * 3600.0
"""Residence time of the effluent neutralisation tank [s] [E]."""


def effluent_tank_volume(result) -> np.ndarray:
    """Volume [m3] of the effluent neutralisation tank of a FlowsheetResult."""
    return result.discharges()["aqueous_effluent"] / WATER_DENSITY * EFFLUENT_HOLD_TIME


def effluent(result) -> tuple[Equipment, ...]:
    """The neutralisation tank of the aqueous effluent and its agitator."""
    volume = effluent_tank_volume(result)
    return NeutralisationTank(volume), Agitator(volume)


def storage(result, storage_time) -> tuple[Equipment, ...]:
    """A tank for each reagent stored as a solution that the plant uses, holding ``storage_time``
    [s] of its use."""
    use = result.reagents()
    return tuple(
        StorageTank(use[name] * storage_time / (solution[0] * solution[1]), name)
        for name, r in REAGENTS.items()
        if (solution := r.solution) is not None and np.any(use[name] > 0)
    )


def services(result, storage_time) -> dict[str, tuple[Equipment, ...]]:
    """Area -> equipment of the plant-wide services."""
    return {"storage": storage(result, storage_time), "effluent": effluent(result)}
