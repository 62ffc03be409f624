"""The result of a flowsheet run: streams, unit results, products and the element balance."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

import numpy as np

from plant.chemistry import RARE_EARTHS, oxide_per_element
from plant.flowsheets.radioactivity import is_radioactive, specific_activity
from plant.numerics import safe_ratio
from plant.reagents import REAGENTS, check_names
from plant.stream import Stream, max_relative_imbalance
from plant.thermo import atomic_weight
from plant.units.record import UnitResult
from plant.uom import SECONDS_PER_YEAR


@dataclass(frozen=True, eq=False)
class Product:
    """A saleable product: the stream it leaves by (an outlet of a unit of the flowsheet), the
    species whose mass fraction is its purity, and how it is priced: ``oxide`` (worth its rare-earth
    oxides) or ``magnet`` (a magnet price by grade)."""

    name: str
    stream: Stream
    purity_species: tuple[str, ...]
    kind: str = "oxide"


@dataclass(frozen=True)
class FlowsheetResult:
    """Outcome of one flowsheet evaluation (scalar or batch).

    units : instance name -> UnitResult (``u.name`` is its key), in flow order
    streams : stream name -> Stream ("unit.port"); inlets of one unit that are
        outlets of another appear once, under the outlet's name
    feeds, outputs : names of the streams entering and leaving the plant
    products : the saleable products
    availability : operating fraction of the year [-]; streams are operating rates
    purchased : the feeds bought as raw material (scrap, concentrate): the name of each supply
        (``[feed.sources.<name>]``, ``concentrate``), which the costing layer prices it by -> its
        stream
    sold : the outputs sold as scrap (short-loop residues with no hydrometallurgical route to take
        them); not counted as discharges
    unrecovered : the outputs holding what the plant cannot take into its process (the magnets
        dismantling leaves in the parts); the feed terms pay nothing for the rare earths in them
    areas : unit instance name -> the plant area it stands in (for the capital estimate)
    services : plant-wide service area ('storage', 'effluent') -> its equipment
        (:func:`plant.flowsheets.services.with_services`)
    effluent_route : 'discharge' or 'zld' (zero liquid discharge: the effluent's dissolved salts
        leave as solid residue, its water as condensate reused)
    exemption_activity : Th-232 or U-238 activity [Bq/kg] above which a waste output is
        radioactive waste (:mod:`plant.flowsheets.radioactivity`)
    """

    units: dict[str, UnitResult]
    streams: dict[str, Stream]
    feeds: tuple[str, ...]
    outputs: tuple[str, ...]
    products: tuple[Product, ...]
    availability: object
    purchased: dict[str, Stream] = dataclasses.field(default_factory=dict)
    sold: tuple[Stream, ...] = ()
    unrecovered: tuple[Stream, ...] = ()
    areas: dict[str, str] = dataclasses.field(default_factory=dict)
    services: dict = dataclasses.field(default_factory=dict)
    effluent_route: str = "discharge"
    exemption_activity: float = float("inf")

    # ------------------------------------------------------------------ balances
    def imbalance(self) -> float:
        """Largest relative element imbalance of the whole plant (feeds vs outputs)."""
        return max_relative_imbalance(
            [self.streams[n] for n in self.feeds], [self.streams[n] for n in self.outputs]
        )

    def unit_imbalances(self) -> dict[str, float]:
        return {name: u.imbalance() for name, u in self.units.items()}

    def max_imbalance(self) -> float:
        """The larger of the plant and the worst unit imbalance."""
        return max([self.imbalance(), *self.unit_imbalances().values()])

    @property
    def registry(self):
        """The species registry of the plant's streams."""
        return next(iter(self.streams.values())).registry

    # ------------------------------------------------------------------ annual figures
    def annual_t(self, kg_per_s) -> np.ndarray:
        """Operating-rate mass flow [kg/s] -> tonnes per calendar year."""
        return np.asarray(kg_per_s) * np.asarray(self.availability) * SECONDS_PER_YEAR / 1000.0

    def product(self, name: str) -> Product:
        """The product called ``name``."""
        for p in self.products:
            if p.name == name:
                return p
        raise KeyError(f"no product {name!r}; products: {', '.join(p.name for p in self.products)}")

    def product_stream(self, product: Product) -> Stream:
        return product.stream

    def product_t_per_yr(self, product: Product) -> np.ndarray:
        return self.annual_t(self.product_stream(product).mass_flow)

    def purity(self, product: Product) -> np.ndarray:
        """Mass fraction of the product's named species in it [-]."""
        s = self.product_stream(product)
        reg = s.registry
        mask = np.zeros(reg.n, dtype=bool)
        mask[reg.indices(product.purity_species)] = True
        return safe_ratio(s.mass_of(mask), s.mass_flow)

    def reo_t_per_product(self, product: Product) -> np.ndarray:
        """REO equivalent of one product [t/yr]: its rare earths, in any form, as their oxides."""
        s = self.product_stream(product)
        _, kg_per_mol = oxide_per_element(s.registry)
        return self.annual_t(s.elements()[..., self._rare_earth_rows] @ kg_per_mol)

    def reo_t_per_yr(self) -> np.ndarray:
        """REO-equivalent output of all products [t/yr]."""
        return np.asarray(sum((self.reo_t_per_product(p) for p in self.products), np.asarray(0.0)))

    @functools.cached_property
    def _rare_earth_rows(self) -> np.ndarray:
        return np.array([self.registry.element_index(e) for e in RARE_EARTHS])

    def rare_earth_recovery(self) -> dict[str, np.ndarray]:
        """Per rare earth: fraction of the element in the feeds that reaches the products [-]."""
        feed = sum(self.streams[n].elements() for n in self.feeds)
        prod = sum(self.product_stream(p).elements() for p in self.products)
        reg = self.registry
        return {
            e: safe_ratio(prod[..., reg.element_index(e)], feed[..., reg.element_index(e)])
            for e in RARE_EARTHS
        }

    # ------------------------------------------------------------------ consumption and discharges
    def reagents(self) -> dict[str, np.ndarray]:
        """Use of every reagent of :data:`plant.reagents.REAGENTS` (zero where none is used) [kg/s,
        operating rate, 100 % basis], summed over the units."""
        return dict(self._reagents)

    def discharges(self) -> dict[str, np.ndarray]:
        """What leaves the plant besides products [kg/s, operating rate]: 'solid_residue' (solid
        phase), 'radioactive_residue' (the solids of the waste outputs above the exemption
        activity) and 'aqueous_effluent' (aqueous solution discharged) after effluent treatment:
        on the 'zld' route the effluent's dissolved salts join the residue (radioactive if the
        effluent's Th or U makes them so) and nothing is discharged; gases and organic losses are
        not counted here."""
        out = dict(self._discharges)
        solid = self.registry.phase_masks["solid"]
        hot = sum(
            (
                np.where(is_radioactive(s, self.exemption_activity), s.mass_of(solid), 0.0)
                for s in self._waste
            ),
            np.asarray(0.0),
        )
        out["solid_residue"] = out["solid_residue"] - hot
        if self.effluent_route == "zld":
            salts = self.effluent_salts()
            hot_salt = self.salt_activity_above_exemption()
            hot = hot + np.where(hot_salt, salts, 0.0)
            out["solid_residue"] = out["solid_residue"] + np.where(hot_salt, 0.0, salts)
            out["aqueous_effluent"] = np.zeros_like(out["aqueous_effluent"])
        out["radioactive_residue"] = hot
        return out

    def waste(self) -> dict[str, object]:
        """The waste outputs: every output but the products and the scrap sold, by stream name."""
        kept = {id(p.stream) for p in self.products} | {id(s) for s in self.sold}
        return {n: self.streams[n] for n in self.outputs if id(self.streams[n]) not in kept}

    def salt_activity_above_exemption(self) -> np.ndarray:
        """Whether the salts a 'zld' route makes of the effluent exceed the exemption activity."""
        salts = self.effluent_salts()
        limit = np.asarray(self.exemption_activity)
        over = np.asarray(False)
        for e in ("Th", "U"):
            kg = self.effluent_element(e) * atomic_weight(e)
            over = over | (safe_ratio(kg * specific_activity(e), salts) > limit)
        return over

    def effluent_to_treatment(self) -> np.ndarray:
        """Aqueous solution leaving the units for effluent treatment [kg/s, operating rate]."""
        return self._discharges["aqueous_effluent"]

    def effluent_salts(self) -> np.ndarray:
        """Dissolved species of the effluent to treatment, water excepted [kg/s]."""
        return self._dissolved_salts

    def effluent_element(self, symbol: str) -> np.ndarray:
        """Flow of element ``symbol`` in the effluent to treatment [mol/s]."""
        if symbol not in self.registry.elements:
            return np.asarray(0.0)
        row = self.registry.element_index(symbol)
        return sum(
            (s.select(self._liquid_mask).elements()[..., row] for s in self._waste),
            np.asarray(0.0),
        )

    @functools.cached_property
    def _liquid_mask(self) -> np.ndarray:
        masks = self.registry.phase_masks
        return masks["aqueous"] | masks["liquid"]

    @functools.cached_property
    def _waste(self) -> list:
        return list(self.waste().values())

    @functools.cached_property
    def _dissolved_salts(self) -> np.ndarray:
        """Dissolved species of the effluent to treatment, water excepted [kg/s]."""
        salts = self._liquid_mask.copy()
        salts[self.registry.index("H2O(l)")] = False
        return sum((s.mass_of(salts) for s in self._waste), np.asarray(0.0))

    @functools.cached_property
    def _reagents(self) -> dict[str, np.ndarray]:
        out = {name: np.asarray(0.0) for name in REAGENTS}
        for name, unit in self.units.items():
            check_names(unit.reagents, f"unit {name!r} ({unit.kind})")
            for reagent, kg_per_s in unit.reagents.items():
                out[reagent] = out[reagent] + kg_per_s
        return out

    @functools.cached_property
    def _discharges(self) -> dict[str, np.ndarray]:
        solid = self.registry.phase_masks["solid"]
        return {
            "solid_residue": sum((s.mass_of(solid) for s in self._waste), np.asarray(0.0)),
            "aqueous_effluent": sum(
                (s.mass_of(self._liquid_mask) for s in self._waste), np.asarray(0.0)
            ),
        }

    # ------------------------------------------------------------------ topology
    def links(self) -> list[tuple[str, str, str]]:
        """Every stream as (from, to, stream name): from a unit or ``"feed"``, to a unit or
        ``"output"``."""
        made_by = {id(s): uname for uname, u in self.units.items() for s in u.outlets.values()}
        taken_by = {id(s): uname for uname, u in self.units.items() for s in u.inlets.values()}
        return [
            (made_by.get(id(s), "feed"), taken_by.get(id(s), "output"), name)
            for name, s in self.streams.items()
        ]

    # ------------------------------------------------------------------ tables
    def stream_table(self, sample: int | None = None, threshold_kg_per_h: float = 1e-6):
        """Stream table (pandas): species rows in kg/h, one column per stream, plus T [degC] and
        totals.

        For a batch result, ``sample`` picks one sample (default 0).
        """
        import pandas as pd

        reg = self.registry
        cols = {}
        for name, s in self.streams.items():
            if s.batch_shape:
                s = s.sample(sample or 0)
            cols[name] = s.mass_flows * 3600.0
        df = pd.DataFrame(cols, index=pd.Index(reg.names, name="species [kg/h]"))
        df = df[(df.abs() > threshold_kg_per_h).any(axis=1)]
        total = pd.DataFrame([df.sum()], index=["total [kg/h]"])
        temps = {
            n: float(s.T if s.T.ndim == 0 else s.T[sample or 0]) - 273.15
            for n, s in self.streams.items()
        }
        temp = pd.DataFrame([temps], index=["T [degC]"])
        return pd.concat([df, total, temp])
