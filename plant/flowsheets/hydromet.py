"""The hydrometallurgical route: magnet scrap from e-waste to separated rare-earth oxides.

sorting -> feed preparation -> [+ short-loop residues] -> roasting (optional) -> acid leaching ->
filtration -> [+ liquor of an imported concentrate: acid dissolution -> filtration] ->
impurity removal (Fe, Al) -> filtration -> solvent extraction, heavy circuit
(NdPr | TbDy) -> [dysprosium circuit (Tb | Dy) on the heavy strip liquor, its free acid
neutralised, where it carries both] -> [light circuit (LaCe | NdPr) where the liquor carries La
or Ce] -> per fraction: oxalate precipitation -> filtration -> calcination.

Products: ``NdPr_oxide``, ``Tb_oxide`` and ``Dy_oxide`` (one ``DyTb_oxide`` where the liquor
carries only one of them) and, with La/Ce in the feed, ``LaCe_oxide``. Each fraction's
precipitation, filtration and calcination use the same parameters. The solvent-extraction
organic recycle is converged inside its unit; the flowsheet itself solves in one pass.

:func:`add_train` adds the route after sorting to a flowsheet (the whole plant,
:mod:`plant.flowsheets.recycling_plant`); :func:`run` is the route alone.
"""

from __future__ import annotations

import numpy as np

from plant.chemistry import RARE_EARTHS
from plant.flowsheets.assembly import Flowsheet
from plant.flowsheets.result import FlowsheetResult, Product
from plant.flowsheets.services import with_services
from plant.params import with_values
from plant.species import default_registry
from plant.stream import Stream
from plant.tree import Params
from plant.units import (
    acid_adjustment,
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
from plant.units.concentrate_dissolution import SUPPLY as CONCENTRATE
from plant.units.record import UnitResult, mix

OXIDE_PURITY = {
    "NdPr": ("Nd2O3", "Pr6O11"),
    "DyTb": ("Dy2O3", "Tb4O7"),
    "Tb": ("Tb4O7",),
    "Dy": ("Dy2O3",),
    "LaCe": ("La2O3", "CeO2"),
}
"""Each oxide fraction (product ``<fraction>_oxide``) and the oxides whose mass fraction is its
purity."""
LIGHT_ELEMENTS = ("La", "Ce")
SX_CUTS = {"heavy": ("Nd", "Dy"), "dysprosium": ("Tb", "Dy"), "light": ("Ce", "Pr")}
"""Key elements of each circuit's cut (the light key and all less extractable go to the raffinate,
the rest to the strip liquor): the heavy circuit splits NdPr from SmGd-DyTb, the dysprosium circuit
Dy from Tb (and Sm, Gd), the light circuit LaCe from NdPr."""
HEAVY_ELEMENTS, PRODUCT_SHARE = ("Tb", "Dy"), 0.01
"""The dysprosium circuit runs where each of Tb and Dy makes at least PRODUCT_SHARE of the heavy
strip liquor's rare earths [E: less is not worth a circuit and a product of its own]."""


def run(p: Params) -> FlowsheetResult:
    """Evaluate the route alone (every sorted magnet to it) for parameters ``p`` (scalar or
    batch)."""
    fs = Flowsheet()
    with fs.area("feed preparation"):
        sort = fs.add(
            "sorting",
            sorting.run(
                p.feed.sources,
                with_values(p.sorting, {"split": 0.0}),
                p.plant.availability,
                default_registry(),
            ),
        )
    products, concentrate = add_train(fs, sort.outlets["hydromet"], None, p)
    return with_services(
        fs.result(products, p.plant.availability, **trade(sort, concentrate)), p.services
    )


def trade(sort: UnitResult, concentrate: Stream | None) -> dict:
    """What the plant buys and cannot recover, as keywords of ``Flowsheet.result``: ``purchased``,
    each source's scrap (the sorting unit's inlets ``scrap_<source>``) and the concentrate where
    the plant takes one (supply name -> stream); ``unrecovered``, the magnets dismantling leaves in
    the parts (the sorting unit's ``rejects``)."""
    bought = {port.removeprefix("scrap_"): s for port, s in sort.inlets.items()}
    if concentrate is not None:
        bought[CONCENTRATE] = concentrate
    return {"purchased": bought, "unrecovered": (sort.outlets["rejects"],)}


def add_train(
    fs: Flowsheet, magnets: Stream, residues: Stream | None, p: Params
) -> tuple[tuple[Product, ...], Stream | None]:
    """Add the route from liberated ``magnets`` to ``fs``; ``residues`` (short-loop rejects, fines,
    swarf: fine and demagnetised) join the milled powder before roasting. Returns the products and
    the concentrate bought (None where the plant takes none)."""
    acid = p.leaching.acid
    with fs.area("feed preparation"):
        powder = fs.add("feed_preparation", feed_preparation.run(magnets, p.feed))
        powder = powder.outlets["powder"]
        if residues is not None:
            powder = fs.add("hydromet_feed", mix({"powder": powder, "residues": residues}))
            powder = powder.outlets["mixed"]
    with fs.area("roasting and leaching"):
        roast = fs.add("roasting", roasting.run(powder, p.roasting))
        leach = fs.add("leaching", leaching.run(roast.outlets["calcine"], p.leaching))
        liquor = fs.add(
            "leach_filter", solid_liquid.run(leach.outlets["slurry"], p.leach_filter)
        ).outlets["filtrate"]
    concentrate = None
    if np.any(np.asarray(p.concentrate.flow) > 0):
        with fs.area("concentrate dissolution"):
            concentrate = concentrate_dissolution.feed(
                p.concentrate, p.plant.availability, liquor.registry
            )
            cd = fs.add(
                "concentrate_dissolution",
                concentrate_dissolution.run(concentrate, p.concentrate_dissolution, acid),
            )
            cf = fs.add(
                "concentrate_filter", solid_liquid.run(cd.outlets["slurry"], p.concentrate_filter)
            )
            liquor = fs.add(
                "liquor_mix", mix({"magnets": liquor, "concentrate": cf.outlets["filtrate"]})
            ).outlets["mixed"]
    with fs.area("purification"):
        imp = fs.add("impurity_removal", impurity_removal.run(liquor, p.impurity_removal, acid))
        ff = fs.add("iron_filter", solid_liquid.run(imp.outlets["slurry"], p.iron_filter))
    sx = p.solvent_extraction
    with fs.area("SX circuit heavy"):
        heavy = fs.add(
            "sx_heavy",
            solvent_extraction.run(ff.outlets["filtrate"], sx, "heavy", acid, SX_CUTS["heavy"]),
        )
    products = _heavy_products(fs, heavy.outlets["strip_liquor"], p, acid)
    if carries(heavy.outlets["raffinate"], LIGHT_ELEMENTS):
        with fs.area("SX circuit light"):
            light = fs.add(
                "sx_light",
                solvent_extraction.run(
                    heavy.outlets["raffinate"], sx, "light", acid, SX_CUTS["light"]
                ),
            )
        products.append(_oxide(fs, "NdPr", light.outlets["strip_liquor"], p, acid))
        products.append(_oxide(fs, "LaCe", light.outlets["raffinate"], p, acid))
    else:
        products.append(_oxide(fs, "NdPr", heavy.outlets["raffinate"], p, acid))
    return tuple(products), concentrate


def _heavy_products(fs: Flowsheet, strip: Stream, p: Params, acid: str) -> list[Product]:
    """The heavy strip liquor's products: Tb and Dy oxides from the dysprosium circuit where the
    liquor carries both, else one DyTb oxide. The strip liquor leaves at several mol/L of free acid,
    at which PC88A extracts nothing: caustic soda brings it down first (:mod:`.acid_adjustment`)."""
    if not all(carries(strip, (e,), PRODUCT_SHARE) for e in HEAVY_ELEMENTS):
        return [_oxide(fs, "DyTb", strip, p, acid)]
    with fs.area("SX circuit dysprosium"):
        adjusted = fs.add("acid_adjustment", acid_adjustment.run(strip, p.acid_adjustment, acid))
        dy = fs.add(
            "sx_dysprosium",
            solvent_extraction.run(
                adjusted.outlets["liquor"],
                p.solvent_extraction,
                "dysprosium",
                acid,
                SX_CUTS["dysprosium"],
            ),
        )
    return [
        _oxide(fs, "Tb", dy.outlets["raffinate"], p, acid),
        _oxide(fs, "Dy", dy.outlets["strip_liquor"], p, acid),
    ]


def carries(stream: Stream, elements, share: float = 1e-6) -> bool:
    """Whether ``elements`` make up more than ``share`` of the rare earths of ``stream`` in any
    sample."""
    total = sum(stream.element(e) for e in RARE_EARTHS)
    part = sum(stream.element(e) for e in elements)
    return bool(np.any(part > share * total))


def _oxide(fs: Flowsheet, fraction: str, liquor: Stream, p: Params, acid: str) -> Product:
    """Oxalate precipitation, filtration and calcination of one rare-earth fraction: its product."""
    with fs.area("precipitation and calcination"):
        return _precipitate_and_calcine(fs, fraction, liquor, p, acid)


def _precipitate_and_calcine(
    fs: Flowsheet, fraction: str, liquor: Stream, p: Params, acid: str
) -> Product:
    ox = fs.add(
        f"oxalate_{fraction}", oxalate_precipitation.run(liquor, p.oxalate_precipitation, acid)
    )
    of = fs.add(
        f"oxalate_filter_{fraction}", solid_liquid.run(ox.outlets["slurry"], p.oxalate_filter)
    )
    calc = fs.add(f"calcination_{fraction}", calcination.run(of.outlets["cake"], p.calcination))
    return Product(f"{fraction}_oxide", calc.outlets["product"], OXIDE_PURITY[fraction])
