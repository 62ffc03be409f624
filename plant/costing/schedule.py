"""The build schedule: when capital is spent and capacity comes on line, year by year.

The plant is built as a pilot train followed by ``trains`` full trains (``economics.build``). Year 0
is ``start_year``, the first year of spending; every train is built over the years of
``finance.construction_spend`` and then ramps up by ``finance.ramp_up``. The pilot (``pilot_share``
of the nameplate capacity) comes on line first, at the end of construction; the full trains, which
share the rest of the nameplate equally, follow ``pilot_lead`` years later and then one every
``train_interval`` years. Without a pilot (share 0) the first full train comes on line first. The
pilot stays in service as part of the plant. Each train costs its share of the fixed capital [E]:
building in stages gives up the economy of scale of one build, which is not counted.

The horizon is the construction years plus ``finance.plant_life`` operating years counted from the
first train on line; later trains run to the same end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from plant.costing.parameters import BuildParams, FinanceParams
from plant.errors import ParamError


@dataclass(frozen=True)
class Schedule:
    """Year-by-year build schedule, year 0 = ``years[0]`` (calendar) [-].

    spend : share of the fixed capital spent each year; built : share of the nameplate on line;
    installed : capacity factor of the nameplate (trains on line, each ramping up);
    first_operation : index of the first operating year (the construction years before it);
    trains : (name, share of nameplate, index of its first operating year) of each train
    """

    years: np.ndarray
    spend: np.ndarray
    built: np.ndarray
    installed: np.ndarray
    first_operation: int
    trains: tuple[tuple[str, float, int], ...]


def trains(b: BuildParams, construction_years: int) -> tuple[tuple[str, float, int], ...]:
    """(name, share of nameplate, first operating year index) of the pilot (if any) and each full
    train."""
    C = construction_years
    out = []
    first_full = C
    pilot = np.asarray(b.pilot_share) > 0
    if pilot.any() and not pilot.all():
        raise ParamError(
            "the build schedule",
            f"{b.where}.pilot_share",
            "the same build plan in every sample: a pilot (share above 0) in all of them or in "
            "none (a pilot moves the full trains' years)",
            b.pilot_share,
        )
    if pilot.any():
        out.append(("pilot", b.pilot_share, C))
        first_full = C + b.pilot_lead
    share = (1.0 - b.pilot_share) / b.trains
    out += [(f"train {k + 1}", share, first_full + k * b.train_interval) for k in range(b.trains)]
    return tuple(out)


def schedule(b: BuildParams, f: FinanceParams) -> Schedule:
    """The schedule of ``b`` with the construction profile, ramp-up and plant life of ``f``."""
    C, L = len(f.construction_spend), f.plant_life
    n = C + L
    batch = np.shape(b.pilot_share)
    spend, built, installed = np.zeros(batch + (n,)), np.zeros(batch + (n,)), np.zeros(batch + (n,))
    ramp = np.ones(L)
    ramp[: min(len(f.ramp_up), L)] = f.ramp_up[:L]
    plan = trains(b, C)
    last = plan[-1][2]
    if last >= n:
        raise ParamError(
            "the build schedule",
            f"{b.where}.train_interval",
            f"every train on line within the plant life ({L} years after the first)",
            given_text=f"the last train {last - C} years after the first",
        )
    for _, share, start in plan:
        share = np.asarray(share, dtype=float)[..., None]
        spend[..., start - C : start] += share * np.asarray(f.construction_spend)
        built[..., start:] += share
        installed[..., start:] += share * ramp[: n - start]
    return Schedule(b.start_year + np.arange(n), spend, built, installed, C, plan)


def single_build(f: FinanceParams, start_year: int = 0) -> Schedule:
    """The whole plant built at once, as one train with no pilot."""
    return schedule(
        BuildParams(
            start_year=start_year, pilot_share=0.0, pilot_lead=0, trains=1, train_interval=0
        ),
        f,
    )
