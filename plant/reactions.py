"""Reactions balanced from the element matrix, applied with a sample axis.

Every reaction in the model is written as: one mole of a *reactant* goes to
a *product* plus some *free* species (acid, water, gas, ...) whose
coefficients are found by element balance. A reaction therefore conserves
every element by construction; :func:`balance` checks it to 1e-12.

Units build their reactions once (cached) and apply them with
:class:`ReactionSet`: the extent of each reaction is a fraction of its
reactant's inlet flow, and ``outlet = inlet + extents @ nu``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from plant.errors import ChemistryError
from plant.species import Registry

BALANCE_TOLERANCE = 1e-12


@dataclass(frozen=True, eq=False)
class Reaction:
    """Stoichiometry ``nu`` (n_species,) with the reactant's coefficient -1."""

    nu: np.ndarray
    reactant: int
    registry: Registry

    def coefficient(self, name: str) -> float:
        return float(self.nu[self.registry.index(name)])

    def __str__(self) -> str:
        names = self.registry.names

        def side(sign):
            terms = [(abs(c), names[i]) for i, c in enumerate(self.nu) if c * sign > 0]
            return " + ".join(f"{c:g} {n}" if c != 1 else n for c, n in terms)

        return f"{side(-1)} -> {side(+1)}"


def _solve(reg: Registry, reactant: str, unknowns: Sequence[str]):
    E = reg.element_matrix
    r = reg.index(reactant)
    cols = reg.indices(unknowns)
    A, b = E[:, cols], E[:, r]
    rows = (np.abs(A).sum(axis=1) > 0) | (b != 0)
    A, b = A[rows], b[rows]
    if np.linalg.matrix_rank(A) < len(cols):
        return None
    x, *_ = np.linalg.lstsq(A, b, rcond=None)
    if np.abs(A @ x - b).max(initial=0.0) > BALANCE_TOLERANCE * max(1.0, np.abs(b).max()):
        return None
    x[np.abs(x) < BALANCE_TOLERANCE] = 0.0
    nu = np.zeros(reg.n)
    nu[r] = -1.0
    nu[cols] = x
    return nu


def balance(
    reg: Registry,
    reactant: str,
    product: str | None,
    free_options: Sequence[Sequence[str]],
    produced: Sequence[str] = (),
) -> Reaction:
    """Balance ``1 reactant -> a product + free species`` by element balance.

    Parameters
    ----------
    reg : species registry
    reactant : species consumed (coefficient -1)
    product : main product (coefficient found), or None
    free_options : candidate lists of free species, tried in order; the first
        list that gives a unique, exact balance (and respects ``produced``) wins
    produced : species that may only appear as products (coefficient >= 0),
        e.g. a gas that is released and never taken up

    Raises
    ------
    ChemistryError
        If no candidate list balances the reaction.
    """
    base = [product] if product else []
    for free in free_options:
        nu = _solve(reg, reactant, base + list(free))
        if nu is None:
            continue
        if any(nu[reg.index(p)] < 0 for p in produced if p in free):
            continue
        if product and nu[reg.index(product)] <= 0:
            continue
        residual = np.abs(reg.element_matrix @ nu).max()
        assert residual < 1e-9, f"balance residual {residual}"
        return Reaction(nu, reg.index(reactant), reg)
    raise ChemistryError(f"cannot balance {reactant} -> {product} with any of {list(free_options)}")


class ReactionSet:
    """Several reactions applied together; extents are fractions of each reactant's inlet flow."""

    def __init__(self, reactions: Sequence[Reaction], registry: Registry):
        self.reactions = tuple(reactions)
        self.registry = registry
        self.nu = np.array([r.nu for r in reactions]).reshape(len(reactions), registry.n)
        self.reactant = np.array([r.reactant for r in reactions], dtype=int)
        self.nu.setflags(write=False)

    def __len__(self) -> int:
        return len(self.reactions)

    def extents(self, flows: np.ndarray, fractions) -> np.ndarray:
        """Extents [mol/s] (..., n_reactions) converting ``fractions`` of each reactant."""
        return np.asarray(fractions) * flows[..., self.reactant]

    def change(self, extents: np.ndarray) -> np.ndarray:
        """Change of every species flow [mol/s] (..., n_species) for given extents."""
        return extents @ self.nu

    def demand(self, extents: np.ndarray, species: int) -> np.ndarray:
        """Net consumption [mol/s] of one species (positive when consumed)."""
        return -(extents @ self.nu[:, species])
