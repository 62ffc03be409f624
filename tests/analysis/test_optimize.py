"""Optimisation: the known optimum of a small case (found by enumeration), infeasibility explained,
and bad variables refused."""

import pytest

from plant import model
from plant.analysis import optimize
from plant.analysis.batch import outputs
from plant.errors import ParamError
from plant.params import with_values

STAGES = ("solvent_extraction.heavy.n_extraction", "solvent_extraction.heavy.n_scrub")


@pytest.fixture(scope="module")
def constant_d():
    """Constant-D mode at fixed flows (no scrub controller), where the stage counts decide."""
    p = model.load_params(overrides=["solvent_extraction.mode=constant_D"])
    return with_values(
        p,
        {
            "solvent_extraction.heavy.strip_purity_setpoint": None,
            "solvent_extraction.heavy.organic_ratio": 0.74,
            "solvent_extraction.heavy.scrub_ratio": 0.655,
            "solvent_extraction.heavy.n_extraction": 12,
            "solvent_extraction.heavy.n_scrub": 12,
        },
    )


def test_finds_the_cheapest_stage_counts_that_meet_the_purity_spec(constant_d):
    best = None
    for ne in range(2, 11):
        for ns in range(2, 11):
            o = outputs(model.evaluate(with_values(constant_d, {STAGES[0]: ne, STAGES[1]: ns})))
            ok = min(float(o[f"purity.{p}"]) for p in optimize.SEPARATED if f"purity.{p}" in o)
            ok = ok >= 0.995
            if ok and (best is None or float(o["cost_usd_per_kg_reo"]) < best[0]):
                best = (float(o["cost_usd_per_kg_reo"]), ne, ns)
    r = optimize.optimize(
        constant_d, "cost", [optimize.variable(k, "2", "10") for k in STAGES], target=False
    )
    assert r.feasible
    assert (r.values[STAGES[0]], r.values[STAGES[1]]) == best[1:]
    assert r.objective_value == pytest.approx(best[0], rel=1e-12)
    assert r.objective_value <= float(r.nominal["cost_usd_per_kg_reo"])


def test_an_unreachable_target_is_reported_with_the_reason(constant_d):
    r = optimize.optimize(
        constant_d, "cost", [optimize.variable("leaching.acid_excess", "1.1", "1.3")], target=True
    )
    s = r.summary()
    assert not s["feasible"] and s["constraints"]["target"]["met"] is False
    why = " ".join(s["infeasible_because"])
    assert "target" in why and "installed by the target year" in why and "economics.build" in why


def test_npv_objective_reports_the_npv(constant_d):
    r = optimize.optimize(
        constant_d,
        "npv",
        [optimize.variable("oxalate_precipitation.oxalic_excess", "1.0", "1.5")],
        target=False,
    )
    assert r.summary()["objective_output"] == "npv_usd"
    assert r.objective_value >= float(r.nominal["npv_usd"]) - 1e-6


@pytest.mark.parametrize(
    "key, low, high, words",
    [
        ("leaching.acid_excess", "1.5", "1.1", ["low <= high"]),
        (
            "leaching.acid_excesss",
            "1",
            "2",
            ["'acid_excesss' is not a known key", "did you mean 'acid_excess'"],
        ),
        ("concentrate.flow", "0 kg", "5 t/yr", ["a mass flow", "'0 kg'"]),
        ("solvent_extraction.heavy.n_scrub", "2.5", "9", ["a whole number"]),
    ],
)
def test_bad_variables_are_refused(key, low, high, words):
    with pytest.raises(ParamError) as e:
        optimize.variable(key, low, high)
    for w in words:
        assert w in str(e.value), str(e.value)


def test_parse_range_needs_key_low_high():
    assert optimize.parse_range("concentrate.flow=0 t/yr:5000 t/yr") == (
        "concentrate.flow",
        "0 t/yr",
        "5000 t/yr",
    )
    with pytest.raises(ParamError, match="KEY=LOW:HIGH"):
        optimize.parse_range("concentrate.flow=5000")
