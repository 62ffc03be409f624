"""Scripting API (constant-D mode, extraction and scrub only)::

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

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from plant.errors import PlantError
from plant.species import default_registry
from plant.units.solvent_extraction.cascade import StageSolution, solve_stages, stage_residuals
from plant.units.solvent_extraction.circuit import (
    main_aqueous,
)


@dataclass(frozen=True)
class CascadeResult:
    """Outcome of a cascade solve.

    raffinate, loaded_organic : element -> mol/s leaving stage 1 (aqueous) and the last stage
        (organic)
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
                f"solve_cascade: {what} names unknown element {e!r}; "
                f"known elements: {', '.join(known)}"
            )


def _positive(name: str, value, allow_zero: bool = False) -> np.ndarray:
    v = np.asarray(value, dtype=float)
    bad = ~np.isfinite(v) | ((v < 0) if allow_zero else (v <= 0))
    if bad.any():
        need = ">= 0" if allow_zero else "> 0"
        raise PlantError(
            f"solve_cascade: {name} must be {need} (a physical flow or ratio); given "
            f"{v[bad].ravel()[:3].tolist() if v.ndim else float(v)}"
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
    D : element -> distribution ratio, organic over aqueous concentration [-], > 0, the same in
        every stage
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
            f"solve_cascade: need n_extraction >= 1 and n_scrub >= 0 whole stages; "
            f"given {n_extraction}, {n_scrub}"
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
