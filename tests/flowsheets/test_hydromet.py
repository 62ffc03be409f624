"""The hydrometallurgical route alone: element closure, products, batch evaluation, route
options."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plant import energy, model
from plant.params import with_values
from plant.paths import PARAMS_DIR
from plant.stream import Stream

TOL = 1e-9


def test_base_case_closes_and_meets_the_design_basis(base):
    r = model.run(base, "hydromet")
    assert r.max_imbalance() < TOL
    assert r.imbalance() < TOL
    # design basis: ~3,000 t/yr magnet scrap -> ~1,000 t/yr REO (ree-data sec. 7: 0.362 kg REO/kg,
    # 90-95 % recovery)
    assert 900 < float(r.reo_t_per_yr()) < 1100
    names = [p.name for p in r.products]
    # Tb and Dy separated; no La/Ce in the base feed, so no light circuit (light to heavy)
    assert names == ["NdPr_oxide", "Tb_oxide", "Dy_oxide"]
    for prod in r.products:
        assert float(r.purity(prod)) > 0.99, prod.name
    rec = r.rare_earth_recovery()
    assert 0.75 < float(rec["Nd"]) < 0.95


def test_every_stream_is_named_once_and_outputs_are_terminal(base):
    r = model.run(base, "hydromet")
    assert {f"calcination_{f}.product" for f in ("NdPr", "Tb", "Dy")} <= set(r.outputs)
    assert all(f"sorting.scrap_{n}" in r.feeds for n in base.feed.sources)
    assert not set(r.feeds) & set(r.outputs)
    table = r.stream_table()
    assert list(table.columns) == list(r.streams)
    assert "T [degC]" in table.index and "total [kg/h]" in table.index


SCENARIOS = PARAMS_DIR / "scenarios"


@pytest.mark.parametrize(
    "files, overrides",
    [
        (["no_roast.toml"], []),
        (["sulfuric.toml"], []),
        (["sulfuric.toml", "no_roast.toml"], ["leaching.liquid_to_solid=10 L/kg"]),
    ],
)
def test_route_options_close_the_balance(files, overrides):
    p = model.load_params(*(SCENARIOS / f for f in files), overrides=overrides)
    r = model.run(p, "hydromet")
    assert r.max_imbalance() < TOL
    assert float(r.reo_t_per_yr()) > 500


def test_without_roasting_more_iron_dissolves_and_more_acid_is_used(base):
    roasted = model.run(base, "hydromet")
    metallic = model.run(
        with_values(base, {"roasting.enabled": False, "leaching.liquid_to_solid": 8e-3}), "hydromet"
    )
    acid = lambda r: float(r.units["leaching"].reagents["HCl"])
    assert acid(metallic) > 2 * acid(roasted)


def sample(base, n, seed):
    rng = np.random.default_rng(seed)
    shape = (n,) if n else ()

    def u(lo, hi):
        v = rng.uniform(lo, hi, shape)
        return v if n else float(v)

    return {
        "leaching.acid_excess": u(1.0, 2.0),
        "leaching.dissolution_oxide.Nd": u(0.5, 1.0),
        "leaching.dissolution_oxide.Fe": u(0.0, 0.5),
        "leaching.liquid_to_solid": u(0.003, 0.01),
        "leach_filter.cake_moisture": u(0.1, 0.5),
        "leach_filter.wash_ratio": u(0.0, 4.0),
        "impurity_removal.target_pH": u(2.5, 5.0),
        "impurity_removal.rare_earth_loss": u(0.0, 0.1),
        "oxalate_precipitation.oxalic_excess": u(0.8, 1.6),
        "oxalate_filter.wash_efficiency": u(0.3, 0.9),
        "calcination.co_burnout": u(0.0, 1.0),
        "feed.sources.swarf.magnet_flow": u(0.0, 0.1),
        "feed.sources.hdd.liberation_recovery": u(0.0, 1.0),
        "roasting.conversion": u(0.8, 1.0),
        "plant.availability": u(0.5, 1.0),
        "calcination.temperature": u(1100.0, 1250.0),
        "leaching.temperature": u(330.0, 390.0),
        "energy.natural_gas.excess_air": u(1.0, 1.5),
        "energy.heating.leaching.flue_gas_temperature": u(400.0, 600.0),
        "energy.power.agitation": u(100.0, 2000.0),
        "sorting.split": u(0.0, 1.0),
        "feed.sources.motor.short_loop_share": u(0.0, 1.0),
        "hydrogen_decrepitation.degassing_temperature": u(800.0, 950.0),
        "jet_milling.oxygen_pickup": u(0.0, 0.005),
        "blending.rare_earth_margin": u(0.0, 0.02),
        "sintering.temperature": u(1300.0, 1390.0),
        "machining.machining_loss": u(0.05, 0.5),
        "energy.heating.sintering.wall_heat_transfer": u(5.0, 30.0),
    }


@pytest.fixture(scope="module")
def constant_d():
    """Base parameters with the solvent extraction in constant-D mode (solves for any valid
    input)."""
    return model.load_params(
        overrides=[
            "solvent_extraction.mode=constant_D",
            "solvent_extraction.heavy.saponification=0",
        ]
    )


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), roast=st.booleans(), route=st.sampled_from(model.ROUTES))
def test_flowsheet_conserves_every_element_on_random_parameters(constant_d, seed, roast, route):
    p = with_values(
        constant_d,
        {
            **sample(constant_d, 8, seed),
            "roasting.enabled": roast,
            "leaching.liquid_to_solid": np.full(8, 0.02),
        },
    )
    r = model.run(p, route)
    assert r.max_imbalance() < TOL
    for s in r.streams.values():
        assert np.all(s.flows >= 0)


def _leaves(d, prefix=""):
    """Numeric entries of a unit's typed record (equipment, reagents, heating, circuit, ...), by
    dotted key."""
    if dataclasses.is_dataclass(d) and not isinstance(d, type):
        d = {f.name: getattr(d, f.name) for f in dataclasses.fields(d)}
    elif isinstance(d, (list, tuple)) and any(dataclasses.is_dataclass(v) for v in d):
        d = {str(i): v for i, v in enumerate(d)}
    for k, v in d.items():
        if k in ("inlets", "outlets"):
            continue
        if (
            isinstance(v, dict)
            or dataclasses.is_dataclass(v)
            or (isinstance(v, tuple) and any(dataclasses.is_dataclass(x) for x in v))
        ):
            yield from _leaves(v, f"{prefix}{k}.")
        elif isinstance(v, Stream):
            yield f"{prefix}{k}.flows", v.flows
        elif v is not None and not isinstance(v, (str, bool, int, tuple)):
            yield f"{prefix}{k}", v


def _assert_batch_equals_scalars(p, values, n, rtol):
    pb = with_values(p, values)
    batch = model.run(pb)
    batch_energy = energy.evaluate(batch, pb.energy).summary()
    for i in range(n):
        pi = with_values(p, {k: float(v[i]) for k, v in values.items()})
        scalar = model.run(pi)
        for key, v in energy.evaluate(scalar, pi.energy).summary().items():
            b = np.asarray(batch_energy[key])
            np.testing.assert_allclose(
                b[i] if b.ndim else b, v, rtol=rtol, atol=1e-9, err_msg=f"energy {key}"
            )
        np.testing.assert_allclose(batch.reo_t_per_yr()[i], scalar.reo_t_per_yr(), rtol=rtol)
        for name, s in scalar.streams.items():
            b = batch.streams[
                name
            ].flows  # streams upstream of the varied parameters carry no batch axis
            np.testing.assert_allclose(b[i] if b.ndim == 2 else b, s.flows, rtol=rtol, atol=1e-300)
        bd = {u: dict(_leaves(res)) for u, res in batch.units.items()}
        for u, res in scalar.units.items():
            for key, v in _leaves(res):
                b = np.asarray(bd[u][key])
                np.testing.assert_allclose(
                    b[i] if b.ndim and b.shape[0] == n else b, v, rtol=rtol, atol=1e-12
                )


def test_batch_of_n_equals_n_scalar_runs(constant_d):
    n = 6
    _assert_batch_equals_scalars(constant_d, sample(constant_d, n, seed=7), n, rtol=1e-12)


def test_batch_equals_scalar_runs_in_pH_mode(base):
    """pH mode: every sample converges to 1e-10 on its own path, so agreement is to that
    tolerance. The circuits as their sections state: a designed train gives a batch one set of
    stages for all its samples, and each sample's flows land where its controller stops."""
    base = with_values(base, {"solvent_extraction.train": "as_given"})
    rng = np.random.default_rng(3)
    n = 3
    values = {
        "leaching.acid_excess": rng.uniform(1.1, 1.5, n),
        "oxalate_precipitation.oxalic_excess": rng.uniform(1.0, 1.4, n),
        "solvent_extraction.heavy.organic_ratio": rng.uniform(0.48, 0.52, n),
    }
    _assert_batch_equals_scalars(base, values, n, rtol=1e-7)


def test_more_oxalic_acid_recovers_more_rare_earth(base):
    lo = model.run(with_values(base, {"oxalate_precipitation.oxalic_excess": 1.0}), "hydromet")
    hi = model.run(with_values(base, {"oxalate_precipitation.oxalic_excess": 1.4}), "hydromet")
    assert float(hi.reo_t_per_yr()) > float(lo.reo_t_per_yr())
    # 98.1 / 93 % (Klemettinen et al. 2023) is nearly the whole difference; the rest is the
    # dissolved rare earth entrained in the oxalate cake, which also reports to the product
    assert float(hi.reo_t_per_yr()) / float(lo.reo_t_per_yr()) == pytest.approx(
        0.981 / 0.93, rel=2e-4
    )
