"""Downloads: the stream table, the cost and cash-flow workbook, the summary and the parameters."""

import json

import streamlit as st

from app_pages import shared

v = shared.current()
b = v.board
st.subheader("Downloads")
st.caption(
    "Money in USD of the analysis year, flows in kg/h at the operating rate, "
    "as the column names say."
)
st.download_button(
    "Stream table (CSV)",
    b.tables["streams"].to_csv().encode(),
    "streams.csv",
    "text/csv",
    key="dl_streams",
)
st.download_button(
    "CAPEX, OPEX, cash flow, capacity, energy and streams (Excel workbook)",
    b.workbook,
    "plant.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="dl_excel",
)
st.download_button(
    "Summary (JSON, the CLI's output contract)",
    json.dumps(b.summary, indent=2),
    "summary.json",
    "application/json",
    key="dl_json",
)
st.download_button(
    "Parameters (TOML)", v.toml, "plant_params.toml", "application/toml", key="dl_toml"
)
