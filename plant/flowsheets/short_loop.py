"""The short loop: sorted sintered magnets back to new sintered magnets, without dissolving them.

hydrogen decrepitation -> coating removal (sieve) -> vacuum degassing -> jet milling -> blending
with fresh rare earth -> aligned pressing and sintering -> annealing -> machining.

Product ``NdFeB_magnet`` (finished magnets before coating, priced by grade). The coating oversize,
the cyclone fines, the failed parts and the machining swarf are mixed (``short_loop_residues``) and
go to the hydrometallurgical route, or are sold as scrap where there is none.
"""

from __future__ import annotations

from plant.chemistry import METALS
from plant.flowsheets.assembly import Flowsheet
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
from plant.units.record import mix

MAGNET = "NdFeB_magnet"
"""The product: finished magnets, whose purity is their metallic share (oxides picked up in
processing are the rest)."""


def add_loop(fs: Flowsheet, magnets: Stream, p: Params) -> tuple[Product, Stream]:
    """Add the short loop for sorted ``magnets`` to ``fs``; returns its product and its residues."""
    with fs.area("short loop"):
        hd = p.hydrogen_decrepitation
        dec = fs.add("hydrogen_decrepitation", hydrogen_decrepitation.decrepitate(magnets, hd))
        sieve = fs.add(
            "coating_removal", coating_removal.run(dec.outlets["powder"], p.coating_removal)
        )
        gas = fs.add("degassing", hydrogen_decrepitation.degas(sieve.outlets["powder"], hd))
        mill = fs.add("jet_milling", jet_milling.run(gas.outlets["powder"], p.jet_milling))
        blend = fs.add(
            "blending", blending.run(mill.outlets["powder"], sieve.outlets["powder"], p.blending)
        )
        sint = fs.add("sintering", sintering.sinter(blend.outlets["powder"], p.sintering))
        ann = fs.add("annealing", sintering.anneal(sint.outlets["magnets"], p.annealing))
        mach = fs.add("machining", machining.run(ann.outlets["magnets"], p.machining))
        residues = fs.add(
            "short_loop_residues",
            mix(
                {
                    "oversize": sieve.outlets["oversize"],
                    "fines": mill.outlets["fines"],
                    "rejects": sint.outlets["rejects"],
                    "swarf": mach.outlets["swarf"],
                }
            ),
        )
    return Product(MAGNET, mach.outlets["magnets"], METALS, kind="magnet"), residues.outlets[
        "mixed"
    ]
