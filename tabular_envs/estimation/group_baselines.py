"""Group-baseline policy-gradient estimators for a softmax policy over K responses with binary rewards, and their
exact expectations by enumeration of all K^N groups (derived; the biases Dr. GRPO, Liu et al. 2025, discusses).

g = (1/N) sum_i A_i grad log pi(y_i), grad_theta log pi(y) = e_y - pi, with the advantage A_i of sample i:
  "rloo"   r_i - mean_{j != i} r_j          (leave-one-out: E g = grad J)
  "mean"   r_i - rbar                        (the sample in its own baseline: E g = ((N - 1)/N) grad J)
  "std"    (r_i - rbar) / std(r)             (0 on a constant group; E g = w_N(p) grad J, p = J)
grad J = pi * (r - J). ``ddof`` is the std's degrees-of-freedom correction (0: population, 1: sample).
"""
from __future__ import annotations

from itertools import product
from math import comb

import numpy as np

from ..errors import TabularEnvError

__all__ = ["ESTIMATORS", "group_advantages", "expected_gradient", "expected_gradient_of", "policy_gradient_of_success",
           "std_weight", "expected_double_normalised_gradient"]

ESTIMATORS = ("rloo", "mean", "std")


def group_advantages(r, kind: str, ddof: int = 0, zero_on_constant: bool = True) -> np.ndarray:
    """The advantages of one group of N rewards. ``zero_on_constant=False`` divides 0 by 0 on a constant group (the
    trap: NaN)."""
    r = np.asarray(r, dtype=np.float64)
    N = r.size
    if kind not in ESTIMATORS:
        raise TabularEnvError(f"kind must be one of {ESTIMATORS}, got {kind!r}")
    if N < 2:
        raise TabularEnvError(f"a group needs at least 2 samples, got {N}")
    if kind == "rloo":
        return r - (r.sum() - r) / (N - 1)
    centred = r - r.mean()
    if kind == "mean":
        return centred
    sd = float(np.sqrt(np.sum(centred ** 2) / (N - ddof)))
    if sd == 0.0 and zero_on_constant:
        return np.zeros(N)
    with np.errstate(invalid="ignore", divide="ignore"):
        return centred / sd


def policy_gradient_of_success(theta, rewards) -> np.ndarray:
    """grad_theta J, J = sum_y pi_y r_y: pi * (r - J)."""
    theta = np.asarray(theta, dtype=np.float64)
    pi = np.exp(theta - theta.max())
    pi /= pi.sum()
    r = np.asarray(rewards, dtype=np.float64)
    return pi * (r - pi @ r)


def expected_gradient_of(advantages, theta, rewards, N: int) -> np.ndarray:
    """E[g], g = (1/N) sum_i A_i (e_{y_i} - pi), for any advantage function ``advantages(group rewards) -> A`` (one
    group of N float64 rewards in, N advantages out), by enumerating every group (y_1, ..., y_N) of K^N with its
    probability prod pi(y_i). The function is called on a fresh array per group."""
    theta = np.asarray(theta, dtype=np.float64)
    r = np.asarray(rewards, dtype=np.float64)
    if theta.shape != r.shape or theta.ndim != 1:
        raise TabularEnvError(f"theta and rewards must be vectors of the same length, got {theta.shape}, {r.shape}")
    if not (isinstance(N, (int, np.integer)) and N >= 2):
        raise TabularEnvError(f"N must be an integer >= 2, got {N!r}")
    pi = np.exp(theta - theta.max())
    pi /= pi.sum()
    K = pi.size
    eye = np.eye(K)
    total = np.zeros(K)
    for ys in product(range(K), repeat=N):
        ys = np.array(ys)
        A = np.asarray(advantages(r[ys].copy()), dtype=np.float64)
        if A.shape != (N,):
            raise TabularEnvError(f"the advantage function returned shape {A.shape} for a group of {N} rewards")
        total += np.prod(pi[ys]) * (A[:, None] * (eye[ys] - pi)).sum(axis=0) / N
    return total


def expected_gradient(theta, rewards, N: int, kind: str, ddof: int = 0, zero_on_constant: bool = True
                      ) -> np.ndarray:
    """E[g] of the built-in estimator ``kind`` (``expected_gradient_of`` with ``group_advantages``)."""
    return expected_gradient_of(lambda g: group_advantages(g, kind, ddof, zero_on_constant), theta, rewards, N)


def std_weight(p: float, N: int, ddof: int = 0) -> float:
    """w_N(p) = a(1) - a(0), a(b) = E[A_i | r_i = b] with the other N - 1 rewards Binomial(N - 1, p): the factor of the
    std-normalised estimator (E g = w_N(p) grad J), as a finite sum (no enumeration of groups)."""
    def a(own):
        total = 0.0
        for k in range(N):                      # successes among the other N - 1
            m = k + own                         # successes in the group
            sd = np.sqrt(m * (N - m) / N ** 2 * N / (N - ddof))   # sqrt(sum (r - rbar)^2 / (N - ddof))
            if sd == 0:
                continue                        # a constant group: A = 0
            total += comb(N - 1, k) * p ** k * (1 - p) ** (N - 1 - k) * (own - m / N) / sd
        return total
    return a(1) - a(0)


def expected_double_normalised_gradient(thetas, rewards, N: int) -> np.ndarray:
    """The trap of double normalisation: each prompt's group is std-normalised (population std, 0 on a constant
    group), then all B N advantages of the batch are normalised again by their batch mean and population std
    (0 when they are all equal). Returns E[g_b] for every prompt b (B x K), by enumerating all K^(B N) batches.
    Each E[g_b] is still parallel to grad J_b (A depends on y only through r), but its factor depends on the other
    prompts' success probabilities, not on p_b alone."""
    thetas = [np.asarray(t, dtype=np.float64) for t in thetas]
    r = np.asarray(rewards, dtype=np.float64)
    B, K = len(thetas), r.size
    if B < 1 or any(t.shape != r.shape for t in thetas) or r.ndim != 1:
        raise TabularEnvError("thetas must be a list of logit vectors of the rewards' length")
    pis = [np.exp(t - t.max()) / np.exp(t - t.max()).sum() for t in thetas]
    total = np.zeros((B, K))
    eye = np.eye(K)
    for ys in product(range(K), repeat=B * N):
        ys = np.array(ys).reshape(B, N)
        A = np.concatenate([group_advantages(r[ys[b]], "std") for b in range(B)])
        sd = float(np.std(A))
        A = (A - A.mean()) / sd if sd > 0 else np.zeros_like(A)
        prob = np.prod([np.prod(pis[b][ys[b]]) for b in range(B)])
        for b in range(B):
            g = (A[b * N:(b + 1) * N, None] * (eye[ys[b]] - pis[b])).sum(axis=0) / N
            total[b] += prob * g
    return total
