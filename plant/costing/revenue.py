"""What products are worth and what the feed costs, from the oxide and magnet prices.

An oxide product is worth the rare-earth oxides it contains, each at its price; below the purity
spec it sells at a discount (as mixed oxide). Magnets sell at the price of their grade. The scrap
feed is bought at a share of the value of the oxides its rare earths would make, or at a price per
kg; scrap the plant sells (short-loop residues with no hydrometallurgical route) goes at the same
terms.
"""

from __future__ import annotations

import numpy as np

from plant.chemistry import RARE_EARTHS, oxide_per_element
from plant.costing.parameters import EconomicsParams, OxidePrices
from plant.numerics import safe_ratio


def _price_vector(prices: OxidePrices) -> list:
    return [getattr(prices, e) for e in RARE_EARTHS]


def oxide_value(stream, prices: OxidePrices) -> np.ndarray:
    """Value [USD/s] of the rare-earth oxide species a stream carries, each at its price."""
    idx, _ = oxide_per_element(stream.registry)
    kg = stream.mass_flows[..., idx]
    return sum(kg[..., i] * np.asarray(p) for i, p in enumerate(_price_vector(prices)))


def contained_value(stream, prices: OxidePrices) -> np.ndarray:
    """Value [USD/s] of the oxides the rare earths of a stream (in any form) would make."""
    _, kg_oxide_per_mol = oxide_per_element(stream.registry)
    return sum(
        stream.element(e) * kg_oxide_per_mol[i] * np.asarray(p)
        for i, (e, p) in enumerate(zip(RARE_EARTHS, _price_vector(prices)))
    )


def product_prices(result, econ: EconomicsParams) -> dict[str, np.ndarray]:
    """Selling price of each product [USD/kg]: magnets at their grade's price; oxides at their
    prices, discounted below the purity spec."""
    out = {}
    for prod in result.products:
        if prod.kind == "magnet":
            out[prod.name] = np.asarray(econ.magnet_price)
            continue
        s = result.product_stream(prod)
        full = safe_ratio(oxide_value(s, econ.oxide_prices), s.mass_flow)
        out[prod.name] = full * np.where(
            on_spec(result, prod, econ), 1.0, 1.0 - np.asarray(econ.products.off_spec_discount)
        )
    return out


def purity_spec(prod, econ: EconomicsParams):
    """The purity a product must reach to sell at full price and count toward the target [-]: the
    oxide purity spec, or None for a magnet (sold by its grade)."""
    return None if prod.kind == "magnet" else econ.products.purity_spec


def on_spec(result, prod, econ: EconomicsParams) -> np.ndarray:
    """Whether an oxide product meets the purity spec (...) (``economics.products.purity_spec``),
    to round-off; a magnet is sold by its grade and has no purity spec (always True)."""
    spec = purity_spec(prod, econ)
    if spec is None:
        return np.ones(np.shape(result.purity(prod)), dtype=bool)
    return np.asarray(result.purity(prod) >= np.asarray(spec) - 1e-12)


def scrap_value(stream, econ: EconomicsParams, supply: str | None = None) -> np.ndarray:
    """Value [USD/s] of ``stream`` (scrap, concentrate) on the terms of its ``supply``
    (``economics.feed.value_shares``) or else on the feed's basis (``economics.feed``)."""
    f = econ.feed
    if supply in f.value_shares:
        return contained_value(stream, econ.oxide_prices) * np.asarray(f.value_shares[supply])
    if f.basis == "per_kg":
        return stream.mass_flow * np.asarray(f.price)
    return contained_value(stream, econ.oxide_prices) * np.asarray(f.contained_value_share)


def feed_cost(result, econ: EconomicsParams) -> np.ndarray:
    """Cost of the purchased feeds [USD/s at the operating rate], each on its supply's terms."""
    return sum(
        (scrap_value(stream, econ, supply) for supply, stream in result.purchased.items()),
        np.asarray(0.0),
    )


def scrap_sales(result, econ: EconomicsParams) -> np.ndarray:
    """Revenue from the outputs sold as scrap [USD/s at the operating rate], on the feed's basis."""
    return sum((scrap_value(s, econ) for s in result.sold), np.asarray(0.0))
