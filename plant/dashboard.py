"""What the app shows of one evaluation, as plain tables (pandas) and dictionaries.

:func:`build` turns a scalar :class:`~plant.model.Evaluation` into a
:class:`Dashboard`: picklable, so that the app can cache it per parameter
set, and free of any display library. Flows in kg/h and t/yr, money in
USD (the app converts to TWD with ``twd_per_usd``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from plant import export, report
from plant.chemistry import RARE_EARTHS
from plant.numerics import pick, safe_ratio
from plant.thermo import atomic_weight
from plant.units.solvent_extraction import design as sx_design
from plant.units.solvent_extraction.unit import CircuitResult


@dataclass(frozen=True)
class Dashboard:
    """One evaluation for display.

    summary : the JSON-contract dictionary (report.summary);
    description : the scenario's description
    twd_per_usd : the exchange rate [TWD/USD]; tables : export.tables (capex, equipment, opex,
    cashflow, capacity, energy, streams); reagents : reagent use [t/yr]; links : every stream with
    its end units and flows [kg/h]; imbalances : relative element imbalance per unit;
    products : product figures; sx_profiles : circuit -> stage profiles (long table).
    Design mode's stage estimates (:func:`sx_stages`) are not in it: they take a design search
    per circuit, and only the Separation page shows them.
    """

    summary: dict
    description: str
    twd_per_usd: float
    tables: dict[str, pd.DataFrame]
    reagents: pd.DataFrame
    links: pd.DataFrame
    imbalances: pd.DataFrame
    products: pd.DataFrame
    sx_profiles: dict[str, pd.DataFrame]

    def workbook(self) -> bytes:
        """The tables as one Excel workbook (as ``plant run --out`` writes it)."""
        return export.workbook(self.tables)


def money_columns(name: str, df: pd.DataFrame) -> list[str]:
    """The columns in USD of table ``name`` of :attr:`Dashboard.tables`."""
    if name == "cashflow":
        return [c for c in df.columns if df[c].dtype.kind == "f" and c != "capacity factor"]
    return [c for c in df.columns if "usd" in c]


def build(ev) -> Dashboard:
    """The dashboard of a scalar evaluation."""
    result = ev.flowsheet
    use, balance = report.reagent_use(result), result.unit_imbalances()
    reagents = pd.DataFrame({"reagent": list(use), "t_per_yr": [float(v) for v in use.values()]})
    imbalances = pd.DataFrame({"unit": list(balance), "relative_imbalance": list(balance.values())})
    return Dashboard(
        report.summary(ev),
        ev.params.scenario.description,
        float(ev.params.economics.exchange_rate),
        export.tables(ev),
        reagents,
        links(result),
        imbalances,
        products(result),
        sx_profiles(result),
    )


def links(result) -> pd.DataFrame:
    """Every stream: from (unit or 'feed'), to (unit or 'output'), stream, the product it is (or
    ''), total mass and each rare earth it carries [kg/h, operating rate]; ``RE`` is the sum of
    the rare earths."""
    rows = []
    present = [
        e for e in RARE_EARTHS if any(float(s.element(e)) > 0 for s in result.streams.values())
    ]
    sold = {id(p.stream): p.name for p in result.products}
    for a, b, name in result.links():
        s = result.streams[name]
        kg = {e: float(s.element(e)) * atomic_weight(e) * 3600.0 for e in present}
        rows.append(
            {
                "from": a,
                "to": b,
                "stream": name,
                "product": sold.get(id(s), ""),
                "total": float(s.mass_flow) * 3600.0,
                "RE": sum(kg.values()),
                **kg,
            }
        )
    return pd.DataFrame(rows)


def products(result) -> pd.DataFrame:
    """Per product: output [t/yr], REO equivalent [t/yr], purity [-] and recovery [-] of its own
    rare earths (those of its named species) from the plant's feeds."""
    reg = result.registry
    feed = sum(result.streams[n].elements() for n in result.feeds)
    rows = []
    for prod in result.products:
        own = sorted(
            {e for sp in prod.purity_species for e in reg.composition(sp) if e in RARE_EARTHS},
            key=RARE_EARTHS.index,
        )
        cols = [reg.element_index(e) for e in own]
        made = result.product_stream(prod).elements()[..., cols].sum(axis=-1)
        rows.append(
            {
                "product": prod.name,
                "t_per_yr": float(result.product_t_per_yr(prod)),
                "reo_t_per_yr": float(result.reo_t_per_product(prod)),
                "purity": float(result.purity(prod)),
                "rare_earths": "".join(own),
                "recovery": float(safe_ratio(made, feed[..., cols].sum(axis=-1))),
            }
        )
    return pd.DataFrame(rows)


def circuits(result) -> dict[str, CircuitResult]:
    """The solvent-extraction circuits of a flowsheet result, by instance name."""
    return {n: u for n, u in result.units.items() if isinstance(u, CircuitResult)}


def sx_profiles(result) -> dict[str, pd.DataFrame]:
    """Per circuit: one row per stage and rare earth: section (extraction, scrub, strip), aqueous
    and organic concentration [g/L of element], distribution ratio [-], and the stage's pH (NaN in
    constant-D mode)."""
    out = {}
    for name, unit in circuits(result).items():
        rec = unit.circuit
        n_e, n_s, n = rec.n_extraction, rec.n_scrub, rec.stages
        section = ["extraction"] * n_e + ["scrub"] * n_s + ["strip"] * (n - n_e - n_s)
        pH = np.asarray(rec.pH if rec.pH is not None else np.full(n, np.nan), dtype=float)
        rows = []
        for e, aq in rec.aqueous.items():
            if e not in RARE_EARTHS:
                continue
            aq = np.asarray(aq, dtype=float)
            org = np.asarray(rec.organic[e], dtype=float)
            w = atomic_weight(e)  # mol/m3 x kg/mol = kg/m3, which is g/L
            for i in range(n):
                rows.append(
                    {
                        "stage": i + 1,
                        "section": section[i],
                        "element": e,
                        "aqueous_g_per_L": aq[i] * w,
                        "organic_g_per_L": org[i] * w,
                        "D": float(safe_ratio(org[i], aq[i])),
                        "pH": pH[i],
                    }
                )
        out[name] = pd.DataFrame(rows)
    return out


def sx_stages(ev, purity: float, recovery: float) -> pd.DataFrame:
    """Per circuit: the installed stages and flow ratios, and design mode's fewest stages for
    ``purity`` and ``recovery`` of both products at the distribution ratios the circuit runs at
    (sx_design.operating_point_equivalent); ``reason`` says why when no design meets the targets."""
    p, result = ev.params, ev.flowsheet
    rows = []
    for name, unit in circuits(result).items():
        if unit.circuit.cut is None:
            continue
        light, heavy = unit.circuit.cut
        rec = unit.circuit
        quick = sx_design.operating_point_equivalent(unit, p.solvent_extraction)
        d = sx_design.design_for(unit, quick, p.leaching.acid, light, heavy, purity, recovery)
        rows.append(
            {
                "circuit": name,
                "cut": f"{light} | {heavy}",
                "installed_extraction": rec.n_extraction,
                "installed_scrub": rec.n_scrub,
                "installed_strip": rec.n_strip,
                "installed_organic_ratio": pick(rec.ratio(rec.organic_m3_per_s)),
                "installed_scrub_ratio": pick(rec.ratio(rec.scrub_m3_per_s) / rec.scrub_trim),
                "design_extraction": d.n_extraction,
                "design_scrub": d.n_scrub,
                "design_organic_ratio": d.organic_ratio,
                "design_scrub_ratio": d.scrub_ratio,
                "design_purity": min(d.purity.values()) if d.purity else None,
                "reason": d.reason,
            }
        )
    return pd.DataFrame(rows)
