"""Yearly cash flow of the project and what follows from it: NPV, IRR, payback, levelised cost and
the minimum selling price. Every array carries the sample axis first and the year axis last.

Timeline (end-of-year convention, year t discounted by (1 + r)^t), from the build schedule
(:mod:`plant.costing.schedule`): years 0..C-1 build the first train (C = len(construction_spend)),
years C..C+L-1 operate the plant (L = plant_life), while later trains are built and come on line;
start-up falls at the end of year C-1. Money is nominal: every price, cost and capital spend
escalates at ``inflation`` a year from the analysis year (year 0), and ``discount_rate`` is a
nominal rate.

- capital: fixed capital x the schedule's spend share of year t, escalated; a grant pays back its
  share as spent;
- land: bought in year 0 and sold at cost in the last year; working capital: tied up at start-up
  (end of year C-1, escalated to then) and released in the last year;
- start-up cost: expensed in the first operating year;
- output: the capacity factor of each year (revenue, variable cost and REO scale with it): the
  schedule's installed capacity (trains on line, each ramping up by ramp_up), or the output the
  capacity projection gives (held down by the feed supply); fixed cost: in proportion to the share
  of the nameplate on line;
- depreciation: of the capital spent net of the grant, straight line or double declining balance
  (half-year convention, as MACRS): the construction spend from the first operating year, a later
  train's spend from the year after it;
- debt: debt_share of each capital spend is borrowed as it is spent; interest is paid yearly; the
  construction loan is repaid in debt_term equal instalments (annuity) from the first operating
  year, a later train's loan likewise from the year after it is drawn; what is still owed when the
  plant closes is repaid then;
- tax: on revenue - operating cost - start-up - depreciation - interest (+ the gain on salvage),
  either with losses carried forward or with a loss earning a credit the same year (``losses``);
  less an investment tax credit: ``investment_credit`` of the year's capital spend on qualifying
  equipment (``qualifying_share`` of it) in calendar years up to ``credit_until``, set against
  that year's tax up to ``credit_cap`` of it (Taiwan's Industrial Innovation Act, Art. 10-1); with
  ``losses = 'credit'`` (a project inside a profitable group) the group's tax takes it in full;
- salvage: a share of the escalated fixed capital in the last year.

The net cash flow is the owners' (equity) cash flow. Payback follows Turton et al. (Ch. 10): the
time after start-up for the cumulative cash flow, land and working capital excluded, to recover the
capital spent; discounted payback the same with discounted flows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.costing import finance
from plant.costing.parameters import FinanceParams
from plant.costing.schedule import Schedule, single_build
from plant.numerics import bracketed_root

COLUMNS = (
    "capacity factor",
    "capital",
    "grant",
    "land",
    "working capital",
    "loan drawn",
    "revenue",
    "variable cost",
    "fixed cost",
    "start-up",
    "depreciation",
    "interest",
    "principal repaid",
    "taxable income",
    "income tax",
    "investment credit used",
    "salvage",
    "net cash flow",
    "cumulative",
    "discounted",
    "cumulative discounted",
)


@dataclass(frozen=True)
class ProjectCosts:
    """What the cash flow needs, at analysis-year prices [USD, USD/yr, kg/yr], each scalar or (N,).

    revenue, variable_cost, fixed_cost : per year at full output;
    reo_kg_per_yr : output at full output
    """

    fixed_capital: object
    working_capital: object
    startup: object
    land: object
    revenue: object
    variable_cost: object
    fixed_cost: object
    reo_kg_per_yr: object


@dataclass(frozen=True)
class Metrics:
    """npv [USD]; irr [-] (NaN: none); payback_yr and discounted_payback_yr [yr after start-up]
    (NaN: never); levelised_cost [USD/kg REO]; price_multiplier [-] and min_selling_price [USD/kg
    REO] at NPV 0; levelised_parts : the levelised cost by kind of spending ('capital' net of
    grant and salvage, 'land and working capital', 'start-up', 'variable', 'fixed') [USD/kg REO],
    adding up to it."""

    npv: np.ndarray
    irr: np.ndarray
    payback_yr: np.ndarray
    discounted_payback_yr: np.ndarray
    levelised_cost: np.ndarray
    price_multiplier: np.ndarray
    min_selling_price: np.ndarray
    levelised_parts: dict[str, np.ndarray]


@dataclass(frozen=True)
class CashFlow:
    """Yearly columns (..., n_years) [USD; capacity factor -]; ``construction_years`` before the
    first operating year; ``metrics``; ``years``: the calendar year of each column."""

    columns: dict[str, np.ndarray]
    construction_years: int
    metrics: Metrics
    years: np.ndarray

    @property
    def n_years(self) -> int:
        return self.columns["net cash flow"].shape[-1]

    def frame(self, sample: int | None = None):
        """The cash-flow table (pandas): one row per year, columns in USD."""
        import pandas as pd

        data = {k: (v if v.ndim == 1 else v[sample or 0]) for k, v in self.columns.items()}
        df = pd.DataFrame(data, index=pd.Index(self.years, name="year"))
        df.insert(
            0,
            "phase",
            ["construction"] * self.construction_years
            + ["operation"] * (self.n_years - self.construction_years),
        )
        return df


def cash_flow(
    costs: ProjectCosts, f: FinanceParams, plan: Schedule | None = None, output=None
) -> CashFlow:
    """The project's yearly cash flow and its metrics (see the module doc) for the build schedule
    ``plan`` (by default the plant built at once); ``output`` (..., n_years) is the capacity factor
    of each year [-], by default the schedule's installed capacity."""
    plan = plan if plan is not None else single_build(f)
    C, L, n, spend = plan.first_operation, f.plant_life, len(plan.years), plan.spend
    cf = plan.installed if output is None else np.asarray(output, dtype=float)
    b = lambda x: np.asarray(x, dtype=float)[..., None]
    rate, infl = np.asarray(f.discount_rate, dtype=float), np.asarray(f.inflation, dtype=float)
    t = np.arange(n)
    esc = (1.0 + b(infl)) ** t
    rates = (
        f.discount_rate,
        f.tax_rate,
        f.debt_share,
        f.debt_rate,
        f.salvage,
        f.grant,
        f.investment_credit,
        f.qualifying_share,
        f.credit_cap,
    )
    zeros = np.zeros(
        np.broadcast_shapes(
            np.shape(esc),
            np.shape(cf),
            *(np.shape(b(v)) for v in vars(costs).values()),
            *(np.shape(b(v)) for v in rates),
        )
    )
    col = {"capacity factor": zeros + cf}
    capital = -b(costs.fixed_capital) * spend * esc + zeros
    col["capital"] = capital
    col["grant"] = -capital * b(f.grant)
    land = zeros.copy()
    land[..., 0] -= np.asarray(costs.land)
    land[..., -1] += np.asarray(costs.land)
    col["land"] = land
    wc = zeros.copy()
    wc_nominal = np.asarray(costs.working_capital) * esc[..., C - 1]
    wc[..., C - 1] -= wc_nominal
    wc[..., -1] += wc_nominal
    col["working capital"] = wc
    revenue = b(costs.revenue) * cf * esc
    col["variable cost"] = -b(costs.variable_cost) * cf * esc
    col["fixed cost"] = -b(costs.fixed_cost) * plan.built * esc
    startup = zeros.copy()
    startup[..., C] -= np.asarray(costs.startup) * esc[..., C]
    col["start-up"] = startup

    spent = -(capital + col["grant"])
    base = spent.sum(axis=-1)
    dep = zeros.copy()
    write_off = (
        finance.straight_line if f.depreciation == "straight_line" else finance.declining_balance
    )
    dep[..., C:] = write_off(spent[..., :C].sum(axis=-1), f.depreciation_life, L)
    for j in _later_spends(spend, C):
        dep[..., j + 1 :] += write_off(spent[..., j], f.depreciation_life, n - j - 1)
    col["depreciation"] = dep
    draws, interest, principal = _debt(
        -capital * b(f.debt_share), np.asarray(f.debt_rate, dtype=float), f.debt_term, C, spend
    )
    col["loan drawn"], col["interest"], col["principal repaid"] = draws, interest, principal
    salvage = zeros.copy()
    salvage[..., -1] = np.asarray(f.salvage) * np.asarray(costs.fixed_capital) * esc[..., -1]
    col["salvage"] = salvage
    gain = zeros.copy()
    gain[..., -1] = salvage[..., -1] - (base - dep.sum(axis=-1))

    before_tax = col["variable cost"] + col["fixed cost"] + startup - dep - interest + gain
    others = (
        capital
        + col["grant"]
        + land
        + wc
        + draws
        - interest
        - principal
        + col["variable cost"]
        + col["fixed cost"]
        + startup
        + salvage
    )
    credit = spent * b(f.qualifying_share) * b(f.investment_credit) * (plan.years <= f.credit_until)
    tax_of = lambda m: credited(
        income_tax(m[..., None] * revenue + before_tax, f.tax_rate, f.losses),
        credit,
        f.credit_cap,
        f.losses,
    )
    net_of = lambda m: m[..., None] * revenue + others - tax_of(m)
    one = np.ones(np.shape(zeros)[:-1])
    tax = tax_of(one)
    col["investment credit used"] = income_tax(revenue + before_tax, f.tax_rate, f.losses) - tax
    net = revenue + others - tax
    col["revenue"] = revenue
    col["taxable income"] = revenue + before_tax
    col["income tax"] = -tax
    col["net cash flow"] = net
    col["cumulative"] = np.cumsum(net, axis=-1)
    disc = finance.discount_factors(rate, n)
    col["discounted"] = net * disc
    col["cumulative discounted"] = np.cumsum(col["discounted"], axis=-1)

    recovery = net - land - wc
    npv_of = lambda m: (net_of(m) * disc).sum(axis=-1)
    multiplier = _zero_of_increasing(
        npv_of, np.shape(one), scale=(np.abs(others) * disc).sum(axis=-1) + 1.0
    )
    reo = b(costs.reo_kg_per_yr) * cf * esc
    pv_reo = (reo * disc).sum(axis=-1)
    pv = lambda x: -(x * disc).sum(axis=-1)
    parts = {
        "capital": pv(capital + col["grant"] + salvage),
        "land and working capital": pv(land + wc),
        "start-up": pv(startup),
        "variable": pv(col["variable cost"]),
        "fixed": pv(col["fixed cost"]),
    }
    pv_cost = sum(parts.values())
    per_kg = lambda x: np.where(pv_reo > 0, x / np.where(pv_reo > 0, pv_reo, 1.0), np.nan)
    price = per_kg((revenue * disc).sum(axis=-1))
    metrics = Metrics(
        npv=col["cumulative discounted"][..., -1],
        irr=finance.irr(net),
        payback_yr=finance.payback(recovery) - (C - 1),
        discounted_payback_yr=finance.payback(recovery, rate) - (C - 1),
        levelised_cost=per_kg(pv_cost),
        price_multiplier=multiplier,
        min_selling_price=multiplier * price,
        levelised_parts={k: per_kg(v) for k, v in parts.items()},
    )
    columns = {k: col[k] for k in COLUMNS}
    return CashFlow(columns, C, metrics, plan.years)


def credited(tax, credit, cap, losses: str) -> np.ndarray:
    """Tax (..., n) less the investment ``credit`` (..., n) earned each year, used the same year up
    to ``cap`` [-] of a positive tax (what is not used is lost); with ``losses = 'credit'`` the
    group's tax takes it in full."""
    if losses == "credit":
        return tax - credit
    return tax - np.minimum(credit, np.asarray(cap, dtype=float)[..., None] * np.maximum(tax, 0.0))


def income_tax(taxable, rate, losses: str) -> np.ndarray:
    """Tax paid each year (..., n) on ``taxable`` income (..., n) at ``rate`` [-].

    'credit': rate x taxable (a loss gives a credit). 'carry_forward': a loss offsets later profits
    without limit; the income taxed up to year t is then max(0, max over s <= t of the cumulative
    taxable income up to s), and each year pays the rate on that total's increase.
    """
    x = np.asarray(taxable, dtype=float)
    r = np.asarray(rate, dtype=float)[..., None]
    if losses == "credit":
        return r * x
    taxed = np.maximum(np.maximum.accumulate(np.cumsum(x, axis=-1), axis=-1), 0.0)
    paid = taxed.copy()
    paid[..., 1:] -= taxed[..., :-1]
    return r * paid


def _later_spends(spend: np.ndarray, C: int) -> list[int]:
    """Years from the first operating year C on with capital spend (later trains), before the last
    year."""
    return [j for j in range(C, spend.shape[-1] - 1) if np.any(spend[..., j] > 0)]


def _debt(draws, rate, term: int, C: int, spend: np.ndarray):
    """Loan drawn (..., n), interest paid and principal repaid each year (positive numbers): the
    draws before year C as one loan repaid from year C, each later year's draw as a loan repaid from
    the year after it (see :func:`_loan`)."""
    n = draws.shape[-1]
    first = draws.copy()
    first[..., C:] = 0.0
    _, interest, principal = _loan(first, rate, term, C)
    for j in range(C, n):
        if np.any(spend[..., j] > 0):
            tranche = np.zeros_like(draws)
            tranche[..., j] = draws[..., j]
            _, i_j, p_j = _loan(tranche, rate, term, min(j + 1, n))
            interest, principal = interest + i_j, principal + p_j
    return draws, interest, principal


def _loan(draws, rate, term: int, C: int):
    """Loan drawn (..., n), interest paid and principal repaid each year (positive numbers).

    Interest is paid on the balance at the start of each year; instalments run from year C for
    ``term`` years; a balance left when the years run out is repaid in the last year.
    """
    n = draws.shape[-1]
    r1 = np.asarray(rate, dtype=float)[..., None]
    balance_start = np.concatenate(
        [np.zeros(draws.shape[:-1] + (1,)), np.cumsum(draws, axis=-1)[..., :-1]], axis=-1
    )
    principal = np.zeros_like(draws)
    interest = np.zeros_like(draws)
    interest[..., :C] = (r1 * balance_start)[..., :C]
    B0 = draws[..., :C].sum(axis=-1)
    k = np.arange(1, n - C + 1)  # instalment number in operating year C + k - 1
    pay = finance.annuity_payment(B0, rate, term)[..., None]
    growth = (1.0 + r1) ** (k - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        owed = np.where(
            np.abs(r1) > 1e-12,
            B0[..., None] * growth - pay * (growth - 1.0) / np.where(r1 != 0, r1, 1.0),
            B0[..., None] - pay * (k - 1),
        )  # balance before instalment k
    owed = np.maximum(owed, 0.0)
    active = k <= term
    interest[..., C:] = np.where(active, r1 * owed, 0.0)
    principal[..., C:] = np.where(active, np.minimum(pay - r1 * owed, owed), 0.0)
    left = B0 - principal.sum(axis=-1)
    principal[..., -1] += np.where(left > 1e-9 * (np.abs(B0) + 1.0), left, 0.0)
    return draws, interest, principal


def _zero_of_increasing(fn, shape, scale, tol: float = 1e-9) -> np.ndarray:
    """Root m (shape) of fn(m) = 0 for fn increasing in m (NPV against the price multiplier), by a
    bracket search and regula falsi; NaN where fn does not increase (no revenue)."""
    lo, hi = np.zeros(shape), np.ones(shape)
    f_lo, f_hi = fn(lo), fn(hi)
    rising = f_hi > f_lo
    linear = -f_lo / np.where(rising, f_hi - f_lo, 1.0)  # the root if fn were linear
    past = rising & (linear > 1.0)  # start the bracket search near it
    hi = np.where(past, 1.05 * linear, hi)
    f_hi = np.where(past, fn(hi), f_hi)
    for _ in range(64):  # widen until the root is bracketed
        up = rising & (f_hi < 0)
        down = rising & (f_lo > 0)
        if not (up.any() or down.any()):
            break
        width = hi - lo
        lo, f_lo, hi, f_hi = (
            np.where(up, hi, lo),
            np.where(up, f_hi, f_lo),
            np.where(down, lo, hi),
            np.where(down, f_lo, f_hi),
        )
        lo = np.where(down, lo - 2 * width, lo)
        hi = np.where(up, hi + 2 * width, hi)
        f_lo = np.where(down, fn(lo), f_lo)
        f_hi = np.where(up, fn(hi), f_hi)
    ok = rising & (f_lo <= 0) & (f_hi >= 0)
    m = bracketed_root(fn, lo, hi, f_lo, f_hi, xtol=1e-10, ftol=tol * scale, active=ok)
    return np.where(ok, m, np.nan)
