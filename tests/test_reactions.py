"""Reactions balanced from the element matrix, checked against hand-balanced equations."""

import numpy as np
import pytest

from plant.errors import ChemistryError
from plant.reactions import balance


@pytest.mark.parametrize(
    "reactant, product, free, expected",
    [
        # Nd2O3 + 6 HCl -> 2 NdCl3 + 3 H2O
        (
            "Nd2O3",
            "NdCl3(aq)",
            [["HCl(aq)", "H2O(l)", "H2"]],
            {"HCl(aq)": -6, "NdCl3(aq)": 2, "H2O(l)": 3},
        ),
        # Nd + 3 HCl -> NdCl3 + 1.5 H2
        (
            "Nd",
            "NdCl3(aq)",
            [["HCl(aq)", "H2O(l)", "H2"]],
            {"HCl(aq)": -3, "NdCl3(aq)": 1, "H2": 1.5},
        ),
        # Pr6O11 + 22 HCl -> 6 PrCl3 + 11 H2O + 2 Cl2 (H2 would be consumed: second option wins)
        (
            "Pr6O11",
            "PrCl3(aq)",
            [["HCl(aq)", "H2O(l)", "H2"], ["HCl(aq)", "H2O(l)", "Cl2"]],
            {"HCl(aq)": -22, "PrCl3(aq)": 6, "H2O(l)": 11, "Cl2": 2},
        ),
        # Nd2(C2O4)3.10H2O -> Nd2O3 + 3 CO + 3 CO2 + 10 H2O
        (
            "Nd2(C2O4)3:10H2O",
            "Nd2O3",
            [["CO", "CO2", "H2O(g)"]],
            {"Nd2O3": 1, "CO": 3, "CO2": 3, "H2O(g)": 10},
        ),
        # 2 Fe(3+) + 3 H2C2O4 + 4 H2O -> 2 FeC2O4.2H2O + 6 H+ + 2 CO2 (per Fe)
        (
            "FeCl3(aq)",
            "FeC2O4:2H2O",
            [["H2C2O4(aq)", "H2O(l)", "HCl(aq)"], ["H2C2O4(aq)", "H2O(l)", "HCl(aq)", "CO2"]],
            {"H2C2O4(aq)": -1.5, "H2O(l)": -2, "FeC2O4:2H2O": 1, "HCl(aq)": 3, "CO2": 1},
        ),
    ],
)
def test_balance_matches_hand_balanced_equation(reg, reactant, product, free, expected):
    rx = balance(reg, reactant, product, free, produced=["H2", "Cl2"])
    assert rx.coefficient(reactant) == -1
    for name, coef in expected.items():
        assert rx.coefficient(name) == pytest.approx(coef)
    assert np.abs(reg.element_matrix @ rx.nu).max() < 1e-12


def test_unbalanceable_reaction_is_a_clear_error(reg):
    with pytest.raises(ChemistryError, match="cannot balance Nd2O3 -> FeCl3"):
        balance(reg, "Nd2O3", "FeCl3(aq)", [["HCl(aq)", "H2O(l)"]])
