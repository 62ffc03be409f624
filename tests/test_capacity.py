"""Capacity against the demand target: demand path, build schedule, feed limits, the concentrate
route."""

import json

import numpy as np
import pytest

from plant import capacity, export, model, report
from plant.costing.cashflow import ProjectCosts, cash_flow
from plant.costing.schedule import schedule, single_build
from plant.errors import ParamError
from plant.jsonout import dumps
from plant.params import with_values
from plant.uom import SECONDS_PER_YEAR
from tests.conftest import assert_param_error

T_PER_YR = 1000.0 / SECONDS_PER_YEAR  # kg/s per t/yr
SOURCES = ("hdd", "motor", "consumer_electronics", "swarf")


@pytest.fixture(scope="module")
def ev(base):
    return model.evaluate(base)


def ample(p, t_per_yr=1e6):
    """Parameters whose every supply is far above its design intake."""
    return with_values(p, {f"feed.sources.{n}.available": t_per_yr * T_PER_YR for n in SOURCES})


def test_demand_path_linear_and_compound_by_hand(base, reg):
    # base: 1,500 t/yr in 2025 -> 2,000 t/yr in 2035 (Reuters 11 Feb 2026 / CNA 3 Feb 2026), flat
    # outside
    d = base.capacity.demand
    assert d.t_per_yr(np.array([2020, 2025, 2030, 2035, 2040]), reg) == pytest.approx(
        [1500, 1500, 1750, 2000, 2000]
    )
    compound = with_values(base, {"capacity.demand.path": "compound"}).capacity.demand
    assert compound.t_per_yr(np.array([2030]), reg)[0] == pytest.approx(1500 * (2000 / 1500) ** 0.5)


def test_demand_given_as_metal_is_converted_to_oxide(base, reg):
    metal = with_values(base, {"capacity.demand.basis": "metal"}).capacity.demand
    # mix 70 % Nd, 25 % Pr, 4.5 % Dy, 0.5 % Tb; Nd2O3/2Nd = 336.48/288.48, Pr6O11/6Pr, Dy2O3/2Dy,
    # Tb4O7/4Tb
    ratio = (
        0.70 * 336.48 / 288.48
        + 0.25 * 1021.44 / 845.45
        + 0.045 * 373.0 / 325.0
        + 0.005 * 747.7 / 635.7
    )
    assert metal.t_per_yr(np.array([2025]), reg)[0] == pytest.approx(1500 * ratio, rel=1e-3)


def test_build_schedule_pilot_then_trains_by_hand(base):
    s = schedule(base.economics.build, base.economics.finance)
    # pilot 10 % on line 2029, trains of 45 % in 2030 and 2031, each ramping 0.5, 0.8, 1
    assert list(s.years[:7]) == [2027, 2028, 2029, 2030, 2031, 2032, 2033]
    assert s.installed[:7] == pytest.approx(
        [0, 0, 0.05, 0.08 + 0.225, 0.1 + 0.36 + 0.225, 0.1 + 0.45 + 0.36, 1.0]
    )
    assert s.spend.sum() == pytest.approx(1.0)
    assert s.spend[:4] == pytest.approx([0.04, 0.06 + 0.18, 0.27 + 0.18, 0.27])
    assert s.built[2:6] == pytest.approx([0.1, 0.55, 1.0, 1.0])


def test_one_train_cash_flow_equals_building_at_once(base, ev):
    f = base.economics.finance
    one = with_values(
        base, {"economics.build.pilot_share": 0.0, "economics.build.trains": 1}
    ).economics.build
    c = ProjectCosts(40e6, 6e6, 3e6, 3e6, 120e6, 90e6, 20e6, 1e6)
    a, b = cash_flow(c, f, schedule(one, f)), cash_flow(c, f, single_build(f))
    for k in a.columns:
        assert a.columns[k] == pytest.approx(b.columns[k], rel=1e-12, abs=1e-6), k
    assert ev.economics.cash.columns["net cash flow"].shape[-1] == len(
        schedule(base.economics.build, f).years
    )


def test_later_trains_borrow_and_repay_all_they_spend(ev, base):
    c = ev.economics.cash.columns
    debt_share = base.economics.finance.debt_share
    assert c["loan drawn"].sum() == pytest.approx(-c["capital"].sum() * debt_share)
    assert c["principal repaid"].sum() == pytest.approx(c["loan drawn"].sum())


def test_supply_shares_add_up_to_the_design_products(base):
    # random parameters (batch): the per-supply shares sum exactly to each product's REO equivalent
    rng = np.random.default_rng(3)
    n = 6
    p = with_values(
        base,
        {
            "sorting.split": rng.uniform(0, 1, n),
            "feed.sources.hdd.liberation_recovery": rng.uniform(0.5, 1, n),
            "feed.sources.swarf.magnet_flow": rng.uniform(0.01, 0.1, n),
            "solvent_extraction.mode": "constant_D",
        },
    )
    r = model.run(p)
    names, owed, design, usable = capacity.supply_yields(r, p)
    assert names == (*SOURCES, "concentrate")
    assert usable == pytest.approx(1.0)
    for prod in r.products:  # owed: (..., n_supplies, n_RE)
        assert owed[prod.name].sum(axis=(-1, -2)) / T_PER_YR == pytest.approx(
            r.reo_t_per_product(prod), rel=1e-12
        )


def test_coverage_and_target_arithmetic(ev):
    c = ev.capacity
    assert c.target == pytest.approx(0.5 * c.demand)
    assert c.coverage == pytest.approx(c.reo / c.demand)
    s = report.summary(ev)["capacity"]
    i = list(c.years).index(2029)
    assert s["target_year"] == 2029 and s["demand_t_per_yr"] == pytest.approx(1700.0)
    assert s["target_t_per_yr"] == pytest.approx(850.0)
    assert s["reo_t_per_yr"] == pytest.approx(c.reo[i]) and s[
        "coverage_of_demand"
    ] == pytest.approx(c.reo[i] / 1700)
    assert s["shortfall_t_per_yr"] == pytest.approx(850.0 - c.reo[i])
    assert set(s["by_year"]) >= {
        "year",
        "demand_t_per_yr",
        "reo_t_per_yr",
        "coverage_of_demand",
        "limited_by",
        "NdPr_oxide_t_per_yr",
        "swarf_intake_t_per_yr",
    }


def test_feed_limited_and_capacity_limited_years(ev, base):
    c = ev.capacity
    limited = dict(zip(c.years, c.limited_by))
    assert limited[2027] == "not built" and limited[2030] == "capacity" and limited[2033] == "feed"
    assert c.reo[list(c.years).index(2033)] < c.installed[list(c.years).index(2033)]
    rich = model.evaluate(ample(base)).capacity
    operating = rich.installed > 0
    assert np.all(rich.limited_by[operating] == "capacity")
    assert rich.reo == pytest.approx(rich.installed)
    assert rich.reo[-1] == pytest.approx(float(rich.nameplate))  # the whole plant, on its full feed


def test_target_met_and_not_met(ev, base):
    assert not bool(
        ev.capacity.summary()["target_met"]
    )  # base: 49 t/yr of 850 in 2029 (pilot only)
    late = model.evaluate(
        with_values(ample(base), {"capacity.target_year": 2033})
    ).capacity.summary()
    assert (
        bool(late["target_met"])
        and late["year_target_met"] == 2033
        and late["shortfall_t_per_yr"] == 0
    )
    text = report.verdict(
        report.summary(model.evaluate(with_values(ample(base), {"capacity.target_year": 2033})))[
            "capacity"
        ]
    )
    assert text.startswith("Meets the target (50 % of demand) in 2033")
    assert "Short of the target (50 % of demand) by" in report.verdict(
        report.summary(ev)["capacity"]
    )


def test_off_spec_product_does_not_count_toward_the_target(base):
    """A purity spec no oxide reaches: the oxides are made and sold at a discount, but only the
    magnets (sold by grade) count, everywhere: coverage, the verdict, the year table, the JSON."""
    rich = with_values(ample(base), {"capacity.target_year": 2033})
    good = model.evaluate(rich)
    strict = model.evaluate(with_values(rich, {"economics.products.purity_spec": 0.99999}))
    s = report.summary(strict)
    c = s["capacity"]
    assert [p["on_spec"] for p in s["products"].values()] == [True, False, False, False]
    assert s["products"]["NdFeB_magnet"]["purity_spec"] is None
    assert s["products"]["NdPr_oxide"]["purity_spec"] == pytest.approx(0.99999)
    # the plant makes what it made; only the magnets' share counts
    assert c["reo_t_per_yr"] == pytest.approx(good.capacity.summary()["reo_t_per_yr"])
    magnets = strict.capacity.routes["short_loop"]
    i = list(strict.capacity.years).index(2033)
    assert c["on_spec_reo_t_per_yr"] == pytest.approx(magnets[i])
    assert c["on_spec_reo_t_per_yr"] + c["off_spec_reo_t_per_yr"] == pytest.approx(
        c["reo_t_per_yr"]
    )
    assert c["coverage_of_demand"] == pytest.approx(magnets[i] / c["demand_t_per_yr"])
    assert good.capacity.summary()["target_met"] and not c["target_met"]
    assert c["limited_by"] == "off spec"
    assert "(limited by off-spec product; " in report.verdict(c)
    assert "made off spec does not count" in report.verdict(c)
    # short of the target on capacity alone: the limit stays capacity, the off-spec part is said
    pilot = report.summary(
        model.evaluate(with_values(base, {"economics.products.purity_spec": 0.99999}))
    )["capacity"]
    assert pilot["limited_by"] == "capacity" and pilot["reo_t_per_yr"] < pilot["target_t_per_yr"]
    assert "(capacity-limited; " in report.verdict(pilot) and "made off spec" in report.verdict(
        pilot
    )
    assert "OFF SPEC (99.999 %)" in report.text(strict)


def test_no_product_on_spec_gives_no_nameplate_and_says_why(base):
    # the circuits as given (a design would be made for the spec) make nothing at 99.999 %
    values = {"economics.products.purity_spec": 0.99999, "sorting.split": 0.0}
    p = with_values(base, {**values, "solvent_extraction.train": "as_given"})
    out = json.loads(dumps(report.summary(model.evaluate(p))))["capacity"]
    assert out["on_spec_reo_t_per_yr"] == 0.0 and out["nameplate_needed_t_per_yr"] is None
    assert "no product is on spec" in out["nameplate_needed_t_per_yr_reason"]


def test_zero_feed_gives_zero_output_not_an_error(base):
    values = {f"feed.sources.{n}.available": 0.0 for n in SOURCES}
    values.update(
        {f"feed.sources.{n}.collection_rate": 0.0 for n in ("hdd", "motor", "consumer_electronics")}
    )
    ev = model.evaluate(with_values(base, values))
    c = ev.capacity
    assert np.all(c.reo == 0) and np.all(np.isfinite(c.coverage)) and not c.met.any()
    assert np.all(c.limited_by[c.installed > 0] == "feed")
    s = report.summary(ev)
    assert s["capacity"]["year_target_met"] is None and s["economics"]["npv_usd"] < 0


def test_linearised_years_agree_with_a_re_evaluated_plant(base):
    # 2033, feed-limited: re-run the flowsheet at that year's intakes and compare the REO of each
    # product (only the short loop's make-up, set by its HDD/motor mix, is not linear in the feed)
    p = with_values(base, {"solvent_extraction.mode": "constant_D"})
    c = model.evaluate(p).capacity
    i = list(c.years).index(2033)
    intake = {
        f"feed.sources.{n}.magnet_flow": c.intake[k, i] * T_PER_YR for k, n in enumerate(SOURCES)
    }
    again = model.run(with_values(p, intake))
    assert c.reo[i] == pytest.approx(float(again.reo_t_per_yr()), rel=1e-3)
    design = model.run(p)
    for prod in again.products:
        own = design.product(prod.name)
        made = c.products[prod.name][i] * float(
            design.reo_t_per_product(own) / design.product_t_per_yr(own)
        )
        assert made == pytest.approx(float(again.reo_t_per_product(prod)), rel=1e-3), prod.name


def test_concentrate_route_conserves_and_counts_its_supply(base):
    rng = np.random.default_rng(5)
    n = 4
    p = with_values(
        base,
        {
            "concentrate.flow": rng.uniform(0.005, 0.05, n),
            "concentrate_dissolution.dissolution_oxide.Ce": rng.uniform(0, 1, n),
        },
    )
    ev = model.evaluate(p)
    r = ev.flowsheet
    assert r.max_imbalance() < 1e-9
    assert r.purchased["concentrate"] is r.streams["concentrate_dissolution.solids"]
    assert "LaCe_oxide" in [q.name for q in r.products]
    gas = r.streams["concentrate_dissolution.offgas"]
    conc = r.streams["concentrate_dissolution.solids"]
    carbon = conc.element("C")
    assert gas.element("C") == pytest.approx(
        carbon * 0.99
    )  # every carbonate dissolved (0.99) -> CO2
    assert r.streams["concentrate_filter.cake"].flows[
        ..., r.registry.index("SiO2")
    ] == pytest.approx(conc.flows[..., r.registry.index("SiO2")])  # insolubles stay in the cake
    names, owed, design, usable = capacity.supply_yields(r, p)
    assert design[..., -1] == pytest.approx(p.concentrate.flow)
    assert np.all(ev.capacity.nameplate > model.evaluate(base).capacity.nameplate)


def test_concentrate_acid_demand_by_hand(base, reg):
    # 1 mol/s Nd2(CO3)3 + 6 HCl -> 2 NdCl3 + 3 H2O + 3 CO2: 6 mol/s HCl, dosed x acid_excess;
    # 3 mol/s CO2
    from plant.stream import Stream
    from plant.units import concentrate_dissolution

    f = np.zeros(reg.n)
    f[reg.index("Nd2(CO3)3")] = 1.0
    p = with_values(base.concentrate_dissolution, {"dissolution_carbonate.Nd": 1.0})
    u = concentrate_dissolution.run(Stream.owned(f, registry=reg), p, "HCl")
    assert u.performance["acid_consumed_kg_per_s"] == pytest.approx(
        6 * reg.molar_mass[reg.index("HCl(aq)")]
    )
    assert u.reagents["HCl"] == pytest.approx(6 * 1.1 * reg.molar_mass[reg.index("HCl(aq)")])
    assert u.outlets["offgas"].flows[reg.index("CO2")] == pytest.approx(3.0)


def test_capacity_table_in_csv_and_excel(ev, tmp_path):
    import pandas as pd

    export.write_outputs(tmp_path, ev, report.summary(ev))
    table = pd.read_csv(tmp_path / "capacity.csv")
    assert list(table["year"][:3]) == [2027, 2028, 2029]
    assert "capacity" in pd.ExcelFile(tmp_path / "plant.xlsx").sheet_names


def test_trial_line_scenario_targets_one_third():
    p = model.load_params("params/scenarios/trial_line.toml")
    assert p.capacity.target_share == pytest.approx(1 / 3, rel=1e-3)


@pytest.mark.parametrize(
    "override, words",
    [
        (
            'capacity.demand.points={2035 = "2000 t/yr", 2025 = "1500 t/yr"}',
            ["capacity.demand.points", "increasing order", "2025 after 2035"],
        ),
        (
            'capacity.demand.points={twenty = "2000 t/yr"}',
            ["capacity.demand.points.twenty", "calendar year"],
        ),
        (
            'feed.sources.hdd.available="-5 t/yr"',
            ["feed.sources.hdd.available", "cannot be negative"],
        ),
        ('concentrate.available="-5 t/yr"', ["concentrate.available", "cannot be negative"]),
        ("capacity.target_share=1.5", ["capacity.target_share", "between 0 and 1"]),
        ("capacity.demand.path='straight'", ["capacity.demand.path", "'linear'"]),
        (
            "feed.sources.hdd.collection_rate=1.2",
            ["feed.sources.hdd.collection_rate", "between 0 and 1"],
        ),
        (
            "economics.feed.terms.concentrate.payable=1.4",
            ["economics.feed.terms.concentrate.payable", "1"],
        ),
        (
            "concentrate.composition={Nd2O3 = 0.5, Xx = 0.5}",
            ["concentrate.composition.Xx", "unknown species"],
        ),
    ],
)
def test_bad_capacity_input_names_the_key(override, words):
    assert_param_error(override, words)


def test_a_missing_supply_and_a_target_year_outside_the_schedule_are_named(base, tmp_path):
    p = tmp_path / "s.toml"
    p.write_text(
        '[feed.sources.new]\nsource = "x"\nmagnet_flow = "1 t/yr"\n'
        "composition = { Nd = 0.3, Fe = 0.7 }\n"
        'liberation_recovery = 1.0\nshort_loop_share = 0.0\npart_magnet_mass = "1 kg"\n'
        'disassembly_time = "0 s"\nsupply_growth = 0.0\n'
    )
    with pytest.raises(ParamError) as e:
        model.load_params(p)
    assert "feed.sources.new.available" in str(e.value) and str(p) in str(e.value)
    with pytest.raises(ParamError) as e:
        model.evaluate(with_values(base, {"capacity.target_year": 2100}))
    assert "capacity.target_year" in str(e.value) and "2027-" in str(e.value)
