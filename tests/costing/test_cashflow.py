"""Yearly cash flow: a textbook example, tax losses, debt, the minimum selling price, batch, bad
input."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plant.costing.cashflow import ProjectCosts, cash_flow, income_tax
from plant.costing.parameters import FinanceParams

TURTON = FinanceParams(
    discount_rate=0.10,
    inflation=0.0,
    plant_life=10,
    construction_spend=(0.0, 0.6, 0.4),
    ramp_up=(1.0,),
    tax_rate=0.45,
    losses="credit",
    depreciation="declining_balance",
    depreciation_life=5,
    debt_share=0.0,
    debt_rate=0.0,
    debt_term=1,
    salvage=10 / 150,
    grant=0.0,
    investment_credit=0.0,
    qualifying_share=0.0,
    credit_cap=0.3,
    credit_until=2029,
)
TURTON_COSTS = ProjectCosts(
    fixed_capital=150e6,
    working_capital=30e6,
    startup=0.0,
    land=10e6,
    revenue=75e6,
    variable_cost=0.0,
    fixed_cost=30e6,
    reo_kg_per_yr=1e6,
)


def test_cash_flow_against_turton_examples_10_1_to_10_3():
    """Turton, Bailie, Whiting, Shaeiwitz, 'Analysis, Synthesis and Design of Chemical Processes',
    3rd ed., Ch. 10, Examples 10.1-10.3 (pp. 300-304 of the e-book edition): land 10, FCI 150 spent
    90 + 60 in years 1-2, working capital 30 at start-up (end of year 2), revenue 75 and cost of
    manufacturing 30 a year for 10 years, tax 45 %, 5-year MACRS, salvage 10 (all $ million).
    Published: cumulative cash position 170.5, payback 3.85 yr, NPV at 10 % 17.12, discounted
    payback 5.94 yr, DCFROR 12.1 %. (The book's year-0 land is our first construction year with no
    capital spend.)"""
    cf = cash_flow(TURTON_COSTS, TURTON)
    m = cf.metrics
    net = cf.columns["net cash flow"] / 1e6
    assert net == pytest.approx(
        [-10, -90, -90, 38.25, 46.35, 37.71, 32.526, 32.526, 28.638, 24.75, 24.75, 24.75, 70.25]
    )
    assert cf.columns["cumulative"][-1] / 1e6 == pytest.approx(170.5)
    assert round(float(m.npv) / 1e6, 2) == 17.12
    assert round(float(m.payback_yr), 2) == 3.85
    assert round(float(m.discounted_payback_yr), 2) == 5.94
    assert round(float(m.irr), 3) == 0.121


def test_no_sign_change_gives_no_irr_and_no_payback():
    poor = dataclasses.replace(TURTON_COSTS, revenue=20e6, land=0.0, working_capital=0.0)
    m = cash_flow(poor, dataclasses.replace(TURTON, salvage=0.0, losses="carry_forward")).metrics
    assert np.all(
        cash_flow(poor, dataclasses.replace(TURTON, salvage=0.0, losses="carry_forward")).columns[
            "net cash flow"
        ]
        <= 0
    )
    assert np.isnan(m.irr) and np.isnan(m.payback_yr) and m.npv < 0


def test_a_price_increase_raises_npv_and_the_minimum_selling_price_gives_npv_zero():
    f = dataclasses.replace(
        TURTON,
        losses="carry_forward",
        inflation=0.02,
        debt_share=0.4,
        debt_rate=0.07,
        debt_term=6,
        ramp_up=(0.5, 0.8),
    )
    base = cash_flow(TURTON_COSTS, f)
    more = cash_flow(dataclasses.replace(TURTON_COSTS, revenue=80e6), f)
    assert more.metrics.npv > base.metrics.npv
    m = float(base.metrics.price_multiplier)
    at_msp = cash_flow(dataclasses.replace(TURTON_COSTS, revenue=75e6 * m), f)
    assert abs(float(at_msp.metrics.npv)) < 1e-6 * 150e6
    # reported per kg REO: the multiplier times the average price
    assert float(base.metrics.min_selling_price) == pytest.approx(m * 75e6 / 1e6)


def test_levelised_cost_equals_the_price_that_pays_back_all_costs_before_tax():
    f = dataclasses.replace(TURTON, tax_rate=0.0, salvage=0.0)
    c = dataclasses.replace(TURTON_COSTS, land=0.0)
    lc = float(cash_flow(c, f).metrics.levelised_cost)
    at_lc = cash_flow(dataclasses.replace(c, revenue=lc * c.reo_kg_per_yr), f)
    assert abs(float(at_lc.metrics.npv)) < 1e-6 * 150e6


def _tax_by_loop(taxable, rate):
    carried, out = 0.0, []
    for x in taxable:
        base = x - carried
        if base > 0:
            out.append(rate * base)
            carried = 0.0
        else:
            out.append(0.0)
            carried = -base
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=30), st.floats(0, 0.5))
def test_loss_carry_forward_matches_a_year_by_year_ledger(taxable, rate):
    assert income_tax(np.array(taxable), rate, "carry_forward") == pytest.approx(
        _tax_by_loop(taxable, rate), abs=1e-6
    )


def test_debt_is_repaid_with_its_interest():
    f = dataclasses.replace(TURTON, debt_share=0.5, debt_rate=0.06, debt_term=8)
    c = cash_flow(TURTON_COSTS, f).columns
    assert c["loan drawn"].sum() == pytest.approx(75e6)
    assert c["principal repaid"].sum() == pytest.approx(75e6)
    instalments = (c["interest"] + c["principal repaid"])[3:11]
    assert instalments == pytest.approx(np.full(8, instalments[0]))  # an annuity
    # the owners put in only their share of the capital
    assert c["net cash flow"][1] == pytest.approx(-45e6)


def test_a_term_longer_than_the_plant_repays_the_rest_at_closure():
    f = dataclasses.replace(TURTON, debt_share=0.5, debt_rate=0.06, debt_term=30)
    c = cash_flow(TURTON_COSTS, f).columns
    assert c["principal repaid"].sum() == pytest.approx(75e6)


def test_grant_reduces_the_outlay_and_the_depreciation():
    f = dataclasses.replace(TURTON, grant=0.3)
    c = cash_flow(TURTON_COSTS, f).columns
    assert c["grant"].sum() == pytest.approx(45e6)
    assert c["depreciation"].sum() == pytest.approx(105e6)


def test_a_batch_equals_its_samples():
    revenue = np.array([60e6, 75e6, 90e6])
    rate = np.array([0.08, 0.10, 0.12])
    f = dataclasses.replace(TURTON, discount_rate=rate, losses="carry_forward")
    batch = cash_flow(dataclasses.replace(TURTON_COSTS, revenue=revenue), f).metrics
    for i in range(3):
        one = cash_flow(
            dataclasses.replace(TURTON_COSTS, revenue=revenue[i]),
            dataclasses.replace(f, discount_rate=rate[i]),
        ).metrics
        for field in dataclasses.fields(one):
            b, o = getattr(batch, field.name), getattr(one, field.name)
            pairs = [(b[k][i], o[k]) for k in o] if isinstance(o, dict) else [(b[i], o)]
            for x, y in pairs:
                assert x == pytest.approx(float(y), nan_ok=True)


def test_the_table_has_one_row_per_year():
    df = cash_flow(TURTON_COSTS, TURTON).frame()
    assert len(df) == 13 and df["phase"].tolist()[:3] == ["construction"] * 3
    assert df["net cash flow"].sum() == pytest.approx(170.5e6)


def test_investment_credit_offsets_tax_up_to_its_cap_in_the_year_earned():
    # Taiwan's Industrial Innovation Act Art. 10-1: 5 % of qualifying spend, at most 30 % of the
    # year's tax, the same year (MOEA); the Turton project spends in years 1-2 and pays tax later
    earned = 0.05 * 150e6  # all of the spend qualifies
    group = dataclasses.replace(TURTON, investment_credit=0.05, qualifying_share=1.0)
    c = cash_flow(TURTON_COSTS, group).columns  # inside a group: taken in full
    assert c["investment credit used"].sum() == pytest.approx(earned)
    alone = dataclasses.replace(group, losses="carry_forward")
    c = cash_flow(TURTON_COSTS, alone).columns  # alone: no tax while building, the credit is lost
    assert c["investment credit used"].sum() == pytest.approx(0.0)
    late = dataclasses.replace(group, credit_until=0)  # spend after the last qualifying year
    c = cash_flow(TURTON_COSTS, late).columns
    assert c["investment credit used"].sum() == pytest.approx(0.0)


def test_credit_cap_limits_the_credit_to_a_share_of_positive_tax():
    from plant.costing.cashflow import credited

    tax = np.array([[-5.0, 10.0, 100.0]])
    credit = np.array([[50.0, 50.0, 10.0]])
    out = credited(tax, credit, 0.3, "carry_forward")
    assert out.tolist() == [[-5.0, 7.0, 90.0]]
