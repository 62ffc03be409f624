"""A constant-D stand-in for a solved pH-mode SX circuit, for runs of thousands of samples.

In constant-D mode each rare earth's split between strip liquor and
raffinate depends on its own distribution ratio only (with the stages and
flows), so one ratio per element can be found that reproduces the split the
pH-mode circuit gives (``CircuitRecord.to_strip``). :func:`calibrated` finds
those ratios by a batched grid search in log D (all elements at once, three
refinements, about 1e-6 decades), keeping the strip ratios the circuit runs
at (:func:`plant.units.solvent_extraction.design.operating_ratios`).

A circuit whose scrub flow is under control (``strip_purity_setpoint``)
becomes a stand-in at a fixed scrub ratio, the one its controller set at the
calibration point (or ``scrub_ratio`` when given): the ratios found there
then carry the controller's response along with the equilibrium's.

The stand-in is exact at the operating point it was calibrated at and is a
linearisation elsewhere: the ratios stay fixed while the extraction factors
D O/A follow the flows, but the pH shifts that a different feed or organic
loading would bring are left out.
"""

from __future__ import annotations

import numpy as np

from plant.chemistry import RARE_EARTHS
from plant.params import with_values
from plant.stream import Stream
from plant.units.solvent_extraction.design import D_RANGE, operating_ratios
from plant.units.solvent_extraction.unit import CircuitResult
from plant.units.solvent_extraction.unit import split as circuit_split

GRID = 64
"""Points per element and refinement of the log-D search."""
REFINEMENTS = 3


def calibrated(unit: CircuitResult, p, acid: str, scrub_ratio: float | None = None):
    """``p`` (SolventExtractionParams) in constant-D mode with the distribution ratios of circuit
    ``unit`` (a solved ``solvent_extraction.run`` result, scalar) set so that every rare earth
    splits as it does there, with the stages and flows it ran at (a designed train's included) and
    at ``scrub_ratio`` (default: the one the circuit ran at) with no scrub controller."""
    circuit = unit.circuit.circuit
    one = unit.inlets["liquor"]
    liquor = Stream.owned(
        np.broadcast_to(one.flows, (GRID,) + one.flows.shape[-1:]).copy(),
        one.T,
        one.P,
        one.registry,
    )
    rec = unit.circuit
    target = {e: float(np.squeeze(v)) for e, v in rec.to_strip.items()}
    _, strip = operating_ratios(unit)
    per_feed = lambda flow: float(np.squeeze(flow / rec.feed_m3_per_s))
    base = with_values(
        p,
        {
            "mode": "constant_D",
            f"{circuit}.strip_purity_setpoint": None,
            f"{circuit}.n_extraction": rec.n_extraction,
            f"{circuit}.n_scrub": rec.n_scrub,
            f"{circuit}.organic_ratio": per_feed(rec.organic_m3_per_s),
            f"{circuit}.strip_ratio": per_feed(rec.strip_m3_per_s),
            f"{circuit}.scrub_ratio": per_feed(rec.scrub_m3_per_s)
            if scrub_ratio is None
            else scrub_ratio,
            **{f"{circuit}.strip_distribution_ratio.{e}": max(v, 1e-12) for e, v in strip.items()},
        },
    )
    elements = list(target)
    lo = np.full(len(elements), np.log10(D_RANGE[0]))
    hi = np.full(len(elements), np.log10(D_RANGE[1]))
    best = np.zeros(len(elements))
    for _ in range(REFINEMENTS):
        grid = np.linspace(lo, hi, GRID)  # (GRID, n_elements)
        trial = with_values(
            base,
            {
                f"{circuit}.distribution_ratio.{e}": 10.0 ** grid[:, i]
                for i, e in enumerate(elements)
            },
        )
        split = dict(
            zip(
                RARE_EARTHS,
                np.moveaxis(circuit_split(liquor, trial, circuit, acid, unit.circuit.cut), -1, 0),
            )
        )
        for i, e in enumerate(elements):
            s = np.maximum.accumulate(np.asarray(split[e], dtype=float))  # monotone in D
            k = int(np.clip(np.searchsorted(s, target[e]), 1, GRID - 1))
            lo[i], hi[i] = grid[k - 1, i], grid[k, i]
            w = (
                np.clip((target[e] - s[k - 1]) / (s[k] - s[k - 1]), 0.0, 1.0)
                if s[k] > s[k - 1]
                else 0.5
            )
            best[i] = lo[i] + w * (hi[i] - lo[i])  # linear in log D within the bracket
    return with_values(
        base, {f"{circuit}.distribution_ratio.{e}": 10.0 ** best[i] for i, e in enumerate(elements)}
    )
