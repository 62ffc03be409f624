"""The scalar parameters of a parameter document as an editor shows them.

Each :class:`Tunable` is one number, whole number, switch or choice of the
merged TOML document, grouped by its top-level section (a unit of the
plant, the economics, the capacity target), in the unit its file writes it
in (``"4 h"`` stays in hours, ``"90 %"`` in per cent), with its domain
converted to that unit. :meth:`Tunable.override` writes an edited value back
as a ``section.key=VALUE`` override, which the loader validates like any
file value. Compositions, curves, lists and dated paths (demand) are edited
in a file, not here.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from plant import params as P
from plant.uom import Q_

_NUMBER_UNIT = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")
LEAF_KINDS = frozenset({"quantity", "integer", "bool", "choice"})


@dataclass(frozen=True)
class Tunable:
    """One editable parameter.

    key : dotted TOML path; section : its top-level section; label : the path within the section
    kind : 'quantity', 'integer', 'bool' or 'choice'; value : current value in ``unit``
    unit : the unit the file writes it in ('' for a bare number);
    lo, hi : domain in ``unit`` (None: open); lo_open : lo itself excluded; choices : for a choice;
    doc : what it is
    """

    key: str
    section: str
    label: str
    kind: str
    value: Any
    unit: str = ""
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    choices: tuple = ()
    doc: str = ""

    def override(self, value) -> str:
        """``key=VALUE`` (TOML) for ``value`` in this parameter's unit."""
        if self.kind == "bool":
            return f"{self.key}={'true' if value else 'false'}"
        if self.kind == "choice":
            return f"{self.key}='{value}'"
        if self.kind == "integer":
            return f"{self.key}={int(value)}"
        number = repr(float(value))
        return f"{self.key}='{number} {self.unit}'" if self.unit else f"{self.key}={number}"

    @property
    def help(self) -> str:
        """The key, what it is and its domain, in words (the loader's wording, in this unit)."""
        domain = ""
        if self.kind in ("quantity", "integer"):
            domain = P.Spec(
                self.key, self.kind, self.unit, self.lo, self.hi, self.lo_open
            ).domain_text()
        parts = [f"`{self.key}`", self.doc, f"valid: {domain}" if domain else ""]
        return " — ".join(p for p in parts if p)


def tunables(cls: type, document: Mapping) -> list[Tunable]:
    """The editable scalars of the merged TOML ``document`` of parameter class ``cls``
    (model.Params), in file order of the classes' fields."""
    out: list[Tunable] = []
    _walk(cls, document, "", "", out)
    return out


def sections(items: list[Tunable]) -> dict[str, list[Tunable]]:
    """The tunables grouped by top-level section, in order."""
    groups: dict[str, list[Tunable]] = {}
    for t in items:
        groups.setdefault(t.section, []).append(t)
    return groups


def _walk(cls: type, raw: Mapping, prefix: str, section: str, out: list[Tunable]) -> None:
    for _, spec in P.specs(cls):
        if spec.key not in raw:
            continue
        value, path = raw[spec.key], prefix + spec.key
        top = section or spec.key
        if spec.kind == "section" and isinstance(value, Mapping):
            _walk(spec.cls, value, path + ".", top, out)
        elif spec.kind == "mapping" and isinstance(value, Mapping):
            for name, sub in value.items():
                if name not in P.COMMENT_KEYS and isinstance(sub, Mapping):
                    _walk(spec.cls, sub, f"{path}.{name}.", top, out)
        elif (
            spec.kind in ("table", "quantities", "elements")
            and not spec.atomic
            and isinstance(value, Mapping)
        ):
            entry = P.Spec(
                spec.key, "quantity", spec.unit, spec.lo, spec.hi, spec.lo_open, doc=spec.doc
            )
            for k, v in value.items():
                if k not in P.COMMENT_KEYS:
                    _leaf(entry, v, f"{path}.{k}", top, out)
        elif spec.kind in LEAF_KINDS:
            _leaf(spec, value, path, top, out)


def _leaf(spec: P.Spec, value, path: str, section: str, out: list[Tunable]) -> None:
    label = path[len(section) + 1 :] or path
    if spec.kind == "bool" and isinstance(value, bool):
        out.append(Tunable(path, section, label, "bool", value, doc=spec.doc))
    elif spec.kind == "choice" and value in spec.choices:
        out.append(
            Tunable(path, section, label, "choice", value, choices=spec.choices, doc=spec.doc)
        )
    elif spec.kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
        out.append(
            Tunable(path, section, label, "integer", value, "", spec.lo, spec.hi, doc=spec.doc)
        )
    elif spec.kind == "quantity":
        shown = _as_written(value)
        if shown is not None:
            number, unit = shown
            lo, hi = _bound(spec.lo, spec.unit, unit), _bound(spec.hi, spec.unit, unit)
            out.append(
                Tunable(
                    path,
                    section,
                    label,
                    "quantity",
                    number,
                    unit,
                    lo,
                    hi,
                    spec.lo_open,
                    doc=spec.doc,
                )
            )


def _as_written(value) -> tuple[float, str] | None:
    """(number, unit text) of a file value: 0.32 -> (0.32, ''), '4 h' -> (4.0, 'h'); None if not a
    number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return (float(value), "") if math.isfinite(value) else None
    if isinstance(value, str):
        m = _NUMBER_UNIT.match(value)
        if m:
            return float(m.group(1)), m.group(2)
    return None


@functools.lru_cache(maxsize=4096)
def _bound(x: float | None, si_unit: str, unit: str) -> float | None:
    """A domain bound [SI] in the file's ``unit``; None when it does not convert (a TWD price
    against a USD domain: the loader still checks it). Cached: the app lists every parameter on
    each change, and the bounds are the specs', not the values'."""
    if x is None:
        return None
    try:
        return float(Q_(x, si_unit or "dimensionless").to(unit or "dimensionless").magnitude)
    except Exception:  # pint raises several types for units that do not convert
        return 0.0 if x == 0 else None
