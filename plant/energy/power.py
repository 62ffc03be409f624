"""Electric drives of the plant: the drives of every unit's equipment and of the plant-wide
services.

Each kind of equipment says what it draws (:meth:`plant.units.equipment.Equipment.drives`, after the
power rules of Walas, Chemical Process Equipment (1988), in ``[energy.power]``): mills by Bond's
law, kiln drives by volume, fans by air flow and pressure rise, agitators and mixers by volume,
pumps by flow and head, filter presses by dry solids, the short loop's machines by their specific
energy.
"""

from __future__ import annotations

import numpy as np

from plant.units.equipment import PowerParams


def drives(result, rules: PowerParams) -> dict[tuple[str, str], np.ndarray]:
    """(unit, drive) -> electric power [W] at the operating rate; the services under their area
    ('storage', 'effluent')."""
    out: dict[tuple[str, str], np.ndarray] = {}
    owners = {name: unit.equipment for name, unit in result.units.items()}
    owners.update(result.services)
    for name, equipment in owners.items():
        for item in equipment:
            for drive, watts in item.drives(rules).items():
                key = (name, drive)
                out[key] = out[key] + watts if key in out else np.asarray(watts)
    return out
