"""Errors a user can act on. Each message says what is wrong, where, and what to do."""

from __future__ import annotations


class PlantError(Exception):
    """Base class of every error the model raises for bad input or an infeasible case.

    ``failing`` : where the error is about some samples of a batch, True for those (an array over
    the batch, or a scalar for all of them); None where it is not known.
    """

    failing = None


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
        shown = given_text if given_text is not None else _shown(given)
        super().__init__(f"{where}: {key}: expected {expected}; given {shown}")


def _shown(value) -> str:
    """A given value as a person reads it: numbers plainly, an array by its first few values,
    anything long cut short."""
    if hasattr(value, "shape") and hasattr(value, "tolist"):  # a numpy array or scalar
        flat = value.tolist() if value.shape == () else value.ravel()[:3].tolist()
        more = ", ..." if value.shape != () and value.size > 3 else ""
        text = repr(flat) if value.shape == () else f"[{', '.join(map(repr, flat))}{more}]"
    else:
        text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."


class ChemistryError(PlantError):
    """A reaction cannot be balanced or a species is unknown."""


class InfeasibleError(PlantError):
    """A unit cannot operate with the given inputs (e.g. not enough liquid for the cake)."""


class ConvergenceError(PlantError):
    """An iterative solution did not converge; the message gives the residual and a remedy."""


class ThermoError(PlantError):
    """Thermochemical data are missing or used outside their valid temperature range."""
