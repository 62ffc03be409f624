"""Hydrogen decrepitation (HD) of sintered magnets and vacuum degassing of the hydrided powder.

Decrepitation (:func:`decrepitate`), at about room temperature and 1-2 bar H2: the rare-earth-rich
grain-boundary phase absorbs hydrogen first (to about REH2.7) and expands, the matrix follows
(Nd2Fe14BHx, x about 2.7 at 1 bar), and the magnet breaks into a friable, demagnetised powder
(Walton et al. 2015, J. Clean. Prod. 104:236; Meisner & Panchanathan 1993, J. Appl. Phys.). The
matrix is counted as one Nd2Fe14B unit per boron atom (two rare-earth atoms each); the rare earths
beyond it form the grain-boundary phase. Absorption is exothermic (species ``H[Nd2Fe14B]`` and
``H[REH2]`` of the thermo file carry its enthalpy); the heat is removed by cooling. H2 is supplied
with ``hydrogen_excess`` over what is absorbed (purges, vented).

Degassing (:func:`degas`), under vacuum at ``degassing_temperature``: the matrix gives up all its
hydrogen (by about 250 degC) and the grain-boundary hydride falls to ``retained_hydrogen`` H per
rare-earth atom (REH2, stable to about 600 degC: Meisner & Panchanathan 1993; Hu et al. 2008,
J. Mater. Res.). The powder is cooled in the furnace; the hydrogen pumped off leaves as ``offgas``.

Both steps run in one batch retort (priced with degassing), sized by the charge held over the whole
cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.chemistry import HYDRIDE_HYDROGEN, MATRIX_HYDROGEN, RARE_EARTHS
from plant.errors import ParamError
from plant.numerics import safe_ratio
from plant.params import number, quantity, where_field
from plant.species import Registry
from plant.stream import T_REF, Stream
from plant.units.common import on_batch, vessel_volume
from plant.units.equipment import HydrogenFurnace
from plant.units.record import Heating, UnitResult


@dataclass(frozen=True)
class HydrogenDecrepitationParams:
    """Hydrogen decrepitation and degassing.

    temperature : absorption temperature [K]; pressure : H2 pressure [Pa] (for the record)
    absorption_time, degassing_time : batch times [s]
    matrix_hydrogen : H atoms absorbed per Nd2Fe14B unit [-]
    grain_boundary_hydrogen : H atoms absorbed per grain-boundary rare-earth atom [-]
    hydrogen_excess : H2 supplied / H2 absorbed - 1 [-]
    degassing_temperature : [K]
    retained_hydrogen : H atoms per grain-boundary rare-earth atom left after degassing [-],
        at most ``grain_boundary_hydrogen``
    bulk_density : of the charge in the retort [kg/m3]; fill_fraction : charge volume / retort
        volume [-]
    """

    temperature: float = quantity("temperature", "K", positive=True)
    pressure: float = quantity("pressure", "Pa", positive=True)
    absorption_time: float = quantity("absorption_time", "s", positive=True)
    matrix_hydrogen: float = number("matrix_hydrogen", lo=0.0, hi=5.0)
    grain_boundary_hydrogen: float = number("grain_boundary_hydrogen", lo=0.0, hi=3.0)
    hydrogen_excess: float = number("hydrogen_excess", lo=0.0, hi=10.0)
    degassing_temperature: float = quantity("degassing_temperature", "K", positive=True)
    degassing_time: float = quantity("degassing_time", "s", positive=True)
    retained_hydrogen: float = number("retained_hydrogen", lo=0.0, hi=3.0)
    bulk_density: float = quantity("bulk_density", "kg/m^3", positive=True)
    fill_fraction: float = quantity("fill_fraction", "", lo=0.01, hi=1.0)
    where: str = where_field()

    def check(self, origin, prefix: str) -> None:
        """Degassing cannot leave more hydrogen than was absorbed."""
        if np.any(np.asarray(self.retained_hydrogen) > np.asarray(self.grain_boundary_hydrogen)):
            raise ParamError(
                origin("retained_hydrogen"),
                prefix + "retained_hydrogen",
                f"at most grain_boundary_hydrogen ({self.grain_boundary_hydrogen:g})",
                self.retained_hydrogen,
            )


def phase_split(flows: np.ndarray, registry: Registry) -> tuple[np.ndarray, np.ndarray]:
    """Nd2Fe14B units and grain-boundary rare-earth atoms [mol/s] of magnet alloy ``flows``: one
    matrix unit per metallic B atom, at most half the metallic rare earths; the rest of them is
    grain boundary."""
    re = flows[..., registry.indices(RARE_EARTHS)].sum(axis=-1)
    matrix = np.minimum(flows[..., registry.index("B")], re / 2.0)
    return matrix, re - 2.0 * matrix


def decrepitate(magnets: Stream, p: HydrogenDecrepitationParams) -> UnitResult:
    """Hydrogen decrepitation of ``magnets``; outlets ``powder`` (hydrided) and
    ``offgas`` (excess H2)."""
    reg = magnets.registry
    matrix, boundary = phase_split(magnets.flows, reg)
    h_matrix = np.asarray(p.matrix_hydrogen) * matrix
    h_boundary = np.asarray(p.grain_boundary_hydrogen) * boundary
    absorbed_h2 = (h_matrix + h_boundary) / 2.0
    supplied = absorbed_h2 * (1.0 + np.asarray(p.hydrogen_excess))
    i_h2 = reg.index("H2")
    h2 = np.zeros(supplied.shape + (reg.n,))
    h2[..., i_h2] = supplied
    powder = on_batch(magnets.flows, h_matrix, h_boundary)
    powder[..., reg.index(MATRIX_HYDROGEN)] += h_matrix
    powder[..., reg.index(HYDRIDE_HYDROGEN)] += h_boundary
    vent = np.zeros_like(h2)
    vent[..., i_h2] = supplied - absorbed_h2
    T = np.asarray(p.temperature)
    return UnitResult(
        "hydrogen_decrepitation",
        inlets={"magnets": magnets, "hydrogen": Stream.owned(h2, registry=reg)},
        outlets={
            "powder": Stream.owned(powder, T, magnets.P, reg),
            "offgas": Stream.owned(vent, T, magnets.P, reg),
        },
        reagents={"hydrogen": supplied * reg.molar_mass[i_h2]},
        heating=Heating(T),
        performance={
            "pressure_Pa": np.asarray(p.pressure),
            "hydrogen_absorbed_kg_per_s": absorbed_h2 * reg.molar_mass[i_h2],
        },
    )


def degas(powder: Stream, p: HydrogenDecrepitationParams) -> UnitResult:
    """Vacuum degassing of hydrided ``powder``; outlets ``powder`` (cooled in the retort) and
    ``offgas``."""
    reg = powder.registry
    i_m, i_b, i_h2 = reg.index(MATRIX_HYDROGEN), reg.index(HYDRIDE_HYDROGEN), reg.index("H2")
    keep = np.minimum(
        safe_ratio(np.asarray(p.retained_hydrogen), np.asarray(p.grain_boundary_hydrogen)), 1.0
    )
    out = on_batch(powder.flows, keep)
    out[..., i_m] = 0.0
    out[..., i_b] = powder.flows[..., i_b] * keep
    released = powder.flows[..., i_m] + (powder.flows[..., i_b] - out[..., i_b])
    gas = np.zeros_like(out)
    gas[..., i_h2] = released / 2.0
    charge = powder.mass_flow * (np.asarray(p.absorption_time) + np.asarray(p.degassing_time))
    return UnitResult(
        "degassing",
        inlets={"powder": powder},
        outlets={
            "powder": Stream.owned(out, T_REF, powder.P, reg),
            "offgas": Stream.owned(gas, p.degassing_temperature, powder.P, reg),
        },
        equipment=(
            HydrogenFurnace(
                charge, vessel_volume(charge / np.asarray(p.bulk_density), 1.0, p.fill_fraction)
            ),
        ),
        heating=Heating(np.asarray(p.degassing_temperature), "batch"),
        performance={"hydrogen_released_kg_per_s": gas[..., i_h2] * reg.molar_mass[i_h2]},
    )
