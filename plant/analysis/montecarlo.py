"""Monte Carlo of the plant: N samples of the ``[uncertainty]`` distributions through one batch
evaluation.

Percentiles follow the statistical convention: ``p10`` is the value 10 % of
the samples fall below (for NPV, the pessimistic end; the petroleum "P90
reserve" is this p10). Seeded with numpy's PCG64: the same seed, inputs and
sample count give the same numbers, in process or on Dask.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from plant.analysis.batch import (
    CHUNK,
    FAILURE,
    OUTPUTS,
    check_memory,
    check_seed,
    design_values,
    failures_of,
    plant_model,
    run_batch,
)
from plant.errors import ParamError
from plant.isolation import Failures
from plant.params.distributions import Input, bind

PERCENTILES = (10, 50, 90)


@dataclass(frozen=True)
class MonteCarlo:
    """Samples and results of one run.

    inputs : (N, k) sampled value of each distribution (factors for relative ones), by name
    outputs : (N, m) analysed outputs (plant.analysis.batch.outputs), by key
    """

    scenario: str
    seed: int
    sx: str
    distributions: tuple[Input, ...]
    inputs: pd.DataFrame
    outputs: pd.DataFrame

    @property
    def samples(self) -> int:
        return len(self.outputs)

    @property
    def failures(self) -> Failures:
        """The samples the model refused or failed on, with their reasons."""
        return failures_of({FAILURE: self.outputs[FAILURE].to_numpy()})

    def probability(self) -> dict:
        """Share of the samples that succeeded meeting the target in the target year, with
        NPV > 0, and with each oxide product on spec (``on_spec``: product -> share); None when
        none succeeded."""
        o = self.outputs[self.outputs[FAILURE] == ""]
        products = [k.removeprefix("on_spec.") for k in o.columns if k.startswith("on_spec.")]
        if o.empty:
            return {"target_met": None, "npv_positive": None, "on_spec": dict.fromkeys(products)}
        return {
            "target_met": float(o["target_met"].mean()),
            "npv_positive": float((o["npv_usd"] > 0).mean()),
            "on_spec": {p: float(o[f"on_spec.{p}"].astype(bool).mean()) for p in products},
        }

    def summary(self) -> dict:
        """The JSON of ``plant mc``: meta data, then each output key -> mean, sd, p10, p50, p90,
        min, max over the samples that succeeded (an IRR exists in ``share_defined`` of the samples;
        its statistics are over those), the probabilities, and ``failed``: how many samples the
        model refused and why (:meth:`plant.isolation.Failures.summary`)."""
        out: dict = {
            "scenario": self.scenario,
            "samples": self.samples,
            "seed": self.seed,
            "sx_model": self.sx,
            "percentile_convention": "pXX: XX % of samples lie below",
        }
        for key in OUTPUTS:
            out[key] = statistics(self.outputs[key].to_numpy())
        out["probability"] = self.probability()
        out["failed"] = self.failures.summary()
        out["inputs"] = {
            i.name: {
                "label": i.dist.label,
                "distribution": i.dist.kind,
                "relative": i.dist.relative,
                "parameters": list(i.dist.parameters),
                **statistics(self.inputs[i.name].to_numpy()),
            }
            for i in self.distributions
        }
        return out


def statistics(x: np.ndarray) -> dict:
    """mean, sd, p10, p50, p90, min, max over the finite values of ``x`` and the share that is
    finite (None for all when none is)."""
    ok = np.isfinite(x)
    stats = {
        "mean": None,
        "sd": None,
        **{f"p{q}": None for q in PERCENTILES},
        "min": None,
        "max": None,
    }
    if ok.any():
        v = x[ok]
        pct = np.percentile(v, PERCENTILES)
        stats = {
            "mean": float(v.mean()),
            "sd": float(v.std(ddof=1)) if len(v) > 1 else 0.0,
            **{f"p{q}": float(p) for q, p in zip(PERCENTILES, pct)},
            "min": float(v.min()),
            "max": float(v.max()),
        }
    if not ok.all():
        stats["share_defined"] = float(ok.mean())
    return stats


def inputs_of(params, names=None, where: str = "--input") -> list[Input]:
    """The distributions of ``params`` (all, or those named; ``where`` names the option in errors),
    bound to its values."""
    from plant.model import spec_of

    dists = params.uncertainty or ()
    if not dists:
        raise ParamError(
            params.scenario.where or "parameters",
            "uncertainty",
            "at least one [uncertainty.<name>] table (see params/base.toml)",
            given_text="none",
        )
    if names:
        known = {d.name: d for d in dists}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ParamError(
                where,
                unknown[0],
                f"one of the distributions {', '.join(known)}",
                given_text=f"{unknown[0]!r}, which is not one",
            )
        dists = tuple(known[n] for n in names)
    return bind(dists, params, spec_of)


MAX_SAMPLES = 10_000_000
"""Most samples of one run (about 40 minutes of the whole plant on two cores)."""


def check_samples(n, what: str = "--samples") -> int:
    """``n`` as a number of samples: a whole number from 1 to MAX_SAMPLES whose outputs fit in the
    memory this machine has free."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_SAMPLES:
        raise ParamError(what, "samples", f"a whole number of samples from 1 to {MAX_SAMPLES:,}", n)
    check_memory(int(n), what)
    return int(n)


def run(
    params,
    samples: int,
    seed: int = 0,
    *,
    names=None,
    sx: str = "surrogate",
    scheduler=None,
    chunk: int | None = None,
) -> MonteCarlo:
    """Monte Carlo of ``samples`` draws of the distributions of ``params`` (all, or ``names``);
    ``sx`` and ``scheduler``/``chunk`` as in :mod:`plant.analysis.batch`."""
    n = check_samples(samples)
    check_seed(seed)
    inputs = inputs_of(params, names)
    u = np.random.default_rng(seed).random((n, len(inputs)))
    model = plant_model(params, sx, inputs=inputs)
    chunk = chunk or (CHUNK if n > CHUNK and scheduler is None else None)
    result = run_batch(model, design_values(inputs, u), scheduler, chunk)
    drawn = pd.DataFrame({inp.name: inp.ppf(u[:, j]) for j, inp in enumerate(inputs)})
    return MonteCarlo(params.scenario.name, seed, sx, tuple(inputs), drawn, pd.DataFrame(result))
