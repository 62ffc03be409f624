"""Energy balance of a hot unit: enthalpy in, enthalpy out, wall losses, and the duty that closes
it.

Enthalpies are on the formation basis (Cantera species data through :mod:`plant.thermo`), so heats
of reaction, dissolution, dehydration and decomposition are counted without being listed: a stream's
enthalpy is the sum over species of molar flow x molar enthalpy at the stream's temperature.

For a unit with inlets at their temperatures and outlets at the unit temperature T,

    net = H_out - H_in + U A (T - T_ambient)

is the heat it needs: ``duty_W`` = max(net, 0) is supplied by its heater,
``surplus_W`` = max(-net, 0) has to be removed (an exothermic roast, a neutralisation). By
construction H_in + duty = H_out + wall loss + surplus. A batch furnace takes its outlets at
the hold temperature, since the heat to reach it is lost when the charge cools in the furnace.
A unit says how it is heated in its ``heating`` record (:class:`plant.units.record.Heating`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.stream import Stream
from plant.units.record import UnitResult


def enthalpy_flow(stream: Stream, where: str) -> np.ndarray:
    """Enthalpy flow [W] of ``stream`` at its temperature; ThermoError for species without data."""
    th = stream.registry.thermo
    h, unknown = th.enthalpy_known(stream.T)
    if np.any(unknown & (stream.flows > 0)):
        th.require(stream.flows, stream.T, where)
    return np.sum(stream.flows * h, axis=-1)


@dataclass(frozen=True)
class HeatBalance:
    """Energy balance of one hot unit [W]; temperature_K is the unit's."""

    enthalpy_in_W: np.ndarray
    enthalpy_out_W: np.ndarray
    wall_loss_W: np.ndarray
    temperature_K: np.ndarray

    @property
    def net_W(self) -> np.ndarray:
        return self.enthalpy_out_W - self.enthalpy_in_W + self.wall_loss_W

    @property
    def duty_W(self) -> np.ndarray:
        return np.maximum(self.net_W, 0.0)

    @property
    def surplus_W(self) -> np.ndarray:
        return np.maximum(-self.net_W, 0.0)


def unit_balance(name: str, unit: UnitResult, u_wall, ambient_K) -> HeatBalance:
    """Energy balance of a hot unit (``unit.heating``): a continuous unit whose outlets leave at its
    temperature, or a batch furnace whose charge is heated to the hold temperature and reacts there
    (outlets taken at it), then cools in the furnace, the cooling not recovered. Walls (the unit's
    equipment's hot walls) at ``u_wall`` [W/(m2 K)] to air at ``ambient_K``."""
    batch = unit.heating.mode == "batch"
    T = np.asarray(unit.heating.temperature_K)
    at_T = (lambda s: s.with_flows(s.flows, T=T)) if batch else (lambda s: s)
    h_in = sum(enthalpy_flow(s, f"{name}.{port}") for port, s in unit.inlets.items())
    h_out = sum(enthalpy_flow(at_T(s), f"{name}.{port}") for port, s in unit.outlets.items())
    loss = np.asarray(u_wall) * unit.wall_area_m2 * (T - np.asarray(ambient_K))
    return HeatBalance(np.asarray(h_in), np.asarray(h_out), loss, T)


def heat_and_cool_balance(name: str, charge: Stream, temperature_K) -> HeatBalance:
    """A charge heated from its temperature to ``temperature_K`` and cooled again outside the unit
    (an oven): the heat is the charge's enthalpy rise; the cooling is not recovered."""
    hot = charge.with_flows(charge.flows, T=np.asarray(temperature_K, dtype=float))
    return HeatBalance(
        enthalpy_flow(charge, f"{name}.charge"),
        enthalpy_flow(hot, f"{name}.charge"),
        np.zeros(charge.batch_shape),
        np.asarray(temperature_K),
    )
