"""Oxidative roasting: magnet alloy to oxides in air.

Each metal is oxidised to its roasting oxide (Nd -> Nd2O3, Pr -> Pr6O11,
Fe -> Fe2O3, B -> B2O3, Co -> Co3O4, ...), and hydrogen held by hydrided scrap
from the short loop burns to water; the O2 demand follows from
stoichiometry and the air supply is ``excess_air`` times it. Roasting at
about 800 degC also forms NdFeO3 and NdBO3 (Jiang et al. 2020), which leach
more slowly; the model keeps the simple oxides and carries that effect in the
leaching dissolution fractions measured on roasted material.

When ``enabled`` is false the unit passes the powder through unchanged.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from plant.chemistry import ABSORBED_HYDROGEN, CHEMISTRY, METALS
from plant.params import flag, fraction, number, quantity, where_field
from plant.reactions import ReactionSet, balance
from plant.species import Registry
from plant.stream import Stream
from plant.units.common import air, col, vessel_volume
from plant.units.equipment import GasScrubber, RotaryKiln
from plant.units.record import Heating, UnitResult


@dataclass(frozen=True)
class RoastingParams:
    """Roasting.

    enabled : roast (true) or send the metallic powder straight to leaching
    temperature : roasting temperature [K]
    residence_time : solids residence time [s]
    conversion : fraction of each metal oxidised [-]
    excess_air : air supplied / stoichiometric air [-], >= 1
    bulk_density : bulk density of the solids bed [kg/m3]
    fill_fraction : fraction of the kiln volume occupied by solids [-]
    """

    enabled: bool = flag("enabled")
    temperature: float = quantity("temperature", "K", positive=True)
    residence_time: float = quantity("residence_time", "s", positive=True)
    conversion: float = fraction("conversion")
    excess_air: float = number("excess_air", lo=1.0)
    bulk_density: float = quantity("bulk_density", "kg/m^3", positive=True)
    fill_fraction: float = quantity("fill_fraction", "", lo=0.01, hi=1.0)
    where: str = where_field()


@functools.lru_cache(maxsize=8)
def reactions(registry: Registry) -> ReactionSet:
    """Metal -> roasting oxide, one reaction per metal; absorbed hydrogen -> water."""
    rx = [balance(registry, m, CHEMISTRY[m].oxide, [["O2"]]) for m in METALS if registry.has(m)]
    rx += [balance(registry, h, "H2O(g)", [["O2"]]) for h in ABSORBED_HYDROGEN if registry.has(h)]
    return ReactionSet(rx, registry)


def run(feed: Stream, p: RoastingParams) -> UnitResult:
    """Roast ``feed``; outlets ``calcine`` (solids) and ``offgas``."""
    reg = feed.registry
    if not p.enabled:
        zeros = np.zeros(feed.batch_shape)
        return UnitResult(
            "roasting",
            {"feed": feed, "air": Stream.zeros(reg, feed.batch_shape)},
            {"calcine": feed.with_flows(feed.flows), "offgas": Stream.zeros(reg, feed.batch_shape)},
            equipment=(RotaryKiln(zeros), GasScrubber(zeros)),
            performance={"enabled": False, "solids_kg_per_s": zeros, "o2_demand_mol_per_s": zeros},
        )
    rs = reactions(reg)
    xi = rs.extents(feed.flows, col(p.conversion))
    o2_demand = rs.demand(xi, reg.index("O2"))
    air_flows = air(np.asarray(p.excess_air) * o2_demand, reg)
    out = feed.flows + air_flows + rs.change(xi)
    masks = reg.phase_masks
    calcine = Stream.owned(out * masks["solid"], p.temperature, feed.P, reg)
    offgas = Stream.owned(out * masks["gas"], p.temperature, feed.P, reg)
    air_s = Stream.owned(air_flows, registry=reg)
    solids = calcine.mass_flow
    return UnitResult(
        "roasting",
        inlets={"feed": feed, "air": air_s},
        outlets={"calcine": calcine, "offgas": offgas},
        equipment=(
            RotaryKiln(
                vessel_volume(
                    solids / np.asarray(p.bulk_density), p.residence_time, p.fill_fraction
                )
            ),
            GasScrubber(air_s.mass_flow),
        ),
        heating=Heating(np.asarray(p.temperature)),
        performance={"enabled": True, "solids_kg_per_s": solids, "o2_demand_mol_per_s": o2_demand},
    )
