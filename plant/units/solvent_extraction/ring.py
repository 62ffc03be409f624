"""The steady state of a pH-mode solvent-extraction circuit, solved as one ring of stages.

The organic runs round a ring: extraction and scrub stages 0..N-1 (the main
cascade), strip stages N..M-1, then saponification and back to stage 0.
The aqueous runs the other way within each section: from stage k+1 to k,
leaving the main cascade at stage 0 (raffinate) and the strip at stage N
(strip liquor). The unknowns are what passes through each stage
(:mod:`plant.units.solvent_extraction.equilibrium`): the total flow of each
component T_i and the net acid P, Z_k = (T_1..T_n, P) [mol/s]. A flash
splits them into the aqueous a_k and organic o_k = Z_k - a_k leaving, and the
stage balances are

    R_k = a_{k+1} + o_{k-1} + e_k - Z_k = 0,

e_k what enters from outside (feed, scrub and strip acid, and at stage 0
the saponification: its cation in, as many protons out).

The equations are those of the circuit's own start-up, dZ/dt = R(Z) in
units of the stage residence time, and the solver follows that transient by
implicit steps (pseudo-transient continuation): a step of length dt solves
(I/dt - dR/dZ) dZ = R, so that short steps keep every total positive and
every stage a mixture of real phases, and the step grows as the residuals
fall (by their ratio, switched evolution relaxation) until it is Newton's.
The Jacobian is block tridiagonal with one corner block (the returning
organic); it is solved by block elimination along the stages and the corner
by the Woodbury identity. Once pH and free dimer have settled, the component
balances are linear and are solved exactly at them, so every element is
conserved to round-off at every stage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from plant.units.solvent_extraction import kernels
from plant.units.solvent_extraction.equilibrium import (
    LN10,
    WATER,
    Equilibrium,
    ExchangeModel,
    flash,
    free_dimer,
    sensitivities,
    stage_data,
)

TOLERANCE = 1e-10
"""Largest scaled stage imbalance at convergence [-] (each balance over what flows through the
stage, with a floor of 1e-12 of what enters the circuit)."""
FLOOR = 1e-12
MAX_STEPS, CONTINUATION_BUDGET, CLIFF_STEPS, WARM_STEPS = 300, 2000, 5000, 40
"""Pseudo-time steps per level before continuation takes over, for the whole continuation, to
cross a cliff (see solve_ring), and for a batch's samples started from its first one's solution
before they start afresh."""
CONTINUATION_STEP, MIN_CONTINUATION, CONTINUATION_STEPS = 0.25, 0.02, 100
"""First increment and smallest increment of the saponification share in continuation, and the
steps allowed at each."""
HYDROLYSIS_PH = 6.5
"""Highest stage pH a circuit may run at [-]: above it rare-earth hydroxides precipitate from
chloride liquor (pH of precipitation 6.3 (Lu) to 7.8 (La), Baes and Mesmer, The Hydrolysis of
Cations, 1976 [S2]; the lowest rounded). Continuation stops there (see solve_ring)."""
FIRST_STEP, WARM_STEP, MAX_STEP = 1.0, 1e4, 1e14
"""Pseudo-time step [stage residence times]: from a cold start, from a previous solution, and
its ceiling (Newton's method)."""
STEP_GROWTH, MIN_GROWTH, STEP_CUT, MAX_RISE = 10.0, 1.5, 0.25, 2.0
"""After a step that lowers the residual the pseudo-time step grows by the ratio of the residuals,
at least MIN_GROWTH and at most STEP_GROWTH times; after one that raises it, it shrinks by that
ratio. A step whose residual rises more than MAX_RISE times, or that leaves a total not finite,
is taken back and the step cut by STEP_CUT."""
SHRINK = 1e-3
"""A component's total may fall at most to this share of its value in one step."""
MAX_PH_CHANGE, PH_TRIES = 4.0, 2
"""A step predicted to move a stage's pH by more than MAX_PH_CHANGE is shortened to that; if it
still moves it more, shortened again (PH_TRIES evaluations in all), and otherwise taken back."""


@dataclass(frozen=True)
class Ring:
    """One circuit's ring, flattened to b samples.

    model : constants (b, n_comp); A : aqueous flow leaving each stage (b, M) [m3/s]
    O, C : organic flow [m3/s] and extractant [mol/m3] (b,)
    external : what enters each stage from outside (b, M, n_comp + 1) [mol/s], net acid last
    sections : stages of extraction, scrub and strip (the ring's stages in that order)
    base : the saponification, what it adds at stage 0 (b, n_comp + 1) [mol/s] (the cation in,
        as many protons out), included in ``external``
    """

    model: ExchangeModel
    A: np.ndarray
    O: np.ndarray
    C: np.ndarray
    external: np.ndarray
    sections: tuple[int, int, int]
    base: np.ndarray

    @property
    def n_main(self) -> int:
        return self.sections[0] + self.sections[1]

    @property
    def aqueous_link(self) -> np.ndarray:
        return aqueous_link(self.n_main, self.A.shape[-1])

    def take(self, idx: np.ndarray) -> Ring:
        m = ExchangeModel(*(a[idx] for a in self.model.__dict__.values()))
        return Ring(
            m, self.A[idx], self.O[idx], self.C[idx], self.external[idx], self.sections,
            self.base[idx],
        )  # fmt: skip

    def with_base(self, share: float) -> Ring:
        """The ring with ``share`` of its saponification."""
        external = self.external.copy()
        external[:, 0] -= (1.0 - share) * self.base
        return Ring(self.model, self.A, self.O, self.C, external, self.sections, share * self.base)


def aqueous_link(n_main: int, M: int) -> np.ndarray:
    """(M,) whether stage k receives the aqueous of stage k+1 (not the last of each section)."""
    link = np.ones(M, dtype=bool)
    link[[n_main - 1, M - 1]] = False
    return link


@dataclass(frozen=True)
class RingSolution:
    """Steady state per sample (b,): totals Z (b, M, n_comp + 1) [mol/s], pH and ln free dimer
    (b, M), share of each component in the organic (b, M, n_comp), aqueous and organic flows
    leaving each stage (b, M, n_comp + 1) [mol/s], final scaled residual and steps taken (b,),
    converged (b,)."""

    Z: np.ndarray
    pH: np.ndarray
    g: np.ndarray
    organic_share: np.ndarray
    aqueous: np.ndarray
    organic: np.ndarray
    residual: np.ndarray
    steps: np.ndarray
    converged: np.ndarray
    base_share: np.ndarray


def solve_ring(ring: Ring, start: tuple[np.ndarray, np.ndarray] | None = None) -> RingSolution:
    """The steady state of ``ring`` from ``start`` (pH, ln free dimer (b, M) of a nearby
    solution) or from a cold start.

    A sample that the pseudo-time steps do not bring to its steady state in MAX_STEPS is solved
    again by continuation in its saponification: from none (an acidic circuit, which the steps
    solve readily) up to all of it, each solution the start of the next, the increment halved
    when a solve fails and doubled when it succeeds. More base raises the pH of every stage, so
    if a partial saponification already runs a stage above ``alkaline`` the full one would too:
    the continuation stops there and ``base_share`` says how far it got. Where a small increment
    of the saponification no longer converges, the steady state jumps (a cliff: near the point
    where the base equals the acid the extraction and scrub stages see, the pH front runs
    through the whole extraction section); the full saponification is then followed for
    CLIFF_STEPS pseudo-time steps, the front moving about one stage per step.
    """
    b, M = ring.A.shape
    if start is None and b > 1:  # a batch starts from the solution of its first sample
        one = ring.take(np.array([0]))
        first = _transient(one, None, TOLERANCE, MAX_STEPS)
        if not first.converged[0] and np.abs(one.base).sum() > 0:
            first = _continuation(one)  # as a sample alone would be solved
        # an unconverged first sample is no start: from it the others can settle on a wrong front
        start = tuple(np.broadcast_to(a, (b, M)) for a in (first.pH, first.g))
        sol = _transient(ring, start if first.converged[0] else None, TOLERANCE, WARM_STEPS)
        cold = np.flatnonzero(~sol.converged)
        if cold.size:  # too far from it: on their own
            sol = _put_solutions(sol, cold, _transient(ring.take(cold), None, TOLERANCE, MAX_STEPS))
    else:
        sol = _transient(ring, start, TOLERANCE, MAX_STEPS)
    failed = np.flatnonzero(~sol.converged & (np.abs(ring.base).sum(-1) > 0))
    for i in failed:
        sol = _put_solution(sol, i, _continuation(ring.take(np.array([i]))))
    return sol


def _continuation(ring: Ring, alkaline: float = HYDROLYSIS_PH) -> RingSolution:
    """One sample (b = 1) solved by continuation in its saponification (see solve_ring)."""
    done = _transient(ring.with_base(0.0), None, TOLERANCE, MAX_STEPS)
    share, step, left = 0.0, CONTINUATION_STEP, CONTINUATION_BUDGET
    while done.converged[0] and share < 1.0 and done.pH.max() <= alkaline and left > 0:
        if step < MIN_CONTINUATION:  # a cliff: the steady state jumps; go to it the long way
            last = _transient(ring, None, TOLERANCE, CLIFF_STEPS)
            if last.converged[0]:
                done, share = last, 1.0
            break
        trial_share = min(1.0, share + step)
        part = ring.with_base(trial_share)
        trial = _transient(part, (done.pH, done.g), TOLERANCE, min(CONTINUATION_STEPS, left))
        left -= int(trial.steps[0])
        if not trial.converged[0] and left > 0:  # the fronts may have moved far: start afresh
            trial = _transient(part, None, TOLERANCE, min(CONTINUATION_STEPS, left))
            left -= int(trial.steps[0])
        if trial.converged[0]:
            done, share, step = trial, trial_share, 2.0 * step
        else:
            step *= 0.25
    reached = share if done.converged[0] else 0.0
    return RingSolution(
        **{
            **done.__dict__,
            "converged": np.array([reached == 1.0]),
            "base_share": np.array([reached]),
        }
    )


def _put_solution(sol: RingSolution, i: int, one: RingSolution) -> RingSolution:
    return _put_solutions(sol, np.array([i]), one)


def _put_solutions(sol: RingSolution, idx: np.ndarray, part: RingSolution) -> RingSolution:
    """``sol`` with the samples ``idx`` replaced by those of ``part``."""
    out = {}
    for k, a in sol.__dict__.items():
        a = a.copy()
        a[idx] = getattr(part, k)
        out[k] = a
    return RingSolution(**out)


def _transient(ring: Ring, start, tol: float, max_steps: int) -> RingSolution:
    """Pseudo-time steps from ``start``, or from the solution of the coarsened ring, interpolated
    (recursively, down to COARSEST stages per section), or from a cold start."""
    b, M = ring.A.shape
    nc = ring.model.log_K.shape[-1]
    st = stage_data(ring.model, ring.A, ring.O, ring.C)
    before = 0
    if start is None and max(ring.sections) > COARSEST:
        coarse = _transient(_coarsened(ring), None, COARSE_TOLERANCE, max_steps)
        start = _refined(coarse.pH, ring), _refined(coarse.g, ring)
        before = coarse.steps
    if start is None:
        pH, g, dt = (
            _cold_start(ring),
            np.broadcast_to(np.log(ring.C / 2.0)[:, None], (b, M)),
            FIRST_STEP,
        )
    else:
        pH, g, dt = start[0], start[1], WARM_STEP
    Z, pH, g = _consistent(ring, st, np.array(pH, dtype=float), np.array(g, dtype=float))
    floor = (
        FLOOR * np.abs(ring.external).sum(axis=1, keepdims=True).max(axis=-1, keepdims=True)
        + 1e-300
    )
    state = _evaluate(ring, st, Z, pH, g, floor)
    dt = np.full(b, dt)
    steps = np.zeros(b, dtype=int) + before
    act = np.flatnonzero(state.residual >= tol)
    for _ in range(max_steps):
        if not act.size:
            break
        whole = act.size == b
        sub = ring if whole else ring.take(act)
        s_sub = state if whole else _take_state(state, act)
        st_sub = st if whole else st.take((act[:, None] * M + np.arange(M)).ravel())
        dZ, predicted = _step(sub, st_sub, s_sub, dt[act])
        scale = np.minimum(1.0, MAX_PH_CHANGE / np.maximum(predicted, 1e-300))
        for _ in range(PH_TRIES):
            trial_Z = s_sub.Z + scale[:, None, None] * dZ
            T, T0 = trial_Z[..., :nc], s_sub.Z[..., :nc]
            trial_Z[..., :nc] = np.maximum(T, SHRINK * T0)
            ok = np.isfinite(trial_Z).all(axis=(-1, -2))
            trial_Z = np.where(ok[:, None, None], trial_Z, s_sub.Z)
            trial = _evaluate(sub, st_sub, trial_Z, s_sub.pH, s_sub.g, floor[act])
            moved = np.abs(trial.pH - s_sub.pH).max(axis=-1)
            if (moved <= MAX_PH_CHANGE).all():
                break
            shorter = 0.5 * MAX_PH_CHANGE / np.maximum(moved, MAX_PH_CHANGE)
            scale = np.where(moved > MAX_PH_CHANGE, scale * np.maximum(shorter, 0.05), scale)
        ok &= np.isfinite(trial.norm) & (trial.norm < MAX_RISE * s_sub.norm)
        ok &= moved <= MAX_PH_CHANGE
        ratio = s_sub.norm / np.maximum(trial.norm, 1e-300)
        grow = np.where(ratio >= 1.0, np.maximum(ratio, MIN_GROWTH), ratio)
        grow = np.where(scale < 1.0, np.maximum(scale, STEP_CUT), grow)
        dt[act] = np.where(
            ok,
            np.minimum(dt[act] * np.clip(grow, STEP_CUT, STEP_GROWTH), MAX_STEP),
            dt[act] * STEP_CUT,
        )
        steps[act] += 1
        state = _put_state(state, act[ok], _take_state(trial, np.flatnonzero(ok)))
        act = act[state.residual[act] >= tol]
    return _polished(ring, st, state, steps, tol)


@dataclass(frozen=True)
class _State:
    Z: np.ndarray  # (b, M, n)
    pH: np.ndarray  # (b, M)
    g: np.ndarray
    sigma: np.ndarray  # (b, M, nc)
    a: np.ndarray  # (b, M, n) aqueous leaving
    R: np.ndarray  # (b, M, n) stage balances
    residual: np.ndarray  # (b,) largest imbalance, each over what flows through its stage
    norm: np.ndarray  # (b,) root mean square imbalance, each over its component's largest flow


def _take_state(s: _State, idx) -> _State:
    return _State(*(a[idx] for a in s.__dict__.values()))


def _put_state(s: _State, idx, new: _State) -> _State:
    if not len(idx):
        return s
    out = {}
    for k, a in s.__dict__.items():
        a = a.copy()
        a[idx] = getattr(new, k)
        out[k] = a
    return _State(**out)


def _evaluate(ring: Ring, st, Z, pH, g, floor) -> _State:
    """Flash every stage of totals Z (b, M, n) (from pH, g) and form the stage balances."""
    b, M, n = Z.shape
    nc = n - 1
    O = ring.O[:, None]
    w = (Z[..., :nc] / O[..., None]).reshape(-1, nc)
    p = (Z[..., nc] / O).reshape(-1)
    eq = flash(st, w, p, pH.reshape(-1), g.reshape(-1))
    sigma = eq.organic.reshape(b, M, nc)
    pH, g = eq.pH.reshape(b, M), eq.g.reshape(b, M)
    h = 10.0 ** (3.0 - pH)
    a = np.empty_like(Z)
    a[..., :nc] = Z[..., :nc] * (1.0 - sigma)
    a[..., nc] = ring.A * (h - WATER / h)
    o = Z - a
    a_in = _from_next(a, ring.aqueous_link)
    o_in = np.roll(o, 1, axis=1)
    R = a_in + o_in + ring.external - Z
    scale = np.abs(a_in) + np.abs(o_in) + np.abs(ring.external) + np.abs(a) + np.abs(o) + floor
    residual = np.abs(R / scale).max(axis=(-1, -2))
    flow = (np.abs(a) + np.abs(o)).max(axis=1, keepdims=True) + floor
    norm = np.sqrt(((R / flow) ** 2).mean(axis=(-1, -2)))
    return _State(Z, pH, g, sigma, a, R, residual, norm)


def _from_next(a: np.ndarray, link: np.ndarray) -> np.ndarray:
    """What each stage receives from the next one (b, M, n): a_{k+1} where linked, else 0."""
    out = np.zeros_like(a)
    out[:, :-1] = a[:, 1:]
    out[:, ~link] = 0.0
    return out


def _step(ring: Ring, st, s: _State, dt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The implicit pseudo-time step dZ (b, M, n): (I/dt - dR/dZ) dZ = R, and the largest change
    of a stage's pH it predicts (b,)."""
    b, M, n = s.Z.shape
    nc = n - 1
    O = ring.O[:, None, None]
    w = (s.Z[..., :nc] / O).reshape(-1, nc)
    eq = Equilibrium(s.pH.reshape(-1), s.g.reshape(-1), s.sigma.reshape(-1, nc))
    W = sensitivities(st, w, eq).reshape(b, M, 2, n) / O[..., None]
    sg = s.sigma
    d = s.Z[..., :nc] * sg * (1.0 - sg)
    U = np.zeros((b, M, n, 2))
    U[..., :nc, 0] = -d * st.slope.reshape(b, M, nc)
    U[..., :nc, 1] = -d * st.order.reshape(b, M, nc)
    h = 10.0 ** (3.0 - s.pH)
    U[..., nc, 0] = -LN10 * ring.A * (h + WATER / h)
    G = U @ W
    idx = np.arange(nc)
    G[..., idx, idx] += 1.0 - sg
    eye = np.eye(n)
    diag = (1.0 + 1.0 / dt)[:, None, None] * eye
    lower = G - eye  # row k, unknowns of stage k-1: -(I - G_{k-1})
    upper = -G
    dZ = _solve_ring_blocks(lower, diag, upper, ring.aqueous_link, s.R)
    return dZ, np.abs((W[..., 0, :] * dZ).sum(-1)).max(axis=-1)


def _solve_ring_blocks(lower, diag, upper, link, rhs) -> np.ndarray:
    """Solve the ring's block system for rhs (b, M, n).

    Row k: lower[k-1] x_{k-1} + diag x_k + upper[k+1] x_{k+1} (where ``link[k]``) = rhs_k, with
    k-1 of row 0 the last stage (the corner block). ``lower`` and ``upper`` (b, M, n, n) are stored
    by the stage whose unknowns they multiply; ``diag`` (b, n, n). Block elimination along the
    stages with pivoting within each block, the corner by the Woodbury identity: J0 [x0, Y] =
    [rhs, E0], x = x0 - Y (I + C Y_last)^-1 C x0_last.
    """
    out = np.empty(rhs.shape)
    kernels.ring_blocks(
        np.ascontiguousarray(lower), np.ascontiguousarray(diag), np.ascontiguousarray(upper),
        link, np.ascontiguousarray(rhs), out,
    )  # fmt: skip
    return out


COARSEST = 8
COARSE_TOLERANCE = 1e-4
"""A ring with a longer section starts from the solution of one with its sections halved."""


def _coarsened(ring: Ring) -> Ring:
    """The ring with each section's stages merged in pairs (1+2, 3+4, ...): a merged stage passes
    the flows of its members and takes what enters either from outside, so the feed, scrub and strip
    acid and the saponification keep their places at the ends of their sections."""
    to, sizes = _merge_map(ring.sections)
    external = np.zeros((ring.A.shape[0], sum(sizes), ring.external.shape[-1]))
    np.add.at(external, (slice(None), to), ring.external)
    first = np.unique(to, return_index=True)[1]
    return Ring(ring.model, ring.A[:, first], ring.O, ring.C, external, sizes, ring.base)


def _merge_map(sections) -> tuple[np.ndarray, tuple[int, int, int]]:
    """The coarse stage of every stage when the stages of each section longer than COARSEST merge in
    pairs (a short section keeps its stages: its few stages set how well it works), and the coarse
    section sizes."""
    to, start, sizes = [], 0, []
    for n in sections:
        pair = 2 if n > COARSEST else 1
        to.append(start + np.arange(n) // pair)
        sizes.append((n + pair - 1) // pair)
        start += sizes[-1]
    return np.concatenate(to), tuple(sizes)


def _refined(profile: np.ndarray, ring: Ring) -> np.ndarray:
    """A profile (b, M_coarse) of the coarsened ring interpolated onto the stages of ``ring``,
    section by section, at the same relative position."""
    _, sizes = _merge_map(ring.sections)
    out, c0, f0 = [], 0, 0
    for n, m in zip(ring.sections, sizes):
        if n == 0:  # a circuit without scrub stages
            continue
        pos = (np.arange(n) + 0.5) * m / n - 0.5
        seg = profile[:, c0 : c0 + m]
        out.append(np.stack([np.interp(pos, np.arange(m), row) for row in seg]))
        c0, f0 = c0 + m, f0 + n
    return np.concatenate(out, axis=1)


def _cold_start(ring: Ring) -> np.ndarray:
    """pH (b, M) of each stage if nothing were extracted: the acid entering at and upstream of it
    on the aqueous path over the aqueous flow, within 0-5."""
    b, M = ring.A.shape
    acid = ring.external[..., -1]
    out = np.empty((b, M))
    for lo, hi in ((0, ring.n_main), (ring.n_main, M)):
        cum = np.flip(np.cumsum(np.flip(np.maximum(acid[:, lo:hi], 0.0), -1), -1), -1)
        out[:, lo:hi] = 3.0 - np.log10(np.maximum(cum / ring.A[:, lo:hi], 1e-5))
    return np.clip(out, 0.0, 5.0)


def _consistent(ring: Ring, st, pH, g):
    """Totals Z (b, M, n) with these stage pH: metals from the linear ring at the resulting
    distribution, free dimer from the sites balance (twice, to settle the loading), net acid
    from both; the flash of Z returns (pH, g)."""
    b, M = pH.shape
    nc = ring.model.log_K.shape[-1]
    O = ring.O[:, None, None]
    flat_pH = pH.reshape(-1)
    for _ in range(3):
        sigma, aqueous = (s.reshape(b, M, nc) for s in _shares(st, flat_pH, g.reshape(-1)))
        # a start only: no component may be all but trapped in the organic
        T = linear_ring(
            sigma, ring.external[..., :nc], ring.aqueous_link, np.maximum(aqueous, 1e-6)
        )
        w = (T / O).reshape(-1, nc)
        g = free_dimer(st, w, flat_pH, g.reshape(-1)).reshape(b, M)
    sigma = _shares(st, flat_pH, g.reshape(-1))[0].reshape(b, M, nc)
    q = (st.charge.reshape(b, M, nc) * sigma * T).sum(-1)
    h = 10.0 ** (3.0 - pH)
    P = ring.A * (h - WATER / h) - q
    return np.concatenate([T, P[..., None]], axis=-1), pH, g


def _shares(st, pH, g):
    """Shares of each component in the organic and in the aqueous (P, nc)."""
    z = st.z0 + st.slope * pH[:, None] + st.order * g[:, None]
    return expit(z), expit(-z)


def linear_ring(
    sigma: np.ndarray, external: np.ndarray, link: np.ndarray, aqueous: np.ndarray | None = None
) -> np.ndarray:
    """Component totals (b, M, nc) [mol/s] of the ring at fixed shares in the organic sigma and
    in the aqueous (1 - sigma unless given, to keep its precision) (b, M, nc):
    T_k - aqueous_{k+1} T_{k+1} [if linked] - sigma_{k-1} T_{k-1} = e_k, the corner (row 0, the
    last stage's organic) by Sherman-Morrison. The matrix is column diagonally dominant (an
    M-matrix): no pivoting, and the totals are non-negative. One step of iterative refinement
    keeps the balances to round-off when a component circulates many times its feed."""
    sigma = np.ascontiguousarray(sigma, dtype=float)
    aqueous = np.ascontiguousarray(1.0 - sigma if aqueous is None else aqueous, dtype=float)
    external = np.ascontiguousarray(external, dtype=float)
    T = np.empty(sigma.shape)
    kernels.linear_ring(sigma, aqueous, external, link, T)
    inflow = np.roll(sigma * T, 1, axis=1)
    inflow[:, :-1] += np.where(link[:-1, None], (aqueous * T)[:, 1:], 0.0)
    correction = np.empty(sigma.shape)
    kernels.linear_ring(sigma, aqueous, external + inflow - T, link, correction)
    return np.maximum(T + correction, 0.0)


def _polished(ring: Ring, st, state: _State, steps, tol: float) -> RingSolution:
    """The solution with the component balances solved exactly at the final pH and free dimer."""
    b, M, n = state.Z.shape
    nc = n - 1
    sigma, aqueous = (
        s.reshape(b, M, nc) for s in _shares(st, state.pH.reshape(-1), state.g.reshape(-1))
    )
    T = linear_ring(sigma, ring.external[..., :nc], ring.aqueous_link, aqueous)
    Z = state.Z.copy()
    Z[..., :nc] = T
    a = state.a.copy()
    a[..., :nc] = T * aqueous
    o = Z - a
    o[..., :nc] = T * sigma  # not Z - a: a small share keeps its precision
    return RingSolution(
        Z,
        state.pH,
        state.g,
        sigma,
        a,
        o,
        state.residual,
        steps,
        state.residual < tol,
        np.where(state.residual < tol, 1.0, 0.0),
    )
