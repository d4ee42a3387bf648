"""Off-policy value estimators for a contextual bandit with exact moments by enumeration of small logs (Horvitz &
Thompson 1952; Dudik, Langford, Li 2011, ICML, doubly robust).

A log is n i.i.d. triples (x, a, r): x ~ p_x, a ~ mu(.|x), r ~ Bernoulli(R[x, a]). The value of pi is
V(pi) = sum_x p_x sum_a pi(a|x) R[x, a].
  IPS:  (1/n) sum_i r_i pi(a_i|x_i) / mu(a_i|x_i)      (unbiased when mu > 0 wherever pi > 0)
  DR:   (1/n) sum_i [ sum_a pi(a|x_i) q(x_i, a) + pi(a_i|x_i)/mu(a_i|x_i) (r_i - q(x_i, a_i)) ]   (unbiased for any q
        fixed in advance when mu is right)
Traps: "swapped" (mu/pi instead of pi/mu), "clipped" (weights capped at ``clip``), and DR with q fitted on the same
log (the empirical mean reward of each pair seen in the log, 0 elsewhere).
"""
from __future__ import annotations

from itertools import product

import numpy as np

from ..errors import TabularEnvError

__all__ = ["ESTIMATORS", "policy_value", "estimate", "exact_moments", "exact_moments_of"]

ESTIMATORS = ("ips", "dr", "swapped", "clipped", "dr_same_sample")


def policy_value(p_x, pi, R) -> float:
    return float(np.sum(np.asarray(p_x)[:, None] * np.asarray(pi) * np.asarray(R)))


def estimate(log, pi, mu, kind: str, q=None, clip: float = 2.0) -> float:
    """The estimate from one log (a list of (x, a, r))."""
    if kind not in ESTIMATORS:
        raise TabularEnvError(f"kind must be one of {ESTIMATORS}, got {kind!r}")
    pi, mu = np.asarray(pi, dtype=np.float64), np.asarray(mu, dtype=np.float64)
    if kind == "dr_same_sample":
        q = np.zeros(pi.shape)
        seen = {}
        for x, a, r in log:
            seen.setdefault((x, a), []).append(r)
        for (x, a), rs in seen.items():
            q[x, a] = np.mean(rs)
    total = 0.0
    for x, a, r in log:
        w = pi[x, a] / mu[x, a] if mu[x, a] > 0 else 0.0
        if kind == "ips":
            total += w * r
        elif kind == "swapped":
            total += (mu[x, a] / pi[x, a] if pi[x, a] > 0 else 0.0) * r
        elif kind == "clipped":
            total += min(w, clip) * r
        else:
            qq = np.asarray(q, dtype=np.float64)
            total += float(pi[x] @ qq[x]) + w * (r - qq[x, a])
    return total / len(log)


def exact_moments_of(estimator, p_x, mu, R, n: int) -> tuple[float, float]:
    """(E, Var) of ``estimator(log)`` (a list of n triples (x, a, r) in, a number out) over every log of n i.i.d.
    triples x ~ p_x, a ~ mu(.|x), r ~ Bernoulli(R[x, a]), each log weighted by its probability."""
    p_x, mu, R = (np.asarray(v, dtype=np.float64) for v in (p_x, mu, R))
    if not (isinstance(n, (int, np.integer)) and n >= 1):
        raise TabularEnvError(f"n must be a positive integer, got {n!r}")
    triples = [(x, a, r, p_x[x] * mu[x, a] * (R[x, a] if r else 1 - R[x, a]))
               for x in range(p_x.size) for a in range(mu.shape[1]) for r in (0, 1)]
    triples = [t for t in triples if t[3] > 0]
    m1 = m2 = 0.0
    for combo in product(triples, repeat=n):
        w = float(np.prod([t[3] for t in combo]))
        v = float(estimator([(t[0], t[1], t[2]) for t in combo]))
        m1 += w * v
        m2 += w * v * v
    return m1, m2 - m1 * m1


def exact_moments(p_x, mu, R, pi, n: int, kind: str, q=None, clip: float = 2.0) -> tuple[float, float]:
    """(E, Var) of the built-in estimator ``kind`` over every log of n triples (``exact_moments_of``)."""
    return exact_moments_of(lambda log: estimate(log, pi, mu, kind, q, clip), p_x, mu, R, n)
