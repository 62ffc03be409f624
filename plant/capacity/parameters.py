"""Parameters of the domestic-demand target (``[capacity]``): the demand path, its uses and their
elements, and the target: its share, year and basis."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant import params as P
from plant.chemistry import RARE_EARTHS, oxide_per_element
from plant.errors import ParamError
from plant.uom import SECONDS_PER_YEAR

DEMAND_ELEMENTS: tuple[str, ...] = (*RARE_EARTHS, "other")
"""What demand is counted in: the rare earths the plant carries, and the other rare earths (Er,
Yb, Lu, ...) together."""
MAGNET_ELEMENTS: tuple[str, ...] = ("Pr", "Nd", "Tb", "Dy")
"""The magnet rare earths."""
BASES = ("REO", "magnet", "elements")
"""Target bases: total REO demand; the magnet rare earths; listed elements, each with its share."""


def _check_elements(table: dict, origin, path: str, key: str, allowed) -> None:
    for e in table:
        if e not in allowed:
            raise ParamError(
                origin(f"{key}.{e}"),
                f"{path}{key}.{e}",
                f"one of {', '.join(allowed)}",
                given_text=repr(e),
            )


def _check_sum(values, origin, path: str, key: str, what: str) -> None:
    total = np.asarray(sum(values), dtype=float)
    off = np.abs(total - 1.0)
    if np.any(off > P.COMPOSITION_TOLERANCE):
        raise ParamError(
            origin(key),
            path + key,
            f"{what} summing to 1",
            given_text=f"a sum of {float(total.flat[np.argmax(off)]):.6g}",
        )


@dataclass(frozen=True)
class ApplicationParams:
    """One use of rare earths.

    share : its share of the total demand [-]
    elements : element (:data:`DEMAND_ELEMENTS`) -> its share of this use's demand [-], summing to 1
    source : where the figures come from
    """

    share: float = P.fraction("share")
    elements: dict = P.quantities("elements", "", hi=1.0, atomic=True)
    source: str = P.text("source")
    where: str = P.where_field()

    def check(self, origin, prefix: str) -> None:
        """Elements are demand elements and their shares sum to 1."""
        _check_elements(self.elements, origin, prefix, "elements", DEMAND_ELEMENTS)
        _check_sum(self.elements.values(), origin, prefix, "elements", "element shares")


@dataclass(frozen=True)
class DemandParams:
    """Domestic rare-earth demand.

    points : calendar year -> demand [kg/s] (TOML in t/yr), years increasing
    path : 'linear' or 'compound' growth between the points (flat before the first and after the
        last)
    basis : 'REO' (oxide equivalent) or 'metal' (converted to REO with ``metal_mix``)
    metal_mix : mass fractions of the rare-earth metals in a metal demand [-], summing to 1
    applications : use -> :class:`ApplicationParams`, their shares summing to 1: demand by element
        is the total times the uses' shares times their element mixes
    """

    points: dict = P.quantities("points", "kg/s", atomic=True)
    path: str = P.choice("path", ("linear", "compound"))
    basis: str = P.choice("basis", ("REO", "metal"))
    metal_mix: dict = P.table("metal_mix", RARE_EARTHS)
    applications: dict = P.mapping("applications", ApplicationParams)
    where: str = P.where_field()

    def element_shares(self) -> dict[str, np.ndarray]:
        """Element (:data:`DEMAND_ELEMENTS`) -> its share of the total demand [-]."""
        out = {e: np.asarray(0.0) for e in DEMAND_ELEMENTS}
        for a in self.applications.values():
            for e, x in a.elements.items():
                out[e] = out[e] + np.asarray(a.share) * np.asarray(x)
        return out

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
        _check_sum(self.metal_mix.values(), origin, prefix, "metal_mix", "mass fractions")
        _check_sum(
            [a.share for a in self.applications.values()],
            origin,
            prefix,
            "applications",
            "shares of the uses",
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

    target_share : share of demand the plant is to cover [-] (basis 'REO' or 'magnet')
    target_basis : 'REO' (total demand, any on-spec product counts), 'magnet' (the demand for Nd,
        Pr, Dy and Tb, met by those elements in on-spec products) or 'elements' (each element of
        ``target_elements`` to its own share; one element's surplus does not cover another's gap)
    target_elements : element -> the share of its demand to cover [-] (basis 'elements')
    target_year : the year it is to be covered by
    supply_year : the year the feed supplies (``available``, ``units_discarded``) are stated for
    demand : the demand path
    reserve_months : months of the demand the plant does not cover that a strategic stockpile
        would hold, should imports of separated rare earths stop in the target year [-]
    reserve_prices : other -> price of their oxides for the stockpile [USD/kg] (the rare
        earths the plant carries are priced at ``economics.oxide_prices``)
    """

    target_share: float = P.fraction("target_share")
    target_basis: str = P.choice("target_basis", BASES)
    target_year: int = P.integer("target_year", lo=1900, hi=2200)
    supply_year: int = P.integer("supply_year", lo=1900, hi=2200)
    demand: DemandParams = P.section("demand", DemandParams)
    reserve_months: float = P.number("reserve_months", lo=0.0, hi=120.0)
    reserve_prices: dict = P.quantities("reserve_prices", "USD/kg")
    target_elements: dict | None = P.quantities(
        "target_elements", "", hi=1.0, atomic=True, optional=True
    )
    where: str = P.where_field()

    def check(self, origin, prefix: str) -> None:
        """Basis 'elements' lists its elements, each one the plant carries (it makes none of the
        other heavy rare earths, so a target in them could never be met)."""
        if self.target_basis == "elements" and not self.target_elements:
            raise ParamError(
                origin("target_elements"),
                prefix + "target_elements",
                "a table of elements and the share of each one's demand to cover, for "
                "target_basis = 'elements' (e.g. { Nd = 0.5, Dy = 0.3 })",
                given_text="nothing (missing key)",
            )
        _check_elements(self.target_elements or {}, origin, prefix, "target_elements", RARE_EARTHS)
        others = tuple(e for e in DEMAND_ELEMENTS if e not in RARE_EARTHS)
        _check_elements(self.reserve_prices, origin, prefix, "reserve_prices", others)
        for e in others:
            if e not in self.reserve_prices:
                raise ParamError(
                    origin("reserve_prices"),
                    f"{prefix}reserve_prices.{e}",
                    f"a price for each of {', '.join(others)}",
                    given_text="nothing (missing key)",
                )

    def basis_shares(self) -> dict[str, np.ndarray]:
        """Element -> the share of its demand the target asks for [-], for the elements the basis
        counts (every demand element for 'REO')."""
        if self.target_basis == "elements":
            return {e: np.asarray(x) for e, x in (self.target_elements or {}).items()}
        basis = DEMAND_ELEMENTS if self.target_basis == "REO" else MAGNET_ELEMENTS
        return {e: np.asarray(self.target_share) for e in basis}
