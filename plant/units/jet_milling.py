"""Jet milling of the degassed powder to single-crystal particles (3-5 um) in nitrogen.

Fine NdFeB powder takes up oxygen at every step (HD, milling, handling); the oxygen binds the rare
earths as oxides at the grain boundaries. ``oxygen_pickup`` [kg O per kg powder] is drawn from the
impurity oxygen of the milling gas and oxidises every rare earth by the same fraction, to its oxide
(plant.chemistry). The ultrafine fraction ``fines_loss`` is caught in the cyclone and goes to the
hydrometallurgical route. The nitrogen loop is closed; ``nitrogen_makeup`` is vented.

Outlets: ``powder``, ``fines``, ``vent`` (make-up nitrogen).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from plant.chemistry import CHEMISTRY, RARE_EARTHS, oxide_per_element
from plant.numerics import safe_ratio
from plant.params import fraction, quantity, where_field
from plant.species import Registry
from plant.stream import Stream
from plant.units.common import col, on_batch, require
from plant.units.equipment import JetMill
from plant.units.record import UnitResult


@dataclass(frozen=True)
class JetMillingParams:
    """Jet milling.

    oxygen_pickup : oxygen taken up [kg O per kg powder]
    fines_loss : fraction of the powder lost as cyclone fines [-]
    nitrogen_makeup : make-up nitrogen [kg per kg powder]
    specific_energy : electricity of the mill and its gas compressor [J/kg] (TOML in kWh/kg)
    """

    oxygen_pickup: float = quantity("oxygen_pickup", "", lo=0.0, hi=0.05)
    fines_loss: float = fraction("fines_loss")
    nitrogen_makeup: float = quantity("nitrogen_makeup", "", lo=0.0, hi=100.0)
    specific_energy: float = quantity("specific_energy", "J/kg", lo=0.0)
    where: str = where_field()


@functools.lru_cache(maxsize=8)
def _oxidation(registry: Registry) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Columns of the rare earths and of their oxides, rare-earth atoms per oxide unit [-] and O
    atoms taken per rare-earth atom [-]."""
    ox, _ = oxide_per_element(registry)
    comp = [registry.composition(CHEMISTRY[e].oxide) for e in RARE_EARTHS]
    atoms = np.array([c[e] for c, e in zip(comp, RARE_EARTHS)])
    return registry.indices(RARE_EARTHS), ox, atoms, np.array([c["O"] for c in comp]) / atoms


def run(powder: Stream, p: JetMillingParams) -> UnitResult:
    """Mill ``powder``; outlets ``powder``, ``fines`` and ``vent``."""
    reg = powder.registry
    re, ox, atoms, o_per_re = _oxidation(reg)
    mass = powder.mass_flow
    o_mol = np.asarray(p.oxygen_pickup) * mass / (reg.molar_mass[reg.index("O2")] / 2.0)
    capacity = powder.flows[..., re] @ o_per_re
    share = safe_ratio(o_mol, capacity)
    require(
        share <= 1.0 + 1e-12,
        f"{p.where}: oxygen_pickup needs more rare earth than the powder holds",
    )
    oxidised = powder.flows[..., re] * col(np.minimum(share, 1.0))
    out = on_batch(powder.flows, oxidised[..., 0], p.nitrogen_makeup)
    out[..., re] -= oxidised
    out[..., ox] += oxidised / atoms
    i_o2, i_n2 = reg.index("O2"), reg.index("N2")
    n2 = np.asarray(p.nitrogen_makeup) * mass / reg.molar_mass[i_n2]
    gas = np.zeros_like(out)
    gas[..., i_o2] = (oxidised @ o_per_re) / 2.0
    gas[..., i_n2] = n2
    vent = np.zeros_like(out)
    vent[..., i_n2] = n2
    fines = out * col(p.fines_loss)
    return UnitResult(
        "jet_milling",
        inlets={"powder": powder, "gas": Stream.owned(gas, registry=reg)},
        outlets={
            "powder": Stream.owned(out - fines, powder.T, powder.P, reg),
            "fines": Stream.owned(fines, powder.T, powder.P, reg),
            "vent": Stream.owned(vent, registry=reg),
        },
        equipment=(JetMill(mass, mass * np.asarray(p.specific_energy)),),
        reagents={"nitrogen": n2 * reg.molar_mass[i_n2]},
    )
