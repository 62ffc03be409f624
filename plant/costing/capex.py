"""Capital cost: purchased equipment -> installed -> direct and indirect costs -> fixed capital ->
total, with the estimate's AACE class and accuracy range.

Two routes to the fixed capital investment (FCI), chosen by ``economics.capex.method``:

- ``bare_module``: each item installed at its own factor (installed = purchased x install_factor;
  the bare-module factors hold piping, instruments and control, electrical, erection and the
  contractor's engineering), by plant area, the plant-wide services outside the battery limits
  (effluent treatment, tank farm) among them. Buildings, yard and site, and service facilities
  (utilities) are shares of the installed cost of the process areas (not of the services, which
  service facilities would otherwise hold); with the laboratory and the first fill of the SX
  organic this is the direct cost D. Engineering, construction and the contractor's fee are shares
  of D (indirect cost I). The location factor moves D + I from the US Gulf Coast, where the
  correlations are based; owner's costs are a share of that, and contingency a share of it all.
- ``lang``: FCI = lang_factor x purchased equipment (the Lang factor covers installation, piping,
  instruments, buildings, engineering and contingency), plus the initial organic charge, times the
  location factor.

Working capital: a share of FCI plus ``stock_time`` of the variable operating cost (feed, reagents
and product held, money owed by customers); start-up a share of FCI; the land at its price.
Total capital investment TCI = FCI + working capital + start-up + land.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.costing.equipment import CostLibrary, PricedItem
from plant.costing.parameters import CapexParams
from plant.costing.plant_equipment import OUTSIDE, EquipmentLine
from plant.numerics import pick
from plant.uom import SECONDS_PER_YEAR


@dataclass(frozen=True)
class Capex:
    """Capital cost [USD, analysis year], every value scalar or (N,).

    equipment : the priced equipment list
    build_up : the lines from purchased equipment to the total, in order ('fixed capital', 'total
        capital investment' and the subtotals included; see ``SUBTOTALS``)
    """

    equipment: list[tuple[EquipmentLine, PricedItem]]
    build_up: dict[str, np.ndarray]
    estimate_class: int = 4
    accuracy: tuple[float, float] = (-0.3, 0.5)

    SUBTOTALS = (
        "installed equipment",
        "direct cost",
        "indirect cost",
        "fixed capital",
        "total capital investment",
    )

    @property
    def fixed_capital(self) -> np.ndarray:
        return self.build_up["fixed capital"]

    @property
    def working_capital(self) -> np.ndarray:
        return self.build_up["working capital"]

    @property
    def startup(self) -> np.ndarray:
        return self.build_up["start-up"]

    @property
    def land(self) -> np.ndarray:
        return self.build_up["land"]

    @property
    def total(self) -> np.ndarray:
        return self.build_up["total capital investment"]

    def by_area(self) -> dict[str, np.ndarray]:
        """Installed equipment cost by plant area [USD], in flow order."""
        out: dict[str, np.ndarray] = {}
        for line, priced in self.equipment:
            out[line.area] = out.get(line.area, 0.0) + priced.installed
        return {k: np.asarray(v, dtype=float) for k, v in out.items()}

    def out_of_range(self) -> list[str]:
        """Tags of equipment whose size lies outside its correlation's range (in any sample)."""
        return [line.tag for line, priced in self.equipment if np.any(priced.out_of_range)]

    def equipment_frame(self, sample: int | None = None):
        """Equipment table (pandas): tag, item, size, units, purchased and installed cost [USD],
        range flag."""
        import pandas as pd

        rows = [
            {
                "equipment": line.tag,
                "area": line.area,
                "unit": line.unit,
                "item": line.item,
                "material": pick(priced.material, sample),
                "size_si": pick(line.size, sample),
                "units": pick(priced.units, sample),
                "purchased_usd": pick(priced.purchased, sample),
                "installed_usd": pick(priced.installed, sample),
                "outside_range": bool(pick(priced.out_of_range, sample)),
                "source": priced.item.source,
            }
            for line, priced in self.equipment
        ]
        return pd.DataFrame(rows)

    def frame(self, sample: int | None = None):
        """Build-up table (pandas): line, USD; subtotals marked."""
        import pandas as pd

        return pd.DataFrame(
            [
                {"line": k, "usd": pick(v, sample), "subtotal": k in self.SUBTOTALS}
                for k, v in self.build_up.items()
            ]
        )


def first_fill(result, prices: dict) -> np.ndarray:
    """First fill of what the units hold [USD]: each unit's reagent inventory (the SX organic:
    extractant and diluent in the mixer-settlers) at the reagent ``prices`` [USD/kg]."""
    return sum(
        (
            kg * prices[reagent]
            for u in result.units.values()
            for reagent, kg in u.inventory.items()
        ),
        np.asarray(0.0),
    )


def capital_cost(
    lines: list[EquipmentLine],
    library: CostLibrary,
    p: CapexParams,
    initial_charge,
    variable_cost_per_yr,
) -> Capex:
    """Price the equipment ``lines`` and build the capital cost up to the total (see the module
    doc); ``initial_charge`` [USD], ``variable_cost_per_yr`` [USD/yr at full output]."""
    priced = [
        (line, library.price(line.item, line.size, line.count, line.service)) for line in lines
    ]
    purchased = sum(pr.purchased for _, pr in priced)
    installed = sum(pr.installed for _, pr in priced)
    b: dict[str, np.ndarray] = {"purchased equipment": purchased}
    if p.method == "bare_module":
        b["installation (bare-module factors)"] = installed - purchased
        b["installed equipment"] = installed
        # the shares apply to the process areas: the services outside the battery limits
        # (effluent treatment, tank farm) are what service facilities would otherwise cover
        process = sum(
            (pr.installed for line, pr in priced if line.area != OUTSIDE), np.asarray(0.0)
        )
        b["buildings"] = p.buildings * process
        b["yard improvements and site"] = p.yard_improvements * process
        b["service facilities (utilities)"] = p.service_facilities * process
        b["laboratory"] = np.asarray(p.laboratory)
        b["first fill of the SX organic"] = np.asarray(initial_charge)
        direct = b["direct cost"] = installed + sum(
            b[k]
            for k in (
                "buildings",
                "yard improvements and site",
                "service facilities (utilities)",
                "laboratory",
                "first fill of the SX organic",
            )
        )
        b["engineering"] = p.engineering * direct
        b["construction expenses"] = p.construction * direct
        b["contractor's fee"] = p.contractor_fee * direct
        indirect = b["indirect cost"] = (
            b["engineering"] + b["construction expenses"] + b["contractor's fee"]
        )
        b["location adjustment"] = (p.location_factor - 1.0) * (direct + indirect)
        base = direct + indirect + b["location adjustment"]
        b["owner's costs"] = p.owners_costs * base
        b["contingency"] = p.contingency * (base + b["owner's costs"])
        fci = base + b["owner's costs"] + b["contingency"]
    else:
        b["installation, buildings, engineering and contingency (Lang)"] = (
            p.lang_factor - 1.0
        ) * purchased
        b["first fill of the SX organic"] = np.asarray(initial_charge)
        b["location adjustment"] = (p.location_factor - 1.0) * (
            p.lang_factor * purchased + initial_charge
        )
        fci = (p.lang_factor * purchased + initial_charge) * p.location_factor
    b["fixed capital"] = fci
    b["working capital"] = (
        p.working_capital * fci + variable_cost_per_yr * p.stock_time / SECONDS_PER_YEAR
    )
    b["start-up"] = p.startup * fci
    b["land"] = np.asarray(p.land)
    b["total capital investment"] = fci + b["working capital"] + b["start-up"] + b["land"]
    return Capex(
        priced,
        {k: np.asarray(v, dtype=float) for k, v in b.items()},
        p.estimate_class,
        (p.accuracy_low, p.accuracy_high),
    )
