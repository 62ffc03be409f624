"""Small numerical helpers shared across layers."""

from __future__ import annotations

import numpy as np


def safe_ratio(num, den, default: float = 0.0) -> np.ndarray:
    """``num / den`` element-wise, ``default`` where ``den`` is not positive (no warnings,
    no NaN)."""
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    ok = den > 0
    return np.where(ok, num / np.where(ok, den, 1.0), default)


def logit(p) -> np.ndarray:
    """ln(p / (1 - p)), with p held within 1e-15 of 0 and 1 (a purity of 1 to round-off stays
    finite)."""
    p = np.clip(np.asarray(p, dtype=float), 1e-15, 1.0 - 1e-15)
    return np.log(p / (1.0 - p))


def pick(value, sample: int | None = None) -> float:
    """One sample of a scalar or (N,) value as a Python number (``sample`` None: the first)."""
    a = np.asarray(value)
    return a.item() if a.ndim == 0 else a[sample or 0].item()


def bracketed_root(
    fn,
    lo,
    hi,
    f_lo,
    f_hi,
    xtol: float,
    ftol,
    active=True,
    max_iter: int = 200,
    bisect_every: int = 0,
    settle_high: bool = False,
) -> np.ndarray:
    """Root of ``fn`` in [lo, hi] for every sample at once, by the Illinois variant of regula falsi.

    ``fn`` maps an array of x (the samples' shape) to f(x); f_lo and f_hi must differ in sign (or be
    zero) where a root is wanted (``active``); elsewhere the result is meaningless and the caller
    masks it. Stops when every active sample has |f| <= ftol or a bracket narrower than xtol.
    ``bisect_every`` > 0 bisects every that many steps, for a function that turns sharply
    somewhere in the bracket (the secant then creeps). ``settle_high``: returns ``(x, x_high)``,
    ``x_high`` the bracket's end where f > 0 where the search stopped with f(x) below -ftol (a step
    too steep for xtol or max_iter: a controller facing a cliff settles on its safe side).
    """
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    f_lo, f_hi = np.array(f_lo, dtype=float), np.array(f_hi, dtype=float)
    side = np.zeros(np.shape(lo))
    done = ~np.broadcast_to(np.asarray(active, dtype=bool), np.shape(lo))
    x = 0.5 * (lo + hi)
    for step in range(max_iter):
        denom = f_hi - f_lo
        secant = hi - f_hi * (hi - lo) / np.where(denom != 0, denom, 1.0)
        inside = (denom != 0) & (secant > np.minimum(lo, hi)) & (secant < np.maximum(lo, hi))
        if bisect_every and step % bisect_every == bisect_every - 1:
            inside = np.zeros_like(inside)
        x = np.where(done, x, np.where(inside, secant, 0.5 * (lo + hi)))
        f_x = fn(x)
        done = done | (np.abs(f_x) <= ftol) | (np.abs(hi - lo) <= xtol)
        if np.all(done) or step == max_iter - 1:
            break
        right = np.sign(f_x) == np.sign(f_hi)  # x replaces hi
        hi, f_hi, lo, f_lo = (
            np.where(right, x, hi),
            np.where(right, f_x, f_hi),
            np.where(right, lo, x),
            np.where(right, f_lo, f_x),
        )
        f_lo = np.where(right & (side == 1), 0.5 * f_lo, f_lo)  # the same end kept twice: halve it
        f_hi = np.where(~right & (side == -1), 0.5 * f_hi, f_hi)
        side = np.where(right, 1, -1)
    if settle_high:
        short = np.broadcast_to(np.asarray(active, dtype=bool), np.shape(lo)) & (f_x < -ftol)
        return x, np.where(short, np.where(f_hi > 0, hi, lo), x)
    return x
