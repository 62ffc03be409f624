"""The costing layer on the base plant: itemised tables, prices, the selling price, batch, bad
input."""

from dataclasses import replace

import numpy as np
import pytest
from conftest import assert_param_error

from plant import model
from plant.costing.economics import evaluate
from plant.params import with_values


def test_capex_build_up_sums_to_its_totals(base_eval):
    c = base_eval.economics.capex
    b = c.build_up
    assert b["purchased equipment"] + b["installation (bare-module factors)"] == pytest.approx(
        b["installed equipment"]
    )
    outside = ("buildings", "yard improvements and site", "service facilities (utilities)")
    assert b["installed equipment"] + sum(b[k] for k in outside) + b["laboratory"] + b[
        "first fill of the SX organic"
    ] == pytest.approx(b["direct cost"])
    assert b["engineering"] + b["construction expenses"] + b["contractor's fee"] == pytest.approx(
        b["indirect cost"]
    )
    assert b["direct cost"] + b["indirect cost"] + b["location adjustment"] + b[
        "owner's costs"
    ] + b["contingency"] == pytest.approx(b["fixed capital"])
    assert sum(c.by_area().values()) == pytest.approx(b["installed equipment"])
    assert b["fixed capital"] + b["working capital"] + b["start-up"] + b["land"] == pytest.approx(
        c.total
    )
    eq = c.equipment_frame()
    assert eq["purchased_usd"].sum() == pytest.approx(b["purchased equipment"])
    assert (eq["installed_usd"] >= eq["purchased_usd"]).all()
    # every wet, hot and solids unit of the flowsheet is priced
    tags = " ".join(eq["equipment"])
    for unit in (
        "leaching",
        "leach_filter",
        "impurity_removal",
        "iron_filter",
        "sx_heavy",
        "oxalate_NdPr",
        "calcination_NdPr",
        "roasting",
        "feed_preparation",
    ):
        assert unit in tags


def test_opex_lines_sum_to_the_total_and_the_variable_part(base_eval):
    o = base_eval.economics.opex
    df = o.frame()
    assert df["usd_per_yr"].sum() == pytest.approx(o.total)
    assert df.loc[df["variable"], "usd_per_yr"].sum() == pytest.approx(o.variable_total)
    assert set(df["category"]) >= {"feed", "reagents", "utilities", "disposal", "labour", "fixed"}
    assert (df["usd_per_yr"] >= 0).all()


def test_reagent_cost_is_use_times_price(base, base_eval):
    r = base_eval.flowsheet
    hcl_t = float(r.annual_t(r.reagents()["HCl"]))
    assert base_eval.economics.opex.lines["reagent: HCl"] == pytest.approx(
        hcl_t * 1000 * base.economics.reagents["HCl"]
    )


def test_lang_method(base, base_eval):
    ev = evaluate(
        base_eval.flowsheet,
        base_eval.energy,
        with_values(base, {"economics.capex.method": "lang"}).economics,
    )
    b = ev.capex.build_up
    assert b["fixed capital"] == pytest.approx(
        base.economics.capex.lang_factor * b["purchased equipment"]
        + b["first fill of the SX organic"]
    )


def test_a_higher_oxide_price_raises_npv_when_the_feed_price_is_fixed(base, base_eval):
    fixed = with_values(base, {"economics.feed.basis": "per_kg"})
    up = with_values(fixed, {"economics.oxide_prices.Nd": base.economics.oxide_prices.Nd * 1.2})
    before = evaluate(base_eval.flowsheet, base_eval.energy, fixed.economics).cash.metrics.npv
    assert evaluate(base_eval.flowsheet, base_eval.energy, up.economics).cash.metrics.npv > before


def test_scrap_bought_on_terms_costs_more_when_oxide_prices_rise(base, base_eval):
    # the feed is paid a share of its value: a dearer Nd raises its cost, so the NPV gains less
    # than it would with the feed at a fixed price per kg
    def npv_and_feed(p):
        ev = evaluate(base_eval.flowsheet, base_eval.energy, p.economics)
        return float(ev.cash.metrics.npv), float(ev.opex.lines["feed purchase"])

    nd = base.economics.oxide_prices.Nd * 1.2
    fixed = with_values(base, {"economics.feed.basis": "per_kg"})
    npv0, feed0 = npv_and_feed(base)
    npv1, feed1 = npv_and_feed(with_values(base, {"economics.oxide_prices.Nd": nd}))
    fixed0, _ = npv_and_feed(fixed)
    fixed1, _ = npv_and_feed(with_values(fixed, {"economics.oxide_prices.Nd": nd}))
    assert feed1 > feed0
    assert npv1 - npv0 < fixed1 - fixed0


def test_minimum_selling_price_gives_zero_npv_when_substituted(base):
    # feed bought per kg, so that the oxide and magnet prices move the revenue only
    p = with_values(base, {"economics.feed.basis": "per_kg"})
    base_run = model.evaluate(p)
    result, energy = base_run.flowsheet, base_run.energy
    ev = evaluate(result, energy, p.economics)
    m = float(ev.cash.metrics.price_multiplier)
    prices = {
        f"economics.oxide_prices.{e}": getattr(p.economics.oxide_prices, e) * m
        for e in ("La", "Ce", "Pr", "Nd", "Sm", "Gd", "Tb", "Dy")
    }
    prices.update(
        {f"economics.magnet_prices.{g}": v * m for g, v in p.economics.magnet_prices.items()}
    )
    at_msp = evaluate(result, energy, with_values(p, prices).economics)
    assert abs(float(at_msp.cash.metrics.npv)) < 1e-6 * float(ev.capex.total)
    assert float(ev.cash.metrics.min_selling_price) == pytest.approx(
        m * float(ev.revenue_total) / float(ev.reo_kg_per_yr), rel=0.02
    )  # ramp-up weights the average


def test_an_oxide_sells_at_the_share_its_grade_fetches(base, base_eval):
    r = base_eval.flowsheet

    def graded(purity, share):
        products = replace(base.economics.products, grade_price=(purity, share))
        return replace(base.economics, products=products)

    full = evaluate(r, base_eval.energy, graded([0.0, 1.0], [1.0, 1.0]))
    ev = evaluate(r, base_eval.energy, graded([0.99, 0.9999], [0.5, 1.0]))
    discounted = 0
    for prod in r.products:  # oxides by grade; magnets sell by their magnet grade
        if prod.kind != "oxide":
            assert ev.prices[prod.name] == pytest.approx(full.prices[prod.name])
            continue
        purity = float(r.purity(prod))
        share = 0.5 + 0.5 * (purity - 0.99) / (0.9999 - 0.99)
        assert ev.prices[prod.name] == pytest.approx(full.prices[prod.name] * share)
        discounted += purity < 0.9999
    assert discounted >= 1


def test_the_grade_price_has_no_cliff_at_the_spec(base):
    # continuous in purity: 1e-6 of purity moves the price by a few parts per million
    from plant.costing.revenue import grade_share

    spec = base.economics.products.purity_spec
    a, b = grade_share(spec - 1e-6, base.economics), grade_share(spec, base.economics)
    assert 0 <= b - a < 1e-4


def test_feed_on_terms_scales_with_the_payable_share(base, base_eval):
    terms = base.economics.feed.terms
    half = with_values(
        base, {f"economics.feed.terms.{n}.payable": t.payable / 2 for n, t in terms.items()}
    )
    ev = evaluate(base_eval.flowsheet, base_eval.energy, half.economics)
    assert ev.opex.lines["feed purchase"] == pytest.approx(
        base_eval.economics.opex.lines["feed purchase"] / 2
    )


def test_magnets_left_in_the_parts_are_not_paid(base):
    # HDD magnets: paid on the liberated share only, so feed cost falls in step with liberation
    from plant.costing.revenue import feed_cost

    def hdd_cost(liberation):
        p = with_values(
            base,
            {
                "feed.sources.hdd.liberation_recovery": liberation,
                **{f"feed.sources.{s}.magnet_flow": 0.0 for s in ("motor", "swarf")},
                "feed.sources.consumer_electronics.magnet_flow": 0.0,
            },
        )
        return float(feed_cost(model.evaluate(p).flowsheet, p.economics))

    assert hdd_cost(0.45) == pytest.approx(hdd_cost(0.9) / 2, rel=1e-9)


def test_treatment_charge_and_penalties_are_deducted(base, base_eval):
    from plant.costing.revenue import feed_cost

    r = base_eval.flowsheet
    swarf = r.purchased["swarf"]
    econ = base.economics
    swarf_terms = replace(econ.feed.terms["swarf"], treatment_charge=2.0, penalties={"Fe": 0.5})
    feed = replace(econ.feed, terms={**econ.feed.terms, "swarf": swarf_terms})
    fe_kg = float(swarf.element("Fe")) * 0.055845
    less = float(feed_cost(r, econ)) - float(feed_cost(r, replace(econ, feed=feed)))
    assert less == pytest.approx(2.0 * float(swarf.mass_flow) + 0.5 * fe_kg, rel=1e-9)


def test_npv_never_falls_when_leach_recovery_rises(base):
    # no price cliff: more rare earths recovered from the same feed, all else equal
    grid = np.linspace(0.90, 0.99, 6)
    rare_earths = ("La", "Ce", "Pr", "Nd", "Sm", "Gd", "Tb", "Dy")
    keys = [f"leaching.dissolution_oxide.{e}" for e in rare_earths]
    p = with_values(base, {k: grid for k in keys})
    npv = np.asarray(model.evaluate(p).economics.cash.metrics.npv)
    assert np.all(np.diff(npv) > 0), npv


def test_json_economics_keys(base_eval):
    from plant import report

    s = report.summary(base_eval)
    e = s["economics"]
    for key in (
        "capex_usd",
        "opex_usd_per_yr",
        "revenue_usd_per_yr",
        "npv_usd",
        "irr",
        "payback_yr",
        "cost_usd_per_kg_reo",
        "min_selling_price_usd_per_kg_reo",
    ):
        assert key in e
    assert e["capex_usd"] > 0 and e["irr"] is None or isinstance(e["irr"], float)
    assert all(p["price_usd_per_kg"] > 0 for p in s["products"].values())


def test_currency_display_uses_the_exchange_rate(base, base_eval):
    assert base_eval.economics.to_twd(1.0) == pytest.approx(base.economics.exchange_rate)


def test_a_batch_equals_its_samples(base, base_eval):
    nd = np.array([60.0, 75.0, 110.0])
    share = np.array([0.6, 0.9, 0.8])
    pb = with_values(
        base, {"economics.oxide_prices.Nd": nd, "economics.feed.terms.swarf.payable": share}
    )
    batch = evaluate(base_eval.flowsheet, base_eval.energy, pb.economics).summary()
    for i in range(3):
        p1 = with_values(
            base,
            {"economics.oxide_prices.Nd": nd[i], "economics.feed.terms.swarf.payable": share[i]},
        )
        one = evaluate(base_eval.flowsheet, base_eval.energy, p1.economics).summary()
        for key in (
            "capex_usd",
            "opex_usd_per_yr",
            "npv_usd",
            "cost_usd_per_kg_reo",
            "min_selling_price_usd_per_kg_reo",
        ):
            assert np.asarray(batch[key])[i] == pytest.approx(float(one[key]))


@pytest.mark.parametrize(
    "override, words",
    [
        ("economics.oxide_prices.Nd=-5 USD/kg", ["economics.oxide_prices.Nd", ">= 0"]),
        ("economics.finance.discount_rate=-1", ["economics.finance.discount_rate", "> -1"]),
        ("economics.finance.plant_life=0", ["economics.finance.plant_life", "between 1 and 60"]),
        (
            "economics.finance.construction_spend=[0.5, 0.6]",
            ["economics.finance.construction_spend", "summing to 1"],
        ),
        (
            "economics.finance.ramp_up=[0.5, 1.5]",
            ["economics.finance.ramp_up[1]", "between 0 and 1"],
        ),
        ("economics.reagents.HCl=250 USD/m^3", ["economics.reagents.HCl", "a price per mass"]),
        ("economics.capex.method=guess", ["economics.capex.method", "'bare_module'"]),
    ],
)
def test_bad_economic_input_names_the_file_and_key(override, words):
    assert_param_error(override, words)


def test_equipment_sizes_from_the_design_records(base, base_eval):
    from plant.costing.plant_equipment import equipment_list
    from plant.reagents import REAGENTS
    from plant.units.equipment import KILN_LENGTH_TO_DIAMETER, kiln_shell_area

    r = base_eval.flowsheet
    lines = {line.tag: line for line in equipment_list(r, base_eval.energy)}
    w, rho = REAGENTS["HCl"].solution
    assert lines["storage: HCl tank"].size == pytest.approx(
        r.reagents()["HCl"] * 14 * 86400 / (w * rho)
    )
    v = 3.0
    d = (4 * v / (np.pi * KILN_LENGTH_TO_DIAMETER)) ** (1 / 3)
    assert np.pi / 4 * d**2 * KILN_LENGTH_TO_DIAMETER * d == pytest.approx(v)  # the kiln holds v
    assert kiln_shell_area(v) == pytest.approx(np.pi * d * KILN_LENGTH_TO_DIAMETER * d)
    sx = lines["sx_heavy: mixer-settler"]
    assert sx.count == r.units["sx_heavy"].circuit.stages


def test_cost_breakdown_adds_up_to_the_levelised_cost(base, base_eval):
    """Every line of the breakdown (capital charge, land and working capital, start-up, each
    operating-cost line) adds up to the levelised cost, for the base case and for a batch; each
    operating line is its share of the variable or fixed part, so feed purchase (variable) and
    maintenance (fixed) keep the ratio of their yearly costs to their totals."""
    e = base_eval.economics
    by = e.cost_breakdown()
    assert sum(by.values()) == pytest.approx(float(e.cash.metrics.levelised_cost), rel=1e-12)
    o = e.opex
    parts = e.cash.metrics.levelised_parts
    assert by["feed purchase"] == pytest.approx(
        float(parts["variable"] * o.lines["feed purchase"] / o.variable_total)
    )
    assert by["maintenance"] == pytest.approx(
        float(parts["fixed"] * o.lines["maintenance"] / o.fixed_total)
    )
    assert max(by, key=by.get) == "feed purchase"  # the base case buys scrap at 90 % of its value
    batch = model.evaluate(
        with_values(base, {"economics.finance.discount_rate": np.array([0.05, 0.1, 0.15])})
    ).economics
    total = sum(batch.cost_breakdown().values())
    np.testing.assert_allclose(total, batch.cash.metrics.levelised_cost, rtol=1e-12)


def test_cost_breakdown_in_json_text_and_workbook(base_eval, tmp_path):
    import io

    import pandas as pd

    from plant import export, report

    s = report.summary(base_eval)
    by = s["economics"]["cost_breakdown_usd_per_kg_reo"]
    assert sum(by.values()) == pytest.approx(s["economics"]["cost_usd_per_kg_reo"])
    assert "What the cost is made of: feed purchase" in report.text(base_eval)
    sheets = pd.read_excel(io.BytesIO(export.excel_workbook(base_eval)), sheet_name=None)
    sheet = sheets["cost_breakdown"]
    assert sheet["usd_per_kg_reo"].sum() == pytest.approx(s["economics"]["cost_usd_per_kg_reo"])


def test_the_us_ndpr_floor_of_110_usd_per_kg_dod_mp_2025_raises_the_npv(base_eval):
    from plant.paths import PARAMS_DIR

    floor = model.load_params(PARAMS_DIR / "scenarios" / "ndpr_floor.toml")
    assert floor.economics.oxide_prices.Nd == pytest.approx(110.0)
    npv = float(model.evaluate(floor).economics.cash.metrics.npv)
    assert npv > float(base_eval.economics.cash.metrics.npv)
