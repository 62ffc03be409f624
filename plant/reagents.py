"""The reagents and consumables the plant buys: one declaration each.

A unit reports its use as ``{reagent name: kg/s}`` (100 % basis, at the operating rate) in
``UnitResult.reagents``; the costing layer prices each name at ``economics.reagents.<name>``
[USD/kg] (water at ``economics.utilities.water`` [USD/m3]) and the energy layer counts the CO2e of
making it at ``energy.reagent_emissions.<name>`` [kg/kg]. Adding a reagent is one entry here and
its price and emission rows in ``params/base.toml``; a row for a name not declared here is refused
(naming the declared ones), and a unit reporting one with a suggestion.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from plant.errors import PlantError


@dataclass(frozen=True)
class Reagent:
    """One purchased reagent.

    label : how people read it in tables
    species : the species of the species file it is (its 100 % basis); '' where it depends on a
        choice (the extractant) or is a mixture (fresh NdPr metal)
    solution : (mass fraction [-], density [kg/m3]) of the commercial solution stored on site, or
        None for what is not stored as a solution
    """

    label: str
    species: str = ""
    solution: tuple[float, float] | None = None


WATER = "water"
"""Process and wash water: priced as a utility per m3, not per kg."""

REAGENTS: dict[str, Reagent] = {
    "HCl": Reagent("HCl (100 %)", "HCl(aq)", (0.32, 1159.0)),
    "H2SO4": Reagent("H2SO4 (100 %)", "H2SO4(aq)", (0.93, 1830.0)),
    "NaOH": Reagent("NaOH (100 %)", "NaOH(aq)", (0.50, 1525.0)),
    "NH3": Reagent("NH3 (100 %)", "NH3(aq)"),
    "H2O2": Reagent("H2O2 (100 %)", "H2O2(aq)"),
    "oxalic_acid_dihydrate": Reagent("oxalic acid dihydrate", "H2C2O4(aq)"),
    "extractant": Reagent("SX extractant make-up"),
    "diluent": Reagent("SX diluent make-up", "C12H26(org)"),
    "hydrogen": Reagent("hydrogen (H2)", "H2"),
    "argon": Reagent("argon", "Ar"),
    "nitrogen": Reagent("nitrogen (jet-mill make-up)", "N2"),
    "fresh_rare_earth": Reagent("fresh NdPr metal (blending)"),
    WATER: Reagent("process and wash water", "H2O(l)"),
}
"""Reagent name -> declaration. Commercial solutions: 32 % HCl, 93 % H2SO4, 50 % NaOH, densities
from the CRC Handbook's concentrative-properties tables [S]."""

PRICED_PER_KG: tuple[str, ...] = tuple(name for name in REAGENTS if name != WATER)
"""The reagents priced per kg under ``economics.reagents``."""


def check_names(names, where: str) -> None:
    """Raise PlantError naming ``where`` if any of ``names`` is not a declared reagent."""
    for name in names:
        if name not in REAGENTS:
            lower = {r.lower(): r for r in REAGENTS}
            near = difflib.get_close_matches(str(name).lower(), list(lower), n=1)
            hint = f"; did you mean {lower[near[0]]!r}?" if near else ""
            raise PlantError(
                f"{where}: reports use of {name!r}, which is not a reagent of plant.reagents "
                f"({', '.join(REAGENTS)}){hint}"
            )
