"""Species registry: names, phases, element matrix and molar masses.

Built once from the Cantera thermo file (``params/thermo/species.yaml``);
molar masses are sums of Cantera's atomic weights, never typed by hand.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from plant import thermo
from plant.errors import ChemistryError
from plant.paths import THERMO_FILE


@dataclass(frozen=True, eq=False)
class Registry:
    """Immutable species registry.

    Attributes
    ----------
    names : species names, in column order of every flow array
    phases : phase of each species ('solid', 'aqueous', 'liquid', 'organic', 'gas')
    elements : element symbols, in row order of ``element_matrix``
    element_matrix : (n_elements, n_species) atoms of each element per species
    molar_mass : (n_species,) [kg/mol]
    """

    names: tuple[str, ...]
    phases: tuple[str, ...]
    elements: tuple[str, ...]
    element_matrix: np.ndarray
    molar_mass: np.ndarray
    source: str = ""
    _index: dict[str, int] = field(default_factory=dict, repr=False)
    _element_index: dict[str, int] = field(default_factory=dict, repr=False)

    @classmethod
    def from_records(cls, records: list[thermo.SpeciesRecord], source: str = "") -> Registry:
        names = tuple(r.name for r in records)
        if len(set(names)) != len(names):
            dup = sorted({n for n in names if names.count(n) > 1})
            raise ChemistryError(f"{source}: species defined twice: {', '.join(dup)}")
        elements = tuple(sorted({e for r in records for e in r.composition}))
        E = np.zeros((len(elements), len(names)))
        for j, r in enumerate(records):
            for e, n in r.composition.items():
                E[elements.index(e), j] = n
        weights = np.array([thermo.atomic_weight(e) for e in elements])
        E.setflags(write=False)
        mm = weights @ E
        mm.setflags(write=False)
        return cls(
            names,
            tuple(r.phase for r in records),
            elements,
            E,
            mm,
            source,
            {n: i for i, n in enumerate(names)},
            {e: i for i, e in enumerate(elements)},
        )

    @property
    def n(self) -> int:
        """Number of species."""
        return len(self.names)

    def index(self, name: str) -> int:
        """Column of species ``name``; a clear error with suggestions if unknown."""
        try:
            return self._index[name]
        except KeyError:
            near = difflib.get_close_matches(name, self.names, n=3)
            hint = f" (did you mean {', '.join(near)}?)" if near else ""
            raise ChemistryError(
                f"unknown species {name!r}{hint}; species are defined in {self.source}"
            ) from None

    def indices(self, names) -> np.ndarray:
        """Columns of several species."""
        return np.array([self.index(n) for n in names], dtype=int)

    def has(self, name: str) -> bool:
        return name in self._index

    def element_index(self, symbol: str) -> int:
        try:
            return self._element_index[symbol]
        except KeyError:
            raise ChemistryError(
                f"no species in {self.source} contains element {symbol!r}"
            ) from None

    @functools.cached_property
    def phase_masks(self) -> dict[str, np.ndarray]:
        """Phase name -> boolean mask over species."""
        ph = np.array(self.phases)
        return {p: ph == p for p in thermo.PHASE_SECTIONS}

    @functools.cached_property
    def thermo(self) -> thermo.ThermoSet:
        """Thermochemical data of every species, in column order (from the same thermo file)."""
        return thermo.read_thermo(self.source)

    def composition(self, name: str) -> dict[str, float]:
        """Element -> atoms per formula unit."""
        col = self.element_matrix[:, self.index(name)]
        return {e: float(col[i]) for i, e in enumerate(self.elements) if col[i]}

    def element_vector(self, symbol: str) -> np.ndarray:
        """Atoms of ``symbol`` per formula unit of every species, (n_species,)."""
        return self.element_matrix[self.element_index(symbol)]


@functools.lru_cache(maxsize=8)
def load_registry(path: str | Path = THERMO_FILE) -> Registry:
    """Registry of the species in ``path`` (cached per path)."""
    path = Path(path)
    return Registry.from_records(thermo.read_species(path), source=str(path))


def default_registry() -> Registry:
    """Registry of the project's thermo file ``params/thermo/species.yaml``."""
    return load_registry(THERMO_FILE)
