"""Short-loop units against hand calculations: hydrogen uptake, oxygen pick-up, fresh rare-earth
make-up, and the magnet yield of the whole loop."""

import numpy as np
import pytest

from plant.chemistry import HYDRIDE_HYDROGEN, MATRIX_HYDROGEN
from plant.flowsheets import short_loop
from plant.flowsheets.assembly import Flowsheet
from plant.params import with_values
from plant.stream import Stream
from plant.thermo import atomic_weight
from plant.units import blending, hydrogen_decrepitation, jet_milling

M = {e: atomic_weight(e) for e in ("Nd", "Pr", "Fe", "B", "O", "H")}
"""Atomic weights [kg/mol] (Cantera's element data, as the model uses) for the hand calculations."""


def magnet(reg, nd=0.30, fe=0.69, b=0.01):
    """1 kg/s of a three-element magnet: mass fractions Nd, Fe, B."""
    return Stream.from_masses({"Nd": nd, "Fe": fe, "B": b}, registry=reg)


def test_hydrogen_uptake_counts_matrix_and_grain_boundary(base, reg):
    # Nd2Fe14B units = mol B; grain-boundary Nd = mol Nd - 2 mol B;
    # H = 2.7 per unit + 2.7 per boundary Nd
    r = hydrogen_decrepitation.decrepitate(magnet(reg), base.hydrogen_decrepitation)
    n_b, n_nd = 0.01 / M["B"], 0.30 / M["Nd"]
    h_matrix, h_gb = 2.7 * n_b, 2.7 * (n_nd - 2 * n_b)
    powder = r.outlets["powder"]
    assert float(powder[MATRIX_HYDROGEN]) == pytest.approx(h_matrix, rel=1e-9)
    assert float(powder[HYDRIDE_HYDROGEN]) == pytest.approx(h_gb, rel=1e-9)
    absorbed_kg = (h_matrix + h_gb) * M["H"]
    assert float(r.reagents["hydrogen"]) == pytest.approx(
        1.5 * absorbed_kg, rel=1e-9
    )  # 50 % excess
    assert 0.002 < absorbed_kg < 0.005  # 0.3-0.4 wt% H in HD powder (Nd2Fe14BH2.7 + NdH2.7)
    # degassing keeps NdH2: 2 of the 2.7 H per boundary Nd, none in the matrix
    d = hydrogen_decrepitation.degas(powder, base.hydrogen_decrepitation)
    assert float(d.outlets["powder"][MATRIX_HYDROGEN]) == 0.0
    assert float(d.outlets["powder"][HYDRIDE_HYDROGEN]) == pytest.approx(h_gb * 2.0 / 2.7, rel=1e-9)


def test_absorption_releases_heat_and_degassing_needs_it(base):
    from plant import model

    ev = model.evaluate(base)
    assert float(ev.energy.heated["hydrogen_decrepitation"].balance.surplus_W) > 0
    assert float(ev.energy.heated["degassing"].balance.duty_W) > 0


def test_oxygen_pickup_and_make_up_against_a_hand_calculation(base, reg):
    # 1 kg/s of Nd 30 / Fe 69 / B 1 wt%, 2,000 ppm O picked up: Nd -> Nd2O3 takes 2/3 Nd per O
    p_mill = with_values(base.jet_milling, {"oxygen_pickup": 0.002, "fines_loss": 0.0})
    mill = jet_milling.run(magnet(reg), p_mill)
    o_mol = 0.002 / M["O"]
    nd_oxidised_kg = o_mol * 2 / 3 * M["Nd"]
    powder = mill.outlets["powder"]
    assert float(powder.mass_flow) == pytest.approx(1.002, rel=1e-9)
    assert float(powder["Nd"]) * M["Nd"] == pytest.approx(0.30 - nd_oxidised_kg, rel=1e-9)
    # make-up restores 30 % metallic Nd: m = (x M - R) / (1 - x); NdPr 75/25 metal, no margin
    p_blend = with_values(base.blending, {"form": "metal", "rare_earth_margin": 0.0})
    b = blending.run(powder, magnet(reg), p_blend)
    x, m_powder, r_metal = 0.30, 1.002, 0.30 - nd_oxidised_kg
    expected = (x * m_powder - r_metal) / (1 - x)
    assert float(b.reagents["fresh_rare_earth"]) == pytest.approx(expected, rel=1e-9)
    assert 0.01 < expected < 0.02  # ~1-2 wt% NdH2 in practice
    fresh = b.inlets["fresh_rare_earth"]
    assert float(fresh["Pr"]) * M["Pr"] == pytest.approx(0.25 * expected, rel=1e-9)
    out = b.outlets["powder"]
    metallic = (float(out["Nd"]) * M["Nd"] + float(out["Pr"]) * M["Pr"]) / float(out.mass_flow)
    assert metallic == pytest.approx(0.30, rel=1e-9)


def test_hydride_make_up_carries_two_hydrogen_per_rare_earth(base, reg):
    b = blending.run(
        magnet(reg, nd=0.28, fe=0.71), magnet(reg), with_values(base.blending, {"form": "hydride"})
    )
    fresh = b.inlets["fresh_rare_earth"]
    assert float(fresh[HYDRIDE_HYDROGEN]) == pytest.approx(
        2 * (float(fresh["Nd"]) + float(fresh["Pr"]))
    )


def test_no_make_up_when_the_powder_is_richer_than_the_magnets(base, reg):
    b = blending.run(magnet(reg, nd=0.32, fe=0.67), magnet(reg), base.blending)
    assert float(b.reagents["fresh_rare_earth"]) == 0.0


def test_magnet_yield_of_the_loop_against_a_hand_calculation(base, reg):
    # sieve loss 2 %, O pick-up 0.2 %, fines 3 %, make-up m, sintering yield 97 %,
    # machining loss 25 %; all hydrogen leaves in sintering, so the magnets are the hydrogen-free
    # material that survives
    p = with_values(
        base,
        {
            "coating_removal.magnet_loss": 0.02,
            "jet_milling.oxygen_pickup": 0.002,
            "jet_milling.fines_loss": 0.03,
            "sintering.sintering_yield": 0.97,
            "machining.machining_loss": 0.25,
            "blending.form": "metal",
        },
    )
    fs = Flowsheet()
    short_loop.add_loop(fs, magnet(reg), p)
    units = fs.units
    n_b, n_nd = 0.01 / M["B"], 0.30 / M["Nd"]
    h_kg = 0.98 * 2.0 * (n_nd - 2 * n_b) * M["H"]  # NdH2 kept through degassing
    o_kg = 0.002 * (0.98 + h_kg)  # pick-up per kg of powder as milled
    powder = (0.98 + o_kg) * 0.97  # hydrogen-free kg/s into blending
    metal_nd = (0.98 * 0.30 - o_kg / M["O"] * 2 / 3 * M["Nd"]) * 0.97
    make_up = (0.30 * powder - metal_nd) / 0.70
    expected = (powder + make_up) * 0.97 * 0.75
    out = units["machining"].outlets["magnets"]
    assert float(out.mass_flow) == pytest.approx(expected, rel=1e-9)
    assert float(units["blending"].reagents["fresh_rare_earth"]) == pytest.approx(make_up, rel=1e-9)
    assert not np.any(out.flows[..., reg.indices([MATRIX_HYDROGEN, HYDRIDE_HYDROGEN])])
