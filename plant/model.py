"""The plant model's front door: the root parameter tree, loading, and one evaluation.

``load_params()`` reads ``params/base.toml`` (plus overlays and overrides);
``run(params)`` evaluates the flowsheet and returns a
:class:`~plant.flowsheets.result.FlowsheetResult`; ``evaluate(params)`` adds
the energy balances (:mod:`plant.energy`) and the economics (:mod:`plant.costing`). All accept batch parameters (see
:func:`plant.params.with_values`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from plant import params as P
from plant.analysis import distributions
from plant.capacity import CapacityParams, Projection, project
from plant.costing.economics import Economics
from plant.costing.economics import evaluate as evaluate_economics
from plant.costing.parameters import EconomicsParams
from plant.energy import EnergyResult
from plant.energy import evaluate as evaluate_energy
from plant.energy.parameters import EnergyParams
from plant.flowsheets import recycling_plant
from plant.flowsheets.recycling_plant import ROUTES  # noqa: F401  (public: the routes run() takes)
from plant.flowsheets.result import FlowsheetResult
from plant.paths import BASE_PARAMS
from plant.units.blending import BlendingParams
from plant.units.calcination import CalcinationParams
from plant.units.coating_removal import CoatingRemovalParams
from plant.units.concentrate_dissolution import ConcentrateDissolutionParams, ConcentrateParams
from plant.units.feed_preparation import FeedPreparationParams
from plant.units.hydrogen_decrepitation import HydrogenDecrepitationParams
from plant.units.impurity_removal import ImpurityRemovalParams
from plant.units.jet_milling import JetMillingParams
from plant.units.leaching import LeachingParams
from plant.units.machining import MachiningParams
from plant.units.oxalate_precipitation import OxalatePrecipitationParams
from plant.units.roasting import RoastingParams
from plant.units.sintering import SinteringParams, VacuumFurnaceParams
from plant.units.solid_liquid import SolidLiquidParams
from plant.units.solvent_extraction import SolventExtractionParams
from plant.units.sorting import SortingParams

EXCHANGE_RATE_KEY = "economics.exchange_rate"


@dataclass(frozen=True)
class ScenarioParams:
    """Name and description of the scenario."""

    name: str = P.text("name")
    description: str = P.text("description")
    where: str = P.where_field()


@dataclass(frozen=True)
class OperatingParams:
    """Plant-wide operation.

    availability : operating fraction of the calendar year [-]; annual feed
        tonnages are processed at 1/availability times their average rate
    """

    availability: float = P.quantity("availability", "", lo=0.05, hi=1.0)
    where: str = P.where_field()


@dataclass(frozen=True)
class Params:
    """Every parameter of the plant, in SI, as read from the params files."""

    scenario: ScenarioParams = P.section("scenario", ScenarioParams)
    plant: OperatingParams = P.section("plant", OperatingParams)
    capacity: CapacityParams = P.section("capacity", CapacityParams)
    economics: EconomicsParams = P.section("economics", EconomicsParams)
    energy: EnergyParams = P.section("energy", EnergyParams)
    feed: FeedPreparationParams = P.section("feed", FeedPreparationParams)
    concentrate: ConcentrateParams = P.section("concentrate", ConcentrateParams)
    sorting: SortingParams = P.section("sorting", SortingParams)
    hydrogen_decrepitation: HydrogenDecrepitationParams = P.section(
        "hydrogen_decrepitation", HydrogenDecrepitationParams
    )
    coating_removal: CoatingRemovalParams = P.section("coating_removal", CoatingRemovalParams)
    jet_milling: JetMillingParams = P.section("jet_milling", JetMillingParams)
    blending: BlendingParams = P.section("blending", BlendingParams)
    sintering: SinteringParams = P.section("sintering", SinteringParams)
    annealing: VacuumFurnaceParams = P.section("annealing", VacuumFurnaceParams)
    machining: MachiningParams = P.section("machining", MachiningParams)
    roasting: RoastingParams = P.section("roasting", RoastingParams)
    leaching: LeachingParams = P.section("leaching", LeachingParams)
    leach_filter: SolidLiquidParams = P.section("leach_filter", SolidLiquidParams)
    concentrate_dissolution: ConcentrateDissolutionParams = P.section(
        "concentrate_dissolution", ConcentrateDissolutionParams
    )
    concentrate_filter: SolidLiquidParams = P.section("concentrate_filter", SolidLiquidParams)
    impurity_removal: ImpurityRemovalParams = P.section("impurity_removal", ImpurityRemovalParams)
    iron_filter: SolidLiquidParams = P.section("iron_filter", SolidLiquidParams)
    solvent_extraction: SolventExtractionParams = P.section(
        "solvent_extraction", SolventExtractionParams
    )
    oxalate_precipitation: OxalatePrecipitationParams = P.section(
        "oxalate_precipitation", OxalatePrecipitationParams
    )
    oxalate_filter: SolidLiquidParams = P.section("oxalate_filter", SolidLiquidParams)
    calcination: CalcinationParams = P.section("calcination", CalcinationParams)
    uncertainty: tuple = P.custom(
        "uncertainty",
        distributions.read,
        doc="distributions of uncertain parameters (plant.analysis.distributions)",
    )

    def check(self, origin, prefix: str) -> None:
        """Every distribution names parameters the files hold, within their domains."""
        distributions.bind(self.uncertainty or (), self, spec_of)


def spec_of(key: str):
    """The spec (unit, domain) of the real-valued scalar parameter ``key`` of :class:`Params`."""
    return P.scalar_spec(Params, key)


def load_params(
    *paths: str | Path,
    overrides: Sequence[str] = (),
    overlays: Sequence[tuple[str, Mapping]] = (),
    base: str | Path | None = BASE_PARAMS,
) -> Params:
    """Load parameters: ``base`` (default ``params/base.toml``), then each file of ``paths`` over it,
    then raw ``overlays`` (name, dict), then ``overrides`` ('section.key=VALUE')."""
    return load(*paths, overrides=overrides, overlays=overlays, base=base)[0]


def load(
    *paths: str | Path,
    overrides: Sequence[str] = (),
    overlays: Sequence[tuple[str, Mapping]] = (),
    base: str | Path | None = BASE_PARAMS,
) -> tuple[Params, dict]:
    """As :func:`load_params`, and the merged TOML document the parameters were built from (which
    ``plant.params.to_toml`` writes out as one file that loads to the same parameters)."""
    files = ([base] if base is not None else []) + [
        p for p in paths if base is None or Path(p).resolve() != Path(base).resolve()
    ]
    return P.load_tree(Params, files, overrides, overlays, rate_key=EXCHANGE_RATE_KEY)


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
    """Evaluate the plant for ``params`` (scalar or batch) on ``route``: flowsheet, energy, capacity by year
    (the output each year's feed supports), then costing over those years."""
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
