"""The Gittins index of a Bernoulli arm with a Beta(a, b) posterior at discount g, by calibration (Gittins 1979;
Gittins, Glazebrook, Weber 2011, Ch. 8): the retirement reward lambda (per step, received forever after retiring) at
which retiring and pulling once more are indifferent,

    V(a, b) = max( lambda / (1 - g),  p + g [p V(a + 1, b) + (1 - p) V(a, b + 1)] ),   p = a / (a + b),

solved backwards over the posterior counts up to ``depth`` further pulls, with lambda found by bisection. Beyond the
depth the value is bounded below by max(lambda, p) / (1 - g) (stop learning) and above by max(lambda, 1) / (1 - g):
the two give a lower and an upper index, whose gap is the stated truncation error (it shrinks like g^depth).
"""
from __future__ import annotations

import numpy as np

from ..errors import TabularEnvError

__all__ = ["gittins_index", "ucb_like_index", "two_arm_bayes_q"]


def _continues(a: float, b: float, g: float, lam: float, depth: int, upper: bool) -> bool:
    """Whether pulling beats retiring at (a, b) when retirement pays lam per step."""
    n = np.arange(depth + 1)                     # successes among the `depth` further pulls
    aa = a + n
    p = aa / (a + b + depth)
    V = np.maximum(lam, 1.0 if upper else p) / (1 - g) * np.ones(depth + 1)
    retire = lam / (1 - g)
    for k in range(depth - 1, -1, -1):           # k further pulls so far: successes 0..k
        s = np.arange(k + 1)
        p = (a + s) / (a + b + k)
        cont = p + g * (p * V[1:k + 2] + (1 - p) * V[:k + 1])
        V = np.maximum(retire, cont)
        if k == 0:
            return bool(cont[0] > retire)
    return True


def gittins_index(a: float, b: float, g: float, depth: int = 2000, tol: float = 1e-10,
                  truncation: str = "lower") -> float:
    """The index by bisection on lambda in [a/(a+b), 1]; ``truncation``: "lower" or "upper" boundary value."""
    if not (a > 0 and b > 0 and 0 < g < 1 and depth >= 1):
        raise TabularEnvError(f"need a, b > 0, 0 < g < 1, depth >= 1; got a={a!r}, b={b!r}, g={g!r}, depth={depth!r}")
    lo, hi = a / (a + b), 1.0
    upper = truncation == "upper"
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if _continues(a, b, g, mid, depth, upper) else (lo, mid)
    return 0.5 * (lo + hi)


def ucb_like_index(a: float, b: float, g: float) -> float:
    """The trap: the posterior mean plus a UCB-like bonus (the posterior standard deviation times sqrt(2 log(1/(1-g))))
    in place of the calibrated index."""
    n = a + b
    mean = a / n
    return float(mean + np.sqrt(mean * (1 - mean) / (n + 1)) * np.sqrt(2 * np.log(1 / (1 - g))))


def two_arm_bayes_q(priors, g: float, depth: int, report_depth: int) -> dict:
    """The Bayes-optimal Q-values of a two-armed discounted Bernoulli bandit with independent Beta priors
    ``priors = ((a1, b1), (a2, b2))``, by backward induction over the joint belief tree (the belief MDP; Gittins,
    Glazebrook, Weber 2011, Sec. 1.3), truncated after ``depth`` pulls in all. The joint belief after k pulls is
    (n1, s1, s2): n1 pulls of arm 1 with s1 successes, k - n1 pulls of arm 2 with s2 successes. At the truncation
    the value lies between max(p1, p2)/(1 - g) (stop learning: pull the better posterior mean forever) and 1/(1 - g)
    (a success at every pull), so every Q-value below is bracketed, [Q_low, Q_up], with
    Q_up - Q_low <= g^(depth - k)/(1 - g).

    Returns ``states`` (m x 5: k, n1, s1, s2, and 0) for every belief with k <= ``report_depth`` and ``q_low``,
    ``q_up`` (m x 2)."""
    (a1, b1), (a2, b2) = priors
    if not (min(a1, b1, a2, b2) > 0 and 0 < g < 1 and isinstance(depth, int) and isinstance(report_depth, int)
            and 0 <= report_depth < depth):
        raise TabularEnvError(f"need Beta parameters > 0, 0 < g < 1 and 0 <= report_depth < depth, got {priors!r}, "
                              f"g={g!r}, depth={depth!r}, report_depth={report_depth!r}")
    def terminal(k, upper):
        if upper:
            return np.full((k + 1,) * 3, 1.0 / (1 - g))
        n1 = np.arange(k + 1)[:, None, None]
        s1 = np.arange(k + 1)[None, :, None]
        s2 = np.arange(k + 1)[None, None, :]
        p1 = (a1 + s1) / (a1 + b1 + n1)
        p2 = (a2 + s2) / (a2 + b2 + (k - n1))
        return np.broadcast_to(np.maximum(p1, p2), (k + 1,) * 3) / (1 - g)
    rows, q_low, q_up = [], [], []
    V = {False: terminal(depth, False), True: terminal(depth, True)}
    for k in range(depth - 1, -1, -1):
        n1 = np.arange(k + 1)[:, None, None]
        s1 = np.arange(k + 1)[None, :, None]
        s2 = np.arange(k + 1)[None, None, :]
        p1 = (a1 + s1) / (a1 + b1 + n1)
        p2 = (a2 + s2) / (a2 + b2 + (k - n1))
        Qs = {}
        for upper, W in V.items():
            # arm 1 moves (n1, s1, s2) to (n1 + 1, s1 + 1 or s1, s2); arm 2 to (n1, s1, s2 + 1 or s2)
            q1 = p1 * (1 + g * W[1:k + 2, 1:k + 2, :k + 1]) + (1 - p1) * g * W[1:k + 2, :k + 1, :k + 1]
            q2 = p2 * (1 + g * W[:k + 1, :k + 1, 1:k + 2]) + (1 - p2) * g * W[:k + 1, :k + 1, :k + 1]
            Qs[upper] = (q1, q2)
            V[upper] = np.maximum(q1, q2)
        if k <= report_depth:
            for i in range(k + 1):
                for j in range(i + 1):
                    for m in range(k - i + 1):
                        rows.append((k, i, j, m, 0))
                        q_low.append((Qs[False][0][i, j, m], Qs[False][1][i, j, m]))
                        q_up.append((Qs[True][0][i, j, m], Qs[True][1][i, j, m]))
    return {"states": np.array(rows, dtype=np.int64), "q_low": np.array(q_low), "q_up": np.array(q_up)}
