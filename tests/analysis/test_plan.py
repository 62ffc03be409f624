"""`plant plan`: the least-cost plan that meets the target, why none does, and a written plan that
`plant run` reproduces."""

import json

import numpy as np
import pytest

from plant import cli, model, report
from plant.analysis import plan, text
from plant.params import with_values


@pytest.fixture
def small(monkeypatch):
    """A small grid: two scrap intakes, no concentrate, the files' build schedule."""
    monkeypatch.setattr(plan, "SCRAP_SCALES", (1.0, 2.0))
    monkeypatch.setattr(plan, "CONCENTRATE_T_PER_YR", (0.0,))
    monkeypatch.setattr(plan, "PILOT_SHARES", (0.1,))
    monkeypatch.setattr(plan, "TRAINS", (2,))
    monkeypatch.setattr(plan, "TRAIN_INTERVALS", (1,))
    monkeypatch.setattr(plan, "REFINE_ROUNDS", 0)


def direct(base, scale: float, share: float, year: int):
    """The plant with every source's intake scaled, evaluated as `plant run` would."""
    values = {
        f"feed.sources.{n}.magnet_flow": float(s.magnet_flow) * scale
        for n, s in base.feed.sources.items()
    }
    values.update({"capacity.target_share": share, "capacity.target_year": year})
    return report.summary(model.evaluate(with_values(base, values)))


def test_the_planner_finds_the_known_optimum_of_a_small_case(base, small):
    # both plans meet 10 % of demand in 2033; the planner picks the cheaper per kg REO, as
    # evaluated directly
    costs = {k: direct(base, k, 0.1, 2033)["economics"]["cost_usd_per_kg_reo"] for k in (1, 2)}
    assert all(direct(base, k, 0.1, 2033)["capacity"]["target_met"] for k in (1, 2))
    answer = plan.plan(base, share=0.1, year=2033)
    assert answer.feasible
    best = min(costs, key=costs.get)
    assert answer.best.scrap_scale == best
    assert answer.best.cost_usd_per_kg_reo == pytest.approx(costs[best], rel=1e-9)
    npv = plan.plan(base, share=0.1, year=2033, objective="npv")
    npvs = {k: direct(base, k, 0.1, 2033)["economics"]["npv_usd"] for k in (1, 2)}
    assert npv.best.scrap_scale == max(npvs, key=npvs.get)


def test_out_of_reach_says_why_and_gives_the_nearest_plans(base, small):
    answer = plan.plan(base, share=0.9, year=2029)
    s = answer.summary()
    assert not s["feasible"] and s["plan"] is None and s["capex_usd"] is None
    most = s["nearest"]["largest_share"]
    assert most is not None and most["coverage"] < 0.9
    assert s["binding"] and all(isinstance(b, str) for b in s["binding"])
    assert "Feasible: no" in text.plan(s)


def test_a_written_plan_reproduces_under_plant_run(base, small, tmp_path, capsys):
    target = tmp_path / "plan.toml"
    assert cli.main(["plan", "--share", "0.1", "--year", "2033", "--write", str(target)]) == 0
    capsys.readouterr()
    p = model.load_params(target)
    s = report.summary(model.evaluate(p))
    assert s["capacity"]["target_year"] == 2033 and s["capacity"]["target_met"]
    answer = plan.plan(base, share=0.1, year=2033)
    assert s["economics"]["cost_usd_per_kg_reo"] == pytest.approx(
        answer.best.cost_usd_per_kg_reo, rel=1e-9
    )
    # an existing file is never replaced
    assert cli.main(["plan", "--share", "0.1", "--year", "2033", "--write", str(target)]) == 2
    assert "there already" in capsys.readouterr().err


def test_plan_json_keys(base, small, capsys):
    assert cli.main(["plan", "--share", "0.1", "--year", "2033", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    for key in ("feasible", "binding", "capex_usd", "npv_usd", "nameplate_t_per_yr", "plan"):
        assert key in s
    assert np.isfinite(s["capex_usd"]) and s["plan"]["overrides"]


def test_more_imports_says_how_much_would_meet_it(base, small):
    # half of demand by 2031 is out of the small grid's reach on the files' imports; the plan
    # that covers most meets it with more imports, checked by evaluating it directly
    answer = plan.plan(base, share=0.5, year=2031)
    assert not answer.feasible and answer.imports is not None
    multiple, extra, found = answer.imports
    p = with_values(base, found.overrides(answer.params))
    values = {
        f"feed.sources.{n}.available": float(s.available) * multiple
        for n, s in p.feed.sources.items()
    }
    values.update({"capacity.target_share": 0.5, "capacity.target_year": 2031})
    c = report.summary(model.evaluate(with_values(p, values)))["capacity"]
    assert c["target_met"]
    stated = sum(float(s.available) for s in base.feed.sources.values()) / plan.T_PER_YR
    assert extra == pytest.approx(stated * (multiple - 1.0))
    assert "times the scrap imports" in text.plan(answer.summary())


def test_refining_each_source_never_does_worse_and_reproduces(base, small, monkeypatch, tmp_path):
    grid = plan.plan(base, share=0.1, year=2033)
    monkeypatch.setattr(plan, "REFINE_ROUNDS", 2)
    refined = plan.plan(base, share=0.1, year=2033)
    assert refined.feasible
    assert refined.best.cost_usd_per_kg_reo <= grid.best.cost_usd_per_kg_reo + 1e-9
    # no source is refined above what it offers, with the headroom
    caps = plan._supply_caps(refined.params, grid.best)
    for name, scale in refined.best.source_scales:
        assert scale <= max(caps[name], grid.best.scrap_scale) + 1e-9
    target = tmp_path / "refined.toml"
    target.write_text(refined.overlay())
    s = report.summary(model.evaluate(model.load_params(target)))
    assert s["capacity"]["target_met"]
    assert s["economics"]["cost_usd_per_kg_reo"] == pytest.approx(
        refined.best.cost_usd_per_kg_reo, rel=1e-9
    )


def test_a_budget_keeps_the_plan_within_it_and_says_when_it_binds(base, small, capsys):
    free = plan.plan(base, share=0.1, year=2033)
    capex = {k: direct(base, k, 0.1, 2033)["economics"]["capex_usd"] for k in (1, 2)}
    cheap, dear = min(capex, key=capex.get), max(capex, key=capex.get)
    # a budget between the two plans' CAPEX: the smaller plant, whatever it costs per kg
    mid = 0.5 * (capex[cheap] + capex[dear])
    held = plan.plan(base, share=0.1, year=2033, budget_usd=mid)
    assert held.feasible and held.best.scrap_scale == cheap and held.best.capex_usd <= mid
    bound = any(b.startswith("budget") for b in held.binding())
    assert bound == (free.best.scrap_scale == dear)
    # below both: no plan, and the budget is what binds
    assert cli.main(["plan", "--share", "0.1", "--year", "2033", "--budget", "1e6", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert not s["feasible"] and s["budget_usd"] == 1e6
    assert any(b.startswith("budget") for b in s["binding"])
    assert cli.main(["plan", "--budget", "-5"]) == 2
    assert "--budget" in capsys.readouterr().err
