"""Blending of the recycled powder with fresh rare earth (NdPr metal or hydride).

Oxygen picked up in processing ties rare earths up as oxides, which no longer form the liquid
grain-boundary phase that sintering needs; fresh rare earth makes them up (Zakotnik et al. 2009,
J. Alloys Compd. 469:314, about 1 at% Nd; Prokofev et al. 2020, Materials 13:3049, NdHx). The
addition restores the metallic rare-earth mass fraction (hydrogen-free basis) of the magnets as
sorted (``reference``), plus ``rare_earth_margin``:

    m = (x M - R) / (1 - x),   x = x_reference + margin

with M the powder mass and R its metallic rare earths (both hydrogen-free), m the fresh rare earth
[kg/s]; never negative. As ``hydride`` the addition carries two H per rare-earth atom, released in
sintering.

Outlet: ``powder`` (blended).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from plant.chemistry import ABSORBED_HYDROGEN, HYDRIDE_HYDROGEN, RARE_EARTHS
from plant.errors import ParamError
from plant.numerics import safe_ratio
from plant.params import choice, composition, number, where_field
from plant.species import Registry
from plant.stream import Stream
from plant.units.common import col
from plant.units.record import UnitResult

HYDRIDE_H_PER_RE = 2.0
"""H atoms per rare-earth atom of the fresh hydride (REH2) [-]."""


@dataclass(frozen=True)
class BlendingParams:
    """Blending.

    form : 'metal' or 'hydride' (REH2) of the fresh rare earth
    composition : mass fractions of the fresh rare-earth metals (e.g. Nd 0.75, Pr 0.25), summing
        to 1
    rare_earth_margin : metallic rare-earth mass fraction added above the sorted magnets' [-]
    """

    form: str = choice("form", ("metal", "hydride"))
    composition: dict = composition("composition", "solid")
    rare_earth_margin: float = number("rare_earth_margin", lo=0.0, hi=0.2)
    where: str = where_field()

    def check(self, origin, prefix: str) -> None:
        """The fresh rare earth is rare-earth metal only."""
        for name in self.composition:
            if name not in RARE_EARTHS:
                raise ParamError(
                    origin("composition"),
                    prefix + "composition",
                    f"rare-earth metals only ({', '.join(RARE_EARTHS)})",
                    name,
                )


@functools.lru_cache(maxsize=8)
def _masks(registry: Registry) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the rare-earth metals and of the absorbed-hydrogen species."""
    re = np.zeros(registry.n, dtype=bool)
    re[registry.indices(RARE_EARTHS)] = True
    h = np.zeros(registry.n, dtype=bool)
    h[registry.indices(ABSORBED_HYDROGEN)] = True
    return re, h


def metallic_rare_earth(stream: Stream) -> tuple[np.ndarray, np.ndarray]:
    """Metallic rare earths and hydrogen-free mass of ``stream`` [kg/s]."""
    re, h = _masks(stream.registry)
    return stream.mass_of(re), stream.mass_flow - stream.mass_of(h)


def fresh_flows(p: BlendingParams, kg_per_s, registry: Registry) -> np.ndarray:
    """Molar flows (..., n_species) of ``kg_per_s`` of fresh rare earth (metal basis) in its
    form."""
    w = np.zeros(registry.n)
    for name, x in p.composition.items():
        w[registry.index(name)] = x
    f = col(kg_per_s) * (w / registry.molar_mass)
    if p.form == "hydride":
        f[..., registry.index(HYDRIDE_HYDROGEN)] += HYDRIDE_H_PER_RE * f.sum(axis=-1)
    return f


def run(powder: Stream, reference: Stream, p: BlendingParams) -> UnitResult:
    """Blend ``powder`` with fresh rare earth to the metallic rare-earth fraction of ``reference``;
    outlet ``powder``."""
    reg = powder.registry
    r_ref, m_ref = metallic_rare_earth(reference)
    target = safe_ratio(r_ref, m_ref) + np.asarray(p.rare_earth_margin)
    r, m = metallic_rare_earth(powder)
    make_up = np.maximum(safe_ratio(target * m - r, 1.0 - target), 0.0)
    fresh = Stream.owned(fresh_flows(p, make_up, reg), registry=reg)
    return UnitResult(
        "blending",
        inlets={"powder": powder, "fresh_rare_earth": fresh},
        outlets={"powder": powder + fresh},
        reagents={"fresh_rare_earth": make_up},
        performance={"blender_kg_per_s": m + make_up, "target_rare_earth_fraction": target},
    )
