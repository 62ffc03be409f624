"""The scrub controller of an SX circuit: the scrub flow trim that holds its strip product's
purity at ``strip_purity_setpoint``, found as a plant's feedback loop settles on it (solved at
steady state, every sample of a batch at once)."""

from __future__ import annotations

import numpy as np

from plant.errors import PlantError
from plant.numerics import bracketed_root, logit, safe_ratio
from plant.thermo import atomic_weight
from plant.units.solvent_extraction.parameters import CircuitParams

TRIM_RANGE = (0.5, 2.0)
"""The scrub flow trim a circuit's controller may apply, on its scrub_ratio [-] [E]."""
TRIM_TOLERANCE, TRIM_XTOL, TRIM_STEPS = 0.02, 1e-4, 14
"""The controller stops within TRIM_TOLERANCE of its setpoint in logit(purity) (2 % of the
impurity) or with its trim known to TRIM_XTOL (in log), after at most TRIM_STEPS solves once its
setpoint is bracketed."""
TRIM_FIRST, TRIM_GROWTH = 0.02, 3.0
"""The bracket search steps out from the nominal scrub by TRIM_FIRST in log trim (2 %), each
step TRIM_GROWTH times the last, to TRIM_RANGE's ends."""


def trimmed_scrub(
    solve, c: CircuitParams, comps, cut, strip_side
) -> tuple[np.ndarray, object, np.ndarray]:
    """The scrub flow trim (...) at which the strip product's purity (rare-earth mass basis)
    meets ``strip_purity_setpoint``, the last circuit solved on the way (a start for the solution
    at that trim), and the trim short of the pure side (below): the feedback a plant closes on its
    product assay or a monitoring stage, here solved at steady state. More scrub returns more of
    the light side to the raffinate, so the purity rises with the trim: the setpoint is bracketed
    stepping out from the nominal scrub, then found by regula falsi (Illinois) in log trim on
    logit(purity) alternating with bisection; at TRIM_RANGE's ends the trim saturates. Where the
    purity leaps across the setpoint within the trim's resolution (a sharp cut at its equivalence
    point), the controller settles on the pure side of the leap (the short side, where no steady
    state holds there). ``strip_side(light_key)``: the elements the cut sends to the strip."""
    if cut is None:
        raise PlantError(
            f"{c.where}.strip_purity_setpoint: the controller holds the strip product's purity, "
            "but this circuit has no cut to name its product"
        )
    heavy = np.array([e in strip_side(cut[0]) for e in comps[:-1]])
    mass = np.array([atomic_weight(e) for e in comps[:-1]])
    target = logit(np.asarray(c.strip_purity_setpoint, dtype=float))

    def error(log_trim, start):
        sol = solve(np.exp(log_trim), start)
        strip = sol.strip_liquor[..., :-1] * mass
        purity = safe_ratio((strip * heavy).sum(-1), strip.sum(-1))
        return logit(purity) - target, sol

    state = {"sol": None}

    def fn(log_trim):
        f, state["sol"] = error(log_trim, state["sol"])
        return f

    # bracket the trim from the nominal scrub outwards (the setpoint is usually near it)
    f0 = fn(np.float64(0.0))
    shape = np.shape(f0)
    x0, f_x0 = np.zeros(shape), f0
    edge = np.where(f0 < 0, np.log(TRIM_RANGE[1]), np.log(TRIM_RANGE[0]))
    lo, hi, f_lo, f_hi = x0.copy(), x0.copy(), f_x0.copy(), f_x0.copy()
    open_ = f0 != 0
    width = TRIM_FIRST
    while open_.any():
        x = np.where(f0 < 0, np.minimum(x0 + width, edge), np.maximum(x0 - width, edge))
        f = fn(np.where(open_, x, x0))
        crossed = open_ & (np.sign(f) != np.sign(f0))
        at_edge = open_ & ~crossed & (x == edge)
        hi = np.where(crossed & (f0 < 0), x, hi)
        f_hi = np.where(crossed & (f0 < 0), f, f_hi)
        lo = np.where(crossed & (f0 > 0), x, lo)
        f_lo = np.where(crossed & (f0 > 0), f, f_lo)
        # not crossed yet: the new point is the near end of the next bracket
        moved = open_ & ~crossed
        lo = np.where(moved & (f0 < 0), x, lo)
        f_lo = np.where(moved & (f0 < 0), f, f_lo)
        hi = np.where(moved & (f0 > 0), x, hi)
        f_hi = np.where(moved & (f0 > 0), f, f_hi)
        x0 = np.where(moved, x, x0)
        saturated = at_edge
        lo = np.where(saturated, edge, lo)
        hi = np.where(saturated, edge, hi)
        open_ &= ~crossed & ~at_edge
        width *= TRIM_GROWTH
    inside = (f_lo < 0) & (f_hi > 0)
    x, x_high = bracketed_root(
        fn,
        lo,
        hi,
        f_lo,
        f_hi,
        xtol=TRIM_XTOL,
        ftol=TRIM_TOLERANCE,
        active=inside,
        max_iter=TRIM_STEPS,
        bisect_every=2,
        settle_high=True,
    )
    # saturated (or exactly at the setpoint): lo == hi
    trim = lambda x: np.exp(np.where(inside, x, lo))
    return trim(x_high), state["sol"], trim(x)
