"""Tabular MDPs: the validated model, seeded generators and exact solvers (Numba sweeps)."""
from .generators import (
                      as_generator,
                      azar_hard_instance,
                      chain,
                      garnet,
                      gridworld,
                      load_bridge,
                      random_tree_mdp,
                      river_swim,
                      tree_mdp,
)
from .model import TabularMDP, row_sum_tolerance
from .random_gap import random_gap_mdp
from .solvers import (
                      FiniteHorizonResult,
                      SolverResult,
                      backward_induction,
                      bellman_optimality,
                      bellman_q,
                      finite_horizon_policy_evaluation,
                      greedy_policy,
                      policy_evaluation,
                      policy_iteration,
                      policy_matrix,
                      q_of_policy,
                      uniform_policy,
                      value_iteration,
)

__all__ = ["as_generator", "azar_hard_instance", "chain", "garnet", "gridworld", "load_bridge", "random_gap_mdp",
           "random_tree_mdp",
           "river_swim", "tree_mdp",
           "TabularMDP", "row_sum_tolerance", "FiniteHorizonResult", "SolverResult", "backward_induction",
           "bellman_optimality", "bellman_q", "finite_horizon_policy_evaluation", "greedy_policy",
           "policy_evaluation", "policy_iteration", "policy_matrix", "q_of_policy", "uniform_policy",
           "value_iteration"]
