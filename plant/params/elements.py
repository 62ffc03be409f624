"""Tables keyed by chemical element, with a default for the elements they do not list.

A dissolution table, say, names the elements its figures were measured for; a feed may carry others
(K, Ca, Th, U in a concentrate). The table's ``default`` entry states what holds for those; without
one, a unit that meets an element the table lacks refuses it, naming the element, the table and its
file, instead of guessing.
"""

from __future__ import annotations

import difflib

import numpy as np

from plant.errors import ParamError

DEFAULT = "default"
"""The entry of an element table that applies to elements it does not list."""


def known_elements() -> tuple[str, ...]:
    """Symbols of the elements of the species file."""
    from plant.species import default_registry  # the registry is data below params

    return default_registry().elements


def check_element(name: str, where: str, path: str) -> None:
    """Raise ParamError unless ``name`` is an element of the species file (or ``default``)."""
    known = known_elements()
    if name != DEFAULT and name not in known:
        near = difflib.get_close_matches(name, [*known, DEFAULT], n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise ParamError(
            where,
            path,
            f"an element of the species file ({', '.join(known)}) or '{DEFAULT}'{hint}",
            given_text=f"unknown element {name!r}",
        )


class ElementTable(dict):
    """element -> value [-], with ``default`` for the elements not listed (None: no default).

    ``origin`` and ``path`` name the file and key of the table, for the error of :meth:`of`.
    """

    def __init__(self, values=(), default=None, origin: str = "", path: str = ""):
        super().__init__(values)
        self.default = default
        self.origin = origin
        self.path = path

    def of(self, element: str):
        """The value for ``element``: its entry, else the default; ParamError if neither is
        given."""
        if element in self:
            return self[element]
        if self.default is not None:
            return self.default
        raise ParamError(
            self.origin,
            f"{self.path}.{element}",
            f"a value for {element}, or a '{DEFAULT}' entry in [{self.path}] for elements it does "
            "not list",
            given_text=f"nothing, and a feed carries {element}",
        )

    def with_entry(self, name: str, value) -> ElementTable:
        """A copy with ``name`` (an element, or ``default``) set to ``value``."""
        if name == DEFAULT:
            return ElementTable(self, value, self.origin, self.path)
        out = ElementTable(self, self.default, self.origin, self.path)
        out[name] = value
        return out

    def __eq__(self, other):
        if not isinstance(other, dict) or set(self) != set(other):
            return False
        same = lambda a, b: a is b or (a is not None and b is not None and np.array_equal(a, b))
        return all(same(v, other[k]) for k, v in self.items()) and same(
            self.default, getattr(other, "default", None)
        )

    __hash__ = None

    def __reduce__(self):
        return (ElementTable, (dict(self), self.default, self.origin, self.path))

    def __repr__(self):
        return f"ElementTable({dict.__repr__(self)}, default={self.default!r})"
