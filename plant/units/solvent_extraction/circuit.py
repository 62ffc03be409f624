"""A full solvent-extraction circuit: extraction, scrub and strip sections with the organic
recycled.

Stages 1..n_extraction extract and n_extraction+1..n_extraction+n_scrub scrub
(the "main" cascade); the loaded organic leaving the last scrub stage enters
strip stage 1 and the stripped organic leaving the last strip stage, after
saponification, returns to extraction stage 1. The aqueous feed joins the
aqueous at stage n_extraction; scrub liquor enters the last scrub stage; strip
acid enters the last strip stage. Raffinate leaves stage 1, strip liquor
leaves strip stage 1.

In pH mode each section is solved with
:func:`plant.units.solvent_extraction.equilibrium.solve_section`;
in constant-D mode each stage has the given distribution ratios and a
section is one linear solve. The recycle of the organic is converged by
direct substitution: its metal content is what stripping leaves, a small
fraction of what the organic carries, so it converges in a few passes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from plant.errors import ConvergenceError
from plant.units.solvent_extraction.cascade import solve_stages
from plant.units.solvent_extraction.equilibrium import ExchangeModel, SectionSolution, solve_section

RECYCLE_TOLERANCE = 1e-10
"""Largest change of the returned organic's metal, relative to the loaded organic, at
convergence [-]."""
MAX_RECYCLE_PASSES = 60


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
class CircuitSolution:
    """Converged circuit.

    raffinate, strip_liquor, loaded, returned : (..., n_comp) metal leaving in the raffinate and the
        strip liquor, carried by the loaded organic and by the organic returning to extraction
        [mol/s]
    main, strip : stage profiles of the two cascades (concentrations [mol/m3], stage 1 first)
    converged : (...) samples whose every balance holds
    """

    raffinate: np.ndarray
    strip_liquor: np.ndarray
    loaded: np.ndarray
    returned: np.ndarray
    main: SectionSolution
    strip: SectionSolution
    passes: int
    recycle_change: float
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
    max_iterations: int = 500,
) -> CircuitSolution:
    """Solve the circuit for the aqueous ``feed`` (..., n_comp) [mol/s].

    pH mode: ``model`` gives the equilibrium; ``cation_index`` names the component that
    saponification loads onto the returning organic. Constant-D mode: ``D`` and ``D_strip``
    (..., n_comp).
    """
    nE, nR, N = design.n_extraction, design.n_strip, design.n_main
    A = design.main_aqueous()
    O = np.asarray(design.organic_flow, dtype=float)
    AR = np.asarray(design.strip_flow, dtype=float)[..., None] * np.ones(nR)
    d = design
    scalars = (d.feed_acid, d.scrub_acid, d.strip_acid, d.extractant, d.cation, d.feed_flow)
    per_component = [] if model is None else [model.log_K, model.slope, model.dimer_order]
    per_component += [x for x in (D, D_strip) if x is not None]
    batch = np.broadcast_shapes(
        feed.shape[:-1],
        A.shape[:-1],
        O.shape,
        AR.shape[:-1],
        *(np.shape(x) for x in scalars),
        *(np.shape(x)[:-1] for x in per_component),
    )
    if model is not None:  # every sample its own constants, so a section solves them together
        model = dataclasses.replace(
            model,
            **{
                f.name: np.broadcast_to(getattr(model, f.name), batch + (feed.shape[-1],))
                for f in dataclasses.fields(model)
            },
        )
    O = np.broadcast_to(O, batch)
    nc = feed.shape[-1]
    ext_main = np.zeros(batch + (nc, N))
    ext_main[..., nE - 1] = feed
    ext_strip = np.zeros(batch + (nc, nR))
    acid_main = np.zeros(batch + (N,))
    acid_main[..., nE - 1] = design.feed_acid * design.feed_flow
    acid_main[..., N - 1] += design.scrub_acid * design.scrub_flow
    acid_strip = np.zeros(batch + (nR,))
    acid_strip[..., nR - 1] = design.strip_acid * design.strip_flow
    returned = np.zeros(batch + (nc,))
    if model is not None and cation_index is not None:
        returned[..., cation_index] = design.cation
    main = strip = None
    change, passes = np.inf, 0
    while passes < MAX_RECYCLE_PASSES:
        passes += 1
        if model is not None:
            main = solve_section(
                model,
                A,
                O,
                design.extractant,
                ext_main,
                returned,
                acid_main,
                guess=main,
                strict=strict,
                where=f"{where}, extraction and scrub",
                max_iterations=max_iterations,
            )
            strip = solve_section(
                model,
                AR,
                O,
                design.extractant,
                ext_strip,
                main.organic[..., -1],
                acid_strip,
                guess=strip,
                strict=strict,
                where=f"{where}, strip",
                max_iterations=max_iterations,
            )
        else:
            main = _linear_section(D, A, O, ext_main, returned)
            strip = _linear_section(D_strip, AR, O, ext_strip, main.organic[..., -1])
        new = strip.organic[..., -1].copy()
        if model is not None and cation_index is not None:
            new[..., cation_index] = design.cation  # saponification restores the cation form
        scale = np.maximum(main.organic[..., -1].max(axis=-1, keepdims=True), 1e-300)
        change = float(np.max(np.abs(new - returned) / scale, initial=0.0))
        returned = new
        if change < RECYCLE_TOLERANCE:
            break
    converged = np.broadcast_to(
        main.converged & strip.converged & (change < RECYCLE_TOLERANCE), batch
    )
    if strict and not converged.all():
        exc = ConvergenceError(
            f"{where}: the organic recycle did not converge in {MAX_RECYCLE_PASSES} passes "
            f"(change {change:.2e}); "
            "strip harder (more strip acid or strip stages) so that the returned organic is "
            "nearly metal-free"
        )
        exc.failing = ~converged
        raise exc
    Oc = O[..., None]
    return CircuitSolution(
        raffinate=A[..., None, 0] * main.aqueous[..., 0],
        strip_liquor=AR[..., None, 0] * strip.aqueous[..., 0],
        loaded=Oc * main.organic[..., -1],
        returned=Oc * returned,
        main=main,
        strip=strip,
        passes=passes,
        recycle_change=change,
        converged=converged,
    )


def _linear_section(D, A, O, external, organic_in) -> SectionSolution:
    """A constant-D section: one linear solve, no pH."""
    ext = np.array(external)
    ext[..., 0] += np.asarray(O, dtype=float)[..., None] * organic_in
    Dst = np.broadcast_to(np.asarray(D, dtype=float)[..., None], ext.shape)
    sol = solve_stages(Dst, A, O, ext)
    return SectionSolution(
        sol.aqueous, sol.organic, None, None, 1, 0.0, np.ones(A.shape[:-1], dtype=bool)
    )
