"""Feed preparation of the hydrometallurgical route: liberated magnets to milled powder.

The magnets (from sorting, :mod:`plant.units.sorting`) are thermally demagnetised (heated above the
Curie temperature), crushed and milled (energy by Bond's law); a fraction is lost as dust.

Outlets: ``powder`` (to roasting or leaching), ``dust`` (milling loss).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.params import fraction, mapping, quantity, where_field
from plant.stream import Stream
from plant.units.common import col
from plant.units.equipment import Mill
from plant.units.record import Heating, UnitResult
from plant.units.sorting import SourceParams


@dataclass(frozen=True)
class FeedPreparationParams:
    """Feed preparation.

    sources : named source classes of magnet scrap (read by the sorting unit)
    demagnetisation_temperature : temperature of thermal demagnetisation [K]
    milling_loss : fraction of liberated magnet lost as dust in crushing and milling [-]
    bond_work_index : Bond work index of the magnet material [J/kg] (TOML in kWh/t)
    feed_size, product_size : 80 %-passing sizes before and after milling [m]
    """

    sources: dict = mapping("sources", SourceParams)
    demagnetisation_temperature: float = quantity("demagnetisation_temperature", "K", positive=True)
    milling_loss: float = fraction("milling_loss")
    bond_work_index: float = quantity("bond_work_index", "J/kg", lo=0.0)
    feed_size: float = quantity("feed_size", "m", positive=True)
    product_size: float = quantity("product_size", "m", positive=True)
    where: str = where_field()


def bond_specific_energy(work_index, feed_size, product_size) -> np.ndarray:
    """Comminution energy [J/kg] by Bond's law, W = Wi (10/sqrt(P80) - 10/sqrt(F80)), sizes in um.

    Bond 1952, Trans. AIME 193:484. ``work_index`` [J/kg]; sizes [m]; zero when product >= feed.
    """
    p_um, f_um = np.asarray(product_size) * 1e6, np.asarray(feed_size) * 1e6
    return np.maximum(np.asarray(work_index) * (10.0 / np.sqrt(p_um) - 10.0 / np.sqrt(f_um)), 0.0)


def run(magnets: Stream, p: FeedPreparationParams) -> UnitResult:
    """Demagnetise, crush and mill ``magnets``; outlets ``powder`` and ``dust``."""
    reg = magnets.registry
    powder = magnets.flows * (1.0 - col(p.milling_loss))
    milled = magnets.mass_flow
    return UnitResult(
        "feed_preparation",
        inlets={"magnets": magnets},
        outlets={
            "powder": Stream.owned(powder, registry=reg),
            "dust": Stream.owned(magnets.flows - powder, registry=reg),
        },
        equipment=(
            Mill(milled * bond_specific_energy(p.bond_work_index, p.feed_size, p.product_size)),
        ),
        heating=Heating(np.asarray(p.demagnetisation_temperature), "oven", magnets),
        performance={"milled_kg_per_s": milled},
    )
