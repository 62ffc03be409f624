"""Uncertainty: Monte Carlo of the [uncertainty] distributions (histograms, P10/P50/P90, the chance
of meeting the target and of a positive NPV), the tornado, and Sobol and Morris indices on
request."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages import shared
from app_pages.shared import num, tr
from plant import i18n
from plant.analysis import batch, montecarlo, sensitivity
from plant.i18n import N_

SAMPLES = (500, 1000, 2000, 5000, 10000)
SOBOL_N = (128, 256, 512, 1024)
SHOWN = {
    "npv_usd": N_("NPV"),
    "cost_usd_per_kg_reo": N_("Cost per kg REO"),
    "reo_t_per_yr": N_("REO output in the target year"),
}


@st.cache_data(max_entries=16, show_spinner=False)
def monte_carlo(
    inputs: shared.Inputs, stamp: tuple, samples: int, seed: int
) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """(summary, outputs, inputs drawn) of a Monte Carlo run of ``inputs`` (cached)."""
    p, _ = shared.load(inputs)
    mc = montecarlo.run(p, samples, seed)
    return mc.summary(), mc.outputs[list(batch.OUTPUTS) + ["target_met"]], mc.inputs


@st.cache_data(max_entries=16, show_spinner=False)
def tornado(inputs: shared.Inputs, stamp: tuple, output: str) -> pd.DataFrame:
    p, _ = shared.load(inputs)
    ins = montecarlo.inputs_of(p)
    return sensitivity.tornado(batch.plant_model(p, inputs=ins), ins, output)


@st.cache_data(max_entries=8, show_spinner=False)
def global_indices(inputs: shared.Inputs, stamp: tuple, n: int, seed: int, output: str):
    """(Sobol frame, Morris frame) of ``output``."""
    p, _ = shared.load(inputs)
    ins = montecarlo.inputs_of(p)
    m = batch.plant_model(p, inputs=ins)
    return (
        sensitivity.sobol(m, ins, n, seed, (output,))[output],
        sensitivity.morris(m, ins, 50, seed, (output,))[output],
    )


def scale(v, key: str) -> tuple[float, str]:
    """(factor, unit) to show output ``key`` in: money in the chosen currency (millions for
    amounts), shares in per cent."""
    unit = batch.OUTPUTS[key][1]
    cur, lang = shared.currency(), shared.lang()
    if unit in ("USD", "USD/yr"):
        return shared.factor(v) / 1e6, i18n.money_unit(cur, lang, unit[3:], "M")
    if unit.startswith("USD/"):
        per, _, rest = unit[3:].partition(" ")
        return shared.factor(v), f"{i18n.money_unit(cur, lang, per)} {rest}".strip()
    if unit == "-":
        return 100.0, "%"
    return 1.0, unit


def histogram(v, key: str, values: pd.Series, stats: dict) -> go.Figure:
    f, unit = scale(v, key)
    fig = go.Figure(
        go.Histogram(x=values * f, nbinsx=50, marker_color="#4c78a8", name=tr("samples"))
    )
    for q, dash in (("p10", "dot"), ("p50", "solid"), ("p90", "dot")):
        if stats[q] is not None:
            fig.add_vline(
                x=stats[q] * f,
                line_dash=dash,
                line_color="#e45756",
                annotation_text=q.upper(),
                annotation_position="top",
            )
    fig.update_layout(
        title=f"{tr(SHOWN[key])} [{unit}]",
        height=300,
        margin=dict(t=50, b=30, l=40, r=10),
        showlegend=False,
        yaxis_title=tr("samples"),
    )
    return fig


v = shared.current()
inputs, stamp = shared.current_inputs(), shared.current_inputs().stamp()
st.subheader(tr("Monte Carlo"))
c = st.columns([1, 1, 4])
samples = c[0].selectbox(tr("Samples"), SAMPLES, index=2, key="mc_samples")
seed = int(c[1].number_input(tr("Seed"), min_value=0, value=0, step=1, key="mc_seed"))
c[2].caption(
    tr(
        "Each sample draws every distribution of the parameters' `[uncertainty]` tables; "
        "the SX circuits run on their constant-D stand-ins calibrated at this design "
        "(`plant mc --sx pH` solves each sample in pH mode). pXX: XX % of the samples lie below."
    )
)
try:
    with st.spinner(tr("Sampling...")):
        summary, out, drawn = monte_carlo(inputs, stamp, samples, seed)
except Exception as exc:  # a model error in some sample: say so, keep the page
    st.error(tr("Monte Carlo not run: {why}", why=exc))
    st.stop()

pr = summary["probability"]
k = st.columns(4)
k[0].metric(
    tr("P(target met)"),
    f"{num(pr['target_met'] * 100, 1)} %",
    help=tr("Share of samples whose output in the target year reaches the target."),
)
k[1].metric(tr("P(NPV > 0)"), f"{num(pr['npv_positive'] * 100, 1)} %")
npv = {q: summary["npv_usd"][q] * shared.factor(v) / 1e6 for q in ("p10", "p50", "p90")}
cost = {q: summary["cost_usd_per_kg_reo"][q] * shared.factor(v) for q in ("p10", "p50", "p90")}
m_unit = i18n.money_unit(shared.currency(), shared.lang(), "", "M")
kg_unit = i18n.money_unit(shared.currency(), shared.lang(), "/kg")
k[2].metric(
    tr("NPV, median"),
    f"{num(npv['p50'])} {m_unit}",
    help=f"P10 {num(npv['p10'])}, P90 {num(npv['p90'])} {m_unit}",
)
k[3].metric(
    tr("Cost per kg REO, median"),
    f"{num(cost['p50'])} {kg_unit}",
    help=f"P10 {num(cost['p10'])}, P90 {num(cost['p90'])} {kg_unit}",
)
st.caption(
    tr(
        "NPV from {npv10} (P10) to {npv90} (P90); cost per kg REO from {cost10} to {cost90}.",
        npv10=num(npv["p10"]),
        npv90=f"{num(npv['p90'])} {m_unit}",
        cost10=num(cost["p10"]),
        cost90=f"{num(cost['p90'])} {kg_unit}",
    )
)
cols = st.columns(3)
for col, key in zip(cols, SHOWN):
    col.plotly_chart(
        histogram(v, key, out[key], summary[key]), use_container_width=True, key=f"hist_{key}"
    )

rows = []
shown4 = lambda x, f: None if x is None else float(f"{x * f:.4g}")  # four digits
for key, (label, _unit) in batch.OUTPUTS.items():
    f, shown = scale(v, key)
    s = summary[key]
    rows.append(
        {
            tr("output"): tr(label),
            tr("unit"): shown,
            **{q.upper(): shown4(s[q], f) for q in ("p10", "p50", "p90")},
            tr("mean"): shown4(s["mean"], f),
            tr("share of samples with a value"): f"{s.get('share_defined', 1.0) * 100:.1f} %",
        }
    )
st.dataframe(pd.DataFrame(rows), hide_index=True)
st.caption(
    tr(
        "P10: 10 % of the samples lie below. An IRR exists only where the cash flow turns "
        "positive: its percentiles are over the samples that have one (their share beside it)."
    )
)

st.subheader(tr("Tornado"))
output = st.radio(
    tr("Output"),
    list(SHOWN)[:2],
    format_func=shared.words(SHOWN),
    horizontal=True,
    key="sens_output",
)
tor = tornado(inputs, stamp, output)
f, unit = scale(v, output)
base = tor["base"].iloc[0] * f
fig = go.Figure()
order = tor.iloc[::-1]
names = [i18n.label(x, shared.lang()) for x in order["label"]]
fig.add_bar(
    y=names,
    x=(order["output_low"] * f - base),
    base=base,
    orientation="h",
    name=tr("input at P10"),
    marker_color="#e45756",
)
fig.add_bar(
    y=names,
    x=(order["output_high"] * f - base),
    base=base,
    orientation="h",
    name=tr("input at P90"),
    marker_color="#4c78a8",
)
fig.add_vline(x=base, line_color="black")
fig.update_layout(
    barmode="overlay",
    height=60 + 28 * len(tor),
    margin=dict(t=20, b=30, l=10, r=10),
    xaxis_title=f"{tr(SHOWN[output])} [{unit}]",
    legend=dict(orientation="h"),
)
st.plotly_chart(fig, use_container_width=True, key="tornado")
st.caption(
    tr(
        "Each input moved alone from its 10th to its 90th percentile, the others at the files' "
        "values."
    )
)

st.subheader(tr("Global sensitivity (Sobol, Morris)"))
c = st.columns([1, 1, 4])
n = c[0].selectbox(
    tr("Sobol N"),
    SOBOL_N,
    index=1,
    key="sobol_n",
    help=tr("Base samples of Saltelli's design: N (k + 2) model runs for k inputs."),
)
if c[1].button(tr("Compute"), key="sobol_run") or st.session_state.get("sobol_done") == (
    inputs,
    n,
    seed,
    output,
):
    with st.spinner(tr("Sobol and Morris designs...")):
        sob, mor = global_indices(inputs, stamp, n, seed, output)
    st.session_state.sobol_done = (inputs, n, seed, output)
    labels = {name: x["label"] for name, x in summary["inputs"].items()}
    shown_names = [i18n.label(labels.get(x, x), shared.lang()) for x in sob.index]
    fig = go.Figure()
    fig.add_bar(
        x=shown_names,
        y=sob["S1"],
        error_y=dict(array=sob["S1_conf"]),
        name=tr("first order S1"),
    )
    fig.add_bar(x=shown_names, y=sob["ST"], error_y=dict(array=sob["ST_conf"]), name=tr("total ST"))
    fig.update_layout(
        barmode="group",
        height=340,
        margin=dict(t=30, b=30, l=10, r=10),
        title=tr("Sobol indices of {output}", output=tr(SHOWN[output])),
        yaxis_title=tr("share of variance"),
    )
    st.plotly_chart(fig, use_container_width=True, key="sobol")
    f, unit = scale(v, output)
    shown_mor = pd.DataFrame(
        {
            tr("mu* (mean |effect|) [{unit}]", unit=unit): [
                float(f"{x * f:.3g}") for x in mor["mu_star"]
            ],
            tr("sigma (interactions) [{unit}]", unit=unit): [
                float(f"{x * f:.3g}") for x in mor["sigma"]
            ],
        },
        index=[i18n.label(labels.get(name, name), shared.lang()) for name in mor.index],
    )
    st.markdown("**" + tr("Morris effects on {output}", output=tr(SHOWN[output])) + "**")
    st.dataframe(shown_mor, use_container_width=True)
else:
    c[2].caption(
        tr("Sobol first and total indices and Morris effects of the output above; about 1-3 s.")
    )
