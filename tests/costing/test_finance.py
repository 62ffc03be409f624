"""Discounted-cash-flow arithmetic: NPV and IRR against numpy-financial, payback, annuity,
depreciation."""

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plant.costing.finance import (
    annuity_payment,
    declining_balance,
    irr,
    npv,
    payback,
    straight_line,
)
from plant.errors import PlantError


def conventional_flows(rng, n, years):
    """Investment in the first 1-3 years, then mostly positive yearly flows."""
    f = rng.uniform(-5e6, 2e7, (n, years))
    build = rng.integers(1, 4, n)
    for i, b in enumerate(build):
        f[i, :b] = -rng.uniform(1e7, 1e8, b)
    return f


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), rate=st.floats(-0.5, 0.5), years=st.integers(2, 30))
def test_npv_against_numpy_financial(seed, rate, years):
    f = np.random.default_rng(seed).uniform(-1e7, 1e7, years)
    assert npv(rate, f) == pytest.approx(npf.npv(rate, f), rel=1e-10, abs=1e-3)


def test_irr_against_numpy_financial_on_random_cash_flows():
    rng = np.random.default_rng(7)
    flows = conventional_flows(rng, 200, 20)
    ours = irr(flows)  # one call for the whole batch
    for f, r in zip(flows, ours):
        theirs = npf.irr(f)
        if np.isnan(theirs):
            assert np.isnan(r) or abs(npv(r, f)) < 1e-3 * np.abs(f).sum()
        else:
            assert r == pytest.approx(theirs, abs=1e-8)
            assert npv(r, f) == pytest.approx(0.0, abs=1e-6 * np.abs(f).sum())


def test_irr_is_null_without_a_sign_change():
    assert np.isnan(irr(np.array([-1e6, -2e5, -1e5])))
    assert np.isnan(irr(np.array([1e6, 2e5, 1e5])))
    assert np.isnan(irr(np.array([0.0, 0.0])))


def test_payback_and_discounted_payback():
    f = np.array([-100.0, 40.0, 40.0, 40.0, 40.0])
    assert payback(f) == pytest.approx(2.5)  # cumulative -100, -60, -20, +20: halfway from t=2 to 3
    disc = payback(f, 0.10)
    cum = np.cumsum(f * 1.1 ** -np.arange(5))
    assert 3.0 < disc < 4.0 and cum[3] < 0 < cum[4]
    assert np.isnan(payback(np.array([-100.0, 10.0, 10.0])))
    assert payback(np.array([5.0, 10.0])) == 0.0


def test_annuity_repays_the_principal():
    pay = annuity_payment(1e6, 0.06, 10)
    balance = 1e6
    for _ in range(10):
        balance = balance * 1.06 - pay
    assert balance == pytest.approx(0.0, abs=1e-6)
    assert annuity_payment(1e6, 0.0, 10) == pytest.approx(1e5)


# IRS Publication 946 (2023), Appendix A, Table A-1: MACRS GDS, 200 % declining balance, half-year
# convention; percent of the basis per recovery year.
MACRS_TABLE_A1 = {
    3: [33.33, 44.45, 14.81, 7.41],
    5: [20.00, 32.00, 19.20, 11.52, 11.52, 5.76],
    7: [14.29, 24.49, 17.49, 12.49, 8.93, 8.92, 8.93, 4.46],
    10: [10.00, 18.00, 14.40, 11.52, 9.22, 7.37, 6.55, 6.55, 6.56, 6.55, 3.28],
}


@pytest.mark.parametrize("life", sorted(MACRS_TABLE_A1))
def test_declining_balance_against_irs_pub946_table_a1(life):
    table = np.array(MACRS_TABLE_A1[life]) / 100.0
    ours = declining_balance(1.0, life, len(table) + 2)
    np.testing.assert_allclose(ours[: len(table)], table, atol=0.0001 + 1e-12)
    assert ours.sum() == pytest.approx(1.0)


def test_straight_line_and_batches():
    d = straight_line(np.array([100.0, 200.0]), 4, 6)
    np.testing.assert_allclose(d, [[25, 25, 25, 25, 0, 0], [50, 50, 50, 50, 0, 0]])
    assert declining_balance(np.array([1.0, 2.0]), 5, 7).sum(axis=-1) == pytest.approx([1.0, 2.0])


def test_bad_rate_and_life():
    with pytest.raises(PlantError, match="above -100 %"):
        npv(-1.0, [1.0, 2.0])
    with pytest.raises(PlantError, match="at least 1 year"):
        declining_balance(1.0, 0, 5)
