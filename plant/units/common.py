"""Helpers shared by the unit operations: air, reagent solutions, liquor volume, vessel sizing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from plant.errors import InfeasibleError
from plant.params import quantity, where_field
from plant.species import Registry
from plant.stream import Stream
from plant.units.equipment import AgitatedTanks, Service, TransferPump
from plant.units.record import Heating

AIR_MOLE_FRACTIONS: Mapping[str, float] = {"N2": 0.78084, "O2": 0.209476, "Ar": 0.00934}
"""Dry air [mol/mol], U.S. Standard Atmosphere 1976, Table 3 (CO2 and traces omitted, 0.034 %)."""

WATER_DENSITY = 997.05
"""Density of liquid water at 25 degC [kg/m3] (CRC Handbook, 'Properties of water')."""


def col(x) -> np.ndarray:
    """A parameter (scalar or (N,)) as a column that broadcasts against (..., n) arrays."""
    return np.asarray(x, dtype=float)[..., None]


def stack(values, batch_shape=()) -> np.ndarray:
    """Stack scalars or (N,) arrays along a last axis: (..., len(values))."""
    arrays = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in values), np.empty(batch_shape)
    )
    return np.stack(arrays[:-1], axis=-1)


def air(o2_mol_per_s, registry: Registry) -> np.ndarray:
    """Flows (..., n_species) [mol/s] of dry air carrying ``o2_mol_per_s`` of O2."""
    o2 = np.asarray(o2_mol_per_s, dtype=float)
    f = np.zeros(o2.shape + (registry.n,))
    for name, x in AIR_MOLE_FRACTIONS.items():
        f[..., registry.index(name)] = o2 * x / AIR_MOLE_FRACTIONS["O2"]
    return f


def batch_of(*values) -> tuple[int, ...]:
    """The batch shape that scalars and (N,) parameter arrays ``values`` broadcast to."""
    return np.broadcast_shapes(*(np.shape(v) for v in values))


def on_batch(flows: np.ndarray, *values) -> np.ndarray:
    """A writable copy of ``flows`` (..., n_species) spread over the batch of ``flows`` and of the
    parameters ``values``, for a unit to change in place sample by sample."""
    batch = np.broadcast_shapes(flows.shape[:-1], batch_of(*values))
    return np.broadcast_to(flows, batch + flows.shape[-1:]).copy()


def reagent_solution(registry: Registry, species: str, mol_per_s, mass_fraction) -> np.ndarray:
    """Flows (..., n_species) of a reagent solution: ``species`` in water at ``mass_fraction``
    [kg/kg]."""
    n = np.broadcast_to(np.asarray(mol_per_s, dtype=float), batch_of(mol_per_s, mass_fraction))
    f = np.zeros(n.shape + (registry.n,))
    i, w = registry.index(species), registry.index("H2O(l)")
    f[..., i] = n
    f[..., w] = (
        n
        * registry.molar_mass[i]
        * (1.0 / np.asarray(mass_fraction) - 1.0)
        / registry.molar_mass[w]
    )
    return f


def liquor_volume_flow(stream: Stream, liquor_density) -> np.ndarray:
    """Volumetric flow [m3/s] of the aqueous solution (water + solutes) at ``liquor_density``
    [kg/m3]."""
    masks = stream.registry.phase_masks
    return stream.mass_of(masks["aqueous"] | masks["liquid"]) / np.asarray(liquor_density)


def slurry_volume_flow(stream: Stream, liquor_density, solids_density) -> np.ndarray:
    """Volumetric flow [m3/s] of a slurry: liquor plus solids."""
    solids = stream.mass_of(stream.registry.phase_masks["solid"])
    return liquor_volume_flow(stream, liquor_density) + solids / np.asarray(solids_density)


def vessel_volume(volume_flow, residence_time, fill_fraction) -> np.ndarray:
    """Working volume / fill fraction [m3] for a flow [m3/s] held ``residence_time`` [s]."""
    return np.asarray(volume_flow) * np.asarray(residence_time) / np.asarray(fill_fraction)


@dataclass(frozen=True, kw_only=True)
class AgitatedTankParams:
    """Agitated tanks of a wet unit: what sizes them.

    temperature : operating temperature [K]
    residence_time : [s]
    fill_fraction : working volume / tank volume [-]
    liquor_density, solids_density : for the slurry volume [kg/m3]
    """

    temperature: float = quantity("temperature", "K", positive=True)
    residence_time: float = quantity("residence_time", "s", positive=True)
    fill_fraction: float = quantity("fill_fraction", "", lo=0.05, hi=1.0)
    liquor_density: float = quantity("liquor_density", "kg/m^3", positive=True)
    solids_density: float = quantity("solids_density", "kg/m^3", positive=True)
    where: str = where_field()


def agitated_tanks(
    slurry: Stream, p: AgitatedTankParams, tanks: int = 1
) -> tuple[tuple[AgitatedTanks, TransferPump], Heating]:
    """The agitated tanks holding ``slurry`` (volume per tank [m3]) and their transfer pump, and
    their heating at the tanks' temperature."""
    v = slurry_volume_flow(slurry, p.liquor_density, p.solids_density)
    volume = vessel_volume(v, p.residence_time, p.fill_fraction) / tanks
    tanks_ = AgitatedTanks(volume, tanks, service_of(slurry, p.temperature))
    return (tanks_, TransferPump(v)), Heating(np.asarray(p.temperature))


def service_of(stream: Stream, temperature) -> Service:
    """The service of a vessel holding ``stream`` at ``temperature`` [K]: 'HCl' if its solution
    carries chloride, else 'H2SO4' if sulfate, else 'water' (in any sample)."""
    reg = stream.registry
    aqueous = reg.phase_masks["aqueous"]
    flows = np.asarray(stream.flows)
    for element, medium in (("Cl", "HCl"), ("S", "H2SO4")):
        if element in reg.elements:
            carriers = aqueous & (reg.element_vector(element) > 0)
            if np.any(flows[..., carriers] > 0):
                return Service(medium, np.asarray(temperature))
    return Service("water", np.asarray(temperature))


def require(condition, message: str) -> None:
    """Raise InfeasibleError with ``message`` (and the number of failing samples) unless all
    hold."""
    ok = np.asarray(condition)
    if not ok.all():
        n_bad = int((~ok).sum())
        tail = f" (in {n_bad} of {ok.size} samples)" if ok.size > 1 else ""
        exc = InfeasibleError(message + tail)
        exc.failing = ~ok
        raise exc
