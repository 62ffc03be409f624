"""The hydrometallurgical route: magnet scrap from e-waste to a mixed rare-earth oxide.

feed preparation -> roasting (optional) -> acid leaching -> filtration ->
impurity removal (Fe, Al) -> filtration -> oxalate precipitation ->
filtration -> calcination -> mixed REO.

There is no recycle in this route yet, so it solves in one pass.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from plant.chemistry import REO_SPECIES
from plant.flowsheets.result import FlowsheetResult, Product
from plant.species import default_registry
from plant.units import (calcination, feed_preparation, impurity_removal, leaching, oxalate_precipitation,
                         roasting, solid_liquid)
from plant.units.common import UnitResult

if TYPE_CHECKING:  # the root parameter tree lives in plant.model, above this layer
    from plant.model import Params

MIXED_REO = Product("mixed_REO", "calcination.product", REO_SPECIES)


def run(p: "Params") -> FlowsheetResult:
    """Evaluate the route for parameters ``p`` (scalar or batch)."""
    reg = default_registry()
    acid = p.leaching.acid
    units: dict[str, UnitResult] = {}
    units["feed_preparation"] = feed = feed_preparation.run(p.feed, p.plant.availability, reg)
    units["roasting"] = roast = roasting.run(feed.outlets["powder"], p.roasting)
    units["leaching"] = leach = leaching.run(roast.outlets["calcine"], p.leaching)
    units["leach_filter"] = lf = solid_liquid.run(leach.outlets["slurry"], p.leach_filter)
    units["impurity_removal"] = imp = impurity_removal.run(lf.outlets["filtrate"], p.impurity_removal, acid)
    units["iron_filter"] = ff = solid_liquid.run(imp.outlets["slurry"], p.iron_filter)
    units["oxalate_precipitation"] = ox = oxalate_precipitation.run(ff.outlets["filtrate"], p.oxalate_precipitation, acid)
    units["oxalate_filter"] = of = solid_liquid.run(ox.outlets["slurry"], p.oxalate_filter)
    units["calcination"] = calcination.run(of.outlets["cake"], p.calcination)
    return assemble(units, (MIXED_REO,), p.plant.availability)


def assemble(units: dict[str, UnitResult], products, availability) -> FlowsheetResult:
    """Name every stream and find the plant's feeds and outputs from the unit connections."""
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
    outputs = tuple(name for name, s in streams.items() if id(s) in produced and id(s) not in consumed)
    ordered = {n: streams[n] for n in feeds}
    ordered.update({n: s for n, s in streams.items() if n not in ordered})
    return FlowsheetResult(units, ordered, tuple(feeds), outputs, tuple(products), availability)
