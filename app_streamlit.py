"""The plant in the browser: capacity against the 50 % target, cost and cash flow for managers;
parameters, streams and solvent-extraction profiles for engineers.

Run with ``make app`` (``streamlit run app_streamlit.py -- params/base.toml``). This file and the
pages in ``app_pages/`` hold no model code: they call plant's public functions.
"""

from __future__ import annotations

import sys

import streamlit as st

from app_pages import shared

PAGES = [
    ("overview", "Overview", ":material/dashboard:"),
    ("flowsheet", "Flowsheet", ":material/account_tree:"),
    ("separation", "Separation", ":material/science:"),
    ("economics", "Economics", ":material/payments:"),
    ("uncertainty", "Uncertainty", ":material/casino:"),
    ("scenarios", "Scenarios", ":material/compare_arrows:"),
    ("downloads", "Downloads", ":material/download:"),
]


def sidebar() -> None:
    s = st.session_state
    with st.sidebar:
        st.selectbox(
            "Scenario",
            list(shared.scenario_files()),
            key="scenario",
            help="A bundled scenario file over params/base.toml; "
            "edits and an uploaded file apply over it.",
        )
        st.radio(
            "Currency",
            ("USD", "TWD"),
            key="currency",
            horizontal=True,
            help="Money in US dollars or New Taiwan dollars, "
            "at the exchange rate of the parameters.",
        )
        edits = len(s.edits) + (1 if s.upload else 0)
        if edits:
            st.caption(
                f"{len(s.edits)} parameter edit(s)"
                + (f", file `{s.upload[0]}`" if s.upload else "")
            )
            st.button(
                "Undo all edits",
                on_click=shared.reset,
                help="Back to the scenario's files as they are.",
            )


def main() -> None:
    st.set_page_config(page_title="Rare-earth recycling plant", layout="wide")
    shared.init(shared.base_path(sys.argv[1:]))
    pages = [
        st.Page(f"app_pages/{name}.py", title=title, icon=icon, default=name == "overview")
        for name, title, icon in PAGES
    ]
    nav = st.navigation(pages)
    view = shared.view()  # before the sidebar's widgets, which a fall-back may reset
    sidebar()
    st.session_state.view = view
    st.title("Rare-earth recycling plant")
    st.caption(f"Scenario **{view.summary['scenario']}** — {view.board.description}")
    shared.headline(view)
    nav.run()


main()
