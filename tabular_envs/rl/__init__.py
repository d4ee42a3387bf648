"""Sample-based tabular RL: the transition tape, a generative model, and agents that learn from samples.

The transition tape is the bandit reward tape's counterpart: the n-th sampled transition from (s, a) (at stage h
where transitions are stage-dependent) in replication i under a seed is a fixed function of (seed, i, h, s, a, n).
Two agents run on the same seed see the same next state on their n-th visit of (s, a), so comparisons use common
random numbers, and results depend neither on threads nor on workers.
"""
from .generative import empirical_model, generative_counts, generative_counts_reference
from .qlearning import SCHEDULES, learning_rate, synchronous_q_learning, synchronous_q_learning_reference
from .tape import next_state, transition_cdf, transition_key
from .td import stationary_distribution, td0, td0_reference

__all__ = ["transition_cdf", "transition_key", "next_state", "generative_counts", "generative_counts_reference",
           "empirical_model", "SCHEDULES", "learning_rate", "synchronous_q_learning",
           "synchronous_q_learning_reference", "td0", "td0_reference", "stationary_distribution"]
