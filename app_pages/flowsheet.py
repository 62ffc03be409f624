"""Flowsheet, for engineers: parameters by unit, element flows through the plant, the stream
table and the element balance."""

import plotly.graph_objects as go
import streamlit as st

from app_pages import shared
from plant import tuning

v = shared.current()
board = v.board

tabs = st.tabs(["Parameters by unit", "Element flows", "Stream table", "Element balance"])
with tabs[0]:
    groups = tuning.sections(list(v.tunables))
    unit = st.selectbox(
        "Unit or section",
        list(groups),
        index=list(groups).index("leaching") if "leaching" in groups else 0,
        format_func=lambda k: k.replace("_", " "),
        key="flowsheet_section",
        help="Every number, switch and choice of the section; compositions, curves and dated paths "
        "are edited in a file (Scenarios page).",
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

with tabs[1]:
    links = board.links
    elements = [c for c in links.columns if c not in ("from", "to", "stream", "total")]
    what = (
        st.segmented_control(
            "Flow of",
            ["RE", *elements[1:], "total"],
            default="RE",
            key="sankey_element",
            help="RE: all rare earths; total: all mass.",
        )
        or "RE"
    )
    shown = links[links[what] > 1e-6 * links[what].max()]
    feeds = shown["from"] == "feed"
    outs = shown["to"] == "output"
    source_names = [
        f"in: {s.split('.', 1)[1]}" if f else a
        for a, s, f in zip(shown["from"], shown["stream"], feeds)
    ]
    target_names = [f"out: {s}" if o else b for b, s, o in zip(shown["to"], shown["stream"], outs)]
    names = list(dict.fromkeys([*source_names, *target_names]))
    index = {n: i for i, n in enumerate(names)}
    fig = go.Figure(
        go.Sankey(
            node=dict(label=[n.replace("_", " ") for n in names], pad=12, thickness=14),
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
        title=f"{'all rare earths' if what == 'RE' else what} [kg/h, operating rate]",
    )
    st.plotly_chart(fig, key="sankey")

with tabs[2]:
    st.caption(
        "Species flows in kg/h at the operating rate, totals and temperatures (°C); "
        "one column per stream."
    )
    st.dataframe(board.tables["streams"], height=420)
    st.markdown("**Reagents and water** [t/yr, 100 % basis]")
    st.dataframe(board.reagents.round(1).rename(columns={"t_per_yr": "t/yr"}), hide_index=True)

with tabs[3]:
    plant_wide = v.summary["mass_balance"]["max_relative_element_imbalance"]
    c1, c2 = st.columns([1, 3])
    c1.metric(
        "Largest relative imbalance",
        f"{plant_wide:.1e}",
        help="Over every element, every unit and the plant; below 1e-9 closes.",
    )
    c1.write("✅ closes (below 1e-9)" if plant_wide < 1e-9 else "❌ does not close")
    c2.dataframe(
        board.imbalances.assign(
            relative_imbalance=board.imbalances["relative_imbalance"].map(lambda x: f"{x:.1e}")
        ),
        hide_index=True,
        height=260,
    )
