"""Machining and grinding of the annealed blocks to finished magnets.

Slicing and grinding to shape turn a fraction ``machining_loss`` of each block into swarf (oily,
partly oxidised sludge: it goes to the hydrometallurgical route, not back to hydrogen processing).
Typically 20-30 % of the block; 6-73 % depending on the shape (Metals 13 (2023) 779).

Outlets: ``magnets`` (finished, before coating), ``swarf``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.params import fraction, quantity, where_field
from plant.stream import Stream
from plant.units.common import col
from plant.units.equipment import MachiningLine
from plant.units.record import UnitResult


@dataclass(frozen=True)
class MachiningParams:
    """Machining.

    machining_loss : fraction of the blocks ground off as swarf [-]
    specific_energy : electricity of saws and grinders [J per kg of blocks] (TOML in kWh/kg)
    """

    machining_loss: float = fraction("machining_loss")
    specific_energy: float = quantity("specific_energy", "J/kg", lo=0.0)
    where: str = where_field()


def run(blocks: Stream, p: MachiningParams) -> UnitResult:
    """Machine ``blocks``; outlets ``magnets`` and ``swarf``."""
    reg = blocks.registry
    swarf = blocks.flows * col(p.machining_loss)
    mass = blocks.mass_flow
    return UnitResult(
        "machining",
        inlets={"blocks": blocks},
        outlets={
            "magnets": Stream.owned(blocks.flows - swarf, registry=reg),
            "swarf": Stream.owned(swarf, registry=reg),
        },
        equipment=(MachiningLine(mass, mass * np.asarray(p.specific_energy)),),
    )
