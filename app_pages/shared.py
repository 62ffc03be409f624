"""What every page of the app shares: the inputs in session state, the cached model call, the
parameter widgets, the headline KPIs and money in the chosen currency.

Data flow (one way): the sidebar and the parameter widgets edit :class:`Inputs` in
``st.session_state``; :func:`view` evaluates them through the cached :func:`compute` (or, when they
are invalid, shows why and falls back to the last valid inputs); the pages draw the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from plant import PlantError, dashboard, model, params, tuning
from plant.paths import BASE_PARAMS, SCENARIOS_DIR
from plant.uom import usd_to_twd

BASE = "base (params/base.toml only)"
DEFAULT_TARGETS = (0.995, 0.99)
"""Purity and recovery targets [-] of the design-mode stage estimates."""


@dataclass(frozen=True)
class Inputs:
    """Everything a result depends on: the base file, a scenario file over it, an uploaded file over
    that (name, text), the widget edits ('section.key=VALUE') and the design-mode targets."""

    base: str
    scenario: str | None = None
    upload: tuple[str, str] | None = None
    overrides: tuple[str, ...] = ()
    targets: tuple[float, float] = DEFAULT_TARGETS

    def files(self) -> tuple[str, ...]:
        return (self.scenario,) if self.scenario else ()

    def stamp(self) -> tuple[float, ...]:
        """Modification times of the files, so that an edited file is evaluated afresh."""
        return tuple(Path(f).stat().st_mtime for f in (self.base, *self.files()))


@dataclass(frozen=True)
class View:
    """A valid evaluation for display: the dashboard, the editable parameters and the TOML of the
    whole parameter set."""

    board: dashboard.Dashboard
    tunables: tuple[tuning.Tunable, ...]
    toml: str

    @property
    def summary(self) -> dict:
        return self.board.summary


def load(inputs: Inputs):
    """(Params, merged document) of ``inputs``; ParamError names the file or upload and the key."""
    overlays = []
    if inputs.upload:
        name, text = inputs.upload
        overlays.append((name, params.parse_toml(text, name)))
    return model.load(
        *inputs.files(), overrides=inputs.overrides, overlays=overlays, base=inputs.base
    )


@st.cache_data(max_entries=64, show_spinner=False)
def compute(inputs: Inputs, stamp: tuple[float, ...]) -> View:
    """The model evaluated for ``inputs`` (cached per inputs and file versions)."""
    p, doc = load(inputs)
    board = dashboard.build(model.evaluate(p), *inputs.targets)
    return View(board, tuple(tuning.tunables(model.Params, doc)), params.to_toml(doc))


def evaluate(inputs: Inputs) -> View:
    return compute(inputs, inputs.stamp())


# ------------------------------------------------------------------------------------------ state


def scenario_files() -> dict[str, str]:
    """Bundled scenarios: label -> file (None for the base case alone)."""
    return {BASE: None, **{f.stem: str(f) for f in sorted(SCENARIOS_DIR.glob("*.toml"))}}


def base_path(argv: list[str]) -> str:
    """The params file given after ``--`` on the command line, else params/base.toml."""
    given = [a for a in argv if a.endswith(".toml")]
    return str(Path(given[0]) if given else BASE_PARAMS)


def init(base: str) -> None:
    """Session state on the first run: no edits, the base case, USD."""
    s = st.session_state
    s.setdefault("edits", {})  # key -> 'key=VALUE'
    s.setdefault("upload", None)  # (name, text)
    s.setdefault("scenario", BASE)
    s.setdefault("targets", DEFAULT_TARGETS)
    s.setdefault("currency", "USD")
    s.setdefault("compare", {})  # label -> Inputs
    s.setdefault("base", base)
    s.setdefault("valid", Inputs(base))


def current_inputs() -> Inputs:
    s = st.session_state
    return Inputs(
        s.base,
        scenario_files().get(s.scenario),
        s.upload,
        tuple(sorted(s.edits.values())),
        s.targets,
    )


def view() -> View:
    """The result of the current inputs; if they are invalid, the error on the page and the result
    of the last valid inputs, to which the inputs return (so the widgets show what is evaluated)."""
    s = st.session_state
    inputs = current_inputs()
    try:
        out = evaluate(inputs)
    except PlantError as exc:
        st.error(
            f"**Not applied:** {exc}\n\nThe page shows the last valid parameters.",
            icon=":material/warning:",
        )
        return _fall_back(inputs)
    except Exception as exc:  # an internal error: say so plainly, keep the last valid state
        st.error(
            f"**Internal error** ({type(exc).__name__}: {exc}). "
            "The page shows the last valid parameters.",
            icon=":material/warning:",
        )
        return _fall_back(inputs)
    s.valid = inputs
    return out


def _fall_back(bad: Inputs) -> View:
    s = st.session_state
    good: Inputs = s.valid
    keys = {o.partition("=")[0] for o in bad.overrides}
    s.edits = {o.partition("=")[0]: o for o in good.overrides}
    for key in keys:  # widgets show the valid value again
        s.pop(widget_key(key), None)
    s.upload, s.targets = good.upload, good.targets
    s.scenario = next((k for k, v in scenario_files().items() if v == good.scenario), BASE)
    return evaluate(good)


def widget_key(param: str) -> str:
    return f"param:{param}"


def _edited(t: tuning.Tunable) -> None:
    st.session_state.edits[t.key] = t.override(st.session_state[widget_key(t.key)])


def param_widget(t: tuning.Tunable, label: str | None = None, container=st):
    """The widget of one parameter: its unit in the label, held to its domain; an edit becomes an
    override of the inputs."""
    text = (label or t.label).replace("_", " ") + (f" [{t.unit}]" if t.unit else "")
    common = dict(key=widget_key(t.key), help=t.help, on_change=_edited, args=(t,))
    if t.kind == "bool":
        return container.checkbox(text, value=bool(t.value), **common)
    if t.kind == "choice":
        return container.selectbox(text, t.choices, index=t.choices.index(t.value), **common)
    if t.kind == "integer":
        lo = int(t.lo) if t.lo is not None else None
        hi = int(t.hi) if t.hi is not None else None
        return container.number_input(
            text, min_value=lo, max_value=hi, value=int(t.value), step=1, **common
        )
    lo, hi = t.lo, t.hi
    value = min(
        max(float(t.value), lo if lo is not None else -math.inf), hi if hi is not None else math.inf
    )
    return container.number_input(
        text, min_value=lo, max_value=hi, value=value, step=_step(value), format="%g", **common
    )


def _step(value: float) -> float:
    """A step of about a tenth of the value's order of magnitude."""
    return 10.0 ** (math.floor(math.log10(abs(value))) - 1) if value else 0.01


def tunable(v: View, key: str) -> tuning.Tunable | None:
    return next((t for t in v.tunables if t.key == key), None)


def widgets(v: View, keys: dict[str, str], columns: int = 3) -> None:
    """Widgets for the parameters ``keys`` (key -> label) that the document has, in columns."""
    items = [(tunable(v, k), label) for k, label in keys.items()]
    items = [(t, label) for t, label in items if t is not None]
    cols = st.columns(columns)
    for i, (t, label) in enumerate(items):
        param_widget(t, label, cols[i % columns])


def with_targets(purity: float, recovery: float) -> None:
    st.session_state.targets = (purity, recovery)


def reset() -> None:
    """Drop every edit and upload (back to the chosen scenario's files)."""
    s = st.session_state
    for key in list(s.edits):
        s.pop(widget_key(key), None)
    s.edits, s.upload, s.targets = {}, None, DEFAULT_TARGETS


def compare_entry(label: str, inputs: Inputs) -> None:
    st.session_state.compare = {**st.session_state.compare, label: inputs}


# ------------------------------------------------------------------------------------------ display


def currency() -> str:
    return st.session_state.get("currency", "USD")


def factor(v: View) -> float:
    """Amount in the chosen currency per USD."""
    return float(usd_to_twd(1.0, v.board.twd_per_usd)) if currency() == "TWD" else 1.0


def money(v: View, usd, per: str = "", digits: int = 1, scale: str = "M") -> str:
    """An amount [USD] in the chosen currency, in millions ('M'), thousands ('k') or as it is
    ('')."""
    if usd is None:
        return "n/a"
    div = {"M": 1e6, "k": 1e3, "": 1.0}[scale]
    return f"{float(usd) * factor(v) / div:,.{digits}f} {scale}{currency()}{per}"


def table(v: View, name: str):
    """Table ``name`` of the dashboard with its money in the chosen currency (column names say
    which)."""
    df = v.board.tables[name]
    cols = dashboard.money_columns(name, df)
    f = factor(v)
    out = df.assign(**{c: df[c] * f for c in cols})
    return (
        out.rename(columns={c: c.replace("usd", currency()) for c in cols})
        if currency() != "USD"
        else out
    )


def headline(v: View) -> None:
    """The four figures every page shows: output against the target, coverage, cost per kg and
    NPV."""
    c, e = v.summary["capacity"], v.summary["economics"]
    year = int(c["target_year"])
    k = st.columns(4)
    k[0].metric(
        f"REO output {year}",
        f"{c['reo_t_per_yr']:,.0f} t/yr",
        delta=f"{c['reo_t_per_yr'] - c['target_t_per_yr']:+,.0f} t/yr "
        f"vs target {c['target_t_per_yr']:,.0f}",
        delta_color="normal",
    )
    k[1].metric(
        f"Demand covered {year} (target {c['target_share'] * 100:.0f} %)",
        f"{c['coverage_of_demand'] * 100:.1f} %",
    )
    k[2].metric("Cost per kg REO (levelised)", money(v, e["cost_usd_per_kg_reo"], "/kg", 1, ""))
    k[3].metric("NPV", money(v, e["npv_usd"]))


def current() -> View:
    """The view the main script evaluated for this run."""
    return st.session_state.view
