"""Species registry (molar masses from Cantera's element data) and the Stream type."""

import numpy as np
import pytest

from plant.errors import ChemistryError, PlantError
from plant.stream import Stream, max_relative_imbalance


def test_molar_masses_from_cantera_element_data(reg):
    # IUPAC standard atomic weights: Nd 144.242, O 15.999 -> Nd2O3 336.48 g/mol
    assert reg.molar_mass[reg.index("Nd2O3")] == pytest.approx(0.336482, rel=1e-5)
    assert reg.molar_mass[reg.index("H2O(l)")] == pytest.approx(0.018015, rel=1e-4)
    assert reg.composition("Nd2(C2O4)3:10H2O") == {"C": 6.0, "H": 20.0, "Nd": 2.0, "O": 22.0}


def test_unknown_species_suggests_a_name(reg):
    with pytest.raises(ChemistryError, match="did you mean Nd2O3"):
        reg.index("Nd2O4")


def test_every_species_has_a_phase(reg):
    assert set(reg.phases) <= {"solid", "aqueous", "liquid", "organic", "gas"}
    assert reg.phases[reg.index("PC88A")] == "organic"
    assert reg.phases[reg.index("NdCl3(aq)")] == "aqueous"


def test_stream_is_immutable_and_copies_input(reg):
    f = np.zeros(reg.n)
    f[reg.index("Nd")] = 1.0
    s = Stream(f)
    f[reg.index("Nd")] = 5.0
    assert s["Nd"] == 1.0
    with pytest.raises(AttributeError):
        s.T = 300.0
    with pytest.raises(ValueError):
        s.flows[0] = 1.0


def test_mix_scale_split_conserve(reg):
    a = Stream.from_moles({"Nd": 1.0, "H2O(l)": 2.0}, T=300.0)
    b = Stream.from_masses({"Fe": 0.05585}, T=400.0)
    m = a + b
    assert m["Fe"] == pytest.approx(1.0, rel=1e-4)
    assert max_relative_imbalance([a, b], [m]) < 1e-15
    assert 300.0 < float(m.T) < 400.0
    part, rest = m.split(0.3)
    assert max_relative_imbalance([m], [part, rest]) < 1e-15
    assert part["Nd"] == pytest.approx(0.3)
    assert m.scale(2.0)["Nd"] == pytest.approx(2.0)


def test_batch_stream_broadcasts_against_scalar(reg):
    a = Stream.from_moles({"Nd": np.array([1.0, 2.0, 3.0])})
    b = Stream.from_moles({"Nd": 1.0})
    m = a + b
    assert m.batch_shape == (3,)
    assert m["Nd"].tolist() == [2.0, 3.0, 4.0]
    assert m.sample(1)["Nd"] == 3.0
    assert m.to_frame().index.names == ["sample", "species"]


def test_negative_and_nan_flows_are_rejected(reg):
    with pytest.raises(PlantError, match="negative flow of Nd"):
        Stream.from_moles({"Nd": -1.0})
    with pytest.raises(PlantError, match="NaN"):
        Stream.from_moles({"Nd": float("nan")})


def test_to_frame_reports_species_with_units(reg):
    df = Stream.from_masses({"Nd2O3": 1.0}).to_frame()
    assert list(df.columns) == ["phase", "mol/s", "kg/h", "mass fraction"]
    assert df.loc["Nd2O3", "kg/h"] == pytest.approx(3600.0)
