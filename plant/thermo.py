"""Cantera adapter: the only module that imports ``cantera``.

Reads the species lists of the thermo YAML file (formula, phase) and gives
atomic weights from Cantera's element data.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cantera as ct

from plant.errors import ChemistryError

PHASE_SECTIONS = {
    "solid": "solid-species",
    "aqueous": "aqueous-species",
    "liquid": "liquid-species",
    "organic": "organic-species",
    "gas": "gas-species",
}
"""Phase name -> YAML section holding that phase's species list."""


@dataclass(frozen=True)
class SpeciesRecord:
    """One species as read from the thermo file."""

    name: str
    phase: str
    composition: dict[str, float]


def read_species(path: Path) -> list[SpeciesRecord]:
    """All species of ``path``, in file order, with their phase."""
    records: list[SpeciesRecord] = []
    for phase, section in PHASE_SECTIONS.items():
        try:
            species = ct.Species.list_from_file(str(path), section)
        except ct.CanteraError as exc:
            raise ChemistryError(f"{path}: cannot read species section '{section}': {exc}") from None
        for sp in species:
            records.append(SpeciesRecord(sp.name, phase, dict(sp.composition)))
    return records


def atomic_weight(symbol: str) -> float:
    """Atomic weight of an element [kg/mol], from Cantera's element data."""
    try:
        return ct.Element(symbol).weight / 1000.0
    except ct.CanteraError:
        raise ChemistryError(f"unknown element symbol {symbol!r}") from None
