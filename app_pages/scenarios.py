"""Scenarios: the current parameters as a TOML file, a file to upload, and scenarios side by
side."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages import shared
from app_pages.shared import tr
from plant import PlantError, i18n

v = shared.current()
s = st.session_state

st.subheader(tr("Parameters as a file"))
c1, c2 = st.columns(2)
c1.download_button(
    tr("Download the current parameters (TOML)"),
    v.toml,
    "plant_params.toml",
    "application/toml",
    help=tr(
        "Every parameter as evaluated now, in one file that stands alone (no base file under "
        "it): `plant run --json plant_params.toml` gives the same result, and so does uploading "
        "it here."
    ),
)
c2.file_uploader(
    tr("Upload a parameter file (TOML)"),
    type=["toml"],
    key=shared.uploader_key(),
    on_change=shared.take_upload,
    help=tr(
        "Applied over the scenario chosen in the sidebar, under the parameter edits (a file that "
        "stands alone, like the download, replaces the scenario). Checked like any params file: "
        "an invalid file is refused with its error, and the parameters in force stay."
    ),
)
if s.upload:
    c2.caption(tr("Applied: {name}", name=shared.file_label(s.upload[0])))
    c2.button(tr("Remove the uploaded file"), on_click=shared.drop_upload)

st.subheader(tr("Compare scenarios"))
with st.form("add_to_comparison", border=False):
    a, b = st.columns([3, 1])
    label = a.text_input(
        tr("Name for the current parameters"),
        value=shared.scenario_name(v.summary["scenario"], s.valid.edited),
    )
    if b.form_submit_button(tr("Add to the comparison")):
        shared.compare_entry(label, s.valid)
bundled = st.multiselect(
    tr("Bundled scenarios to compare"),
    [k for k in shared.scenario_files()],
    default=[k for k in (shared.BASE, "concentrate") if k in shared.scenario_files()],
    key="compare_bundled",
)
entries = {name: shared.Inputs(s.base, shared.scenario_files()[name]) for name in bundled}
added = dict(s.compare)
if s.valid not in entries.values() and s.valid not in added.values():
    entries = {tr("current parameters"): s.valid, **entries}
for name, inputs in added.items():  # each set of inputs once: under the name given to it
    entries = {(name if v == inputs else k): v for k, v in entries.items()}
    entries.setdefault(name, inputs)
if s.compare and st.button(tr("Clear the added scenarios")):
    s.compare = {}
    st.rerun()

views = {}
for name, inputs in entries.items():
    try:
        views[name] = shared.evaluate(inputs)
    except PlantError as exc:
        st.error(f"{name}: {exc}")
if views:
    rows = {}
    lang = shared.lang()
    unit = lambda per="", scale="": i18n.money_unit(shared.currency(), lang, per, scale)  # noqa: E731
    for name, w in views.items():
        c, e = w.summary["capacity"], w.summary["economics"]
        rows[name] = {
            tr("REO output {year} [t/yr]", year=int(c["target_year"])): round(c["reo_t_per_yr"]),
            tr("of it on spec [t/yr]"): round(c["on_spec_reo_t_per_yr"]),
            tr("off-spec products"): ", ".join(shared.off_spec(w.summary)) or tr("none"),
            tr("target [t/yr]"): round(c["target_t_per_yr"]),
            tr("coverage of demand [%]"): round(c["coverage_of_demand"] * 100, 1),
            tr("target met"): tr("yes") if c["target_met"] else tr("no"),
            tr("first year met"): tr("never")
            if c["year_target_met"] is None
            else int(c["year_target_met"]),
            tr("nameplate [t/yr]"): round(c["nameplate_t_per_yr"]),
            f"CAPEX [{unit(scale='M')}]": round(e["capex_usd"] * shared.factor(w) / 1e6, 1),
            f"OPEX [{unit('/yr', 'M')}]": round(e["opex_usd_per_yr"] * shared.factor(w) / 1e6, 1),
            f"NPV [{unit(scale='M')}]": round(e["npv_usd"] * shared.factor(w) / 1e6, 1),
            "IRR [%]": None if e["irr"] is None else round(e["irr"] * 100, 1),
            tr("cost [{unit} REO]", unit=unit("/kg")): round(
                e["cost_usd_per_kg_reo"] * shared.factor(w), 1
            ),
            **{
                tr("purity of {product} [%]", product=i18n.product_name(p, lang)): (
                    f"{x['purity'] * 100:.2f}" + ("" if x["on_spec"] else " " + tr("(off spec)"))
                )
                for p, x in w.summary["products"].items()
            },
        }
    table = pd.DataFrame(rows).map(lambda x: "—" if x is None or x != x else str(x))  # x != x: NaN
    st.dataframe(table, height=35 * (len(table) + 1) + 3)
    c1, c2, c3 = st.columns([2, 1, 1])
    fig = go.Figure()
    for name, w in views.items():
        y = w.board.tables["capacity"]
        fig.add_scatter(x=y.index, y=y["reo_t_per_yr"], name=name, mode="lines+markers")
    first = next(iter(views.values())).board.tables["capacity"]
    fig.add_scatter(
        x=first.index,
        y=first["target_t_per_yr"],
        name=tr("target"),
        mode="lines",
        line=dict(color="crimson", dash="dash"),
    )
    fig.update_layout(
        title=tr("REO output by year"),
        yaxis_title=tr("t/yr"),
        height=380,
        margin=dict(t=50, b=10),
        legend=dict(orientation="h", y=-0.25),
    )
    c1.plotly_chart(fig, key="compare_output")
    fig = go.Figure(
        go.Bar(
            x=list(views),
            y=[w.summary["economics"]["npv_usd"] * shared.factor(w) / 1e6 for w in views.values()],
        )
    )
    fig.update_layout(
        title=tr("NPV"), yaxis_title=unit(scale="M"), height=380, margin=dict(t=50, b=10)
    )
    c2.plotly_chart(fig, key="compare_npv")
    fig = go.Figure(
        go.Bar(
            x=list(views),
            y=[
                w.summary["economics"]["cost_usd_per_kg_reo"] * shared.factor(w)
                for w in views.values()
            ],
        )
    )
    fig.update_layout(
        title=tr("Levelised cost"),
        yaxis_title=unit("/kg") + " REO",
        height=380,
        margin=dict(t=50, b=10),
    )
    c3.plotly_chart(fig, key="compare_cost")
