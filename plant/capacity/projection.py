"""Capacity against the domestic-demand target, year by year.

Demand follows a path through dated points (``capacity.demand.points``), linear or compound between
them and flat outside them, in t/yr of REO equivalent (demand stated as metal is converted with the
oxide-per-metal ratio of ``metal_mix``). The target is ``target_share`` of it.

The plant is the design evaluation (the flowsheet at its design intakes), built by the schedule of
:mod:`plant.costing.schedule`. In year y the installed share f(y) of the nameplate can take f(y) of
each supply's design intake, but no more than the supply offers that year (its reference-year supply
grown by ``supply_growth`` a year from ``capacity.supply_year``): intake_s(y) = min(supply_s(y),
f(y) D_s). Output is the design output of each supply scaled by its intake: the lesser of installed
capacity and what the feed supports, supply by supply.

A supply's design output comes from following its rare earths through the design flowsheet, element
by element: a source's magnets go to the short loop (new magnets, and residues to the
hydrometallurgical route) or to the hydrometallurgical route, the concentrate's liquor joins the
magnet liquor; each path's recovery of each element to each product is read off the design streams.
The shares add up exactly to the design products; for other intakes they are the plant linearised at
its design point (every unit here is linear in its feed, except that the solvent-extraction cut and
the blend make-up shift somewhat with the feed mix).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.capacity.parameters import DEMAND_ELEMENTS
from plant.capacity.stock import end_of_life
from plant.chemistry import RARE_EARTHS, oxide_per_element
from plant.costing.revenue import on_spec
from plant.costing.schedule import Schedule, schedule
from plant.errors import ParamError
from plant.flowsheets.tracing import owed
from plant.numerics import safe_ratio
from plant.units.concentrate_dissolution import SUPPLY as CONCENTRATE
from plant.uom import SECONDS_PER_YEAR

ROUTES = ("short_loop", "hydromet", "concentrate")
"""How output is attributed: magnets made by the short loop; oxides from scrap through leaching and
solvent extraction; oxides from the imported concentrate through solvent extraction."""


@dataclass(frozen=True)
class Projection:
    """Capacity year by year; arrays (..., n_years), year axis last.

    years : calendar years of the build schedule; supplies : supply names, in column order
    intake, supply : t/yr of each supply (..., n_supplies, n_years);
    domestic : domestic e-waste in supply
    products : product name -> t/yr; routes : route (ROUTES) -> REO-equivalent output [t/yr]
    reo : REO-equivalent output [t/yr], every product; on_spec : the output that counts toward the
    target [t/yr]: the basis elements in on-spec products (for basis 'elements', each up to its
    own target); off_spec : REO in off-spec products [t/yr]; basis_output : on_spec with the
    off-spec product of the basis added back (what the target would see were it all on spec);
    installed : REO-equivalent capacity on line [t/yr]; feed_supported : what the whole supply
    would make in a plant big enough [t/yr]; demand : the demand the target is a share of (the
    basis elements') [t/yr]; total_demand [t/yr]; demand_by_element, output_by_element : element
    (DEMAND_ELEMENTS) -> demand and on-spec output [t/yr REO]; target [t/yr]; utilisation :
    output / design output [-] (the cash flow's capacity factor)
    nameplate : design REO output [t/yr]; nameplate_on_spec : the part of it in on-spec products
    [t/yr]; needed : the multiple of the design output the target needs at full output, by year
    [-] (NaN: none is made on spec of an element it asks for);
    design : design intake of each supply [t/yr] (..., n_supplies)
    target_basis, basis_shares : the target's basis and the share of each counted element's demand
    it asks for; applications : use -> its share of demand
    plan : the build schedule the years follow
    """

    years: np.ndarray
    supplies: tuple[str, ...]
    supply: np.ndarray
    domestic: np.ndarray
    intake: np.ndarray
    products: dict[str, np.ndarray]
    routes: dict[str, np.ndarray]
    reo: np.ndarray
    on_spec: np.ndarray
    off_spec: np.ndarray
    basis_output: np.ndarray
    installed: np.ndarray
    feed_supported: np.ndarray
    demand: np.ndarray
    total_demand: np.ndarray
    demand_by_element: dict[str, np.ndarray]
    output_by_element: dict[str, np.ndarray]
    target: np.ndarray
    utilisation: np.ndarray
    nameplate: np.ndarray
    nameplate_on_spec: np.ndarray
    needed: np.ndarray
    design: np.ndarray
    target_year: int
    target_share: object
    target_basis: str
    basis_shares: dict
    applications: dict
    reserve_months: object
    reserve_prices: dict
    plan: Schedule

    @property
    def coverage(self) -> np.ndarray:
        """Share of demand covered by on-spec product [-]."""
        return safe_ratio(self.on_spec, self.demand)

    @property
    def met(self) -> np.ndarray:
        return self.on_spec >= self.target * (1.0 - 1e-9)

    @property
    def limited_by(self) -> np.ndarray:
        """'not built', 'off spec' (the plant makes the target, but part of it below its spec,
        which does not count), 'feed' (a supply short of what the installed trains could take) or
        'capacity'."""
        return np.where(
            self.installed <= 0,
            "not built",
            np.where(
                (self.basis_output >= self.target * (1.0 - 1e-9)) & ~self.met,
                "off spec",
                np.where(self.reo < self.installed * (1.0 - 1e-9), "feed", "capacity"),
            ),
        )

    def at(self, x: np.ndarray, year: int | None = None) -> np.ndarray:
        """``x`` (..., n_years) in ``year`` (default the target year)."""
        return x[..., int(np.flatnonzero(self.years == (year or self.target_year))[0])]

    def first_year_met(self) -> np.ndarray:
        """The first year the target is met (NaN: never)."""
        met = self.met
        return np.where(met.any(axis=-1), self.years[np.argmax(met, axis=-1)], np.nan)

    def summary(self) -> dict:
        """The ``capacity`` keys of the JSON contract for the target year, and ``by_year``."""
        T = self.at
        fraction = T(safe_ratio(self.installed, self.nameplate[..., None] + 0.0 * self.installed))
        # nameplate multiple the target needs at full output, counting the basis elements of
        # on-spec product only (NaN: none is made on spec, so no nameplate meets it)
        scale = T(self.needed)
        return {
            "target_year": self.target_year,
            "target_basis": self.target_basis,
            "target_elements": dict(self.basis_shares),
            "reo_t_per_yr": T(self.reo),
            "on_spec_reo_t_per_yr": T(self.on_spec),
            "off_spec_reo_t_per_yr": T(self.off_spec),
            "off_spec_t_per_yr": T(self.off_spec),
            "demand_t_per_yr": T(self.demand),
            "total_demand_t_per_yr": T(self.total_demand),
            "demand_by_application_t_per_yr": {
                name: np.asarray(share) * T(self.total_demand)
                for name, share in self.applications.items()
            },
            "by_element": {
                e: {
                    "demand_t_per_yr": T(self.demand_by_element[e]),
                    "output_t_per_yr": T(self.output_by_element[e]),
                    "coverage": safe_ratio(
                        T(self.output_by_element[e]), T(self.demand_by_element[e])
                    ),
                }
                for e in DEMAND_ELEMENTS
            },
            "target_share": self.target_share,
            "target_t_per_yr": T(self.target),
            "coverage_of_demand": T(self.coverage),
            "target_met": T(self.met),
            "year_target_met": self.first_year_met(),
            "shortfall_t_per_yr": np.maximum(T(self.target) - T(self.on_spec), 0.0),
            "limited_by": T(self.limited_by).tolist(),
            "nameplate_t_per_yr": self.nameplate_on_spec,
            "nameplate_all_products_t_per_yr": self.nameplate,
            "installed_share": fraction,
            "installed_t_per_yr": T(self.installed),
            "feed_supported_t_per_yr": T(self.feed_supported),
            "nameplate_needed_t_per_yr": safe_ratio(scale, fraction, np.nan) * self.nameplate,
            "feed_needed_t_per_yr": scale * self.design.sum(axis=-1),
            "disruption": self.disruption(),
            "supplies": {
                name: {
                    "design_t_per_yr": self.design[..., i],
                    "available_t_per_yr": T(self.supply[..., i, :]),
                    "domestic_t_per_yr": T(self.domestic[..., i, :]),
                    "intake_t_per_yr": T(self.intake[..., i, :]),
                }
                for i, name in enumerate(self.supplies)
            },
            "by_year": self.columns(),
        }

    def disruption(self) -> dict:
        """Should imports of separated rare earths stop in the target year: the share of each
        element's demand the plant covers, and the stockpile [t, USD] that would hold the rest for
        ``reserve_months``."""
        months = np.asarray(self.reserve_months)
        by = {}
        tonnes = usd = 0.0
        for e in DEMAND_ELEMENTS:
            d, o = self.at(self.demand_by_element[e]), self.at(self.output_by_element[e])
            short = np.maximum(d - o, 0.0) * months / 12.0
            by[e] = {
                "demand_t_per_yr": d,
                "covered_share": np.minimum(safe_ratio(o, d, 1.0), 1.0),
                "reserve_t": short,
            }
            tonnes = tonnes + short
            usd = usd + short * 1000.0 * np.asarray(self.reserve_prices[e])
        return {
            "year": self.target_year,
            "months": months,
            "by_element": by,
            "reserve_t": tonnes,
            "reserve_usd": usd,
        }

    def columns(self) -> dict[str, np.ndarray]:
        """The per-year table as columns (t/yr unless named otherwise)."""
        out = {
            "year": self.years,
            "demand_t_per_yr": self.demand,
            "target_t_per_yr": self.target,
            "installed_t_per_yr": self.installed,
            "feed_supported_t_per_yr": self.feed_supported,
            "reo_t_per_yr": self.reo,
            "on_spec_reo_t_per_yr": self.on_spec,
            "coverage_of_demand": self.coverage,
            "target_met": self.met,
            "limited_by": self.limited_by,
            "shortfall_t_per_yr": np.maximum(self.target - self.on_spec, 0.0),
        }
        out.update({f"{name}_t_per_yr": v for name, v in self.products.items()})
        out.update({f"route_{name}_t_per_yr": v for name, v in self.routes.items()})
        out["feed_intake_t_per_yr"] = self.intake.sum(axis=-2)
        out["domestic_supply_t_per_yr"] = self.domestic.sum(axis=-2)
        out["imported_supply_t_per_yr"] = self.supply.sum(axis=-2) - self.domestic.sum(axis=-2)
        for i, name in enumerate(self.supplies):
            out[f"{name}_intake_t_per_yr"] = self.intake[..., i, :]
        return out

    def frame(self, sample: int | None = None):
        """The per-year table (pandas), one row per year."""
        import pandas as pd

        cols = {
            k: (v if np.ndim(v) == 1 else np.asarray(v)[sample or 0])
            for k, v in self.columns().items()
        }
        return pd.DataFrame(cols).set_index("year")


def supply_yields(result, p) -> tuple[tuple[str, ...], dict, np.ndarray, np.ndarray]:
    """Per supply (each source of ``[feed.sources]``, then the concentrate): the name, the
    REO-equivalent output [kg/s, annual average] of each rare earth each product owes to it at the
    design point (traced through the flowsheet, :mod:`plant.flowsheets.tracing`), its design intake
    [kg/s, annual average] as the flowsheet buys it, and the share of the supply stated in the
    files that the flowsheet can use [-] (1, or the sortable share where the short loop alone takes
    only sortable magnets): (names, {product: (..., n_supplies, n_RE)}, intakes (...,
    n_supplies), usable shares (..., n_supplies))."""
    names = (*p.feed.sources, CONCENTRATE)
    stated = [*(s.magnet_flow for s in p.feed.sources.values()), p.concentrate.flow]
    feeds = {n: result.purchased[n] for n in names if n in result.purchased}
    _, ox = oxide_per_element(result.registry)
    owed_mol = owed(result, feeds, RARE_EARTHS)
    avail = np.asarray(result.availability)
    column = {n: i for i, n in enumerate(feeds)}
    zero = np.asarray(0.0)
    per_product = {}
    for prod in result.products:
        reo = owed_mol[prod.name] * ox * avail[..., None, None]  # (..., n_feeds, n_RE)
        per_product[prod.name] = np.stack(
            np.broadcast_arrays(
                *[reo[..., column[n], :] if n in column else zero + 0.0 * ox for n in names]
            ),
            axis=-2,
        )
    intakes = [feeds[n].mass_flow * avail if n in feeds else zero for n in names]
    usable = [safe_ratio(d, s, 1.0) for d, s in zip(intakes, stated)]
    return names, per_product, _stack(intakes), _stack(usable)


def _stack(xs, axis: int = -1) -> np.ndarray:
    """Values of each supply stacked along ``axis`` (last: one value each; -2: year series)."""
    return np.stack(np.broadcast_arrays(*[np.asarray(x, dtype=float) for x in xs]), axis=axis)


def project(result, p) -> Projection:
    """Capacity by year of the design evaluation ``result`` (FlowsheetResult) for parameters ``p``
    (model.Params), built by the schedule of ``p.economics.build``."""
    c = p.capacity
    plan = schedule(p.economics.build, p.economics.finance)
    years = plan.years
    if not years[0] <= c.target_year <= years[-1]:
        raise ParamError(
            c.where,
            f"{c.where}.target_year",
            f"a year of the plant's schedule, {years[0]}-{years[-1]}",
            c.target_year,
        )
    names, owed, design, usable = supply_yields(result, p)
    supplies = [*p.feed.sources.values(), p.concentrate]
    grow = lambda s: (
        (1.0 + np.asarray(s.supply_growth, dtype=float)[..., None]) ** (years - c.supply_year)
    )
    stated = lambda amount: np.stack(
        np.broadcast_arrays(
            *[np.asarray(amount(s), dtype=float)[..., None] * grow(s) for s in supplies]
        ),
        axis=-2,
    )
    domestic = _stack(
        [
            end_of_life(s, years)
            * np.asarray(s.part_magnet_mass)[..., None]
            * np.asarray(s.collection_rate)[..., None]
            if getattr(s, "put_on_market", None) is not None
            else np.asarray(s.domestic_supply, dtype=float)[..., None] * grow(s)
            for s in supplies
        ],
        axis=-2,
    )
    imports = stated(lambda s: 0.0 if s.available is None else s.available)
    domestic = domestic * usable[..., None]
    supply = domestic + imports * usable[..., None]
    D = design[..., None]  # (..., n_supplies, 1)
    intake = np.minimum(supply, plan.installed[..., None, :] * D)
    used = safe_ratio(intake, D + 0.0 * intake)  # share of each design intake taken
    ample = safe_ratio(supply, D + 0.0 * supply)
    t = SECONDS_PER_YEAR / 1000.0
    products = {}
    routes = dict.fromkeys(ROUTES, 0.0)
    conc = np.array([name == CONCENTRATE for name in names])
    n_re = len(RARE_EARTHS)
    reo = off = installed = supported = 0.0
    good_el = bad_el = 0.0  # on- and off-spec output by element [t/yr] (..., n_RE, n_years)
    plate_el = np.zeros(n_re)  # on-spec nameplate by element [t/yr] (..., n_RE)
    for prod in result.products:
        o_el = owed[prod.name]  # (..., n_supplies, n_RE) kg/s REO
        o = o_el.sum(axis=-1)[..., None]  # (..., n_supplies, 1)
        good = np.asarray(on_spec(result, prod, p.economics), dtype=float)[..., None]
        by_supply = used * o * t
        made = by_supply.sum(axis=-2)
        if prod.kind == "magnet":
            routes["short_loop"] = routes["short_loop"] + made
        else:
            routes["hydromet"] = routes["hydromet"] + by_supply[..., ~conc, :].sum(axis=-2)
            routes["concentrate"] = routes["concentrate"] + by_supply[..., conc, :].sum(axis=-2)
        share = safe_ratio(made, result.reo_t_per_product(prod)[..., None] + 0.0 * made)
        products[prod.name] = share * result.product_t_per_yr(prod)[..., None]
        reo = reo + made
        off = off + made * (1.0 - good)
        # by element: (..., n_supplies, n_RE, 1) x (..., n_supplies, 1, n_years), over supplies
        el = (o_el[..., None] * used[..., :, None, :]).sum(axis=-3) * t
        good_el = good_el + el * good[..., None]
        bad_el = bad_el + el * (1.0 - good[..., None])
        installed = installed + (plan.installed[..., None, :] * o).sum(axis=-2) * t
        supported = supported + (ample * o).sum(axis=-2) * t
        plate_el = plate_el + o_el.sum(axis=-2) * good * t
    nameplate = sum((owed[k].sum(axis=(-1, -2)) for k in owed), np.asarray(0.0)) * t
    total_demand = c.demand.t_per_yr(years, result.registry)
    zeros = np.zeros_like(np.asarray(reo + 0.0 * total_demand, dtype=float))
    shares = c.demand.element_shares()
    demand_el = {e: np.asarray(x)[..., None] * total_demand + zeros for e, x in shares.items()}
    output_el = {
        e: (good_el[..., RARE_EARTHS.index(e), :] if e in RARE_EARTHS else 0.0) + zeros
        for e in DEMAND_ELEMENTS
    }
    all_el = {  # on spec or not
        e: output_el[e] + (bad_el[..., RARE_EARTHS.index(e), :] if e in RARE_EARTHS else 0.0)
        for e in DEMAND_ELEMENTS
    }
    plate = {
        e: plate_el[..., RARE_EARTHS.index(e)] if e in RARE_EARTHS else np.asarray(0.0)
        for e in DEMAND_ELEMENTS
    }
    ask = c.basis_shares()
    basis_demand = sum((demand_el[e] for e in ask), zeros)
    target = sum((np.asarray(x)[..., None] * demand_el[e] for e, x in ask.items()), zeros)
    if c.target_basis == "elements":  # each element to its own share: no surplus carries over
        count = lambda out: sum(
            (np.minimum(out[e], np.asarray(x)[..., None] * demand_el[e]) for e, x in ask.items()),
            zeros,
        )
    else:
        count = lambda out: sum((out[e] for e in ask), zeros)
    counted, basis_all = count(output_el), count(all_el)
    # the multiple of the design output the target needs at full output, in each year: for
    # 'elements', the element furthest from its own target decides
    if c.target_basis == "elements":
        needed = np.max(
            np.stack(
                np.broadcast_arrays(
                    *[
                        safe_ratio(
                            np.asarray(x)[..., None] * demand_el[e],
                            plate[e][..., None] + 0.0 * demand_el[e],
                            np.inf,
                        )
                        for e, x in ask.items()
                    ]
                ),
                axis=0,
            ),
            axis=0,
        )
    else:
        basis_plate = sum((plate[e] for e in ask), np.asarray(0.0))[..., None]
        needed = safe_ratio(target, basis_plate + zeros, np.inf)
    nameplate_on_spec = sum(plate.values(), np.asarray(0.0)) + 0.0 * nameplate
    return Projection(
        years,
        names,
        supply * t + zeros[..., None, :],
        domestic * t + zeros[..., None, :],
        intake * t + zeros[..., None, :],
        products,
        {k: v + zeros for k, v in routes.items()},
        reo + zeros,
        counted + zeros,
        off + zeros,
        basis_all + zeros,
        installed + zeros,
        supported + zeros,
        basis_demand,
        total_demand + zeros,
        demand_el,
        output_el,
        target,
        safe_ratio(reo + zeros, nameplate[..., None] + zeros),
        nameplate,
        nameplate_on_spec,
        np.where(np.isfinite(needed), needed, np.nan) + zeros,
        design * t,
        c.target_year,
        c.target_share,
        c.target_basis,
        ask,
        {name: a.share for name, a in c.demand.applications.items()},
        c.reserve_months,
        {
            **{e: getattr(p.economics.oxide_prices, e) for e in RARE_EARTHS},
            **c.reserve_prices,
        },
        plan,
    )
