"""Results for people and programs: the JSON contract (DESIGN.md) and a text summary."""
from __future__ import annotations

from typing import Any

import numpy as np

from plant.flowsheets.result import FlowsheetResult
from plant.uom import SECONDS_PER_YEAR, usd_to_twd


def _plain(x) -> Any:
    """numpy scalars/arrays -> float / list (JSON-ready); NaN (a value that does not exist) -> None."""
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)) and all(isinstance(v, str) for v in x):
        return list(x)
    if isinstance(x, str) or x is None:
        return x
    a = np.asarray(x)
    if a.dtype == bool:
        return a.tolist()
    a = a.astype(float)
    if a.ndim == 0:
        return None if np.isnan(a) else float(a)
    return [None if np.isnan(v) else v for v in a.tolist()]


def summary(ev) -> dict:
    """The JSON-contract dictionary of a model.Evaluation (lists of N values for a batch)."""
    result, params, econ = ev.flowsheet, ev.params, ev.economics
    products = {}
    for prod in result.products:
        products[prod.name] = {
            "t_per_yr": result.product_t_per_yr(prod),
            "purity": result.purity(prod),
            "price_usd_per_kg": econ.prices[prod.name],
        }
    feed = result.units["feed_preparation"].design["scrap_kg_per_s"]
    return _plain({
        "scenario": params.scenario.name,
        "capacity": {"reo_t_per_yr": result.reo_t_per_yr()},
        "products": products,
        "economics": econ.summary(),
        "energy": {**ev.energy.summary(), "units": energy_units(ev.energy)},
        "feed": {"magnet_scrap_t_per_yr": result.annual_t(feed)},
        "recovery": result.rare_earth_recovery(),
        "mass_balance": {
            "max_relative_element_imbalance": result.max_imbalance(),
            "units": result.unit_imbalances(),
        },
    })


REAGENT_LABELS = {"HCl": "HCl (100 %)", "H2SO4": "H2SO4 (100 %)", "NaOH": "NaOH (100 %)", "NH3": "NH3 (100 %)",
                  "H2O2": "H2O2 (100 %)", "oxalic_acid_dihydrate": "oxalic acid dihydrate",
                  "extractant": "SX extractant make-up", "diluent": "SX diluent make-up",
                  "water": "process and wash water"}


def reagent_use(result: FlowsheetResult) -> dict[str, np.ndarray]:
    """Yearly reagent and water use [t/yr] by display name (100 % basis), the reagents in use only."""
    return {REAGENT_LABELS[k]: result.annual_t(v) for k, v in result.reagents().items() if np.any(np.asarray(v) != 0)}


def energy_units(energy) -> dict:
    """Per hot unit: temperature, heat duty, surplus, wall loss [kW] and how the duty is met."""
    return {name: {"method": u.method, "temperature_K": u.balance.temperature_K,
                   "duty_kw": u.balance.duty_W / 1e3, "surplus_kw": u.balance.surplus_W / 1e3,
                   "wall_loss_kw": u.balance.wall_loss_W / 1e3}
            for name, u in energy.heated.items()}


def energy_text(s: dict) -> list[str]:
    """Lines of the energy summary, from the JSON-contract dictionary ``s``."""
    e = s["energy"]
    lines = ["Energy (a year at full output)",
             f"  Electricity               {e['electricity_kwh_per_yr'] / 1e6:10,.2f} GWh   "
             f"({e['electricity_kwh_per_kg_reo']:.2f} kWh/kg REO)",
             f"  Natural gas               {e['natural_gas_nm3_per_yr'] / 1e3:10,.1f} thousand Nm3",
             f"  CO2, fuel and grid        {e['co2_t_per_yr']:10,.0f} t   ({e['co2_kg_per_kg_reo']:.2f} kg/kg REO)",
             f"  CO2 released by the process {e['co2_process_t_per_yr']:8,.0f} t (oxalate calcination)",
             "  Hot unit                  T degC   duty kW  surplus kW  heated by"]
    for name, u in e["units"].items():
        lines.append(f"    {name:<22} {u['temperature_K'] - 273.15:7.0f} {u['duty_kw']:9,.1f} {u['surplus_kw']:11,.1f}"
                     f"  {u['method'].replace('_', ' ')}")
    return lines


def _money(usd) -> str:
    return "n/a" if usd is None else f"{usd / 1e6:10,.1f} MUSD"


def economics_text(s: dict, twd_per_usd: float) -> list[str]:
    """Lines of the economics summary, from the JSON-contract dictionary ``s``."""
    e = s["economics"]
    twd = lambda usd: f"{float(usd_to_twd(usd, twd_per_usd)) / 1e9:8,.2f} billion TWD"
    irr = "none (the cash flow never turns positive)" if e["irr"] is None else f"{e['irr'] * 100:.1f} %"
    payback = "never" if e["payback_yr"] is None else f"{e['payback_yr']:.1f} yr after start-up"
    lines = ["Economics (USD of the analysis year; nominal cash flow)",
             f"  Total capital investment  {_money(e['capex_usd'])}   ({twd(e['capex_usd'])})",
             f"  Fixed capital             {_money(e['fixed_capital_usd'])}",
             f"  Operating cost            {_money(e['opex_usd_per_yr'])} a year at full output",
             f"  Revenue                   {_money(e['revenue_usd_per_yr'])} a year at full output",
             f"  NPV                       {_money(e['npv_usd'])}",
             f"  IRR                       {irr}",
             f"  Payback                   {payback}",
             f"  Levelised cost            {e['cost_usd_per_kg_reo']:10,.2f} USD/kg REO",
             f"  Minimum selling price     {e['min_selling_price_usd_per_kg_reo']:10,.2f} USD/kg REO"
             if e["min_selling_price_usd_per_kg_reo"] is not None else "  Minimum selling price     n/a"]
    if e["equipment_outside_correlation_range"]:
        lines.append("  Sized outside the range of its cost correlation (priced at the range's edge): "
                     + ", ".join(e["equipment_outside_correlation_range"]))
    return lines


def text(ev) -> str:
    """A readable summary of a scalar model.Evaluation."""
    result, params = ev.flowsheet, ev.params
    s = summary(ev)
    lines = [f"Scenario: {s['scenario']} - {params.scenario.description}", ""]
    lines.append(f"Magnet scrap feed      {s['feed']['magnet_scrap_t_per_yr']:10,.0f} t/yr")
    lines.append(f"REO output             {s['capacity']['reo_t_per_yr']:10,.0f} t/yr")
    lines.append(f"Operating availability {float(np.asarray(params.plant.availability)) * 100:10.1f} %"
                 f"  ({float(np.asarray(params.plant.availability)) * SECONDS_PER_YEAR / 3600:,.0f} h/yr)")
    lines.append("")
    lines.append("Products                     t/yr    purity     USD/kg")
    for name, p in s["products"].items():
        lines.append(f"  {name:<20} {p['t_per_yr']:10,.1f}  {p['purity'] * 100:7.3f} %  {p['price_usd_per_kg']:9,.2f}")
    lines.append("")
    lines.append("Rare-earth recovery, feed to product")
    rec = {e: v for e, v in s["recovery"].items() if v > 0}
    lines.append("  " + "  ".join(f"{e} {v * 100:.1f} %" for e, v in rec.items()))
    lines.append("")
    lines.append("Reagents                          t/yr")
    for name, v in reagent_use(result).items():
        lines.append(f"  {name:<28} {float(v):10,.1f}")
    lines.append("")
    lines.extend(energy_text(s))
    lines.append("")
    lines.extend(economics_text(s, float(params.economics.exchange_rate)))
    lines.append("")
    lines.append(f"Element balance: largest relative imbalance {s['mass_balance']['max_relative_element_imbalance']:.1e}")
    return "\n".join(lines)
