"""The plant in the browser: capacity against the 50 % target, cost and cash flow for managers;
parameters, streams and solvent-extraction profiles for engineers.

Run with ``make app`` (``streamlit run app_streamlit.py -- params/base.toml``). This file and the
pages in ``app_pages/`` hold no model code: they call plant's public functions.
"""

from __future__ import annotations

import sys
from functools import partial

import streamlit as st

from app_pages import shared
from app_pages.shared import tr
from plant import i18n, printable
from plant.i18n import N_

PAGES = [
    ("overview", N_("Overview"), ":material/dashboard:"),
    ("flowsheet", N_("Flowsheet"), ":material/account_tree:"),
    ("separation", N_("Separation"), ":material/science:"),
    ("economics", N_("Economics"), ":material/payments:"),
    ("uncertainty", N_("Uncertainty"), ":material/casino:"),
    ("scenarios", N_("Scenarios"), ":material/compare_arrows:"),
    ("downloads", N_("Downloads"), ":material/download:"),
]
CURRENCIES = {"USD": N_("USD"), "TWD": N_("TWD (New Taiwan dollar)")}
LANGUAGE = "Language / 語言"  # in both languages: whoever reads either finds the switch
WIDE_SCRIPT_FIGURES = "1.5rem"  # the headline figures' size in Chinese (Streamlit's is 2.25rem)


def sidebar(view: shared.View | None) -> None:
    s = st.session_state
    with st.sidebar:
        st.radio(
            LANGUAGE,
            list(i18n.LANGUAGES),
            key="lang",
            format_func=i18n.LANGUAGES.get,
            horizontal=True,
        )
        st.selectbox(
            tr("Scenario"),
            list(shared.scenario_files()),
            key="scenario",
            help=tr(
                "A bundled scenario file over params/base.toml; "
                "edits and an uploaded file apply over it."
            ),
        )
        st.radio(
            tr("Currency"),
            ("USD", "TWD"),
            key="currency",
            format_func=shared.words(CURRENCIES),
            horizontal=True,
            help=tr(
                "Money in US dollars or New Taiwan dollars, at the exchange rate of the parameters."
            ),
        )
        applied = [tr("{n} parameter edit(s)", n=len(s.edits))] if s.edits else []
        if s.upload:
            applied.append(tr("file {name}", name=shared.file_label(s.upload[0])))
        if applied:
            st.caption(", ".join(applied))
        for key, setting in sorted(s.edits.items()):  # each edit, with its own undo
            row = st.columns([5, 1])
            row[0].caption(f"{key} = {setting.partition('=')[2]}")
            row[1].button(
                "",
                icon=":material/close:",
                key=f"drop:{key}",
                on_click=shared.drop_edit,
                args=(key,),
                help=tr("Undo this edit alone."),
            )
        left, right = st.columns(2)
        if s.history:
            left.button(
                tr("Undo last edit"),
                on_click=shared.undo,
                help=tr(
                    "Back to the parameters before your last edit, upload or undo of all edits."
                ),
            )
        if s.edits or s.upload or s.targets != shared.DEFAULT_TARGETS:
            right.button(
                tr("Undo all edits"),
                on_click=shared.reset,
                help=tr("Back to the scenario's files as they are."),
            )
        if view is not None:
            st.download_button(
                tr("Report"),
                partial(printable.page, view.board, shared.lang(), shared.currency()),
                "plant_report.html",
                "text/html",
                key="dl_report",
                icon=":material/print:",
                help=tr(
                    "One page for managers, to print or save as PDF from the browser: the "
                    "verdict, coverage by element, cost, NPV, the plan and the key charts."
                ),
            )


def main() -> None:
    shared.init(shared.base_path(sys.argv[1:]))
    st.set_page_config(page_title=tr("Rare-earth recycling plant"), layout="wide")
    if shared.lang() != i18n.DEFAULT:  # CJK glyphs are twice as wide: smaller figures, none cut off
        st.html(
            f"<style>[data-testid='stMetricValue'] {{font-size: {WIDE_SCRIPT_FIGURES}}}</style>"
        )
    pages = [
        st.Page(f"app_pages/{name}.py", title=tr(title), icon=icon, default=name == "overview")
        for name, title, icon in PAGES
    ]
    nav = st.navigation(pages)
    view = shared.view()  # before any widget: a refusal or an undo sets the widgets back
    sidebar(view)
    if view is None:  # nothing valid to show: the error is on the page, the sidebar can recover
        st.stop()
    st.session_state.view = view
    st.title(tr("Rare-earth recycling plant"))
    st.caption(
        tr(
            "Scenario **{name}** — {about}",
            name=view.summary["scenario"],
            about=view.board.description,
        )
    )
    shared.headline(view)
    nav.run()


main()
