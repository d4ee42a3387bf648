"""The falsification of a uniform O~(1/eps) bound (a reviewer's objection on OpenReview): SQIRL with H = 1 and k = 1
on two Bernoulli arms is uniform sampling followed by the empirical best arm. With n pulls of each arm, means
1/2 + eps and 1/2 - eps (a wrong pick costs 2 eps > eps), its success probability is exact:
P(X > Y) + P(X = Y)/2 with X ~ Bin(n, 1/2 + eps), Y ~ Bin(n, 1/2 - eps) (ties broken by a fair coin)."""
import numpy as np
from scipy.stats import binom


def two_arm_success(n: int, eps: float) -> float:
    x = binom.pmf(np.arange(n + 1), n, 0.5 + eps)
    y = binom.pmf(np.arange(n + 1), n, 0.5 - eps)
    below = np.concatenate([[0.0], np.cumsum(y)[:-1]])              # P(Y < j)
    return float(x @ below + 0.5 * x @ y)


def pulls_for_success(eps: float, target: float) -> int:
    """The smallest n with two_arm_success(n, eps) >= target (doubling, then bisection; the success probability
    increases in n for these symmetric arms, and the answer is checked against n - 1)."""
    hi = 1
    while two_arm_success(hi, eps) < target:
        hi *= 2
    lo = hi // 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if two_arm_success(mid, eps) >= target:
            hi = mid
        else:
            lo = mid
    if hi > 1 and two_arm_success(hi - 1, eps) >= target:
        raise ArithmeticError(f"success probability not monotone near n = {hi} at eps = {eps}")
    return hi
