"""Flowsheet, for engineers: parameters by unit, element flows through the plant, the stream
table and the element balance."""

import plotly.graph_objects as go
import streamlit as st

from app_pages import shared
from app_pages.shared import tr
from plant import diagram, i18n, tuning
from plant.i18n import N_

v = shared.current()
board = v.board
lang = shared.lang()

tabs = st.tabs(
    [
        tr("Process flow diagram"),
        tr("Parameters by unit"),
        tr("Element flows"),
        tr("Stream table"),
        tr("Element balance"),
    ],
    key="flowsheet_tab",  # the tab stays open across reruns (an edit, a refusal)
)
with tabs[0]:
    everything = st.toggle(
        tr("Reagents, utilities and off-gases too"),
        value=False,
        key="pfd_all",
        help=tr("Off: the streams that carry rare earths and those between units."),
    )
    st.caption(
        tr(
            "Drawn from the flowsheet as evaluated: a box per unit, an arrow per stream with its "
            "total and rare-earth flows [kg/h, operating rate]; green boxes are products."
        )
    )
    st.graphviz_chart(diagram.dot(board.links, lang, everything), use_container_width=True)
with tabs[1]:
    groups = tuning.sections(list(v.tunables))
    unit = st.selectbox(
        tr("Unit or section"),
        list(groups),
        index=list(groups).index("leaching") if "leaching" in groups else 0,
        format_func=lambda k: i18n.label(k, lang),
        key="flowsheet_section",
        help=tr(
            "Every number, switch and choice of the section; compositions, curves and dated "
            "paths are edited in a file (Scenarios page)."
        ),
    )
    items = groups[unit]
    sub: dict[str, list] = {}
    for t in items:
        head, _, rest = t.label.rpartition(".")
        sub.setdefault(head, []).append((t, rest))
    for head, entries in sub.items():
        if head:
            st.markdown(f"**{head}**")
        cols = st.columns(4)
        for i, (t, label) in enumerate(entries):
            shared.param_widget(t, label, cols[i % 4])

with tabs[2]:
    links = board.links
    elements = [c for c in links.columns if c not in ("from", "to", "stream", "product", "total")]
    what = (
        st.segmented_control(
            tr("Flow of"),
            ["RE", *elements[1:], "total"],
            default="RE",
            key="sankey_element",
            format_func=shared.words({"total": N_("total")}),
            help=tr("RE: all rare earths; total: all mass."),
        )
        or "RE"
    )
    shown = links[links[what] > 1e-6 * links[what].max()]
    feeds = shown["from"] == "feed"
    outs = shown["to"] == "output"
    source_names = [
        tr("in: {stream}", stream=s.split(".", 1)[1]) if f else a
        for a, s, f in zip(shown["from"], shown["stream"], feeds)
    ]
    target_names = [
        tr("out: {stream}", stream=s) if o else b
        for b, s, o in zip(shown["to"], shown["stream"], outs)
    ]
    names = list(dict.fromkeys([*source_names, *target_names]))
    index = {n: i for i, n in enumerate(names)}
    fig = go.Figure(
        go.Sankey(
            node=dict(label=[diagram.unit_name(n, lang) for n in names], pad=12, thickness=14),
            link=dict(
                source=[index[n] for n in source_names],
                target=[index[n] for n in target_names],
                value=shown[what].tolist(),
                customdata=shown["stream"].tolist(),
                hovertemplate="%{customdata}: %{value:,.2f} kg/h<extra></extra>",
            ),
        )
    )
    fig.update_layout(
        height=560,
        margin=dict(t=20, b=10, l=10, r=10),
        title=tr(
            "{what} [kg/h, operating rate]",
            what=tr("all rare earths")
            if what == "RE"
            else tr("total")
            if what == "total"
            else what,
        ),
    )
    st.plotly_chart(fig, key="sankey")

with tabs[3]:
    st.caption(
        tr(
            "Species flows in kg/h at the operating rate, totals and temperatures (°C); "
            "one column per stream."
        )
    )
    st.dataframe(board.tables["streams"], height=420)
    st.markdown("**" + tr("Reagents and water") + "** " + tr("[t/yr, 100 % basis]"))
    st.dataframe(
        board.reagents.round(1).rename(columns={"t_per_yr": "t/yr", "reagent": tr("reagent")}),
        hide_index=True,
    )

with tabs[4]:
    plant_wide = v.summary["mass_balance"]["max_relative_element_imbalance"]
    c1, c2 = st.columns([1, 3])
    c1.metric(
        tr("Largest relative imbalance"),
        f"{plant_wide:.1e}",
        help=tr("Over every element, every unit and the plant; below 1e-9 closes."),
    )
    c1.write(tr("✅ closes (below 1e-9)") if plant_wide < 1e-9 else tr("❌ does not close"))
    c2.dataframe(
        board.imbalances.assign(
            relative_imbalance=board.imbalances["relative_imbalance"].map(lambda x: f"{x:.1e}")
        ),
        hide_index=True,
        height=260,
    )
