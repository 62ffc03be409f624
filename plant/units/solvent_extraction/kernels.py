"""Compiled loops of the pH-mode solver (numba): the stage flash, the ring's block elimination and
its linear component balances.

Each is a plain loop over points or stages that numpy would run as thousands of tiny array
operations; compiled, a whole ring costs about what one numpy call does. The mathematics is
documented where each is used (:mod:`.equilibrium`, :mod:`.ring`). Compiled code is cached
next to this module after the first call.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

LN10 = math.log(10.0)


@njit(cache=True, nogil=True, error_model="numpy")
def _sigma(z: float) -> float:
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@njit(cache=True, nogil=True, error_model="numpy")
def _dimer(z0, slope, order, sites, w, cap, pH, g, g_lo, tol, max_iter):
    """ln free dimer closing the sites balance at this pH (one point): bracketed Newton."""
    nc = z0.shape[0]
    lo, hi = g_lo, math.log(cap / 2.0)
    if g < lo or g > hi:
        g = 0.5 * (lo + hi) if hi - lo < 50.0 else hi - 1.0
    for _ in range(max_iter):
        free = 2.0 * math.exp(g)
        f = free - cap
        df = free
        for i in range(nc):
            if w[i] > 0.0:
                s = _sigma(z0[i] + slope[i] * pH + order[i] * g)
                f += sites[i] * w[i] * s
                df += sites[i] * w[i] * order[i] * s * (1.0 - s)
        if abs(f) <= tol * cap:
            return g
        if f < 0.0:
            lo = g
        else:
            hi = g
        step = g - f / df
        if step > lo and step < hi:
            g = step
        else:
            g = 0.5 * (lo + hi)
        if hi - lo <= tol * (1.0 + abs(g)):
            return g
    return g


@njit(cache=True, nogil=True, error_model="numpy")
def _flash(
    z0,
    slope,
    order,
    charge,
    sites,
    ratio,
    cap,
    w,
    p,
    pH,
    g,
    sigma,
    ph_lo,
    ph_hi,
    water,
    tol,
    max_iter,
):
    """pH and ln free dimer of one point (returned; shares in ``sigma``), from ``pH``, ``g``."""
    nc = z0.shape[0]
    demand = 0.0
    for i in range(nc):
        demand += sites[i] * w[i]
    room = math.log(cap / (2.0 * demand + 1e-300))
    g_lo = math.log(cap / 4.0)
    for i in range(nc):
        if w[i] > 0.0:
            v = (room - z0[i] - slope[i] * ph_hi) / order[i]
            if v < g_lo:
                g_lo = v
    lo, hi = ph_lo, ph_hi
    x = min(max(pH, lo), hi)
    gk = g
    for _ in range(max_iter):
        gk = _dimer(z0, slope, order, sites, w, cap, x, gk, g_lo, tol, max_iter)
        h = 10.0 ** (3.0 - x)
        aq = ratio * (h - water / h)
        q = 0.0
        f_pH = 0.0
        f_g = 2.0 * math.exp(gk)
        q_pH = 0.0
        q_g = 0.0
        for i in range(nc):
            s = _sigma(z0[i] + slope[i] * x + order[i] * gk)
            sigma[i] = s
            if w[i] > 0.0:
                d = s * (1.0 - s) * w[i]
                q += charge[i] * w[i] * s
                f_pH += sites[i] * d * slope[i]
                f_g += sites[i] * d * order[i]
                q_pH += charge[i] * d * slope[i]
                q_g += charge[i] * d * order[i]
        psi = aq - q - p
        scale = ratio * (h + water / h) + q + abs(p)
        if abs(psi) <= tol * scale:
            return x, gk
        dpsi = -LN10 * ratio * (h + water / h) - q_pH + q_g * f_pH / f_g
        if psi > 0.0:
            lo = x
        else:
            hi = x
        step = x - psi / dpsi
        if step > lo and step < hi:
            x = step
        else:
            x = 0.5 * (lo + hi)
        if hi - lo <= tol * 10.0:
            break
    gk = _dimer(z0, slope, order, sites, w, cap, x, gk, g_lo, tol, max_iter)
    for i in range(nc):
        sigma[i] = _sigma(z0[i] + slope[i] * x + order[i] * gk)
    return x, gk


@njit(cache=True, nogil=True, error_model="numpy")
def flash_points(
    z0,
    slope,
    order,
    charge,
    sites,
    ratio,
    cap,
    w,
    p,
    pH,
    g,
    sigma,
    ph_lo,
    ph_hi,
    water,
    tol,
    max_iter,
):
    """pH and ln free dimer of every point (in place in ``pH``, ``g``; shares in ``sigma``)."""
    for k in range(z0.shape[0]):
        pH[k], g[k] = _flash(
            z0[k],
            slope[k],
            order[k],
            charge[k],
            sites[k],
            ratio[k],
            cap[k],
            w[k],
            p[k],
            pH[k],
            g[k],
            sigma[k],
            ph_lo,
            ph_hi,
            water,
            tol,
            max_iter,
        )


@njit(cache=True, nogil=True, error_model="numpy")
def _lu_solve(A, B):
    """Solve A X = B in place (A (n, n) overwritten by its LU, B (n, m) by X); partial
    pivoting. Returns False if A is singular."""
    n = A.shape[0]
    m = B.shape[1]
    for c in range(n):
        piv = c
        big = abs(A[c, c])
        for r in range(c + 1, n):
            if abs(A[r, c]) > big:
                big = abs(A[r, c])
                piv = r
        if big == 0.0 or not math.isfinite(big):
            return False
        if piv != c:
            for j in range(n):
                A[c, j], A[piv, j] = A[piv, j], A[c, j]
            for j in range(m):
                B[c, j], B[piv, j] = B[piv, j], B[c, j]
        inv = 1.0 / A[c, c]
        for r in range(c + 1, n):
            f = A[r, c] * inv
            if f != 0.0:
                for j in range(c + 1, n):
                    A[r, j] -= f * A[c, j]
                for j in range(m):
                    B[r, j] -= f * B[c, j]
    for c in range(n - 1, -1, -1):
        inv = 1.0 / A[c, c]
        for j in range(m):
            s = B[c, j]
            for r in range(c + 1, n):
                s -= A[c, r] * B[r, j]
            B[c, j] = s * inv
    return True


@njit(cache=True, nogil=True, error_model="numpy")
def ring_blocks(lower, diag, upper, link, rhs, out):
    """Solve every sample's ring block system (see :func:`.ring._solve_ring_blocks`) into ``out``
    (b, M, n); a sample whose elimination breaks down gets NaN."""
    b, M, n = rhs.shape
    W = 2 * n + 1
    Cp = np.empty((M, n, n))
    dp = np.empty((M, n, n + 1))
    X = np.empty((M, n, n + 1))
    Mk = np.empty((n, n))
    R = np.empty((n, W))
    for s in range(b):
        ok = True
        for k in range(M):
            for i in range(n):
                for j in range(n):
                    Mk[i, j] = diag[s, i, j]
                    R[i, j] = upper[s, k + 1, i, j] if (k + 1 < M and link[k]) else 0.0
                R[i, n] = rhs[s, k, i]
                for j in range(n):
                    R[i, n + 1 + j] = 1.0 if (k == 0 and i == j) else 0.0
            if k > 0:
                L = lower[s, k - 1]
                for i in range(n):
                    for t in range(n):
                        lit = L[i, t]
                        if lit != 0.0:
                            for j in range(n):
                                Mk[i, j] -= lit * Cp[k - 1, t, j]
                            for j in range(n + 1):
                                R[i, n + j] -= lit * dp[k - 1, t, j]
            if not _lu_solve(Mk, R):
                ok = False
                break
            for i in range(n):
                for j in range(n):
                    Cp[k, i, j] = R[i, j]
                for j in range(n + 1):
                    dp[k, i, j] = R[i, n + j]
        if not ok:
            out[s] = np.nan
            continue
        for i in range(n):
            for j in range(n + 1):
                X[M - 1, i, j] = dp[M - 1, i, j]
        for k in range(M - 2, -1, -1):
            for i in range(n):
                for j in range(n + 1):
                    X[k, i, j] = dp[k, i, j]
                for t in range(n):
                    c = Cp[k, i, t]
                    if c != 0.0:
                        for j in range(n + 1):
                            X[k, i, j] -= c * X[k + 1, t, j]
        # Woodbury: corner C = lower[M-1] couples row 0 to the last stage
        C = lower[s, M - 1]
        cap = np.empty((n, n))
        cx = np.empty((n, 1))
        for i in range(n):
            for j in range(n):
                acc = 1.0 if i == j else 0.0
                for t in range(n):
                    acc += C[i, t] * X[M - 1, t, 1 + j]
                cap[i, j] = acc
            acc = 0.0
            for t in range(n):
                acc += C[i, t] * X[M - 1, t, 0]
            cx[i, 0] = acc
        if not _lu_solve(cap, cx):
            out[s] = np.nan
            continue
        for k in range(M):
            for i in range(n):
                acc = X[k, i, 0]
                for j in range(n):
                    acc -= X[k, i, 1 + j] * cx[j, 0]
                out[s, k, i] = acc


@njit(cache=True, nogil=True, error_model="numpy")
def linear_ring(sigma, aqueous, external, link, out):
    """Component totals of the ring at fixed organic and aqueous shares (see
    :func:`.ring.linear_ring`), into ``out`` (b, M, nc)."""
    b, M, nc = sigma.shape
    cp = np.empty(M)
    dy = np.empty(M)
    dz = np.empty(M)
    for s in range(b):
        for c in range(nc):
            for k in range(M):
                up = aqueous[s, k + 1, c] if (k + 1 < M and link[k]) else 0.0
                if k == 0:
                    m = 1.0
                    ry, rz = external[s, 0, c], 1.0
                else:
                    lo = sigma[s, k - 1, c]
                    m = 1.0 - lo * cp[k - 1]
                    ry = external[s, k, c] + lo * dy[k - 1]
                    rz = lo * dz[k - 1]
                cp[k] = up / m
                dy[k] = ry / m
                dz[k] = rz / m
            for k in range(M - 2, -1, -1):
                dy[k] += cp[k] * dy[k + 1]
                dz[k] += cp[k] * dz[k + 1]
            sl = sigma[s, M - 1, c]
            num = sl * dy[M - 1]
            corr = 0.0 if num == 0.0 else num / max(1.0 - sl * dz[M - 1], 1e-300)
            for k in range(M):
                out[s, k, c] = dy[k] + dz[k] * corr


@njit(cache=True, nogil=True, error_model="numpy")
def dimer_points(z0, slope, order, sites, w, cap, pH, g, tol, max_iter):
    """ln free dimer of every point at its pH (in place in ``g``)."""
    P, nc = z0.shape
    for k in range(P):
        demand = 0.0
        for i in range(nc):
            demand += sites[k, i] * w[k, i]
        room = math.log(cap[k] / (2.0 * demand + 1e-300))
        g_lo = math.log(cap[k] / 4.0)
        for i in range(nc):
            if w[k, i] > 0.0:
                v = (room - z0[k, i] - slope[k, i] * pH[k]) / order[k, i]
                if v < g_lo:
                    g_lo = v
        g[k] = _dimer(
            z0[k], slope[k], order[k], sites[k], w[k], cap[k], pH[k], g[k], g_lo, tol, max_iter
        )
