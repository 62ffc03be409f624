"""Demand by use and element, coverage by element from on-spec product, and the target bases."""

import numpy as np
import pytest

from plant import model, report
from plant.capacity.parameters import DEMAND_ELEMENTS, MAGNET_ELEMENTS
from plant.chemistry import RARE_EARTHS
from plant.params import with_values
from tests.conftest import assert_param_error


@pytest.fixture(scope="module")
def summary(base):
    return report.summary(model.evaluate(base))["capacity"]


def test_demand_by_element_adds_up_to_the_total(summary):
    by = summary["by_element"]
    assert set(by) == set(DEMAND_ELEMENTS)
    assert sum(v["demand_t_per_yr"] for v in by.values()) == pytest.approx(
        summary["total_demand_t_per_yr"]
    )
    assert sum(summary["demand_by_application_t_per_yr"].values()) == pytest.approx(
        summary["total_demand_t_per_yr"]
    )


def test_output_by_element_adds_up_to_the_on_spec_output(summary):
    by = summary["by_element"]
    assert sum(v["output_t_per_yr"] for v in by.values()) == pytest.approx(
        summary["on_spec_reo_t_per_yr"], rel=1e-9
    )
    for v in by.values():
        if v["demand_t_per_yr"] > 0:
            assert v["coverage"] == pytest.approx(v["output_t_per_yr"] / v["demand_t_per_yr"])
        else:  # no demand to cover (Ho: none of the uses counts it)
            assert v["coverage"] == 0
    # the plant makes none of the rare earths it does not carry, nor those its feed lacks
    assert by["other"]["output_t_per_yr"] == by["Eu"]["output_t_per_yr"] == 0


def test_off_spec_product_counts_for_nothing(base, summary):
    # a spec above the NdPr oxide's purity: its Nd and Pr leave the count, and are reported
    ev = model.evaluate(with_values(base, {"economics.products.purity_spec": 0.9972}))
    c = report.summary(ev)["capacity"]
    ndpr = report.summary(ev)["products"]["NdPr_oxide"]
    assert not ndpr["on_spec"]
    lost = summary["on_spec_reo_t_per_yr"] - c["on_spec_reo_t_per_yr"]
    assert lost > 0 and c["off_spec_t_per_yr"] == pytest.approx(lost, rel=1e-9)
    for e in ("Nd", "Pr"):
        assert c["by_element"][e]["output_t_per_yr"] < summary["by_element"][e]["output_t_per_yr"]
    assert "does not count" in report.verdict(c)


def test_the_magnet_basis_counts_magnet_rare_earths_only(base, summary):
    c = report.summary(model.evaluate(with_values(base, {"capacity.target_basis": "magnet"})))[
        "capacity"
    ]
    by = summary["by_element"]
    demand = sum(by[e]["demand_t_per_yr"] for e in MAGNET_ELEMENTS)
    output = sum(by[e]["output_t_per_yr"] for e in MAGNET_ELEMENTS)
    assert c["demand_t_per_yr"] == pytest.approx(demand)
    assert c["target_t_per_yr"] == pytest.approx(0.5 * demand)
    assert c["on_spec_reo_t_per_yr"] == pytest.approx(output)
    assert "magnet rare earths" in report.verdict(c)


def test_the_elements_basis_holds_each_element_to_its_own_share(base, summary):
    p = model.load_params(
        overrides=["capacity.target_basis='elements'", "capacity.target_elements={Nd=0.05, Dy=0.5}"]
    )
    c = report.summary(model.evaluate(p))["capacity"]
    by = summary["by_element"]
    nd, dy = by["Nd"], by["Dy"]
    # Nd's surplus over its 5 % does not fill Dy's gap
    counted = min(nd["output_t_per_yr"], 0.05 * nd["demand_t_per_yr"]) + min(
        dy["output_t_per_yr"], 0.5 * dy["demand_t_per_yr"]
    )
    assert c["on_spec_reo_t_per_yr"] == pytest.approx(counted)
    assert c["target_t_per_yr"] == pytest.approx(
        0.05 * nd["demand_t_per_yr"] + 0.5 * dy["demand_t_per_yr"]
    )
    assert not c["target_met"]


@pytest.mark.parametrize(
    "override, words",
    [
        (
            "capacity.demand.applications.magnets.elements={Nd=0.7, Xx=0.3}",
            ["applications.magnets.elements.Xx", "one of"],
        ),
        (
            "capacity.demand.applications.magnets.elements={Nd=0.7, Pr=0.2}",
            ["applications.magnets.elements", "summing to 1"],
        ),
        ("capacity.demand.applications.magnets.share=0.9", ["applications", "summing to 1"]),
        ("capacity.target_basis='elements'", ["target_elements", "missing"]),
        ("capacity.target_basis='metal'", ["target_basis", "'magnet'"]),
    ],
)
def test_bad_demand_tables_are_clear_errors(override, words):
    assert_param_error(override, words)


def test_batch_of_target_shares_equals_its_samples(base):
    shares = np.array([0.2, 0.5])
    p = with_values(base, {"capacity.target_share": shares, "capacity.target_basis": "magnet"})
    batch = report.summary(model.evaluate(p))["capacity"]
    for i, s in enumerate(shares):
        one = report.summary(
            model.evaluate(
                with_values(base, {"capacity.target_share": s, "capacity.target_basis": "magnet"})
            )
        )["capacity"]
        assert np.asarray(batch["target_t_per_yr"])[i] == pytest.approx(one["target_t_per_yr"])


def test_the_disruption_reserve_holds_the_uncovered_demand(base, summary):
    # months of each element's uncovered demand, priced at its oxide price (the other rare earths
    # at the reserve price)
    x = summary["disruption"]
    months = base.capacity.reserve_months
    prices = {
        **{e: getattr(base.economics.oxide_prices, e) for e in RARE_EARTHS},
        **base.capacity.reserve_prices,
    }
    tonnes = usd = 0.0
    for e, v in summary["by_element"].items():
        short = max(v["demand_t_per_yr"] - v["output_t_per_yr"], 0.0) * months / 12
        assert x["by_element"][e]["reserve_t"] == pytest.approx(short)
        covered = min(v["coverage"], 1.0) if v["demand_t_per_yr"] > 0 else 1.0  # none asked
        assert x["by_element"][e]["covered_share"] == pytest.approx(covered)
        tonnes += short
        usd += short * 1000 * prices[e]
    assert x["reserve_t"] == pytest.approx(tonnes) and x["reserve_usd"] == pytest.approx(usd)
    assert "reserve of the rest" in report.text(model.evaluate(base))
