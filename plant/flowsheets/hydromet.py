"""The hydrometallurgical route: magnet scrap from e-waste to separated rare-earth oxides.

sorting -> feed preparation -> [+ short-loop residues] -> roasting (optional) -> acid leaching ->
filtration -> [+ liquor of an imported concentrate: acid dissolution -> filtration] ->
impurity removal (Fe, Al) -> filtration -> the separation train -> per product: oxalate
precipitation -> filtration -> calcination.

The separation train is built from the liquor (:func:`separate`): of the products the train can
make (:data:`SLATE`: LaCe, NdPr, SmEuGd, Tb, Dy, HoY), the circuits of :data:`SX_CUTS` split the
liquor where each side of their cut carries enough rare earths to be a product: heavy (NdPr |
heavier) first, then dysprosium (Tb | Dy) on its strip liquor, light (LaCe | NdPr) on its
raffinate, terbium (SEG | Tb) and yttrium (Dy | HoY) where a concentrate or phosphor brings those
elements. A strip liquor has its free acid neutralised before the next circuit. Magnet scrap
makes ``NdPr_oxide``, ``Tb_oxide`` and ``Dy_oxide``; a liquor too lean for a cut makes one product
of what it carries (``DyTb_oxide``). Each product's precipitation, filtration and calcination use
the same parameters. The solvent-extraction organic recycle is converged inside its unit; the
flowsheet itself solves in one pass.

:func:`add_train` adds the route after sorting to a flowsheet (the whole plant,
:mod:`plant.flowsheets.recycling_plant`); :func:`run` is the route alone.
"""

from __future__ import annotations

import numpy as np

from plant.chemistry import CHEMISTRY, RARE_EARTHS
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
from plant.units.solvent_extraction import shortcut
from plant.units.solvent_extraction.design import adjacent_groups

SLATE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("LaCe", ("La", "Ce")),
    ("NdPr", ("Pr", "Nd")),
    ("SmEuGd", ("Sm", "Eu", "Gd")),
    ("Tb", ("Tb",)),
    ("Dy", ("Dy",)),
    ("HoY", ("Ho", "Y")),
)
"""The separated products the train can make (product ``<name>_oxide``, its elements), light to
heavy in the extraction order: La-Ce and PrNd oxides are traded mixes, Tb and Dy oxides are sold
apart, and the SEG (Sm-Eu-Gd) and Ho-Y concentrates go on to refiners of their own."""
SX_CUTS = {
    "heavy": ("Nd", "Dy"),
    "dysprosium": ("Tb", "Dy"),
    "light": ("Ce", "Pr"),
    "terbium": ("Gd", "Tb"),
    "yttrium": ("Dy", "Ho"),
}
"""Each circuit's cut as its key elements (the light key and all less extractable go to the
raffinate, the rest to the strip liquor), in the order the train tries them on a liquor: NdPr |
SEG-Tb-Dy-HoY first, then Tb | Dy on its strip liquor, LaCe | NdPr on its raffinate, SEG | Tb and
Dy | HoY where the liquor carries those."""
PRODUCT_SHARE = 0.01
"""A circuit runs where each side of its cut holds at least this share of its feed's rare earths
[E: less is not worth a circuit and a product of its own]; else the liquor makes one product."""
ADJUSTMENT = {"dysprosium": "acid_adjustment"}
"""The acid adjustment ahead of a circuit fed with a strip liquor (``acid_adjustment_<circuit>``
unless named here)."""


def purity_species(fraction: str) -> tuple[str, ...]:
    """The oxides whose mass fraction is the purity of product ``<fraction>_oxide`` (a product of
    SLATE or several joined heaviest first, as 'DyTb')."""
    names = dict(SLATE)
    parts, rest = [], fraction
    while rest:
        name = next(n for n in names if rest.startswith(n))
        parts.append(name)
        rest = rest[len(name) :]
    return tuple(CHEMISTRY[e].oxide for n in parts for e in names[n])


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
    products = separate(fs, ff.outlets["filtrate"], tuple(range(len(SLATE))), p, acid)
    return tuple(products), concentrate


def separate(
    fs: Flowsheet, liquor: Stream, groups: tuple[int, ...], p: Params, acid: str, strip=False
) -> list[Product]:
    """The products of ``liquor``, whose rare earths are those of the SLATE ``groups``: the first
    circuit of SX_CUTS whose cut falls between them with each side holding PRODUCT_SHARE of the
    liquor's rare earths splits it, and each side is separated in turn; else one product of the
    groups it carries. A ``strip`` liquor leaves at several mol/L of free acid, at which PC88A
    extracts nothing: caustic soda brings it down first (:mod:`.acid_adjustment`)."""
    for circuit, cut in SX_CUTS.items():
        light = tuple(g for g in groups if _last(g) <= RARE_EARTHS.index(cut[0]))
        heavy = tuple(g for g in groups if g not in light)
        if not light or not heavy:
            continue
        if not all(carries(liquor, _elements(side), PRODUCT_SHARE) for side in (light, heavy)):
            continue
        with fs.area(f"SX circuit {circuit}"):
            if strip:
                name = ADJUSTMENT.get(circuit, f"acid_adjustment_{circuit}")
                liquor = fs.add(name, acid_adjustment.run(liquor, p.acid_adjustment, acid))
                liquor = liquor.outlets["liquor"]
            sx = p.solvent_extraction
            params = circuit
            if sx.designed:
                present = tuple(e for e in RARE_EARTHS if carries(liquor, (e,)))
                products = adjacent_groups(
                    tuple(e for _, e in SLATE), _elements(light), _elements(heavy), present
                )
                purity = np.asarray(p.economics.products.purity_spec, dtype=float)
                params = shortcut.designed(liquor, sx, circuit, acid, cut, products, purity)
            unit = fs.add(f"sx_{circuit}", solvent_extraction.run(liquor, sx, params, acid, cut))
        return separate(fs, unit.outlets["raffinate"], light, p, acid) + separate(
            fs, unit.outlets["strip_liquor"], heavy, p, acid, strip=True
        )
    present = [g for g in groups if carries(liquor, _elements((g,)))] or list(groups)
    fraction = "".join(SLATE[g][0] for g in reversed(present))
    return [_oxide(fs, fraction, liquor, p, acid)]


def _elements(groups) -> tuple[str, ...]:
    return tuple(e for g in groups for e in SLATE[g][1])


def _last(group: int) -> int:
    """Position in RARE_EARTHS of the most extractable element of SLATE group ``group``."""
    return max(RARE_EARTHS.index(e) for e in SLATE[group][1])


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
    return Product(f"{fraction}_oxide", calc.outlets["product"], purity_species(fraction))
