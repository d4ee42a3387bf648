"""Sample-based tabular RL: the transition tape, a generative model, and agents that learn from samples.

The transition tape is the bandit reward tape's counterpart: the n-th sampled transition from (s, a) (at stage h
where transitions are stage-dependent) in replication i under a seed is a fixed function of (seed, i, h, s, a, n).
Two agents run on the same seed see the same next state on their n-th visit of (s, a), so comparisons use common
random numbers, and results depend neither on threads nor on workers.

The agents are imported from here (``from tabular_envs.rl import ucbvi, ucrl2``): one call each, taking the MDP as
arrays, checking every argument and returning a named tuple (``tabular_envs.rl.api``). The submodules of the same
names (``tabular_envs.rl.ucbvi`` ...) hold the kernels the claims run; import from them with ``from ... import``.
"""
from .api import generative_counts, rf_express, sqirl, synchronous_q_learning, td0, ucb_hoeffding, ucbvi, ucrl2
from .episodic import EpisodicModel, episodic_model
from .generative import empirical_model, generative_counts_reference
from .instances import combination_lock, stage_dependent_garnet
from .qlearning import SCHEDULES, learning_rate, synchronous_q_learning_reference
from .tape import next_state, transition_cdf, transition_key
from .td import stationary_distribution, td0_reference

__all__ = ["ucbvi", "ucb_hoeffding", "ucrl2", "rf_express", "sqirl", "synchronous_q_learning", "td0",
           "combination_lock", "stage_dependent_garnet",
           "generative_counts", "EpisodicModel", "episodic_model", "transition_cdf", "transition_key", "next_state",
           "generative_counts_reference", "empirical_model", "SCHEDULES", "learning_rate",
           "synchronous_q_learning_reference", "td0_reference", "stationary_distribution"]
