"""The hydrometallurgical route: magnet scrap from e-waste to separated rare-earth oxides.

sorting -> feed preparation -> [+ short-loop residues] -> roasting (optional) -> acid leaching -> filtration ->
[+ liquor of an imported concentrate: acid dissolution -> filtration] ->
impurity removal (Fe, Al) -> filtration -> solvent extraction, heavy circuit
(NdPr | DyTb) -> [light circuit (LaCe | NdPr) where the liquor carries La or
Ce] -> per fraction: oxalate precipitation -> filtration -> calcination.

Products: ``NdPr_oxide``, ``DyTb_oxide`` and, with La/Ce in the feed,
``LaCe_oxide``. Each fraction's precipitation, filtration and calcination
use the same parameters. The solvent-extraction organic recycle is converged
inside its unit; the flowsheet itself solves in one pass.

:func:`add_train` adds the route after sorting to a flowsheet (the whole plant,
:mod:`plant.flowsheets.recycling_plant`); :func:`run` is the route alone.
"""

from __future__ import annotations

import numpy as np

from plant.chemistry import RARE_EARTHS
from plant.flowsheets.result import FlowsheetResult, Product
from plant.params import with_values
from plant.species import default_registry
from plant.stream import Stream
from plant.tree import Params
from plant.units import (
    calcination,
    concentrate_dissolution,
    feed_preparation,
    impurity_removal,
    leaching,
    oxalate_precipitation,
    roasting,
    solid_liquid,
    solvent_extraction,
    sorting,
)
from plant.units.common import UnitResult, mix

NDPR = Product("NdPr_oxide", "calcination_NdPr.product", ("Nd2O3", "Pr6O11"))
DYTB = Product("DyTb_oxide", "calcination_DyTb.product", ("Dy2O3", "Tb4O7"))
LACE = Product("LaCe_oxide", "calcination_LaCe.product", ("La2O3", "CeO2"))
LIGHT_ELEMENTS = ("La", "Ce")
SX_CUTS = {"sx_heavy": ("Nd", "Dy"), "sx_light": ("Ce", "Pr")}
"""Key elements of each circuit's cut (the light key and all less extractable go to the raffinate, the
rest to the strip liquor): the heavy circuit splits NdPr from SmGd-DyTb, the light circuit LaCe from NdPr."""


CONCENTRATE_FEED = "concentrate_dissolution.solids"


def scrap_feeds(sources) -> dict[str, str]:
    """The sorting unit's purchased scrap feeds: stream name -> source name."""
    return {f"sorting.scrap_{name}": name for name in sources}


def purchased_feeds(p: Params, units: dict[str, UnitResult]) -> dict[str, str]:
    """The scrap feeds, and the concentrate where the plant takes one: stream name -> supply name."""
    out = scrap_feeds(p.feed.sources)
    if "concentrate_dissolution" in units:
        out[CONCENTRATE_FEED] = "concentrate"
    return out


def run(p: Params) -> FlowsheetResult:
    """Evaluate the route alone (every sorted magnet to it) for parameters ``p`` (scalar or batch)."""
    reg = default_registry()
    units: dict[str, UnitResult] = {}
    units["sorting"] = sort = sorting.run(
        p.feed.sources, with_values(p.sorting, {"split": 0.0}), p.plant.availability, reg
    )
    products = add_train(units, sort.outlets["hydromet"], None, p)
    return assemble(units, products, p.plant.availability, purchased=purchased_feeds(p, units))


def add_train(
    units: dict[str, UnitResult], magnets: Stream, residues: Stream | None, p: Params
) -> tuple[Product, ...]:
    """Add the route from liberated ``magnets`` to ``units`` (in place); ``residues`` (short-loop
    rejects, fines, swarf: fine and demagnetised) join the milled powder before roasting. Returns the
    products."""
    acid = p.leaching.acid
    units["feed_preparation"] = feed = feed_preparation.run(magnets, p.feed)
    powder = feed.outlets["powder"]
    if residues is not None:
        units["hydromet_feed"] = mixed = mix(
            "hydromet_feed", {"powder": powder, "residues": residues}
        )
        powder = mixed.outlets["mixed"]
    units["roasting"] = roast = roasting.run(powder, p.roasting)
    units["leaching"] = leach = leaching.run(roast.outlets["calcine"], p.leaching)
    units["leach_filter"] = lf = solid_liquid.run(leach.outlets["slurry"], p.leach_filter)
    liquor = lf.outlets["filtrate"]
    if np.any(np.asarray(p.concentrate.flow) > 0):
        conc = concentrate_dissolution.feed(p.concentrate, p.plant.availability, liquor.registry)
        units["concentrate_dissolution"] = cd = concentrate_dissolution.run(
            conc, p.concentrate_dissolution, acid
        )
        units["concentrate_filter"] = cf = solid_liquid.run(
            cd.outlets["slurry"], p.concentrate_filter
        )
        units["liquor_mix"] = lm = mix(
            "liquor_mix", {"magnets": liquor, "concentrate": cf.outlets["filtrate"]}
        )
        liquor = lm.outlets["mixed"]
    units["impurity_removal"] = imp = impurity_removal.run(liquor, p.impurity_removal, acid)
    units["iron_filter"] = ff = solid_liquid.run(imp.outlets["slurry"], p.iron_filter)
    units["sx_heavy"] = heavy = solvent_extraction.run(
        ff.outlets["filtrate"], p.solvent_extraction, "heavy", acid
    )
    products = [DYTB, NDPR]
    _oxide(units, "DyTb", heavy.outlets["strip_liquor"], p, acid)
    if carries(heavy.outlets["raffinate"], LIGHT_ELEMENTS):
        units["sx_light"] = light = solvent_extraction.run(
            heavy.outlets["raffinate"], p.solvent_extraction, "light", acid
        )
        _oxide(units, "NdPr", light.outlets["strip_liquor"], p, acid)
        _oxide(units, "LaCe", light.outlets["raffinate"], p, acid)
        products.append(LACE)
    else:
        _oxide(units, "NdPr", heavy.outlets["raffinate"], p, acid)
    return tuple(products)


def carries(stream: Stream, elements, share: float = 1e-6) -> bool:
    """Whether ``elements`` make up more than ``share`` of the rare earths of ``stream`` in any sample."""
    total = sum(stream.element(e) for e in RARE_EARTHS)
    part = sum(stream.element(e) for e in elements)
    return bool(np.any(part > share * total))


def _oxide(
    units: dict[str, UnitResult], fraction: str, liquor: Stream, p: Params, acid: str
) -> None:
    """Oxalate precipitation, filtration and calcination of one rare-earth fraction."""
    units[f"oxalate_{fraction}"] = ox = oxalate_precipitation.run(
        liquor, p.oxalate_precipitation, acid
    )
    units[f"oxalate_filter_{fraction}"] = of = solid_liquid.run(
        ox.outlets["slurry"], p.oxalate_filter
    )
    units[f"calcination_{fraction}"] = calcination.run(of.outlets["cake"], p.calcination)


def assemble(
    units: dict[str, UnitResult], products, availability, purchased=None, sold=()
) -> FlowsheetResult:
    """Name every stream and find the plant's feeds and outputs from the unit connections;
    ``purchased`` maps the feeds bought as raw material to their supply (source) names, ``sold`` names
    the outputs sold as scrap (both priced by the costing layer)."""
    produced: dict[int, str] = {}
    streams = {}
    for uname, u in units.items():
        for port, s in u.outlets.items():
            produced[id(s)] = f"{uname}.{port}"
            streams[f"{uname}.{port}"] = s
    consumed = set()
    feeds = []
    for uname, u in units.items():
        for port, s in u.inlets.items():
            if id(s) in produced:
                consumed.add(id(s))
            else:
                streams[f"{uname}.{port}"] = s
                feeds.append(f"{uname}.{port}")
    outputs = tuple(
        name for name, s in streams.items() if id(s) in produced and id(s) not in consumed
    )
    ordered = {n: streams[n] for n in feeds}
    ordered.update({n: s for n, s in streams.items() if n not in ordered})
    return FlowsheetResult(
        units,
        ordered,
        tuple(feeds),
        outputs,
        tuple(products),
        availability,
        purchased_feeds=dict(purchased or {}),
        sold_outputs=tuple(sold),
    )
