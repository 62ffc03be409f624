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
        applied = [f"{len(s.edits)} parameter edit(s)"] if s.edits else []
        if s.upload:
            applied.append(f"file {shared.file_label(s.upload[0])}")
        if applied:
            st.caption(", ".join(applied))
        for key, setting in sorted(s.edits.items()):  # each edit, with its own undo
            row = st.columns([5, 1])
            row[0].caption(f"{key} = {setting.partition('=')[2]}")
            row[1].button(
                "✕",
                key=f"drop:{key}",
                on_click=shared.drop_edit,
                args=(key,),
                help="Undo this edit alone.",
            )
        left, right = st.columns(2)
        if s.history:
            left.button(
                "Undo last edit",
                on_click=shared.undo,
                help="Back to the parameters before your last edit, upload or undo of all edits.",
            )
        if s.edits or s.upload or s.targets != shared.DEFAULT_TARGETS:
            right.button(
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
    view = shared.view()  # before any widget: a refusal or an undo sets the widgets back
    sidebar()
    if view is None:  # nothing valid to show: the error is on the page, the sidebar can recover
        st.stop()
    st.session_state.view = view
    st.title("Rare-earth recycling plant")
    st.caption(f"Scenario **{view.summary['scenario']}** — {view.board.description}")
    shared.headline(view)
    nav.run()


main()
