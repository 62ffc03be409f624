"""The thermo data file read through Cantera: published formation enthalpies, a hand-calculated heat
of roasting, the methane flame, the aqueous species as sums of their ions, and clear errors."""

import cantera as ct
import numpy as np
import pytest

from plant import thermo
from plant.errors import ThermoError
from plant.paths import THERMO_FILE
from plant.species import default_registry

KJ = 1000.0


@pytest.fixture(scope="module")
def th():
    return default_registry().thermo


def h298(th, name):
    return th.enthalpy(298.15)[th.names.index(name)] / KJ


def test_formation_enthalpies_against_crc_and_janaf(th):
    # CRC Handbook / NBS 1982: Nd2O3 -1807.9 kJ/mol (ree-data sec. 5)
    assert h298(th, "Nd2O3") == pytest.approx(-1807.9, abs=1e-3)  # Shomate coefficients to 8 digits
    # NIST-JANAF Thermochemical Tables, 4th ed. (Chase 1998): table Fe-030 hematite -825.503 kJ/mol,
    # table B-095 B2O3(cr) -1271.936 kJ/mol; the Shomate fits (tools/fit_thermo.py) hold them to
    # 0.05 kJ/mol
    assert h298(th, "Fe2O3") == pytest.approx(-825.503, abs=0.05)
    assert h298(th, "B2O3") == pytest.approx(-1271.936, abs=0.05)
    # elements in their standard state are zero
    for el in ("Nd", "Pr", "Dy", "Tb", "Fe", "B", "Co", "O2", "N2"):
        assert h298(th, el) == pytest.approx(0.0, abs=1e-3)  # fits hold 298.15 K to 1 J/mol


def test_janaf_fits_follow_the_tables_at_high_temperature(th):
    # JANAF 4th ed., H - H298 [kJ/mol]: Fe2O3 (Fe-030) 67.658 at 800 K, 129.197 at 1200 K;
    # B2O3 (B-097) 61.657 at 723 K (liquid)
    h = lambda name, T: (
        (th.enthalpy(T)[th.names.index(name)] - th.enthalpy(298.15)[th.names.index(name)]) / KJ
    )
    assert h("Fe2O3", 800.0) == pytest.approx(67.658, abs=0.3)
    assert h("Fe2O3", 1200.0) == pytest.approx(129.197, abs=0.3)
    assert h("B2O3", 800.0) == pytest.approx(61.657 + 129.704 * 77 / 1000, abs=0.3)


def test_heat_of_roasting_nd2fe14b_against_a_hand_calculation(th):
    # Nd2Fe14B + 12.75 O2 -> Nd2O3 + 7 Fe2O3 + 1/2 B2O3 at 298.15 K,
    # by hand from the sourced values:
    # -1807.9 + 7 (-825.503) + 0.5 (-1271.936) - (-93.39) = -8128.76 kJ/mol;
    # over 1.0812 kg/mol, -7.52 MJ/kg
    # (ree-data sec. 5: about -7.5 MJ/kg)
    hand = -1807.9 + 7 * -825.503 + 0.5 * -1271.936 + 93.39
    model = (
        h298(th, "Nd2O3")
        + 7 * h298(th, "Fe2O3")
        + 0.5 * h298(th, "B2O3")
        - h298(th, "Nd2Fe14B")
        - 12.75 * h298(th, "O2")
    )
    assert model == pytest.approx(hand, abs=0.2)
    reg = default_registry()
    per_kg = model * KJ / reg.molar_mass[reg.index("Nd2Fe14B")]
    assert per_kg == pytest.approx(-7.52e6, rel=0.01)


def test_methane_air_adiabatic_flame_temperature():
    # stoichiometric methane-air from 298 K, at equilibrium: about 2,225 K (Turns, An Introduction
    # to Combustion, Table 2.1: 2,226 K)
    assert thermo.equilibrium_flame_temperature((("CH4", 1.0),), 1.0) == pytest.approx(
        2225.0, abs=10.0
    )
    # more air, cooler flame
    assert thermo.equilibrium_flame_temperature((("CH4", 1.0),), 1.5) < 1900.0


# SUPCRT (Shock & Helgeson 1988; Shock et al. 1997; Shock, Helgeson & Sverjensky 1989):
# dfH kJ/mol, Cp J/mol/K
ION = {
    "H+": (0.0, 0.0),
    "Cl-": (-167.080, -123.18),
    "SO4-2": (-909.602, -269.37),
    "Nd+3": (-696.636, -180.75),
    "Fe+3": (-49.580, -77.82),
    "Dy+3": (-696.636, -132.63),
    "Na+": (-240.300, 37.91),
    "OH-": (-230.024, -137.19),
}


@pytest.mark.parametrize(
    "species, ions",
    [
        ("NdCl3(aq)", {"Nd+3": 1, "Cl-": 3}),
        ("HCl(aq)", {"H+": 1, "Cl-": 1}),
        ("FeCl3(aq)", {"Fe+3": 1, "Cl-": 3}),
        ("Dy2(SO4)3(aq)", {"Dy+3": 2, "SO4-2": 3}),
        ("NaOH(aq)", {"Na+": 1, "OH-": 1}),
    ],
)
def test_aqueous_species_are_the_sums_of_their_ions(th, species, ions):
    i = th.names.index(species)
    assert th.enthalpy(298.15)[i] / KJ == pytest.approx(
        sum(n * ION[k][0] for k, n in ions.items()), abs=1e-3
    )
    cp = (th.enthalpy(310.0)[i] - th.enthalpy(300.0)[i]) / 10.0
    assert cp == pytest.approx(sum(n * ION[k][1] for k, n in ions.items()), abs=1e-3)


def test_enthalpies_are_cantera_values(th):
    # every species with data, at temperatures inside its range, equals Cantera's own evaluation
    for i, (name, phases) in enumerate(zip(th.names, th.phases)):
        for ph in phases:
            for T in (max(ph.t_min, 298.15) + 1.0, 0.5 * (ph.t_min + ph.t_max), ph.t_max - 1.0):
                if ph.t_min < T < ph.t_max:
                    assert th.enthalpy(T)[i] == pytest.approx(ph.thermo.h(T) / KJ, rel=1e-12), (
                        name,
                        T,
                    )


def test_batch_temperatures(th):
    T = np.array([300.0, 500.0, 300.0])
    h = th.enthalpy(T)
    assert h.shape == (3, len(th.names))
    np.testing.assert_array_equal(h[0], th.enthalpy(300.0))
    np.testing.assert_array_equal(h[1], th.enthalpy(500.0))


def test_missing_species_data_is_a_clear_error(th):
    flows = np.zeros(len(th.names))
    flows[th.names.index("PC88A")] = 1.0
    with pytest.raises(ThermoError, match=r"PC88A has no thermo data in .*species.yaml"):
        th.require(flows, 300.0, "sx_heavy.organic")


def test_temperature_outside_a_fit_is_a_clear_error(th):
    flows = np.zeros(len(th.names))
    flows[th.names.index("NdCl3(aq)")] = 1.0
    with pytest.raises(
        ThermoError,
        match=r"leaching.slurry: NdCl3\(aq\) at 500 K is outside its data's range 273.15-423.15 K",
    ):
        th.require(flows, 500.0, "leaching.slurry")


def _thermo_file(path, species: str):
    others = "".join(
        f"{s}:\n- name: {s[:2]}\n  composition: {{H: 1}}\n"
        for s in thermo.PHASE_SECTIONS.values()
        if s != "solid-species"
    )
    path.write_text(f"solid-species:\n{species}{others}")
    return path


def test_bad_thermo_reference_is_a_clear_error(tmp_path):
    f = _thermo_file(
        tmp_path / "bad.yaml",
        "- name: X\n  composition: {Fe: 2, O: 3}\n  thermo-phases: [nasa_condensed.yaml/FeO(s)]\n",
    )
    with pytest.raises(ThermoError, match=r"species 'X'.*FeO\(s\) has composition"):
        thermo.read_thermo(f)
    f = _thermo_file(
        tmp_path / "bad2.yaml",
        "- name: X\n  composition: {Fe: 1}\n  thermo-phases: [nasa_condensed.yaml/Unobtainium]\n",
    )
    with pytest.raises(ThermoError, match=r"no species 'Unobtainium' in nasa_condensed.yaml"):
        thermo.read_thermo(f)


def test_the_thermo_file_is_a_cantera_file():
    # every section parses as a Cantera species list, and the gas phase builds an ideal-gas Solution
    gas = [sp for sp in ct.Species.list_from_file(str(THERMO_FILE), "gas-species")]
    assert {"CH4", "CO2", "H2O(g)", "N2", "O2"} <= {sp.name for sp in gas}
