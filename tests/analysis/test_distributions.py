"""Distributions in params files: sample statistics match the distributions, truncation holds the
domain, and bad tables get errors naming the file, the key, what was expected and what was given."""

import numpy as np
import pytest
from scipy import stats

from plant import model
from plant.analysis import montecarlo
from plant.errors import ParamError

N = 400_000


def inputs(write_toml, text):
    return {i.name: i for i in montecarlo.inputs_of(model.load_params(write_toml(text)))}


def draw(inp, n=N, seed=1):
    return inp.ppf(np.random.default_rng(seed).random(n))


def test_sample_statistics_match_each_distribution(write_toml):
    ins = inputs(
        write_toml,
        """
[uncertainty.u]
parameters = ["economics.oxide_prices.Gd"]
distribution = "uniform"
low = "200 USD/kg"
high = "400 USD/kg"
source = "test"
[uncertainty.tb_price]
parameters = ["economics.oxide_prices.Tb"]
distribution = "triangular"
low = "600 USD/kg"
mode = "800 USD/kg"
high = "2000 USD/kg"
source = "test"
[uncertainty.discount_rate]
parameters = ["economics.finance.discount_rate"]
distribution = "normal"
mean = 0.10
sd = 0.01
source = "test"
[uncertainty.l]
parameters = ["economics.oxide_prices.Sm"]
distribution = "lognormal"
median = "25 USD/kg"
sigma = 0.3
source = "test"
""",
    )
    expected = {
        "u": stats.uniform(200, 200),
        "tb_price": stats.triang((800 - 600) / 1400, 600, 1400),
        "discount_rate": stats.norm(0.10, 0.01),
        "l": stats.lognorm(0.3, scale=25.0),
    }
    for name, rv in expected.items():
        x = draw(ins[name])
        assert x.mean() == pytest.approx(rv.mean(), rel=5e-3), name
        assert x.std() == pytest.approx(rv.std(), rel=1e-2), name
        for q in (0.1, 0.5, 0.9):
            assert np.quantile(x, q) == pytest.approx(rv.ppf(q), rel=5e-3), (name, q)


def test_normal_is_truncated_to_the_domain_and_relative_scales_the_file_value(write_toml):
    ins = inputs(
        write_toml,
        """
[uncertainty.hdd_liberation]
parameters = ["feed.sources.hdd.liberation_recovery"]
distribution = "normal"
mean = 0.98
sd = 0.05
source = "test"
[uncertainty.ewaste_supply]
parameters = ["feed.sources.hdd.available", "feed.sources.motor.available"]
distribution = "uniform"
relative = true
low = 0.5
high = 1.5
source = "test"
""",
    )
    x = draw(ins["hdd_liberation"])
    assert x.max() <= 1.0 and x.min() > 0.5
    rv = stats.truncnorm((-np.inf - 0.98) / 0.05, (1.0 - 0.98) / 0.05, 0.98, 0.05)
    assert x.mean() == pytest.approx(rv.mean(), rel=1e-3)
    values = ins["ewaste_supply"].values(np.array([0.0, 0.5, 1.0]))
    hdd, motor = ins["ewaste_supply"].nominal
    assert values["feed.sources.hdd.available"] == pytest.approx([0.5 * hdd, hdd, 1.5 * hdd])
    assert values["feed.sources.motor.available"] == pytest.approx(
        [0.5 * motor, motor, 1.5 * motor]
    )


def test_every_distribution_of_the_base_file_has_a_source():
    for d in model.load_params().uncertainty:
        assert d.source.strip() and d.label


@pytest.mark.parametrize(
    "table, words",
    [
        (
            'parameters = ["economics.oxide_prices.Xx"]\ndistribution = "uniform"\n'
            'low = "1 USD/kg"\nhigh = "2 USD/kg"\nsource = "s"',
            ["uncertainty.bad.parameters", "'Xx'"],
        ),
        (
            'parameters = ["leaching.nope"]\ndistribution = "uniform"\nlow = 1\nhigh = 2\n'
            'source = "s"',
            ["uncertainty.bad.parameters", "'nope' is not a known key"],
        ),
        (
            'parameters = ["economics.oxide_prices.Gd"]\ndistribution = "uniform"\n'
            'low = "400 USD/kg"\nhigh = "200 USD/kg"\nsource = "s"',
            ["uncertainty.bad", "low < high", "'400 USD/kg'"],
        ),
        (
            'parameters = ["economics.oxide_prices.Gd"]\ndistribution = "triangular"\n'
            'low = "2 USD/kg"\nmode = "9 USD/kg"\nhigh = "5 USD/kg"\nsource = "s"',
            ["low <= mode <= high"],
        ),
        (
            'parameters = ["economics.oxide_prices.Gd"]\ndistribution = "uniform"\n'
            'low = "200 kg"\nhigh = "400 USD/kg"\nsource = "s"',
            ["uncertainty.bad.low", "a price per mass", "'200 kg'"],
        ),
        (
            'parameters = ["economics.oxide_prices.Gd"]\ndistribution = "uniform"\n'
            'low = "200 USD/kg"\nhigh = "400 USD/kg"',
            ["uncertainty.bad.source", "missing key"],
        ),
        (
            'parameters = ["economics.oxide_prices.Gd"]\ndistribution = "beta"\nlow = 1\n'
            'high = 2\nsource = "s"',
            ["uncertainty.bad.distribution", "'uniform'", "'beta'"],
        ),
        (
            'parameters = ["plant.availability"]\ndistribution = "uniform"\nlow = 0.5\n'
            'high = 1.2\nsource = "s"',
            ["uncertainty.bad.high", "1.2"],
        ),
        (
            'parameters = ["solvent_extraction.heavy.n_scrub"]\ndistribution = "uniform"\n'
            'low = 2\nhigh = 9\nsource = "s"',
            ["real-valued parameter", "a whole number"],
        ),
        (
            'parameters = ["economics.oxide_prices.Gd"]\ndistribution = "normal"\n'
            'mean = "200 USD/kg"\nsource = "s"',
            ["uncertainty.bad.sd", "missing key"],
        ),
    ],
)
def test_bad_distribution_tables_are_named(write_toml, table, words):
    path = write_toml("[uncertainty.bad]\n" + table + "\n")
    with pytest.raises(ParamError) as e:
        model.load_params(path)
    msg = str(e.value)
    assert str(path) in msg
    for w in words:
        assert w in msg, msg
