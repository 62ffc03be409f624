"""Equipment cost library: both correlation forms, CEPCI escalation, basis, range handling, bad
input."""

import dataclasses

import numpy as np
import pytest

from plant.costing.equipment import COSTS_FILE, load_library
from plant.errors import ParamError

ESCALATE_2016 = 798.8 / 541.7  # CEPCI 2024 / 2016 (params/costs.toml)
ESCALATE_TURTON = 798.8 / 397.0  # CEPCI 2024 / Turton's 2001 basis


@pytest.fixture(scope="module")
def lib():
    return load_library()


def test_power_law_and_cepci_escalation(lib):
    it = lib.items["mixer_settler"]
    # installed basis: at the base size the installed cost is the base cost escalated 2016 -> 2024
    p = lib.price("mixer_settler", it.base_size)
    assert p.installed == pytest.approx(1.29e6 * ESCALATE_2016)
    assert p.purchased == pytest.approx(p.installed / it.install_factor)
    assert not p.out_of_range
    # 1.5 times the size multiplies the cost by 1.5^0.45
    assert lib.price("mixer_settler", 1.5 * it.base_size).installed / p.installed == pytest.approx(
        1.5**0.45
    )


def test_turton_log_quadratic_form(lib):
    # Turton App. A, plate-and-frame filter:
    # log10 Cp = 4.2756 + 0.3520 log10 A + 0.0714 (log10 A)^2, A in m2
    area = 10.0
    cp_2001 = 10 ** (4.2756 + 0.3520 * 1 + 0.0714 * 1)
    p = lib.price("filter_press", area)
    assert p.purchased == pytest.approx(cp_2001 * ESCALATE_TURTON)
    assert p.installed == pytest.approx(cp_2001 * ESCALATE_TURTON * 1.80)
    # the pump's material factor goes on the purchased cost, F_BM = 1.89 + 1.35 x 2.31 on the base
    # cost
    pump = lib.price("pump", 10e3)  # 10 kW
    base = 10 ** (3.3892 + 0.0536 * 1 + 0.1538 * 1) * ESCALATE_TURTON
    assert pump.purchased == pytest.approx(base * 2.31)
    assert pump.installed == pytest.approx(base * (1.89 + 1.35 * 2.31), rel=1e-3)


def test_sizes_outside_the_range_are_flagged_and_priced_at_the_edge_or_in_parallel(lib):
    it = lib.items["filter_press"]  # 0.5-80 m2
    p = lib.price("filter_press", np.array([0.1, 10.0, 200.0]))
    assert p.out_of_range.tolist() == [True, False, True]
    assert p.purchased[0] == pytest.approx(lib.price("filter_press", it.min_size).purchased)
    assert p.units.tolist() == [1, 1, 3]  # 200 m2 = 3 presses of 66.7 m2
    assert p.purchased[2] == pytest.approx(3 * lib.price("filter_press", 200.0 / 3).purchased)


def test_absent_equipment_costs_nothing_and_is_not_flagged(lib):
    p = lib.price("rotary_kiln", np.array([0.0, 20.0]), count=1)
    assert p.purchased[0] == 0 and not p.out_of_range[0] and p.purchased[1] > 0


def test_count_multiplies(lib):
    assert lib.price("agitated_reactor", 2.0, count=3).installed == pytest.approx(
        3 * lib.price("agitated_reactor", 2.0).installed
    )


def test_base_size_units_convert_to_si(lib):
    assert lib.items["mixer_settler"].base_size == pytest.approx(
        61107 * 3.785411784e-3
    )  # gal -> m3
    assert lib.items["roaster"].base_size == pytest.approx(737e6 * 1055.05585 / 3600, rel=1e-5)  # W
    assert lib.items["agitator"].unit_si == 1000.0  # kW


@pytest.mark.parametrize(
    "old, new, key",
    [
        ('base_size = "61107 gal"', 'base_size = "61107 kg"', "equipment.mixer_settler.base_size"),
        ("exponent = 0.45", "exponent = -1", "equipment.mixer_settler.exponent"),
        ('base_cost = "1.29e6 USD"', 'base_cost = "1.29e6 m"', "equipment.mixer_settler.base_cost"),
        ("k = [4.2756, 0.3520, 0.0714]", "k = [4.2756, 0.3520]", "equipment.filter_press.k"),
        ('basis = "installed"', 'basis = "delivered"', "equipment.mixer_settler.basis"),
        ('\nform = "power_law"', '\nform = "cubic"', "equipment.mixer_settler.form"),
    ],
)
def test_bad_items_name_the_file_and_key(tmp_path, old, new, key):
    text = COSTS_FILE.read_text()
    assert old in text
    f = tmp_path / "costs.toml"
    f.write_text(text.replace(old, new, 1))
    with pytest.raises(ParamError, match=key.replace(".", r"\.")) as e:
        load_library(f)
    assert str(f) in str(e.value)


def test_unknown_item_and_missing_year(lib, tmp_path):
    with pytest.raises(ParamError, match="one of"):
        lib.price("teleporter", 1.0)
    f = tmp_path / "costs.toml"
    f.write_text(COSTS_FILE.read_text().replace("2016 = 541.7\n", ""))
    with pytest.raises(ParamError, match="equipment.mixer_settler.base_year"):
        load_library(f)


def test_every_kind_of_equipment_has_a_cost_item_and_a_size():
    from plant.costing.economics import cost_library
    from plant.units.equipment import KINDS, PowerParams

    lib = cost_library()
    rules = PowerParams(1.0, 1.0, 10.0, 0.5, 1200.0, 1.0, 1.0, 3000.0, 0.6)
    for name, kind in KINDS.items():
        if getattr(kind, "item", None) is None:  # an abstract family (ThroughputMachine, ...)
            continue
        lib.item(kind.item)  # a ParamError if params/costs.toml lacks it
        needed = [f.name for f in dataclasses.fields(kind) if f.default is dataclasses.MISSING]
        item = kind(*[2 if f in ("tanks", "stages") else np.asarray(2.0) for f in needed])
        assert np.all(np.asarray(item.sized(sum(item.drives(rules).values(), 0.0))) >= 0), name
