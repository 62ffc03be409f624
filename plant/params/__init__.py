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

from plant.params.batch import with_values
from plant.params.loader import (
    Reader,
    build,
    load_tree,
    merge_sources,
    parse_override,
    parse_quantity,
    parse_toml,
    read_toml,
    to_toml,
)
from plant.params.specs import (
    ATOMIC_KINDS,
    COMMENT_KEYS,
    COMPOSITION_TOLERANCE,
    Spec,
    atomic_paths,
    check_domain,
    choice,
    composition,
    curve,
    custom,
    element_table,
    flag,
    fraction,
    fractions,
    integer,
    mapping,
    number,
    quantities,
    quantity,
    scalar_spec,
    section,
    specs,
    table,
    text,
    value_at,
    where_field,
)

__all__ = [
    "ATOMIC_KINDS",
    "COMMENT_KEYS",
    "COMPOSITION_TOLERANCE",
    "Reader",
    "Spec",
    "atomic_paths",
    "build",
    "check_domain",
    "choice",
    "composition",
    "curve",
    "custom",
    "element_table",
    "flag",
    "fraction",
    "fractions",
    "integer",
    "load_tree",
    "mapping",
    "merge_sources",
    "number",
    "parse_override",
    "parse_quantity",
    "parse_toml",
    "quantities",
    "quantity",
    "read_toml",
    "scalar_spec",
    "section",
    "specs",
    "table",
    "text",
    "to_toml",
    "value_at",
    "where_field",
    "with_values",
]
