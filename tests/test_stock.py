"""The dynamic stock model against the published known results of ODYM's test suite (Pauliuk &
Heeren 2020, J. Ind. Ecol. 24:446; IndEcol/ODYM, tests/test_dynamic_stock_model.py)."""

import numpy as np
import pytest

from plant.capacity import stock

INFLOW = np.arange(1.0, 11.0)  # 1..10 in years 0..9


def test_fixed_lifetime_odym_known_results():
    # lifetime fixed at 5 years: outflow 0,0,0,0,0,1,2,3,4,5; stock 1,3,6,10,15,20,...,40
    assert stock.outflows(INFLOW, "fixed", 5) == pytest.approx([0, 0, 0, 0, 0, 1, 2, 3, 4, 5])
    assert stock.stocks(INFLOW, "fixed", 5) == pytest.approx([1, 3, 6, 10, 15, 20, 25, 30, 35, 40])


def test_normal_lifetime_odym_known_results():
    # normal lifetime, mean 5, sd 1.5
    outflow = [
        4.29060333e-04, 4.25944090e-03, 2.70095728e-02, 1.18220793e-01, 3.70713330e-01,
        8.70713330e-01, 1.61822079e00, 2.52700957e00, 3.50425944e00, 4.50042906e00,
    ]  # fmt: skip
    stocks = [
        0.99957094, 2.9953115, 5.96830193, 9.85008113, 14.4793678,
        19.60865447, 24.99043368, 30.46342411, 35.95916467, 41.45873561,
    ]  # fmt: skip
    assert stock.outflows(INFLOW, "normal", 5, 1.5) == pytest.approx(outflow, rel=1e-7)
    assert stock.stocks(INFLOW, "normal", 5, 1.5) == pytest.approx(stocks, rel=1e-7)


@pytest.mark.parametrize("kind, spread", [("normal", 3.0), ("weibull", 2.0), ("fixed", None)])
def test_every_product_leaves_use_once(kind, spread):
    # a long horizon: everything sold eventually leaves, and nothing leaves twice
    inflow = np.zeros(200)
    inflow[:10] = 1.0
    out = stock.outflows(inflow, kind, 12.0, spread)
    assert out.sum() == pytest.approx(10.0, rel=1e-6) and np.all(out >= -1e-12)


def test_weibull_mean_is_the_mean_lifetime():
    # one cohort: those failing in (a - 1, a] leave at age a; at the middle of that year, their
    # mean age is the mean lifetime
    inflow = np.zeros(400)
    inflow[0] = 1.0
    out = stock.outflows(inflow, "weibull", 12.0, 2.5)
    ages = np.arange(400) - 0.5
    assert (out * ages).sum() == pytest.approx(12.0, rel=0.01)


def test_a_batch_of_lifetimes_equals_its_samples():
    means = np.array([4.0, 6.0, 9.0])
    batch = stock.outflows(INFLOW, "normal", means, 1.5)
    for i, m in enumerate(means):
        assert batch[i] == pytest.approx(stock.outflows(INFLOW, "normal", m, 1.5))


STOCK = [
    "feed.sources.motor.put_on_market={2010 = '10000 1/yr', 2020 = '30000 1/yr'}",
    "feed.sources.motor.lifetime='normal'",
    "feed.sources.motor.lifetime_mean='12 yr'",
    "feed.sources.motor.lifetime_sd='3 yr'",
]


def test_domestic_supply_comes_from_the_stock_model():
    from plant import model

    p = model.load_params(overrides=STOCK)
    c = model.evaluate(p).capacity
    src = p.feed.sources["motor"]
    i = c.supplies.index("motor")
    # by hand: sold 10,000 (2010) rising linearly to 30,000 (2020), flat after; normal lifetime
    years = np.arange(2010, int(c.years[-1]) + 1)
    sold = np.interp(years, [2010, 2020], [10000.0, 30000.0])
    eol = stock.outflows(sold, "normal", 12.0, 3.0)
    kg_per_yr = eol * float(src.part_magnet_mass) * float(src.collection_rate)
    t = dict(zip(years, kg_per_yr / 1000.0))
    expected = np.array([t[int(y)] for y in c.years])
    usable = c.domestic[..., i, :].sum() / max(expected.sum(), 1e-300)
    assert usable == pytest.approx(1.0, rel=1e-9)  # the files' usable share is 1 for motors
    assert c.domestic[..., i, :] == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(
    "override, words",
    [
        ("feed.sources.motor.lifetime='gamma'", ["lifetime", "normal"]),
        ("feed.sources.motor.lifetime_sd='3 kg'", ["lifetime_sd"]),
        ("feed.sources.motor.put_on_market={'20x0' = '1 1/yr'}", ["put_on_market", "year"]),
    ],
)
def test_bad_stock_inputs_are_clear_errors(override, words):
    from plant import model
    from plant.errors import ParamError

    sets = [s for s in STOCK if s.split("=")[0] != override.split("=")[0]] + [override]
    with pytest.raises(ParamError) as e:
        model.load_params(overrides=sets)
    for w in words:
        assert w in str(e.value)
