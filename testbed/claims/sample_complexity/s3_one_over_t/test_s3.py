"""Claim S3 by hand: the recursion, the closed forms and the bisection for T_eps."""
import math

import numpy as np

from proofs_check import q_learning_one_over_t_error, q_learning_rescaled_linear_error

from .claim import iterations_to_eps


def _recursion(gamma, T, rate):
    y = 1 / (1 - gamma)
    for t in range(1, T + 1):
        y *= 1 - rate(t) * (1 - gamma)
    return y


def test_closed_forms_equal_the_recursion_by_hand():
    for g in (0.5, 0.9):
        v = 1 / (1 - g)
        by_gamma = v * math.gamma(50 + g) / (math.gamma(g) * math.gamma(51))
        assert math.isclose(float(q_learning_one_over_t_error().evaluate(gamma=g, T=50, V_star=v)), by_gamma,
                            rel_tol=1e-12)
        assert math.isclose(by_gamma, _recursion(g, 50, lambda t: 1 / t), rel_tol=1e-12)
        lin = float(q_learning_rescaled_linear_error().evaluate(gamma=g, T=50, V_star=v))
        assert math.isclose(lin, _recursion(g, 50, lambda t, g=g: 1 / (1 + (1 - g) * t)), rel_tol=1e-12)


def test_iterations_to_eps_is_the_first_crossing():
    g = 0.8
    T = iterations_to_eps(g, 1.0)
    assert _recursion(g, T, lambda t: 1 / t) <= 1.0 < _recursion(g, T - 1, lambda t: 1 / t)
    assert np.log(iterations_to_eps(0.9)) > 2 * np.log(iterations_to_eps(0.8))     # exponential, not polynomial
