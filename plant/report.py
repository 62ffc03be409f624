"""Results for people and programs: the JSON contract (DESIGN.md) and a text summary."""

from __future__ import annotations

import numpy as np

from plant import i18n
from plant.chemistry import RARE_EARTHS
from plant.costing.revenue import on_spec, purity_spec
from plant.flowsheets.result import FlowsheetResult
from plant.flowsheets.services import effluent_summary, residues_summary
from plant.jsonout import plain, with_reasons
from plant.numerics import safe_ratio
from plant.reagents import REAGENTS
from plant.separation_report import separation_train
from plant.uom import SECONDS_PER_YEAR, usd_to_twd


def summary(ev, routes: dict | None = None) -> dict:
    """The JSON-contract dictionary of a model.Evaluation (lists of N values for a batch); with
    ``routes`` (model.compare_routes), the routes compared under ``routes.<name>``."""
    result, params, econ = ev.flowsheet, ev.params, ev.economics
    sx = params.solvent_extraction
    products = {}
    for prod in result.products:
        products[prod.name] = {
            "t_per_yr": result.product_t_per_yr(prod),
            "reo_t_per_yr": result.reo_t_per_product(prod),
            "purity": result.purity(prod),
            "purity_spec": purity_spec(prod, params.economics),
            "on_spec": on_spec(result, prod, params.economics),
            "price_usd_per_kg": econ.prices[prod.name],
        }
    sort = result.units["sorting"]
    out = {
        "scenario": params.scenario.name,
        "off_spec_statement": params.scenario.off_spec,
        "capacity": ev.capacity.summary(),
        "products": products,
        "economics": {
            **econ.summary(),
            "cost_breakdown_usd_per_kg_reo": econ.cost_breakdown(),
        },
        "effluent": effluent_summary(result, params.services),
        "residues": residues_summary(result, params.services),
        "energy": {
            **ev.energy.summary(),
            "supply_chain_by_reagent_t_per_yr": ev.energy.supply_chain_co2(),
            "units": energy_units(ev.energy),
        },
        "feed": {
            "magnet_scrap_t_per_yr": result.annual_t(scrap_kg_per_s(sort)),
            "to_short_loop_t_per_yr": result.annual_t(sort.outlets["short_loop"].mass_flow),
            "to_hydromet_t_per_yr": result.annual_t(sort.outlets["hydromet"].mass_flow),
            "disassembly_workers": econ.opex.disassembly_workers,
        },
        "recovery": result.rare_earth_recovery(),
        "separation_train": separation_train(
            result,
            econ.capex,
            params.economics.reagents,
            sx.designed,
        ),
        "mass_balance": {
            "max_relative_element_imbalance": result.max_imbalance(),
            "units": result.unit_imbalances(),
        },
    }
    if "machining" in result.units:
        out["short_loop"] = short_loop_summary(result)
    if routes:
        out["routes"] = {name: route_summary(r) for name, r in routes.items()}
    return with_reasons(plain(out))


def scrap_kg_per_s(sort) -> np.ndarray:
    """Magnet scrap the sorting unit takes [kg/s]: the sum of its inlets (one per source)."""
    return sum((s.mass_flow for s in sort.inlets.values()), np.asarray(0.0))


def short_loop_summary(result: FlowsheetResult) -> dict:
    """What the short loop takes, makes and buys [t/yr]; ``magnet_yield`` = magnets / sorted magnets
    [-]."""
    u = result.units
    sorted_ = result.annual_t(u["hydrogen_decrepitation"].inlets["magnets"].mass_flow)
    magnets = u["machining"].outlets["magnets"]
    re_rows = [result.registry.element_index(e) for e in RARE_EARTHS]
    re_kg = (
        magnets.elements()[..., re_rows]
        @ result.registry.molar_mass[[result.registry.index(e) for e in RARE_EARTHS]]
    )
    use = result.reagents()
    return {
        "sorted_magnets_t_per_yr": sorted_,
        "magnets_t_per_yr": result.annual_t(magnets.mass_flow),
        "rare_earth_in_magnets_t_per_yr": result.annual_t(re_kg),
        "magnet_yield": safe_ratio(result.annual_t(magnets.mass_flow), sorted_),
        "fresh_rare_earth_t_per_yr": result.annual_t(use["fresh_rare_earth"]),
        "hydrogen_t_per_yr": result.annual_t(use["hydrogen"]),
        "argon_t_per_yr": result.annual_t(use["argon"]),
        "residues_to_hydromet_t_per_yr": result.annual_t(
            u["short_loop_residues"].outlets["mixed"].mass_flow
        ),
    }


def route_summary(ev) -> dict:
    """One route of model.compare_routes: feed, products, REO-equivalent capacity and economics."""
    result, e = ev.flowsheet, ev.economics.summary()
    return {
        "magnet_scrap_t_per_yr": result.annual_t(scrap_kg_per_s(result.units["sorting"])),
        "products": {
            p.name: {
                "t_per_yr": result.product_t_per_yr(p),
                "reo_t_per_yr": result.reo_t_per_product(p),
            }
            for p in result.products
        },
        "reo_t_per_yr": result.reo_t_per_yr(),
        **{
            k: e[k]
            for k in (
                "capex_usd",
                "opex_usd_per_yr",
                "revenue_usd_per_yr",
                "npv_usd",
                "irr",
                "cost_usd_per_kg_reo",
            )
        },
    }


def reagent_use(result: FlowsheetResult) -> dict[str, np.ndarray]:
    """Yearly reagent and water use [t/yr] by display name (100 % basis), the reagents in use
    only."""
    return {
        REAGENTS[k].label: result.annual_t(v)
        for k, v in result.reagents().items()
        if np.any(np.asarray(v) != 0)
    }


def energy_units(energy) -> dict:
    """Per hot unit: temperature, heat duty, surplus, wall loss [kW] and how the duty is met."""
    return {
        name: {
            "method": u.method,
            "temperature_K": u.balance.temperature_K,
            "duty_kw": u.balance.duty_W / 1e3,
            "surplus_kw": u.balance.surplus_W / 1e3,
            "wall_loss_kw": u.balance.wall_loss_W / 1e3,
        }
        for name, u in energy.heated.items()
    }


def energy_text(s: dict) -> list[str]:
    """Lines of the energy summary, from the JSON-contract dictionary ``s``."""
    e = s["energy"]
    lines = [
        "Energy (a year at full output)",
        f"  Electricity               {e['electricity_kwh_per_yr'] / 1e6:10,.2f} GWh   "
        f"({e['electricity_kwh_per_kg_reo']:.2f} kWh/kg REO)",
        f"  Natural gas               {e['natural_gas_nm3_per_yr'] / 1e3:10,.1f} thousand Nm3",
        f"  CO2, fuel and grid        {e['co2_t_per_yr']:10,.0f} t   "
        f"({e['co2_kg_per_kg_reo']:.2f} kg/kg REO)",
        f"  CO2 released by the process {e['co2_process_t_per_yr']:8,.0f} t (oxalate calcination)",
        f"  CO2e of making the reagents {e['co2_supply_chain_t_per_yr']:8,.0f} t (cradle to gate; "
        f"{_largest(e['supply_chain_by_reagent_t_per_yr'])}); with fuel and grid "
        f"{e['co2_with_supply_chain_kg_per_kg_reo']:.1f} kg/kg REO",
        "  Hot unit                  T degC   duty kW  surplus kW  heated by",
    ]
    for name, u in e["units"].items():
        lines.append(
            f"    {name:<22} {u['temperature_K'] - 273.15:7.0f} {u['duty_kw']:9,.1f} "
            f"{u['surplus_kw']:11,.1f}  {u['method'].replace('_', ' ')}"
        )
    return lines


def _money(usd) -> str:
    return "n/a" if usd is None else f"{usd / 1e6:10,.1f} MUSD"


def economics_text(s: dict, twd_per_usd: float) -> list[str]:
    """Lines of the economics summary, from the JSON-contract dictionary ``s``."""
    e = s["economics"]
    twd = lambda usd: f"{float(usd_to_twd(usd, twd_per_usd)) / 1e9:8,.2f} billion TWD"
    irr = (
        "none (the cash flow never turns positive)"
        if e["irr"] is None
        else f"{e['irr'] * 100:.1f} %"
    )
    payback = "never" if e["payback_yr"] is None else f"{e['payback_yr']:.1f} yr after start-up"
    lines = [
        "Economics (USD of the analysis year; nominal cash flow)",
        f"  Total capital investment  {_money(e['capex_usd'])}   ({twd(e['capex_usd'])})",
        f"    AACE class {e['estimate_class']} estimate, {e['capex_accuracy'][0]:+.0%} to "
        f"{e['capex_accuracy'][1]:+.0%} on fixed capital: "
        f"{e['capex_range_usd'][0] / 1e6:,.1f} to {e['capex_range_usd'][1] / 1e6:,.1f} MUSD",
        f"  Fixed capital             {_money(e['fixed_capital_usd'])}",
        "    installed equipment by area: "
        + ", ".join(f"{a} {v / 1e6:,.2f}" for a, v in e["capex_by_area_usd"].items())
        + " MUSD",
        f"  Operating cost            {_money(e['opex_usd_per_yr'])} a year at full output",
        f"  Revenue                   {_money(e['revenue_usd_per_yr'])} a year at full output",
        f"  NPV                       {_money(e['npv_usd'])}",
        f"  IRR                       {irr}",
        f"  Payback                   {payback}",
        f"  Levelised cost            {e['cost_usd_per_kg_reo']:10,.2f} USD/kg REO",
        f"  Minimum selling price     {e['min_selling_price_usd_per_kg_reo']:10,.2f} USD/kg REO"
        if e["min_selling_price_usd_per_kg_reo"] is not None
        else "  Minimum selling price     n/a",
        staff_line(e["headcount"]),
    ]
    lines += cost_drivers(e)
    lines.append(effluent_line(s["effluent"]))
    hot = radioactivity_sentence(s["residues"])
    if hot:
        lines.append(f"  Radioactivity             {hot}")
    if e["equipment_outside_correlation_range"]:
        lines.append(
            "  Sized outside the range of its cost correlation (priced at the range's edge): "
            + ", ".join(e["equipment_outside_correlation_range"])
        )
    return lines


def effluent_line(f: dict) -> str:
    """The effluent sentence: route, flow and NH3-N against the limit."""
    if f["route"] == "zld":
        return (
            f"  Effluent                  {f['flow_m3_per_d']:10,.0f} m3/d to zero liquid "
            f"discharge: {f['salt_t_per_yr']:,.0f} t/yr of salts landfilled"
        )
    verdict = "within" if f["within_limits"] else "ABOVE"
    return (
        f"  Effluent                  {f['flow_m3_per_d']:10,.0f} m3/d neutralised and discharged; "
        f"NH3-N {f['ammonia_nitrogen_mg_per_l']:.1f} mg/L, {verdict} the "
        f"{f['ammonia_nitrogen_limit_mg_per_l']:.0f} mg/L limit"
    )


def radioactivity_sentence(r: dict, lang: str = i18n.DEFAULT) -> str | None:
    """What the thorium and uranium mean for licensing and disposal, or None where nothing is
    radioactive: feeds that are nuclear source material, residues above the exemption level."""
    parts = []
    licensed = [n for n, f in r["feeds"].items() if f["nuclear_source_material"]]
    if licensed:
        shares = ", ".join(
            f"{n} (U + Th {r['feeds'][n]['uranium_thorium_share'] * 100:.3f} %)" for n in licensed
        )
        parts.append(
            i18n.tr(
                "{feeds} is nuclear source material in Taiwan (U + Th of {limit} % or more): "
                "holding and processing it needs a licence",
                lang,
                feeds=shares,
                limit=f"{r['source_material_share'] * 100:g}",
            )
        )
    hot = [n for n, o in r["outputs"].items() if o["radioactive"]]
    if r["zld_salts_radioactive"]:
        hot.append(i18n.tr("the zero-liquid-discharge salts", lang))
    if hot:
        parts.append(
            i18n.tr(
                "{tonnes} t/yr of residue above {limit} Bq/g ({which}) goes to radioactive-waste "
                "disposal",
                lang,
                tonnes=i18n.number(r["radioactive_residue_t_per_yr"], 0, lang),
                limit=f"{r['exemption_bq_per_g']:g}",
                which=", ".join(hot),
            )
        )
    return i18n.tr("; ", lang).join(parts) + i18n.tr(".", lang) if parts else None


def staff_line(h: dict) -> str:
    """The headcount sentence of the staffing plan."""
    roles = ", ".join(f"{role} {n:,.0f}" for role, n in h["by_role"].items() if n > 0)
    return f"  Staff                     {h['total']:10,.0f} people ({roles})"


def short_loop_text(s: dict) -> list[str]:
    """Lines of the short-loop summary, from the JSON-contract dictionary ``s``."""
    sl = s["short_loop"]
    return [
        "Short loop (magnet to magnet)",
        f"  Sorted magnets in         {sl['sorted_magnets_t_per_yr']:10,.1f} t/yr",
        f"  New magnets out           {sl['magnets_t_per_yr']:10,.1f} t/yr   "
        f"({sl['magnet_yield'] * 100:.1f} % yield; "
        f"{sl['rare_earth_in_magnets_t_per_yr']:,.1f} t/yr rare earth)",
        f"  Fresh NdPr metal bought   {sl['fresh_rare_earth_t_per_yr']:10,.1f} t/yr",
        f"  Residues to hydromet      {sl['residues_to_hydromet_t_per_yr']:10,.1f} t/yr "
        "(coating, fines, rejects, swarf)",
    ]


ROUTE_TITLES = {
    "hydromet": "hydromet alone",
    "short_loop": "short loop alone",
    "combined": "combined",
}


def routes_text(s: dict) -> list[str]:
    """Lines of the route comparison (same feed), from the JSON-contract dictionary ``s``."""
    lines = [
        "Routes compared on the same feed   scrap t/yr   REO-eq t/yr   CAPEX MUSD   "
        "cost USD/kg REO   NPV MUSD"
    ]
    for name, r in s["routes"].items():
        cost = "n/a" if r["cost_usd_per_kg_reo"] is None else f"{r['cost_usd_per_kg_reo']:,.1f}"
        npv = "n/a" if r["npv_usd"] is None else f"{r['npv_usd'] / 1e6:,.1f}"
        lines.append(
            f"  {ROUTE_TITLES.get(name, name):<32} {r['magnet_scrap_t_per_yr']:10,.0f} "
            f"{r['reo_t_per_yr']:13,.1f} {r['capex_usd'] / 1e6:12,.1f} {cost:>17} {npv:>10}"
        )
    return lines


def cost_drivers(e: dict, n: int = 3) -> list[str]:
    """Lines on what the levelised cost is made of: one sentence naming the ``n`` largest lines,
    then every line of 1 % or more of it, largest first (USD/kg REO)."""
    by = e["cost_breakdown_usd_per_kg_reo"]
    total = e["cost_usd_per_kg_reo"]
    if total is None or total <= 0:
        return []
    ranked = sorted(by.items(), key=lambda kv: -kv[1])
    top = ", ".join(f"{k} ({v:,.1f} USD/kg, {v / total:.0%})" for k, v in ranked[:n])
    out = [f"  What the cost is made of: {top}."]
    out += [f"    {k:<34} {v:8,.2f} USD/kg" for k, v in ranked if abs(v) >= 0.01 * total]
    rest = sum(v for _, v in ranked if abs(v) < 0.01 * total)
    out.append(f"    {'other lines (each under 1 %)':<34} {rest:8,.2f} USD/kg")
    return out


def _largest(by: dict, n: int = 2) -> str:
    """The ``n`` largest entries of ``by`` (name -> t/yr) as words, with their share."""
    total = sum(by.values()) or 1.0
    top = sorted(by.items(), key=lambda kv: -kv[1])[:n]
    return ", ".join(f"{REAGENTS[k].label} {v / total:.0%}" for k, v in top)


def tonnes(x: float) -> str:
    """A tonnage in digits that suit it: whole tonnes from 100, else three significant digits
    (a pilot's 0.493 t/yr is not '0')."""
    return f"{x:,.0f}" if abs(x) >= 100 or x == 0 else f"{x:,.3g}"


def percent(x: float) -> str:
    """A share as a percentage with digits that suit it (0.03 %, not 0 %)."""
    p = x * 100
    return f"{p:.0f} %" if abs(p) >= 10 or p == 0 else f"{p:.2g} %"


def verdict(c: dict, lang: str = i18n.DEFAULT) -> str:
    """One line in plain words on the target, from the ``capacity`` keys of the JSON contract."""
    share = target_words(c, lang)
    year = f"{c['target_year']:.0f}"
    if c["target_met"]:
        return i18n.tr(
            "Meets the target ({share}) in {year}: {made} of {target} t/yr on spec.",
            lang,
            share=share,
            year=year,
            made=tonnes(c["on_spec_reo_t_per_yr"]),
            target=tonnes(c["target_t_per_yr"]),
        )
    later = (
        i18n.tr("; first met in {year}", lang, year=f"{c['year_target_met']:.0f}")
        if c["year_target_met"] is not None
        else i18n.tr("; not met in any year of the plant's life", lang)
    )
    why = i18n.limited_by(c["limited_by"], lang)
    if c["off_spec_reo_t_per_yr"] > 1e-9 * max(c["reo_t_per_yr"], 1.0):
        why += i18n.tr(
            "; {tonnes} t/yr made off spec does not count",
            lang,
            tonnes=tonnes(c["off_spec_reo_t_per_yr"]),
        )
    return i18n.tr(
        "Short of the target ({share}) by {short} t/yr in {year} ({why}){later}.",
        lang,
        share=share,
        short=tonnes(c["shortfall_t_per_yr"]),
        year=year,
        why=why,
        later=later,
    )


def target_words(c: dict, lang: str = i18n.DEFAULT) -> str:
    """The target in words: its share and what it counts (the ``capacity`` keys)."""
    if c["target_basis"] == "magnet":
        return i18n.tr(
            "{share} % of the demand for magnet rare earths (Nd, Pr, Dy, Tb)",
            lang,
            share=f"{c['target_share'] * 100:.0f}",
        )
    if c["target_basis"] == "elements":
        each = ", ".join(f"{e} {x * 100:.0f} %" for e, x in c["target_elements"].items())
        return i18n.tr("each element's share of its demand: {each}", lang, each=each)
    return i18n.tr("{share} of demand", lang, share=percent(c["target_share"]))


def element_lines(c: dict) -> list[str]:
    """The table of demand, on-spec output and coverage by element in the target year."""
    lines = ["  Element   demand t/yr   on-spec output   coverage"]
    for e, v in c["by_element"].items():
        if v["demand_t_per_yr"] > 0 or v["output_t_per_yr"] > 0:
            lines.append(
                f"    {e:<7} {v['demand_t_per_yr']:12,.1f} {v['output_t_per_yr']:16,.1f} "
                f"{v['coverage'] * 100:9.1f} %"
            )
    return lines


def disruption_line(x: dict) -> str:
    """Should imports of separated rare earths stop: what the plant covers, and the reserve."""
    covered = ", ".join(
        f"{e} {v['covered_share'] * 100:.0f} %"
        for e, v in x["by_element"].items()
        if v["covered_share"] > 0 and v["demand_t_per_yr"] > 0
    )
    return (
        f"  Should imports of separated rare earths stop in {x['year']:.0f}, the plant covers "
        f"{covered or 'no element'}; a {x['months']:g}-month reserve of the rest is "
        f"{x['reserve_t']:,.0f} t ({x['reserve_usd'] / 1e6:,.1f} MUSD)"
    )


def capacity_text(s: dict) -> list[str]:
    """Lines on capacity against the target: the verdict, the elements, the supplies and the
    years."""
    c = s["capacity"]
    lines = [
        "Capacity against the domestic-demand target (REO equivalent)",
        "  " + verdict(c),
        f"  {c['target_year']:.0f}: demand {c['demand_t_per_yr']:,.0f} t/yr, "
        f"target {c['target_t_per_yr']:,.0f}, output {c['reo_t_per_yr']:,.0f}, "
        f"counted toward the target {c['on_spec_reo_t_per_yr']:,.0f} "
        f"({c['coverage_of_demand'] * 100:.1f} % of demand); installed "
        f"{c['installed_share'] * 100:.0f} % of the plant (nameplate "
        f"{c['nameplate_all_products_t_per_yr']:,.0f} t/yr, "
        f"{c['nameplate_t_per_yr']:,.0f} of it on spec); "
        f"the supply would support {c['feed_supported_t_per_yr']:,.0f}",
        (
            f"  To meet it then: a nameplate of {c['nameplate_needed_t_per_yr']:,.0f} t/yr "
            f"on this build schedule, and {c['feed_needed_t_per_yr']:,.0f} t/yr of feed in the "
            "design mix"
            if c["nameplate_needed_t_per_yr"] is not None
            else "  To meet it then: no product is on spec, so no nameplate meets the target"
        ),
        *element_lines(c),
        disruption_line(c["disruption"]),
        "  Supply (t/yr)              design   available   domestic   intake",
    ]
    for name, v in c["supplies"].items():
        lines.append(
            f"    {name:<22} {v['design_t_per_yr']:10,.0f} {v['available_t_per_yr']:11,.0f} "
            f"{v['domestic_t_per_yr']:10,.0f} {v['intake_t_per_yr']:8,.0f}"
        )
    y = c["by_year"]
    lines.append("  Year   demand   target  installed   output  on spec  coverage  limited by")
    for i, year in enumerate(y["year"]):
        if i > 0 and year > c["target_year"] + 6:
            break
        lines.append(
            f"  {year:.0f} {y['demand_t_per_yr'][i]:8,.0f} {y['target_t_per_yr'][i]:8,.0f} "
            f"{y['installed_t_per_yr'][i]:10,.0f} {y['reo_t_per_yr'][i]:8,.0f} "
            f"{y['on_spec_reo_t_per_yr'][i]:8,.0f} "
            f"{y['coverage_of_demand'][i] * 100:8.1f} %  {y['limited_by'][i]}"
        )
    return lines


def text(ev, routes: dict | None = None) -> str:
    """A readable summary of a scalar model.Evaluation (and of the ``routes`` compared, if
    given)."""
    result, params = ev.flowsheet, ev.params
    s = summary(ev, routes)
    c = s["capacity"]
    lines = [f"Scenario: {s['scenario']} - {params.scenario.description}", ""]
    lines.append(
        f"Magnet scrap feed      {s['feed']['magnet_scrap_t_per_yr']:10,.0f} t/yr"
        f"  (sorted magnets: {s['feed']['to_short_loop_t_per_yr']:,.0f} t/yr to the short loop, "
        f"{s['feed']['to_hydromet_t_per_yr']:,.0f} t/yr to the hydromet route)"
    )
    lines.append(
        f"REO output             {tonnes(c['nameplate_all_products_t_per_yr']):>10} t/yr at "
        f"nameplate (REO equivalent; {tonnes(c['nameplate_t_per_yr'])} of it on spec)"
    )
    lines.append(
        f"Operating availability {float(np.asarray(params.plant.availability)) * 100:10.1f} %"
        f"  ({float(np.asarray(params.plant.availability)) * SECONDS_PER_YEAR / 3600:,.0f} h/yr)"
    )
    lines.append("")
    lines.append("Products                     t/yr    purity     USD/kg  spec")
    for name, p in s["products"].items():
        spec = (
            "by grade"
            if p["purity_spec"] is None
            else f"{'on spec' if p['on_spec'] else 'OFF SPEC'} ({p['purity_spec'] * 100:g} %)"
        )
        lines.append(
            f"  {name:<20} {p['t_per_yr']:10,.1f}  {p['purity'] * 100:7.3f} %  "
            f"{p['price_usd_per_kg']:9,.2f}  {spec}"
        )
    if s["off_spec_statement"]:
        lines.append(f"  Off spec by design: {s['off_spec_statement']}")
    lines.append("")
    lines.append("Rare-earth recovery, feed to product")
    rec = {e: v for e, v in s["recovery"].items() if v > 0}
    lines.append("  " + "  ".join(f"{e} {v * 100:.1f} %" for e, v in rec.items()))
    lines.append("")
    lines.append("Reagents                          t/yr")
    for name, v in reagent_use(result).items():
        lines.append(f"  {name:<28} {float(v):10,.1f}")
    lines.append("")
    lines.extend(capacity_text(s))
    lines.append("")
    if "short_loop" in s:
        lines.extend(short_loop_text(s))
        lines.append("")
    lines.extend(energy_text(s))
    lines.append("")
    lines.extend(economics_text(s, float(params.economics.exchange_rate)))
    lines.append("")
    if "routes" in s:
        lines.extend(routes_text(s))
        lines.append("")
    lines.append(
        "Element balance: largest relative imbalance "
        f"{s['mass_balance']['max_relative_element_imbalance']:.1e}"
    )
    return "\n".join(lines)
