"""Loading: TOML files with quantities as strings, merged, validated and converted once to SI.

:func:`load_tree` reads a base file, overlays further files, applies ``section.key=VALUE``
overrides, and builds the tree of parameter dataclasses, raising :class:`~plant.errors.ParamError`
that names the file, the key path, what was expected and what was given (see :mod:`plant.params`).
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from plant.errors import ParamError
from plant.params.elements import DEFAULT, ElementTable, check_element
from plant.params.specs import (
    COMMENT_KEYS,
    COMPOSITION_TOLERANCE,
    Spec,
    atomic_paths,
    check_domain,
    dimension_words,
    expected_text,
    scalar_spec,
    specs,
)
from plant.uom import dimensionality, parse_text, to_usd, unit_of


@dataclass
class Context:
    """Where each raw value came from, and the exchange rate for TWD values; ``twd_powers``: the
    dotted keys of the values given in TWD and the power of TWD in their unit (1 for a price)."""

    files: list[str]
    origin: dict[str, str]
    twd_per_usd: float | None = None
    root: type | None = None
    twd_powers: dict[str, int] = field(default_factory=dict)
    rate_key: str = ""

    def of(self, path: str) -> str:
        while path:
            if path in self.origin:
                return self.origin[path]
            path = path.rpartition(".")[0]
        return " + ".join(self.files) if self.files else "<parameters>"


@dataclass(frozen=True)
class Currency:
    """What a tree remembers of its TWD values: the dotted key of the exchange rate [TWD/USD] and,
    for each value written in TWD, the power of TWD in its unit, so that a new rate converts them
    again (:func:`plant.params.with_values`)."""

    rate_key: str = ""
    twd_powers: Mapping[str, int] = field(default_factory=dict)


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


MAX_FILE_BYTES = 1_000_000
"""Largest params file or upload read [bytes]; base.toml is about 60 kB."""
MAX_OVERRIDE = 2_000
"""Longest ``section.key=VALUE`` override read [characters]."""
MAX_DEPTH = 8
"""Deepest nesting of tables and arrays in a params file (base.toml nests 4 deep)."""


def read_toml(path: str | Path) -> dict:
    """Parse one TOML file: a regular file of at most MAX_FILE_BYTES, with a clear error for a
    missing file, a directory or device, an oversized file or bad syntax."""
    p = Path(path)
    try:
        if not p.is_file():
            raise ParamError(
                str(p),
                "(file)",
                "an existing TOML parameter file",
                given_text="a directory"
                if p.is_dir()
                else "no such file"
                if not p.exists()
                else "something that is not a regular file",
            )
        with p.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ParamError(
            str(p), "(file)", "a readable TOML parameter file", given_text=exc.strerror or str(exc)
        ) from None
    return parse_toml(data, str(p))


def parse_toml(data: bytes | str, name: str) -> dict:
    """Parse TOML text (a file's bytes, an upload) named ``name`` in errors: text over
    MAX_FILE_BYTES, not UTF-8, with bad syntax or nested deeper than MAX_DEPTH is a ParamError."""
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > MAX_FILE_BYTES:
        raise ParamError(
            name,
            "(size)",
            f"a parameter file of at most {MAX_FILE_BYTES:,} bytes",
            given_text=f"{size:,} bytes or more",
        )
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        raw = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise ParamError(
            name,
            "(encoding)",
            "a UTF-8 text file",
            given_text=f"bytes that are not UTF-8 ({exc.reason})",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ParamError(name, "(syntax)", "valid TOML", given_text=str(exc)) from None
    except RecursionError:
        raise ParamError(
            name, "(nesting)", f"tables nested at most {MAX_DEPTH} deep", given_text="far deeper"
        ) from None
    deep = _deeper_than(raw, MAX_DEPTH)
    if deep:
        raise ParamError(
            name,
            deep,
            f"tables and arrays nested at most {MAX_DEPTH} deep",
            given_text="deeper nesting",
        )
    return raw


def _deeper_than(node, depth: int, path: str = "") -> str:
    """The dotted key where ``node`` nests deeper than ``depth`` levels, or ''."""
    if isinstance(node, (dict, list)):
        if depth <= 0:
            return path or "(top level)"
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for k, v in items:
            found = _deeper_than(v, depth - 1, f"{path}.{k}" if path else str(k))
            if found:
                return found
    return ""


def to_toml(document: Mapping) -> str:
    """A merged parameter document (as :func:`merge_sources` makes it) as TOML text that loads back
    to it."""
    import tomli_w

    return tomli_w.dumps(document)


def parse_override(text_: str, source: str = "--set") -> tuple[str, Any]:
    """Parse ``section.key=VALUE``; VALUE is read as TOML (number, bool, string, table) or else as
    text."""
    if len(text_) > MAX_OVERRIDE:
        raise ParamError(
            source, text_[:40] + "...", f"at most {MAX_OVERRIDE} characters", len(text_)
        )
    key, sep, value = text_.partition("=")
    key, value = key.strip(), value.strip()
    if not sep or not key or any(not part.strip() for part in key.split(".")):
        raise ParamError(
            source,
            text_,
            "section.key=VALUE, e.g. leaching.temperature='90 degC'",
            given_text=repr(text_),
        )
    try:
        parsed = tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        parsed = value
    except RecursionError:
        raise ParamError(
            source, key, "a value, a string or a small table", given_text="far deeper nesting"
        ) from None
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
    override_source: str = "--set",
) -> tuple[dict, Context]:
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
        key, value = parse_override(item, override_source)
        raw = _merge(raw, _nest(key, value), origin, override_source, atomic=atomic)
    return raw, Context(files, origin)


def _check_comments(table: Mapping, ctx: Context, path: str) -> None:
    """The comment keys of a table (source, note, ...) hold text (or a list of texts): a number
    there is a slip, not a comment."""
    for k in COMMENT_KEYS & set(table):
        v = table[k]
        if not (isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))):
            key = f"{path}.{k}" if path else k
            raise ParamError(
                ctx.of(key),
                key,
                "text for people (where the numbers come from), or a list of texts",
                v,
            )


def build(cls: type, raw: Mapping, ctx: Context, prefix: str = ""):
    """Build dataclass ``cls`` from raw TOML data, validating every key."""
    if ctx.root is None:
        ctx.root = cls
    if not isinstance(raw, Mapping):
        raise ParamError(
            ctx.of(prefix.rstrip(".")), prefix.rstrip(".") or "(top level)", "a table", raw
        )
    known = {s.key for _, s in specs(cls)}
    _check_comments({k: v for k, v in raw.items() if k not in known}, ctx, prefix.rstrip("."))
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
                expected_text(spec),
                given_text="nothing (missing key)",
            )
        values[f.name] = convert(spec, raw[spec.key], ctx, path)
    names = {f.name for f in fields(cls)}
    if "where" in names:
        values["where"] = prefix.rstrip(".")
    if "currency" in names:  # the root of a tree: which values were given in TWD, and the rate key
        values["currency"] = Currency(ctx.rate_key, dict(ctx.twd_powers))
    node = cls(**values)
    if hasattr(node, "check"):  # rules across fields: node.check(origin, prefix) raises ParamError
        node.check(lambda key: ctx.of(prefix + key), prefix)
    return node


def convert(spec: Spec, value, ctx: Context, path: str):
    where = ctx.of(path)
    kind = spec.kind
    if isinstance(value, Mapping) and kind not in ("section", "custom"):
        _check_comments(value, ctx, path)
    if kind == "quantity":
        return _quantity(spec, value, where, path, ctx)
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParamError(where, path, expected_text(spec), value)
        if abs(value) > 10**15:  # beyond any bound, and beyond what a float holds exactly
            raise ParamError(
                where, path, f"a whole number of at most {spec.hi:g}", given_text=f"{value:.3g}"
            )
        check_domain(spec, value, where, path, shown=value)
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ParamError(where, path, "true or false", value)
        return value
    if kind == "choice":
        if value not in spec.choices:
            raise ParamError(where, path, expected_text(spec), value)
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
    if kind == "elements":
        return _elements(spec, value, ctx, path)
    if kind == "quantities":
        entries = (
            {k: v for k, v in value.items() if k not in COMMENT_KEYS}
            if isinstance(value, Mapping)
            else {}
        )
        if not entries:
            raise ParamError(where, path, expected_text(spec), value)
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


def _quantity(spec: Spec, value, where: str, path: str, ctx: Context) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ParamError(where, path, expected_text(spec), value)
    if isinstance(value, (int, float)):
        if spec.unit:
            raise ParamError(where, path, expected_text(spec) + " (a number needs its unit)", value)
        magnitude = float(value)
    else:
        try:
            q = parse_text(value)
        except ValueError as exc:
            raise ParamError(
                where, path, expected_text(spec), given_text=f"{value!r}, but {exc}"
            ) from None
        twd = q.dimensionality.get("[currency_twd]", 0)
        if twd and "[currency_twd]" not in dimensionality(spec.unit):
            if ctx.twd_per_usd is None:
                raise ParamError(where, path, "a value in USD (no exchange rate is set)", value)
            q = to_usd(q, ctx.twd_per_usd)
            ctx.twd_powers[path] = twd
        if q.dimensionality != dimensionality(spec.unit):
            raise ParamError(
                where,
                path,
                expected_text(spec),
                given_text=f"{value!r}, which is {dimension_words(q)}",
            )
        magnitude = float(q.to(unit_of(spec.unit or "dimensionless")).magnitude)
    if not math.isfinite(magnitude):
        raise ParamError(where, path, expected_text(spec), value)
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
    """One quantity string (e.g. ``"61107 gal"``) in ``unit`` [SI], with the same checks and errors
    as a params field; for data files read outside the parameter tree (the cost library)."""
    spec = Spec(path, "quantity", unit, 0.0 if positive else None, None, positive)
    return _quantity(spec, value, where, path, Context([where], {}, twd_per_usd))


def _table(spec: Spec, value, ctx: Context, path: str) -> dict[str, float]:
    where = ctx.of(path)
    if not isinstance(value, Mapping):
        raise ParamError(where, path, expected_text(spec), value)
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
    sub = dataclasses.replace(spec, kind="quantity")
    for k in spec.keys:
        if k not in entries:
            raise ParamError(
                where, f"{path}.{k}", expected_text(sub), given_text="nothing (missing key)"
            )
        out[k] = _quantity(sub, entries[k], ctx.of(f"{path}.{k}"), f"{path}.{k}", ctx)
    return out


def _elements(spec: Spec, value, ctx: Context, path: str) -> ElementTable:
    if not isinstance(value, Mapping):
        raise ParamError(ctx.of(path), path, expected_text(spec), value)
    sub = dataclasses.replace(spec, kind="quantity")
    out, default = {}, None
    for k, v in value.items():
        if k in COMMENT_KEYS:
            continue
        where = ctx.of(f"{path}.{k}")
        check_element(k, where, f"{path}.{k}")
        x = _quantity(sub, v, where, f"{path}.{k}", ctx)
        if k == DEFAULT:
            default = x
        else:
            out[k] = x
    return ElementTable(out, default, ctx.of(path), path)


def _fractions(spec: Spec, value, ctx: Context, path: str) -> tuple[float, ...]:
    where = ctx.of(path)
    if not isinstance(value, list) or not value:
        raise ParamError(where, path, expected_text(spec), value)
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


def _composition(spec: Spec, value, ctx: Context, path: str) -> dict[str, float]:
    from plant.species import default_registry  # the registry is data below params

    where = ctx.of(path)
    if not isinstance(value, Mapping):
        raise ParamError(where, path, expected_text(spec), value)
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


def _curve(spec: Spec, value, ctx: Context, path: str) -> tuple[np.ndarray, np.ndarray]:
    where = ctx.of(path)
    xk, yk = spec.x
    if not isinstance(value, Mapping) or set(value) - COMMENT_KEYS != {xk, yk}:
        raise ParamError(where, path, expected_text(spec), value)
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
    """What a :func:`custom` reader gets: where each key came from, and the scalar parameters of the
    whole tree with their units and domains."""

    ctx: Context

    def where(self, path: str) -> str:
        """The file the key ``path`` came from."""
        return self.ctx.of(path)

    def spec_at(self, key: str, path: str) -> Spec:
        """The spec of the real-valued scalar parameter ``key`` (dotted) of the tree; ``path`` names
        the key that refers to it in errors."""
        return scalar_spec(self.ctx.root, key, self.where(path), path)

    def quantity(self, spec: Spec, value, path: str) -> float:
        """``value`` (a file value) read as ``spec`` says [SI], with the loader's checks and
        errors."""
        return _quantity(spec, value, self.where(path), path, self.ctx)


def load_tree(
    cls: type,
    paths: Sequence[str | Path],
    overrides: Sequence[str] = (),
    raw_overlays: Sequence[tuple[str, Mapping]] = (),
    rate_key: str | None = None,
    override_source: str = "--set",
):
    """Load, merge and build a parameter tree of dataclass ``cls``.

    Parameters
    ----------
    cls : root parameter dataclass
    paths : TOML files; the first is the base, the others overlay it
    overrides : ``section.key=VALUE`` strings (CLI ``--set``)
    raw_overlays : (name, dict) overlays, e.g. from an uploaded file
    rate_key : dotted key of the exchange rate [TWD/USD], read first so TWD values convert
    override_source : how errors name the overrides (the CLI's '--set'; the app's edits)
    """
    raw, ctx = merge_sources(
        paths, overrides, raw_overlays, atomic_paths(cls), override_source=override_source
    )
    ctx.rate_key = rate_key or ""
    if rate_key:
        node: Any = raw
        for part in rate_key.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        if node is not None:
            rate = Spec(rate_key, "quantity", "TWD/USD", 0.0, None, True)
            ctx.twd_per_usd = _quantity(rate, node, ctx.of(rate_key), rate_key, ctx)
    return build(cls, raw, ctx), raw
