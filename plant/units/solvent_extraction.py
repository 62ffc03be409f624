"""Solvent extraction: rare-earth separation circuits, their streams, sizing and consumption.

A circuit (:mod:`plant.units.sx_circuit`) splits the rare earths of an
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

Scripting API (constant-D mode, extraction and scrub only)::

    from plant.units.solvent_extraction import solve_cascade
    r = solve_cascade(feed={"Nd": 1.0, "Dy": 0.1}, D={"Nd": 0.5, "Dy": 8.0},
                      n_extraction=10, n_scrub=10,
                      aqueous_flow=1e-3, organic_flow=1.5e-3, scrub_flow=2e-4)
    r.raffinate["Nd"], r.loaded_organic["Dy"]        # mol/s
    r.aqueous["Nd"], r.organic["Nd"]                 # stage profiles [mol/m3], stages 1..N

Stages 1..n_extraction extract, then n_scrub scrub stages. Metal-free
organic enters stage 1 and leaves the last scrub stage loaded; metal-free
scrub liquor enters the last scrub stage and flows back to the feed stage;
the feed joins the aqueous at stage n_extraction, so extraction stages carry
``aqueous_flow + scrub_flow`` and scrub stages ``scrub_flow``; the raffinate
leaves stage 1. Every argument may carry a leading sample axis.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from plant.chemistry import ACID, CHEMISTRY, RARE_EARTHS
from plant.errors import PlantError
from plant.numerics import safe_ratio
from plant.params import (
    choice,
    fraction,
    integer,
    mapping,
    number,
    quantity,
    section,
    table,
    text,
    where_field,
)
from plant.reactions import ReactionSet, balance
from plant.species import Registry, default_registry
from plant.stream import Stream
from plant.units.common import UnitResult, col, liquor_volume_flow, reagent_solution, require
from plant.units.sx_cascade import StageSolution, solve_stages, stage_residuals
from plant.units.sx_circuit import CircuitDesign, CircuitSolution, main_aqueous, solve_circuit
from plant.units.sx_equilibrium import ExchangeModel

EXTRACTANTS = ("PC88A", "D2EHPA", "Cyanex272")
CATION = "Na"
"""The component standing for the saponification cation (Na+ or NH4+) and the sodium of the feed."""
RE_CHARGE = 3
"""Rare earths are extracted as M(3+) (cerium as Ce(III) in chloride liquor)."""
DILUENT = "C12H26(org)"
SAPONIFIERS = {
    "NaOH": ("NaOH(aq)", {"HCl": "NaCl(aq)", "H2SO4": "Na2SO4(aq)"}),
    "NH3": ("NH3(aq)", {"HCl": "NH4Cl(aq)", "H2SO4": "(NH4)2SO4(aq)"}),
}
"""Saponification reagent -> its dissolved species and the salt its cation leaves as, per acid."""


@dataclass(frozen=True)
class ExtractantParams:
    """Equilibrium data of one extractant, log10 D = log10 K + n pH + m log10 [(HA)2].

    species : its species name; density : of the pure extractant [kg/m3]
    reference_pH, reference_dimer : where D_Nd = 1 [-], [mol/m3]
    dimer_order : m [-]; slope : n per rare earth [-]
    separation_factor : D / D_Nd per rare earth at equal pH and dimer [-]
    cation_log_D : log10 D of Na+ (NH4+) at the reference pH and dimer (slope 1, dimer order 1/2) [-]
    """

    source: str = text("source")
    species: str = text("species")
    density: float = quantity("density", "kg/m^3", positive=True)
    reference_pH: float = number("reference_pH", lo=-2.0, hi=8.0)
    reference_dimer: float = quantity("reference_dimer", "mol/m^3", positive=True)
    dimer_order: float = number("dimer_order", lo=0.0, hi=6.0)
    slope: dict = table("slope", RARE_EARTHS, lo=0.0, hi=6.0)
    separation_factor: dict = table("separation_factor", RARE_EARTHS, lo=1e-6, hi=1e6)
    cation_log_D: float = number("cation_log_D", lo=-20.0, hi=5.0)
    where: str = where_field()


@dataclass(frozen=True)
class CircuitParams:
    """One circuit: stages, flow ratios to the aqueous feed, acids, saponification, constant-D data."""

    n_extraction: int = integer("n_extraction", lo=1, hi=200)
    n_scrub: int = integer("n_scrub", lo=0, hi=200)
    n_strip: int = integer("n_strip", lo=1, hi=200)
    organic_ratio: float = number("organic_ratio", positive=True, doc="organic / aqueous feed flow")
    scrub_ratio: float = number(
        "scrub_ratio", positive=True, doc="scrub liquor / aqueous feed flow"
    )
    strip_ratio: float = number("strip_ratio", positive=True, doc="strip acid / aqueous feed flow")
    scrub_acid: float = quantity("scrub_acid", "mol/m^3", lo=0.0)
    strip_acid: float = quantity("strip_acid", "mol/m^3", positive=True)
    saponification: float = fraction("saponification", doc="share of HA pre-neutralised")
    distribution_ratio: dict = table("distribution_ratio", RARE_EARTHS, lo=1e-9, hi=1e9)
    strip_distribution_ratio: dict = table(
        "strip_distribution_ratio", RARE_EARTHS, lo=1e-12, hi=1e9
    )
    where: str = where_field()


@dataclass(frozen=True)
class SolventExtractionParams:
    """Solvent extraction: equilibrium mode and extractant, the circuits, mixer-settlers and losses."""

    mode: str = choice("mode", ("pH", "constant_D"))
    extractant: str = choice("extractant", EXTRACTANTS)
    extractant_concentration: float = quantity("extractant_concentration", "mol/m^3", positive=True)
    saponification_reagent: str = choice("saponification_reagent", tuple(SAPONIFIERS))
    reagent_strength: float = quantity("reagent_strength", "", lo=0.01, hi=1.0)
    liquor_density: float = quantity("liquor_density", "kg/m^3", positive=True)
    diluent_density: float = quantity("diluent_density", "kg/m^3", positive=True)
    mixer_residence_time: float = quantity("mixer_residence_time", "s", positive=True)
    settler_flux: float = quantity("settler_flux", "m/s", positive=True)
    settler_depth: float = quantity("settler_depth", "m", positive=True)
    entrainment: float = quantity("entrainment", "", lo=0.0, hi=0.1)
    extractant_solubility: float = quantity("extractant_solubility", "kg/m^3", lo=0.0)
    extractants: dict = mapping("extractants", ExtractantParams)
    heavy: CircuitParams = section("heavy", CircuitParams)
    light: CircuitParams = section("light", CircuitParams)
    where: str = where_field()

    def extractant_data(self) -> ExtractantParams:
        try:
            return self.extractants[self.extractant]
        except KeyError:
            raise PlantError(
                f"{self.where}: extractant {self.extractant!r} has no data under "
                f"[solvent_extraction.extractants.{self.extractant}]"
            ) from None


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


# ---------------------------------------------------------------------------- scripting API


@dataclass(frozen=True)
class CascadeResult:
    """Outcome of a cascade solve.

    raffinate, loaded_organic : element -> mol/s leaving stage 1 (aqueous) and the last stage (organic)
    aqueous, organic : element -> concentration profile [mol/m3], (..., n_stages), stage 1 first
    pH : (..., n_stages) aqueous pH per stage, or None in constant-D mode
    D : element -> distribution ratio per stage, (..., n_stages)
    max_stage_imbalance : largest relative imbalance of any stage and component
    """

    elements: tuple[str, ...]
    raffinate: dict[str, np.ndarray]
    loaded_organic: dict[str, np.ndarray]
    aqueous: dict[str, np.ndarray]
    organic: dict[str, np.ndarray]
    D: dict[str, np.ndarray]
    pH: np.ndarray | None
    max_stage_imbalance: float
    iterations: int = 0


def _check_elements(names, what: str) -> None:
    known = default_registry().elements
    for e in names:
        if e not in known:
            raise PlantError(
                f"solve_cascade: {what} names unknown element {e!r}; known elements: {', '.join(known)}"
            )


def _positive(name: str, value, allow_zero: bool = False) -> np.ndarray:
    v = np.asarray(value, dtype=float)
    bad = ~np.isfinite(v) | ((v < 0) if allow_zero else (v <= 0))
    if bad.any():
        need = ">= 0" if allow_zero else "> 0"
        raise PlantError(
            f"solve_cascade: {name} must be {need} (a physical flow or ratio); given {v[bad].ravel()[:3].tolist() if v.ndim else float(v)}"
        )
    return v


def solve_cascade(
    feed: Mapping[str, object],
    D: Mapping[str, object],
    n_extraction: int,
    n_scrub: int,
    aqueous_flow,
    organic_flow,
    scrub_flow,
) -> CascadeResult:
    """Solve an extraction-scrub cascade with constant distribution ratios (constant-D mode).

    Parameters
    ----------
    feed : element -> molar flow in the aqueous feed [mol/s], >= 0
    D : element -> distribution ratio, organic over aqueous concentration [-], > 0, the same in every stage
    n_extraction, n_scrub : stage counts, n_extraction >= 1, n_scrub >= 0
    aqueous_flow : aqueous feed flow [m3/s], > 0
    organic_flow : organic flow [m3/s], > 0
    scrub_flow : scrub liquor flow [m3/s], > 0 when there are scrub stages, else >= 0
    """
    elements = tuple(feed)
    _check_elements(elements, "feed")
    _check_elements(D, "D")
    if set(D) != set(elements):
        missing = sorted(set(elements) - set(D)) or sorted(set(D) - set(elements))
        raise PlantError(
            f"solve_cascade: feed and D must name the same elements; differ in {', '.join(missing)}"
        )
    if (
        int(n_extraction) != n_extraction
        or n_extraction < 1
        or int(n_scrub) != n_scrub
        or n_scrub < 0
    ):
        raise PlantError(
            f"solve_cascade: need n_extraction >= 1 and n_scrub >= 0 whole stages; given {n_extraction}, {n_scrub}"
        )
    n_extraction, n_scrub = int(n_extraction), int(n_scrub)
    aq = _positive("aqueous_flow", aqueous_flow)
    org = _positive("organic_flow", organic_flow)
    sc = _positive("scrub_flow", scrub_flow, allow_zero=n_scrub == 0)
    f = np.stack(
        np.broadcast_arrays(*(_positive(f"feed[{e}]", feed[e], allow_zero=True) for e in elements)),
        axis=-1,
    )
    d = np.stack(np.broadcast_arrays(*(_positive(f"D[{e}]", D[e]) for e in elements)), axis=-1)
    n = n_extraction + n_scrub
    A = main_aqueous(n_extraction, n_scrub, aq, sc)
    batch = np.broadcast_shapes(f.shape[:-1], d.shape[:-1], A.shape[:-1], org.shape)
    Dst = np.broadcast_to(d[..., None], batch + (len(elements), n))
    ext = np.zeros(batch + (len(elements), n))
    ext[..., n_extraction - 1] = f
    sol = solve_stages(Dst, A, org, ext)
    return _result(elements, sol, Dst, A, org, ext, None)


def _result(
    elements, sol: StageSolution, Dst, A, org, ext, pH, iterations: int = 0
) -> CascadeResult:
    raff = A[..., None, 0] * sol.aqueous[..., 0]
    loaded = np.asarray(org)[..., None] * sol.organic[..., -1]
    imb = float(stage_residuals(sol, A, org, ext).max(initial=0.0))
    pick = lambda arr: {e: arr[..., i, :] for i, e in enumerate(elements)}
    return CascadeResult(
        elements,
        {e: raff[..., i] for i, e in enumerate(elements)},
        {e: loaded[..., i] for i, e in enumerate(elements)},
        pick(sol.aqueous),
        pick(sol.organic),
        pick(Dst),
        pH,
        imb,
        iterations,
    )
