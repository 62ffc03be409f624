"""The plant's equipment list: every unit's typed equipment (:mod:`plant.units.equipment`) and the
plant-wide services (:mod:`plant.flowsheets.services`), each with the electric power it draws.

Each kind of equipment names its cost-library item, its size in SI and its operator group, so a new
unit is priced as soon as it returns its equipment; nothing here knows a unit by name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.units.equipment import Equipment, PowerParams, Service, operator_groups

OUTSIDE = "outside battery limits"
"""The plant area of the plant-wide services."""

OPERATOR_GROUPS = operator_groups()
"""Groups of equipment that operators are counted for (LabourParams.operators)."""


@dataclass(frozen=True)
class EquipmentLine:
    """One line of the equipment list.

    tag : what it is and where ('leaching: agitated reactor');
    unit : the unit it serves ('' plant-wide)
    item : cost-library item; size : size of each unit [SI of the item]; count : units
    power_W : electric power drawn by the line when running [W]; group : operator group or None
    service : what a wetted vessel holds (its material follows it), or None
    area : the plant area it stands in
    """

    tag: str
    unit: str
    item: str
    size: np.ndarray
    count: object
    power_W: np.ndarray
    group: str | None
    service: Service | None = None
    area: str = ""


def line(
    owner: str, unit: str, equipment: Equipment, rules: PowerParams, area: str
) -> EquipmentLine:
    """The equipment-list line of ``equipment`` of ``owner`` (a unit or a service area) in plant
    ``area``, its power by the power ``rules``."""
    power = sum(equipment.drives(rules).values(), np.asarray(0.0))
    return EquipmentLine(
        f"{owner}: {equipment.tag}",
        unit,
        equipment.item,
        equipment.sized(power),
        equipment.count,
        power,
        equipment.group,
        equipment.holds(),
        area,
    )


def equipment_list(result, energy) -> list[EquipmentLine]:
    """Equipment of a FlowsheetResult, its units' (in their plant areas) and its services' (outside
    the battery limits); ``energy`` (an EnergyResult) gives the power rules."""
    lines = [
        line(name, name, item, energy.power_rules, result.areas.get(name, "process"))
        for name, unit in result.units.items()
        for item in unit.equipment
    ]
    for area, items in result.services.items():
        lines += [line(area, "", item, energy.power_rules, OUTSIDE) for item in items]
    return lines
