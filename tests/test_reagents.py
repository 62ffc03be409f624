"""Reagents are declared once (plant.reagents) and priced once (economics.reagents): a price row
for an undeclared reagent and a unit reporting one are both refused by name."""

import dataclasses

import pytest

from plant import model
from plant.errors import ParamError, PlantError
from plant.reagents import PRICED_PER_KG, REAGENTS, WATER, check_names


def test_every_declared_reagent_is_priced_and_every_species_exists(base, reg):
    assert set(base.economics.reagents) == set(PRICED_PER_KG) == set(REAGENTS) - {WATER}
    for name, r in REAGENTS.items():
        assert not r.species or reg.has(r.species), name


def test_a_price_for_an_undeclared_reagent_is_refused_with_a_suggestion():
    with pytest.raises(ParamError) as e:
        model.load_params(overrides=["economics.reagents.HCL='200 USD/t'"])
    assert "economics.reagents.HCL" in str(e.value) and "did you mean 'HCl'" in str(e.value)


def test_a_unit_reporting_an_undeclared_reagent_is_refused(base):
    with pytest.raises(PlantError, match="'hcl'.*did you mean 'HCl'"):
        check_names({"hcl": 1.0}, "unit 'leaching'")
    r = model.run(base)
    unit = r.units["leaching"]
    bad = dataclasses.replace(unit, reagents={**unit.reagents, "sodium_hydroxide": 1.0})
    broken = dataclasses.replace(r, units={**r.units, "leaching": bad})
    with pytest.raises(PlantError, match="unit 'leaching'.*sodium_hydroxide"):
        broken.reagents()


def test_unit_reagent_use_adds_up_to_the_plant_total(base):
    r = model.run(base)
    total = r.reagents()
    for name in REAGENTS:
        parts = sum(float(u.reagents.get(name, 0.0)) for u in r.units.values())
        assert float(total[name]) == pytest.approx(parts, rel=1e-12, abs=1e-300), name
