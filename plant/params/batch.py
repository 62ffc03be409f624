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
from plant.params.specs import check_domain, specs


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
        check_domain(spec, value, "with_values", full)
        new = value
    elif spec.kind in ("bool", "choice", "text", "integer"):
        v = value.item() if isinstance(value, np.ndarray) and value.ndim == 0 else value
        if spec.kind == "integer" and isinstance(v, float) and v.is_integer():
            v = int(v)  # a whole number given as a number (with_values makes floats)
        new = convert(spec, v, Context(["with_values"], {}), full)
    else:
        raise ParamError("with_values", full, "a scalar parameter", given_text=f"a {spec.kind}")
    return dataclasses.replace(node, **{f.name: new})
