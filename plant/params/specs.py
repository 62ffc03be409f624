"""What a parameter field accepts: the :class:`Spec` of each field of a parameter dataclass, the
field factories that declare it (:func:`quantity`, :func:`fraction`, :func:`table`, ...), its
domain, and the look-up of a parameter's spec or value by its dotted TOML key.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass

import numpy as np

from plant.errors import ParamError
from plant.params.elements import DEFAULT, ElementTable, check_element
from plant.uom import describe_dimension

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
        if self.hi is not None and self.hi in (sense_limit(self.unit), MAX_INTEGER):
            if self.lo is not None:  # a bound of sense only: said when it is broken
                return f"{'>' if self.lo_open else '>='} {self.lo:g}{unit}"
        if self.lo is not None and self.hi is not None:
            if self.lo_open:
                return f"> {self.lo:g}{unit} and <= {self.hi:g}{unit}"
            return f"between {self.lo:g} and {self.hi:g}{unit}"
        if self.lo is not None:
            return f"{'>' if self.lo_open else '>='} {self.lo:g}{unit}"
        if self.hi is not None:
            return f"<= {self.hi:g}{unit}"
        return "any value"


SENSE_LIMITS: dict[str, float] = {
    "K": 5000.0,  # above any process temperature (sintering ~1,350 K)
    "s": 100 * 365.25 * 86400.0,  # a century
    "USD": 1e12,
    "USD/kg": 1e6,
    "USD/s": 1e6,
    "kg/s": 1e4,  # 315 Mt/yr, about Taiwan's whole steel output
    "1/s": 1e4,
    "": 1e6,
}
"""Upper bound [SI] of a parameter of each unit that declares none of its own: beyond sense for this
plant, and far inside what arithmetic and JSON can carry."""
SENSE_FLOOR = 1e-30
"""Lower bound [SI] of a parameter that must be above zero: smaller values (down to the denormal
5e-324) cannot be meant, and dividing by them overflows."""
MAX_MAGNITUDE = 1e15
"""Upper bound [SI] of a parameter of any other unit that declares none of its own."""
MAX_INTEGER = 10_000
"""Upper bound of a whole-number parameter that declares none of its own."""


def sense_limit(unit: str) -> float:
    """The upper bound [SI] of a parameter in ``unit`` that declares none (:data:`SENSE_LIMITS`)."""
    return SENSE_LIMITS.get(unit, MAX_MAGNITUDE)


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
    hi = sense_limit(unit) if hi is None else hi
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
    """A whole number in [lo, hi] (``hi`` by default :data:`MAX_INTEGER`)."""
    return _field(Spec(key, "integer", "", lo, MAX_INTEGER if hi is None else hi, doc=doc))


def flag(key: str, doc: str = "", *, optional: bool = False):
    """A boolean (``optional``: may be left out, then None)."""
    return _field(Spec(key, "bool", optional=optional, doc=doc))


def choice(key: str, choices: Sequence[str], doc: str = ""):
    """One string out of ``choices``."""
    return _field(Spec(key, "choice", choices=tuple(choices), doc=doc))


def text(key: str, doc: str = "", optional: bool = False):
    """Free text (None where ``optional`` and left out)."""
    return _field(Spec(key, "text", optional=optional, doc=doc))


def table(
    key: str,
    keys: Sequence[str],
    *,
    unit: str = "",
    lo: float = 0.0,
    hi: float | None = 1.0,
    doc: str = "",
):
    """A table with exactly ``keys``, each a quantity in ``unit`` (default a dimensionless number)
    in [lo, hi] (default fractions)."""
    hi = sense_limit(unit) if hi is None else hi
    return _field(Spec(key, "table", unit, lo, hi, keys=tuple(keys), doc=doc))


def element_table(key: str, *, lo: float = 0.0, hi: float | None = 1.0, doc: str = ""):
    """A table keyed by element symbols of the species file, each a dimensionless number in [lo, hi]
    (default fractions), with an optional ``default`` entry for the elements it does not list
    (:class:`plant.params.elements.ElementTable`)."""
    return _field(Spec(key, "elements", "", lo, sense_limit("") if hi is None else hi, doc=doc))


def quantities(
    key: str,
    unit: str,
    *,
    hi: float | None = None,
    atomic: bool = False,
    optional: bool = False,
    doc: str = "",
):
    """A table of named quantities in ``unit``, each >= 0 (and <= ``hi``), with names of the file's
    choosing (a price per product grade, a demand per year); ``atomic``: an overlay replaces the
    whole table (a new path) instead of merging entry by entry (a new price); ``optional``: the key
    may be left out (the field is then None)."""
    hi = sense_limit(unit) if hi is None else hi
    return _field(Spec(key, "quantities", unit, 0.0, hi, atomic=atomic, optional=optional, doc=doc))


def fractions(key: str, *, total_one: bool = False, doc: str = ""):
    """A non-empty list of fractions in [0, 1] (e.g. a spend schedule); ``total_one``: they
    sum to 1."""
    return _field(Spec(key, "fractions", "", 0.0, 1.0, total_one=total_one, doc=doc))


def composition(
    key: str, phase: str = "solid", doc: str = "", *, basis: str = "mass", optional: bool = False
):
    """Mass (or, with ``basis="mole"``, mole) fractions of species of ``phase`` that sum to 1
    (``optional``: may be left out, then None)."""
    return _field(Spec(key, "composition", phase=phase, basis=basis, optional=optional, doc=doc))


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
    """An optional table of named entries read by ``reader(value, Reader, path)``: data whose checks
    need the whole parameter tree, such as distributions that name other parameters and take their
    units (None when absent). An overlay replaces an entry whole."""
    return _field(Spec(key, "custom", cls=reader, optional=True, doc=doc))


def where_field():
    """The key path of a section, filled in by the loader (for error messages)."""
    return field(default="", compare=False, metadata={"internal": True})


def specs(cls: type) -> list[tuple[dataclasses.Field, Spec]]:
    """The (field, spec) pairs of a parameter dataclass."""
    return [(f, f.metadata["spec"]) for f in fields(cls) if "spec" in f.metadata]


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
        elif spec.kind == "custom":
            out.add(path + ".*")
    return frozenset(out)


def expected_text(spec: Spec) -> str:
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
        "elements": f"a table of elements (and 'default'), each {spec.domain_text()}",
        "quantities": f"a table of named values, each {describe_dimension(spec.unit)} "
        f"{spec.domain_text()}",
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


def dimension_words(q) -> str:
    dim = str(q.dimensionality)
    return "dimensionless" if dim == "dimensionless" else f"of dimension {dim}"


def check_domain(spec: Spec, value, where: str, path: str, shown=None) -> None:
    """Raise ParamError if any element of ``value`` lies outside the spec's domain."""
    v = np.asarray(value, dtype=float)
    bad = low = ~np.isfinite(v)
    if spec.lo is not None:
        low = low | ((v <= spec.lo) if spec.lo_open else (v < spec.lo))
        if spec.lo_open and spec.lo == 0.0:
            low = low | (v < SENSE_FLOOR)
    bad = low | (v > spec.hi if spec.hi is not None else False)
    if bad.any():
        default_hi = spec.hi in (sense_limit(spec.unit), MAX_INTEGER)
        if (spec.lo, spec.hi, spec.unit) == (0.0, 1.0, ""):
            what = "a fraction between 0 and 1"
        elif low.any() and default_hi and spec.lo is not None:
            unit = f" {spec.unit}" if spec.unit else ""
            what = f"a value {'>' if spec.lo_open else '>='} {spec.lo:g}{unit}"
            if spec.lo_open and spec.lo == 0.0:
                what += f" (at least {SENSE_FLOOR:g}{unit}: a smaller one cannot be meant)"
            if spec.kind == "quantity" and spec.lo == 0.0 and spec.unit and not spec.lo_open:
                what += " (a flow or size cannot be negative)"
        elif default_hi:
            unit = f" {spec.unit}" if spec.unit else ""
            what = f"a value of at most {spec.hi:g}{unit} (beyond sense for this plant)"
        else:
            what = f"a value {spec.domain_text()}"
        given = (
            shown
            if shown is not None and v.ndim == 0
            else v[bad].ravel()[:3].tolist()
            if v.ndim
            else float(v)
        )
        raise ParamError(where, path, what, given)


def scalar_spec(
    cls: type, key: str, where: str = "parameters", path: str | None = None, integer: bool = False
) -> Spec:
    """The spec of the real-valued (or, with ``integer``, also whole-number) scalar parameter
    ``key`` (dotted TOML path, entries of tables and mappings included) of parameter class ``cls``;
    ParamError naming ``where`` and ``path`` (default the key) if there is none."""
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
            return dataclasses.replace(spec, key=key, kind="quantity")
        elif spec.kind == "quantities" and len(rest) == 1:
            return dataclasses.replace(spec, key=key, kind="quantity")
        elif spec.kind == "elements" and len(rest) == 1:
            check_element(rest[0], where, path)
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
    """The value of parameter ``key`` (dotted TOML path) of a built parameter tree; ParamError
    naming ``where`` and ``path`` if the tree has no such value (e.g. an entry a mapping does not
    hold)."""
    node = params
    for part in key.split("."):
        if is_dataclass(node):
            by_key = {s.key: f.name for f, s in specs(type(node))}
            if part in by_key:
                node = getattr(node, by_key[part])
                continue
        elif isinstance(node, ElementTable) and part == DEFAULT and node.default is not None:
            node = node.default
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
