"""Text reports of the analyses, for the command line."""

from __future__ import annotations

import pandas as pd

from plant import i18n
from plant.analysis.batch import OUTPUTS


def _fmt(x, unit: str = "") -> str:
    if x is None:
        return "-"
    if unit in ("USD", "USD/yr"):
        return f"{x / 1e6:,.1f}"
    if unit == "-":
        return f"{x:.1%}"
    return f"{x:,.4g}" if abs(x) < 1e4 else f"{x:,.0f}"


def _share(x) -> str:
    return "-" if x is None else f"{x:.1%}"


def monte_carlo(s: dict) -> str:
    """The summary of a Monte Carlo run (MonteCarlo.summary())."""
    lines = [
        f"Monte Carlo: {s['samples']:,} samples, seed {s['seed']}, "
        f"SX {s['sx_model']} ({s['scenario']})",
        f"{'output':<44}{'p10':>14}{'p50':>14}{'p90':>14}{'mean':>14}",
    ]
    for key, (label, unit) in OUTPUTS.items():
        st = s[key]
        shown = f"{label} [{'M' + unit if unit in ('USD', 'USD/yr') else unit}]"
        note = f"  (exists in {st['share_defined']:.0%})" if "share_defined" in st else ""
        lines.append(
            f"{shown:<44}"
            + "".join(f"{_fmt(st[q], unit):>14}" for q in ("p10", "p50", "p90", "mean"))
            + note
        )
    pr = s["probability"]
    lines.append(
        f"P(target met in the target year) = {_share(pr['target_met'])}; "
        f"P(NPV > 0) = {_share(pr['npv_positive'])}"
    )
    if pr["on_spec"]:
        lines.append(
            "P(on spec): " + ", ".join(f"{k} {_share(v)}" for k, v in pr["on_spec"].items())
        )
    lines.append("pXX: XX % of the samples lie below")
    return "\n".join(lines)


def tornado(df: pd.DataFrame, output: str) -> str:
    label, unit = OUTPUTS.get(output, (output, ""))
    lines = [
        f"Tornado of {label} [{'M' + unit if unit in ('USD', 'USD/yr') else unit}], "
        "each input at its 10th and 90th percentiles, others as in the files "
        f"(base {_fmt(df['base'].iloc[0], unit)})",
        f"{'input':<42}{'low':>12}{'high':>12}{'at low':>14}{'at high':>14}{'swing':>14}",
    ]
    for _, r in df.iterrows():
        lines.append(
            f"{r['label']:<42}{r['low']:>12.4g}{r['high']:>12.4g}{_fmt(r['output_low'], unit):>14}"
            f"{_fmt(r['output_high'], unit):>14}{_fmt(r['swing'], unit):>14}"
        )
    return "\n".join(lines)


def indices(title: str, frames: dict[str, pd.DataFrame]) -> str:
    lines = []
    for output, df in frames.items():
        lines.append(f"{title} of {OUTPUTS.get(output, (output,))[0]}")
        lines.append(df.to_string(float_format=lambda v: f"{v:,.4g}"))
    return "\n".join(lines)


def optimum(s: dict) -> str:
    lines = [
        f"Optimisation: {s['objective_label']}, {'feasible' if s['feasible'] else 'INFEASIBLE'}; "
        f"optimum {_fmt(s['optimum'])} against {_fmt(s['nominal'])} at the files' design "
        f"({s['evaluations']:,} designs, {s['rounds']} rounds)",
        f"{'variable':<44}{'value':>12}{'files':>12}{'low':>10}{'high':>10}  unit",
    ]
    for key, v in s["variables"].items():
        lines.append(
            f"{key:<44}{v['value']:>12.4g}{v['nominal']:>12.4g}{v['low']:>10.4g}"
            f"{v['high']:>10.4g}  {v['unit']}"
        )
    lines.append("constraints:")
    for name, c in s["constraints"].items():
        state = "active" if c["active"] else ("met" if c["met"] else "NOT MET")
        lines.append(f"  {name:<28}{c['value']:>14.6g} against {c['bound']:.6g}  ({state})")
    if s["variables_at_bounds"]:
        lines.append("at bounds: " + "; ".join(s["variables_at_bounds"]))
    for r in s["infeasible_because"]:
        lines.append("why: " + r)
    for n in s["notes"]:
        lines.append("note: " + n)
    return "\n".join(lines)


def plan(s: dict, lang: str = i18n.DEFAULT) -> str:
    """What ``plant plan`` found (its JSON summary), in words of ``lang``."""

    tr = i18n.translator(lang)

    t = s["target"]
    head = tr(
        "Plan: {share} % of {basis} demand by {year}",
        share=f"{t['share'] * 100:.0f}",
        basis=t["basis"],
        year=t["year"],
    )
    lines = [head, ""]
    if s.get("budget_usd") is not None:
        money = i18n.number(s["budget_usd"] / 1e6, 1, lang)
        lines.append("  " + tr("Budget: at most {capex} MUSD of CAPEX", capex=money))
    b = s["plan"]
    n = s["evaluated"]
    if b is not None:
        best = (
            tr("Feasible: yes. The cheapest per kg REO of the {n} plans tried that meet it:", n=n)
            if s["objective"] == "cost"
            else tr("Feasible: yes. The highest NPV of the {n} plans tried that meet it:", n=n)
        )
        lines += ["  " + best, *_plan_lines(b, lang)]
    else:
        lines.append("  " + tr("Feasible: no plan of the {n} tried meets it.", n=n))
        near = s["nearest"]
        if y := near["later_year"]:
            when = f"{y['first_year_met']:.0f}"
            head = tr("The same share is met first in {year} by:", year=when)
            lines += ["  " + head, *_plan_lines(y, lang)]
        if m := near["largest_share"]:
            share = i18n.number(m["coverage"] * 100, 1, lang)
            head = tr(
                "The most covered in {year}: {share} % of demand, by:", year=t["year"], share=share
            )
            lines += ["  " + head, *_plan_lines(m, lang)]
        if x := near["more_imports"]:
            head = tr(
                "It is met in {year} with {times} times the scrap imports the files state "
                "({more} t/yr more), by:",
                year=t["year"],
                times=f"{x['import_multiple']:g}",
                more=i18n.number(x["extra_imports_t_per_yr"], 0, lang),
            )
            lines += ["  " + head, *_plan_lines(x, lang)]
    why = tr("; ").join(tr(b) for b in s["binding"])
    lines.append("  " + tr("Binding: {why}", why=why))
    if s["failed"]:
        lines.append("  " + tr("{n} plans the model refused (reasons in --json)", n=s["failed"]))
    return "\n".join(lines)


def _plan_lines(c: dict, lang: str = i18n.DEFAULT) -> list[str]:
    tr = i18n.translator(lang)

    intake = (
        tr(
            "scrap intake {scales} of the files' design intakes",
            scales=", ".join(
                f"{i18n.label(s, lang)} x{k:.3g}" for s, k in c["source_scales"].items()
            ),
        )
        if c["source_scales"]
        else tr("scrap intake x{scale} of the files' mix", scale=f"{c['scrap_intake_scale']:g}")
    )
    return [
        "    "
        + tr(
            "{intake}, {concentrate} t/yr of concentrate; pilot {pilot} %, {trains} full train(s) "
            "{interval} yr apart",
            intake=intake,
            concentrate=i18n.number(c["concentrate_t_per_yr"], 0, lang),
            pilot=f"{c['pilot_share'] * 100:.0f}",
            trains=c["trains"],
            interval=c["train_interval_yr"],
        ),
        "    "
        + tr(
            "on-spec nameplate {nameplate} t/yr REO; CAPEX {capex}; NPV {npv}; {cost} REO; in the "
            "target year it covers {coverage} % of demand ({why})",
            nameplate=i18n.number(c["nameplate_t_per_yr"], 0, lang),
            capex=i18n.money(c["capex_usd"], "USD", lang),
            npv=i18n.money(c["npv_usd"], "USD", lang),
            cost=i18n.money(c["cost_usd_per_kg_reo"], "USD", lang, "/kg", 1, ""),
            coverage=i18n.number(c["coverage"] * 100, 1, lang),
            why=i18n.limited_by(c["limited_by"], lang),
        ),
    ]
