"""Equipment cost library: power-law scaling, CEPCI escalation, range flags, bad input."""
import numpy as np
import pytest

from plant.costing.equipment import load_library
from plant.errors import ParamError


@pytest.fixture(scope="module")
def lib():
    return load_library()


def test_power_law_and_cepci_escalation(lib):
    it = lib.items["mixer_settler"]
    # at the base size the cost is the base cost escalated from 2016 (541.7) to 2024 (798.8)
    cost, flag = lib.purchased_cost("mixer_settler", it.base_size)
    assert cost == pytest.approx(1.29e6 * 798.8 / 541.7)
    assert not flag
    # doubling the size multiplies the cost by 2^0.45
    c2, _ = lib.purchased_cost("mixer_settler", 2 * it.base_size)
    assert c2 / cost == pytest.approx(2 ** 0.45)


def test_sizes_outside_the_range_are_flagged_not_hidden(lib):
    cost, flag = lib.purchased_cost("mixer_settler", np.array([0.1, 10.0, 1000.0]))
    assert flag.tolist() == [True, False, True]
    assert np.all(cost > 0)


def test_base_size_units_convert_to_si(lib):
    assert lib.items["mixer_settler"].base_size == pytest.approx(61107 * 3.785411784e-3)     # gal -> m3
    assert lib.items["roaster"].base_size == pytest.approx(737e6 * 1055.05585 / 3600, rel=1e-5)   # W


@pytest.mark.parametrize("change, key", [
    ('base_size = "61107 gal"', "equipment.mixer_settler.base_size"),
    ("exponent = 0.45", "equipment.mixer_settler.exponent"),
    ('base_cost = "1.29e6 USD"', "equipment.mixer_settler.base_cost"),
])
def test_bad_items_name_the_file_and_key(tmp_path, change, key):
    text = open(load_library.__defaults__[0]).read()
    bad = {"base_size": 'base_size = "61107 kg"', "exponent": "exponent = -1",
           "base_cost": 'base_cost = "1.29e6 m"'}[key.split(".")[-1]]
    f = tmp_path / "costs.toml"
    f.write_text(text.replace(change, bad, 1))
    with pytest.raises(ParamError, match=key.replace(".", r"\.")) as e:
        load_library(f)
    assert str(f) in str(e.value)


def test_unknown_item_and_missing_year(lib, tmp_path):
    with pytest.raises(ParamError, match="one of"):
        lib.purchased_cost("teleporter", 1.0)
    text = open(load_library.__defaults__[0]).read().replace("2016 = 541.7\n", "")
    f = tmp_path / "costs.toml"
    f.write_text(text)
    with pytest.raises(ParamError, match="CEPCI value for 2016"):
        load_library(f).purchased_cost("mixer_settler", 10.0)
