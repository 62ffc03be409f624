"""Acid adjustment of a strip liquor before the next solvent-extraction circuit.

A circuit's strip liquor leaves at several mol/L of free acid, at which an acidic extractant takes
up almost nothing: a downstream circuit fed with it could not extract. Caustic soda neutralises the
free acid down to ``target_acid`` (acid + NaOH -> sodium salt + water, balanced from the species
file); the rare earths stay dissolved (their hydroxides form only above pH ~6). A liquor already at
or below the target passes unchanged. One agitated tank at ambient temperature; the heat of
neutralisation (about 56 kJ/mol) is taken by the tank's cooling water and not balanced [E].

Outlet: ``liquor``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from plant.chemistry import ACID
from plant.params import quantity
from plant.reactions import ReactionSet, balance
from plant.species import Registry
from plant.stream import Stream
from plant.units.common import (
    AgitatedTankParams,
    agitated_tanks,
    liquor_volume_flow,
    reagent_solution,
)
from plant.units.record import UnitResult


@dataclass(frozen=True, kw_only=True)
class AcidAdjustmentParams(AgitatedTankParams):
    """Acid adjustment.

    target_acid : free acid left in the liquor, as H+ [mol/m3]
    naoh_strength : mass fraction of the purchased caustic soda [kg/kg]
    temperature, residence_time, fill_fraction, liquor_density, solids_density : tank design
    """

    target_acid: float = quantity("target_acid", "mol/m^3", lo=0.0, hi=1.2e4)
    naoh_strength: float = quantity("naoh_strength", "", lo=0.01, hi=1.0)


@functools.lru_cache(maxsize=8)
def neutralisation(registry: Registry, acid: str) -> ReactionSet:
    """acid + NaOH -> sodium salt + H2O, balanced."""
    a = ACID[acid]
    return ReactionSet(
        [balance(registry, a.species, a.sodium_salt, [["NaOH(aq)", "H2O(l)"]])], registry
    )


def run(liquor: Stream, p: AcidAdjustmentParams, acid: str) -> UnitResult:
    """Neutralise the free ``acid`` of ``liquor`` to ``p.target_acid``; outlet ``liquor``."""
    reg = liquor.registry
    a = ACID[acid]
    ch = neutralisation(reg, acid)
    i_acid = reg.index(a.species)
    volume = liquor_volume_flow(liquor, p.liquor_density)  # m3/s
    f = liquor.flows
    keep = np.asarray(p.target_acid) * volume / a.protons  # mol/s of acid left
    xi = np.maximum(f[..., i_acid] - keep, 0.0)[..., None]
    naoh_mol = ch.demand(xi, reg.index("NaOH(aq)"))
    naoh = reagent_solution(reg, "NaOH(aq)", naoh_mol, p.naoh_strength)
    out = Stream.owned(f + naoh + ch.change(xi), liquor.T, liquor.P, reg)
    equipment, _ = agitated_tanks(out, p)
    return UnitResult(
        "acid_adjustment",
        inlets={"liquor": liquor, "naoh": Stream.owned(naoh, registry=reg)},
        outlets={"liquor": out},
        equipment=equipment,
        reagents={"NaOH": naoh_mol * reg.molar_mass[reg.index("NaOH(aq)")]},
    )
