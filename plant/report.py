"""Results for people and programs: the JSON contract (DESIGN.md) and a text summary."""
from __future__ import annotations

from typing import Any

import numpy as np

from plant.flowsheets.result import FlowsheetResult
from plant.uom import SECONDS_PER_YEAR


def _plain(x) -> Any:
    """numpy scalars/arrays -> float / list (JSON-ready)."""
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, str) or x is None:
        return x
    a = np.asarray(x)
    if a.dtype == bool:
        return a.tolist()
    if a.ndim == 0:
        return float(a)
    return a.astype(float).tolist()


def summary(result: FlowsheetResult, params) -> dict:
    """The JSON-contract dictionary for a result (lists of N values for a batch)."""
    products = {}
    for prod in result.products:
        products[prod.name] = {
            "t_per_yr": result.product_t_per_yr(prod),
            "purity": result.purity(prod),
        }
    feed = result.units["feed_preparation"].design["scrap_kg_per_s"]
    return _plain({
        "scenario": params.scenario.name,
        "capacity": {"reo_t_per_yr": result.reo_t_per_yr()},
        "products": products,
        "feed": {"magnet_scrap_t_per_yr": result.annual_t(feed)},
        "recovery": result.rare_earth_recovery(),
        "mass_balance": {
            "max_relative_element_imbalance": result.max_imbalance(),
            "units": result.unit_imbalances(),
        },
    })


def reagent_use(result: FlowsheetResult) -> dict[str, np.ndarray]:
    """Yearly reagent and water use [t/yr] from the units' design records (100 % basis)."""
    d = {name: u.design for name, u in result.units.items()}
    total = lambda key, where=lambda r: True: sum(r[key] for r in d.values() if key in r and where(r))
    acid = d["leaching"]["acid"]
    lines = {
        f"{acid} (100 %)": d["leaching"]["acid_kg_per_s"] + total("acid_kg_per_s", lambda r: "acid_species" in r),
        "NaOH (100 %)": d["impurity_removal"]["naoh_kg_per_s"]
        + total("saponification_reagent_kg_per_s", lambda r: r["saponification_reagent"] == "NaOH"),
        "NH3 (100 %)": total("saponification_reagent_kg_per_s", lambda r: r["saponification_reagent"] == "NH3"),
        "H2O2 (100 %)": d["impurity_removal"]["h2o2_kg_per_s"],
        "oxalic acid dihydrate": total("oxalic_dihydrate_kg_per_s"),
        "SX extractant make-up": total("extractant_loss_kg_per_s"),
        "SX diluent make-up": total("diluent_loss_kg_per_s"),
        "process and wash water": d["leaching"]["water_kg_per_s"] + total("wash_water_kg_per_s"),
    }
    return {k: result.annual_t(v) for k, v in lines.items() if np.any(np.asarray(v) != 0)}


def text(result: FlowsheetResult, params) -> str:
    """A readable summary of a scalar result."""
    s = summary(result, params)
    lines = [f"Scenario: {s['scenario']} - {params.scenario.description}", ""]
    lines.append(f"Magnet scrap feed      {s['feed']['magnet_scrap_t_per_yr']:10,.0f} t/yr")
    lines.append(f"REO output             {s['capacity']['reo_t_per_yr']:10,.0f} t/yr")
    lines.append(f"Operating availability {float(np.asarray(params.plant.availability)) * 100:10.1f} %"
                 f"  ({float(np.asarray(params.plant.availability)) * SECONDS_PER_YEAR / 3600:,.0f} h/yr)")
    lines.append("")
    lines.append("Products                     t/yr    purity")
    for name, p in s["products"].items():
        lines.append(f"  {name:<20} {p['t_per_yr']:10,.1f}  {p['purity'] * 100:7.3f} %")
    lines.append("")
    lines.append("Rare-earth recovery, feed to product")
    rec = {e: v for e, v in s["recovery"].items() if v > 0}
    lines.append("  " + "  ".join(f"{e} {v * 100:.1f} %" for e, v in rec.items()))
    lines.append("")
    lines.append("Reagents                          t/yr")
    for name, v in reagent_use(result).items():
        lines.append(f"  {name:<28} {float(v):10,.1f}")
    lines.append("")
    lines.append(f"Element balance: largest relative imbalance {s['mass_balance']['max_relative_element_imbalance']:.1e}")
    return "\n".join(lines)
