"""The single and double estimators of a maximum of means (van Hasselt 2010, NeurIPS, Sec. 2; Smith & Winkler 2006),
in expectation by quadrature, for Gaussian sample means Qhat_a ~ N(mu_a, sigma^2 / n) (independent).

single: E[max_a Qhat_a] >= max_a mu_a, with equality only without noise; at equal means the bias is sigma e_K / sqrt(n),
e_K = E[max of K standard normals]. double: Qhat^B at argmax Qhat^A (two independent sample sets):
E = sum_a P(argmax_b Qhat^A_b = a) mu_a <= max_a mu_a. The "same table" trap evaluates with the selecting set: it is
the single estimator again.
"""
from __future__ import annotations

import numpy as np
from scipy import integrate, stats

from ..errors import TabularEnvError

# the integrands vanish (below 1e-300) beyond 40 standard deviations of the means: integrate over that finite range,
# with the means as breakpoints, so a narrow peak far from 0 is not missed by an infinite-range rule
_WIDTH = 40.0
_QUAD = {"epsabs": 1e-14, "epsrel": 1e-13, "limit": 400}

__all__ = ["expected_max_standard_normals", "expected_max_by_cdf", "single_estimator", "double_estimator"]


def _check(means, sigma, n):
    m = np.asarray(means, dtype=np.float64)
    if m.ndim != 1 or m.size < 1 or not np.isfinite(m).all():
        raise TabularEnvError(f"means must be a finite vector, got {means!r}")
    if not (sigma > 0 and n >= 1):
        raise TabularEnvError(f"sigma must be positive and n >= 1, got {sigma!r}, {n!r}")
    return m, sigma / np.sqrt(n)


def expected_max_standard_normals(K: int) -> float:
    """e_K = int x K phi(x) Phi(x)^(K-1) dx (the density of the maximum)."""
    val, _ = integrate.quad(lambda x: x * K * stats.norm.pdf(x) * stats.norm.cdf(x) ** (K - 1), -_WIDTH, _WIDTH,
                            **_QUAD)
    return float(val)


def expected_max_by_cdf(means, sigma: float, n: int) -> float:
    """E[max_a Qhat_a] = int_0^inf (1 - F) - int_-inf^0 F, F(x) = prod_a Phi((x - mu_a) / s): a second route."""
    m, s = _check(means, sigma, n)

    def F(x):
        return float(np.prod(stats.norm.cdf((x - m) / s)))
    hi, lo = max(0.0, float(m.max()) + _WIDTH * s), min(0.0, float(m.min()) - _WIDTH * s)
    up = integrate.quad(lambda x: 1 - F(x), 0.0, hi, points=[x for x in m if 0 < x < hi] or None, **_QUAD)[0] \
        if hi > 0 else 0.0
    down = integrate.quad(F, lo, 0.0, points=[x for x in m if lo < x < 0] or None, **_QUAD)[0] if lo < 0 else 0.0
    return float(up - down)


def single_estimator(means, sigma: float, n: int) -> float:
    """E[max_a Qhat_a], from the density of the maximum (sum over the arm attaining it)."""
    m, s = _check(means, sigma, n)
    total = 0.0
    for a in range(m.size):
        others = np.delete(m, a)
        val, _ = integrate.quad(lambda x, a=a, others=others: x * stats.norm.pdf(x, m[a], s)
                                * np.prod(stats.norm.cdf((x - others) / s)), m[a] - _WIDTH * s, m[a] + _WIDTH * s,
                                points=[m[a]], **_QUAD)
        total += val
    return float(total)


def double_estimator(means, sigma: float, n: int, same_table: bool = False) -> float:
    """E[Qhat^B at argmax Qhat^A] = sum_a P(argmax = a) mu_a; ``same_table`` evaluates with Qhat^A (the trap)."""
    if same_table:
        return single_estimator(means, sigma, n)
    m, s = _check(means, sigma, n)
    total = 0.0
    for a in range(m.size):
        others = np.delete(m, a)
        pa, _ = integrate.quad(lambda x, a=a, others=others: stats.norm.pdf(x, m[a], s)
                               * np.prod(stats.norm.cdf((x - others) / s)), m[a] - _WIDTH * s, m[a] + _WIDTH * s,
                               points=[m[a]], **_QUAD)
        total += pa * m[a]
    return float(total)
