"""Chemical identity of each element in the plant: its oxide, salts, hydroxide, oxalate.

This is chemistry knowledge, not data: which species an element becomes in
each step. Species names refer to ``params/thermo/species.yaml``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

RARE_EARTHS: tuple[str, ...] = ("La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Y")
"""Rare-earth elements the model carries, in the order of their extraction by acidic
organophosphorus extractants from chloride (PC88A: Y between Ho and Er; ree-data sec. 3), the
order in which solvent extraction cuts them."""

METALS: tuple[str, ...] = RARE_EARTHS + ("Fe", "B", "Co", "Ni", "Cu", "Al")
"""Elements of the magnet alloy and its coatings."""

ACTINIDES: tuple[str, ...] = ("Th", "U")
"""The radioactive elements concentrates carry (monazite, bastnaesite): they follow the balances and
make residues radioactive."""

ACIDS: tuple[str, ...] = ("HCl", "H2SO4")

COATING_METALS: tuple[str, ...] = ("Ni", "Cu")
"""Metals of the Ni-Cu-Ni corrosion coating of sintered magnets."""

MATRIX_HYDROGEN = "H[Nd2Fe14B]"
"""Hydrogen absorbed in the Nd2Fe14B matrix phase (interstitial hydride Nd2Fe14BHx) [species]."""
HYDRIDE_HYDROGEN = "H[REH2]"
"""Hydrogen held by the rare-earth-rich grain-boundary phase as rare-earth hydride [species]."""
ABSORBED_HYDROGEN: tuple[str, ...] = (MATRIX_HYDROGEN, HYDRIDE_HYDROGEN)


@dataclass(frozen=True)
class Acid:
    """A leaching acid: its dissolved species, its sodium salt, and the gas of an oxidative
    dissolution."""

    species: str
    sodium_salt: str
    dried_sodium_salt: str
    oxidative_gas: str
    protons: int


ACID = {
    "HCl": Acid("HCl(aq)", "NaCl(aq)", "NaCl", "Cl2", 1),
    "H2SO4": Acid("H2SO4(aq)", "Na2SO4(aq)", "Na2SO4", "O2", 2),
}


@dataclass(frozen=True)
class ElementChemistry:
    """Species an element takes in each process step.

    salt : acid -> dissolved salt of the oxide (highest stable valence in solution)
    metal_salt : acid -> dissolved salt of the metal where it differs (Fe -> Fe(II))
    carbonate : the normal carbonate (rare earths: the mixed-carbonate concentrate)
    """

    oxide: str
    salt: dict[str, str]
    metal_salt: dict[str, str] = field(default_factory=dict)
    hydroxide: str | None = None
    oxalate: str | None = None
    carbonate: str | None = None


_RE_OXIDE = {
    "La": "La2O3",
    "Ce": "CeO2",
    "Pr": "Pr6O11",
    "Nd": "Nd2O3",
    "Sm": "Sm2O3",
    "Eu": "Eu2O3",
    "Gd": "Gd2O3",
    "Tb": "Tb4O7",
    "Dy": "Dy2O3",
    "Ho": "Ho2O3",
    "Y": "Y2O3",
}

CHEMISTRY: dict[str, ElementChemistry] = {
    **{
        e: ElementChemistry(
            oxide=_RE_OXIDE[e],
            salt={"HCl": f"{e}Cl3(aq)", "H2SO4": f"{e}2(SO4)3(aq)"},
            hydroxide=f"{e}(OH)3",
            oxalate=f"{e}2(C2O4)3:10H2O",
            carbonate=f"{e}2(CO3)3",
        )
        for e in RARE_EARTHS
    },
    "Fe": ElementChemistry(
        "Fe2O3",
        {"HCl": "FeCl3(aq)", "H2SO4": "Fe2(SO4)3(aq)"},
        metal_salt={"HCl": "FeCl2(aq)", "H2SO4": "FeSO4(aq)"},
        hydroxide="Fe(OH)3",
        oxalate="FeC2O4:2H2O",
    ),
    "B": ElementChemistry("B2O3", {"HCl": "H3BO3(aq)", "H2SO4": "H3BO3(aq)"}),
    "Co": ElementChemistry(
        "Co3O4", {"HCl": "CoCl2(aq)", "H2SO4": "CoSO4(aq)"}, oxalate="CoC2O4:2H2O"
    ),
    "Ni": ElementChemistry(
        "NiO", {"HCl": "NiCl2(aq)", "H2SO4": "NiSO4(aq)"}, oxalate="NiC2O4:2H2O"
    ),
    "Cu": ElementChemistry("CuO", {"HCl": "CuCl2(aq)", "H2SO4": "CuSO4(aq)"}),
    "Al": ElementChemistry(
        "Al2O3", {"HCl": "AlCl3(aq)", "H2SO4": "Al2(SO4)3(aq)"}, hydroxide="Al(OH)3"
    ),
    # Th(IV): hydrolyses at pH ~3-4, and its oxalate precipitates with the rare earths'
    "Th": ElementChemistry(
        "ThO2",
        {"HCl": "ThCl4(aq)", "H2SO4": "Th(SO4)2(aq)"},
        hydroxide="Th(OH)4",
        oxalate="Th(C2O4)2:6H2O",
    ),
    # U(VI) as uranyl, the form a carbonate or oxide concentrate leached in air carries it in
    "U": ElementChemistry("UO3", {"HCl": "UO2Cl2(aq)", "H2SO4": "UO2SO4(aq)"}),
}

REO_SPECIES: tuple[str, ...] = tuple(_RE_OXIDE[e] for e in RARE_EARTHS)
"""The rare-earth oxides that count as REO."""


SOLID_FORMS: tuple[str, ...] = ("metal", "oxide", "carbonate")
"""Forms in which an element enters an acid dissolution."""


def solid_of(element: str, form: str) -> str | None:
    """The species of ``element`` in ``form`` (one of SOLID_FORMS), or None where it has none."""
    return element if form == "metal" else getattr(CHEMISTRY[element], form)


def dissolved_form(solid: str, element: str, acid: str) -> str:
    """Dissolved salt that ``solid`` (a metal, oxide or carbonate of ``element``) forms in
    ``acid``."""
    chem = CHEMISTRY[element]
    if solid == element and acid in chem.metal_salt:
        return chem.metal_salt[acid]
    return chem.salt[acid]


@functools.lru_cache(maxsize=8)
def oxide_per_element(registry) -> tuple[np.ndarray, np.ndarray]:
    """Per rare earth (RARE_EARTHS order): column of its oxide in ``registry``, and kg of that oxide
    per mol of the element [kg/mol] (the REO-equivalent factor)."""
    idx = np.array([registry.index(CHEMISTRY[e].oxide) for e in RARE_EARTHS])
    atoms = np.array([registry.composition(CHEMISTRY[e].oxide)[e] for e in RARE_EARTHS])
    return idx, registry.molar_mass[idx] / atoms
