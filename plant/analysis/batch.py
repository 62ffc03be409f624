"""The plant as a batch function of named parameters, and where a batch runs: in this process, or in
chunks on a Dask cluster (``dask.distributed``) given its scheduler address.

:class:`PlantModel` maps parameter values (dotted keys -> arrays of N samples,
SI) to the outputs the analyses look at (:data:`OUTPUTS`, arrays of N). It
holds the nominal parameters; with ``sx="surrogate"`` (the default) every
pH-mode SX circuit is replaced by its calibrated constant-D stand-in
(:mod:`plant.units.sx_surrogate`), exact at the nominal point and about
40 times faster in batches; ``sx="pH"`` solves the pH model for every sample.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from plant.errors import ParamError

OUTPUTS = {
    "npv_usd": ("NPV", "USD"),
    "irr": ("IRR", "-"),
    "cost_usd_per_kg_reo": ("Levelised cost", "USD/kg REO"),
    "reo_t_per_yr": ("REO output in the target year", "t/yr"),
    "coverage_of_demand": ("Share of demand covered in the target year", "-"),
    "nameplate_t_per_yr": ("Nameplate capacity", "t/yr REO"),
    "capex_usd": ("Total capital investment", "USD"),
    "opex_usd_per_yr": ("Operating cost", "USD/yr"),
    "revenue_usd_per_yr": ("Revenue", "USD/yr"),
}
"""Continuous outputs of :func:`outputs`: key -> (label, unit). Also returned: ``target_met`` (bool),
``target_t_per_yr``, ``installed_t_per_yr`` and ``feed_supported_t_per_yr`` (target year), and ``purity.<product>`` / ``t_per_yr.<product>`` for each product."""
SX_MODELS = ("surrogate", "pH")


def outputs(ev) -> dict[str, np.ndarray]:
    """The analysed outputs of a model.Evaluation (scalar or batch)."""
    e, c, fs = ev.economics.summary(), ev.capacity, ev.flowsheet
    out = {k: e[k] for k in ("npv_usd", "irr", "cost_usd_per_kg_reo", "capex_usd", "opex_usd_per_yr", "revenue_usd_per_yr")}
    out.update(reo_t_per_yr=c.at(c.reo), coverage_of_demand=c.at(c.coverage), nameplate_t_per_yr=c.nameplate,
               target_t_per_yr=c.at(c.target), target_met=c.at(c.met),
               installed_t_per_yr=c.at(c.installed), feed_supported_t_per_yr=c.at(c.feed_supported))
    for prod in fs.products:
        out[f"purity.{prod.name}"] = fs.purity(prod)
        out[f"t_per_yr.{prod.name}"] = fs.product_t_per_yr(prod)
    return {k: np.asarray(v) for k, v in out.items()}


@dataclass(frozen=True)
class PlantModel:
    """The plant as a function of parameter values: ``model(values) -> outputs`` (see module doc).
    Picklable, so that Dask workers can run it."""

    params: object          # model.Params, nominal (scalar)
    sx: str = "surrogate"
    route: str = "combined"

    def __call__(self, values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        from plant.model import evaluate
        from plant.params import with_values

        n = len(next(iter(values.values()))) if values else 1
        ev = evaluate(with_values(self.params, values), self.route)
        return {k: np.broadcast_to(v, (n,)).copy() if v.ndim == 0 or v.shape == (1,) else v
                for k, v in outputs(ev).items()}


def plant_model(params, sx: str = "surrogate", route: str = "combined") -> PlantModel:
    """A :class:`PlantModel` of nominal ``params``; with ``sx="surrogate"`` its pH-mode SX circuits are
    calibrated at the nominal point first (one scalar pH evaluation, ~40 ms)."""
    if sx not in SX_MODELS:
        raise ParamError("--sx", "sx", f"one of {', '.join(SX_MODELS)}", sx)
    if sx == "surrogate" and params.solvent_extraction.mode == "pH":
        from plant.model import run
        from plant.units.sx_surrogate import calibrated

        result = run(params, route)
        p = params.solvent_extraction
        for name in ("sx_heavy", "sx_light"):
            if name in result.units:
                p = calibrated(result.units[name], p, params.leaching.acid)
        params = dataclasses.replace(params, solvent_extraction=p)
    return PlantModel(params, sx, route)


def run_batch(model: Callable, values: Mapping[str, np.ndarray], scheduler=None,
              chunk: int | None = None) -> dict[str, np.ndarray]:
    """``model(values)`` for N samples: in one call, or in chunks of ``chunk`` samples; with ``scheduler``
    (a Dask scheduler address, e.g. 'tcp://10.0.0.5:8786', or a ``distributed.Client``) the chunks run on
    that cluster (default chunk: N over the cluster's worker threads). Results are in sample order, and the
    same whatever the chunking."""
    n = len(next(iter(values.values())))
    if scheduler is None and (chunk is None or chunk >= n):
        return model(values)
    client, own = _client(scheduler) if scheduler is not None else (None, False)
    try:
        if chunk is None:
            chunk = math.ceil(n / max(1, sum(client.nthreads().values())))
        if chunk < 1:
            raise ParamError("--chunk", "chunk", "a whole number of samples >= 1", chunk)
        parts = [{k: v[i:i + chunk] for k, v in values.items()} for i in range(0, n, chunk)]
        if client is None:
            results = [model(part) for part in parts]
        else:
            remote = client.scatter(model, broadcast=True)
            results = client.gather(client.map(_call, [remote] * len(parts), parts, pure=False))
    finally:
        if own:
            client.close()
    return {k: np.concatenate([r[k] for r in results]) for k in results[0]}


def _call(model, values):
    return model(values)


def _client(scheduler):
    """(client, whether we opened it) for a scheduler address or an open Client."""
    if hasattr(scheduler, "gather"):
        return scheduler, False
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - dask is a dependency
        raise ParamError("--scheduler", "scheduler", "dask.distributed installed", scheduler) from None
    try:
        return Client(scheduler, timeout="10s", set_as_default=False), True
    except (OSError, TimeoutError) as exc:
        raise ParamError("--scheduler", "scheduler", "the address of a running Dask scheduler, e.g. tcp://host:8786",
                         given_text=f"{scheduler!r}, which did not answer ({exc})") from None


def design_values(inputs: Sequence, u: np.ndarray) -> dict[str, np.ndarray]:
    """Parameter values [SI] of ``inputs`` (distributions.Input) at probabilities ``u`` (N, k)."""
    values: dict[str, np.ndarray] = {}
    for j, inp in enumerate(inputs):
        values.update(inp.values(u[:, j]))
    return values
