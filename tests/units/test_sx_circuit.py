"""The full SX circuit (extraction, scrub, strip, organic recycle) in pH and constant-D mode, and
design mode."""

import numpy as np
import pytest

from plant import model
from plant.errors import InfeasibleError, PlantError
from plant.thermo import atomic_weight
from plant.units.solvent_extraction import CATION, exchange_model
from plant.units.solvent_extraction.circuit import CircuitDesign, solve_circuit
from plant.units.solvent_extraction.design import design_circuit
from plant.units.solvent_extraction.equilibrium import LN10

COMPS = ("Pr", "Nd", "Tb", "Dy", CATION)
FEED_CONC = np.array(
    [110.0, 450.0, 4.0, 30.0, 1500.0]
)  # mol/m3: a magnet leach liquor after Fe removal


@pytest.fixture(scope="module")
def sx():
    return model.load_params().solvent_extraction


def design(n_e, n_s, organic, scrub, sap, scrub_acid=300.0, F=1e-3, C=800.0):
    return CircuitDesign(n_e, n_s, 4, F, organic, scrub, 5e-5, 0.1, scrub_acid, 4000.0, C, sap * C)


# operating points of a NdPr | DyTb circuit (10 + 10 stages) that span scrub, saponification and
# scrub acid
CASES = [
    (5e-4, s, sap, sa)
    for s in (1e-4, 3e-4)
    for sap in (0.0, 0.1, 0.2, 0.3)
    for sa in (100.0, 300.0)
]


def stage_balance(A, O, x, y, external, organic_in):
    """Relative imbalance of every component in every stage of a section."""
    ext = external.copy()
    ext[..., 0] += O * organic_in
    aq_out, org_out = A * x, O * y
    aq_in = np.concatenate([aq_out[..., 1:], np.zeros_like(aq_out[..., :1])], axis=-1)
    org_in = np.concatenate([np.zeros_like(org_out[..., :1]), org_out[..., :-1]], axis=-1)
    ins, outs = aq_in + org_in + ext, aq_out + org_out
    return np.abs(ins - outs) / np.maximum(ins + outs, 1e-300)


@pytest.mark.parametrize("organic, scrub, sap, scrub_acid", CASES)
def test_pH_mode_conserves_and_satisfies_the_equilibrium(sx, organic, scrub, sap, scrub_acid):
    d = design(10, 10, organic, scrub, sap, scrub_acid)
    feed = FEED_CONC * d.feed_flow
    model_ = exchange_model(sx.extractant_data(), COMPS)
    sol = solve_circuit(d, feed, model=model_, cation_index=len(COMPS) - 1)
    # every element: feed + saponification cation in = raffinate + strip liquor + cation leaving
    # with the organic
    cation_in = np.zeros(len(COMPS))
    cation_in[-1] = d.cation * d.organic_flow
    overall = feed + cation_in - sol.raffinate - sol.strip_liquor - (sol.returned - cation_in)
    assert np.all(np.abs(overall) <= 1e-9 * (feed + cation_in).sum())
    # every stage of both sections
    main, strip = sol.main, sol.strip
    A = d.main_aqueous()
    ext = np.zeros((len(COMPS), d.n_main))
    ext[:, d.n_extraction - 1] = feed
    assert (
        stage_balance(
            A, d.organic_flow, main.aqueous, main.organic, ext, sol.returned / d.organic_flow
        ).max()
        < 1e-10
    )
    assert (
        stage_balance(
            np.full(d.n_strip, d.strip_flow),
            d.organic_flow,
            strip.aqueous,
            strip.organic,
            np.zeros((len(COMPS), d.n_strip)),
            main.organic[:, -1],
        ).max()
        < 1e-10
    )
    # the stage equilibrium: y = K 10^(n pH) [(HA)2]^m x and the extractant balance
    lnD = model_.ln_D(main.pH, np.log(main.dimer))
    np.testing.assert_allclose(main.organic, np.exp(lnD) * main.aqueous, rtol=1e-9, atol=1e-12)
    used = (main.organic * model_.sites[:, None]).sum(axis=0)
    np.testing.assert_allclose(2 * main.dimer + used, d.extractant, rtol=1e-9)
    # protons: those released by loading leave with the raffinate
    h = 1000.0 * 10.0**-main.pH
    q = (main.organic * model_.charge[:, None]).sum(axis=0)
    q_in = (sol.returned / d.organic_flow * model_.charge).sum()
    released = d.organic_flow * (q[-1] - q_in)
    acid_in = d.feed_acid * d.feed_flow + d.scrub_acid * d.scrub_flow
    assert A[0] * h[0] == pytest.approx(acid_in + released, rel=1e-8)


def test_pH_mode_heavy_rare_earths_go_to_the_strip_liquor(sx):
    d = design(10, 10, 1e-3, 5e-5, 0.2, scrub_acid=100.0)
    feed = FEED_CONC * d.feed_flow
    sol = solve_circuit(d, feed, model=exchange_model(sx.extractant_data(), COMPS), cation_index=4)
    to_strip = sol.strip_liquor / feed
    assert (
        to_strip[3] > 0.98
        and to_strip[1] < 0.1
        and to_strip[0] < to_strip[1] < to_strip[2] < to_strip[3]
    )


def test_pH_mode_batch_equals_scalar_solves(sx):
    organic = np.array([4.5e-4, 5e-4, 5.5e-4])
    feed = FEED_CONC * 1e-3
    m = exchange_model(sx.extractant_data(), COMPS)
    batch = solve_circuit(design(10, 10, organic, 1e-4, 0.2), feed, model=m, cation_index=4)
    for i, o in enumerate(organic):
        one = solve_circuit(design(10, 10, o, 1e-4, 0.2), feed, model=m, cation_index=4)
        np.testing.assert_allclose(batch.raffinate[i], one.raffinate, rtol=1e-7, atol=1e-15)
        np.testing.assert_allclose(batch.main.pH[i], one.main.pH, atol=1e-7)


def test_constant_D_circuit_conserves_on_random_inputs():
    rng = np.random.default_rng(0)
    for _ in range(20):
        nc = rng.integers(2, 15)
        n_e, n_s, n_r = (int(v) for v in rng.integers(1, 60, 3))
        D = 10 ** rng.uniform(-2, 2, nc)
        DR = 10 ** rng.uniform(-5, -1, nc)
        d = CircuitDesign(
            n_e,
            n_s,
            n_r,
            1e-3,
            rng.uniform(1e-4, 3e-3),
            rng.uniform(1e-5, 1e-3),
            rng.uniform(1e-5, 1e-3),
            0.0,
            0.0,
            0.0,
            800.0,
            0.0,
        )
        feed = rng.uniform(0, 1, nc)
        sol = solve_circuit(d, feed, D=D, D_strip=DR)
        assert np.all(np.abs(feed - sol.raffinate - sol.strip_liquor) <= 1e-9 * feed.sum())


def light_heavy_feed():
    return {"Pr": 0.034, "Nd": 0.15, "Tb": 0.0017, "Dy": 0.015}


def test_design_mode_meets_its_targets_and_a_solve_confirms_it(sx):
    p = model.load_params(overrides=["solvent_extraction.mode=constant_D"]).solvent_extraction
    r = design_circuit(light_heavy_feed(), 5.6e-4, 0.09, p, "heavy", "Nd", "Dy")
    assert r.feasible, r.reason
    assert min(r.purity.values()) >= 0.995 and min(r.recovery.values()) >= 0.99
    # fewest stages: one fewer extraction stage with the same scrub misses the target at every grid
    # flow
    fewer = design_circuit(
        light_heavy_feed(), 5.6e-4, 0.09, p, "heavy", "Nd", "Dy", purity=0.9999999
    )
    assert not fewer.feasible or fewer.n_extraction >= r.n_extraction
    # confirm with an independent solve of the chosen design
    comps = ("Pr", "Nd", "Tb", "Dy", CATION)
    c = p.heavy
    F = 5.6e-4
    d = CircuitDesign(
        r.n_extraction,
        r.n_scrub,
        c.n_strip,
        F,
        r.organic_ratio * F,
        r.scrub_ratio * F,
        float(c.strip_ratio) * F,
        0.09,
        float(c.scrub_acid),
        float(c.strip_acid),
        800.0,
        0.0,
    )
    D = np.array([float(c.distribution_ratio[e]) for e in comps[:-1]] + [1e-9])
    DR = np.array([float(c.strip_distribution_ratio[e]) for e in comps[:-1]] + [1e-9])
    feed = np.array([light_heavy_feed()[e] for e in comps[:-1]] + [0.0])
    sol = solve_circuit(d, feed, D=D, D_strip=DR)
    w = np.array([atomic_weight(e) for e in comps[:-1]])
    strip_purity = (sol.strip_liquor[2:4] * w[2:]).sum() / (sol.strip_liquor[:4] * w).sum()
    assert strip_purity == pytest.approx(r.nominal["strip_liquor_purity"], rel=1e-6)


def test_design_mode_reports_an_infeasible_split_and_why():
    same = "{La = 1, Ce = 1, Pr = 1, Nd = 1, Sm = 1, Gd = 1, Tb = 1, Dy = 1.01}"
    p = model.load_params(
        overrides=[
            "solvent_extraction.mode=constant_D",
            f"solvent_extraction.heavy.distribution_ratio={same}",
        ]
    ).solvent_extraction
    r = design_circuit(light_heavy_feed(), 5.6e-4, 0.09, p, "heavy", "Nd", "Dy")
    assert not r.feasible
    assert "separation factor is 1.01" in r.reason and "PC88A" in r.reason


@pytest.mark.parametrize(
    "keys, words", [(("Nd", "Xx"), "unknown key element"), (("Dy", "Nd"), "less extractable")]
)
def test_design_mode_bad_keys_are_clear_errors(sx, keys, words):
    with pytest.raises(PlantError, match=words):
        design_circuit(light_heavy_feed(), 5.6e-4, 0.09, sx, "heavy", *keys)


def test_oversaponified_circuit_is_a_clear_error():
    p = model.load_params(
        overrides=[
            "solvent_extraction.mode=constant_D",
            "solvent_extraction.heavy.saponification=0.9",
        ]
    )
    with pytest.raises(InfeasibleError, match="saponification"):
        model.run(p)


def test_pH_slope_and_dimer_order_enter_as_stated(sx):
    m = exchange_model(sx.extractant_data(), ("Nd", "Dy"))
    pH, lnF = np.array([1.0, 2.0]), np.log(np.array([400.0, 400.0]))
    lnD = m.ln_D(pH, lnF)
    assert (lnD[1, 1] - lnD[1, 0]) / LN10 == pytest.approx(2.60)  # Dy slope, Arellano Ruiz 2020
    assert np.exp(lnD[0, 0]) == pytest.approx(
        10 ** (2.22 * (1.0 - 1.8)), rel=1e-12
    )  # D_Nd = 1 at pH 1.8, 0.4 M
    assert np.exp(lnD[1, 0] - lnD[0, 0]) == pytest.approx(
        27.0 * 10 ** (0.38 * (1.0 - 1.8)), rel=1e-12
    )


@pytest.mark.parametrize(
    "n_e, n_s, n_comp", [(1, 1, 3), (60, 60, 6), (200, 200, 4), (30, 30, 15), (20, 0, 5)]
)
def test_pH_mode_solves_long_sections_and_many_components(n_e, n_s, n_comp):
    """Robustness: 1-200 stages per section, up to 15 components (14 trivalent of spread
    extractability and a saponification cation); every stage balance and the extractant balance
    hold."""
    from plant.units.solvent_extraction.equilibrium import ExchangeModel

    rng = np.random.default_rng(n_e + n_comp)
    n_re = n_comp - 1
    m = ExchangeModel(
        log_K=np.append(np.linspace(-4.0, -1.8, n_re), -5.6),
        slope=np.append(np.full(n_re, 2.4), 1.0),
        dimer_order=np.append(np.full(n_re, 3.0), 0.5),
        charge=np.append(np.full(n_re, 3.0), 1.0),
        sites=np.append(np.full(n_re, 6.0), 1.0),
    )
    d = design(n_e, n_s, 5e-4, 1e-4, 0.2)
    feed = np.append(rng.uniform(0.2, 1.0, n_re) * 600.0 / n_re * d.feed_flow, 0.0)
    sol = solve_circuit(d, feed, model=m, cation_index=n_comp - 1)
    assert sol.converged.all()
    cation_in = np.zeros(n_comp)
    cation_in[-1] = d.cation * d.organic_flow
    assert np.abs(feed + cation_in - sol.raffinate - sol.strip_liquor).max() <= 1e-9 * feed.sum()
    used = (sol.main.organic * m.sites[:, None]).sum(axis=0)
    np.testing.assert_allclose(2 * sol.main.dimer + used, d.extractant, rtol=1e-9)


def _yb_tm_fractional_extraction(n_e, n_s, organic, scrub):
    """Extract purity and recovery of Yb for the Yb/Tm system of Thomas, Smutz and Burkhart (Iowa
    State University, Institute for Atomic Research; 1 M HDEHP, 5 M HCl): separation factor
    Yb/Tm 3.22, found constant, so constant-D mode with D_Yb = 1 at the feed's acidity [E]; feed
    90 % Yb, 10 % Tm; the extract (here stripped, D 1e-4) is the Yb product."""
    F = 1e-3
    d = CircuitDesign(n_e, n_s, 4, F, organic * F, scrub * F, 0.5 * F, 5e3, 5e3, 5e3, 1e3, 0.0)
    feed = np.array([[10.0], [90.0]]).T * F  # (1, 2): Tm, Yb [mol/s]
    sol = solve_circuit(d, feed, D=np.array([1.0 / 3.22, 1.0]), D_strip=np.full(2, 1e-4))
    assert np.abs(feed - sol.raffinate - sol.strip_liquor).max() <= 1e-12 * feed.sum()
    extract = sol.strip_liquor[0]
    return extract[1] / extract.sum(), extract[1] / feed[0, 1]


FLOWS = [(o, s) for o in np.geomspace(0.3, 30.0, 15) for s in np.geomspace(0.01, 30.0, 15)]


def _reaches(n_e, n_s, purity=0.98, recovery=0.90):
    return any(
        p >= purity and r >= recovery
        for p, r in (_yb_tm_fractional_extraction(n_e, n_s, o, s) for o, s in FLOWS)
    )


@pytest.mark.parametrize("n_e, n_s", [(1, 1), (2, 1), (1, 2)])
def test_thomas_smutz_burkhart_yb_tm_needs_more_than_fenske_minimum_stages(n_e, n_s):
    """Thomas, Smutz and Burkhart (Iowa State, "Separation of Thulium and Ytterbium in Acidic
    Chloride Solutions by Fractional Solvent Extraction"): 98 % Yb at 90 % recovery from a 90/10
    feed at a separation factor of 3.22. At total reflux that takes ln[(0.98/0.02) /
    (9/8.35)] / ln 3.22 = 3.26 stages (Fenske), so no flows reach it on three stages or fewer."""
    assert not _reaches(n_e, n_s)


def test_thomas_smutz_burkhart_yb_tm_separation_is_reached_on_a_few_stages():
    """The same separation, which the authors predicted and confirmed in simulated column runs, is
    reached by the circuit model on 4 + 4 stages at some organic and scrub flow."""
    assert _reaches(4, 4)
