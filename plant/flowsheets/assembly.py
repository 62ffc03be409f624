"""Wiring units into a flowsheet: each unit added under its instance name, in flow order.

A route adds its units one after the other, passing each unit the outlet streams of the units before
it::

    fs = Flowsheet()
    leach = fs.add("leaching", leaching.run(calcine, p.leaching))
    filt = fs.add("leach_filter", solid_liquid.run(leach.outlets["slurry"], p.leach_filter))

:meth:`Flowsheet.result` then names every stream (``"unit.port"``) and finds the plant's feeds
(inlets no unit makes) and outputs (outlets no unit takes) from those connections.

Units are added inside a plant area (``with fs.area("leaching"): ...``), the area the capital
estimate reports them under.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Sequence

from plant.errors import PlantError
from plant.flowsheets.result import FlowsheetResult, Product
from plant.stream import Stream
from plant.units.record import UnitResult


class Flowsheet:
    """Units in flow order under their instance names (:attr:`units`), each in a plant area
    (:attr:`areas`)."""

    def __init__(self) -> None:
        self.units: dict[str, UnitResult] = {}
        self.areas: dict[str, str] = {}
        self._area = "process"

    @contextlib.contextmanager
    def area(self, name: str):
        """Units added inside this block belong to plant area ``name``."""
        outer, self._area = self._area, name
        try:
            yield self
        finally:
            self._area = outer

    def add(self, name: str, unit: UnitResult) -> UnitResult:
        """Add ``unit`` as instance ``name`` (unique in the flowsheet) in the current area; returns
        it, named."""
        if name in self.units:
            raise PlantError(f"flowsheet: a unit named {name!r} is there already")
        unit = dataclasses.replace(unit, name=name)
        self.units[name] = unit
        self.areas[name] = self._area
        return unit

    def __contains__(self, name: str) -> bool:
        return name in self.units

    def result(
        self,
        products: Sequence[Product],
        availability,
        purchased: dict[str, Stream] | None = None,
        sold: Sequence[Stream] = (),
        unrecovered: Sequence[Stream] = (),
    ) -> FlowsheetResult:
        """The flowsheet's result: every stream named, the feeds and outputs found from the unit
        connections; ``purchased`` maps each supply bought as raw material to its feed stream,
        ``sold`` lists the outputs sold as scrap, ``unrecovered`` those the plant cannot recover
        from (all read by the costing layer)."""
        produced: dict[int, str] = {}
        streams: dict[str, Stream] = {}
        for uname, u in self.units.items():
            for port, s in u.outlets.items():
                produced[id(s)] = f"{uname}.{port}"
                streams[f"{uname}.{port}"] = s
        consumed = set()
        feeds = []
        for uname, u in self.units.items():
            for port, s in u.inlets.items():
                if id(s) in produced:
                    consumed.add(id(s))
                else:
                    streams[f"{uname}.{port}"] = s
                    feeds.append(f"{uname}.{port}")
        outputs = tuple(
            name for name, s in streams.items() if id(s) in produced and id(s) not in consumed
        )
        ordered = {n: streams[n] for n in feeds}
        ordered.update({n: s for n, s in streams.items() if n not in ordered})
        return FlowsheetResult(
            dict(self.units),
            ordered,
            tuple(feeds),
            outputs,
            tuple(products),
            availability,
            purchased=dict(purchased or {}),
            sold=tuple(sold),
            unrecovered=tuple(unrecovered),
            areas=dict(self.areas),
        )
