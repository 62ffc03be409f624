"""Sensitivity: Sobol indices of the Ishigami function against the analytical values, Morris and the
tornado on a linear function, and the plant's tornado around the files' values."""

import numpy as np
import pytest

from plant import model
from plant.analysis import batch, montecarlo, sensitivity
from plant.errors import ParamError
from plant.params.distributions import Distribution, Input


def uniform(name, low, high):
    return Input(
        Distribution(name, name, (name,), "uniform", (low, high), False, "test"),
        (0.5 * (low + high),),
        -np.inf,
        np.inf,
    )


def ishigami(v, a=7.0, b=0.1):
    x1, x2, x3 = v["x1"], v["x2"], v["x3"]
    return {"y": np.sin(x1) + a * np.sin(x2) ** 2 + b * x3**4 * np.sin(x1)}


def test_sobol_indices_of_ishigami_against_the_analytical_values():
    # Ishigami & Homma 1990; the indices for a = 7, b = 0.1 from its closed-form partial variances
    # (V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V13 = b^2 pi^8 (1/18 - 1/50)):
    # S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437
    inputs = [uniform(f"x{i}", -np.pi, np.pi) for i in (1, 2, 3)]
    df = sensitivity.sobol(ishigami, inputs, 8192, seed=1, outputs=("y",))["y"]
    assert df["S1"].to_numpy() == pytest.approx([0.3139, 0.4424, 0.0], abs=0.02)
    assert df["ST"].to_numpy() == pytest.approx([0.5576, 0.4424, 0.2437], abs=0.02)


def linear(v):
    return {"y": 3.0 * v["a"] - 1.0 * v["b"] + 0.0 * v["c"]}


def test_morris_and_tornado_rank_a_linear_function():
    inputs = [uniform("a", 0, 1), uniform("b", 0, 1), uniform("c", 0, 1)]
    mo = sensitivity.morris(linear, inputs, 20, seed=0, outputs=("y",))["y"]
    assert list(mo.index) == ["a", "b", "c"]
    span = 0.95 - 0.05  # the Morris grid's probability range
    assert mo.loc["a", "mu_star"] == pytest.approx(3.0 * span) and mo.loc["c", "mu_star"] == 0.0
    assert mo.loc["a", "sigma"] == pytest.approx(0.0, abs=1e-12)  # no interaction
    tor = sensitivity.tornado(linear, inputs, "y")
    assert list(tor["input"]) == ["a", "b", "c"]
    assert tor.loc[0, "swing"] == pytest.approx(3.0 * 0.8) and tor.loc[1, "swing"] == pytest.approx(
        0.8
    )
    assert tor.loc[0, "base"] == pytest.approx(3.0 * 0.5 - 0.5)


def test_a_tornado_range_with_low_above_high_is_refused():
    with pytest.raises(ParamError, match="low <= high"):
        sensitivity.tornado(linear, [uniform("a", 0, 1)], "y", ranges={"a": (0.9, 0.1)})


def test_sobol_needs_a_power_of_two():
    with pytest.raises(ParamError, match="power of 2"):
        sensitivity.sobol(linear, [uniform("a", 0, 1)], 100, outputs=("y",))


def test_plant_tornado_starts_from_the_files_values(base):
    ins = montecarlo.inputs_of(base)
    tor = sensitivity.tornado(batch.plant_model(base, inputs=ins), ins, "npv_usd")
    npv = float(model.evaluate(base).economics.summary()["npv_usd"])
    assert tor["base"].iloc[0] == pytest.approx(npv, rel=1e-6)
    assert (tor["swing"].diff().dropna() <= 0).all() and tor["swing"].iloc[0] > 0
    rate = tor.set_index("input").loc["discount_rate"]
    assert (
        rate["output_high"] > rate["output_low"]
    )  # a loss-making plant loses less at a higher rate
