"""The plant model's front door: loading (from :mod:`plant.tree`) and one evaluation.

``load_params()`` reads ``params/base.toml`` (plus overlays and overrides);
``run(params)`` evaluates the flowsheet and returns a
:class:`~plant.flowsheets.result.FlowsheetResult`; ``evaluate(params)`` adds
the energy balances (:mod:`plant.energy`) and the economics (:mod:`plant.costing`). All accept batch
parameters (see :func:`plant.params.with_values`).
"""

from __future__ import annotations

from dataclasses import dataclass

from plant.capacity import Projection, project
from plant.costing.economics import Economics
from plant.costing.economics import evaluate as evaluate_economics
from plant.energy import EnergyResult
from plant.energy import evaluate as evaluate_energy
from plant.flowsheets import recycling_plant
from plant.flowsheets.recycling_plant import ROUTES
from plant.flowsheets.result import FlowsheetResult
from plant.tree import EXCHANGE_RATE_KEY, Params, load, load_params, spec_of

__all__ = [
    "EXCHANGE_RATE_KEY",
    "ROUTES",
    "Evaluation",
    "Params",
    "compare_routes",
    "evaluate",
    "load",
    "load_params",
    "run",
    "spec_of",
]


def run(params: Params, route: str = "combined") -> FlowsheetResult:
    """Evaluate the plant's flowsheet for ``params`` (scalar or batch) on ``route`` (one of ROUTES:
    'combined' as the parameters say, 'hydromet' or 'short_loop' alone)."""
    return recycling_plant.run(params, route)


@dataclass(frozen=True)
class Evaluation:
    """One evaluation of the plant: its parameters, flowsheet result, energy, capacity by year and
    economics."""

    params: Params
    flowsheet: FlowsheetResult
    energy: EnergyResult
    economics: Economics
    capacity: Projection


def evaluate(params: Params, route: str = "combined") -> Evaluation:
    """Evaluate the plant for ``params`` (scalar or batch) on ``route``: flowsheet, energy, capacity
    by year (the output each year's feed supports), then costing over those years."""
    result = run(params, route)
    energy = evaluate_energy(result, params.energy)
    years = project(result, params)
    economics = evaluate_economics(
        result, energy, params.economics, output=years.utilisation, plan=years.plan
    )
    return Evaluation(params, result, energy, economics, years)


def compare_routes(params: Params, combined: Evaluation | None = None) -> dict[str, Evaluation]:
    """The plant evaluated on every route for the same feed (reusing ``combined`` when given)."""
    return {
        route: combined if route == "combined" and combined is not None else evaluate(params, route)
        for route in ROUTES
    }
