"""Overview, for managers: output against the 50 % target year by year, cost and the verdict."""

import plotly.graph_objects as go
import streamlit as st

from app_pages import shared
from plant import report
from plant.analysis import plan

ROUTE_LABELS = {
    "short_loop": "Magnet to magnet (short loop)",
    "hydromet": "E-waste and scrap (leaching + SX)",
    "concentrate": "Imported concentrate (SX)",
}
LEVERS = {
    "capacity.target_share": "Target share of demand",
    "capacity.target_basis": "Target counts",
    "concentrate.flow": "Imported concentrate refined",
    "economics.build.pilot_share": "Pilot train share of nameplate",
    "economics.build.trains": "Full trains",
    "economics.feed.terms.swarf.payable": "Swarf payable share",
    "economics.oxide_prices.Nd": "Nd oxide price",
    "economics.oxide_prices.Pr": "Pr oxide price",
    "economics.finance.discount_rate": "Discount rate",
}

v = shared.current()
c, e = v.summary["capacity"], v.summary["economics"]
(st.success if c["target_met"] else st.warning)(report.verdict(c))

k = st.columns(5)
k[0].metric("Nameplate (REO eq.)", f"{c['nameplate_t_per_yr']:,.0f} t/yr")
k[1].metric("Total capital investment", shared.money(v, e["capex_usd"]))
k[2].metric("Operating cost per year", shared.money(v, e["opex_usd_per_yr"], digits=0))
k[3].metric("IRR", "none" if e["irr"] is None else f"{e['irr'] * 100:.1f} %")
k[4].metric("Payback", "never" if e["payback_yr"] is None else f"{e['payback_yr']:.1f} yr")

years = v.board.tables["capacity"]
fig = go.Figure()
for route, label in ROUTE_LABELS.items():
    col = f"route_{route}_t_per_yr"
    if col in years and years[col].abs().sum() > 0:
        fig.add_bar(x=years.index, y=years[col], name=label)
fig.add_scatter(
    x=years.index,
    y=years["demand_t_per_yr"],
    name="Domestic demand",
    mode="lines",
    line=dict(color="black"),
)
fig.add_scatter(
    x=years.index,
    y=years["target_t_per_yr"],
    name=f"Target ({c['target_share'] * 100:.0f} % of demand)",
    mode="lines",
    line=dict(color="crimson", dash="dash"),
)
fig.add_scatter(
    x=years.index,
    y=years["on_spec_reo_t_per_yr"],
    name="On-spec output (counts toward the target)",
    mode="lines+markers",
    line=dict(color="seagreen"),
)
fig.add_scatter(
    x=years.index,
    y=years["installed_t_per_yr"],
    name="Installed capacity",
    mode="lines",
    line=dict(color="grey", dash="dot", shape="hv"),
)
shared.legend_below(
    fig,
    "REO-equivalent output by route against demand and the target",
    430,
    barmode="stack",
    yaxis_title="t/yr REO equivalent",
    xaxis_title="year",
)
st.plotly_chart(fig, key="capacity_chart")

with st.expander("Levers", expanded=True):
    shared.widgets(v, LEVERS, columns=4)

left, right = st.columns(2)
with left:
    st.subheader(f"Feed supplies in {int(c['target_year'])} [t/yr]")
    st.dataframe(
        [
            {
                "supply": name.replace("_", " "),
                "design": round(s["design_t_per_yr"]),
                "available": round(s["available_t_per_yr"]),
                "domestic": round(s["domestic_t_per_yr"]),
                "taken": round(s["intake_t_per_yr"]),
            }
            for name, s in c["supplies"].items()
        ],
        hide_index=True,
    )
    st.caption("Domestic: the part of the available supply from Taiwan's own e-waste.")
with right:
    st.subheader("Products at nameplate")
    st.dataframe(
        [
            {
                "product": name,
                "t/yr": round(p["t_per_yr"], 1),
                "purity %": round(p["purity"] * 100, 2),
                f"price {shared.currency()}/kg": round(p["price_usd_per_kg"] * shared.factor(v), 2),
            }
            for name, p in v.summary["products"].items()
        ],
        hide_index=True,
    )
st.caption(
    f"To meet the target in {int(c['target_year'])} on this build schedule takes a nameplate of "
    f"{c['nameplate_needed_t_per_yr']:,.0f} t/yr and {c['feed_needed_t_per_yr']:,.0f} t/yr "
    "of feed in the design mix."
)

# demand and on-spec output by element in the target year
by = {e: x for e, x in c["by_element"].items() if x["demand_t_per_yr"] > 0}
fig = go.Figure()
fig.add_bar(x=list(by), y=[x["demand_t_per_yr"] for x in by.values()], name="Domestic demand")
fig.add_bar(
    x=list(by),
    y=[x["output_t_per_yr"] for x in by.values()],
    name="On-spec output",
    text=[f"{x['coverage'] * 100:.0f} %" for x in by.values()],
    textposition="outside",
)
shared.legend_below(
    fig,
    f"Demand and on-spec output by element in {int(c['target_year'])} (coverage on the bars)",
    380,
    yaxis_title="t/yr REO equivalent",
    barmode="group",
)
st.plotly_chart(fig, key="element_chart")


def _load_plan(settings: list[str]) -> None:
    """The plan's settings become the current edits (one undo brings the old ones back)."""
    s = st.session_state
    s.edits = {**s.edits, **{x.partition("=")[0]: x for x in settings}}


with st.expander("What it takes", expanded=False):
    st.caption(
        "The cheapest plan (scrap intake, concentrate, pilot and trains) that covers the share "
        "of demand by the year, or why none does. About 15 seconds."
    )
    w = st.columns(3)
    share = w[0].number_input(
        "Share of demand", 0.0, 1.0, float(c["target_share"]), 0.05, key="plan_share"
    )
    basis = w[1].selectbox(
        "Counted in",
        ("REO", "magnet"),
        index=0 if c["target_basis"] != "magnet" else 1,
        format_func=lambda b: {"REO": "all rare earths (REO)", "magnet": "magnet rare earths"}[b],
        key="plan_basis",
    )
    year = w[2].number_input("By the year", 2026, 2060, int(c["target_year"]), 1, key="plan_year")
    if st.button("Find the plan", key="plan_run"):
        with st.spinner("Evaluating the plans..."):
            params_now, _ = shared.load(shared.current_inputs())
            answer = plan.plan(params_now, share, int(year), basis)
        st.session_state.plan_answer = (plan.text(answer.summary()), answer.settings())
    found = st.session_state.get("plan_answer")
    if found:
        lines = [x.strip() for x in found[0].splitlines() if x.strip()]
        st.markdown(f"**{lines[0]}**  \n" + "  \n".join(lines[1:]))
        if found[1]:
            st.button(
                "Load this plan as the current scenario",
                key="plan_load",
                on_click=_load_plan,
                args=(found[1],),
            )
