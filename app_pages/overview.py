"""Overview, for managers: output against the 50 % target year by year, cost and the verdict."""

import plotly.graph_objects as go
import streamlit as st

from app_pages import shared
from app_pages.shared import num, tr
from plant import i18n, report
from plant.analysis import plan, text
from plant.i18n import N_

ROUTE_LABELS = {
    "short_loop": N_("Magnet to magnet (short loop)"),
    "hydromet": N_("E-waste and scrap (leaching + SX)"),
    "concentrate": N_("Imported concentrate (SX)"),
}
SUPPLIES = {
    "hdd": N_("hard-disk magnets"),
    "motor": N_("motor magnets (EV, industrial)"),
    "consumer_electronics": N_("consumer-electronics magnets"),
    "swarf": N_("magnet swarf"),
    "concentrate": N_("imported concentrate"),
}
LEVERS = {
    "capacity.target_share": N_("Target share of demand"),
    "capacity.target_basis": N_("Target counts"),
    "concentrate.flow": N_("Imported concentrate refined"),
    "economics.build.pilot_share": N_("Pilot train share of nameplate"),
    "economics.build.trains": N_("Full trains"),
    "economics.feed.terms.swarf.payable": N_("Swarf payable share"),
    "economics.oxide_prices.Nd": N_("Nd oxide price"),
    "economics.oxide_prices.Pr": N_("Pr oxide price"),
    "economics.finance.discount_rate": N_("Discount rate"),
}

v = shared.current()
c, e = v.summary["capacity"], v.summary["economics"]
(st.success if c["target_met"] else st.warning)(report.verdict(c, shared.lang()))

k = st.columns(5)
k[0].metric(tr("Nameplate (REO eq.)"), tr("{tonnes} t/yr", tonnes=num(c["nameplate_t_per_yr"])))
k[1].metric(tr("Total capital investment"), shared.money(v, e["capex_usd"]))
k[2].metric(tr("Operating cost per year"), shared.money(v, e["opex_usd_per_yr"], digits=0))
k[3].metric(tr("IRR"), tr("none") if e["irr"] is None else f"{num(e['irr'] * 100, 1)} %")
k[4].metric(
    tr("Payback"),
    tr("never") if e["payback_yr"] is None else tr("{years} yr", years=num(e["payback_yr"], 1)),
)

years = v.board.tables["capacity"]
fig = go.Figure()
for route, label in ROUTE_LABELS.items():
    col = f"route_{route}_t_per_yr"
    if col in years and years[col].abs().sum() > 0:
        fig.add_bar(x=years.index, y=years[col], name=tr(label))
fig.add_scatter(
    x=years.index,
    y=years["demand_t_per_yr"],
    name=tr("Domestic demand"),
    mode="lines",
    line=dict(color="black"),
)
fig.add_scatter(
    x=years.index,
    y=years["target_t_per_yr"],
    name=tr("Target ({share} % of demand)", share=f"{c['target_share'] * 100:.0f}"),
    mode="lines",
    line=dict(color="crimson", dash="dash"),
)
fig.add_scatter(
    x=years.index,
    y=years["on_spec_reo_t_per_yr"],
    name=tr("On-spec output (counts toward the target)"),
    mode="lines+markers",
    line=dict(color="seagreen"),
)
fig.add_scatter(
    x=years.index,
    y=years["installed_t_per_yr"],
    name=tr("Installed capacity"),
    mode="lines",
    line=dict(color="grey", dash="dot", shape="hv"),
)
shared.legend_below(
    fig,
    tr("REO-equivalent output by route against demand and the target"),
    430,
    barmode="stack",
    yaxis_title=tr("t/yr REO equivalent"),
    xaxis_title=tr("year"),
)
st.plotly_chart(fig, key="capacity_chart")

with st.expander(tr("Levers"), expanded=True):
    shared.widgets(v, {k: tr(label) for k, label in LEVERS.items()}, columns=4)

supply = shared.words(SUPPLIES)
left, right = st.columns(2)
with left:
    st.subheader(tr("Feed supplies in {year} [t/yr]", year=int(c["target_year"])))
    st.dataframe(
        [
            {
                tr("supply"): supply(name),
                tr("design"): round(s["design_t_per_yr"]),
                tr("available"): round(s["available_t_per_yr"]),
                tr("domestic"): round(s["domestic_t_per_yr"]),
                tr("taken"): round(s["intake_t_per_yr"]),
            }
            for name, s in c["supplies"].items()
        ],
        hide_index=True,
    )
    st.caption(tr("Domestic: the part of the available supply from Taiwan's own e-waste."))
with right:
    st.subheader(tr("Products at nameplate"))
    st.dataframe(
        [
            {
                tr("product"): i18n.product_name(name, shared.lang()),
                tr("t/yr"): round(p["t_per_yr"], 1),
                tr("purity %"): i18n.purity_percent(p["purity"]),
                tr("price {unit}", unit=i18n.money_unit(shared.currency(), shared.lang(), "/kg")): (
                    round(p["price_usd_per_kg"] * shared.factor(v), 2)
                ),
                tr("spec"): tr("on spec") if p["on_spec"] else tr("off spec"),
            }
            for name, p in v.summary["products"].items()
        ],
        hide_index=True,
    )
st.caption(
    tr(
        "To meet the target in {year} on this build schedule takes a nameplate of "
        "{nameplate} t/yr and {feed} t/yr of feed in the design mix.",
        year=int(c["target_year"]),
        nameplate=num(c["nameplate_needed_t_per_yr"]),
        feed=num(c["feed_needed_t_per_yr"]),
    )
)

# demand and on-spec output by element in the target year
by = {e: x for e, x in c["by_element"].items() if x["demand_t_per_yr"] > 0}
names = [tr("other") if e == "other" else e for e in by]
fig = go.Figure()
fig.add_bar(x=names, y=[x["demand_t_per_yr"] for x in by.values()], name=tr("Domestic demand"))
fig.add_bar(
    x=names,
    y=[x["output_t_per_yr"] for x in by.values()],
    name=tr("On-spec output"),
    text=[f"{x['coverage'] * 100:.0f} %" for x in by.values()],
    textposition="outside",
)
shared.legend_below(
    fig,
    tr(
        "Demand and on-spec output by element in {year} (coverage on the bars)",
        year=int(c["target_year"]),
    ),
    380,
    yaxis_title=tr("t/yr REO equivalent"),
    barmode="group",
)
st.plotly_chart(fig, key="element_chart")


def _load_plan(settings: list[str]) -> None:
    """The plan's settings become the current edits (one undo brings the old ones back)."""
    s = st.session_state
    s.edits = {**s.edits, **{x.partition("=")[0]: x for x in settings}}


BASES = {"REO": N_("all rare earths (REO)"), "magnet": N_("magnet rare earths")}

with st.expander(tr("What it takes"), expanded=False):
    st.caption(
        tr(
            "The cheapest plan (scrap intake, concentrate, pilot and trains) that covers the share "
            "of demand by the year within the CAPEX budget (0: none), or why none does. About two "
            "minutes with imported concentrate."
        )
    )
    w = st.columns(4)
    share = (
        w[0].number_input(
            tr("Share of demand [%]"), 0.0, 100.0, c["target_share"] * 100, 5.0, key="plan_share"
        )
        / 100
    )
    basis = w[1].selectbox(
        tr("Counted in"),
        ("REO", "magnet"),
        index=0 if c["target_basis"] != "magnet" else 1,
        format_func=shared.words(BASES),
        key="plan_basis",
    )
    year = w[2].number_input(
        tr("By the year"), 2026, 2060, int(c["target_year"]), 1, key="plan_year"
    )
    unit = i18n.money_unit(shared.currency(), shared.lang(), scale="M")
    budget = w[3].number_input(
        tr("CAPEX budget [{unit}]", unit=unit), 0.0, 1e6, 0.0, 10.0, key="plan_budget"
    )
    if st.button(tr("Find the plan"), key="plan_run"):
        with st.spinner(tr("Evaluating the plans...")):
            params_now, _ = shared.load(shared.current_inputs())
            budget_usd = budget * 1e6 / shared.factor(v) if budget > 0 else None
            answer = plan.plan(params_now, share, int(year), basis, budget_usd=budget_usd)
        st.session_state.plan_answer = (answer.summary(), answer.settings())
    found = st.session_state.get("plan_answer")
    if found:
        lines = [x.strip() for x in text.plan(found[0], shared.lang()).splitlines() if x.strip()]
        st.markdown(f"**{lines[0]}**  \n" + "  \n".join(lines[1:]))
        if found[1]:
            st.button(
                tr("Load this plan as the current scenario"),
                key="plan_load",
                on_click=_load_plan,
                args=(found[1],),
            )
