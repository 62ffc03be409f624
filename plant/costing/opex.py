"""Operating cost [USD/yr at full output, analysis-year prices], itemised.

Variable costs scale with output (feed, reagents, utilities, disposal); fixed costs do not (labour,
maintenance, insurance and tax, overhead, administration).

- feed: purchased feeds (plant.costing.revenue.feed_cost);
- reagents: each reagent's use (FlowsheetResult.reagents) x its price;
- utilities: electricity (drives and electric heating) and natural gas (normal m3) from the energy
  layer (:mod:`plant.energy`), process water;
- disposal: dry solid residue, radioactive residue and aqueous effluent
  (FlowsheetResult.discharges);
- disassembly labour: worker time to take magnets out of parts (sorting), for a day-shift worker's
  ``working_hours``, at the disassembly pay; it scales with the parts dismantled;
- labour: the staffing plan (:mod:`plant.costing.staffing`): operators, supervision, laboratory and
  administration, each head at its role's loaded pay;
- maintenance (its technicians included) and insurance and tax as shares of fixed capital a year;
  plant overhead on operating labour, supervision and maintenance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.costing.parameters import EconomicsParams
from plant.costing.plant_equipment import EquipmentLine
from plant.costing.revenue import feed_cost
from plant.costing.staffing import Staffing, loaded_pay, staffing_plan
from plant.numerics import pick
from plant.reagents import PRICED_PER_KG, WATER
from plant.units.common import WATER_DENSITY
from plant.uom import SECONDS_PER_YEAR


@dataclass(frozen=True)
class Opex:
    """Operating-cost lines [USD/yr at full output]; ``category`` of each line; ``variable``: the
    lines that scale with output; ``operators``: operators employed, disassembly workers included
    [-]; ``disassembly_workers`` employed [-]; ``electricity_J_per_yr`` and
    ``natural_gas_m3_per_yr`` at full output; ``staffing``: the staffing plan (None until the
    fixed lines are added)."""

    lines: dict[str, np.ndarray]
    category: dict[str, str]
    variable: frozenset[str]
    operators: np.ndarray
    disassembly_workers: np.ndarray
    electricity_J_per_yr: np.ndarray
    natural_gas_m3_per_yr: np.ndarray
    staffing: Staffing | None = None

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
    if np.any(out["radioactive_residue"] > 0):
        put(
            "radioactive residue disposal",
            "disposal",
            out["radioactive_residue"] * year * econ.opex.radioactive_disposal,
        )
    put(
        "effluent treatment",
        "disposal",
        out["aqueous_effluent"] / WATER_DENSITY * year * econ.opex.effluent_treatment,
    )
    lab = econ.labour
    workers = np.asarray(disassembly_workers(result) * year / lab.working_hours, dtype=float)
    if np.any(workers > 0):
        put("disassembly labour", "labour", workers * loaded_pay(lab, "disassembly"))
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
    fci = np.asarray(fixed_capital)
    maintenance = fci * econ.opex.maintenance
    staff = staffing_plan(equipment, lab, variable.disassembly_workers, maintenance)
    head = staff.role
    labour = head["operators"] * loaded_pay(lab, "operators")
    supervision = head["supervision"] * loaded_pay(lab, "supervision")
    put("operating labour", "labour", labour)
    put("supervision", "labour", supervision)
    put("laboratory and QA", "labour", head["laboratory"] * loaded_pay(lab, "laboratory"))
    put("maintenance", "fixed", maintenance)
    put("insurance and property tax", "fixed", fci * econ.opex.insurance_and_tax)
    put(
        "plant overhead",
        "fixed",
        (labour + supervision + maintenance) * econ.opex.plant_overhead,
    )
    put(
        "administration (G&A)",
        "fixed",
        head["administration"] * loaded_pay(lab, "administration"),
    )
    return Opex(
        lines,
        category,
        variable.variable,
        np.asarray(head["operators"] + variable.disassembly_workers, dtype=float),
        variable.disassembly_workers,
        variable.electricity_J_per_yr,
        variable.natural_gas_m3_per_yr,
        staff,
    )
