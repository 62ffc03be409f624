"""The plant's equipment list: every unit's typed equipment (:mod:`plant.units.equipment`) and the
plant-wide services (:mod:`plant.flowsheets.services`), each with the electric power it draws.

Each kind of equipment names its cost-library item, its size in SI and its operator group, so a new
unit is priced as soon as it returns its equipment; nothing here knows a unit by name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.flowsheets.services import services
from plant.units.equipment import Equipment, PowerParams, operator_groups

OPERATOR_GROUPS = operator_groups()
"""Groups of equipment that operators are counted for (LabourParams.operators)."""


@dataclass(frozen=True)
class EquipmentLine:
    """One line of the equipment list.

    tag : what it is and where ('leaching: agitated reactor');
    unit : the unit it serves ('' plant-wide)
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


def line(owner: str, unit: str, equipment: Equipment, rules: PowerParams) -> EquipmentLine:
    """The equipment-list line of ``equipment`` of ``owner`` (a unit or a service area), its power
    by the power ``rules``."""
    power = sum(equipment.drives(rules).values(), np.asarray(0.0))
    return EquipmentLine(
        f"{owner}: {equipment.tag}",
        unit,
        equipment.item,
        equipment.sized(power),
        equipment.count,
        power,
        equipment.group,
    )


def equipment_list(result, energy, storage_time: float) -> list[EquipmentLine]:
    """Equipment of a FlowsheetResult; ``energy`` (an EnergyResult) gives the power rules.

    storage_time : time of reagent use held in storage [s]
    """
    lines = [
        line(name, name, item, energy.power_rules)
        for name, unit in result.units.items()
        for item in unit.equipment
    ]
    for area, items in services(result, storage_time).items():
        lines += [line(area, "", item, energy.power_rules) for item in items]
    return lines
