"""Text reports of the analyses, for the command line."""

from __future__ import annotations

import pandas as pd

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
