"""Probability distributions of uncertain parameters, as the ``[uncertainty]`` tables of a params
file.

Each entry names one uncertain quantity, the parameters it sets (one value
shared by all of them: the Nd and Pr oxide prices move together) and its
distribution, with bounds in the parameters' own units::

    [uncertainty.ndpr_price]
    label = "NdPr oxide price"
    parameters = ["economics.oxide_prices.Nd", "economics.oxide_prices.Pr"]
    distribution = "triangular"            # uniform | triangular | normal | lognormal
    low = "55 USD/kg"
    mode = "75 USD/kg"
    high = "110 USD/kg"
    source = "ree-data sec. 7 ... [S]"     # required: the source, or an [E] estimate

Arguments: uniform ``low``, ``high``; triangular ``low``, ``mode``, ``high``;
normal ``mean``, ``sd``; lognormal ``median`` and ``sigma`` (the standard
deviation of the natural log, dimensionless). With ``relative = true`` the
arguments are factors on each parameter's value in the files (a feed supply
+-30 %). Normal and lognormal distributions are truncated to the parameter's
domain (a fraction stays in [0, 1]); uniform and triangular bounds must lie
inside it.

A distribution maps a probability ``u`` in (0, 1) to a value (:meth:`Input.ppf`),
so that Monte Carlo (random ``u``), Sobol and Morris designs (``u`` from SALib)
and tornado ranges (``u`` = 0.1, 0.9) all go through the one transform.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

from plant.errors import ParamError
from plant.params.specs import COMMENT_KEYS, Spec, check_domain, value_at

ARGUMENTS = {
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
}
"""The arguments of each distribution, in order."""
GENERAL_KEYS = frozenset({"label", "parameter", "parameters", "distribution", "relative"})
KEYS = GENERAL_KEYS | {a for v in ARGUMENTS.values() for a in v}
U_CLIP = 1e-9
"""Probabilities are held to [U_CLIP, 1 - U_CLIP]: a design point at 0 or 1 gives a finite value."""


@dataclass(frozen=True)
class Distribution:
    """One uncertain quantity as read from a file.

    name : its key under [uncertainty]; label : for people; parameters : dotted keys it sets
    kind : one of ARGUMENTS; args : its arguments [SI, or factors when relative]
    relative : args are factors on each parameter's value; source : provenance; where : the file
    """

    name: str
    label: str
    parameters: tuple[str, ...]
    kind: str
    args: tuple[float, ...]
    relative: bool
    source: str
    where: str = ""

    def ppf(self, u) -> np.ndarray:
        """The quantile function: values (factors, when relative) at probabilities ``u``
        in (0, 1)."""
        a, u = self.args, np.asarray(u, dtype=float)
        if self.kind == "uniform":
            return a[0] + u * (a[1] - a[0])
        if self.kind == "triangular":
            low, mode, high = a
            left = (mode - low) / (high - low)
            return np.where(
                u < left,
                low + np.sqrt(u * (high - low) * (mode - low)),
                high - np.sqrt((1.0 - u) * (high - low) * (high - mode)),
            )
        if self.kind == "normal":
            return a[0] + a[1] * ndtri(u)
        return a[0] * np.exp(a[1] * ndtri(u))

    def cdf(self, x) -> np.ndarray:
        """The cumulative probability at ``x`` (normal and lognormal, for truncation)."""
        x = np.asarray(x, dtype=float)
        if self.kind == "normal":
            return ndtr((x - self.args[0]) / self.args[1])
        with np.errstate(divide="ignore"):
            return ndtr(np.log(np.maximum(x, 0.0) / self.args[0]) / self.args[1])


@dataclass(frozen=True)
class Input:
    """A distribution bound to a parameter set: the nominal values of its parameters and the domain
    it is truncated to, in the distribution's terms (values, or factors when relative)."""

    dist: Distribution
    nominal: tuple[float, ...]
    lo: float
    hi: float

    @property
    def name(self) -> str:
        return self.dist.name

    def ppf(self, u) -> np.ndarray:
        """Values (or factors) at probabilities ``u`` [-] of the distribution truncated
        to [lo, hi]."""
        d = self.dist
        u = np.clip(np.asarray(u, dtype=float), U_CLIP, 1.0 - U_CLIP)
        if d.kind in ("uniform", "triangular"):
            return d.ppf(u)
        f_lo, f_hi = d.cdf(self.lo), d.cdf(self.hi)
        return np.clip(d.ppf(f_lo + u * (f_hi - f_lo)), self.lo, self.hi)

    def values(self, u) -> dict[str, np.ndarray]:
        """Parameter values [SI] at probabilities ``u``: each parameter's key -> array."""
        return self.parameter_values(self.ppf(u))

    def parameter_values(self, x) -> dict:
        """Each parameter's value [SI] when the distribution takes value (or factor) ``x``."""
        if not self.dist.relative:
            return {key: x for key in self.dist.parameters}
        return {key: x * nominal for key, nominal in zip(self.dist.parameters, self.nominal)}

    @property
    def centre(self) -> float:
        """The distribution's value at the files' values: the nominal value, or factor 1."""
        return 1.0 if self.dist.relative else self.nominal[0]

    def at(self, u: float) -> float:
        """The value (or factor) at one probability."""
        return float(self.ppf(u))


def read(value, reader, path: str) -> tuple[Distribution, ...]:
    """The ``[uncertainty]`` tables of a params file (a :func:`plant.params.custom` reader)."""
    if not isinstance(value, Mapping):
        raise ParamError(reader.where(path), path, "a table of named distributions", value)
    return tuple(
        _entry(name, entry, reader, f"{path}.{name}")
        for name, entry in value.items()
        if name not in COMMENT_KEYS
    )


def _entry(name: str, entry, reader, path: str) -> Distribution:
    where = reader.where(path)
    if not isinstance(entry, Mapping):
        raise ParamError(
            where, path, "a table with parameters, distribution, its arguments and source", entry
        )
    for k in entry:
        if k not in KEYS and k not in COMMENT_KEYS:
            near = difflib.get_close_matches(k, sorted(KEYS), n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise ParamError(
                reader.where(f"{path}.{k}"),
                f"{path}.{k}",
                f"one of {', '.join(sorted(KEYS))}{hint}",
                given_text="an unknown key",
            )
    source = entry.get("source", "")
    if not isinstance(source, str) or not source.strip():
        raise ParamError(
            where,
            f"{path}.source",
            "the source of the distribution (paper, report, year), or '[E]' "
            "with the reasoning for an estimate",
            given_text="nothing (missing key)",
        )
    kind = entry.get("distribution")
    if kind not in ARGUMENTS:
        raise ParamError(
            where,
            f"{path}.distribution",
            f"one of {', '.join(repr(k) for k in ARGUMENTS)}",
            given_text=repr(kind) if kind is not None else "nothing (missing key)",
        )
    keys = entry.get("parameters", entry.get("parameter"))
    keys = [keys] if isinstance(keys, str) else keys
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
        raise ParamError(
            where,
            f"{path}.parameters",
            "a list of dotted parameter keys, e.g. ['economics.oxide_prices.Nd']",
            given_text=repr(keys) if keys is not None else "nothing (missing key)",
        )
    relative = entry.get("relative", False)
    if not isinstance(relative, bool):
        raise ParamError(where, f"{path}.relative", "true or false", relative)
    specs = [reader.spec_at(k, f"{path}.parameters") for k in keys]
    if len({s.unit for s in specs}) > 1 and not relative:
        raise ParamError(
            where,
            f"{path}.parameters",
            "parameters of one unit (or relative = true)",
            given_text=", ".join(f"{k} [{s.unit or '-'}]" for k, s in zip(keys, specs)),
        )
    names = ARGUMENTS[kind]
    stray = [k for k in entry if k in KEYS - GENERAL_KEYS and k not in names]
    if stray:
        raise ParamError(
            reader.where(f"{path}.{stray[0]}"),
            f"{path}.{stray[0]}",
            f"the arguments of a {kind} distribution ({', '.join(names)})",
            given_text=f"{stray[0]!r}, an argument of another kind",
        )
    for a in names:
        if a not in entry:
            raise ParamError(
                where,
                f"{path}.{a}",
                f"the argument {a!r} of a {kind} distribution ({', '.join(names)})",
                given_text="nothing (missing key)",
            )
    args = tuple(_argument(a, entry[a], specs[0], relative, reader, f"{path}.{a}") for a in names)
    _check_order(kind, args, where, path, entry)
    return Distribution(
        name, str(entry.get("label", name)), tuple(keys), kind, args, relative, source, where
    )


def _argument(name: str, value, spec: Spec, relative: bool, reader, path: str) -> float:
    """One argument in SI: a spread (sd, sigma) is > 0; a location lies in the parameter's
    domain."""
    if name == "sigma" or relative:
        return reader.quantity(Spec(path, "quantity", "", 0.0, None, True), value, path)
    if name == "sd":
        return reader.quantity(Spec(path, "quantity", spec.unit, 0.0, None, True), value, path)
    if name == "median":
        return reader.quantity(Spec(path, "quantity", spec.unit, 0.0, spec.hi, True), value, path)
    return reader.quantity(
        Spec(path, "quantity", spec.unit, spec.lo, spec.hi, spec.lo_open), value, path
    )


def _check_order(kind: str, args: tuple[float, ...], where: str, path: str, entry: Mapping) -> None:
    if kind == "uniform" and not args[0] < args[1]:
        raise ParamError(
            where,
            path,
            "low < high",
            given_text=f"low = {entry['low']!r}, high = {entry['high']!r}",
        )
    if kind == "triangular" and not (args[0] <= args[1] <= args[2] and args[0] < args[2]):
        raise ParamError(
            where,
            path,
            "low <= mode <= high, with low < high",
            given_text=(
                f"low = {entry['low']!r}, mode = {entry['mode']!r}, high = {entry['high']!r}"
            ),
        )


def bind(dists, params, spec_of) -> list[Input]:
    """Inputs of ``dists`` for parameter tree ``params``: the nominal value of each parameter, and
    the truncation bounds its domain (``spec_of(key)``) sets, in the distribution's terms. A
    parameter in two distributions is refused (its value would depend on their order)."""
    seen: dict[str, str] = {}
    for d in dists:
        for key in d.parameters:
            if key in seen:
                raise ParamError(
                    d.where,
                    f"uncertainty.{d.name}.parameters",
                    f"parameters no other distribution sets ({key} is in uncertainty.{seen[key]})",
                    given_text=key,
                )
            seen[key] = d.name
    return [_bind(d, params, spec_of) for d in dists]


def _bind(d: Distribution, params, spec_of) -> Input:
    path = f"uncertainty.{d.name}"
    values = [value_at(params, k, d.where, f"{path}.parameters") for k in d.parameters]
    for k, v in zip(d.parameters, values):
        if v is None:  # an optional key the files leave out
            raise ParamError(
                d.where,
                f"{path}.parameters",
                "parameters the files give a value (an optional key left out has none)",
                given_text=k,
            )
    nominal = tuple(float(np.mean(v)) for v in values)
    lo, hi = -math.inf, math.inf
    for key, x0 in zip(d.parameters, nominal):
        s = spec_of(key)
        s_lo = -math.inf if s.lo is None else s.lo
        s_hi = math.inf if s.hi is None else s.hi
        if d.relative:
            if x0 <= 0:
                raise ParamError(
                    d.where,
                    f"{path}.relative",
                    "parameters whose values are above zero (a factor on zero does nothing)",
                    given_text=f"{key} = {x0:g}",
                )
            s_lo, s_hi = s_lo / x0, s_hi / x0
        lo, hi = max(lo, s_lo), min(hi, s_hi)
    inp = Input(d, nominal, lo, hi)
    if d.kind in ("uniform", "triangular"):  # their ends must lie in every parameter's domain
        for key, values in inp.values(np.array([0.0, 1.0])).items():
            check_domain(spec_of(key), values, d.where, f"{path} ({key})")
    else:
        if d.cdf(hi) - d.cdf(lo) < 1e-6:
            raise ParamError(
                d.where,
                path,
                f"a distribution with its mass inside the parameters' domain [{lo:g}, {hi:g}]",
                given_text=f"{d.kind} with {dict(zip(ARGUMENTS[d.kind], d.args))}",
            )
    return inp
