"""Aligned pressing, vacuum sintering and annealing of the blended powder into magnets.

Pressing: the powder is aligned in a magnetic field and pressed to green compacts (electricity
``press_energy`` per kg). Sintering (:func:`sinter`): the compacts are heated under vacuum to
``temperature`` (liquid-phase sintering of the rare-earth-rich phase, about 1,050-1,100 degC), held,
and quenched in argon; all absorbed hydrogen leaves as H2 on heating. A fraction
``1 - sintering_yield`` of the parts fails (cracks, density, dimensions) and goes to the
hydrometallurgical route.
Annealing (:func:`anneal`): the sintered blocks are heat-treated (about 900 degC, then 500 degC)
under argon.

Both furnaces are batch vacuum furnaces: charge = throughput x ``cycle_time``, hot-zone volume =
charge / ``loading_density``; everything is heated to the hold temperature and cooled in the furnace
(heat not recovered).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.chemistry import ABSORBED_HYDROGEN
from plant.params import fraction, quantity, where_field
from plant.species import Registry
from plant.stream import Stream
from plant.units.common import col
from plant.units.equipment import MagnetPress, VacuumFurnace
from plant.units.record import Heating, UnitResult


@dataclass(frozen=True, kw_only=True)
class VacuumFurnaceParams:
    """A batch vacuum furnace.

    temperature : hold temperature [K]; cycle_time : charge to discharge [s]
    argon : argon used for backfill and quench [kg per kg charge]
    loading_density : charge per hot-zone volume [kg/m3]
    """

    temperature: float = quantity("temperature", "K", positive=True)
    cycle_time: float = quantity("cycle_time", "s", positive=True)
    argon: float = quantity("argon", "", lo=0.0, hi=100.0)
    loading_density: float = quantity("loading_density", "kg/m^3", positive=True)
    where: str = where_field()


@dataclass(frozen=True, kw_only=True)
class SinteringParams(VacuumFurnaceParams):
    """Pressing and sintering.

    press_energy : electricity of the aligning field and the press [J/kg] (TOML in kWh/kg)
    sintering_yield : fraction of the parts that pass inspection [-]
    """

    press_energy: float = quantity("press_energy", "J/kg", lo=0.0)
    sintering_yield: float = fraction("sintering_yield")


def _argon(kg_per_s, p: VacuumFurnaceParams, registry: Registry) -> np.ndarray:
    i = registry.index("Ar")
    kg = np.asarray(p.argon) * kg_per_s
    f = np.zeros(np.shape(kg) + (registry.n,))
    f[..., i] = kg / registry.molar_mass[i]
    return f


def _furnace(charge_kg_per_s, p: VacuumFurnaceParams) -> VacuumFurnace:
    charge = np.asarray(charge_kg_per_s) * np.asarray(p.cycle_time)
    return VacuumFurnace(charge, charge / np.asarray(p.loading_density))


def sinter(powder: Stream, p: SinteringParams) -> UnitResult:
    """Press and sinter ``powder``; outlets ``magnets``, ``rejects`` (failed parts) and
    ``offgas``."""
    reg = powder.registry
    mass = powder.mass_flow
    argon = _argon(mass, p, reg)
    out = powder.flows.copy()
    h = reg.indices(ABSORBED_HYDROGEN)
    released = out[..., h].sum(axis=-1)
    out[..., h] = 0.0
    gas = argon.copy()
    gas[..., reg.index("H2")] += released / 2.0
    good = out * col(p.sintering_yield)
    return UnitResult(
        "sintering",
        inlets={"powder": powder, "argon": Stream.owned(argon, registry=reg)},
        outlets={
            "magnets": Stream.owned(good, registry=reg),
            "rejects": Stream.owned(out - good, registry=reg),
            "offgas": Stream.owned(gas, p.temperature, powder.P, reg),
        },
        equipment=(MagnetPress(mass, mass * np.asarray(p.press_energy)), _furnace(mass, p)),
        reagents={"argon": argon @ reg.molar_mass},
        heating=Heating(np.asarray(p.temperature), "batch"),
    )


def anneal(magnets: Stream, p: VacuumFurnaceParams) -> UnitResult:
    """Anneal sintered ``magnets`` under argon; outlets ``magnets`` and ``offgas``."""
    reg = magnets.registry
    argon = _argon(magnets.mass_flow, p, reg)
    return UnitResult(
        "annealing",
        inlets={"magnets": magnets, "argon": Stream.owned(argon, registry=reg)},
        outlets={
            "magnets": magnets.with_flows(magnets.flows),
            "offgas": Stream.owned(argon, p.temperature, magnets.P, reg),
        },
        equipment=(_furnace(magnets.mass_flow, p),),
        reagents={"argon": argon @ reg.molar_mass},
        heating=Heating(np.asarray(p.temperature), "batch"),
    )
