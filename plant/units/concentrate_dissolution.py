"""Acid dissolution of an imported mixed rare-earth concentrate (carbonate or oxide).

A mixed rare-earth carbonate (MREC) or oxide concentrate is dissolved in the leaching acid in
agitated tanks, so that its liquor joins the magnet liquor ahead of impurity removal and solvent
extraction. Each rare-earth carbonate dissolves with CO2 release,

    RE2(CO3)3 + 6 HCl -> 2 RECl3 + 3 H2O + 3 CO2,

each oxide as in leaching (CeO2, Pr6O11, Tb4O7 releasing Cl2 in HCl); impurity oxides (Fe2O3, Al2O3)
dissolve by their fractions. What does not dissolve (SiO2 and other gangue, undissolved ceria)
leaves with the slurry as insolubles, for the filter after it. The acid demand, its dose
(``acid_excess`` times the demand) and the dilution water follow as in
:func:`plant.units.leaching.dissolve`.

The supply of the concentrate (design intake ``flow``, what can be bought, its assay) is
:class:`ConcentrateParams` (``[concentrate]``): its assay is a named entry of the feed library
(``[concentrate.assays.<name>]``: imported concentrates by deposit type and deposit, and e-waste
concentrates, each with its source, the form it ships in and the pre-treatment it needs) or the
file's own ``composition``. Its price is ``economics.feed.terms.concentrate``.

Outlets: ``slurry`` (insolubles + pregnant liquor) and ``offgas`` (CO2, Cl2).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np

from plant.errors import ParamError
from plant.params import (
    composition,
    element_table,
    mapping,
    number,
    quantity,
    text,
    where_field,
)
from plant.params.elements import ElementTable
from plant.species import Registry
from plant.stream import Stream
from plant.units.common import col
from plant.units.leaching import AcidDissolutionParams, check_forms, dissolve
from plant.units.record import UnitResult

SUPPLY = "concentrate"
"""The supply name of the imported concentrate (its ``[concentrate]`` section), as capacity and the
feed prices (``economics.feed.terms.concentrate``) know it."""


@dataclass(frozen=True)
class AssayParams:
    """A concentrate of the feed library, as it ships.

    source : where the assay comes from; form : what is shipped (carbonate, oxide, ...)
    route : the pre-treatment it needs before this plant's acid dissolution
    composition : mass fractions of solid species, dry basis (carbonates, oxides, ThO2, UO3, SiO2)
    """

    source: str = text("source")
    form: str = text("form")
    route: str = text("route")
    composition: dict = composition("composition", "solid")
    where: str = where_field()


@dataclass(frozen=True)
class ConcentrateParams:
    """An imported mixed rare-earth concentrate.

    assay : the library entry (a key of ``assays``) the plant buys, unless ``composition`` is given
    composition : the concentrate's own assay, mass fractions of solid species, dry basis
        (carbonates, oxides, SiO2); where given it is the assay, whatever ``assay`` names
    source : where the figures of ``composition`` come from
    assays : the feed library, name -> :class:`AssayParams`
    flow : design intake [kg/s] (TOML in t/yr), >= 0
    available : what can be bought in the reference year [kg/s] (TOML in t/yr)
    supply_growth : yearly change of ``available`` [-/yr]
    """

    flow: float = quantity("flow", "kg/s", lo=0.0)
    available: float = quantity("available", "kg/s", lo=0.0)
    supply_growth: float = number("supply_growth", above=-1.0, hi=1.0)
    assays: dict = mapping("assays", AssayParams)
    assay: str | None = text("assay", "a key of [concentrate.assays]", optional=True)
    composition: dict | None = composition("composition", "solid", optional=True)
    source: str | None = text("source", optional=True)
    where: str = where_field()

    def check(self, origin, prefix: str) -> None:
        """An assay to buy: the file's own composition, or a library entry that exists."""
        if self.composition is not None:
            return
        if self.assay is None:
            raise ParamError(
                origin("assay"),
                prefix + "assay",
                "the concentrate's assay: a library entry (one of "
                f"{', '.join(sorted(self.assays))}) or a composition of its own",
                given_text="nothing (missing key)",
            )
        if self.assay not in self.assays:
            near = difflib.get_close_matches(self.assay, list(self.assays), n=2)
            hint = f" (did you mean {' or '.join(near)}?)" if near else ""
            raise ParamError(
                origin("assay"),
                prefix + "assay",
                f"one of {', '.join(sorted(self.assays))}{hint}",
                given_text=repr(self.assay),
            )

    @property
    def assay_composition(self) -> dict:
        """Mass fractions of the concentrate bought: the file's own, else the library entry's."""
        if self.composition is not None:
            return self.composition
        return self.assays[self.assay].composition

    @property
    def assay_name(self) -> str:
        """The library entry bought, or 'own assay' where the file gives the composition."""
        return "own assay" if self.composition is not None else self.assay

    @property
    def supply(self):
        """What can be bought in the reference year [kg/s]."""
        return self.available

    @property
    def domestic_supply(self):
        """None of it is domestic [kg/s]."""
        return np.asarray(0.0)


@dataclass(frozen=True, kw_only=True)
class ConcentrateDissolutionParams(AcidDissolutionParams):
    """Acid dissolution of the concentrate, in the leaching acid (and the dissolution settings of
    AcidDissolutionParams).

    dissolution_carbonate : fraction of each rare earth dissolved from its carbonate [-]
    dissolution_oxide : fraction of each element dissolved from its oxide [-]
    """

    dissolution_carbonate: ElementTable = element_table("dissolution_carbonate")
    dissolution_oxide: ElementTable = element_table("dissolution_oxide")

    def check(self, origin, prefix: str) -> None:
        """Every element of the tables can dissolve from that form."""
        tables = {"carbonate": self.dissolution_carbonate, "oxide": self.dissolution_oxide}
        check_forms(tables, origin, prefix)


def feed(c: ConcentrateParams, availability, registry: Registry) -> Stream:
    """The concentrate as bought, at the operating rate (annual flow / ``availability``) [mol/s]."""
    w = np.zeros(registry.n)
    for name, x in c.assay_composition.items():
        w[registry.index(name)] = x
    flows = col(np.asarray(c.flow) / np.asarray(availability)) * (w / registry.molar_mass)
    return Stream.owned(np.zeros(registry.n) + flows, registry=registry)


def run(concentrate: Stream, p: ConcentrateDissolutionParams, acid: str) -> UnitResult:
    """Dissolve ``concentrate`` in ``acid`` (the leaching acid); outlets ``slurry`` and
    ``offgas``."""
    return dissolve(
        "concentrate_dissolution",
        concentrate,
        p,
        acid,
        {"carbonate": p.dissolution_carbonate, "oxide": p.dissolution_oxide},
    )
