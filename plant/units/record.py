"""What a unit operation returns: its streams and a typed record of what it installs, uses and
needs.

Every layer above the units reads these fields, never a key of a dictionary: costing prices
:attr:`UnitResult.equipment`, :attr:`~UnitResult.reagents` and :attr:`~UnitResult.inventory`; the
energy layer balances the units with :attr:`~UnitResult.heating` and adds up the drives of their
equipment; capacity follows the elements through :attr:`~UnitResult.routing`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from plant.stream import Stream, max_relative_imbalance
from plant.units.equipment import Equipment

HEATING_MODES = ("continuous", "batch", "oven")


@dataclass(frozen=True)
class Heating:
    """How a hot unit is heated, for its energy balance (:mod:`plant.energy`).

    temperature_K : the unit's temperature [K]
    mode : 'continuous' (the outlets leave at the temperature); 'batch' (a batch furnace: the charge
        reacts at the hold temperature, where the outlets are taken, and cools in the furnace);
        'oven' (``charge`` is heated to the temperature and cooled outside the unit)
    charge : the stream an oven heats (oven only)
    """

    temperature_K: np.ndarray
    mode: str = "continuous"
    charge: Stream | None = None

    def __post_init__(self):
        if self.mode not in HEATING_MODES:
            raise ValueError(
                f"Heating.mode: one of {', '.join(HEATING_MODES)}; given {self.mode!r}"
            )
        if (self.mode == "oven") != (self.charge is not None):
            raise ValueError("Heating: an oven needs its charge, and only an oven has one")


@dataclass(frozen=True)
class UnitResult:
    """What a unit returns.

    kind : what kind of unit it is ('solid_liquid', 'leaching'); it selects the unit's
        ``[energy.heating.<kind>]`` table when it is hot
    inlets, outlets : named streams (ports); every element entering leaves
    equipment : what it installs (:mod:`plant.units.equipment`), in the order of the equipment list
    reagents : reagent name (:data:`plant.reagents.REAGENTS`) -> use
        [kg/s, 100 % basis, operating rate]
    heating : how it is heated, or None for a unit at ambient temperature
    inventory : reagent name -> what the unit holds [kg], bought once as its first fill (the SX
        organic)
    manual_work : worker time per unit of time [s/s] of manual work at the operating rate
        (dismantling)
    routing : inlet port -> outlet port -> share [-] of each element of that inlet that leaves by
        that outlet (scalar, (N,) or (..., n_elements)); None (the default) where the outlets are a
        mix of all inlets. Only units that keep their inlets apart (sorting by source) set it.
    performance : figures of this unit for people (fractions removed, recycle passes), by name;
        other layers do not read them
    name : the instance name the flowsheet gives it ('leach_filter'); empty until then
    """

    kind: str
    inlets: dict[str, Stream]
    outlets: dict[str, Stream]
    equipment: tuple[Equipment, ...] = ()
    reagents: Mapping[str, np.ndarray] = field(default_factory=dict)
    heating: Heating | None = None
    inventory: Mapping[str, np.ndarray] = field(default_factory=dict)
    manual_work: np.ndarray | float = 0.0
    routing: Mapping[str, Mapping[str, np.ndarray]] | None = None
    performance: Mapping[str, object] = field(default_factory=dict)
    name: str = ""

    def imbalance(self) -> float:
        """Largest relative element imbalance over elements and samples."""
        return max_relative_imbalance(self.inlets.values(), self.outlets.values())

    @property
    def wall_area_m2(self) -> np.ndarray:
        """Outer area of the unit's hot walls [m2]: the sum over its equipment."""
        return sum((e.wall_area_m2 for e in self.equipment), np.asarray(0.0))


def mix(streams: Mapping[str, Stream]) -> UnitResult:
    """A mixing point (kind 'mixer'): the named ``streams`` in, their sum out (port ``mixed``)."""
    total = None
    for s in streams.values():
        total = s if total is None else total + s
    return UnitResult(
        "mixer", inlets=dict(streams), outlets={"mixed": total.with_flows(total.flows)}
    )
