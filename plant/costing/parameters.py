"""Economic parameters (``[economics]`` in the params files), in SI plus USD.

Prices are per kg [USD/kg] unless named otherwise; rates and shares are
fractions [-]; money per time is USD/s inside (``"76485 TWD/month"`` in a
file). Values written in TWD convert with ``economics.exchange_rate``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import numpy as np

from plant import params as P
from plant.errors import ParamError
from plant.reagents import PRICED_PER_KG
from plant.species import default_registry
from plant.units.equipment import operator_groups

MAGNET_GRADE = re.compile(r"^N?\d{2}(M|H|SH|UH|EH|AH|TH)?$")
"""A sintered NdFeB grade: maximum energy product [MGOe], then its coercivity class (IEC 60404-8-1
naming as vendors use it: N42, 40H, 45SH, 38UH)."""


def _price(key: str, doc: str = ""):
    return P.quantity(key, "USD/kg", lo=0.0, doc=doc)


@dataclass(frozen=True)
class OxidePrices:
    """Price of each rare earth's oxide [USD/kg of oxide] (the oxide of plant.chemistry: Nd2O3,
    Pr6O11, Tb4O7, ...). A product is worth the sum of its oxides at these prices; the feed's
    contained value uses them too."""

    La: float = _price("La")
    Ce: float = _price("Ce")
    Pr: float = _price("Pr")
    Nd: float = _price("Nd")
    Sm: float = _price("Sm")
    Eu: float = _price("Eu")
    Gd: float = _price("Gd")
    Tb: float = _price("Tb")
    Dy: float = _price("Dy")
    Ho: float = _price("Ho")
    Y: float = _price("Y")
    where: str = P.where_field()


@dataclass(frozen=True)
class ProductPricing:
    """purity_spec : purity at or above which an oxide is on spec: it counts toward the target [-]
    grade_price : the price of an oxide by grade, ``{purity = [...], price_share = [...]}``: the
        share of its separated price (``oxide_prices``) an oxide of that purity fetches,
        piecewise linear between the points and flat beyond them, never falling with purity; so
        there is no price cliff at the spec
    magnet_grade : grade of the magnets the short loop makes (a key of ``magnet_prices``)"""

    purity_spec: float = P.fraction("purity_spec")
    grade_price: tuple = P.curve("grade_price", "purity", "price_share")
    magnet_grade: str = P.text("magnet_grade")
    where: str = P.where_field()

    def check(self, origin, prefix: str) -> None:
        """The price share never falls as purity rises."""
        share = np.asarray(self.grade_price[1], dtype=float)
        if np.any(np.diff(share) < 0):
            raise ParamError(
                origin("grade_price.price_share"),
                prefix + "grade_price.price_share",
                "price shares that never fall as purity rises",
                given_text=str(list(share)),
            )


@dataclass(frozen=True)
class FeedTerms:
    """What one supply is paid, like a purchase contract.

    form : 'bulk' (separated magnets, swarf or concentrate: nothing to dismantle) or 'parts' (whole
        parts the plant dismantles: its labour, ``disassembly_time`` > 0, and a lower payable)
    payable : share of the value of the recoverable rare earths paid [-]: recoverable are those
        that enter the process (what dismantling leaves in the parts is not paid), valued as their
        oxides at ``oxide_prices``
    treatment_charge : deducted per kg of material delivered [USD/kg]
    penalties : element -> deducted per kg of the element delivered [USD/kg] (Th, U, Fe, ...);
        optional
    source : where the terms come from
    """

    form: str = P.choice("form", ("bulk", "parts"))
    payable: float = P.fraction("payable")
    treatment_charge: float = _price("treatment_charge")
    source: str = P.text("source")
    penalties: dict | None = P.quantities("penalties", "USD/kg", optional=True)
    where: str = P.where_field()

    def check(self, origin, prefix: str) -> None:
        """Penalties name elements of the species file."""
        elements = default_registry().elements
        for e in self.penalties or {}:
            if e not in elements:
                near = difflib.get_close_matches(e, elements, n=1)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                raise ParamError(
                    origin(f"penalties.{e}"),
                    f"{prefix}penalties.{e}",
                    f"an element of the species file{hint}",
                    given_text=repr(e),
                )


@dataclass(frozen=True)
class FeedPricing:
    """How the feeds are paid for.

    basis : 'terms' (each supply on its ``terms``) or 'per_kg' (every supply at ``price`` per kg of
        material, a check on the terms)
    price : price per kg of material when basis = 'per_kg' [USD/kg]
    terms : supply name (a ``[feed.sources]`` entry, ``concentrate``) -> its :class:`FeedTerms`;
        every supply the plant can buy has terms
    """

    basis: str = P.choice("basis", ("terms", "per_kg"))
    price: float = _price("price")
    terms: dict = P.mapping("terms", FeedTerms)
    where: str = P.where_field()


@dataclass(frozen=True)
class UtilityPrices:
    """electricity [USD/J]; natural_gas [USD per normal m^3]; water [USD/m^3]"""

    electricity: float = P.quantity("electricity", "USD/J", lo=0.0)
    natural_gas: float = P.quantity("natural_gas", "USD/m^3", lo=0.0)
    water: float = P.quantity("water", "USD/m^3", lo=0.0)
    where: str = P.where_field()


ROLES = ("operators", "disassembly", "supervision", "laboratory", "maintenance", "administration")
"""The roles of the staffing plan (:mod:`plant.costing.staffing`), in the order reported."""


@dataclass(frozen=True)
class LabourParams:
    """The staffing plan (:mod:`plant.costing.staffing`) and its pay.

    wage : direct cost of one operator [USD/s], before burden ('76485 TWD/month')
    burden : employer's social charges and benefits on the wage [-]
    pay : role (:data:`ROLES`) -> its pay as a multiple of the operator wage [-]
    crews : people employed per position staffed around the clock [-]
    operators : operator positions per shift for each equipment group of the plant (an SX circuit,
        a filter, a train of tanks, ...) [-]
    minimum_operators : smallest number of operator positions per shift [-]
    working_hours : hours a day-shift worker (magnet disassembly) works in a year [s]
    supervisors_per_shift, analysts_per_shift : shift supervisors and laboratory analysts on every
        shift [-]
    supervision_day_staff, laboratory_day_staff : their day staff (engineers, chemists) [-]
    maintenance_labour_share : the labour part of the maintenance cost [-]
    administration_staff : management, HSE, purchasing, finance and HR [-]
    """

    wage: float = P.quantity("wage", "USD/s", positive=True)
    burden: float = P.number("burden", lo=0.0, hi=2.0)
    pay: dict = P.table("pay", ROLES, lo=0.1, hi=10.0)
    crews: float = P.number("crews", lo=1.0, hi=10.0)
    operators: dict = P.table("operators", operator_groups(), hi=None)
    minimum_operators: float = P.number("minimum_operators", lo=0.0, hi=100.0)
    working_hours: float = P.quantity("working_hours", "s", positive=True)
    supervisors_per_shift: float = P.number("supervisors_per_shift", lo=0.0, hi=100.0)
    supervision_day_staff: float = P.number("supervision_day_staff", lo=0.0, hi=1000.0)
    analysts_per_shift: float = P.number("analysts_per_shift", lo=0.0, hi=100.0)
    laboratory_day_staff: float = P.number("laboratory_day_staff", lo=0.0, hi=1000.0)
    maintenance_labour_share: float = P.fraction("maintenance_labour_share")
    administration_staff: float = P.number("administration_staff", lo=0.0, hi=1000.0)
    where: str = P.where_field()


@dataclass(frozen=True)
class OpexParams:
    """Fixed-cost rates and disposal prices.

    maintenance, insurance_and_tax : yearly cost as a share of fixed capital [-/yr]
    plant_overhead : share of labour (with supervision) plus maintenance [-]
    residue_disposal : per kg of solid residue (dry) [USD/kg]
    radioactive_disposal : per kg of radioactive residue (dry) [USD/kg]
    effluent_treatment : per m^3 of aqueous effluent [USD/m^3]
    """

    maintenance: float = P.number("maintenance", lo=0.0, hi=0.5)
    insurance_and_tax: float = P.number("insurance_and_tax", lo=0.0, hi=0.5)
    plant_overhead: float = P.number("plant_overhead", lo=0.0, hi=2.0)
    residue_disposal: float = _price("residue_disposal")
    radioactive_disposal: float = _price("radioactive_disposal")
    effluent_treatment: float = P.quantity("effluent_treatment", "USD/m^3", lo=0.0)
    where: str = P.where_field()


AACE_CLASSES = {
    5: ((-0.50, -0.20), (0.30, 1.00)),
    4: ((-0.30, -0.15), (0.20, 0.50)),
    3: ((-0.20, -0.10), (0.10, 0.30)),
    2: ((-0.15, -0.05), (0.05, 0.20)),
    1: ((-0.10, -0.03), (0.03, 0.15)),
}
"""AACE International RP 18R-97 estimate classes -> the span of their expected accuracy: (low
bound range, high bound range) as fractions of the estimate [S2, from summaries of the RP]."""


@dataclass(frozen=True)
class CapexParams:
    """Capital-cost build-up (:mod:`plant.costing.capex`).

    method : 'bare_module' (each item's installation factor, then the facilities outside them,
        indirect costs, owner's costs and contingency) or 'lang' (one Lang factor on the purchased
        equipment gives the fixed capital)
    lang_factor : fixed capital / purchased equipment cost [-]
    buildings, yard_improvements, service_facilities : process and auxiliary buildings; site
        development and yard; utilities (steam, cooling water, compressed air, power distribution,
        fire protection), each as a share of the installed equipment cost [-] (bare_module only)
    laboratory : the analytical laboratory's instruments [USD] (bare_module only)
    engineering, construction, contractor_fee : indirect costs as a share of the direct cost [-]
    location_factor : construction cost here / on the US Gulf Coast, where the correlations are
        based [-]
    owners_costs : owner's costs (studies, permits, owner's team, spares, training) as a share of
        the direct, indirect and location cost [-]
    contingency : share of everything before it [-]
    estimate_class : the AACE class of the estimate (1-5)
    accuracy_low, accuracy_high : the expected accuracy range of the fixed capital [-], within the
        span of the estimate class (:data:`AACE_CLASSES`)
    working_capital, startup : as a share of fixed capital [-]
    stock_time : working capital held in variable operating cost (stocks, receivables) [s]
    land : purchase of the site [USD], bought in the first construction year, recovered at the end
    """

    method: str = P.choice("method", ("bare_module", "lang"))
    lang_factor: float = P.number("lang_factor", lo=1.0, hi=10.0)
    buildings: float = P.number("buildings", lo=0.0, hi=2.0)
    yard_improvements: float = P.number("yard_improvements", lo=0.0, hi=2.0)
    service_facilities: float = P.number("service_facilities", lo=0.0, hi=2.0)
    laboratory: float = P.quantity("laboratory", "USD", lo=0.0)
    engineering: float = P.number("engineering", lo=0.0, hi=1.0)
    construction: float = P.number("construction", lo=0.0, hi=1.0)
    contractor_fee: float = P.number("contractor_fee", lo=0.0, hi=1.0)
    location_factor: float = P.number("location_factor", lo=0.2, hi=5.0)
    owners_costs: float = P.number("owners_costs", lo=0.0, hi=1.0)
    contingency: float = P.number("contingency", lo=0.0, hi=1.0)
    estimate_class: int = P.integer("estimate_class", lo=1, hi=5)
    accuracy_low: float = P.number("accuracy_low", lo=-1.0, hi=0.0)
    accuracy_high: float = P.number("accuracy_high", lo=0.0, hi=2.0)
    working_capital: float = P.number("working_capital", lo=0.0, hi=1.0)
    stock_time: float = P.quantity("stock_time", "s", lo=0.0)
    startup: float = P.number("startup", lo=0.0, hi=1.0)
    land: float = P.quantity("land", "USD", lo=0.0)
    where: str = P.where_field()

    def check(self, origin, prefix: str) -> None:
        """The accuracy range lies within the span of the estimate class."""
        (lo_min, lo_max), (hi_min, hi_max) = AACE_CLASSES[self.estimate_class]
        for key, value, (a, b) in (
            ("accuracy_low", self.accuracy_low, (lo_min, lo_max)),
            ("accuracy_high", self.accuracy_high, (hi_min, hi_max)),
        ):
            if np.any((np.asarray(value) < a - 1e-12) | (np.asarray(value) > b + 1e-12)):
                raise ParamError(
                    origin(key),
                    prefix + key,
                    f"between {a:+.0%} and {b:+.0%} for an AACE class {self.estimate_class} "
                    "estimate (RP 18R-97)",
                    value,
                )


@dataclass(frozen=True)
class FinanceParams:
    """Cash-flow settings.

    discount_rate : nominal rate the equity cash flow is discounted at [-/yr], > -1
    inflation : yearly escalation of prices, costs and capital spend from the analysis year [-/yr]
    plant_life : operating years [yr]
    construction_spend : share of fixed capital spent in each construction year (sums to 1)
    ramp_up : capacity factor of the first operating years (full output afterwards)
    tax_rate : income-tax rate on taxable profit [-]
    losses : 'carry_forward' (a stand-alone company offsets losses against later profits) or
        'credit' (a loss earns a tax credit the same year, as for a project inside a profitable
        group)
    depreciation : 'straight_line' or 'declining_balance' (double declining, half-year convention)
    depreciation_life : tax life of the fixed capital [yr]
    debt_share, debt_rate, debt_term : share of fixed capital borrowed, its interest rate, and the
        years over which it is repaid in equal instalments from the first operating year
    salvage : value of the fixed capital at the end of the plant life, share of fixed capital [-]
    grant : government capital grant, share of fixed capital, paid as it is spent [-]
    investment_credit : tax credit as a share of the capital spent on qualifying equipment [-]
    qualifying_share : share of the fixed-capital spend that is qualifying equipment [-]
    credit_cap : the most of a year's income tax the credit may offset [-]
    credit_until : last calendar year whose spend earns the credit
    """

    discount_rate: float = P.number("discount_rate", above=-1.0, hi=1.0)
    inflation: float = P.number("inflation", above=-1.0, hi=1.0)
    plant_life: int = P.integer("plant_life", lo=1, hi=60)
    construction_spend: tuple = P.fractions("construction_spend", total_one=True)
    ramp_up: tuple = P.fractions("ramp_up")
    tax_rate: float = P.fraction("tax_rate")
    losses: str = P.choice("losses", ("carry_forward", "credit"))
    depreciation: str = P.choice("depreciation", ("straight_line", "declining_balance"))
    depreciation_life: int = P.integer("depreciation_life", lo=1, hi=60)
    debt_share: float = P.fraction("debt_share")
    debt_rate: float = P.number("debt_rate", lo=0.0, hi=1.0)
    debt_term: int = P.integer("debt_term", lo=1, hi=60)
    salvage: float = P.fraction("salvage")
    grant: float = P.fraction("grant")
    investment_credit: float = P.fraction("investment_credit")
    qualifying_share: float = P.fraction("qualifying_share")
    credit_cap: float = P.fraction("credit_cap")
    credit_until: int = P.integer("credit_until", lo=1900, hi=2200)
    where: str = P.where_field()


@dataclass(frozen=True)
class BuildParams:
    """How the plant is built (see :mod:`plant.costing.schedule`).

    start_year : calendar year of the first capital spend
    pilot_share : nameplate share of the pilot train, on line first (0: no pilot) [-]
    pilot_lead : years the pilot runs before the first full train [yr]
    trains : full trains sharing the rest of the nameplate
    train_interval : years between full trains coming on line [yr]
    """

    start_year: int = P.integer("start_year", lo=1900, hi=2200)
    pilot_share: float = P.quantity("pilot_share", "", lo=0.0, hi=0.999)
    pilot_lead: int = P.integer("pilot_lead", lo=0, hi=30)
    trains: int = P.integer("trains", lo=1, hi=20)
    train_interval: int = P.integer("train_interval", lo=0, hi=30)
    where: str = P.where_field()


@dataclass(frozen=True)
class EconomicsParams:
    """Everything the costing layer reads besides the flowsheet result and the cost library.

    exchange_rate : TWD per USD [TWD/USD]; values written in TWD are converted with it
    magnet_prices : grade -> price of finished sintered magnets [USD/kg]
    reagents : reagent (:data:`plant.reagents.REAGENTS`) -> delivered price per kg of 100 % reagent
        [USD/kg]
    """

    exchange_rate: float = P.quantity("exchange_rate", "TWD/USD", positive=True)
    oxide_prices: OxidePrices = P.section("oxide_prices", OxidePrices)
    magnet_prices: dict = P.quantities("magnet_prices", "USD/kg")
    products: ProductPricing = P.section("products", ProductPricing)
    feed: FeedPricing = P.section("feed", FeedPricing)
    reagents: dict = P.table(
        "reagents",
        PRICED_PER_KG,
        unit="USD/kg",
        hi=None,
        doc="delivered price of each reagent of plant.reagents per kg of 100 % reagent",
    )
    utilities: UtilityPrices = P.section("utilities", UtilityPrices)
    labour: LabourParams = P.section("labour", LabourParams)
    opex: OpexParams = P.section("opex", OpexParams)
    capex: CapexParams = P.section("capex", CapexParams)
    finance: FinanceParams = P.section("finance", FinanceParams)
    build: BuildParams = P.section("build", BuildParams)
    where: str = P.where_field()

    def check(self, origin, prefix: str) -> None:
        """Every magnet price is for a sintered NdFeB grade ('N42', '40H', '45SH': energy product
        and coercivity class), and the grade made has a price."""
        for key in self.magnet_prices:
            if not MAGNET_GRADE.match(key):
                near = difflib.get_close_matches(
                    key.upper(),
                    [g.upper() for g in self.magnet_prices if MAGNET_GRADE.match(g)],
                    n=1,
                )
                hint = f"; did you mean {near[0]!r}?" if near else ""
                raise ParamError(
                    origin(f"magnet_prices.{key}"),
                    f"{prefix}magnet_prices.{key}",
                    "a sintered NdFeB grade such as 'N42', '40H' or '45SH' (two digits, then "
                    f"M, H, SH, UH, EH, AH or TH for the coercivity class){hint}",
                    given_text=f"{key!r}",
                )
        b, f = self.build, self.finance
        lead = b.pilot_lead if np.any(np.asarray(b.pilot_share) > 0) else 0
        last = lead + (b.trains - 1) * b.train_interval  # operating years after the first train
        if last >= f.plant_life:
            raise ParamError(
                origin("build.train_interval"),
                prefix + "build.train_interval",
                f"every train on line within the plant life ({f.plant_life} years after the first)",
                given_text=f"the last train {last} years after the first",
            )
        grade = self.products.magnet_grade
        if grade not in self.magnet_prices:
            raise ParamError(
                origin("products.magnet_grade"),
                prefix + "products.magnet_grade",
                f"a grade of [{prefix}magnet_prices] ({', '.join(self.magnet_prices)})",
                grade,
            )

    @property
    def magnet_price(self):
        """Price of the magnet grade the plant makes [USD/kg]."""
        return self.magnet_prices[self.products.magnet_grade]
