"""What products are worth and what the feed costs, from the oxide and magnet prices.

An oxide product is worth the rare-earth oxides it contains, each at its price, times the share
of that price its grade fetches (``economics.products.grade_price``: continuous in purity, so a
little more product at a little less purity never loses money on a cliff). A product of several
oxides that the market does not trade as a mix (a DyTb oxide: only separated Dy and Tb oxides are
quoted) is paid for them all at the price of the cheapest [E: no quote for the mix was found];
PrNd and La-Ce oxides are traded mixes (``TRADED_MIXES``). Magnets sell at the price of their
grade.

Each feed is bought on its supply's terms (``economics.feed.terms``), as a purchase contract: a
payable share of the value of its *recoverable* rare earths (those that enter the process; the
magnets dismantling leaves in the parts are not paid), less a treatment charge per kg and a penalty
per kg of each penalised element (Th, U, Fe, ...). Scrap the plant sells (short-loop residues with
no hydrometallurgical route) goes at the mean payable of the supplies.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from plant.chemistry import CHEMISTRY, RARE_EARTHS, oxide_per_element
from plant.costing.parameters import EconomicsParams, OxidePrices
from plant.flowsheets.tracing import origins
from plant.numerics import safe_ratio
from plant.thermo import atomic_weight

TRADED_MIXES = (frozenset({"Nd", "Pr"}), frozenset({"La", "Ce"}))
"""Mixed oxides with a market of their own: PrNd oxide (Fastmarkets, SMM quotes) [S]; La-Ce oxide
(mischmetal and polishing feed, ree-data sec. 9) [S2]."""


def _price_vector(prices: OxidePrices) -> list:
    return [getattr(prices, e) for e in RARE_EARTHS]


def mix_prices(prices: OxidePrices, elements) -> OxidePrices:
    """``prices`` as paid for a product whose purity counts ``elements``: unchanged for one element
    or a traded mix, else every one of them at the price of the cheapest (elementwise in a
    batch)."""
    elements = frozenset(elements)
    if len(elements) < 2 or elements in TRADED_MIXES:
        return prices
    low = np.minimum.reduce(np.broadcast_arrays(*(getattr(prices, e) for e in elements)))
    return dataclasses.replace(prices, **{e: low for e in elements})


def oxide_value(stream, prices: OxidePrices) -> np.ndarray:
    """Value [USD/s] of the rare-earth oxide species a stream carries, each at its price."""
    idx, _ = oxide_per_element(stream.registry)
    kg = stream.mass_flows[..., idx]
    return sum(kg[..., i] * np.asarray(p) for i, p in enumerate(_price_vector(prices)))


def element_value(mol_per_s, registry, prices: OxidePrices) -> np.ndarray:
    """Value [USD/s] of the oxides rare-earth element flows ``mol_per_s`` (..., len(RARE_EARTHS))
    [mol/s, in the order of RARE_EARTHS] would make."""
    _, kg_oxide_per_mol = oxide_per_element(registry)
    return sum(
        mol_per_s[..., i] * kg_oxide_per_mol[i] * np.asarray(p)
        for i, p in enumerate(_price_vector(prices))
    )


def contained_value(stream, prices: OxidePrices) -> np.ndarray:
    """Value [USD/s] of the oxides the rare earths of a stream (in any form) would make."""
    mol = np.stack(np.broadcast_arrays(*(stream.element(e) for e in RARE_EARTHS)), axis=-1)
    return element_value(mol, stream.registry, prices)


def grade_share(purity, econ: EconomicsParams) -> np.ndarray:
    """Share of its separated price an oxide of ``purity`` fetches [-]
    (``economics.products.grade_price``, piecewise linear, flat beyond its points)."""
    x, y = econ.products.grade_price
    return np.interp(np.asarray(purity, dtype=float), x, y)


def product_prices(result, econ: EconomicsParams) -> dict[str, np.ndarray]:
    """Selling price of each product [USD/kg]: magnets at their grade's price; oxides at their
    oxides' prices times the share their grade fetches."""
    out = {}
    for prod in result.products:
        if prod.kind == "magnet":
            out[prod.name] = np.asarray(econ.magnet_price)
            continue
        s = result.product_stream(prod)
        prices = mix_prices(econ.oxide_prices, product_elements(prod))
        full = safe_ratio(oxide_value(s, prices), s.mass_flow)
        out[prod.name] = full * grade_share(result.purity(prod), econ)
    return out


def product_elements(prod) -> tuple[str, ...]:
    """The rare earths whose oxides make a product's purity."""
    return tuple(e for e in RARE_EARTHS if CHEMISTRY[e].oxide in prod.purity_species)


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


def unrecovered_elements(result) -> dict[str, np.ndarray]:
    """Supply -> its rare-earth element flows [mol/s, (..., len(RARE_EARTHS))] that leave in the
    outputs the plant cannot recover from (``FlowsheetResult.unrecovered``: magnets left in the
    dismantled parts), traced back to the supply."""
    feeds = result.purchased
    zero = {name: np.zeros(len(RARE_EARTHS)) for name in feeds}
    if not result.unrecovered or not feeds:
        return zero
    rows = np.array([result.registry.element_index(e) for e in RARE_EARTHS])
    w = origins(result, feeds, RARE_EARTHS)
    out = dict(zero)
    for s in result.unrecovered:
        origin = w.get(id(s))
        if origin is None:
            continue
        owed = s.elements()[..., None, rows] * origin
        for k, name in enumerate(feeds):
            out[name] = out[name] + owed[..., k, :]
    return out


def supply_cost(stream, supply: str, econ: EconomicsParams, unrecovered=0.0) -> np.ndarray:
    """What ``supply`` costs [USD/s]: on its terms (``economics.feed.terms``), the payable share of
    the value of its recoverable rare earths (``stream``'s, less the ``unrecovered`` element flows
    [mol/s]), less the treatment charge and the penalties; or at ``price`` per kg when the basis is
    'per_kg'. May be negative: a gate fee paid to the plant."""
    f = econ.feed
    if f.basis == "per_kg":
        return stream.mass_flow * np.asarray(f.price)
    t = f.terms[supply]
    reg = stream.registry
    recoverable = contained_value(stream, econ.oxide_prices) - element_value(
        np.asarray(unrecovered), reg, econ.oxide_prices
    )
    penalty = sum(
        (
            stream.element(e) * atomic_weight(e) * np.asarray(usd)
            for e, usd in (t.penalties or {}).items()
        ),
        np.asarray(0.0),
    )
    return (
        np.asarray(t.payable) * recoverable
        - stream.mass_flow * np.asarray(t.treatment_charge)
        - penalty
    )


def feed_cost(result, econ: EconomicsParams) -> np.ndarray:
    """Cost of the purchased feeds [USD/s at the operating rate], each on its supply's terms."""
    left = unrecovered_elements(result)
    return sum(
        (
            supply_cost(stream, supply, econ, left[supply])
            for supply, stream in result.purchased.items()
        ),
        np.asarray(0.0),
    )


def mean_payable(econ: EconomicsParams) -> np.ndarray:
    """The mean payable share of the supplies' terms [-]."""
    shares = [np.asarray(t.payable) for t in econ.feed.terms.values()]
    return sum(shares, np.asarray(0.0)) / max(len(shares), 1)


def scrap_sales(result, econ: EconomicsParams) -> np.ndarray:
    """Revenue from the outputs sold as scrap [USD/s at the operating rate]: their contained value
    at the supplies' mean payable share (or at ``price`` per kg when the basis is 'per_kg')."""
    if econ.feed.basis == "per_kg":
        price = np.asarray(econ.feed.price)
        return sum((s.mass_flow * price for s in result.sold), np.asarray(0.0))
    return sum(
        (contained_value(s, econ.oxide_prices) * mean_payable(econ) for s in result.sold),
        np.asarray(0.0),
    )
