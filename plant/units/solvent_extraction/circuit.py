"""A full solvent-extraction circuit: extraction, scrub and strip sections with the organic
recycled.

Stages 1..n_extraction extract and n_extraction+1..n_extraction+n_scrub scrub
(the "main" cascade); the loaded organic leaving the last scrub stage enters
strip stage 1 and the stripped organic leaving the last strip stage, after
saponification, returns to extraction stage 1. The aqueous feed joins the
aqueous at stage n_extraction; scrub liquor enters the last scrub stage; strip
acid enters the last strip stage. Raffinate leaves stage 1, strip liquor
leaves strip stage 1.

The stages are solved together as one ring
(:mod:`plant.units.solvent_extraction.ring`), the returning organic
included, so there is no recycle loop to converge. Saponification adds
``cation`` [mol/m3 of organic] of the cation (Na+ or NH4+) to the stripped
organic and takes as many protons from its extractant. In pH mode every
stage's distribution follows its pH and free dimer; in constant-D mode each
stage has the given distribution ratios (extraction and scrub, strip) and
the ring is one linear solve.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.errors import ConvergenceError, InfeasibleError, PlantError
from plant.units.solvent_extraction.equilibrium import ExchangeModel
from plant.units.solvent_extraction.ring import (
    HYDROLYSIS_PH,
    Ring,
    RingSolution,
    aqueous_link,
    linear_ring,
    solve_ring,
)


@dataclass(frozen=True)
class CircuitDesign:
    """Stage counts and flows of one circuit; flows [m3/s] and concentrations [mol/m3] scalar or
    (...).

    feed_acid, scrub_acid, strip_acid : H+ of the feed, scrub liquor and strip acid
    extractant : C_HA in the organic; cation : saponified cation in the organic returning to
        extraction
    """

    n_extraction: int
    n_scrub: int
    n_strip: int
    feed_flow: np.ndarray
    organic_flow: np.ndarray
    scrub_flow: np.ndarray
    strip_flow: np.ndarray
    feed_acid: np.ndarray
    scrub_acid: np.ndarray
    strip_acid: np.ndarray
    extractant: np.ndarray
    cation: np.ndarray

    @property
    def n_main(self) -> int:
        return self.n_extraction + self.n_scrub

    def main_aqueous(self) -> np.ndarray:
        """Aqueous flow leaving each main stage [m3/s], (..., n_main)."""
        return main_aqueous(self.n_extraction, self.n_scrub, self.feed_flow, self.scrub_flow)


def main_aqueous(n_extraction: int, n_scrub: int, feed_flow, scrub_flow) -> np.ndarray:
    """Aqueous flow leaving each extraction and scrub stage [m3/s],
    (..., n_extraction + n_scrub)."""
    ext = np.asarray(np.asarray(feed_flow) + np.asarray(scrub_flow), dtype=float)[..., None]
    sc = np.asarray(scrub_flow, dtype=float)[..., None]
    batch = np.broadcast_shapes(ext.shape[:-1], sc.shape[:-1])
    return np.concatenate(
        [np.broadcast_to(ext, batch + (n_extraction,)), np.broadcast_to(sc, batch + (n_scrub,))],
        axis=-1,
    )


@dataclass(frozen=True)
class SectionSolution:
    """Stage profiles of one section (stage 1 first): aqueous and organic concentrations [mol/m3]
    (..., n_comp, n_stages), pH and free dimer [mol/m3] (..., n_stages; None in constant-D
    mode)."""

    aqueous: np.ndarray
    organic: np.ndarray
    pH: np.ndarray | None
    dimer: np.ndarray | None


@dataclass(frozen=True)
class CircuitSolution:
    """Converged circuit.

    raffinate, strip_liquor, loaded, returned : (..., n_comp) metal leaving in the raffinate and the
        strip liquor, carried by the loaded organic and by the organic returning to extraction
        (after saponification) [mol/s]
    main, strip : stage profiles of the two cascades
    steps : pseudo-time steps taken (the largest over the batch; 0 in constant-D mode)
    residual : (...) largest scaled stage imbalance of the proton and extractant balances
    converged : (...) samples whose every balance holds
    """

    raffinate: np.ndarray
    strip_liquor: np.ndarray
    loaded: np.ndarray
    returned: np.ndarray
    main: SectionSolution
    strip: SectionSolution
    steps: int
    residual: np.ndarray
    converged: np.ndarray


def solve_circuit(
    design: CircuitDesign,
    feed: np.ndarray,
    model: ExchangeModel | None = None,
    D: np.ndarray | None = None,
    D_strip: np.ndarray | None = None,
    cation_index: int | None = None,
    strict: bool = True,
    where: str = "solvent extraction",
    start: CircuitSolution | None = None,
) -> CircuitSolution:
    """Solve the circuit for the aqueous ``feed`` (..., n_comp) [mol/s].

    pH mode: ``model`` gives the equilibrium; ``cation_index`` names the component that
    saponification loads onto the returning organic; ``start``, a solution of a nearby circuit
    with the same stages, to start from. Constant-D mode: ``D`` and ``D_strip`` (..., n_comp).
    With ``strict`` a sample that cannot run raises (a PlantError whose ``failing`` marks it);
    otherwise it is marked in ``converged``.
    """
    nE, nR, N = design.n_extraction, design.n_strip, design.n_main
    M = N + nR
    d = design
    AR = np.asarray(d.strip_flow, dtype=float)[..., None] * np.ones(nR)
    main_A = d.main_aqueous()
    scalars = (d.feed_acid, d.scrub_acid, d.strip_acid, d.extractant, d.cation, d.organic_flow)
    per_component = [] if model is None else [model.log_K, model.slope, model.dimer_order]
    per_component += [x for x in (D, D_strip) if x is not None]
    batch = np.broadcast_shapes(
        feed.shape[:-1],
        main_A.shape[:-1],
        AR.shape[:-1],
        *(np.shape(x) for x in scalars),
        *(np.shape(x)[:-1] for x in per_component),
    )
    nc = feed.shape[-1]
    b = int(np.prod(batch, dtype=int))
    flat = lambda a, tail=(): np.broadcast_to(np.asarray(a, dtype=float), batch + tail).reshape(
        (b,) + tail
    )
    A = np.concatenate([flat(main_A, (N,)), flat(AR, (nR,))], axis=-1)
    O, C = flat(d.organic_flow), flat(d.extractant)
    external = np.zeros((b, M, nc + 1))
    external[:, nE - 1, :nc] = flat(feed, (nc,))
    external[:, nE - 1, nc] = flat(d.feed_acid) * flat(d.feed_flow)
    external[:, N - 1, nc] += flat(d.scrub_acid) * flat(d.scrub_flow)
    external[:, M - 1, nc] += flat(d.strip_acid) * flat(d.strip_flow)
    base = flat(d.cation) * O  # saponification [mol/s]
    sapon = np.zeros((b, nc + 1))
    if model is not None and cation_index is not None:
        sapon[:, cation_index], sapon[:, nc] = base, -base
        external[:, 0] += sapon
    if model is not None:
        m = ExchangeModel(*(flat(getattr(model, f), (nc,)) for f in model.__dict__))
        ring = Ring(m, A, O, C, external, (nE, d.n_scrub, nR), sapon)
        begin = None
        if start is not None and start.main.pH is not None:
            pH = np.concatenate([start.main.pH, start.strip.pH], axis=-1)
            g = np.log(np.concatenate([start.main.dimer, start.strip.dimer], axis=-1))
            if pH.shape[-1] == M and int(np.prod(pH.shape[:-1], dtype=int)) in (1, b):
                begin = tuple(np.broadcast_to(a.reshape(-1, M), (b, M)) for a in (pH, g))
        sol = _solve_possible(ring, begin)
        ok = sol.converged & _runs(sol, ring, strict, where, batch)
        pH, dimer = sol.pH, np.exp(sol.g)
        aq, org, steps, residual = (
            sol.aqueous,
            sol.organic,
            int(sol.steps.max(initial=0)),
            sol.residual,
        )
    else:
        Dm = np.broadcast_to(flat(D, (nc,))[:, None, :], (b, N, nc))
        Ds = np.broadcast_to(flat(D_strip, (nc,))[:, None, :], (b, nR, nc))
        OD = np.concatenate([Dm, Ds], axis=1) * O[:, None, None]
        sigma = OD / (A[..., None] + OD)
        T = linear_ring(sigma, external[..., :nc], aqueous_link(N, M))
        aq, org = T * (1.0 - sigma), T * sigma
        pH = dimer = None
        steps, residual, ok = 0, np.zeros(b), np.ones(b, dtype=bool)
    x = np.moveaxis(aq[..., :nc] / A[..., None], -1, -2)  # (b, nc, M)
    y = np.moveaxis(org[..., :nc] / O[:, None, None], -1, -2)
    shape = lambda a: a.reshape(batch + a.shape[1:])
    section = lambda sl: SectionSolution(
        shape(x[..., sl]),
        shape(y[..., sl]),
        None if pH is None else shape(pH[..., sl]),
        None if dimer is None else shape(dimer[..., sl]),
    )
    returned = org[:, M - 1, :nc].copy()
    if model is not None and cation_index is not None:
        returned[:, cation_index] += base
    return CircuitSolution(
        raffinate=shape(aq[:, 0, :nc]),
        strip_liquor=shape(aq[:, N, :nc]),
        loaded=shape(org[:, N - 1, :nc]),
        returned=shape(returned),
        main=section(slice(0, N)),
        strip=section(slice(N, M)),
        steps=steps,
        residual=shape(residual),
        converged=shape(ok),
    )


def _solve_possible(ring: Ring, begin) -> RingSolution:
    """solve_ring for the samples that are not too basic (the others: not converged, NaN)."""
    basic = too_basic(ring)
    if not basic.any():
        return solve_ring(ring, begin)
    keep = np.flatnonzero(~basic)
    b, M = ring.A.shape
    nc = ring.external.shape[-1] - 1
    out = RingSolution(
        Z=np.full((b, M, nc + 1), np.nan),
        pH=np.full((b, M), np.nan),
        g=np.full((b, M), np.nan),
        organic_share=np.full((b, M, nc), np.nan),
        aqueous=np.full((b, M, nc + 1), np.nan),
        organic=np.full((b, M, nc + 1), np.nan),
        residual=np.full(b, np.inf),
        steps=np.zeros(b, dtype=int),
        converged=np.zeros(b, dtype=bool),
        base_share=np.zeros(b),
    )
    if keep.size:
        part = solve_ring(ring.take(keep), None if begin is None else tuple(a[keep] for a in begin))
        out = RingSolution(
            **{k: _scatter(getattr(out, k), keep, v) for k, v in part.__dict__.items()}
        )
    return out


def _scatter(a: np.ndarray, idx: np.ndarray, v: np.ndarray) -> np.ndarray:
    a = a.copy()
    a[idx] = v
    return a


def _runs(sol: RingSolution, ring: Ring, strict: bool, where: str, batch) -> np.ndarray:
    """Which samples can run as solved (b,): steady state found and no stage above
    HYDROLYSIS_PH. With ``strict`` the first that cannot raises, naming the physical cause."""
    alkaline = np.nan_to_num(sol.pH, nan=np.inf).max(axis=-1) > HYDROLYSIS_PH
    ok = sol.converged & ~alkaline
    if strict and not ok.all():
        k = int(np.flatnonzero(~ok)[0])
        exc = _failure(sol, ring, k, where)
        exc.failing = (~ok).reshape(batch)
        raise exc
    return ok


def too_basic(ring: Ring) -> np.ndarray:
    """Samples (b,) whose saponification brings at least as much base as the feed, scrub and strip
    liquors bring acid: whatever the split, an aqueous outflow would be alkaline."""
    nc = ring.external.shape[-1] - 1
    base = -ring.base[:, nc]
    return (base > 0) & (base >= ring.external[..., nc].sum(-1) + base)


def _failure(sol: RingSolution, ring: Ring, k: int, where: str) -> PlantError:
    """The error naming why sample ``k`` cannot run."""
    nc = ring.external.shape[-1] - 1
    base = -float(ring.base[k, nc])
    acid = float(ring.external[k, :, nc].sum()) + base
    remedy = "lower the saponification or raise the feed, scrub or strip acid"
    if base >= acid:
        return InfeasibleError(
            f"{where}: the saponification brings {base:.3g} mol/s of base, more than the "
            f"{acid:.3g} mol/s of acid in the feed, scrub and strip liquors: the aqueous would "
            f"turn alkaline and precipitate the rare earths; {remedy}"
        )
    stage = int(np.argmax(sol.pH[k]))
    name = _stage_name(ring, stage)
    alkaline = sol.pH[k, stage] > HYDROLYSIS_PH
    if alkaline:
        main_acid = float(ring.external[k, : ring.n_main, nc].sum()) + base
        at = (
            ""
            if sol.converged[k]
            else f" with {sol.base_share[k]:.0%} of its saponification already"
        )
        return InfeasibleError(
            f"{where}: the circuit runs{at} at pH {sol.pH[k, stage]:.1f} in {name}, above "
            f"{HYDROLYSIS_PH} where rare-earth hydroxides precipitate: the saponification "
            f"({base:.3g} mol/s of base) outweighs the acid that reaches the extraction and scrub "
            f"stages ({main_acid:.3g} mol/s); {remedy}"
        )
    if sol.base_share[k] > 0:
        return ConvergenceError(
            f"{where}: the circuit's steady state was found with up to "
            f"{sol.base_share[k]:.0%} of its saponification (pH up to {sol.pH[k, stage]:.1f} in "
            f"{name}) but not with all of it"
        )
    return ConvergenceError(
        f"{where}: the circuit's steady state was not found, even without saponification "
        f"(largest stage imbalance {sol.residual[k]:.1e} after {int(sol.steps[k])} steps, in "
        f"{name}); check that the extractant can carry the feed (organic flow times extractant "
        "against the feed's metal) and that the strip acid can strip it"
    )


def _stage_name(ring: Ring, k: int) -> str:
    nE, nS, _ = ring.sections
    if k < nE:
        return f"extraction stage {k + 1}"
    if k < nE + nS:
        return f"scrub stage {k - nE + 1}"
    return f"strip stage {k - nE - nS + 1}"
