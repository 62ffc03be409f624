"""Parameters of the domestic-demand target (``[capacity]``): the demand path and the target share
and year."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant import params as P
from plant.chemistry import RARE_EARTHS, oxide_per_element
from plant.errors import ParamError
from plant.uom import SECONDS_PER_YEAR


@dataclass(frozen=True)
class DemandParams:
    """Domestic rare-earth demand.

    points : calendar year -> demand [kg/s] (TOML in t/yr), years increasing
    path : 'linear' or 'compound' growth between the points (flat before the first and after the
        last)
    basis : 'REO' (oxide equivalent) or 'metal' (converted to REO with ``metal_mix``)
    metal_mix : mass fractions of the rare-earth metals in a metal demand [-], summing to 1
    """

    points: dict = P.quantities("points", "kg/s", atomic=True)
    path: str = P.choice("path", ("linear", "compound"))
    basis: str = P.choice("basis", ("REO", "metal"))
    metal_mix: dict = P.table("metal_mix", RARE_EARTHS)
    where: str = P.where_field()

    def check(self, origin, prefix: str) -> None:
        """Years are whole numbers, in increasing order; a compound path needs demands above zero;
        the metal mix sums to 1."""
        years = []
        for key in self.points:
            if not key.lstrip("-").isdigit():
                raise ParamError(
                    origin(f"points.{key}"),
                    f"{prefix}points.{key}",
                    "a calendar year as the key",
                    given_text=repr(key),
                )
            years.append(int(key))
        for a, b in zip(years, years[1:]):
            if b <= a:
                raise ParamError(
                    origin("points"),
                    prefix + "points",
                    "years in increasing order (a path forward in time)",
                    given_text=f"{b} after {a}",
                )
        if self.path == "compound" and any(
            np.any(np.asarray(v) <= 0) for v in self.points.values()
        ):
            raise ParamError(
                origin("points"),
                prefix + "points",
                "demands above zero for a compound path",
                given_text="a demand of zero",
            )
        total = np.asarray(sum(self.metal_mix.values()), dtype=float)
        off = np.abs(total - 1.0)
        if np.any(off > P.COMPOSITION_TOLERANCE):
            raise ParamError(
                origin("metal_mix"),
                prefix + "metal_mix",
                "mass fractions summing to 1",
                given_text=f"fractions summing to {float(total.flat[np.argmax(off)]):.6g}",
            )

    def oxide_per_metal(self, registry) -> float:
        """kg REO per kg of rare-earth metal in the demand's mix [-]."""
        _, kg_oxide_per_mol = oxide_per_element(registry)
        m = [registry.molar_mass[registry.index(e)] for e in RARE_EARTHS]
        return sum(
            self.metal_mix[e] * kg_oxide_per_mol[i] / m[i] for i, e in enumerate(RARE_EARTHS)
        )

    def t_per_yr(self, years, registry) -> np.ndarray:
        """Demand [t/yr REO] in each of ``years`` (..., n_years)."""
        x = np.array([int(k) for k in self.points], dtype=float)
        v = np.stack(
            np.broadcast_arrays(*[np.asarray(d, dtype=float) for d in self.points.values()]),
            axis=-1,
        )
        y = np.clip(np.asarray(years, dtype=float), x[0], x[-1])
        k = np.clip(np.searchsorted(x, y, side="right") - 1, 0, max(len(x) - 2, 0))
        if len(x) == 1:
            d = v[..., :1] + 0.0 * y
        else:
            w = (y - x[k]) / (x[k + 1] - x[k])
            lo, hi = v[..., k], v[..., k + 1]
            d = lo + w * (hi - lo) if self.path == "linear" else lo * (hi / lo) ** w
        factor = self.oxide_per_metal(registry) if self.basis == "metal" else 1.0
        return d * SECONDS_PER_YEAR / 1000.0 * factor


@dataclass(frozen=True)
class CapacityParams:
    """The domestic-demand target.

    target_share : share of demand the plant is to cover [-]
    target_year : the year it is to be covered by
    supply_year : the year the feed supplies (``available``, ``units_discarded``) are stated for
    demand : the demand path
    """

    target_share: float = P.fraction("target_share")
    target_year: int = P.integer("target_year", lo=1900, hi=2200)
    supply_year: int = P.integer("supply_year", lo=1900, hi=2200)
    demand: DemandParams = P.section("demand", DemandParams)
    where: str = P.where_field()
