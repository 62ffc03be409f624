"""Streamlit face of the plant model: the base case's REO output, products and stream table.

Run with ``make app`` (``streamlit run app_streamlit.py -- params/base.toml``).
This file holds no model code: it calls plant's public functions.
"""
from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

from plant import PlantError, model, report
from plant.paths import BASE_PARAMS


def params_path() -> Path:
    """The params file given after ``--`` on the command line, else params/base.toml."""
    args = [a for a in sys.argv[1:] if a.endswith(".toml")]
    return Path(args[0]) if args else BASE_PARAMS


@st.cache_data(show_spinner=False)
def evaluate(path: str, mtime: float):
    """Summary, reagent table and stream table for one params file (cached per file version)."""
    params = model.load_params(path)
    ev = model.evaluate(params)
    reagents = {k: float(v) for k, v in report.reagent_use(ev.flowsheet).items()}
    return report.summary(ev), params.scenario.description, reagents, ev.flowsheet.stream_table()


def main() -> None:
    st.set_page_config(page_title="Rare-earth recycling plant", layout="wide")
    st.title("Rare-earth recycling plant")
    path = params_path()
    try:
        summary, description, reagents, streams = evaluate(str(path), path.stat().st_mtime)
    except (PlantError, OSError) as exc:
        st.error(f"Cannot evaluate {path}: {exc}")
        return
    st.caption(f"Scenario **{summary['scenario']}** — {description}  ·  parameters: `{path}`")
    c1, c2, c3, c4 = st.columns(4)
    cap = summary["capacity"]
    c1.metric("REO output at nameplate", f"{cap['nameplate_t_per_yr']:,.0f} t/yr")
    c2.metric("Magnet scrap feed", f"{summary['feed']['magnet_scrap_t_per_yr']:,.0f} t/yr")
    nd = summary["recovery"]["Nd"]
    c3.metric("Nd recovery, feed to product", f"{nd * 100:.1f} %")
    c4.metric("Element balance closure", f"{summary['mass_balance']['max_relative_element_imbalance']:.1e}")
    st.info(report.verdict(cap))

    e = summary["economics"]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Total capital investment", f"{e['capex_usd'] / 1e6:,.1f} MUSD")
    c2.metric("Operating cost", f"{e['opex_usd_per_yr'] / 1e6:,.1f} MUSD/yr")
    c3.metric("NPV", f"{e['npv_usd'] / 1e6:,.1f} MUSD")
    c4.metric("Minimum selling price", "n/a" if e["min_selling_price_usd_per_kg_reo"] is None
              else f"{e['min_selling_price_usd_per_kg_reo']:,.1f} USD/kg REO")

    g = summary["energy"]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Electricity", f"{g['electricity_kwh_per_yr'] / 1e6:,.2f} GWh/yr")
    c2.metric("Natural gas", f"{g['natural_gas_nm3_per_yr'] / 1e3:,.1f} thousand Nm3/yr")
    c3.metric("CO2, fuel and grid", f"{g['co2_t_per_yr']:,.0f} t/yr")
    c4.metric("CO2 per kg REO", f"{g['co2_kg_per_kg_reo']:.2f} kg")

    st.subheader("Products")
    st.dataframe(
        [{"product": name, "t/yr": round(p["t_per_yr"], 1), "purity [%]": round(p["purity"] * 100, 3)}
         for name, p in summary["products"].items()],
        hide_index=True,
    )
    st.subheader("Reagents")
    st.dataframe([{"reagent": k, "t/yr": round(v, 1)} for k, v in reagents.items()], hide_index=True)
    st.subheader("Stream table")
    st.caption("Species flows in kg/h (operating rate), totals and temperatures.")
    st.dataframe(streams.round(4), height=480)
    st.download_button("Download stream table (CSV)", streams.to_csv().encode(), "streams.csv", "text/csv")


main()
