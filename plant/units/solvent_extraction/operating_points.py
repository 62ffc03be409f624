"""Random operating points of a pH-mode circuit over the ranges it must solve, and a survey of how
the solver fares on them (for the tests and ``python -m plant.bench``).

Ranges (log-uniform unless said): stages 1-200 per section; organic 0.1-10, scrub 0.01-2 and
strip 0.05-2 times the feed flow; saponification 0-60 % of the extractant (uniform); scrub and
strip acid 0.05-6 mol/L; feed acid 0.001-0.3 mol/L [E] (leach liquors run at pH 0.5-3);
extractant 0.5-1.5 mol/L (uniform); 1-14 metals drawn from the eight rare earths and nine
impurities, 50-1000 mol/m3 in all with random shares, and the saponification cation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from plant.chemistry import RARE_EARTHS
from plant.errors import ConvergenceError, PlantError
from plant.units.solvent_extraction.circuit import CircuitDesign, solve_circuit
from plant.units.solvent_extraction.equilibrium import ExchangeModel
from plant.units.solvent_extraction.parameters import ExtractantParams
from plant.units.solvent_extraction.unit import exchange_model

IMPURITIES = {
    "Fe": (2.5, 3.0, 3),
    "Th": (3.0, 4.0, 4),
    "U": (2.8, 2.0, 2),
    "Zn": (0.5, 2.0, 2),
    "Al": (-0.5, 3.0, 3),
    "Cu": (-1.2, 2.0, 2),
    "Mn": (-1.0, 2.0, 2),
    "Ca": (-1.5, 2.0, 2),
    "Mg": (-2.5, 2.0, 2),
}
"""Impurity -> (log10 D less log10 D of Nd at the extractant's reference pH and dimer, pH slope,
charge) [E]: from far more extractable than Dy (Fe(III), Th(IV), U(VI) as UO2(2+)) to far less
than La (Mg, Ca), the order of acidic organophosphorus extractants; each occupies twice its
charge in HA sites and its dimer order equals its charge."""


def random_point(rng: np.random.Generator, extractant: ExtractantParams):
    """One operating point: (CircuitDesign, feed (n_comp,) [mol/s], ExchangeModel, index of the
    saponification cation, component names)."""
    names = list(RARE_EARTHS) + list(IMPURITIES)
    n_metals = int(rng.integers(1, 15))
    comps = [names[i] for i in sorted(rng.choice(len(names), size=n_metals, replace=False))]
    nd = exchange_model(extractant, ("Nd", "Na"))
    ref_pH = float(np.asarray(extractant.reference_pH))
    ref_dimer = float(np.asarray(extractant.reference_dimer)) / 1000.0  # mol/L
    rows = []
    for c in comps:
        if c in RARE_EARTHS:
            m = exchange_model(extractant, (c,))
            rows.append([float(np.asarray(getattr(m, f))[0]) for f in m.__dict__])
        else:
            shift, n, v = IMPURITIES[c]
            log_D_nd = float(nd.log_K[0]) + float(nd.slope[0]) * ref_pH
            log_D_nd += float(nd.dimer_order[0]) * np.log10(ref_dimer)
            log_K = log_D_nd + shift - n * ref_pH - v * np.log10(ref_dimer)
            rows.append([log_K, n, float(v), float(v), 2.0 * v])
    rows.append([float(np.asarray(getattr(nd, f))[1]) for f in nd.__dict__])
    model = ExchangeModel(*(np.array(col, dtype=float) for col in zip(*rows)))
    F = 1e-3
    log_uniform = lambda lo, hi: float(np.exp(rng.uniform(np.log(lo), np.log(hi))))
    total = rng.uniform(50.0, 1000.0)
    feed = np.append(rng.dirichlet(np.ones(n_metals)) * total * F, 0.0)
    C = rng.uniform(500.0, 1500.0)
    stages = [int(log_uniform(1.0, 200.999)) for _ in range(3)]
    design = CircuitDesign(
        *stages,
        F,
        log_uniform(0.1, 10.0) * F,
        log_uniform(0.01, 2.0) * F,
        log_uniform(0.05, 2.0) * F,
        log_uniform(1.0, 300.0),
        log_uniform(50.0, 6000.0),
        log_uniform(50.0, 6000.0),
        C,
        rng.uniform(0.0, 0.6) * C,
    )
    return design, feed, model, n_metals, tuple(comps) + ("Na",)


@dataclass(frozen=True)
class Survey:
    """How the solver fared on ``points`` random operating points.

    solved : steady state found and runnable; infeasible : refused with a physical reason (too
    much base for the acid, or a stage above the hydrolysis pH); failed : neither, with their
    messages; times : seconds per point; slowest : (seconds, description) of the slowest point
    """

    points: int
    solved: int
    infeasible: int
    failed: list[str]
    times: np.ndarray
    slowest: tuple[float, str]

    @property
    def convergence(self) -> float:
        """Share of the points that have a steady state the solver could report on [-]: solved
        or refused for a physical reason, over all."""
        return (self.solved + self.infeasible) / self.points


def survey(n: int, seed: int, extractant: ExtractantParams) -> Survey:
    """Solve ``n`` random operating points (seeded) one at a time."""
    rng = np.random.default_rng(seed)
    solved = infeasible = 0
    failed, times, slowest = [], [], (0.0, "")
    for _ in range(n):
        design, feed, model, cation, comps = random_point(rng, extractant)
        t = time.perf_counter()
        try:
            solve_circuit(design, feed, model=model, cation_index=cation, where="point")
            solved += 1
        except ConvergenceError as exc:
            failed.append(str(exc))
        except PlantError:
            infeasible += 1
        dt = time.perf_counter() - t
        times.append(dt)
        if dt > slowest[0]:
            slowest = (dt, _describe(design, comps))
    return Survey(n, solved, infeasible, failed, np.array(times), slowest)


def _describe(d: CircuitDesign, comps) -> str:
    F = d.feed_flow
    return (
        f"{d.n_extraction}+{d.n_scrub}+{d.n_strip} stages, {len(comps)} components, "
        f"O/A {d.organic_flow / F:.2f}, scrub {d.scrub_flow / F:.3f}, "
        f"saponification {d.cation / d.extractant:.0%}"
    )
