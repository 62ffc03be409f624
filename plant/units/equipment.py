"""Typed equipment records: what a unit operation installs, and what each kind draws and costs.

A unit returns its equipment as instances of the kinds below. Each kind knows

- its size in SI (:attr:`Equipment.size`), the quantity its cost-library item is priced by;
- its cost-library item (:attr:`Equipment.item`, an ``[equipment.<item>]`` of
  ``params/costs.toml``);
- its electric drives at the operating rate (:meth:`Equipment.drives`, by the power rules of
  ``[energy.power]``, :class:`PowerParams`);
- its operator group (:attr:`Equipment.group`, a key of ``economics.labour.operators``), or None;
- its outer wall area when it runs hot (:attr:`Equipment.wall_area_m2`, for the heat losses);
- for wetted vessels, its service (:class:`Service`: the medium it holds and how hot), from which
  the costing layer chooses its material of construction.

Costing, energy and the faces read these types; nobody reads a unit's equipment by string key. A new
kind of equipment is one class here plus its cost-library entry (and, for a new operator group, a
row of ``economics.labour.operators``). Every size may carry a leading sample axis.

Power rules after Walas, Chemical Process Equipment (1988), rules of thumb for mixing, pumps and
fans.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from plant import params as P

G = 9.80665
"""Standard gravity [m/s2]."""
AIR_NORMAL_DENSITY = 1.2922
"""Dry air at 0 degC and 101.325 kPa [kg/m3] (CRC Handbook, 'Properties of air')."""
KILN_LENGTH_TO_DIAMETER = 12.0
"""Rotary kiln and calciner length / diameter [-] [E] (rotary kilns run at L/D of about 10-20)."""


@dataclass(frozen=True)
class PowerParams:
    """Electric drives: what each kind of equipment draws (``[energy.power]``).

    agitation : agitator power per m3 of tank [W/m3]
    mixing : mixer power per m3 of solvent-extraction mixer [W/m3]
    pump_head : head of the slurry and liquor transfer pumps [m]
    pump_efficiency : pump and motor efficiency [-]
    slurry_density : density of the pumped slurry [kg/m3]
    filtration : filter-press energy per kg of dry solids (feed pump, hydraulics) [J/kg]
        (TOML in kWh/t)
    kiln_drive : rotary kiln and calciner drive power per m3 of vessel [W/m3]
    fan_pressure_rise : pressure rise of the process-air and off-gas fans [Pa]
    fan_efficiency : fan and motor efficiency [-]
    """

    agitation: float = P.quantity("agitation", "W/m^3", lo=0.0)
    mixing: float = P.quantity("mixing", "W/m^3", lo=0.0)
    pump_head: float = P.quantity("pump_head", "m", lo=0.0)
    pump_efficiency: float = P.quantity("pump_efficiency", "", lo=0.01, hi=1.0)
    slurry_density: float = P.quantity("slurry_density", "kg/m^3", positive=True)
    filtration: float = P.quantity("filtration", "J/kg", lo=0.0)
    kiln_drive: float = P.quantity("kiln_drive", "W/m^3", lo=0.0)
    fan_pressure_rise: float = P.quantity("fan_pressure_rise", "Pa", lo=0.0)
    fan_efficiency: float = P.quantity("fan_efficiency", "", lo=0.01, hi=1.0)
    where: str = P.where_field()


def kiln_shell_area(volume_m3) -> np.ndarray:
    """Shell area pi D L [m2] of a rotary kiln of ``volume_m3`` at KILN_LENGTH_TO_DIAMETER."""
    d = (4.0 * np.asarray(volume_m3) / (np.pi * KILN_LENGTH_TO_DIAMETER)) ** (1.0 / 3.0)
    return np.pi * KILN_LENGTH_TO_DIAMETER * d * d


def tank_surface_area(volume_m3) -> np.ndarray:
    """Wall, bottom and roof area [m2] of a cylindrical tank of ``volume_m3`` with
    height = diameter."""
    d = (4.0 * np.asarray(volume_m3) / np.pi) ** (1.0 / 3.0)
    return 1.5 * np.pi * d * d


def pump_power(volume_flow_m3_per_s, rules: PowerParams) -> np.ndarray:
    """Electric power [W] to move a slurry flow [m3/s] through the pump head."""
    return (
        np.asarray(volume_flow_m3_per_s)
        * rules.slurry_density
        * G
        * rules.pump_head
        / rules.pump_efficiency
    )


def fan_power(air_kg_per_s, rules: PowerParams) -> np.ndarray:
    """Electric power [W] of a fan moving air [kg/s] (normal volume) through its pressure rise."""
    return (
        np.asarray(air_kg_per_s)
        / AIR_NORMAL_DENSITY
        * rules.fan_pressure_rise
        / rules.fan_efficiency
    )


MEDIA = ("HCl", "H2SO4", "alkaline", "water", "organic")
"""What wetted equipment can hold: chloride (hydrochloric) or sulfate (sulfuric) liquor, an alkaline
solution, neutral water, the SX organic."""


@dataclass(frozen=True)
class Service:
    """What a wetted vessel holds: ``medium`` (one of :data:`MEDIA`) at ``temperature`` [K]."""

    medium: str
    temperature: np.ndarray


KINDS: dict[str, type[Equipment]] = {}
"""Every kind of equipment, by class name (filled as the classes are declared)."""


@dataclass(frozen=True)
class Equipment:
    """A kind of equipment; subclasses set the class attributes and the fields of their size.

    label : what it is, for the equipment list ('agitated reactor')
    item : its cost-library item; group : its operator group (None: no operator of its own)
    size : (a property of each kind priced by a size) size of each unit in the SI unit of the cost
        item: m3, m2, W, kg, kg/s or m3/s
    """

    label: ClassVar[str]
    item: ClassVar[str]
    group: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        KINDS[cls.__name__] = cls

    @property
    def tag(self) -> str:
        """What this one is, for the equipment list (by default the kind's label)."""
        return self.label

    @property
    def count(self):
        """Units installed [-]."""
        return 1

    @property
    def wall_area_m2(self) -> np.ndarray:
        """Outer area of its hot walls [m2] (0 for equipment at ambient temperature)."""
        return np.asarray(0.0)

    def drives(self, rules: PowerParams) -> dict[str, np.ndarray]:
        """Electric drives at the operating rate: drive name -> power [W]."""
        return {}

    def holds(self) -> Service | None:
        """What it holds, for a wetted vessel whose material follows its service; else None."""
        return None

    def sized(self, power_W) -> np.ndarray:
        """The size the cost item prices, given the power its drives draw [W] (by default
        :attr:`size`; pumps and agitators are priced by their power)."""
        return self.size


@dataclass(frozen=True)
class Mill(Equipment):
    """A ball mill, priced by its motor power [W] (Bond's law, computed by the unit)."""

    power_W: np.ndarray
    label: ClassVar[str] = "mill"
    item: ClassVar[str] = "ball_mill"
    group: ClassVar[str | None] = "mill"

    @property
    def size(self):
        return self.power_W

    def drives(self, rules):
        return {"mill": np.asarray(self.power_W)}


@dataclass(frozen=True)
class RotaryKiln(Equipment):
    """A rotary kiln of ``volume_m3``, priced by its shell area [m2]."""

    volume_m3: np.ndarray
    label: ClassVar[str] = "rotary kiln"
    item: ClassVar[str] = "rotary_kiln"
    group: ClassVar[str | None] = "kiln"

    @property
    def size(self):
        return kiln_shell_area(self.volume_m3)

    @property
    def wall_area_m2(self):
        return kiln_shell_area(self.volume_m3)

    def drives(self, rules):
        return {"kiln drive": np.asarray(self.volume_m3) * rules.kiln_drive}


@dataclass(frozen=True)
class RotaryCalciner(RotaryKiln):
    """A rotary calciner: a rotary kiln with its own operator group."""

    label: ClassVar[str] = "rotary calciner"
    group: ClassVar[str | None] = "calciner"


@dataclass(frozen=True)
class GasScrubber(Equipment):
    """The off-gas scrubber and process-air fan of ``air_kg_per_s``, priced by the normal volume
    flow [m3/s]."""

    air_kg_per_s: np.ndarray
    label: ClassVar[str] = "off-gas scrubber and fan"
    item: ClassVar[str] = "gas_scrubber"
    group: ClassVar[str | None] = "scrubber"

    @property
    def size(self):
        return np.asarray(self.air_kg_per_s) / AIR_NORMAL_DENSITY

    def drives(self, rules):
        return {"process-air fan": fan_power(self.air_kg_per_s, rules)}


@dataclass(frozen=True)
class AgitatedTanks(Equipment):
    """``tanks`` agitated reactors of ``volume_m3`` each, holding ``service``."""

    volume_m3: np.ndarray
    tanks: int
    service: Service | None = None
    label: ClassVar[str] = "agitated reactor"
    item: ClassVar[str] = "agitated_reactor"
    group: ClassVar[str | None] = "tanks"

    @property
    def size(self):
        return self.volume_m3

    @property
    def count(self):
        return self.tanks

    @property
    def wall_area_m2(self):
        return tank_surface_area(self.volume_m3) * self.tanks

    def drives(self, rules):
        return {"agitators": np.asarray(self.volume_m3) * self.tanks * rules.agitation}

    def holds(self):
        return self.service


@dataclass(frozen=True)
class TransferPump(Equipment):
    """A transfer pump of ``flow_m3_per_s`` with its installed spare, priced by its power [W]."""

    flow_m3_per_s: np.ndarray
    label: ClassVar[str] = "transfer pump (1 + 1 spare)"
    item: ClassVar[str] = "pump"

    @property
    def count(self):
        return 2

    def drives(self, rules):
        return {"transfer pump": pump_power(self.flow_m3_per_s, rules)}

    def sized(self, power_W):
        return np.asarray(power_W)


@dataclass(frozen=True)
class FilterPress(Equipment):
    """A filter press of ``area_m2`` filtering ``dry_solids_kg_per_s``."""

    area_m2: np.ndarray
    dry_solids_kg_per_s: np.ndarray
    label: ClassVar[str] = "filter press"
    item: ClassVar[str] = "filter_press"
    group: ClassVar[str | None] = "filter"

    @property
    def size(self):
        return self.area_m2

    def drives(self, rules):
        return {"filter press": np.asarray(self.dry_solids_kg_per_s) * rules.filtration}


@dataclass(frozen=True)
class MixerSettlers(Equipment):
    """A bank of ``stages`` mixer-settlers; mixer and settler volumes are the bank's totals [m3],
    each stage priced by its own volume."""

    stages: int
    mixer_volume_m3: np.ndarray
    settler_volume_m3: np.ndarray
    label: ClassVar[str] = "mixer-settler"
    item: ClassVar[str] = "mixer_settler"
    group: ClassVar[str | None] = "sx_circuit"

    @property
    def size(self):
        return (np.asarray(self.mixer_volume_m3) + np.asarray(self.settler_volume_m3)) / self.stages

    @property
    def count(self):
        return self.stages

    def drives(self, rules):
        return {"mixers": np.asarray(self.mixer_volume_m3) * rules.mixing}


@dataclass(frozen=True)
class OrganicTank(Equipment):
    """The organic tank of an SX circuit, holding its organic inventory [m3]."""

    volume_m3: np.ndarray
    label: ClassVar[str] = "organic tank"
    item: ClassVar[str] = "steel_tank"

    @property
    def size(self):
        return self.volume_m3


@dataclass(frozen=True)
class StorageTank(Equipment):
    """A plastic tank of ``volume_m3`` storing a solution of ``reagent`` (plant-wide services)."""

    volume_m3: np.ndarray
    reagent: str = ""
    label: ClassVar[str] = "tank"
    item: ClassVar[str] = "plastic_tank"
    group: ClassVar[str | None] = "storage"

    @property
    def size(self):
        return self.volume_m3

    @property
    def tag(self) -> str:
        return f"{self.reagent} tank"


@dataclass(frozen=True)
class NeutralisationTank(Equipment):
    """The effluent neutralisation tank of ``volume_m3`` (plant-wide services)."""

    volume_m3: np.ndarray
    label: ClassVar[str] = "neutralisation tank"
    item: ClassVar[str] = "plastic_tank"
    group: ClassVar[str | None] = "effluent"

    @property
    def size(self):
        return self.volume_m3


@dataclass(frozen=True)
class Clarifier(Equipment):
    """The effluent clarifier of ``area_m2`` settling the hydroxides precipitated by neutralisation
    (plant-wide services), priced as a thickener by its area."""

    area_m2: np.ndarray
    label: ClassVar[str] = "clarifier"
    item: ClassVar[str] = "thickener"
    group: ClassVar[str | None] = "effluent"

    @property
    def size(self):
        return self.area_m2


@dataclass(frozen=True)
class EvaporatorCrystalliser(Equipment):
    """Zero-liquid-discharge plant (plant-wide services): a mechanical-vapour-compression evaporator
    and crystalliser taking ``flow_m3_per_s`` of effluent, drawing ``specific_energy`` [J/m3];
    priced by its capacity [m3/s]."""

    flow_m3_per_s: np.ndarray
    specific_energy: np.ndarray
    label: ClassVar[str] = "evaporator-crystalliser (zero liquid discharge)"
    item: ClassVar[str] = "zld_plant"
    group: ClassVar[str | None] = "effluent"

    @property
    def size(self):
        return self.flow_m3_per_s

    def drives(self, rules):
        return {"vapour compressor": np.asarray(self.flow_m3_per_s) * self.specific_energy}


@dataclass(frozen=True)
class Agitator(Equipment):
    """The agitator of a tank of ``volume_m3``, priced by its power [W]."""

    volume_m3: np.ndarray
    label: ClassVar[str] = "agitator"
    item: ClassVar[str] = "agitator"

    def drives(self, rules):
        return {"agitator": np.asarray(self.volume_m3) * rules.agitation}

    def sized(self, power_W):
        return np.asarray(power_W)


@dataclass(frozen=True)
class ThroughputMachine(Equipment):
    """A machine of the short loop priced by its feed rate [kg/s], drawing ``power_W`` (its specific
    energy times the feed; 0 where its energy is counted elsewhere)."""

    feed_kg_per_s: np.ndarray
    power_W: np.ndarray | float = 0.0
    drive: ClassVar[str] = ""

    @property
    def size(self):
        return self.feed_kg_per_s

    def drives(self, rules):
        return {self.drive: np.asarray(self.power_W)} if self.drive else {}


@dataclass(frozen=True)
class VibratingScreen(ThroughputMachine):
    label: ClassVar[str] = "vibrating screen"
    item: ClassVar[str] = "vibrating_screen"
    group: ClassVar[str | None] = "screen"


@dataclass(frozen=True)
class JetMill(ThroughputMachine):
    label: ClassVar[str] = "jet mill"
    item: ClassVar[str] = "jet_mill"
    group: ClassVar[str | None] = "jet_mill"
    drive: ClassVar[str] = "jet mill"


@dataclass(frozen=True)
class MagnetPress(ThroughputMachine):
    label: ClassVar[str] = "magnetic-field presses"
    item: ClassVar[str] = "magnet_press"
    group: ClassVar[str | None] = "press"
    drive: ClassVar[str] = "press"


@dataclass(frozen=True)
class MachiningLine(ThroughputMachine):
    label: ClassVar[str] = "saws and grinders"
    item: ClassVar[str] = "machining_line"
    group: ClassVar[str | None] = "machining"
    drive: ClassVar[str] = "grinders"


@dataclass(frozen=True)
class BatchFurnace(Equipment):
    """A batch furnace priced by its charge [kg]; its hot zone of ``vessel_m3`` loses heat through a
    tank-like wall. Its heating is electric power of the energy layer's heat balance, not a
    drive."""

    charge_kg: np.ndarray
    vessel_m3: np.ndarray

    @property
    def size(self):
        return self.charge_kg

    @property
    def wall_area_m2(self):
        return tank_surface_area(self.vessel_m3)


@dataclass(frozen=True)
class HydrogenFurnace(BatchFurnace):
    label: ClassVar[str] = "hydrogen furnace"
    item: ClassVar[str] = "hydrogen_furnace"
    group: ClassVar[str | None] = "hydrogen_furnace"


@dataclass(frozen=True)
class VacuumFurnace(BatchFurnace):
    label: ClassVar[str] = "vacuum furnace"
    item: ClassVar[str] = "vacuum_furnace"
    group: ClassVar[str | None] = "vacuum_furnace"


def operator_groups() -> tuple[str, ...]:
    """The operator groups of every kind of equipment (the keys of
    ``economics.labour.operators``)."""
    return tuple(dict.fromkeys(k.group for k in KINDS.values() if k.group is not None))
