"""Economics: capital by item, operating cost by line, the cash flow and the minimum selling
price, in USD or TWD."""

import plotly.graph_objects as go
import streamlit as st

from app_pages import shared
from app_pages.shared import num, tr
from plant import i18n


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
f, lang = shared.factor(v), shared.lang()
unit = lambda per="", scale="": i18n.money_unit(shared.currency(), lang, per, scale)  # noqa: E731

k = st.columns(4)
k[0].metric(tr("Total capital investment"), shared.money(v, e["capex_usd"]))
k[1].metric(
    tr("Operating cost"),
    shared.money(v, e["opex_usd_per_yr"], "/yr"),
    help=tr("A year at full output."),
)
k[2].metric(
    tr("Revenue"),
    shared.money(v, e["revenue_usd_per_yr"], "/yr"),
    help=tr("A year at full output."),
)
k[3].metric(
    tr("Minimum selling price per kg REO"),
    shared.money(v, e["min_selling_price_usd_per_kg_reo"], "/kg", 2, ""),
    help=tr("The average price per kg REO equivalent at which the NPV is zero."),
)
low, high = e["capex_range_usd"]
a_low, a_high = e["capex_accuracy"]
st.caption(
    tr(
        "AACE class {cls} estimate, {low} to {high} on fixed capital: total capital {lo_usd} to "
        "{hi_usd}. docs/BENCHMARK.md puts it beside real plants.",
        cls=e["estimate_class"],
        low=f"{a_low:+.0%}",
        high=f"{a_high:+.0%}",
        lo_usd=shared.money(v, low),
        hi_usd=shared.money(v, high),
    )
)
shared.widgets(
    v,
    {
        "economics.finance.discount_rate": tr("Discount rate"),
        "economics.finance.plant_life": tr("Plant life"),
        "economics.exchange_rate": tr("Exchange rate"),
        "economics.finance.debt_share": tr("Debt share"),
        "services.effluent_route": tr("Effluent route"),
        "economics.capex.contingency": tr("Contingency"),
        "economics.capex.location_factor": tr("Location factor"),
        "economics.capex.owners_costs": tr("Owner's costs"),
    },
    columns=4,
)

a1, a2 = st.columns(2)
areas = e["capex_by_area_usd"]
fig = go.Figure(
    go.Bar(
        x=[x * f / 1e6 for x in areas.values()],
        y=[i18n.label(a, lang) for a in areas],
        orientation="h",
        text=[num(x * f / 1e6, 2) for x in areas.values()],
        textposition="auto",
    )
)
bar_layout(fig, tr("Installed equipment by plant area"), unit(scale="M"), len(areas), 300, 30)
a1.plotly_chart(fig, key="area_chart")
staff = e["headcount"]
with a2:
    st.metric(
        tr("Staff"),
        tr("{n} people", n=num(staff["total"])),
        help=tr("From the staffing plan."),
    )
    st.dataframe(
        [
            {tr("role"): i18n.label(role, lang), tr("people (full-time equivalent)"): round(n)}
            for role, n in staff["by_role"].items()
            if n > 0
        ],
        hide_index=True,
    )
    flow = v.summary["effluent"]
    st.caption(
        tr(
            "Effluent: {flow} m³/d, zero liquid discharge ({salt} t/yr of salts landfilled)",
            flow=num(flow["flow_m3_per_d"]),
            salt=num(flow["salt_t_per_yr"]),
        )
        if flow["route"] == "zld"
        else tr(
            "Effluent: {flow} m³/d, neutralised and discharged, NH3-N {nh3} mg/L against a limit "
            "of {limit}",
            flow=num(flow["flow_m3_per_d"]),
            nh3=num(flow["ammonia_nitrogen_mg_per_l"], 1),
            limit=num(flow["ammonia_nitrogen_limit_mg_per_l"]),
        )
    )

c1, c2 = st.columns(2)
capex = t["capex"]
items = capex[~capex["subtotal"]]
fig = go.Figure(
    go.Bar(
        x=items["usd"] * f / 1e6,
        y=[i18n.label(x, lang) for x in items["line"]],
        orientation="h",
    )
)
bar_layout(fig, tr("Capital cost by item"), unit(scale="M"), len(items), 420, 24)
c1.plotly_chart(fig, key="capex_chart")
opex = t["opex"]
fig = go.Figure()
for cat, rows in opex.groupby("category", sort=False):
    fig.add_bar(
        x=rows["usd_per_yr"] * f / 1e6,
        y=[i18n.label(x, lang) for x in rows["line"]],
        orientation="h",
        name=i18n.label(cat, lang),
    )
bar_layout(
    fig,
    tr("Operating cost by line (a year at full output)"),
    unit("/yr", "M"),
    len(opex),
    420,
    24,
    legend=dict(orientation="h", y=-0.2),
)
c2.plotly_chart(fig, key="opex_chart")

cash = t["cashflow"]
fig = go.Figure()
fig.add_bar(x=cash.index, y=cash["net cash flow"] * f / 1e6, name=tr("net cash flow"))
fig.add_scatter(
    x=cash.index, y=cash["cumulative"] * f / 1e6, name=tr("cumulative"), mode="lines+markers"
)
fig.add_scatter(
    x=cash.index,
    y=cash["cumulative discounted"] * f / 1e6,
    name=tr("cumulative discounted"),
    mode="lines",
    line=dict(dash="dash"),
)
fig.update_layout(
    title=tr("Cash flow (nominal)"),
    yaxis_title=unit(scale="M"),
    xaxis_title=tr("year"),
    height=400,
    margin=dict(t=50, b=10),
    legend=dict(orientation="h", y=-0.2),
)
st.plotly_chart(fig, key="cash_chart")

# the levelised cost, line by line, as a waterfall that ends at its total
by = sorted(e["cost_breakdown_usd_per_kg_reo"].items(), key=lambda kv: -kv[1])
big = [(k, x) for k, x in by if abs(x) >= 0.01 * e["cost_usd_per_kg_reo"]]
rest = sum(x for k, x in by if (k, x) not in big)
steps = [*[(i18n.label(k, lang), x) for k, x in big], (tr("other lines (each under 1 %)"), rest)]
fig = go.Figure(
    go.Waterfall(
        x=[k for k, _ in steps] + [tr("levelised cost")],
        y=[x * f for _, x in steps] + [0.0],
        measure=["relative"] * len(steps) + ["total"],
        text=[num(x * f, 1) for _, x in steps] + [num(e["cost_usd_per_kg_reo"] * f, 1)],
        textposition="outside",
    )
)
fig.update_layout(
    title=tr("What the levelised cost is made of [{unit}]", unit=unit("/kg") + " REO"),
    yaxis_title=unit("/kg") + " REO",
    height=420,
    margin=dict(t=50, b=10),
    showlegend=False,
)
st.plotly_chart(fig, key="cost_waterfall")

with st.expander(tr("Tables")):
    for name, title in (
        ("capex", tr("Capital cost")),
        ("equipment", tr("Equipment")),
        ("opex", tr("Operating cost per year")),
        ("cost_breakdown", tr("Levelised cost by line")),
        ("cashflow", tr("Cash flow by year")),
    ):
        st.markdown(f"**{title}** [{unit()}]")
        st.dataframe(shared.table(v, name), hide_index=name != "cashflow")
if e["equipment_outside_correlation_range"]:
    st.caption(
        tr(
            "Sized outside the range of its cost correlation (priced at the range's edge): {items}",
            items=", ".join(e["equipment_outside_correlation_range"]),
        )
    )
