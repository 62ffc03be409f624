"""Equipment cost library: power-law scaling with a CEPCI escalation, and size-range flags.

    C = C0 (S / S0)^n * CEPCI(analysis year) / CEPCI(base year)        [USD]

Items are read from ``params/costs.toml`` (``[equipment.<item>]``: base_cost, base_size, size_unit,
exponent, base_year, min_size, max_size, source). Sizes carry their units and must match the item's
``size_unit``; they are converted to SI base units once, when the library is read.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from plant.errors import ParamError
from plant.params import parse_quantity
from plant.paths import PARAMS_DIR
from plant.uom import Q_

COSTS_FILE = PARAMS_DIR / "costs.toml"
ITEM_KEYS = ("base_cost", "base_size", "size_unit", "exponent", "base_year", "min_size", "max_size", "source")


@dataclass(frozen=True)
class EquipmentItem:
    """One cost correlation: base cost [USD] at base size [SI unit of its dimension], exponent [-],
    base year, valid size range [SI], and its source."""

    name: str
    base_cost: float
    base_size: float
    exponent: float
    base_year: int
    min_size: float
    max_size: float
    source: str


@dataclass(frozen=True)
class CostLibrary:
    """Cost index by year and the equipment items; ``analysis_year`` is the year costs are escalated to."""

    analysis_year: int
    cepci: dict[int, float]
    items: dict[str, EquipmentItem]

    def index(self, year: int, where: str = "costs") -> float:
        if year not in self.cepci:
            raise ParamError(where, "cepci", f"a CEPCI value for {year} (years given: "
                             f"{', '.join(map(str, sorted(self.cepci)))})", year)
        return self.cepci[year]

    def purchased_cost(self, item: str, size) -> tuple[np.ndarray, np.ndarray]:
        """Purchased cost [USD] in the analysis year of ``item`` at ``size`` [SI] (any batch shape), and a
        flag (same shape) that is True where the size lies outside the item's valid range."""
        if item not in self.items:
            raise ParamError("costs", f"equipment.{item}", f"one of {', '.join(sorted(self.items))}", item)
        it = self.items[item]
        s = np.asarray(size, dtype=float)
        escalation = self.index(self.analysis_year) / self.index(it.base_year, f"costs: equipment.{item}")
        cost = it.base_cost * (np.maximum(s, 0.0) / it.base_size) ** it.exponent * escalation
        return cost, (s < it.min_size) | (s > it.max_size)


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
    items = {name: _item(where, name, entry) for name, entry in raw["equipment"].items()}
    return CostLibrary(int(raw["analysis_year"]), cepci, items)


def _item(where: str, name: str, entry: dict) -> EquipmentItem:
    path = f"equipment.{name}"
    for key in ITEM_KEYS:
        if key not in entry:
            raise ParamError(where, f"{path}.{key}", "this key", given_text="nothing")
    unknown = set(entry) - set(ITEM_KEYS)
    if unknown:
        raise ParamError(where, f"{path}.{sorted(unknown)[0]}", f"one of {', '.join(ITEM_KEYS)}", sorted(unknown)[0])
    try:
        unit = str(Q_(1, str(entry["size_unit"])).to_base_units().units)
    except Exception:
        raise ParamError(where, f"{path}.size_unit", "a unit, e.g. 'm^3' or 'W'", entry["size_unit"]) from None
    cost = parse_quantity(entry["base_cost"], "USD", where, f"{path}.base_cost", positive=True)
    sizes = {k: parse_quantity(entry[k], unit, where, f"{path}.{k}", positive=True)
             for k in ("base_size", "min_size", "max_size")}
    n = entry["exponent"]
    if not isinstance(n, (int, float)) or not 0 < n <= 1.5:
        raise ParamError(where, f"{path}.exponent", "a number in (0, 1.5]", n)
    if sizes["min_size"] > sizes["max_size"]:
        raise ParamError(where, f"{path}.min_size", f"at most max_size ({entry['max_size']})", entry["min_size"])
    return EquipmentItem(name, cost, sizes["base_size"], float(n), int(entry["base_year"]),
                         sizes["min_size"], sizes["max_size"], str(entry["source"]))
