"""Calcination of the oxalate cake to oxides in air.

Everything in the washed cake is converted to what survives at calcination
temperature:

- oxalate hydrates -> oxides + CO + CO2 + H2O (Nd2(C2O4)3.10H2O -> Nd2O3 +
  3 CO + 3 CO2 + 10 H2O; Pr and Tb to Pr6O11 and Tb4O7); a fraction
  ``co_burnout`` of the CO burns to CO2 in the air stream;
- entrained liquor: water and HCl evaporate, oxalic acid decomposes, metal
  chlorides hydrolyse to oxides (+ HCl), sulfates decompose (+ SO2, O2),
  boric acid dehydrates to B2O3, sodium salts stay in the product.

Air is ``excess_air`` times the net O2 demand. Outlets: ``product`` (solids)
and ``offgas``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from plant.chemistry import ACID, ACTINIDES, CHEMISTRY, METALS
from plant.errors import ChemistryError
from plant.params import fraction, number, quantity, where_field
from plant.reactions import ReactionSet, balance
from plant.species import Registry
from plant.stream import Stream
from plant.units.common import air, vessel_volume
from plant.units.equipment import GasScrubber, RotaryCalciner
from plant.units.record import Heating, UnitResult

FREE = [
    ["CO", "CO2", "H2O(g)"],
    ["CO2", "H2O(g)", "O2"],
    ["HCl(g)", "H2O(g)", "O2"],
    ["SO2", "O2", "H2O(g)"],
    ["H2O(g)", "O2"],
    ["H2O(g)"],
    ["O2"],
]
"""Free species tried in turn to balance each conversion; a set is used only when its
elements other than H and O are in the reactant (CO/CO2 only from carbon-bearing species)."""


@dataclass(frozen=True)
class CalcinationParams:
    """Calcination.

    temperature : [K]; residence_time : [s]
    excess_air : air / stoichiometric O2 demand [-], >= 1
    co_burnout : fraction of CO from oxalate decomposition burnt to CO2 [-]
    bulk_density : solids bed bulk density [kg/m3]; fill_fraction : bed volume / furnace volume [-]
    """

    temperature: float = quantity("temperature", "K", positive=True)
    residence_time: float = quantity("residence_time", "s", positive=True)
    excess_air: float = number("excess_air", lo=1.0)
    co_burnout: float = fraction("co_burnout")
    bulk_density: float = quantity("bulk_density", "kg/m^3", positive=True)
    fill_fraction: float = quantity("fill_fraction", "", lo=0.01, hi=1.0)
    where: str = where_field()


def _targets(registry: Registry) -> dict[str, str | None]:
    """Species in the calciner feed -> what each becomes (None: decomposes to gases only)."""
    t: dict[str, str | None] = {
        "H2O(l)": "H2O(g)",
        "HCl(aq)": "HCl(g)",
        "H2SO4(aq)": None,
        "H2C2O4(aq)": None,
        "H2O2(aq)": None,
        "H3BO3(aq)": "B2O3",
    }
    for acid in ACID.values():
        t[acid.sodium_salt] = acid.dried_sodium_salt
    for m in METALS + ACTINIDES:
        c = CHEMISTRY[m]
        for s in (*c.salt.values(), *c.metal_salt.values(), c.hydroxide, c.oxalate, m):
            if s and s != c.oxide and s != "H3BO3(aq)":
                t[s] = c.oxide
    return {k: v for k, v in t.items() if registry.has(k)}


@functools.lru_cache(maxsize=8)
def reactions(registry: Registry) -> ReactionSet:
    rx = []
    for reactant, product in _targets(registry).items():
        carried = set(registry.composition(reactant))
        options = [
            f
            for f in FREE
            if product not in f
            and all(set(registry.composition(g)) - {"H", "O"} <= carried for g in f)
        ]
        try:
            rx.append(balance(registry, reactant, product, options))
        except ChemistryError as exc:
            raise ChemistryError(f"calcination: {exc}") from None
    return ReactionSet(rx, registry)


@functools.lru_cache(maxsize=8)
def _burnout(registry: Registry) -> ReactionSet:
    return ReactionSet([balance(registry, "CO", "CO2", [["O2"]])], registry)


def run(cake: Stream, p: CalcinationParams) -> UnitResult:
    """Calcine ``cake``; outlets ``product`` and ``offgas``."""
    reg = cake.registry
    rs, burn = reactions(reg), _burnout(reg)
    i_co, i_o2 = reg.index("CO"), reg.index("O2")
    xi = cake.flows[..., rs.reactant]
    converted = cake.flows + rs.change(xi)
    xi_co = (np.asarray(p.co_burnout) * converted[..., i_co])[..., None]
    o2_demand = rs.demand(xi, i_o2) + burn.demand(xi_co, i_o2)
    air_flows = air(np.asarray(p.excess_air) * np.maximum(o2_demand, 0.0), reg)
    out = converted + burn.change(xi_co) + air_flows
    masks = reg.phase_masks
    product = Stream.owned(out * ~masks["gas"], p.temperature, cake.P, reg)
    offgas = Stream.owned(out * masks["gas"], p.temperature, cake.P, reg)
    solids = product.mass_flow
    return UnitResult(
        "calcination",
        inlets={"cake": cake, "air": Stream.owned(air_flows, registry=reg)},
        outlets={"product": product, "offgas": offgas},
        equipment=(
            RotaryCalciner(
                vessel_volume(
                    solids / np.asarray(p.bulk_density), p.residence_time, p.fill_fraction
                )
            ),
            GasScrubber(air_flows @ reg.molar_mass),
        ),
        heating=Heating(np.asarray(p.temperature)),
        performance={
            "feed_kg_per_s": cake.mass_flow,
            "product_kg_per_s": solids,
            "water_evaporated_kg_per_s": offgas["H2O(g)"] * reg.molar_mass[reg.index("H2O(g)")],
        },
    )
