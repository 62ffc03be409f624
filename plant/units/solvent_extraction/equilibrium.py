"""Cation-exchange equilibrium of acidic organophosphorus extractants and the pH-mode stage solver.

Stoichiometry (stated once, used everywhere). The extractant HA (P507/PC88A,
D2EHPA, Cyanex 272) is a dimer (HA)2 in an aliphatic diluent. A metal ion of
charge v is extracted as

    M(v+) + v (HA)2(org)  <=>  M(HA2)v(org) + v H(+),

so it occupies ``sites = 2v`` HA and releases ``charge = v`` protons. The
saponified extractant carries Na(+) (or NH4(+)) as NaA, one HA site each,
exchanged for one H(+) (``sites = 1``, ``charge = 1``). The distribution ratio
of each component is

    log10 D = log10 K + n pH + m log10 [(HA)2]_free      ([(HA)2] in mol/L),

and the free dimer follows from the sites in use: 2 [(HA)2]_free = C_HA -
sum(sites * y). Loading is therefore limited by the extractant: as the organic
fills, the free dimer and D fall together. Activity coefficients are 1 and
[H+] = 10^-pH mol/L.

A section of equilibrium stages (numbered 1..N; aqueous from N to 1,
organic from 1 to N) is solved by pseudo-transient continuation: implicit
steps of the stage equations, unknowns ln x (aqueous concentrations), pH and
ln free dimer, whose Jacobian is block tridiagonal and is solved as one
banded system per sample (LAPACK gbsv). The step grows while the residuals
fall, so the last iterations are Newton's. The component balances are then
solved exactly at the converged pH and dimer (the linear cascade solve of
:mod:`plant.units.solvent_extraction.cascade`).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

import numpy as np
from scipy.linalg.lapack import dgbsv

from plant.errors import ConvergenceError
from plant.units.solvent_extraction.cascade import solve_stages

LN10 = float(np.log(10.0))
PH_RANGE = (-2.0, 9.0)
"""Stage pH is held to this range during the iterations [-]."""
MAX_STEP_PH, MAX_STEP_LN_DIMER, MAX_STEP_LN_X = 1.0, 2.0, 5.0

"""Largest change of a stage's pH and ln free dimer in one Newton step (trust region)."""


@dataclass(frozen=True)
class ExchangeModel:
    """Equilibrium constants of the components of a circuit, each (..., n_components).

    log_K : log10 K with the free dimer in mol/L
    slope : n, the pH dependence of log10 D [-]
    dimer_order : m, the free-dimer dependence of log10 D [-]
    charge : protons exchanged per ion extracted [-]
    sites : HA occupied per ion extracted [-]
    """

    log_K: np.ndarray
    slope: np.ndarray
    dimer_order: np.ndarray
    charge: np.ndarray
    sites: np.ndarray

    def ln_D(self, pH: np.ndarray, ln_dimer: np.ndarray) -> np.ndarray:
        """ln D (..., n_components, n_stages) for stage pH and ln free dimer [mol/m3], each
        (..., n_stages)."""
        a = LN10 * (self.log_K - 3.0 * self.dimer_order)  # K with the dimer in mol/m3
        return (
            a[..., None]
            + LN10 * self.slope[..., None] * pH[..., None, :]
            + self.dimer_order[..., None] * ln_dimer[..., None, :]
        )


@dataclass(frozen=True)
class SectionSolution:
    """Stage profiles of one section: aqueous x and organic y [mol/m3] (..., n_comp, n_stages),
    pH and free dimer [mol/m3] (..., n_stages), iterations, final scaled residual, converged samples
    (...)."""

    aqueous: np.ndarray
    organic: np.ndarray
    pH: np.ndarray
    dimer: np.ndarray
    iterations: int
    residual: float
    converged: np.ndarray


def solve_section(
    model: ExchangeModel,
    aqueous_flow,
    organic_flow,
    extractant,
    external,
    organic_in,
    acid_in,
    guess: SectionSolution | None = None,
    tol: float = 1e-10,
    max_iterations: int = 500,
    where: str = "solvent extraction",
    strict: bool = True,
) -> SectionSolution:
    """Solve the stages of one section in pH mode.

    aqueous_flow : (..., N) aqueous leaving each stage [m3/s]
    organic_flow : (...) organic flow [m3/s]
    extractant : (...) C_HA, extractant in the organic [mol/m3 of HA]
    external : (..., n_comp, N) metal entering each stage with the aqueous from outside [mol/s]
    organic_in : (..., n_comp) organic entering stage 1 [mol/m3]
    acid_in : (..., N) H+ entering each stage from outside [mol/s] (feed acid, scrub or strip acid)
    guess : a previous solution of a nearby problem to start from
    strict : raise ConvergenceError if any sample fails; else mark it in ``converged``

    Without a guess, a long section starts from the solution of a coarser one (stages merged in
    pairs, recursively down to COARSEST_SECTION stages) interpolated onto its stages: the
    concentration fronts are then nearly in place and a few Newton steps finish. The component
    balances are polished at the end by an exact linear solve at the converged pH and dimer, so they
    hold to round-off whatever ``tol`` is.
    """
    A = np.asarray(aqueous_flow, dtype=float)
    O = np.asarray(organic_flow, dtype=float)
    C = np.asarray(extractant, dtype=float)
    batch = np.broadcast_shapes(
        A.shape[:-1],
        O.shape,
        C.shape,
        external.shape[:-2],
        organic_in.shape[:-1],
        acid_in.shape[:-1],
        model.log_K.shape[:-1],
    )
    N, nc = A.shape[-1], external.shape[-2]
    p = _Problem(
        model,
        np.broadcast_to(A, batch + (N,)),
        np.broadcast_to(O, batch),
        np.broadcast_to(C, batch),
        np.array(np.broadcast_to(external, batch + (nc, N))),
        np.broadcast_to(acid_in, batch + (N,)),
        (organic_in * model.charge).sum(axis=-1),
    )
    p.external[..., 0] += p.O[..., None] * organic_in
    start = (
        (guess.pH, np.log(guess.dimer))
        if guess is not None and guess.pH.shape == batch + (N,)
        else None
    )
    state, active, it = _solve(p, start, tol, max_iterations)
    if strict and active.any():
        exc = ConvergenceError(
            f"{where}: the stage pH and loading did not converge in {max_iterations} iterations "
            f"(largest relative imbalance {state.worst():.2e}, tolerance {tol:.0e}); "
            "lower the organic loading (more organic flow or extractant, less feed per stage), "
            "lower the saponification, or change the scrub "
            "so that no element is trapped between extraction and scrub"
        )
        exc.failing = active
        raise exc
    final = p.evaluate(p.exact_x(state.pH, state.g), state.pH, state.g)
    return SectionSolution(final.x, final.y, final.pH, np.exp(final.g), it, final.worst(), ~active)


COARSEST_SECTION = 16
"""Sections longer than this many stages start from a coarser section's solution."""


def _solve(p: _Problem, start, tol: float, max_iterations: int):
    """Iterate one section from ``start`` (pH, ln dimer), a coarser solution, or the unloaded
    organic.

    Returns (state, active samples, iterations taken at this level).
    """
    N, nc = p.A.shape[-1], p.external.shape[-2]
    batch = p.A.shape[:-1]
    half = np.log(p.C / 2.0)[..., None]
    if start is None and N > COARSEST_SECTION:
        coarse, _, _ = _solve(p.coarsened(), None, tol, max_iterations)
        start = _refine(coarse.pH, N), _refine(coarse.g, N)
    if start is not None:
        pH, g = start
        x, theta = p.exact_x(pH, g), WARM_PSEUDO_TIME
    else:
        # unloaded organic; every component at its mean concentration in the aqueous, in every stage
        pH, theta = _unreacted_pH(p.A, p.acid), COLD_PSEUDO_TIME
        g = np.broadcast_to(half, batch + (N,))
        x = np.broadcast_to(
            (p.external.sum(axis=-1) / p.A.max(axis=-1)[..., None])[..., None], p.external.shape
        )
    state = p.evaluate(x, pH, g)
    theta = np.full(batch, theta)
    for it in range(max_iterations + 1):
        active = ~state.converged(tol, with_components=True)
        settled = active & state.converged(tol)
        if (
            settled.any()
        ):  # pH and dimer converged: the component balances are linear, solve them exactly
            state = state.take(p.evaluate(p.exact_x(state.pH, state.g), state.pH, state.g), settled)
            active = ~state.converged(tol, with_components=True)
        if not active.any() or it == max_iterations:
            break
        if active.all():
            delta = _newton_direction(p, state, theta)
        else:  # only the samples still iterating
            delta = np.zeros(batch + (N, nc + 2))
            delta[active] = _newton_direction(
                _select(p, active), _select(state, active), theta[active]
            )
        delta = delta * _step_scale(delta, nc)
        trial = p.evaluate(
            state.x * np.exp(np.moveaxis(delta[..., :nc], -1, -2)),
            np.clip(state.pH + delta[..., nc], *PH_RANGE),
            np.minimum(state.g + delta[..., nc + 1], half),
        )
        ratio = trial.merit_on(state) / np.maximum(state.merit, 1e-300)
        accept = np.isfinite(ratio) & (ratio < MAX_MERIT_RISE)
        theta = np.clip(
            np.where(
                accept & (ratio < 1.0),
                theta * PSEUDO_TIME_GROWTH,
                np.where(accept, theta, theta * 0.25),
            ),
            MIN_PSEUDO_TIME,
            MAX_PSEUDO_TIME,
        )
        state = state.take(trial, accept)
    return state, active, it


def _step_scale(delta: np.ndarray, nc: int) -> np.ndarray:
    """Factor (..., 1, 1) that shortens a step (..., N, nc + 2) to the trust region, keeping its
    direction.

    Near a pinch (stages with nearly equal compositions) the stage equations are nearly singular and
    the Newton step is long along the front position; clipping each unknown on its own would turn
    it."""
    limits = np.concatenate([np.full(nc, MAX_STEP_LN_X), [MAX_STEP_PH, MAX_STEP_LN_DIMER]])
    worst = (np.abs(delta) / limits).max(axis=(-1, -2), initial=0.0)
    return (1.0 / np.maximum(worst, 1.0))[..., None, None]


def _select(data, mask: np.ndarray):
    """The samples of ``mask`` (batch shape) of a _Problem or _State, flattened to one batch
    axis."""

    def pick(a, tail):
        a = np.asarray(a)
        return np.broadcast_to(a, mask.shape + a.shape[a.ndim - tail :])[mask]

    ndim = mask.ndim
    if isinstance(data, _Problem):
        model = ExchangeModel(
            *(pick(getattr(data.model, f.name), 1) for f in dataclasses.fields(ExchangeModel))
        )
        return _Problem(
            model,
            *(
                pick(getattr(data, f.name), getattr(data, f.name).ndim - ndim)
                for f in dataclasses.fields(_Problem)[1:]
            ),
        )
    return _State(
        **{
            f.name: pick(getattr(data, f.name), getattr(data, f.name).ndim - ndim)
            for f in dataclasses.fields(_State)
        }
    )


def _refine(coarse: np.ndarray, n: int) -> np.ndarray:
    """Profile of n stages interpolated from one of ceil(n/2) stages (pairs merged), along the last
    axis."""
    position = (
        np.arange(n) - 0.5
    ) / 2.0  # fine stage j sits between coarse stages j//2 and its neighbour
    k = np.arange(coarse.shape[-1])
    flat = coarse.reshape(-1, coarse.shape[-1])
    return np.stack([np.interp(position, k, row) for row in flat]).reshape(coarse.shape[:-1] + (n,))


COLD_PSEUDO_TIME, WARM_PSEUDO_TIME, MIN_PSEUDO_TIME, MAX_PSEUDO_TIME = 0.3, 1e6, 1e-6, 1e15
"""Pseudo-time step in stage residence times: from the unloaded start, from a previous solution,
floor and ceiling (a large step is Newton's method)."""
PSEUDO_TIME_GROWTH, MAX_MERIT_RISE = 3.0, 4.0
"""The pseudo-time step grows by this factor after a step that lowers the residuals; a step that
raises them more than MAX_MERIT_RISE times is rejected and the pseudo-time step cut by four."""


def _unreacted_pH(A: np.ndarray, acid: np.ndarray) -> np.ndarray:
    """pH of each stage's aqueous if nothing were extracted: the acid entering at and after it."""
    h = np.flip(np.cumsum(np.flip(acid, -1), axis=-1), -1) / A
    return np.clip(3.0 - np.log10(np.maximum(h, 1e-9)), *PH_RANGE)


@dataclass(frozen=True)
class _Problem:
    """The data of one section solve, broadcast to the batch shape."""

    model: ExchangeModel
    A: np.ndarray
    O: np.ndarray
    C: np.ndarray
    external: np.ndarray
    acid: np.ndarray
    q_in: np.ndarray

    def coarsened(self) -> _Problem:
        """The section with its stages merged in pairs (1+2, 3+4, ...): the aqueous leaving a pair
        is that leaving its first stage, and what enters either stage from outside enters the
        pair."""
        pairs = lambda a: np.add.reduceat(a, np.arange(0, a.shape[-1], 2), axis=-1)
        return dataclasses.replace(
            self, A=self.A[..., ::2], external=pairs(self.external), acid=pairs(self.acid)
        )

    def distribution(self, pH, g) -> np.ndarray:
        return np.exp(np.clip(self.model.ln_D(pH, g), -LN_D_LIMIT, LN_D_LIMIT))

    def exact_x(self, pH, g) -> np.ndarray:
        """Aqueous profiles that satisfy every component balance exactly at this pH and dimer."""
        return solve_stages(self.distribution(pH, g), self.A, self.O, self.external).aqueous

    def evaluate(self, x, pH, g) -> _State:
        m = self.model
        D = self.distribution(pH, g)
        y = D * x
        Ax = self.A[..., None, :] * x
        Oy = self.O[..., None, None] * y
        Ax_next = _shift_down(Ax)
        Oy_prev = _shift_up(Oy, 0.0)
        res_M = Ax_next + Oy_prev + self.external - Ax - Oy
        scale_M = Ax_next + Oy_prev + self.external + Ax + Oy + TINY_FLOW
        h = 1000.0 * 10.0 ** (-pH)
        q = (y * m.charge[..., None]).sum(axis=-2)
        q_prev = _shift_up(q, self.q_in)
        ah = self.A * h
        ah_next = _shift_down(ah)
        Oc = self.O[..., None]
        res_H = ah_next + self.acid - ah + Oc * (q - q_prev)
        scale_H = ah_next + self.acid + ah + Oc * (q + q_prev) + TINY_FLOW
        res_F = self.C[..., None] - 2.0 * np.exp(g) - (y * m.sites[..., None]).sum(axis=-2)
        scale_F = np.broadcast_to(self.C[..., None], res_F.shape)
        s = _State(x, pH, g, D, y, h, res_M, scale_M, res_H, scale_H, res_F, scale_F, np.zeros(()))
        return dataclasses.replace(s, merit=s.merit_on(s))


TINY_FLOW = 1e-300
LN_D_LIMIT = 60.0
"""|ln D| is bounded during the iterations (D from 1e-26 to 1e26)."""


def _shift_down(a: np.ndarray) -> np.ndarray:
    """Values of the next stage (j+1) at stage j, zero after the last stage, along the last axis."""
    return np.concatenate([a[..., 1:], np.zeros_like(a[..., :1])], axis=-1)


def _shift_up(a: np.ndarray, first) -> np.ndarray:
    """Values of the previous stage (j-1) at stage j, ``first`` before stage 1, along the last
    axis."""
    head = np.broadcast_to(np.asarray(first, dtype=float)[..., None], a[..., :1].shape)
    return np.concatenate([head, a[..., :-1]], axis=-1)


@dataclass(frozen=True)
class _State:
    """One iterate: profiles, pH, ln free dimer, and the scaled residuals of every stage
    equation."""

    x: np.ndarray
    pH: np.ndarray
    g: np.ndarray
    D: np.ndarray
    y: np.ndarray
    h: np.ndarray
    res_M: np.ndarray
    scale_M: np.ndarray
    res_H: np.ndarray
    scale_H: np.ndarray
    res_F: np.ndarray
    scale_F: np.ndarray
    merit: np.ndarray

    def merit_on(self, other: _State) -> np.ndarray:
        """Sum of squared residuals, scaled by those of ``other`` (fixed within a step), per
        sample."""
        return (
            ((self.res_M / other.scale_M) ** 2).sum(axis=(-1, -2))
            + ((self.res_H / other.scale_H) ** 2).sum(axis=-1)
            + ((self.res_F / other.scale_F) ** 2).sum(axis=-1)
        )

    def converged(self, tol: float, with_components: bool = False) -> np.ndarray:
        """Samples (...) whose proton and extractant balances (and component balances) hold to
        ``tol``."""
        ok = (np.abs(self.res_H / self.scale_H).max(axis=-1, initial=0.0) < tol) & (
            np.abs(self.res_F / self.scale_F).max(axis=-1, initial=0.0) < tol
        )
        if with_components:
            ok &= np.abs(self.res_M / self.scale_M).max(axis=(-1, -2), initial=0.0) < tol
        return ok

    def worst(self) -> float:
        return float(
            max(
                np.abs(self.res_M / self.scale_M).max(initial=0.0),
                np.abs(self.res_H / self.scale_H).max(initial=0.0),
                np.abs(self.res_F / self.scale_F).max(initial=0.0),
            )
        )

    def take(self, other: _State, mask: np.ndarray) -> _State:
        """This state with the samples of ``mask`` replaced by ``other``."""
        if mask.all():
            return other
        if not mask.any():
            return self
        out = {}
        for f in dataclasses.fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            m = mask.reshape(mask.shape + (1,) * (a.ndim - mask.ndim))
            out[f.name] = np.where(m, b, a)
        return _State(**out)


def _newton_direction(p: _Problem, s: _State, theta: np.ndarray) -> np.ndarray:
    """Implicit pseudo-time step (..., N, n_comp + 2) at ``s``: (d ln x, d pH, d ln dimer) per
    stage.

    Each stage holds one residence time of aqueous and organic; a step of ``theta`` (...) residence
    times adds that holdup over theta to the Jacobian (pseudo-transient continuation: the circuit's
    own start-up, taken implicitly). As theta grows with falling residuals the step becomes
    Newton's.

    Unknowns per stage: ln of the aqueous concentrations (n_comp), pH and ln dimer; the Jacobian is
    block tridiagonal (a stage sees the organic of the stage before and the aqueous of the stage
    after).
    """
    model, A, O = p.model, p.A, p.O
    nc, N = s.x.shape[-2:]
    b = nc + 2
    batch = s.pH.shape[:-1]
    Oc = O[..., None, None]
    y, D = s.y, s.D
    v, st, n_, m_ = (
        np.asarray(a, dtype=float)[..., :, None]
        for a in (model.charge, model.sites, model.slope, model.dimer_order)
    )
    dy_dpH = LN10 * n_ * y  # (..., nc, N)
    dy_dg = m_ * y
    T = lambda a: np.moveaxis(a, -2, -1)  # (..., nc, N) -> (..., N, nc)
    comp = np.arange(nc)
    # diagonal blocks (..., N, b, b): rows = equations (components, H, F),
    # columns = unknowns (x, pH, g)
    Bd = np.zeros(batch + (N, b, b))
    Bd[..., comp, comp] = T(-(A[..., None, :] + Oc * D))
    Bd[..., :nc, nc] = T(-Oc * dy_dpH)
    Bd[..., :nc, nc + 1] = T(-Oc * dy_dg)
    Bd[..., nc, :nc] = T(Oc * v * D)
    Bd[..., nc, nc] = LN10 * A * s.h + O[..., None] * (v * dy_dpH).sum(axis=-2)
    Bd[..., nc, nc + 1] = O[..., None] * (v * dy_dg).sum(axis=-2)
    Bd[..., nc + 1, :nc] = T(-st * D)
    Bd[..., nc + 1, nc] = -(st * dy_dpH).sum(axis=-2)
    Bd[..., nc + 1, nc + 1] = -2.0 * np.exp(s.g) - (st * dy_dg).sum(axis=-2)
    # lower blocks: row stage j, unknowns of stage j-1 (the organic arriving); stored at index j
    Lo = np.zeros(batch + (N, b, b))
    Lo[..., 1:, comp, comp] = T(Oc * D)[..., :-1, :]
    Lo[..., 1:, :nc, nc] = T(Oc * dy_dpH)[..., :-1, :]
    Lo[..., 1:, :nc, nc + 1] = T(Oc * dy_dg)[..., :-1, :]
    Lo[..., 1:, nc, :nc] = T(-Oc * v * D)[..., :-1, :]
    Lo[..., 1:, nc, nc] = -O[..., None] * (v * dy_dpH).sum(axis=-2)[..., :-1]
    Lo[..., 1:, nc, nc + 1] = -O[..., None] * (v * dy_dg).sum(axis=-2)[..., :-1]
    # upper blocks: row stage j, unknowns of stage j+1 (the aqueous arriving); stored at index j
    Up = np.zeros(batch + (N, b, b))
    Up[..., :-1, comp, comp] = A[..., 1:, None]
    Up[..., :-1, nc, nc] = -LN10 * (A * s.h)[..., 1:]
    # unknowns ln x: columns of x scaled by x
    xs = T(np.where(s.x > 0, s.x, 1.0))
    Bd[..., :, :nc] *= xs[..., None, :]
    Lo[..., 1:, :, :nc] *= xs[..., :-1, None, :]
    Up[..., :-1, :, :nc] *= xs[..., 1:, None, :]
    inv_theta = 1.0 / np.asarray(theta, dtype=float)[..., None]
    Bd[..., comp, comp] -= T(A[..., None, :] + Oc * D) * xs * inv_theta[..., None]
    Bd[..., nc, nc] += LN10 * A * s.h * inv_theta
    # rows scaled like the residuals
    row = np.concatenate([T(s.scale_M), s.scale_H[..., None], s.scale_F[..., None]], axis=-1)[
        ..., None
    ]
    rhs = -np.concatenate(
        [
            T(s.res_M / s.scale_M),
            (s.res_H / s.scale_H)[..., None],
            (s.res_F / s.scale_F)[..., None],
        ],
        axis=-1,
    )
    return _solve_block_tridiagonal(Lo / row, Bd / row, Up / row, rhs)


@functools.lru_cache(maxsize=64)
def _band_layout(N: int, b: int):
    """Where each entry of the lower, diagonal and upper blocks goes in LAPACK band storage."""
    kl = ku = 2 * b - 1
    j, r, c = np.meshgrid(np.arange(N), np.arange(b), np.arange(b), indexing="ij")
    rows = j * b + r
    pos = {}
    for name, shift in (("lo", -1), ("bd", 0), ("up", 1)):
        cols = (j + shift) * b + c
        valid = (cols >= 0) & (cols < N * b)
        pos[name] = (
            valid.ravel(),
            (kl + ku + rows - cols).ravel()[valid.ravel()],
            cols.ravel()[valid.ravel()],
        )
    return kl, ku, pos


BLOCK_THOMAS_BATCH = 8
"""From this many active samples on, the stage systems are solved together by block elimination."""


def _solve_block_tridiagonal(Lo, Bd, Up, rhs) -> np.ndarray:
    """Solve the block-tridiagonal system (blocks (..., N, b, b)) for rhs (..., N, b).

    Few samples: one pivoted banded solve each (LAPACK gbsv). Many: block elimination stage by stage
    over all active samples at once (pivoting within each block only); a sample whose elimination
    breaks down falls back to the banded solve. A singular system gives NaN (the step is then
    rejected and the pseudo-time step cut, which restores a diagonally dominant system).
    """
    batch = Bd.shape[:-3]
    if int(np.prod(batch, dtype=int)) < BLOCK_THOMAS_BATCH:
        return _banded_solves(Lo, Bd, Up, rhs)
    shape = rhs.shape
    Lo, Bd, Up, rhs = (a.reshape((-1,) + a.shape[len(batch) :]) for a in (Lo, Bd, Up, rhs))
    try:
        with np.errstate(all="ignore"):
            out = _block_elimination(Lo, Bd, Up, rhs)
    except (
        np.linalg.LinAlgError
    ):  # a singular block somewhere: pivot across stages for every sample
        out = np.full(rhs.shape, np.nan)
    redo = ~np.isfinite(out).all(axis=(-1, -2))
    if redo.any():
        out[redo] = _banded_solves(Lo[redo], Bd[redo], Up[redo], rhs[redo])
    return out.reshape(shape)


def _block_elimination(Lo, Bd, Up, rhs) -> np.ndarray:
    """Block Thomas algorithm for (n, N, b, b) blocks and rhs (n, N, b)."""
    n, N, b = rhs.shape
    Cp = np.empty((n, N, b, b))
    dp = np.empty((n, N, b))
    for j in range(N):
        M, r, U = Bd[:, j], rhs[:, j], Up[:, j]
        if j:
            M = M - Lo[:, j] @ Cp[:, j - 1]
            r = r - (Lo[:, j] @ dp[:, j - 1, :, None])[..., 0]
        sol = np.linalg.solve(M, np.concatenate([U, r[..., None]], axis=-1))
        Cp[:, j], dp[:, j] = sol[..., :b], sol[..., b]
    x = np.empty((n, N, b))
    x[:, -1] = dp[:, -1]
    for j in range(N - 2, -1, -1):
        x[:, j] = dp[:, j] - (Cp[:, j] @ x[:, j + 1, :, None])[..., 0]
    return x


def _banded_solves(Lo, Bd, Up, rhs) -> np.ndarray:
    """One LAPACK banded solve per sample, blocks (n, N, b, b) and rhs (n, N, b)."""
    N, b = Bd.shape[-3], Bd.shape[-1]
    batch = Bd.shape[:-3]
    kl, ku, pos = _band_layout(N, b)
    flat = int(np.prod(batch, dtype=int))
    blocks = {"lo": Lo.reshape(flat, -1), "bd": Bd.reshape(flat, -1), "up": Up.reshape(flat, -1)}
    r = rhs.reshape(flat, N * b)
    out = np.zeros((flat, N * b))
    ab = np.zeros((2 * kl + ku + 1, N * b))
    for k in range(flat):
        ab[:] = 0.0
        for name, (valid, brow, bcol) in pos.items():
            ab[brow, bcol] = blocks[name][k][valid]
        _, _, xk, info = dgbsv(kl, ku, ab, r[k], overwrite_ab=1, overwrite_b=0)
        out[k] = xk if info == 0 else np.nan
    return out.reshape(batch + (N, b))
