"""Batch evaluation: any parameter of a built tree replaced by an array of N samples (SI values)."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping
from dataclasses import is_dataclass
from typing import Any

import numpy as np

from plant.errors import ParamError
from plant.params.elements import check_element
from plant.params.loader import Context, convert
from plant.params.specs import check_domain, specs, value_at


def with_values(params, values: Mapping[str, Any]):
    """Copy of ``params`` with parameters replaced, e.g. by arrays of N samples.

    Keys are dotted TOML paths (``"leaching.acid_excess"``,
    ``"feed.sources.swarf.magnet_flow"``, ``"leaching.dissolution_oxide.Nd"``);
    values are in SI (the units the model uses inside), scalars or arrays of numbers (a switch takes
    true or false, a choice its text). Each value goes through the loader's checks: its domain, then
    the rules across the fields of the section it is in (``check``). A new exchange rate converts
    again every value the files wrote in TWD, unless ``values`` sets it too.
    """
    out = params
    currency = getattr(params, "currency", None)
    for key, value in values.items():
        out = _replace_path(out, key.split("."), _as_value(value, key), key, "")
    if currency is not None and currency.rate_key in values:
        old = np.asarray(value_at(params, currency.rate_key), dtype=float)
        new = np.asarray(value_at(out, currency.rate_key), dtype=float)
        for path, power in currency.twd_powers.items():
            if path not in values:
                again = np.asarray(value_at(out, path), dtype=float) * (old / new) ** power
                out = _replace_path(out, path.split("."), again, path, "")
    return out


def _as_value(value, key: str):
    """A number, an array of numbers, true/false, text or None (an optional parameter left out), as
    given; anything else is refused."""
    if value is None or isinstance(value, (str, bool, np.bool_)):
        return value
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ParamError(
            "with_values", key, "a number or an array of numbers (SI)", value
        ) from None


def _replace_path(node, parts: list[str], value, full: str, prefix: str):
    """``node`` (a parameter dataclass at dotted ``prefix``) with the parameter ``parts`` below it
    set to ``value``, checked as the loader checks it; ``full`` is the whole key, for errors."""
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
    numeric = spec.kind in ("table", "elements", "quantities", "quantity")
    left_out = value is None and spec.optional and not rest
    if numeric and not isinstance(value, np.ndarray) and not left_out:
        raise ParamError("with_values", full, "a number or an array of numbers (SI)", value)
    if spec.kind == "section":
        if not rest:
            raise ParamError(
                "with_values", full, "a path to a single parameter", given_text="a section"
            )
        new = _replace_path(current, rest, value, full, f"{prefix}{head}.")
    elif spec.kind == "mapping":
        if len(rest) < 2 or rest[0] not in current:
            raise ParamError(
                "with_values",
                full,
                f"an entry among {', '.join(current)}",
                given_text=".".join(rest[:1]),
            )
        new = dict(current)
        new[rest[0]] = _replace_path(
            current[rest[0]], rest[1:], value, full, f"{prefix}{head}.{rest[0]}."
        )
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
    elif spec.kind == "elements":
        if len(rest) != 1:
            raise ParamError(
                "with_values", full, "an element of the table, or 'default'", given_text="nothing"
            )
        check_element(rest[0], "with_values", full)
        check_domain(dataclasses.replace(spec, kind="quantity"), value, "with_values", full)
        new = current.with_entry(rest[0], value)
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
        if value is None and spec.optional:
            new = None
        else:
            check_domain(spec, value, "with_values", full)
            new = value
    elif spec.kind in ("bool", "choice", "text", "integer"):
        v = value.item() if isinstance(value, np.ndarray) and value.ndim == 0 else value
        if spec.kind == "integer" and isinstance(v, float) and v.is_integer():
            v = int(v)  # a whole number given as a number (with_values makes floats)
        new = convert(spec, v, Context(["with_values"], {}), full)
    else:
        raise ParamError("with_values", full, "a scalar parameter", given_text=f"a {spec.kind}")
    out = dataclasses.replace(node, **{f.name: new})
    if prefix and hasattr(out, "check"):  # the section's rules across its fields, as the loader
        out.check(lambda key: "with_values", prefix)
    return out
