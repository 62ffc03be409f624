"""The root of the parameter tree: every section of a params file, and its loading.

``load_params()`` reads ``params/base.toml``, overlays further files and raw tables, applies
``section.key=VALUE`` overrides, and returns :class:`Params`, a tree of frozen dataclasses in SI
(see :mod:`plant.params` for the machinery). Each unit operation declares its own section's
dataclass next to its model; adding a unit adds one line here.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from plant import params as P
from plant.capacity.parameters import CapacityParams
from plant.costing.parameters import EconomicsParams
from plant.energy.parameters import EnergyParams
from plant.errors import ParamError
from plant.flowsheets.services import ServicesParams
from plant.params import distributions
from plant.params.loader import Currency
from plant.paths import BASE_PARAMS
from plant.units.acid_adjustment import AcidAdjustmentParams
from plant.units.blending import BlendingParams
from plant.units.calcination import CalcinationParams
from plant.units.coating_removal import CoatingRemovalParams
from plant.units.concentrate_dissolution import SUPPLY as CONCENTRATE
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
    """Name and description of the scenario; ``standalone``: the file holds every parameter and is
    read alone, not over params/base.toml (a file the app writes); ``off_spec``: which products the
    scenario knowingly leaves below their spec, and why (the cut left undesigned, an impurity no
    unit removes)."""

    name: str = P.text("name")
    description: str = P.text("description")
    off_spec: str | None = P.text(
        "off_spec", "the products left off spec on purpose, and why", optional=True
    )
    standalone: bool | None = P.flag("standalone", optional=True)
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
    acid_adjustment: AcidAdjustmentParams = P.section("acid_adjustment", AcidAdjustmentParams)
    solvent_extraction: SolventExtractionParams = P.section(
        "solvent_extraction", SolventExtractionParams
    )
    oxalate_precipitation: OxalatePrecipitationParams = P.section(
        "oxalate_precipitation", OxalatePrecipitationParams
    )
    oxalate_filter: SolidLiquidParams = P.section("oxalate_filter", SolidLiquidParams)
    calcination: CalcinationParams = P.section("calcination", CalcinationParams)
    services: ServicesParams = P.section("services", ServicesParams)
    uncertainty: tuple = P.custom(
        "uncertainty",
        distributions.read,
        doc="distributions of uncertain parameters (plant.params.distributions)",
    )

    currency: Currency = field(default=Currency(), compare=False, metadata={"internal": True})
    """The values the files wrote in TWD (filled by the loader), for a new exchange rate."""

    def check(self, origin, prefix: str) -> None:
        """Feed terms name supplies the plant has; every distribution names parameters the files
        hold, within their domains, and no parameter is in two distributions."""
        self._check_feed_terms(origin)
        distributions.bind(self.uncertainty or (), self, spec_of)

    def _check_feed_terms(self, origin) -> None:
        """Terms name supplies the plant has; on the 'terms' basis every supply has terms; a supply
        is bought as parts exactly when the plant dismantles it (``disassembly_time`` > 0), so
        magnets are never paid as separated and dismantled too."""
        feed = self.economics.feed
        supplies = [*self.feed.sources, CONCENTRATE]
        for name in feed.terms:
            if name not in supplies:
                near = difflib.get_close_matches(name, supplies, n=1)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                key = f"economics.feed.terms.{name}"
                raise ParamError(
                    origin(key),
                    key,
                    f"a supply of the plant ({', '.join(supplies)}){hint}",
                    given_text="an unknown supply",
                )
        if feed.basis != "terms":
            return
        for name in supplies:
            key = f"economics.feed.terms.{name}"
            if name not in feed.terms:
                raise ParamError(
                    origin("economics.feed.terms"),
                    key,
                    f"the purchase terms of the supply {name!r} (form, payable, "
                    "treatment_charge, penalties, source)",
                    given_text="nothing (missing table)",
                )
            src = self.feed.sources.get(name)
            dismantled = src is not None and bool(np.any(np.asarray(src.disassembly_time) > 0))
            form = feed.terms[name].form
            if (form == "parts") != dismantled:
                why = (
                    f"the plant dismantles it (feed.sources.{name}.disassembly_time > 0)"
                    if dismantled
                    else "nothing of it is dismantled (no disassembly_time)"
                )
                raise ParamError(
                    origin(f"economics.feed.terms.{name}.form"),
                    f"{key}.form",
                    f"'{'parts' if dismantled else 'bulk'}': {why}",
                    given_text=repr(form),
                )


def spec_of(key: str):
    """The spec (unit, domain) of the real-valued scalar parameter ``key`` of :class:`Params`."""
    return P.scalar_spec(Params, key)


def load_params(
    *paths: str | Path,
    overrides: Sequence[str] = (),
    overlays: Sequence[tuple[str, Mapping]] = (),
    base: str | Path | None = BASE_PARAMS,
) -> Params:
    """Load parameters: ``base`` (default ``params/base.toml``), then each file of ``paths`` over
    it, then raw ``overlays`` (name, dict), then ``overrides`` ('section.key=VALUE')."""
    return load(*paths, overrides=overrides, overlays=overlays, base=base)[0]


def load(
    *paths: str | Path,
    overrides: Sequence[str] = (),
    overlays: Sequence[tuple[str, Mapping]] = (),
    base: str | Path | None = BASE_PARAMS,
    override_source: str = "--set",
) -> tuple[Params, dict]:
    """As :func:`load_params`, and the merged TOML document the parameters were built from (which
    ``plant.params.to_toml`` writes out as one file that loads to the same parameters);
    ``override_source`` names the overrides in errors ('--set' on the command line). A file or
    overlay with ``scenario.standalone = true`` is read alone: what comes before it, the base file
    included, does not apply."""
    files = ([base] if base is not None else []) + [
        p for p in paths if base is None or Path(p).resolve() != Path(base).resolve()
    ]
    files, overlays = _from_last_standalone(files, list(overlays))
    return P.load_tree(
        Params,
        files,
        overrides,
        overlays,
        rate_key=EXCHANGE_RATE_KEY,
        override_source=override_source,
    )


def _from_last_standalone(files: list, overlays: list) -> tuple[list, list]:
    """The files and overlays from the last one that says it stands alone
    (``scenario.standalone = true``) on: what comes before it does not apply."""
    alone = lambda doc: (
        isinstance(doc.get("scenario"), Mapping) and (doc["scenario"].get("standalone") is True)
    )
    for i in range(len(overlays) - 1, -1, -1):
        if alone(overlays[i][1]):
            return [], overlays[i:]
    for i in range(len(files) - 1, 0, -1):
        if alone(P.read_toml(files[i])):
            return files[i:], overlays
    return files, overlays
