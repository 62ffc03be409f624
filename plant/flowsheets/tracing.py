"""Where each purchased feed's elements go: the element flows of every product owed to each feed.

The plant's streams are followed in flow order, and the element flows of each stream are attributed
to the purchased feeds by its *origin* w[..., k, e]: the share of element e in the stream that came
from feed k. A feed's own stream has origin 1 for itself. A unit that mixes its inlets (the default)
gives every outlet the flow-weighted origin of its traced inlets,

    w_out[k, e] = sum_i n_i[e] w_i[k, e] / sum_i n_i[e],

and a unit that keeps its inlets apart (sorting by source, ``UnitResult.routing``) weights each
inlet by the share of it that leaves by the outlet. Inlets no purchased feed reaches (reagents, the
fresh NdPr blended in the short loop) are left out of the weighting: what they add is owed to the
feeds it joins, as a make-up proportional to throughput. So each product's element flows are owed,
in full, to the feeds that carry that element; exact at the evaluated point, whatever the
flowsheet's shape.
"""

from __future__ import annotations

import numpy as np

from plant.numerics import safe_ratio
from plant.stream import Stream


def origins(result, feeds: dict[str, Stream], elements) -> dict[int, np.ndarray]:
    """id(stream) -> origin (..., n_feeds, n_elements) [-] of every stream the ``feeds`` reach, for
    ``elements`` (symbols); feeds in the order of ``feeds``."""
    reg = result.registry
    rows = np.array([reg.element_index(e) for e in elements])
    flows = lambda s: s.elements()[..., rows]
    n = len(feeds)
    w: dict[int, np.ndarray] = {}
    for k, s in enumerate(feeds.values()):
        one = np.zeros((n, len(rows)))
        one[k] = 1.0
        w[id(s)] = one
    for unit in result.units.values():
        traced = [(port, s) for port, s in unit.inlets.items() if id(s) in w]
        if not traced:
            continue
        inflow = {port: flows(s) for port, s in traced}
        if unit.routing is None:
            shares = {port: 1.0 for port, _ in traced}
            mixed = _weighted(traced, inflow, shares, w)
            for s in unit.outlets.values():
                w[id(s)] = mixed
            continue
        for out_port, s in unit.outlets.items():
            shares = {port: unit.routing.get(port, {}).get(out_port, 0.0) for port, _ in traced}
            w[id(s)] = _weighted(traced, inflow, shares, w)
    return w


def _weighted(traced, inflow, shares, w) -> np.ndarray:
    """Flow-weighted origin of the ``traced`` inlets, each weighted by its share [-]."""
    num = den = 0.0
    for port, s in traced:
        n = inflow[port] * shares[port]
        num = num + n[..., None, :] * w[id(s)]
        den = den + n
    return safe_ratio(num, np.asarray(den)[..., None, :])


def owed(result, feeds: dict[str, Stream], elements) -> dict[str, np.ndarray]:
    """Product name -> element flows of the product owed to each feed, (..., n_feeds, n_elements)
    [mol/s]; summed over the feeds they give the product's own element flows wherever a feed carries
    the element."""
    w = origins(result, feeds, elements)
    reg = result.registry
    rows = np.array([reg.element_index(e) for e in elements])
    out = {}
    for prod in result.products:
        s = result.product_stream(prod)
        origin = w.get(id(s), np.zeros((len(feeds), len(rows))))
        out[prod.name] = s.elements()[..., None, rows] * origin
    return out
