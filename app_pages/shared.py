"""What every page of the app shares: the inputs in session state, the cached model call, the
parameter widgets, the headline KPIs and money in the chosen currency.

Data flow (one way): the sidebar and the parameter widgets edit :class:`Inputs` in
``st.session_state``; :func:`view` evaluates them through the cached :func:`compute`. Inputs the
loader or the model refuse are not applied: the page says why, the inputs return to the last valid
ones, and every widget is set back to the value evaluated (:func:`_show_evaluated`), so the next
edit starts from there. Each accepted change of the edits, the upload or the targets can be undone.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from plant import PlantError, dashboard, i18n, model, params, report, tuning
from plant.paths import BASE_PARAMS, SCENARIOS_DIR
from plant.uom import usd_to_twd

BASE = "base (params/base.toml only)"
DEFAULT_TARGETS = (0.995, 0.99)
"""Purity and recovery targets [-] of the design-mode stage estimates."""
EDIT_SOURCE = "Your edit"
"""How the loader's errors name the widget edits (the command line's '--set')."""
EDITED = " (edited)"
"""Added to the scenario's name in a downloaded file that holds edits or an upload."""
UNDO_DEPTH = 50
"""Accepted changes that 'Undo last edit' can go back through."""


@dataclass(frozen=True)
class Inputs:
    """Everything a result depends on: the base file, a scenario file over it, an uploaded file over
    that (name, text), the widget edits ('section.key=VALUE') and the design-mode targets."""

    base: str
    scenario: str | None = None
    upload: tuple[str, str | bytes] | None = None
    overrides: tuple[str, ...] = ()
    targets: tuple[float, float] = DEFAULT_TARGETS

    def files(self) -> tuple[str, ...]:
        return (self.scenario,) if self.scenario else ()

    def stamp(self) -> tuple[float, ...]:
        """Modification times of the files, so that an edited file is evaluated afresh."""
        return tuple(Path(f).stat().st_mtime for f in (self.base, *self.files()))

    @property
    def edited(self) -> bool:
        """Whether edits or an uploaded file change the scenario's files."""
        return bool(self.overrides or self.upload)

    def edits(self) -> dict[str, str]:
        """The overrides by key."""
        return {o.partition("=")[0]: o for o in self.overrides}


@dataclass(frozen=True)
class View:
    """A valid evaluation for display: the dashboard, the editable parameters and the TOML of the
    whole parameter set (a file that stands alone: it loads to these parameters by itself)."""

    board: dashboard.Dashboard
    tunables: tuple[tuning.Tunable, ...]
    toml: str

    @property
    def summary(self) -> dict:
        return self.board.summary


def load(inputs: Inputs):
    """(Params, merged document) of ``inputs``; ParamError names the file, the upload or 'Your
    edit', and the key."""
    overlays = []
    if inputs.upload:
        name, text = inputs.upload
        overlays.append((name, params.parse_toml(text, name)))
    return model.load(
        *inputs.files(),
        overrides=inputs.overrides,
        overlays=overlays,
        base=inputs.base,
        override_source=EDIT_SOURCE,
    )


def scenario_name(name: str, edited: bool) -> str:
    """The scenario's name, marked as edited when it is (once)."""
    return f"{name}{EDITED}" if edited and not name.endswith(EDITED) else name


def standalone(document: dict, edited: bool) -> dict:
    """The merged ``document`` as a file that stands alone (``scenario.standalone = true``: the
    loader reads it without params/base.toml or any base file under it), its scenario named as
    edited when it is."""
    scenario = dict(document.get("scenario") or {})
    scenario["name"] = scenario_name(str(scenario.get("name", "")), edited)
    scenario["standalone"] = True
    return {**document, "scenario": scenario}


@st.cache_data(max_entries=64, show_spinner=False)
def compute(inputs: Inputs, stamp: tuple[float, ...]) -> View:
    """The model evaluated for ``inputs`` (cached per inputs and file versions)."""
    p, doc = load(inputs)
    board = dashboard.build(model.evaluate(p))
    return View(
        board,
        tuple(tuning.tunables(model.Params, doc)),
        params.to_toml(standalone(doc, inputs.edited)),
    )


def evaluate(inputs: Inputs) -> View:
    return compute(inputs, inputs.stamp())


@st.cache_data(max_entries=16, show_spinner=False)
def stage_estimates(inputs: Inputs, stamp: tuple[float, ...]):
    """Design mode's fewest stages for each circuit at the inputs' purity and recovery targets
    (:func:`plant.dashboard.sx_stages`), for the Separation page alone. The evaluation repeats
    the one :func:`compute` made, its circuits taken from the memo of solves."""
    p, _ = load(inputs)
    return dashboard.sx_stages(model.evaluate(p), *inputs.targets)


# ------------------------------------------------------------------------------------------ state


def scenario_files() -> dict[str, str]:
    """Bundled scenarios: label -> file (None for the base case alone)."""
    return {BASE: None, **{f.stem: str(f) for f in sorted(SCENARIOS_DIR.glob("*.toml"))}}


def scenario_label(path: str | None) -> str:
    return next((k for k, v in scenario_files().items() if v == path), BASE)


def base_path(argv: list[str]) -> str:
    """The params file given after ``--`` on the command line, else params/base.toml."""
    given = [a for a in argv if a.endswith(".toml")]
    return str(Path(given[0]) if given else BASE_PARAMS)


def init(base: str) -> None:
    """Session state on the first run: the edits and scenario the page's address holds (so that a
    reload keeps them; see :func:`remember`), else none and the base case; USD."""
    s = st.session_state
    if "edits" not in s:
        kept = st.query_params.get_all("set")
        s.edits = {x.partition("=")[0]: x for x in kept if "=" in x}
        if st.query_params.get("scenario") in scenario_files():
            s.scenario = st.query_params.get("scenario")
    s.setdefault("upload", None)  # (name, text)
    s.setdefault("scenario", BASE)
    s.setdefault("targets", DEFAULT_TARGETS)
    s.setdefault("currency", "USD")
    if "lang" not in s:
        s.lang = i18n.language(st.query_params.get("lang"))
    s.setdefault("compare", {})  # label -> Inputs
    s.setdefault("base", base)
    s.setdefault("valid", Inputs(base))  # the last inputs evaluated without error
    s.setdefault("history", [])  # earlier valid Inputs, for 'Undo last edit'
    s.setdefault("last_edit", None)  # (key, label, value) of the latest widget edit
    s.setdefault("uploads", 0)  # uploads taken: the drop zone's key, empty for the next file


def current_inputs() -> Inputs:
    s = st.session_state
    return Inputs(
        s.base,
        scenario_files().get(s.scenario),
        s.upload,
        tuple(sorted(s.edits.values())),
        s.targets,
    )


def view() -> View | None:
    """The result of the current inputs. If they are refused, the page says why (and a toast, seen
    wherever the page is scrolled to), the inputs return to the last valid ones and the result is
    theirs. Either way every widget then shows the value evaluated. None (and why, on the page)
    when nothing can be evaluated: a file on disk became invalid while the app ran."""
    s = st.session_state
    inputs = current_inputs()
    undoing = s.pop("undoing", False)
    try:
        out = evaluate(inputs)
    except Exception as exc:  # noqa: BLE001 - any refusal keeps the last valid state
        out = _refuse(inputs, exc)
        if out is None:
            return None
    else:
        if not undoing and _changes(s.valid) != _changes(inputs):
            s.history = [*s.history, s.valid][-UNDO_DEPTH:]
        s.valid = inputs
    _show_evaluated(out)
    remember()
    return out


def remember() -> None:
    """Keep the scenario and the valid edits in the page's address (``?scenario=...&set=...``), so
    that a reload, a bookmark or a shared link brings them back (an uploaded file is not kept)."""
    s = st.session_state
    edits = list(s.valid.overrides)
    if st.query_params.get_all("set") != edits:
        st.query_params["set"] = edits
    if st.query_params.get("scenario") != s.scenario:
        st.query_params["scenario"] = s.scenario
    if st.query_params.get("lang") != s.lang:
        st.query_params["lang"] = s.lang


def _changes(inputs: Inputs) -> tuple:
    """What 'Undo last edit' goes back through: the edits, the upload and the targets."""
    return inputs.overrides, inputs.upload, inputs.targets


def _restore(inputs: Inputs, scenario: bool = False) -> None:
    """The edits, upload and targets (and the scenario) of ``inputs`` back in session state."""
    s = st.session_state
    s.edits = inputs.edits()
    s.upload, s.targets = inputs.upload, inputs.targets
    if scenario:
        s.scenario = scenario_label(inputs.scenario)


def _refuse(bad: Inputs, exc: Exception) -> View | None:
    """Say why ``bad`` is not applied, return to the last valid inputs and give their view (None
    if they cannot be evaluated either)."""
    s = st.session_state
    good: Inputs = s.valid
    reason = plain(
        str(exc)
        if isinstance(exc, PlantError)
        else f"the model failed on these inputs ({type(exc).__name__}: {exc}); please report it"
    )
    if bad == good:  # nothing valid to go back to (a file on disk was broken meanwhile)
        return _cannot_evaluate(reason)
    _restore(good, scenario=True)
    try:
        out = evaluate(good)
    except Exception as again:  # noqa: BLE001
        return _cannot_evaluate(plain(str(again)))
    title, back = _what_was_refused(bad, good, out)
    st.error(
        tr("**Not applied: {what}.**\n\nWhy: {why}\n\n{back}", what=title, why=reason, back=back),
        icon=":material/undo:",
    )
    st.toast(tr("**Not applied: {what}.** Why: at the top of the page.", what=title))
    return out


def _cannot_evaluate(reason: str) -> None:
    st.error(
        tr(
            "**These parameters cannot be evaluated.**\n\nWhy: {why}\n\nCorrect the file, or "
            "choose another scenario or undo your edits in the sidebar.",
            why=reason,
        ),
        icon=":material/error:",
    )


def plain(text: str) -> str:
    """``text`` shown as it is in markdown: no bold from '10**10**8', no formula from '$'."""
    text = re.sub(r"([\\`*$~#|<>\[\]])", r"\\\1", text)
    return re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)


def file_label(name: str) -> str:
    """An uploaded file's name in markdown, as code."""
    quote = "'"
    return f"`{name.replace('`', quote)}`"


def _what_was_refused(bad: Inputs, good: Inputs, out: View) -> tuple[str, str]:
    """(what the user tried, what is in force now) in words."""
    if bad.upload != good.upload and bad.upload is not None:
        kept = (
            tr(": the file {name} still applies", name=file_label(good.upload[0]))
            if good.upload
            else ""
        )
        return (
            tr("the file {name}", name=file_label(bad.upload[0])),
            tr("The parameters in force are unchanged{kept}.", kept=kept),
        )
    old = good.edits()
    changed = [o for k, o in bad.edits().items() if old.get(k) != o]
    if changed:
        tried, backs = [], []
        last = st.session_state.last_edit
        for o in changed:
            key, _, given = o.partition("=")
            t = tunable(out, key)
            label = last[1] if last and last[0] == key else t.label if t else key
            label = plain(label.replace("_", " "))
            value = _shown(t, last[2]) if t and last and last[0] == key else given.strip("'\"")
            tried.append(f"{label} = {plain(value)}")
            if t is not None:
                backs.append(
                    tr(
                        "{label} is back at {value}",
                        label=label,
                        value=plain(_shown(t, widget_value(t))),
                    )
                )
        back = "; ".join(backs) or tr("The edit is dropped")
        back = tr(
            "{back}; the page shows the last valid parameters.", back=f"{back[0].upper()}{back[1:]}"
        )
        return tr(" and ").join(tried), back
    if bad.targets != good.targets:
        return (
            tr("the design targets {targets}", targets=_targets_text(bad.targets)),
            tr("The targets are back at {targets}.", targets=_targets_text(good.targets)),
        )
    if bad.scenario != good.scenario:
        return (
            tr("the scenario {name} with your edits", name=plain(scenario_label(bad.scenario))),
            tr("The scenario is back at {name}.", name=plain(scenario_label(good.scenario))),
        )
    return tr("these parameters"), tr("The page shows the last valid parameters.")


def _targets_text(targets: tuple[float, float]) -> str:
    purity, recovery = (f"{x * 100:g}" for x in targets)
    return tr("purity {purity} %, recovery {recovery} %", purity=purity, recovery=recovery)


def _shown(t: tuning.Tunable, value) -> str:
    """A widget's value as a person reads it, with its unit."""
    if t.kind == "bool":
        return tr("on") if value else tr("off")
    if t.kind == "choice":
        return str(value)
    number = f"{int(value)}" if t.kind == "integer" else f"{float(value):g}"
    return f"{number} {widget_unit(t)}".strip()


def is_share(t: tuning.Tunable) -> bool:
    """Whether ``t`` is a share or a rate (a bare number held within -1 to 1): its widget is in
    per cent."""
    bounded = t.lo is not None and t.hi is not None
    return t.kind == "quantity" and not t.unit and bounded and -1 <= t.lo < t.hi <= 1


def widget_unit(t: tuning.Tunable) -> str:
    return "%" if is_share(t) else t.unit


def _show_evaluated(v: View) -> None:
    """Every parameter widget in session state (and the design targets) set to the value ``v``
    evaluated, before any widget of this run is drawn: after a refusal, an undo, a new scenario or
    an upload the widgets show what the figures are computed from, and a later edit of another
    widget does not send a refused value again."""
    s = st.session_state
    values = {widget_key(t.key): widget_value(t) for t in v.tunables}
    purity, recovery = s.targets
    values.update(target_purity=purity * 100, target_recovery=recovery * 100)
    for key in [k for k in s if isinstance(k, str) and k.startswith("param:")]:
        if key not in values:
            del s[key]
    for key, value in values.items():
        if key in s and not _same(s[key], value):
            s[key] = value


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300)
    return a == b and type(a) is type(b)


def widget_key(param: str) -> str:
    return f"param:{param}"


def widget_value(t: tuning.Tunable):
    """The value of parameter ``t`` as its widget holds it (a number held to the domain)."""
    if t.kind == "bool":
        return bool(t.value)
    if t.kind == "choice":
        return t.value
    if t.kind == "integer":
        return int(t.value)
    lo = t.lo if t.lo is not None else -math.inf
    hi = t.hi if t.hi is not None else math.inf
    held = min(max(float(t.value), lo), hi)
    return _clean(held * 100) if is_share(t) else held


def _clean(x: float) -> float:
    """``x`` to twelve significant digits: 0.99987 shown as 99.987 %, not 99.98700000000001."""
    return float(f"{x:.12g}")


def _edited(t: tuning.Tunable, label: str) -> None:
    s = st.session_state
    value = s[widget_key(t.key)]
    s.edits = {**s.edits, t.key: t.override(_clean(value / 100) if is_share(t) else value)}
    s.last_edit = (t.key, label, value)


def param_widget(t: tuning.Tunable, label: str | None = None, container=st):
    """The widget of one parameter: its unit in the label, held to its domain; an edit becomes an
    override of the inputs."""
    name = (label or t.label).replace("_", " ")
    text = name + (f" [{widget_unit(t)}]" if widget_unit(t) else "")
    helps = t.help + (
        " — " + tr("in per cent here; the file writes it from 0 to 1") if is_share(t) else ""
    )
    common = dict(key=widget_key(t.key), help=helps, on_change=_edited, args=(t, name))
    value = widget_value(t)
    if t.kind == "bool":
        return container.checkbox(text, value=value, **common)
    if t.kind == "choice":
        return container.selectbox(
            text,
            t.choices,
            index=t.choices.index(value),
            format_func=lambda c: i18n.label(c, lang()),
            **common,
        )
    if t.kind == "integer":
        lo = int(t.lo) if t.lo is not None else None
        hi = int(t.hi) if t.hi is not None else None
        return container.number_input(
            text, min_value=lo, max_value=hi, value=value, step=1, **common
        )
    lo, hi = (t.lo * 100, t.hi * 100) if is_share(t) else (t.lo, t.hi)
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


def drop_edit(key: str) -> None:
    """Undo one edit, the others kept ('Undo last edit' brings it back)."""
    s = st.session_state
    s.edits = {k: v for k, v in s.edits.items() if k != key}


def reset() -> None:
    """Drop every edit and upload (back to the chosen scenario's files); the widgets follow in
    :func:`view`, and 'Undo last edit' brings them back."""
    s = st.session_state
    s.edits, s.upload, s.targets = {}, None, DEFAULT_TARGETS


def undo() -> None:
    """Back to the edits, upload and targets before the last accepted change."""
    s = st.session_state
    if s.history:
        s.history, last = s.history[:-1], s.history[-1]
        _restore(last)
        s.undoing = True


def uploader_key() -> str:
    """The key of the upload drop zone: a new one after each file taken, so that it is empty again
    (replacing a file in it would first send 'no file')."""
    return f"uploader:{st.session_state.uploads}"


def take_upload() -> None:
    """A file dropped on the drop zone becomes the upload (checked by :func:`view`); the drop zone
    emptying is no change (removing the upload is :func:`drop_upload`)."""
    s = st.session_state
    f = s.get(uploader_key())
    if f is not None:
        s.upload = (f.name, f.getvalue())
        s.uploads += 1


def drop_upload() -> None:
    st.session_state.upload = None


def compare_entry(label: str, inputs: Inputs) -> None:
    st.session_state.compare = {**st.session_state.compare, label: inputs}


# ------------------------------------------------------------------------------------------ display


def lang() -> str:
    """The chosen language (a key of :data:`plant.i18n.LANGUAGES`)."""
    return st.session_state.get("lang", i18n.DEFAULT)


def tr(message: str, /, **values) -> str:
    """``message`` in the chosen language, its ``{fields}`` filled from ``values``."""
    return i18n.tr(message, lang(), **values)


def words(labels: dict[str, str]):
    """A widget's ``format_func``: option -> its label of ``labels`` in the language of this run
    (bound now: a format function may be called outside the run); an option without a label as it
    is."""
    now = lang()
    return lambda option: i18n.tr(labels[option], now) if option in labels else str(option)


def num(x: float, digits: int = 0) -> str:
    """A number as the chosen language writes it."""
    return i18n.number(x, digits, lang())


def currency() -> str:
    return st.session_state.get("currency", "USD")


def factor(v: View) -> float:
    """Amount in the chosen currency per USD."""
    return float(usd_to_twd(1.0, v.board.twd_per_usd)) if currency() == "TWD" else 1.0


def money(v: View, usd, per: str = "", digits: int = 1, scale: str = "M") -> str:
    """An amount [USD] in the chosen currency, in millions ('M'), thousands ('k') or as it is
    ('')."""
    amount = None if usd is None else float(usd) * factor(v)
    return i18n.money(amount, currency(), lang(), per, digits, scale)


def table(v: View, name: str):
    """Table ``name`` of the dashboard with its money in the chosen currency (column names say
    which)."""
    df = v.board.tables[name]
    cols = dashboard.money_columns(name, df)
    f = factor(v)
    out = df.assign(**{c: df[c] * f for c in cols})
    if lang() == i18n.DEFAULT:
        if currency() == "USD":
            return out
        return out.rename(columns={c: c.replace("usd", currency()) for c in cols})
    words = {c: out[c].map(lambda x: i18n.label(x, lang())) for c in NAMED if c in out}
    names = {c: i18n.label(str(c), lang()) for c in out.columns}
    for c in cols:  # the catalogue names money in USD
        names[c] = names[c].replace(tr("USD"), tr(currency()))
    return out.assign(**words).rename(columns=names)


NAMED = ("line", "category", "phase", "area")
"""Columns of the dashboard's tables whose values are names (translated with the headers)."""


def headline(v: View) -> None:
    """The four figures every page shows: output against the target, coverage, cost per kg and
    NPV."""
    c, e = v.summary["capacity"], v.summary["economics"]
    year = int(c["target_year"])
    k = st.columns(4)
    gap = c["on_spec_reo_t_per_yr"] - c["target_t_per_yr"]
    k[0].metric(
        tr("On-spec REO output {year}", year=year),
        tr("{tonnes} t/yr", tonnes=num(c["on_spec_reo_t_per_yr"])),
        delta=tr(
            "{gap} t/yr vs target {target}",
            gap=("+" if gap >= 0 else "-") + num(abs(gap)),
            target=num(c["target_t_per_yr"]),
        ),
        delta_color="normal",
    )
    k[1].metric(
        tr(
            "Demand covered {year} (target {share} %)",
            year=year,
            share=f"{c['target_share'] * 100:.0f}",
        ),
        f"{num(c['coverage_of_demand'] * 100, 1)} %",
    )
    k[2].metric(
        tr("Cost per kg REO (levelised)"),
        money(v, e["cost_usd_per_kg_reo"], "/kg", 1, ""),
        help=tr(
            "What a kg costs to make: every cost over the plant's life, discounted, over the "
            "discounted kg made. The minimum selling price (Economics page) is the average price "
            "that brings the NPV to zero: taxes and financing make it differ."
        ),
    )
    k[3].metric(tr("NPV"), money(v, e["npv_usd"]))
    off = off_spec(v.summary)
    if off:
        why = v.summary["off_spec_statement"]
        st.warning(
            tr(
                "Off spec: {products}. An off-spec product sells at the lower price of its grade "
                "and does not count toward the target.",
                products="; ".join(off),
            )
            + (" " + tr("Why: {why}", why=why) if why else "")
        )
    hot = report.radioactivity_sentence(v.summary["residues"], lang())
    if hot:
        st.warning(tr("Radioactive: {what}", what=f"{hot[0].upper()}{hot[1:]}"))


def off_spec(summary: dict) -> list[str]:
    """Each product below its purity spec, in words: name, purity and spec."""
    return [
        tr(
            "{product} {purity} % (spec {spec} %)",
            product=i18n.product_name(name, lang()),
            purity=num(i18n.purity_percent(p["purity"]), 2),
            spec="—" if p["purity_spec"] is None else f"{p['purity_spec'] * 100:g}",
        )
        for name, p in summary["products"].items()
        if not p["on_spec"]
    ]


def current() -> View:
    """The view the main script evaluated for this run."""
    return st.session_state.view


def legend_below(fig, title: str, height: int, **more):
    """Lay out a chart with its title, its legend in a row below it, and tight margins."""
    fig.update_layout(
        title=title,
        height=height,
        legend=dict(orientation="h", y=-0.2),
        margin=dict(t=50, b=10),
        **more,
    )
    return fig
