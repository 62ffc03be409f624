"""Discounted-cash-flow arithmetic, vectorised along a leading sample axis.

Cash flows are arrays (..., n_years) in USD, year 0 first (end-of-year
convention: the flow of year t is discounted by (1 + r)^t). Every function
accepts a batch of samples and returns one value per sample; a value that
does not exist (an IRR of a cash flow with no sign change, a payback that
never comes) is NaN here and null in the JSON.
"""

from __future__ import annotations

import numpy as np

from plant.errors import PlantError
from plant.numerics import bracketed_root

IRR_GRID = np.concatenate(
    [
        np.linspace(-0.99, -0.2, 17)[:-1],
        np.linspace(-0.2, 0.6, 81)[:-1],
        np.geomspace(0.6, 10.0, 30),
    ]
)
"""Rates [-] scanned for the IRR's sign change: -99 % to +1,000 % a year, 1 % apart from -20 %
to 60 %."""
IRR_TOLERANCE = 1e-10
"""Width [-] of the bracket at which the IRR is taken as found."""


def discount_factors(rate, n_years: int) -> np.ndarray:
    """(1 + r)^-t for t = 0..n_years-1, shape (..., n_years); rate [-] (...) must exceed -1."""
    r = np.asarray(rate, dtype=float)
    if np.any(r <= -1.0):
        raise PlantError(
            f"economics: the discount rate must be above -100 %; given {float(np.min(r)):.4g}"
        )
    return (1.0 + r[..., None]) ** -np.arange(n_years)


def npv(rate, flows) -> np.ndarray:
    """Net present value [USD] (...) of cash flows (..., n_years) at ``rate`` [-] (...)."""
    f = np.asarray(flows, dtype=float)
    return (f * discount_factors(rate, f.shape[-1])).sum(axis=-1)


def irr(flows) -> np.ndarray:
    """Internal rate of return [-] (...) of cash flows (..., n_years); NaN where there is none.

    NPV(r) is scanned on IRR_GRID for sign changes; where there are several (a non-conventional cash
    flow has several roots) the one nearest zero is taken, then refined by regula falsi (Illinois)
    on every sample at once. Without a sign change in IRR_GRID's span (all flows of one sign, a
    project that never pays back), the IRR is NaN.
    """
    f = np.asarray(flows, dtype=float)
    values = np.moveaxis(
        f @ discount_factors(IRR_GRID, f.shape[-1]).T, -1, 0
    )  # NPV on the grid, (G, ...)
    change = np.sign(values[:-1]) * np.sign(values[1:]) < 0
    mid = 0.5 * (IRR_GRID[:-1] + IRR_GRID[1:]).reshape((-1,) + (1,) * (f.ndim - 1))
    pick = np.argmin(np.where(change, np.abs(mid), np.inf), axis=0)
    exists = change.any(axis=0)
    lo, hi = IRR_GRID[pick], IRR_GRID[pick + 1]
    pick_values = lambda i: np.take_along_axis(values, i[None], axis=0)[0]
    scale = np.abs(f).sum(axis=-1) + 1.0
    rate = bracketed_root(
        lambda r: npv(r, f),
        lo,
        hi,
        pick_values(pick),
        pick_values(pick + 1),
        xtol=IRR_TOLERANCE,
        ftol=1e-11 * scale,
        active=exists,
    )
    return np.where(exists, rate, np.nan)


def payback(flows, rate=None) -> np.ndarray:
    """Years (...) until the cumulative (discounted, if ``rate`` is given) cash flow turns and stays
    non-negative, the flow of year t falling at time t and interpolated linearly between; counted
    from year 0 (the first construction year); NaN when never."""
    f = np.asarray(flows, dtype=float)
    if rate is not None:
        f = f * discount_factors(rate, f.shape[-1])
    cum = np.cumsum(f, axis=-1)
    n = f.shape[-1]
    negative = cum < 0
    # last year that ends with a negative cumulative flow; payback falls in the year after it
    last_neg = np.where(negative.any(axis=-1), n - 1 - np.argmax(negative[..., ::-1], axis=-1), -1)
    never = last_neg == n - 1
    k = np.clip(last_neg + 1, 0, n - 1)
    before = np.take_along_axis(cum, np.clip(last_neg, 0, n - 1)[..., None], axis=-1)[..., 0]
    step = np.take_along_axis(f, k[..., None], axis=-1)[..., 0]
    frac = np.where(last_neg >= 0, -before / np.where(step != 0, step, 1.0), 0.0)
    years = np.where(last_neg >= 0, last_neg + frac, 0.0)
    return np.where(never, np.nan, years)


def annuity_payment(principal, rate, n_years) -> np.ndarray:
    """Level yearly payment [USD] (...) that repays ``principal`` over ``n_years`` at ``rate``."""
    P, r = np.asarray(principal, dtype=float), np.asarray(rate, dtype=float)
    n = np.asarray(n_years, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        pay = P * r / (1.0 - (1.0 + r) ** -n)
    return np.where(np.abs(r) < 1e-12, P / n, pay)


def straight_line(cost, life: int, n_years: int) -> np.ndarray:
    """Straight-line depreciation (..., n_years) of ``cost`` over ``life`` years, from year 0 of
    use."""
    c = np.asarray(cost, dtype=float)
    years = np.arange(n_years)
    return c[..., None] * np.where(years < life, 1.0 / life, 0.0)


def declining_balance(
    cost, life: int, n_years: int, factor: float = 2.0, half_year: bool = True
) -> np.ndarray:
    """Declining-balance depreciation with the switch to straight line (..., n_years).

    The rate is ``factor`` / life on the remaining book value; each year takes the larger of that
    and the straight-line charge of the remainder over the remaining life. With ``half_year`` the
    first and the extra last year take half a year (the half-year convention), which with factor 2
    reproduces the US MACRS GDS tables (IRS Publication 946, Table A-1).
    """
    if life < 1:
        raise PlantError(f"economics: the depreciation life must be at least 1 year; given {life}")
    shares = np.zeros(n_years)
    book, remaining = 1.0, float(life)
    rate = factor / life
    for t in range(min(n_years, life + (1 if half_year else 0))):
        span = 0.5 if half_year and t == 0 else 1.0
        db = book * rate * span
        sl = book * min(span / remaining, 1.0) if remaining > 0 else book
        charge = min(max(db, sl), book)
        shares[t] = charge
        book -= charge
        remaining -= span
    return np.asarray(cost, dtype=float)[..., None] * shares
