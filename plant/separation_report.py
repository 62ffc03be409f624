"""The separation train as run, for the JSON contract (``separation_train``): each
solvent-extraction circuit with its cut, stages, flows, organic inventory, reagents and cost
items."""

from __future__ import annotations

import numpy as np

from plant.flowsheets.result import FlowsheetResult


def separation_train(result: FlowsheetResult, capex, reagent_prices: dict, designed: bool) -> list:
    """One entry per circuit, in the order the train runs them: ``circuit`` (its section of
    ``[solvent_extraction]``), ``unit``, ``cut`` ('Nd|Dy'), ``elements`` (rare earths it takes),
    ``designed`` (stages and flows designed for its feed, else as its section states), ``stages``
    (extraction, scrub, strip), ``feed_m3_per_h``, ``organic_m3_per_h``, ``scrub_trim`` (the
    controller's trim on its scrub flow [-]), ``organic_inventory_t`` (extractant and diluent
    held), ``reagents_t_per_yr`` (100 % basis), ``reagents_usd_per_yr`` and
    ``installed_equipment_usd`` (mixer-settlers and organic tank) at the capex's prices."""
    out = []
    for name, unit in result.units.items():
        rec = getattr(unit, "circuit", None)
        if rec is None:
            continue
        tonnes = {r: result.annual_t(kg) for r, kg in unit.reagents.items()}
        out.append(
            {
                "circuit": rec.circuit,
                "unit": name,
                "cut": None if rec.cut is None else "|".join(rec.cut),
                "elements": [c for c in rec.components if c in rec.to_strip],
                "designed": designed,
                "stages": {
                    "extraction": rec.n_extraction,
                    "scrub": rec.n_scrub,
                    "strip": rec.n_strip,
                },
                "feed_m3_per_h": rec.feed_m3_per_s * 3600.0,
                "organic_m3_per_h": rec.organic_m3_per_s * 3600.0,
                "scrub_trim": rec.scrub_trim,
                "organic_inventory_t": sum(unit.inventory.values(), np.asarray(0.0)) / 1000.0,
                "reagents_t_per_yr": tonnes,
                "reagents_usd_per_yr": sum(
                    (t * 1000.0 * np.asarray(reagent_prices[r]) for r, t in tonnes.items()),
                    np.asarray(0.0),
                ),
                "installed_equipment_usd": sum(
                    (priced.installed for line, priced in capex.equipment if line.unit == name),
                    np.asarray(0.0),
                ),
            }
        )
    return out
