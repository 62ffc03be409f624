"""Solvent extraction: rare-earth separation circuits, their streams, sizing and consumption.

A circuit (:mod:`plant.units.solvent_extraction.circuit`) splits the rare earths of an
aqueous chloride liquor between its raffinate (the less extractable ones) and
its strip liquor (the more extractable ones). ``run()`` solves it for a
liquor stream and books the streams:

- extraction moves each rare earth's salt into the organic and leaves its
  acid in the raffinate (RECl3 -> RE(org) + 3 HCl); stripping takes that acid
  from the strip acid and forms the salt in the strip liquor;
- the saponification reagent (NaOH or NH3) pre-neutralises a share of the
  extractant; its cation is exchanged into the raffinate, where it leaves as
  the chloride (NaCl or NH4Cl) of acid released by extraction;
- scrub liquor (dilute acid) leaves with the raffinate;
- entrained and dissolved organic leaves with the aqueous outflows and is
  made up (outlet ``organic_loss``, inlet ``organic_makeup``).
Elements that the extractant does not take at these pH values (Fe, Al,
Co, Ni, Cu, B, the saponification cation) leave with the raffinate [E].
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from plant.chemistry import ACID, CHEMISTRY, RARE_EARTHS
from plant.numerics import safe_ratio
from plant.reactions import ReactionSet, balance
from plant.species import Registry
from plant.stream import Stream
from plant.units.common import UnitResult, col, liquor_volume_flow, reagent_solution, require
from plant.units.solvent_extraction.circuit import (
    CircuitDesign,
    CircuitSolution,
    solve_circuit,
)
from plant.units.solvent_extraction.equilibrium import ExchangeModel
from plant.units.solvent_extraction.parameters import (
    CATION,
    DILUENT,
    RE_CHARGE,
    SAPONIFIERS,
    CircuitParams,
    ExtractantParams,
    SolventExtractionParams,
)


def exchange_model(x: ExtractantParams, components: tuple[str, ...]) -> ExchangeModel:
    """The cation-exchange model of ``components`` (rare earths and CATION) from extractant data."""
    ref_dimer_molL = np.asarray(x.reference_dimer) / 1000.0
    log_K, slope, order, charge, sites = [], [], [], [], []
    for c in components:
        if c == CATION:
            n, m, log_D, v, s = 1.0, 0.5, np.asarray(x.cation_log_D), 1.0, 1.0
        else:
            n, m, log_D = (
                np.asarray(x.slope[c]),
                np.asarray(x.dimer_order),
                np.log10(x.separation_factor[c]),
            )
            v, s = RE_CHARGE, 2.0 * RE_CHARGE
        log_K.append(log_D - n * np.asarray(x.reference_pH) - m * np.log10(ref_dimer_molL))
        slope.append(n)
        order.append(m)
        charge.append(v)
        sites.append(s)
    st = lambda a: np.stack(np.broadcast_arrays(*[np.asarray(v, dtype=float) for v in a]), axis=-1)
    return ExchangeModel(st(log_K), st(slope), st(order), st(charge), st(sites))


@dataclass(frozen=True)
class _Chemistry:
    salts: np.ndarray  # species index of each rare earth's salt in this acid
    re_per_salt: np.ndarray  # rare-earth atoms per salt formula unit
    acid: int  # species index of the acid
    acid_per_re: float  # acid molecules carrying the charge of one RE(3+)
    saponification: ReactionSet  # reagent + acid -> cation salt + water


@functools.lru_cache(maxsize=8)
def chemistry(registry: Registry, acid: str, reagent: str) -> _Chemistry:
    a = ACID[acid]
    salts = [CHEMISTRY[e].salt[acid] for e in RARE_EARTHS]
    idx = registry.indices(salts)
    re_atoms = np.array(
        [registry.element_matrix[registry.element_index(e), i] for e, i in zip(RARE_EARTHS, idx)]
    )
    species, salt = SAPONIFIERS[reagent]
    sapon = balance(registry, species, salt[acid], [[a.species, "H2O(l)"], [a.species]])
    return _Chemistry(
        idx,
        re_atoms,
        registry.index(a.species),
        RE_CHARGE / a.protons,
        ReactionSet([sapon], registry),
    )


def circuit_components(feed_re: np.ndarray) -> tuple[str, ...]:
    """Rare earths present (in any sample) in ``feed_re`` (..., n_RE) [mol/s], and the cation."""
    present = np.asarray(feed_re).reshape(-1, len(RARE_EARTHS)).max(axis=0) > 0
    return tuple(e for e, p in zip(RARE_EARTHS, present) if p) + (CATION,)


def feed_state(liquor: Stream, p: SolventExtractionParams, acid: str):
    """What a circuit sees of its feed liquor: rare earths (..., n_RE) [mol/s, RARE_EARTHS order], volume
    flow [m3/s] and free acid [mol H+/m3]."""
    reg = liquor.registry
    ch = chemistry(reg, acid, p.saponification_reagent)
    f = liquor.flows
    F = liquor_volume_flow(liquor, p.liquor_density)
    return f[..., ch.salts] * ch.re_per_salt, F, safe_ratio(f[..., ch.acid] * ACID[acid].protons, F)


@dataclass(frozen=True)
class _Solved:
    design: CircuitDesign
    solution: CircuitSolution
    comps: tuple[str, ...]
    re_in: np.ndarray  # (..., n_RE) mol/s, RARE_EARTHS order
    to_strip: np.ndarray  # (..., n_RE) share of each rare earth reporting to the strip liquor


def split(liquor: Stream, p: SolventExtractionParams, circuit: str, acid: str) -> np.ndarray:
    """The share of each rare earth (..., n_RE, RARE_EARTHS order) that circuit ``circuit`` sends to its
    strip liquor, without the outlet streams and their checks (for calibration searches)."""
    return _solve(liquor, p, circuit, acid).to_strip


def _solve(liquor: Stream, p: SolventExtractionParams, circuit: str, acid: str) -> _Solved:
    c: CircuitParams = getattr(p, circuit)
    re_in, F, feed_acid = feed_state(liquor, p, acid)
    comps = circuit_components(re_in)
    picks = [RARE_EARTHS.index(e) for e in comps[:-1]]
    na_in = liquor.element("Na")
    feed = np.concatenate([re_in[..., picks], na_in[..., None]], axis=-1)
    require(F > 0, f"{c.where}: the liquor to solvent extraction has no volume flow")
    C = np.asarray(p.extractant_concentration)
    design = CircuitDesign(
        c.n_extraction,
        c.n_scrub,
        c.n_strip,
        F,
        np.asarray(c.organic_ratio) * F,
        np.asarray(c.scrub_ratio) * F,
        np.asarray(c.strip_ratio) * F,
        feed_acid,
        np.asarray(c.scrub_acid),
        np.asarray(c.strip_acid),
        C,
        np.asarray(c.saponification) * C,
    )
    if p.mode == "pH":
        model = exchange_model(p.extractant_data(), comps)
        sol = solve_circuit(design, feed, model=model, cation_index=len(comps) - 1, where=c.where)
    else:
        D = np.stack(
            np.broadcast_arrays(
                *[np.asarray(c.distribution_ratio[e], dtype=float) for e in comps[:-1]],
                np.asarray(1e-9),
            ),
            axis=-1,
        )
        DR = np.stack(
            np.broadcast_arrays(
                *[np.asarray(c.strip_distribution_ratio[e], dtype=float) for e in comps[:-1]],
                np.asarray(1e-9),
            ),
            axis=-1,
        )
        sol = solve_circuit(design, feed, D=D, D_strip=DR, where=c.where)
    batch = sol.raffinate.shape[:-1]
    re_in = np.broadcast_to(re_in, batch + re_in.shape[-1:])
    # share of each rare earth reporting to the strip liquor (normalised: exactly conservative)
    to_strip = np.zeros(re_in.shape)
    to_strip[..., picks] = safe_ratio(
        sol.strip_liquor[..., :-1], sol.strip_liquor[..., :-1] + sol.raffinate[..., :-1]
    )
    return _Solved(design, sol, comps, re_in, to_strip)


def run(liquor: Stream, p: SolventExtractionParams, circuit: str, acid: str) -> UnitResult:
    """Solve circuit ``circuit`` ('heavy' or 'light') for ``liquor``; outlets raffinate, strip_liquor, organic_loss."""
    reg = liquor.registry
    c: CircuitParams = getattr(p, circuit)
    ch = chemistry(reg, acid, p.saponification_reagent)
    a = ACID[acid]
    solved = _solve(liquor, p, circuit, acid)
    design, sol, comps, re_in, to_strip = (
        solved.design,
        solved.solution,
        solved.comps,
        solved.re_in,
        solved.to_strip,
    )
    batch = sol.raffinate.shape[:-1]
    f = np.broadcast_to(liquor.flows, batch + liquor.flows.shape[-1:])
    moved_re = to_strip * re_in  # mol/s of rare earth
    moved_salt = safe_ratio(moved_re, ch.re_per_salt)
    acid_moved = moved_re.sum(axis=-1) * ch.acid_per_re
    scrub = _acid_solution(reg, a, design.scrub_acid * design.scrub_flow, design.scrub_flow, p)
    strip = _acid_solution(reg, a, design.strip_acid * design.strip_flow, design.strip_flow, p)
    reagent_species = SAPONIFIERS[p.saponification_reagent][0]
    sapon_mol = design.cation * design.organic_flow
    sapon = reagent_solution(reg, reagent_species, sapon_mol, p.reagent_strength)
    raff = f + scrub + sapon  # a new array of the batch shape
    raff[..., ch.salts] -= moved_salt
    raff[..., ch.acid] += acid_moved
    acid_needed = sapon_mol * -ch.saponification.nu[0, ch.acid]
    require(
        raff[..., ch.acid] >= acid_needed * (1 - 1e-12),
        f"{c.where}: saponification ({float(np.max(c.saponification)):.0%} of the extractant) needs more acid "
        "than the raffinate carries; lower the saponification or raise the scrub acid",
    )
    raff = raff + ch.saponification.change(
        np.minimum(sapon_mol, raff[..., ch.acid] / -ch.saponification.nu[0, ch.acid])[..., None]
    )
    sl = np.broadcast_to(strip, batch + strip.shape[-1:]).copy()
    sl[..., ch.salts] += moved_salt
    sl[..., ch.acid] -= acid_moved
    require(
        sl[..., ch.acid] >= -1e-12 * np.maximum(acid_moved, 1e-300),
        f"{c.where}: the strip acid cannot take the rare earths off the organic; raise strip_acid or strip_ratio",
    )
    sl[..., ch.acid] = np.maximum(sl[..., ch.acid], 0.0)
    loss, org_design = _organic_loss(
        reg, p, np.broadcast_to(design.feed_flow + design.scrub_flow, batch), design.strip_flow
    )
    sizing = _sizing(design, p)
    ext_share = org_design["extractant_volume_fraction"]
    charge = {
        "extractant_charge_kg": sizing["organic_inventory_m3"]
        * ext_share
        * np.asarray(p.extractant_data().density),
        "diluent_charge_kg": sizing["organic_inventory_m3"]
        * (1.0 - ext_share)
        * np.asarray(p.diluent_density),
    }
    raff_s = Stream.owned(raff, liquor.T, liquor.P, reg)
    sl_s = Stream.owned(sl, liquor.T, liquor.P, reg)
    return UnitResult(
        f"solvent_extraction_{circuit}",
        inlets={
            "liquor": liquor,
            "scrub": Stream.owned(scrub, registry=reg),
            "strip_acid": Stream.owned(strip, registry=reg),
            "saponification": Stream.owned(sapon, registry=reg),
            "organic_makeup": Stream.owned(loss.copy(), registry=reg),
        },
        outlets={
            "raffinate": raff_s,
            "strip_liquor": sl_s,
            "organic_loss": Stream.owned(loss, registry=reg),
        },
        design={
            **sizing,
            **org_design,
            **charge,
            "components": comps,
            "to_strip": {e: to_strip[..., i] for i, e in enumerate(RARE_EARTHS) if e in comps},
            "acid_kg_per_s": (scrub[..., ch.acid] + strip[..., ch.acid]) * reg.molar_mass[ch.acid],
            "acid_species": a.species,
            "saponification_reagent_kg_per_s": sapon_mol
            * reg.molar_mass[reg.index(reagent_species)],
            "saponification_reagent": p.saponification_reagent,
            "profiles": _profiles(sol, comps),
            "recycle_passes": sol.passes,
        },
    )


def _acid_solution(
    reg: Registry, a, acid_mol, volume_flow, p: SolventExtractionParams
) -> np.ndarray:
    """Flows of an acid solution: ``acid_mol`` [mol/s of H+] in ``volume_flow`` [m3/s] of liquor."""
    n = np.asarray(acid_mol, dtype=float) / a.protons
    out = np.zeros(np.shape(n) + (reg.n,))
    i, w = reg.index(a.species), reg.index("H2O(l)")
    out[..., i] = n
    water_kg = np.asarray(volume_flow) * np.asarray(p.liquor_density) - n * reg.molar_mass[i]
    require(
        water_kg > 0,
        f"{p.where}: acid stronger than the liquor density allows; lower the scrub or strip acid",
    )
    out[..., w] = water_kg / reg.molar_mass[w]
    return out


def _organic_loss(reg: Registry, p: SolventExtractionParams, raffinate_flow, strip_flow):
    """Organic lost with the aqueous outflows (entrainment + extractant solubility), (..., n_species) mol/s."""
    x = p.extractant_data()
    i_ext, i_dil = reg.index(x.species), reg.index(DILUENT)
    aq = np.asarray(raffinate_flow) + np.asarray(strip_flow)
    C = np.asarray(p.extractant_concentration)
    ext_volume_fraction = C * reg.molar_mass[i_ext] / np.asarray(x.density)
    require(
        ext_volume_fraction < 1.0,
        f"{p.where}: extractant_concentration exceeds the pure extractant",
    )
    entrained = np.asarray(p.entrainment) * aq  # m3/s of organic
    ext_mol = entrained * C + np.asarray(p.extractant_solubility) * aq / reg.molar_mass[i_ext]
    dil_mol = (
        entrained
        * (1.0 - ext_volume_fraction)
        * np.asarray(p.diluent_density)
        / reg.molar_mass[i_dil]
    )
    loss = np.zeros(np.broadcast_shapes(np.shape(ext_mol), np.shape(dil_mol)) + (reg.n,))
    loss[..., i_ext] = ext_mol
    loss[..., i_dil] = dil_mol
    return loss, {
        "extractant_loss_kg_per_s": ext_mol * reg.molar_mass[i_ext],
        "diluent_loss_kg_per_s": dil_mol * reg.molar_mass[i_dil],
        "extractant_volume_fraction": ext_volume_fraction,
    }


def _sizing(d: CircuitDesign, p: SolventExtractionParams) -> dict[str, object]:
    """Mixer-settler sizes and the organic inventory.

    Mixer: (aqueous + organic) x mixer residence time; settler: area = flow / settler_flux, depth
    settler_depth, half of it organic [E]; organic inventory: mixers and settlers of every stage.
    """
    aq_main = d.main_aqueous()
    aq = np.concatenate(
        [
            aq_main,
            np.broadcast_to(
                np.asarray(d.strip_flow, dtype=float)[..., None], aq_main.shape[:-1] + (d.n_strip,)
            ),
        ],
        axis=-1,
    )
    total = aq + np.asarray(d.organic_flow, dtype=float)[..., None]
    mixer = total * col(p.mixer_residence_time)
    area = total / col(p.settler_flux)
    settler = area * col(p.settler_depth)
    org_share = safe_ratio(np.asarray(d.organic_flow, dtype=float)[..., None], total)
    inventory = (mixer * org_share + settler * 0.5).sum(axis=-1)
    return {
        "stages": d.n_main + d.n_strip,
        "n_extraction": d.n_extraction,
        "n_scrub": d.n_scrub,
        "n_strip": d.n_strip,
        "mixer_volume_m3": mixer.sum(axis=-1),
        "settler_area_m2": area.sum(axis=-1),
        "settler_volume_m3": settler.sum(axis=-1),
        "organic_inventory_m3": inventory,
        "organic_m3_per_s": np.asarray(d.organic_flow),
        "feed_m3_per_s": np.asarray(d.feed_flow),
    }


def _profiles(sol: CircuitSolution, comps) -> dict[str, object]:
    """Stage profiles, main cascade then strip: aqueous and organic [mol/m3] per component, pH."""
    cat = lambda a, b: np.concatenate([a, b], axis=-1)
    out = {
        "aqueous_mol_per_m3": {
            c: cat(sol.main.aqueous[..., i, :], sol.strip.aqueous[..., i, :])
            for i, c in enumerate(comps)
        },
        "organic_mol_per_m3": {
            c: cat(sol.main.organic[..., i, :], sol.strip.organic[..., i, :])
            for i, c in enumerate(comps)
        },
    }
    if sol.main.pH is not None:
        out["pH"] = cat(sol.main.pH, sol.strip.pH)
    return out
