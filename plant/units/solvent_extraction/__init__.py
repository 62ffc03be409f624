"""Solvent extraction: the separation circuits of the refinery.

- :mod:`.parameters`: extractant data, circuits, mixer-settlers, losses (``[solvent_extraction]``);
- :mod:`.unit`: a circuit as a unit operation (streams, sizing, reagents);
- :mod:`.circuit`: the extraction-scrub-strip circuit with its organic recycle;
- :mod:`.ring`: its steady state, all stages solved together as one ring (pseudo-transient
  continuation, coarse-to-fine starts, continuation in the saponification);
- :mod:`.equilibrium`: the pH-mode cation-exchange equilibrium and the stage flash;
- :mod:`.kernels`: the compiled loops of the flash and the ring's linear algebra;
- :mod:`.operating_points`: random operating points and a survey of the solver over them;
- :mod:`.cascade`: a countercurrent section at constant distribution ratios (Thomas solve);
- :mod:`.design`: design mode (fewest stages and flows for purity and recovery targets);
- :mod:`.shortcut`: a circuit designed for the liquor it takes (Underwood, Fenske, Gilliland,
  flows by the equivalence balance), checked with its controller: the designed train;
- :mod:`.surrogate`: a constant-D stand-in of a solved pH-mode circuit for large batches;
- :mod:`.cascade_api`: :func:`solve_cascade` for scripts.
"""

from plant.units.solvent_extraction.cascade_api import CascadeResult, solve_cascade
from plant.units.solvent_extraction.parameters import (
    CATION,
    CIRCUITS,
    EXTRACTANTS,
    SAPONIFIERS,
    CircuitParams,
    ExtractantParams,
    SolventExtractionParams,
)
from plant.units.solvent_extraction.unit import (
    chemistry,
    circuit_components,
    exchange_model,
    feed_state,
    run,
    split,
)

__all__ = [
    "CATION",
    "CIRCUITS",
    "EXTRACTANTS",
    "SAPONIFIERS",
    "CascadeResult",
    "CircuitParams",
    "ExtractantParams",
    "SolventExtractionParams",
    "chemistry",
    "circuit_components",
    "exchange_model",
    "feed_state",
    "run",
    "solve_cascade",
    "split",
]
