"""B5's second worst-case family: mixed gaps, so that a policy that can lock onto a bad arm pays more than
sqrt(K T log T)."""
import numpy as np

from tabular_envs.bandits.instances import bernoulli_bandit

MIXED_K = 3


def mixed_gap_family(T: int, name: str):
    """Three Bernoulli arms for horizon T: a bad arm first (mean 0.1, worse than the best by the constant 0.4),
    then a near-optimal arm at 0.5 - sqrt(K/T) (the gap order of the sqrt(K T) family) and the best arm at 0.5.

    Slivkins' worst-case bound holds on every instance, so any family is fair; this one has teeth. With
    gap sqrt(K/T) on every suboptimal arm (the classic family), any policy's regret is at most T sqrt(K/T) = sqrt(K T),
    so greedy play passes. Here greedy (UCB1 with c = 0) locks onto the bad arm when both good arms' first pulls
    give 0 (probability about 0.5^2 = 0.25), and explore-then-commit with one pull per arm commits to it when its
    single reward is 1, or when all three are 0 (ties go to the lowest index; about 0.1 + 0.9 x 0.25): both pay about
    a constant times T."""
    means = np.array([0.1, 0.5 - np.sqrt(MIXED_K / T), 0.5])
    return bernoulli_bandit(means, name=name)
