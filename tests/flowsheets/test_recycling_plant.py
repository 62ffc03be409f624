"""The whole plant: short loop beside the hydrometallurgical route; the routes reduce to each other
at the ends of the feed split; the route comparison; bad input."""

import numpy as np
import pytest
from conftest import assert_param_error

from plant import model, report
from plant.params import with_values

TOL = 1e-9
ECONOMICS = ("capex_usd", "opex_usd_per_yr", "revenue_usd_per_yr", "npv_usd", "cost_usd_per_kg_reo")


def test_base_plant_makes_magnets_and_oxides_and_closes(base):
    ev = model.evaluate(base)
    r = ev.flowsheet
    assert r.max_imbalance() < TOL
    names = [p.name for p in r.products]
    assert names == ["NdFeB_magnet", "NdPr_oxide", "Tb_oxide", "Dy_oxide"]
    for prod in r.products:
        if prod.kind == "oxide":
            assert float(r.purity(prod)) >= 0.995  # SX flows tuned for this route's feed
    magnets = float(r.product_t_per_yr(r.products[0]))
    assert magnets > 100
    # residues (coating, fines, failed parts, swarf) reach the hydromet route
    assert float(r.units["hydromet_feed"].inlets["residues"].mass_flow) > 0


def test_split_zero_reduces_to_the_hydromet_route(base):
    p = with_values(base, {"sorting.split": 0.0})
    combined, alone = model.evaluate(p), model.evaluate(p, "hydromet")
    assert float(combined.flowsheet.product_t_per_yr(combined.flowsheet.products[0])) == 0.0
    for key in ECONOMICS:
        assert float(combined.economics.summary()[key]) == pytest.approx(
            float(alone.economics.summary()[key]), rel=1e-9
        )
    for key, v in alone.energy.summary().items():
        assert float(combined.energy.summary()[key]) == pytest.approx(
            float(v), rel=1e-9, abs=1e-9
        ), key
    for name, s in alone.flowsheet.streams.items():
        np.testing.assert_allclose(
            combined.flowsheet.streams[name].flows, s.flows, rtol=1e-12, atol=1e-300
        )
    # the idle short loop adds no equipment, operators or energy
    lines = {line.tag: pr for line, pr in combined.economics.capex.equipment}
    for tag, priced in lines.items():
        if tag.split(":")[0] in (
            "degassing",
            "jet_milling",
            "sintering",
            "annealing",
            "machining",
            "coating_removal",
        ):
            assert float(priced.installed) == 0.0, tag


def test_split_one_on_sortable_feed_reduces_to_the_short_loop(base):
    # every source fully sortable: the combined plant's short loop is the short loop alone, and the
    # hydromet route receives only its residues
    values = {f"feed.sources.{n}.short_loop_share": 1.0 for n in base.feed.sources}
    p = with_values(base, {**values, "sorting.split": 1.0})
    combined, alone = model.run(p), model.run(p, "short_loop")
    short_units = (
        "sorting",
        "hydrogen_decrepitation",
        "coating_removal",
        "degassing",
        "jet_milling",
        "blending",
        "sintering",
        "annealing",
        "machining",
        "short_loop_residues",
    )
    for u in short_units:
        for port, s in alone.units[u].outlets.items():
            np.testing.assert_allclose(
                combined.units[u].outlets[port].flows, s.flows, rtol=1e-12, atol=1e-300
            )
    assert float(combined.units["sorting"].outlets["hydromet"].mass_flow) == 0.0
    assert float(combined.units["feed_preparation"].inlets["magnets"].mass_flow) == 0.0
    magnet = combined.products[0]
    assert float(combined.product_t_per_yr(magnet)) == pytest.approx(
        float(alone.product_t_per_yr(magnet)), rel=1e-12
    )


def test_short_loop_alone_buys_only_what_it_can_take_and_sells_its_residues(base):
    ev = model.evaluate(base, "short_loop")
    r = ev.flowsheet
    assert r.max_imbalance() < TOL
    assert [p.name for p in r.products] == ["NdFeB_magnet"]
    sortable = sum(s.magnet_flow * s.short_loop_share for s in base.feed.sources.values())
    seconds_per_year = 365.25 * 86400
    scrap = sum(s.mass_flow for s in r.units["sorting"].inlets.values())
    assert float(r.annual_t(scrap)) == pytest.approx(sortable * seconds_per_year / 1000, rel=1e-9)
    assert float(ev.economics.revenue["scrap sales"]) > 0
    # the residues are sold, not landfilled: the only solid discharge is the magnets left in the
    # parts
    assert r.sold == (r.streams["short_loop_residues.mixed"],)
    assert float(r.discharges()["solid_residue"]) == pytest.approx(
        float(r.streams["sorting.rejects"].mass_flow)
    )


def test_route_comparison_in_the_json_and_the_text(base):
    ev = model.evaluate(base)
    routes = model.compare_routes(base, ev)
    s = report.summary(ev, routes)
    assert set(s["routes"]) == {"combined", "hydromet", "short_loop"}
    for r in s["routes"].values():
        assert {"reo_t_per_yr", "capex_usd", "npv_usd", "cost_usd_per_kg_reo", "products"} <= set(r)
    assert s["routes"]["combined"]["npv_usd"] == s["economics"]["npv_usd"]
    assert s["products"]["NdFeB_magnet"]["t_per_yr"] > 0
    assert s["products"]["NdFeB_magnet"]["price_usd_per_kg"] == base.economics.magnet_prices["40H"]
    # REO equivalent of the magnets: their rare earths as oxides, about 0.36 kg per kg of magnet
    m = s["products"]["NdFeB_magnet"]
    assert 0.3 < m["reo_t_per_yr"] / m["t_per_yr"] < 0.4
    assert s["short_loop"]["magnet_yield"] == pytest.approx(
        m["t_per_yr"] / s["short_loop"]["sorted_magnets_t_per_yr"]
    )
    text = report.text(ev, routes)
    assert (
        "Routes compared on the same feed" in text
        and "short loop alone" in text
        and "Short loop" in text
    )


@pytest.mark.parametrize(
    "override, words",
    [
        ("sorting.split=1.5", ["sorting.split", "between 0 and 1", "1.5"]),
        ("sorting.split=-0.1", ["sorting.split", "between 0 and 1"]),
        (
            "feed.sources.hdd.composition={Nd = 0.3, Fe = 0.6}",
            ["feed.sources.hdd.composition", "summing to 1"],
        ),
        (
            "feed.sources.hdd.short_loop_share=2",
            ["feed.sources.hdd.short_loop_share", "between 0 and 1"],
        ),
        (
            "economics.products.magnet_grade='N99'",
            ["--set", "economics.products.magnet_grade", "N99", "40H"],
        ),
        (
            "blending.composition={Nd = 0.5, Fe = 0.5}",
            ["blending.composition", "rare-earth metals only", "Fe"],
        ),
        (
            "hydrogen_decrepitation.retained_hydrogen=3",
            ["hydrogen_decrepitation.retained_hydrogen", "at most grain_boundary_hydrogen"],
        ),
        ("jet_milling.specific_energy='1 kg'", ["jet_milling.specific_energy", "kWh"]),
        ("economics.magnet_prices.N35='-3 USD/kg'", ["economics.magnet_prices.N35", ">= 0"]),
    ],
)
def test_bad_short_loop_input_names_the_key(override, words):
    assert_param_error(override, words)


def test_an_unknown_route_is_a_clear_error(base):
    from plant.errors import ParamError

    with pytest.raises(ParamError, match="combined, hydromet, short_loop"):
        model.run(base, "magnets_only")
