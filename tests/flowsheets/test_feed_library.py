"""The feed library (``[concentrate.assays]``): named concentrates and e-waste concentrates, each
carried element by element (Eu, Ho, Y, Th and U included) through the whole plant."""

import numpy as np
import pytest

from plant import model, report
from plant.chemistry import RARE_EARTHS
from plant.params import with_values
from plant.units import concentrate_dissolution
from tests.conftest import assert_param_error

FLOW = "concentrate.flow=300 t/yr"


def test_each_assay_is_bought_as_written(base, reg):
    for name, entry in base.concentrate.assays.items():
        p = model.load_params(overrides=[f"concentrate.assay={name!r}", FLOW]).concentrate
        s = concentrate_dissolution.feed(p, 1.0, reg)
        total = float(s.mass_flow)
        assert total == pytest.approx(300e3 / (365.25 * 86400), rel=1e-9)
        for species, x in entry.composition.items():
            assert float(s.mass_flows[reg.index(species)]) / total == pytest.approx(x, rel=1e-12)
        assert entry.form and entry.route and entry.source, name


def test_the_concentrates_carry_thorium_and_uranium(base):
    # monazite and bastnaesite carry both (Garg, IAEA 1977; ree-data sec. 1)
    for name in ("mrec_monazite", "mountain_pass"):
        comp = base.concentrate.assays[name].composition
        assert comp["ThO2"] > 0 and comp["UO3"] > 0, name


def test_the_concentrates_own_composition_stands_over_the_library(base):
    own = model.load_params(
        overrides=["concentrate.composition={ Nd2O3 = 0.9, SiO2 = 0.1 }", FLOW]
    ).concentrate
    assert own.assay_composition == {"Nd2O3": 0.9, "SiO2": 0.1}
    assert own.assay_name == "own assay"
    library = base.concentrate.assays["mrec_monazite"].composition
    assert base.concentrate.assay_composition is library


def test_an_unknown_assay_names_the_library():
    assert_param_error(
        "concentrate.assay='mountain_passs'",
        ["concentrate.assay", "mrec_monazite", "did you mean mountain_pass", "'mountain_passs'"],
    )


def test_a_library_entry_is_checked_like_any_composition():
    assert_param_error(
        "concentrate.assays.mountain_pass.composition={ Nd2O3 = 0.9, Xx2O3 = 0.1 }",
        ["concentrate.assays.mountain_pass.composition.Xx2O3", "unknown species"],
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", ["mountain_pass", "ionic_clay_high_y", "nimh_phosphor"])
def test_every_element_of_each_assay_is_conserved_through_the_plant(base, name):
    # in constant-D mode (pH mode needs circuits designed for the liquor), with strip acid for a
    # heavy strip side four times the magnets' (the ionic clay's Y)
    p = with_values(
        model.load_params(overrides=[f"concentrate.assay={name!r}", FLOW]),
        {"solvent_extraction.mode": "constant_D", "solvent_extraction.heavy.strip_ratio": 0.2},
    )
    ev = model.evaluate(p)
    r = ev.flowsheet
    comp = base.concentrate.assays[name].composition
    carried = {e for sp in comp for e in r.registry.composition(sp)} - {"O", "C", "Si"}
    assert {"Eu", "Y"} & carried or name == "mountain_pass"
    # each element only the feeds bring (the short loop also buys NdPr metal: the whole balance,
    # below, counts it)
    for e in sorted(carried - {"Nd", "Pr"}):
        fed = sum(float(s.element(e)) for s in r.purchased.values())
        out = sum(float(r.streams[n].element(e)) for n in r.outputs)
        assert out == pytest.approx(fed, rel=1e-9), e
    assert report.summary(ev)["mass_balance"]["max_relative_element_imbalance"] < 1e-9


def test_pc88a_extracts_in_the_order_of_the_element_list(base):
    # acidic organophosphorus extractants in chloride: La < Ce < ... < Dy < Ho < Y (< Er); every
    # adjacent factor above 1 and below the Peppard series' adjacent mean of about 2.9 times 4
    # (ree-data sec. 3) and Dy/Tb 2.1 (EP2388344A1)
    for name, x in base.solvent_extraction.extractants.items():
        beta = np.array([x.separation_factor[e] for e in RARE_EARTHS])
        steps = beta[1:] / beta[:-1]
        assert (steps > 1).all() and (steps < 12).all(), name
    pc88a = base.solvent_extraction.extractants["PC88A"].separation_factor
    assert pc88a["Dy"] / pc88a["Tb"] == pytest.approx(2.1, rel=0.01)
