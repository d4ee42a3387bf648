"""The characteristic time of fixed-confidence best-arm identification (Garivier & Kaufmann 2016, COLT, Theorem 1
and Section 2.2), Gaussian arms with known variance sigma^2:

    T*(mu)^{-1} = sup_{w in simplex} min_{a != 1} (w_1 w_a / (w_1 + w_a)) Delta_a^2 / (2 sigma^2),

and every delta-correct strategy has E[tau_delta] >= T*(mu) kl(delta, 1 - delta). Two routes: the equalisation
(at the optimum every term of the min is equal: for a common value c and a given w_1, w_a = c w_1 / (w_1 Delta_a^2 /
(2 sigma^2) - c), with c fixed by the sum of the weights; then a one-dimensional search over w_1), and a brute-force
grid over the simplex.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np
from scipy.optimize import brentq, minimize_scalar

from ..errors import TabularEnvError

__all__ = ["characteristic_time", "characteristic_time_grid", "allocation_value", "uniform_time", "kl_bernoulli",
           "kl_delta"]


def _gaps(mu, sigma):
    mu = np.asarray(mu, dtype=np.float64)
    order = np.argsort(-mu, kind="stable")
    if mu.size < 2 or mu[order[0]] == mu[order[1]] or not sigma > 0:
        raise TabularEnvError(f"need a unique best arm among >= 2 and sigma > 0, got mu={mu!r}, sigma={sigma!r}")
    return (mu[order[0]] - mu[order[1:]]) ** 2 / (2 * sigma ** 2)       # Delta_a^2 / (2 sigma^2), best first


def allocation_value(w, mu, sigma: float = 1.0) -> float:
    """min_{a != best} (w_best w_a / (w_best + w_a)) Delta_a^2 / (2 sigma^2) for weights in mu's order."""
    mu, w = np.asarray(mu, dtype=np.float64), np.asarray(w, dtype=np.float64)
    best = int(np.argmax(mu))
    g = (mu[best] - np.delete(mu, best)) ** 2 / (2 * sigma ** 2)
    wo = np.delete(w, best)
    return float(np.min(w[best] * wo / (w[best] + wo) * g))


def characteristic_time(mu, sigma: float = 1.0):
    """(T*, optimal weights in mu's order) by the equalisation route."""
    g = _gaps(mu, sigma)

    def weights(w1):
        # the common value c with w1 + sum_a c w1 / (w1 g_a - c) = 1, c in (0, w1 min g)
        top = w1 * g.min()
        c = brentq(lambda c: w1 + np.sum(c * w1 / (w1 * g - c)) - 1.0, 0.0, top * (1 - 1e-15), xtol=1e-300,
                   rtol=4 * np.finfo(float).eps, maxiter=500)
        return c, c * w1 / (w1 * g - c)
    res = minimize_scalar(lambda w1: -weights(w1)[0], bounds=(1e-9, 1 - 1e-9), method="bounded",
                          options={"xatol": 1e-13})
    c, others = weights(float(res.x))
    mu = np.asarray(mu, dtype=np.float64)
    order = np.argsort(-mu, kind="stable")
    w = np.empty(mu.size)
    w[order[0]] = float(res.x)
    w[order[1:]] = others
    return 1.0 / c, w


def characteristic_time_grid(mu, sigma: float = 1.0, step: int = 200) -> float:
    """T* from the best allocation on the grid {k / step} of the simplex (a lower bound on 1/T*, so T_grid >= T*)."""
    mu = np.asarray(mu, dtype=np.float64)
    K = mu.size
    best = int(np.argmax(mu))
    g = (mu[best] - np.delete(mu, best)) ** 2 / (2 * sigma ** 2)
    # stars and bars: K - 1 bar positions among step + K - 1 slots
    bars = np.array(list(combinations(range(step + K - 1), K - 1)), dtype=np.int64)
    edges = np.hstack([np.full((bars.shape[0], 1), -1), bars, np.full((bars.shape[0], 1), step + K - 1)])
    w = (np.diff(edges, axis=1) - 1) / step
    wb = w[:, best][:, None]
    wo = np.delete(w, best, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        vals = np.min(np.where(wb + wo > 0, wb * wo / (wb + wo), 0.0) * g, axis=1)
    return 1.0 / float(vals.max())


def uniform_time(mu, sigma: float = 1.0) -> float:
    """1 / allocation_value(uniform): the characteristic time of uniform sampling."""
    mu = np.asarray(mu, dtype=np.float64)
    return 1.0 / allocation_value(np.full(mu.size, 1.0 / mu.size), mu, sigma)


def kl_bernoulli(x: float, y: float) -> float:
    return float(x * np.log(x / y) + (1 - x) * np.log((1 - x) / (1 - y)))


def kl_delta(log_inv_delta: float) -> float:
    """kl(delta, 1 - delta) = (1 - 2 delta) log((1 - delta)/delta), from L = log(1/delta) without forming 1 - delta
    (which rounds to 1 for delta below 1e-16)."""
    d = float(np.exp(-log_inv_delta))
    return (1 - 2 * d) * (log_inv_delta + float(np.log1p(-d)))
