"""Cation-exchange equilibrium of acidic organophosphorus extractants and the pH-mode stage solver.

Stoichiometry (stated once, used everywhere). The extractant HA (P507/PC88A,
D2EHPA, Cyanex 272) is a dimer (HA)2 in an aliphatic diluent. A metal ion of
charge v is extracted as

    M(v+) + v (HA)2(org)  <=>  M(HA2)v(org) + v H(+),

so it occupies ``sites = 2v`` HA and releases ``charge = v`` protons. The
saponified extractant carries Na(+) (or NH4(+)) as NaA, one HA site each,
exchanged for one H(+) (``sites = 1``, ``charge = 1``). The distribution ratio
of each component is

    log10 D = log10 K + n pH + m log10 [(HA)2]_free      ([(HA)2] in mol/L),

and the free dimer follows from the sites in use: 2 [(HA)2]_free = C_HA -
sum(sites * y). Loading is therefore limited by the extractant: as the organic
fills, the free dimer and D fall together. Activity coefficients are 1 and
[H+] = 10^-pH mol/L.

A stage is known by what passes through it: the total flow of each component,
T_i = A x_i + O y_i [mol/s] (A, O the aqueous and organic flows [m3/s]), and
its net acid P = A ([H+] - [OH-]) - O q [mol/s], q the charge of the
extracted cations per volume of organic (the protons they displaced).
:func:`flash` finds the pH and free dimer at which the two phases leaving it
are in equilibrium with these totals. It is two nested one-dimensional
solves, each a Newton iteration kept inside a bracket that bisection
shrinks:

- at a given pH the sites balance 2 [(HA)2] + sum(sites y) = C_HA rises
  monotonically with the free dimer, between 0 and C_HA / 2;
- the net acid the two phases hold at that pH and its free dimer falls
  monotonically with the pH.

The aqueous includes water's own ions ([H+][OH-] = 1e-14 (mol/L)^2), so
every total has exactly one equilibrium, however much base it holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.units.solvent_extraction import kernels

LN10 = float(np.log(10.0))
WATER = 1e-8
"""Ionic product of water at 25 degC, [H+][OH-] = 1e-14 (mol/L)^2 = 1e-8 (mol/m3)^2 (CRC
Handbook)."""
PH_LIMITS = (-3.0, 17.0)
"""The flash looks for the pH in this range [-]: [H+] of 1,000 mol/L to [OH-] of 1,000 mol/L."""
TOLERANCE = 1e-13
"""Relative tolerance of the flash's balances (sites, net acid) [-]."""
MAX_BISECTIONS = 200


@dataclass(frozen=True)
class ExchangeModel:
    """Equilibrium constants of the components of a circuit, each (..., n_components).

    log_K : log10 K with the free dimer in mol/L
    slope : n, the pH dependence of log10 D [-]
    dimer_order : m, the free-dimer dependence of log10 D [-]
    charge : protons exchanged per ion extracted [-]
    sites : HA occupied per ion extracted [-]
    """

    log_K: np.ndarray
    slope: np.ndarray
    dimer_order: np.ndarray
    charge: np.ndarray
    sites: np.ndarray

    def ln_D(self, pH: np.ndarray, ln_dimer: np.ndarray) -> np.ndarray:
        """ln D (..., n_components, n_stages) for stage pH and ln free dimer [mol/m3], each
        (..., n_stages)."""
        a = LN10 * (self.log_K - 3.0 * self.dimer_order)  # K with the dimer in mol/m3
        return (
            a[..., None]
            + LN10 * self.slope[..., None] * pH[..., None, :]
            + self.dimer_order[..., None] * ln_dimer[..., None, :]
        )


@dataclass(frozen=True)
class StageData:
    """What the flash needs of each stage, flattened to points: arrays (P, n_comp) and (P,).

    z0 : ln(O D / A) at pH 0 and a free dimer of 1 mol/m3 [-]
    slope : ln(10) n [-]; order : m [-]; charge, sites : per ion extracted [-]
    ratio : A / O [-]; capacity : C_HA [mol/m3]
    """

    z0: np.ndarray
    slope: np.ndarray
    order: np.ndarray
    charge: np.ndarray
    sites: np.ndarray
    ratio: np.ndarray
    capacity: np.ndarray

    def take(self, idx: np.ndarray) -> StageData:
        return StageData(*(np.ascontiguousarray(a[idx]) for a in self.__dict__.values()))


def stage_data(model: ExchangeModel, aqueous_flow, organic_flow, extractant) -> StageData:
    """The flash data of every stage: model (..., n_comp), aqueous_flow (..., M) [m3/s],
    organic_flow and extractant (...) [m3/s], [mol/m3]; points ordered (..., M) flattened."""
    A = np.asarray(aqueous_flow, dtype=float)
    batch, M = A.shape[:-1], A.shape[-1]
    O = np.broadcast_to(np.asarray(organic_flow, dtype=float)[..., None], A.shape)
    C = np.broadcast_to(np.asarray(extractant, dtype=float)[..., None], A.shape)
    nc = model.log_K.shape[-1]
    per = lambda a: np.broadcast_to(
        np.asarray(a, dtype=float)[..., None, :], batch + (M, nc)
    ).reshape(-1, nc)
    log_O_A = np.log(O / A).reshape(-1, 1)
    return StageData(
        z0=np.ascontiguousarray(per(LN10 * (model.log_K - 3.0 * model.dimer_order)) + log_O_A),
        slope=np.ascontiguousarray(per(LN10 * model.slope)),
        order=np.ascontiguousarray(per(model.dimer_order)),
        charge=np.ascontiguousarray(per(model.charge)),
        sites=np.ascontiguousarray(per(model.sites)),
        ratio=np.ascontiguousarray((A / O).reshape(-1)),
        capacity=np.ascontiguousarray(C.reshape(-1)),
    )


@dataclass(frozen=True)
class Equilibrium:
    """Flash results per point: pH (P,), ln free dimer [mol/m3] (P,) and the share of each
    component in the organic (P, n_comp)."""

    pH: np.ndarray
    g: np.ndarray
    organic: np.ndarray


def flash(
    st: StageData, w: np.ndarray, p: np.ndarray, pH: np.ndarray, g: np.ndarray
) -> Equilibrium:
    """Equilibrium of every point for its totals per volume of organic: w = T / O (P, n_comp) and
    p = P / O (P,) [mol/m3], starting from pH and ln free dimer (P,) (a previous solution)."""
    pH = np.array(pH, dtype=float)
    g = np.array(g, dtype=float)
    sigma = np.empty(w.shape)
    kernels.flash_points(
        st.z0, st.slope, st.order, st.charge, st.sites, st.ratio, st.capacity,
        np.ascontiguousarray(w), np.ascontiguousarray(p), pH, g, sigma,
        PH_LIMITS[0], PH_LIMITS[1], WATER, TOLERANCE, MAX_BISECTIONS,
    )  # fmt: skip
    return Equilibrium(pH, g, sigma)


def free_dimer(st: StageData, w: np.ndarray, pH: np.ndarray, g: np.ndarray) -> np.ndarray:
    """ln free dimer (P,) that closes the sites balance of each point at its pH, from ``g``."""
    g = np.array(g, dtype=float)
    kernels.dimer_points(
        st.z0, st.slope, st.order, st.sites, np.ascontiguousarray(w), st.capacity,
        np.ascontiguousarray(pH, dtype=float), g, TOLERANCE, MAX_BISECTIONS,
    )  # fmt: skip
    return g


def sensitivities(st: StageData, w: np.ndarray, eq: Equilibrium):
    """How the pH and ln free dimer of each point move with its totals per volume of organic:
    (P, 2, n_comp + 1), rows d pH and d g, columns d w_i and d p [m3/mol]."""
    sg = eq.organic
    d = sg * (1.0 - sg) * w
    h = 10.0 ** (3.0 - eq.pH)
    J = np.empty(eq.pH.shape + (2, 2))
    J[:, 0, 0] = (st.sites * d * st.slope).sum(-1)  # sites balance
    J[:, 0, 1] = 2.0 * np.exp(eq.g) + (st.sites * d * st.order).sum(-1)
    J[:, 1, 0] = -LN10 * st.ratio * (h + WATER / h) - (st.charge * d * st.slope).sum(-1)
    J[:, 1, 1] = -(st.charge * d * st.order).sum(-1)  # net acid
    nc = w.shape[-1]
    dF = np.zeros(eq.pH.shape + (2, nc + 1))
    dF[:, 0, :nc] = st.sites * sg
    dF[:, 1, :nc] = -st.charge * sg
    dF[:, 1, nc] = -1.0
    return -np.linalg.solve(J, dF)
