"""Acid leaching of the roasted (or metallic) magnet powder.

Each solid metal or oxide dissolves to its salt (NdCl3, FeCl3 from Fe2O3,
FeCl2 from Fe metal, ...) with a fraction given per element, separately for
metals and for oxides: roasting turns Fe into hematite, which barely
dissolves, while rare-earth oxides dissolve readily (Jiang et al. 2020). The
stoichiometric acid demand follows from the balanced reactions; the dose is
``acid_excess`` times it. Metals release H2; higher oxides (Pr6O11, Tb4O7,
CeO2) release Cl2 in HCl or O2 in H2SO4.

Water is added so that the liquid volume per kg of solid feed equals
``liquid_to_solid``. Tank volume follows from the slurry flow and residence time.

Outlets: ``slurry`` (undissolved solids + pregnant liquor) and ``offgas``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from plant.chemistry import ACID, ACIDS, CHEMISTRY, dissolved_form, solid_of
from plant.errors import ParamError
from plant.numerics import safe_ratio
from plant.params import choice, element_table, integer, number, quantity
from plant.params.elements import ElementTable
from plant.reactions import ReactionSet, balance
from plant.reagents import WATER
from plant.species import Registry
from plant.stream import Stream
from plant.units.common import (
    AgitatedTankParams,
    agitated_tanks,
    liquor_volume_flow,
    reagent_solution,
    require,
    stack,
)
from plant.units.record import UnitResult


@dataclass(frozen=True, kw_only=True)
class AcidDissolutionParams(AgitatedTankParams):
    """An acid dissolution in agitated tanks (what :func:`dissolve` reads besides the fractions).

    acid_excess : acid dose / stoichiometric demand of what dissolves [-], >= 1
    acid_strength : mass fraction of acid in the purchased solution [kg/kg]
    liquid_to_solid : liquor volume per mass of solid feed [m3/kg] (TOML in L/kg)
    tanks : number of agitated tanks in series
    temperature, residence_time, fill_fraction, liquor_density, solids_density : tank design
    """

    acid_excess: float = number("acid_excess", lo=1.0)
    acid_strength: float = quantity("acid_strength", "", lo=0.01, hi=1.0)
    liquid_to_solid: float = quantity("liquid_to_solid", "m^3/kg", positive=True)
    tanks: int = integer("tanks", lo=1)


@dataclass(frozen=True, kw_only=True)
class LeachingParams(AcidDissolutionParams):
    """Acid leaching of the magnet powder (and the dissolution settings of AcidDissolutionParams).

    acid : 'HCl' or 'H2SO4'
    dissolution_metal, dissolution_oxide : fraction of each element dissolved from its metal / its
        oxide [-]
    """

    acid: str = choice("acid", ACIDS)
    dissolution_metal: ElementTable = element_table("dissolution_metal")
    dissolution_oxide: ElementTable = element_table("dissolution_oxide")

    def check(self, origin, prefix: str) -> None:
        """Every element of the tables can dissolve from that form."""
        check_forms(
            {"metal": self.dissolution_metal, "oxide": self.dissolution_oxide}, origin, prefix
        )


def check_forms(tables: dict[str, ElementTable], origin, prefix: str) -> None:
    """ParamError for an element of a dissolution table (form -> table) that has no species in that
    form with a dissolution chemistry (plant.chemistry), so that its entry could only be a slip."""
    from plant.species import default_registry

    reg = default_registry()
    for form, table in tables.items():
        for element in table:
            solid = solid_of(element, form) if element in CHEMISTRY else None
            if solid is None or not reg.has(solid):
                key = f"dissolution_{form}.{element}"
                raise ParamError(
                    origin(key),
                    prefix + key,
                    f"an element that dissolves from its {form} here (one of "
                    f"{', '.join(e for e in CHEMISTRY if reg.has(solid_of(e, form) or ''))})",
                    given_text=f"{element}, which has no {form} with a dissolution chemistry",
                )


@functools.lru_cache(maxsize=16)
def reactions(
    registry: Registry,
    acid: str,
    forms: tuple[str, ...] = ("metal", "oxide"),
    elements: tuple[str, ...] = tuple(CHEMISTRY),
) -> tuple[ReactionSet, tuple[tuple[str, str], ...]]:
    """Dissolution reactions in ``acid`` of each of ``elements`` in each of its ``forms``
    (SOLID_FORMS) that the registry holds, with the (element, form) of each. Metals release H2,
    higher oxides the acid's oxidative gas, carbonates CO2."""
    a = ACID[acid]
    free = [
        [a.species, "H2O(l)", "H2"],
        [a.species, "H2O(l)", a.oxidative_gas],
        [a.species, "H2O(l)", "CO2"],
    ]
    rx, keys = [], []
    for m in elements:
        for form in forms:
            solid = solid_of(m, form)
            if solid is not None and registry.has(solid):
                rx.append(
                    balance(
                        registry,
                        solid,
                        dissolved_form(solid, m, acid),
                        free,
                        produced=["H2", a.oxidative_gas, "CO2"],
                    )
                )
                keys.append((m, form))
    return ReactionSet(rx, registry), tuple(keys)


def run(solids: Stream, p: LeachingParams) -> UnitResult:
    """Leach ``solids``; outlets ``slurry`` and ``offgas``."""
    return dissolve(
        "leaching", solids, p, p.acid, {"metal": p.dissolution_metal, "oxide": p.dissolution_oxide}
    )


def _fraction(table: ElementTable, element: str, carried: bool):
    """The dissolved fraction of ``element`` from ``table``: its entry or the table's default; 0 for
    an element the feed does not carry, and the table's error for one it carries but the table
    lacks."""
    if element in table or table.default is not None or carried:
        return table.of(element)
    return 0.0


def dissolve(
    name: str,
    solids: Stream,
    p: AcidDissolutionParams,
    acid_name: str,
    fractions: dict[str, ElementTable],
) -> UnitResult:
    """Dissolve ``solids`` in ``acid_name`` in agitated tanks (unit ``name``): ``fractions`` gives,
    per form (SOLID_FORMS), the fraction of each element dissolved from that form [-]. Outlets
    ``slurry`` and ``offgas``."""
    reg = solids.registry
    rs, keys = reactions(reg, acid_name, tuple(fractions), tuple(CHEMISTRY))
    acid = ACID[acid_name]
    i_acid, i_water = reg.index(acid.species), reg.index("H2O(l)")
    carried = np.any(solids.flows[..., rs.reactant].reshape(-1, len(keys)) > 0, axis=0)
    share = [_fraction(fractions[form], e, c) for (e, form), c in zip(keys, carried)]
    xi = rs.extents(solids.flows, stack(share))
    demand = rs.demand(xi, i_acid)
    dose = np.asarray(p.acid_excess) * demand
    acid_flows = reagent_solution(reg, acid.species, dose, p.acid_strength)
    solids_mass = solids.mass_flow
    liquid_target = np.asarray(p.liquid_to_solid) * solids_mass * np.asarray(p.liquor_density)
    acid_solution = acid_flows @ reg.molar_mass
    water_kg = liquid_target - acid_solution
    acid_m3_per_kg = acid_solution / np.maximum(solids_mass, 1e-300) / np.asarray(p.liquor_density)
    require(
        water_kg >= -1e-12 * np.maximum(liquid_target, 1e-300),
        f"{p.where}: liquid_to_solid is too low for the acid: the acid solution alone is "
        f"{np.max(acid_m3_per_kg) * 1e3:.3g} L/kg "
        f"of solids; raise {p.where}.liquid_to_solid or {p.where}.acid_strength",
    )
    water = np.zeros(np.shape(water_kg) + (reg.n,))
    water[..., i_water] = np.maximum(water_kg, 0.0) / reg.molar_mass[i_water]
    out = solids.flows + acid_flows + water + rs.change(xi)
    masks = reg.phase_masks
    slurry = Stream.owned(out * ~masks["gas"], p.temperature, solids.P, reg)
    offgas = Stream.owned(out * masks["gas"], p.temperature, solids.P, reg)
    equipment, heating = agitated_tanks(slurry, p, p.tanks)
    liquor_m3 = liquor_volume_flow(slurry, p.liquor_density)
    return UnitResult(
        name,
        inlets={
            "solids": solids,
            "acid": Stream.owned(acid_flows, registry=reg),
            "water": Stream.owned(water, registry=reg),
        },
        outlets={"slurry": slurry, "offgas": offgas},
        equipment=equipment,
        reagents={acid_name: dose * reg.molar_mass[i_acid], WATER: np.maximum(water_kg, 0.0)},
        heating=heating,
        performance={
            "acid_solution_kg_per_s": acid_solution,
            "acid_consumed_kg_per_s": demand * reg.molar_mass[i_acid],
            "free_acid_mol_per_m3": safe_ratio((dose - demand) * acid.protons, liquor_m3),
        },
    )
