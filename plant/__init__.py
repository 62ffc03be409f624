"""Process-economics model of a rare-earth recycling and refining plant.

Public entry points::

    import plant
    params = plant.load_params()              # params/base.toml
    result = plant.run(params)                # FlowsheetResult: streams, units, products
    ev = plant.evaluate(params)               # Evaluation: flowsheet and economics
    plant.report.summary(ev)                  # the JSON-contract dictionary
"""

from plant import report
from plant.errors import ParamError, PlantError
from plant.model import evaluate, load_params, run

__all__ = ["PlantError", "ParamError", "evaluate", "load_params", "report", "run"]
