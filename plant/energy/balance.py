"""Energy balance of a hot unit: enthalpy in, enthalpy out, wall losses, and the duty that closes it.

Enthalpies are on the formation basis (Cantera species data through :mod:`plant.thermo`), so heats of
reaction, dissolution, dehydration and decomposition are counted without being listed: a stream's
enthalpy is the sum over species of molar flow x molar enthalpy at the stream's temperature.

For a unit with inlets at their temperatures and outlets at the unit temperature T,

    net = H_out - H_in + U A (T - T_ambient)

is the heat it needs: ``duty_W`` = max(net, 0) is supplied by its heater, ``surplus_W`` = max(-net, 0)
has to be removed (an exothermic roast, a neutralisation). By construction
H_in + duty = H_out + wall loss + surplus. A batch furnace (``hold_temperature_K``) takes its outlets at
the hold temperature, since the heat to reach it is lost when the charge cools in the furnace.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.stream import Stream
from plant.units.common import UnitResult

KILN_LENGTH_TO_DIAMETER = 12.0
"""Rotary kiln and calciner length / diameter [-] [E] (rotary kilns run at L/D of about 10-20)."""


def kiln_shell_area(volume_m3) -> np.ndarray:
    """Shell area pi D L [m2] of a rotary kiln of ``volume_m3`` at KILN_LENGTH_TO_DIAMETER."""
    d = (4.0 * np.asarray(volume_m3) / (np.pi * KILN_LENGTH_TO_DIAMETER)) ** (1.0 / 3.0)
    return np.pi * KILN_LENGTH_TO_DIAMETER * d * d


def tank_surface_area(volume_m3) -> np.ndarray:
    """Wall, bottom and roof area [m2] of a cylindrical tank of ``volume_m3`` with height = diameter."""
    d = (4.0 * np.asarray(volume_m3) / np.pi) ** (1.0 / 3.0)
    return 1.5 * np.pi * d * d


def wall_area(design: dict) -> np.ndarray:
    """Outer area [m2] of a hot unit, from its design record (kiln, furnace or agitated tanks)."""
    if "kiln_volume_m3" in design:
        return kiln_shell_area(design["kiln_volume_m3"])
    if "furnace_volume_m3" in design:
        return kiln_shell_area(design["furnace_volume_m3"])
    if "tank_volume_m3" in design:
        return tank_surface_area(design["tank_volume_m3"]) * design["tanks"]
    if "vacuum_vessel_volume_m3" in design:
        return tank_surface_area(design["vacuum_vessel_volume_m3"])
    return np.asarray(0.0)


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
    """Energy balance of a unit whose outlets leave at ``design['temperature_K']``, or of a batch furnace
    (``design['hold_temperature_K']``): the charge is heated to the hold temperature and reacts there
    (outlets taken at it), then cools in the furnace, the cooling not recovered. Walls at ``u_wall``
    [W/(m2 K)] to air at ``ambient_K``."""
    batch = "hold_temperature_K" in unit.design
    T = np.asarray(unit.design["hold_temperature_K" if batch else "temperature_K"])
    at_T = (
        (lambda s: s.with_flows(s.flows, T=np.broadcast_to(T, s.batch_shape)))
        if batch
        else (lambda s: s)
    )
    h_in = sum(enthalpy_flow(s, f"{name}.{port}") for port, s in unit.inlets.items())
    h_out = sum(enthalpy_flow(at_T(s), f"{name}.{port}") for port, s in unit.outlets.items())
    loss = np.asarray(u_wall) * wall_area(unit.design) * (T - np.asarray(ambient_K))
    return HeatBalance(np.asarray(h_in), np.asarray(h_out), loss, T)


def heat_and_cool_balance(name: str, charge: Stream, temperature_K) -> HeatBalance:
    """A charge heated from its temperature to ``temperature_K`` and cooled again outside the unit (an
    oven): the heat is the charge's enthalpy rise; the cooling is not recovered."""
    hot = charge.with_flows(
        charge.flows, T=np.broadcast_to(np.asarray(temperature_K, dtype=float), charge.batch_shape)
    )
    return HeatBalance(
        enthalpy_flow(charge, f"{name}.charge"),
        enthalpy_flow(hot, f"{name}.charge"),
        np.zeros(charge.batch_shape),
        np.asarray(temperature_K),
    )
