"""Oxalic acid precipitation of the rare earths.

2 RECl3 + 3 H2C2O4 + 10 H2O -> RE2(C2O4)3.10H2O + 6 HCl (and the sulfate
analogue). The dose is ``oxalic_excess`` times the stoichiometric 1.5 mol of
oxalic acid per mol of rare earth; the fraction precipitated follows a
measured recovery curve against that excess (Klemettinen et al. 2023,
Minerals 13(7): 1.0x -> 93 %, 1.2x -> 96.7 %, 1.4x -> 98.1 %), interpolated
linearly and held flat outside the measured range. Iron co-precipitates as
FeC2O4.2H2O (Fe(III) is reduced by oxalate, releasing CO2) along a second
curve; Co and Ni co-precipitate as oxalate dihydrates at set fractions.
If the dose cannot cover all of it, the impurities take what is left.

Outlet: ``slurry`` (oxalate solids + barren liquor). The oxalic acid is
bought as the dihydrate and dissolved to ``solution_strength``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from plant.chemistry import ACID, CHEMISTRY, RARE_EARTHS
from plant.numerics import safe_ratio
from plant.params import curve, number, quantity, table
from plant.reactions import ReactionSet, balance
from plant.species import Registry
from plant.stream import Stream
from plant.units.common import AgitatedTankParams, agitated_tanks, reagent_solution, stack
from plant.units.record import UnitResult

COPRECIPITATING = ("Co", "Ni", "Th")
OXALIC = "H2C2O4(aq)"


@dataclass(frozen=True, kw_only=True)
class OxalatePrecipitationParams(AgitatedTankParams):
    """Oxalate precipitation.

    oxalic_excess : oxalic acid dose / stoichiometric (1.5 mol per mol RE) [-]
    recovery_curve : fraction of rare earths precipitated against oxalic_excess
    iron_curve : fraction of iron co-precipitated against oxalic_excess
    coprecipitation : fraction of Co, Ni and Th co-precipitated [-]
    solution_strength : mass fraction of H2C2O4 in the dosing solution [kg/kg]
    temperature, residence_time, fill_fraction, liquor_density, solids_density : tank design
    """

    oxalic_excess: float = number("oxalic_excess", lo=0.0)
    recovery_curve: tuple = curve("recovery_curve", "excess", "recovery")
    iron_curve: tuple = curve("iron_curve", "excess", "fraction")
    coprecipitation: dict = table("coprecipitation", COPRECIPITATING)
    solution_strength: float = quantity("solution_strength", "", lo=0.001, hi=1.0)


@dataclass(frozen=True)
class _Chemistry:
    rare_earths: ReactionSet
    iron: ReactionSet  # Fe(III) and Fe(II) salts -> FeC2O4.2H2O
    others: ReactionSet  # Co, Ni, Th
    re_atoms: np.ndarray  # rare-earth atoms per salt formula unit, per rare-earth reaction


@functools.lru_cache(maxsize=8)
def chemistry(registry: Registry, acid: str) -> _Chemistry:
    a = ACID[acid]
    free = [[OXALIC, "H2O(l)", a.species], [OXALIC, "H2O(l)", a.species, "CO2"]]
    re = [
        balance(registry, CHEMISTRY[e].salt[acid], CHEMISTRY[e].oxalate, free) for e in RARE_EARTHS
    ]
    fe = CHEMISTRY["Fe"]
    iron = [balance(registry, s, fe.oxalate, free) for s in (fe.salt[acid], fe.metal_salt[acid])]
    others = [
        balance(registry, CHEMISTRY[e].salt[acid], CHEMISTRY[e].oxalate, free)
        for e in COPRECIPITATING
    ]
    atoms = np.array(
        [
            registry.element_matrix[registry.element_index(e), r.reactant]
            for e, r in zip(RARE_EARTHS, re)
        ]
    )
    return _Chemistry(
        ReactionSet(re, registry), ReactionSet(iron, registry), ReactionSet(others, registry), atoms
    )


def recovery(p: OxalatePrecipitationParams) -> np.ndarray:
    """Fraction of rare earths precipitated at the set oxalic excess [-]."""
    x, y = p.recovery_curve
    return np.interp(p.oxalic_excess, x, y)


def run(liquor: Stream, p: OxalatePrecipitationParams, acid: str) -> UnitResult:
    """Precipitate rare-earth oxalates from ``liquor``; outlet ``slurry``."""
    reg = liquor.registry
    ch = chemistry(reg, acid)
    i_ox = reg.index(OXALIC)
    f = liquor.flows
    excess = np.asarray(p.oxalic_excess)
    re_mol = f[..., ch.rare_earths.reactant] @ ch.re_atoms
    dose = excess * 1.5 * re_mol
    xi_re = ch.rare_earths.extents(f, recovery(p)[..., None])
    xi_fe = ch.iron.extents(f, np.interp(excess, *p.iron_curve)[..., None])
    xi_ot = ch.others.extents(f, stack([p.coprecipitation[e] for e in COPRECIPITATING]))
    need_re = ch.rare_earths.demand(xi_re, i_ox)
    need_imp = ch.iron.demand(xi_fe, i_ox) + ch.others.demand(xi_ot, i_ox)
    share_re = np.minimum(safe_ratio(dose, need_re, 1.0), 1.0)
    left = dose - need_re * share_re
    share_imp = np.minimum(safe_ratio(left, need_imp, 1.0), 1.0)
    xi_re, xi_fe, xi_ot = (
        xi_re * share_re[..., None],
        xi_fe * share_imp[..., None],
        xi_ot * share_imp[..., None],
    )
    reagent = reagent_solution(reg, OXALIC, dose, p.solution_strength)
    out = (
        f + reagent + ch.rare_earths.change(xi_re) + ch.iron.change(xi_fe) + ch.others.change(xi_ot)
    )
    slurry = Stream.owned(out, p.temperature, liquor.P, reg)
    dihydrate = reg.molar_mass[i_ox] + 2 * reg.molar_mass[reg.index("H2O(l)")]
    equipment, heating = agitated_tanks(slurry, p)
    return UnitResult(
        "oxalate_precipitation",
        inlets={"liquor": liquor, "oxalic": Stream.owned(reagent, registry=reg)},
        outlets={"slurry": slurry},
        equipment=equipment,
        reagents={"oxalic_acid_dihydrate": dose * dihydrate},
        heating=heating,
        performance={
            "rare_earth_precipitated_fraction": recovery(p) * share_re,
            "excess_outside_curve": bool(
                np.any((excess < p.recovery_curve[0][0]) | (excess > p.recovery_curve[0][-1]))
            ),
        },
    )
