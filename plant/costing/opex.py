"""Operating cost [USD/yr at full output, analysis-year prices], itemised.

Variable costs scale with output (feed, reagents, utilities, disposal); fixed costs do not (labour,
maintenance, insurance and tax, overhead, administration).

- feed: purchased feeds (plant.costing.revenue.feed_cost);
- reagents: each reagent's use (FlowsheetResult.reagents) x its price;
- utilities: electricity (drives and electric heating) and natural gas (normal m3) from the energy
  layer (:mod:`plant.energy`), process water;
- disposal: dry solid residue and aqueous effluent (FlowsheetResult.discharges);
- disassembly labour: worker time to take magnets out of parts (sorting), at the wage with its
  burden, for a day-shift worker's ``working_hours``; it scales with the parts dismantled;
- labour: operator positions per shift summed over the equipment groups (LabourParams.operators), at
  least ``minimum_operators``, times ``crews`` to staff every shift of the year, at the wage with
  its burden; supervision and laboratory as shares of it;
- maintenance and insurance and tax as shares of fixed capital a year; plant overhead on labour,
  supervision and maintenance; administration (G&A) on operating labour.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.costing.parameters import EconomicsParams
from plant.costing.plant_equipment import EquipmentLine
from plant.costing.revenue import feed_cost
from plant.numerics import pick
from plant.reagents import PRICED_PER_KG, WATER
from plant.units.common import WATER_DENSITY
from plant.uom import SECONDS_PER_YEAR


@dataclass(frozen=True)
class Opex:
    """Operating-cost lines [USD/yr at full output]; ``category`` of each line; ``variable``: the
    lines that scale with output; ``operators``: operators employed, disassembly workers included
    [-]; ``disassembly_workers`` employed [-]; ``electricity_J_per_yr`` and
    ``natural_gas_m3_per_yr`` at full output."""

    lines: dict[str, np.ndarray]
    category: dict[str, str]
    variable: frozenset[str]
    operators: np.ndarray
    disassembly_workers: np.ndarray
    electricity_J_per_yr: np.ndarray
    natural_gas_m3_per_yr: np.ndarray

    @property
    def variable_total(self) -> np.ndarray:
        return sum((v for k, v in self.lines.items() if k in self.variable), np.asarray(0.0))

    @property
    def fixed_total(self) -> np.ndarray:
        return sum((v for k, v in self.lines.items() if k not in self.variable), np.asarray(0.0))

    @property
    def total(self) -> np.ndarray:
        return self.variable_total + self.fixed_total

    def frame(self, sample: int | None = None):
        """OPEX table (pandas): line, category, variable, USD/yr."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "line": k,
                    "category": self.category[k],
                    "variable": k in self.variable,
                    "usd_per_yr": pick(v, sample),
                }
                for k, v in self.lines.items()
            ]
        )


def variable_costs(result, energy, econ: EconomicsParams) -> Opex:
    """The variable lines of the operating cost (feed, reagents, utilities, disposal); no labour
    yet. ``energy`` (an EnergyResult) gives the electricity and natural gas."""
    year = np.asarray(result.availability) * SECONDS_PER_YEAR  # operating seconds per year
    lines: dict[str, np.ndarray] = {}
    category: dict[str, str] = {}

    def put(name, cat, usd_per_yr):
        lines[name] = np.asarray(usd_per_yr, dtype=float)
        category[name] = cat

    put("feed purchase", "feed", feed_cost(result, econ) * year)
    use = result.reagents()
    for r in PRICED_PER_KG:
        if np.any(use[r] != 0):
            put(f"reagent: {r}", "reagents", use[r] * econ.reagents[r] * year)
    power, gas = energy.electricity_W, energy.natural_gas_Nm3_per_s
    put("electricity", "utilities", power * year * econ.utilities.electricity)
    put("natural gas", "utilities", gas * year * econ.utilities.natural_gas)
    put("process water", "utilities", use[WATER] / WATER_DENSITY * year * econ.utilities.water)
    out = result.discharges()
    put("residue disposal", "disposal", out["solid_residue"] * year * econ.opex.residue_disposal)
    put(
        "effluent treatment",
        "disposal",
        out["aqueous_effluent"] / WATER_DENSITY * year * econ.opex.effluent_treatment,
    )
    lab = econ.labour
    workers = np.asarray(disassembly_workers(result) * year / lab.working_hours, dtype=float)
    if np.any(workers > 0):
        put(
            "disassembly labour",
            "labour",
            workers * lab.wage * (1.0 + lab.burden) * SECONDS_PER_YEAR,
        )
    return Opex(
        lines,
        category,
        frozenset(lines),
        workers,
        workers,
        np.asarray(power * year),
        np.asarray(gas * year),
    )


def disassembly_workers(result) -> np.ndarray:
    """Workers taking magnets out of parts at the operating rate [-]: the units' manual work."""
    return sum((np.asarray(u.manual_work) for u in result.units.values()), np.asarray(0.0))


def operating_cost(
    variable: Opex, equipment: list[EquipmentLine], fixed_capital, econ: EconomicsParams
) -> Opex:
    """The whole operating cost: the ``variable`` lines, then labour and the fixed-capital lines."""
    lines, category = dict(variable.lines), dict(variable.category)

    def put(name, cat, usd_per_yr):
        lines[name] = np.asarray(usd_per_yr, dtype=float)
        category[name] = cat

    lab = econ.labour
    positions = sum(
        (
            np.where(
                (np.asarray(line.size) > 0) & (np.asarray(line.count) > 0),
                lab.operators[line.group],
                0.0,
            )
            for line in equipment
            if line.group is not None
        ),
        np.asarray(0.0),
    )
    positions = np.maximum(positions, lab.minimum_operators)
    operating = positions * lab.crews
    operators = operating + variable.disassembly_workers
    labour = operating * lab.wage * (1.0 + lab.burden) * SECONDS_PER_YEAR
    put("operating labour", "labour", labour)
    put("supervision", "labour", labour * lab.supervision)
    put("laboratory and QA", "labour", labour * lab.laboratory)
    fci = np.asarray(fixed_capital)
    put("maintenance", "fixed", fci * econ.opex.maintenance)
    put("insurance and property tax", "fixed", fci * econ.opex.insurance_and_tax)
    put(
        "plant overhead",
        "fixed",
        (labour * (1.0 + lab.supervision) + lines["maintenance"]) * econ.opex.plant_overhead,
    )
    put("administration (G&A)", "fixed", labour * lab.administration)
    return Opex(
        lines,
        category,
        variable.variable,
        np.asarray(operators, dtype=float),
        variable.disassembly_workers,
        variable.electricity_J_per_yr,
        variable.natural_gas_m3_per_yr,
    )
