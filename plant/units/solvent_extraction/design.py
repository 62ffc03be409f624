"""Design mode: the fewest stages and the flow ratios that make a circuit meet its purity and
recovery targets.

For a key split (e.g. Nd | Dy: Nd and everything less extractable to the
raffinate, Dy and everything more extractable to the strip liquor) the
search evaluates, for a number of stages n (extraction = scrub = n), a grid
of organic and scrub ratios in one batch solve, in the circuit's own mode
(pH or constant D). It doubles n until some flows meet every target, then
bisects n down, then lowers the scrub stages while the target still holds.
Among the flows that meet the targets it takes the least organic (the
smallest inventory and saponification), then the least scrub.

Purity and recovery are on a rare-earth basis: the share of the product's
rare earths among all rare earths of its stream, and the share of the feed's
product rare earths that reach it. The chosen design is solved once more on
its own, and that solve is what is reported.

If no stage count up to the limit meets the targets, the result says so and
why: the best purity reached and the separation factor of the key pair.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.chemistry import RARE_EARTHS
from plant.errors import PlantError
from plant.numerics import safe_ratio
from plant.params import with_values
from plant.thermo import atomic_weight
from plant.units.solvent_extraction.circuit import CircuitDesign, solve_circuit
from plant.units.solvent_extraction.unit import (
    CircuitParams,
    CircuitResult,
    SolventExtractionParams,
    circuit_components,
    exchange_model,
    feed_state,
)

ORGANIC_RATIOS = np.geomspace(0.1, 2.0, 7)
SCRUB_RATIOS = np.geomspace(0.03, 0.6, 5)
MAX_STAGES = 128


@dataclass(frozen=True)
class DesignResult:
    """Outcome of design mode (scalar inputs).

    feasible : whether the targets are met; reason : why not, in words
    n_extraction, n_scrub, organic_ratio, scrub_ratio : the design (None when infeasible)
    purity, recovery : of the raffinate and the strip product (rare-earth basis) at the design
    evaluated : number of cascade solves made
    """

    feasible: bool
    reason: str
    n_extraction: int | None
    n_scrub: int | None
    organic_ratio: float | None
    scrub_ratio: float | None
    purity: dict[str, float]
    recovery: dict[str, float]
    evaluated: int


def split_groups(light_key: str, heavy_key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Rare earths to the raffinate (up to ``light_key``) and to the strip liquor (all heavier, from
    the elements between the keys to ``heavy_key`` and beyond: Nd|Dy sends Sm, Gd, Tb with Dy)."""
    for k in (light_key, heavy_key):
        if k not in RARE_EARTHS:
            raise PlantError(
                f"design: unknown key element {k!r}; rare earths: {', '.join(RARE_EARTHS)}"
            )
    i, j = RARE_EARTHS.index(light_key), RARE_EARTHS.index(heavy_key)
    if i >= j:
        raise PlantError(
            "design: the light key must be less extractable than the heavy key; "
            f"given {light_key}|{heavy_key}"
        )
    return RARE_EARTHS[: i + 1], RARE_EARTHS[i + 1 :]


def design_circuit(
    feed_re: dict[str, float],
    feed_flow: float,
    feed_acid: float,
    p: SolventExtractionParams,
    circuit: str,
    light_key: str,
    heavy_key: str,
    purity: float = 0.995,
    recovery: float = 0.99,
) -> DesignResult:
    """Design circuit ``circuit`` of ``p`` for an aqueous feed.

    feed_re : rare earth -> mol/s in the feed; feed_flow [m3/s]; feed_acid : H+ of the feed [mol/m3]
    purity, recovery : targets for both products [-]
    """
    light, heavy = split_groups(light_key, heavy_key)
    c: CircuitParams = getattr(p, circuit)
    re = np.array([float(feed_re.get(e, 0.0)) for e in RARE_EARTHS])
    if (re < 0).any() or re.sum() <= 0:
        raise PlantError("design: the feed needs a positive flow of rare earths and none negative")
    comps = circuit_components(re)
    feed = np.array([re[RARE_EARTHS.index(e)] for e in comps[:-1]] + [0.0])
    in_light = np.array([e in light for e in comps[:-1]])
    in_heavy = np.array([e in heavy for e in comps[:-1]])
    if not in_light.any() or not in_heavy.any():
        raise PlantError(
            f"design: the feed must carry rare earths on both sides of {light_key}|{heavy_key}"
        )
    O, S = np.meshgrid(ORGANIC_RATIOS, SCRUB_RATIOS, indexing="ij")
    O, S = O.ravel(), S.ravel()
    counter = [0]

    def evaluate(n_e: int, n_s: int, o, s):
        counter[0] += np.size(o)
        C = float(np.asarray(p.extractant_concentration))
        d = CircuitDesign(
            n_e,
            n_s,
            c.n_strip,
            feed_flow,
            np.asarray(o) * feed_flow,
            np.asarray(s) * feed_flow,
            float(c.strip_ratio) * feed_flow,
            feed_acid,
            float(c.scrub_acid),
            float(c.strip_acid),
            C,
            float(c.saponification) * C,
        )
        if p.mode == "pH":
            sol = solve_circuit(
                d,
                feed,
                model=exchange_model(p.extractant_data(), comps),
                cation_index=len(comps) - 1,
                strict=False,
            )
        else:
            D = np.array([float(c.distribution_ratio[e]) for e in comps[:-1]] + [1e-9])
            DR = np.array([float(c.strip_distribution_ratio[e]) for e in comps[:-1]] + [1e-9])
            sol = solve_circuit(d, feed, D=D, D_strip=DR, strict=False)
        raff, strip = sol.raffinate[..., :-1], sol.strip_liquor[..., :-1]
        mass = np.array([atomic_weight(e) for e in comps[:-1]])
        pur_r = safe_ratio((raff * mass * in_light).sum(-1), (raff * mass).sum(-1))
        pur_s = safe_ratio((strip * mass * in_heavy).sum(-1), (strip * mass).sum(-1))
        rec_r = safe_ratio((raff * in_light).sum(-1), (feed[:-1] * in_light).sum())
        rec_s = safe_ratio((strip * in_heavy).sum(-1), (feed[:-1] * in_heavy).sum())
        ok = (
            sol.converged
            & (pur_r >= purity)
            & (pur_s >= purity)
            & (rec_r >= recovery)
            & (rec_s >= recovery)
        )
        return ok, pur_r, pur_s, rec_r, rec_s

    if p.mode == "pH":
        O = ORGANIC_RATIOS
    tried: dict[tuple[int, int], tuple] = {}

    def feasible(n_e, n_s):
        """(ok, scrub ratios, (purities, recoveries)) over the organic ratios, each stage count
        solved once."""
        if (n_e, n_s) not in tried:
            scrub = (
                _scrub_for_purity(lambda o, s: evaluate(n_e, n_s, o, s)[2], O, purity)
                if p.mode == "pH"
                else S
            )
            ok, *rest = evaluate(n_e, n_s, O, scrub)
            tried[n_e, n_s] = ok, scrub, rest
        return tried[n_e, n_s]

    n, best = 1, None
    while n <= MAX_STAGES:
        ok, _, rest = feasible(n, n)
        if ok.any():
            best = n
            break
        last = rest
        n *= 2
    if best is None:
        pr, ps = float(np.max(last[0])), float(np.max(last[1]))
        beta = _separation(p, c, comps, light_key, heavy_key)
        return DesignResult(
            False,
            f"no design with up to {MAX_STAGES // 2 * 2} extraction and scrub stages meets "
            f"{purity:.1%} purity and {recovery:.1%} recovery of both products with "
            f"{p.extractant}: "
            f"the best purities reached are {pr:.2%} (raffinate) and {ps:.2%} (strip liquor); the "
            f"{heavy_key}/{light_key} separation factor is {beta:.3g}",
            None,
            None,
            None,
            None,
            {},
            {},
            counter[0],
        )
    lo, hi = best // 2, best  # lo infeasible (or 0), hi feasible
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if feasible(mid, mid)[0].any():
            hi = mid
        else:
            lo = mid
    n_e = n_s = hi
    while n_s > 0 and feasible(n_e, n_s - 1)[0].any():
        n_s -= 1
    ok, scrub, _ = feasible(n_e, n_s)
    k = int(np.flatnonzero(ok)[np.lexsort((scrub[ok], O[ok]))[0]])
    ok1, pr, ps, rr, rs = evaluate(n_e, n_s, O[k], scrub[k])
    return DesignResult(
        bool(ok1),
        "meets the targets" if ok1 else "the chosen design failed its own check",
        n_e,
        n_s,
        float(O[k]),
        float(scrub[k]),
        {"raffinate": float(pr), "strip_liquor": float(ps)},
        {"raffinate": float(rr), "strip_liquor": float(rs)},
        counter[0],
    )


SCRUB_RANGE = (1e-3, 10.0)
BISECTIONS = 16


def _scrub_for_purity(strip_purity, O: np.ndarray, purity: float) -> np.ndarray:
    """pH mode: for each organic ratio, the least scrub ratio whose strip liquor meets ``purity``.

    With a saponified extractant the split is set by equivalents (the cation the organic brings,
    less the feed and scrub acid), so the cut moves by a few per cent of the scrub flow: a coarse
    grid misses it. More scrub returns more of the light group to the raffinate, so the strip purity
    rises with the scrub ratio; the least ratio meeting the target keeps the most of the heavy group
    in the strip. Geometric bisection, all organic ratios in one batch per step.
    """
    lo, hi = np.full(O.shape, SCRUB_RANGE[0]), np.full(O.shape, SCRUB_RANGE[1])
    for _ in range(BISECTIONS):
        mid = np.sqrt(lo * hi)
        ok = strip_purity(O, mid) >= purity
        hi, lo = np.where(ok, mid, hi), np.where(ok, lo, mid)
    return hi


def _separation(
    p: SolventExtractionParams, c: CircuitParams, comps, light_key: str, heavy_key: str
) -> float:
    """D(heavy key) / D(light key) at equal conditions."""
    if p.mode == "pH":
        x = p.extractant_data()
        return float(
            np.asarray(x.separation_factor[heavy_key]) / np.asarray(x.separation_factor[light_key])
        )
    return float(
        np.asarray(c.distribution_ratio[heavy_key]) / np.asarray(c.distribution_ratio[light_key])
    )


# ---------------------------------------------------------------------------- a plant's circuits


def design_for(
    unit: CircuitResult,
    p: SolventExtractionParams,
    acid: str,
    light_key: str,
    heavy_key: str,
    purity: float = 0.995,
    recovery: float = 0.99,
) -> DesignResult:
    """Design mode for the feed a plant's circuit ``unit`` (a scalar solvent_extraction result)
    takes, in the mode of ``p``."""
    circuit = unit.circuit.circuit
    re_in, F, feed_acid = feed_state(unit.inlets["liquor"], p, acid)
    feed = {e: float(re_in[..., i]) for i, e in enumerate(RARE_EARTHS)}
    return design_circuit(
        feed, float(F), float(feed_acid), p, circuit, light_key, heavy_key, purity, recovery
    )


def operating_ratios(unit: CircuitResult) -> tuple[dict[str, float], dict[str, float]]:
    """Distribution ratios (organic / aqueous) a solved circuit ``unit`` runs at: the geometric mean
    over its extraction and scrub stages, and over its strip stages, per rare earth it carries."""
    rec = unit.circuit
    n_main = rec.n_extraction + rec.n_scrub
    main, strip = {}, {}
    for e, aq in rec.aqueous.items():
        if e not in RARE_EARTHS:
            continue
        ratio = safe_ratio(np.asarray(rec.organic[e], dtype=float), np.asarray(aq, dtype=float))
        log = np.log(np.clip(ratio, *D_RANGE))
        main[e], strip[e] = float(np.exp(log[:n_main].mean())), float(np.exp(log[n_main:].mean()))
    return main, strip


D_RANGE = (1e-9, 1e9)
"""The domain of a constant distribution ratio (``distribution_ratio`` of the circuit
parameters)."""


def operating_point_equivalent(
    unit: CircuitResult, p: SolventExtractionParams
) -> SolventExtractionParams:
    """``p`` in constant-D mode with the circuit's distribution ratios set to those it runs at
    (:func:`operating_ratios`): a quick design-mode estimate of a pH-mode circuit, fair while the
    flows stay near the operating point (the ratios move with the organic and scrub flows in pH
    mode)."""
    circuit = unit.circuit.circuit
    main, strip = operating_ratios(unit)
    values = {"mode": "constant_D"}
    values.update({f"{circuit}.distribution_ratio.{e}": v for e, v in main.items()})
    values.update(
        {f"{circuit}.strip_distribution_ratio.{e}": max(v, 1e-12) for e, v in strip.items()}
    )
    return with_values(p, values)
