"""tabular_envs: what is simulated. Validated tabular MDPs and bandit instances, generators, exact solvers,
Numba simulators and public Hypothesis strategies (``tabular_envs.strategies``, imported on demand)."""
from ._numba_cache import drop_stale_kernel_cache
from ._threading import prefer_fork_safe_threading_layer

drop_stale_kernel_cache()  # before any kernel module is imported
prefer_fork_safe_threading_layer()  # before any parallel kernel runs

from .bandits.instances import BanditInstance, bernoulli_bandit, gaussian_bandit
from .bandits.simulate import ALGORITHMS, SimulationResult, default_params, log_checkpoints, simulate  # noqa: E402
from .errors import InvalidBanditError, InvalidMDPError, InvalidPolicyError, SolverError, TabularEnvError
from .mdp.generators import (
                      azar_hard_instance,
                      chain,
                      garnet,
                      gridworld,
                      load_bridge,
                      random_tree_mdp,
                      river_swim,
                      tree_mdp,
)
from .mdp.model import TabularMDP, row_sum_tolerance
from .mdp.random_gap import random_gap_mdp
from .mdp.solvers import (
                      SolverResult,
                      backward_induction,
                      bellman_optimality,
                      bellman_q,
                      greedy_policy,
                      policy_evaluation,
                      policy_iteration,
                      q_of_policy,
                      uniform_policy,
                      value_iteration,
)
from .mdp.user_models import as_episodic, diameter, episodic_garnet, episodic_river_swim, optimal_gain

__all__ = [
    "ALGORITHMS", "SimulationResult", "default_params", "log_checkpoints", "simulate",
    "BanditInstance", "bernoulli_bandit", "gaussian_bandit",
    "InvalidBanditError", "InvalidMDPError", "InvalidPolicyError", "SolverError", "TabularEnvError",
    "azar_hard_instance", "chain", "garnet", "gridworld", "load_bridge", "random_gap_mdp", "random_tree_mdp",
    "river_swim", "tree_mdp",
    "TabularMDP", "row_sum_tolerance",
    "SolverResult", "backward_induction", "bellman_optimality", "bellman_q", "greedy_policy",
    "policy_evaluation", "policy_iteration", "q_of_policy", "uniform_policy", "value_iteration",
    "optimal_gain", "diameter", "as_episodic", "episodic_river_swim", "episodic_garnet",
]
