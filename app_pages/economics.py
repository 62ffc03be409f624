"""Economics: capital by item, operating cost by line, the cash flow and the minimum selling
price, in USD or TWD."""

import plotly.graph_objects as go
import streamlit as st

from app_pages import shared


def bar_layout(fig, title: str, unit: str, rows: int, floor: int, per_row: int, **more):
    """Lay out a horizontal bar chart of ``rows`` bars, the first on top."""
    fig.update_layout(
        title=title,
        xaxis_title=unit,
        height=max(floor, per_row * rows + 150),
        margin=dict(t=50, b=10),
        yaxis=dict(autorange="reversed"),
        **more,
    )
    return fig


v = shared.current()
e, t = v.summary["economics"], v.board.tables
f, cur = shared.factor(v), shared.currency()

k = st.columns(4)
k[0].metric("Total capital investment", shared.money(v, e["capex_usd"]))
k[1].metric(
    "Operating cost", shared.money(v, e["opex_usd_per_yr"], "/yr"), help="A year at full output."
)
k[2].metric(
    "Revenue", shared.money(v, e["revenue_usd_per_yr"], "/yr"), help="A year at full output."
)
k[3].metric(
    "Minimum selling price per kg REO",
    shared.money(v, e["min_selling_price_usd_per_kg_reo"], "/kg", 2, ""),
    help="The average price per kg REO equivalent at which the NPV is zero.",
)
low, high = e["capex_range_usd"]
a_low, a_high = e["capex_accuracy"]
st.caption(
    f"AACE class {e['estimate_class']} estimate, {a_low:+.0%} to {a_high:+.0%} on fixed "
    f"capital: total capital {shared.money(v, low)} to {shared.money(v, high)}. "
    "docs/BENCHMARK.md puts it beside real plants."
)
shared.widgets(
    v,
    {
        "economics.finance.discount_rate": "Discount rate",
        "economics.finance.plant_life": "Plant life",
        "economics.exchange_rate": "Exchange rate",
        "economics.finance.debt_share": "Debt share",
        "services.effluent_route": "Effluent route",
        "economics.capex.contingency": "Contingency",
        "economics.capex.location_factor": "Location factor",
        "economics.capex.owners_costs": "Owner's costs",
    },
    columns=4,
)

a1, a2 = st.columns(2)
areas = e["capex_by_area_usd"]
fig = go.Figure(
    go.Bar(
        x=[x * f / 1e6 for x in areas.values()],
        y=list(areas),
        orientation="h",
        text=[f"{x * f / 1e6:,.2f}" for x in areas.values()],
        textposition="auto",
    )
)
bar_layout(fig, "Installed equipment by plant area", f"M{cur}", len(areas), 300, 30)
a1.plotly_chart(fig, key="area_chart")
staff = e["headcount"]
with a2:
    st.metric("Staff", f"{staff['total']:,.0f} people", help="From the staffing plan.")
    st.dataframe(
        [
            {"role": role, "people (full-time equivalent)": round(n)}
            for role, n in staff["by_role"].items()
            if n > 0
        ],
        hide_index=True,
    )
    flow = v.summary["effluent"]
    st.caption(
        f"Effluent: {flow['flow_m3_per_d']:,.0f} m³/d, "
        + (
            f"zero liquid discharge ({flow['salt_t_per_yr']:,.0f} t/yr of salts landfilled)"
            if flow["route"] == "zld"
            else f"neutralised and discharged, NH3-N {flow['ammonia_nitrogen_mg_per_l']:.1f} "
            f"mg/L against a limit of {flow['ammonia_nitrogen_limit_mg_per_l']:.0f}"
        )
    )

c1, c2 = st.columns(2)
capex = t["capex"]
items = capex[~capex["subtotal"]]
fig = go.Figure(go.Bar(x=items["usd"] * f / 1e6, y=items["line"], orientation="h"))
bar_layout(fig, "Capital cost by item", f"M{cur}", len(items), 420, 24)
c1.plotly_chart(fig, key="capex_chart")
opex = t["opex"]
fig = go.Figure()
for cat, rows in opex.groupby("category", sort=False):
    fig.add_bar(x=rows["usd_per_yr"] * f / 1e6, y=rows["line"], orientation="h", name=cat)
bar_layout(
    fig,
    "Operating cost by line (a year at full output)",
    f"M{cur}/yr",
    len(opex),
    420,
    24,
    legend=dict(orientation="h", y=-0.2),
)
c2.plotly_chart(fig, key="opex_chart")

cash = t["cashflow"]
fig = go.Figure()
fig.add_bar(x=cash.index, y=cash["net cash flow"] * f / 1e6, name="net cash flow")
fig.add_scatter(
    x=cash.index, y=cash["cumulative"] * f / 1e6, name="cumulative", mode="lines+markers"
)
fig.add_scatter(
    x=cash.index,
    y=cash["cumulative discounted"] * f / 1e6,
    name="cumulative discounted",
    mode="lines",
    line=dict(dash="dash"),
)
fig.update_layout(
    title="Cash flow (nominal)",
    yaxis_title=f"M{cur}",
    xaxis_title="year",
    height=400,
    margin=dict(t=50, b=10),
    legend=dict(orientation="h", y=-0.2),
)
st.plotly_chart(fig, key="cash_chart")

# the levelised cost, line by line, as a waterfall that ends at its total
by = sorted(e["cost_breakdown_usd_per_kg_reo"].items(), key=lambda kv: -kv[1])
big = [(k, x) for k, x in by if abs(x) >= 0.01 * e["cost_usd_per_kg_reo"]]
rest = sum(x for k, x in by if (k, x) not in big)
steps = [*big, ("other lines (each under 1 %)", rest)]
fig = go.Figure(
    go.Waterfall(
        x=[k for k, _ in steps] + ["levelised cost"],
        y=[x * f for _, x in steps] + [0.0],
        measure=["relative"] * len(steps) + ["total"],
        text=[f"{x * f:,.1f}" for _, x in steps] + [f"{e['cost_usd_per_kg_reo'] * f:,.1f}"],
        textposition="outside",
    )
)
fig.update_layout(
    title=f"What the levelised cost is made of [{cur}/kg REO]",
    yaxis_title=f"{cur}/kg REO",
    height=420,
    margin=dict(t=50, b=10),
    showlegend=False,
)
st.plotly_chart(fig, key="cost_waterfall")

with st.expander("Tables"):
    for name, title in (
        ("capex", "Capital cost"),
        ("equipment", "Equipment"),
        ("opex", "Operating cost per year"),
        ("cost_breakdown", "Levelised cost by line"),
        ("cashflow", "Cash flow by year"),
    ):
        st.markdown(f"**{title}** [{cur}]")
        st.dataframe(shared.table(v, name), hide_index=name != "cashflow")
if e["equipment_outside_correlation_range"]:
    st.caption(
        "Sized outside the range of its cost correlation (priced at the range's edge): "
        + ", ".join(e["equipment_outside_correlation_range"])
    )
