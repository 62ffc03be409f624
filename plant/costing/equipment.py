"""Equipment cost library: published cost correlations with a CEPCI escalation and size-range
handling.

Two correlation forms, with the size S in the correlation's own unit (``size_unit``):

- ``power_law``:       C = C0 (S / S0)^n
- ``log10_quadratic``: log10 C = K1 + K2 log10 S + K3 (log10 S)^2   (Turton et al., App. A)

then escalated: C(analysis year) = C * CEPCI(analysis year) / CEPCI(basis) * material_factor.
A size outside [min_size, max_size] is flagged, and priced as a designer would buy it: below the
range at the smallest size, above it as the fewest parallel units that each fit the range.

A *wetted* item (``wetted = true``, a vessel whose base cost is carbon steel) takes its material
from the service the equipment holds (:class:`plant.units.equipment.Service`): the cheapest
material of the ``[materials]`` table that resists the medium at the temperature, with that
material's factor; without a service it keeps its own ``material`` and ``material_factor``.

``basis`` says what the cost covers: ``purchased`` (equipment bought, FOB) or ``installed`` (bare
erected cost, installation included). ``install_factor`` is installed / purchased (the bare-module
factor); for an installed-basis item it backs out the purchased cost the Lang method needs.

Items are read from ``params/costs.toml``; every key error names the file and the key.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from plant.errors import ParamError
from plant.params import parse_quantity
from plant.paths import PARAMS_DIR
from plant.units.equipment import MEDIA
from plant.uom import Q_

COSTS_FILE = PARAMS_DIR / "costs.toml"
FORMS = {"power_law": ("base_cost", "base_size", "exponent"), "log10_quadratic": ("k",)}
COMMON_KEYS = (
    "form",
    "size_unit",
    "base_year",
    "min_size",
    "max_size",
    "basis",
    "install_factor",
    "material",
    "material_factor",
    "source",
)
OPTIONAL_KEYS = ("cepci", "wetted")
BASES = ("purchased", "installed")
MATERIAL_KEYS = ("factor", "media", "max_temperature", "source")


@dataclass(frozen=True)
class Material:
    """A material of construction of wetted vessels: its cost ``factor`` on a carbon-steel vessel
    [-], the ``media`` it resists (:data:`plant.units.equipment.MEDIA`) up to ``max_temperature``
    [K], and its ``source``."""

    name: str
    factor: float
    media: tuple[str, ...]
    max_temperature: float
    source: str


@dataclass(frozen=True)
class EquipmentItem:
    """One cost correlation.

    unit_si : SI value of one ``size_unit`` (sizes are SI inside, the correlation's unit inside
        ``_cost``)
    base_cost [USD], base_size [SI], exponent [-] : power law; k : (K1, K2, K3) of log10_quadratic
    base_index : CEPCI of the cost basis; min_size, max_size [SI]
    basis : 'purchased' or 'installed'; install_factor : installed / purchased [-]
    material, material_factor : construction material and its factor on the basis cost [-]
    """

    name: str
    form: str
    unit_si: float
    base_index: float
    min_size: float
    max_size: float
    basis: str
    install_factor: float
    material: str
    material_factor: float
    source: str
    base_cost: float = 0.0
    base_size: float = 0.0
    exponent: float = 0.0
    k: tuple[float, float, float] = (0.0, 0.0, 0.0)
    wetted: bool = False

    def basis_cost(self, size_si) -> np.ndarray:
        """Cost [USD at the basis index, basis material] of one unit of ``size_si`` [SI] within the
        range."""
        s = np.asarray(size_si, dtype=float)
        if self.form == "power_law":
            return self.base_cost * (s / self.base_size) ** self.exponent
        x = np.log10(s / self.unit_si)
        return 10.0 ** (self.k[0] + x * (self.k[1] + x * self.k[2]))


@dataclass(frozen=True)
class PricedItem:
    """Cost of ``count`` x ``item`` at ``size`` [SI] (each), in the analysis year [USD].

    units : units bought per requested unit (parallel units above the range) [-]
    out_of_range : the size lies outside the correlation's range
    basis_cost : cost on the item's own basis (purchased or installed), all units [USD]
    purchased, installed : purchased and installed cost, all units [USD]
    material : the material of construction (per sample where the service varies)
    """

    item: EquipmentItem
    units: np.ndarray
    out_of_range: np.ndarray
    basis_cost: np.ndarray
    purchased: np.ndarray
    installed: np.ndarray
    material: np.ndarray


@dataclass(frozen=True)
class CostLibrary:
    """Cost index by year and the equipment items; ``analysis_year`` is the year costs are escalated
    to."""

    analysis_year: int
    cepci: dict[int, float]
    items: dict[str, EquipmentItem]
    where: str = "costs"
    materials: dict[str, Material] = None  # type: ignore[assignment]

    def index(self, year: int) -> float:
        if year not in self.cepci:
            raise ParamError(
                self.where,
                "cepci",
                f"a CEPCI value for {year} (years given: "
                f"{', '.join(map(str, sorted(self.cepci)))})",
                year,
            )
        return self.cepci[year]

    def item(self, name: str) -> EquipmentItem:
        if name not in self.items:
            raise ParamError(
                self.where,
                f"equipment.{name}",
                f"one of {', '.join(sorted(self.items))}",
                given_text="an item the library does not have",
            )
        return self.items[name]

    def material_for(self, service, item: str) -> tuple[np.ndarray, np.ndarray]:
        """(factor [-], material name) of the cheapest material resisting ``service`` (a
        :class:`plant.units.equipment.Service`), per sample; an error names the item, the medium
        and the temperature when no material of ``[materials]`` does."""
        t = np.asarray(service.temperature, dtype=float)
        factor = np.full(t.shape, np.nan)
        chosen = np.full(t.shape, "", dtype=object)
        for m in sorted((self.materials or {}).values(), key=lambda m: m.factor):
            ok = np.isnan(factor) & (service.medium in m.media) & (t <= m.max_temperature)
            factor = np.where(ok, m.factor, factor)
            chosen = np.where(ok, m.name.replace("_", " "), chosen)
        if np.any(np.isnan(factor)):
            hot = float(np.max(np.where(np.isnan(factor), t, -np.inf)))
            raise ParamError(
                self.where,
                "materials",
                f"a material that resists {service.medium} at {hot - 273.15:.0f} degC for the "
                f"wetted item {item!r}",
                given_text=f"none of {', '.join(self.materials or {}) or 'no materials'}",
            )
        return factor, chosen

    def price(self, name: str, size, count=1, service=None) -> PricedItem:
        """Price ``count`` units of item ``name`` of ``size`` [SI] each (any batch shape); a wetted
        item holding ``service`` is made of the material that service needs."""
        it = self.item(name)
        s = np.maximum(np.asarray(size, dtype=float), 0.0)
        n = np.asarray(count, dtype=float)
        present = (s > 0) & (n > 0)
        parallel = np.maximum(np.ceil(s / it.max_size), 1.0)
        each = np.minimum(np.maximum(s / parallel, it.min_size), it.max_size)
        if it.wetted and service is not None:
            material_factor, material = self.material_for(service, name)
        else:
            material_factor, material = it.material_factor, np.asarray(it.material, dtype=object)
        escalation = self.index(self.analysis_year) / it.base_index * material_factor
        basis = np.where(present, it.basis_cost(each) * parallel * n * escalation, 0.0)
        if it.basis == "purchased":
            purchased, installed = basis, basis * it.install_factor
        else:
            purchased, installed = basis / it.install_factor, basis
        flag = present & ((s < it.min_size) | (s > it.max_size))
        return PricedItem(it, parallel * n * present, flag, basis, purchased, installed, material)


def load_library(path: str | Path = COSTS_FILE) -> CostLibrary:
    """Read the cost library; a missing key, a wrong unit or a bad value names the file and key."""
    path = Path(path)
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ParamError(where, "(file)", "a readable TOML file", given_text=str(exc)) from None
    for key in ("analysis_year", "cepci", "equipment"):
        if key not in raw:
            raise ParamError(where, key, "this key", given_text="nothing")
    cepci = {}
    for year, value in raw["cepci"].items():
        if not str(year).isdigit() or not isinstance(value, (int, float)) or value <= 0:
            raise ParamError(where, f"cepci.{year}", "a year = a positive index value", value)
        cepci[int(year)] = float(value)
    lib = CostLibrary(int(raw["analysis_year"]), cepci, {}, where)
    lib.index(lib.analysis_year)
    items = {name: _item(lib, name, entry) for name, entry in raw["equipment"].items()}
    materials = {
        name: _material(where, name, entry) for name, entry in raw.get("materials", {}).items()
    }
    if any(it.wetted for it in items.values()) and not materials:
        raise ParamError(
            where, "materials", "a [materials] table for the wetted items", given_text="nothing"
        )
    return CostLibrary(lib.analysis_year, cepci, items, where, materials)


def _material(where: str, name: str, entry) -> Material:
    path = f"materials.{name}"
    if not isinstance(entry, dict):
        raise ParamError(where, path, f"a table of {', '.join(MATERIAL_KEYS)}", entry)
    for key in MATERIAL_KEYS:
        if key not in entry:
            raise ParamError(where, f"{path}.{key}", "this key", given_text="nothing")
    unknown = sorted(set(entry) - set(MATERIAL_KEYS))
    if unknown:
        raise ParamError(
            where, f"{path}.{unknown[0]}", f"one of {', '.join(MATERIAL_KEYS)}", unknown[0]
        )
    media = entry["media"]
    if not isinstance(media, list) or not media or any(m not in MEDIA for m in media):
        raise ParamError(where, f"{path}.media", f"a list out of {', '.join(MEDIA)}", media)
    return Material(
        name,
        _number(where, f"{path}.factor", entry["factor"], 0.0, 100.0),
        tuple(media),
        parse_quantity(
            entry["max_temperature"], "K", where, f"{path}.max_temperature", positive=True
        ),
        str(entry["source"]),
    )


def _flag(where: str, path: str, value) -> bool:
    if not isinstance(value, bool):
        raise ParamError(where, path, "true or false", value)
    return value


def _number(where: str, path: str, value, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo < value <= hi:
        raise ParamError(where, path, f"a number in ({lo:g}, {hi:g}]", value)
    return float(value)


def _item(lib: CostLibrary, name: str, entry: dict) -> EquipmentItem:
    where, path = lib.where, f"equipment.{name}"
    form = entry.get("form")
    if form not in FORMS:
        raise ParamError(where, f"{path}.form", f"one of {', '.join(FORMS)}", form)
    allowed = COMMON_KEYS + OPTIONAL_KEYS + FORMS[form]
    for key in COMMON_KEYS + FORMS[form]:
        if key not in entry:
            raise ParamError(where, f"{path}.{key}", "this key", given_text="nothing")
    unknown = sorted(set(entry) - set(allowed))
    if unknown:
        raise ParamError(where, f"{path}.{unknown[0]}", f"one of {', '.join(allowed)}", unknown[0])
    try:
        q = Q_(1, str(entry["size_unit"])).to_base_units()
    except Exception:
        raise ParamError(
            where, f"{path}.size_unit", "a unit, e.g. 'm^3' or 'kW'", entry["size_unit"]
        ) from None
    unit, unit_si = str(q.units), float(q.magnitude)
    sizes = {
        k: parse_quantity(entry[k], unit, where, f"{path}.{k}", positive=True)
        for k in ("min_size", "max_size")
    }
    if sizes["min_size"] > sizes["max_size"]:
        raise ParamError(
            where, f"{path}.min_size", f"at most max_size ({entry['max_size']})", entry["min_size"]
        )
    if entry["basis"] not in BASES:
        raise ParamError(where, f"{path}.basis", f"one of {', '.join(BASES)}", entry["basis"])
    year = entry["base_year"]
    if "cepci" in entry:
        base_index = _number(where, f"{path}.cepci", entry["cepci"], 0.0, math.inf)
    else:
        if year not in lib.cepci:
            raise ParamError(
                where,
                f"{path}.base_year",
                f"a year of the [cepci] table, or a 'cepci' key "
                f"(years given: {', '.join(map(str, sorted(lib.cepci)))})",
                year,
            )
        base_index = lib.cepci[year]
    fields = dict(
        name=name,
        form=form,
        unit_si=unit_si,
        base_index=base_index,
        min_size=sizes["min_size"],
        max_size=sizes["max_size"],
        basis=entry["basis"],
        install_factor=_number(where, f"{path}.install_factor", entry["install_factor"], 0.0, 20.0),
        material=str(entry["material"]),
        material_factor=_number(
            where, f"{path}.material_factor", entry["material_factor"], 0.0, 20.0
        ),
        source=str(entry["source"]),
        wetted=_flag(where, f"{path}.wetted", entry.get("wetted", False)),
    )
    if form == "power_law":
        fields.update(
            base_cost=parse_quantity(
                entry["base_cost"], "USD", where, f"{path}.base_cost", positive=True
            ),
            base_size=parse_quantity(
                entry["base_size"], unit, where, f"{path}.base_size", positive=True
            ),
            exponent=_number(where, f"{path}.exponent", entry["exponent"], 0.0, 1.5),
        )
    else:
        k = entry["k"]
        if not (
            isinstance(k, list)
            and len(k) == 3
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in k)
        ):
            raise ParamError(where, f"{path}.k", "a list of three numbers [K1, K2, K3]", k)
        fields["k"] = tuple(float(v) for v in k)
    return EquipmentItem(**fields)
