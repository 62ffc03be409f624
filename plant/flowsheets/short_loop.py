"""The short loop: sorted sintered magnets back to new sintered magnets, without dissolving them.

hydrogen decrepitation -> coating removal (sieve) -> vacuum degassing -> jet milling -> blending
with fresh rare earth -> aligned pressing and sintering -> annealing -> machining.

Product ``NdFeB_magnet`` (finished magnets before coating, priced by grade). The coating oversize,
the cyclone fines, the failed parts and the machining swarf are mixed (``short_loop_residues``) and
go to the hydrometallurgical route, or are sold as scrap where there is none.
"""

from __future__ import annotations

from plant.chemistry import METALS
from plant.flowsheets.result import Product
from plant.stream import Stream
from plant.tree import Params
from plant.units import (
    blending,
    coating_removal,
    hydrogen_decrepitation,
    jet_milling,
    machining,
    sintering,
)
from plant.units.common import UnitResult, mix

MAGNET = Product("NdFeB_magnet", "machining.magnets", METALS, kind="magnet")
"""Finished magnets; purity is the metallic share (oxides picked up in processing are the rest)."""
RESIDUES = "short_loop_residues.mixed"


def add_loop(units: dict[str, UnitResult], magnets: Stream, p: Params) -> Stream:
    """Add the short loop for sorted ``magnets`` to ``units`` (in place); returns its residues."""
    hd = p.hydrogen_decrepitation
    units["hydrogen_decrepitation"] = dec = hydrogen_decrepitation.decrepitate(magnets, hd)
    units["coating_removal"] = sieve = coating_removal.run(dec.outlets["powder"], p.coating_removal)
    units["degassing"] = gas = hydrogen_decrepitation.degas(sieve.outlets["powder"], hd)
    units["jet_milling"] = mill = jet_milling.run(gas.outlets["powder"], p.jet_milling)
    units["blending"] = blend = blending.run(
        mill.outlets["powder"], sieve.outlets["powder"], p.blending
    )
    units["sintering"] = sint = sintering.sinter(blend.outlets["powder"], p.sintering)
    units["annealing"] = ann = sintering.anneal(sint.outlets["magnets"], p.annealing)
    units["machining"] = mach = machining.run(ann.outlets["magnets"], p.machining)
    units["short_loop_residues"] = res = mix(
        "short_loop_residues",
        {
            "oversize": sieve.outlets["oversize"],
            "fines": mill.outlets["fines"],
            "rejects": sint.outlets["rejects"],
            "swarf": mach.outlets["swarf"],
        },
    )
    return res.outlets["mixed"]
