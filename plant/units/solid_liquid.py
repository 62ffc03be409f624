"""Solid-liquid separation: filtration with cake washing.

The cake holds ``cake_moisture`` kg of liquor per kg of wet cake. Washing
with ``wash_ratio`` cake-liquor masses of water leaves a fraction
``(1 - wash_efficiency) ** wash_ratio`` of the entrained solutes in the cake,
the Choudhury-Dahlstrom washing correlation (Choudhury & Dahlstrom 1957,
AIChE J. 3:433; as given in Perry's Chemical Engineers' Handbook, 8th ed.,
section 18, cake washing), with ``wash_efficiency`` its displacement
efficiency E. Entrained solutes left in the cake are the soluble loss.

Outlets: ``cake`` (solids + entrained liquor), ``filtrate`` (liquor + wash).
Gas species (none expected) leave with the filtrate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.numerics import safe_ratio
from plant.params import fraction, number, quantity, where_field
from plant.reagents import WATER
from plant.stream import Stream
from plant.units.common import col, require
from plant.units.equipment import FilterPress
from plant.units.record import UnitResult


@dataclass(frozen=True)
class SolidLiquidParams:
    """Filtration and washing.

    cake_moisture : liquor mass / wet cake mass [-], < 0.95
    wash_ratio : wash water mass / cake liquor mass [-], >= 0
    wash_efficiency : displacement efficiency E of the Choudhury-Dahlstrom correlation [-]
    filtration_flux : dry solids filtered per filter area and time [kg/(m2 s)] (TOML in kg/m^2/h)
    """

    cake_moisture: float = quantity("cake_moisture", "", lo=0.0, hi=0.95)
    wash_ratio: float = number("wash_ratio", lo=0.0)
    wash_efficiency: float = fraction("wash_efficiency")
    filtration_flux: float = quantity("filtration_flux", "kg/m^2/s", positive=True)
    where: str = where_field()


def run(slurry: Stream, p: SolidLiquidParams) -> UnitResult:
    """Filter and wash ``slurry``; outlets ``cake`` and ``filtrate``."""
    reg = slurry.registry
    masks = reg.phase_masks
    solid, liquid = masks["solid"], masks["aqueous"] | masks["liquid"]
    i_w = reg.index("H2O(l)")
    solute = liquid.copy()
    solute[i_w] = False
    m = np.asarray(p.cake_moisture)
    solids_kg = slurry.mass_of(solid)
    liquor_kg = slurry.mass_of(liquid)
    cake_liquor_kg = solids_kg * m / (1.0 - m)
    require(
        cake_liquor_kg <= liquor_kg * (1 + 1e-12),
        f"{p.where}: not enough liquid for the cake: cake_moisture {float(np.max(m)):.3g} needs "
        f"{float(np.max(cake_liquor_kg)):.4g} kg/s of liquor, the slurry has "
        f"{float(np.min(liquor_kg)):.4g} kg/s; "
        f"lower {p.where}.cake_moisture",
    )
    entrained = safe_ratio(cake_liquor_kg, liquor_kg)
    remaining = (1.0 - np.asarray(p.wash_efficiency)) ** np.asarray(p.wash_ratio)
    cake = slurry.flows * solid + slurry.flows * solute * col(entrained * remaining)
    solute_kg = cake @ (reg.molar_mass * solute)
    cake[..., i_w] = np.maximum(cake_liquor_kg - solute_kg, 0.0) / reg.molar_mass[i_w]
    wash_kg = np.asarray(p.wash_ratio) * cake_liquor_kg
    wash = np.zeros(np.shape(wash_kg) + (reg.n,))
    wash[..., i_w] = wash_kg / reg.molar_mass[i_w]
    filtrate = slurry.flows + wash - cake
    return UnitResult(
        "solid_liquid",
        inlets={"slurry": slurry, "wash": Stream.owned(wash, registry=reg)},
        outlets={
            "cake": Stream.owned(cake, slurry.T, slurry.P, reg),
            "filtrate": Stream.owned(filtrate, slurry.T, slurry.P, reg),
        },
        equipment=(FilterPress(solids_kg / np.asarray(p.filtration_flux), solids_kg),),
        reagents={WATER: wash_kg},
        performance={"soluble_loss_fraction": entrained * remaining},
    )
