"""A circuit designed for the liquor it takes: stages and flows from the feed, then checked.

The train for a feed nobody tuned (``[solvent_extraction] train = "designed"``) gets each circuit
from this shortcut, in the way distillation columns are sized before they are simulated, and then
solves it with its controller to confirm it:

- **Flows follow the feed** (ratio control on the feed's assay). With a saponified extractant the
  cut sits where the base the organic brings matches what the strip side, the scrub's reflux and
  the feed's free acid take (the equivalence of Xu Guangxian's theory of countercurrent
  extraction, see :mod:`.design`)::

      sap C O = 3 H (1 + R) + a_F F      S c_scrub = 3 H R      W c_strip = STRIP_EXCESS 3 H

  with H the strip side's rare earths [mol/s], R the reflux (rare earths the scrub returns per mol
  of strip product), a_F the feed's free acid [mol/m3] and F, O, S, W the feed, organic, scrub and
  strip flows [m3/s]. The controller then trims S to hold the strip product's purity.
- **Reflux**: ``reflux_factor`` times Underwood's minimum for the two key elements with a liquid
  feed (the aqueous feed is the liquid, the loaded organic the vapour), R_min = 1 / ((beta - 1)
  x_F), x_F the strip side's mole share of the feed's rare earths, beta the heavy key's separation
  factor over the light key's (the keys: the most extractable element the feed carries on the
  light side, the least extractable on the heavy side).
- **Stages**: Fenske's minimum for the keys' allowed slips, then Gilliland's correlation (in
  Molokanov's form) at R; extraction and scrub get half each, as the circuits of
  ``params/base.toml``. Slips: the heavy key in the raffinate at most SLIP_SHARE of the impurity
  the adjacent light product allows, the light key in the strip at most what the setpoint allows,
  and each key recovered to ``recovery``.
- **Setpoint**: the light side the strip lets through ends in the adjacent heavy product, and is
  lost to the adjacent light one; it may take SLIP_SHARE of that product's impurity allowance and
  of the other's recovery allowance: 1 - SLIP_SHARE min((1 - purity) heavy, (1 - recovery) light)
  / strip, in mass of the two products and of the strip side.
- **Check**: the circuit is solved with its controller; while a product misses its purity or its
  recovery (or the circuit does not run), the stages grow by STAGE_GROWTH and the reflux by
  REFLUX_GROWTH, at most CHECKS times. If none passes, the last that ran is kept and the plant
  reports what it leaves off spec; if none runs, the circuit runs as its section states.
- **Reuse**: designs are kept by circuit, keys and feed; a feed whose strip-side share and
  rare-earth concentration sit within the margin (``[solvent_extraction.design]``) of a kept
  feed's bin reuses its stages and reflux, and only the flows follow.
- **Batches**: recovery, reflux factor, purity and separation factors may vary by sample, and
  the flows and setpoint follow each sample; the stages are one count for the batch, the largest
  any sample asks (a sample can then run with more stages than its own design).

The shortcut assumes constant separation factors; pH mode moves them with the pH along the
cascade (their slopes differ), which is what the check catches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.chemistry import RARE_EARTHS
from plant.errors import PlantError
from plant.memo import Memo
from plant.numerics import safe_ratio
from plant.params import with_values
from plant.stream import Stream
from plant.thermo import atomic_weight
from plant.units.solvent_extraction.parameters import CircuitParams, SolventExtractionParams
from plant.units.solvent_extraction.unit import circuit_params, feed_state, split, strip_side

STRIP_EXCESS = 1.5
"""Strip acid over what the stripped rare earths need [E] (as the dysprosium circuit's)."""
STAGE_GROWTH, REFLUX_GROWTH, CHECKS = 1.3, 1.2, 3
"""What a design that fails its check grows by, and how many checks it gets [E]."""
SLIP_SHARE = 0.3
"""Share of a product's impurity allowance (1 - purity) the cut next to it may put in it, and of
its recovery allowance it may lose across the cut: the rest is for the salts and co-precipitated
metals its oxalate cake keeps (NaCl of the saponification, Co, Ni) and the slip of the next cut
[E: 0.3 % NaCl was found in a Tb oxide from a raffinate of a high-reflux circuit]."""
CHECK_SLIP = 1.5
"""The check lets the strip's light side reach this many times SLIP_SHARE: the setpoint asks
SLIP_SHARE, the controller stops within its tolerance of it [E]."""
MIN_STAGES, MAX_STAGES = 2, 100
"""Fewest and most stages in extraction and in scrub a design starts from [E]."""
REFLUX_CAP = 40.0
"""Most reflux a design takes [E]: the scrub's acid then returns 40 times the product, and the
controller's window on the scrub flow (about 1/R of it) is already under 3 %. A strip side a few
hundredths of its feed asks more by Underwood's minimum; the stages make up for it."""
PRESENT = 1e-6
"""An element counts as carried above this share of the feed's rare earths (as the train's)."""

MASS = np.array([atomic_weight(e) for e in RARE_EARTHS])
"""Atomic weights of the rare earths, in RARE_EARTHS order [kg/mol]."""

KEPT = Memo(64)
"""Designs (stages and reflux) by circuit, keys and feed bin."""


@dataclass(frozen=True)
class Shortcut:
    """A circuit's design by the shortcut, before its check.

    light_key, heavy_key : the key elements; beta : D(heavy key) / D(light key) [-]
    reflux, reflux_min : R and Underwood's R_min (per sample) [-]
    n_min : Fenske's minimum stages; n_extraction, n_scrub : the stages chosen
    setpoint : the strip product's purity the controller holds (per sample) [-]
    """

    light_key: str
    heavy_key: str
    beta: np.ndarray
    reflux: np.ndarray
    reflux_min: np.ndarray
    n_min: float
    n_extraction: int
    n_scrub: int
    setpoint: np.ndarray


def gilliland_stages(n_min, reflux, reflux_min) -> np.ndarray:
    """Theoretical stages at reflux R for a separation needing ``n_min`` at total reflux and
    ``reflux_min`` at infinite stages: Gilliland's correlation, Molokanov's fit
    (Y = 1 - exp[(1 + 54.4 X) / (11 + 117.2 X) (X - 1) / sqrt X], X = (R - R_min) / (R + 1),
    Y = (N - N_min) / (N + 1))."""
    R, Rm = np.asarray(reflux, dtype=float), np.asarray(reflux_min, dtype=float)
    X = np.clip((R - Rm) / (R + 1.0), 1e-6, 0.999)
    Y = 1.0 - np.exp((1.0 + 54.4 * X) / (11.0 + 117.2 * X) * (X - 1.0) / np.sqrt(X))
    Y = np.minimum(Y, 1.0 - 1e-12)  # at minimum reflux: stages without end
    return (np.asarray(n_min, dtype=float) + Y) / (1.0 - Y)


def fenske_stages(beta, kept: tuple, slipped: tuple) -> np.ndarray:
    """Fenske's minimum stages: ln[(d_hk / b_hk) (b_lk / d_lk)] / ln beta, ``kept`` = (d_hk, b_lk)
    the keys reaching their own product, ``slipped`` = (b_hk, d_lk) those crossing the cut."""
    ratio = safe_ratio(kept[0], slipped[0], 1.0) * safe_ratio(kept[1], slipped[1], 1.0)
    return np.log(np.maximum(ratio, 1.0)) / np.log(np.maximum(beta, 1.0 + 1e-9))


def _keys(re: np.ndarray, light_key: str) -> tuple[str, str]:
    """The most extractable element carried on the light side and the least on the heavy side."""
    total = re.sum(-1)
    carried = [e for i, e in enumerate(RARE_EARTHS) if np.any(re[..., i] > PRESENT * total)]
    heavy = strip_side(light_key)
    return [e for e in carried if e not in heavy][-1], [e for e in carried if e in heavy][0]


def _beta(p: SolventExtractionParams, c: CircuitParams, light: str, heavy: str) -> np.ndarray:
    """D(heavy) / D(light) at equal conditions (pH mode: the extractant's separation factors),
    scalar or per sample."""
    table = p.extractant_data().separation_factor if p.mode == "pH" else c.distribution_ratio
    return np.asarray(table[heavy], dtype=float) / np.asarray(table[light], dtype=float)


def shortcut(
    re: np.ndarray,
    p: SolventExtractionParams,
    c: CircuitParams,
    cut: tuple[str, str],
    products: tuple[tuple[str, ...], tuple[str, ...]],
    purity,
    recovery,
    reflux_factor,
) -> Shortcut:
    """The shortcut design for feed rare earths ``re`` (..., n_RE) [mol/s]; ``products`` the
    elements of the two products either side of the cut; ``recovery`` and ``reflux_factor``
    scalars or per sample (a batch shares the largest stage count any sample asks)."""
    lk, hk = _keys(re, cut[0])
    beta = _beta(p, c, lk, hk)
    col = lambda e: re[..., RARE_EARTHS.index(e)]
    H, total = _of(re, strip_side(cut[0])), re.sum(-1)
    light_product, heavy_product = (_of(re * MASS, e) for e in products)
    strip_mass = _of(re * MASS, strip_side(cut[0]))
    allowance = SLIP_SHARE * (1.0 - purity)
    slip = np.minimum(allowance * heavy_product, SLIP_SHARE * (1.0 - recovery) * light_product)
    setpoint = 1.0 - safe_ratio(slip, strip_mass, 1.0)
    reflux_min = safe_ratio(1.0, (beta - 1.0) * safe_ratio(H, total), 1e3)
    reflux = np.minimum(reflux_factor * reflux_min, REFLUX_CAP)
    LK, HK = col(lk), col(hk)
    b_hk = np.minimum(allowance * light_product / atomic_weight(hk), (1.0 - recovery) * HK)
    d_lk = np.minimum((1.0 - setpoint) * strip_mass / atomic_weight(lk), (1.0 - recovery) * LK)
    n_min = fenske_stages(beta, (HK - b_hk, LK - d_lk), (b_hk, d_lk))
    # at the cap, stages as if the reflux were reflux_factor times its minimum: the check decides
    n = gilliland_stages(n_min, reflux, np.minimum(reflux_min, reflux / reflux_factor))
    half = int(np.clip(np.ceil(np.max(n) / 2.0), MIN_STAGES, MAX_STAGES))
    return Shortcut(lk, hk, beta, reflux, reflux_min, float(np.max(n_min)), half, half, setpoint)


def flows(
    s: Shortcut, c: CircuitParams, p: SolventExtractionParams, re, F, feed_acid, cut
) -> CircuitParams:
    """``c`` with the shortcut's stages and setpoint and the flows its feed asks (module text)."""
    H = _of(re, strip_side(cut[0]))
    C = np.asarray(p.extractant_concentration, dtype=float)
    base = 3.0 * H * (1.0 + s.reflux) + np.asarray(feed_acid) * F
    values = {
        "n_extraction": s.n_extraction,
        "n_scrub": s.n_scrub,
        "organic_ratio": safe_ratio(base, np.asarray(c.saponification) * C * F),
        "scrub_ratio": safe_ratio(3.0 * H * s.reflux, np.asarray(c.scrub_acid) * F),
        "strip_ratio": safe_ratio(STRIP_EXCESS * 3.0 * H, np.asarray(c.strip_acid) * F),
        "strip_purity_setpoint": s.setpoint,
    }
    return with_values(c, values)


def _check(liquor: Stream, p, c: CircuitParams, acid: str, cut, products, purity, recovery):
    """Whether circuit ``c`` runs (None if not), and whether it holds both adjacent products'
    purity (the heavy side in the raffinate within half the light product's impurity allowance,
    the light side in the strip within CHECK_SLIP of the heavy product's) and recovery."""
    re, _, _ = feed_state(liquor, p, acid)
    try:
        to_strip = split(liquor, p, c, acid, cut)
    except PlantError:  # does not run at these flows (too alkaline, no steady state)
        return None
    raff, strip = re * (1.0 - to_strip) * MASS, re * to_strip * MASS
    heavy_side = strip_side(cut[0])
    light_side = tuple(e for e in RARE_EARTHS if e not in heavy_side)
    light, heavy = products
    ok = _of(raff, heavy_side) <= SLIP_SHARE * (1.0 - purity) * _of(raff, light)
    ok &= _of(strip, light_side) <= CHECK_SLIP * SLIP_SHARE * (1.0 - purity) * _of(strip, heavy)
    ok &= _of(raff, light) >= recovery * _of(re * MASS, light)
    ok &= _of(strip, heavy) >= recovery * _of(re * MASS, heavy)
    return bool(np.all(ok))


def designed(
    liquor: Stream,
    p: SolventExtractionParams,
    circuit: str,
    acid: str,
    cut: tuple[str, str],
    products: tuple[tuple[str, ...], tuple[str, ...]],
    purity,
) -> CircuitParams:
    """Circuit ``circuit`` of ``p`` (its acids, saponification, strip stages) with the stages, flows
    and setpoint designed for ``liquor`` and checked (module text); ``products`` the elements of the
    two products either side of ``cut``, ``purity`` their spec."""
    c = circuit_params(p, circuit)
    re, F, feed_acid = feed_state(liquor, p, acid)
    m = p.design
    recovery, factor = np.asarray(m.recovery, float), np.asarray(m.reflux_factor, float)
    bins = _feed_bin(re, F, cut, m)
    key = (c, p.mode, p.extractant_data(), p.extractant_concentration, cut, products, purity)
    key += (recovery, factor, bins)

    def search() -> tuple[int, int, np.ndarray] | None:
        s = shortcut(re, p, c, cut, products, purity, recovery, factor)
        n_e, n_s, f, ran = s.n_extraction, s.n_scrub, factor, None
        for i in range(CHECKS):
            if i:
                s = shortcut(re, p, c, cut, products, purity, recovery, f)
            trial = _with_stages(s, n_e, n_s)
            ok = _check(
                liquor,
                p,
                flows(trial, c, p, re, F, feed_acid, cut),
                acid,
                cut,
                products,
                purity,
                recovery,
            )
            if ok is not None:
                ran = (n_e, n_s, f)
            if ok:
                break
            n_e, n_s = int(np.ceil(n_e * STAGE_GROWTH)), int(np.ceil(n_s * STAGE_GROWTH))
            f = f * REFLUX_GROWTH
        return ran

    found = KEPT.get(key, search)
    if found is None:  # no design of the search runs: the circuit as its section states
        return c
    n_e, n_s, f = found
    final = _with_stages(shortcut(re, p, c, cut, products, purity, recovery, f), n_e, n_s)
    return flows(final, c, p, re, F, feed_acid, cut)


def _with_stages(s: Shortcut, n_e: int, n_s: int) -> Shortcut:
    return Shortcut(
        s.light_key, s.heavy_key, s.beta, s.reflux, s.reflux_min, s.n_min, n_e, n_s, s.setpoint
    )


def _feed_bin(re, F, cut, m) -> tuple:
    """The feed's bin: its strip-side share and its rare-earth concentration, each on a log grid
    as wide as the margin's composition and feed moves (per sample)."""
    share = safe_ratio(_of(re, strip_side(cut[0])), re.sum(-1))
    conc = safe_ratio(re.sum(-1), F)
    grid = lambda x, w: tuple(np.atleast_1d(np.round(np.log(np.maximum(x, 1e-300)) / np.log1p(w))))
    # a batch of margins: the narrowest bin
    return grid(share, float(np.min(m.composition))), grid(conc, float(np.min(m.feed)))


def _of(x: np.ndarray, elements) -> np.ndarray:
    """The sum of ``x`` (..., n_RE) over ``elements`` (...)."""
    return (x * np.array([e in elements for e in RARE_EARTHS])).sum(-1)
