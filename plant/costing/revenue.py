"""What products are worth and what the feed costs, from the oxide prices.

A product is worth the rare-earth oxides it contains, each at its price; a product below the purity
spec sells at a discount (as mixed oxide). The scrap feed is bought at a share of the value of the
oxides its rare earths would make, or at a price per kg.
"""
from __future__ import annotations

import functools

import numpy as np

from plant.chemistry import CHEMISTRY, RARE_EARTHS
from plant.costing.parameters import EconomicsParams, OxidePrices
from plant.numerics import safe_ratio
from plant.species import Registry


@functools.lru_cache(maxsize=8)
def _oxide_data(registry: Registry) -> tuple[np.ndarray, np.ndarray]:
    """Per rare earth: index of its oxide species, and kg of oxide per mol of the element [kg/mol]."""
    idx = np.array([registry.index(CHEMISTRY[e].oxide) for e in RARE_EARTHS])
    atoms = np.array([registry.composition(CHEMISTRY[e].oxide)[e] for e in RARE_EARTHS])
    return idx, registry.molar_mass[idx] / atoms


def _price_vector(prices: OxidePrices) -> list:
    return [getattr(prices, e) for e in RARE_EARTHS]


def oxide_value(stream, prices: OxidePrices) -> np.ndarray:
    """Value [USD/s] of the rare-earth oxide species a stream carries, each at its price."""
    idx, _ = _oxide_data(stream.registry)
    kg = stream.mass_flows[..., idx]
    return sum(kg[..., i] * np.asarray(p) for i, p in enumerate(_price_vector(prices)))


def contained_value(stream, prices: OxidePrices) -> np.ndarray:
    """Value [USD/s] of the oxides the rare earths of a stream (in any form) would make."""
    _, kg_oxide_per_mol = _oxide_data(stream.registry)
    return sum(stream.element(e) * kg_oxide_per_mol[i] * np.asarray(p)
               for i, (e, p) in enumerate(zip(RARE_EARTHS, _price_vector(prices))))


def product_prices(result, econ: EconomicsParams) -> dict[str, np.ndarray]:
    """Selling price of each product [USD/kg]: its oxides at their prices, discounted below the purity spec."""
    out = {}
    for prod in result.products:
        s = result.product_stream(prod)
        full = safe_ratio(oxide_value(s, econ.oxide_prices), s.mass_flow)
        on_spec = result.purity(prod) >= np.asarray(econ.products.purity_spec) - 1e-12
        out[prod.name] = full * np.where(on_spec, 1.0, 1.0 - np.asarray(econ.products.off_spec_discount))
    return out


def feed_cost(result, econ: EconomicsParams) -> np.ndarray:
    """Cost of the purchased feeds [USD/s at the operating rate]."""
    f = econ.feed
    total = np.asarray(0.0)
    for name in result.purchased_feeds:
        s = result.streams[name]
        if f.basis == "per_kg":
            total = total + s.mass_flow * np.asarray(f.price)
        else:
            total = total + contained_value(s, econ.oxide_prices) * np.asarray(f.contained_value_share)
    return total
