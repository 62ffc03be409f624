"""Parameters of solvent extraction (``[solvent_extraction]``): the equilibrium mode and extractant
data, the circuits' stages and flows, the mixer-settlers and the organic losses."""

from __future__ import annotations

from dataclasses import dataclass

from plant.chemistry import RARE_EARTHS
from plant.errors import PlantError
from plant.params import (
    choice,
    fraction,
    integer,
    mapping,
    number,
    quantity,
    section,
    table,
    text,
    where_field,
)

EXTRACTANTS = ("PC88A", "D2EHPA", "Cyanex272")
CATION = "Na"
"""The component standing for the saponification cation (Na+ or NH4+) and the sodium of the feed."""
RE_CHARGE = 3
"""Rare earths are extracted as M(3+) (cerium as Ce(III) in chloride liquor)."""
DILUENT = "C12H26(org)"
SAPONIFIERS = {
    "NaOH": ("NaOH(aq)", {"HCl": "NaCl(aq)", "H2SO4": "Na2SO4(aq)"}),
    "NH3": ("NH3(aq)", {"HCl": "NH4Cl(aq)", "H2SO4": "(NH4)2SO4(aq)"}),
}
"""Saponification reagent -> its dissolved species and the salt its cation leaves as, per acid."""


@dataclass(frozen=True)
class ExtractantParams:
    """Equilibrium data of one extractant, log10 D = log10 K + n pH + m log10 [(HA)2].

    species : its species name; density : of the pure extractant [kg/m3]
    reference_pH, reference_dimer : where D_Nd = 1 [-], [mol/m3]
    dimer_order : m [-]; slope : n per rare earth [-]
    separation_factor : D / D_Nd per rare earth at equal pH and dimer [-]
    cation_log_D : log10 D of Na+ (NH4+) at the reference pH and dimer (slope 1, dimer
        order 1/2) [-]
    """

    source: str = text("source")
    species: str = text("species")
    density: float = quantity("density", "kg/m^3", positive=True)
    reference_pH: float = number("reference_pH", lo=-2.0, hi=8.0)
    reference_dimer: float = quantity("reference_dimer", "mol/m^3", positive=True)
    dimer_order: float = number("dimer_order", positive=True, hi=6.0)
    slope: dict = table("slope", RARE_EARTHS, lo=0.0, hi=6.0)
    separation_factor: dict = table("separation_factor", RARE_EARTHS, lo=1e-6, hi=1e6)
    cation_log_D: float = number("cation_log_D", lo=-20.0, hi=5.0)
    where: str = where_field()


@dataclass(frozen=True)
class CircuitParams:
    """One circuit: stages, flow ratios to the aqueous feed, acids, saponification, constant-D
    data."""

    n_extraction: int = integer("n_extraction", lo=1, hi=200)
    n_scrub: int = integer("n_scrub", lo=0, hi=200)
    n_strip: int = integer("n_strip", lo=1, hi=200)
    organic_ratio: float = number("organic_ratio", positive=True, doc="organic / aqueous feed flow")
    scrub_ratio: float = number(
        "scrub_ratio", positive=True, doc="scrub liquor / aqueous feed flow"
    )
    strip_ratio: float = number("strip_ratio", positive=True, doc="strip acid / aqueous feed flow")
    scrub_acid: float = quantity("scrub_acid", "mol/m^3", lo=0.0)
    strip_acid: float = quantity("strip_acid", "mol/m^3", positive=True)
    saponification: float = fraction("saponification", doc="share of HA pre-neutralised")
    distribution_ratio: dict = table("distribution_ratio", RARE_EARTHS, lo=1e-9, hi=1e9)
    strip_distribution_ratio: dict = table(
        "strip_distribution_ratio", RARE_EARTHS, lo=1e-12, hi=1e9
    )
    strip_purity_setpoint: float | None = fraction(
        "strip_purity_setpoint",
        optional=True,
        doc="the strip product's purity (rare-earth basis) a controller holds by trimming the "
        "scrub flow (feedback on the product's assay); none: the scrub flow is fixed",
    )
    where: str = where_field()


@dataclass(frozen=True)
class DesignMargin:
    """What design mode asks of a circuit (``[solvent_extraction.design]``): both products'
    ``recovery``, their purity (the products' spec) and both held while the feed moves: the rare
    earths' flow (at the same liquor volume) by ``feed``, the share of the cut's strip side by
    ``composition`` (both relative), and the leach recovery upstream by ``leach_recovery`` (points,
    moving the rare-earth flow with it)."""

    recovery: float = fraction("recovery", doc="recovery of both products' rare earths")
    feed: float = fraction("feed", doc="relative move of the rare-earth flow")
    composition: float = fraction("composition", doc="relative move of the strip side's share")
    leach_recovery: float = fraction("leach_recovery", doc="move of the leach recovery, points")
    reflux_factor: float = number(
        "reflux_factor",
        lo=1.01,
        hi=10.0,
        doc="a designed train's reflux over Underwood's minimum (:mod:`.shortcut`)",
    )
    where: str = where_field()


TRAINS = ("as_given", "designed")
"""How the train's circuits are set: as their sections state, or designed for their feed."""
CIRCUITS = ("heavy", "dysprosium", "light", "terbium", "yttrium")
"""The circuits' sections of ``[solvent_extraction]``: NdPr | SEG-TbDy-HoY, Tb | Dy, LaCe | NdPr,
SEG | Tb, Dy | HoY."""


@dataclass(frozen=True)
class SolventExtractionParams:
    """Solvent extraction: equilibrium mode and extractant, the circuits, mixer-settlers and
    losses."""

    mode: str = choice("mode", ("pH", "constant_D"))
    train: str = choice(
        "train",
        TRAINS,
        doc="'designed': each circuit's stages, flows and setpoint designed for the liquor it "
        "takes (:mod:`.shortcut`); 'as_given': as its section states",
    )
    extractant: str = choice("extractant", EXTRACTANTS)
    extractant_concentration: float = quantity("extractant_concentration", "mol/m^3", positive=True)
    saponification_reagent: str = choice("saponification_reagent", tuple(SAPONIFIERS))
    reagent_strength: float = quantity("reagent_strength", "", lo=0.01, hi=1.0)
    liquor_density: float = quantity("liquor_density", "kg/m^3", positive=True)
    diluent_density: float = quantity("diluent_density", "kg/m^3", positive=True)
    mixer_residence_time: float = quantity("mixer_residence_time", "s", positive=True)
    settler_flux: float = quantity("settler_flux", "m/s", positive=True)
    settler_depth: float = quantity("settler_depth", "m", positive=True)
    entrainment: float = quantity("entrainment", "", lo=0.0, hi=0.1)
    extractant_solubility: float = quantity("extractant_solubility", "kg/m^3", lo=0.0)
    extractants: dict = mapping("extractants", ExtractantParams)
    design: DesignMargin = section("design", DesignMargin)
    heavy: CircuitParams = section("heavy", CircuitParams)
    dysprosium: CircuitParams = section("dysprosium", CircuitParams)
    light: CircuitParams = section("light", CircuitParams)
    terbium: CircuitParams = section("terbium", CircuitParams)
    yttrium: CircuitParams = section("yttrium", CircuitParams)
    where: str = where_field()

    @property
    def designed(self) -> bool:
        """Whether each circuit is designed for its liquor (:mod:`.shortcut`): pH mode only."""
        return self.train == "designed" and self.mode == "pH"

    def extractant_data(self) -> ExtractantParams:
        try:
            return self.extractants[self.extractant]
        except KeyError:
            raise PlantError(
                f"{self.where}: extractant {self.extractant!r} has no data under "
                f"[solvent_extraction.extractants.{self.extractant}]"
            ) from None
