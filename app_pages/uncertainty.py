"""Uncertainty: Monte Carlo of the [uncertainty] distributions (histograms, P10/P50/P90, the chance
of meeting the target and of a positive NPV), the tornado, and Sobol and Morris indices on
request."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages import shared
from plant.analysis import batch, montecarlo, sensitivity

SAMPLES = (500, 1000, 2000, 5000, 10000)
SOBOL_N = (128, 256, 512, 1024)
SHOWN = {
    "npv_usd": "NPV",
    "cost_usd_per_kg_reo": "Cost per kg REO",
    "reo_t_per_yr": "REO output in the target year",
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
    cur = shared.currency()
    if unit in ("USD", "USD/yr"):
        return shared.factor(v) / 1e6, f"M{cur}" + unit[3:]
    if unit.startswith("USD/"):
        return shared.factor(v), cur + unit[3:]
    if unit == "-":
        return 100.0, "%"
    return 1.0, unit


def histogram(v, key: str, values: pd.Series, stats: dict) -> go.Figure:
    f, unit = scale(v, key)
    fig = go.Figure(go.Histogram(x=values * f, nbinsx=50, marker_color="#4c78a8", name="samples"))
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
        title=f"{SHOWN[key]} [{unit}]",
        height=300,
        margin=dict(t=50, b=30, l=40, r=10),
        showlegend=False,
        yaxis_title="samples",
    )
    return fig


v = shared.current()
inputs, stamp = shared.current_inputs(), shared.current_inputs().stamp()
st.subheader("Monte Carlo")
c = st.columns([1, 1, 4])
samples = c[0].selectbox("Samples", SAMPLES, index=2, key="mc_samples")
seed = int(c[1].number_input("Seed", min_value=0, value=0, step=1, key="mc_seed"))
c[2].caption(
    "Each sample draws every distribution of the parameters' `[uncertainty]` tables; "
    "the SX circuits run on their constant-D stand-ins calibrated at this design "
    "(`plant mc --sx pH` solves each sample in pH mode). pXX: XX % of the samples lie below."
)
try:
    with st.spinner("Sampling..."):
        summary, out, drawn = monte_carlo(inputs, stamp, samples, seed)
except Exception as exc:  # a model error in some sample: say so, keep the page
    st.error(f"Monte Carlo not run: {exc}")
    st.stop()

pr = summary["probability"]
k = st.columns(4)
k[0].metric(
    "P(target met)",
    f"{pr['target_met'] * 100:.1f} %",
    help="Share of samples whose output in the target year reaches the target.",
)
k[1].metric("P(NPV > 0)", f"{pr['npv_positive'] * 100:.1f} %")
npv = {q: summary["npv_usd"][q] * shared.factor(v) / 1e6 for q in ("p10", "p50", "p90")}
cost = {q: summary["cost_usd_per_kg_reo"][q] * shared.factor(v) for q in ("p10", "p50", "p90")}
cur = shared.currency()
k[2].metric(
    "NPV, median",
    f"{npv['p50']:,.0f} M{cur}",
    help=f"P10 {npv['p10']:,.0f}, P90 {npv['p90']:,.0f} M{cur}",
)
k[3].metric(
    "Cost per kg REO, median",
    f"{cost['p50']:,.0f} {cur}/kg",
    help=f"P10 {cost['p10']:,.0f}, P90 {cost['p90']:,.0f} {cur}/kg",
)
st.caption(
    f"NPV from {npv['p10']:,.0f} (P10) to {npv['p90']:,.0f} M{cur} (P90); cost per kg REO from "
    f"{cost['p10']:,.0f} to {cost['p90']:,.0f} {cur}/kg."
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
            "output": label,
            "unit": shown,
            **{q.upper(): shown4(s[q], f) for q in ("p10", "p50", "p90")},
            "mean": shown4(s["mean"], f),
            "share of samples with a value": f"{s.get('share_defined', 1.0) * 100:.1f} %",
        }
    )
st.dataframe(pd.DataFrame(rows), hide_index=True)
st.caption(
    "P10: 10 % of the samples lie below. An IRR exists only where the cash flow turns positive: "
    "its percentiles are over the samples that have one (their share beside it)."
)

st.subheader("Tornado")
output = st.radio(
    "Output", list(SHOWN)[:2], format_func=SHOWN.get, horizontal=True, key="sens_output"
)
tor = tornado(inputs, stamp, output)
f, unit = scale(v, output)
base = tor["base"].iloc[0] * f
fig = go.Figure()
order = tor.iloc[::-1]
fig.add_bar(
    y=order["label"],
    x=(order["output_low"] * f - base),
    base=base,
    orientation="h",
    name="input at P10",
    marker_color="#e45756",
)
fig.add_bar(
    y=order["label"],
    x=(order["output_high"] * f - base),
    base=base,
    orientation="h",
    name="input at P90",
    marker_color="#4c78a8",
)
fig.add_vline(x=base, line_color="black")
fig.update_layout(
    barmode="overlay",
    height=60 + 28 * len(tor),
    margin=dict(t=20, b=30, l=10, r=10),
    xaxis_title=f"{SHOWN[output]} [{unit}]",
    legend=dict(orientation="h"),
)
st.plotly_chart(fig, use_container_width=True, key="tornado")
st.caption(
    "Each input moved alone from its 10th to its 90th percentile, the others at the files' values."
)

st.subheader("Global sensitivity (Sobol, Morris)")
c = st.columns([1, 1, 4])
n = c[0].selectbox(
    "Sobol N",
    SOBOL_N,
    index=1,
    key="sobol_n",
    help="Base samples of Saltelli's design: N (k + 2) model runs for k inputs.",
)
if c[1].button("Compute", key="sobol_run") or st.session_state.get("sobol_done") == (
    inputs,
    n,
    seed,
    output,
):
    with st.spinner("Sobol and Morris designs..."):
        sob, mor = global_indices(inputs, stamp, n, seed, output)
    st.session_state.sobol_done = (inputs, n, seed, output)
    fig = go.Figure()
    fig.add_bar(x=sob.index, y=sob["S1"], error_y=dict(array=sob["S1_conf"]), name="first order S1")
    fig.add_bar(x=sob.index, y=sob["ST"], error_y=dict(array=sob["ST_conf"]), name="total ST")
    fig.update_layout(
        barmode="group",
        height=340,
        margin=dict(t=30, b=30, l=10, r=10),
        title=f"Sobol indices of {SHOWN[output]}",
        yaxis_title="share of variance",
    )
    st.plotly_chart(fig, use_container_width=True, key="sobol")
    f, unit = scale(v, output)
    labels = {name: x["label"] for name, x in summary["inputs"].items()}
    shown_mor = pd.DataFrame(
        {
            f"mu* (mean |effect|) [{unit}]": [float(f"{x * f:.3g}") for x in mor["mu_star"]],
            f"sigma (interactions) [{unit}]": [float(f"{x * f:.3g}") for x in mor["sigma"]],
        },
        index=[labels.get(name, name) for name in mor.index],
    )
    st.markdown(f"**Morris effects on {SHOWN[output]}**")
    st.dataframe(shown_mor, use_container_width=True)
else:
    c[2].caption(
        "Sobol first and total indices and Morris effects of the output above; about 1-3 s."
    )
