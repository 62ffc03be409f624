"""What it takes to reach the target: the least-cost (or highest-NPV) plan that covers a share of
demand by a year.

A plan chooses, over a grid evaluated as batches of the whole plant (the pH-mode SX, as
``plant run`` evaluates it, so a written plan reproduces exactly):

- the scrap intake, every source's design intake scaled together (the feed mix of the files), then
  each source's own intake refined around the best plan (a few rounds of one source at a time), so
  that a short or shrinking supply is not built for;
- the imported concentrate refined;
- the build schedule: pilot share, number of full trains and the years between them (start year
  as the files say).

The target (share, basis, year) comes from the command line or the files. Among the plans whose
on-spec output meets the target in its year, and whose CAPEX is within the budget where one is
given, the cheapest per kg REO wins (``objective='npv'``: the highest NPV). The plan says what
binds it: the time to build (trains not all on line), the feed (a supply short of what the trains
could take), off-spec product or the budget. When no plan meets the target, it says why, and gives
the nearest plans that do: the first later year, and the largest share reachable in the year asked
(within the budget).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from plant.errors import ParamError
from plant.i18n import N_
from plant.uom import SECONDS_PER_YEAR

SCRAP_SCALES = (0.25, 0.5, 1.0, 1.5, 2.0, 3.0)
"""Scrap design intake as multiples of the files' intake (every source together) [-]."""
CONCENTRATE_T_PER_YR = (0.0, 500.0, 1000.0, 2000.0, 3500.0, 5000.0)
"""Imported concentrate refined [t/yr], capped by what the supply offers."""
PILOT_SHARES = (0.0, 0.1, 0.25)
TRAINS = (1, 2, 3)
TRAIN_INTERVALS = (0, 1)
OBJECTIVES = ("cost", "npv")
LATER_YEARS = 10
"""How many years after the one asked the nearest feasible plan is looked for."""
IMPORT_MULTIPLES = (1.5, 2.0, 3.0, 5.0, 10.0)
REFINE_FACTORS = (0.0, 0.5, 0.75, 1.25, 1.5, 2.0)
"""Multiples of one source's intake tried around the best plan, in each refining round."""
REFINE_ROUNDS = 2
SUPPLY_HEADROOM = 1.25
"""[E] A source's design intake is not refined above 1.25 times what it offers in the target year:
no plant is built for feed it cannot get."""
COVERAGE_STEP = 0.005
"""Coverage gain [-] that makes a dearer variant of an out-of-reach plan worth it."""
"""Multiples of the scrap imports the files state, tried when no plan meets the target."""

T_PER_YR = 1000.0 / SECONDS_PER_YEAR
"""kg/s per t/yr."""


@dataclass(frozen=True)
class Candidate:
    """One plan evaluated: its choices and what the model gives for it (target year)."""

    scrap_scale: float
    concentrate_t_per_yr: float
    pilot_share: float
    trains: int
    train_interval: int
    met: bool
    first_year_met: float
    coverage: float
    on_spec_t_per_yr: float
    target_t_per_yr: float
    limited_by: str
    capex_usd: float
    npv_usd: float
    cost_usd_per_kg_reo: float
    nameplate_t_per_yr: float
    failure: str = ""
    source_scales: tuple = ()  # (source, scale) where a source's own scale differs

    def scale_of(self, source: str) -> float:
        """The multiple of the files' design intake of ``source`` in this plan [-]."""
        return dict(self.source_scales).get(source, self.scrap_scale)

    def overrides(self, params) -> dict:
        """The parameter values of this plan (dotted key -> value, SI)."""
        values = {
            f"feed.sources.{name}.magnet_flow": float(np.asarray(s.magnet_flow))
            * self.scale_of(name)
            for name, s in params.feed.sources.items()
        }
        values["concentrate.flow"] = self.concentrate_t_per_yr * T_PER_YR
        values["economics.build.pilot_share"] = self.pilot_share
        values["economics.build.trains"] = self.trains
        values["economics.build.train_interval"] = self.train_interval
        return values


def target_params(params, share=None, year=None, basis=None):
    """``params`` with the target of the command line (None: as the files say)."""
    from plant.params import with_values

    values = {}
    if share is not None:
        values["capacity.target_share"] = share
    if year is not None:
        values["capacity.target_year"] = year
    if basis is not None:
        values["capacity.target_basis"] = basis
    return with_values(params, values) if values else params


def schedules(params):
    """The build schedules to try: (pilot share, trains, interval, params), each valid for the
    plant life."""
    from plant.params import with_values

    out = []
    for pilot, trains, gap in itertools.product(PILOT_SHARES, TRAINS, TRAIN_INTERVALS):
        if trains == 1 and gap:
            continue  # one train: the interval means nothing
        try:
            p = with_values(
                params,
                {
                    "economics.build.pilot_share": pilot,
                    "economics.build.trains": trains,
                    "economics.build.train_interval": gap,
                },
            )
            p.economics.check(lambda key: "plan", "economics.")
        except ParamError:
            continue
        out.append((pilot, trains, gap, p))
    return out


def _batch(params, values: dict, n: int) -> dict[str, np.ndarray]:
    """What a plan needs of ``n`` samples of ``values``: failures isolated per sample (NaN, and the
    reason under 'failure')."""
    from plant.isolation import isolate
    from plant.model import evaluate
    from plant.params import with_values

    def run(idx):
        ev = evaluate(with_values(params, {k: v[idx] for k, v in values.items()}))
        c, m = ev.capacity, ev.economics.cash.metrics
        each = lambda x: np.broadcast_to(np.asarray(x), (len(idx),))
        return {
            "met": each(c.at(c.met)),
            "first_year_met": each(c.first_year_met()),
            "coverage": each(c.at(c.coverage)),
            "on_spec": each(c.at(c.on_spec)),
            "target": each(c.at(c.target)),
            "limited_by": each(c.at(c.limited_by)),
            "capex": each(ev.economics.capex.total),
            "npv": each(m.npv),
            "cost": each(m.levelised_cost),
            "nameplate": each(c.nameplate_on_spec),
        }

    pieces, failures = isolate(run, n)
    out = {k: np.full(n, np.nan) for k in ("first_year_met", "coverage", "on_spec", "target")}
    out.update({k: np.full(n, np.nan) for k in ("capex", "npv", "cost", "nameplate")})
    out["met"] = np.zeros(n, dtype=bool)
    out["limited_by"] = np.full(n, "failed", dtype=object)
    out["failure"] = np.array([failures.reasons.get(i, "") for i in range(n)], dtype=object)
    for idx, res in pieces:
        for k, v in res.items():
            out[k][idx] = v
    return out


def evaluate_grid(params) -> list[Candidate]:
    """Every plan of the grid, evaluated: one batch per build schedule and per flowsheet shape
    (without concentrate, and with it: a batch runs the units any of its samples needs, so plans
    with and without concentrate are evaluated apart, each as ``plant run`` would)."""
    offered = float(np.asarray(params.concentrate.supply)) / T_PER_YR
    conc = sorted({min(c, offered) for c in CONCENTRATE_T_PER_YR})
    grids = [
        list(itertools.product(SCRAP_SCALES, [c for c in conc if c == 0])),
        list(itertools.product(SCRAP_SCALES, [c for c in conc if c > 0])),
    ]
    out = []
    for (pilot, trains, gap, p), grid in itertools.product(schedules(params), grids):
        if not grid:
            continue
        scale = np.array([g[0] for g in grid])
        values = {
            f"feed.sources.{name}.magnet_flow": float(np.asarray(s.magnet_flow)) * scale
            for name, s in p.feed.sources.items()
        }
        values["concentrate.flow"] = np.array([g[1] for g in grid]) * T_PER_YR
        r = _batch(p, values, len(grid))
        for i, (k, c) in enumerate(grid):
            out.append(_candidate((float(k), float(c), pilot, trains, gap), r, i))
    return out


def _candidate(choice: tuple, r: dict, i: int) -> Candidate:
    """The plan of ``choice`` (scrap scale, concentrate, pilot, trains, interval) from sample ``i``
    of a batch's results ``r``."""
    return Candidate(
        *choice,
        bool(r["met"][i]),
        float(r["first_year_met"][i]),
        float(r["coverage"][i]),
        float(r["on_spec"][i]),
        float(r["target"][i]),
        str(r["limited_by"][i]),
        float(r["capex"][i]),
        float(r["npv"][i]),
        float(r["cost"][i]),
        float(r["nameplate"][i]),
        str(r["failure"][i]),
    )


@dataclass(frozen=True)
class Plan:
    """The answer: the best plan meeting the target (None where none does), what binds it, and the
    nearest plans when the target is out of reach."""

    share: float
    basis: str
    year: int
    objective: str
    best: Candidate | None
    later: Candidate | None
    most: Candidate | None
    evaluated: int
    failed: int
    params: object
    off_spec_more: bool = False  # a plan making more output put products off spec
    imports: tuple | None = None  # (multiple, extra t/yr, Candidate) that would meet it
    budget_usd: float | None = None  # the most CAPEX a plan may take [USD]
    over_budget: bool = False  # a plan that meets the target (or meets it better) costs more

    @property
    def feasible(self) -> bool:
        return self.best is not None

    def binding(self) -> list[str]:
        """What holds the plan where it is: the time to build, the feed, off-spec product."""
        c = self.best if self.best is not None else self.most
        budget = N_(
            "budget: plans that meet the target, or meet it at a lower cost, need more capital "
            "than the budget"
        )
        if c is None:
            return [budget] if self.over_budget else [N_("no plan evaluated")]
        out = []
        if c.limited_by == "feed":
            out.append(N_("feed available: a supply offers less than the trains could take"))
        if c.limited_by == "capacity" or c.trains == max(TRAINS):
            if c.pilot_share or c.trains > 1:
                out.append(
                    N_("time to build: trains come on line after the target year or ramp up")
                )
        if c.limited_by == "off spec":
            out.append(N_("off-spec product: output below its purity spec does not count"))
        if not self.feasible and c.scrap_scale == max(SCRAP_SCALES):
            out.append(N_("the largest scrap intake tried"))
        if self.over_budget:
            out.append(budget)
        if self.off_spec_more:
            out.append(
                N_(
                    "off-spec product: plans refining more concentrate in these SX circuits make "
                    "products below spec, which do not count; re-design the circuits for the "
                    "mixed liquor (`plant design`)"
                )
            )
        return out or [N_("none: the cheapest plan meets the target with room to spare")]

    def summary(self) -> dict:
        """The ``plant plan --json`` answer."""

        def one(c: Candidate | None) -> dict | None:
            if c is None:
                return None
            return {
                "scrap_intake_scale": c.scrap_scale,
                "source_scales": dict(c.source_scales),
                "concentrate_t_per_yr": c.concentrate_t_per_yr,
                "pilot_share": c.pilot_share,
                "trains": c.trains,
                "train_interval_yr": c.train_interval,
                "target_met": c.met,
                "first_year_met": None if np.isnan(c.first_year_met) else c.first_year_met,
                "coverage": c.coverage,
                "on_spec_t_per_yr": c.on_spec_t_per_yr,
                "target_t_per_yr": c.target_t_per_yr,
                "limited_by": c.limited_by,
                "capex_usd": c.capex_usd,
                "npv_usd": c.npv_usd,
                "cost_usd_per_kg_reo": c.cost_usd_per_kg_reo,
                "nameplate_t_per_yr": c.nameplate_t_per_yr,
                "overrides": {k: v for k, v in c.overrides(self.params).items()},
            }

        b = self.best
        return {
            "target": {"share": self.share, "basis": self.basis, "year": self.year},
            "budget_usd": self.budget_usd,
            "objective": self.objective,
            "feasible": self.feasible,
            "binding": self.binding(),
            "capex_usd": None if b is None else b.capex_usd,
            "npv_usd": None if b is None else b.npv_usd,
            "cost_usd_per_kg_reo": None if b is None else b.cost_usd_per_kg_reo,
            "nameplate_t_per_yr": None if b is None else b.nameplate_t_per_yr,
            "plan": one(b),
            "nearest": None
            if self.feasible
            else {
                "later_year": one(self.later),
                "largest_share": one(self.most),
                "more_imports": None
                if self.imports is None
                else {
                    "import_multiple": self.imports[0],
                    "extra_imports_t_per_yr": self.imports[1],
                    **one(self.imports[2]),
                },
            },
            "evaluated": self.evaluated,
            "failed": self.failed,
        }

    def settings(self) -> list[str]:
        """The plan as 'section.key=VALUE' settings (the command line's --set), the target with it;
        empty where no plan meets the target or a later year."""
        c = self.best if self.best is not None else self.later
        if c is None:
            return []
        year = self.year if self.best is not None else int(c.first_year_met)
        v = c.overrides(self.params)
        out = [
            f"capacity.target_share={self.share!r}",
            f"capacity.target_basis='{self.basis}'",
            f"capacity.target_year={year}",
            f"concentrate.flow='{v['concentrate.flow'] / T_PER_YR:.6g} t/yr'",
            f"economics.build.pilot_share={v['economics.build.pilot_share']!r}",
            f"economics.build.trains={v['economics.build.trains']}",
            f"economics.build.train_interval={v['economics.build.train_interval']}",
        ]
        for name in self.params.feed.sources:
            t = v[f"feed.sources.{name}.magnet_flow"] / T_PER_YR
            out.append(f"feed.sources.{name}.magnet_flow='{t:.6g} t/yr'")
        return out

    def overlay(self) -> str:
        """The plan as a params overlay (TOML) that ``plant run`` meets the target with."""
        c = self.best if self.best is not None else self.later
        if c is None:
            raise ParamError(
                "plan", "--write", "a plan that meets the target", given_text="none found"
            )
        year = self.year if self.best is not None else int(c.first_year_met)
        v = c.overrides(self.params)
        lines = [
            f"# Written by `plant plan`: {self.share:g} of {self.basis} demand in {year}, the "
            f"{'cheapest plan per kg REO' if self.objective == 'cost' else 'plan of highest NPV'}"
            " of the grid that meets it.",
            "[scenario]",
            'name = "plan"',
            f'description = "Plan to cover {self.share:.0%} of {self.basis} demand by {year}"',
            "",
            "[capacity]",
            f"target_share = {self.share!r}",
            f'target_basis = "{self.basis}"',
            f"target_year = {year}",
            "",
            "[concentrate]",
            f'flow = "{v["concentrate.flow"] / T_PER_YR:.6g} t/yr"',
            "",
            "[economics.build]",
            f"pilot_share = {v['economics.build.pilot_share']!r}",
            f"trains = {v['economics.build.trains']}",
            f"train_interval = {v['economics.build.train_interval']}",
        ]
        for name in self.params.feed.sources:
            t = v[f"feed.sources.{name}.magnet_flow"] / T_PER_YR
            lines += ["", f"[feed.sources.{name}]", f'magnet_flow = "{t:.6g} t/yr"']
        return "\n".join(lines) + "\n"


def plan(
    params,
    share=None,
    year=None,
    basis=None,
    objective: str = "cost",
    budget_usd: float | None = None,
) -> Plan:
    """The plan that meets the target (share, basis, year; None: as the files say) at the lowest
    cost per kg REO (``objective='npv'``: the highest NPV), with a CAPEX of at most ``budget_usd``
    (None: any); see the module doc."""
    if objective not in OBJECTIVES:
        raise ParamError("plan", "--objective", f"one of {', '.join(OBJECTIVES)}", objective)
    if budget_usd is not None and not (np.isfinite(budget_usd) and budget_usd > 0):
        raise ParamError("plan", "--budget", "a positive CAPEX in USD", budget_usd)
    p = target_params(params, share, year, basis)
    c = p.capacity
    cands = evaluate_grid(p)
    within = lambda x: budget_usd is None or x.capex_usd <= budget_usd
    evaluated = [x for x in cands if not x.failure]
    ok = [x for x in evaluated if within(x)]
    met = [x for x in ok if x.met and np.isfinite(x.cost_usd_per_kg_reo)]
    key = (lambda x: x.cost_usd_per_kg_reo) if objective == "cost" else (lambda x: -x.npv_usd)
    best = _refine(p, min(met, key=key), key, within) if met else None
    later = most = None
    if best is None:
        soon = [
            x
            for x in ok
            if np.isfinite(x.first_year_met) and x.first_year_met <= c.target_year + LATER_YEARS
        ]
        later = min(soon, key=lambda x: (x.first_year_met, key(x))) if soon else None
        most = _refine(p, max(ok, key=lambda x: x.coverage), key, within) if ok else None
    imports = _more_imports(p, most) if best is None and most is not None else None
    chosen = best if best is not None else most
    off_spec_more = chosen is not None and any(
        x.limited_by == "off spec" and x.concentrate_t_per_yr > chosen.concentrate_t_per_yr
        for x in ok
    )
    beyond = [x for x in evaluated if not within(x) and x.met]
    over_budget = bool(beyond) and (best is None or min(key(x) for x in beyond) < key(best) - 1e-12)
    return Plan(
        float(np.asarray(c.target_share)),
        c.target_basis,
        int(c.target_year),
        objective,
        best,
        later,
        most,
        len(cands),
        len(cands) - len(ok),
        p,
        off_spec_more,
        imports,
        budget_usd,
        over_budget,
    )


def _refine(params, c: Candidate, key, within=lambda x: True) -> Candidate:
    """Plan ``c`` with each source's own intake refined, one source at a time (REFINE_FACTORS of
    its intake, REFINE_ROUNDS rounds): a variant ``within`` the budget is kept where it still meets
    the target at a better ``key`` (if ``c`` meets it), or, if it does not, covers clearly more of
    the demand (COVERAGE_STEP) or as much at a better ``key``."""
    import dataclasses

    from plant.params import with_values

    p = with_values(
        params,
        {
            "economics.build.pilot_share": c.pilot_share,
            "economics.build.trains": c.trains,
            "economics.build.train_interval": c.train_interval,
        },
    )
    sources = list(p.feed.sources)
    choice = (c.scrap_scale, c.concentrate_t_per_yr, c.pilot_share, c.trains, c.train_interval)
    cap = _supply_caps(p, c)
    current = c
    for _ in range(REFINE_ROUNDS):
        now = {s: current.scale_of(s) for s in sources}
        rows = [
            {**now, s: now[s] * f}
            for s in sources
            for f in REFINE_FACTORS
            if now[s] * f != now[s] and (f < 1.0 or now[s] * f <= cap[s])
        ]
        if not rows:
            break
        values = {
            f"feed.sources.{s}.magnet_flow": float(np.asarray(src.magnet_flow))
            * np.array([row[s] for row in rows])
            for s, src in p.feed.sources.items()
        }
        values["concentrate.flow"] = np.full(len(rows), c.concentrate_t_per_yr * T_PER_YR)
        r = _batch(p, values, len(rows))
        tried = [
            dataclasses.replace(_candidate(choice, r, i), source_scales=tuple(row.items()))
            for i, row in enumerate(rows)
        ]
        tried = [x for x in tried if not x.failure and within(x)]
        if current.met:
            better = [x for x in tried if x.met and key(x) < key(current) - 1e-12]
            pick = min(better, key=key) if better else None
        else:  # cover clearly more (half a point), or as much for less
            better = [
                x
                for x in tried
                if x.coverage > current.coverage + COVERAGE_STEP
                or (x.coverage >= current.coverage - 1e-9 and key(x) < key(current) - 1e-12)
            ]
            pick = max(better, key=lambda x: (round(x.coverage, 3), -key(x))) if better else None
        if pick is None:
            break
        current = pick
    return current


def _supply_caps(params, c: Candidate) -> dict[str, float]:
    """Per source, the largest multiple of the files' design intake worth building for: what the
    source offers in the target year, with SUPPLY_HEADROOM."""
    from plant.model import evaluate
    from plant.params import with_values

    proj = evaluate(with_values(params, c.overrides(params))).capacity
    caps = {}
    for i, name in enumerate(proj.supplies):
        if name in params.feed.sources:
            offered = float(np.asarray(proj.at(proj.supply[..., i, :])))
            design = float(np.asarray(params.feed.sources[name].magnet_flow)) / T_PER_YR
            caps[name] = SUPPLY_HEADROOM * offered / design if design > 0 else np.inf
    return caps


def _more_imports(params, c: Candidate):
    """The least multiple of the scrap imports (every source's ``available`` together) with which
    the plan covering most would meet the target in its year: (multiple, extra imports [t/yr in
    the supply year], the plan evaluated), or None where ten times does not."""
    from plant.params import with_values

    p = with_values(params, c.overrides(params))
    m = np.array(IMPORT_MULTIPLES)
    stated = {n: float(np.asarray(s.available or 0.0)) for n, s in p.feed.sources.items()}
    values = {f"feed.sources.{n}.available": a * m for n, a in stated.items()}
    r = _batch(p, values, len(m))
    hits = np.flatnonzero(r["met"])
    if not len(hits):
        return None
    i = int(hits[0])
    extra = sum(stated.values()) * (m[i] - 1.0) / T_PER_YR
    import dataclasses

    choice = (c.scrap_scale, c.concentrate_t_per_yr, c.pilot_share, c.trains, c.train_interval)
    found = dataclasses.replace(_candidate(choice, r, i), source_scales=c.source_scales)
    return float(m[i]), float(extra), found
