"""Sorting and disassembly: magnet-bearing parts (HDDs, motors, ...) to liberated magnets, sorted by
route.

Each source class (``[feed.sources.*]``) delivers magnets inside parts. Dismantling liberates
``liberation_recovery`` of them; the rest stays in the e-waste residue (``rejects``). Of the
liberated magnets, ``short_loop_share`` are whole, clean, unoxidised sintered magnets that can be
sorted by grade: the short loop (hydrogen processing to new magnets) can take them. ``split`` of
those go to the short loop; everything else (oxidised, broken, mixed, swarf) goes to the
hydrometallurgical route.

Labour: parts dismantled = magnets / ``part_magnet_mass``, each taking ``disassembly_time`` of one
worker (zero for material bought already liberated, such as swarf).

Supply: what a source can deliver a year (``supply``), the limit the capacity projection
(:mod:`plant.capacity`) holds the intake to: the domestic e-waste, parts reaching end of life x
``part_magnet_mass`` x ``collection_rate``, plus the imports ``available`` (scrap, swarf), growing
by ``supply_growth`` a year. Parts reach end of life either by a stock model
(:mod:`plant.capacity.stock`: ``put_on_market`` by year through a ``lifetime`` distribution) or as a
stated ``units_discarded`` growing by ``supply_growth``. ``magnet_flow`` is the plant's design
intake.

Inlets: ``scrap_<source>``, one per source (each bought on its own terms). Outlets: ``short_loop``,
``hydromet`` (liberated magnets), ``rejects`` (not liberated).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.errors import ParamError
from plant.params import composition, fraction, number, quantities, quantity, text, where_field
from plant.species import Registry
from plant.stream import Stream
from plant.units.common import col
from plant.units.record import UnitResult
from plant.uom import SECONDS_PER_YEAR


@dataclass(frozen=True)
class SourceParams:
    """One source class of magnet scrap.

    magnet_flow : design intake: magnets contained in the material the plant takes [kg/s] (TOML in
        t/yr), >= 0
    composition : mass fractions of solid species, summing to 1
    liberation_recovery : fraction of the magnets recovered by dismantling and liberation [-]
    short_loop_share : fraction of the liberated magnets that are whole, clean sintered magnets of a
        known grade, which the short loop can take [-]
    part_magnet_mass : magnet mass in one part (an HDD, a motor) [kg], at least 1 mg (a phone's
        magnet is ~0.3 g): below it the parts to dismantle would be countless
    disassembly_time : worker time to take the magnets out of one part [s]
    supply_growth : yearly change of the supply [-/yr]
    available : magnets that can be imported [kg/s] (TOML in t/yr); and/or, for domestic e-waste,
    units_discarded : parts discarded in Taiwan a year [1/s] (TOML in 1/yr), or, replacing it,
    put_on_market : calendar year -> parts sold in Taiwan that year [1/s] (TOML in 1/yr), linear
        between the years given, none before the first, flat after the last, with
    lifetime : 'normal', 'weibull' or 'fixed', with lifetime_mean [s] (TOML in yr), and
        lifetime_sd [s] (TOML in yr) for a normal one, lifetime_shape [-] for a Weibull one,
    and collection_rate : the share of the discarded parts collected for recycling [-]
    """

    magnet_flow: float = quantity("magnet_flow", "kg/s", lo=0.0)
    composition: dict = composition("composition", "solid")
    liberation_recovery: float = fraction("liberation_recovery")
    short_loop_share: float = fraction("short_loop_share")
    part_magnet_mass: float = quantity("part_magnet_mass", "kg", lo=1e-6)
    disassembly_time: float = quantity("disassembly_time", "s", lo=0.0)
    supply_growth: float = number("supply_growth", above=-1.0, hi=1.0)
    available: float | None = quantity("available", "kg/s", lo=0.0, optional=True)
    units_discarded: float | None = quantity("units_discarded", "1/s", lo=0.0, optional=True)
    collection_rate: float | None = fraction("collection_rate", optional=True)
    put_on_market: dict | None = quantities("put_on_market", "1/s", atomic=True, optional=True)
    lifetime: str | None = text("lifetime", optional=True)
    lifetime_mean: float | None = quantity("lifetime_mean", "s", positive=True, optional=True)
    lifetime_sd: float | None = quantity("lifetime_sd", "s", positive=True, optional=True)
    lifetime_shape: float | None = quantity("lifetime_shape", "", positive=True, optional=True)
    where: str = where_field()

    def check(self, origin, prefix: str) -> None:
        """A supply is stated: imports ``available``, or domestic ``units_discarded`` with
        ``collection_rate`` (or both); a stock model has its lifetime (and replaces
        units_discarded)."""
        if self.put_on_market is not None:
            self._check_stock(origin, prefix)
            return
        counted = (self.units_discarded is not None, self.collection_rate is not None)
        if any(counted) and not all(counted):
            missing = "units_discarded" if not counted[0] else "collection_rate"
            raise ParamError(
                origin(missing),
                prefix + missing,
                f"{prefix}units_discarded together with {prefix}collection_rate",
                given_text="nothing (missing key)",
            )
        if self.available is None and not any(counted):
            raise ParamError(
                origin("available"),
                prefix + "available",
                f"the supply: {prefix}available (imports) and/or {prefix}units_discarded with "
                f"{prefix}collection_rate (domestic e-waste)",
                given_text="nothing (missing key)",
            )

    def _check_stock(self, origin, prefix: str) -> None:
        def refuse(key, expected, given):
            raise ParamError(origin(key), prefix + key, expected, given_text=given)

        for year in self.put_on_market:
            if not year.isdigit():
                refuse(f"put_on_market.{year}", "a calendar year as the key", repr(year))
        if self.lifetime not in LIFETIMES:
            refuse("lifetime", f"one of {', '.join(LIFETIMES)}", repr(self.lifetime))
        if self.lifetime_mean is None:
            refuse("lifetime_mean", "the mean lifetime, e.g. '12 yr'", "nothing (missing key)")
        if self.lifetime == "normal" and self.lifetime_sd is None:
            refuse("lifetime_sd", "the standard deviation of the normal lifetime", "nothing")
        if self.lifetime == "weibull" and self.lifetime_shape is None:
            refuse("lifetime_shape", "the shape of the Weibull lifetime (e.g. 2.5)", "nothing")
        if self.collection_rate is None:
            refuse("collection_rate", "the share collected", "nothing (missing key)")

    def spread(self):
        """The lifetime's spread in the stock model's terms: a normal lifetime's standard deviation
        [yr], a Weibull lifetime's shape [-] (None for a fixed lifetime)."""
        if self.lifetime == "normal":
            return np.asarray(self.lifetime_sd) / SECONDS_PER_YEAR
        return None if self.lifetime == "fixed" else np.asarray(self.lifetime_shape)

    @property
    def domestic_supply(self):
        """Magnets in the domestic e-waste collected a year [kg/s] (0 where none is stated)."""
        if self.units_discarded is None:
            return np.asarray(0.0)
        return (
            np.asarray(self.units_discarded)
            * np.asarray(self.part_magnet_mass)
            * np.asarray(self.collection_rate)
        )

    @property
    def supply(self):
        """Magnets the source can deliver in the reference year, domestic and imported [kg/s]."""
        return self.domestic_supply + np.asarray(0.0 if self.available is None else self.available)


@dataclass(frozen=True)
class SortingParams:
    """Sorting.

    split : share of the sortable magnets sent to the short loop; the rest go to the
        hydrometallurgical route [-]
    """

    split: float = fraction("split")
    where: str = where_field()


LIFETIMES = ("normal", "weibull", "fixed")
"""Lifetime distributions of the stock model (:mod:`plant.capacity.stock`)."""


def source_flows(src: SourceParams, registry: Registry) -> np.ndarray:
    """Molar flows (..., n_species) [mol/s] of one source's magnets."""
    w = np.zeros(registry.n)
    for name, x in src.composition.items():
        w[registry.index(name)] = x
    return col(src.magnet_flow) * (w / registry.molar_mass)


def run(
    sources: dict[str, SourceParams], p: SortingParams, availability, registry: Registry
) -> UnitResult:
    """Dismantle and sort the ``sources``; annual flows are divided by ``availability`` [-] to give
    operating rates."""
    rate = 1.0 / col(availability)
    scrap = liberated = sortable = 0.0
    parts = labour = 0.0
    inlets, routing = {}, {}
    for name, src in sources.items():
        f = source_flows(src, registry) * rate
        inlets[f"scrap_{name}"] = Stream.owned(np.zeros(registry.n) + f, registry=registry)
        freed, to_loop = col(src.liberation_recovery), col(src.short_loop_share) * col(p.split)
        routing[f"scrap_{name}"] = {
            "short_loop": freed * to_loop,
            "hydromet": freed * (1.0 - to_loop),
            "rejects": 1.0 - freed,
        }
        lib = f * col(src.liberation_recovery)
        scrap, liberated = scrap + f, liberated + lib
        sortable = sortable + lib * col(src.short_loop_share)
        n = (
            np.asarray(src.magnet_flow)
            / np.asarray(availability)
            / np.asarray(src.part_magnet_mass)
        )
        parts, labour = parts + n, labour + n * np.asarray(src.disassembly_time)
    zeros = np.zeros(registry.n)
    scrap, liberated, sortable = (zeros + x for x in (scrap, liberated, sortable))
    short = sortable * col(p.split)
    return UnitResult(
        "sorting",
        inlets=inlets,
        outlets={
            "short_loop": Stream.owned(short, registry=registry),
            "hydromet": Stream.owned(liberated - short, registry=registry),
            "rejects": Stream.owned(scrap - liberated, registry=registry),
        },
        manual_work=np.asarray(labour, dtype=float),
        routing=routing,
        performance={"parts_per_s": np.asarray(parts, dtype=float)},
    )
