"""Parameter loading: overlays, overrides, conversion to SI, and every class of bad input."""

import numpy as np
import pytest

from plant import model
from plant.errors import ParamError
from plant.params import with_values
from plant.paths import BASE_PARAMS


def load_error(*paths, overrides=()) -> str:
    with pytest.raises(ParamError) as exc:
        model.load_params(*paths, overrides=overrides)
    return str(exc.value)


def test_base_loads_and_converts_to_si(base):
    assert base.scenario.name == "base"
    assert base.leaching.temperature == pytest.approx(383.15)  # "110 degC"
    assert base.leaching.residence_time == pytest.approx(1800.0)  # "30 min"
    assert base.leaching.liquid_to_solid == pytest.approx(3e-3)  # "3 L/kg" -> m3/kg
    assert base.feed.sources["motor"].magnet_flow == pytest.approx(
        800e3 / (365.25 * 86400)
    )  # t/yr -> kg/s
    assert base.leach_filter.filtration_flux == pytest.approx(100 / 3600)
    assert base.economics.exchange_rate == pytest.approx(31.7)
    assert base.leaching.where == "leaching"


def test_overlay_replaces_only_its_keys(write_toml, base):
    p = write_toml('[leaching]\ntemperature = "80 degC"\n[scenario]\nname = "cooler"\n')
    params = model.load_params(p)
    assert params.leaching.temperature == pytest.approx(353.15)
    assert params.scenario.name == "cooler"
    assert params.leaching.acid_excess == base.leaching.acid_excess


def test_set_override_parses_toml_values_and_quantities():
    p = model.load_params(
        overrides=[
            "leaching.temperature=90 degC",
            "roasting.enabled=false",
            "leaching.acid_excess=1.4",
            'leaching.acid="H2SO4"',
        ]
    )
    assert p.leaching.temperature == pytest.approx(363.15)
    assert p.roasting.enabled is False
    assert p.leaching.acid_excess == 1.4
    assert p.leaching.acid == "H2SO4"


def test_twd_values_convert_with_the_exchange_rate_from_params(write_toml):
    # a price written in TWD must become USD at the rate in params; checked on the rate itself
    p = model.load_params(overrides=["economics.exchange_rate=30 TWD/USD"])
    assert p.economics.exchange_rate == 30.0


def test_wrong_dimension_names_file_key_expected_and_given(write_toml):
    p = write_toml('[leaching]\ntemperature = "80 m"\n')
    msg = load_error(p)
    assert str(p) in msg and "leaching.temperature" in msg
    assert "expected a temperature" in msg and "'80 m'" in msg and "[length]" in msg


def test_unknown_key_is_rejected_with_a_suggestion(write_toml):
    p = write_toml('[leaching]\ntempreature = "80 degC"\n')
    msg = load_error(p)
    assert str(p) in msg and "leaching.tempreature" in msg
    assert "unknown key" in msg and "did you mean 'temperature'" in msg


def test_unknown_section_is_rejected(write_toml):
    msg = load_error(write_toml('[leeching]\ntemperature = "80 degC"\n'))
    assert "leeching" in msg and "did you mean 'leaching'" in msg


def test_missing_key_names_the_key_and_what_is_expected(tmp_path):
    text = BASE_PARAMS.read_text().replace('residence_time = "30 min"', "")
    f = tmp_path / "incomplete.toml"
    f.write_text(text)
    with pytest.raises(ParamError) as exc:
        model.load_params(base=f)
    msg = str(exc.value)
    assert str(f) in msg and "leaching.residence_time" in msg
    assert "missing key" in msg and "a time" in msg


def test_fraction_above_one(write_toml):
    p = write_toml("[leach_filter]\nwash_efficiency = 1.3\n")
    msg = load_error(p)
    assert str(p) in msg and "leach_filter.wash_efficiency" in msg
    assert "a fraction between 0 and 1" in msg and "1.3" in msg


def test_fraction_in_a_table_above_one(write_toml):
    msg = load_error(write_toml("[leaching.dissolution_oxide]\nNd = 1.2\n"))
    assert "leaching.dissolution_oxide.Nd" in msg and "between 0 and 1" in msg and "1.2" in msg


def test_composition_not_summing_to_one(write_toml):
    p = write_toml("[feed.sources.hdd]\ncomposition = { Nd = 0.3, Fe = 0.6 }\n")
    msg = load_error(p)
    assert str(p) in msg and "feed.sources.hdd.composition" in msg
    assert "summing to 1" in msg and "0.9" in msg


def test_composition_with_unknown_species(write_toml):
    msg = load_error(write_toml("[feed.sources.hdd]\ncomposition = { Nd = 0.3, Fx = 0.7 }\n"))
    assert "feed.sources.hdd.composition.Fx" in msg and "unknown species 'Fx'" in msg


def test_negative_flow(write_toml):
    p = write_toml('[feed.sources.motor]\nmagnet_flow = "-5 t/yr"\n')
    msg = load_error(p)
    assert str(p) in msg and "feed.sources.motor.magnet_flow" in msg
    assert "cannot be negative" in msg and "-5 t/yr" in msg


def test_negative_size(write_toml):
    msg = load_error(write_toml('[feed]\nproduct_size = "-1 mm"\n'))
    assert "feed.product_size" in msg and "> 0" in msg


def test_unparsable_quantity(write_toml):
    p = write_toml('[leaching]\nresidence_time = "four hours"\n')
    msg = load_error(p)
    assert str(p) in msg and "leaching.residence_time" in msg
    assert "not a number followed by a unit" in msg and "four hours" in msg


def test_bare_number_for_a_dimensioned_quantity():
    msg = load_error(overrides=["leaching.temperature=90"])
    assert "--set" in msg and "a number needs its unit" in msg


def test_bad_choice(write_toml):
    msg = load_error(write_toml('[leaching]\nacid = "HNO3"\n'))
    assert "leaching.acid" in msg and "'HCl', 'H2SO4'" in msg and "HNO3" in msg


def test_excess_below_one():
    msg = load_error(overrides=["leaching.acid_excess=0.8"])
    assert "leaching.acid_excess" in msg and ">= 1" in msg


def test_bad_toml_syntax_and_missing_file(write_toml, tmp_path):
    msg = load_error(write_toml("[leaching\n"))
    assert "valid TOML" in msg
    msg = load_error(tmp_path / "nope.toml")
    assert "nope.toml" in msg and "no such file" in msg


def test_bad_set_syntax():
    msg = load_error(overrides=["leaching.temperature"])
    assert "section.key=VALUE" in msg


def test_curve_must_increase(write_toml):
    msg = load_error(
        write_toml(
            "[oxalate_precipitation.recovery_curve]\nexcess = [0.0, 1.2, 1.0]\n"
            "recovery = [0, 0.9, 0.95]\n"
        )
    )
    assert "recovery_curve.excess" in msg and "strictly increasing" in msg


def test_with_values_sets_arrays_and_checks_domain(base):
    p = with_values(
        base,
        {
            "leaching.acid_excess": np.array([1.1, 1.3]),
            "leaching.dissolution_oxide.Fe": 0.2,
            "feed.sources.hdd.magnet_flow": np.array([0.01, 0.02]),
        },
    )
    assert p.leaching.acid_excess.tolist() == [1.1, 1.3]
    assert p.leaching.dissolution_oxide["Fe"] == 0.2
    assert base.leaching.dissolution_oxide["Fe"] == 0.133  # the original is untouched
    with pytest.raises(ParamError, match="leaching.dissolution_oxide.Nd.*between 0 and 1"):
        with_values(base, {"leaching.dissolution_oxide.Nd": np.array([0.5, 1.5])})
    with pytest.raises(ParamError, match="did you mean 'acid_excess'"):
        with_values(base, {"leaching.acid_exces": 1.2})


def test_overlay_composition_replaces_the_whole_table(write_toml):
    p = model.load_params(write_toml("[feed.sources.hdd]\ncomposition = { Nd = 0.3, Fe = 0.7 }\n"))
    assert p.feed.sources["hdd"].composition == {"Nd": 0.3, "Fe": 0.7}
