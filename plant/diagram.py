"""The process flow diagram of an evaluated flowsheet as Graphviz DOT text.

It is drawn from the flowsheet's own stream links (:func:`plant.dashboard.links`), so that it shows
what the model computed: a box per unit, an arrow per stream with its flow on it. Feeds enter from
the top and outlets leave downwards. Reagent and utility feeds (streams that carry no rare
earth into the plant) and off-gases are left out unless asked for, so that the main line reads.
"""

from __future__ import annotations

import pandas as pd

from plant import i18n

TRACE = 1e-9
"""A stream carries rare earths when their flow exceeds this share of the largest stream's [-]."""


def dot(links: pd.DataFrame, lang: str = i18n.DEFAULT, reagents: bool = False) -> str:
    """The diagram of ``links`` (from, to, stream, total, RE [kg/h]) in DOT. ``reagents``: also the
    feeds and outlets that carry no rare earth."""
    shown = links if reagents else links[carries(links) | internal(links)]
    lines = [
        "digraph flowsheet {",
        '  graph [rankdir=TB, nodesep=0.3, ranksep=0.3, fontname="sans-serif"];',
        '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="sans-serif", '
        "fontsize=11];",
        '  edge [fontname="sans-serif", fontsize=9, color="#555555"];',
    ]
    units = sorted((set(shown["from"]) | set(shown["to"])) - {"feed", "output"})
    lines += [f"  {_quote(u)} [label={_quote(unit_name(u, lang))}];" for u in units]
    for start, end, stream, product, total, re in zip(
        shown["from"], shown["to"], shown["stream"], shown["product"], shown["total"], shown["RE"]
    ):
        port = stream.partition(".")[2].replace("_", " ")
        label = i18n.tr(
            "{port}\n{total} kg/h, RE {re} kg/h",
            lang,
            port=port,
            total=_flow(total, lang),
            re=_flow(re, lang),
        )
        if start == "feed":
            start = f"in:{stream}"
            lines.append(f'  {_quote(start)} [label="", shape=point, width=0.05];')
        if end == "output":
            end = f"out:{stream}"
            lines.append(
                f"  {_quote(end)} [label={_quote(i18n.product_name(product, lang))}, shape=box, "
                'style="filled", fillcolor="#d8f0dc"];'
                if product
                else f'  {_quote(end)} [label="", shape=point, width=0.05];'
            )
        lines.append(f"  {_quote(start)} -> {_quote(end)} [label={_quote(label)}];")
    return "\n".join([*lines, "}"])


def unit_name(unit: str, lang: str = i18n.DEFAULT) -> str:
    """A unit's name for people: 'oxalate_filter_NdPr' -> 'oxalate filter NdPr' (a trailing
    product's elements kept as they are)."""
    kind, product = unit_kind(unit)
    return f"{i18n.label(kind, lang)} {product}".strip()


def unit_kind(unit: str) -> tuple[str, str]:
    """(what the unit is, the product's elements it serves or ''): 'oxalate_filter_NdPr' ->
    ('oxalate_filter', 'NdPr')."""
    head, _, tail = unit.rpartition("_")
    return (head, tail) if head and tail[:1].isupper() else (unit, "")


def carries(links: pd.DataFrame) -> pd.Series:
    """Streams that carry rare earths."""
    return links["RE"] > TRACE * max(float(links["RE"].max()), 1e-300)


def internal(links: pd.DataFrame) -> pd.Series:
    """Streams from one unit to another."""
    return (links["from"] != "feed") & (links["to"] != "output")


def _flow(x: float, lang: str) -> str:
    """A flow [kg/h] to three significant figures, grouped as ``lang`` writes numbers."""
    if x == 0:
        return "0"
    digits = max(0, 2 - int(f"{abs(x):e}".split("e")[1]))
    return i18n.number(round(x, digits), digits, lang)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
