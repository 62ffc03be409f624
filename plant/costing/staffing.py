"""Staffing plan: headcount by role and by equipment group, and what it costs.

- operators: each equipment group on the plant's equipment list staffs ``operators[group]``
  positions per shift (at least ``minimum_operators`` in all); each position round the clock
  employs ``crews`` people;
- disassembly: day-shift workers taking magnets out of parts, from the units' manual work over a
  worker's ``working_hours``;
- supervision and laboratory: ``supervisors_per_shift`` and ``analysts_per_shift`` positions on
  every shift (times ``crews``), plus their day staff;
- maintenance: the labour part of the maintenance cost (``maintenance_labour_share`` of it) over a
  technician's loaded pay: maintenance is costed once, as a share of fixed capital, and the
  technicians it pays for are counted here;
- administration: a fixed day staff (management, HSE, purchasing, finance, HR).

Pay: each role at ``pay[role]`` times the operator wage, with the burden; a head is paid a year of
wages whatever their shift pattern.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.costing.parameters import ROLES, LabourParams
from plant.costing.plant_equipment import EquipmentLine
from plant.uom import SECONDS_PER_YEAR

__all__ = ["ROLES", "Staffing", "loaded_pay", "staffing_plan"]


@dataclass(frozen=True)
class Staffing:
    """Headcount employed [-] by ``role`` (:data:`ROLES`), the operators by ``area`` (their
    equipment group), and the operator ``positions`` staffed per shift; every value scalar or
    (N,)."""

    role: dict[str, np.ndarray]
    area: dict[str, np.ndarray]
    positions: np.ndarray

    @property
    def total(self) -> np.ndarray:
        return sum(self.role.values(), np.asarray(0.0))

    def summary(self) -> dict:
        """The ``economics.headcount`` keys of the JSON contract."""
        return {
            "total": self.total,
            "by_role": dict(self.role),
            "operators_by_equipment_group": dict(self.area),
            "operator_positions_per_shift": self.positions,
        }


def loaded_pay(lab: LabourParams, role: str) -> np.ndarray:
    """Yearly cost of one head in ``role`` [USD/yr]: wage x pay multiple x (1 + burden)."""
    return (
        np.asarray(lab.wage) * np.asarray(lab.pay[role]) * (1.0 + np.asarray(lab.burden))
    ) * SECONDS_PER_YEAR


def staffing_plan(
    equipment: list[EquipmentLine], lab: LabourParams, disassembly, maintenance_usd_per_yr
) -> Staffing:
    """The plant's staffing plan from its ``equipment`` list, the ``disassembly`` workers [-] and
    the maintenance cost [USD/yr] (see the module doc)."""
    area: dict[str, np.ndarray] = {}
    for line in equipment:
        if line.group is None:
            continue
        staffed = (np.asarray(line.size) > 0) & (np.asarray(line.count) > 0)
        area[line.group] = area.get(line.group, 0.0) + np.where(
            staffed, lab.operators[line.group], 0.0
        )
    positions = sum(area.values(), np.asarray(0.0))
    floor = np.maximum(positions, lab.minimum_operators)
    crews = np.asarray(lab.crews)
    # positions below the minimum are filled pro rata (none when nothing is staffed)
    scale = np.where(positions > 0, floor / np.where(positions > 0, positions, 1.0), 0.0)
    area = {g: np.asarray(v * scale * crews, dtype=float) for g, v in area.items()}
    role = {
        "operators": np.asarray(floor * crews, dtype=float),
        "disassembly": np.asarray(disassembly, dtype=float),
        "supervision": np.asarray(
            np.asarray(lab.supervisors_per_shift) * crews + lab.supervision_day_staff, dtype=float
        ),
        "laboratory": np.asarray(
            np.asarray(lab.analysts_per_shift) * crews + lab.laboratory_day_staff, dtype=float
        ),
        "maintenance": np.asarray(
            np.asarray(maintenance_usd_per_yr)
            * np.asarray(lab.maintenance_labour_share)
            / loaded_pay(lab, "maintenance"),
            dtype=float,
        ),
        "administration": np.asarray(lab.administration_staff, dtype=float),
    }
    return Staffing(role, area, np.asarray(floor, dtype=float))
