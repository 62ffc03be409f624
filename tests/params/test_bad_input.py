"""Every class of bad parameter input is refused with the file, the key, what was expected and what
was given: arithmetic in quantities, decimal commas, values beyond sense, oversized, deep or special
files, typos in open tables, and distributions that clash."""

import numpy as np
import pytest

from plant import model
from plant.errors import ParamError
from plant.params import with_values
from plant.params.loader import MAX_FILE_BYTES


def refused(*paths, overrides=(), words=()) -> str:
    with pytest.raises(ParamError) as e:
        model.load_params(*paths, overrides=overrides)
    msg = str(e.value)
    for w in words:
        assert w in msg, msg
    return msg


@pytest.mark.parametrize(
    "text, words",
    [
        ("2 ** 3", ["arithmetic is not read"]),
        ("10**10**8", ["arithmetic is not read"]),
        ("1,5 h", ["decimal point"]),
        ("1e300 d", ["at most", "beyond sense"]),
        ("4 hourz", ["not one pint knows"]),
        ("4 parsecs", ["of dimension [length]"]),
        ("4 h" + " " * 200, ["longer than"]),
    ],
)
def test_quantity_text_is_a_number_and_a_unit_only(text, words):
    refused(
        overrides=[f"leaching.residence_time='{text}'"],
        words=["--set", "leaching.residence_time", *words],
    )


def test_a_huge_whole_number_is_refused_not_carried_to_infinity():
    refused(overrides=["leaching.tanks=99999999999999999999"], words=["leaching.tanks", "at most"])
    refused(overrides=["leaching.tanks=20000"], words=["leaching.tanks", "at most 10000"])


@pytest.mark.parametrize(
    "path, words",
    [
        ("/tmp", ["a directory"]),
        ("/dev/zero", ["not a regular file"]),
        ("/no/such/file.toml", ["no such file"]),
    ],
)
def test_only_regular_files_are_read(path, words):
    refused(path, words=[path, "(file)", *words])


def test_oversized_and_deeply_nested_files_are_refused(write_toml):
    big = write_toml("# " + "x" * MAX_FILE_BYTES + "\n", "big.toml")
    refused(big, words=["big.toml", "(size)"])
    deep = write_toml("x = " + "[" * 50_000 + "]" * 50_000 + "\n", "deep.toml")
    refused(deep, words=["deep.toml", "nest"])
    nested = write_toml("a.b.c.d.e.f.g.h.i.j = 1\n", "nested.toml")
    refused(nested, words=["nested.toml", "nested at most 8 deep"])


@pytest.mark.parametrize(
    "override, words",
    [
        ("economics.magnet_prices.40h='45 USD/kg'", ["magnet_prices.40h", "did you mean '40H'"]),
        (
            "economics.feed.terms.swarff={form='bulk', payable=0.5, treatment_charge='0 USD/kg', "
            "source='x'}",
            ["terms.swarff", "did you mean 'swarf'"],
        ),
        ("economics.feed.terms.hdd.form='bulk'", ["terms.hdd.form", "'parts'", "dismantles"]),
        ("economics.feed.terms.swarf.penalties={Xq = '1 USD/kg'}", ["penalties.Xq", "element"]),
        (
            "economics.products.grade_price={purity = [0.9, 0.99], price_share = [1.0, 0.5]}",
            ["grade_price.price_share", "never fall"],
        ),
        ("economics.reagents.HCL='1 USD/kg'", ["economics.reagents.HCL", "did you mean 'HCl'"]),
    ],
)
def test_typos_in_open_tables_get_did_you_mean(override, words):
    refused(overrides=[override], words=words)


def test_a_parameter_in_two_distributions_is_refused(write_toml):
    f = write_toml(
        '[uncertainty.again]\nparameters = ["economics.oxide_prices.Nd"]\n'
        'distribution = "uniform"\nlow = "50 USD/kg"\nhigh = "60 USD/kg"\nsource = "[E]"\n'
    )
    refused(f, words=["uncertainty.again.parameters", "uncertainty.ndpr_price"])


def test_a_distribution_of_an_optional_key_the_files_leave_out_is_refused(write_toml):
    f = write_toml(
        '[uncertainty.parts]\nparameters = ["feed.sources.swarf.units_discarded"]\n'
        'distribution = "uniform"\nlow = "1 1/yr"\nhigh = "2 1/yr"\nsource = "[E]"\n'
    )
    refused(f, words=["uncertainty.parts.parameters", "optional key"])


def test_an_argument_of_another_kind_of_distribution_is_refused(write_toml):
    f = write_toml(
        '[uncertainty.hcl_price]\nparameters = ["economics.reagents.HCl"]\n'
        'distribution = "uniform"\nlow = "0.5 USD/kg"\nhigh = "1 USD/kg"\nmode = "0.7 USD/kg"\n'
        'source = "[E]"\n'
    )
    refused(f, words=["uncertainty.hcl_price.mode", "uniform"])


def test_with_values_goes_through_the_loaders_checks(base):
    with pytest.raises(ParamError, match="a number or an array of numbers"):
        with_values(base, {"leaching.acid_excess": True})
    with pytest.raises(ParamError, match="at most grain_boundary_hydrogen"):
        with_values(base, {"hydrogen_decrepitation.retained_hydrogen": 2.9})
    # a new exchange rate converts again what the files wrote in TWD (the wage: 76,485 TWD/month)
    rate = np.array([30.0, 40.0])
    p = with_values(base, {"economics.exchange_rate": rate})
    wage_twd = base.economics.labour.wage * base.economics.exchange_rate
    assert p.economics.labour.wage == pytest.approx(wage_twd / rate)
    assert p.economics.oxide_prices.Nd == base.economics.oxide_prices.Nd  # written in USD
