"""The whole plant: sorting splits the magnets between the short loop and the hydrometallurgical
route.

sorting -+-> short loop (sorted, clean magnets) -> NdFeB_magnet
         |        | residues (coating oversize, fines, failed parts, swarf)
         |        v
         +-> hydrometallurgical route (everything else + residues)
               -> NdPr_oxide, Tb_oxide, Dy_oxide (or one DyTb_oxide)
                  (, LaCe_oxide, SmEuGd_oxide, HoY_oxide from a concentrate's liquor)

The residues flow one way, from the short loop into the hydrometallurgical route, and nothing
returns: the flowsheet solves in one pass (the solvent-extraction recycles converge inside their
units).

Routes (:data:`ROUTES`), for comparing them on the same feed:

- ``combined``: as the parameters say (``sorting.split`` of the sortable magnets to the short loop);
- ``hydromet``: every magnet to the hydrometallurgical route (split 0, no short loop);
- ``short_loop``: the short loop alone, for what it can take: only the sortable magnets of each
  source are bought, and the residues are sold as scrap.
"""

from __future__ import annotations

from plant.errors import ParamError
from plant.flowsheets import hydromet, short_loop
from plant.flowsheets.assembly import Flowsheet
from plant.flowsheets.result import FlowsheetResult
from plant.flowsheets.services import with_services
from plant.params import with_values
from plant.species import default_registry
from plant.tree import Params
from plant.units import sorting

ROUTES = ("combined", "hydromet", "short_loop")


def run(p: Params, route: str = "combined") -> FlowsheetResult:
    """Evaluate the plant on ``route`` (one of ROUTES) for parameters ``p`` (scalar or batch)."""
    if route == "hydromet":
        return hydromet.run(p)
    if route not in ROUTES:
        raise ParamError("route", "route", f"one of {', '.join(ROUTES)}", route)
    sources, split = p.feed.sources, p.sorting
    if route == "short_loop":
        sources = {
            name: with_values(
                s, {"magnet_flow": s.magnet_flow * s.short_loop_share, "short_loop_share": 1.0}
            )
            for name, s in sources.items()
        }
        split = with_values(split, {"split": 1.0})
    fs = Flowsheet()
    with fs.area("feed preparation"):
        sort = fs.add(
            "sorting", sorting.run(sources, split, p.plant.availability, default_registry())
        )
    magnet, residues = short_loop.add_loop(fs, sort.outlets["short_loop"], p)
    if route == "short_loop":
        return with_services(
            fs.result(
                (magnet,), p.plant.availability, sold=(residues,), **hydromet.trade(sort, None)
            ),
            p.services,
        )
    products, concentrate = hydromet.add_train(fs, sort.outlets["hydromet"], residues, p)
    return with_services(
        fs.result((magnet, *products), p.plant.availability, **hydromet.trade(sort, concentrate)),
        p.services,
    )
