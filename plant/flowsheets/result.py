"""The result of a flowsheet run: streams, unit results, products and the element balance."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

import numpy as np

from plant.chemistry import ACIDS, RARE_EARTHS, oxide_per_element
from plant.numerics import safe_ratio
from plant.stream import Stream, max_relative_imbalance
from plant.units.common import UnitResult
from plant.uom import SECONDS_PER_YEAR


@dataclass(frozen=True)
class Product:
    """A saleable product: its stream, the species whose mass fraction is its purity, and how it is
    priced: ``oxide`` (worth its rare-earth oxides) or ``magnet`` (a magnet price by grade)."""

    name: str
    stream: str
    purity_species: tuple[str, ...]
    kind: str = "oxide"


@dataclass(frozen=True)
class FlowsheetResult:
    """Outcome of one flowsheet evaluation (scalar or batch).

    units : unit name -> UnitResult, in flow order
    streams : stream name -> Stream ("unit.port"); inlets of one unit that are
        outlets of another appear once, under the outlet's name
    feeds, outputs : names of the streams entering and leaving the plant
    products : the saleable products
    availability : operating fraction of the year [-]; streams are operating rates
    purchased_feeds : the feeds bought as raw material (scrap, concentrate): stream name -> the name of
        its supply (``[feed.sources.<name>]``, ``concentrate``), which the costing layer prices it by
    sold_outputs : names of the outputs sold as scrap (short-loop residues with no hydrometallurgical
        route to take them); not counted as discharges
    """

    units: dict[str, UnitResult]
    streams: dict[str, Stream]
    feeds: tuple[str, ...]
    outputs: tuple[str, ...]
    products: tuple[Product, ...]
    availability: object
    purchased_feeds: dict[str, str] = dataclasses.field(default_factory=dict)
    sold_outputs: tuple[str, ...] = ()

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

    def product_stream(self, product: Product) -> Stream:
        return self.streams[product.stream]

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
        """Reagent and water use [kg/s, operating rate, 100 % basis] by reagent, summed over the units'
        design records: HCl, H2SO4, NaOH, NH3, H2O2, oxalic_acid_dihydrate, extractant, diluent, water, and
        the short loop's hydrogen, argon, nitrogen and fresh_rare_earth (NdPr metal basis)."""
        return dict(self._reagents)

    def discharges(self) -> dict[str, np.ndarray]:
        """What leaves the plant besides products [kg/s, operating rate]: 'solid_residue' (solid phase) and
        'aqueous_effluent' (aqueous solution); gases and organic losses are not counted here."""
        return dict(self._discharges)

    @functools.cached_property
    def _reagents(self) -> dict[str, np.ndarray]:
        records = [u.design for u in self.units.values()]

        def total(key, where=lambda r: True):
            return sum(
                (np.asarray(r[key]) for r in records if key in r and where(r)), np.asarray(0.0)
            )

        out = {acid: np.asarray(0.0) for acid in ACIDS}
        for r in records:
            if "acid" in r and "acid_kg_per_s" in r:  # leaching: acid named by its formula
                out[r["acid"]] = out[r["acid"]] + r["acid_kg_per_s"]
            elif "acid_species" in r:  # SX: acid named by its aqueous species
                acid = r["acid_species"].removesuffix("(aq)")
                out[acid] = out[acid] + r["acid_kg_per_s"]
        sapon = lambda reagent: lambda r: r.get("saponification_reagent") == reagent
        out["NaOH"] = total("naoh_kg_per_s") + total(
            "saponification_reagent_kg_per_s", sapon("NaOH")
        )
        out["NH3"] = total("saponification_reagent_kg_per_s", sapon("NH3"))
        out["H2O2"] = total("h2o2_kg_per_s")
        out["oxalic_acid_dihydrate"] = total("oxalic_dihydrate_kg_per_s")
        out["extractant"] = total("extractant_loss_kg_per_s")
        out["diluent"] = total("diluent_loss_kg_per_s")
        out["water"] = total("water_kg_per_s") + total("wash_water_kg_per_s")
        for gas in ("hydrogen", "argon", "nitrogen", "fresh_rare_earth"):
            out[gas] = total(f"{gas}_kg_per_s")
        return out

    @functools.cached_property
    def _discharges(self) -> dict[str, np.ndarray]:
        names = set(self.outputs) - {p.stream for p in self.products} - set(self.sold_outputs)
        reg = self.registry
        masks = reg.phase_masks
        streams = [self.streams[n] for n in names]
        return {
            "solid_residue": sum((s.mass_of(masks["solid"]) for s in streams), np.asarray(0.0)),
            "aqueous_effluent": sum(
                (s.mass_of(masks["aqueous"] | masks["liquid"]) for s in streams), np.asarray(0.0)
            ),
        }

    # ------------------------------------------------------------------ topology
    def links(self) -> list[tuple[str, str, str]]:
        """Every stream as (from, to, stream name): from a unit or ``"feed"``, to a unit or ``"output"``."""
        made_by = {id(s): uname for uname, u in self.units.items() for s in u.outlets.values()}
        taken_by = {id(s): uname for uname, u in self.units.items() for s in u.inlets.values()}
        return [
            (made_by.get(id(s), "feed"), taken_by.get(id(s), "output"), name)
            for name, s in self.streams.items()
        ]

    # ------------------------------------------------------------------ tables
    def stream_table(self, sample: int | None = None, threshold_kg_per_h: float = 1e-6):
        """Stream table (pandas): species rows in kg/h, one column per stream, plus T [degC] and totals.

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
