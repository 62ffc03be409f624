"""Coating removal: the Ni-Cu-Ni coating sieved off the hydrided magnet powder.

The coating does not take up hydrogen: it cracks and flakes off as the magnet decrepitates, and a
sieve separates the flakes (Burkhardt et al. 2021, Mater. Proc. 5:87; Walton et al. 2015). A
fraction ``removal`` of the coating metals (Ni, Cu) reports to the oversize, and with it a fraction
``magnet_loss`` of the magnet powder (entrained, not decrepitated).

Outlets: ``powder`` (to degassing), ``oversize`` (coating and entrained magnet, to the
hydrometallurgical route).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.chemistry import COATING_METALS
from plant.params import fraction, where_field
from plant.stream import Stream
from plant.units.common import col
from plant.units.equipment import VibratingScreen
from plant.units.record import UnitResult


@dataclass(frozen=True)
class CoatingRemovalParams:
    """Coating removal.

    removal : fraction of the coating metals (Ni, Cu) separated [-]
    magnet_loss : fraction of the magnet powder lost with the coating [-]
    """

    removal: float = fraction("removal")
    magnet_loss: float = fraction("magnet_loss")
    where: str = where_field()


def run(powder: Stream, p: CoatingRemovalParams) -> UnitResult:
    """Sieve the coating off ``powder``; outlets ``powder`` and ``oversize``."""
    reg = powder.registry
    coating = np.zeros(reg.n, dtype=bool)
    coating[reg.indices(COATING_METALS)] = True
    share = np.where(coating, col(p.removal), col(p.magnet_loss))
    oversize, clean = powder.split(share)
    return UnitResult(
        "coating_removal",
        inlets={"powder": powder},
        outlets={"powder": clean, "oversize": oversize},
        equipment=(VibratingScreen(powder.mass_flow),),
    )
