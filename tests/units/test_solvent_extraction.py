"""Constant-D countercurrent cascade: Kremser, conservation, monotone purity, batch, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plant.errors import PlantError
from plant.units.solvent_extraction import solve_cascade

LIGHT, HEAVY = ("Pr", "Nd"), ("Tb", "Dy")


@pytest.mark.parametrize("E, N", [(0.5, 1), (2.0, 5), (1.5, 12), (0.8, 30), (3.0, 3)])
def test_extraction_only_against_kremser(E, N):
    # Kremser equation (countercurrent, solute-free solvent): fraction left in the raffinate
    # = (E - 1) / (E**(N+1) - 1), E = D O / A
    # (Treybal, Mass-Transfer Operations, 3rd ed., eq. 10.52)
    A, O = 1e-3, 2e-3
    r = solve_cascade({"Nd": 0.7}, {"Nd": E * A / O}, N, 0, A, O, 0.0)
    assert r.raffinate["Nd"] / 0.7 == pytest.approx((E - 1) / (E ** (N + 1) - 1), rel=1e-12)


def test_kremser_at_unit_extraction_factor():
    # limit E -> 1: fraction left = 1 / (N + 1)
    r = solve_cascade({"Nd": 1.0}, {"Nd": 1.0}, 9, 0, 1e-3, 1e-3, 0.0)
    assert r.raffinate["Nd"] == pytest.approx(0.1, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_e=st.integers(1, 40),
    n_s=st.integers(0, 40),
    batch=st.booleans(),
)
def test_every_stage_and_the_cascade_conserve(seed, n_e, n_s, batch):
    rng = np.random.default_rng(seed)
    shape = (4,) if batch else ()
    elements = [
        "La",
        "Ce",
        "Pr",
        "Nd",
        "Sm",
        "Gd",
        "Tb",
        "Dy",
        "Fe",
        "Co",
        "Ni",
        "Al",
        "Cu",
        "Na",
        "B",
    ][: rng.integers(1, 16)]
    feed = {e: rng.uniform(0, 2, shape) for e in elements}
    D = {e: 10 ** rng.uniform(-4, 4, shape) for e in elements}
    r = solve_cascade(
        feed,
        D,
        n_e,
        n_s,
        rng.uniform(1e-4, 1e-2, shape),
        rng.uniform(1e-4, 1e-2, shape),
        rng.uniform(1e-5, 1e-3, shape) if n_s else 0.0,
    )
    assert r.max_stage_imbalance < 1e-9
    for e in elements:
        out = r.raffinate[e] + r.loaded_organic[e]
        np.testing.assert_allclose(out, feed[e], rtol=1e-9, atol=1e-300)
        assert np.all(r.aqueous[e] >= 0) and np.all(r.organic[e] >= 0)


def split(n_e, n_s):
    feed = {"Pr": 0.2, "Nd": 0.8, "Tb": 0.01, "Dy": 0.08}
    D = {
        "Pr": 0.35,
        "Nd": 0.5,
        "Tb": 6.5,
        "Dy": 13.5,
    }  # Dy/Nd = 27, Dy/Tb = 2.1, Nd/Pr = 1.4 (ree-data sec. 3)
    # scrub: E_Nd = 0.5 x 0.8/0.6 < 1 < E_Tb; extraction: E_Nd = 0.25 < 1 < E_Tb = 3.25
    return solve_cascade(feed, D, n_e, n_s, 1e-3, 0.8e-3, 0.6e-3)


def purity(flows, names):
    return sum(flows[e] for e in names) / sum(flows.values())


def test_more_extraction_stages_never_lower_raffinate_purity():
    p = [purity(split(n, 6).raffinate, LIGHT) for n in range(1, 30)]
    assert all(b >= a - 1e-15 for a, b in zip(p, p[1:]))
    assert p[-1] > 0.999


def test_more_scrub_stages_never_lower_loaded_organic_purity():
    p = [purity(split(12, n).loaded_organic, HEAVY) for n in range(0, 30)]
    assert all(b >= a - 1e-15 for a, b in zip(p, p[1:]))
    assert p[-1] > 0.99


def test_batch_of_n_equals_n_scalar_solves():
    rng = np.random.default_rng(3)
    n = 5
    feed = {"Nd": rng.uniform(0.1, 1, n), "Dy": rng.uniform(0.01, 0.1, n)}
    D = {"Nd": rng.uniform(0.2, 2, n), "Dy": rng.uniform(5, 30, n)}
    aq, org, sc = rng.uniform(5e-4, 2e-3, n), rng.uniform(5e-4, 2e-3, n), rng.uniform(1e-4, 3e-4, n)
    b = solve_cascade(feed, D, 15, 12, aq, org, sc)
    for i in range(n):
        s = solve_cascade(
            {k: v[i] for k, v in feed.items()},
            {k: v[i] for k, v in D.items()},
            15,
            12,
            aq[i],
            org[i],
            sc[i],
        )
        for e in feed:
            assert b.raffinate[e][i] == pytest.approx(float(s.raffinate[e]), rel=1e-13)
            np.testing.assert_allclose(b.aqueous[e][i], s.aqueous[e], rtol=1e-12)


def test_profiles_have_one_value_per_stage():
    r = split(10, 7)
    assert r.aqueous["Nd"].shape == (17,) and r.organic["Dy"].shape == (17,)
    np.testing.assert_allclose(r.organic["Dy"], r.D["Dy"] * r.aqueous["Dy"])


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"feed": {"Xx": 1.0}, "D": {"Xx": 1.0}}, "unknown element 'Xx'"),
        ({"D": {"Nd": 1.0, "Dy": 2.0, "Tb": 3.0}}, "same elements"),
        ({"aqueous_flow": -1e-3}, "aqueous_flow must be > 0"),
        ({"organic_flow": 0.0}, "organic_flow must be > 0"),
        ({"scrub_flow": 0.0}, "scrub_flow must be > 0"),
        ({"feed": {"Nd": -1.0, "Dy": 0.1}}, "feed[Nd] must be >= 0"),
        ({"D": {"Nd": 0.0, "Dy": 2.0}}, "D[Nd] must be > 0"),
        ({"n_extraction": 0}, "n_extraction >= 1"),
    ],
)
def test_bad_input_is_a_clear_error(kwargs, words):
    args = dict(
        feed={"Nd": 1.0, "Dy": 0.1},
        D={"Nd": 0.5, "Dy": 8.0},
        n_extraction=5,
        n_scrub=5,
        aqueous_flow=1e-3,
        organic_flow=1e-3,
        scrub_flow=1e-4,
    )
    args.update(kwargs)
    with pytest.raises(PlantError) as exc:
        solve_cascade(**args)
    assert words in str(exc.value)
