"""Stochastic and adversarial bandits: instances, the counter-based reward tape, Numba simulators (one kernel per
algorithm, replications in parallel) and adversarial learners shared by several claims."""
from .instances import FAMILIES, BanditInstance, bernoulli_bandit, gaussian_bandit
from .simulate import ALGORITHMS, SimulationResult, active_backend, default_params, log_checkpoints, simulate

__all__ = ["FAMILIES", "BanditInstance", "bernoulli_bandit", "gaussian_bandit", "ALGORITHMS", "SimulationResult",
           "default_params", "log_checkpoints", "simulate", "active_backend"]
