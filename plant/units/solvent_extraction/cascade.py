"""Countercurrent solvent-extraction cascade: stage balances solved for given distribution ratios.

Stages are numbered 1..N. The aqueous phase flows from stage N towards
stage 1 (the raffinate leaves stage 1); the organic flows from stage 1 to
stage N (the loaded organic leaves stage N). Every stage is an equilibrium
stage: the organic concentration leaving stage j is ``y_j = D_j x_j`` for
the aqueous concentration ``x_j`` leaving it.

For each component the stage balances form a tridiagonal linear system,

    -O D_{j-1} x_{j-1} + (A_j + O D_j) x_j - A_{j+1} x_{j+1} = F_j,

with A_j the aqueous flow leaving stage j [m3/s], O the organic flow
[m3/s] and F_j what enters stage j from outside [mol/s] (the feed, the
metal in the entering organic at stage 1 and in the entering aqueous at
stage N). Its matrix is column diagonally dominant, so the Thomas
algorithm needs no pivoting. The solve is vectorised over samples and
components: arrays are shaped (..., n_components, n_stages).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.numerics import safe_ratio


@dataclass(frozen=True)
class StageSolution:
    """Aqueous and organic concentrations leaving each stage [mol/m3],
    (..., n_components, n_stages)."""

    aqueous: np.ndarray
    organic: np.ndarray


def solve_stages(
    D: np.ndarray, aqueous_flow: np.ndarray, organic_flow, external: np.ndarray
) -> StageSolution:
    """Solve the cascade stage balances for every component.

    Parameters
    ----------
    D : (..., n_components, n_stages) distribution ratios (organic/aqueous) [-], > 0
    aqueous_flow : (..., n_stages) aqueous flow leaving each stage [m3/s], > 0
    organic_flow : scalar or (...) organic flow [m3/s], > 0
    external : (..., n_components, n_stages) metal entering each stage from outside [mol/s]

    Returns
    -------
    StageSolution with x (aqueous) and y = D x (organic) [mol/m3].
    """
    O = np.asarray(organic_flow, dtype=float)[..., None, None]
    A = np.asarray(aqueous_flow, dtype=float)[..., None, :]
    OD = O * D
    n = D.shape[-1]
    diag = A + OD  # b_j
    lower = -OD  # coefficient of x_{j-1} in row j is lower[..., j-1]
    upper = -A  # coefficient of x_{j+1} in row j is upper[..., j+1]
    shape = np.broadcast_shapes(diag.shape, external.shape)
    cp = np.empty(shape)
    dp = np.empty(shape)
    diag, lower, upper = (np.broadcast_to(a, shape) for a in (diag, lower, upper))
    rhs = np.broadcast_to(external, shape)
    # forward sweep
    cp[..., 0] = upper[..., 1] / diag[..., 0] if n > 1 else 0.0
    dp[..., 0] = rhs[..., 0] / diag[..., 0]
    for j in range(1, n):
        m = diag[..., j] - lower[..., j - 1] * cp[..., j - 1]
        if j < n - 1:
            cp[..., j] = upper[..., j + 1] / m
        dp[..., j] = (rhs[..., j] - lower[..., j - 1] * dp[..., j - 1]) / m
    # back substitution
    x = np.empty(shape)
    x[..., n - 1] = dp[..., n - 1]
    for j in range(n - 2, -1, -1):
        x[..., j] = dp[..., j] - cp[..., j] * x[..., j + 1]
    np.maximum(
        x, 0.0, out=x
    )  # round-off only: the exact solution of this M-matrix system is non-negative
    return StageSolution(x, D * x)


def stage_residuals(sol: StageSolution, aqueous_flow, organic_flow, external) -> np.ndarray:
    """Relative imbalance of every stage and component: |in - out| / max(in, out),
    (..., n_comp, n_stages)."""
    A = np.asarray(aqueous_flow, dtype=float)[..., None, :]
    O = np.asarray(organic_flow, dtype=float)[..., None, None]
    aq_out = A * sol.aqueous
    org_out = O * sol.organic
    aq_in = np.concatenate([aq_out[..., 1:], np.zeros_like(aq_out[..., :1])], axis=-1)
    org_in = np.concatenate([np.zeros_like(org_out[..., :1]), org_out[..., :-1]], axis=-1)
    ins = aq_in + org_in + external
    outs = aq_out + org_out
    return safe_ratio(np.abs(ins - outs), np.maximum(ins, outs))
