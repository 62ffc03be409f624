"""Monte Carlo: seeded and reproducible, a batch equals scalar runs, the SX stand-in is exact at the
calibration point, Dask gives the in-process numbers, and bad requests are refused clearly."""

import numpy as np
import pytest

from plant import model
from plant.analysis import batch, montecarlo
from plant.errors import ParamError
from plant.params import with_values


@pytest.fixture(scope="module")
def mc(base):
    return montecarlo.run(base, 400, seed=7)


def test_summary_has_percentiles_and_probabilities(mc):
    s = mc.summary()
    assert s["samples"] == 400 and s["seed"] == 7
    for key in batch.OUTPUTS:
        assert set(s[key]) >= {"p10", "p50", "p90", "mean", "sd"}
    npv = mc.outputs["npv_usd"].to_numpy()
    assert s["npv_usd"]["p10"] == pytest.approx(np.percentile(npv, 10))
    assert s["npv_usd"]["p10"] < s["npv_usd"]["p50"] < s["npv_usd"]["p90"]
    assert s["probability"]["npv_positive"] == pytest.approx(np.mean(npv > 0))
    assert s["probability"]["target_met"] == pytest.approx(mc.outputs["target_met"].mean())
    assert not mc.outputs[list(batch.OUTPUTS)].drop(columns="irr").isna().any().any()


@pytest.mark.slow
def test_same_seed_same_numbers_other_seed_other_numbers(base, mc):
    again = montecarlo.run(base, 400, seed=7)
    assert again.outputs.equals(mc.outputs) and again.inputs.equals(mc.inputs)
    other = montecarlo.run(base, 400, seed=8)
    assert not np.allclose(other.outputs["npv_usd"], mc.outputs["npv_usd"])


def test_batch_equals_scalar_runs_of_the_same_model(base):
    ins = montecarlo.inputs_of(base)
    u = np.random.default_rng(2).random((4, len(ins)))
    values = batch.design_values(ins, u)
    m = batch.plant_model(base, inputs=ins)
    many = m(values)
    for i in range(4):
        one = m({k: v[i : i + 1] for k, v in values.items()})
        for key in ("npv_usd", "cost_usd_per_kg_reo", "reo_t_per_yr", "purity.NdPr_oxide"):
            assert one[key][0] == pytest.approx(many[key][i], rel=1e-9), key


def test_the_stand_in_is_exact_at_its_calibration_point(base):
    exact = batch.outputs(model.evaluate(base))
    stand = batch.outputs(model.evaluate(batch.stand_in(base)))
    for key in (
        "npv_usd",
        "cost_usd_per_kg_reo",
        "purity.NdPr_oxide",
        "purity.Tb_oxide",
        "purity.Dy_oxide",
        "reo_t_per_yr",
    ):
        assert float(stand[key]) == pytest.approx(float(exact[key]), rel=1e-6), key


def test_the_stand_in_conserves_every_element_on_sampled_inputs(base):
    ins = montecarlo.inputs_of(base)
    m = batch.plant_model(base, inputs=ins)
    values = batch.design_values(ins, np.random.default_rng(5).random((50, len(ins))))
    values.update(m.linear.ratios(values, 50))
    ev = model.evaluate(with_values(m.params, values))
    assert np.max(ev.flowsheet.max_imbalance()) < 1e-9


@pytest.mark.slow
def test_dask_gives_the_in_process_numbers(base):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = montecarlo.run(base, 300, seed=3, scheduler=cluster.scheduler_address, chunk=100)
        default = montecarlo.run(base, 300, seed=3, scheduler=cluster.scheduler_address)
    local = montecarlo.run(base, 300, seed=3, chunk=100)
    assert remote.inputs.equals(local.inputs)
    # the same numbers to the last bits the workers' own process-level caches can change (~1e-16);
    # the IRR, a root found to IRR_TOLERANCE, can move by up to that tolerance with those bits
    from plant.costing.finance import IRR_TOLERANCE

    for other in (remote, default):
        assert (other.outputs["failure"] == local.outputs["failure"]).all()
        for key in local.outputs.drop(columns="failure"):
            a, b = (
                other.outputs[key].to_numpy(dtype=float),
                local.outputs[key].to_numpy(dtype=float),
            )
            atol = 2 * IRR_TOLERANCE if key == "irr" else 0.0
            assert np.allclose(a, b, rtol=1e-12, atol=atol, equal_nan=True), key


@pytest.mark.parametrize("samples", [0, -5, 2.5])
def test_a_sample_count_below_one_is_refused(base, samples):
    with pytest.raises(ParamError, match="whole number of samples from 1"):
        montecarlo.run(base, samples)


def test_an_unknown_input_name_is_refused(base):
    with pytest.raises(ParamError) as e:
        montecarlo.run(base, 10, names=["ndpr_prize"])
    assert "ndpr_prize" in str(e.value) and "ndpr_price" in str(e.value)


def test_the_default_monte_carlo_agrees_with_the_pH_model(base):
    """The stand-in (constant D, calibrated along each input) against the full pH model on the
    same seed: each product on spec in the same samples (at least 99 %), its on-spec share within
    0.02, and the median NPV within 1 %."""
    fast = montecarlo.run(base, 150, seed=7)
    full = montecarlo.run(base, 150, seed=7, sx="pH")
    assert fast.failures.count == full.failures.count == 0
    prob_fast, prob_full = fast.probability()["on_spec"], full.probability()["on_spec"]
    assert set(prob_fast) == {"Tb_oxide", "Dy_oxide", "NdPr_oxide"} == set(prob_full)
    for product in prob_fast:
        same = fast.outputs[f"on_spec.{product}"] == full.outputs[f"on_spec.{product}"]
        assert same.mean() >= 0.99, product
        assert abs(prob_fast[product] - prob_full[product]) <= 0.02, product
    p50 = lambda mc: float(np.median(mc.outputs["npv_usd"]))
    assert p50(fast) == pytest.approx(p50(full), rel=0.01)
