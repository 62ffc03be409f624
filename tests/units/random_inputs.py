"""Random valid inputs for unit tests: streams and parameters drawn from a seed.

Each draw is a batch of N samples (plus the scalar case via N=None), so one
hypothesis example exercises many combinations.
"""

from __future__ import annotations

import numpy as np

from plant.chemistry import ABSORBED_HYDROGEN, ACID, ACTINIDES, CHEMISTRY, METALS, RARE_EARTHS
from plant.params import specs, with_values
from plant.stream import Stream


def batch_shape(rng, scalar: bool):
    return () if scalar else (int(rng.integers(1, 6)),)


def flows(rng, reg, names, shape, scale=1.0, p_zero=0.3) -> np.ndarray:
    """Random flows [mol/s] of ``names``, some exactly zero."""
    f = np.zeros(shape + (reg.n,))
    for n in names:
        v = rng.uniform(0, scale, shape) * (rng.uniform(size=shape) > p_zero)
        f[..., reg.index(n)] = v
    return f


def solids(rng, reg, shape) -> Stream:
    """Metals and their oxides, as from feed preparation or roasting."""
    names = [m for m in METALS] + [CHEMISTRY[m].oxide for m in METALS]
    return Stream(flows(rng, reg, names, shape), T=rng.uniform(290, 1100))


def alloy(rng, reg, shape, hydrogen: bool = False) -> Stream:
    """Sintered-magnet material: rare-earth metals (Nd always present), Fe, B, Co, coating metals,
    some oxides and, with ``hydrogen``, absorbed hydrogen."""
    names = (
        list(METALS)
        + [CHEMISTRY[m].oxide for m in METALS]
        + (list(ABSORBED_HYDROGEN) if hydrogen else [])
    )
    f = flows(rng, reg, names, shape, scale=0.1)
    f[..., reg.index("Nd")] = rng.uniform(0.5, 1.0, shape)
    f[..., reg.index("Fe")] = rng.uniform(3.0, 8.0, shape)
    return Stream(f, T=rng.uniform(290, 320))


def liquor(rng, reg, shape, acid: str) -> Stream:
    """A leach liquor: salts of every metal (thorium and uranium too), free acid and plenty of
    water."""
    names = sorted(
        {CHEMISTRY[m].salt[acid] for m in METALS + ACTINIDES}
        | {
            s
            for m in METALS
            for s in CHEMISTRY[m].metal_salt.values()
            if s in (CHEMISTRY[m].metal_salt.get(acid),)
        }
    )
    f = flows(rng, reg, names + [ACID[acid].species, ACID[acid].sodium_salt], shape)
    f[..., reg.index("H2O(l)")] = rng.uniform(200, 400, shape)
    return Stream(f, T=rng.uniform(290, 370))


def slurry(rng, reg, shape, acid: str) -> Stream:
    """Solids (oxides, hydroxides, oxalates) in a liquor."""
    names = (
        [CHEMISTRY[m].oxide for m in METALS]
        + [CHEMISTRY[e].oxalate for e in RARE_EARTHS]
        + ["Fe(OH)3"]
    )
    return Stream(liquor(rng, reg, shape, acid).flows + flows(rng, reg, names, shape))


def cake(rng, reg, shape) -> Stream:
    """Anything a calciner may receive: oxalates, hydroxides, entrained liquor of either acid."""
    names = (
        [CHEMISTRY[e].oxalate for e in RARE_EARTHS]
        + [
            "FeC2O4:2H2O",
            "CoC2O4:2H2O",
            "NiC2O4:2H2O",
            "Th(C2O4)2:6H2O",
            "Th(OH)4",
            "Fe(OH)3",
            "Al(OH)3",
            "Nd(OH)3",
            "H3BO3(aq)",
            "H2C2O4(aq)",
            "H2O2(aq)",
        ]
        + [
            s
            for m in METALS + ACTINIDES
            for s in (*CHEMISTRY[m].salt.values(), *CHEMISTRY[m].metal_salt.values())
        ]
        + [a.species for a in ACID.values()]
        + [a.sodium_salt for a in ACID.values()]
    )
    f = flows(rng, reg, names, shape, scale=0.1)
    f[..., reg.index("H2O(l)")] = rng.uniform(5, 50, shape)
    return Stream(f)


def perturb(rng, p, shape, skip=()):
    """Unit parameters with every numeric parameter drawn within +-50 % of its value and its
    domain."""
    values = {}
    for f, spec in specs(type(p)):
        if spec.kind != "quantity" or spec.key in skip:
            continue
        v = getattr(p, f.name)
        lo = spec.lo if spec.lo is not None else -np.inf
        hi = spec.hi if spec.hi is not None else np.inf
        draw = np.clip(v * rng.uniform(0.5, 1.5, shape), lo, hi)
        if spec.lo_open:
            draw = np.maximum(draw, np.nextafter(lo, np.inf))
        values[spec.key] = draw if shape else float(draw)
    return with_values(p, values)
