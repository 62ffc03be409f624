"""Cantera adapter: the only module that imports ``cantera``.

Reads the thermo file (``params/thermo/species.yaml``): each species' formula
and phase, and its thermochemistry as Cantera species thermo objects.

A species' thermochemistry is either Cantera's own ``thermo`` block, or a
``thermo-phases`` list, in order of temperature, whose items are Cantera
thermo blocks or references ``file.yaml/NAME`` to a species of another
Cantera file (looked up beside the thermo file first, then among Cantera's
data files, e.g. ``nasa_gas.yaml/CO2``). Several items describe one
substance through its phase changes (Fe alpha, gamma, delta; B2O3 crystal,
liquid). Species without data are allowed; using them in an energy balance
is an error that names them.

Enthalpies come from Cantera's species thermo objects, evaluated once per
temperature and cached (:meth:`ThermoSet.enthalpy`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import cantera as ct
import numpy as np

from plant.errors import ChemistryError, ThermoError

PHASE_SECTIONS = {
    "solid": "solid-species",
    "aqueous": "aqueous-species",
    "liquid": "liquid-species",
    "organic": "organic-species",
    "gas": "gas-species",
}
"""Phase name -> YAML section holding that phase's species list."""

T_STANDARD = 298.15
"""Standard temperature of formation data [K]."""
FIT_START = 300.0
"""Fits of the NASA database (McBride et al.) start at 300 K, a step above the 298.15 K of the
tables they were fitted to; a fit starting at or below FIT_START is used down to T_STANDARD."""


RANGE_TOLERANCE = 1e-6
"""Temperatures this close to a range's end [K] count as inside it (round-off of mixing
temperatures)."""


@dataclass(frozen=True)
class SpeciesRecord:
    """One species as read from the thermo file."""

    name: str
    phase: str
    composition: dict[str, float]


@dataclass(frozen=True)
class ThermoPhase:
    """One temperature range of a species' data: a Cantera species thermo object valid on
    [t_min, t_max] [K]."""

    t_min: float
    t_max: float
    thermo: object
    origin: str


def _read_sections(path: Path) -> list[tuple[str, ct.Species]]:
    out = []
    for phase, section in PHASE_SECTIONS.items():
        try:
            species = ct.Species.list_from_file(str(path), section)
        except ct.CanteraError as exc:
            raise ChemistryError(
                f"{path}: cannot read species section '{section}': {exc}"
            ) from None
        out.extend((phase, sp) for sp in species)
    return out


def read_species(path: Path) -> list[SpeciesRecord]:
    """All species of ``path``, in file order, with their phase."""
    return [
        SpeciesRecord(sp.name, phase, dict(sp.composition)) for phase, sp in _read_sections(path)
    ]


def atomic_weight(symbol: str) -> float:
    """Atomic weight of an element [kg/mol], from Cantera's element data."""
    try:
        return ct.Element(symbol).weight / 1000.0
    except ct.CanteraError:
        raise ChemistryError(f"unknown element symbol {symbol!r}") from None


@functools.lru_cache(maxsize=16)
def _cantera_file(name: str, beside: str) -> dict:
    """Species of a Cantera file, by name; ``name`` is looked up beside ``beside`` first, then in
    Cantera's data."""
    local = Path(beside) / name
    try:
        species = ct.Species.list_from_file(str(local) if local.exists() else name)
    except ct.CanteraError as exc:
        raise ThermoError(f"cannot read Cantera file {name!r}: {exc}") from None
    return {sp.name: sp for sp in species}


def _phase(item, sp: ct.Species, path: Path, k: int) -> ThermoPhase:
    where = f"{path}: species {sp.name!r}, thermo-phases item {k + 1}"
    if isinstance(item, str):
        file, _, ref = item.rpartition("/")
        if not file or not ref:
            raise ThermoError(f"{where}: expected 'file.yaml/SPECIES'; given {item!r}")
        found = _cantera_file(file, str(path.parent)).get(ref)
        if found is None:
            raise ThermoError(f"{where}: no species {ref!r} in {file}")
        if {e: float(n) for e, n in found.composition.items()} != dict(sp.composition):
            raise ThermoError(
                f"{where}: {item} has composition {dict(found.composition)}, "
                f"{sp.name} has {dict(sp.composition)}"
            )
        thermo, origin = found.thermo, item
    elif isinstance(item, dict):
        try:
            thermo = ct.Species.from_dict(
                {"name": sp.name, "composition": dict(sp.composition), "thermo": item}
            ).thermo
        except ct.CanteraError as exc:
            raise ThermoError(f"{where}: {exc}") from None
        origin = f"{path.name} (inline)"
    else:
        raise ThermoError(
            f"{where}: expected a thermo block or 'file.yaml/SPECIES'; given {item!r}"
        )
    return ThermoPhase(float(thermo.min_temp), float(thermo.max_temp), thermo, origin)


def _phases(sp: ct.Species, path: Path) -> tuple[ThermoPhase, ...]:
    items = sp.input_data.get("thermo-phases")
    if items is None:
        items = [] if sp.thermo is None else [sp.input_data["thermo"]]
    if not items:
        return ()
    phases = sorted(
        (_phase(it, sp, path, k) for k, it in enumerate(items)), key=lambda ph: ph.t_min
    )
    first = phases[0]
    if first.t_min <= FIT_START:
        phases[0] = ThermoPhase(
            min(first.t_min, T_STANDARD), first.t_max, first.thermo, first.origin
        )
    return tuple(phases)


class ThermoSet:
    """Thermochemical data of every species of a thermo file, in file (registry) order.

    ``enthalpy(T)`` gives molar enthalpies [J/mol] on the formation basis (elements in their
    standard state at 298.15 K have zero enthalpy), NaN where a species has no data at T.
    """

    def __init__(
        self, names: tuple[str, ...], phases: tuple[tuple[ThermoPhase, ...], ...], source: str
    ):
        self.names, self.phases, self.source = names, phases, source
        self.has_data = np.array([bool(p) for p in phases])
        self._row = functools.lru_cache(maxsize=4096)(self._compute_row)
        """T -> (enthalpy with NaN where unknown, enthalpy with 0 there, mask of the unknown), each
        (n,)."""

    def valid_range(self, i: int) -> tuple[float, float]:
        """Lowest and highest temperature [K] of species ``i``'s data (NaN, NaN without data)."""
        ph = self.phases[i]
        return (ph[0].t_min, ph[-1].t_max) if ph else (np.nan, np.nan)

    def _compute_row(self, T: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        row = np.full(len(self.names), np.nan)
        for i, phases in enumerate(self.phases):
            for ph in phases:
                if ph.t_min - RANGE_TOLERANCE <= T <= ph.t_max + RANGE_TOLERANCE:
                    row[i] = ph.thermo.h(T) / 1000.0  # Cantera: J/kmol
                    break
        out = (row, np.nan_to_num(row), np.isnan(row))
        for a in out:
            a.setflags(write=False)
        return out

    def enthalpy(self, T) -> np.ndarray:
        """Molar enthalpy of every species [J/mol] at ``T`` [K] (scalar or (N,)): shape
        (..., n_species)."""
        return self._rows(T, 0)

    def enthalpy_known(self, T) -> tuple[np.ndarray, np.ndarray]:
        """(enthalpy [J/mol] with 0 where unknown, mask of the unknown) at ``T`` [K], shape
        (..., n_species)."""
        return self._rows(T, 1), self._rows(T, 2)

    def _rows(self, T, part: int) -> np.ndarray:
        T = np.asarray(T, dtype=float)
        if T.ndim == 0:
            return self._row(float(T))[part]
        values, inverse = np.unique(T, return_inverse=True)
        return np.stack([self._row(float(t))[part] for t in values])[inverse.reshape(T.shape)]

    def require(self, flows, T, where: str) -> None:
        """ThermoError naming the species of ``flows`` (..., n) that lack data at ``T`` [K]."""
        h = self.enthalpy(T)
        bad = np.isnan(h) & (np.asarray(flows) > 0)
        if not bad.any():
            return
        T_b = np.broadcast_to(np.asarray(T, dtype=float)[..., None], bad.shape)
        problems = []
        for i in np.flatnonzero(bad.reshape(-1, bad.shape[-1]).any(axis=0)):
            t = float(T_b[..., i][bad[..., i]].flat[0])
            lo, hi = self.valid_range(i)
            problems.append(
                f"{self.names[i]} has no thermo data in {self.source}"
                if np.isnan(lo)
                else f"{self.names[i]} at {t:.6g} K is outside its data's range {lo:.6g}-{hi:.6g} K"
            )
        exc = ThermoError(f"{where}: " + "; ".join(problems))
        exc.failing = bad.any(axis=-1)
        raise exc


@functools.lru_cache(maxsize=8)
def read_thermo(path: str | Path) -> ThermoSet:
    """The thermochemical data of every species of ``path`` (cached per path)."""
    path = Path(path)
    sections = _read_sections(path)
    return ThermoSet(
        tuple(sp.name for _, sp in sections),
        tuple(_phases(sp, path) for _, sp in sections),
        str(path),
    )


def stoichiometric_oxygen(composition: dict[str, float]) -> float:
    """O2 [mol] to burn one mol of a species of ``composition`` (element -> atoms) to
    CO2, H2O, SO2, N2."""
    c = composition
    return c.get("C", 0.0) + 0.25 * c.get("H", 0.0) + c.get("S", 0.0) - 0.5 * c.get("O", 0.0)


@functools.lru_cache(maxsize=32)
def equilibrium_flame_temperature(
    fuel: tuple[tuple[str, float], ...],
    excess_air: float,
    air_temperature: float = T_STANDARD,
    pressure: float = ct.one_atm,
    mechanism: str = "gri30.yaml",
) -> float:
    """Adiabatic flame temperature [K] at chemical equilibrium (dissociation included).

    ``fuel`` : (species, mole fraction) pairs, at 298.15 K; burnt with ``excess_air`` times the
    stoichiometric dry air (O2 0.21, N2 0.79) preheated to ``air_temperature`` [K], at ``pressure``
    [Pa], in Cantera's ``mechanism`` (default GRI-Mech 3.0).
    """
    gas = ct.Solution(mechanism)
    try:
        o2 = excess_air * sum(
            x * stoichiometric_oxygen(gas.species(name).composition) for name, x in fuel
        )
        gas.TPX = T_STANDARD, pressure, dict(fuel)
    except (ct.CanteraError, ValueError) as exc:
        raise ThermoError(f"fuel {dict(fuel)} is not in {mechanism}: {exc}") from None
    total = sum(x for _, x in fuel)
    fuel_q = ct.Quantity(gas, moles=total)
    air_gas = ct.Solution(mechanism)
    air_gas.TPX = air_temperature, pressure, {"O2": 0.21, "N2": 0.79}
    mix = fuel_q + ct.Quantity(air_gas, moles=o2 / 0.21)
    mix.equilibrate("HP")
    return float(mix.T)
