"""Process-economics model of a rare-earth recycling and refining plant.

Public entry points::

    import plant
    params = plant.load_params()              # params/base.toml
    result = plant.run(params)                # FlowsheetResult
    result.summary()                          # the JSON-contract dictionary
"""
from plant.errors import PlantError, ParamError
from plant.model import load_params, run

__all__ = ["PlantError", "ParamError", "load_params", "run"]
