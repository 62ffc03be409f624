"""Downloads: the stream table, the cost and cash-flow workbook, the summary and the parameters."""

import json

import streamlit as st

from app_pages import shared
from app_pages.shared import tr

v = shared.current()
b = v.board
st.subheader(tr("Downloads"))
st.caption(
    tr(
        "Money in USD of the analysis year, flows in kg/h at the operating rate, "
        "as the column names say. The one-page report for managers is in the sidebar."
    )
)
st.download_button(
    tr("Stream table (CSV)"),
    b.tables["streams"].to_csv().encode(),
    "streams.csv",
    "text/csv",
    key="dl_streams",
)
st.download_button(
    tr("CAPEX, OPEX, cash flow, capacity, energy and streams (Excel workbook)"),
    b.workbook,
    "plant.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="dl_excel",
)
st.download_button(
    tr("Summary (JSON, the CLI's output contract)"),
    json.dumps(b.summary, indent=2),
    "summary.json",
    "application/json",
    key="dl_json",
)
st.download_button(
    tr("Parameters (TOML)"), v.toml, "plant_params.toml", "application/toml", key="dl_toml"
)
