"""Fuzzing with hypothesis, bounded in time: random quantity text, TOML text and structures never
crash or hang the loader; every parameter inside its domain gives a finite result or the model's own
refusal, outside it the loader's error; batches with failing samples keep the good ones."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plant import model, tuning
from plant.analysis.batch import PlantModel, failures_of
from plant.errors import ParamError, PlantError
from plant.params import parse_quantity, parse_toml

PARAMS, DOCUMENT = model.load()
TUNABLES = [t for t in tuning.tunables(model.Params, DOCUMENT) if t.kind == "quantity"]
quick = settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
slow = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

text_like_quantities = st.one_of(
    st.text(max_size=60),
    st.from_regex(r"[-+]?[0-9]{1,4}([.,][0-9]{0,3})?( ?[*/^]{0,2} ?[0-9a-zA-Z%]{0,6}){0,4}"),
)


@quick
@given(text=text_like_quantities)
def test_any_quantity_text_is_read_or_refused(text):
    try:
        value = parse_quantity(text, "s", "fuzz", "x")
    except ParamError:
        return
    assert math.isfinite(value)


@quick
@given(data=st.one_of(st.binary(max_size=300), st.text(max_size=300)))
def test_any_toml_text_is_parsed_or_refused(data):
    try:
        parse_toml(data, "fuzz")
    except ParamError:
        pass


toml_values = st.recursive(
    st.one_of(
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=True),
        st.booleans(),
        st.text(max_size=20),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
sections = st.sampled_from(
    ["leaching", "economics", "feed", "capacity", "solvent_extraction", "uncertainty", "junk"]
)


@quick
@given(section=sections, key=st.text(max_size=12), value=toml_values)
def test_any_table_in_an_overlay_is_built_or_refused(section, key, value):
    try:
        model.load_params(overlays=[("fuzz", {section: {key: value}})])
    except ParamError:
        pass


@pytest.mark.slow
@slow
@given(data=st.data())
def test_every_parameter_inside_its_domain_runs_or_is_refused_by_the_model(data):
    t = data.draw(st.sampled_from(TUNABLES))
    lo = t.lo if t.lo is not None else float(t.value) - 10 * abs(float(t.value)) - 1
    hi = t.hi if t.hi is not None else float(t.value) + 10 * abs(float(t.value)) + 1
    x = data.draw(st.floats(lo, hi, exclude_min=t.lo_open))
    try:
        ev = model.evaluate(model.load_params(overrides=[t.override(x)]))
    except PlantError:  # a refusal the model explains (an infeasible unit, thermo range)
        return
    assert np.isfinite(ev.economics.capex.total) and np.isfinite(ev.economics.opex.total)
    assert np.all(np.isfinite(ev.capacity.reo))


@quick
@given(data=st.data())
def test_every_parameter_outside_its_domain_is_refused_by_the_loader(data):
    bounded = [t for t in TUNABLES if t.lo is not None or t.hi is not None]
    t = data.draw(st.sampled_from(bounded))
    below = t.lo is not None and (t.hi is None or data.draw(st.booleans()))
    # clear of the bound by more than the rounding of a unit conversion
    if below:
        edge = t.lo - 1e-6 * max(1.0, abs(t.lo))
        x = data.draw(st.floats(max_value=edge, allow_nan=False, allow_infinity=False))
    else:
        edge = t.hi + 1e-6 * max(1.0, abs(t.hi))
        x = data.draw(st.floats(min_value=edge, allow_nan=False, allow_infinity=False))
    with pytest.raises(ParamError):
        model.load_params(overrides=[t.override(x)])


@pytest.mark.slow
@slow
@given(wet=st.lists(st.booleans(), min_size=2, max_size=12))
def test_batches_with_failing_samples_keep_the_good_ones(wet):
    moisture = np.where(wet, 0.94, 0.4)
    out = PlantModel(PARAMS)({"oxalate_filter.cake_moisture": moisture})
    failed = failures_of(out)
    assert sorted(failed.reasons) == [i for i, w in enumerate(wet) if w]
    good = ~np.asarray(wet)
    assert np.isfinite(out["npv_usd"][good]).all()
    assert np.isnan(out["npv_usd"][~good]).all()
