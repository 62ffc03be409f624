"""The plant as a batch function of named parameters, and where a batch runs: in this process, or in
chunks on a Dask cluster (``dask.distributed``) given its scheduler address.

:class:`PlantModel` maps parameter values (dotted keys -> arrays of N samples,
SI) to the outputs the analyses look at (:data:`OUTPUTS`, arrays of N). It
holds the nominal parameters; with ``sx="surrogate"`` (the default) every
pH-mode SX circuit is replaced by its calibrated constant-D stand-in
(:mod:`plant.units.solvent_extraction.surrogate`), exact at the nominal point, its log D
following each sampled input through calibrations along that input alone
(separable: interactions between inputs are left out), and about 40 times
faster in batches; ``sx="pH"`` solves the pH model for every sample.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from plant.costing.revenue import on_spec
from plant.errors import ParamError, PlantError
from plant.isolation import Failures, isolate
from plant.units.solvent_extraction.parameters import CIRCUITS

OUTPUTS = {
    "npv_usd": ("NPV", "USD"),
    "irr": ("IRR", "-"),
    "cost_usd_per_kg_reo": ("Levelised cost", "USD/kg REO"),
    "reo_t_per_yr": ("REO output in the target year", "t/yr"),
    "on_spec_reo_t_per_yr": ("On-spec REO output in the target year", "t/yr"),
    "coverage_of_demand": ("Share of demand covered by on-spec product in the target year", "-"),
    "nameplate_t_per_yr": ("Nameplate capacity, on-spec product", "t/yr REO"),
    "capex_usd": ("Total capital investment", "USD"),
    "opex_usd_per_yr": ("Operating cost", "USD/yr"),
    "revenue_usd_per_yr": ("Revenue", "USD/yr"),
}
"""Continuous outputs of :func:`outputs`: key -> (label, unit). Also returned: ``target_met``
(bool), ``target_t_per_yr``, ``installed_t_per_yr`` and ``feed_supported_t_per_yr`` (target year),
and ``purity.<product>`` / ``t_per_yr.<product>`` for each product, ``on_spec.<product>`` (bool)
for each oxide."""
SX_MODELS = ("surrogate", "pH")


def outputs(ev) -> dict[str, np.ndarray]:
    """The analysed outputs of a model.Evaluation (scalar or batch)."""
    e, c, fs = ev.economics.summary(), ev.capacity, ev.flowsheet
    out = {
        k: e[k]
        for k in (
            "npv_usd",
            "irr",
            "cost_usd_per_kg_reo",
            "capex_usd",
            "opex_usd_per_yr",
            "revenue_usd_per_yr",
        )
    }
    out.update(
        reo_t_per_yr=c.at(c.reo),
        on_spec_reo_t_per_yr=c.at(c.on_spec),
        coverage_of_demand=c.at(c.coverage),
        nameplate_t_per_yr=c.nameplate_on_spec,
        target_t_per_yr=c.at(c.target),
        target_met=c.at(c.met),
        installed_t_per_yr=c.at(c.installed),
        feed_supported_t_per_yr=c.at(c.feed_supported),
    )
    for prod in fs.products:
        out[f"purity.{prod.name}"] = fs.purity(prod)
        out[f"t_per_yr.{prod.name}"] = fs.product_t_per_yr(prod)
        if prod.kind == "oxide":
            out[f"on_spec.{prod.name}"] = on_spec(fs, prod, ev.params.economics)
    return {k: np.asarray(v) for k, v in out.items()}


@dataclass(frozen=True)
class Linearised:
    """Distribution ratios of the SX stand-ins as a separable function of some driving parameters:
    ln D = ln D0 + sum_k f_k(x_k), each f_k piecewise linear through the points where the stand-ins
    were calibrated (0 at the calibration point), extended linearly beyond the end points.

    d0 : D key (dotted) -> D at the calibration point
    grids : driver key -> (x values, increasing; {D key -> ln D - ln D0 at them})
    """

    d0: dict
    grids: dict

    def ratios(self, values: Mapping[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
        from plant.units.solvent_extraction.design import D_RANGE

        out = {}
        for key, d in self.d0.items():
            ln = np.full(n, np.log(d))
            for driver, (xs, dln) in self.grids.items():
                if driver in values and key in dln:
                    ln = ln + _interp(np.asarray(values[driver], dtype=float), xs, dln[key])
            out[key] = np.clip(np.exp(ln), *D_RANGE)
        return out


def _interp(x: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Piecewise-linear interpolation, extended with the end segments' slopes."""
    y = np.interp(x, xs, ys)
    lo = (ys[1] - ys[0]) / (xs[1] - xs[0])
    hi = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    return np.where(
        x < xs[0], ys[0] + lo * (x - xs[0]), np.where(x > xs[-1], ys[-1] + hi * (x - xs[-1]), y)
    )


@dataclass(frozen=True)
class PlantModel:
    """The plant as a function of parameter values: ``model(values) -> outputs`` (see module doc).
    Picklable, so that Dask workers can run it."""

    params: object  # model.Params, nominal (scalar)
    sx: str = "surrogate"
    route: str = "combined"
    linear: Linearised | None = None

    def __call__(self, values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Outputs of the N samples of ``values``; a sample the model refuses (or that fails) is
        isolated: its outputs are NaN (``target_met`` False) and ``failure`` holds its reason (''
        for the others)."""
        n = max((np.size(v) for v in values.values()), default=1)
        take = lambda idx: {
            k: np.asarray(v)[idx] if np.ndim(v) and len(v) == n else v for k, v in values.items()
        }
        pieces, failures = isolate(lambda idx: self._outputs(take(idx), len(idx)), n)
        return merge(pieces, failures)

    def _outputs(self, values: Mapping[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
        from plant.model import evaluate
        from plant.params import with_values

        if self.linear is not None:
            values = {**values, **self.linear.ratios(values, n)}
        ev = evaluate(with_values(self.params, values), self.route)
        return {
            k: np.broadcast_to(v, (n,)).copy() if v.ndim == 0 or v.shape == (1,) else v
            for k, v in outputs(ev).items()
        }


FAILURE = "failure"
"""The output that holds each sample's failure ('' where it succeeded)."""


def failures_of(outputs: Mapping[str, np.ndarray]) -> Failures:
    """The failed samples of a batch's outputs (:data:`FAILURE`; none where a model does not
    report failures)."""
    if FAILURE not in outputs:
        return Failures({}, len(next(iter(outputs.values()))))
    reasons = np.asarray(outputs[FAILURE])
    return Failures({int(i): str(reasons[i]) for i in np.flatnonzero(reasons != "")}, len(reasons))


def merge(pieces, failures: Failures) -> dict[str, np.ndarray]:
    """The outputs of all samples from the pieces that succeeded (:func:`plant.isolation.isolate`):
    NaN for a failed sample (False for a flag), and its reason under :data:`FAILURE`."""
    n = failures.total
    keys = dict.fromkeys(k for _, out in pieces for k in out) or dict.fromkeys(OUTPUTS)
    merged = {}
    for k in keys:
        flag = any(np.asarray(out[k]).dtype == bool for _, out in pieces if k in out)
        col = np.zeros(n, dtype=bool) if flag else np.full(n, np.nan)
        for idx, out in pieces:
            if k in out:
                col[idx] = out[k]
        merged[k] = col
    reason = np.full(n, "", dtype=object)
    for i, r in failures.reasons.items():
        reason[i] = r
    merged[FAILURE] = reason
    return merged


def stand_in(params, route: str = "combined", scrub: Mapping[str, float] | None = None):
    """``params`` with every pH-mode SX circuit replaced by its constant-D stand-in calibrated at
    this (scalar) point, at the scrub ratio of ``scrub`` (circuit -> ratio) or else at the one its
    controller set: one pH-mode flowsheet run."""
    from plant.model import run
    from plant.units.solvent_extraction.surrogate import calibrated
    from plant.units.solvent_extraction.unit import CircuitResult

    result = run(params, route)
    p = params.solvent_extraction
    for unit in result.units.values():
        if isinstance(unit, CircuitResult):
            at = None if scrub is None else scrub.get(unit.circuit.circuit)
            p = calibrated(unit, p, params.leaching.acid, at)
    return dataclasses.replace(params, solvent_extraction=p)


def scrub_ratios(params) -> dict[str, float]:
    """The scrub ratio of each SX circuit of ``params`` (circuit -> ratio)."""
    sx = params.solvent_extraction
    return {c: float(np.asarray(getattr(sx, c).scrub_ratio)) for c in CIRCUITS}


def ratios(params) -> dict[str, float]:
    """The distribution ratios of ``params``'s SX circuits (constant-D mode): dotted key -> D."""
    sx = params.solvent_extraction
    return {
        f"solvent_extraction.{c}.distribution_ratio.{e}": float(
            np.asarray(getattr(sx, c).distribution_ratio[e])
        )
        for c in CIRCUITS
        for e in getattr(sx, c).distribution_ratio
    }


def linearise(params, steps, route: str = "combined", notes: list | None = None) -> Linearised:
    """The stand-ins' log D at ``params`` (scalar) as a separable function of the drivers of
    ``steps``: (driver key, [parameter values with the driver moved], ...); each set of values takes
    one pH-mode flowsheet run. Every stand-in runs at the nominal one's scrub ratios, so that the
    ratios carry what a scrub controller does along the driver. A driver whose first move leaves
    every D as it is (a price) gets no more runs; a move the model refuses is left out (noted in
    ``notes``)."""
    from plant.params import value_at, with_values

    nominal = stand_in(params, route)
    d0, scrub = ratios(nominal), scrub_ratios(nominal)
    grids = {}
    for driver, moves in steps:
        x0 = float(np.asarray(value_at(params, driver)))
        points = {x0: {k: 0.0 for k in d0}}
        for values in moves:
            try:
                dk = ratios(stand_in(with_values(params, values), route, scrub))
            except PlantError as exc:
                if notes is not None:
                    notes.append(
                        f"the SX stand-in at {driver} = {values[driver]:g} not found "
                        f"({exc}); left out"
                    )
                continue
            dln = {k: float(np.log(dk[k]) - np.log(d)) for k, d in d0.items() if k in dk}
            if len(points) == 1 and all(abs(v) < 1e-12 for v in dln.values()):
                break  # D does not depend on this driver
            points[float(values[driver])] = dln
        if len(points) > 1 and any(abs(v) >= 1e-12 for p in points.values() for v in p.values()):
            xs = np.array(sorted(points))
            grids[driver] = (xs, {k: np.array([points[x].get(k, 0.0) for x in xs]) for k in d0})
    return Linearised(d0, grids)


GRID_PROBABILITIES = (0.02, 0.25, 0.75, 0.98)
"""Where each input's stand-in is calibrated (probabilities of its distribution), besides its
nominal value."""


def input_steps(inputs) -> list:
    """Calibration points of the SX stand-ins for distributions.Input's: each input alone at
    GRID_PROBABILITIES, all its parameters together (its first parameter is the driver)."""
    steps = []
    for inp in inputs:
        moves = []
        for u in GRID_PROBABILITIES:
            x = inp.at(u)
            if abs(x - inp.centre) > 1e-12 * max(1.0, abs(x)):
                moves.append(inp.parameter_values(x))
        steps.append((inp.dist.parameters[0], moves))
    return steps


def plant_model(params, sx: str = "surrogate", route: str = "combined", inputs=()) -> PlantModel:
    """A :class:`PlantModel` of nominal ``params``; with ``sx="surrogate"`` its pH-mode SX circuits
    are replaced by constant-D stand-ins calibrated at the nominal point, whose log D follow each of
    ``inputs`` (distributions.Input) through calibrations at points of its distribution
    (:func:`input_steps`)."""
    if sx not in SX_MODELS:
        raise ParamError("--sx", "sx", f"one of {', '.join(SX_MODELS)}", sx)
    if sx == "surrogate" and params.solvent_extraction.mode == "pH":
        linear = linearise(params, input_steps(inputs), route) if inputs else None
        return PlantModel(stand_in(params, route), sx, route, linear)
    return PlantModel(params, sx, route)


def run_batch(
    model: Callable, values: Mapping[str, np.ndarray], scheduler=None, chunk: int | None = None
) -> dict[str, np.ndarray]:
    """``model(values)`` for N samples: in one call, or in chunks of ``chunk`` samples; with
    ``scheduler`` (a Dask scheduler address, e.g. 'tcp://10.0.0.5:8786', or a
    ``distributed.Client``) the chunks run on that cluster (default chunk: N over the cluster's
    worker threads). Results are in sample order, and the same whatever the chunking."""
    n = len(next(iter(values.values())))
    if scheduler is None and (chunk is None or chunk >= n):
        return model(values)
    client, own = _client(scheduler) if scheduler is not None else (None, False)
    try:
        if chunk is None:
            chunk = math.ceil(n / max(1, sum(client.nthreads().values())))
        if chunk < 1:
            raise ParamError("--chunk", "chunk", "a whole number of samples >= 1", chunk)
        parts = [{k: v[i : i + chunk] for k, v in values.items()} for i in range(0, n, chunk)]
        if client is None:
            results = [model(part) for part in parts]
        else:
            remote = client.scatter(model, broadcast=True)
            results = client.gather(client.map(_call, [remote] * len(parts), parts, pure=False))
    finally:
        if own:
            client.close()
    keys = dict.fromkeys(k for r in results for k in r)
    size = lambda r: len(next(iter(r.values())))
    fill = lambda r, k: r[k] if k in r else np.full(size(r), np.nan)
    return {k: np.concatenate([fill(r, k) for r in results]) for k in keys}


CHUNK = 20_000
"""Samples evaluated at once in this process when a run has more (about 85 kB each at the peak)."""
BYTES_PER_SAMPLE = 85_000 * 1.5
"""Peak memory of one sample of a whole-plant batch [bytes], measured (85 kB) with a margin."""
BYTES_PER_OUTPUT_ROW = 1_000
"""Memory kept per sample for its outputs and inputs [bytes] (about 40 numbers, with a margin)."""


def check_memory(n: int, what: str = "--samples") -> None:
    """Refuse a run of ``n`` samples whose chunks and outputs would not fit in the free memory."""
    try:
        free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # not a POSIX system: nothing to check against
        return
    need = min(n, CHUNK) * BYTES_PER_SAMPLE + n * BYTES_PER_OUTPUT_ROW
    if need > 0.8 * free:
        raise ParamError(
            what,
            "samples",
            f"a run whose batches and outputs fit in the {free / 1e9:.1f} GB of free memory "
            f"(about {need / 1e9:.1f} GB needed)",
            n,
        )


def check_seed(seed) -> int:
    """A random seed: a whole number from 0 to 2**32 - 1 (what numpy and SALib both take)."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ParamError("--seed", "seed", "a whole number from 0 to 4,294,967,295", seed)
    return int(seed)


def _call(model, values):
    return model(values)


SCHEDULER_ADDRESS = re.compile(r"^(?:(?:tcp|tls|ws|wss|ucx)://)?[A-Za-z0-9._\-\[\]:]+:\d{1,5}$")
"""A scheduler address: an optional protocol, a host and a port."""


def _client(scheduler):
    """(client, whether we opened it) for a scheduler address or an open Client."""
    if hasattr(scheduler, "gather"):
        return scheduler, False
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - dask is a dependency
        raise ParamError(
            "--scheduler", "scheduler", "dask.distributed installed", scheduler
        ) from None
    if not isinstance(scheduler, str) or not SCHEDULER_ADDRESS.match(scheduler):
        raise ParamError(
            "--scheduler",
            "scheduler",
            "the address of a Dask scheduler, e.g. tcp://10.0.0.5:8786 or 10.0.0.5:8786",
            scheduler,
        )
    try:
        return Client(scheduler, timeout="10s", set_as_default=False), True
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise ParamError(
            "--scheduler",
            "scheduler",
            "the address of a running Dask scheduler, e.g. tcp://host:8786",
            given_text=f"{scheduler!r}, which did not answer ({exc})",
        ) from None


def design_values(inputs: Sequence, u: np.ndarray) -> dict[str, np.ndarray]:
    """Parameter values [SI] of ``inputs`` (distributions.Input) at probabilities ``u`` (N, k)."""
    values: dict[str, np.ndarray] = {}
    for j, inp in enumerate(inputs):
        values.update(inp.values(u[:, j]))
    return values
