"""Radioactivity of what the plant throws away and buys: thorium and uranium.

Th and U follow the mass balances like any element. Their activity concentration [Bq/kg] is that of
the chain parents, Th-232 (natural thorium is all Th-232) and U-238 (99.2742 % of natural uranium by
mass): A = ln 2 / t_half x N_A / M x the isotope's mass share. In secular equilibrium every daughter
of the chain has the parent's activity, so the parent's activity is the one to hold against an
exemption level set per radionuclide of the U and Th series (1 Bq/g, IAEA GSR Part 3, Schedule I,
and Safety Guide RS-G-1.7). Chemical processing breaks the equilibrium (radium does not follow
thorium); the parents' activities are what this model carries.

- A waste output whose Th-232 or U-238 activity exceeds ``exemption_activity`` is radioactive
  waste: its solids are disposed of as such (``economics.opex.radioactive_disposal``).
- A feed whose uranium plus thorium reaches ``source_material_share`` of its mass is nuclear source
  material under Taiwan's rules, which needs a licence to hold and process.
"""

from __future__ import annotations

import numpy as np

from plant.numerics import safe_ratio
from plant.thermo import atomic_weight
from plant.uom import SECONDS_PER_YEAR

AVOGADRO = 6.02214076e23
"""[1/mol], exact (SI 2019)."""
HALF_LIFE = {"Th": 1.40e10 * SECONDS_PER_YEAR, "U": 4.468e9 * SECONDS_PER_YEAR}
"""Half-lives of Th-232 (1.40e10 yr) and U-238 (4.468e9 yr) [s] (NNDC, NuDat 3) [S]."""
ISOTOPE_SHARE = {"Th": 1.0, "U": 0.992742}
"""Mass share of the chain parent in the natural element [-]: Th-232 ~100 %; U-238 99.2742 %
(IUPAC isotopic composition of uranium) [S]."""
ISOTOPE_MASS = {"Th": 0.2320381, "U": 0.2380508}
"""Molar mass of Th-232 and U-238 [kg/mol] (AME 2020) [S]."""


def specific_activity(element: str) -> float:
    """Activity of the chain parent per kg of the natural element [Bq/kg]: Th 4.07e6, U 1.23e7."""
    per_kg_isotope = np.log(2.0) / HALF_LIFE[element] * AVOGADRO / ISOTOPE_MASS[element]
    return float(per_kg_isotope * ISOTOPE_SHARE[element])


def element_kg(stream, element: str) -> np.ndarray:
    """Mass flow of ``element`` in ``stream`` [kg/s] (0 where the species file has none)."""
    if element not in stream.registry.elements:
        return np.asarray(0.0)
    return stream.element(element) * atomic_weight(element)


def activity(stream, element: str) -> np.ndarray:
    """Activity concentration of the chain parent of ``element`` in ``stream`` [Bq/kg]: per kg of
    its dry solids where it carries solids (a cake is disposed of as solids), else per kg of the
    stream (an effluent)."""
    solids = stream.mass_of(stream.registry.phase_masks["solid"])
    basis = np.where(solids > 0, solids, stream.mass_flow)
    return safe_ratio(element_kg(stream, element) * specific_activity(element), basis)


def is_radioactive(stream, exemption_activity) -> np.ndarray:
    """Whether the Th-232 or U-238 activity of ``stream`` exceeds ``exemption_activity`` [Bq/kg]."""
    limit = np.asarray(exemption_activity)
    return (activity(stream, "Th") > limit) | (activity(stream, "U") > limit)


def actinide_share(stream) -> np.ndarray:
    """Mass share of uranium plus thorium in ``stream`` [-]."""
    return safe_ratio(element_kg(stream, "Th") + element_kg(stream, "U"), stream.mass_flow)
