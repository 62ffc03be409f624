"""Shared fixtures: the base parameters and the species registry."""

import pytest

from plant import model
from plant.errors import ParamError
from plant.species import default_registry


@pytest.fixture(scope="session")
def base():
    """Parameters of params/base.toml."""
    return model.load_params()


@pytest.fixture(scope="session")
def reg():
    return default_registry()


@pytest.fixture()
def write_toml(tmp_path):
    """Write a TOML overlay file and return its path."""

    def write(text: str, name: str = "overlay.toml"):
        p = tmp_path / name
        p.write_text(text)
        return p

    return write


def assert_param_error(override: str, words) -> None:
    """Loading the base parameters with ``override`` raises a ParamError whose message holds
    ``words``."""
    with pytest.raises(ParamError) as e:
        model.load_params(overrides=[override])
    for w in words:
        assert w in str(e.value)
