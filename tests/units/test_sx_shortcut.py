"""The shortcut design of a circuit for its feed (plant.units.solvent_extraction.shortcut): the
textbook relations it rests on, the flows that follow the feed, the check and the reuse of a
design."""

import numpy as np
import pytest

from plant import model
from plant.chemistry import RARE_EARTHS
from plant.flowsheets.hydromet import SX_CUTS
from plant.units.solvent_extraction import shortcut as sc
from plant.units.solvent_extraction.unit import feed_state, strip_side


def test_fenske_minimum_stages_textbook_binary():
    # Fenske (1932): alpha 2.5, 95 % of each key to its own product -> ln(19 x 19) / ln 2.5 = 6.43
    n = sc.fenske_stages(2.5, (0.95, 0.95), (0.05, 0.05))
    assert float(n) == pytest.approx(np.log(361.0) / np.log(2.5), rel=1e-12)
    assert float(n) == pytest.approx(6.43, abs=0.01)


def test_gilliland_molokanov_fit_matches_the_chart():
    # Gilliland (1940) as fitted by Molokanov et al. (1972, Int. Chem. Eng. 12:209):
    # Y = (N - Nmin) / (N + 1) is ~0.55 at X = (R - Rmin) / (R + 1) = 0.1, ~0.2 at X = 0.6
    def y(x, r_min=1.0):
        r = (x + r_min) / (1.0 - x)
        n = float(sc.gilliland_stages(10.0, r, r_min))
        return (n - 10.0) / (n + 1.0)

    assert y(0.1) == pytest.approx(0.554, abs=0.01)
    assert y(0.6) == pytest.approx(0.19, abs=0.02)
    # more reflux, fewer stages; at minimum reflux the stages run away
    stages = [float(sc.gilliland_stages(10.0, r, 1.0)) for r in (1.2, 1.5, 3.0, 30.0)]
    assert stages == sorted(stages, reverse=True)
    assert stages[-1] < 12.0 and float(sc.gilliland_stages(10.0, 1.0, 1.0)) > 1e3


@pytest.fixture(scope="module")
def dysprosium_feed(base):
    """The base plant's Tb | Dy circuit and the liquor it takes."""
    r = model.run(base)
    return base.solvent_extraction, r.units["sx_dysprosium"].inlets["liquor"]


def test_underwood_minimum_reflux_and_equivalent_flows(dysprosium_feed):
    p, liquor = dysprosium_feed
    re, F, acid = feed_state(liquor, p, "HCl")
    c, cut = p.dysprosium, SX_CUTS["dysprosium"]
    s = sc.shortcut(re, p, c, cut, (("Tb",), ("Dy",)), 0.995, 0.99, 1.5)
    assert (s.light_key, s.heavy_key) == ("Tb", "Dy")
    heavy = float(sum(re[..., RARE_EARTHS.index(e)] for e in strip_side("Tb")))
    x_f = heavy / float(re.sum())
    assert float(s.reflux_min) == pytest.approx(1.0 / ((s.beta - 1.0) * x_f), rel=1e-9)
    assert float(s.reflux) == pytest.approx(1.5 * float(s.reflux_min), rel=1e-12)
    d = sc.flows(s, c, p, re, F, acid, cut)
    C, sap = float(p.extractant_concentration), float(c.saponification)
    # the organic's base takes the strip side with its reflux and the feed's acid
    base = float(d.organic_ratio) * float(F) * sap * C
    assert base == pytest.approx(3 * heavy * (1 + float(s.reflux)) + float(acid * F), rel=1e-9)
    # the scrub acid returns R times the strip side
    scrub = float(d.scrub_ratio) * float(F) * float(c.scrub_acid)
    assert scrub == pytest.approx(3 * heavy * float(s.reflux), rel=1e-9)


def test_the_flows_follow_each_samples_feed(dysprosium_feed):
    p, liquor = dysprosium_feed
    re, F, acid = feed_state(liquor, p, "HCl")
    batch = np.stack([re, 2.0 * re])  # twice the rare earths in the same liquor
    s = sc.shortcut(batch, p, p.dysprosium, ("Tb", "Dy"), (("Tb",), ("Dy",)), 0.995, 0.99, 1.5)
    d = sc.flows(s, p.dysprosium, p, batch, F, acid, ("Tb", "Dy"))
    assert np.asarray(d.scrub_ratio)[1] == pytest.approx(2 * np.asarray(d.scrub_ratio)[0])
    assert np.asarray(d.organic_ratio)[1] > 1.9 * np.asarray(d.organic_ratio)[0]


def test_a_failed_check_grows_the_design_and_a_kept_one_is_reused(dysprosium_feed, monkeypatch):
    p, liquor = dysprosium_feed
    sc.KEPT.clear()
    calls = []

    def fail_first(*args):
        calls.append(args[2].n_extraction)
        return len(calls) > 1

    monkeypatch.setattr(sc, "_check", fail_first)
    products = (("Tb",), ("Dy",))
    first = sc.designed(liquor, p, "dysprosium", "HCl", ("Tb", "Dy"), products, 0.995)
    assert len(calls) == 2
    assert calls[1] == int(np.ceil(calls[0] * sc.STAGE_GROWTH)) == first.n_extraction
    again = sc.designed(liquor, p, "dysprosium", "HCl", ("Tb", "Dy"), products, 0.995)
    assert len(calls) == 2  # the same feed: the design kept
    assert again.n_extraction == first.n_extraction
    assert np.asarray(again.organic_ratio) == pytest.approx(np.asarray(first.organic_ratio))
    sc.KEPT.clear()


def test_a_design_none_of_which_runs_leaves_the_circuit_as_given(dysprosium_feed, monkeypatch):
    p, liquor = dysprosium_feed
    sc.KEPT.clear()
    monkeypatch.setattr(sc, "_check", lambda *args: None)
    got = sc.designed(liquor, p, "dysprosium", "HCl", ("Tb", "Dy"), (("Tb",), ("Dy",)), 0.995)
    assert got == p.dysprosium
    sc.KEPT.clear()
