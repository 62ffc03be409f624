"""The costing layer's front door: a flowsheet result and the economic parameters in, CAPEX, OPEX,
revenue, the yearly cash flow and its metrics out (scalar or batch)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from plant.costing.capex import Capex, capital_cost, first_fill
from plant.costing.cashflow import CashFlow, ProjectCosts, cash_flow
from plant.costing.equipment import COSTS_FILE, CostLibrary, load_library
from plant.costing.opex import Opex, operating_cost, variable_costs
from plant.costing.parameters import EconomicsParams
from plant.costing.plant_equipment import equipment_list
from plant.costing.revenue import product_prices, scrap_sales
from plant.costing.schedule import Schedule, schedule
from plant.numerics import safe_ratio
from plant.uom import usd_to_twd

SCRAP_SALES = "scrap sales"
"""Revenue line of the outputs sold as scrap."""


@functools.lru_cache(maxsize=4)
def cost_library(path: str | Path = COSTS_FILE) -> CostLibrary:
    """The cost library (read once per path)."""
    return load_library(path)


@dataclass(frozen=True)
class Economics:
    """capex, opex (itemised), prices [USD/kg] and revenue [USD/yr at full output] per product (and
    scrap sales), the cash flow with its metrics, and the REO output at full capacity [kg/yr]."""

    capex: Capex
    opex: Opex
    prices: dict[str, np.ndarray]
    revenue: dict[str, np.ndarray]
    cash: CashFlow
    reo_kg_per_yr: np.ndarray
    exchange_rate: float
    schedule: Schedule

    @property
    def revenue_total(self) -> np.ndarray:
        return sum(self.revenue.values(), np.asarray(0.0))

    def summary(self) -> dict:
        """The ``economics`` keys of the JSON contract (USD; NaN where a value does not exist)."""
        m = self.cash.metrics
        return {
            "capex_usd": self.capex.total,
            "fixed_capital_usd": self.capex.fixed_capital,
            "estimate_class": self.capex.estimate_class,
            "capex_accuracy": list(self.capex.accuracy),
            "capex_range_usd": [
                self.capex.total + self.capex.fixed_capital * self.capex.accuracy[0],
                self.capex.total + self.capex.fixed_capital * self.capex.accuracy[1],
            ],
            "capex_by_area_usd": self.capex.by_area(),
            "capex_build_up_usd": dict(self.capex.build_up),
            "opex_usd_per_yr": self.opex.total,
            "revenue_usd_per_yr": self.revenue_total,
            "npv_usd": m.npv,
            "irr": m.irr,
            "payback_yr": m.payback_yr,
            "discounted_payback_yr": m.discounted_payback_yr,
            "cost_usd_per_kg_reo": m.levelised_cost,
            "min_selling_price_usd_per_kg_reo": m.min_selling_price,
            "operators": self.opex.operators,
            "headcount": self.opex.staffing.summary(),
            "equipment_outside_correlation_range": self.capex.out_of_range(),
        }

    def cost_breakdown(self) -> dict[str, np.ndarray]:
        """The levelised cost by line [USD/kg REO], adding up to it: the capital charge (capital
        net of grant and salvage), land and working capital, start-up, then each operating-cost
        line, its share of the variable or fixed costs' levelised part (every variable line
        scales with output and every fixed line with the trains built, so the shares hold in
        every year)."""
        parts = self.cash.metrics.levelised_parts
        out = {
            "capital charge": parts["capital"],
            "land and working capital": parts["land and working capital"],
            "start-up": parts["start-up"],
        }
        o = self.opex
        for line, usd in o.lines.items():
            kind, total = (
                ("variable", o.variable_total) if line in o.variable else ("fixed", o.fixed_total)
            )
            out[line] = parts[kind] * safe_ratio(usd, total)
        return out

    def to_twd(self, usd) -> np.ndarray:
        """USD -> TWD at the exchange rate of the parameters."""
        return usd_to_twd(usd, self.exchange_rate)


def evaluate(
    result,
    energy,
    econ: EconomicsParams,
    library: CostLibrary | None = None,
    output=None,
    plan: Schedule | None = None,
) -> Economics:
    """Cost and value the plant of FlowsheetResult ``result`` with its EnergyResult ``energy`` (see
    the plant.costing modules); ``output`` (..., n_years): capacity factor of each year of the build
    schedule [-] (by default the installed capacity; :mod:`plant.capacity` holds it to the feed
    supply); ``plan``: that build schedule, if already made (by default made from ``econ``)."""
    lib = library or cost_library()
    cp = econ.capex
    lines = equipment_list(result, energy)
    variable = variable_costs(result, energy, econ)
    capex = capital_cost(lines, lib, cp, first_fill(result, econ.reagents), variable.variable_total)
    opex = operating_cost(variable, lines, capex.fixed_capital, econ)
    prices = product_prices(result, econ)
    revenue = {
        p.name: result.annual_t(result.product_stream(p).mass_flow) * 1000.0 * prices[p.name]
        for p in result.products
    }
    if result.sold:
        revenue[SCRAP_SALES] = scrap_sales(result, econ) * result.annual_t(1.0) * 1000.0
    reo = result.reo_t_per_yr() * 1000.0
    costs = ProjectCosts(
        capex.fixed_capital,
        capex.working_capital,
        capex.startup,
        capex.land,
        sum(revenue.values(), np.asarray(0.0)),
        opex.variable_total,
        opex.fixed_total,
        reo,
    )
    plan = plan if plan is not None else schedule(econ.build, econ.finance)
    return Economics(
        capex,
        opex,
        prices,
        revenue,
        cash_flow(costs, econ.finance, plan, output),
        reo,
        econ.exchange_rate,
        plan,
    )
