"""Uncertainty and decisions on the plant model: distributions of uncertain parameters, Monte Carlo,
sensitivity (tornado, Sobol, Morris) and optimisation of design choices, all through batch
evaluation."""
