"""The whole plant: sorting splits the magnets between the short loop and the hydrometallurgical route.

sorting -+-> short loop (sorted, clean magnets) -> NdFeB_magnet
         |        | residues (coating oversize, fines, failed parts, swarf)
         |        v
         +-> hydrometallurgical route (everything else + residues) -> NdPr_oxide, DyTb_oxide (, LaCe_oxide)

The residues flow one way, from the short loop into the hydrometallurgical route, and nothing
returns: the flowsheet solves in one pass (the solvent-extraction recycles converge inside their units).

Routes (:data:`ROUTES`), for comparing them on the same feed:

- ``combined``: as the parameters say (``sorting.split`` of the sortable magnets to the short loop);
- ``hydromet``: every magnet to the hydrometallurgical route (split 0, no short loop);
- ``short_loop``: the short loop alone, for what it can take: only the sortable magnets of each
  source are bought, and the residues are sold as scrap.
"""

from __future__ import annotations

from plant.errors import ParamError
from plant.flowsheets import hydromet, short_loop
from plant.flowsheets.hydromet import assemble, purchased_feeds, scrap_feeds
from plant.flowsheets.result import FlowsheetResult
from plant.params import with_values
from plant.species import default_registry
from plant.tree import Params
from plant.units import sorting
from plant.units.common import UnitResult

ROUTES = ("combined", "hydromet", "short_loop")


def run(p: Params, route: str = "combined") -> FlowsheetResult:
    """Evaluate the plant on ``route`` (one of ROUTES) for parameters ``p`` (scalar or batch)."""
    if route == "hydromet":
        return hydromet.run(p)
    if route not in ROUTES:
        raise ParamError("route", "route", f"one of {', '.join(ROUTES)}", route)
    reg = default_registry()
    sources, split = p.feed.sources, p.sorting
    if route == "short_loop":
        sources = {
            name: with_values(
                s, {"magnet_flow": s.magnet_flow * s.short_loop_share, "short_loop_share": 1.0}
            )
            for name, s in sources.items()
        }
        split = with_values(split, {"split": 1.0})
    units: dict[str, UnitResult] = {}
    units["sorting"] = sort = sorting.run(sources, split, p.plant.availability, reg)
    residues = short_loop.add_loop(units, sort.outlets["short_loop"], p)
    if route == "short_loop":
        return assemble(
            units,
            (short_loop.MAGNET,),
            p.plant.availability,
            purchased=scrap_feeds(sources),
            sold=(short_loop.RESIDUES,),
        )
    products = hydromet.add_train(units, sort.outlets["hydromet"], residues, p)
    return assemble(
        units,
        (short_loop.MAGNET, *products),
        p.plant.availability,
        purchased=purchased_feeds(p, units),
    )
