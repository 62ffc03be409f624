"""Every element is conserved through every unit, on random valid inputs (relative
imbalance < 1e-9)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plant.chemistry import ACIDS, RARE_EARTHS
from plant.model import load_params
from plant.params import with_values
from plant.stream import Stream
from plant.units import (
    acid_adjustment,
    blending,
    calcination,
    coating_removal,
    concentrate_dissolution,
    feed_preparation,
    hydrogen_decrepitation,
    impurity_removal,
    jet_milling,
    leaching,
    machining,
    oxalate_precipitation,
    roasting,
    sintering,
    solid_liquid,
    solvent_extraction,
    sorting,
)
from plant.units.common import liquor_volume_flow
from plant.units.record import mix
from tests.units import random_inputs as ri

TOL = 1e-9
seeds = st.integers(0, 2**32 - 1)
cases = settings(max_examples=40, deadline=None)


def check(result):
    """The unit conserves every element, and no stream has a negative or non-finite flow."""
    assert result.imbalance() < TOL, f"{result.kind}: imbalance {result.imbalance():.2e}"
    for port, s in (*result.inlets.items(), *result.outlets.items()):
        assert np.all(s.flows >= 0) and np.all(np.isfinite(s.flows)), f"{result.kind}.{port}"


@cases
@given(seed=seeds, scalar=st.booleans())
def test_sorting(base, reg, seed, scalar):
    rng = np.random.default_rng(seed)
    shape = ri.batch_shape(rng, scalar)
    values = {}
    for name in base.feed.sources:
        for key, (lo, hi) in {
            "magnet_flow": (0, 0.05),
            "liberation_recovery": (0, 1),
            "short_loop_share": (0, 1),
        }.items():
            values[f"sources.{name}.{key}"] = rng.uniform(lo, hi, shape)
    sources = with_values(base.feed, values).sources
    split = with_values(base.sorting, {"split": rng.uniform(0, 1, shape)})
    check(sorting.run(sources, split, rng.uniform(0.5, 1.0, shape), reg))


@cases
@given(seed=seeds, scalar=st.booleans())
def test_feed_preparation(base, reg, seed, scalar):
    rng = np.random.default_rng(seed)
    shape = ri.batch_shape(rng, scalar)
    check(
        feed_preparation.run(
            ri.alloy(rng, reg, shape, hydrogen=True), ri.perturb(rng, base.feed, shape)
        )
    )


def _hydrogen(base, rng, shape):
    hd = ri.perturb(rng, base.hydrogen_decrepitation, shape, skip=("retained_hydrogen",))
    return with_values(
        hd, {"retained_hydrogen": rng.uniform(0, 1, shape) * hd.grain_boundary_hydrogen}
    )


SHORT_LOOP = {
    "hydrogen_decrepitation": lambda base, reg, rng, shape: hydrogen_decrepitation.decrepitate(
        ri.alloy(rng, reg, shape), _hydrogen(base, rng, shape)
    ),
    "degassing": lambda base, reg, rng, shape: hydrogen_decrepitation.degas(
        ri.alloy(rng, reg, shape, hydrogen=True), _hydrogen(base, rng, shape)
    ),
    "coating_removal": lambda base, reg, rng, shape: coating_removal.run(
        ri.alloy(rng, reg, shape, hydrogen=True), ri.perturb(rng, base.coating_removal, shape)
    ),
    "jet_milling": lambda base, reg, rng, shape: jet_milling.run(
        ri.alloy(rng, reg, shape, hydrogen=True),
        with_values(
            ri.perturb(rng, base.jet_milling, shape),
            {"oxygen_pickup": rng.uniform(0, 0.003, shape)},
        ),
    ),
    "blending": lambda base, reg, rng, shape: blending.run(
        ri.alloy(rng, reg, shape, hydrogen=True),
        ri.alloy(rng, reg, shape),
        with_values(
            ri.perturb(rng, base.blending, shape),
            {"form": str(rng.choice(["metal", "hydride"]))},
        ),
    ),
    "sintering": lambda base, reg, rng, shape: sintering.sinter(
        ri.alloy(rng, reg, shape, hydrogen=True), ri.perturb(rng, base.sintering, shape)
    ),
    "annealing": lambda base, reg, rng, shape: sintering.anneal(
        ri.alloy(rng, reg, shape), ri.perturb(rng, base.annealing, shape)
    ),
    "machining": lambda base, reg, rng, shape: machining.run(
        ri.alloy(rng, reg, shape), ri.perturb(rng, base.machining, shape)
    ),
    "mixer": lambda base, reg, rng, shape: mix(
        {"a": ri.alloy(rng, reg, shape), "b": ri.solids(rng, reg, shape)}
    ),
}
"""Each short-loop unit (and the mixer) on random valid inputs, one test each."""


@pytest.mark.parametrize("unit", sorted(SHORT_LOOP))
@cases
@given(seed=seeds, scalar=st.booleans())
def test_short_loop_unit(base, reg, unit, seed, scalar):
    rng = np.random.default_rng(seed)
    check(SHORT_LOOP[unit](base, reg, rng, ri.batch_shape(rng, scalar)))


@cases
@given(seed=seeds, scalar=st.booleans(), enabled=st.booleans())
def test_roasting(base, reg, seed, scalar, enabled):
    rng = np.random.default_rng(seed)
    shape = ri.batch_shape(rng, scalar)
    p = with_values(ri.perturb(rng, base.roasting, shape), {"enabled": enabled})
    check(roasting.run(ri.solids(rng, reg, shape) + ri.alloy(rng, reg, shape, hydrogen=True), p))


@cases
@given(seed=seeds, scalar=st.booleans(), acid=st.sampled_from(ACIDS))
def test_leaching(base, reg, seed, scalar, acid):
    rng = np.random.default_rng(seed)
    shape = ri.batch_shape(rng, scalar)
    p = ri.perturb(rng, base.leaching, shape)
    frac = {
        f"dissolution_{kind}.{e}": rng.uniform(0, 1, shape)
        for kind in ("metal", "oxide")
        for e in p.dissolution_metal
    }
    # liquor volume generous enough for any acid dose drawn here
    p = with_values(p, {**frac, "acid": acid, "liquid_to_solid": rng.uniform(0.02, 0.05, shape)})
    check(leaching.run(ri.solids(rng, reg, shape), p))


@cases
@given(seed=seeds, scalar=st.booleans(), acid=st.sampled_from(ACIDS))
def test_solid_liquid(base, reg, seed, scalar, acid):
    rng = np.random.default_rng(seed)
    shape = ri.batch_shape(rng, scalar)
    slurry = ri.slurry(rng, reg, shape, acid)
    masks = reg.phase_masks
    solids = slurry.mass_of(masks["solid"])
    liquor = slurry.mass_of(masks["aqueous"] | masks["liquid"])
    # a cake that the slurry's liquor can fill (a wetter one is refused, tested in
    # test_stoichiometry)
    most = np.minimum(liquor / (liquor + solids), 0.95)
    p = ri.perturb(rng, base.leach_filter, shape)
    p = with_values(p, {"cake_moisture": rng.uniform(0.0, 1.0, shape) * most})
    check(solid_liquid.run(slurry, p))


@cases
@given(seed=seeds, scalar=st.booleans(), acid=st.sampled_from(ACIDS))
def test_impurity_removal(base, reg, seed, scalar, acid):
    rng = np.random.default_rng(seed)
    shape = ri.batch_shape(rng, scalar)
    p = ri.perturb(rng, base.impurity_removal, shape, skip=("solubility_products",))
    p = with_values(p, {"target_pH": rng.uniform(1.0, 6.0, shape)})
    check(impurity_removal.run(ri.liquor(rng, reg, shape, acid), p, acid))


@cases
@given(seed=seeds, scalar=st.booleans(), acid=st.sampled_from(ACIDS))
def test_acid_adjustment(base, reg, seed, scalar, acid):
    rng = np.random.default_rng(seed)
    shape = ri.batch_shape(rng, scalar)
    p = ri.perturb(rng, base.acid_adjustment, shape)
    check(acid_adjustment.run(ri.liquor(rng, reg, shape, acid), p, acid))


@cases
@given(seed=seeds, scalar=st.booleans(), acid=st.sampled_from(ACIDS))
def test_oxalate_precipitation(base, reg, seed, scalar, acid):
    rng = np.random.default_rng(seed)
    shape = ri.batch_shape(rng, scalar)
    p = ri.perturb(rng, base.oxalate_precipitation, shape)
    p = with_values(
        p,
        {
            "oxalic_excess": rng.uniform(0.0, 2.0, shape),
            "coprecipitation.Co": rng.uniform(0, 1, shape),
            "coprecipitation.Ni": rng.uniform(0, 1, shape),
        },
    )
    check(oxalate_precipitation.run(ri.liquor(rng, reg, shape, acid), p, acid))


@cases
@given(seed=seeds, scalar=st.booleans())
def test_calcination(base, reg, seed, scalar):
    rng = np.random.default_rng(seed)
    shape = ri.batch_shape(rng, scalar)
    p = ri.perturb(rng, base.calcination, shape)
    result = calcination.run(ri.cake(rng, reg, shape), p)
    check(result)
    # nothing aqueous or liquid survives calcination
    masks = reg.phase_masks
    assert np.all(result.outlets["product"].flows[..., masks["aqueous"] | masks["liquid"]] == 0)


@pytest.mark.slow
@cases
@given(
    seed=seeds,
    scalar=st.booleans(),
    acid=st.sampled_from(ACIDS),
    reagent=st.sampled_from(("NaOH", "NH3")),
)
def test_solvent_extraction(reg, seed, scalar, acid, reagent):
    """Constant-D mode, which solves any valid input; pH-mode stages are checked in
    test_sx_circuit."""
    rng = np.random.default_rng(seed)
    shape = ri.batch_shape(rng, scalar)
    base = load_params(
        overrides=[
            "solvent_extraction.mode=constant_D",
            f"solvent_extraction.saponification_reagent={reagent}",
        ]
    )
    p = ri.perturb(rng, base.solvent_extraction, shape)
    liquor = ri.liquor(rng, reg, shape, acid)
    # enough strip acid for every rare earth, no saponification beyond the free acid (else
    # InfeasibleError, tested in test_sx_circuit): the inputs stay valid
    volume = liquor_volume_flow(liquor, p.liquor_density)
    re = sum(liquor.element(e) for e in RARE_EARTHS)
    strip_ratio = 2.0 * 3.0 * re / (volume * np.asarray(p.heavy.strip_acid)) + rng.uniform(
        0.02, 0.5, shape
    )
    values = {
        "heavy.organic_ratio": rng.uniform(0.1, 3.0, shape),
        "heavy.scrub_ratio": rng.uniform(0.01, 1.0, shape),
        "heavy.strip_ratio": strip_ratio,
        "heavy.saponification": np.zeros(shape) if shape else 0.0,
    }
    check(solvent_extraction.run(liquor, with_values(p, values), "heavy", acid, ("Nd", "Dy")))


@cases
@given(seed=seeds, scalar=st.booleans(), acid=st.sampled_from(ACIDS))
def test_concentrate_dissolution(base, reg, seed, scalar, acid):
    rng = np.random.default_rng(seed)
    shape = ri.batch_shape(rng, scalar)
    p = ri.perturb(rng, base.concentrate_dissolution, shape)
    frac = {
        f"dissolution_{kind}.{e}": rng.uniform(0, 1, shape)
        for kind, table in (("carbonate", p.dissolution_carbonate), ("oxide", p.dissolution_oxide))
        for e in table
    }
    p = with_values(p, {**frac, "liquid_to_solid": rng.uniform(0.02, 0.05, shape)})
    names = [f"{e}2(CO3)3" for e in RARE_EARTHS] + [
        "La2O3",
        "CeO2",
        "Pr6O11",
        "Nd2O3",
        "Fe2O3",
        "Al2O3",
        "ThO2",
        "UO3",
        "SiO2",
    ]
    concentrate = Stream.owned(ri.flows(rng, reg, names, shape), registry=reg)
    check(concentrate_dissolution.run(concentrate, p, acid))
