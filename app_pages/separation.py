"""Separation: solvent-extraction stage profiles, the products' purity and recovery, and the stage
counts design mode finds."""

import math
import numbers

import plotly.graph_objects as go
import streamlit as st

from app_pages import shared
from app_pages.shared import tr
from plant import i18n
from plant.i18n import N_

# circuit -> its name and the cut it makes
CIRCUITS = {
    "sx_heavy": N_("heavy (NdPr | SmEuGd-TbDy-HoY)"),
    "sx_dysprosium": N_("dysprosium (Tb | Dy)"),
    "sx_light": N_("light (LaCe | NdPr)"),
    "sx_terbium": N_("terbium (SmEuGd | Tb)"),
    "sx_yttrium": N_("yttrium (Dy | HoY)"),
}

# the words of this page's choices (shown through i18n.label)
CHOICES = (N_("designed"), N_("as given"), N_("constant D"))

v = shared.current()
board = v.board

st.subheader(tr("Products"))
prod = board.products
lang = shared.lang()
st.dataframe(
    prod.assign(
        product=[i18n.product_name(p, lang) for p in prod["product"]],
        t_per_yr=prod["t_per_yr"].round(1),
        reo_t_per_yr=prod["reo_t_per_yr"].round(1),
        purity=(prod["purity"] * 100).round(3),
        recovery=(prod["recovery"] * 100).round(2),
    ).rename(
        columns={
            "product": tr("product"),
            "t_per_yr": tr("t/yr"),
            "reo_t_per_yr": tr("REO t/yr"),
            "purity": tr("purity %"),
            "rare_earths": tr("its rare earths"),
            "recovery": tr("recovery of them from the feed %"),
        }
    ),
    hide_index=True,
)

circuits = list(board.sx_profiles)
if not circuits:
    st.info(tr("This flowsheet has no solvent-extraction circuit."))
    st.stop()
circuit = st.radio(
    tr("Circuit"),
    circuits,
    horizontal=True,
    key="sx_circuit",
    format_func=shared.words(CIRCUITS),
)
name = circuit.removeprefix("sx_")
value = lambda key: getattr(shared.tunable(v, key), "value", None)
if value("solvent_extraction.train") == "designed" and value("solvent_extraction.mode") == "pH":
    # the stages, flows and setpoint are the design's: the section's own levers would do nothing
    shared.widgets(
        v,
        {
            "solvent_extraction.train": tr("Circuits"),
            "solvent_extraction.design.reflux_factor": tr("Reflux over its minimum"),
            f"solvent_extraction.{name}.saponification": tr("Saponification"),
            "solvent_extraction.mode": tr("Equilibrium model"),
        },
        columns=4,
    )
    st.caption(
        tr(
            "Each circuit is designed for the liquor it takes: its stages, flows and setpoint "
            "follow the feed. Choose the circuits as given to set them by hand."
        )
    )
else:
    shared.widgets(
        v,
        {
            "solvent_extraction.train": tr("Circuits"),
            f"solvent_extraction.{name}.n_extraction": tr("Extraction stages"),
            f"solvent_extraction.{name}.n_scrub": tr("Scrub stages"),
            f"solvent_extraction.{name}.organic_ratio": tr("Organic / feed (O/A)"),
            f"solvent_extraction.{name}.scrub_ratio": tr("Scrub / feed"),
            f"solvent_extraction.{name}.strip_purity_setpoint": tr("Strip purity setpoint"),
            f"solvent_extraction.{name}.saponification": tr("Saponification"),
            "solvent_extraction.mode": tr("Equilibrium model"),
        },
        columns=8,
    )

prof = board.sx_profiles[circuit]
PHASES = {"aqueous": N_("Aqueous phase"), "organic": N_("Organic phase")}
log = st.toggle(tr("Logarithmic concentration axis"), value=True, key="sx_log")
c1, c2 = st.columns(2)
for col, phase in ((c1, "aqueous"), (c2, "organic")):
    fig = go.Figure()
    for element, rows in prof.groupby("element", sort=False):
        fig.add_scatter(
            x=rows["stage"], y=rows[f"{phase}_g_per_L"], name=element, mode="lines+markers"
        )
    bounds = prof.drop_duplicates("section")[["stage", "section"]]
    for stage, section in bounds.itertuples(index=False):
        fig.add_vline(x=stage - 0.5, line=dict(color="grey", dash="dot"))
        fig.add_annotation(
            x=stage - 0.5, y=1.02, yref="paper", text=tr(section), showarrow=False, xanchor="left"
        )
    top = float(prof[f"{phase}_g_per_L"].max())
    fig.update_layout(
        title=tr(PHASES[phase]),
        xaxis_title=tr("stage"),
        yaxis_title=tr("g/L of element"),
        yaxis_type="log" if log else "linear",
        height=380,
        margin=dict(t=60, b=10),
    )
    if log and top > 0:
        fig.update_yaxes(range=[math.log10(top) - 7, math.log10(top) + 0.3])
    col.plotly_chart(fig, key=f"profile_{phase}")
if prof["pH"].notna().any():
    ph = prof.drop_duplicates("stage")
    fig = go.Figure(go.Scatter(x=ph["stage"], y=ph["pH"], mode="lines+markers", name="pH"))
    fig.update_layout(
        title=tr("Aqueous pH by stage"),
        xaxis_title=tr("stage"),
        yaxis_title="pH",
        height=300,
        margin=dict(t=50, b=10),
    )
    st.plotly_chart(fig, key="profile_pH")

st.subheader(tr("Stage counts from design mode"))
t1, t2 = st.columns(2)
targets = st.session_state.targets


def _targets():
    shared.with_targets(
        st.session_state.target_purity / 100, st.session_state.target_recovery / 100
    )


t1.number_input(
    tr("Purity target of both products [%]"),
    50.0,
    99.9999,
    targets[0] * 100,
    step=0.1,
    format="%g",
    key="target_purity",
    on_change=_targets,
)
t2.number_input(
    tr("Recovery target of both products [%]"),
    50.0,
    99.9999,
    targets[1] * 100,
    step=0.1,
    format="%g",
    key="target_recovery",
    on_change=_targets,
)


def _cell(x) -> str:
    """A stage count as a whole number, a ratio or purity to four significant figures, none as a
    dash."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if isinstance(x, numbers.Integral) or (isinstance(x, float) and x.is_integer() and x >= 1):
        return f"{int(x)}"
    return f"{x:.4g}" if isinstance(x, float) else str(x)


st.dataframe(
    shared.stage_estimates(shared.current_inputs(), shared.current_inputs().stamp())
    .set_index("circuit")
    .T.map(_cell)
    .rename(index=lambda c: i18n.label(c, lang), columns=lambda c: tr(CIRCUITS.get(c, c)))
)
st.caption(
    tr(
        "Design mode: the fewest extraction and scrub stages, and the least organic and scrub "
        "flows, that meet both targets, searched at the distribution ratios each circuit runs at "
        "now (a constant-D estimate of the pH-mode circuit, fair near the operating point)."
    )
)
