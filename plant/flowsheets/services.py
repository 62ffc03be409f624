"""Plant-wide services outside the units: reagent storage and effluent treatment (``[services]``).

Their equipment is typed like the units' (:mod:`plant.units.equipment`) and is attached to the
flowsheet result (:attr:`FlowsheetResult.services`, area -> equipment): the energy layer adds the
drives, the costing layer prices them.

The effluent (the aqueous liquors that leave the units) takes one of two routes:

- ``discharge``: neutralised in a stirred tank, the hydroxides settled in a clarifier at
  ``clarifier_rise_rate``, and discharged within the effluent standard; the NH3-N the effluent
  carries is checked against the standard's limit;
- ``zld``: zero liquid discharge. An evaporator-crystalliser (mechanical vapour compression) turns
  it into condensate (its reuse as process water is not credited) and a mixed salt, landfilled with
  the solid residue (as radioactive waste where its Th or U make it so); its electricity is
  ``zld_specific_energy`` per m3.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from plant import params as P
from plant.flowsheets.radioactivity import actinide_share, activity, is_radioactive
from plant.numerics import safe_ratio
from plant.reagents import REAGENTS
from plant.thermo import atomic_weight
from plant.units.common import WATER_DENSITY
from plant.units.equipment import (
    Agitator,
    Clarifier,
    Equipment,
    EvaporatorCrystalliser,
    NeutralisationTank,
    StorageTank,
)

ROUTES = ("discharge", "zld")
"""The effluent routes."""


@dataclass(frozen=True)
class ServicesParams:
    """Plant-wide services.

    storage_time : reagent use held in storage [s]
    effluent_route : 'discharge' or 'zld' (see the module doc)
    effluent_hold_time : residence time of the effluent neutralisation tank [s]
    zld_specific_energy : electricity of the evaporator-crystalliser per m3 of effluent [J/m3]
        (TOML in kWh/m^3)
    clarifier_rise_rate : overflow rate of the effluent clarifier [m/s] (TOML in m/h)
    ammonia_nitrogen_limit : NH3-N the discharged effluent may hold [kg/m3] (TOML in mg/L)
    exemption_activity : Th-232 or U-238 activity above which a waste output is radioactive waste
        [Bq/kg] (TOML in Bq/g)
    source_material_share : uranium plus thorium share of a feed above which it is nuclear source
        material, to be licensed [-]
    """

    storage_time: float = P.quantity("storage_time", "s", lo=0.0)
    effluent_route: str = P.choice("effluent_route", ROUTES)
    effluent_hold_time: float = P.quantity("effluent_hold_time", "s", positive=True)
    zld_specific_energy: float = P.quantity("zld_specific_energy", "J/m^3", lo=0.0)
    clarifier_rise_rate: float = P.quantity("clarifier_rise_rate", "m/s", positive=True)
    ammonia_nitrogen_limit: float = P.quantity("ammonia_nitrogen_limit", "kg/m^3", lo=0.0)
    exemption_activity: float = P.quantity("exemption_activity", "Bq/kg", positive=True)
    source_material_share: float = P.fraction("source_material_share")
    where: str = P.where_field()


def effluent_m3_per_s(result) -> np.ndarray:
    """Aqueous effluent of a FlowsheetResult to treatment [m3/s, operating rate]."""
    return result.effluent_to_treatment() / WATER_DENSITY


def ammonia_nitrogen(result) -> np.ndarray:
    """NH3-N of the effluent to treatment [kg/m3]: the nitrogen of its dissolved ammonium and
    ammonia."""
    n = result.effluent_element("N") * atomic_weight("N")
    return safe_ratio(n, effluent_m3_per_s(result))


def effluent_summary(result, p: ServicesParams) -> dict:
    """The ``effluent`` keys of the JSON contract: route, flow to treatment [m3/d], its NH3-N and
    the limit [mg/L], whether what is discharged meets the limit (always on the 'zld' route), and
    the salt a 'zld' route landfills [t/yr]."""
    nh3 = ammonia_nitrogen(result)
    zld = p.effluent_route == "zld"
    salt = result.effluent_salts()
    return {
        "route": p.effluent_route,
        "flow_m3_per_d": effluent_m3_per_s(result) * 86400.0,
        "ammonia_nitrogen_mg_per_l": nh3 * 1000.0,
        "ammonia_nitrogen_limit_mg_per_l": np.asarray(p.ammonia_nitrogen_limit) * 1000.0,
        "within_limits": np.asarray(zld) | (nh3 <= np.asarray(p.ammonia_nitrogen_limit)),
        "salt_t_per_yr": result.annual_t(salt) if zld else np.zeros_like(nh3),
    }


def effluent(result, p: ServicesParams) -> tuple[Equipment, ...]:
    """The neutralisation tank of the effluent, its agitator and clarifier, and on the ``zld``
    route the evaporator-crystalliser."""
    flow = effluent_m3_per_s(result)
    volume = flow * p.effluent_hold_time
    items: tuple[Equipment, ...] = (
        NeutralisationTank(volume),
        Agitator(volume),
        Clarifier(flow / p.clarifier_rise_rate),
    )
    if p.effluent_route == "zld":
        items += (EvaporatorCrystalliser(flow, np.asarray(p.zld_specific_energy)),)
    return items


def residues_summary(result, p: ServicesParams) -> dict:
    """The ``residues`` keys of the JSON contract: each waste output that carries Th or U, with its
    flow [t/yr], Th-232 and U-238 activity [Bq/g] and whether it is radioactive waste; the
    radioactive residue [t/yr]; and each purchased feed's U + Th share and whether it is nuclear
    source material."""
    outputs = {
        name: {
            "t_per_yr": result.annual_t(s.mass_flow),
            "th232_bq_per_g": activity(s, "Th") / 1000.0,  # per g of dry solids in a cake
            "u238_bq_per_g": activity(s, "U") / 1000.0,
            "radioactive": is_radioactive(s, p.exemption_activity),
        }
        for name, s in result.waste().items()
        if np.any(actinide_share(s) > 0)
    }
    feeds = {
        name: {
            "uranium_thorium_share": actinide_share(s),
            "nuclear_source_material": actinide_share(s) >= np.asarray(p.source_material_share),
        }
        for name, s in result.purchased.items()
    }
    return {
        "exemption_bq_per_g": np.asarray(p.exemption_activity) / 1000.0,
        "source_material_share": np.asarray(p.source_material_share),
        "radioactive_residue_t_per_yr": result.annual_t(result.discharges()["radioactive_residue"]),
        "zld_salts_radioactive": np.asarray(result.effluent_route == "zld")
        & result.salt_activity_above_exemption(),
        "outputs": outputs,
        "feeds": feeds,
    }


def storage(result, storage_time) -> tuple[Equipment, ...]:
    """A tank for each reagent stored as a solution that the plant uses, holding ``storage_time``
    [s] of its use."""
    use = result.reagents()
    return tuple(
        StorageTank(use[name] * storage_time / (solution[0] * solution[1]), name)
        for name, r in REAGENTS.items()
        if (solution := r.solution) is not None and np.any(use[name] > 0)
    )


def with_services(result, p: ServicesParams):
    """``result`` with its plant-wide services attached (area -> equipment) and its effluent on
    ``p``'s route."""
    routed = dataclasses.replace(
        result, effluent_route=p.effluent_route, exemption_activity=p.exemption_activity
    )
    return dataclasses.replace(
        routed,
        services={"storage": storage(routed, p.storage_time), "effluent": effluent(routed, p)},
    )
