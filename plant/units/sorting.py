"""Sorting and disassembly: magnet-bearing parts (HDDs, motors, ...) to liberated magnets, sorted by route.

Each source class (``[feed.sources.*]``) delivers magnets inside parts. Dismantling liberates
``liberation_recovery`` of them; the rest stays in the e-waste residue (``rejects``). Of the liberated
magnets, ``short_loop_share`` are whole, clean, unoxidised sintered magnets that can be sorted by grade:
the short loop (hydrogen processing to new magnets) can take them. ``split`` of those go to the short
loop; everything else (oxidised, broken, mixed, swarf) goes to the hydrometallurgical route.

Labour: parts dismantled = magnets / ``part_magnet_mass``, each taking ``disassembly_time`` of one
worker (zero for material bought already liberated, such as swarf).

Outlets: ``short_loop``, ``hydromet`` (liberated magnets), ``rejects`` (not liberated).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.params import composition, fraction, quantity, where_field
from plant.species import Registry
from plant.stream import Stream
from plant.units.common import UnitResult, col


@dataclass(frozen=True)
class SourceParams:
    """One source class of magnet scrap.

    magnet_flow : magnets contained in the collected material [kg/s] (TOML in t/yr), >= 0
    composition : mass fractions of solid species, summing to 1
    liberation_recovery : fraction of the magnets recovered by dismantling and liberation [-]
    short_loop_share : fraction of the liberated magnets that are whole, clean sintered magnets of a
        known grade, which the short loop can take [-]
    part_magnet_mass : magnet mass in one part (an HDD, a motor) [kg]
    disassembly_time : worker time to take the magnets out of one part [s]
    """

    magnet_flow: float = quantity("magnet_flow", "kg/s", lo=0.0)
    composition: dict = composition("composition", "solid")
    liberation_recovery: float = fraction("liberation_recovery")
    short_loop_share: float = fraction("short_loop_share")
    part_magnet_mass: float = quantity("part_magnet_mass", "kg", positive=True)
    disassembly_time: float = quantity("disassembly_time", "s", lo=0.0)
    where: str = where_field()


@dataclass(frozen=True)
class SortingParams:
    """Sorting.

    split : share of the sortable magnets sent to the short loop; the rest go to the
        hydrometallurgical route [-]
    """

    split: float = fraction("split")
    where: str = where_field()


def source_flows(src: SourceParams, registry: Registry) -> np.ndarray:
    """Molar flows (..., n_species) [mol/s] of one source's magnets."""
    w = np.zeros(registry.n)
    for name, x in src.composition.items():
        w[registry.index(name)] = x
    return col(src.magnet_flow) * (w / registry.molar_mass)


def run(sources: dict[str, SourceParams], p: SortingParams, availability, registry: Registry) -> UnitResult:
    """Dismantle and sort the ``sources``; annual flows are divided by ``availability`` [-] to give
    operating rates."""
    rate = 1.0 / col(availability)
    scrap = liberated = sortable = 0.0
    parts = labour = 0.0
    for src in sources.values():
        f = source_flows(src, registry) * rate
        lib = f * col(src.liberation_recovery)
        scrap, liberated = scrap + f, liberated + lib
        sortable = sortable + lib * col(src.short_loop_share)
        n = np.asarray(src.magnet_flow) / np.asarray(availability) / np.asarray(src.part_magnet_mass)
        parts, labour = parts + n, labour + n * np.asarray(src.disassembly_time)
    zeros = np.zeros(registry.n)
    scrap, liberated, sortable = (zeros + x for x in (scrap, liberated, sortable))
    short = sortable * col(p.split)
    scrap_s = Stream.owned(scrap, registry=registry)
    return UnitResult(
        "sorting",
        inlets={"scrap": scrap_s},
        outlets={"short_loop": Stream.owned(short, registry=registry),
                 "hydromet": Stream.owned(liberated - short, registry=registry),
                 "rejects": Stream.owned(scrap - liberated, registry=registry)},
        design={"scrap_kg_per_s": scrap_s.mass_flow, "parts_per_s": np.asarray(parts, dtype=float),
                "disassembly_workers": np.asarray(labour, dtype=float)},
    )
