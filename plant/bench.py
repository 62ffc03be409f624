"""Benchmark: ``python -m plant.bench [--samples N]``.

Prints the cold CLI wall time (``plant run --json`` in a fresh process), the
warm single evaluation time and the batch throughput. Figures only; the
targets live in the issues.
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
        subprocess.run([sys.executable, "-m", "plant.cli", "run", "--json"], check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def warm_single(params, repeats: int = 300) -> float:
    """Median time [s] of one scalar evaluation after a warm-up."""
    from plant.model import run

    run(params)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        run(params)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def batch_samples(params, n: int, seed: int = 1) -> dict[str, np.ndarray]:
    """Uniform samples of a few influential parameters (SI values) for the throughput test."""
    rng = np.random.default_rng(seed)
    return {
        "leaching.acid_excess": rng.uniform(1.1, 1.5, n),
        "leaching.dissolution_oxide.Nd": rng.uniform(0.90, 0.99, n),
        "oxalate_precipitation.oxalic_excess": rng.uniform(1.0, 1.4, n),
        "impurity_removal.target_pH": rng.uniform(3.5, 4.5, n),
        "feed.sources.swarf.magnet_flow": params.feed.sources["swarf"].magnet_flow * rng.uniform(0.5, 1.5, n),
        "plant.availability": rng.uniform(0.85, 0.95, n),
    }


def batch(params, n: int, repeats: int = 5) -> tuple[float, float]:
    """(first-call time, median warm time) [s] of one batch evaluation of ``n`` samples."""
    from plant.model import run
    from plant.params import with_values

    pb = with_values(params, batch_samples(params, n))
    t = time.perf_counter()
    run(pb)
    first = time.perf_counter() - t
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        run(pb)
        times.append(time.perf_counter() - t)
    return first, statistics.median(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m plant.bench", description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=10_000, help="batch size (default 10,000)")
    args = ap.parse_args(argv)
    from plant.model import load_params

    params = load_params()
    cold = cold_cli()
    single = warm_single(params)
    first, warm = batch(params, args.samples)
    print(f"cold CLI 'plant run --json'      {cold:8.3f} s")
    print(f"warm single evaluation           {single * 1e3:8.3f} ms")
    print(f"batch N={args.samples:,}, first call     {first:8.3f} s  ({args.samples / first:,.0f} scenarios/s)")
    print(f"batch N={args.samples:,}, warm (median)  {warm:8.3f} s  ({args.samples / warm:,.0f} scenarios/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
