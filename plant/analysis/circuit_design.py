"""Design mode for a plant's SX circuits (``plant design``): for the feed each circuit takes in the
evaluated plant, the fewest stages and the flows that hold both products on spec across the
design margin, next to what is installed."""

from __future__ import annotations

import time

import numpy as np

from plant.chemistry import RARE_EARTHS
from plant.numerics import pick
from plant.units.solvent_extraction import design as sx_design
from plant.units.solvent_extraction import feed_state


def design_plant(params, circuits=None) -> list[dict]:
    """One record per circuit with a cut (all, or those named in ``circuits``): installed and
    designed stages and flows, the controller's setpoint and trims, the worst purities and
    recoveries over the margin, the time taken [s] and the solves made."""
    from plant import model
    from plant.dashboard import circuits as plant_circuits

    ev = model.evaluate(params)
    sx = params.solvent_extraction
    out = []
    for name, unit in plant_circuits(ev.flowsheet).items():
        rec = unit.circuit
        if rec.cut is None or (circuits and rec.circuit not in circuits):
            continue
        light, heavy = rec.cut
        t = time.perf_counter()
        d = sx_design.design_for(
            unit,
            sx,
            params.leaching.acid,
            light,
            heavy,
            float(params.economics.products.purity_spec),
            float(sx.design.recovery),
            leach_recovery=leach_recovery(params, unit),
        )
        out.append(
            {
                "circuit": rec.circuit,
                "unit": name,
                "cut": f"{light} | {heavy}",
                "mode": sx.mode,
                "feasible": d.feasible,
                "reason": d.reason,
                "installed": {
                    "n_extraction": rec.n_extraction,
                    "n_scrub": rec.n_scrub,
                    "n_strip": rec.n_strip,
                    "organic_ratio": pick(rec.ratio(rec.organic_m3_per_s)),
                    "scrub_ratio": pick(rec.ratio(rec.scrub_m3_per_s) / rec.scrub_trim),
                    "strip_purity_setpoint": None if rec.setpoint is None else pick(rec.setpoint),
                },
                "design": {
                    "n_extraction": d.n_extraction,
                    "n_scrub": d.n_scrub,
                    "n_strip": rec.n_strip,
                    "organic_ratio": d.organic_ratio,
                    "scrub_ratio": d.scrub_ratio,
                    "strip_purity_setpoint": d.setpoint,
                    "scrub_trims": d.trims,
                },
                "worst_purity": d.purity,
                "worst_recovery": d.recovery,
                "nominal": d.nominal,
                "seconds": time.perf_counter() - t,
                "solves": d.evaluated,
            }
        )
    return out


def leach_recovery(params, unit) -> float:
    """The leach recovery of the rare earths a circuit takes [-]: the dissolution of their oxides,
    weighted by the circuit's feed."""
    re_in, _, _ = feed_state(unit.inlets["liquor"], params.solvent_extraction, params.leaching.acid)
    w = np.asarray(re_in, dtype=float).reshape(-1, len(RARE_EARTHS)).sum(axis=0)
    r = np.array([float(np.mean(params.leaching.dissolution_oxide[e])) for e in RARE_EARTHS])
    return float((w * r).sum() / w.sum())


def text(records: list[dict]) -> str:
    """The records of :func:`design_plant` for the command line."""
    lines = []
    for r in records:
        i, d = r["installed"], r["design"]
        lines.append(
            f"{r['unit']} ({r['cut']}, {r['mode']} mode): {r['reason']} "
            f"({r['seconds']:.1f} s, {r['solves']:,} circuit solves)"
        )
        rows = [
            ("extraction stages", "n_extraction", "{}"),
            ("scrub stages", "n_scrub", "{}"),
            ("strip stages", "n_strip", "{}"),
            ("organic / feed", "organic_ratio", "{:.3f}"),
            ("scrub / feed", "scrub_ratio", "{:.3f}"),
            ("strip purity setpoint", "strip_purity_setpoint", "{:.2%}"),
        ]
        lines.append(f"  {'':<24}{'installed':>12}{'design':>12}")
        for label, key, fmt in rows:
            shown = ["-" if v is None else fmt.format(v) for v in (i[key], d[key])]
            lines.append(f"  {label:<24}{shown[0]:>12}{shown[1]:>12}")
        if r["feasible"]:
            lo, hi = d["scrub_trims"]
            wp, wr = r["worst_purity"], r["worst_recovery"]
            lines.append(
                f"  across the margin: scrub trimmed {lo:.3f}-{hi:.3f}; purity >= "
                f"{wp['raffinate']:.3%} (raffinate), {wp['strip_liquor']:.3%} (strip); recovery >= "
                f"{wr['raffinate']:.2%}, {wr['strip_liquor']:.2%}"
            )
    return "\n".join(lines) if lines else "no SX circuit with a cut in this plant"
