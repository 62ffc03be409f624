"""Feed preparation: magnet scrap recovered from e-waste, per source class, to milled powder.

Each source class (HDD magnets, motor magnets, consumer electronics,
manufacturing swarf, ...) has a magnet tonnage, a composition (mass fractions
of solid species: metals and, for oxidised scrap, oxides) and a
dismantling/liberation recovery. Recovered magnets are thermally
demagnetised (heated above the Curie temperature), crushed and milled (energy by
Bond's law); a fraction is lost as dust.

Outlets: ``powder`` (to roasting or leaching), ``rejects`` (magnet material
not liberated, leaves with the e-waste residue), ``dust`` (milling loss).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.params import composition, fraction, mapping, quantity, where_field
from plant.species import Registry, default_registry
from plant.stream import Stream
from plant.units.common import UnitResult, col


@dataclass(frozen=True)
class SourceParams:
    """One source class of magnet scrap.

    magnet_flow : magnets contained in the collected material [kg/s] (TOML in t/yr), >= 0
    composition : mass fractions of solid species, summing to 1
    liberation_recovery : fraction of the magnets recovered by dismantling and liberation [-]
    """

    magnet_flow: float = quantity("magnet_flow", "kg/s", lo=0.0)
    composition: dict = composition("composition", "solid")
    liberation_recovery: float = fraction("liberation_recovery")
    where: str = where_field()


@dataclass(frozen=True)
class FeedPreparationParams:
    """Feed preparation.

    sources : named source classes
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


def source_flows(src: SourceParams, registry: Registry) -> np.ndarray:
    """Molar flows (..., n_species) [mol/s] of one source's magnets."""
    w = np.zeros(registry.n)
    for name, x in src.composition.items():
        w[registry.index(name)] = x
    return col(src.magnet_flow) * (w / registry.molar_mass)


def run(p: FeedPreparationParams, availability=1.0, registry: Registry | None = None) -> UnitResult:
    """Prepare the magnet feed; annual flows are divided by ``availability`` [-] to give operating rates."""
    reg = registry if registry is not None else default_registry()
    rate = 1.0 / col(availability)
    scrap = np.zeros(reg.n)
    liberated = np.zeros(reg.n)
    for src in p.sources.values():
        f = source_flows(src, reg) * rate
        scrap = scrap + f
        liberated = liberated + f * col(src.liberation_recovery)
    powder = liberated * (1.0 - col(p.milling_loss))
    scrap_s = Stream.owned(scrap, registry=reg)
    rejects = Stream.owned(scrap - liberated, registry=reg)
    dust = Stream.owned(liberated - powder, registry=reg)
    powder_s = Stream.owned(powder, registry=reg)
    milled = liberated @ reg.molar_mass
    return UnitResult(
        "feed_preparation",
        inlets={"scrap": scrap_s},
        outlets={"powder": powder_s, "rejects": rejects, "dust": dust},
        design={
            "scrap_kg_per_s": scrap_s.mass_flow,
            "milled_kg_per_s": milled,
            "mill_power_W": milled * bond_specific_energy(p.bond_work_index, p.feed_size, p.product_size),
            "oven_charge": Stream.owned(liberated, registry=reg),
            "oven_temperature_K": np.asarray(p.demagnetisation_temperature),
        },
    )
