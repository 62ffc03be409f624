"""Products in use, by year: what is put on the market, how long it lasts, what reaches end of life.

A cohort of ``inflow[c]`` products sold in year c survives to age a (whole years) with the survival
function S(a) of its lifetime distribution, and leaves use in year c + a at the rate S(a - 1) - S(a)
(S(-1) = 1: the share of a cohort failing in its first year is 1 - S(0)). This is the discrete
inflow-driven model of ODYM (Pauliuk & Heeren 2020, J. Ind. Ecol. 24:446), whose published test
results the tests reproduce.

Lifetimes:

- ``normal``: S(a) = 1 - Phi((a - mean) / sd);
- ``weibull``: S(a) = exp(-(a / scale)^shape), with the scale set by the mean,
  scale = mean / Gamma(1 + 1/shape);
- ``fixed``: S(a) = 1 for a < mean, else 0.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr

from plant.uom import SECONDS_PER_YEAR

KINDS = ("normal", "weibull", "fixed")


def survival(age, kind: str, mean, spread=None) -> np.ndarray:
    """S(age) [-] for ages [yr] of a lifetime ``kind`` with ``mean`` [yr] and ``spread`` (the
    standard deviation [yr] of a normal lifetime, the shape [-] of a Weibull one)."""
    a = np.asarray(age, dtype=float)
    m = np.asarray(mean, dtype=float)
    if kind == "normal":
        return 1.0 - ndtr((a - m) / np.asarray(spread, dtype=float))
    if kind == "weibull":
        k = np.asarray(spread, dtype=float)
        scale = m / np.vectorize(lambda x: math.gamma(1.0 + 1.0 / x))(k)
        return np.where(a < 0, 1.0, np.exp(-((np.maximum(a, 0.0) / scale) ** k)))
    if kind == "fixed":
        return np.where(a < m, 1.0, 0.0)
    raise ValueError(f"lifetime kind {kind!r}: expected one of {', '.join(KINDS)}")


def outflow_matrix(n: int, kind: str, mean, spread=None) -> np.ndarray:
    """M (..., n, n): outflow in year t of a unit cohort sold in year c, M[t, c] = S(t - c - 1) -
    S(t - c) for t >= c, else 0."""
    age = np.arange(n)[:, None] - np.arange(n)[None, :]  # (t, c)
    m, s = np.asarray(mean, dtype=float), np.asarray(spread if spread is not None else 0.0)
    m, s = m[..., None, None], np.asarray(s, dtype=float)[..., None, None]
    before = np.where(age - 1 < 0, 1.0, survival(age - 1, kind, m, s))
    return np.where(age >= 0, before - survival(age, kind, m, s), 0.0)


def outflows(inflow, kind: str, mean, spread=None) -> np.ndarray:
    """Products leaving use each year (..., n) from ``inflow`` (..., n) put on the market each year
    (same unit per year)."""
    x = np.asarray(inflow, dtype=float)
    M = outflow_matrix(x.shape[-1], kind, mean, spread)
    return np.einsum("...tc,...c->...t", M, x)


def stocks(inflow, kind: str, mean, spread=None) -> np.ndarray:
    """Products in use at the end of each year (..., n): all inflow so far less all outflow."""
    x = np.asarray(inflow, dtype=float)
    return np.cumsum(x - outflows(x, kind, mean, spread), axis=-1)


def sold_by_year(points: dict, years) -> np.ndarray:
    """Parts put on the market in each of ``years`` (..., n_years), from ``points`` (calendar year
    -> parts per unit time): linear between the points, none before the first, flat after the
    last."""
    pts = sorted((int(y), v) for y, v in points.items())
    xs = np.array([p[0] for p in pts], dtype=float)
    vs = np.stack(np.broadcast_arrays(*[np.asarray(p[1], dtype=float) for p in pts]), axis=-1)
    y = np.asarray(years, dtype=float)
    basis = np.stack([np.interp(y, xs, np.eye(len(xs))[i]) for i in range(len(xs))], axis=-1)
    basis[y < xs[0]] = 0.0
    return vs @ basis.T


def end_of_life(source, years) -> np.ndarray:
    """Parts of a magnet source (``SourceParams`` with ``put_on_market``) reaching end of life in
    each of ``years`` [parts/s, the unit of put_on_market] (..., n_years), from every cohort sold
    since its first year."""
    years = np.asarray(years, dtype=int)
    first = min(min(int(y) for y in source.put_on_market), int(years[0]))
    span = np.arange(first, int(years[-1]) + 1)
    sold = sold_by_year(source.put_on_market, span)
    mean = np.asarray(source.lifetime_mean) / SECONDS_PER_YEAR
    return outflows(sold, source.lifetime, mean, source.spread())[..., years - first]
