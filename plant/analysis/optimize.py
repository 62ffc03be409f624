"""Optimisation of design choices: SX stages and flows, acid and oxalic excess, capacity and feed
split.

Minimise the levelised cost per kg REO (``objective="cost"``) or maximise
the NPV (``"npv"``) subject to every separated oxide meeting the purity spec
(``economics.products.purity_spec``, 99.5 %) and, unless ``target=False``,
the plant meeting its share of demand in the target year.

Method: scipy's differential evolution, vectorised (a generation is one
batch evaluation per distinct set of stage counts, which are integers),
with Lampinen's constraint handling. pH-mode SX circuits are replaced by
their constant-D stand-ins (:mod:`plant.units.solvent_extraction.surrogate`) calibrated at
the current design; the optimum is then solved in pH mode and, if it moved,
the stand-ins are calibrated there and the search repeats (at most
:data:`ROUNDS` rounds). The result reports the pH-mode figures.

When no design within the bounds meets every constraint, the result says so
and why: for each constraint, the best value any evaluated design reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from plant.analysis.batch import failures_of
from plant.errors import ParamError, PlantError
from plant.jsonout import plain
from plant.uom import Q_, SECONDS_PER_YEAR

ROUNDS = 6
RADIUS = 0.25
"""The first trust region around the design, as a share of each variable's range; halved when the pH
model does not confirm a step."""
MIN_RADIUS = 0.02
STEP = 0.05
LINE_STEPS = (1.0, 0.5, 0.25, 0.125)
"""Shares of the step to the stand-in's optimum tried in pH mode, largest first."""
"""Finite-difference step of the distribution-ratio slopes, as a share of each variable's range."""
FAILED = 1e12
"""The objective of a design the model cannot run (it also misses every constraint by 1)."""
OBJECTIVES = {
    "cost": ("cost_usd_per_kg_reo", 1.0, "levelised cost", "USD/kg REO"),
    "npv": ("npv_usd", -1e-6, "NPV", "USD"),
}
"""objective -> (output key, factor to a minimised value, label, unit)."""
ACTIVE_PURITY = 2e-4
"""A purity constraint within this margin (fraction) of its spec is reported active."""
ACTIVE_TARGET = 0.01
"""A target constraint within this share of the target is reported active."""
AT_BOUND = 0.01
"""A variable within this share of its range of a bound is reported at that bound."""
SEPARATED = ("NdPr_oxide", "Tb_oxide", "Dy_oxide", "DyTb_oxide", "SmEuGd_oxide", "HoY_oxide")
"""Products sold against the purity spec."""


@dataclass(frozen=True)
class Variable:
    """A decision variable: parameter ``key`` between ``lo`` and ``hi`` [SI unit ``si``], shown in
    ``unit``."""

    key: str
    lo: float
    hi: float
    integer: bool = False
    unit: str = ""
    si: str = "dimensionless"

    def shown(self, x: float) -> float:
        """``x`` [SI] in the display unit."""
        return float(Q_(x, self.si).to(self.unit).magnitude) if self.unit else float(x)


DEFAULT_VARIABLES = (
    ("solvent_extraction.heavy.n_extraction", "4", "24"),
    ("solvent_extraction.heavy.n_scrub", "4", "24"),
    ("solvent_extraction.heavy.organic_ratio", "0.3", "2.0"),
    ("solvent_extraction.heavy.scrub_ratio", "0.1", "1.5"),
    ("leaching.acid_excess", "1.05", "1.5"),
    ("oxalate_precipitation.oxalic_excess", "1.0", "1.5"),
    ("sorting.split", "0", "1"),
    ("feed.sources.swarf.magnet_flow", "500 t/yr", "3000 t/yr"),
)
"""Default decision variables [E]: around the base design and the supplies of params/base.toml; the
stage range of ree-data sec. 3 (5-15 per section) widened, the acid and oxalic excess around their
sources; the plant's capacity as its design intake of imported swarf. When the parameters refine
concentrate, its flow (0.25-2 times the files' value) and the light circuit's stages and flows join
them (:func:`default_variables`)."""
CONCENTRATE_VARIABLES = (
    ("solvent_extraction.light.n_extraction", "4", "40"),
    ("solvent_extraction.light.n_scrub", "4", "40"),
    ("solvent_extraction.light.organic_ratio", "0.3", "4.0"),
    ("solvent_extraction.light.scrub_ratio", "0.1", "3.0"),
)


def default_variables(params) -> tuple[Variable, ...]:
    """The default decision variables for ``params`` (see DEFAULT_VARIABLES)."""
    out = [variable(k, lo, hi, "default variables") for k, lo, hi in DEFAULT_VARIABLES]
    flow = float(np.asarray(params.concentrate.flow))
    if flow > 0:
        t = flow * SECONDS_PER_YEAR / 1e3  # kg/s -> t/yr
        out += [variable(k, lo, hi, "default variables") for k, lo, hi in CONCENTRATE_VARIABLES]
        out.append(
            variable(
                "concentrate.flow", f"{0.25 * t:.6g} t/yr", f"{2 * t:.6g} t/yr", "default variables"
            )
        )
    return tuple(out)


def variable(key: str, low, high, where: str = "--var") -> Variable:
    """A decision variable from text bounds in any unit of the parameter (e.g. '0 t/yr',
    '5000 t/yr')."""
    from plant.model import Params
    from plant.params import Reader, check_domain, scalar_spec
    from plant.params.loader import Context

    spec = scalar_spec(Params, key, where, key, integer=True)
    if spec.kind == "integer":
        lo, hi = (_whole(v, key, where) for v in (low, high))
        for v in (lo, hi):
            check_domain(spec, v, where, key)
        unit = ""
    else:
        reader = Reader(Context([where], {}, root=Params))
        lo, hi = (reader.quantity(spec, v, f"{where} {key}") for v in (low, high))
        unit = _unit_of(low)
    if lo > hi:
        raise ParamError(where, key, "low <= high", given_text=f"low {low!r} > high {high!r}")
    return Variable(
        key, float(lo), float(hi), spec.kind == "integer", unit, spec.unit or "dimensionless"
    )


def _whole(v, key: str, where: str) -> int:
    try:
        f = float(v)
    except (TypeError, ValueError):
        raise ParamError(where, key, "a whole number", v) from None
    if not f.is_integer():
        raise ParamError(where, key, "a whole number", v)
    return int(f)


def _unit_of(text) -> str:
    parts = str(text).strip().split(None, 1)
    return parts[1] if len(parts) == 2 else ""


def parse_range(text: str, where: str = "--var") -> tuple[str, str, str]:
    """'KEY=LOW:HIGH' -> (key, low, high) texts."""
    key, sep, rng = text.partition("=")
    low, sep2, high = rng.partition(":")
    if not sep or not sep2 or not key.strip() or not low.strip() or not high.strip():
        raise ParamError(
            where,
            text,
            "KEY=LOW:HIGH, e.g. concentrate.flow='0 t/yr:5000 t/yr'",
            given_text=repr(text),
        )
    return key.strip(), low.strip(), high.strip()


@dataclass
class Optimum:
    """The result. ``values``: variable key -> value in its display unit; ``constraints``: name ->
    dict(value, bound, margin, active); ``feasible``; ``reasons``: why not, when infeasible;
    ``outputs``: the pH-mode outputs at the optimum; ``nominal``: the same at the starting
    design."""

    objective: str
    values: dict
    objective_value: float
    constraints: dict
    at_bounds: list
    feasible: bool
    reasons: list
    outputs: dict
    nominal: dict
    variables: tuple
    rounds: int
    evaluations: int
    notes: list = field(default_factory=list)

    def summary(self) -> dict:
        key, _, label, unit = OBJECTIVES[self.objective]
        return {
            "objective": self.objective,
            "objective_output": key,
            "objective_label": f"{label} [{unit}]",
            "optimum": self.objective_value,
            "nominal": float(self.nominal[key]),
            "feasible": self.feasible,
            "variables": {
                v.key: {
                    "value": self.values[v.key],
                    "low": v.shown(v.lo),
                    "high": v.shown(v.hi),
                    "unit": v.unit,
                    "integer": v.integer,
                    "nominal": v.shown(float(self.nominal["_x"][i])),
                }
                for i, v in enumerate(self.variables)
            },
            "constraints": self.constraints,
            "active_constraints": [k for k, c in self.constraints.items() if c["active"]],
            "variables_at_bounds": self.at_bounds,
            "infeasible_because": self.reasons,
            "outputs": {k: plain(np.squeeze(v)) for k, v in self.outputs.items()},
            "rounds": self.rounds,
            "evaluations": self.evaluations,
            "notes": self.notes,
        }


class _Problem:
    """Batch evaluation of designs x (d, S) on a model, with a cache of every design evaluated."""

    def __init__(self, variables, objective: str, target: bool, spec: float):
        self.variables, self.objective, self.target, self.spec = variables, objective, target, spec
        self.cache: dict[tuple, tuple[float, np.ndarray]] = {}
        self.history: list[tuple[tuple, np.ndarray]] = []
        self.evaluations = 0
        self.failures: dict[str, int] = {}
        self.products: tuple[str, ...] = ()

    def constraint_names(self) -> list[str]:
        return [f"purity.{p}" for p in self.products] + (["target"] if self.target else [])

    def margins(self, out: dict, i=slice(None)) -> np.ndarray:
        """Constraint margins (>= 0 when met): purity - spec [fraction]; output / target - 1."""
        a = lambda k: np.atleast_1d(np.asarray(out[k], dtype=float))[i]  # noqa: E731
        rows = [a(f"purity.{p}") - self.spec for p in self.products]
        if self.target:
            rows.append(a("reo_t_per_yr") / a("target_t_per_yr") - 1.0)
        return np.array(rows)

    def value(self, out: dict, i=slice(None)) -> np.ndarray:
        key, factor, _, _ = OBJECTIVES[self.objective]
        return factor * np.atleast_1d(np.asarray(out[key], dtype=float))[i]

    def evaluate(self, model, X: np.ndarray) -> None:
        """Evaluate the designs of X (d, S) not in the cache, grouped by their integer variables."""
        todo = [tuple(col) for col in X.T if tuple(col) not in self.cache]
        ints = [j for j, v in enumerate(self.variables) if v.integer]
        groups: dict[tuple, list[tuple]] = {}
        for x in dict.fromkeys(todo):
            groups.setdefault(tuple(int(round(x[j])) for j in ints), []).append(x)
        for xs in groups.values():
            self._run(model, xs)

    def _run(self, model, xs: list[tuple]) -> None:
        """Evaluate designs sharing their integer variables in one batch; a design a unit refuses
        is isolated by the model (:func:`plant.isolation.isolate`) and counted by its reason."""
        arr = np.array(xs)
        values = {
            v.key: (int(round(arr[0, j])) if v.integer else arr[:, j])
            for j, v in enumerate(self.variables)
        }
        out = model(values)
        failed = failures_of(out)
        for reason in failed.reasons.values():
            msg = reason.split(" (in ")[0]
            self.failures[msg] = self.failures.get(msg, 0) + 1
        ok = [i for i in range(len(xs)) if i not in failed.reasons]
        if ok:
            m, f = self.margins(out), self.value(out)
        self.evaluations += len(ok)
        for i, x in enumerate(xs):
            if i in failed.reasons:
                self.cache[x] = (FAILED, np.full(len(self.constraint_names()), -1.0))
                continue
            self.cache[x] = (float(f[i]) if np.isfinite(f[i]) else FAILED, m[:, i])
            self.history.append((x, m[:, i]))


def _apply(params, variables, x):
    from plant.params import with_values

    return with_values(
        params, {v.key: int(round(xi)) if v.integer else float(xi) for v, xi in zip(variables, x)}
    )


def _model(params, variables, x: np.ndarray, surrogate: bool, notes: list[str]):
    """The batch model near design ``x`` of ``params``: with ``surrogate``, the SX stand-ins
    calibrated at x, their log distribution ratios following every variable linearly (each slope
    from one pH-mode run with the variable stepped by 5 % of its range, or one stage); without, the
    model as it is."""
    from plant.analysis.batch import PlantModel, linearise, stand_in

    at_x = _apply(params, variables, x)
    if not surrogate:
        return PlantModel(at_x, "pH")
    steps = []
    for k, v in enumerate(variables):
        h = 1.0 if v.integer else STEP * (v.hi - v.lo)
        h = h if x[k] + h <= v.hi else -h
        steps.append((v.key, [{v.key: int(round(x[k] + h)) if v.integer else float(x[k] + h)}]))
    return PlantModel(stand_in(at_x), "surrogate", linear=linearise(at_x, steps, notes=notes))


def optimize(
    params,
    objective: str = "cost",
    variables=None,
    *,
    target: bool = True,
    seed: int = 0,
    popsize: int = 6,
    maxiter: int = 20,
    rounds: int = ROUNDS,
    radius: float = RADIUS,
) -> Optimum:
    """Optimise the design of ``params`` (see module doc). ``variables``: Variables (default
    :data:`DEFAULT_VARIABLES`); ``popsize`` x (number of variables) designs per generation,
    ``maxiter`` generations per round; ``radius``: the first trust region, a share of each
    variable's range."""
    from plant.analysis.batch import outputs as outputs_of
    from plant.model import evaluate
    from plant.params import value_at

    if objective not in OBJECTIVES:
        raise ParamError("--objective", "objective", f"one of {', '.join(OBJECTIVES)}", objective)
    variables = tuple(variables or default_variables(params))
    keys = [v.key for v in variables]
    if len(set(keys)) != len(keys):
        raise ParamError("--var", "variables", "each parameter once", given_text=", ".join(keys))
    lo, hi = np.array([v.lo for v in variables]), np.array([v.hi for v in variables])
    start = np.array([float(np.asarray(value_at(params, v.key))) for v in variables])
    problem = _Problem(variables, objective, target, float(params.economics.products.purity_spec))
    nominal = {k: np.asarray(v) for k, v in outputs_of(evaluate(params)).items()}
    nominal["_x"] = start
    problem.products = tuple(p for p in SEPARATED if f"purity.{p}" in nominal)
    exact_model = params.solvent_extraction.mode == "constant_D"
    x = np.clip(start, lo, hi)
    best = outputs_of(evaluate(_apply(params, variables, x)))
    notes: list[str] = []
    r, done = (1.0 if exact_model else radius), 0
    for done in range(1, rounds + 1):
        try:
            model = _model(params, variables, x, not exact_model, notes)
        except PlantError as exc:
            notes.append(
                f"round {done}: the stand-in could not be calibrated at the current design ({exc})"
            )
            break
        candidate = _search(
            problem, model, variables, x, _region(variables, x, r), seed + done, popsize, maxiter
        )
        if np.array_equal(candidate, x):
            break
        step = _line_search(problem, params, variables, x, candidate, best, exact_model)
        if step is not None:
            x, best = step
        else:
            notes.append(
                f"round {done}: the pH-mode model confirmed no step towards the stand-in's "
                "optimum; trust region halved"
            )
            r /= 2
        if exact_model or r < MIN_RADIUS:
            break
    return _report(
        problem, variables, objective, x, best, nominal, done, notes, problem.evaluations
    )


def _line_search(problem: _Problem, params, variables, x, candidate, best, exact: bool):
    """The first of x + t (candidate - x), t = 1, 1/2, 1/4, 1/8, that the model as it is (pH mode)
    confirms better than ``best`` (outputs at x): (design, outputs), or None."""
    from plant.analysis.batch import outputs as outputs_of
    from plant.model import evaluate

    ints = np.array([v.integer for v in variables])
    for t in LINE_STEPS[:1] if exact else LINE_STEPS:
        trial = x + t * (candidate - x)
        trial = np.where(ints, np.round(trial), trial)
        if np.array_equal(trial, x):
            break
        try:
            out = outputs_of(evaluate(_apply(params, variables, trial)))
        except PlantError:
            continue
        if _merit(problem, out) < _merit(problem, best):
            return trial, out
    return None


def _merit(problem: _Problem, out: dict) -> tuple[float, float]:
    """(constraint violation, objective): feasible designs first, then the lower objective."""
    m = problem.margins(out)[:, 0]
    return float(np.sum(np.maximum(-m, 0.0))), float(problem.value(out)[0])


def _region(variables, x: np.ndarray, r: float) -> list[tuple[float, float]]:
    """Bounds of the trust region of radius ``r`` (share of each range) around ``x``; integers move
    by >= 1."""
    out = []
    for v, xi in zip(variables, x):
        step = r * (v.hi - v.lo)
        if v.integer:
            step = max(1.0, round(step))
        out.append((max(v.lo, xi - step), min(v.hi, xi + step)))
    return out


def _search(
    problem: _Problem,
    model,
    variables,
    x: np.ndarray,
    bounds,
    seed: int,
    popsize: int,
    maxiter: int,
):
    """Vectorised differential evolution of the model within ``bounds``, started from ``x``."""
    from scipy.optimize import NonlinearConstraint, differential_evolution

    problem.cache.clear()
    problem.evaluate(model, x[:, None])
    d = len(variables)

    def f(X):
        X2 = np.reshape(X, (d, -1))
        problem.evaluate(model, X2)
        y = np.array([problem.cache[tuple(c)][0] for c in X2.T])
        return y if np.ndim(X) == 2 else y[0]

    def g(X):
        X2 = np.reshape(X, (d, -1))
        problem.evaluate(model, X2)
        y = np.array([problem.cache[tuple(c)][1] for c in X2.T]).T
        return y if np.ndim(X) == 2 else y[:, 0]

    n_con = len(problem.constraint_names())
    cons = [NonlinearConstraint(g, np.zeros(n_con), np.full(n_con, np.inf))] if n_con else []
    res = differential_evolution(
        f,
        bounds,
        constraints=cons,
        seed=seed,
        integrality=[v.integer for v in variables],
        vectorized=True,
        updating="deferred",
        popsize=popsize,
        maxiter=maxiter,
        tol=1e-8,
        polish=False,
        x0=x,
        init="sobol",
    )
    return np.where([v.integer for v in variables], np.round(res.x), res.x)


def _report(
    problem: _Problem, variables, objective, x, out, nominal, rounds, notes, evaluations
) -> Optimum:
    names = problem.constraint_names()
    margins = problem.margins(out)[:, 0]
    constraints = {}
    for name, m in zip(names, margins):
        if name == "target":
            value, bound, tol = (
                float(np.squeeze(out.get("reo_t_per_yr", np.nan))),
                float(np.squeeze(out.get("target_t_per_yr", np.nan))),
                ACTIVE_TARGET,
            )
        else:
            value, bound, tol = (
                float(np.squeeze(out.get(name, np.nan))),
                problem.spec,
                ACTIVE_PURITY,
            )
        constraints[name] = {
            "value": value,
            "bound": bound,
            "margin": float(m),
            "met": bool(m >= -1e-9),
            "active": bool(abs(m) <= tol),
        }
    feasible = all(c["met"] for c in constraints.values())
    reasons = [] if feasible else _reasons(problem, variables, constraints)
    if "target" in constraints and not constraints["target"]["met"]:
        s = lambda k: float(np.squeeze(out[k]))  # noqa: E731
        reasons.append(
            f"target at the design found: {s('reo_t_per_yr'):,.0f} t/yr made of "
            f"{s('target_t_per_yr'):,.0f} needed; {s('installed_t_per_yr'):,.0f} t/yr installed "
            f"by the target year (of {s('nameplate_t_per_yr'):,.0f} nameplate: the build "
            f"schedule, economics.build), feed for {s('feed_supported_t_per_yr'):,.0f} t/yr"
        )
    at_bounds = [
        f"{v.key} at its {'lower' if abs(xi - v.lo) <= abs(v.hi - xi) else 'upper'} bound"
        for v, xi in zip(variables, x)
        if v.hi > v.lo and min(xi - v.lo, v.hi - xi) <= AT_BOUND * (v.hi - v.lo)
    ]
    key = OBJECTIVES[objective][0]
    return Optimum(
        objective,
        {v.key: (int(round(xi)) if v.integer else v.shown(xi)) for v, xi in zip(variables, x)},
        float(np.squeeze(out[key])),
        constraints,
        at_bounds,
        feasible,
        reasons,
        out,
        nominal,
        variables,
        rounds,
        evaluations,
        notes,
    )


def _reasons(problem: _Problem, variables, constraints) -> list[str]:
    """Why no design met every constraint: each constraint's best margin over all designs
    evaluated."""
    if not problem.history:
        return ["no design could be evaluated"] + [
            f"{m} ({n} designs)" for m, n in problem.failures.items()
        ]
    xs = [x for x, _ in problem.history]
    margins = np.array([m for _, m in problem.history])
    out = []
    for j, name in enumerate(problem.constraint_names()):
        best = int(np.argmax(margins[:, j]))
        m = margins[best, j]
        what = "purity" if name.startswith("purity.") else "output"
        if m < 0:
            detail = (
                f"reaches at most {m + problem.spec:.2%} against the {problem.spec:.1%} spec"
                if what == "purity"
                else f"reaches at most {1 + m:.0%} of the target in the target year"
            )
            edge = [
                v.key
                for v, xi in zip(variables, xs[best])
                if v.hi > v.lo and min(xi - v.lo, v.hi - xi) <= AT_BOUND * (v.hi - v.lo)
            ]
            hint = f"; the best design has {', '.join(edge)} at a bound: widen it" if edge else ""
            out.append(f"{name}: {detail} over {len(xs):,} designs within the bounds{hint}")
    if not out and not all(c.get("met", False) for c in constraints.values()):
        out.append("each constraint can be met alone, but not all at once within these bounds")
    for msg, n in problem.failures.items():
        out.append(f"{n} designs could not run: {msg}")
    return out
