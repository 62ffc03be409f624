"""Benchmark: ``python -m plant.bench [--samples N]``.

Prints the cold CLI wall time (``plant run --json`` in a fresh process, with
its route comparison), the warm single evaluation time and the batch
throughput of the whole plant (short loop and hydromet route, energy and
economics), each route alone, and the energy and economics layers alone.
Figures only; the targets live in the issues.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import numpy as np


def cold_cli(repeats: int = 3) -> float:
    """Median wall time [s] of ``python -m plant.cli run --json`` in a new process."""
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "plant.cli", "run", "--json"], check=True, capture_output=True
        )
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def warm_single(params, repeats: int = 300, route: str = "combined") -> float:
    """Median time [s] of one scalar evaluation of the whole plant (on ``route``) after a
    warm-up."""
    from plant.model import evaluate

    return _median(lambda: evaluate(params, route), repeats)


def batch_samples(params, n: int, seed: int = 1) -> dict[str, np.ndarray]:
    """Uniform samples of a few influential parameters (SI values) for the throughput test."""
    rng = np.random.default_rng(seed)
    return {
        "leaching.acid_excess": rng.uniform(1.1, 1.5, n),
        "leaching.dissolution_oxide.Nd": rng.uniform(0.90, 0.99, n),
        "oxalate_precipitation.oxalic_excess": rng.uniform(1.0, 1.4, n),
        "impurity_removal.target_pH": rng.uniform(3.5, 4.5, n),
        "feed.sources.swarf.magnet_flow": params.feed.sources["swarf"].magnet_flow
        * rng.uniform(0.5, 1.5, n),
        "plant.availability": rng.uniform(0.85, 0.95, n),
        "sorting.split": rng.uniform(0.5, 1.0, n),
        "jet_milling.oxygen_pickup": rng.uniform(0.001, 0.004, n),
        "machining.machining_loss": rng.uniform(0.15, 0.35, n),
        **economics_samples(params, n, rng),
    }


def economics_samples(params, n: int, rng) -> dict[str, np.ndarray]:
    """Uniform samples of prices and cost factors (SI values)."""
    e = params.economics
    return {
        "economics.oxide_prices.Nd": rng.uniform(55.0, 110.0, n),
        "economics.oxide_prices.Pr": rng.uniform(55.0, 110.0, n),
        "economics.oxide_prices.Dy": rng.uniform(190.0, 410.0, n),
        "economics.oxide_prices.Tb": rng.uniform(800.0, 2050.0, n),
        "economics.feed.terms.swarf.payable": rng.uniform(0.6, 0.95, n),
        "economics.reagents.HCl": e.reagents["HCl"] * rng.uniform(0.7, 1.3, n),
        "economics.capex.contingency": rng.uniform(0.1, 0.3, n),
        "economics.magnet_prices.40H": rng.uniform(30.0, 60.0, n),
        "economics.finance.discount_rate": rng.uniform(0.06, 0.12, n),
    }


def layer_alone(layer: str, params, n: int, repeats: int = 5) -> tuple[float, float]:
    """Median times [s] of one layer ('energy' or 'economics') on one flowsheet result: scalar, and
    a batch of ``n`` samples."""
    from plant.costing.economics import evaluate as economics
    from plant.energy import evaluate as energy
    from plant.model import run
    from plant.params import with_values

    def timed(p) -> float:
        result = run(p)
        e = energy(result, p.energy)
        f = (
            (lambda: energy(result, p.energy))
            if layer == "energy"
            else (lambda: economics(result, e, p.economics))
        )
        return _median(f, repeats * 40 if p is params else repeats)

    return timed(params), timed(with_values(params, batch_samples(params, n)))


def batch(params, n: int, repeats: int = 5) -> tuple[float, float]:
    """(first-call time, median warm time) [s] of one whole-plant batch evaluation of ``n``
    samples."""
    from plant.model import evaluate
    from plant.params import with_values

    pb = with_values(params, batch_samples(params, n))
    t = time.perf_counter()
    evaluate(pb)
    first = time.perf_counter() - t
    return first, _median(lambda: evaluate(pb), repeats)


def sx_cascades(repeats: int = 5) -> dict[str, float]:
    """Times [s] of a 6-component cascade, 60 extraction + 60 scrub stages: constant-D single and
    batch of 1,000, and the pH-mode circuit (60 + 60 + 4 stages, PC88A saponified 20 %) single
    and batch of 1,000 (feed +-20 % per element)."""
    from plant.model import load_params
    from plant.units.solvent_extraction import CATION, exchange_model, solve_cascade
    from plant.units.solvent_extraction.circuit import CircuitDesign, solve_circuit

    comps = ("La", "Pr", "Nd", "Tb", "Dy", CATION)
    conc = np.array([20.0, 110.0, 450.0, 4.0, 30.0, 1500.0])
    feed = dict(zip(comps, conc * 1e-3))
    D = dict(zip(comps, (0.02, 0.2, 0.28, 3.6, 7.6, 1e-4)))
    args = dict(n_extraction=60, n_scrub=60, aqueous_flow=1e-3, organic_flow=5e-4, scrub_flow=1e-4)
    out = {"constant_D_single": _median(lambda: solve_cascade(feed, D, **args), repeats * 20)}
    rng = np.random.default_rng(0)
    fb = {e: v * rng.uniform(0.8, 1.2, 1000) for e, v in feed.items()}
    out["constant_D_batch_1000"] = _median(lambda: solve_cascade(fb, D, **args), repeats)
    m = exchange_model(load_params().solvent_extraction.extractant_data(), comps)
    d = CircuitDesign(60, 60, 4, 1e-3, 5e-4, 1e-4, 5e-5, 100.0, 300.0, 4000.0, 800.0, 160.0)
    one = conc * 1e-3
    run = lambda f: solve_circuit(d, f, model=m, cation_index=len(comps) - 1)
    out["pH_single"] = _median(lambda: run(one), repeats)
    out["pH_single_steps"] = run(one).steps
    many = one * rng.uniform(0.8, 1.2, (1000, len(comps)))
    out["pH_batch_1000"] = _median(lambda: run(many), 1)
    return out


def sx_grid(points: int = 500, seed: int = 0):
    """The pH-mode solver over ``points`` random operating points of the issue's ranges
    (:mod:`plant.units.solvent_extraction.operating_points`)."""
    from plant.model import load_params
    from plant.units.solvent_extraction.operating_points import survey

    return survey(points, seed, load_params().solvent_extraction.extractant_data())


def analyses(samples: int = 10_000, sobol_n: int = 1024) -> dict[str, float]:
    """Times [s] of the analyses on the base plant: Monte Carlo of ``samples`` (first call, after
    loading the parameters in this process, and warm; its start-up, the stand-ins' calibrations,
    and its samples alone), and a Sobol design of N = ``sobol_n`` over the first ten distributions
    (N x 12 runs)."""
    from plant.analysis import batch, montecarlo, sensitivity
    from plant.model import load_params

    p = load_params()
    out = {}
    t = time.perf_counter()
    montecarlo.run(p, samples, seed=1)
    out["mc_first"] = time.perf_counter() - t
    out["mc_warm"] = _median(lambda: montecarlo.run(p, samples, seed=1), 3)
    inputs = montecarlo.inputs_of(p)
    t = time.perf_counter()
    model = batch.plant_model(p, inputs=inputs)
    out["mc_start_up"] = time.perf_counter() - t
    u = np.random.default_rng(1).random((samples, len(inputs)))
    values = batch.design_values(inputs, u)
    out["mc_samples_only"] = _median(lambda: batch.run_batch(model, values), 3)
    t = time.perf_counter()
    ins = inputs[:10]
    model = batch.plant_model(p, inputs=ins)
    out["stand_in"] = time.perf_counter() - t
    t = time.perf_counter()
    sensitivity.sobol(model, ins, sobol_n, 1, ("npv_usd", "cost_usd_per_kg_reo"))
    out["sobol"] = time.perf_counter() - t + out["stand_in"]
    return out


def mc_agreement(samples: int = 10_000, seed: int = 1) -> dict:
    """The default Monte Carlo (SX stand-ins) against the full pH model on the same seed: each
    oxide's on-spec share in both, the share of samples where they agree, the median NPVs [USD],
    and the pH model's time [s]."""
    from plant.analysis import montecarlo
    from plant.model import load_params

    p = load_params()
    fast = montecarlo.run(p, samples, seed)
    t = time.perf_counter()
    full = montecarlo.run(p, samples, seed, sx="pH")
    out = {"pH_seconds": time.perf_counter() - t, "products": {}}
    for product, share in fast.probability()["on_spec"].items():
        key = f"on_spec.{product}"
        same = (fast.outputs[key] == full.outputs[key]).mean()
        out["products"][product] = (share, full.probability()["on_spec"][product], float(same))
    out["p50_npv"] = tuple(float(np.nanmedian(m.outputs["npv_usd"])) for m in (fast, full))
    return out


def sx_design() -> list[dict]:
    """Design mode (pH) for each SX circuit of the base plant, with its time."""
    from plant.analysis.circuit_design import design_plant
    from plant.model import load_params

    return design_plant(load_params())


def _median(f, repeats: int) -> float:
    """Median time [s] of ``f()`` after one warm-up call, each call solving its circuits again
    (the memo of solved circuits cleared first: a repeat of the same inputs is not a hit)."""
    from plant.units.solvent_extraction.unit import SOLVED

    f()
    times = []
    for _ in range(repeats):
        SOLVED.clear()
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m plant.bench", description=__doc__.splitlines()[0])
    ap.add_argument(
        "--samples", type=int, default=10_000, help="batch size, constant-D mode (default 10,000)"
    )
    ap.add_argument("--ph-samples", type=int, default=100, help="batch size, pH mode (default 100)")
    ap.add_argument(
        "--grid", type=int, default=1000, help="random SX operating points (default 1,000)"
    )
    args = ap.parse_args(argv)
    from plant.model import load_params

    a = analyses(args.samples)
    print(
        f"Monte Carlo of the whole plant, {args.samples:,} samples (SX stand-ins, 12 distributions)"
    )
    print(
        f"  first call in this process       {a['mc_first']:8.3f} s  "
        f"({args.samples / a['mc_first']:,.0f} samples/s)"
    )
    print(
        f"  warm (median of 3)               {a['mc_warm']:8.3f} s  "
        f"({args.samples / a['mc_warm']:,.0f} samples/s)"
    )
    print(
        f"  start-up (stand-in calibrations)  {a['mc_start_up']:8.3f} s; samples alone "
        f"(median of 3) {a['mc_samples_only']:.3f} s "
        f"({args.samples / a['mc_samples_only']:,.0f} samples/s)"
    )
    agree = mc_agreement(args.samples)
    print(f"Monte Carlo agreement with the full pH model, {args.samples:,} samples, seed 1")
    for product, (fast, full, same) in agree["products"].items():
        print(
            f"  {product:<16} on spec: stand-in {fast:.2%}, pH model {full:.2%}; "
            f"same verdict in {same:.2%} of samples"
        )
    f50, p50 = agree["p50_npv"]
    print(
        f"  P50 NPV: stand-in {f50 / 1e6:.2f} MUSD, pH model {p50 / 1e6:.2f} MUSD "
        f"({f50 / p50 - 1:+.3%}); pH model {agree['pH_seconds']:.1f} s "
        f"({args.samples / agree['pH_seconds']:,.0f} samples/s)"
    )
    for d in sx_design():
        print(
            f"SX design mode, {d['unit']} ({d['cut']}, {d['mode']}): {d['seconds']:.2f} s, "
            f"{d['solves']:,} circuit solves; {d['reason']}"
        )
    print(
        "Sobol, N = 1,024, 10 inputs, 12,288 runs, two outputs, incl. stand-ins "
        f"({a['stand_in']:.2f} s)"
    )
    print(f"  total                            {a['sobol']:8.3f} s")

    sx = sx_cascades()
    print("SX cascade, 6 components, 60 + 60 stages (pH mode: + 4 strip stages)")
    print(f"  constant-D single                {sx['constant_D_single'] * 1e3:8.3f} ms")
    print(f"  constant-D batch of 1,000        {sx['constant_D_batch_1000']:8.3f} s")
    print(
        f"  pH mode single                   {sx['pH_single'] * 1e3:8.3f} ms  "
        f"({sx['pH_single_steps']} pseudo-time steps)"
    )
    print(f"  pH mode batch of 1,000           {sx['pH_batch_1000']:8.3f} s")
    g = sx_grid(args.grid)
    print(f"SX pH-mode solver on {g.points:,} random operating points (seed 0)")
    print(
        f"  solved {g.solved}, refused for a physical reason {g.infeasible}, "
        f"not solved {len(g.failed)}: convergence {g.convergence:.2%}"
    )
    print(
        f"  per point: median {np.median(g.times) * 1e3:.0f} ms, 99th percentile "
        f"{np.quantile(g.times, 0.99):.2f} s, slowest {g.slowest[0]:.2f} s ({g.slowest[1]})"
    )
    print(f"cold CLI 'plant run --json'        {cold_cli():8.3f} s")
    for layer in ("energy", "economics"):
        single, many = layer_alone(
            layer, load_params(overrides=["solvent_extraction.mode=constant_D"]), args.samples
        )
        print(f"{layer} alone (from a flowsheet result)")
        print(f"  single                           {single * 1e3:8.3f} ms")
        print(
            f"  batch N={args.samples:,}                 {many:8.3f} s  "
            f"({args.samples / many:,.0f} scenarios/s)"
        )
    params = load_params(overrides=["solvent_extraction.mode=constant_D"])
    print("each route alone, SX in constant_D mode, warm single evaluation")
    for route in ("hydromet", "short_loop"):
        print(f"  {route:<32} {warm_single(params, 100, route) * 1e3:8.3f} ms")
    from plant.model import compare_routes

    print(
        "  route comparison (three routes)  "
        f"{_median(lambda: compare_routes(params), 20) * 1e3:8.3f} ms"
    )
    for mode, n in (("pH", args.ph_samples), ("constant_D", args.samples)):
        params = load_params(overrides=[f"solvent_extraction.mode={mode}"])
        single = warm_single(params, repeats=20)
        first, warm = batch(params, n, repeats=2)
        print(f"whole plant (flowsheet + energy + economics), SX in {mode} mode")
        print(f"  warm single evaluation           {single * 1e3:8.3f} ms")
        print(f"  batch N={n:,}, first call       {first:8.3f} s  ({n / first:,.0f} scenarios/s)")
        print(f"  batch N={n:,}, warm (median)    {warm:8.3f} s  ({n / warm:,.0f} scenarios/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
