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
from plant.errors import ConvergenceError
from plant.memo import Memo
from plant.numerics import safe_ratio
from plant.reactions import ReactionSet, balance
from plant.species import Registry
from plant.stream import Stream
from plant.units.common import col, liquor_volume_flow, reagent_solution, require
from plant.units.equipment import MixerSettlers, OrganicTank
from plant.units.record import UnitResult
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
from plant.units.solvent_extraction.scrub_control import trimmed_scrub


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
    """What a circuit sees of its feed liquor: rare earths (..., n_RE) [mol/s, RARE_EARTHS order],
    volume flow [m3/s] and free acid [mol H+/m3]."""
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
    trim: np.ndarray  # (...) the scrub controller's trim on scrub_ratio (1 without one)


def split(
    liquor: Stream,
    p: SolventExtractionParams,
    circuit: str | CircuitParams,
    acid: str,
    cut: tuple[str, str] | None = None,
) -> np.ndarray:
    """The share of each rare earth (..., n_RE, RARE_EARTHS order) that circuit ``circuit`` sends to
    its strip liquor, without the outlet streams and their checks (for calibration searches)."""
    return _solve(liquor, p, circuit, acid, cut).to_strip


def circuit_params(p: SolventExtractionParams, circuit: str | CircuitParams) -> CircuitParams:
    """A circuit's parameters: ``circuit`` itself, or the section of ``p`` it names."""
    return circuit if isinstance(circuit, CircuitParams) else getattr(p, circuit)


def circuit_name(circuit: str | CircuitParams) -> str:
    """The name a circuit is recorded under: its section's last key."""
    return circuit if isinstance(circuit, str) else circuit.where.rsplit(".", 1)[-1]


def strip_side(light_key: str) -> tuple[str, ...]:
    """The rare earths a cut with ``light_key`` sends to the strip liquor: all more extractable."""
    return RARE_EARTHS[RARE_EARTHS.index(light_key) + 1 :]


SOLVED = Memo(16)
"""The circuits solved last, by their inputs (:mod:`plant.memo`): a re-run that changes nothing a
circuit sees (an economic input, a parameter of another unit downstream) does not solve it again."""


def _solve(
    liquor: Stream,
    p: SolventExtractionParams,
    circuit: str | CircuitParams,
    acid: str,
    cut: tuple[str, str] | None = None,
) -> _Solved:
    c = circuit_params(p, circuit)
    re_in, F, feed_acid = feed_state(liquor, p, acid)
    na_in = liquor.element("Na")
    extractant = p.extractant_data() if p.mode == "pH" else None
    inputs = (re_in, F, feed_acid, na_in, c, p.mode, p.extractant_concentration, extractant, cut)
    return SOLVED.get(inputs, lambda: _controlled(re_in, F, feed_acid, na_in, p, c, cut))


def _controlled(
    re_in, F, feed_acid, na_in, p: SolventExtractionParams, c: CircuitParams, cut
) -> _Solved:
    """The circuit ``c`` solved on its feed (see :func:`feed_state`; ``na_in`` the sodium in it
    [mol/s]), its scrub trimmed by its controller."""
    comps = circuit_components(re_in)
    picks = [RARE_EARTHS.index(e) for e in comps[:-1]]
    feed = np.concatenate([re_in[..., picks], na_in[..., None]], axis=-1)
    require(F > 0, f"{c.where}: the liquor to solvent extraction has no volume flow")
    C = np.asarray(p.extractant_concentration)

    def solve(trim, strict: bool, start=None) -> CircuitSolution:
        """The circuit with its scrub flow times ``trim`` (...)."""
        design = CircuitDesign(
            c.n_extraction,
            c.n_scrub,
            c.n_strip,
            F,
            np.asarray(c.organic_ratio) * F,
            np.asarray(c.scrub_ratio) * F * trim,
            np.asarray(c.strip_ratio) * F,
            feed_acid,
            np.asarray(c.scrub_acid),
            np.asarray(c.strip_acid),
            C,
            np.asarray(c.saponification) * C,
        )
        if p.mode == "pH":
            model = exchange_model(p.extractant_data(), comps)
            sol = solve_circuit(
                design,
                feed,
                model=model,
                cation_index=len(comps) - 1,
                where=c.where,
                strict=strict,
                start=start,
            )
        else:
            ratios = lambda table: np.stack(
                np.broadcast_arrays(
                    *[np.asarray(table[e], dtype=float) for e in comps[:-1]], np.asarray(1e-9)
                ),
                axis=-1,
            )
            sol = solve_circuit(
                design,
                feed,
                D=ratios(c.distribution_ratio),
                D_strip=ratios(c.strip_distribution_ratio),
                where=c.where,
                strict=strict,
            )
        return design, sol

    trim, near = 1.0, None
    if c.strip_purity_setpoint is not None:
        trim, near, short = trimmed_scrub(
            lambda t, start: solve(t, False, start)[1], c, comps, cut, strip_side
        )
        if not np.all(near.converged):  # a start only where every sample's last trial converged
            near = None
    try:
        design, sol = solve(trim, True, near)
    except ConvergenceError:  # the cliff's pure side was a step the solver did not settle
        if c.strip_purity_setpoint is None or np.array_equal(trim, short):
            raise
        trim = short
        design, sol = solve(trim, True, near)
    batch = sol.raffinate.shape[:-1]
    re_in = np.broadcast_to(re_in, batch + re_in.shape[-1:])
    # share of each rare earth reporting to the strip liquor (normalised: exactly conservative)
    to_strip = np.zeros(re_in.shape)
    to_strip[..., picks] = safe_ratio(
        sol.strip_liquor[..., :-1], sol.strip_liquor[..., :-1] + sol.raffinate[..., :-1]
    )
    return _Solved(design, sol, comps, re_in, to_strip, np.asarray(trim, dtype=float))


def run(
    liquor: Stream,
    p: SolventExtractionParams,
    circuit: str | CircuitParams,
    acid: str,
    cut: tuple[str, str] | None = None,
) -> CircuitResult:
    """Solve circuit ``circuit`` ('heavy' or 'light') for ``liquor``; outlets raffinate,
    strip_liquor, organic_loss. ``cut`` (light key, heavy key) is the split the flowsheet wants of
    it, recorded for design estimates."""
    reg = liquor.registry
    c = circuit_params(p, circuit)
    ch = chemistry(reg, acid, p.saponification_reagent)
    a = ACID[acid]
    solved = _solve(liquor, p, circuit, acid, cut)
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
    sapon_mol = np.broadcast_to(design.cation * design.organic_flow, batch).astype(float)
    sapon = reagent_solution(reg, reagent_species, sapon_mol, p.reagent_strength)
    raff = f + scrub + sapon  # a new array of the batch shape
    batch = raff.shape[:-1]  # with any batched parameter the circuit itself does not see
    raff[..., ch.salts] -= moved_salt
    raff[..., ch.acid] += acid_moved
    # The saponification cation leaves with the raffinate as far as its acid goes; a circuit run at
    # full loading (the controller holding a cut at the equivalence point) can carry a little more
    # cation than that back round, and the strip acid takes it off with the rare earths.
    per_reagent = -ch.saponification.nu[0, ch.acid]
    in_raffinate = np.minimum(sapon_mol, np.maximum(raff[..., ch.acid], 0.0) / per_reagent)
    to_strip_liquor = sapon_mol - in_raffinate
    i_reagent = reg.index(reagent_species)
    raff[..., i_reagent] -= to_strip_liquor
    raff = raff + ch.saponification.change(in_raffinate[..., None])
    sl = np.broadcast_to(strip, batch + strip.shape[-1:]).copy()
    sl[..., ch.salts] += moved_salt
    sl[..., ch.acid] -= acid_moved
    sl[..., i_reagent] += to_strip_liquor
    sl = sl + ch.saponification.change(to_strip_liquor[..., None])
    require(
        sl[..., ch.acid] >= -1e-12 * np.maximum(acid_moved + to_strip_liquor, 1e-300),
        f"{c.where}: the strip acid cannot take the rare earths (and the saponification cation "
        "the raffinate's acid leaves on the organic) off the organic; raise strip_acid or "
        "strip_ratio, or lower the saponification",
    )
    sl[..., ch.acid] = np.maximum(sl[..., ch.acid], 0.0)
    loss, losses = _organic_loss(
        reg, p, np.broadcast_to(design.feed_flow + design.scrub_flow, batch), design.strip_flow
    )
    bank, tank, area = _sizing(design, p)
    ext_share = _extractant_volume_fraction(reg, p)
    sapon_kg = sapon_mol * reg.molar_mass[reg.index(reagent_species)]
    return CircuitResult(
        "solvent_extraction",
        inlets={
            "liquor": liquor,
            "scrub": Stream.owned(scrub, registry=reg),
            "strip_acid": Stream.owned(strip, registry=reg),
            "saponification": Stream.owned(sapon, registry=reg),
            "organic_makeup": Stream.owned(loss.copy(), registry=reg),
        },
        outlets={
            "raffinate": Stream.owned(raff, liquor.T, liquor.P, reg),
            "strip_liquor": Stream.owned(sl, liquor.T, liquor.P, reg),
            "organic_loss": Stream.owned(loss, registry=reg),
        },
        equipment=(bank, tank),
        reagents={
            acid: (scrub[..., ch.acid] + strip[..., ch.acid]) * reg.molar_mass[ch.acid],
            p.saponification_reagent: sapon_kg,
            **losses,
        },
        inventory={
            "extractant": tank.volume_m3 * ext_share * np.asarray(p.extractant_data().density),
            "diluent": tank.volume_m3 * (1.0 - ext_share) * np.asarray(p.diluent_density),
        },
        performance={"pseudo_time_steps": sol.steps},
        circuit=CircuitRecord(
            circuit_name(circuit),
            cut,
            comps,
            design.n_extraction,
            design.n_scrub,
            design.n_strip,
            {e: to_strip[..., i] for i, e in enumerate(RARE_EARTHS) if e in comps},
            *_profiles(sol, comps),
            np.asarray(design.feed_flow),
            np.asarray(design.organic_flow),
            area,
            solved.trim,
            np.asarray(design.scrub_flow),
            np.asarray(design.strip_flow),
            c.strip_purity_setpoint,
        ),
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


def _extractant_volume_fraction(reg: Registry, p: SolventExtractionParams) -> np.ndarray:
    """Volume fraction of the extractant in the organic [-]."""
    x = p.extractant_data()
    share = (
        np.asarray(p.extractant_concentration)
        * reg.molar_mass[reg.index(x.species)]
        / np.asarray(x.density)
    )
    require(share < 1.0, f"{p.where}: extractant_concentration exceeds the pure extractant")
    return share


def _organic_loss(reg: Registry, p: SolventExtractionParams, raffinate_flow, strip_flow):
    """Organic lost with the aqueous outflows (entrainment + extractant solubility): flows
    (..., n_species) [mol/s] and the make-up {'extractant', 'diluent'} [kg/s]."""
    x = p.extractant_data()
    i_ext, i_dil = reg.index(x.species), reg.index(DILUENT)
    aq = np.asarray(raffinate_flow) + np.asarray(strip_flow)
    C = np.asarray(p.extractant_concentration)
    ext_volume_fraction = _extractant_volume_fraction(reg, p)
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
        "extractant": ext_mol * reg.molar_mass[i_ext],
        "diluent": dil_mol * reg.molar_mass[i_dil],
    }


def _sizing(
    d: CircuitDesign, p: SolventExtractionParams
) -> tuple[MixerSettlers, OrganicTank, np.ndarray]:
    """The mixer-settler bank, the organic tank (holding the organic inventory) and the settler area
    [m2].

    Mixer: (aqueous + organic) x mixer residence time; settler: area = flow / settler_flux, depth
    settler_depth, half of it organic [E]; organic inventory: mixers and settlers of every stage.
    """
    aq_main = d.main_aqueous()
    strip = np.asarray(d.strip_flow, dtype=float)[..., None]
    batch = np.broadcast_shapes(aq_main.shape[:-1], strip.shape[:-1])
    aq = np.concatenate(
        [
            np.broadcast_to(aq_main, batch + aq_main.shape[-1:]),
            np.broadcast_to(strip, batch + (d.n_strip,)),
        ],
        axis=-1,
    )
    total = aq + np.asarray(d.organic_flow, dtype=float)[..., None]
    mixer = total * col(p.mixer_residence_time)
    area = total / col(p.settler_flux)
    settler = area * col(p.settler_depth)
    org_share = safe_ratio(np.asarray(d.organic_flow, dtype=float)[..., None], total)
    inventory = (mixer * org_share + settler * 0.5).sum(axis=-1)
    bank = MixerSettlers(d.n_main + d.n_strip, mixer.sum(axis=-1), settler.sum(axis=-1))
    return bank, OrganicTank(inventory), area.sum(axis=-1)


def _profiles(sol: CircuitSolution, comps) -> tuple[dict, dict, np.ndarray | None]:
    """Stage profiles, main cascade then strip: aqueous and organic [mol/m3] per component, and the
    pH (None in constant-D mode)."""
    cat = lambda a, b: np.concatenate([a, b], axis=-1)
    aqueous = {
        c: cat(sol.main.aqueous[..., i, :], sol.strip.aqueous[..., i, :])
        for i, c in enumerate(comps)
    }
    organic = {
        c: cat(sol.main.organic[..., i, :], sol.strip.organic[..., i, :])
        for i, c in enumerate(comps)
    }
    pH = cat(sol.main.pH, sol.strip.pH) if sol.main.pH is not None else None
    return aqueous, organic, pH


@dataclass(frozen=True)
class CircuitRecord:
    """What a solved circuit reports besides its streams and equipment.

    circuit : its section of ``[solvent_extraction]`` (one of CIRCUITS)
    cut : (light key, heavy key) of the split it makes, as the flowsheet wires it, or None
    components : the components solved (rare earths present, then the saponification cation)
    n_extraction, n_scrub, n_strip : stages of each section
    to_strip : rare earth -> share of it reporting to the strip liquor [-]
    aqueous, organic : component -> concentration in each stage [mol/m3] (..., n_stages), main
        cascade (extraction, scrub) then strip
    pH : aqueous pH of each stage (..., n_stages), or None in constant-D mode
    feed_m3_per_s, organic_m3_per_s : aqueous feed and organic flows [m3/s]
    settler_area_m2 : settler area of the bank [m2]
    scrub_trim : the scrub controller's trim on scrub_ratio (1 without a controller) [-]
    scrub_m3_per_s, strip_m3_per_s : scrub liquor (trimmed) and strip acid flows [m3/s]
    setpoint : the strip product's purity its controller holds, or None [-]
    """

    circuit: str
    cut: tuple[str, str] | None
    components: tuple[str, ...]
    n_extraction: int
    n_scrub: int
    n_strip: int
    to_strip: dict[str, np.ndarray]
    aqueous: dict[str, np.ndarray]
    organic: dict[str, np.ndarray]
    pH: np.ndarray | None
    feed_m3_per_s: np.ndarray
    organic_m3_per_s: np.ndarray
    settler_area_m2: np.ndarray
    scrub_trim: np.ndarray
    scrub_m3_per_s: np.ndarray
    strip_m3_per_s: np.ndarray
    setpoint: np.ndarray | float | None

    def ratio(self, flow: np.ndarray) -> np.ndarray:
        """A flow of the circuit [m3/s] over its aqueous feed's [-]."""
        return safe_ratio(flow, self.feed_m3_per_s)

    @property
    def stages(self) -> int:
        return self.n_extraction + self.n_scrub + self.n_strip


@dataclass(frozen=True)
class CircuitResult(UnitResult):
    """A solved circuit: a unit result with its :class:`CircuitRecord`."""

    circuit: CircuitRecord | None = None
