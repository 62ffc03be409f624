"""Capacity against the domestic-demand target: the target's parameters (:mod:`.parameters`) and the
projection of output year by year (:mod:`.projection`)."""

from plant.capacity.parameters import CapacityParams, DemandParams
from plant.capacity.projection import CONCENTRATE, ROUTES, Projection, project, supply_yields

__all__ = [
    "CONCENTRATE",
    "ROUTES",
    "CapacityParams",
    "DemandParams",
    "Projection",
    "project",
    "supply_yields",
]
