"""Every parameter batches: each real-valued parameter of the files, given alone as an array of
samples, evaluates the whole plant (or is refused by name), and a batch equals its scalar runs."""

import numpy as np
import pytest

from plant import model, report, tuning
from plant.errors import ParamError, PlantError
from plant.params import scalar_spec, value_at, with_values

PARAMS, DOCUMENT = model.load()
KEYS = [t.key for t in tuning.tunables(model.Params, DOCUMENT) if t.kind == "quantity"]
AS_GIVEN = with_values(PARAMS, {"solvent_extraction.train": "as_given"})
"""For the keys a designed train does not read: it would design anew for every liquor they move
(minutes over all keys); its batches of moving liquors are tests/test_dashboard.py's."""
DESIGN_READS = ("solvent_extraction.", "economics.products.purity_spec")


def samples(key: str) -> np.ndarray:
    """Three values of ``key`` around its value in the files, inside its domain."""
    spec = scalar_spec(model.Params, key)
    x0 = float(np.asarray(value_at(PARAMS, key)))
    lo = -np.inf if spec.lo is None else spec.lo + (1e-9 if spec.lo_open else 0.0)
    hi = np.inf if spec.hi is None else spec.hi
    return np.clip([x0, x0 * 1.05 if x0 else 0.01, x0 * 0.95], lo, hi)


@pytest.mark.slow
def test_every_parameter_batches_alone():
    refused = {}
    for key in KEYS:
        try:
            at = PARAMS if key.startswith(DESIGN_READS) else AS_GIVEN
            ev = model.evaluate(with_values(at, {key: samples(key)}))
        except PlantError as exc:  # the model's own clear refusal (thermo range, a mix off 1)
            refused[key] = str(exc)
            continue
        s = report.summary(ev)
        npv = np.broadcast_to(np.asarray(s["economics"]["npv_usd"], dtype=float), (3,))
        assert np.all(np.isfinite(npv)), key
    # what is refused is refused for a reason it names
    named = lambda key, msg: "range" in msg or any(part in msg for part in key.split(".")[1:])
    assert all(named(key, msg) for key, msg in refused.items()), refused
    # shares that must sum to 1 (a use's share of demand, an element's share of a use) move only
    # together: alone, each is refused by the sum it breaks
    alone = {k: m for k, m in refused.items() if "summing to 1" not in m}
    assert len(alone) < 20, sorted(alone)


@pytest.mark.parametrize(
    "key",
    [
        "economics.finance.discount_rate",
        "economics.finance.grant",
        "economics.build.pilot_share",
        "hydrogen_decrepitation.matrix_hydrogen",
        "jet_milling.oxygen_pickup",
        "sintering.argon",
        "leaching.acid_strength",
        "solvent_extraction.heavy.strip_ratio",
        "solvent_extraction.extractants.PC88A.reference_pH",
        "feed.demagnetisation_temperature",
    ],
)
def test_a_batch_equals_its_scalar_runs(key):
    values = samples(key)
    batch = report.summary(model.evaluate(with_values(PARAMS, {key: values})))
    at = lambda x, i: np.broadcast_to(np.asarray(x, dtype=float), (len(values),))[i]
    for i, v in enumerate(values):
        one = report.summary(model.evaluate(with_values(PARAMS, {key: v})))
        for k in ("npv_usd", "capex_usd", "cost_usd_per_kg_reo"):
            assert at(batch["economics"][k], i) == pytest.approx(one["economics"][k], rel=1e-9), k
        assert at(batch["capacity"]["reo_t_per_yr"], i) == pytest.approx(
            one["capacity"]["reo_t_per_yr"], rel=1e-9
        )


def test_a_mixed_pilot_plan_is_refused_by_name():
    with pytest.raises(ParamError, match="economics.build.pilot_share.*in all of them or in none"):
        model.evaluate(with_values(PARAMS, {"economics.build.pilot_share": np.array([0.0, 0.1])}))
