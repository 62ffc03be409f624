"""Sensitivity of plant outputs to uncertain inputs: a one-at-a-time tornado, and global Sobol
(first and total order) and Morris (elementary effects) indices through SALib.

Every function takes a batch ``model(values) -> outputs`` (values: dotted
parameter keys -> arrays of N; outputs: output keys -> arrays of N; see
:mod:`plant.analysis.batch`) and the inputs (``distributions.Input``). The
designs are drawn in probability space, u in (0, 1)^k, and mapped through
each input's quantile function, so that Sobol and Morris see the inputs'
real distributions, not their ranges. Each design is one batch call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from plant.analysis.batch import design_values, failures_of, run_batch
from plant.analysis.montecarlo import check_samples
from plant.errors import ParamError, PlantError
from plant.params.distributions import Input

TORNADO_RANGE = (0.1, 0.9)
"""Probabilities of the low and high ends of each tornado bar (the inputs' 10th and 90th
percentiles)."""
MORRIS_LEVELS = 4
MORRIS_BOUNDS = (0.05, 0.95)
"""Probability range of the Morris grid: the ends of unbounded distributions stay finite."""


def _problem(inputs: Sequence[Input], bounds=(0.0, 1.0)) -> dict:
    return {
        "num_vars": len(inputs),
        "names": [i.name for i in inputs],
        "bounds": [list(bounds)] * len(inputs),
    }


def _finite(y: np.ndarray, key: str, method: str) -> np.ndarray:
    y = np.asarray(y, dtype=float)
    if not np.isfinite(y).all():
        raise ParamError(
            "--output",
            key,
            f"an output that exists in every sample for {method} (e.g. npv_usd, "
            "cost_usd_per_kg_reo)",
            given_text=f"{key!r}, undefined in {np.mean(~np.isfinite(y)):.0%} of the samples",
        )
    return y


def nominal_values(inputs: Sequence[Input], n: int) -> dict[str, np.ndarray]:
    """Each input's parameters at the values in the files, repeated n times."""
    return {
        key: np.full(n, value)
        for inp in inputs
        for key, value in inp.parameter_values(inp.centre).items()
    }


def tornado(
    model: Callable,
    inputs: Sequence[Input],
    output: str = "npv_usd",
    span=TORNADO_RANGE,
    ranges: dict[str, tuple[float, float]] | None = None,
    scheduler=None,
) -> pd.DataFrame:
    """One-at-a-time swings of ``output``: each input at its low and high end (the ``span``
    percentiles of its distribution, or ``ranges[name]`` = (low, high) in its terms) with the others
    at the files' values.

    Returns a frame sorted by swing: input, label, low, high (input values), output_low,
    output_high, swing = |output_high - output_low|, base (the output at the files' values)."""
    ranges = ranges or {}
    k = len(inputs)
    values = nominal_values(inputs, 1 + 2 * k)
    ends = []
    for j, inp in enumerate(inputs):
        low, high = ranges.get(inp.name, (inp.at(span[0]), inp.at(span[1])))
        if low > high:
            raise ParamError(
                "--range", inp.name, "low <= high", given_text=f"low {low:g} > high {high:g}"
            )
        ends.append((low, high))
        for row, x in ((1 + 2 * j, low), (2 + 2 * j, high)):
            for key, value in inp.parameter_values(x).items():
                values[key][row] = value
    result = run_batch(model, values, scheduler)
    failed = failures_of(result)
    if 0 in failed.reasons:
        raise PlantError(f"tornado: the model fails at the files' values: {failed.reasons[0]}")
    y = np.asarray(result[output], dtype=float)
    _finite(y[~failed.mask()], output, "a tornado")
    why = lambda *rows: "; ".join(
        dict.fromkeys(failed.reasons[r] for r in rows if r in failed.reasons)
    )
    rows = [
        {
            "input": inp.name,
            "label": inp.dist.label,
            "low": lo,
            "high": hi,
            "output_low": y[1 + 2 * j],
            "output_high": y[2 + 2 * j],
            "swing": abs(y[2 + 2 * j] - y[1 + 2 * j]),
            "base": y[0],
            "failure": why(1 + 2 * j, 2 + 2 * j),
        }
        for j, (inp, (lo, hi)) in enumerate(zip(inputs, ends))
    ]
    frame = pd.DataFrame(rows).sort_values("swing", ascending=False, ignore_index=True)
    frame.attrs["failed"] = failed.summary()
    return frame


def sobol(
    model: Callable,
    inputs: Sequence[Input],
    n: int = 1024,
    seed: int = 0,
    outputs: Sequence[str] = ("npv_usd",),
    scheduler=None,
) -> dict[str, pd.DataFrame]:
    """Sobol first-order (S1) and total (ST) indices with 95 % bootstrap half-widths, from
    Saltelli's design of ``n`` base samples (a power of 2; n (k + 2) model runs). Returns output ->
    frame indexed by input."""
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    n = check_samples(n)
    if n & (n - 1):
        raise ParamError(
            "--samples", "samples", "a power of 2 for a Sobol design (e.g. 512, 1024)", n
        )
    problem = _problem(inputs)
    u = sample.sample(problem, n, calc_second_order=False, seed=seed)
    y = run_batch(model, design_values(inputs, u), scheduler)
    failed = failures_of(y)
    if failed.count:
        top = next(iter(failed.summary()["reasons"]))
        raise PlantError(
            f"Sobol indices need every sample of the Saltelli design, and {failed.count:,} of "
            f"{failed.total:,} failed ({top}); narrow the distributions that reach those "
            "samples, or use the tornado and Morris screening, which report without them"
        )
    out = {}
    for key in outputs:
        si = analyze.analyze(
            problem, _finite(y[key], key, "Sobol indices"), calc_second_order=False, seed=seed
        )
        out[key] = pd.DataFrame(
            {"S1": si["S1"], "S1_conf": si["S1_conf"], "ST": si["ST"], "ST_conf": si["ST_conf"]},
            index=pd.Index(problem["names"], name="input"),
        )
    return out


def morris(
    model: Callable,
    inputs: Sequence[Input],
    trajectories: int = 50,
    seed: int = 0,
    outputs: Sequence[str] = ("npv_usd",),
    scheduler=None,
) -> dict[str, pd.DataFrame]:
    """Morris elementary effects on a 4-level grid in probability space (``trajectories`` (k + 1)
    runs): mu_star (mean |effect|, in output units per unit of probability range), sigma (spread:
    interactions or non-linearity) and mu_star_conf. Returns output -> frame indexed by input,
    sorted by mu_star."""
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    trajectories = check_samples(trajectories, "--trajectories")
    if trajectories < 2:
        raise ParamError(
            "--trajectories",
            "trajectories",
            "at least 2 Morris trajectories (the spread of the effects needs two)",
            trajectories,
        )
    problem = _problem(inputs, MORRIS_BOUNDS)
    u = sample.sample(problem, trajectories, num_levels=MORRIS_LEVELS, seed=seed)
    y = run_batch(model, design_values(inputs, u), scheduler)
    failed = failures_of(y)
    # a trajectory with a failed run has no effects along it: those trajectories are left out
    step = len(inputs) + 1
    whole = ~failed.mask().reshape(trajectories, step).any(axis=1)
    if whole.sum() < 2:
        top = next(iter(failed.summary()["reasons"]), "")
        raise PlantError(
            f"Morris screening: {int((~whole).sum())} of {trajectories} trajectories have a "
            f"failed run ({top}), fewer than 2 are left; narrow the distributions"
        )
    keep = np.repeat(whole, step)
    out = {}
    for key in outputs:
        si = analyze.analyze(
            problem,
            u[keep],
            _finite(np.asarray(y[key], dtype=float)[keep], key, "Morris screening"),
            num_levels=MORRIS_LEVELS,
            seed=seed,
        )
        out[key] = pd.DataFrame(
            {
                "mu_star": si["mu_star"],
                "sigma": si["sigma"],
                "mu": si["mu"],
                "mu_star_conf": si["mu_star_conf"],
            },
            index=pd.Index(problem["names"], name="input"),
        ).sort_values("mu_star", ascending=False)
        out[key].attrs["failed"] = failed.summary()
        out[key].attrs["trajectories_used"] = int(whole.sum())
    return out
