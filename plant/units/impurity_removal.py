"""Impurity removal by pH adjustment: Fe(III), Al and Th(IV) hydroxides precipitated with NaOH.

Steps, all at the target pH:

1. Fe(II) is oxidised to Fe(III) with hydrogen peroxide (dose ``oxidant_excess``
   times stoichiometric; the surplus decomposes to water and O2). The
   oxidation consumes acid; with too little free acid the rest of the Fe(II)
   stays dissolved (reported as ``fe2_oxidised_fraction``).
2. Fe(III), Al and Th(IV) hydrolyse to hydroxides until the residual
   concentration meets the solubility product, c = Ksp / [OH-]^n (n = 3, or 4
   for Th) with [OH-] = 10^(pH - 14) (activity coefficients taken as 1,
   Kw = 1e-14 at 25 degC). U(VI) (uranyl) stays dissolved: it hydrolyses only
   above pH ~5.
3. A fraction ``rare_earth_loss`` of each rare earth is lost to the cake
   (co-precipitation and occlusion; rare-earth hydroxides themselves only form
   above pH ~6).
4. NaOH neutralises all acid beyond the residual acidity at the target pH.

Concentrations use the inlet liquor volume (the added reagent water is
neglected there). Outlets: ``slurry`` (hydroxide cake + liquor), ``offgas`` (O2).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from plant.chemistry import ACID, CHEMISTRY, RARE_EARTHS
from plant.numerics import safe_ratio
from plant.params import fraction, number, quantity, table
from plant.reactions import ReactionSet, balance
from plant.species import Registry
from plant.stream import Stream
from plant.units.common import (
    AgitatedTankParams,
    agitated_tanks,
    col,
    liquor_volume_flow,
    reagent_solution,
    stack,
)
from plant.units.record import UnitResult

HYDROXIDE_FORMERS = ("Fe", "Al", "Th")
"""Impurities removed as hydroxides, each with a solubility product in params: Fe(III), Al(III)
and Th(IV)."""


@dataclass(frozen=True, kw_only=True)
class ImpurityRemovalParams(AgitatedTankParams):
    """Impurity removal.

    target_pH : pH after neutralisation [-]
    solubility_products : Ksp of Fe(OH)3 and Al(OH)3 [(mol/L)^4] and Th(OH)4 [(mol/L)^5]
    rare_earth_loss : fraction of each rare earth lost to the hydroxide cake [-]
    oxidant_excess : H2O2 dose / stoichiometric for Fe(II) -> Fe(III) [-]
    oxidant_strength, naoh_strength : mass fraction of the purchased solutions [kg/kg]
    temperature, residence_time, fill_fraction, liquor_density, solids_density : tank design
    """

    target_pH: float = number("target_pH", lo=0.0, hi=14.0)
    solubility_products: dict = table("solubility_products", HYDROXIDE_FORMERS, lo=0.0, hi=None)
    rare_earth_loss: float = fraction("rare_earth_loss")
    oxidant_excess: float = number("oxidant_excess", lo=1.0)
    oxidant_strength: float = quantity("oxidant_strength", "", lo=0.01, hi=1.0)
    naoh_strength: float = quantity("naoh_strength", "", lo=0.01, hi=1.0)


@dataclass(frozen=True)
class _Chemistry:
    oxidation: ReactionSet  # Fe(II) salt -> Fe(III) salt
    peroxide: ReactionSet  # H2O2 -> H2O + O2
    hydrolysis: ReactionSet  # salt + H2O -> hydroxide + acid, for Fe, Al, then rare earths
    hydrolysis_elements: tuple[str, ...]
    valence: np.ndarray  # hydroxide ions per metal atom of each impurity's hydroxide
    neutralisation: ReactionSet  # acid + NaOH -> Na salt + H2O


@functools.lru_cache(maxsize=8)
def chemistry(registry: Registry, acid: str) -> _Chemistry:
    a = ACID[acid]
    fe = CHEMISTRY["Fe"]
    oxidation = balance(
        registry, fe.metal_salt[acid], fe.salt[acid], [["H2O2(aq)", a.species, "H2O(l)"]]
    )
    peroxide = balance(registry, "H2O2(aq)", None, [["H2O(l)", "O2"]])
    elements = HYDROXIDE_FORMERS + RARE_EARTHS
    hydro = [
        balance(registry, CHEMISTRY[e].salt[acid], CHEMISTRY[e].hydroxide, [["H2O(l)", a.species]])
        for e in elements
    ]
    neutral = balance(registry, a.species, a.sodium_salt, [["NaOH(aq)", "H2O(l)"]])
    valence = np.array(
        [
            registry.composition(CHEMISTRY[e].hydroxide)["O"]
            / registry.composition(CHEMISTRY[e].hydroxide)[e]
            for e in HYDROXIDE_FORMERS
        ]
    )
    return _Chemistry(
        ReactionSet([oxidation], registry),
        ReactionSet([peroxide], registry),
        ReactionSet(hydro, registry),
        elements,
        valence,
        ReactionSet([neutral], registry),
    )


def run(liquor: Stream, p: ImpurityRemovalParams, acid: str) -> UnitResult:
    """Remove Fe and Al from ``liquor`` (from an ``acid`` leach); outlets ``slurry`` and
    ``offgas``."""
    reg = liquor.registry
    ch = chemistry(reg, acid)
    a = ACID[acid]
    i_acid, i_h2o2 = reg.index(a.species), reg.index("H2O2(aq)")
    volume_L = liquor_volume_flow(liquor, p.liquor_density) * 1e3
    f = liquor.flows
    # 1. oxidation of Fe(II), which consumes acid: limited by the free acid present
    acid_per_mol = -ch.oxidation.nu[0, i_acid]
    xi_ox = np.minimum(f[..., ch.oxidation.reactant], f[..., [i_acid]] / acid_per_mol)
    h2o2_dose = np.asarray(p.oxidant_excess) * ch.oxidation.demand(xi_ox, i_h2o2)
    h2o2 = reagent_solution(reg, "H2O2(aq)", h2o2_dose, p.oxidant_strength)
    after_ox = f + h2o2 + ch.oxidation.change(xi_ox)
    xi_dec = after_ox[..., i_h2o2][..., None]
    after_ox = after_ox + ch.peroxide.change(xi_dec)
    # 2-3. hydrolysis of Fe(III), Al (solubility product) and rare-earth loss
    oh = 10.0 ** (np.asarray(p.target_pH) - 14.0)
    salts = after_ox[..., ch.hydrolysis.reactant]
    metal_per_salt = reg.element_matrix[
        [reg.element_index(e) for e in ch.hydrolysis_elements], ch.hydrolysis.reactant
    ]
    residual_mol = [
        np.asarray(p.solubility_products[e]) / oh**n * volume_L
        for e, n in zip(HYDROXIDE_FORMERS, ch.valence)
    ]
    n_metal = salts[..., : len(HYDROXIDE_FORMERS)] * metal_per_salt[: len(HYDROXIDE_FORMERS)]
    frac_imp = np.clip(safe_ratio(n_metal - stack(residual_mol), n_metal), 0.0, 1.0)
    batch = np.broadcast_shapes(frac_imp.shape[:-1], np.shape(p.rare_earth_loss))
    frac = np.concatenate(
        [
            np.broadcast_to(frac_imp, batch + frac_imp.shape[-1:]),
            np.broadcast_to(col(p.rare_earth_loss), batch + (len(RARE_EARTHS),)),
        ],
        axis=-1,
    )
    xi_h = frac * salts
    after_h = after_ox + ch.hydrolysis.change(xi_h)
    # 4. neutralisation to the target pH
    residual_acid = 10.0 ** (-np.asarray(p.target_pH)) * volume_L / a.protons
    xi_n = np.maximum(after_h[..., i_acid] - residual_acid, 0.0)[..., None]
    naoh_mol = ch.neutralisation.demand(xi_n, reg.index("NaOH(aq)"))
    naoh = reagent_solution(reg, "NaOH(aq)", naoh_mol, p.naoh_strength)
    out = after_h + naoh + ch.neutralisation.change(xi_n)
    masks = reg.phase_masks
    slurry = Stream.owned(out * ~masks["gas"], p.temperature, liquor.P, reg)
    offgas = Stream.owned(out * masks["gas"], p.temperature, liquor.P, reg)
    equipment, heating = agitated_tanks(slurry, p)
    return UnitResult(
        "impurity_removal",
        inlets={
            "liquor": liquor,
            "oxidant": Stream.owned(h2o2, registry=reg),
            "naoh": Stream.owned(naoh, registry=reg),
        },
        outlets={"slurry": slurry, "offgas": offgas},
        equipment=equipment,
        reagents={
            "NaOH": naoh_mol * reg.molar_mass[reg.index("NaOH(aq)")],
            "H2O2": h2o2_dose * reg.molar_mass[i_h2o2],
        },
        heating=heating,
        performance={
            "fe2_oxidised_fraction": safe_ratio(
                xi_ox[..., 0], f[..., ch.oxidation.reactant[0]], 1.0
            ),
            "fe_removed_fraction": frac[..., 0],
            "al_removed_fraction": frac[..., 1],
            "th_removed_fraction": frac[..., 2],
        },
    )
