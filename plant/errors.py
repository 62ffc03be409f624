"""Errors a user can act on. Each message says what is wrong, where, and what to do."""

from __future__ import annotations


class PlantError(Exception):
    """Base class of every error the model raises for bad input or an infeasible case."""


class ParamError(PlantError):
    """A parameter is missing, unknown, unparsable or out of its domain.

    The message names the file, the key path, what was expected and what was given.
    """

    def __init__(
        self,
        where: str,
        key: str,
        expected: str,
        given: object = None,
        *,
        given_text: str | None = None,
    ):
        self.where, self.key, self.expected = where, key, expected
        self.given = given
        shown = given_text if given_text is not None else repr(given)
        super().__init__(f"{where}: {key}: expected {expected}; given {shown}")


class ChemistryError(PlantError):
    """A reaction cannot be balanced or a species is unknown."""


class InfeasibleError(PlantError):
    """A unit cannot operate with the given inputs (e.g. not enough liquid for the cake)."""


class ConvergenceError(PlantError):
    """An iterative solution did not converge; the message gives the residual and a remedy."""


class ThermoError(PlantError):
    """Thermochemical data are missing or used outside their valid temperature range."""
