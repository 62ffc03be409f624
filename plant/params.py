"""Parameters: TOML files with quantities as strings, validated and converted once to SI.

A parameter set is a tree of frozen dataclasses. Each field declares its
TOML key, its kind and its domain with one of the field factories below
(:func:`quantity`, :func:`fraction`, :func:`table`, ...). :func:`load`
reads a base file, overlays further files, applies ``section.key=VALUE``
overrides, and builds the tree, raising :class:`~plant.errors.ParamError`
that names the file, the key path, what was expected and what was given for:

- a missing key, or an unknown key (with a suggestion for typos);
- an unparsable quantity, or one of the wrong dimension;
- a fraction outside [0, 1], a negative flow or size, any value outside its domain;
- a composition that does not sum to 1, or names an unknown species.

Every table may carry a ``source`` (or ``note``) string: provenance for
people, ignored by the model. A parameter class with rules across its fields
defines ``check(origin, prefix)``, called once it is built; ``origin(key)``
names the file a key came from.

Batch evaluation: :func:`with_values` replaces any parameter by an array of
samples (SI values), validated against the same domain.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

import numpy as np

from plant.errors import ParamError
from plant.uom import Q_, describe_dimension, dimensionality, to_usd

COMMENT_KEYS = frozenset({"source", "sources", "note", "notes", "description"})
COMPOSITION_TOLERANCE = 1e-6
"""Allowed deviation of a composition's sum from 1."""


@dataclass(frozen=True)
class Spec:
    """What a parameter field accepts. Use the factory functions, not this class."""

    key: str
    kind: str
    unit: str = ""
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    choices: tuple = ()
    keys: tuple[str, ...] = ()
    cls: type | None = None
    x: tuple[str, str] = ("", "")
    phase: str = ""
    total_one: bool = False
    basis: str = "mass"
    optional: bool = False
    atomic: bool = False
    doc: str = ""

    def domain_text(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        if self.lo is not None and self.hi is not None:
            if self.lo_open:
                return f"> {self.lo:g}{unit} and <= {self.hi:g}{unit}"
            return f"between {self.lo:g} and {self.hi:g}{unit}"
        if self.lo is not None:
            return f"{'>' if self.lo_open else '>='} {self.lo:g}{unit}"
        if self.hi is not None:
            return f"<= {self.hi:g}{unit}"
        return "any value"


def _field(spec: Spec):
    if spec.optional:  # an optional key left out of the file is None
        return field(default=None, metadata={"spec": spec})
    return field(metadata={"spec": spec})


def quantity(
    key: str,
    unit: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    positive: bool = False,
    above: float | None = None,
    optional: bool = False,
    doc: str = "",
):
    """A quantity convertible to ``unit`` (SI); ``lo`` means >= lo, ``above`` means > above,
    ``positive`` means > 0; ``optional``: the key may be left out (the field is then None)."""
    if positive:
        above = 0.0
    if above is not None:
        return _field(Spec(key, "quantity", unit, above, hi, True, optional=optional, doc=doc))
    return _field(Spec(key, "quantity", unit, lo, hi, False, optional=optional, doc=doc))


def number(
    key: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    positive: bool = False,
    above: float | None = None,
    doc: str = "",
):
    """A dimensionless number (a bare number or a string such as '20 %')."""
    return quantity(key, "", lo=lo, hi=hi, positive=positive, above=above, doc=doc)


def fraction(key: str, *, optional: bool = False, doc: str = ""):
    """A dimensionless fraction in [0, 1] (``optional``: may be left out, then None)."""
    return _field(Spec(key, "quantity", "", 0.0, 1.0, optional=optional, doc=doc))


def integer(key: str, *, lo: int = 0, hi: int | None = None, doc: str = ""):
    """A whole number."""
    return _field(Spec(key, "integer", "", lo, hi, doc=doc))


def flag(key: str, doc: str = ""):
    """A boolean."""
    return _field(Spec(key, "bool", doc=doc))


def choice(key: str, choices: Sequence[str], doc: str = ""):
    """One string out of ``choices``."""
    return _field(Spec(key, "choice", choices=tuple(choices), doc=doc))


def text(key: str, doc: str = ""):
    """Free text."""
    return _field(Spec(key, "text", doc=doc))


def table(key: str, keys: Sequence[str], *, lo: float = 0.0, hi: float | None = 1.0, doc: str = ""):
    """A table with exactly ``keys``, each a dimensionless number in [lo, hi] (default fractions)."""
    return _field(Spec(key, "table", "", lo, hi, keys=tuple(keys), doc=doc))


def quantities(
    key: str, unit: str, *, hi: float | None = None, atomic: bool = False, doc: str = ""
):
    """A table of named quantities in ``unit``, each >= 0 (and <= ``hi``), with names of the file's
    choosing (a price per product grade, a demand per year); ``atomic``: an overlay replaces the whole
    table (a new path) instead of merging entry by entry (a new price)."""
    return _field(Spec(key, "quantities", unit, 0.0, hi, atomic=atomic, doc=doc))


def fractions(key: str, *, total_one: bool = False, doc: str = ""):
    """A non-empty list of fractions in [0, 1] (e.g. a spend schedule); ``total_one``: they sum to 1."""
    return _field(Spec(key, "fractions", "", 0.0, 1.0, total_one=total_one, doc=doc))


def composition(key: str, phase: str = "solid", doc: str = "", *, basis: str = "mass"):
    """Mass (or, with ``basis="mole"``, mole) fractions of species of ``phase`` that sum to 1."""
    return _field(Spec(key, "composition", phase=phase, basis=basis, doc=doc))


def curve(
    key: str, x: str, y: str, *, lo: float | None = 0.0, hi: float | None = 1.0, doc: str = ""
):
    """A piecewise-linear curve ``{x = [...], y = [...]}`` with increasing x; y in [lo, hi]."""
    return _field(Spec(key, "curve", "", lo, hi, x=(x, y), doc=doc))


def section(key: str, cls: type, doc: str = ""):
    """A nested table of parameters described by dataclass ``cls``."""
    return _field(Spec(key, "section", cls=cls, doc=doc))


def mapping(key: str, cls: type, doc: str = ""):
    """A table of named entries, each described by dataclass ``cls``."""
    return _field(Spec(key, "mapping", cls=cls, doc=doc))


def custom(key: str, reader, doc: str = ""):
    """An optional table read by ``reader(value, Reader, path)``: data whose checks need the whole parameter
    tree, such as distributions that name other parameters and take their units (None when absent)."""
    return _field(Spec(key, "custom", cls=reader, optional=True, doc=doc))


def where_field():
    """The key path of a section, filled in by the loader (for error messages)."""
    return field(default="", compare=False, metadata={"internal": True})


def specs(cls: type) -> list[tuple[dataclasses.Field, Spec]]:
    """The (field, spec) pairs of a parameter dataclass."""
    return [(f, f.metadata["spec"]) for f in fields(cls) if "spec" in f.metadata]


# ---------------------------------------------------------------------------------- loading


@dataclass
class _Context:
    """Where each raw value came from, and the exchange rate for TWD values."""

    files: list[str]
    origin: dict[str, str]
    twd_per_usd: float | None = None
    root: type | None = None

    def of(self, path: str) -> str:
        while path:
            if path in self.origin:
                return self.origin[path]
            path = path.rpartition(".")[0]
        return " + ".join(self.files) if self.files else "<parameters>"


ATOMIC_KINDS = frozenset({"composition", "curve"})
"""Tables that an overlay replaces whole instead of merging key by key."""


def atomic_paths(cls: type, prefix: str = "") -> frozenset[str]:
    """Dotted paths (``*`` for any entry of a mapping) of the atomic tables of a parameter tree."""
    out = set()
    for _, spec in specs(cls):
        path = prefix + spec.key
        if spec.kind in ATOMIC_KINDS or spec.atomic:
            out.add(path)
        elif spec.kind == "section":
            out |= atomic_paths(spec.cls, path + ".")
        elif spec.kind == "mapping":
            out |= atomic_paths(spec.cls, path + ".*.")
    return frozenset(out)


def _is_atomic(path: str, atomic: frozenset[str]) -> bool:
    parts = path.split(".")
    for pattern in atomic:
        pp = pattern.split(".")
        if len(pp) == len(parts) and all(a == "*" or a == b for a, b in zip(pp, parts)):
            return True
    return False


def _merge(
    base: dict,
    over: Mapping,
    origin: dict[str, str],
    source: str,
    prefix: str = "",
    atomic: frozenset[str] = frozenset(),
) -> dict:
    out = dict(base)
    for k, v in over.items():
        path = f"{prefix}{k}"
        if (
            isinstance(v, Mapping)
            and isinstance(out.get(k), Mapping)
            and not _is_atomic(path, atomic)
        ):
            out[k] = _merge(out[k], v, origin, source, path + ".", atomic)
        else:
            out[k] = v
            _mark(v, origin, source, path)
    return out


def _mark(v, origin, source, path):
    origin[path] = source
    if isinstance(v, Mapping):
        for k, sub in v.items():
            _mark(sub, origin, source, f"{path}.{k}")


def read_toml(path: str | Path) -> dict:
    """Parse one TOML file, with a clear error for a missing file or bad syntax."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ParamError(
            str(p), "(file)", "an existing TOML parameter file", given_text="no such file"
        ) from None
    return parse_toml(data, str(p))


def parse_toml(data: bytes | str, name: str) -> dict:
    """Parse TOML text (a file's bytes, an upload) named ``name`` in errors: bad syntax or text that is not
    UTF-8 is a ParamError."""
    try:
        return tomllib.loads(data.decode("utf-8") if isinstance(data, bytes) else data)
    except UnicodeDecodeError as exc:
        raise ParamError(
            name,
            "(encoding)",
            "a UTF-8 text file",
            given_text=f"bytes that are not UTF-8 ({exc.reason})",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ParamError(name, "(syntax)", "valid TOML", given_text=str(exc)) from None


def to_toml(document: Mapping) -> str:
    """A merged parameter document (as :func:`merge_sources` makes it) as TOML text that loads back to it."""
    import tomli_w

    return tomli_w.dumps(document)


def parse_override(text_: str) -> tuple[str, Any]:
    """Parse ``section.key=VALUE``; VALUE is read as TOML (number, bool, string, table) or else as text."""
    key, sep, value = text_.partition("=")
    key, value = key.strip(), value.strip()
    if not sep or not key:
        raise ParamError(
            "--set",
            text_,
            "section.key=VALUE, e.g. leaching.temperature='90 degC'",
            given_text=repr(text_),
        )
    try:
        parsed = tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        parsed = value
    return key, parsed


def _nest(dotted: str, value) -> dict:
    out: Any = value
    for part in reversed(dotted.split(".")):
        out = {part: out}
    return out


def merge_sources(
    paths: Sequence[str | Path],
    overrides: Sequence[str] = (),
    raw_overlays: Sequence[tuple[str, Mapping]] = (),
    atomic: frozenset[str] = frozenset(),
) -> tuple[dict, _Context]:
    """Merge TOML files (first is the base), raw dictionaries and ``key=VALUE`` overrides.

    Tables are merged key by key, except those in ``atomic`` (compositions,
    curves), which an overlay replaces whole.
    """
    origin: dict[str, str] = {}
    raw: dict = {}
    files = [str(p) for p in paths]
    for p in paths:
        raw = _merge(raw, read_toml(p), origin, str(p), atomic=atomic)
    for name, overlay in raw_overlays:
        files.append(name)
        raw = _merge(raw, overlay, origin, name, atomic=atomic)
    for item in overrides:
        key, value = parse_override(item)
        raw = _merge(raw, _nest(key, value), origin, "--set", atomic=atomic)
    return raw, _Context(files, origin)


def build(cls: type, raw: Mapping, ctx: _Context, prefix: str = ""):
    """Build dataclass ``cls`` from raw TOML data, validating every key."""
    if ctx.root is None:
        ctx.root = cls
    if not isinstance(raw, Mapping):
        raise ParamError(
            ctx.of(prefix.rstrip(".")), prefix.rstrip(".") or "(top level)", "a table", raw
        )
    known = {s.key for _, s in specs(cls)}
    for k in raw:
        if k not in known and k not in COMMENT_KEYS:
            near = difflib.get_close_matches(k, sorted(known), n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise ParamError(
                ctx.of(prefix + k),
                prefix + k,
                f"one of the known keys of [{prefix.rstrip('.') or 'top level'}]: "
                f"{', '.join(sorted(known))}{hint}",
                given_text="an unknown key",
            )
    values = {}
    for f, spec in specs(cls):
        path = prefix + spec.key
        if spec.key not in raw:
            if spec.optional:
                continue
            raise ParamError(
                ctx.of(prefix.rstrip(".")),
                path,
                _expected(spec),
                given_text="nothing (missing key)",
            )
        values[f.name] = _convert(spec, raw[spec.key], ctx, path)
    if any(f.name == "where" for f in fields(cls)):
        values["where"] = prefix.rstrip(".")
    node = cls(**values)
    if hasattr(node, "check"):  # rules across fields: node.check(origin, prefix) raises ParamError
        node.check(lambda key: ctx.of(prefix + key), prefix)
    return node


def _expected(spec: Spec) -> str:
    if spec.kind == "quantity":
        dim = describe_dimension(spec.unit)
        ex = f"; e.g. '{_example(spec.unit)}'" if spec.unit else ""
        return (
            f"{dim} {spec.domain_text()}{ex}"
            if spec.lo is not None or spec.hi is not None
            else f"{dim}{ex}"
        )
    return {
        "bool": "true or false",
        "integer": f"a whole number {spec.domain_text()}",
        "choice": f"one of {', '.join(repr(c) for c in spec.choices)}",
        "text": "a text string",
        "table": f"a table with keys {', '.join(spec.keys)}, each {spec.domain_text()}",
        "quantities": f"a table of named values, each {describe_dimension(spec.unit)} {spec.domain_text()}",
        "fractions": "a list of fractions, each between 0 and 1"
        + (", summing to 1" if spec.total_one else ""),
        "composition": f"a table of {spec.phase} species {spec.basis} fractions summing to 1",
        "curve": f"a table {{{spec.x[0]} = [...], {spec.x[1]} = [...]}}",
        "section": "a table",
        "mapping": "a table of named entries",
        "custom": "a table",
    }[spec.kind]


def _example(unit: str) -> str:
    return {
        "K": "80 degC",
        "s": "4 h",
        "kg/s": "3000 t/yr",
        "m^3/kg": "5 L/kg",
        "kg/m^3": "1200 kg/m^3",
        "J/kg": "15 kWh/t",
        "mol/m^3": "3 mol/L",
        "USD/kg": "250 USD/t",
        "kg/J": "0.474 kg/kWh",
        "W/m^3": "1 kW/m^3",
        "W/m^2/K": "4 W/m^2/K",
        "Pa": "3 kPa",
    }.get(unit, f"1 {unit}")


def _convert(spec: Spec, value, ctx: _Context, path: str):
    where = ctx.of(path)
    kind = spec.kind
    if kind == "quantity":
        return _quantity(spec, value, where, path, ctx)
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParamError(where, path, _expected(spec), value)
        check_domain(spec, value, where, path)
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ParamError(where, path, "true or false", value)
        return value
    if kind == "choice":
        if value not in spec.choices:
            raise ParamError(where, path, _expected(spec), value)
        return value
    if kind == "text":
        if not isinstance(value, str):
            raise ParamError(where, path, "a text string", value)
        return value
    if kind == "section":
        return build(spec.cls, value, ctx, path + ".")
    if kind == "custom":
        return spec.cls(value, Reader(ctx), path)
    if kind == "mapping":
        if not isinstance(value, Mapping):
            raise ParamError(where, path, "a table of named entries", value)
        return {
            name: build(spec.cls, sub, ctx, f"{path}.{name}.")
            for name, sub in value.items()
            if name not in COMMENT_KEYS
        }
    if kind == "table":
        return _table(spec, value, ctx, path)
    if kind == "quantities":
        entries = (
            {k: v for k, v in value.items() if k not in COMMENT_KEYS}
            if isinstance(value, Mapping)
            else {}
        )
        if not entries:
            raise ParamError(where, path, _expected(spec), value)
        sub = dataclasses.replace(spec, kind="quantity")
        return {
            k: _quantity(sub, v, ctx.of(f"{path}.{k}"), f"{path}.{k}", ctx)
            for k, v in entries.items()
        }
    if kind == "fractions":
        return _fractions(spec, value, ctx, path)
    if kind == "composition":
        return _composition(spec, value, ctx, path)
    if kind == "curve":
        return _curve(spec, value, ctx, path)
    raise AssertionError(kind)


def _quantity(spec: Spec, value, where: str, path: str, ctx: _Context) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ParamError(where, path, _expected(spec), value)
    if isinstance(value, (int, float)):
        if spec.unit:
            raise ParamError(where, path, _expected(spec) + " (a number needs its unit)", value)
        magnitude = float(value)
    else:
        try:
            q = Q_(value)
        except Exception as exc:  # pint raises several exception types for bad strings
            raise ParamError(
                where,
                path,
                _expected(spec),
                given_text=f"{value!r}, which is not a quantity ({exc})",
            ) from None
        if not hasattr(q, "dimensionality"):
            q = Q_(float(q), "")
        if "[currency_twd]" in q.dimensionality and "[currency_twd]" not in dimensionality(
            spec.unit
        ):
            if ctx.twd_per_usd is None:
                raise ParamError(where, path, "a value in USD (no exchange rate is set)", value)
            q = to_usd(q, ctx.twd_per_usd)
        if q.dimensionality != dimensionality(spec.unit):
            raise ParamError(
                where, path, _expected(spec), given_text=f"{value!r}, which is {_dim_words(q)}"
            )
        magnitude = float(q.to(spec.unit or "dimensionless").magnitude)
    if not math.isfinite(magnitude):
        raise ParamError(where, path, _expected(spec), value)
    check_domain(spec, magnitude, where, path, shown=value)
    return magnitude


def parse_quantity(
    value,
    unit: str,
    where: str,
    path: str,
    *,
    positive: bool = False,
    twd_per_usd: float | None = None,
) -> float:
    """One quantity string (e.g. ``"61107 gal"``) in ``unit`` [SI], with the same checks and errors as a
    params field; for data files read outside the parameter tree (the cost library)."""
    spec = Spec(path, "quantity", unit, 0.0 if positive else None, None, positive)
    return _quantity(spec, value, where, path, _Context([where], {}, twd_per_usd))


def _dim_words(q) -> str:
    dim = str(q.dimensionality)
    return "dimensionless" if dim == "dimensionless" else f"of dimension {dim}"


def check_domain(spec: Spec, value, where: str, path: str, shown=None) -> None:
    """Raise ParamError if any element of ``value`` lies outside the spec's domain."""
    v = np.asarray(value, dtype=float)
    bad = ~np.isfinite(v)
    if spec.lo is not None:
        bad |= (v <= spec.lo) if spec.lo_open else (v < spec.lo)
    if spec.hi is not None:
        bad |= v > spec.hi
    if bad.any():
        what = (
            "a fraction between 0 and 1"
            if (spec.lo, spec.hi, spec.unit) == (0.0, 1.0, "")
            else f"a value {spec.domain_text()}"
        )
        if spec.kind == "quantity" and spec.lo == 0.0 and spec.unit and spec.hi is None:
            what += " (a flow or size cannot be negative)" if not spec.lo_open else ""
        given = (
            shown
            if shown is not None and v.ndim == 0
            else v[bad].ravel()[:3].tolist()
            if v.ndim
            else float(v)
        )
        raise ParamError(where, path, what, given)


def _table(spec: Spec, value, ctx: _Context, path: str) -> dict[str, float]:
    where = ctx.of(path)
    if not isinstance(value, Mapping):
        raise ParamError(where, path, _expected(spec), value)
    entries = {k: v for k, v in value.items() if k not in COMMENT_KEYS}
    for k in entries:
        if k not in spec.keys:
            near = difflib.get_close_matches(k, spec.keys, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise ParamError(
                ctx.of(f"{path}.{k}"),
                f"{path}.{k}",
                f"one of {', '.join(spec.keys)}{hint}",
                given_text="an unknown key",
            )
    out = {}
    sub = dataclasses.replace(spec, kind="quantity", unit="")
    for k in spec.keys:
        if k not in entries:
            raise ParamError(
                where, f"{path}.{k}", _expected(sub), given_text="nothing (missing key)"
            )
        out[k] = _quantity(sub, entries[k], ctx.of(f"{path}.{k}"), f"{path}.{k}", ctx)
    return out


def _fractions(spec: Spec, value, ctx: _Context, path: str) -> tuple[float, ...]:
    where = ctx.of(path)
    if not isinstance(value, list) or not value:
        raise ParamError(where, path, _expected(spec), value)
    sub = dataclasses.replace(spec, kind="quantity")
    out = tuple(_quantity(sub, v, where, f"{path}[{i}]", ctx) for i, v in enumerate(value))
    if spec.total_one and abs(sum(out) - 1.0) > COMPOSITION_TOLERANCE:
        raise ParamError(
            where,
            path,
            "fractions summing to 1",
            given_text=f"{list(value)}, summing to {sum(out):.6g}",
        )
    return out


def _composition(spec: Spec, value, ctx: _Context, path: str) -> dict[str, float]:
    from plant.species import default_registry  # the registry is data below params

    where = ctx.of(path)
    if not isinstance(value, Mapping):
        raise ParamError(where, path, _expected(spec), value)
    reg = default_registry()
    out = {}
    frac = dataclasses.replace(spec, kind="quantity", unit="", lo=0.0, hi=1.0)
    for k, v in value.items():
        if k in COMMENT_KEYS:
            continue
        if not reg.has(k) or reg.phases[reg.index(k)] != spec.phase:
            options = [n for n, p in zip(reg.names, reg.phases) if p == spec.phase]
            near = difflib.get_close_matches(k, options, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise ParamError(
                ctx.of(f"{path}.{k}"),
                f"{path}.{k}",
                f"a {spec.phase} species of {reg.source}{hint}",
                given_text=f"unknown species {k!r}",
            )
        out[k] = _quantity(frac, v, ctx.of(f"{path}.{k}"), f"{path}.{k}", ctx)
    total = sum(out.values())
    if abs(total - 1.0) > COMPOSITION_TOLERANCE:
        raise ParamError(
            where,
            path,
            f"{spec.basis} fractions summing to 1",
            given_text=f"fractions summing to {total:.6g}",
        )
    return out


def _curve(spec: Spec, value, ctx: _Context, path: str) -> tuple[np.ndarray, np.ndarray]:
    where = ctx.of(path)
    xk, yk = spec.x
    if not isinstance(value, Mapping) or set(value) - COMMENT_KEYS != {xk, yk}:
        raise ParamError(where, path, _expected(spec), value)
    try:
        x = np.array(value[xk], dtype=float)
        y = np.array(value[yk], dtype=float)
    except (TypeError, ValueError):
        raise ParamError(where, path, "lists of numbers", value) from None
    if x.ndim != 1 or x.shape != y.shape or len(x) < 2:
        raise ParamError(where, path, f"two lists {xk!r} and {yk!r} of equal length >= 2", value)
    if np.any(np.diff(x) <= 0):
        raise ParamError(where, f"{path}.{xk}", "strictly increasing values", x.tolist())
    check_domain(dataclasses.replace(spec, kind="quantity"), y, where, f"{path}.{yk}")
    x.setflags(write=False)
    y.setflags(write=False)
    return x, y


@dataclass(frozen=True)
class Reader:
    """What a :func:`custom` reader gets: where each key came from, and the scalar parameters of the whole
    tree with their units and domains."""

    ctx: _Context

    def where(self, path: str) -> str:
        """The file the key ``path`` came from."""
        return self.ctx.of(path)

    def spec_at(self, key: str, path: str) -> Spec:
        """The spec of the real-valued scalar parameter ``key`` (dotted) of the tree; ``path`` names the
        key that refers to it in errors."""
        return scalar_spec(self.ctx.root, key, self.where(path), path)

    def quantity(self, spec: Spec, value, path: str) -> float:
        """``value`` (a file value) read as ``spec`` says [SI], with the loader's checks and errors."""
        return _quantity(spec, value, self.where(path), path, self.ctx)


def scalar_spec(
    cls: type, key: str, where: str = "parameters", path: str | None = None, integer: bool = False
) -> Spec:
    """The spec of the real-valued (or, with ``integer``, also whole-number) scalar parameter ``key``
    (dotted TOML path, entries of tables and mappings included) of parameter class ``cls``; ParamError
    naming ``where`` and ``path`` (default the key) if there is none."""
    path = path or key
    parts = key.split(".")
    node: type | None = cls
    i = 0
    while i < len(parts):
        by_key = {s.key: s for _, s in specs(node)} if node is not None else {}
        head = parts[i]
        if head not in by_key:
            near = difflib.get_close_matches(head, sorted(by_key), n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise ParamError(
                where,
                path,
                f"the dotted key of a parameter{hint}",
                given_text=f"{key!r}, whose part {head!r} is not a known key",
            )
        spec, rest = by_key[head], parts[i + 1 :]
        if spec.kind == "section" and rest:
            node, i = spec.cls, i + 1
        elif spec.kind == "mapping" and len(rest) >= 2:
            node, i = spec.cls, i + 2
        elif spec.kind == "table" and len(rest) == 1 and rest[0] in spec.keys:
            return dataclasses.replace(spec, key=key, kind="quantity", unit="")
        elif spec.kind == "quantities" and len(rest) == 1:
            return dataclasses.replace(spec, key=key, kind="quantity")
        elif not rest and (spec.kind == "quantity" or (integer and spec.kind == "integer")):
            return spec
        else:
            raise ParamError(
                where,
                path,
                "the dotted key of a real-valued parameter (a number, with or without unit)",
                given_text=f"{key!r}, which is {_kind_words(spec, rest)}",
            )
    raise AssertionError(key)


def _kind_words(spec: Spec, rest: list[str]) -> str:
    if spec.kind == "table" and rest:
        return f"not one of the entries {', '.join(spec.keys)}"
    return {
        "section": "a section",
        "mapping": "a table of named entries",
        "integer": "a whole number",
        "bool": "a switch",
        "choice": "a choice",
        "text": "text",
    }.get(spec.kind, f"a {spec.kind}")


def value_at(params, key: str, where: str = "parameters", path: str | None = None):
    """The value of parameter ``key`` (dotted TOML path) of a built parameter tree; ParamError naming
    ``where`` and ``path`` if the tree has no such value (e.g. an entry a mapping does not hold)."""
    node = params
    for part in key.split("."):
        if is_dataclass(node):
            by_key = {s.key: f.name for f, s in specs(type(node))}
            if part in by_key:
                node = getattr(node, by_key[part])
                continue
        elif isinstance(node, Mapping) and part in node:
            node = node[part]
            continue
        held = ", ".join(node) if isinstance(node, Mapping) else ""
        raise ParamError(
            where,
            path or key,
            f"a parameter the files hold{f' (here one of {held})' if held else ''}",
            given_text=f"{key!r}, whose part {part!r} is not there",
        )
    return node


def load_tree(
    cls: type,
    paths: Sequence[str | Path],
    overrides: Sequence[str] = (),
    raw_overlays: Sequence[tuple[str, Mapping]] = (),
    rate_key: str | None = None,
):
    """Load, merge and build a parameter tree of dataclass ``cls``.

    Parameters
    ----------
    cls : root parameter dataclass
    paths : TOML files; the first is the base, the others overlay it
    overrides : ``section.key=VALUE`` strings (CLI ``--set``)
    raw_overlays : (name, dict) overlays, e.g. from an uploaded file
    rate_key : dotted key of the exchange rate [TWD/USD], read first so TWD values convert
    """
    raw, ctx = merge_sources(paths, overrides, raw_overlays, atomic_paths(cls))
    if rate_key:
        node: Any = raw
        for part in rate_key.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        if node is not None:
            rate = Spec(rate_key, "quantity", "TWD/USD", 0.0, None, True)
            ctx.twd_per_usd = _quantity(rate, node, ctx.of(rate_key), rate_key, ctx)
    return build(cls, raw, ctx), raw


# ---------------------------------------------------------------------------------- batch


def with_values(params, values: Mapping[str, Any]):
    """Copy of ``params`` with parameters replaced, e.g. by arrays of N samples.

    Keys are dotted TOML paths (``"leaching.acid_excess"``,
    ``"feed.sources.swarf.magnet_flow"``, ``"leaching.dissolution_oxide.Nd"``);
    values are in SI (the units the model uses inside), scalars or arrays.
    Each value is checked against the parameter's domain.
    """
    out = params
    for key, value in values.items():
        out = _replace_path(
            out,
            key.split("."),
            np.asarray(value, dtype=float) if not isinstance(value, (str, bool)) else value,
            key,
        )
    return out


def _replace_path(node, parts: list[str], value, full: str):
    if not is_dataclass(node):
        raise ParamError(
            "with_values", full, "a path to a parameter", given_text="a path that goes past a value"
        )
    by_key = {s.key: (f, s) for f, s in specs(type(node))}
    head = parts[0]
    if head not in by_key:
        near = difflib.get_close_matches(head, sorted(by_key), n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise ParamError(
            "with_values", full, f"a known parameter{hint}", given_text=f"unknown key {head!r}"
        )
    f, spec = by_key[head]
    current = getattr(node, f.name)
    rest = parts[1:]
    if spec.kind == "section":
        if not rest:
            raise ParamError(
                "with_values", full, "a path to a single parameter", given_text="a section"
            )
        new = _replace_path(current, rest, value, full)
    elif spec.kind == "mapping":
        if len(rest) < 2 or rest[0] not in current:
            raise ParamError(
                "with_values",
                full,
                f"an entry among {', '.join(current)}",
                given_text=".".join(rest[:1]),
            )
        new = dict(current)
        new[rest[0]] = _replace_path(current[rest[0]], rest[1:], value, full)
    elif spec.kind == "table":
        if len(rest) != 1 or rest[0] not in spec.keys:
            raise ParamError(
                "with_values",
                full,
                f"one of {', '.join(spec.keys)}",
                given_text=".".join(rest) or "nothing",
            )
        check_domain(dataclasses.replace(spec, kind="quantity"), value, "with_values", full)
        new = dict(current)
        new[rest[0]] = value
    elif spec.kind == "quantities":
        if len(rest) != 1 or rest[0] not in current:
            raise ParamError(
                "with_values",
                full,
                f"one of {', '.join(current)}",
                given_text=".".join(rest) or "nothing",
            )
        check_domain(dataclasses.replace(spec, kind="quantity"), value, "with_values", full)
        new = dict(current)
        new[rest[0]] = value
    elif spec.kind == "quantity":
        if rest:
            raise ParamError(
                "with_values", full, "a path ending at this parameter", given_text=".".join(rest)
            )
        check_domain(spec, value, "with_values", full)
        new = value
    elif spec.kind in ("bool", "choice", "text", "integer"):
        v = value.item() if isinstance(value, np.ndarray) and value.ndim == 0 else value
        if spec.kind == "integer" and isinstance(v, float) and v.is_integer():
            v = int(v)  # a whole number given as a number (with_values makes floats)
        new = _convert(spec, v, _Context(["with_values"], {}), full)
    else:
        raise ParamError("with_values", full, "a scalar parameter", given_text=f"a {spec.kind}")
    return dataclasses.replace(node, **{f.name: new})
