"""Design mode: the fewest stages and the flows that make a circuit meet its purity and recovery
targets across a margin, with the scrub flow under control.

For a key split (e.g. Nd | Dy: Nd and everything less extractable to the
raffinate, Dy and everything more extractable to the strip liquor) a design
must hold both products' purity and recovery not only for its feed but
across the margin (:class:`DesignMargin`): the feed's rare-earth flow, the
balance between the two sides of the cut and the leach recovery upstream
moving within their bounds, at the same liquor volume. The extremes of those
moves are five feeds (the nominal one and four corners).

A saponified circuit cannot do that at fixed flows. Its cut is set by
equivalents (the base the organic brings, less the feed and scrub acid), as
in Xu Guangxian's theory of countercurrent extraction: the strip product is
pure only while the net extraction matches the feed's strip side to within
the purity allowance (0.5 % for 99.5 %), so a scrub ratio a few per cent off
spoils one product or the other, and no stage count widens that window.
Plants hold the cut by trimming the scrub flow on an assay of the product
(or of a monitoring stage); the model does the same
(``strip_purity_setpoint``, :func:`.scrub_control.trimmed_scrub`). A design is then
the stages and the organic ratio at which, for every margin feed, the scrub
ratio that puts the strip product at its setpoint also leaves the raffinate
pure and both products recovered, with the trims the margin needs within the
controller's span (:data:`.scrub_control.TRIM_RANGE`).

For each stage count the scrub ratio at the setpoint is found by bisection
in log scale for all organic ratios and margin feeds in one batch solve per
step, each step starting from the previous step's solution. The stage count
(extraction = scrub) doubles until some organic ratio works, is then bisected
down, and the scrub stages are lowered while it still works. The design
takes the least organic ratio that works (the smallest inventory and
saponification) and the scrub ratio of the nominal feed.

Purity and recovery are on a rare-earth basis: the share of the product's
rare earths among all rare earths of its stream, and the share of the feed's
product rare earths that reach it. The chosen design is solved once more at
every margin feed, and that check is what is reported. If no stage count up
to the limit works, the result says so and why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.chemistry import RARE_EARTHS
from plant.errors import PlantError
from plant.numerics import bracketed_root, logit, safe_ratio
from plant.params import with_values
from plant.thermo import atomic_weight
from plant.units.solvent_extraction.circuit import CircuitDesign, solve_circuit
from plant.units.solvent_extraction.parameters import DesignMargin
from plant.units.solvent_extraction.scrub_control import TRIM_RANGE, TRIM_TOLERANCE, TRIM_XTOL
from plant.units.solvent_extraction.unit import (
    CircuitParams,
    CircuitResult,
    SolventExtractionParams,
    circuit_components,
    exchange_model,
    feed_state,
)

ORGANIC_RATIOS = np.geomspace(0.2, 3.2, 5)
"""Organic flow over the aqueous feed flow tried at each stage count [-]."""
SCRUB_RANGE = (1e-3, 10.0)
BISECTIONS = 14
"""Scrub ratios searched (scrub liquor over the aqueous feed flow) and the root-finding steps in
log scale (regula falsi alternating with bisection)."""
UNSOLVED = 10.0
"""A flow set whose circuit does not run counts as this far below the setpoint in logit(purity)
(too little scrub acid for its saponification)."""
MAX_STAGES = 128
SETPOINT_SHARE = 0.5
"""Without a setpoint of its own, the controller holds the strip product's purity this share of
the way from the purity target to 1 (99.75 % for a 99.5 % target) [E]."""


@dataclass(frozen=True)
class DesignResult:
    """Outcome of design mode (scalar inputs).

    feasible : whether the targets are met across the margin; reason : why not, in words
    n_extraction, n_scrub, organic_ratio, scrub_ratio : the design (None when infeasible), the
        ratios at the nominal feed
    setpoint : the strip product's purity the scrub flow's controller holds
    trims : the least and most scrub trim (on scrub_ratio) the controller applies across the margin
    purity, recovery : of the raffinate and the strip product (rare-earth basis), the worst over
        the margin feeds; nominal : the same at the nominal feed
    evaluated : circuit solves made
    """

    feasible: bool
    reason: str
    n_extraction: int | None
    n_scrub: int | None
    organic_ratio: float | None
    scrub_ratio: float | None
    setpoint: float
    trims: tuple[float, float] | None
    purity: dict[str, float]
    recovery: dict[str, float]
    nominal: dict[str, float]
    evaluated: int


def adjacent_groups(slate, light, heavy, present) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The two products either side of a cut: of the ``slate``'s groups of elements, the one
    holding the most extractable element ``present`` on the ``light`` side and the one holding the
    least extractable present on the ``heavy`` side, each cut to its side."""
    lp = [e for e in light if e in present]
    hp = [e for e in heavy if e in present]
    group = lambda e: next((g for g in slate if e in g), (e,))
    return (
        tuple(e for e in group(lp[-1]) if e in light),
        tuple(e for e in group(hp[0]) if e in heavy),
    )


def split_groups(light_key: str, heavy_key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Rare earths to the raffinate (up to ``light_key``) and to the strip liquor (all heavier, from
    the elements between the keys to ``heavy_key`` and beyond: Nd|Dy sends Sm, Gd, Tb with Dy)."""
    for k in (light_key, heavy_key):
        if k not in RARE_EARTHS:
            raise PlantError(
                f"design: unknown key element {k!r}; rare earths: {', '.join(RARE_EARTHS)}"
            )
    i, j = RARE_EARTHS.index(light_key), RARE_EARTHS.index(heavy_key)
    if i >= j:
        raise PlantError(
            "design: the light key must be less extractable than the heavy key; "
            f"given {light_key}|{heavy_key}"
        )
    return RARE_EARTHS[: i + 1], RARE_EARTHS[i + 1 :]


def margin_feeds(
    feed: np.ndarray, heavy: np.ndarray, margin: DesignMargin, leach_recovery: float
) -> np.ndarray:
    """The nominal feed (n_comp,) and the four corners of the margin (5, n_comp): the rare-earth
    flow low and high (the feed's flow and the leach recovery, nominal ``leach_recovery``, moving
    together), each with the strip side's share of the rare earths raised and lowered by
    ``margin.composition`` (the total kept)."""
    r = float(leach_recovery)
    low = (1.0 - float(margin.feed)) * (r - float(margin.leach_recovery)) / r
    high = (1.0 + float(margin.feed)) * min(r + float(margin.leach_recovery), 1.0) / r
    out = [feed]
    for scale in (low, high):
        for sign in (-1.0, 1.0):
            f = feed.copy()
            re = f[:-1]
            heavy_part, light_part = (re * heavy).sum(), (re * ~heavy).sum()
            up = 1.0 + sign * float(margin.composition)
            new_heavy = min(heavy_part * up, re.sum())
            k_light = safe_ratio(re.sum() - new_heavy, light_part)
            f[:-1] = np.where(heavy, re * safe_ratio(new_heavy, heavy_part), re * k_light) * scale
            out.append(f)
    return np.array(out)


def design_circuit(
    feed_re: dict[str, float],
    feed_flow: float,
    feed_acid: float,
    p: SolventExtractionParams,
    circuit: str,
    light_key: str,
    heavy_key: str,
    purity: float = 0.995,
    recovery: float = 0.99,
    margin: DesignMargin | None = None,
    leach_recovery: float = 1.0,
    slate: tuple[tuple[str, ...], ...] | None = None,
    organic_ratios: np.ndarray | None = None,
    first_stages: int = 1,
) -> DesignResult:
    """Design circuit ``circuit`` of ``p`` (its name, or its CircuitParams) for an aqueous feed.

    feed_re : rare earth -> mol/s in the feed; feed_flow [m3/s]; feed_acid : H+ of the feed [mol/m3]
    purity, recovery : targets for both products [-]; margin : how far the feed may move
    (``p.design`` when None); leach_recovery : the leach recovery the feed was made at,
    which the margin moves by points [-]; slate : the train's products as groups of elements
    (light to heavy): purity and recovery are then those of the two products either side of the
    cut (:func:`adjacent_groups`), so that a cut whose raffinate feeds further circuits keeps the
    next product clean; without it, those of the whole raffinate and strip liquor;
    organic_ratios : organic / feed flows tried (default ORGANIC_RATIOS); first_stages : the
    extraction (= scrub) stages the search starts from (a shortcut estimate for hard cuts)
    """
    light, heavy = split_groups(light_key, heavy_key)
    margin = p.design if margin is None else margin
    c: CircuitParams = circuit if isinstance(circuit, CircuitParams) else getattr(p, circuit)
    ratios = ORGANIC_RATIOS if organic_ratios is None else np.asarray(organic_ratios, dtype=float)
    re = np.array([float(feed_re.get(e, 0.0)) for e in RARE_EARTHS])
    if (re < 0).any() or re.sum() <= 0:
        raise PlantError("design: the feed needs a positive flow of rare earths and none negative")
    comps = circuit_components(re)
    feed = np.array([re[RARE_EARTHS.index(e)] for e in comps[:-1]] + [0.0])
    in_light = np.array([e in light for e in comps[:-1]])
    in_heavy = np.array([e in heavy for e in comps[:-1]])
    if not in_light.any() or not in_heavy.any():
        raise PlantError(
            f"design: the feed must carry rare earths on both sides of {light_key}|{heavy_key}"
        )
    group_l, group_h = adjacent_groups(slate, light, heavy, comps[:-1]) if slate else (light, heavy)
    of_l = np.array([e in group_l for e in comps[:-1]])
    of_h = np.array([e in group_h for e in comps[:-1]])
    feeds = margin_feeds(feed, in_heavy, margin, leach_recovery)
    setpoint = (
        float(c.strip_purity_setpoint)
        if c.strip_purity_setpoint is not None
        else purity + SETPOINT_SHARE * (1.0 - purity)
    )
    target = logit(setpoint)
    mass = np.array([atomic_weight(e) for e in comps[:-1]])
    counter = [0]
    C = float(np.asarray(p.extractant_concentration))

    def solve(n_e, n_s, organic, scrub, f, start=None):
        """Solve a batch of flows and feeds: purities and recoveries (raffinate, strip), which
        samples ran, and the solution."""
        counter[0] += int(np.size(organic))
        d = CircuitDesign(
            n_e,
            n_s,
            c.n_strip,
            feed_flow,
            np.asarray(organic) * feed_flow,
            np.asarray(scrub) * feed_flow,
            float(c.strip_ratio) * feed_flow,
            feed_acid,
            float(c.scrub_acid),
            float(c.strip_acid),
            C,
            float(c.saponification) * C,
        )
        if p.mode == "pH":
            sol = solve_circuit(
                d,
                f,
                model=exchange_model(p.extractant_data(), comps),
                cation_index=len(comps) - 1,
                strict=False,
                start=start,
            )
        else:
            D = np.array([float(c.distribution_ratio[e]) for e in comps[:-1]] + [1e-9])
            DR = np.array([float(c.strip_distribution_ratio[e]) for e in comps[:-1]] + [1e-9])
            sol = solve_circuit(d, f, D=D, D_strip=DR, strict=False)
        raff, strip = sol.raffinate[..., :-1], sol.strip_liquor[..., :-1]
        f_re = f[..., :-1]
        # each product's purity against what crosses the cut into it
        good_r, bad_r = (raff * mass * of_l).sum(-1), (raff * mass * in_heavy).sum(-1)
        good_s, bad_s = (strip * mass * of_h).sum(-1), (strip * mass * in_light).sum(-1)
        quality = (
            safe_ratio(good_r, good_r + bad_r),
            safe_ratio(good_s, good_s + bad_s),
            safe_ratio((raff * of_l).sum(-1), (f_re * of_l).sum(-1)),
            safe_ratio((strip * of_h).sum(-1), (f_re * of_h).sum(-1)),
        )
        return quality, sol.converged, sol

    def controlled(n_e, n_s):
        """For each organic ratio (n_O,) and margin feed: the scrub ratio at which the strip
        product's purity meets the setpoint (a controller trimming the scrub flow), and whether
        the raffinate's purity and both recoveries then meet the targets, (n_O, n_feeds)."""
        nO, nf = ratios.size, len(feeds)
        organic = np.repeat(ratios, nf)
        f = np.tile(feeds, (nO, 1))
        state = {"start": None}

        def error(log_scrub):
            (_, pur_s, _, _), ok, state["start"] = solve(
                n_e, n_s, organic, np.exp(log_scrub), f, state["start"]
            )
            return np.where(ok, logit(pur_s) - target, -UNSOLVED)

        lo = np.full(organic.shape, np.log(SCRUB_RANGE[0]))
        hi = np.full(organic.shape, np.log(SCRUB_RANGE[1]))
        f_lo, f_hi = error(lo), error(hi)
        reached = (f_lo < 0) & (f_hi > 0)
        x = bracketed_root(
            error,
            lo,
            hi,
            f_lo,
            f_hi,
            xtol=TRIM_XTOL,
            ftol=TRIM_TOLERANCE,
            active=reached,
            max_iter=BISECTIONS,
            bisect_every=2,
        )
        scrub = np.exp(x)
        (pur_r, pur_s, rec_r, rec_s), ok, _ = solve(n_e, n_s, organic, scrub, f, state["start"])
        meets = (
            ok & (pur_r >= purity) & (pur_s >= purity) & (rec_r >= recovery) & (rec_s >= recovery)
        )
        meets &= reached
        return scrub.reshape(nO, nf), meets.reshape(nO, nf)

    def works(n_e, n_s):
        """Organic ratios (n_O,) at which every margin feed meets the targets with the scrub
        trims within the controller's span, and the scrub ratios (n_O, n_feeds)."""
        scrub, meets = controlled(n_e, n_s)
        span = scrub.max(axis=1) / scrub.min(axis=1)
        trims = scrub / scrub[:, :1]  # on the nominal feed's scrub ratio
        within = (trims >= TRIM_RANGE[0]).all(axis=1) & (trims <= TRIM_RANGE[1]).all(axis=1)
        return meets.all(axis=1) & within & np.isfinite(span), scrub

    tried: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}

    def opens(n_e, n_s):
        if (n_e, n_s) not in tried:
            tried[n_e, n_s] = works(n_e, n_s)
        return tried[n_e, n_s][0].any()

    n, best, below = max(int(first_stages), 1), None, 0
    while n <= MAX_STAGES:
        if opens(n, n):
            best = n
            break
        below, n = n, n * 2
    if best is None:
        beta = _separation(p, c, comps, light_key, heavy_key)
        return DesignResult(
            False,
            f"no design with up to {MAX_STAGES} extraction and scrub stages meets "
            f"{purity:.1%} purity and {recovery:.1%} recovery of both products with "
            f"{p.extractant} across the margin (feed {float(margin.feed):.0%}, composition "
            f"{float(margin.composition):.0%}, leach recovery {float(margin.leach_recovery):.0%}"
            f" points) with the scrub flow trimmed to hold the strip product at {setpoint:.2%}; "
            f"the {heavy_key}/{light_key} separation factor is {beta:.3g}",
            None,
            None,
            None,
            None,
            setpoint,
            None,
            {},
            {},
            {},
            counter[0],
        )
    lo_n, hi_n = below, best  # lo infeasible (or 0), hi feasible
    while hi_n - lo_n > 1:
        mid = (lo_n + hi_n) // 2
        if opens(mid, mid):
            hi_n = mid
        else:
            lo_n = mid
    n_e = n_s = hi_n
    if opens(n_e, 0):
        n_s = 0
    else:  # fewest scrub stages that keep a window: bisection
        lo_s, hi_s = 0, n_s
        while hi_s - lo_s > 1:
            mid = (lo_s + hi_s) // 2
            if opens(n_e, mid):
                hi_s = mid
            else:
                lo_s = mid
        n_s = hi_s
    ok_O, scrubs = tried[n_e, n_s]
    k = int(np.flatnonzero(ok_O)[0])  # the least organic that works
    organic, scrub = float(ratios[k]), float(scrubs[k, 0])
    (pur_r, pur_s, rec_r, rec_s), ok, _ = solve(
        n_e, n_s, np.full(len(feeds), organic), scrubs[k], feeds
    )
    met = bool(
        ok.all()
        and min(pur_r.min(), pur_s.min()) >= purity
        and min(rec_r.min(), rec_s.min()) >= recovery
    )
    return DesignResult(
        met,
        "meets the targets across the margin" if met else "the chosen design failed its check",
        n_e,
        n_s,
        organic,
        scrub,
        setpoint,
        (float(scrubs[k].min() / scrub), float(scrubs[k].max() / scrub)),
        {"raffinate": float(pur_r.min()), "strip_liquor": float(pur_s.min())},
        {"raffinate": float(rec_r.min()), "strip_liquor": float(rec_s.min())},
        {
            "raffinate_purity": float(pur_r[0]),
            "strip_liquor_purity": float(pur_s[0]),
            "raffinate_recovery": float(rec_r[0]),
            "strip_liquor_recovery": float(rec_s[0]),
        },
        counter[0],
    )


def _separation(
    p: SolventExtractionParams, c: CircuitParams, comps, light_key: str, heavy_key: str
) -> float:
    """D(heavy key) / D(light key) at equal conditions."""
    if p.mode == "pH":
        x = p.extractant_data()
        return float(
            np.asarray(x.separation_factor[heavy_key]) / np.asarray(x.separation_factor[light_key])
        )
    return float(
        np.asarray(c.distribution_ratio[heavy_key]) / np.asarray(c.distribution_ratio[light_key])
    )


# ---------------------------------------------------------------------------- a plant's circuits


def design_for(
    unit: CircuitResult,
    p: SolventExtractionParams,
    acid: str,
    light_key: str,
    heavy_key: str,
    purity: float = 0.995,
    recovery: float = 0.99,
    leach_recovery: float = 1.0,
    slate: tuple[tuple[str, ...], ...] | None = None,
) -> DesignResult:
    """Design mode for the feed a plant's circuit ``unit`` (a scalar solvent_extraction result)
    takes, in the mode of ``p``, with its margin, for the train's ``slate`` of products."""
    circuit = unit.circuit.circuit
    re_in, F, feed_acid = feed_state(unit.inlets["liquor"], p, acid)
    feed = {e: float(re_in[..., i]) for i, e in enumerate(RARE_EARTHS)}
    return design_circuit(
        feed,
        float(F),
        float(feed_acid),
        p,
        circuit,
        light_key,
        heavy_key,
        purity,
        recovery,
        leach_recovery=leach_recovery,
        slate=slate,
    )


def operating_ratios(unit: CircuitResult) -> tuple[dict[str, float], dict[str, float]]:
    """Distribution ratios (organic / aqueous) a solved circuit ``unit`` runs at: the geometric mean
    over its extraction and scrub stages, and over its strip stages, per rare earth it carries."""
    rec = unit.circuit
    n_main = rec.n_extraction + rec.n_scrub
    main, strip = {}, {}
    for e, aq in rec.aqueous.items():
        if e not in RARE_EARTHS:
            continue
        ratio = safe_ratio(np.asarray(rec.organic[e], dtype=float), np.asarray(aq, dtype=float))
        log = np.log(np.clip(ratio, *D_RANGE))
        main[e], strip[e] = float(np.exp(log[:n_main].mean())), float(np.exp(log[n_main:].mean()))
    return main, strip


D_RANGE = (1e-9, 1e9)
"""The domain of a constant distribution ratio (``distribution_ratio`` of the circuit
parameters)."""


def operating_point_equivalent(
    unit: CircuitResult, p: SolventExtractionParams
) -> SolventExtractionParams:
    """``p`` in constant-D mode with the circuit's distribution ratios set to those it runs at
    (:func:`operating_ratios`): a quick design-mode estimate of a pH-mode circuit, fair while the
    flows stay near the operating point (the ratios move with the organic and scrub flows in pH
    mode)."""
    circuit = unit.circuit.circuit
    main, strip = operating_ratios(unit)
    values = {"mode": "constant_D"}
    values.update({f"{circuit}.distribution_ratio.{e}": v for e, v in main.items()})
    values.update(
        {f"{circuit}.strip_distribution_ratio.{e}": max(v, 1e-12) for e, v in strip.items()}
    )
    return with_values(p, values)
