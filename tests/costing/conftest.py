"""Fixtures of the costing tests."""

import pytest

from plant import model


@pytest.fixture(scope="module")
def base_eval(base):
    """The base case, evaluated."""
    return model.evaluate(base)
