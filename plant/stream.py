"""Immutable process stream with an optional leading sample axis.

A :class:`Stream` holds molar flows [mol/s] of every species in the
registry, a temperature [K] and a pressure [Pa]. With batch evaluation the
flows have shape ``(N, n_species)`` and T, P shape ``(N,)``; a scalar stream
has flows of shape ``(n_species,)``. Operations broadcast, so a scalar
stream mixes with a batch stream.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from plant.errors import PlantError
from plant.numerics import safe_ratio
from plant.species import Registry, default_registry

T_REF = 298.15
"""Reference temperature [K]."""
P_REF = 101325.0
"""Reference pressure [Pa]."""
NEGATIVE_TOLERANCE = 1e-12
"""Relative size of a negative flow accepted as round-off and set to zero."""


def _frozen(a) -> np.ndarray:
    a = np.array(a, dtype=float)  # copy: the caller's array is never shared
    a.setflags(write=False)
    return a


class Stream:
    """Molar flows [mol/s] per species, temperature [K] and pressure [Pa].

    Parameters
    ----------
    flows : array (..., n_species) [mol/s]
    T : temperature [K], scalar or (...,); default 298.15
    P : pressure [Pa], scalar or (...,); default 101325
    registry : species registry; default the project's
    """

    __slots__ = ("flows", "T", "P", "registry")

    def __init__(self, flows, T=T_REF, P=P_REF, registry: Registry | None = None):
        reg = registry if registry is not None else default_registry()
        self._set(np.array(flows, dtype=float), T, P, reg)  # copy: the caller's array stays theirs

    @classmethod
    def owned(cls, flows: np.ndarray, T=T_REF, P=P_REF, registry: Registry | None = None) -> Stream:
        """A stream taking ownership of a freshly computed float array (no copy; it becomes
        read-only).

        For units, which build new arrays for every outlet; callers must not keep writing to
        ``flows``.
        """
        self = cls.__new__(cls)
        self._set(
            np.asarray(flows, dtype=float),
            T,
            P,
            registry if registry is not None else default_registry(),
        )
        return self

    def _set(self, f: np.ndarray, T, P, reg: Registry) -> None:
        if f.shape[-1:] != (reg.n,):
            raise PlantError(
                f"stream flows need a last axis of {reg.n} species, got shape {f.shape}"
            )
        batch = np.broadcast_shapes(f.shape[:-1], np.shape(T), np.shape(P))
        if batch != f.shape[:-1]:  # a batch of temperatures or pressures makes a batch of streams
            f = np.broadcast_to(f, batch + f.shape[-1:]).copy()
        if not np.all(np.isfinite(f)):
            raise PlantError("stream flows contain NaN or infinity")
        neg = f < 0
        if neg.any():
            scale = np.abs(f).max(axis=-1, keepdims=True)
            if np.any(f < -NEGATIVE_TOLERANCE * np.maximum(scale, 1e-300)):
                worst = np.unravel_index(np.argmin(f), f.shape)
                raise PlantError(f"negative flow of {reg.names[worst[-1]]}: {f[worst]:.3g} mol/s")
            f[neg] = 0.0
        f.setflags(write=False)
        object.__setattr__(self, "flows", f)
        object.__setattr__(self, "T", _frozen(T))
        object.__setattr__(self, "P", _frozen(P))
        object.__setattr__(self, "registry", reg)

    def __setattr__(self, name, value):
        raise AttributeError("Stream is immutable; use with_flows(), scale(), split() or +")

    # ----------------------------------------------------------------- construction
    @classmethod
    def zeros(cls, registry: Registry | None = None, batch_shape=(), T=T_REF, P=P_REF) -> Stream:
        reg = registry if registry is not None else default_registry()
        return cls(np.zeros(tuple(batch_shape) + (reg.n,)), T, P, reg)

    @classmethod
    def from_moles(
        cls, moles: Mapping[str, object], T=T_REF, P=P_REF, registry: Registry | None = None
    ) -> Stream:
        """Stream from species name -> molar flow [mol/s] (scalars or (N,) arrays)."""
        reg = registry if registry is not None else default_registry()
        vals = {reg.index(k): np.asarray(v, dtype=float) for k, v in moles.items()}
        batch = np.broadcast_shapes(*(v.shape for v in vals.values())) if vals else ()
        f = np.zeros(batch + (reg.n,))
        for i, v in vals.items():
            f[..., i] = v
        return cls(f, T, P, reg)

    @classmethod
    def from_masses(
        cls, masses: Mapping[str, object], T=T_REF, P=P_REF, registry: Registry | None = None
    ) -> Stream:
        """Stream from species name -> mass flow [kg/s]."""
        reg = registry if registry is not None else default_registry()
        return cls.from_moles(
            {k: np.asarray(v) / reg.molar_mass[reg.index(k)] for k, v in masses.items()}, T, P, reg
        )

    def with_flows(self, flows, T=None, P=None) -> Stream:
        """A new stream with other flows (and optionally T, P), same registry (``flows`` is
        copied)."""
        return Stream(flows, self.T if T is None else T, self.P if P is None else P, self.registry)

    # ----------------------------------------------------------------- properties
    @property
    def batch_shape(self) -> tuple[int, ...]:
        return self.flows.shape[:-1]

    @property
    def mass_flows(self) -> np.ndarray:
        """Mass flow of each species [kg/s], (..., n_species)."""
        return self.flows * self.registry.molar_mass

    @property
    def mass_flow(self) -> np.ndarray:
        """Total mass flow [kg/s], (...)."""
        return self.flows @ self.registry.molar_mass

    def mass_of(self, mask: np.ndarray) -> np.ndarray:
        """Mass flow [kg/s] of the species selected by a boolean mask."""
        return self.flows @ (self.registry.molar_mass * mask)

    def elements(self) -> np.ndarray:
        """Element flows [mol/s], (..., n_elements) in ``registry.elements`` order."""
        return self.flows @ self.registry.element_matrix.T

    def element(self, symbol: str) -> np.ndarray:
        """Flow of one element [mol/s], (...)."""
        return self.flows @ self.registry.element_vector(symbol)

    def __getitem__(self, name: str) -> np.ndarray:
        """Molar flow [mol/s] of one species, (...)."""
        return self.flows[..., self.registry.index(name)]

    # ----------------------------------------------------------------- operations
    def __add__(self, other: Stream) -> Stream:
        """Mix two streams. T is the mass-weighted mean (heats of mixing neglected); P the lower."""
        if not isinstance(other, Stream):
            return NotImplemented
        if other.registry is not self.registry:
            raise PlantError("cannot mix streams built on different species registries")
        m1, m2 = self.mass_flow, other.mass_flow
        tot = m1 + m2
        T = np.where(
            tot > 0, safe_ratio(m1 * self.T + m2 * other.T, tot), np.maximum(self.T, other.T)
        )
        return Stream(self.flows + other.flows, T, np.minimum(self.P, other.P), self.registry)

    def scale(self, factor) -> Stream:
        """Flows times ``factor`` (scalar or (N,)); factor must be >= 0."""
        f = np.asarray(factor, dtype=float)
        return self.with_flows(self.flows * f[..., None])

    def split(self, fraction) -> tuple[Stream, Stream]:
        """Split into (part, rest); ``fraction`` of each species goes to part.

        ``fraction`` is a scalar, a (n_species,) vector, or (..., n_species).
        """
        fr = np.asarray(fraction, dtype=float)
        if fr.ndim == 0 or fr.shape[-1] != self.registry.n:
            fr = fr[..., None]
        part = self.flows * fr
        return self.with_flows(part), self.with_flows(self.flows - part)

    def select(self, mask: np.ndarray) -> Stream:
        """Only the species in a boolean mask (others zero)."""
        return self.with_flows(self.flows * mask)

    def phase(self, name: str) -> Stream:
        """Only the species of one phase ('solid', 'aqueous', 'liquid', 'organic', 'gas')."""
        return self.select(self.registry.phase_masks[name])

    def sample(self, i: int) -> Stream:
        """Sample ``i`` of a batch stream, as a scalar stream."""
        T = self.T if self.T.ndim == 0 else self.T[i]
        P = self.P if self.P.ndim == 0 else self.P[i]
        return Stream(self.flows[i], T, P, self.registry)

    # ----------------------------------------------------------------- reporting
    def to_frame(self, threshold: float = 0.0):
        """Stream table (pandas DataFrame) of the species with flow above ``threshold`` [mol/s].

        Columns: phase, mol/s, kg/h, mass fraction. A batch stream gets a
        leading 'sample' index level.
        """
        import pandas as pd

        reg = self.registry
        flows = self.flows.reshape(-1, reg.n)
        frames = []
        for s, row in enumerate(flows):
            keep = row > threshold
            mass = row * reg.molar_mass
            tot = mass.sum()
            frames.append(
                pd.DataFrame(
                    {
                        "sample": s,
                        "species": np.array(reg.names)[keep],
                        "phase": np.array(reg.phases)[keep],
                        "mol/s": row[keep],
                        "kg/h": mass[keep] * 3600.0,
                        "mass fraction": mass[keep] / tot if tot > 0 else 0.0,
                    }
                )
            )
        df = pd.concat(frames, ignore_index=True)
        if self.batch_shape == ():
            return df.drop(columns="sample").set_index("species")
        return df.set_index(["sample", "species"])

    def __repr__(self) -> str:
        batch = f", batch={self.batch_shape}" if self.batch_shape else ""
        return f"Stream({float(np.sum(self.mass_flow)):.6g} kg/s{batch})"


def total(streams: Iterable[Stream]) -> np.ndarray:
    """Sum of the element flows [mol/s] of several streams, (..., n_elements)."""
    acc = None
    for s in streams:
        e = s.elements()
        acc = e if acc is None else acc + e
    return acc


ABSENT_FLOW = 1e-50
"""An element flow below this [mol/s] is nothing: less than one atom in the age of the universe
(1 / (6.0e23 x 4.4e17 s) = 4e-42 mol/s)."""


def max_relative_imbalance(inlets: Iterable[Stream], outlets: Iterable[Stream]) -> float:
    """Largest relative element imbalance |in - out| / max(in, out) over elements and samples.

    Elements absent from both sides count as balanced, and so do flows below ABSENT_FLOW, which
    floating point cannot carry through a unit without underflow.
    """
    ins, outs = total(inlets), total(outlets)
    if ins is None or outs is None:
        return 0.0
    ins, outs = np.broadcast_arrays(ins, outs)
    scale = np.maximum(np.maximum(np.abs(ins), np.abs(outs)), ABSENT_FLOW)
    rel = safe_ratio(np.abs(ins - outs), scale)
    return float(rel.max(initial=0.0))
